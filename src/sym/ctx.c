#include "sym/ctx.h"
#include "core/budget.h"

#include <stdlib.h>
#include <string.h>

typedef struct sym_field {
	dv_field base;
	sym_ctx *ctx;
} sym_field;

typedef struct claimed {
	char name[SYM_NAME_MAX];
	size_t rows, cols;
} claimed;

struct sym_ctx {
	sym_field field;
	sym_atom *atoms;
	size_t natoms, cap;
	uint32_t *slots; /* open addressing: atom number + 1, 0 for empty */
	size_t nslots;
	claimed *names;
	size_t nnames;
};

static const dv_field poly_field_template;

size_t sym_ctx_atoms(const sym_ctx *ctx)
{
	return ctx->natoms;
}

const sym_atom *sym_ctx_atom(const sym_ctx *ctx, uint32_t id)
{
	return id < ctx->natoms ? &ctx->atoms[id] : NULL;
}

void sym_poly_symbols(const sym_ctx *ctx, const sym_poly *p, uint32_t *ids, size_t *n,
                      size_t max)
{
	for (size_t i = 0; i < sym_poly_len(p); i++) {
		for (uint32_t k = 0; k < p->t[i].deg; k++) {
			uint32_t id = p->t[i].atom[k];
			const sym_atom *a = sym_ctx_atom(ctx, id);
			int known = 0;
			if (a->kind == SYM_APPLY) {
				sym_poly_symbols(ctx, a->arg, ids, n, max);
				continue;
			}
			for (size_t j = 0; j < *n && !known; j++)
				known = ids[j] == id;
			if (!known && *n < max)
				ids[(*n)++] = id;
		}
	}
}

const dv_field *sym_ctx_field(sym_ctx *ctx)
{
	return &ctx->field.base;
}

sym_ctx *sym_field_ctx(const dv_field *f)
{
	if (f == NULL || f->fma != poly_field_template.fma)
		return NULL;
	return ((const sym_field *)f)->ctx;
}

int sym_ctx_new(sym_ctx **out, dv_diag *d)
{
	sym_ctx *ctx = calloc(1, sizeof *ctx);
	*out = NULL;
	if (ctx == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	ctx->field.base = poly_field_template;
	ctx->field.ctx = ctx;
	ctx->nslots = 256;
	ctx->slots = calloc(ctx->nslots, sizeof *ctx->slots);
	if (ctx->slots == NULL) {
		free(ctx);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	*out = ctx;
	return DV_OK;
}

void sym_ctx_free(sym_ctx *ctx)
{
	if (ctx == NULL)
		return;
	for (size_t i = 0; i < ctx->natoms; i++)
		sym_poly_free(ctx->atoms[i].arg);
	free(ctx->atoms);
	free(ctx->slots);
	free(ctx->names);
	free(ctx);
}

static uint64_t atom_hash(const sym_atom *a)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = a->name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ (uint64_t)a->kind) * 1099511628211ull;
	h = (h ^ a->row) * 1099511628211ull;
	h = (h ^ a->col) * 1099511628211ull;
	h = (h ^ (uint64_t)a->act) * 1099511628211ull;
	h = (h ^ a->deriv) * 1099511628211ull;
	return h ^ (a->kind == SYM_APPLY ? sym_poly_hash(a->arg) : 0);
}

static int atom_same(const sym_atom *a, const sym_atom *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 && a->row == b->row &&
	       a->col == b->col && a->act == b->act && a->deriv == b->deriv &&
	       (a->kind != SYM_APPLY || sym_poly_equal(a->arg, b->arg));
}

static int rehash(sym_ctx *ctx, dv_diag *d)
{
	size_t n = ctx->nslots * 2;
	uint32_t *slots = calloc(n, sizeof *slots);
	if (slots == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < ctx->natoms; i++) {
		size_t s = (size_t)atom_hash(&ctx->atoms[i]) & (n - 1);
		while (slots[s] != 0)
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(ctx->slots);
	ctx->slots = slots;
	ctx->nslots = n;
	return DV_OK;
}

/* The number of `key`, added (with a copy of its argument) if new. */
static int intern(uint32_t *id, sym_ctx *ctx, const sym_atom *key, dv_diag *d)
{
	size_t s = (size_t)atom_hash(key) & (ctx->nslots - 1);
	sym_atom a;
	int rc;

	for (; ctx->slots[s] != 0; s = (s + 1) & (ctx->nslots - 1)) {
		if (atom_same(&ctx->atoms[ctx->slots[s] - 1], key)) {
			*id = ctx->slots[s] - 1;
			return DV_OK;
		}
	}
	if (ctx->natoms >= UINT32_MAX / 2)
		return dv_fail(d, DV_E_LIMIT, "too many atoms");
	if (ctx->natoms == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 64;
		sym_atom *atoms = realloc(ctx->atoms, cap * sizeof *atoms);
		if (atoms == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		ctx->atoms = atoms;
		ctx->cap = cap;
	}
	a = *key;
	a.arg = NULL;
	if (key->kind == SYM_APPLY && (rc = sym_poly_copy(&a.arg, key->arg, d)) != DV_OK)
		return rc;
	ctx->atoms[ctx->natoms] = a;
	ctx->slots[s] = (uint32_t)ctx->natoms + 1;
	*id = (uint32_t)ctx->natoms++;
	if (ctx->natoms * 2 > ctx->nslots)
		return rehash(ctx, d);
	return DV_OK;
}

const char *sym_map_label(const char *name)
{
	const char *us = strrchr(name, '_'), *s;
	if (us == NULL || us == name || us[1] == '\0' ||
	    !((us[-1] >= 'a' && us[-1] <= 'z') || (us[-1] >= 'A' && us[-1] <= 'Z')))
		return NULL;
	for (s = us + 1; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return NULL;
	return us + 1;
}

static int valid_name(const char *name, dv_diag *d)
{
	const char *label = sym_map_label(name);
	size_t n = strlen(name);
	if (n == 0 || n >= SYM_NAME_MAX)
		return dv_fail(d, DV_E_ARGS,
		               "a symbol name has 1 to %d letters, not '%s'",
		               SYM_NAME_MAX - 1, name);
	/* the letters, up to the map label's '_' */
	if (label != NULL)
		n = (size_t)(label - 1 - name);
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z')))
			return dv_fail(d, DV_E_ARGS,
			               "a symbol name has letters only (the indices "
			               "follow it), not '%s'",
			               name);
	return DV_OK;
}

/* The atom of an entry (row, col >= 1) or, with row 0, of a scalar. */
static int atom_named(uint32_t *id, sym_ctx *ctx, const char *name, uint32_t row,
                      uint32_t col, dv_diag *d)
{
	sym_atom key;
	int rc;
	if ((rc = valid_name(name, d)) != DV_OK)
		return rc;
	memset(&key, 0, sizeof key);
	key.kind = row == 0 ? SYM_SCALAR : SYM_ENTRY;
	strcpy(key.name, name);
	key.row = row;
	key.col = col;
	return intern(id, ctx, &key, d);
}

int sym_atom_entry(uint32_t *id, sym_ctx *ctx, const char *name, uint32_t row,
                   uint32_t col, dv_diag *d)
{
	return atom_named(id, ctx, name, row, col, d);
}

int sym_atom_scalar(uint32_t *id, sym_ctx *ctx, const char *name, dv_diag *d)
{
	return atom_named(id, ctx, name, 0, 0, d);
}

int sym_atom_apply(uint32_t *id, sym_ctx *ctx, dv_act act, uint32_t deriv,
                   const sym_poly *arg, dv_diag *d)
{
	sym_atom key;
	memset(&key, 0, sizeof key);
	key.kind = SYM_APPLY;
	strcpy(key.name, dv_act_name(act));
	key.act = act;
	key.deriv = deriv;
	key.arg = (sym_poly *)arg;
	if (arg != NULL && arg->n == 0)
		key.arg = NULL;
	return intern(id, ctx, &key, d);
}

int sym_ctx_matrix(dv_mat **out, sym_ctx *ctx, const char *name, size_t rows, size_t cols,
                   dv_diag *d)
{
	const dv_field *f = sym_ctx_field(ctx);
	dv_mat *m = NULL;
	claimed *names;
	int rc;

	*out = NULL;
	if ((rc = valid_name(name, d)) != DV_OK)
		return rc;
	if (rows == 0 || cols == 0 || rows > SYM_MAX_SIDE || cols > SYM_MAX_SIDE)
		return dv_fail(d, DV_E_LIMIT,
		               "a %zux%zu matrix of symbols is outside 1x1 to %dx%d (its "
		               "tables would be too large to read)",
		               rows, cols, SYM_MAX_SIDE, SYM_MAX_SIDE);
	for (size_t i = 0; i < ctx->nnames; i++) {
		const claimed *c = &ctx->names[i];
		if (strcmp(c->name, name) == 0)
			return dv_fail(
			        d, DV_E_ARGS,
			        "the symbols '%s' already belong to a %zux%zu matrix; "
			        "two matrices cannot share them (use another name)",
			        name, c->rows, c->cols);
	}
	names = realloc(ctx->names, (ctx->nnames + 1) * sizeof *names);
	if (names == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	ctx->names = names;
	strcpy(names[ctx->nnames].name, name);
	names[ctx->nnames].rows = rows;
	names[ctx->nnames].cols = cols;
	ctx->nnames++;
	if ((rc = dv_mat_new(&m, f, rows, cols, d)) != DV_OK)
		return rc;
	for (size_t i = 0; i < rows && rc == DV_OK; i++) {
		for (size_t j = 0; j < cols && rc == DV_OK; j++) {
			uint32_t id;
			rc = rows == 1 && cols == 1
			             ? sym_atom_scalar(&id, ctx, name, d)
			             : sym_atom_entry(&id, ctx, name, (uint32_t)i + 1,
			                              (uint32_t)j + 1, d);
			if (rc == DV_OK)
				rc = sym_poly_atom(dv_mat_at(m, i * cols + j), id, d);
		}
	}
	if (rc != DV_OK) {
		dv_mat_free(m);
		return rc;
	}
	*out = m;
	return DV_OK;
}

/* ---- the polynomial field -------------------------------------------- */

static sym_poly **slot(void *e)
{
	return (sym_poly **)e;
}

static sym_poly *value(const void *e)
{
	return e == NULL ? NULL : *(sym_poly *const *)e;
}

static void poly_zero(const dv_field *f, void *e)
{
	(void)f;
	*slot(e) = NULL;
}

static void poly_clear(const dv_field *f, void *e)
{
	(void)f;
	sym_poly_free(*slot(e));
	*slot(e) = NULL;
}

static int poly_copy(const dv_field *f, void *dst, const void *src, dv_diag *d)
{
	sym_poly *p = NULL;
	int rc = sym_poly_copy(&p, value(src), d);
	(void)f;
	if (rc != DV_OK)
		return rc;
	sym_poly_free(*slot(dst));
	*slot(dst) = p;
	return DV_OK;
}

static int poly_fma(const dv_field *f, void *acc, const dv_coef *c, const void *x,
                    const void *y, dv_diag *d)
{
	static const sym_poly zero = {0, 0, NULL};
	sym_rat r = {c->num, c->den};
	(void)f;
	/* An element that is NULL is the zero polynomial, not the 1 that a
	 * NULL operand of sym_poly_fma stands for. */
	return sym_poly_fma_defer(slot(acc), r,
	                          x == NULL  ? NULL
	                          : value(x) ? value(x)
	                                     : &zero,
	                          y == NULL  ? NULL
	                          : value(y) ? value(y)
	                                     : &zero,
	                          d);
}

static int poly_finish(const dv_field *f, void *acc, dv_diag *d)
{
	(void)f;
	return sym_poly_canon(*slot(acc), d);
}

static int poly_set(void *dst, sym_poly *p)
{
	sym_poly_free(*slot(dst));
	*slot(dst) = p;
	return DV_OK;
}

int sym_act_poly(sym_poly **out, sym_ctx *ctx, dv_act act, uint32_t deriv,
                 const sym_poly *arg, dv_diag *d)
{
	sym_poly *s = NULL, *p = NULL;
	uint32_t id;
	int rc;

	*out = NULL;
	if (act == DV_ACT_RELU && deriv > 0)
		return dv_fail(
		        d, DV_E_SYMBOLIC,
		        "relu's derivative jumps at 0, so it has no exact symbolic "
		        "form (use numbers)");
	if (act == DV_ACT_EXP || act == DV_ACT_LOG || act == DV_ACT_RECIP)
		return dv_fail(d, DV_E_SYMBOLIC,
		               "no exact symbolic form of %s here (the canonical form "
		               "holds polynomials of sigmoid and tanh); use numbers",
		               dv_act_name(act));
	if (act != DV_ACT_SIGMOID && act != DV_ACT_TANH) {
		if ((rc = sym_atom_apply(&id, ctx, act, deriv, arg, d)) != DV_OK)
			return rc;
		return sym_poly_atom(out, id, d);
	}
	if ((rc = sym_atom_apply(&id, ctx, act, 0, arg, d)) != DV_OK ||
	    (rc = sym_poly_atom(&s, id, d)) != DV_OK)
		return rc;
	if (deriv == 0) {
		*out = s;
		return DV_OK;
	}
	if (deriv > 1) {
		sym_poly_free(s);
		return dv_fail(d, DV_E_SYMBOLIC,
		               "the %u-th derivative of %s has no exact form here", deriv,
		               dv_act_name(act));
	}
	/* s' = s - s^2, t' = 1 - t^2 */
	if (act == DV_ACT_SIGMOID)
		rc = sym_poly_fma(&p, (sym_rat){1, 1}, s, NULL, d);
	else
		rc = sym_poly_const(&p, (sym_rat){1, 1}, d);
	if (rc == DV_OK)
		rc = sym_poly_fma(&p, (sym_rat){-1, 1}, s, s, d);
	sym_poly_free(s);
	if (rc != DV_OK) {
		sym_poly_free(p);
		return rc;
	}
	*out = p;
	return DV_OK;
}

static int poly_activate(const dv_field *f, void *dst, const void *src, dv_act act,
                         int deriv, dv_diag *d)
{
	sym_ctx *ctx = sym_field_ctx(f);
	const sym_poly *x = value(src);
	sym_poly *p = NULL;
	sym_rat c;
	uint32_t id;
	int rc;

	if (act == DV_ACT_IDENTITY) {
		if (deriv)
			rc = sym_poly_const(&p, (sym_rat){1, 1}, d);
		else
			rc = sym_poly_copy(&p, x, d);
		return rc == DV_OK ? poly_set(dst, p) : rc;
	}
	if (act == DV_ACT_RELU && sym_poly_is_const(x, &c)) {
		if (deriv && c.num == 0)
			return dv_fail(
			        d, DV_E_SYMBOLIC,
			        "relu has no derivative at 0: no exact symbolic form");
		rc = sym_poly_const(&p,
		                    deriv ? (sym_rat){c.num > 0, 1}
		                          : (c.num > 0 ? c : (sym_rat){0, 1}),
		                    d);
		return rc == DV_OK ? poly_set(dst, p) : rc;
	}
	if (act == DV_ACT_RELU && deriv)
		return dv_fail(
		        d, DV_E_SYMBOLIC,
		        "relu's derivative jumps at 0, so it has no exact symbolic "
		        "form (use numbers)");
	(void)id;
	if ((rc = sym_act_poly(&p, ctx, act, (uint32_t)deriv, x, d)) != DV_OK)
		return rc;
	return poly_set(dst, p);
}

static int poly_from_double(const dv_field *f, void *dst, double v, dv_diag *d)
{
	sym_rat r;
	sym_poly *p = NULL;
	int rc = sym_rat_from_double(&r, v, d);
	(void)f;
	if (rc == DV_OK)
		rc = sym_poly_const(&p, r, d);
	return rc == DV_OK ? poly_set(dst, p) : rc;
}

static int poly_constant(const dv_field *f, const void *e, dv_coef *c)
{
	sym_rat r;
	(void)f;
	if (!sym_poly_is_const(value(e), &r))
		return 0;
	c->num = r.num;
	c->den = r.den;
	c->value = (double)r.num / (double)r.den;
	return 1;
}

static size_t poly_weight(const dv_field *f, const void *e)
{
	(void)f;
	return sym_poly_len(value(e));
}

static const dv_field poly_field_template = {
        .name = "polynomial",
        .size = sizeof(sym_poly *),
        .zero = poly_zero,
        .clear = poly_clear,
        .copy = poly_copy,
        .fma = poly_fma,
        .finish = poly_finish,
        .activate = poly_activate,
        .from_double = poly_from_double,
        .exact = 1,
        .weight = poly_weight,
        .constant = poly_constant,
};

/* ---- whether a polynomial's atoms can be told apart ---------------------- */

typedef struct arg_term {
	const sym_term *t;
	size_t row;
} arg_term;

static int arg_term_cmp(const void *a, const void *b)
{
	return sym_monomial_cmp(((const arg_term *)a)->t, ((const arg_term *)b)->t);
}

/*
 * Whether the n polynomials args[] are linearly independent over the
 * rationals once their constant terms are dropped: Gaussian elimination
 * on their coefficients, monomial by monomial.  0 also when the work
 * would be large or a coefficient outgrows 64 bits (not known: not sure).
 */
static int independent(const sym_poly *const *args, size_t n)
{
	arg_term *all = NULL;
	sym_rat *m = NULL;
	size_t nterms = 0, ncols = 0, rank = 0;
	int ok = 0;

	for (size_t i = 0; i < n; i++)
		nterms += sym_poly_len(args[i]);
	if (n == 0)
		return 1;
	if (nterms == 0 || (all = calloc(nterms, sizeof *all)) == NULL)
		return 0;
	nterms = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sym_poly_len(args[i]); k++)
			if (args[i]->t[k].deg > 0)
				all[nterms++] = (arg_term){&args[i]->t[k], i};
	qsort(all, nterms, sizeof *all, arg_term_cmp);
	for (size_t k = 0; k < nterms; k++)
		if (k == 0 || arg_term_cmp(&all[k - 1], &all[k]) != 0)
			ncols++;
	if (ncols < n || n * ncols > ((size_t)1 << 22) ||
	    (m = calloc(n * ncols, sizeof *m)) == NULL)
		goto out;
	for (size_t i = 0; i < n * ncols; i++)
		m[i] = (sym_rat){0, 1};
	for (size_t k = 0, col = 0; k < nterms; k++) {
		if (k > 0 && arg_term_cmp(&all[k - 1], &all[k]) != 0)
			col++;
		m[all[k].row * ncols + col] = all[k].t->c;
	}
	for (size_t col = 0; col < ncols && rank < n; col++) {
		size_t p = rank;
		while (p < n && m[p * ncols + col].num == 0)
			p++;
		if (p == n)
			continue;
		for (size_t c = 0; c < ncols; c++) {
			sym_rat t = m[p * ncols + c];
			m[p * ncols + c] = m[rank * ncols + c];
			m[rank * ncols + c] = t;
		}
		for (size_t r = rank + 1; r < n; r++) {
			sym_rat f = m[r * ncols + col], q;
			if (f.num == 0)
				continue;
			/* the work as it is done: a row of the elimination */
			if (dv_budget_charge((double)(ncols - col), NULL) != DV_OK)
				goto out;
			/* row r -= (f / pivot) row rank */
			if (sym_rat_mul(&q, f, (sym_rat){m[rank * ncols + col].den,
			                                  m[rank * ncols + col].num},
			                NULL) != DV_OK)
				goto out;
			if (q.den < 0)
				q = (sym_rat){-q.num, -q.den};
			for (size_t c = col; c < ncols; c++) {
				sym_rat prod;
				if (sym_rat_mul(&prod, q, m[rank * ncols + c], NULL) != DV_OK)
					goto out;
				prod.num = -prod.num;
				if (sym_rat_add(&m[r * ncols + c], m[r * ncols + c], prod,
				                NULL) != DV_OK)
					goto out;
			}
		}
		rank++;
	}
	ok = rank == n;
out:
	free(all);
	free(m);
	return ok;
}

/* Notes atom id in the set `slots` (2 * cap slots of id + 1, 0 empty; its
 * members also listed in seen[0..*nseen)); 0 when cap atoms are there. */
static int note_atom(uint32_t *slots, uint32_t *seen, size_t *nseen, size_t cap, uint32_t id)
{
	size_t h = ((size_t)id * 2654435761u) % (2 * cap);
	while (slots[h] != 0) {
		if (slots[h] == id + 1)
			return 1;
		h = (h + 1) % (2 * cap);
	}
	if (*nseen == cap)
		return 0;
	slots[h] = id + 1;
	seen[(*nseen)++] = id;
	return 1;
}

int sym_ctx_surely_differ(const sym_ctx *ctx, const sym_poly *a, const sym_poly *b,
                          int *out, dv_diag *d)
{
	enum { CAP = 4096 };
	uint32_t *seen = malloc(CAP * sizeof *seen), *slots = calloc(2 * CAP, sizeof *slots);
	const sym_poly **args = malloc(CAP * sizeof *args);
	size_t nseen = 0, nargs = 0, nconst = 0;
	const sym_poly *both[2] = {a, b};
	int sure = seen != NULL && args != NULL && slots != NULL, rc;

	*out = 0;
	/* the work: each term of both looked at once */
	if ((rc = dv_budget_charge((double)(sym_poly_len(a) + sym_poly_len(b)), d)) != DV_OK)
		sure = 0;
	for (size_t s = 0; s < 2 && sure; s++)
		for (size_t k = 0; k < sym_poly_len(both[s]) && sure; k++)
			for (uint32_t j = 0; j < both[s]->t[k].deg && sure; j++)
				sure = note_atom(slots, seen, &nseen, CAP, both[s]->t[k].atom[j]);
	for (size_t i = 0; i < nseen && sure; i++) {
		const sym_atom *at = &ctx->atoms[seen[i]];
		sym_rat c;
		if (at->kind != SYM_APPLY || at->act == DV_ACT_ABSTRACT)
			continue; /* entries, scalars and the notes' f are free */
		if (at->act != DV_ACT_SIGMOID && at->act != DV_ACT_TANH) {
			sure = 0; /* relu(x) - relu(-x) = x, and the like */
			break;
		}
		/* s(p) and t(p) are rational in e^p and e^2p: what matters is
		 * whether the exponents are rationally independent */
		for (size_t k = 0; k < sym_poly_len(at->arg) && sure; k++)
			for (uint32_t j = 0; j < at->arg->t[k].deg && sure; j++)
				sure = ctx->atoms[at->arg->t[k].atom[j]].kind != SYM_APPLY;
		if (!sure)
			break;
		if (sym_poly_is_const(at->arg, &c)) {
			/* e^r is transcendental for a rational r other than 0
			 * (Lindemann), but two such are related */
			sure = c.num != 0 && ++nconst == 1;
			continue;
		}
		args[nargs++] = at->arg;
	}
	if (sure)
		sure = independent(args, nargs);
	/* an elimination cut short by the budget is not sure, and says why */
	if (rc == DV_OK && dv_budget_spent())
		rc = dv_budget_charge(0.0, d);
	free(seen);
	free(slots);
	free(args);
	*out = rc == DV_OK && sure;
	return rc;
}
