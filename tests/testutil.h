/*
 * testutil: assertions that print what was expected and what came out,
 * entry by entry, instead of "false".
 */
#ifndef DV_TESTUTIL_H
#define DV_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/mat.h"

/* A double matrix from a row-major literal; aborts the test on failure. */
static inline dv_mat *tu_mat(size_t rows, size_t cols, const double *v)
{
	dv_mat *m = NULL;
	dv_diag d;
	dv_diag_clear(&d);
	if (dv_mat_from_doubles(&m, rows, cols, v, &d) != DV_OK)
		ck_abort_msg("tu_mat: %s", d.message);
	return m;
}

static inline void tu_print(char *buf, size_t size, const dv_mat *m)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < dv_mat_len(m) && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%.17g%s",
		                 i % m->cols == 0 ? "  [" : "", dv_mat_get(m, i),
		                 i % m->cols == m->cols - 1 ? "]\n" : " ");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* got must be rows x cols and equal to want within tol per entry. */
#define tu_assert_mat(got, rows, cols, want, tol)                                        \
	tu_assert_mat_at(__FILE__, __LINE__, (got), (rows), (cols), (want), (tol))

static inline void tu_assert_mat_at(const char *file, int line, const dv_mat *got,
                                    size_t rows, size_t cols, const double *want,
                                    double tol)
{
	char a[4096], b[4096];
	ck_assert_msg(got != NULL, "%s:%d: no matrix", file, line);
	if (got->rows != rows || got->cols != cols)
		ck_abort_msg("%s:%d: expected a %zux%zu matrix but got %zux%zu", file,
		             line, rows, cols, got->rows, got->cols);
	for (size_t i = 0; i < rows * cols; i++) {
		double g = dv_mat_get(got, i);
		if (!(fabs(g - want[i]) <= tol)) {
			dv_mat *w = tu_mat(rows, cols, want);
			tu_print(a, sizeof a, w);
			tu_print(b, sizeof b, got);
			dv_mat_free(w);
			ck_abort_msg("%s:%d: entry (%zu,%zu) is %.17g, expected %.17g "
			             "(tolerance %g)\nexpected:\n%sgot:\n%s",
			             file, line, i / cols + 1, i % cols + 1, g, want[i],
			             tol, a, b);
		}
	}
}

/* Two matrices of the same shape, equal within tol. */
static inline void tu_assert_same(const dv_mat *got, const dv_mat *want, double tol)
{
	ck_assert_msg(want != NULL && got != NULL, "missing matrix");
	tu_assert_mat_at(__FILE__, __LINE__, got, want->rows, want->cols,
	                 (const double *)want->data, tol);
}

#endif
