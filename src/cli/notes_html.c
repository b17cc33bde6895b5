/*
 * notes_html: `verify notes FILE --format html` -- the file as written
 * (Markdown by md4c, a notebook's cells, a LaTeX document's paragraphs),
 * every formula rendered by KaTeX with its verdict as a mark and a word
 * beside it, the counterexample and the repair under its block, and a
 * summary at the top with a link to each formula that fails.
 *
 * The math is taken out before md4c (which would read a_{11}*b as
 * emphasis) and put back after: each span becomes a placeholder,
 * \x02M<k>\x03 for math block k, and \x02N<i>\x03 alone in a paragraph for
 * the note of the formulas from i on.
 */
#include "cli/notes_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "notes/latexdoc.h"
#include "render/html.h"

/* The bytes of math block m with its delimiters: [*from, *to). */
static void outer(const char *t, size_t len, const notes_math *m, int latex, size_t *from,
                  size_t *to)
{
	size_t s = m->start, e = m->end < len ? m->end : len;
	*from = s;
	*to = e;
	if (s >= 2 && ((t[s - 2] == '$' && t[s - 1] == '$') ||
	               (t[s - 2] == '\\' && (t[s - 1] == '[' || t[s - 1] == '(')))) {
		*from = s - 2;
		*to = e + 2 <= len ? e + 2 : len;
	} else if (s >= 1 && t[s - 1] == '$') {
		*from = s - 1;
		*to = e + 1 <= len ? e + 1 : len;
	} else if (latex && s >= 1 && t[s - 1] == '}') {
		/* \begin{align} ... \end{align} */
		size_t b = s - 1;
		while (b > 0 && !(t[b] == '\\' && strncmp(t + b, "\\begin{", 7) == 0))
			b--;
		*from = b;
		if (e + 5 <= len && strncmp(t + e, "\\end{", 5) == 0) {
			const char *close = memchr(t + e, '}', len - e);
			*to = close != NULL ? (size_t)(close - t) + 1 : len;
		}
	}
}

/* Whether block m stands on lines of its own ($$ in a sentence is inline,
 * as kramdown reads it). */
static int alone(const char *t, size_t len, const notes_math *m, int latex)
{
	size_t from, to;
	outer(t, len, m, latex, &from, &to);
	while (from > 0 && (t[from - 1] == ' ' || t[from - 1] == '\t' || t[from - 1] == '>'))
		from--;
	while (to < len && (t[to] == ' ' || t[to] == '\t' || t[to] == '\r'))
		to++;
	return (from == 0 || t[from - 1] == '\n') && (to == len || t[to] == '\n');
}

/* A command and its {argument} left out of TeX for KaTeX: \label{eq:1}. */
static size_t skip_command(const char *s, size_t i, size_t n, const char *cmd)
{
	size_t k = strlen(cmd);
	if (i + k > n || strncmp(s + i, cmd, k) != 0 ||
	    (i + k < n && ((s[i + k] >= 'a' && s[i + k] <= 'z') || (s[i + k] >= 'A' && s[i + k] <= 'Z'))))
		return i;
	i += k;
	if (i < n && s[i] == '*')
		i++;
	if (i < n && s[i] == '{') {
		const char *close = memchr(s + i, '}', n - i);
		return close != NULL ? (size_t)(close - s) + 1 : n;
	}
	return i;
}

/* The TeX of block m as KaTeX reads it: \label, \nonumber and \notag left
 * out; an environment's rows (\\ or &) in aligned. */
static void put_tex(dv_strbuf *b, const char *t, const notes_math *m, size_t len)
{
	size_t s = m->start, e = m->end < len ? m->end : len;
	int rows = 0, env = 0;
	for (size_t i = s; i + 1 < e; i++) {
		if ((t[i] == '\\' && t[i + 1] == '\\') || t[i] == '&')
			rows = 1;
		if (t[i] == '\\' && strncmp(t + i, "\\begin{", 7) == 0)
			env = 1; /* its rows are in an environment of its own */
	}
	rows = rows && !env;
	if (rows)
		dv_strbuf_puts(b, "\\begin{aligned}");
	for (size_t i = s; i < e;) {
		size_t j = skip_command(t, i, e, "\\label");
		if (j == i)
			j = skip_command(t, i, e, "\\nonumber");
		if (j == i)
			j = skip_command(t, i, e, "\\notag");
		if (j == i && rows)
			j = skip_command(t, i, e, "\\tag"); /* no \tag inside aligned */
		if (j != i) {
			i = j;
			continue;
		}
		if (t[i] == '\\' && i + 1 < e) {
			dv_html_escape(b, t + i, 2);
			i += 2;
			continue;
		}
		dv_html_escape(b, t + i, 1);
		i++;
	}
	if (rows)
		dv_strbuf_puts(b, "\\end{aligned}");
}

static const char *const words[] = {"holds", "fails", "undecided", "not checked"};
static const char *const classes[] = {"holds", "fails", "undecided", "unchecked"};
static const char *const marks[] = {"✓", "✗", "?", "–"};

static void put_mark_link(dv_strbuf *b, const notes_formula *f, size_t i)
{
	dv_strbuf_printf(b, "<a class=\"mark %s\" href=\"#f%zu\" title=\"line %d: %s\">%s %s</a>",
	                 classes[f->verdict], i + 1, f->line, words[f->verdict],
	                 marks[f->verdict], words[f->verdict]);
}

static void put_math(dv_strbuf *b, const char *tex, int display)
{
	dv_strbuf_printf(b, "<span class=\"math%s\">", display ? " display" : "");
	dv_html_escape(b, tex, strlen(tex));
	dv_strbuf_puts(b, "</span>");
}

static void put_where(dv_strbuf *b, const notes_formula *f)
{
	if (f->cell > 0)
		dv_strbuf_printf(b, "line %d (cell %d, line %d)", f->line, f->cell, f->cell_line);
	else
		dv_strbuf_printf(b, "line %d", f->line);
}

/* One formula's note: its mark, its line, what was decided and why. */
static void put_note_item(dv_strbuf *b, const notes_formula *f, size_t i)
{
	const char *reason = f->reason != NULL ? f->reason : "";
	dv_strbuf_printf(b, "<li id=\"f%zu\"><span class=\"mark %s\">%s %s</span> ", i + 1,
	                 classes[f->verdict], marks[f->verdict], words[f->verdict]);
	put_where(b, f);
	if (f->verdict == NOTES_UNCHECKED) {
		dv_strbuf_puts(b, ": ");
		dv_html_escape(b, reason, strlen(reason));
		dv_strbuf_puts(b, "</li>\n");
		return;
	}
	if (f->reading != NULL) {
		dv_strbuf_puts(b, ", read ");
		dv_html_escape(b, f->reading, strlen(f->reading));
	}
	if (f->verdict != NOTES_HOLDS) {
		char *s = notes_counterexample_text(f->check, SYM_LATEX);
		if (s != NULL) {
			char *colon = strncmp(s, "at (", 4) == 0 ? strstr(s, "): ") : NULL;
			if (colon != NULL) {
				/* at (1,1): lhs \neq rhs */
				*colon = '\0';
				dv_strbuf_printf(b, ", at entry %s): ", s + 3);
				put_math(b, colon + 3, 0);
			} else {
				dv_strbuf_puts(b, ": ");
				dv_html_escape(b, s, strlen(s));
			}
			free(s);
		}
	}
	if (f->reason != NULL) {
		dv_strbuf_puts(b, ". ");
		dv_html_escape(b, reason, strlen(reason));
	}
	if (f->verdict != NOTES_HOLDS && f->repair != NULL) {
		dv_strbuf_puts(b, ". It holds with ");
		dv_html_escape(b, f->repair_what, strlen(f->repair_what));
		dv_strbuf_puts(b, ":");
		put_math(b, f->repair, 1);
	} else if (f->verdict != NOTES_HOLDS) {
		dv_strbuf_puts(b, ". No standard repair makes it hold.");
	} else {
		dv_strbuf_puts(b, ".");
	}
	dv_strbuf_puts(b, "</li>\n");
}

/* The summary: counts, and a link to each formula that fails or is
 * undecided. */
static void put_summary(dv_strbuf *b, const notes_report *r)
{
	size_t shown = 0;
	dv_strbuf_puts(b, "<div class=\"summary\"><strong>verify</strong> read ");
	dv_html_escape(b, r->path, strlen(r->path));
	dv_strbuf_printf(b, ": %zu formulas, %zu hold, %zu fail, ", r->n, r->holds, r->fails);
	if (r->inconclusive > 0)
		dv_strbuf_printf(b, "%zu undecided, ", r->inconclusive);
	dv_strbuf_printf(b, "%zu not checked.", r->unchecked);
	for (size_t i = 0; i < r->n; i++) {
		const notes_formula *f = &r->items[i];
		if (f->verdict != NOTES_FAILS && f->verdict != NOTES_INCONCLUSIVE)
			continue;
		dv_strbuf_puts(b, shown++ == 0 ? "<br>To look at: " : ", ");
		dv_strbuf_printf(b, "<a href=\"#f%zu\">%s ", i + 1, marks[f->verdict]);
		put_where(b, f);
		dv_strbuf_puts(b, "</a>");
	}
	dv_strbuf_puts(b, "</div>\n");
}

/* Which block a formula was read from: the one its math ends with (the
 * blocks are in the order of the file, so their ends rise). */
static size_t block_of(const notes_source *src, const notes_formula *f, size_t len)
{
	size_t lo = 0, hi = src->nmath;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t e = src->math[mid].end < len ? src->math[mid].end : len;
		if (e < f->end)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < src->nmath; k++) {
		size_t e = src->math[k].end < len ? src->math[k].end : len;
		if (e == f->end)
			return k;
		if (e > f->end)
			break;
	}
	return (size_t)-1;
}

/* The file's own text: a \x02 or \x03 in it (no character of a text) is
 * shown as '?', never taken for a placeholder. */
static void put_text(dv_strbuf *b, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\x02' && s[i] != '\x03')
			continue;
		dv_strbuf_putn(b, s + from, i - from);
		dv_strbuf_puts(b, "?");
		from = i + 1;
	}
	dv_strbuf_putn(b, s + from, n - from);
}

/* Where the note of formula i goes, at the end of what is shown at the
 * latest (a note past \end{document} comes before it). */
static size_t place_of(const notes_report *r, size_t i, const char *t, size_t len,
                       size_t to_at)
{
	size_t at = notes_note_place(&r->items[i], t, len, 0);
	return at < to_at ? at : to_at;
}

/* The text with its math and the notes' places as placeholders. */
static void put_marked(dv_strbuf *b, const notes_report *r, const notes_source *src,
                       const char *t, size_t len, size_t from_at, size_t to_at)
{
	size_t at = from_at, k = 0, i = 0, place = 0;
	while (k < src->nmath && src->math[k].start < from_at)
		k++;
	while (i < r->n && place_of(r, i, t, len, to_at) < from_at)
		i++;
	for (;;) {
		size_t mf = (size_t)-1, mt = 0, nf = (size_t)-1;
		if (k < src->nmath && src->math[k].problem.code == DV_OK)
			outer(t, len, &src->math[k], r->latex, &mf, &mt);
		else if (k < src->nmath)
			mf = src->math[k].start, mt = mf; /* never closed: left as text */
		if (i < r->n)
			nf = place_of(r, i, t, len, to_at);
		else if (mf >= to_at)
			break;
		if (nf <= mf) {
			if (nf > at)
				put_text(b, t + at, nf - at);
			if (nf > at)
				at = nf;
			dv_strbuf_printf(b, "\n\n\x02N%zu\x03\n\n", i);
			place = nf;
			while (i < r->n && place_of(r, i, t, len, to_at) == place)
				i++;
			continue;
		}
		if (mf > at)
			put_text(b, t + at, mf - at);
		if (mt > mf) {
			dv_strbuf_printf(b, "\x02M%zu\x03", k);
			at = mt;
		} else if (mf > at) {
			at = mf;
		}
		k++;
	}
	if (to_at > at)
		put_text(b, t + at, to_at - at);
}

/* The first formula of the next note placeholder at or after p (SIZE_MAX
 * when there is none). */
static size_t next_note(const char *p)
{
	for (; p != NULL && (p = strchr(p, '\x02')) != NULL; p++)
		if (p[1] == 'N')
			return strtoul(p + 2, NULL, 10);
	return (size_t)-1;
}

/* The placeholders of html replaced: math with its marks, notes. */
static void put_filled(dv_strbuf *b, const char *html, const notes_report *r,
                       const notes_source *src, const char *t, size_t len,
                       const size_t *blocks, size_t *fi)
{
	const char *p = html, *at;
	while ((at = strchr(p, '\x02')) != NULL) {
		char kind = at[1];
		char *end;
		size_t n = strtoul(at + 2, &end, 10);
		if (*end != '\x03' || (kind != 'M' && kind != 'N')) {
			dv_strbuf_putn(b, p, (size_t)(at - p) + 1);
			p = at + 1;
			continue;
		}
		if (kind == 'N') {
			/* a paragraph of its own: <p> and </p> go */
			size_t cut = (size_t)(at - p) >= 3 && strncmp(at - 3, "<p>", 3) == 0 ? 3 : 0;
			dv_strbuf_putn(b, p, (size_t)(at - p) - cut);
			p = end + 1;
			if (strncmp(p, "</p>", 4) == 0)
				p += 4;
			if (n >= r->n)
				continue;
			{
				/* the formulas from n to the next note's first */
				size_t stop = next_note(strchr(p, '\x02'));
				dv_strbuf_puts(b, "<div class=\"note\"><ul>\n");
				for (size_t i = n; i < r->n && i < stop; i++)
					put_note_item(b, &r->items[i], i);
			}
			dv_strbuf_puts(b, "</ul></div>\n");
			continue;
		}
		dv_strbuf_putn(b, p, (size_t)(at - p));
		p = end + 1;
		if (n >= src->nmath)
			continue;
		dv_strbuf_printf(b, "<span class=\"math%s\">",
		                 src->math[n].display && alone(t, len, &src->math[n], r->latex)
		                         ? " display"
		                         : "");
		put_tex(b, t, &src->math[n], len);
		dv_strbuf_puts(b, "</span>");
		/* the marks of its formulas: they come in the file's order */
		while (*fi < r->n && (blocks[*fi] == (size_t)-1 || blocks[*fi] < n))
			(*fi)++;
		for (; *fi < r->n && blocks[*fi] == n; (*fi)++)
			put_mark_link(b, &r->items[*fi], *fi);
	}
	dv_strbuf_puts(b, p);
}

/* A LaTeX document's body as paragraphs of escaped text. */
static void put_paragraphs(dv_strbuf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i, k;
		/* a paragraph ends at a blank line */
		for (;;) {
			const char *nl = memchr(s + j, '\n', n - j);
			if (nl == NULL) {
				j = n;
				break;
			}
			j = (size_t)(nl - s) + 1;
			for (k = j; k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'); k++)
				;
			if (k >= n || s[k] == '\n')
				break;
		}
		for (k = i; k < j && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r');
		     k++)
			;
		if (k < j) {
			dv_strbuf_puts(b, "<p>");
			dv_html_escape(b, s + i, j - i);
			dv_strbuf_puts(b, "</p>\n");
		}
		i = j;
	}
}

int notes_render_html(dv_strbuf *b, const notes_report *r, const char *text, size_t len,
                      dv_diag *d)
{
	notes_source src;
	dv_strbuf marked, body;
	char *m = NULL, *html = NULL;
	const char *base = strrchr(r->path, '/');
	char title[300];
	size_t from = 0, to = len;
	int rc;

	rc = r->latex ? notes_latex_extract(&src, text, len, d) : notes_extract(&src, text, len, d);
	if (rc != DV_OK)
		return rc;
	if (r->latex) {
		/* the body: the preamble and \end{document} are no reading */
		const char *doc = strstr(text, "\\begin{document}");
		const char *end = strstr(text, "\\end{document}");
		if (doc != NULL)
			from = (size_t)(doc - text) + 16;
		if (end != NULL && (size_t)(end - text) >= from)
			to = (size_t)(end - text);
	} else if (len >= 4 && strncmp(text, "---\n", 4) == 0) {
		/* a Jekyll front matter (layout, title, tags): no reading */
		const char *close = strstr(text + 4, "\n---");
		if (close != NULL && (close[4] == '\n' || close[4] == '\0'))
			from = (size_t)(close - text) + 4;
	}
	snprintf(title, sizeof title, "verify notes: %.250s", base != NULL ? base + 1 : r->path);
	dv_strbuf_init(&marked);
	put_marked(&marked, r, &src, text, len, from, to);
	if ((rc = dv_strbuf_finish(&marked, &m, d)) != DV_OK) {
		notes_source_clear(&src);
		return rc;
	}
	dv_strbuf_init(&body);
	if (r->latex)
		put_paragraphs(&body, m, strlen(m));
	else if ((rc = dv_html_markdown(&body, m, strlen(m), 0, d)) != DV_OK) {
		free(m);
		dv_strbuf_free(&body);
		notes_source_clear(&src);
		return rc;
	}
	free(m);
	if ((rc = dv_strbuf_finish(&body, &html, d)) != DV_OK) {
		notes_source_clear(&src);
		return rc;
	}
	if ((rc = dv_html_begin(b, title, d)) == DV_OK) {
		size_t *blocks = calloc(r->n ? r->n : 1, sizeof *blocks), fi = 0;
		if (blocks == NULL) {
			free(html);
			notes_source_clear(&src);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < r->n; i++)
			blocks[i] = block_of(&src, &r->items[i], len);
		put_summary(b, r);
		put_filled(b, html, r, &src, text, len, blocks, &fi);
		free(blocks);
		rc = dv_html_end(b, d);
	}
	free(html);
	notes_source_clear(&src);
	return rc;
}
