/*
 * libFuzzer harness of lesson files: parsed, and when they parse, run
 * (every table, number and check) and rendered as text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/budget.h"
#include "lesson/lesson.h"
#include "lesson/run.h"
#include "render/lesson_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	lesson *l = NULL;
	lesson_errors errs;
	dv_budget outer;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	gsl_set_error_handler_off();
	/* a path without .lesson: the file-name rule would refuse every input */
	/* the whole lesson within a tenth of an item's work: a lesson past it
	 * (tests/lessons/too-large.lesson is a seed) ends "too large" in a
	 * second under ASan, not in a timeout */
	dv_budget_start(&outer, DV_BUDGET_ITEM / 10);
	if (lesson_parse(&l, "fuzz-input", text, &errs) == DV_OK) {
		lesson_opts o = {1, NULL, 0, 0, NULL};
		lesson_result *r = NULL;
		dv_diag d;
		dv_diag_clear(&d);
		if (lesson_run(&r, l, &o, &d) == DV_OK) {
			dv_text_opts to = {0, 1, 1, 0, NULL, NULL, NULL};
			dv_strbuf b;
			dv_strbuf_init(&b);
			for (size_t i = 0; i < r->nsteps; i++)
				dv_put_step(&b, r, i, &to);
			dv_strbuf_free(&b);
			lesson_result_free(r);
		}
		lesson_free(l);
	}
	dv_budget_stop(&outer);
	free(text);
	return 0;
}
