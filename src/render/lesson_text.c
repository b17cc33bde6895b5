#include "render/lesson_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

#define GREEN "\x1b[32m"
#define RED "\x1b[31m"
#define RESET "\x1b[0m"

/* Gradient tables longer than this show their worst entries only. */
#define MAX_GRAD_ROWS 12

const char *dv_check_kind_name(lesson_kind k)
{
	switch (k) {
	case LESSON_CLAIM:
		return "claim";
	case LESSON_REFUTE:
		return "refute";
	case LESSON_GRADCHECK:
		return "gradcheck";
	default:
		return "";
	}
}

void dv_put_sizes(dv_strbuf *b, const lesson_result *r, int checked)
{
	int first = 1;
	for (size_t i = 0; i < r->nsizes; i++) {
		const lesson_var_size *s = &r->sizes[i];
		size_t rows = checked ? s->check_rows : s->rows;
		size_t cols = checked ? s->check_cols : s->cols;
		if (rows == 1 && cols == 1)
			continue;
		dv_strbuf_printf(b, "%s%s %zux%zu", first ? "" : ", ", s->name, rows, cols);
		first = 0;
	}
}

void dv_put_mark(dv_strbuf *b, int ok, const dv_text_opts *o)
{
	if (o->color)
		dv_strbuf_puts(b, ok ? GREEN : RED);
	if (o->unicode)
		dv_strbuf_puts(b, ok ? "✓" : "✗");
	else
		dv_strbuf_puts(b, ok ? "ok" : "FAIL");
	if (o->color)
		dv_strbuf_puts(b, RESET);
}

/* "holds in every entry" / "fails at (1,2): left ≠ right" for one verdict. */
static void put_verdict(dv_strbuf *b, const lesson_verdict *v, const char *what,
			const dv_text_opts *o, const char *indent)
{
	sym_style style = o->unicode ? SYM_UNICODE : SYM_ASCII;
	const dv_check *c = &v->value.check;
	const dv_mat *l = v->value.mat, *r = v->value.mat2;

	dv_strbuf_printf(b, "%s%s: ", indent, what);
	if (v->unevaluable) {
		dv_strbuf_printf(b, "fails: it cannot be evaluated at these sizes (%s)\n",
				 v->unavailable);
		return;
	}
	if (v->value.kind != DV_V_CHECK) {
		dv_strbuf_printf(b, "not decided (%s)\n", v->unavailable ? v->unavailable : "-");
		return;
	}
	if (c->shape_differs) {
		dv_strbuf_printf(b, "fails: the left side is %zux%zu, the right side %zux%zu\n",
				 l->rows, l->cols, r->rows, r->cols);
		return;
	}
	if (c->holds) {
		dv_strbuf_printf(b, "holds in every entry (%zux%zu", l->rows, l->cols);
		if (!c->exact)
			dv_strbuf_printf(b, "; max abs error %.2g, max rel error %.2g",
					 c->max_abs, c->max_rel);
		dv_strbuf_puts(b, ")\n");
		return;
	}
	dv_strbuf_printf(b, "fails at (%zu,%zu): ", c->row, c->col);
	dv_put_entry(b, l, (c->row - 1) * l->cols + c->col - 1, style, NULL);
	dv_strbuf_puts(b, o->unicode ? " ≠ " : " != ");
	dv_put_entry(b, r, (c->row - 1) * r->cols + c->col - 1, style, NULL);
	if (!c->exact)
		dv_strbuf_printf(b, " (max rel error %.2g > %.0e)", c->max_rel, v->tol);
	dv_strbuf_puts(b, "\n");
}

static void put_grad_rows(dv_strbuf *b, const lesson_check *c, const char *indent)
{
	size_t n = c->rows_r * c->rows_c;
	char a[32], num[32];

	size_t by_estimate = 0;

	dv_strbuf_printf(b, "%s%-9s %14s %14s %10s %10s %10s\n", indent, "entry", "analytic",
			 "numeric", "abs error", "rel error", "GSL error");
	for (size_t i = 0; i < n; i++) {
		const lesson_grad_row *row = &c->rows[i];
		char entry[48];
		if (n > MAX_GRAD_ROWS && i >= MAX_GRAD_ROWS - 1 && i != c->worst &&
		    row->agrees)
			continue;
		snprintf(entry, sizeof entry, "(%zu,%zu)", i / c->rows_c + 1, i % c->rows_c + 1);
		snprintf(a, sizeof a, "%.8g", row->analytic);
		snprintf(num, sizeof num, "%.8g", row->numeric);
		dv_strbuf_printf(b, "%s%-9s %14s %14s %10.2g %10.2g %10.2g%s\n", indent, entry, a,
				 num, row->abs_error, row->rel_error, row->gsl_error,
				 row->agrees ? (row->within_gsl_error ? " *" : "") : " <-");
	}
	for (size_t i = 0; i < n; i++)
		by_estimate += c->rows[i].within_gsl_error != 0;
	if (by_estimate > 0)
		dv_strbuf_printf(b, "%s* %zu tiny entr%s agree%s within the finite differences' "
				    "own error estimate\n",
				 indent, by_estimate, by_estimate == 1 ? "y" : "ies",
				 by_estimate == 1 ? "s" : "");
	if (n > MAX_GRAD_ROWS)
		dv_strbuf_printf(b, "%s(%zu entries; the first %d, the worst and any that "
				    "disagree shown)\n",
				 indent, n, MAX_GRAD_ROWS - 1);
	dv_strbuf_printf(b, "%sworst entry (%zu,%zu): relative error %.2g (tolerance %.0e)\n",
			 indent, c->worst / c->rows_c + 1, c->worst % c->rows_c + 1,
			 c->rows[c->worst].rel_error, LESSON_GRAD_TOL);
}

static void put_check(dv_strbuf *b, const lesson_check *c, const dv_text_opts *o,
		      const char *indent, int nested)
{
	const lesson_action *a = c->action;
	char sub[32];

	snprintf(sub, sizeof sub, "%s    ", indent);
	dv_strbuf_puts(b, indent);
	if (nested) {
		dv_strbuf_puts(b, "instead ");
	} else {
		dv_put_mark(b, c->passed, o);
		dv_strbuf_printf(b, " %s ", dv_check_kind_name(a->kind));
	}
	dv_put_text(b, a->lhs_text, o->unicode);
	dv_strbuf_puts(b, " == ");
	dv_put_text(b, a->rhs_text, o->unicode);
	dv_strbuf_puts(b, "\n");
	if (a->why != NULL) {
		dv_strbuf_puts(b, sub);
		dv_put_text(b, a->why, o->unicode);
		dv_strbuf_puts(b, "\n");
	}
	put_verdict(b, &c->exact, "exact", o, sub);
	put_verdict(b, &c->numeric,
		    a->kind == LESSON_GRADCHECK ? "finite differences" : "numbers", o, sub);
	if (c->rows != NULL)
		put_grad_rows(b, c, sub);
	if (c->disagree)
		dv_strbuf_printf(b, "%sthe exact and the numeric verdicts disagree\n", sub);
	if (!nested && !c->disagree && lesson_verdict_holds(&c->numeric) == c->expect_holds)
		; /* came out as the lesson says; the instead line may not have */
	else if (!nested && !c->disagree)
		dv_strbuf_printf(b, "%sexpected to %s, but it %s\n", sub,
				 c->expect_holds ? "hold" : "fail",
				 c->expect_holds ? "fails" : "holds");
	if (c->instead != NULL) {
		put_check(b, c->instead, o, sub, 1);
		if (!c->instead->passed)
			dv_strbuf_printf(b, "%s    the corrected form must hold, and does not\n",
					 sub);
	}
}

static void put_item(dv_strbuf *b, const lesson_item *it, const lesson_result *r,
		     const dv_text_opts *o)
{
	const lesson_action *a = it->action;
	sym_style style = o->unicode ? SYM_UNICODE : SYM_ASCII;
	char label[128];

	switch (a->kind) {
	case LESSON_ZH:
	case LESSON_TEXT:
		dv_strbuf_puts(b, "  ");
		dv_put_text(b, a->text, o->unicode);
		dv_strbuf_puts(b, "\n");
		break;
	case LESSON_EN:
		dv_strbuf_puts(b, "  (");
		dv_put_text(b, a->text, o->unicode);
		dv_strbuf_puts(b, ")\n");
		break;
	case LESSON_FORMULA:
		dv_strbuf_puts(b, "\n      ");
		dv_put_text(b, a->text, o->unicode);
		dv_strbuf_puts(b, "\n\n");
		break;
	case LESSON_SHOW:
	case LESSON_NUMBERS: {
		dv_strbuf lb;
		char *l = NULL;
		dv_strbuf_init(&lb);
		dv_put_text(&lb, a->label, o->unicode);
		if (dv_strbuf_finish(&lb, &l, NULL) != DV_OK)
			return;
		snprintf(label, sizeof label, "%s", l);
		free(l);
		if (!o->tables)
			break;
		if (it->table != NULL && dv_is_grid(it->table))
			dv_put_grid(b, it->table, label, style, "    ");
		else if (it->table != NULL)
			dv_put_table(b, it->table, label, style, NULL, "    ");
		else if (it->no_table != NULL)
			dv_strbuf_printf(b, "    (no table: %s)\n", it->no_table);
		if (it->numbers != NULL) {
			dv_strbuf_printf(b, "    %s with the shown numbers:\n", label);
			dv_put_numbers(b, it->numbers, "      ");
		}
		break;
	}
	case LESSON_CLAIM:
	case LESSON_REFUTE:
	case LESSON_GRADCHECK:
		dv_strbuf_puts(b, "\n");
		put_check(b, it->check, o, "  ", 0);
		break;
	case LESSON_EXERCISE:
		dv_strbuf_printf(b, "\n  %s exercise %s: ", o->unicode ? "✎" : "?", a->ex_id);
		dv_put_text(b, a->ask, o->unicode);
		dv_strbuf_puts(b, "\n");
		for (size_t i = 0; i < a->nlines; i++) {
			dv_strbuf_printf(b, "      %zu. ", i + 1);
			dv_put_text(b, a->lines[i].lhs_text, o->unicode);
			dv_strbuf_puts(b, " == ");
			dv_put_text(b, a->lines[i].rhs_text, o->unicode);
			dv_strbuf_puts(b, "\n");
		}
		dv_strbuf_printf(b, "      (answer it with verify exercise %s)\n", r->lesson->name);
		break;
	}
}

void dv_put_step(dv_strbuf *b, const lesson_result *r, size_t step, const dv_text_opts *o)
{
	const lesson_step_result *sr = &r->steps[step];
	for (size_t j = 0; j < sr->nitems; j++)
		put_item(b, &sr->items[j], r, o);
}
