/*
 * notes_cmd: `verify notes FILE.md` -- reads the file, asks the notes engine,
 * renders its report as text, JSON, or the file itself in Markdown with a
 * note under each formula block.
 */
#include "cli/notes_cmd.h"
#include "cli/notes_parts.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/print.h"
#include "core/strbuf.h"
#include "notes/notes.h"
#include "render/render.h"

/* Largest notes file read: far more than any lecture's notes. */
#define NOTES_MAX_BYTES ((size_t)64 << 20)
/* A formula is shortened past this many characters in the text report. */
#define SHORT_LATEX 72

/*
 * The whole of a file (or of standard input for "-"); NULL and errno, or
 * *why.  A file is opened without waiting (a FIFO would hang verify) and
 * must be a regular file; with nofollow, a symbolic link is not followed
 * (a class's folder: only what the listing found is read).
 */
static char *read_all(const char *path, size_t *len, const char **why, int nofollow)
{
	int fd = strcmp(path, "-") == 0
	                 ? STDIN_FILENO
	                 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	                                      (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	char *text = NULL;
	size_t n = 0, cap = 0;

	*why = NULL;
	if (fd < 0) {
		if (errno == ELOOP && nofollow)
			*why = "it is a symbolic link, which is not followed";
		return NULL;
	}
	if (fd != STDIN_FILENO && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		*why = S_ISDIR(st.st_mode) ? "it is a folder, not a file"
		                           : "not a regular file (a FIFO, a socket or a "
		                             "device is never read)";
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t got;
		if (n + 65536 + 1 > cap) {
			size_t ncap = cap == 0 ? 65536 * 2 : cap * 2;
			char *t;
			if (ncap > NOTES_MAX_BYTES + 65536 + 1)
				ncap = NOTES_MAX_BYTES + 65536 + 1;
			if ((t = realloc(text, ncap)) == NULL) {
				free(text);
				if (fd != STDIN_FILENO)
					close(fd);
				errno = ENOMEM;
				return NULL;
			}
			text = t;
			cap = ncap;
		}
		got = read(fd, text + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(text);
			if (fd != STDIN_FILENO)
				close(fd);
			errno = e;
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > NOTES_MAX_BYTES) {
			free(text);
			if (fd != STDIN_FILENO)
				close(fd);
			*why = "the file is larger than 64 MB";
			return NULL;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	text[n] = '\0';
	*len = n;
	return text;
}

/* The verdict's mark: ✓ holds, ✗ fails, ? inconclusive, – not checked. */
static void put_mark(dv_strbuf *b, notes_verdict v, int unicode, int color)
{
	static const char *const u[] = {"✓", "✗", "?", "–"};
	static const char *const a[] = {"ok", "FAIL", "??", "--"};
	static const char *const c[] = {"\033[32m", "\033[31m", "\033[33m", "\033[2m"};
	if (color)
		dv_strbuf_puts(b, c[v]);
	dv_strbuf_puts(b, unicode ? u[v] : a[v]);
	if (color)
		dv_strbuf_puts(b, "\033[0m");
}

/* The formula as written, cut to a width a terminal shows on one line. */
static void put_short(dv_strbuf *b, const char *s)
{
	size_t chars = 0, i;
	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == SHORT_LATEX)
			break;
	}
	dv_strbuf_putn(b, s, i);
	if (s[i] != '\0')
		dv_strbuf_puts(b, " …");
}

int notes_counterexample(dv_strbuf *b, const lesson_check *c, sym_style style)
{
	const lesson_verdict *v;
	const dv_check *k;
	if (c == NULL)
		return 0;
	v = c->exact.value.kind == DV_V_CHECK || c->exact.unevaluable ? &c->exact
	                                                              : &c->numeric;
	if (v->unevaluable) {
		dv_strbuf_printf(b, "it cannot be evaluated at the notes' sizes (%s)",
		                 v->unavailable != NULL ? v->unavailable : "");
		return 1;
	}
	if (v->value.kind != DV_V_CHECK)
		return 0;
	k = &v->value.check;
	if (k->shape_differs) {
		dv_strbuf_printf(b, "the left side is %zux%zu, the right side %zux%zu",
		                 v->value.mat->rows, v->value.mat->cols, v->value.mat2->rows,
		                 v->value.mat2->cols);
		return 1;
	}
	if (k->verdict == DV_VERDICT_HOLDS || k->row == 0)
		return 0;
	dv_strbuf_printf(b, "at (%zu,%zu): ", k->row, k->col);
	dv_put_entry_short(b, v->value.mat, (k->row - 1) * v->value.mat->cols + k->col - 1,
	                   style, 240);
	dv_strbuf_puts(b, style == SYM_ASCII ? " != " : style == SYM_LATEX ? " \\neq " : " ≠ ");
	dv_put_entry_short(b, v->value.mat2, (k->row - 1) * v->value.mat2->cols + k->col - 1,
	                   style, 240);
	return 1;
}

char *notes_counterexample_text(const lesson_check *c, sym_style style)
{
	dv_strbuf cx;
	char *s = NULL;
	dv_strbuf_init(&cx);
	if (notes_counterexample(&cx, c, style) && dv_strbuf_finish(&cx, &s, NULL) == DV_OK)
		return s;
	dv_strbuf_free(&cx);
	return NULL;
}

static void render_text(dv_strbuf *b, const notes_report *r, int unicode, int color)
{
	for (size_t i = 0; i < r->n; i++) {
		const notes_formula *f = &r->items[i];
		if (f->cell > 0) /* a notebook: its cell too */
			dv_strbuf_printf(b, "%s:%d (cell %d, line %d): ", r->path, f->line, f->cell,
			                 f->cell_line);
		else
			dv_strbuf_printf(b, "%s:%d: ", r->path, f->line);
		put_mark(b, f->verdict, unicode, color);
		dv_strbuf_puts(b, " ");
		put_short(b, f->latex);
		dv_strbuf_puts(b, "\n");
		if (f->verdict == NOTES_UNCHECKED) {
			dv_strbuf_printf(b, "    not checked: %s\n", f->reason != NULL ? f->reason : "");
			continue;
		}
		if (f->reading != NULL)
			dv_strbuf_printf(b, "    read %s\n", f->reading);
		if (f->verdict == NOTES_HOLDS && f->reason != NULL)
			dv_strbuf_printf(b, "    %s\n", f->reason);
		if (f->verdict != NOTES_HOLDS) {
			char *s = notes_counterexample_text(f->check,
			                                    unicode ? SYM_UNICODE : SYM_ASCII);
			if (s != NULL) {
				dv_strbuf_printf(b, "    %s%s %s\n",
				                 f->verdict == NOTES_FAILS ? "fails" : "undecided",
				                 strncmp(s, "at (", 4) == 0 ? "" : ":", s);
				free(s);
			}
			if (f->reason != NULL)
				dv_strbuf_printf(b, "    %s\n", f->reason);
			if (f->repair != NULL)
				dv_strbuf_printf(b, "    holds with %s: %s\n", f->repair_what,
				                 f->repair);
			else if (!f->ambiguous) /* (it holds in one reading) */
				dv_strbuf_puts(b, "    no standard repair makes it hold\n");
		}
	}
	dv_strbuf_printf(b, "%zu formulas: %zu hold, %zu fail, ", r->n, r->holds, r->fails);
	if (r->inconclusive > 0)
		dv_strbuf_printf(b, "%zu undecided, ", r->inconclusive);
	dv_strbuf_printf(b, "%zu not checked\n", r->unchecked);
}

/* ---- --format markdown: the file as written, a note under each block ---- */

/* Plain text in Markdown: what Markdown or a math renderer would read as
 * markup is escaped (a_{11} must not start an emphasis, $ a formula). */
static void put_md_text(dv_strbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>$#|~", *s) != NULL)
			dv_strbuf_putn(b, "\\", 1);
		if (*s == '\n')
			dv_strbuf_puts(b, " ");
		else
			dv_strbuf_putn(b, s, 1);
	}
}

/* The math delimiters the file uses at the formula that ends at `end`:
 * a note writes its LaTeX as the file does ($$ for kramdown). */
static void math_delims(const char *text, size_t len, size_t end, const char **open,
                        const char **close)
{
	*open = *close = "$";
	while (end < len && (text[end] == ' ' || text[end] == '\t' || text[end] == '\n' ||
	                     text[end] == '\r'))
		end++;
	if (end + 1 < len && text[end] == '$' && text[end + 1] == '$')
		*open = *close = "$$";
	else if (end + 1 < len && text[end] == '\\' && (text[end + 1] == ')' ||
	                                                   text[end + 1] == ']')) {
		*open = "\\(";
		*close = "\\)";
	}
}

/* Where the Markdown block holding offset `at` ends: past the line before
 * the next blank line, or the end of the file. */
static size_t block_end(const char *text, size_t len, size_t at)
{
	size_t i = at;
	while (i < len) {
		size_t j;
		while (i < len && text[i] != '\n')
			i++;
		if (i == len)
			return len;
		i++; /* past the newline: is the next line blank? */
		for (j = i; j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r');
		     j++)
			;
		if (j == len || text[j] == '\n')
			return i;
	}
	return len;
}

/* One formula's note, a list item of the block's note. */
static void put_md_note(dv_strbuf *b, const notes_formula *f, const char *open,
                        const char *close)
{
	static const char *const mark[] = {"✓", "✗", "?", "–"};
	dv_strbuf_printf(b, "> - %s line %d: ", mark[f->verdict], f->line);
	if (f->verdict == NOTES_UNCHECKED) {
		dv_strbuf_puts(b, "not checked: ");
		put_md_text(b, f->reason != NULL ? f->reason : "");
		dv_strbuf_puts(b, "\n");
		return;
	}
	dv_strbuf_puts(b, f->verdict == NOTES_HOLDS   ? "holds"
	                  : f->verdict == NOTES_FAILS ? "fails"
	                                              : "undecided");
	if (f->reading != NULL) {
		dv_strbuf_puts(b, ", read ");
		put_md_text(b, f->reading);
	}
	if (f->verdict != NOTES_HOLDS) {
		char *s = notes_counterexample_text(f->check, SYM_LATEX);
		if (s != NULL) {
			if (strncmp(s, "at (", 4) == 0) {
				/* at (1,1): lhs \neq rhs */
				char *colon = strstr(s, "): ");
				if (colon != NULL) {
					*colon = '\0';
					dv_strbuf_printf(b, ", at entry %s): %s%s%s", s + 3, open,
					                 colon + 3, close);
				}
			} else {
				dv_strbuf_puts(b, ": ");
				put_md_text(b, s);
			}
			free(s);
		}
	}
	if (f->reason != NULL) {
		dv_strbuf_puts(b, ". ");
		put_md_text(b, f->reason);
	}
	if (f->verdict != NOTES_HOLDS && f->repair != NULL) {
		dv_strbuf_puts(b, ". It holds with ");
		put_md_text(b, f->repair_what);
		dv_strbuf_printf(b, ": %s%s%s", open, f->repair, close);
	} else if (f->verdict != NOTES_HOLDS) {
		dv_strbuf_puts(b, ". No standard repair makes it hold");
	}
	dv_strbuf_puts(b, ".\n");
}

size_t notes_note_place(const notes_formula *f, const char *text, size_t len, size_t from)
{
	size_t at = block_end(text, len, f->end < len ? f->end : len);
	return at < from ? from : at;
}

static void render_markdown(dv_strbuf *b, const notes_report *r, const char *text,
                            size_t len)
{
	size_t from = 0, i = 0;
	while (i < r->n) {
		size_t at = notes_note_place(&r->items[i], text, len, from);
		dv_strbuf_putn(b, text + from, at - from);
		if (at > 0 && text[at - 1] != '\n')
			dv_strbuf_puts(b, "\n");
		dv_strbuf_puts(b, "\n> **verify**\n>\n");
		/* every formula whose block ends here */
		for (; i < r->n && notes_note_place(&r->items[i], text, len, from) == at; i++) {
			const notes_formula *f = &r->items[i];
			const char *open, *close;
			math_delims(text, len, f->end < len ? f->end : len, &open, &close);
			put_md_note(b, f, open, close);
		}
		if (at < len && text[at] != '\n')
			dv_strbuf_puts(b, "\n");
		from = at;
	}
	dv_strbuf_putn(b, text + from, len - from);
	if (len > 0 && text[len - 1] != '\n')
		dv_strbuf_puts(b, "\n");
	dv_strbuf_printf(b, "\n> **verify**: %zu formulas, %zu hold, %zu fail, ", r->n,
	                 r->holds, r->fails);
	if (r->inconclusive > 0)
		dv_strbuf_printf(b, "%zu undecided, ", r->inconclusive);
	dv_strbuf_printf(b, "%zu not checked.\n", r->unchecked);
}

static void add_string(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static char *render_json(const notes_report *r)
{
	cJSON *root = cJSON_CreateObject(), *list, *sum;
	char *out;
	if (root == NULL)
		return NULL;
	cJSON_AddStringToObject(root, "file", r->path);
	list = cJSON_AddArrayToObject(root, "formulas");
	for (size_t i = 0; list != NULL && i < r->n; i++) {
		const notes_formula *f = &r->items[i];
		cJSON *o = cJSON_CreateObject();
		char *s = NULL;
		if (o == NULL)
			break;
		cJSON_AddItemToArray(list, o);
		cJSON_AddNumberToObject(o, "line", f->line);
		cJSON_AddNumberToObject(o, "column", f->column);
		if (f->cell > 0) {
			cJSON_AddNumberToObject(o, "cell", f->cell);
			cJSON_AddNumberToObject(o, "cell_line", f->cell_line);
		}
		cJSON_AddStringToObject(o, "latex", f->latex);
		cJSON_AddStringToObject(o, "verdict", notes_verdict_name(f->verdict));
		cJSON_AddBoolToObject(o, "definition", f->definition);
		cJSON_AddBoolToObject(o, "ambiguous", f->ambiguous);
		add_string(o, "reading", f->reading);
		add_string(o, "claim", f->claim);
		if (f->verdict != NOTES_HOLDS &&
		    (s = notes_counterexample_text(f->check, SYM_LATEX)) != NULL) {
			cJSON_AddStringToObject(o, "counterexample", s);
			free(s);
		} else {
			cJSON_AddNullToObject(o, "counterexample");
		}
		add_string(o, "repair", f->repair);
		add_string(o, "repair_kind", f->repair_what);
		add_string(o, "reason", f->reason);
	}
	sum = cJSON_AddObjectToObject(root, "summary");
	if (sum != NULL) {
		cJSON_AddNumberToObject(sum, "formulas", (double)r->n);
		cJSON_AddNumberToObject(sum, "holds", (double)r->holds);
		cJSON_AddNumberToObject(sum, "fails", (double)r->fails);
		cJSON_AddNumberToObject(sum, "inconclusive", (double)r->inconclusive);
		cJSON_AddNumberToObject(sum, "unchecked", (double)r->unchecked);
	}
	out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

/*
 * Reads the notes at path (and the context at context_path, or NULL) and
 * checks them: EXIT_OK with the report and the file's text, or the exit
 * status after an error message.
 */
/*
 * The file at path as text: NULL with *why set when it cannot be read or is
 * not text (a NUL byte: a binary file, which has no formulas to read).
 */
static char *read_notes_text(const char *path, size_t *len, const char **why, int nofollow)
{
	char *text = read_all(path, len, why, nofollow);
	if (text != NULL && memchr(text, '\0', *len) != NULL) {
		free(text);
		*why = "not text (it holds a NUL byte)";
		return NULL;
	}
	return text;
}

static int check_file(notes_report **r, char **text, size_t *len, const char *path,
                      const char *context_path, unsigned long seed)
{
	const char *why;
	char *context = NULL;
	notes_opts o = {0};
	dv_diag d;

	*r = NULL;
	if ((*text = read_notes_text(path, len, &why, 0)) == NULL) {
		fprintf(stderr, "verify: error: %s: %s\n", path,
		        why != NULL ? why : strerror(errno));
		return EXIT_USAGE;
	}
	if (context_path != NULL && (context = notes_read_context(context_path)) == NULL) {
		free(*text);
		return EXIT_USAGE;
	}
	o.seed = seed;
	o.context = context;
	o.context_path = context_path;
	dv_diag_clear(&d);
	if (notes_check(r, strcmp(path, "-") == 0 ? "<stdin>" : path, *text, *len, &o, &d) !=
	    DV_OK) {
		if (d.line > 0 && context != NULL)
			dv_print_diag(stderr, context_path, context, &d);
		else
			fprintf(stderr, "verify: error: %s\n", d.message);
		free(*text);
		free(context);
		return EXIT_USAGE;
	}
	free(context);
	return EXIT_OK;
}

int notes_check_quietly(notes_report **r, const char *path, const char *context,
                        unsigned long seed, char *why, size_t size)
{
	const char *reason;
	char *text;
	size_t len = 0;
	notes_opts o = {0};
	dv_diag d;
	int rc;

	*r = NULL;
	why[0] = '\0';
	if ((text = read_notes_text(path, &len, &reason, 1)) == NULL) {
		snprintf(why, size, "%s", reason != NULL ? reason : strerror(errno));
		return -1;
	}
	o.seed = seed;
	o.context = context;
	dv_diag_clear(&d);
	rc = notes_check(r, path, text, len, &o, &d);
	free(text);
	if (rc != DV_OK) {
		snprintf(why, size, "%s", d.message);
		return -1;
	}
	if ((*r)->n == 0) {
		notes_report_free(*r);
		*r = NULL;
		snprintf(why, size, "no formula in the file (math goes between $...$, "
		                    "$$...$$, \\(...\\) or \\[...\\])");
		return -1;
	}
	return 0;
}

char *notes_read_context(const char *path)
{
	const char *why;
	size_t len = 0;
	char *text = read_notes_text(path, &len, &why, 0);
	if (text == NULL)
		fprintf(stderr, "verify: error: %s: %s\n", path,
		        why != NULL ? why : strerror(errno));
	return text;
}

int notes_tutor_lessons(lesson_entry **out, size_t *n, const char *path,
                        const char *context_path, unsigned long seed)
{
	notes_report *r = NULL;
	char *text = NULL, **texts = NULL;
	size_t len = 0, nt = 0;
	lesson_entry *list;
	dv_diag d;
	int status = check_file(&r, &text, &len, path, context_path, seed);

	*out = NULL;
	*n = 0;
	if (status != EXIT_OK)
		return status;
	free(text);
	dv_diag_clear(&d);
	if (notes_as_lessons(&texts, &nt, r, &d) != DV_OK) {
		fprintf(stderr, "verify: error: %s\n", d.message);
		notes_report_free(r);
		return EXIT_USAGE;
	}
	notes_report_free(r);
	if ((list = calloc(nt, sizeof *list)) == NULL) {
		for (size_t i = 0; i < nt; i++)
			free(texts[i]);
		free(texts);
		fputs("verify: error: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nt; i++) {
		lesson_entry *e = &list[i];
		e->path = strdup(path);
		if (e->path != NULL &&
		    lesson_parse(&e->lesson, path, texts[i], &e->errors) == DV_OK &&
		    (e->name = strdup(e->lesson->name)) != NULL)
			continue;
		/* what verify wrote must read: anything else is a bug, said so */
		fprintf(stderr, "verify: error: %s: the notes as a lesson do not read: %s\n",
		        path, e->errors.n > 0 ? e->errors.items[0].message : "out of memory");
		for (size_t k = 0; k < nt; k++)
			free(texts[k]);
		free(texts);
		lesson_library_free(list, nt);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nt; i++)
		free(texts[i]);
	free(texts);
	*out = list;
	*n = nt;
	return EXIT_OK;
}

int cmd_notes(int argc, char **argv)
{
	const char *path = NULL, *format = "text", *context_path = NULL, *v;
	unsigned long seed = 1;
	int no_color = 0, status;
	char *text = NULL, *out = NULL;
	size_t len = 0;
	notes_report *r = NULL;
	dv_diag d;

	for (int i = 2; i < argc; i++) {
		int got;
		if ((got = option_value("--format", argc, argv, &i, &format)) != 0) {
			if (got < 0)
				return usage_error(
				        "--format needs a value: text, json, markdown, html or lesson");
			if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
			    strcmp(format, "markdown") != 0 && strcmp(format, "lesson") != 0 &&
			    strcmp(format, "html") != 0)
				return usage_error("unknown format '%s' for notes (text, json, "
				                   "markdown, html or lesson)",
				                   format);
		} else if ((got = option_value("--context", argc, argv, &i, &context_path)) != 0) {
			if (got < 0)
				return usage_error("--context needs a file");
		} else if ((got = option_value("--seed", argc, argv, &i, &v)) != 0) {
			long long s;
			if (got < 0 || (s = parse_seed(v, &seed)) < 0)
				return usage_error("--seed needs a whole number from 0 to 4294967295");
		} else if (strcmp(argv[i], "--no-color") == 0) {
			no_color = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return usage_error("unknown option '%s' for notes", argv[i]);
		} else if (path == NULL) {
			path = argv[i];
		} else {
			return usage_error("notes takes one file, not also '%s'", argv[i]);
		}
	}
	if (path == NULL)
		return usage_error("notes needs a Markdown file (or - for standard input)");
	if ((status = check_file(&r, &text, &len, path, context_path, seed)) != EXIT_OK)
		return status;
	dv_diag_clear(&d);
	if (strcmp(format, "json") == 0) {
		out = render_json(r);
	} else if (strcmp(format, "lesson") == 0) {
		char **texts = NULL;
		size_t n = 0;
		dv_strbuf b;
		if (notes_as_lessons(&texts, &n, r, &d) != DV_OK) {
			fprintf(stderr, "verify: error: %s\n", d.message);
			notes_report_free(r);
			free(text);
			return EXIT_USAGE;
		}
		dv_strbuf_init(&b);
		for (size_t i = 0; i < n; i++) {
			dv_strbuf_printf(&b, "%s%s", i > 0 ? "\n" : "", texts[i]);
			free(texts[i]);
		}
		free(texts);
		if (dv_strbuf_finish(&b, &out, &d) != DV_OK)
			out = NULL;
	} else if (strcmp(format, "markdown") == 0 && r->latex) {
		fprintf(stderr, "verify: error: %s is a LaTeX document: --format markdown gives a "
		                "Markdown file back with its notes; use --format text or json\n",
		        path);
		notes_report_free(r);
		free(text);
		return EXIT_USAGE;
	} else if (strcmp(format, "html") == 0) {
		/* a page that stands alone: the file, rendered, with its notes */
		dv_strbuf b;
		dv_strbuf_init(&b);
		if (notes_render_html(&b, r, r->markdown != NULL ? r->markdown : text,
		                      r->markdown != NULL ? strlen(r->markdown) : len,
		                      &d) != DV_OK) {
			dv_strbuf_free(&b);
			fprintf(stderr, "verify: error: %s\n", d.message);
			notes_report_free(r);
			free(text);
			return EXIT_USAGE;
		}
		if (dv_strbuf_finish(&b, &out, &d) != DV_OK)
			out = NULL;
	} else if (strcmp(format, "markdown") == 0) {
		dv_strbuf b;
		dv_strbuf_init(&b);
		/* a notebook: the Markdown of its cells, with the notes */
		render_markdown(&b, r, r->markdown != NULL ? r->markdown : text,
		                r->markdown != NULL ? strlen(r->markdown) : len);
		if (dv_strbuf_finish(&b, &out, &d) != DV_OK)
			out = NULL;
	} else {
		dv_strbuf b;
		dv_strbuf_init(&b);
		render_text(&b, r, utf8_terminal(),
		            !no_color && getenv("NO_COLOR") == NULL && isatty(STDOUT_FILENO));
		if (dv_strbuf_finish(&b, &out, &d) != DV_OK)
			out = NULL;
	}
	free(text);
	if (out == NULL) {
		notes_report_free(r);
		fprintf(stderr, "verify: error: out of memory\n");
		return EXIT_USAGE;
	}
	fputs(out, stdout);
	if (strcmp(format, "json") == 0)
		fputs("\n", stdout);
	free(out);
	status = r->fails > 0 || r->inconclusive > 0 ? EXIT_CHECK : EXIT_OK;
	notes_report_free(r);
	return status;
}
