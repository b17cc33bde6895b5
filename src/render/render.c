#include "render/render.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym/ctx.h"
#include "tex/tex.h"

int dv_format_number(char *buf, size_t size, double v)
{
	if (v == 0.0)
		v = 0.0; /* no "-0" */
	return snprintf(buf, size, "%.6g", v);
}

/* ASCII for the math characters of the lessons, when the terminal is not UTF-8. */
static const dv_strmap to_ascii[] = {
        {"∂", "d"},    {"δ", "d"},    {"β", "beta"}, {"∘", ".*"},       {"Σ", "sum"},
        {"∑", "sum"},  {"′", "'"},    {"∗", "*"},    {"≠", "!="},       {"→", "->"},
        {"ˡ", "^l"},   {"ʲ", "^j"},   {"⁺", "+"},    {"₀", "0"},        {"₁", "1"},
        {"₂", "2"},    {"₃", "3"},    {"₄", "4"},    {"₅", "5"},        {"₆", "6"},
        {"₇", "7"},    {"₈", "8"},    {"₉", "9"},    {"¹", "1"},        {"²", "^2"},
        {"ᵢ", "i"},    {"ⱼ", "j"},    {"ᵤ", "u"},    {"ᵥ", "v"},        {"×", "x"},
        {"—", "-"},    {"“", "\""},   {"”", "\""},   {"°", " degrees"}, {"↑", "Up"},
        {"↓", "Down"}, {"←", "Left"}, {"▸", ">"},    {"─", "-"},        {"✓", "ok"},
        {"✗", "FAIL"}, {"·", "-"},    {"…", "..."},  {"−", "-"},        {"⁰", "^0"},
        {"³", "^3"},   {"ᵀ", "'"},
};

void dv_put_text(dv_strbuf *b, const char *s, int unicode)
{
	if (unicode) {
		dv_strbuf_puts(b, s);
		return;
	}
	dv_strbuf_put_mapped(b, s, to_ascii, sizeof to_ascii / sizeof to_ascii[0]);
}

void dv_put_math(dv_strbuf *b, const char *s, int unicode)
{
	if (unicode && strchr(s, '\\') != NULL)
		tex_to_unicode(b, s);
	else
		dv_put_text(b, s, unicode);
}

static const sym_poly *poly_at(const dv_mat *m, size_t i)
{
	return *(sym_poly *const *)dv_mat_at(m, i);
}

int dv_format_entry(char *buf, size_t size, const dv_mat *m, size_t i)
{
	double v = dv_mat_get(m, i);
	/* a number that is 0 within its own error bound is shown as 0 */
	if (fabs(v) <= dv_mat_bound_at(m, i))
		v = 0.0;
	return dv_format_number(buf, size, v);
}

void dv_put_entry(dv_strbuf *b, const dv_mat *m, size_t i, sym_style style,
                  const sym_latex_name *latex)
{
	sym_print_opts so = {style, NULL, latex};
	char buf[64];
	if (dv_mat_is_double(m)) {
		if (style == SYM_ASCII) /* JSON strings: round-trippable */
			snprintf(buf, sizeof buf, "%.17g", dv_mat_get(m, i));
		else
			dv_format_entry(buf, sizeof buf, m, i);
		dv_strbuf_puts(b, buf);
	} else {
		sym_poly_print(b, poly_at(m, i), sym_field_ctx(m->field), &so);
	}
}

/* Where to cut s near `at`: after a " + " or " - " between terms if one is near. */
static size_t cut_near(const char *s, size_t len, size_t at, int forward)
{
	for (size_t k = 0; k < 48 && at + k + 3 <= len && at >= k; k++) {
		size_t p = forward ? at + k : at - k;
		if (p + 3 <= len && s[p] == ' ' && (s[p + 1] == '+' || s[p + 1] == '-') &&
		    s[p + 2] == ' ')
			return p;
	}
	while (at > 0 && at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	return at;
}

void dv_put_entry_short(dv_strbuf *b, const dv_mat *m, size_t i, sym_style style,
                        size_t max)
{
	dv_strbuf full;
	size_t head, tail;

	dv_strbuf_init(&full);
	dv_put_entry(&full, m, i, style, NULL);
	if (full.failed || full.len <= max) {
		dv_strbuf_putn(b, full.s != NULL ? full.s : "", full.len);
		dv_strbuf_free(&full);
		return;
	}
	head = cut_near(full.s, full.len, max * 2 / 3, 1);
	tail = cut_near(full.s, full.len, full.len - max / 3, 0);
	if (tail <= head)
		tail = head;
	dv_strbuf_putn(b, full.s, head);
	dv_strbuf_printf(b,
	                 style == SYM_UNICODE ? " … (%zu terms, %zu characters) …%s"
	                                      : " ... (%zu terms, %zu characters) ...%s",
	                 dv_mat_is_double(m) ? (size_t)1 : sym_poly_len(poly_at(m, i)),
	                 full.len, full.s[tail] == ' ' ? "" : " ");
	dv_strbuf_putn(b, full.s + tail, full.len - tail);
	dv_strbuf_free(&full);
}

void dv_put_bmatrix(dv_strbuf *b, const dv_mat *m, const sym_latex_name *latex)
{
	dv_strbuf_puts(b, "\\begin{bmatrix}\n");
	for (size_t i = 0; i < m->rows; i++) {
		for (size_t j = 0; j < m->cols; j++) {
			dv_strbuf_puts(b, j == 0 ? "" : " & ");
			dv_put_entry(b, m, i * m->cols + j, SYM_LATEX, latex);
		}
		dv_strbuf_puts(b, i + 1 < m->rows ? " \\\\\n" : "\n");
	}
	dv_strbuf_puts(b, "\\end{bmatrix}\n");
}

void dv_put_table(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
                  const sym_latex_name *latex, const char *indent)
{
	sym_print_opts so = {style, NULL, NULL};
	if (dv_mat_is_scalar(m)) {
		dv_strbuf_puts(b, indent);
		if (style == SYM_LATEX && name != NULL) {
			dv_strbuf_puts(b, name);
			dv_strbuf_puts(b, " &= ");
		} else if (name != NULL && *indent != '\0') {
			sym_name_print(b, name, style);
			dv_strbuf_puts(b, " = ");
		}
		dv_put_entry(b, m, 0, style, latex);
		dv_strbuf_puts(b, "\n");
		return;
	}
	for (size_t i = 0; i < dv_mat_len(m); i++) {
		dv_strbuf_puts(b, indent);
		sym_entry_print(b, name, i / m->cols + 1, i % m->cols + 1, &so);
		dv_strbuf_puts(b, style == SYM_LATEX ? " &= " : " = ");
		dv_put_entry(b, m, i, style, latex);
		dv_strbuf_puts(b, style == SYM_LATEX && i + 1 < dv_mat_len(m) ? " \\\\\n"
		                                                              : "\n");
	}
}

int dv_is_grid(const dv_mat *m)
{
	if (dv_mat_is_double(m))
		return 1;
	for (size_t i = 0; i < dv_mat_len(m); i++)
		if (sym_poly_len(poly_at(m, i)) > 1)
			return 0;
	return 1;
}

/* Characters, not bytes: every character verify prints takes one column. */
size_t dv_text_width(const char *s)
{
	size_t w = 0;
	for (; *s != '\0'; s++)
		w += (((unsigned char)*s) & 0xC0) != 0x80;
	return w;
}

void dv_put_grid(dv_strbuf *b, const dv_mat *m, const char *name, sym_style style,
                 const char *indent)
{
	size_t n = dv_mat_len(m), *width = calloc(m->cols, sizeof *width);
	size_t lead = dv_text_width(name) + 3;
	char **cell = calloc(n, sizeof *cell);

	if (width == NULL || cell == NULL) {
		b->failed = 1;
		free(width);
		free(cell);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		dv_strbuf c;
		dv_strbuf_init(&c);
		dv_put_entry(&c, m, i, style, NULL);
		if (dv_strbuf_finish(&c, &cell[i], NULL) != DV_OK) {
			b->failed = 1;
			break;
		}
		if (dv_text_width(cell[i]) > width[i % m->cols])
			width[i % m->cols] = dv_text_width(cell[i]);
	}
	for (size_t r = 0; r < m->rows && !b->failed; r++) {
		dv_strbuf_puts(b, indent);
		if (r == 0)
			dv_strbuf_printf(b, "%s = ", name);
		else
			dv_strbuf_printf(b, "%*s", (int)lead, "");
		for (size_t c = 0; c < m->cols; c++) {
			const char *s = cell[r * m->cols + c];
			size_t pad = width[c] - dv_text_width(s);
			dv_strbuf_printf(b, "%s%*s%s", c == 0 ? "" : "  ", (int)pad, "",
			                 s);
		}
		dv_strbuf_puts(b, "\n");
	}
	for (size_t i = 0; i < n; i++)
		free(cell[i]);
	free(cell);
	free(width);
}

/* n blanks. */
static void put_blanks(dv_strbuf *b, size_t n)
{
	static const char blanks[] = "                                ";
	for (; n >= sizeof blanks - 1; n -= sizeof blanks - 1)
		dv_strbuf_putn(b, blanks, sizeof blanks - 1);
	dv_strbuf_putn(b, blanks, n);
}

/* Room for one entry as dv_format_entry writes it ("%.6g": at most 13). */
#define CELL 32

void dv_put_numbers_side(dv_strbuf *b, const dv_mat *const *m, const char *const *label,
                         size_t n, const char *indent)
{
	size_t **width = calloc(n ? n : 1, sizeof *width);
	size_t *block = calloc(n ? n : 1, sizeof *block);
	char (**cell)[CELL] = calloc(n ? n : 1, sizeof *cell);
	size_t rows = 0;

	if (width == NULL || block == NULL || cell == NULL) {
		free(width);
		free(block);
		free(cell);
		b->failed = 1;
		return;
	}
	/* each entry formatted once: for the widths, then printed */
	for (size_t k = 0; k < n; k++) {
		size_t len = dv_mat_len(m[k]);
		if ((width[k] = calloc(m[k]->cols ? m[k]->cols : 1, sizeof **width)) ==
		            NULL ||
		    (cell[k] = malloc((len ? len : 1) * sizeof *cell[k])) == NULL) {
			b->failed = 1;
			goto out;
		}
		for (size_t i = 0; i < len; i++) {
			size_t w = (size_t)dv_format_entry(cell[k][i], CELL, m[k], i);
			if (w > width[k][i % m[k]->cols])
				width[k][i % m[k]->cols] = w;
		}
		for (size_t j = 0; j < m[k]->cols; j++)
			block[k] += width[k][j] + (j > 0 ? 2 : 0);
		if (label != NULL && dv_text_width(label[k]) > block[k])
			block[k] = dv_text_width(label[k]);
		if (m[k]->rows > rows)
			rows = m[k]->rows;
	}
	for (size_t i = label != NULL ? 0 : 1; i <= rows; i++) {
		/* line 0 holds the labels; a line ends where its last entry does */
		size_t len0 = b->len, keep;
		dv_strbuf_puts(b, indent);
		keep = b->len;
		for (size_t k = 0; k < n; k++) {
			size_t at = b->len;
			if (k > 0)
				dv_strbuf_puts(b, "    ");
			if (i == 0) {
				size_t w = dv_text_width(label[k]);
				dv_strbuf_puts(b, label[k]);
				put_blanks(b, block[k] > w ? block[k] - w : 0);
				keep = at + (k > 0 ? 4 : 0) + strlen(label[k]);
				continue;
			}
			for (size_t j = 0; j < m[k]->cols; j++) {
				const char *t = i > m[k]->rows ? ""
				                               : cell[k][(i - 1) * m[k]->cols + j];
				size_t tl = strlen(t);
				put_blanks(b, (j == 0 ? 0 : 2) +
				                      (width[k][j] > tl ? width[k][j] - tl : 0));
				dv_strbuf_putn(b, t, tl);
				if (i <= m[k]->rows)
					keep = b->len;
			}
			{
				size_t used = 0;
				for (size_t j = 0; j < m[k]->cols; j++)
					used += width[k][j] + (j > 0 ? 2 : 0);
				put_blanks(b, block[k] > used ? block[k] - used : 0);
			}
		}
		if (!b->failed && b->s != NULL) {
			/* no trailing blanks */
			b->len = keep > len0 ? keep : len0;
			b->s[b->len] = '\0';
		}
		dv_strbuf_puts(b, "\n");
	}
out:
	for (size_t k = 0; k < n; k++) {
		free(width[k]);
		free(cell[k]);
	}
	free(width);
	free(block);
	free(cell);
}

void dv_put_numbers(dv_strbuf *b, const dv_mat *m, const char *indent)
{
	dv_put_numbers_side(b, &m, NULL, 1, indent);
}

void dv_put_differ_by(dv_strbuf *b, double diff, int digits)
{
	if (isfinite(diff))
		dv_strbuf_printf(b, "they differ by %.*g", digits, diff);
	else
		dv_strbuf_printf(b, "they differ by more than the largest double (%.2g)",
		                 DBL_MAX);
}
