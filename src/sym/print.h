/*
 * print: polynomials as text, in three styles.
 *
 *   ASCII    x11*k22 + x12*k21 - 1/4*d11 + f'(n11) + x_{10,3}
 *   Unicode  x₁₁k₂₂ + x₁₂k₂₁ - (1/4)δ₁₁ + f′(n₁₁) + x₁₀,₃
 *   LaTeX    x_{11}k_{22} + x_{12}k_{21} - \frac{1}{4}\delta_{11} + ...
 *
 * The order is the notes' order, not the canonical one: scalars first,
 * then matrices by the `order` list of names (δ before x by default, so
 * that a forward table is ordered by x entry and a gradient table by δ
 * entry), then other matrices alphabetically, then activations; terms are
 * sorted by their first factor, row by row.
 */
#ifndef DV_SYM_PRINT_H
#define DV_SYM_PRINT_H

#include "core/diag.h"
#include "core/strbuf.h"
#include "sym/ctx.h"
#include "sym/poly.h"

typedef enum sym_style { SYM_ASCII, SYM_UNICODE, SYM_LATEX } sym_style;

/* How a matrix name prints in LaTeX: "(\\delta_j^{l+1})_{%s}" for "d". */
typedef struct sym_latex_name {
	const char *name;
	const char *pattern; /* one %s, where the indices go */
} sym_latex_name;

typedef struct sym_print_opts {
	sym_style style;
	const char *const *order;          /* NULL-terminated; NULL: {"d", "x"} */
	const sym_latex_name *latex_names; /* ends with a NULL name; may be NULL */
} sym_print_opts;

/* Appends p to b. */
void sym_poly_print(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                    const sym_print_opts *o);
/*
 * Numbers in place of symbols: value() gives the number of a matrix entry
 * or scalar atom (returns 1), or keeps the symbol (returns 0).
 */
typedef struct sym_values {
	int (*value)(const void *ctx, const sym_atom *a, double *v);
	const void *ctx;
} sym_values;

/* p as sym_poly_print writes it, with each known symbol its number in
 * parentheses: δ₁₂k₁₁ + δ₂₂k₂₁ as (-4)(-4) + (-5)(4). */
void sym_poly_print_values(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                           const sym_print_opts *o, const sym_values *vals);
/* p as a new string (the caller frees it). */
int sym_poly_format(char **out, const sym_poly *p, const sym_ctx *ctx,
                    const sym_print_opts *o, dv_diag *d);
/* A matrix's name, its map label written as a subscript (sym_map_label):
 * a_1 is "a₁" in Unicode, "a_{1}" in LaTeX, "a1" in ASCII; other names as
 * they are. */
void sym_name_print(dv_strbuf *b, const char *name, sym_style style);
/* The name of entry (row, col) of matrix `name`: "a11", "a₁₁", "a_{11}";
 * of a map's, "(x₂)₁₁", "(x_{2})_{11}", "x2_11". */
void sym_entry_print(dv_strbuf *b, const char *name, size_t row, size_t col,
                     const sym_print_opts *o);

#endif
