#include "core/ops.h"

#include <math.h>
#include <stdlib.h>

int dv_op_run(dv_mat **out, const dv_plan *p, const dv_mat *a, const dv_mat *b,
              dv_diag *d)
{
	dv_mat *promoted = NULL;
	int rc;

	*out = NULL;
	if (b != NULL && a->field != b->field) {
		const dv_mat **lower = dv_mat_is_double(a) ? &a : &b;
		const dv_field *to = dv_mat_is_double(a) ? b->field : a->field;
		/* numbers become symbols entry by entry: within the symbolic budget,
		 * counted before the conversion, not after it */
		if (to->weight != NULL &&
		    (dv_mat_len(*lower) > DV_MAX_SYMBOLIC_TERMS ||
		     p->rows * p->cols > DV_MAX_SYMBOLIC_TERMS ||
		     p->nterms > DV_MAX_SYMBOLIC_TERMS))
			return dv_plan_too_symbolic(d);
		if ((rc = dv_mat_convert(&promoted, *lower, to, d)) != DV_OK)
			return rc;
		*lower = promoted;
	}
	rc = dv_plan_run(out, p, a, b, d);
	dv_mat_free(promoted);
	return rc;
}

/* Runs a freshly built plan, which it frees. */
static int run(dv_mat **out, dv_plan *p, int rc, const dv_mat *a, const dv_mat *b,
               dv_diag *d)
{
	*out = NULL;
	if (rc == DV_OK)
		rc = dv_op_run(out, p, a, b, d);
	dv_plan_free(p);
	return rc;
}

int dv_op_window(dv_mat **out, const dv_mat *x, const dv_mat *k, const dv_window *w,
                 dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_window(&p, x->rows, x->cols, k->rows, k->cols, w, d);
	return run(out, p, rc, x, k, d);
}

int dv_op_rot180(dv_mat **out, const dv_mat *a, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_rot180(&p, a->rows, a->cols, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_fliplr(dv_mat **out, const dv_mat *a, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_fliplr(&p, a->rows, a->cols, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_flipud(dv_mat **out, const dv_mat *a, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_flipud(&p, a->rows, a->cols, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_transpose(dv_mat **out, const dv_mat *a, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_transpose(&p, a->rows, a->cols, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_pad(dv_mat **out, const dv_mat *a, size_t r, size_t c, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_pad(&p, a->rows, a->cols, r, c, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_down(dv_mat **out, const dv_mat *a, size_t n, dv_pool pool, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = pool == DV_POOL_MAX ? dv_plan_down_max(&p, a, n, 0, d)
	                             : dv_plan_down(&p, a->rows, a->cols, n, 0, pool, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_up(dv_mat **out, const dv_mat *a, size_t n, dv_pool pool, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_up(&p, a->rows, a->cols, n, pool, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_scale(dv_mat **out, const dv_mat *a, long long num, long long den, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_scale(&p, a->rows, a->cols, num, den, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_sum(dv_mat **out, const dv_mat *a, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_sum(&p, a->rows, a->cols, d);
	return run(out, p, rc, a, NULL, d);
}

int dv_op_kron(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_kron(&p, a->rows, a->cols, b->rows, b->cols, d);
	return run(out, p, rc, a, b, d);
}

int dv_op_hadamard(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_hadamard(&p, a->rows, a->cols, b->rows, b->cols, d);
	return run(out, p, rc, a, b, d);
}

int dv_op_add(dv_mat **out, const dv_mat *a, const dv_mat *b, int sign, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_add(&p, a->rows, a->cols, b->rows, b->cols, sign, d);
	return run(out, p, rc, a, b, d);
}

int dv_op_matmul(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d)
{
	dv_plan *p = NULL;
	int rc = dv_plan_matmul(&p, a->rows, a->cols, b->rows, b->cols, d);
	return run(out, p, rc, a, b, d);
}

int dv_op_power(dv_mat **out, const dv_mat *a, unsigned n, dv_diag *d)
{
	dv_mat *acc = NULL, *next = NULL;
	int rc;

	*out = NULL;
	if (n == 0) {
		/* a .^ 0 is all ones, whatever the field of a. */
		if ((rc = dv_mat_new(&acc, &dv_field_double, a->rows, a->cols, d)) !=
		    DV_OK)
			return rc;
		for (size_t i = 0; i < dv_mat_len(acc); i++)
			((double *)acc->data)[i] = 1.0;
		*out = acc;
		return DV_OK;
	}
	if ((rc = dv_mat_copy(&acc, a, d)) != DV_OK)
		return rc;
	for (unsigned i = 1; i < n; i++) {
		rc = dv_op_hadamard(&next, acc, a, d);
		dv_mat_free(acc);
		if (rc != DV_OK)
			return rc;
		acc = next;
	}
	*out = acc;
	return DV_OK;
}

/*
 * The bounds of r = act(a) on doubles: the argument's error moves the
 * result by at most the Lipschitz constant times it, and the library's own
 * exp and tanh are good to a few units in the last place (8 allowed).
 * Where the function jumps (relu' at 0) and the argument's bound reaches
 * across the jump, the result may be either side: bound 1; an exact
 * argument (bound 0) is not moved across it.
 */
static int activate_bounds(dv_mat *r, const dv_mat *a, dv_act act, int deriv, dv_diag *d)
{
	int rc = dv_mat_track(r, d);

	for (size_t i = 0; rc == DV_OK && i < dv_mat_len(r); i++) {
		double x = dv_mat_get(a, i), ex = dv_mat_bound_at(a, i);
		double y = fabs(dv_mat_get(r, i));
		/* exp and log: the constant of the interval the argument may be in */
		double lip = dv_act_lipschitz_near(act, deriv, x, ex);
		if (isinf(lip) && act == DV_ACT_RELU) {
			/* an exact argument is on its side of the jump (at 0 itself,
			 * relu' is the convention drelu(0) = 0, exactly) */
			r->bound[i] = ex > 0.0 && fabs(x) <= ex ? 1.0 : 0.0;
			r->scale[i] = 1.0;
		} else if (isinf(lip)) {
			/* log of an argument whose bound reaches 0: anything */
			r->bound[i] = INFINITY;
			r->scale[i] = y;
		} else {
			r->bound[i] = lip * ex * (1.0 + dv_gamma(4)) +
			              8.0 * DV_UNIT_ROUNDOFF * y + DV_UNDERFLOW;
			r->scale[i] = y + lip * dv_mat_scale_at(a, i);
		}
	}
	return rc;
}

int dv_op_activate(dv_mat **out, const dv_mat *a, dv_act act, int deriv, dv_diag *d)
{
	dv_mat *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = dv_mat_new(&r, a->field, a->rows, a->cols, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < dv_mat_len(a); i++) {
		rc = a->field->activate(a->field, dv_mat_at(r, i), dv_mat_at(a, i), act,
		                        deriv, d);
		if (rc != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
	}
	if (dv_mat_is_double(r) && (rc = activate_bounds(r, a, act, deriv, d)) != DV_OK) {
		dv_mat_free(r);
		return rc;
	}
	*out = r;
	return DV_OK;
}

int dv_op_concat(dv_mat **out, const dv_mat *a, const dv_mat *b, int vertical, dv_diag *d)
{
	const dv_field *f = dv_mat_is_double(a) ? b->field : a->field;
	size_t rows, cols;
	dv_mat *r = NULL;
	int rc;

	*out = NULL;
	if (vertical && a->cols != b->cols)
		return dv_fail(d, DV_E_SHAPE,
		               "rows of different lengths: %zu and %zu columns", a->cols,
		               b->cols);
	if (!vertical && a->rows != b->rows)
		return dv_fail(d, DV_E_SHAPE, "blocks side by side with %zu and %zu rows",
		               a->rows, b->rows);
	rows = vertical ? a->rows + b->rows : a->rows;
	cols = vertical ? a->cols : a->cols + b->cols;
	if ((rc = dv_mat_new(&r, f, rows, cols, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < rows && rc == DV_OK; i++) {
		for (size_t j = 0; j < cols && rc == DV_OK; j++) {
			int in_a = vertical ? i < a->rows : j < a->cols;
			const dv_mat *src = in_a ? a : b;
			size_t si = in_a || !vertical ? i : i - a->rows;
			size_t sj = in_a || vertical ? j : j - a->cols;
			const void *e = dv_mat_at(src, si * src->cols + sj);
			void *dst = dv_mat_at(r, i * cols + j);
			if (src->field == f)
				rc = f->copy(f, dst, e, d);
			else
				rc = f->from_double(f, dst, *(const double *)e, d);
			if (rc == DV_OK && dv_mat_is_double(r) &&
			    (a->bound != NULL || b->bound != NULL) &&
			    (rc = dv_mat_track(r, d)) == DV_OK) {
				size_t k = si * src->cols + sj;
				r->bound[i * cols + j] = dv_mat_bound_at(src, k);
				r->scale[i * cols + j] = dv_mat_scale_at(src, k);
			}
		}
	}
	if (rc != DV_OK) {
		dv_mat_free(r);
		return rc;
	}
	*out = r;
	return DV_OK;
}
