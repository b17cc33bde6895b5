#include "cli/classroom.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "cli/args.h"
#include "cli/notes.h"
#include "cli/print.h"
#include "core/strbuf.h"
#include "lesson/answers.h"
#include "lesson/exercise.h"
#include "lesson/library.h"
#include "lesson/progress.h"
#include "render/lesson_text.h"
#include "render/render.h"
#include "sym/ctx.h"

/* Answers a lesson's history keeps, the newest. */
#define MAX_HISTORY 500

unsigned long student_seed(const char *id)
{
	unsigned long h = 2166136261u;
	for (const char *p = id; *p != '\0'; p++)
		h = ((h ^ (unsigned char)*p) * 16777619u) & 0xFFFFFFFFu;
	return h;
}

/* What the classroom commands share on their command lines. */
typedef struct common_args {
	const char *lesson;
	const char *student;
	unsigned long seed;
	int seed_given;
	const char *answers; /* check */
	const char *dir;     /* grade */
	int json, csv, csv_long, yes;
	const char *lesson_file; /* --lesson-file PATH instead of a name */
	const char *exercise;    /* exercise LESSON ID: that one only */
	int list;                /* exercise LESSON --list: the ids */
} common_args;

/* A lesson to mark answers on: found by name, run at a seed. */
typedef struct marking {
	lesson *lesson;
	lesson_result *result;
	const lesson_action **ex;
	size_t nex;
} marking;

static void marking_free(marking *m)
{
	lesson_result_free(m->result);
	free(m->ex);
	lesson_free(m->lesson);
	memset(m, 0, sizeof *m);
}

/* The lesson named `name`, or the one in file `file` when it is not NULL. */
static int load_lesson(lesson **out, const char *name, const char *file)
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

static int run_for(marking *m, unsigned long seed, int quick)
{
	lesson_opts o = {seed, NULL, 0, quick};
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

static int marking_open(marking *m, const common_args *ca, unsigned long seed, int quick)
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
static int open_progress(progress **out, const char *student)
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

static void emit(FILE *f, dv_strbuf *b)
{
	char *s = NULL;
	if (dv_strbuf_finish(b, &s, NULL) == DV_OK)
		fputs(s, f);
	free(s);
	dv_strbuf_init(b);
}

/* Whether `name` stands in `text` as a whole word. */
static int mentions(const char *text, const char *name)
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

static void put_question(dv_strbuf *b, const marking *m, const lesson_action *ex,
                         size_t k, int unicode)
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

static int parse_common(common_args *ca, int argc, char **argv, const char *cmd,
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
				return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
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

/* What one practice session shares across its questions. */
typedef struct practice {
	progress *pg;
	int unicode, interactive, unsaved;
	size_t answered; /* answers marked so far */
	char *line;
	size_t cap;
	const char *student;
	/* at a terminal, GNU Readline edits the line and keeps a history per
	 * lesson; history[0] == '\0' when it is not kept */
	char history[4200];
	char history_of[64];
} practice;

/*
 * The line editor's history for lesson `name`, read from the state folder
 * (at a terminal only; a history that cannot be kept is not an error).
 */
static void practice_history(practice *pr, const char *name)
{
	dv_diag d;

	if (!pr->interactive || strcmp(pr->history_of, name) == 0)
		return;
	snprintf(pr->history_of, sizeof pr->history_of, "%s", name);
	clear_history();
	dv_diag_clear(&d);
	if (progress_history_path(pr->history, sizeof pr->history, pr->student, name, &d) !=
	    DV_OK) {
		pr->history[0] = '\0';
		return;
	}
	/* a missing file is an empty history, made now: Readline appends only
	 * to a file that is there */
	errno = 0;
	if (read_history(pr->history) != 0 &&
	    (errno != ENOENT || write_history(pr->history) != 0))
		pr->history[0] = '\0';
}

/*
 * One answer into pr->line, without its newline: through Readline at a
 * terminal, as a plain line from a pipe.  -1 at the end of the input.
 */
static ssize_t read_answer(practice *pr)
{
	ssize_t n;

	if (pr->interactive) {
		char *got = readline("answer> ");
		size_t len;
		if (got == NULL)
			return -1;
		len = strlen(got);
		if (len + 1 > pr->cap) {
			char *grown = realloc(pr->line, len + 1);
			if (grown == NULL) {
				free(got);
				return -1;
			}
			pr->line = grown;
			pr->cap = len + 1;
		}
		memcpy(pr->line, got, len + 1);
		free(got);
		if (len > 0 && len <= LESSON_MAX_ANSWERS_BYTES) {
			HIST_ENTRY *last = history_length > 0
			                           ? history_get(history_base + history_length - 1)
			                           : NULL;
			if (last == NULL || strcmp(last->line, pr->line) != 0) {
				add_history(pr->line);
				if (pr->history[0] != '\0' &&
				    (append_history(1, pr->history) != 0 ||
				     history_truncate_file(pr->history, MAX_HISTORY) != 0))
					pr->history[0] = '\0'; /* not kept: no error for it */
			}
		}
		return (ssize_t)len;
	}
	n = getline(&pr->line, &pr->cap, stdin);
	while (n > 0 && (pr->line[n - 1] == '\n' || pr->line[n - 1] == '\r'))
		pr->line[--n] = '\0';
	return n;
}

/*
 * Progress that cannot be read: practise all the same, unsaved.  Returns
 * EXIT_OK or EXIT_USAGE (out of memory).
 */
static int practice_open(practice *pr, const char *student)
{
	char *kept = NULL;
	dv_diag d;

	memset(pr, 0, sizeof *pr);
	pr->unicode = utf8_terminal();
	pr->interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	pr->student = student;
	dv_diag_clear(&d);
	if (progress_load(&pr->pg, student, &kept, &d) != DV_OK) {
		fprintf(stderr,
		        "verify: warning: progress is not saved: %s; practising without "
		        "it\n",
		        d.message);
		pr->unsaved = 1;
		pr->pg = calloc(1, sizeof *pr->pg);
		if (pr->pg == NULL)
			return EXIT_USAGE;
	} else if (kept != NULL) {
		fprintf(stderr, "verify: the progress file was not readable; it is kept as %s\n",
		        kept);
	}
	free(kept);
	return EXIT_OK;
}

static void practice_close(practice *pr)
{
	free(pr->line);
	progress_free(pr->pg);
}

/*
 * Asks exercise ex of the lesson that ran as r until it is solved, given
 * up or skipped: ? a hint, giveup the answer, skip (or an empty line) the
 * next.  *eof at the end of the input.  Saves progress after each answer.
 * EXIT_OK, or EXIT_USAGE when the lesson itself cannot mark it.
 */
static int practise(practice *pr, lesson *l, lesson_result *r, const lesson_action *ex,
                    progress_item *it, int *eof, int *right)
{
	dv_strbuf b;
	dv_diag d;
	int done = 0, rc = EXIT_OK;

	dv_strbuf_init(&b);
	dv_diag_clear(&d);
	*eof = 0;
	*right = 0;
	while (!done && rc == EXIT_OK) {
		ssize_t n;
		lesson_answer a;
		practice_history(pr, l->name);
		n = read_answer(pr);
		if (n < 0) {
			*eof = 1;
			break;
		}
		if ((size_t)n > LESSON_MAX_ANSWERS_BYTES) {
			printf("%s the answer is longer than an answer can be (64 KB)\n",
			       pr->unicode ? "✗" : "FAIL");
			continue;
		}
		if (strcmp(pr->line, "?") == 0 || strcmp(pr->line, "hint") == 0) {
			if ((size_t)it->hints < ex->nhints) {
				dv_strbuf_printf(&b, "hint %d of %zu: ", it->hints + 1,
				                 ex->nhints);
				dv_put_text(&b, ex->hints[it->hints], pr->unicode);
				dv_strbuf_puts(&b, "\n");
				progress_count(&it->hints);
			} else {
				dv_strbuf_puts(&b, ex->nhints == 0
				                           ? "this exercise has no hints; giveup "
				                             "shows the answer\n"
				                           : "no more hints; giveup shows the "
				                             "answer\n");
			}
		} else if (strcmp(pr->line, "giveup") == 0 || strcmp(pr->line, "give up") == 0) {
			if (dv_put_solution(&b, r, ex, pr->unicode) != 0)
				dv_strbuf_puts(&b, "(the answer cannot be shown)\n");
			if (!it->solved)
				it->gave_up = 1;
			done = 1;
		} else if (strcmp(pr->line, "skip") == 0 || pr->line[0] == '\0') {
			done = 1;
		} else {
			if (lesson_answer_check(&a, r, ex, pr->line, &d) != DV_OK) {
				if (d.line > 0)
					dv_print_diag(stderr, l->path, l->text, &d);
				else
					fprintf(stderr, "verify: error: %s\n", d.message);
				rc = EXIT_USAGE;
				break;
			}
			pr->answered++;
			if (a.problem.code == DV_OK)
				progress_count(&it->attempts);
			dv_put_answer(&b, &a, r, pr->unicode);
			if (a.correct) {
				it->solved = 1;
				*right = 1;
				done = 1;
			}
			lesson_answer_clear(&a);
		}
		emit(stdout, &b);
		/* practising goes on without saving (a read-only folder): said once */
		if (!pr->unsaved && progress_save(pr->pg, &d) != DV_OK) {
			fprintf(stderr, "verify: warning: progress is not saved: %s\n",
			        d.message);
			pr->unsaved = 1;
		}
	}
	dv_strbuf_free(&b);
	return rc;
}

int cmd_exercise(int argc, char **argv)
{
	static const char *const allowed[] = {"--student", "--seed", "--lesson-file",
	                                      "--list", NULL};
	common_args ca = {.seed = 1};
	practice pr;
	marking m;
	dv_strbuf b;
	dv_diag d;
	size_t only = SIZE_MAX;
	int rc;

	if ((rc = parse_common(&ca, argc, argv, "exercise", allowed)) != EXIT_OK)
		return rc;
	if ((rc = marking_open(&m, &ca, ca.seed, 0)) != EXIT_OK)
		return rc;
	if (ca.list) {
		/* the ids, one a line, with the question: for completion too */
		for (size_t k = 0; k < m.nex; k++) {
			dv_strbuf_printf(&b, "%-14s ", m.ex[k]->ex_id);
			dv_put_text(&b, m.ex[k]->ask, utf8_terminal());
			dv_strbuf_puts(&b, "\n");
		}
		emit(stdout, &b);
		marking_free(&m);
		return EXIT_OK;
	}
	if (ca.exercise != NULL) {
		for (only = 0; only < m.nex && strcmp(m.ex[only]->ex_id, ca.exercise) != 0;
		     only++)
			;
		if (only == m.nex) {
			const char *found = lesson_nearest_exercise(m.ex, m.nex, ca.exercise);
			char name[64], near[64];
			snprintf(name, sizeof name, "%s", m.lesson->name);
			snprintf(near, sizeof near, "%s", found != NULL ? found : "");
			marking_free(&m);
			if (found != NULL)
				return usage_error("the lesson %s has no exercise '%s' (did "
				                   "you mean '%s'? verify exercise %s --list "
				                   "shows them)",
				                   name, ca.exercise, near, name);
			return usage_error("the lesson %s has no exercise '%s' (verify "
			                   "exercise %s --list shows them)",
			                   name, ca.exercise, name);
		}
	}
	if ((rc = practice_open(&pr, ca.student)) != EXIT_OK) {
		marking_free(&m);
		return rc;
	}
	dv_diag_clear(&d);
	dv_strbuf_init(&b);
	dv_strbuf_printf(
	        &b,
	        "%s: %zu exercise%s%s%s. Answer each on one line; ? gives a hint, "
	        "giveup shows the answer, skip goes on.\n",
	        m.lesson->name, m.nex, m.nex == 1 ? "" : "s",
	        ca.student != NULL ? " for " : "", ca.student != NULL ? ca.student : "");
	emit(stdout, &b);
	for (size_t k = 0; k < m.nex && rc == EXIT_OK; k++) {
		const lesson_action *ex = m.ex[k];
		progress_item *it;
		int eof = 0;
		if (only != SIZE_MAX && k != only)
			continue;
		it = progress_get(pr.pg, m.lesson->name, ex->ex_id, &d);
		if (it == NULL) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			rc = EXIT_USAGE;
			break;
		}
		put_question(&b, &m, ex, k, pr.unicode);
		if (it->solved)
			dv_strbuf_printf(&b, "(solved before, in %d attempt%s)\n",
			                 it->attempts, it->attempts == 1 ? "" : "s");
		emit(stdout, &b);
		int right;
		rc = practise(&pr, m.lesson, m.result, ex, it, &eof, &right);
		if (eof)
			break;
	}
	if (rc == EXIT_OK) {
		size_t total = 0;
		for (size_t k = 0; k < m.nex; k++) {
			progress_item *it =
			        progress_get(pr.pg, m.lesson->name, m.ex[k]->ex_id, &d);
			total += it != NULL && it->solved;
		}
		if (only != SIZE_MAX) {
			/* one exercise asked for: its own outcome */
			progress_item *it =
			        progress_get(pr.pg, m.lesson->name, m.ex[only]->ex_id, &d);
			int solved = it != NULL && it->solved;
			printf("\n%s: %s %s (%zu of %zu exercises solved)\n", m.lesson->name,
			       m.ex[only]->ex_id, solved ? "solved" : "not solved", total,
			       m.nex);
			rc = solved ? EXIT_OK : EXIT_CHECK;
		} else {
			printf("\n%s: %zu of %zu exercises solved\n", m.lesson->name, total,
			       m.nex);
			rc = total == m.nex ? EXIT_OK : EXIT_CHECK;
		}
	}
	practice_close(&pr);
	marking_free(&m);
	return rc;
}

/* ---- verify drill -------------------------------------------------------------- */

typedef struct drill {
	size_t lesson; /* in the library's list */
	const lesson_action *ex;
} drill;

/* A step of the library's lessons as its numbers show it: "the step gives". */
static void put_side(dv_strbuf *b, lesson_result *r, const dv_node *side, const char *text,
                     const char *what, int unicode)
{
	dv_mat *m = NULL;
	dv_diag d;

	dv_diag_clear(&d);
	dv_strbuf_printf(b, "  %s, ", what);
	dv_put_text(b, text, unicode);
	if (lesson_eval(&m, side, r->shown, &d) != DV_OK) {
		dv_strbuf_puts(b, ", cannot be worked out on them: ");
		dv_strbuf_puts_printable(b, d.message);
		dv_strbuf_puts(b, "\n");
		return;
	}
	dv_strbuf_puts(b, ":\n");
	dv_put_numbers(b, m, "    ");
	dv_mat_free(m);
}

static void put_drill(dv_strbuf *b, lesson_result *r, const drill *dr, size_t k, int unicode)
{
	const lesson_action *ex = dr->ex, *line = &ex->lines[0];

	dv_strbuf_printf(b, "\nDrill %zu: ", k + 1);
	dv_put_text(b, ex->ask, unicode);
	dv_strbuf_puts(b, "\n  the step:  ");
	dv_put_text(b, line->lhs_text, unicode);
	dv_strbuf_puts(b, " == ");
	dv_put_text(b, line->rhs_text, unicode);
	dv_strbuf_puts(b, "\n");
	/* the lesson's names the step uses, as the lesson defines them */
	for (size_t i = 0; i < r->lesson->ndefs; i++) {
		const lesson_define *def = &r->lesson->defs[i];
		if (!mentions(line->text, def->name))
			continue;
		dv_strbuf_printf(b, "  where %s = ", def->name);
		dv_put_text(b, def->text, unicode);
		dv_strbuf_puts(b, "\n");
	}
	/* on the student's own numbers: what the step says, and what is true */
	put_side(b, r, line->rhs, line->rhs_text, "on your numbers its right side",
	         unicode);
	put_side(b, r, line->lhs, line->lhs_text, "and the true left side", unicode);
}

/* The order drills come in: a shuffle of them all, from the seed. */
static void shuffle(drill *d, size_t n, unsigned long *state)
{
	for (size_t i = n; i > 1; i--) {
		size_t j;
		*state = (*state * 6364136223846793005ULL + 1442695040888963407ULL) &
		         0xFFFFFFFFFFFFFFFFULL;
		j = (size_t)((*state >> 33) % i);
		drill t = d[i - 1];
		d[i - 1] = d[j];
		d[j] = t;
	}
}

int cmd_drill(int argc, char **argv)
{
	const char *student = NULL;
	unsigned long seed = 1, state;
	size_t count = 0, nlist = 0, ndrills = 0, asked = 0, right = 0;
	int seed_given = 0, rc = EXIT_OK;
	lesson_entry *list = NULL;
	lesson_result **results = NULL;
	drill *drills = NULL;
	practice pr;
	dv_strbuf b;
	dv_diag d;

	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
			student = v;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &seed) != 0)
				return usage_error("--seed needs a whole number from 0 to "
				                   "4294967295");
			seed_given = 1;
		} else if ((r = option_value("--count", argc, argv, &i, &v)) != 0) {
			unsigned long c;
			if (r < 0 || parse_seed(v, &c) != 0 || c < 1 || c > 10000)
				return usage_error("--count needs a whole number from 1 to "
				                   "10000");
			count = (size_t)c;
		} else {
			return usage_error("drill: unexpected '%s' (drill takes --student, "
			                   "--seed and --count)",
			                   argv[i]);
		}
	}
	if (student != NULL && seed_given)
		return usage_error("give --seed or --student, not both: a student's "
		                   "numbers come from the id");
	if (student != NULL)
		seed = student_seed(student);
	dv_diag_clear(&d);
	if (lesson_library_list(&list, &nlist, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		return EXIT_USAGE;
	}
	/* every mistake of every lesson: the catalogue and a teacher's own */
	for (size_t i = 0; i < nlist && rc == EXIT_OK; i++) {
		const lesson_action **ex = NULL;
		size_t nex = 0;
		if (list[i].lesson == NULL)
			continue;
		if (lesson_exercises(&ex, &nex, list[i].lesson, &d) != DV_OK) {
			rc = EXIT_USAGE;
			break;
		}
		for (size_t k = 0; k < nex; k++) {
			drill *more;
			if (ex[k]->ex_kind != EXERCISE_MISTAKE)
				continue;
			more = realloc(drills, (ndrills + 1) * sizeof *more);
			if (more == NULL) {
				rc = EXIT_USAGE;
				break;
			}
			drills = more;
			drills[ndrills++] = (drill){i, ex[k]};
		}
		free(ex);
	}
	if (rc == EXIT_OK && ndrills == 0) {
		fprintf(stderr, "verify: error: no lesson holds a mistake to drill (the "
		                "catalogue is lessons/mistakes.lesson)\n");
		rc = EXIT_USAGE;
	}
	results = calloc(nlist ? nlist : 1, sizeof *results);
	if (rc == EXIT_OK && (results == NULL || practice_open(&pr, student) != EXIT_OK)) {
		fprintf(stderr, "verify: error: out of memory\n");
		free(results);
		results = NULL;
		rc = EXIT_USAGE;
	}
	if (rc != EXIT_OK) {
		free(drills);
		free(results);
		lesson_library_free(list, nlist);
		return rc;
	}
	state = seed ^ 0xd1e5UL;
	shuffle(drills, ndrills, &state);
	dv_strbuf_init(&b);
	dv_strbuf_printf(&b,
	                 "drill: %zu classic mistakes%s%s, on your own numbers. Name each "
	                 "one, or write the right side its step needs; ? gives a hint, "
	                 "giveup the answer, skip the next%s.\n",
	                 ndrills, student != NULL ? " for " : "",
	                 student != NULL ? student : "",
	                 count == 0 ? ", and the end of input stops" : "");
	emit(stdout, &b);
	for (size_t k = 0; count == 0 || k < count; k++) {
		const drill *dr;
		lesson *l;
		progress_item *it;
		int eof = 0, ok = 0;
		size_t before;
		if (k > 0 && k % ndrills == 0)
			shuffle(drills, ndrills, &state); /* another round */
		dr = &drills[k % ndrills];
		l = list[dr->lesson].lesson;
		if (results[dr->lesson] == NULL) {
			lesson_opts o = {seed, NULL, 0, 1};
			if (lesson_run(&results[dr->lesson], l, &o, &d) != DV_OK) {
				fprintf(stderr, "verify: error: %s: %s\n", l->name, d.message);
				rc = EXIT_USAGE;
				break;
			}
		}
		if ((it = progress_get(pr.pg, l->name, dr->ex->ex_id, &d)) == NULL) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			rc = EXIT_USAGE;
			break;
		}
		put_drill(&b, results[dr->lesson], dr, k, pr.unicode);
		emit(stdout, &b);
		before = pr.answered;
		rc = practise(&pr, l, results[dr->lesson], dr->ex, it, &eof, &ok);
		/* a drill counts once it was answered, even at the end of input */
		if (!eof || pr.answered > before) {
			asked++;
			right += ok != 0;
		}
		if (eof)
			break;
	}
	if (rc == EXIT_OK) {
		printf("\ndrill: %zu of %zu right\n", right, asked);
		rc = asked > 0 && right == asked ? EXIT_OK : EXIT_CHECK;
	}
	practice_close(&pr);
	for (size_t i = 0; i < nlist; i++)
		lesson_result_free(results[i]);
	free(results);
	free(drills);
	lesson_library_free(list, nlist);
	return rc;
}

/* ---- files of answers ----------------------------------------------------------- */

/*
 * Text from a file or a file name, fit to print in a terminal, a CSV or a
 * JSON gradebook: control characters (escapes, newlines that would forge a
 * line) become '?'.
 */
static void clean_text(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	for (; *src != '\0' && n + 1 < size; src++, n++) {
		unsigned char c = (unsigned char)*src;
		dst[n] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[n] = '\0';
}

/* Appends part to why, "; " between parts, as long as it fits. */
static void why_add(char *why, size_t size, const char *part)
{
	size_t n = strlen(why);
	if (n > 0 && n + 2 < size)
		n += (size_t)snprintf(why + n, size - n, "; ");
	if (n < size)
		snprintf(why + n, size - n, "%s", part);
}

/* The reason of a mark, on one line, cleaned: into buf. */
static void mark_reason(char *buf, size_t size, const lesson_mark *mk,
                        const lesson_result *r)
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
	if (marks == NULL || lesson_mark_file(marks, m.result, m.ex, m.nex, &a, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", marks == NULL ? "out of memory" : d.message);
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
				cJSON_AddBoolToObject(ex, m.ex[k]->ex_id, marks[k].how.correct);
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
				dv_strbuf_printf(&b, "- %s: not answered\n", m.ex[k]->ex_id);
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
static int grade_notes(int argc, char **argv)
{
	const char *dir = NULL, *context_path = NULL, *format = "csv", *v;
	char *context = NULL;
	submission *subs = NULL;
	size_t nsubs = 0;
	cJSON *root = NULL, *students = NULL;
	int rc = EXIT_OK;

	for (int i = 2; i < argc; i++) {
		int r;
		if ((r = option_value("--notes", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error("--notes needs the folder of the class's "
				                   "notes");
			dir = v;
		} else if ((r = option_value("--context", argc, argv, &i, &context_path)) != 0) {
			if (r < 0)
				return usage_error("--context needs a file");
		} else if ((r = option_value("--format", argc, argv, &i, &format)) != 0) {
			if (r < 0 || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
				return usage_error("--format must be csv or json");
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
	for (size_t i = 0; rc == EXIT_OK && i < nsubs; i++) {
		submission *sub = &subs[i];
		char path[4096], why[600], clean_why[600], clean_student[256];
		notes_report *r = NULL;
		int first = 0;
		snprintf(path, sizeof path, "%s/%s", dir, sub->file);
		snprintf(why, sizeof why, "%s", sub->why);
		if (why[0] == '\0' &&
		    notes_check_quietly(&r, path, context, student_seed(sub->student), why,
		                        sizeof why) != 0)
			r = NULL;
		for (size_t k = 0; r != NULL && k < r->n && first == 0; k++)
			if (r->items[k].verdict == NOTES_FAILS ||
			    r->items[k].verdict == NOTES_INCONCLUSIVE)
				first = r->items[k].line;
		clean_text(clean_why, sizeof clean_why, why);
		clean_text(clean_student, sizeof clean_student, sub->student);
		if (root == NULL) {
			csv_field(stdout, clean_student);
			if (r != NULL)
				printf(",%zu,%zu,%zu,%zu,%zu,", r->n, r->holds, r->fails,
				       r->inconclusive, r->unchecked);
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
				rc = EXIT_USAGE;
				break;
			}
			cJSON_AddStringToObject(row, "student", clean_student);
			if (r != NULL) {
				cJSON_AddNumberToObject(row, "formulas", (double)r->n);
				cJSON_AddNumberToObject(row, "holds", (double)r->holds);
				cJSON_AddNumberToObject(row, "fails", (double)r->fails);
				cJSON_AddNumberToObject(row, "inconclusive",
				                        (double)r->inconclusive);
				cJSON_AddNumberToObject(row, "unchecked", (double)r->unchecked);
			}
			if (first > 0)
				cJSON_AddNumberToObject(row, "first_failing_line", first);
			else
				cJSON_AddNullToObject(row, "first_failing_line");
			if (clean_why[0] != '\0')
				cJSON_AddStringToObject(row, "error", clean_why);
			cJSON_AddItemToArray(students, row);
		}
		if (clean_why[0] != '\0')
			skipped(sub->file, clean_why);
		notes_report_free(r);
	}
	if (root != NULL && rc == EXIT_OK) {
		char *text = cJSON_Print(root);
		if (text != NULL)
			printf("%s\n", text);
		else
			rc = EXIT_USAGE;
		cJSON_free(text);
	}
	cJSON_Delete(root);
	for (size_t i = 0; i < nsubs; i++)
		free(subs[i].file);
	free(subs);
	free(context);
	return rc;
}

int cmd_grade(int argc, char **argv)
{
	static const char *const allowed[] = {"--format", "--lesson-file", NULL};
	common_args ca = {.seed = 1};
	submission *subs = NULL;
	size_t nsubs = 0;
	cJSON *root = NULL, *students = NULL;
	marking m;
	lesson_mark *marks = NULL;
	int rc;

	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--notes") == 0 || strncmp(argv[i], "--notes=", 8) == 0)
			return grade_notes(argc, argv);
	if ((rc = parse_common(&ca, argc, argv, "grade", allowed)) != EXIT_OK)
		return rc;
	if (ca.dir == NULL)
		return usage_error("grade needs a lesson and a folder of answer files");
	ca.csv = ca.csv || (!ca.json && !ca.csv_long);
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
	for (size_t i = 0; i < nsubs; i++) {
		submission *sub = &subs[i];
		char path[4096], why[600], clean_why[600], clean_student[256];
		lesson_answer_file a;
		size_t total = 0;
		int marked = sub->why[0] == '\0';
		dv_diag d;
		dv_diag_clear(&d);
		snprintf(path, sizeof path, "%s/%s", ca.dir, sub->file);
		snprintf(why, sizeof why, "%s", sub->why);
		memset(marks, 0, m.nex * sizeof *marks);
		/* each student's own numbers */
		if (marked && run_for(&m, student_seed(sub->student), 1) != EXIT_OK) {
			rc = EXIT_USAGE;
			break;
		}
		if (marked && lesson_answer_file_read(&a, path, m.ex, m.nex, m.lesson->name,
		                                      why, sizeof why) != 0)
			marked = 0;
		if (marked) {
			for (size_t k = 0; k < a.nbad; k++)
				why_add(why, sizeof why, a.bad[k]);
			rc = lesson_mark_file(marks, m.result, m.ex, m.nex, &a, &d);
			lesson_answer_file_free(&a);
			if (rc != DV_OK) {
				fprintf(stderr, "verify: error: %s\n", d.message);
				rc = EXIT_USAGE;
				break;
			}
		}
		for (size_t k = 0; k < m.nex; k++)
			total += marked && marks[k].answered && marks[k].how.correct;
		clean_text(clean_why, sizeof clean_why, why);
		clean_text(clean_student, sizeof clean_student, sub->student);
		if (ca.csv_long) {
			/* one row an answer: its mark and why */
			for (size_t k = 0; marked && k < m.nex; k++) {
				char reason[600];
				mark_reason(reason, sizeof reason, &marks[k], m.result);
				csv_field(stdout, clean_student);
				fputc(',', stdout);
				csv_field(stdout, m.ex[k]->ex_id);
				fputs(!marks[k].answered      ? ","
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
		} else if (ca.csv) {
			csv_field(stdout, clean_student);
			/* 1 right, 0 wrong, empty not answered (or not marked) */
			for (size_t k = 0; k < m.nex; k++)
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
			for (size_t k = 0; marked && k < m.nex; k++) {
				char reason[600];
				if (!marks[k].answered)
					cJSON_AddNullToObject(ans, m.ex[k]->ex_id);
				else
					cJSON_AddBoolToObject(ans, m.ex[k]->ex_id,
					                      marks[k].how.correct);
				mark_reason(reason, sizeof reason, &marks[k], m.result);
				cJSON_AddStringToObject(reasons, m.ex[k]->ex_id, reason);
			}
			cJSON_AddNumberToObject(row, "total", (double)total);
			if (clean_why[0] != '\0')
				cJSON_AddStringToObject(row, "error", clean_why);
			cJSON_AddItemToArray(students, row);
		}
		lesson_marks_free(marks, m.nex);
		if (clean_why[0] != '\0')
			skipped(sub->file, clean_why);
	}
	if (root != NULL && rc == EXIT_OK) {
		char *text = cJSON_Print(root);
		if (text != NULL)
			printf("%s\n", text);
		cJSON_free(text);
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

/* ---- verify progress, verify reset ------------------------------------------------ */

int cmd_progress(int argc, char **argv)
{
	const char *student = NULL;
	progress *pg = NULL;

	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r = option_value("--student", argc, argv, &i, &v);
		if (r > 0 && progress_valid_student(v))
			student = v;
		else if (r != 0)
			return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
		else
			return usage_error("progress: unexpected '%s'", argv[i]);
	}
	if (open_progress(&pg, student) != EXIT_OK)
		return EXIT_USAGE;
	if (pg->n == 0)
		printf("no exercises tried yet%s%s (verify exercise LESSON)\n",
		       student ? " by " : "", student ? student : "");
	for (size_t i = 0; i < pg->n; i++) {
		const progress_item *x = &pg->items[i];
		printf("%-18s %-14s %-9s %d attempt%s, %d hint%s\n", x->lesson, x->id,
		       x->solved    ? "solved"
		       : x->gave_up ? "gave up"
		                    : "open",
		       x->attempts, x->attempts == 1 ? "" : "s", x->hints,
		       x->hints == 1 ? "" : "s");
	}
	progress_free(pg);
	return EXIT_OK;
}

int cmd_reset(int argc, char **argv)
{
	static const char *const allowed[] = {"--student", "--yes", NULL};
	common_args ca = {.seed = 1};
	progress *pg = NULL;
	size_t gone;
	dv_diag d;
	int rc;

	if ((rc = parse_common(&ca, argc, argv, "reset", allowed)) != EXIT_OK)
		return rc;
	dv_diag_clear(&d);
	{
		/* a lesson that is not there is a mistyped name (its saved
		 * progress, if any, can still be forgotten) */
		char *path = NULL;
		if (lesson_library_find(&path, ca.lesson, &d) != DV_OK) {
			progress *look = NULL;
			size_t held = 0;
			if (open_progress(&look, ca.student) == EXIT_OK)
				held = progress_reset(look, ca.lesson);
			progress_free(look);
			if (held == 0) {
				fprintf(stderr, "verify: error: %s\n", d.message);
				return EXIT_USAGE;
			}
			dv_diag_clear(&d);
		}
		free(path);
	}
	if (!ca.yes) {
		char answer[16] = "";
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr,
			        "verify: error: reset asks before it forgets; without a "
			        "terminal, add --yes\n");
			return EXIT_USAGE;
		}
		printf("Forget your answers to %s? [y/N] ", ca.lesson);
		fflush(stdout);
		if (fgets(answer, sizeof answer, stdin) == NULL ||
		    (answer[0] != 'y' && answer[0] != 'Y')) {
			printf("nothing changed\n");
			return EXIT_OK;
		}
	}
	if (open_progress(&pg, ca.student) != EXIT_OK)
		return EXIT_USAGE;
	gone = progress_reset(pg, ca.lesson);
	if (progress_save(pg, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		progress_free(pg);
		return EXIT_USAGE;
	}
	printf("%s: %zu exercise record%s forgotten\n", ca.lesson, gone,
	       gone == 1 ? "" : "s");
	progress_free(pg);
	return EXIT_OK;
}
