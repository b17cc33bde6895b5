#include "lesson/run.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "core/budget.h"
#include "core/mpfr_field.h"
#include "core/strbuf.h"
#include "lesson/exercise.h"
#include "sym/ctx.h"

const sym_ctx *lesson_result_symbols(const lesson_result *r)
{
	sym_ctx *ctx = NULL;
	dv_env_symbols(&ctx, r->symbols, NULL);
	return ctx;
}

static void verdict_clear(lesson_verdict *v)
{
	dv_value_clear(&v->value);
	free(v->unavailable);
	v->unavailable = NULL;
}

void lesson_check_free(lesson_check *c)
{
	if (c == NULL)
		return;
	verdict_clear(&c->exact);
	verdict_clear(&c->numeric);
	verdict_clear(&c->shown);
	free(c->rows);
	lesson_check_free(c->instead);
	free(c);
}

void lesson_result_free(lesson_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nsteps; i++) {
		for (size_t j = 0; j < r->steps[i].nitems; j++) {
			lesson_item *it = &r->steps[i].items[j];
			dv_mat_free(it->table);
			dv_mat_free(it->numbers);
			free(it->no_table);
			free(it->text);
			lesson_check_free(it->check);
		}
		free(r->steps[i].items);
	}
	free(r->steps);
	free(r->sizes);
	/* the matrices of symbols must go before their context (in symbols) */
	dv_env_free(r->shown);
	dv_env_free(r->checked);
	dv_env_free(r->symbols);
	free(r);
}

int lesson_eval(dv_mat **out, const dv_node *n, dv_env *env, dv_diag *d)
{
	return dv_eval_mat(out, n, env, d);
}

static const lesson_size *size_override(const lesson_opts *o, const char *name)
{
	for (size_t i = 0; i < o->nsizes; i++)
		if (strcmp(o->sizes[i].name, name) == 0)
			return &o->sizes[i];
	return NULL;
}

/* Whole numbers from -5 to 5: shown numbers a student can check by hand. */
static int small_whole_numbers(dv_mat **out, gsl_rng *rng, size_t rows, size_t cols,
                               int positive, dv_diag *d)
{
	int rc = rng != NULL ? dv_mat_new(out, &dv_field_double, rows, cols, d)
	                     : dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == DV_OK && i < rows * cols; i++)
		((double *)(*out)->data)[i] =
		        positive ? (double)(1 + gsl_rng_uniform_int(rng, 5))
		                 : (double)gsl_rng_uniform_int(rng, 11) - 5.0;
	return rc;
}

/* Adds to d's message the sizes it happened at: " (at the shown sizes: X
 * 3x3 K 4x4; --size NAME=RxC sets both)" (checked: the checked ones, which
 * are not on the screen). */
static void note_sizes(dv_diag *d, const lesson_result *r, int checked)
{
	size_t n;
	if (d == NULL)
		return;
	n = strlen(d->message);
	n += (size_t)snprintf(d->message + n, sizeof d->message - n, " (at the %s sizes:",
	                      checked ? "checked" : "shown");
	for (size_t i = 0; i < r->nsizes && n < sizeof d->message; i++)
		n += (size_t)snprintf(d->message + n, sizeof d->message - n, " %s %zux%zu",
		                      r->sizes[i].name,
		                      checked ? r->sizes[i].check_rows : r->sizes[i].rows,
		                      checked ? r->sizes[i].check_cols : r->sizes[i].cols);
	if (n < sizeof d->message)
		snprintf(d->message + n, sizeof d->message - n, "; --size NAME=RxC sets both)");
}

static int declare(lesson_result *r, const lesson_var *v, const lesson_opts *o,
                   lesson_var_size *vs, dv_diag *d)
{
	const lesson_size *over = size_override(o, v->name);
	sym_ctx *ctx;
	dv_mat *sym = NULL, *shown = NULL, *checked = NULL;
	int rc;

	vs->name = v->name;
	vs->rows = v->rows;
	vs->cols = v->cols;
	vs->check_rows = v->check_rows;
	vs->check_cols = v->check_cols;
	if (v->like != NULL) {
		/* the size of an expression, at each set of sizes */
		if ((rc = lesson_eval(&shown, v->like, r->shown, d)) != DV_OK ||
		    (rc = lesson_eval(&checked, v->like, r->checked, d)) != DV_OK) {
			/* say at which sizes: the checked ones are not on the screen */
			if (rc != DV_E_NOMEM)
				note_sizes(d, r, shown != NULL);
			dv_mat_free(shown);
			return rc;
		}
		vs->rows = shown->rows;
		vs->cols = shown->cols;
		vs->check_rows = checked->rows;
		vs->check_cols = checked->cols;
		dv_mat_free(shown);
		dv_mat_free(checked);
		shown = checked = NULL;
	}
	if (over != NULL) {
		if (v->scalar || v->like != NULL)
			return dv_fail(
			        d, DV_E_USAGE,
			        "--size %s: the size of %s is not set by hand (%s)",
			        v->name, v->name,
			        v->scalar ? "it is a scalar" : "it follows another");
		vs->rows = vs->check_rows = over->rows;
		vs->cols = vs->check_cols = over->cols;
	}
	if ((rc = dv_env_symbols(&ctx, r->symbols, d)) != DV_OK ||
	    (rc = sym_ctx_matrix(&sym, ctx, v->sym, vs->rows, vs->cols, d)) != DV_OK)
		goto fail;
	/* the lesson's own numbers are for its own size: at another, drawn */
	vs->drawn = v->numbers != NULL && over != NULL &&
	            (over->rows != v->rows || over->cols != v->cols);
	if (v->numbers != NULL && !vs->drawn) {
		if ((rc = lesson_eval(&shown, v->numbers, r->shown, d)) != DV_OK)
			goto fail;
		if (!dv_mat_is_double(shown) || shown->rows != vs->rows ||
		    shown->cols != vs->cols) {
			rc = dv_fail_at(d, DV_E_SHAPE, v->numbers->line,
			                v->numbers->column,
			                "the numbers of %s must be %zux%zu numbers, not "
			                "%s%zux%zu",
			                v->name, vs->rows, vs->cols,
			                dv_mat_is_double(shown) ? "" : "symbols ",
			                shown->rows, shown->cols);
			goto fail;
		}
	} else if ((rc = small_whole_numbers(&shown, dv_env_rng(r->shown), vs->rows,
	                                     vs->cols, v->scalar, d)) != DV_OK) {
		goto fail;
	}
	if (dv_env_rng(r->checked) == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto fail;
	}
	if ((rc = dv_mat_random(&checked, dv_env_rng(r->checked), vs->check_rows,
	                        vs->check_cols, 1, d)) != DV_OK)
		goto fail;
	rc = dv_env_bind(r->symbols, v->name, sym, d);
	sym = NULL;
	if (rc == DV_OK)
		rc = dv_env_bind(r->shown, v->name, shown, d);
	shown = NULL;
	if (rc == DV_OK)
		rc = dv_env_bind(r->checked, v->name, checked, d);
	checked = NULL;
	if (rc != DV_OK)
		dv_diag_locate(d, v->line, 1);
	return rc;
fail:
	if (d != NULL && d->line == 0)
		dv_diag_locate(d, v->line, 1);
	dv_mat_free(sym);
	dv_mat_free(shown);
	dv_mat_free(checked);
	return rc;
}

static int uses_grad(const dv_node *n)
{
	if (n->kind == DV_N_CALL && strcmp(n->text, "grad") == 0)
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (uses_grad(n->kids[i]))
			return 1;
	return 0;
}

dv_verdict lesson_verdict_of(const lesson_verdict *v)
{
	if (v->unevaluable)
		return DV_VERDICT_FAILS;
	if (v->value.kind != DV_V_CHECK)
		return DV_VERDICT_INCONCLUSIVE;
	return v->value.check.verdict;
}

int lesson_verdict_holds(const lesson_verdict *v)
{
	return lesson_verdict_of(v) == DV_VERDICT_HOLDS;
}

lesson_by lesson_grad_row_by(const lesson_grad_row *row)
{
	if (row->numeric.bits > 53)
		return LESSON_BY_MPFR;
	return row->numeric.local ? LESSON_BY_LOCAL : LESSON_BY_WHOLE;
}

size_t lesson_grad_within_estimate(const lesson_check *c, size_t *first)
{
	size_t n = 0;
	for (size_t i = 0; c->rows != NULL && i < c->rows_r * c->rows_c; i++) {
		const lesson_grad_row *row = &c->rows[i];
		if (row->verdict.verdict == DV_VERDICT_HOLDS &&
		    row->verdict.diff > row->numeric.rounding + row->analytic_bound &&
		    n++ == 0)
			*first = i;
	}
	return n;
}

/*
 * Evaluates both sides in env and compares them into v.  A side whose
 * sizes do not fit (a 'valid' convolution with a kernel larger than its
 * input, at sizes given by --size) makes the statement fail there.
 */
static int compare_in(lesson_verdict *v, const lesson_action *a, dv_env *env, dv_diag *d)
{
	dv_mat *l = NULL, *r = NULL;
	int rc = lesson_eval(&l, a->lhs, env, d);
	if (rc == DV_OK)
		rc = lesson_eval(&r, a->rhs, env, d);
	if (rc == DV_E_SHAPE) {
		dv_mat_free(l);
		dv_mat_free(r);
		v->unevaluable = 1;
		v->unavailable = strdup(d->message);
		return v->unavailable != NULL ? DV_OK
		                              : dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if (rc == DV_OK)
		rc = dv_compare(&v->value.check, l, r, 0.0, d);
	/* what doubles cannot decide, MPFR may */
	if (rc == DV_OK && !v->value.check.exact &&
	    v->value.check.verdict == DV_VERDICT_INCONCLUSIVE)
		rc = dv_compare_precise(&v->value.check, &l, &r, &v->precise, a->lhs,
		                        a->rhs, env, d);
	if (rc != DV_OK) {
		dv_mat_free(l);
		dv_mat_free(r);
		return rc;
	}
	v->value.kind = DV_V_CHECK;
	v->value.mat = l;
	v->value.mat2 = r;
	v->by_differences = uses_grad(a->lhs) || uses_grad(a->rhs);
	return DV_OK;
}

/* A gradient check's claim must have the size of its variable. */
static int same_size(const lesson_action *a, const dv_mat *claim, const dv_mat *x, dv_diag *d)
{
	if (claim->rows == x->rows && claim->cols == x->cols)
		return DV_OK;
	return dv_fail_at(d, DV_E_SHAPE, a->rhs->line, a->rhs->column,
	                  "the claimed gradient is %zux%zu but %s is %zux%zu", claim->rows,
	                  claim->cols, a->wrt, x->rows, x->cols);
}

static int gradcheck_rows(lesson_check *c, const lesson_action *a, dv_env *env,
                          dv_diag *d)
{
	dv_mat *fd = NULL, *analytic = NULL;
	dv_fd_entry *entries = NULL;
	lesson_verdict *v = &c->numeric;
	double worst = -1;
	int rc;

	/* the claim first: one of the wrong size is refused before the finite
	 * differences are paid for */
	if ((rc = lesson_eval(&analytic, a->rhs, env, d)) != DV_OK)
		return rc;
	{
		/* finite differences give a gradient of the variable's size */
		const dv_mat *x = dv_env_lookup(env, a->wrt);
		if (x != NULL && (rc = same_size(a, analytic, x, d)) != DV_OK)
			goto out;
	}
	if ((rc = dv_fd_grad(&fd, &entries, a->loss, a->wrt, env, d)) != DV_OK) {
		dv_diag_locate(d, a->line, a->column);
		goto out;
	}
	if ((rc = same_size(a, analytic, fd, d)) != DV_OK)
		goto out;
	if (!dv_mat_is_double(analytic)) {
		rc = dv_fail_at(d, DV_E_ARGS, a->rhs->line, a->rhs->column,
		                "the claimed gradient must be numbers here");
		goto out;
	}
	c->rows = calloc(dv_mat_len(fd), sizeof *c->rows);
	if (c->rows == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto out;
	}
	c->rows_r = fd->rows;
	c->rows_c = fd->cols;
	for (size_t i = 0; i < dv_mat_len(fd); i++) {
		lesson_grad_row *row = &c->rows[i];
		row->analytic = dv_mat_get(analytic, i);
		row->analytic_bound = dv_mat_bound_at(analytic, i);
		row->verdict = dv_compare_numbers(
		        dv_mat_get(fd, i), dv_mat_bound_at(fd, i), dv_mat_scale_at(fd, i),
		        row->analytic, row->analytic_bound, dv_mat_scale_at(analytic, i),
		        0.0);
		row->numeric = entries[i];
		if (entries[i].bits > 53)
			v->precise.bits = entries[i].bits;
		/* the worst entry: the one furthest out of (or nearest to) its bound */
		{
			double ratio = row->verdict.bound > 0
			                       ? row->verdict.diff / row->verdict.bound
			                       : (row->verdict.diff > 0 ? INFINITY : 0);
			if (ratio > worst) {
				worst = ratio;
				c->worst = i;
			}
		}
	}
	/* one verdict over the whole matrix, the same rule entry by entry */
	if ((rc = dv_compare(&v->value.check, fd, analytic, 0.0, d)) != DV_OK)
		goto out;
	v->value.kind = DV_V_CHECK;
	v->value.mat = fd;
	v->value.mat2 = analytic;
	v->by_differences = 1;
	fd = analytic = NULL;
out:
	dv_mat_free(fd);
	free(entries);
	dv_mat_free(analytic);
	return rc;
}

/* Further draws of numbers a refute is tried at, before it is called true
 * (fewer, down to 4, when the lesson's checked matrices hold more than
 * 1,024 entries). */
#define REFUTE_DRAWS 16

/*
 * The refute a held at the checked numbers: tries it at REFUTE_DRAWS
 * further draws (from the seed, so a run is reproducible), each a copy of
 * the checked numbers with every matrix of the lesson drawn anew.  The
 * first draw that refutes it replaces the numeric verdict.
 */
static int search_counterexample(lesson_check *c, const lesson_action *a,
                                 lesson_result *r, dv_diag *d)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t entries = 0;
	unsigned draws;
	int rc = DV_OK;

	if (rng == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	/* fewer draws where each costs more: a number of them fixed by the
	 * sizes, so that a run stays reproducible */
	for (size_t i = 0; i < r->nsizes; i++)
		entries += r->sizes[i].check_rows * r->sizes[i].check_cols;
	draws = entries <= 1024 ? REFUTE_DRAWS
	                        : (unsigned)(REFUTE_DRAWS * 1024 / entries) < 4
	                                  ? 4
	                                  : (unsigned)(REFUTE_DRAWS * 1024 / entries);
	for (unsigned k = 1; k <= draws && rc == DV_OK; k++) {
		lesson_verdict v;
		dv_env *alt = NULL;
		memset(&v, 0, sizeof v);
		gsl_rng_set(rng, (r->seed * 2654435761UL + k * 40503UL) & 0xFFFFFFFFUL);
		rc = dv_env_convert(&alt, r->checked, &dv_field_double, d);
		for (size_t i = 0; rc == DV_OK && i < r->nsizes; i++) {
			const lesson_var_size *vs = &r->sizes[i];
			dv_mat *m = NULL;
			rc = dv_mat_random(&m, rng, vs->check_rows, vs->check_cols, 1, d);
			if (rc == DV_OK)
				rc = dv_env_bind(alt, vs->name, m, d);
		}
		if (rc == DV_OK)
			rc = compare_in(&v, a, alt, d);
		dv_env_free(alt);
		c->draws = k;
		if (rc == DV_OK && lesson_verdict_of(&v) == DV_VERDICT_FAILS) {
			verdict_clear(&c->numeric);
			c->numeric = v;
			c->refuted_at = k;
			break;
		}
		verdict_clear(&v);
	}
	gsl_rng_free(rng);
	return rc;
}

/* The statement on the shown numbers, kept when they show it fail (at the
 * lesson's own sizes they are the small whole numbers on the screen). */
static void shown_counterexample(lesson_check *c, const lesson_action *a, lesson_result *r)
{
	dv_diag sd;
	dv_diag_clear(&sd);
	if (compare_in(&c->shown, a, r->shown, &sd) != DV_OK || c->shown.unevaluable ||
	    c->shown.value.kind != DV_V_CHECK ||
	    c->shown.value.check.verdict != DV_VERDICT_FAILS || c->shown.value.check.shape_differs)
		verdict_clear(&c->shown);
}

/* Whether an error is the item's budget spent (its work past its limit). */
static int too_large(const dv_diag *d)
{
	return d != NULL && d->code == DV_E_LIMIT && dv_budget_spent();
}

/* One check, without its corrected form, within the item's budget. */
static int decide_one(lesson_check *c, const lesson_action *a, lesson_result *r,
                      dv_diag *d)
{
	dv_budget half;
	int rc, exact_holds = -1;
	dv_verdict numeric;

	/* exactly, on symbols, where the statement has an exact form: at most
	 * half the item's work, so that the numbers have the rest */
	dv_budget_start(&half, DV_BUDGET_ITEM / 2);
	rc = compare_in(&c->exact, a, r->symbols, d);
	dv_budget_stop(&half);
	if (rc == DV_E_SYMBOLIC || rc == DV_E_LIMIT) {
		c->exact.unavailable = strdup(d->message);
		if (c->exact.unavailable == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
	} else if (rc != DV_OK) {
		return rc;
	} else if (c->exact.unevaluable) {
		exact_holds = 0;
	} else if (c->exact.value.check.exact) {
		/* an exact inconclusive (sigmoid's identities) leaves it to numbers */
		if (c->exact.value.check.verdict != DV_VERDICT_INCONCLUSIVE)
			exact_holds = c->exact.value.check.holds;
	} else {
		/* both sides came out as plain numbers: no symbols in it */
		verdict_clear(&c->exact);
		c->exact.unavailable = strdup("the statement involves no symbols");
	}
	/* on random numbers at the checked sizes */
	if (a->kind == LESSON_GRADCHECK)
		rc = gradcheck_rows(c, a, r->checked, d);
	else
		rc = compare_in(&c->numeric, a, r->checked, d);
	if (rc == DV_E_LIMIT && too_large(d)) {
		/* past the budget: this check alone is not decided */
		c->too_large = 1;
		verdict_clear(&c->numeric);
		if ((c->numeric.unavailable = strdup(d->message)) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		rc = DV_OK;
	}
	if (rc != DV_OK)
		return rc;
	numeric = lesson_verdict_of(&c->numeric);
	/* a refute is an existence claim: numbers that satisfy it by chance
	 * are not the end of the search */
	if (a->kind == LESSON_REFUTE && numeric == DV_VERDICT_HOLDS && exact_holds != 0) {
		rc = search_counterexample(c, a, r, d);
		if (rc == DV_E_LIMIT && too_large(d))
			rc = DV_OK; /* the search ends with the budget */
		if (rc != DV_OK)
			return rc;
		numeric = lesson_verdict_of(&c->numeric);
	}
	if (numeric == DV_VERDICT_FAILS && a->kind != LESSON_GRADCHECK && !c->numeric.unevaluable)
		shown_counterexample(c, a, r);
	c->inconclusive = numeric == DV_VERDICT_INCONCLUSIVE;
	c->disagree = exact_holds >= 0 && !c->inconclusive &&
	              exact_holds != (numeric == DV_VERDICT_HOLDS);
	c->passed = !c->disagree && !c->inconclusive &&
	            (numeric == DV_VERDICT_HOLDS) == c->expect_holds;
	/* true at every draw, at a size the lesson was not written for: the
	 * size cannot show the mistake, which is no fault of the lesson */
	if (a->kind == LESSON_REFUTE && r->sized && numeric == DV_VERDICT_HOLDS &&
	    exact_holds != 0 && !c->disagree) {
		c->size_too_small = 1;
		c->passed = 1;
	}
	/* true exactly at the shown sizes --size set (a 1x1 δ is its own
	 * dilation), refuted by the checked numbers: a refute needs one
	 * counterexample, and the shown sizes are too small to give it */
	if (a->kind == LESSON_REFUTE && r->sized && exact_holds == 1 &&
	    numeric == DV_VERDICT_FAILS && !c->numeric.unevaluable) {
		c->size_too_small = 2;
		c->disagree = 0;
		c->passed = 1;
	}
	/* and the other way: refuted exactly at the shown sizes, true on the
	 * checked numbers at the sizes --size set */
	if (a->kind == LESSON_REFUTE && r->sized && exact_holds == 0 &&
	    !c->exact.unevaluable && numeric == DV_VERDICT_HOLDS) {
		c->size_too_small = 3;
		c->disagree = 0;
		c->passed = 1;
	}
	return DV_OK;
}

int lesson_decide(lesson_check **out, const lesson_action *a, lesson_result *r,
                  dv_diag *d)
{
	lesson_check *c = calloc(1, sizeof *c);
	dv_budget outer;
	int rc;

	*out = c;
	if (c == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	c->action = a;
	c->expect_holds = a->kind != LESSON_REFUTE;
	/* one item: its work counted, and limited (core/budget.h) */
	dv_budget_start(&outer, DV_BUDGET_ITEM);
	rc = decide_one(c, a, r, d);
	dv_budget_stop(&outer);
	if (rc == DV_OK && a->instead != NULL) {
		if ((rc = lesson_decide(&c->instead, a->instead, r, d)) != DV_OK)
			return rc;
		c->passed = c->passed && c->instead->passed;
	}
	return rc;
}

const char *lesson_item_text(const lesson_item *it)
{
	return it->text != NULL ? it->text : it->action->text;
}

/* n written out for prose: "nine", "twenty-five"; digits from 100 on. */
static void put_count(dv_strbuf *b, double v, int words)
{
	static const char *const ones[] = {
	        "zero",    "one",     "two",       "three",    "four",
	        "five",    "six",     "seven",     "eight",    "nine",
	        "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
	        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
	static const char *const tens[] = {"twenty", "thirty",  "forty",  "fifty",
	                                   "sixty",  "seventy", "eighty", "ninety"};
	if (words && v >= 0 && v < 100 && v == floor(v)) {
		int n = (int)v;
		if (n < 20)
			dv_strbuf_puts(b, ones[n]);
		else if (n % 10 == 0)
			dv_strbuf_puts(b, tens[n / 10 - 2]);
		else
			dv_strbuf_printf(b, "%s-%s", tens[n / 10 - 2], ones[n % 10]);
	} else if (v == floor(v) && fabs(v) < 1e15)
		dv_strbuf_printf(b, "%.0f", v);
	else
		dv_strbuf_printf(b, "%.6g", v);
}

/* A text's {{…}} slots, each the value of its expression at the shown sizes. */
/*
 * An example line: true of the lesson's own sizes.  At others (--size, the
 * tutorial's >) it says so before it: "At the lesson's own sizes (X 5x5,
 * K 3x3): ...", never a sentence the shown matrices contradict.
 */
static int fill_example(lesson_item *it, const lesson_action *a, lesson_result *r,
                        dv_diag *d)
{
	const lesson *l = r->lesson;
	dv_strbuf b;
	int own = 1;
	const char *sep = "";

	for (size_t i = 0; i < l->nvars && i < r->nsizes; i++)
		if (l->vars[i].like == NULL && (r->sizes[i].rows != l->vars[i].rows ||
		                                r->sizes[i].cols != l->vars[i].cols))
			own = 0;
	if (own)
		return DV_OK;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "At the lesson's own sizes (");
	for (size_t i = 0; i < l->nvars; i++) {
		if (l->vars[i].like != NULL || l->vars[i].scalar)
			continue;
		dv_strbuf_printf(&b, "%s%s %zux%zu", sep, l->vars[i].name, l->vars[i].rows,
		                 l->vars[i].cols);
		sep = ", ";
	}
	dv_strbuf_printf(&b, "): %s", a->text);
	return dv_strbuf_finish(&b, &it->text, d);
}

static int fill_text(lesson_item *it, const lesson_action *a, lesson_result *r,
                     dv_diag *d)
{
	dv_strbuf b;
	lesson_slot slot;
	const char *s = a->text;
	size_t k = 0;

	if (a->own_sizes)
		return fill_example(it, a, r, d);
	if (a->nslots == 0)
		return DV_OK;
	dv_strbuf_init(&b);
	/* the slots of the text, each with the tree the lesson was read with */
	while (k < a->nslots && lesson_next_slot(s, &slot) > 0) {
		dv_mat *v = NULL;
		int rc;
		dv_strbuf_putn(&b, s, (size_t)(slot.start - s));
		{
			/* a number of the prose is a count or a size: cheap, or
			 * an error of the lesson */
			dv_budget slot_budget;
			dv_budget_start(&slot_budget, LESSON_SLOT_WORK);
			rc = lesson_eval(&v, a->slots[k++], slot.checked ? r->checked : r->shown,
			                 d);
			dv_budget_stop(&slot_budget);
		}
		if (rc == DV_OK && slot.size) {
			/* {{K as a size}}: 3x3 */
			dv_strbuf_printf(&b, "%zux%zu", v->rows, v->cols);
			dv_mat_free(v);
			s = slot.end;
			continue;
		}
		if (rc == DV_OK && (!dv_mat_is_scalar(v) || !dv_mat_is_double(v)))
			rc = dv_fail_at(d, DV_E_SHAPE, a->line,
			                a->column + (int)(slot.expr - a->text),
			                "a number of the text must be one number, not a "
			                "%zux%zu matrix",
			                v->rows, v->cols);
		if (rc != DV_OK) {
			dv_mat_free(v);
			dv_strbuf_free(&b);
			return rc;
		}
		put_count(&b, dv_mat_get(v, 0), slot.words);
		dv_mat_free(v);
		s = slot.end;
	}
	dv_strbuf_puts(&b, s);
	return dv_strbuf_finish(&b, &it->text, d);
}

/*
 * At sizes --size set, a claim (or a refute's corrected form) whose side
 * has no value there (a kernel larger than its input) is a size the
 * lesson cannot run at, said as the
 * error of the sizes it is (exit 2; the tutorial keeps the sizes it had),
 * not as a check that fails.
 */
static int fits_sizes(const lesson_check *c, const lesson_action *a, const lesson_result *r,
                      dv_diag *d)
{
	for (; c != NULL; c = c->instead, a = a->instead) {
		/* (a refute's own line may have no value: 'valid' for 'full'
		 * is such a mistake; what must hold must have one) */
		const lesson_verdict *v = !c->expect_holds      ? NULL
		                          : c->exact.unevaluable ? &c->exact
		                          : c->numeric.unevaluable ? &c->numeric
		                                                   : NULL;
		if (v == NULL)
			continue;
		dv_fail_at(d, DV_E_SHAPE, a->line, a->column, "%s",
		           v->unavailable != NULL ? v->unavailable : "it has no value here");
		note_sizes(d, r, v == &c->numeric);
		return DV_E_SHAPE;
	}
	return DV_OK;
}

static int run_item(lesson_item *it, const lesson_action *a, lesson_result *r, dv_diag *d)
{
	int rc;

	it->action = a;
	switch (a->kind) {
	case LESSON_TEXT:
		return fill_text(it, a, r, d);
	case LESSON_SHOW:
		if (r->skip_checks)
			return DV_OK;
		rc = lesson_eval(&it->table, a->expr, r->symbols, d);
		if (rc == DV_E_SYMBOLIC || rc == DV_E_LIMIT) {
			it->no_table = strdup(d->message);
			if (it->no_table == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
		} else if (rc != DV_OK) {
			return rc;
		}
		return lesson_eval(&it->numbers, a->expr, r->shown, d);
	case LESSON_NUMBERS:
		if (r->skip_checks)
			return DV_OK;
		return lesson_eval(&it->numbers, a->expr, r->shown, d);
	case LESSON_CLAIM:
	case LESSON_REFUTE:
	case LESSON_GRADCHECK:
		if (r->skip_checks)
			return DV_OK;
		rc = lesson_decide(&it->check, a, r, d);
		if (rc == DV_OK && r->sized)
			rc = fits_sizes(it->check, a, r, d);
		r->nchecks++;
		r->npassed += rc == DV_OK && it->check->passed;
		r->ntoo_small += rc == DV_OK && it->check->size_too_small;
		r->nundecided += rc == DV_OK && it->check->inconclusive && !it->check->disagree;
		return rc;
	case LESSON_EXERCISE:
		if (r->skip_checks)
			return DV_OK;
		/* the teacher's key, marked as a student's answer would be (at
		 * the lesson's own sizes: at another, a diagnose exercise's
		 * wrong line may hold, as a refute may) */
		if (!r->sized && (rc = lesson_exercise_check_key(r, a, d)) != DV_OK)
			return rc;
		/* a mistake of the catalogue is checked as its refute: its line
		 * must fail and its repair hold, at every seed */
		if (a->caught == NULL)
			return DV_OK;
		rc = lesson_decide(&it->check, a->caught, r, d);
		r->nchecks++;
		r->npassed += rc == DV_OK && it->check->passed;
		return rc;
	default:
		return DV_OK;
	}
}

int lesson_run(lesson_result **out, const lesson *l, const lesson_opts *o, dv_diag *d)
{
	lesson_result *r = calloc(1, sizeof *r);
	size_t entries = 0;
	int rc;

	*out = NULL;
	if (r == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	r->lesson = l;
	r->seed = o->seed;
	r->skip_checks = o->skip_checks;
	r->sized = o->nsizes > 0;
	for (size_t i = 0; i < o->nsizes; i++) {
		size_t k = 0;
		while (k < l->nvars && strcmp(l->vars[k].name, o->sizes[i].name) != 0)
			k++;
		if (k == l->nvars) {
			const char *near = NULL;
			size_t best = 3;
			char names[256] = "";
			for (size_t v = 0; v < l->nvars; v++) {
				size_t dist = dv_edit_distance(o->sizes[i].name,
				                               l->vars[v].name);
				if (dist < best && dist < strlen(o->sizes[i].name)) {
					best = dist;
					near = l->vars[v].name;
				}
				if (strlen(names) + strlen(l->vars[v].name) + 3 <
				    sizeof names) {
					if (names[0] != '\0')
						strcat(names, ", ");
					strcat(names, l->vars[v].name);
				}
			}
			lesson_result_free(r);
			if (near != NULL)
				return dv_fail(
				        d, DV_E_USAGE,
				        "--size %s: the lesson has no matrix %s (did you "
				        "mean %s?)",
				        o->sizes[i].name, o->sizes[i].name, near);
			return dv_fail(
			        d, DV_E_USAGE,
			        "--size %s: the lesson has no matrix %s (it has %s)",
			        o->sizes[i].name, o->sizes[i].name, names);
		}
	}
	/* the shown numbers get a stream of their own, apart from the checks' */
	if ((rc = dv_env_new(&r->symbols, o->seed, d)) != DV_OK ||
	    (rc = dv_env_make_exact(r->symbols, d)) != DV_OK ||
	    (rc = dv_env_new(&r->shown, o->seed ^ 0x5eed5eedUL, d)) != DV_OK ||
	    (rc = dv_env_new(&r->checked, o->seed, d)) != DV_OK)
		goto fail;
	dv_env_set_f(r->shown, l->f_is);
	dv_env_set_f(r->checked, l->f_is);
	r->sizes = calloc(l->nvars ? l->nvars : 1, sizeof *r->sizes);
	r->steps = calloc(l->nsteps ? l->nsteps : 1, sizeof *r->steps);
	if (r->sizes == NULL || r->steps == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < l->nvars; i++, r->nsizes++) {
		if ((rc = declare(r, &l->vars[i], o, &r->sizes[i], d)) != DV_OK)
			goto fail;
		/* the matrices together, symbols and numbers: bounded before
		 * they are made (a file of many 64x64 matrices is small) */
		entries += r->sizes[i].rows * r->sizes[i].cols +
		           r->sizes[i].check_rows * r->sizes[i].check_cols;
		if (entries > LESSON_MAX_ENTRIES) {
			rc = dv_fail_at(d, DV_E_LIMIT, l->vars[i].line, 1,
			                "the lesson's matrices hold more than %d entries "
			                "together here (the limit)",
			                LESSON_MAX_ENTRIES);
			goto fail;
		}
	}
	for (size_t i = 0; i < l->ndefs; i++) {
		if ((rc = dv_env_define(r->symbols, l->defs[i].name, l->defs[i].tree,
		                        d)) != DV_OK ||
		    (rc = dv_env_define(r->shown, l->defs[i].name, l->defs[i].tree, d)) !=
		            DV_OK ||
		    (rc = dv_env_define(r->checked, l->defs[i].name, l->defs[i].tree,
		                        d)) != DV_OK) {
			dv_diag_locate(d, l->defs[i].line, 1);
			goto fail;
		}
	}
	for (size_t i = 0; i < l->nsteps; i++, r->nsteps++) {
		const lesson_step *st = &l->steps[i];
		lesson_step_result *sr = &r->steps[i];
		sr->step = st;
		sr->items = calloc(st->nactions ? st->nactions : 1, sizeof *sr->items);
		if (sr->items == NULL) {
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			goto fail;
		}
		for (size_t j = 0; j < st->nactions; j++, sr->nitems++) {
			if ((rc = run_item(&sr->items[j], &st->actions[j], r, d)) !=
			    DV_OK) {
				dv_diag_locate(d, st->actions[j].line,
				               st->actions[j].column);
				if (rc != DV_E_NOMEM && o->errors != NULL &&
				    o->errors->n < LESSON_MAX_ERRORS) {
					/* kept, and on to the next item */
					o->errors->items[o->errors->n++] = *d;
					dv_diag_clear(d);
					continue;
				}
				sr->nitems++;
				r->nsteps++;
				goto fail;
			}
		}
	}
	if (o->errors != NULL && o->errors->n > 0) {
		*d = o->errors->items[0];
		rc = d->code != DV_OK ? d->code : DV_E_SYNTAX;
		goto fail;
	}
	*out = r;
	return DV_OK;
fail:
	lesson_result_free(r);
	return rc;
}

/* ---- every error of a file at once ------------------------------------ */

/* Whether the text of line `line` (1-based) of text holds `word` as a
 * word of its own. */
static int line_mentions(const char *text, int line, const char *word)
{
	size_t n = strlen(word);
	const char *s = text, *end;
	for (int i = 1; i < line && s != NULL; i++)
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	if (s == NULL || n == 0)
		return 0;
	end = strchr(s, '\n');
	if (end == NULL)
		end = s + strlen(s);
	for (const char *p = s; p + n <= end; p++)
		if (strncmp(p, word, n) == 0 &&
		    (p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    !(isalnum((unsigned char)p[n]) || p[n] == '_'))
			return 1;
	return 0;
}

/* text with line `line` emptied (its newline kept, so lines keep their
 * numbers), in place. */
static void blank_line(char *text, int line)
{
	char *s = text;
	for (int i = 1; i < line && s != NULL; i++)
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	for (; s != NULL && *s != '\0' && *s != '\n'; s++)
		*s = ' ';
}

void lesson_more_errors(const char *path, lesson_errors *errs, const lesson_opts *o)
{
	lesson_errors again, ran, left;
	lesson_opts ro = *o;
	lesson_result *r = NULL;
	lesson *l = NULL;
	char *text = NULL;
	int blanked[LESSON_MAX_ERRORS * 4];
	size_t nblanked = 0;
	dv_diag d;

	if (errs->n == 0 || errs->n == LESSON_MAX_ERRORS ||
	    lesson_read_text(&text, path, &again) != DV_OK)
		return;
	again = *errs;
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < again.n; i++) {
			if (again.items[i].line <= 0 || nblanked == sizeof blanked / sizeof blanked[0]) {
				free(text);
				return; /* about the whole file: nothing of its own to leave out */
			}
			blank_line(text, again.items[i].line);
			blanked[nblanked++] = again.items[i].line;
		}
		if (lesson_parse(&l, path, text, &again) == DV_OK)
			break;
	}
	if (l == NULL) {
		free(text);
		return;
	}
	ran.n = 0;
	ro.errors = &ran;
	dv_diag_clear(&d);
	if (lesson_run(&r, l, &ro, &d) != DV_OK && ran.n == 0 && d.line > 0)
		ran.items[ran.n++] = d;
	lesson_result_free(r);
	lesson_free(l);
	/* the file's text again, for what the left-out lines said */
	free(text);
	if (lesson_read_text(&text, path, &again) != DV_OK)
		return;
	left = *errs;
	errs->n = 0;
	for (size_t i = 0, j = 0; i < left.n || j < ran.n;) {
		int caused = 0;
		if (j < ran.n && ran.items[j].name[0] != '\0')
			for (size_t k = 0; k < nblanked && !caused; k++)
				caused = line_mentions(text, blanked[k], ran.items[j].name);
		if (j < ran.n && caused) {
			j++;
			continue;
		}
		if (errs->n == LESSON_MAX_ERRORS)
			break;
		if (j == ran.n || (i < left.n && left.items[i].line <= ran.items[j].line))
			errs->items[errs->n++] = left.items[i++];
		else
			errs->items[errs->n++] = ran.items[j++];
	}
	free(text);
	/* in line order (a step's late errors, such as an exercise without its
	 * question, come after the lines that follow it) */
	for (size_t i = 1; i < errs->n; i++)
		for (size_t k = i; k > 0 && errs->items[k - 1].line > errs->items[k].line; k--) {
			dv_diag t = errs->items[k];
			errs->items[k] = errs->items[k - 1];
			errs->items[k - 1] = t;
		}
}
