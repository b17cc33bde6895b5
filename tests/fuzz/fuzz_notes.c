/*
 * libFuzzer harness of `verify notes`: Markdown with LaTeX, notebooks and
 * LaTeX documents, read (md4c, cJSON, the document and the formula readers),
 * every formula decided under a small context, each step within the work
 * budget (core/budget.h).  An error must say what it is.  The formula
 * reader alone, on any text, is fuzz_tex's.
 *
 * The reader is chosen as verify chooses it, by content and by name: an
 * input that starts with '{' is named .ipynb, one that starts with '%' or
 * '\\' is named .tex, any other .md, so that the notebook and document
 * readers also meet what is not of their format.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/budget.h"
#include "notes/notes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	notes_report *r = NULL;
	notes_opts o = {0};
	dv_budget outer;
	dv_diag d;
	const char *name = size > 0 && data[0] == '{'                       ? "fuzz-input.ipynb"
	                   : size > 0 && (data[0] == '%' || data[0] == '\\') ? "fuzz-input.tex"
	                                                                   : "fuzz-input.md";

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	gsl_set_error_handler_off();
	o.seed = 1;
	/*
	 * A small context of its own, two scenes at small sizes (the built-in
	 * one runs five lessons' worth for every input): the reader and the
	 * decisions are what is fuzzed, at a thousand inputs a second.  A
	 * ```verify block in the input still adds its own.
	 */
	o.context = "matrix X = x 3x3\n"
	            "matrix K = k 2x2\n"
	            "matrix D = d like conv(X, K)\n"
	            "define E = sum(D .* conv(X, K))\n"
	            "scene a pooling layer\n"
	            "matrix N = n 4x4\n"
	            "matrix P = p like down(N, 2)\n"
	            "scalar beta\n";
	o.context_path = "fuzz-context";
	dv_diag_clear(&d);
	/* the whole input as one small item: what is past it ends "too large",
	 * which is itself a path worth fuzzing */
	dv_budget_start(&outer, 2e5);
	if (notes_check(&r, name, text, size, &o, &d) == DV_OK)
		notes_report_free(r);
	else if (d.message[0] == '\0')
		abort();
	dv_budget_stop(&outer);
	free(text);
	return 0;
}
