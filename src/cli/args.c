#include "cli/args.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/print.h"

const char short_usage[] =
        "usage: verify --lesson NAME | --all | --list | eval EXPR ... (verify --help "
        "tells more)\n";

int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("verify: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(short_usage, stderr);
	return EXIT_USAGE;
}

/*
 * Takes the value of option `name` from `--name=value` or `--name value`.
 * Returns 1 if argv[*i] is that option, 0 if not, -1 if its value is missing.
 */
int option_value(const char *name, int argc, char **argv, int *i, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int parse_seed(const char *s, unsigned long *out)
{
	char *end;
	unsigned long long v;
	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 0xFFFFFFFFull)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/* Whether the locale's characters are UTF-8, so that δ and ₁₁ can be shown. */
int utf8_terminal(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The text of a file, for carets under errors; NULL if it cannot be read. */
char *read_text(const char *path)
{
	/* only a regular file, opened without blocking (a FIFO would hang) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;
	char *text;
	size_t n;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return NULL;
	}
	text = malloc(1024 * 1024 + 1);
	n = text != NULL ? fread(text, 1, 1024 * 1024, f) : 0;
	fclose(f);
	if (text != NULL)
		text[n] = '\0';
	return text;
}

void print_lesson_errors(const char *path, const lesson_errors *errs)
{
	char *text = read_text(path);
	for (size_t i = 0; i < errs->n; i++) {
		if (errs->items[i].line > 0)
			dv_print_diag(stderr, path, text, &errs->items[i]);
		else if (errs->items[i].code == DV_E_SYNTAX)
			fprintf(stderr, "%s: error: %s\n", path, errs->items[i].message);
		else
			fprintf(stderr, "verify: error: %s\n", errs->items[i].message);
	}
	if (errs->n == LESSON_MAX_ERRORS)
		fprintf(stderr, "%s: too many errors; stopped\n", path);
	free(text);
}
