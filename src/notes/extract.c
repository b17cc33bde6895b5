/*
 * extract: the math of a Markdown file, through md4c.
 *
 * md4c (MD_FLAG_LATEXMATHSPANS) finds $...$ and $$...$$ outside code; its
 * text callbacks point into our buffer, so each span's first and last
 * pieces give its place in the file, newlines and all.  Kramdown, which
 * Jekyll uses, also takes a $$ block that holds a blank line; md4c cannot
 * (a blank line ends its paragraph), so a $$ that md4c leaves as plain text
 * is matched here with the next $$ of the file; \[ ... \] and \( ... \),
 * which md4c reads as escaped brackets, are matched here too.  Jekyll front matter is
 * skipped; ```verify blocks are kept as the file's own context.
 */
#include "notes/notes.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
	const char *text;
	size_t len;
	notes_source *out;
	int in_math, display;
	size_t span_start, span_end; /* of the current span's pieces */
	int have_piece;
	size_t skip_to; /* a $$ block matched by hand ends here */
	int in_fence;
	size_t fence_start, fence_end;
	int fence_have;
	int nomem;
	size_t pos_offset; /* the last position computed, to go on from */
	int pos_line, pos_column;
	size_t cap;
} walk;

/* 1-based line and column (in characters) of offset, counted on from the
 * last offset asked for (spans come in the file's order). */
static void position(walk *w, size_t offset, int *line, int *column)
{
	size_t i = w->pos_offset;
	int l = w->pos_line, c = w->pos_column;
	if (offset < i || l == 0) {
		i = 0;
		l = c = 1;
	}
	for (; i < offset; i++) {
		unsigned char ch = (unsigned char)w->text[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	w->pos_offset = offset;
	w->pos_line = l;
	w->pos_column = c;
	*line = l;
	*column = c;
}

static int push_math(walk *w, size_t start, size_t end, int display)
{
	notes_math *m;
	if (w->out->nmath == w->cap) {
		size_t cap = w->cap == 0 ? 64 : w->cap * 2;
		m = realloc(w->out->math, cap * sizeof *m);
		if (m == NULL) {
			w->nomem = 1;
			return -1;
		}
		w->out->math = m;
		w->cap = cap;
	}
	m = &w->out->math[w->out->nmath++];
	memset(m, 0, sizeof *m);
	m->start = start;
	m->end = end;
	m->display = display;
	position(w, start, &m->line, &m->column);
	return 0;
}

static int inside(const walk *w, const char *p)
{
	return p >= w->text && p <= w->text + w->len;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *user)
{
	walk *w = user;
	(void)detail;
	if (type == MD_SPAN_LATEXMATH || type == MD_SPAN_LATEXMATH_DISPLAY) {
		w->in_math = 1;
		w->display = type == MD_SPAN_LATEXMATH_DISPLAY;
		w->have_piece = 0;
	}
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *user)
{
	walk *w = user;
	(void)detail;
	if ((type == MD_SPAN_LATEXMATH || type == MD_SPAN_LATEXMATH_DISPLAY) && w->in_math) {
		w->in_math = 0;
		if (w->have_piece && w->span_start >= w->skip_to) {
			/* $$ x $$ and $ x $: md4c tells display by the delimiter */
			int display = w->display || (w->span_start >= 2 &&
			                             w->text[w->span_start - 1] == '$' &&
			                             w->text[w->span_start - 2] == '$');
			if (push_math(w, w->span_start, w->span_end, display) != 0)
				return -1;
		}
	}
	return 0;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
	walk *w = user;
	if (type == MD_BLOCK_CODE) {
		const MD_BLOCK_CODE_DETAIL *c = detail;
		w->in_fence = c != NULL && c->lang.size == 6 &&
		              memcmp(c->lang.text, "verify", 6) == 0;
		w->fence_have = 0;
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
	walk *w = user;
	(void)detail;
	if (type == MD_BLOCK_CODE && w->in_fence) {
		notes_fence *f;
		w->in_fence = 0;
		if (!w->fence_have)
			return 0;
		f = realloc(w->out->fences, (w->out->nfences + 1) * sizeof *f);
		if (f == NULL) {
			w->nomem = 1;
			return -1;
		}
		w->out->fences = f;
		f = &f[w->out->nfences++];
		f->start = w->fence_start;
		f->end = w->fence_end;
		{
			int column;
			position(w, f->start, &f->line, &column);
		}
	}
	return 0;
}

/* A $$ that md4c left as text: the block runs to the next $$ of the file. */
static int unmatched_dollars(walk *w, const char *s, size_t n)
{
	size_t base = (size_t)(s - w->text), i = 0;
	while (i + 1 < n) {
		size_t at = base + i, close;
		if (s[i] != '$' || s[i + 1] != '$' || at < w->skip_to) {
			i++;
			continue;
		}
		for (close = at + 2; close + 1 < w->len; close++)
			if (w->text[close] == '$' && w->text[close + 1] == '$')
				break;
		if (close + 1 >= w->len) {
			notes_math *m;
			if (push_math(w, at + 2, at + 2, 1) != 0)
				return -1;
			m = &w->out->math[w->out->nmath - 1];
			dv_fail_at(&m->problem, DV_E_SYNTAX, m->line, m->column - 2,
			           "this $$ is never closed");
			w->skip_to = w->len;
			return 0;
		}
		if (push_math(w, at + 2, close, 1) != 0)
			return -1;
		w->skip_to = close + 2;
		if (w->skip_to >= base + n)
			return 0;
		i = w->skip_to - base;
	}
	return 0;
}

/*
 * \[ ... \] and \( ... \): md4c reads \[ as an escaped [ and hands it over
 * alone, so s is the [ (or the () after a backslash in plain text.  The
 * math runs to the first \] (\)) of the file, as in LaTeX.
 */
static int bracketed(walk *w, const char *s)
{
	size_t open = (size_t)(s - w->text), close;
	char end = s[0] == '[' ? ']' : ')';
	for (close = open + 1; close + 1 < w->len; close++) {
		size_t k = close;
		if (w->text[close] != '\\' || w->text[close + 1] != end)
			continue;
		while (k > open + 1 && w->text[k - 1] == '\\')
			k--;
		if ((close - k) % 2 == 0) /* \] itself, not \\ then ] */
			break;
	}
	if (close + 1 >= w->len) {
		notes_math *m;
		if (push_math(w, open + 1, open + 1, end == ']') != 0)
			return -1;
		m = &w->out->math[w->out->nmath - 1];
		dv_fail_at(&m->problem, DV_E_SYNTAX, m->line, m->column - 2,
		           "this \\%c is never closed", s[0]);
		w->skip_to = w->len;
		return 0;
	}
	if (push_math(w, open + 1, close, end == ']') != 0)
		return -1;
	w->skip_to = close + 2;
	return 0;
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
	walk *w = user;
	if (w->in_fence && type == MD_TEXT_CODE && inside(w, s)) {
		size_t at = (size_t)(s - w->text);
		if (!w->fence_have)
			w->fence_start = at;
		w->fence_have = 1;
		w->fence_end = at + n;
		return 0;
	}
	if (w->in_math) {
		if (inside(w, s) && inside(w, s + n)) {
			size_t at = (size_t)(s - w->text);
			if (!w->have_piece)
				w->span_start = at;
			w->have_piece = 1;
			w->span_end = at + n;
		}
		return 0;
	}
	if (type == MD_TEXT_NORMAL && inside(w, s) && n >= 1 && (s[0] == '[' || s[0] == '(') &&
	    s > w->text && s[-1] == '\\' && (size_t)(s - w->text) >= w->skip_to)
		return bracketed(w, s);
	if (type == MD_TEXT_NORMAL && inside(w, s) && memchr(s, '$', n) != NULL)
		return unmatched_dollars(w, s, n);
	return 0;
}

/* The length of Jekyll front matter (---\n ... \n---\n) at the start, or 0. */
static size_t front_matter(const char *text, size_t len)
{
	size_t i;
	if (len < 4 || memcmp(text, "---", 3) != 0 || (text[3] != '\n' && text[3] != '\r'))
		return 0;
	for (i = 4; i < len; i++) {
		if (text[i - 1] != '\n')
			continue;
		if ((len - i >= 3 && memcmp(text + i, "---", 3) == 0) ||
		    (len - i >= 3 && memcmp(text + i, "...", 3) == 0)) {
			size_t j = i + 3;
			while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
				j++;
			if (j == len || text[j] == '\n')
				return j < len ? j + 1 : j;
		}
	}
	return 0;
}

void notes_source_clear(notes_source *s)
{
	free(s->math);
	free(s->fences);
	memset(s, 0, sizeof *s);
}

int notes_extract(notes_source *out, const char *text, size_t len, dv_diag *d)
{
	walk w = {0};
	MD_PARSER p = {0};
	size_t skip = front_matter(text, len);

	memset(out, 0, sizeof *out);
	w.text = text;
	w.len = len;
	w.out = out;
	w.skip_to = skip;
	p.abi_version = 0;
	p.flags = MD_FLAG_LATEXMATHSPANS | MD_FLAG_NOHTML;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text_cb;
	if (len - skip > (size_t)(MD_SIZE)-1) {
		notes_source_clear(out);
		return dv_fail(d, DV_E_LIMIT, "the file is larger than md4c can read");
	}
	if (md_parse(text + skip, (MD_SIZE)(len - skip), &p, &w) != 0 || w.nomem) {
		notes_source_clear(out);
		return w.nomem ? dv_fail(d, DV_E_NOMEM, "out of memory")
		               : dv_fail(d, DV_E_IO, "md4c could not read the file");
	}
	return DV_OK;
}
