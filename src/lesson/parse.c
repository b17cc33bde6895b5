#include "lesson/lesson.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "core/strbuf.h"
#include "expr/eval.h"
#include "sym/ctx.h"

/* Largest lesson file read: lessons are small texts. */
#define LESSON_MAX_BYTES ((size_t)256 * 1024)

typedef struct lp {
	lesson *l;
	lesson_errors *errs;
	int line;
	const char *line_start;
	lesson_action *refute;   /* the last refute of the step, for why/instead */
	lesson_action *exercise; /* the last exercise, for ask/hint/line/answer */
} lp;

__attribute__((format(printf, 3, 4))) static void error_at(lp *p, int column,
                                                           const char *fmt, ...)
{
	dv_diag *d;
	va_list ap;

	if (p->errs->n >= LESSON_MAX_ERRORS)
		return;
	d = &p->errs->items[p->errs->n++];
	d->code = DV_E_SYNTAX;
	d->line = p->line;
	d->column = column;
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	va_end(ap);
}

/* The column (1-based, in characters) of s within the current line. */
static int column_of(const lp *p, const char *s)
{
	int c = 1;
	for (const char *q = p->line_start; q < s; q++)
		if ((((unsigned char)*q) & 0xC0) != 0x80)
			c++;
	return c;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blank(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static char *dup_n(lp *p, const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (r == NULL) {
		error_at(p, 1, "out of memory");
		return NULL;
	}
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static char *dup_s(lp *p, const char *s)
{
	return dup_n(p, s, strlen(s));
}

/* Parses the expression at s (text of the line), reporting errors in place. */
static dv_node *parse_expr_at(lp *p, const char *s)
{
	dv_node *n = NULL;
	dv_diag d;
	dv_diag_clear(&d);
	if (dv_parse_at(&n, s, p->line, column_of(p, s), &d) != DV_OK) {
		error_at(p, d.column, "%s", d.message);
		return NULL;
	}
	return n;
}

static int parse_equation_at(lp *p, const char *s, lesson_action *a)
{
	dv_diag d;
	const char *eq;
	dv_diag_clear(&d);
	if (dv_parse_equation_at(&a->lhs, &a->rhs, s, p->line, column_of(p, s), &d) !=
	    DV_OK) {
		error_at(p, d.column, "%s", d.message);
		return -1;
	}
	/* the two sides as written, for reports */
	eq = strstr(s, "==");
	while (eq != NULL && eq > s && is_blank(eq[-1]))
		eq--;
	a->lhs_text = dup_n(p, s, eq != NULL ? (size_t)(eq - s) : strlen(s));
	eq = strstr(s, "==");
	a->rhs_text = dup_s(p, eq != NULL ? skip_blank(eq + 2) : "");
	return a->lhs_text != NULL && a->rhs_text != NULL ? 0 : -1;
}

static int valid_identifier(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80))
		return 0;
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      c >= 0x80 || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static int letters_only(const char *s)
{
	if (*s == '\0' || strlen(s) >= 16)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

/* The next blank-separated word of *s, copied into buf; *s moves past it. */
static const char *word(const char **s, char *buf, size_t size)
{
	const char *start = skip_blank(*s), *e = start;
	size_t n;
	while (*e != '\0' && !is_blank(*e))
		e++;
	n = (size_t)(e - start);
	if (n >= size)
		n = size - 1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	*s = skip_blank(e);
	return start;
}

/* "3x3" (or "3×3") into rows and cols. */
static int parse_size(const char *s, size_t *rows, size_t *cols)
{
	char *end;
	unsigned long r, c;
	if (*s < '1' || *s > '9')
		return -1;
	errno = 0;
	r = strtoul(s, &end, 10);
	if (*end == 'x')
		end++;
	else if (strncmp(end, "\xc3\x97", 2) == 0)
		end += 2;
	else
		return -1;
	if (*end < '1' || *end > '9')
		return -1;
	c = strtoul(end, &end, 10);
	if (*end != '\0' || errno != 0 || r > 64 || c > 64)
		return -1;
	*rows = r;
	*cols = c;
	return 0;
}

static int name_taken(const lesson *l, const char *name)
{
	for (size_t i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].name, name) == 0)
			return 1;
	for (size_t i = 0; i < l->ndefs; i++)
		if (strcmp(l->defs[i].name, name) == 0)
			return 1;
	return 0;
}

static int symbol_taken(const lesson *l, const char *sym)
{
	for (size_t i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].sym, sym) == 0)
			return 1;
	return 0;
}

/* Checks a new name (of a matrix, a scalar or a definition) at `at`. */
static int check_new_name(lp *p, const char *name, const char *at)
{
	if (!valid_identifier(name)) {
		error_at(p, column_of(p, at), "expected a name but found '%s'", name);
		return -1;
	}
	if (dv_eval_is_function(name)) {
		error_at(p, column_of(p, at),
		         "'%s' is a function and cannot name a matrix", name);
		return -1;
	}
	if (name_taken(p->l, name)) {
		error_at(p, column_of(p, at), "'%s' is declared twice", name);
		return -1;
	}
	return 0;
}

/* Checks the symbols' name of a new matrix (or scalar) at `at`. */
static int check_new_symbol(lp *p, const char *sym, const char *at, int scalar)
{
	const char *label = sym_map_label(sym);
	char letters[64];
	snprintf(letters, sizeof letters, "%.*s",
	         label != NULL ? (int)(label - 1 - sym) : (int)strlen(sym), sym);
	if (!letters_only(letters) || strlen(sym) > 15) {
		error_at(p, column_of(p, at), "the %s name has 1 to 15 letters, not '%s'",
		         scalar ? "symbol's" : "symbols'", sym);
		return -1;
	}
	if (symbol_taken(p->l, sym)) {
		if (scalar)
			error_at(p, column_of(p, at), "the symbol '%s' is declared twice",
			         sym);
		else
			error_at(p, column_of(p, at),
			         "the symbols '%s' belong to another matrix", sym);
		return -1;
	}
	return 0;
}

static lesson_var *new_var(lp *p)
{
	lesson_var *v = realloc(p->l->vars, (p->l->nvars + 1) * sizeof *v);
	if (v == NULL) {
		error_at(p, 1, "out of memory");
		return NULL;
	}
	p->l->vars = v;
	v = &v[p->l->nvars];
	memset(v, 0, sizeof *v);
	v->line = p->line;
	return v;
}

/* matrix X = x 3x3 [checked 4x5] [numbers EXPR]  |  matrix X = x like EXPR */
/*
 * A matrix `name` of symbols `sym`, its size from s on (the rest of the
 * line: SIZE [checked SIZE] [numbers EXPR], or like EXPR).
 */
static void declare_matrix(lp *p, const char *name, const char *at_name, const char *sym,
                           const char *at_sym, const char *s)
{
	char size[32];
	const char *at_size;
	lesson_var *v;

	if (check_new_name(p, name, at_name) != 0)
		return;
	if (check_new_symbol(p, sym, at_sym, 0) != 0)
		return;
	if ((v = new_var(p)) == NULL)
		return;
	at_size = word(&s, size, sizeof size);
	if (strcmp(size, "like") == 0) {
		if (*s == '\0') {
			error_at(p, column_of(p, s),
			         "expected an expression after 'like'");
			return;
		}
		v->like = parse_expr_at(p, s);
		if (v->like == NULL)
			return;
	} else {
		char kw[32];
		if (parse_size(size, &v->rows, &v->cols) != 0) {
			error_at(p, column_of(p, at_size),
			         "expected a size such as 3x3 (1 to 64 each) or 'like "
			         "EXPR' "
			         "but found '%s'",
			         size);
			return;
		}
		v->check_rows = v->rows;
		v->check_cols = v->cols;
		while (*s != '\0') {
			const char *at_kw = word(&s, kw, sizeof kw);
			if (strcmp(kw, "checked") == 0) {
				const char *at = word(&s, size, sizeof size);
				if (parse_size(size, &v->check_rows, &v->check_cols) !=
				    0) {
					error_at(p, column_of(p, at),
					         "expected a size such as 4x5 after "
					         "'checked' but found '%s'",
					         size);
					return;
				}
			} else if (strcmp(kw, "numbers") == 0) {
				v->numbers = parse_expr_at(p, s);
				if (v->numbers == NULL)
					return;
				break;
			} else {
				error_at(p, column_of(p, at_kw),
				         "expected 'checked SIZE' or 'numbers EXPR' but "
				         "found '%s'",
				         kw);
				return;
			}
		}
	}
	v->name = dup_s(p, name);
	v->sym = dup_s(p, sym);
	p->l->nvars++;
}

static void parse_matrix(lp *p, const char *s)
{
	char name[64], eq[8], sym[64];
	const char *at_name = word(&s, name, sizeof name), *at_sym;

	word(&s, eq, sizeof eq);
	at_sym = word(&s, sym, sizeof sym);
	if (name[0] == '\0' || strcmp(eq, "=") != 0 || sym[0] == '\0') {
		error_at(p, column_of(p, at_name),
		         "expected 'matrix NAME = SYMBOL SIZE' (matrix X = x 3x3)");
		return;
	}
	declare_matrix(p, name, at_name, sym, at_sym, s);
}

/*
 * maps NAME = SYM SYM ... [; SYM SYM ...] SIZE ...: several maps in one
 * line, NAME1, NAME2, ... or, with rows separated by ';', a table NAME11,
 * NAME12, ... (K_ij from input map i to output map j); '.' leaves a place
 * of the table empty (the connection table M_j has no such K_ij).
 */
static void parse_maps(lp *p, const char *s)
{
	char name[64], eq[8], tok[64];
	const char *at_name = word(&s, name, sizeof name), *rest;
	struct {
		char sym[64];
		const char *at;
		size_t row, col;
	} maps[64];
	size_t n = 0, row = 1, col = 0, rows = 1;

	word(&s, eq, sizeof eq);
	if (name[0] == '\0' || strcmp(eq, "=") != 0) {
		error_at(p, column_of(p, at_name),
		         "expected 'maps NAME = SYMBOL SYMBOL ... SIZE' (maps X = x x 3x3)");
		return;
	}
	for (;;) {
		size_t r, c;
		const char *at;
		rest = s;
		at = word(&s, tok, sizeof tok);
		if (tok[0] == '\0' || strcmp(tok, "like") == 0 || parse_size(tok, &r, &c) == 0)
			break;
		if (strcmp(tok, ";") == 0) {
			row++;
			rows = row;
			col = 0;
			continue;
		}
		col++;
		if (strcmp(tok, ".") == 0)
			continue; /* no map here */
		if (n == sizeof maps / sizeof maps[0]) {
			error_at(p, column_of(p, at), "at most 64 maps in one line");
			return;
		}
		snprintf(maps[n].sym, sizeof maps[n].sym, "%s", tok);
		maps[n].at = at;
		maps[n].row = row;
		maps[n].col = col;
		n++;
	}
	if (n == 0 || tok[0] == '\0') {
		error_at(p, column_of(p, rest),
		         "expected the maps' symbols and then their size (maps X = x x "
		         "3x3, or a table: maps K = k . ; k k 2x2)");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char full[128], label[48], sym[128];
		size_t same = 0;
		if (rows > 1)
			snprintf(label, sizeof label, "%zu%zu", maps[i].row, maps[i].col);
		else
			snprintf(label, sizeof label, "%zu", maps[i].col);
		snprintf(full, sizeof full, "%.63s%.47s", name, label);
		/* maps X = x x 3x3: one letter for several maps, each entry
		 * written with its map, (x₂)₁₁ */
		for (size_t k = 0; k < n; k++)
			same += strcmp(maps[k].sym, maps[i].sym) == 0;
		if (same > 1 && letters_only(maps[i].sym))
			snprintf(sym, sizeof sym, "%.63s_%.47s", maps[i].sym, label);
		else
			snprintf(sym, sizeof sym, "%.63s", maps[i].sym);
		declare_matrix(p, full, at_name, sym, maps[i].at, rest);
	}
}

/* scalar beta [= symbol] */
static void parse_scalar(lp *p, const char *s)
{
	char name[64], eq[8], sym[64];
	const char *at_name = word(&s, name, sizeof name), *at_sym = s;
	lesson_var *v;

	word(&s, eq, sizeof eq);
	if (eq[0] != '\0') {
		at_sym = word(&s, sym, sizeof sym);
		if (strcmp(eq, "=") != 0 || sym[0] == '\0' || *s != '\0') {
			error_at(p, column_of(p, at_name),
			         "expected 'scalar NAME' or 'scalar NAME = SYMBOL'");
			return;
		}
	} else {
		snprintf(sym, sizeof sym, "%s", name);
		at_sym = at_name;
	}
	if (check_new_name(p, name, at_name) != 0)
		return;
	if (check_new_symbol(p, sym, at_sym, 1) != 0)
		return;
	if ((v = new_var(p)) == NULL)
		return;
	v->scalar = 1;
	v->rows = v->cols = v->check_rows = v->check_cols = 1;
	v->name = dup_s(p, name);
	v->sym = dup_s(p, sym);
	p->l->nvars++;
}

static void parse_define(lp *p, const char *s)
{
	char name[64], eq[8];
	const char *at_name = word(&s, name, sizeof name);
	lesson_define *d;
	dv_node *tree;

	word(&s, eq, sizeof eq);
	if (name[0] == '\0' || strcmp(eq, "=") != 0 || *s == '\0') {
		error_at(p, column_of(p, at_name), "expected 'define NAME = EXPR'");
		return;
	}
	if (check_new_name(p, name, at_name) != 0)
		return;
	if ((tree = parse_expr_at(p, s)) == NULL)
		return;
	d = realloc(p->l->defs, (p->l->ndefs + 1) * sizeof *d);
	if (d == NULL) {
		dv_node_free(tree);
		error_at(p, 1, "out of memory");
		return;
	}
	p->l->defs = d;
	d[p->l->ndefs++] = (lesson_define){dup_s(p, name), tree, p->line, dup_s(p, s)};
}

static void parse_latex(lp *p, const char *s)
{
	char sym[64], eq[8];
	const char *at = word(&s, sym, sizeof sym);
	sym_latex_name *names;

	word(&s, eq, sizeof eq);
	if (!letters_only(sym) || strcmp(eq, "=") != 0 || *s == '\0') {
		error_at(p, column_of(p, at),
		         "expected 'latex SYMBOL = PATTERN' (latex d = "
		         "\\delta_{%%s})");
		return;
	}
	if (strstr(s, "%s") == NULL || strstr(strstr(s, "%s") + 2, "%") != NULL) {
		error_at(p, column_of(p, s),
		         "the pattern needs one %%s where the indices go, and no other "
		         "%%");
		return;
	}
	names = realloc(p->l->latex, (p->l->nlatex + 2) * sizeof *names);
	if (names == NULL) {
		error_at(p, 1, "out of memory");
		return;
	}
	p->l->latex = names;
	names[p->l->nlatex++] = (sym_latex_name){dup_s(p, sym), dup_s(p, s)};
	names[p->l->nlatex] = (sym_latex_name){NULL, NULL};
}

static void parse_activation(lp *p, const char *s)
{
	static const struct {
		const char *name;
		dv_act act;
	} acts[] = {{"sigmoid", DV_ACT_SIGMOID},
	            {"tanh", DV_ACT_TANH},
	            {"relu", DV_ACT_RELU},
	            {"identity", DV_ACT_IDENTITY}};
	char f[16], eq[8], name[32];
	const char *at = word(&s, f, sizeof f), *at_name;

	word(&s, eq, sizeof eq);
	at_name = word(&s, name, sizeof name);
	if (strcmp(f, "f") != 0 || strcmp(eq, "=") != 0 || *s != '\0') {
		error_at(p, column_of(p, at),
		         "expected 'activation f = sigmoid' (or tanh, "
		         "relu, identity)");
		return;
	}
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		if (strcmp(acts[i].name, name) == 0) {
			p->l->f_is = acts[i].act;
			return;
		}
	}
	error_at(p, column_of(p, at_name),
	         "unknown activation '%s' (expected sigmoid, tanh, relu or identity)",
	         name);
}

static lesson_action *new_action(lp *p, lesson_kind kind, const char *arg)
{
	lesson_step *st = &p->l->steps[p->l->nsteps - 1];
	lesson_action *a = realloc(st->actions, (st->nactions + 1) * sizeof *a);
	if (a == NULL) {
		error_at(p, 1, "out of memory");
		return NULL;
	}
	st->actions = a;
	a = &a[st->nactions++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->line = p->line;
	a->column = column_of(p, arg);
	a->text = dup_s(p, arg);
	return a;
}

static const lesson_var *find_var(const lesson *l, const char *name)
{
	for (size_t i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i].name, name) == 0)
			return &l->vars[i];
	return NULL;
}

static void parse_gradcheck(lp *p, lesson_action *a, const char *s)
{
	const dv_node *g = a->lhs;
	if (g->kind != DV_N_CALL || strcmp(g->text, "grad") != 0 || g->nkids != 2 ||
	    g->kids[1]->kind != DV_N_NAME || find_var(p->l, g->kids[1]->text) == NULL) {
		error_at(
		        p, column_of(p, s),
		        "a gradcheck compares grad(LOSS, X), X a declared matrix, to the "
		        "gradient the lesson claims");
		return;
	}
	a->loss = g->kids[0];
	a->wrt = g->kids[1]->text;
}

/* show LABEL = EXPR, numbers LABEL = EXPR */
static void parse_show(lp *p, lesson_action *a, const char *s)
{
	char label[64], eq[8];
	const char *at = word(&s, label, sizeof label);
	word(&s, eq, sizeof eq);
	if (label[0] == '\0' || strcmp(eq, "=") != 0 || *s == '\0') {
		error_at(p, column_of(p, at),
		         "expected '%s LABEL = EXPR' (show A = conv(X, K))",
		         a->kind == LESSON_SHOW ? "show" : "numbers");
		return;
	}
	a->label = dup_s(p, label);
	a->expr = parse_expr_at(p, s);
}

static int exercise_id_taken(const lesson *l, const char *id)
{
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			if (l->steps[i].actions[j].ex_id != NULL &&
			    strcmp(l->steps[i].actions[j].ex_id, id) == 0)
				return 1;
	return 0;
}

/* exercise ID entry R C EXPR | numbers EXPR | form EXPR | diagnose */
static void parse_exercise(lp *p, lesson_action *a, const char *s)
{
	char id[64], kind[16];
	const char *at_id = word(&s, id, sizeof id),
	           *at_kind = word(&s, kind, sizeof kind);

	for (const char *c = id; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')) {
			error_at(p, column_of(p, at_id),
			         "an exercise's id has letters, digits, '-' and '_', not "
			         "'%s'",
			         id);
			return;
		}
	if (id[0] == '\0' || exercise_id_taken(p->l, id)) {
		error_at(p, column_of(p, at_id),
		         id[0] == '\0' ? "expected 'exercise ID KIND ...'"
		                       : "the exercise id '%s' is used twice",
		         id);
		return;
	}
	a->ex_id = dup_s(p, id);
	a->tolerance = 1e-6;
	if (strcmp(kind, "entry") == 0) {
		char num[16];
		const char *at_r = word(&s, num, sizeof num);
		char *end;
		long r = strtol(num, &end, 10), c;
		if (*end != '\0' || r < 1) {
			error_at(p, column_of(p, at_r),
			         "expected 'exercise ID entry ROW COL EXPR' (entry 2 2 "
			         "grad(E, X))");
			return;
		}
		at_r = word(&s, num, sizeof num);
		c = strtol(num, &end, 10);
		if (*end != '\0' || c < 1) {
			error_at(p, column_of(p, at_r),
			         "expected 'exercise ID entry ROW COL EXPR' (entry 2 2 "
			         "grad(E, X))");
			return;
		}
		a->ex_kind = EXERCISE_ENTRY;
		a->ex_row = (size_t)r;
		a->ex_col = (size_t)c;
	} else if (strcmp(kind, "numbers") == 0) {
		a->ex_kind = EXERCISE_NUMBERS;
	} else if (strcmp(kind, "form") == 0) {
		a->ex_kind = EXERCISE_FORM;
	} else if (strcmp(kind, "diagnose") == 0 || strcmp(kind, "mistake") == 0) {
		a->ex_kind = kind[0] == 'd' ? EXERCISE_DIAGNOSE : EXERCISE_MISTAKE;
		if (*s != '\0')
			error_at(p, column_of(p, s),
			         "a %s exercise takes its %s on 'line' directives", kind,
			         kind[0] == 'd' ? "derivation" : "wrong step");
		p->exercise = a;
		return;
	} else {
		error_at(p, column_of(p, at_kind),
		         "expected the kind of exercise, entry, numbers, form, diagnose "
		         "or mistake, but found '%s'",
		         kind);
		return;
	}
	if (*s == '\0') {
		error_at(p, column_of(p, s),
		         "expected the expression the answer must equal");
		return;
	}
	a->target_text = dup_s(p, s);
	a->target = parse_expr_at(p, s);
	p->exercise = a;
}

/* Appends a copy of text to a list of texts (hints, names). */
static void push_text(lp *p, char ***list, size_t *n, const char *text)
{
	char **grown = realloc(*list, (*n + 1) * sizeof *grown);
	if (grown == NULL) {
		error_at(p, 1, "out of memory");
		return;
	}
	*list = grown;
	grown[(*n)++] = dup_s(p, text);
}

/* The definition of l named `name`, or -1. */
static long def_named(const lesson *l, const char *name)
{
	for (size_t i = 0; i < l->ndefs; i++)
		if (strcmp(l->defs[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * Whether definition i reaches itself through the names of its tree: state
 * 0 unseen, 1 on the path, 2 done.  The path, for the message, in path.
 */
static int reaches_cycle(const lesson *l, size_t i, unsigned char *state, dv_strbuf *path,
                         int depth);

static int names_reach(const lesson *l, const dv_node *n, unsigned char *state,
                       dv_strbuf *path, int depth)
{
	long k;
	if (n->kind == DV_N_NAME && (k = def_named(l, n->text)) >= 0 &&
	    reaches_cycle(l, (size_t)k, state, path, depth + 1))
		return 1;
	for (size_t c = 0; c < n->nkids; c++)
		if (names_reach(l, n->kids[c], state, path, depth))
			return 1;
	return 0;
}

static int reaches_cycle(const lesson *l, size_t i, unsigned char *state, dv_strbuf *path,
                         int depth)
{
	if (state[i] == 1) {
		dv_strbuf_printf(path, "%s", l->defs[i].name);
		return 1;
	}
	if (state[i] == 2 || depth > 4096)
		return 0;
	state[i] = 1;
	if (names_reach(l, l->defs[i].tree, state, path, depth)) {
		/* the path is written from the end back: prepend this name */
		dv_strbuf_printf(path, " \xe2\x86\x90 %s", l->defs[i].name);
		return 1;
	}
	state[i] = 2;
	return 0;
}

/* A definition that uses itself, through others or not, is an error at
 * its line, found when the lesson (or a context) is read. */
static void check_cycles(lp *p)
{
	const lesson *l = p->l;
	unsigned char *state = calloc(l->ndefs + 1, 1);
	if (state == NULL)
		return;
	for (size_t i = 0; i < l->ndefs; i++) {
		dv_strbuf path;
		dv_strbuf_init(&path);
		if (state[i] == 0 && reaches_cycle(l, i, state, &path, 0)) {
			int line = p->line;
			p->line = l->defs[i].line;
			/* the path was written from its end: read it forward */
			char forward[512] = "";
			const char *arrow = " \xe2\x86\x90 ";
			char *at = path.s;
			while (at != NULL) {
				char *next = strstr(at, arrow);
				size_t len = next != NULL ? (size_t)(next - at) : strlen(at);
				char tmp[512];
				snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)len, at,
				         forward[0] != '\0' ? " \xe2\x86\x92 " : "", forward);
				snprintf(forward, sizeof forward, "%s", tmp);
				at = next != NULL ? next + strlen(arrow) : NULL;
			}
			{
				/* the cycle itself: from the first use of its last name */
				const char *last = strrchr(forward, ' ');
				const char *name = last != NULL ? last + 1 : forward;
				const char *from = strstr(forward, name);
				long k = def_named(l, name);
				size_t nlen = strlen(name);
				while (from != NULL && from != forward && from[-1] != ' ')
					from = strstr(from + 1, name);
				while (from != NULL && from[nlen] != ' ' && from[nlen] != '\0')
					from = strstr(from + 1, name);
				if (k >= 0)
					p->line = l->defs[k].line;
				error_at(p, 1, "the definition of '%s' uses itself (%s)", name,
				         from != NULL ? from : forward);
			}
			p->line = line;
			dv_strbuf_free(&path);
			break;
		}
		dv_strbuf_free(&path);
	}
	free(state);
}

static void push_sizes(lp *p, const char *text)
{
	char **grown = realloc(p->l->sizes, (p->l->nsizes + 1) * sizeof *grown);
	if (grown == NULL) {
		error_at(p, 1, "out of memory");
		return;
	}
	p->l->sizes = grown;
	grown[p->l->nsizes++] = dup_s(p, text);
}

/* ask, hint, tolerance, line and answer, after an exercise. */
static void exercise_detail(lp *p, const char *kw, const char *kw_at, const char *arg)
{
	lesson_action *e = p->exercise;

	if (e == NULL) {
		error_at(p, column_of(p, kw_at), "'%s' belongs after an exercise", kw);
		return;
	}
	if (*arg == '\0') {
		error_at(p, column_of(p, arg), "expected something after '%s'", kw);
		return;
	}
	if (strcmp(kw, "ask") == 0) {
		if (e->ask != NULL)
			error_at(p, column_of(p, kw_at),
			         "the exercise has a question already");
		else
			e->ask = dup_s(p, arg);
	} else if (strcmp(kw, "hint") == 0) {
		push_text(p, &e->hints, &e->nhints, arg);
	} else if (strcmp(kw, "tolerance") == 0) {
		char *end;
		double t = strtod(arg, &end);
		if (*end != '\0' || !(t >= 0) || t > 1e6 ||
		    e->ex_kind != EXERCISE_NUMBERS)
			error_at(p, column_of(p, arg),
			         "a tolerance (a number from 0 to 1e6) belongs to a "
			         "numbers "
			         "exercise");
		else
			e->tolerance = t;
	} else if (strcmp(kw, "allow") == 0) {
		/* the names an answer may use, separated by spaces or commas */
		const char *q = arg;
		while (*q != '\0') {
			char word[64];
			size_t n = 0;
			while (*q == ' ' || *q == ',' || *q == '\t')
				q++;
			if (*q == '\0')
				break;
			if (!isalpha((unsigned char)*q) && *q != '_') {
				error_at(p, column_of(p, q),
				         "expected the name of a matrix, a scalar or a "
				         "definition after 'allow' but found '%c'",
				         *q);
				return;
			}
			while ((isalnum((unsigned char)*q) || *q == '_') && n + 1 < sizeof word)
				word[n++] = *q++;
			word[n] = '\0';
			push_text(p, &e->allow, &e->nallow, word);
		}
	} else if (strcmp(kw, "name") == 0) {
		if (e->ex_kind != EXERCISE_MISTAKE)
			error_at(p, column_of(p, kw_at),
			         "'name' belongs to a mistake exercise");
		else
			push_text(p, &e->names, &e->nnames, arg);
	} else if (strcmp(kw, "line") == 0) {
		lesson_action *l;
		if (e->ex_kind != EXERCISE_DIAGNOSE && e->ex_kind != EXERCISE_MISTAKE) {
			error_at(p, column_of(p, kw_at),
			         "'line' belongs to a diagnose or a mistake exercise");
			return;
		}
		if (e->ex_kind == EXERCISE_MISTAKE && e->nlines == 1) {
			error_at(p, column_of(p, kw_at),
			         "a mistake exercise has one 'line': the wrong step");
			return;
		}
		l = realloc(e->lines, (e->nlines + 1) * sizeof *l);
		if (l == NULL) {
			error_at(p, 1, "out of memory");
			return;
		}
		e->lines = l;
		l = &l[e->nlines++];
		memset(l, 0, sizeof *l);
		l->kind = LESSON_CLAIM;
		l->line = p->line;
		l->column = column_of(p, arg);
		l->text = dup_s(p, arg);
		parse_equation_at(p, arg, l);
	} else { /* answer */
		if ((e->ex_kind != EXERCISE_DIAGNOSE && e->ex_kind != EXERCISE_FORM &&
		     e->ex_kind != EXERCISE_MISTAKE) ||
		    e->fix_text != NULL) {
			error_at(p, column_of(p, kw_at),
			         "'answer' gives a form exercise its model answer, or a "
			         "diagnose or mistake exercise the right side its wrong "
			         "line needs, once");
			return;
		}
		e->fix_text = dup_s(p, arg);
		e->fix = parse_expr_at(p, arg);
	}
}

/* a: `kind` of l's left side == rhs, all borrowed. */
static void borrow_equation(lesson_action *a, lesson_kind kind, const lesson_action *l,
                            dv_node *rhs, char *rhs_text)
{
	a->kind = kind;
	a->line = l->line;
	a->column = l->column;
	a->lhs = l->lhs;
	a->lhs_text = l->lhs_text;
	a->rhs = rhs;
	a->rhs_text = rhs_text;
}

/*
 * A mistake's own check, run with its lesson: its line must fail, and the
 * line with the repair must hold, as a refute and its 'instead'.  It
 * borrows the exercise's trees and texts.
 */
static void mistake_check(lp *p, lesson_action *e)
{
	lesson_action *r = calloc(1, sizeof *r), *fixed = calloc(1, sizeof *fixed);
	const lesson_action *l = &e->lines[0];

	if (r == NULL || fixed == NULL) {
		free(r);
		free(fixed);
		error_at(p, 1, "out of memory");
		return;
	}
	borrow_equation(r, LESSON_REFUTE, l, l->rhs, l->rhs_text);
	r->why = e->names[0];
	r->instead = fixed;
	borrow_equation(fixed, LESSON_CLAIM, l, e->fix, e->fix_text);
	e->caught = r;
}

/* An exercise is complete when it has its question and, to diagnose, its lines. */
static void exercise_done(lp *p)
{
	lesson_action *e = p->exercise;
	int line = p->line;
	if (e == NULL)
		return;
	p->line = e->line;
	if (e->ask == NULL)
		error_at(p, e->column,
		         "the exercise '%s' has no question: add 'ask TEXT'",
		         e->ex_id != NULL ? e->ex_id : "");
	if (e->ex_kind == EXERCISE_DIAGNOSE && (e->nlines < 2 || e->fix == NULL))
		error_at(p, e->column,
		         "a diagnose exercise needs at least two 'line A == B' and an "
		         "'answer EXPR'");
	if (e->ex_kind == EXERCISE_MISTAKE) {
		if (e->nlines != 1 || e->fix == NULL || e->nnames == 0 ||
		    e->lines[0].lhs == NULL)
			error_at(p, e->column,
			         "a mistake exercise needs its wrong step ('line A == "
			         "B'), the repair ('answer EXPR') and at least one "
			         "'name TEXT'");
		else
			mistake_check(p, e);
	}
	p->line = line;
	p->exercise = NULL;
}

/* A refute that ends without 'instead' is an error at the refute. */
static void missing_instead(lp *p)
{
	if (p->refute != NULL && p->refute->instead == NULL) {
		int line = p->line;
		p->line = p->refute->line;
		error_at(p, p->refute->column,
		         "a refute needs its corrected form: add 'instead LEFT == RIGHT' "
		         "after it");
		p->line = line;
	}
	p->refute = NULL;
}

int lesson_next_slot(const char *s, lesson_slot *slot)
{
	const char *open = strstr(s, "{{"), *close, *e;
	static const char words[] = " in words", size[] = " as a size", checked[] = "checked ";

	if (open == NULL)
		return 0;
	slot->start = open;
	if ((close = strstr(open + 2, "}}")) == NULL)
		return -1;
	slot->end = close + 2;
	slot->expr = open + 2;
	e = close;
	while (e > slot->expr && is_blank(e[-1]))
		e--;
	slot->words = (size_t)(e - slot->expr) >= sizeof words - 1 &&
	              strncmp(e - (sizeof words - 1), words, sizeof words - 1) == 0;
	if (slot->words)
		e -= sizeof words - 1;
	slot->size = !slot->words && (size_t)(e - slot->expr) >= sizeof size - 1 &&
	             strncmp(e - (sizeof size - 1), size, sizeof size - 1) == 0;
	if (slot->size)
		e -= sizeof size - 1;
	while (slot->expr < e && is_blank(*slot->expr))
		slot->expr++;
	slot->checked = (size_t)(e - slot->expr) >= sizeof checked - 1 &&
	                strncmp(slot->expr, checked, sizeof checked - 1) == 0;
	if (slot->checked)
		slot->expr += sizeof checked - 1;
	slot->expr_len = (size_t)(e - slot->expr);
	return 1;
}

/* The slots of a text line, parsed once into a->slots (evaluated each run). */
static void parse_text_slots(lp *p, lesson_action *a, const char *arg)
{
	lesson_slot slot;
	int found;

	for (const char *s = arg; (found = lesson_next_slot(s, &slot)) != 0; s = slot.end) {
		char *expr;
		dv_node *n = NULL;
		dv_diag d;
		if (found < 0) {
			error_at(p, column_of(p, slot.start),
			         "'{{' without its '}}' (a number of the text is "
			         "written {{EXPR}} or {{EXPR in words}}, a size "
			         "{{EXPR as a size}})");
			return;
		}
		if (a->own_sizes) {
			error_at(p, column_of(p, slot.start),
			         "an example line is about the lesson's own sizes: it "
			         "has no {{...}} (write it as a text line)");
			return;
		}
		if ((expr = dup_n(p, slot.expr, slot.expr_len)) == NULL)
			return;
		dv_diag_clear(&d);
		if (dv_parse_at(&n, expr, p->line, column_of(p, slot.expr), &d) != DV_OK) {
			error_at(p, d.column, "%s", d.message);
		} else {
			/* kept, to be evaluated each time the lesson runs */
			dv_node **grown = realloc(a->slots, (a->nslots + 1) * sizeof *grown);
			if (grown == NULL) {
				dv_node_free(n);
				free(expr);
				error_at(p, 1, "out of memory");
				return;
			}
			a->slots = grown;
			a->slots[a->nslots++] = n;
		}
		free(expr);
	}
}

static void directive(lp *p, const char *kw, const char *kw_at, const char *arg)
{
	static const struct {
		const char *kw;
		lesson_kind kind;
	} step_kinds[] = {
	        {"zh", LESSON_ZH},
	        {"en", LESSON_EN},
	        {"text", LESSON_TEXT},
	        {"example", LESSON_TEXT},
	        {"formula", LESSON_FORMULA},
	        {"show", LESSON_SHOW},
	        {"numbers", LESSON_NUMBERS},
	        {"claim", LESSON_CLAIM},
	        {"refute", LESSON_REFUTE},
	        {"gradcheck", LESSON_GRADCHECK},
	        {"exercise", LESSON_EXERCISE},
	};
	lesson *l = p->l;
	char **header = NULL;

	if (strcmp(kw, "lesson") == 0)
		header = &l->name;
	else if (strcmp(kw, "title") == 0)
		header = &l->title;
	else if (strcmp(kw, "summary") == 0)
		header = &l->summary;
	else if (strcmp(kw, "source") == 0)
		header = &l->source;
	if (header != NULL) {
		if (*arg == '\0') {
			error_at(p, column_of(p, arg), "expected text after '%s'", kw);
		} else if (*header != NULL) {
			error_at(p, column_of(p, kw_at), "'%s' is given twice", kw);
		} else if (l->nsteps > 0) {
			error_at(p, column_of(p, kw_at),
			         "'%s' belongs before the first step", kw);
		} else {
			if (header == &l->name) {
				for (const char *c = arg; *c != '\0'; c++) {
					if (!((*c >= 'a' && *c <= 'z') ||
					      (*c >= '0' && *c <= '9') || *c == '-')) {
						error_at(p, column_of(p, c),
						         "a lesson name has lower-case "
						         "letters, "
						         "digits and '-', not '%s'",
						         arg);
						break;
					}
				}
			}
			*header = dup_s(p, arg);
		}
		return;
	}
	if (strcmp(kw, "matrix") == 0 || strcmp(kw, "scalar") == 0 ||
	    strcmp(kw, "maps") == 0) {
		if (l->nsteps > 0)
			error_at(p, column_of(p, kw_at),
			         "declare matrices before the first step");
		else if (strcmp(kw, "maps") == 0)
			parse_maps(p, arg);
		else if (kw[0] == 'm')
			parse_matrix(p, arg);
		else
			parse_scalar(p, arg);
		return;
	}
	if (strcmp(kw, "define") == 0) {
		parse_define(p, arg);
		return;
	}
	if (strcmp(kw, "sizes") == 0) {
		/* a size variant the lesson is run at too: NAME=RxC ... */
		const char *q = arg;
		if (*q == '\0') {
			error_at(p, column_of(p, arg), "expected NAME=RxC after 'sizes'");
			return;
		}
		while (*q != '\0') {
			char name[64];
			size_t n = 0, k;
			unsigned rows, cols;
			int used = 0;
			const char *at = q;
			while ((isalnum((unsigned char)*q) || *q == '_') && n + 1 < sizeof name)
				name[n++] = *q++;
			name[n] = '\0';
			if (n == 0 || *q != '=' || sscanf(q + 1, "%ux%u%n", &rows, &cols, &used) != 2 ||
			    rows == 0 || cols == 0 || rows > 64 || cols > 64) {
				error_at(p, column_of(p, at),
				         "expected NAME=RxC (sizes 1 to 64) in 'sizes'");
				return;
			}
			for (k = 0; k < l->nvars && strcmp(l->vars[k].name, name) != 0; k++)
				;
			if (k == l->nvars) {
				error_at(p, column_of(p, at),
				         "'sizes' names %s, which is no matrix declared above it",
				         name);
				return;
			}
			q += 1 + used;
			while (*q == ' ' || *q == '\t')
				q++;
		}
		push_sizes(p, arg);
		return;
	}
	if (strcmp(kw, "order") == 0) {
		char *end;
		long n = strtol(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || n > 999)
			error_at(p, column_of(p, arg),
			         "expected the lesson's place in the course, 0 to 999");
		else
			l->order = (int)n;
		return;
	}
	if (strcmp(kw, "latex") == 0) {
		parse_latex(p, arg);
		return;
	}
	if (strcmp(kw, "activation") == 0) {
		parse_activation(p, arg);
		return;
	}
	if (strcmp(kw, "ask") == 0 || strcmp(kw, "hint") == 0 ||
	    strcmp(kw, "tolerance") == 0 || strcmp(kw, "line") == 0 ||
	    strcmp(kw, "answer") == 0 || strcmp(kw, "name") == 0 ||
	    strcmp(kw, "allow") == 0) {
		exercise_detail(p, kw, kw_at, arg);
		return;
	}
	if (strcmp(kw, "step") == 0) {
		exercise_done(p);
		lesson_step *st = realloc(l->steps, (l->nsteps + 1) * sizeof *st);
		if (*arg == '\0') {
			error_at(p, column_of(p, arg),
			         "expected the step's title after 'step'");
			if (st != NULL)
				l->steps = st;
			return;
		}
		if (st == NULL) {
			error_at(p, 1, "out of memory");
			return;
		}
		l->steps = st;
		st[l->nsteps++] = (lesson_step){dup_s(p, arg), p->line, NULL, 0};
		missing_instead(p);
		return;
	}
	if (strcmp(kw, "as") == 0) {
		/* claim ... then as TEXT: the check shown in a derivation's own
		 * notation, its expression beneath */
		lesson_step *st = l->nsteps > 0 ? &l->steps[l->nsteps - 1] : NULL;
		lesson_action *c =
		        st != NULL && st->nactions > 0 ? &st->actions[st->nactions - 1] : NULL;
		if (c == NULL || (c->kind != LESSON_CLAIM && c->kind != LESSON_REFUTE &&
		                  c->kind != LESSON_GRADCHECK))
			error_at(p, column_of(p, kw_at),
			         "'as' belongs right after a claim, refute or gradcheck (it "
			         "says how the check is shown)");
		else if (c->as != NULL)
			error_at(p, column_of(p, kw_at), "the check has an 'as' already");
		else if (*arg == '\0')
			error_at(p, column_of(p, arg), "expected how to show the check after 'as'");
		else
			c->as = dup_s(p, arg);
		return;
	}
	if (strcmp(kw, "why") == 0 || strcmp(kw, "instead") == 0) {
		lesson_action *r = p->refute;
		if (r == NULL) {
			error_at(p, column_of(p, kw_at),
			         "'%s' belongs right after a refute", kw);
			return;
		}
		if (kw[0] == 'w') {
			if (r->why != NULL)
				error_at(p, column_of(p, kw_at),
				         "the refute has a 'why' already");
			else if (*arg == '\0')
				error_at(p, column_of(p, arg),
				         "expected text after 'why'");
			else
				r->why = dup_s(p, arg);
			return;
		}
		if (r->instead != NULL) {
			error_at(p, column_of(p, kw_at),
			         "the refute has an 'instead' already");
			return;
		}
		r->instead = calloc(1, sizeof *r->instead);
		if (r->instead == NULL) {
			error_at(p, 1, "out of memory");
			return;
		}
		r->instead->kind = LESSON_CLAIM;
		r->instead->line = p->line;
		r->instead->column = column_of(p, arg);
		r->instead->text = dup_s(p, arg);
		if (*arg == '\0')
			error_at(p, column_of(p, arg),
			         "expected 'instead LEFT == RIGHT'");
		else
			parse_equation_at(p, arg, r->instead);
		return;
	}
	for (size_t i = 0; i < sizeof step_kinds / sizeof step_kinds[0]; i++) {
		lesson_action *a;
		if (strcmp(kw, step_kinds[i].kw) != 0)
			continue;
		if (l->nsteps == 0) {
			error_at(p, column_of(p, kw_at),
			         "'%s' belongs inside a step (start one "
			         "with 'step TITLE')",
			         kw);
			return;
		}
		if (*arg == '\0') {
			error_at(p, column_of(p, arg), "expected something after '%s'",
			         kw);
			return;
		}
		missing_instead(p);
		exercise_done(p);
		if ((a = new_action(p, step_kinds[i].kind, arg)) == NULL)
			return;
		switch (a->kind) {
		case LESSON_SHOW:
		case LESSON_NUMBERS:
			parse_show(p, a, arg);
			break;
		case LESSON_CLAIM:
		case LESSON_REFUTE:
		case LESSON_GRADCHECK:
			if (parse_equation_at(p, arg, a) == 0 &&
			    a->kind == LESSON_GRADCHECK)
				parse_gradcheck(p, a, arg);
			if (a->kind == LESSON_REFUTE)
				p->refute = a;
			break;
		case LESSON_EXERCISE:
			parse_exercise(p, a, arg);
			break;
		case LESSON_TEXT:
			/* example: prose true of the lesson's own sizes only */
			a->own_sizes = strcmp(kw, "example") == 0;
			parse_text_slots(p, a, arg);
			break;
		default:
			break;
		}
		return;
	}
	{
		/* the nearest directive, for a typo: 'hints' is 'hint' */
		static const char *const known[] = {
		        "lesson",     "order",   "title",    "source", "summary",
		        "activation", "matrix",  "scalar",   "define", "latex", "maps",
		        "step",       "zh",      "en",       "text",   "formula",
		        "example",
		        "show",       "numbers", "claim",    "refute", "gradcheck",
		        "why",        "instead", "exercise", "ask",    "hint", "as",
		        "tolerance",  "line",    "answer",   "name",   "allow",
		        "sizes"};
		const char *near = NULL;
		size_t best = 3;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
			size_t dist = dv_edit_distance(kw, known[i]);
			if (dist < best && dist < strlen(kw)) {
				best = dist;
				near = known[i];
			}
		}
		if (near != NULL)
			error_at(p, column_of(p, kw_at),
			         "unknown directive '%s' (did you mean '%s'?)", kw, near);
		else
			error_at(p, column_of(p, kw_at), "unknown directive '%s'", kw);
	}
}

int lesson_parse(lesson **out, const char *path, const char *text, lesson_errors *errs)
{
	lesson *l = calloc(1, sizeof *l);
	lp p = {l, errs, 0, NULL, NULL, NULL};
	const char *s = text;

	*out = NULL;
	errs->n = 0;
	if (l == NULL) {
		lp q = {NULL, errs, 0, "", NULL, NULL};
		error_at(&q, 1, "out of memory");
		return DV_E_NOMEM;
	}
	l->f_is = DV_ACT_SIGMOID;
	l->order = 1000;
	l->path = strdup(path);
	l->text = strdup(text);
	if (l->path == NULL || l->text == NULL) {
		lesson_free(l);
		return DV_E_NOMEM;
	}
	while (*s != '\0' && errs->n < LESSON_MAX_ERRORS) {
		const char *end = strchr(s, '\n'), *q;
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
		/* where the next line starts, before len loses the trailing blanks */
		const char *next = end != NULL ? end + 1 : s + len;
		char *line = malloc(len + 1), kw[32];
		p.line++;
		if (line == NULL) {
			error_at(&p, 1, "out of memory");
			break;
		}
		memcpy(line, s, len);
		line[len] = '\0';
		while (len > 0 && (line[len - 1] == '\r' || is_blank(line[len - 1])))
			line[--len] = '\0';
		p.line_start = line;
		q = skip_blank(line);
		if (*q != '\0' && *q != '#') {
			const char *kw_at = word(&q, kw, sizeof kw);
			directive(&p, kw, kw_at, q);
		}
		free(line);
		s = next;
	}
	p.line_start = "";
	missing_instead(&p);
	exercise_done(&p);
	p.line = 0; /* about the whole file */
	if (l->name == NULL) {
		error_at(&p, 0, "the lesson has no name: start it with 'lesson NAME'");
	} else {
		/* NAME.lesson says 'lesson NAME': the name is the key everywhere
		 * (the list, --lesson, the saved progress) */
		const char *base = strrchr(path, '/');
		size_t len;
		base = base != NULL ? base + 1 : path;
		len = strlen(base);
		int valid = l->name[0] != '\0';
		for (const char *c = l->name; *c != '\0'; c++)
			valid &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			         *c == '-';
		if (valid && len > 7 && strcmp(base + len - 7, ".lesson") == 0 &&
		    (strlen(l->name) != len - 7 || strncmp(base, l->name, len - 7) != 0))
			error_at(
			        &p, 0,
			        "the file is %.*s.lesson but the lesson is named '%s': a "
			        "lesson's file is named after it (rename one of the two)",
			        (int)(len - 7), base, l->name);
	}
	check_cycles(&p);
	if (l->title == NULL)
		error_at(&p, 0, "the lesson has no 'title'");
	if (l->nsteps == 0)
		error_at(&p, 0, "the lesson has no step");
	if (errs->n > 0) {
		lesson_free(l);
		return DV_E_SYNTAX;
	}
	*out = l;
	return DV_OK;
}

int lesson_read_text(char **out, const char *path, lesson_errors *errs)
{
	/* non-blocking, and only a regular file: a FIFO must not hang verify */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f = NULL;
	char *text;
	size_t n;
	int rc;

	*out = NULL;
	errs->n = 0;
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		dv_diag *d = &errs->items[errs->n++];
		close(fd);
		dv_diag_clear(d);
		d->code = DV_E_IO;
		snprintf(d->message, sizeof d->message, "%s is not a regular file", path);
		return DV_E_IO;
	}
	if (fd >= 0 && (f = fdopen(fd, "rb")) == NULL)
		close(fd);
	if (f == NULL) {
		dv_diag *d = &errs->items[errs->n++];
		dv_diag_clear(d);
		d->code = DV_E_IO;
		snprintf(d->message, sizeof d->message, "cannot read %s: %s", path,
		         strerror(errno));
		return DV_E_IO;
	}
	text = malloc(LESSON_MAX_BYTES + 1);
	n = text != NULL ? fread(text, 1, LESSON_MAX_BYTES + 1, f) : 0;
	rc = text == NULL || ferror(f) ? DV_E_IO
	     : n > LESSON_MAX_BYTES    ? DV_E_LIMIT
	                               : DV_OK;
	fclose(f);
	if (rc == DV_OK && memchr(text, '\0', n) != NULL)
		rc = DV_E_SYNTAX;
	if (rc != DV_OK) {
		dv_diag *d = &errs->items[errs->n++];
		dv_diag_clear(d);
		d->code = rc == DV_E_LIMIT ? DV_E_LIMIT : DV_E_IO;
		snprintf(d->message, sizeof d->message,
		         rc == DV_E_LIMIT ? "%s is larger than a lesson can be (256 KB)"
		         : rc == DV_E_SYNTAX ? "%s is not a text file"
		                             : "cannot read %s",
		         path);
		free(text);
		return rc;
	}
	text[n] = '\0';
	/* a UTF-8 byte order mark, as some editors write, is not text */
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		memmove(text, text + 3, n - 2);
	*out = text;
	return DV_OK;
}

int lesson_load(lesson **out, const char *path, lesson_errors *errs)
{
	char *text = NULL;
	int rc = lesson_read_text(&text, path, errs);

	*out = NULL;
	if (rc != DV_OK)
		return rc;
	rc = lesson_parse(out, path, text, errs);
	free(text);
	return rc;
}

static void free_action(lesson_action *a)
{
	if (a == NULL)
		return;
	free(a->text);
	free(a->label);
	dv_node_free(a->expr);
	dv_node_free(a->lhs);
	dv_node_free(a->rhs);
	free(a->lhs_text);
	free(a->rhs_text);
	for (size_t i = 0; i < a->nslots; i++)
		dv_node_free(a->slots[i]);
	free(a->slots);
	free(a->why);
	free(a->as);
	free(a->ex_id);
	dv_node_free(a->target);
	free(a->target_text);
	free(a->ask);
	for (size_t i = 0; i < a->nhints; i++)
		free(a->hints[i]);
	free(a->hints);
	for (size_t i = 0; i < a->nlines; i++)
		free_action(&a->lines[i]);
	free(a->lines);
	dv_node_free(a->fix);
	free(a->fix_text);
	for (size_t i = 0; i < a->nnames; i++)
		free(a->names[i]);
	for (size_t i = 0; i < a->nallow; i++)
		free(a->allow[i]);
	free(a->allow);
	free(a->names);
	if (a->caught != NULL) {
		/* its trees and texts are this exercise's */
		free(a->caught->instead);
		free(a->caught);
	}
	if (a->instead != NULL) {
		free_action(a->instead);
		free(a->instead);
	}
}

void lesson_free(lesson *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nsizes; i++)
		free(l->sizes[i]);
	free(l->sizes);
	for (size_t i = 0; i < l->nsteps; i++) {
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			free_action(&l->steps[i].actions[j]);
		free(l->steps[i].actions);
		free(l->steps[i].title);
	}
	for (size_t i = 0; i < l->nvars; i++) {
		free(l->vars[i].name);
		free(l->vars[i].sym);
		dv_node_free(l->vars[i].like);
		dv_node_free(l->vars[i].numbers);
	}
	for (size_t i = 0; i < l->ndefs; i++) {
		free(l->defs[i].name);
		free(l->defs[i].text);
		dv_node_free(l->defs[i].tree);
	}
	for (size_t i = 0; i < l->nlatex; i++) {
		free((char *)l->latex[i].name);
		free((char *)l->latex[i].pattern);
	}
	free(l->latex);
	free(l->steps);
	free(l->vars);
	free(l->defs);
	free(l->name);
	free(l->title);
	free(l->summary);
	free(l->source);
	free(l->path);
	free(l->text);
	free(l);
}

size_t lesson_count_checks(const lesson *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			n += lesson_is_check(l->steps[i].actions[j].kind) ? 1 : 0;
	return n;
}

const lesson_action *lesson_find_exercise(const lesson *l, const char *id)
{
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			if (l->steps[i].actions[j].ex_id != NULL &&
			    strcmp(l->steps[i].actions[j].ex_id, id) == 0)
				return &l->steps[i].actions[j];
	return NULL;
}
