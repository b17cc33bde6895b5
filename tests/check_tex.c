/* Tests of the LaTeX reader: what the notes write, read into the tree the
 * meaning pass expects, with positions; and what it cannot read, refused
 * with the place and the token. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/strbuf.h"
#include "tex/tex.h"

/* The S-expressions of a formula's sides, "|" between sides, ";" between
 * chains; a chain that could not be read is "!line:col: message". */
static char *read_all(const char *src)
{
	tex_block *b = NULL;
	dv_diag d = {0};
	dv_strbuf s;
	char *out = NULL;

	ck_assert_int_eq(tex_read(&b, src, strlen(src), 1, 1, &d), DV_OK);
	dv_strbuf_init(&s);
	for (size_t i = 0; i < b->nchains; i++) {
		const tex_chain *c = &b->chains[i];
		if (i > 0)
			dv_strbuf_puts(&s, "; ");
		if (c->problem.code != DV_OK) {
			dv_strbuf_printf(&s, "!%d:%d: %s", c->problem.line, c->problem.column,
			                 c->problem.message);
			continue;
		}
		for (size_t j = 0; j < c->nsides; j++) {
			if (j > 0)
				dv_strbuf_puts(&s, " | ");
			tex_node_print(&s, c->sides[j].tree);
		}
	}
	ck_assert_int_eq(dv_strbuf_finish(&s, &out, &d), DV_OK);
	tex_block_free(b);
	return out;
}

#define ck_reads(src, want)                                                              \
	do {                                                                             \
		char *got_ = read_all(src);                                              \
		ck_assert_msg(strcmp(got_, want) == 0, "%s\n  read: %s\n  want: %s",     \
		              src, got_, want);                                          \
		free(got_);                                                              \
	} while (0)

/* A formula as a terminal shows it: the notes' own notation in Unicode. */
START_TEST(test_formulas_in_unicode)
{
	static const char *const cases[][2] = {
	        {"X_j^l = f(\\sum_{i\\in M_j^l} K_{i,j}^l * X_i^{l-1} + b_j^l)",
	         "Xⱼˡ = f(Σ_{i∈Mⱼˡ} Kᵢ,ⱼˡ * Xᵢˡ⁻¹ + bⱼˡ)"},
	        {"\\frac{\\partial E}{\\partial K_{r,s}} = \\sum_u \\sum_v \\delta_{u,v} X_{u+r,v+s}",
	         "∂E/∂Kᵣ,ₛ = Σᵤ Σᵥ δᵤ,ᵥ Xᵤ₊ᵣ,ᵥ₊ₛ"},
	        {"\\frac { \\partial E } {\\partial a} \\frac{\\partial a}{\\partial K}",
	         "(∂E/∂a) (∂a/∂K)"},
	        {"\\frac{a+b}{c}", "(a+b)/c"},
	        {"f'(x) \\circ \\operatorname{conv2}\\left(\\delta, K, \\text{'full'}\\right)",
	         "f′(x) ∘ conv2(δ, K, 'full')"},
	        {"x \\in \\{0,1\\}", "x ∈ {0,1}"},
	        {"\\frac{1}{2}\\|y - t\\|^2 \\tag{3}", "(1/2)‖y - t‖²   (3)"},
	        {"\\sqrt{n} \\sqrt{a+b}", "√n √(a+b)"},
	        {"\\mathbf{W}^\\top", "Wᵀ"},
	        {"a^{(2)}_{ij}", "a⁽²⁾ᵢⱼ"},
	        {"W^{[l]}", "W^{[l]}"},  /* no small [ ]: as written */
	        {"\\unknown{x}", "unknownx"},
	        {"{\\frac", "/"},        /* unfinished: still some text */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dv_strbuf b;
		dv_strbuf_init(&b);
		tex_to_unicode(&b, cases[i][0]);
		ck_assert_msg(b.s != NULL && strcmp(b.s, cases[i][1]) == 0, "%s: '%s', not '%s'",
		              cases[i][0], b.s != NULL ? b.s : "(nothing)", cases[i][1]);
		dv_strbuf_free(&b);
	}
}
END_TEST

START_TEST(test_subscripts_and_superscripts_in_either_order)
{
	ck_reads("\\delta^{l+1}_{11}", "(sym delta _11 ^(add l 1))");
	ck_reads("\\delta_{11}^{l+1}", "(sym delta _11 ^(add l 1))");
	ck_reads("(\\delta_j^{l+1})_{u,v}", "(group (sym delta _j ^(add l 1)) _(list u v))");
	ck_reads("K_{i,j}^l", "(sym K _(list i j) ^l)");
	ck_reads("x_{1,1}", "(sym x _(list 1 1))");
	/* x_11 is x_1 followed by 1, as TeX reads it */
	ck_reads("x_11", "(juxt (sym x _1) 1)");
}
END_TEST

START_TEST(test_products_fractions_sums_and_calls)
{
	ck_reads("x_{11}k_{22}+x_{12}k_{21}",
	         "(add (juxt (sym x _11) (sym k _22)) (juxt (sym x _12) (sym k _21)))");
	ck_reads("\\frac{\\partial E}{\\partial x_{11}}",
	         "(frac (group (partial E)) (group (partial (sym x _11))))");
	ck_reads("\\sum_u \\sum_v (\\delta)_{u,v}",
	         "(sum (sum (group delta _(list u v)) _v) _u)");
	ck_reads("\\sum_{i\\in M_j^l} K * X + b",
	         "(add (sum (* K X) _(in i (sym M _j ^l))) b)");
	ck_reads("f'(net_i^l) \\circ conv2(\\delta, rot180(K), 'full')",
	         "(circ (call f' (sym net _i ^l)) (call conv2 delta (call rot180 K) full))");
	ck_reads("\\beta \\cdot down(X)", "(cdot beta (call down X))");
	/* the builtins past the notes are functions too */
	ck_reads("unpool(\\delta, X, 2) + exp(a) - log(b) + dilate(D, 2) + crop(A, 1)",
	         "(add (add (sub (add (call unpool delta X 2) (call exp a)) (call log b)) "
	         "(call dilate D 2)) (call crop A 1))");
	ck_reads("\\left( a + b \\right) c", "(juxt (group (add a b)) c)");
	/* a parenthesis the notes leave open is closed by the brace around it */
	ck_reads("\\frac{\\partial E}{\\partial ( (K)_{r,s} }",
	         "(frac (group (partial E)) (group (partial (group (group K _(list r s))))))");
}
END_TEST

START_TEST(test_matrices_chains_and_alignment)
{
	ck_reads("X=\\begin{bmatrix} x_{11} & x_{12}\\\\ x_{21} & x_{22} \\end{bmatrix}",
	         "X | (matrix 2x2 (sym x _11) (sym x _12) (sym x _21) (sym x _22))");
	/* rows of an aligned block that start with = continue the chain */
	ck_reads("\\begin{aligned} a & = b \\\\ & = c \\end{aligned}", "a | b | c");
	/* a layout matrix's cells are separate formulas */
	ck_reads("\\begin{matrix} X = 1 & K = 2 \\end{matrix}", "X | 1; K | 2");
	/* commas between entries, as the notes' [k11,k12 \\ k21,k22] */
	ck_reads("\\begin{bmatrix} k11,k12 \\\\ k21,k22 \\end{bmatrix}",
	         "(matrix 2x2 k11 k12 k21 k22)");
	/* a Chinese annotation and \text{} are not math */
	ck_reads("a = b \\text{(for all u)} （卷积层）", "a | b");
}
END_TEST

/* LaTeX as other authors write it (tex.h lists what each becomes) */
START_TEST(test_latex_as_people_write_it)
{
	ck_reads("\\sum_{m=0}^{k_1-1} x_m \\tag{1}", "(sum (sym x _m) 0 _m ^(sub (sym k _1) 1))");
	ck_reads("a = b \\label{eq:one} \\nonumber", "a | b");
	ck_reads("\\nabla_W E", "(frac nabla (partial E) (partial W))");
	ck_reads("\\bigtriangledown_{\\mathbf{x}} L", "(frac nabla (partial L) (partial x))");
	ck_reads("f^{\\prime}(z) + \\sigma'(z)", "(add (call f' z) (call sigma' z))");
	ck_reads("W^{\\top} x + W^{\\mathsf T} x",
	         "(add (juxt (sym W ^T) x) (juxt (sym W ^T) x))");
	ck_reads("I(i+m, j+n) K[m, n]",
	         "(juxt (sym I _(list (add i m) (add j n))) (sym K _(list m n)))");
	/* one argument in parentheses stays a product */
	ck_reads("a(b + c)", "(juxt a (group (add b c)))");
	ck_reads("\\max(0, x)", "(call max 0 x)");
	ck_reads("X \\otimes W + X \\star W", "(add (* X W) (star X W))");
	ck_reads("\\mathcal{L} + \\hat{y} + \\boldsymbol{\\delta}", "(add (add L yhat) delta)");
	ck_reads("\\begin{bmatrix} a & \\cdots \\end{bmatrix}", "(matrix 1x2 a dots)");
	/* a set in a subscript; a definition by cases, read as one (not checked) */
	ck_reads("y = \\max_{p \\in \\{0, 1\\}} x_p", "y | (juxt (sym max _(in p set)) (sym x _p))");
	ck_reads("y = \\begin{cases} a & x > 0 \\\\ 0 & \\text{else} \\end{cases}", "y | (cases)");
}
END_TEST

START_TEST(test_what_cannot_be_read_says_where)
{
	ck_reads("a_{11 = b", "!1:7: expected '}', found '='");
	ck_reads("a = \\foo b", "!1:5: unknown LaTeX command '\\foo'");
	ck_reads("= b", "!1:3: '=' with nothing on its left");
	ck_reads("\\begin{bmatrix} a & b \\\\ c \\end{bmatrix}",
	         "!1:28: a row of this matrix has 1 entries, the first 2");
	ck_reads("a \\approx b", "!1:3: the relation '\\approx': verify checks equations (=)");
	/* a second line keeps its own line number */
	ck_reads("a = b\\\\\nc = (d", "a | b; !2:7: expected ')', found the end of the formula");
	/* a sum's lower bound, then an upper bound that cannot be read: the
	 * bound read first is freed (the fuzz harness found it leaked) */
	ck_reads("a = \\sum_{m=0}^{(} x", "!1:18: expected a symbol, a number or '(', found '}'");
	/* a script inside a sum's lower bound is no sum's: its = is an error,
	 * and nothing read before it is lost (the fuzz harness found a leak) */
	ck_reads("a = \\sum_{h=u_{w=0}} x", "!1:17: expected '}', found '='");
}
END_TEST

START_TEST(test_limits)
{
	char *deep = malloc(4000), *got;
	size_t n = 0;
	for (int i = 0; i < 1000; i++)
		deep[n++] = '(';
	deep[n++] = 'x';
	for (int i = 0; i < 1000; i++)
		deep[n++] = ')';
	deep[n] = '\0';
	got = read_all(deep);
	ck_assert_msg(strstr(got, "nests deeper than verify reads") != NULL, "%s", got);
	free(got);
	free(deep);
}
END_TEST

static Suite *tex_suite(void)
{
	Suite *s = suite_create("tex");
	TCase *t = tcase_create("reader");
	tcase_add_test(t, test_subscripts_and_superscripts_in_either_order);
	tcase_add_test(t, test_products_fractions_sums_and_calls);
	tcase_add_test(t, test_matrices_chains_and_alignment);
	tcase_add_test(t, test_latex_as_people_write_it);
	tcase_add_test(t, test_what_cannot_be_read_says_where);
	tcase_add_test(t, test_limits);
	tcase_add_test(t, test_formulas_in_unicode);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
