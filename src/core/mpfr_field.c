#include "core/mpfr_field.h"

#include <math.h>
#include <string.h>

typedef struct mpfr_field {
	dv_field base; /* first: the plan interface sees only this */
	mpfr_prec_t bits;
} mpfr_field;

static mpfr_prec_t bits_of(const dv_field *f)
{
	return ((const mpfr_field *)f)->bits;
}

/* The unit roundoff at the field's precision, 2^-bits. */
static double unit(const dv_field *f)
{
	return ldexp(1.0, -(int)bits_of(f));
}

/* |v| as a double, rounded up: what a bound may use for it. */
static double mag(const mpfr_t v)
{
	return fabs(mpfr_get_d(v, MPFR_RNDA));
}

/* Bounds are added up in double: a little room for their own rounding. */
#define ROOM (1.0 + 0x1p-48)

static void ball_zero(const dv_field *f, void *e)
{
	dv_ball *b = e;
	mpfr_init2(b->mid, bits_of(f));
	mpfr_set_zero(b->mid, 1);
	b->rad = b->scale = 0.0;
}

/* Frees the element's digits; only a matrix being freed calls it. */
static void ball_clear(const dv_field *f, void *e)
{
	(void)f;
	mpfr_clear(((dv_ball *)e)->mid);
}

static int ball_copy(const dv_field *f, void *dst, const void *src, dv_diag *d)
{
	dv_ball *to = dst;
	const dv_ball *from = src;
	(void)f;
	(void)d;
	mpfr_set(to->mid, from->mid, MPFR_RNDN); /* one precision: exact */
	to->rad = from->rad;
	to->scale = from->scale;
	return DV_OK;
}

static int ball_fma(const dv_field *f, void *acc, const dv_coef *c, const void *x,
                    const void *y, dv_diag *d)
{
	dv_ball *a = acc;
	const dv_ball *bx = x, *by = y;
	double u = unit(f), ac = fabs(c->value) * ROOM;
	double mx = bx != NULL ? mag(bx->mid) : 1.0, rx = bx != NULL ? bx->rad : 0.0;
	double my = by != NULL ? mag(by->mid) : 1.0, ry = by != NULL ? by->rad : 0.0;
	double sx = bx != NULL ? bx->scale : 1.0, sy = by != NULL ? by->scale : 1.0;
	mpfr_t t;

	(void)d;
	mpfr_init2(t, bits_of(f));
	if (bx != NULL && by != NULL)
		mpfr_mul(t, bx->mid, by->mid, MPFR_RNDN);
	else if (bx != NULL || by != NULL)
		mpfr_set(t, bx != NULL ? bx->mid : by->mid, MPFR_RNDN);
	else
		mpfr_set_ui(t, 1, MPFR_RNDN);
	mpfr_mul_si(t, t, (long)c->num, MPFR_RNDN);
	mpfr_div_si(t, t, (long)c->den, MPFR_RNDN);
	mpfr_add(a->mid, a->mid, t, MPFR_RNDN);
	/* the operands' radii carried, then three roundings of the term and
	 * one of the sum */
	a->rad = (a->rad + ac * (mx * ry + rx * my + rx * ry) + 3.0 * u * mag(t) +
	          u * mag(a->mid)) *
	         ROOM;
	a->scale += ac * sx * sy;
	mpfr_clear(t);
	return DV_OK;
}

static int ball_activate(const dv_field *f, void *dst, const void *src, dv_act act,
                         int deriv, dv_diag *d)
{
	dv_ball *out = dst;
	const dv_ball *in = src;
	double lip = dv_act_lipschitz_near(act, deriv, mpfr_get_d(in->mid, MPFR_RNDN),
	                                   in->rad * ROOM),
	       u = unit(f);
	mpfr_t t;

	if (act == DV_ACT_ABSTRACT)
		return dv_fail(d, DV_E_SYMBOLIC,
		               "f is an abstract activation with no numbers; use it on "
		               "symbols, or use sigmoid, tanh, relu or identity");
	mpfr_init2(t, bits_of(f));
	switch (act) {
	case DV_ACT_IDENTITY:
		if (deriv)
			mpfr_set_ui(out->mid, 1, MPFR_RNDN);
		else
			mpfr_set(out->mid, in->mid, MPFR_RNDN);
		break;
	case DV_ACT_SIGMOID:
		/* s = 1 / (1 + e^-x); s' = s (1 - s) */
		mpfr_neg(t, in->mid, MPFR_RNDN);
		mpfr_exp(t, t, MPFR_RNDN);
		mpfr_add_ui(t, t, 1, MPFR_RNDN);
		mpfr_ui_div(out->mid, 1, t, MPFR_RNDN);
		if (deriv) {
			mpfr_ui_sub(t, 1, out->mid, MPFR_RNDN);
			mpfr_mul(out->mid, out->mid, t, MPFR_RNDN);
		}
		break;
	case DV_ACT_TANH:
		mpfr_tanh(out->mid, in->mid, MPFR_RNDN);
		if (deriv) {
			mpfr_sqr(t, out->mid, MPFR_RNDN);
			mpfr_ui_sub(out->mid, 1, t, MPFR_RNDN);
		}
		break;
	case DV_ACT_RELU:
		if (deriv)
			mpfr_set_ui(out->mid, mpfr_sgn(in->mid) > 0 ? 1UL : 0UL,
			            MPFR_RNDN);
		else if (mpfr_sgn(in->mid) > 0)
			mpfr_set(out->mid, in->mid, MPFR_RNDN);
		else
			mpfr_set_zero(out->mid, 1);
		break;
	case DV_ACT_EXP:
		mpfr_exp(out->mid, in->mid, MPFR_RNDN);
		break;
	case DV_ACT_LOG:
		if (mpfr_sgn(in->mid) <= 0) {
			mpfr_clear(t);
			return dv_fail(d, DV_E_DOMAIN, "the logarithm of %.6g: log needs "
			                               "positive numbers",
			               mpfr_get_d(in->mid, MPFR_RNDN));
		}
		if (deriv)
			mpfr_ui_div(out->mid, 1, in->mid, MPFR_RNDN);
		else
			mpfr_log(out->mid, in->mid, MPFR_RNDN);
		break;
	case DV_ACT_RECIP:
		if (mpfr_zero_p(in->mid)) {
			mpfr_clear(t);
			return dv_fail(d, DV_E_DOMAIN, "division by zero");
		}
		mpfr_ui_div(out->mid, 1, in->mid, MPFR_RNDN);
		if (deriv) {
			mpfr_sqr(out->mid, out->mid, MPFR_RNDN);
			mpfr_neg(out->mid, out->mid, MPFR_RNDN);
		}
		break;
	case DV_ACT_ABSTRACT:
		break;
	}
	mpfr_clear(t);
	if (isinf(lip) && act != DV_ACT_RELU) {
		out->rad = INFINITY;
		out->scale = mag(out->mid);
	} else if (isinf(lip)) {
		out->rad = mag(in->mid) <= in->rad ? 1.0 : 0.0;
		out->scale = 1.0;
	} else {
		out->rad = (lip * in->rad + 8.0 * u * mag(out->mid)) * ROOM;
		out->scale = mag(out->mid) + lip * in->scale;
	}
	return DV_OK;
}

static int ball_from_double(const dv_field *f, void *dst, double v, dv_diag *d)
{
	dv_ball *b = dst;
	(void)f;
	(void)d;
	mpfr_set_d(b->mid, v, MPFR_RNDN); /* 53 bits fit: exact */
	b->rad = 0.0;
	b->scale = fabs(v);
	return DV_OK;
}

static void ball_set_bound(const dv_field *f, void *e, double bound, double scale)
{
	dv_ball *b = e;
	(void)f;
	b->rad = bound;
	b->scale = scale;
}

static double ball_to_double(const dv_field *f, const void *e)
{
	(void)f;
	return mpfr_get_d(((const dv_ball *)e)->mid, MPFR_RNDN);
}

#define BALL_FIELD(bits_)                                                                \
	{                                                                                \
		{                                                                        \
		        .name = "mpfr" #bits_,                                           \
		        .size = sizeof(dv_ball),                                         \
		        .zero = ball_zero,                                               \
		        .clear = ball_clear,                                             \
		        .copy = ball_copy,                                               \
		        .fma = ball_fma,                                                 \
		        .activate = ball_activate,                                       \
		        .from_double = ball_from_double,                                 \
		        .exact = 0,                                                      \
		        .set_bound = ball_set_bound,                                     \
		        .to_double = ball_to_double,                                     \
		},                                                                       \
		        bits_                                                            \
	}

static const mpfr_field fields[] = {BALL_FIELD(128), BALL_FIELD(256)};

const dv_field *dv_field_mpfr(unsigned bits)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].bits == (mpfr_prec_t)bits)
			return &fields[i].base;
	return NULL;
}

unsigned dv_field_bits(const dv_field *f)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (f == &fields[i].base)
			return (unsigned)fields[i].bits;
	return 0;
}

void dv_mpfr_difference(const dv_mat *a, const dv_mat *b, size_t i, double *diff,
                        double *bound, double *scale)
{
	const dv_ball *x = dv_ball_at(a, i), *y = dv_ball_at(b, i);
	mpfr_t t;

	mpfr_init2(t, bits_of(a->field));
	mpfr_sub(t, x->mid, y->mid, MPFR_RNDN);
	*diff = fabs(mpfr_get_d(t, MPFR_RNDN));
	*bound = (x->rad + y->rad + unit(a->field) * mag(t)) * ROOM;
	*scale = x->scale + y->scale;
	mpfr_clear(t);
}

int dv_mpfr_to_doubles(dv_mat **out, const dv_mat *m, dv_diag *d)
{
	dv_mat *r = NULL;
	int rc = dv_mat_new(&r, &dv_field_double, m->rows, m->cols, d);

	*out = NULL;
	if (rc == DV_OK)
		rc = dv_mat_track(r, d);
	if (rc != DV_OK) {
		dv_mat_free(r);
		return rc;
	}
	for (size_t i = 0; i < dv_mat_len(m); i++) {
		const dv_ball *b = dv_ball_at(m, i);
		double v = mpfr_get_d(b->mid, MPFR_RNDN);
		((double *)r->data)[i] = v;
		r->bound[i] = b->rad + DV_UNIT_ROUNDOFF * fabs(v);
		r->scale[i] = b->scale;
	}
	*out = r;
	return DV_OK;
}
