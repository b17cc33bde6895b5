/* Tests of the numeric core: every operation against the notes' example
 * worked by hand, against Octave's conv2/filter2 values, and against
 * identities that a missing flip or a transpose cannot pass. */
#include <math.h>
#include <stdlib.h>

#include <check.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <mpfr.h>

#include "core/ops.h"
#include "core/plan.h"
#include "testutil.h"

static dv_diag d;
static gsl_rng *rng;

static void setup(void)
{
	gsl_set_error_handler_off();
	dv_diag_clear(&d);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 20261127);
}

static void teardown(void)
{
	gsl_rng_free(rng);
}

static dv_mat *random_mat(size_t rows, size_t cols)
{
	dv_mat *m = NULL;
	ck_assert_int_eq(dv_mat_random(&m, rng, rows, cols, 1, &d), DV_OK);
	return m;
}

static dv_mat *window(const dv_mat *x, const dv_mat *k, dv_mode mode, int flip,
                      size_t stride, size_t pad)
{
	dv_window w = {mode, flip, stride, pad};
	dv_mat *out = NULL;
	int rc = dv_op_window(&out, x, k, &w, &d);
	ck_assert_msg(rc == DV_OK, "window: %s", d.message);
	return out;
}

static dv_mat *conv(const dv_mat *x, const dv_mat *k, dv_mode mode)
{
	return window(x, k, mode, 1, 1, 0);
}

static dv_mat *xcorr(const dv_mat *x, const dv_mat *k, dv_mode mode)
{
	return window(x, k, mode, 0, 1, 0);
}

static double inner(const dv_mat *a, const dv_mat *b)
{
	double s = 0;
	ck_assert(dv_mat_len(a) == dv_mat_len(b));
	for (size_t i = 0; i < dv_mat_len(a); i++)
		s += dv_mat_get(a, i) * dv_mat_get(b, i);
	return s;
}

/* The notes' 3x3 input and 2x2 kernel with numbers: x_ij = 3(i-1)+j. */
static const double X33[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
static const double K22[] = {1, 2, 3, 4};

START_TEST(test_conv_valid_matches_notes_example)
{
	dv_mat *x = tu_mat(3, 3, X33), *k = tu_mat(2, 2, K22), *a;
	const double x11 = 1, x12 = 2, x13 = 3, x21 = 4, x22 = 5, x23 = 6, x31 = 7,
	             x32 = 8, x33 = 9, k11 = 1, k12 = 2, k21 = 3, k22 = 4;
	/* The notes' table: a11 = x11k22 + x12k21 + x21k12 + x22k11, ... */
	const double want[] = {
	        x11 * k22 + x12 * k21 + x21 * k12 + x22 * k11,
	        x12 * k22 + x13 * k21 + x22 * k12 + x23 * k11,
	        x21 * k22 + x22 * k21 + x31 * k12 + x32 * k11,
	        x22 * k22 + x23 * k21 + x32 * k12 + x33 * k11,
	};
	a = conv(x, k, DV_MODE_VALID);
	tu_assert_mat(a, 2, 2, want, 0);
	ck_assert_double_eq(dv_mat_get(a, 0), 23); /* 4 + 6 + 8 + 5 */
	dv_mat_free(a);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_modes_match_octave_conv2)
{
	static const double xv[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
	                            11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
	static const double kv[] = {1, -2, 3, 4, 5, -6};
	/* conv2(X, K, 'full' | 'valid' | 'same') in Octave 7 */
	static const double full[] = {1,  0,  2,  4,   6,  2,   15, 10, 8,   28,  33,  38,
	                              8,  0,  35, 48,  53, 58,  63, 8,  -15, 60,  88,  78,
	                              83, 88, 8,  -30, 64, 148, 61, 64, 67,  -14, -120};
	static const double valid[] = {28, 33, 38, 53, 58, 63, 78, 83, 88};
	static const double same[] = {8,  28, 33, 38, 8, 48,  53, 58, 63, 8,
	                              88, 78, 83, 88, 8, 148, 61, 64, 67, -14};
	dv_mat *x = tu_mat(4, 5, xv), *k = tu_mat(2, 3, kv), *r;

	r = conv(x, k, DV_MODE_FULL);
	tu_assert_mat(r, 5, 7, full, 0);
	dv_mat_free(r);
	r = conv(x, k, DV_MODE_VALID);
	tu_assert_mat(r, 3, 3, valid, 0);
	dv_mat_free(r);
	r = conv(x, k, DV_MODE_SAME);
	tu_assert_mat(r, 4, 5, same, 0);
	dv_mat_free(r);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_xcorr_matches_octave_filter2)
{
	static const double xv[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
	                            11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
	static const double kv[] = {1, -2, 3, 4, 5, -6};
	static const double valid[] = {17, 22, 27, 42, 47, 52, 67, 72, 77};
	static const double same[] = {-8, 17, 22, 27, 80,  -8, 42, 47, 52, 120,
	                              -8, 67, 72, 77, 160, 19, 36, 38, 40, -21};
	dv_mat *x = tu_mat(4, 5, xv), *k = tu_mat(2, 3, kv), *r;

	r = xcorr(x, k, DV_MODE_VALID);
	tu_assert_mat(r, 3, 3, valid, 0);
	dv_mat_free(r);
	r = xcorr(x, k, DV_MODE_SAME);
	tu_assert_mat(r, 4, 5, same, 0);
	dv_mat_free(r);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_same_even_kernel_centres_as_conv2)
{
	/* A 4x2 kernel: conv2 keeps rows 3..6 (1-based) of the full result,
	 * where scipy's convolve2d would keep rows 2..5. */
	static const double xv[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
	                            11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
	static const double kv[] = {1, 2, 3, 4, 5, 6, 7, 8};
	static const double same[] = {95,  116, 137, 158, 100, 222, 258, 294, 330, 200,
	                              338, 371, 404, 437, 250, 353, 379, 405, 431, 240};
	dv_mat *x = tu_mat(4, 5, xv), *k = tu_mat(4, 2, kv), *r;

	r = conv(x, k, DV_MODE_SAME);
	tu_assert_mat(r, 4, 5, same, 0);
	dv_mat_free(r);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_is_xcorr_with_rotated_kernel)
{
	dv_mode modes[] = {DV_MODE_VALID, DV_MODE_FULL, DV_MODE_SAME};
	dv_mat *x = random_mat(4, 5), *k = random_mat(2, 3), *rk = NULL;

	ck_assert_int_eq(dv_op_rot180(&rk, k, &d), DV_OK);
	for (size_t i = 0; i < 3; i++) {
		dv_mat *a = conv(x, k, modes[i]), *b = xcorr(x, rk, modes[i]);
		dv_mat *wrong = xcorr(x, k, modes[i]);
		tu_assert_same(a, b, 1e-14);
		/* With a non-square, non-symmetric kernel the rotation matters. */
		ck_assert(fabs(dv_mat_get(a, 0) - dv_mat_get(wrong, 0)) > 1e-6 ||
		          fabs(dv_mat_get(a, 1) - dv_mat_get(wrong, 1)) > 1e-6);
		dv_mat_free(a);
		dv_mat_free(b);
		dv_mat_free(wrong);
	}
	dv_mat_free(x);
	dv_mat_free(k);
	dv_mat_free(rk);
}
END_TEST

START_TEST(test_conv_adjoint_is_full_xcorr)
{
	/* <conv(X,K), D> = <X, xcorr(D, K, 'full')>: how δ travels back. */
	dv_mat *x = random_mat(4, 5), *k = random_mat(2, 3), *dl = random_mat(3, 3);
	dv_mat *fwd = conv(x, k, DV_MODE_VALID), *back = xcorr(dl, k, DV_MODE_FULL);
	dv_mat *wrong = conv(dl, k, DV_MODE_FULL);

	ck_assert_uint_eq(back->rows, 4);
	ck_assert_uint_eq(back->cols, 5);
	ck_assert_double_eq_tol(inner(fwd, dl), inner(x, back), 1e-12);
	/* The notes' conv2(δ, K, 'full') is not the adjoint. */
	ck_assert(fabs(inner(fwd, dl) - inner(x, wrong)) > 1e-6);
	dv_mat_free(x);
	dv_mat_free(k);
	dv_mat_free(dl);
	dv_mat_free(fwd);
	dv_mat_free(back);
	dv_mat_free(wrong);
}
END_TEST

START_TEST(test_conv_sizes_of_each_mode)
{
	dv_mat *x = random_mat(6, 7), *k = random_mat(3, 2), *r;

	r = conv(x, k, DV_MODE_VALID);
	ck_assert(r->rows == 4 && r->cols == 6);
	dv_mat_free(r);
	r = conv(x, k, DV_MODE_FULL);
	ck_assert(r->rows == 8 && r->cols == 8);
	dv_mat_free(r);
	r = conv(x, k, DV_MODE_SAME);
	ck_assert(r->rows == 6 && r->cols == 7);
	dv_mat_free(r);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_pad_equals_conv_of_padded_input)
{
	dv_mat *x = random_mat(4, 5), *k = random_mat(2, 3), *px = NULL;
	dv_mat *a, *b;

	ck_assert_int_eq(dv_op_pad(&px, x, 2, 2, &d), DV_OK);
	ck_assert(px->rows == 8 && px->cols == 9);
	a = window(x, k, DV_MODE_VALID, 1, 1, 2);
	b = conv(px, k, DV_MODE_VALID);
	tu_assert_same(a, b, 0);
	dv_mat_free(a);
	dv_mat_free(b);
	dv_mat_free(px);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_stride_samples_the_dense_result)
{
	dv_mat *x = random_mat(7, 8), *k = random_mat(3, 2);
	dv_mat *dense = window(x, k, DV_MODE_FULL, 1, 1, 1);
	dv_mat *strided = window(x, k, DV_MODE_FULL, 1, 3, 1);

	ck_assert_uint_eq(strided->rows, (dense->rows - 1) / 3 + 1);
	ck_assert_uint_eq(strided->cols, (dense->cols - 1) / 3 + 1);
	for (size_t i = 0; i < strided->rows; i++)
		for (size_t j = 0; j < strided->cols; j++)
			ck_assert_double_eq(
			        dv_mat_get(strided, i * strided->cols + j),
			        dv_mat_get(dense, 3 * i * dense->cols + 3 * j));
	dv_mat_free(dense);
	dv_mat_free(strided);
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_conv_valid_rejects_larger_kernel)
{
	dv_mat *x = random_mat(2, 2), *k = random_mat(3, 3), *r = NULL;
	dv_window w = {DV_MODE_VALID, 1, 1, 0};

	ck_assert_int_eq(dv_op_window(&r, x, k, &w, &d), DV_E_SHAPE);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(d.message, "the 3x3 kernel is larger than the 2x2 input in "
	                            "'valid' mode (use 'full')");
	dv_mat_free(x);
	dv_mat_free(k);
}
END_TEST

START_TEST(test_rearrangements_on_non_square_matrix)
{
	static const double av[] = {1, 2, 3, 4, 5, 6};
	static const double rot[] = {6, 5, 4, 3, 2, 1};
	static const double lr[] = {3, 2, 1, 6, 5, 4};
	static const double ud[] = {4, 5, 6, 1, 2, 3};
	static const double tr[] = {1, 4, 2, 5, 3, 6};
	dv_mat *a = tu_mat(2, 3, av), *r = NULL, *s = NULL;

	ck_assert_int_eq(dv_op_rot180(&r, a, &d), DV_OK);
	tu_assert_mat(r, 2, 3, rot, 0);
	/* rot180 = flipud(fliplr(A)): "左右互换，再上下互换" */
	ck_assert_int_eq(dv_op_fliplr(&s, a, &d), DV_OK);
	tu_assert_mat(s, 2, 3, lr, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_flipud(&r, s, &d), DV_OK);
	tu_assert_mat(r, 2, 3, rot, 0);
	dv_mat_free(r);
	dv_mat_free(s);
	ck_assert_int_eq(dv_op_flipud(&r, a, &d), DV_OK);
	tu_assert_mat(r, 2, 3, ud, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_transpose(&r, a, &d), DV_OK);
	tu_assert_mat(r, 3, 2, tr, 0);
	dv_mat_free(r);
	dv_mat_free(a);
}
END_TEST

START_TEST(test_down_and_up_by_hand)
{
	static const double av[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
	                            13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
	static const double sum[] = {1 + 2 + 5 + 6,     3 + 4 + 7 + 8,
	                             9 + 10 + 13 + 14,  11 + 12 + 15 + 16,
	                             17 + 18 + 21 + 22, 19 + 20 + 23 + 24};
	static const double dv[] = {1, 2, 3, 4};
	static const double up_sum[] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
	dv_mat *a = tu_mat(6, 4, av), *r = NULL, *dl = tu_mat(2, 2, dv);

	ck_assert_int_eq(dv_op_down(&r, a, 2, DV_POOL_SUM, &d), DV_OK);
	tu_assert_mat(r, 3, 2, sum, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_down(&r, a, 2, DV_POOL_MEAN, &d), DV_OK);
	for (size_t i = 0; i < 6; i++)
		ck_assert_double_eq_tol(dv_mat_get(r, i), sum[i] / 4, 1e-15);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_up(&r, dl, 2, DV_POOL_SUM, &d), DV_OK);
	tu_assert_mat(r, 4, 4, up_sum, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_up(&r, dl, 2, DV_POOL_MEAN, &d), DV_OK);
	for (size_t i = 0; i < 16; i++)
		ck_assert_double_eq(dv_mat_get(r, i), up_sum[i] / 4);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_down(&r, a, 4, DV_POOL_SUM, &d), DV_E_SHAPE);
	ck_assert_str_eq(d.message, "a 6x4 matrix does not split into 4x4 blocks");
	dv_mat_free(a);
	dv_mat_free(dl);
}
END_TEST

START_TEST(test_up_and_down_undo_each_other)
{
	dv_mat *a = random_mat(3, 4), *u = NULL, *back = NULL;

	ck_assert_int_eq(dv_op_up(&u, a, 3, DV_POOL_MEAN, &d), DV_OK);
	ck_assert(u->rows == 9 && u->cols == 12);
	/* up 'mean' carries the 1/n^2 of mean pooling's derivative: it is the
	 * adjoint of down 'mean', so averaging its blocks again gives A/n^2,
	 * and it is down 'sum' that undoes it. */
	ck_assert_int_eq(dv_op_down(&back, u, 3, DV_POOL_MEAN, &d), DV_OK);
	for (size_t i = 0; i < dv_mat_len(a); i++)
		ck_assert_double_eq_tol(dv_mat_get(back, i), dv_mat_get(a, i) / 9, 1e-15);
	dv_mat_free(back);
	ck_assert_int_eq(dv_op_down(&back, u, 3, DV_POOL_SUM, &d), DV_OK);
	tu_assert_same(back, a, 1e-15);
	dv_mat_free(back);
	dv_mat_free(u);
	ck_assert_int_eq(dv_op_up(&u, a, 3, DV_POOL_SUM, &d), DV_OK);
	ck_assert_int_eq(dv_op_down(&back, u, 3, DV_POOL_MEAN, &d), DV_OK);
	tu_assert_same(back, a, 1e-15);
	dv_mat_free(back);
	dv_mat_free(u);
	dv_mat_free(a);
}
END_TEST

START_TEST(test_up_is_adjoint_of_down)
{
	/* <down(X), D> = <X, up(D)> for sum and for mean pooling. */
	dv_pool pools[] = {DV_POOL_SUM, DV_POOL_MEAN};
	for (size_t p = 0; p < 2; p++) {
		dv_mat *x = random_mat(4, 6), *dl = random_mat(2, 3), *dx = NULL,
		       *ud = NULL;
		ck_assert_int_eq(dv_op_down(&dx, x, 2, pools[p], &d), DV_OK);
		ck_assert_int_eq(dv_op_up(&ud, dl, 2, pools[p], &d), DV_OK);
		ck_assert_double_eq_tol(inner(dx, dl), inner(x, ud), 1e-13);
		dv_mat_free(x);
		dv_mat_free(dl);
		dv_mat_free(dx);
		dv_mat_free(ud);
	}
}
END_TEST

START_TEST(test_down_max_picks_first_largest)
{
	static const double av[] = {1, 5, 2, 2, 5, 3, 2, 2};
	static const double want[] = {5, 2};
	dv_mat *a = tu_mat(2, 4, av), *r = NULL;
	dv_plan *p = NULL;

	ck_assert_int_eq(dv_op_down(&r, a, 2, DV_POOL_MAX, &d), DV_OK);
	tu_assert_mat(r, 1, 2, want, 0);
	ck_assert_int_eq(dv_plan_down_max(&p, a, 2, 0, &d), DV_OK);
	/* ties: the first in row-major order (entries 1 and 4 hold 5) */
	ck_assert_int_eq(p->terms[p->start[0]].a, 1);
	ck_assert_int_eq(p->terms[p->start[1]].a, 2);
	dv_plan_free(p);
	dv_mat_free(r);
	dv_mat_free(a);
}
END_TEST

START_TEST(test_strided_pooling_windows)
{
	/* 5x5, 3x3 windows two apart: rows and columns 1-3 and 3-5 */
	static const double xv[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
	                            14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
	static const double sum[] = {63, 81, 153, 171}, top[] = {13, 15, 23, 25};
	dv_mat *x = tu_mat(5, 5, xv), *r = NULL;
	dv_plan *p = NULL;

	ck_assert_int_eq(dv_plan_down(&p, 5, 5, 3, 2, DV_POOL_SUM, &d), DV_OK);
	ck_assert_int_eq(dv_op_run(&r, p, x, NULL, &d), DV_OK);
	tu_assert_mat(r, 2, 2, sum, 0);
	dv_plan_free(p);
	dv_mat_free(r);
	ck_assert_int_eq(dv_plan_down_max(&p, x, 3, 2, &d), DV_OK);
	ck_assert_int_eq(dv_op_run(&r, p, x, NULL, &d), DV_OK);
	tu_assert_mat(r, 2, 2, top, 0);
	dv_plan_free(p);
	dv_mat_free(r);
	/* a window that does not fit, and blocks that do not tile */
	ck_assert_int_eq(dv_plan_down(&p, 2, 5, 3, 1, DV_POOL_SUM, &d), DV_E_SHAPE);
	ck_assert_str_eq(d.message, "a 3x3 window does not fit in a 2x5 matrix");
	ck_assert_int_eq(dv_plan_down_max(&p, x, 2, 0, &d), DV_E_SHAPE);
	ck_assert_str_eq(d.message, "a 5x5 matrix does not split into 2x2 blocks");
	dv_mat_free(x);
}
END_TEST

START_TEST(test_unpool_is_the_adjoint_of_max_pooling)
{
	/*
	 * For the windows max pooling picks in x: sum(unpool(D) .* Y) ==
	 * sum(D .* (Y at the picked entries)) for every D and Y, overlapping
	 * windows included; and where the centre is the largest of all four
	 * windows, the four deltas add there.
	 */
	static const double xv[] = {1, 0, 2, 0, 1, 0, 3, 0, 1, 0, 2, 0, 9,
	                            0, 2, 0, 1, 0, 3, 0, 1, 0, 2, 0, 1};
	static const double dvals[] = {1, 2, 3, 4};
	static const double centre[] = {0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 10,
	                                0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0};
	static const double last[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4,
	                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	dv_mat *x = tu_mat(5, 5, xv), *dm = tu_mat(2, 2, dvals), *r = NULL;
	dv_plan *p = NULL, *q = NULL;

	ck_assert_int_eq(dv_plan_unpool(&p, 2, 2, x, 3, 2, 0, &d), DV_OK);
	ck_assert_int_eq(dv_op_run(&r, p, dm, NULL, &d), DV_OK);
	tu_assert_mat(r, 5, 5, centre, 0);
	dv_mat_free(r);
	dv_plan_free(p);
	ck_assert_int_eq(dv_plan_unpool(&p, 2, 2, x, 3, 2, 1, &d), DV_OK);
	ck_assert_int_eq(dv_op_run(&r, p, dm, NULL, &d), DV_OK);
	tu_assert_mat(r, 5, 5, last, 0);
	dv_mat_free(r);
	dv_plan_free(p);
	ck_assert_int_eq(dv_plan_unpool(&p, 1, 2, x, 3, 2, 0, &d), DV_E_SHAPE);
	dv_mat_free(x);
	dv_mat_free(dm);

	for (int t = 0; t < 20; t++) {
		dv_mat *xr = NULL, *dr = NULL, *yr = NULL, *u = NULL, *m = NULL;
		double lhs = 0, rhs = 0;
		size_t rows = 5 + (size_t)t % 4, cols = 6 + (size_t)t % 3;
		size_t orows = (rows - 3) / 2 + 1, ocols = (cols - 3) / 2 + 1;
		ck_assert_int_eq(dv_mat_random(&xr, rng, rows, cols, 1, &d), DV_OK);
		ck_assert_int_eq(dv_mat_random(&yr, rng, rows, cols, 1, &d), DV_OK);
		ck_assert_int_eq(dv_mat_random(&dr, rng, orows, ocols, 1, &d), DV_OK);
		ck_assert_int_eq(dv_plan_unpool(&p, orows, ocols, xr, 3, 2, 0, &d), DV_OK);
		ck_assert_int_eq(dv_plan_down_max(&q, xr, 3, 2, &d), DV_OK);
		ck_assert_int_eq(dv_op_run(&u, p, dr, NULL, &d), DV_OK);
		ck_assert_int_eq(dv_op_run(&m, q, yr, NULL, &d), DV_OK);
		for (size_t i = 0; i < rows * cols; i++)
			lhs += dv_mat_get(u, i) * dv_mat_get(yr, i);
		for (size_t i = 0; i < orows * ocols; i++)
			rhs += dv_mat_get(dr, i) * dv_mat_get(m, i);
		ck_assert_double_eq_tol(lhs, rhs, 1e-12);
		dv_plan_free(p);
		dv_plan_free(q);
		dv_mat_free(xr);
		dv_mat_free(yr);
		dv_mat_free(dr);
		dv_mat_free(u);
		dv_mat_free(m);
	}
}
END_TEST

START_TEST(test_kron_hadamard_and_products)
{
	static const double av[] = {1, 2, 3, 4}, bv[] = {0, 5, 6, 7};
	static const double kr[] = {0, 5,  0, 10, 6,  7,  12, 14,
	                            0, 15, 0, 20, 18, 21, 24, 28};
	static const double hd[] = {0, 10, 18, 28};
	dv_mat *a = tu_mat(2, 2, av), *b = tu_mat(2, 2, bv), *r = NULL;

	ck_assert_int_eq(dv_op_kron(&r, a, b, &d), DV_OK);
	tu_assert_mat(r, 4, 4, kr, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_hadamard(&r, a, b, &d), DV_OK);
	tu_assert_mat(r, 2, 2, hd, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_sum(&r, a, &d), DV_OK);
	ck_assert_double_eq(dv_mat_get(r, 0), 10);
	dv_mat_free(r);
	dv_mat_free(a);
	dv_mat_free(b);
}
END_TEST

START_TEST(test_matmul_matches_gsl_blas)
{
	dv_mat *a = random_mat(3, 4), *b = random_mat(4, 2), *r = NULL;
	gsl_matrix *c = gsl_matrix_alloc(3, 2);
	/* GSL views over the numbers as they lie, row by row */
	gsl_matrix_view ga = gsl_matrix_view_array((double *)a->data, 3, 4);
	gsl_matrix_view gb = gsl_matrix_view_array((double *)b->data, 4, 2);

	ck_assert_int_eq(dv_op_matmul(&r, a, b, &d), DV_OK);
	ck_assert_int_eq(gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &ga.matrix,
	                                &gb.matrix, 0.0, c),
	                 GSL_SUCCESS);
	tu_assert_mat(r, 3, 2, c->data, 1e-14);
	gsl_matrix_free(c);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_matmul(&r, b, a, &d), DV_E_SHAPE);
	dv_mat_free(a);
	dv_mat_free(b);
}
END_TEST

START_TEST(test_add_broadcasts_scalars_and_checks_sizes)
{
	static const double av[] = {1, 2, 3, 4}, one[] = {10};
	static const double plus[] = {11, 12, 13, 14}, minus[] = {9, 8, 7, 6};
	dv_mat *a = tu_mat(2, 2, av), *s = tu_mat(1, 1, one), *r = NULL, *b;

	ck_assert_int_eq(dv_op_add(&r, a, s, 1, &d), DV_OK);
	tu_assert_mat(r, 2, 2, plus, 0);
	dv_mat_free(r);
	ck_assert_int_eq(dv_op_add(&r, s, a, -1, &d), DV_OK);
	tu_assert_mat(r, 2, 2, minus, 0);
	dv_mat_free(r);
	b = random_mat(3, 3);
	ck_assert_int_eq(dv_op_add(&r, a, b, 1, &d), DV_E_SHAPE);
	ck_assert_str_eq(d.message, "the sizes differ: 2x2 and 3x3");
	dv_mat_free(b);
	dv_mat_free(a);
	dv_mat_free(s);
}
END_TEST

typedef struct act_param {
	dv_act act;
} act_param;

static double act_at(double x, void *p)
{
	return dv_act_value(((act_param *)p)->act, x);
}

START_TEST(test_activation_derivatives_match_gsl_deriv_central)
{
	dv_act acts[] = {DV_ACT_IDENTITY, DV_ACT_SIGMOID, DV_ACT_TANH, DV_ACT_RELU};
	static const double xs[] = {-2.5, -0.3, 0.7, 3.1};
	for (size_t i = 0; i < 4; i++) {
		act_param p = {acts[i]};
		gsl_function f = {act_at, &p};
		for (size_t j = 0; j < 4; j++) {
			double num, err;
			ck_assert_int_eq(gsl_deriv_central(&f, xs[j], 1e-4, &num, &err),
			                 GSL_SUCCESS);
			ck_assert_msg(err < 1e-8, "%s at %g: error estimate %g",
			              dv_act_name(acts[i]), xs[j], err);
			ck_assert_double_eq_tol(dv_act_derivative(acts[i], xs[j]), num,
			                        1e-8);
		}
	}
	/* sigmoid stays finite far out, where a naive 1/(1+exp(-x)) is fine
	 * but exp(x)/(1+exp(x)) would overflow */
	ck_assert_double_eq(dv_act_value(DV_ACT_SIGMOID, 800), 1.0);
	ck_assert_double_eq(dv_act_value(DV_ACT_SIGMOID, -800), 0.0);
}
END_TEST

/* act(x + dx) - act(x) in 256-bit arithmetic, x + dx formed exactly. */
static double change_exact(dv_act act, double x, double dx)
{
	mpfr_t y, fy, fx;
	double r;
	mpfr_inits2(256, y, fy, fx, (mpfr_ptr)0);
	mpfr_set_d(y, x, MPFR_RNDN);
	mpfr_add_d(y, y, dx, MPFR_RNDN);
	mpfr_set_d(fx, x, MPFR_RNDN);
	if (act == DV_ACT_SIGMOID) {
		/* s(t) = 1 / (1 + e^-t) */
		mpfr_neg(fy, y, MPFR_RNDN);
		mpfr_exp(fy, fy, MPFR_RNDN);
		mpfr_add_ui(fy, fy, 1, MPFR_RNDN);
		mpfr_ui_div(fy, 1, fy, MPFR_RNDN);
		mpfr_neg(fx, fx, MPFR_RNDN);
		mpfr_exp(fx, fx, MPFR_RNDN);
		mpfr_add_ui(fx, fx, 1, MPFR_RNDN);
		mpfr_ui_div(fx, 1, fx, MPFR_RNDN);
	} else if (act == DV_ACT_EXP) {
		mpfr_exp(fy, y, MPFR_RNDN);
		mpfr_exp(fx, fx, MPFR_RNDN);
	} else if (act == DV_ACT_LOG) {
		mpfr_log(fy, y, MPFR_RNDN);
		mpfr_log(fx, fx, MPFR_RNDN);
	} else {
		mpfr_ui_div(fy, 1, y, MPFR_RNDN);
		mpfr_ui_div(fx, 1, fx, MPFR_RNDN);
	}
	mpfr_sub(fy, fy, fx, MPFR_RNDN);
	r = mpfr_get_d(fy, MPFR_RNDN);
	mpfr_clears(y, fy, fx, (mpfr_ptr)0);
	return r;
}

/*
 * The change of sigmoid, which finite differences are built from, is
 * within the rounding the verdicts charge it, (10 + |x| + |x + dx|) units
 * of 2^-53 (fd.c, smooth_bound): for the tiny steps of finite
 * differences, on both sides of the step where it stops calling expm1,
 * and for ordinary ones.
 */
START_TEST(test_sigmoid_changes_are_within_their_bound)
{
	static const double xs[] = {-40, -7.5, -1, -0.3, 0, 1e-3, 0.7, 2, 12, 35};
	static const double dxs[] = {1e-14,     1e-10,     3e-9,          0x1p-27,
	                             0x1.0000000000001p-27, 0x1.fffffffffffffp-28,
	                             1e-7,      1e-5,      0.01,          0.5};
	const double u = 0x1p-53;
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		dv_act_aux aux = dv_act_change_aux(DV_ACT_SIGMOID, xs[i]);
		for (size_t j = 0; j < sizeof dxs / sizeof dxs[0]; j++) {
			for (int sign = -1; sign <= 1; sign += 2) {
				double x = xs[i], dx = sign * dxs[j];
				double lanes[2] = {dx, -dx}, out[2];
				double want = change_exact(DV_ACT_SIGMOID, x, dx);
				double got = dv_act_change_at(DV_ACT_SIGMOID, x, &aux, dx);
				double allowed = (10.0 + fabs(x) + fabs(x + dx)) * u * fabs(want);
				ck_assert_msg(fabs(got - want) <= allowed,
				              "s(%g + %a) - s(%g): %.17g, exactly %.17g", x, dx, x,
				              got, want);
				/* the lanes of finite differences are the same numbers */
				dv_act_change_lanes(DV_ACT_SIGMOID, x, &aux, lanes, out, 2);
				ck_assert(out[0] == got);
				ck_assert(out[1] == dv_act_change_at(DV_ACT_SIGMOID, x, &aux, -dx));
			}
		}
	}
}
END_TEST

/*
 * The changes of exp, log and 1/x that finite differences are built from
 * (a division's 1/b too) are within the rounding fd.c charges them: ten
 * units of 2^-53 of the change, and for log the rounding of dx / x inside
 * log1p, 2 u |dx| / min(x, x + dx).
 */
START_TEST(test_exp_log_recip_changes_are_within_their_bound)
{
	static const double xs[] = {-30, -5, -1, -1e-3, 1e-6, 1e-3, 0.1, 0.7, 1,
	                            2.5, 20,  600, 1e3, 1e8};
	static const double dxs[] = {1e-14, 1e-10, 0x1p-27, 1e-7, 1e-5, 0.01, 0.5};
	static const dv_act acts[] = {DV_ACT_EXP, DV_ACT_LOG, DV_ACT_RECIP};
	const double u = 0x1p-53;
	for (size_t a = 0; a < 3; a++)
		for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
			for (size_t j = 0; j < sizeof dxs / sizeof dxs[0]; j++)
				for (int sign = -1; sign <= 1; sign += 2) {
					dv_act act = acts[a];
					double x = xs[i], dx = sign * dxs[j], y = x + dx;
					dv_act_aux aux = dv_act_change_aux(act, x);
					double want, got, allowed;
					if ((act == DV_ACT_LOG && !(x > 0 && y > 0)) ||
					    (act == DV_ACT_RECIP && !(x * y > 0)) ||
					    (act == DV_ACT_EXP && x > 700))
						continue;
					want = change_exact(act, x, dx);
					got = dv_act_change_at(act, x, &aux, dx);
					allowed = 10.0 * u * fabs(want);
					if (act == DV_ACT_LOG)
						allowed += 2.0 * u * fabs(dx) / fmin(x, y);
					ck_assert_msg(fabs(got - want) <= allowed,
					              "%s(%g + %a) - %s(%g): %.17g, exactly %.17g",
					              dv_act_name(act), x, dx, dv_act_name(act), x,
					              got, want);
				}
}
END_TEST

/*
 * Exact operands (given or random numbers) take a shorter loop than those
 * carrying bounds: the numbers and scales must be the same, bit for bit,
 * and the bounds differ only by what the carried bound adds.
 */
START_TEST(test_exact_operands_give_the_numbers_bounded_ones_do)
{
	static const dv_mode modes[] = {DV_MODE_VALID, DV_MODE_FULL, DV_MODE_SAME};
	for (size_t m = 0; m < 3; m++) {
		dv_mat *x = random_mat(9, 7), *k = random_mat(3, 4), *bx = NULL;
		dv_mat *exact, *bounded;
		ck_assert_int_eq(dv_mat_copy(&bx, x, &d), DV_OK);
		ck_assert_int_eq(dv_mat_track(bx, &d), DV_OK);
		bx->bound[4] = 1e-300; /* no longer exact: the long way */
		exact = window(x, k, modes[m], 1, 1, 0);
		bounded = window(bx, k, modes[m], 1, 1, 0);
		for (size_t i = 0; i < dv_mat_len(exact); i++) {
			ck_assert(dv_mat_get(exact, i) == dv_mat_get(bounded, i));
			ck_assert(dv_mat_scale_at(exact, i) == dv_mat_scale_at(bounded, i));
			ck_assert(dv_mat_bound_at(exact, i) <= dv_mat_bound_at(bounded, i));
			ck_assert(dv_mat_bound_at(bounded, i) <=
			          dv_mat_bound_at(exact, i) + 1e-290);
			/* and the bound covers the rounding: it is not zero */
			ck_assert(dv_mat_bound_at(exact, i) > 0.0);
		}
		dv_mat_free(x);
		dv_mat_free(k);
		dv_mat_free(bx);
		dv_mat_free(exact);
		dv_mat_free(bounded);
	}
}
END_TEST

/* outer run over the result of inner run over a and b. */
static dv_mat *in_turn(const dv_plan *outer, const dv_plan *inner, const dv_mat *a,
                       const dv_mat *b)
{
	dv_mat *mid = NULL, *out = NULL;
	ck_assert_int_eq(dv_op_run(&mid, inner, a, b, &d), DV_OK);
	ck_assert_int_eq(dv_op_run(&out, outer, mid, NULL, &d), DV_OK);
	dv_mat_free(mid);
	return out;
}

/*
 * A composed plan is its two plans in turn: the same numbers, to within
 * the bounds of both ways of computing them, with coefficients multiplied
 * (the mean's 1/4 after a third: 1/12), and never more terms than the
 * inner plan has; an outer plan that uses an entry twice is not composed.
 */
START_TEST(test_composed_plans_are_their_plans_in_turn)
{
	dv_mat *x = random_mat(6, 8), *dm = random_mat(6, 8);
	dv_plan *had = NULL, *third = NULL, *mean = NULL, *sum = NULL;
	dv_plan *p = NULL;
	struct {
		const dv_plan *outer, *inner;
		const dv_mat *b;
	} cases[3];
	ck_assert_int_eq(dv_plan_hadamard(&had, 6, 8, 6, 8, &d), DV_OK);
	ck_assert_int_eq(dv_plan_scale(&third, 6, 8, 1, 3, &d), DV_OK);
	ck_assert_int_eq(dv_plan_down(&mean, 6, 8, 2, 0, DV_POOL_MEAN, &d), DV_OK);
	ck_assert_int_eq(dv_plan_sum(&sum, 6, 8, &d), DV_OK);
	cases[0].outer = sum, cases[0].inner = had, cases[0].b = dm;
	cases[1].outer = mean, cases[1].inner = third, cases[1].b = NULL;
	cases[2].outer = mean, cases[2].inner = had, cases[2].b = dm;
	for (size_t i = 0; i < 3; i++) {
		dv_mat *two = in_turn(cases[i].outer, cases[i].inner, x, cases[i].b);
		dv_mat *one = NULL;
		ck_assert_int_eq(dv_plan_compose(&p, cases[i].outer, cases[i].inner, &d),
		                 DV_OK);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_le(p->nterms, cases[i].inner->nterms);
		ck_assert_int_eq(dv_op_run(&one, p, x, cases[i].b, &d), DV_OK);
		ck_assert_uint_eq(one->rows, two->rows);
		ck_assert_uint_eq(one->cols, two->cols);
		for (size_t e = 0; e < dv_mat_len(one); e++)
			ck_assert_msg(fabs(dv_mat_get(one, e) - dv_mat_get(two, e)) <=
			                      dv_mat_bound_at(one, e) + dv_mat_bound_at(two, e),
			              "case %zu entry %zu: %.17g and %.17g", i, e,
			              dv_mat_get(one, e), dv_mat_get(two, e));
		if (i == 1) {
			ck_assert_uint_eq(p->ncoefs, 1);
			ck_assert(p->coefs[0].num == 1 && p->coefs[0].den == 12);
		}
		dv_plan_free(p);
		dv_mat_free(one);
		dv_mat_free(two);
	}
	{
		/* up copies each entry into four: not composed after anything */
		dv_plan *up34 = NULL, *scale34 = NULL;
		ck_assert_int_eq(dv_plan_up(&up34, 3, 4, 2, DV_POOL_SUM, &d), DV_OK);
		ck_assert_int_eq(dv_plan_scale(&scale34, 3, 4, 2, 1, &d), DV_OK);
		ck_assert_int_eq(dv_plan_compose(&p, up34, scale34, &d), DV_OK);
		ck_assert_ptr_null(p);
		/* but a sum after it takes each of its entries once */
		ck_assert_int_eq(dv_plan_compose(&p, sum, up34, &d), DV_OK);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(p->nterms, up34->nterms);
		dv_plan_free(p);
		/* shapes that do not meet */
		ck_assert_int_eq(dv_plan_compose(&p, sum, scale34, &d), DV_OK);
		ck_assert_ptr_null(p);
		dv_plan_free(up34);
		dv_plan_free(scale34);
	}
	dv_plan_free(had);
	dv_plan_free(third);
	dv_plan_free(mean);
	dv_plan_free(sum);
	dv_mat_free(x);
	dv_mat_free(dm);
}
END_TEST

START_TEST(test_limits_refuse_before_allocating)
{
	dv_mat *m = NULL;
	dv_plan *p = NULL;
	dv_window w = {DV_MODE_FULL, 1, 1, 0};

	ck_assert_int_eq(dv_mat_new(&m, &dv_field_double, 100000, 100000, &d),
	                 DV_E_LIMIT);
	ck_assert_str_eq(d.message, "a matrix would be 100000x100000; the limit is "
	                            "1048576 entries");
	ck_assert_int_eq(dv_plan_window(&p, 2000, 2000, 100, 100, &w, &d), DV_E_LIMIT);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(dv_mat_new(&m, &dv_field_double, 0, 3, &d), DV_E_SHAPE);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("operations");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_conv_valid_matches_notes_example);
	tcase_add_test(tc, test_conv_modes_match_octave_conv2);
	tcase_add_test(tc, test_xcorr_matches_octave_filter2);
	tcase_add_test(tc, test_conv_same_even_kernel_centres_as_conv2);
	tcase_add_test(tc, test_conv_is_xcorr_with_rotated_kernel);
	tcase_add_test(tc, test_conv_adjoint_is_full_xcorr);
	tcase_add_test(tc, test_conv_sizes_of_each_mode);
	tcase_add_test(tc, test_conv_pad_equals_conv_of_padded_input);
	tcase_add_test(tc, test_conv_stride_samples_the_dense_result);
	tcase_add_test(tc, test_conv_valid_rejects_larger_kernel);
	tcase_add_test(tc, test_rearrangements_on_non_square_matrix);
	tcase_add_test(tc, test_down_and_up_by_hand);
	tcase_add_test(tc, test_up_and_down_undo_each_other);
	tcase_add_test(tc, test_up_is_adjoint_of_down);
	tcase_add_test(tc, test_down_max_picks_first_largest);
	tcase_add_test(tc, test_strided_pooling_windows);
	tcase_add_test(tc, test_unpool_is_the_adjoint_of_max_pooling);
	tcase_add_test(tc, test_kron_hadamard_and_products);
	tcase_add_test(tc, test_matmul_matches_gsl_blas);
	tcase_add_test(tc, test_add_broadcasts_scalars_and_checks_sizes);
	tcase_add_test(tc, test_activation_derivatives_match_gsl_deriv_central);
	tcase_add_test(tc, test_sigmoid_changes_are_within_their_bound);
	tcase_add_test(tc, test_exp_log_recip_changes_are_within_their_bound);
	tcase_add_test(tc, test_exact_operands_give_the_numbers_bounded_ones_do);
	tcase_add_test(tc, test_composed_plans_are_their_plans_in_turn);
	tcase_add_test(tc, test_limits_refuse_before_allocating);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
