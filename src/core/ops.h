/*
 * ops: the operations of the notes on whole matrices.  Each builds its plan
 * (plan.h) from the operands' shapes and runs it, so the same call serves
 * numbers and polynomials.  Operands of two different fields are brought to
 * the richer one first (doubles become exact constants).
 *
 * Ownership: results are new matrices the caller frees with dv_mat_free.
 * Error messages do not name the operation; the caller prefixes it.
 */
#ifndef DV_OPS_H
#define DV_OPS_H

#include "core/diag.h"
#include "core/field.h"
#include "core/mat.h"
#include "core/plan.h"

/*
 * Runs plan p on a and b (NULL for one operand), bringing a double operand
 * to the other's field first.  p stays the caller's.
 */
int dv_op_run(dv_mat **out, const dv_plan *p, const dv_mat *a, const dv_mat *b,
              dv_diag *d);

/* conv (w->flip = 1) and xcorr (w->flip = 0) of x with kernel k. */
int dv_op_window(dv_mat **out, const dv_mat *x, const dv_mat *k, const dv_window *w,
                 dv_diag *d);
int dv_op_rot180(dv_mat **out, const dv_mat *a, dv_diag *d);
int dv_op_fliplr(dv_mat **out, const dv_mat *a, dv_diag *d);
int dv_op_flipud(dv_mat **out, const dv_mat *a, dv_diag *d);
int dv_op_transpose(dv_mat **out, const dv_mat *a, dv_diag *d);
/* r rows of zeros above and below a, c columns on each side. */
int dv_op_pad(dv_mat **out, const dv_mat *a, size_t r, size_t c, dv_diag *d);
int dv_op_down(dv_mat **out, const dv_mat *a, size_t n, dv_pool pool, dv_diag *d);
int dv_op_up(dv_mat **out, const dv_mat *a, size_t n, dv_pool pool, dv_diag *d);
int dv_op_scale(dv_mat **out, const dv_mat *a, long long num, long long den, dv_diag *d);
int dv_op_sum(dv_mat **out, const dv_mat *a, dv_diag *d);
int dv_op_kron(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d);
int dv_op_hadamard(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d);
int dv_op_add(dv_mat **out, const dv_mat *a, const dv_mat *b, int sign, dv_diag *d);
int dv_op_matmul(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d);
/* a .^ n, element-wise, for a whole number n >= 0. */
int dv_op_power(dv_mat **out, const dv_mat *a, unsigned n, dv_diag *d);
/* f(a) or f'(a), element-wise. */
int dv_op_activate(dv_mat **out, const dv_mat *a, dv_act act, int deriv, dv_diag *d);

/*
 * [a b] (horizontal) or [a; b] (vertical): the blocks of one row must have
 * the same number of rows, stacked rows the same number of columns.
 */
int dv_op_concat(dv_mat **out, const dv_mat *a, const dv_mat *b, int vertical,
                 dv_diag *d);

#endif
