/*
 * notes_parts: what the notes command's renderers share (notes_cmd.c for
 * text, JSON and Markdown, notes_html.c for HTML).
 */
#ifndef DV_CLI_NOTES_PARTS_H
#define DV_CLI_NOTES_PARTS_H

#include <stddef.h>

#include "core/strbuf.h"
#include "notes/notes.h"
#include "render/render.h"

/* The first entry where a failing check's sides differ ("at (1,1): lhs ≠
 * rhs"), or why it has none; 0 when there is nothing to say. */
int notes_counterexample(dv_strbuf *b, const lesson_check *c, sym_style style);
/* The same as a string (the caller frees it), or NULL. */
char *notes_counterexample_text(const lesson_check *c, sym_style style);
/* Where the note of formula f goes: after the Markdown block its math ends
 * in (never before `from`). */
size_t notes_note_place(const notes_formula *f, const char *text, size_t len, size_t from);
/* The file as HTML, the report's marks and notes in it (notes_html.c). */
int notes_render_html(dv_strbuf *b, const notes_report *r, const char *text, size_t len,
                      dv_diag *d);

#endif
