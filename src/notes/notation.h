/*
 * notation: what a notes file's own definitions say its letters are (see
 * notation.c): the scene the file's formulas are read in, when the file
 * writes its forward pass.
 *
 * Ownership: notes_notation_read fills a notes_notation that
 * notes_notation_clear empties.
 */
#ifndef DV_NOTES_NOTATION_H
#define DV_NOTES_NOTATION_H

#include <stddef.h>

#include "notes/notes.h"
#include "tex/tex.h"

typedef struct notes_notation {
	int found;      /* the file writes a forward pass */
	int builtin;    /* ... in the letters of the built-in scenes (the reader
	                   sets this): those serve, as for the seed's notes */
	int seed_letters; /* the file writes net or \beta, as the seed's notes do */
	char *scenes;   /* its scene(s), in the lesson header syntax, or NULL */
	int variants;   /* 2: * left open, the scene as convolution then as
	                   cross-correlation */
	int star;       /* -1 open, 0 convolution, 1 cross-correlation */
	char loss[16];  /* the letter the file differentiates ("" if none) */
	char output[64]; /* the forward pass's output, as the scene names it */
	char delta_name[16]; /* Delta = dE/dP: the file's name for the scene's δ */
	char activation[64]; /* A = ReLU(Z): the output's activation, whose
	                        gradient a scene of its own takes as δ */
	char input[64], kernel[64]; /* its operands */
	struct {
		int line, column;
	} *used; /* the formulas the scene was built from: definitions */
	size_t nused;
	/* an index-form forward pass, O(i, j) = \sum_m \sum_n I(i+m, j+n) K(m, n)
	 * + b: its chain (the reader expands it in the scene, entry by entry),
	 * where its indices start, and its output's size if the text gives it */
	const tex_chain *index_def;
	size_t index_block; /* the math span it stands in */
	int base;
	size_t out_rows, out_cols;
	double index_text; /* the reader: how long its expansion would be */
	char zero[128]; /* " delta " ...: matrices the file takes as 0 outside */
	size_t nconst_chains; /* H = W = 4: chains that only name numbers */
} notes_notation;

/* Reads the notation of a file whose math spans are src and whose formulas
 * are blocks (one per span, NULL where none).  Fails only for memory. */
int notes_notation_read(notes_notation *nt, tex_block **blocks, size_t nblocks,
                        const char *text, size_t len, const notes_source *src);
/* Whether a chain only names numbers (H = W = 4, k_1 = k_2 = 2): what
 * the text takes as given, each step a definition. */
int notes_constant_chain(const tex_chain *ch);
/* Whether a subscript names a channel (X_1, W_2): one digit, 1 to 9. */
int notes_channel(const tex_node *sub);
/* Whether n takes a derivative anywhere (a \partial; \frac{1}{4} does not). */
int notes_has_derivative(const tex_node *n);
/* Whether the formula at (line, column) built the scene. */
int notes_notation_used(const notes_notation *nt, int line, int column);
void notes_notation_clear(notes_notation *nt);

/* The layer a superscript names: "" (none, or l), "_next" (l+1), "_prev"
 * (l-1); NULL for any other superscript. */
const char *notes_layer_suffix(const tex_node *sup);

#endif
