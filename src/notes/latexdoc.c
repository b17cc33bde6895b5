/*
 * latexdoc: a LaTeX document's math, as the reader reads a Markdown file's.
 *
 * A document is one by its content (\documentclass, \begin{document}) as
 * well as by a .tex name.  Its text is prepared first: comments (% to the
 * end of the line) blanked; macros without arguments and with #1 ...
 * arguments (\newcommand, \renewcommand, \providecommand, \def,
 * \DeclareMathOperator) expanded where they are used, so that a file that
 * defines \R or \pd{E}{x} is read as its author reads it.  An expansion
 * keeps the lines of the file (a macro whose body spans lines is not
 * expanded), so a formula's line is its line in the .tex file.  Then the
 * math: $...$, $$...$$, \(...\), \[...\] and the environments equation,
 * align, aligned, gather, multline, eqnarray (starred or not), each row of
 * which is a formula (\\) and whose & is alignment.  \input and \include
 * are not followed.
 */
#include "notes/latexdoc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

/* Most macros one document may define; deepest expansion of one use. */
#define MAX_MACROS 256
#define MAX_EXPANSION 16
/* A prepared text may grow to this many times the file's size. */
#define MAX_GROWTH 8

typedef struct macro {
	char name[48]; /* without the backslash */
	int nargs;
	char *body;
} macro;

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int notes_is_latex(const char *path, const char *text, size_t len)
{
	if (ends_with(path, ".tex") || ends_with(path, ".latex"))
		return 1;
	for (size_t i = 0; i + 14 <= len && i < 65536; i++)
		if (text[i] == '\\' && (memcmp(text + i, "\\documentclass", 14) == 0 ||
		                        (i + 16 <= len && memcmp(text + i, "\\begin{document}", 16) == 0)))
			return 1;
	return 0;
}

/* The text with its comments blanked (the % stays a space, the line too). */
static char *strip_comments(const char *text, size_t len)
{
	char *t = malloc(len + 1);
	if (t == NULL)
		return NULL;
	memcpy(t, text, len);
	t[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\\' && i + 1 < len) {
			i++; /* \% is a percent sign */
			continue;
		}
		if (t[i] == '%')
			while (i < len && t[i] != '\n')
				t[i++] = ' ';
	}
	return t;
}

/* The balanced group {...} at *p (white space skipped); its inside in *s,
 * *n; *p past it.  0 if there is none. */
static int group(const char **p, const char *end, const char **s, size_t *n)
{
	const char *q = *p;
	int depth = 0;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q >= end || *q != '{')
		return 0;
	for (const char *r = q; r < end; r++) {
		if (*r == '\\' && r + 1 < end) {
			r++;
			continue;
		}
		if (*r == '{')
			depth++;
		else if (*r == '}' && --depth == 0) {
			*s = q + 1;
			*n = (size_t)(r - q - 1);
			*p = r + 1;
			return 1;
		}
	}
	return 0;
}

/* A control word \name at p: its length past the backslash, or 0. */
static size_t control_word(const char *p, const char *end)
{
	size_t n = 0;
	if (p >= end || *p != '\\')
		return 0;
	while (p + 1 + n < end && isalpha((unsigned char)p[1 + n]))
		n++;
	return n;
}

/* Reads the macro definitions of t (and blanks them, lines kept). */
static int read_macros(char *t, size_t len, macro *m, size_t *nm)
{
	static const char *const defs[] = {"\\newcommand", "\\renewcommand",
	                                   "\\providecommand", "\\DeclareMathOperator",
	                                   "\\def"};
	const char *end = t + len;
	for (char *p = t; p < end; p++) {
		size_t w;
		const char *q, *name = NULL, *body;
		size_t nname = 0, nbody;
		int nargs = 0, op = 0;
		if (*p != '\\' || (w = control_word(p, end)) == 0)
			continue;
		for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++)
			if (strlen(defs[k]) == w + 1 && memcmp(p, defs[k], w + 1) == 0)
				op = (int)k + 1;
		if (op == 0) {
			p += w;
			continue;
		}
		q = p + 1 + w;
		if (q < end && *q == '*')
			q++;
		if (op == 5) { /* \def\name{body} */
			size_t nw;
			while (q < end && *q == ' ')
				q++;
			if ((nw = control_word(q, end)) == 0)
				continue;
			name = q + 1;
			nname = nw;
			q += 1 + nw;
		} else { /* \newcommand{\name}[n]{body} or \newcommand\name{body} */
			const char *s;
			size_t n;
			while (q < end && *q == ' ')
				q++;
			if (group(&q, end, &s, &n)) {
				while (n > 0 && *s == ' ')
					s++, n--;
				if (control_word(s, s + n) + 1 > n || n < 2)
					continue;
				name = s + 1;
				nname = control_word(s, s + n);
			} else if ((nname = control_word(q, end)) > 0) {
				name = q + 1;
				q += 1 + nname;
			} else {
				continue;
			}
			while (q < end && *q == ' ')
				q++;
			if (q < end && *q == '[' && op != 4) {
				char *e;
				nargs = (int)strtol(q + 1, &e, 10);
				if (*e != ']' || nargs < 0 || nargs > 9)
					continue;
				q = e + 1;
			}
		}
		if (!group(&q, end, &body, &nbody) || nname >= sizeof m->name ||
		    memchr(body, '\n', nbody) != NULL)
			continue; /* a body over several lines is left as written */
		if (*nm < MAX_MACROS) {
			macro *mm = &m[(*nm)++];
			memcpy(mm->name, name, nname);
			mm->name[nname] = '\0';
			mm->nargs = nargs;
			if (op == 4) { /* \DeclareMathOperator{\tr}{tr}: a name */
				mm->body = malloc(nbody + 16);
				if (mm->body == NULL)
					return -1;
				snprintf(mm->body, nbody + 16, "\\mathrm{%.*s}", (int)nbody, body);
			} else if ((mm->body = malloc(nbody + 1)) == NULL) {
				return -1;
			} else {
				memcpy(mm->body, body, nbody);
				mm->body[nbody] = '\0';
			}
		}
		/* the definition itself is no math: blanked, its lines kept */
		for (char *b = p; b < q; b++)
			if (*b != '\n')
				*b = ' ';
		p = (char *)q - 1;
	}
	return 0;
}

static const macro *find_macro(const macro *m, size_t nm, const char *name, size_t n)
{
	for (size_t i = nm; i-- > 0;) /* the last definition wins */
		if (strlen(m[i].name) == n && memcmp(m[i].name, name, n) == 0)
			return &m[i];
	return NULL;
}

/* What expanding may take: the bytes it may still add, and the macro that
 * was still expanding at the deepest level (\def\a{\a}). */
typedef struct expansion {
	size_t budget;
	const char *looped;
} expansion;

/* t with every use of a macro expanded, into b: 0, -1 out of memory, -2
 * past the growth limit, -3 a macro that never stops expanding. */
static int expand(dv_strbuf *b, const char *t, size_t len, const macro *m, size_t nm,
                  int depth, expansion *x)
{
	const char *end = t + len;
	for (const char *p = t; p < end;) {
		size_t w = *p == '\\' ? control_word(p, end) : 0;
		const macro *mac = w > 0 ? find_macro(m, nm, p + 1, w) : NULL;
		if (mac != NULL && depth >= MAX_EXPANSION) {
			x->looped = mac->name;
			return -3;
		}
		if (mac == NULL) {
			if (w > 0) {
				dv_strbuf_printf(b, "%.*s", (int)(w + 1), p);
				p += w + 1;
			} else {
				dv_strbuf_printf(b, "%c", *p);
				if (*p == '\\' && p + 1 < end) { /* \{, \\ and the like */
					dv_strbuf_printf(b, "%c", p[1]);
					p++;
				}
				p++;
			}
			continue;
		}
		{
			const char *q = p + 1 + w, *arg[9];
			size_t narg[9];
			dv_strbuf body;
			char *bt = NULL;
			int ok = 1;
			for (int a = 0; a < mac->nargs && ok; a++) {
				if (!group(&q, end, &arg[a], &narg[a]) ||
				    memchr(arg[a], '\n', narg[a]) != NULL) {
					/* \pd x y: one token an argument */
					while (q < end && *q == ' ')
						q++;
					if (q < end && *q != '\n' && *q != '}') {
						arg[a] = q;
						narg[a] = (size_t)(*q == '\\' && control_word(q, end) > 0
						                           ? control_word(q, end) + 1
						                           : 1);
						q += narg[a];
					} else {
						ok = 0;
					}
				}
			}
			if (!ok) {
				dv_strbuf_printf(b, "%.*s", (int)(w + 1), p);
				p += w + 1;
				continue;
			}
			/* the body with #1 ... in place, then expanded again */
			dv_strbuf_init(&body);
			for (const char *c = mac->body; *c != '\0'; c++) {
				if (*c == '#' && c[1] >= '1' && c[1] <= '9' && c[1] - '1' < mac->nargs) {
					int a = c[1] - '1';
					/* as TeX does: the argument's tokens, not its braces */
					dv_strbuf_printf(&body, "%.*s", (int)narg[a], arg[a]);
					c++;
				} else {
					dv_strbuf_printf(&body, "%c", *c);
				}
			}
			if (dv_strbuf_finish(&body, &bt, NULL) != DV_OK)
				return -1;
			if (strlen(bt) > x->budget) {
				free(bt);
				return -2; /* grows past the limit */
			}
			x->budget -= strlen(bt);
			/* the body as TeX puts it in, textually; a space after a body
			 * that ends in a control word, so that \a x stays two tokens */
			{
				int e = expand(b, bt, strlen(bt), m, nm, depth + 1, x);
				if (e != 0) {
					free(bt);
					return e;
				}
			}
			if (strlen(bt) > 0 && isalpha((unsigned char)bt[strlen(bt) - 1]) &&
			    q < end && isalpha((unsigned char)*q))
				dv_strbuf_puts(b, " ");
			free(bt);
			p = q;
		}
	}
	return 0;
}

int notes_latex_prepare(char **out, size_t *outlen, const char *text, size_t len,
                        dv_diag *d)
{
	macro *m = calloc(MAX_MACROS, sizeof *m);
	size_t nm = 0;
	expansion x = {len * MAX_GROWTH + 65536, NULL};
	char *t = strip_comments(text, len);
	dv_strbuf b;
	int rc = DV_OK;

	*out = NULL;
	if (m == NULL || t == NULL || read_macros(t, len, m, &nm) != 0) {
		free(t);
		for (size_t i = 0; m != NULL && i < nm; i++)
			free(m[i].body);
		free(m);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	dv_strbuf_init(&b);
	switch (expand(&b, t, len, m, nm, 0, &x)) {
	case 0:
		rc = dv_strbuf_finish(&b, out, d);
		break;
	case -3:
		dv_strbuf_free(&b);
		rc = dv_fail(d, DV_E_LIMIT,
		             "the macro \\%.60s still expands after %d levels: defined in "
		             "terms of itself, or nested deeper than verify follows",
		             x.looped, MAX_EXPANSION);
		break;
	case -2:
		dv_strbuf_free(&b);
		rc = dv_fail(d, DV_E_LIMIT,
		             "the document's macros expand to more than %d times its size",
		             MAX_GROWTH);
		break;
	default:
		dv_strbuf_free(&b);
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nm; i++)
		free(m[i].body);
	free(m);
	free(t);
	if (rc == DV_OK)
		*outlen = strlen(*out);
	return rc;
}

/* ---- the math of the prepared text ---------------------------------------- */

static const char *const math_envs[] = {
        "equation", "equation*", "align",     "align*", "gather",  "gather*",
        "multline", "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*",
        "displaymath", "math",
};

static int push(notes_source *s, size_t *cap, const char *t, size_t start, size_t end,
                int display)
{
	notes_math *m;
	int line = 1, column = 1;
	if (s->nmath == *cap) {
		size_t c = *cap == 0 ? 64 : *cap * 2;
		if ((m = realloc(s->math, c * sizeof *m)) == NULL)
			return -1;
		s->math = m;
		*cap = c;
	}
	for (size_t i = 0; i < start; i++) {
		if (t[i] == '\n') {
			line++;
			column = 1;
		} else if (((unsigned char)t[i] & 0xC0) != 0x80) {
			column++;
		}
	}
	m = &s->math[s->nmath++];
	memset(m, 0, sizeof *m);
	m->start = start;
	m->end = end;
	m->display = display;
	m->line = line;
	m->column = column;
	return 0;
}

/* The position past the closing string close from i, skipping \x; or len. */
static size_t find_close(const char *t, size_t len, size_t i, const char *close)
{
	size_t n = strlen(close);
	for (; i + n <= len; i++) {
		if (memcmp(t + i, close, n) == 0)
			return i;
		if (t[i] == '\\' && close[0] != '\\')
			i++;
	}
	return len;
}

int notes_latex_extract(notes_source *out, const char *t, size_t len, dv_diag *d)
{
	size_t cap = 0, i = 0;
	const char *doc = strstr(t, "\\begin{document}");

	memset(out, 0, sizeof *out);
	if (doc != NULL)
		i = (size_t)(doc - t) + 16; /* the preamble has no formulas */
	while (i < len) {
		size_t close, open = i;
		if (t[i] == '\\' && i + 1 < len && (t[i + 1] == '[' || t[i + 1] == '(')) {
			const char *c = t[i + 1] == '[' ? "\\]" : "\\)";
			close = find_close(t, len, i + 2, c);
			if (push(out, &cap, t, i + 2, close, t[i + 1] == '[') != 0)
				goto nomem;
			i = close + 2;
			continue;
		}
		if (t[i] == '\\' && strncmp(t + i, "\\begin{", 7) == 0) {
			size_t k;
			for (k = 0; k < sizeof math_envs / sizeof *math_envs; k++) {
				size_t n = strlen(math_envs[k]);
				if (i + 7 + n < len && memcmp(t + i + 7, math_envs[k], n) == 0 &&
				    t[i + 7 + n] == '}')
					break;
			}
			if (k < sizeof math_envs / sizeof *math_envs) {
				char endtag[40];
				size_t start = i + 8 + strlen(math_envs[k]);
				snprintf(endtag, sizeof endtag, "\\end{%s}", math_envs[k]);
				close = find_close(t, len, start, endtag);
				if (push(out, &cap, t, start, close, 1) != 0)
					goto nomem;
				i = close + strlen(endtag);
				continue;
			}
			i += 7;
			continue;
		}
		if (t[i] == '\\' && out->input_line == 0 &&
		    (strncmp(t + i, "\\input", 6) == 0 || strncmp(t + i, "\\include", 8) == 0) &&
		    !isalpha((unsigned char)t[i + (t[i + 3] == 'p' ? 6 : 8)])) {
			/* not followed: said once, where it stands */
			int line = 1, column = 1;
			for (size_t k = 0; k < i; k++) {
				if (t[k] == '\n') {
					line++;
					column = 1;
				} else if (((unsigned char)t[k] & 0xC0) != 0x80) {
					column++;
				}
			}
			out->input_line = line;
			out->input_column = column;
		}
		if (t[i] == '\\' && i + 1 < len) {
			i += 2; /* \$ and the like */
			continue;
		}
		if (t[i] == '$') {
			int dbl = i + 1 < len && t[i + 1] == '$';
			close = find_close(t, len, i + (dbl ? 2 : 1), dbl ? "$$" : "$");
			if (push(out, &cap, t, i + (dbl ? 2 : 1), close, dbl) != 0)
				goto nomem;
			i = close + (dbl ? 2 : 1);
			continue;
		}
		(void)open;
		i++;
	}
	/* a math span that never closed ran to the end: said as the problem */
	for (size_t k = 0; k < out->nmath; k++)
		if (out->math[k].end >= len && out->math[k].start < len)
			dv_fail_at(&out->math[k].problem, DV_E_SYNTAX, out->math[k].line,
			           out->math[k].column, "this math is never closed");
	if ((out->clean = malloc(len + 1)) == NULL)
		goto nomem;
	memcpy(out->clean, t, len);
	out->clean[len] = '\0';
	return DV_OK;
nomem:
	notes_source_clear(out);
	return dv_fail(d, DV_E_NOMEM, "out of memory");
}
