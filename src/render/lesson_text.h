/*
 * lesson_text: a lesson's steps and verdicts as text, the same for the
 * command line's report and the terminal tutorial.  Renders only.
 */
#ifndef DV_LESSON_TEXT_H
#define DV_LESSON_TEXT_H

#include "core/strbuf.h"
#include "lesson/exercise.h"
#include "lesson/run.h"

typedef struct dv_text_opts {
	int color;   /* ANSI colours for verdicts (not for the tutorial) */
	int unicode; /* ✓ ✗ δ₁₁; otherwise ok/FAIL and ASCII */
	int tables;  /* the tables and numbers of show and numbers steps */
	int tutor;   /* in the tutorial: exercises are answered in place */
	/* the tutorial: 1 when an exercise was solved, 2 given up, 0 else */
	int (*exercise_state)(const void *ctx, const char *lesson, const char *id);
	const void *state_ctx;
	/* the lesson came from this file (--lesson-file): the practice command
	 * names it, as the library cannot find it by name */
	const char *lesson_file;
} dv_text_opts;

/* "claim", "refute", "gradcheck". */
const char *dv_check_kind_name(lesson_kind k);
/* "X 3x3, K 2x2": the shown (or checked) sizes of the lesson's matrices. */
void dv_put_sizes(dv_strbuf *b, const lesson_result *r, int checked);
/* A line for each matrix whose given numbers --size replaced by drawn ones. */
void dv_put_drawn(dv_strbuf *b, const lesson_result *r);
/* ✓ or ✗ (ok or FAIL); ok < 0: ? (??), not decided. */
void dv_put_mark(dv_strbuf *b, int ok, const dv_text_opts *o);
/*
 * Whether step `step` holds a drill (a mistake exercise) the tutorial has
 * not seen answered: then its title, prose and repair stay hidden.
 */
int dv_step_keeps_answer(const lesson_result *r, size_t step, const dv_text_opts *o);
/* The body of step `step`: prose, formulas, tables, numbers and checks. */
void dv_put_step(dv_strbuf *b, const lesson_result *r, size_t step,
                 const dv_text_opts *o);

/* What a marked answer is told: right, or exactly what is wrong. */
void dv_put_answer(dv_strbuf *b, const lesson_answer *a, const lesson_result *r,
                   int unicode);
/* The same on one line, without its mark, for a gradebook's reason column:
 * "right", "not yet: missing δ₂₁k₂₁", "not an answer: grad(…) ...". */
void dv_put_answer_reason(dv_strbuf *b, const lesson_answer *a, const lesson_result *r);

/* The answer of an exercise, shown when the student gives up; -1 if none. */
int dv_put_solution(dv_strbuf *b, lesson_result *r, const lesson_action *ex, int unicode);

/*
 * Entry i of the symbolic matrix sym with the lesson's shown numbers in
 * place of its symbols: (-4)(-4) + (-5)(4) for δ₁₂k₁₁ + δ₂₂k₂₁.
 */
void dv_put_with_numbers(dv_strbuf *b, const lesson_result *r, const dv_mat *sym,
                         size_t i, int unicode);

#endif
