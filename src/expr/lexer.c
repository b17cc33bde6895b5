#include "expr/lexer.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* U+2218 RING OPERATOR, the notes' Hadamard product. */
#define RING "\xe2\x88\x98"

void dv_lexer_init_at(dv_lexer *lx, const char *src, int line, int column)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->pos = src;
	lx->line = line;
	lx->column = column;
	lx->first_column = 1;
	lx->prev = DV_T_EOF;
}

void dv_lexer_init(dv_lexer *lx, const char *src)
{
	dv_lexer_init_at(lx, src, 1, 1);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int in_brackets(const dv_lexer *lx)
{
	return lx->depth > 0 && lx->nest[lx->depth - 1] == '[';
}

/* Moves past n bytes, counting characters (UTF-8 lead bytes) for columns. */
static void advance(dv_lexer *lx, size_t n)
{
	for (size_t i = 0; i < n && *lx->pos != '\0'; i++, lx->pos++) {
		unsigned char c = (unsigned char)*lx->pos;
		if (c == '\n') {
			lx->line++;
			lx->column = lx->first_column;
		} else if ((c & 0xC0) != 0x80) {
			lx->column++;
		}
	}
}

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the number at p (digits, fraction, exponent), 0 if none. */
static size_t number_length(const char *p)
{
	const char *q = p;
	int digits = 0;
	while (is_digit(*q)) {
		q++;
		digits = 1;
	}
	if (*q == '.' && is_digit(q[1])) {
		q++;
		while (is_digit(*q))
			q++;
		digits = 1;
	} else if (*q == '.' && digits && q[1] != '*' && q[1] != '^' && q[1] != '\'') {
		q++; /* "1." as in Octave */
	}
	if (!digits)
		return 0;
	if ((*q == 'e' || *q == 'E') &&
	    (is_digit(q[1]) || ((q[1] == '+' || q[1] == '-') && is_digit(q[2])))) {
		q += 2;
		while (is_digit(*q))
			q++;
	}
	return (size_t)(q - p);
}

/*
 * Parses a number lexeme, of any length, independently of the locale's
 * decimal point: 0 when it is a finite double, 1 when it is too large, 2
 * when it is not zero but nearer 0 than the smallest double, -1 without
 * memory.
 */
static int parse_number(const char *p, size_t len, double *out)
{
	char *buf = malloc(len + 1), *end;
	int rc = 0;

	if (buf == NULL)
		return -1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (end != buf + len) {
		/* A locale with a decimal comma: fall back to swapping. */
		char *dot = strchr(buf, '.');
		if (dot != NULL)
			*dot = ',';
		errno = 0;
		*out = strtod(buf, &end);
	}
	if (end != buf + len || isinf(*out) || !isfinite(*out))
		rc = 1;
	else if (*out == 0.0 && errno == ERANGE)
		rc = 2; /* a nonzero number that became 0 */
	free(buf);
	return rc;
}

static int transpose_follows(dv_tok_kind prev)
{
	return prev == DV_T_NAME || prev == DV_T_NUM || prev == DV_T_RPAREN ||
	       prev == DV_T_RBRACK || prev == DV_T_QUOTE;
}

int dv_lexer_next(dv_lexer *lx, dv_token *tok, dv_diag *d)
{
	const char *p;
	int space = 0;
	size_t len = 1;

	memset(tok, 0, sizeof *tok);
	for (;;) {
		if (is_space(*lx->pos) || (*lx->pos == '\n' && !in_brackets(lx))) {
			advance(lx, 1);
			space = 1;
		} else if (*lx->pos == '.' && lx->pos[1] == '.' && lx->pos[2] == '.') {
			/* Octave's continuation: the rest of the line is ignored. */
			while (*lx->pos != '\0' && *lx->pos != '\n')
				advance(lx, 1);
			if (*lx->pos == '\n')
				advance(lx, 1);
			space = 1;
		} else {
			break;
		}
	}
	p = lx->pos;
	tok->start = p;
	tok->line = lx->line;
	tok->column = lx->column;
	tok->space_before = space || p == lx->src;
	tok->in_brackets = in_brackets(lx);

	if (*p == '\0') {
		tok->kind = DV_T_EOF;
		len = 0;
	} else if (*p == '\n') {
		tok->kind = DV_T_NEWLINE;
	} else if (is_digit(*p) || (*p == '.' && is_digit(p[1]))) {
		len = number_length(p);
		tok->kind = DV_T_NUM;
		if (is_name_char((unsigned char)p[len]) || p[len] == '.') {
			size_t bad = len;
			while (is_name_char((unsigned char)p[bad]) || p[bad] == '.')
				bad++;
			return dv_fail_at(d, DV_E_SYNTAX, tok->line, tok->column,
			                  "malformed number '%.*s'", (int)bad, p);
		}
		switch (parse_number(p, len, &tok->number)) {
		case 0:
			break;
		case -1:
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		case 2:
			return dv_fail_at(
			        d, DV_E_DOMAIN, tok->line, tok->column,
			        "the number '%.*s' is too small for a double (the "
			        "smallest is 4.9e-324); write 0 if you mean 0",
			        len > 40 ? 40 : (int)len, p);
		default:
			return dv_fail_at(
			        d, DV_E_DOMAIN, tok->line, tok->column,
			        "the number '%.*s%s' is too large (verify works "
			        "with finite doubles, up to 1.8e308)",
			        len > 40 ? 40 : (int)len, p, len > 40 ? "..." : "");
		}
	} else if (strncmp(p, RING, 3) == 0) {
		tok->kind = DV_T_HADAMARD;
		len = 3;
	} else if (is_name_start((unsigned char)*p)) {
		while (is_name_char((unsigned char)p[len]) &&
		       strncmp(p + len, RING, 3) != 0)
			len++;
		tok->kind = DV_T_NAME;
	} else if (*p == '\'' && transpose_follows(lx->prev) &&
	           !(tok->in_brackets && space)) {
		tok->kind = DV_T_QUOTE;
	} else if (*p == '\'' || *p == '"') {
		/* A string; the quote character is doubled to include it. */
		char q = *p;
		for (;;) {
			if (p[len] == '\0' || p[len] == '\n')
				return dv_fail_at(
				        d, DV_E_SYNTAX, tok->line, tok->column,
				        "unterminated string: expected a closing "
				        "%c",
				        q);
			if (p[len] == q) {
				if (p[len + 1] == q) {
					len += 2;
					continue;
				}
				len++;
				break;
			}
			len++;
		}
		tok->kind = DV_T_STR;
	} else {
		switch (*p) {
		case '+':
			tok->kind = DV_T_PLUS;
			break;
		case '-':
			tok->kind = DV_T_MINUS;
			break;
		case '*':
			tok->kind = DV_T_STAR;
			break;
		case '/':
			tok->kind = DV_T_SLASH;
			break;
		case '^':
			tok->kind = DV_T_CARET;
			break;
		case '(':
			tok->kind = DV_T_LPAREN;
			break;
		case ')':
			tok->kind = DV_T_RPAREN;
			break;
		case '[':
			tok->kind = DV_T_LBRACK;
			break;
		case ']':
			tok->kind = DV_T_RBRACK;
			break;
		case ',':
			tok->kind = DV_T_COMMA;
			break;
		case ';':
			tok->kind = DV_T_SEMI;
			break;
		case '=':
			if (p[1] == '=') {
				tok->kind = DV_T_EQEQ;
				len = 2;
				break;
			}
			return dv_fail_at(
			        d, DV_E_SYNTAX, tok->line, tok->column,
			        "unexpected character '=' (an equation is written "
			        "with '==')");
		case '.':
			if (p[1] == '*') {
				tok->kind = DV_T_DOTSTAR;
				len = 2;
				break;
			}
			if (p[1] == '^') {
				tok->kind = DV_T_DOTCARET;
				len = 2;
				break;
			}
			goto unexpected;
		default:
		unexpected : {
			/* Quote the whole character, even a multi-byte one. */
			size_t n = 1;
			while ((((unsigned char)p[n]) & 0xC0) == 0x80)
				n++;
			return dv_fail_at(d, DV_E_SYNTAX, tok->line, tok->column,
			                  "unexpected character '%.*s'", (int)n, p);
		}
		}
	}
	if (tok->kind == DV_T_LPAREN || tok->kind == DV_T_LBRACK) {
		if (lx->depth == sizeof lx->nest)
			return dv_fail_at(d, DV_E_LIMIT, tok->line, tok->column,
			                  "brackets nested more than %zu deep",
			                  sizeof lx->nest);
		lx->nest[lx->depth++] = *p;
	} else if ((tok->kind == DV_T_RPAREN || tok->kind == DV_T_RBRACK) &&
	           lx->depth > 0) {
		lx->depth--;
	}
	tok->len = len;
	advance(lx, len);
	tok->space_after = *lx->pos == '\0' || is_space(*lx->pos) || *lx->pos == '\n';
	lx->prev = tok->kind;
	return DV_OK;
}

void dv_token_describe(const dv_token *tok, char *buf, size_t size)
{
	switch (tok->kind) {
	case DV_T_EOF:
		snprintf(buf, size, "end of input");
		break;
	case DV_T_NEWLINE:
		snprintf(buf, size, "end of line");
		break;
	case DV_T_NUM:
		snprintf(buf, size, "the number %.*s", (int)tok->len, tok->start);
		break;
	case DV_T_NAME:
		snprintf(buf, size, "the name '%.*s'", (int)tok->len, tok->start);
		break;
	case DV_T_STR:
		snprintf(buf, size, "the string %.*s", (int)tok->len, tok->start);
		break;
	default:
		snprintf(buf, size, "'%.*s'", (int)tok->len, tok->start);
		break;
	}
}

const char *dv_op_text(dv_tok_kind op)
{
	switch (op) {
	case DV_T_PLUS:
		return "+";
	case DV_T_MINUS:
		return "-";
	case DV_T_STAR:
		return "*";
	case DV_T_SLASH:
		return "/";
	case DV_T_DOTSTAR:
		return ".*";
	case DV_T_HADAMARD:
		return "\xe2\x88\x98";
	case DV_T_DOTCARET:
		return ".^";
	case DV_T_CARET:
		return "^";
	default:
		return "?";
	}
}
