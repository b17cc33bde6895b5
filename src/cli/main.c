/*
 * verify: the command line.  Parses arguments, asks the engine, renders.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/print.h"
#include "core/diag.h"
#include "expr/eval.h"

#ifndef VERIFY_VERSION
#define VERIFY_VERSION "unknown"
#endif

/* Exit statuses: every check as expected / a check came out otherwise / bad input. */
enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: verify eval EXPR [--let NAME=VALUE]... [--symbolic] [--seed N]\n"
	"                        [--format text|json|latex|markdown] [--name NAME] [--ascii]\n"
	"       verify --help | --version\n";

static void print_help(void)
{
	const dv_function_info *fn = dv_eval_functions();

	fputs(usage_text, stdout);
	fputs("\n"
	      "verify checks the backpropagation derivation of a convolutional\n"
	      "network, formula by formula, on small matrices.\n"
	      "\n"
	      "Commands:\n"
	      "  eval EXPR        evaluate one expression and print the result\n"
	      "\n"
	      "Options of eval:\n"
	      "  --let NAME=VALUE bind NAME to the value of an expression, e.g.\n"
	      "                   --let X='[1 2 3; 4 5 6; 7 8 9]' or --let X='rand(3,4)';\n"
	      "                   later --let values may use earlier names\n"
	      "  --symbolic       replace the numbers of every --let by symbols named\n"
	      "                   after it (X becomes x11, x12, ...) and print tables\n"
	      "  --seed N         seed of rand() and randn() (default 1)\n"
	      "  --format F       text (default), json, latex or markdown\n"
	      "  --name NAME      how a symbolic table names its entries (default a:\n"
	      "                   a11 = x11k22 + ...)\n"
	      "  --ascii          plain ASCII tables even on a UTF-8 terminal\n"
	      "\n"
	      "Expressions: numbers, [1 2; 3 4], names, + - * / .* (or \xe2\x88\x98) .^ ^,\n"
	      "A' (transpose), parentheses and these functions:\n",
	      stdout);
	for (; fn->name != NULL; fn++)
		printf("  %-24s %s\n", fn->name, fn->summary);
	fputs("\n"
	      "Exit status: 0 success, 1 an equal(A, B) that does not hold,\n"
	      "2 bad input or usage.\n",
	      stdout);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("verify: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

typedef struct eval_args {
	const char *expr;
	const char **lets; /* "NAME=VALUE" */
	size_t nlets;
	unsigned long seed;
	int symbolic;
	dv_print_opts print;
} eval_args;

/*
 * Takes the value of option `name` from `--name=value` or `--name value`.
 * Returns 1 if argv[*i] is that option, 0 if not, -1 if its value is missing.
 */
static int option_value(const char *name, int argc, char **argv, int *i,
			const char **value)
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

static int parse_seed(const char *s, unsigned long *out)
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
				return usage_error("--let needs NAME=VALUE but found '%s'", v);
			ea->lets[ea->nlets++] = v;
		} else if ((r = option_value("--seed", argc, argv, &i, &v)) != 0) {
			if (r < 0 || parse_seed(v, &ea->seed) != 0)
				return usage_error("--seed needs a whole number from 0 to "
						   "4294967295%s%s%s",
						   r < 0 ? "" : " but found '", r < 0 ? "" : v,
						   r < 0 ? "" : "'");
		} else if ((r = option_value("--format", argc, argv, &i, &v)) != 0) {
			static const char *const names[] = {"text", "json", "latex",
							    "markdown"};
			size_t k = 0;
			while (r > 0 && k < 4 && strcmp(v, names[k]) != 0)
				k++;
			if (r < 0 || k == 4)
				return usage_error("--format must be text, json, latex or "
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

/* Whether the locale's characters are UTF-8, so that δ and ₁₁ can be shown. */
static int utf8_terminal(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

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
			fprintf(stderr, "verify: error: --let name '%.*s...' is too long\n",
				32, ea.lets[i]);
			goto out;
		}
		memcpy(name, ea.lets[i], n);
		name[n] = '\0';
		snprintf(source, sizeof source, "--let %s", name);
		if (dv_eval_string(&v, eq + 1, env, &d) != DV_OK) {
			dv_print_diag(stderr, source, eq + 1, &d);
			goto out;
		}
		if (v.kind != DV_V_MAT) {
			fprintf(stderr, "verify: error: --let %s: expected a matrix but "
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
	if (dv_eval_string(&result, ea.expr, env, &d) != DV_OK) {
		dv_print_diag(stderr, "expression", ea.expr, &d);
		goto out;
	}
	if (result.kind == DV_V_STR) {
		fprintf(stderr, "verify: error: the expression is the string '%s', not a "
				"matrix\n",
			result.str);
		goto out;
	}
	if (dv_print_value(stdout, &result, &ea.print) != DV_OK) {
		fputs("verify: error: out of memory\n", stderr);
		goto out;
	}
	status = result.kind == DV_V_CHECK && !result.check.holds ? EXIT_CHECK : EXIT_OK;
out:
	dv_value_clear(&result);
	dv_env_free(env);
	free(ea.lets);
	return status;
}

int main(int argc, char **argv)
{
	/* Only the character type: numbers are read and printed with '.'. */
	setlocale(LC_CTYPE, "");
	gsl_set_error_handler_off();
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
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
	if (argv[1][0] == '-')
		return usage_error("unknown option '%s'", argv[1]);
	return usage_error("unknown command '%s'", argv[1]);
}
