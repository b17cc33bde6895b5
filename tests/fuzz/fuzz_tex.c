/*
 * libFuzzer harness of the LaTeX formula reader alone (tex/tex.h): any
 * text, read as the math of a formula block, chains and sides and all.  A
 * formula it cannot read must say where and why.  The same text shown in
 * Unicode (tex_to_unicode) must give text, whatever it holds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tex/tex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tex_block *b = NULL;
	dv_diag d;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* as the notes reader hands it a span */
	dv_diag_clear(&d);
	if (tex_read(&b, text, size, 1, 1, &d) == DV_OK) {
		for (size_t i = 0; i < b->nchains; i++)
			if (b->chains[i].problem.code != DV_OK &&
			    b->chains[i].problem.message[0] == '\0')
				abort(); /* a chain it could not read says why */
		tex_block_free(b);
	} else if (d.message[0] == '\0') {
		abort();
	}
	{
		dv_strbuf u;
		dv_strbuf_init(&u);
		tex_to_unicode(&u, text);
		if (!u.failed && u.s != NULL && strlen(u.s) != u.len)
			abort(); /* a NUL written into the text */
		dv_strbuf_free(&u);
	}
	free(text);
	return 0;
}
