/*
 * parser: expression source -> syntax tree, by recursive descent.
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | '.*' | '∘') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := postfix (('.^' | '^') ('-' | '+')? postfix)*
 *   postfix := primary "'"*
 *   primary := NUMBER | STRING | NAME | NAME '(' [expr (',' expr)*] ')'
 *            | '(' expr ')' | '[' rows ']'
 *
 * Ownership: dv_parse hands out a tree freed with dv_node_free.  Nodes
 * copy the text they need; the source can be freed after parsing.
 */
#ifndef DV_PARSER_H
#define DV_PARSER_H

#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"
#include "expr/lexer.h"

typedef enum dv_node_kind {
	DV_N_NUM,
	DV_N_STR,
	DV_N_NAME,
	DV_N_CALL,   /* text: the function; kids: the arguments */
	DV_N_MATRIX, /* kids: the entries row by row; row_len: entries a row */
	DV_N_BINARY, /* op: the operator token; kids[0] op kids[1] */
	DV_N_NEGATE, /* -kids[0] */
	DV_N_TRANSPOSE,
} dv_node_kind;

/*
 * Limits that keep every walk over a tree (evaluation, freeing, the finite
 * differences' graph) within the stack: a tree is at most DV_MAX_DEPTH
 * nodes from root to leaf, and the parser nests at most DV_MAX_NESTING
 * parentheses, brackets, calls or signs inside each other.
 */
#define DV_MAX_DEPTH 1000
#define DV_MAX_NESTING 200

typedef struct dv_node {
	dv_node_kind kind;
	int line, column;
	dv_tok_kind op;
	double number;
	char *text; /* the number as written, the name, or the string's content */
	struct dv_node **kids;
	size_t nkids;
	size_t *row_len;
	size_t nrows;
	/*
	 * A call's function, looked up by name the first time the call is
	 * evaluated (eval.c): a cache of what the name means, not part of the
	 * tree, so it may be set through a const tree.
	 */
	const void *function;
	unsigned depth; /* nodes from here to the deepest leaf, this one included */
} dv_node;

int dv_parse(dv_node **out, const char *src, dv_diag *d);
/* "lhs == rhs": two trees, both freed on failure. */
int dv_parse_equation(dv_node **lhs, dv_node **rhs, const char *src, dv_diag *d);
/* The same for source that starts at (line, column) of a file, so that the
 * nodes' and the errors' positions are the file's. */
int dv_parse_at(dv_node **out, const char *src, int line, int column, dv_diag *d);
int dv_parse_equation_at(dv_node **lhs, dv_node **rhs, const char *src, int line,
                         int column, dv_diag *d);
void dv_node_free(dv_node *n);

/* The tree back as source with only the parentheses it needs:
 * ((a)) * (b + c) is "a * (b + c)", entry((D), 1, 1) "entry(D, 1, 1)". */
void dv_node_source(dv_strbuf *b, const dv_node *n);

#endif
