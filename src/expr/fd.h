/*
 * fd: central finite differences of a loss, by local differences.
 *
 * The loss is taken apart once into a graph of its operations: the plans
 * of the linear and bilinear ones (the same plans the evaluator runs),
 * element-wise activations and powers, and, for anything else, the whole
 * subexpression.  Moving one entry of the variable then changes only the
 * entries the plans say it feeds, and only those changes are computed and
 * added up: E(x + h) - E(x) is formed from the terms that depend on x, not
 * as the difference of two values of E.  So a constant in the loss changes
 * nothing, the differences keep their relative accuracy however small the
 * gradient, and a check costs the size of the entry's reach, not of E.
 *
 * gsl_deriv_central differentiates those changes; every change carries a
 * running error bound, so the result is given with GSL's estimate of its
 * truncation error and a bound on its rounding, the two together its
 * bound.
 *
 * Ownership: dv_fd_grad hands out a matrix (dv_mat_free) and an array of
 * entries (free).
 */
#ifndef DV_EXPR_FD_H
#define DV_EXPR_FD_H

#include "core/diag.h"
#include "core/mat.h"
#include "expr/eval.h"
#include "expr/parser.h"

/* Most work a finite-difference gradient may take (entries x reach). */
#define DV_MAX_FD_WORK 2e9

/* One entry of a finite-difference gradient. */
typedef struct dv_fd_entry {
	double value;     /* the derivative, gsl_deriv_central's result */
	double gsl_error; /* GSL's estimate of its error (truncation, rounding) */
	double rounding;  /* our bound on the rounding of the changes behind it */
	double bound;     /* what the value is judged with: 2 gsl_error + rounding */
	double scale;     /* the size of the terms of the change, per unit step */
	int local;        /* 1: only the terms this entry feeds were differenced */
	unsigned bits;    /* the precision that made it: 53 for doubles, or MPFR's */
	const char *why;  /* when its bound is too loose to resolve it: why */
} dv_fd_entry;

/*
 * dE/dx for every entry x of the numbers bound to var in env, E the 1 x 1
 * function `loss`.  grad carries bound and scale per entry (mat.h), so a
 * comparison with it is judged against them; entries may be NULL.
 */
int dv_fd_grad(dv_mat **grad, dv_fd_entry **entries, const dv_node *loss, const char *var,
               dv_env *env, dv_diag *d);

/*
 * Whether loss (its definitions included) may have a kink (relu, max
 * pooling, unpool) or a pole (a division by a computed number, log): where
 * differences that know nothing of it, as dv_fd_grad_precise's, must not
 * be trusted.
 */
int dv_fd_rough(const dv_node *loss, const dv_env *env);

#endif
