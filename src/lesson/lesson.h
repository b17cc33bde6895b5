/*
 * lesson: a lesson file, parsed.  The format is documented in
 * docs/lesson-format.md; in short, one directive per line:
 *
 *   lesson pooling-delta
 *   title  ...
 *   matrix X = x 3x3 checked 4x5
 *   matrix D = d like conv(X, K)
 *   scalar beta
 *   define E = sum(D .* conv(X, K))
 *   step The nine entries
 *   zh  ...   en ...   text ...   formula ...
 *   show dE/dx = grad(E, X)
 *   claim  grad(E, X) == xcorr(pad(D, 1), K)
 *   refute grad(E, X) == conv2(D, K, 'full')
 *   why    ...
 *   instead grad(E, X) == conv2(D, rot180(K), 'full')
 *   gradcheck grad(E, K) == rot180(xcorr(X, D))
 *
 * Ownership: lesson_parse hands out a lesson freed with lesson_free; it
 * keeps the file's text for error messages.
 */
#ifndef DV_LESSON_H
#define DV_LESSON_H

#include <stddef.h>

#include "core/diag.h"
#include "core/field.h"
#include "expr/parser.h"
#include "sym/print.h"

/* Errors a parse reports before it stops. */
#define LESSON_MAX_ERRORS 20

typedef struct lesson_errors {
	dv_diag items[LESSON_MAX_ERRORS];
	size_t n;
} lesson_errors;

typedef struct lesson_var {
	char *name;        /* X: the name in expressions */
	char *sym;         /* x: the symbols' name (x11, ...) */
	int scalar;        /* a 1 x 1 symbol: beta */
	size_t rows, cols; /* shown: symbols and example numbers (0 with like) */
	size_t check_rows, check_cols; /* random numbers for numeric checks */
	dv_node *like;                 /* the size of this expression instead */
	dv_node *numbers; /* the shown numbers, or NULL for random whole numbers */
	int line;
} lesson_var;

typedef struct lesson_define {
	char *name;
	dv_node *tree;
	int line;
	char *text; /* the expression as written */
} lesson_define;

typedef enum lesson_kind {
	LESSON_ZH,      /* a sentence of the notes, as written */
	LESSON_EN,      /* its English */
	LESSON_TEXT,    /* prose of the lesson */
	LESSON_FORMULA, /* a formula in Unicode, shown as written */
	LESSON_SHOW,    /* a symbolic table and its numbers */
	LESSON_NUMBERS, /* numbers only */
	LESSON_CLAIM,
	LESSON_REFUTE,
	LESSON_GRADCHECK,
	LESSON_EXERCISE, /* a question for the student (exercise.h) */
} lesson_kind;

/* Whether a step item is a check that the lesson decides itself. */
static inline int lesson_is_check(lesson_kind k)
{
	return k == LESSON_CLAIM || k == LESSON_REFUTE || k == LESSON_GRADCHECK;
}

typedef enum lesson_exercise_kind {
	EXERCISE_ENTRY,    /* one entry of a symbolic table: a polynomial */
	EXERCISE_NUMBERS,  /* a matrix of numbers, at the shown sizes */
	EXERCISE_FORM,     /* an expression, checked as an identity */
	EXERCISE_DIAGNOSE, /* which line of a derivation is wrong, and its fix */
	EXERCISE_MISTAKE,  /* a drill: one wrong step, named or repaired */
} lesson_exercise_kind;

typedef struct lesson_action {
	lesson_kind kind;
	int line, column;   /* of the argument, 1-based */
	char *text;         /* prose; for the others the source of the argument */
	char *label;        /* show, numbers: how entries are named */
	dv_node *expr;      /* show, numbers */
	dv_node *lhs, *rhs; /* claim, refute, gradcheck */
	char *lhs_text, *rhs_text;
	dv_node **slots; /* text: the {{...}} expressions, in order */
	size_t nslots;
	int own_sizes;   /* text from 'example': true at the lesson's own sizes */
	char *why;                     /* refute: whose statement it is, why it fails */
	char *as; /* claim, refute, gradcheck: how it is shown, or NULL (its sides) */
	struct lesson_action *instead; /* refute: the corrected claim */
	const char *wrt;               /* gradcheck: the variable (in lhs) */
	const dv_node *loss;           /* gradcheck: the function (in lhs) */

	/* exercise */
	char *ex_id;
	lesson_exercise_kind ex_kind;
	size_t ex_row, ex_col; /* entry: 1-based */
	dv_node *target;       /* entry, numbers, form: what the answer must equal */
	char *target_text;
	char *ask;    /* the question */
	char **hints; /* in the order they are given */
	size_t nhints;
	double tolerance;            /* numbers: absolute, per entry */
	struct lesson_action *lines; /* diagnose: the derivation, each a claim */
	size_t nlines;
	dv_node *fix; /* diagnose, mistake: the right side the wrong line needs;
	                 form: a model answer (optional) */
	char *fix_text;
	/* the names an answer may use (`allow D K`); none listed: any but
	 * grad, the quantity asked and what computes it (exercise.c) */
	char **allow;
	size_t nallow;
	/* mistake: the names a student may call it by, the first its title */
	char **names;
	size_t nnames;
	/*
	 * mistake: the check that the catalogue entry is right, run with the
	 * lesson: the line refuted, with the repair instead.  Its trees and
	 * texts are the exercise's own (borrowed, not freed with it).
	 */
	struct lesson_action *caught;
} lesson_action;

typedef struct lesson_step {
	char *title;
	int line;
	lesson_action *actions;
	size_t nactions;
} lesson_step;

typedef struct lesson {
	char *path, *text;
	char *name, *title, *summary, *source;
	int order; /* place in the course (`order N`); 1000 if not given */
	dv_act f_is;
	/* the size variants the lesson declares it runs at (`sizes X=5x4
	 * K=3x2`), each as written; tests run every one */
	char **sizes;
	size_t nsizes;
	sym_latex_name *latex; /* ends with a NULL name */
	size_t nlatex;
	lesson_var *vars;
	size_t nvars;
	lesson_define *defs;
	size_t ndefs;
	lesson_step *steps;
	size_t nsteps;
} lesson;

/*
 * Parses text (the contents of path, which is only used in messages).
 * On errors returns DV_E_SYNTAX with every error found (up to the limit)
 * in errs, positions in the file.
 */
int lesson_parse(lesson **out, const char *path, const char *text, lesson_errors *errs);
/* Reads and parses the file at path; a file that cannot be read is one error. */
int lesson_load(lesson **out, const char *path, lesson_errors *errs);
/* The text of the lesson file at path (the caller frees it): a regular
 * file of at most 256 KB without NUL bytes; else one error in errs. */
int lesson_read_text(char **out, const char *path, lesson_errors *errs);
void lesson_free(lesson *l);

/* The number of claims, refutes and gradchecks (instead lines not counted). */
size_t lesson_count_checks(const lesson *l);

/* The exercise `id` of l, or NULL. */
const lesson_action *lesson_find_exercise(const lesson *l, const char *id);

/*
 * A text line may hold numbers that follow the sizes: "{{rows(X) * cols(X)}}"
 * is the value of the expression at the shown sizes, "{{… in words}}" the
 * same written out ("nine", "twenty-five"; digits from 100 on).
 */
typedef struct lesson_slot {
	const char *start, *end; /* the slot, "{{" to past "}}" */
	const char *expr;        /* the expression inside, and its length */
	size_t expr_len;
	int words;   /* "in words" */
	int size;    /* "as a size": a matrix's size, RxC */
	int checked; /* "checked EXPR": at the checked numbers' sizes */
} lesson_slot;

/* The first slot at or after s: 1, 0 if there is none, -1 for a "{{" not
 * closed on its line (slot->start is where). */
int lesson_next_slot(const char *s, lesson_slot *slot);

#endif
