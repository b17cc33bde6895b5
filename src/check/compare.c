#include "check/compare.h"

#include <math.h>
#include <string.h>

#include "core/mpfr_field.h"
#include "sym/ctx.h"
#include "sym/poly.h"

const char *dv_verdict_name(dv_verdict v)
{
	switch (v) {
	case DV_VERDICT_HOLDS:
		return "holds";
	case DV_VERDICT_FAILS:
		return "fails";
	case DV_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	}
	return "?";
}

/* The rule itself: a difference against its bound and its scale. */
static dv_entry_verdict judge(double diff, double bound, double scale, double tol)
{
	dv_entry_verdict e = {DV_VERDICT_INCONCLUSIVE, diff, bound, scale};

	if (isnan(diff) || !isfinite(bound))
		e.verdict = DV_VERDICT_INCONCLUSIVE;
	else if (diff * (1.0 - DV_UNIT_ROUNDOFF) > bound)
		e.verdict = DV_VERDICT_FAILS;
	else if (bound <= (DV_RESOLUTION + tol) * scale)
		e.verdict = DV_VERDICT_HOLDS;
	return e;
}

dv_entry_verdict dv_compare_numbers(double a, double bound_a, double scale_a, double b,
                                    double bound_b, double scale_b, double tol)
{
	/* the subtraction rounds once more: allow for it on both sides */
	double bound = (bound_a + bound_b) * (1.0 + dv_gamma(3));

	if (tol > 0)
		bound += tol * (fabs(a) + fabs(b));
	if (!isfinite(a) || !isfinite(b)) {
		dv_entry_verdict e = {DV_VERDICT_INCONCLUSIVE, fabs(a - b), bound,
		                      scale_a + scale_b};
		return e;
	}
	return judge(fabs(a - b), bound, scale_a + scale_b, tol);
}

/* Entry i of numeric a and b (doubles, or one MPFR field) judged. */
static dv_entry_verdict judge_entry(const dv_mat *a, const dv_mat *b, size_t i,
                                    double tol, double *sum)
{
	double diff, bound, scale;

	if (dv_mat_is_double(a)) {
		double x = dv_mat_get(a, i), y = dv_mat_get(b, i);
		*sum = fabs(x) + fabs(y);
		return dv_compare_numbers(x, dv_mat_bound_at(a, i), dv_mat_scale_at(a, i),
		                          y, dv_mat_bound_at(b, i), dv_mat_scale_at(b, i),
		                          tol);
	}
	dv_mpfr_difference(a, b, i, &diff, &bound, &scale);
	*sum = fabs(a->field->to_double(a->field, dv_mat_at(a, i))) +
	       fabs(b->field->to_double(b->field, dv_mat_at(b, i)));
	return judge(diff, bound + tol * *sum, scale, tol);
}

static void compare_numbers(dv_check *c, const dv_mat *a, const dv_mat *b, double tol)
{
	int unclear = 0;

	for (size_t i = 0; i < dv_mat_len(a); i++) {
		double sum;
		dv_entry_verdict e = judge_entry(a, b, i, tol, &sum);
		c->max_abs = fmax(c->max_abs, e.diff);
		c->max_bound = fmax(c->max_bound, e.bound);
		if (sum > 0)
			c->max_rel = fmax(c->max_rel, e.diff / sum);
		if (e.bound > 0)
			c->worst_ratio = fmax(c->worst_ratio, e.diff / e.bound);
		else if (e.diff > 0)
			c->worst_ratio = INFINITY;
		if (e.verdict == DV_VERDICT_FAILS && c->verdict != DV_VERDICT_FAILS) {
			c->verdict = DV_VERDICT_FAILS;
			c->row = i / a->cols + 1;
			c->col = i % a->cols + 1;
			c->at = e;
		} else if (e.verdict == DV_VERDICT_INCONCLUSIVE && !unclear &&
		           c->verdict == DV_VERDICT_HOLDS) {
			unclear = 1;
			c->row = i / a->cols + 1;
			c->col = i % a->cols + 1;
			c->at = e;
		}
	}
	if (unclear && c->verdict == DV_VERDICT_HOLDS)
		c->verdict = DV_VERDICT_INCONCLUSIVE;
}

static int compare_exact(dv_check *c, const dv_mat *a, const dv_mat *b, dv_diag *d)
{
	const dv_field *f = dv_mat_is_double(a) ? b->field : a->field;
	dv_mat *pa = NULL, *pb = NULL;
	int rc = dv_mat_convert(&pa, a, f, d);

	if (rc == DV_OK)
		rc = dv_mat_convert(&pb, b, f, d);
	for (size_t i = 0; rc == DV_OK && i < dv_mat_len(a); i++) {
		const sym_poly *x = *(sym_poly **)dv_mat_at(pa, i);
		const sym_poly *y = *(sym_poly **)dv_mat_at(pb, i);
		int sure;
		if (sym_poly_equal(x, y))
			continue;
		/* sigmoid(-x) and 1 - sigmoid(x) differ only as polynomials */
		if ((rc = sym_ctx_surely_differ(sym_field_ctx(f), x, y, &sure, d)) != DV_OK)
			break;
		if (sure || c->verdict == DV_VERDICT_HOLDS) {
			c->verdict = sure ? DV_VERDICT_FAILS : DV_VERDICT_INCONCLUSIVE;
			c->row = i / a->cols + 1;
			c->col = i % a->cols + 1;
		}
		if (sure)
			break;
	}
	dv_mat_free(pa);
	dv_mat_free(pb);
	return rc;
}

int dv_compare(dv_check *c, const dv_mat *a, const dv_mat *b, double tol, dv_diag *d)
{
	int rc = DV_OK;

	memset(c, 0, sizeof *c);
	c->verdict = DV_VERDICT_HOLDS;
	c->exact = !dv_mat_is_numeric(a) || !dv_mat_is_numeric(b);
	if (a->rows != b->rows || a->cols != b->cols) {
		c->verdict = DV_VERDICT_FAILS;
		c->shape_differs = 1;
	} else if (c->exact) {
		rc = compare_exact(c, a, b, d);
	} else if (a->field != b->field) {
		/* doubles beside MPFR numbers: the doubles join the MPFR field */
		const dv_mat *lower = dv_mat_is_double(a) ? a : b;
		dv_mat *up = NULL;
		if ((rc = dv_mat_convert(&up, lower, (lower == a ? b : a)->field, d)) ==
		    DV_OK)
			compare_numbers(c, lower == a ? up : a, lower == b ? up : b, tol);
		dv_mat_free(up);
	} else {
		compare_numbers(c, a, b, tol);
	}
	c->holds = c->verdict == DV_VERDICT_HOLDS;
	return rc;
}
