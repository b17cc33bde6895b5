/* Tests of exercises: every way to write an answer, what a wrong answer is
 * told, and progress that survives a crash in the middle of a save. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <gsl/gsl_errno.h>

#include "lesson/exercise.h"
#include "lesson/library.h"
#include "lesson/progress.h"
#include "sym/ctx.h"
#include "sym/print.h"

#ifndef LESSONS_DIR
#error "LESSONS_DIR must name the lessons folder"
#endif

static lesson *les;
static lesson_result *res;
static dv_diag d;
static char state[256];

static void open_lesson(const char *name, unsigned long seed)
{
	char path[512];
	lesson_errors errs;
	lesson_opts o = {seed, NULL, 0, 1, NULL};
	snprintf(path, sizeof path, "%s/%s.lesson", LESSONS_DIR, name);
	ck_assert_int_eq(lesson_load(&les, path, &errs), DV_OK);
	ck_assert_msg(lesson_run(&res, les, &o, &d) == DV_OK, "%s", d.message);
}

static void setup(void)
{
	gsl_set_error_handler_off();
	dv_diag_clear(&d);
	les = NULL;
	res = NULL;
	snprintf(state, sizeof state, "/tmp/verify-check-exercise-%ld", (long)getpid());
	setenv("XDG_STATE_HOME", state, 1);
}

static void teardown(void)
{
	char cmd[300];
	lesson_result_free(res);
	lesson_free(les);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", state);
}

static lesson_answer mark(const char *id, const char *text)
{
	lesson_answer a;
	const lesson_action *ex = lesson_find_exercise(les, id);
	ck_assert_msg(ex != NULL, "no exercise %s", id);
	ck_assert_msg(lesson_answer_check(&a, res, ex, text, &d) == DV_OK, "%s",
	              d.message);
	return a;
}

static void expect_right(const char *id, const char *text)
{
	lesson_answer a = mark(id, text);
	ck_assert_msg(a.problem.code == DV_OK, "'%s' could not be read: %s", text,
	              a.problem.message);
	ck_assert_msg(a.correct, "'%s' should be right for %s", text, id);
	lesson_answer_clear(&a);
}

static char *ascii(const sym_poly *p)
{
	sym_print_opts o = {SYM_ASCII, NULL, NULL};
	char *s = NULL;
	ck_assert_int_eq(sym_poly_format(&s, p, lesson_result_symbols(res), &o, &d),
	                 DV_OK);
	return s;
}

/* spaces do not matter to the parser: compare without them */
static void squeeze(char *s)
{
	for (char *p = s, *q = s;; p++) {
		if (*p == ' ')
			continue;
		*q++ = *p;
		if (*p == '\0')
			break;
	}
}

START_TEST(test_normalize_reads_plain_and_unicode)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"d11*k11 + d12*k12", "d11*k11+d12*k12"},
	        {"δ11 k11 + δ12 k12", "d11*k11+d12*k12"},
	        {"δ₁₁k₁₁ + δ₁₂k₁₂", "d11*k11+d12*k12"},
	        {"d_11 k_22", "d11*k22"},
	        {"2d11", "2*d11"},
	        {"β p₁₁ f′(n₁₁)", "beta*p11*df(n11)"},
	        {"beta*p11*f'(n11)", "beta*p11*df(n11)"},
	        {"x_10_3", "x_10_3"},
	        {"1e-3 x11", "1e-3*x11"},
	        {"xcorr(D, K, 'full')", "xcorr(D,K,'full')"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		ck_assert_int_eq(lesson_answer_normalize(&out, cases[i].in, &d), DV_OK);
		squeeze(out);
		ck_assert_msg(strcmp(out, cases[i].out) == 0, "'%s' read as '%s', not '%s'",
		              cases[i].in, out, cases[i].out);
		free(out);
	}
}
END_TEST

/* LaTeX answers go through the one LaTeX reader, under the lesson's symbols:
 * names for an entry exercise, entry() and matrices for a form answer. */
START_TEST(test_latex_answers_read_by_the_tex_reader)
{
	static const struct {
		int names;
		const char *in, *out;
	} cases[] = {
	        {1, "(\\delta_j^{l+1})_{11} k_{11}", "(d11*k11)"},
	        {1, "\\delta^{l+1}_{11}k_{11}", "(d11*k11)"},
	        {1, "\\left(\\delta_j^{l+1}\\right)_{12} k_{21}", "(d12*k21)"},
	        {1, "{\\delta}_{1,1} \\cdot k_{22}", "(d11*k22)"},
	        {1, "$\\delta_{11}k_{11}$", "(d11*k11)"},
	        {1, "\\(\\delta_{11}k_{11}\\)", "(d11*k11)"},
	        {1, "\\frac{\\partial E}{\\partial a_{11}} k_{11}", "(d11*k11)"},
	        {1, "\\frac{1}{4} \\delta_{11}", "(((1)/(4))*d11)"},
	        {1, "\\delta_11 k_22", "(d11*k22)"},
	        {1, "\\frac{\\partial E}{\\partial x_{22}} = \\delta_{22} k_{11}",
	         "(d22*k11)"},
	        {1, "x_{3,3}^2 - k22", "((x33)^2 - k22)"},
	        {0, "conv2(\\delta, rot180(K), 'full')", "conv2(D, rot180(K), 'full')"},
	        {0, "\\delta_{21} \\circ x_{11}", "(entry(D, 2, 1).*entry(X, 1, 1))"},
	        {0, "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", "[1, 2; 3, 4]"},
	};
	open_lesson("pooling-delta", 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		dv_diag p = {0};
		ck_assert_msg(lesson_answer_text(&out, res, cases[i].names, cases[i].in, &p) ==
		                      DV_OK,
		              "'%s': %s", cases[i].in, p.message);
		ck_assert_msg(strcmp(out, cases[i].out) == 0, "'%s' read as '%s', not '%s'",
		              cases[i].in, out, cases[i].out);
		free(out);
	}
}
END_TEST

/* An unreadable LaTeX answer names the student's own token, and where. */
START_TEST(test_latex_answers_refused_with_the_students_token)
{
	static const struct {
		const char *in, *message;
		int column;
	} cases[] = {
	        {"\\delta_{11} k_{11} + \\gamma_{12}", "\\gamma_{12} is not a symbol of this lesson",
	         22},
	        {"\\delta_{13} k_{11}", "\\delta_{13} is not an entry: \\delta is 2x2", 1},
	        {"\\delta k_{11}",
	         "\\delta is a whole matrix; this exercise asks for one entry: give each "
	         "entry its subscript, as in _{11}",
	         1},
	        {"$\\delta_{11} + ($", "expected a symbol, a number or '(', found the end of "
	                           "the formula", 17},
	        {"\\sum_u \\delta_{u1}",
	         "\\sum_{u} \\delta_{u1}: a sum with an index is not read in an answer; "
	         "write its terms out",
	         1},
	        {"\\frac{\\partial E}{\\partial x_{11}}",
	         "\\frac{\\partial E}{\\partial x_{11}} is a gradient, not a δ: write it "
	         "with δ and the lesson's symbols",
	         1},
	};
	open_lesson("pooling-delta", 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		dv_diag p = {0};
		ck_assert_int_ne(lesson_answer_text(&out, res, 1, cases[i].in, &p), DV_OK);
		ck_assert_ptr_null(out);
		ck_assert_msg(strcmp(p.message, cases[i].message) == 0, "'%s': '%s'",
		              cases[i].in, p.message);
		ck_assert_msg(p.column == cases[i].column, "'%s': column %d, not %d",
		              cases[i].in, p.column, cases[i].column);
	}
}
END_TEST

START_TEST(test_entry_every_form_of_the_right_answer)
{
	open_lesson("pooling-delta", 1);
	expect_right("dx22", "d11*k11 + d12*k12 + d21*k21 + d22*k22");
	expect_right("dx22", "d22*k22 + d21*k21 + d12*k12 + d11*k11");
	expect_right("dx22", "δ11 k11 + δ12 k12 + δ21 k21 + δ22 k22");
	expect_right("dx22", "δ₁₁k₁₁ + δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₂");
	/* as the notes print it */
	expect_right(
	        "dx22",
	        "(\\delta_{j}^{l+1})_{11} k_{11}   + (\\delta_{j}^{l+1})_{12} "
	        "k_{12} + (\\delta_{j}^{l+1})_{21} k_{21}   + (\\delta_{j}^{l+1})_{22} "
	        "k_{22}");
	/* the spellings a student uses in LaTeX (issue #11) */
	expect_right("dx22", "\\delta^{l+1}_{11}k_{11} + \\delta^{l+1}_{12}k_{12} + "
	                     "\\delta^{l+1}_{21}k_{21} + \\delta^{l+1}_{22}k_{22}");
	expect_right("dx22", "\\left(\\delta_j^{l+1}\\right)_{11} k_{11} + "
	                     "\\left(\\delta_j^{l+1}\\right)_{12} k_{12} + "
	                     "\\left(\\delta_j^{l+1}\\right)_{21} k_{21} + "
	                     "\\left(\\delta_j^{l+1}\\right)_{22} k_{22}");
	expect_right("dx22", "{\\delta}_{11}k_{11} + {\\delta}_{12}k_{12} + "
	                     "{\\delta}_{21}k_{21} + {\\delta}_{22}k_{22}");
	expect_right("dx22", "$\\delta_{1,1}k_{1,1} + \\delta_{1,2}k_{1,2} + "
	                     "\\delta_{2,1}k_{2,1} + \\delta_{2,2}k_{2,2}$");
	expect_right("dx22", "\\frac{\\partial E}{\\partial a_{11}}k_{11} + "
	                     "\\frac{\\partial E}{\\partial a_{12}}k_{12} + "
	                     "\\frac{\\partial E}{\\partial a_{21}}k_{21} + "
	                     "\\frac{\\partial E}{\\partial a_{22}}k_{22}");
	expect_right("dx22", "\\delta_\n{1,1} k_{11} + \\delta_{12} k_{12} + "
	                     "\\delta_{21} k_{21} + \\delta_{22} k_{22}");
}
END_TEST

START_TEST(test_entry_wrong_answer_names_missing_and_extra_terms)
{
	lesson_answer a;
	char *missing, *extra;
	open_lesson("pooling-delta", 1);
	a = mark("dx22", "d11*k11 + d12*k12 + d21*k21 + d22*k11");
	ck_assert(!a.correct);
	missing = ascii(a.missing);
	extra = ascii(a.extra);
	ck_assert_str_eq(missing, "d22*k22");
	ck_assert_str_eq(extra, "d22*k11");
	free(missing);
	free(extra);
	lesson_answer_clear(&a);
	a = mark("dx22", "2*d11*k11 + d12*k12 + d21*k21 + d22*k22");
	missing = ascii(a.missing);
	extra = ascii(a.extra);
	ck_assert_str_eq(missing, "d11*k11");
	ck_assert_str_eq(extra, "2*d11*k11");
	free(missing);
	free(extra);
	lesson_answer_clear(&a);
}
END_TEST

START_TEST(test_unreadable_answers_say_why)
{
	lesson_answer a;
	open_lesson("pooling-delta", 1);
	a = mark("dx22", "d11*k11 +");
	ck_assert(!a.correct);
	ck_assert_str_eq(a.problem.message,
	                 "expected a number, a name, '(' or '[' but found end of input");
	lesson_answer_clear(&a);
	a = mark("dx22", "q11*k11");
	ck_assert_str_eq(a.problem.message, "unknown name 'q11' (did you mean 'x11'?)");
	lesson_answer_clear(&a);
	a = mark("dx22", "   ");
	ck_assert_str_eq(a.problem.message, "the answer is empty");
	lesson_answer_clear(&a);
	a = mark("dx22", "[d11 d12]");
	ck_assert_str_eq(a.problem.message,
	                 "the answer is a 1x2 matrix; the exercise asks for one entry");
	lesson_answer_clear(&a);
}
END_TEST

START_TEST(test_numbers_point_at_wrong_entries)
{
	lesson_answer a;
	open_lesson("forward-conv", 1);
	expect_right("example", "[23 33; 53 63]");
	expect_right("example", "[23, 33\n53, 63]");
	a = mark("example", "[23 34; 53 62]");
	ck_assert(!a.correct);
	ck_assert_uint_eq(a.nwrong, 2);
	ck_assert(a.wrong_row[0] == 1 && a.wrong_col[0] == 2);
	ck_assert(a.wrong_row[1] == 2 && a.wrong_col[1] == 2);
	lesson_answer_clear(&a);
	a = mark("example", "[23 33 0; 53 63 0]");
	ck_assert(a.shape_differs);
	lesson_answer_clear(&a);
	/* the question itself is not an answer: no names */
	a = mark("example", "conv(X, K)");
	ck_assert_str_eq(a.problem.message, "unknown name 'X'");
	lesson_answer_clear(&a);
}
END_TEST

START_TEST(test_numbers_differ_per_student)
{
	lesson_answer a;
	open_lesson("pooling-forward", 11);
	a = mark("pooled", "[0 0; 0 0]");
	ck_assert(!a.correct);
	lesson_answer_clear(&a);
	{
		/* the right answer is this student's down(X, 2) */
		const dv_mat *x = dv_env_lookup(res->shown, "X");
		char buf[256];
		double s[4] = {0, 0, 0, 0};
		for (size_t i = 0; i < 4; i++)
			for (size_t j = 0; j < 4; j++)
				s[(i / 2) * 2 + j / 2] += dv_mat_get(x, i * 4 + j);
		snprintf(buf, sizeof buf, "[%g %g; %g %g]", s[0], s[1], s[2], s[3]);
		expect_right("pooled", buf);
	}
}
END_TEST

START_TEST(test_form_accepts_every_correct_expression)
{
	lesson_answer a;
	open_lesson("pooling-delta", 1);
	expect_right("full", "xcorr(D, K, 'full')");
	expect_right("full", "conv2(D, rot180(K), 'full')");
	expect_right("full", "xcorr(pad(D, rows(K) - 1, cols(K) - 1), K)");
	a = mark("full", "conv2(D, K, 'full')");
	ck_assert(!a.correct);
	ck_assert_ptr_nonnull(a.check);
	ck_assert(!a.check->exact.value.check.holds);
	ck_assert_uint_eq(a.check->exact.value.check.row, 1);
	ck_assert_uint_eq(a.check->exact.value.check.col, 1);
	lesson_answer_clear(&a);
}
END_TEST

START_TEST(test_diagnose_wants_the_line_and_its_fix)
{
	lesson_answer a;
	size_t line;
	open_lesson("pooling-delta", 1);
	ck_assert_int_eq(lesson_exercise_wrong_line(
	                         &line, res, lesson_find_exercise(les, "valid"), &d),
	                 DV_OK);
	ck_assert_uint_eq(line, 2);
	expect_right("valid", "2: conv2(D, rot180(K), 'full')");
	expect_right("valid", "line 2: xcorr(D, K, 'full')");
	a = mark("valid", "1: xcorr(D, K, 'full')");
	ck_assert(!a.correct);
	ck_assert_uint_eq(a.line_given, 1);
	ck_assert_uint_eq(a.line_wrong, 2);
	lesson_answer_clear(&a);
	a = mark("valid", "2: conv2(D, K, 'full')");
	ck_assert(!a.correct);
	ck_assert_ptr_nonnull(a.check);
	lesson_answer_clear(&a);
	a = mark("valid", "two");
	ck_assert_str_eq(a.problem.message,
	                 "answer with the number of the wrong line and its "
	                 "right side: \"2: EXPR\" (lines 1 to 3)");
	lesson_answer_clear(&a);
}
END_TEST

START_TEST(test_every_mistake_is_caught_named_and_repaired)
{
	/*
	 * The drill catalogue, entry by entry, at several seeds: the wrong step
	 * fails and its repair holds; each of its names and its repair are
	 * right answers; the wrong step's own right side is not; and naming
	 * another mistake is right only if that one's repair fixes the step.
	 */
	static const char *const required[] = {
	        "missing-rot180", "transpose-for-rot180", "valid-for-full",
	        "missing-mean",   "missing-beta",         "fprime-layer",
	        "missing-sum",    "missing-dilation",     "max-spread"};
	lesson_entry *list = NULL;
	size_t n = 0, found = 0;
	setenv("VERIFY_LESSONS", LESSONS_DIR, 1);
	ck_assert_int_eq(lesson_library_list(&list, &n, &d), DV_OK);
	for (unsigned long seed = 1; seed <= 3; seed++)
		for (size_t i = 0; i < n; i++) {
			const lesson_action **ex = NULL;
			size_t nex = 0;
			lesson_opts o = {seed, NULL, 0, 1, NULL};
			lesson_result *r = NULL;
			ck_assert_int_eq(lesson_exercises(&ex, &nex, list[i].lesson, &d),
			                 DV_OK);
			ck_assert_int_eq(lesson_run(&r, list[i].lesson, &o, &d), DV_OK);
			for (size_t k = 0; k < nex; k++) {
				const lesson_action *e = ex[k];
				lesson_check *c = NULL;
				lesson_answer a;
				if (e->ex_kind != EXERCISE_MISTAKE)
					continue;
				if (seed == 1)
					for (size_t q = 0; q < 9; q++)
						found += strcmp(e->ex_id, required[q]) == 0;
				ck_assert_int_eq(lesson_decide(&c, &e->lines[0], r, &d), DV_OK);
				ck_assert_msg(!c->passed, "%s: the wrong step holds at seed %lu",
				              e->ex_id, seed);
				lesson_check_free(c);
				ck_assert_int_eq(lesson_decide(&c, e->caught, r, &d), DV_OK);
				ck_assert_msg(c->passed, "%s: not caught, or not repaired, at "
				                         "seed %lu",
				              e->ex_id, seed);
				lesson_check_free(c);
				for (size_t q = 0; q < e->nnames; q++) {
					ck_assert_int_eq(lesson_answer_check(&a, r, e, e->names[q],
					                                     &d),
					                 DV_OK);
					ck_assert_msg(a.correct && a.named == e,
					              "%s: its name '%s' is not taken", e->ex_id,
					              e->names[q]);
					lesson_answer_clear(&a);
				}
				ck_assert_int_eq(lesson_answer_check(&a, r, e, e->fix_text, &d),
				                 DV_OK);
				ck_assert_msg(a.correct, "%s: its repair is not right", e->ex_id);
				lesson_answer_clear(&a);
				ck_assert_int_eq(lesson_answer_check(&a, r, e,
				                                     e->lines[0].rhs_text, &d),
				                 DV_OK);
				ck_assert_msg(!a.correct, "%s: the mistake itself passes",
				              e->ex_id);
				lesson_answer_clear(&a);
			}
			free(ex);
			lesson_result_free(r);
		}
	ck_assert_uint_eq(found, 9);
	lesson_library_free(list, n);
}
END_TEST

START_TEST(test_naming_another_mistake)
{
	/* the missing rotation named for a missing sum: wrong, and said so; a
	 * transpose named for the missing rotation: its repair (rot180) fixes
	 * that step too, so it counts */
	lesson_entry *list = NULL;
	size_t n = 0;
	const lesson *l = NULL;
	const lesson_action *sum = NULL, *rot = NULL;
	lesson_opts o = {1, NULL, 0, 1, NULL};
	lesson_result *r = NULL;
	lesson_answer a;

	setenv("VERIFY_LESSONS", LESSONS_DIR, 1);
	ck_assert_int_eq(lesson_library_list(&list, &n, &d), DV_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, "mistakes") == 0)
			l = list[i].lesson;
	ck_assert_ptr_nonnull(l);
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++) {
			const lesson_action *e = &l->steps[i].actions[j];
			if (e->ex_id != NULL && strcmp(e->ex_id, "missing-sum") == 0)
				sum = e;
			if (e->ex_id != NULL && strcmp(e->ex_id, "missing-rot180") == 0)
				rot = e;
		}
	ck_assert_ptr_nonnull(sum);
	ck_assert_ptr_nonnull(rot);
	ck_assert_int_eq(lesson_run(&r, l, &o, &d), DV_OK);
	ck_assert_int_eq(lesson_answer_check(&a, r, sum, "Missing ROT180!", &d), DV_OK);
	ck_assert(!a.correct);
	ck_assert_ptr_eq(a.named, rot);
	lesson_answer_clear(&a);
	ck_assert_int_eq(lesson_answer_check(&a, r, rot, "transpose", &d), DV_OK);
	ck_assert(a.correct);
	ck_assert_ptr_ne(a.named, rot);
	lesson_answer_clear(&a);
	ck_assert_int_eq(lesson_answer_check(&a, r, sum, "missing_sum", &d), DV_OK);
	ck_assert(a.correct);
	lesson_answer_clear(&a);
	lesson_result_free(r);
	lesson_library_free(list, n);
}
END_TEST

START_TEST(test_every_lesson_has_exercises_and_each_can_be_answered)
{
	/* each exercise's own answer, given back, is right */
	lesson_entry *list = NULL;
	size_t n = 0, drills = 0;
	setenv("VERIFY_LESSONS", LESSONS_DIR, 1);
	ck_assert_int_eq(lesson_library_list(&list, &n, &d), DV_OK);
	ck_assert_uint_eq(n, 17);
	for (size_t i = 0; i < n; i++) {
		const lesson_action **ex = NULL;
		size_t nex = 0;
		lesson_opts o = {1, NULL, 0, 1, NULL};
		lesson_result *r = NULL;
		ck_assert_int_eq(lesson_exercises(&ex, &nex, list[i].lesson, &d), DV_OK);
		ck_assert_msg(nex > 0, "%s has no exercise", list[i].name);
		ck_assert_int_eq(lesson_run(&r, list[i].lesson, &o, &d), DV_OK);
		for (size_t k = 0; k < nex; k++) {
			lesson_answer a;
			char *answer = NULL;
			size_t line = 0;
			if (ex[k]->ex_kind == EXERCISE_FORM) {
				ck_assert_msg(ex[k]->fix_text != NULL,
				              "%s/%s has no model answer", list[i].name,
				              ex[k]->ex_id);
				answer = strdup(ex[k]->fix_text);
			} else if (ex[k]->ex_kind == EXERCISE_DIAGNOSE) {
				drills++;
				ck_assert_int_eq(
				        lesson_exercise_wrong_line(&line, r, ex[k], &d),
				        DV_OK);
				ck_assert_msg(line > 0, "%s/%s: every line holds",
				              list[i].name, ex[k]->ex_id);
				answer = malloc(strlen(ex[k]->fix_text) + 32);
				sprintf(answer, "%zu: %s", line, ex[k]->fix_text);
			} else if (ex[k]->ex_kind == EXERCISE_MISTAKE) {
				answer = strdup(ex[k]->fix_text);
			} else {
				continue; /* entry and numbers are tested above */
			}
			ck_assert_int_eq(lesson_answer_check(&a, r, ex[k], answer, &d),
			                 DV_OK);
			ck_assert_msg(a.correct,
			              "%s/%s: its own answer '%s' is not right",
			              list[i].name, ex[k]->ex_id, answer);
			lesson_answer_clear(&a);
			free(answer);
		}
		free(ex);
		lesson_result_free(r);
	}
	/* missing flip, transpose, 'valid', 1/n^2, beta; a missing dilation, an
	 * even kernel cropped on the wrong side, the two conventions mixed, max
	 * pooling's delta spread over the block, f' kept for softmax, an output
	 * map forgotten */
	ck_assert_uint_eq(drills, 11);
	lesson_library_free(list, n);
}
END_TEST

START_TEST(test_progress_round_trip_and_reset)
{
	progress *p = NULL;
	progress_item *it;
	char *kept = NULL;
	ck_assert_int_eq(progress_load(&p, "alice", &kept, &d), DV_OK);
	ck_assert_ptr_null(kept);
	ck_assert_uint_eq(p->n, 0);
	it = progress_get(p, "pooling-delta", "dx22", &d);
	it->attempts = 3;
	it->hints = 1;
	it->solved = 1;
	ck_assert_int_eq(progress_save(p, &d), DV_OK);
	progress_free(p);
	ck_assert_int_eq(progress_load(&p, "alice", &kept, &d), DV_OK);
	ck_assert_uint_eq(p->n, 1);
	ck_assert_int_eq(p->items[0].attempts, 3);
	ck_assert(p->items[0].solved);
	ck_assert_uint_eq(progress_reset(p, "pooling-delta"), 1);
	ck_assert_uint_eq(p->n, 0);
	progress_free(p);
	/* names that cannot be a name: empty, an option, a formula, a control
	 * character, broken UTF-8, more than 64 characters */
	{
		static const char *const bad[] = {"",       "-x",        "=1+2",     "+a",
		                                  "@SUM",   " lead",     "trail ",   "a\tb",
		                                  "a\nb",   "\x1b[31m", "\xc3\x28", "\xed\xa0\x80"};
		char long_name[80];
		for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
			ck_assert_msg(!progress_valid_student(bad[i]), "'%s' taken", bad[i]);
			ck_assert_int_eq(progress_load(&p, bad[i], &kept, &d), DV_E_USAGE);
		}
		memset(long_name, 'a', 65);
		long_name[65] = '\0';
		ck_assert(!progress_valid_student(long_name));
		long_name[64] = '\0';
		ck_assert(progress_valid_student(long_name));
	}
}
END_TEST

/* Names as people write them, each in a file of its own that no other name
 * can share, inside the state folder. */
START_TEST(test_students_named_as_people_are)
{
	static const char *const names[] = {"王小明", "Anna Li", "o'brien", "../x",
	                                    "bob",    "bob.json.tmp-x", "Bob",
	                                    "a_2Eb", "a.b"};
	const size_t n = sizeof names / sizeof *names;
	char files[9][800];
	for (size_t i = 0; i < n; i++) {
		progress *p = NULL;
		char *kept = NULL;
		ck_assert_msg(progress_valid_student(names[i]), "'%s' refused", names[i]);
		ck_assert_int_eq(progress_student_file(files[i], sizeof files[i], names[i]), 0);
		ck_assert_msg(strpbrk(files[i], "./ '") == NULL, "%s -> %s", names[i],
		              files[i]);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(files[i], files[j]) != 0, "%s and %s share %s",
			              names[i], names[j], files[i]);
		ck_assert_int_eq(progress_load(&p, names[i], &kept, &d), DV_OK);
		ck_assert_msg(strncmp(p->path, state, strlen(state)) == 0 &&
		                      strchr(p->path + strlen(state) + 8, '/') == NULL &&
		                      strstr(p->path, "/../") == NULL,
		              "%s", p->path);
		progress_get(p, "pooling-delta", "dx22", &d)->attempts = (int)i + 1;
		ck_assert_int_eq(progress_save(p, &d), DV_OK);
		progress_free(p);
	}
	/* each kept its own record: bob's save removed no other's file */
	for (size_t i = 0; i < n; i++) {
		progress *p = NULL;
		char *kept = NULL;
		ck_assert_int_eq(progress_load(&p, names[i], &kept, &d), DV_OK);
		ck_assert_uint_eq(p->n, 1);
		ck_assert_int_eq(p->items[0].attempts, (int)i + 1);
		progress_free(p);
	}
	ck_assert_str_eq(files[0], "_E7_8E_8B_E5_B0_8F_E6_98_8E");
	ck_assert_str_eq(files[1], "Anna_20Li");
}
END_TEST

/* Progress saved under an id's own file name, before names were encoded,
 * moves to its new name and is not lost. */
START_TEST(test_progress_saved_before_names_were_encoded_is_found)
{
	char path[512], cmd[1200];
	progress *p = NULL;
	char *kept = NULL;
	FILE *f;
	snprintf(path, sizeof path, "%s/verify", state);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(progress_load(&p, "x", &kept, &d), DV_OK);
	progress_get(p, "rot180", "r23", &d)->solved = 1;
	ck_assert_int_eq(progress_save(p, &d), DV_OK);
	/* its file, as the old name of anna.li would have been */
	snprintf(cmd, sizeof cmd, "mv '%s/verify/progress-x.json' '%s/verify/progress-anna.li.json'",
	         state, state);
	ck_assert_int_eq(system(cmd), 0);
	progress_free(p);
	ck_assert_int_eq(progress_load(&p, "anna.li", &kept, &d), DV_OK);
	ck_assert_uint_eq(p->n, 1);
	ck_assert(p->items[0].solved);
	ck_assert(strstr(p->path, "progress-anna_2Eli.json") != NULL);
	progress_free(p);
	snprintf(path, sizeof path, "%s/verify/progress-anna.li.json", state);
	ck_assert_int_ne(access(path, F_OK), 0);
	(void)f;
}
END_TEST

START_TEST(test_corrupt_progress_is_kept_aside)
{
	char path[512], cmd[700];
	progress *p = NULL;
	char *kept = NULL;
	FILE *f;
	snprintf(path, sizeof path, "%s/verify", state);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof path, "%s/verify/progress.json", state);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"format\": \"something else\"}", f);
	fclose(f);
	ck_assert_int_eq(progress_load(&p, NULL, &kept, &d), DV_OK);
	ck_assert_ptr_nonnull(kept);
	ck_assert(strstr(kept, "progress.json.corrupt-") != NULL);
	ck_assert_int_eq(access(kept, R_OK), 0); /* still there, untouched */
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_uint_eq(p->n, 0);
	progress_free(p);
	/* a second one in the same second gets a name of its own */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"format\": \"a second thing\"}", f);
	fclose(f);
	{
		char *second = NULL;
		ck_assert_int_eq(progress_load(&p, NULL, &second, &d), DV_OK);
		ck_assert_ptr_nonnull(second);
		ck_assert_str_ne(second, kept);
		ck_assert_int_eq(access(kept, R_OK), 0);
		ck_assert_int_eq(access(second, R_OK), 0);
		free(second);
		progress_free(p);
	}
	free(kept);
}
END_TEST

START_TEST(test_progress_survives_a_kill_during_saves)
{
	/* a child saves over and over; killed at any moment, the file reads back */
	for (int round = 0; round < 8; round++) {
		progress *p = NULL;
		char *kept = NULL;
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			progress *q = NULL;
			char *k = NULL;
			dv_diag cd;
			if (progress_load(&q, "kill", &k, &cd) != DV_OK)
				_exit(3);
			for (int i = 0;; i++) {
				char id[32];
				snprintf(id, sizeof id, "e%d", i % 50);
				progress_get(q, "pooling-delta", id, &cd)->attempts = i;
				if (progress_save(q, &cd) != DV_OK)
					_exit(4);
			}
		}
		{
			struct timespec ts = {0, 2000000L + round * 1700000L};
			nanosleep(&ts, NULL);
		}
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ck_assert_int_eq(progress_load(&p, "kill", &kept, &d), DV_OK);
		ck_assert_msg(kept == NULL, "round %d: the file was damaged", round);
		progress_free(p);
	}
}
END_TEST

/* Two sessions of one student: the second save merges, not overwrites. */
START_TEST(test_concurrent_sessions_merge)
{
	progress *a = NULL, *b = NULL, *c = NULL;
	char *kept = NULL;
	ck_assert_int_eq(progress_load(&a, "both", &kept, &d), DV_OK);
	ck_assert_int_eq(progress_load(&b, "both", &kept, &d), DV_OK);
	progress_get(a, "pooling-delta", "dx22", &d)->solved = 1;
	progress_get(a, "pooling-delta", "dx22", &d)->attempts = 2;
	ck_assert_int_eq(progress_save(a, &d), DV_OK);
	progress_get(b, "pooling-delta", "full", &d)->solved = 1;
	ck_assert_int_eq(progress_save(b, &d), DV_OK);
	ck_assert_int_eq(progress_load(&c, "both", &kept, &d), DV_OK);
	ck_assert_uint_eq(c->n, 2);
	ck_assert(progress_get(c, "pooling-delta", "dx22", &d)->solved);
	ck_assert_int_eq(progress_get(c, "pooling-delta", "dx22", &d)->attempts, 2);
	ck_assert(progress_get(c, "pooling-delta", "full", &d)->solved);
	/* a reset stays a reset, whatever another session holds */
	ck_assert_uint_eq(progress_reset(c, "pooling-delta"), 2);
	ck_assert_int_eq(progress_save(c, &d), DV_OK);
	progress_free(c);
	c = NULL;
	ck_assert_int_eq(progress_load(&c, "both", &kept, &d), DV_OK);
	ck_assert_uint_eq(c->n, 0);
	progress_free(a);
	progress_free(b);
	progress_free(c);
}
END_TEST

/* A save removes the temporary files a killed save left; a FIFO never blocks. */
START_TEST(test_stale_temporaries_go_and_a_fifo_is_refused)
{
	char path[512], cmd[1200];
	progress *p = NULL;
	char *kept = NULL;
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s/verify' && touch '%s/verify/progress-t.json.tmp-AAAAAA' "
	         "'%s/verify/progress-t.json.tmp-BBBBBB'",
	         state, state, state);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(progress_load(&p, "t", &kept, &d), DV_OK);
	ck_assert_int_eq(progress_save(p, &d), DV_OK);
	progress_free(p);
	snprintf(path, sizeof path, "%s/verify/progress-t.json.tmp-AAAAAA", state);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/verify/progress-f.json", state);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(progress_load(&p, "f", &kept, &d), DV_E_IO);
	ck_assert(strstr(d.message, "is not a regular file") != NULL);
}
END_TEST

/* Counters in a hand-edited file cannot overflow. */
START_TEST(test_counters_saturate)
{
	char path[512], cmd[1200];
	progress *p = NULL;
	char *kept = NULL;
	progress_item *it;
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s/verify' && printf '{\"format\": \"verify-progress\", "
	         "\"version\": 1, \"exercises\": [{\"lesson\": \"l\", \"id\": "
	         "\"e\", \"attempts\": 2147483647, \"hints\": -5}]}' > "
	         "'%s/verify/progress-n.json'",
	         state, state);
	ck_assert_int_eq(system(cmd), 0);
	(void)path;
	ck_assert_int_eq(progress_load(&p, "n", &kept, &d), DV_OK);
	ck_assert_ptr_null(kept);
	it = progress_get(p, "l", "e", &d);
	ck_assert_int_eq(it->attempts, PROGRESS_MAX_COUNT);
	ck_assert_int_eq(it->hints, 0);
	progress_count(&it->attempts);
	ck_assert_int_eq(it->attempts, PROGRESS_MAX_COUNT);
	progress_free(p);
}
END_TEST

START_TEST(test_passing_only_within_gsl_estimate_is_told)
{
	/* three entries: one inside its rounding, one that needs GSL's own
	 * estimate to hold, one that fails */
	lesson_grad_row rows[3];
	lesson_check c;
	size_t first = 99;

	memset(rows, 0, sizeof rows);
	memset(&c, 0, sizeof c);
	rows[0].verdict.verdict = DV_VERDICT_HOLDS;
	rows[0].verdict.diff = 1e-15;
	rows[0].numeric.rounding = 1e-14;
	rows[1].verdict.verdict = DV_VERDICT_HOLDS;
	rows[1].verdict.diff = 3e-9;
	rows[1].numeric.rounding = 1e-12;
	rows[1].analytic_bound = 1e-13;
	rows[1].numeric.gsl_error = 4e-9;
	rows[2].verdict.verdict = DV_VERDICT_FAILS;
	rows[2].verdict.diff = 1.0;
	c.rows = rows;
	c.rows_r = 1;
	c.rows_c = 3;
	ck_assert_uint_eq(lesson_grad_within_estimate(&c, &first), 1);
	ck_assert_uint_eq(first, 1);
	rows[1].numeric.rounding = 1e-8; /* now its rounding covers it */
	ck_assert_uint_eq(lesson_grad_within_estimate(&c, &first), 0);
	c.rows = NULL;
	ck_assert_uint_eq(lesson_grad_within_estimate(&c, &first), 0);
}
END_TEST

static Suite *exercise_suite(void)
{
	Suite *s = suite_create("exercise");
	TCase *tc = tcase_create("answers");
	TCase *pc = tcase_create("progress");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_normalize_reads_plain_and_unicode);
	tcase_add_test(tc, test_latex_answers_read_by_the_tex_reader);
	tcase_add_test(tc, test_latex_answers_refused_with_the_students_token);
	tcase_add_test(tc, test_entry_every_form_of_the_right_answer);
	tcase_add_test(tc, test_entry_wrong_answer_names_missing_and_extra_terms);
	tcase_add_test(tc, test_unreadable_answers_say_why);
	tcase_add_test(tc, test_numbers_point_at_wrong_entries);
	tcase_add_test(tc, test_numbers_differ_per_student);
	tcase_add_test(tc, test_form_accepts_every_correct_expression);
	tcase_add_test(tc, test_diagnose_wants_the_line_and_its_fix);
	tcase_add_test(tc, test_every_lesson_has_exercises_and_each_can_be_answered);
	tcase_add_test(tc, test_every_mistake_is_caught_named_and_repaired);
	tcase_add_test(tc, test_naming_another_mistake);
	tcase_add_test(tc, test_passing_only_within_gsl_estimate_is_told);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(pc, setup, teardown);
	tcase_set_timeout(pc, 30);
	tcase_add_test(pc, test_progress_round_trip_and_reset);
	tcase_add_test(pc, test_corrupt_progress_is_kept_aside);
	tcase_add_test(pc, test_students_named_as_people_are);
	tcase_add_test(pc, test_progress_saved_before_names_were_encoded_is_found);
	tcase_add_test(pc, test_progress_survives_a_kill_during_saves);
	tcase_add_test(pc, test_concurrent_sessions_merge);
	tcase_add_test(pc, test_stale_temporaries_go_and_a_fifo_is_refused);
	tcase_add_test(pc, test_counters_saturate);
	suite_add_tcase(s, pc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(exercise_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
