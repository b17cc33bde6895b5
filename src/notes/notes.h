/*
 * notes: a derivation written in Markdown with LaTeX, checked formula by
 * formula (`verify notes FILE.md`).
 *
 *   extract.c  finds the math of a Markdown file (md4c), with positions;
 *   notation.c learns the file's own notation: its forward pass, sizes,
 *              loss letter and δ, which make the scene it is read in;
 *   context.c  the built-in context: the layers the seed's notes talk about;
 *   scene.c, resolve.c, decide.c, repair.c, chain.c, check.c: the reader
 *              (reader.h says which does what): each formula given a
 *              meaning under a scene and decided with the lesson engine,
 *              exactly on symbols, then on numbers;
 *   as_lesson.c the checked formulas as lessons, for the tutorial.
 *
 * A formula that fails is retried under the other readings of its
 * ambiguous operators (* as convolution or cross-correlation, \cdot as the
 * element-wise or the matrix product) and then under each standard repair
 * (the kernel rotated by 180°, full/valid, a missing β or f', a factor
 * 1/n², a derivative for a quantity); the first that makes it hold is
 * reported.  Nothing is written per formula.
 *
 * Ownership: notes_check hands out a report freed with notes_report_free.
 */
#ifndef DV_NOTES_H
#define DV_NOTES_H

#include <stddef.h>

#include "core/diag.h"
#include "lesson/run.h"

/* ---- the math of a file -------------------------------------------------- */

typedef struct notes_math {
	size_t start, end; /* the math between its delimiters, bytes of the file */
	int line, column;  /* of start, 1-based */
	int display;       /* $$...$$ (or \[...\]) */
	dv_diag problem;   /* an unterminated $$, say; start..end then empty */
} notes_math;

typedef struct notes_fence {
	size_t start, end; /* the text of a ```verify block */
	int line;          /* of its first line */
} notes_fence;

typedef struct notes_source {
	notes_math *math; /* in the order of the file */
	size_t nmath;
	notes_fence *fences;
	size_t nfences;
	/* the text with the blockquote markers inside math blanked (a $$ block
	 * in a > quote): what the math is read from; same length, same
	 * positions */
	char *clean;
	/* a LaTeX document's first \input or \include, which is not followed:
	 * its line and column (0 if none) */
	int input_line, input_column;
} notes_source;

/* Finds the math spans and ```verify blocks of a Markdown text. */
int notes_extract(notes_source *out, const char *text, size_t len, dv_diag *d);
void notes_source_clear(notes_source *s);

/* ---- verdicts ------------------------------------------------------------ */

typedef enum notes_verdict {
	NOTES_HOLDS,
	NOTES_FAILS,
	NOTES_INCONCLUSIVE,
	NOTES_UNCHECKED,
} notes_verdict;

const char *notes_verdict_name(notes_verdict v);

typedef struct notes_formula {
	int line, column;  /* of the file (a notebook: its .ipynb line, and the
	                      column in the cell's line) */
	int cell, cell_line; /* a notebook's cell (1-based) and line in it; 0 else */
	size_t end;        /* where its math ends in the file (the closing $, say) */
	char *latex;       /* the step as written: "lhs = rhs" */
	notes_verdict verdict;
	int definition;    /* a definition of the notes (unchecked) */
	int ambiguous;     /* holds under one reading of what the notes leave
	                      unstated (reason says which) */
	char *scene;       /* the context's layer it was read in */
	char *reading;     /* how it was read, where there was a choice */
	char *claim;       /* what was decided, in verify's expression language */
	char *reason;      /* why it is not checked, or why it fails; where in
	                      the file it points is said at its end: "(column
	                      11)", "(line 56, column 3)" or in a notebook "(cell
	                      4, line 2, column 7)" */
	int why_line, why_column; /* that place while the file is read (0: none) */
	char *repair;      /* LaTeX of the repaired formula, or NULL */
	char *repair_what; /* which repair: "K rotated by 180°" */
	/* the deciding check, for its counterexample (NULL if none) */
	lesson_check *check;
	lesson_result *result; /* the run the check belongs to (shared) */
} notes_formula;

typedef struct notes_report {
	char *path;
	int latex;      /* the file is a LaTeX document */
	char *markdown; /* the text the formulas' offsets (end) refer to when it
	                   is not the file's: a notebook's cells as Markdown, a
	                   LaTeX document with its macros expanded; else NULL */
	notes_formula *items;
	size_t n;
	size_t holds, fails, inconclusive, unchecked;
	/* runs the checks refer to, freed with the report */
	lesson_result **runs;
	lesson **lessons;
	size_t nruns;
	lesson_action **actions; /* the claims the checks decided */
	size_t nactions;
} notes_report;

typedef struct notes_opts {
	unsigned long seed;
	const char *context;      /* --context text, or NULL */
	const char *context_path; /* its file, for messages */
} notes_opts;

/*
 * Checks the Markdown text of path (a Jupyter notebook, by its content or
 * its .ipynb name: its Markdown cells).  Fails only when the context itself is
 * wrong (d located in the context file) or memory runs out; every formula
 * that cannot be read or understood is in the report as unchecked.
 */
int notes_check(notes_report **out, const char *path, const char *text, size_t len,
                const notes_opts *o, dv_diag *d);
void notes_report_free(notes_report *r);

/*
 * The checked formulas of r as lesson files (as_lesson.c): one lesson per
 * run of a scene, in the order of the file, each formula a step with its
 * claim; *n texts, each a whole lesson (the caller frees each and the
 * array).  Fails when no formula could be checked.
 */
int notes_as_lessons(char ***out, size_t *n, const notes_report *r, dv_diag *d);

/* The built-in context: scenes in the lesson header syntax. */
extern const char notes_builtin_context[];

#endif
