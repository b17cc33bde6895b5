/*
 * library: where lesson files are found.  In order: the folders in
 * $VERIFY_LESSONS (separated by ':'), lessons/ of the source tree the
 * program was built from, share/verify/lessons beside the program's
 * folder, and the installed data folder.  A name found twice is taken from
 * the first folder.
 *
 * Ownership: the lists and paths handed out are freed with the matching
 * free functions.
 */
#ifndef DV_LESSON_LIBRARY_H
#define DV_LESSON_LIBRARY_H

#include <stddef.h>

#include "core/diag.h"
#include "lesson/lesson.h"

typedef struct lesson_entry {
	char *name; /* the file name without .lesson */
	char *path;
	lesson *lesson; /* parsed; NULL if the file has errors */
	lesson_errors errors;
} lesson_entry;

/* Every lesson found, parsed, in course order (the lessons' `order`). */
int lesson_library_list(lesson_entry **out, size_t *n, dv_diag *d);
void lesson_library_free(lesson_entry *list, size_t n);

/* The path of lesson `name` (the caller frees it). */
int lesson_library_find(char **path, const char *name, dv_diag *d);

#endif
