/* Tests of the terminal tutorial without a terminal: the keymap, moving
 * through lessons and entries, the highlight read from the symbols, and
 * the lines the view draws. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <check.h>
#include <gsl/gsl_errno.h>

#include "tui/model.h"
#include "tui/view.h"

#ifndef LESSONS_DIR
#error "LESSONS_DIR must name the lessons folder"
#endif

static tui_model *m;
static dv_diag d;

static char state[128];

static void setup(void)
{
	gsl_set_error_handler_off();
	setlocale(LC_CTYPE, "C.UTF-8");
	setenv("VERIFY_LESSONS", LESSONS_DIR, 1);
	snprintf(state, sizeof state, "/tmp/verify-check-tui-%ld", (long)getpid());
	setenv("XDG_STATE_HOME", state, 1);
	dv_diag_clear(&d);
	ck_assert_msg(tui_model_new(&m, 1, 1, &d) == DV_OK, "%s", d.message);
}

static void teardown(void)
{
	char cmd[200];
	tui_model_free(m);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", state);
}

static void type(const char *s)
{
	/* one character at a time, as the terminal sends them */
	mbstate_t st;
	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &st);
		ck_assert(n != (size_t)-1 && n != (size_t)-2 && n > 0);
		tui_key(m, (int)wc);
		s += n;
	}
}

static void press(int key)
{
	int arg;
	tui_action a = tui_key_action(m->screen, key, &arg);
	tui_apply(m, a, arg);
}

static void open_lesson(const char *name)
{
	ck_assert_msg(tui_open_named(m, name, &d) == DV_OK, "%s", d.message);
	ck_assert_int_eq(m->screen, TUI_LESSON);
}

/* The panel labelled `label`. */
static size_t panel(const char *label)
{
	for (size_t i = 0; i < m->npanels; i++)
		if (strcmp(m->panels[i].label, label) == 0)
			return i;
	ck_abort_msg("no panel %s", label);
	return 0;
}

/* The frame as one string, lines joined by newlines. */
static char *screen_text(int width, int height)
{
	tui_frame f;
	size_t len = 0;
	char *s;
	ck_assert_int_eq(tui_render(&f, m, width, height), DV_OK);
	for (int y = 0; y < f.height; y++)
		len += strlen(f.lines[y].text) + 1;
	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (int y = 0; y < f.height; y++) {
		strcat(s, f.lines[y].text);
		strcat(s, "\n");
		ck_assert_msg(tui_text_cols(f.lines[y].text) <= width,
		              "line %d is wider than %d: %s", y, width, f.lines[y].text);
	}
	tui_frame_free(&f);
	return s;
}

static void expect_on_screen(const char *what, int width, int height)
{
	char *s = screen_text(width, height);
	ck_assert_msg(strstr(s, what) != NULL, "'%s' is not on the %dx%d screen:\n%s",
	              what, width, height, s);
	free(s);
}

START_TEST(test_keymap_vi_keys_and_arrows_agree)
{
	int arg;
	ck_assert_int_eq(tui_key_action(TUI_LIST, 'j', &arg), TA_DOWN);
	ck_assert_int_eq(tui_key_action(TUI_LIST, TUI_KEY_DOWN, &arg), TA_DOWN);
	ck_assert_int_eq(tui_key_action(TUI_LIST, TUI_KEY_ENTER, &arg), TA_OPEN);
	ck_assert_int_eq(tui_key_action(TUI_LESSON, 'h', &arg), TA_LEFT);
	ck_assert_int_eq(tui_key_action(TUI_LESSON, TUI_KEY_LEFT, &arg), TA_LEFT);
	ck_assert_int_eq(tui_key_action(TUI_LESSON, 'l', &arg), TA_RIGHT);
	ck_assert_int_eq(tui_key_action(TUI_LESSON, '3', &arg), TA_JUMP);
	ck_assert_int_eq(arg, 3);
	ck_assert_int_eq(tui_key_action(TUI_LIST, '3', &arg), TA_NONE);
	/* q leaves from anywhere; on the help screen any other key goes back */
	for (int s = TUI_LIST; s <= TUI_HELP; s++)
		ck_assert_int_eq(tui_key_action((tui_screen)s, 'q', &arg), TA_QUIT);
	ck_assert_int_eq(tui_key_action(TUI_HELP, 'x', &arg), TA_BACK);
}
END_TEST

START_TEST(test_keymap_has_no_conflicts)
{
	for (const tui_binding *a = tui_bindings; a->key != 0; a++)
		for (const tui_binding *b = a + 1; b->key != 0; b++)
			ck_assert_msg(a->key != b->key || !(a->screens & b->screens) ||
			                      a->action == b->action,
			              "key %d means two things on one screen", a->key);
}
END_TEST

START_TEST(test_list_opens_lessons_and_tracks_progress)
{
	ck_assert_int_eq(m->screen, TUI_LIST);
	ck_assert_uint_eq(m->nlessons, 17);
	press('k'); /* stays at the top */
	ck_assert_uint_eq(m->list_cursor, 0);
	press('j');
	press(TUI_KEY_DOWN);
	ck_assert_uint_eq(m->list_cursor, 2);
	press(TUI_KEY_ENTER);
	ck_assert_int_eq(m->screen, TUI_LESSON);
	ck_assert_str_eq(m->result->lesson->name, "index-formula");
	ck_assert_int_eq(m->progress[2], TUI_IN_PROGRESS);
	press('G'); /* the last step has no check: seeing it is not enough */
	ck_assert_int_eq(m->progress[2], TUI_IN_PROGRESS);
	press('g');
	for (size_t i = 0; i < m->result->nsteps; i++)
		press('n');
	ck_assert_int_eq(m->progress[2], TUI_CHECKS_SEEN);
	press(TUI_KEY_ESC);
	ck_assert_int_eq(m->screen, TUI_LIST);
	expect_on_screen("all checks seen ✓", 80, 24);
	expect_on_screen("not started", 80, 24);
	/* the chosen lesson's place in the notes */
	expect_on_screen("source: 前向传播, 1.卷积层: F_{u,v}", 80, 24);
}
END_TEST

START_TEST(test_steps_forward_back_and_jump)
{
	open_lesson("pooling-delta");
	ck_assert_uint_eq(m->step, 0);
	press('n');
	press(' ');
	ck_assert_uint_eq(m->step, 2);
	press('p');
	ck_assert_uint_eq(m->step, 1);
	press('6');
	ck_assert_uint_eq(m->step, 5);
	press('n');
	ck_assert_uint_eq(m->step, 5);
	ck_assert_str_eq(m->message, "that was the last step (Esc: the lessons)");
	press('9');
	ck_assert_str_eq(m->message, "this lesson has 6 steps");
	press('g');
	ck_assert_uint_eq(m->step, 0);
}
END_TEST

START_TEST(test_highlight_forward_entry_shows_what_feeds_it)
{
	size_t a, x, k;
	open_lesson("forward-conv");
	a = panel("a");
	x = panel("X");
	k = panel("K");
	/* the cursor starts on a11 */
	ck_assert_uint_eq(m->panel, a);
	for (size_t r = 0; r < 3; r++)
		for (size_t c = 0; c < 3; c++)
			ck_assert_int_eq(tui_cell_lit(m, x, r, c), r < 2 && c < 2);
	for (size_t r = 0; r < 2; r++)
		for (size_t c = 0; c < 2; c++)
			ck_assert(tui_cell_lit(m, k, r, c));
	ck_assert(!tui_cell_lit(m, a, 0, 1)); /* results do not light results */
	/* a22 is fed by x22 x23 x32 x33 */
	press('j');
	press('l');
	ck_assert(tui_cell_lit(m, x, 2, 2));
	ck_assert(!tui_cell_lit(m, x, 0, 0));
	expect_on_screen("a₂₂ = x₂₂k₂₂ + x₂₃k₂₁ + x₃₂k₁₂ + x₃₃k₁₁ = 63", 80, 24);
}
END_TEST

START_TEST(test_highlight_input_entry_shows_what_it_feeds)
{
	size_t a, x;
	open_lesson("forward-conv");
	a = panel("a");
	x = panel("X");
	/* Tab round to X: x11 only enters a11 */
	while (m->panel != x)
		press(TUI_KEY_TAB);
	ck_assert_uint_eq(m->row, 0);
	ck_assert_uint_eq(m->col, 0);
	ck_assert(tui_cell_lit(m, a, 0, 0));
	ck_assert(!tui_cell_lit(m, a, 0, 1));
	ck_assert(!tui_cell_lit(m, a, 1, 0));
	ck_assert(!tui_cell_lit(m, a, 1, 1));
	/* x22 enters all four */
	press('j');
	press('l');
	for (size_t r = 0; r < 2; r++)
		for (size_t c = 0; c < 2; c++)
			ck_assert(tui_cell_lit(m, a, r, c));
}
END_TEST

START_TEST(test_highlight_gradient_entry_shows_delta_and_kernel)
{
	size_t g, dl, k;
	open_lesson("pooling-delta");
	press('2');
	g = panel("∂E/∂x");
	dl = panel("D");
	k = panel("K");
	ck_assert_uint_eq(m->panel, g);
	press('j');
	press('l'); /* ∂E/∂x22 = δ11k11 + δ12k12 + δ21k21 + δ22k22 */
	for (size_t r = 0; r < 2; r++)
		for (size_t c = 0; c < 2; c++) {
			ck_assert(tui_cell_lit(m, dl, r, c));
			ck_assert(tui_cell_lit(m, k, r, c));
		}
	expect_on_screen("∂E/∂x₂₂ = δ₁₁k₁₁ + δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₂", 80, 24);
}
END_TEST

START_TEST(test_view_switches_between_symbols_and_numbers)
{
	open_lesson("forward-conv");
	expect_on_screen("x₁₁", 80, 24);
	press('s');
	ck_assert(m->numeric);
	expect_on_screen("numbers (s: symbols)", 80, 24);
	expect_on_screen("23", 80, 24);
}
END_TEST

START_TEST(test_sizes_and_numbers_change_and_checks_follow)
{
	unsigned long seed;
	open_lesson("forward-conv");
	press('>');
	ck_assert_str_eq(m->message, "X is 4x4 now (the lesson's own numbers are for its "
	                             "own size: these are drawn from the seed)");
	ck_assert_uint_eq(m->result->npassed, m->result->nchecks);
	press('<');
	ck_assert_str_eq(m->message, "X is 3x3 now");
	press(TUI_KEY_ESC);
	open_lesson("pooling-delta");
	press('>');
	ck_assert_str_eq(m->message, "X is 4x4 now");
	ck_assert_uint_eq(m->panels[panel("X")].sym->rows, 4);
	ck_assert_uint_eq(m->panels[panel("D")].sym->rows, 3);
	ck_assert_uint_eq(m->result->npassed, m->result->nchecks);
	press(')');
	ck_assert_str_eq(m->message, "K is 3x3 now");
	ck_assert_uint_eq(m->result->npassed, m->result->nchecks);
	press('<');
	ck_assert_str_eq(m->message, "X is 3x3 now");
	/* D is 1x1 now, and still a panel: nothing vanishes */
	ck_assert_uint_eq(m->panels[panel("D")].sym->rows, 1);
	/* smaller than the kernel: said in a student's words */
	press('<');
	ck_assert_str_eq(m->message,
	                 "X cannot be 2x2 here: the kernel cannot be larger than the input");
	press('>');
	seed = m->seed;
	press('r');
	ck_assert_uint_eq(m->seed, seed + 1);
	ck_assert_uint_eq(m->result->npassed, m->result->nchecks);
}
END_TEST

START_TEST(test_screens_fit_80x24_and_larger)
{
	static const int sizes[][2] = {{80, 24}, {120, 40}, {64, 20}};
	for (size_t i = 0; i < 3; i++) {
		m->screen = TUI_LIST;
		expect_on_screen("pooling-delta", sizes[i][0], sizes[i][1]);
		open_lesson("network");
		expect_on_screen("network · step 1/7", sizes[i][0], sizes[i][1]);
		press('?');
		expect_on_screen("the next matrix", sizes[i][0], sizes[i][1]);
		press('x');
		ck_assert_int_eq(m->screen, TUI_LESSON);
	}
}
END_TEST

START_TEST(test_too_small_asks_for_a_larger_window)
{
	expect_on_screen("make the window larger (needs 64x20)", 60, 18);
	expect_on_screen("make the window larger (needs 64x20)", 100, 10);
}
END_TEST

START_TEST(test_ascii_when_the_locale_is_not_utf8)
{
	m->unicode = 0;
	open_lesson("forward-conv");
	expect_on_screen("a11 = x11*k22 + x12*k21 + x21*k12 + x22*k11 = 23", 80, 24);
	press('n');
	expect_on_screen("ok claim", 80, 24);
}
END_TEST

START_TEST(test_answering_an_exercise_in_place)
{
	open_lesson("pooling-delta");
	press('2');
	tui_key(m, 'a');
	ck_assert_str_eq(m->message, "this step has no exercise");
	ck_assert(!m->typing);
	press('6');
	tui_key(m, 'a');
	ck_assert(m->typing);
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	expect_on_screen("answer dx22> _", 80, 24);
	/* '?' asks for a hint at once, and is not typed into the answer */
	type("?");
	ck_assert_str_eq(m->verdict,
	                 "hint 1 of 3: x₂₂ enters all four outputs a₁₁, a₁₂, a₂₁, a₂₂.");
	ck_assert_str_eq(m->input, "");
	type("δ₁₁k₁₁ + δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₁");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->verdict, "dx22: ✗ not yet: missing δ₂₂k₂₂; extra δ₂₂k₂₁\n");
	ck_assert(m->typing);
	/* the wrong answer stays, selected: the arrows and Backspace edit it */
	ck_assert(m->selected);
	ck_assert_str_eq(m->input, "δ₁₁k₁₁ + δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₁");
	tui_key(m, TUI_KEY_BACKSPACE); /* k₂₁ -> k₂ */
	ck_assert(!m->selected);
	type("₂");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->verdict, "dx22: ✓ right\n");
	ck_assert(!m->typing);
	/* marked in its step, and counted in the list */
	expect_on_screen("✓ solved (a: answer it again)", 120, 40);
	{
		size_t solved, nex;
		tui_lesson_solved(m, 7, &solved, &nex);
		ck_assert_uint_eq(solved, 1);
		ck_assert_uint_eq(nex, 3);
	}
	/* the next 'a' goes to the next open exercise */
	tui_key(m, 'a');
	ck_assert_str_eq(m->answering->ex_id, "full");
	type("xcorr(D, K, 'full')");
	tui_key(m, TUI_KEY_ENTER);
	press(TUI_KEY_ESC);
	expect_on_screen("2 of 3 solved", 80, 24);
	open_lesson("pooling-delta");
	press('6');
	tui_key(m, 'a');
	ck_assert_str_eq(m->answering->ex_id, "valid");
	type("2: conv2(D, rot180(K), 'full')");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->verdict, "valid: ✓ right\n");
	/* all three solved, and kept: the list says so, now and next time */
	ck_assert_int_eq(tui_lesson_progress(m, 7), TUI_EXERCISES_DONE);
	tui_model_free(m);
	ck_assert_int_eq(tui_model_new(&m, 1, 1, &d), DV_OK);
	ck_assert_int_eq(tui_lesson_progress(m, 7), TUI_EXERCISES_DONE);
	expect_on_screen("exercises done ✓", 80, 24);
}
END_TEST

/* skip and Tab go to the step's next exercise, in any order; an equation
 * answers (#26) */
START_TEST(test_moving_between_a_steps_exercises)
{
	open_lesson("pooling-delta");
	press('6');
	tui_key(m, 'a');
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	type("skip");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->answering->ex_id, "full");
	ck_assert_str_eq(m->message, "dx22 skipped: exercise 2 of 3 (full)");
	ck_assert_str_eq(m->input, "");
	expect_on_screen("answer full> _", 80, 24);
	tui_key(m, TUI_KEY_TAB);
	ck_assert_str_eq(m->answering->ex_id, "valid");
	type("line 2 should be conv2(D, rot180(K), 'full')");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->verdict, "valid: ✓ right\n");
	tui_key(m, 'a');
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	tui_key(m, TUI_KEY_TAB); /* from the first, the next open... */
	ck_assert_str_eq(m->answering->ex_id, "full");
	tui_key(m, TUI_KEY_TAB);
	tui_key(m, TUI_KEY_TAB); /* ...and round to the first */
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	type("x22 = d11*k11 + d12*k12 + d21*k21 + d22*k22");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->verdict, "dx22: ✓ right\n");
}
END_TEST

/* Shift-Tab and prev go back, #N and exercise N to the N-th (#26) */
START_TEST(test_exercises_back_and_by_number)
{
	open_lesson("pooling-delta");
	press('6');
	tui_key(m, 'a');
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	type("d11");
	tui_key(m, TUI_KEY_BTAB); /* round to the last, the answer kept */
	ck_assert_str_eq(m->answering->ex_id, "valid");
	ck_assert_str_eq(m->message, "dx22 left: exercise 3 of 3 (valid)");
	ck_assert_str_eq(m->input, "d11");
	tui_key(m, TUI_CTRL_U);
	type("prev");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->answering->ex_id, "full");
	type("#1");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->answering->ex_id, "dx22");
	ck_assert_str_eq(m->message, "full left: exercise 1 of 3 (dx22)");
	type("exercise 3");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->answering->ex_id, "valid");
	type("#9");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->answering->ex_id, "valid");
	ck_assert_str_eq(m->message, "the step has 3 exercises: #1 to #3 (now #3, valid)");
	type("#3");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->message, "this is exercise 3 of 3 (valid)");
}
END_TEST

/* The entry under the cursor is said once each way: P's corner is a zero
 * of the padding, "P₁₁ = 0", never "P₁₁ = 0 = 0 = 0". */
START_TEST(test_the_entry_line_has_no_repeats)
{
	char *s;
	open_lesson("pooling-delta");
	press('3');
	s = screen_text(80, 24);
	ck_assert_msg(strstr(s, "P₁₁ = 0 = 0") == NULL, "a repeat:\n%s", s);
	ck_assert_msg(strstr(s, "P₁₁ = 0") != NULL, "P₁₁ is not said:\n%s", s);
	free(s);
}
END_TEST

/* A list longer than its window says so, above and below (three lessons
 * were hidden at 64x20 without a word). */
START_TEST(test_the_list_says_more_below_and_above)
{
	ck_assert_int_eq(m->screen, TUI_LIST);
	expect_on_screen("… more below (↓)", 64, 20);
	for (int i = 0; i < 16; i++)
		press('j');
	expect_on_screen("… more above (↑)", 64, 20);
}
END_TEST

/* A title longer than the screen ends in "…", never cut mute. */
START_TEST(test_a_long_title_is_cut_with_an_ellipsis)
{
	char *s, *nl;
	open_lesson("frameworks");
	press('2'); /* "Under the frameworks' forward step the notes' formulas hold" */
	s = screen_text(64, 20);
	nl = strchr(s, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	ck_assert_msg(strstr(s, "…") != NULL, "the title is cut without a word: %s", s);
	free(s);
}
END_TEST

/* The input as the answer line shows it, from the 80x24 frame. */
static char *answer_line(void)
{
	tui_frame f;
	char *line = NULL;
	ck_assert_int_eq(tui_render(&f, m, 80, 24), DV_OK);
	for (int y = 0; y < f.height; y++)
		if (strncmp(f.lines[y].text, " answer ", 8) == 0)
			line = strdup(f.lines[y].text);
	tui_frame_free(&f);
	ck_assert_ptr_nonnull(line);
	return line;
}

START_TEST(test_answer_line_edits_like_a_shell)
{
	char *l;
	open_lesson("pooling-delta");
	press('6');
	tui_key(m, 'a');
	type("d11*k11 + d12*k12");
	/* Left, Right, Home and End move; typing goes in at the cursor */
	tui_key(m, TUI_KEY_HOME);
	ck_assert_uint_eq(m->at, 0);
	type("2*");
	ck_assert_str_eq(m->input, "2*d11*k11 + d12*k12");
	tui_key(m, TUI_KEY_END);
	tui_key(m, TUI_KEY_LEFT);
	tui_key(m, TUI_KEY_LEFT);
	type("x");
	ck_assert_str_eq(m->input, "2*d11*k11 + d12*kx12");
	tui_key(m, TUI_KEY_BACKSPACE);
	tui_key(m, TUI_KEY_RIGHT);
	tui_key(m, TUI_KEY_DELETE);
	ck_assert_str_eq(m->input, "2*d11*k11 + d12*k1");
	/* Ctrl-W takes the word before the cursor, Ctrl-U all before it */
	tui_key(m, TUI_KEY_END);
	tui_key(m, TUI_CTRL_W);
	ck_assert_str_eq(m->input, "2*d11*k11 + ");
	tui_key(m, TUI_CTRL_U);
	ck_assert_str_eq(m->input, "");
	/* a character of several bytes is one step of the cursor */
	type("δ₁₁k₂₂");
	tui_key(m, TUI_KEY_LEFT);
	tui_key(m, TUI_KEY_LEFT);
	tui_key(m, TUI_KEY_BACKSPACE);
	ck_assert_str_eq(m->input, "δ₁₁₂₂");
	/* the cursor is drawn on its character */
	l = answer_line();
	ck_assert_str_eq(l, " answer dx22> δ₁₁₂₂");
	free(l);
	/* a line longer than the room shows its end, where the cursor is */
	tui_key(m, TUI_KEY_END);
	type(" + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂ + δ₂₂k₂₂");
	l = answer_line();
	ck_assert_msg(strncmp(l, " answer dx22> …", strlen(" answer dx22> …")) == 0, "%s",
	              l);
	ck_assert_msg(strcmp(l + strlen(l) - strlen("δ₂₂k₂₂_"), "δ₂₂k₂₂_") == 0, "%s", l);
	ck_assert_int_le(tui_text_cols(l), 80);
	free(l);
	for (int i = 0; i < 8; i++)
		tui_key(m, TUI_CTRL_W), tui_key(m, TUI_CTRL_W);
	ck_assert_str_eq(m->input, "δ₁₁₂₂ "); /* as a shell's Ctrl-W leaves it */
	tui_key(m, TUI_KEY_BACKSPACE);
	tui_key(m, TUI_KEY_LEFT);
	tui_key(m, TUI_KEY_LEFT);
	/* Ctrl-U deletes what is before the cursor only */
	tui_key(m, TUI_CTRL_U);
	ck_assert_str_eq(m->input, "₂₂");
	tui_key(m, TUI_CTRL_K);
	ck_assert_str_eq(m->input, "");
	/* a wrong answer stays selected: typing replaces it */
	type("d11*k11");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert(m->typing);
	ck_assert(m->selected);
	type("d");
	ck_assert_str_eq(m->input, "d");
	/* Up brings back earlier answers, Down the line being typed */
	tui_key(m, TUI_CTRL_U);
	type("d12*k12");
	tui_key(m, TUI_KEY_ENTER);
	type("half");
	tui_key(m, TUI_KEY_UP);
	ck_assert_str_eq(m->input, "d12*k12");
	tui_key(m, TUI_KEY_UP);
	ck_assert_str_eq(m->input, "d11*k11");
	tui_key(m, TUI_KEY_UP);
	ck_assert_str_eq(m->input, "d11*k11");
	tui_key(m, TUI_KEY_DOWN);
	tui_key(m, TUI_KEY_DOWN);
	ck_assert_str_eq(m->input, "half");
	/* PgDn and PgUp scroll the step while the answer waits */
	tui_key(m, TUI_KEY_PGDN);
	ck_assert_uint_eq(m->scroll, 5);
	tui_key(m, TUI_KEY_PGUP);
	ck_assert_uint_eq(m->scroll, 0);
	ck_assert(m->typing);
	ck_assert_str_eq(m->input, "half");
	/* Enter on nothing says what to do, and marks nothing */
	tui_key(m, TUI_CTRL_U);
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_str_eq(m->message,
	                 "type an answer (? a hint, giveup the answer, skip or Tab the next "
	                 "exercise, #N the N-th, Esc stop)");
	ck_assert(m->typing);
}
END_TEST

/* Every word of text is on the width x height screen (wrapped, not cut). */
static void expect_words_on_screen(const char *text, int width, int height)
{
	char *screen = screen_text(width, height), *copy = strdup(text), *save = NULL;
	ck_assert_ptr_nonnull(copy);
	for (char *w = strtok_r(copy, " \n", &save); w != NULL;
	     w = strtok_r(NULL, " \n", &save))
		ck_assert_msg(strstr(screen, w) != NULL,
		              "'%s' of '%s' is not on the %dx%d screen:\n%s", w, text,
		              width, height, screen);
	free(copy);
	free(screen);
}

START_TEST(test_nothing_is_hidden_without_a_word)
{
	open_lesson("pooling-delta");
	press('2');
	/* at 64 columns the step's table leaves room for one input: the one
	 * its entry lights (δ₁₁ of δ₁₁k₂₂), and the others are named */
	expect_on_screen("D          ∂E/∂x                      hidden: ← X, K, N (Tab)",
	                 64, 20);
	ck_assert(tui_cell_lit(m, panel("D"), 0, 0));
	{
		char *wide = screen_text(80, 24);
		ck_assert_msg(strstr(wide, "hidden:") == NULL, "%s", wide);
		free(wide);
	}
	press(TUI_KEY_BTAB);
	ck_assert_str_eq(m->panels[m->panel].label, "N");
	expect_on_screen("hidden: ← X · ∂E/∂x → (Tab)", 64, 20);
	/* a matrix taller than its rows: which rows, and the cursor's stays */
	open_lesson("forward-conv");
	for (int i = 0; i < 5; i++)
		press('>');
	ck_assert_str_eq(m->panels[0].label, "X");
	m->panel = 0;
	expect_on_screen("rows 1–5 of 8", 64, 20);
	for (int i = 0; i < 7; i++)
		press(TUI_KEY_DOWN);
	ck_assert_uint_eq(m->row, 7);
	expect_on_screen("rows 4–8 of 8", 64, 20);
	expect_on_screen("x₈₁  x₈₂", 64, 20);
	/* at 120x40 everything fits and nothing is said */
	{
		char *big = screen_text(120, 40);
		ck_assert_msg(strstr(big, "hidden:") == NULL, "%s", big);
		free(big);
	}
}
END_TEST

START_TEST(test_messages_and_verdicts_wrap)
{
	static const int sizes[][2] = {{64, 20}, {80, 24}, {120, 40}};
	open_lesson("forward-conv");
	press('>');
	press('>');
	ck_assert_msg(strlen(m->message) > 64, "%s", m->message);
	for (size_t i = 0; i < 3; i++)
		expect_words_on_screen(m->message, sizes[i][0], sizes[i][1]);
	open_lesson("pooling-delta");
	press('6');
	tui_key(m, 'a');
	type("d11*k11 + d11*k12 + d11*k21 + d12*k11 + d12*k21 + d21*k11 + d21*k12");
	tui_key(m, TUI_KEY_ENTER);
	ck_assert_msg(strlen(m->verdict) > 80, "%s", m->verdict);
	for (size_t i = 0; i < 3; i++)
		expect_words_on_screen(m->verdict, sizes[i][0], sizes[i][1]);
}
END_TEST

START_TEST(test_the_key_list_scrolls_at_the_smallest_size)
{
	open_lesson("forward-conv");
	tui_model_resize(m, 64, 20);
	press('?');
	ck_assert_int_eq(m->screen, TUI_HELP);
	expect_on_screen("… more below (↓ PgDn)", 64, 20);
	for (int i = 0; i < 40; i++)
		press(TUI_KEY_DOWN);
	expect_on_screen("q               quit", 64, 20);
	/* the answer line's keys are in the list too */
	expect_on_screen("Ctrl-W          delete the word before the cursor", 64, 20);
	expect_on_screen("… more above (↑ PgUp)", 64, 20);
	/* scrolled no further than the last screenful: one Up moves it */
	{
		size_t at = m->help_scroll;
		press(TUI_KEY_UP);
		ck_assert_uint_eq(m->help_scroll, at - 1);
		ck_assert_uint_eq(at, tui_help_lines() - 16);
	}
	press(TUI_KEY_PGUP);
	press(TUI_KEY_PGUP);
	press(TUI_KEY_PGUP);
	press(TUI_KEY_PGUP);
	expect_on_screen("up: the lesson above", 64, 20);
	press('x');
	ck_assert_int_eq(m->screen, TUI_LESSON);
}
END_TEST

START_TEST(test_a_terminal_without_utf8_loses_nothing)
{
	m->unicode = 0;
	open_lesson("pooling-delta");
	/* the Chinese line is a note, never a blank; the formula keeps its '*' */
	expect_on_screen("(Chinese text: run in a UTF-8 locale to see it)", 80, 24);
	expect_on_screen("(Let A = x * K; then net^{l+1} = sumi Ai + b.)", 80, 24);
	/* the key bar keeps its way out at every size, in ASCII */
	expect_on_screen("q quit", 64, 20);
	expect_on_screen("arrows entry", 80, 24);
	{
		char *s = screen_text(64, 20);
		for (const char *c = s; *c != '\0'; c++)
			ck_assert_msg((unsigned char)*c < 0x80,
			              "not ASCII at '%.12s':\n%s", c, s);
		free(s);
	}
	/* a formula line's ∗ is a '*', not a blank */
	open_lesson("maps");
	expect_on_screen("a1 = X1 * K11 + X2 * K21,  a2 = X2 * K22", 120, 40);
	/* each map's entry with its map, as the answers type it */
	expect_on_screen("a1_11 = x1_11*k11_22", 120, 40);
	expect_on_screen("Left X1, K22, D1 - a2 ->", 120, 40);
	m->screen = TUI_LIST;
	expect_on_screen("q quit", 64, 20);
	expect_on_screen("Up/Down choose", 80, 24);
}
END_TEST

START_TEST(test_numbers_view_substitutes_the_shown_numbers)
{
	open_lesson("pooling-delta");
	press('2');
	press('s');
	ck_assert(m->numeric);
	press(TUI_KEY_RIGHT);
	press(TUI_KEY_DOWN);
	/* every product with its numbers, so that the sum can be checked by hand */
	expect_on_screen(
	        "∂E/∂x₂₂ = δ₁₁k₁₁ + δ₁₂k₁₂ + δ₂₁k₂₁ + δ₂₂k₂₂ = (5)(-4) + (-4)(0) + "
	        "(-3)(4) + (-5)(2) = -42",
	        120, 40);
	/* a single product, and in ASCII */
	press(TUI_KEY_UP);
	press(TUI_KEY_LEFT);
	expect_on_screen("∂E/∂x₁₁ = δ₁₁k₂₂ = (5)(2) = 10", 80, 24);
	m->unicode = 0;
	expect_on_screen("dE/dx11 = d11*k22 = (5)*(2) = 10", 80, 24);
	/* the symbols view keeps the sum alone */
	m->unicode = 1;
	press('s');
	expect_on_screen("∂E/∂x₁₁ = δ₁₁k₂₂ = 10", 80, 24);
}
END_TEST

START_TEST(test_prose_follows_the_sizes)
{
	open_lesson("pooling-delta");
	press('2');
	expect_on_screen("a line for each entry of x, nine here", 120, 40);
	press('>');
	ck_assert_str_eq(m->message, "X is 4x4 now");
	expect_on_screen("a line for each entry of x, sixteen here", 120, 40);
	press('<');
	expect_on_screen("a line for each entry of x, nine here", 120, 40);
	/* a size the lesson cannot take leaves it, and its prose, as it was */
	press('<');
	ck_assert_msg(strncmp(m->message, "X cannot be 2x2 here", 20) == 0, "%s",
	              m->message);
	expect_on_screen("a line for each entry of x, nine here", 120, 40);
}
END_TEST

static Suite *tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("model");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_keymap_vi_keys_and_arrows_agree);
	tcase_add_test(tc, test_keymap_has_no_conflicts);
	tcase_add_test(tc, test_list_opens_lessons_and_tracks_progress);
	tcase_add_test(tc, test_steps_forward_back_and_jump);
	tcase_add_test(tc, test_highlight_forward_entry_shows_what_feeds_it);
	tcase_add_test(tc, test_highlight_input_entry_shows_what_it_feeds);
	tcase_add_test(tc, test_highlight_gradient_entry_shows_delta_and_kernel);
	tcase_add_test(tc, test_view_switches_between_symbols_and_numbers);
	tcase_add_test(tc, test_sizes_and_numbers_change_and_checks_follow);
	tcase_add_test(tc, test_screens_fit_80x24_and_larger);
	tcase_add_test(tc, test_too_small_asks_for_a_larger_window);
	tcase_add_test(tc, test_ascii_when_the_locale_is_not_utf8);
	tcase_add_test(tc, test_answering_an_exercise_in_place);
	tcase_add_test(tc, test_moving_between_a_steps_exercises);
	tcase_add_test(tc, test_exercises_back_and_by_number);
	tcase_add_test(tc, test_the_entry_line_has_no_repeats);
	tcase_add_test(tc, test_the_list_says_more_below_and_above);
	tcase_add_test(tc, test_a_long_title_is_cut_with_an_ellipsis);
	tcase_add_test(tc, test_answer_line_edits_like_a_shell);
	tcase_add_test(tc, test_prose_follows_the_sizes);
	tcase_add_test(tc, test_numbers_view_substitutes_the_shown_numbers);
	tcase_add_test(tc, test_nothing_is_hidden_without_a_word);
	tcase_add_test(tc, test_messages_and_verdicts_wrap);
	tcase_add_test(tc, test_the_key_list_scrolls_at_the_smallest_size);
	tcase_add_test(tc, test_a_terminal_without_utf8_loses_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
