/* Tests of the symbolic engine: the notes' tables reproduced exactly, the
 * canonical form, symbols against numbers for every operation, and every
 * row of DESIGN.md's table of what the notes get wrong, decided exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "expr/eval.h"
#include "sym/ctx.h"
#include "sym/diff.h"
#include "sym/print.h"
#include "sym/subst.h"
#include "testutil.h"

static dv_diag d;
static dv_env *env;

static void bind_sym(const char *var, size_t rows, size_t cols, const char *name)
{
	sym_ctx *ctx;
	dv_mat *m = NULL;
	ck_assert_int_eq(dv_env_symbols(&ctx, env, &d), DV_OK);
	ck_assert_msg(sym_ctx_matrix(&m, ctx, name, rows, cols, &d) == DV_OK, "%s",
	              d.message);
	ck_assert_int_eq(dv_env_bind(env, var, m, &d), DV_OK);
}

/* The notes' example: X 3x3, K 2x2, δ = D 2x2, and N, beta, b for the
 * pooling layers. */
static void setup(void)
{
	gsl_set_error_handler_off();
	dv_diag_clear(&d);
	ck_assert_int_eq(dv_env_new(&env, 5, &d), DV_OK);
	bind_sym("X", 3, 3, "x");
	bind_sym("K", 2, 2, "k");
	bind_sym("D", 2, 2, "d");
	bind_sym("N", 4, 4, "n");
	bind_sym("P", 2, 2, "p"); /* δ of a layer after 2x2 pooling of N */
	bind_sym("beta", 1, 1, "beta");
	bind_sym("b", 1, 1, "b");
}

static void teardown(void)
{
	dv_env_free(env);
}

static dv_value ev(const char *src)
{
	dv_value v;
	int rc = dv_eval_string(&v, src, env, &d);
	ck_assert_msg(rc == DV_OK, "%s: %d:%d: %s", src, d.line, d.column, d.message);
	return v;
}

static void expect_check(const char *src, int holds)
{
	dv_value v = ev(src);
	ck_assert_int_eq(v.kind, DV_V_CHECK);
	ck_assert_msg(v.check.holds == holds, "%s should %s", src,
	              holds ? "hold" : "fail");
	ck_assert_msg(v.check.exact, "%s was not decided exactly", src);
	dv_value_clear(&v);
}

/* The entries of src's value, printed, against want (row-major). */
static void expect_table(const char *src, sym_style style, const char *const *want,
                         size_t n)
{
	sym_print_opts o = {style, NULL, NULL};
	dv_value v = ev(src);
	ck_assert_uint_eq(dv_mat_len(v.mat), n);
	for (size_t i = 0; i < n; i++) {
		char *s = NULL;
		ck_assert_int_eq(sym_poly_format(&s, *(sym_poly **)dv_mat_at(v.mat, i),
		                                 sym_field_ctx(v.mat->field), &o, &d),
		                 DV_OK);
		ck_assert_msg(strcmp(s, want[i]) == 0,
		              "%s, entry %zu:\n  got  %s\n  want %s", src, i + 1, s,
		              want[i]);
		free(s);
	}
	dv_value_clear(&v);
}

START_TEST(test_forward_table_matches_notes)
{
	static const char *const ascii[] = {
	        "x11*k22 + x12*k21 + x21*k12 + x22*k11",
	        "x12*k22 + x13*k21 + x22*k12 + x23*k11",
	        "x21*k22 + x22*k21 + x31*k12 + x32*k11",
	        "x22*k22 + x23*k21 + x32*k12 + x33*k11",
	};
	static const char *const unicode[] = {
	        "x₁₁k₂₂ + x₁₂k₂₁ + x₂₁k₁₂ + x₂₂k₁₁",
	        "x₁₂k₂₂ + x₁₃k₂₁ + x₂₂k₁₂ + x₂₃k₁₁",
	        "x₂₁k₂₂ + x₂₂k₂₁ + x₃₁k₁₂ + x₃₂k₁₁",
	        "x₂₂k₂₂ + x₂₃k₂₁ + x₃₂k₁₂ + x₃₃k₁₁",
	};
	static const char *const latex[] = {
	        "x_{11}k_{22} + x_{12}k_{21} + x_{21}k_{12} + x_{22}k_{11}",
	        "x_{12}k_{22} + x_{13}k_{21} + x_{22}k_{12} + x_{23}k_{11}",
	        "x_{21}k_{22} + x_{22}k_{21} + x_{31}k_{12} + x_{32}k_{11}",
	        "x_{22}k_{22} + x_{23}k_{21} + x_{32}k_{12} + x_{33}k_{11}",
	};
	expect_table("conv(X, K)", SYM_ASCII, ascii, 4);
	expect_table("conv(X, K)", SYM_UNICODE, unicode, 4);
	expect_table("conv(X, K)", SYM_LATEX, latex, 4);
}
END_TEST

START_TEST(test_kernel_gradient_four_lines_match_notes)
{
	/* dE/dk11 = dE/da11 x22 + dE/da12 x23 + dE/da21 x32 + dE/da22 x33 ... */
	static const char *const want[] = {
	        "d11*x22 + d12*x23 + d21*x32 + d22*x33",
	        "d11*x21 + d12*x22 + d21*x31 + d22*x32",
	        "d11*x12 + d12*x13 + d21*x22 + d22*x23",
	        "d11*x11 + d12*x12 + d21*x21 + d22*x22",
	};
	expect_table("grad(sum(D .* conv(X, K)), K)", SYM_ASCII, want, 4);
}
END_TEST

START_TEST(test_tmp_matrix_matches_notes)
{
	/* TMP = [dE/dk22 dE/dk21; dE/dk12 dE/dk11] = X * [da22 da21; da12 da11] */
	expect_check("equal(rot180(grad(sum(D .* conv(X, K)), K)), conv(X, rot180(D)))",
	             1);
	expect_check("equal(rot180(grad(sum(D .* conv(X, K)), K)), conv(X, D))", 0);
}
END_TEST

START_TEST(test_input_gradient_nine_lines_match_notes)
{
	static const char *const want[] = {
	        "d11*k22",
	        "d11*k21 + d12*k22",
	        "d12*k21",
	        "d11*k12 + d21*k22",
	        "d11*k11 + d12*k12 + d21*k21 + d22*k22",
	        "d12*k11 + d22*k21",
	        "d21*k12",
	        "d21*k11 + d22*k12",
	        "d22*k11",
	};
	expect_table("grad(sum(D .* conv(X, K)), X)", SYM_ASCII, want, 9);
}
END_TEST

START_TEST(test_notes_latex_notation)
{
	static const sym_latex_name names[] = {{"d", "(\\delta_{j}^{l+1})_{%s}"},
	                                       {NULL, NULL}};
	sym_print_opts o = {SYM_LATEX, NULL, names};
	dv_value v = ev("grad(sum(D .* conv(X, K)), X)");
	char *s = NULL;
	ck_assert_int_eq(sym_poly_format(&s, *(sym_poly **)dv_mat_at(v.mat, 1),
	                                 sym_field_ctx(v.mat->field), &o, &d),
	                 DV_OK);
	/* the notes: (\delta_{j}^{l+1})_{11} k_{21}+ (\delta_{j}^{l+1})_{12} k_{22} */
	ck_assert_str_eq(
	        s, "(\\delta_{j}^{l+1})_{11}k_{21} + (\\delta_{j}^{l+1})_{12}k_{22}");
	free(s);
	dv_value_clear(&v);
}
END_TEST

START_TEST(test_pooling_delta_is_beta_up_hadamard_fprime)
{
	/* δ^l = β (up(δ^{l+1}) ∘ f'(net^l)) through X^{l+1} = β down(f(N)) + b */
	const char *e = "sum(P .* (beta * down(f(N), 2) + b))";
	char src[256], text[16][32];
	const char *want[16];

	for (size_t i = 0; i < 16; i++) {
		snprintf(text[i], sizeof text[i], "beta*p%zu%zu*f'(n%zu%zu)", i / 8 + 1,
		         i % 4 / 2 + 1, i / 4 + 1, i % 4 + 1);
		want[i] = text[i];
	}
	snprintf(src, sizeof src, "equal(grad(%s, N), beta * (up(P, 2) .* df(N)))", e);
	expect_check(src, 1);
	snprintf(src, sizeof src, "equal(grad(%s, N), up(P, 2) .* df(N))", e);
	expect_check(src, 0); /* the drill "missing β" */
	snprintf(src, sizeof src, "grad(%s, N)", e);
	expect_table(src, SYM_ASCII, want, 16);
	/* mean pooling: up carries 1/n^2 */
	expect_check("equal(grad(sum(P .* down(f(N), 2, 'mean')), N), "
	             "up(P, 2, 'mean') .* df(N))",
	             1);
	expect_check("equal(grad(sum(P .* down(f(N), 2, 'mean')), N), up(P, 2) .* df(N))",
	             0);
}
END_TEST

START_TEST(test_pooling_parameter_gradients)
{
	/* dE/dβ = Σ (δ ∘ down(X))_uv and dE/db = Σ δ_uv */
	expect_check("equal(grad(sum(P .* (beta * down(f(N), 2) + b)), beta), "
	             "sum(P .* down(f(N), 2)))",
	             1);
	expect_check("equal(grad(sum(P .* (beta * down(f(N), 2) + b)), b), sum(P))", 1);
	expect_check("equal(grad(sum(D .* (conv(X, K) + b)), b), sum(D))", 1);
}
END_TEST

/* DESIGN.md, "What the notes get wrong or leave ambiguous", row by row. */

START_TEST(test_erratum_index_formula_needs_zero_based_offsets)
{
	/* F_uv = Σ_h Σ_j K_{d-h,d-j} X_{u+h,v+j} with h, j = 0..d-1 and
	 * 1-based entries is the notes' convolution.  Built here entry by
	 * entry from atoms, not through conv(). */
	sym_ctx *ctx;
	const dv_field *f;
	dv_mat *fm = NULL;
	dv_value x = ev("X"), k = ev("K"), c = ev("conv(X, K)"), xc = ev("xcorr(X, K)");
	size_t dd = 2;

	ck_assert_int_eq(dv_env_symbols(&ctx, env, &d), DV_OK);
	f = sym_ctx_field(ctx);
	ck_assert_int_eq(dv_mat_new(&fm, f, 2, 2, &d), DV_OK);
	for (size_t u = 1; u <= 2; u++)
		for (size_t v = 1; v <= 2; v++)
			for (size_t h = 0; h < dd; h++)
				for (size_t j = 0; j < dd; j++) {
					const void *kk = dv_mat_at(
					        k.mat, (dd - h - 1) * 2 + (dd - j - 1));
					const void *xx = dv_mat_at(
					        x.mat, (u + h - 1) * 3 + (v + j - 1));
					dv_coef one = {1, 1, 1.0};
					ck_assert_int_eq(
					        f->fma(f,
					               dv_mat_at(fm, (u - 1) * 2 + v - 1),
					               &one, kk, xx, &d),
					        DV_OK);
				}
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(f->finish(f, dv_mat_at(fm, i), &d), DV_OK);
	for (size_t i = 0; i < 4; i++) {
		ck_assert(sym_poly_equal(*(sym_poly **)dv_mat_at(fm, i),
		                         *(sym_poly **)dv_mat_at(c.mat, i)));
		/* with a 2x2 kernel the rotation is visible in every entry */
		ck_assert(!sym_poly_equal(*(sym_poly **)dv_mat_at(fm, i),
		                          *(sym_poly **)dv_mat_at(xc.mat, i)));
	}
	/* with h = d the formula asks for K_{0,.}: 1-based entries have none */
	ck_assert_uint_eq(dd - dd, 0);
	dv_mat_free(fm);
	dv_value_clear(&x);
	dv_value_clear(&k);
	dv_value_clear(&c);
	dv_value_clear(&xc);
}
END_TEST

START_TEST(test_erratum_kernel_gradient_formula_is_cross_correlation)
{
	/* (X*K)_uv = Σ K_rs X_{u+r,v+s} is cross-correlation ... */
	expect_check("equal(conv(X, K), xcorr(X, K))", 0);
	/* ... so dE/dK_rs = Σ δ_uv X_{u+r,v+s} is xcorr(X, δ), and with the
	 * notes' own convolution the gradient is its rotation. */
	expect_check("equal(grad(sum(D .* conv(X, K)), K), xcorr(X, D))", 0);
	expect_check("equal(grad(sum(D .* conv(X, K)), K), rot180(xcorr(X, D)))", 1);
	/* with cross-correlation forward, the notes' formula holds as written */
	expect_check("equal(grad(sum(D .* xcorr(X, K)), K), xcorr(X, D))", 1);
}
END_TEST

START_TEST(test_erratum_conv_delta_needs_rotated_kernel)
{
	/* δ^l = f'(net) ∘ conv2(δ^{l+1}, K, 'full') is false; true is
	 * conv2(δ, rot180(K), 'full') = xcorr(δ, K, 'full'). */
	const char *g = "grad(sum(D .* conv(f(Y), K)), Y)";
	char src[256];

	bind_sym("Y", 3, 3, "y");
	snprintf(src, sizeof src, "equal(%s, df(Y) .* conv2(D, K, 'full'))", g);
	expect_check(src, 0);
	snprintf(src, sizeof src, "equal(%s, df(Y) .* conv2(D, rot180(K), 'full'))", g);
	expect_check(src, 1);
	snprintf(src, sizeof src, "equal(%s, df(Y) .* xcorr(D, K, 'full'))", g);
	expect_check(src, 1);
}
END_TEST

START_TEST(test_erratum_padded_delta_star_is_cross_correlation)
{
	/* the padded-δ matrix "*" [k11 k12; k21 k22] */
	expect_check("equal(grad(sum(D .* conv(X, K)), X), xcorr(pad(D, 1), K))", 1);
	expect_check("equal(grad(sum(D .* conv(X, K)), X), conv(pad(D, 1), K))", 0);
}
END_TEST

START_TEST(test_erratum_bias_line_means_dE_db)
{
	/* "b_j^l = Σ_u Σ_v (δ_j^l)_uv" is dE/db, not b */
	expect_check("equal(grad(sum(D .* (conv(X, K) + b)), b), sum(D))", 1);
	expect_check("equal(b, sum(D))", 0);
}
END_TEST

START_TEST(test_canonical_form)
{
	sym_ctx *ctx;
	sym_poly *p = NULL, *q = NULL, *x = NULL, *y = NULL;
	sym_rat r;
	uint32_t a, b2;

	ck_assert_int_eq(dv_env_symbols(&ctx, env, &d), DV_OK);
	ck_assert_int_eq(sym_atom_entry(&a, ctx, "x", 1, 1, &d), DV_OK);
	ck_assert_int_eq(sym_atom_entry(&b2, ctx, "k", 2, 2, &d), DV_OK);
	ck_assert_int_eq(sym_poly_atom(&x, a, &d), DV_OK);
	ck_assert_int_eq(sym_poly_atom(&y, b2, &d), DV_OK);
	/* commutative: x*k = k*x */
	ck_assert_int_eq(sym_poly_fma(&p, (sym_rat){1, 1}, x, y, &d), DV_OK);
	ck_assert_int_eq(sym_poly_fma(&q, (sym_rat){1, 1}, y, x, &d), DV_OK);
	ck_assert(sym_poly_equal(p, q));
	/* terms that cancel vanish: x*k - k*x = 0 */
	ck_assert_int_eq(sym_poly_fma(&p, (sym_rat){-1, 1}, y, x, &d), DV_OK);
	ck_assert_uint_eq(sym_poly_len(p), 0);
	ck_assert(sym_poly_is_const(p, &r) && r.num == 0);
	/* exact rationals: x/3 + x/6 = x/2 */
	sym_poly_free(p);
	p = NULL;
	ck_assert_int_eq(sym_poly_fma(&p, (sym_rat){1, 3}, x, NULL, &d), DV_OK);
	ck_assert_int_eq(sym_poly_fma(&p, (sym_rat){1, 6}, x, NULL, &d), DV_OK);
	ck_assert_uint_eq(sym_poly_len(p), 1);
	ck_assert(p->t[0].c.num == 1 && p->t[0].c.den == 2);
	/* decimals as the user wrote them */
	ck_assert_int_eq(sym_rat_from_double(&r, 0.1, &d), DV_OK);
	ck_assert(r.num == 1 && r.den == 10);
	ck_assert_int_eq(sym_rat_from_double(&r, -2.5e-3, &d), DV_OK);
	ck_assert(r.num == -1 && r.den == 400);
	ck_assert_int_eq(sym_rat_mul(&r, (sym_rat){INT64_MAX, 1}, (sym_rat){2, 1}, &d),
	                 DV_E_LIMIT);
	ck_assert_str_eq(d.message, "a coefficient grew beyond 64 bits");
	sym_poly_free(p);
	sym_poly_free(q);
	sym_poly_free(x);
	sym_poly_free(y);
}
END_TEST

/* Entry i of src's value, printed in style, must read want. */
static void expect_entry(const char *src, size_t i, sym_style style, const char *want)
{
	sym_print_opts o = {style, NULL, NULL};
	dv_value v = ev(src);
	char *s = NULL;
	ck_assert_int_eq(sym_poly_format(&s, *(sym_poly **)dv_mat_at(v.mat, i),
	                                 sym_field_ctx(v.mat->field), &o, &d),
	                 DV_OK);
	ck_assert_msg(strcmp(s, want) == 0, "%s: got %s, want %s", src, s, want);
	free(s);
	dv_value_clear(&v);
}

START_TEST(test_printers_powers_fractions_and_wide_indices)
{
	bind_sym("W", 12, 3, "w");
	expect_entry("W", 29, SYM_ASCII, "w_{10,3}");
	expect_entry("W", 29, SYM_UNICODE, "w₁₀,₃");
	expect_entry("W", 29, SYM_LATEX, "w_{10,3}");
	expect_entry("X .^ 2", 0, SYM_ASCII, "x11^2");
	expect_entry("X .^ 2", 0, SYM_UNICODE, "x₁₁²");
	expect_entry("X .^ 2", 0, SYM_LATEX, "x_{11}^{2}");
	expect_entry("beta * b - sum(D) / 4", 0, SYM_ASCII,
	             "-1/4*d11 - 1/4*d12 - 1/4*d21 - 1/4*d22 + b*beta");
	expect_entry("beta * b - sum(D) / 4", 0, SYM_UNICODE,
	             "-(1/4)δ₁₁ - (1/4)δ₁₂ - (1/4)δ₂₁ - (1/4)δ₂₂ + bβ");
	expect_entry("beta * b - sum(D) / 4", 0, SYM_LATEX,
	             "-\\frac{1}{4}\\delta_{11} - \\frac{1}{4}\\delta_{12} - "
	             "\\frac{1}{4}\\delta_{21} - \\frac{1}{4}\\delta_{22} + b \\beta");
	expect_entry("2 - 3 + 0 * beta", 0, SYM_ASCII, "-1");
	expect_entry("beta - beta", 0, SYM_ASCII, "0");
	/* the chain rule through f, twice */
	expect_entry("grad(f(2 * beta), beta)", 0, SYM_ASCII, "2*f'(2*beta)");
	expect_entry("grad(f(f(beta)), beta)", 0, SYM_ASCII, "f'(beta)*f'(f(beta))");
	expect_entry("grad(df(beta), beta)", 0, SYM_UNICODE, "f′′(β)");
	expect_entry("sigmoid(X)", 0, SYM_LATEX, "\\sigma\\left(x_{11}\\right)");
}
END_TEST

/* Every operation: symbols with numbers put in = the numeric path. */
START_TEST(test_symbols_and_numbers_agree)
{
	static const char *const exprs[] = {
	        "conv(A, B)",
	        "conv(A, B, 'full')",
	        "conv(A, B, 'same')",
	        "xcorr(A, B)",
	        "xcorr(A, B, 'full')",
	        "xcorr(A, B, 'same')",
	        "conv(A, B, 'full', 'stride', 2, 'pad', 1)",
	        "xcorr(A, B, 'same', 'stride', 3)",
	        "rot180(A)",
	        "fliplr(A)",
	        "flipud(A)",
	        "A'",
	        "transpose(B)",
	        "pad(B, 2)",
	        "down(N, 2)",
	        "down(N, 2, 'mean')",
	        "up(B, 2)",
	        "up(B, 3, 'mean')",
	        "kron(B, K)",
	        "A .* C",
	        "A \xe2\x88\x98 C",
	        "A * C'",
	        "2 * A - C / 4 + 0.5",
	        "-A",
	        "sum(A)",
	        "sigmoid(B)",
	        "dsigmoid(B)",
	        "tanh(B) .* dtanh(B)",
	        "A .^ 3",
	        "[B B; B B]",
	        "identity(B) + didentity(B)",
	};
	dv_env *num = NULL;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	static const struct {
		const char *var, *sym;
		size_t rows, cols;
	} vars[] = {{"A", "a", 4, 5}, {"B", "g", 2, 3}, {"C", "c", 4, 5}};
	sym_value values[6];
	size_t nv = 0;

	ck_assert_ptr_nonnull(rng);
	ck_assert_int_eq(dv_env_new(&num, 9, &d), DV_OK);
	for (size_t i = 0; i < 3; i++) {
		dv_mat *m = NULL;
		bind_sym(vars[i].var, vars[i].rows, vars[i].cols, vars[i].sym);
		ck_assert_int_eq(
		        dv_mat_random(&m, rng, vars[i].rows, vars[i].cols, 1, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(num, vars[i].var, m, &d), DV_OK);
		values[nv++] = (sym_value){vars[i].sym, dv_env_lookup(num, vars[i].var)};
	}
	{
		dv_mat *m = NULL;
		ck_assert_int_eq(dv_mat_random(&m, rng, 4, 4, 1, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(num, "N", m, &d), DV_OK);
		values[nv++] = (sym_value){"n", dv_env_lookup(num, "N")};
		ck_assert_int_eq(dv_mat_random(&m, rng, 2, 2, 1, &d), DV_OK);
		ck_assert_int_eq(dv_env_bind(num, "K", m, &d), DV_OK);
		values[nv++] = (sym_value){"k", dv_env_lookup(num, "K")};
	}
	for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		dv_value s = ev(exprs[i]), n;
		dv_mat *put = NULL;
		int rc = dv_eval_string(&n, exprs[i], num, &d);
		ck_assert_msg(rc == DV_OK, "%s: %s", exprs[i], d.message);
		ck_assert_msg(!dv_mat_is_double(s.mat), "%s is not symbolic", exprs[i]);
		rc = sym_mat_substitute(&put, s.mat, values, nv, DV_ACT_SIGMOID, &d);
		ck_assert_msg(rc == DV_OK, "%s: %s", exprs[i], d.message);
		ck_assert_msg(put->rows == n.mat->rows && put->cols == n.mat->cols, "%s",
		              exprs[i]);
		for (size_t j = 0; j < dv_mat_len(put); j++) {
			double a = dv_mat_get(put, j), b = dv_mat_get(n.mat, j);
			ck_assert_msg(fabs(a - b) <= 1e-12 * (1 + fabs(b)),
			              "%s entry %zu: symbols give %.17g, numbers %.17g",
			              exprs[i], j, a, b);
		}
		dv_mat_free(put);
		dv_value_clear(&s);
		dv_value_clear(&n);
	}
	dv_env_free(num);
	gsl_rng_free(rng);
}
END_TEST

START_TEST(test_symbolic_refusals)
{
	static const struct {
		const char *src, *message;
	} bad[] = {
	        {"down(N, 2, 'max')",
	         "down: max pooling has no exact symbolic form: which "
	         "entry is largest depends on the numbers"},
	        {"drelu(X)", "drelu: relu's derivative jumps at 0, so it has no exact "
	                     "symbolic form (use numbers)"},
	        {"drelu(X - X)",
	         "drelu: relu has no derivative at 0: no exact symbolic form"},
	        {"sym(2, 2, 'x')",
	         "sym: the symbols 'x' already belong to a 3x3 matrix; two "
	         "matrices cannot share them (use another name)"},
	        {"sym(65, 2, 'q')",
	         "sym: a 65x2 matrix of symbols is outside 1x1 to 64x64 "
	         "(its tables would be too large to read)"},
	        {"X .^ 13", "'.^': a term would have degree 13; the limit is 12"},
	        {"grad(sum(X), [1 2])",
	         "grad: on numbers, the variable must be the name of a "
	         "matrix: grad(E, X)"},
	        {"X / beta", "'/': the divisor must be a number, not symbolic"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dv_value v;
		ck_assert_msg(dv_eval_string(&v, bad[i].src, env, &d) != DV_OK, "%s",
		              bad[i].src);
		ck_assert_str_eq(d.message, bad[i].message);
	}
}
END_TEST

/* In an exact environment a literal is a rational as written, and
 * arithmetic on constants never rounds. */
START_TEST(test_exact_constants_never_round)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
	        {"b + (2^60 + 1 - 2^60)", "1 + b"},
	        {"b + (0.1 + 0.2 - 0.3)", "b"},
	        {"b / 3 + 1/3", "1/3 + 1/3*b"},
	        {"b * 0.1", "1/10*b"},
	        {"b / 0.1", "10*b"},
	        {"b * 2.5e-3", "1/400*b"},
	};
	ck_assert_int_eq(dv_env_make_exact(env, &d), DV_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_table(cases[i].src, SYM_ASCII, &cases[i].want, 1);
	/* the false claim is refuted, the true one holds */
	expect_check("equal(X + (2^60 + 1 - 2^60), X)", 0);
	expect_check("equal(X + (0.1 + 0.2 - 0.3), X)", 1);
	/* what would need an irrational is not decided exactly */
	{
		dv_value v;
		ck_assert_int_ne(dv_eval_string(&v, "exp(2) + X", env, &d), DV_OK);
		ck_assert_int_eq(d.code, DV_E_SYMBOLIC);
		ck_assert_int_ne(dv_eval_string(&v, "X + 1e-30", env, &d), DV_OK);
		ck_assert_int_eq(d.code, DV_E_SYMBOLIC);
	}
}
END_TEST

/* Polynomials in sigmoid and tanh that differ are not taken to differ as
 * functions unless their arguments are independent. */
START_TEST(test_sigmoid_identities_are_not_refuted_exactly)
{
	static const struct {
		const char *src;
		dv_verdict verdict;
	} cases[] = {
	        {"equal(sigmoid(-X), 1 - sigmoid(X))", DV_VERDICT_INCONCLUSIVE},
	        {"equal(sigmoid(2*X), (1 + tanh(X)) / 2)", DV_VERDICT_INCONCLUSIVE},
	        {"equal(tanh(-X), -tanh(X))", DV_VERDICT_INCONCLUSIVE},
	        {"equal(sigmoid(0) + X, 0.5 + X)", DV_VERDICT_INCONCLUSIVE},
	        {"equal(relu(X) - relu(-X), X)", DV_VERDICT_INCONCLUSIVE},
	        /* independent arguments: a difference is a difference */
	        {"equal(sigmoid(X), sigmoid(X)')", DV_VERDICT_FAILS},
	        {"equal(sigmoid(X), tanh(X))", DV_VERDICT_INCONCLUSIVE},
	        {"equal(sigmoid(beta), sigmoid(b))", DV_VERDICT_FAILS},
	        {"equal(f(X), f(-X))", DV_VERDICT_FAILS},
	        {"equal(dsigmoid(X), sigmoid(X) .* (1 - sigmoid(X)))", DV_VERDICT_HOLDS},
	};
	ck_assert_int_eq(dv_env_make_exact(env, &d), DV_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dv_value v = ev(cases[i].src);
		ck_assert_int_eq(v.kind, DV_V_CHECK);
		ck_assert_msg(v.check.verdict == cases[i].verdict, "%s: %s, not %s",
		              cases[i].src, dv_verdict_name(v.check.verdict),
		              dv_verdict_name(cases[i].verdict));
		dv_value_clear(&v);
	}
}
END_TEST

static Suite *sym_suite(void)
{
	Suite *s = suite_create("sym");
	TCase *notes = tcase_create("notes");
	TCase *errata = tcase_create("errata");
	TCase *engine = tcase_create("engine");

	tcase_add_checked_fixture(notes, setup, teardown);
	tcase_add_test(notes, test_forward_table_matches_notes);
	tcase_add_test(notes, test_kernel_gradient_four_lines_match_notes);
	tcase_add_test(notes, test_tmp_matrix_matches_notes);
	tcase_add_test(notes, test_input_gradient_nine_lines_match_notes);
	tcase_add_test(notes, test_notes_latex_notation);
	tcase_add_test(notes, test_pooling_delta_is_beta_up_hadamard_fprime);
	tcase_add_test(notes, test_pooling_parameter_gradients);
	suite_add_tcase(s, notes);

	tcase_add_checked_fixture(errata, setup, teardown);
	tcase_add_test(errata, test_erratum_index_formula_needs_zero_based_offsets);
	tcase_add_test(errata, test_erratum_kernel_gradient_formula_is_cross_correlation);
	tcase_add_test(errata, test_erratum_conv_delta_needs_rotated_kernel);
	tcase_add_test(errata, test_erratum_padded_delta_star_is_cross_correlation);
	tcase_add_test(errata, test_erratum_bias_line_means_dE_db);
	suite_add_tcase(s, errata);

	tcase_add_checked_fixture(engine, setup, teardown);
	tcase_add_test(engine, test_canonical_form);
	tcase_add_test(engine, test_printers_powers_fractions_and_wide_indices);
	tcase_add_test(engine, test_symbols_and_numbers_agree);
	tcase_add_test(engine, test_symbolic_refusals);
	tcase_add_test(engine, test_exact_constants_never_round);
	tcase_add_test(engine, test_sigmoid_identities_are_not_refuted_exactly);
	suite_add_tcase(s, engine);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sym_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
