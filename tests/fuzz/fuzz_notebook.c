/*
 * libFuzzer harness of the notebook reader (notes/notebook.h): any bytes as
 * a .ipynb file, read as JSON into its Markdown cells and the places of
 * their lines, then those cells' math found as `verify notes` finds it.
 * What is not a notebook is one error that says so.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notes/notebook.h"
#include "notes/notes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	notes_notebook nb;
	dv_diag d;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dv_diag_clear(&d);
	if (notes_notebook_read(&nb, "fuzz.ipynb", text, size, &d) == DV_OK) {
		notes_source src;
		if (nb.is_notebook && notes_extract(&src, nb.markdown, nb.len, &d) == DV_OK)
			notes_source_clear(&src);
		notes_notebook_clear(&nb);
	} else if (d.message[0] == '\0') {
		abort();
	}
	free(text);
	return 0;
}
