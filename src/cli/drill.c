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

/* ---- verify drill -------------------------------------------------------------- */

typedef struct drill {
	size_t lesson; /* in the library's list */
	const lesson_action *ex;
} drill;

/* A step of the library's lessons as its numbers show it: "the step gives". */
static void put_side(dv_strbuf *b, lesson_result *r, const dv_node *side,
                     const char *text, const char *what, int unicode)
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

static void put_drill(dv_strbuf *b, lesson_result *r, const drill *dr, size_t k,
                      int unicode)
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

	emit_wrap = 1; /* prose wrapped at a terminal's width */

	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s",
				                   PROGRESS_STUDENT_RULE);
			student = v;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &seed) != 0)
				return usage_error(
				        "--seed needs a whole number from 0 to "
				        "4294967295");
			seed_given = 1;
		} else if ((r = option_value("--count", argc, argv, &i, &v)) != 0) {
			unsigned long c;
			if (r < 0 || parse_seed(v, &c) != 0 || c < 1 || c > 10000)
				return usage_error(
				        "--count needs a whole number from 1 to "
				        "10000");
			count = (size_t)c;
		} else {
			return usage_error(
			        "drill: unexpected '%s' (drill takes --student, "
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
	if (rc == EXIT_OK &&
	    (results == NULL || practice_open(&pr, student) != EXIT_OK)) {
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
	dv_strbuf_printf(
	        &b,
	        "drill: %zu classic mistakes%s%s, on your own numbers. Name each "
	        "one, or write the right side its step needs; ? gives a hint, "
	        "giveup the answer, skip the next%s.\n",
	        ndrills, student != NULL ? " for " : "", student != NULL ? student : "",
	        count == 0 ? ", and the end of input stops" : "");
	if (emit(stdout, &b) != 0)
		rc = EXIT_USAGE;
	for (size_t k = 0; rc == EXIT_OK && (count == 0 || k < count); k++) {
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
			lesson_opts o = {seed, NULL, 0, 1, NULL};
			if (lesson_run(&results[dr->lesson], l, &o, &d) != DV_OK) {
				fprintf(stderr, "verify: error: %s: %s\n", l->name,
				        d.message);
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
		if (emit(stdout, &b) != 0) {
			rc = EXIT_USAGE;
			break;
		}
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
