/*
 * latexdoc: a LaTeX document read as the reader reads Markdown (latexdoc.c):
 * its comments and macros dealt with, then its math found.
 */
#ifndef DV_NOTES_LATEXDOC_H
#define DV_NOTES_LATEXDOC_H

#include <stddef.h>

#include "core/diag.h"
#include "notes/notes.h"

/* Whether a file is a LaTeX document: a .tex name, or \documentclass or
 * \begin{document} in it. */
int notes_is_latex(const char *path, const char *text, size_t len);

/* The document with its comments blanked and its macros expanded, line for
 * line the file's; *out is the caller's. */
int notes_latex_prepare(char **out, size_t *outlen, const char *text, size_t len,
                        dv_diag *d);

/* The math of a prepared document (past \begin{document}), with positions. */
int notes_latex_extract(notes_source *out, const char *text, size_t len, dv_diag *d);

#endif
