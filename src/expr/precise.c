#include "expr/precise.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mpfr_field.h"

static const unsigned ladder[] = DV_MPFR_PRECISIONS;
#define NLADDER (sizeof ladder / sizeof ladder[0])

/* A side as reports show it: doubles with bounds. */
static int as_doubles(dv_mat **out, const dv_mat *m, dv_diag *d)
{
	if (dv_mat_is_double(m))
		return dv_mat_copy(out, m, d);
	return dv_mpfr_to_doubles(out, m, d);
}

int dv_compare_precise(dv_check *c, dv_mat **l, dv_mat **r, dv_precise *p,
                       const dv_node *lhs, const dv_node *rhs, dv_env *env, dv_diag *d)
{
	memset(p, 0, sizeof *p);
	for (size_t k = 0; k < NLADDER; k++) {
		dv_diag local;
		dv_env *menv = NULL;
		dv_mat *ml = NULL, *mr = NULL;
		dv_check mc;
		int rc;

		dv_diag_clear(&local);
		rc = dv_env_convert(&menv, env, dv_field_mpfr(ladder[k]), &local);
		if (rc == DV_OK)
			rc = dv_eval_mat(&ml, lhs, menv, &local);
		if (rc == DV_OK)
			rc = dv_eval_mat(&mr, rhs, menv, &local);
		if (rc == DV_OK)
			rc = dv_compare(&mc, ml, mr, 0.0, &local);
		if (rc == DV_OK && !mc.exact) {
			*c = mc;
			p->bits = ladder[k];
			if (l != NULL && r != NULL) {
				dv_mat *dl = NULL, *dr = NULL;
				if ((rc = as_doubles(&dl, ml, d)) == DV_OK &&
				    (rc = as_doubles(&dr, mr, d)) == DV_OK) {
					dv_mat_free(*l);
					dv_mat_free(*r);
					*l = dl;
					*r = dr;
					dl = dr = NULL;
				}
				dv_mat_free(dl);
				dv_mat_free(dr);
			}
		} else if (rc == DV_OK) {
			snprintf(p->why, sizeof p->why,
			         "a side has no numbers to compute");
			rc = DV_E_SYMBOLIC;
		} else {
			snprintf(p->why, sizeof p->why, "%s", local.message);
		}
		dv_mat_free(ml);
		dv_mat_free(mr);
		dv_env_free(menv);
		if (rc == DV_E_NOMEM)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		if (rc != DV_OK || c->verdict != DV_VERDICT_INCONCLUSIVE)
			break;
	}
	return DV_OK;
}

/* E at x0 + t, entry j of var moved, as a ball. */
static int loss_at(mpfr_t out, double *rad, const dv_node *loss, dv_mat *x, size_t j,
                   double x0, double t, dv_env *env, dv_diag *d)
{
	dv_ball *b = dv_ball_at(x, j);
	dv_mat *e = NULL;
	int rc;

	mpfr_set_d(b->mid, x0, MPFR_RNDN);
	if (mpfr_add_d(b->mid, b->mid, t, MPFR_RNDN) != 0) {
		/* the step must be the one divided by (see dv_fd_refine) */
		mpfr_set_d(b->mid, x0, MPFR_RNDN);
		dv_env_changed(env);
		return dv_fail(d, DV_E_NUMERIC,
		               "the entry %.3g is too small for an exact step at this "
		               "precision",
		               x0);
	}
	dv_env_changed(env);
	rc = dv_eval_mat(&e, loss, env, d);
	mpfr_set_d(b->mid, x0, MPFR_RNDN);
	dv_env_changed(env);
	if (rc != DV_OK)
		return rc;
	if (!dv_mat_is_scalar(e) || dv_mat_is_double(e) || !dv_mat_is_numeric(e)) {
		dv_mat_free(e);
		return dv_fail(d, DV_E_SYMBOLIC, "the function has no MPFR value");
	}
	mpfr_set(out, dv_ball_at(e, 0)->mid, MPFR_RNDN);
	*rad = dv_ball_at(e, 0)->rad;
	dv_mat_free(e);
	return DV_OK;
}

double dv_fd_refine_step(double x0, unsigned bits)
{
	return ldexp(1.0, ilogb(fmax(1.0, fabs(x0))) - (int)bits / 3);
}

/*
 * The five-point rule for entry j of x (a matrix of menv, an MPFR
 * environment of `bits`): e's value and bounds; with value not NULL, the
 * result at the field's precision there, and e's bounds are of it (not of
 * its rounding to a double).
 */
static int refine_in(dv_fd_entry *e, mpfr_t value, const dv_node *loss, dv_mat *x,
                     size_t j, dv_env *menv, unsigned bits, dv_diag *d)
{
	mpfr_t v[4], r3, r5, t;
	double rad[4], x0, h, trunc, rounding, u = ldexp(1.0, -(int)bits);
	/* the steps: -h, +h, -h/2, +h/2 */
	static const double at[4] = {-1.0, 1.0, -0.5, 0.5};
	int rc = DV_OK;

	x0 = mpfr_get_d(dv_ball_at(x, j)->mid, MPFR_RNDN);
	/*
	 * A power of two a little over bits/3 binary places below the entry:
	 * x0 + h and x0 + h/2 are exact at this precision, the truncation of
	 * the five-point rule (h^4) is far below the result, and the rounding
	 * of E (2^-bits |E|) divided by h still far below that.
	 */
	h = dv_fd_refine_step(x0, bits);
	for (int k = 0; k < 4; k++)
		mpfr_init2(v[k], (mpfr_prec_t)bits);
	mpfr_inits2((mpfr_prec_t)bits, r3, r5, t, (mpfr_ptr)0);
	for (int k = 0; k < 4 && rc == DV_OK; k++)
		rc = loss_at(v[k], &rad[k], loss, x, j, x0, at[k] * h, menv, d);
	if (rc == DV_OK) {
		/* r3 = (E(h) - E(-h)) / 2, r5 = 4/3 (E(h/2) - E(-h/2)) - r3 / 3 */
		mpfr_sub(r3, v[1], v[0], MPFR_RNDN);
		mpfr_div_ui(r3, r3, 2, MPFR_RNDN);
		mpfr_sub(r5, v[3], v[2], MPFR_RNDN);
		mpfr_mul_ui(r5, r5, 4, MPFR_RNDN);
		mpfr_div_ui(r5, r5, 3, MPFR_RNDN);
		mpfr_div_ui(t, r3, 3, MPFR_RNDN);
		mpfr_sub(r5, r5, t, MPFR_RNDN);
		mpfr_sub(t, r5, r3, MPFR_RNDN);
		trunc = fabs(mpfr_get_d(t, MPFR_RNDA)) / h;
		mpfr_div_d(r5, r5, h, MPFR_RNDN);
		e->value = mpfr_get_d(r5, MPFR_RNDN);
		if (value != NULL)
			mpfr_set(value, r5, MPFR_RNDN);
		/* the four values' radii through the rule, its own ten roundings,
		 * and the result rounded to a double */
		rounding = ((4.0 / 3.0) * (rad[2] + rad[3]) +
		            (1.0 / 6.0) * (rad[0] + rad[1])) /
		                   h * (1.0 + 0x1p-48) +
		           16.0 * u * fabs(e->value) +
		           (value == NULL ? DV_UNIT_ROUNDOFF * fabs(e->value) : 0.0);
		e->gsl_error = trunc;
		e->rounding = rounding;
		e->bound = 2.0 * trunc + rounding;
		e->scale = fmax(e->scale, fabs(e->value));
		e->local = 0;
		e->bits = bits;
	}
	for (int k = 0; k < 4; k++)
		mpfr_clear(v[k]);
	mpfr_clears(r3, r5, t, (mpfr_ptr)0);
	return rc;
}

int dv_fd_refine(dv_fd_entry *e, const dv_node *loss, const char *var, size_t j,
                 dv_env *env, unsigned bits, dv_diag *d)
{
	const dv_field *f = dv_field_mpfr(bits);
	dv_env *menv = NULL;
	dv_mat *x;
	int rc;

	if (f == NULL)
		return dv_fail(d, DV_E_ARGS, "internal: no MPFR field of %u bits", bits);
	if ((rc = dv_env_convert(&menv, env, f, d)) != DV_OK)
		return rc;
	x = dv_env_lookup_mut(menv, var);
	if (x == NULL || dv_mat_is_double(x) || j >= dv_mat_len(x)) {
		dv_env_free(menv);
		return dv_fail(d, DV_E_ARGS, "'%s' is not a matrix of numbers", var);
	}
	rc = refine_in(e, NULL, loss, x, j, menv, bits, d);
	dv_env_free(menv);
	return rc;
}

int dv_fd_grad_precise(dv_mat **out, const dv_node *loss, const char *var, dv_env *menv,
                       dv_diag *d)
{
	unsigned bits = dv_field_bits(dv_env_numbers(menv));
	dv_mat *x = dv_env_lookup_mut(menv, var), *g = NULL;
	int rc;

	*out = NULL;
	if (bits == 0 || x == NULL || dv_mat_is_double(x) || !dv_mat_is_numeric(x))
		return dv_fail(d, DV_E_ARGS, "'%s' is not a matrix of numbers", var);
	if (dv_mat_len(x) > DV_MAX_PRECISE_GRAD)
		return dv_fail(d, DV_E_LIMIT,
		               "grad at higher precision differences the whole function "
		               "for each entry; %s has %zu, more than %d",
		               var, dv_mat_len(x), DV_MAX_PRECISE_GRAD);
	if (dv_fd_rough(loss, menv))
		return dv_fail(d, DV_E_SYMBOLIC,
		               "grad: the function has a kink (relu, max) or a pole, "
		               "which differences at higher precision cannot see");
	if ((rc = dv_mat_new(&g, x->field, x->rows, x->cols, d)) != DV_OK)
		return rc;
	for (size_t j = 0; j < dv_mat_len(x) && rc == DV_OK; j++) {
		dv_fd_entry e = {0};
		dv_ball *b = dv_ball_at(g, j);
		rc = refine_in(&e, b->mid, loss, x, j, menv, bits, d);
		b->rad = e.bound;
		b->scale = e.scale;
	}
	if (rc != DV_OK) {
		dv_mat_free(g);
		return rc;
	}
	*out = g;
	return DV_OK;
}
