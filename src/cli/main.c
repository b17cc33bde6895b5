/*
 * verify: the command line.  Parses arguments, asks the engine, renders.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/args.h"
#include "cli/classroom.h"
#include "cli/notes_cmd.h"
#include "cli/print.h"
#include "cli/report.h"
#include "core/diag.h"
#include "core/strbuf.h"
#include "expr/eval.h"
#include "lesson/library.h"
#include "lesson/progress.h"
#include "lesson/run.h"
#include "tui/term.h"

#ifndef VERIFY_VERSION
#define VERIFY_VERSION "unknown"
#endif

/* Exit statuses: every check as expected / a check came out otherwise / bad input. */

static const char usage_text[] =
        "usage: verify [tutor [LESSON | --lesson-file PATH | --notes FILE.md]\n"
        "                     [--seed N | --student ID]]   (the tutorial)\n"
        "       verify --lesson NAME | --all | --lesson-file PATH | --list\n"
        "              [--seed N] [--size NAME=RxC]... [--format "
        "text|json|tap|markdown|html]\n"
        "              [--no-color]\n"
        "       verify eval EXPR [--let NAME=VALUE]... [--symbolic] [--seed N | "
        "--student ID]\n"
        "                        [--format text|json|latex|markdown] [--name NAME] "
        "[--ascii]\n"
        "       verify notes FILE.md [--context FILE] [--format text|json|markdown|html|lesson] [--seed N]\n"
        "       verify --help | --version\n";

static void print_help(void)
{
	const dv_function_info *fn = dv_eval_functions();

	fputs(usage_text, stdout);
	fputs("\n"
	      "verify checks the backpropagation derivation of a convolutional\n"
	      "network, formula by formula, on small matrices.\n"
	      "\n"
	      "With no arguments, or with tutor, verify opens the interactive\n"
	      "tutorial on the terminal: the lessons, their tables and checks, and\n"
	      "which entries feed the one under the cursor (? shows the keys).\n"
	      "tutor --notes FILE.md [--context FILE] shows a Markdown derivation\n"
	      "instead, checked, its formulas as the lessons' steps.\n"
	      "\n"
	      "Lessons:\n"
	      "  --list           the lessons, one line each, in the order of the notes\n"
	      "  --lesson NAME    run a lesson: its steps, tables, numbers and checks\n"
	      "  --all            run every lesson\n"
	      "  --lesson-file P  run the lesson in file P (a teacher's own)\n"
	      "  --seed N         seed of the random numbers (default 1)\n"
	      "  --student ID     a student's own numbers (the seed comes from the id)\n"
	      "  --size NAME=RxC  run with matrix NAME at another size (repeatable)\n"
	      "  --format F       text (default), json, tap, markdown or html\n"
	      "  --no-color       no colours (also when NO_COLOR is set or not a "
	      "terminal)\n"
	      "\n"
	      "Lesson files are looked for in $VERIFY_LESSONS, the source tree's\n"
	      "lessons/ and the installed share/verify/lessons.\n"
	      "\n"
	      "Commands:\n"
	      "  eval EXPR        evaluate one expression and print the result\n"
	      "  notes FILE.md [--context FILE] [--format text|json|markdown|html|lesson]\n"
	      "                   check a derivation written in Markdown with LaTeX,\n"
	      "                   formula by formula (- reads standard input)\n"
	      "  exercise LESSON [ID] [--student ID] [--list]\n"
	      "                   answer a lesson's exercises (or exercise ID only),\n"
	      "                   one line each (? a hint, giveup the answer, skip the\n"
	      "                   next); progress is saved; --list: their ids\n"
	      "  drill [--student ID] [--count N]\n"
	      "                   the classic mistakes, one wrong step at a time, on\n"
	      "                   your own numbers: name each or repair it (endless\n"
	      "                   without --count); progress is saved as for exercises\n"
	      "  check LESSON --answers FILE [--student ID] [--format text|json]\n"
	      "                   mark a file of 'EXERCISE: answer' lines\n"
	      "  grade LESSON DIR [--format csv|csv-long|json] [--jobs N] [--seconds S]\n"
	      "                   mark every student's file in DIR (its name is the\n"
	      "                   student's); csv-long: a row per answer, with why\n"
	      "  grade --notes DIR [--context FILE] [--format csv|json] [--jobs N]\n"
	      "        [--seconds S]\n"
	      "                   grade a class's derivations in Markdown, formula by\n"
	      "                   formula (one file a student); each student in a\n"
	      "                   worker of its own, N at once (the cores), at most S\n"
	      "                   seconds of CPU (30) and 1 GB each\n"
	      "                   (tutor, exercise, check and grade take --lesson-file\n"
	      "                   for a lesson of one's own instead of LESSON)\n"
	      "  progress [--student ID]     what has been solved\n"
	      "  reset LESSON [--student ID] [--yes]   start a lesson's exercises over\n"
	      "\n"
	      "Options of eval:\n"
	      "  --let NAME=VALUE bind NAME to the value of an expression, e.g.\n"
	      "                   --let X='[1 2 3; 4 5 6; 7 8 9]' or --let "
	      "X='rand(3,4)';\n"
	      "                   later --let values may use earlier names\n"
	      "  --symbolic       replace the numbers of every --let by symbols named\n"
	      "                   after it (X becomes x11, x12, ...) and print tables\n"
	      "  --seed N         seed of rand() and randn() (default 1)\n"
	      "  --format F       text (default), json, latex or markdown\n"
	      "  --name NAME      how a symbolic table names its entries (default a:\n"
	      "                   a11 = x11k22 + ...)\n"
	      "  --ascii          plain ASCII tables even on a UTF-8 terminal\n"
	      "\n"
	      "Expressions: numbers, [1 2; 3 4], names, + - * / .* (or \xe2\x88\x98) .^ "
	      "^,\n"
	      "A' (transpose), parentheses and these functions:\n",
	      stdout);
	for (; fn->name != NULL; fn++)
		printf("  %-24s %s\n", fn->name, fn->summary);
	fputs("\n"
	      "Exit status: 0 success (every check as the lesson says), 1 a check\n"
	      "that came out otherwise (or an equal(A, B) that does not hold),\n"
	      "2 bad input or usage.\n",
	      stdout);
}

typedef struct eval_args {
	const char *expr;
	const char **lets; /* "NAME=VALUE" */
	size_t nlets;
	unsigned long seed;
	int symbolic;
	dv_print_opts print;
} eval_args;

static int valid_table_name(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return n > 0 && n < 16;
}

static int parse_eval_args(eval_args *ea, int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = option_value("--let", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error("--let needs NAME=VALUE");
			if (strchr(v, '=') == NULL || v[0] == '=')
				return usage_error(
				        "--let needs NAME=VALUE but found '%s'", v);
			ea->lets[ea->nlets++] = v;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &ea->seed) != 0)
				return usage_error(
				        "--seed needs a whole number from 0 to "
				        "4294967295%s%s%s",
				        r < 0 ? "" : " but found '", r < 0 ? "" : v,
				        r < 0 ? "" : "'");
		} else if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
			ea->seed = student_seed(v);
		} else if ((r = option_value("--format", argc, argv, &i, &v)) != 0) {
			static const char *const names[] = {"text", "json", "latex",
			                                    "markdown"};
			size_t k = 0;
			while (r > 0 && k < 4 && strcmp(v, names[k]) != 0)
				k++;
			if (r < 0 || k == 4)
				return usage_error(
				        "--format must be text, json, latex or "
				        "markdown");
			ea->print.format = (dv_format)k;
		} else if ((r = option_value("--name", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !valid_table_name(v))
				return usage_error("--name needs 1 to 15 letters");
			ea->print.name = v;
		} else if (strcmp(argv[i], "--symbolic") == 0) {
			ea->symbolic = 1;
		} else if (strcmp(argv[i], "--ascii") == 0) {
			ea->print.text_style = SYM_ASCII;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (ea->expr == NULL) {
			ea->expr = argv[i];
		} else {
			return usage_error("eval takes one expression; '%s' is a second "
			                   "(quote the whole expression)",
			                   argv[i]);
		}
	}
	if (ea->expr == NULL)
		return usage_error("eval needs an expression");
	return EXIT_OK;
}

/* On the command line, an unknown name is bound with --let: say so. */
static void add_let_hint(dv_diag *d)
{
	size_t n = strlen(d->message);
	/* not where the message already has a hint of its own */
	if (d->code != DV_E_NAME || d->name[0] == '\0' || n == 0 || d->message[n - 1] != '\'')
		return;
	snprintf(d->message + n, sizeof d->message - n, " (bind it with --let %s=...)",
	         d->name);
}

/* Why a number may have no error bound. */
#define UNBOUNDED_WHY                                                          \
	"a kink of relu or max pooling, a pole or an overflow lies within the " \
	"finite-difference step"

static int cmd_eval(int argc, char **argv)
{
	eval_args ea = {NULL, NULL, 0, 1, 0, {DV_FORMAT_TEXT, SYM_UNICODE, "a", NULL}};
	dv_env *env = NULL;
	dv_value result = {0};
	dv_diag d;
	int status;

	dv_diag_clear(&d);
	ea.lets = calloc((size_t)argc, sizeof *ea.lets);
	if (ea.lets == NULL) {
		fputs("verify: error: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	if (!utf8_terminal())
		ea.print.text_style = SYM_ASCII;
	if ((status = parse_eval_args(&ea, argc, argv)) != EXIT_OK)
		goto out;
	ea.print.source = ea.expr;
	status = EXIT_USAGE;
	if (dv_env_new(&env, ea.seed, &d) != DV_OK) {
		dv_print_diag(stderr, NULL, NULL, &d);
		goto out;
	}
	for (size_t i = 0; i < ea.nlets; i++) {
		const char *eq = strchr(ea.lets[i], '=');
		char name[128], source[160];
		dv_value v = {0};
		size_t n = (size_t)(eq - ea.lets[i]);
		if (n >= sizeof name) {
			fprintf(stderr,
			        "verify: error: --let name '%.*s...' is too long\n", 32,
			        ea.lets[i]);
			goto out;
		}
		memcpy(name, ea.lets[i], n);
		name[n] = '\0';
		snprintf(source, sizeof source, "--let %s", name);
		if (dv_eval_string(&v, eq + 1, env, &d) != DV_OK) {
			add_let_hint(&d);
			dv_print_diag(stderr, source, eq + 1, &d);
			goto out;
		}
		if (v.kind != DV_V_MAT) {
			fprintf(stderr,
			        "verify: error: --let %s: expected a matrix but "
			        "found a string\n",
			        name);
			dv_value_clear(&v);
			goto out;
		}
		if (dv_env_bind(env, name, v.mat, &d) != DV_OK ||
		    (ea.symbolic && dv_mat_is_double(dv_env_lookup(env, name)) &&
		     dv_env_symbolize(env, name, &d) != DV_OK)) {
			fprintf(stderr, "verify: error: --let %s: %s\n", name, d.message);
			goto out;
		}
	}
	if (ea.symbolic && dv_env_make_exact(env, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		goto out;
	}
	if (dv_eval_string(&result, ea.expr, env, &d) != DV_OK) {
		add_let_hint(&d);
		dv_print_diag(stderr, "expression", ea.expr, &d);
		goto out;
	}
	if (result.kind == DV_V_STR) {
		fprintf(stderr,
		        "verify: error: the expression is the string '%s', not a "
		        "matrix\n",
		        result.str);
		goto out;
	}
	if (dv_print_value(stdout, &result, &ea.print) != DV_OK) {
		fputs("verify: error: out of memory\n", stderr);
		goto out;
	}
	if (result.kind == DV_V_MAT && dv_mat_is_double(result.mat)) {
		/* numbers printed without a bound behind them say so */
		size_t n = 0, first = 0;
		for (size_t i = dv_mat_len(result.mat); i-- > 0;)
			if (!isfinite(dv_mat_bound_at(result.mat, i))) {
				n++;
				first = i;
			}
		if (n == 1)
			fprintf(stderr,
			        "verify: note: entry (%zu,%zu) has no error bound (%s): it "
			        "is not to be trusted\n",
			        first / result.mat->cols + 1, first % result.mat->cols + 1,
			        UNBOUNDED_WHY);
		else if (n > 1)
			fprintf(stderr,
			        "verify: note: %zu entries, the first (%zu,%zu), have no "
			        "error bound (%s): they are not to be trusted\n",
			        n, first / result.mat->cols + 1,
			        first % result.mat->cols + 1, UNBOUNDED_WHY);
	}
	status = result.kind == DV_V_CHECK && !result.check.holds ? EXIT_CHECK : EXIT_OK;
out:
	dv_value_clear(&result);
	dv_env_free(env);
	free(ea.lets);
	return status;
}

/* ---- lessons ----------------------------------------------------------- */

typedef enum lesson_mode {
	MODE_NONE,
	MODE_LIST,
	MODE_LESSON,
	MODE_ALL,
	MODE_FILE
} lesson_mode;

typedef struct lesson_args {
	lesson_mode mode;
	const char *target; /* the lesson's name or file */
	const char *student;
	int seed_given;
	unsigned long seed;
	lesson_size *sizes;
	size_t nsizes;
	dv_format format;
	int no_color;
} lesson_args;

static int parse_size_arg(lesson_size *s, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;
	unsigned long r, c;
	if (eq == NULL || eq == arg)
		return -1;
	errno = 0;
	r = strtoul(eq + 1, &end, 10);
	if (end == eq + 1 || *end != 'x' || eq[1] == '-')
		return -1;
	c = strtoul(end + 1, &end, 10);
	if (*end != '\0' || errno != 0 || r < 1 || c < 1 || r > 64 || c > 64 ||
	    end[-1] == 'x')
		return -1;
	s->name = arg;
	s->rows = r;
	s->cols = c;
	return (int)(eq - arg);
}

static int parse_lesson_args(lesson_args *la, int argc, char **argv, char **names)
{
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		lesson_mode m = MODE_NONE;
		if (strcmp(argv[i], "--list") == 0) {
			m = MODE_LIST;
		} else if (strcmp(argv[i], "--all") == 0) {
			m = MODE_ALL;
		} else if ((r = option_value("--lesson-file", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error("--lesson-file needs a path");
			m = MODE_FILE;
		} else if ((r = option_value("--lesson", argc, argv, &i, &v)) != 0) {
			if (r < 0)
				return usage_error(
				        "--lesson needs a lesson's name (see --list)");
			m = MODE_LESSON;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &la->seed) != 0)
				return usage_error(
				        "--seed needs a whole number from 0 to "
				        "4294967295%s%s%s",
				        r < 0 ? "" : " but found '", r < 0 ? "" : v,
				        r < 0 ? "" : "'");
			la->seed_given = 1;
		} else if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
			la->student = v;
		} else if ((r = option_value("--size", argc, argv, &i, &v)) != 0) {
			int n = r < 0 ? -1 : parse_size_arg(&la->sizes[la->nsizes], v);
			if (n <= 0)
				return usage_error(
				        "--size needs NAME=RxC with R and C from 1 "
				        "to 64%s%s%s",
				        r < 0 ? "" : " but found '", r < 0 ? "" : v,
				        r < 0 ? "" : "'");
			names[la->nsizes] = strndup(v, (size_t)n);
			if (names[la->nsizes] == NULL)
				return usage_error("out of memory");
			la->sizes[la->nsizes].name = names[la->nsizes];
			la->nsizes++;
		} else if ((r = option_value("--format", argc, argv, &i, &v)) != 0) {
			if (r > 0 && strcmp(v, "text") == 0)
				la->format = DV_FORMAT_TEXT;
			else if (r > 0 && strcmp(v, "json") == 0)
				la->format = DV_FORMAT_JSON;
			else if (r > 0 && strcmp(v, "tap") == 0)
				la->format = DV_FORMAT_TAP;
			else if (r > 0 && strcmp(v, "markdown") == 0)
				la->format = DV_FORMAT_MARKDOWN;
			else if (r > 0 && strcmp(v, "html") == 0)
				la->format = DV_FORMAT_HTML;
			else
				return usage_error("--format must be text, json, tap, "
				                   "markdown or html");
		} else if (strcmp(argv[i], "--no-color") == 0) {
			la->no_color = 1;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option '%s'", argv[i]);
		} else {
			return usage_error(
			        "unexpected '%s' (a lesson is run with --lesson "
			        "NAME)",
			        argv[i]);
		}
		if (m != MODE_NONE) {
			if (la->mode != MODE_NONE)
				return usage_error(
				        "give one of --list, --lesson, --all and "
				        "--lesson-file");
			la->mode = m;
			la->target = v;
		}
	}
	if (la->mode == MODE_NONE)
		return usage_error("nothing to do: give --lesson NAME, --all, --list or "
		                   "a command");
	if (la->student != NULL) {
		if (la->seed_given)
			return usage_error(
			        "give --seed or --student, not both: a student's "
			        "numbers come from the id");
		la->seed = student_seed(la->student);
	}
	return EXIT_OK;
}

static int cmd_list(void)
{
	lesson_entry *list = NULL;
	size_t n = 0;
	dv_diag d;
	int status = EXIT_OK;

	dv_diag_clear(&d);
	if (lesson_library_list(&list, &n, &d) != DV_OK) {
		dv_print_diag(stderr, NULL, NULL, &d);
		return EXIT_USAGE;
	}
	if (n == 0) {
		fputs("verify: error: no lessons found (set VERIFY_LESSONS to their "
		      "folder)\n",
		      stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		if (list[i].lesson == NULL) {
			printf("%-18s (cannot be read: %s)\n", list[i].name,
			       list[i].errors.n > 0 ? list[i].errors.items[0].message
			                            : "");
			status = EXIT_USAGE;
		} else {
			printf("%-18s %s\n", list[i].name, list[i].lesson->title);
		}
	}
	lesson_library_free(list, n);
	return status;
}

/*
 * Runs the lessons at paths and reports them; returns the exit status.
 * given[i], if not NULL, is lesson i already read (taken): --all has read
 * every lesson to put them in order.
 */
static int run_lessons(char **paths, size_t n, const lesson_args *la, lesson **given)
{
	lesson **ls = calloc(n, sizeof *ls);
	lesson_result **rs = calloc(n, sizeof *rs);
	lesson_opts lo = {la->seed, la->sizes, la->nsizes, 0, NULL};
	dv_report_opts ro = {0, utf8_terminal(), 1, 0, NULL, NULL, NULL};
	int status = EXIT_OK;
	size_t ran = 0;

	if (ls == NULL || rs == NULL) {
		free(ls);
		free(rs);
		fputs("verify: error: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	ro.color = !la->no_color && getenv("NO_COLOR") == NULL && isatty(STDOUT_FILENO);
	if (la->mode == MODE_FILE && n == 1)
		ro.lesson_file = paths[0];
	for (size_t i = 0; i < n && status != EXIT_USAGE; i++) {
		lesson_errors errs;
		dv_diag d;
		int rc;
		dv_diag_clear(&d);
		if (given != NULL && given[i] != NULL) {
			ls[i] = given[i];
			given[i] = NULL;
		} else if ((rc = lesson_load(&ls[i], paths[i], &errs)) != DV_OK) {
			/* with the errors that running what reads would find */
			if (rc == DV_E_SYNTAX)
				lesson_more_errors(paths[i], &errs, &lo);
			print_lesson_errors(paths[i], &errs);
			status = EXIT_USAGE;
			break;
		}
		errs.n = 0;
		lo.errors = &errs; /* a step's errors all at once */
		if (lesson_run(&rs[i], ls[i], &lo, &d) != DV_OK) {
			if (errs.n > 1)
				print_lesson_errors(paths[i], &errs);
			else if (d.line > 0)
				dv_print_diag(stderr, paths[i], ls[i]->text, &d);
			else
				fprintf(stderr, "verify: error: %s: %s\n", ls[i]->name,
				        d.message);
			status = EXIT_USAGE;
			break;
		}
		ran++;
		if (rs[i]->npassed != rs[i]->nchecks)
			status = EXIT_CHECK;
	}
	if (status != EXIT_USAGE) {
		if (la->format == DV_FORMAT_TAP) {
			dv_report_tap(stdout, rs, ran);
		} else if (la->format == DV_FORMAT_HTML) {
			dv_diag hd;
			dv_diag_clear(&hd);
			if (dv_report_html(stdout, rs, ran, &hd) != DV_OK) {
				fprintf(stderr, "verify: error: %s\n", hd.message);
				status = EXIT_USAGE;
			}
		} else if (la->format == DV_FORMAT_JSON) {
			cJSON *root =
			        n == 1 ? dv_report_json(rs[0]) : cJSON_CreateObject();
			char *text;
			if (n != 1 && root != NULL) {
				cJSON *arr = cJSON_AddArrayToObject(root, "lessons");
				size_t checks = 0, passed = 0;
				for (size_t i = 0; arr != NULL && i < ran; i++) {
					cJSON_AddItemToArray(arr, dv_report_json(rs[i]));
					checks += rs[i]->nchecks;
					passed += rs[i]->npassed;
				}
				cJSON_AddNumberToObject(root, "checks", (double)checks);
				cJSON_AddNumberToObject(root, "passed", (double)passed);
				cJSON_AddBoolToObject(root, "ok", checks == passed);
			}
			text = root != NULL ? cJSON_Print(root) : NULL;
			if (text != NULL)
				printf("%s\n", text);
			else
				status = EXIT_USAGE;
			cJSON_free(text);
			cJSON_Delete(root);
		} else {
			size_t checks = 0, passed = 0;
			for (size_t i = 0; i < ran; i++) {
				if (i > 0)
					fputs(la->format == DV_FORMAT_MARKDOWN
					              ? "\n---\n\n"
					              : "\n",
					      stdout);
				if (la->format == DV_FORMAT_MARKDOWN)
					dv_report_markdown(stdout, rs[i]);
				else
					dv_report_text(stdout, rs[i], &ro);
				checks += rs[i]->nchecks;
				passed += rs[i]->npassed;
			}
			if (ran > 1 && la->format == DV_FORMAT_TEXT)
				printf("\nall lessons: %zu checks, %zu as the lessons "
				       "say\n",
				       checks, passed);
		}
	}
	for (size_t i = 0; i < n; i++) {
		lesson_result_free(rs[i]);
		lesson_free(ls[i]);
	}
	free(rs);
	free(ls);
	return status;
}

static int cmd_lessons(int argc, char **argv)
{
	lesson_args la = {MODE_NONE, NULL, NULL, 0, 1, NULL, 0, DV_FORMAT_TEXT, 0};
	char **names = calloc((size_t)argc, sizeof *names);
	char **paths = NULL;
	lesson **given = NULL;
	size_t npaths = 0;
	lesson_entry *list = NULL;
	size_t nlist = 0;
	dv_diag d;
	int status;

	dv_diag_clear(&d);
	la.sizes = calloc((size_t)argc, sizeof *la.sizes);
	if (names == NULL || la.sizes == NULL) {
		free(names);
		free(la.sizes);
		fputs("verify: error: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	if ((status = parse_lesson_args(&la, argc, argv, names)) != EXIT_OK)
		goto out;
	status = EXIT_USAGE;
	if (la.mode == MODE_LIST) {
		status = cmd_list();
		goto out;
	}
	if (la.mode == MODE_ALL) {
		if (lesson_library_list(&list, &nlist, &d) != DV_OK) {
			dv_print_diag(stderr, NULL, NULL, &d);
			goto out;
		}
		if (nlist == 0) {
			fputs("verify: error: no lessons found (set VERIFY_LESSONS to "
			      "their "
			      "folder)\n",
			      stderr);
			goto out;
		}
		paths = calloc(nlist, sizeof *paths);
		given = calloc(nlist, sizeof *given);
		if (paths == NULL || given == NULL)
			goto out;
		for (size_t i = 0; i < nlist; i++) {
			/* read once: the list's own parse is run (one with errors is
			 * read again, to report them) */
			given[npaths] = list[i].lesson;
			list[i].lesson = NULL;
			paths[npaths++] = strdup(list[i].path);
		}
	} else {
		char *path = NULL;
		if (la.mode == MODE_LESSON &&
		    lesson_library_find(&path, la.target, &d) != DV_OK) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			goto out;
		}
		paths = calloc(1, sizeof *paths);
		if (paths == NULL) {
			free(path);
			goto out;
		}
		paths[npaths++] = path != NULL ? path : strdup(la.target);
	}
	for (size_t i = 0; i < npaths; i++)
		if (paths[i] == NULL) {
			fputs("verify: error: out of memory\n", stderr);
			goto out;
		}
	status = run_lessons(paths, npaths, &la, given);
out:
	for (size_t i = 0; i < npaths; i++) {
		free(paths[i]);
		if (given != NULL)
			lesson_free(given[i]); /* those not run: an earlier one failed */
	}
	free(paths);
	free(given);
	lesson_library_free(list, nlist);
	for (size_t i = 0; i < la.nsizes; i++)
		free(names[i]);
	free(names);
	free(la.sizes);
	return status;
}

static int cmd_tutor(int argc, char **argv, int first)
{
	const char *name = NULL, *student = NULL, *notes = NULL, *context = NULL;
	const char *file = NULL;
	unsigned long seed = 1;
	dv_diag d;
	int rc;

	dv_diag_clear(&d);
	for (int i = first; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &seed) != 0)
				return usage_error(
				        "--seed needs a whole number from 0 to "
				        "4294967295");
		} else if ((r = option_value("--student", argc, argv, &i, &v)) != 0) {
			if (r < 0 || !progress_valid_student(v))
				return usage_error("--student needs %s", PROGRESS_STUDENT_RULE);
			seed = student_seed(v);
			student = v;
		} else if ((r = option_value("--notes", argc, argv, &i, &notes)) != 0) {
			if (r < 0)
				return usage_error("--notes needs a Markdown file");
		} else if ((r = option_value("--context", argc, argv, &i, &context)) != 0) {
			if (r < 0)
				return usage_error("--context needs a file");
		} else if ((r = option_value("--lesson-file", argc, argv, &i, &file)) != 0) {
			if (r < 0)
				return usage_error("--lesson-file needs a path");
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (name == NULL) {
			name = argv[i];
		} else {
			return usage_error("tutor takes one lesson, not '%s' too",
			                   argv[i]);
		}
	}
	if ((notes != NULL) + (name != NULL) + (file != NULL) > 1)
		return usage_error("tutor takes one of a lesson, --lesson-file PATH and "
		                   "--notes FILE.md");
	if (context != NULL && notes == NULL)
		return usage_error("--context belongs with --notes FILE.md");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("verify: error: the tutorial needs a terminal; without one, run a "
		      "lesson "
		      "with --lesson NAME\n",
		      stderr);
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (file != NULL) {
		/* a teacher's own lesson, opened at once */
		lesson_entry *one = calloc(1, sizeof *one);
		lesson_errors errs;
		if (one == NULL) {
			fputs("verify: error: out of memory\n", stderr);
			return EXIT_USAGE;
		}
		if (lesson_load(&one->lesson, file, &errs) != DV_OK) {
			print_lesson_errors(file, &errs);
			free(one);
			return EXIT_USAGE;
		}
		one->name = strdup(one->lesson->name);
		one->path = strdup(file);
		if (one->name == NULL || one->path == NULL) {
			lesson_library_free(one, 1);
			fputs("verify: error: out of memory\n", stderr);
			return EXIT_USAGE;
		}
		if (tui_run_lessons(one, 1, one->name, student, seed, utf8_terminal(), &d) !=
		    DV_OK) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
	if (notes != NULL) {
		/* the notes, checked, as lessons: the tutorial shows them */
		lesson_entry *list = NULL;
		size_t n = 0;
		if ((rc = notes_tutor_lessons(&list, &n, notes, context, seed)) != EXIT_OK)
			return rc;
		if (tui_run_lessons(list, n, NULL, student, seed, utf8_terminal(), &d) !=
		    DV_OK) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
	if (tui_run(name, student, seed, utf8_terminal(), &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int dispatch(int argc, char **argv);

/*
 * Every command's output goes to stdout; a write that failed (a full disk,
 * a closed pipe) must not pass for a result: exit 2 with an error.
 */
int main(int argc, char **argv)
{
	int rc;

	/* Only the character type: numbers are read and printed with '.'. */
	setlocale(LC_CTYPE, "");
	gsl_set_error_handler_off();
	rc = dispatch(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "verify: error: cannot write the output: %s\n",
		        strerror(errno != 0 ? errno : EIO));
		return EXIT_USAGE;
	}
	return rc;
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2)
		return cmd_tutor(argc, argv, 1);
	if (strcmp(argv[1], "tutor") == 0)
		return cmd_tutor(argc, argv, 2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help();
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("verify %s\n", VERIFY_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "eval") == 0)
		return cmd_eval(argc, argv);
	if (strcmp(argv[1], "notes") == 0)
		return cmd_notes(argc, argv);
	if (strcmp(argv[1], "exercise") == 0)
		return cmd_exercise(argc, argv);
	if (strcmp(argv[1], "drill") == 0)
		return cmd_drill(argc, argv);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(argv[1], "grade") == 0)
		return cmd_grade(argc, argv);
	if (strcmp(argv[1], "progress") == 0)
		return cmd_progress(argc, argv);
	if (strcmp(argv[1], "reset") == 0)
		return cmd_reset(argc, argv);
	if (argv[1][0] == '-')
		return cmd_lessons(argc, argv);
	{
		/* a lesson's name, or a command mistyped */
		static const char *const commands[] = {"tutor", "eval",     "exercise",
		                                       "check", "grade",    "progress",
		                                       "reset", "notes",    "drill"};
		char *path = NULL;
		dv_diag d;
		dv_diag_clear(&d);
		if (lesson_library_find(&path, argv[1], &d) == DV_OK) {
			free(path);
			return usage_error(
			        "unknown command '%s' (did you mean --lesson %s?)",
			        argv[1], argv[1]);
		}
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (dv_edit_distance(argv[1], commands[i]) <= 2)
				return usage_error(
				        "unknown command '%s' (did you mean '%s'?)",
				        argv[1], commands[i]);
	}
	return usage_error("unknown command '%s'", argv[1]);
}
