#include "tui/view.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/strbuf.h"
#include "render/lesson_text.h"
#include "render/render.h"
#include "sym/ctx.h"
#include "sym/print.h"

int tui_text_cols(const char *s)
{
	mbstate_t st;
	size_t left = strlen(s);
	int cols = 0;

	memset(&st, 0, sizeof st);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, left, &st);
		int w;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			w = 1;
		} else {
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		cols += w;
		s += n;
		left -= n;
	}
	return cols;
}

/* Bytes of s that fit in `cols` columns, and the columns they take. */
static size_t fit(const char *s, int cols, int *used)
{
	mbstate_t st;
	size_t left = strlen(s), bytes = 0;
	int c = 0;

	memset(&st, 0, sizeof st);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + bytes, left, &st);
		int w = 1;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
		} else if ((w = wcwidth(wc)) < 0) {
			w = 1;
		}
		if (c + w > cols)
			break;
		c += w;
		bytes += n;
		left -= n;
	}
	*used = c;
	return bytes;
}

/* ---- building a line ------------------------------------------------------- */

typedef struct builder {
	const tui_model *m;
	tui_frame *f;
	int y;   /* the line being built */
	int col; /* its width so far */
	dv_strbuf text;
} builder;

static void begin(builder *b, int y, tui_role role)
{
	b->y = y;
	b->col = 0;
	dv_strbuf_init(&b->text);
	b->f->lines[y].role = role;
	b->f->lines[y].nspans = 0;
}

/*
 * What a terminal that is not UTF-8 cannot show, in place: a character
 * left after the ASCII mapping becomes "?", never a blank.
 */
static void ascii_only(char *s)
{
	char *w = s;
	for (const char *r = s; *r != '\0';) {
		if ((unsigned char)*r < 0x80) {
			*w++ = *r++;
			continue;
		}
		*w++ = '?';
		r++;
		while ((((unsigned char)*r) & 0xC0) == 0x80)
			r++;
	}
	*w = '\0';
}

/* The columns s takes once shown (after the ASCII mapping, if any). */
static int shown_cols(const builder *b, const char *s)
{
	dv_strbuf t;
	char *u = NULL;
	int cols;

	if (b->m->unicode)
		return tui_text_cols(s);
	dv_strbuf_init(&t);
	dv_put_text(&t, s, 0);
	if (dv_strbuf_finish(&t, &u, NULL) != DV_OK)
		return tui_text_cols(s);
	ascii_only(u);
	cols = tui_text_cols(u);
	free(u);
	return cols;
}

static void add(builder *b, const char *s, tui_role role)
{
	dv_strbuf t;
	char *u = NULL;
	int used;
	size_t n;
	tui_line *l = &b->f->lines[b->y];

	dv_strbuf_init(&t);
	dv_put_text(&t, s, b->m->unicode);
	if (dv_strbuf_finish(&t, &u, NULL) != DV_OK)
		return;
	if (!b->m->unicode)
		ascii_only(u);
	n = fit(u, b->f->width - b->col, &used);
	dv_strbuf_putn(&b->text, u, n);
	if (role != TR_NORMAL && used > 0 && l->nspans < TUI_MAX_SPANS)
		l->spans[l->nspans++] = (tui_span){b->col, used, role};
	b->col += used;
	free(u);
}

static void pad_to(builder *b, int col)
{
	while (b->col < col && b->col < b->f->width) {
		dv_strbuf_putn(&b->text, " ", 1);
		b->col++;
	}
}

static void end(builder *b)
{
	char *s = NULL;
	if (dv_strbuf_finish(&b->text, &s, NULL) != DV_OK)
		s = NULL;
	free(b->f->lines[b->y].text);
	b->f->lines[b->y].text = s != NULL ? s : calloc(1, 1);
}

/* A whole line; longer than the screen, it ends in "…" (never cut mute). */
static void line(builder *b, int y, const char *s, tui_role role)
{
	int used;
	size_t n = fit(s, b->f->width - 1, &used);
	begin(b, y, role);
	if (n < strlen(s)) {
		char *cut = malloc(n + 1);
		if (cut != NULL) {
			memcpy(cut, s, n);
			cut[n] = '\0';
			add(b, cut, TR_NORMAL);
			free(cut);
		}
		add(b, "…", TR_NORMAL);
	} else {
		add(b, s, TR_NORMAL);
	}
	end(b);
}

/* A key of a key bar: how it reads, and in ASCII (NULL: the same). */
typedef struct bar_key {
	const char *text, *ascii;
} bar_key;

static const char *key_text(const builder *b, const bar_key *k)
{
	return b->m->unicode || k->ascii == NULL ? k->text : k->ascii;
}

/*
 * The keys of the screen, on the last line: the list ends with a NULL
 * text, and its last key (how to leave) is always shown; the others are
 * shown in order while they fit.
 */
static void key_bar(builder *b, const bar_key *keys)
{
	size_t n = 0;
	int last;

	while (keys[n].text != NULL)
		n++;
	begin(b, b->f->height - 1, TR_KEYS);
	if (n == 0) {
		end(b);
		return;
	}
	last = shown_cols(b, key_text(b, &keys[n - 1])) + 1;
	for (size_t i = 0; i + 1 < n; i++) {
		if (b->col + 1 + shown_cols(b, key_text(b, &keys[i])) + 2 + last >
		    b->f->width)
			break;
		add(b, " ", TR_NORMAL);
		add(b, key_text(b, &keys[i]), TR_NORMAL);
		add(b, " ", TR_NORMAL);
	}
	add(b, " ", TR_NORMAL);
	add(b, key_text(b, &keys[n - 1]), TR_NORMAL);
	end(b);
}

/* Text broken into lines that fit the screen. */
typedef struct wrapped {
	char **line;
	size_t n, cap;
} wrapped;

static void wrapped_free(wrapped *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->line[i]);
	free(w->line);
	w->line = NULL;
	w->n = w->cap = 0;
}

static int wrapped_push(wrapped *w, char *piece)
{
	if (piece == NULL)
		return -1;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		char **grown = realloc(w->line, cap * sizeof *grown);
		if (grown == NULL) {
			free(piece);
			return -1;
		}
		w->line = grown;
		w->cap = cap;
	}
	w->line[w->n++] = piece;
	return 0;
}

/*
 * Appends text (lines split at newlines) wrapped to `width` columns at
 * spaces: continuation lines keep the indent of their first, plus two.
 */
static void wrap(wrapped *w, const char *source, int width)
{
	char *text = strdup(source);

	if (text == NULL)
		return;
	for (char *p = text; *p != '\0';) {
		char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		size_t indent = strspn(p, " ");
		int first = 1;
		p[len] = '\0';
		do {
			int used, room = width - 1 - (first ? 0 : (int)indent + 2);
			size_t take = fit(p, room > 8 ? room : 8, &used), brk = take;
			char *piece;
			if (p[take] != '\0') {
				while (brk > 0 && p[brk] != ' ')
					brk--;
				if (brk > indent)
					take = brk;
			}
			if (take == 0 && *p != '\0')
				take = 1; /* a character wider than the room: never stall
				           */
			piece = malloc(take + indent + 3);
			if (piece != NULL)
				snprintf(piece, take + indent + 3, "%*s%.*s",
				         first ? 0 : (int)indent + 2, "", (int)take, p);
			if (wrapped_push(w, piece) != 0) {
				free(text);
				return;
			}
			p += take;
			while (*p == ' ')
				p++;
			first = 0;
		} while (*p != '\0');
		if (nl != NULL)
			p = nl + 1;
		else
			break;
	}
	free(text);
}

/* Text in `role` from line y on, wrapped, in at most max lines: the lines used. */
static int render_wrapped(builder *b, int y, int max, const char *text, tui_role role)
{
	wrapped w = {NULL, 0, 0};
	int n;

	wrap(&w, text, b->f->width - 1);
	n = (int)w.n < max ? (int)w.n : max;
	for (int i = 0; i < n; i++) {
		begin(b, y + i, TR_NORMAL);
		add(b, " ", TR_NORMAL);
		if (i == n - 1 && (size_t)n < w.n) {
			/* cut: say so on the last line */
			int used;
			size_t k = fit(w.line[i], b->f->width - 4, &used);
			w.line[i][k] = '\0';
			add(b, w.line[i], role);
			add(b, "…", TR_DIM);
		} else {
			add(b, w.line[i], role);
		}
		end(b);
	}
	wrapped_free(&w);
	return n;
}

/* ---- the lesson list ------------------------------------------------------- */

static const char *progress_text(tui_progress p)
{
	switch (p) {
	case TUI_EXERCISES_DONE:
		return "exercises done ✓";
	case TUI_IN_PROGRESS:
		return "in progress";
	case TUI_CHECKS_SEEN:
		return "all checks seen ✓";
	default:
		return "not started";
	}
}

static void render_list(builder *b)
{
	const tui_model *m = b->m;
	int rows = b->f->height - 6, first = 0, top = 2;
	const lesson_entry *sel = &m->lessons[m->list_cursor];
	int name_col = 22;

	/* the titles start after the longest name (the notes' lessons have
	 * long ones), up to half the screen */
	for (size_t k = 0; k < m->nlessons; k++) {
		int w = 3 + (int)dv_text_width(m->lessons[k].name) + 2;
		if (w > name_col)
			name_col = w;
	}
	if (name_col > b->f->width / 2)
		name_col = b->f->width / 2;
	line(b, 0, " verify · the CNN backpropagation notes, formula by formula",
	     TR_TITLE);
	if (m->message[0] != '\0') {
		int extra = render_wrapped(b, 1, 2, m->message, TR_MESSAGE) - 1;
		top += extra;
		rows -= extra;
	}
	if ((int)m->list_cursor >= rows)
		first = (int)m->list_cursor - rows + 1;
	for (int i = 0; i < rows && (size_t)(first + i) < m->nlessons; i++) {
		size_t k = (size_t)(first + i);
		const lesson_entry *e = &m->lessons[k];
		tui_progress pr = tui_lesson_progress(m, k);
		const char *status =
		        e->lesson == NULL ? "cannot be read" : progress_text(pr);
		char part[64];
		size_t solved, nex;
		tui_lesson_solved(m, k, &solved, &nex);
		if (e->lesson != NULL && pr != TUI_EXERCISES_DONE && solved > 0) {
			/* some exercises solved: how many */
			snprintf(part, sizeof part, "%zu of %zu solved", solved, nex);
			status = part;
		}
		int cursor = k == m->list_cursor;
		int right = b->f->width - 20;
		begin(b, top + i, cursor ? TR_CURSOR : TR_NORMAL);
		add(b, cursor ? " ▸ " : "   ", TR_NORMAL);
		add(b, e->name, TR_LABEL);
		pad_to(b, name_col);
		if (b->col > name_col)
			add(b, " ", TR_NORMAL);
		add(b, e->lesson != NULL ? e->lesson->title : "", TR_NORMAL);
		if (b->col > right - 1) {
			/* cut the title to leave room for the status */
			tui_line *l = &b->f->lines[b->y];
			int used;
			size_t n =
			        fit(b->text.s != NULL ? b->text.s : "", right - 2, &used);
			b->text.len = n;
			if (b->text.s != NULL)
				b->text.s[n] = '\0';
			b->col = used;
			for (int s = 0; s < l->nspans; s++)
				if (l->spans[s].col + l->spans[s].width > used)
					l->spans[s].width =
					        used > l->spans[s].col
					                ? used - l->spans[s].col
					                : 0;
			add(b, "…", TR_NORMAL);
		}
		pad_to(b, right);
		add(b, status, pr >= TUI_CHECKS_SEEN ? TR_OK : TR_DIM);
		end(b);
	}
	/* lessons past the window are said to be there */
	if (first > 0 && m->message[0] == '\0') {
		begin(b, 1, TR_DIM);
		add(b, "  … more above (↑)", TR_NORMAL);
		end(b);
	}
	if ((size_t)(first + rows) < m->nlessons) {
		begin(b, top + rows, TR_DIM);
		add(b, "  … more below (↓)", TR_NORMAL);
		end(b);
	}
	/* where the chosen lesson comes from: the notes, or past them (cut with
	 * "…" when it is longer than the screen) */
	if (sel->lesson != NULL && sel->lesson->source != NULL) {
		char *src = NULL;
		dv_strbuf t;
		int used;
		dv_strbuf_init(&t);
		dv_strbuf_printf(&t, " source: %s", sel->lesson->source);
		if (dv_strbuf_finish(&t, &src, NULL) == DV_OK && src != NULL) {
			size_t n = fit(src, b->f->width - 1, &used);
			begin(b, b->f->height - 3, TR_DIM);
			if (n < strlen(src)) {
				src[n] = '\0';
				add(b, src, TR_NORMAL);
				add(b, "…", TR_NORMAL);
			} else {
				add(b, src, TR_NORMAL);
			}
			end(b);
		}
		free(src);
	}
	static const bar_key keys[] = {{"↑↓ choose", "Up/Down choose"},
	                               {"Enter open", NULL},
	                               {"? keys", NULL},
	                               {"q quit", NULL},
	                               {NULL, NULL}};
	key_bar(b, keys);
}

/* ---- the lesson screen ----------------------------------------------------- */

typedef struct panel_text {
	char **cell;
	int *colw;
	int width;
	unsigned char *lit; /* per entry: it lights up for the cursor */
	int any_lit;
} panel_text;

static sym_style style_of(const tui_model *m)
{
	return m->unicode ? SYM_UNICODE : SYM_ASCII;
}

/* Entry (i) of a panel as its cell shows it. */
static char *cell_text(const tui_model *m, const tui_panel *p, size_t i)
{
	dv_strbuf s;
	char *out = NULL;
	const dv_mat *sym = p->sym;

	dv_strbuf_init(&s);
	if (m->numeric || sym == NULL) {
		char buf[64];
		dv_format_entry(buf, sizeof buf, p->num, i);
		dv_strbuf_puts(&s, buf);
	} else if (sym_poly_len(*(sym_poly *const *)dv_mat_at(sym, i)) <= 1) {
		dv_put_entry(&s, sym, i, style_of(m), NULL);
	} else {
		/* a sum: the cell names the entry; the line below spells it out */
		sym_print_opts o = {style_of(m), NULL, NULL};
		sym_entry_print(&s, p->label, i / sym->cols + 1, i % sym->cols + 1, &o);
	}
	if (dv_strbuf_finish(&s, &out, NULL) != DV_OK)
		return NULL;
	return out;
}

static void panel_free(panel_text *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->colw);
	free(t->lit);
}

static int panel_make(panel_text *t, const tui_model *m, const tui_panel *p)
{
	const dv_mat *mat = p->num;
	size_t n = dv_mat_len(mat);

	t->cell = calloc(n, sizeof *t->cell);
	t->colw = calloc(mat->cols, sizeof *t->colw);
	t->lit = calloc(n ? n : 1, 1);
	t->any_lit = 0;
	if (t->cell == NULL || t->colw == NULL || t->lit == NULL) {
		panel_free(t, 0);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int w;
		t->cell[i] = cell_text(m, p, i);
		if (t->cell[i] == NULL) {
			panel_free(t, i);
			return -1;
		}
		/* worked out once per screen: the layout and the drawing ask */
		t->lit[i] = (unsigned char)tui_cell_lit(m, (size_t)(p - m->panels),
		                                        i / mat->cols, i % mat->cols);
		t->any_lit |= t->lit[i];
		w = tui_text_cols(t->cell[i]);
		if (w > t->colw[i % mat->cols])
			t->colw[i % mat->cols] = w;
	}
	t->width = 0;
	for (size_t j = 0; j < mat->cols; j++)
		t->width += t->colw[j] + (j > 0 ? 2 : 0);
	if (tui_text_cols(p->label) > t->width)
		t->width = tui_text_cols(p->label);
	return 0;
}

/*
 * The panels shown in `width` columns, in their order, into idx: all that
 * fit; else the cursor's, then those it lights, then the others, nearest
 * first.  Returns how many.
 */
static size_t choose_panels(const tui_model *m, const panel_text *texts, int width,
                            const unsigned char *lit, size_t *idx)
{
	unsigned char on[TUI_MAX_PANELS];
	size_t n = 0;
	int used = -3;

	memset(on, 0, sizeof on);
	for (size_t i = 0; i < m->npanels; i++)
		used += texts[i].width + 3;
	if (used <= width) {
		memset(on, 1, m->npanels);
	} else {
		on[m->panel] = 1;
		used = texts[m->panel].width;
		for (int pass = 0; pass < 2; pass++)
			for (size_t dist = 1; dist < m->npanels; dist++)
				for (int side = -1; side <= 1; side += 2) {
					size_t p = side < 0 ? m->panel - dist
					                    : m->panel + dist;
					if ((side < 0 && dist > m->panel) ||
					    p >= m->npanels || on[p] ||
					    (pass == 0 && !lit[p]))
						continue;
					if (used + 3 + texts[p].width <= width) {
						on[p] = 1;
						used += 3 + texts[p].width;
					}
				}
	}
	for (size_t i = 0; i < m->npanels; i++)
		if (on[i])
			idx[n++] = i;
	return n;
}

/*
 * What is not shown, for the label row: "hidden: ← X, K · rows 2–7 of 9 ·
 * D → (Tab)", or with counts for names when `counts` ("hidden: ← 2 · 1 →").
 */
static void hidden_note(dv_strbuf *s, const tui_model *m, const size_t *idx, size_t shown,
                        int row_off, int rows, int all_rows, int counts)
{
	unsigned char on[TUI_MAX_PANELS];
	size_t left = 0, right = 0, k, parts = 0;

	memset(on, 0, sizeof on);
	for (k = 0; k < shown; k++)
		on[idx[k]] = 1;
	for (size_t i = 0; i < m->npanels; i++)
		if (!on[i])
			*(i < m->panel ? &left : &right) += 1;
	if (left == 0 && right == 0 && rows >= all_rows)
		return;
	dv_strbuf_puts(s, "  hidden: ");
	if (left > 0) {
		dv_strbuf_puts(s, "← ");
		if (counts)
			dv_strbuf_printf(s, "%zu", left);
		for (size_t i = 0, n = 0; i < m->panel && !counts; i++)
			if (!on[i]) {
				dv_strbuf_puts(s, n++ ? ", " : "");
				sym_name_print(s, m->panels[i].label, SYM_UNICODE);
			}
		parts++;
	}
	if (rows < all_rows) {
		dv_strbuf_printf(s, "%srows %d–%d of %d", parts ? " · " : "", row_off + 1,
		                 row_off + rows, all_rows);
		parts++;
	}
	if (right > 0) {
		dv_strbuf_puts(s, parts ? " · " : "");
		if (counts)
			dv_strbuf_printf(s, "%zu", right);
		for (size_t i = m->panel + 1, n = 0; i < m->npanels && !counts; i++)
			if (!on[i]) {
				dv_strbuf_puts(s, n++ ? ", " : "");
				sym_name_print(s, m->panels[i].label, SYM_UNICODE);
			}
		dv_strbuf_puts(s, " →");
	}
	if (left > 0 || right > 0)
		dv_strbuf_puts(s, " (Tab)");
}

/*
 * The first row shown when only `rows` of `all` fit: the cursor's row on
 * screen, and as many of the rows lit for it as can be.
 */
static int first_row(const tui_model *m, const panel_text *texts, const size_t *idx,
                     size_t shown, int rows, int all)
{
	int lo = (int)m->row, hi = (int)m->row, off;
	if (rows >= all)
		return 0;
	for (size_t k = 0; k < shown; k++) {
		size_t pi = idx[k];
		const dv_mat *mat = m->panels[pi].num;
		for (size_t r = 0; r < mat->rows; r++)
			for (size_t c = 0; c < mat->cols; c++)
				if (texts[pi].lit[r * mat->cols + c]) {
					/* only as far as the cursor's row stays */
					if ((int)r < lo && hi - (int)r < rows)
						lo = (int)r;
					if ((int)r > hi && (int)r - lo < rows)
						hi = (int)r;
				}
	}
	off = lo - (rows - (hi - lo + 1)) / 2;
	if (off + rows > all)
		off = all - rows;
	return off < 0 ? 0 : off;
}

/*
 * Lays the panels out so that the cursor's and those it lights are on
 * screen, and says on the label row what does not fit: panels to either
 * side, rows.
 */
static int render_panels(builder *b, int top, int max_rows)
{
	const tui_model *m = b->m;
	panel_text texts[TUI_MAX_PANELS];
	unsigned char lit[TUI_MAX_PANELS];
	size_t idx[TUI_MAX_PANELS], shown = 0;
	int x[TUI_MAX_PANELS], rows = 0, all_rows = 0, row_off = 0, reserve = 0,
	                       own_row = 0;
	char *note = NULL;

	memset(texts, 0, sizeof texts);
	for (size_t i = 0; i < m->npanels; i++) {
		if (panel_make(&texts[i], m, &m->panels[i]) != 0) {
			for (size_t k = 0; k < i; k++)
				panel_free(&texts[k], dv_mat_len(m->panels[k].num));
			return top;
		}
		lit[i] = i != m->panel && texts[i].any_lit;
	}
	/* the note takes room on the label row: lay out again until it fits,
	 * with counts for the names in the last rounds */
	for (int round = 0; round < 6; round++) {
		dv_strbuf s;
		int cols, used = -3;
		shown = choose_panels(m, texts, b->f->width - reserve, lit, idx);
		all_rows = 0;
		for (size_t k = 0; k < shown; k++)
			if ((int)m->panels[idx[k]].num->rows > all_rows)
				all_rows = (int)m->panels[idx[k]].num->rows;
		rows = all_rows > max_rows - 1 - own_row ? max_rows - 1 - own_row
		                                         : all_rows;
		if (rows < 1)
			rows = 1;
		row_off = first_row(m, texts, idx, shown, rows, all_rows);
		free(note);
		note = NULL;
		dv_strbuf_init(&s);
		hidden_note(&s, m, idx, shown, row_off, rows, all_rows, round >= 3);
		if (dv_strbuf_finish(&s, &note, NULL) != DV_OK)
			note = NULL;
		cols = note != NULL ? tui_text_cols(note) : 0;
		for (size_t k = 0; k < shown; k++)
			used += texts[idx[k]].width + 3;
		if (own_row || used + cols <= b->f->width)
			break;
		if (shown == 1) {
			/* one panel fills the row: the note gets a row of its own */
			own_row = 1;
			round--;
			continue;
		}
		reserve = cols;
	}
	{
		int w = 0;
		for (size_t k = 0; k < shown; k++) {
			x[k] = w;
			w += texts[idx[k]].width + 3;
		}
	}
	for (int r = -1; r < rows; r++) {
		int row = r < 0 ? r : r + row_off;
		begin(b, top + 1 + r, TR_NORMAL);
		for (size_t k = 0; k < shown; k++) {
			size_t pi = idx[k];
			const tui_panel *p = &m->panels[pi];
			const dv_mat *mat = p->num;
			pad_to(b, x[k]);
			if (row < 0) {
				dv_strbuf lb;
				dv_strbuf_init(&lb);
				sym_name_print(&lb, p->label, m->unicode ? SYM_UNICODE : SYM_ASCII);
				add(b, lb.failed || lb.s == NULL ? p->label : lb.s,
				    pi == m->panel ? TR_LABEL : TR_DIM);
				dv_strbuf_free(&lb);
				continue;
			}
			if ((size_t)row >= mat->rows)
				continue;
			for (size_t c = 0; c < mat->cols; c++) {
				const char *cs =
				        texts[pi].cell[(size_t)row * mat->cols + c];
				int cw = texts[pi].colw[c], at = x[k];
				tui_role role = TR_NORMAL;
				for (size_t j = 0; j < c; j++)
					at += texts[pi].colw[j] + 2;
				pad_to(b, at + cw - tui_text_cols(cs));
				if (pi == m->panel && (size_t)row == m->row &&
				    c == m->col)
					role = TR_CURSOR;
				else if (texts[pi].lit[(size_t)row * mat->cols + c])
					role = TR_LIT;
				add(b, cs, role);
			}
		}
		if (r < 0 && note != NULL && note[0] != '\0' && !own_row) {
			pad_to(b, x[shown - 1] + texts[idx[shown - 1]].width);
			add(b, note, TR_DIM);
		}
		end(b);
	}
	if (own_row) {
		begin(b, top + 1 + rows, TR_DIM);
		add(b, note != NULL ? note : "", TR_NORMAL);
		end(b);
	}
	free(note);
	for (size_t i = 0; i < m->npanels; i++)
		panel_free(&texts[i], dv_mat_len(m->panels[i].num));
	return top + 1 + rows + own_row;
}

/* "a₁₁ = x₁₁k₂₂ + … = 23": the cursor's entry in full; the lines it takes. */
static int render_detail(builder *b, int y)
{
	int lines;
	const tui_model *m = b->m;
	const tui_panel *p = &m->panels[m->panel];
	size_t i = m->row * p->num->cols + m->col;
	sym_print_opts o = {style_of(m), NULL, NULL};
	dv_strbuf s;
	char *text = NULL, num[64];

	/* its name, its sum, the sum with the numbers, the number: each said
	 * once (not "P₁₁ = 0 = 0 = 0") */
	char *part[4] = {NULL, NULL, NULL, NULL};
	size_t np = 0;
	for (int k = 0; k < 4; k++) {
		dv_strbuf t;
		dv_strbuf_init(&t);
		if (k == 0 && !(p->declared && p->sym != NULL))
			sym_entry_print(&t, p->label, m->row + 1, m->col + 1, &o);
		else if (k == 1 && p->sym != NULL)
			dv_put_entry(&t, p->sym, i, style_of(m), NULL);
		else if (k == 2 && p->sym != NULL && !p->declared && m->numeric &&
		         !dv_mat_is_double(p->sym))
			/* the numbers view: the same sum with the shown numbers, to
			 * check by hand */
			dv_put_with_numbers(&t, m->result, p->sym, i, m->unicode);
		else if (k == 3) {
			dv_format_entry(num, sizeof num, p->num, i);
			dv_strbuf_puts(&t, num);
		}
		if (dv_strbuf_finish(&t, &part[np], NULL) != DV_OK || part[np] == NULL)
			continue;
		if (part[np][0] == '\0' || (np > 0 && strcmp(part[np], part[np - 1]) == 0)) {
			free(part[np]);
			part[np] = NULL;
			continue;
		}
		np++;
	}
	dv_strbuf_init(&s);
	for (size_t k = 0; k < np; k++) {
		dv_strbuf_printf(&s, "%s%s", k > 0 ? " = " : "", part[k]);
		free(part[k]);
	}
	if (dv_strbuf_finish(&s, &text, NULL) != DV_OK)
		return 1;
	/* two lines at most: a longer sum ends in "…" */
	lines = render_wrapped(b, y, 2, text, TR_LABEL);
	free(text);
	return lines > 0 ? lines : 1;
}

/*
 * The step's text, wrapped to the width, scrolled by the model; `head`, if
 * not NULL, comes first (a verdict too long for its own lines).
 */
static void render_body(builder *b, int top, int bottom, const char *verdict)
{
	const tui_model *m = b->m;
	dv_text_opts o = {0, m->unicode, 0, 1, tui_exercise_state, m, NULL};
	dv_strbuf s;
	char *text = NULL, **lines;
	size_t n, skip;
	wrapped w = {NULL, 0, 0};

	dv_strbuf_init(&s);
	if (verdict != NULL) {
		dv_strbuf_puts(&s, verdict);
		dv_strbuf_puts(&s, "\n\n");
	}
	dv_put_step(&s, m->result, m->step, &o);
	if (dv_strbuf_finish(&s, &text, NULL) != DV_OK)
		return;
	wrap(&w, text, b->f->width);
	lines = w.line;
	n = w.n;
	skip = m->scroll;
	if (n > (size_t)(bottom - top) && skip > n - (size_t)(bottom - top))
		skip = n - (size_t)(bottom - top);
	else if (n <= (size_t)(bottom - top))
		skip = 0;
	for (int y = top; y < bottom && skip + (size_t)(y - top) < n; y++) {
		const char *l = lines[skip + (size_t)(y - top)];
		const char *mark_ok = m->unicode ? "✓" : "ok ";
		const char *mark_fail = m->unicode ? "✗" : "FAIL ";
		size_t lead = strspn(l, " ");
		begin(b, y, TR_NORMAL);
		if (strncmp(l + lead, mark_ok, strlen(mark_ok)) == 0 ||
		    strncmp(l + lead, mark_fail, strlen(mark_fail)) == 0) {
			int ok = strncmp(l + lead, mark_ok, strlen(mark_ok)) == 0;
			size_t mark = strlen(ok ? mark_ok : mark_fail);
			char *head = strndup(l, lead), *mk = strndup(l + lead, mark);
			if (head != NULL && mk != NULL) {
				add(b, head, TR_NORMAL);
				add(b, mk, ok ? TR_OK : TR_FAIL);
				add(b, l + lead + mark, TR_NORMAL);
			}
			free(head);
			free(mk);
		} else {
			/* a gradient entry that disagrees is marked at its end */
			size_t len = strlen(l);
			add(b, l,
			    len > 3 && strcmp(l + len - 3, " <-") == 0 ? TR_FAIL
			                                               : TR_NORMAL);
		}
		end(b);
	}
	if (n > (size_t)(bottom - top) && skip + (size_t)(bottom - top) < n) {
		begin(b, bottom - 1, TR_DIM);
		add(b, "  … more below (PgDn)", TR_NORMAL);
		end(b);
	}
	wrapped_free(&w);
	free(text);
}

/*
 * The answer line: the prompt, the input with the cursor on its character
 * (or past its end), all of it marked while it is selected.  A line longer
 * than the room shows the part around the cursor, with "…" where it is cut.
 */
static void render_input(builder *b, int y)
{
	const tui_model *m = b->m;
	const char *in = m->input;
	size_t at = m->at <= strlen(in) ? m->at : strlen(in), from = 0, next;
	int room, cols;
	char *head, *under, *tail;

	begin(b, y, TR_NORMAL);
	add(b, " answer ", TR_LABEL);
	/* a drill's id names its mistake */
	add(b, m->answering->ex_kind == EXERCISE_MISTAKE ? "drill" : m->answering->ex_id,
	    TR_LABEL);
	add(b, "> ", TR_LABEL);
	room = b->f->width - b->col - 2;
	/* drop characters from the front until the cursor fits */
	head = strndup(in, at);
	cols = head != NULL ? tui_text_cols(head) : 0;
	free(head);
	while (from < at && cols >= room - 1) {
		char one[8] = "";
		size_t end = tui_char_after(in, from);
		if (end - from < sizeof one)
			memcpy(one, in + from, end - from);
		cols -= tui_text_cols(one);
		from = end;
	}
	if (from > 0)
		add(b, "…", TR_DIM);
	next = tui_char_after(in, at);
	head = strndup(in + from, at - from);
	under = strndup(in + at, next - at);
	tail = strdup(in + next);
	if (head != NULL && under != NULL && tail != NULL) {
		tui_role text = m->selected ? TR_CURSOR : TR_NORMAL;
		add(b, head, text);
		/* past the end the cursor is a visible mark, not a blank */
		add(b, under[0] != '\0' ? under : "_", TR_CURSOR);
		add(b, tail, text);
	}
	free(head);
	free(under);
	free(tail);
	end(b);
}

static void render_lesson(builder *b)
{
	const tui_model *m = b->m;
	const lesson *l = m->result->lesson;
	const lesson_step *st = m->result->steps[m->step].step;
	dv_strbuf s;
	char *title = NULL;
	int y;

	dv_text_opts o = {0, m->unicode, 0, 1, tui_exercise_state, m, NULL};

	dv_strbuf_init(&s);
	/* a drill's title names its mistake: kept until it is answered */
	dv_strbuf_printf(&s, " %s · step %zu/%zu: ", l->name, m->step + 1, m->result->nsteps);
	if (dv_step_keeps_answer(m->result, m->step, &o))
		dv_strbuf_puts(&s, "a drill");
	else if (m->unicode)
		dv_put_math(&s, st->title, 1); /* a notes line's LaTeX in Unicode */
	else
		dv_strbuf_puts(&s, st->title);
	if (dv_strbuf_finish(&s, &title, NULL) == DV_OK)
		line(b, 0, title, TR_TITLE);
	free(title);
	y = 2;
	if (m->message[0] != '\0') {
		y = 1 + render_wrapped(b, 1, 3, m->message, TR_MESSAGE);
	} else {
		begin(b, 1, TR_DIM);
		add(b, m->numeric ? " numbers (s: symbols)" : " symbols (s: numbers)",
		    TR_NORMAL);
		end(b);
	}
	if (m->npanels > 0) {
		y = render_panels(b, y, (b->f->height - 6) / 2);
		y += render_detail(b, y);
	}
	begin(b, y, TR_DIM);
	for (int i = 0; i < b->f->width; i++)
		add(b, "─", TR_NORMAL);
	end(b);
	{
		int bottom = b->f->height - 1;
		const char *head = NULL;
		if (m->typing) {
			bottom--;
			render_input(b, bottom);
		}
		if (m->verdict != NULL) {
			/* the last answer's verdict, over the step's text, wrapped;
			 * one too long for a third of the screen opens above the
			 * text instead, where PgDn scrolls it */
			wrapped w = {NULL, 0, 0};
			int room = (b->f->height - 6) / 3, lines;
			wrap(&w, m->verdict, b->f->width - 1);
			lines = (int)w.n;
			wrapped_free(&w);
			if (lines <= room) {
				render_wrapped(b, bottom - lines, lines, m->verdict,
				               TR_MESSAGE);
				bottom -= lines;
			} else {
				head = m->verdict;
			}
		}
		render_body(b, y + 1, bottom, head);
	}
	{
		static const bar_key typing[] = {{"Enter mark it", NULL},
		                                 {"? hint", NULL},
		                                 {"giveup: the answer", NULL},
		                                 {"Tab next exercise", NULL},
		                                 {"↑ earlier", "Up earlier"},
		                                 {"Ctrl-U clear", NULL},
		                                 {"Esc stop", NULL},
		                                 {NULL, NULL}};
		static const bar_key moving[] = {{"←↑↓→ entry", "arrows entry"},
		                                 {"Tab matrix", NULL},
		                                 {"n/p step", NULL},
		                                 {"a answer", NULL},
		                                 {"s view", NULL},
		                                 {"r numbers", NULL},
		                                 {"? keys", NULL},
		                                 {"q quit", NULL},
		                                 {NULL, NULL}};
		key_bar(b, m->typing ? typing : moving);
	}
}

/* One line of the list of keys, if it is among those shown. */
static void help_line(builder *b, int *y, size_t *k, size_t skip, int last,
                      const char *keys, const char *help)
{
	if ((*k)++ < skip || *y >= last)
		return;
	begin(b, (*y)++, TR_NORMAL);
	add(b, "  ", TR_NORMAL);
	add(b, keys, TR_LABEL);
	pad_to(b, 18);
	add(b, help, TR_NORMAL);
	end(b);
}

static void render_help(builder *b)
{
	const tui_model *m = b->m;
	int y = 2, rows = b->f->height - 4;
	size_t n = tui_help_lines(), skip = m->help_scroll, k = 0;

	line(b, 0, " verify · keys", TR_TITLE);
	/* never scrolled past the last screenful */
	if (n <= (size_t)rows)
		skip = 0;
	else if (skip > n - (size_t)rows)
		skip = n - (size_t)rows;
	if (skip > 0) {
		begin(b, 1, TR_DIM);
		add(b, "  … more above (↑ PgUp)", TR_NORMAL);
		end(b);
	}
	for (const tui_binding *kb = tui_bindings; kb->key != 0; kb++)
		if (kb->keys != NULL)
			help_line(b, &y, &k, skip, 2 + rows, kb->keys, kb->help);
	for (size_t i = 0; tui_answer_keys[i][0] != NULL; i++)
		help_line(b, &y, &k, skip, 2 + rows, tui_answer_keys[i][0],
		          tui_answer_keys[i][1]);
	if (skip + (size_t)rows < n) {
		begin(b, 2 + rows, TR_DIM);
		add(b, "  … more below (↓ PgDn)", TR_NORMAL);
		end(b);
	}
	{
		static const bar_key keys[] = {{"↑↓ scroll", "Up/Down scroll"},
		                               {"other keys: back", NULL},
		                               {"q quit", NULL},
		                               {NULL, NULL}};
		key_bar(b, keys);
	}
}

int tui_render(tui_frame *f, const tui_model *m, int width, int height)
{
	builder b = {m, f, 0, 0, {NULL, 0, 0, 0}};

	f->width = width;
	f->height = height;
	f->lines = calloc((size_t)(height > 0 ? height : 1), sizeof *f->lines);
	if (f->lines == NULL)
		return DV_E_NOMEM;
	for (int y = 0; y < height; y++)
		line(&b, y, "", TR_NORMAL);
	if (width < TUI_MIN_WIDTH || height < TUI_MIN_HEIGHT) {
		char msg[96];
		int y = height / 2;
		snprintf(msg, sizeof msg, "make the window larger (needs %dx%d)",
		         TUI_MIN_WIDTH, TUI_MIN_HEIGHT);
		if (height > 0) {
			begin(&b, y, TR_NORMAL);
			pad_to(&b, (width - tui_text_cols(msg)) / 2);
			add(&b, msg, TR_MESSAGE);
			end(&b);
		}
		return DV_OK;
	}
	switch (m->screen) {
	case TUI_LIST:
		render_list(&b);
		break;
	case TUI_LESSON:
		render_lesson(&b);
		break;
	case TUI_HELP:
		render_help(&b);
		break;
	}
	return DV_OK;
}

void tui_frame_free(tui_frame *f)
{
	for (int y = 0; f->lines != NULL && y < f->height; y++)
		free(f->lines[y].text);
	free(f->lines);
	f->lines = NULL;
}

int tui_line_same(const tui_line *a, const tui_line *b)
{
	if (a->role != b->role || a->nspans != b->nspans || strcmp(a->text, b->text) != 0)
		return 0;
	for (int i = 0; i < a->nspans; i++)
		if (a->spans[i].col != b->spans[i].col ||
		    a->spans[i].width != b->spans[i].width ||
		    a->spans[i].role != b->spans[i].role)
			return 0;
	return 1;
}
