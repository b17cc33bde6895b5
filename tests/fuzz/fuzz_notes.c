/*
 * libFuzzer harness of `verify notes`: Markdown with LaTeX, read (md4c and
 * the LaTeX reader), every formula decided under the built-in context, and
 * the LaTeX reader alone on the whole input.  An error must say what it is.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "notes/notes.h"
#include "tex/tex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	notes_report *r = NULL;
	notes_opts o = {0};
	tex_block *b = NULL;
	dv_diag d;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	gsl_set_error_handler_off();
	o.seed = 1;
	dv_diag_clear(&d);
	if (notes_check(&r, "fuzz-input.md", text, size, &o, &d) == DV_OK)
		notes_report_free(r);
	else if (d.message[0] == '\0')
		abort();
	dv_diag_clear(&d);
	if (tex_read(&b, text, size, 1, 1, &d) == DV_OK)
		tex_block_free(b);
	free(text);
	return 0;
}
