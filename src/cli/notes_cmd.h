/*
 * notes_cmd: the `verify notes FILE.md` command (the reader itself is src/notes).
 */
#ifndef DV_CLI_NOTES_CMD_H
#define DV_CLI_NOTES_CMD_H

#include <stddef.h>

#include "lesson/library.h"
#include "notes/notes.h"

/* Runs the command; returns the exit status. */
int cmd_notes(int argc, char **argv);

/* The notes at path, checked, as lessons for the tutorial (verify tutor
 * --notes): EXIT_OK and the list, or an exit status after an error. */
int notes_tutor_lessons(lesson_entry **out, size_t *n, const char *path,
                        const char *context_path, unsigned long seed);

/* Reads and checks the notes at path under the context text (or NULL),
 * printing nothing: 0 and the report, or -1 with why the file could not be
 * checked (a student's file in a class: the batch goes on). */
int notes_check_quietly(notes_report **r, const char *path, const char *context,
                        unsigned long seed, char *why, size_t size);

/* The text of a context file, or NULL after an error message. */
char *notes_read_context(const char *path);

#endif
