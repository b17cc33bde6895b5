#include "cli/class_workers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/args.h"
#include "core/strbuf.h"

/*
 * AddressSanitizer reserves terabytes of address space for its shadow: a
 * build with it (the tests') cannot limit a worker's address space, and
 * runs with the CPU limit alone.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* What a worker may write: a row, and a few notes. */
#define MAX_OUTPUT (1024 * 1024)

typedef struct worker {
	pid_t pid;
	int fd[2];      /* its stdout and stderr, -1 once read to the end */
	dv_strbuf s[2]; /* what they said */
	int status;     /* as waitpid says, once done */
	int done;
} worker;

unsigned class_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* In the worker: its limits, its output, its student; never returns. */
static void work(const class_work *w, size_t i, int out, int err)
{
	rlim_t secs = w->seconds > 0 ? w->seconds : CLASS_CPU_SECONDS;
	struct rlimit cpu = {secs, secs + 1};
	struct rlimit mem = {(rlim_t)CLASS_MEMORY_MB << 20, (rlim_t)CLASS_MEMORY_MB << 20};
	int rc;

	setrlimit(RLIMIT_CPU, &cpu);
	if (!SANITIZED)
		setrlimit(RLIMIT_AS, &mem);
	if (dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
		_exit(EXIT_USAGE);
	close(out);
	close(err);
	rc = w->row(i, w->ctx);
	if (fflush(stdout) != 0 || fflush(stderr) != 0)
		rc = EXIT_USAGE;
	_exit(rc);
}

static int start(worker *k, const class_work *w, size_t i)
{
	int out[2], err[2];

	memset(k, 0, sizeof *k);
	dv_strbuf_init(&k->s[0]);
	dv_strbuf_init(&k->s[1]);
	if (pipe(out) != 0)
		return -1;
	if (pipe(err) != 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	/* nothing buffered may be written twice */
	fflush(stdout);
	fflush(stderr);
	if ((k->pid = fork()) < 0) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return -1;
	}
	if (k->pid == 0) {
		close(out[0]);
		close(err[0]);
		work(w, i, out[1], err[1]);
	}
	close(out[1]);
	close(err[1]);
	k->fd[0] = out[0];
	k->fd[1] = err[0];
	return 0;
}

/* Why a worker's student has no row of its own, or NULL if it has one. */
static const char *death(const worker *k, unsigned seconds, char *buf, size_t size)
{
	if (WIFSIGNALED(k->status)) {
		int sig = WTERMSIG(k->status);
		if (sig == SIGXCPU || sig == SIGKILL)
			snprintf(buf, size, "too slow to grade: over %u s",
			         seconds > 0 ? seconds : CLASS_CPU_SECONDS);
		else
			snprintf(buf, size, "could not be graded: the grader stopped (signal %d)",
			         sig);
		return buf;
	}
	if (WIFEXITED(k->status) && WEXITSTATUS(k->status) == EXIT_USAGE &&
	    k->s[1].s != NULL && strstr(k->s[1].s, "out of memory") != NULL) {
		snprintf(buf, size, "too large to grade: over %d MB of memory",
		         CLASS_MEMORY_MB);
		return buf;
	}
	return NULL;
}

/* Reads what the running workers wrote; marks those that are done. */
static int gather(worker *ks, size_t nk)
{
	struct pollfd p[128];
	size_t who[128][2], np = 0;
	char buf[65536];

	for (size_t j = 0; j < nk; j++)
		for (int s = 0; s < 2; s++)
			if (!ks[j].done && ks[j].fd[s] >= 0 && np < 128) {
				p[np] = (struct pollfd){ks[j].fd[s], POLLIN, 0};
				who[np][0] = j;
				who[np][1] = (size_t)s;
				np++;
			}
	if (np > 0 && poll(p, np, -1) < 0 && errno != EINTR)
		return -1;
	for (size_t q = 0; q < np; q++) {
		worker *k = &ks[who[q][0]];
		int s = (int)who[q][1];
		ssize_t got;
		if (p[q].revents == 0)
			continue;
		got = read(k->fd[s], buf, sizeof buf);
		if (got > 0) {
			if (k->s[s].len + (size_t)got <= MAX_OUTPUT)
				dv_strbuf_putn(&k->s[s], buf, (size_t)got);
		} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
			close(k->fd[s]);
			k->fd[s] = -1;
		}
	}
	for (size_t j = 0; j < nk; j++)
		if (!ks[j].done && ks[j].pid > 0 && ks[j].fd[0] < 0 && ks[j].fd[1] < 0) {
			while (waitpid(ks[j].pid, &ks[j].status, 0) < 0 && errno == EINTR)
				;
			ks[j].done = 1;
		}
	return 0;
}

static void release(worker *k)
{
	for (int s = 0; s < 2; s++) {
		if (k->fd[s] >= 0 && k->pid > 0)
			close(k->fd[s]);
		dv_strbuf_free(&k->s[s]);
	}
	memset(k, 0, sizeof *k);
}

int class_run(const class_work *w)
{
	unsigned jobs = w->jobs < 1 ? 1 : w->jobs > 64 ? 64 : w->jobs;
	worker *ks = calloc(w->n ? w->n : 1, sizeof *ks);
	size_t next = 0, shown = 0, running = 0;
	int rc = EXIT_OK;

	if (ks == NULL) {
		fputs("verify: error: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	while (shown < w->n && rc == EXIT_OK) {
		/* as many at once as allowed, in the students' order */
		while (next < w->n && running < jobs) {
			if (start(&ks[next], w, next) != 0) {
				fprintf(stderr, "verify: error: cannot start a worker: %s\n",
				        strerror(errno));
				rc = EXIT_USAGE;
				break;
			}
			next++;
			running++;
		}
		if (rc != EXIT_OK || gather(&ks[shown], next - shown) != 0)
			break;
		/* the rows that are done, in order */
		while (shown < next && ks[shown].done) {
			worker *k = &ks[shown];
			char why[160];
			const char *dead = death(k, w->seconds, why, sizeof why);
			running--;
			if (dead == NULL && WIFEXITED(k->status) && WEXITSTATUS(k->status) == EXIT_USAGE) {
				/* an error of the whole class: said, and the end */
				if (k->s[1].s != NULL)
					fputs(k->s[1].s, stderr);
				rc = EXIT_USAGE;
				break;
			}
			if (dead != NULL) {
				char *row = NULL;
				size_t len = 0;
				FILE *f = open_memstream(&row, &len);
				if (f != NULL) {
					w->fail(f, shown, dead, w->ctx);
					fclose(f);
				}
				if (f == NULL || row == NULL ||
				    w->put(shown, row, len, w->ctx) != 0)
					rc = EXIT_USAGE;
				free(row);
			} else {
				if (k->s[1].s != NULL)
					fputs(k->s[1].s, stderr);
				if (w->put(shown, k->s[0].s != NULL ? k->s[0].s : "", k->s[0].len,
				           w->ctx) != 0)
					rc = EXIT_USAGE;
			}
			release(k);
			shown++;
		}
	}
	/* on an error, the workers still running are stopped */
	for (size_t j = shown; j < next; j++) {
		if (ks[j].pid > 0 && !ks[j].done) {
			kill(ks[j].pid, SIGKILL);
			while (waitpid(ks[j].pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		release(&ks[j]);
	}
	free(ks);
	return rc;
}
