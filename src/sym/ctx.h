/*
 * ctx: the atoms of a symbolic computation and the polynomial field over
 * them.  A context numbers each distinct atom once (x11, beta, f(n11)),
 * so that polynomials compare atoms as integers, and it remembers which
 * names matrices of atoms use, so that two different matrices cannot both
 * be called x.
 *
 * Ownership: sym_ctx_new hands out a context freed with sym_ctx_free; every
 * polynomial matrix made over its field must be freed before it.
 */
#ifndef DV_SYM_CTX_H
#define DV_SYM_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/field.h"
#include "core/mat.h"
#include "sym/poly.h"

#define SYM_NAME_MAX 16
/* Largest matrix of atoms: tables past it are too large to read. */
#define SYM_MAX_SIDE 64

typedef enum sym_atom_kind {
	SYM_ENTRY,  /* x11: entry (row, col) of the matrix of atoms "x" */
	SYM_SCALAR, /* beta */
	SYM_APPLY,  /* f(arg), f'(arg), ...: an activation applied */
} sym_atom_kind;

typedef struct sym_atom {
	sym_atom_kind kind;
	char name[SYM_NAME_MAX]; /* the matrix's or scalar's name */
	uint32_t row, col;       /* SYM_ENTRY, 1-based */
	dv_act act;              /* SYM_APPLY */
	uint32_t deriv;          /* SYM_APPLY: times differentiated */
	sym_poly *arg;           /* SYM_APPLY: canonical, owned by the context */
} sym_atom;

typedef struct sym_ctx sym_ctx;

int sym_ctx_new(sym_ctx **out, dv_diag *d);
void sym_ctx_free(sym_ctx *ctx);

/* The field whose elements are sym_poly pointers over ctx's atoms. */
const dv_field *sym_ctx_field(sym_ctx *ctx);
/* The context of a polynomial field, or NULL for another field. */
sym_ctx *sym_field_ctx(const dv_field *f);

size_t sym_ctx_atoms(const sym_ctx *ctx);
const sym_atom *sym_ctx_atom(const sym_ctx *ctx, uint32_t id);
/* The symbols p is made of (those inside f(...) included), each once, into
 * ids[*n..max): what lights up when an entry is pointed at. */
void sym_poly_symbols(const sym_ctx *ctx, const sym_poly *p, uint32_t *ids, size_t *n,
                      size_t max);

/* The number of an atom, made on first use. */
int sym_atom_entry(uint32_t *id, sym_ctx *ctx, const char *name, uint32_t row,
                   uint32_t col, dv_diag *d);
int sym_atom_scalar(uint32_t *id, sym_ctx *ctx, const char *name, dv_diag *d);
int sym_atom_apply(uint32_t *id, sym_ctx *ctx, dv_act act, uint32_t deriv,
                   const sym_poly *arg, dv_diag *d);
/*
 * act(arg), or its deriv-th derivative, in canonical form: sigmoid and
 * tanh have derivatives that are polynomials of themselves, s' = s - s^2
 * and t' = 1 - t^2, so only s(arg) and t(arg) are ever atoms and identities
 * such as dsigmoid(X) == sigmoid(X) .* (1 - sigmoid(X)) hold exactly.  The
 * notes' abstract f stays abstract: f'(arg) is an atom of its own.
 */
int sym_act_poly(sym_poly **out, sym_ctx *ctx, dv_act act, uint32_t deriv,
                 const sym_poly *arg, dv_diag *d);

/*
 * Whether two polynomials that differ as polynomials surely differ as
 * functions of their atoms: so when the atoms are algebraically
 * independent.  Entries, scalars and the notes' abstract f always are;
 * sigmoid and tanh atoms (rational functions of e^p) are when their
 * arguments' non-constant parts are rationally independent (Ax), at most
 * one has a constant argument and that constant is not 0; relu's atoms
 * are not (relu(x) - relu(-x) = x).  0 when not sure: sigmoid(-x) and
 * 1 - sigmoid(x) differ as polynomials and are equal as functions.
 * The answer in *sure; the work is charged to the item's budget
 * (core/budget.h), and past it *sure is 0 and DV_E_LIMIT is returned.
 */
int sym_ctx_surely_differ(const sym_ctx *ctx, const sym_poly *a, const sym_poly *b,
                          int *sure, dv_diag *d);

/*
 * The map label of a symbol name, or NULL: a layer of several maps names
 * the entries of map 2 "x_2" (printed (x₂)₁₁) and those of kernel K₂₁
 * "k_21", so that every map keeps the notes' letter.  The label is the
 * digits after the last '_', which follows a letter.
 */
const char *sym_map_label(const char *name);

/*
 * A rows x cols matrix of atoms named `name` (a 1 x 1 one is the scalar
 * `name`).  The name must be letters only (and a map label, x_2), and each name makes one matrix:
 * asking for it again is an error, so that two matrices never share atoms.
 */
int sym_ctx_matrix(dv_mat **out, sym_ctx *ctx, const char *name, size_t rows, size_t cols,
                   dv_diag *d);

#endif
