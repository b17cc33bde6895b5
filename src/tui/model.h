/*
 * model: the state of the terminal tutorial and what each key does to it.
 * No curses here: keys arrive as numbers, actions change the state and say
 * what to redraw, and the view (view.h) turns the state into lines.  So
 * the keymap, the cursor and the highlighting are tested without a
 * terminal.
 *
 * Ownership: tui_model_new hands out a model freed with tui_model_free; it
 * owns the lessons it found and the result of the lesson it shows.
 */
#ifndef DV_TUI_MODEL_H
#define DV_TUI_MODEL_H

#include <stddef.h>

#include "core/diag.h"
#include "core/mat.h"
#include "lesson/library.h"
#include "lesson/run.h"

/* The smallest screen the tutorial draws on. */
#define TUI_MIN_WIDTH 64
#define TUI_MIN_HEIGHT 20

/* Keys beyond Unicode characters, as the terminal layer reports them. */
enum {
	TUI_KEY_UP = 0x110000,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_ENTER,
	TUI_KEY_ESC,
	TUI_KEY_BACKSPACE,
	TUI_KEY_TAB,
	TUI_KEY_BTAB,
	TUI_KEY_DELETE,
};

/* Control keys of the answer line, as terminals send them. */
enum {
	TUI_CTRL_A = 1,  /* the start of the line */
	TUI_CTRL_E = 5,  /* its end */
	TUI_CTRL_K = 11, /* delete to the end */
	TUI_CTRL_U = 21, /* delete to the start */
	TUI_CTRL_W = 23, /* delete the word before the cursor */
};

typedef enum tui_screen { TUI_LIST, TUI_LESSON, TUI_HELP } tui_screen;

typedef enum tui_action {
	TA_NONE,
	TA_QUIT,
	TA_HELP,
	TA_BACK,
	TA_OPEN,
	TA_UP,
	TA_DOWN,
	TA_LEFT,
	TA_RIGHT,
	TA_NEXT_PANEL,
	TA_PREV_PANEL,
	TA_NEXT_STEP,
	TA_PREV_STEP,
	TA_FIRST_STEP,
	TA_LAST_STEP,
	TA_JUMP, /* to step `arg` (1-based) */
	TA_TOGGLE_VIEW,
	TA_REROLL,
	TA_GROW_INPUT,
	TA_SHRINK_INPUT,
	TA_GROW_KERNEL,
	TA_SHRINK_KERNEL,
	TA_SCROLL_UP,
	TA_SCROLL_DOWN,
	TA_ANSWER, /* type an answer to the step's exercise */
} tui_action;

/* One key binding: the table is both the keymap and the help screen. */
typedef struct tui_binding {
	int key;
	unsigned screens; /* bit (1 << tui_screen) for each screen it works on */
	tui_action action;
	const char *keys; /* how the help names the key(s), NULL: listed with the one
	                     before */
	const char *help;
} tui_binding;

/* The bindings, ended by one whose key is 0. */
extern const tui_binding tui_bindings[];

/* The answer line's keys, for the list of keys: {keys, help}, ended by NULL. */
extern const char *const tui_answer_keys[][2];

/* How many lines the list of keys has (bindings and answer keys). */
size_t tui_help_lines(void);

/* What key does on screen (TA_NONE if nothing); *arg gets a step number. */
tui_action tui_key_action(tui_screen screen, int key, int *arg);

typedef enum tui_progress {
	TUI_NOT_STARTED,
	TUI_IN_PROGRESS,
	TUI_CHECKS_SEEN,    /* every step with a check was shown */
	TUI_EXERCISES_DONE, /* and every exercise solved (kept across sessions) */
} tui_progress;

/* A matrix shown in the panel row: a declared one, or a step's `show`. */
typedef struct tui_panel {
	char label[64];
	const dv_mat *sym; /* symbols, or NULL where there is no exact form */
	const dv_mat *num; /* the shown numbers */
	int declared;      /* a matrix of the lesson: a grid of single symbols */
} tui_panel;

#define TUI_MAX_PANELS 24
#define TUI_HISTORY 64

typedef struct tui_model {
	tui_screen screen, before_help;
	lesson_entry *lessons;
	size_t nlessons, list_cursor;
	tui_progress *progress;
	unsigned char **seen; /* per lesson, per step: shown */

	size_t current; /* the lesson shown */
	lesson_result *result;
	size_t step, scroll;
	size_t help_scroll; /* the first key the list of keys shows */
	int height;         /* the screen's lines, as the terminal last said */
	int numeric;        /* panels show numbers instead of symbols */
	unsigned long seed;
	lesson_size sizes[2]; /* the input's and the kernel's, when changed */
	size_t nsizes;

	tui_panel panels[TUI_MAX_PANELS];
	size_t npanels, panel, row, col; /* the cursor */
	size_t first_panel;              /* the first panel that fits on screen */

	char message[DV_DIAG_MSG + 160]; /* a line for the student: what went wrong */

	/* answering an exercise */
	int typing;
	const lesson_action *answering;
	char input[512];
	size_t at;    /* the cursor: a byte offset into input */
	int selected; /* the whole input is selected: typing replaces it */
	/* earlier answers of this session, oldest first; Up and Down walk them */
	char *history[TUI_HISTORY];
	size_t nhistory, recalled; /* recalled == nhistory: the line being typed */
	char draft[512];           /* that line, while an earlier one is shown */
	char *verdict;             /* what the last answer, hint or give-up said */
	struct progress *saved;    /* NULL: progress cannot be kept */

	int unicode;
	int quit;
} tui_model;

/* Redraw what: the whole screen, or nothing. */
enum { TUI_REDRAW_NONE = 0, TUI_REDRAW = 1 };

int tui_model_new(tui_model **out, int unicode, unsigned long seed, dv_diag *d);
/* The same over a list of lessons the caller hands over (tests). */
int tui_model_with(tui_model **out, lesson_entry *lessons, size_t n, int unicode,
                   unsigned long seed, dv_diag *d);
void tui_model_free(tui_model *m);

/* Keeps the progress of `student` instead of the user's own. */
int tui_model_use_student(tui_model *m, const char *student, dv_diag *d);

/* Opens lesson `name` directly (verify tutor NAME). */
int tui_open_named(tui_model *m, const char *name, dv_diag *d);

/* The screen is width x height now: scrolling stops where the view does. */
void tui_model_resize(tui_model *m, int width, int height);

/* Applies an action; returns TUI_REDRAW when the screen must change. */
int tui_apply(tui_model *m, tui_action a, int arg);

/* Where the UTF-8 character at byte i of s ends (i itself at the end). */
size_t tui_char_after(const char *s, size_t i);

/* A key as the student pressed it: an action, or typing into an answer. */
int tui_key(tui_model *m, int key);

/* The lesson's progress as the list shows it. */
tui_progress tui_lesson_progress(const tui_model *m, size_t lesson);
/* How many of lesson i's exercises there are, and how many are solved. */
void tui_lesson_solved(const tui_model *m, size_t lesson, size_t *solved, size_t *nex);
/* 1 when exercise id of the lesson was solved, 2 given up, 0 else. */
int tui_exercise_state(const void *model, const char *lesson_name, const char *id);

/* Whether cell (row, col) of panel p lights up for the cursor's entry: the
 * entries that feed it, or that it feeds, read from the symbols. */
int tui_cell_lit(const tui_model *m, size_t p, size_t row, size_t col);

#endif
