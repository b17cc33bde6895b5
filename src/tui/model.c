#include "tui/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "expr/eval.h"
#include "lesson/exercise.h"
#include "lesson/progress.h"
#include "render/lesson_text.h"
#include "sym/ctx.h"

#define ON_LIST (1u << TUI_LIST)
#define ON_LESSON (1u << TUI_LESSON)
#define ON_HELP (1u << TUI_HELP)

/* The largest size the tutorial grows a matrix to: tables stay readable. */
#define TUI_MAX_SIDE 9

const tui_binding tui_bindings[] = {
        {TUI_KEY_UP, ON_LIST | ON_LESSON | ON_HELP, TA_UP, "↑ k",
         "up: the lesson above, the entry above"},
        {'k', ON_LIST | ON_LESSON | ON_HELP, TA_UP, NULL, NULL},
        {TUI_KEY_DOWN, ON_LIST | ON_LESSON | ON_HELP, TA_DOWN, "↓ j", "down"},
        {'j', ON_LIST | ON_LESSON | ON_HELP, TA_DOWN, NULL, NULL},
        {TUI_KEY_ENTER, ON_LIST, TA_OPEN, "Enter →", "open the lesson"},
        {TUI_KEY_RIGHT, ON_LIST, TA_OPEN, NULL, NULL},
        {'l', ON_LIST, TA_OPEN, NULL, NULL},
        {TUI_KEY_LEFT, ON_LESSON, TA_LEFT, "← h", "the entry to the left"},
        {'h', ON_LESSON, TA_LEFT, NULL, NULL},
        {TUI_KEY_RIGHT, ON_LESSON, TA_RIGHT, "→ l", "the entry to the right"},
        {'l', ON_LESSON, TA_RIGHT, NULL, NULL},
        {TUI_KEY_TAB, ON_LESSON, TA_NEXT_PANEL, "Tab", "the next matrix"},
        {TUI_KEY_BTAB, ON_LESSON, TA_PREV_PANEL, "Shift-Tab", "the matrix before"},
        {'n', ON_LESSON, TA_NEXT_STEP, "n space", "the next step"},
        {' ', ON_LESSON, TA_NEXT_STEP, NULL, NULL},
        {'p', ON_LESSON, TA_PREV_STEP, "p", "the step before"},
        {'g', ON_LESSON, TA_FIRST_STEP, "g G", "the first step, the last step"},
        {TUI_KEY_HOME, ON_LESSON, TA_FIRST_STEP, NULL, NULL},
        {'G', ON_LESSON, TA_LAST_STEP, NULL, NULL},
        {TUI_KEY_END, ON_LESSON, TA_LAST_STEP, NULL, NULL},
        {'1', ON_LESSON, TA_JUMP, "1-9", "jump to that step"},
        {'s', ON_LESSON, TA_TOGGLE_VIEW, "s", "symbols or numbers in the matrices"},
        {'r', ON_LESSON, TA_REROLL, "r", "new random numbers (the next seed)"},
        {'>', ON_LESSON, TA_GROW_INPUT, "> <", "a larger or smaller input"},
        {'<', ON_LESSON, TA_SHRINK_INPUT, NULL, NULL},
        {')', ON_LESSON, TA_GROW_KERNEL, ") (", "a larger or smaller kernel"},
        {'(', ON_LESSON, TA_SHRINK_KERNEL, NULL, NULL},
        {TUI_KEY_PGDN, ON_LESSON | ON_HELP, TA_SCROLL_DOWN, "PgDn J",
         "scroll the text (or this list) down"},
        {'J', ON_LESSON | ON_HELP, TA_SCROLL_DOWN, NULL, NULL},
        {TUI_KEY_PGUP, ON_LESSON | ON_HELP, TA_SCROLL_UP, "PgUp K", "scroll it up"},
        {'K', ON_LESSON | ON_HELP, TA_SCROLL_UP, NULL, NULL},
        {TUI_KEY_ESC, ON_LESSON | ON_HELP, TA_BACK, "Esc Backspace",
         "back to the lessons"},
        {TUI_KEY_BACKSPACE, ON_LESSON | ON_HELP, TA_BACK, NULL, NULL},
        {'a', ON_LESSON, TA_ANSWER, "a", "answer the step's exercise (? a hint, giveup)"},
        {'?', ON_LIST | ON_LESSON, TA_HELP, "?", "this list of keys"},
        {'q', ON_LIST | ON_LESSON | ON_HELP, TA_QUIT, "q", "quit"},
        {0, 0, TA_NONE, NULL, NULL},
};

const char *const tui_answer_keys[][2] = {
        {"← → Home End", "answering: move (also Ctrl-A, Ctrl-E)"},
        {"Ctrl-U Ctrl-K", "delete before the cursor, after it"},
        {"Ctrl-W", "delete the word before the cursor"},
        {"↑ ↓", "earlier answers of this session"},
        {"?", "a hint at once"},
        {"Tab", "answering: the step's next exercise (also: skip, next)"},
        {"Shift-Tab", "answering: the exercise before (also: prev); #2 the second"},
        {NULL, NULL},
};

size_t tui_help_lines(void)
{
	size_t n = 0;
	for (const tui_binding *b = tui_bindings; b->key != 0; b++)
		n += b->keys != NULL;
	for (size_t i = 0; tui_answer_keys[i][0] != NULL; i++)
		n++;
	return n;
}

tui_action tui_key_action(tui_screen screen, int key, int *arg)
{
	*arg = 0;
	if (screen == TUI_LESSON && key >= '1' && key <= '9') {
		*arg = key - '0';
		return TA_JUMP;
	}
	for (const tui_binding *b = tui_bindings; b->key != 0; b++)
		if (b->key == key && (b->screens & (1u << screen)))
			return b->action;
	/* on the help screen every other key goes back */
	return screen == TUI_HELP ? TA_BACK : TA_NONE;
}

static int model_alloc(tui_model *m, dv_diag *d)
{
	m->progress = calloc(m->nlessons ? m->nlessons : 1, sizeof *m->progress);
	m->seen = calloc(m->nlessons ? m->nlessons : 1, sizeof *m->seen);
	if (m->progress == NULL || m->seen == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	return DV_OK;
}

int tui_model_with(tui_model **out, lesson_entry *lessons, size_t n, int unicode,
                   unsigned long seed, dv_diag *d)
{
	tui_model *m = calloc(1, sizeof *m);
	int rc;

	*out = NULL;
	if (m == NULL) {
		lesson_library_free(lessons, n);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	m->lessons = lessons;
	m->nlessons = n;
	m->unicode = unicode;
	m->seed = seed;
	if ((rc = model_alloc(m, d)) != DV_OK) {
		tui_model_free(m);
		return rc;
	}
	{
		/* what was solved before, in this or another session */
		dv_diag pd;
		dv_diag_clear(&pd);
		if (tui_model_use_student(m, NULL, &pd) != DV_OK)
			snprintf(m->message, sizeof m->message,
			         "progress is not kept: %s", pd.message);
	}
	*out = m;
	return DV_OK;
}

int tui_model_new(tui_model **out, int unicode, unsigned long seed, dv_diag *d)
{
	lesson_entry *list = NULL;
	size_t n = 0;
	int rc = lesson_library_list(&list, &n, d);

	*out = NULL;
	if (rc != DV_OK)
		return rc;
	if (n == 0) {
		lesson_library_free(list, n);
		return dv_fail(d, DV_E_USAGE,
		               "no lessons found (set VERIFY_LESSONS to their folder)");
	}
	return tui_model_with(out, list, n, unicode, seed, d);
}

void tui_model_free(tui_model *m)
{
	if (m == NULL)
		return;
	lesson_result_free(m->result);
	for (size_t i = 0; i < m->nlessons && m->seen != NULL; i++)
		free(m->seen[i]);
	free(m->seen);
	free(m->progress);
	free(m->verdict);
	for (size_t i = 0; i < m->nhistory; i++)
		free(m->history[i]);
	progress_free(m->saved);
	lesson_library_free(m->lessons, m->nlessons);
	free(m);
}

int tui_exercise_state(const void *model, const char *lesson_name, const char *id)
{
	const tui_model *m = model;
	for (size_t k = 0; m->saved != NULL && k < m->saved->n; k++) {
		const progress_item *it = &m->saved->items[k];
		if (strcmp(it->lesson, lesson_name) == 0 && strcmp(it->id, id) == 0)
			return it->solved ? 1 : it->gave_up ? 2 : 0;
	}
	return 0;
}

void tui_lesson_solved(const tui_model *m, size_t i, size_t *solved, size_t *nex)
{
	const lesson *l = m->lessons[i].lesson;

	*solved = *nex = 0;
	for (size_t s = 0; l != NULL && s < l->nsteps; s++)
		for (size_t j = 0; j < l->steps[s].nactions; j++) {
			const lesson_action *a = &l->steps[s].actions[j];
			if (a->kind != LESSON_EXERCISE)
				continue;
			(*nex)++;
			*solved += tui_exercise_state(m, l->name, a->ex_id) == 1;
		}
}

tui_progress tui_lesson_progress(const tui_model *m, size_t i)
{
	const lesson *l = m->lessons[i].lesson;
	size_t nex = 0, solved = 0;

	if (l == NULL || m->saved == NULL)
		return m->progress[i];
	tui_lesson_solved(m, i, &solved, &nex);
	if (nex > 0 && solved == nex)
		return TUI_EXERCISES_DONE;
	if (solved > 0 && m->progress[i] == TUI_NOT_STARTED)
		return TUI_IN_PROGRESS;
	return m->progress[i];
}

/* ---- the lesson shown ---------------------------------------------------- */

static const lesson *current_lesson(const tui_model *m)
{
	return m->lessons[m->current].lesson;
}

static void build_panels(tui_model *m)
{
	const lesson_result *r = m->result;
	const lesson_step_result *sr = &r->steps[m->step];
	size_t first_show = TUI_MAX_PANELS;

	m->npanels = 0;
	for (size_t i = 0; i < r->nsizes && m->npanels < TUI_MAX_PANELS; i++) {
		const lesson_var_size *v = &r->sizes[i];
		tui_panel *p = &m->panels[m->npanels];
		int scalar = 0;
		for (size_t k = 0; k < r->lesson->nvars; k++)
			if (strcmp(r->lesson->vars[k].name, v->name) == 0)
				scalar = r->lesson->vars[k].scalar;
		/* a scalar (β) is no panel; a matrix 1x1 at this size (D when K
		 * is as large as X) stays one, so that it never vanishes */
		if (scalar || (v->rows == 1 && v->cols == 1 && r->lesson->nvars == 0))
			continue;
		snprintf(p->label, sizeof p->label, "%s", v->name);
		p->sym = dv_env_lookup(r->symbols, v->name);
		p->num = dv_env_lookup(r->shown, v->name);
		p->declared = 1;
		m->npanels++;
	}
	for (size_t j = 0; j < sr->nitems && m->npanels < TUI_MAX_PANELS; j++) {
		const lesson_item *it = &sr->items[j];
		tui_panel *p = &m->panels[m->npanels];
		if (it->numbers == NULL)
			continue;
		snprintf(p->label, sizeof p->label, "%s", it->action->label);
		p->sym = it->table;
		p->num = it->numbers;
		p->declared = 0;
		if (first_show == TUI_MAX_PANELS)
			first_show = m->npanels;
		m->npanels++;
	}
	/* the cursor starts on what the step shows */
	m->panel = first_show < m->npanels ? first_show : 0;
	m->row = m->col = 0;
	m->first_panel = 0;
}

static void mark_seen(tui_model *m)
{
	const lesson *l = current_lesson(m);
	unsigned char *seen = m->seen[m->current];
	int all = 1;

	seen[m->step] = 1;
	for (size_t i = 0; i < l->nsteps; i++) {
		int has_check = 0;
		for (size_t j = 0; j < l->steps[i].nactions; j++)
			has_check |= lesson_is_check(l->steps[i].actions[j].kind);
		if (has_check && !seen[i])
			all = 0;
	}
	m->progress[m->current] = all ? TUI_CHECKS_SEEN : TUI_IN_PROGRESS;
}

static void show_step(tui_model *m, size_t step)
{
	m->step = step;
	m->scroll = 0;
	m->typing = 0;
	m->answering = NULL;
	free(m->verdict);
	m->verdict = NULL;
	build_panels(m);
	mark_seen(m);
}

/* Runs the current lesson with the model's seed and sizes. */
static int run_current(tui_model *m, dv_diag *d)
{
	lesson_opts o = {m->seed, m->sizes, m->nsizes, 0, NULL};
	lesson_result *r = NULL;
	int rc = lesson_run(&r, current_lesson(m), &o, d);

	if (rc != DV_OK)
		return rc;
	lesson_result_free(m->result);
	m->result = r;
	if (m->step >= r->nsteps)
		m->step = 0;
	show_step(m, m->step);
	return DV_OK;
}

static int open_lesson(tui_model *m, size_t i, dv_diag *d)
{
	const lesson *l = m->lessons[i].lesson;
	int rc;

	if (l == NULL)
		return dv_fail(
		        d, DV_E_SYNTAX, "%s cannot be read: %s", m->lessons[i].name,
		        m->lessons[i].errors.n > 0 ? m->lessons[i].errors.items[0].message
		                                   : "");
	if (m->seen[i] == NULL) {
		m->seen[i] = calloc(l->nsteps ? l->nsteps : 1, 1);
		if (m->seen[i] == NULL)
			return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	m->current = i;
	m->nsizes = 0;
	m->step = 0;
	if ((rc = run_current(m, d)) != DV_OK)
		return rc;
	m->screen = TUI_LESSON;
	m->numeric = 0;
	return DV_OK;
}

int tui_model_use_student(tui_model *m, const char *student, dv_diag *d)
{
	progress *p = NULL;
	char *kept = NULL;
	int rc = progress_load(&p, student, &kept, d);

	if (rc != DV_OK)
		return rc;
	if (kept != NULL)
		snprintf(m->message, sizeof m->message,
		         "the progress file was not readable; it is kept as %s", kept);
	free(kept);
	progress_free(m->saved);
	m->saved = p;
	return DV_OK;
}

int tui_open_named(tui_model *m, const char *name, dv_diag *d)
{
	for (size_t i = 0; i < m->nlessons; i++) {
		if (strcmp(m->lessons[i].name, name) == 0) {
			m->list_cursor = i;
			return open_lesson(m, i, d);
		}
	}
	return dv_fail(d, DV_E_USAGE, "no lesson '%s' (verify --list shows them)", name);
}

/* The declared matrix the size keys change: the first (input) or second. */
static const lesson_var *sized_var(const tui_model *m, int which)
{
	const lesson *l = current_lesson(m);
	int seen = 0;
	for (size_t i = 0; i < l->nvars; i++) {
		if (l->vars[i].like != NULL || l->vars[i].scalar)
			continue;
		if (seen++ == which)
			return &l->vars[i];
	}
	return NULL;
}

static void resize(tui_model *m, int which, int delta)
{
	const lesson_var *v = sized_var(m, which);
	lesson_size saved[2];
	size_t nsaved = m->nsizes, k = 0, rows = 0, cols = 0;
	dv_diag d;

	if (v == NULL) {
		snprintf(m->message, sizeof m->message, "this lesson has no %s to resize",
		         which ? "kernel" : "input");
		return;
	}
	memcpy(saved, m->sizes, sizeof saved);
	for (size_t i = 0; i < m->result->nsizes; i++)
		if (strcmp(m->result->sizes[i].name, v->name) == 0) {
			rows = m->result->sizes[i].rows;
			cols = m->result->sizes[i].cols;
		}
	while (k < m->nsizes && strcmp(m->sizes[k].name, v->name) != 0)
		k++;
	if ((delta < 0 && (rows <= 1 || cols <= 1)) ||
	    (delta > 0 && (rows >= TUI_MAX_SIDE || cols >= TUI_MAX_SIDE))) {
		snprintf(m->message, sizeof m->message,
		         "%s stays %zux%zu (from 1x1 to %dx%d)", v->name, rows, cols,
		         TUI_MAX_SIDE, TUI_MAX_SIDE);
		return;
	}
	if (k == m->nsizes)
		m->nsizes++;
	m->sizes[k].name = v->name;
	m->sizes[k].rows = (size_t)((long)rows + delta);
	m->sizes[k].cols = (size_t)((long)cols + delta);
	dv_diag_clear(&d);
	if (run_current(m, &d) != DV_OK) {
		/* in a student's words: what does not fit, not the engine's advice */
		char why[DV_DIAG_MSG];
		char *cut;
		if (strstr(d.message, "kernel is larger than") != NULL ||
		    strstr(d.message, "larger than the") != NULL)
			snprintf(why, sizeof why, "the kernel cannot be larger than the input");
		else
			snprintf(why, sizeof why, "%s", d.message);
		if ((cut = strstr(why, " (at the")) != NULL)
			*cut = '\0';
		snprintf(m->message, sizeof m->message, "%s cannot be %zux%zu here: %s",
		         v->name, m->sizes[k].rows, m->sizes[k].cols, why);
		memcpy(m->sizes, saved, sizeof saved);
		m->nsizes = nsaved;
		return;
	}
	{
		int drawn = 0;
		for (size_t i = 0; i < m->result->nsizes; i++)
			if (strcmp(m->result->sizes[i].name, v->name) == 0)
				drawn = m->result->sizes[i].drawn;
		snprintf(m->message, sizeof m->message, "%s is %zux%zu now%s", v->name,
		         m->sizes[k].rows, m->sizes[k].cols,
		         drawn ? " (the lesson's own numbers are for its own size: "
		                 "these are drawn from the seed)"
		               : "");
	}
}

/* ---- the answer line ------------------------------------------------------ */

static int is_continuation(char c)
{
	return (((unsigned char)c) & 0xC0) == 0x80;
}

/* The start of the character before byte i (tui_char_after: the end of the one at i). */
static size_t char_before(const char *s, size_t i)
{
	if (i > 0)
		i--;
	while (i > 0 && is_continuation(s[i]))
		i--;
	return i;
}

size_t tui_char_after(const char *s, size_t i)
{
	if (s[i] != '\0')
		i++;
	while (s[i] != '\0' && is_continuation(s[i]))
		i++;
	return i;
}

/* Removes bytes [from, to) of the input; the cursor goes to `from`. */
static void cut(tui_model *m, size_t from, size_t to)
{
	memmove(m->input + from, m->input + to, strlen(m->input + to) + 1);
	m->at = from;
}

/* Puts character c (a code point) at the cursor. */
static void insert(tui_model *m, unsigned c)
{
	char u[4];
	size_t k = 0, n = strlen(m->input);

	if (c < 0x80) {
		u[k++] = (char)c;
	} else if (c < 0x800) {
		u[k++] = (char)(0xC0 | (c >> 6));
		u[k++] = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		u[k++] = (char)(0xE0 | (c >> 12));
		u[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (c & 0x3F));
	} else {
		u[k++] = (char)(0xF0 | (c >> 18));
		u[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (c & 0x3F));
	}
	if (n + k >= sizeof m->input) {
		snprintf(m->message, sizeof m->message,
		         "the answer is as long as it can be");
		return;
	}
	memmove(m->input + m->at + k, m->input + m->at, n - m->at + 1);
	memcpy(m->input + m->at, u, k);
	m->at += k;
}

static void set_input(tui_model *m, const char *text)
{
	snprintf(m->input, sizeof m->input, "%s", text);
	m->at = strlen(m->input);
	m->selected = 0;
}

/* Keeps an answer the student sent, for Up to bring back. */
static void remember(tui_model *m, const char *text)
{
	char *copy;
	if (text[0] == '\0' ||
	    (m->nhistory > 0 && strcmp(m->history[m->nhistory - 1], text) == 0))
		return;
	if ((copy = strdup(text)) == NULL)
		return; /* a history is a convenience: without it, answering goes on */
	if (m->nhistory == TUI_HISTORY) {
		free(m->history[0]);
		memmove(m->history, m->history + 1,
		        (TUI_HISTORY - 1) * sizeof *m->history);
		m->nhistory--;
	}
	m->history[m->nhistory++] = copy;
}

static void recall(tui_model *m, int older)
{
	if (older && m->recalled == 0)
		return;
	if (!older && m->recalled >= m->nhistory)
		return;
	if (m->recalled == m->nhistory)
		snprintf(m->draft, sizeof m->draft, "%s", m->input);
	m->recalled = older ? m->recalled - 1 : m->recalled + 1;
	set_input(m, m->recalled == m->nhistory ? m->draft : m->history[m->recalled]);
}

/* ---- answering ----------------------------------------------------------- */

static void set_verdict(tui_model *m, dv_strbuf *b)
{
	char *s = NULL;
	free(m->verdict);
	m->verdict = dv_strbuf_finish(b, &s, NULL) == DV_OK ? s : NULL;
}

static void start_answer(tui_model *m)
{
	const lesson_step_result *sr = &m->result->steps[m->step];
	const lesson_action *first = NULL, *open = NULL;

	/* the first exercise of the step not solved yet, else the first */
	for (size_t j = 0; j < sr->nitems && open == NULL; j++) {
		const lesson_action *a = sr->items[j].action;
		progress_item *it;
		if (a->kind != LESSON_EXERCISE)
			continue;
		if (first == NULL)
			first = a;
		it = m->saved != NULL ? progress_get(m->saved, m->result->lesson->name,
		                                     a->ex_id, NULL)
		                      : NULL;
		if (it == NULL || !it->solved)
			open = a;
	}
	m->answering = open != NULL ? open : first;
	if (m->answering == NULL) {
		snprintf(m->message, sizeof m->message, "this step has no exercise");
		return;
	}
	m->typing = 1;
	set_input(m, "");
	m->recalled = m->nhistory;
}

/*
 * Moves to another of the step's exercises: `to` 0 the next after the one
 * being answered (the first after the last: skip, Tab, next), -1 the one
 * before (Shift-Tab, prev), k > 0 the k-th (#k); the answer typed so far is
 * kept.
 */
static void move_exercise(tui_model *m, long to)
{
	const lesson_step_result *sr = &m->result->steps[m->step];
	const lesson_action *list[64];
	size_t count = 0, cur = 0, want;
	for (size_t j = 0; j < sr->nitems && count < 64; j++) {
		const lesson_action *a = sr->items[j].action;
		if (a->kind != LESSON_EXERCISE)
			continue;
		if (a == m->answering)
			cur = count;
		list[count++] = a;
	}
	if (count <= 1) {
		snprintf(m->message, sizeof m->message,
		         "this is the step's only exercise (giveup shows its answer, Esc stops)");
		return;
	}
	if (to > 0 && (size_t)to > count) {
		snprintf(m->message, sizeof m->message,
		         "the step has %zu exercises: #1 to #%zu (now #%zu, %s)", count, count,
		         cur + 1, m->answering->ex_id);
		return;
	}
	want = to > 0 ? (size_t)to - 1 : to < 0 ? (cur + count - 1) % count : (cur + 1) % count;
	if (want == cur) {
		snprintf(m->message, sizeof m->message, "this is exercise %zu of %zu (%s)",
		         cur + 1, count, m->answering->ex_id);
		return;
	}
	snprintf(m->message, sizeof m->message, "%s %s: exercise %zu of %zu (%s)",
	         m->answering->ex_id, to == 0 ? "skipped" : "left", want + 1, count,
	         list[want]->ex_id);
	m->answering = list[want];
	m->recalled = m->nhistory;
}

/* A command typed at the answer prompt that moves between exercises:
 * skip, next, prev, back, #N, exercise N; 1 when text was one. */
static int moving(tui_model *m, const char *text)
{
	char *end;
	long k;
	if (strcmp(text, "skip") == 0 || strcmp(text, "next") == 0) {
		move_exercise(m, 0);
		return 1;
	}
	if (strcmp(text, "prev") == 0 || strcmp(text, "back") == 0) {
		move_exercise(m, -1);
		return 1;
	}
	if (text[0] == '#')
		text++;
	else if (strncmp(text, "exercise ", 9) == 0)
		text += 9;
	else
		return 0;
	k = strtol(text, &end, 10);
	if (end == text || *end != '\0' || k < 1) {
		snprintf(m->message, sizeof m->message,
		         "#N moves to the step's N-th exercise (#1, #2, ...)");
		return 1;
	}
	move_exercise(m, k);
	return 1;
}

static void save_progress(tui_model *m)
{
	dv_diag d;
	dv_diag_clear(&d);
	if (m->saved != NULL && progress_save(m->saved, &d) != DV_OK)
		snprintf(m->message, sizeof m->message, "progress is not kept: %s",
		         d.message);
}

/* The progress record of the exercise being answered, NULL if none is kept. */
static progress_item *answering_item(tui_model *m)
{
	return m->saved != NULL ? progress_get(m->saved, m->result->lesson->name,
	                                       m->answering->ex_id, NULL)
	                        : NULL;
}

static void ask_hint(tui_model *m)
{
	const lesson_action *ex = m->answering;
	progress_item *it = answering_item(m);
	int used = it != NULL ? it->hints : 0;
	dv_strbuf b;

	dv_strbuf_init(&b);
	if ((size_t)used < ex->nhints) {
		dv_strbuf_printf(&b, "hint %d of %zu: %s", used + 1, ex->nhints,
		                 ex->hints[used]);
		if (it != NULL)
			progress_count(&it->hints);
	} else if (ex->nhints == 0) {
		dv_strbuf_puts(&b, "this exercise has no hints; giveup shows the answer");
	} else {
		dv_strbuf_puts(&b, "no more hints; giveup shows the answer");
	}
	set_verdict(m, &b);
	save_progress(m);
}

static void submit_answer(tui_model *m)
{
	const lesson_action *ex = m->answering;
	progress_item *it = answering_item(m);
	dv_strbuf b;
	dv_diag d;
	char text[sizeof m->input];
	size_t start = strspn(m->input, " "), len;

	snprintf(text, sizeof text, "%s", m->input + start);
	len = strlen(text);
	while (len > 0 && text[len - 1] == ' ')
		text[--len] = '\0';
	if (len == 0) {
		snprintf(m->message, sizeof m->message,
		         "type an answer (? a hint, giveup the answer, skip or Tab the "
		         "next exercise, #N the N-th, Esc stop)");
		return;
	}
	if (strcmp(text, "hint") == 0) {
		set_input(m, "");
		ask_hint(m);
		return;
	}
	if (moving(m, text)) {
		set_input(m, "");
		return;
	}
	dv_strbuf_init(&b);
	dv_diag_clear(&d);
	if (strcmp(text, "giveup") == 0) {
		if (dv_put_solution(&b, m->result, ex, m->unicode) != 0)
			dv_strbuf_puts(&b, "the answer cannot be shown");
		if (it != NULL && !it->solved)
			it->gave_up = 1;
		m->typing = 0;
	} else {
		lesson_answer a;
		remember(m, text);
		m->recalled = m->nhistory;
		dv_strbuf_printf(&b, "%s: ",
		                 ex->ex_kind == EXERCISE_MISTAKE ? "drill" : ex->ex_id);
		if (lesson_answer_check(&a, m->result, ex, text, &d) != DV_OK) {
			dv_strbuf_printf(&b, "cannot be marked: %s", d.message);
		} else {
			dv_put_answer(&b, &a, m->result, m->unicode);
			if (it != NULL && a.problem.code == DV_OK)
				progress_count(&it->attempts);
			if (a.correct) {
				if (it != NULL)
					it->solved = 1;
				m->typing = 0;
			}
			lesson_answer_clear(&a);
		}
		/* not right: the answer stays, selected, so that typing replaces
		 * it and the arrows edit it */
		m->selected = m->typing;
		m->at = strlen(m->input);
	}
	set_verdict(m, &b);
	save_progress(m);
}

static int typing_key(tui_model *m, int key)
{
	size_t n = strlen(m->input);
	int printable = key >= 32 && key < 0x110000 && key != 127;

	m->message[0] = '\0';
	if (m->selected && (printable && key != '?')) {
		/* the last, wrong answer is selected: typing starts afresh */
		m->input[0] = '\0';
		m->at = n = 0;
	}
	if (key != '?' || !printable)
		m->selected = 0;
	switch (key) {
	case TUI_KEY_ENTER:
		submit_answer(m);
		return TUI_REDRAW;
	case TUI_KEY_ESC:
		m->typing = 0;
		return TUI_REDRAW;
	case TUI_KEY_TAB:
		/* Tab: the step's next exercise, the answer typed so far kept */
		move_exercise(m, 0);
		return TUI_REDRAW;
	case TUI_KEY_BTAB:
		move_exercise(m, -1);
		return TUI_REDRAW;
	case '?':
		/* a hint at once: a question mark is never part of an answer */
		ask_hint(m);
		return TUI_REDRAW;
	case TUI_KEY_BACKSPACE:
		if (m->at > 0)
			cut(m, char_before(m->input, m->at), m->at);
		return TUI_REDRAW;
	case TUI_KEY_DELETE:
		cut(m, m->at, tui_char_after(m->input, m->at));
		return TUI_REDRAW;
	case TUI_KEY_LEFT:
		m->at = char_before(m->input, m->at);
		return TUI_REDRAW;
	case TUI_KEY_RIGHT:
		m->at = tui_char_after(m->input, m->at);
		return TUI_REDRAW;
	case TUI_KEY_HOME:
	case TUI_CTRL_A:
		m->at = 0;
		return TUI_REDRAW;
	case TUI_KEY_END:
	case TUI_CTRL_E:
		m->at = n;
		return TUI_REDRAW;
	case TUI_CTRL_U:
		cut(m, 0, m->at);
		return TUI_REDRAW;
	case TUI_CTRL_K:
		m->input[m->at] = '\0';
		return TUI_REDRAW;
	case TUI_CTRL_W: {
		size_t from = m->at;
		while (from > 0 && m->input[from - 1] == ' ')
			from--;
		while (from > 0 && m->input[from - 1] != ' ')
			from--;
		cut(m, from, m->at);
		return TUI_REDRAW;
	}
	case TUI_KEY_UP:
	case TUI_KEY_DOWN:
		recall(m, key == TUI_KEY_UP);
		return TUI_REDRAW;
	case TUI_KEY_PGUP:
	case TUI_KEY_PGDN:
		/* the step's text scrolls while the answer waits */
		return tui_apply(m, key == TUI_KEY_PGUP ? TA_SCROLL_UP : TA_SCROLL_DOWN,
		                 0);
	default:
		break;
	}
	if (!printable)
		return TUI_REDRAW_NONE;
	insert(m, (unsigned)key);
	return TUI_REDRAW;
}

int tui_key(tui_model *m, int key)
{
	int arg;
	tui_action a;

	if (m->typing)
		return typing_key(m, key);
	a = tui_key_action(m->screen, key, &arg);
	return tui_apply(m, a, arg);
}

/* ---- moving the cursor ---------------------------------------------------- */

static const dv_mat *panel_mat(const tui_panel *p)
{
	return p->num != NULL ? p->num : p->sym;
}

static int move_cursor(tui_model *m, tui_action a)
{
	const dv_mat *mat;
	if (m->npanels == 0)
		return TUI_REDRAW_NONE;
	mat = panel_mat(&m->panels[m->panel]);
	switch (a) {
	case TA_UP:
		if (m->row > 0)
			m->row--;
		break;
	case TA_DOWN:
		if (m->row + 1 < mat->rows)
			m->row++;
		break;
	case TA_LEFT:
		if (m->col > 0)
			m->col--;
		else if (m->panel > 0)
			return move_cursor(m, TA_PREV_PANEL);
		break;
	case TA_RIGHT:
		if (m->col + 1 < mat->cols)
			m->col++;
		else if (m->panel + 1 < m->npanels) {
			move_cursor(m, TA_NEXT_PANEL);
			m->col = 0;
		}
		break;
	case TA_NEXT_PANEL:
	case TA_PREV_PANEL: {
		size_t n = m->npanels;
		m->panel =
		        a == TA_NEXT_PANEL ? (m->panel + 1) % n : (m->panel + n - 1) % n;
		mat = panel_mat(&m->panels[m->panel]);
		if (m->row >= mat->rows)
			m->row = mat->rows - 1;
		if (m->col >= mat->cols || a == TA_PREV_PANEL)
			m->col = mat->cols - 1;
		break;
	}
	default:
		break;
	}
	return TUI_REDRAW;
}

/* Scrolls the list of keys by `by` lines, within the list. */
void tui_model_resize(tui_model *m, int width, int height)
{
	(void)width;
	m->height = height;
}

static void help_scroll(tui_model *m, long by)
{
	/* no further than the last screenful: as far as the view goes */
	size_t n = tui_help_lines();
	long shown = (m->height > TUI_MIN_HEIGHT ? m->height : TUI_MIN_HEIGHT) - 4;
	n = n > (size_t)shown ? n - (size_t)shown + 1 : 1;
	if (by < 0)
		m->help_scroll =
		        m->help_scroll > (size_t)-by ? m->help_scroll - (size_t)-by : 0;
	else
		m->help_scroll = m->help_scroll + (size_t)by < n
		                         ? m->help_scroll + (size_t)by
		                         : n - 1;
}

int tui_apply(tui_model *m, tui_action a, int arg)
{
	dv_diag d;

	dv_diag_clear(&d);
	m->message[0] = '\0';
	switch (a) {
	case TA_NONE:
		return TUI_REDRAW_NONE;
	case TA_QUIT:
		m->quit = 1;
		return TUI_REDRAW_NONE;
	case TA_HELP:
		m->before_help = m->screen;
		m->screen = TUI_HELP;
		m->help_scroll = 0;
		return TUI_REDRAW;
	case TA_BACK:
		m->screen = m->screen == TUI_HELP ? m->before_help : TUI_LIST;
		return TUI_REDRAW;
	case TA_OPEN:
		if (open_lesson(m, m->list_cursor, &d) != DV_OK)
			snprintf(m->message, sizeof m->message, "%s", d.message);
		return TUI_REDRAW;
	case TA_UP:
	case TA_DOWN:
		if (m->screen == TUI_HELP) {
			help_scroll(m, a == TA_UP ? -1 : 1);
			return TUI_REDRAW;
		}
		if (m->screen == TUI_LIST) {
			if (a == TA_UP && m->list_cursor > 0)
				m->list_cursor--;
			else if (a == TA_DOWN && m->list_cursor + 1 < m->nlessons)
				m->list_cursor++;
			return TUI_REDRAW;
		}
		return move_cursor(m, a);
	case TA_LEFT:
	case TA_RIGHT:
	case TA_NEXT_PANEL:
	case TA_PREV_PANEL:
		return move_cursor(m, a);
	case TA_NEXT_STEP:
		if (m->step + 1 < m->result->nsteps)
			show_step(m, m->step + 1);
		else
			snprintf(m->message, sizeof m->message,
			         "that was the last step (Esc: the lessons)");
		return TUI_REDRAW;
	case TA_PREV_STEP:
		if (m->step > 0)
			show_step(m, m->step - 1);
		return TUI_REDRAW;
	case TA_FIRST_STEP:
		show_step(m, 0);
		return TUI_REDRAW;
	case TA_LAST_STEP:
		show_step(m, m->result->nsteps - 1);
		return TUI_REDRAW;
	case TA_JUMP:
		if (arg >= 1 && (size_t)arg <= m->result->nsteps)
			show_step(m, (size_t)arg - 1);
		else
			snprintf(m->message, sizeof m->message,
			         "this lesson has %zu steps", m->result->nsteps);
		return TUI_REDRAW;
	case TA_TOGGLE_VIEW:
		m->numeric = !m->numeric;
		return TUI_REDRAW;
	case TA_REROLL:
		m->seed++;
		if (run_current(m, &d) != DV_OK)
			snprintf(m->message, sizeof m->message, "%s", d.message);
		else
			snprintf(m->message, sizeof m->message, "new numbers (seed %lu)",
			         m->seed);
		return TUI_REDRAW;
	case TA_GROW_INPUT:
	case TA_SHRINK_INPUT:
	case TA_GROW_KERNEL:
	case TA_SHRINK_KERNEL:
		resize(m, a == TA_GROW_KERNEL || a == TA_SHRINK_KERNEL,
		       a == TA_GROW_INPUT || a == TA_GROW_KERNEL ? 1 : -1);
		return TUI_REDRAW;
	case TA_SCROLL_DOWN:
		if (m->screen == TUI_HELP)
			help_scroll(m, 5);
		else
			m->scroll += 5;
		return TUI_REDRAW;
	case TA_SCROLL_UP:
		if (m->screen == TUI_HELP)
			help_scroll(m, -5);
		else
			m->scroll = m->scroll > 5 ? m->scroll - 5 : 0;
		return TUI_REDRAW;
	case TA_ANSWER:
		start_answer(m);
		return TUI_REDRAW;
	}
	return TUI_REDRAW_NONE;
}

/* ---- highlighting --------------------------------------------------------- */

#define MAX_ATOMS 512

typedef struct atom_set {
	uint32_t id[MAX_ATOMS];
	size_t n;
} atom_set;

/* The symbols of p, those inside f(...) included. */
static void collect(atom_set *s, const sym_ctx *ctx, const sym_poly *p)
{
	sym_poly_symbols(ctx, p, s->id, &s->n, MAX_ATOMS);
}

static const sym_poly *cell(const tui_panel *p, size_t row, size_t col)
{
	if (p->sym == NULL || row >= p->sym->rows || col >= p->sym->cols)
		return NULL;
	return *(sym_poly *const *)dv_mat_at(p->sym, row * p->sym->cols + col);
}

static int shares(const atom_set *a, const atom_set *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (a->id[i] == b->id[j])
				return 1;
	return 0;
}

int tui_cell_lit(const tui_model *m, size_t p, size_t row, size_t col)
{
	const tui_panel *cur, *target;
	const sym_poly *from, *to;
	const sym_ctx *ctx;
	atom_set a, b;

	if (m->result == NULL || m->npanels == 0 || p >= m->npanels)
		return 0;
	if (p == m->panel && row == m->row && col == m->col)
		return 0;
	cur = &m->panels[m->panel];
	target = &m->panels[p];
	from = cell(cur, m->row, m->col);
	to = cell(target, row, col);
	if (from == NULL || to == NULL)
		return 0;
	/* from a result to the inputs that feed it, and from an input to the
	 * results it feeds: never between two results or two inputs */
	if (cur->declared == target->declared)
		return 0;
	ctx = lesson_result_symbols(m->result);
	a.n = b.n = 0;
	collect(&a, ctx, from);
	collect(&b, ctx, to);
	return shares(&a, &b);
}
