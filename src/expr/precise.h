/*
 * precise: a check that double precision could not decide, decided again
 * with the same plans over GNU MPFR (mpfr_field.h), at 128 and then 256
 * bits, until the bounds are tight enough to say holds or fails.
 *
 * Higher precision is used only where doubles were inconclusive: the
 * callers (the lesson runner, equal()) try it then, and keep the double
 * verdict, and say why, when a part of the statement has no MPFR form
 * (a finite-difference grad() inside a side, for one).
 */
#ifndef DV_EXPR_PRECISE_H
#define DV_EXPR_PRECISE_H

#include "check/compare.h"
#include "core/diag.h"
#include "core/mat.h"
#include "expr/eval.h"
#include "expr/fd.h"
#include "expr/parser.h"

/* What higher precision did for a check. */
typedef struct dv_precise {
	unsigned bits; /* the precision that decided it (or the last tried); 0: none */
	char why[512]; /* when it could not be used: why */
} dv_precise;

/*
 * lhs == rhs in env's numbers at higher precision.  On a verdict, c gets
 * it and *l, *r (when not NULL, freed first) the two sides as doubles with
 * their bounds; otherwise c is left as it was and p->why says why.
 * Fails only when out of memory.
 */
int dv_compare_precise(dv_check *c, dv_mat **l, dv_mat **r, dv_precise *p,
                       const dv_node *lhs, const dv_node *rhs, dv_env *env, dv_diag *d);

/*
 * Entry j of a finite-difference gradient again, at `bits`: the loss
 * evaluated whole over MPFR at steps h and h/2 small enough that the
 * truncation is negligible and a constant in the loss rounds away.  e is
 * updated (value, bounds, bits); a loss with no MPFR form leaves it as it
 * was and returns DV_E_SYMBOLIC with d saying why.
 */
/* The step dv_fd_refine takes at `bits` for an entry x0. */
double dv_fd_refine_step(double x0, unsigned bits);
int dv_fd_refine(dv_fd_entry *e, const dv_node *loss, const char *var, size_t j,
                 dv_env *env, unsigned bits, dv_diag *d);
/*
 * The whole finite-difference gradient of loss in var over menv, an
 * environment whose numbers are MPFR's (dv_env_convert): each entry by the
 * rule of dv_fd_refine, a ball whose radius is its bound.  So a claim with
 * grad() in it is decided again at higher precision, as a gradcheck is.
 */
int dv_fd_grad_precise(dv_mat **out, const dv_node *loss, const char *var, dv_env *menv,
                       dv_diag *d);
/* The most entries dv_fd_grad_precise differences (each costs four
 * evaluations of the whole function over MPFR). */
#define DV_MAX_PRECISE_GRAD 256

#endif
