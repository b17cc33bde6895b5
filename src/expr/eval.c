#include "expr/eval.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "core/budget.h"
#include "core/mpfr_field.h"
#include "core/ops.h"
#include "core/strbuf.h"
#include "expr/fd.h"
#include "expr/precise.h"
#include "sym/diff.h"

void dv_value_clear(dv_value *v)
{
	if (v == NULL)
		return;
	dv_mat_free(v->mat);
	dv_mat_free(v->mat2);
	free(v->str);
	memset(v, 0, sizeof *v);
}

typedef struct binding {
	char *name;
	dv_mat *mat;
	const dv_node *def; /* a definition instead of a matrix */
	dv_mat *value;      /* the definition's value, worked out at era */
	int busy;           /* its definition is being evaluated: a cycle */
	unsigned long era;
	struct kept *kept; /* what else was worked out from it (dv_env_keep) */
} binding;

typedef struct kept {
	char *key;
	unsigned long era;
	void *data;
	void (*free_data)(void *);
	struct kept *next;
} kept;

/* How deep definitions may use each other; deeper is taken for a loop. */
#define MAX_DEFINE_DEPTH 512

/*
 * Plans already built, by operation and shapes: a lesson's claims and a
 * gradient check's two sides convolve the same shapes many times.  A plan
 * that depends on numbers (max pooling) is never kept.  At most PLAN_CACHE
 * plans and PLAN_CACHE_TERMS terms are kept; the oldest goes first.
 */
#define PLAN_CACHE 32
#define PLAN_CACHE_TERMS ((size_t)1 << 20)
/* A plan smaller than this is built again: building it costs less than
 * looking for it. */
#define PLAN_CACHE_MIN_ENTRIES 64
/*
 * What a plan is built from: the operation, then for each argument its
 * kind, shape and, for a 1 x 1 number, its bits, or for an option its
 * first bytes (options are short words).
 */
#define PLAN_KEY_ARGS 8
typedef struct plan_key {
	uint64_t w[2 + 4 * PLAN_KEY_ARGS];
} plan_key;

typedef struct plan_cache {
	plan_key key[PLAN_CACHE]; /* oldest first */
	dv_plan *plan[PLAN_CACHE];
	size_t n, terms;
} plan_cache;

struct dv_env {
	binding *vars;
	size_t nvars;
	plan_cache plans;
	gsl_rng *rng;            /* made on first use, from seed */
	unsigned long seed;
	sym_ctx *symbols;        /* made on first use */
	dv_act f_is;             /* DV_ACT_ABSTRACT: f has no numbers */
	int depth;               /* definitions being evaluated */
	int stack;               /* dv_eval calls open */
	const dv_field *numbers; /* the field of its numbers: double, or MPFR's */
	/*
	 * The polynomial field in which literals are exact constants (0.1 is
	 * 1/10), or NULL: numbers are doubles.
	 */
	const dv_field *exact;
	/*
	 * Counts the changes of what a definition's value may depend on (a
	 * binding, f, numbers changed in place, random numbers drawn): a
	 * value kept at an earlier era is out of date, and a definition that
	 * draws random numbers is never kept, as drawing moves the era on.
	 */
	unsigned long era;
};

typedef int (*builtin_fn)(dv_value *out, dv_value *args, size_t nargs,
                          const dv_node *call, dv_env *env, dv_diag *d);

typedef int (*plan_fn)(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                       const dv_node *call, int param, dv_diag *d);

typedef struct builtin {
	dv_function_info info;
	size_t min_args, max_args;
	builtin_fn fn;
	int param;    /* passed through: flip, activation, derivative, ... */
	plan_fn plan; /* the plan-based operations: builds the plan */
} builtin;

static const builtin *find_builtin(const char *name);

/* The function a call names, looked up once per call node. */
static const builtin *builtin_of(const dv_node *call)
{
	if (call->function == NULL)
		((dv_node *)call)->function = find_builtin(call->text);
	return call->function;
}

int dv_env_new(dv_env **out, unsigned long seed, dv_diag *d)
{
	dv_env *env = calloc(1, sizeof *env);
	*out = NULL;
	if (env == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	/* the generator is made when it is first drawn from: most
	 * environments (symbols, answers, a notes file's scenes) never are,
	 * and seeding MT19937 is most of the cost of a small one */
	env->seed = seed;
	env->f_is = DV_ACT_ABSTRACT;
	env->numbers = &dv_field_double;
	*out = env;
	return DV_OK;
}

void dv_env_free(dv_env *env)
{
	if (env == NULL)
		return;
	for (size_t i = 0; i < env->nvars; i++) {
		free(env->vars[i].name);
		dv_mat_free(env->vars[i].mat);
		dv_mat_free(env->vars[i].value);
		for (kept *k = env->vars[i].kept, *next; k != NULL; k = next) {
			next = k->next;
			k->free_data(k->data);
			free(k->key);
			free(k);
		}
	}
	free(env->vars);
	for (size_t i = 0; i < env->plans.n; i++)
		dv_plan_free(env->plans.plan[i]);
	gsl_rng_free(env->rng);
	sym_ctx_free(env->symbols);
	free(env);
}

/* The plan kept under key, shared (NULL when there is none). */
static dv_plan *cache_find(dv_env *env, const plan_key *key)
{
	for (size_t i = 0; env != NULL && i < env->plans.n; i++)
		if (memcmp(&env->plans.key[i], key, sizeof *key) == 0)
			return dv_plan_share(env->plans.plan[i]);
	return NULL;
}

/* Keeps p (shared) under key; a plan that cannot be kept is only not kept. */
static void cache_keep(dv_env *env, const plan_key *key, dv_plan *p)
{
	plan_cache *c;

	if (env == NULL || p->nterms > PLAN_CACHE_TERMS / 4)
		return;
	c = &env->plans;
	/* kept oldest first: the oldest go until both limits hold */
	while (c->n > 0 &&
	       (c->n == PLAN_CACHE || c->terms + p->nterms > PLAN_CACHE_TERMS)) {
		c->terms -= c->plan[0]->nterms;
		dv_plan_free(c->plan[0]);
		c->n--;
		memmove(&c->key[0], &c->key[1], c->n * sizeof *c->key);
		memmove(&c->plan[0], &c->plan[1], c->n * sizeof *c->plan);
	}
	c->key[c->n] = *key;
	c->plan[c->n++] = dv_plan_share(p);
	c->terms += p->nterms;
}

static int valid_name(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80))
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      c >= 0x80 || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static int bind_any(dv_env *env, const char *name, dv_mat *m, const dv_node *def,
                    dv_diag *d)
{
	binding *b;
	char *copy;

	env->era++;
	if (!valid_name(name)) {
		dv_mat_free(m);
		return dv_fail(d, DV_E_ARGS,
		               "'%s' is not a name (letters, digits and _, not starting "
		               "with a digit)",
		               name);
	}
	if (find_builtin(name) != NULL) {
		dv_mat_free(m);
		return dv_fail(d, DV_E_ARGS,
		               "'%s' is a function and cannot name a matrix", name);
	}
	for (size_t i = 0; i < env->nvars; i++) {
		if (strcmp(env->vars[i].name, name) == 0) {
			dv_mat_free(env->vars[i].mat);
			env->vars[i].mat = m;
			env->vars[i].def = def;
			return DV_OK;
		}
	}
	copy = strdup(name);
	b = realloc(env->vars, (env->nvars + 1) * sizeof *b);
	if (copy == NULL || b == NULL) {
		free(copy);
		if (b != NULL)
			env->vars = b;
		dv_mat_free(m);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	env->vars = b;
	env->vars[env->nvars++] = (binding){.name = copy, .mat = m, .def = def};
	return DV_OK;
}

int dv_env_bind(dv_env *env, const char *name, dv_mat *m, dv_diag *d)
{
	return bind_any(env, name, m, NULL, d);
}

int dv_env_define(dv_env *env, const char *name, const dv_node *tree, dv_diag *d)
{
	return bind_any(env, name, NULL, tree, d);
}

int dv_env_convert(dv_env **out, const dv_env *env, const dv_field *f, dv_diag *d)
{
	dv_env *c = calloc(1, sizeof *c);
	int rc = DV_OK;

	*out = NULL;
	if (c == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	/* the same draws to come: a clone of the generator, or its seed */
	c->rng = env->rng != NULL ? gsl_rng_clone(env->rng) : NULL;
	c->seed = env->seed;
	c->f_is = env->f_is;
	c->numbers = f;
	c->vars = calloc(env->nvars ? env->nvars : 1, sizeof *c->vars);
	if ((env->rng != NULL && c->rng == NULL) || c->vars == NULL) {
		dv_env_free(c);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < env->nvars && rc == DV_OK; i++) {
		const binding *b = &env->vars[i];
		binding *nb = &c->vars[c->nvars];
		nb->def = b->def;
		nb->name = strdup(b->name);
		if (nb->name == NULL) {
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			break;
		}
		c->nvars++;
		if (b->mat != NULL)
			rc = dv_mat_is_double(b->mat)
			             ? dv_mat_convert(&nb->mat, b->mat, f, d)
			             : dv_fail(d, DV_E_ARGS,
			                       "'%s' holds symbols, not numbers",
			                       b->name);
	}
	if (rc != DV_OK) {
		dv_env_free(c);
		return rc;
	}
	*out = c;
	return DV_OK;
}

gsl_rng *dv_env_rng(dv_env *env)
{
	if (env->rng == NULL && (env->rng = gsl_rng_alloc(gsl_rng_mt19937)) != NULL)
		gsl_rng_set(env->rng, env->seed);
	return env->rng;
}

void dv_env_set_f(dv_env *env, dv_act act)
{
	env->f_is = act;
	env->era++;
}

void dv_env_changed(dv_env *env)
{
	env->era++;
}

unsigned long dv_env_era(const dv_env *env)
{
	return env->era;
}

static binding *binding_named(dv_env *env, const char *name)
{
	for (size_t i = 0; i < env->nvars; i++)
		if (strcmp(env->vars[i].name, name) == 0)
			return &env->vars[i];
	return NULL;
}

dv_mat *dv_env_lookup_mut(dv_env *env, const char *name)
{
	binding *b = binding_named(env, name);
	return b != NULL ? b->mat : NULL;
}

static const binding *find_binding(const dv_env *env, const char *name)
{
	return binding_named((dv_env *)env, name);
}

void dv_env_keep(dv_env *env, const char *name, const char *key, unsigned long era,
                 void *data, void (*free_data)(void *))
{
	binding *b = binding_named(env, name);
	kept *k;

	if (b == NULL || b->def == NULL || era != env->era) {
		free_data(data);
		return;
	}
	for (k = b->kept; k != NULL; k = k->next)
		if (strcmp(k->key, key) == 0)
			break;
	if (k == NULL) {
		if ((k = calloc(1, sizeof *k)) == NULL || (k->key = strdup(key)) == NULL) {
			free(k);
			free_data(data); /* only not kept */
			return;
		}
		k->next = b->kept;
		b->kept = k;
	} else {
		k->free_data(k->data);
	}
	k->era = era;
	k->data = data;
	k->free_data = free_data;
}

const void *dv_env_kept(const dv_env *env, const char *name, const char *key)
{
	const binding *b = find_binding(env, name);
	for (const kept *k = b != NULL ? b->kept : NULL; k != NULL; k = k->next)
		if (strcmp(k->key, key) == 0)
			return k->era == env->era ? k->data : NULL;
	return NULL;
}

const dv_mat *dv_env_lookup(const dv_env *env, const char *name)
{
	const binding *b = find_binding(env, name);
	return b != NULL ? b->mat : NULL;
}

int dv_env_symbols(sym_ctx **out, dv_env *env, dv_diag *d)
{
	int rc;
	if (env->symbols == NULL && (rc = sym_ctx_new(&env->symbols, d)) != DV_OK)
		return rc;
	*out = env->symbols;
	return DV_OK;
}

void dv_env_set_exact(dv_env *env, const dv_field *poly)
{
	env->exact = poly;
	env->era++;
}

int dv_env_make_exact(dv_env *env, dv_diag *d)
{
	sym_ctx *ctx;
	int rc = dv_env_symbols(&ctx, env, d);
	if (rc == DV_OK)
		dv_env_set_exact(env, sym_ctx_field(ctx));
	return rc;
}

/* rc, the error of an unknown name just recorded in d, with the name kept
 * beside its message (d->name) for callers that add to the message. */
static int unknown_name(dv_diag *d, const char *name, int rc)
{
	dv_diag_name(d, name);
	return rc;
}

int dv_env_symbolize(dv_env *env, const char *name, dv_diag *d)
{
	char lower[SYM_NAME_MAX];
	sym_ctx *ctx;
	size_t n = strlen(name);
	int rc;

	for (size_t i = 0; i < env->nvars; i++) {
		binding *b = &env->vars[i];
		dv_mat *m = NULL;
		if (strcmp(b->name, name) != 0 || b->mat == NULL)
			continue;
		if (n >= sizeof lower)
			return dv_fail(d, DV_E_ARGS, "'%s' is too long to name symbols",
			               name);
		for (size_t k = 0; k <= n; k++)
			lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z'
			                          ? name[k] - 'A' + 'a'
			                          : name[k]);
		if ((rc = dv_env_symbols(&ctx, env, d)) != DV_OK ||
		    (rc = sym_ctx_matrix(&m, ctx, lower, b->mat->rows, b->mat->cols,
		                         d)) != DV_OK)
			return rc;
		dv_mat_free(b->mat);
		b->mat = m;
		env->era++;
		return DV_OK;
	}
	return unknown_name(d, name, dv_fail(d, DV_E_NAME, "unknown name '%s'", name));
}

/* ---- argument helpers ------------------------------------------------ */

/* Where the text of n begins: a binary node stands at its operator. */
static const dv_node *start_of(const dv_node *n)
{
	while ((n->kind == DV_N_BINARY || n->kind == DV_N_TRANSPOSE) && n->nkids > 0)
		n = n->kids[0];
	return n;
}

static void describe_value(const dv_value *v, char *buf, size_t size)
{
	double x, bound;

	if (v->kind == DV_V_STR)
		snprintf(buf, size, "the string '%s'", v->str);
	else if (dv_mat_scalar_number(v->mat, &x, &bound))
		snprintf(buf, size, "%.17g", x);
	else
		snprintf(buf, size, "a %zux%zu matrix", v->mat->rows, v->mat->cols);
}

static int need_mat(const dv_value *v, const dv_node *at, const char *what, dv_diag *d)
{
	char found[96];
	if (v->kind == DV_V_MAT)
		return DV_OK;
	at = start_of(at);
	describe_value(v, found, sizeof found);
	return dv_fail_at(d, DV_E_ARGS, at->line, at->column,
	                  "expected a matrix for %s but found %s", what, found);
}

/* A whole number in [min, max] given as a 1 x 1 double. */
static int need_count(size_t *out, const dv_value *v, const dv_node *at, const char *what,
                      size_t min, size_t max, dv_diag *d)
{
	char found[96];
	at = start_of(at);
	double x, bound;
	if (v->kind == DV_V_MAT && dv_mat_scalar_number(v->mat, &x, &bound)) {
		if (x == floor(x) && x >= (double)min && x <= (double)max) {
			*out = (size_t)x;
			return DV_OK;
		}
		if (x == floor(x) && x > (double)max)
			return dv_fail_at(d, DV_E_LIMIT, at->line, at->column,
			                  "%s is %.17g; the limit is %zu", what, x, max);
	}
	describe_value(v, found, sizeof found);
	return dv_fail_at(d, DV_E_ARGS, at->line, at->column,
	                  "expected a whole number >= %zu for %s but found %s", min, what,
	                  found);
}

static int need_string(const dv_value *v, const dv_node *at, const char *what, dv_diag *d)
{
	char found[96];
	if (v->kind == DV_V_STR)
		return DV_OK;
	at = start_of(at);
	describe_value(v, found, sizeof found);
	return dv_fail_at(d, DV_E_ARGS, at->line, at->column, "expected %s but found %s",
	                  what, found);
}

static int give_mat(dv_value *out, dv_mat *m, int rc)
{
	if (rc == DV_OK) {
		out->kind = DV_V_MAT;
		out->mat = m;
	}
	return rc;
}

/* ---- the functions ---------------------------------------------------- */

/*
 * The plan-based functions: each builds the plan of its operation from its
 * arguments (their shapes and options), and fn_planned runs it.  The
 * finite differences (fd.c) take the same plans to recompute only what a
 * moved entry feeds.  *by_numbers is set when the plan depends on the
 * operand's numbers (max pooling), not only on its shape.
 */
static int plan_window(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                       const dv_node *call, int param, dv_diag *d)
{
	dv_window w = {DV_MODE_VALID, param, 1, 0};
	int rc;

	(void)by_numbers;
	if ((rc = need_mat(&args[0], call->kids[0], "the input", d)) != DV_OK ||
	    (rc = need_mat(&args[1], call->kids[1], "the kernel", d)) != DV_OK)
		return rc;
	for (size_t i = 2; i < nargs; i++) {
		const dv_node *at = call->kids[i];
		const char *opt;
		if ((rc = need_string(&args[i], at,
		                      "an option ('valid', 'full', 'same', 'stride' or "
		                      "'pad')",
		                      d)) != DV_OK)
			return rc;
		opt = args[i].str;
		if (strcmp(opt, "valid") == 0) {
			w.mode = DV_MODE_VALID;
		} else if (strcmp(opt, "full") == 0) {
			w.mode = DV_MODE_FULL;
		} else if (strcmp(opt, "same") == 0) {
			w.mode = DV_MODE_SAME;
		} else if (strcmp(opt, "stride") == 0 || strcmp(opt, "pad") == 0) {
			int stride = opt[0] == 's';
			if (i + 1 == nargs)
				return dv_fail_at(
				        d, DV_E_ARGS, at->line, at->column,
				        "the option '%s' needs a number after it", opt);
			i++;
			rc = need_count(stride ? &w.stride : &w.pad, &args[i],
			                call->kids[i],
			                stride ? "the stride" : "the padding",
			                stride ? 1 : 0, 1024, d);
			if (rc != DV_OK)
				return rc;
		} else {
			return dv_fail_at(
			        d, DV_E_ARGS, at->line, at->column,
			        "unknown option '%s' (expected 'valid', 'full', "
			        "'same', 'stride' or 'pad')",
			        opt);
		}
	}
	return dv_plan_window(out, args[0].mat->rows, args[0].mat->cols,
	                      args[1].mat->rows, args[1].mat->cols, &w, d);
}

/* Unary rearrangements and sums: param picks the operation. */
enum { UN_ROT180, UN_FLIPLR, UN_FLIPUD, UN_TRANSPOSE, UN_SUM };

static int plan_unary(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                      const dv_node *call, int param, dv_diag *d)
{
	size_t r, c;
	int rc;

	(void)by_numbers;
	(void)nargs;
	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK)
		return rc;
	r = args[0].mat->rows;
	c = args[0].mat->cols;
	switch (param) {
	case UN_ROT180:
		return dv_plan_rot180(out, r, c, d);
	case UN_FLIPLR:
		return dv_plan_fliplr(out, r, c, d);
	case UN_FLIPUD:
		return dv_plan_flipud(out, r, c, d);
	case UN_TRANSPOSE:
		return dv_plan_transpose(out, r, c, d);
	default:
		return dv_plan_sum(out, r, c, d);
	}
}

/*
 * pad(A, n [, m]) and crop(A, n [, m]), or with four edges: top, bottom,
 * left, right.  param 1 crops: the edges are cut off instead of added.
 */
static int plan_frame(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                      const dv_node *call, int param, dv_diag *d)
{
	static const char *const what[2][4] = {
	        {"the padding", "the padding at the bottom", "the padding on the left",
	         "the padding on the right"},
	        {"the rows to crop", "the rows to crop at the bottom",
	         "the columns to crop on the left", "the columns to crop on the right"}};
	size_t n[4] = {0};
	long edge[4];
	int rc;

	(void)by_numbers;
	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK)
		return rc;
	if (nargs == 4)
		return dv_fail_at(
		        d, DV_E_ARGS, call->line, call->column,
		        "expected 2, 3 or 5 arguments, (A, n [, m]) or (A, top, "
		        "bottom, left, right), but found 4");
	for (size_t k = 1; k < nargs; k++) {
		const char *w = nargs == 5 ? what[param][k - 1]
		                : k == 1   ? (param ? "the rows to crop" : "the padding")
		                           : (param ? "the columns to crop"
		                                    : "the padding of the columns");
		if ((rc = need_count(&n[k - 1], &args[k], call->kids[k], w, 0, 1024,
		                     d)) != DV_OK)
			return rc;
	}
	if (nargs == 5) {
		for (int k = 0; k < 4; k++)
			edge[k] = (long)n[k];
	} else {
		edge[0] = edge[1] = (long)n[0];
		edge[2] = edge[3] = (long)(nargs == 3 ? n[1] : n[0]);
	}
	if (param)
		for (int k = 0; k < 4; k++)
			edge[k] = -edge[k];
	return dv_plan_frame(out, args[0].mat->rows, args[0].mat->cols, edge, d);
}

static int plan_dilate(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                       const dv_node *call, int param, dv_diag *d)
{
	size_t s;
	int rc;

	(void)by_numbers;
	(void)param;
	(void)nargs;
	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK ||
	    (rc = need_count(&s, &args[1], call->kids[1], "the dilation", 1, 1024, d)) !=
	            DV_OK)
		return rc;
	return dv_plan_dilate(out, args[0].mat->rows, args[0].mat->cols, s, d);
}

static int plan_entry(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                      const dv_node *call, int param, dv_diag *d)
{
	size_t i, j;
	int rc;

	(void)by_numbers;
	(void)param;
	(void)nargs;
	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK ||
	    (rc = need_count(&i, &args[1], call->kids[1], "the row", 1, SIZE_MAX / 2,
	                     d)) != DV_OK ||
	    (rc = need_count(&j, &args[2], call->kids[2], "the column", 1, SIZE_MAX / 2,
	                     d)) != DV_OK)
		return rc;
	rc = dv_plan_entry(out, args[0].mat->rows, args[0].mat->cols, i, j, d);
	if (rc != DV_OK)
		dv_diag_locate(d, call->line, call->column);
	return rc;
}

/*
 * A trailing 'stride', s of a pooling's arguments, from argument k on: *s
 * is left 0 (windows side by side) when there is none.
 */
static int pool_stride(size_t *s, dv_value *args, size_t nargs, size_t k,
                       const dv_node *call, dv_diag *d)
{
	int rc;

	*s = 0;
	if (k >= nargs)
		return DV_OK;
	if (args[k].kind != DV_V_STR || strcmp(args[k].str, "stride") != 0) {
		char found[96];
		describe_value(&args[k], found, sizeof found);
		return dv_fail_at(d, DV_E_ARGS, call->kids[k]->line,
		                  call->kids[k]->column,
		                  "expected the option 'stride' but found %s", found);
	}
	if (k + 2 != nargs)
		return dv_fail_at(d, DV_E_ARGS, call->kids[k]->line,
		                  call->kids[k]->column,
		                  "the option 'stride' needs one number after it");
	rc = need_count(s, &args[k + 1], call->kids[k + 1], "the stride", 1, 1024, d);
	return rc;
}

static int plan_pool(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                     const dv_node *call, int down, dv_diag *d)
{
	dv_pool pool = DV_POOL_SUM;
	const dv_mat *a = args[0].mat;
	size_t n, s = 0, k = 2;
	int rc;

	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK ||
	    (rc = need_count(&n, &args[1], call->kids[1], "the block size", 1, 1024,
	                     d)) != DV_OK)
		return rc;
	if (nargs > 2 &&
	    (args[2].kind != DV_V_STR || strcmp(args[2].str, "stride") != 0)) {
		const dv_node *at = call->kids[2];
		const char *what = down ? "'sum', 'mean' or 'max'" : "'sum' or 'mean'";
		if ((rc = need_string(&args[2], at, what, d)) != DV_OK)
			return rc;
		if (strcmp(args[2].str, "sum") == 0)
			pool = DV_POOL_SUM;
		else if (strcmp(args[2].str, "mean") == 0)
			pool = DV_POOL_MEAN;
		else if (down && strcmp(args[2].str, "max") == 0)
			pool = DV_POOL_MAX;
		else
			return dv_fail_at(d, DV_E_ARGS, at->line, at->column,
			                  "unknown pooling '%s' (expected %s)",
			                  args[2].str, what);
		k = 3;
	}
	if (!down)
		return dv_plan_up(out, a->rows, a->cols, n, pool, d);
	if ((rc = pool_stride(&s, args, nargs, k, call, d)) != DV_OK)
		return rc;
	if (pool != DV_POOL_MAX)
		return dv_plan_down(out, a->rows, a->cols, n, s, pool, d);
	*by_numbers = DV_BY_OWN_NUMBERS;
	return dv_plan_down_max(out, a, n, s, d);
}

/*
 * unpool(D, X, n [, 'stride', s] [, 'assign']): max pooling's backward
 * step, or with 'assign' the mistake of overwriting instead of adding.
 */
static int plan_unpool(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                       const dv_node *call, int param, dv_diag *d)
{
	size_t n, s;
	int assign = 0, rc;

	(void)param;
	if (nargs > 3 && args[nargs - 1].kind == DV_V_STR &&
	    strcmp(args[nargs - 1].str, "assign") == 0) {
		assign = 1;
		nargs--;
	}
	if ((rc = need_mat(&args[0], call->kids[0], "the delta", d)) != DV_OK ||
	    (rc = need_mat(&args[1], call->kids[1], "the pooled input", d)) != DV_OK ||
	    (rc = need_count(&n, &args[2], call->kids[2], "the block size", 1, 1024,
	                     d)) != DV_OK ||
	    (rc = pool_stride(&s, args, nargs, 3, call, d)) != DV_OK)
		return rc;
	*by_numbers = DV_BY_OTHER_NUMBERS;
	return dv_plan_unpool(out, args[0].mat->rows, args[0].mat->cols, args[1].mat, n,
	                      s, assign, d);
}

enum { BI_KRON, BI_HADAMARD };

static int plan_binary(dv_plan **out, int *by_numbers, dv_value *args, size_t nargs,
                       const dv_node *call, int param, dv_diag *d)
{
	const dv_mat *a = args[0].mat, *b = args[1].mat;
	int rc;

	(void)by_numbers;
	(void)nargs;
	if ((rc = need_mat(&args[0], call->kids[0], "the first argument", d)) != DV_OK ||
	    (rc = need_mat(&args[1], call->kids[1], "the second argument", d)) != DV_OK)
		return rc;
	if (param == BI_KRON)
		return dv_plan_kron(out, a->rows, a->cols, b->rows, b->cols, d);
	return dv_plan_hadamard(out, a->rows, a->cols, b->rows, b->cols, d);
}

static int fn_planned(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                      dv_env *env, dv_diag *d)
{
	dv_plan *p = NULL;
	dv_mat *m = NULL;
	int by_numbers = 0;
	int rc = dv_eval_call_plan(&p, &by_numbers, call, args, nargs, env, d);

	if (rc == DV_OK)
		rc = dv_op_run(&m, p, args[0].mat, p->b_len != 0 ? args[1].mat : NULL, d);
	dv_plan_free(p);
	return give_mat(out, m, rc);
}

static int fn_shape(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                    dv_env *env, dv_diag *d)
{
	const builtin *self = builtin_of(call);
	dv_mat *m = NULL;
	double v;
	int rc;

	(void)nargs;
	(void)env;
	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK)
		return rc;
	v = (double)(self->param ? args[0].mat->cols : args[0].mat->rows);
	rc = dv_mat_from_doubles(&m, 1, 1, &v, d);
	return give_mat(out, m, rc);
}

/* param: activation * 2 + derivative */
static int fn_activation(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                         dv_env *env, dv_diag *d)
{
	const builtin *self = builtin_of(call);
	dv_mat *m = NULL;
	int rc;

	(void)nargs;
	dv_act act = (dv_act)(self->param / 2);

	if ((rc = need_mat(&args[0], call->kids[0], "the argument", d)) != DV_OK)
		return rc;
	/* on numbers, the abstract f is what the lesson says it is */
	if (act == DV_ACT_ABSTRACT && dv_mat_is_numeric(args[0].mat))
		act = env->f_is;
	rc = dv_op_activate(&m, args[0].mat, act, self->param % 2, d);
	return give_mat(out, m, rc);
}

static int fn_sym(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                  dv_env *env, dv_diag *d)
{
	size_t rows, cols;
	sym_ctx *ctx;
	dv_mat *m = NULL;
	int rc;

	(void)nargs;
	if ((rc = need_count(&rows, &args[0], call->kids[0], "the number of rows", 1,
	                     SYM_MAX_SIDE * 1024, d)) != DV_OK ||
	    (rc = need_count(&cols, &args[1], call->kids[1], "the number of columns", 1,
	                     SYM_MAX_SIDE * 1024, d)) != DV_OK ||
	    (rc = need_string(&args[2], call->kids[2], "the name of the symbols ('x')",
	                      d)) != DV_OK)
		return rc;
	if ((rc = dv_env_symbols(&ctx, env, d)) != DV_OK)
		return rc;
	rc = sym_ctx_matrix(&m, ctx, args[2].str, rows, cols, d);
	return give_mat(out, m, rc);
}

static int fn_grad(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                   dv_env *env, dv_diag *d)
{
	dv_mat *m = NULL;
	int rc;

	(void)nargs;
	if ((rc = need_mat(&args[0], call->kids[0], "the function", d)) != DV_OK ||
	    (rc = need_mat(&args[1], call->kids[1], "the variable", d)) != DV_OK)
		return rc;
	if (dv_mat_is_numeric(args[1].mat)) {
		/* numbers: central finite differences of the function */
		const dv_node *var = call->kids[1];
		if (var->kind != DV_N_NAME || dv_env_lookup(env, var->text) == NULL)
			return dv_fail_at(
			        d, DV_E_ARGS, start_of(var)->line, start_of(var)->column,
			        "on numbers, the variable must be the name of a "
			        "matrix: grad(E, X)");
		if (!dv_mat_is_scalar(args[0].mat))
			return dv_fail_at(d, DV_E_SHAPE, start_of(call->kids[0])->line,
			                  start_of(call->kids[0])->column,
			                  "the function must be a number (1x1), not a "
			                  "%zux%zu matrix",
			                  args[0].mat->rows, args[0].mat->cols);
		if (dv_field_bits(env->numbers) > 0)
			/* again at higher precision: each entry by the MPFR rule */
			rc = dv_fd_grad_precise(&m, call->kids[0], var->text, env, d);
		else
			rc = dv_fd_grad(&m, NULL, call->kids[0], var->text, env, d);
		return give_mat(out, m, rc);
	}
	rc = sym_mat_grad(&m, args[0].mat, args[1].mat, d);
	if (rc != DV_OK) {
		const dv_node *at = start_of(call->kids[rc == DV_E_SHAPE ? 0 : 1]);
		dv_diag_locate(d, at->line, at->column);
	}
	return give_mat(out, m, rc);
}

static int fn_equal(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                    dv_env *env, dv_diag *d)
{
	int rc;

	(void)nargs;
	(void)env;
	double tol = 0.0;

	if ((rc = need_mat(&args[0], call->kids[0], "the left side", d)) != DV_OK ||
	    (rc = need_mat(&args[1], call->kids[1], "the right side", d)) != DV_OK)
		return rc;
	if (nargs == 3) {
		const dv_node *at = start_of(call->kids[2]);
		double eb;
		if (args[2].kind != DV_V_MAT ||
		    !dv_mat_scalar_number(args[2].mat, &tol, &eb) || !(tol >= 0) ||
		    tol >= 1)
			return dv_fail_at(d, DV_E_ARGS, at->line, at->column,
			                  "the tolerance must be a number from 0 to 1");
	}
	if ((rc = dv_compare(&out->check, args[0].mat, args[1].mat, tol, d)) != DV_OK)
		return rc;
	/* what doubles cannot decide, MPFR may (on the same numbers) */
	if (!out->check.exact && out->check.verdict == DV_VERDICT_INCONCLUSIVE &&
	    tol == 0 && env->numbers == &dv_field_double) {
		dv_precise p;
		if ((rc = dv_compare_precise(&out->check, &args[0].mat, &args[1].mat, &p,
		                             call->kids[0], call->kids[1], env, d)) !=
		    DV_OK)
			return rc;
	}
	out->kind = DV_V_CHECK;
	out->mat = args[0].mat;
	out->mat2 = args[1].mat;
	args[0].mat = args[1].mat = NULL;
	return DV_OK;
}

enum { MK_RAND, MK_RANDN, MK_ZEROS, MK_ONES, MK_EYE };

static int fn_make(dv_value *out, dv_value *args, size_t nargs, const dv_node *call,
                   dv_env *env, dv_diag *d)
{
	const builtin *self = builtin_of(call);
	size_t rows, cols;
	dv_mat *m = NULL;
	int rc;

	if ((rc = need_count(&rows, &args[0], call->kids[0], "the number of rows", 1,
	                     SIZE_MAX / 2, d)) != DV_OK)
		return rc;
	cols = rows;
	if (nargs == 2 &&
	    (rc = need_count(&cols, &args[1], call->kids[1], "the number of columns", 1,
	                     SIZE_MAX / 2, d)) != DV_OK)
		return rc;
	if (self->param == MK_RAND || self->param == MK_RANDN) {
		if ((rc = dv_mat_check_size(rows, cols, "the result", d)) != DV_OK)
			return rc;
		env->era++;
		if (dv_env_rng(env) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		rc = dv_mat_random(&m, env->rng, rows, cols, self->param == MK_RANDN, d);
		return give_mat(out, m, rc);
	}
	if ((rc = dv_mat_check_size(rows, cols, "the result", d)) != DV_OK ||
	    (rc = dv_mat_new(&m, &dv_field_double, rows, cols, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++)
			((double *)m->data)[i * cols + j] =
			        self->param == MK_ONES ||
			        (self->param == MK_EYE && i == j);
	return give_mat(out, m, DV_OK);
}

#define ACT(name, act)                                                                   \
	{{name, name "(X)", "the " name " activation, entry by entry"},                  \
	 1,                                                                              \
	 1,                                                                              \
	 fn_activation,                                                                  \
	 (act)*2,                                                                        \
	 NULL},                                                                          \
	{                                                                                \
		{"d" name, "d" name "(X)",                                               \
		 "the derivative of " name ", entry by entry"},                          \
		        1, 1, fn_activation, (act)*2 + 1, NULL                           \
	}

static const builtin builtins[] = {
        {{"conv", "conv(X, K [, 'valid'|'full'|'same'] [, 'stride', s] [, 'pad', p])",
          "2-D convolution, the kernel rotated by 180 degrees (Octave's conv2)"},
         2,
         7,
         fn_planned,
         1,
         plan_window},
        {{"conv2", "conv2(X, K [, mode] ...)", "the same as conv, as the notes write it"},
         2,
         7,
         fn_planned,
         1,
         plan_window},
        {{"xcorr", "xcorr(X, K [, 'valid'|'full'|'same'] [, 'stride', s] [, 'pad', p])",
          "2-D cross-correlation, no rotation (Octave's filter2)"},
         2,
         7,
         fn_planned,
         0,
         plan_window},
        {{"rot180", "rot180(A)", "A rotated by 180 degrees (rot90(A, 2))"},
         1,
         1,
         fn_planned,
         UN_ROT180,
         plan_unary},
        {{"fliplr", "fliplr(A)", "A with its columns in reverse order"},
         1,
         1,
         fn_planned,
         UN_FLIPLR,
         plan_unary},
        {{"flipud", "flipud(A)", "A with its rows in reverse order"},
         1,
         1,
         fn_planned,
         UN_FLIPUD,
         plan_unary},
        {{"transpose", "transpose(A)", "A transposed, the same as A'"},
         1,
         1,
         fn_planned,
         UN_TRANSPOSE,
         plan_unary},
        {{"sum", "sum(A)", "the sum of every entry of A (Octave: sum(A(:)))"},
         1,
         1,
         fn_planned,
         UN_SUM,
         plan_unary},
        {{"pad", "pad(A, n [, m] | A, top, bottom, left, right)",
          "A framed by zeros: n rows above and below, n (or m) columns each side"},
         2,
         5,
         fn_planned,
         0,
         plan_frame},
        {{"crop", "crop(A, n [, m] | A, top, bottom, left, right)",
          "pad undone: n rows off top and bottom, n (or m) columns off each side"},
         2,
         5,
         fn_planned,
         1,
         plan_frame},
        {{"dilate", "dilate(A, s)", "A with s - 1 zeros between neighbouring entries"},
         2,
         2,
         fn_planned,
         0,
         plan_dilate},
        {{"entry", "entry(A, i, j)",
          "the entry in row i, column j of A (1-based), as A(i, j)"},
         3,
         3,
         fn_planned,
         0,
         plan_entry},
        {{"rows", "rows(A)", "the number of rows of A"}, 1, 1, fn_shape, 0, NULL},
        {{"cols", "cols(A)", "the number of columns of A"}, 1, 1, fn_shape, 1, NULL},
        {{"down", "down(A, n [, 'sum'|'mean'|'max'] [, 'stride', s])",
          "pooling over n x n blocks (s apart); 'sum' by default, as Bouvrie"},
         2,
         5,
         fn_planned,
         1,
         plan_pool},
        {{"up", "up(A, n [, 'sum'|'mean'])", "kron(A, ones(n)); times 1/n^2 with 'mean'"},
         2,
         3,
         fn_planned,
         0,
         plan_pool},
        {{"unpool", "unpool(D, X, n [, 'stride', s] [, 'assign'])",
          "max pooling's backward step: each entry of D to its window's largest in X"},
         3,
         6,
         fn_planned,
         0,
         plan_unpool},
        {{"kron", "kron(A, B)", "the Kronecker product"},
         2,
         2,
         fn_planned,
         BI_KRON,
         plan_binary},
        {{"hadamard", "hadamard(A, B)", "the element-wise product, the same as A .* B"},
         2,
         2,
         fn_planned,
         BI_HADAMARD,
         plan_binary},
        ACT("sigmoid", DV_ACT_SIGMOID),
        ACT("tanh", DV_ACT_TANH),
        ACT("relu", DV_ACT_RELU),
        ACT("identity", DV_ACT_IDENTITY),
        {{"exp", "exp(X)", "e to the power of each entry (numbers only)"},
         1,
         1,
         fn_activation,
         DV_ACT_EXP * 2,
         NULL},
        {{"log", "log(X)",
          "the natural logarithm of each entry, which must be positive "
          "(numbers only)"},
         1,
         1,
         fn_activation,
         DV_ACT_LOG * 2,
         NULL},
        {{"f", "f(X)", "the notes' activation f, as a symbol: f(x11), ..."},
         1,
         1,
         fn_activation,
         DV_ACT_ABSTRACT * 2,
         NULL},
        {{"df", "df(X)", "its derivative f', as a symbol: f'(x11), ..."},
         1,
         1,
         fn_activation,
         DV_ACT_ABSTRACT * 2 + 1,
         NULL},
        {{"sym", "sym(rows, cols, 'x')",
          "a matrix of symbols x11, x12, ... (1x1: the scalar x)"},
         3,
         3,
         fn_sym,
         0,
         NULL},
        {{"grad", "grad(E, X)",
          "dE/dx for every entry x of X: exact on symbols, central differences on "
          "numbers"},
         2,
         2,
         fn_grad,
         0,
         NULL},
        {{"equal", "equal(A, B [, tol])",
          "whether A = B: exactly for symbols; for numbers holds, fails or "
          "inconclusive by their error bounds (MPFR where doubles cannot decide)"},
         2,
         3,
         fn_equal,
         0,
         NULL},
        {{"rand", "rand(n [, m])", "uniform random numbers in [0, 1) (seeded by --seed)"},
         1,
         2,
         fn_make,
         MK_RAND,
         NULL},
        {{"randn", "randn(n [, m])", "standard normal random numbers (seeded by --seed)"},
         1,
         2,
         fn_make,
         MK_RANDN,
         NULL},
        {{"zeros", "zeros(n [, m])", "a matrix of zeros"}, 1, 2, fn_make, MK_ZEROS, NULL},
        {{"ones", "ones(n [, m])", "a matrix of ones"}, 1, 2, fn_make, MK_ONES, NULL},
        {{"eye", "eye(n [, m])", "the identity matrix"}, 1, 2, fn_make, MK_EYE, NULL},
};

#define NBUILTINS (sizeof builtins / sizeof builtins[0])

static const builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].info.name, name) == 0)
			return &builtins[i];
	return NULL;
}

/*
 * What a plan of the call is built from, as a key: the function, the
 * arguments' shapes, the numbers of its 1 x 1 arguments (counts, strides;
 * when `numbers`) and its options.  0 when it has none to be kept under.
 */
static int key_of(plan_key *k, uint64_t op, const dv_value *args, size_t nargs,
                  int numbers)
{
	size_t big = 0;

	memset(k, 0, sizeof *k);
	if (nargs > PLAN_KEY_ARGS)
		return 0;
	k->w[0] = op;
	k->w[1] = nargs;
	for (size_t i = 0; i < nargs; i++) {
		const dv_value *v = &args[i];
		uint64_t *w = &k->w[2 + 4 * i];
		double x, bound;
		w[0] = (uint64_t)v->kind;
		if (v->kind == DV_V_STR) {
			size_t len = strlen(v->str);
			if (len > 2 * sizeof(uint64_t))
				return 0;
			memcpy(&w[1], v->str, len);
		} else if (v->kind == DV_V_MAT) {
			w[1] = v->mat->rows;
			w[2] = v->mat->cols;
			if (dv_mat_len(v->mat) > big)
				big = dv_mat_len(v->mat);
			if (numbers && dv_mat_is_scalar(v->mat) &&
			    dv_mat_scalar_number(v->mat, &x, &bound)) {
				w[0] |= 1u << 8; /* the number is part of it */
				memcpy(&w[3], &x, sizeof x);
			}
		} else {
			return 0;
		}
	}
	return big >= PLAN_CACHE_MIN_ENTRIES;
}

int dv_eval_call_plan(dv_plan **out, int *by_numbers, const dv_node *call, dv_value *args,
                      size_t nargs, dv_env *env, dv_diag *d)
{
	const builtin *b = builtin_of(call);
	plan_key key;
	int rc, keyed;

	*out = NULL;
	*by_numbers = 0;
	if (b == NULL || b->plan == NULL)
		return DV_OK;
	keyed = env != NULL && key_of(&key, (uint64_t)(b - builtins), args, nargs, 1);
	if (keyed && (*out = cache_find(env, &key)) != NULL)
		return DV_OK;
	rc = b->plan(out, by_numbers, args, nargs, call, b->param, d);
	if (rc == DV_OK && keyed && *by_numbers == DV_BY_SHAPES)
		cache_keep(env, &key, *out);
	return rc;
}

int dv_eval_call_activation(const dv_node *call, const dv_env *env, dv_act *act,
                            int *deriv)
{
	const builtin *b = builtin_of(call);

	if (b == NULL || b->fn != fn_activation)
		return 0;
	*act = (dv_act)(b->param / 2);
	*deriv = b->param % 2;
	if (*act == DV_ACT_ABSTRACT)
		*act = env->f_is;
	return 1;
}

int dv_eval_call_is_shape(const dv_node *call)
{
	const builtin *b = builtin_of(call);
	return b != NULL && b->fn == fn_shape;
}

const dv_field *dv_env_numbers(const dv_env *env)
{
	return env->numbers;
}

const dv_node *dv_env_definition(const dv_env *env, const char *name)
{
	const binding *b = find_binding(env, name);
	return b != NULL ? b->def : NULL;
}

int dv_eval_is_function(const char *name)
{
	return find_builtin(name) != NULL;
}

const dv_function_info *dv_eval_functions(void)
{
	static dv_function_info list[NBUILTINS + 1];
	for (size_t i = 0; i < NBUILTINS; i++)
		list[i] = builtins[i].info;
	list[NBUILTINS] = (dv_function_info){NULL, NULL, NULL};
	return list;
}

/* The closest known function or matrix name, if close enough. */
static const char *closest_name(const dv_env *env, const char *name, int functions)
{
	const char *best = NULL;
	size_t best_d = strlen(name) <= 3 ? 2 : 3; /* one more than allowed */
	for (size_t i = 0; functions && i < NBUILTINS; i++) {
		size_t dist = dv_edit_distance(name, builtins[i].info.name);
		if (dist < best_d) {
			best = builtins[i].info.name;
			best_d = dist;
		}
	}
	for (size_t i = 0; !functions && i < env->nvars; i++) {
		size_t dist = dv_edit_distance(name, env->vars[i].name);
		if (dist < best_d && dist < strlen(name)) {
			best = env->vars[i].name;
			best_d = dist;
		}
	}
	return best;
}

/* ---- evaluation ------------------------------------------------------- */

static int eval_call(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	const builtin *b = builtin_of(n);
	dv_value *args = NULL;
	int rc = DV_OK;
	size_t borrowed = 0;

	if (b == NULL) {
		const char *hint = closest_name(env, n->text, 1);
		if (find_binding(env, n->text) != NULL)
			return dv_fail_at(d, DV_E_NAME, n->line, n->column,
			                  "'%s' is a matrix, not a function (verify has "
			                  "no indexing)",
			                  n->text);
		if (hint != NULL)
			return dv_fail_at(d, DV_E_NAME, n->line, n->column,
			                  "unknown function '%s' (did you mean '%s'?)",
			                  n->text, hint);
		return dv_fail_at(d, DV_E_NAME, n->line, n->column,
		                  "unknown function '%s'", n->text);
	}
	if (n->nkids < b->min_args || n->nkids > b->max_args) {
		if (b->min_args == b->max_args)
			return dv_fail_at(d, DV_E_ARGS, n->line, n->column,
			                  "%s takes %zu argument%s but was given %zu "
			                  "(usage: %s)",
			                  b->info.name, b->min_args,
			                  b->min_args == 1 ? "" : "s", n->nkids,
			                  b->info.usage);
		return dv_fail_at(d, DV_E_ARGS, n->line, n->column,
		                  "%s takes %zu to %zu arguments but was given %zu "
		                  "(usage: %s)",
		                  b->info.name, b->min_args, b->max_args, n->nkids,
		                  b->info.usage);
	}
	args = calloc(n->nkids, sizeof *args);
	if (args == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	if (b->plan == plan_entry && n->kids[0]->kind == DV_N_NAME) {
		/* entry(X, i, j) of a name: X read where it is kept, not copied
		 * (an index form reads thousands of entries of one matrix) */
		binding *v = binding_named(env, n->kids[0]->text);
		dv_mat *m = v == NULL          ? NULL
		            : v->def == NULL   ? v->mat
		            : v->era == env->era ? v->value
		                                 : NULL;
		if (m != NULL) {
			args[0].kind = DV_V_MAT;
			args[0].mat = m;
			borrowed = 1;
		}
	}
	for (size_t i = borrowed; i < n->nkids && rc == DV_OK; i++)
		rc = dv_eval(&args[i], n->kids[i], env, d);
	if (rc == DV_OK) {
		rc = b->fn(out, args, n->nkids, n, env, d);
		if (rc != DV_OK) {
			char prefix[64];
			snprintf(prefix, sizeof prefix, "%s: ", b->info.name);
			dv_diag_locate(d, n->line, n->column);
			dv_diag_prefix(d, prefix);
		}
	}
	if (borrowed)
		args[0].mat = NULL; /* the binding's own */
	for (size_t i = 0; i < n->nkids; i++)
		dv_value_clear(&args[i]);
	free(args);
	return rc;
}

/* What copying m costs: its entries, and a polynomial's terms. */
static double copy_work(const dv_mat *m)
{
	double w = (double)dv_mat_len(m);
	if (m->field->weight != NULL)
		for (size_t i = 0; i < dv_mat_len(m); i++)
			w += (double)m->field->weight(m->field, dv_mat_at(m, i));
	return w;
}

static int eval_name(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	binding *b = binding_named(env, n->text);
	const char *hint;
	dv_mat *copy = NULL;
	int rc;

	if (b != NULL && b->def != NULL) {
		unsigned long era = env->era;
		if (b->value != NULL && b->era == era) {
			if ((rc = dv_budget_charge(copy_work(b->value), d)) != DV_OK)
				return rc;
			rc = dv_mat_copy(&copy, b->value, d);
			return give_mat(out, copy, rc);
		}
		if (b->busy)
			return dv_fail_at(d, DV_E_ARGS, n->line, n->column,
			                  "the definition of '%s' uses itself", n->text);
		if (env->depth >= MAX_DEFINE_DEPTH)
			return dv_fail_at(d, DV_E_LIMIT, n->line, n->column,
			                  "definitions nest more than %d deep here (the "
			                  "limit), at '%s'",
			                  MAX_DEFINE_DEPTH, n->text);
		env->depth++;
		b->busy = 1;
		rc = dv_eval(out, b->def, env, d);
		env->depth--;
		if ((b = binding_named(env, n->text)) != NULL)
			b->busy = 0;
		/* kept for the next use while nothing it depends on changes; a
		 * value that cannot be kept is only worked out again */
		if (rc == DV_OK && out->kind == DV_V_MAT && env->era == era &&
		    (b = binding_named(env, n->text)) != NULL &&
		    dv_mat_copy(&copy, out->mat, NULL) == DV_OK) {
			dv_mat_free(b->value);
			b->value = copy;
			b->era = era;
		}
		return rc;
	}
	if (b != NULL) {
		/* a name's value is a copy: its entries count as work */
		if ((rc = dv_budget_charge(copy_work(b->mat), d)) != DV_OK)
			return rc;
		rc = dv_mat_copy(&copy, b->mat, d);
		return give_mat(out, copy, rc);
	}
	if (strcmp(n->text, "Inf") == 0 || strcmp(n->text, "inf") == 0 ||
	    strcmp(n->text, "NaN") == 0 || strcmp(n->text, "nan") == 0)
		return dv_fail_at(d, DV_E_DOMAIN, n->line, n->column,
		                  "'%s' is not a finite number; verify works with finite "
		                  "numbers",
		                  n->text);
	if (find_builtin(n->text) != NULL)
		return dv_fail_at(d, DV_E_NAME, n->line, n->column,
		                  "'%s' is a function: call it as %s", n->text,
		                  find_builtin(n->text)->info.usage);
	{
		/* an option written without its quotes: conv(X, K, full) */
		static const char *const options[] = {"valid", "full", "same", "stride",
		                                      "pad",   "sum",  "mean", "max"};
		for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
			if (strcmp(n->text, options[i]) == 0)
				return unknown_name(
				        d, n->text,
				        dv_fail_at(d, DV_E_NAME, n->line, n->column,
				                   "unknown name '%s' (an option is a "
				                   "string: '%s')",
				                   n->text, n->text));
	}
	hint = closest_name(env, n->text, 0);
	if (hint != NULL)
		return unknown_name(d, n->text,
		                    dv_fail_at(d, DV_E_NAME, n->line, n->column,
		                               "unknown name '%s' (did you mean '%s'?)",
		                               n->text, hint));
	return unknown_name(d, n->text,
	                    dv_fail_at(d, DV_E_NAME, n->line, n->column,
	                               "unknown name '%s'", n->text));
}

/*
 * [a b; c d]: every entry evaluated, the shapes checked, then the whole
 * matrix filled in one pass (joining block by block made a literal of n
 * entries cost n^2).
 */
static int eval_matrix(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	dv_value *vals = NULL;
	dv_mat *whole = NULL;
	const dv_field *f = &dv_field_double;
	size_t rows = 0, cols = 0, k = 0, bounded = 0;
	int rc = DV_OK;

	if (n->nkids == 0)
		return dv_fail_at(d, DV_E_SHAPE, n->line, n->column,
		                  "an empty matrix [] has no entries");
	vals = calloc(n->nkids, sizeof *vals);
	if (vals == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n->nkids && rc == DV_OK; i++) {
		rc = dv_eval(&vals[i], n->kids[i], env, d);
		if (rc == DV_OK)
			rc = need_mat(&vals[i], n->kids[i], "an entry", d);
		if (rc == DV_OK && !dv_mat_is_double(vals[i].mat))
			f = vals[i].mat->field;
		if (rc == DV_OK)
			bounded |= vals[i].mat->bound != NULL;
	}
	/* the shapes: blocks of a row share their rows, rows their width */
	for (size_t r = 0; r < n->nrows && rc == DV_OK; r++) {
		size_t first = k, height = vals[k].mat->rows, width = 0;
		for (size_t j = 0; j < n->row_len[r] && rc == DV_OK; j++, k++) {
			const dv_mat *m = vals[k].mat;
			if (m->rows != height)
				rc = dv_fail_at(
				        d, DV_E_SHAPE, n->kids[k]->line,
				        n->kids[k]->column,
				        "blocks side by side with %zu and %zu rows",
				        height, m->rows);
			else if (m->field != f && !dv_mat_is_double(m))
				rc = dv_fail_at(
				        d, DV_E_ARGS, n->kids[k]->line,
				        n->kids[k]->column,
				        "internal: entries of two kinds of symbols");
			width += m->cols;
		}
		if (rc == DV_OK && r > 0 && width != cols)
			rc = dv_fail_at(d, DV_E_SHAPE, n->kids[first]->line,
			                n->kids[first]->column,
			                "rows of different lengths: %zu and %zu columns",
			                cols, width);
		cols = width;
		rows += height;
	}
	if (rc == DV_OK)
		rc = dv_mat_new(&whole, f, rows, cols, d);
	if (rc == DV_OK && bounded && dv_mat_is_double(whole))
		rc = dv_mat_track(whole, d);
	/* the entries, block by block */
	k = 0;
	for (size_t r = 0, top = 0; r < n->nrows && rc == DV_OK; r++) {
		size_t left = 0, height = vals[k].mat->rows;
		for (size_t j = 0; j < n->row_len[r] && rc == DV_OK; j++, k++) {
			const dv_mat *m = vals[k].mat;
			for (size_t i = 0; i < m->rows && rc == DV_OK; i++) {
				for (size_t c = 0; c < m->cols && rc == DV_OK; c++) {
					size_t from = i * m->cols + c;
					size_t to = (top + i) * cols + left + c;
					void *dst = dv_mat_at(whole, to);
					if (m->field == f)
						rc = f->copy(f, dst, dv_mat_at(m, from),
						             d);
					else
						rc = f->from_double(
						        f, dst, dv_mat_get(m, from), d);
					if (rc == DV_OK && f->set_bound != NULL &&
					    m->field != f)
						f->set_bound(f, dst,
						             dv_mat_bound_at(m, from),
						             dv_mat_scale_at(m, from));
					if (rc == DV_OK && whole->bound != NULL) {
						whole->bound[to] =
						        dv_mat_bound_at(m, from);
						whole->scale[to] =
						        dv_mat_scale_at(m, from);
					}
				}
			}
			left += m->cols;
		}
		top += height;
	}
	for (size_t i = 0; i < n->nkids; i++)
		dv_value_clear(&vals[i]);
	free(vals);
	if (rc != DV_OK) {
		dv_mat_free(whole);
		return rc;
	}
	return give_mat(out, whole, DV_OK);
}

static int divide(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_diag *d)
{
	double v, ev;
	if (!dv_mat_is_scalar(b))
		return dv_fail(d, DV_E_SHAPE,
		               "the divisor must be a number but is a %zux%zu matrix",
		               b->rows, b->cols);
	if (b->field->constant != NULL) {
		/* an exact constant p/q: a / (p/q) is (q/p) a, exactly */
		dv_coef c;
		if (!b->field->constant(b->field, b->data, &c))
			return dv_fail(d, DV_E_ARGS,
			               "the divisor must be a number, not symbolic");
		if (c.num == 0)
			return dv_fail(d, DV_E_DOMAIN, "division by zero");
		if (c.num == LLONG_MIN)
			return dv_fail(d, DV_E_LIMIT,
			               "a coefficient grew beyond 64 bits");
		return dv_op_scale(out, a, c.num > 0 ? c.den : -c.den,
		                   c.num > 0 ? c.num : -c.num, d);
	}
	if (!dv_mat_scalar_number(b, &v, &ev))
		return dv_fail(d, DV_E_ARGS,
		               "the divisor must be a number, not symbolic");
	if (v == 0.0)
		return dv_fail(d, DV_E_DOMAIN, "division by zero");
	if (v == floor(v) && fabs(v) <= 9007199254740992.0 && ev == 0.0)
		/* Exact for every field: a / n is (1/n) a. */
		return dv_op_scale(out, a, v > 0 ? 1 : -1, (long long)fabs(v), d);
	{
		/* 1/b in b's own field (MPFR keeps its precision) and its bound */
		dv_mat *inv = NULL;
		int rc = dv_op_activate(&inv, b, DV_ACT_RECIP, 0, d);
		if (rc == DV_OK)
			rc = dv_op_matmul(out, inv, a, d);
		dv_mat_free(inv);
		return rc;
	}
}

static int power(dv_mat **out, const dv_mat *a, const dv_mat *b, dv_tok_kind op,
                 dv_diag *d)
{
	double e, eb;
	if (op == DV_T_CARET && !dv_mat_is_scalar(a))
		return dv_fail(d, DV_E_SHAPE,
		               "powers of a %zux%zu matrix are not supported (use .^ for "
		               "powers entry by entry)",
		               a->rows, a->cols);
	if (!dv_mat_scalar_number(b, &e, &eb))
		e = -1.0;
	if (e != floor(e) || e < 0 || e > 64)
		return dv_fail(d, DV_E_DOMAIN,
		               "the exponent must be a whole number from 0 to 64");
	return dv_op_power(out, a, (unsigned)e, d);
}

static int build_binary_plan(dv_plan **out, const dv_node *n, const dv_mat *l,
                             const dv_mat *r, dv_diag *d)
{
	switch (n->op) {
	case DV_T_PLUS:
	case DV_T_MINUS:
		return dv_plan_add(out, l->rows, l->cols, r->rows, r->cols,
		                   n->op == DV_T_PLUS ? 1 : -1, d);
	case DV_T_STAR:
		return dv_plan_matmul(out, l->rows, l->cols, r->rows, r->cols, d);
	case DV_T_DOTSTAR:
	case DV_T_HADAMARD:
		return dv_plan_hadamard(out, l->rows, l->cols, r->rows, r->cols, d);
	default:
		return DV_OK;
	}
}

int dv_eval_binary_plan(dv_plan **out, const dv_node *n, const dv_mat *l, const dv_mat *r,
                        dv_env *env, dv_diag *d)
{
	/* an operator's key: its token after the builtins, its operands' shapes */
	dv_value args[2] = {{DV_V_MAT, (dv_mat *)l, NULL, NULL, {0}},
	                    {DV_V_MAT, (dv_mat *)r, NULL, NULL, {0}}};
	plan_key key;
	int rc, keyed;

	*out = NULL;
	/* the numbers of a 1 x 1 operand do not make an operator's plan */
	keyed = env != NULL && key_of(&key, NBUILTINS + (uint64_t)n->op, args, 2, 0);
	if (keyed && (*out = cache_find(env, &key)) != NULL)
		return DV_OK;
	rc = build_binary_plan(out, n, l, r, d);
	if (rc == DV_OK && keyed && *out != NULL)
		cache_keep(env, &key, *out);
	return rc;
}

static int eval_binary(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	dv_value l = {0}, r = {0};
	dv_plan *p = NULL;
	dv_mat *m = NULL;
	char what[64];
	int rc;

	snprintf(what, sizeof what, "the left side of '%s'", dv_op_text(n->op));
	if ((rc = dv_eval(&l, n->kids[0], env, d)) != DV_OK ||
	    (rc = need_mat(&l, n->kids[0], what, d)) != DV_OK)
		goto out;
	snprintf(what, sizeof what, "the right side of '%s'", dv_op_text(n->op));
	if ((rc = dv_eval(&r, n->kids[1], env, d)) != DV_OK ||
	    (rc = need_mat(&r, n->kids[1], what, d)) != DV_OK)
		goto out;
	if ((rc = dv_eval_binary_plan(&p, n, l.mat, r.mat, env, d)) == DV_OK && p != NULL)
		rc = dv_op_run(&m, p, l.mat, r.mat, d);
	else if (rc == DV_OK && n->op == DV_T_SLASH)
		rc = divide(&m, l.mat, r.mat, d);
	else if (rc == DV_OK)
		rc = power(&m, l.mat, r.mat, n->op, d);
	dv_plan_free(p);
	if (rc != DV_OK && d != NULL && d->line == 0) {
		char prefix[16];
		snprintf(prefix, sizeof prefix, "'%s': ", dv_op_text(n->op));
		dv_diag_prefix(d, prefix);
		dv_diag_locate(d, n->line, n->column);
	}
	rc = give_mat(out, m, rc);
out:
	dv_value_clear(&l);
	dv_value_clear(&r);
	return rc;
}

static int eval_node(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d);

/*
 * How deep evaluation may recurse: a tree is at most DV_MAX_DEPTH deep,
 * but definitions inside definitions add up.
 */
#define MAX_EVAL_DEPTH 4000

int dv_eval(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	int rc;

	if (env->stack >= MAX_EVAL_DEPTH) {
		memset(out, 0, sizeof *out);
		return dv_fail_at(d, DV_E_LIMIT, n->line, n->column,
		                  "evaluation goes more than %d levels deep (the limit): "
		                  "definitions nest too deeply",
		                  MAX_EVAL_DEPTH);
	}
	/* a node's own cost (its value's allocation, a call's arguments) */
	if ((rc = dv_budget_charge(DV_BUDGET_NODE, d)) != DV_OK) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	env->stack++;
	rc = eval_node(out, n, env, d);
	env->stack--;
	return rc;
}

/* Whether the number literal n is a double exactly (1, 0.5, 1e3; not 0.1). */
static int literal_is_exact(const dv_node *n)
{
	mpfr_t t;
	int inexact;
	if (n->number == floor(n->number) && fabs(n->number) < 0x1p53)
		return 1;
	mpfr_init2(t, 53);
	/* mpfr_strtofr gives the ternary value (mpfr_set_str does not) */
	inexact = mpfr_strtofr(t, n->text, NULL, 10, MPFR_RNDN);
	mpfr_clear(t);
	return inexact == 0;
}

static int eval_node(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d)
{
	dv_value v = {0};
	dv_mat *m = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	switch (n->kind) {
	case DV_N_NUM:
		/* a literal is exact in whatever field the numbers are in */
		if (env->exact != NULL) {
			/* as written: 0.1 is 1/10, not the double nearest it */
			sym_rat c;
			if ((rc = sym_rat_from_text(&c, n->text, d)) != DV_OK)
				dv_diag_locate(d, n->line, n->column);
			else if ((rc = dv_mat_new(&m, env->exact, 1, 1, d)) == DV_OK)
				rc = sym_poly_const((sym_poly **)m->data, c, d);
		} else if (env->numbers == &dv_field_double) {
			rc = dv_mat_from_doubles(&m, 1, 1, &n->number, d);
			/* 0.1 is not a double: the literal carries the distance */
			if (rc == DV_OK && !literal_is_exact(n) &&
			    (rc = dv_mat_track(m, d)) == DV_OK)
				m->bound[0] = DV_UNIT_ROUNDOFF * fabs(n->number) * (1.0 + 0x1p-50);
		} else if ((rc = dv_mat_new(&m, env->numbers, 1, 1, d)) == DV_OK) {
			rc = env->numbers->from_double(env->numbers, dv_mat_at(m, 0),
			                               n->number, d);
			if (rc == DV_OK && dv_field_bits(env->numbers) > 0) {
				/* the literal as written, at the field's precision */
				dv_ball *b = dv_ball_at(m, 0);
				if (mpfr_strtofr(b->mid, n->text, NULL, 10, MPFR_RNDN) != 0)
					b->rad = ldexp(fabs(n->number),
					               1 - (int)dv_field_bits(env->numbers));
				else
					b->rad = 0.0;
			}
		}
		return give_mat(out, m, rc);
	case DV_N_STR:
		out->str = strdup(n->text);
		if (out->str == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		out->kind = DV_V_STR;
		return DV_OK;
	case DV_N_NAME:
		return eval_name(out, n, env, d);
	case DV_N_CALL:
		return eval_call(out, n, env, d);
	case DV_N_MATRIX:
		return eval_matrix(out, n, env, d);
	case DV_N_BINARY:
		return eval_binary(out, n, env, d);
	case DV_N_NEGATE:
	case DV_N_TRANSPOSE:
		if ((rc = dv_eval(&v, n->kids[0], env, d)) != DV_OK)
			return rc;
		rc = need_mat(&v, n->kids[0],
		              n->kind == DV_N_NEGATE ? "the operand of '-'"
		                                     : "the operand of '''",
		              d);
		if (rc == DV_OK && n->kind == DV_N_NEGATE)
			rc = dv_op_scale(&m, v.mat, -1, 1, d);
		else if (rc == DV_OK)
			rc = dv_op_transpose(&m, v.mat, d);
		dv_value_clear(&v);
		return give_mat(out, m, rc);
	}
	return dv_fail(d, DV_E_ARGS, "internal: unknown node");
}

int dv_eval_mat(dv_mat **out, const dv_node *n, dv_env *env, dv_diag *d)
{
	dv_value v;
	int rc = dv_eval(&v, n, env, d);

	*out = NULL;
	if (rc != DV_OK)
		return rc;
	if (v.kind != DV_V_MAT) {
		dv_value_clear(&v);
		return dv_fail_at(d, DV_E_ARGS, n->line, n->column,
		                  "expected a matrix, not a string or a check");
	}
	*out = v.mat;
	return DV_OK;
}

int dv_eval_string(dv_value *out, const char *src, dv_env *env, dv_diag *d)
{
	dv_node *tree = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = dv_parse(&tree, src, d)) != DV_OK)
		return rc;
	rc = dv_eval(out, tree, env, d);
	dv_node_free(tree);
	if (rc == DV_OK && out->kind == DV_V_MAT && dv_mat_is_double(out->mat)) {
		/* symbolic results are exact and need no such check */
		const dv_mat *m = out->mat;
		for (size_t i = 0; i < dv_mat_len(m); i++) {
			if (!isfinite(dv_mat_get(m, i))) {
				rc = dv_fail(d, DV_E_DOMAIN,
				             "the result is not finite at (%zu,%zu): the "
				             "numbers overflowed",
				             i / m->cols + 1, i % m->cols + 1);
				dv_value_clear(out);
				break;
			}
		}
	}
	return rc;
}
