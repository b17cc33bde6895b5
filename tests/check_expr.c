/* Tests of the expression language: Octave-style literals, precedence,
 * every function reached from the language, and each error message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gsl/gsl_errno.h>

#include "core/mpfr_field.h"
#include "expr/eval.h"
#include "expr/fd.h"
#include "expr/parser.h"
#include "expr/precise.h"
#include "testutil.h"

static dv_diag d;
static dv_env *env;

static void bind(const char *name, size_t rows, size_t cols, const double *v)
{
	ck_assert_int_eq(dv_env_bind(env, name, tu_mat(rows, cols, v), &d), DV_OK);
}

static void setup(void)
{
	static const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	static const double k[] = {1, 2, 3, 4};
	gsl_set_error_handler_off();
	dv_diag_clear(&d);
	ck_assert_int_eq(dv_env_new(&env, 1, &d), DV_OK);
	bind("X", 3, 3, x);
	bind("K", 2, 2, k);
}

static void teardown(void)
{
	dv_env_free(env);
}

/* Evaluates src, which must succeed, and returns the matrix. */
static dv_mat *ev(const char *src)
{
	dv_value v;
	int rc = dv_eval_string(&v, src, env, &d);
	ck_assert_msg(rc == DV_OK, "%s: %d:%d: %s", src, d.line, d.column, d.message);
	ck_assert_int_eq(v.kind, DV_V_MAT);
	return v.mat;
}

static void expect(const char *src, size_t rows, size_t cols, const double *want)
{
	dv_mat *m = ev(src);
	tu_assert_mat(m, rows, cols, want, 1e-12);
	dv_mat_free(m);
}

START_TEST(test_literals_follow_octave_spacing)
{
	static const double two[] = {1, -2}, one[] = {-1}, three[] = {1, -2, 3};
	static const double col[] = {1, 2}, rows[] = {1, 2, 3, 4, 5, 6};
	expect("[1 -2]", 1, 2, two);
	expect("[1 - 2]", 1, 1, one);
	expect("[1-2]", 1, 1, one);
	expect("[1, -2]", 1, 2, two);
	expect("[1 -2 +3]", 1, 3, three);
	expect("[1 2]'", 2, 1, col);
	expect("[1;2]", 2, 1, col);
	expect("[1 2 3\n4 5 6]", 2, 3, rows);
	expect("[1 2 3;4 5 6;]", 2, 3, rows);
	expect("[[1 2]' [3 4]']'", 2, 2, (const double[]){1, 2, 3, 4});
	expect("[.5 1e-1 2.5E2]", 1, 3, (const double[]){0.5, 0.1, 250});
}
END_TEST

START_TEST(test_precedence_and_arithmetic)
{
	expect("2 + 3 * 4", 1, 1, (const double[]){14});
	expect("-2^2", 1, 1, (const double[]){-4});
	expect("2^3", 1, 1, (const double[]){8});
	expect("(1 + 2) * 3", 1, 1, (const double[]){9});
	expect("10 - 4 - 3", 1, 1, (const double[]){3});
	expect("12 / 4 / 3", 1, 1, (const double[]){1});
	expect("[1 2; 3 4] * [1; 1]", 2, 1, (const double[]){3, 7});
	expect("[1 2; 3 4] .* [1 2; 3 4]", 2, 2, (const double[]){1, 4, 9, 16});
	expect("[1 2; 3 4] \xe2\x88\x98 [1 0; 0 1]", 2, 2, (const double[]){1, 0, 0, 4});
	expect("[1 2; 3 4] .^ 2", 2, 2, (const double[]){1, 4, 9, 16});
	expect("2 * K - 1", 2, 2, (const double[]){1, 3, 5, 7});
	expect("K'", 2, 2, (const double[]){1, 3, 2, 4});
	expect("K''", 2, 2, (const double[]){1, 2, 3, 4});
	expect("K / 0.5", 2, 2, (const double[]){2, 4, 6, 8});
}
END_TEST

START_TEST(test_functions_reach_the_core)
{
	expect("conv(X, K)", 2, 2, (const double[]){23, 33, 53, 63});
	expect("conv2(X, K, 'valid')", 2, 2, (const double[]){23, 33, 53, 63});
	expect("conv(X, K, \"full\")", 4, 4,
	       (const double[]){1, 4, 7, 6, 7, 23, 33, 24, 19, 53, 63, 42, 21, 52, 59,
	                        36});
	expect("xcorr(X, K)", 2, 2, (const double[]){37, 47, 67, 77});
	expect("xcorr(X, rot180(K))", 2, 2, (const double[]){23, 33, 53, 63});
	expect("conv(X, K, 'valid', 'pad', 1, 'stride', 2)", 2, 2,
	       (const double[]){1, 7, 19, 63});
	expect("rot180(K)", 2, 2, (const double[]){4, 3, 2, 1});
	expect("fliplr(K)", 2, 2, (const double[]){2, 1, 4, 3});
	expect("flipud(K)", 2, 2, (const double[]){3, 4, 1, 2});
	expect("transpose(K)", 2, 2, (const double[]){1, 3, 2, 4});
	expect("pad(K, 1)", 4, 4,
	       (const double[]){0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});
	expect("pad(K, 0, 1)", 2, 4, (const double[]){0, 1, 2, 0, 0, 3, 4, 0});
	expect("[rows(X) cols(pad(X, 1, 2))]", 1, 2, (const double[]){3, 7});
	/* top, bottom, left, right: Octave's 'same' for a 2x2 kernel pads so */
	expect("pad(K, 0, 1, 1, 0)", 3, 3, (const double[]){0, 1, 2, 0, 3, 4, 0, 0, 0});
	expect("crop(X, 1)", 1, 1, (const double[]){5});
	expect("crop(X, 1, 0, 0, 1)", 2, 2, (const double[]){4, 5, 7, 8});
	expect("crop(pad(K, 1, 2), 1, 2)", 2, 2, (const double[]){1, 2, 3, 4});
	expect("crop(pad(X, 2, 0, 1, 3), 2, 0, 1, 3)", 3, 3,
	       (const double[]){1, 2, 3, 4, 5, 6, 7, 8, 9});
	expect("dilate(K, 2)", 3, 3, (const double[]){1, 0, 2, 0, 0, 0, 3, 0, 4});
	expect("dilate(K, 1)", 2, 2, (const double[]){1, 2, 3, 4});
	expect("[rows(dilate(X, 3)) cols(dilate(X, 3))]", 1, 2, (const double[]){7, 7});
	/* a stride-2 layer's input gradient: the dilated delta, correlated in full */
	expect("xcorr(dilate(K, 2), [1 0; 0 0], 'full')", 4, 4,
	       (const double[]){0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4});
	expect("up(K, 2)", 4, 4,
	       (const double[]){1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
	expect("down(up(K, 2), 2)", 2, 2, (const double[]){4, 8, 12, 16});
	expect("down(up(K, 2), 2, 'mean')", 2, 2, (const double[]){1, 2, 3, 4});
	expect("up(K, 2, 'mean')", 4, 4,
	       (const double[]){.25, .25, .5, .5, .25, .25, .5, .5, .75, .75, 1, 1, .75,
	                        .75, 1, 1});
	expect("down([1 5 2 2; 5 3 2 2], 2, 'max')", 1, 2, (const double[]){5, 2});
	expect("kron(K, [1 1])", 2, 4, (const double[]){1, 1, 2, 2, 3, 3, 4, 4});
	expect("hadamard(K, K)", 2, 2, (const double[]){1, 4, 9, 16});
	expect("sum(X)", 1, 1, (const double[]){45});
	expect("relu([-1 2])", 1, 2, (const double[]){0, 2});
	expect("drelu([-1 2])", 1, 2, (const double[]){0, 1});
	expect("sigmoid(0)", 1, 1, (const double[]){0.5});
	expect("dsigmoid(0)", 1, 1, (const double[]){0.25});
	expect("tanh(0) + dtanh(0)", 1, 1, (const double[]){1});
	expect("identity(3) + didentity(3)", 1, 1, (const double[]){4});
	expect("zeros(1, 2) + ones(1, 2)", 1, 2, (const double[]){1, 1});
	expect("eye(2)", 2, 2, (const double[]){1, 0, 0, 1});
}
END_TEST

START_TEST(test_rand_repeats_with_the_seed)
{
	dv_mat *a = ev("rand(3, 4)"), *b, *c;
	dv_env *other = NULL;
	dv_value v;

	ck_assert(a->rows == 3 && a->cols == 4);
	for (size_t i = 0; i < 12; i++)
		ck_assert(dv_mat_get(a, i) >= 0 && dv_mat_get(a, i) < 1);
	ck_assert_int_eq(dv_env_new(&other, 1, &d), DV_OK);
	ck_assert_int_eq(dv_eval_string(&v, "rand(3, 4)", other, &d), DV_OK);
	b = v.mat;
	tu_assert_same(b, a, 0);
	c = ev("rand(3, 4)"); /* the next draw differs */
	ck_assert(dv_mat_get(c, 0) != dv_mat_get(a, 0));
	dv_mat_free(a);
	dv_mat_free(b);
	dv_mat_free(c);
	dv_env_free(other);
}
END_TEST

/* Bad input: each message exactly, with its position. */
static const struct bad {
	const char *src;
	int line, column;
	const char *message;
} bad[] = {
        {"conv(X, K", 1, 10, "expected ',' or ')' but found end of input"},
        {"conv(X,, K)", 1, 8, "expected a number, a name, '(' or '[' but found ','"},
        {"[1 2", 1, 5, "expected ',', ';' or ']' but found end of input"},
        {"[1 2;3 4] + [1 2 3;4 5 6;7 8 9]", 1, 11, "'+': the sizes differ: 2x2 and 3x3"},
        {"conv(K, X)", 1, 1,
         "conv: the 3x3 kernel is larger than the 2x2 input in 'valid' mode (use "
         "'full')"},
        {"covn(X, K)", 1, 1, "unknown function 'covn' (did you mean 'conv'?)"},
        {"foo(X)", 1, 1, "unknown function 'foo'"},
        {"Y + 1", 1, 1, "unknown name 'Y'"},
        {"XX + 1", 1, 1, "unknown name 'XX' (did you mean 'X'?)"},
        {"X(1)", 1, 1, "'X' is a matrix, not a function (verify has no indexing)"},
        {"conv", 1, 1,
         "'conv' is a function: call it as conv(X, K [, 'valid'|'full'|'same'] [, "
         "'stride', s] [, 'pad', p])"},
        {"conv(X)", 1, 1,
         "conv takes 2 to 7 arguments but was given 1 (usage: conv(X, K [, "
         "'valid'|'full'|'same'] [, 'stride', s] [, 'pad', p]))"},
        {"rot180(X, K)", 1, 1,
         "rot180 takes 1 argument but was given 2 (usage: rot180(A))"},
        {"conv(X, K, 'fulll')", 1, 12,
         "conv: unknown option 'fulll' (expected 'valid', 'full', 'same', 'stride' or "
         "'pad')"},
        {"conv(X, K, 2)", 1, 12,
         "conv: expected an option ('valid', 'full', 'same', 'stride' or 'pad') but "
         "found 2"},
        {"conv(X, K, 'stride')", 1, 12,
         "conv: the option 'stride' needs a number after it"},
        {"conv(X, K, 'stride', 0)", 1, 22,
         "conv: expected a whole number >= 1 for the stride but found 0"},
        {"conv('full', K)", 1, 6,
         "conv: expected a matrix for the input but found the "
         "string 'full'"},
        {"down(X, 2)", 1, 1, "down: a 3x3 matrix does not split into 2x2 blocks"},
        {"up(K, 2, 'max')", 1, 10,
         "up: unknown pooling 'max' (expected 'sum' or 'mean')"},
        {"pad(K, 1.5)", 1, 8,
         "pad: expected a whole number >= 0 for the padding but found 1.5"},
        {"crop(K, 1)", 1, 1,
         "crop: cropping 2 rows and 2 columns from a 2x2 matrix leaves nothing"},
        {"crop(X, 1, 1, 1)", 1, 1,
         "crop: expected 2, 3 or 5 arguments, (A, n [, m]) or (A, top, bottom, left, "
         "right), but found 4"},
        {"crop(X, 0, -1)", 1, 12,
         "crop: expected a whole number >= 0 for the columns to crop but found -1"},
        {"pad(X, 0, 0, 0, 2000)", 1, 17,
         "pad: the padding on the right is 2000; the limit is 1024"},
        {"dilate(K, 0)", 1, 11,
         "dilate: expected a whole number >= 1 for the dilation but found 0"},
        {"dilate(K)", 1, 1,
         "dilate takes 2 arguments but was given 1 (usage: dilate(A, s))"},
        {"rand(100000, 100000)", 1, 1,
         "rand: the result would be 100000x100000; the limit is 1048576 entries"},
        {"rand(-1, 2)", 1, 6,
         "rand: expected a whole number >= 1 for the number of rows but found -1"},
        {"X * K", 1, 3,
         "'*': 3x3 times 2x2: the inner sizes 3 and 2 differ (use .* for the "
         "element-wise product)"},
        {"X ^ 2", 1, 3,
         "'^': powers of a 3x3 matrix are not supported (use .^ for powers entry by "
         "entry)"},
        {"X / [1 2]", 1, 3, "'/': the divisor must be a number but is a 1x2 matrix"},
        {"X / 0", 1, 3, "'/': division by zero"},
        {"2 ^ -1", 1, 3, "'^': the exponent must be a whole number from 0 to 64"},
        {"[1 2; 3]", 1, 7, "rows of different lengths: 2 and 1 columns"},
        {"[]", 1, 1, "an empty matrix [] has no entries"},
        {"1e999", 1, 1,
         "the number '1e999' is too large (verify works with finite doubles, up "
         "to 1.8e308)"},
        {"1e-400", 1, 1,
         "the number '1e-400' is too small for a double (the smallest is "
         "4.9e-324); write 0 if you mean 0"},
        {"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
         "1",
         1, 65, "brackets nested more than 64 deep"},
        {"0+------------------------------------------------------------------------"
         "------------------------------------------------------------------------"
         "-----------------------------------------------------------------1",
         1, 203,
         "the expression nests more than 200 parentheses, brackets, calls or signs "
         "deep (the limit)"},
        {"NaN", 1, 1, "'NaN' is not a finite number; verify works with finite numbers"},
        {"Inf * 2", 1, 1,
         "'Inf' is not a finite number; verify works with finite numbers"},
        {"12abc", 1, 1, "malformed number '12abc'"},
        /* found by fuzzing: a bad token after a transpose leaked the operand */
        {"1^[-1;4]'`", 1, 10, "unexpected character '`'"},
        {"1.2.3", 1, 1, "malformed number '1.2.3'"},
        {"2 # 3", 1, 3, "unexpected character '#'"},
        {"'full", 1, 1, "unterminated string: expected a closing '"},
        {"", 1, 1, "expected an expression but found end of input"},
        {"   ", 1, 4, "expected an expression but found end of input"},
        {"X K", 1, 3, "expected an operator or end of input but found the name 'K'"},
        {"conv(X,\n  K,, 'full')", 2, 5,
         "expected a number, a name, '(' or '[' but found ','"},
        {"\xce\xb4 \xe2\x88\x98 @", 1, 5, "unexpected character '@'"},
        {"1e308 * 10", 0, 0, "the result is not finite at (1,1): the numbers overflowed"},
};

/* Hostile sizes: refused with an error, never a crash (issue 10). */
START_TEST(test_deep_and_long_input_is_refused_or_read)
{
	/* 1+1+...+1, ---...-1 and 1''...' of 60,000 characters */
	static const char *const heads[] = {"", "", "1"}, *const units[] = {"1+", "-",
	                                                                    "'"};
	static const char *const tails[] = {"1", "1", ""};
	char *src = malloc(60010);
	dv_value v;
	ck_assert_ptr_nonnull(src);
	for (size_t u = 0; u < 3; u++) {
		size_t n = strlen(heads[u]), k = strlen(units[u]);
		memcpy(src, heads[u], n);
		while (n + k + 2 < 60000) {
			memcpy(src + n, units[u], k);
			n += k;
		}
		strcpy(src + n, tails[u]);
		ck_assert_int_eq(dv_eval_string(&v, src, env, &d), DV_E_LIMIT);
		ck_assert_int_eq(v.kind, DV_V_NONE);
	}
	/* a literal of 400 digits is a (large) number, one of 2.5e-324 the
	 * smallest double */
	memset(src, '1', 300);
	src[300] = '\0';
	ck_assert_int_eq(dv_eval_string(&v, src, env, &d), DV_OK);
	ck_assert(dv_mat_get(v.mat, 0) > 1e299);
	dv_value_clear(&v);
	ck_assert_int_eq(dv_eval_string(&v, "2.5e-324", env, &d), DV_OK);
	ck_assert(dv_mat_get(v.mat, 0) > 0);
	dv_value_clear(&v);
	/* 999 levels is within the limit */
	{
		size_t n = 0;
		for (int i = 0; i < 999; i++) {
			memcpy(src + n, "1+", 2);
			n += 2;
		}
		src[n++] = '1';
		src[n] = '\0';
		ck_assert_int_eq(dv_eval_string(&v, src, env, &d), DV_OK);
		ck_assert_double_eq(dv_mat_get(v.mat, 0), 1000);
		dv_value_clear(&v);
	}
	/* work refused before it is done: a symbolic product of 64x64
	 * matrices, a Kronecker product of 4 Mi entries, finite differences
	 * over 40,000 entries of a loss evaluated whole */
	{
		dv_value m;
		ck_assert_int_eq(dv_eval_string(&m, "sym(64, 64, 'y')", env, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(env, "Y", m.mat, &d), DV_OK);
		ck_assert_int_eq(dv_eval_string(&m, "Y * (Y * Y)", env, &d), DV_E_LIMIT);
		ck_assert(strstr(d.message, "more than 262144 terms (each entry and each "
		                            "product counts; the limit)") != NULL);
		ck_assert_int_eq(
		        dv_eval_string(&m, "sum(kron(sym(32, 32, 'a'), Y))", env, &d),
		        DV_E_LIMIT);
		ck_assert_int_eq(dv_eval_string(&m, "randn(200, 200)", env, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(env, "W", m.mat, &d), DV_OK);
		ck_assert_int_eq(
		        dv_eval_string(&m, "grad(sum([W W] .* [W W]), W)", env, &d),
		        DV_E_LIMIT);
		ck_assert(strstr(d.message, "the limit is 2e+09") != NULL);
	}
	/* finite differences of finite differences (found by fuzzing: minutes) */
	ck_assert_int_eq(
	        dv_eval_string(&v, "grad(sum(grad(sum(X .* X), X)), X)", env, &d),
	        DV_E_LIMIT);
	ck_assert(strstr(d.message, "its work multiplies") != NULL);
	/* a negative coefficient beyond 64 bits times a symbol */
	ck_assert_int_eq(
	        dv_eval_string(&v, "sym(1,1,'x') * -12345678901234567890123", env, &d),
	        DV_E_LIMIT);
	free(src);
}
END_TEST

START_TEST(test_bad_input_gives_one_clear_error)
{
	const struct bad *b = &bad[_i];
	dv_value v;
	int rc = dv_eval_string(&v, b->src, env, &d);

	ck_assert_msg(rc != DV_OK, "'%s' was accepted", b->src);
	ck_assert_int_eq(v.kind, DV_V_NONE);
	ck_assert_str_eq(d.message, b->message);
	ck_assert_msg(d.line == b->line && d.column == b->column,
	              "'%s': at %d:%d, expected %d:%d", b->src, d.line, d.column, b->line,
	              b->column);
}
END_TEST

START_TEST(test_names_cannot_shadow_functions)
{
	ck_assert_int_eq(dv_env_bind(env, "conv", tu_mat(1, 1, (const double[]){1}), &d),
	                 DV_E_ARGS);
	ck_assert_str_eq(d.message, "'conv' is a function and cannot name a matrix");
	ck_assert_int_eq(dv_env_bind(env, "2x", tu_mat(1, 1, (const double[]){1}), &d),
	                 DV_E_ARGS);
}
END_TEST

START_TEST(test_strings_keep_doubled_quotes)
{
	dv_value v;
	ck_assert_int_eq(dv_eval_string(&v, "'it''s'", env, &d), DV_OK);
	ck_assert_int_eq(v.kind, DV_V_STR);
	ck_assert_str_eq(v.str, "it's");
	dv_value_clear(&v);
}
END_TEST

/* A tree back as source keeps only the parentheses it needs, and reads
 * back as the same tree. */
START_TEST(test_source_drops_only_idle_parentheses)
{
	static const char *const cases[][2] = {
	        {"((a)) * (b + c)", "a * (b + c)"},
	        {"a - (b - c)", "a - (b - c)"},
	        {"(a - b) - c", "a - b - c"},
	        {"(-a)^2 + -a^2", "(-a)^2 + -a^2"},
	        {"2^-1 .* x'", "2^-1 .* x'"},
	        {"0 .^ 2 + x.^-1", "0 .^ 2 + x .^ -1"},
	        {"(a * b)'", "(a * b)'"},
	        {"[1 -2; (3) 4]", "[1, -2; 3, 4]"},
	        {"entry((D), 1, 1) / (4)", "entry(D, 1, 1) / 4"},
	        {"conv(X, K, 'it''s')", "conv(X, K, 'it''s')"},
	        {"a / (b * c)", "a / (b * c)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dv_node *n = NULL, *again = NULL;
		dv_strbuf b, b2;
		dv_strbuf_init(&b);
		dv_strbuf_init(&b2);
		ck_assert_int_eq(dv_parse(&n, cases[i][0], &d), DV_OK);
		dv_node_source(&b, n);
		ck_assert_str_eq(b.s, cases[i][1]);
		ck_assert_int_eq(dv_parse(&again, b.s, &d), DV_OK);
		dv_node_source(&b2, again);
		ck_assert_str_eq(b2.s, b.s);
		dv_node_free(n);
		dv_node_free(again);
		dv_strbuf_free(&b);
		dv_strbuf_free(&b2);
	}
}
END_TEST

/*
 * Plans are kept by operation and shapes: whatever was evaluated before in
 * the same environment, every result is the one a fresh environment gives
 * (options, counts and numbers that choose terms are part of what keeps a
 * plan apart, or it is not kept).
 */
/*
 * A definition's value is kept between uses, and must never be one worked
 * out from numbers that have changed since: a new binding, f given its
 * meaning, numbers changed in place (as finite differences do), and a
 * definition that makes random numbers is made anew each time.
 */
START_TEST(test_kept_definitions_follow_what_they_use)
{
	dv_node *y = NULL, *r = NULL, *a = NULL, *loss = NULL;
	dv_mat *g = NULL, *m, *first;
	dv_fd_entry e = {0};
	double *x;

	ck_assert_int_eq(dv_parse(&y, "2 * X", &d), DV_OK);
	ck_assert_int_eq(dv_parse(&r, "rand(1, 1)", &d), DV_OK);
	ck_assert_int_eq(dv_parse(&a, "f(Y)", &d), DV_OK);
	ck_assert_int_eq(dv_parse(&loss, "sum(exp(Y / 9))", &d), DV_OK);
	ck_assert_int_eq(dv_env_define(env, "Y", y, &d), DV_OK);
	ck_assert_int_eq(dv_env_define(env, "R", r, &d), DV_OK);
	ck_assert_int_eq(dv_env_define(env, "A", a, &d), DV_OK);
	expect("sum(Y)", 1, 1, (const double[]){90});
	expect("sum(Y)", 1, 1, (const double[]){90});
	bind("X", 1, 2, (const double[]){1, 2});
	expect("Y", 1, 2, (const double[]){2, 4});
	/* numbers changed in place, then said so */
	x = (double *)dv_env_lookup_mut(env, "X")->data;
	x[1] = 5;
	dv_env_changed(env);
	expect("Y", 1, 2, (const double[]){2, 10});
	/* f: abstract, then sigmoid, then tanh */
	{
		dv_value v;
		ck_assert_int_ne(dv_eval_string(&v, "A", env, &d), DV_OK);
	}
	dv_env_set_f(env, DV_ACT_SIGMOID);
	{
		const double want[] = {1 / (1 + exp(-2.0)), 1 / (1 + exp(-10.0))};
		expect("A", 1, 2, want);
	}
	dv_env_set_f(env, DV_ACT_TANH);
	{
		const double want[] = {tanh(2.0), tanh(10.0)};
		expect("A", 1, 2, want);
	}
	/* random numbers: a new draw at every use */
	first = ev("R");
	m = ev("R");
	ck_assert(dv_mat_get(first, 0) != dv_mat_get(m, 0));
	dv_mat_free(first);
	dv_mat_free(m);
	/* exp is differenced whole, through Y: d/dx sum(exp(2x/9)) = 2/9 exp(2x/9) */
	{
		const double want[] = {2.0 / 9 * exp(2.0 / 9), 2.0 / 9 * exp(10.0 / 9)};
		dv_fd_entry *rows = NULL;
		ck_assert_int_eq(dv_fd_grad(&g, &rows, loss, "X", env, &d), DV_OK);
		tu_assert_mat(g, 1, 2, want, 1e-9);
		/* decided by the doubles themselves, not rescued by MPFR */
		ck_assert_uint_eq(rows[0].bits, 53);
		ck_assert_uint_eq(rows[1].bits, 53);
		free(rows);
	}
	dv_mat_free(g);
	ck_assert_int_eq(dv_fd_refine(&e, loss, "X", 1, env, 128, &d), DV_OK);
	ck_assert_double_eq_tol(e.value, 2.0 / 9 * exp(10.0 / 9), 1e-12);
	expect("Y", 1, 2, (const double[]){2, 10});
	dv_env_free(env);
	env = NULL;
	dv_node_free(y);
	dv_node_free(r);
	dv_node_free(a);
	dv_node_free(loss);
}
END_TEST

/* A claim with grad() in it is decided again over MPFR as a gradcheck is:
 * each entry by the five-point rule at 128 bits, as a ball; a function
 * with a kink or a pole is refused there, never differenced across it. */
START_TEST(test_grad_over_mpfr_is_a_tight_ball)
{
	static const double x[] = {0.5, -1.25, 3};
	dv_env *menv = NULL;
	dv_value v;
	bind("X", 1, 3, x);
	ck_assert_int_eq(dv_env_convert(&menv, env, dv_field_mpfr(128), &d), DV_OK);
	ck_assert_msg(dv_eval_string(&v, "grad(sum(X .^ 3), X)", menv, &d) == DV_OK, "%s",
	              d.message);
	for (size_t i = 0; i < 3; i++) {
		const dv_ball *b = dv_ball_at(v.mat, i);
		double want = 3 * x[i] * x[i];
		ck_assert_double_eq_tol(mpfr_get_d(b->mid, MPFR_RNDN), want, 1e-25);
		ck_assert_msg(b->rad > 0 && b->rad < 1e-20, "radius %g", b->rad);
	}
	dv_value_clear(&v);
	/* a constant of 1e20 costs resolution, never the truth */
	ck_assert_int_eq(dv_eval_string(&v, "grad(sum(X .^ 3) + 1e20, X)", menv, &d), DV_OK);
	for (size_t i = 0; i < 3; i++) {
		const dv_ball *b = dv_ball_at(v.mat, i);
		ck_assert(fabs(mpfr_get_d(b->mid, MPFR_RNDN) - 3 * x[i] * x[i]) <= b->rad);
	}
	dv_value_clear(&v);
	ck_assert_int_ne(dv_eval_string(&v, "grad(sum(relu(X)), X)", menv, &d), DV_OK);
	ck_assert_msg(d.code == DV_E_SYMBOLIC, "%s", d.message);
	ck_assert_int_ne(dv_eval_string(&v, "grad(1 / sum(X), X)", menv, &d), DV_OK);
	ck_assert_int_eq(d.code, DV_E_SYMBOLIC);
	dv_env_free(menv);
}
END_TEST

START_TEST(test_kept_plans_never_change_a_result)
{
	static const char *const exprs[] = {"conv(Y, K)",
	                                    "conv(Y, K, 'full')",
	                                    "xcorr(Y, K, 'full')",
	                                    "conv(Y, K, 'valid', 'stride', 2)",
	                                    "conv(Y, K, 'valid', 'stride', 3)",
	                                    "conv(Y, K, 'same', 'pad', 1)",
	                                    "pad(Y, 1)",
	                                    "pad(Y, 2)",
	                                    "pad(Y, 1, 2)",
	                                    "crop(Y, 1)",
	                                    "crop(Y, 2, 1)",
	                                    "entry(Y, 1, 2)",
	                                    "entry(Y, 2, 1)",
	                                    "down(Y, 3, 'max')",
	                                    "down(Z, 3, 'max')",
	                                    "down(Y, 3, 'max', 'stride', 2)",
	                                    "down(Y, 3)",
	                                    "down(Y, 3, 'mean')",
	                                    "unpool(ones(3, 3), Y, 3)",
	                                    "unpool(ones(3, 3), Z, 3)",
	                                    "up(Y, 2)",
	                                    "dilate(Y, 2)",
	                                    "dilate(Y, 3)",
	                                    "Y + Z",
	                                    "Y - Z",
	                                    "Y .* Z",
	                                    "Y * Z",
	                                    "Z * Y",
	                                    "Y + 1",
	                                    "2 * Y",
	                                    "rot180(Y)",
	                                    "Y'",
	                                    "fliplr(Y)",
	                                    "kron(Y, K)",
	                                    "sum(Y)"};
	size_t n = sizeof exprs / sizeof exprs[0];
	double y[81], z[81];
	for (int i = 0; i < 81; i++) {
		y[i] = (i * 37) % 19 - 9;
		z[i] = (i * 11) % 23 - 11;
	}
	bind("Y", 9, 9, y);
	bind("Z", 9, 9, z);
	/* twice through, the second time backwards: every plan kept is met
	 * again after others of the same operation */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < n; k++) {
			const char *src = exprs[pass == 0 ? k : n - 1 - k];
			dv_env *fresh = NULL;
			dv_value want;
			dv_mat *got = ev(src);
			ck_assert_int_eq(dv_env_new(&fresh, 1, &d), DV_OK);
			ck_assert_int_eq(dv_env_bind(fresh, "Y", tu_mat(9, 9, y), &d),
			                 DV_OK);
			ck_assert_int_eq(dv_env_bind(fresh, "Z", tu_mat(9, 9, z), &d),
			                 DV_OK);
			ck_assert_int_eq(
			        dv_env_bind(fresh, "K",
			                    tu_mat(2, 2, (const double[]){1, 2, 3, 4}),
			                    &d),
			        DV_OK);
			ck_assert_msg(dv_eval_string(&want, src, fresh, &d) == DV_OK,
			              "%s: %s", src, d.message);
			ck_assert_msg(got->rows == want.mat->rows &&
			                      got->cols == want.mat->cols,
			              "%s: %zux%zu, fresh %zux%zu", src, got->rows,
			              got->cols, want.mat->rows, want.mat->cols);
			for (size_t i = 0; i < dv_mat_len(got); i++)
				ck_assert_msg(
				        dv_mat_get(got, i) == dv_mat_get(want.mat, i),
				        "%s: entry %zu is %g, fresh %g", src, i,
				        dv_mat_get(got, i), dv_mat_get(want.mat, i));
			dv_mat_free(got);
			dv_value_clear(&want);
			dv_env_free(fresh);
		}
}
END_TEST

static Suite *expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("language");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_literals_follow_octave_spacing);
	tcase_add_test(tc, test_precedence_and_arithmetic);
	tcase_add_test(tc, test_functions_reach_the_core);
	tcase_add_test(tc, test_rand_repeats_with_the_seed);
	tcase_add_loop_test(tc, test_bad_input_gives_one_clear_error, 0,
	                    (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_names_cannot_shadow_functions);
	tcase_add_test(tc, test_deep_and_long_input_is_refused_or_read);
	tcase_add_test(tc, test_strings_keep_doubled_quotes);
	tcase_add_test(tc, test_source_drops_only_idle_parentheses);
	tcase_add_test(tc, test_kept_plans_never_change_a_result);
	tcase_add_test(tc, test_grad_over_mpfr_is_a_tight_ball);
	tcase_add_test(tc, test_kept_definitions_follow_what_they_use);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(expr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
