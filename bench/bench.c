/*
 * bench: runs verify commands as whole processes and prints their wall
 * time and peak memory, as a user would see them.  Not a test: it prints
 * figures and the targets beside them, and exits 0 unless a command fails.
 *
 *   cmake --build build --target bench
 *   build/bench build/verify [RUNS]
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

typedef struct bench_case {
	const char *what;
	double target_ms, target_mb;
	int local_loop;       /* runs this program's own --local-loop, not verify */
	const char *argv[16]; /* after the verify path; NULL-terminated; "DIR" is
	                         the folder of submissions made for the run */
	int status;           /* the exit status it must end with */
} bench_case;

#ifndef NOTES_SEED
#define NOTES_SEED "tests/notes/cnn-backprop-notes.md"
#endif

#define GRADCHECK                                                                        \
	"equal(grad(sum(D .* sigmoid(conv(X, K))), X), xcorr(D .* dsigmoid(conv(X, "     \
	"K)), K, "                                                                       \
	"'full'))"

static const bench_case cases[] = {
        {"gradient check, E = sum(D .* sigmoid(conv(X, K))), 32x32 input, 5x5 kernel",
         10,
         20,
         0,
         {"eval", GRADCHECK, "--let", "X=randn(32,32)", "--let", "K=randn(5,5)", "--let",
          "D=randn(28,28)", NULL},
         0},
        {"  the same by a C loop that recomputes only the 25 outputs an entry feeds",
         10,
         20,
         1,
         {"--local-loop", "32", NULL},
         0},
        {"gradient check, E = sum(D .* sigmoid(conv(X, K))), 64x64 input, 5x5 kernel",
         30,
         20,
         0,
         {"eval", GRADCHECK, "--let", "X=randn(64,64)", "--let", "K=randn(5,5)", "--let",
          "D=randn(60,60)", NULL},
         0},
        {"  the same by a C loop that recomputes only the 25 outputs an entry feeds",
         30,
         20,
         1,
         {"--local-loop", "64", NULL},
         0},
        {"verify grade: 500 submissions of the pooling-delta exercises",
         1000,
         20,
         0,
         {"grade", "pooling-delta", "DIR", NULL},
         0},
        {"verify --all: every lesson, every check",
         30,
         20,
         0,
         {"--all", "--no-color", NULL},
         0},
        {"verify notes: the seed notes, every formula (6 fail, so status 1)",
         50,
         20,
         0,
         {"notes", NOTES_SEED, "--no-color", NULL},
         1},
        {"verify notes: a 210-formula derivation in another author's letters (the corpus's "
         "blog-xcorr-en.md 15 times; 15 fail, so status 1)",
         100,
         20,
         0,
         {"notes", "NOTES200", "--no-color", NULL},
         1},
        {"dE/dX table, 16x16 input, 5x5 kernel, proved = xcorr(D, K, 'full')",
         20,
         20,
         0,
         {"eval", "equal(grad(sum(D .* conv(X, K)), X), xcorr(D, K, 'full'))", "--let",
          "X=sym(16,16,'x')", "--let", "K=sym(5,5,'k')", "--let", "D=sym(12,12,'d')",
          NULL},
         0},
        {"dE/dX table, 32x32 input, 5x5 kernel, proved = xcorr(D, K, 'full')",
         100,
         20,
         0,
         {"eval", "equal(grad(sum(D .* conv(X, K)), X), xcorr(D, K, 'full'))", "--let",
          "X=sym(32,32,'x')", "--let", "K=sym(5,5,'k')", "--let", "D=sym(28,28,'d')",
          NULL},
         0},
};

static char submissions[64];
static char notes200[96];

#ifndef NOTES_CORPUS_BLOG
#define NOTES_CORPUS_BLOG "tests/notes/corpus/blog-xcorr-en.md"
#endif

/* A long derivation in letters the built-in scenes do not know: one of the
 * corpus's blog posts, 15 times over (14 formulas each). */
static int make_notes200(void)
{
	FILE *in = fopen(NOTES_CORPUS_BLOG, "rb"), *out;
	char buf[16384];
	size_t n;
	int fd;
	if (in == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf, in);
	fclose(in);
	/* not among the submissions, which grade reads */
	snprintf(notes200, sizeof notes200, "/tmp/verify-bench-notes-XXXXXX.md");
	if ((fd = mkstemps(notes200, 3)) < 0 || (out = fdopen(fd, "wb")) == NULL)
		return -1;
	for (int i = 0; i < 15; i++)
		fwrite(buf, 1, n, out);
	return fclose(out) == 0 ? 0 : -1;
}

/* 500 students: two in three right, the others with two wrong answers. */
static int make_submissions(void)
{
	static const char right[] =
	        "dx22: (\\delta_{j}^{l+1})_{11} k_{11} + (\\delta_{j}^{l+1})_{12} k_{12} "
	        "+ "
	        "(\\delta_{j}^{l+1})_{21} k_{21} + (\\delta_{j}^{l+1})_{22} k_{22}\n"
	        "full: xcorr(D, K, 'full')\nvalid: 2: conv2(D, rot180(K), 'full')\n";
	static const char wrong[] = "dx22: d11*k11 + d12*k12 + d21*k21 + d22*k11\n"
	                            "full: conv2(D, K, 'full')\n";
	snprintf(submissions, sizeof submissions, "/tmp/verify-bench-XXXXXX");
	if (mkdtemp(submissions) == NULL)
		return -1;
	for (int i = 0; i < 500; i++) {
		char path[128];
		FILE *f;
		snprintf(path, sizeof path, "%s/student%03d.txt", submissions, i);
		if ((f = fopen(path, "w")) == NULL)
			return -1;
		fputs(i % 3 == 2 ? wrong : right, f);
		fclose(f);
	}
	return 0;
}

static void remove_submissions(void)
{
	for (int i = 0; i < 500; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/student%03d.txt", submissions, i);
		unlink(path);
	}
	unlink(notes200);
	rmdir(submissions);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs verify once; wall time in ms and peak resident memory in MB. */
static int run_once(const char *verify, const char *self, const bench_case *c, double *ms,
                    double *mb)
{
	const char *argv[18];
	struct rusage ru;
	int status, devnull;
	double start;
	pid_t pid;
	size_t n = 0;

	argv[n++] = c->local_loop ? self : verify;
	for (size_t i = 0; c->argv[i] != NULL; i++)
		argv[n++] = strcmp(c->argv[i], "DIR") == 0        ? submissions
		            : strcmp(c->argv[i], "NOTES200") == 0 ? notes200
		                                                  : c->argv[i];
	argv[n] = NULL;
	start = now_ms();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	*ms = now_ms() - start;
	*mb = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(status) && WEXITSTATUS(status) == c->status ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/*
 * The yardstick: the gradient of E = sum(D .* sigmoid(conv(X, K))) by
 * central differences, each entry moving only the k^2 outputs it feeds.
 */
static int local_loop(int n)
{
	enum { k = 5 };
	int m = n - k + 1;
	double *x = malloc(sizeof *x * (size_t)(n * n)), kern[k * k];
	double *dl = malloc(sizeof *dl * (size_t)(m * m)),
	       *net = malloc(sizeof *net * (size_t)(m * m));
	double sum = 0, h = 1e-5;
	unsigned long seed = 12345;

	if (x == NULL || dl == NULL || net == NULL)
		return 1;
	for (int i = 0; i < n * n; i++)
		x[i] = (double)((seed = seed * 6364136223846793005UL + 1) >> 11) /
		               9007199254740992.0 -
		       0.5;
	for (int i = 0; i < k * k; i++)
		kern[i] = (double)((seed = seed * 6364136223846793005UL + 1) >> 11) /
		                  9007199254740992.0 -
		          0.5;
	for (int i = 0; i < m * m; i++)
		dl[i] = (double)((seed = seed * 6364136223846793005UL + 1) >> 11) /
		                9007199254740992.0 -
		        0.5;
	for (int u = 0; u < m; u++)
		for (int v = 0; v < m; v++) {
			double a = 0;
			for (int p = 0; p < k; p++)
				for (int q = 0; q < k; q++)
					a += x[(u + p) * n + v + q] *
					     kern[(k - 1 - p) * k + k - 1 - q];
			net[u * m + v] = a;
		}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			double e[2] = {0, 0};
			for (int s = 0; s < 2; s++) {
				double step = s == 0 ? h : -h;
				for (int p = 0; p < k; p++)
					for (int q = 0; q < k; q++) {
						int u = i - p, v = j - q;
						if (u < 0 || v < 0 || u >= m || v >= m)
							continue;
						double kk =
						        kern[(k - 1 - p) * k + k - 1 - q];
						e[s] += dl[u * m + v] *
						        (sigmoid(net[u * m + v] +
						                 step * kk) -
						         sigmoid(net[u * m + v]));
					}
			}
			sum += (e[0] - e[1]) / (2 * h);
		}
	printf("%g\n", sum);
	free(x);
	free(dl);
	free(net);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 21;
	int failed = 0;
	const char *self = argv[0];

	if (argc == 3 && strcmp(argv[1], "--local-loop") == 0)
		return local_loop(atoi(argv[2]));

	if (argc < 2 || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: bench VERIFY [RUNS]\n");
		return 2;
	}
	if (make_submissions() != 0 || make_notes200() != 0) {
		fprintf(stderr, "bench: cannot write the submissions\n");
		return 2;
	}
	printf("%d runs each; wall time of the whole process (median, max) and peak "
	       "memory\n",
	       runs);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/*
		 * A case followed by its C loop runs in turns with it, so that
		 * the ratio of the two is measured side by side on the same
		 * machine state (this machine's speed drifts from run to run).
		 */
		const bench_case *c[2] = {&cases[i], NULL};
		size_t nc = 1;
		double *ms[2] = {NULL, NULL}, peak[2] = {0, 0};
		if (i + 1 < sizeof cases / sizeof cases[0] && cases[i + 1].local_loop)
			c[nc++] = &cases[++i];
		for (size_t k = 0; k < nc; k++)
			if ((ms[k] = calloc((size_t)runs, sizeof *ms[k])) == NULL)
				return 2;
		for (int r = 0; r < runs && !failed; r++)
			for (size_t k = 0; k < nc; k++) {
				double mb;
				if (run_once(argv[1], self, c[k], &ms[k][r], &mb) != 0) {
					fprintf(stderr, "bench: %s: the command failed\n",
					        c[k]->what);
					failed = 1;
					break;
				}
				if (mb > peak[k])
					peak[k] = mb;
			}
		for (size_t k = 0; k < nc; k++) {
			qsort(ms[k], (size_t)runs, sizeof *ms[k], cmp_double);
			printf("%s\n  %.1f ms median, %.1f ms max (target < %.0f ms); %.1f "
			       "MB peak (target < %.0f MB)\n",
			       c[k]->what, ms[k][runs / 2], ms[k][runs - 1], c[k]->target_ms,
			       peak[k], c[k]->target_mb);
		}
		if (nc == 2)
			printf("  verify takes %.2f times the C loop's time, median of "
			       "each (target < 3)\n",
			       ms[0][runs / 2] / ms[1][runs / 2]);
		free(ms[0]);
		free(ms[1]);
	}
	remove_submissions();
	return failed;
}
