/*
 * lexer: tokens of verify's expression language, a small MATLAB/Octave-like
 * notation: numbers, names, 'strings', + - * / .* ∘ .^ ^ ' ( ) [ ] , ; ==
 * Inside brackets, white space and newlines separate entries and rows as in
 * Octave ([1 -2] has two entries, [1 - 2] one).
 */
#ifndef DV_LEXER_H
#define DV_LEXER_H

#include <stddef.h>

#include "core/diag.h"

typedef enum dv_tok_kind {
	DV_T_EOF,
	DV_T_NUM,
	DV_T_NAME,
	DV_T_STR,
	DV_T_PLUS,
	DV_T_MINUS,
	DV_T_STAR,
	DV_T_SLASH,
	DV_T_DOTSTAR,
	DV_T_HADAMARD, /* ∘ */
	DV_T_DOTCARET,
	DV_T_CARET,
	DV_T_QUOTE, /* postfix transpose */
	DV_T_LPAREN,
	DV_T_RPAREN,
	DV_T_LBRACK,
	DV_T_RBRACK,
	DV_T_COMMA,
	DV_T_SEMI,
	DV_T_NEWLINE, /* only inside brackets, where it ends a row */
	DV_T_EQEQ,    /* ==, between the sides of an equation */
} dv_tok_kind;

typedef struct dv_token {
	dv_tok_kind kind;
	const char *start; /* into the source; for strings, the opening quote */
	size_t len;
	int line, column; /* 1-based; columns count characters, not bytes */
	int space_before; /* white space right before the token */
	int space_after;  /* white space right after it */
	int in_brackets;  /* directly inside [ ], not inside ( ) within them */
	double number;    /* DV_T_NUM */
} dv_token;

typedef struct dv_lexer {
	const char *src, *pos;
	int line, column;
	int first_column; /* the column lines after the first start at */
	dv_tok_kind prev;
	char nest[64]; /* open brackets and parentheses, innermost last */
	size_t depth;
} dv_lexer;

void dv_lexer_init(dv_lexer *lx, const char *src);
/* The same for source that starts at (line, column) of a larger file. */
void dv_lexer_init_at(dv_lexer *lx, const char *src, int line, int column);

/* The next token; on a malformed token fills d and returns its code. */
int dv_lexer_next(dv_lexer *lx, dv_token *tok, dv_diag *d);

/* How a token reads in a message: "')'", "end of input", "the name 'x'". */
void dv_token_describe(const dv_token *tok, char *buf, size_t size);
/* An operator as written: "+", ".*", "∘", "^"; "?" for other tokens. */
const char *dv_op_text(dv_tok_kind op);

#endif
