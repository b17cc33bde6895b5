/*
 * libFuzzer harness of the limits: the input is a recipe, not a lesson.
 * Its bytes choose a lesson that declares many large matrices (up to eight,
 * up to 64x64, shown and checked) and steps of tables, numbers, claims,
 * refutes, gradient checks and prose numbers over nested convolutions,
 * poolings, Kronecker products and gradients; the lesson is written out,
 * read, run and rendered within a work budget (core/budget.h).  What it
 * looks for is what a small file can make verify do: every limit must end
 * an item with a message, never with a crash, a leak, a hang or a gigabyte.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/budget.h"
#include "core/strbuf.h"
#include "lesson/lesson.h"
#include "lesson/run.h"
#include "render/lesson_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct recipe {
	const uint8_t *p, *end;
	size_t nmat;
} recipe;

/* The next byte of the recipe (0 once it is used up). */
static unsigned next(recipe *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

static void put_expr(dv_strbuf *b, recipe *r, int depth)
{
	unsigned k = next(r);
	size_t m = k % (r->nmat ? r->nmat : 1);
	if (depth <= 0 || k < 64) {
		dv_strbuf_printf(b, "M%zu", m);
		return;
	}
	switch (k % 14) {
	case 0:
	case 1: {
		static const char *const mode[] = {"", ", 'full'", ", 'same'", ", 'stride', 2"};
		dv_strbuf_puts(b, k % 2 ? "xcorr(" : "conv(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ", ");
		put_expr(b, r, depth - 1);
		dv_strbuf_printf(b, "%s)", mode[next(r) % 4]);
		break;
	}
	case 2:
		dv_strbuf_puts(b, "rot180(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	case 3:
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, "'");
		break;
	case 4:
	case 5:
		dv_strbuf_puts(b, "(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, k % 2 ? " .* " : " + ");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	case 6:
		dv_strbuf_puts(b, "sum(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	case 7:
		dv_strbuf_printf(b, "%s(", next(r) % 2 ? "up" : "down");
		put_expr(b, r, depth - 1);
		dv_strbuf_printf(b, ", %u)", 1 + next(r) % 3);
		break;
	case 8:
		dv_strbuf_puts(b, "kron(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ", ");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	case 9:
		dv_strbuf_puts(b, "grad(sum(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, " .* ");
		put_expr(b, r, depth - 1);
		dv_strbuf_printf(b, "), M%zu)", m);
		break;
	case 10:
		dv_strbuf_puts(b, "pad(");
		put_expr(b, r, depth - 1);
		dv_strbuf_printf(b, ", %u, %u)", next(r) % 4, next(r) % 4);
		break;
	case 11:
		dv_strbuf_puts(b, next(r) % 2 ? "f(" : "sigmoid(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	case 12:
		dv_strbuf_puts(b, "(");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, " * ");
		put_expr(b, r, depth - 1);
		dv_strbuf_puts(b, ")");
		break;
	default:
		dv_strbuf_puts(b, "dilate(");
		put_expr(b, r, depth - 1);
		dv_strbuf_printf(b, ", %u)", 1 + next(r) % 3);
		break;
	}
}

/* The lesson the recipe chooses, as a lesson file. */
static char *write_lesson(recipe *r)
{
	dv_strbuf b;
	char *text = NULL;
	size_t nsteps;

	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "lesson limits\ntitle limits\n");
	r->nmat = 1 + next(r) % 8;
	for (size_t i = 0; i < r->nmat; i++) {
		unsigned rows = 1 + next(r) % 64, cols = 1 + next(r) % 64;
		unsigned crows = 1 + next(r) % 64, ccols = 1 + next(r) % 64;
		dv_strbuf_printf(&b, "matrix M%zu = %c %ux%u checked %ux%u\n", i, 'a' + (int)i, rows,
		                 cols, crows, ccols);
	}
	nsteps = 1 + next(r) % 3;
	for (size_t s = 0; s < nsteps; s++) {
		size_t nitems = 1 + next(r) % 4;
		dv_strbuf_printf(&b, "step %zu\n", s + 1);
		for (size_t i = 0; i < nitems; i++) {
			unsigned kind = next(r) % 6, depth = next(r) % 5;
			switch (kind) {
			case 0:
			case 1:
				dv_strbuf_printf(&b, "%s t%zu%zu = ", kind ? "numbers" : "show", s, i);
				put_expr(&b, r, (int)depth);
				break;
			case 2:
			case 3:
				dv_strbuf_puts(&b, kind == 2 ? "claim " : "refute ");
				put_expr(&b, r, (int)depth);
				dv_strbuf_puts(&b, " == ");
				put_expr(&b, r, (int)depth);
				if (kind == 3)
					dv_strbuf_puts(&b, "\nwhy a guess");
				break;
			case 4:
				dv_strbuf_puts(&b, "gradcheck grad(sum(");
				put_expr(&b, r, (int)depth);
				dv_strbuf_printf(&b, "), M%u) == ", next(r) % (unsigned)r->nmat);
				put_expr(&b, r, (int)depth);
				break;
			default:
				dv_strbuf_puts(&b, "text {{sum(");
				put_expr(&b, r, (int)depth);
				dv_strbuf_puts(&b, ") in words}} of them");
				break;
			}
			dv_strbuf_puts(&b, "\n");
		}
	}
	if (dv_strbuf_finish(&b, &text, NULL) != DV_OK)
		return NULL;
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	recipe rc = {data, data + size, 0};
	char *text = write_lesson(&rc);
	lesson *l = NULL;
	lesson_errors errs;
	dv_budget outer;

	if (text == NULL)
		return 0;
	if (getenv("FUZZ_LIMITS_PRINT") != NULL)
		fputs(text, stderr); /* the lesson an input makes, to read it */
	gsl_set_error_handler_off();
	/* the whole lesson as one small item: what is past it ends "too
	 * large", the path this harness is for */
	dv_budget_start(&outer, 2e6);
	if (lesson_parse(&l, "limits", text, &errs) == DV_OK) {
		lesson_opts o = {1, NULL, 0, 0, &errs};
		lesson_result *res = NULL;
		dv_diag d;
		dv_diag_clear(&d);
		errs.n = 0;
		if (lesson_run(&res, l, &o, &d) == DV_OK) {
			dv_text_opts to = {0, 1, 1, 0, NULL, NULL, NULL};
			dv_strbuf b;
			dv_strbuf_init(&b);
			for (size_t i = 0; i < res->nsteps; i++)
				dv_put_step(&b, res, i, &to);
			dv_strbuf_free(&b);
			lesson_result_free(res);
		} else if (d.message[0] == '\0') {
			abort(); /* an error must say what it is */
		}
		lesson_free(l);
	}
	dv_budget_stop(&outer);
	free(text);
	return 0;
}
