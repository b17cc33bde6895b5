/*
 * print: how the command line renders results and errors.  Renders only;
 * every number comes from the engine.
 */
#ifndef DV_PRINT_H
#define DV_PRINT_H

#include <stdio.h>

#include "core/diag.h"
#include "core/mat.h"

/* A numeric matrix, columns aligned; a 1 x 1 matrix as a bare number. */
void dv_print_text(FILE *f, const dv_mat *m);

/* {"value": number or [[row], ...]} with every double round-trippable. */
int dv_print_json(FILE *f, const dv_mat *m);

/*
 * An error as `source:line:column: error: message`, then the source line
 * with a caret under the column; without a position, `verify: error: ...`.
 */
void dv_print_diag(FILE *f, const char *source_name, const char *src,
		   const dv_diag *d);

#endif
