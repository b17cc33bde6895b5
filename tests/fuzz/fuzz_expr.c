/*
 * libFuzzer harness of the expression language: the input is parsed and
 * evaluated over numbers and over symbols, and every result printed in
 * every style.  Any input must end in a value or one clear error, and a
 * tree printed back as source must read back as itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "expr/eval.h"
#include "expr/parser.h"
#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bind(dv_env *env, const char *name, const char *src)
{
	dv_value v;
	dv_diag d;
	dv_diag_clear(&d);
	if (dv_eval_string(&v, src, env, &d) == DV_OK && v.kind == DV_V_MAT)
		dv_env_bind(env, name, v.mat, &d);
	else
		dv_value_clear(&v);
}

static void print_all(const dv_value *v)
{
	static const sym_style styles[] = {SYM_ASCII, SYM_UNICODE, SYM_LATEX};
	const dv_mat *ms[2] = {v->mat, v->mat2};
	for (size_t k = 0; k < 2; k++) {
		if (ms[k] == NULL || dv_mat_len(ms[k]) > 4096)
			continue;
		for (size_t s = 0; s < 3; s++) {
			dv_strbuf b;
			dv_strbuf_init(&b);
			dv_put_table(&b, ms[k], "A", styles[s], NULL, "");
			dv_strbuf_free(&b);
		}
	}
}

/* A tree printed back as source (dv_node_source) reads back as a tree
 * that prints the same: the printer drops only parentheses that carry
 * nothing. */
static void source_round_trip(const char *src)
{
	dv_node *n = NULL, *again = NULL;
	dv_strbuf a, b;
	dv_diag d;
	dv_diag_clear(&d);
	if (dv_parse(&n, src, &d) != DV_OK)
		return;
	dv_strbuf_init(&a);
	dv_strbuf_init(&b);
	dv_node_source(&a, n);
	if (!a.failed && a.s != NULL) {
		if (dv_parse(&again, a.s, &d) != DV_OK) {
			/* deeper than the parser nests is the one honest refusal */
			if (d.code != DV_E_LIMIT)
				abort();
		} else {
			dv_node_source(&b, again);
			if (!b.failed && (b.s == NULL || strcmp(a.s, b.s) != 0))
				abort();
		}
	}
	dv_strbuf_free(&a);
	dv_strbuf_free(&b);
	dv_node_free(n);
	dv_node_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	int numbers;

	if (src == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	gsl_set_error_handler_off();
	source_round_trip(src);
	for (numbers = 0; numbers < 2; numbers++) {
		dv_env *env = NULL;
		dv_value v;
		dv_diag d;
		dv_diag_clear(&d);
		if (dv_env_new(&env, 1, &d) != DV_OK)
			break;
		if (numbers) {
			bind(env, "X", "randn(4, 5)");
			bind(env, "K", "randn(2, 3)");
			bind(env, "D", "randn(3, 3)");
		} else {
			bind(env, "X", "sym(3, 3, 'x')");
			bind(env, "K", "sym(2, 2, 'k')");
			bind(env, "D", "sym(2, 2, 'd')");
		}
		if (dv_eval_string(&v, src, env, &d) == DV_OK) {
			print_all(&v);
			dv_value_clear(&v);
		} else if (d.message[0] == '\0') {
			abort(); /* an error must say what it is */
		}
		dv_env_free(env);
	}
	free(src);
	return 0;
}
