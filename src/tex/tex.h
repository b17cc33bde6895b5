/*
 * tex: the LaTeX math that people write in notes, read into a tree.
 *
 * One reader serves `verify notes`: a tokenizer and a recursive-descent
 * parser for the subset of LaTeX math that derivations use -- symbols with
 * subscripts and superscripts in either order (x_{11}, \delta^{l+1}_{11},
 * (\delta_j^{l+1})_{u,v}), \frac, \partial, \sum with its index, products
 * written as juxtaposition, *, \cdot, \circ, \odot, calls (conv2(..., full),
 * up, down, rot180, f, f'), \left( \right), matrices (bmatrix, pmatrix,
 * matrix) and the alignment environments (aligned, align, array, cases,
 * gathered, split) whose rows are separated by \\.  Text that is not math
 * (\text{...}, Chinese annotations such as （卷积层）) is skipped, and so are
 * \tag, \label and \nonumber.  As people write: \sum_{m=0}^{k-1} (the lower
 * bound is kids[1]), \nabla_W E and \bigtriangledown_W E (a TX_FRAC whose
 * text is "nabla"), ' and ^\prime, ^T ^\top ^{\mathsf T} (a superscript T),
 * I(i+m, j+n) and X[i, j] (the symbol with the subscript list i+m, j+n),
 * \max(0, x), \sigma(z) (calls), \otimes \circledast (read as *), \star
 * (a cross-correlation), \mathcal{L} \mathbf{x} (the letters), \hat{y}
 * (yhat), \cdots \vdots \ddots (the symbol "dots").
 *
 * The tree says what was written, not what it means: whether `*` is a
 * convolution, whether x_{11} is an entry of X, whether a superscript is a
 * layer or a power, is decided later (src/notes/resolve.c), under a context.
 *
 * Ownership: tex_read hands out a block freed with tex_block_free.
 */
#ifndef DV_TEX_H
#define DV_TEX_H

#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"

typedef enum tex_kind {
	TX_NUM,    /* text: the digits */
	TX_SYM,    /* text: a letter, a word (net, TMP) or a Greek name (delta) */
	TX_CALL,   /* text: the function; kids: the arguments; primes: f' */
	TX_STR,    /* an option word: full, valid, same */
	TX_FRAC,   /* kids[0] / kids[1] */
	TX_PARTIAL, /* \partial kids[0] */
	TX_ADD,    /* kids[0] + kids[1] */
	TX_SUB,    /* kids[0] - kids[1] */
	TX_NEG,    /* -kids[0] */
	TX_MUL,    /* kids[0] op kids[1] */
	TX_SUM,    /* \sum_{index} kids[0]; index in sub */
	TX_GROUP,  /* ( kids[0] ) or { kids[0] }, so that (A)_{u,v} keeps A whole */
	TX_MATRIX, /* kids: entries row by row, cols entries a row */
	TX_CASES,  /* \left\{ ... \right.: a definition by cases, not read */
	TX_LIST,   /* kids: a subscript's items, u,v */
	TX_IN,     /* kids[0] \in kids[1], as in \sum_{i\in M_j} */
} tex_kind;

typedef enum tex_op {
	TX_JUXT,  /* a b */
	TX_STAR,  /* a * b: the notes' convolution, or a product */
	TX_CDOT,  /* a \cdot b */
	TX_CIRC,  /* a \circ b, a \odot b: the element-wise product */
	TX_TIMES, /* a \times b */
	TX_SLASH, /* a / b */
	TX_STARX, /* a \star b: a cross-correlation, said so by the symbol */
} tex_op;

typedef struct tex_node {
	tex_kind kind;
	tex_op op;
	int line, column; /* of the node's first character in the file */
	char *text;
	struct tex_node *sub, *sup; /* _{...} and ^{...}, NULL if none */
	int primes;                 /* ' (or ^\prime) after a symbol or a function */
	char applied; /* TX_SYM: its subscript list was written I(i, j) ('(')
	                 or X[i, j] ('['), as an entry or a function value */
	struct tex_node **kids;
	size_t nkids;
	size_t rows, cols; /* TX_MATRIX */
} tex_node;

/* One side of a chain of equations, where it starts in the file. */
typedef struct tex_side {
	tex_node *tree; /* NULL when the side could not be read */
	int line, column;
	char *latex; /* the side as written, white space collapsed */
} tex_side;

/*
 * One equation or chain a = b = c.  A row of an aligned block that starts
 * with '=' continues the chain of the row before it, so a derivation
 * written over several rows is one chain whose sides keep their own lines.
 */
typedef struct tex_chain {
	tex_side *sides;
	size_t nsides;
	int line, column;
	/* why the chain could not be read (its position in line, column) */
	dv_diag problem;
} tex_chain;

typedef struct tex_block {
	tex_chain *chains;
	size_t nchains;
} tex_block;

/* Most nodes one formula may have; more is refused with a position. */
#define TEX_MAX_NODES 100000
/* Deepest nesting the reader follows: each parenthesis, brace, fraction or
 * environment takes two or three levels. */
#define TEX_MAX_NESTING 300

/*
 * Reads the math src[0..len), which starts at (line, column) of its file.
 * A formula that cannot be read becomes a chain with a problem, so that the
 * caller can list it as not checked; only running out of memory fails.
 */
int tex_read(tex_block **out, const char *src, size_t len, int line, int column,
             dv_diag *d);
void tex_block_free(tex_block *b);
void tex_node_free(tex_node *n);

/* A tree back in LaTeX (\frac{..}{..}, \delta_{11}, \left( \right)), for
 * messages and repairs: what was written, up to spacing. */
void tex_node_latex(dv_strbuf *b, const tex_node *n);

/* n inside any parentheses or braces that carry nothing (no index, no
 * power, no prime): ((X)) is X. */
const tex_node *tex_node_strip(const tex_node *n);

/* A formula's LaTeX as text for a terminal (unicode.c): \frac{\partial
 * E}{\partial K_{r,s}} is ∂E/∂Kᵣ,ₛ, X_j^{l-1} is Xⱼˡ⁻¹, \sum_u Σᵤ.  Any text
 * gives text; a command it does not know is written by its name. */
void tex_to_unicode(dv_strbuf *b, const char *latex);

/* A tree as an S-expression, (mul juxt x k) style: for tests and debugging. */
void tex_node_print(dv_strbuf *b, const tex_node *n);

#endif
