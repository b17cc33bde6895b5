/*
 * answer: a student's answer, as typed, into the expression language.
 *
 * Two ways in.  LaTeX -- an answer with a backslash, a brace or a dollar
 * sign -- is read by the one LaTeX reader (tex/tex.h) into a tree, and the
 * tree is turned into an expression under the lesson's symbols: an entry
 * such as \delta_{11}, (\delta_j^{l+1})_{11}, {\delta}_{1,1} or the notes'
 * \frac{\partial E}{\partial a_{11}} becomes the name d11.  Any other text
 * is the expression language with a student's conveniences: Unicode
 * subscripts (δ₁₁), juxtaposition as a product (2d11, d11 k22) and f'(x).
 *
 * What cannot be read is refused with the student's own token and the
 * character where it starts.
 */
#include "lesson/exercise.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "expr/eval.h"
#include "sym/ctx.h"
#include "tex/tex.h"

/* ---- plain text ------------------------------------------------------------ */

/* Unicode the answers may use, and what it stands for. */
static const dv_strmap unicode_map[] = {
        {"δ", "d"},     {"β", " beta "},   {"α", " alpha "}, {"γ", " gamma "},
        {"σ", " sigmoid "}, {"·", "*"},    {"⋅", "*"},       {"×", "*"},
        {"∘", ".*"},    {"⊙", ".*"},       {"−", "-"},       {"∗", "*"},
        {"′", "'"},     {"²", "^2"},       {"³", "^3"},      {"₀", "0"},
        {"₁", "1"},     {"₂", "2"},        {"₃", "3"},       {"₄", "4"},
        {"₅", "5"},     {"₆", "6"},        {"₇", "7"},       {"₈", "8"},
        {"₉", "9"},
};

void lesson_entry_name(char *buf, size_t size, const char *sym, size_t row, size_t col)
{
	const char *label = sym_map_label(sym);
	int n = label != NULL ? (int)(label - 1 - sym) : (int)strlen(sym);
	const char *sep = label != NULL ? "_" : "";
	if (label == NULL)
		label = "";
	if (row >= 10 || col >= 10)
		snprintf(buf, size, "%.*s%s_%zu_%zu", n, sym, label, row, col);
	else
		snprintf(buf, size, "%.*s%s%s%zu%zu", n, sym, label, sep, row, col);
}

int lesson_map_hint(char *buf, size_t size, const lesson *l, const char *letters,
                    size_t row, size_t col, int latex)
{
	size_t n = strlen(letters), used = 0, k = 0;
	int put;
	buf[0] = '\0';
	for (size_t i = 0; i < l->nvars && k < 4; i++) {
		const char *sym = l->vars[i].sym, *label = sym != NULL ? sym_map_label(sym) : NULL;
		char name[64];
		dv_strbuf u;
		sym_print_opts o = {SYM_UNICODE, NULL, NULL};
		if (label == NULL || (size_t)(label - 1 - sym) != n || strncmp(sym, letters, n) != 0)
			continue;
		dv_strbuf_init(&u);
		if (latex) {
			o.style = SYM_LATEX;
			sym_entry_print(&u, sym, row, col, &o);
			put = snprintf(buf + used, size - used, "%s%s", k > 0 ? ", " : "",
			               u.s != NULL ? u.s : "");
		} else {
			lesson_entry_name(name, sizeof name, sym, row, col);
			sym_entry_print(&u, sym, row, col, &o);
			put = snprintf(buf + used, size - used, "%s%s for %s", k > 0 ? ", " : "",
			               name, u.s != NULL ? u.s : "");
		}
		dv_strbuf_free(&u);
		if (put < 0 || (size_t)put >= size - used)
			break;
		used += (size_t)put;
		k++;
	}
	return k > 0;
}

/* Unicode to ASCII; d_11 to d11 (a name of the answers is d11 or x_10_3). */
static int plain_to_ascii(dv_strbuf *b, const char *start)
{
	char *joined = strdup(start), *q = joined;
	if (joined == NULL)
		return -1;
	for (const char *s = start; *s != '\0'; s++) {
		if (*s == '_' && s > start && isalpha((unsigned char)s[-1]) &&
		    (s - 1 == start || !isalnum((unsigned char)s[-2])) &&
		    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		    !isalnum((unsigned char)s[3]) && s[3] != '_')
			continue; /* d_11: the digits join the letter */
		*q++ = *s;
	}
	*q = '\0';
	dv_strbuf_put_mapped(b, joined, unicode_map, sizeof unicode_map / sizeof unicode_map[0]);
	free(joined);
	return 0;
}

/* (x2)11, as (x₂)₁₁ reads in ASCII, to x2_11: the name an answer gives
 * entry (1,1) of map 2 (lesson_entry_name).  In place: it only shortens. */
static void join_map_entries(char *s)
{
	char *w = s;
	for (char *r = s; *r != '\0';) {
		char *p = r + 1, *letters, *label, *close;
		/* after a letter, f(x2)11 is a call */
		if (*r != '(' || (r > s && (isalpha((unsigned char)r[-1]) || r[-1] == '_'))) {
			*w++ = *r++;
			continue;
		}
		for (letters = p; isalpha((unsigned char)*p); p++)
			;
		for (label = p; isdigit((unsigned char)*p); p++)
			;
		close = p;
		if (label == letters || close == label || *close != ')' ||
		    !isdigit((unsigned char)close[1]) || !isdigit((unsigned char)close[2]) ||
		    isalnum((unsigned char)close[3]) || close[3] == '_') {
			*w++ = *r++;
			continue;
		}
		memmove(w, letters, (size_t)(close - letters));
		w += close - letters;
		*w++ = '_';
		*w++ = close[1];
		*w++ = close[2];
		r = close + 3;
	}
	*w = '\0';
}

typedef enum tok { T_NONE, T_NUM, T_NAME, T_OPEN, T_CLOSE, T_OTHER } tok;

int lesson_answer_normalize(char **out, const char *text, dv_diag *d)
{
	dv_strbuf mid, b;
	char *m = NULL;
	tok prev = T_NONE;
	int rc, brackets = 0;

	*out = NULL;
	dv_strbuf_init(&mid);
	if (plain_to_ascii(&mid, text) != 0)
		mid.failed = 1;
	if ((rc = dv_strbuf_finish(&mid, &m, d)) != DV_OK)
		return rc;
	join_map_entries(m);
	dv_strbuf_init(&b);
	for (const char *s = m; *s != '\0';) {
		const char *start = s;
		int space = 0;
		tok cur;
		while (*s == ' ' || *s == '\t') {
			s++;
			space = 1;
		}
		if (*s == '\0')
			break;
		start = s;
		if (isdigit((unsigned char)*s) ||
		    (*s == '.' && isdigit((unsigned char)s[1]))) {
			while (isdigit((unsigned char)*s) || *s == '.')
				s++;
			if ((*s == 'e' || *s == 'E') && (isdigit((unsigned char)s[1]) ||
			                                 ((s[1] == '-' || s[1] == '+') &&
			                                  isdigit((unsigned char)s[2]))))
				for (s += 2; isdigit((unsigned char)*s); s++)
					;
			cur = T_NUM;
		} else if (isalpha((unsigned char)*s) || *s == '_') {
			int digits = 0;
			while (isalnum((unsigned char)*s) || *s == '_') {
				if (isdigit((unsigned char)*s))
					digits = 1;
				else if (digits && isalpha((unsigned char)*s))
					break; /* d11k22: two names */
				s++;
			}
			cur = T_NAME;
		} else {
			s++;
			cur = *start == '(' ? T_OPEN : *start == ')' ? T_CLOSE : T_OTHER;
		}
		if (*start == '[')
			brackets++;
		else if (*start == ']' && brackets > 0)
			brackets--;
		/* juxtaposition is a product (inside brackets only when glued,
		 * since there a space separates entries); a name right before
		 * '(' is a call */
		if ((prev == T_NUM || prev == T_NAME || prev == T_CLOSE) &&
		    (cur == T_NUM || cur == T_NAME ||
		     (cur == T_OPEN && (prev != T_NAME || space))) &&
		    !(brackets > 0 && space))
			dv_strbuf_puts(&b, "*");
		else if (space)
			dv_strbuf_puts(&b, " ");
		/* f'(x), sigmoid'(x): the derivative */
		if (cur == T_NAME && s[0] == '\'' && s[1] == '(') {
			dv_strbuf_puts(&b, "d");
			dv_strbuf_putn(&b, start, (size_t)(s - start));
			s++;
		} else {
			dv_strbuf_putn(&b, start, (size_t)(s - start));
		}
		prev = cur;
	}
	free(m);
	return dv_strbuf_finish(&b, out, d);
}

/* ---- LaTeX ----------------------------------------------------------------- */

typedef struct reading {
	const lesson_result *r;
	int names;          /* entries as names (d11), not entry(D, 1, 1) */
	int offset;         /* characters before the formula in the answer */
	const char *delta;  /* the symbols δ stands for ("d"), or NULL */
	dv_diag *problem;
} reading;

/* Refuses the part at n: a message whose one %s is that part in LaTeX. */
static int refuse(reading *R, const tex_node *n, const char *what)
{
	dv_strbuf b;
	char *s = NULL;
	const char *mark = strstr(what, "%s");
	dv_strbuf_init(&b);
	tex_node_latex(&b, n);
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return dv_fail(R->problem, DV_E_NOMEM, "out of memory");
	if (mark == NULL)
		dv_fail_at(R->problem, DV_E_NAME, 1, n->column + R->offset, "%s", what);
	else
		dv_fail_at(R->problem, DV_E_NAME, 1, n->column + R->offset, "%.*s%s%s",
		           (int)(mark - what), what, s, mark + 2);
	free(s);
	return R->problem->code;
}

/* The lesson's matrix (or scalar) whose symbols are `sym` (x, d, beta). */
static const lesson_var *var_of_symbols(const reading *R, const char *sym)
{
	const lesson *l = R->r->lesson;
	for (size_t i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].sym, sym) == 0)
			return &l->vars[i];
	return NULL;
}

static const lesson_var *var_named(const reading *R, const char *name)
{
	const lesson *l = R->r->lesson;
	for (size_t i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].name, name) == 0)
			return &l->vars[i];
	return NULL;
}

/* The symbols δ stands for: the lesson's `latex d = (\delta...)` says so;
 * without it, d. */
static const char *delta_symbols(const lesson_result *r)
{
	const lesson *l = r->lesson;
	for (size_t i = 0; i < l->nlatex && l->latex[i].name != NULL; i++)
		if (strstr(l->latex[i].pattern, "\\delta") != NULL)
			return l->latex[i].name;
	return "d";
}

/* What a LaTeX symbol without its subscript names: a matrix of the lesson
 * (by its symbols, x, or by its name, X), or NULL. */
static const lesson_var *symbol_var(const reading *R, const char *text)
{
	const lesson_var *v;
	if (strcmp(text, "delta") == 0 && R->delta != NULL &&
	    (v = var_of_symbols(R, R->delta)) != NULL)
		return v;
	if (strcmp(text, "net") == 0 && var_of_symbols(R, "net") == NULL &&
	    (v = var_of_symbols(R, "n")) != NULL)
		return v;
	if ((v = var_of_symbols(R, text)) != NULL)
		return v;
	return var_named(R, text);
}

/* The size of v as the lesson ran. */
static void var_size(const reading *R, const lesson_var *v, size_t *rows, size_t *cols)
{
	*rows = *cols = 0;
	if (v->scalar) {
		*rows = *cols = 1;
		return;
	}
	for (size_t i = 0; i < R->r->nsizes; i++)
		if (strcmp(R->r->sizes[i].name, v->name) == 0) {
			*rows = R->r->sizes[i].rows;
			*cols = R->r->sizes[i].cols;
		}
}

/* The row and column an entry subscript names: 11, {1,2}, {10,3}; 0 when
 * the subscript is not one entry. */
static int entry_index(const tex_node *s, size_t *i, size_t *j)
{
	if (s == NULL)
		return 0;
	if (s->kind == TX_NUM && strlen(s->text) == 2 && isdigit((unsigned char)s->text[0]) &&
	    isdigit((unsigned char)s->text[1])) {
		*i = (size_t)(s->text[0] - '0');
		*j = (size_t)(s->text[1] - '0');
		return 1;
	}
	if (s->kind == TX_LIST && s->nkids == 2 && s->kids[0]->kind == TX_NUM &&
	    s->kids[1]->kind == TX_NUM && strlen(s->kids[0]->text) <= 6 &&
	    strlen(s->kids[1]->text) <= 6 && strchr(s->kids[0]->text, '.') == NULL &&
	    strchr(s->kids[1]->text, '.') == NULL) {
		*i = (size_t)strtoul(s->kids[0]->text, NULL, 10);
		*j = (size_t)strtoul(s->kids[1]->text, NULL, 10);
		return 1;
	}
	return 0;
}

/* A superscript that names a layer (l, l+1, l-1) and so changes nothing
 * here: a lesson has one of each matrix. */
static int is_layer(const tex_node *s)
{
	if (s->kind == TX_SYM && s->sub == NULL && s->sup == NULL)
		return strcmp(s->text, "l") == 0;
	return (s->kind == TX_ADD || s->kind == TX_SUB) && s->kids[0]->kind == TX_SYM &&
	       strcmp(s->kids[0]->text, "l") == 0 && s->kids[1]->kind == TX_NUM;
}

/* A subscript that names a feature map (j, i, ij): one map a lesson. */
static int is_map(const tex_node *s)
{
	return s->kind == TX_SYM && s->sub == NULL && s->sup == NULL &&
	       (strcmp(s->text, "i") == 0 || strcmp(s->text, "j") == 0 ||
	        strcmp(s->text, "ij") == 0);
}

static int put(reading *R, const tex_node *n, dv_strbuf *b);

/* The map a symbol with a number for subscript names, as the maps of a
 * layer write them: x_2 in (x_2)_{11}, \delta_1 in (\delta_1)_{11}; or
 * NULL. */
static const lesson_var *map_var(const reading *R, const tex_node *named)
{
	const tex_node *m = named->sub;
	const char *letters = named->text;
	char sym[64];
	if (named->kind != TX_SYM || m == NULL || m->kind != TX_NUM ||
	    strspn(m->text, "0123456789") != strlen(m->text))
		return NULL;
	if (strcmp(letters, "delta") == 0)
		letters = R->delta != NULL ? R->delta : "d";
	snprintf(sym, sizeof sym, "%s_%s", letters, m->text);
	return var_of_symbols(R, sym);
}

/* Entry (i, j) of the matrix v, written at n; `named` is the symbol as the
 * student wrote it (NULL: the matrix's name). */
static int put_entry(reading *R, const tex_node *n, const tex_node *named,
                     const lesson_var *v, size_t i, size_t j, dv_strbuf *b)
{
	size_t rows, cols;
	var_size(R, v, &rows, &cols);
	if (v->scalar || i < 1 || j < 1 || i > rows || j > cols) {
		char what[200], *name = NULL;
		dv_strbuf nb;
		dv_strbuf_init(&nb);
		if (named != NULL) {
			tex_node bare = *named;
			bare.sub = bare.sup = NULL;
			tex_node_latex(&nb, &bare);
		} else {
			dv_strbuf_puts(&nb, v->name);
		}
		if (dv_strbuf_finish(&nb, &name, NULL) != DV_OK)
			return dv_fail(R->problem, DV_E_NOMEM, "out of memory");
		snprintf(what, sizeof what, "%%s is not an entry: %s is %zux%zu", name, rows,
		         cols);
		free(name);
		return refuse(R, n, what);
	}
	if (!R->names) {
		dv_strbuf_printf(b, "entry(%s, %zu, %zu)", v->name, i, j);
	} else {
		char name[64];
		lesson_entry_name(name, sizeof name, v->sym, i, j);
		dv_strbuf_puts(b, name);
	}
	return DV_OK;
}

/* A whole matrix or a scalar, written at n. */
static int put_whole(reading *R, const tex_node *n, const lesson_var *v, dv_strbuf *b)
{
	if (v->scalar) {
		dv_strbuf_puts(b, v->name);
		return DV_OK;
	}
	if (R->names)
		return refuse(R, n,
		              "%s is a whole matrix; this exercise asks for one entry: "
		              "give each entry its subscript, as in _{11}");
	dv_strbuf_puts(b, v->name);
	return DV_OK;
}

/* x_{11}, \delta^{l+1}_{11}, k22, beta, X, (\delta_j^{l+1})_{11}. */
static int put_symbol(reading *R, const tex_node *n, const tex_node *named,
                      const tex_node *sub, const tex_node *sup, dv_strbuf *b)
{
	const lesson_var *v;
	const char *text = named->text;
	size_t i = 0, j = 0, len = strlen(text);
	int rc;

	if (sup != NULL && !is_layer(sup)) {
		if (sup->kind == TX_NUM || (sup->kind == TX_SYM && strcmp(sup->text, "T") == 0)) {
			dv_strbuf_puts(b, "(");
			if ((rc = put_symbol(R, n, named, sub, NULL, b)) != DV_OK)
				return rc;
			if (sup->kind == TX_NUM)
				dv_strbuf_printf(b, ")^%s", sup->text);
			else
				dv_strbuf_puts(b, ")'");
			return DV_OK;
		}
		return refuse(R, sup, "the superscript %s is not a power or a layer (l, l+1)");
	}
	if (sub != NULL && is_map(sub))
		sub = NULL;
	/* (x_2)_{11}: the map's own symbols */
	v = named != n ? map_var(R, named) : NULL;
	/* k22, d11: a name with its indices, as the plain answers write it */
	if (v == NULL && sub == NULL && len == 3 && isalpha((unsigned char)text[0]) &&
	    isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2])) {
		char letter[2] = {text[0], '\0'};
		if ((v = var_of_symbols(R, letter)) != NULL)
			return put_entry(R, n, NULL, v, (size_t)(text[1] - '0'),
			                 (size_t)(text[2] - '0'), b);
	}
	if (v == NULL)
		v = symbol_var(R, text);
	if (v == NULL) {
		char hint[200], what[300];
		size_t hi = 1, hj = 1;
		if (sub == NULL && dv_eval_is_function(text))
			return refuse(R, n, "%s is a function: give it its argument, f(x_{11})");
		/* \delta_{11} where several maps share δ: which map */
		if (sub != NULL)
			entry_index(sub, &hi, &hj);
		if (lesson_map_hint(hint, sizeof hint, R->r->lesson,
		                    strcmp(text, "delta") == 0 ? (R->delta != NULL ? R->delta : "d")
		                                               : text,
		                    hi, hj, 1)) {
			snprintf(what, sizeof what,
			         "%%s: several maps share this letter; write the map's, %s", hint);
			return refuse(R, named, what);
		}
		return refuse(R, named, "%s is not a symbol of this lesson");
	}
	if (sub == NULL)
		return put_whole(R, n, v, b);
	if (!entry_index(sub, &i, &j))
		return refuse(R, sub,
		              "the subscript %s is not an entry: write it as 11 or {1,1}");
	return put_entry(R, n, named, v, i, j, b);
}

/* \frac{\partial E}{\partial a_{11}}: the notes write δ₁₁ so; the entry of
 * δ at the output entry the derivative is taken by. */
static int put_derivative(reading *R, const tex_node *n, dv_strbuf *b)
{
	const tex_node *top = n->kids[0], *bottom = n->kids[1], *by;
	const lesson_var *delta;
	size_t i = 0, j = 0;
	while (top->kind == TX_GROUP && top->sub == NULL)
		top = top->kids[0];
	while (bottom->kind == TX_GROUP && bottom->sub == NULL)
		bottom = bottom->kids[0];
	if (top->kind != TX_PARTIAL || bottom->kind != TX_PARTIAL)
		return 1; /* not a derivative: a fraction */
	by = bottom->kids[0];
	if (top->kids[0]->kind != TX_SYM || strcmp(top->kids[0]->text, "E") != 0)
		return refuse(R, n, "%s: only derivatives of the loss E are read");
	delta = R->delta != NULL ? var_of_symbols(R, R->delta) : NULL;
	if (delta == NULL)
		return refuse(R, n, "%s: this lesson has no δ to read it as");
	{
		const tex_node *sym = by->kind == TX_GROUP ? by->kids[0] : by;
		const tex_node *sub = by->sub != NULL ? by->sub : NULL;
		if (sym->kind != TX_SYM || !entry_index(sub, &i, &j))
			return refuse(R, n,
			              "%s: a derivative is read only as an entry of δ, "
			              "such as \\frac{\\partial E}{\\partial a_{11}}");
		const lesson_var *named = symbol_var(R, sym->text);
		if (named != NULL && named != delta)
			return refuse(R, n,
			              "%s is a gradient, not a δ: write it with δ and the "
			              "lesson's symbols");
	}
	return put_entry(R, n, NULL, delta, i, j, b);
}

static int put_kids(reading *R, const tex_node *n, const char *op, dv_strbuf *b)
{
	int rc;
	dv_strbuf_puts(b, "(");
	if ((rc = put(R, n->kids[0], b)) != DV_OK)
		return rc;
	dv_strbuf_puts(b, op);
	if ((rc = put(R, n->kids[1], b)) != DV_OK)
		return rc;
	dv_strbuf_puts(b, ")");
	return DV_OK;
}

/* x_1 followed by 1, as TeX reads x_11: the student meant x_{11} */
static int split_index(const tex_node *x, const tex_node *digit)
{
	return x->kind == TX_SYM && x->sup == NULL && x->primes == 0 && x->sub != NULL &&
	       x->sub->kind == TX_NUM && strlen(x->sub->text) == 1 &&
	       digit->kind == TX_NUM && strlen(digit->text) == 1 && digit->sub == NULL &&
	       digit->sup == NULL && digit->line == x->sub->line &&
	       digit->column == x->sub->column + 1;
}

/* A product written as juxtaposition, a b c: its factors, left to right
 * (the reader nests them to the left), with x_11 read as x_{11}. */
static int put_juxt(reading *R, const tex_node *n, dv_strbuf *b)
{
	const tex_node *f[64];
	size_t k = 0;
	int rc;
	const tex_node *at = n;
	/* the chain's factors, right to left */
	while (at->kind == TX_MUL && at->op == TX_JUXT && k + 1 < sizeof f / sizeof f[0]) {
		f[k++] = at->kids[1];
		at = at->kids[0];
	}
	f[k++] = at;
	dv_strbuf_puts(b, "(");
	for (size_t i = k; i-- > 0;) {
		const tex_node *x = f[i];
		if (i > 0 && split_index(x, f[i - 1])) {
			const lesson_var *v = symbol_var(R, x->text);
			if (v == NULL)
				return refuse(R, x, "%s is not a symbol of this lesson");
			if ((rc = put_entry(R, x, x, v, (size_t)(x->sub->text[0] - '0'),
			                    (size_t)(f[i - 1]->text[0] - '0'), b)) != DV_OK)
				return rc;
			i--;
		} else if ((rc = put(R, x, b)) != DV_OK) {
			return rc;
		}
		if (i > 0)
			dv_strbuf_puts(b, "*");
	}
	dv_strbuf_puts(b, ")");
	return DV_OK;
}

static int put(reading *R, const tex_node *n, dv_strbuf *b)
{
	static const char *const ops[] = {"*", "*", "*", ".*", "*", "/"};
	int rc;

	switch (n->kind) {
	case TX_NUM:
		if (n->sup != NULL && n->sup->kind == TX_NUM) {
			dv_strbuf_printf(b, "(%s^%s)", n->text, n->sup->text);
			return DV_OK;
		}
		if (n->sub != NULL || n->sup != NULL)
			return refuse(R, n, "%s: a number with an index");
		dv_strbuf_puts(b, n->text);
		return DV_OK;
	case TX_STR:
		dv_strbuf_printf(b, "'%s'", n->text);
		return DV_OK;
	case TX_SYM:
		if (n->primes > 0)
			return refuse(R, n, "%s: a prime is read on a function, f'(x)");
		return put_symbol(R, n, n, n->sub, n->sup, b);
	case TX_GROUP:
		if (n->sub != NULL && n->kids[0]->kind == TX_SYM &&
		    (n->kids[0]->sub == NULL || is_map(n->kids[0]->sub) ||
		     map_var(R, n->kids[0]) != NULL) &&
		    (n->kids[0]->sup == NULL || is_layer(n->kids[0]->sup)))
			/* {\delta}_{11}; (\delta_j^{l+1})_{11}: the map and the layer
			 * dropped */
			return put_symbol(R, n, n->kids[0], n->sub, n->sup, b);
		if (n->sub != NULL)
			return refuse(R, n, "%s: an entry of an expression; write the entry "
			                    "of each matrix");
		dv_strbuf_puts(b, "(");
		if ((rc = put(R, n->kids[0], b)) != DV_OK)
			return rc;
		dv_strbuf_puts(b, ")");
		if (n->sup != NULL && n->sup->kind == TX_NUM)
			dv_strbuf_printf(b, "^%s", n->sup->text);
		else if (n->sup != NULL)
			return refuse(R, n->sup, "the superscript %s is not a power");
		return DV_OK;
	case TX_CALL: {
		char name[64];
		snprintf(name, sizeof name, "%s%s", n->primes > 0 ? "d" : "", n->text);
		if (n->primes > 1 || !dv_eval_is_function(name))
			return refuse(R, n, "%s: not a function verify knows");
		dv_strbuf_printf(b, "%s(", name);
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, ", ");
			if ((rc = put(R, n->kids[i], b)) != DV_OK)
				return rc;
		}
		dv_strbuf_puts(b, ")");
		return DV_OK;
	}
	case TX_FRAC:
		if ((rc = put_derivative(R, n, b)) != 1)
			return rc;
		return put_kids(R, n, "/", b);
	case TX_ADD:
		return put_kids(R, n, " + ", b);
	case TX_SUB:
		return put_kids(R, n, " - ", b);
	case TX_NEG:
		dv_strbuf_puts(b, "(-");
		if ((rc = put(R, n->kids[0], b)) != DV_OK)
			return rc;
		dv_strbuf_puts(b, ")");
		return DV_OK;
	case TX_MUL:
		if (n->op == TX_JUXT)
			return put_juxt(R, n, b);
		if (n->op == TX_STARX) { /* a \star b: the cross-correlation */
			dv_strbuf_puts(b, "xcorr(");
			if ((rc = put(R, n->kids[0], b)) != DV_OK)
				return rc;
			dv_strbuf_puts(b, ", ");
			if ((rc = put(R, n->kids[1], b)) != DV_OK)
				return rc;
			dv_strbuf_puts(b, ")");
			return DV_OK;
		}
		if ((size_t)n->op >= sizeof ops / sizeof ops[0])
			return refuse(R, n, "%s: an operator verify does not read");
		return put_kids(R, n, ops[n->op], b);
	case TX_MATRIX:
		dv_strbuf_puts(b, "[");
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, i % n->cols == 0 ? "; " : ", ");
			if ((rc = put(R, n->kids[i], b)) != DV_OK)
				return rc;
		}
		dv_strbuf_puts(b, "]");
		return DV_OK;
	case TX_SUM:
		return refuse(R, n, "%s: a sum with an index is not read in an answer; "
		                    "write its terms out");
	case TX_PARTIAL:
		return refuse(R, n, "%s: a \\partial outside a derivative \\frac");
	case TX_CASES:
	case TX_LIST:
	case TX_IN:
		break;
	}
	return refuse(R, n, "%s is not read in an answer");
}

int lesson_answer_is_latex(const char *text)
{
	return strpbrk(text, "\\{}$") != NULL;
}

/* The formula inside $...$, $$...$$, \(...\) or \[...\]: its first byte and
 * length. */
static void unwrap(const char *text, size_t *start, size_t *len)
{
	static const char *const delims[][2] = {{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"},
	                                        {"\\[", "\\]"}};
	size_t n = strlen(text);
	*start = 0;
	*len = n;
	while (*len > 0 && isspace((unsigned char)text[*len - 1]))
		(*len)--;
	for (size_t k = 0; k < sizeof delims / sizeof delims[0]; k++) {
		size_t a = strlen(delims[k][0]), z = strlen(delims[k][1]);
		if (*len >= a + z && strncmp(text, delims[k][0], a) == 0 &&
		    strncmp(text + *len - z, delims[k][1], z) == 0) {
			*start = a;
			*len -= a + z;
			return;
		}
	}
}

int lesson_answer_text(char **out, const lesson_result *r, int names, const char *text,
                       dv_diag *problem)
{
	tex_block *blk = NULL;
	reading R = {r, names, 0, NULL, problem};
	dv_strbuf b;
	const tex_chain *c;
	size_t start, len;
	int rc;

	*out = NULL;
	if (!lesson_answer_is_latex(text))
		return lesson_answer_normalize(out, text, problem);
	unwrap(text, &start, &len);
	R.offset = (int)start;
	R.delta = delta_symbols(r);
	if ((rc = tex_read(&blk, text + start, len, 1, 1, problem)) != DV_OK)
		return rc;
	if (blk->nchains != 1) {
		const char *why = blk->nchains == 0 ? "the answer has no formula"
		                                    : "the answer is more than one formula";
		tex_block_free(blk);
		return dv_fail(problem, DV_E_SYNTAX, "%s", why);
	}
	c = &blk->chains[0];
	if (c->problem.code != DV_OK) {
		rc = dv_fail_at(problem, DV_E_SYNTAX, 1, c->problem.column + R.offset, "%s",
		                c->problem.message);
		tex_block_free(blk);
		return rc;
	}
	/* ∂E/∂x_{22} = δ_{11}k_{11} + ...: the answer is the last side */
	dv_strbuf_init(&b);
	rc = put(&R, c->sides[c->nsides - 1].tree, &b);
	tex_block_free(blk);
	if (rc != DV_OK) {
		dv_strbuf_free(&b);
		return rc;
	}
	return dv_strbuf_finish(&b, out, problem);
}
