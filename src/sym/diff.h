/*
 * diff: exact derivatives of polynomials, with the chain rule through
 * activations: d f(p) / dx = f'(p) * dp/dx.
 */
#ifndef DV_SYM_DIFF_H
#define DV_SYM_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/mat.h"
#include "sym/ctx.h"
#include "sym/poly.h"

/*
 * outs[i] = dp / d atoms[i] for i < n, each canonical (NULL for zero).
 * The atoms are entries or scalars.  On failure every outs[i] is NULL.
 */
int sym_poly_grad(sym_poly **outs, const sym_poly *p, const uint32_t *atoms, size_t n,
                  sym_ctx *ctx, dv_diag *d);

/*
 * The matrix of dE/dw for every entry w of `wrt`, where e is a 1 x 1
 * polynomial matrix and wrt a matrix of atoms of the same context.
 */
int sym_mat_grad(dv_mat **out, const dv_mat *e, const dv_mat *wrt, dv_diag *d);

#endif
