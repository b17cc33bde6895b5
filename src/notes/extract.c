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
 *
 * Display math is taken out before md4c reads the blocks, as kramdown and
 * Hexo do: a $$ block's lines may start with =, *, - or > (a chain written
 * one step a line), which md4c would read as a heading underline, a list
 * item or a quote.  The blocks are blanked in the copy md4c reads, outside
 * code (fenced blocks and `spans`) and past escaped \$.  Inside a quote, a
 * math span's lines start with the quote's > markers: the clean copy of
 * the text that the math is read from has them blanked.
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
	free(s->clean);
	memset(s, 0, sizeof *s);
}

/* The end of the code fence line at i (``` or ~~~ after spaces and quote
 * markers), or 0; *mark and *n: its character and length. */
static size_t fence_line(const char *t, size_t len, size_t i, char *mark, size_t *n)
{
	size_t j = i, k;
	while (j < len && (t[j] == ' ' || t[j] == '>'))
		j++;
	if (j + 2 >= len || (t[j] != '`' && t[j] != '~') || t[j + 1] != t[j] || t[j + 2] != t[j])
		return 0;
	for (k = j; k < len && t[k] == t[j]; k++)
		;
	*mark = t[j];
	*n = k - j;
	while (k < len && t[k] != '\n')
		k++;
	return k;
}

/* Blanks text[from, to) but its newlines. */
static void blank(char *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (t[i] != '\n' && t[i] != '\r')
			t[i] = ' ';
}

/* Finds the $$ blocks outside code, pushes them and blanks them in masked. */
static int take_display(walk *w, char *masked, size_t from)
{
	const char *t = w->text;
	size_t len = w->len, i = from;
	int line_start = 1;
	while (i < len) {
		if (line_start) {
			char mark;
			size_t n, end = fence_line(t, len, i, &mark, &n);
			line_start = 0;
			if (end > 0) { /* a code block: to its closing fence */
				size_t j = end;
				for (;;) {
					char m2;
					size_t n2, e2;
					if (j >= len) {
						i = len;
						break;
					}
					j++; /* past the newline */
					e2 = fence_line(t, len, j, &m2, &n2);
					if (e2 > 0 && m2 == mark && n2 >= n) {
						i = e2;
						break;
					}
					while (j < len && t[j] != '\n')
						j++;
				}
				continue;
			}
		}
		if (t[i] == '\n') {
			line_start = 1;
			i++;
		} else if (t[i] == '\\' && i + 1 < len) {
			i += 2; /* \$ is a dollar, \\ a backslash */
		} else if (t[i] == '`') { /* a code span: to the same run of backticks */
			size_t n = 0, j;
			while (i + n < len && t[i + n] == '`')
				n++;
			for (j = i + n; j < len; j++) {
				size_t m = 0;
				if (t[j] != '`')
					continue;
				while (j + m < len && t[j + m] == '`')
					m++;
				if (m == n)
					break;
				j += m - 1;
			}
			i = j < len ? j + n : i + n;
		} else if (t[i] == '$' && i + 1 < len && t[i + 1] == '$') {
			size_t close = i + 2;
			while (close + 1 < len &&
			       !(t[close] == '$' && t[close + 1] == '$' && t[close - 1] != '\\'))
				close++;
			if (close + 1 >= len)
				return 0; /* never closed: md4c's reading says so */
			if (push_math(w, i + 2, close, 1) != 0)
				return -1;
			blank(masked, i, close + 2);
			i = close + 2;
		} else {
			i++;
		}
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const notes_math *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The clean copy: > markers that start a line inside math blanked. */
static int clean_quotes(notes_source *out, const char *text, size_t len)
{
	if ((out->clean = malloc(len + 1)) == NULL)
		return -1;
	memcpy(out->clean, text, len);
	out->clean[len] = '\0';
	for (size_t k = 0; k < out->nmath; k++) {
		const notes_math *m = &out->math[k];
		for (size_t i = m->start; i < m->end && i < len; i++) {
			size_t j;
			if (out->clean[i] != '\n')
				continue;
			for (j = i + 1; j < m->end && (out->clean[j] == ' ' || out->clean[j] == '>'); j++)
				if (out->clean[j] == '>')
					out->clean[j] = ' ';
		}
	}
	return 0;
}

int notes_extract(notes_source *out, const char *text, size_t len, dv_diag *d)
{
	walk w = {0};
	MD_PARSER p = {0};
	size_t skip = front_matter(text, len);
	char *masked;

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
	if ((masked = malloc(len + 1)) == NULL) {
		notes_source_clear(out);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	memcpy(masked, text, len);
	masked[len] = '\0';
	if (take_display(&w, masked, skip) != 0) {
		free(masked);
		notes_source_clear(out);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	w.text = masked; /* md4c's pieces point into it: the same offsets */
	if (md_parse(masked + skip, (MD_SIZE)(len - skip), &p, &w) != 0 || w.nomem) {
		free(masked);
		notes_source_clear(out);
		return w.nomem ? dv_fail(d, DV_E_NOMEM, "out of memory")
		               : dv_fail(d, DV_E_IO, "md4c could not read the file");
	}
	free(masked);
	if (out->nmath > 1)
		qsort(out->math, out->nmath, sizeof *out->math, by_start);
	if (clean_quotes(out, text, len) != 0) {
		notes_source_clear(out);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	return DV_OK;
}
