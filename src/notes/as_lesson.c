/*
 * as_lesson: a checked notes file as lessons, so that everything that
 * shows a lesson (the tutorial, the lesson reports) shows the notes too.
 *
 * Each formula was decided in a run of a scene: the scene's header lines as
 * the file had defined them by then.  The formulas of one run become one
 * lesson, that header its header; each formula is a step with the formula
 * as written, how it was read, and its claim as decided, shown as the
 * notes write it (the lesson format's `as`).  A formula that
 * fails stays a claim, so the lesson shows it failing with its
 * counterexample; the repair is told in the step's text.
 */
#include "notes/notes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "expr/parser.h"

/* Step titles are cut past this many characters. */
#define TITLE_CHARS 60

/* The lesson-name form of the file's base name: lower-case letters, digits
 * and '-'. */
static void lesson_name(dv_strbuf *b, const char *path, size_t k, size_t n)
{
	const char *base = strrchr(path, '/'), *end;
	size_t put = 0;
	base = base != NULL ? base + 1 : path;
	end = strrchr(base, '.');
	if (end == NULL || end == base)
		end = base + strlen(base);
	for (const char *c = base; c < end && put < 40; c++) {
		char ch = (char)tolower((unsigned char)*c);
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			dv_strbuf_putn(b, &ch, 1);
		else if (put > 0)
			dv_strbuf_puts(b, "-");
		else
			continue;
		put++;
	}
	if (put == 0)
		dv_strbuf_puts(b, "notes");
	if (n > 1)
		dv_strbuf_printf(b, "-%zu", k + 1);
}

/* One line of text: newlines and tabs become spaces. */
static void put_line(dv_strbuf *b, const char *s)
{
	for (; *s != '\0'; s++)
		dv_strbuf_putn(b, *s == '\n' || *s == '\t' || *s == '\r' ? " " : s, 1);
}

/* The header lines of a scene's run: its lesson text between the title and
 * the first step (scene_run writes it so). */
static void put_header(dv_strbuf *b, const char *text)
{
	const char *s = text;
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (len >= 5 && strncmp(s, "step ", 5) == 0)
			return;
		if (!(len >= 7 && strncmp(s, "lesson ", 7) == 0) &&
		    !(len >= 6 && strncmp(s, "title ", 6) == 0)) {
			dv_strbuf_putn(b, s, len);
			dv_strbuf_puts(b, "\n");
		}
		s += len + (nl != NULL);
	}
}

/* A claim as a reader writes it: the translation's parentheses that carry
 * nothing dropped, ((entry(delta, 1, 1)) * (K)) as entry(delta, 1, 1) * K. */
static void put_claim(dv_strbuf *b, const char *claim)
{
	dv_node *lhs = NULL, *rhs = NULL;
	if (dv_parse_equation(&lhs, &rhs, claim, NULL) != DV_OK) {
		put_line(b, claim);
		return;
	}
	dv_node_source(b, lhs);
	dv_strbuf_puts(b, " == ");
	dv_node_source(b, rhs);
	dv_node_free(lhs);
	dv_node_free(rhs);
}

static void put_step(dv_strbuf *b, const notes_formula *f)
{
	size_t chars = 0, i;
	dv_strbuf_printf(b, "\nstep line %d: ", f->line);
	for (i = 0; f->latex[i] != '\0'; i++)
		if (((unsigned char)f->latex[i] & 0xC0) != 0x80 && chars++ == TITLE_CHARS)
			break;
	{
		char *cut = strndup(f->latex, i);
		if (cut == NULL) {
			b->failed = 1;
			return;
		}
		put_line(b, cut);
		free(cut);
	}
	if (f->latex[i] != '\0')
		dv_strbuf_puts(b, " …");
	if (f->claim == NULL || f->result == NULL) {
		/* no claim to show it as: the formula alone */
		dv_strbuf_puts(b, "\nformula ");
		put_line(b, f->latex);
	}
	if (f->reading != NULL) {
		dv_strbuf_puts(b, "\ntext Read ");
		put_line(b, f->reading);
		dv_strbuf_puts(b, ".");
	}
	if (f->reason != NULL) {
		dv_strbuf_puts(b, "\ntext ");
		put_line(b, f->reason);
	}
	if (f->verdict != NOTES_HOLDS && f->repair != NULL) {
		/* the repair as a formula, shown as the notes would write it */
		dv_strbuf_puts(b, "\ntext It holds with ");
		put_line(b, f->repair_what);
		dv_strbuf_puts(b, ":\nformula ");
		put_line(b, f->repair);
	}
	if (f->claim != NULL && f->result != NULL) {
		/* the claim as the notes write it, what was checked beneath */
		dv_strbuf_puts(b, "\nclaim ");
		put_claim(b, f->claim);
		dv_strbuf_puts(b, "\nas ");
		put_line(b, f->latex);
	} else {
		/* a failure found before any claim could be made (δ_i^j) */
		dv_strbuf_puts(b, "\ntext ✗ This formula fails as written.");
	}
	dv_strbuf_puts(b, "\n");
}

/* The run whose lesson shows formula i: its own, or for a failure with no
 * claim, the run of the formula before it (or after, at the start). */
static const lesson_result *owner(const notes_report *r, size_t i)
{
	const notes_formula *f = &r->items[i];
	if (f->claim != NULL && f->result != NULL)
		return f->result;
	if (f->verdict != NOTES_FAILS && f->verdict != NOTES_INCONCLUSIVE)
		return NULL;
	for (size_t k = i; k-- > 0;)
		if (r->items[k].claim != NULL && r->items[k].result != NULL)
			return r->items[k].result;
	for (size_t k = i + 1; k < r->n; k++)
		if (r->items[k].claim != NULL && r->items[k].result != NULL)
			return r->items[k].result;
	return NULL;
}

int notes_as_lessons(char ***out, size_t *n, const notes_report *r, dv_diag *d)
{
	const lesson_result **runs = NULL;
	char **texts = NULL;
	size_t nruns = 0;
	int rc = DV_OK;

	*out = NULL;
	*n = 0;
	/* the runs, in the order of their first formula */
	for (size_t i = 0; i < r->n; i++) {
		const lesson_result *run = owner(r, i);
		size_t k;
		if (run == NULL)
			continue;
		for (k = 0; k < nruns && runs[k] != run; k++)
			;
		if (k == nruns) {
			const lesson_result **t = realloc(runs, (nruns + 1) * sizeof *t);
			if (t == NULL) {
				free(runs);
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
			runs = t;
			runs[nruns++] = run;
		}
	}
	if (nruns == 0) {
		free(runs);
		return dv_fail(d, DV_E_ARGS, "%s: no formula of the file could be checked, so "
		                             "there is no lesson to show",
		               r->path);
	}
	if ((texts = calloc(nruns, sizeof *texts)) == NULL) {
		free(runs);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < nruns && rc == DV_OK; k++) {
		dv_strbuf b;
		size_t holds = 0, fails = 0;
		const char *scene = NULL;
		for (size_t i = 0; i < r->n; i++)
			if (owner(r, i) == runs[k]) {
				holds += r->items[i].verdict == NOTES_HOLDS;
				fails += r->items[i].verdict != NOTES_HOLDS;
				if (scene == NULL)
					scene = r->items[i].scene;
			}
		dv_strbuf_init(&b);
		dv_strbuf_puts(&b, "# made by verify from the notes ");
		put_line(&b, r->path);
		dv_strbuf_puts(&b, "\nlesson ");
		lesson_name(&b, r->path, k, nruns);
		dv_strbuf_printf(&b, "\norder %zu\ntitle ", k + 1);
		put_line(&b, strrchr(r->path, '/') != NULL ? strrchr(r->path, '/') + 1 : r->path);
		if (scene != NULL) {
			dv_strbuf_puts(&b, ": ");
			put_line(&b, scene);
		}
		dv_strbuf_puts(&b, "\nsource ");
		put_line(&b, r->path);
		dv_strbuf_puts(&b, "\nsummary The formulas of the notes");
		if (scene != NULL) {
			dv_strbuf_puts(&b, " read in ");
			put_line(&b, scene);
		}
		dv_strbuf_printf(&b, ": %zu hold, %zu fail.\n", holds, fails);
		put_header(&b, runs[k]->lesson->text);
		for (size_t i = 0; i < r->n; i++)
			if (owner(r, i) == runs[k])
				put_step(&b, &r->items[i]);
		rc = dv_strbuf_finish(&b, &texts[k], d);
	}
	free(runs);
	if (rc != DV_OK) {
		for (size_t k = 0; k < nruns; k++)
			free(texts[k]);
		free(texts);
		return rc;
	}
	*out = texts;
	*n = nruns;
	return DV_OK;
}
