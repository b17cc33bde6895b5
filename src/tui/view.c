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

static void line(builder *b, int y, const char *s, tui_role role)
{
	begin(b, y, role);
	add(b, s, TR_NORMAL);
	end(b);
}

/* The keys of the screen, on the last line. */
static void key_bar(builder *b, const char *keys)
{
	begin(b, b->f->height - 1, TR_KEYS);
	add(b, keys, TR_NORMAL);
	end(b);
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
	int rows = b->f->height - 6, first = 0;
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
	if (m->message[0] != '\0')
		line(b, 1, m->message, TR_MESSAGE);
	if ((int)m->list_cursor >= rows)
		first = (int)m->list_cursor - rows + 1;
	for (int i = 0; i < rows && (size_t)(first + i) < m->nlessons; i++) {
		size_t k = (size_t)(first + i);
		const lesson_entry *e = &m->lessons[k];
		tui_progress pr = tui_lesson_progress(m, k);
		const char *status =
		        e->lesson == NULL ? "cannot be read" : progress_text(pr);
		char part[32];
		size_t solved, nex;
		tui_lesson_solved(m, k, &solved, &nex);
		if (e->lesson != NULL && pr != TUI_EXERCISES_DONE && solved > 0) {
			/* some exercises solved: how many */
			snprintf(part, sizeof part, "%zu of %zu solved", solved, nex);
			status = part;
		}
		int cursor = k == m->list_cursor;
		int right = b->f->width - 20;
		begin(b, 2 + i, cursor ? TR_CURSOR : TR_NORMAL);
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
	/* where the chosen lesson comes from: the notes, or past them */
	if (sel->lesson != NULL && sel->lesson->source != NULL) {
		begin(b, b->f->height - 3, TR_DIM);
		add(b, " source: ", TR_NORMAL);
		add(b, sel->lesson->source, TR_NORMAL);
		end(b);
	}
	key_bar(b, " ↑↓ choose   Enter open   ? keys   q quit");
}

/* ---- the lesson screen ----------------------------------------------------- */

typedef struct panel_text {
	char **cell;
	int *colw;
	int width;
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
}

static int panel_make(panel_text *t, const tui_model *m, const tui_panel *p)
{
	const dv_mat *mat = p->num;
	size_t n = dv_mat_len(mat);

	t->cell = calloc(n, sizeof *t->cell);
	t->colw = calloc(mat->cols, sizeof *t->colw);
	if (t->cell == NULL || t->colw == NULL) {
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

/* Lays the panels out from the first that keeps the cursor's on screen. */
static int render_panels(builder *b, int top, int max_rows)
{
	const tui_model *m = b->m;
	panel_text texts[TUI_MAX_PANELS];
	int x[TUI_MAX_PANELS], shown = 0, rows = 0;
	size_t first = m->first_panel > m->panel ? m->panel : m->first_panel;

	memset(texts, 0, sizeof texts);
	for (size_t i = 0; i < m->npanels; i++)
		if (panel_make(&texts[i], m, &m->panels[i]) != 0)
			return top;
	/* move the window of panels right until the cursor's fits */
	for (;;) {
		int w = 0;
		size_t i = first;
		for (; i < m->npanels && w + texts[i].width <= b->f->width; i++)
			w += texts[i].width + 3;
		if (m->panel < i || first == m->panel)
			break;
		first++;
	}
	{
		int w = 0;
		for (size_t i = first;
		     i < m->npanels && w + texts[i].width <= b->f->width; i++) {
			x[shown++] = w;
			w += texts[i].width + 3;
			if ((int)m->panels[i].num->rows > rows)
				rows = (int)m->panels[i].num->rows;
		}
	}
	if (rows > max_rows - 1)
		rows = max_rows - 1;
	for (int r = -1; r < rows; r++) {
		begin(b, top + 1 + r, TR_NORMAL);
		for (int k = 0; k < shown; k++) {
			size_t pi = first + (size_t)k;
			const tui_panel *p = &m->panels[pi];
			const dv_mat *mat = p->num;
			pad_to(b, x[k]);
			if (r < 0) {
				add(b, p->label, pi == m->panel ? TR_LABEL : TR_DIM);
				continue;
			}
			if ((size_t)r >= mat->rows)
				continue;
			for (size_t c = 0; c < mat->cols; c++) {
				const char *s = texts[pi].cell[(size_t)r * mat->cols + c];
				int cw = texts[pi].colw[c], at = x[k];
				tui_role role = TR_NORMAL;
				for (size_t j = 0; j < c; j++)
					at += texts[pi].colw[j] + 2;
				pad_to(b, at + cw - tui_text_cols(s));
				if (pi == m->panel && (size_t)r == m->row && c == m->col)
					role = TR_CURSOR;
				else if (tui_cell_lit(m, pi, (size_t)r, c))
					role = TR_LIT;
				add(b, s, role);
			}
		}
		if (r < 0 && first + (size_t)shown < m->npanels)
			add(b, "  Tab: more →", TR_DIM);
		end(b);
	}
	for (size_t i = 0; i < m->npanels; i++)
		panel_free(&texts[i], dv_mat_len(m->panels[i].num));
	return top + 1 + rows;
}

/* "a₁₁ = x₁₁k₂₂ + … = 23": the cursor's entry in full. */
static void render_detail(builder *b, int y)
{
	const tui_model *m = b->m;
	const tui_panel *p = &m->panels[m->panel];
	size_t i = m->row * p->num->cols + m->col;
	sym_print_opts o = {style_of(m), NULL, NULL};
	dv_strbuf s;
	char *text = NULL, num[64];

	dv_strbuf_init(&s);
	if (p->declared && p->sym != NULL) {
		dv_put_entry(&s, p->sym, i, style_of(m), NULL);
	} else {
		sym_entry_print(&s, p->label, m->row + 1, m->col + 1, &o);
		if (p->sym != NULL) {
			dv_strbuf_puts(&s, " = ");
			dv_put_entry(&s, p->sym, i, style_of(m), NULL);
		}
	}
	dv_format_entry(num, sizeof num, p->num, i);
	dv_strbuf_printf(&s, " = %s", num);
	if (dv_strbuf_finish(&s, &text, NULL) != DV_OK)
		return;
	begin(b, y, TR_NORMAL);
	add(b, " ", TR_NORMAL);
	add(b, text, TR_LABEL);
	end(b);
	free(text);
}

/* The step's text, wrapped to the width, from line `from` on. */
static void render_body(builder *b, int top, int bottom)
{
	const tui_model *m = b->m;
	dv_text_opts o = {0, m->unicode, 0, 1, tui_exercise_state, m};
	dv_strbuf s;
	char *text = NULL, **lines = NULL;
	size_t n = 0, cap = 0, skip;

	dv_strbuf_init(&s);
	dv_put_step(&s, m->result, m->step, &o);
	if (dv_strbuf_finish(&s, &text, NULL) != DV_OK)
		return;
	/* wrap: continuation lines keep the indent of their first, plus two */
	for (char *p = text; *p != '\0';) {
		char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		size_t indent = strspn(p, " ");
		int first = 1;
		p[len] = '\0';
		do {
			int used, room = b->f->width - 1 - (first ? 0 : (int)indent + 2);
			size_t take = fit(p, room > 8 ? room : 8, &used), brk = take;
			char *piece;
			if (p[take] != '\0') {
				while (brk > 0 && p[brk] != ' ')
					brk--;
				if (brk > indent)
					take = brk;
			}
			if (n == cap) {
				char **grown = realloc(lines, (cap = cap ? cap * 2 : 64) *
				                                      sizeof *lines);
				if (grown == NULL)
					break;
				lines = grown;
			}
			piece = malloc(take + indent + 3);
			if (piece == NULL)
				break;
			snprintf(piece, take + indent + 3, "%*s%.*s",
			         first ? 0 : (int)indent + 2, "", (int)take, p);
			lines[n++] = piece;
			p += take;
			while (*p == ' ' && !first)
				p++;
			if (first)
				while (*p == ' ')
					p++;
			first = 0;
		} while (*p != '\0');
		if (nl != NULL)
			p = nl + 1;
		else
			break;
	}
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
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(text);
}

static void render_lesson(builder *b)
{
	const tui_model *m = b->m;
	const lesson *l = m->result->lesson;
	const lesson_step *st = m->result->steps[m->step].step;
	dv_strbuf s;
	char *title = NULL;
	int y;

	dv_strbuf_init(&s);
	dv_strbuf_printf(&s, " %s · step %zu/%zu: %s", l->name, m->step + 1,
	                 m->result->nsteps, st->title);
	if (dv_strbuf_finish(&s, &title, NULL) == DV_OK)
		line(b, 0, title, TR_TITLE);
	free(title);
	if (m->message[0] != '\0') {
		line(b, 1, m->message, TR_MESSAGE);
	} else {
		begin(b, 1, TR_DIM);
		add(b, m->numeric ? " numbers (s: symbols)" : " symbols (s: numbers)",
		    TR_NORMAL);
		end(b);
	}
	y = 2;
	if (m->npanels > 0) {
		y = render_panels(b, y, (b->f->height - 6) / 2);
		render_detail(b, y);
		y++;
	}
	begin(b, y, TR_DIM);
	for (int i = 0; i < b->f->width; i++)
		add(b, "─", TR_NORMAL);
	end(b);
	{
		int bottom = b->f->height - 1;
		if (m->typing) {
			bottom--;
			begin(b, bottom, TR_NORMAL);
			add(b, " answer ", TR_LABEL);
			add(b, m->answering->ex_id, TR_LABEL);
			add(b, "> ", TR_LABEL);
			add(b, m->input, TR_NORMAL);
			add(b, "_", TR_CURSOR);
			end(b);
		}
		if (m->verdict != NULL) {
			/* the last answer's verdict, over the step's text */
			int lines = 1;
			for (const char *c = m->verdict; *c != '\0'; c++)
				lines += *c == '\n' && c[1] != '\0';
			if (lines > 3)
				lines = 3;
			for (int i = 0; i < lines; i++) {
				const char *start = m->verdict;
				for (int k = 0; k < i; k++)
					start = strchr(start, '\n') + 1;
				{
					size_t len = strcspn(start, "\n");
					char *one = strndup(start, len);
					if (one == NULL)
						break;
					begin(b, bottom - lines + i, TR_NORMAL);
					add(b, " ", TR_NORMAL);
					add(b, one, TR_MESSAGE);
					end(b);
					free(one);
				}
			}
			bottom -= lines;
		}
		render_body(b, y + 1, bottom);
	}
	key_bar(b, m->typing ? " Enter mark it   ? then Enter: a hint   giveup: the "
	                       "answer   Esc stop"
	                     : " ←↑↓→ entry  Tab matrix  n/p step  a answer  s view  r "
	                       "numbers  ? keys  q quit");
}

static void render_help(builder *b)
{
	int y = 2;
	line(b, 0, " verify · keys", TR_TITLE);
	for (const tui_binding *k = tui_bindings; k->key != 0 && y < b->f->height - 1;
	     k++) {
		if (k->keys == NULL)
			continue;
		begin(b, y++, TR_NORMAL);
		add(b, "  ", TR_NORMAL);
		add(b, k->keys, TR_LABEL);
		pad_to(b, 18);
		add(b, k->help, TR_NORMAL);
		end(b);
	}
	key_bar(b, " any key: back   q quit");
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
