/*
 * notes: the `verify notes FILE.md` command.
 */
#ifndef DV_CLI_NOTES_H
#define DV_CLI_NOTES_H

#include <stddef.h>

#include "lesson/library.h"

/* Runs the command; returns the exit status. */
int cmd_notes(int argc, char **argv);

/* The notes at path, checked, as lessons for the tutorial (verify tutor
 * --notes): EXIT_OK and the list, or an exit status after an error. */
int notes_tutor_lessons(lesson_entry **out, size_t *n, const char *path,
                        const char *context_path, unsigned long seed);

#endif
