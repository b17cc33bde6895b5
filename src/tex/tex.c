/*
 * tex: a tokenizer and a recursive-descent parser for the LaTeX math of
 * derivations (see tex.h for what it reads).
 *
 *   statements := ( chain | '&' | '\\' | \begin{layout} statements \end{layout} )*
 *   chain      := expr ( '=' expr )*      ('&' before '=' is alignment)
 *   expr       := ['+'|'-'] term ( ('+'|'-') term )*
 *   term       := factor ( [op] factor )*  (no op: juxtaposition)
 *   factor     := \sum sub? term | primary postfix*
 *   primary    := NUM | WORD | WORD '(' args ')' | greek | '(' expr ')' | '{' expr '}'
 *               | \frac{..}{..} | \partial factor | \begin{bmatrix} .. \end{bmatrix}
 *   postfix    := '_' arg | '^' arg | "'"
 */
#include "tex/tex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

typedef enum tok_kind {
	K_EOF,
	K_NUM,
	K_WORD, /* letters, then digits: x, net, conv2, rot180, k11 */
	K_CMD,  /* \name, or \ and one character: \, \\ \{ */
	K_CHAR, /* one ASCII character: + - * / = ( ) [ ] { } , ' & _ ^ | */
} tok_kind;

typedef struct token {
	tok_kind kind;
	const char *start; /* for K_CMD, past the backslash */
	size_t len;
	size_t offset; /* of the token's first byte in the source */
	size_t end;    /* past its last byte */
	int line, column;
} token;

typedef struct reader {
	const char *src;
	size_t len, pos;
	int line, column;
	token tok;    /* the current token */
	size_t prev_end; /* end of the token before it */
	size_t nodes;
	int depth;
	dv_diag err; /* the first syntax error of the current chain */
	int nomem;
	int sum_sub;          /* reading a \sum's subscript: m=0 allowed */
	struct tex_node *sum_lower; /* its lower bound, once read */
	size_t chains_cap;    /* room in the block's chains (grown by half) */
} reader;

/* ---- characters ---------------------------------------------------------- */

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Unicode the notes may type instead of LaTeX, as the command it stands for. */
static const struct {
	const char *utf8, *as;
} unicode_math[] = {
        {"\xe2\x88\x98", "\\circ"},  /* ∘ */
        {"\xe2\x8a\x99", "\\odot"},  /* ⊙ */
        {"\xc2\xb7", "\\cdot"},      /* · */
        {"\xe2\x8b\x85", "\\cdot"},  /* ⋅ */
        {"\xc3\x97", "\\times"},     /* × */
        {"\xe2\x88\x97", "*"},       /* ∗ */
        {"\xe2\x88\x92", "-"},       /* − */
        {"\xe2\x80\xb2", "'"},       /* ′ */
        {"\xe2\x88\x82", "\\partial"}, /* ∂ */
        {"\xce\xb4", "\\delta"},     /* δ */
        {"\xce\xb2", "\\beta"},      /* β */
        {"\xce\xa3", "\\sum"},       /* Σ */
        {"\xe2\x88\x91", "\\sum"},   /* ∑ */
        {"\xe2\x88\x87", "\\nabla"}, /* ∇ */
        {"\xe2\x8a\x97", "\\otimes"}, /* ⊗ */
        {"\xe2\x8b\x86", "\\star"},  /* ⋆ */
};

static void advance(reader *r, size_t n)
{
	for (size_t i = 0; i < n && r->pos < r->len; i++) {
		unsigned char c = (unsigned char)r->src[r->pos++];
		if (c == '\n') {
			r->line++;
			r->column = 1;
		} else if ((c & 0xC0) != 0x80) {
			r->column++;
		}
	}
}

/* The length of the UTF-8 character at p (1 for a stray byte). */
static size_t utf8_len(const char *p, size_t left)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (n > left)
		return 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/*
 * The next token.  White space, LaTeX comments and text that is not math
 * (any other non-ASCII character: 卷积层, fullwidth parentheses) are
 * skipped; the Unicode symbols above become the tokens they stand for.
 */
static void lex(reader *r)
{
	r->prev_end = r->tok.end;
	for (;;) {
		const char *p = r->src + r->pos;
		size_t left = r->len - r->pos;
		size_t k;
		if (left == 0) {
			r->tok = (token){K_EOF, p, 0, r->pos, r->pos, r->line, r->column};
			return;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '~') {
			advance(r, 1);
			continue;
		}
		if (*p == '%') { /* a comment, to the end of the line */
			while (r->pos < r->len && r->src[r->pos] != '\n')
				advance(r, 1);
			continue;
		}
		r->tok.offset = r->pos;
		r->tok.line = r->line;
		r->tok.column = r->column;
		if ((unsigned char)*p >= 0x80) {
			for (k = 0; k < sizeof unicode_math / sizeof unicode_math[0]; k++) {
				size_t n = strlen(unicode_math[k].utf8);
				if (n <= left && memcmp(p, unicode_math[k].utf8, n) == 0)
					break;
			}
			if (k < sizeof unicode_math / sizeof unicode_math[0]) {
				const char *as = unicode_math[k].as;
				r->tok.kind = as[0] == '\\' ? K_CMD : K_CHAR;
				r->tok.start = as[0] == '\\' ? as + 1 : as;
				r->tok.len = strlen(r->tok.start);
				advance(r, strlen(unicode_math[k].utf8));
				r->tok.end = r->pos;
				return;
			}
			advance(r, utf8_len(p, left)); /* an annotation */
			continue;
		}
		if (*p == '\\') {
			size_t n = 1;
			if (left >= 2 && is_alpha(p[1]))
				while (n < left && is_alpha(p[n]))
					n++;
			else if (left >= 2)
				n = 2;
			r->tok.kind = K_CMD;
			r->tok.start = p + 1;
			r->tok.len = n - 1;
			advance(r, n);
			r->tok.end = r->pos;
			return;
		}
		if (is_digit(*p) || (*p == '.' && left > 1 && is_digit(p[1]))) {
			size_t n = 0;
			while (n < left && (is_digit(p[n]) || p[n] == '.'))
				n++;
			r->tok.kind = K_NUM;
			r->tok.start = p;
			r->tok.len = n;
			advance(r, n);
			r->tok.end = r->pos;
			return;
		}
		if (is_alpha(*p)) {
			size_t n = 0;
			while (n < left && is_alpha(p[n]))
				n++;
			while (n < left && is_digit(p[n]))
				n++;
			r->tok.kind = K_WORD;
			r->tok.start = p;
			r->tok.len = n;
			advance(r, n);
			r->tok.end = r->pos;
			return;
		}
		r->tok.kind = K_CHAR;
		r->tok.start = p;
		r->tok.len = 1;
		advance(r, 1);
		r->tok.end = r->pos;
		return;
	}
}

static int is_char(const reader *r, char c)
{
	return r->tok.kind == K_CHAR && r->tok.start[0] == c;
}

static int is_cmd(const reader *r, const char *name)
{
	return r->tok.kind == K_CMD && r->tok.len == strlen(name) &&
	       memcmp(r->tok.start, name, r->tok.len) == 0;
}

static void describe(const reader *r, char *buf, size_t size)
{
	switch (r->tok.kind) {
	case K_EOF:
		snprintf(buf, size, "the end of the formula");
		break;
	case K_CMD:
		snprintf(buf, size, "'\\%.*s'", (int)(r->tok.len > 40 ? 40 : r->tok.len),
		         r->tok.start);
		break;
	default:
		snprintf(buf, size, "'%.*s'", (int)(r->tok.len > 40 ? 40 : r->tok.len),
		         r->tok.start);
		break;
	}
}

/* A syntax error at the current token: "expected X, found Y". */
static int expected(reader *r, const char *what)
{
	char found[64];
	if (r->err.code != DV_OK)
		return -1;
	describe(r, found, sizeof found);
	dv_fail_at(&r->err, DV_E_SYNTAX, r->tok.line, r->tok.column,
	           "expected %s, found %s", what, found);
	return -1;
}

/* ---- nodes --------------------------------------------------------------- */

void tex_node_free(tex_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		tex_node_free(n->kids[i]);
	free(n->kids);
	tex_node_free(n->sub);
	tex_node_free(n->sup);
	free(n->text);
	free(n);
}

static tex_node *node_new(reader *r, tex_kind kind, int line, int column)
{
	tex_node *n;
	if (r->nodes >= TEX_MAX_NODES) {
		if (r->err.code == DV_OK)
			dv_fail_at(&r->err, DV_E_LIMIT, line, column,
			           "the formula has more than %d parts; verify reads "
			           "formulas up to that size",
			           TEX_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (n == NULL) {
		r->nomem = 1;
		return NULL;
	}
	r->nodes++;
	n->kind = kind;
	n->line = line;
	n->column = column;
	return n;
}

static int set_text(reader *r, tex_node *n, const char *s, size_t len)
{
	n->text = malloc(len + 1);
	if (n->text == NULL) {
		r->nomem = 1;
		return -1;
	}
	memcpy(n->text, s, len);
	n->text[len] = '\0';
	return 0;
}

static int add_kid(reader *r, tex_node *n, tex_node *kid)
{
	tex_node **k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
	if (k == NULL) {
		r->nomem = 1;
		tex_node_free(kid);
		return -1;
	}
	n->kids = k;
	n->kids[n->nkids++] = kid;
	return 0;
}

/* A node of kind with kids a and b (either may be NULL); frees them on failure. */
static tex_node *node_of(reader *r, tex_kind kind, int line, int column, tex_node *a,
                         tex_node *b)
{
	tex_node *n = node_new(r, kind, line, column);
	if (n == NULL) {
		tex_node_free(a);
		tex_node_free(b);
		return NULL;
	}
	if (a != NULL && add_kid(r, n, a) != 0) {
		tex_node_free(b);
		tex_node_free(n);
		return NULL;
	}
	if (b != NULL && add_kid(r, n, b) != 0) {
		tex_node_free(n);
		return NULL;
	}
	return n;
}

static int enter(reader *r)
{
	if (r->depth >= TEX_MAX_NESTING) {
		if (r->err.code == DV_OK)
			dv_fail_at(&r->err, DV_E_LIMIT, r->tok.line, r->tok.column,
			           "the formula nests deeper than verify reads (%d levels of "
			           "parentheses, braces, fractions and operators)",
			           TEX_MAX_NESTING);
		return -1;
	}
	r->depth++;
	return 0;
}

/* ---- expressions --------------------------------------------------------- */

static tex_node *parse_expr(reader *r);
static tex_node *parse_term(reader *r);
static tex_node *parse_factor(reader *r);

/* Commands that take no part in the meaning: spacing and sizes. */
static int is_ignored_cmd(const reader *r)
{
	if (r->tok.kind != K_CMD)
		return 0;
	static const char *const names[] = {
	        ",",        ";",       "!",        ":",      " ",      "quad",  "qquad",
	        "displaystyle", "textstyle", "limits", "nolimits", "big", "Big",  "bigg",
	        "Bigg",     "bigl",    "bigr",     "Bigl",   "Bigr",   "nonumber", "notag",
	        "middle",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (is_cmd(r, names[i]))
			return 1;
	return 0;
}

static int raw_group(reader *r, const char **s, size_t *n);

/* Spacing and sizes, and \tag{..}, \tag*{..}, \label{..}: the numbering
 * of a formula is no part of it. */
static void skip_ignored(reader *r)
{
	for (;;) {
		const char *s;
		size_t n;
		if (r->tok.kind != K_CMD)
			return;
		if (is_ignored_cmd(r)) {
			lex(r);
			continue;
		}
		if (!is_cmd(r, "tag") && !is_cmd(r, "label"))
			return;
		lex(r);
		if (is_char(r, '*'))
			lex(r);
		if (!is_char(r, '{') || raw_group(r, &s, &n) != 0)
			return;
	}
}

/* The argument {...} of a command such as \text, as raw text; *s, *n. */
static int raw_group(reader *r, const char **s, size_t *n)
{
	size_t depth = 0, start;
	if (!is_char(r, '{'))
		return expected(r, "'{'");
	start = r->tok.end;
	for (;;) {
		lex(r);
		if (r->tok.kind == K_EOF)
			return expected(r, "'}'");
		if (is_char(r, '{'))
			depth++;
		else if (is_char(r, '}') && depth-- == 0)
			break;
	}
	*s = r->src + start;
	*n = r->tok.offset - start;
	lex(r);
	return 0;
}

/* The environment name of \begin{...} or \end{...}: the token after it. */
static int env_name(reader *r, char *name, size_t size)
{
	const char *s;
	size_t n;
	lex(r); /* past \begin or \end */
	if (raw_group(r, &s, &n) != 0)
		return -1;
	while (n > 0 && (*s == ' '))
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

static int is_matrix_env(const char *name)
{
	return strcmp(name, "bmatrix") == 0 || strcmp(name, "pmatrix") == 0 ||
	       strcmp(name, "matrix") == 0 || strcmp(name, "Bmatrix") == 0 ||
	       strcmp(name, "vmatrix") == 0 || strcmp(name, "smallmatrix") == 0 ||
	       strcmp(name, "array") == 0;
}

/* At \end: checks that it ends `name`, and moves past it. */
static int end_env(reader *r, const char *name)
{
	char got[32];
	int line = r->tok.line, column = r->tok.column;
	if (!is_cmd(r, "end"))
		return expected(r, "\\end");
	if (env_name(r, got, sizeof got) != 0)
		return -1;
	if (strcmp(got, name) != 0) {
		if (r->err.code == DV_OK)
			dv_fail_at(&r->err, DV_E_SYNTAX, line, column,
			           "expected \\end{%s}, found \\end{%s}", name, got);
		return -1;
	}
	return 0;
}

/* Whether the current token ends an entry, a row or the formula. */
static int ends_part(const reader *r)
{
	return r->tok.kind == K_EOF || is_cmd(r, "\\") || is_cmd(r, "end") ||
	       is_char(r, '&') || is_cmd(r, "right");
}

/* A row of in_row entries ends: every row as long as the first. */
static int end_row(reader *r, tex_node *m, size_t in_row)
{
	if (m->cols == 0) {
		m->cols = in_row;
	} else if (in_row != m->cols) {
		dv_fail_at(&r->err, DV_E_SHAPE, r->tok.line, r->tok.column,
		           "a row of this matrix has %zu entries, the first %zu", in_row,
		           m->cols);
		return -1;
	}
	m->rows++;
	return 0;
}

/* \begin{bmatrix} a & b \\ c & d \end{bmatrix}, the \begin read. */
static tex_node *parse_matrix(reader *r, const char *env, int line, int column)
{
	tex_node *m = node_new(r, TX_MATRIX, line, column);
	size_t in_row = 0;
	if (m == NULL)
		return NULL;
	if (strcmp(env, "array") == 0 && is_char(r, '{')) { /* the column spec */
		const char *s;
		size_t n;
		if (raw_group(r, &s, &n) != 0)
			goto fail;
	}
	for (;;) {
		tex_node *e;
		skip_ignored(r);
		if (is_cmd(r, "end") || r->tok.kind == K_EOF)
			break;
		if (is_cmd(r, "\\")) {
			lex(r);
			skip_ignored(r);
			if (is_cmd(r, "end") || r->tok.kind == K_EOF)
				break; /* a trailing \\ */
			goto row_end;
		}
		if (is_char(r, '&') || is_char(r, ',')) {
			lex(r);
			continue;
		}
		if ((e = parse_expr(r)) == NULL)
			goto fail;
		if (add_kid(r, m, e) != 0)
			goto fail;
		in_row++;
		if (is_char(r, '&') || is_char(r, ',') || is_cmd(r, "\\") ||
		    is_cmd(r, "end"))
			continue;
		expected(r, "'&', '\\\\' or \\end in a matrix");
		goto fail;
	row_end:
		if (end_row(r, m, in_row) != 0)
			goto fail;
		in_row = 0;
	}
	if (in_row > 0 && end_row(r, m, in_row) != 0)
		goto fail;
	if (end_env(r, env) != 0)
		goto fail;
	if (m->rows == 0) {
		dv_fail_at(&r->err, DV_E_SYNTAX, line, column, "an empty matrix");
		goto fail;
	}
	return m;
fail:
	tex_node_free(m);
	return NULL;
}

/* A subscript or superscript: {list} or one character or command. */
static tex_node *parse_script(reader *r)
{
	tex_node *n = NULL, *list = NULL, *lower = NULL;
	int line = r->tok.line, column = r->tok.column;
	/* this script is a \sum's: only its own items may have a bound (a
	 * script inside it is another's) */
	int for_sum = r->sum_sub;
	r->sum_sub = 0;
	r->sum_lower = NULL;
	if (is_char(r, '{')) {
		lex(r);
		if (enter(r) != 0)
			return NULL;
		for (;;) {
			tex_node *item;
			skip_ignored(r);
			if ((item = parse_expr(r)) == NULL)
				goto fail;
			if (for_sum && lower == NULL && list == NULL && is_char(r, '=')) {
				/* \sum_{m=0}: the index, and where it starts */
				lex(r);
				if ((lower = parse_expr(r)) == NULL) {
					tex_node_free(item);
					goto fail;
				}
			}
			if (is_cmd(r, "in")) {
				tex_node *set;
				lex(r);
				if ((set = parse_expr(r)) == NULL) {
					tex_node_free(item);
					goto fail;
				}
				if ((item = node_of(r, TX_IN, item->line, item->column, item,
				                    set)) == NULL)
					goto fail;
			}
			if (list == NULL && !is_char(r, ',')) {
				n = item;
				break;
			}
			if (list == NULL &&
			    (list = node_new(r, TX_LIST, line, column)) == NULL) {
				tex_node_free(item);
				goto fail;
			}
			if (add_kid(r, list, item) != 0)
				goto fail;
			if (!is_char(r, ','))
				break;
			lex(r);
		}
		if (!is_char(r, '}')) {
			expected(r, "'}'");
			goto fail;
		}
		lex(r);
		r->depth--;
		r->sum_lower = lower; /* the sum takes it */
		return list != NULL ? list : n;
	}
	/* one token: x_1, x^l, \delta_j; a number is one digit, as in TeX */
	if (r->tok.kind == K_NUM || r->tok.kind == K_WORD) {
		size_t len = 1;
		tex_node *t = node_new(r, r->tok.kind == K_NUM ? TX_NUM : TX_SYM, line, column);
		if (t == NULL || set_text(r, t, r->tok.start, len) != 0) {
			tex_node_free(t);
			return NULL;
		}
		if (r->tok.len > 1) { /* x_11: the rest follows as its own token */
			r->tok.start++;
			r->tok.len--;
			r->tok.offset++;
			r->tok.column++;
			r->tok.kind = is_digit(r->tok.start[0]) ? K_NUM : K_WORD;
			if (r->tok.kind == K_WORD && !is_alpha(r->tok.start[0]))
				r->tok.kind = K_NUM;
		} else {
			lex(r);
		}
		return t;
	}
	if (r->tok.kind == K_CMD)
		return parse_factor(r);
	expected(r, "a subscript or superscript");
	return NULL;
fail:
	tex_node_free(n);
	tex_node_free(list);
	tex_node_free(lower);
	r->depth--;
	return NULL;
}

/* A subscript that is a word, not indices: prev, next, in, out, max, ... */
static int word_script(const tex_node *s)
{
	size_t n;
	if (s->kind != TX_SYM || s->sub != NULL || s->sup != NULL || s->primes != 0)
		return 0;
	n = strlen(s->text);
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(s->text[i]))
			return 0;
	return n >= 3 || strcmp(s->text, "in") == 0;
}

static tex_node *postfix(reader *r, tex_node *n)
{
	while (n != NULL) {
		skip_ignored(r);
		if (is_char(r, '_') || is_char(r, '^')) {
			int sub = is_char(r, '_');
			tex_node *s;
			lex(r);
			if (!sub && is_cmd(r, "prime")) { /* f^\prime */
				n->primes++;
				lex(r);
				continue;
			}
			if (!sub && is_char(r, '{')) { /* f^{\prime\prime} */
				reader saved = *r;
				int k = 0;
				lex(r);
				while (is_cmd(r, "prime") || is_char(r, '\'')) {
					k++;
					lex(r);
				}
				if (k > 0 && is_char(r, '}')) {
					lex(r);
					n->primes += k;
					continue;
				}
				*r = saved;
			}
			if ((s = parse_script(r)) == NULL) {
				tex_node_free(n);
				return NULL;
			}
			if (sub && n->sub == NULL && n->kind == TX_SYM && word_script(s)) {
				/* A_{prev}, x_{in}: a word is part of the name, A_prev */
				size_t a = strlen(n->text), w = strlen(s->text);
				char *t = malloc(a + w + 2);
				if (t == NULL) {
					r->nomem = 1;
					tex_node_free(s);
					tex_node_free(n);
					return NULL;
				}
				memcpy(t, n->text, a);
				t[a] = '_';
				memcpy(t + a + 1, s->text, w + 1);
				free(n->text);
				n->text = t;
				tex_node_free(s);
			} else if (sub && n->sub == NULL) {
				n->sub = s;
			} else if (!sub && n->sup == NULL) {
				n->sup = s;
			} else {
				/* x_1_2 or a second superscript: TeX's "double subscript" */
				dv_fail_at(&r->err, DV_E_SYNTAX, s->line, s->column,
				           "a second %s on the same symbol",
				           sub ? "subscript" : "superscript");
				tex_node_free(s);
				tex_node_free(n);
				return NULL;
			}
		} else if (is_char(r, '\'')) {
			n->primes++;
			lex(r);
		} else {
			return n;
		}
	}
	return n;
}

static tex_node *parse_expr(reader *r);

/*
 * \mathbb{1}[Z > 0], \mathbb{1}(Z > 0), \mathbf{1}_{Z > 0}: the indicator of
 * positive entries, ReLU's derivative away from 0: a call drelu(Z).  n is
 * the symbol "1", freed here.
 */
static tex_node *indicator(reader *r, tex_node *n)
{
	char close = is_char(r, '[') ? ']' : is_char(r, '(') ? ')' : '}';
	tex_node *arg;
	if (is_char(r, '_')) {
		lex(r);
		if (!is_char(r, '{')) {
			tex_node_free(n);
			return (void)expected(r, "'{' after \\mathbb{1}_"), NULL;
		}
	}
	lex(r);
	if ((arg = parse_expr(r)) == NULL) {
		tex_node_free(n);
		return NULL;
	}
	if (!is_char(r, '>')) {
		tex_node_free(arg);
		tex_node_free(n);
		return (void)expected(r, "'>' in the indicator"), NULL;
	}
	lex(r);
	if (r->tok.kind != K_NUM || r->tok.len != 1 || r->tok.start[0] != '0') {
		tex_node_free(arg);
		tex_node_free(n);
		return (void)expected(r, "0 in the indicator"), NULL;
	}
	lex(r);
	if (is_cmd(r, "right"))
		lex(r);
	if (!is_char(r, close)) {
		char what[16];
		snprintf(what, sizeof what, "'%c'", close);
		tex_node_free(arg);
		tex_node_free(n);
		return (void)expected(r, what), NULL;
	}
	lex(r);
	free(n->text);
	n->text = NULL;
	n->kind = TX_CALL;
	if (set_text(r, n, "drelu", 5) != 0 || add_kid(r, n, arg) != 0) {
		tex_node_free(n);
		return NULL;
	}
	return n;
}

/* Words that are functions of the notes when a '(' follows them. */
static int is_function_word(const char *s, size_t n)
{
	static const char *const names[] = {
	        "f",      "up",     "down",    "conv",  "conv2",   "xcorr",     "rot180",
	        "sum",    "sigmoid", "tanh",   "relu",  "pad",     "fliplr",    "flipud",
	        "kron",   "transpose", "filter2", "corr", "correlate", "rot", "g",
	        "crop",   "dilate", "unpool",  "exp",   "log",    "ReLU",      "drelu",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return 1;
	return 0;
}

static int is_option_word(const char *s, size_t n)
{
	return (n == 4 && memcmp(s, "full", 4) == 0) ||
	       (n == 5 && memcmp(s, "valid", 5) == 0) ||
	       (n == 4 && memcmp(s, "same", 4) == 0);
}

/* Whether the token after the current one is '_'. */
static int followed_by_sub(const reader *r)
{
	reader look = *r;
	lex(&look);
	return is_char(&look, '_');
}

/* At \left: whether a '(' follows. */
static int next_is_paren(const reader *r)
{
	reader look = *r;
	lex(&look);
	return is_char(&look, '(');
}

/* At '(' or '[': whether a ',' stands inside it at its own level, before it
 * closes (I(i, j), not x(a + b)). */
static int top_level_comma(const reader *r)
{
	int depth = 0;
	for (size_t i = r->tok.offset; i < r->len; i++) {
		char c = r->src[i];
		if (c == '\\' && i + 1 < r->len) { /* \{ \, and the like */
			i++;
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && --depth == 0)
			return 0;
		else if (c == ',' && depth == 1)
			return 1;
		else if (c == '=' || c == '&')
			return 0;
	}
	return 0;
}

/* name ( args ) or name [ args ], at the '(' or '[' */
static tex_node *parse_call(reader *r, tex_node *call)
{
	char close = is_char(r, '[') ? ']' : ')';
	lex(r); /* ( */
	if (enter(r) != 0)
		goto fail;
	skip_ignored(r);
	if (!is_char(r, close)) {
		for (;;) {
			tex_node *arg;
			skip_ignored(r);
			if (is_char(r, '\'') || is_char(r, '"')) { /* 'full' */
				char q = r->tok.start[0];
				lex(r);
				if (r->tok.kind != K_WORD || !is_option_word(r->tok.start, r->tok.len)) {
					expected(r, "'full', 'valid' or 'same'");
					goto fail_depth;
				}
				if ((arg = node_new(r, TX_STR, r->tok.line, r->tok.column)) == NULL ||
				    set_text(r, arg, r->tok.start, r->tok.len) != 0) {
					tex_node_free(arg);
					goto fail_depth;
				}
				lex(r);
				if (!is_char(r, q)) {
					tex_node_free(arg);
					expected(r, "the closing quote");
					goto fail_depth;
				}
				lex(r);
			} else if ((r->tok.kind == K_WORD &&
			            is_option_word(r->tok.start, r->tok.len))) {
				if ((arg = node_new(r, TX_STR, r->tok.line, r->tok.column)) == NULL ||
				    set_text(r, arg, r->tok.start, r->tok.len) != 0) {
					tex_node_free(arg);
					goto fail_depth;
				}
				lex(r);
			} else if ((arg = parse_expr(r)) == NULL) {
				goto fail_depth;
			}
			if (add_kid(r, call, arg) != 0)
				goto fail_depth;
			skip_ignored(r);
			if (is_char(r, ',')) {
				lex(r);
				continue;
			}
			break;
		}
	}
	if (is_cmd(r, "right"))
		lex(r);
	if (!is_char(r, close)) {
		expected(r, close == ')' ? "',' or ')' in the call" : "',' or ']'");
		goto fail_depth;
	}
	lex(r);
	r->depth--;
	return call;
fail_depth:
	r->depth--;
fail:
	tex_node_free(call);
	return NULL;
}

static const char *const greek[] = {
        "alpha", "beta",  "gamma", "delta",   "epsilon", "varepsilon", "zeta", "eta",
        "theta", "kappa", "lambda", "mu",     "nu",      "xi",         "pi",   "rho",
        "sigma", "tau",   "phi",   "varphi",  "chi",     "psi",        "omega", "Delta",
        "Gamma", "Theta", "Lambda", "Sigma",  "Phi",     "Psi",        "Omega", "ell",
        "nabla",
};

static int is_greek(const reader *r)
{
	for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
		if (is_cmd(r, greek[i]))
			return 1;
	return 0;
}

/* ( expr ) with any closing delimiter that \left ... \right pairs allow */
static tex_node *parse_group(reader *r, char close, int line, int column)
{
	tex_node *inner, *g;
	lex(r);
	if (enter(r) != 0)
		return NULL;
	skip_ignored(r);
	if ((inner = parse_expr(r)) == NULL) {
		r->depth--;
		return NULL;
	}
	skip_ignored(r);
	if (is_cmd(r, "right")) {
		lex(r);
		if (r->tok.kind == K_CHAR || r->tok.kind == K_CMD)
			lex(r); /* \right) \right] \right. */
	} else if (is_char(r, close)) {
		lex(r);
	} else if (close == ')' && is_char(r, '}')) {
		/* \partial ( (K)_{r,s} }: to TeX a parenthesis is a character, so
		 * the notes leave one open; the brace around it closes it */
	} else {
		char what[16];
		snprintf(what, sizeof what, "'%c'", close);
		tex_node_free(inner);
		expected(r, what);
		r->depth--;
		return NULL;
	}
	r->depth--;
	if ((g = node_of(r, TX_GROUP, line, column, inner, NULL)) == NULL)
		return NULL;
	g->op = close == '}' ? TX_JUXT : TX_STAR; /* unused: braces vs parentheses */
	return g;
}

/* \left\{ ... \right. : a definition by cases, skipped to its end. */
static tex_node *skip_cases(reader *r, int line, int column)
{
	int depth = 0;
	lex(r);
	for (;;) {
		if (r->tok.kind == K_EOF) {
			expected(r, "\\right. after the cases");
			return NULL;
		}
		if (is_cmd(r, "left")) {
			depth++;
		} else if (is_cmd(r, "right")) {
			if (depth-- == 0) {
				lex(r);
				if (r->tok.kind == K_CHAR || r->tok.kind == K_CMD)
					lex(r);
				break;
			}
		}
		lex(r);
	}
	return node_new(r, TX_CASES, line, column);
}

static tex_node *parse_primary(reader *r)
{
	int line = r->tok.line, column = r->tok.column;
	tex_node *n;

	skip_ignored(r);
	line = r->tok.line;
	column = r->tok.column;
	if (r->tok.kind == K_NUM) {
		if ((n = node_new(r, TX_NUM, line, column)) == NULL ||
		    set_text(r, n, r->tok.start, r->tok.len) != 0) {
			tex_node_free(n);
			return NULL;
		}
		lex(r);
		return n;
	}
	if (r->tok.kind == K_WORD) {
		const char *s = r->tok.start;
		size_t len = r->tok.len;
		if ((n = node_new(r, TX_SYM, line, column)) == NULL || set_text(r, n, s, len) != 0) {
			tex_node_free(n);
			return NULL;
		}
		lex(r);
		if (is_function_word(s, len)) {
			while (is_char(r, '\'')) { /* f'( */
				n->primes++;
				lex(r);
			}
			if (is_char(r, '(') || is_cmd(r, "left")) {
				if (is_cmd(r, "left"))
					lex(r);
				n->kind = TX_CALL;
				return parse_call(r, n);
			}
		}
		return n;
	}
	if (is_char(r, '(') || is_char(r, '[') || is_char(r, '{'))
		return parse_group(r, is_char(r, '(') ? ')' : is_char(r, '[') ? ']' : '}',
		                   line, column);
	if (r->tok.kind == K_CMD) {
		if (is_cmd(r, "left")) {
			lex(r);
			if (is_cmd(r, "{"))
				return skip_cases(r, line, column);
			if (is_char(r, '(') || is_char(r, '['))
				return parse_group(r, is_char(r, '(') ? ')' : ']', line, column);
			if (is_cmd(r, "lbrace"))
				return skip_cases(r, line, column);
			return (void)expected(r, "'(' or '[' after \\left"), NULL;
		}
		if (is_cmd(r, "{")) {
			/* \{0, 1\}: a set, to its \}; else a definition by cases */
			reader look = *r;
			int depth = 0;
			for (lex(&look); look.tok.kind != K_EOF; lex(&look)) {
				if (is_cmd(&look, "{"))
					depth++;
				else if (is_cmd(&look, "}") && depth-- == 0)
					break;
			}
			if (look.tok.kind == K_EOF)
				return skip_cases(r, line, column);
			*r = look;
			lex(r);
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, "set", 3) != 0) {
				tex_node_free(n);
				return NULL;
			}
			return n;
		}
		if (is_greek(r)) {
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, r->tok.start, r->tok.len) != 0) {
				tex_node_free(n);
				return NULL;
			}
			lex(r);
			return n;
		}
		if (is_cmd(r, "frac") || is_cmd(r, "dfrac") || is_cmd(r, "tfrac")) {
			tex_node *a, *b;
			lex(r);
			if (enter(r) != 0)
				return NULL;
			if (!is_char(r, '{'))
				return r->depth--, (void)expected(r, "'{' after \\frac"), NULL;
			if ((a = parse_group(r, '}', r->tok.line, r->tok.column)) == NULL)
				return r->depth--, NULL;
			skip_ignored(r);
			if (!is_char(r, '{')) {
				tex_node_free(a);
				r->depth--;
				return (void)expected(r, "'{' for the denominator of \\frac"), NULL;
			}
			if ((b = parse_group(r, '}', r->tok.line, r->tok.column)) == NULL) {
				tex_node_free(a);
				r->depth--;
				return NULL;
			}
			r->depth--;
			return node_of(r, TX_FRAC, line, column, a, b);
		}
		if (is_cmd(r, "partial")) {
			tex_node *a;
			lex(r);
			if ((a = parse_factor(r)) == NULL)
				return NULL;
			return node_of(r, TX_PARTIAL, line, column, a, NULL);
		}
		if (is_cmd(r, "top") || is_cmd(r, "intercal") || is_cmd(r, "mathsf")) {
			/* a transpose: ^\top, ^{\mathsf T} */
			int sf = is_cmd(r, "mathsf");
			const char *s;
			size_t len;
			lex(r);
			if (sf && is_char(r, '{')) {
				if (raw_group(r, &s, &len) != 0)
					return NULL;
			} else if (sf && r->tok.kind == K_WORD) {
				s = r->tok.start;
				len = r->tok.len;
				lex(r);
			} else {
				s = "T";
				len = 1;
			}
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, s, len) != 0) {
				tex_node_free(n);
				return NULL;
			}
			return n;
		}
		if (is_cmd(r, "cdots") || is_cmd(r, "ldots") || is_cmd(r, "vdots") ||
		    is_cmd(r, "ddots") || is_cmd(r, "dots")) {
			/* a matrix written with dots: a pattern, not its entries */
			lex(r);
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, "dots", 4) != 0) {
				tex_node_free(n);
				return NULL;
			}
			return n;
		}
		if (is_cmd(r, "max") || is_cmd(r, "min") || is_cmd(r, "exp") || is_cmd(r, "log") ||
		    is_cmd(r, "ln") || is_cmd(r, "tanh")) {
			/* \max(0, x): a call when arguments follow */
			int ln = is_cmd(r, "ln");
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, ln ? "log" : r->tok.start, ln ? 3 : r->tok.len) != 0) {
				tex_node_free(n);
				return NULL;
			}
			lex(r);
			if (is_cmd(r, "left") && next_is_paren(r))
				lex(r);
			if (is_char(r, '(')) {
				n->kind = TX_CALL;
				return parse_call(r, n);
			}
			return n;
		}
		if (is_cmd(r, "hat") || is_cmd(r, "widehat") || is_cmd(r, "tilde") ||
		    is_cmd(r, "widetilde") || is_cmd(r, "bar") || is_cmd(r, "overline")) {
			/* \hat{y}: a letter of its own, yhat */
			const char *accent = r->tok.start[0] == 'w' ? r->tok.start + 4
			                     : r->tok.start[0] == 'o' ? "bar"
			                                              : r->tok.start;
			size_t alen = r->tok.start[0] == 'w' ? r->tok.len - 4
			              : r->tok.start[0] == 'o' ? 3
			                                       : r->tok.len;
			tex_node *in;
			char name[64];
			lex(r);
			if ((in = parse_primary(r)) == NULL)
				return NULL;
			while (in->kind == TX_GROUP && in->nkids == 1 && in->sub == NULL &&
			       in->sup == NULL) {
				tex_node *k = in->kids[0];
				in->nkids = 0;
				tex_node_free(in);
				in = k;
			}
			if (in->kind != TX_SYM || in->sub != NULL || in->sup != NULL ||
			    strlen(in->text) + alen >= sizeof name) {
				dv_fail_at(&r->err, DV_E_SYNTAX, line, column,
				           "expected a letter under the accent");
				tex_node_free(in);
				return NULL;
			}
			snprintf(name, sizeof name, "%s%.*s", in->text, (int)alen, accent);
			free(in->text);
			in->text = NULL;
			if (set_text(r, in, name, strlen(name)) != 0) {
				tex_node_free(in);
				return NULL;
			}
			in->line = line;
			in->column = column;
			return in;
		}
		if (is_cmd(r, "mathrm") || is_cmd(r, "operatorname") || is_cmd(r, "mathit") ||
		    is_cmd(r, "mathbf") || is_cmd(r, "boldsymbol") || is_cmd(r, "bm") ||
		    is_cmd(r, "mathcal") || is_cmd(r, "mathscr") || is_cmd(r, "mathbb") ||
		    is_cmd(r, "mathnormal") || is_cmd(r, "pmb") ||
		    is_cmd(r, "text") || is_cmd(r, "textrm") || is_cmd(r, "mbox")) {
			int text = is_cmd(r, "text") || is_cmd(r, "textrm") || is_cmd(r, "mbox");
			const char *s;
			size_t len;
			lex(r);
			if (!is_char(r, '{')) /* \mathbf X */
				return parse_primary(r);
			if (!text) {
				/* \boldsymbol{\delta}: the symbol inside, as written */
				reader look = *r;
				lex(&look);
				if (look.tok.kind == K_CMD) {
					tex_node *g = parse_primary(r), *in;
					if (g == NULL || g->kind != TX_GROUP || g->nkids != 1)
						return g;
					in = g->kids[0];
					g->nkids = 0;
					tex_node_free(g);
					return in;
				}
			}
			if (raw_group(r, &s, &len) != 0)
				return NULL;
			while (len > 0 && *s == ' ')
				s++, len--;
			while (len > 0 && s[len - 1] == ' ')
				len--;
			if (text && len >= 2 && (s[0] == '\'' || s[0] == '"') && s[len - 1] == s[0]) {
				s++; /* \text{'valid'} */
				len -= 2;
			}
			if (text && is_option_word(s, len)) {
				if ((n = node_new(r, TX_STR, line, column)) == NULL ||
				    set_text(r, n, s, len) != 0) {
					tex_node_free(n);
					return NULL;
				}
				return n;
			}
			if (text) /* an annotation: nothing */
				return NULL;
			for (size_t i = 0; i < len; i++)
				if (!is_alpha(s[i]) && !is_digit(s[i])) {
					dv_fail_at(&r->err, DV_E_SYNTAX, line, column,
					           "expected a name inside \\mathrm{...}");
					return NULL;
				}
			if (len == 0) {
				dv_fail_at(&r->err, DV_E_SYNTAX, line, column,
				           "expected a name inside \\mathrm{...}");
				return NULL;
			}
			if ((n = node_new(r, TX_SYM, line, column)) == NULL ||
			    set_text(r, n, s, len) != 0) {
				tex_node_free(n);
				return NULL;
			}
			if (len == 1 && s[0] == '1' &&
			    (is_char(r, '[') || is_char(r, '(') || is_char(r, '_')))
				return indicator(r, n);
			if (is_function_word(s, len)) {
				while (is_char(r, '\'')) {
					n->primes++;
					lex(r);
				}
				if (is_cmd(r, "left") && next_is_paren(r))
					lex(r); /* \operatorname{conv2}\left( */
				if (is_char(r, '(')) {
					n->kind = TX_CALL;
					return parse_call(r, n);
				}
			}
			return n;
		}
		if (is_cmd(r, "begin")) {
			char env[32];
			if (env_name(r, env, sizeof env) != 0)
				return NULL;
			if (strcmp(env, "cases") == 0 || strcmp(env, "dcases") == 0) {
				/* a definition by cases: skipped to its end, not read */
				for (;;) {
					char e2[32];
					if (r->tok.kind == K_EOF)
						return (void)expected(r, "\\end{cases}"), NULL;
					if (is_cmd(r, "end")) {
						if (env_name(r, e2, sizeof e2) != 0)
							return NULL;
						if (strcmp(e2, env) == 0)
							break;
						continue;
					}
					lex(r);
				}
				return node_new(r, TX_CASES, line, column);
			}
			if (!is_matrix_env(env)) {
				dv_fail_at(&r->err, DV_E_SYNTAX, line, column,
				           "\\begin{%s} inside an expression (a matrix such as "
				           "bmatrix was expected)",
				           env);
				return NULL;
			}
			if (enter(r) != 0)
				return NULL;
			n = parse_matrix(r, env, line, column);
			r->depth--;
			return n;
		}
		{
			char what[64];
			snprintf(what, sizeof what, "unknown LaTeX command '\\%.*s'",
			         (int)(r->tok.len > 30 ? 30 : r->tok.len), r->tok.start);
			if (r->err.code == DV_OK)
				dv_fail_at(&r->err, DV_E_SYNTAX, line, column, "%s", what);
			return NULL;
		}
	}
	expected(r, "a symbol, a number or '('");
	return NULL;
}

static tex_node *parse_factor(reader *r)
{
	int line, column;
	tex_node *n;
	skip_ignored(r);
	line = r->tok.line;
	column = r->tok.column;
	if (enter(r) != 0)
		return NULL;
	if (is_cmd(r, "sum")) {
		tex_node *body, *lower = NULL, *s = node_new(r, TX_SUM, line, column);
		if (s == NULL)
			return r->depth--, NULL;
		lex(r);
		for (;;) { /* \sum_{u,v}^{n} */
			skip_ignored(r);
			if (is_char(r, '_') || is_char(r, '^')) {
				int sub = is_char(r, '_');
				tex_node *x;
				lex(r);
				r->sum_sub = sub && s->sub == NULL;
				r->sum_lower = NULL;
				x = parse_script(r);
				r->sum_sub = 0;
				if (x == NULL) {
					tex_node_free(r->sum_lower);
					r->sum_lower = NULL;
					tex_node_free(lower); /* taken from the subscript before */
					tex_node_free(s);
					return r->depth--, NULL;
				}
				if (sub && s->sub == NULL && r->sum_lower != NULL) {
					/* the body is kids[0]: the bound waits for it */
					lower = r->sum_lower;
					r->sum_lower = NULL;
				}
				if (sub && s->sub == NULL)
					s->sub = x;
				else if (!sub && s->sup == NULL)
					s->sup = x;
				else
					tex_node_free(x);
				continue;
			}
			break;
		}
		if ((body = parse_term(r)) == NULL) {
			tex_node_free(lower);
			tex_node_free(s);
			return r->depth--, NULL;
		}
		if (add_kid(r, s, body) != 0) {
			tex_node_free(lower);
			tex_node_free(s);
			return r->depth--, NULL;
		}
		if (lower != NULL && add_kid(r, s, lower) != 0) { /* add_kid freed it */
			tex_node_free(s);
			return r->depth--, NULL;
		}
		r->depth--;
		return s;
	}
	if ((is_cmd(r, "nabla") || is_cmd(r, "bigtriangledown")) && followed_by_sub(r)) {
		/* \nabla_W E: the gradient of E with respect to W, ∂E/∂W */
		tex_node *wrt, *of, *top, *bottom, *g;
		lex(r);
		lex(r); /* _ */
		if ((wrt = parse_script(r)) == NULL)
			return r->depth--, NULL;
		if ((of = parse_factor(r)) == NULL) {
			if (r->err.code == DV_OK && !r->nomem)
				expected(r, "what \\nabla_{...} is the gradient of");
			tex_node_free(wrt);
			return r->depth--, NULL;
		}
		top = node_of(r, TX_PARTIAL, of->line, of->column, of, NULL);
		bottom = node_of(r, TX_PARTIAL, wrt->line, wrt->column, wrt, NULL);
		if (top == NULL || bottom == NULL) {
			tex_node_free(top);
			tex_node_free(bottom);
			return r->depth--, NULL;
		}
		g = node_of(r, TX_FRAC, line, column, top, bottom);
		if (g != NULL && set_text(r, g, "nabla", 5) != 0) {
			tex_node_free(g);
			g = NULL;
		}
		r->depth--;
		return g;
	}
	n = parse_primary(r);
	if (n == NULL && r->err.code == DV_OK && !r->nomem) {
		/* an annotation (\text{...}) stands for nothing: the next factor */
		r->depth--;
		if (ends_part(r) || is_char(r, '=') || is_char(r, '+') || is_char(r, '-') ||
		    is_char(r, ')') || is_char(r, '}') || is_char(r, ','))
			return NULL;
		return parse_factor(r);
	}
	n = postfix(r, n);
	if (n != NULL && n->kind == TX_SYM && n->sub == NULL && n->sup == NULL &&
	    (is_char(r, '(') || (is_cmd(r, "left") && next_is_paren(r))) &&
	    (strcmp(n->text, "sigma") == 0 ||
	     (n->primes > 0 && is_function_word(n->text, strlen(n->text))))) {
		/* \sigma(z), \sigma'(z), f^{\prime}(z): the activation, applied */
		if (is_cmd(r, "left"))
			lex(r);
		n->kind = TX_CALL;
		n = parse_call(r, n);
	} else if (n != NULL && n->kind == TX_SYM && n->sub == NULL && n->primes == 0 &&
	           (is_char(r, '(') || is_char(r, '[')) && top_level_comma(r)) {
		/* I(i+m, j+n), X[i, j], J(W, b): indices, or a function's value */
		char open = r->tok.start[0];
		tex_node *args = node_new(r, TX_CALL, r->tok.line, r->tok.column);
		if (args == NULL) {
			tex_node_free(n);
			return r->depth--, NULL;
		}
		if ((args = parse_call(r, args)) == NULL) {
			tex_node_free(n);
			return r->depth--, NULL;
		}
		args->kind = TX_LIST;
		n->sub = args;
		n->applied = open;
		n = postfix(r, n);
	}
	r->depth--;
	return n;
}

/* Whether the current token can start a factor (for juxtaposition). */
static int starts_factor(const reader *r)
{
	if (r->tok.kind == K_NUM || r->tok.kind == K_WORD)
		return 1;
	if (is_char(r, '(') || is_char(r, '[') || is_char(r, '{'))
		return 1;
	if (r->tok.kind == K_CMD)
		return !is_cmd(r, "\\") && !is_cmd(r, "end") && !is_cmd(r, "right") &&
		       !is_cmd(r, "cdot") && !is_cmd(r, "circ") && !is_cmd(r, "odot") &&
		       !is_cmd(r, "times") && !is_cmd(r, "ast") && !is_cmd(r, "in") &&
		       !is_cmd(r, "otimes") && !is_cmd(r, "circledast") && !is_cmd(r, "star") &&
		       !is_cmd(r, "bigodot") && !is_cmd(r, "tag") && !is_cmd(r, "label") &&
		       !is_cmd(r, "}") && !is_cmd(r, "approx") && !is_cmd(r, "neq") &&
		       !is_cmd(r, "ne") && !is_cmd(r, "leq") && !is_cmd(r, "geq") &&
		       !is_cmd(r, "le") && !is_cmd(r, "ge") && !is_cmd(r, "equiv") &&
		       !is_cmd(r, "Rightarrow") && !is_cmd(r, "to");
	return 0;
}

static tex_node *parse_term(reader *r)
{
	tex_node *n = parse_factor(r);
	if (n == NULL)
		return NULL;
	for (;;) {
		tex_op op;
		int line, column;
		tex_node *b;
		skip_ignored(r);
		line = r->tok.line;
		column = r->tok.column;
		if (is_char(r, '*') || is_cmd(r, "ast")) {
			op = TX_STAR;
			lex(r);
		} else if (is_cmd(r, "cdot")) {
			op = TX_CDOT;
			lex(r);
		} else if (is_cmd(r, "circ") || is_cmd(r, "odot") || is_cmd(r, "bigodot")) {
			op = TX_CIRC;
			lex(r);
		} else if (is_cmd(r, "otimes") || is_cmd(r, "circledast")) {
			op = TX_STAR; /* a convolution, or a cross-correlation: the file says */
			lex(r);
		} else if (is_cmd(r, "star")) {
			op = TX_STARX;
			lex(r);
		} else if (is_cmd(r, "times")) {
			op = TX_TIMES;
			lex(r);
		} else if (is_char(r, '/')) {
			op = TX_SLASH;
			lex(r);
		} else if (starts_factor(r)) {
			op = TX_JUXT;
		} else {
			return n;
		}
		if ((b = parse_factor(r)) == NULL) {
			if (r->err.code == DV_OK && !r->nomem && op == TX_JUXT)
				return n; /* only an annotation followed */
			if (r->err.code == DV_OK && !r->nomem)
				expected(r, "an operand");
			tex_node_free(n);
			return NULL;
		}
		if ((n = node_of(r, TX_MUL, line, column, n, b)) == NULL)
			return NULL;
		n->op = op;
	}
}

static tex_node *parse_expr(reader *r)
{
	tex_node *n;
	int line, column;
	skip_ignored(r);
	line = r->tok.line;
	column = r->tok.column;
	if (enter(r) != 0)
		return NULL;
	if (is_char(r, '-') || is_char(r, '+')) {
		int neg = is_char(r, '-');
		lex(r);
		if ((n = parse_term(r)) == NULL)
			goto fail;
		if (neg && (n = node_of(r, TX_NEG, line, column, n, NULL)) == NULL)
			goto fail;
	} else if ((n = parse_term(r)) == NULL) {
		if (r->err.code == DV_OK && !r->nomem)
			expected(r, "an expression");
		goto fail;
	}
	for (;;) {
		tex_node *b;
		int plus;
		skip_ignored(r);
		if (!is_char(r, '+') && !is_char(r, '-'))
			break;
		plus = is_char(r, '+');
		line = r->tok.line;
		column = r->tok.column;
		lex(r);
		if ((b = parse_term(r)) == NULL) {
			if (r->err.code == DV_OK && !r->nomem)
				expected(r, "a term");
			tex_node_free(n);
			goto fail;
		}
		if ((n = node_of(r, plus ? TX_ADD : TX_SUB, line, column, n, b)) == NULL)
			goto fail;
	}
	r->depth--;
	return n;
fail:
	r->depth--;
	return NULL;
}

/* ---- statements ---------------------------------------------------------- */

static int is_layout_env(const char *name)
{
	static const char *const names[] = {
	        "aligned",  "align",   "align*", "alignat", "alignat*", "gathered",
	        "gather",   "gather*", "split",  "equation", "equation*", "eqnarray",
	        "eqnarray*", "matrix", "array",  "multline", "multline*", "flalign",
	        "flalign*",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int chain_new(reader *r, tex_block *b, int line, int column)
{
	tex_chain *c;
	if (b->nchains == r->chains_cap) {
		/* grown by half: a document of many short chains is read in
		 * linear time (a chain carries its diagnostics) */
		size_t cap = r->chains_cap < 4 ? 4 : r->chains_cap + r->chains_cap / 2;
		if ((c = realloc(b->chains, cap * sizeof *c)) == NULL) {
			r->nomem = 1;
			return -1;
		}
		b->chains = c;
		r->chains_cap = cap;
	}
	c = &b->chains[b->nchains++];
	memset(c, 0, sizeof *c);
	c->line = line;
	c->column = column;
	return 0;
}

/* The side's source text, white space collapsed to single spaces. */
static char *side_text(reader *r, size_t from, size_t to)
{
	char *s = malloc(to - from + 1);
	size_t n = 0;
	int space = 0;
	if (s == NULL) {
		r->nomem = 1;
		return NULL;
	}
	for (size_t i = from; i < to; i++) {
		char c = r->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (space)
			s[n++] = ' ';
		space = 0;
		s[n++] = c;
	}
	s[n] = '\0';
	return s;
}

static int side_add(reader *r, tex_chain *c, tex_node *tree, const token *at, size_t end)
{
	tex_side *s = realloc(c->sides, (c->nsides + 1) * sizeof *s);
	if (s == NULL) {
		r->nomem = 1;
		tex_node_free(tree);
		return -1;
	}
	c->sides = s;
	s = &c->sides[c->nsides++];
	s->tree = tree;
	s->line = at->line;
	s->column = at->column;
	s->latex = side_text(r, at->offset, end);
	return s->latex == NULL ? -1 : 0;
}

/* After a syntax error: on to the next row (\\), the next cell or the end. */
static void recover(reader *r)
{
	int depth = 0;
	while (r->tok.kind != K_EOF) {
		if (is_cmd(r, "begin"))
			depth++;
		else if (is_cmd(r, "end") && depth-- == 0)
			return;
		else if (depth <= 0 && is_cmd(r, "\\"))
			return;
		lex(r);
	}
}

/*
 * Statements until \end{env} (env NULL: until the end).  cells: inside a
 * layout matrix, '&' not followed by '=' separates formulas.
 */
static int parse_statements(reader *r, tex_block *b, const char *env)
{
	tex_chain *cur = NULL; /* the chain a '=' continues */
	int broken = 0;        /* the chain before could not be read */
	for (;;) {
		skip_ignored(r);
		if (r->nomem)
			return -1;
		if (r->tok.kind == K_EOF) {
			if (env != NULL) {
				if (chain_new(r, b, r->tok.line, r->tok.column) != 0)
					return -1;
				dv_fail_at(&b->chains[b->nchains - 1].problem, DV_E_SYNTAX,
				           r->tok.line, r->tok.column,
				           "expected \\end{%s}, found the end of the formula",
				           env);
			}
			return 0;
		}
		if (is_cmd(r, "end")) {
			if (env == NULL && broken) {
				/* the end of the environment a broken chain was in */
				char name[32];
				if (env_name(r, name, sizeof name) != 0)
					dv_diag_clear(&r->err);
				continue;
			}
			if (env == NULL) {
				if (chain_new(r, b, r->tok.line, r->tok.column) != 0)
					return -1;
				dv_fail_at(&b->chains[b->nchains - 1].problem, DV_E_SYNTAX,
				           r->tok.line, r->tok.column,
				           "\\end without its \\begin");
				lex(r);
				cur = NULL;
				continue;
			}
			r->err.code = DV_OK;
			if (end_env(r, env) != 0) {
				if (chain_new(r, b, r->tok.line, r->tok.column) != 0)
					return -1;
				b->chains[b->nchains - 1].problem = r->err;
				dv_diag_clear(&r->err);
				recover(r);
			}
			return 0;
		}
		if (is_cmd(r, "\\") || is_char(r, '&') || is_char(r, ',') || is_char(r, '.') ||
		    is_char(r, ';')) {
			/* a row ends; '&' is alignment, and a following '=' continues */
			lex(r);
			continue;
		}
		if (is_cmd(r, "label") || is_cmd(r, "tag")) {
			const char *s;
			size_t n;
			lex(r);
			if (is_char(r, '{') && raw_group(r, &s, &n) != 0) {
				dv_diag_clear(&r->err);
				recover(r);
			}
			continue;
		}
		if (is_cmd(r, "begin")) {
			/* a layout environment at the start of a statement */
			size_t save_pos = r->pos;
			int save_line = r->line, save_column = r->column;
			token save = r->tok;
			char name[32];
			if (env_name(r, name, sizeof name) == 0 && is_layout_env(name)) {
				if (strcmp(name, "array") == 0 && is_char(r, '{')) {
					const char *s;
					size_t n;
					if (raw_group(r, &s, &n) != 0)
						dv_diag_clear(&r->err);
				}
				if (r->depth >= TEX_MAX_NESTING) {
					if (chain_new(r, b, save.line, save.column) != 0)
						return -1;
					dv_fail_at(&b->chains[b->nchains - 1].problem, DV_E_LIMIT,
					           save.line, save.column,
					           "environments nest deeper than verify reads (%d "
					           "levels)",
					           TEX_MAX_NESTING);
					return 0;
				}
				r->depth++;
				if (parse_statements(r, b, name) != 0)
					return -1;
				r->depth--;
				cur = NULL;
				continue;
			}
			dv_diag_clear(&r->err);
			r->pos = save_pos;
			r->line = save_line;
			r->column = save_column;
			r->tok = save;
			/* a matrix: the start of an expression */
		}
		{
			int eq = is_char(r, '=');
			token at;
			tex_node *tree;
			if (eq) {
				lex(r);
				skip_ignored(r);
				if (cur == NULL && broken) {
					/* the rest of a chain whose start could not be read */
					recover(r);
					continue;
				}
				if (cur == NULL) {
					if (chain_new(r, b, r->tok.line, r->tok.column) != 0)
						return -1;
					dv_fail_at(&b->chains[b->nchains - 1].problem, DV_E_SYNTAX,
					           r->tok.line, r->tok.column,
					           "'=' with nothing on its left");
					recover(r);
					continue;
				}
			} else {
				if (chain_new(r, b, r->tok.line, r->tok.column) != 0)
					return -1;
				cur = &b->chains[b->nchains - 1];
			}
			at = r->tok;
			dv_diag_clear(&r->err);
			tree = parse_expr(r);
			if (r->nomem) {
				tex_node_free(tree);
				return -1;
			}
			if (tree == NULL) {
				cur = &b->chains[b->nchains - 1];
				if (cur->problem.code == DV_OK)
					cur->problem = r->err;
				if (cur->problem.code == DV_OK)
					dv_fail_at(&cur->problem, DV_E_SYNTAX, at.line, at.column,
					           "expected an expression");
				dv_diag_clear(&r->err);
				recover(r);
				cur = NULL;
				broken = 1;
				continue;
			}
			if (!eq)
				broken = 0;
			cur = &b->chains[b->nchains - 1];
			if (side_add(r, cur, tree, &at, r->prev_end) != 0)
				return -1;
			skip_ignored(r);
			if (!is_char(r, '=') && !is_char(r, '&') && !is_cmd(r, "\\") &&
			    !is_cmd(r, "end") && r->tok.kind != K_EOF && !is_char(r, ',') &&
			    !is_char(r, '.') && !is_char(r, ';')) {
				char found[64];
				describe(r, found, sizeof found);
				if (cur->problem.code == DV_OK) {
					if (is_cmd(r, "approx") || is_cmd(r, "neq") || is_cmd(r, "ne") ||
					    is_cmd(r, "leq") || is_cmd(r, "geq") || is_cmd(r, "le") ||
					    is_cmd(r, "ge") || is_cmd(r, "equiv") || is_cmd(r, "to") ||
					    is_cmd(r, "Rightarrow"))
						dv_fail_at(&cur->problem, DV_E_SYNTAX, r->tok.line,
						           r->tok.column,
						           "the relation %s: verify checks equations (=)",
						           found);
					else
						dv_fail_at(&cur->problem, DV_E_SYNTAX, r->tok.line,
						           r->tok.column,
						           "expected '=', '&', '\\\\' or the end, found %s",
						           found);
				}
				recover(r);
				cur = NULL;
				broken = 1;
			}
		}
	}
}

void tex_block_free(tex_block *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nchains; i++) {
		for (size_t j = 0; j < b->chains[i].nsides; j++) {
			tex_node_free(b->chains[i].sides[j].tree);
			free(b->chains[i].sides[j].latex);
		}
		free(b->chains[i].sides);
	}
	free(b->chains);
	free(b);
}

int tex_read(tex_block **out, const char *src, size_t len, int line, int column,
             dv_diag *d)
{
	reader r = {0};
	tex_block *b = calloc(1, sizeof *b);

	*out = NULL;
	if (b == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	r.src = src;
	r.len = len;
	r.line = line;
	r.column = column;
	lex(&r);
	if (parse_statements(&r, b, NULL) != 0 || r.nomem) {
		tex_block_free(b);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	*out = b;
	return DV_OK;
}

/* ---- printing, for tests and messages ------------------------------------ */

static const char *kind_name(tex_kind k)
{
	static const char *const names[] = {"num",  "sym", "call", "str", "frac",  "partial",
	                                    "add",  "sub", "neg",  "mul", "sum",   "group",
	                                    "matrix", "cases", "list", "in"};
	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static const char *op_name(tex_op op)
{
	static const char *const names[] = {"juxt", "*", "cdot", "circ", "times", "/", "star"};
	return (size_t)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

/* ---- the tree back to LaTeX ------------------------------------------------ */

static int is_greek_name(const char *s)
{
	static const char *const names[] = {"alpha", "beta",  "gamma", "delta", "epsilon",
	                                    "zeta",  "eta",   "theta", "kappa", "lambda",
	                                    "mu",    "nu",    "xi",    "pi",    "rho",
	                                    "sigma", "tau",   "phi",   "chi",   "psi",
	                                    "omega", "Delta", "Sigma", "ell",   "varepsilon"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

static void put_latex(dv_strbuf *b, const tex_node *n);

static void put_script(dv_strbuf *b, const char *mark, const tex_node *s)
{
	if (s == NULL)
		return;
	dv_strbuf_printf(b, "%s{", mark);
	put_latex(b, s);
	dv_strbuf_puts(b, "}");
}

static void put_latex(dv_strbuf *b, const tex_node *n)
{
	static const char *const ops[] = {" ", " * ", " \\cdot ", " \\circ ", " \\times ",
	                                  " / ", " \\star "};
	if (n == NULL)
		return;
	switch (n->kind) {
	case TX_NUM:
	case TX_STR:
		dv_strbuf_puts(b, n->text);
		break;
	case TX_SYM: {
		const char *us = strchr(n->text, '_');
		if (us != NULL && us > n->text) /* A_prev, as written: A_{prev} */
			dv_strbuf_printf(b, "%s%.*s_{%s}", is_greek_name(n->text) ? "\\" : "",
			                 (int)(us - n->text), n->text, us + 1);
		else
			dv_strbuf_printf(b, "%s%s", is_greek_name(n->text) ? "\\" : "", n->text);
		if (n->applied && n->sub != NULL) { /* I(i, j) as written */
			dv_strbuf_puts(b, n->applied == '[' ? "[" : "(");
			for (size_t i = 0; i < n->sub->nkids; i++) {
				if (i > 0)
					dv_strbuf_puts(b, ", ");
				put_latex(b, n->sub->kids[i]);
			}
			dv_strbuf_puts(b, n->applied == '[' ? "]" : ")");
			put_script(b, "^", n->sup);
			for (int i = 0; i < n->primes; i++)
				dv_strbuf_puts(b, "'");
			return;
		}
		break;
	}
	case TX_CALL:
		dv_strbuf_puts(b, n->text);
		for (int i = 0; i < n->primes; i++)
			dv_strbuf_puts(b, "'");
		dv_strbuf_puts(b, "(");
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, ", ");
			put_latex(b, n->kids[i]);
		}
		dv_strbuf_puts(b, ")");
		break;
	case TX_FRAC:
		if (n->text != NULL && n->kids[0]->kind == TX_PARTIAL &&
		    n->kids[1]->kind == TX_PARTIAL) { /* \nabla_W E */
			dv_strbuf_puts(b, "\\nabla");
			put_script(b, "_", n->kids[1]->kids[0]);
			dv_strbuf_puts(b, " ");
			put_latex(b, n->kids[0]->kids[0]);
			break;
		}
		dv_strbuf_puts(b, "\\frac{");
		put_latex(b, n->kids[0]->kind == TX_GROUP && n->kids[0]->op == TX_JUXT
		                     ? n->kids[0]->kids[0]
		                     : n->kids[0]);
		dv_strbuf_puts(b, "}{");
		put_latex(b, n->kids[1]->kind == TX_GROUP && n->kids[1]->op == TX_JUXT
		                     ? n->kids[1]->kids[0]
		                     : n->kids[1]);
		dv_strbuf_puts(b, "}");
		break;
	case TX_PARTIAL:
		dv_strbuf_puts(b, "\\partial ");
		put_latex(b, n->kids[0]);
		break;
	case TX_ADD:
	case TX_SUB:
		put_latex(b, n->kids[0]);
		dv_strbuf_puts(b, n->kind == TX_ADD ? " + " : " - ");
		put_latex(b, n->kids[1]);
		break;
	case TX_NEG:
		dv_strbuf_puts(b, "-");
		put_latex(b, n->kids[0]);
		break;
	case TX_MUL:
		put_latex(b, n->kids[0]);
		dv_strbuf_puts(b, ops[n->op]);
		put_latex(b, n->kids[1]);
		break;
	case TX_SUM:
		dv_strbuf_puts(b, "\\sum");
		if (n->nkids > 1 && n->sub != NULL) { /* \sum_{m=0} */
			dv_strbuf_puts(b, "_{");
			put_latex(b, n->sub);
			dv_strbuf_puts(b, "=");
			put_latex(b, n->kids[1]);
			dv_strbuf_puts(b, "}");
		} else {
			put_script(b, "_", n->sub);
		}
		put_script(b, "^", n->sup);
		dv_strbuf_puts(b, " ");
		put_latex(b, n->kids[0]);
		return; /* its index is not a subscript of the body */
	case TX_GROUP:
		dv_strbuf_puts(b, n->op == TX_JUXT ? "{" : "\\left(");
		put_latex(b, n->kids[0]);
		dv_strbuf_puts(b, n->op == TX_JUXT ? "}" : "\\right)");
		break;
	case TX_MATRIX:
		dv_strbuf_puts(b, "\\begin{bmatrix} ");
		for (size_t i = 0; i < n->nkids; i++) {
			put_latex(b, n->kids[i]);
			if (i + 1 == n->nkids)
				dv_strbuf_puts(b, " ");
			else if ((i + 1) % n->cols == 0)
				dv_strbuf_puts(b, " \\\\ ");
			else
				dv_strbuf_puts(b, " & ");
		}
		dv_strbuf_puts(b, "\\end{bmatrix}");
		break;
	case TX_CASES:
		dv_strbuf_puts(b, "\\left\\{ \\dots \\right.");
		break;
	case TX_LIST:
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, ",");
			put_latex(b, n->kids[i]);
		}
		break;
	case TX_IN:
		put_latex(b, n->kids[0]);
		dv_strbuf_puts(b, " \\in ");
		put_latex(b, n->kids[1]);
		break;
	}
	put_script(b, "_", n->sub);
	put_script(b, "^", n->sup);
	for (int i = 0; n->kind != TX_CALL && i < n->primes; i++)
		dv_strbuf_puts(b, "'");
}

const tex_node *tex_node_strip(const tex_node *n)
{
	while (n != NULL && n->kind == TX_GROUP && n->sub == NULL && n->sup == NULL &&
	       n->primes == 0)
		n = n->kids[0];
	return n;
}

void tex_node_latex(dv_strbuf *b, const tex_node *n)
{
	put_latex(b, n);
}

void tex_node_print(dv_strbuf *b, const tex_node *n)
{
	if (n == NULL) {
		dv_strbuf_puts(b, "()");
		return;
	}
	if ((n->kind == TX_NUM || n->kind == TX_SYM || n->kind == TX_STR) && n->sub == NULL &&
	    n->sup == NULL && n->primes == 0) {
		dv_strbuf_puts(b, n->text);
		return;
	}
	dv_strbuf_printf(b, "(%s", n->kind == TX_MUL ? op_name(n->op) : kind_name(n->kind));
	if (n->text != NULL)
		dv_strbuf_printf(b, " %s", n->text);
	for (int i = 0; i < n->primes; i++)
		dv_strbuf_puts(b, "'");
	if (n->kind == TX_MATRIX)
		dv_strbuf_printf(b, " %zux%zu", n->rows, n->cols);
	for (size_t i = 0; i < n->nkids; i++) {
		dv_strbuf_puts(b, " ");
		tex_node_print(b, n->kids[i]);
	}
	if (n->sub != NULL) {
		dv_strbuf_puts(b, " _");
		tex_node_print(b, n->sub);
	}
	if (n->sup != NULL) {
		dv_strbuf_puts(b, " ^");
		tex_node_print(b, n->sup);
	}
	dv_strbuf_puts(b, ")");
}
