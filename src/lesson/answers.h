/*
 * answers: a student's file of answers ("EXERCISE: answer" lines), read
 * and marked, for `verify check`, `verify grade` and whoever else marks a
 * class.  Reading never stops at a line that cannot be used: that line is
 * reported with its number, and the others are marked.
 *
 * Ownership: lesson_answer_file_read hands out a file freed with
 * lesson_answer_file_free; lesson_mark_file fills an array of verdicts the
 * caller frees with lesson_marks_free.
 */
#ifndef DV_LESSON_ANSWERS_H
#define DV_LESSON_ANSWERS_H

#include <stddef.h>

#include "lesson/exercise.h"

/* Largest file of answers read: a class's answers are short texts. */
#define LESSON_MAX_ANSWERS_BYTES (64 * 1024)

typedef struct lesson_answer_file {
	char **id, **text; /* the answers, in the order of the file */
	int *line;         /* their lines, 1-based */
	size_t n;
	char **bad; /* the lines that could not be used: "FILE:N: why" */
	size_t nbad;
} lesson_answer_file;

/*
 * Reads the answers of the file at path to the exercises ex[0..nex) of
 * lesson `lesson_name` (a UTF-8 byte-order mark skipped, '#' lines are
 * comments).  The file is opened without following a symbolic link and
 * without waiting on a FIFO, and must be a regular text file of at most
 * LESSON_MAX_ANSWERS_BYTES: otherwise -1 with the reason in why (the
 * file's fault, not verify's).  A line that names no exercise, an answer
 * given twice or a line without a colon goes into out->bad.
 */
int lesson_answer_file_read(lesson_answer_file *out, const char *path,
                            const lesson_action *const *ex, size_t nex,
                            const char *lesson_name, char *why, size_t size);
void lesson_answer_file_free(lesson_answer_file *f);
/* The answer to exercise id, or NULL; borrowed. */
const char *lesson_answer_file_find(const lesson_answer_file *f, const char *id);
/* The id of ex[0..nex) nearest to a mistyped one, or NULL. */
const char *lesson_nearest_exercise(const lesson_action *const *ex, size_t nex,
                                    const char *id);

/* The verdict on one exercise of a file. */
typedef struct lesson_mark {
	int answered;      /* 0: not answered */
	lesson_answer how; /* answered: right, or what is wrong */
} lesson_mark;

/* Marks every exercise on the lesson that ran as r: out[k] for ex[k]. */
int lesson_mark_file(lesson_mark *out, lesson_result *r, const lesson_action *const *ex,
                     size_t nex, const lesson_answer_file *f, dv_diag *d);
void lesson_marks_free(lesson_mark *m, size_t n);

#endif
