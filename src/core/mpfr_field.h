/*
 * mpfr_field: the numbers of GNU MPFR as a third field of the plan
 * interface, for the checks that double precision cannot decide.
 *
 * An element is a ball: an MPFR value at the field's precision, a radius
 * that bounds its distance from the exact real result of the same
 * computation (every MPFR operation rounds correctly, to within 2^-prec of
 * its result, and the radius adds that up as the double field's bound
 * does), and the scale of the terms it came from.  The same plans run
 * over it unchanged; precision is a parameter of the field, not a global.
 *
 * Ownership: dv_field_mpfr returns a field that lives as long as the
 * program; matrices of it free their elements with dv_mat_free.
 */
#ifndef DV_MPFR_FIELD_H
#define DV_MPFR_FIELD_H

#include <mpfr.h>

#include "core/diag.h"
#include "core/field.h"
#include "core/mat.h"

/* The precisions tried, in order, after double's 53 bits. */
#define DV_MPFR_PRECISIONS                                                               \
	{                                                                                \
		128, 256                                                                 \
	}

typedef struct dv_ball {
	mpfr_t mid;
	double rad;   /* |exact - mid| <= rad */
	double scale; /* the size of the terms behind it */
} dv_ball;

/* The field of balls at `bits` of precision (128 or 256); NULL otherwise. */
const dv_field *dv_field_mpfr(unsigned bits);
/* The precision of an MPFR field, 0 for any other. */
unsigned dv_field_bits(const dv_field *f);

/*
 * The difference of entries i of a and b (MPFR matrices of one field) as
 * doubles: *diff = |a - b| (rounded once from the exact MPFR difference),
 * with the bound and scale it is judged by.
 */
void dv_mpfr_difference(const dv_mat *a, const dv_mat *b, size_t i, double *diff,
                        double *bound, double *scale);

/*
 * A double copy of an MPFR matrix, each entry's rounding added to its
 * bound: what the reports show.
 */
int dv_mpfr_to_doubles(dv_mat **out, const dv_mat *m, dv_diag *d);

/* Entry i of an MPFR matrix, borrowed. */
static inline dv_ball *dv_ball_at(const dv_mat *m, size_t i)
{
	return (dv_ball *)dv_mat_at(m, i);
}

#endif
