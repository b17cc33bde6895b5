#include "cli/classroom.h"
#include "cli/classroom_shared.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

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

/* Answers a lesson's history keeps, the newest. */
#define MAX_HISTORY 500

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
	if (progress_history_path(pr->history, sizeof pr->history, pr->student, name,
	                          &d) != DV_OK) {
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
/*
 * A line of f into *buf, without its newline, read in pieces: a line
 * longer than limit is read to its end but not kept (limit + 1 is
 * returned, the text dropped), so an endless line costs no memory.  -1 at
 * the end of input, or when out of memory (said on stderr).
 */
static ssize_t read_line_bounded(char **buf, size_t *cap, FILE *f, size_t limit)
{
	size_t n = 0;
	int c, any = 0, over = 0;

	while ((c = getc(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (over)
			continue;
		if (n == limit) {
			over = 1; /* the rest is read, and dropped */
			continue;
		}
		if (n + 2 > *cap) {
			size_t ncap = *cap < 256 ? 256 : *cap * 2;
			char *grown;
			if (ncap > limit + 2)
				ncap = limit + 2;
			if ((grown = realloc(*buf, ncap)) == NULL) {
				fputs("verify: error: out of memory reading an answer\n", stderr);
				return -1;
			}
			*buf = grown;
			*cap = ncap;
		}
		(*buf)[n++] = (char)c;
	}
	if (!any)
		return -1;
	if (*buf == NULL && (*buf = malloc(1)) == NULL) {
		fputs("verify: error: out of memory reading an answer\n", stderr);
		return -1;
	}
	(*buf)[over ? 0 : n] = '\0';
	return over ? (ssize_t)limit + 1 : (ssize_t)n;
}

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
			HIST_ENTRY *last =
			        history_length > 0
			                ? history_get(history_base + history_length - 1)
			                : NULL;
			if (last == NULL || strcmp(last->line, pr->line) != 0) {
				add_history(pr->line);
				if (pr->history[0] != '\0' &&
				    (append_history(1, pr->history) != 0 ||
				     history_truncate_file(pr->history, MAX_HISTORY) !=
				             0))
					pr->history[0] =
					        '\0'; /* not kept: no error for it */
			}
		}
		return (ssize_t)len;
	}
	n = read_line_bounded(&pr->line, &pr->cap, stdin, LESSON_MAX_ANSWERS_BYTES);
	while (n > 0 && (size_t)n <= LESSON_MAX_ANSWERS_BYTES &&
	       (pr->line[n - 1] == '\n' || pr->line[n - 1] == '\r'))
		pr->line[--n] = '\0';
	return n;
}

/*
 * Progress that cannot be read: practise all the same, unsaved.  Returns
 * EXIT_OK or EXIT_USAGE (out of memory).
 */
int practice_open(practice *pr, const char *student)
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
		fprintf(stderr,
		        "verify: the progress file was not readable; it is kept as %s\n",
		        kept);
	}
	free(kept);
	return EXIT_OK;
}

void practice_close(practice *pr)
{
	free(pr->line);
	progress_free(pr->pg);
}

/* The k of "#k" or "exercise k" (k >= 1), else 0. */
static long exercise_number(const char *s)
{
	char *end;
	long k;
	s += s[0] == '#' ? 1 : 9;
	k = strtol(s, &end, 10);
	return end != s && *end == '\0' && k >= 1 ? k : 0;
}

/*
 * Asks exercise ex of the lesson that ran as r until it is solved, given
 * up or skipped: ? a hint, giveup the answer, skip (or an empty line) the
 * next.  *eof at the end of the input.  Saves progress after each answer.
 * EXIT_OK, or EXIT_USAGE when the lesson itself cannot mark it.
 */
int practise(practice *pr, lesson *l, lesson_result *r, const lesson_action *ex,
             progress_item *it, int *eof, int *right)
{
	dv_strbuf b;
	dv_diag d;
	int done = 0, rc = EXIT_OK;

	dv_strbuf_init(&b);
	dv_diag_clear(&d);
	*eof = 0;
	*right = 0;
	pr->move = 0;
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
			dv_strbuf_printf(&b,
			                 "%s the answer is longer than an answer can be (64 "
			                 "KB)\n",
			                 pr->unicode ? "✗" : "FAIL");
			if (emit(stdout, &b) != 0) {
				rc = EXIT_USAGE;
				break;
			}
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
				dv_strbuf_puts(
				        &b,
				        ex->nhints == 0
				                ? "this exercise has no hints; giveup "
				                  "shows the answer\n"
				                : "no more hints; giveup shows the "
				                  "answer\n");
			}
		} else if (strcmp(pr->line, "giveup") == 0 ||
		           strcmp(pr->line, "give up") == 0) {
			if (dv_put_solution(&b, r, ex, pr->unicode) != 0)
				dv_strbuf_puts(&b, "(the answer cannot be shown)\n");
			if (!it->solved)
				it->gave_up = 1;
			done = 1;
		} else if (strcmp(pr->line, "skip") == 0 || strcmp(pr->line, "next") == 0 ||
		           pr->line[0] == '\0') {
			done = 1;
		} else if (strcmp(pr->line, "prev") == 0 || strcmp(pr->line, "back") == 0) {
			pr->move = -1;
			done = 1;
		} else if ((pr->line[0] == '#' || strncmp(pr->line, "exercise ", 9) == 0) &&
		           exercise_number(pr->line) != 0) {
			pr->move = exercise_number(pr->line);
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
		if (emit(stdout, &b) != 0) {
			rc = EXIT_USAGE;
			break;
		}
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

	emit_wrap = 1; /* prose wrapped at a terminal's width */

	if ((rc = parse_common(&ca, argc, argv, "exercise", allowed)) != EXIT_OK)
		return rc;
	if ((rc = marking_open(&m, &ca, ca.seed, 0)) != EXIT_OK)
		return rc;
	if (ca.list) {
		/* the ids, one a line, with the question: for completion too; the
		 * questions in one column, however long the ids */
		int width = 14;
		for (size_t k = 0; k < m.nex; k++)
			if ((int)strlen(m.ex[k]->ex_id) > width && strlen(m.ex[k]->ex_id) < 64)
				width = (int)strlen(m.ex[k]->ex_id);
		for (size_t k = 0; k < m.nex; k++) {
			dv_strbuf_printf(&b, "%-*s ", width, m.ex[k]->ex_id);
			dv_put_text(&b, m.ex[k]->ask, utf8_terminal());
			dv_strbuf_puts(&b, "\n");
		}
		emit(stdout, &b);
		marking_free(&m);
		return EXIT_OK;
	}
	if (ca.exercise != NULL) {
		for (only = 0;
		     only < m.nex && strcmp(m.ex[only]->ex_id, ca.exercise) != 0; only++)
			;
		if (only == m.nex) {
			const char *found =
			        lesson_nearest_exercise(m.ex, m.nex, ca.exercise);
			char name[64], near[64];
			snprintf(name, sizeof name, "%s", m.lesson->name);
			snprintf(near, sizeof near, "%s", found != NULL ? found : "");
			marking_free(&m);
			if (found != NULL)
				return usage_error(
				        "the lesson %s has no exercise '%s' (did "
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
	        "giveup shows the answer, skip goes on (prev goes back, #2 to the "
	        "second).\n",
	        m.lesson->name, m.nex, m.nex == 1 ? "" : "s",
	        ca.student != NULL ? " for " : "", ca.student != NULL ? ca.student : "");
	if (emit(stdout, &b) != 0)
		rc = EXIT_USAGE;
	for (size_t k = only != SIZE_MAX ? only : 0; k < m.nex && rc == EXIT_OK;) {
		const lesson_action *ex = m.ex[k];
		progress_item *it;
		int eof = 0;
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
		if (emit(stdout, &b) != 0) {
			rc = EXIT_USAGE;
			break;
		}
		int right;
		rc = practise(&pr, m.lesson, m.result, ex, it, &eof, &right);
		if (eof || only != SIZE_MAX)
			break;
		/* on to the next, or back, or to the one asked for by number */
		if (pr.move == 0) {
			k++;
		} else if (pr.move < 0 || (size_t)pr.move > m.nex) {
			if (pr.move > 0)
				dv_strbuf_printf(&b, "the lesson has %zu exercises: #1 to #%zu\n",
				                 m.nex, m.nex);
			else if (k == 0)
				dv_strbuf_puts(&b, "this is the first exercise\n");
			if (emit(stdout, &b) != 0)
				rc = EXIT_USAGE;
			k = pr.move < 0 && k > 0 ? k - 1 : k;
		} else {
			k = (size_t)pr.move - 1;
		}
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
			progress_item *it = progress_get(pr.pg, m.lesson->name,
			                                 m.ex[only]->ex_id, &d);
			int solved = it != NULL && it->solved;
			printf("\n%s: %s %s (%zu of %zu exercises solved)\n",
			       m.lesson->name, m.ex[only]->ex_id,
			       solved ? "solved" : "not solved", total, m.nex);
			rc = solved ? EXIT_OK : EXIT_CHECK;
		} else {
			printf("\n%s: %zu of %zu exercises solved\n", m.lesson->name,
			       total, m.nex);
			rc = total == m.nex ? EXIT_OK : EXIT_CHECK;
		}
	}
	practice_close(&pr);
	marking_free(&m);
	return rc;
}
