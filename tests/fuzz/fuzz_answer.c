/*
 * libFuzzer harness of answers: the input, line by line, answers every
 * exercise of the pooling-delta lesson (entry, numbers, form, diagnose) and
 * of the maps lesson (entries of several maps, (x₂)₁₁), and every verdict
 * is rendered.  Marking must never stop on an answer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/budget.h"
#include "lesson/exercise.h"
#include "lesson/lesson.h"
#include "lesson/run.h"
#include "render/lesson_text.h"

#ifndef FUZZ_LESSON
#define FUZZ_LESSON "lessons/pooling-delta.lesson"
#endif
#ifndef FUZZ_MAPS_LESSON
#define FUZZ_MAPS_LESSON "lessons/maps.lesson"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct marked {
	lesson *lesson;
	lesson_result *result;
	const lesson_action **ex;
	size_t nex;
} lessons[2];

static int setup(void)
{
	static const char *const paths[] = {FUZZ_LESSON, FUZZ_MAPS_LESSON};
	lesson_opts o = {1, NULL, 0, 1, NULL};
	gsl_set_error_handler_off();
	for (size_t i = 0; i < 2; i++) {
		lesson_errors errs;
		dv_diag d;
		dv_diag_clear(&d);
		if (lesson_load(&lessons[i].lesson, paths[i], &errs) != DV_OK ||
		    lesson_run(&lessons[i].result, lessons[i].lesson, &o, &d) != DV_OK ||
		    lesson_exercises(&lessons[i].ex, &lessons[i].nex, lessons[i].lesson, &d) !=
		            DV_OK)
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	static int ready;
	dv_budget outer;

	if (!ready)
		ready = setup() == 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* every answer of the input within one budget, a tenth of an item's: a
	 * costly answer ends "too large" in a second under ASan, not in a
	 * timeout (the budget is what is fuzzed, not the machine's speed) */
	dv_budget_start(&outer, DV_BUDGET_ITEM / 10);
	for (char *line = text, *nl; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		for (size_t i = 0; i < 2; i++)
			for (size_t k = 0; k < lessons[i].nex; k++) {
				lesson_answer a;
				dv_diag d;
				dv_strbuf b;
				dv_diag_clear(&d);
				if (lesson_answer_check(&a, lessons[i].result, lessons[i].ex[k], line,
				                        &d) != DV_OK) {
					if (d.code != DV_E_NOMEM)
						abort(); /* an answer must never stop the marking */
					continue;
				}
				dv_strbuf_init(&b);
				dv_put_answer(&b, &a, lessons[i].result, 1);
				dv_strbuf_free(&b);
				lesson_answer_clear(&a);
			}
	}
	dv_budget_stop(&outer);
	free(text);
	return 0;
}
