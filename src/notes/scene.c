/*
 * scene: the situations a notes file is read in, each a list of lesson
 * header lines (matrix, scalar, define) run as a lesson, so that its
 * matrices exist as symbols and as numbers.  The built-in context, a
 * ```verify block, --context or the file's own notation (notation.c)
 * make them; the file's definitions change them from their line on, and a
 * change that does not run is undone.
 */
#include "notes/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "expr/parser.h"
#include "sym/poly.h"

static int parse_line(scene_line *l, const char *text);

static int keep_run(notes_run *N, lesson *l, lesson_result *r);

static void scene_locate(const scene *s, dv_diag *d);

static void scene_restore(scene *s, scene *copy);

char *notes_dup_n(const char *s, size_t n)
{
	char *c = malloc(n + 1);
	if (c != NULL) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

char *notes_dup(const char *s)
{
	return s == NULL ? NULL : notes_dup_n(s, strlen(s));
}

void scene_clear(scene *s)
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

scene_line *scene_find(scene *s, const char *name)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (strcmp(s->lines[i].name, name) == 0)
			return &s->lines[i];
	return NULL;
}

/* The matrix whose symbols are letter, or NULL. */
const char *scene_letter(const scene *s, const char *letter)
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
	l->name = notes_dup(name);
	l->text = notes_dup(text);
	return l->name != NULL && l->text != NULL ? 0 : -1;
}

int scene_add(scene *s, const char *text, int line, int column)
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
int scene_set(scene *s, const char *text, int by_file)
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

int scene_alias(scene *s, const char *letter, const char *matrix)
{
	alias *a;
	for (size_t i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].letter, letter) == 0) {
			char *m = notes_dup(matrix);
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
	if ((a->matrix = notes_dup(matrix)) == NULL)
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

int scene_run(notes_run *N, scene *s, dv_diag *d)
{
	dv_strbuf b;
	char *text = NULL;
	lesson *l = NULL;
	lesson_result *r = NULL;
	lesson_errors errs; /* 10 KB: lesson_parse sets what it uses */
	lesson_opts o = {0};
	int rc;

	errs.n = 0;
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
int scene_run_alt(notes_run *N, scene *s, dv_diag *d)
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

void scene_changed(scene *s)
{
	s->l = NULL;
	s->r = NULL;
	s->alt = NULL; /* the runs stay with the report, which frees them */
}

/* A copy of a scene's lines and aliases, to undo a change that breaks it. */
int scene_copy(scene *to, const scene *from)
{
	memset(to, 0, sizeof *to);
	if (from->nlines > 0 && (to->lines = calloc(from->nlines, sizeof *to->lines)) == NULL)
		return -1;
	for (size_t i = 0; i < from->nlines; i++, to->nlines++) {
		to->lines[i] = from->lines[i];
		to->lines[i].name = notes_dup(from->lines[i].name);
		to->lines[i].text = notes_dup(from->lines[i].text);
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
		if ((to->aliases[i].matrix = notes_dup(from->aliases[i].matrix)) == NULL)
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

/* Splits context text into scenes: "scene TITLE" lines start one; a text
 * without them is one scene.  '#' starts a comment line. */
int read_scenes(notes_run *N, const char *text, dv_diag *d, const char *path,
                       int fence_line, int own)
{
	const char *p = text;
	int line = 0, first = 1;
	while (*p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *l = notes_dup_n(p, n);
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
			sc->title = notes_dup(strncmp(s, "scene ", 6) == 0 ? s + 6 : "the file's context");
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

int keep_or_undo(notes_run *N, scene *sc, scene *saved, lesson *l, lesson_result *r,
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
		scene_undo(sc, saved, l, r);
		return DV_OK;
	}
	scene_clear(saved);
	return DV_OK;
}

void scene_undo(scene *sc, scene *saved, lesson *l, lesson_result *r)
{
	scene_restore(sc, saved);
	sc->l = l;
	sc->r = r;
}

char *latex_of(const tex_node *n)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	tex_node_latex(&b, n);
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}
