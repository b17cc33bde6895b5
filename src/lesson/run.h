/*
 * run: a lesson carried out.  Every step's tables and numbers are computed
 * and every check decided here; the result is plain data that the front
 * ends (text, JSON, TAP, Markdown, the terminal tutorial) only render.
 *
 * Three environments serve a run:
 *   symbols  each matrix as symbols at its shown size: tables and proofs;
 *   shown    the shown numbers (given, or seeded whole numbers);
 *   checked  seeded random numbers at the checked sizes: numeric checks.
 *
 * Ownership: lesson_run hands out a result freed with lesson_result_free;
 * it borrows the lesson, which must outlive it.
 */
#ifndef DV_LESSON_RUN_H
#define DV_LESSON_RUN_H

#include <stddef.h>

#include "core/diag.h"
#include "core/mat.h"
#include "expr/eval.h"
#include "expr/fd.h"
#include "expr/precise.h"
#include "lesson/lesson.h"

typedef struct lesson_size {
	const char *name;
	size_t rows, cols;
} lesson_size;

/* The entries of a lesson's matrices together (symbols and numbers). */
#define LESSON_MAX_ENTRIES 65536
/* The work one {{...}} number of a lesson's prose may take. */
#define LESSON_SLOT_WORK 1e6

typedef struct lesson_opts {
	unsigned long seed;
	const lesson_size *sizes; /* --size NAME=RxC, for shown and checked sizes */
	size_t nsizes;
	int skip_checks; /* only the matrices: to mark answers quickly */
	/* when set, an error in a step (a table, a check, an exercise's key) is
	 * kept here and the run goes on with the next item, so that a teacher
	 * sees all of them at once; the run then fails with the first */
	lesson_errors *errors;
} lesson_opts;

/* One side of a check: exact, or numeric; kind DV_V_NONE if not done. */
typedef struct lesson_verdict {
	dv_value value;     /* DV_V_CHECK with both sides, or DV_V_NONE */
	char *unavailable;  /* why it was not done (no exact form), or NULL */
	int unevaluable;    /* a side has no value at these sizes: it fails */
	int by_differences; /* numeric: a side is a finite-difference gradient */
	dv_precise precise; /* numeric: what higher precision decided, if tried */
} lesson_verdict;

/* What a verdict that was reached says: holds, fails or inconclusive. */
dv_verdict lesson_verdict_of(const lesson_verdict *v);
/* Whether it says the statement holds. */
int lesson_verdict_holds(const lesson_verdict *v);

/*
 * A gradcheck's row: one entry of the variable, the claimed gradient
 * against the finite differences, judged by dv_compare_numbers with the
 * bounds of both.
 */
typedef struct lesson_grad_row {
	double analytic, analytic_bound; /* the claim, with its rounding bound */
	dv_fd_entry numeric;             /* the finite differences */
	dv_entry_verdict verdict;        /* diff, bound, scale, and the verdict */
} lesson_grad_row;

typedef struct lesson_check {
	const lesson_action *action;
	int expect_holds; /* claim, gradcheck: 1; refute: 0 */
	int passed;       /* came out as the lesson says */
	int disagree;     /* exact and numeric verdicts differ */
	int inconclusive; /* the numbers could not decide it */
	int too_large;    /* its numbers were past the item's work budget */
	lesson_verdict exact, numeric;
	/* a statement that fails on the checked numbers, on the shown (whole)
	 * numbers too when they show it: the counterexample a student can
	 * follow by hand (no value when they do not show it) */
	lesson_verdict shown;
	/*
	 * refute: the further draws of numbers tried because the first ones
	 * satisfied it (0: none needed), and the draw that refuted it (0:
	 * none did); size_too_small: 1 true at every draw at a size --size
	 * set, which therefore cannot show the mistake (a warning, not a
	 * failure); 2 true exactly at the shown sizes --size set, refuted by
	 * the checked numbers; 3 true on the checked numbers, refuted exactly
	 * at the shown sizes
	 */
	unsigned draws, refuted_at;
	int size_too_small;
	lesson_grad_row *rows; /* gradcheck: one per entry of the variable */
	size_t rows_r, rows_c, worst;
	struct lesson_check *instead; /* refute: the corrected claim */
} lesson_check;

/*
 * The entries of a gradient check that hold only because gsl_deriv_central's
 * own error estimate is part of their bound (their difference is larger than
 * the rounding of the differences and of the claim): how many, and into
 * *first the first of them (row-major).  0 for a check without rows.
 */
size_t lesson_grad_within_estimate(const lesson_check *c, size_t *first);

/* Which differences decided a gradient check's row. */
typedef enum lesson_by {
	LESSON_BY_LOCAL, /* doubles, only the terms the entry feeds */
	LESSON_BY_WHOLE, /* doubles, a part of the loss evaluated whole */
	LESSON_BY_MPFR,  /* MPFR, where doubles could not decide */
} lesson_by;
lesson_by lesson_grad_row_by(const lesson_grad_row *row);

typedef struct lesson_item {
	const lesson_action *action;
	dv_mat *table;   /* show: the symbolic matrix (NULL if it has none) */
	char *no_table;  /* why there is no table */
	dv_mat *numbers; /* show, numbers: at the shown sizes */
	char *text;      /* text with {{…}} numbers: as it reads at these sizes */
	lesson_check *check;
} lesson_item;

typedef struct lesson_step_result {
	const lesson_step *step;
	lesson_item *items;
	size_t nitems;
} lesson_step_result;

typedef struct lesson_var_size {
	const char *name;
	size_t rows, cols, check_rows, check_cols;
	int drawn; /* the lesson gives its numbers, but --size changed the size:
	              the shown numbers were drawn from the seed instead */
} lesson_var_size;

typedef struct lesson_result {
	const lesson *lesson;
	unsigned long seed;
	dv_env *symbols, *shown, *checked;
	lesson_var_size *sizes; /* every declared matrix, as run */
	size_t nsizes;
	lesson_step_result *steps;
	size_t nsteps;
	size_t nchecks, npassed;
	size_t ntoo_small; /* refutes these sizes cannot show (a warning) */
	size_t nundecided; /* checks not decided (past the work budget) */
	int skip_checks;
	int sized; /* --size set a size: a refute may find the size too small */
} lesson_result;

/*
 * Runs l.  Returns DV_OK when the lesson ran (whatever its verdicts); an
 * error in the lesson (an expression that cannot be evaluated, a size that
 * does not fit) fails with d located in the lesson file.
 */
int lesson_run(lesson_result **out, const lesson *l, const lesson_opts *o, dv_diag *d);
void lesson_result_free(lesson_result *r);

/*
 * After reading errors (errs, from lesson_load of path): the errors that
 * running the lesson would find too, so that a teacher sees them in one
 * pass.  The lines with errors are left out and the rest read again (what
 * a left-out line makes wrong is left out in turn, a few times over); a
 * lesson that then reads is run under o, and its errors join errs in line
 * order, but for those about a name that a left-out line mentions (the
 * matrix whose declaration was wrong is not "unknown" too).  Nothing is
 * added when the file's errors are not on lines of their own.
 */
void lesson_more_errors(const char *path, lesson_errors *errs, const lesson_opts *o);

/* Evaluates n in env (one of a result's) to a matrix: a string is an error. */
int lesson_eval(dv_mat **out, const dv_node *n, dv_env *env, dv_diag *d);

/* What a step's item says: its text with the {{…}} numbers filled in. */
const char *lesson_item_text(const lesson_item *it);

/* Decides one claim, refute or gradcheck of a lesson that ran. */
int lesson_decide(lesson_check **out, const lesson_action *a, lesson_result *r,
                  dv_diag *d);
void lesson_check_free(lesson_check *c);

/* A matrix's entry as shown: symbols print, numbers print. */
const sym_ctx *lesson_result_symbols(const lesson_result *r);

#endif
