#include "core/mat.h"
#include "core/mpfr_field.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

int dv_mat_check_size(size_t rows, size_t cols, const char *what, dv_diag *d)
{
	if (rows == 0 || cols == 0)
		return dv_fail(d, DV_E_SHAPE, "%s would be empty (%zux%zu)", what, rows,
		               cols);
	if (rows > DV_MAX_ENTRIES || cols > DV_MAX_ENTRIES ||
	    rows * cols > DV_MAX_ENTRIES)
		return dv_fail(d, DV_E_LIMIT,
		               "%s would be %zux%zu; the limit is %zu entries", what,
		               rows, cols, DV_MAX_ENTRIES);
	return DV_OK;
}

int dv_mat_new(dv_mat **out, const dv_field *f, size_t rows, size_t cols, dv_diag *d)
{
	dv_mat *m;
	int rc;

	*out = NULL;
	if ((rc = dv_mat_check_size(rows, cols, "a matrix", d)) != DV_OK)
		return rc;
	/* numbers live in the same block as the matrix, zeroed: one allocation
	 * (a GSL matrix was four, the most frequent allocation of a notes
	 * file's check) */
	m = calloc(1, sizeof *m + (f == &dv_field_double ? rows * cols * sizeof(double) : 0));
	if (m == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	m->field = f;
	m->rows = rows;
	m->cols = cols;
	if (f == &dv_field_double) {
		m->data = m + 1;
	} else {
		m->data = malloc(rows * cols * f->size);
		if (m->data == NULL) {
			free(m);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < rows * cols; i++)
			f->zero(f, dv_mat_at(m, i));
	}
	*out = m;
	return DV_OK;
}

int dv_mat_from_doubles(dv_mat **out, size_t rows, size_t cols, const double *v,
                        dv_diag *d)
{
	int rc = dv_mat_new(out, &dv_field_double, rows, cols, d);
	if (rc != DV_OK)
		return rc;
	for (size_t i = 0; i < rows * cols; i++)
		((double *)(*out)->data)[i] = v[i];
	return DV_OK;
}

int dv_mat_track(dv_mat *m, dv_diag *d)
{
	size_t n = dv_mat_len(m);

	if (!dv_mat_is_double(m) || m->bound != NULL)
		return DV_OK;
	m->bound = calloc(n, sizeof *m->bound);
	m->scale = malloc(n * sizeof *m->scale);
	if (m->bound == NULL || m->scale == NULL) {
		free(m->bound);
		free(m->scale);
		m->bound = m->scale = NULL;
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		m->scale[i] = fabs(dv_mat_get(m, i));
	return DV_OK;
}

int dv_mat_scalar_number(const dv_mat *m, double *v, double *bound)
{
	const dv_ball *b;

	if (!dv_mat_is_scalar(m))
		return 0;
	if (!dv_mat_is_numeric(m)) {
		/* an exact constant (a polynomial of no atom) */
		dv_coef c;
		if (m->field->constant == NULL || !m->field->constant(m->field, m->data, &c))
			return 0;
		*v = c.value;
		/* exact when both parts are doubles (|part| < 2^53) and so is
		 * their quotient */
		*bound = c.num > -(1LL << 53) && c.num < (1LL << 53) && c.den < (1LL << 53) &&
		                         fma(*v, (double)c.den, -(double)c.num) == 0.0
		                 ? 0.0
		                 : DV_UNIT_ROUNDOFF * fabs(*v);
		return 1;
	}
	if (dv_mat_is_double(m)) {
		*v = dv_mat_get(m, 0);
		*bound = dv_mat_bound_at(m, 0);
		return 1;
	}
	if (dv_field_bits(m->field) == 0)
		return 0;
	b = dv_ball_at(m, 0);
	*v = mpfr_get_d(b->mid, MPFR_RNDN);
	/* exact when the ball's middle fits a double */
	*bound = b->rad +
	         (mpfr_cmp_d(b->mid, *v) == 0 ? 0.0 : DV_UNIT_ROUNDOFF * fabs(*v));
	return 1;
}

int dv_mat_convert(dv_mat **out, const dv_mat *m, const dv_field *to, dv_diag *d)
{
	dv_mat *r = NULL;
	int rc;

	*out = NULL;
	if (m->field != to && m->field != &dv_field_double)
		return dv_fail(d, DV_E_ARGS, "internal: cannot convert %s to %s",
		               m->field->name, to->name);
	if ((rc = dv_mat_new(&r, to, m->rows, m->cols, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < dv_mat_len(m); i++) {
		if (m->field == to) {
			rc = to->copy(to, dv_mat_at(r, i), dv_mat_at(m, i), d);
		} else {
			rc = to->from_double(to, dv_mat_at(r, i), dv_mat_get(m, i), d);
			/* a computed double keeps what it knows of its accuracy */
			if (rc == DV_OK && to->set_bound != NULL)
				to->set_bound(to, dv_mat_at(r, i), dv_mat_bound_at(m, i),
				              dv_mat_scale_at(m, i));
		}
		if (rc != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
	}
	if (to == m->field && m->bound != NULL) {
		if ((rc = dv_mat_track(r, d)) != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
		memcpy(r->bound, m->bound, dv_mat_len(m) * sizeof *r->bound);
		memcpy(r->scale, m->scale, dv_mat_len(m) * sizeof *r->scale);
	}
	*out = r;
	return DV_OK;
}

int dv_mat_copy(dv_mat **out, const dv_mat *m, dv_diag *d)
{
	return dv_mat_convert(out, m, m->field, d);
}

void dv_mat_free(dv_mat *m)
{
	if (m == NULL)
		return;
	free(m->bound);
	free(m->scale);
	if (m->data != (void *)(m + 1)) {
		for (size_t i = 0; i < dv_mat_len(m); i++)
			m->field->clear(m->field, dv_mat_at(m, i));
		free(m->data);
	}
	free(m);
}

int dv_mat_random(dv_mat **out, gsl_rng *rng, size_t rows, size_t cols, int normal,
                  dv_diag *d)
{
	int rc = dv_mat_new(out, &dv_field_double, rows, cols, d);
	if (rc != DV_OK)
		return rc;
	for (size_t i = 0; i < rows * cols; i++)
		((double *)(*out)->data)[i] =
		        normal ? gsl_ran_gaussian(rng, 1.0) : gsl_rng_uniform(rng);
	return DV_OK;
}
