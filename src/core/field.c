#include "core/field.h"

#include <math.h>
#include <string.h>

const char *dv_act_name(dv_act act)
{
	switch (act) {
	case DV_ACT_IDENTITY:
		return "identity";
	case DV_ACT_SIGMOID:
		return "sigmoid";
	case DV_ACT_TANH:
		return "tanh";
	case DV_ACT_RELU:
		return "relu";
	case DV_ACT_ABSTRACT:
		return "f";
	case DV_ACT_EXP:
		return "exp";
	case DV_ACT_LOG:
		return "log";
	case DV_ACT_RECIP:
		return "1/x";
	}
	return "?";
}

double dv_act_value(dv_act act, double x)
{
	switch (act) {
	case DV_ACT_IDENTITY:
		return x;
	case DV_ACT_SIGMOID:
		/* Written so that exp never overflows for large |x|. */
		if (x >= 0)
			return 1.0 / (1.0 + exp(-x));
		else {
			double e = exp(x);
			return e / (1.0 + e);
		}
	case DV_ACT_TANH:
		return tanh(x);
	case DV_ACT_RELU:
		return x > 0 ? x : 0.0;
	case DV_ACT_EXP:
		return exp(x);
	case DV_ACT_LOG:
		return x > 0 ? log(x) : NAN;
	case DV_ACT_RECIP:
		return 1.0 / x;
	case DV_ACT_ABSTRACT:
		break;
	}
	return NAN;
}

double dv_act_derivative(dv_act act, double x)
{
	switch (act) {
	case DV_ACT_IDENTITY:
		return 1.0;
	case DV_ACT_SIGMOID: {
		double s = dv_act_value(DV_ACT_SIGMOID, x);
		return s * (1.0 - s);
	}
	case DV_ACT_TANH: {
		double t = tanh(x);
		return 1.0 - t * t;
	}
	case DV_ACT_RELU:
		/* The kink at 0 is given slope 0, as most frameworks do. */
		return x > 0 ? 1.0 : 0.0;
	case DV_ACT_EXP:
		return exp(x);
	case DV_ACT_LOG:
		return x > 0 ? 1.0 / x : NAN;
	case DV_ACT_RECIP:
		return -1.0 / (x * x);
	case DV_ACT_ABSTRACT:
		break;
	}
	return NAN;
}

double dv_act_lipschitz(dv_act act, int deriv)
{
	switch (act) {
	case DV_ACT_IDENTITY:
		return deriv ? 0.0 : 1.0;
	case DV_ACT_SIGMOID:
		/* max |s'| = 1/4; max |s''| = 1/(6 sqrt 3), rounded up */
		return deriv ? 0.0962251 : 0.25;
	case DV_ACT_TANH:
		/* max |t''| = 4/(3 sqrt 3), rounded up */
		return deriv ? 0.7698004 : 1.0;
	case DV_ACT_RELU:
		return deriv ? INFINITY : 1.0;
	case DV_ACT_EXP:
	case DV_ACT_LOG:
	case DV_ACT_RECIP:
		return INFINITY; /* no bound over the whole line: see _near */
	case DV_ACT_ABSTRACT:
		break;
	}
	return NAN;
}

double dv_act_lipschitz_near(dv_act act, int deriv, double x, double r)
{
	switch (act) {
	case DV_ACT_EXP:
		/* |exp'| = |exp''| = exp, largest at the right end; a little
		 * room for the rounding of exp itself */
		return exp(x + r) * (1.0 + 0x1p-40);
	case DV_ACT_LOG:
		/* |log'| = 1/x, |log''| = 1/x^2, largest at the left end */
		if (!(x - r > 0))
			return INFINITY;
		return (deriv ? 1.0 / ((x - r) * (x - r)) : 1.0 / (x - r)) *
		       (1.0 + 0x1p-40);
	case DV_ACT_RECIP: {
		/* |(1/x)'| = 1/x^2, |(1/x)''| = 2/|x|^3, largest nearest 0 */
		double m = fabs(x) - r;
		if (!(m > 0))
			return INFINITY;
		return (deriv ? 2.0 / (m * m * m) : 1.0 / (m * m)) * (1.0 + 0x1p-40);
	}
	default:
		return dv_act_lipschitz(act, deriv);
	}
}

/* 1 / cosh(z), which goes to 0 instead of overflowing. */
static double sech(double z)
{
	return 1.0 / cosh(z);
}

dv_act_aux dv_act_change_aux(dv_act act, double x)
{
	dv_act_aux a = {0.0, 0.0};
	switch (act) {
	case DV_ACT_SIGMOID:
		a.a = dv_act_value(act, -x); /* 1 - s(x), without cancelling */
		a.b = exp(-x);
		break;
	case DV_ACT_TANH:
		a.a = sech(x);
		break;
	default:
		break;
	}
	return a;
}

/*
 * s(y) - s(x) = s(y) (1 - s(x)) (1 - e^(x - y)), y = x + dx, and
 * e^-y = e^-x (1 + expm1(-dx)): one expm1, and x + dx is never rounded.
 * For the tiny steps of finite differences, expm1(-dx) is -dx + dx^2/2 to
 * within dx^3/6, under an eighth of an ulp for |dx| <= 2^-27; adding the
 * two rounds once (the square's own rounding is below 2^-27 ulp): within
 * 0.7 ulp in all, closer than the library's expm1 promises, without its
 * call.
 */
static inline double sigmoid_change(const dv_act_aux *aux, double dx)
{
	double em = fabs(dx) <= 0x1p-27 ? (0.5 * dx) * dx - dx : expm1(-dx);
	double sy = 1.0 / (1.0 + aux->b * (1.0 + em));
	return sy * aux->a * -em;
}

double dv_act_change_at(dv_act act, double x, const dv_act_aux *aux, double dx)
{
	switch (act) {
	case DV_ACT_IDENTITY:
		return dx;
	case DV_ACT_SIGMOID:
		return sigmoid_change(aux, dx);
	case DV_ACT_TANH:
		/* tanh y - tanh x = sinh(y - x) / (cosh y cosh x) */
		return sinh(dx) * sech(x + dx) * aux->a;
	case DV_ACT_RELU:
		if (x > 0 && x + dx > 0)
			return dx;
		return dv_act_value(act, x + dx) - dv_act_value(act, x);
	case DV_ACT_EXP:
		/* e^(x + dx) - e^x = e^x expm1(dx) */
		return exp(x) * expm1(dx);
	case DV_ACT_LOG:
		/* log(x + dx) - log x = log1p(dx / x) */
		return x > 0 && x + dx > 0 ? log1p(dx / x) : NAN;
	case DV_ACT_RECIP:
		/* 1/(x + dx) - 1/x = -dx / (x (x + dx)) */
		return -dx / (x * (x + dx));
	case DV_ACT_ABSTRACT:
		break;
	}
	return NAN;
}

void dv_act_change_lanes(dv_act act, double x, const dv_act_aux *aux, const double *dx,
                         double *out, size_t n)
{
	if (act == DV_ACT_SIGMOID) {
		for (size_t l = 0; l < n; l++)
			out[l] = sigmoid_change(aux, dx[l]);
		return;
	}
	for (size_t l = 0; l < n; l++)
		out[l] = dv_act_change_at(act, x, aux, dx[l]);
}

double dv_act_change(dv_act act, double x, double dx)
{
	dv_act_aux a = dv_act_change_aux(act, x);
	return dv_act_change_at(act, x, &a, dx);
}

double dv_act_diff(dv_act act, unsigned order, double x)
{
	if (order == 0)
		return dv_act_value(act, x);
	if (order == 1)
		return dv_act_derivative(act, x);
	if (order > 2)
		return NAN;
	switch (act) {
	case DV_ACT_IDENTITY:
	case DV_ACT_RELU:
		return 0.0;
	case DV_ACT_SIGMOID: {
		double s = dv_act_value(DV_ACT_SIGMOID, x);
		return s * (1.0 - s) * (1.0 - 2.0 * s);
	}
	case DV_ACT_TANH: {
		double t = tanh(x);
		return -2.0 * t * (1.0 - t * t);
	}
	case DV_ACT_EXP:
		return exp(x);
	case DV_ACT_LOG:
		return x > 0 ? -1.0 / (x * x) : NAN;
	case DV_ACT_RECIP:
		return 2.0 / (x * x * x);
	case DV_ACT_ABSTRACT:
		break;
	}
	return NAN;
}

static void double_zero(const dv_field *f, void *e)
{
	(void)f;
	*(double *)e = 0.0;
}

static int double_copy(const dv_field *f, void *dst, const void *src, dv_diag *d)
{
	(void)f;
	(void)d;
	*(double *)dst = *(const double *)src;
	return DV_OK;
}

static int double_fma(const dv_field *f, void *acc, const dv_coef *c, const void *x,
                      const void *y, dv_diag *d)
{
	double v = c->value;
	(void)f;
	(void)d;
	if (x != NULL)
		v *= *(const double *)x;
	if (y != NULL)
		v *= *(const double *)y;
	*(double *)acc += v;
	return DV_OK;
}

static int double_activate(const dv_field *f, void *dst, const void *src, dv_act act,
                           int deriv, dv_diag *d)
{
	double x = *(const double *)src;
	(void)f;
	if (act == DV_ACT_ABSTRACT)
		return dv_fail(d, DV_E_SYMBOLIC,
		               "f is an abstract activation with no numbers; use it on "
		               "symbols, or use sigmoid, tanh, relu or identity");
	if (act == DV_ACT_LOG && !(x > 0))
		return dv_fail(d, DV_E_DOMAIN,
		               "the logarithm of %.6g: log needs positive numbers", x);
	*(double *)dst = deriv ? dv_act_derivative(act, x) : dv_act_value(act, x);
	return DV_OK;
}

static int double_from_double(const dv_field *f, void *dst, double v, dv_diag *d)
{
	(void)f;
	(void)d;
	*(double *)dst = v;
	return DV_OK;
}

const dv_field dv_field_double = {
        .name = "double",
        .size = sizeof(double),
        .zero = double_zero,
        .clear = double_zero,
        .copy = double_copy,
        .fma = double_fma,
        .activate = double_activate,
        .from_double = double_from_double,
};
