#include "lesson/exercise.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/budget.h"
#include "core/strbuf.h"
#include "expr/eval.h"
#include "sym/ctx.h"
#include "sym/print.h"

int lesson_exercises(const lesson_action ***out, size_t *n, const lesson *l, dv_diag *d)
{
	const lesson_action **list = NULL;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			k += l->steps[i].actions[j].kind == LESSON_EXERCISE;
	if (k == 0)
		return DV_OK;
	list = malloc(k * sizeof *list);
	if (list == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	k = 0;
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			if (l->steps[i].actions[j].kind == LESSON_EXERCISE)
				list[k++] = &l->steps[i].actions[j];
	*out = list;
	*n = k;
	return DV_OK;
}

void lesson_answer_clear(lesson_answer *a)
{
	sym_poly_free(a->missing);
	sym_poly_free(a->extra);
	lesson_check_free(a->check);
	memset(a, 0, sizeof *a);
}

/* ---- marking ------------------------------------------------------------- */

/* An environment where each symbol of the lesson is a name: d11, beta. */
static int answer_env(dv_env **out, lesson_result *r, dv_diag *d)
{
	sym_ctx *ctx = NULL;
	dv_env *env = NULL;
	int rc = dv_env_new(&env, 1, d);

	*out = NULL;
	if (rc == DV_OK)
		rc = dv_env_symbols(&ctx, r->symbols, d);
	if (rc == DV_OK)
		dv_env_set_exact(env, sym_ctx_field(ctx));
	for (size_t i = 0; rc == DV_OK && i < sym_ctx_atoms(ctx); i++) {
		const sym_atom *a = sym_ctx_atom(ctx, (uint32_t)i);
		char name[64];
		dv_mat *m = NULL;
		if (a->kind == SYM_APPLY)
			continue;
		if (a->kind == SYM_SCALAR && sym_map_label(a->name) != NULL)
			snprintf(name, sizeof name, "%.*s%s",
			         (int)(sym_map_label(a->name) - 1 - a->name), a->name,
			         sym_map_label(a->name)); /* b_2 is b2 */
		else if (a->kind == SYM_SCALAR)
			snprintf(name, sizeof name, "%s", a->name);
		else
			lesson_entry_name(name, sizeof name, a->name, a->row, a->col);
		if (dv_eval_is_function(name))
			continue;
		rc = dv_mat_new(&m, sym_ctx_field(ctx), 1, 1, d);
		if (rc == DV_OK)
			rc = sym_poly_atom((sym_poly **)m->data, (uint32_t)i, d);
		if (rc == DV_OK)
			rc = dv_env_bind(env, name, m, d);
		else
			dv_mat_free(m);
	}
	if (rc != DV_OK) {
		dv_env_free(env);
		return rc;
	}
	*out = env;
	return DV_OK;
}

/* Parses and evaluates the answer; a problem goes to a->problem. */
static int refuse_unanswering(lesson_answer *a, const lesson_result *r,
                              const lesson_action *ex, const dv_node *target,
                              const char *asked, const dv_node *answer);

/* The answer to ex (NULL: no question to refuse it for) as a matrix. */
/* "unknown name 'd11'" where several maps share d: says how their entries
 * are written, "(several maps share d: d1_11 for (δ₁)₁₁, ...)". */
static void map_hint(dv_diag *problem, const lesson *l)
{
	const char *p = problem->name;
	char letters[16], hint[240];
	size_t n = 0;
	while (n + 1 < sizeof letters && isalpha((unsigned char)p[n]))
		letters[n] = p[n], n++;
	letters[n] = '\0';
	if (n == 0 || !isdigit((unsigned char)p[n]) || !isdigit((unsigned char)p[n + 1]) ||
	    p[n + 2] != '\0' ||
	    !lesson_map_hint(hint, sizeof hint, l, letters, (size_t)(p[n] - '0'),
	                     (size_t)(p[n + 1] - '0'), 0))
		return;
	{
		size_t len = strlen(problem->message);
		snprintf(problem->message + len, sizeof problem->message - len,
		         " (several maps share %s: %s)", letters, hint);
	}
}

static int read_answer(dv_mat **out, lesson_answer *a, const lesson_result *r,
                       const lesson_action *ex, const char *text, dv_env *env,
                       int normalize)
{
	char *src = NULL;
	dv_value v;
	int rc;

	*out = NULL;
	dv_diag_clear(&a->problem);
	if (normalize) {
		if ((rc = lesson_answer_text(&src, r, 1, text, &a->problem)) != DV_OK)
			return rc;
	} else if (lesson_answer_is_latex(text)) { /* a bmatrix of numbers */
		if ((rc = lesson_answer_text(&src, r, 0, text, &a->problem)) != DV_OK)
			return rc;
	} else if ((src = strdup(text)) == NULL) {
		return dv_fail(&a->problem, DV_E_NOMEM, "out of memory");
	}
	{
		dv_node *tree = NULL;
		rc = dv_parse(&tree, src, &a->problem);
		free(src);
		if (rc != DV_OK)
			return rc;
		/* grad(E, X) names what is asked: not an answer, whatever E is */
		if (ex != NULL && refuse_unanswering(a, r, ex, ex->target, NULL, tree)) {
			dv_node_free(tree);
			return a->problem.code;
		}
		rc = dv_eval(&v, tree, env, &a->problem);
		dv_node_free(tree);
		if (rc == DV_E_NAME)
			map_hint(&a->problem, r->lesson);
		if (rc != DV_OK)
			return rc;
	}
	if (v.kind != DV_V_MAT) {
		dv_value_clear(&v);
		return dv_fail(&a->problem, DV_E_ARGS,
		               "the answer is not a matrix or a number");
	}
	*out = v.mat;
	return DV_OK;
}

int lesson_exercise_expected(dv_mat **held, lesson_result *r, const lesson_action *ex,
                             dv_diag *d)
{
	dv_mat *m = NULL;
	int rc = lesson_eval(&m, ex->target,
	                     ex->ex_kind == EXERCISE_NUMBERS ? r->shown : r->symbols, d);
	*held = NULL;
	if (rc != DV_OK)
		return rc;
	if (ex->ex_kind == EXERCISE_ENTRY &&
	    (ex->ex_row > m->rows || ex->ex_col > m->cols)) {
		rc = dv_fail_at(
		        d, DV_E_SHAPE, ex->line, ex->column,
		        "the exercise asks for entry (%zu,%zu) of a %zux%zu matrix",
		        ex->ex_row, ex->ex_col, m->rows, m->cols);
		dv_mat_free(m);
		return rc;
	}
	*held = m;
	return DV_OK;
}

/* The terms of p not in q, exactly (coefficient and monomial). */
static int terms_not_in(sym_poly **out, const sym_poly *p, const sym_poly *q, dv_diag *d)
{
	size_t j = 0;
	int rc = DV_OK;
	*out = NULL;
	for (size_t i = 0; i < sym_poly_len(p) && rc == DV_OK; i++) {
		int c = 1;
		while (j < sym_poly_len(q) &&
		       (c = sym_monomial_cmp(&q->t[j], &p->t[i])) < 0)
			j++;
		if (j < sym_poly_len(q) && c == 0 && q->t[j].c.num == p->t[i].c.num &&
		    q->t[j].c.den == p->t[i].c.den)
			continue;
		rc = sym_poly_push(out, &p->t[i], d);
	}
	return rc;
}

static int mark_entry(lesson_answer *a, lesson_result *r, const lesson_action *ex,
                      const char *text, dv_diag *d)
{
	dv_mat *want = NULL, *got = NULL, *conv = NULL;
	dv_env *env = NULL;
	const sym_poly *w, *g;
	int rc, sure = 0;

	if ((rc = lesson_exercise_expected(&want, r, ex, d)) != DV_OK)
		return rc;
	if ((rc = answer_env(&env, r, d)) != DV_OK)
		goto out;
	if (read_answer(&got, a, r, ex, text, env, 1) != DV_OK)
		goto out; /* unreadable: the verdict says why */
	if (!dv_mat_is_scalar(got)) {
		dv_fail(&a->problem, DV_E_SHAPE,
		        "the answer is a %zux%zu matrix; the exercise asks for one entry",
		        got->rows, got->cols);
		goto out;
	}
	if ((rc = dv_mat_convert(&conv, got, want->field, d)) != DV_OK)
		goto out;
	w = *(sym_poly *const *)dv_mat_at(want,
	                                  (ex->ex_row - 1) * want->cols + ex->ex_col - 1);
	g = *(sym_poly *const *)conv->data;
	a->correct = sym_poly_equal(w, g);
	if (!a->correct &&
	    (rc = sym_ctx_surely_differ(sym_field_ctx(want->field), w, g, &sure, d)) != DV_OK)
		goto out;
	if (!a->correct && !sure) {
		dv_fail(&a->problem, DV_E_SYMBOLIC,
		        "it differs from the key as a polynomial, but sigmoid and tanh "
		        "satisfy identities a polynomial does not show; write it with "
		        "the same sigmoid and tanh terms as the table");
		goto out;
	}
	if (!a->correct && (rc = terms_not_in(&a->missing, w, g, d)) == DV_OK)
		rc = terms_not_in(&a->extra, g, w, d);
out:
	dv_mat_free(want);
	dv_mat_free(got);
	dv_mat_free(conv);
	dv_env_free(env);
	return rc;
}

static int mark_numbers(lesson_answer *a, lesson_result *r, const lesson_action *ex,
                        const char *text, dv_diag *d)
{
	dv_mat *want = NULL, *got = NULL;
	dv_env *env = NULL;
	int rc;

	if ((rc = lesson_exercise_expected(&want, r, ex, d)) != DV_OK)
		return rc;
	/* numbers only: no names, so the answer cannot be the question */
	if ((rc = dv_env_new(&env, 1, d)) != DV_OK)
		goto out;
	if (read_answer(&got, a, r, ex, text, env, 0) != DV_OK)
		goto out;
	a->rows = got->rows;
	a->cols = got->cols;
	a->want_rows = want->rows;
	a->want_cols = want->cols;
	if (got->rows != want->rows || got->cols != want->cols) {
		a->shape_differs = 1;
		goto out;
	}
	a->correct = 1;
	for (size_t i = 0; i < dv_mat_len(want); i++) {
		if (fabs(dv_mat_get(want, i) - dv_mat_get(got, i)) <= ex->tolerance)
			continue;
		a->correct = 0;
		if (a->nwrong < LESSON_MAX_WRONG) {
			a->wrong_row[a->nwrong] = i / want->cols + 1;
			a->wrong_col[a->nwrong] = i % want->cols + 1;
		}
		a->nwrong++;
	}
out:
	dv_mat_free(want);
	dv_mat_free(got);
	dv_env_free(env);
	return rc;
}

/* Holds lhs == rhs_text to the lesson's standard (exact and numeric). */
/* ---- an answer must answer ------------------------------------------- */

static long def_index(const lesson *l, const char *name)
{
	for (size_t i = 0; i < l->ndefs; i++)
		if (strcmp(l->defs[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int is_grad(const dv_node *n)
{
	return n->kind == DV_N_CALL && strcmp(n->text, "grad") == 0;
}

/* Marks in bad[] the definitions that the names of n (a tree) name. */
static void mark_names(unsigned char *bad, const lesson *l, const dv_node *n)
{
	long i;
	if (n->kind == DV_N_NAME && (i = def_index(l, n->text)) >= 0)
		bad[i] = 1;
	for (size_t k = 0; k < n->nkids; k++)
		mark_names(bad, l, n->kids[k]);
}

/* The quantities grad differentiates in n (its first arguments). */
static void mark_differentiated(unsigned char *bad, const lesson *l, const dv_node *n)
{
	if (is_grad(n) && n->nkids > 0)
		mark_names(bad, l, n->kids[0]);
	for (size_t k = 0; k < n->nkids; k++)
		mark_differentiated(bad, l, n->kids[k]);
}

/* Whether n calls grad or names a definition marked in bad[]. */
static int computes(const dv_node *n, const lesson *l, const unsigned char *bad)
{
	long i;
	if (is_grad(n))
		return 1;
	if (n->kind == DV_N_NAME && (i = def_index(l, n->text)) >= 0 && bad[i])
		return 1;
	for (size_t k = 0; k < n->nkids; k++)
		if (computes(n->kids[k], l, bad))
			return 1;
	return 0;
}

/* Whether the list " D, K," holds name. */
static int listed(const dv_strbuf *list, const char *name)
{
	char key[72];
	snprintf(key, sizeof key, " %s,", name);
	return list->s != NULL && strstr(list->s, key) != NULL;
}

/* The names of n that a student writes with (matrices, scalars and the
 * definitions not in bad[]), each once, as " D, K,". */
static void put_names(dv_strbuf *b, size_t *count, const dv_node *n, const lesson *l,
                      const unsigned char *bad)
{
	if (n->kind == DV_N_NAME && !dv_eval_is_function(n->text)) {
		long i = def_index(l, n->text);
		if ((i < 0 || !bad[i]) && !listed(b, n->text)) {
			dv_strbuf_printf(b, " %s,", n->text);
			(*count)++;
		}
	}
	for (size_t k = 0; k < n->nkids; k++)
		put_names(b, count, n->kids[k], l, bad);
}

/* "D and K", "D, K and T" from " D, K, T," */
static void put_list(dv_strbuf *out, const char *list, size_t count)
{
	size_t k = 0;
	for (const char *p = list; *p != '\0'; k++) {
		const char *end = strchr(p + 1, ',');
		if (k > 0)
			dv_strbuf_puts(out, k + 1 == count ? " and " : ", ");
		dv_strbuf_printf(out, "%.*s", (int)(end - p - 1), p + 1);
		p = end + 1;
	}
}

/* What the exercise asks for, in words: ∂E/∂X, or its expression. */
static void put_asked(dv_strbuf *b, const dv_node *target, const char *fallback)
{
	if (is_grad(target) && target->nkids == 2 && target->kids[0]->kind == DV_N_NAME &&
	    target->kids[1]->kind == DV_N_NAME)
		dv_strbuf_printf(b, "\xe2\x88\x82%s/\xe2\x88\x82%s",
		                 target->kids[0]->text, target->kids[1]->text);
	else
		dv_strbuf_puts(b, fallback != NULL ? fallback : "the answer");
}

/* The first part of the answer n that may not be in it, said in msg. */
static int find_offender(dv_strbuf *msg, const dv_node *n, const lesson *l,
                         const unsigned char *bad, const dv_strbuf *allowed,
                         int only_allowed)
{
	long i;
	if (is_grad(n)) {
		dv_strbuf_puts(msg, "grad(\xe2\x80\xa6) computes it for you: ");
		return 1;
	}
	if (n->kind == DV_N_NAME && only_allowed && !dv_eval_is_function(n->text) &&
	    !listed(allowed, n->text)) {
		dv_strbuf_printf(msg, "this answer may not use %s: ", n->text);
		return 1;
	}
	if (n->kind == DV_N_NAME && (i = def_index(l, n->text)) >= 0 && bad[i]) {
		dv_strbuf_printf(msg,
		                 bad[i] == 1 ? "%s is the quantity being differentiated: "
		                             : "%s computes the answer for you (its "
		                               "definition uses grad or the quantity): ",
		                 n->text);
		return 1;
	}
	for (size_t k = 0; k < n->nkids; k++)
		if (find_offender(msg, n->kids[k], l, bad, allowed, only_allowed))
			return 1;
	return 0;
}

/*
 * Refuses an answer that does not answer: one that calls grad, names the
 * quantity asked (E in grad(E, X)) or a definition that computes it, or,
 * when the exercise lists the names it allows, any other name.  Returns 1
 * and fills a->problem when refused.
 */
static int refuse_unanswering(lesson_answer *a, const lesson_result *r,
                              const lesson_action *ex, const dv_node *target,
                              const char *asked, const dv_node *answer)
{
	const lesson *l = r->lesson;
	unsigned char *bad = calloc(l->ndefs + 1, 1);
	dv_strbuf names, msg;
	size_t count = 0;
	int grew = 1, refused = 0;

	dv_strbuf_init(&names);
	dv_strbuf_init(&msg);
	if (bad == NULL) {
		dv_fail(&a->problem, DV_E_NOMEM, "out of memory");
		return 1;
	}
	/* the quantity asked, and every definition that reaches it or grad */
	mark_differentiated(bad, l, target);
	if (target->kind == DV_N_NAME && def_index(l, target->text) >= 0)
		bad[def_index(l, target->text)] = 1;
	while (grew) {
		grew = 0;
		for (size_t i = 0; i < l->ndefs; i++)
			if (!bad[i] && computes(l->defs[i].tree, l, bad))
				bad[i] = 2, grew = 1;
	}
	/* the names to write it with */
	for (size_t i = 0; i < ex->nallow; i++, count++)
		dv_strbuf_printf(&names, " %s,", ex->allow[i]);
	if (ex->nallow == 0 && ex->fix != NULL)
		put_names(&names, &count, ex->fix, l, bad);
	if (find_offender(&msg, answer, l, bad, &names, ex->nallow > 0)) {
		dv_strbuf_puts(&msg, "write ");
		if (ex->ex_kind == EXERCISE_ENTRY)
			dv_strbuf_printf(&msg, "entry (%zu,%zu) of ", ex->ex_row, ex->ex_col);
		put_asked(&msg, target, asked);
		if (count > 0) {
			dv_strbuf_puts(&msg, " with ");
			put_list(&msg, names.s, count);
		}
		dv_strbuf_puts(&msg, " yourself");
		if (msg.failed)
			dv_fail(&a->problem, DV_E_NOMEM, "out of memory");
		else
			dv_fail(&a->problem, DV_E_ARGS, "%s", msg.s);
		a->refused = 1;
		refused = 1;
	}
	free(bad);
	dv_strbuf_free(&names);
	dv_strbuf_free(&msg);
	return refused;
}

static int mark_identity(lesson_answer *a, lesson_result *r, const lesson_action *ex,
                         const dv_node *lhs, const char *asked, const char *rhs_text)
{
	lesson_action claim;
	char *src = NULL;
	int rc;

	memset(&claim, 0, sizeof claim);
	claim.kind = LESSON_CLAIM;
	dv_diag_clear(&a->problem);
	if ((rc = lesson_answer_text(&src, r, 0, rhs_text, &a->problem)) != DV_OK)
		return rc == DV_E_NOMEM ? rc : DV_OK; /* unreadable: the verdict says why */
	if (dv_parse(&claim.rhs, src, &a->problem) != DV_OK) {
		free(src);
		return DV_OK;
	}
	free(src);
	if (ex != NULL && refuse_unanswering(a, r, ex, lhs, asked, claim.rhs)) {
		dv_node_free(claim.rhs);
		return a->problem.code == DV_E_NOMEM ? DV_E_NOMEM : DV_OK;
	}
	claim.lhs = (dv_node *)lhs;
	claim.lhs_text = "";
	claim.rhs_text = "";
	rc = lesson_decide(&a->check, &claim, r, &a->problem);
	if (rc == DV_OK) {
		/* decided: what an exact attempt noted on the way (max pooling has
		 * no exact form) is in the check, and is not the answer's fault */
		dv_diag_clear(&a->problem);
		a->correct = a->check->passed;
		if (!a->correct && a->check->too_large)
			/* not decided: said as such, never "wrong" */
			dv_fail(&a->problem, DV_E_LIMIT, "%s", a->check->numeric.unavailable);
	} else if (a->problem.line > 0 || a->problem.code == DV_E_NAME ||
	           a->problem.code == DV_E_ARGS || a->problem.code == DV_E_SHAPE) {
		/* the answer cannot be evaluated: that is the verdict */
		lesson_check_free(a->check);
		a->check = NULL;
		rc = DV_OK;
	}
	dv_node_free(claim.rhs);
	return rc;
}

int lesson_exercise_wrong_line(size_t *line, lesson_result *r, const lesson_action *ex,
                               dv_diag *d)
{
	*line = 0;
	for (size_t i = 0; i < ex->nlines; i++) {
		lesson_check *c = NULL;
		int rc = lesson_decide(&c, &ex->lines[i], r, d);
		int passed = rc == DV_OK && c->passed;
		lesson_check_free(c);
		if (rc != DV_OK) {
			dv_diag_locate(d, ex->lines[i].line, ex->lines[i].column);
			return rc;
		}
		if (!passed) {
			*line = i + 1;
			return DV_OK;
		}
	}
	return DV_OK;
}

/*
 * Past what a student writes between the line's number and its right side:
 * "2: EXPR", "2 -> EXPR", "2 → EXPR", "line 2 should be EXPR", "line 2 is
 * wrong, it should read EXPR", "2 = EXPR".
 */
static const char *diagnose_filler(const char *p)
{
	static const char *const words[] = {"should", "be", "read", "must", "is", "wrong",
	                                    "needs", "need", "becomes", "it", "the",
	                                    "right", "side", "instead", "with", "to"};
	for (;;) {
		size_t w, k;
		if (*p == ' ' || *p == '\t' || *p == ':' || *p == ',' || *p == '=' || *p == '-' ||
		    *p == '>' || *p == '.') {
			p++;
			continue;
		}
		if (strncmp(p, "\xe2\x86\x92", 3) == 0) { /* → */
			p += 3;
			continue;
		}
		for (w = 0; isalpha((unsigned char)p[w]); w++)
			;
		for (k = 0; k < sizeof words / sizeof *words; k++)
			if (w == strlen(words[k]) && strncasecmp(p, words[k], w) == 0)
				break;
		if (w == 0 || k == sizeof words / sizeof *words || p[w] == '(')
			return p;
		p += w;
	}
}

static int mark_diagnose(lesson_answer *a, lesson_result *r, const lesson_action *ex,
                         const char *text, dv_diag *d)
{
	char asked[64];
	char *end;
	unsigned long n;
	int rc;

	while (*text == ' ')
		text++;
	if (strncasecmp(text, "line", 4) == 0)
		text += 4;
	while (*text == ' ')
		text++;
	n = strtoul(text, &end, 10);
	if (end == text || n == 0 || n > ex->nlines) {
		dv_fail(&a->problem, DV_E_SYNTAX,
		        "answer with the number of the wrong line and its right side: "
		        "\"2: EXPR\" (lines 1 to %zu)",
		        ex->nlines);
		return DV_OK;
	}
	end = (char *)diagnose_filler(end);
	if ((rc = lesson_exercise_wrong_line(&a->line_wrong, r, ex, d)) != DV_OK)
		return rc;
	a->line_given = n;
	if (*end == '\0') {
		dv_fail(&a->problem, DV_E_SYNTAX,
		        "give the right side that line %lu needs after the number: "
		        "\"%lu: EXPR\"",
		        n, n);
		return DV_OK;
	}
	if (n != a->line_wrong)
		return DV_OK; /* the wrong line: nothing more to mark */
	snprintf(asked, sizeof asked, "the right side of line %lu", n);
	return mark_identity(a, r, ex, ex->lines[n - 1].lhs, asked, end);
}

/*
 * A mistake's name as a student may type it: letters and digits, lower
 * case, every run of anything else one space ("Missing rot180!" and
 * "missing-ROT180" are one name).  Bytes past ASCII are kept (δ, ′).
 */
static void name_key(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	int gap = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s != '\0'; s++) {
		int keep = isalnum(*s) || *s >= 0x80;
		if (!keep) {
			gap = n > 0;
			continue;
		}
		if (gap && n + 1 < size)
			dst[n++] = ' ';
		gap = 0;
		if (n + 1 < size)
			dst[n++] = (char)tolower(*s);
	}
	dst[n] = '\0';
}

static int has_name(const lesson_action *ex, const char *key)
{
	char k[256];
	name_key(k, sizeof k, ex->ex_id); /* its id names it too */
	if (strcmp(k, key) == 0)
		return 1;
	for (size_t i = 0; i < ex->nnames; i++) {
		name_key(k, sizeof k, ex->names[i]);
		if (strcmp(k, key) == 0)
			return 1;
	}
	return 0;
}

/* Whether the name key `word` is one of the words of the name key `key`. */
static int has_word(const char *key, const char *word, size_t n)
{
	for (const char *p = key; *p != '\0';) {
		const char *end = strchr(p, ' ');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p += len;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/*
 * Whether an answer in the student's own words (its name key) says one of
 * ex's names: every word of the name, but for a, an, the and for, is among
 * its words ("the beta is missing" says "missing beta").  Never for an
 * answer with a negation in it ("beta is not missing").
 */
static int says_name(const lesson_action *ex, const char *key)
{
	static const char *const filler[] = {"a", "an", "the", "for", "of", "to"};
	static const char *const negation[] = {"not", "no", "isn", "isnt", "never",
	                                       "nothing"};
	char k[256];

	for (size_t i = 0; i < sizeof negation / sizeof *negation; i++)
		if (has_word(key, negation[i], strlen(negation[i])))
			return 0;
	for (size_t i = 0; i < ex->nnames; i++) {
		int all = 1, some = 0;
		name_key(k, sizeof k, ex->names[i]);
		for (const char *p = k; *p != '\0' && all;) {
			const char *end = strchr(p, ' ');
			size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
			int skip = 0;
			for (size_t f = 0; f < sizeof filler / sizeof *filler; f++)
				skip |= len == strlen(filler[f]) && strncmp(p, filler[f], len) == 0;
			if (!skip) {
				all = has_word(key, p, len);
				some = 1;
			}
			p += len;
			while (*p == ' ')
				p++;
		}
		if (all && some)
			return 1;
	}
	return 0;
}

/* The mistake of l that the name key names: exactly, else in the student's
 * own words when exactly one mistake fits them; NULL for none. */
static const lesson_action *named_mistake(const lesson *l, const char *key, int words)
{
	const lesson_action *found = NULL;
	size_t fits = 0;
	if (key[0] == '\0')
		return NULL;
	for (int pass = 0; pass < 1 + words && found == NULL; pass++)
		for (size_t i = 0; i < l->nsteps; i++)
			for (size_t j = 0; j < l->steps[i].nactions; j++) {
				const lesson_action *m = &l->steps[i].actions[j];
				if (m->kind != LESSON_EXERCISE || m->ex_kind != EXERCISE_MISTAKE)
					continue;
				if (pass == 0 && has_name(m, key))
					return m;
				if (pass == 1 && says_name(m, key)) {
					found = m;
					fits++;
				}
			}
	return fits == 1 ? found : NULL;
}

/* Whether an answer is written as an expression rather than in words. */
static int looks_like_expression(const char *text)
{
	return strpbrk(text, "()[]+*/=^'.\\$_") != NULL;
}

/* "name one of: …" after an answer that is neither a name nor a side. */
static void menu_of_mistakes(lesson_answer *a, const lesson *l)
{
	dv_strbuf b;
	size_t n = 0;

	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "that is neither a mistake's name nor a right side: name one of: ");
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++) {
			const lesson_action *m = &l->steps[i].actions[j];
			if (m->kind != LESSON_EXERCISE || m->ex_kind != EXERCISE_MISTAKE ||
			    m->nnames == 0)
				continue;
			dv_strbuf_printf(&b, "%s%s", n++ > 0 ? ", " : "", m->names[0]);
		}
	dv_strbuf_puts(&b, "; or write the right side the step needs");
	dv_diag_clear(&a->problem);
	if (b.failed)
		dv_fail(&a->problem, DV_E_NOMEM, "out of memory");
	else
		dv_fail(&a->problem, DV_E_SYNTAX, "%s", b.s);
	dv_strbuf_free(&b);
}

/*
 * A mistake: the answer names it (one of its names, or the words of one),
 * or writes the right side its step needs.  Naming another mistake of the
 * catalogue is right only when that mistake's repair fixes this line.
 */
static int mark_mistake(lesson_answer *a, lesson_result *r, const lesson_action *ex,
                        const char *text)
{
	const lesson *l = r->lesson;
	const lesson_action *other;
	char key[256];
	int rc;

	name_key(key, sizeof key, text);
	/* an expression is not words, though conv2(D, K, 'valid') says valid */
	other = named_mistake(l, key, !looks_like_expression(text));
	if (other == ex || (other == NULL && key[0] != '\0' && has_name(ex, key))) {
		a->named = ex;
		a->correct = 1;
		return DV_OK;
	}
	if (other != NULL) {
		rc = mark_identity(a, r, NULL, ex->lines[0].lhs, NULL, other->fix_text);
		a->named = other;
		if (a->problem.code != DV_OK) {
			/* its repair does not even apply here: simply wrong */
			dv_diag_clear(&a->problem);
			lesson_check_free(a->check);
			a->check = NULL;
			a->correct = 0;
		}
		return rc;
	}
	rc = mark_identity(a, r, ex, ex->lines[0].lhs, "the step's right side", text);
	/* words, not an expression: say which names there are */
	if (rc == DV_OK && a->problem.code != DV_OK && !a->refused &&
	    (a->problem.code == DV_E_NAME || a->problem.code == DV_E_SYNTAX) &&
	    !looks_like_expression(text))
		menu_of_mistakes(a, l);
	return rc;
}

/* ---- an answer written as an equation: x22 = ..., dE/dx22 = ... ------------ */

/* Where the answer's one equals sign stands at its own level (not in ==,
 * <=, >=, != or inside brackets), or NULL. */
static const char *equation_sign(const char *text)
{
	int depth = 0;
	const char *at = NULL;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0)
			depth--;
		else if (*p == '=' && depth == 0) {
			if (p[1] == '=' || (p > text && strchr("=<>!", p[-1]) != NULL))
				return NULL; /* == or a relation: not an equation answer */
			if (at != NULL)
				return NULL; /* a = b = c: a chain, read as written */
			at = p;
		}
	}
	return at;
}

/*
 * The left side in one spelling: LaTeX's \frac{A}{B} as A/B, \partial and
 * ∂ as d, subscript digits as digits, braces, _, \left, \right, spacing and
 * white space dropped.
 */
static void canonical(char *out, size_t size, const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < size;) {
		const char *p = s + i;
		if (strncmp(p, "\\frac", 5) == 0 || strncmp(p, "\\dfrac", 6) == 0) {
			/* \frac{A}{B}: A/B, the groups read on in place */
			i += p[1] == 'd' ? 6 : 5;
			while (i < n && s[i] == ' ')
				i++;
			if (i < n && s[i] == '{') {
				int depth = 0;
				size_t j = i;
				for (; j < n; j++) {
					if (s[j] == '{')
						depth++;
					else if (s[j] == '}' && --depth == 0)
						break;
				}
				if (j < n) {
					char a[128];
					canonical(a, sizeof a, s + i + 1, j - i - 1);
					for (const char *c = a; *c != '\0' && k + 1 < size; c++)
						out[k++] = *c;
					if (k + 1 < size)
						out[k++] = '/';
					i = j + 1;
				}
			}
			continue;
		}
		if (strncmp(p, "\\partial", 8) == 0) {
			out[k++] = 'd';
			i += 8;
		} else if (strncmp(p, "\xe2\x88\x82", 3) == 0) { /* ∂ */
			out[k++] = 'd';
			i += 3;
		} else if (strncmp(p, "\xe2\x82", 2) == 0 && i + 2 < n &&
		           (unsigned char)p[2] >= 0x80 && (unsigned char)p[2] <= 0x89) {
			out[k++] = (char)('0' + ((unsigned char)p[2] - 0x80)); /* ₀..₉ */
			i += 3;
		} else if (strncmp(p, "\\left", 5) == 0 || strncmp(p, "\\right", 6) == 0) {
			i += p[1] == 'l' ? 5 : 6;
		} else if (*p == '\\' && i + 1 < n && !isalpha((unsigned char)p[1])) {
			i += 2; /* \, \; */
		} else if (*p == '{' || *p == '}' || *p == '_' || *p == ' ' || *p == '\t' ||
		           *p == '(' || *p == ')') {
			i++;
		} else {
			out[k++] = *p;
			i++;
		}
	}
	out[k] = '\0';
}

/* The quantity an exercise asks for, as grad(F, V): F and V's names, or 0. */
static int asked(const lesson_action *ex, char *f, char *v, size_t size)
{
	const dv_node *t = ex->target;
	if (t == NULL || t->kind != DV_N_CALL || strcmp(t->text, "grad") != 0 || t->nkids != 2 ||
	    t->kids[0]->kind != DV_N_NAME || t->kids[1]->kind != DV_N_NAME)
		return 0;
	snprintf(f, size, "%s", t->kids[0]->text);
	snprintf(v, size, "%s", t->kids[1]->text);
	return 1;
}

/*
 * An answer "LEFT = RIGHT" whose left side names what is asked, in any of
 * the spellings a student writes (x22, dE/dx22, ∂E/∂x₂₂, \frac{\partial
 * E}{\partial x_{22}}; for the whole gradient dE/dX, ∂E/∂X, dX): *rhs the
 * answer to read.  A left side that names something else is refused,
 * saying what is asked.  1 when it is an equation answer (read or refused).
 */
static int equation_answer(lesson_answer *a, const lesson_result *r, const lesson_action *ex,
                           const char *text, const char **rhs)
{
	const char *eq = equation_sign(text);
	char f[40], v[40], sym[40] = "", left[200], want[8][200];
	size_t nwant = 0;
	if (eq == NULL || ex->ex_kind == EXERCISE_DIAGNOSE || ex->ex_kind == EXERCISE_MISTAKE ||
	    !asked(ex, f, v, sizeof f))
		return 0;
	for (size_t i = 0; i < r->lesson->nvars; i++)
		if (strcmp(r->lesson->vars[i].name, v) == 0 && r->lesson->vars[i].sym != NULL)
			snprintf(sym, sizeof sym, "%s", r->lesson->vars[i].sym);
	if (ex->ex_kind == EXERCISE_ENTRY) {
		char e[32], name[64];
		snprintf(e, sizeof e, "%zu%zu", ex->ex_row, ex->ex_col);
		if (sym[0] != '\0') {
			lesson_entry_name(name, sizeof name, sym, ex->ex_row, ex->ex_col);
			snprintf(want[nwant++], sizeof want[0], "%s", name);
			snprintf(want[nwant++], sizeof want[0], "d%s/d%s", f, name);
			snprintf(want[nwant++], sizeof want[0], "d%s", name);
		}
		snprintf(want[nwant++], sizeof want[0], "d%s/d%s%s", f, v, e);
	} else {
		snprintf(want[nwant++], sizeof want[0], "d%s/d%s", f, v);
		snprintf(want[nwant++], sizeof want[0], "d%s", v);
		snprintf(want[nwant++], sizeof want[0], "grad%s,%s", f, v);
	}
	canonical(left, sizeof left, text, (size_t)(eq - text));
	for (size_t i = 0; i < nwant; i++) {
		char w[200];
		canonical(w, sizeof w, want[i], strlen(want[i])); /* as the left side: x2_22 is x222 */
		if (strcmp(left, w) != 0)
			continue;
		*rhs = eq + 1;
		return 1;
	}
	dv_fail(&a->problem, DV_E_SYNTAX,
	        "the left side is not what is asked: write %s = ..., or the right side "
	        "alone",
	        ex->ex_kind == EXERCISE_ENTRY && sym[0] != '\0' ? want[1] : want[0]);
	*rhs = NULL;
	return 1;
}

int lesson_answer_check(lesson_answer *out, lesson_result *r, const lesson_action *ex,
                        const char *text, dv_diag *d)
{
	dv_budget outer;
	int spent;
	dv_diag local;
	int rc = DV_OK;

	memset(out, 0, sizeof *out);
	dv_diag_clear(&local);
	while (*text == ' ' || *text == '\t')
		text++;
	if (*text == '\0') {
		dv_fail(&out->problem, DV_E_SYNTAX, "the answer is empty");
		return DV_OK;
	}
	{
		/* x22 = ...: the right side, once the left is what is asked */
		const char *rhs;
		if (equation_answer(out, r, ex, text, &rhs)) {
			if (rhs == NULL)
				return DV_OK;
			text = rhs;
			while (*text == ' ' || *text == '\t')
				text++;
			if (*text == '\0') {
				dv_fail(&out->problem, DV_E_SYNTAX, "the answer's right side is empty");
				return DV_OK;
			}
		}
	}
	/* one answer is one item of work (core/budget.h) */
	dv_budget_start(&outer, DV_BUDGET_ITEM);
	switch (ex->ex_kind) {
	case EXERCISE_ENTRY:
		rc = mark_entry(out, r, ex, text, &local);
		break;
	case EXERCISE_NUMBERS:
		rc = mark_numbers(out, r, ex, text, &local);
		break;
	case EXERCISE_FORM:
		rc = mark_identity(out, r, ex, ex->target, ex->target_text, text);
		break;
	case EXERCISE_DIAGNOSE:
		rc = mark_diagnose(out, r, ex, text, &local);
		break;
	case EXERCISE_MISTAKE:
		rc = mark_mistake(out, r, ex, text);
		break;
	}
	spent = dv_budget_spent();
	dv_budget_stop(&outer);
	if (rc == DV_E_NOMEM)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	{
		/* an answer is no lesson line: never advise the == it refuses */
		static const char advice[] = " (an equation is written with '==')";
		char *at = strstr(out->problem.message, advice);
		if (at != NULL) {
			char rest[DV_DIAG_MSG];
			snprintf(rest, sizeof rest, "%s", at + strlen(advice));
			snprintf(at, sizeof out->problem.message - (size_t)(at - out->problem.message),
			         " (an answer is an expression, or what is asked = an expression)%s",
			         rest);
		}
		if (strstr(out->problem.message, "found '=='") != NULL &&
		    strstr(out->problem.message, "what is asked") == NULL) {
			size_t n = strlen(out->problem.message);
			snprintf(out->problem.message + n, sizeof out->problem.message - n,
			         " (an answer is an expression, or what is asked = an expression)");
		}
	}
	if (rc == DV_OK && (out->problem.code == DV_E_SYMBOLIC ||
	                    (out->problem.code == DV_E_LIMIT && spent)))
		/* read, but past what exact arithmetic holds (1e-30), or past
		 * the work one answer may take */
		out->undecided = 1;
	if (rc != DV_OK) {
		/*
		 * The lesson ran, so what fails here fails on the student's
		 * answer (a number with no exact form, a size that does not
		 * fit, ...): it is that answer's verdict, never the batch's end.
		 */
		out->correct = 0;
		out->undecided = 1;
		dv_fail(&out->problem, rc, "%s", local.message);
	}
	return DV_OK;
}

/* ---- the teacher's key --------------------------------------------------- */

/* Where a failed identity check fails, as " at (r,c)", or "". */
static void where_it_fails(char *buf, size_t size, const lesson_check *c)
{
	const dv_check *e = &c->exact.value.check, *n = &c->numeric.value.check;
	buf[0] = '\0';
	if (c->exact.value.kind == DV_V_CHECK && e->row > 0 &&
	    e->verdict == DV_VERDICT_FAILS)
		snprintf(buf, size, " (exactly at (%zu,%zu))", e->row, e->col);
	else if (c->numeric.value.kind == DV_V_CHECK && n->row > 0)
		snprintf(buf, size, " (on the checked numbers at (%zu,%zu))", n->row,
		         n->col);
}

int lesson_exercise_check_key(lesson_result *r, const lesson_action *ex, dv_diag *d)
{
	const dv_node *at = ex->fix != NULL ? ex->fix : NULL;
	lesson_answer a;
	char *text = NULL;
	dv_mat *held = NULL;
	size_t wrong = 0;
	int rc = DV_OK;

	for (size_t i = 0; i < ex->nallow; i++) {
		const lesson *l = r->lesson;
		size_t k = 0;
		while (k < l->nvars && strcmp(l->vars[k].name, ex->allow[i]) != 0)
			k++;
		if (k == l->nvars && def_index(l, ex->allow[i]) < 0)
			return dv_fail_at(d, DV_E_NAME, ex->line, ex->column,
			                  "exercise %s allows '%s', which is no matrix, "
			                  "scalar or definition of the lesson",
			                  ex->ex_id, ex->allow[i]);
	}
	switch (ex->ex_kind) {
	case EXERCISE_ENTRY:
	case EXERCISE_NUMBERS:
		/* the question must have an answer at its entry */
		rc = lesson_exercise_expected(&held, r, ex, d);
		dv_mat_free(held);
		if (rc != DV_OK && d->line == 0)
			dv_diag_locate(d, ex->line, ex->column);
		return rc;
	case EXERCISE_MISTAKE:
		return DV_OK; /* checked as its refute, with the lesson */
	case EXERCISE_FORM:
		if (ex->fix == NULL) {
			/* no key to check: the question must still have numbers */
			rc = lesson_eval(&held, ex->target, r->checked, d);
			dv_mat_free(held);
			if (rc != DV_OK && d->line == 0)
				dv_diag_locate(d, ex->line, ex->column);
			return rc;
		}
		text = strdup(ex->fix_text);
		break;
	case EXERCISE_DIAGNOSE:
		if ((rc = lesson_exercise_wrong_line(&wrong, r, ex, d)) != DV_OK)
			return rc;
		if (wrong == 0)
			return dv_fail_at(d, DV_E_ARGS, ex->line, ex->column,
			                  "every line of exercise %s holds: there is no "
			                  "mistake to find",
			                  ex->ex_id);
		{
			size_t size = strlen(ex->fix_text) + 32;
			if ((text = malloc(size)) != NULL)
				snprintf(text, size, "%zu: %s", wrong, ex->fix_text);
		}
		break;
	}
	if (text == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	rc = lesson_answer_check(&a, r, ex, text, d);
	free(text);
	if (rc != DV_OK)
		return rc;
	if (!a.correct) {
		char where[64] = "";
		int line = at != NULL ? at->line : ex->line;
		int column = at != NULL ? at->column : ex->column;
		if (a.check != NULL)
			where_it_fails(where, sizeof where, a.check);
		if (a.problem.code != DV_OK)
			rc = dv_fail_at(d, DV_E_ARGS, line, column,
			                "the answer of exercise %s is %s: %s", ex->ex_id,
			                a.refused ? "not an answer" : "wrong",
			                a.problem.message);
		else if (ex->ex_kind == EXERCISE_DIAGNOSE)
			rc = dv_fail_at(d, DV_E_ARGS, line, column,
			                "the answer of exercise %s does not repair line "
			                "%zu: %s == %s does not hold%s",
			                ex->ex_id, wrong, ex->lines[wrong - 1].lhs_text,
			                ex->fix_text, where);
		else
			rc = dv_fail_at(d, DV_E_ARGS, line, column,
			                "the answer of exercise %s is not equal to its "
			                "expression %s%s",
			                ex->ex_id, ex->target_text, where);
	}
	lesson_answer_clear(&a);
	return rc;
}

int lesson_check_keys(lesson_result *r, dv_diag *d)
{
	const lesson *l = r->lesson;
	for (size_t i = 0; i < l->nsteps; i++)
		for (size_t j = 0; j < l->steps[i].nactions; j++) {
			const lesson_action *a = &l->steps[i].actions[j];
			int rc;
			if (a->kind == LESSON_EXERCISE &&
			    (rc = lesson_exercise_check_key(r, a, d)) != DV_OK)
				return rc;
		}
	return DV_OK;
}
