/*
 * mat: a matrix whose entries belong to a field (see field.h).  For the
 * double field the entries are a row-major array of doubles in the same
 * allocation as the matrix (a GSL matrix view fits over it, tda == cols);
 * other fields keep their elements in an array of their own.
 *
 * Ownership: dv_mat_new and friends hand out a matrix the caller frees with
 * dv_mat_free (NULL is a no-op).
 */
#ifndef DV_MAT_H
#define DV_MAT_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "core/diag.h"
#include "core/field.h"

/* Largest matrix verify allocates: 1024 x 1024 entries (far past what a
 * derivation needs; its worst elementwise operation peaks near 60 MB). */
#define DV_MAX_ENTRIES ((size_t)1048576)

typedef struct dv_mat {
	const dv_field *field;
	size_t rows, cols;
	void *data;      /* rows * cols elements, row-major */
	/*
	 * Double field only: what each computed number knows of its own
	 * accuracy (Higham's running error analysis).  bound[i] bounds the
	 * distance of entry i from the exact real result of the same
	 * computation on the same inputs; scale[i] is the size of the terms
	 * it was computed from (the same computation on absolute values), the
	 * yardstick a difference is judged against.  NULL means exact: bound
	 * 0 and scale |entry|, as for given and random numbers.
	 */
	double *bound, *scale;
} dv_mat;

/* Checks rows x cols against the limits, naming what in `what`. */
int dv_mat_check_size(size_t rows, size_t cols, const char *what, dv_diag *d);

/* A rows x cols matrix of zeros. */
int dv_mat_new(dv_mat **out, const dv_field *f, size_t rows, size_t cols, dv_diag *d);
int dv_mat_from_doubles(dv_mat **out, size_t rows, size_t cols, const double *v,
                        dv_diag *d);
int dv_mat_copy(dv_mat **out, const dv_mat *m, dv_diag *d);
/* A copy of m whose entries are in field `to` (only from doubles, or same). */
int dv_mat_convert(dv_mat **out, const dv_mat *m, const dv_field *to, dv_diag *d);
void dv_mat_free(dv_mat *m);

static inline size_t dv_mat_len(const dv_mat *m)
{
	return m->rows * m->cols;
}

static inline void *dv_mat_at(const dv_mat *m, size_t i)
{
	return (char *)m->data + i * m->field->size;
}

static inline int dv_mat_is_double(const dv_mat *m)
{
	return m->field == &dv_field_double;
}

/* Whether m holds numbers (doubles, or MPFR's), not symbols. */
static inline int dv_mat_is_numeric(const dv_mat *m)
{
	return !m->field->exact;
}

/*
 * A 1 x 1 matrix of numbers (of any numeric field, or an exact constant:
 * a polynomial without atoms) as a double: 1 with *v and *bound (its
 * error bound, with the rounding to double), 0 for anything else.
 */
int dv_mat_scalar_number(const dv_mat *m, double *v, double *bound);

/* Entry i (row-major) of a double matrix. */
static inline double dv_mat_get(const dv_mat *m, size_t i)
{
	return ((const double *)m->data)[i];
}

/* The unit roundoff of double precision, 2^-53. */
#define DV_UNIT_ROUNDOFF 0x1p-53

/*
 * What underflow can add to the result of one operation.  It is at most
 * the smallest subnormal, 2^-1074, but bounds are charged the smallest
 * normal number, 2^-1022, instead: the bound is then never subnormal
 * itself, and arithmetic on subnormals costs a microcode assist of about a
 * hundred cycles per operation on x86 (it was half the time of a gradient
 * check).  A bound 2^52 times larger but still below 1e-300 resolves the
 * same verdicts.
 */
#define DV_UNDERFLOW 0x1p-1022

/* Higham's gamma_k = k u / (1 - k u): the bound of k roundings in a row. */
static inline double dv_gamma(size_t k)
{
	double ku = (double)k * DV_UNIT_ROUNDOFF;
	return ku / (1.0 - ku);
}

/* Entry i's error bound and scale (see bound and scale above). */
static inline double dv_mat_bound_at(const dv_mat *m, size_t i)
{
	return m->bound != NULL ? m->bound[i] : 0.0;
}

static inline double dv_mat_scale_at(const dv_mat *m, size_t i)
{
	double v = ((const double *)m->data)[i];
	return m->scale != NULL ? m->scale[i] : (v < 0 ? -v : v);
}

/* Gives a double matrix its bound and scale arrays (exact: 0 and |v|). */
int dv_mat_track(dv_mat *m, dv_diag *d);

/* Uniform [0, 1) or standard normal entries from rng. */
int dv_mat_random(dv_mat **out, gsl_rng *rng, size_t rows, size_t cols, int normal,
                  dv_diag *d);

/* Whether rows x cols is 1 x 1. */
static inline int dv_mat_is_scalar(const dv_mat *m)
{
	return m->rows == 1 && m->cols == 1;
}

#endif
