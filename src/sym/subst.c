#include "sym/subst.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct subst {
	const sym_ctx *ctx;
	const sym_value *values;
	size_t n;
	dv_act f_is;
	double *memo; /* atom -> value, NAN until computed */
	dv_diag *d;
} subst;

static int poly_value(double *out, subst *s, const sym_poly *p);

static int atom_value(double *out, subst *s, uint32_t id)
{
	const sym_atom *a = sym_ctx_atom(s->ctx, id);
	int rc;

	if (!isnan(s->memo[id])) {
		*out = s->memo[id];
		return DV_OK;
	}
	if (a->kind == SYM_APPLY) {
		double x;
		dv_act act = a->act == DV_ACT_ABSTRACT ? s->f_is : a->act;
		if ((rc = poly_value(&x, s, a->arg)) != DV_OK)
			return rc;
		*out = dv_act_diff(act, a->deriv, x);
		if (isnan(*out))
			return dv_fail(s->d, DV_E_NUMERIC,
			               "no numbers for derivative %u of %s", a->deriv,
			               dv_act_name(act));
	} else {
		size_t i = 0;
		while (i < s->n && strcmp(s->values[i].name, a->name) != 0)
			i++;
		if (i == s->n)
			return dv_fail(s->d, DV_E_NAME, "no numbers for the symbol '%s'",
			               a->name);
		if (a->kind == SYM_SCALAR) {
			*out = dv_mat_get(s->values[i].values, 0);
		} else {
			const dv_mat *v = s->values[i].values;
			if (a->row > v->rows || a->col > v->cols)
				return dv_fail(s->d, DV_E_SHAPE,
				               "the numbers of '%s' are %zux%zu, without "
				               "entry (%u,%u)",
				               a->name, v->rows, v->cols, a->row, a->col);
			*out = dv_mat_get(v, (a->row - 1) * v->cols + a->col - 1);
		}
	}
	s->memo[id] = *out;
	return DV_OK;
}

static int poly_value(double *out, subst *s, const sym_poly *p)
{
	double sum = 0.0;
	for (size_t i = 0; i < sym_poly_len(p); i++) {
		const sym_term *t = &p->t[i];
		double v = (double)t->c.num / (double)t->c.den;
		for (uint32_t k = 0; k < t->deg; k++) {
			double a = 0.0;
			int rc = atom_value(&a, s, t->atom[k]);
			if (rc != DV_OK)
				return rc;
			v *= a;
		}
		sum += v;
	}
	*out = sum;
	return DV_OK;
}

int sym_mat_substitute(dv_mat **out, const dv_mat *m, const sym_value *values,
                       size_t nvalues, dv_act f_is, dv_diag *d)
{
	subst s = {sym_field_ctx(m->field), values, nvalues, f_is, NULL, d};
	dv_mat *r = NULL;
	size_t natoms;
	int rc;

	*out = NULL;
	if (dv_mat_is_double(m))
		return dv_mat_copy(out, m, d);
	natoms = sym_ctx_atoms(s.ctx);
	s.memo = malloc((natoms ? natoms : 1) * sizeof *s.memo);
	if (s.memo == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < natoms; i++)
		s.memo[i] = NAN;
	rc = dv_mat_new(&r, &dv_field_double, m->rows, m->cols, d);
	for (size_t i = 0; rc == DV_OK && i < dv_mat_len(m); i++)
		rc = poly_value((double *)r->data + i, &s,
		                *(sym_poly *const *)dv_mat_at(m, i));
	free(s.memo);
	if (rc != DV_OK) {
		dv_mat_free(r);
		return rc;
	}
	*out = r;
	return DV_OK;
}
