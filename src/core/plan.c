#include "core/plan.h"
#include "core/budget.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

const char *dv_mode_name(dv_mode mode)
{
	switch (mode) {
	case DV_MODE_VALID:
		return "valid";
	case DV_MODE_FULL:
		return "full";
	case DV_MODE_SAME:
		return "same";
	}
	return "?";
}

const char *dv_pool_name(dv_pool pool)
{
	switch (pool) {
	case DV_POOL_SUM:
		return "sum";
	case DV_POOL_MEAN:
		return "mean";
	case DV_POOL_MAX:
		return "max";
	}
	return "?";
}

void dv_plan_free(dv_plan *p)
{
	if (p == NULL || --p->owners > 0)
		return;
	free(p->start);
	free(p->terms);
	free(p);
}

dv_plan *dv_plan_share(dv_plan *p)
{
	p->owners++;
	return p;
}

/*
 * Starts a plan for a rows x cols result with room for at most `bound`
 * terms; every builder knows its bound from the shapes, so the limits are
 * checked before anything large is allocated.
 */
static int plan_begin(dv_plan **out, size_t rows, size_t cols, size_t a_len, size_t b_len,
                      size_t per_entry, dv_diag *d)
{
	dv_plan *p;
	size_t entries;
	int rc;

	*out = NULL;
	if ((rc = dv_mat_check_size(rows, cols, "the result", d)) != DV_OK)
		return rc;
	entries = rows * cols;
	if (per_entry != 0 && entries > DV_MAX_TERMS / per_entry)
		return dv_fail(d, DV_E_LIMIT,
		               "the result would need %zu x %zu multiply-adds; the "
		               "limit is %zu",
		               entries, per_entry, DV_MAX_TERMS);
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	p->owners = 1;
	p->rows = rows;
	p->cols = cols;
	p->a_len = a_len;
	p->b_len = b_len;
	p->cap = entries * per_entry;
	p->start = calloc(entries + 1, sizeof *p->start);
	p->terms = malloc((p->cap ? p->cap : 1) * sizeof *p->terms);
	if (p->start == NULL || p->terms == NULL) {
		dv_plan_free(p);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	*out = p;
	return DV_OK;
}

static long long gcd_ll(long long a, long long b)
{
	if (a < 0)
		a = -a;
	while (b != 0) {
		long long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*
 * The index of coefficient num/den (den > 0) in p, added if new; -1 when
 * it is new and p has DV_PLAN_MAX_COEFS already.
 */
static int32_t plan_coef_try(dv_plan *p, long long num, long long den)
{
	long long g = gcd_ll(num, den);
	if (g > 1) {
		num /= g;
		den /= g;
	}
	for (size_t i = 0; i < p->ncoefs; i++)
		if (p->coefs[i].num == num && p->coefs[i].den == den)
			return (int32_t)i;
	if (p->ncoefs == DV_PLAN_MAX_COEFS)
		return -1;
	p->coefs[p->ncoefs] = (dv_coef){num, den, (double)num / (double)den};
	return (int32_t)p->ncoefs++;
}

/* The same for the builders, which never need more. */
static int32_t plan_coef(dv_plan *p, long long num, long long den)
{
	int32_t c = plan_coef_try(p, num, den);
	assert(c >= 0);
	return c;
}

static void plan_term(dv_plan *p, int32_t c, long a, long b)
{
	dv_term *t;

	assert(p->nterms < p->cap);
	assert(b >= -1 && b < (long)DV_MAX_ENTRIES && c >= 0 && c < DV_PLAN_MAX_COEFS);
	t = &p->terms[p->nterms++];
	t->a = (int32_t)a;
	/* the ranges are asserted above and in plan.h; -Wconversion cannot see them */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
	t->b = (int)b;
	t->c = (unsigned)c;
#pragma GCC diagnostic pop
}

/* Closes result entry o: its terms are those added since the last close. */
static void plan_close(dv_plan *p, size_t o)
{
	p->start[o + 1] = p->nterms;
}

int dv_plan_window(dv_plan **out, size_t xr, size_t xc, size_t kr, size_t kc,
                   const dv_window *w, dv_diag *d)
{
	size_t hr = xr + 2 * w->pad, hc = xc + 2 * w->pad;
	size_t dense_r, dense_c, top_r, top_c, rows, cols;
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if (w->stride == 0)
		return dv_fail(d, DV_E_DOMAIN, "the stride must be at least 1");
	if (w->pad > DV_MAX_ENTRIES || kr > DV_MAX_ENTRIES || kc > DV_MAX_ENTRIES)
		return dv_fail(d, DV_E_LIMIT, "the padding or kernel is too large");
	switch (w->mode) {
	case DV_MODE_VALID:
		if (hr < kr || hc < kc)
			return dv_fail(d, DV_E_SHAPE,
			               "the %zux%zu kernel is larger than the %zux%zu "
			               "input in 'valid' mode (use 'full')",
			               kr, kc, hr, hc);
		top_r = top_c = 0;
		dense_r = hr - kr + 1;
		dense_c = hc - kc + 1;
		break;
	case DV_MODE_FULL:
		top_r = kr - 1;
		top_c = kc - 1;
		dense_r = hr + kr - 1;
		dense_c = hc + kc - 1;
		break;
	case DV_MODE_SAME:
	default:
		top_r = kr - 1 - kr / 2;
		top_c = kc - 1 - kc / 2;
		dense_r = hr;
		dense_c = hc;
		break;
	}
	rows = (dense_r - 1) / w->stride + 1;
	cols = (dense_c - 1) / w->stride + 1;
	if ((rc = dv_mat_check_size(kr, kc, "the kernel", d)) != DV_OK)
		return rc;
	if ((rc = plan_begin(&p, rows, cols, xr * xc, kr * kc, kr * kc, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 0; j < cols; j++) {
			for (size_t u = 0; u < kr; u++) {
				/* row of x under kernel row u, in x's own frame */
				long r = (long)(i * w->stride + u) - (long)top_r -
				         (long)w->pad;
				if (r < 0 || r >= (long)xr)
					continue;
				for (size_t v = 0; v < kc; v++) {
					long c = (long)(j * w->stride + v) - (long)top_c -
					         (long)w->pad;
					size_t ku = w->flip ? kr - 1 - u : u;
					size_t kv = w->flip ? kc - 1 - v : v;
					if (c < 0 || c >= (long)xc)
						continue;
					plan_term(p, one, r * (long)xc + c,
					          (long)(ku * kc + kv));
				}
			}
			plan_close(p, i * cols + j);
		}
	}
	*out = p;
	return DV_OK;
}

/* Where a rearrangement takes result entry (i, j) from. */
typedef enum rearrange { RE_ROT180, RE_FLIPLR, RE_FLIPUD, RE_TRANSPOSE } rearrange;

static int plan_rearrange(dv_plan **out, size_t rows, size_t cols, rearrange how,
                          dv_diag *d)
{
	size_t orow = how == RE_TRANSPOSE ? cols : rows;
	size_t ocol = how == RE_TRANSPOSE ? rows : cols;
	dv_plan *p;
	int32_t one;
	int rc;

	if ((rc = plan_begin(&p, orow, ocol, rows * cols, 0, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < orow; i++) {
		for (size_t j = 0; j < ocol; j++) {
			size_t si = i, sj = j;
			switch (how) {
			case RE_ROT180:
				si = rows - 1 - i;
				sj = cols - 1 - j;
				break;
			case RE_FLIPLR:
				sj = cols - 1 - j;
				break;
			case RE_FLIPUD:
				si = rows - 1 - i;
				break;
			case RE_TRANSPOSE:
				si = j;
				sj = i;
				break;
			}
			plan_term(p, one, (long)(si * cols + sj), -1);
			plan_close(p, i * ocol + j);
		}
	}
	*out = p;
	return DV_OK;
}

int dv_plan_rot180(dv_plan **out, size_t rows, size_t cols, dv_diag *d)
{
	return plan_rearrange(out, rows, cols, RE_ROT180, d);
}

int dv_plan_fliplr(dv_plan **out, size_t rows, size_t cols, dv_diag *d)
{
	return plan_rearrange(out, rows, cols, RE_FLIPLR, d);
}

int dv_plan_flipud(dv_plan **out, size_t rows, size_t cols, dv_diag *d)
{
	return plan_rearrange(out, rows, cols, RE_FLIPUD, d);
}

int dv_plan_transpose(dv_plan **out, size_t rows, size_t cols, dv_diag *d)
{
	return plan_rearrange(out, rows, cols, RE_TRANSPOSE, d);
}

int dv_plan_frame(dv_plan **out, size_t rows, size_t cols, const long edge[4], dv_diag *d)
{
	long top = edge[0], bottom = edge[1], left = edge[2], right = edge[3];
	long orow, ocol;
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	for (int k = 0; k < 4; k++)
		if (edge[k] > (long)DV_MAX_ENTRIES || edge[k] < -(long)DV_MAX_ENTRIES)
			return dv_fail(d, DV_E_LIMIT, "padding by %ld is too large",
			               edge[k] < 0 ? -edge[k] : edge[k]);
	orow = (long)rows + top + bottom;
	ocol = (long)cols + left + right;
	if (orow < 1 || ocol < 1)
		return dv_fail(d, DV_E_SHAPE,
		               "cropping %ld rows and %ld columns from a %zux%zu matrix "
		               "leaves nothing",
		               (top < 0 ? -top : 0) + (bottom < 0 ? -bottom : 0),
		               (left < 0 ? -left : 0) + (right < 0 ? -right : 0), rows,
		               cols);
	if ((rc = plan_begin(&p, (size_t)orow, (size_t)ocol, rows * cols, 0, 1, d)) !=
	    DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (long i = 0; i < orow; i++) {
		for (long j = 0; j < ocol; j++) {
			long si = i - top, sj = j - left; /* the entry of A it shows */
			if (si >= 0 && si < (long)rows && sj >= 0 && sj < (long)cols)
				plan_term(p, one, si * (long)cols + sj, -1);
			plan_close(p, (size_t)(i * ocol + j));
		}
	}
	*out = p;
	return DV_OK;
}

int dv_plan_pad(dv_plan **out, size_t rows, size_t cols, size_t r, size_t c, dv_diag *d)
{
	long edge[4] = {(long)r, (long)r, (long)c, (long)c};

	if (r > DV_MAX_ENTRIES || c > DV_MAX_ENTRIES) {
		*out = NULL;
		return dv_fail(d, DV_E_LIMIT, "padding by %zu is too large",
		               r > c ? r : c);
	}
	return dv_plan_frame(out, rows, cols, edge, d);
}

int dv_plan_dilate(dv_plan **out, size_t rows, size_t cols, size_t s, dv_diag *d)
{
	size_t orow, ocol;
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if (s < 1 || s > DV_MAX_ENTRIES)
		return dv_fail(d, DV_E_LIMIT, "a dilation by %zu", s);
	orow = (rows - 1) * s + 1;
	ocol = (cols - 1) * s + 1;
	if ((rc = plan_begin(&p, orow, ocol, rows * cols, 0, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < orow; i++) {
		for (size_t j = 0; j < ocol; j++) {
			if (i % s == 0 && j % s == 0)
				plan_term(p, one, (long)((i / s) * cols + j / s), -1);
			plan_close(p, i * ocol + j);
		}
	}
	*out = p;
	return DV_OK;
}

int dv_plan_too_symbolic(dv_diag *d)
{
	return dv_fail(d, DV_E_LIMIT,
	               "the symbolic result would take more than %zu terms (each entry "
	               "and each product counts; the limit); use numbers, or smaller "
	               "sizes",
	               DV_MAX_SYMBOLIC_TERMS);
}

int dv_plan_entry(dv_plan **out, size_t rows, size_t cols, size_t i, size_t j,
                  dv_diag *d)
{
	dv_plan *p;
	int rc;

	*out = NULL;
	if (i < 1 || j < 1 || i > rows || j > cols)
		return dv_fail(d, DV_E_SHAPE, "entry (%zu,%zu) of a %zux%zu matrix", i, j,
		               rows, cols);
	if ((rc = plan_begin(&p, 1, 1, rows * cols, 0, 1, d)) != DV_OK)
		return rc;
	plan_term(p, plan_coef(p, 1, 1), (long)((i - 1) * cols + (j - 1)), -1);
	plan_close(p, 0);
	*out = p;
	return DV_OK;
}

/*
 * The windows of a pooling: n x n, s apart (s = 0: side by side, n apart,
 * and they must tile the input exactly).  *orows x *ocols of them.
 */
static int pool_windows(size_t *orows, size_t *ocols, size_t rows, size_t cols, size_t n,
                        size_t *s, dv_diag *d)
{
	if (n == 0)
		return dv_fail(d, DV_E_DOMAIN, "the block size must be at least 1");
	if (*s == 0) {
		if (rows % n != 0 || cols % n != 0)
			return dv_fail(d, DV_E_SHAPE,
			               "a %zux%zu matrix does not split into %zux%zu "
			               "blocks",
			               rows, cols, n, n);
		*s = n;
	} else if (rows < n || cols < n) {
		return dv_fail(d, DV_E_SHAPE, "a %zux%zu window does not fit in a %zux%zu matrix",
		               n, n, rows, cols);
	}
	*orows = (rows - n) / *s + 1;
	*ocols = (cols - n) / *s + 1;
	return DV_OK;
}

int dv_plan_down(dv_plan **out, size_t rows, size_t cols, size_t n, size_t s, dv_pool pool,
                 dv_diag *d)
{
	size_t orows, ocols;
	dv_plan *p;
	int32_t c;
	int rc;

	*out = NULL;
	if (pool == DV_POOL_MAX)
		return dv_fail(d, DV_E_ARGS, "internal: max pooling needs numbers");
	if ((rc = pool_windows(&orows, &ocols, rows, cols, n, &s, d)) != DV_OK)
		return rc;
	if ((rc = plan_begin(&p, orows, ocols, rows * cols, 0, n * n, d)) != DV_OK)
		return rc;
	c = pool == DV_POOL_MEAN ? plan_coef(p, 1, (long long)(n * n))
	                         : plan_coef(p, 1, 1);
	for (size_t i = 0; i < p->rows; i++) {
		for (size_t j = 0; j < p->cols; j++) {
			for (size_t u = 0; u < n; u++)
				for (size_t v = 0; v < n; v++)
					plan_term(p, c,
					          (long)((i * s + u) * cols + j * s + v),
					          -1);
			plan_close(p, i * p->cols + j);
		}
	}
	*out = p;
	return DV_OK;
}

/* Entry k of a numeric matrix as a double (to pick the largest). */
static double entry_value(const dv_mat *x, size_t k)
{
	return dv_mat_is_double(x) ? dv_mat_get(x, k)
	                           : x->field->to_double(x->field, dv_mat_at(x, k));
}

static int need_numbers(const dv_mat *x, dv_diag *d)
{
	if (!dv_mat_is_double(x) && x->field->to_double == NULL)
		return dv_fail(d, DV_E_SYMBOLIC,
		               "max pooling has no exact symbolic form: which entry is "
		               "largest depends on the numbers");
	return DV_OK;
}

/* The first largest entry of window (i, j) of x, row-major on ties. */
static size_t window_max(const dv_mat *x, size_t i, size_t j, size_t n, size_t s)
{
	size_t best = (i * s) * x->cols + j * s;
	for (size_t u = 0; u < n; u++)
		for (size_t v = 0; v < n; v++) {
			size_t k = (i * s + u) * x->cols + j * s + v;
			if (entry_value(x, k) > entry_value(x, best))
				best = k;
		}
	return best;
}

int dv_plan_down_max(dv_plan **out, const dv_mat *x, size_t n, size_t s, dv_diag *d)
{
	size_t orows, ocols;
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if ((rc = need_numbers(x, d)) != DV_OK ||
	    (rc = pool_windows(&orows, &ocols, x->rows, x->cols, n, &s, d)) != DV_OK ||
	    (rc = plan_begin(&p, orows, ocols, dv_mat_len(x), 0, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < p->rows; i++) {
		for (size_t j = 0; j < p->cols; j++) {
			plan_term(p, one, (long)window_max(x, i, j, n, s), -1);
			plan_close(p, i * p->cols + j);
		}
	}
	*out = p;
	return DV_OK;
}

int dv_plan_unpool(dv_plan **out, size_t drows, size_t dcols, const dv_mat *x, size_t n,
                   size_t s, int assign, dv_diag *d)
{
	size_t orows, ocols, len = dv_mat_len(x), nwin;
	size_t *best = NULL, *first = NULL, *next = NULL;
	dv_term *terms;
	dv_plan *p = NULL;
	int32_t one;
	int rc;

	*out = NULL;
	if ((rc = need_numbers(x, d)) != DV_OK ||
	    (rc = pool_windows(&orows, &ocols, x->rows, x->cols, n, &s, d)) != DV_OK)
		return rc;
	if (drows != orows || dcols != ocols)
		return dv_fail(d, DV_E_SHAPE,
		               "the delta is %zux%zu, but the %zux%zu input has %zux%zu "
		               "windows (%zux%zu, %zu apart)",
		               drows, dcols, x->rows, x->cols, orows, ocols, n, n, s);
	/* every window may send to one entry: at most nwin terms in all */
	nwin = orows * ocols;
	if ((rc = plan_begin(&p, x->rows, x->cols, nwin, 0, 0, d)) != DV_OK)
		return rc;
	best = malloc(nwin * sizeof *best);
	first = malloc(len * sizeof *first);
	next = malloc(nwin * sizeof *next);
	terms = realloc(p->terms, nwin * sizeof *p->terms);
	if (terms != NULL)
		p->terms = terms;
	if (best == NULL || first == NULL || next == NULL || terms == NULL) {
		free(best);
		free(first);
		free(next);
		dv_plan_free(p);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	p->cap = nwin;
	for (size_t k = 0; k < len; k++)
		first[k] = SIZE_MAX;
	for (size_t o = 0; o < nwin; o++)
		best[o] = window_max(x, o / ocols, o % ocols, n, s);
	if (!assign) {
		/* the windows that chose each entry, in window order */
		for (size_t o = nwin; o-- > 0;) {
			next[o] = first[best[o]];
			first[best[o]] = o;
		}
	} else {
		/*
		 * Each window writes its whole window, in order, over what
		 * earlier ones wrote: its delta at its largest entry, 0
		 * elsewhere.  An entry keeps the last window over it, and that
		 * window's delta only if it is that window's largest.
		 */
		for (size_t o = 0; o < nwin; o++) {
			size_t r0 = (o / ocols) * s, c0 = (o % ocols) * s;
			for (size_t u = 0; u < n; u++)
				for (size_t v = 0; v < n; v++)
					first[(r0 + u) * x->cols + c0 + v] = o;
		}
		for (size_t k = 0; k < len; k++) {
			size_t o = first[k];
			if (o != SIZE_MAX && best[o] == k)
				next[o] = SIZE_MAX;
			else
				first[k] = SIZE_MAX;
		}
	}
	one = plan_coef(p, 1, 1);
	for (size_t k = 0; k < len; k++) {
		for (size_t o = first[k]; o != SIZE_MAX; o = next[o])
			plan_term(p, one, (long)o, -1);
		plan_close(p, k);
	}
	free(best);
	free(first);
	free(next);
	*out = p;
	return DV_OK;
}

int dv_plan_up(dv_plan **out, size_t rows, size_t cols, size_t n, dv_pool pool,
               dv_diag *d)
{
	dv_plan *p;
	int32_t c;
	int rc;

	*out = NULL;
	if (n == 0)
		return dv_fail(d, DV_E_DOMAIN, "the block size must be at least 1");
	if (pool == DV_POOL_MAX)
		return dv_fail(d, DV_E_ARGS,
		               "up() spreads by 'sum' or 'mean'; max pooling needs the "
		               "positions of the maxima");
	if (n > DV_MAX_ENTRIES)
		return dv_fail(d, DV_E_LIMIT, "the block size %zu is too large", n);
	if ((rc = plan_begin(&p, rows * n, cols * n, rows * cols, 0, 1, d)) != DV_OK)
		return rc;
	c = pool == DV_POOL_MEAN ? plan_coef(p, 1, (long long)(n * n))
	                         : plan_coef(p, 1, 1);
	for (size_t i = 0; i < p->rows; i++) {
		for (size_t j = 0; j < p->cols; j++) {
			plan_term(p, c, (long)((i / n) * cols + j / n), -1);
			plan_close(p, i * p->cols + j);
		}
	}
	*out = p;
	return DV_OK;
}

int dv_plan_scale(dv_plan **out, size_t rows, size_t cols, long long num, long long den,
                  dv_diag *d)
{
	dv_plan *p;
	int32_t c;
	int rc;

	if ((rc = plan_begin(&p, rows, cols, rows * cols, 0, 1, d)) != DV_OK)
		return rc;
	c = plan_coef(p, num, den);
	for (size_t i = 0; i < rows * cols; i++) {
		plan_term(p, c, (long)i, -1);
		plan_close(p, i);
	}
	*out = p;
	return DV_OK;
}

/* c1 c2 as a coefficient of p: -1 when it does not fit or p has no room. */
static int32_t product_coef(dv_plan *p, const dv_coef *c1, const dv_coef *c2)
{
	long long num, den;

	if (__builtin_mul_overflow(c1->num, c2->num, &num) ||
	    __builtin_mul_overflow(c1->den, c2->den, &den))
		return -1;
	return plan_coef_try(p, num, den);
}

int dv_plan_compose(dv_plan **out, const dv_plan *outer, const dv_plan *inner, dv_diag *d)
{
	size_t mid = inner->rows * inner->cols, total = 0, entries;
	unsigned char *used;
	dv_plan *p = NULL;
	int rc;

	*out = NULL;
	if (outer->b_len != 0 || outer->a_len != mid)
		return DV_OK;
	if ((used = calloc(mid ? mid : 1, 1)) == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t t = 0; t < outer->nterms; t++) {
		int32_t m = outer->terms[t].a;
		if (m < 0) {
			total++;
			continue;
		}
		if (used[m]++ != 0) {
			free(used); /* an entry used twice: more terms, not fewer */
			return DV_OK;
		}
		total += inner->start[m + 1] - inner->start[m];
	}
	free(used);
	entries = outer->rows * outer->cols;
	rc = plan_begin(&p, outer->rows, outer->cols, inner->a_len, inner->b_len,
	                entries ? (total + entries - 1) / entries : 0, d);
	if (rc != DV_OK)
		return rc;
	for (size_t o = 0; o < entries; o++) {
		for (size_t t = outer->start[o]; t < outer->start[o + 1]; t++) {
			const dv_term *ot = &outer->terms[t];
			const dv_coef *oc = &outer->coefs[ot->c];
			if (ot->a < 0) {
				int32_t c = product_coef(p, oc, &(dv_coef){1, 1, 1.0});
				if (c < 0)
					goto not_done;
				plan_term(p, c, -1, -1);
				continue;
			}
			for (size_t u = inner->start[ot->a]; u < inner->start[ot->a + 1]; u++) {
				const dv_term *it = &inner->terms[u];
				int32_t c = product_coef(p, oc, &inner->coefs[it->c]);
				if (c < 0)
					goto not_done;
				plan_term(p, c, it->a, it->b);
			}
		}
		plan_close(p, o);
	}
	*out = p;
	return DV_OK;
not_done:
	dv_plan_free(p);
	return DV_OK;
}

int dv_plan_sum(dv_plan **out, size_t rows, size_t cols, dv_diag *d)
{
	dv_plan *p;
	int32_t one;
	int rc;

	if ((rc = dv_mat_check_size(rows, cols, "the operand", d)) != DV_OK)
		return rc;
	if ((rc = plan_begin(&p, 1, 1, rows * cols, 0, rows * cols, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < rows * cols; i++)
		plan_term(p, one, (long)i, -1);
	plan_close(p, 0);
	*out = p;
	return DV_OK;
}

int dv_plan_kron(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, dv_diag *d)
{
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if (ar > DV_MAX_ENTRIES / br || ac > DV_MAX_ENTRIES / bc)
		return dv_fail(d, DV_E_LIMIT, "kron of %zux%zu and %zux%zu is too large",
		               ar, ac, br, bc);
	if ((rc = plan_begin(&p, ar * br, ac * bc, ar * ac, br * bc, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < p->rows; i++) {
		for (size_t j = 0; j < p->cols; j++) {
			plan_term(p, one, (long)((i / br) * ac + j / bc),
			          (long)((i % br) * bc + j % bc));
			plan_close(p, i * p->cols + j);
		}
	}
	*out = p;
	return DV_OK;
}

static int same_shape(size_t ar, size_t ac, size_t br, size_t bc, dv_diag *d)
{
	if (ar != br || ac != bc)
		return dv_fail(d, DV_E_SHAPE, "the sizes differ: %zux%zu and %zux%zu", ar,
		               ac, br, bc);
	return DV_OK;
}

/* Every entry of the larger side times the 1 x 1 side. */
static int plan_scalar_product(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc,
                               dv_diag *d)
{
	int a_scalar = ar == 1 && ac == 1;
	size_t rows = a_scalar ? br : ar, cols = a_scalar ? bc : ac;
	dv_plan *p;
	int32_t one;
	int rc;

	if ((rc = plan_begin(&p, rows, cols, ar * ac, br * bc, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < rows * cols; i++) {
		plan_term(p, one, a_scalar ? 0 : (long)i, a_scalar ? (long)i : 0);
		plan_close(p, i);
	}
	*out = p;
	return DV_OK;
}

static int is_scalar(size_t rows, size_t cols)
{
	return rows == 1 && cols == 1;
}

int dv_plan_hadamard(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc,
                     dv_diag *d)
{
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if (is_scalar(ar, ac) || is_scalar(br, bc))
		return plan_scalar_product(out, ar, ac, br, bc, d);
	if ((rc = same_shape(ar, ac, br, bc, d)) != DV_OK)
		return rc;
	if ((rc = plan_begin(&p, ar, ac, ar * ac, br * bc, 1, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < ar * ac; i++) {
		plan_term(p, one, (long)i, (long)i);
		plan_close(p, i);
	}
	*out = p;
	return DV_OK;
}

int dv_plan_add(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, int sign,
                dv_diag *d)
{
	int a_scalar = is_scalar(ar, ac), b_scalar = is_scalar(br, bc);
	size_t rows = a_scalar ? br : ar, cols = a_scalar ? bc : ac;
	dv_plan *p;
	int32_t one, s;
	int rc;

	*out = NULL;
	if (!a_scalar && !b_scalar && (rc = same_shape(ar, ac, br, bc, d)) != DV_OK)
		return rc;
	if ((rc = plan_begin(&p, rows, cols, ar * ac, br * bc, 2, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	s = plan_coef(p, sign < 0 ? -1 : 1, 1);
	for (size_t i = 0; i < rows * cols; i++) {
		plan_term(p, one, a_scalar ? 0 : (long)i, -1);
		plan_term(p, s, -1, b_scalar ? 0 : (long)i);
		plan_close(p, i);
	}
	*out = p;
	return DV_OK;
}

int dv_plan_matmul(dv_plan **out, size_t ar, size_t ac, size_t br, size_t bc, dv_diag *d)
{
	dv_plan *p;
	int32_t one;
	int rc;

	*out = NULL;
	if (is_scalar(ar, ac) || is_scalar(br, bc))
		return plan_scalar_product(out, ar, ac, br, bc, d);
	if (ac != br)
		return dv_fail(d, DV_E_SHAPE,
		               "%zux%zu times %zux%zu: the inner sizes %zu and %zu "
		               "differ (use .* for the element-wise product)",
		               ar, ac, br, bc, ac, br);
	if ((rc = plan_begin(&p, ar, bc, ar * ac, br * bc, ac, d)) != DV_OK)
		return rc;
	one = plan_coef(p, 1, 1);
	for (size_t i = 0; i < ar; i++) {
		for (size_t j = 0; j < bc; j++) {
			for (size_t k = 0; k < ac; k++)
				plan_term(p, one, (long)(i * ac + k), (long)(k * bc + j));
			plan_close(p, i * bc + j);
		}
	}
	*out = p;
	return DV_OK;
}

/*
 * The numeric executor: the same plan over doubles, in a tight loop.  Each
 * result carries its running error bound (Higham, "Accuracy and Stability
 * of Numerical Algorithms", 3.1): the operands' own bounds carried through
 * the products, plus gamma_{k+3} times the sum of |terms| for the k terms'
 * roundings (two products, the coefficient and the additions), plus the
 * underflow of each product.  The scale is the same plan on the operands'
 * scales, all coefficients taken positive.
 */
/*
 * The rounding bound of an output whose k terms are each exact (exact
 * factors, all but one of them +-1: a product that cannot round): one term
 * is itself, no rounding; two are one correctly rounded addition, whose
 * error TwoSum gives exactly (so equal numbers subtracted give 0 with
 * bound 0, and a mask such as max - X is decided); more, gamma_{k-1}
 * times their magnitudes.  Additions never underflow.
 */
static double exact_terms_bound(size_t k, double v1, double v2, double sum, double mag)
{
	if (k <= 1)
		return 0.0;
	if (k == 2) {
		double bb = sum - v1;
		return fabs((v1 - (sum - bb)) + (v2 - bb));
	}
	return dv_gamma(k - 1) * mag;
}

static void run_double(const dv_plan *p, dv_mat *r, const dv_mat *a, const dv_mat *b)
{
	const double *av = a->data, *bv = b != NULL ? b->data : NULL;
	double *out = r->data;
	size_t n = p->rows * p->cols;

	for (size_t o = 0; o < n; o++) {
		double acc = 0.0, mag = 0.0, carried = 0.0, scale = 0.0, first[2] = {0, 0};
		size_t k = p->start[o + 1] - p->start[o];
		int exact = 1;
		for (size_t t = p->start[o]; t < p->start[o + 1]; t++) {
			const dv_term *term = &p->terms[t];
			double c = p->coefs[term->c].value, v = c;
			double x = 1.0, ex = 0.0, sx = 1.0, y = 1.0, ey = 0.0, sy = 1.0;
			if (term->a >= 0) {
				x = av[term->a];
				ex = dv_mat_bound_at(a, (size_t)term->a);
				sx = dv_mat_scale_at(a, (size_t)term->a);
				v *= x;
			}
			if (term->b >= 0) {
				y = bv[term->b];
				ey = dv_mat_bound_at(b, (size_t)term->b);
				sy = dv_mat_scale_at(b, (size_t)term->b);
				v *= y;
			}
			exact &= ex == 0.0 && ey == 0.0 &&
			         (fabs(c) != 1.0) + (fabs(x) != 1.0) + (fabs(y) != 1.0) <= 1;
			if (t - p->start[o] < 2)
				first[t - p->start[o]] = v;
			acc += v;
			mag += fabs(v);
			c = fabs(c);
			carried += c * (fabs(x) * ey + ex * fabs(y) + ex * ey);
			scale += c * sx * sy;
		}
		out[o] = acc;
		r->bound[o] = exact ? exact_terms_bound(k, first[0], first[1], acc, mag)
		                    : carried * (1.0 + dv_gamma(2 * k + 4)) +
		                              dv_gamma(k + 3) * mag * (1.0 + dv_gamma(k + 2)) +
		                              (double)(3 * k) * DV_UNDERFLOW;
		r->scale[o] = scale * (1.0 + dv_gamma(2 * k + 2));
	}
}

/*
 * Whether every entry of m is exact and finite: bound 0 and scale its own
 * size, as given and random numbers are (NULL, an absent operand, is).
 */
static int exact_entry(const dv_mat *m, size_t i)
{
	const double *v = m->data;
	return isfinite(v[i]) && dv_mat_bound_at(m, i) == 0.0 && dv_mat_scale_at(m, i) == fabs(v[i]);
}

static int exact_operand(const dv_mat *m)
{
	if (m == NULL)
		return 1;
	for (size_t i = 0; i < dv_mat_len(m); i++)
		if (!exact_entry(m, i))
			return 0;
	return 1;
}

/* Whether every operand entry the plan reads is exact: a plan that reads a
 * few entries of a large matrix (entry(X, i, j)) looks at those only. */
static int exact_operands(const dv_plan *p, const dv_mat *a, const dv_mat *b)
{
	if (p->nterms >= dv_mat_len(a) + (b != NULL ? dv_mat_len(b) : 0))
		return exact_operand(a) && exact_operand(b);
	for (size_t t = 0; t < p->nterms; t++) {
		const dv_term *term = &p->terms[t];
		if (term->a >= 0 && !exact_entry(a, (size_t)term->a))
			return 0;
		if (term->b >= 0 && b != NULL && !exact_entry(b, (size_t)term->b))
			return 0;
	}
	return 1;
}

/*
 * run_double over exact operands: nothing to carry, and each term's scale
 * |c| |x| |y| is its product's own size, rounded alike, so the scale is
 * the sum of |terms|.  The same numbers run_double gives, bit for bit, at
 * a fraction of its work; a plan runs over many more terms than its
 * operands have entries, so looking first pays.
 */
static void run_exact(const dv_plan *p, dv_mat *r, const dv_mat *a, const dv_mat *b)
{
	const double *av = a->data, *bv = b != NULL ? b->data : NULL;
	const dv_term *terms = p->terms;
	const size_t *start = p->start;
	double *out = r->data, *bound = r->bound, *scale = r->scale;
	size_t n = p->rows * p->cols;

	for (size_t o = 0; o < n; o++) {
		double acc = 0.0, mag = 0.0, first[2] = {0, 0};
		size_t k = start[o + 1] - start[o];
		int exact = 1;
		for (size_t t = start[o]; t < start[o + 1]; t++) {
			const dv_term *term = &terms[t];
			double v = p->coefs[term->c].value;
			int inexact = fabs(v) != 1.0;
			if (term->a >= 0) {
				v *= av[term->a];
				inexact += fabs(av[term->a]) != 1.0;
			}
			if (term->b >= 0) {
				v *= bv[term->b];
				inexact += fabs(bv[term->b]) != 1.0;
			}
			exact &= inexact <= 1;
			if (t - start[o] < 2)
				first[t - start[o]] = v;
			acc += v;
			mag += fabs(v);
		}
		out[o] = acc;
		bound[o] = exact ? exact_terms_bound(k, first[0], first[1], acc, mag)
		                 : dv_gamma(k + 3) * mag * (1.0 + dv_gamma(k + 2)) +
		                           (double)(3 * k) * DV_UNDERFLOW;
		scale[o] = mag * (1.0 + dv_gamma(2 * k + 2));
	}
}

int dv_plan_run(dv_mat **out, const dv_plan *p, const dv_mat *a, const dv_mat *b,
                dv_diag *d)
{
	const dv_field *f = a->field;
	dv_mat *r = NULL;
	int rc;

	*out = NULL;
	if (dv_mat_len(a) != p->a_len ||
	    (b == NULL ? p->b_len != 0 : dv_mat_len(b) != p->b_len))
		return dv_fail(d, DV_E_ARGS, "internal: operands do not fit the plan");
	if (b != NULL && b->field != f)
		return dv_fail(d, DV_E_ARGS, "internal: operands of different fields");
	/* the work, charged to the item's budget before it is done (a
	 * polynomial run is charged below, by the products it forms) */
	if (f->weight == NULL &&
	    (rc = dv_budget_charge((double)(p->nterms + p->rows * p->cols + p->a_len +
	                                    p->b_len) *
	                                   (f == &dv_field_double ? 1.0 : 10.0),
	                           d)) != DV_OK)
		return rc;
	if ((rc = dv_mat_new(&r, f, p->rows, p->cols, d)) != DV_OK)
		return rc;
	if (f == &dv_field_double) {
		if ((rc = dv_mat_track(r, d)) != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
		if (exact_operands(p, a, b))
			run_exact(p, r, a, b);
		else
			run_double(p, r, a, b);
		*out = r;
		return DV_OK;
	}
	if (f->weight != NULL) {
		/* what the products can grow to, before any is formed: each entry
		 * of the result and each product counts at least once, so that a
		 * huge matrix of zeros is refused as a huge matrix is */
		size_t work = p->rows * p->cols;
		for (size_t t = 0; t < p->nterms && work <= DV_MAX_SYMBOLIC_TERMS; t++) {
			const dv_term *term = &p->terms[t];
			size_t wa = term->a >= 0
			                    ? f->weight(f, dv_mat_at(a, (size_t)term->a))
			                    : 1;
			size_t wb = term->b >= 0
			                    ? f->weight(f, dv_mat_at(b, (size_t)term->b))
			                    : 1;
			work += wa > DV_MAX_SYMBOLIC_TERMS / (wb ? wb : 1)
			                ? DV_MAX_SYMBOLIC_TERMS + 1
			                : wa * wb > 0 ? wa * wb : 1;
		}
		if (work > DV_MAX_SYMBOLIC_TERMS) {
			dv_mat_free(r);
			return dv_plan_too_symbolic(d);
		}
		if ((rc = dv_budget_charge((double)work, d)) != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
	}
	for (size_t o = 0; o < p->rows * p->cols; o++) {
		for (size_t t = p->start[o]; t < p->start[o + 1]; t++) {
			const dv_term *term = &p->terms[t];
			rc = f->fma(f, dv_mat_at(r, o), &p->coefs[term->c],
			            term->a >= 0 ? dv_mat_at(a, (size_t)term->a) : NULL,
			            term->b >= 0 ? dv_mat_at(b, (size_t)term->b) : NULL,
			            d);
			if (rc != DV_OK) {
				dv_mat_free(r);
				return rc;
			}
		}
		if (f->finish != NULL &&
		    (rc = f->finish(f, dv_mat_at(r, o), d)) != DV_OK) {
			dv_mat_free(r);
			return rc;
		}
	}
	*out = r;
	return DV_OK;
}
