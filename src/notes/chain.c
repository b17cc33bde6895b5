/*
 * chain: each chain a = b = c of the file in turn: definitions (a matrix of
 * symbols, a new name, an assumption, a constant), worked examples in
 * numbers, and each step against the side before it.
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

static int symbol_matrix(const tex_node *m, char *letter, size_t size);

static int defined_name(const tex_node *lhs, char *name, size_t size);

static int apply_binding(notes_run *N, const char *name, const char *letter, size_t rows,
                         size_t cols, int *applied, dv_diag *d);

static int apply_definition(notes_run *N, const char *name, const tex_node *rhs,
                            int *applied, dv_diag *why, dv_diag *d);

static int number_matrix(const tex_node *n);

static dv_mat *value_on(const char *src, lesson_result *r);

static int same_numbers(const dv_mat *a, const dv_mat *b);

static int worked_example(notes_run *N, const tex_chain *ch, int *done, dv_diag *d);

static notes_formula *add_definition(notes_run *N, const tex_chain *ch);

static int assumption(const tex_node *lhs, const tex_node *rhs);

static int side_readable(notes_run *N, const tex_node *n, char **why, dv_diag *d);

notes_formula *add_formula(notes_run *N, int line, int column, const char *latex)
{
	notes_report *rep = N->rep;
	notes_formula *f;
	if (rep->n == N->items_cap) {
		size_t cap = N->items_cap == 0 ? 64 : N->items_cap * 2;
		if ((f = realloc(rep->items, cap * sizeof *f)) == NULL)
			return NULL;
		rep->items = f;
		N->items_cap = cap;
	}
	f = &rep->items[rep->n++];
	memset(f, 0, sizeof *f);
	f->line = line;
	f->column = column;
	f->end = N->math_end;
	f->latex = notes_dup(latex != NULL ? latex : "");
	f->verdict = NOTES_UNCHECKED;
	return f->latex != NULL ? f : NULL;
}

char *notes_join(const char *a, const char *sep, const char *b)
{
	size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
	char *s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%s%s%s", a, sep, b);
	return s;
}

int notes_set_reason(notes_formula *f, const dv_diag *why, dv_diag *d)
{
	free(f->reason);
	if ((f->reason = notes_dup(why->message)) == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	f->why_line = why->line;
	f->why_column = why->column;
	return DV_OK;
}

/*
 * The file's index-form forward pass, O(i, j) = \sum_m \sum_n I(i+m, j+n)
 * K(m, n) + b, expanded in scene sc entry by entry into `define O = [...]`,
 * with δ of O's size and E = sum(δ .* O).  O's size is the text's, or as
 * many rows and columns as keep every index inside its matrix.  0, or -1
 * for memory; a form that cannot be expanded leaves the scene without O.
 */
int expand_index_form(notes_run *N, scene *sc, dv_diag *d)
{
	const tex_chain *ch = N->nt.index_def;
	const tex_node *lhs = strip(ch->sides[0].tree), *rhs = ch->sides[1].tree;
	resolver R = {0};
	int fu, fv, rc;
	size_t rows = N->nt.out_rows, cols = N->nt.out_cols;
	char *body = NULL, line[160];
	dv_strbuf b;

	if (lhs->sub->kind == TX_LIST) {
		fu = lhs->sub->kids[0]->text[0] - 'a';
		fv = lhs->sub->kids[1]->text[0] - 'a';
	} else if (!two_letters(lhs->sub, &fu, &fv)) {
		return 0;
	}
	if ((rc = scene_run(N, sc, d)) != DV_OK)
		return rc == DV_E_NOMEM ? -1 : 0;
	R.sc = sc;
	R.idx = 1;
	R.eb = R.sb = N->nt.base;
	for (int k = 0; k < 26; k++)
		R.range[k] = (size_t)-1;
	scan_ranges(&R, rhs);
	R.bound[fu] = R.bound[fv] = 1;
	{
		/* one entry first: what each costs to write (a kernel as large as
		 * the input makes one entry a thousand terms) */
		char *one;
		R.val[fu] = R.val[fv] = R.eb;
		if ((one = resolve_text(&R, rhs)) == NULL) {
			dv_diag_clear(&R.why);
			return 0;
		}
		N->nt.index_text = (double)strlen(one) *
		                   (double)(rows > 0 ? rows : 2) * (double)(cols > 0 ? cols : 2);
		free(one);
		if (N->nt.index_text > NOTES_MAX_INDEX_TEXT)
			return 0;
	}
	for (int pass = 0; pass < 2 && (rows == 0 || cols == 0); pass++) {
		/* the size: how far the indices go with every entry inside */
		size_t n = 0;
		for (; n < 64; n++) {
			char *t;
			R.val[fu] = (pass == 0 ? (long)n : 0) + R.eb;
			R.val[fv] = (pass == 1 ? (long)n : 0) + R.eb;
			dv_diag_clear(&R.why);
			if ((t = resolve_text(&R, rhs)) == NULL)
				break;
			free(t);
		}
		if (pass == 0)
			rows = n;
		else
			cols = n;
	}
	dv_diag_clear(&R.why);
	if (rows == 0 || cols == 0)
		return 0;
	{
		/* what the whole expansion would write, from its first entry: past
		 * the limit, the scene goes without the output (its formulas are
		 * then not checked), never a minute of work */
		char *one;
		R.val[fu] = R.val[fv] = R.eb;
		dv_diag_clear(&R.why);
		if ((one = resolve_text(&R, rhs)) == NULL)
			return 0;
		N->nt.index_text = (double)strlen(one) * (double)rows * (double)cols;
		free(one);
		if (N->nt.index_text > NOTES_MAX_INDEX_TEXT)
			return 0;
	}
	if ((body = resolve_indexed(&R, rhs, fu, fv, rows, cols)) == NULL)
		return 0;
	dv_strbuf_init(&b);
	dv_strbuf_printf(&b, "define %s = %s", N->nt.output, body);
	free(body);
	body = NULL;
	if (dv_strbuf_finish(&b, &body, NULL) != DV_OK)
		return -1;
	snprintf(line, sizeof line, "matrix delta = d %zux%zu", rows, cols);
	if (scene_add(sc, line, 0, 0) != 0 || scene_add(sc, body, 0, 0) != 0) {
		free(body);
		return -1;
	}
	free(body);
	snprintf(line, sizeof line, "define E = sum(delta .* %s)", N->nt.output);
	if (scene_add(sc, line, 0, 0) != 0)
		return -1;
	{
		scene_line *o_line = scene_find(sc, N->nt.output);
		if (o_line != NULL)
			o_line->by_file = 1; /* ∂E/∂O is its δ */
	}
	scene_changed(sc);
	return 0;
}

/* X = \begin{bmatrix} x_{11} & ... \end{bmatrix}: the matrix's letter, or NULL. */
static int symbol_matrix(const tex_node *m, char *letter, size_t size)
{
	if (m->kind != TX_MATRIX || m->rows == 0 || m->cols == 0 || m->rows > 9 ||
	    m->cols > 9)
		return 0;
	letter[0] = '\0';
	for (size_t i = 0; i < m->nkids; i++) {
		const tex_node *e = m->kids[i];
		size_t r = i / m->cols + 1, c = i % m->cols + 1, er = 0, ec = 0;
		char l[16];
		if (e->kind != TX_SYM)
			return 0;
		if (e->sub != NULL) {
			if (sub_kind(e->sub, &er, &ec) != SUB_ENTRY || e->sup != NULL)
				return 0;
			snprintf(l, sizeof l, "%s", e->text);
		} else if (strlen(e->text) == 3 && isdigit((unsigned char)e->text[1]) &&
		           isdigit((unsigned char)e->text[2])) {
			snprintf(l, sizeof l, "%c", e->text[0]);
			er = (size_t)(e->text[1] - '0');
			ec = (size_t)(e->text[2] - '0');
		} else {
			return 0;
		}
		if (er != r || ec != c)
			return 0;
		if (!isalpha((unsigned char)l[0]))
			return 0;
		for (const char *p = l; *p != '\0'; p++)
			if (!isalpha((unsigned char)*p))
				return 0;
		if (letter[0] == '\0')
			snprintf(letter, size, "%s", l);
		else if (strcmp(letter, l) != 0)
			return 0;
	}
	return 1;
}

/* The name a definition's left side gives, or 0 if it is not one symbol. */
static int defined_name(const tex_node *lhs, char *name, size_t size)
{
	size_t i, j;
	const char *layer;
	lhs = strip(lhs);
	if (lhs->kind != TX_SYM || lhs->primes != 0 || (layer = layer_of(lhs->sup)) == NULL)
		return 0;
	if (lhs->sub != NULL && sub_kind(lhs->sub, &i, &j) != SUB_MAP)
		return 0;
	if (!isalpha((unsigned char)lhs->text[0]))
		return 0;
	for (const char *p = lhs->text; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_') /* dA_prev */
			return 0;
	snprintf(name, size, "%s%s", lhs->text, layer);
	return 1;
}

/* NAME = matrix of symbols: binds NAME and the letter in every scene. */
static int apply_binding(notes_run *N, const char *name, const char *letter, size_t rows,
                         size_t cols, int *applied, dv_diag *d)
{
	*applied = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		const char *m = NULL;
		scene_line *own = scene_find(sc, name);
		char line[192];
		scene saved;
		lesson *ol;
		lesson_result *orr;
		int kept, rc, bad = 0;
		if (sc->broken)
			continue;
		if ((rc = scene_run(N, sc, d)) != DV_OK)
			return rc;
		ol = sc->l;
		orr = sc->r;
		if (scene_copy(&saved, sc) != 0) {
			scene_clear(&saved);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < sc->nlines; i++)
			if (sc->lines[i].var && strcmp(sc->lines[i].letter, letter) == 0)
				m = sc->lines[i].name;
		if (m != NULL) {
			/* the matrix of these symbols takes the notes' size */
			scene_line *v = scene_find(sc, m);
			char vname[64];
			snprintf(vname, sizeof vname, "%s", v->name);
			if (v->rows != 0 && (v->rows != rows || v->cols != cols)) {
				if (v->rows == 1 && v->cols == 1)
					snprintf(line, sizeof line, "scalar %s = %s", vname, letter);
				else
					snprintf(line, sizeof line, "matrix %s = %s %zux%zu", vname,
					         letter, rows, cols);
				bad = rows * cols > 1 && scene_set(sc, line, 0) != 0;
			}
			if (!bad && strcmp(vname, name) != 0) {
				snprintf(line, sizeof line, "define %s = %s", name, vname);
				bad = scene_set(sc, line, 1) != 0;
			}
		} else if (own != NULL && !own->var && own->by_file) {
			/* A = x * K, then A = [a_{11} ...]: a names A's entries */
			bad = scene_alias(sc, letter, name) != 0;
		} else {
			snprintf(line, sizeof line, "matrix %s = %s %zux%zu", name, letter, rows,
			         cols);
			bad = scene_set(sc, line, 1) != 0;
		}
		if (bad) {
			/* a line the scene cannot hold (a letter it does not read):
			 * not applied here, the scene as it was */
			scene_undo(sc, &saved, ol, orr);
			continue;
		}
		if ((rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK)
			return rc;
		*applied |= kept;
	}
	return DV_OK;
}

/* NAME = expression: a define in every scene that can read it and lacks NAME. */
static int apply_definition(notes_run *N, const char *name, const tex_node *rhs,
                            int *applied, dv_diag *why, dv_diag *d)
{
	int rc;
	*applied = 0;
	for (size_t s = 0; s < N->nscenes; s++) {
		scene *sc = &N->scenes[s];
		resolver R = {0};
		char *text, *line;
		scene_line *own;
		scene saved;
		lesson *ol;
		lesson_result *orr;
		int kept;
		if (sc->broken)
			continue;
		own = scene_find(sc, name);
		if (own != NULL && !(own->var && own->by_file))
			continue; /* a name the scene has: not a definition here */
		if ((rc = scene_run(N, sc, d)) != DV_OK)
			return rc;
		R.sc = sc;
		if ((text = resolve_text(&R, rhs)) == NULL) {
			if (why->code == DV_OK)
				*why = R.why;
			continue;
		}
		line = malloc(strlen(name) + strlen(text) + 16);
		if (line == NULL) {
			free(text);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		ol = sc->l;
		orr = sc->r;
		if (scene_copy(&saved, sc) != 0) {
			scene_clear(&saved);
			free(text);
			free(line);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		sprintf(line, "define %s = %s", name, text);
		free(text);
		if (own != NULL) {
			/* P = [a_{11} ...] came first: a names P's entries */
			char letter[16];
			snprintf(letter, sizeof letter, "%s", own->letter);
			if (scene_set(sc, line, 1) != 0 || scene_alias(sc, letter, name) != 0) {
				free(line);
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			}
		} else if (scene_set(sc, line, 1) != 0) {
			free(line);
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		free(line);
		if ((rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK)
			return rc;
		*applied |= kept;
	}
	return DV_OK;
}

/* Whether n is a matrix of plain numbers, as a worked example writes one. */
static int number_matrix(const tex_node *n)
{
	n = strip(n);
	if (n == NULL || n->kind != TX_MATRIX || n->rows > 16 || n->cols > 16)
		return 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const tex_node *e = strip(n->kids[i]);
		if (e != NULL && e->kind == TX_NEG)
			e = strip(e->kids[0]);
		if (e == NULL || e->kind != TX_NUM || e->sub != NULL || e->sup != NULL)
			return 0;
	}
	return 1;
}

/* The value of src on a run's shown numbers, or NULL. */
static dv_mat *value_on(const char *src, lesson_result *r)
{
	dv_node *tree = NULL;
	dv_mat *m = NULL;
	dv_diag d = {0};
	if (dv_parse(&tree, src, &d) != DV_OK || lesson_eval(&m, tree, r->shown, &d) != DV_OK ||
	    !dv_mat_is_double(m)) {
		dv_mat_free(m);
		m = NULL;
	}
	dv_node_free(tree);
	return m;
}

static int same_numbers(const dv_mat *a, const dv_mat *b)
{
	if (a->rows != b->rows || a->cols != b->cols)
		return 0;
	for (size_t i = 0; i < dv_mat_len(a); i++) {
		double x = dv_mat_get(a, i), y = dv_mat_get(b, i);
		double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
		/* the example's numbers are short decimals; a gradient through
		 * them carries rounding */
		if (fabs(x - y) > 1e-6 * (scale > 1 ? scale : 1))
			return 0;
	}
	return 1;
}

/*
 * A worked example: NAME = [numbers].  For a variable of the scene (X, K,
 * or ∂L/∂Y, which is δ) these are the example's numbers, from here on; for
 * anything else a claim about them, decided on those numbers, and only
 * when the side does not depend on numbers the file leaves out (it is
 * evaluated on two draws of those).  *done: the formula was handled.
 */
static int worked_example(notes_run *N, const tex_chain *ch, int *done, dv_diag *d)
{
	const tex_node *lhs = ch->sides[0].tree, *rhs = strip(ch->sides[1].tree);
	notes_formula *f;
	char *given = NULL, *why = NULL, *claim = NULL;
	notes_verdict verdict = NOTES_UNCHECKED, by_variant[2] = {NOTES_UNCHECKED, NOTES_UNCHECKED};
	int set = 0, decided = 0, rc;

	dv_budget outer;

	*done = 0;
	if (ch->nsides != 2 || !number_matrix(rhs) || N->nt.builtin || !N->nt.found)
		return DV_OK;
	*done = 1;
	/* the example's values: one item's work at most (core/budget.h) */
	dv_budget_start(&outer, DV_BUDGET_ITEM);
	for (size_t s = 0; s < N->nscenes && !(decided && (N->star_fixed >= 0 ||
	                                                   N->scenes[s].variant != 2)); s++) {
		scene *sc = &N->scenes[s];
		resolver R = {0};
		char *l, *r;
		scene_line *v;
		if (sc->broken || scene_run(N, sc, d) != DV_OK)
			continue;
		if (sc->variant > 0 && N->star_fixed >= 0 && sc->variant - 1 != N->star_fixed)
			continue;
		R.sc = sc;
		if ((l = resolve_text(&R, lhs)) == NULL)
			continue;
		if ((r = resolve_text(&R, rhs)) == NULL) {
			free(l);
			continue;
		}
		if ((v = scene_find(sc, l)) != NULL && v->var && v->letter[0] != '\0') {
			/* the example's numbers for a variable */
			char line[1024];
			scene saved;
			lesson *ol = sc->l;
			lesson_result *orr = sc->r;
			int kept;
			if (strlen(r) < 900 && scene_copy(&saved, sc) == 0) {
				if (rhs->rows * rhs->cols == 1 && v->rows <= 1)
					snprintf(line, sizeof line, "scalar %s = %s", v->name, v->letter);
				else
					snprintf(line, sizeof line, "matrix %s = %s %zux%zu numbers %s",
					         v->name, v->letter, rhs->rows, rhs->cols, r);
				if (scene_set(sc, line, v->by_file) != 0 ||
				    (rc = keep_or_undo(N, sc, &saved, ol, orr, &kept, d)) != DV_OK) {
					free(l);
					free(r);
					free(given);
					free(claim);
					free(why);
					dv_budget_stop(&outer);
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				}
				set |= kept;
				if (kept && given == NULL)
					given = notes_dup(v->name);
			}
		} else if (scene_run_alt(N, sc, d) == DV_OK) {
			dv_mat *a = value_on(l, sc->r), *b = value_on(l, sc->alt);
			dv_mat *want = value_on(r, sc->r);
			if (a != NULL && b != NULL && want != NULL && decided) {
				/* the second reading of *: only its verdict */
				by_variant[1] = same_numbers(a, b) && a->rows == want->rows &&
				                                a->cols == want->cols &&
				                                same_numbers(a, want)
				                        ? NOTES_HOLDS
				                        : same_numbers(a, b) ? NOTES_FAILS
				                                             : NOTES_UNCHECKED;
			} else if (a != NULL && b != NULL && want != NULL) {
				decided = 1;
				claim = notes_join(l, " == ", r);
				if (!same_numbers(a, b)) {
					verdict = NOTES_UNCHECKED;
					why = notes_dup("a claim about the example's numbers, but the file "
					          "does not give all the numbers it depends on");
				} else if (a->rows != want->rows || a->cols != want->cols) {
					verdict = NOTES_FAILS;
					why = notes_dup("at the example's numbers the sides differ in size");
				} else {
					verdict = same_numbers(a, want) ? NOTES_HOLDS : NOTES_FAILS;
					if (verdict == NOTES_FAILS) {
						dv_strbuf t;
						dv_strbuf_init(&t);
						dv_strbuf_puts(&t, "at the example's numbers the left side is [");
						for (size_t i = 0; i < dv_mat_len(a); i++)
							dv_strbuf_printf(&t, "%s%.6g",
							                 i == 0 ? "" : i % a->cols == 0 ? "; " : ", ",
							                 dv_mat_get(a, i));
						dv_strbuf_puts(&t, "]");
						if (dv_strbuf_finish(&t, &why, NULL) != DV_OK)
							why = NULL;
					}
				}
			}
			dv_mat_free(a);
			dv_mat_free(b);
			dv_mat_free(want);
		}
		free(l);
		free(r);
	}
	dv_budget_stop(&outer);
	by_variant[0] = verdict;
	if (decided && N->star_fixed < 0 && by_variant[0] != by_variant[1] &&
	    by_variant[1] != NOTES_UNCHECKED && by_variant[0] != NOTES_UNCHECKED) {
		/* the readings of * disagree: the example's output fixes *, any
		 * other claim is left open */
		int xcorr = by_variant[1] == NOTES_HOLDS;
		free(why);
		if (!notes_has_derivative(lhs) && (by_variant[0] == NOTES_HOLDS || xcorr)) {
			N->star_fixed = xcorr;
			verdict = NOTES_HOLDS;
			why = notes_dup(xcorr ? "the example's numbers make its * a cross-correlation "
			                  "(the kernel not flipped), from here on"
			                : "the example's numbers make its * a convolution (the "
			                  "kernel flipped), from here on");
		} else {
			verdict = NOTES_INCONCLUSIVE;
			why = notes_dup(xcorr ? "holds if * is a cross-correlation, fails if it is a "
			                  "convolution: the file does not say which"
			                : "holds if * is a convolution, fails if it is a "
			                  "cross-correlation: the file does not say which");
		}
	}
	if ((f = add_formula(N, ch->sides[0].line, ch->sides[0].column, NULL)) == NULL) {
		free(given);
		free(why);
		free(claim);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	free(f->latex);
	f->latex = notes_join(ch->sides[0].latex, " = ", ch->sides[1].latex);
	if (set) {
		f->definition = 1;
		f->reason = notes_join("a definition: the example's numbers for ", given, "");
		free(why);
	} else {
		f->verdict = verdict;
		f->claim = claim;
		claim = NULL;
		f->reason = why != NULL || verdict == NOTES_HOLDS
		                    ? why
		                    : notes_dup("a claim about the example's numbers, which no "
		                          "scene here can evaluate");
		if (decided)
			N->checks++;
	}
	free(given);
	free(claim);
	return f->latex != NULL && (f->reason != NULL || f->verdict == NOTES_HOLDS)
	               ? DV_OK
	               : dv_fail(d, DV_E_NOMEM, "out of memory");
}

/* The chain's first step as a definition of the file; NULL without memory. */
static notes_formula *add_definition(notes_run *N, const tex_chain *ch)
{
	notes_formula *f = add_formula(N, ch->sides[0].line, ch->sides[0].column, NULL);
	if (f == NULL)
		return NULL;
	free(f->latex);
	f->latex = notes_join(ch->sides[0].latex, " = ", ch->sides[1].latex);
	f->definition = 1;
	return f->latex != NULL ? f : NULL;
}

/* A symbol (no entry of a matrix: C, b^l, \delta(i, j)) set to a number:
 * what the text assumes, not what it claims. */
static int assumption(const tex_node *lhs, const tex_node *rhs)
{
	size_t i, j;
	lhs = strip(lhs);
	rhs = strip(rhs);
	if (rhs != NULL && rhs->kind == TX_NEG)
		rhs = strip(rhs->kids[0]);
	if (lhs == NULL || rhs == NULL || lhs->kind != TX_SYM || rhs->kind != TX_NUM ||
	    rhs->sub != NULL || rhs->sup != NULL || lhs->primes != 0)
		return 0;
	if (lhs->sub != NULL && !lhs->applied && sub_kind(lhs->sub, &i, &j) == SUB_ENTRY)
		return 0; /* x_{11} = 3: an entry's value, which numbers may check */
	if (strlen(lhs->text) == 3 && isdigit((unsigned char)lhs->text[1]) &&
	    isdigit((unsigned char)lhs->text[2]))
		return 0; /* k11 = 2 */
	return 1;
}

/* One chain: its definitions, then each step against the side before. */
/* Whether side n reads in some scene on its own; *why (if asked, the
 * caller frees it) gets the first scene's reason when it does not. */
static int side_readable(notes_run *N, const tex_node *n, char **why, dv_diag *d)
{
	resolver R = {0};
	char *t = NULL;
	if (why != NULL)
		*why = NULL;
	for (size_t s = 0; s < N->nscenes && t == NULL; s++) {
		if (N->scenes[s].broken || scene_run(N, &N->scenes[s], d) != DV_OK)
			continue;
		R.sc = &N->scenes[s];
		dv_diag_clear(&R.why);
		t = resolve_text(&R, n);
		if (t == NULL && why != NULL && *why == NULL)
			*why = notes_dup(R.why.message);
	}
	free(t);
	return t != NULL;
}

int check_chain(notes_run *N, tex_block **blocks, size_t nblocks, size_t bi,
                       size_t at, dv_diag *d)
{
	const tex_chain *ch = &blocks[bi]->chains[at];
	notes_formula *f;
	int rc;
	size_t first = 0;
	char name[96], letter[16];

	if (ch->problem.code != DV_OK) {
		f = add_formula(N, ch->problem.line > 0 ? ch->problem.line : ch->line,
		                ch->problem.line > 0 ? ch->problem.column : ch->column,
		                ch->nsides > 0 ? ch->sides[0].latex : "");
		if (f == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		return notes_set_reason(f, &ch->problem, d);
	}
	if (ch->nsides < 2)
		return DV_OK; /* a symbol named in the prose, not a formula */
	if (N->checks >= NOTES_MAX_FORMULAS) {
		f = add_formula(N, ch->sides[0].line, ch->sides[0].column, ch->sides[0].latex);
		if (f == NULL ||
		    (f->reason = notes_dup("the file has more than 2000 formulas; the rest are "
		                     "not checked")) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		return DV_OK;
	}
	{
		int done;
		if ((rc = worked_example(N, ch, &done, d)) != DV_OK || done)
			return rc;
	}
	if (N->nt.found && !N->nt.builtin && notes_constant_chain(ch)) {
		/* H = W = 4: what the text takes as given, step by step */
		for (size_t k = 1; k < ch->nsides; k++) {
			f = add_formula(N, ch->sides[k - 1].line, ch->sides[k - 1].column, NULL);
			if (f == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			free(f->latex);
			f->latex = notes_join(ch->sides[k - 1].latex, " = ", ch->sides[k].latex);
			f->definition = 1;
			f->reason = notes_dup("a definition: a number the text takes as given");
			if (f->latex == NULL || f->reason == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		return DV_OK;
	}
	/* the formulas the file's scene was built from, and assumptions such as
	 * C = 1, b^l = 0, \delta(i, j) = 0: definitions from their line on */
	if ((ch->nsides >= 2 && notes_notation_used(&N->nt, ch->sides[0].line,
	                                            ch->sides[0].column)) ||
	    (ch->nsides == 2 && assumption(ch->sides[0].tree, ch->sides[1].tree))) {
		int built = notes_notation_used(&N->nt, ch->sides[0].line, ch->sides[0].column);
		if ((f = add_definition(N, ch)) == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		if (built && N->nt.index_def == ch && N->nt.index_text > NOTES_MAX_INDEX_TEXT) {
			char why[240];
			snprintf(why, sizeof why,
			         "a definition; too large to write out here (about %.3g "
			         "characters of terms at the text's sizes, limit %d): the "
			         "formulas that use its output are not checked",
			         N->nt.index_text, NOTES_MAX_INDEX_TEXT);
			f->reason = notes_dup(why);
		} else {
			f->reason = notes_dup(built ? "a definition: what the file's layer computes, "
			                              "and how it names it"
			                            : "an assumption, not a claim: it holds from "
			                              "here on");
		}
		if (f->latex == NULL || f->reason == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
		if (ch->nsides == 2)
			return DV_OK;
		first = 1; /* δ = ∂J/∂z = ...: the rest is a chain from ∂J/∂z */
	} else if (defined_name(ch->sides[0].tree, name, sizeof name)) {
		/* a definition: NAME = [symbols], or NAME = expression for a new NAME */
		const tex_node *rhs = strip(ch->sides[1].tree);
		int applied = 0, known = 0;
		dv_diag why = {0};
		char *what;
		for (size_t s = 0; s < N->nscenes; s++) {
			scene_line *l = scene_find(&N->scenes[s], name);
			if (l != NULL && !(l->var && l->by_file))
				known = 1;
			if (l == NULL && N->scenes[s].learned && name[0] == 'd' &&
			    isalpha((unsigned char)name[1]) && strcmp(name + 1, "E") != 0 &&
			    scene_find(&N->scenes[s], name + 1) != NULL)
				known = 2; /* dW is ∂L/∂W already, in the file's letters */
		}
		if (known == 2 && (rhs->kind == TX_FRAC ||
		                   (rhs->kind == TX_MUL && rhs->op == TX_SLASH)) &&
		    notes_has_derivative(rhs)) {
			/* dW = \frac{\partial J}{\partial W}: naming, not a claim */
			if ((f = add_definition(N, ch)) == NULL ||
			    (f->reason = notes_join("a definition: ", name, " names the loss's gradient")) ==
			            NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			if (ch->nsides == 2)
				return DV_OK;
			first = 1;
		} else if (ch->nsides == 2 && symbol_matrix(rhs, letter, sizeof letter)) {
			if ((rc = apply_binding(N, name, letter, rhs->rows, rhs->cols, &applied,
			                        d)) != DV_OK)
				return rc;
			/* P = [a ...] before P = X * K: the definition takes effect here,
			 * so that the table of a's in between is read as P's entries */
			for (size_t b = bi; b < nblocks && b <= bi + NOTES_LOOK_AHEAD; b++) {
				size_t c0 = b == bi ? at + 1 : 0, c;
				int found = 0;
				if (notes_block(N, b) == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				for (c = c0; c < blocks[b]->nchains; c++) {
					const tex_chain *later = &blocks[b]->chains[c];
					char other[96], l2[16];
					if (later->nsides == 2 && later->problem.code == DV_OK &&
					    defined_name(later->sides[0].tree, other, sizeof other) &&
					    strcmp(other, name) == 0 &&
					    !symbol_matrix(strip(later->sides[1].tree), l2, sizeof l2)) {
						int used = 0;
						dv_diag ahead = {0};
						if ((rc = apply_definition(N, name, later->sides[1].tree,
						                           &used, &ahead, d)) != DV_OK)
							return rc;
						found = 1;
						break;
					}
				}
				if (found)
					break;
			}
			if ((f = add_definition(N, ch)) == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			what = malloc(160);
			if (what != NULL)
				snprintf(what, 160,
				         "a definition: %s is the %zux%zu matrix of the "
				         "symbols %s",
				         name, rhs->rows, rhs->cols, letter);
			f->reason = what;
			return f->latex != NULL && f->reason != NULL
			               ? DV_OK
			               : dv_fail(d, DV_E_NOMEM, "out of memory");
		}
		if (!known) {
			if ((rc = apply_definition(N, name, ch->sides[1].tree, &applied, &why,
			                           d)) != DV_OK)
				return rc;
			if ((f = add_definition(N, ch)) == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			f->definition = applied;
			if (!applied)
				rc = notes_set_reason(f, &why, d);
			else if ((f->reason = notes_join("a definition of ", name, "")) == NULL)
				rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			if (rc != DV_OK)
				return rc;
			if (ch->nsides == 2)
				return DV_OK;
			first = 1; /* TMP = A = B: the rest is a chain from A */
		}
	}
	/* a chain a = b = c: each side against the last one that could be read */
	{
		size_t base = first;
		for (size_t k = first + 1; k < ch->nsides; k++) {
			const tex_side *l = &ch->sides[base], *r = &ch->sides[k];
			int resolved;
			if (N->checks >= NOTES_MAX_FORMULAS) {
				f = add_formula(N, r->line, r->column, r->latex);
				if (f == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				f->reason = notes_dup("the file has more than 2000 formulas; the rest are "
				                "not checked");
				if (f->reason == NULL)
					return dv_fail(d, DV_E_NOMEM, "out of memory");
				continue;
			}
			f = add_formula(N, k == first + 1 ? l->line : r->line,
			                k == first + 1 ? l->column : r->column, NULL);
			if (f == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			free(f->latex);
			f->latex = notes_join(l->latex, " = ", r->latex);
			if (f->latex == NULL)
				return dv_fail(d, DV_E_NOMEM, "out of memory");
			N->checks++;
			if ((rc = decide_step(N, l->tree, r->tree, f, &resolved, d)) != DV_OK)
				return rc;
			if (!resolved && k == first + 1) {
				/* the left side itself cannot be read: the next step
				 * compares with this side, if it can be -- unless this
				 * side is what cannot be read (not for index notation,
				 * which only a whole step can give a meaning) */
				char *t = NULL;
				int left = side_readable(N, l->tree, &t, d);
				if (!left && !side_readable(N, r->tree, NULL, d) &&
				    t != NULL && strstr(t, "index notation") != NULL)
					left = 1;
				if (!left)
					base = k;
				free(t);
			} else if (resolved) {
				base = k;
			}
		}
	}
	return DV_OK;
}
