#include "expr/fd.h"
#include "core/budget.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>

#include "core/ops.h"
#include "core/mpfr_field.h"
#include "core/plan.h"
#include "expr/precise.h"

/*
 * GSL's first step, relative to the entry.  The local differences keep
 * their relative accuracy at any step, so the step need not be large to
 * beat rounding: a small one makes the truncation error negligible at
 * once, and GSL, seeing its rounding estimate above its truncation
 * estimate, takes no second, refined round of four evaluations.  A loss
 * with a part evaluated whole differences values of that part, whose
 * rounding grows as 1/step: there the usual balance of 1e-5 is kept.
 */
#define FD_STEP 1e-10
#define FD_WHOLE_STEP 1e-5

/*
 * GSL's central rule asks for the change at four steps, -h, +h, -h/2 and
 * +h/2: they are computed together, one lane each, in one walk of what the
 * entry reaches.
 */
#define LANES ((size_t)4)
/*
 * Bounds are carried in the two outer lanes, +-h, only: the inner points
 * are nearer, and a change's rounding bound grows with the size of its
 * terms, so the outer lanes' bound covers them (a part evaluated whole
 * gives its outer lane the larger bound of the two).
 */
#define BOUNDED_LANES ((size_t)2)

/* How deep definitions may use each other, as in the evaluator. */
#define MAX_DEPTH 64

/*
 * An entry or a term of a plan: matrices hold at most DV_MAX_ENTRIES
 * entries and plans DV_MAX_TERMS terms, both below 2^32, and half the
 * width of size_t halves what the index tables of a large convolution
 * bring into memory.
 */
typedef uint32_t gidx;
_Static_assert(DV_MAX_TERMS < UINT32_MAX && DV_MAX_ENTRIES < UINT32_MAX,
               "plan indices fit in 32 bits");

/*
 * A term as the moving operand of a one-sided plan node sees it: the
 * output it adds to, and in `at` the other operand's entry plus one (0 for
 * none) above the coefficient's index.  The moving loop reads these in
 * order, one record a term, where the term itself and its output lie
 * anywhere in two tables.
 */
typedef struct feed {
	gidx out, at;
} feed;
#define FEED_COEF_BITS 3
_Static_assert(DV_PLAN_MAX_COEFS <= (1 << FEED_COEF_BITS) &&
                       DV_MAX_ENTRIES < (UINT32_MAX >> FEED_COEF_BITS),
               "a feed's fields hold every entry and coefficient index");

typedef enum gkind {
	G_CONST, /* does not depend on the variable */
	G_VAR,   /* the variable itself */
	G_PLAN,  /* a plan over one or two operands */
	G_ACT,   /* an activation, entry by entry */
	G_POW,   /* A .^ n, entry by entry */
	G_MAX,   /* max pooling: the largest entry of each block */
	G_WHOLE, /* anything else: evaluated whole with the variable moved */
} gkind;

/*
 * The change of one entry of a node when the variable's entry moves, lane
 * by lane: v at the lane's step; in the bounded lanes, e its rounding
 * bound, s its scale, m the sum of |terms| it was added from; k counts
 * those terms (the same in every lane).  An inner lane is the outer lane
 * of the same sign halved (lane l and lane l - BOUNDED_LANES): where its
 * bound is needed, to see a kink, the outer lane's is taken.
 */
typedef struct delta {
	double v[LANES], e[BOUNDED_LANES], s[BOUNDED_LANES], m[BOUNDED_LANES];
	size_t k;
} delta;

/* The bounded lane whose bound covers lane l. */
#define OUTER(l) ((l) % BOUNDED_LANES)

typedef struct gnode gnode;
struct gnode {
	gkind kind;
	const dv_node *src;
	dv_mat *value; /* at the unmoved variable, with bounds */
	gnode *kid[2];
	dv_plan *plan;
	/*
	 * G_PLAN: for operand s, entry i feeds the terms rterm[s][rstart[s][i]..]
	 * and term_out[t] is the output of term t; where only operand s moves,
	 * feeds[rstart[s][i]..] stand for both.
	 */
	gidx *rstart[2], *rterm[2];
	gidx *term_out;
	feed *feeds;
	dv_act act;
	int deriv;
	unsigned power;
	size_t pool;     /* G_MAX: the window size */
	size_t stride;   /* G_MAX: how far apart the windows are */
	double cost;     /* G_WHOLE: about what one evaluation of it costs */
	dv_act_aux *aux; /* G_ACT: dv_act_change_aux of each unmoved entry */
	/*
	 * The change of one evaluation, kept compact: entry changed[c] changed
	 * by d[c], and slot[o] is c + 1 for a changed entry o, 0 for the rest.
	 * An entry feeds only a few others, so what one evaluation touches
	 * stays in a few cache lines, and clearing it clears only those.
	 */
	delta *d;
	gidx *slot, *changed;
	size_t nchanged;
	/*
	 * This evaluation's changes are linear in the step: lane 1 is lane 0
	 * negated, lanes 2 and 3 lane 0 halved, exactly as they would be
	 * computed (rounding to nearest is symmetric, and halving commutes
	 * with it away from underflow, where the derived lanes are closer to
	 * the truth than computed ones: half the outer lane's error).  Such a
	 * node's users compute lane 0 alone and derive the rest.
	 */
	int lin;
};

typedef struct graph {
	gnode **nodes; /* every operand before its users */
	size_t n, cap;
	dv_env *env;
	const char *var;
	dv_mat *x;  /* the environment's own numbers of var */
	int whole;  /* some node is evaluated whole */
	int rough;  /* a node evaluated whole has a kink (relu, max) inside */
	int kinked; /* the last change crossed a kink or a pole: FD_KINK, FD_POLE */
	dv_diag *d;
	/* whether each definition met so far uses the variable */
	struct moves {
		const dv_node *def;
		int moves;
	} *moves;
	size_t nmoves, capmoves;
} graph;

/* What the last change crossed, where a derivative may not exist. */
enum { FD_KINK = 1, FD_POLE = 2 };

/* Why an entry whose change crossed `kinked` is not trusted. */
static const char *kink_why(int kinked, int smallest)
{
	if (kinked & FD_POLE)
		return smallest ? "a pole of 1/x or the end of log's domain lies "
		                  "within even the smallest step"
		                : "a pole of 1/x or the end of log's domain lies "
		                  "within the step";
	return smallest ? "a kink of relu or max pooling lies within even the "
	                  "smallest step"
	                : "a kink of relu or max pooling lies within the step";
}

static void gnode_free(gnode *g)
{
	if (g == NULL)
		return;
	dv_mat_free(g->value);
	dv_plan_free(g->plan);
	for (int s = 0; s < 2; s++) {
		free(g->rstart[s]);
		free(g->rterm[s]);
	}
	free(g->term_out);
	free(g->feeds);
	free(g->aux);
	free(g->d);
	free(g->slot);
	free(g->changed);
	free(g);
}

static void graph_clear(graph *g)
{
	for (size_t i = 0; i < g->n; i++)
		gnode_free(g->nodes[i]);
	free(g->nodes);
	free(g->moves);
}

/* A node with value v (taken), added after its operands. */
static int add_node(gnode **out, graph *g, gkind kind, const dv_node *src, dv_mat *v)
{
	gnode *n = calloc(1, sizeof *n);
	size_t len;

	*out = NULL;
	if (n == NULL || (g->n == g->cap && g->cap > SIZE_MAX / 4)) {
		free(n);
		dv_mat_free(v);
		return dv_fail(g->d, DV_E_NOMEM, "out of memory");
	}
	n->kind = kind;
	n->src = src;
	n->value = v;
	if (!dv_mat_is_double(v)) {
		gnode_free(n);
		return dv_fail_at(g->d, DV_E_ARGS, src->line, src->column,
		                  "finite differences need numbers, not symbols");
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		gnode **nodes = realloc(g->nodes, cap * sizeof *nodes);
		if (nodes == NULL) {
			gnode_free(n);
			return dv_fail(g->d, DV_E_NOMEM, "out of memory");
		}
		g->nodes = nodes;
		g->cap = cap;
	}
	g->nodes[g->n++] = n;
	if (kind != G_CONST) {
		len = dv_mat_len(v);
		/* room for every entry, but only what is touched is ever
		 * written, so the pages past it are never brought in */
		n->d = calloc(len, sizeof *n->d);
		n->slot = calloc(len, sizeof *n->slot);
		n->changed = malloc(len * sizeof *n->changed);
		if (n->d == NULL || n->slot == NULL || n->changed == NULL)
			return dv_fail(g->d, DV_E_NOMEM, "out of memory");
	}
	*out = n;
	return DV_OK;
}

/*
 * Whether n uses the variable's numbers, through definitions too (rows and
 * cols use only its shape, which does not move).  What each definition
 * does is kept: the builder asks at every level of the tree.
 */
static int depends(graph *g, const dv_node *n, int depth)
{
	if (depth > MAX_DEPTH)
		return 1; /* the evaluator reports the loop */
	if (n->kind == DV_N_NAME) {
		const dv_node *def;
		int moves;
		if (strcmp(n->text, g->var) == 0)
			return 1;
		if ((def = dv_env_definition(g->env, n->text)) == NULL)
			return 0;
		for (size_t i = 0; i < g->nmoves; i++)
			if (g->moves[i].def == def)
				return g->moves[i].moves;
		moves = depends(g, def, depth + 1);
		if (g->nmoves == g->capmoves && g->capmoves < SIZE_MAX / (4 * sizeof *g->moves)) {
			size_t cap = g->capmoves ? 2 * g->capmoves : 16;
			struct moves *m = realloc(g->moves, cap * sizeof *m);
			if (m != NULL) {
				g->moves = m;
				g->capmoves = cap;
			}
		}
		if (g->nmoves < g->capmoves)
			g->moves[g->nmoves++] = (struct moves){def, moves};
		return moves;
	}
	if (n->kind == DV_N_CALL && dv_eval_call_is_shape(n))
		return 0;
	for (size_t i = 0; i < n->nkids; i++)
		if (depends(g, n->kids[i], depth))
			return 1;
	return 0;
}

static int eval_mat(dv_mat **out, const dv_node *n, graph *g)
{
	return dv_eval_mat(out, n, g->env, g->d);
}

/* Whether a call of n, or of a definition it uses, satisfies `is`. */
static int any_call(const graph *g, const dv_node *n,
                    int (*is)(const graph *g, const dv_node *call), int depth)
{
	if (depth > MAX_DEPTH)
		return 1; /* the evaluator reports the loop */
	if (n->kind == DV_N_NAME) {
		const dv_node *def = dv_env_definition(g->env, n->text);
		return def != NULL && any_call(g, def, is, depth + 1);
	}
	if (n->kind == DV_N_CALL && is(g, n))
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (any_call(g, n->kids[i], is, depth))
			return 1;
	return 0;
}

/* A kink: relu, its derivative, or max pooling. */
static int call_is_kink(const dv_node *call, const dv_env *env)
{
	dv_act act;
	int deriv;
	return (dv_eval_call_activation(call, env, &act, &deriv) && act == DV_ACT_RELU) ||
	       (strcmp(call->text, "down") == 0 && call->nkids >= 3) ||
	       strcmp(call->text, "unpool") == 0;
}

static int is_kink(const graph *g, const dv_node *call)
{
	return call_is_kink(call, g->env);
}

static int rough_at(const dv_node *n, const dv_env *env, int depth)
{
	if (depth > MAX_DEPTH)
		return 1;
	if (n->kind == DV_N_NAME) {
		const dv_node *def = dv_env_definition(env, n->text);
		return def != NULL && rough_at(def, env, depth + 1);
	}
	if (n->kind == DV_N_CALL && call_is_kink(n, env))
		return 1;
	/* 1/x and log(x): a pole the steps may straddle */
	if ((n->kind == DV_N_BINARY && n->op == DV_T_SLASH) ||
	    (n->kind == DV_N_CALL && strcmp(n->text, "log") == 0))
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (rough_at(n->kids[i], env, depth + 1))
			return 1;
	return 0;
}

int dv_fd_rough(const dv_node *loss, const dv_env *env)
{
	return rough_at(loss, env, 0);
}

static int is_grad(const graph *g, const dv_node *call)
{
	(void)g;
	return strcmp(call->text, "grad") == 0;
}

/* Nodes of the tree n, definitions included: what evaluating it costs. */
static double tree_size(const graph *g, const dv_node *n, int depth)
{
	double size = 1.0;
	if (depth > MAX_DEPTH)
		return size;
	if (n->kind == DV_N_NAME) {
		const dv_node *def = dv_env_definition(g->env, n->text);
		return def != NULL ? size + tree_size(g, def, depth + 1) : size;
	}
	for (size_t i = 0; i < n->nkids; i++)
		size += tree_size(g, n->kids[i], depth);
	return size;
}

static int add_whole(gnode **out, graph *g, const dv_node *n)
{
	dv_mat *v = NULL;
	int rc;

	*out = NULL;
	/* finite differences of finite differences: the work multiplies */
	if (any_call(g, n, is_grad, 0))
		return dv_fail_at(g->d, DV_E_LIMIT, n->line, n->column,
		                  "grad() on numbers of a function that itself takes "
		                  "grad() of the same numbers is not done (its work "
		                  "multiplies); use symbols");
	if ((rc = eval_mat(&v, n, g)) != DV_OK)
		return rc;
	g->whole = 1;
	g->rough |= any_call(g, n, is_kink, 0);
	if ((rc = add_node(out, g, G_WHOLE, n, v)) == DV_OK)
		(*out)->cost = tree_size(g, n, 0) * (double)dv_mat_len(v);
	return rc;
}

/*
 * Which terms each entry of operand s feeds, as lists by entry: the
 * relation "which entries feed this one" read backwards.  Where s moves
 * alone, the lists are of feeds (n->feeds), else of term indices.
 */
static int index_operand(gnode *n, int s, int alone, dv_diag *d)
{
	const dv_plan *p = n->plan;
	size_t len = s == 0 ? p->a_len : p->b_len, *fill, nt = p->nterms ? p->nterms : 1;

	n->rstart[s] = calloc(len + 1, sizeof *n->rstart[s]);
	if (alone)
		n->feeds = malloc(nt * sizeof *n->feeds);
	else
		n->rterm[s] = malloc(nt * sizeof *n->rterm[s]);
	fill = calloc(len + 1, sizeof *fill);
	if (n->rstart[s] == NULL || (alone ? n->feeds == NULL : n->rterm[s] == NULL) ||
	    fill == NULL) {
		free(fill);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	for (size_t t = 0; t < p->nterms; t++) {
		int32_t e = s == 0 ? p->terms[t].a : p->terms[t].b;
		if (e >= 0)
			n->rstart[s][(size_t)e + 1]++;
	}
	for (size_t i = 0; i < len; i++)
		n->rstart[s][i + 1] += n->rstart[s][i];
	for (size_t o = 0, t = 0; o < p->rows * p->cols; o++)
		for (; t < p->start[o + 1]; t++) {
			const dv_term *term = &p->terms[t];
			int32_t e = s == 0 ? term->a : term->b, other = s == 0 ? term->b : term->a;
			if (e < 0)
				continue;
			size_t r = n->rstart[s][e] + fill[e]++;
			if (!alone) {
				n->rterm[s][r] = (gidx)t;
				continue;
			}
			n->feeds[r].out = (gidx)o;
			n->feeds[r].at = (gidx)(other + 1) << FEED_COEF_BITS | (gidx)term->c;
		}
	free(fill);
	return DV_OK;
}

/* Whether exactly one operand of plan node n moves. */
static int one_side_moves(const gnode *n)
{
	int moving0 = n->kid[0]->kind != G_CONST;
	int moving1 = n->kid[1] != NULL && n->kid[1]->kind != G_CONST;
	return moving0 != moving1;
}

/* A plan node over operands a and b (b NULL for one); p is taken. */
static int add_plan(gnode **out, graph *g, const dv_node *src, dv_plan *p, gnode *a,
                    gnode *b)
{
	dv_mat *v = NULL;
	gnode *n;
	int rc;

	*out = NULL;
	/*
	 * A plan of one operand over a plan node just added (each node has
	 * one user: the graph is a tree) becomes one plan over that node's
	 * operands when it can: sum(D .* A) walks D .* A's terms once, not
	 * those and then the sum's.  The composed plan's result is bounded
	 * as any plan's is.
	 */
	if (b == NULL && a->kind == G_PLAN && a == g->nodes[g->n - 1] && one_side_moves(a)) {
		dv_plan *q = NULL;
		if ((rc = dv_plan_compose(&q, p, a->plan, g->d)) != DV_OK) {
			dv_plan_free(p);
			return rc;
		}
		if (q != NULL) {
			gnode *k0 = a->kid[0], *k1 = a->kid[1];
			g->n--;
			gnode_free(a);
			dv_plan_free(p);
			return add_plan(out, g, src, q, k0, k1);
		}
	}
	rc = dv_op_run(&v, p, a->value, b != NULL ? b->value : NULL, g->d);
	if (rc != DV_OK || (rc = add_node(&n, g, G_PLAN, src, v)) != DV_OK) {
		dv_plan_free(p);
		return rc;
	}
	n->plan = p;
	n->kid[0] = a;
	n->kid[1] = b;
	const int alone = one_side_moves(n);
	if (!alone) {
		n->term_out = malloc((p->nterms ? p->nterms : 1) * sizeof *n->term_out);
		if (n->term_out == NULL)
			return dv_fail(g->d, DV_E_NOMEM, "out of memory");
		for (size_t o = 0; o < p->rows * p->cols; o++)
			for (size_t t = p->start[o]; t < p->start[o + 1]; t++)
				n->term_out[t] = (gidx)o;
	}
	for (int s = 0; s < 2; s++)
		if (n->kid[s] != NULL && n->kid[s]->kind != G_CONST &&
		    (rc = index_operand(n, s, alone, g->d)) != DV_OK)
			return rc;
	*out = n;
	return DV_OK;
}

static int build(gnode **out, graph *g, const dv_node *n, int depth);

/* act (or its derivative) applied to each entry of node k. */
static int add_act(gnode **out, graph *g, const dv_node *src, gnode *k, dv_act act,
                   int deriv)
{
	dv_mat *v = NULL;
	int rc;

	if ((rc = dv_op_activate(&v, k->value, act, deriv, g->d)) != DV_OK ||
	    (rc = add_node(out, g, G_ACT, src, v)) != DV_OK)
		return rc;
	(*out)->kid[0] = k;
	(*out)->act = act;
	(*out)->deriv = deriv;
	(*out)->aux = malloc(dv_mat_len(v) * sizeof *(*out)->aux);
	if ((*out)->aux == NULL)
		return dv_fail(g->d, DV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < dv_mat_len(v); i++)
		(*out)->aux[i] = dv_act_change_aux(act, dv_mat_get(k->value, i));
	return DV_OK;
}

static int build_const(gnode **out, graph *g, const dv_node *n)
{
	dv_mat *v = NULL;
	int rc = eval_mat(&v, n, g);
	return rc != DV_OK ? rc : add_node(out, g, G_CONST, n, v);
}

/* A whole number from 0 to 64 given by a node that does not move. */
static int const_power(unsigned *out, graph *g, const dv_node *n)
{
	dv_mat *v = NULL;
	double e;
	int ok;

	if (depends(g, n, 0) || eval_mat(&v, n, g) != DV_OK)
		return 0;
	e = dv_mat_is_double(v) && dv_mat_is_scalar(v) ? dv_mat_get(v, 0) : -1;
	ok = e == floor(e) && e >= 0 && e <= 64 && dv_mat_bound_at(v, 0) == 0.0;
	dv_mat_free(v);
	*out = (unsigned)e;
	return ok;
}

static int build_binary(gnode **out, graph *g, const dv_node *n, int depth)
{
	gnode *l = NULL, *r = NULL;
	dv_plan *p = NULL;
	unsigned power;
	int rc;

	if (n->op == DV_T_DOTCARET || n->op == DV_T_CARET) {
		if (!const_power(&power, g, n->kids[1]) ||
		    (rc = build(&l, g, n->kids[0], depth)) != DV_OK)
			return add_whole(out, g, n);
		if (n->op == DV_T_CARET && !dv_mat_is_scalar(l->value))
			return add_whole(out, g, n); /* the evaluator says why not */
		{
			dv_mat *v = NULL;
			if ((rc = dv_op_power(&v, l->value, power, g->d)) != DV_OK ||
			    (rc = add_node(out, g, G_POW, n, v)) != DV_OK)
				return rc;
			(*out)->kid[0] = l;
			(*out)->power = power;
			return DV_OK;
		}
	}
	if ((rc = build(&l, g, n->kids[0], depth)) != DV_OK ||
	    (rc = build(&r, g, n->kids[1], depth)) != DV_OK)
		return rc;
	if (n->op == DV_T_SLASH) {
		/* as the evaluator divides: by a whole number that does not move,
		 * its exact 1/n scale; by any other number b, (1/b) * A */
		double v = dv_mat_is_scalar(r->value) ? dv_mat_get(r->value, 0) : 0.0;
		gnode *inv = NULL;
		if (v == 0.0)
			return add_whole(out, g, n); /* the evaluator says why not */
		if (r->kind == G_CONST && v == floor(v) && fabs(v) <= 9007199254740992.0 &&
		    dv_mat_bound_at(r->value, 0) == 0.0) {
			rc = dv_plan_scale(&p, l->value->rows, l->value->cols,
			                   v > 0 ? 1 : -1, (long long)fabs(v), g->d);
			return rc != DV_OK ? rc : add_plan(out, g, n, p, l, NULL);
		}
		if ((rc = add_act(&inv, g, n, r, DV_ACT_RECIP, 0)) != DV_OK ||
		    (rc = dv_plan_matmul(&p, 1, 1, l->value->rows, l->value->cols,
		                         g->d)) != DV_OK)
			return rc;
		return add_plan(out, g, n, p, inv, l);
	}
	if ((rc = dv_eval_binary_plan(&p, n, l->value, r->value, g->env, g->d)) != DV_OK)
		return rc;
	if (p == NULL)
		return add_whole(out, g, n);
	return add_plan(out, g, n, p, l, r);
}

static int build_call(gnode **out, graph *g, const dv_node *n, int depth)
{
	dv_value *args = NULL;
	gnode **kids = NULL;
	dv_plan *p = NULL;
	dv_act act;
	int deriv, by_numbers = 0, rc = DV_OK;

	if (dv_eval_call_activation(n, g->env, &act, &deriv) && n->nkids == 1 &&
	    act != DV_ACT_ABSTRACT) {
		gnode *k = NULL;
		if ((rc = build(&k, g, n->kids[0], depth)) != DV_OK)
			return rc;
		return add_act(out, g, n, k, act, deriv);
	}
	args = calloc(n->nkids ? n->nkids : 1, sizeof *args);
	kids = calloc(n->nkids ? n->nkids : 1, sizeof *kids);
	if (args == NULL || kids == NULL) {
		rc = dv_fail(g->d, DV_E_NOMEM, "out of memory");
		goto out;
	}
	/* the arguments: moving ones as nodes, the others as values */
	for (size_t i = 0; i < n->nkids && rc == DV_OK; i++) {
		if (depends(g, n->kids[i], 0)) {
			if ((rc = build(&kids[i], g, n->kids[i], depth)) == DV_OK) {
				args[i].kind = DV_V_MAT;
				args[i].mat = kids[i]->value; /* borrowed */
			}
		} else {
			rc = dv_eval(&args[i], n->kids[i], g->env, g->d);
		}
	}
	if (rc == DV_OK)
		rc = dv_eval_call_plan(&p, &by_numbers, n, args, n->nkids, g->env, g->d);
	if (rc == DV_OK && p != NULL && by_numbers == DV_BY_OWN_NUMBERS && kids[0] != NULL) {
		/* max pooling: the window's largest entry, followed entry by entry */
		dv_mat *v = NULL;
		size_t pool = (size_t)dv_mat_get(args[1].mat, 0), stride = pool;
		for (size_t i = 2; i + 1 < n->nkids; i++)
			if (args[i].kind == DV_V_STR && strcmp(args[i].str, "stride") == 0)
				stride = (size_t)dv_mat_get(args[i + 1].mat, 0);
		if ((rc = dv_op_run(&v, p, kids[0]->value, NULL, g->d)) == DV_OK &&
		    (rc = add_node(out, g, G_MAX, n, v)) == DV_OK) {
			(*out)->kid[0] = kids[0];
			(*out)->pool = pool;
			(*out)->stride = stride;
			(*out)->plan = p; /* which entry is each window's largest */
			p = NULL;
		}
	} else if (rc == DV_OK &&
	           (p == NULL || by_numbers == DV_BY_OWN_NUMBERS ||
	            (by_numbers == DV_BY_OTHER_NUMBERS && kids[1] != NULL))) {
		/* unpool with a moving X: X picks the terms, so X is evaluated
		 * whole */
		rc = add_whole(out, g, n);
	} else if (rc == DV_OK) {
		/* operands that do not move become constant nodes */
		for (int s = 0; s < (p->b_len ? 2 : 1) && rc == DV_OK; s++) {
			if (kids[s] == NULL) {
				rc = add_node(&kids[s], g, G_CONST, n->kids[s],
				              args[s].mat);
				args[s].mat = NULL;
				args[s].kind = DV_V_NONE;
			}
		}
		if (rc == DV_OK) {
			rc = add_plan(out, g, n, p, kids[0], p->b_len ? kids[1] : NULL);
			p = NULL;
		}
	}
out:
	dv_plan_free(p);
	for (size_t i = 0; args != NULL && i < n->nkids; i++) {
		if (kids[i] != NULL)
			args[i].mat = NULL; /* the node's */
		dv_value_clear(&args[i]);
	}
	free(args);
	free(kids);
	return rc;
}

static int build(gnode **out, graph *g, const dv_node *n, int depth)
{
	dv_plan *p = NULL;
	gnode *k = NULL;
	int rc;

	*out = NULL;
	if (depth > MAX_DEPTH || !depends(g, n, 0))
		return build_const(out, g, n);
	switch (n->kind) {
	case DV_N_NAME:
		if (strcmp(n->text, g->var) == 0) {
			dv_mat *v = NULL;
			rc = dv_mat_copy(&v, g->x, g->d);
			return rc != DV_OK ? rc : add_node(out, g, G_VAR, n, v);
		}
		return build(out, g, dv_env_definition(g->env, n->text), depth + 1);
	case DV_N_BINARY:
		return build_binary(out, g, n, depth);
	case DV_N_NEGATE:
	case DV_N_TRANSPOSE:
		if ((rc = build(&k, g, n->kids[0], depth)) != DV_OK)
			return rc;
		rc = n->kind == DV_N_NEGATE ? dv_plan_scale(&p, k->value->rows,
		                                            k->value->cols, -1, 1, g->d)
		                            : dv_plan_transpose(&p, k->value->rows,
		                                                k->value->cols, g->d);
		return rc != DV_OK ? rc : add_plan(out, g, n, p, k, NULL);
	case DV_N_CALL:
		return build_call(out, g, n, depth);
	default:
		return add_whole(out, g, n);
	}
}

/* ---- one move of one entry, at four steps ------------------------------ */

/*
 * Entry o's change record, new and zero when o has not changed yet in this
 * evaluation (the records past the last in use are kept zero: reset clears
 * those it used, together).
 */
static inline delta *touch(gnode *n, size_t o)
{
	gidx c = n->slot[o];

	if (c == 0) {
		c = (gidx)++n->nchanged;
		n->slot[o] = c;
		n->changed[c - 1] = (gidx)o;
	}
	return &n->d[c - 1];
}

/* Entry o's change, NULL when it did not change (or n never does). */
static const delta *moved(const gnode *n, size_t o)
{
	if (n == NULL || n->kind == G_CONST || n->slot[o] == 0)
		return NULL;
	return &n->d[n->slot[o] - 1];
}

static void reset(gnode *n)
{
	for (size_t c = 0; c < n->nchanged; c++)
		n->slot[n->changed[c]] = 0;
	memset(n->d, 0, n->nchanged * sizeof *n->d);
	n->nchanged = 0;
}

/* One operand entry as the change of a plan term sees it, in one lane. */
typedef struct side {
	double v, e, s;    /* the unmoved value, its bound and scale */
	double dv, de, ds; /* its change */
} side;

static side side_of(const gnode *k, int32_t i, size_t l)
{
	side r = {1.0, 0.0, 1.0, 0.0, 0.0, 0.0};
	const delta *d;
	if (k == NULL || i < 0)
		return r;
	r.v = dv_mat_get(k->value, (size_t)i);
	r.e = dv_mat_bound_at(k->value, (size_t)i);
	r.s = dv_mat_scale_at(k->value, (size_t)i);
	if ((d = moved(k, (size_t)i)) != NULL) {
		r.dv = d->v[l];
		r.de = d->e[OUTER(l)];
		r.ds = d->s[OUTER(l)];
	}
	return r;
}

/*
 * The change of c x y when x and y change: c (dx (y + dy) + x dy), with
 * what its operands' bounds and its own roundings can do to it.
 */
static void add_term(gnode *n, const dv_term *t)
{
	double c = n->plan->coefs[t->c].value, ac = fabs(c);
	delta *o = touch(n, n->term_out[t - n->plan->terms]);

	o->k++;
	for (size_t l = 0; l < LANES; l++) {
		side x = side_of(n->kid[0], t->a, l), y = side_of(n->kid[1], t->b, l);
		o->v[l] += c * (x.dv * (y.v + y.dv) + x.v * y.dv);
		if (l >= BOUNDED_LANES)
			continue;
		o->m[l] += ac * (fabs(x.dv) * (fabs(y.v) + fabs(y.dv)) +
		                 fabs(x.v) * fabs(y.dv));
		o->e[l] += ac * (x.de * (fabs(y.v) + fabs(y.dv) + y.e + y.de) +
		                 fabs(x.dv) * (y.e + y.de) + x.e * (fabs(y.dv) + y.de) +
		                 fabs(x.v) * y.de);
		o->s[l] += ac * (x.ds * (y.s + y.ds) + x.s * y.ds);
	}
}

/*
 * The common case of one moving operand: c x dy for the moving y (or
 * c dx y), the same bounds as add_term with the other's change zero, in
 * the first `lanes` lanes and the first `bounded` bounded ones.  Always
 * called with constant lane counts, so that each copy's lane loops unroll.
 */
#ifdef __GNUC__
__attribute__((always_inline))
#endif
static inline void one_side_lanes(gnode *n, int s, const size_t lanes, const size_t bounded)
{
	const gnode *k = n->kid[s], *other = n->kid[1 - s];
	const dv_plan *p = n->plan;
	/* locals, so that the stores below cannot make the compiler reload them */
	const gidx *rstart = n->rstart[s];
	const feed *feeds = n->feeds;
	const gidx *kchanged = k->changed;
	const delta *kd = k->d;
	const size_t knchanged = k->nchanged;
	const dv_coef *coefs = p->coefs;
	const dv_mat *ov = other != NULL ? other->value : NULL;
	const double *xv = ov != NULL ? (const double *)ov->data : NULL;
	const double *xe = ov != NULL ? ov->bound : NULL, *xs = ov != NULL ? ov->scale : NULL;

	for (size_t c = 0; c < knchanged; c++) {
		size_t i = kchanged[c];
		const delta *dy = &kd[c];
		for (size_t r = rstart[i]; r < rstart[i + 1]; r++) {
			const feed *f = &feeds[r];
			size_t at = f->at >> FEED_COEF_BITS;
			double coef = coefs[f->at & ((1u << FEED_COEF_BITS) - 1)].value,
			       ac = fabs(coef);
			double x = 1.0, ax = 1.0, ex = 0.0, sx = 1.0;
			delta *o = touch(n, f->out);
			if (xv != NULL && at > 0) {
				size_t oi = at - 1;
				x = xv[oi];
				ax = fabs(x);
				ex = xe != NULL ? xe[oi] : 0.0;
				sx = xs != NULL ? xs[oi] : ax;
			}
			o->k++;
			for (size_t l = 0; l < lanes; l++)
				o->v[l] += coef * x * dy->v[l];
			for (size_t l = 0; l < bounded; l++) {
				double ady = fabs(dy->v[l]);
				o->m[l] += ac * ax * ady;
				o->e[l] += ac * (ex * (ady + dy->e[l]) + ax * dy->e[l]);
				o->s[l] += ac * sx * dy->s[l];
			}
		}
	}
}

static void change_one_side(gnode *n, int s)
{
	/* a linear node of linear changes: lane 0 alone, the rest derived */
	n->lin = n->kid[s]->lin;
	if (n->lin)
		one_side_lanes(n, s, 1, 1);
	else
		one_side_lanes(n, s, LANES, BOUNDED_LANES);
}

/* The lanes a linear node's lane 0 stands for (see gnode.lin). */
static void derive_lanes(gnode *n)
{
	for (size_t c = 0; c < n->nchanged; c++) {
		delta *o = &n->d[c];
		o->v[1] = -o->v[0];
		o->v[2] = 0.5 * o->v[0];
		o->v[3] = -o->v[2];
		o->e[1] = o->e[0];
		o->m[1] = o->m[0];
		o->s[1] = o->s[0];
	}
}

static void change_plan(gnode *n)
{
	n->lin = 0;
	if (one_side_moves(n)) {
		change_one_side(n, n->kid[0]->kind != G_CONST ? 0 : 1);
	} else {
		for (int s = 0; s < 2; s++) {
			const gnode *k = n->kid[s];
			if (k == NULL || k->kind == G_CONST)
				continue;
			for (size_t c = 0; c < k->nchanged; c++) {
				size_t i = k->changed[c];
				for (size_t r = n->rstart[s][i]; r < n->rstart[s][i + 1];
				     r++) {
					const dv_term *t =
					        &n->plan->terms[n->rterm[s][r]];
					/* a term both of whose operands moved is added
					 * once */
					if (s == 1 && t->a >= 0 &&
					    moved(n->kid[0], (size_t)t->a) != NULL)
						continue;
					add_term(n, t);
				}
			}
		}
	}
	/* the outputs' term counts are mostly one and the same: the gammas
	 * (two divisions) are worked out again only when it changes */
	size_t last = 0;
	double grow = 1.0, carry = 0.0, under = 0.0;
	for (size_t c = 0; c < n->nchanged; c++) {
		delta *o = &n->d[c];
		if (o->k != last) {
			last = o->k;
			grow = 1.0 + dv_gamma(2 * last + 8);
			carry = dv_gamma(last + 6);
			under = (double)(6 * last) * DV_UNDERFLOW;
		}
		for (size_t l = 0; l < (n->lin ? 1 : BOUNDED_LANES); l++)
			o->e[l] = o->e[l] * grow + carry * o->m[l] + under;
	}
	if (n->lin)
		derive_lanes(n);
}

/* fmax, inline: the library's is a call, and this is the innermost loop */
static inline double max2(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

/* The bound and scale of a smooth activation's change dv = f(x + dx) - f(x). */
static inline void smooth_bound(const gnode *n, double lip, double lip2, double x,
                                double ex, double dx, double edx, double dsx,
                                double dv, double *de, double *ds)
{
	const double u = DV_UNIT_ROUNDOFF;
	double y = x + dx;

	if (!n->deriv) {
		*de = lip * edx * (1.0 + dv_gamma(4)) + 2.0 * lip2 * (fabs(dx) + edx) * ex +
		      (10.0 + fabs(x) + fabs(y)) * u * fabs(dv) + 4.0 * DV_UNDERFLOW;
	} else {
		double gy = dv_act_derivative(n->act, y), gx = dv_act_derivative(n->act, x);
		*de = lip * (edx + 2.0 * ex) + 8.0 * u * (fabs(gy) + fabs(gx)) + u * fabs(dv) +
		      4.0 * DV_UNDERFLOW;
	}
	*ds = max2(fabs(dv), lip * dsx);
}

static void change_relu(graph *g, gnode *n, size_t i, double x, double ex,
                        const delta *dx_of, delta *o)
{
	const double lip = dv_act_lipschitz(n->act, n->deriv);
	const double u = DV_UNIT_ROUNDOFF;

	for (size_t l = 0; l < LANES; l++) {
		double dx = dx_of->v[l], edx = dx_of->e[OUTER(l)], y = x + dx;
		double reach = ex + edx + u * fabs(y);
		double dv, de;
		int same_side = (x - ex > 0 && y - reach > 0) || (x + ex <= 0 && y + reach <= 0);
		if (!same_side)
			g->kinked |= FD_KINK;
		if (l >= BOUNDED_LANES) {
			/* an inner lane: the value alone */
			o->v[l] = !n->deriv  ? dv_act_change_at(n->act, x, &n->aux[i], dx)
			          : same_side ? 0.0
			                      : dv_act_derivative(n->act, y) -
			                                dv_act_derivative(n->act, x);
			continue;
		}
		if (same_side) {
			/* no kink between: the change is dx or 0, exactly */
			int on = x > 0;
			dv = n->deriv ? 0.0 : (on ? dx : 0.0);
			de = n->deriv ? 0.0 : (on ? edx : 0.0);
		} else if (n->deriv) {
			dv = dv_act_derivative(n->act, y) - dv_act_derivative(n->act, x);
			de = 1.0;
		} else {
			dv = dv_act_change_at(n->act, x, &n->aux[i], dx);
			de = edx + 2.0 * ex + u * (fabs(x) + fabs(y));
		}
		o->v[l] = dv;
		o->e[l] = de;
		o->s[l] = isinf(lip) ? fabs(dv) : max2(fabs(dv), lip * dx_of->s[l]);
	}
}

static void change_act(graph *g, gnode *n)
{
	const gnode *k = n->kid[0];
	const double lip = dv_act_lipschitz(n->act, n->deriv);
	const double lip2 = dv_act_lipschitz(n->act, 1);
	const gidx *kchanged = k->changed;
	const size_t knchanged = k->nchanged;
	const double *xv = k->value->data;

	/* exp, log and 1/x have no constant over the whole line: theirs is
	 * taken over what each move reaches */
	const int near = !isfinite(lip);

	for (size_t c = 0; c < knchanged; c++) {
		size_t i = kchanged[c];
		const delta *dx = &k->d[c];
		double x = xv[i], ex = dv_mat_bound_at(k->value, i);
		const dv_act_aux *aux = &n->aux[i];
		delta *o = touch(n, i);
		if (n->act == DV_ACT_RELU) {
			change_relu(g, n, i, x, ex, dx, o);
			continue;
		}
		if (n->deriv)
			for (size_t l = 0; l < LANES; l++)
				o->v[l] = dv_act_derivative(n->act, x + dx->v[l]) -
				          dv_act_derivative(n->act, x);
		else
			dv_act_change_lanes(n->act, x, aux, dx->v, o->v, LANES);
		/* the inner lanes carry their values alone */
		for (size_t l = 0; l < BOUNDED_LANES; l++) {
			double l1 = lip, l2 = lip2;
			if (near) {
				double r = ex + fabs(dx->v[l]) + dx->e[l];
				l1 = dv_act_lipschitz_near(n->act, n->deriv, x, r);
				l2 = dv_act_lipschitz_near(n->act, 1, x, r);
				if (!isfinite(l1) || !isfinite(l2)) {
					/* 0 is within reach: no derivative to follow */
					g->kinked |= FD_POLE;
					o->e[l] = INFINITY;
					o->s[l] = INFINITY;
					continue;
				}
			}
			smooth_bound(n, l1, l2, x, ex, dx->v[l], dx->e[l], dx->s[l], o->v[l],
			             &o->e[l], &o->s[l]);
			/*
			 * log1p(dx / x) rounds dx / x first: that moves the
			 * result by up to u |dx| / min(x, x + dx), and l1 is at
			 * least 1 / min(x, x + dx)
			 */
			if (n->act == DV_ACT_LOG)
				o->e[l] += 2.0 * DV_UNIT_ROUNDOFF * fabs(dx->v[l]) * l1;
		}
	}
}

/* (x + dx)^p - x^p = dx * sum_k (x + dx)^k x^(p-1-k), without cancellation. */
static void change_pow(gnode *n)
{
	const gnode *k = n->kid[0];
	unsigned p = n->power;

	for (size_t c = 0; c < k->nchanged; c++) {
		size_t i = k->changed[c];
		const delta *d = &k->d[c];
		double x = dv_mat_get(k->value, i), ex = dv_mat_bound_at(k->value, i);
		delta *o = touch(n, i);
		for (size_t l = 0; l < LANES; l++) {
			double dx = d->v[l], edx = d->e[OUTER(l)], y = x + dx;
			double sum = 0.0, sum_abs = 0.0,
			       m = fmax(fabs(x), fabs(y)) + ex + edx;
			double dv = 0.0, de = 0.0;
			for (unsigned j = 0; j < p; j++) {
				double t =
				        pow(y, (double)j) * pow(x, (double)(p - 1 - j));
				sum += t;
				sum_abs += fabs(t);
			}
			if (p >= 1) {
				dv = dx * sum;
				de = dv_gamma(2 * p + 4) * fabs(dx) * sum_abs +
				     edx * p * pow(m, (double)(p - 1)) *
				             (1.0 + dv_gamma(p + 2));
				if (p >= 2)
					de += ex * p * (p - 1) * pow(m, (double)(p - 2)) *
					      (fabs(dx) + edx) * (1.0 + dv_gamma(p + 2));
			}
			o->v[l] = dv;
			if (l < BOUNDED_LANES) {
				o->e[l] = de;
				o->s[l] = fmax(fabs(dv), d->s[l] * sum_abs);
			}
		}
	}
}

/*
 * Max pooling: a moved entry changes the largest entry of each window it
 * lies in.  While the largest stays the same entry, the change is that
 * entry's own, exactly; when another entry takes over, or comes within the
 * bounds of it, a kink lies in the step.
 */
static void max_window(graph *g, gnode *n, size_t o)
{
	const gnode *k = n->kid[0];
	size_t cols = k->value->cols, ocols = n->value->cols, p = n->pool;
	size_t r0 = (o / ocols) * n->stride, c0 = (o % ocols) * n->stride;
	size_t was = (size_t)n->plan->terms[n->plan->start[o]].a;
	const delta *dwas = moved(k, was);
	delta *out = touch(n, o);

	for (size_t l = 0; l < LANES; l++) {
		size_t best = SIZE_MAX;
		double top = -INFINITY, reach = 0.0;
		for (size_t u = 0; u < p; u++) {
			for (size_t v = 0; v < p; v++) {
				size_t e = (r0 + u) * cols + c0 + v;
				const delta *de = moved(k, e);
				double m = dv_mat_get(k->value, e) + (de != NULL ? de->v[l] : 0.0);
				reach = fmax(reach, dv_mat_bound_at(k->value, e) +
				                            (de != NULL ? de->e[OUTER(l)] +
				                                                  fabs(de->v[l])
				                                        : 0.0));
				if (m > top) {
					top = m;
					best = e;
				}
			}
		}
		if (best != was) {
			g->kinked |= FD_KINK;
			out->v[l] = top - dv_mat_get(k->value, was);
			if (l < BOUNDED_LANES)
				out->e[l] = INFINITY;
		} else {
			/* a runner-up within the bounds could be the largest */
			for (size_t u = 0; u < p; u++)
				for (size_t v = 0; v < p; v++) {
					size_t e = (r0 + u) * cols + c0 + v;
					const delta *de = moved(k, e);
					double m = dv_mat_get(k->value, e) +
					           (de != NULL ? de->v[l] : 0.0);
					if (e != best && top - m <= 2.0 * reach)
						g->kinked |= FD_KINK;
				}
			out->v[l] = dwas != NULL ? dwas->v[l] : 0.0;
			if (l < BOUNDED_LANES)
				out->e[l] = dwas != NULL ? dwas->e[l] : 0.0;
		}
		if (l < BOUNDED_LANES)
			out->s[l] = dwas != NULL ? dwas->s[l] : fabs(out->v[l]);
	}
}

/* The windows, p x p and s apart, that entry t of a line of a lies in. */
static void windows_of(size_t *lo, size_t *hi, size_t t, size_t p, size_t s, size_t count)
{
	*lo = t + 1 >= p ? (t + 1 - p + s - 1) / s : 0;
	*hi = t / s < count ? t / s : count - 1;
}

static void change_max(graph *g, gnode *n)
{
	const gnode *k = n->kid[0];
	size_t cols = k->value->cols, orows = n->value->rows, ocols = n->value->cols;

	for (size_t c = 0; c < k->nchanged; c++) {
		size_t i = k->changed[c], r0, r1, c0, c1;
		windows_of(&r0, &r1, i / cols, n->pool, n->stride, orows);
		windows_of(&c0, &c1, i % cols, n->pool, n->stride, ocols);
		for (size_t r = r0; r <= r1; r++)
			for (size_t q = c0; q <= c1; q++)
				if (moved(n, r * ocols + q) == NULL)
					max_window(g, n, r * ocols + q);
	}
}

/* Evaluated whole with the variable moved: every entry may change. */
static int change_whole(gnode *n, graph *g, size_t j, const double *steps)
{
	double *entry = (double *)g->x->data + j, x0 = *entry;

	for (size_t o = 0; o < dv_mat_len(n->value); o++)
		touch(n, o);
	for (size_t l = 0; l < LANES; l++) {
		dv_mat *v = NULL;
		int rc;
		*entry = x0 + steps[l];
		dv_env_changed(g->env);
		rc = eval_mat(&v, n->src, g);
		*entry = x0;
		dv_env_changed(g->env);
		if (rc != DV_OK)
			return rc;
		if (v->rows != n->value->rows || v->cols != n->value->cols ||
		    !dv_mat_is_double(v)) {
			dv_mat_free(v);
			return dv_fail_at(
			        g->d, DV_E_SHAPE, n->src->line, n->src->column,
			        "this part of the function changes its shape when "
			        "the numbers move");
		}
		for (size_t o = 0; o < dv_mat_len(v); o++) {
			delta *r = &n->d[n->slot[o] - 1];
			double dv = dv_mat_get(v, o) - dv_mat_get(n->value, o);
			double e = (dv_mat_bound_at(v, o) + dv_mat_bound_at(n->value, o)) *
			                   (1.0 + dv_gamma(2)) +
			           DV_UNIT_ROUNDOFF * fabs(dv);
			r->v[l] = dv;
			/*
			 * A value's bound is not smaller at the smaller step: the
			 * outer lane takes the larger of its own and its inner
			 * lane's (lanes 0 and 1 come first).
			 */
			if (l < BOUNDED_LANES || !(e <= r->e[OUTER(l)]))
				r->e[OUTER(l)] = e;
			/* the change is all there is to judge against */
			if (l < BOUNDED_LANES)
				r->s[l] = fabs(dv);
		}
		dv_mat_free(v);
	}
	return DV_OK;
}

/*
 * The loss's change when entry j of the variable moves by each of steps[],
 * into dv[], and in the bounded lanes de[] (its rounding bound) and ds[]
 * (its scale).
 */
/* The terms a plan node's change visits: those its moved operand entries
 * reach (a change of one entry can reach most of a large convolution). */
static size_t plan_work(const gnode *n)
{
	size_t work = 0;
	for (int s = 0; s < 2; s++) {
		const gnode *k = n->kid[s];
		if (k == NULL || k->kind == G_CONST || n->rstart[s] == NULL)
			continue;
		for (size_t c = 0; c < k->nchanged; c++)
			work += n->rstart[s][k->changed[c] + 1] - n->rstart[s][k->changed[c]];
	}
	return work;
}

static int change(graph *g, size_t j, const double *steps, double *dv, double *de,
                  double *ds)
{
	int rc = DV_OK;
	gnode *root = g->nodes[g->n - 1];
	const delta *top;
	double work = 0.0;

	for (size_t i = 0; i < g->n && rc == DV_OK; i++) {
		gnode *n = g->nodes[i];
		delta *x;
		switch (n->kind) {
		case G_CONST:
			break;
		case G_VAR:
			/* the steps themselves are exact: GSL's points 0 +- h, +- h/2 */
			x = touch(n, j);
			for (size_t l = 0; l < LANES; l++)
				x->v[l] = steps[l];
			for (size_t l = 0; l < BOUNDED_LANES; l++)
				x->s[l] = fabs(steps[l]);
			n->lin = steps[1] == -steps[0] && steps[2] == 0.5 * steps[0] &&
			         steps[3] == -steps[2];
			break;
		case G_PLAN:
			/* counted as it is done: the estimate before the first move
			 * cannot see how far a change spreads through a chain */
			work += (double)(plan_work(n) * LANES + n->nchanged);
			change_plan(n);
			break;
		case G_ACT:
			change_act(g, n);
			break;
		case G_POW:
			change_pow(n);
			break;
		case G_MAX:
			change_max(g, n);
			break;
		case G_WHOLE:
			rc = change_whole(n, g, j, steps);
			break;
		}
		/* an activation, a power or a pooling: each entry it changed, in
		 * every lane (a plan's are in its work above) */
		if (n->kind == G_ACT || n->kind == G_POW || n->kind == G_MAX)
			work += (double)(n->nchanged * LANES);
	}
	top = moved(root, 0);
	for (size_t l = 0; l < LANES; l++)
		dv[l] = top != NULL ? top->v[l] : 0.0;
	for (size_t l = 0; l < BOUNDED_LANES; l++) {
		de[l] = top != NULL ? top->e[l] : 0.0;
		ds[l] = top != NULL ? top->s[l] : 0.0;
	}
	for (size_t i = 0; i < g->n; i++)
		if (g->nodes[i]->kind != G_CONST)
			reset(g->nodes[i]);
	if (rc == DV_OK)
		rc = dv_budget_charge(work, g->d);
	return rc;
}

/* ---- gsl_deriv_central over the changes -------------------------------- */

typedef struct fd_call {
	graph *g;
	size_t j;
	int rc;
	double steps[LANES], dv[LANES]; /* the last four steps, and their changes */
	int have;
	double max_bound; /* over the points GSL asked for */
	double min_step;
	double max_scale; /* the changes' scale per unit step */
} fd_call;

/*
 * E(x0 + t) - E(x0) as a function of the step t: GSL differentiates it at
 * t = 0, so its points 0 +- h and +- h/2 are exact and the step it
 * divides by is the step that was taken.  GSL asks for -h first; the four
 * points of its rule are computed then, and the other three answered from
 * them.
 */
static double fd_change(double t, void *p)
{
	fd_call *fc = p;
	double de[BOUNDED_LANES], ds[BOUNDED_LANES];

	if (fc->rc != DV_OK)
		return NAN;
	for (size_t l = 0; fc->have && l < LANES; l++)
		if (fc->steps[l] == t)
			return fc->dv[l];
	fc->steps[0] = t;
	fc->steps[1] = -t;
	fc->steps[2] = t / 2;
	fc->steps[3] = -t / 2;
	fc->rc = change(fc->g, fc->j, fc->steps, fc->dv, de, ds);
	fc->have = 1;
	if (fc->rc != DV_OK)
		return NAN;
	for (size_t l = 0; l < LANES; l++) {
		double step = fabs(fc->steps[l]);
		if (step > 0)
			fc->min_step = fmin(fc->min_step, step);
		if (l < BOUNDED_LANES) {
			fc->max_bound = fmax(fc->max_bound, de[l]);
			if (step > 0)
				fc->max_scale = fmax(fc->max_scale, ds[l] / step);
		}
	}
	return fc->dv[0];
}

/*
 * An entry the doubles could not resolve, differenced again over MPFR at
 * each precision in turn (precise.h), with a step so small that only a
 * kink nearer than it could mislead, and that is checked first on the
 * graph.  Leaves e as it was, with the reason, when nothing resolves it.
 */
static int refine(dv_fd_entry *e, graph *g, const dv_node *loss, size_t j, double top)
{
	static const unsigned ladder[] = DV_MPFR_PRECISIONS;
	double x0 = dv_mat_get(g->x, j);

	for (size_t k = 0; k < sizeof ladder / sizeof ladder[0]; k++) {
		double step = dv_fd_refine_step(x0, ladder[k]);
		double steps[LANES] = {step, -step, step / 2, -step / 2};
		double dv[LANES], de[BOUNDED_LANES], ds[BOUNDED_LANES];
		dv_fd_entry next = *e;
		dv_diag local;
		int rc;
		if (g->rough)
			return DV_OK; /* no way to see its kinks */
		g->kinked = 0;
		if ((rc = change(g, j, steps, dv, de, ds)) != DV_OK)
			return rc;
		if (g->kinked) {
			e->why = kink_why(g->kinked, 1);
			return DV_OK;
		}
		dv_diag_clear(&local);
		rc = dv_fd_refine(&next, loss, g->var, j, g->env, ladder[k], &local);
		if (rc == DV_E_NOMEM)
			return dv_fail(g->d, DV_E_NOMEM, "out of memory");
		if (rc != DV_OK) {
			e->why = "the function has no form at higher precision";
			return DV_OK;
		}
		next.why = NULL;
		*e = next;
		if (e->bound <= DV_RESOLUTION * fmax(fmax(e->scale, fabs(e->value)), top))
			return DV_OK;
		e->why = "higher precision did not tighten the bound";
	}
	return DV_OK;
}

static int fd_grad(dv_mat **grad, dv_fd_entry **entries, const dv_node *loss,
                   const char *var, dv_env *env, dv_diag *d)
{
	graph g = {0};
	gnode *root = NULL;
	dv_mat *out = NULL;
	dv_fd_entry *rows = NULL;
	double *point_bound = NULL, *point_scale = NULL;
	int rc;

	*grad = NULL;
	if (entries != NULL)
		*entries = NULL;
	g.env = env;
	g.var = var;
	g.d = d;
	g.x = dv_env_lookup_mut(env, var);
	if (g.x == NULL || !dv_mat_is_double(g.x))
		return dv_fail(d, DV_E_ARGS, "'%s' is not a matrix of numbers", var);
	if (g.x->bound != NULL) {
		/*
		 * The gradient is the one at the numbers the variable holds: how
		 * far they are from what was meant (0.1 is no double) moves both
		 * sides of a check alike, and is no error of the differences.
		 */
		point_bound = g.x->bound;
		point_scale = g.x->scale;
		g.x->bound = g.x->scale = NULL;
		dv_env_changed(env);
	}
	if ((rc = build(&root, &g, loss, 0)) != DV_OK)
		goto out;
	if (!dv_mat_is_scalar(root->value)) {
		rc = dv_fail_at(
		        d, DV_E_SHAPE, loss->line, loss->column,
		        "the function must be a number (1x1), not a %zux%zu matrix",
		        root->value->rows, root->value->cols);
		goto out;
	}
	{
		/*
		 * The work, before it is done: every entry is moved at most eight
		 * times, and each move touches what the entry reaches (all of a
		 * part evaluated whole).
		 */
		double reach = 0.0, work;
		for (size_t i = 0; i < g.n; i++) {
			const gnode *n = g.nodes[i];
			if (n->kind == G_WHOLE)
				reach += 4.0 * n->cost;
			else if (n->kind == G_PLAN && n->plan != NULL)
				reach += (double)n->plan->nterms /
				                 (double)(n->plan->a_len ? n->plan->a_len
				                                         : 1) +
				         1.0;
			else if (n->kind != G_CONST)
				reach += 1.0;
		}
		work = 8.0 * reach * (double)dv_mat_len(g.x);
		if (work > DV_MAX_FD_WORK) {
			rc = dv_fail_at(
			        d, DV_E_LIMIT, loss->line, loss->column,
			        "finite differences over the %zu entries of %s would "
			        "take about %.2g steps; the limit is %.2g (use a "
			        "smaller %s)",
			        dv_mat_len(g.x), var, work, DV_MAX_FD_WORK, var);
			goto out;
		}
		if ((rc = dv_budget_charge(work, d)) != DV_OK)
			goto out;
	}
	rows = calloc(dv_mat_len(g.x), sizeof *rows);
	if (rows == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = dv_mat_new(&out, &dv_field_double, g.x->rows, g.x->cols, d)) != DV_OK ||
	    (rc = dv_mat_track(out, d)) != DV_OK)
		goto out;
	for (size_t j = 0; j < dv_mat_len(g.x) && rc == DV_OK; j++) {
		double x0 = dv_mat_get(g.x, j);
		double h = (g.whole ? FD_WHOLE_STEP : FD_STEP) * fmax(1.0, fabs(x0));
		fd_call fc = {&g, j, DV_OK, {0}, {0}, 0, 0.0, INFINITY, 0.0};
		gsl_function fn = {fd_change, &fc};
		dv_fd_entry *e = &rows[j];
		int status;
		g.kinked = 0;
		status = gsl_deriv_central(&fn, 0.0, h, &e->value, &e->gsl_error);
		if (fc.rc != DV_OK) {
			rc = fc.rc;
			break;
		}
		if (!g.kinked && (status != GSL_SUCCESS || !isfinite(e->value) ||
		                  !isfinite(fc.min_step))) {
			rc = dv_fail(d, DV_E_NUMERIC,
			             "finite differences failed at entry (%zu,%zu) of %s",
			             j / g.x->cols + 1, j % g.x->cols + 1, var);
			break;
		}
		/*
		 * GSL's result is a fixed combination of changes at steps h and
		 * h/2 (weights 4/3 and 1/6 on pairs), divided by h: at most
		 * 3 bound / h = 1.5 bound / (smallest step), and its own few
		 * roundings.
		 */
		e->rounding = 1.5 * fc.max_bound / fc.min_step * (1.0 + dv_gamma(4)) +
		              dv_gamma(8) * fabs(e->value);
		e->bound = 2.0 * e->gsl_error + e->rounding;
		e->scale = fc.max_scale;
		e->local = !g.whole;
		e->bits = 53;
		if (g.kinked || g.rough) {
			/* GSL's estimate means nothing across a kink or a pole
			 * (where the changes need not even be finite) */
			e->bound = INFINITY;
			e->why = g.kinked ? kink_why(g.kinked, 0)
			                  : "a part differenced whole may have a kink";
			if (!isfinite(e->value))
				e->value = 0.0;
			if (!isfinite(e->scale))
				e->scale = 0.0;
			if (!isfinite(e->gsl_error))
				e->gsl_error = INFINITY;
			if (!isfinite(e->rounding))
				e->rounding = INFINITY;
		}
		e->scale = fmax(e->scale, fabs(e->value));
	}
	/*
	 * An entry is judged against its own scale or the largest of the same
	 * gradient, whichever is larger: an entry that is exactly 0 (it feeds
	 * nothing that moves) has no size of its own to be resolved against.
	 * Those the doubles leave unresolved even so are differenced again.
	 */
	if (rc == DV_OK) {
		double top = 0.0;
		for (size_t j = 0; j < dv_mat_len(g.x); j++)
			if (isfinite(rows[j].scale))
				top = fmax(top, rows[j].scale);
		for (size_t j = 0; j < dv_mat_len(g.x) && rc == DV_OK; j++) {
			dv_fd_entry *e = &rows[j];
			if (!(e->bound <= DV_RESOLUTION * fmax(e->scale, top)))
				rc = refine(e, &g, loss, j, top);
			((double *)out->data)[j] = e->value;
			out->bound[j] = e->bound;
			out->scale[j] = fmax(fmax(e->scale, fabs(e->value)), top);
		}
	}
out:
	graph_clear(&g);
	if (point_bound != NULL) {
		free(g.x->bound);
		free(g.x->scale);
		g.x->bound = point_bound;
		g.x->scale = point_scale;
		dv_env_changed(env);
	}
	if (rc != DV_OK) {
		dv_mat_free(out);
		free(rows);
		return rc;
	}
	*grad = out;
	if (entries != NULL)
		*entries = rows;
	else
		free(rows);
	return DV_OK;
}

/* A gradient kept with the definition it differences (dv_env_keep). */
typedef struct fd_kept {
	dv_mat *grad;
	dv_fd_entry *entries;
} fd_kept;

static void fd_kept_free(void *p)
{
	fd_kept *k = p;
	dv_mat_free(k->grad);
	free(k->entries);
	free(k);
}

/* A copy of a gradient and its entries, into grad and entries (which may be NULL). */
static int copy_grad(dv_mat **grad, dv_fd_entry **entries, const dv_mat *from,
                     const dv_fd_entry *from_rows, dv_diag *d)
{
	size_t n = dv_mat_len(from);
	int rc = dv_mat_copy(grad, from, d);

	if (rc != DV_OK || entries == NULL)
		return rc;
	if ((*entries = malloc(n * sizeof **entries)) == NULL) {
		dv_mat_free(*grad);
		*grad = NULL;
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	memcpy(*entries, from_rows, n * sizeof **entries);
	return DV_OK;
}

/*
 * A lesson asks for the same gradient of its loss many times (a claim, its
 * gradient check, a refutation and what should be instead): the gradient
 * of a definition is kept with it while nothing it depends on changes.
 * A loss with a part differenced whole moves the era on (its numbers are
 * changed in place), and is worked out every time.
 */
int dv_fd_grad(dv_mat **grad, dv_fd_entry **entries, const dv_node *loss, const char *var,
               dv_env *env, dv_diag *d)
{
	const char *name = loss->kind == DV_N_NAME &&
	                                   dv_env_definition(env, loss->text) != NULL
	                           ? loss->text
	                           : NULL;
	unsigned long era = dv_env_era(env);
	dv_fd_entry *rows = NULL;
	const fd_kept *was;
	fd_kept *k;
	int rc;

	if (entries != NULL)
		*entries = NULL;
	if (name != NULL && (was = dv_env_kept(env, name, var)) != NULL)
		return copy_grad(grad, entries, was->grad, was->entries, d);
	if ((rc = fd_grad(grad, &rows, loss, var, env, d)) != DV_OK)
		return rc;
	/* kept as a copy; one that cannot be made is only not kept */
	if (name != NULL && dv_env_era(env) == era && (k = calloc(1, sizeof *k)) != NULL) {
		if (copy_grad(&k->grad, &k->entries, *grad, rows, NULL) == DV_OK)
			dv_env_keep(env, name, var, era, k, fd_kept_free);
		else
			free(k);
	}
	if (entries != NULL)
		*entries = rows;
	else
		free(rows);
	return DV_OK;
}
