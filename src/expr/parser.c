#include "expr/parser.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
	dv_lexer lx;
	dv_token tok; /* the current, not yet consumed token */
	dv_diag *d;
	int nesting; /* parentheses, brackets, calls and signs open */
} parser;

/* Enters one more level of nesting, or fails at the current token. */
static int enter(parser *ps)
{
	if (++ps->nesting <= DV_MAX_NESTING)
		return DV_OK;
	return dv_fail_at(ps->d, DV_E_LIMIT, ps->tok.line, ps->tok.column,
	                  "the expression nests more than %d parentheses, brackets, "
	                  "calls or signs deep (the limit)",
	                  DV_MAX_NESTING);
}

static int parse_expr(parser *ps, dv_node **out);

static int next(parser *ps)
{
	return dv_lexer_next(&ps->lx, &ps->tok, ps->d);
}

static int expected(parser *ps, const char *what)
{
	char found[96];
	dv_token_describe(&ps->tok, found, sizeof found);
	return dv_fail_at(ps->d, DV_E_SYNTAX, ps->tok.line, ps->tok.column,
	                  "expected %s but found %s", what, found);
}

void dv_node_free(dv_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		dv_node_free(n->kids[i]);
	free(n->kids);
	free(n->row_len);
	free(n->text);
	free(n);
}

static int node_new(parser *ps, dv_node **out, dv_node_kind kind, const dv_token *at)
{
	dv_node *n = calloc(1, sizeof *n);
	*out = n;
	if (n == NULL)
		return dv_fail(ps->d, DV_E_NOMEM, "out of memory");
	n->kind = kind;
	n->line = at->line;
	n->column = at->column;
	n->depth = 1;
	return DV_OK;
}

static int node_text(parser *ps, dv_node *n, const char *s, size_t len)
{
	n->text = malloc(len + 1);
	if (n->text == NULL)
		return dv_fail(ps->d, DV_E_NOMEM, "out of memory");
	memcpy(n->text, s, len);
	n->text[len] = '\0';
	return DV_OK;
}

static int node_add(parser *ps, dv_node *n, dv_node *kid)
{
	dv_node **k;
	if (kid->depth + 1 > DV_MAX_DEPTH) {
		int line = kid->line, column = kid->column;
		dv_node_free(kid);
		return dv_fail_at(ps->d, DV_E_LIMIT, line, column,
		                  "the expression is more than %d operations deep (the "
		                  "limit); split a long sum with sum() or a matrix",
		                  DV_MAX_DEPTH);
	}
	if (kid->depth + 1 > n->depth)
		n->depth = kid->depth + 1;
	k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
	if (k == NULL) {
		dv_node_free(kid);
		return dv_fail(ps->d, DV_E_NOMEM, "out of memory");
	}
	n->kids = k;
	n->kids[n->nkids++] = kid;
	return DV_OK;
}

/* A node with kids a (and b, if not NULL); frees them on failure. */
static int node_of(parser *ps, dv_node **out, dv_node_kind kind, const dv_token *at,
                   dv_node *a, dv_node *b)
{
	int rc = node_new(ps, out, kind, at);
	if (rc == DV_OK)
		rc = node_add(ps, *out, a);
	else
		dv_node_free(a);
	if (b != NULL) {
		if (rc == DV_OK)
			rc = node_add(ps, *out, b);
		else
			dv_node_free(b);
	}
	if (rc != DV_OK) {
		dv_node_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The content of a string token, doubled quotes made single. */
static int string_text(parser *ps, dv_node *n, const dv_token *t)
{
	char q = t->start[0];
	size_t j = 0;
	int rc = node_text(ps, n, t->start + 1, t->len - 2);
	if (rc != DV_OK)
		return rc;
	for (size_t i = 0; n->text[i] != '\0'; i++) {
		n->text[j++] = n->text[i];
		if (n->text[i] == q && n->text[i + 1] == q)
			i++;
	}
	n->text[j] = '\0';
	return DV_OK;
}

static int parse_call(parser *ps, dv_node *call)
{
	int rc;
	if ((rc = next(ps)) != DV_OK) /* past '(' */
		return rc;
	if (ps->tok.kind == DV_T_RPAREN)
		return next(ps);
	for (;;) {
		dv_node *arg = NULL;
		if ((rc = parse_expr(ps, &arg)) != DV_OK)
			return rc;
		if ((rc = node_add(ps, call, arg)) != DV_OK)
			return rc;
		if (ps->tok.kind == DV_T_RPAREN)
			return next(ps);
		if (ps->tok.kind != DV_T_COMMA)
			return expected(ps, "',' or ')'");
		if ((rc = next(ps)) != DV_OK)
			return rc;
	}
}

static int row_end(dv_tok_kind k)
{
	return k == DV_T_SEMI || k == DV_T_NEWLINE;
}

static int parse_matrix(parser *ps, dv_node *m)
{
	size_t in_row = 0;
	int rc;

	if ((rc = next(ps)) != DV_OK) /* past '[' */
		return rc;
	for (;;) {
		dv_node *entry = NULL;
		while (row_end(ps->tok.kind)) {
			if (in_row > 0) {
				size_t *r =
				        realloc(m->row_len, (m->nrows + 1) * sizeof *r);
				if (r == NULL)
					return dv_fail(ps->d, DV_E_NOMEM,
					               "out of memory");
				m->row_len = r;
				m->row_len[m->nrows++] = in_row;
				in_row = 0;
			}
			if ((rc = next(ps)) != DV_OK)
				return rc;
		}
		if (ps->tok.kind == DV_T_RBRACK)
			break;
		if ((rc = parse_expr(ps, &entry)) != DV_OK)
			return rc;
		if ((rc = node_add(ps, m, entry)) != DV_OK)
			return rc;
		in_row++;
		if (ps->tok.kind == DV_T_COMMA) {
			if ((rc = next(ps)) != DV_OK)
				return rc;
			if (ps->tok.kind == DV_T_RBRACK || row_end(ps->tok.kind))
				return expected(ps, "an entry after ','");
		} else if (ps->tok.kind != DV_T_RBRACK && !row_end(ps->tok.kind) &&
		           !ps->tok.space_before) {
			return expected(ps, "',', ';' or ']'");
		} else if (ps->tok.kind == DV_T_EOF) {
			return expected(ps, "']'");
		}
	}
	if (in_row > 0) {
		size_t *r = realloc(m->row_len, (m->nrows + 1) * sizeof *r);
		if (r == NULL)
			return dv_fail(ps->d, DV_E_NOMEM, "out of memory");
		m->row_len = r;
		m->row_len[m->nrows++] = in_row;
	}
	return next(ps); /* past ']' */
}

static int parse_primary(parser *ps, dv_node **out)
{
	dv_token t = ps->tok;
	dv_node *n = NULL;
	int rc;

	*out = NULL;
	switch (t.kind) {
	case DV_T_NUM:
		if ((rc = node_new(ps, &n, DV_N_NUM, &t)) == DV_OK &&
		    (rc = node_text(ps, n, t.start, t.len)) == DV_OK) {
			n->number = t.number;
			rc = next(ps);
		}
		break;
	case DV_T_STR:
		if ((rc = node_new(ps, &n, DV_N_STR, &t)) == DV_OK &&
		    (rc = string_text(ps, n, &t)) == DV_OK)
			rc = next(ps);
		break;
	case DV_T_NAME:
		if ((rc = node_new(ps, &n, DV_N_NAME, &t)) == DV_OK &&
		    (rc = node_text(ps, n, t.start, t.len)) == DV_OK &&
		    (rc = next(ps)) == DV_OK && ps->tok.kind == DV_T_LPAREN &&
		    !(ps->tok.in_brackets && ps->tok.space_before)) {
			n->kind = DV_N_CALL;
			if ((rc = enter(ps)) == DV_OK)
				rc = parse_call(ps, n);
			ps->nesting--;
		}
		break;
	case DV_T_LPAREN:
		if ((rc = enter(ps)) != DV_OK || (rc = next(ps)) != DV_OK)
			return rc;
		if ((rc = parse_expr(ps, &n)) != DV_OK)
			return rc;
		ps->nesting--;
		if (ps->tok.kind != DV_T_RPAREN)
			rc = expected(ps, "')'");
		else
			rc = next(ps);
		break;
	case DV_T_LBRACK:
		if ((rc = enter(ps)) == DV_OK &&
		    (rc = node_new(ps, &n, DV_N_MATRIX, &t)) == DV_OK)
			rc = parse_matrix(ps, n);
		ps->nesting--;
		break;
	default:
		return expected(ps, "a number, a name, '(' or '['");
	}
	if (rc != DV_OK) {
		dv_node_free(n);
		return rc;
	}
	*out = n;
	return DV_OK;
}

static int parse_postfix(parser *ps, dv_node **out)
{
	int rc = parse_primary(ps, out);
	while (rc == DV_OK && ps->tok.kind == DV_T_QUOTE) {
		dv_token t = ps->tok;
		if ((rc = next(ps)) != DV_OK)
			break;
		rc = node_of(ps, out, DV_N_TRANSPOSE, &t, *out, NULL);
	}
	if (rc != DV_OK) {
		/* every parse function frees what it built when it fails */
		dv_node_free(*out);
		*out = NULL;
	}
	return rc;
}

static int parse_unary(parser *ps, dv_node **out);
static int parse_binary(parser *ps, dv_node **out, int level);

static int parse_unary(parser *ps, dv_node **out)
{
	dv_token t = ps->tok;
	int rc;

	if (t.kind != DV_T_MINUS && t.kind != DV_T_PLUS)
		return parse_binary(ps, out, 2);
	if ((rc = enter(ps)) != DV_OK || (rc = next(ps)) != DV_OK)
		return rc;
	if ((rc = parse_unary(ps, out)) != DV_OK)
		return rc;
	ps->nesting--;
	if (t.kind == DV_T_PLUS)
		return DV_OK;
	return node_of(ps, out, DV_N_NEGATE, &t, *out, NULL);
}

/*
 * Inside brackets "a -b" is two entries, "a - b" and "a-b" one: a sign with
 * space before it and none after starts a new entry.
 */
static int starts_entry(const dv_token *t)
{
	return t->in_brackets && t->space_before && !t->space_after;
}

/* Whether t is an operator of `level`: 0 + -, 1 * / .* ∘, 2 .^ ^. */
static int operator_of(const dv_token *t, int level)
{
	switch (level) {
	case 0:
		return t->kind == DV_T_PLUS || t->kind == DV_T_MINUS;
	case 1:
		return t->kind == DV_T_STAR || t->kind == DV_T_SLASH ||
		       t->kind == DV_T_DOTSTAR || t->kind == DV_T_HADAMARD;
	default:
		return t->kind == DV_T_DOTCARET || t->kind == DV_T_CARET;
	}
}

/* An operand of `level`; a power's exponent may carry a sign (2^-1). */
static int parse_operand(parser *ps, dv_node **out, int level, int exponent)
{
	if (level == 0)
		return parse_binary(ps, out, 1);
	if (level == 1 ||
	    (exponent && (ps->tok.kind == DV_T_MINUS || ps->tok.kind == DV_T_PLUS)))
		return parse_unary(ps, out);
	return parse_postfix(ps, out);
}

/* Left-associative operators of one level, loosest (0) to tightest (2). */
static int parse_binary(parser *ps, dv_node **out, int level)
{
	int rc = parse_operand(ps, out, level, 0);
	for (;;) {
		dv_token t = ps->tok;
		dv_node *rhs = NULL;
		if (rc != DV_OK || !operator_of(&t, level) ||
		    (level == 0 && starts_entry(&t)))
			break;
		if ((rc = next(ps)) != DV_OK)
			break;
		if ((rc = parse_operand(ps, &rhs, level, 1)) != DV_OK) {
			dv_node_free(rhs);
			break;
		}
		rc = node_of(ps, out, DV_N_BINARY, &t, *out, rhs);
		if (rc == DV_OK)
			(*out)->op = t.kind;
	}
	if (rc != DV_OK) {
		dv_node_free(*out);
		*out = NULL;
	}
	return rc;
}

static int parse_expr(parser *ps, dv_node **out)
{
	return parse_binary(ps, out, 0);
}

static int parse_top(parser *ps, dv_node **out, const char *src, int line, int column,
                     dv_diag *d)
{
	int rc;

	*out = NULL;
	ps->d = d;
	ps->nesting = 0;
	dv_lexer_init_at(&ps->lx, src, line, column);
	if ((rc = next(ps)) != DV_OK)
		return rc;
	if (ps->tok.kind == DV_T_EOF)
		return dv_fail_at(d, DV_E_SYNTAX, ps->tok.line, ps->tok.column,
		                  "expected an expression but found end of input");
	return parse_expr(ps, out);
}

int dv_parse(dv_node **out, const char *src, dv_diag *d)
{
	return dv_parse_at(out, src, 1, 1, d);
}

int dv_parse_at(dv_node **out, const char *src, int line, int column, dv_diag *d)
{
	parser ps;
	int rc = parse_top(&ps, out, src, line, column, d);

	if (rc == DV_OK && ps.tok.kind != DV_T_EOF) {
		rc = expected(&ps, "an operator or end of input");
		dv_node_free(*out);
		*out = NULL;
	}
	return rc;
}

int dv_parse_equation(dv_node **lhs, dv_node **rhs, const char *src, dv_diag *d)
{
	return dv_parse_equation_at(lhs, rhs, src, 1, 1, d);
}

int dv_parse_equation_at(dv_node **lhs, dv_node **rhs, const char *src, int line,
                         int column, dv_diag *d)
{
	parser ps;
	int rc = parse_top(&ps, lhs, src, line, column, d);

	*rhs = NULL;
	if (rc == DV_OK && ps.tok.kind != DV_T_EQEQ)
		rc = expected(&ps, "'==' between the two sides");
	if (rc == DV_OK && (rc = next(&ps)) == DV_OK) {
		if (ps.tok.kind == DV_T_EOF)
			rc = expected(&ps, "the right side after '=='");
		else
			rc = parse_expr(&ps, rhs);
	}
	if (rc == DV_OK && ps.tok.kind != DV_T_EOF)
		rc = expected(&ps, "an operator or end of input");
	if (rc != DV_OK) {
		dv_node_free(*lhs);
		dv_node_free(*rhs);
		*lhs = *rhs = NULL;
	}
	return rc;
}

/* ---- back to source ------------------------------------------------- */

/* How tightly n binds: 1 + -, 2 * / .* ∘, 3 a sign, 4 ^ .^, 5 the rest. */
static int binding_of(const dv_node *n)
{
	if (n->kind == DV_N_NEGATE)
		return 3;
	if (n->kind != DV_N_BINARY)
		return 5;
	switch (n->op) {
	case DV_T_PLUS:
	case DV_T_MINUS:
		return 1;
	case DV_T_DOTCARET:
	case DV_T_CARET:
		return 4;
	default:
		return 2;
	}
}

/* n where an operand binding at least `least` is read. */
static void source_at(dv_strbuf *b, const dv_node *n, int least)
{
	int paren = binding_of(n) < least;
	if (paren)
		dv_strbuf_puts(b, "(");
	switch (n->kind) {
	case DV_N_NUM:
	case DV_N_NAME:
		dv_strbuf_puts(b, n->text);
		break;
	case DV_N_STR:
		dv_strbuf_puts(b, "'");
		for (const char *c = n->text; *c != '\0'; c++)
			dv_strbuf_putn(b, *c == '\'' ? "''" : c, *c == '\'' ? 2 : 1);
		dv_strbuf_puts(b, "'");
		break;
	case DV_N_CALL:
		dv_strbuf_printf(b, "%s(", n->text);
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, ", ");
			source_at(b, n->kids[i], 0);
		}
		dv_strbuf_puts(b, ")");
		break;
	case DV_N_MATRIX: {
		size_t k = 0;
		dv_strbuf_puts(b, "[");
		for (size_t r = 0; r < n->nrows; r++) {
			if (r > 0)
				dv_strbuf_puts(b, "; ");
			for (size_t c = 0; c < n->row_len[r] && k < n->nkids; c++, k++) {
				if (c > 0)
					dv_strbuf_puts(b, ", ");
				source_at(b, n->kids[k], 0);
			}
		}
		dv_strbuf_puts(b, "]");
		break;
	}
	case DV_N_BINARY: {
		int self = binding_of(n);
		source_at(b, n->kids[0], self);
		/* a^b without spaces, the others with (2 .^ b: "2.^b" would read
		 * as the number "2." and then ^) */
		dv_strbuf_printf(b, n->op == DV_T_CARET ? "%s" : " %s ", dv_op_text(n->op));
		/* left-associative: the right operand binds tighter; a power's
		 * exponent may be signed (2^-1) */
		source_at(b, n->kids[1],
		          self == 4 && n->kids[1]->kind == DV_N_NEGATE ? 3 : self + 1);
		break;
	}
	case DV_N_NEGATE:
		dv_strbuf_puts(b, "-");
		source_at(b, n->kids[0], 3);
		break;
	case DV_N_TRANSPOSE:
		source_at(b, n->kids[0], 5);
		dv_strbuf_puts(b, "'");
		break;
	}
	if (paren)
		dv_strbuf_puts(b, ")");
}

void dv_node_source(dv_strbuf *b, const dv_node *n)
{
	source_at(b, n, 0);
}
