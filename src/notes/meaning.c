/*
 * meaning: each formula of a notes file read under the context, and
 * decided by the lesson engine.
 *
 * A scene (context.c) is run as a lesson header, so its matrices exist as
 * symbols and as numbers; a formula's sides are turned from the LaTeX tree
 * into verify's expression language under the scene's names and decided as
 * a lesson's claim is (lesson_decide): exactly on symbols, then on numbers.
 * The file's own definitions (X = \begin{bmatrix} x_{11} ... \end{bmatrix},
 * P = X * K) change the scenes from their line on.
 */
#include "notes/notes.h"
#include "core/budget.h"
#include "notes/notation.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "expr/parser.h"
#include "sym/poly.h"
#include "tex/tex.h"

/* Most formulas (chain steps) one file may have checked; the rest are listed
 * as not checked, so that a huge file still ends. */
#define NOTES_MAX_FORMULAS 2000
/* The repair search: formulas up to this many parts, and this many edits
 * tried in one formula. */
#define NOTES_MAX_REPAIR_NODES 4000
#define NOTES_MAX_REPAIRS 64

/* ---- scenes --------------------------------------------------------------- */

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
	int star_fixed;    /* -1: the file has not said how its * reads; else
	                      the variant - 1 it chose */
} notes_run;

static char *dup_n(const char *s, size_t n)
{
	char *c = malloc(n + 1);
	if (c != NULL) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

static char *dup(const char *s)
{
	return s == NULL ? NULL : dup_n(s, strlen(s));
}

static void scene_clear(scene *s)
{
	for (size_t i = 0; i < s->nlines; i++) {
		free(s->lines[i].name);
		free(s->lines[i].text);
	}
	free(s->lines);
	for (size_t i = 0; i < s->naliases; i++)
		free(s->aliases[i].matrix);
	free(s->aliases);
	free(s->title);
	memset(s, 0, sizeof *s);
}

static scene_line *scene_find(scene *s, const char *name)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (strcmp(s->lines[i].name, name) == 0)
			return &s->lines[i];
	return NULL;
}

/* The matrix whose symbols are letter, or NULL. */
static const char *scene_letter(const scene *s, const char *letter)
{
	for (size_t i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].letter, letter) == 0)
			return s->aliases[i].matrix;
	for (size_t i = 0; i < s->nlines; i++)
		if (s->lines[i].var && strcmp(s->lines[i].letter, letter) == 0)
			return s->lines[i].name;
	/* a_{12} of `define A = conv(X, K)`: the lower-case letter of a defined
	 * matrix names its entries, as x those of X */
	if (islower((unsigned char)letter[0]) && letter[1] == '\0') {
		char upper[2] = {(char)toupper((unsigned char)letter[0]), '\0'};
		for (size_t i = 0; i < s->nlines; i++)
			if (!s->lines[i].var && strcmp(s->lines[i].name, upper) == 0)
				return s->lines[i].name;
	}
	return NULL;
}

/* Reads "matrix X = x 3x3 ...", "scalar b [= c]" or "define N = ..." into l. */
static int parse_line(scene_line *l, const char *text)
{
	char kw[16], name[64], letter[16];
	int n = 0;
	memset(l, 0, sizeof *l);
	if (sscanf(text, "%15s %63[A-Za-z0-9_]%n", kw, name, &n) < 2)
		return -1;
	if (strcmp(kw, "matrix") == 0) {
		size_t r = 1, c = 1;
		if (sscanf(text + n, " = %15[A-Za-z] %zux%zu", letter, &r, &c) < 1)
			return -1;
		l->var = 1;
		snprintf(l->letter, sizeof l->letter, "%s", letter);
		l->rows = r;
		l->cols = c;
		if (strstr(text, " like ") != NULL)
			l->rows = l->cols = 0;
	} else if (strcmp(kw, "scalar") == 0) {
		if (sscanf(text + n, " = %15[A-Za-z]", letter) == 1)
			snprintf(l->letter, sizeof l->letter, "%s", letter);
		else
			snprintf(l->letter, sizeof l->letter, "%.15s", name);
		l->var = 1;
		l->rows = l->cols = 1;
	} else if (strcmp(kw, "define") != 0) {
		return -1;
	}
	l->name = dup(name);
	l->text = dup(text);
	return l->name != NULL && l->text != NULL ? 0 : -1;
}

static int scene_add(scene *s, const char *text, int line, int column)
{
	scene_line l, *m;
	if (parse_line(&l, text) != 0) {
		free(l.name);
		free(l.text);
		return -1;
	}
	m = realloc(s->lines, (s->nlines + 1) * sizeof *m);
	if (m == NULL) {
		free(l.name);
		free(l.text);
		return -1;
	}
	l.line = line;
	l.column = column;
	s->lines = m;
	s->lines[s->nlines++] = l;
	return 0;
}

/* Replaces the line of the same name (in its place) or adds it. */
static int scene_set(scene *s, const char *text, int by_file)
{
	scene_line l, *old;
	if (parse_line(&l, text) != 0) {
		free(l.name);
		free(l.text);
		return -1;
	}
	l.by_file = by_file;
	if ((old = scene_find(s, l.name)) != NULL) {
		free(old->name);
		free(old->text);
		*old = l;
	} else {
		scene_line *m = realloc(s->lines, (s->nlines + 1) * sizeof *m);
		if (m == NULL) {
			free(l.name);
			free(l.text);
			return -1;
		}
		s->lines = m;
		s->lines[s->nlines++] = l;
	}
	/* a letter that named another matrix's entries now names this one */
	for (size_t i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].matrix, l.name) == 0 && l.var) {
			free(s->aliases[i].matrix);
			s->aliases[i] = s->aliases[--s->naliases];
			i--;
		}
	return 0;
}

static int scene_alias(scene *s, const char *letter, const char *matrix)
{
	alias *a;
	for (size_t i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].letter, letter) == 0) {
			char *m = dup(matrix);
			if (m == NULL)
				return -1;
			free(s->aliases[i].matrix);
			s->aliases[i].matrix = m;
			return 0;
		}
	a = realloc(s->aliases, (s->naliases + 1) * sizeof *a);
	if (a == NULL)
		return -1;
	s->aliases = a;
	a = &a[s->naliases];
	snprintf(a->letter, sizeof a->letter, "%s", letter);
	if ((a->matrix = dup(matrix)) == NULL)
		return -1;
	s->naliases++;
	return 0;
}

/* Keeps a lesson and its run until the report is freed. */
static int keep_run(notes_run *N, lesson *l, lesson_result *r)
{
	lesson **ls = realloc(N->rep->lessons, (N->rep->nruns + 1) * sizeof *ls);
	lesson_result **rs;
	if (ls == NULL)
		return -1;
	N->rep->lessons = ls;
	rs = realloc(N->rep->runs, (N->rep->nruns + 1) * sizeof *rs);
	if (rs == NULL)
		return -1;
	N->rep->runs = rs;
	ls[N->rep->nruns] = l;
	rs[N->rep->nruns] = r;
	N->rep->nruns++;
	return 0;
}

/*
 * The scene's header as a lesson, run for its matrices (not its checks).
 * On an error the scene is broken and d says why, at its line.
 */
/* An error located in the lesson scene_run writes (its lines 1 and 2 are
 * the name and the title, then one line per scene line): where that line
 * was written in the context, or no position for the file's definitions. */
static void scene_locate(const scene *s, dv_diag *d)
{
	if (d->line >= 3 && (size_t)(d->line - 3) < s->nlines &&
	    s->lines[d->line - 3].line > 0) {
		const scene_line *l = &s->lines[d->line - 3];
		d->column = d->column > 0 ? d->column + l->column - 1 : l->column;
		d->line = l->line;
	} else {
		d->line = d->column = 0;
	}
}

static int scene_run(notes_run *N, scene *s, dv_diag *d)
{
	dv_strbuf b;
	char *text = NULL;
	lesson *l = NULL;
	lesson_result *r = NULL;
	lesson_errors errs = {0};
	lesson_opts o = {0};
	int rc;

	if (s->r != NULL)
		return DV_OK;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "lesson notes\ntitle notes\n");
	for (size_t i = 0; i < s->nlines; i++)
		dv_strbuf_printf(&b, "%s\n", s->lines[i].text);
	dv_strbuf_puts(&b, "step notes\ntext -\n");
	if ((rc = dv_strbuf_finish(&b, &text, d)) != DV_OK)
		return rc;
	rc = lesson_parse(&l, "context", text, &errs);
	free(text);
	if (rc != DV_OK) {
		if (errs.n > 0)
			*d = errs.items[0];
		else
			dv_fail(d, rc, "the context does not read");
		scene_locate(s, d);
		return rc;
	}
	o.seed = N->seed;
	o.skip_checks = 1;
	if ((rc = lesson_run(&r, l, &o, d)) != DV_OK) {
		lesson_free(l);
		scene_locate(s, d);
		return rc;
	}
	if (keep_run(N, l, r) != 0) {
		lesson_result_free(r);
		lesson_free(l);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	s->l = l;
	s->r = r;
	return DV_OK;
}

/* A scene changed: its run is made again when next needed. */
/* The scene run on other seeded numbers (the given ones stay), kept with
 * the report. */
static int scene_run_alt(notes_run *N, scene *s, dv_diag *d)
{
	lesson_opts o = {0};
	lesson_result *r = NULL;
	int rc;
	if (s->alt != NULL)
		return DV_OK;
	if ((rc = scene_run(N, s, d)) != DV_OK)
		return rc;
	o.seed = N->seed + 7919;
	o.skip_checks = 1;
	if ((rc = lesson_run(&r, s->l, &o, d)) != DV_OK)
		return rc;
	if (keep_run(N, NULL, r) != 0) {
		lesson_result_free(r);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	s->alt = r;
	return DV_OK;
}

static void scene_changed(scene *s)
{
	s->l = NULL;
	s->r = NULL;
	s->alt = NULL; /* the runs stay with the report, which frees them */
}

/* A copy of a scene's lines and aliases, to undo a change that breaks it. */
static int scene_copy(scene *to, const scene *from)
{
	memset(to, 0, sizeof *to);
	if (from->nlines > 0 && (to->lines = calloc(from->nlines, sizeof *to->lines)) == NULL)
		return -1;
	for (size_t i = 0; i < from->nlines; i++, to->nlines++) {
		to->lines[i] = from->lines[i];
		to->lines[i].name = dup(from->lines[i].name);
		to->lines[i].text = dup(from->lines[i].text);
		if (to->lines[i].name == NULL || to->lines[i].text == NULL) {
			to->nlines++;
			return -1;
		}
	}
	if (from->naliases > 0 &&
	    (to->aliases = calloc(from->naliases, sizeof *to->aliases)) == NULL)
		return -1;
	for (size_t i = 0; i < from->naliases; i++, to->naliases++) {
		to->aliases[i] = from->aliases[i];
		if ((to->aliases[i].matrix = dup(from->aliases[i].matrix)) == NULL)
			return -1;
	}
	return 0;
}

/* Puts back the lines and aliases of a copy (which it takes over). */
static void scene_restore(scene *s, scene *copy)
{
	char *title = s->title;
	lesson *l = s->l;
	lesson_result *r = s->r;
	int broken = s->broken;
	s->title = NULL;
	scene_clear(s);
	*s = *copy;
	s->title = title;
	s->l = l;
	s->r = r;
	s->broken = broken;
	memset(copy, 0, sizeof *copy);
}

/*
 * After a change to sc (saved being its copy from before, with the run it
 * had): keeps the change if the scene still runs, else undoes it.  *kept
 * says which.
 */
static int keep_or_undo(notes_run *N, scene *sc, scene *saved, lesson *l, lesson_result *r,
                        int *kept, dv_diag *d);

/* Splits context text into scenes: "scene TITLE" lines start one; a text
 * without them is one scene.  '#' starts a comment line. */
static int read_scenes(notes_run *N, const char *text, dv_diag *d, const char *path,
                       int fence_line, int own)
{
	const char *p = text;
	int line = 0, first = 1;
	while (*p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *l = dup_n(p, n);
		char *s;
		line++;
		if (l == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		for (s = l; *s == ' ' || *s == '\t'; s++)
			;
		if (n > 0 && l[n - 1] == '\r')
			l[n - 1] = '\0';
		if (*s == '\0' || *s == '#') {
			free(l);
		} else if (strncmp(s, "scene ", 6) == 0 || first) {
			scene *sc = realloc(N->scenes, (N->nscenes + 1) * sizeof *sc);
			if (sc == NULL) {
				free(l);
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
			N->scenes = sc;
			sc = &sc[N->nscenes++];
			memset(sc, 0, sizeof *sc);
			sc->fence_line = fence_line;
			sc->own = own;
			first = 0;
			sc->title = dup(strncmp(s, "scene ", 6) == 0 ? s + 6 : "the file's context");
			if (sc->title == NULL) {
				free(l);
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
			if (strncmp(s, "scene ", 6) != 0 &&
			    scene_add(sc, s, line, (int)(s - l) + 1) != 0) {
				free(l);
				return dv_fail_at(d, DV_E_SYNTAX, line, 1,
				                  "%s: expected 'matrix', 'scalar' or 'define'",
				                  path);
			}
			free(l);
		} else {
			if (scene_add(&N->scenes[N->nscenes - 1], s, line, (int)(s - l) + 1) !=
			    0) {
				int col = (int)(s - l) + 1;
				free(l);
				return dv_fail_at(d, DV_E_SYNTAX, line, col,
				                  "expected 'matrix NAME = LETTER RxC', 'scalar "
				                  "NAME' or 'define NAME = EXPR'");
			}
			free(l);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return DV_OK;
}

static int keep_or_undo(notes_run *N, scene *sc, scene *saved, lesson *l, lesson_result *r,
                        int *kept, dv_diag *d)
{
	dv_diag sd = {0};
	int rc;
	scene_changed(sc);
	rc = scene_run(N, sc, &sd);
	*kept = rc == DV_OK;
	if (rc == DV_E_NOMEM) {
		scene_clear(saved);
		return dv_fail(d, rc, "out of memory");
	}
	if (rc != DV_OK) {
		scene_restore(sc, saved);
		sc->l = l;
		sc->r = r;
		return DV_OK;
	}
	scene_clear(saved);
	return DV_OK;
}

static char *latex_of(const tex_node *n)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	tex_node_latex(&b, n);
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

/* ---- from the LaTeX tree to the expression language ----------------------- */

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

static int unresolved(resolver *R, const tex_node *at, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int unresolved(resolver *R, const tex_node *at, const char *fmt, ...)
{
	if (R->why.code == DV_OK) {
		char msg[DV_DIAG_MSG];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		dv_fail_at(&R->why, DV_E_NAME, at != NULL ? at->line : 0,
		           at != NULL ? at->column : 0, "%s", msg);
	}
	return -1;
}

/* what: a message whose one %s is the part at, in LaTeX */
#define unresolved_latex(R, at, what)                                                    \
	unresolved_part((R), (at), (what))

static int unresolved_part(resolver *R, const tex_node *at, const char *what)
{
	char *s = latex_of(at);
	const char *mark = strstr(what, "%s");
	int rc;
	if (mark == NULL)
		rc = unresolved(R, at, "%s", what);
	else
		rc = unresolved(R, at, "%.*s%s%s", (int)(mark - what), what,
		                s != NULL ? s : "?", mark + 2);
	free(s);
	return rc;
}

/* The size of an expression, evaluated on the scene's shown numbers. */
static int shape_of(resolver *R, const char *src, const tex_node *at, size_t *rows,
                    size_t *cols)
{
	dv_node *tree = NULL;
	dv_mat *m = NULL;
	dv_diag d = {0};
	int rc = dv_parse(&tree, src, &d);
	if (rc == DV_OK)
		rc = lesson_eval(&m, tree, R->sc->r->shown, &d);
	dv_node_free(tree);
	if (rc != DV_OK) {
		if (R->why.code == DV_OK) {
			dv_fail_at(&R->why, rc, at != NULL ? at->line : 0,
			           at != NULL ? at->column : 0, "%s", d.message);
			R->shape_error = rc == DV_E_SHAPE || rc == DV_E_ARGS || rc == DV_E_DOMAIN;
		}
		return -1;
	}
	*rows = m->rows;
	*cols = m->cols;
	dv_mat_free(m);
	return 0;
}

static int resolve(resolver *R, const tex_node *n, dv_strbuf *b);

#define layer_of notes_layer_suffix

enum { SUB_NONE, SUB_MAP, SUB_ENTRY, SUB_UV, SUB_OTHER };

static int is_map_index(const tex_node *n)
{
	return n->kind == TX_SYM && n->sub == NULL && n->sup == NULL &&
	       (strcmp(n->text, "i") == 0 || strcmp(n->text, "j") == 0 ||
	        strcmp(n->text, "ij") == 0 || strcmp(n->text, "ji") == 0);
}

static int is_letter(const tex_node *n, const char *l)
{
	return n->kind == TX_SYM && n->sub == NULL && n->sup == NULL &&
	       strcmp(n->text, l) == 0;
}

static int sub_kind(const tex_node *s, size_t *i, size_t *j)
{
	if (s == NULL)
		return SUB_NONE;
	if (is_map_index(s) || (s->kind == TX_IN && is_map_index(s->kids[0])))
		return SUB_MAP;
	if (s->kind == TX_NUM && strlen(s->text) == 2 && isdigit((unsigned char)s->text[0]) &&
	    isdigit((unsigned char)s->text[1]) && s->text[0] != '0' && s->text[1] != '0') {
		*i = (size_t)(s->text[0] - '0');
		*j = (size_t)(s->text[1] - '0');
		return SUB_ENTRY;
	}
	if (s->kind == TX_LIST && s->nkids == 2) {
		const tex_node *a = s->kids[0], *c = s->kids[1];
		if (a->kind == TX_NUM && c->kind == TX_NUM && strchr(a->text, '.') == NULL &&
		    strchr(c->text, '.') == NULL) {
			*i = (size_t)strtoul(a->text, NULL, 10);
			*j = (size_t)strtoul(c->text, NULL, 10);
			return *i >= 1 && *j >= 1 ? SUB_ENTRY : SUB_OTHER;
		}
		if (is_map_index(a) && is_map_index(c))
			return SUB_MAP;
		if (is_letter(a, "u") && is_letter(c, "v"))
			return SUB_UV;
	}
	if (is_letter(s, "uv")) /* (\delta)_{uv}, as Bouvrie writes it */
		return SUB_UV;
	return SUB_OTHER;
}

/* A symbol's name in the context: its letters and its layer. */
static int mangle(resolver *R, const tex_node *n, char *buf, size_t size)
{
	const char *layer = layer_of(n->sup);
	if (layer == NULL)
		return unresolved_latex(R, n->sup,
		                        "the superscript %s is not a layer (l, l+1 or l-1)");
	snprintf(buf, size, "%s%s", n->text, layer);
	return 0;
}

/* X_1 in a scene with a matrix X_1: the channel's own matrix; the caller
 * reads n without its subscript then. */
static int channel_name(resolver *R, const tex_node *n, char *buf, size_t size)
{
	const char *layer = layer_of(n->sup);
	if (!notes_channel(n->sub) || layer == NULL)
		return 0;
	snprintf(buf, size, "%s_%s%s", n->text, n->sub->text, layer);
	return scene_find(R->sc, buf) != NULL;
}

/* The value of a subscript such as u+h or d-j-1, under the bound indices;
 * another letter is a number of the scene (d, the kernel's size). */
static int index_value(resolver *R, const tex_node *n, long *v)
{
	long a, b;
	if (n == NULL)
		return -1;
	switch (n->kind) {
	case TX_NUM:
		if (strlen(n->text) > 6 || strchr(n->text, '.') != NULL)
			return -1;
		*v = strtol(n->text, NULL, 10);
		return 0;
	case TX_SYM:
		if (n->sub != NULL && n->sup == NULL && n->sub->kind == TX_NUM &&
		    strlen(n->text) + strlen(n->sub->text) < 30) {
			/* k_1: a constant of the file's scene */
			char name[64];
			tex_node plain = *n;
			snprintf(name, sizeof name, "%s_%s", n->text, n->sub->text);
			plain.sub = NULL;
			plain.text = name;
			return index_value(R, &plain, v);
		}
		if (n->sub != NULL || n->sup != NULL)
			return -1;
		if (strlen(n->text) == 1 && islower((unsigned char)n->text[0]) &&
		    R->bound[n->text[0] - 'a']) {
			*v = R->val[n->text[0] - 'a'];
			return 0;
		}
		if (scene_find(R->sc, n->text) != NULL) {
			dv_node *tree = NULL;
			dv_mat *m = NULL;
			dv_diag d = {0};
			double x = 0;
			int ok = dv_parse(&tree, n->text, &d) == DV_OK &&
			         lesson_eval(&m, tree, R->sc->r->shown, &d) == DV_OK &&
			         dv_mat_is_double(m) && m->rows == 1 && m->cols == 1;
			if (ok)
				x = dv_mat_get(m, 0);
			dv_node_free(tree);
			dv_mat_free(m);
			if (!ok || x != (double)(long)x || x < -1e6 || x > 1e6)
				return -1;
			*v = (long)x;
			return 0;
		}
		return -1;
	case TX_ADD:
	case TX_SUB:
		if (index_value(R, n->kids[0], &a) != 0 || index_value(R, n->kids[1], &b) != 0)
			return -1;
		*v = n->kind == TX_ADD ? a + b : a - b;
		return 0;
	case TX_NEG:
		if (index_value(R, n->kids[0], &a) != 0)
			return -1;
		*v = -a;
		return 0;
	case TX_MUL:
		if (n->op != TX_JUXT && n->op != TX_CDOT && n->op != TX_STAR)
			return -1;
		if (index_value(R, n->kids[0], &a) != 0 || index_value(R, n->kids[1], &b) != 0)
			return -1;
		*v = a * b;
		return 0;
	case TX_GROUP:
		return index_value(R, n->kids[0], v);
	default:
		return -1;
	}
}

static void put_entry(dv_strbuf *b, const char *m, size_t i, size_t j)
{
	dv_strbuf_printf(b, "entry(%s, %zu, %zu)", m, i, j);
}

/* Whether the file takes the matrix name as 0 outside its entries. */
static int zero_outside(const scene *sc, const char *name)
{
	char key[80];
	snprintf(key, sizeof key, " %s ", name);
	return strstr(sc->zero, key) != NULL;
}

/* W_{ij}: a subscript of two letters, each an index; *a, *c their letters. */
static int two_letters(const tex_node *s, int *a, int *c)
{
	if (s == NULL || s->kind != TX_SYM || s->sub != NULL || s->sup != NULL ||
	    strlen(s->text) != 2 || !islower((unsigned char)s->text[0]) ||
	    !islower((unsigned char)s->text[1]) || s->text[0] == s->text[1])
		return 0;
	*a = s->text[0] - 'a';
	*c = s->text[1] - 'a';
	return 1;
}

/* The values of the index subscript s (i,j / ij / i) under the bound
 * indices: how many (0 if s is no such subscript). */
static int bound_indices(resolver *R, const tex_node *s, long *a, long *c)
{
	int x, y;
	if (!R->idx || s == NULL)
		return 0;
	if (s->kind == TX_LIST && s->nkids == 2 && index_value(R, s->kids[0], a) == 0 &&
	    index_value(R, s->kids[1], c) == 0)
		return 2;
	if (two_letters(s, &x, &y) && R->bound[x] && R->bound[y]) {
		*a = R->val[x];
		*c = R->val[y];
		return 2;
	}
	if (s->kind == TX_SYM && s->sub == NULL && s->sup == NULL && strlen(s->text) == 1 &&
	    islower((unsigned char)s->text[0]) && R->bound[s->text[0] - 'a']) {
		*a = R->val[s->text[0] - 'a'];
		return 1;
	}
	return 0;
}

/* An entry subscript (or, inside \sum_u\sum_v, the whole matrix) of a resolved
 * part. */
static int resolve_sub(resolver *R, const tex_node *n, const char *inner, dv_strbuf *b)
{
	size_t i = 0, j = 0;
	long a, c;
	int nidx = bound_indices(R, n->sub, &a, &c);
	if (nidx > 0) {
		/* an entry named by indices: numbered from eb in the notes; one
		 * index names an entry of a vector */
		size_t rows, cols;
		long r1 = a + 1 - R->eb, c1 = c + 1 - R->eb;
		if (shape_of(R, inner, n, &rows, &cols) != 0)
			return -1;
		if (nidx == 1 && cols == 1) {
			c1 = 1;
			c = R->eb;
		} else if (nidx == 1 && rows == 1) {
			c1 = r1;
			c = a;
			r1 = 1;
			a = R->eb;
		} else if (nidx == 1) {
			return unresolved_latex(R, n, "%s: one index on a matrix");
		}
		if ((r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) &&
		    zero_outside(R->sc, inner)) {
			dv_strbuf_puts(b, "0"); /* the file takes it as 0 there */
			return 0;
		}
		if (r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) {
			char *s = latex_of(n);
			unresolved(R, n, "%s is entry (%ld,%ld) of a %zux%zu matrix",
			           s != NULL ? s : "?", a, c, rows, cols);
			free(s);
			R->shape_error = 1;
			R->out_of_range = 1;
			return -1;
		}
		put_entry(b, inner, (size_t)r1, (size_t)c1);
		return 0;
	}
	switch (sub_kind(n->sub, &i, &j)) {
	case SUB_NONE:
	case SUB_MAP:
		dv_strbuf_puts(b, inner);
		return 0;
	case SUB_ENTRY:
		put_entry(b, inner, i, j);
		return 0;
	case SUB_UV:
		if (R->uv) {
			dv_strbuf_puts(b, inner);
			return 0;
		}
		return unresolved_latex(R, n->sub,
		                        "the indices %s have no \\sum over them");
	default:
		return unresolved_latex(R, n->sub,
		                        "index notation (%s) is not read yet: write the "
		                        "formula with whole matrices or single entries");
	}
}

static int resolve_derivative(resolver *R, const tex_node *frac, const tex_node *top,
                              const tex_node *bottom, dv_strbuf *b);

/* dZ in a scene of the file's letters where Z is a matrix and dZ is no name
 * of its own: ∂E/∂Z. */
static int d_name(resolver *R, const tex_node *n)
{
	char name[96], full[96];
	const char *layer = layer_of(n->sup);
	if (!R->sc->learned || n->text[0] != 'd' || !isalpha((unsigned char)n->text[1]) ||
	    strcmp(n->text + 1, "E") == 0 || layer == NULL)
		return 0;
	snprintf(full, sizeof full, "%s%s", n->text, layer);
	snprintf(name, sizeof name, "%s%s", n->text + 1, layer);
	return scene_find(R->sc, full) == NULL && scene_find(R->sc, name) != NULL;
}

static int resolve_sym(resolver *R, const tex_node *n, dv_strbuf *b)
{
	char name[96];
	size_t i = 0, j = 0;
	int kind;
	const char *text = n->text;
	size_t len = strlen(text);

	if (d_name(R, n)) {
		/* dZ, dW_{mn}, dA_{prev}: the loss's derivative, as Andrew Ng's
		 * notes write it */
		tex_node e = {0}, t = *n;
		e.kind = TX_SYM;
		e.text = (char *)"E";
		t.text = n->text + 1;
		return resolve_derivative(R, n, &e, &t, b);
	}
	if (n->sup != NULL && n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0 &&
	    n->sup->sub == NULL && n->sup->sup == NULL) {
		/* x^T, W^\top: the transpose */
		tex_node copy = *n;
		copy.sup = NULL;
		dv_strbuf_puts(b, "transpose(");
		if (resolve_sym(R, &copy, b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	}
	/* k11, as in [k11, k12]: the entry (1,1) of k */
	if (n->sub == NULL && len == 3 && isalpha((unsigned char)text[0]) &&
	    isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2]) &&
	    text[1] != '0' && text[2] != '0') {
		char letter[2] = {text[0], '\0'};
		const char *m = scene_letter(R->sc, letter);
		if (m == NULL)
			return unresolved(R, n, "'%s' is not a symbol of the context", text);
		put_entry(b, m, (size_t)(text[1] - '0'), (size_t)(text[2] - '0'));
		return 0;
	}
	if (n->sup != NULL && n->sup->kind == TX_NUM && sub_kind(n->sub, &i, &j) == SUB_ENTRY) {
		/* x_{11}^2: a power of an entry */
		tex_node copy = *n;
		copy.sup = NULL;
		dv_strbuf_puts(b, "(");
		if (resolve_sym(R, &copy, b) != 0)
			return -1;
		dv_strbuf_printf(b, ")^%s", n->sup->text);
		return 0;
	}
	if (channel_name(R, n, name, sizeof name)) {
		tex_node bare_n = *n;
		bare_n.sub = NULL;
		return resolve_sub(R, &bare_n, name, b);
	}
	if (mangle(R, n, name, sizeof name) != 0)
		return -1;
	kind = sub_kind(n->sub, &i, &j);
	if (kind == SUB_ENTRY && !R->idx && R->sc->base == 0 && R->sc->learned)
		return unresolved_latex(R, n->sub,
		                        "index notation (%s), numbered from 0 as the file's "
		                        "indices are");
	if (kind == SUB_MAP && R->sc->learned) {
		long a, c;
		if (bound_indices(R, n->sub, &a, &c) == 0)
			return unresolved_latex(R, n->sub,
			                        "index notation: the free index %s has no \\sum and "
			                        "no range here");
		kind = SUB_OTHER;
	}
	if (kind == SUB_MAP)
		R->used_maps = 1;
	if (kind == SUB_ENTRY && !(R->idx && n->sub->kind == TX_LIST)) {
		const char *m = scene_find(R->sc, name) != NULL ? name
		                                              : scene_letter(R->sc, name);
		if (m == NULL) {
			char *s = latex_of(n);
			unresolved(R, n, "%s is not a symbol of the context", s);
			free(s);
			return -1;
		}
		put_entry(b, m, i, j);
		return 0;
	}
	if (scene_find(R->sc, name) == NULL) {
		tex_node bare = *n;
		char *s;
		const char *m = n->sub != NULL && n->sup == NULL ? scene_letter(R->sc, name) : NULL;
		int la, lb;
		if (m != NULL && R->idx)
			return resolve_sub(R, n, m, b); /* x_{u+1,v}: an entry of X */
		if (m != NULL && (n->sub->kind == TX_LIST || two_letters(n->sub, &la, &lb)))
			return unresolved_latex(R, n->sub, "index notation (%s) on the entries of a "
			                                   "matrix");
		bare.sub = kind == SUB_MAP ? NULL : n->sub;
		s = latex_of(&bare);
		unresolved(R, n, "%s is not a symbol of the context", s);
		free(s);
		return -1;
	}
	return resolve_sub(R, n, name, b);
}

/* Resolves n into a new string. */
static char *resolve_text(resolver *R, const tex_node *n)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	if (resolve(R, n, &b) != 0) {
		dv_strbuf_free(&b);
		return NULL;
	}
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

#define strip tex_node_strip

/*
 * What a derivative is taken with respect to: a matrix of the scene, whole
 * or one entry.  name gets the matrix; *entry whether (i, j) is one entry.
 */
static int target_of(resolver *R, const tex_node *t, char *name, size_t size, int *entry,
                     size_t *i, size_t *j)
{
	int kind;
	t = strip(t);
	*entry = 0;
	if (t->kind == TX_CALL && strcmp(t->text, "rot180") == 0 && t->nkids == 1 &&
	    t->primes == 0 && t->sub == NULL && t->sup == NULL) {
		/* ∂E/∂rot180(K) = rot180(∂E/∂K) */
		R->rot_target = !R->rot_target;
		return target_of(R, t->kids[0], name, size, entry, i, j);
	}
	if (R->idx && (t->kind == TX_GROUP || t->kind == TX_SYM) && t->sub != NULL) {
		/* (K)_{r,s} with r, s bound by index notation: that entry */
		long a, c;
		if (bound_indices(R, t->sub, &a, &c) == 2) {
			tex_node bare = *t;
			size_t rows, cols;
			long r1 = a + 1 - R->eb, c1 = c + 1 - R->eb;
			bare.sub = NULL;
			if (target_of(R, &bare, name, size, entry, i, j) != 0)
				return -1;
			if (shape_of(R, name, t, &rows, &cols) != 0)
				return -1;
			if (r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) {
				R->shape_error = 1;
				R->out_of_range = 1;
				return unresolved_latex(R, t, "%s names an entry outside the matrix");
			}
			*entry = 1;
			*i = (size_t)r1;
			*j = (size_t)c1;
			return 0;
		}
	}
	if (t->kind == TX_GROUP) { /* (net_j^{l+1})_{11} */
		const tex_node *in = strip(t->kids[0]);
		int rot = in->kind == TX_CALL && strcmp(in->text, "rot180") == 0;
		kind = sub_kind(t->sub, i, j);
		if (rot && kind == SUB_ENTRY) { /* (rot180(K))_{11} */
			size_t ei = *i, ej = *j;
			if (target_of(R, in, name, size, entry, i, j) != 0)
				return -1;
			if (*entry)
				return unresolved_latex(R, t, "a derivative with respect to %s");
			*entry = 1;
			*i = ei;
			*j = ej;
			return 0;
		}
		if ((in->kind == TX_SYM || rot) && kind == SUB_OTHER)
			return unresolved_latex(R, t->sub,
			                        "index notation (%s) is not read yet: write the "
			                        "formula with whole matrices or single entries");
		if (in->kind != TX_SYM || (kind != SUB_ENTRY && !(kind == SUB_UV && R->uv)))
			return unresolved_latex(R, t, "a derivative with respect to %s");
		if (mangle(R, in, name, size) != 0)
			return -1;
		if (scene_find(R->sc, name) == NULL)
			return unresolved_latex(R, in, "%s is not a symbol of the context");
		*entry = kind == SUB_ENTRY;
		return 0;
	}
	if (t->kind != TX_SYM)
		return unresolved_latex(R, t, "a derivative with respect to %s");
	{
		const char *text = t->text;
		if (t->sub == NULL && strlen(text) == 3 && isalpha((unsigned char)text[0]) &&
		    isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2])) {
			char letter[2] = {text[0], '\0'};
			const char *m = scene_letter(R->sc, letter);
			if (m == NULL)
				return unresolved(R, t, "'%s' is not a symbol of the context",
				                  text);
			snprintf(name, size, "%s", m);
			*i = (size_t)(text[1] - '0');
			*j = (size_t)(text[2] - '0');
			*entry = 1;
			return 0;
		}
	}
	if (channel_name(R, t, name, size))
		return 0;
	if (mangle(R, t, name, size) != 0)
		return -1;
	kind = sub_kind(t->sub, i, j);
	if (kind == SUB_ENTRY && !R->idx && R->sc->base == 0 && R->sc->learned)
		return unresolved_latex(R, t->sub,
		                        "index notation (%s), numbered from 0 as the file's "
		                        "indices are");
	if (kind == SUB_ENTRY) {
		const char *m = scene_find(R->sc, name) != NULL ? NULL : scene_letter(R->sc, name);
		if (m != NULL)
			snprintf(name, size, "%s", m);
		else if (scene_find(R->sc, name) == NULL)
			return unresolved_latex(R, t, "%s is not a symbol of the context");
		*entry = 1;
		return 0;
	}
	if (kind == SUB_OTHER || (kind == SUB_UV && !R->uv))
		return unresolved_latex(R, t->sub,
		                        "index notation (%s) is not read yet: write the "
		                        "formula with whole matrices or single entries");
	if (scene_find(R->sc, name) == NULL) {
		tex_node bare = *t;
		char *s;
		bare.sub = NULL;
		s = latex_of(&bare);
		unresolved(R, t, "%s is not a symbol of the context", s);
		free(s);
		return -1;
	}
	return 0;
}

/* A name defined as another variable (define x = X): that variable. */
static const char *follow_alias(const scene *sc, const char *name)
{
	for (int hops = 0; hops < 8; hops++) {
		const scene_line *l = NULL;
		const char *eq;
		char target[64];
		for (size_t i = 0; i < sc->nlines; i++)
			if (strcmp(sc->lines[i].name, name) == 0)
				l = &sc->lines[i];
		if (l == NULL || l->var || (eq = strstr(l->text, " = ")) == NULL)
			return name;
		if (sscanf(eq + 3, "%63[A-Za-z0-9_]", target) != 1 ||
		    strcmp(eq + 3, target) != 0)
			return name;
		for (size_t i = 0; i < sc->nlines; i++)
			if (strcmp(sc->lines[i].name, target) == 0) {
				name = sc->lines[i].name;
				break;
			}
	}
	return name;
}

/* The δ of a layer's net (or of a convolution's output that the net adds b
 * to): E is linear in it through δ. */
static const char *delta_of(resolver *R, const char *name)
{
	const char *suffix = strrchr(name, '_');
	char delta[64];
	scene_line *l = scene_find(R->sc, name), *dl;
	if (suffix == NULL || (strcmp(suffix, "_next") != 0 && strcmp(suffix, "_prev") != 0))
		suffix = "";
	snprintf(delta, sizeof delta, "delta%s", suffix);
	if ((dl = scene_find(R->sc, delta)) == NULL || l == NULL || l->var)
		return NULL;
	if (strncmp(name, "net", 3) == 0)
		return dl->name;
	if (l->by_file) {
		/* P = X * K: the output that net adds the bias to, if its size is δ's */
		size_t r1, c1, r2, c2;
		if (shape_of(R, name, NULL, &r1, &c1) == 0 &&
		    shape_of(R, delta, NULL, &r2, &c2) == 0 && r1 == r2 && c1 == c2)
			return dl->name;
		dv_diag_clear(&R->why);
		R->shape_error = 0;
	}
	return NULL;
}

static int resolve_derivative(resolver *R, const tex_node *frac, const tex_node *top,
                              const tex_node *bottom, dv_strbuf *b)
{
	char name[96];
	int entry;
	size_t i = 0, j = 0;
	const tex_node *a = strip(top);
	scene_line *l;
	int rotated;

	R->rot_target = 0;
	if (target_of(R, bottom, name, sizeof name, &entry, &i, &j) != 0)
		return -1;
	rotated = R->rot_target;
	R->rot_target = 0;
	{
		char to[96];
		snprintf(to, sizeof to, "%s", follow_alias(R->sc, name));
		memcpy(name, to, sizeof name);
	}
	l = scene_find(R->sc, name);
	if (a->kind == TX_SYM &&
	    (strcmp(a->text, "E") == 0 ||
	     (R->sc->loss[0] != '\0' && strcmp(a->text, R->sc->loss) == 0)) &&
	    a->sub == NULL && a->sup == NULL) {
		const char *delta;
		if (l != NULL && l->var) {
			const char *open = rotated ? "rot180(" : "", *close = rotated ? ")" : "";
			if (entry)
				dv_strbuf_printf(b, "entry(%sgrad(E, %s)%s, %zu, %zu)", open, name,
				                 close, i, j);
			else
				dv_strbuf_printf(b, "%sgrad(E, %s)%s", open, name, close);
			return 0;
		}
		if (rotated)
			return unresolved_latex(R, bottom, "a derivative with respect to %s");
		if ((delta = delta_of(R, name)) != NULL) {
			R->used_delta = 1;
			if (entry)
				put_entry(b, delta, i, j);
			else
				dv_strbuf_puts(b, delta);
			return 0;
		}
		return unresolved(R, frac,
		                  "∂E/∂%s: it is defined by other quantities, not a "
		                  "variable of the context",
		                  name);
	}
	if (rotated)
		return unresolved_latex(R, bottom, "a derivative with respect to %s");
	if (l == NULL || !l->var)
		return unresolved(R, frac,
		                  "a derivative with respect to %s, which other quantities "
		                  "define",
		                  name);
	{
		char *num = resolve_text(R, a);
		size_t r, c;
		if (num == NULL)
			return -1;
		if (shape_of(R, num, a, &r, &c) != 0) {
			free(num);
			return -1;
		}
		if (r != 1 || c != 1) {
			free(num);
			return unresolved_latex(R, a,
			                        "the derivative of the matrix %s (a Jacobian)");
		}
		if (entry)
			dv_strbuf_printf(b, "entry(grad(%s, %s), %zu, %zu)", num, name, i, j);
		else
			dv_strbuf_printf(b, "grad(%s, %s)", num, name);
		free(num);
	}
	return 0;
}

static int is_partial(const tex_node *n)
{
	n = strip(n);
	return n != NULL && n->kind == TX_PARTIAL;
}

static int resolve_frac(resolver *R, const tex_node *n, dv_strbuf *b)
{
	const tex_node *top = strip(n->kids[0]), *bottom = strip(n->kids[1]);
	if (top->kind == TX_PARTIAL) {
		/* \frac{\partial E}{x} with the ∂ left out is read as ∂E/∂x */
		const tex_node *wrt = is_partial(bottom) ? strip(bottom)->kids[0] : bottom;
		dv_strbuf inner;
		char *s = NULL;
		int rc;
		dv_strbuf_init(&inner);
		rc = resolve_derivative(R, n, top->kids[0], wrt, &inner);
		if (rc == 0 && dv_strbuf_finish(&inner, &s, NULL) == DV_OK) {
			rc = resolve_sub(R, n, s, b);
			free(s);
			return rc;
		}
		dv_strbuf_free(&inner);
		return -1;
	}
	if (bottom->kind == TX_NUM) {
		dv_strbuf_puts(b, "(");
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_printf(b, ") / %s", bottom->text);
		return 0;
	}
	return unresolved_latex(R, n, "the fraction %s is not a derivative (no ∂) "
	                              "and its denominator is not a number");
}

static int resolve_call(resolver *R, const tex_node *n, dv_strbuf *b)
{
	const char *f = n->text;
	dv_strbuf in;
	char *s = NULL;
	int pool = strcmp(f, "up") == 0 || strcmp(f, "down") == 0;

	/* \sigma is the activation, as f is; in the file's own letters, g too */
	if (strcmp(f, "sigma") == 0 || (R->sc->learned && strcmp(f, "g") == 0))
		f = "f";
	if (strcmp(f, "ReLU") == 0 || strcmp(f, "relu") == 0) {
		if (n->primes > 1)
			return unresolved(R, n, "%s'' : only the first derivative is read", f);
		f = n->primes == 1 ? "drelu" : "relu";
		if (n->primes == 1) {
			tex_node plain = *n;
			plain.primes = 0;
			plain.text = (char *)"drelu";
			return resolve_call(R, &plain, b);
		}
	}
	if (n->primes > 1 || (n->primes == 1 && strcmp(f, "f") != 0 && strcmp(f, "g") != 0))
		return unresolved(R, n, "%s'' : only f' is read as a derivative", f);
	if (strcmp(f, "g") == 0)
		return unresolved(R, n, "the function %s is not in the context", f);
	dv_strbuf_init(&in);
	if (strcmp(f, "f") == 0)
		dv_strbuf_puts(&in, n->primes ? "df(" : "f(");
	else if (strcmp(f, "filter2") == 0 || strcmp(f, "corr") == 0 ||
	         strcmp(f, "correlate") == 0)
		dv_strbuf_puts(&in, "xcorr(");
	else if (strcmp(f, "rot") == 0)
		dv_strbuf_puts(&in, "rot180(");
	else
		dv_strbuf_printf(&in, "%s(", f);
	for (size_t i = 0; i < n->nkids; i++) {
		const tex_node *a = n->kids[i];
		if (i > 0)
			dv_strbuf_puts(&in, ", ");
		if (a->kind == TX_STR) {
			dv_strbuf_printf(&in, "'%s'", a->text);
			continue;
		}
		if (resolve(R, a, &in) != 0) {
			dv_strbuf_free(&in);
			return -1;
		}
	}
	if (pool && n->nkids == 1) {
		/* up(δ), down(X): the context's blocks, 2 x 2 */
		dv_strbuf_puts(&in, ", 2");
		R->used_pool = 1;
	}
	dv_strbuf_puts(&in, ")");
	if (dv_strbuf_finish(&in, &s, NULL) != DV_OK)
		return -1;
	{
		int rc = resolve_sub(R, n, s, b);
		free(s);
		return rc;
	}
}

/* Σ over u and v of a body in which (A)_{u,v} is A: the sum of its entries. */
static int resolve_sum(resolver *R, const tex_node *n, dv_strbuf *b)
{
	size_t i, j;
	const tex_node *body = n->kids[0];
	int kind = sub_kind(n->sub, &i, &j);

	long from = 0, to = 0;
	int bounded = 0;

	if (n->sub == NULL)
		return unresolved(R, n, "a \\sum without its index%s", "");
	if (R->idx && n->nkids > 1 && n->sup != NULL && n->sub->kind == TX_SYM &&
	    strlen(n->sub->text) == 1 && islower((unsigned char)n->sub->text[0])) {
		/* \sum_{m=0}^{k_1-1}: the bounds the text gives */
		if (index_value(R, n->kids[1], &from) != 0 || index_value(R, n->sup, &to) != 0)
			return unresolved_latex(R, n, "the bounds of %s are not numbers here");
		if (to - from > 64)
			return unresolved_latex(R, n, "%s sums over more than 64 values");
		bounded = 1;
	}
	if (R->idx && n->sub->kind == TX_SYM && strlen(n->sub->text) == 1 &&
	    islower((unsigned char)n->sub->text[0]) &&
	    (bounded || (R->range[n->sub->text[0] - 'a'] != 0 &&
	                 R->range[n->sub->text[0] - 'a'] != (size_t)-1))) {
		/* \sum_h over the values the index takes, one term each */
		int l = n->sub->text[0] - 'a';
		size_t count = bounded ? (size_t)(to >= from ? to - from + 1 : 0) : R->range[l];
		long start = bounded ? from : R->sb;
		int was = R->bound[l];
		long old = R->val[l];
		R->bound[l] = 1;
		dv_strbuf_puts(b, "(");
		if (count == 0)
			dv_strbuf_puts(b, "0");
		for (size_t t = 0; t < count; t++) {
			R->val[l] = start + (long)t;
			if (t > 0)
				dv_strbuf_puts(b, " + ");
			dv_strbuf_puts(b, "(");
			if (resolve(R, body, b) != 0) {
				R->bound[l] = was;
				R->val[l] = old;
				return -1;
			}
			dv_strbuf_puts(b, ")");
		}
		dv_strbuf_puts(b, ")");
		R->bound[l] = was;
		R->val[l] = old;
		return 0;
	}
	if (R->idx && R->sc->learned && n->sub->kind == TX_LIST && n->sub->nkids == 2 &&
	    n->sub->kids[0]->kind == TX_SYM && n->sub->kids[1]->kind == TX_SYM &&
	    strlen(n->sub->kids[0]->text) == 1 && strlen(n->sub->kids[1]->text) == 1) {
		/* \sum_{i,j} in the file's letters: \sum_i \sum_j */
		tex_node inner = *n, outer = *n;
		tex_node *in_kids[1];
		inner.sub = n->sub->kids[1];
		inner.nkids = 1; /* no bounds: the ranges the matrices give */
		outer.sub = n->sub->kids[0];
		outer.nkids = 1;
		outer.sup = inner.sup = NULL;
		in_kids[0] = &inner;
		outer.kids = in_kids;
		return resolve_sum(R, &outer, b);
	}
	if (kind == SUB_MAP && R->sc->learned)
		/* in the file's own letters, i and j index entries, not maps */
		return unresolved_latex(R, n->sub, "a \\sum over %s: index notation");
	if (kind == SUB_MAP) {
		/* over the feature maps: one map per layer here */
		R->used_maps = 1;
		return resolve(R, body, b);
	}
	if (kind == SUB_UV || is_letter(n->sub, "u")) {
		int uv = R->uv, rc;
		if (is_letter(n->sub, "u")) {
			const tex_node *in = body;
			if (in->kind != TX_SUM || in->sub == NULL || !is_letter(in->sub, "v"))
				return unresolved(R, n, "a \\sum over u alone%s", "");
			body = in->kids[0];
		}
		R->uv = 1;
		dv_strbuf_puts(b, "sum(");
		rc = resolve(R, body, b);
		dv_strbuf_puts(b, ")");
		R->uv = uv;
		return rc;
	}
	return unresolved_latex(R, n->sub,
	                        "a \\sum over %s: index notation is not read yet");
}

/*
 * ", 'full'" where the file's own * can only mean the padded one: in a
 * scene built from the file's letters, a kernel as large as the input (δ^l
 * * rot180(W^l), both 2x2) leaves nothing or one entry to a 'valid' slide,
 * and the texts that write it pad δ first.  Elsewhere "".
 */
static const char *full_star(resolver *R, size_t ir, size_t ic, size_t kr, size_t kc)
{
	if (!R->sc->learned || (kr < ir && kc < ic))
		return "";
	R->used_full = 1;
	return ", 'full'";
}

static int resolve_mul(resolver *R, const tex_node *n, dv_strbuf *b)
{
	char *l, *r = NULL;
	size_t lr, lc, rr, rc_;
	int rc = -1, lscalar, rscalar;

	if (n->op == TX_SLASH && is_partial(n->kids[0]) && is_partial(n->kids[1]))
		/* \partial E / \partial P: a derivative written inline */
		return resolve_derivative(R, n, strip(n->kids[0])->kids[0],
		                          strip(n->kids[1])->kids[0], b);
	l = resolve_text(R, n->kids[0]);

	if (l == NULL)
		return -1;
	if ((r = resolve_text(R, n->kids[1])) == NULL)
		goto out;
	if (shape_of(R, l, n->kids[0], &lr, &lc) != 0 ||
	    shape_of(R, r, n->kids[1], &rr, &rc_) != 0)
		goto out;
	lscalar = lr == 1 && lc == 1;
	rscalar = rr == 1 && rc_ == 1;
	switch (n->op) {
	case TX_JUXT:
	case TX_TIMES:
		if (!lscalar && !rscalar && lc == rr && !(lr == rr && lc == rc_)) {
			/* W x, W^T δ: sizes that only a matrix product fits */
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		if (!lscalar && !rscalar)
			R->used_juxt = 1;
		dv_strbuf_printf(b, "(%s) %s (%s)", l, lscalar || rscalar ? "*" : ".*", r);
		break;
	case TX_CIRC:
		dv_strbuf_printf(b, "(%s) .* (%s)", l, r);
		break;
	case TX_SLASH:
		if (!rscalar) {
			unresolved_latex(R, n, "%s divides by a matrix");
			goto out;
		}
		dv_strbuf_printf(b, "(%s) / (%s)", l, r);
		break;
	case TX_CDOT:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		R->used_cdot = 1;
		dv_strbuf_printf(b, "(%s) %s (%s)", l, R->cdot == CDOT_HADAMARD ? ".*" : "*", r);
		break;
	case TX_STARX:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		dv_strbuf_printf(b, "xcorr(%s, %s%s)", l, r, full_star(R, lr, lc, rr, rc_));
		break;
	case TX_STAR:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		R->used_star = 1;
		if (R->star == STAR_HADAMARD) {
			dv_strbuf_printf(b, "(%s) .* (%s)", l, r);
		} else {
			/* the larger operand is the input, the smaller the kernel; a
			 * convolution commutes, so K * X is X convolved with K */
			int swap = rr * rc_ > lr * lc && R->star == STAR_CONV;
			dv_strbuf_printf(b, "%s(%s, %s%s)", R->star == STAR_CONV ? "conv" : "xcorr",
			                 swap ? r : l, swap ? l : r,
			                 swap ? full_star(R, rr, rc_, lr, lc)
			                      : full_star(R, lr, lc, rr, rc_));
		}
		break;
	}
	rc = 0;
out:
	free(l);
	free(r);
	return rc;
}

static int resolve(resolver *R, const tex_node *n, dv_strbuf *b)
{
	if (n == NULL)
		return unresolved(R, NULL, "an empty part%s", "");
	switch (n->kind) {
	case TX_NUM:
		if (n->sub != NULL || n->sup != NULL) {
			if (n->sup != NULL && n->sub == NULL && n->sup->kind == TX_NUM) {
				dv_strbuf_printf(b, "%s^%s", n->text, n->sup->text);
				return 0;
			}
			return unresolved_latex(R, n, "the number %s has an index");
		}
		dv_strbuf_puts(b, n->text);
		return 0;
	case TX_STR:
		dv_strbuf_printf(b, "'%s'", n->text);
		return 0;
	case TX_SYM:
		return resolve_sym(R, n, b);
	case TX_CALL:
		return resolve_call(R, n, b);
	case TX_FRAC:
		return resolve_frac(R, n, b);
	case TX_PARTIAL:
		return unresolved_latex(R, n, "%s outside a fraction");
	case TX_ADD:
	case TX_SUB:
		/* a + b + c stays flat: + and - group from the left */
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_puts(b, n->kind == TX_ADD ? " + (" : " - (");
		if (resolve(R, n->kids[1], b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	case TX_NEG:
		dv_strbuf_puts(b, "-(");
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	case TX_MUL:
		return resolve_mul(R, n, b);
	case TX_SUM:
		return resolve_sum(R, n, b);
	case TX_GROUP: {
		char *in = NULL;
		int rc;
		if (n->sup != NULL) {
			if (n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0) {
				dv_strbuf_puts(b, "transpose(");
				if (resolve(R, n->kids[0], b) != 0)
					return -1;
				dv_strbuf_puts(b, ")");
				return 0;
			}
			return unresolved_latex(R, n->sup, "the superscript %s of a group");
		}
		if ((in = resolve_text(R, n->kids[0])) == NULL)
			return -1;
		{
			size_t len = strlen(in) + 3;
			char *p = malloc(len);
			if (p == NULL) {
				free(in);
				return -1;
			}
			snprintf(p, len, "(%s)", in);
			free(in);
			in = p;
		}
		rc = resolve_sub(R, n, in, b);
		free(in);
		return rc;
	}
	case TX_MATRIX:
		dv_strbuf_puts(b, "[");
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, i % n->cols == 0 ? "; " : ", ");
			dv_strbuf_puts(b, "(");
			if (resolve(R, n->kids[i], b) != 0)
				return -1;
			dv_strbuf_puts(b, ")");
		}
		dv_strbuf_puts(b, "]");
		return 0;
	case TX_CASES:
		return unresolved(R, n, "a definition by cases is not checked%s", "");
	case TX_LIST:
	case TX_IN:
		return unresolved_latex(R, n, "%s outside a subscript");
	}
	return unresolved(R, n, "a part verify does not read%s", "");
}

/* ---- deciding ------------------------------------------------------------- */

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

static void outcome_clear(outcome *o)
{
	free(o->claim);
	free(o->reading);
	free(o->reason);
	lesson_check_free(o->check);
	memset(o, 0, sizeof *o);
}

static int keep_action(notes_run *N, lesson_action *a)
{
	lesson_action **as = realloc(N->rep->actions, (N->rep->nactions + 1) * sizeof *as);
	if (as == NULL)
		return -1;
	N->rep->actions = as;
	as[N->rep->nactions++] = a;
	return 0;
}

static void action_free(lesson_action *a)
{
	if (a == NULL)
		return;
	dv_node_free(a->lhs);
	dv_node_free(a->rhs);
	free(a->lhs_text);
	free(a->rhs_text);
	free(a->text);
	free(a);
}

/* Whether a symbolic matrix is 0 in every entry. */
static int all_zero(const dv_mat *m)
{
	if (m == NULL || dv_mat_is_double(m))
		return 0;
	for (size_t i = 0; i < dv_mat_len(m); i++)
		if (sym_poly_len(*(sym_poly *const *)dv_mat_at(m, i)) != 0)
			return 0;
	return 1;
}

/* Decides "l == r" in the scene's run; the verdict goes to o. */
static int decide_claim(notes_run *N, scene *sc, const char *l, const char *r, int line,
                        int column, outcome *o, dv_diag *d)
{
	lesson_action *a = calloc(1, sizeof *a);
	dv_diag pd = {0};
	lesson_check *c = NULL;
	int rc;

	if (a == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	a->kind = LESSON_CLAIM;
	a->line = line;
	a->column = column;
	a->lhs_text = dup(l);
	a->rhs_text = dup(r);
	if (a->lhs_text == NULL || a->rhs_text == NULL || keep_action(N, a) != 0) {
		action_free(a);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if (dv_parse(&a->lhs, l, &pd) != DV_OK || dv_parse(&a->rhs, r, &pd) != DV_OK) {
		/* what the resolver wrote does not parse: a bug, said as such */
		o->verdict = NOTES_UNCHECKED;
		o->reason = dup(pd.message);
		return o->reason != NULL ? DV_OK : dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	rc = lesson_decide(&c, a, sc->r, &pd);
	if (rc == DV_E_NOMEM) {
		lesson_check_free(c);
		return dv_fail(d, rc, "out of memory");
	}
	if (rc != DV_OK) {
		lesson_check_free(c);
		/* past the work a formula may take, or a claim that cannot be
		 * evaluated here: not decided, never failed */
		o->verdict = rc == DV_E_LIMIT ? NOTES_INCONCLUSIVE : NOTES_UNCHECKED;
		o->reason = dup(pd.message);
		return DV_OK;
	}
	o->verdict = c->passed ? NOTES_HOLDS : c->inconclusive ? NOTES_INCONCLUSIVE
	                                                      : NOTES_FAILS;
	if (o->verdict == NOTES_FAILS && sc->learned &&
	    (c->exact.unevaluable || c->numeric.unevaluable)) {
		/* a side with no value at some size: the file's letters were read,
		 * their sizes guessed; not a mistake the formula makes */
		o->verdict = NOTES_UNCHECKED;
		o->reason = dup("a side has no value at the sizes the file's scene was given "
		                "(some sizes are not in the text)");
	}
	if (c->exact.value.kind == DV_V_CHECK)
		o->degenerate = all_zero(c->exact.value.mat) != all_zero(c->exact.value.mat2);
	o->check = c;
	o->result = sc->r;
	{
		size_t n = strlen(l) + strlen(r) + 5;
		o->claim = malloc(n);
		if (o->claim == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		snprintf(o->claim, n, "%s == %s", l, r);
	}
	return DV_OK;
}

static const char *star_name(int s);

/* The scene's own *, for messages. */
static const char *own_star(const scene *sc)
{
	return sc->star_own == STAR_CONV ? "convolution, the kernel rotated by 180°"
	                                 : "cross-correlation, the kernel as it is";
}

/* The k-th reading of * tried in sc: the scene's own first. */
static int star_of(const scene *sc, int k)
{
	return k == 0 ? sc->star_own : k == sc->star_own ? 0 : k;
}

static const char *star_name(int s)
{
	return s == STAR_CONV ? "convolution" : s == STAR_XCORR ? "cross-correlation"
	                                                        : "the element-wise product ∘";
}

/* How a formula was read, for the report ("* as convolution; ..."). */
static char *reading_text(const resolver *R, const scene *sc)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	dv_strbuf_printf(&b, "in %s", sc->title);
	if (R->used_star)
		dv_strbuf_printf(&b, "; * between matrices as %s", star_name(R->star));
	if (R->used_cdot)
		dv_strbuf_printf(&b, "; \\cdot as %s",
		                 R->cdot == CDOT_HADAMARD ? "the element-wise product"
		                                          : "the matrix product");
	if (R->used_juxt)
		dv_strbuf_puts(&b, "; matrices side by side as the element-wise product");
	if (R->used_full)
		dv_strbuf_puts(&b, "; * with zero padding ('full'), the kernel being as "
		                   "large as what it slides over");
	if (R->used_delta)
		dv_strbuf_puts(&b, "; ∂E/∂net as δ");
	if (R->used_pool)
		dv_strbuf_puts(&b, "; up and down over 2x2 blocks");
	if (R->used_maps)
		dv_strbuf_puts(&b, "; one feature map per layer");
	if (R->free_uv)
		dv_strbuf_puts(&b, "; for every entry (u,v)");
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

/* The letters of an index expression, as a bit set. */
static unsigned letters_of(const tex_node *n)
{
	unsigned m = 0;
	if (n == NULL)
		return 0;
	if (n->kind == TX_SYM && strlen(n->text) == 1 && islower((unsigned char)n->text[0]))
		m |= 1u << (n->text[0] - 'a');
	for (size_t i = 0; i < n->nkids; i++)
		m |= letters_of(n->kids[i]);
	return m;
}

/* How many values each index takes: the size, in that direction, of the
 * smallest matrix it indexes. */
static void scan_ranges(resolver *R, const tex_node *n)
{
	int a, c;
	if (n == NULL)
		return;
	if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sub != NULL &&
	    ((n->sub->kind == TX_LIST && n->sub->nkids == 2) ||
	     (R->sc->learned && two_letters(n->sub, &a, &c)))) {
		tex_node bare = *n;
		resolver Q = *R;
		char *t;
		size_t rows, cols;
		bare.sub = NULL;
		Q.idx = 0;
		dv_diag_clear(&Q.why);
		if ((t = resolve_text(&Q, &bare)) != NULL && shape_of(&Q, t, n, &rows, &cols) == 0) {
			for (int p = 0; p < 2; p++) {
				unsigned m = n->sub->kind == TX_LIST ? letters_of(n->sub->kids[p])
				                                     : 1u << (p == 0 ? a : c);
				for (int l = 0; l < 26; l++)
					if ((m & (1u << l)) && (p == 0 ? rows : cols) < R->range[l])
						R->range[l] = p == 0 ? rows : cols;
			}
		}
		free(t);
	}
	for (size_t i = 0; i < n->nkids; i++)
		scan_ranges(R, n->kids[i]);
	scan_ranges(R, n->sub);
}

/* n (with free indices fu, fv) for every value of them: a matrix literal. */
static char *resolve_indexed(resolver *R, const tex_node *n, int fu, int fv, size_t rows,
                             size_t cols)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "[");
	R->bound[fu] = R->bound[fv] = 1;
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++) {
			R->val[fu] = (long)i + R->eb;
			R->val[fv] = (long)j + R->eb;
			if (i + j > 0)
				dv_strbuf_puts(&b, j == 0 ? "; " : ", ");
			dv_strbuf_puts(&b, "(");
			if (resolve(R, n, &b) != 0) {
				dv_strbuf_free(&b);
				return NULL;
			}
			dv_strbuf_puts(&b, ")");
		}
	dv_strbuf_puts(&b, "]");
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

static const char *star_name(int s);

/*
 * [entry(G, 1, 1), entry(G, 1, 2), ...] over every entry of G, as
 * resolve_indexed writes ∂E/∂I(p, q) for every p, q: G itself, so that the
 * gradient is computed once, not once an entry.  s is freed when replaced.
 */
static char *whole_matrix(char *s, size_t rows, size_t cols)
{
	const char *p = strstr(s, ", 1, 1))");
	dv_strbuf b;
	char *g, *want = NULL;
	size_t n;
	if (strncmp(s, "[(entry(", 8) != 0 || p == NULL)
		return s;
	n = (size_t)(p - (s + 8));
	if ((g = dup_n(s + 8, n)) == NULL)
		return s;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "[");
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++)
			dv_strbuf_printf(&b, "%s(entry(%s, %zu, %zu))", i + j == 0 ? "" : j == 0 ? "; " : ", ",
			                 g, i + 1, j + 1);
	dv_strbuf_puts(&b, "]");
	if (dv_strbuf_finish(&b, &want, NULL) != DV_OK || strcmp(want, s) != 0) {
		free(want);
		free(g);
		return s;
	}
	free(want);
	free(s);
	return g;
}

/*
 * Index notation with ranges the notes leave unstated: lhs is M_{u,v}; each
 * reading numbers entries from 1 or 0 and starts the sums at 0 or 1.  A
 * formula that holds under some readings only is ambiguous, and fails: the
 * report names the reading that makes it hold.
 */
static int decide_indexed(notes_run *N, scene *sc, const tex_node *lhs,
                          const tex_node *rhs, int line, int column, outcome *o,
                          dv_diag *d)
{
	const tex_node *top = lhs;
	tex_node bare;
	resolver R0 = {0};
	char *m;
	size_t rows, cols;
	int fu, fv, rc;
	char held[256] = "", failed[256] = "";
	outcome first_fail = {0}, first_hold = {0};
	int nhold = 0, nfail = 0, nbad = 0, closed = 0;

	/* \frac{\partial E}{\partial (K)_{r,s}}: the free indices are the
	 * target's, the size K's */
	top = strip(top);
	if (top->kind == TX_FRAC && is_partial(strip(top->kids[0])) &&
	    is_partial(strip(top->kids[1])))
		top = strip(strip(top->kids[1])->kids[0]);
	if (top->kind != TX_SYM && top->kind != TX_GROUP)
		return 1;
	if (top->sub == NULL || sub_kind(top->sub, &rows, &cols) == SUB_ENTRY ||
	    (top->sub->kind == TX_LIST && !letters_of(top->sub))) {
		/* ∂J/∂W_{11} = \sum_i \sum_j ...: no free index, the sums bound */
		closed = 1;
		fu = fv = 0;
	} else if (sc->learned && two_letters(top->sub, &fu, &fv)) {
		/* W_{ij} in the file's own letters: the indices i and j */
	} else if (top->sub->kind != TX_LIST || top->sub->nkids != 2 ||
	           top->sub->kids[0]->kind != TX_SYM || top->sub->kids[1]->kind != TX_SYM ||
	           strlen(top->sub->kids[0]->text) != 1 ||
	           strlen(top->sub->kids[1]->text) != 1) {
		return 1;
	} else {
		fu = top->sub->kids[0]->text[0] - 'a';
		fv = top->sub->kids[1]->text[0] - 'a';
	}
	if (!closed && (fu < 0 || fu >= 26 || fv < 0 || fv >= 26 || fu == fv))
		return 1;
	bare = *top;
	bare.sub = NULL;
	R0.sc = sc;
	if (!closed &&
	    ((m = resolve_text(&R0, &bare)) == NULL || shape_of(&R0, m, top, &rows, &cols) != 0)) {
		free(m);
		return 1;
	}
	if (!closed)
		free(m);
	for (int eb = 1; eb >= 0; eb--)
		for (int sb = 0; sb <= 1; sb++)
			for (int star = 0; star < NSTAR; star++) {
				resolver R = {0};
				if (sc->learned && sc->base >= 0 && (eb != sc->base || sb != sc->base))
					continue; /* the file says where its indices start */
				char *l, *r, what[96];
				outcome cur = {0};
				R.sc = sc;
				R.idx = 1;
				R.eb = eb;
				R.sb = sb;
				R.star = star_of(sc, star);
				for (int k = 0; k < 26; k++)
					R.range[k] = (size_t)-1;
				scan_ranges(&R, rhs);
				if (closed) {
					l = resolve_text(&R, lhs);
					r = l != NULL ? resolve_text(&R, rhs) : NULL;
				} else {
					l = resolve_indexed(&R, lhs, fu, fv, rows, cols);
					if (l != NULL)
						l = whole_matrix(l, rows, cols);
					r = l != NULL ? resolve_indexed(&R, rhs, fu, fv, rows, cols) : NULL;
				}
				if (star > 0 && !R.used_star) {
					free(l);
					free(r);
					continue;
				}
				snprintf(what, sizeof what, "entries numbered from %d, sums from %d%s%s", eb, sb,
				         R.used_star ? ", * as " : "",
				         R.used_star ? star_name(star_of(sc, star)) : "");
				if (l == NULL || r == NULL) {
					free(l);
					free(r);
					if (!R.shape_error && eb == 1 && sb == 0 && star == 0) {
						o->why = R.why;
						return 1;
					}
					nbad++;
					continue; /* an entry out of range: not a reading */
				}
				rc = decide_claim(N, sc, l, r, line, column, &cur, d);
				free(l);
				free(r);
				if (rc != DV_OK) {
					outcome_clear(&cur);
					outcome_clear(&first_fail);
					outcome_clear(&first_hold);
					return -1;
				}
				cur.resolved = 1;
				cur.star = star_of(sc, star);
				if (cur.verdict == NOTES_HOLDS) {
					if (nhold++ == 0) {
						snprintf(held, sizeof held, "%s", what);
						first_hold = cur;
					} else {
						outcome_clear(&cur);
					}
				} else {
					if (nfail++ == 0) {
						snprintf(failed, sizeof failed, "%s", what);
						first_fail = cur;
					} else {
						outcome_clear(&cur);
					}
				}
			}
	if (nhold == 0 && nfail == 0)
		return 1;
	if (nhold > 0 && first_hold.star == sc->star_own) {
		/* holds as the notes define *: where the indices start is the
		 * only choice, and the report says which */
		*o = first_hold;
		if (nfail > 0 || nbad > 0) {
			char msg[640];
			o->ambiguous = 1;
			if (nfail > 0)
				snprintf(msg, sizeof msg,
				         "ambiguous: the notes do not say where the indices "
				         "start; it holds only with %s, and fails with %s",
				         held, failed);
			else
				snprintf(msg, sizeof msg,
				         "ambiguous: the notes do not say where the indices "
				         "start; it holds with %s, and every other start "
				         "names entries outside the matrices",
				         held);
			free(o->reason);
			o->reason = dup(msg);
		}
		free(o->reading);
		o->reading = dup(held);
		outcome_clear(&first_fail);
		return 0;
	}
	if (nhold > 0) {
		char msg[640];
		*o = first_fail;
		o->verdict = NOTES_FAILS;
		o->held_otherwise = 1;
		o->star = first_hold.star;
		snprintf(msg, sizeof msg, "holds if * is read as %s (%s); fails with the notes' own * (%s)",
		         star_name(first_hold.star), held, own_star(sc));
		free(o->reason);
		o->reason = dup(msg);
		free(o->reading);
		o->reading = dup(failed);
		outcome_clear(&first_hold);
		return 0;
	}
	*o = first_fail;
	free(o->reading);
	o->reading = dup(failed);
	if (nfail > 1 && o->reason == NULL)
		o->reason = dup("it fails whichever way the indices are numbered (entries "
		                "from 0 or 1, sums from 0 or 1)");
	return 0;
}

/*
 * Decides lhs = rhs in scene sc, trying each reading of * and \cdot that
 * occurs.  The notes' own * (convolution) decides the verdict; another
 * reading that makes the formula hold is named as the way it can hold.
 */
static int decide_in(notes_run *N, scene *sc, const tex_node *lhs, const tex_node *rhs,
                     int line, int column, outcome *o, dv_diag *d)
{
	int rc;
	outcome best = {0};
	int have_best = 0, used_star = 0, used_cdot = 0, free_uv = 0;

	memset(o, 0, sizeof *o);
	if ((rc = scene_run(N, sc, &o->why)) != DV_OK) {
		if (rc == DV_E_NOMEM)
			return dv_fail(d, rc, "out of memory");
		o->verdict = NOTES_UNCHECKED;
		return DV_OK;
	}
	for (int star = 0; star < NSTAR; star++) {
		for (int cdot = 0; cdot < NCDOT; cdot++) {
			resolver R = {0};
			char *l, *r;
			outcome cur = {0};
			if ((star > 0 && !used_star) || (cdot > 0 && !used_cdot))
				continue;
			R.sc = sc;
			R.star = star_of(sc, star);
			R.cdot = cdot;
			R.uv = R.free_uv = free_uv;
			l = resolve_text(&R, lhs);
			r = l != NULL ? resolve_text(&R, rhs) : NULL;
			if (star == 0 && cdot == 0) {
				used_star = R.used_star;
				used_cdot = R.used_cdot;
			}
			if (l == NULL || r == NULL) {
				free(l);
				free(r);
				/* read in a scene it does not fit: not read there */
				int misfit = R.shape_error &&
				             (R.out_of_range || !sc->own || sc->learned);
				if (misfit || !R.shape_error) {
					if (!misfit && star == 0 && cdot == 0 && !free_uv &&
					    strstr(R.why.message, "have no \\sum") != NULL) {
						/* (δ)_{u,v} = ∂E/∂(net)_{u,v}: for every u, v */
						free_uv = 1;
						star = cdot = -1;
						break;
					}
					if (!misfit && star == 0 && cdot == 0 &&
					    (strstr(R.why.message, "index notation") != NULL ||
					     strstr(R.why.message, "have no \\sum") != NULL)) {
						int got = decide_indexed(N, sc, strip(lhs), rhs, line,
						                         column, o, d);
						if (got < 0)
							return DV_E_NOMEM;
						if (got == 0) {
							outcome_clear(&best);
							return DV_OK;
						}
					}
					if (star == 0 && cdot == 0) {
						if (o->why.code == DV_OK)
							o->why = R.why;
						o->verdict = NOTES_UNCHECKED;
						outcome_clear(&best);
						return DV_OK;
					}
					continue;
				}
				/* a size that does not fit: this reading fails */
				cur.verdict = NOTES_FAILS;
				cur.resolved = 1;
				cur.reason = dup(R.why.message);
				cur.reading = reading_text(&R, sc);
			} else {
				rc = decide_claim(N, sc, l, r, line, column, &cur, d);
				free(l);
				free(r);
				if (rc != DV_OK) {
					outcome_clear(&cur);
					outcome_clear(&best);
					return rc;
				}
				cur.resolved = 1;
				cur.reading = reading_text(&R, sc);
			}
			cur.star = star_of(sc, star);
			if (cur.verdict == NOTES_HOLDS && star != 0 && have_best) {
				/* holds only under another reading of *: say so */
				char *msg;
				size_t n = 240;
				if ((msg = malloc(n)) != NULL) {
					snprintf(msg, n, "holds if * is read as %s; fails with the notes' own * (%s)",
					         star_name(cur.star), own_star(sc));
					free(best.reason);
					best.reason = msg;
				}
				best.star = cur.star;
				best.held_otherwise = 1;
				outcome_clear(&cur);
				*o = best;
				return DV_OK;
			}
			if (cur.verdict == NOTES_HOLDS) {
				outcome_clear(&best);
				*o = cur;
				return DV_OK;
			}
			if (!have_best) {
				best = cur;
				have_best = 1;
			} else {
				outcome_clear(&cur);
			}
		}
	}
	*o = best;
	return DV_OK;
}

/* ---- repairs -------------------------------------------------------------- */

static tex_node *node_copy(const tex_node *n)
{
	tex_node *c;
	if (n == NULL)
		return NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	*c = *n;
	c->text = NULL;
	c->kids = NULL;
	c->nkids = 0;
	c->sub = c->sup = NULL;
	if ((n->text != NULL && (c->text = dup(n->text)) == NULL) ||
	    (n->sub != NULL && (c->sub = node_copy(n->sub)) == NULL) ||
	    (n->sup != NULL && (c->sup = node_copy(n->sup)) == NULL))
		goto fail;
	if (n->nkids > 0) {
		if ((c->kids = calloc(n->nkids, sizeof *c->kids)) == NULL)
			goto fail;
		for (size_t i = 0; i < n->nkids; i++, c->nkids++)
			if ((c->kids[i] = node_copy(n->kids[i])) == NULL)
				goto fail;
	}
	return c;
fail:
	tex_node_free(c);
	return NULL;
}

static tex_node *make(tex_kind kind, const char *text, tex_node *a, tex_node *b,
                      const tex_node *at)
{
	tex_node *n = calloc(1, sizeof *n);
	size_t k = (size_t)(a != NULL) + (size_t)(b != NULL);
	if (n == NULL || (text != NULL && (n->text = dup(text)) == NULL) ||
	    (k > 0 && (n->kids = calloc(k, sizeof *n->kids)) == NULL)) {
		if (n != NULL)
			free(n->text);
		free(n);
		tex_node_free(a);
		tex_node_free(b);
		return NULL;
	}
	n->kind = kind;
	n->line = at->line;
	n->column = at->column;
	if (a != NULL)
		n->kids[n->nkids++] = a;
	if (b != NULL)
		n->kids[n->nkids++] = b;
	return n;
}

/* Whether symbol node n is a kernel of the scene (its matrix's symbols are k). */
static int is_kernel(const scene *sc, const tex_node *n)
{
	char name[96];
	resolver R = {0};
	const char *layer;
	if (n->kind != TX_SYM || (layer = layer_of(n->sup)) == NULL)
		return 0;
	R.sc = (scene *)sc;
	snprintf(name, sizeof name, "%s%s", n->text, layer);
	for (size_t i = 0; i < sc->nlines; i++)
		if (strcmp(sc->lines[i].name, name) == 0)
			return sc->lines[i].var && strcmp(sc->lines[i].letter, "k") == 0;
	(void)R;
	return 0;
}

typedef struct repair {
	tex_node *lhs, *rhs; /* the repaired sides (copies) */
	char what[160];
	int star; /* the reading of * it holds with, STAR_CONV as the notes' */
} repair;

/* Whether an outcome of a repaired formula makes it hold: as the notes
 * define *, or under another reading of it (then named in what). */
static int repair_holds(const outcome *o, repair *rep, int which);

/*
 * The k-th node of the tree in preorder, for edits in place; *count gets
 * the number of nodes.
 */
static tex_node **nth_slot(tex_node **slot, size_t *k)
{
	tex_node *n = *slot;
	if (n == NULL)
		return NULL;
	if ((*k)-- == 0)
		return slot;
	for (size_t i = 0; i < n->nkids; i++) {
		tex_node **s = nth_slot(&n->kids[i], k);
		if (s != NULL)
			return s;
	}
	return NULL;
}

static size_t count_nodes(const tex_node *n)
{
	size_t c = 1;
	if (n == NULL)
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		c += count_nodes(n->kids[i]);
	return c;
}

/* Applies repair number `which` at node `at` of a copy of rhs; 0 if it does
 * not apply there. */
enum {
	REP_ROT_KERNEL,
	REP_CONV_XCORR,
	REP_MODE,
	REP_TRANSPOSE,
	REP_MODE_SAME,
	REP_BETA,
	REP_FPRIME,
	REP_MEAN,
	REP_DERIV,
	REP_ROT_TARGET,
	REP_INDEX_SWAP,
	NREPAIRS
};

/* The repairs made by an edit at one node of the right side. */
static int is_edit(int which)
{
	return which <= REP_MODE_SAME || which == REP_INDEX_SWAP;
}

static const char *repair_names[NREPAIRS] = {
        "the kernel rotated by 180°",
        "convolution and cross-correlation exchanged",
        "another mode ('valid' and 'full' exchanged, 'full' for 'same')",
        "a transpose replaced by rot180",
        "another mode ('same' for 'full' or 'valid', 'valid' for 'same')",
        "the missing factor β",
        "the missing factor f'(net)",
        "the factor 1/n² of mean pooling",
        "the derivative ∂E/∂ in place of the quantity",
        "the kernel rotated by 180° on the left (∂E/∂K is the right side rotated)",
        "the two indices of an entry swapped",
};

/* The two indices of an entry written in n, as digits or numbers: k_{21},
 * k_{2,1}, k21; 0 if n is no entry whose indices differ. */
static int swappable(const tex_node *n)
{
	const tex_node *s = n->sub;
	if (n->kind != TX_SYM && n->kind != TX_GROUP)
		return 0;
	if (n->kind == TX_SYM && s == NULL && strlen(n->text) == 3 &&
	    isalpha((unsigned char)n->text[0]) && isdigit((unsigned char)n->text[1]) &&
	    isdigit((unsigned char)n->text[2]))
		return n->text[1] != n->text[2];
	if (s == NULL)
		return 0;
	if (s->kind == TX_NUM && strlen(s->text) == 2 && isdigit((unsigned char)s->text[0]) &&
	    isdigit((unsigned char)s->text[1]))
		return s->text[0] != s->text[1];
	return s->kind == TX_LIST && s->nkids == 2 && s->kids[0]->kind == TX_NUM &&
	       s->kids[1]->kind == TX_NUM && strcmp(s->kids[0]->text, s->kids[1]->text) != 0;
}

/* Whether repair `which` would change node n (without changing it). */
static int edit_applies(const tex_node *n, int which, const scene *sc)
{
	switch (which) {
	case REP_ROT_KERNEL:
		return is_kernel(sc, n);
	case REP_CONV_XCORR:
		return (n->kind == TX_CALL &&
		        (strcmp(n->text, "conv2") == 0 || strcmp(n->text, "conv") == 0 ||
		         strcmp(n->text, "xcorr") == 0)) ||
		       (n->kind == TX_MUL && n->op == TX_STAR);
	case REP_MODE:
	case REP_MODE_SAME:
		return n->kind == TX_STR;
	case REP_INDEX_SWAP:
		return swappable(n);
	case REP_TRANSPOSE:
		return (n->kind == TX_CALL && strcmp(n->text, "transpose") == 0) ||
		       ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
		        n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0);
	default:
		return 0;
	}
}

static int edit_at(tex_node **slot, int which, const scene *sc)
{
	tex_node *n = *slot, *w;
	switch (which) {
	case REP_ROT_KERNEL:
		if (!is_kernel(sc, n))
			return 0;
		if ((w = make(TX_CALL, "rot180", n, NULL, n)) == NULL)
			return -1;
		*slot = w;
		return 1;
	case REP_CONV_XCORR:
		if (n->kind == TX_CALL &&
		    (strcmp(n->text, "conv2") == 0 || strcmp(n->text, "conv") == 0)) {
			free(n->text);
			return (n->text = dup("xcorr")) != NULL ? 1 : -1;
		}
		if (n->kind == TX_CALL && strcmp(n->text, "xcorr") == 0) {
			free(n->text);
			return (n->text = dup("conv2")) != NULL ? 1 : -1;
		}
		if (n->kind == TX_MUL && n->op == TX_STAR) {
			tex_node *call = make(TX_CALL, "xcorr", n->kids[0], n->kids[1], n);
			if (call == NULL)
				return -1;
			n->nkids = 0;
			tex_node_free(n);
			*slot = call;
			return 1;
		}
		return 0;
	case REP_MODE:
	case REP_MODE_SAME:
		if (n->kind == TX_STR) {
			const char *to;
			if (which == REP_MODE)
				to = strcmp(n->text, "full") == 0 ? "valid" : "full";
			else
				to = strcmp(n->text, "same") == 0 ? "valid" : "same";
			free(n->text);
			return (n->text = dup(to)) != NULL ? 1 : -1;
		}
		return 0;
	case REP_INDEX_SWAP: {
		tex_node *sub = n->sub;
		char t;
		if (!swappable(n))
			return 0;
		if (sub == NULL) { /* k21 */
			t = n->text[1];
			n->text[1] = n->text[2];
			n->text[2] = t;
		} else if (sub->kind == TX_NUM) {
			t = sub->text[0];
			sub->text[0] = sub->text[1];
			sub->text[1] = t;
		} else {
			tex_node *k = sub->kids[0];
			sub->kids[0] = sub->kids[1];
			sub->kids[1] = k;
		}
		return 1;
	}
	case REP_TRANSPOSE:
		if (n->kind == TX_CALL && strcmp(n->text, "transpose") == 0) {
			free(n->text);
			return (n->text = dup("rot180")) != NULL ? 1 : -1;
		}
		if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
		    n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0) {
			tex_node_free(n->sup);
			n->sup = NULL;
			if ((w = make(TX_CALL, "rot180", n, NULL, n)) == NULL)
				return -1;
			*slot = w;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* A repaired copy of the right side by a whole-side repair. */
/* l+1 (add) or l-1 as a superscript; NULL when out of memory. */
static tex_node *layer_script(int add, const tex_node *at)
{
	tex_node *l = make(TX_SYM, "l", NULL, NULL, at);
	tex_node *one = l != NULL ? make(TX_NUM, "1", NULL, NULL, at) : NULL;
	if (one == NULL) {
		tex_node_free(l);
		return NULL;
	}
	return make(add ? TX_ADD : TX_SUB, NULL, l, one, at);
}

/* factor and (c) multiplied with op, the factor first or last; both are
 * freed when either is missing or memory runs out. */
static tex_node *times_group(tex_node *factor, tex_node *c, int first, tex_op op,
                             const tex_node *at)
{
	tex_node *g, *f;
	if (factor == NULL || c == NULL) {
		tex_node_free(factor);
		tex_node_free(c);
		return NULL;
	}
	if ((g = make(TX_GROUP, NULL, c, NULL, at)) == NULL) {
		tex_node_free(factor);
		return NULL;
	}
	g->op = TX_STAR;
	f = first ? make(TX_MUL, NULL, factor, g, at) : make(TX_MUL, NULL, g, factor, at);
	if (f != NULL)
		f->op = op;
	return f;
}

/* The right side with a missing factor put in: β(...), (...) ∘ f'(net),
 * \frac{1}{4}(...). */
static tex_node *wrap_side(const tex_node *rhs, int which, const char *arg)
{
	tex_node *c = node_copy(rhs), *k = NULL, *n = NULL;
	if (c == NULL)
		return NULL;
	switch (which) {
	case REP_BETA: /* β, or β^{l+1} for beta_next */
		k = make(TX_SYM, "beta", NULL, NULL, rhs);
		if (k != NULL && arg[0] != '\0' && (k->sup = layer_script(1, rhs)) == NULL) {
			tex_node_free(k);
			k = NULL;
		}
		return times_group(k, c, 1, TX_JUXT, rhs);
	case REP_FPRIME: /* f'(net), f'(net^{l+1}), f'(net^{l-1}) */
		n = make(TX_SYM, "net", NULL, NULL, rhs);
		if (n != NULL && arg[0] != '\0' &&
		    (n->sup = layer_script(strcmp(arg, "_next") == 0, rhs)) == NULL) {
			tex_node_free(n);
			n = NULL;
		}
		if (n != NULL && (k = make(TX_CALL, "f", n, NULL, rhs)) != NULL)
			k->primes = 1;
		return times_group(k, c, 0, TX_CIRC, rhs);
	case REP_MEAN: /* 1/4 */
		n = make(TX_NUM, "1", NULL, NULL, rhs);
		if (n != NULL && (k = make(TX_NUM, "4", NULL, NULL, rhs)) == NULL)
			tex_node_free(n);
		else if (n != NULL)
			k = make(TX_FRAC, NULL, n, k, rhs);
		return times_group(k, c, 1, TX_JUXT, rhs);
	default:
		tex_node_free(c);
		return NULL;
	}
}

/* * written as the reading that made a repair hold: ∘, or xcorr(a, b). */
static int rewrite_stars(tex_node **slot, int star)
{
	tex_node *n = *slot;
	if (n == NULL)
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (rewrite_stars(&n->kids[i], star) != 0)
			return -1;
	if (n->kind == TX_MUL && n->op == TX_STAR) {
		if (star == STAR_HADAMARD) {
			n->op = TX_CIRC;
		} else {
			tex_node *call = make(TX_CALL, "xcorr", n->kids[0], n->kids[1], n);
			if (call == NULL)
				return -1;
			n->nkids = 0;
			tex_node_free(n);
			*slot = call;
		}
	}
	return 0;
}

static int repair_holds(const outcome *o, repair *rep, int which)
{
	if (o->verdict == NOTES_HOLDS) {
		snprintf(rep->what, sizeof rep->what, "%s", repair_names[which]);
		return 1;
	}
	if (o->held_otherwise) {
		snprintf(rep->what, sizeof rep->what, "%s, and * as %s",
		         repair_names[which], star_name(o->star));
		rep->star = o->star;
		return 1;
	}
	return 0;
}

/* ∂E/∂lhs for a lhs that is a variable: "b = Σ δ" meant ∂E/∂b. */
static tex_node *derivative_of(const tex_node *lhs)
{
	tex_node *e = make(TX_SYM, "E", NULL, NULL, lhs);
	tex_node *pe = e != NULL ? make(TX_PARTIAL, NULL, e, NULL, lhs) : NULL;
	tex_node *x = node_copy(lhs);
	tex_node *px = x != NULL ? make(TX_PARTIAL, NULL, x, NULL, lhs) : NULL;
	if (pe == NULL || px == NULL) {
		tex_node_free(pe);
		tex_node_free(px);
		if (px == NULL)
			tex_node_free(x);
		return NULL;
	}
	return make(TX_FRAC, NULL, pe, px, lhs);
}

/*
 * Searches the standard repairs for one that makes lhs = rhs hold in sc.
 * On success *rep has the repaired sides (owned by the caller).
 */
static int search_repairs(notes_run *N, scene *sc, const tex_node *lhs,
                          const tex_node *rhs, int line, int column, repair *rep,
                          dv_diag *d)
{
	size_t nodes = count_nodes(rhs), tried = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	if (nodes > NOTES_MAX_REPAIR_NODES)
		return DV_OK; /* too large a formula to search */
	for (int which = 0; which < NREPAIRS; which++) {
		size_t tries = is_edit(which) ? nodes : 1;
		for (size_t k = 0; k < tries; k++) {
			tex_node *l = NULL, *r = NULL;
			outcome o = {0};
			if (is_edit(which)) {
				size_t idx = k, probe = k;
				tex_node *orig = (tex_node *)rhs, **slot;
				int e;
				slot = nth_slot(&orig, &probe);
				if (slot == NULL || !edit_applies(*slot, which, sc))
					continue;
				if (++tried > NOTES_MAX_REPAIRS)
					return DV_OK;
				if ((r = node_copy(rhs)) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				slot = nth_slot(&r, &idx);
				e = slot != NULL ? edit_at(slot, which, sc) : 0;
				if (e <= 0) {
					tex_node_free(r);
					if (e < 0)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					continue;
				}
			} else if (which == REP_BETA || which == REP_FPRIME) {
				/* β or f' of each layer the scene has */
				static const char *const layers[] = {"", "_next"};
				for (size_t li = 0; li < 2 && r == NULL; li++) {
					char name[32];
					snprintf(name, sizeof name, "%s%s",
					         which == REP_BETA ? "beta" : "net", layers[li]);
					if (scene_find(sc, name) == NULL)
						continue;
					r = wrap_side(rhs, which, layers[li]);
					if (r == NULL)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					rc = decide_in(N, sc, lhs, r, line, column, &o, d);
					if (rc != DV_OK) {
						tex_node_free(r);
						return rc;
					}
					if (repair_holds(&o, rep, which)) {
						outcome_clear(&o);
						break;
					}
					outcome_clear(&o);
					tex_node_free(r);
					r = NULL;
				}
				if (r == NULL)
					continue;
				rep->lhs = node_copy(lhs);
				rep->rhs = r;
				return DV_OK;
			} else if (which == REP_MEAN) {
				if ((r = wrap_side(rhs, which, "")) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
			} else if (which == REP_ROT_TARGET) {
				/* ∂E/∂(K)_{r,s} = ...: the right side is the gradient of
				 * the kernel rotated, rot180(K) on the left */
				size_t n = count_nodes(lhs), done = 0;
				if (strip(lhs)->kind != TX_FRAC || n > NOTES_MAX_REPAIR_NODES)
					continue;
				for (size_t idx = 0; idx < n && done == 0; idx++) {
					tex_node *probe = (tex_node *)lhs, **slot;
					size_t at = idx;
					int e;
					slot = nth_slot(&probe, &at);
					if (slot == NULL || !is_kernel(sc, *slot))
						continue;
					if ((l = node_copy(lhs)) == NULL)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					at = idx;
					slot = nth_slot(&l, &at);
					e = slot != NULL ? edit_at(slot, REP_ROT_KERNEL, sc) : 0;
					if (e < 0) {
						tex_node_free(l);
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					}
					if (e == 0) {
						tex_node_free(l);
						l = NULL;
						continue;
					}
					done = 1;
				}
				if (l == NULL)
					continue;
			} else if (which == REP_DERIV) {
				const tex_node *s = strip(lhs);
				char name[96];
				scene_line *sl;
				if (s->kind != TX_SYM || layer_of(s->sup) == NULL)
					continue;
				snprintf(name, sizeof name, "%s%s", s->text, layer_of(s->sup));
				if ((sl = scene_find(sc, name)) == NULL || !sl->var)
					continue;
				if ((l = derivative_of(lhs)) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
			rc = decide_in(N, sc, l != NULL ? l : lhs, r != NULL ? r : rhs, line,
			               column, &o, d);
			if (rc != DV_OK) {
				tex_node_free(l);
				tex_node_free(r);
				return rc;
			}
			if (repair_holds(&o, rep, which)) {
				outcome_clear(&o);
				rep->lhs = l != NULL ? l : node_copy(lhs);
				rep->rhs = r != NULL ? r : node_copy(rhs);
				return DV_OK;
			}
			outcome_clear(&o);
			tex_node_free(l);
			tex_node_free(r);
		}
	}
	return DV_OK;
}

/* ---- the report ----------------------------------------------------------- */

static notes_formula *add_formula(notes_run *N, int line, int column, const char *latex)
{
	notes_report *rep = N->rep;
	notes_formula *f;
	if (rep->n == N->items_cap) {
		size_t cap = N->items_cap == 0 ? 64 : N->items_cap * 2;
		if ((f = realloc(rep->items, cap * sizeof *f)) == NULL)
			return NULL;
		rep->items = f;
		N->items_cap = cap;
	}
	f = &rep->items[rep->n++];
	memset(f, 0, sizeof *f);
	f->line = line;
	f->column = column;
	f->end = N->math_end;
	f->latex = dup(latex != NULL ? latex : "");
	f->verdict = NOTES_UNCHECKED;
	return f->latex != NULL ? f : NULL;
}

static char *join(const char *a, const char *sep, const char *b)
{
	size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
	char *s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%s%s%s", a, sep, b);
	return s;
}

static char *located(const dv_diag *why)
{
	char *s = malloc(DV_DIAG_MSG + 32);
	if (s == NULL)
		return NULL;
	if (why->line > 0)
		snprintf(s, DV_DIAG_MSG + 32, "%d:%d: %s", why->line, why->column, why->message);
	else
		snprintf(s, DV_DIAG_MSG + 32, "%s", why->message);
	return s;
}

/* Replaces each superscript that is not a layer (δ_i^j) by l; the count. */
static int fix_layers(tex_node *n)
{
	int c = 0;
	if (n == NULL)
		return 0;
	if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
	    layer_of(n->sup) == NULL && n->sup->kind == TX_SYM && n->sup->sub == NULL &&
	    n->sup->sup == NULL && strcmp(n->sup->text, "T") != 0) {
		char *l = dup("l");
		if (l != NULL) {
			free(n->sup->text);
			n->sup->text = l;
			c++;
		}
	}
	for (size_t i = 0; i < n->nkids; i++)
		c += fix_layers(n->kids[i]);
	return c + fix_layers(n->sub);
}

static int decide_step_in(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                          notes_formula *f, int *resolved, int retry, dv_diag *d);

/*
 * Which scene's failure to report: one where the formula holds under another
 * reading of *, then one where both sides evaluate, then one where a size
 * does not fit; last, one where a side is 0 throughout (E does not depend
 * on the quantity there: not the formula's scene).
 */
static int rank(const outcome *o)
{
	if (o->degenerate)
		return 0;
	if (o->held_otherwise)
		return 3;
	if (o->check != NULL && !o->check->exact.unevaluable && !o->check->numeric.unevaluable)
		return 2;
	return 1;
}

/*
 * The file's index-form forward pass, O(i, j) = \sum_m \sum_n I(i+m, j+n)
 * K(m, n) + b, expanded in scene sc entry by entry into `define O = [...]`,
 * with δ of O's size and E = sum(δ .* O).  O's size is the text's, or as
 * many rows and columns as keep every index inside its matrix.  0, or -1
 * for memory; a form that cannot be expanded leaves the scene without O.
 */
static int expand_index_form(notes_run *N, scene *sc, dv_diag *d)
{
	const tex_chain *ch = N->nt.index_def;
	const tex_node *lhs = strip(ch->sides[0].tree), *rhs = ch->sides[1].tree;
	resolver R = {0};
	int fu, fv, rc;
	size_t rows = N->nt.out_rows, cols = N->nt.out_cols;
	char *body = NULL, line[160];
	dv_strbuf b;

	if (lhs->sub->kind == TX_LIST) {
		fu = lhs->sub->kids[0]->text[0] - 'a';
		fv = lhs->sub->kids[1]->text[0] - 'a';
	} else if (!two_letters(lhs->sub, &fu, &fv)) {
		return 0;
	}
	if ((rc = scene_run(N, sc, d)) != DV_OK)
		return rc == DV_E_NOMEM ? -1 : 0;
	R.sc = sc;
	R.idx = 1;
	R.eb = R.sb = N->nt.base;
	for (int k = 0; k < 26; k++)
		R.range[k] = (size_t)-1;
	scan_ranges(&R, rhs);
	R.bound[fu] = R.bound[fv] = 1;
	for (int pass = 0; pass < 2 && (rows == 0 || cols == 0); pass++) {
		/* the size: how far the indices go with every entry inside */
		size_t n = 0;
		for (; n < 64; n++) {
			char *t;
			R.val[fu] = (pass == 0 ? (long)n : 0) + R.eb;
			R.val[fv] = (pass == 1 ? (long)n : 0) + R.eb;
			dv_diag_clear(&R.why);
			if ((t = resolve_text(&R, rhs)) == NULL)
				break;
			free(t);
		}
		if (pass == 0)
			rows = n;
		else
			cols = n;
	}
	dv_diag_clear(&R.why);
	if (rows == 0 || cols == 0 || (body = resolve_indexed(&R, rhs, fu, fv, rows, cols)) == NULL)
		return 0;
	dv_strbuf_init(&b);
	dv_strbuf_printf(&b, "define %s = %s", N->nt.output, body);
	free(body);
	body = NULL;
	if (dv_strbuf_finish(&b, &body, NULL) != DV_OK)
		return -1;
	snprintf(line, sizeof line, "matrix delta = d %zux%zu", rows, cols);
	if (scene_add(sc, line, 0, 0) != 0 || scene_add(sc, body, 0, 0) != 0) {
		free(body);
		return -1;
	}
	free(body);
	snprintf(line, sizeof line, "define E = sum(delta .* %s)", N->nt.output);
	if (scene_add(sc, line, 0, 0) != 0)
		return -1;
	{
		scene_line *o_line = scene_find(sc, N->nt.output);
		if (o_line != NULL)
			o_line->by_file = 1; /* ∂E/∂O is its δ */
	}
	scene_changed(sc);
	return 0;
}

/* Whether n is one entry of the matrix the file's forward pass outputs
 * (O_{11}, z^l_{11}). */
static int output_entry(const notes_run *N, const tex_node *n)
{
	const char *layer;
	char name[96];
	size_t i, j;
	n = strip(n);
	if (n == NULL || n->kind != TX_SYM || n->sub == NULL ||
	    sub_kind(n->sub, &i, &j) != SUB_ENTRY || (layer = layer_of(n->sup)) == NULL)
		return 0;
	snprintf(name, sizeof name, "%s%s", n->text, layer);
	return strcmp(name, N->nt.output) == 0;
}


/*
 * The file writes * and has not said whether it flips the kernel: the step
 * in both readings.  Where they agree, that is the verdict.  Where they do
 * not, an expansion of an output entry with no derivative in it (O_{11} =
 * X_{11}F_{11} + ...) is the file saying what its * is: that reading holds
 * from here on.  Any other step that holds under one reading only is not
 * decided: the file leaves the choice open.  *which: the scene (0 or 1)
 * the outcome belongs to.
 */
static int decide_open_star(notes_run *N, scene *conv, scene *xcorr, const tex_node *lhs,
                            const tex_node *rhs, notes_formula *f, outcome *o,
                            int *which, dv_diag *d)
{
	outcome a, b;
	int rc;
	*which = 0;
	if ((rc = decide_in(N, conv, lhs, rhs, f->line, f->column, &a, d)) != DV_OK)
		return rc;
	if ((rc = decide_in(N, xcorr, lhs, rhs, f->line, f->column, &b, d)) != DV_OK) {
		outcome_clear(&a);
		return rc;
	}
	if (a.verdict == b.verdict || !a.resolved || !b.resolved ||
	    (a.verdict != NOTES_HOLDS && b.verdict != NOTES_HOLDS)) {
		if (!a.resolved && b.resolved) {
			outcome_clear(&a);
			*o = b;
			*which = 1;
			return DV_OK;
		}
		outcome_clear(&b);
		*o = a;
		return DV_OK;
	}
	{
		int holds_xcorr = b.verdict == NOTES_HOLDS;
		char msg[200];
		outcome *keep = holds_xcorr ? &b : &a;
		outcome_clear(holds_xcorr ? &a : &b);
		*which = holds_xcorr;
		if (output_entry(N, lhs) && !notes_has_derivative(rhs)) {
			N->star_fixed = holds_xcorr;
			snprintf(msg, sizeof msg,
			         "the file writes its output out so: its * is a %s from here on",
			         holds_xcorr ? "cross-correlation (the kernel not flipped)"
			                     : "convolution (the kernel flipped)");
		} else {
			keep->verdict = NOTES_INCONCLUSIVE;
			keep->ambiguous = 1;
			snprintf(msg, sizeof msg,
			         "holds if * is a %s, fails if it is a %s: the file does not say "
			         "which",
			         holds_xcorr ? "cross-correlation" : "convolution",
			         holds_xcorr ? "convolution" : "cross-correlation");
		}
		free(keep->reason);
		keep->reason = dup(msg);
		*o = *keep;
	}
	return DV_OK;
}

/* Decides one step lhs = rhs over the scenes and fills f. */
static int decide_step(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                       notes_formula *f, int *resolved, dv_diag *d)
{
	/* one step, every scene, reading and repair of it: one item's work
	 * at most (core/budget.h) */
	dv_budget outer;
	int rc;
	dv_budget_start(&outer, DV_BUDGET_ITEM);
	rc = decide_step_in(N, lhs, rhs, f, resolved, 1, d);
	if (rc == DV_OK && dv_budget_used() > DV_BUDGET_ITEM &&
	    (f->verdict == NOTES_UNCHECKED || f->verdict == NOTES_INCONCLUSIVE)) {
		/* what was not decided, was not for lack of reading it */
		char why[160];
		snprintf(why, sizeof why,
		         "too large to decide here (%.3g terms, limit %.3g): a smaller "
		         "size in the file's context would do",
		         dv_budget_used(), DV_BUDGET_ITEM);
		free(f->reason);
		f->reason = dup(why);
		if (f->reason == NULL)
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	dv_budget_stop(&outer);
	return rc;
}

static int decide_step_in(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                          notes_formula *f, int *resolved, int retry, dv_diag *d)
{
	outcome first = {0};
	scene *first_scene = NULL;
	dv_diag why = {0};
	int rc;

	*resolved = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		outcome o;
		if (sc->broken)
			continue;
		if (sc->variant > 0 && N->star_fixed >= 0 && sc->variant - 1 != N->star_fixed)
			continue; /* the reading of * the file did not choose */
		if (sc->variant == 1 && N->star_fixed < 0 && s + 1 < N->nscenes &&
		    N->scenes[s + 1].variant == 2) {
			int which;
			if ((rc = decide_open_star(N, sc, &N->scenes[s + 1], lhs, rhs, f, &o,
			                           &which, d)) != DV_OK) {
				outcome_clear(&first);
				return rc;
			}
			s++;
			sc = &N->scenes[s - 1 + (size_t)which];
		} else if ((rc = decide_in(N, sc, lhs, rhs, f->line, f->column, &o, d)) != DV_OK) {
			outcome_clear(&first);
			return rc;
		}
		if (o.verdict == NOTES_UNCHECKED && !o.resolved) {
			if (why.code == DV_OK)
				why = o.why;
			if (why.code == DV_OK && o.reason != NULL)
				dv_fail(&why, DV_E_NAME, "%s", o.reason);
			outcome_clear(&o);
			continue;
		}
		if (o.verdict == NOTES_HOLDS) {
			outcome_clear(&first);
			first = o;
			first_scene = sc;
			break;
		}
		if (first_scene == NULL || rank(&o) > rank(&first)) {
			outcome_clear(&first);
			first = o;
			first_scene = sc;
		} else {
			outcome_clear(&o);
		}
	}
	if (first_scene == NULL && retry && strstr(why.message, "is not a layer") != NULL) {
		/* δ_i^j for δ_j^l: if the formula holds with the layer l, say so */
		tex_node *l = node_copy(lhs), *r = node_copy(rhs);
		notes_formula g = {0};
		int res = 0;
		if (l == NULL || r == NULL) {
			tex_node_free(l);
			tex_node_free(r);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		g.line = f->line;
		g.column = f->column;
		if (fix_layers(l) + fix_layers(r) > 0 &&
		    (rc = decide_step_in(N, l, r, &g, &res, 0, d)) != DV_OK) {
			tex_node_free(l);
			tex_node_free(r);
			return rc;
		}
		if (res && g.verdict == NOTES_HOLDS) {
			char *a = latex_of(l), *b = latex_of(r);
			*resolved = 1;
			f->verdict = NOTES_FAILS;
			f->reason = located(&why);
			f->scene = g.scene;
			f->reading = g.reading;
			f->claim = g.claim;
			g.scene = g.reading = g.claim = NULL;
			if (a != NULL && b != NULL)
				f->repair = join(a, " = ", b);
			f->repair_what = dup("the superscript read as the layer l");
			free(a);
			free(b);
		}
		free(g.scene);
		free(g.reading);
		free(g.claim);
		free(g.reason);
		free(g.repair);
		free(g.repair_what);
		lesson_check_free(g.check);
		tex_node_free(l);
		tex_node_free(r);
		if (*resolved)
			return DV_OK;
	}
	if (first_scene == NULL) {
		f->verdict = NOTES_UNCHECKED;
		f->reason = located(&why);
		return f->reason != NULL ? DV_OK : dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	*resolved = 1;
	f->verdict = first.verdict;
	f->ambiguous = first.ambiguous;
	f->scene = dup(first_scene->title);
	f->reading = first.reading;
	f->claim = first.claim;
	f->reason = first.reason;
	f->check = first.check;
	f->result = first.result;
	first.reading = first.claim = first.reason = NULL;
	first.check = NULL;
	if (f->verdict != NOTES_HOLDS && !(f->verdict == NOTES_INCONCLUSIVE && f->ambiguous)) {
		repair rep;
		/* the first scene the formula could be read in, as it was decided */
		if ((rc = search_repairs(N, first_scene, lhs, rhs, f->line, f->column, &rep,
		                         d)) != DV_OK)
			return rc;
		if (rep.rhs != NULL && rep.star != STAR_CONV &&
		    rewrite_stars(&rep.rhs, rep.star) != 0) {
			tex_node_free(rep.lhs);
			tex_node_free(rep.rhs);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		if (rep.rhs != NULL) {
			char *l = latex_of(rep.lhs), *r = latex_of(rep.rhs);
			if (l != NULL && r != NULL)
				f->repair = join(l, " = ", r);
			free(l);
			free(r);
			f->repair_what = dup(rep.what);
			tex_node_free(rep.lhs);
			tex_node_free(rep.rhs);
		}
	}
	return DV_OK;
}

/* ---- definitions of the file ---------------------------------------------- */

/* X = \begin{bmatrix} x_{11} & ... \end{bmatrix}: the matrix's letter, or NULL. */
static int symbol_matrix(const tex_node *m, char *letter, size_t size)
{
	if (m->kind != TX_MATRIX || m->rows == 0 || m->cols == 0 || m->rows > 9 ||
	    m->cols > 9)
		return 0;
	letter[0] = '\0';
	for (size_t i = 0; i < m->nkids; i++) {
		const tex_node *e = m->kids[i];
		size_t r = i / m->cols + 1, c = i % m->cols + 1, er = 0, ec = 0;
		char l[16];
		if (e->kind != TX_SYM)
			return 0;
		if (e->sub != NULL) {
			if (sub_kind(e->sub, &er, &ec) != SUB_ENTRY || e->sup != NULL)
				return 0;
			snprintf(l, sizeof l, "%s", e->text);
		} else if (strlen(e->text) == 3 && isdigit((unsigned char)e->text[1]) &&
		           isdigit((unsigned char)e->text[2])) {
			snprintf(l, sizeof l, "%c", e->text[0]);
			er = (size_t)(e->text[1] - '0');
			ec = (size_t)(e->text[2] - '0');
		} else {
			return 0;
		}
		if (er != r || ec != c)
			return 0;
		if (!isalpha((unsigned char)l[0]))
			return 0;
		for (const char *p = l; *p != '\0'; p++)
			if (!isalpha((unsigned char)*p))
				return 0;
		if (letter[0] == '\0')
			snprintf(letter, size, "%s", l);
		else if (strcmp(letter, l) != 0)
			return 0;
	}
	return 1;
}

/* The name a definition's left side gives, or 0 if it is not one symbol. */
static int defined_name(const tex_node *lhs, char *name, size_t size)
{
	size_t i, j;
	const char *layer;
	lhs = strip(lhs);
	if (lhs->kind != TX_SYM || lhs->primes != 0 || (layer = layer_of(lhs->sup)) == NULL)
		return 0;
	if (lhs->sub != NULL && sub_kind(lhs->sub, &i, &j) != SUB_MAP)
		return 0;
	if (!isalpha((unsigned char)lhs->text[0]))
		return 0;
	for (const char *p = lhs->text; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_') /* dA_prev */
			return 0;
	snprintf(name, size, "%s%s", lhs->text, layer);
	return 1;
}

/* NAME = matrix of symbols: binds NAME and the letter in every scene. */
static int apply_binding(notes_run *N, const char *name, const char *letter, size_t rows,
                         size_t cols, int *applied, dv_diag *d)
{
	*applied = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		const char *m = NULL;
		scene_line *own = scene_find(sc, name);
		char line[192];
		scene saved;
		lesson *ol;
		lesson_result *orr;
		int kept, rc;
		if (sc->broken)
			continue;
		if ((rc = scene_run(N, sc, d)) != DV_OK)
			return rc;
		ol = sc->l;
		orr = sc->r;
		if (scene_copy(&saved, sc) != 0) {
			scene_clear(&saved);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < sc->nlines; i++)
			if (sc->lines[i].var && strcmp(sc->lines[i].letter, letter) == 0)
				m = sc->lines[i].name;
		if (m != NULL) {
			/* the matrix of these symbols takes the notes' size */
			scene_line *v = scene_find(sc, m);
			char *vname = dup(v->name);
			if (vname == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			if (v->rows != 0 && (v->rows != rows || v->cols != cols)) {
				if (v->rows == 1 && v->cols == 1)
					snprintf(line, sizeof line, "scalar %s = %s", vname, letter);
				else
					snprintf(line, sizeof line, "matrix %s = %s %zux%zu", vname,
					         letter, rows, cols);
				if (rows * cols > 1 && scene_set(sc, line, 0) != 0) {
					free(vname);
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				}
			}
			if (strcmp(vname, name) != 0) {
				snprintf(line, sizeof line, "define %s = %s", name, vname);
				if (scene_set(sc, line, 1) != 0) {
					free(vname);
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				}
			}
			free(vname);
		} else if (own != NULL && !own->var && own->by_file) {
			/* A = x * K, then A = [a_{11} ...]: a names A's entries */
			if (scene_alias(sc, letter, name) != 0)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
		} else {
			snprintf(line, sizeof line, "matrix %s = %s %zux%zu", name, letter, rows,
			         cols);
			if (scene_set(sc, line, 1) != 0)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		if ((rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK)
			return rc;
		*applied |= kept;
	}
	return DV_OK;
}

/* NAME = expression: a define in every scene that can read it and lacks NAME. */
static int apply_definition(notes_run *N, const char *name, const tex_node *rhs,
                            int *applied, dv_diag *why, dv_diag *d)
{
	int rc;
	*applied = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		resolver R = {0};
		char *text, *line;
		scene_line *own;
		scene saved;
		lesson *ol;
		lesson_result *orr;
		int kept;
		if (sc->broken)
			continue;
		own = scene_find(sc, name);
		if (own != NULL && !(own->var && own->by_file))
			continue; /* a name the scene has: not a definition here */
		if ((rc = scene_run(N, sc, d)) != DV_OK)
			return rc;
		R.sc = sc;
		if ((text = resolve_text(&R, rhs)) == NULL) {
			if (why->code == DV_OK)
				*why = R.why;
			continue;
		}
		line = malloc(strlen(name) + strlen(text) + 16);
		if (line == NULL) {
			free(text);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		ol = sc->l;
		orr = sc->r;
		if (scene_copy(&saved, sc) != 0) {
			scene_clear(&saved);
			free(text);
			free(line);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		sprintf(line, "define %s = %s", name, text);
		free(text);
		if (own != NULL) {
			/* P = [a_{11} ...] came first: a names P's entries */
			char letter[16];
			snprintf(letter, sizeof letter, "%s", own->letter);
			if (scene_set(sc, line, 1) != 0 || scene_alias(sc, letter, name) != 0) {
				free(line);
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
		} else if (scene_set(sc, line, 1) != 0) {
			free(line);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		free(line);
		if ((rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK)
			return rc;
		*applied |= kept;
	}
	return DV_OK;
}

static void count(notes_report *rep)
{
	rep->holds = rep->fails = rep->inconclusive = rep->unchecked = 0;
	for (size_t i = 0; i < rep->n; i++) {
		switch (rep->items[i].verdict) {
		case NOTES_HOLDS:
			rep->holds++;
			break;
		case NOTES_FAILS:
			rep->fails++;
			break;
		case NOTES_INCONCLUSIVE:
			rep->inconclusive++;
			break;
		case NOTES_UNCHECKED:
			rep->unchecked++;
			break;
		}
	}
}

/* Whether n is a matrix of plain numbers, as a worked example writes one. */
static int number_matrix(const tex_node *n)
{
	n = strip(n);
	if (n == NULL || n->kind != TX_MATRIX || n->rows > 16 || n->cols > 16)
		return 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const tex_node *e = strip(n->kids[i]);
		if (e != NULL && e->kind == TX_NEG)
			e = strip(e->kids[0]);
		if (e == NULL || e->kind != TX_NUM || e->sub != NULL || e->sup != NULL)
			return 0;
	}
	return 1;
}

/* The value of src on a run's shown numbers, or NULL. */
static dv_mat *value_on(const char *src, lesson_result *r)
{
	dv_node *tree = NULL;
	dv_mat *m = NULL;
	dv_diag d = {0};
	if (dv_parse(&tree, src, &d) != DV_OK || lesson_eval(&m, tree, r->shown, &d) != DV_OK ||
	    !dv_mat_is_double(m)) {
		dv_mat_free(m);
		m = NULL;
	}
	dv_node_free(tree);
	return m;
}

static int same_numbers(const dv_mat *a, const dv_mat *b)
{
	if (a->rows != b->rows || a->cols != b->cols)
		return 0;
	for (size_t i = 0; i < dv_mat_len(a); i++) {
		double x = dv_mat_get(a, i), y = dv_mat_get(b, i);
		double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
		/* the example's numbers are short decimals; a gradient through
		 * them carries rounding */
		if (fabs(x - y) > 1e-6 * (scale > 1 ? scale : 1))
			return 0;
	}
	return 1;
}

/*
 * A worked example: NAME = [numbers].  For a variable of the scene (X, K,
 * or ∂L/∂Y, which is δ) these are the example's numbers, from here on; for
 * anything else a claim about them, decided on those numbers, and only
 * when the side does not depend on numbers the file leaves out (it is
 * evaluated on two draws of those).  *done: the formula was handled.
 */
static int worked_example(notes_run *N, const tex_chain *ch, int *done, dv_diag *d)
{
	const tex_node *lhs = ch->sides[0].tree, *rhs = strip(ch->sides[1].tree);
	notes_formula *f;
	char *given = NULL, *why = NULL, *claim = NULL;
	notes_verdict verdict = NOTES_UNCHECKED, by_variant[2] = {NOTES_UNCHECKED, NOTES_UNCHECKED};
	int set = 0, decided = 0, rc;

	*done = 0;
	if (ch->nsides != 2 || !number_matrix(rhs) || N->nt.builtin || !N->nt.found)
		return DV_OK;
	*done = 1;
	for (size_t s = 0; s < N->nscenes && !(decided && (N->star_fixed >= 0 ||
	                                                   N->scenes[s].variant != 2)); s++) {
		scene *sc = &N->scenes[s];
		resolver R = {0};
		char *l, *r;
		scene_line *v;
		if (sc->broken || scene_run(N, sc, d) != DV_OK)
			continue;
		if (sc->variant > 0 && N->star_fixed >= 0 && sc->variant - 1 != N->star_fixed)
			continue;
		R.sc = sc;
		if ((l = resolve_text(&R, lhs)) == NULL)
			continue;
		if ((r = resolve_text(&R, rhs)) == NULL) {
			free(l);
			continue;
		}
		if ((v = scene_find(sc, l)) != NULL && v->var && v->letter[0] != '\0') {
			/* the example's numbers for a variable */
			char line[1024];
			scene saved;
			lesson *ol = sc->l;
			lesson_result *orr = sc->r;
			int kept;
			if (strlen(r) < 900 && scene_copy(&saved, sc) == 0) {
				if (rhs->rows * rhs->cols == 1 && v->rows <= 1)
					snprintf(line, sizeof line, "scalar %s = %s", v->name, v->letter);
				else
					snprintf(line, sizeof line, "matrix %s = %s %zux%zu numbers %s",
					         v->name, v->letter, rhs->rows, rhs->cols, r);
				if (scene_set(sc, line, v->by_file) != 0 ||
				    (rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK) {
					free(l);
					free(r);
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				}
				set |= kept;
				if (kept && given == NULL)
					given = dup(v->name);
			}
		} else if (scene_run_alt(N, sc, d) == DV_OK) {
			dv_mat *a = value_on(l, sc->r), *b = value_on(l, sc->alt);
			dv_mat *want = value_on(r, sc->r);
			if (a != NULL && b != NULL && want != NULL && decided) {
				/* the second reading of *: only its verdict */
				by_variant[1] = same_numbers(a, b) && a->rows == want->rows &&
				                                a->cols == want->cols &&
				                                same_numbers(a, want)
				                        ? NOTES_HOLDS
				                        : same_numbers(a, b) ? NOTES_FAILS
				                                             : NOTES_UNCHECKED;
			} else if (a != NULL && b != NULL && want != NULL) {
				decided = 1;
				claim = join(l, " == ", r);
				if (!same_numbers(a, b)) {
					verdict = NOTES_UNCHECKED;
					why = dup("a claim about the example's numbers, but the file "
					          "does not give all the numbers it depends on");
				} else if (a->rows != want->rows || a->cols != want->cols) {
					verdict = NOTES_FAILS;
					why = dup("at the example's numbers the sides differ in size");
				} else {
					verdict = same_numbers(a, want) ? NOTES_HOLDS : NOTES_FAILS;
					if (verdict == NOTES_FAILS) {
						dv_strbuf t;
						dv_strbuf_init(&t);
						dv_strbuf_puts(&t, "at the example's numbers the left side is [");
						for (size_t i = 0; i < dv_mat_len(a); i++)
							dv_strbuf_printf(&t, "%s%.6g",
							                 i == 0 ? "" : i % a->cols == 0 ? "; " : ", ",
							                 dv_mat_get(a, i));
						dv_strbuf_puts(&t, "]");
						if (dv_strbuf_finish(&t, &why, NULL) != DV_OK)
							why = NULL;
					}
				}
			}
			dv_mat_free(a);
			dv_mat_free(b);
			dv_mat_free(want);
		}
		free(l);
		free(r);
	}
	by_variant[0] = verdict;
	if (decided && N->star_fixed < 0 && by_variant[0] != by_variant[1] &&
	    by_variant[1] != NOTES_UNCHECKED && by_variant[0] != NOTES_UNCHECKED) {
		/* the readings of * disagree: the example's output fixes *, any
		 * other claim is left open */
		int xcorr = by_variant[1] == NOTES_HOLDS;
		free(why);
		if (!notes_has_derivative(lhs) && (by_variant[0] == NOTES_HOLDS || xcorr)) {
			N->star_fixed = xcorr;
			verdict = NOTES_HOLDS;
			why = dup(xcorr ? "the example's numbers make its * a cross-correlation "
			                  "(the kernel not flipped), from here on"
			                : "the example's numbers make its * a convolution (the "
			                  "kernel flipped), from here on");
		} else {
			verdict = NOTES_INCONCLUSIVE;
			why = dup(xcorr ? "holds if * is a cross-correlation, fails if it is a "
			                  "convolution: the file does not say which"
			                : "holds if * is a convolution, fails if it is a "
			                  "cross-correlation: the file does not say which");
		}
	}
	if ((f = add_formula(N, ch->sides[0].line, ch->sides[0].column, NULL)) == NULL) {
		free(given);
		free(why);
		free(claim);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	free(f->latex);
	f->latex = join(ch->sides[0].latex, " = ", ch->sides[1].latex);
	if (set) {
		f->definition = 1;
		f->reason = join("a definition: the example's numbers for ", given, "");
		free(why);
	} else {
		f->verdict = verdict;
		f->claim = claim;
		claim = NULL;
		f->reason = why != NULL || verdict == NOTES_HOLDS
		                    ? why
		                    : dup("a claim about the example's numbers, which no "
		                          "scene here can evaluate");
		if (decided)
			N->checks++;
	}
	free(given);
	free(claim);
	return f->latex != NULL && (f->reason != NULL || f->verdict == NOTES_HOLDS)
	               ? DV_OK
	               : dv_fail(d, DV_E_NOMEM, "out of memory");
}

/* The chain's first step as a definition of the file; NULL without memory. */
static notes_formula *add_definition(notes_run *N, const tex_chain *ch)
{
	notes_formula *f = add_formula(N, ch->sides[0].line, ch->sides[0].column, NULL);
	if (f == NULL)
		return NULL;
	free(f->latex);
	f->latex = join(ch->sides[0].latex, " = ", ch->sides[1].latex);
	f->definition = 1;
	return f->latex != NULL ? f : NULL;
}

/* A symbol (no entry of a matrix: C, b^l, \delta(i, j)) set to a number:
 * what the text assumes, not what it claims. */
static int assumption(const tex_node *lhs, const tex_node *rhs)
{
	size_t i, j;
	lhs = strip(lhs);
	rhs = strip(rhs);
	if (rhs != NULL && rhs->kind == TX_NEG)
		rhs = strip(rhs->kids[0]);
	if (lhs == NULL || rhs == NULL || lhs->kind != TX_SYM || rhs->kind != TX_NUM ||
	    rhs->sub != NULL || rhs->sup != NULL || lhs->primes != 0)
		return 0;
	if (lhs->sub != NULL && !lhs->applied && sub_kind(lhs->sub, &i, &j) == SUB_ENTRY)
		return 0; /* x_{11} = 3: an entry's value, which numbers may check */
	if (strlen(lhs->text) == 3 && isdigit((unsigned char)lhs->text[1]) &&
	    isdigit((unsigned char)lhs->text[2]))
		return 0; /* k11 = 2 */
	return 1;
}

/* One chain: its definitions, then each step against the side before. */
/* Whether side n reads in some scene on its own; *why (if asked, the
 * caller frees it) gets the first scene's reason when it does not. */
static int side_readable(notes_run *N, const tex_node *n, char **why, dv_diag *d)
{
	resolver R = {0};
	char *t = NULL;
	if (why != NULL)
		*why = NULL;
	for (size_t s = 0; s < N->nscenes && t == NULL; s++) {
		if (N->scenes[s].broken || scene_run(N, &N->scenes[s], d) != DV_OK)
			continue;
		R.sc = &N->scenes[s];
		dv_diag_clear(&R.why);
		t = resolve_text(&R, n);
		if (t == NULL && why != NULL && *why == NULL)
			*why = dup(R.why.message);
	}
	free(t);
	return t != NULL;
}

static int check_chain(notes_run *N, tex_block **blocks, size_t nblocks, size_t bi,
                       size_t at, dv_diag *d)
{
	const tex_chain *ch = &blocks[bi]->chains[at];
	notes_formula *f;
	int rc;
	size_t first = 0;
	char name[96], letter[16];

	if (ch->problem.code != DV_OK) {
		f = add_formula(N, ch->problem.line > 0 ? ch->problem.line : ch->line,
		                ch->problem.line > 0 ? ch->problem.column : ch->column,
		                ch->nsides > 0 ? ch->sides[0].latex : "");
		if (f == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		f->reason = located(&ch->problem);
		return f->reason != NULL ? DV_OK : dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if (ch->nsides < 2)
		return DV_OK; /* a symbol named in the prose, not a formula */
	if (N->checks >= NOTES_MAX_FORMULAS) {
		f = add_formula(N, ch->sides[0].line, ch->sides[0].column, ch->sides[0].latex);
		if (f == NULL ||
		    (f->reason = dup("the file has more than 2000 formulas; the rest are "
		                     "not checked")) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		return DV_OK;
	}
	{
		int done;
		if ((rc = worked_example(N, ch, &done, d)) != DV_OK || done)
			return rc;
	}
	if (N->nt.found && !N->nt.builtin && notes_constant_chain(ch)) {
		/* H = W = 4: what the text takes as given, step by step */
		for (size_t k = 1; k < ch->nsides; k++) {
			f = add_formula(N, ch->sides[k - 1].line, ch->sides[k - 1].column, NULL);
			if (f == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			free(f->latex);
			f->latex = join(ch->sides[k - 1].latex, " = ", ch->sides[k].latex);
			f->definition = 1;
			f->reason = dup("a definition: a number the text takes as given");
			if (f->latex == NULL || f->reason == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		return DV_OK;
	}
	/* the formulas the file's scene was built from, and assumptions such as
	 * C = 1, b^l = 0, \delta(i, j) = 0: definitions from their line on */
	if ((ch->nsides >= 2 && notes_notation_used(&N->nt, ch->sides[0].line,
	                                            ch->sides[0].column)) ||
	    (ch->nsides == 2 && assumption(ch->sides[0].tree, ch->sides[1].tree))) {
		int built = notes_notation_used(&N->nt, ch->sides[0].line, ch->sides[0].column);
		if ((f = add_definition(N, ch)) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		f->reason = dup(built ? "a definition: what the file's layer computes, and "
		                        "how it names it"
		                      : "an assumption, not a claim: it holds from here on");
		if (f->latex == NULL || f->reason == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		if (ch->nsides == 2)
			return DV_OK;
		first = 1; /* δ = ∂J/∂z = ...: the rest is a chain from ∂J/∂z */
	} else if (defined_name(ch->sides[0].tree, name, sizeof name)) {
		/* a definition: NAME = [symbols], or NAME = expression for a new NAME */
		const tex_node *rhs = strip(ch->sides[1].tree);
		int applied = 0, known = 0;
		dv_diag why = {0};
		char *what;
		for (size_t s = 0; s < N->nscenes; s++) {
			scene_line *l = scene_find(&N->scenes[s], name);
			if (l != NULL && !(l->var && l->by_file))
				known = 1;
			if (l == NULL && N->scenes[s].learned && name[0] == 'd' &&
			    isalpha((unsigned char)name[1]) && strcmp(name + 1, "E") != 0 &&
			    scene_find(&N->scenes[s], name + 1) != NULL)
				known = 2; /* dW is ∂L/∂W already, in the file's letters */
		}
		if (known == 2 && (rhs->kind == TX_FRAC ||
		                   (rhs->kind == TX_MUL && rhs->op == TX_SLASH)) &&
		    notes_has_derivative(rhs)) {
			/* dW = \frac{\partial J}{\partial W}: naming, not a claim */
			if ((f = add_definition(N, ch)) == NULL ||
			    (f->reason = join("a definition: ", name, " names the loss's gradient")) ==
			            NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			if (ch->nsides == 2)
				return DV_OK;
			first = 1;
		} else if (ch->nsides == 2 && symbol_matrix(rhs, letter, sizeof letter)) {
			if ((rc = apply_binding(N, name, letter, rhs->rows, rhs->cols, &applied,
			                        d)) != DV_OK)
				return rc;
			/* P = [a ...] before P = X * K: the definition takes effect here,
			 * so that the table of a's in between is read as P's entries */
			for (size_t b = bi; b < nblocks; b++) {
				size_t c0 = b == bi ? at + 1 : 0, c;
				int found = 0;
				for (c = c0; c < blocks[b]->nchains; c++) {
					const tex_chain *later = &blocks[b]->chains[c];
					char other[96], l2[16];
					if (later->nsides == 2 && later->problem.code == DV_OK &&
					    defined_name(later->sides[0].tree, other, sizeof other) &&
					    strcmp(other, name) == 0 &&
					    !symbol_matrix(strip(later->sides[1].tree), l2, sizeof l2)) {
						int used = 0;
						dv_diag ahead = {0};
						if ((rc = apply_definition(N, name, later->sides[1].tree,
						                           &used, &ahead, d)) != DV_OK)
							return rc;
						found = 1;
						break;
					}
				}
				if (found)
					break;
			}
			if ((f = add_definition(N, ch)) == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			what = malloc(160);
			if (what != NULL)
				snprintf(what, 160,
				         "a definition: %s is the %zux%zu matrix of the "
				         "symbols %s",
				         name, rhs->rows, rhs->cols, letter);
			f->reason = what;
			return f->latex != NULL && f->reason != NULL
			               ? DV_OK
			               : dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		if (!known) {
			if ((rc = apply_definition(N, name, ch->sides[1].tree, &applied, &why,
			                           d)) != DV_OK)
				return rc;
			if ((f = add_definition(N, ch)) == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			f->definition = applied;
			f->reason = applied ? join("a definition of ", name, "") : located(&why);
			if (f->reason == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			if (ch->nsides == 2)
				return DV_OK;
			first = 1; /* TMP = A = B: the rest is a chain from A */
		}
	}
	/* a chain a = b = c: each side against the last one that could be read */
	{
		size_t base = first;
		for (size_t k = first + 1; k < ch->nsides; k++) {
			const tex_side *l = &ch->sides[base], *r = &ch->sides[k];
			int resolved;
			if (N->checks >= NOTES_MAX_FORMULAS) {
				f = add_formula(N, r->line, r->column, r->latex);
				if (f == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				f->reason = dup("the file has more than 2000 formulas; the rest are "
				                "not checked");
				if (f->reason == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				continue;
			}
			f = add_formula(N, k == first + 1 ? l->line : r->line,
			                k == first + 1 ? l->column : r->column, NULL);
			if (f == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			free(f->latex);
			f->latex = join(l->latex, " = ", r->latex);
			if (f->latex == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			N->checks++;
			if ((rc = decide_step(N, l->tree, r->tree, f, &resolved, d)) != DV_OK)
				return rc;
			if (!resolved && k == first + 1) {
				/* the left side itself cannot be read: the next step
				 * compares with this side, if it can be -- unless this
				 * side is what cannot be read (not for index notation,
				 * which only a whole step can give a meaning) */
				char *t = NULL;
				int left = side_readable(N, l->tree, &t, d);
				if (!left && !side_readable(N, r->tree, NULL, d) &&
				    t != NULL && strstr(t, "index notation") != NULL)
					left = 1;
				if (!left)
					base = k;
				free(t);
			} else if (resolved) {
				base = k;
			}
		}
	}
	return DV_OK;
}

const char *notes_verdict_name(notes_verdict v)
{
	switch (v) {
	case NOTES_HOLDS:
		return "holds";
	case NOTES_FAILS:
		return "fails";
	case NOTES_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "unchecked";
	}
}

void notes_report_free(notes_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		notes_formula *f = &r->items[i];
		free(f->latex);
		free(f->scene);
		free(f->reading);
		free(f->claim);
		free(f->reason);
		free(f->repair);
		free(f->repair_what);
		lesson_check_free(f->check);
	}
	free(r->items);
	for (size_t i = 0; i < r->nruns; i++) {
		lesson_result_free(r->runs[i]);
		lesson_free(r->lessons[i]);
	}
	free(r->runs);
	free(r->lessons);
	for (size_t i = 0; i < r->nactions; i++)
		action_free(r->actions[i]);
	free(r->actions);
	free(r->path);
	free(r);
}

int notes_check(notes_report **out, const char *path, const char *text, size_t len,
                const notes_opts *o, dv_diag *d)
{
	notes_run N = {0};
	notes_source src = {0};
	tex_block **blocks = NULL;
	size_t nblocks = 0;
	int rc;

	*out = NULL;
	if ((N.rep = calloc(1, sizeof *N.rep)) == NULL ||
	    (N.rep->path = dup(path)) == NULL) {
		free(N.rep);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	N.seed = o->seed;
	N.star_fixed = -1;
	rc = notes_extract(&src, text, len, d);
	/* every formula read first: the file's notation is learned from them,
	 * and a definition can be found ahead */
	if (rc == DV_OK && src.nmath > 0 && (blocks = calloc(src.nmath, sizeof *blocks)) == NULL)
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == DV_OK && i < src.nmath; i++) {
		const notes_math *m = &src.math[i];
		rc = tex_read(&blocks[i], src.clean + m->start, m->end - m->start, m->line,
		              m->column, d);
		nblocks = i + 1;
	}
	if (rc == DV_OK && notes_notation_read(&N.nt, blocks, nblocks, text, len, &src) != DV_OK)
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	/* a ```verify block is the file's own context: its scenes come first */
	for (size_t i = 0; rc == DV_OK && i < src.nfences; i++) {
		char *block = dup_n(text + src.fences[i].start,
		                    src.fences[i].end - src.fences[i].start);
		if (block == NULL) {
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			break;
		}
		rc = read_scenes(&N, block, d, path, src.fences[i].line, 1);
		if (rc != DV_OK)
			dv_diag_locate(d, src.fences[i].line, 1);
		else if (d->line > 0)
			d->line += src.fences[i].line - 1;
		free(block);
	}
	/* --context is the notation the user states; the built-in scenes serve
	 * only a file that fixes its notation nowhere */
	if (rc == DV_OK && o->context != NULL)
		rc = read_scenes(&N, o->context, d,
		                 o->context_path != NULL ? o->context_path : "context", 0, 1);
	else if (rc == DV_OK && N.nscenes == 0 && N.nt.found) {
		/* a forward pass in the built-in scenes' own letters (the seed's
		 * notes): those scenes are the file's notation */
		rc = read_scenes(&N, notes_builtin_context, d, "context", 0, 0);
		for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++)
		{
			const scene_line *a = scene_find(&N.scenes[s], N.nt.input);
			const scene_line *k = scene_find(&N.scenes[s], N.nt.kernel);
			if (a != NULL && k != NULL && a->var && k->var && N.nt.seed_letters)
				N.nt.builtin = 1;
		}
		if (!N.nt.builtin) {
			for (size_t s = 0; s < N.nscenes; s++)
				scene_clear(&N.scenes[s]);
			N.nscenes = 0;
		}
	}
	if (rc == DV_OK && N.nscenes == 0 && N.nt.scenes != NULL && !N.nt.builtin) {
		/* the scene the file's own forward pass builds */
		rc = read_scenes(&N, N.nt.scenes, d, "the file's notation", 0, 1);
		for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++) {
			scene_line *o_line = scene_find(&N.scenes[s], N.nt.output);
			scene_line *a_line = N.nt.activation[0] != '\0'
			                             ? scene_find(&N.scenes[s], N.nt.activation)
			                             : NULL;
			if (o_line != NULL && !o_line->var)
				o_line->by_file = 1; /* ∂E/∂O is its δ */
			if (a_line != NULL && !a_line->var && (o_line == NULL || o_line->var))
				a_line->by_file = 1; /* in the activation's scene, ∂E/∂A is */
			N.scenes[s].learned = 1;
			N.scenes[s].base = N.nt.index_def != NULL ? N.nt.base : -1;
			snprintf(N.scenes[s].zero, sizeof N.scenes[s].zero, "%s", N.nt.zero);
			N.scenes[s].variant = N.nt.variants == 2 ? (int)(s % 2) + 1 : 0;
			N.scenes[s].star_own = N.scenes[s].variant == 2 || N.nt.star == 1
			                               ? STAR_XCORR
			                               : STAR_CONV;
			if (N.nt.index_def != NULL && expand_index_form(&N, &N.scenes[s], d) != 0)
				rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			if (rc == DV_OK && N.nt.delta_name[0] != '\0' &&
			    scene_find(&N.scenes[s], "delta") != NULL &&
			    scene_find(&N.scenes[s], N.nt.delta_name) == NULL) {
				/* Delta = dE/dP: the file's name for δ */
				char line[64];
				snprintf(line, sizeof line, "define %s = delta", N.nt.delta_name);
				if (scene_add(&N.scenes[s], line, 0, 0) != 0)
					rc = dv_fail(d, DV_E_NOMEM, "out of memory");
				scene_changed(&N.scenes[s]);
			}
			snprintf(N.scenes[s].loss, sizeof N.scenes[s].loss, "%s", N.nt.loss);
		}
	} else if (rc == DV_OK && N.nscenes == 0 && !N.nt.found) {
		rc = read_scenes(&N, notes_builtin_context, d, "context", 0, 0);
	}
	/* every scene's header must run: one that does not is an error where
	 * it was written, in the ```verify block or the context file */
	for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++) {
		dv_diag sd = {0};
		const scene *sc = &N.scenes[s];
		int src_rc = scene_run(&N, &N.scenes[s], &sd);
		if (src_rc == DV_E_NOMEM) {
			rc = dv_fail(d, src_rc, "out of memory");
		} else if (src_rc != DV_OK && sc->fence_line > 0) {
			rc = dv_fail(d, DV_E_SYNTAX, "%s:%d:%d: the ```verify block: %s", path,
			             sd.line > 0 ? sc->fence_line + sd.line - 1 : sc->fence_line,
			             sd.line > 0 ? sd.column : 1, sd.message);
		} else if (src_rc != DV_OK) {
			*d = sd;
			dv_diag_prefix(d, "the context: ");
			rc = DV_E_SYNTAX;
		}
	}
	{
		for (size_t i = 0; rc == DV_OK && i < nblocks; i++) {
			const notes_math *m = &src.math[i];
			if (m->problem.code == DV_OK &&
			    memchr(text + m->start, '=', m->end - m->start) == NULL)
				continue; /* a symbol or an operator named in the prose */
			N.math_end = m->problem.code != DV_OK ? len : m->end;
			if (m->problem.code != DV_OK) {
				/* the opener never closed: $$, \[ or \( */
				char opener[3] = {'$', '$', '\0'};
				notes_formula *f;
				if (m->start >= 2)
					memcpy(opener, text + m->start - 2, 2);
				f = add_formula(&N, m->problem.line, m->problem.column, opener);
				if (f == NULL || (f->reason = located(&m->problem)) == NULL)
					rc = dv_fail(d, DV_E_NOMEM, "out of memory");
				continue;
			}
			for (size_t c = 0; rc == DV_OK && c < blocks[i]->nchains; c++)
				rc = check_chain(&N, blocks, nblocks, i, c, d);
		}
	}
	for (size_t i = 0; i < nblocks; i++)
		tex_block_free(blocks[i]);
	free(blocks);
	notes_notation_clear(&N.nt);
	notes_source_clear(&src);
	for (size_t s = 0; s < N.nscenes; s++)
		scene_clear(&N.scenes[s]);
	free(N.scenes);
	if (rc != DV_OK) {
		notes_report_free(N.rep);
		return rc;
	}
	count(N.rep);
	*out = N.rep;
	return DV_OK;
}
