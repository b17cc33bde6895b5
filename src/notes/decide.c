/*
 * decide: one step lhs = rhs decided in the scenes, as a lesson's claim is
 * (lesson_decide: exactly on symbols, then on numbers), under each reading
 * the file leaves open (* as convolution or cross-correlation, \cdot,
 * where indices start); the verdict and its reading go to the report.
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

static int keep_action(notes_run *N, lesson_action *a);

static int all_zero(const dv_mat *m);

static int decide_claim(notes_run *N, scene *sc, const char *l, const char *r, int line,
                        int column, outcome *o, dv_diag *d);

static int decide_indexed(notes_run *N, scene *sc, const tex_node *lhs,
                          const tex_node *rhs, int line, int column, outcome *o,
                          dv_diag *d);

static int fix_layers(tex_node *n);

static int rank(const outcome *o);

static int output_entry(const notes_run *N, const tex_node *n);

static int decide_open_star(notes_run *N, scene *conv, scene *xcorr, const tex_node *lhs,
                            const tex_node *rhs, notes_formula *f, outcome *o,
                            int *which, dv_diag *d);

static int decide_step_in(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                          notes_formula *f, int *resolved, int retry, dv_diag *d);

void outcome_clear(outcome *o)
{
	free(o->claim);
	free(o->reading);
	free(o->reason);
	lesson_check_free(o->check);
	memset(o, 0, sizeof *o);
}

static int keep_action(notes_run *N, lesson_action *a)
{
	lesson_action **as = realloc(N->rep->actions, (N->rep->nactions + 1) * sizeof *as);
	if (as == NULL)
		return -1;
	N->rep->actions = as;
	as[N->rep->nactions++] = a;
	return 0;
}

void action_free(lesson_action *a)
{
	if (a == NULL)
		return;
	dv_node_free(a->lhs);
	dv_node_free(a->rhs);
	free(a->lhs_text);
	free(a->rhs_text);
	free(a->text);
	free(a);
}

/* Whether a symbolic matrix is 0 in every entry. */
static int all_zero(const dv_mat *m)
{
	if (m == NULL || dv_mat_is_double(m))
		return 0;
	for (size_t i = 0; i < dv_mat_len(m); i++)
		if (sym_poly_len(*(sym_poly *const *)dv_mat_at(m, i)) != 0)
			return 0;
	return 1;
}

/* Decides "l == r" in the scene's run; the verdict goes to o. */
static int decide_claim(notes_run *N, scene *sc, const char *l, const char *r, int line,
                        int column, outcome *o, dv_diag *d)
{
	lesson_action *a = calloc(1, sizeof *a);
	dv_diag pd = {0};
	lesson_check *c = NULL;
	int rc;

	if (a == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	a->kind = LESSON_CLAIM;
	a->line = line;
	a->column = column;
	a->lhs_text = notes_dup(l);
	a->rhs_text = notes_dup(r);
	if (a->lhs_text == NULL || a->rhs_text == NULL || keep_action(N, a) != 0) {
		action_free(a);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if (dv_parse(&a->lhs, l, &pd) != DV_OK || dv_parse(&a->rhs, r, &pd) != DV_OK) {
		/* what the resolver wrote does not parse: a bug, said as such */
		o->verdict = NOTES_UNCHECKED;
		o->reason = notes_dup(pd.message);
		return o->reason != NULL ? DV_OK : dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	rc = lesson_decide(&c, a, sc->r, &pd);
	if (rc == DV_E_NOMEM) {
		lesson_check_free(c);
		return dv_fail(d, rc, "out of memory");
	}
	if (rc != DV_OK) {
		lesson_check_free(c);
		/* past the work a formula may take, or a claim that cannot be
		 * evaluated here: not decided, never failed */
		o->verdict = rc == DV_E_LIMIT ? NOTES_INCONCLUSIVE : NOTES_UNCHECKED;
		o->reason = notes_dup(pd.message);
		return DV_OK;
	}
	o->verdict = c->passed ? NOTES_HOLDS : c->inconclusive ? NOTES_INCONCLUSIVE
	                                                      : NOTES_FAILS;
	if (o->verdict == NOTES_FAILS && sc->learned &&
	    (c->exact.unevaluable || c->numeric.unevaluable)) {
		/* a side with no value at some size: the file's letters were read,
		 * their sizes guessed; not a mistake the formula makes */
		o->verdict = NOTES_UNCHECKED;
		o->reason = notes_dup("a side has no value at the sizes the file's scene was given "
		                "(some sizes are not in the text)");
	}
	if (c->exact.value.kind == DV_V_CHECK)
		o->degenerate = all_zero(c->exact.value.mat) != all_zero(c->exact.value.mat2);
	o->check = c;
	o->result = sc->r;
	{
		size_t n = strlen(l) + strlen(r) + 5;
		o->claim = malloc(n);
		if (o->claim == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		snprintf(o->claim, n, "%s == %s", l, r);
	}
	return DV_OK;
}

/*
 * Index notation with ranges the notes leave unstated: lhs is M_{u,v}; each
 * reading numbers entries from 1 or 0 and starts the sums at 0 or 1.  A
 * formula that holds under some readings only is ambiguous, and fails: the
 * report names the reading that makes it hold.
 */
static int decide_indexed(notes_run *N, scene *sc, const tex_node *lhs,
                          const tex_node *rhs, int line, int column, outcome *o,
                          dv_diag *d)
{
	const tex_node *top = lhs;
	tex_node bare;
	resolver R0 = {0};
	char *m;
	size_t rows, cols;
	int fu, fv, rc;
	char held[256] = "", failed[256] = "";
	outcome first_fail = {0}, first_hold = {0};
	int nhold = 0, nfail = 0, nbad = 0, closed = 0;

	/* \frac{\partial E}{\partial (K)_{r,s}}: the free indices are the
	 * target's, the size K's */
	top = strip(top);
	if (top->kind == TX_FRAC && is_partial(strip(top->kids[0])) &&
	    is_partial(strip(top->kids[1])))
		top = strip(strip(top->kids[1])->kids[0]);
	if (top->kind != TX_SYM && top->kind != TX_GROUP)
		return 1;
	if (top->sub == NULL || sub_kind(top->sub, &rows, &cols) == SUB_ENTRY ||
	    (top->sub->kind == TX_LIST && !letters_of(top->sub))) {
		/* ∂J/∂W_{11} = \sum_i \sum_j ...: no free index, the sums bound */
		closed = 1;
		fu = fv = 0;
	} else if (sc->learned && two_letters(top->sub, &fu, &fv)) {
		/* W_{ij} in the file's own letters: the indices i and j */
	} else if (top->sub->kind != TX_LIST || top->sub->nkids != 2 ||
	           top->sub->kids[0]->kind != TX_SYM || top->sub->kids[1]->kind != TX_SYM ||
	           strlen(top->sub->kids[0]->text) != 1 ||
	           strlen(top->sub->kids[1]->text) != 1) {
		return 1;
	} else {
		fu = top->sub->kids[0]->text[0] - 'a';
		fv = top->sub->kids[1]->text[0] - 'a';
	}
	if (!closed && (fu < 0 || fu >= 26 || fv < 0 || fv >= 26 || fu == fv))
		return 1;
	bare = *top;
	bare.sub = NULL;
	R0.sc = sc;
	if (!closed &&
	    ((m = resolve_text(&R0, &bare)) == NULL || shape_of(&R0, m, top, &rows, &cols) != 0)) {
		free(m);
		return 1;
	}
	if (!closed)
		free(m);
	for (int eb = 1; eb >= 0; eb--)
		for (int sb = 0; sb <= 1; sb++)
			for (int star = 0; star < NSTAR; star++) {
				resolver R = {0};
				if (sc->learned && sc->base >= 0 && (eb != sc->base || sb != sc->base))
					continue; /* the file says where its indices start */
				char *l, *r, what[96];
				outcome cur = {0};
				R.sc = sc;
				R.idx = 1;
				R.eb = eb;
				R.sb = sb;
				R.star = star_of(sc, star);
				for (int k = 0; k < 26; k++)
					R.range[k] = (size_t)-1;
				scan_ranges(&R, rhs);
				if (closed) {
					l = resolve_text(&R, lhs);
					r = l != NULL ? resolve_text(&R, rhs) : NULL;
				} else {
					l = resolve_indexed(&R, lhs, fu, fv, rows, cols);
					if (l != NULL)
						l = whole_matrix(l, rows, cols);
					r = l != NULL ? resolve_indexed(&R, rhs, fu, fv, rows, cols) : NULL;
				}
				if (star > 0 && !R.used_star) {
					free(l);
					free(r);
					continue;
				}
				snprintf(what, sizeof what, "entries numbered from %d, sums from %d%s%s", eb, sb,
				         R.used_star ? ", * as " : "",
				         R.used_star ? star_name(star_of(sc, star)) : "");
				if (l == NULL || r == NULL) {
					free(l);
					free(r);
					if (!R.shape_error && eb == 1 && sb == 0 && star == 0) {
						o->why = R.why;
						return 1;
					}
					nbad++;
					continue; /* an entry out of range: not a reading */
				}
				rc = decide_claim(N, sc, l, r, line, column, &cur, d);
				free(l);
				free(r);
				if (rc != DV_OK) {
					outcome_clear(&cur);
					outcome_clear(&first_fail);
					outcome_clear(&first_hold);
					return -1;
				}
				cur.resolved = 1;
				cur.star = star_of(sc, star);
				if (cur.verdict == NOTES_HOLDS) {
					if (nhold++ == 0) {
						snprintf(held, sizeof held, "%s", what);
						first_hold = cur;
					} else {
						outcome_clear(&cur);
					}
				} else {
					if (nfail++ == 0) {
						snprintf(failed, sizeof failed, "%s", what);
						first_fail = cur;
					} else {
						outcome_clear(&cur);
					}
				}
			}
	if (nhold == 0 && nfail == 0)
		return 1;
	if (nhold > 0 && first_hold.star == sc->star_own) {
		/* holds as the notes define *: where the indices start is the
		 * only choice, and the report says which */
		*o = first_hold;
		if (nfail > 0 || nbad > 0) {
			char msg[640];
			o->ambiguous = 1;
			if (nfail > 0)
				snprintf(msg, sizeof msg,
				         "ambiguous: the notes do not say where the indices "
				         "start; it holds only with %s, and fails with %s",
				         held, failed);
			else
				snprintf(msg, sizeof msg,
				         "ambiguous: the notes do not say where the indices "
				         "start; it holds with %s, and every other start "
				         "names entries outside the matrices",
				         held);
			free(o->reason);
			o->reason = notes_dup(msg);
		}
		free(o->reading);
		o->reading = notes_dup(held);
		outcome_clear(&first_fail);
		return 0;
	}
	if (nhold > 0) {
		char msg[640];
		*o = first_fail;
		o->verdict = NOTES_FAILS;
		o->held_otherwise = 1;
		o->star = first_hold.star;
		snprintf(msg, sizeof msg, "holds if * is read as %s (%s); fails with the notes' own * (%s)",
		         star_name(first_hold.star), held, own_star(sc));
		free(o->reason);
		o->reason = notes_dup(msg);
		free(o->reading);
		o->reading = notes_dup(failed);
		outcome_clear(&first_hold);
		return 0;
	}
	*o = first_fail;
	free(o->reading);
	o->reading = notes_dup(failed);
	if (nfail > 1 && o->reason == NULL)
		o->reason = notes_dup("it fails whichever way the indices are numbered (entries "
		                "from 0 or 1, sums from 0 or 1)");
	return 0;
}

/*
 * Decides lhs = rhs in scene sc, trying each reading of * and \cdot that
 * occurs.  The notes' own * (convolution) decides the verdict; another
 * reading that makes the formula hold is named as the way it can hold.
 */
int decide_in(notes_run *N, scene *sc, const tex_node *lhs, const tex_node *rhs,
                     int line, int column, outcome *o, dv_diag *d)
{
	int rc;
	outcome best = {0};
	int have_best = 0, used_star = 0, used_cdot = 0, free_uv = 0;

	memset(o, 0, sizeof *o);
	if ((rc = scene_run(N, sc, &o->why)) != DV_OK) {
		if (rc == DV_E_NOMEM)
			return dv_fail(d, rc, "out of memory");
		o->verdict = NOTES_UNCHECKED;
		return DV_OK;
	}
	for (int star = 0; star < NSTAR; star++) {
		for (int cdot = 0; cdot < NCDOT; cdot++) {
			resolver R = {0};
			char *l, *r;
			outcome cur = {0};
			if ((star > 0 && !used_star) || (cdot > 0 && !used_cdot))
				continue;
			R.sc = sc;
			R.star = star_of(sc, star);
			R.cdot = cdot;
			R.uv = R.free_uv = free_uv;
			l = resolve_text(&R, lhs);
			r = l != NULL ? resolve_text(&R, rhs) : NULL;
			if (star == 0 && cdot == 0) {
				used_star = R.used_star;
				used_cdot = R.used_cdot;
			}
			if (l == NULL || r == NULL) {
				free(l);
				free(r);
				/* read in a scene it does not fit: not read there */
				int misfit = R.shape_error &&
				             (R.out_of_range || !sc->own || sc->learned);
				if (misfit || !R.shape_error) {
					if (!misfit && star == 0 && cdot == 0 && !free_uv &&
					    strstr(R.why.message, "have no \\sum") != NULL) {
						/* (δ)_{u,v} = ∂E/∂(net)_{u,v}: for every u, v */
						free_uv = 1;
						star = cdot = -1;
						break;
					}
					if (!misfit && star == 0 && cdot == 0 &&
					    (strstr(R.why.message, "index notation") != NULL ||
					     strstr(R.why.message, "have no \\sum") != NULL)) {
						int got = decide_indexed(N, sc, strip(lhs), rhs, line,
						                         column, o, d);
						if (got < 0)
							return DV_E_NOMEM;
						if (got == 0) {
							outcome_clear(&best);
							return DV_OK;
						}
					}
					if (star == 0 && cdot == 0) {
						if (o->why.code == DV_OK)
							o->why = R.why;
						o->verdict = NOTES_UNCHECKED;
						outcome_clear(&best);
						return DV_OK;
					}
					continue;
				}
				/* a size that does not fit: this reading fails */
				cur.verdict = NOTES_FAILS;
				cur.resolved = 1;
				cur.reason = notes_dup(R.why.message);
				cur.reading = reading_text(&R, sc);
			} else {
				rc = decide_claim(N, sc, l, r, line, column, &cur, d);
				free(l);
				free(r);
				if (rc != DV_OK) {
					outcome_clear(&cur);
					outcome_clear(&best);
					return rc;
				}
				cur.resolved = 1;
				cur.reading = reading_text(&R, sc);
			}
			cur.star = star_of(sc, star);
			if (cur.verdict == NOTES_HOLDS && star != 0 && have_best) {
				/* holds only under another reading of *: say so */
				char *msg;
				size_t n = 240;
				if ((msg = malloc(n)) != NULL) {
					snprintf(msg, n, "holds if * is read as %s; fails with the notes' own * (%s)",
					         star_name(cur.star), own_star(sc));
					free(best.reason);
					best.reason = msg;
				}
				best.star = cur.star;
				best.held_otherwise = 1;
				outcome_clear(&cur);
				*o = best;
				return DV_OK;
			}
			if (cur.verdict == NOTES_HOLDS) {
				outcome_clear(&best);
				*o = cur;
				return DV_OK;
			}
			if (!have_best) {
				best = cur;
				have_best = 1;
			} else {
				outcome_clear(&cur);
			}
		}
	}
	*o = best;
	return DV_OK;
}

/* Replaces each superscript that is not a layer (δ_i^j) by l; the count. */
static int fix_layers(tex_node *n)
{
	int c = 0;
	if (n == NULL)
		return 0;
	if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sup != NULL &&
	    layer_of(n->sup) == NULL && n->sup->kind == TX_SYM && n->sup->sub == NULL &&
	    n->sup->sup == NULL && strcmp(n->sup->text, "T") != 0) {
		char *l = notes_dup("l");
		if (l != NULL) {
			free(n->sup->text);
			n->sup->text = l;
			c++;
		}
	}
	for (size_t i = 0; i < n->nkids; i++)
		c += fix_layers(n->kids[i]);
	return c + fix_layers(n->sub);
}

/*
 * Which scene's failure to report: one where the formula holds under another
 * reading of *, then one where both sides evaluate, then one where a size
 * does not fit; last, one where a side is 0 throughout (E does not depend
 * on the quantity there: not the formula's scene).
 */
static int rank(const outcome *o)
{
	if (o->degenerate)
		return 0;
	if (o->held_otherwise)
		return 3;
	if (o->check != NULL && !o->check->exact.unevaluable && !o->check->numeric.unevaluable)
		return 2;
	return 1;
}

/* Whether n is one entry of the matrix the file's forward pass outputs
 * (O_{11}, z^l_{11}). */
static int output_entry(const notes_run *N, const tex_node *n)
{
	const char *layer;
	char name[96];
	size_t i, j;
	n = strip(n);
	if (n == NULL || n->kind != TX_SYM || n->sub == NULL ||
	    sub_kind(n->sub, &i, &j) != SUB_ENTRY || (layer = layer_of(n->sup)) == NULL)
		return 0;
	snprintf(name, sizeof name, "%s%s", n->text, layer);
	return strcmp(name, N->nt.output) == 0;
}

/*
 * The file writes * and has not said whether it flips the kernel: the step
 * in both readings.  Where they agree, that is the verdict.  Where they do
 * not, an expansion of an output entry with no derivative in it (O_{11} =
 * X_{11}F_{11} + ...) is the file saying what its * is: that reading holds
 * from here on.  Any other step that holds under one reading only is not
 * decided: the file leaves the choice open.  *which: the scene (0 or 1)
 * the outcome belongs to.
 */
static int decide_open_star(notes_run *N, scene *conv, scene *xcorr, const tex_node *lhs,
                            const tex_node *rhs, notes_formula *f, outcome *o,
                            int *which, dv_diag *d)
{
	outcome a, b;
	int rc;
	*which = 0;
	if ((rc = decide_in(N, conv, lhs, rhs, f->line, f->column, &a, d)) != DV_OK)
		return rc;
	if ((rc = decide_in(N, xcorr, lhs, rhs, f->line, f->column, &b, d)) != DV_OK) {
		outcome_clear(&a);
		return rc;
	}
	if (a.verdict == b.verdict || !a.resolved || !b.resolved ||
	    (a.verdict != NOTES_HOLDS && b.verdict != NOTES_HOLDS)) {
		if (!a.resolved && b.resolved) {
			outcome_clear(&a);
			*o = b;
			*which = 1;
			return DV_OK;
		}
		outcome_clear(&b);
		*o = a;
		return DV_OK;
	}
	{
		int holds_xcorr = b.verdict == NOTES_HOLDS;
		char msg[200];
		outcome *keep = holds_xcorr ? &b : &a;
		outcome_clear(holds_xcorr ? &a : &b);
		*which = holds_xcorr;
		if (output_entry(N, lhs) && !notes_has_derivative(rhs)) {
			N->star_fixed = holds_xcorr;
			snprintf(msg, sizeof msg,
			         "the file writes its output out so: its * is a %s from here on",
			         holds_xcorr ? "cross-correlation (the kernel not flipped)"
			                     : "convolution (the kernel flipped)");
		} else {
			keep->verdict = NOTES_INCONCLUSIVE;
			keep->ambiguous = 1;
			snprintf(msg, sizeof msg,
			         "holds if * is a %s, fails if it is a %s: the file does not say "
			         "which",
			         holds_xcorr ? "cross-correlation" : "convolution",
			         holds_xcorr ? "convolution" : "cross-correlation");
		}
		free(keep->reason);
		keep->reason = notes_dup(msg);
		*o = *keep;
	}
	return DV_OK;
}

/* Decides one step lhs = rhs over the scenes and fills f. */
int decide_step(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                       notes_formula *f, int *resolved, dv_diag *d)
{
	/* one step, every scene, reading and repair of it: one item's work
	 * at most (core/budget.h) */
	dv_budget outer;
	int rc;
	dv_budget_start(&outer, DV_BUDGET_ITEM);
	rc = decide_step_in(N, lhs, rhs, f, resolved, 1, d);
	if (rc == DV_OK && dv_budget_spent() &&
	    (f->verdict == NOTES_UNCHECKED || f->verdict == NOTES_INCONCLUSIVE)) {
		/* what was not decided, was not for lack of reading it */
		char why[160];
		snprintf(why, sizeof why,
		         "too large to decide here (%.3g terms, limit %.3g): a smaller "
		         "size in the file's context would do",
		         dv_budget_used(), DV_BUDGET_ITEM);
		free(f->reason);
		f->reason = notes_dup(why);
		f->why_line = f->why_column = 0; /* the whole formula's */
		if (f->reason == NULL)
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	dv_budget_stop(&outer);
	return rc;
}

static int decide_step_in(notes_run *N, const tex_node *lhs, const tex_node *rhs,
                          notes_formula *f, int *resolved, int retry, dv_diag *d)
{
	outcome first = {0};
	scene *first_scene = NULL;
	dv_diag why = {0};
	int rc;

	*resolved = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		outcome o;
		if (sc->broken)
			continue;
		if (sc->variant > 0 && N->star_fixed >= 0 && sc->variant - 1 != N->star_fixed)
			continue; /* the reading of * the file did not choose */
		if (sc->variant == 1 && N->star_fixed < 0 && s + 1 < N->nscenes &&
		    N->scenes[s + 1].variant == 2) {
			int which;
			if ((rc = decide_open_star(N, sc, &N->scenes[s + 1], lhs, rhs, f, &o,
			                           &which, d)) != DV_OK) {
				outcome_clear(&first);
				return rc;
			}
			s++;
			sc = &N->scenes[s - 1 + (size_t)which];
		} else if ((rc = decide_in(N, sc, lhs, rhs, f->line, f->column, &o, d)) != DV_OK) {
			outcome_clear(&first);
			return rc;
		}
		if (o.verdict == NOTES_UNCHECKED && !o.resolved) {
			if (why.code == DV_OK)
				why = o.why;
			if (why.code == DV_OK && o.reason != NULL)
				dv_fail(&why, DV_E_NAME, "%s", o.reason);
			outcome_clear(&o);
			continue;
		}
		if (o.verdict == NOTES_HOLDS) {
			outcome_clear(&first);
			first = o;
			first_scene = sc;
			break;
		}
		if (first_scene == NULL || rank(&o) > rank(&first)) {
			outcome_clear(&first);
			first = o;
			first_scene = sc;
		} else {
			outcome_clear(&o);
		}
	}
	if (first_scene == NULL && retry && strstr(why.message, "is not a layer") != NULL) {
		/* δ_i^j for δ_j^l: if the formula holds with the layer l, say so */
		tex_node *l = node_copy(lhs), *r = node_copy(rhs);
		notes_formula g = {0};
		int res = 0;
		if (l == NULL || r == NULL) {
			tex_node_free(l);
			tex_node_free(r);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		g.line = f->line;
		g.column = f->column;
		if (fix_layers(l) + fix_layers(r) > 0 &&
		    (rc = decide_step_in(N, l, r, &g, &res, 0, d)) != DV_OK) {
			tex_node_free(l);
			tex_node_free(r);
			return rc;
		}
		if (res && g.verdict == NOTES_HOLDS) {
			char *a = latex_of(l), *b = latex_of(r);
			*resolved = 1;
			f->verdict = NOTES_FAILS;
			rc = notes_set_reason(f, &why, d);
			f->scene = g.scene;
			f->reading = g.reading;
			f->claim = g.claim;
			g.scene = g.reading = g.claim = NULL;
			if (a != NULL && b != NULL)
				f->repair = notes_join(a, " = ", b);
			f->repair_what = notes_dup("the superscript read as the layer l");
			free(a);
			free(b);
		}
		free(g.scene);
		free(g.reading);
		free(g.claim);
		free(g.reason);
		free(g.repair);
		free(g.repair_what);
		lesson_check_free(g.check);
		tex_node_free(l);
		tex_node_free(r);
		if (*resolved)
			return rc;
	}
	if (first_scene == NULL) {
		f->verdict = NOTES_UNCHECKED;
		return notes_set_reason(f, &why, d);
	}
	*resolved = 1;
	f->verdict = first.verdict;
	f->ambiguous = first.ambiguous;
	f->scene = notes_dup(first_scene->title);
	f->reading = first.reading;
	f->claim = first.claim;
	f->reason = first.reason;
	f->check = first.check;
	f->result = first.result;
	first.reading = first.claim = first.reason = NULL;
	first.check = NULL;
	if (f->verdict != NOTES_HOLDS && !(f->verdict == NOTES_INCONCLUSIVE && f->ambiguous)) {
		repair rep;
		/* the first scene the formula could be read in, as it was decided */
		if ((rc = search_repairs(N, first_scene, lhs, rhs, f->line, f->column, &rep,
		                         d)) != DV_OK)
			return rc;
		if (rep.rhs != NULL && rep.star != STAR_CONV &&
		    rewrite_stars(&rep.rhs, rep.star) != 0) {
			tex_node_free(rep.lhs);
			tex_node_free(rep.rhs);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		if (rep.rhs != NULL) {
			char *l = latex_of(rep.lhs), *r = latex_of(rep.rhs);
			if (l != NULL && r != NULL)
				f->repair = notes_join(l, " = ", r);
			free(l);
			free(r);
			f->repair_what = notes_dup(rep.what);
			tex_node_free(rep.lhs);
			tex_node_free(rep.rhs);
		}
	}
	return DV_OK;
}
