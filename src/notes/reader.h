/*
 * reader: what the rooms of the notes reader share (private to src/notes).
 *
 * The reader's pipeline, one room each:
 *   notation.c  the file's own notation: its forward pass, sizes, letters;
 *   scene.c     scenes, as lesson header lines, run as lessons;
 *   resolve.c   a LaTeX tree read into verify's expression language;
 *   decide.c    a step decided in the scenes, under the readings left open;
 *   repair.c    the standard repairs of a failing formula;
 *   chain.c     each chain of the file: definitions, worked examples, steps;
 *   check.c     notes_check: the file read, its scenes made, the report.
 */
#ifndef DV_NOTES_READER_H
#define DV_NOTES_READER_H

#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"
#include "lesson/run.h"
#include "notes/notation.h"
#include "notes/notes.h"
#include "tex/tex.h"

/* Most formulas (chain steps) one file may have checked; the rest are listed
 * as not checked, so that a huge file still ends. */
#define NOTES_MAX_FORMULAS 2000
/* The repair search: formulas up to this many parts, and this many edits
 * tried in one formula. */
#define NOTES_MAX_REPAIR_NODES 4000
#define NOTES_MAX_REPAIRS 64
/* An index-form forward pass is written out entry by entry into its scene
 * up to this many characters (about 4,000 terms; 0.3 s to run). */
#define NOTES_MAX_INDEX_TEXT 262144

/* ---- scenes (scene.c) ----------------------------------------------------- */

typedef struct scene_line {
	char *name;
	char *text;       /* the header line */
	int var;          /* matrix or scalar: a variable */
	char letter[16];  /* the symbols' name, for a variable */
	size_t rows, cols;
	int by_file;      /* the file defined it */
	int line, column; /* where it was written in its context (0: the file's
	                     own definitions) */
} scene_line;

typedef struct alias {
	char letter[16]; /* a_{11} ... */
	char *matrix;    /* ... are the entries of this matrix */
} alias;

typedef struct scene {
	char *title;
	scene_line *lines;
	size_t nlines;
	alias *aliases;
	size_t naliases;
	lesson *l;
	lesson_result *r;
	int broken;     /* its header does not run: the scene is left out */
	int fence_line; /* > 0: from the ```verify block whose text starts there */
	int own;        /* the file's own (its ```verify block, --context or its
	                   definitions): a size that does not fit there is the
	                   formula's mistake, elsewhere only a sign that the
	                   formula speaks of another scene */
	int variant;    /* built from the file's forward pass with * left open:
	                   1 as convolution, 2 as cross-correlation */
	char loss[16];  /* the letter the file differentiates, read as E */
	int learned;    /* built from the file's formulas (notation.c): the
	                   letters are the file's, a lone i or j an index */
	int star_own;   /* the reading of * the file fixes (STAR_CONV for the
	                   seed's notes, whose * flips the kernel) */
	char zero[128]; /* " delta ": matrices the file takes as 0 outside */
	int base;       /* where the file's indices start (0 or 1), -1 unsaid */
	lesson_result *alt; /* the scene run again on other seeded numbers: what
	                       the file's example numbers do not fix moves */
} scene;

typedef struct notes_run {
	notes_report *rep;
	scene *scenes;
	size_t nscenes;
	unsigned long seed;
	size_t checks; /* formulas decided so far */
	size_t items_cap;
	size_t math_end; /* of the math being checked */
	int nomem;
	notes_notation nt; /* the file's own notation */
	/* the file's formulas, read when their turn comes (or looked ahead to)
	 * and freed once checked: a long file is not held whole */
	tex_block **blocks;
	size_t nblocks;
	const notes_source *src;
	int star_fixed;    /* -1: the file has not said how its * reads; else
	                      the variant - 1 it chose */
} notes_run;

char *notes_dup_n(const char *s, size_t n);
char *notes_dup(const char *s);
void scene_clear(scene *s);
scene_line *scene_find(scene *s, const char *name);
const char *scene_letter(const scene *s, const char *letter);
int scene_add(scene *s, const char *text, int line, int column);
int scene_set(scene *s, const char *text, int by_file);
int scene_alias(scene *s, const char *letter, const char *matrix);
int scene_run(notes_run *N, scene *s, dv_diag *d);
int scene_run_alt(notes_run *N, scene *s, dv_diag *d);
void scene_changed(scene *s);
int scene_copy(scene *to, const scene *from);
int read_scenes(notes_run *N, const char *text, dv_diag *d, const char *path,
	int fence_line, int own);
int keep_or_undo(notes_run *N, scene *sc, scene *saved, lesson *l, lesson_result *r,
	int *kept, dv_diag *d);
/* Puts the copy back (taking it over), with the run it had. */
void scene_undo(scene *sc, scene *saved, lesson *l, lesson_result *r);
char *latex_of(const tex_node *n);

/* ---- reading LaTeX (resolve.c) ------------------------------------------- */

enum { STAR_CONV, STAR_XCORR, STAR_HADAMARD, NSTAR };
enum { CDOT_HADAMARD, CDOT_MATMUL, NCDOT };

typedef struct resolver {
	scene *sc;
	int star, cdot;
	int uv; /* inside \sum_u \sum_v: (A)_{u,v} is A, entry by entry */
	int free_uv; /* u, v are free in the whole equation: for every entry */
	/* index notation, F_{u,v} = \sum_h K_{d-h} X_{u+h}: the indices' values */
	int idx;
	long val[26];
	int bound[26];
	size_t range[26]; /* how many values a summation index takes */
	int eb, sb;       /* entries numbered from eb; sums start at sb */
	int used_star, used_cdot, used_maps, used_delta, used_pool, used_juxt, used_full;
	int shape_error; /* why: a size that does not fit (the formula fails) */
	int out_of_range; /* an entry outside its matrix: not this scene's formula */
	int rot_target;  /* target_of read ∂/∂rot180(K): the gradient is rotated */
	dv_diag why;
} resolver;

/* a symbol's superscript as a layer; parentheses that carry nothing */
#define layer_of notes_layer_suffix
#define strip tex_node_strip

enum { SUB_NONE, SUB_MAP, SUB_ENTRY, SUB_UV, SUB_OTHER };

int shape_of(resolver *R, const char *src, const tex_node *at, size_t *rows,
	size_t *cols);
int sub_kind(const tex_node *s, size_t *i, size_t *j);
int two_letters(const tex_node *s, int *a, int *c);
char *resolve_text(resolver *R, const tex_node *n);
int is_partial(const tex_node *n);
const char *own_star(const scene *sc);
int star_of(const scene *sc, int k);
const char *star_name(int s);
char *reading_text(const resolver *R, const scene *sc);
unsigned letters_of(const tex_node *n);
void scan_ranges(resolver *R, const tex_node *n);
char *resolve_indexed(resolver *R, const tex_node *n, int fu, int fv, size_t rows,
	size_t cols);
char *whole_matrix(char *s, size_t rows, size_t cols);

/* ---- deciding (decide.c) -------------------------------------------------- */

typedef struct outcome {
	notes_verdict verdict;
	int star;         /* the reading of * it holds with */
	int held_otherwise; /* fails as the notes define *, holds with star */
	int ambiguous;      /* holds under one reading of unstated ranges only */
	int degenerate;   /* one side is 0 in every entry: the scene is not the
	                     formula's (E does not depend on the quantity there) */
	int resolved;     /* both sides have a meaning in the scene */
	char *claim;      /* "lhs == rhs" as decided */
	char *reading;
	char *reason;
	lesson_check *check;
	lesson_result *result;
	dv_diag why; /* unresolved: where and why */
} outcome;

void outcome_clear(outcome *o);
void action_free(lesson_action *a);
int decide_in(notes_run *N, scene *sc, const tex_node *lhs, const tex_node *rhs,
	int line, int column, outcome *o, dv_diag *d);
int decide_step(notes_run *N, const tex_node *lhs, const tex_node *rhs,
	notes_formula *f, int *resolved, dv_diag *d);

/* ---- repairs (repair.c) --------------------------------------------------- */

typedef struct repair {
	tex_node *lhs, *rhs; /* the repaired sides (copies) */
	char what[160];
	int star; /* the reading of * it holds with, STAR_CONV as the notes' */
} repair;

tex_node *node_copy(const tex_node *n);
int rewrite_stars(tex_node **slot, int star);
int search_repairs(notes_run *N, scene *sc, const tex_node *lhs,
	const tex_node *rhs, int line, int column, repair *rep,
	dv_diag *d);

/* ---- chains (chain.c) ----------------------------------------------------- */

/* The formulas at most read ahead of the one being checked, to find a
 * definition given later; and the formulas read at once for the notation. */
#define NOTES_LOOK_AHEAD 64
#define NOTES_NOTATION_BLOCKS 2000

/* The formulas of math span i, read now if they were not (NULL: no memory). */
tex_block *notes_block(notes_run *N, size_t i);

notes_formula *add_formula(notes_run *N, int line, int column, const char *latex);
char *notes_join(const char *a, const char *sep, const char *b);
/* f's reason: why's message, and where it points kept for the report
 * (said at the reason's end when the file is read); DV_OK or DV_E_NOMEM. */
int notes_set_reason(notes_formula *f, const dv_diag *why, dv_diag *d);
int expand_index_form(notes_run *N, scene *sc, dv_diag *d);
int check_chain(notes_run *N, tex_block **blocks, size_t nblocks, size_t bi,
	size_t at, dv_diag *d);

#endif
