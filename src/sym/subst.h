/*
 * subst: numbers put in for symbols.  This is how a symbolic result is
 * checked against the numeric path: the same values go into both.
 */
#ifndef DV_SYM_SUBST_H
#define DV_SYM_SUBST_H

#include "core/diag.h"
#include "core/mat.h"
#include "sym/ctx.h"

/* The numbers of the symbols `name` (x11 takes values entry (1,1)). */
typedef struct sym_value {
	const char *name;
	const dv_mat *values; /* doubles, the size of the matrix of symbols */
} sym_value;

/*
 * The double matrix of m's entries with every symbol replaced by its
 * number; activations applied to numbers (the abstract f as `f_is`).  A symbol without
 * a number is an error that names it.
 */
int sym_mat_substitute(dv_mat **out, const dv_mat *m, const sym_value *values,
                       size_t nvalues, dv_act f_is, dv_diag *d);

#endif
