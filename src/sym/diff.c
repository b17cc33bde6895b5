#include "sym/diff.h"
#include "core/budget.h"

#include <stdlib.h>
#include <string.h>

typedef struct grad_job {
	sym_ctx *ctx;
	const int32_t *where; /* atom -> index of the target, or -1 */
	size_t natoms;        /* atoms known when the job started */
	size_t n;             /* targets */
	sym_poly ***memo;     /* APPLY atom -> its argument's gradient */
	dv_diag *d;
} grad_job;

static int grad_into(grad_job *job, sym_poly **outs, const sym_poly *p);

/* t without one factor, the one at position k. */
static sym_term drop(const sym_term *t, uint32_t k)
{
	sym_term r = *t;
	memmove(&r.atom[k], &r.atom[k + 1], (r.deg - k - 1) * sizeof r.atom[0]);
	r.deg--;
	r.atom[r.deg] = 0;
	return r;
}

static int apply_grad(grad_job *job, uint32_t id, sym_poly ***out)
{
	const sym_atom *a = sym_ctx_atom(job->ctx, id);
	sym_poly **g;
	int rc;

	if (job->memo[id] != NULL) {
		*out = job->memo[id];
		return DV_OK;
	}
	g = calloc(job->n, sizeof *g);
	if (g == NULL)
		return dv_fail(job->d, DV_E_NOMEM, "out of memory");
	if ((rc = grad_into(job, g, a->arg)) != DV_OK) {
		for (size_t j = 0; j < job->n; j++)
			sym_poly_free(g[j]);
		free(g);
		return rc;
	}
	job->memo[id] = g;
	*out = g;
	return DV_OK;
}

/* Adds dp/d(target i) to outs[i], unsorted; the caller makes them canonical. */
static int grad_into(grad_job *job, sym_poly **outs, const sym_poly *p)
{
	int rc = DV_OK;

	for (size_t ti = 0; ti < sym_poly_len(p) && rc == DV_OK; ti++) {
		const sym_term *t = &p->t[ti];
		for (uint32_t k = 0; k < t->deg && rc == DV_OK; k++) {
			uint32_t a = t->atom[k], e = 1;
			const sym_atom *atom;
			sym_term rest;
			if (k > 0 && t->atom[k - 1] == a)
				continue; /* counted with the first of its run */
			while (k + e < t->deg && t->atom[k + e] == a)
				e++;
			rest = drop(t, k);
			if ((rc = sym_rat_mul(&rest.c, rest.c, (sym_rat){e, 1},
			                      job->d)) != DV_OK)
				break;
			if (a < job->natoms && job->where[a] >= 0) {
				rc = sym_poly_push(&outs[job->where[a]], &rest, job->d);
				continue;
			}
			atom = sym_ctx_atom(job->ctx, a);
			if (atom->kind == SYM_APPLY && atom->arg != NULL &&
			    a < job->natoms) {
				/* copied: new atoms below may move the table */
				const sym_atom f = *atom;
				/* chain rule: rest * f^(k+1)(arg) * d arg, with
				 * f^(k+1) in canonical form (s' = s - s^2, ...) */
				sym_poly **g = NULL, *fp = NULL;
				if ((rc = apply_grad(job, a, &g)) != DV_OK)
					break;
				if ((rc = sym_act_poly(&fp, job->ctx, f.act, f.deriv + 1,
				                       f.arg, job->d)) != DV_OK)
					break;
				for (size_t fi = 0; fi < sym_poly_len(fp) && rc == DV_OK;
				     fi++) {
					sym_term rf;
					if ((rc = sym_term_mul(&rf, &rest, &fp->t[fi],
					                       job->d)) != DV_OK)
						break;
					for (size_t j = 0; j < job->n && rc == DV_OK;
					     j++) {
						for (size_t gi = 0;
						     gi < sym_poly_len(g[j]) &&
						     rc == DV_OK;
						     gi++) {
							sym_term r;
							rc = sym_term_mul(&r, &rf,
							                  &g[j]->t[gi],
							                  job->d);
							if (rc == DV_OK)
								rc = sym_poly_push(
								        &outs[j], &r,
								        job->d);
						}
					}
				}
				sym_poly_free(fp);
			}
		}
	}
	for (size_t j = 0; j < job->n && rc == DV_OK; j++)
		rc = sym_poly_canon(outs[j], job->d);
	return rc;
}

int sym_poly_grad(sym_poly **outs, const sym_poly *p, const uint32_t *atoms, size_t n,
                  sym_ctx *ctx, dv_diag *d)
{
	grad_job job;
	int32_t *where;
	int rc;

	memset(outs, 0, n * sizeof *outs);
	job.ctx = ctx;
	job.natoms = sym_ctx_atoms(ctx);
	job.n = n;
	job.d = d;
	where = malloc((job.natoms ? job.natoms : 1) * sizeof *where);
	job.memo = calloc(job.natoms ? job.natoms : 1, sizeof *job.memo);
	if (where == NULL || job.memo == NULL) {
		free(where);
		free(job.memo);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < job.natoms; i++)
		where[i] = -1;
	for (size_t i = 0; i < n; i++)
		if (atoms[i] < job.natoms)
			where[atoms[i]] = (int32_t)i;
	job.where = where;
	rc = grad_into(&job, outs, p);
	for (size_t i = 0; i < job.natoms; i++) {
		if (job.memo[i] == NULL)
			continue;
		for (size_t j = 0; j < n; j++)
			sym_poly_free(job.memo[i][j]);
		free(job.memo[i]);
	}
	free(job.memo);
	free(where);
	if (rc != DV_OK) {
		for (size_t i = 0; i < n; i++) {
			sym_poly_free(outs[i]);
			outs[i] = NULL;
		}
	}
	return rc;
}

int sym_mat_grad(dv_mat **out, const dv_mat *e, const dv_mat *wrt, dv_diag *d)
{
	sym_ctx *ctx = sym_field_ctx(wrt->field);
	size_t n = dv_mat_len(wrt);
	uint32_t *atoms = NULL;
	dv_mat *r = NULL;
	int rc;

	*out = NULL;
	if (ctx == NULL)
		return dv_fail(d, DV_E_ARGS,
		               "the variable must be a matrix of symbols (made by sym)");
	if (!dv_mat_is_scalar(e))
		return dv_fail(
		        d, DV_E_SHAPE,
		        "the function must be a number (1x1), not a %zux%zu matrix",
		        e->rows, e->cols);
	if (e->field != wrt->field && !dv_mat_is_double(e))
		return dv_fail(d, DV_E_ARGS,
		               "the function and the variable come from "
		               "different symbol tables");
	/* each entry's derivative walks every term of the function */
	if (!dv_mat_is_double(e) &&
	    (rc = dv_budget_charge((double)n *
	                                   (double)(sym_poly_len(*(sym_poly *const *)e->data) + 1),
	                           d)) != DV_OK)
		return rc;
	atoms = malloc(n * sizeof *atoms);
	if (atoms == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const sym_poly *p = *(sym_poly *const *)dv_mat_at(wrt, i);
		if (p == NULL || p->n != 1 || p->t[0].deg != 1 || p->t[0].c.num != 1 ||
		    p->t[0].c.den != 1 ||
		    sym_ctx_atom(ctx, p->t[0].atom[0])->kind == SYM_APPLY) {
			free(atoms);
			return dv_fail(d, DV_E_ARGS,
			               "entry (%zu,%zu) of the variable is not a single "
			               "symbol",
			               i / wrt->cols + 1, i % wrt->cols + 1);
		}
		atoms[i] = p->t[0].atom[0];
	}
	if ((rc = dv_mat_new(&r, wrt->field, wrt->rows, wrt->cols, d)) != DV_OK) {
		free(atoms);
		return rc;
	}
	if (dv_mat_is_double(e)) /* a constant: every derivative is 0 */
		rc = DV_OK;
	else
		rc = sym_poly_grad((sym_poly **)r->data, *(sym_poly *const *)e->data,
		                   atoms, n, ctx, d);
	free(atoms);
	if (rc != DV_OK) {
		dv_mat_free(r);
		return rc;
	}
	*out = r;
	return DV_OK;
}
