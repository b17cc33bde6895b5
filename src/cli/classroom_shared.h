/*
 * classroom_shared: what the classroom commands (practice.c, drill.c,
 * grading.c, progress_cmds.c) share: their common options, the lesson an
 * answer is marked on, a practice session, and text fit for a terminal or
 * a gradebook.  Private to cli/.
 */
#ifndef DV_CLI_CLASSROOM_SHARED_H
#define DV_CLI_CLASSROOM_SHARED_H

#include <stdio.h>
#include <sys/types.h>

#include "core/strbuf.h"
#include "lesson/answers.h"
#include "lesson/exercise.h"
#include "lesson/progress.h"

/* What the classroom commands share on their command lines. */
typedef struct common_args {
	const char *lesson;
	const char *student;
	unsigned long seed;
	int seed_given;
	const char *answers; /* check */
	const char *dir;     /* grade */
	int json, csv, csv_long, yes;
	unsigned jobs;    /* grade: workers at once */
	unsigned seconds; /* grade: CPU seconds a student may take */
	const char *lesson_file; /* --lesson-file PATH instead of a name */
	const char *exercise;    /* exercise LESSON ID: that one only */
	int list;                /* exercise LESSON --list: the ids */
} common_args;

/* A lesson to mark answers on: found by name, run at a seed. */
typedef struct marking {
	lesson *lesson;
	lesson_result *result;
	const lesson_action **ex;
	size_t nex;
} marking;

/* What one practice session shares across its questions. */
typedef struct practice {
	progress *pg;
	int unicode, interactive, unsaved;
	size_t answered; /* answers marked so far */
	char *line;
	size_t cap;
	const char *student;
	/* at a terminal, GNU Readline edits the line and keeps a history per
	 * lesson; history[0] == '\0' when it is not kept */
	char history[4200];
	char history_of[64];
	/* what the last exercise was left for: 0 the next (skip, next), -1 the
	 * one before (prev, back), k > 0 the k-th (#k, exercise k) */
	long move;
} practice;

void marking_free(marking *m);
/* The lesson named `name`, or the one in file `file` when it is not NULL. */
int load_lesson(lesson **out, const char *name, const char *file);
/* Runs m's lesson at seed (quick: its matrices only, to mark answers). */
int run_for(marking *m, unsigned long seed, int quick);
/* Reads and runs the lesson ca names; its keys are checked once. */
int marking_open(marking *m, const common_args *ca, unsigned long seed, int quick);
/* A student's progress (NULL: the user's own); says on stderr what failed. */
int open_progress(progress **out, const char *student);
/* Writes b to f, flushed, and empties it; -1 (said on stderr) when the
 * output cannot be written. */
int emit(FILE *f, dv_strbuf *b);
/* Set by exercise and drill: what emit writes to a terminal is wrapped at
 * its width, at word boundaries. */
extern int emit_wrap;
/* Whether text names `name` as a word. */
int mentions(const char *text, const char *name);
/* An exercise's question, as verify exercise asks it. */
void put_question(dv_strbuf *b, const marking *m, const lesson_action *ex, size_t k,
                  int unicode);
/* The options of `cmd`; allowed lists those it takes. */
int parse_common(common_args *ca, int argc, char **argv, const char *cmd,
                 const char *const *allowed);

/* A practice session: readline at a terminal, plain lines from a pipe. */
int practice_open(practice *pr, const char *student);
void practice_close(practice *pr);
/* Asks ex until it is solved, given up or skipped (*eof at the end of input). */
int practise(practice *pr, lesson *l, lesson_result *r, const lesson_action *ex,
             progress_item *it, int *eof, int *right);

/* Text fit for a terminal, a CSV or a JSON gradebook: controls as '?'. */
void clean_text(char *dst, size_t size, const char *src);
/* Appends part to why, "; " between parts, as long as it fits. */
void why_add(char *why, size_t size, const char *part);
/* The reason of a mark, on one line, cleaned. */
void mark_reason(char *buf, size_t size, const lesson_mark *mk, const lesson_result *r);

#endif
