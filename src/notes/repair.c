/*
 * repair: the standard repairs of a formula that fails -- the kernel
 * rotated, convolution and cross-correlation exchanged, another mode, a
 * missing β, f' or 1/n², a derivative for a quantity, an index swap --
 * each tried on a copy, the first that makes the formula hold reported.
 */
#include "notes/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "expr/parser.h"
#include "sym/poly.h"

enum {
	REP_ROT_KERNEL,
	REP_CONV_XCORR,
	REP_MODE,
	REP_TRANSPOSE,
	REP_MODE_SAME,
	REP_BETA,
	REP_FPRIME,
	REP_MEAN,
	REP_DERIV,
	REP_ROT_TARGET,
	REP_INDEX_SWAP,
	NREPAIRS
};

static const char *const repair_names[NREPAIRS] = {
        "the kernel rotated by 180°",
        "convolution and cross-correlation exchanged",
        "another mode ('valid' and 'full' exchanged, 'full' for 'same')",
        "a transpose replaced by rot180",
        "another mode ('same' for 'full' or 'valid', 'valid' for 'same')",
        "the missing factor β",
        "the missing factor f'(net)",
        "the factor 1/n² of mean pooling",
        "the derivative ∂E/∂ in place of the quantity",
        "the kernel rotated by 180° on the left (∂E/∂K is the right side rotated)",
        "the two indices of an entry swapped",
};

static tex_node *make(tex_kind kind, const char *text, tex_node *a, tex_node *b,
                      const tex_node *at);

static int is_kernel(const scene *sc, const tex_node *n);

static tex_node **nth_slot(tex_node **slot, size_t *k);

static size_t count_nodes(const tex_node *n);

static int is_edit(int which);

static int swappable(const tex_node *n);

static int edit_applies(const tex_node *n, int which, const scene *sc);

static int edit_at(tex_node **slot, int which, const scene *sc);

static tex_node *layer_script(int add, const tex_node *at);

static tex_node *times_group(tex_node *factor, tex_node *c, int first, tex_op op,
                             const tex_node *at);

static tex_node *wrap_side(const tex_node *rhs, int which, const char *arg);

static int repair_holds(const outcome *o, repair *rep, int which);

static tex_node *derivative_of(const tex_node *lhs);

tex_node *node_copy(const tex_node *n)
{
	tex_node *c;
	if (n == NULL)
		return NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	*c = *n;
	c->text = NULL;
	c->kids = NULL;
	c->nkids = 0;
	c->sub = c->sup = NULL;
	if ((n->text != NULL && (c->text = notes_dup(n->text)) == NULL) ||
	    (n->sub != NULL && (c->sub = node_copy(n->sub)) == NULL) ||
	    (n->sup != NULL && (c->sup = node_copy(n->sup)) == NULL))
		goto fail;
	if (n->nkids > 0) {
		if ((c->kids = calloc(n->nkids, sizeof *c->kids)) == NULL)
			goto fail;
		for (size_t i = 0; i < n->nkids; i++, c->nkids++)
			if ((c->kids[i] = node_copy(n->kids[i])) == NULL)
				goto fail;
	}
	return c;
fail:
	tex_node_free(c);
	return NULL;
}

static tex_node *make(tex_kind kind, const char *text, tex_node *a, tex_node *b,
                      const tex_node *at)
{
	tex_node *n = calloc(1, sizeof *n);
	size_t k = (size_t)(a != NULL) + (size_t)(b != NULL);
	if (n == NULL || (text != NULL && (n->text = notes_dup(text)) == NULL) ||
	    (k > 0 && (n->kids = calloc(k, sizeof *n->kids)) == NULL)) {
		if (n != NULL)
			free(n->text);
		free(n);
		tex_node_free(a);
		tex_node_free(b);
		return NULL;
	}
	n->kind = kind;
	n->line = at->line;
	n->column = at->column;
	if (a != NULL)
		n->kids[n->nkids++] = a;
	if (b != NULL)
		n->kids[n->nkids++] = b;
	return n;
}

/* Whether symbol node n is a kernel of the scene (its matrix's symbols are k). */
static int is_kernel(const scene *sc, const tex_node *n)
{
	char name[96];
	resolver R = {0};
	const char *layer;
	if (n->kind != TX_SYM || (layer = layer_of(n->sup)) == NULL)
		return 0;
	R.sc = (scene *)sc;
	snprintf(name, sizeof name, "%s%s", n->text, layer);
	for (size_t i = 0; i < sc->nlines; i++)
		if (strcmp(sc->lines[i].name, name) == 0)
			return sc->lines[i].var && strcmp(sc->lines[i].letter, "k") == 0;
	(void)R;
	return 0;
}

/*
 * The k-th node of the tree in preorder, for edits in place; *count gets
 * the number of nodes.
 */
static tex_node **nth_slot(tex_node **slot, size_t *k)
{
	tex_node *n = *slot;
	if (n == NULL)
		return NULL;
	if ((*k)-- == 0)
		return slot;
	for (size_t i = 0; i < n->nkids; i++) {
		tex_node **s = nth_slot(&n->kids[i], k);
		if (s != NULL)
			return s;
	}
	return NULL;
}

static size_t count_nodes(const tex_node *n)
{
	size_t c = 1;
	if (n == NULL)
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		c += count_nodes(n->kids[i]);
	return c;
}

/* The repairs made by an edit at one node of the right side. */
static int is_edit(int which)
{
	return which <= REP_MODE_SAME || which == REP_INDEX_SWAP;
}

/* The two indices of an entry written in n, as digits or numbers: k_{21},
 * k_{2,1}, k21; 0 if n is no entry whose indices differ. */
static int swappable(const tex_node *n)
{
	const tex_node *s = n->sub;
	if (n->kind != TX_SYM && n->kind != TX_GROUP)
		return 0;
	if (n->kind == TX_SYM && s == NULL && strlen(n->text) == 3 &&
	    isalpha((unsigned char)n->text[0]) && isdigit((unsigned char)n->text[1]) &&
	    isdigit((unsigned char)n->text[2]))
		return n->text[1] != n->text[2];
	if (s == NULL)
		return 0;
	if (s->kind == TX_NUM && strlen(s->text) == 2 && isdigit((unsigned char)s->text[0]) &&
	    isdigit((unsigned char)s->text[1]))
		return s->text[0] != s->text[1];
	return s->kind == TX_LIST && s->nkids == 2 && s->kids[0]->kind == TX_NUM &&
	       s->kids[1]->kind == TX_NUM && strcmp(s->kids[0]->text, s->kids[1]->text) != 0;
}

/* Whether repair `which` would change node n (without changing it). */
static int edit_applies(const tex_node *n, int which, const scene *sc)
{
	switch (which) {
	case REP_ROT_KERNEL:
		return is_kernel(sc, n);
	case REP_CONV_XCORR:
		return (n->kind == TX_CALL &&
		        (strcmp(n->text, "conv2") == 0 || strcmp(n->text, "conv") == 0 ||
		         strcmp(n->text, "xcorr") == 0)) ||
		       (n->kind == TX_MUL && n->op == TX_STAR);
	case REP_MODE:
	case REP_MODE_SAME:
		return n->kind == TX_STR;
	case REP_INDEX_SWAP:
		return swappable(n);
	case REP_TRANSPOSE:
		return (n->kind == TX_CALL && strcmp(n->text, "transpose") == 0) ||
		       ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
		        n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0);
	default:
		return 0;
	}
}

static int edit_at(tex_node **slot, int which, const scene *sc)
{
	tex_node *n = *slot, *w;
	switch (which) {
	case REP_ROT_KERNEL:
		if (!is_kernel(sc, n))
			return 0;
		if ((w = make(TX_CALL, "rot180", n, NULL, n)) == NULL)
			return -1;
		*slot = w;
		return 1;
	case REP_CONV_XCORR:
		if (n->kind == TX_CALL &&
		    (strcmp(n->text, "conv2") == 0 || strcmp(n->text, "conv") == 0)) {
			free(n->text);
			return (n->text = notes_dup("xcorr")) != NULL ? 1 : -1;
		}
		if (n->kind == TX_CALL && strcmp(n->text, "xcorr") == 0) {
			free(n->text);
			return (n->text = notes_dup("conv2")) != NULL ? 1 : -1;
		}
		if (n->kind == TX_MUL && n->op == TX_STAR) {
			tex_node *call = make(TX_CALL, "xcorr", n->kids[0], n->kids[1], n);
			if (call == NULL)
				return -1;
			n->nkids = 0;
			tex_node_free(n);
			*slot = call;
			return 1;
		}
		return 0;
	case REP_MODE:
	case REP_MODE_SAME:
		if (n->kind == TX_STR) {
			const char *to;
			if (which == REP_MODE)
				to = strcmp(n->text, "full") == 0 ? "valid" : "full";
			else
				to = strcmp(n->text, "same") == 0 ? "valid" : "same";
			free(n->text);
			return (n->text = notes_dup(to)) != NULL ? 1 : -1;
		}
		return 0;
	case REP_INDEX_SWAP: {
		tex_node *sub = n->sub;
		char t;
		if (!swappable(n))
			return 0;
		if (sub == NULL) { /* k21 */
			t = n->text[1];
			n->text[1] = n->text[2];
			n->text[2] = t;
		} else if (sub->kind == TX_NUM) {
			t = sub->text[0];
			sub->text[0] = sub->text[1];
			sub->text[1] = t;
		} else {
			tex_node *k = sub->kids[0];
			sub->kids[0] = sub->kids[1];
			sub->kids[1] = k;
		}
		return 1;
	}
	case REP_TRANSPOSE:
		if (n->kind == TX_CALL && strcmp(n->text, "transpose") == 0) {
			free(n->text);
			return (n->text = notes_dup("rot180")) != NULL ? 1 : -1;
		}
		if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
		    n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0) {
			tex_node_free(n->sup);
			n->sup = NULL;
			if ((w = make(TX_CALL, "rot180", n, NULL, n)) == NULL)
				return -1;
			*slot = w;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* A repaired copy of the right side by a whole-side repair. */
/* l+1 (add) or l-1 as a superscript; NULL when out of memory. */
static tex_node *layer_script(int add, const tex_node *at)
{
	tex_node *l = make(TX_SYM, "l", NULL, NULL, at);
	tex_node *one = l != NULL ? make(TX_NUM, "1", NULL, NULL, at) : NULL;
	if (one == NULL) {
		tex_node_free(l);
		return NULL;
	}
	return make(add ? TX_ADD : TX_SUB, NULL, l, one, at);
}

/* factor and (c) multiplied with op, the factor first or last; both are
 * freed when either is missing or memory runs out. */
static tex_node *times_group(tex_node *factor, tex_node *c, int first, tex_op op,
                             const tex_node *at)
{
	tex_node *g, *f;
	if (factor == NULL || c == NULL) {
		tex_node_free(factor);
		tex_node_free(c);
		return NULL;
	}
	if ((g = make(TX_GROUP, NULL, c, NULL, at)) == NULL) {
		tex_node_free(factor);
		return NULL;
	}
	g->op = TX_STAR;
	f = first ? make(TX_MUL, NULL, factor, g, at) : make(TX_MUL, NULL, g, factor, at);
	if (f != NULL)
		f->op = op;
	return f;
}

/* The right side with a missing factor put in: β(...), (...) ∘ f'(net),
 * \frac{1}{4}(...). */
static tex_node *wrap_side(const tex_node *rhs, int which, const char *arg)
{
	tex_node *c = node_copy(rhs), *k = NULL, *n = NULL;
	if (c == NULL)
		return NULL;
	switch (which) {
	case REP_BETA: /* β, or β^{l+1} for beta_next */
		k = make(TX_SYM, "beta", NULL, NULL, rhs);
		if (k != NULL && arg[0] != '\0' && (k->sup = layer_script(1, rhs)) == NULL) {
			tex_node_free(k);
			k = NULL;
		}
		return times_group(k, c, 1, TX_JUXT, rhs);
	case REP_FPRIME: /* f'(net), f'(net^{l+1}), f'(net^{l-1}) */
		n = make(TX_SYM, "net", NULL, NULL, rhs);
		if (n != NULL && arg[0] != '\0' &&
		    (n->sup = layer_script(strcmp(arg, "_next") == 0, rhs)) == NULL) {
			tex_node_free(n);
			n = NULL;
		}
		if (n != NULL && (k = make(TX_CALL, "f", n, NULL, rhs)) != NULL)
			k->primes = 1;
		return times_group(k, c, 0, TX_CIRC, rhs);
	case REP_MEAN: /* 1/4 */
		n = make(TX_NUM, "1", NULL, NULL, rhs);
		if (n != NULL && (k = make(TX_NUM, "4", NULL, NULL, rhs)) == NULL)
			tex_node_free(n);
		else if (n != NULL)
			k = make(TX_FRAC, NULL, n, k, rhs);
		return times_group(k, c, 1, TX_JUXT, rhs);
	default:
		tex_node_free(c);
		return NULL;
	}
}

/* * written as the reading that made a repair hold: ∘, or xcorr(a, b). */
int rewrite_stars(tex_node **slot, int star)
{
	tex_node *n = *slot;
	if (n == NULL)
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (rewrite_stars(&n->kids[i], star) != 0)
			return -1;
	if (n->kind == TX_MUL && n->op == TX_STAR) {
		if (star == STAR_HADAMARD) {
			n->op = TX_CIRC;
		} else {
			tex_node *call = make(TX_CALL, "xcorr", n->kids[0], n->kids[1], n);
			if (call == NULL)
				return -1;
			n->nkids = 0;
			tex_node_free(n);
			*slot = call;
		}
	}
	return 0;
}

static int repair_holds(const outcome *o, repair *rep, int which)
{
	if (o->verdict == NOTES_HOLDS) {
		snprintf(rep->what, sizeof rep->what, "%s", repair_names[which]);
		return 1;
	}
	if (o->held_otherwise) {
		snprintf(rep->what, sizeof rep->what, "%s, and * as %s",
		         repair_names[which], star_name(o->star));
		rep->star = o->star;
		return 1;
	}
	return 0;
}

/* 1 if a and b are written the same, 0 if not, -1 out of memory. */
static int same_formula(const tex_node *a, const tex_node *b)
{
	dv_strbuf sa, sb;
	int same;
	dv_strbuf_init(&sa);
	dv_strbuf_init(&sb);
	tex_node_latex(&sa, a);
	tex_node_latex(&sb, b);
	same = sa.failed || sb.failed ? -1
	                              : sa.len == sb.len &&
	                                    (sa.len == 0 || memcmp(sa.s, sb.s, sa.len) == 0);
	dv_strbuf_free(&sa);
	dv_strbuf_free(&sb);
	return same;
}

/* ∂E/∂lhs for a lhs that is a variable: "b = Σ δ" meant ∂E/∂b. */
static tex_node *derivative_of(const tex_node *lhs)
{
	tex_node *e = make(TX_SYM, "E", NULL, NULL, lhs);
	tex_node *pe = e != NULL ? make(TX_PARTIAL, NULL, e, NULL, lhs) : NULL;
	tex_node *x = node_copy(lhs);
	tex_node *px = x != NULL ? make(TX_PARTIAL, NULL, x, NULL, lhs) : NULL;
	if (pe == NULL || px == NULL) {
		tex_node_free(pe);
		tex_node_free(px);
		if (px == NULL)
			tex_node_free(x);
		return NULL;
	}
	return make(TX_FRAC, NULL, pe, px, lhs);
}

/*
 * Searches the standard repairs for one that makes lhs = rhs hold in sc.
 * On success *rep has the repaired sides (owned by the caller).
 */
int search_repairs(notes_run *N, scene *sc, const tex_node *lhs,
                          const tex_node *rhs, int line, int column, repair *rep,
                          dv_diag *d)
{
	size_t nodes = count_nodes(rhs), tried = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	if (nodes > NOTES_MAX_REPAIR_NODES)
		return DV_OK; /* too large a formula to search */
	for (int which = 0; which < NREPAIRS; which++) {
		size_t tries = is_edit(which) ? nodes : 1;
		for (size_t k = 0; k < tries; k++) {
			tex_node *l = NULL, *r = NULL;
			outcome o = {0};
			if (is_edit(which)) {
				size_t idx = k, probe = k;
				tex_node *orig = (tex_node *)rhs, **slot;
				int e;
				slot = nth_slot(&orig, &probe);
				if (slot == NULL || !edit_applies(*slot, which, sc))
					continue;
				if (++tried > NOTES_MAX_REPAIRS)
					return DV_OK;
				if ((r = node_copy(rhs)) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				slot = nth_slot(&r, &idx);
				e = slot != NULL ? edit_at(slot, which, sc) : 0;
				if (e <= 0) {
					tex_node_free(r);
					if (e < 0)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					continue;
				}
			} else if (which == REP_BETA || which == REP_FPRIME) {
				/* β or f' of each layer the scene has */
				static const char *const layers[] = {"", "_next"};
				for (size_t li = 0; li < 2 && r == NULL; li++) {
					char name[32];
					snprintf(name, sizeof name, "%s%s",
					         which == REP_BETA ? "beta" : "net", layers[li]);
					if (scene_find(sc, name) == NULL)
						continue;
					r = wrap_side(rhs, which, layers[li]);
					if (r == NULL)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					rc = decide_in(N, sc, lhs, r, line, column, &o, d);
					if (rc != DV_OK) {
						tex_node_free(r);
						return rc;
					}
					if (repair_holds(&o, rep, which)) {
						outcome_clear(&o);
						break;
					}
					outcome_clear(&o);
					tex_node_free(r);
					r = NULL;
				}
				if (r == NULL)
					continue;
				rep->lhs = node_copy(lhs);
				rep->rhs = r;
				return DV_OK;
			} else if (which == REP_MEAN) {
				if ((r = wrap_side(rhs, which, "")) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
			} else if (which == REP_ROT_TARGET) {
				/* ∂E/∂(K)_{r,s} = ...: the right side is the gradient of
				 * the kernel rotated, rot180(K) on the left */
				size_t n = count_nodes(lhs), done = 0;
				if (strip(lhs)->kind != TX_FRAC || n > NOTES_MAX_REPAIR_NODES)
					continue;
				for (size_t idx = 0; idx < n && done == 0; idx++) {
					tex_node *probe = (tex_node *)lhs, **slot;
					size_t at = idx;
					int e;
					slot = nth_slot(&probe, &at);
					if (slot == NULL || !is_kernel(sc, *slot))
						continue;
					if ((l = node_copy(lhs)) == NULL)
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					at = idx;
					slot = nth_slot(&l, &at);
					e = slot != NULL ? edit_at(slot, REP_ROT_KERNEL, sc) : 0;
					if (e < 0) {
						tex_node_free(l);
						return dv_fail(d, DV_E_NOMEM, "out of memory");
					}
					if (e == 0) {
						tex_node_free(l);
						l = NULL;
						continue;
					}
					done = 1;
				}
				if (l == NULL)
					continue;
			} else if (which == REP_DERIV) {
				const tex_node *s = strip(lhs);
				char name[96];
				scene_line *sl;
				if (s->kind != TX_SYM || layer_of(s->sup) == NULL)
					continue;
				snprintf(name, sizeof name, "%s%s", s->text, layer_of(s->sup));
				if ((sl = scene_find(sc, name)) == NULL || !sl->var)
					continue;
				if ((l = derivative_of(lhs)) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
			rc = decide_in(N, sc, l != NULL ? l : lhs, r != NULL ? r : rhs, line,
			               column, &o, d);
			if (rc != DV_OK) {
				tex_node_free(l);
				tex_node_free(r);
				return rc;
			}
			/* rot180(K) = K "repaired" as rot180(K) = rot180(K) is no
			 * repair: a formula that says nothing holds trivially */
			if (o.verdict == NOTES_HOLDS &&
			    (rc = same_formula(l != NULL ? l : lhs, r != NULL ? r : rhs)) != 0) {
				outcome_clear(&o);
				tex_node_free(l);
				tex_node_free(r);
				if (rc < 0)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				continue;
			}
			if (repair_holds(&o, rep, which)) {
				outcome_clear(&o);
				rep->lhs = l != NULL ? l : node_copy(lhs);
				rep->rhs = r != NULL ? r : node_copy(rhs);
				return DV_OK;
			}
			outcome_clear(&o);
			tex_node_free(l);
			tex_node_free(r);
		}
	}
	return DV_OK;
}
