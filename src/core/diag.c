#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *dv_error_text(int code)
{
	switch (code) {
#define DV_ERROR_TEXT(name, value, text)                                                 \
	case value:                                                                      \
		return text;
		DV_ERRORS(DV_ERROR_TEXT)
#undef DV_ERROR_TEXT
	}
	return "unknown error";
}

void dv_diag_clear(dv_diag *d)
{
	if (d == NULL)
		return;
	d->code = DV_OK;
	d->line = 0;
	d->column = 0;
	d->message[0] = '\0';
	d->name[0] = '\0';
}

/* fmt is each caller's own literal, checked at the caller (format 3, 0) */
__attribute__((format(printf, 3, 0))) static void diag_vset(dv_diag *d, int code,
                                                            const char *fmt, va_list ap)
{
	/* a new error has no position until someone locates it */
	d->line = 0;
	d->column = 0;
	d->code = code;
	d->name[0] = '\0';
	vsnprintf(d->message, sizeof d->message, fmt, ap);
}

int dv_fail(dv_diag *d, int code, const char *fmt, ...)
{
	if (d != NULL) {
		va_list ap;
		va_start(ap, fmt);
		diag_vset(d, code, fmt, ap);
		va_end(ap);
	}
	return code;
}

int dv_fail_at(dv_diag *d, int code, int line, int column, const char *fmt, ...)
{
	if (d != NULL) {
		va_list ap;
		va_start(ap, fmt);
		diag_vset(d, code, fmt, ap);
		va_end(ap);
		d->line = line;
		d->column = column;
	}
	return code;
}

void dv_diag_name(dv_diag *d, const char *name)
{
	if (d != NULL)
		snprintf(d->name, sizeof d->name, "%s", name);
}

void dv_diag_locate(dv_diag *d, int line, int column)
{
	if (d != NULL && d->line == 0) {
		d->line = line;
		d->column = column;
	}
}

void dv_diag_prefix(dv_diag *d, const char *prefix)
{
	size_t plen, mlen;

	if (d == NULL)
		return;
	plen = strlen(prefix);
	if (plen >= sizeof d->message)
		plen = sizeof d->message - 1;
	mlen = strlen(d->message);
	if (plen + mlen >= sizeof d->message)
		mlen = sizeof d->message - 1 - plen;
	memmove(d->message + plen, d->message, mlen);
	memcpy(d->message, prefix, plen);
	d->message[plen + mlen] = '\0';
}
