/*
 * eval: evaluates a syntax tree in an environment of named matrices.
 *
 * Every number is a matrix (a number is 1 x 1, as in Octave); strings only
 * appear as options of functions (conv(X, K, 'full')).  The functions are
 * listed in one table in eval.c; dv_eval_functions() exposes it for help
 * texts.
 *
 * Ownership: the environment owns the matrices bound in it; dv_eval hands
 * out a value the caller clears with dv_value_clear.
 */
#ifndef DV_EVAL_H
#define DV_EVAL_H

#include "core/diag.h"
#include "check/compare.h"
#include "core/mat.h"
#include "core/plan.h"

#include <gsl/gsl_rng.h>
#include "expr/parser.h"
#include "sym/ctx.h"

typedef enum dv_value_kind { DV_V_NONE, DV_V_MAT, DV_V_STR, DV_V_CHECK } dv_value_kind;

typedef struct dv_value {
	dv_value_kind kind;
	dv_mat *mat;  /* DV_V_MAT; DV_V_CHECK: the left side */
	dv_mat *mat2; /* DV_V_CHECK: the right side */
	char *str;
	dv_check check;
} dv_value;

void dv_value_clear(dv_value *v);

typedef struct dv_env dv_env;

/* An environment whose random numbers start from seed. */
int dv_env_new(dv_env **out, unsigned long seed, dv_diag *d);
void dv_env_free(dv_env *env);
/*
 * A copy of env whose numbers are in field f (an MPFR field: the same
 * numbers, to be computed again at higher precision), with the same
 * definitions and the same random numbers still to come.
 */
int dv_env_convert(dv_env **out, const dv_env *env, const dv_field *f, dv_diag *d);
/* Binds name to m, taking ownership of m (freed on failure too). */
int dv_env_bind(dv_env *env, const char *name, dv_mat *m, dv_diag *d);
/*
 * Binds name to an expression evaluated wherever the name is used, so that
 * it follows changes of the matrices it uses (a lesson's define).  The tree
 * is borrowed and must outlive env.
 */
int dv_env_define(dv_env *env, const char *name, const dv_node *tree, dv_diag *d);
/* The matrix bound to name, or NULL (also for a definition); borrowed. */
const dv_mat *dv_env_lookup(const dv_env *env, const char *name);
/*
 * The same, writable.  After numbers are changed in place, call
 * dv_env_changed before evaluating again: definitions' values are kept
 * until something they depend on changes.
 */
dv_mat *dv_env_lookup_mut(dv_env *env, const char *name);
void dv_env_changed(dv_env *env);
/*
 * The era of env: it moves on whenever anything a definition's value may
 * depend on changes (a binding, f, numbers changed in place, random
 * numbers drawn).
 */
unsigned long dv_env_era(const dv_env *env);
/*
 * Something worked out from the definition `name` at era (finite
 * differences of it, under the variable's name as key), kept with it
 * until the era moves on, as its value is.  dv_env_keep takes data, freed
 * with free_data (at once when it cannot be kept: era is past, or name is
 * not a definition); dv_env_kept returns it, borrowed, or NULL.
 */
void dv_env_keep(dv_env *env, const char *name, const char *key, unsigned long era,
                 void *data, void (*free_data)(void *));
const void *dv_env_kept(const dv_env *env, const char *name, const char *key);
/* The random numbers of env (rand, randn); borrowed.  Made on first use:
 * NULL when there is no memory for them. */
gsl_rng *dv_env_rng(dv_env *env);
/* What the notes' abstract f means on numbers (by default it has none). */
void dv_env_set_f(dv_env *env, dv_act act);
/*
 * Replaces the numbers bound to name by a matrix of symbols of the same
 * size, named by the name in lower case (X becomes x11, x12, ...).
 */
int dv_env_symbolize(dv_env *env, const char *name, dv_diag *d);
/*
 * Makes env exact: its literals are constants of the polynomial field poly
 * (as written: 0.1 is 1/10), so arithmetic on them is exact and no double
 * enters a symbolic result.  dv_env_make_exact uses env's own symbols.
 */
void dv_env_set_exact(dv_env *env, const dv_field *poly);
int dv_env_make_exact(dv_env *env, dv_diag *d);
/* The symbol table of env, made on first use; borrowed. */
int dv_env_symbols(sym_ctx **out, dv_env *env, dv_diag *d);

int dv_eval(dv_value *out, const dv_node *n, dv_env *env, dv_diag *d);
/* The same for what must be a matrix: a string or a check is an error. */
int dv_eval_mat(dv_mat **out, const dv_node *n, dv_env *env, dv_diag *d);

/* Parses and evaluates src; a numeric result must be finite. */
int dv_eval_string(dv_value *out, const char *src, dv_env *env, dv_diag *d);

/*
 * For the finite differences (fd.c), which recompute only what a moved
 * entry feeds, the evaluator's own definitions of its operations:
 *
 * the plan of a call with these argument values (NULL when the function is
 * not a plan-based operation; *by_numbers, one of the DV_BY_ below, says
 * whether numbers chose its terms, as max pooling's); a plan of shapes
 * alone is kept in env (if not NULL) and shared the next time the same
 * operation meets the same shapes: the caller frees its share with
 * dv_plan_free;
 */
enum {
	DV_BY_SHAPES = 0,        /* the operands' shapes only */
	DV_BY_OWN_NUMBERS = 1,   /* its operand's own numbers (max pooling) */
	DV_BY_OTHER_NUMBERS = 2, /* the numbers of an argument that is no operand
	                            (unpool: X picks where D goes) */
};
int dv_eval_call_plan(dv_plan **out, int *by_numbers, const dv_node *call, dv_value *args,
                      size_t nargs, dv_env *env, dv_diag *d);
/* the plan of a binary operator (NULL for '/', '^' and '.^'); */
int dv_eval_binary_plan(dv_plan **out, const dv_node *n, const dv_mat *l, const dv_mat *r,
                        dv_env *env, dv_diag *d);
/* whether a call is an activation, and which (f as the lesson says); */
int dv_eval_call_activation(const dv_node *call, const dv_env *env, dv_act *act,
                            int *deriv);
/* whether a call's value depends on its argument's shape alone (rows, cols); */
int dv_eval_call_is_shape(const dv_node *call);
/* the field of env's numbers (doubles, or an MPFR field); */
const dv_field *dv_env_numbers(const dv_env *env);
/* the tree a name is defined by, or NULL. */
const dv_node *dv_env_definition(const dv_env *env, const char *name);

/* Whether name is a function of the language. */
int dv_eval_is_function(const char *name);

/* One function of the language, for listings. */
typedef struct dv_function_info {
	const char *name;
	const char *usage;
	const char *summary;
} dv_function_info;

/* The functions, terminated by an entry whose name is NULL. */
const dv_function_info *dv_eval_functions(void);

#endif
