/*
 * class_workers: a class graded by worker processes, a student each, so
 * that one pathological submission costs its own row and never the class.
 *
 * Up to `jobs` workers run at once (one per core by default); each is
 * forked from the grader, so the lesson or context read once is shared,
 * and runs under a limit of CPU time and of memory (setrlimit).  A worker
 * writes its student's row on its standard output (and notes on its
 * standard error); the grader passes the rows on in the students' order,
 * each as soon as it and those before it are done, flushed, so a run that
 * is killed keeps what it printed.  A worker that dies (over its time,
 * over its memory, or a crash) gets a row saying so, made by `fail` in the
 * grader.  Private to cli/.
 */
#ifndef DV_CLI_CLASS_WORKERS_H
#define DV_CLI_CLASS_WORKERS_H

#include <stddef.h>
#include <stdio.h>

/* The limits of one student's worker. */
#define CLASS_CPU_SECONDS 30
#define CLASS_MEMORY_MB 1024

typedef struct class_work {
	size_t n;      /* students */
	unsigned jobs;    /* workers at once, at least 1 */
	unsigned seconds; /* CPU time a student's worker may take; 0: CLASS_CPU_SECONDS */
	void *ctx;
	/* in the worker: student i's row on stdout, notes on stderr; returns
	 * 0, or EXIT_USAGE for an error that ends the whole class */
	int (*row)(size_t i, void *ctx);
	/* in the grader: the row of student i, whose worker died, to f */
	void (*fail)(FILE *f, size_t i, const char *why, void *ctx);
	/* in the grader: student i's row as its worker wrote it, passed on
	 * (printed, or added to a JSON gradebook); -1 when it cannot be */
	int (*put)(size_t i, const char *text, size_t len, void *ctx);
} class_work;

/*
 * Grades the class.  Returns EXIT_OK, or EXIT_USAGE when a worker found an
 * error of the whole class (said on stderr) or the rows cannot be written.
 */
int class_run(const class_work *w);

/* Workers at once by default: the cores on line. */
unsigned class_default_jobs(void);

#endif
