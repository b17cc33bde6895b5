#include "lesson/answers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"

void lesson_answer_file_free(lesson_answer_file *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->id[i]);
		free(f->text[i]);
	}
	for (size_t i = 0; i < f->nbad; i++)
		free(f->bad[i]);
	free(f->id);
	free(f->text);
	free(f->line);
	free(f->bad);
	memset(f, 0, sizeof *f);
}

const char *lesson_answer_file_find(const lesson_answer_file *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->id[i], id) == 0)
			return f->text[i];
	return NULL;
}

const char *lesson_nearest_exercise(const lesson_action *const *ex, size_t nex,
                                    const char *id)
{
	const char *near = NULL;
	size_t best = 3;
	for (size_t e = 0; e < nex; e++) {
		size_t dist = dv_edit_distance(id, ex[e]->ex_id);
		if (dist < best && dist < strlen(id)) {
			best = dist;
			near = ex[e]->ex_id;
		}
	}
	return near;
}

/* Adds "PATH:LINE: why" to the lines that could not be used. */
static int add_bad(lesson_answer_file *out, const char *path, int line, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

static int add_bad(lesson_answer_file *out, const char *path, int line, const char *fmt,
                   ...)
{
	char part[400], **grown;
	int n = snprintf(part, sizeof part, "%s:%d: ", path, line);
	if (n > 0 && (size_t)n < sizeof part) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(part + n, sizeof part - (size_t)n, fmt, ap);
		va_end(ap);
	}
	grown = realloc(out->bad, (out->nbad + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	out->bad = grown;
	if ((grown[out->nbad] = strdup(part)) == NULL)
		return -1;
	out->nbad++;
	return 0;
}

static int add_answer(lesson_answer_file *out, const char *id, const char *text, int line)
{
	char **ids = realloc(out->id, (out->n + 1) * sizeof *ids);
	char **txt = ids != NULL ? realloc(out->text, (out->n + 1) * sizeof *txt) : NULL;
	int *lines =
	        txt != NULL ? realloc(out->line, (out->n + 1) * sizeof *lines) : NULL;
	if (ids != NULL)
		out->id = ids;
	if (txt != NULL)
		out->text = txt;
	if (lines == NULL)
		return -1;
	out->line = lines;
	out->id[out->n] = strdup(id);
	out->text[out->n] = strdup(text);
	out->line[out->n] = line;
	out->n++;
	return out->id[out->n - 1] == NULL || out->text[out->n - 1] == NULL ? -1 : 0;
}

/* The text of the file at path, or NULL with why said. */
static char *read_text(const char *path, size_t *len, char *why, size_t size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	size_t n = 0;

	if (fd < 0) {
		snprintf(why, size, "cannot read %s: %s", path,
		         errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, size, "%s is not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((text = malloc(LESSON_MAX_ANSWERS_BYTES + 2)) == NULL) {
		snprintf(why, size, "out of memory");
		close(fd);
		return NULL;
	}
	while (n <= LESSON_MAX_ANSWERS_BYTES) {
		ssize_t got = read(fd, text + n, LESSON_MAX_ANSWERS_BYTES + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(why, size, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			free(text);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (n > LESSON_MAX_ANSWERS_BYTES) {
		snprintf(why, size, "%s is larger than a file of answers can be (64 KB)",
		         path);
		free(text);
		return NULL;
	}
	if (memchr(text, '\0', n) != NULL) {
		snprintf(why, size, "%s is not a text file", path);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	*len = n;
	return text;
}

int lesson_answer_file_read(lesson_answer_file *out, const char *path,
                            const lesson_action *const *ex, size_t nex,
                            const char *lesson_name, char *why, size_t size)
{
	size_t n = 0;
	char *text = read_text(path, &n, why, size), *s;
	int line = 0, rc = 0;

	memset(out, 0, sizeof *out);
	if (text == NULL)
		return -1;
	why[0] = '\0';
	s = text;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (strspn(s, " \t\r\n") == strlen(s)) {
		snprintf(why, size, "%s is empty: no answers", path);
		free(text);
		return -1;
	}
	while (*s != '\0' && rc == 0) {
		char *nl = strchr(s, '\n'), *colon, *id, *ans;
		size_t k;
		if (nl != NULL)
			*nl = '\0';
		line++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#' || *s == '\r')
			goto next_line;
		if ((colon = strchr(s, ':')) == NULL) {
			rc = add_bad(out, path, line,
			             "expected 'EXERCISE: answer' but found '%.40s'", s);
			goto next_line;
		}
		*colon = '\0';
		id = s;
		for (char *e = colon - 1; e >= id && (*e == ' ' || *e == '\t'); e--)
			*e = '\0';
		ans = colon + 1;
		while (*ans == ' ' || *ans == '\t')
			ans++;
		for (size_t e = strlen(ans);
		     e > 0 && (ans[e - 1] == '\r' || ans[e - 1] == ' '); e--)
			ans[e - 1] = '\0';
		for (k = 0; k < nex && strcmp(ex[k]->ex_id, id) != 0; k++)
			;
		if (k == nex) {
			const char *near = lesson_nearest_exercise(ex, nex, id);
			char what[200];
			snprintf(what, sizeof what,
			         "the lesson %s has no exercise '%.40s'", lesson_name,
			         id);
			rc = near != NULL ? add_bad(out, path, line,
			                            "%s (did you mean '%s'?)", what, near)
			                  : add_bad(out, path, line, "%s", what);
			goto next_line;
		}
		for (k = 0; k < out->n && strcmp(out->id[k], id) != 0; k++)
			;
		if (k < out->n) {
			rc = add_bad(out, path, line,
			             "'%.40s' is answered twice (line %d too)", id,
			             out->line[k]);
			goto next_line;
		}
		rc = add_answer(out, id, ans, line);
	next_line:
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	free(text);
	if (rc != 0) {
		snprintf(why, size, "out of memory");
		lesson_answer_file_free(out);
		return -1;
	}
	return 0;
}

int lesson_mark_file(lesson_mark *out, lesson_result *r, const lesson_action *const *ex,
                     size_t nex, const lesson_answer_file *f, dv_diag *d)
{
	memset(out, 0, nex * sizeof *out);
	for (size_t k = 0; k < nex; k++) {
		const char *text = lesson_answer_file_find(f, ex[k]->ex_id);
		int rc;
		if (text == NULL)
			continue;
		out[k].answered = 1;
		if ((rc = lesson_answer_check(&out[k].how, r, ex[k], text, d)) != DV_OK) {
			lesson_marks_free(out, k + 1);
			return rc;
		}
	}
	return DV_OK;
}

void lesson_marks_free(lesson_mark *m, size_t n)
{
	for (size_t k = 0; m != NULL && k < n; k++)
		if (m[k].answered)
			lesson_answer_clear(&m[k].how);
}
