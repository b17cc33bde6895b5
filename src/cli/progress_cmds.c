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
