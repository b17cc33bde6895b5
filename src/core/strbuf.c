#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dv_strbuf_init(dv_strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

static int grow(dv_strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *s;
	if (b->failed)
		return -1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	s = realloc(b->s, cap);
	if (s == NULL) {
		b->failed = 1;
		return -1;
	}
	b->s = s;
	b->cap = cap;
	return 0;
}

void dv_strbuf_putn(dv_strbuf *b, const char *s, size_t n)
{
	if (grow(b, n) != 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void dv_strbuf_puts_printable(dv_strbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char one = c < 0x20 || c == 0x7f ? '?' : (char)c;
		dv_strbuf_putn(b, &one, 1);
	}
}

void dv_strbuf_puts(dv_strbuf *b, const char *s)
{
	dv_strbuf_putn(b, s, strlen(s));
}

void dv_strbuf_printf(dv_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	/* formatted once into the room there is; again only when it was short */
	if (b->failed || grow(b, 63) != 0)
		return;
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n >= room) {
		if (grow(b, (size_t)n) != 0)
			return;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

int dv_strbuf_finish(dv_strbuf *b, char **out, dv_diag *d)
{
	*out = NULL;
	if (!b->failed && b->s == NULL)
		dv_strbuf_putn(b, "", 0);
	if (b->failed) {
		dv_strbuf_free(b);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	*out = b->s;
	dv_strbuf_init(b);
	return DV_OK;
}

void dv_strbuf_free(dv_strbuf *b)
{
	free(b->s);
	dv_strbuf_init(b);
}

size_t dv_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[33];
	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void dv_strbuf_put_mapped(dv_strbuf *b, const char *s, const dv_strmap *map, size_t n)
{
	while (*s != '\0') {
		size_t k;
		for (k = 0; k < n; k++) {
			size_t len = strlen(map[k].from);
			if (len > 0 && strncmp(s, map[k].from, len) == 0) {
				dv_strbuf_puts(b, map[k].to);
				s += len;
				break;
			}
		}
		if (k == n)
			dv_strbuf_putn(b, s++, 1);
	}
}
