/*
 * term: the terminal tutorial's only contact with curses.
 */
#ifndef DV_TUI_TERM_H
#define DV_TUI_TERM_H

#include <stddef.h>

#include "core/diag.h"
#include "lesson/library.h"

/*
 * Runs the tutorial on the terminal until the student quits (q, Ctrl-C or
 * SIGTERM), the terminal restored.  Opens lesson `name` directly if `name`
 * is not NULL; keeps the progress of `student` (NULL: the user's own).
 */
int tui_run(const char *name, const char *student, unsigned long seed, int unicode,
	    dv_diag *d);

/* The same over the lessons handed over (they are freed), lesson `open`
 * shown first if not NULL: verify tutor --notes FILE.md (the notes as
 * lessons) and --lesson-file PATH. */
int tui_run_lessons(lesson_entry *lessons, size_t n, const char *open,
                    const char *student, unsigned long seed, int unicode, dv_diag *d);

#endif
