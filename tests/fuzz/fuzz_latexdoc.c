/*
 * libFuzzer harness of the LaTeX document reader (notes/latexdoc.h): any
 * bytes as a .tex file, its comments blanked and its macros (\newcommand,
 * \def, with arguments) expanded within the growth and depth limits, then
 * its math found (environments, \[ \], \( \), $ $).  A document past a
 * limit is one error that says so.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notes/latexdoc.h"
#include "notes/notes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *prepared = NULL;
	size_t len = 0;
	dv_diag d;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dv_diag_clear(&d);
	(void)notes_is_latex("fuzz.txt", text, size);
	if (notes_latex_prepare(&prepared, &len, text, size, &d) == DV_OK) {
		notes_source src;
		if (notes_latex_extract(&src, prepared, len, &d) == DV_OK)
			notes_source_clear(&src);
		free(prepared);
	} else if (d.message[0] == '\0') {
		abort();
	}
	free(text);
	return 0;
}
