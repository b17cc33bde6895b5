/*
 * args: what the commands of the command line share: exit statuses,
 * option values, usage errors, the terminal's character set.
 */
#ifndef DV_ARGS_H
#define DV_ARGS_H

#include "lesson/lesson.h"

/* Exit statuses: as expected / a check came out otherwise / bad input. */
enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

extern const char short_usage[];

/* Prints "verify: error: ..." and the short usage; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Takes the value of option `name` from `--name=value` or `--name value`.
 * Returns 1 if argv[*i] is that option, 0 if not, -1 if its value is missing.
 */
int option_value(const char *name, int argc, char **argv, int *i, const char **value);

/* A whole number from 0 to 2^32 - 1; -1 if s is not one. */
int parse_seed(const char *s, unsigned long *out);

/* Whether the locale's characters are UTF-8, so that δ and ₁₁ can be shown. */
int utf8_terminal(void);

/* The text of a file, for carets under errors; NULL if it cannot be read. */
char *read_text(const char *path);
void print_lesson_errors(const char *path, const lesson_errors *errs);

#endif
