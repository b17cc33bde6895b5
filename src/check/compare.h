/*
 * compare: the verdict of a comparison, holds, fails or inconclusive, and
 * the bound behind it.
 *
 * Symbolic sides are compared exactly (canonical polynomials, equal for
 * every input of that size).  Numeric sides carry, entry by entry, a bound
 * on their distance from the exact real result and the scale of the terms
 * they were computed from (mat.h).  Two numbers are then
 *
 *   fails         when they differ by more than their bounds together:
 *                 the exact results differ, whatever the rounding;
 *   holds         when they agree within their bounds, and the bounds are
 *                 tight enough to see a difference of DV_RESOLUTION times
 *                 the scale of the terms;
 *   inconclusive  when they agree only because the bounds are too loose
 *                 to tell (or a number overflowed).
 *
 * No tolerance is a fixed constant of the comparison: the bound comes from
 * the computation that made the numbers.  DV_RESOLUTION is what a verdict
 * must be able to resolve to count as one.
 */
#ifndef DV_CHECK_COMPARE_H
#define DV_CHECK_COMPARE_H

#include <stddef.h>

#include "core/diag.h"
#include "core/mat.h"

/* A "holds" must resolve relative differences this small. */
#define DV_RESOLUTION 1e-6

typedef enum dv_verdict {
	DV_VERDICT_HOLDS,
	DV_VERDICT_FAILS,
	DV_VERDICT_INCONCLUSIVE,
} dv_verdict;

const char *dv_verdict_name(dv_verdict v);

/* One pair of numbers judged. */
typedef struct dv_entry_verdict {
	dv_verdict verdict;
	double diff;  /* |a - b| */
	double bound; /* how far apart rounding alone can put them */
	double scale; /* the size of the terms behind them */
} dv_entry_verdict;

dv_entry_verdict dv_compare_numbers(double a, double bound_a, double scale_a, double b,
                                    double bound_b, double scale_b, double tol);

/*
 * The outcome of comparing two matrices.  row, col name the first entry
 * that fails, or when none fails, the first that is inconclusive.
 */
typedef struct dv_check {
	dv_verdict verdict;
	int holds; /* verdict == DV_VERDICT_HOLDS */
	int exact;
	int shape_differs;
	size_t row, col;     /* 1-based; 0 if none */
	double max_abs;      /* numeric: the largest |a - b| */
	double max_bound;    /* numeric: the largest bound */
	double max_rel;      /* numeric: the largest |a - b| / (|a| + |b|) */
	double worst_ratio;  /* numeric: the largest |a - b| / bound */
	dv_entry_verdict at; /* numeric: the entry at (row, col) */
} dv_check;

/*
 * Compares a and b entry by entry: exactly when either is symbolic.  tol is
 * a looser agreement the user asked for (equal(A, B, tol)): numbers then
 * also agree within tol (|a| + |b|).  0 for none.
 */
int dv_compare(dv_check *c, const dv_mat *a, const dv_mat *b, double tol, dv_diag *d);

#endif
