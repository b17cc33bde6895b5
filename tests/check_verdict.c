/*
 * Tests of the numeric verdicts (check/compare.c, expr/fd.c): a verdict
 * never calls a true statement false nor a wrong gradient right, whatever
 * the loss's magnitude, a constant in it, or the size of the gradient.
 * Each property is tried at many seeds, with non-square inputs and kernels.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "check/compare.h"
#include "expr/eval.h"
#include "expr/fd.h"
#include "expr/parser.h"
#include "testutil.h"

#define SEEDS 40

static dv_diag d;
static dv_env *env;

/* X 5x6, K 2x3 (even and odd sides), D the size of conv(X, K): 4x4. */
static void with_seed(unsigned long seed)
{
	static const char *const vars[][2] = {
	        {"X", "randn(5, 6)"}, {"K", "randn(2, 3)"}, {"D", "randn(4, 4)"}};
	dv_env_free(env);
	dv_diag_clear(&d);
	ck_assert_int_eq(dv_env_new(&env, seed, &d), DV_OK);
	for (size_t i = 0; i < 3; i++) {
		dv_value v;
		ck_assert_int_eq(dv_eval_string(&v, vars[i][1], env, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(env, vars[i][0], v.mat, &d), DV_OK);
	}
}

static void setup(void)
{
	gsl_set_error_handler_off();
	env = NULL;
	with_seed(1);
}

static void teardown(void)
{
	dv_env_free(env);
	env = NULL;
}

/* The verdict of src, an equal(...), at the current numbers. */
static dv_verdict verdict(const char *src)
{
	dv_value v;
	dv_verdict r;
	int rc = dv_eval_string(&v, src, env, &d);
	ck_assert_msg(rc == DV_OK, "%s: %s", src, d.message);
	ck_assert_int_eq(v.kind, DV_V_CHECK);
	r = v.check.verdict;
	dv_value_clear(&v);
	return r;
}

static void expect(const char *src, dv_verdict want)
{
	for (unsigned long s = 1; s <= SEEDS; s++) {
		dv_verdict got;
		with_seed(s);
		got = verdict(src);
		ck_assert_msg(got == want, "seed %lu: %s %s, expected it to %s", s, src,
		              dv_verdict_name(got), dv_verdict_name(want));
	}
}

START_TEST(test_exact_identity_minus_itself_is_zero)
{
	expect("equal(conv(X, K) - xcorr(X, rot180(K)), zeros(4, 4))", DV_VERDICT_HOLDS);
	expect("equal(conv(X, K, 'full') - xcorr(X, rot180(K), 'full'), 0 * ones(6, 8))",
	       DV_VERDICT_HOLDS);
	expect("equal(sum(X .* X) - sum(X' .* X'), 0)", DV_VERDICT_HOLDS);
	/* and a wrong one is not zero */
	expect("equal(conv(X, K) - xcorr(X, K), zeros(4, 4))", DV_VERDICT_FAILS);
}
END_TEST

START_TEST(test_tiny_gradient_beside_a_unit_loss_holds)
{
	expect("equal(grad(sum(X .* X) + 1e-12 * sum(K), K), 1e-12 * ones(2, 3))",
	       DV_VERDICT_HOLDS);
	expect("equal(grad(sum(D .* conv(X, K)) + 1e-12 * sum(X .* X), X), "
	       "xcorr(D, K, 'full') + 2e-12 * X)",
	       DV_VERDICT_HOLDS);
	/* a tiny gradient is still seen to be wrong */
	expect("equal(grad(sum(X .* X) + 1e-12 * sum(K), K), 2e-12 * ones(2, 3))",
	       DV_VERDICT_FAILS);
}
END_TEST

START_TEST(test_a_constant_in_the_loss_changes_no_verdict)
{
	static const char *const offsets[] = {"0", "1e6", "5000", "1e12"};
	char src[256];
	for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
		snprintf(src, sizeof src,
		         "equal(grad(%s + sum(D .* conv(X, K)), K), rot180(xcorr(X, D)))",
		         offsets[i]);
		expect(src, DV_VERDICT_HOLDS);
		snprintf(src, sizeof src,
		         "equal(grad(%s + sum(D .* conv(X, K)), K), xcorr(X, D))",
		         offsets[i]);
		expect(src, DV_VERDICT_FAILS);
		snprintf(src, sizeof src,
		         "equal(grad(%s + sum(D .* sigmoid(conv(X, K))), X), "
		         "xcorr(D .* dsigmoid(conv(X, K)), K, 'full'))",
		         offsets[i]);
		expect(src, DV_VERDICT_HOLDS);
	}
}
END_TEST

START_TEST(test_a_gradient_off_by_1e5_fails_at_every_scale)
{
	static const char *const scales[] = {"1e-7", "1", "1e7"};
	static const char *const offsets[] = {"0", "5000", "1e6"};
	char src[256];
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			snprintf(src, sizeof src,
			         "equal(grad(%s + %s * sum(D .* conv(X, K)), K), "
			         "(1 + 1e-5) * %s * rot180(xcorr(X, D)))",
			         offsets[j], scales[i], scales[i]);
			expect(src, DV_VERDICT_FAILS);
			snprintf(src, sizeof src,
			         "equal(grad(%s + %s * sum(D .* conv(X, K)), K), "
			         "%s * rot180(xcorr(X, D)))",
			         offsets[j], scales[i], scales[i]);
			expect(src, DV_VERDICT_HOLDS);
		}
	}
}
END_TEST

START_TEST(test_a_missing_flip_scaled_by_1e7_fails)
{
	expect("equal(grad(5000 + 1e-7 * sum(D .* conv(X, K)), K), 1e-7 * xcorr(X, D))",
	       DV_VERDICT_FAILS);
	expect("equal(grad(5000 + 1e-7 * sum(D .* conv(X, K)), X), "
	       "1e-7 * conv(D, K, 'full'))",
	       DV_VERDICT_FAILS);
	expect("equal(grad(5000 + 1e-7 * sum(D .* conv(X, K)), X), "
	       "1e-7 * xcorr(D, K, 'full'))",
	       DV_VERDICT_HOLDS);
	/* a gradient claimed to be zero where it is 5e-7 */
	expect("equal(grad(5500 + 0.0000005 * sum(K), K), zeros(2, 3))",
	       DV_VERDICT_FAILS);
}
END_TEST

START_TEST(test_overflow_is_never_a_pass)
{
	ck_assert_int_eq(verdict("equal(1e308, -1e308)"), DV_VERDICT_FAILS);
	ck_assert_int_eq(verdict("equal(1e308 * 10, 1e308 * 10)"),
	                 DV_VERDICT_INCONCLUSIVE);
	ck_assert_int_eq(verdict("equal(0.1 + 0.2, 0.3)"), DV_VERDICT_HOLDS);
}
END_TEST

START_TEST(test_bounds_cover_the_rounding)
{
	/* an entry's bound covers its distance from the exact result */
	dv_value v;
	ck_assert_int_eq(dv_eval_string(&v, "sum([1e16 1 -1e16])", env, &d), DV_OK);
	/* the exact sum is 1; double precision says 0 */
	ck_assert(fabs(dv_mat_get(v.mat, 0) - 1.0) <= dv_mat_bound_at(v.mat, 0));
	dv_value_clear(&v);
	ck_assert_int_eq(verdict("equal(sum([1e16 1 -1e16]), 0)"), DV_VERDICT_HOLDS);
	ck_assert_int_eq(verdict("equal(sum([1e16 1 -1e16]), 1)"), DV_VERDICT_HOLDS);
}
END_TEST

/* Every entry of grad(loss, X) differenced locally, by the doubles alone. */
static void expect_local(const char *loss_src)
{
	dv_node *loss = NULL;
	dv_mat *g = NULL;
	dv_fd_entry *e = NULL;
	ck_assert_int_eq(dv_parse(&loss, loss_src, &d), DV_OK);
	ck_assert_msg(dv_fd_grad(&g, &e, loss, "X", env, &d) == DV_OK, "%s: %s",
	              loss_src, d.message);
	for (size_t i = 0; i < dv_mat_len(g); i++)
		ck_assert_msg(e[i].local && e[i].bits == 53, "%s: entry %zu", loss_src, i);
	dv_mat_free(g);
	free(e);
	dv_node_free(loss);
}

START_TEST(test_differences_are_local_where_plans_reach)
{
	dv_node *loss = NULL;
	dv_mat *g = NULL;
	dv_fd_entry *e = NULL;
	ck_assert_int_eq(dv_parse(&loss, "3 + sum(D .* sigmoid(conv(X, K))) / 2", &d),
	                 DV_OK);
	ck_assert_int_eq(dv_fd_grad(&g, &e, loss, "X", env, &d), DV_OK);
	for (size_t i = 0; i < dv_mat_len(g); i++)
		ck_assert(e[i].local);
	dv_mat_free(g);
	free(e);
	dv_node_free(loss);
	/* max pooling follows each block's largest entry locally too */
	with_seed(3);
	{
		dv_value v;
		ck_assert_int_eq(dv_eval_string(&v, "randn(4, 6)", env, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(env, "X", v.mat, &d), DV_OK);
	}
	expect_local("sum(down(X, 2, 'max') .^ 2)");
	/* a matrix literal of the variable has no plan: differenced whole */
	ck_assert_int_eq(dv_parse(&loss, "sum([X; X] .* [X; X])", &d), DV_OK);
	ck_assert_int_eq(dv_fd_grad(&g, &e, loss, "X", env, &d), DV_OK);
	ck_assert(!e[0].local);
	dv_mat_free(g);
	free(e);
	dv_node_free(loss);
}
END_TEST

/*
 * Softmax with cross-entropy: exp, log and a division by a moving sum are
 * differenced locally too, by the doubles alone, and judged as tightly as
 * any plan: a 1e-5 relative error fails, a constant added changes nothing.
 */
START_TEST(test_softmax_is_differenced_locally)
{
	expect_local("-sum(ones(5, 6) .* log(exp(X) / sum(exp(X)))) / 30");
	expect("equal(grad(-sum(ones(5, 6) .* log(exp(X) / sum(exp(X)))) / 30, X), "
	       "exp(X) / sum(exp(X)) - ones(5, 6) / 30)",
	       DV_VERDICT_HOLDS);
	expect("equal(grad(1e6 - sum(ones(5, 6) .* log(exp(X) / sum(exp(X)))) / 30, X), "
	       "exp(X) / sum(exp(X)) - ones(5, 6) / 30)",
	       DV_VERDICT_HOLDS);
	expect("equal(grad(-sum(ones(5, 6) .* log(exp(X) / sum(exp(X)))) / 30, X), "
	       "(1 + 1e-5) * exp(X) / sum(exp(X)) - ones(5, 6) / 30)",
	       DV_VERDICT_FAILS);
	/* keeping f' (the classic mistake) fails */
	expect("equal(grad(-sum(ones(5, 6) .* log(exp(X) / sum(exp(X)))) / 30, X), "
	       "(exp(X) / sum(exp(X)) - ones(5, 6) / 30) .* (exp(X) / sum(exp(X))))",
	       DV_VERDICT_FAILS);
}
END_TEST

/* grad(loss, X) at the current numbers, compared bit for bit with want. */
static void same_grad(const dv_node *loss, const dv_mat *want, const dv_fd_entry *want_e)
{
	dv_mat *g = NULL;
	dv_fd_entry *e = NULL;
	ck_assert_int_eq(dv_fd_grad(&g, &e, loss, "X", env, &d), DV_OK);
	ck_assert(g->rows == want->rows && g->cols == want->cols);
	for (size_t i = 0; i < dv_mat_len(g); i++) {
		ck_assert(dv_mat_get(g, i) == dv_mat_get(want, i));
		ck_assert(dv_mat_bound_at(g, i) == dv_mat_bound_at(want, i));
		ck_assert(e[i].value == want_e[i].value && e[i].bound == want_e[i].bound &&
		          e[i].local == want_e[i].local && e[i].bits == want_e[i].bits);
	}
	dv_mat_free(g);
	free(e);
}

/*
 * The gradient of a definition is kept with it: asked again it is the same
 * to the bit, and after X or f changes it is the gradient at the new
 * numbers, the same as one worked out afresh from the definition's tree.
 */
START_TEST(test_kept_gradients_follow_what_they_use)
{
	dv_node *body = NULL, *name = NULL, *whole = NULL, *wname = NULL;
	dv_mat *g = NULL;
	dv_fd_entry *e = NULL;
	dv_value v;

	ck_assert_int_eq(dv_parse(&body, "sum(D .* f(conv(X, K)))", &d), DV_OK);
	ck_assert_int_eq(dv_parse(&name, "E", &d), DV_OK);
	ck_assert_int_eq(dv_env_define(env, "E", body, &d), DV_OK);
	dv_env_set_f(env, DV_ACT_SIGMOID);
	for (int change = 0; change < 3; change++) {
		if (change == 1) {
			ck_assert_int_eq(dv_eval_string(&v, "2 * X", env, &d), DV_OK);
			ck_assert_int_eq(dv_env_bind(env, "X", v.mat, &d), DV_OK);
		} else if (change == 2) {
			dv_env_set_f(env, DV_ACT_TANH);
		}
		/* afresh from the tree, which is not a name and is not kept */
		ck_assert_int_eq(dv_fd_grad(&g, &e, body, "X", env, &d), DV_OK);
		same_grad(name, g, e); /* worked out, then kept */
		same_grad(name, g, e); /* kept */
		dv_mat_free(g);
		free(e);
	}
	/* a part differenced whole changes X in place: never kept, always right */
	ck_assert_int_eq(dv_parse(&whole, "sum([X; X] .* [X; X])", &d), DV_OK);
	ck_assert_int_eq(dv_parse(&wname, "W", &d), DV_OK);
	ck_assert_int_eq(dv_env_define(env, "W", whole, &d), DV_OK);
	ck_assert_int_eq(dv_fd_grad(&g, &e, whole, "X", env, &d), DV_OK);
	ck_assert(!e[0].local);
	same_grad(wname, g, e);
	same_grad(wname, g, e);
	dv_mat_free(g);
	free(e);
	dv_env_free(env);
	env = NULL;
	dv_node_free(body);
	dv_node_free(name);
	dv_node_free(whole);
	dv_node_free(wname);
}
END_TEST

/* Doubles that cannot decide hand the check to MPFR; a kink never passes. */
START_TEST(test_kinks_are_never_a_verdict_by_accident)
{
	static const double near_kink[] = {1.5e-9, 3}, at_kink[] = {1e-9, 3};
	static const double near_tie[] = {3, 1, 2, 2.9999999999}, tie[] = {3, 1, 2, 3};
	dv_value v;
	/* relu's kink 5e-10 from the entry: inside double's step, outside MPFR's */
	ck_assert_int_eq(dv_env_bind(env, "X", tu_mat(1, 2, near_kink), &d), DV_OK);
	ck_assert_int_eq(verdict("equal(grad(sum(relu(X - 1e-9)), X), ones(1, 2))"),
	                 DV_VERDICT_HOLDS);
	ck_assert_int_eq(verdict("equal(grad(sum(relu(X - 1e-9)), X), [0 1])"),
	                 DV_VERDICT_FAILS);
	/* on the kink itself there is no derivative to agree with */
	ck_assert_int_eq(dv_env_bind(env, "X", tu_mat(1, 2, at_kink), &d), DV_OK);
	ck_assert_int_eq(verdict("equal(grad(sum(relu(X - 1e-9)), X), ones(1, 2))"),
	                 DV_VERDICT_INCONCLUSIVE);
	ck_assert_int_eq(verdict("equal(grad(sum(relu(X - 1e-9)), X), [0 1])"),
	                 DV_VERDICT_INCONCLUSIVE);
	/* max pooling: a runner-up 1e-10 below the largest, and a true tie */
	ck_assert_int_eq(dv_env_bind(env, "X", tu_mat(2, 2, near_tie), &d), DV_OK);
	ck_assert_int_eq(
	        verdict("equal(grad(sum(down(X, 2, 'max') .^ 2), X), [6 0; 0 0])"),
	        DV_VERDICT_HOLDS);
	ck_assert_int_eq(dv_env_bind(env, "X", tu_mat(2, 2, tie), &d), DV_OK);
	ck_assert_int_eq(
	        verdict("equal(grad(sum(down(X, 2, 'max') .^ 2), X), [6 0; 0 0])"),
	        DV_VERDICT_INCONCLUSIVE);
	/* an overflow in doubles that MPFR's range holds */
	ck_assert_int_eq(
	        dv_eval_string(&v, "equal((1e300 * 1e10) / 1e10, 1e300)", env, &d),
	        DV_OK);
	ck_assert_int_ne(v.check.verdict, DV_VERDICT_FAILS);
	dv_value_clear(&v);
}
END_TEST

START_TEST(test_activation_derivatives_are_exact_on_symbols)
{
	static const char *const ids[] = {
	        "equal(dsigmoid(X), sigmoid(X) .* (1 - sigmoid(X)))",
	        "equal(dtanh(X), 1 - tanh(X) .^ 2)",
	        "equal(grad(sum(sigmoid(X)), X), dsigmoid(X))",
	        "equal(grad(sum(tanh(X .* X)), X), 2 * X .* dtanh(X .* X))",
	};
	dv_value v;
	ck_assert_int_eq(dv_eval_string(&v, "sym(2, 3, 'x')", env, &d), DV_OK);
	ck_assert_int_eq(dv_env_bind(env, "X", v.mat, &d), DV_OK);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		dv_value c;
		ck_assert_int_eq(dv_eval_string(&c, ids[i], env, &d), DV_OK);
		ck_assert_msg(c.check.exact && c.check.holds, "%s", ids[i]);
		dv_value_clear(&c);
	}
}
END_TEST

/* The derivative of each test function at x, in long double. */
typedef long double (*true_derivative)(long double x);
static long double d_cube(long double x) { return 3 * x * x; }
/* in forms without cancellation, so that the reference is exact enough */
static long double d_sigmoid(long double x)
{
	long double e = expl(-fabsl(x));
	return e / ((1 + e) * (1 + e));
}
static long double d_tanh(long double x)
{
	long double c = coshl(x);
	return 1 / (c * c);
}
static long double d_exp(long double x) { return expl(x); }
static long double d_relu_square(long double x) { return x > 0 ? 2 * x : 0; }
static long double d_quartic_shift(long double x) { return 4 * powl(x - 3, 3); }

/*
 * The finite-difference bound covers the true error on functions whose
 * derivatives are known (polynomials, sigmoid, tanh, exp, a kink away from
 * the step), at 1,920 points of five scales, and keeps to a stated band:
 * the worst error over them is between 2% and 50% of its bound (measured:
 * 3% to 6% per function), and no single bound is more than 1e6 times the
 * larger of its error and the doubles' resolution of the derivative.  A
 * bound cut to a tenth leaves the band (tests/mutation).
 */
START_TEST(test_fd_bounds_cover_the_true_error_and_are_not_loose)
{
	static const struct {
		const char *loss;
		true_derivative deriv;
	} fns[] = {
	        {"sum(X .^ 3)", d_cube},
	        {"sum(sigmoid(X))", d_sigmoid},
	        {"sum(tanh(X))", d_tanh},
	        {"sum(exp(X))", d_exp},
	        {"sum(relu(X) .* X)", d_relu_square},
	        {"sum((X - 3) .^ 4)", d_quartic_shift},
	};
	static const double scales[] = {1e-3, 0.1, 1, 3, 20};
	double worst_ratio = 0, loosest = 0;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	for (size_t f = 0; f < sizeof fns / sizeof *fns; f++) {
		dv_node *loss = NULL;
		double fn_worst = 0;
		ck_assert_int_eq(dv_parse(&loss, fns[f].loss, &d), DV_OK);
		for (size_t sc = 0; sc < sizeof scales / sizeof *scales; sc++) {
			double xs[64];
			dv_mat *g = NULL;
			dv_fd_entry *e = NULL;
			for (size_t i = 0; i < 64; i++) {
				xs[i] = scales[sc] * (2 * gsl_rng_uniform(rng) - 1);
				/* kinks away from the step: relu's 0 */
				if (fns[f].deriv == d_relu_square && fabs(xs[i]) < 1e-2)
					xs[i] += 0.5;
			}
			ck_assert_int_eq(dv_env_bind(env, "X", tu_mat(8, 8, xs), &d), DV_OK);
			ck_assert_msg(dv_fd_grad(&g, &e, loss, "X", env, &d) == DV_OK, "%s: %s",
			              fns[f].loss, d.message);
			for (size_t i = 0; i < 64; i++) {
				long double want = fns[f].deriv((long double)xs[i]);
				double err = (double)fabsl((long double)e[i].value - want);
				double floor = DBL_EPSILON * fmax(fabs((double)want), e[i].scale);
				ck_assert_msg(err <= e[i].bound,
				              "%s at x = %.17g: error %.3g beyond the bound %.3g",
				              fns[f].loss, xs[i], err, e[i].bound);
				ck_assert_msg(e[i].bound <= 1e6 * fmax(err, floor),
				              "%s at x = %.17g: bound %.3g for an error of %.3g",
				              fns[f].loss, xs[i], e[i].bound, err);
				if (e[i].bound > 0)
					fn_worst = fmax(fn_worst, err / e[i].bound);
				loosest = fmax(loosest, e[i].bound / fmax(err, floor));
			}
			dv_mat_free(g);
			free(e);
		}
		fprintf(stderr, "%-22s worst error/bound %.3g\n", fns[f].loss, fn_worst);
		worst_ratio = fmax(worst_ratio, fn_worst);
		dv_node_free(loss);
	}
	fprintf(stderr, "loosest bound/error %.3g\n", loosest);
	gsl_rng_free(rng);
	/* the band the bound keeps: a margin of 2 over the worst error seen
	 * (a bound cut to a tenth loses it), and no more than 50 times it */
	ck_assert_msg(worst_ratio <= 0.5, "the bound keeps no margin: the worst error "
	                                  "reaches %.3g of it",
	              worst_ratio);
	ck_assert_msg(worst_ratio >= 0.02, "the bound is looser than it need be: the "
	                                   "worst error reaches only %.3g of it",
	              worst_ratio);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exact_identity_minus_itself_is_zero);
	tcase_add_test(tc, test_tiny_gradient_beside_a_unit_loss_holds);
	tcase_add_test(tc, test_a_constant_in_the_loss_changes_no_verdict);
	tcase_add_test(tc, test_a_gradient_off_by_1e5_fails_at_every_scale);
	tcase_add_test(tc, test_a_missing_flip_scaled_by_1e7_fails);
	tcase_add_test(tc, test_overflow_is_never_a_pass);
	tcase_add_test(tc, test_bounds_cover_the_rounding);
	tcase_add_test(tc, test_fd_bounds_cover_the_true_error_and_are_not_loose);
	tcase_add_test(tc, test_differences_are_local_where_plans_reach);
	tcase_add_test(tc, test_softmax_is_differenced_locally);
	tcase_add_test(tc, test_kept_gradients_follow_what_they_use);
	tcase_add_test(tc, test_activation_derivatives_are_exact_on_symbols);
	tcase_add_test(tc, test_kinks_are_never_a_verdict_by_accident);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
