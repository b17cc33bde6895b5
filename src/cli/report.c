#include "cli/report.h"
#include "render/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "render/lesson_text.h"
#include "sym/ctx.h"

#define BOLD "\x1b[1m"
#define RESET "\x1b[0m"

static int flush(FILE *f, dv_strbuf *b)
{
	char *s = NULL;
	if (dv_strbuf_finish(b, &s, NULL) != DV_OK)
		return DV_E_NOMEM;
	fputs(s, f);
	free(s);
	dv_strbuf_init(b);
	return DV_OK;
}

/* Whether an expression calls the notes' activation f (or f'). */
static int calls_f(const dv_node *n)
{
	if (n == NULL)
		return 0;
	if (n->kind == DV_N_CALL && (strcmp(n->text, "f") == 0 || strcmp(n->text, "df") == 0))
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (calls_f(n->kids[i]))
			return 1;
	return 0;
}

/* Whether a lesson uses f anywhere: it is then named at the top. */
static int uses_f(const lesson *l)
{
	for (size_t i = 0; i < l->ndefs; i++)
		if (calls_f(l->defs[i].tree))
			return 1;
	for (size_t s = 0; s < l->nsteps; s++)
		for (size_t k = 0; k < l->steps[s].nactions; k++) {
			const lesson_action *a = &l->steps[s].actions[k];
			if (calls_f(a->expr) || calls_f(a->lhs) || calls_f(a->rhs))
				return 1;
		}
	return 0;
}

int dv_report_text(FILE *f, const lesson_result *r, const dv_report_opts *o)
{
	const lesson *l = r->lesson;
	dv_strbuf b;
	int rc = DV_OK;

	dv_strbuf_init(&b);
	if (o->color)
		dv_strbuf_puts(&b, BOLD);
	dv_strbuf_printf(&b, "%s: ", l->name);
	dv_put_text(&b, l->title, o->unicode);
	if (o->color)
		dv_strbuf_puts(&b, RESET);
	dv_strbuf_puts(&b, "\n");
	if (l->source != NULL) {
		dv_strbuf_puts(&b, "source: ");
		dv_put_text(&b, l->source, o->unicode);
		dv_strbuf_puts(&b, "\n");
	}
	if (l->summary != NULL) {
		dv_put_text(&b, l->summary, o->unicode);
		dv_strbuf_puts(&b, "\n");
	}
	dv_strbuf_printf(&b, "symbols at ");
	dv_put_sizes(&b, r, 0);
	dv_strbuf_printf(&b, "; numbers at ");
	dv_put_sizes(&b, r, 1);
	dv_strbuf_printf(&b, " (seed %lu)\n", r->seed);
	if (uses_f(l))
		/* every symbol introduced: f is named before it is used */
		dv_strbuf_printf(&b, "f: the notes' activation, f(x) in the tables, the %s on "
		                     "numbers\n",
		                 dv_act_name(l->f_is));
	dv_put_drawn(&b, r);
	for (size_t i = 0; i < r->nsteps; i++) {
		dv_strbuf_printf(&b, "\n%sStep %zu. ", o->color ? BOLD : "", i + 1);
		dv_put_math(&b, r->steps[i].step->title, o->unicode); /* a notes line's LaTeX */
		dv_strbuf_printf(&b, "%s\n", o->color ? RESET : "");
		dv_put_step(&b, r, i, o);
	}
	dv_strbuf_printf(&b, "\n%s: %zu check%s, %zu as the lesson says ", l->name,
	                 r->nchecks, r->nchecks == 1 ? "" : "s", r->npassed);
	dv_put_mark(&b, r->npassed == r->nchecks, o);
	if (r->ntoo_small > 0)
		dv_strbuf_printf(&b, " (%zu refute%s cannot show %s mistake at these sizes)",
		                 r->ntoo_small, r->ntoo_small == 1 ? "" : "s",
		                 r->ntoo_small == 1 ? "its" : "their");
	if (r->nundecided > 0)
		dv_strbuf_printf(&b, " (%zu not decided here)", r->nundecided);
	dv_strbuf_puts(&b, "\n");
	if (rc == DV_OK)
		rc = flush(f, &b);
	dv_strbuf_free(&b);
	return rc;
}

/* ---- JSON -------------------------------------------------------------- */

static cJSON *json_entry(const dv_mat *m, size_t i)
{
	if (dv_mat_is_double(m))
		return cJSON_CreateNumber(dv_mat_get(m, i));
	{
		dv_strbuf b;
		char *s = NULL;
		cJSON *item;
		dv_strbuf_init(&b);
		dv_put_entry(&b, m, i, SYM_ASCII, NULL);
		if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
			return NULL;
		item = cJSON_CreateString(s);
		free(s);
		return item;
	}
}

static cJSON *json_matrix(const dv_mat *m)
{
	cJSON *rows = cJSON_CreateArray();
	for (size_t i = 0; rows != NULL && i < m->rows; i++) {
		cJSON *row = cJSON_CreateArray();
		if (row == NULL || !cJSON_AddItemToArray(rows, row)) {
			cJSON_Delete(row);
			cJSON_Delete(rows);
			return NULL;
		}
		for (size_t j = 0; j < m->cols; j++)
			cJSON_AddItemToArray(row, json_entry(m, i * m->cols + j));
	}
	return rows;
}

static cJSON *json_pair(size_t a, size_t b)
{
	const int v[2] = {(int)a, (int)b};
	return cJSON_CreateIntArray(v, 2);
}

static cJSON *json_verdict(const lesson_verdict *v)
{
	cJSON *o = cJSON_CreateObject();
	const dv_check *c = &v->value.check;
	if (o == NULL)
		return NULL;
	if (v->unevaluable) {
		cJSON_AddBoolToObject(o, "holds", 0);
		cJSON_AddStringToObject(o, "unevaluable", v->unavailable);
		return o;
	}
	if (v->value.kind != DV_V_CHECK) {
		cJSON_AddStringToObject(o, "unavailable",
		                        v->unavailable ? v->unavailable : "");
		return o;
	}
	cJSON_AddBoolToObject(o, "holds", c->holds);
	cJSON_AddStringToObject(o, "verdict", dv_verdict_name(c->verdict));
	cJSON_AddItemToObject(o, "left_size",
	                      json_pair(v->value.mat->rows, v->value.mat->cols));
	cJSON_AddItemToObject(o, "right_size",
	                      json_pair(v->value.mat2->rows, v->value.mat2->cols));
	if (!c->exact) {
		cJSON_AddNumberToObject(o, "max_difference", c->max_abs);
		cJSON_AddNumberToObject(o, "max_bound", c->max_bound);
		cJSON_AddStringToObject(o, "bound",
		                        v->by_differences ? "finite differences"
		                                          : "rounding");
		cJSON_AddNumberToObject(o, "bits",
		                        v->precise.bits ? v->precise.bits : 53);
		if (v->precise.why[0] != '\0')
			cJSON_AddStringToObject(o, "higher_precision_not_used",
			                        v->precise.why);
	}
	if (!c->holds && !c->shape_differs) {
		size_t i = (c->row - 1) * v->value.mat->cols + c->col - 1;
		cJSON_AddItemToObject(o, "entry", json_pair(c->row, c->col));
		cJSON_AddItemToObject(o, "left", json_entry(v->value.mat, i));
		cJSON_AddItemToObject(o, "right", json_entry(v->value.mat2, i));
		if (!c->exact) {
			cJSON_AddNumberToObject(o, "difference", c->at.diff);
			cJSON_AddNumberToObject(o, "entry_bound", c->at.bound);
			cJSON_AddNumberToObject(o, "entry_scale", c->at.scale);
		}
	}
	return o;
}

static cJSON *json_check(const lesson_check *c)
{
	cJSON *o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "left", c->action->lhs_text);
	cJSON_AddStringToObject(o, "right", c->action->rhs_text);
	cJSON_AddBoolToObject(o, "expected_to_hold", c->expect_holds);
	cJSON_AddBoolToObject(o, "passed", c->passed);
	if (c->action->why != NULL)
		cJSON_AddStringToObject(o, "why", c->action->why);
	if (c->action->as != NULL)
		cJSON_AddStringToObject(o, "as", c->action->as);
	cJSON_AddItemToObject(o, "exact", json_verdict(&c->exact));
	cJSON_AddItemToObject(o, "numeric", json_verdict(&c->numeric));
	if (c->disagree)
		cJSON_AddBoolToObject(o, "verdicts_disagree", 1);
	if (c->inconclusive)
		cJSON_AddBoolToObject(o, "inconclusive", 1);
	if (c->size_too_small) /* a refute the sizes --size set cannot show */
		cJSON_AddStringToObject(o, "size_too_small",
		                        c->size_too_small == 2   ? "true exactly at the shown sizes"
		                        : c->size_too_small == 3 ? "true on the checked numbers"
		                                                 : "true at every draw");
	if (c->rows != NULL) {
		cJSON *rows = cJSON_CreateArray();
		for (size_t i = 0; rows != NULL && i < c->rows_r * c->rows_c; i++) {
			const lesson_grad_row *r = &c->rows[i];
			cJSON *row = cJSON_CreateObject();
			if (row == NULL)
				break;
			cJSON_AddItemToObject(
			        row, "entry",
			        json_pair(i / c->rows_c + 1, i % c->rows_c + 1));
			cJSON_AddNumberToObject(row, "analytic", r->analytic);
			cJSON_AddNumberToObject(row, "analytic_bound", r->analytic_bound);
			cJSON_AddNumberToObject(row, "numeric", r->numeric.value);
			cJSON_AddNumberToObject(row, "gsl_error", r->numeric.gsl_error);
			cJSON_AddNumberToObject(row, "rounding", r->numeric.rounding);
			cJSON_AddNumberToObject(row, "difference", r->verdict.diff);
			cJSON_AddNumberToObject(row, "bound", r->verdict.bound);
			cJSON_AddStringToObject(row, "verdict",
			                        dv_verdict_name(r->verdict.verdict));
			cJSON_AddStringToObject(row, "differenced",
			                        r->numeric.local ? "local" : "whole");
			cJSON_AddNumberToObject(row, "bits", r->numeric.bits);
			if (r->numeric.why != NULL)
				cJSON_AddStringToObject(row, "why", r->numeric.why);
			cJSON_AddItemToArray(rows, row);
		}
		cJSON_AddItemToObject(o, "gradient", rows);
		cJSON_AddItemToObject(
		        o, "worst",
		        json_pair(c->worst / c->rows_c + 1, c->worst % c->rows_c + 1));
	}
	if (c->instead != NULL)
		cJSON_AddItemToObject(o, "instead", json_check(c->instead));
	return o;
}

static const char *item_kind(lesson_kind k)
{
	static const char *const names[] = {"zh",        "en",      "text",  "formula",
	                                    "show",      "numbers", "claim", "refute",
	                                    "gradcheck", "exercise"};
	return names[k];
}

cJSON *dv_report_json(const lesson_result *r)
{
	const lesson *l = r->lesson;
	cJSON *o = cJSON_CreateObject(), *sizes, *steps;

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "lesson", l->name);
	cJSON_AddStringToObject(o, "title", l->title);
	if (l->source != NULL)
		cJSON_AddStringToObject(o, "source", l->source);
	if (l->summary != NULL)
		cJSON_AddStringToObject(o, "summary", l->summary);
	cJSON_AddNumberToObject(o, "seed", (double)r->seed);
	sizes = cJSON_AddArrayToObject(o, "sizes");
	for (size_t i = 0; sizes != NULL && i < r->nsizes; i++) {
		cJSON *s = cJSON_CreateObject();
		if (s == NULL)
			break;
		cJSON_AddStringToObject(s, "name", r->sizes[i].name);
		cJSON_AddItemToObject(s, "shown",
		                      json_pair(r->sizes[i].rows, r->sizes[i].cols));
		cJSON_AddItemToObject(
		        s, "checked",
		        json_pair(r->sizes[i].check_rows, r->sizes[i].check_cols));
		if (r->sizes[i].drawn)
			cJSON_AddBoolToObject(s, "numbers_drawn", 1);
		cJSON_AddItemToArray(sizes, s);
	}
	steps = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; steps != NULL && i < r->nsteps; i++) {
		const lesson_step_result *sr = &r->steps[i];
		cJSON *st = cJSON_CreateObject(), *items;
		if (st == NULL)
			break;
		cJSON_AddStringToObject(st, "title", sr->step->title);
		items = cJSON_AddArrayToObject(st, "items");
		for (size_t j = 0; items != NULL && j < sr->nitems; j++) {
			const lesson_item *it = &sr->items[j];
			cJSON *item = it->check != NULL ? json_check(it->check)
			                                : cJSON_CreateObject();
			if (item == NULL)
				break;
			cJSON_AddStringToObject(item, "kind",
			                        item_kind(it->action->kind));
			if (it->check == NULL && it->action->kind <= LESSON_FORMULA)
				cJSON_AddStringToObject(item, "text", lesson_item_text(it));
			if (it->action->label != NULL)
				cJSON_AddStringToObject(item, "label", it->action->label);
			if (it->action->ex_id != NULL) {
				cJSON_AddStringToObject(item, "id", it->action->ex_id);
				cJSON_AddStringToObject(item, "ask", it->action->ask);
			}
			if (it->table != NULL)
				cJSON_AddItemToObject(item, "table",
				                      json_matrix(it->table));
			if (it->no_table != NULL)
				cJSON_AddStringToObject(item, "no_table", it->no_table);
			if (it->numbers != NULL)
				cJSON_AddItemToObject(item, "numbers",
				                      json_matrix(it->numbers));
			cJSON_AddItemToArray(items, item);
		}
		cJSON_AddItemToArray(steps, st);
	}
	cJSON_AddNumberToObject(o, "checks", (double)r->nchecks);
	cJSON_AddNumberToObject(o, "refutes_too_small", (double)r->ntoo_small);
	cJSON_AddNumberToObject(o, "passed", (double)r->npassed);
	cJSON_AddBoolToObject(o, "ok", r->npassed == r->nchecks);
	return o;
}

/* ---- TAP --------------------------------------------------------------- */

static void tap_yaml(FILE *f, const lesson_check *c)
{
	const dv_check *n = &c->numeric.value.check;
	fprintf(f, "  ---\n  expected: %s\n", c->expect_holds ? "holds" : "fails");
	if (c->exact.value.kind == DV_V_CHECK || c->exact.unevaluable)
		fprintf(f, "  exact: %s\n",
		        lesson_verdict_holds(&c->exact) ? "holds" : "fails");
	fprintf(f, "  numeric: %s\n", dv_verdict_name(lesson_verdict_of(&c->numeric)));
	if (c->numeric.value.kind == DV_V_CHECK && !n->exact && !n->shape_differs)
		fprintf(f, "  max_difference: %.3g\n  max_bound: %.3g\n", n->max_abs,
		        n->max_bound);
	if (c->instead != NULL)
		fprintf(f, "  instead: %s\n",
		        c->instead->passed ? "holds" : "does not hold");
	fprintf(f, "  ...\n");
}

int dv_report_tap(FILE *f, lesson_result *const *rs, size_t n)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		total += rs[i]->nchecks;
	fprintf(f, "TAP version 13\n1..%zu\n", total);
	for (size_t i = 0; i < n; i++) {
		const lesson_result *r = rs[i];
		for (size_t s = 0; s < r->nsteps; s++) {
			for (size_t j = 0; j < r->steps[s].nitems; j++) {
				const lesson_check *c = r->steps[s].items[j].check;
				if (c == NULL)
					continue;
				fprintf(f, "%s %zu - %s step %zu: %s %s == %s\n",
				        c->passed ? "ok" : "not ok", ++k, r->lesson->name,
				        s + 1, dv_check_kind_name(c->action->kind),
				        c->action->lhs_text, c->action->rhs_text);
				if (!c->passed)
					tap_yaml(f, c);
			}
		}
	}
	return DV_OK;
}

/* ---- Markdown ------------------------------------------------------------ */

/* The Unicode of a label in LaTeX: ∂ δ β become commands. */
static void put_latex_label(dv_strbuf *b, const char *s)
{
	static const dv_strmap map[] = {{"∂", "\\partial "},
	                                {"δ", "\\delta "},
	                                {"β", "\\beta "},
	                                {"Σ", "\\Sigma "}};
	dv_strbuf_put_mapped(b, s, map, sizeof map / sizeof map[0]);
}

/* "label = \begin{bmatrix} … \end{bmatrix}": m's entries, numbers or symbols. */
static void md_bmatrix(dv_strbuf *b, const char *label, const dv_mat *m,
                       const sym_latex_name *latex)
{
	dv_strbuf_printf(b, "%s = ", label);
	dv_put_bmatrix(b, m, latex);
}

/* Past this many bytes a counterexample's entries are left to the JSON report. */
#define MD_MAX_ENTRY 600

/* "at (1,2): $L \neq R$", the entry where a verdict fails, in LaTeX. */
static void md_counterexample(dv_strbuf *b, const lesson_verdict *v,
                              const sym_latex_name *latex)
{
	const dv_check *c = &v->value.check;
	const dv_mat *l = v->value.mat, *r = v->value.mat2;
	dv_strbuf left, right;
	size_t i;

	if (v->value.kind != DV_V_CHECK || c->shape_differs ||
	    c->verdict == DV_VERDICT_HOLDS || l == NULL || r == NULL)
		return;
	i = (c->row - 1) * l->cols + c->col - 1;
	dv_strbuf_init(&left);
	dv_strbuf_init(&right);
	dv_put_entry(&left, l, i, SYM_LATEX, latex);
	dv_put_entry(&right, r, i, SYM_LATEX, latex);
	dv_strbuf_printf(b, " At (%zu,%zu)", c->row, c->col);
	if (left.failed || right.failed || left.len + right.len > MD_MAX_ENTRY)
		dv_strbuf_printf(b, " the sides are %zu and %zu characters long (the JSON "
		                 "report gives them in full)",
		                 left.len, right.len);
	else
		dv_strbuf_printf(b, ": $%s %s %s$", left.s, 
		                 c->verdict == DV_VERDICT_FAILS ? "\\neq" : "\\approx",
		                 right.s);
	if (!c->exact && c->verdict == DV_VERDICT_FAILS)
	{
		dv_strbuf_puts(b, " (");
		dv_put_differ_by(b, c->at.diff, 2);
		dv_strbuf_printf(b, ", more than the bound %.2g)", c->at.bound);
	}
	dv_strbuf_puts(b, ".");
	dv_strbuf_free(&left);
	dv_strbuf_free(&right);
}

static void md_check(dv_strbuf *b, const lesson_check *c, const lesson_result *r,
                     int nested)
{
	const lesson_verdict *e = &c->exact, *n = &c->numeric;
	const sym_latex_name *latex = r->lesson->latex;
	dv_strbuf_printf(b, "%s %s**%s** ", nested ? "  -" : "-",
	                 nested ? "" : (c->passed ? "✓ " : "✗ "),
	                 nested ? "instead" : dv_check_kind_name(c->action->kind));
	if (c->action->as != NULL && !nested)
		/* LaTeX as math, for the page to typeset */
		dv_strbuf_printf(b, strchr(c->action->as, '\\') != NULL
		                            ? "$%s$ (checked as `%s == %s`)"
		                            : "%s (checked as `%s == %s`)",
		                 c->action->as, c->action->lhs_text, c->action->rhs_text);
	else
		dv_strbuf_printf(b, "`%s == %s`", c->action->lhs_text, c->action->rhs_text);
	if (c->action->why != NULL)
		dv_strbuf_printf(b, " (%s)", c->action->why);
	dv_strbuf_puts(b, ": ");
	if (e->value.kind == DV_V_CHECK || e->unevaluable)
		dv_strbuf_printf(b, "%s exactly, ",
		                 lesson_verdict_holds(e) ? "holds" : "fails");
	dv_strbuf_printf(b, "%s on numbers", dv_verdict_name(lesson_verdict_of(n)));
	if (n->value.kind == DV_V_CHECK && !n->value.check.exact &&
	    !n->value.check.shape_differs)
		dv_strbuf_printf(b, " (max difference %.2g, bound %.2g)",
		                 n->value.check.max_abs, n->value.check.max_bound);
	dv_strbuf_puts(b, ".");
	/* where it fails: the exact counterexample if there is one */
	if (e->value.kind == DV_V_CHECK && !lesson_verdict_holds(e))
		md_counterexample(b, e, latex);
	else
		md_counterexample(b, n, latex);
	dv_strbuf_puts(b, "\n");
	if (c->rows != NULL) {
		/* the gradient check's summary, as the text's table ends */
		const lesson_grad_row *w = &c->rows[c->worst];
		size_t by[3] = {0, 0, 0}, count = c->rows_r * c->rows_c;
		size_t local, whole, precise;
		for (size_t i = 0; i < count; i++)
			by[lesson_grad_row_by(&c->rows[i])]++;
		local = by[LESSON_BY_LOCAL];
		whole = by[LESSON_BY_WHOLE];
		precise = by[LESSON_BY_MPFR];
		dv_strbuf_printf(b, "%s  - finite differences on the checked numbers (",
		                 nested ? "  " : "");
		dv_put_sizes(b, r, 1);
		dv_strbuf_printf(b,
		                 "; random, seed %lu): %zu %s (%zu local, %zu whole, "
		                 "%zu at higher precision); worst (%zu,%zu): difference "
		                 "%.2g, bound %.2g (GSL estimate %.2g).\n",
		                 r->seed, count, count == 1 ? "entry" : "entries", local,
		                 whole, precise,
		                 c->worst / c->rows_c + 1, c->worst % c->rows_c + 1,
		                 w->verdict.diff, w->verdict.bound, w->numeric.gsl_error);
	}
	if (c->instead != NULL)
		md_check(b, c->instead, r, 1);
}

/* A lesson's formula line (Unicode, as its author typed it) inside $$, as
 * LaTeX only: δ β Σ ∂ ∘ become commands, runs of subscript and superscript
 * characters (₁₁, ˡ⁺¹, ᵤᵥ) become _{11}, ^{l+1}, _{uv}. */
static void md_formula(dv_strbuf *b, const char *s)
{
	static const dv_strmap symbols[] = {
	        {"δ", "\\delta "}, {"β", "\\beta "}, {"Σ", "\\sum "},  {"∂", "\\partial "},
	        {"∘", "\\circ "},  {"·", "\\cdot "}, {"∗", "*"},         {"∈", "\\in "},
	        {"−", "-"},         {"′", "'"},        {"½", "\\tfrac{1}{2}"}};
	static const dv_strmap subs[] = {
	        {"₀", "0"}, {"₁", "1"}, {"₂", "2"}, {"₃", "3"}, {"₄", "4"}, {"₅", "5"},
	        {"₆", "6"}, {"₇", "7"}, {"₈", "8"}, {"₉", "9"}, {"ᵢ", "i"}, {"ⱼ", "j"},
	        {"ᵤ", "u"}, {"ᵥ", "v"}, {"₊", "+"}, {"₋", "-"}};
	static const dv_strmap sups[] = {
	        {"⁰", "0"}, {"¹", "1"}, {"²", "2"}, {"³", "3"}, {"⁴", "4"}, {"⁵", "5"},
	        {"⁶", "6"}, {"⁷", "7"}, {"⁸", "8"}, {"⁹", "9"}, {"ˡ", "l"}, {"ʲ", "j"},
	        {"ⁱ", "i"}, {"⁺", "+"}, {"⁻", "-"}, {"ᵀ", "T"}};
	int run = 0; /* 1 inside _{...}, 2 inside ^{...} */
	while (*s != '\0') {
		const dv_strmap *hit = NULL;
		int kind = 0;
		for (size_t k = 0; hit == NULL && k < sizeof subs / sizeof subs[0]; k++)
			if (strncmp(s, subs[k].from, strlen(subs[k].from)) == 0)
				hit = &subs[k], kind = 1;
		for (size_t k = 0; hit == NULL && k < sizeof sups / sizeof sups[0]; k++)
			if (strncmp(s, sups[k].from, strlen(sups[k].from)) == 0)
				hit = &sups[k], kind = 2;
		for (size_t k = 0; hit == NULL && k < sizeof symbols / sizeof symbols[0]; k++)
			if (strncmp(s, symbols[k].from, strlen(symbols[k].from)) == 0)
				hit = &symbols[k];
		if (run != 0 && kind != run) {
			dv_strbuf_puts(b, "}");
			run = 0;
		}
		if (kind != 0 && run == 0) {
			dv_strbuf_puts(b, kind == 1 ? "_{" : "^{");
			run = kind;
		}
		if (hit != NULL) {
			dv_strbuf_puts(b, hit->to);
			s += strlen(hit->from);
		} else {
			dv_strbuf_putn(b, s++, 1);
		}
	}
	if (run != 0)
		dv_strbuf_puts(b, "}");
}

/* The report in Markdown, its math in $$ (KaTeX and MathJax read it); with
 * `grids` (the HTML page) each table is followed by \x02T<lesson>.<step>.<item>\x03
 * in a paragraph of its own, where the page puts its entries to point at. */
static void markdown_of(dv_strbuf *out, const lesson_result *r, int grids, size_t nth)
{
	const lesson *l = r->lesson;
	dv_strbuf b = *out;

	dv_strbuf_printf(&b, "# %s\n\n", l->title);
	if (l->source != NULL)
		dv_strbuf_printf(&b, "> %s\n\n", l->source);
	if (l->summary != NULL)
		dv_strbuf_printf(&b, "%s\n\n", l->summary);
	{
		size_t before = b.len;
		dv_put_drawn(&b, r);
		if (b.len > before)
			dv_strbuf_puts(&b, "\n");
	}
	for (size_t i = 0; i < r->nsteps; i++) {
		const lesson_step_result *sr = &r->steps[i];
		dv_strbuf_printf(&b, "## %zu. %s\n\n", i + 1, sr->step->title);
		for (size_t j = 0; j < sr->nitems; j++) {
			const lesson_item *it = &sr->items[j];
			const lesson_action *a = it->action;
			switch (a->kind) {
			case LESSON_ZH:
				dv_strbuf_printf(&b, "> %s\n\n", a->text);
				break;
			case LESSON_EN:
				dv_strbuf_printf(&b, "> *%s*\n\n", a->text);
				break;
			case LESSON_TEXT:
				dv_strbuf_printf(&b, "%s\n\n", lesson_item_text(it));
				break;
			case LESSON_FORMULA:
				dv_strbuf_puts(&b, "$$\n");
				md_formula(&b, a->text);
				dv_strbuf_puts(&b, "\n$$\n\n");
				break;
			case LESSON_EXERCISE:
				dv_strbuf_printf(&b, "**Exercise %s.** %s\n\n", a->ex_id,
				                 a->ask);
				for (size_t k = 0; k < a->nlines; k++)
					dv_strbuf_printf(&b, "%zu. `%s == %s`\n", k + 1,
					                 a->lines[k].lhs_text,
					                 a->lines[k].rhs_text);
				if (a->nlines > 0)
					dv_strbuf_puts(&b, "\n");
				if (it->check != NULL) {
					md_check(&b, it->check, r, 0);
					dv_strbuf_puts(&b, "\n");
				}
				break;
			case LESSON_SHOW:
			case LESSON_NUMBERS: {
				const dv_mat *m =
				        it->table != NULL ? it->table : it->numbers;
				dv_strbuf lb;
				char *label = NULL;
				dv_strbuf_init(&lb);
				put_latex_label(&lb, a->label);
				if (dv_strbuf_finish(&lb, &label, NULL) != DV_OK)
					break;
				dv_strbuf_puts(&b, "$$\n");
				if (it->table != NULL && !dv_is_grid(it->table)) {
					dv_strbuf_puts(&b, "\\begin{aligned}\n");
					dv_put_table(&b, m, label, SYM_LATEX, l->latex,
					             "");
					dv_strbuf_puts(&b, "\\end{aligned}\n");
				} else {
					md_bmatrix(&b, label, m, l->latex);
				}
				dv_strbuf_puts(&b, "$$\n\n");
				if (it->table != NULL && it->numbers != NULL) {
					/* and with the shown numbers, as the text has them */
					dv_strbuf_puts(&b, "With the shown numbers:\n\n$$\n");
					md_bmatrix(&b, label, it->numbers, NULL);
					dv_strbuf_puts(&b, "$$\n\n");
				}
				if (grids && it->table != NULL && a->kind == LESSON_SHOW)
					dv_strbuf_printf(&b, "\x02T%zu.%zu.%zu\x03\n\n", nth, i, j);
				free(label);
				break;
			}
			default:
				md_check(&b, it->check, r, 0);
				if (j + 1 == sr->nitems || sr->items[j + 1].check == NULL)
					dv_strbuf_puts(&b, "\n");
				break;
			}
		}
	}
	dv_strbuf_printf(&b, "*%zu checks, %zu as the lesson says.*\n", r->nchecks,
	                 r->npassed);
	*out = b;
}

int dv_report_markdown(FILE *f, const lesson_result *r)
{
	dv_strbuf b;
	dv_strbuf_init(&b);
	markdown_of(&b, r, 0, 0);
	return flush(f, &b);
}

/* An entry to point at: its symbols (data-s), its text (title), shown as
 * its name or its number. */
/* n in subscript digits: ₁₂ */
static void put_sub(dv_strbuf *b, size_t n)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%zu", n);
	for (const char *p = digits; *p != '\0'; p++)
		dv_strbuf_printf(b, "\xe2\x82%c", (char)(0x80 + (*p - '0')));
}

static void put_grid_cell(dv_strbuf *b, const lesson_result *r, const dv_mat *sym,
                          const dv_mat *num, size_t k, const char *name, const char *id)
{
	uint32_t ids[512];
	size_t nids = 0;
	dv_strbuf t;
	char *title = NULL;
	const sym_poly *p = *(sym_poly *const *)dv_mat_at(sym, k);
	sym_poly_symbols(lesson_result_symbols(r), p, ids, &nids, 512);
	dv_strbuf_puts(b, "<td tabindex=\"0\"");
	if (id != NULL) /* page.html#ID points at it when the page opens */
		dv_strbuf_printf(b, " id=\"%s-%zu-%zu\"", id, k / sym->cols + 1, k % sym->cols + 1);
	dv_strbuf_puts(b, " data-s=\"");
	for (size_t i = 0; i < nids; i++)
		dv_strbuf_printf(b, "%s%u", i > 0 ? " " : "", (unsigned)ids[i]);
	dv_strbuf_puts(b, "\" title=\"");
	dv_strbuf_init(&t);
	if (name != NULL) {
		dv_strbuf_puts(&t, name);
		put_sub(&t, k / sym->cols + 1);
		put_sub(&t, k % sym->cols + 1);
		dv_strbuf_puts(&t, " = ");
	}
	dv_put_entry_short(&t, sym, k, SYM_UNICODE, 400);
	if (num != NULL && k < num->rows * num->cols && dv_mat_is_double(num))
		dv_strbuf_printf(&t, " = %g", dv_mat_get(num, k));
	if (dv_strbuf_finish(&t, &title, NULL) == DV_OK) {
		dv_html_escape(b, title, strlen(title));
		free(title);
	}
	dv_strbuf_puts(b, "\">");
	if (num != NULL && k < num->rows * num->cols && dv_mat_is_double(num))
		dv_strbuf_printf(b, "%g", dv_mat_get(num, k));
	else
		dv_strbuf_puts(b, "·");
	dv_strbuf_puts(b, "</td>");
}

static void put_grid(dv_strbuf *b, const lesson_result *r, const char *caption,
                     const dv_mat *sym, const dv_mat *num, const char *name, const char *id)
{
	int result = id != NULL;
	dv_strbuf_printf(b, "<table class=\"grid%s\"><caption>", result ? " result" : "");
	{
		dv_strbuf cb;
		dv_strbuf_init(&cb);
		sym_name_print(&cb, caption, SYM_UNICODE); /* a_1 is a₁ */
		if (cb.failed || cb.s == NULL)
			dv_html_escape(b, caption, strlen(caption));
		else
			dv_html_escape(b, cb.s, cb.len);
		dv_strbuf_free(&cb);
	}
	dv_strbuf_puts(b, "</caption>\n");
	for (size_t i = 0; i < sym->rows; i++) {
		dv_strbuf_puts(b, "<tr>");
		for (size_t j = 0; j < sym->cols; j++)
			put_grid_cell(b, r, sym, num, i * sym->cols + j, name, id);
		dv_strbuf_puts(b, "</tr>\n");
	}
	dv_strbuf_puts(b, "</table>\n");
}

/*
 * The entries of a table to point at, as the tutorial has them: the
 * lesson's matrices and the table, with the shown numbers; pointing at an
 * entry of the table lights the entries of the matrices that feed it, and
 * pointing at one of theirs the entries it feeds.
 */
/* Whether some entry of a shares a symbol with the symbols ids[0..n). */
static int feeds(const lesson_result *r, const dv_mat *a, const uint32_t *ids, size_t n)
{
	for (size_t k = 0; k < a->rows * a->cols; k++) {
		uint32_t mine[512];
		size_t m = 0;
		sym_poly_symbols(lesson_result_symbols(r), *(sym_poly *const *)dv_mat_at(a, k),
		                 mine, &m, 512);
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < n; j++)
				if (mine[i] == ids[j])
					return 1;
	}
	return 0;
}

static void put_grids(dv_strbuf *b, const lesson_result *r, const lesson_item *it,
                      const char *id)
{
	const lesson *l = r->lesson;
	uint32_t ids[4096];
	size_t nids = 0;
	if (sym_field_ctx(it->table->field) == NULL)
		return;
	for (size_t k = 0; k < it->table->rows * it->table->cols; k++)
		sym_poly_symbols(lesson_result_symbols(r),
		                 *(sym_poly *const *)dv_mat_at(it->table, k), ids, &nids, 4096);
	dv_strbuf_puts(b, "<div class=\"grids\"><p class=\"hint\">Point at an entry (or "
	                  "move to it with Tab): the entries that feed it, or that it "
	                  "feeds, light up.</p>\n<div class=\"row\">\n");
	for (size_t i = 0; i < l->nvars; i++) {
		const dv_mat *sym = dv_env_lookup(r->symbols, l->vars[i].name);
		/* the matrices the table is made of */
		if (l->vars[i].scalar || sym == NULL || sym_field_ctx(sym->field) == NULL ||
		    !feeds(r, sym, ids, nids))
			continue;
		put_grid(b, r, l->vars[i].name, sym, dv_env_lookup(r->shown, l->vars[i].name),
		         NULL, NULL);
	}
	put_grid(b, r, it->action->label, it->table, it->numbers, it->action->label, id);
	dv_strbuf_puts(b, "</div>\n<p class=\"entry\" aria-live=\"polite\"></p></div>\n");
}

/* The page's HTML with each \x02T<lesson>.<step>.<item>\x03 paragraph
 * replaced by that table's entries to point at. */
static void put_with_grids(dv_strbuf *b, const char *html, lesson_result *const *rs, size_t n)
{
	const char *p = html, *at;
	while ((at = strstr(p, "<p>\x02T")) != NULL) {
		size_t li, si, ii;
		const char *close = strstr(at, "\x03</p>");
		dv_strbuf_putn(b, p, (size_t)(at - p));
		if (close == NULL) {
			p = at + 3;
			dv_strbuf_puts(b, "<p>");
			continue;
		}
		p = close + 5;
		if (sscanf(at + 5, "%zu.%zu.%zu", &li, &si, &ii) == 3 && li < n &&
		    si < rs[li]->nsteps && ii < rs[li]->steps[si].nitems &&
		    rs[li]->steps[si].items[ii].table != NULL) {
			char id[64];
			snprintf(id, sizeof id, "e%zu-%zu-%zu", li + 1, si + 1, ii + 1);
			put_grids(b, rs[li], &rs[li]->steps[si].items[ii], id);
		}
	}
	dv_strbuf_puts(b, p);
}

int dv_report_html(FILE *f, lesson_result *const *rs, size_t n, dv_diag *d)
{
	dv_strbuf md, b;
	char *text = NULL;
	char title[300];
	int rc;

	dv_strbuf_init(&md);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			dv_strbuf_puts(&md, "\n---\n\n");
		markdown_of(&md, rs[i], 1, i);
	}
	if ((rc = dv_strbuf_finish(&md, &text, d)) != DV_OK)
		return rc;
	snprintf(title, sizeof title, "verify: %.280s",
	         n == 1 ? rs[0]->lesson->title : "the lessons");
	dv_strbuf_init(&b);
	if ((rc = dv_html_begin(&b, title, d)) == DV_OK) {
		dv_strbuf page;
		char *html = NULL;
		dv_strbuf_init(&page);
		if ((rc = dv_html_markdown(&page, text, strlen(text), 1, d)) == DV_OK &&
		    (rc = dv_strbuf_finish(&page, &html, d)) == DV_OK) {
			put_with_grids(&b, html, rs, n);
			free(html);
			rc = dv_html_end(&b, d);
		}
	}
	free(text);
	if (rc != DV_OK) {
		dv_strbuf_free(&b);
		return rc;
	}
	return flush(f, &b) == DV_OK ? DV_OK : dv_fail(d, DV_E_NOMEM, "out of memory");
}
