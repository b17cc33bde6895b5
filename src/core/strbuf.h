/*
 * strbuf: a growing string for printers.  A failed allocation is remembered
 * and reported once, at the end, by dv_strbuf_finish.
 */
#ifndef DV_STRBUF_H
#define DV_STRBUF_H

#include <stddef.h>

#include "core/diag.h"

typedef struct dv_strbuf {
	char *s;
	size_t len, cap;
	int failed;
} dv_strbuf;

void dv_strbuf_init(dv_strbuf *b);
void dv_strbuf_puts(dv_strbuf *b, const char *s);
void dv_strbuf_putn(dv_strbuf *b, const char *s, size_t n);
/* s with every control character (an escape, a newline) shown as '?':
 * for text that came from a user's file or answer. */
void dv_strbuf_puts_printable(dv_strbuf *b, const char *s);
void dv_strbuf_printf(dv_strbuf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* One replacement of dv_strbuf_put_mapped: the bytes `from` become `to`. */
typedef struct dv_strmap {
	const char *from, *to;
} dv_strmap;
/* s with each occurrence of a map entry's `from` (the first entry that
 * matches, left to right) replaced by its `to`. */
void dv_strbuf_put_mapped(dv_strbuf *b, const char *s, const dv_strmap *map, size_t n);
/* Edit distance of two short strings (99 past 32 bytes): "did you mean". */
size_t dv_edit_distance(const char *a, const char *b);

/* Hands the string to *out (the caller frees it), or fails with DV_E_NOMEM. */
int dv_strbuf_finish(dv_strbuf *b, char **out, dv_diag *d);
void dv_strbuf_free(dv_strbuf *b);

#endif
