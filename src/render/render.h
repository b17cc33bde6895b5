/*
 * render: the text forms of results that every front end shares (the
 * command line's reports and the terminal tutorial): numbers as Octave
 * shows them, entries and index tables of symbolic matrices, grids, and
 * the lessons' Unicode with an ASCII fallback.  Formats only; computes
 * nothing.
 */
#ifndef DV_RENDER_H
#define DV_RENDER_H

#include <stddef.h>

#include "core/mat.h"
#include "core/strbuf.h"
#include "sym/print.h"

/* Six significant digits, as Octave shows numbers; no "-0". */
int dv_format_number(char *buf, size_t size, double v);

/* Entry i of a double matrix so; 0 when it is 0 within its error bound. */
int dv_format_entry(char *buf, size_t size, const dv_mat *m, size_t i);

/* Entry i of m (a number or a polynomial) in style, appended to b. */
void dv_put_entry(dv_strbuf *b, const dv_mat *m, size_t i, sym_style style,
                  const sym_latex_name *latex);
/*
 * The same, shortened past max bytes: its first and last terms around
 * "… (N terms, M characters) …", cut between terms and never inside a
 * UTF-8 character.  The full form is for JSON, not for a reader.
 */
void dv_put_entry_short(dv_strbuf *b, const dv_mat *m, size_t i, sym_style style,
                        size_t max);
/* m's entries (numbers as the text shows them, or symbols) as a LaTeX bmatrix. */
void dv_put_bmatrix(dv_strbuf *b, const dv_mat *m, const sym_latex_name *latex);
/* "they differ by 0.31" with `digits` digits, or, when the difference
 * overflowed, "they differ by more than the largest double (1.8e+308)". */
void dv_put_differ_by(dv_strbuf *b, double diff, int digits);
/* The index table of m, "name11 = ..." a line (LaTeX: aligned rows). */
void dv_put_table(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
                  const sym_latex_name *latex, const char *indent);
/* Whether every entry of m is a single term (x11, 0, 2δ₁₂): best shown as a grid. */
int dv_is_grid(const dv_mat *m);
/* m as a grid of entries, "name = " before the first row, columns aligned. */
void dv_put_grid(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
                 const char *indent);

/* A numeric matrix, columns aligned, each line after `indent`. */
void dv_put_numbers(dv_strbuf *b, const dv_mat *m, const char *indent);
/*
 * n numeric matrices side by side, each under its label (label NULL: no
 * labels), four columns apart; lines carry no trailing blanks.
 */
void dv_put_numbers_side(dv_strbuf *b, const dv_mat *const *m, const char *const *label,
                         size_t n, const char *indent);

/* s as is, or with the lessons' math characters in ASCII (δ -> d, ∘ -> .*). */
void dv_put_text(dv_strbuf *b, const char *s, int unicode);
/* A formula as a terminal shows it: LaTeX (text with a backslash) in
 * Unicode when the terminal has it (tex_to_unicode), else as dv_put_text
 * puts it. */
void dv_put_math(dv_strbuf *b, const char *s, int unicode);
/* Characters in a UTF-8 string (each of verify's own glyphs is one column). */
size_t dv_text_width(const char *s);

#endif
