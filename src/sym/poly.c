#include "sym/poly.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 128-bit intermediates keep products of two 64-bit parts exact. */
__extension__ typedef __int128 wide;

static int overflow(dv_diag *d)
{
	return dv_fail(d, DV_E_LIMIT, "a coefficient grew beyond 64 bits");
}

/* num/den from 128-bit parts, reduced; fails if it does not fit. */
static int rat_make(sym_rat *out, wide num, wide den, dv_diag *d)
{
	wide a = num < 0 ? -num : num, b = den, t;
	if (den < 0) {
		num = -num;
		den = -den;
		b = den;
	}
	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	if (a > 1) {
		num /= a;
		den /= a;
	}
	if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX)
		return overflow(d);
	out->num = (int64_t)num;
	out->den = num == 0 ? 1 : (int64_t)den;
	return DV_OK;
}

int sym_rat_mul(sym_rat *out, sym_rat a, sym_rat b, dv_diag *d)
{
	if (a.den == 1 && b.den == 1) {
		int64_t r;
		if (__builtin_mul_overflow(a.num, b.num, &r))
			return overflow(d);
		*out = (sym_rat){r, 1};
		return DV_OK;
	}
	return rat_make(out, (wide)a.num * b.num, (wide)a.den * b.den, d);
}

int sym_rat_add(sym_rat *out, sym_rat a, sym_rat b, dv_diag *d)
{
	if (a.den == 1 && b.den == 1) {
		int64_t r;
		if (__builtin_add_overflow(a.num, b.num, &r))
			return overflow(d);
		*out = (sym_rat){r, 1};
		return DV_OK;
	}
	return rat_make(out, (wide)a.num * b.den + (wide)b.num * a.den,
	                (wide)a.den * b.den, d);
}

/* The decimal text s ("-1.25e-3") as a rational, if it fits. */
static int rat_from_decimal(sym_rat *out, const char *s)
{
	wide num = 0, den = 1;
	int neg = 0, exp10 = 0, seen_point = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s != '\0' && *s != 'e' && *s != 'E'; s++) {
		if (*s == '.') {
			seen_point = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		num = num * 10 + (*s - '0');
		if (seen_point)
			exp10--;
		if (num > ((wide)1 << 100))
			return -1;
	}
	if (*s == 'e' || *s == 'E') {
		/* clamped: a longer exponent cannot fit either way */
		long e = strtol(s + 1, NULL, 10);
		exp10 += e > 400 ? 400 : e < -400 ? -400 : (int)e;
	}
	for (; exp10 > 0; exp10--)
		if ((num *= 10) > ((wide)1 << 100))
			return -1;
	for (; exp10 < 0; exp10++)
		if ((den *= 10) > ((wide)1 << 100))
			return -1;
	return rat_make(out, neg ? -num : num, den, NULL) == DV_OK ? 0 : -1;
}

int sym_rat_from_text(sym_rat *out, const char *text, dv_diag *d)
{
	if (rat_from_decimal(out, text) == 0)
		return DV_OK;
	return dv_fail(d, DV_E_SYMBOLIC,
	               "the number %s has no exact form within 64 bits (exact "
	               "arithmetic keeps fractions of 64-bit integers)",
	               text);
}

int sym_rat_from_double(sym_rat *out, double v, dv_diag *d)
{
	char buf[64];
	if (!isfinite(v))
		return dv_fail(d, DV_E_DOMAIN, "%g is not a finite number", v);
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(buf, sizeof buf, "%.*g", digits, v);
		if (strtod(buf, NULL) == v && rat_from_decimal(out, buf) == 0)
			return DV_OK;
	}
	{
		/* exactly: v = m * 2^e with a 53-bit m */
		int e;
		double m = frexp(v, &e);
		wide num = (wide)ldexp(m, 53);
		e -= 53;
		if (e >= 0 && e < 60) /* a product: num may be negative */
			return rat_make(out, num * ((wide)1 << e), 1, d);
		if (e < 0 && e > -120)
			return rat_make(out, num, (wide)1 << -e, d);
	}
	return dv_fail(d, DV_E_LIMIT, "%.17g has no exact form within 64 bits", v);
}

void sym_poly_free(sym_poly *p)
{
	if (p == NULL)
		return;
	free(p->t);
	free(p);
}

size_t sym_poly_len(const sym_poly *p)
{
	return p == NULL ? 0 : p->n;
}

static int poly_reserve(sym_poly **pp, size_t n, dv_diag *d)
{
	sym_poly *p = *pp;
	if (n > SYM_MAX_TERMS)
		return dv_fail(d, DV_E_LIMIT,
		               "a polynomial would have more than %zu terms",
		               SYM_MAX_TERMS);
	if (p == NULL) {
		p = calloc(1, sizeof *p);
		if (p == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		*pp = p;
	}
	if (n > p->cap) {
		size_t cap = p->cap ? p->cap : 4;
		sym_term *t;
		while (cap < n)
			cap *= 2;
		t = realloc(p->t, cap * sizeof *t);
		if (t == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		p->t = t;
		p->cap = cap;
	}
	return DV_OK;
}

int sym_poly_copy(sym_poly **out, const sym_poly *p, dv_diag *d)
{
	int rc;
	*out = NULL;
	if (p == NULL || p->n == 0)
		return DV_OK;
	if ((rc = poly_reserve(out, p->n, d)) != DV_OK)
		return rc;
	memcpy((*out)->t, p->t, p->n * sizeof *p->t);
	(*out)->n = p->n;
	return DV_OK;
}

int sym_poly_const(sym_poly **out, sym_rat c, dv_diag *d)
{
	sym_term t;
	*out = NULL;
	if (c.num == 0)
		return DV_OK;
	memset(&t, 0, sizeof t);
	t.c = c;
	return sym_poly_push(out, &t, d);
}

int sym_poly_atom(sym_poly **out, uint32_t atom, dv_diag *d)
{
	sym_term t;
	*out = NULL;
	memset(&t, 0, sizeof t);
	t.c = (sym_rat){1, 1};
	t.deg = 1;
	t.atom[0] = atom;
	return sym_poly_push(out, &t, d);
}

int sym_poly_push(sym_poly **p, const sym_term *t, dv_diag *d)
{
	int rc = poly_reserve(p, sym_poly_len(*p) + 1, d);
	if (rc != DV_OK)
		return rc;
	(*p)->t[(*p)->n++] = *t;
	return DV_OK;
}

int sym_monomial_cmp(const sym_term *a, const sym_term *b)
{
	if (a->deg != b->deg)
		return a->deg < b->deg ? -1 : 1;
	for (uint32_t i = 0; i < a->deg; i++)
		if (a->atom[i] != b->atom[i])
			return a->atom[i] < b->atom[i] ? -1 : 1;
	return 0;
}

static int term_cmp(const void *a, const void *b)
{
	return sym_monomial_cmp(a, b);
}

int sym_term_mul(sym_term *out, const sym_term *a, const sym_term *b, dv_diag *d)
{
	uint32_t i = 0, j = 0, k = 0;
	sym_term r;
	int rc;

	if (a->deg + b->deg > SYM_MAX_DEGREE)
		return dv_fail(d, DV_E_LIMIT,
		               "a term would have degree %u; the limit is %d",
		               a->deg + b->deg, SYM_MAX_DEGREE);
	memset(&r, 0, sizeof r);
	if ((rc = sym_rat_mul(&r.c, a->c, b->c, d)) != DV_OK)
		return rc;
	while (i < a->deg || j < b->deg) {
		if (j == b->deg || (i < a->deg && a->atom[i] <= b->atom[j]))
			r.atom[k++] = a->atom[i++];
		else
			r.atom[k++] = b->atom[j++];
	}
	r.deg = k;
	*out = r;
	return DV_OK;
}

int sym_poly_canon(sym_poly *p, dv_diag *d)
{
	size_t w = 0;
	int rc;

	if (p == NULL || p->n == 0)
		return DV_OK;
	if (p->n > 1)
		qsort(p->t, p->n, sizeof *p->t, term_cmp);
	for (size_t r = 0; r < p->n; r++) {
		if (w > 0 && sym_monomial_cmp(&p->t[w - 1], &p->t[r]) == 0) {
			if ((rc = sym_rat_add(&p->t[w - 1].c, p->t[w - 1].c, p->t[r].c,
			                      d)) != DV_OK)
				return rc;
			if (p->t[w - 1].c.num == 0)
				w--;
		} else if (p->t[r].c.num != 0) {
			p->t[w++] = p->t[r];
		}
	}
	p->n = w;
	return DV_OK;
}

/* acc (canonical) += add (canonical), by merging. */
static int poly_merge(sym_poly **acc, const sym_poly *add, dv_diag *d)
{
	sym_poly *a = *acc, *r = NULL;
	size_t i = 0, j = 0;
	int rc;

	if (add == NULL || add->n == 0)
		return DV_OK;
	if (a == NULL || a->n == 0) {
		if ((rc = sym_poly_copy(&r, add, d)) != DV_OK)
			return rc;
		sym_poly_free(a);
		*acc = r;
		return DV_OK;
	}
	if ((rc = poly_reserve(&r, a->n + add->n, d)) != DV_OK)
		return rc;
	while (i < a->n || j < add->n) {
		int c = i == a->n     ? 1
		        : j == add->n ? -1
		                      : sym_monomial_cmp(&a->t[i], &add->t[j]);
		if (c < 0) {
			r->t[r->n++] = a->t[i++];
		} else if (c > 0) {
			r->t[r->n++] = add->t[j++];
		} else {
			sym_term t = a->t[i++];
			if ((rc = sym_rat_add(&t.c, t.c, add->t[j++].c, d)) != DV_OK) {
				sym_poly_free(r);
				return rc;
			}
			if (t.c.num != 0)
				r->t[r->n++] = t;
		}
	}
	sym_poly_free(a);
	*acc = r;
	return DV_OK;
}

/* Appends the terms of c * x * y to *out, unsorted. */
static int product_into(sym_poly **out, sym_rat c, const sym_poly *x, const sym_poly *y,
                        dv_diag *d)
{
	static const sym_term one = {{1, 1}, 0, {0}};
	const sym_term *xt = x != NULL ? x->t : &one, *yt = y != NULL ? y->t : &one;
	size_t nx = x != NULL ? x->n : 1, ny = y != NULL ? y->n : 1;
	sym_term scale;
	int rc;

	if (c.num == 0 || nx == 0 || ny == 0)
		return DV_OK;
	memset(&scale, 0, sizeof scale);
	scale.c = c;
	if ((rc = poly_reserve(out, sym_poly_len(*out) + nx * ny, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < nx; i++) {
		for (size_t j = 0; j < ny; j++) {
			sym_term t;
			if ((rc = sym_term_mul(&t, &xt[i], &yt[j], d)) != DV_OK ||
			    (rc = sym_term_mul(&t, &t, &scale, d)) != DV_OK)
				return rc;
			(*out)->t[(*out)->n++] = t;
		}
	}
	return DV_OK;
}

int sym_poly_fma_defer(sym_poly **acc, sym_rat c, const sym_poly *x, const sym_poly *y,
                       dv_diag *d)
{
	return product_into(acc, c, x, y, d);
}

int sym_poly_fma(sym_poly **acc, sym_rat c, const sym_poly *x, const sym_poly *y,
                 dv_diag *d)
{
	sym_poly *prod = NULL;
	int rc = product_into(&prod, c, x, y, d);

	if (rc == DV_OK)
		rc = sym_poly_canon(prod, d);
	if (rc == DV_OK)
		rc = poly_merge(acc, prod, d);
	sym_poly_free(prod);
	return rc;
}

int sym_poly_equal(const sym_poly *a, const sym_poly *b)
{
	size_t n = sym_poly_len(a);
	if (n != sym_poly_len(b))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (sym_monomial_cmp(&a->t[i], &b->t[i]) != 0 ||
		    a->t[i].c.num != b->t[i].c.num || a->t[i].c.den != b->t[i].c.den)
			return 0;
	return 1;
}

int sym_poly_is_const(const sym_poly *p, sym_rat *c)
{
	if (p == NULL || p->n == 0) {
		*c = (sym_rat){0, 1};
		return 1;
	}
	if (p->n == 1 && p->t[0].deg == 0) {
		*c = p->t[0].c;
		return 1;
	}
	return 0;
}

uint64_t sym_poly_hash(const sym_poly *p)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < sym_poly_len(p); i++) {
		const sym_term *t = &p->t[i];
		uint64_t parts[3] = {(uint64_t)t->c.num, (uint64_t)t->c.den, t->deg};
		for (size_t k = 0; k < 3; k++)
			h = (h ^ parts[k]) * 1099511628211ull;
		for (uint32_t k = 0; k < t->deg; k++)
			h = (h ^ t->atom[k]) * 1099511628211ull;
	}
	return h;
}
