/*
 * plan: every linear and bilinear operation of the notes, described once by
 * which entries meet where.
 *
 * A plan lists, for each entry of the result (row-major), a few terms
 * (coefficient, entry of the left operand, entry of the right operand); an
 * index of -1 stands for 1, so a term can be c * A[a] * B[b], c * A[a],
 * c * B[b] or c.  The builders below derive a plan from shapes and options
 * alone; dv_plan_run executes it over any field (doubles in a tight loop,
 * polynomials through the field interface).  Nothing else in verify loops
 * over the entries of a convolution: the symbolic tables, the numbers and
 * the "which entries feed this one" relation all come from the same plan.
 *
 * Ownership: a builder hands out a plan freed with dv_plan_free.  Callers
 * read the fields; only this module writes them.  A plan is never changed
 * after it is built, so it can be shared: dv_plan_share counts another
 * owner, and dv_plan_free frees it when the last one lets go.
 */
#ifndef DV_PLAN_H
#define DV_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/field.h"
#include "core/mat.h"

/*
 * Most terms a plan run over polynomials may produce in its result, all
 * entries together (256 Ki terms, about 25 MB), counted before it runs.
 */
#define DV_MAX_SYMBOLIC_TERMS ((size_t)1 << 18)

/* The error of a symbolic run past DV_MAX_SYMBOLIC_TERMS (returns DV_E_LIMIT). */
int dv_plan_too_symbolic(dv_diag *d);

/* Largest plan built: 16 Mi terms (about 200 MB). */
#define DV_MAX_TERMS ((size_t)1 << 24)
#define DV_PLAN_MAX_COEFS 8

/*
 * Eight bytes, not twelve: a 64x64 convolution has 90,000 terms, and
 * bringing their pages into memory is a good part of a gradient check's
 * time (README, Performance).
 */
typedef struct dv_term {
	int32_t a;        /* entry of the left operand, -1 for none */
	signed int b : 28; /* entry of the right operand, -1 for none */
	unsigned c : 4;    /* index into the plan's coefficients */
} dv_term;
_Static_assert(DV_MAX_ENTRIES < ((size_t)1 << 27) && DV_PLAN_MAX_COEFS <= 16,
               "dv_term's fields hold every entry and coefficient index");

typedef struct dv_plan {
	size_t rows, cols;   /* shape of the result */
	size_t a_len, b_len; /* entries the operands must have (0: unused) */
	size_t *start;       /* rows * cols + 1 offsets into terms */
	dv_term *terms;
	size_t nterms, cap;
	dv_coef coefs[DV_PLAN_MAX_COEFS];
	size_t ncoefs;
	size_t owners; /* dv_plan_share and dv_plan_free count them */
} dv_plan;

typedef enum dv_mode { DV_MODE_VALID, DV_MODE_FULL, DV_MODE_SAME } dv_mode;

const char *dv_mode_name(dv_mode mode);

/*
 * Sliding a kernel over an input.  flip = 1 is true convolution (the kernel
 * rotated by 180 degrees, as conv2), flip = 0 cross-correlation (filter2).
 * The input is first padded with `pad` zeros on every side; the result is
 * the mode's result on the padded input, sampled every `stride` entries.
 * 'same' is centred as Octave's conv2: for an even kernel it keeps rows and
 * columns from floor(k/2) on of the full result.
 */
typedef struct dv_window {
	dv_mode mode;
	int flip;
	size_t stride; /* >= 1 */
	size_t pad;
} dv_window;

/* Pooling: how down() combines a block and how up() spreads an entry. */
typedef enum dv_pool { DV_POOL_SUM, DV_POOL_MEAN, DV_POOL_MAX } dv_pool;

const char *dv_pool_name(dv_pool pool);

void dv_plan_free(dv_plan *p);
/* p, with one more owner (each frees it once). */
dv_plan *dv_plan_share(dv_plan *p);

/* Left operand x (xr x xc), right operand the kernel (kr x kc). */
int dv_plan_window(dv_plan **out, size_t xr, size_t xc, size_t kr, size_t kc,
                   const dv_window *w, dv_diag *d);

/* One operand (rows x cols) rearranged: no right operand. */
int dv_plan_rot180(dv_plan **out, size_t rows, size_t cols, dv_diag *d);
int dv_plan_fliplr(dv_plan **out, size_t rows, size_t cols, dv_diag *d);
int dv_plan_flipud(dv_plan **out, size_t rows, size_t cols, dv_diag *d);
int dv_plan_transpose(dv_plan **out, size_t rows, size_t cols, dv_diag *d);
/* r rows of zeros above and below, c columns left and right. */
int dv_plan_pad(dv_plan **out, size_t rows, size_t cols, size_t r, size_t c, dv_diag *d);
/*
 * A framed: edge[] rows on top, rows at the bottom, columns on the left and
 * on the right, each added as zeros when positive and cut off when
 * negative (pad and crop are both frames).
 */
int dv_plan_frame(dv_plan **out, size_t rows, size_t cols, const long edge[4], dv_diag *d);
/* s - 1 zeros between neighbouring entries, in rows and columns (s >= 1). */
int dv_plan_dilate(dv_plan **out, size_t rows, size_t cols, size_t s, dv_diag *d);
/* Entry (i, j) of A (1-based), as a 1 x 1 result. */
int dv_plan_entry(dv_plan **out, size_t rows, size_t cols, size_t i, size_t j,
                  dv_diag *d);
/*
 * Sums (or averages) of n x n windows, s apart; s = 0 for blocks side by
 * side (rows and cols divisible by n).
 */
int dv_plan_down(dv_plan **out, size_t rows, size_t cols, size_t n, size_t s, dv_pool pool,
                 dv_diag *d);
/* kron(A, ones(n)), times 1/n^2 for DV_POOL_MEAN. */
int dv_plan_up(dv_plan **out, size_t rows, size_t cols, size_t n, dv_pool pool,
               dv_diag *d);
/* c * A, c = num / den. */
int dv_plan_scale(dv_plan **out, size_t rows, size_t cols, long long num, long long den,
                  dv_diag *d);
/* The sum of all entries, as a 1 x 1 result. */
int dv_plan_sum(dv_plan **out, size_t rows, size_t cols, dv_diag *d);
/*
 * outer after inner, as one plan over inner's operands: its terms are
 * outer's coefficients times inner's terms.  Only for an outer of one
 * operand that takes each entry of inner's result at most once, so that
 * the plan has no more terms than the two together; *out is NULL (and
 * DV_OK returned) when it is not done that way, or its coefficients would
 * not fit.  Over exact numbers the result is the two plans' result up to
 * the roundings in between, within the composed plan's own bound.
 */
int dv_plan_compose(dv_plan **out, const dv_plan *outer, const dv_plan *inner, dv_diag *d);

/* Two operands, A (ar x ac) and B (br x bc). */
int dv_plan_kron(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, dv_diag *d);
/* The element-wise product; a 1 x 1 side multiplies every entry. */
int dv_plan_hadamard(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc,
                     dv_diag *d);
/* A + sign * B; a 1 x 1 operand is added to every entry of the other. */
int dv_plan_add(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, int sign,
                dv_diag *d);
/* The matrix product, or the scalar product when either side is 1 x 1. */
int dv_plan_matmul(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, dv_diag *d);

/*
 * Max pooling depends on the numbers: the plan picks, in each n x n window
 * of the numeric matrix x (s apart, s = 0 for blocks side by side), the
 * first largest entry (row-major order on ties).
 */
int dv_plan_down_max(dv_plan **out, const dv_mat *x, size_t n, size_t s, dv_diag *d);
/*
 * Its backward step: an x-sized result over a drows x dcols operand (the
 * delta), each of whose entries goes to the entry dv_plan_down_max picks
 * in its window; where windows overlap and pick the same entry, they add.
 * assign builds instead the common mistake dx[window] = mask * d: each
 * window, in order, overwrites its whole window, so an entry keeps only
 * the last window over it (right only when windows do not overlap).
 */
int dv_plan_unpool(dv_plan **out, size_t drows, size_t dcols, const dv_mat *x, size_t n,
                   size_t s, int assign, dv_diag *d);

/*
 * Runs p.  b is NULL for one-operand plans.  Both operands must be of the
 * same field; the result is of that field.
 */
int dv_plan_run(dv_mat **out, const dv_plan *p, const dv_mat *a, const dv_mat *b,
                dv_diag *d);

#endif
