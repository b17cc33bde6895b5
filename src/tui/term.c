#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/term.h"

#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/model.h"
#include "tui/view.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

enum { PAIR_OK = 1, PAIR_FAIL, PAIR_LIT, PAIR_MESSAGE, PAIR_CURSOR };

static int colours;

/* What each role looks like, with colours or without. */
static attr_t role_attr(tui_role role)
{
	switch (role) {
	case TR_TITLE:
		return A_REVERSE | A_BOLD;
	case TR_KEYS:
		return A_REVERSE;
	case TR_LABEL:
		return A_BOLD;
	case TR_CURSOR:
		return colours ? (attr_t)COLOR_PAIR(PAIR_CURSOR) | A_BOLD : A_REVERSE;
	case TR_LIT:
		return colours ? (attr_t)COLOR_PAIR(PAIR_LIT) | A_BOLD
		               : A_UNDERLINE | A_BOLD;
	case TR_OK:
		return colours ? (attr_t)COLOR_PAIR(PAIR_OK) | A_BOLD : A_BOLD;
	case TR_FAIL:
		return colours ? (attr_t)COLOR_PAIR(PAIR_FAIL) | A_BOLD
		               : A_BOLD | A_UNDERLINE;
	case TR_DIM:
		return A_DIM;
	case TR_MESSAGE:
		return colours ? (attr_t)COLOR_PAIR(PAIR_MESSAGE) | A_BOLD : A_BOLD;
	default:
		return A_NORMAL;
	}
}

static void draw_line(int y, const tui_line *l, int width)
{
	size_t n = strlen(l->text) + 1;
	wchar_t *w = malloc(n * sizeof *w);
	size_t len;
	int col = 0;

	move(y, 0);
	if (w == NULL)
		return;
	len = mbstowcs(w, l->text, n);
	if (len == (size_t)-1)
		len = 0;
	for (size_t i = 0; i < len; i++) {
		tui_role role = l->role;
		int cw = wcwidth(w[i]);
		if (cw < 0)
			cw = 1;
		for (int s = 0; s < l->nspans; s++)
			if (col >= l->spans[s].col &&
			    col < l->spans[s].col + l->spans[s].width)
				role = l->spans[s].role;
		attrset((int)role_attr(role));
		addnwstr(&w[i], 1);
		col += cw;
	}
	attrset((int)role_attr(l->role));
	/* fill the rest: bars run the whole width */
	while (col < width) {
		if (y == LINES - 1 && col == width - 1)
			break;
		addch(' ');
		col++;
	}
	attrset(A_NORMAL);
	free(w);
}

static int map_key(int kind, wint_t ch)
{
	if (kind == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return TUI_KEY_UP;
		case KEY_DOWN:
			return TUI_KEY_DOWN;
		case KEY_LEFT:
			return TUI_KEY_LEFT;
		case KEY_RIGHT:
			return TUI_KEY_RIGHT;
		case KEY_PPAGE:
			return TUI_KEY_PGUP;
		case KEY_NPAGE:
			return TUI_KEY_PGDN;
		case KEY_HOME:
			return TUI_KEY_HOME;
		case KEY_END:
			return TUI_KEY_END;
		case KEY_ENTER:
			return TUI_KEY_ENTER;
		case KEY_BACKSPACE:
			return TUI_KEY_BACKSPACE;
		case KEY_BTAB:
			return TUI_KEY_BTAB;
		case KEY_DC:
			return TUI_KEY_DELETE;
		default:
			return 0;
		}
	}
	switch (ch) {
	case '\n':
	case '\r':
		return TUI_KEY_ENTER;
	case 27:
		return TUI_KEY_ESC;
	case 127:
	case 8:
		return TUI_KEY_BACKSPACE;
	case '\t':
		return TUI_KEY_TAB;
	default:
		return (int)ch;
	}
}

static int run_model(tui_model *m, const char *name, const char *student, dv_diag *d);

int tui_run(const char *name, const char *student, unsigned long seed, int unicode,
            dv_diag *d)
{
	tui_model *m = NULL;
	int rc = tui_model_new(&m, unicode, seed, d);
	if (rc != DV_OK)
		return rc;
	return run_model(m, name, student, d);
}

int tui_run_lessons(lesson_entry *lessons, size_t n, const char *open,
                    const char *student, unsigned long seed, int unicode, dv_diag *d)
{
	tui_model *m = NULL;
	int rc = tui_model_with(&m, lessons, n, unicode, seed, d);
	if (rc != DV_OK)
		return rc;
	return run_model(m, open, student, d);
}

/* Runs the tutorial over m, which it frees. */
static int run_model(tui_model *m, const char *name, const char *student, dv_diag *d)
{
	struct sigaction sa;
	tui_frame prev = {0, 0, NULL};
	int rc, redraw = 1;

	if (student != NULL && (rc = tui_model_use_student(m, student, d)) != DV_OK) {
		tui_model_free(m);
		return rc;
	}
	if (name != NULL && (rc = tui_open_named(m, name, d)) != DV_OK) {
		tui_model_free(m);
		return rc;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (initscr() == NULL) {
		tui_model_free(m);
		return dv_fail(d, DV_E_IO, "cannot start the terminal");
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(250);
	colours = has_colors() && getenv("NO_COLOR") == NULL;
	if (colours) {
		start_color();
		use_default_colors();
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_FAIL, COLOR_RED, -1);
		init_pair(PAIR_LIT, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_MESSAGE, COLOR_YELLOW, -1);
		init_pair(PAIR_CURSOR, COLOR_BLACK, COLOR_YELLOW);
	}

	while (!m->quit && !stop_requested) {
		wint_t ch;
		int kind, key;
		if (redraw) {
			tui_frame f;
			tui_model_resize(m, COLS, LINES);
			if (tui_render(&f, m, COLS, LINES) == DV_OK) {
				for (int y = 0; y < f.height; y++)
					if (prev.lines == NULL || prev.width != f.width ||
					    prev.height != f.height ||
					    !tui_line_same(&prev.lines[y], &f.lines[y]))
						draw_line(y, &f.lines[y], f.width);
				tui_frame_free(&prev);
				prev = f;
				refresh();
			}
			redraw = 0;
		}
		kind = get_wch(&ch);
		if (kind == ERR)
			continue;
		if (kind == KEY_CODE_YES && ch == KEY_RESIZE) {
			/* everything moves: forget what is on the screen */
			tui_frame_free(&prev);
			clear();
			redraw = 1;
			continue;
		}
		if ((key = map_key(kind, ch)) == 0)
			continue;
		redraw = tui_key(m, key) == TUI_REDRAW;
	}
	endwin();
	tui_frame_free(&prev);
	tui_model_free(m);
	return DV_OK;
}
