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
#include "render/render.h"
#include "sym/print.h"

typedef enum dv_format {
	DV_FORMAT_TEXT,
	DV_FORMAT_JSON,
	DV_FORMAT_LATEX,
	DV_FORMAT_MARKDOWN,
	DV_FORMAT_TAP,
	DV_FORMAT_HTML,
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

/* A numeric matrix, columns aligned, each line after `indent`. */
void dv_print_numbers(FILE *f, const dv_mat *m, const char *indent);

/*
 * An error as `source:line:column: error: message`, then the source line
 * with a caret under the column; without a position, `verify: error: ...`.
 */
void dv_print_diag(FILE *f, const char *source_name, const char *src, const dv_diag *d);

#endif
