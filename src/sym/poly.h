/*
 * poly: exact polynomials with rational coefficients over atoms (the
 * entries x11, k22, d12 of matrices of symbols, scalars such as beta, and
 * applications f(n11)).  Atoms are small integers handed out by a context
 * (ctx.h); a polynomial only stores their numbers.
 *
 * Canonical form: terms sorted by monomial, no two with the same monomial,
 * no zero coefficient; the atoms of a monomial sorted, a power written as a
 * repeated atom.  So two polynomials of one context are equal exactly when
 * their terms are.  The zero polynomial is NULL or has no terms.
 *
 * Ownership: functions that make a polynomial hand it out through the first
 * argument; free it with sym_poly_free (NULL is a no-op).
 */
#ifndef DV_SYM_POLY_H
#define DV_SYM_POLY_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/* Highest degree of a monomial; higher is refused, with a message. */
#define SYM_MAX_DEGREE 12
/* Most terms in one polynomial. */
#define SYM_MAX_TERMS ((size_t)1 << 22)

typedef struct sym_rat {
	int64_t num, den; /* den > 0, lowest terms */
} sym_rat;

typedef struct sym_term {
	sym_rat c;
	uint32_t deg;
	uint32_t atom[SYM_MAX_DEGREE]; /* sorted; entries past deg are 0 */
} sym_term;

typedef struct sym_poly {
	size_t n, cap;
	sym_term *t;
} sym_poly;

/* Rational arithmetic; fails with DV_E_LIMIT past 64 bits. */
int sym_rat_mul(sym_rat *out, sym_rat a, sym_rat b, dv_diag *d);
int sym_rat_add(sym_rat *out, sym_rat a, sym_rat b, dv_diag *d);
/* The number as written ("0.1", "2.5e-3"), exactly: 0.1 is 1/10. */
int sym_rat_from_text(sym_rat *out, const char *text, dv_diag *d);
/* The exact value of a finite double, as the shortest decimal that reads
 * back as it (0.1 is 1/10), or exactly when that does not fit. */
int sym_rat_from_double(sym_rat *out, double v, dv_diag *d);

void sym_poly_free(sym_poly *p);
int sym_poly_copy(sym_poly **out, const sym_poly *p, dv_diag *d);
/* The constant c (NULL when c is 0). */
int sym_poly_const(sym_poly **out, sym_rat c, dv_diag *d);
/* The single atom `atom`. */
int sym_poly_atom(sym_poly **out, uint32_t atom, dv_diag *d);

/* *acc += c * x * y; x or y NULL stands for 1; *acc may be NULL (zero). */
int sym_poly_fma(sym_poly **acc, sym_rat c, const sym_poly *x, const sym_poly *y,
                 dv_diag *d);
/* The same, but the terms are only appended: call sym_poly_canon after a
 * run of them (a sum of n products then costs n log n, not n^2). */
int sym_poly_fma_defer(sym_poly **acc, sym_rat c, const sym_poly *x, const sym_poly *y,
                       dv_diag *d);

/* Appends a term without keeping the canonical form; sym_poly_canon
 * restores it (sorting, merging equal monomials, dropping zeros). */
int sym_poly_push(sym_poly **p, const sym_term *t, dv_diag *d);
int sym_poly_canon(sym_poly *p, dv_diag *d);

size_t sym_poly_len(const sym_poly *p);
int sym_poly_equal(const sym_poly *a, const sym_poly *b);
/* Whether p is a constant (0 included), and which. */
int sym_poly_is_const(const sym_poly *p, sym_rat *c);
uint64_t sym_poly_hash(const sym_poly *p);

/* Monomial order, also used by the printers' tie-breaks. */
int sym_monomial_cmp(const sym_term *a, const sym_term *b);
/* out = a * b as monomials (coefficients multiplied too). */
int sym_term_mul(sym_term *out, const sym_term *a, const sym_term *b, dv_diag *d);

#endif
