/*
 * diag: error codes and the diagnostics record every fallible function of
 * verify fills in.  The caller owns the record; nothing here is global.
 */
#ifndef DV_DIAG_H
#define DV_DIAG_H

#include <stddef.h>

/* Codes and their one-line meanings, kept in one list so they cannot drift. */
#define DV_ERRORS(X)                                                                     \
	X(DV_OK, 0, "no error")                                                          \
	X(DV_E_NOMEM, -1, "out of memory")                                               \
	X(DV_E_SYNTAX, -2, "syntax error")                                               \
	X(DV_E_NAME, -3, "unknown name")                                                 \
	X(DV_E_ARGS, -4, "wrong arguments")                                              \
	X(DV_E_SHAPE, -5, "sizes do not fit")                                            \
	X(DV_E_LIMIT, -6, "too large")                                                   \
	X(DV_E_DOMAIN, -7, "value out of range")                                         \
	X(DV_E_SYMBOLIC, -8, "no exact symbolic form")                                   \
	X(DV_E_NUMERIC, -9, "numerical failure")                                         \
	X(DV_E_IO, -10, "input/output error")                                            \
	X(DV_E_USAGE, -11, "usage error")

enum dv_error {
#define DV_ERROR_ENUM(name, value, text) name = value,
	DV_ERRORS(DV_ERROR_ENUM)
#undef DV_ERROR_ENUM
};

/* Longest message kept; longer ones are cut, never overflowed. */
#define DV_DIAG_MSG 512

typedef struct dv_diag {
	int code;         /* a DV_E_* value, DV_OK when nothing failed */
	int line, column; /* 1-based position in the source, 0 if none */
	char message[DV_DIAG_MSG];
	/* the name an "unknown name" error of the evaluator is about (d11),
	 * so that callers can add to the message without reading it back;
	 * empty for every other error */
	char name[64];
} dv_diag;

/* The fixed text of an error code ("sizes do not fit"). */
const char *dv_error_text(int code);

void dv_diag_clear(dv_diag *d);

/*
 * Records code and a printf-style message in d (if d is not NULL) and
 * returns code, so that callers can write `return dv_fail(d, ...)`.
 * The position is cleared; dv_fail_at sets it.
 */
int dv_fail(dv_diag *d, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int dv_fail_at(dv_diag *d, int code, int line, int column, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* Puts `prefix` ("conv: ") before the message, cutting the end if need be. */
void dv_diag_prefix(dv_diag *d, const char *prefix);

/* Records the unknown name d's error is about (cut to fit). */
void dv_diag_name(dv_diag *d, const char *name);

/* Sets the position of an error that has none yet. */
void dv_diag_locate(dv_diag *d, int line, int column);

#endif
