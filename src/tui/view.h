/*
 * view: the tutorial's state as lines of text with roles (title, cursor,
 * highlight, verdicts), for a screen of a given size.  The terminal layer
 * draws the lines; tests read them.  Widths are display columns (a Chinese
 * character takes two), computed for the locale's characters.
 */
#ifndef DV_TUI_VIEW_H
#define DV_TUI_VIEW_H

#include <stddef.h>

#include "tui/model.h"

/* The smallest screen the tutorial draws on: TUI_MIN_WIDTH x TUI_MIN_HEIGHT
 * (model.h). */

/* Colours are named by role; the terminal layer maps them. */
typedef enum tui_role {
	TR_NORMAL,
	TR_TITLE,
	TR_KEYS,
	TR_LABEL,
	TR_CURSOR,
	TR_LIT,
	TR_OK,
	TR_FAIL,
	TR_DIM,
	TR_MESSAGE,
} tui_role;

#define TUI_MAX_SPANS 48

typedef struct tui_span {
	int col, width;
	tui_role role;
} tui_span;

typedef struct tui_line {
	char *text;    /* UTF-8, at most the screen's width in columns */
	tui_role role; /* of the columns no span covers */
	tui_span spans[TUI_MAX_SPANS];
	int nspans;
} tui_line;

typedef struct tui_frame {
	int width, height;
	tui_line *lines;
} tui_frame;

/* Draws m on a width x height screen into f (freed with tui_frame_free). */
int tui_render(tui_frame *f, const tui_model *m, int width, int height);
void tui_frame_free(tui_frame *f);

/* Display columns of a UTF-8 string. */
int tui_text_cols(const char *s);

/* Whether two lines would look the same (to redraw only what changed). */
int tui_line_same(const tui_line *a, const tui_line *b);

#endif
