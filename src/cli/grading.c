#include "cli/classroom.h"
#include "cli/class_workers.h"
#include "cli/classroom_shared.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

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

int cmd_check(int argc, char **argv)
{
	static const char *const allowed[] = {"--student",     "--seed",   "--answers",
	                                      "--lesson-file", "--format", NULL};
	common_args ca = {.seed = 1};
	char why[512];
	lesson_answer_file a;
	lesson_mark *marks = NULL;
	marking m;
	dv_strbuf b;
	dv_diag d;
	int rc, all = 1;

	if ((rc = parse_common(&ca, argc, argv, "check", allowed)) != EXIT_OK)
		return rc;
	if (ca.answers == NULL)
		return usage_error("check needs --answers FILE");
	if ((rc = marking_open(&m, &ca, ca.seed, 1)) != EXIT_OK)
		return rc;
	if (lesson_answer_file_read(&a, ca.answers, m.ex, m.nex, m.lesson->name, why,
	                            sizeof why) != 0) {
		char clean[sizeof why];
		clean_text(clean, sizeof clean, why);
		fprintf(stderr, "verify: error: %s\n", clean);
		marking_free(&m);
		return EXIT_USAGE;
	}
	dv_diag_clear(&d);
	dv_strbuf_init(&b);
	marks = calloc(m.nex, sizeof *marks);
	if (marks == NULL ||
	    lesson_mark_file(marks, m.result, m.ex, m.nex, &a, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n",
		        marks == NULL ? "out of memory" : d.message);
		free(marks);
		marks = NULL;
		rc = EXIT_USAGE;
		goto out;
	}
	/* a line that could not be used: said with its number, the rest marked */
	for (size_t i = 0; i < a.nbad; i++) {
		char clean[512];
		clean_text(clean, sizeof clean, a.bad[i]);
		fprintf(stderr, "verify: %s\n", clean);
	}
	all = a.nbad == 0;
	if (ca.json) {
		cJSON *root = cJSON_CreateObject(), *ex, *reasons, *bad;
		char *text;
		cJSON_AddStringToObject(root, "lesson", m.lesson->name);
		if (ca.student != NULL)
			cJSON_AddStringToObject(root, "student", ca.student);
		ex = cJSON_AddObjectToObject(root, "exercises");
		reasons = cJSON_AddObjectToObject(root, "reasons");
		for (size_t k = 0; k < m.nex; k++) {
			char reason[600];
			if (!marks[k].answered)
				cJSON_AddNullToObject(ex, m.ex[k]->ex_id);
			else
				cJSON_AddBoolToObject(ex, m.ex[k]->ex_id,
				                      marks[k].how.correct);
			mark_reason(reason, sizeof reason, &marks[k], m.result);
			cJSON_AddStringToObject(reasons, m.ex[k]->ex_id, reason);
			all &= marks[k].answered && marks[k].how.correct;
		}
		bad = cJSON_AddArrayToObject(root, "unusable_lines");
		for (size_t i = 0; i < a.nbad; i++) {
			char clean[512];
			clean_text(clean, sizeof clean, a.bad[i]);
			cJSON_AddItemToArray(bad, cJSON_CreateString(clean));
		}
		cJSON_AddBoolToObject(root, "all_right", all);
		text = cJSON_Print(root);
		if (text != NULL)
			printf("%s\n", text);
		cJSON_free(text);
		cJSON_Delete(root);
	} else {
		size_t n = 0;
		for (size_t k = 0; k < m.nex; k++) {
			if (!marks[k].answered) {
				dv_strbuf_printf(&b, "- %s: not answered\n",
				                 m.ex[k]->ex_id);
				all = 0;
				continue;
			}
			dv_strbuf_printf(&b, "%s: ", m.ex[k]->ex_id);
			dv_put_answer(&b, &marks[k].how, m.result, utf8_terminal());
			all &= marks[k].how.correct;
			n += marks[k].how.correct != 0;
		}
		dv_strbuf_printf(&b, "%s: %zu of %zu right", m.lesson->name, n, m.nex);
		if (a.nbad > 0)
			dv_strbuf_printf(&b, " (%zu line%s could not be used)", a.nbad,
			                 a.nbad == 1 ? "" : "s");
		dv_strbuf_puts(&b, "\n");
		emit(stdout, &b);
	}
	rc = all ? EXIT_OK : EXIT_CHECK;
out:
	dv_strbuf_free(&b);
	lesson_marks_free(marks, m.nex);
	free(marks);
	lesson_answer_file_free(&a);
	marking_free(&m);
	return rc;
}

/* A student's row is written: flushed, and -1 (said) if it could not be. */
static int row_done(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "verify: error: cannot write the output: %s\n", strerror(errno));
	__fpurge(stdout);
	clearerr(stdout);
	return -1;
}

/* ---- verify grade ------------------------------------------------------------- */

/*
 * One CSV cell, RFC 4180: quoted when it holds a comma, a quote, a line
 * break or edge blanks, and never a formula: a cell that would start with
 * '=', '+', '-' or '@' gets a leading apostrophe, so a spreadsheet shows it
 * instead of running it.  Control characters become '?'.
 */
static void csv_field(FILE *f, const char *raw)
{
	char s[1024];
	size_t n;

	clean_text(s, sizeof s, raw);
	n = strlen(s);
	if (strchr("=+-@", s[0]) != NULL && s[0] != '\0') {
		memmove(s + 1, s, n + 1 < sizeof s - 1 ? n + 1 : sizeof s - 2);
		s[0] = '\'';
		s[sizeof s - 1] = '\0';
		n = strlen(s);
	}
	if (strpbrk(s, ",\"\n\r") == NULL &&
	    (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* A folder entry to grade: a regular file and the student id it names. */
typedef struct submission {
	char *file;
	char student[256];
	char why[600]; /* why it cannot be graded, or "" */
} submission;

static int by_student(const void *a, const void *b)
{
	const submission *x = a, *y = b;
	int c = strcmp(x->student, y->student);
	return c != 0 ? c : strcmp(x->file, y->file);
}

/* Tells once, on stderr, that an entry of the folder is not graded. */
static void skipped(const char *name, const char *why)
{
	char clean[300];
	clean_text(clean, sizeof clean, name);
	fprintf(stderr, "verify: %s: %s\n", clean, why);
}

/*
 * The regular files of dir, as submissions sorted by student id.  Every
 * other entry (a symbolic link, which is never followed, a folder, a FIFO,
 * a device, a hidden file) is named once on stderr.
 */
static int list_submissions(submission **out, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	submission *list = NULL;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (d == NULL) {
		fprintf(stderr, "verify: error: cannot read the folder %s: %s\n", dir,
		        strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		submission *grown, *sub;
		char *dot;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.') {
			skipped(e->d_name, "a hidden file, not graded");
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &st) != 0) {
			skipped(e->d_name, strerror(errno));
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			skipped(e->d_name, "a symbolic link, not followed");
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			skipped(e->d_name, "a folder, not graded");
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			skipped(e->d_name, "not a regular file (a FIFO, a device or a "
			                   "socket), not graded");
			continue;
		}
		grown = realloc(list, (count + 1) * sizeof *grown);
		if (grown == NULL)
			break;
		list = grown;
		sub = &list[count];
		memset(sub, 0, sizeof *sub);
		if ((sub->file = strdup(e->d_name)) == NULL)
			break;
		count++;
		snprintf(sub->student, sizeof sub->student, "%s", e->d_name);
		if ((dot = strrchr(sub->student, '.')) != NULL && dot != sub->student)
			*dot = '\0';
		if (!progress_valid_student(sub->student))
			snprintf(sub->why, sizeof sub->why,
			         "the file name does not make a student's name (%s)",
			         PROGRESS_STUDENT_RULE);
	}
	closedir(d);
	if (count > 1)
		qsort(list, count, sizeof *list, by_student);
	/* two files of one student: neither is graded, both are named */
	for (size_t i = 0; i + 1 < count; i++) {
		size_t j = i + 1;
		if (strcmp(list[i].student, list[j].student) != 0 ||
		    list[i].why[0] != '\0')
			continue;
		while (j < count && strcmp(list[i].student, list[j].student) == 0) {
			snprintf(list[j].why, sizeof list[j].why,
			         "%s and %s give the same student id", list[i].file,
			         list[j].file);
			j++;
		}
		memcpy(list[i].why, list[i + 1].why, sizeof list[i].why);
		i = j - 1;
	}
	*out = list;
	*n = count;
	return 0;
}

/*
 * verify grade --notes DIR [--context FILE] [--format csv|json]: each file
 * of DIR is a student's derivation in Markdown, checked as `verify notes`
 * checks it.  The gradebook says per student how many formulas hold, fail
 * and could not be checked, and the first line that fails.  A file that
 * cannot be read is that student's error, never the batch's end.
 */
/* A row of a JSON gradebook, to f, for the grader (row freed); -1 when
 * out of memory. */
static int json_row(FILE *f, cJSON *row)
{
	char *text = row != NULL ? cJSON_PrintUnformatted(row) : NULL;
	cJSON_Delete(row);
	if (text == NULL)
		return -1;
	fputs(text, f);
	cJSON_free(text);
	return 0;
}

/* JSON rows printed so far: a comma goes before each after the first. */
static size_t json_rows;

/*
 * A JSON gradebook is streamed: its head (every field but the students),
 * then one student's row a line as it comes, then its end -- a class is
 * never held whole, and a run stopped half-way has printed its rows.
 */
static int json_head(cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root);
	size_t n;
	if (text == NULL)
		return -1;
	n = strlen(text);
	/* {"lesson":..} opened again for the students: {"lesson":..,"students":[ */
	if (n >= 2 && text[n - 1] == '}')
		printf("%.*s%s\"students\":[\n", (int)(n - 1), text, n > 2 ? "," : "");
	cJSON_free(text);
	json_rows = 0;
	return row_done();
}

static int json_end(void)
{
	fputs(json_rows > 0 ? "\n]}\n" : "]}\n", stdout);
	return row_done();
}

/* A worker's row passed on, printed at once: a CSV line, or a JSON row. */
static int pass_row(cJSON *students, const char *text, size_t len)
{
	if (students != NULL) {
		if (json_rows++ > 0)
			fputs(",\n", stdout);
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
			len--;
	}
	fwrite(text, 1, len, stdout);
	return row_done();
}

/* What grading a class of notes shares with its workers. */
typedef struct notes_grade_ctx {
	const char *dir, *context;
	const submission *subs;
	cJSON *students; /* JSON: the rows, as they come */
} notes_grade_ctx;

/* In a worker: student i's notes checked, their row and notes. */
static int notes_row(size_t i, void *ctx)
{
	notes_grade_ctx *g = ctx;
	const submission *sub = &g->subs[i];
	char path[4096], why[600], clean_why[600], clean_student[256];
	notes_report *r = NULL;
	int first = 0;

	snprintf(path, sizeof path, "%s/%s", g->dir, sub->file);
	snprintf(why, sizeof why, "%s", sub->why);
	if (why[0] == '\0' && notes_check_quietly(&r, path, g->context,
	                                          student_seed(sub->student), why,
	                                          sizeof why) != 0)
		r = NULL;
	for (size_t k = 0; r != NULL && k < r->n && first == 0; k++)
		if (r->items[k].verdict == NOTES_FAILS ||
		    r->items[k].verdict == NOTES_INCONCLUSIVE)
			first = r->items[k].line;
	clean_text(clean_why, sizeof clean_why, why);
	clean_text(clean_student, sizeof clean_student, sub->student);
	if (g->students == NULL) {
		csv_field(stdout, clean_student);
		if (r != NULL)
			printf(",%zu,%zu,%zu,%zu,%zu,", r->n, r->holds, r->fails, r->inconclusive,
			       r->unchecked);
		else
			fputs(",,,,,,", stdout);
		if (first > 0)
			printf("%d", first);
		fputc(',', stdout);
		csv_field(stdout, clean_why);
		fputc('\n', stdout);
	} else {
		cJSON *row = cJSON_CreateObject();
		if (row == NULL) {
			notes_report_free(r);
			fputs("verify: error: out of memory\n", stderr);
			return EXIT_USAGE;
		}
		cJSON_AddStringToObject(row, "student", clean_student);
		if (r != NULL) {
			cJSON_AddNumberToObject(row, "formulas", (double)r->n);
			cJSON_AddNumberToObject(row, "holds", (double)r->holds);
			cJSON_AddNumberToObject(row, "fails", (double)r->fails);
			cJSON_AddNumberToObject(row, "inconclusive", (double)r->inconclusive);
			cJSON_AddNumberToObject(row, "unchecked", (double)r->unchecked);
		}
		if (first > 0)
			cJSON_AddNumberToObject(row, "first_failing_line", first);
		else
			cJSON_AddNullToObject(row, "first_failing_line");
		if (clean_why[0] != '\0')
			cJSON_AddStringToObject(row, "error", clean_why);
		if (json_row(stdout, row) != 0) {
			notes_report_free(r);
			fputs("verify: error: out of memory\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (clean_why[0] != '\0')
		skipped(sub->file, clean_why);
	notes_report_free(r);
	return EXIT_OK;
}

/* In the grader: the row of a student whose worker died. */
static void notes_fail(FILE *f, size_t i, const char *why, void *ctx)
{
	notes_grade_ctx *g = ctx;
	char clean_student[256];

	clean_text(clean_student, sizeof clean_student, g->subs[i].student);
	skipped(g->subs[i].file, why);
	if (g->students == NULL) {
		csv_field(f, clean_student);
		fputs(",,,,,,,", f);
		csv_field(f, why);
		fputc('\n', f);
	} else {
		cJSON *row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "student", clean_student);
		cJSON_AddNullToObject(row, "first_failing_line");
		cJSON_AddStringToObject(row, "error", why);
		json_row(f, row);
	}
}

/* In the grader: a worker's row, printed at once (CSV) or kept (JSON). */
static int notes_put(size_t i, const char *text, size_t len, void *ctx)
{
	(void)i;
	return pass_row(((notes_grade_ctx *)ctx)->students, text, len);
}

static int grade_notes(int argc, char **argv)
{
	const char *dir = NULL, *context_path = NULL, *format = "csv", *v;
	char *context = NULL;
	submission *subs = NULL;
	size_t nsubs = 0;
	cJSON *root = NULL, *students = NULL;
	unsigned jobs = class_default_jobs(), seconds = 0;
	int rc = EXIT_OK;

	for (int i = 2; i < argc; i++) {
		int r;
		if ((r = option_value("--notes", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error(
				        "--notes needs the folder of the class's "
				        "notes");
			dir = v;
		} else if ((r = option_value("--context", argc, argv, &i,
		                             &context_path)) != 0) {
			if (r < 0)
				return usage_error("--context needs a file");
		} else if ((r = option_value("--format", argc, argv, &i, &format)) != 0) {
			if (r < 0 ||
			    (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
				return usage_error("--format must be csv or json");
		} else if ((r = option_value("--jobs", argc, argv, &i, &v)) != 0) {
			unsigned long j;
			if (r < 0 || parse_seed(v, &j) != 0 || j < 1 || j > 64)
				return usage_error("--jobs needs a whole number from 1 to 64");
			jobs = (unsigned)j;
		} else if ((r = option_value("--seconds", argc, argv, &i, &v)) != 0) {
			unsigned long t;
			if (r < 0 || parse_seed(v, &t) != 0 || t < 1 || t > 3600)
				return usage_error("--seconds needs a whole number from 1 to "
				                   "3600");
			seconds = (unsigned)t;
		} else {
			return usage_error("grade --notes: unexpected '%s'", argv[i]);
		}
	}
	if (dir == NULL)
		return usage_error("grade --notes needs the folder of the class's notes");
	if (context_path != NULL) {
		/* the teacher's context must read before any student is marked */
		notes_report *r = NULL;
		notes_opts o = {0};
		dv_diag d;
		if ((context = notes_read_context(context_path)) == NULL)
			return EXIT_USAGE;
		o.context = context;
		o.context_path = context_path;
		dv_diag_clear(&d);
		if (notes_check(&r, "-", "", 0, &o, &d) != DV_OK) {
			if (d.line > 0)
				dv_print_diag(stderr, context_path, context, &d);
			else
				fprintf(stderr, "verify: error: %s\n", d.message);
			free(context);
			return EXIT_USAGE;
		}
		notes_report_free(r);
	}
	if (list_submissions(&subs, &nsubs, dir) != 0) {
		free(context);
		return EXIT_USAGE;
	}
	if (strcmp(format, "csv") == 0) {
		fputs("student,formulas,hold,fail,undecided,not checked,first failing "
		      "line,error\n",
		      stdout);
	} else if ((root = cJSON_CreateObject()) == NULL ||
	           (students = cJSON_AddArrayToObject(root, "students")) == NULL) {
		fputs("verify: error: out of memory\n", stderr);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK && root != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "students");
		if (json_head(root) != 0)
			rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK) {
		notes_grade_ctx g = {dir, context, subs, students != NULL ? root : NULL};
		class_work w = {nsubs, jobs, seconds, &g, notes_row, notes_fail, notes_put};
		rc = class_run(&w);
		if (root != NULL && json_end() != 0 && rc == EXIT_OK)
			rc = EXIT_USAGE;
	}
	cJSON_Delete(root);
	for (size_t i = 0; i < nsubs; i++)
		free(subs[i].file);
	free(subs);
	free(context);
	return rc;
}

/* What grading a class of answer files shares with its workers. */
typedef struct grade_ctx {
	const common_args *ca;
	const submission *subs;
	marking *m;
	lesson_mark *marks;
	cJSON *students; /* JSON: the rows, as they come */
} grade_ctx;

/* In a worker: student i's row, its reason columns and its notes. */
static int grade_row(size_t i, void *ctx)
{
	grade_ctx *g = ctx;
	const common_args *ca = g->ca;
	const submission *sub = &g->subs[i];
	marking *m = g->m;
	lesson_mark *marks = g->marks;
	char path[4096], why[600], clean_why[600], clean_student[256];
	lesson_answer_file a;
	size_t total = 0;
	int marked = sub->why[0] == '\0', rc;
	dv_diag d;

	dv_diag_clear(&d);
	snprintf(path, sizeof path, "%s/%s", ca->dir, sub->file);
	snprintf(why, sizeof why, "%s", sub->why);
	memset(marks, 0, m->nex * sizeof *marks);
	/* each student's own numbers */
	if (marked && run_for(m, student_seed(sub->student), 1) != EXIT_OK)
		return EXIT_USAGE;
	if (marked && lesson_answer_file_read(&a, path, m->ex, m->nex, m->lesson->name, why,
	                                      sizeof why) != 0)
		marked = 0;
	if (marked) {
		for (size_t k = 0; k < a.nbad; k++)
			why_add(why, sizeof why, a.bad[k]);
		rc = lesson_mark_file(marks, m->result, m->ex, m->nex, &a, &d);
		lesson_answer_file_free(&a);
		if (rc != DV_OK) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			return EXIT_USAGE;
		}
	}
	for (size_t k = 0; k < m->nex; k++)
		total += marked && marks[k].answered && marks[k].how.correct;
	clean_text(clean_why, sizeof clean_why, why);
	clean_text(clean_student, sizeof clean_student, sub->student);
	if (ca->csv_long) {
		/* one row an answer: its mark and why */
		for (size_t k = 0; marked && k < m->nex; k++) {
			char reason[600];
			mark_reason(reason, sizeof reason, &marks[k], m->result);
			csv_field(stdout, clean_student);
			fputc(',', stdout);
			csv_field(stdout, m->ex[k]->ex_id);
			fputs(!marks[k].answered     ? ","
			      : marks[k].how.correct ? ",1"
			                             : ",0",
			      stdout);
			fputc(',', stdout);
			csv_field(stdout, reason);
			fputc('\n', stdout);
		}
		if (clean_why[0] != '\0') {
			csv_field(stdout, clean_student);
			fputs(",,,", stdout);
			csv_field(stdout, clean_why);
			fputc('\n', stdout);
		}
	} else if (ca->csv) {
		csv_field(stdout, clean_student);
		/* 1 right, 0 wrong, empty not answered (or not marked) */
		for (size_t k = 0; k < m->nex; k++)
			fputs(!marked || !marks[k].answered ? ","
			      : marks[k].how.correct        ? ",1"
			                                    : ",0",
			      stdout);
		printf(",%zu,", total);
		csv_field(stdout, clean_why);
		fputc('\n', stdout);
	} else {
		cJSON *row = cJSON_CreateObject(), *ans, *reasons;
		cJSON_AddStringToObject(row, "student", clean_student);
		ans = cJSON_AddObjectToObject(row, "answers");
		reasons = marked ? cJSON_AddObjectToObject(row, "reasons") : NULL;
		for (size_t k = 0; marked && k < m->nex; k++) {
			char reason[600];
			if (!marks[k].answered)
				cJSON_AddNullToObject(ans, m->ex[k]->ex_id);
			else
				cJSON_AddBoolToObject(ans, m->ex[k]->ex_id, marks[k].how.correct);
			mark_reason(reason, sizeof reason, &marks[k], m->result);
			cJSON_AddStringToObject(reasons, m->ex[k]->ex_id, reason);
		}
		cJSON_AddNumberToObject(row, "total", (double)total);
		if (clean_why[0] != '\0')
			cJSON_AddStringToObject(row, "error", clean_why);
		/* to the grader, which puts it in the gradebook */
		if (json_row(stdout, row) != 0) {
			fputs("verify: error: out of memory\n", stderr);
			return EXIT_USAGE;
		}
	}
	lesson_marks_free(marks, m->nex);
	if (clean_why[0] != '\0')
		skipped(sub->file, clean_why);
	return EXIT_OK;
}

/* In the grader: the row of a student whose worker died. */
static void grade_fail(FILE *f, size_t i, const char *why, void *ctx)
{
	grade_ctx *g = ctx;
	char clean_student[256];

	clean_text(clean_student, sizeof clean_student, g->subs[i].student);
	skipped(g->subs[i].file, why);
	if (g->ca->csv_long) {
		csv_field(f, clean_student);
		fputs(",,,", f);
		csv_field(f, why);
		fputc('\n', f);
	} else if (g->ca->csv) {
		csv_field(f, clean_student);
		for (size_t k = 0; k < g->m->nex; k++)
			fputc(',', f);
		fputs(",0,", f);
		csv_field(f, why);
		fputc('\n', f);
	} else {
		cJSON *row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "student", clean_student);
		cJSON_AddObjectToObject(row, "answers");
		cJSON_AddNumberToObject(row, "total", 0);
		cJSON_AddStringToObject(row, "error", why);
		json_row(f, row);
	}
}

/* In the grader: a worker's row, printed at once (CSV) or kept (JSON). */
static int grade_put(size_t i, const char *text, size_t len, void *ctx)
{
	(void)i;
	return pass_row(((grade_ctx *)ctx)->students, text, len);
}

int cmd_grade(int argc, char **argv)
{
	static const char *const allowed[] = {"--format", "--lesson-file", "--jobs", "--seconds",
	                                      NULL};
	common_args ca = {.seed = 1};
	submission *subs = NULL;
	size_t nsubs = 0;
	cJSON *root = NULL, *students = NULL;
	marking m;
	lesson_mark *marks = NULL;
	int rc;

	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--notes") == 0 ||
		    strncmp(argv[i], "--notes=", 8) == 0)
			return grade_notes(argc, argv);
	if ((rc = parse_common(&ca, argc, argv, "grade", allowed)) != EXIT_OK)
		return rc;
	if (ca.dir == NULL)
		return usage_error("grade needs a lesson and a folder of answer files");
	ca.csv = ca.csv || (!ca.json && !ca.csv_long);
	if (ca.jobs == 0)
		ca.jobs = class_default_jobs();
	if (list_submissions(&subs, &nsubs, ca.dir) != 0)
		return EXIT_USAGE;
	if ((rc = marking_open(&m, &ca, 1, 1)) != EXIT_OK)
		goto out;
	marks = calloc(m.nex ? m.nex : 1, sizeof *marks);
	if (marks == NULL) {
		fprintf(stderr, "verify: error: out of memory\n");
		rc = EXIT_USAGE;
		goto done;
	}
	if (ca.csv_long) {
		fputs("student,exercise,mark,reason\n", stdout);
	} else if (ca.csv) {
		fputs("student", stdout);
		for (size_t k = 0; k < m.nex; k++) {
			fputc(',', stdout);
			csv_field(stdout, m.ex[k]->ex_id);
		}
		fputs(",total,error\n", stdout);
	} else {
		root = cJSON_CreateObject();
		cJSON *ids = cJSON_AddArrayToObject(root, "exercises");
		cJSON_AddStringToObject(root, "lesson", m.lesson->name);
		for (size_t k = 0; k < m.nex; k++)
			cJSON_AddItemToArray(ids, cJSON_CreateString(m.ex[k]->ex_id));
		students = cJSON_AddArrayToObject(root, "students");
	}
	if (root != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "students");
		if (json_head(root) != 0)
			rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK) {
		grade_ctx g = {&ca, subs, &m, marks, students != NULL ? root : NULL};
		class_work w = {nsubs, ca.jobs, ca.seconds, &g, grade_row, grade_fail, grade_put};
		rc = class_run(&w);
		if (root != NULL && json_end() != 0 && rc == EXIT_OK)
			rc = EXIT_USAGE;
	}
	cJSON_Delete(root);
done:
	free(marks);
	marking_free(&m);
out:
	for (size_t i = 0; i < nsubs; i++)
		free(subs[i].file);
	free(subs);
	return rc;
}
