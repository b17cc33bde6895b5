#include "render/lesson_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "sym/ctx.h"
#include "sym/print.h"

#define GREEN "\x1b[32m"
#define RED "\x1b[31m"
#define YELLOW "\x1b[33m"
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

void dv_put_drawn(dv_strbuf *b, const lesson_result *r)
{
	for (size_t i = 0; i < r->nsizes; i++) {
		const lesson_var_size *s = &r->sizes[i];
		const lesson_var *v = NULL;
		if (!s->drawn)
			continue;
		for (size_t k = 0; k < r->lesson->nvars && v == NULL; k++)
			if (strcmp(r->lesson->vars[k].name, s->name) == 0)
				v = &r->lesson->vars[k];
		if (v == NULL)
			continue;
		dv_strbuf_printf(b,
		                 "%s: the lesson's own numbers are %zux%zu; at %zux%zu "
		                 "they are drawn from the seed, so the prose about them "
		                 "may not fit\n",
		                 s->name, v->rows, v->cols, s->rows, s->cols);
	}
}

void dv_put_sizes(dv_strbuf *b, const lesson_result *r, int checked)
{
	int first = 1;
	for (size_t i = 0; i < r->nsizes; i++) {
		const lesson_var_size *s = &r->sizes[i];
		size_t rows = checked ? s->check_rows : s->rows;
		size_t cols = checked ? s->check_cols : s->cols;
		/* a scalar (β, b) is no matrix; a 1x1 matrix is named as any other */
		if (i < r->lesson->nvars && r->lesson->vars[i].scalar)
			continue;
		dv_strbuf_printf(b, "%s%s %zux%zu", first ? "" : ", ", s->name, rows,
		                 cols);
		first = 0;
	}
}

void dv_put_mark(dv_strbuf *b, int ok, const dv_text_opts *o)
{
	if (o->color)
		dv_strbuf_puts(b, ok < 0 ? YELLOW : ok ? GREEN : RED);
	if (o->unicode)
		dv_strbuf_puts(b, ok < 0 ? "?" : ok ? "✓" : "✗");
	else
		dv_strbuf_puts(b, ok < 0 ? "??" : ok ? "ok" : "FAIL");
	if (o->color)
		dv_strbuf_puts(b, RESET);
}

/* A counterexample's entry is shortened past this many bytes. */
#define MAX_ENTRY_TEXT 240

/*
 * "holds in every entry" / "fails at (1,2): left ≠ right" for one verdict;
 * c, when not NULL, is the gradient check whose finite differences it is.
 */
static void put_verdict(dv_strbuf *b, const lesson_verdict *v, const char *what,
                        const dv_text_opts *o, const char *indent, const lesson_check *gc)
{
	sym_style style = o->unicode ? SYM_UNICODE : SYM_ASCII;
	const dv_check *c = &v->value.check;
	const dv_mat *l = v->value.mat, *r = v->value.mat2;
	const char *bound =
	        v->by_differences ? "finite-difference bound" : "rounding bound";

	dv_strbuf_printf(b, "%s%s: ", indent, what);
	if (v->unevaluable) {
		dv_strbuf_printf(b, "fails: it cannot be evaluated at these sizes (%s)\n",
		                 v->unavailable);
		return;
	}
	if (v->value.kind != DV_V_CHECK) {
		dv_strbuf_printf(b, "not decided (%s)\n",
		                 v->unavailable ? v->unavailable : "-");
		return;
	}
	if (c->shape_differs) {
		dv_strbuf_printf(
		        b, "fails: the left side is %zux%zu, the right side %zux%zu\n",
		        l->rows, l->cols, r->rows, r->cols);
		return;
	}
	if (c->verdict == DV_VERDICT_HOLDS) {
		dv_strbuf_printf(b, "holds in every entry (%zux%zu", l->rows, l->cols);
		if (!c->exact && c->max_bound != 0 && fabs(c->max_bound) < 1e-200)
			dv_strbuf_printf(b, "; max difference %.2g, within the %s, 0 within rounding",
			                 c->max_abs, bound);
		else if (!c->exact)
			dv_strbuf_printf(b, "; max difference %.2g, within the %s %.2g",
			                 c->max_abs, bound, c->max_bound);
		if (!c->exact && v->precise.bits)
			dv_strbuf_printf(b,
			                 "; decided at %u bits, where doubles could not",
			                 v->precise.bits);
		{
			size_t first = 0, n = gc != NULL ? lesson_grad_within_estimate(gc, &first) : 0;
			if (n > 0)
				dv_strbuf_printf(
				        b,
				        "; %zu %s only within gsl_deriv_central's own "
				        "error estimate, first (%zu,%zu)",
				        n, n == 1 ? "entry holds" : "entries hold",
				        first / gc->rows_c + 1, first % gc->rows_c + 1);
		}
		dv_strbuf_puts(b, ")\n");
		return;
	}
	dv_strbuf_printf(b, "%s at (%zu,%zu): ",
	                 c->verdict == DV_VERDICT_FAILS ? "fails" : "inconclusive",
	                 c->row, c->col);
	dv_put_entry_short(b, l, (c->row - 1) * l->cols + c->col - 1, style,
	                   MAX_ENTRY_TEXT);
	if (c->verdict == DV_VERDICT_FAILS)
		dv_strbuf_puts(b, o->unicode ? " ≠ " : " != ");
	else
		dv_strbuf_puts(b, o->unicode ? " ≈ " : " ~ ");
	dv_put_entry_short(b, r, (c->row - 1) * r->cols + c->col - 1, style,
	                   MAX_ENTRY_TEXT);
	if (c->verdict == DV_VERDICT_FAILS && !c->exact)
	{
		dv_strbuf_puts(b, " (");
		dv_put_differ_by(b, c->at.diff, 2);
		if (c->at.bound != 0 && fabs(c->at.bound) < 1e-200)
			dv_strbuf_printf(b, ", more than the %s, which is 0 within rounding%s)", bound,
			                 v->precise.bits ? " at higher precision" : "");
		else
			dv_strbuf_printf(b, ", more than the %s %.2g%s)", bound, c->at.bound,
			                 v->precise.bits ? " at higher precision" : "");
	}
	else if (!c->exact && (!isfinite(c->at.bound) || !isfinite(c->at.scale)))
		dv_strbuf_printf(b, " (a number overflowed%s)",
		                 v->precise.bits ? ", at every precision tried"
		                                 : " double precision");
	else if (!c->exact)
		dv_strbuf_printf(b,
		                 " (the %s %.2g is too loose to resolve %.0e of the "
		                 "terms' size %.2g, %s)",
		                 bound, c->at.bound, DV_RESOLUTION, c->at.scale,
		                 v->precise.bits ? "at every precision tried"
		                                 : "in double precision");
	if (c->exact && c->verdict == DV_VERDICT_INCONCLUSIVE)
		dv_strbuf_puts(b, " (as polynomials; sigmoid and tanh satisfy identities "
		                  "a polynomial in them does not show, so the numbers "
		                  "decide)");
	if (!c->exact && c->verdict == DV_VERDICT_INCONCLUSIVE &&
	    v->precise.why[0] != '\0')
		dv_strbuf_printf(b, "; higher precision could not be used: %s",
		                 v->precise.why);
	dv_strbuf_puts(b, "\n");
}

static const char *row_mark(const lesson_grad_row *row)
{
	switch (row->verdict.verdict) {
	case DV_VERDICT_FAILS:
		return " <-";
	case DV_VERDICT_INCONCLUSIVE:
		return " ?";
	default:
		return "";
	}
}

/* Which differences decided a row: local doubles, whole doubles, MPFR. */
static void row_by(char *buf, size_t size, const lesson_grad_row *row)
{
	lesson_by by = lesson_grad_row_by(row);
	if (by == LESSON_BY_MPFR)
		snprintf(buf, size, "mpfr%u", row->numeric.bits);
	else
		snprintf(buf, size, "%s", by == LESSON_BY_LOCAL ? "local" : "whole");
}

/* A difference or bound for the table: below 1e-200 (a zero that carries a
 * rounding's trace) "~0", counted in *tiny for the note under the table. */
static void small_number(char *buf, size_t size, double v, int *tiny)
{
	if (v != 0 && fabs(v) < 1e-200) {
		snprintf(buf, size, "~0");
		*tiny = 1;
	} else {
		snprintf(buf, size, "%.2g", v);
	}
}

static void put_grad_rows(dv_strbuf *b, const lesson_check *c, const char *indent)
{
	size_t n = c->rows_r * c->rows_c;
	const lesson_grad_row *w = &c->rows[c->worst];
	char a[32], num[32], by[16], diff[16], bound[16];
	int tiny = 0;

	dv_strbuf_printf(b, "%s%-9s %15s %15s %10s %10s  %s\n", indent, "entry",
	                 "analytic", "numeric", "difference", "bound", "by");
	for (size_t i = 0; i < n; i++) {
		const lesson_grad_row *row = &c->rows[i];
		char entry[48];
		if (n > MAX_GRAD_ROWS && i >= MAX_GRAD_ROWS - 1 && i != c->worst &&
		    row->verdict.verdict == DV_VERDICT_HOLDS)
			continue;
		snprintf(entry, sizeof entry, "(%zu,%zu)", i / c->rows_c + 1,
		         i % c->rows_c + 1);
		snprintf(a, sizeof a, "%.9g", row->analytic);
		snprintf(num, sizeof num, "%.9g", row->numeric.value);
		row_by(by, sizeof by, row);
		small_number(diff, sizeof diff, row->verdict.diff, &tiny);
		small_number(bound, sizeof bound, row->verdict.bound, &tiny);
		dv_strbuf_printf(b, "%s%-9s %15s %15s %10s %10s  %s%s\n", indent, entry, a, num,
		                 diff, bound, by, row_mark(row));
		if (row->verdict.verdict == DV_VERDICT_INCONCLUSIVE &&
		    row->numeric.why != NULL)
			dv_strbuf_printf(b, "%s          (%s)\n", indent,
			                 row->numeric.why);
	}
	if (n > MAX_GRAD_ROWS)
		dv_strbuf_printf(b,
		                 "%s(%zu entries; the first %d, the worst and any that "
		                 "do not hold shown)\n",
		                 indent, n, MAX_GRAD_ROWS - 1);
	if (tiny)
		dv_strbuf_printf(b, "%s~0: below 1e-200, zero within rounding\n", indent);
	dv_strbuf_printf(b,
	                 "%sbound: 2 x gsl_deriv_central's error estimate + the rounding "
	                 "of the differences + the claim's rounding; by: local (only the "
	                 "terms the entry feeds were differenced), whole (a part of the "
	                 "loss has no plan), mpfrN (doubles could not decide: N bits)\n",
	                 indent);
	dv_strbuf_printf(b,
	                 "%sworst entry (%zu,%zu): difference %.2g, bound %.2g "
	                 "(GSL estimate %.2g, rounding %.2g)\n",
	                 indent, c->worst / c->rows_c + 1, c->worst % c->rows_c + 1,
	                 w->verdict.diff, w->verdict.bound, w->numeric.gsl_error,
	                 w->numeric.rounding + w->analytic_bound);
}

/* The lesson's matrices as env holds them (the shown numbers or the
 * checked ones), side by side under `title`. */
static void put_inputs(dv_strbuf *b, const lesson_result *r, const dv_env *env,
                       const char *title, const char *indent)
{
	const dv_mat *mats[16];
	const char *labels[16];
	size_t n = 0;

	for (size_t i = 0; i < r->nsizes && n < 16; i++) {
		const dv_mat *m = dv_env_lookup(env, r->sizes[i].name);
		if (m == NULL || !dv_mat_is_double(m))
			continue;
		mats[n] = m;
		labels[n++] = r->sizes[i].name;
	}
	if (n == 0)
		return;
	dv_strbuf_puts(b, title);
	dv_put_numbers_side(b, mats, labels, n, indent);
}

static void put_shown_inputs(dv_strbuf *b, const lesson_result *r)
{
	put_inputs(b, r, r->shown, "    the shown numbers:\n", "      ");
}

static void put_check(dv_strbuf *b, const lesson_check *c, const lesson_result *r,
                      const dv_text_opts *o, const char *indent, int nested)
{
	const lesson_action *a = c->action;
	char sub[32];

	snprintf(sub, sizeof sub, "%s    ", indent);
	dv_strbuf_puts(b, indent);
	if (nested) {
		dv_strbuf_puts(b, "instead ");
	} else {
		/* not decided (past the work budget): neither ✓ nor ✗ */
		dv_put_mark(b, c->inconclusive && !c->disagree ? -1 : c->passed, o);
		dv_strbuf_printf(b, " %s ", dv_check_kind_name(a->kind));
	}
	if (a->as != NULL && !nested) {
		/* as the derivation writes it, and what was checked beneath */
		dv_put_math(b, a->as, o->unicode);
		dv_strbuf_printf(b, "\n%schecked as ", sub);
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
	put_verdict(b, &c->exact, "exact", o, sub, NULL);
	put_verdict(b, &c->numeric,
	            a->kind == LESSON_GRADCHECK ? "finite differences" : "numbers", o,
	            sub, c);
	if (c->shown.value.kind == DV_V_CHECK) {
		/* the counterexample on the numbers the student sees */
		put_verdict(b, &c->shown, "on the shown numbers", o, sub, NULL);
	} else if (!nested && c->rows == NULL && c->refuted_at == 0 &&
	           c->numeric.value.kind == DV_V_CHECK &&
	           c->numeric.value.check.verdict == DV_VERDICT_FAILS &&
	           !c->numeric.value.check.shape_differs) {
		/* the shown numbers happen to satisfy it: the numbers that do
		 * not, beside the failure they give */
		char title[160], more[40];
		snprintf(title, sizeof title,
		         "%sthe shown numbers do not show it; the checked ones (random, seed "
		         "%lu) do:\n",
		         sub, r->seed);
		snprintf(more, sizeof more, "%s  ", sub);
		put_inputs(b, r, r->checked, title, more);
	}
	if (c->rows != NULL) {
		/* the table is of the checked numbers, not the shown ones */
		dv_strbuf_printf(b, "%son the checked numbers (", sub);
		dv_put_sizes(b, r, 1);
		dv_strbuf_printf(b, "; random, seed %lu), not the shown ones:\n", r->seed);
		put_grad_rows(b, c, sub);
	}
	if (c->refuted_at > 0)
		dv_strbuf_printf(b,
		                 "%sthe first numbers happened to satisfy it; draw %u of "
		                 "the search refutes it, as shown\n",
		                 sub, c->refuted_at);
	if (c->disagree)
		dv_strbuf_printf(b, "%sthe exact and the numeric verdicts disagree\n",
		                 sub);
	if (c->size_too_small >= 2) {
		int shown = c->size_too_small == 2;
		dv_strbuf_printf(b,
		                 "%swarning: true %s --size set, which are too small to show "
		                 "this mistake; %s\n",
		                 sub,
		                 shown ? "exactly at the shown sizes"
		                       : "on the checked numbers at the sizes",
		                 shown ? "the checked numbers show it"
		                       : "the shown sizes show it exactly");
	} else if (c->size_too_small) {
		dv_strbuf_printf(b,
		                 "%swarning: true at the sizes --size set%s: they cannot "
		                 "show this mistake (at the lesson's own sizes it fails)\n",
		                 sub,
		                 c->draws > 0 ? ", at every one of the further draws"
		                              : ", exactly");
	} else if (!nested && !c->disagree &&
	           lesson_verdict_holds(&c->numeric) == c->expect_holds)
		; /* came out as the lesson says; the instead line may not have */
	else if (!nested && !c->disagree && c->inconclusive)
		/* past the work budget, or numbers that cannot say: never "fails" */
		dv_strbuf_printf(b, "%sexpected to %s, but it could not be decided here\n",
		                 sub, c->expect_holds ? "hold" : "fail");
	else if (!nested && !c->disagree)
		dv_strbuf_printf(b, "%sexpected to %s, but it %s\n", sub,
		                 c->expect_holds ? "hold" : "fail",
		                 c->expect_holds ? "fails" : "holds");
	if (c->instead != NULL) {
		put_check(b, c->instead, r, o, sub, 1);
		if (!c->instead->passed)
			dv_strbuf_printf(
			        b, "%s    the corrected form must hold, and does not\n",
			        sub);
	}
}

/* "the shown numbers:" and the declared matrices' numbers, side by side. */

/* s as one word of a shell command: as it is when that is safe, else
 * in single quotes. */
static void put_shell_word(dv_strbuf *b, const char *s)
{
	int plain = *s != '\0';
	for (const char *p = s; *p != '\0' && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		               "0123456789-_./,+:@%",
		               *p) != NULL;
	if (plain) {
		dv_strbuf_puts_printable(b, s);
		return;
	}
	dv_strbuf_puts(b, "'");
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\'')
			dv_strbuf_puts(b, "'\\''");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			dv_strbuf_puts(b, "?");
		else
			dv_strbuf_putn(b, p, 1);
	}
	dv_strbuf_puts(b, "'");
}

static void put_item(dv_strbuf *b, const lesson_item *it, const lesson_result *r,
                     const dv_text_opts *o, int *inputs_shown)
{
	const lesson_action *a = it->action;
	sym_style style = o->unicode ? SYM_UNICODE : SYM_ASCII;
	char label[128];

	switch (a->kind) {
	case LESSON_ZH:
		if (o->tutor && !o->unicode) {
			/* a terminal that is not UTF-8 cannot show it: say so, and
			 * the English line that follows is the same sentence */
			dv_strbuf_puts(b, "  (Chinese text: run in a UTF-8 locale to see it)\n");
			break;
		}
		/* fall through */
	case LESSON_TEXT:
		dv_strbuf_puts(b, "  ");
		dv_put_text(b, lesson_item_text(it), o->unicode);
		dv_strbuf_puts(b, "\n");
		break;
	case LESSON_EN:
		dv_strbuf_puts(b, "  (");
		dv_put_text(b, a->text, o->unicode);
		dv_strbuf_puts(b, ")\n");
		break;
	case LESSON_FORMULA:
		dv_strbuf_puts(b, "\n      ");
		dv_put_math(b, a->text, o->unicode);
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
			if (!*inputs_shown) {
				put_shown_inputs(b, r);
				*inputs_shown = 1;
			}
			dv_strbuf_puts(b, "    ");
			sym_name_print(b, label, o->unicode ? SYM_UNICODE : SYM_ASCII);
			dv_strbuf_puts(b, " with the shown numbers:\n");
			dv_put_numbers(b, it->numbers, "      ");
		}
		break;
	}
	case LESSON_CLAIM:
	case LESSON_REFUTE:
	case LESSON_GRADCHECK:
		dv_strbuf_puts(b, "\n");
		put_check(b, it->check, r, o, "  ", 0);
		break;
	case LESSON_EXERCISE: {
		int state;
		if (o->tutor && a->ex_kind == EXERCISE_MISTAKE)
			/* a drill's id names its mistake */
			dv_strbuf_printf(b, "\n  %s drill: ", o->unicode ? "✎" : "?");
		else
			dv_strbuf_printf(b, "\n  %s exercise %s: ", o->unicode ? "✎" : "?",
			                 a->ex_id);
		dv_put_text(b, a->ask, o->unicode);
		dv_strbuf_puts(b, "\n");
		for (size_t i = 0; i < a->nlines; i++) {
			dv_strbuf_printf(b, "      %zu. ", i + 1);
			dv_put_text(b, a->lines[i].lhs_text, o->unicode);
			dv_strbuf_puts(b, " == ");
			dv_put_text(b, a->lines[i].rhs_text, o->unicode);
			dv_strbuf_puts(b, "\n");
		}
		state = o->tutor && o->exercise_state != NULL
		                ? o->exercise_state(o->state_ctx, r->lesson->name, a->ex_id)
		                : 0;
		if (state == 1)
			dv_strbuf_printf(b, "      %s solved (a: answer it again)\n",
			                 o->unicode ? "✓" : "ok");
		else if (state == 2)
			dv_strbuf_puts(b, "      given up (a: try it again)\n");
		else if (o->tutor)
			dv_strbuf_puts(b, "      (a: answer it here)\n");
		else if (o->lesson_file != NULL) {
			dv_strbuf_puts(b, "      (answer it with verify exercise --lesson-file ");
			put_shell_word(b, o->lesson_file);
			dv_strbuf_puts(b, ")\n");
		} else
			dv_strbuf_printf(b, "      (answer it with verify exercise %s)\n",
			                 r->lesson->name);
		if (it->check != NULL) {
			/* a mistake of the catalogue, checked as a refute */
			dv_strbuf_puts(b, "\n");
			put_check(b, it->check, r, o, "  ", 0);
		}
		break;
	}
	}
}

int dv_step_keeps_answer(const lesson_result *r, size_t step, const dv_text_opts *o)
{
	const lesson_step_result *sr = &r->steps[step];
	if (!o->tutor || o->exercise_state == NULL)
		return 0;
	for (size_t j = 0; j < sr->nitems; j++) {
		const lesson_action *a = sr->items[j].action;
		if (a->kind == LESSON_EXERCISE && a->ex_kind == EXERCISE_MISTAKE &&
		    o->exercise_state(o->state_ctx, r->lesson->name, a->ex_id) == 0)
			return 1;
	}
	return 0;
}

void dv_put_step(dv_strbuf *b, const lesson_result *r, size_t step, const dv_text_opts *o)
{
	const lesson_step_result *sr = &r->steps[step];
	int inputs_shown = 0, keep = dv_step_keeps_answer(r, step, o);
	for (size_t j = 0; j < sr->nitems; j++) {
		const lesson_item *it = &sr->items[j];
		/* a drill not yet answered shows its question only: its prose
		 * and its check (the repair) come after an answer or giveup */
		if (keep && it->action->kind != LESSON_EXERCISE)
			continue;
		if (keep) {
			lesson_item question = *it;
			question.check = NULL;
			put_item(b, &question, r, o, &inputs_shown);
			continue;
		}
		put_item(b, it, r, o, &inputs_shown);
	}
}

/* ---- answers to exercises ---- */

static void put_poly(dv_strbuf *b, const sym_poly *p, const lesson_result *r, int unicode)
{
	sym_print_opts o = {unicode ? SYM_UNICODE : SYM_ASCII, NULL, NULL};
	sym_poly_print(b, p, lesson_result_symbols(r), &o);
}

/* "at (1,2) your answer gives Y where X is needed", from an identity check. */
static void put_identity(dv_strbuf *b, const lesson_check *c, int unicode)
{
	const lesson_verdict *v =
	        c->exact.value.kind == DV_V_CHECK && !c->exact.value.check.holds
	                ? &c->exact
	                : &c->numeric;
	const dv_check *k = &v->value.check;
	sym_style style = unicode ? SYM_UNICODE : SYM_ASCII;

	if (v->unevaluable) {
		dv_strbuf_printf(b, "it cannot be evaluated at the lesson's sizes (%s)",
		                 v->unavailable);
	} else if (v->value.kind != DV_V_CHECK) {
		dv_strbuf_puts(b, "it does not hold");
	} else if (k->shape_differs) {
		dv_strbuf_printf(b, "your answer is %zux%zu where %zux%zu is needed",
		                 v->value.mat2->rows, v->value.mat2->cols,
		                 v->value.mat->rows, v->value.mat->cols);
	} else {
		size_t i = (k->row - 1) * v->value.mat->cols + k->col - 1;
		dv_strbuf_printf(b, "at (%zu,%zu) your answer gives ", k->row, k->col);
		dv_put_entry(b, v->value.mat2, i, style, NULL);
		dv_strbuf_puts(b, " where ");
		dv_put_entry(b, v->value.mat, i, style, NULL);
		dv_strbuf_puts(b, " is needed");
		if (!k->exact)
			dv_strbuf_puts(b, " (on the lesson's random numbers)");
	}
}

/* The verdict on an answer, after `no` or `yes` (the marks, "" for none),
 * up to its end (without a newline). */
static void put_answer(dv_strbuf *b, const lesson_answer *a, const lesson_result *r,
                       int unicode, const char *no, const char *yes)
{
	if (a->problem.code != DV_OK && a->refused) {
		dv_strbuf_printf(b, "%snot an answer: ", no);
		dv_strbuf_puts_printable(b, a->problem.message);
		return;
	}
	if (a->problem.code != DV_OK) {
		dv_strbuf_printf(b, "%sthe answer cannot be %s: ", no,
		                 a->undecided ? "decided" : "read");
		dv_strbuf_puts_printable(b, a->problem.message);
		if (a->problem.column > 0 && !a->undecided)
			dv_strbuf_printf(b, " (at character %d)", a->problem.column);
		return;
	}
	if (a->correct) {
		dv_strbuf_printf(b, "%sright", yes);
		if (a->named != NULL) {
			dv_strbuf_puts(b, ": ");
			dv_put_text(b, a->named->names[0], unicode);
			if (a->check != NULL)
				dv_strbuf_puts(b, " (its repair fixes this line too)");
		}
		return;
	}
	dv_strbuf_printf(b, "%snot yet: ", no);
	if (a->named != NULL) {
		dv_strbuf_puts(b, "that is ");
		dv_put_text(b, a->named->names[0], unicode);
		dv_strbuf_puts(b, ", and its repair does not fix this line");
		return;
	}
	if (a->missing != NULL || a->extra != NULL) {
		if (sym_poly_len(a->missing) > 0) {
			dv_strbuf_puts(b, "missing ");
			put_poly(b, a->missing, r, unicode);
		}
		if (sym_poly_len(a->extra) > 0) {
			dv_strbuf_puts(b, sym_poly_len(a->missing) > 0 ? "; extra "
			                                               : "extra ");
			put_poly(b, a->extra, r, unicode);
		}
	} else if (a->shape_differs) {
		dv_strbuf_printf(b,
		                 "the answer is %zux%zu; the exercise asks for %zux%zu",
		                 a->rows, a->cols, a->want_rows, a->want_cols);
	} else if (a->nwrong > 0) {
		dv_strbuf_printf(b, "%zu entr%s wrong:", a->nwrong,
		                 a->nwrong == 1 ? "y is" : "ies are");
		for (size_t i = 0; i < a->nwrong && i < LESSON_MAX_WRONG; i++)
			dv_strbuf_printf(b, "%s (%zu,%zu)", i ? "," : "", a->wrong_row[i],
			                 a->wrong_col[i]);
	} else if (a->line_given != 0 && a->line_given != a->line_wrong) {
		dv_strbuf_printf(
		        b, "line %zu holds as it stands; look for the line that does not",
		        a->line_given);
	} else if (a->check != NULL) {
		if (a->line_given != 0)
			dv_strbuf_printf(b, "line %zu is the wrong one, but ",
			                 a->line_given);
		put_identity(b, a->check, unicode);
	} else {
		dv_strbuf_puts(b, "it does not hold");
	}
}

void dv_put_answer(dv_strbuf *b, const lesson_answer *a, const lesson_result *r,
                   int unicode)
{
	put_answer(b, a, r, unicode, unicode ? "✗ " : "FAIL ", unicode ? "✓ " : "ok ");
	dv_strbuf_puts(b, "\n");
}

void dv_put_answer_reason(dv_strbuf *b, const lesson_answer *a, const lesson_result *r)
{
	put_answer(b, a, r, 1, "", "");
}



int dv_put_solution(dv_strbuf *b, lesson_result *r, const lesson_action *ex, int unicode)
{
	dv_mat *held = NULL;
	dv_diag d;
	size_t line = 0;

	dv_diag_clear(&d);
	switch (ex->ex_kind) {
	case EXERCISE_ENTRY:
	case EXERCISE_NUMBERS:
		if (lesson_exercise_expected(&held, r, ex, &d) != DV_OK)
			return -1;
		if (ex->ex_kind == EXERCISE_ENTRY) {
			dv_strbuf_puts(b, "the answer: ");
			dv_put_entry(b, held,
			             (ex->ex_row - 1) * held->cols + ex->ex_col - 1,
			             unicode ? SYM_UNICODE : SYM_ASCII, NULL);
			dv_strbuf_puts(b, "\n");
		} else {
			dv_strbuf_puts(b, "the answer:\n");
			dv_put_numbers(b, held, "  ");
		}
		dv_mat_free(held);
		return 0;
	case EXERCISE_FORM:
		dv_strbuf_printf(b, "one answer: %s\n",
		                 ex->fix_text != NULL ? ex->fix_text : ex->target_text);
		return 0;
	case EXERCISE_DIAGNOSE:
		if (lesson_exercise_wrong_line(&line, r, ex, &d) != DV_OK || line == 0)
			return -1;
		dv_strbuf_printf(
		        b, "the answer: %zu: %s (line %zu should read %s == %s)\n", line,
		        ex->fix_text, line, ex->lines[line - 1].lhs_text, ex->fix_text);
		return 0;
	case EXERCISE_MISTAKE:
		dv_strbuf_puts(b, "the mistake: ");
		dv_put_text(b, ex->names[0], unicode);
		dv_strbuf_printf(b, "; the step should read %s == %s\n",
		                 ex->lines[0].lhs_text, ex->fix_text);
		return 0;
	}
	return -1;
}

/* ---- an entry with the shown numbers in place of its symbols ---- */

/* The shown number of a lesson's symbol (x₂₃: X's entry (2,3)). */
static int shown_value(const void *ctx, const sym_atom *a, double *v)
{
	const lesson_result *r = ctx;
	const lesson *l = r->lesson;

	for (size_t i = 0; i < l->nvars; i++) {
		const lesson_var *var = &l->vars[i];
		const dv_mat *m;
		size_t at;
		if (var->sym == NULL || strcmp(var->sym, a->name) != 0)
			continue;
		m = dv_env_lookup(r->shown, var->name);
		if (m == NULL || !dv_mat_is_double(m))
			return 0;
		if (a->kind == SYM_SCALAR) {
			if (!dv_mat_is_scalar(m))
				return 0;
			at = 0;
		} else {
			if (a->row < 1 || a->col < 1 || a->row > m->rows || a->col > m->cols)
				return 0;
			at = (a->row - 1) * m->cols + a->col - 1;
		}
		*v = dv_mat_get(m, at);
		return 1;
	}
	return 0;
}

void dv_put_with_numbers(dv_strbuf *b, const lesson_result *r, const dv_mat *sym, size_t i,
                         int unicode)
{
	sym_print_opts o = {unicode ? SYM_UNICODE : SYM_ASCII, NULL, NULL};
	sym_values vals = {shown_value, r};
	sym_poly_print_values(b, *(sym_poly *const *)dv_mat_at(sym, i),
	                      lesson_result_symbols(r), &o, &vals);
}
