#include "cli/classroom.h"
#include "cli/classroom_shared.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/notes_cmd.h"
#include "cli/print.h"
#include "core/strbuf.h"
#include "lesson/answers.h"
#include "lesson/exercise.h"
#include "lesson/library.h"
#include "lesson/progress.h"
#include "render/lesson_text.h"
#include "render/render.h"
#include "sym/ctx.h"

unsigned long student_seed(const char *id)
{
	unsigned long h = 2166136261u;
	for (const char *p = id; *p != '\0'; p++)
		h = ((h ^ (unsigned char)*p) * 16777619u) & 0xFFFFFFFFu;
	return h;
}

void marking_free(marking *m)
{
	lesson_result_free(m->result);
	free(m->ex);
	lesson_free(m->lesson);
	memset(m, 0, sizeof *m);
}

/* The lesson named `name`, or the one in file `file` when it is not NULL. */
int load_lesson(lesson **out, const char *name, const char *file)
{
	lesson_errors errs;
	char *path = NULL;
	dv_diag d;
	int rc;

	dv_diag_clear(&d);
	*out = NULL;
	if (file != NULL)
		path = strdup(file);
	else if (lesson_library_find(&path, name, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		return EXIT_USAGE;
	}
	if (path == NULL) {
		fprintf(stderr, "verify: error: out of memory\n");
		return EXIT_USAGE;
	}
	rc = lesson_load(out, path, &errs);
	if (rc != DV_OK)
		print_lesson_errors(path, &errs);
	free(path);
	return rc == DV_OK ? EXIT_OK : EXIT_USAGE;
}

int run_for(marking *m, unsigned long seed, int quick)
{
	lesson_opts o = {seed, NULL, 0, quick, NULL};
	dv_diag d;

	dv_diag_clear(&d);
	lesson_result_free(m->result);
	m->result = NULL;
	if (lesson_run(&m->result, m->lesson, &o, &d) != DV_OK) {
		if (d.line > 0)
			dv_print_diag(stderr, m->lesson->path, m->lesson->text, &d);
		else
			fprintf(stderr, "verify: error: %s: %s\n", m->lesson->name,
			        d.message);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int marking_open(marking *m, const common_args *ca, unsigned long seed, int quick)
{
	dv_diag d;
	int rc;

	memset(m, 0, sizeof *m);
	dv_diag_clear(&d);
	if ((rc = load_lesson(&m->lesson, ca->lesson, ca->lesson_file)) != EXIT_OK)
		return rc;
	if (lesson_exercises(&m->ex, &m->nex, m->lesson, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		marking_free(m);
		return EXIT_USAGE;
	}
	if (m->nex == 0) {
		fprintf(stderr, "verify: error: the lesson %s has no exercises\n",
		        m->lesson->name);
		marking_free(m);
		return EXIT_USAGE;
	}
	if ((rc = run_for(m, seed, quick)) != EXIT_OK) {
		marking_free(m);
		return rc;
	}
	/* the teacher's keys, before any student's answer is marked */
	if (quick && lesson_check_keys(m->result, &d) != DV_OK) {
		if (d.line > 0)
			dv_print_diag(stderr, m->lesson->path, m->lesson->text, &d);
		else
			fprintf(stderr, "verify: error: %s: %s\n", m->lesson->name,
			        d.message);
		marking_free(m);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * Reads a student's progress; says on stderr what went wrong or where an
 * unreadable file was moved.  Returns EXIT_OK or EXIT_USAGE.
 */
int open_progress(progress **out, const char *student)
{
	char *kept = NULL;
	dv_diag d;

	dv_diag_clear(&d);
	if (progress_load(out, student, &kept, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		return EXIT_USAGE;
	}
	if (kept != NULL)
		fprintf(stderr,
		        "verify: the progress file was not readable; it is kept as %s\n",
		        kept);
	free(kept);
	return EXIT_OK;
}

/* ---- what a verdict says ---------------------------------------------------- */

int emit_wrap; /* exercise and drill: prose wrapped at a terminal's width */

/* The columns of the terminal f writes to, or 0 when it is none. */
static int terminal_width(FILE *f)
{
	struct winsize ws;
	if (!emit_wrap || !isatty(fileno(f)))
		return 0;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 0;
}

/* s to f, each line longer than width broken at a space, its continuation
 * indented as the line is (a word is never cut: "convolution" stays whole). */
static void put_wrapped(FILE *f, const char *s, int width)
{
	while (*s != '\0') {
		const char *e = strchr(s, '\n');
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s), indent = strspn(s, " ");
		size_t start = 0;
		while (start < n) {
			size_t cols = 0, i = start, cut = 0;
			for (; i < n; i++) {
				if (((unsigned char)s[i] & 0xC0) != 0x80)
					cols++;
				if (s[i] == ' ' && i > start)
					cut = i;
				if (cols > (size_t)width - (start > 0 ? indent : 0))
					break;
			}
			if (i >= n || cut == 0) {
				if (start > 0)
					fprintf(f, "%*s", (int)indent, "");
				fwrite(s + start, 1, n - start, f);
				break;
			}
			if (start > 0)
				fprintf(f, "%*s", (int)indent, "");
			fwrite(s + start, 1, cut - start, f);
			fputc('\n', f);
			start = cut + 1;
		}
		if (e == NULL)
			break;
		fputc('\n', f);
		s = e + 1;
	}
}

int emit(FILE *f, dv_strbuf *b)
{
	char *s = NULL;
	int rc = 0, width = terminal_width(f);
	if (dv_strbuf_finish(b, &s, NULL) == DV_OK) {
		if (width > 0)
			put_wrapped(f, s, width);
		else
			fputs(s, f);
	} else {
		rc = -1, errno = ENOMEM;
	}
	free(s);
	dv_strbuf_init(b);
	/* flushed: a student sees each verdict at once, and a reader that is
	 * gone (EPIPE), a full disk (ENOSPC) or EIO stops the command */
	if (fflush(f) != 0 || ferror(f) || rc != 0) {
		fprintf(stderr, "verify: error: cannot write the output: %s\n",
		        strerror(errno));
		/* said once: what could not be written is dropped */
		__fpurge(f);
		clearerr(f);
		return -1;
	}
	return 0;
}

/* Whether `name` stands in `text` as a whole word. */
int mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(text, name); p != NULL; p = strstr(p + 1, name)) {
		int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = isalnum((unsigned char)p[n]) || p[n] == '_';
		if (!before && !after)
			return 1;
	}
	return 0;
}

void put_question(dv_strbuf *b, const marking *m, const lesson_action *ex, size_t k,
                  int unicode)
{
	/* a mistake's id names it: the question must not answer itself */
	if (ex->ex_kind == EXERCISE_MISTAKE)
		dv_strbuf_printf(b, "\nExercise %zu of %zu: ", k + 1, m->nex);
	else
		dv_strbuf_printf(b, "\nExercise %zu of %zu (%s): ", k + 1, m->nex,
		                 ex->ex_id);
	dv_put_text(b, ex->ask, unicode);
	dv_strbuf_puts(b, "\n");
	/* a numbers exercise works on the student's own numbers: show them */
	for (size_t i = 0; ex->ex_kind == EXERCISE_NUMBERS && i < m->result->nsizes;
	     i++) {
		const char *name = m->result->sizes[i].name;
		const dv_mat *v = dv_env_lookup(m->result->shown, name);
		if (v == NULL || !mentions(ex->target_text, name))
			continue;
		dv_strbuf_printf(b, "  %s =\n", name);
		dv_put_numbers(b, v, "    ");
	}
	for (size_t i = 0; i < ex->nlines; i++) {
		dv_strbuf_printf(b, "  %zu. ", i + 1);
		dv_put_text(b, ex->lines[i].lhs_text, unicode);
		dv_strbuf_puts(b, " == ");
		dv_put_text(b, ex->lines[i].rhs_text, unicode);
		dv_strbuf_puts(b, "\n");
	}
}

/* ---- verify exercise -------------------------------------------------------- */

int parse_common(common_args *ca, int argc, char **argv, const char *cmd,
                 const char *const *allowed)
{
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r, known = 0;
		for (const char *const *a = allowed; *a != NULL; a++)
			if (strncmp(argv[i], *a, strlen(*a)) == 0)
				known = 1;
		if (argv[i][0] == '-' && !known)
			return usage_error("%s does not take the option '%s'", cmd,
			                   argv[i]);
		if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s",
				                   PROGRESS_STUDENT_RULE);
			ca->student = v;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &ca->seed) != 0)
				return usage_error(
				        "--seed needs a whole number from 0 to "
				        "4294967295");
			ca->seed_given = 1;
		} else if ((r = option_value("--lesson-file", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error("--lesson-file needs a file");
			ca->lesson_file = v;
		} else if ((r = option_value("--answers", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error("--answers needs a file");
			ca->answers = v;
		} else if ((r = option_value("--format", argc, argv, &i, &v)) != 0) {
			if (r > 0 && strcmp(v, "json") == 0)
				ca->json = 1;
			else if (r > 0 && strcmp(v, "csv") == 0 &&
			         strcmp(cmd, "grade") == 0)
				ca->csv = 1;
			else if (r > 0 && strcmp(v, "csv-long") == 0 &&
			         strcmp(cmd, "grade") == 0)
				ca->csv_long = 1;
			else if (r > 0 && strcmp(v, "text") == 0 &&
			         strcmp(cmd, "grade") != 0)
				ca->json = 0;
			else
				return usage_error("--format must be %s",
				                   strcmp(cmd, "grade") == 0
				                           ? "csv, csv-long or json"
				                           : "text or json");
		} else if ((r = option_value("--jobs", argc, argv, &i, &v)) != 0) {
			unsigned long j;
			if (r < 0 || parse_seed(v, &j) != 0 || j < 1 || j > 64)
				return usage_error("--jobs needs a whole number from 1 to 64");
			ca->jobs = (unsigned)j;
		} else if ((r = option_value("--seconds", argc, argv, &i, &v)) != 0) {
			unsigned long t;
			if (r < 0 || parse_seed(v, &t) != 0 || t < 1 || t > 3600)
				return usage_error("--seconds needs a whole number from 1 to "
				                   "3600");
			ca->seconds = (unsigned)t;
		} else if (strcmp(argv[i], "--yes") == 0) {
			ca->yes = 1;
		} else if (strcmp(argv[i], "--list") == 0) {
			ca->list = 1;
		} else if (ca->lesson == NULL && ca->lesson_file == NULL) {
			ca->lesson = argv[i];
		} else if (strcmp(cmd, "exercise") == 0 && ca->exercise == NULL) {
			ca->exercise = argv[i];
		} else if (strcmp(cmd, "grade") == 0 && ca->dir == NULL) {
			ca->dir = argv[i];
		} else if (strcmp(cmd, "check") == 0 && ca->answers == NULL) {
			return usage_error(
			        "check: unexpected '%s' (did you mean --answers %s?)",
			        argv[i], argv[i]);
		} else {
			return usage_error("%s: unexpected '%s'", cmd, argv[i]);
		}
	}
	if (ca->lesson_file != NULL && ca->lesson != NULL) {
		/* grade DIR --lesson-file F: the one word is the folder */
		if (strcmp(cmd, "grade") == 0 && ca->dir == NULL) {
			ca->dir = ca->lesson;
			ca->lesson = NULL;
		} else {
			return usage_error(
			        "%s: give a lesson's name or --lesson-file, not both",
			        cmd);
		}
	}
	if (ca->lesson == NULL && ca->lesson_file == NULL)
		return usage_error("%s needs a lesson's name (see verify --list)", cmd);
	if (ca->student != NULL && ca->seed_given)
		return usage_error(
		        "give --seed or --student, not both: a student's numbers "
		        "come from the id");
	if (ca->student != NULL)
		ca->seed = student_seed(ca->student);
	return EXIT_OK;
}

/* ---- text for terminals and gradebooks ------------------------------------------- */

/*
 * Text from a file or a file name, fit to print in a terminal, a CSV or a
 * JSON gradebook: control characters (escapes, newlines that would forge a
 * line) become '?'.
 */
void clean_text(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	for (; *src != '\0' && n + 1 < size; src++, n++) {
		unsigned char c = (unsigned char)*src;
		dst[n] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[n] = '\0';
}

/* Appends part to why, "; " between parts, as long as it fits. */
void why_add(char *why, size_t size, const char *part)
{
	size_t n = strlen(why);
	if (n > 0 && n + 2 < size)
		n += (size_t)snprintf(why + n, size - n, "; ");
	if (n < size)
		snprintf(why + n, size - n, "%s", part);
}

/* The reason of a mark, on one line, cleaned: into buf. */
void mark_reason(char *buf, size_t size, const lesson_mark *mk, const lesson_result *r)
{
	dv_strbuf b;
	dv_strbuf_init(&b);
	if (!mk->answered)
		dv_strbuf_puts(&b, "not answered");
	else
		dv_put_answer_reason(&b, &mk->how, r);
	clean_text(buf, size, b.s != NULL && !b.failed ? b.s : "");
	dv_strbuf_free(&b);
}
