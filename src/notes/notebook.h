/*
 * notebook: a Jupyter notebook read as the Markdown of its cells, each
 * line of which knows its cell and its line in the .ipynb file
 * (notebook.c).
 *
 * Ownership: notes_notebook_read fills a notes_notebook that
 * notes_notebook_clear empties.
 */
#ifndef DV_NOTES_NOTEBOOK_H
#define DV_NOTES_NOTEBOOK_H

#include <stddef.h>

#include "core/diag.h"

typedef struct notes_place {
	int cell;      /* 1-based, among all the notebook's cells */
	int cell_line; /* 1-based within the cell's source (0: between cells) */
	int file_line; /* of the .ipynb file */
} notes_place;

typedef struct notes_notebook {
	int is_notebook;
	char *markdown; /* the Markdown cells, a blank line between two */
	size_t len;
	notes_place *places; /* one a line of markdown */
	size_t nplaces;
	size_t ncells; /* Markdown cells read */
	int at_line_start;
} notes_notebook;

/*
 * Reads text as a notebook when it is one (JSON with a "cells" list and an
 * "nbformat" number, or any file named *.ipynb); is_notebook stays 0 for
 * Markdown.  A .ipynb file that is not valid JSON, or not a notebook, is
 * an error naming path.
 */
int notes_notebook_read(notes_notebook *nb, const char *path, const char *text, size_t len,
                        dv_diag *d);
/* Where line (1-based) of the Markdown stands, or NULL. */
const notes_place *notes_notebook_place(const notes_notebook *nb, int line);
void notes_notebook_clear(notes_notebook *nb);

#endif
