/*
 * exercise: a student's answer to an exercise of a lesson, marked.
 *
 * Answers come as text: a polynomial (d11*k11 + d12*k12, δ₁₁k₁₁ + …, or
 * LaTeX as the notes write it, (\delta_j^{l+1})_{11} k_{11} + …, read by the
 * LaTeX reader of tex/tex.h), a matrix of numbers
 * ([1 2; 3 4]), an expression (xcorr(pad(D, 1), K)), or, to diagnose a
 * derivation, "N: EXPR" (the wrong line and the right side it needs).  The
 * verdict says exactly what is wrong: the missing and the extra terms, the
 * wrong entries, the first entry where an expression fails.
 *
 * Ownership: lesson_answer_clear frees what a verdict holds.
 */
#ifndef DV_LESSON_EXERCISE_H
#define DV_LESSON_EXERCISE_H

#include <stddef.h>

#include "core/diag.h"
#include "core/mat.h"
#include "lesson/run.h"
#include "sym/poly.h"

#define LESSON_MAX_WRONG 16

typedef struct lesson_answer {
	int correct;
	dv_diag problem; /* code != DV_OK: the answer could not be read, and why */
	int undecided;   /* ... it was read, but cannot be decided (problem says why) */
	int refused;     /* ... it was read, but does not answer: it uses grad, or
	                    the quantity asked (problem says what to write) */
	/* entry: terms the answer lacks and terms it should not have (a wrong
	 * coefficient counts as both) */
	sym_poly *missing, *extra;
	/* numbers */
	int shape_differs;
	size_t rows, cols, want_rows, want_cols;
	size_t nwrong, wrong_row[LESSON_MAX_WRONG], wrong_col[LESSON_MAX_WRONG];
	/* form, diagnose: the identity the answer was held to */
	lesson_check *check;
	/* diagnose, 1-based */
	size_t line_given, line_wrong;
	/* mistake: the catalogue's mistake the answer named (NULL for a repair
	 * written out); right when it is this one, or its repair fixes this
	 * line too */
	const lesson_action *named;
} lesson_answer;

/* Every exercise of l, in order; *n gets their number (the caller frees the array). */
int lesson_exercises(const lesson_action ***out, size_t *n, const lesson *l, dv_diag *d);

/*
 * Marks `text` as the answer to exercise ex of the lesson that ran as r.
 * Returns DV_OK when the answer was marked (right, wrong, unreadable or
 * undecidable: see out); an error only when out of memory.  An answer that
 * cannot be decided (a number with no exact form, a matrix of the wrong
 * size, ...) is marked wrong with out->problem saying why.
 */
int lesson_answer_check(lesson_answer *out, lesson_result *r, const lesson_action *ex,
                        const char *text, dv_diag *d);
void lesson_answer_clear(lesson_answer *a);

/* The entry the exercise asks for (entry kind), from the symbols; borrowed
 * from `held`, which the caller frees. */
int lesson_exercise_expected(dv_mat **held, lesson_result *r, const lesson_action *ex,
                             dv_diag *d);

/*
 * Checks the teacher's key of exercise ex on the lesson that ran as r, as a
 * student's answer would be marked: an entry or numbers exercise must have
 * its entry, a form exercise's answer must equal its expression, a
 * diagnose exercise must have a wrong line and its answer must repair it.
 * An error at the line of the key otherwise.
 */
int lesson_exercise_check_key(lesson_result *r, const lesson_action *ex, dv_diag *d);
/* The same for every exercise of the lesson (a full run does it on the way;
 * a run that skipped its checks to mark answers calls this once). */
int lesson_check_keys(lesson_result *r, dv_diag *d);

/* For a diagnose exercise: the first line of its derivation that does not
 * hold (1-based), or 0 if they all do. */
int lesson_exercise_wrong_line(size_t *line, lesson_result *r, const lesson_action *ex,
                               dv_diag *d);

/*
 * The answer's text in the expression language (answer.c).  LaTeX (text
 * with a backslash, a brace or $) goes through the LaTeX reader, under the
 * symbols of the lesson that ran as r: with names, an entry is its name
 * (\delta_{11}, (\delta_j^{l+1})_{11}, \frac{\partial E}{\partial a_{11}} ->
 * d11) and a whole matrix is refused; without, an entry is entry(D, 1, 1)
 * and a matrix its name (\delta -> D).  Other text goes through
 * lesson_answer_normalize.  What cannot be read fails with `problem` at
 * the character of the answer where it starts.
 */
int lesson_answer_text(char **out, const lesson_result *r, int names, const char *text,
                       dv_diag *problem);

/* The name an answer writes entry (row, col) of the symbols sym with:
 * d11, x_10_3, and for a map's symbols (sym_map_label) x2_11, k21_22. */
void lesson_entry_name(char *buf, size_t size, const char *sym, size_t row, size_t col);

/* Where several maps share the letter `letters` (maps X = x x), how their
 * entry (row, col) is written, into buf: "d1_11 for (δ₁)₁₁, d2_11 for
 * (δ₂)₁₁" (LaTeX: "(\delta_1)_{11}, (\delta_2)_{11}"); 0 if no map has it. */
int lesson_map_hint(char *buf, size_t size, const lesson *l, const char *letters,
                    size_t row, size_t col, int latex);

/* Whether an answer is LaTeX: it has a backslash, a brace or a $. */
int lesson_answer_is_latex(const char *text);

/* Plain text in the expression language: Unicode symbols to names (δ₁₁ ->
 * d11), juxtaposition to '*', f'(x) to df(x). */
int lesson_answer_normalize(char **out, const char *text, dv_diag *d);

#endif
