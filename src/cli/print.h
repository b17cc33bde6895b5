/*
 * print: how the command line renders values and errors.  Renders only;
 * every number and polynomial comes from the engine.
 */
#ifndef DV_PRINT_H
#define DV_PRINT_H

#include <stdio.h>

#include "core/diag.h"
#include "core/mat.h"
#include "core/strbuf.h"
#include "expr/eval.h"
#include "sym/print.h"

typedef enum dv_format {
	DV_FORMAT_TEXT,
	DV_FORMAT_JSON,
	DV_FORMAT_LATEX,
	DV_FORMAT_MARKDOWN,
	DV_FORMAT_TAP,
} dv_format;

typedef struct dv_print_opts {
	dv_format format;
	sym_style text_style; /* SYM_UNICODE or SYM_ASCII for text output */
	const char *name;     /* entries of a symbolic table: a11, a12, ... */
	const char *source;   /* the expression, for Markdown */
} dv_print_opts;

/*
 * A value: a number matrix aligned (text), a symbolic matrix as the notes'
 * index table (a11 = x11k22 + ...), a check as its verdict; JSON is one
 * object with "value" (numbers, or strings in the ASCII form) or, for a
 * check, "holds" and the first differing entry.  Returns DV_E_NOMEM when
 * printing ran out of memory.
 */
int dv_print_value(FILE *f, const dv_value *v, const dv_print_opts *o);

/* Entry i of m (a number or a polynomial) in style, appended to b. */
void dv_put_entry(dv_strbuf *b, const dv_mat *m, size_t i, sym_style style,
		  const sym_latex_name *latex);
/* The index table of m, "name11 = ..." a line (LaTeX: aligned rows). */
void dv_put_table(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
		  const sym_latex_name *latex, const char *indent);

/* Whether every entry of m is a single term (x11, 0, 2δ₁₂): best shown as a grid. */
int dv_is_grid(const dv_mat *m);
/* m as a grid of entries, "name = " before the first row, columns aligned. */
void dv_put_grid(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
		 const char *indent);

/* A numeric matrix, columns aligned, each line after `indent`. */
void dv_print_numbers(FILE *f, const dv_mat *m, const char *indent);

/* Six significant digits, as Octave shows numbers; no "-0". */
int dv_format_number(char *buf, size_t size, double v);

/*
 * An error as `source:line:column: error: message`, then the source line
 * with a caret under the column; without a position, `verify: error: ...`.
 */
void dv_print_diag(FILE *f, const char *source_name, const char *src,
		   const dv_diag *d);

#endif
