/*
 * progress: what a student has done with the exercises, kept in
 * $XDG_STATE_HOME/verify/ (default ~/.local/state/verify/), one file per
 * student (progress.json, or progress-ID.json with --student ID).
 *
 * Saving writes a temporary file beside the old one, syncs it and renames
 * it over: a crash or a full disk leaves the file as it was before.  A file
 * that is not verify's progress is moved aside, never overwritten.
 *
 * Ownership: progress_load hands out a record freed with progress_free.
 */
#ifndef DV_LESSON_PROGRESS_H
#define DV_LESSON_PROGRESS_H

#include <stddef.h>

#include "core/diag.h"

typedef struct progress_item {
	char lesson[64], id[64];
	int attempts, hints, solved, gave_up;
} progress_item;

/* Counters stop at this many: a hand-edited file cannot make them overflow. */
#define PROGRESS_MAX_COUNT 1000000

/* Adds one to an attempts or hints counter, saturating. */
static inline void progress_count(int *counter)
{
	if (*counter < PROGRESS_MAX_COUNT)
		(*counter)++;
}

typedef struct progress {
	char *path;
	progress_item *items;
	size_t n;
	/* lessons reset in this session: a save does not bring them back */
	char (*forgotten)[64];
	size_t nforgotten;
} progress;

/* The most characters a student's name has. */
#define PROGRESS_MAX_STUDENT 64
/* What a student's name may be, for messages. */
#define PROGRESS_STUDENT_RULE                                                        \
	"a name of up to 64 printable characters, in any script, with spaces and "     \
	"apostrophes; not starting with a space, '-', '=', '+' or '@'"

/*
 * Whether id can name a student: valid UTF-8, 1 to 64 printable characters
 * (王小明, Anna Li, o'brien), not starting with a blank, '-', '=', '+' or
 * '@' (an option, a spreadsheet formula), not ending with a space.
 */
int progress_valid_student(const char *id);
/*
 * The file name part that stands for student id: letters, digits and '-'
 * as they are, every other byte as _XX (hex), so that two names never share
 * a file, and no name makes a '.', a '/' or another student's temporary
 * file.  -1 when buf is too small.
 */
int progress_student_file(char *buf, size_t size, const char *id);

/*
 * Reads the progress of `student` (NULL: the user's own).  A missing file
 * is an empty record.  A corrupt or foreign file is moved to
 * PATH.corrupt-TIME and *kept_aside gets that name (the caller frees it).
 */
int progress_load(progress **out, const char *student, char **kept_aside, dv_diag *d);
/*
 * Saves p atomically (a temporary file, synced, renamed).  Under an
 * advisory lock (flock on PATH.lock) it first merges what another session
 * saved meanwhile: an exercise solved or given up there stays so, counts
 * keep the larger, lessons reset here stay forgotten; p holds the merged
 * record afterwards.  Temporary files a crashed save left are removed.
 */
int progress_save(progress *p, dv_diag *d);
void progress_free(progress *p);

/*
 * Where the answers typed at a terminal for `lesson` are kept, for the line
 * editor's history: history/LESSON (history-ID/LESSON for a student) in the
 * same folder, which is made if it is missing.
 */
int progress_history_path(char *buf, size_t size, const char *student, const char *lesson,
                          dv_diag *d);

/* The record of one exercise, made if new. */
progress_item *progress_get(progress *p, const char *lesson, const char *id, dv_diag *d);
/* Forgets everything about a lesson; returns how many records went. */
size_t progress_reset(progress *p, const char *lesson);

#endif
