/*
 * field: the small scalar interface every operation of verify is written
 * against.  An operation is written once (as an index plan, see plan.h) and
 * runs over any field: doubles for numbers, exact polynomials for symbolic
 * tables.  A field is a table of functions over elements stored inline in a
 * matrix; the double field is defined here, the polynomial field in sym/.
 * Every function gets the field itself first, so that a field can carry a
 * context (the polynomial field's table of atoms) without globals.
 */
#ifndef DV_FIELD_H
#define DV_FIELD_H

#include <stddef.h>

#include "core/diag.h"

/* An exact rational coefficient with its double value precomputed. */
typedef struct dv_coef {
	long long num, den; /* den > 0, lowest terms */
	double value;
} dv_coef;

/* Element-wise activations of the notes, f in X = f(net). */
typedef enum dv_act {
	DV_ACT_IDENTITY,
	DV_ACT_SIGMOID,
	DV_ACT_TANH,
	DV_ACT_RELU,
	DV_ACT_ABSTRACT, /* the notes' f: symbols only, no numbers */
	DV_ACT_EXP,      /* exp and log, entry by entry: numbers only, for */
	DV_ACT_LOG,      /* softmax and cross-entropy */
	DV_ACT_RECIP,    /* 1/x: division by a computed number, in its field */
} dv_act;

const char *dv_act_name(dv_act act);

typedef struct dv_field dv_field;
struct dv_field {
	const char *name;
	size_t size; /* bytes one element takes inside a matrix */
	/* Makes uninitialised storage the zero element.  Cannot fail. */
	void (*zero)(const dv_field *f, void *e);
	/* Releases what an element owns; the element is zero afterwards. */
	void (*clear)(const dv_field *f, void *e);
	/* dst (an initialised element) = src. */
	int (*copy)(const dv_field *f, void *dst, const void *src, dv_diag *d);
	/*
	 * acc += c * x * y, where x or y may be NULL and then stands for 1.
	 * Zero, add, multiply and scale in one call: the only arithmetic the
	 * plan executor needs.  A field may defer work until finish.
	 */
	int (*fma)(const dv_field *f, void *acc, const dv_coef *c, const void *x,
	           const void *y, dv_diag *d);
	/*
	 * Called once after a run of fma on acc, before acc is read (NULL when
	 * the field has nothing to do): polynomials sort and merge their terms
	 * here once, instead of at every fma.
	 */
	int (*finish)(const dv_field *f, void *acc, dv_diag *d);
	/* dst = act(src), or its deriv-th derivative (deriv 0 or 1). */
	int (*activate)(const dv_field *f, void *dst, const void *src, dv_act act,
	                int deriv, dv_diag *d);
	/* dst = v exactly (v is finite). */
	int (*from_double)(const dv_field *f, void *dst, double v, dv_diag *d);
	/* 1 for symbols (polynomials: equal means equal), 0 for numbers. */
	int exact;
	/*
	 * Numbers other than doubles (the MPFR field), NULL elsewhere: give an
	 * element the error bound and scale of the double it came from, and
	 * read an element as the nearest double.
	 */
	void (*set_bound)(const dv_field *f, void *e, double bound, double scale);
	double (*to_double)(const dv_field *f, const void *e);
	/*
	 * Fields whose elements grow (polynomials): how many terms an element
	 * holds, so that a plan's work is known, and refused past the limit,
	 * before it is done.  NULL: every element is one.
	 */
	size_t (*weight)(const dv_field *f, const void *e);
	/*
	 * Exact fields (polynomials): whether e is a constant, and which, as
	 * a rational whose parts fit a long long (c->value its nearest
	 * double).  NULL: no element is a known constant.
	 */
	int (*constant)(const dv_field *f, const void *e, dv_coef *c);
};

extern const dv_field dv_field_double;

/* The numeric activations, shared by the double field and its callers. */
double dv_act_value(dv_act act, double x);
double dv_act_derivative(dv_act act, double x);
/*
 * A Lipschitz constant of act (deriv 0) or of its derivative (deriv 1) over
 * the whole real line: how far an error in x can move the result.  INFINITY
 * where the function jumps (relu's derivative at 0), NAN for the abstract f.
 */
double dv_act_lipschitz(dv_act act, int deriv);
/*
 * The same over [x - r, x + r] only: for exp and log, which have no bound
 * over the whole line (INFINITY for log where the interval reaches 0);
 * the global constant for the others.
 */
double dv_act_lipschitz_near(dv_act act, int deriv, double x, double r);
/*
 * act(x + dx) - act(x) without the cancellation of subtracting two nearby
 * values: for sigmoid and tanh it is formed from expm1(dx) or sinh(dx), so
 * a tiny dx keeps its relative accuracy (a few units in the last place,
 * and |x + dx| units from the rounding of x + dx).
 */
double dv_act_change(dv_act act, double x, double dx);
/*
 * The same in two parts, for many changes of one x: aux depends on x
 * alone (1 - s(x) and e^-x for sigmoid, 1/cosh(x) for tanh) and can be
 * kept.
 */
typedef struct dv_act_aux {
	double a, b;
} dv_act_aux;
dv_act_aux dv_act_change_aux(dv_act act, double x);
double dv_act_change_at(dv_act act, double x, const dv_act_aux *aux, double dx);
/* dv_act_change_at at each of n changes dx[], into out[]. */
void dv_act_change_lanes(dv_act act, double x, const dv_act_aux *aux, const double *dx,
                         double *out, size_t n);
/* The order-th derivative (0 to 2), NAN past that or for DV_ACT_ABSTRACT. */
double dv_act_diff(dv_act act, unsigned order, double x);

#endif
