#include <math.h>
#include "cli/print.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"
#include "render/render.h"
#include "sym/ctx.h"

void dv_print_numbers(FILE *f, const dv_mat *m, const char *indent)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	dv_put_numbers(&b, m, indent);
	if (dv_strbuf_finish(&b, &s, NULL) == DV_OK)
		fputs(s, f);
	else
		fputs("(out of memory)\n", f);
	free(s);
}

static const sym_poly *poly_at(const dv_mat *m, size_t i)
{
	return *(sym_poly *const *)dv_mat_at(m, i);
}

static void put_latex_matrix(dv_strbuf *b, const dv_mat *m, const char *name)
{
	dv_strbuf_puts(b, "$$\n");
	if (dv_mat_is_double(m) || dv_mat_is_scalar(m)) {
		if (dv_mat_is_scalar(m)) {
			dv_put_entry(b, m, 0, SYM_LATEX, NULL);
			dv_strbuf_puts(b, "\n");
		} else {
			dv_put_bmatrix(b, m, NULL);
		}
	} else {
		dv_strbuf_puts(b, "\\begin{aligned}\n");
		dv_put_table(b, m, name, SYM_LATEX, NULL, "");
		dv_strbuf_puts(b, "\\end{aligned}\n");
	}
	dv_strbuf_puts(b, "$$\n");
}

static void put_check_text(dv_strbuf *b, const dv_value *v, sym_style style)
{
	const dv_check *c = &v->check;
	const dv_mat *l = v->mat, *r = v->mat2;

	if (c->shape_differs) {
		dv_strbuf_printf(
		        b, "fails: the left side is %zux%zu, the right side %zux%zu\n",
		        l->rows, l->cols, r->rows, r->cols);
		return;
	}
	if (c->holds && c->exact) {
		dv_strbuf_printf(
		        b,
		        "holds: the two sides are equal in every entry (%zux%zu, "
		        "exact)\n",
		        l->rows, l->cols);
		return;
	}
	if (c->holds) {
		dv_strbuf_printf(
		        b,
		        "holds: the two sides agree in every entry (%zux%zu; max "
		        "difference %.3g, within their error bound %.3g)\n",
		        l->rows, l->cols, c->max_abs, c->max_bound);
		return;
	}
	dv_strbuf_printf(b, "%s at (%zu,%zu):\n  left:  ",
	                 c->verdict == DV_VERDICT_FAILS ? "fails" : "inconclusive",
	                 c->row, c->col);
	dv_put_entry(b, l, (c->row - 1) * l->cols + c->col - 1, style, NULL);
	dv_strbuf_puts(b, "\n  right: ");
	dv_put_entry(b, r, (c->row - 1) * r->cols + c->col - 1, style, NULL);
	dv_strbuf_puts(b, "\n");
	if (!c->exact && c->verdict == DV_VERDICT_FAILS)
	{
		dv_strbuf_puts(b, "  ");
		dv_put_differ_by(b, c->at.diff, 3);
		dv_strbuf_printf(b, ", more than their error bound %.3g\n", c->at.bound);
	}
	else if (!c->exact && (!isfinite(c->at.bound) || !isfinite(c->at.scale)))
		dv_strbuf_puts(
		        b, "  no error bound is known for it: a number overflowed, or a "
		           "kink (relu, max) lies within the finite-difference step\n");
	else if (!c->exact)
		dv_strbuf_printf(b,
		                 "  their error bound %.3g is too loose to resolve %.0e "
		                 "of the terms' size %.3g, even at higher precision\n",
		                 c->at.bound, DV_RESOLUTION, c->at.scale);
}

static void put_check_latex(dv_strbuf *b, const dv_value *v)
{
	const dv_check *c = &v->check;
	dv_strbuf_puts(b, "$$\n");
	if (c->shape_differs) {
		dv_strbuf_printf(b,
		                 "\\text{fails: the sides are } %zu \\times %zu "
		                 "\\text{ and } %zu \\times %zu\n",
		                 v->mat->rows, v->mat->cols, v->mat2->rows,
		                 v->mat2->cols);
	} else if (c->holds) {
		dv_strbuf_printf(b,
		                 "\\text{holds in every entry (%zu} \\times "
		                 "\\text{%zu%s)}\n",
		                 v->mat->rows, v->mat->cols, c->exact ? ", exact" : "");
	} else {
		size_t i = (c->row - 1) * v->mat->cols + c->col - 1;
		dv_strbuf_printf(b, "\\text{%s at (%zu,%zu): } ",
		                 c->verdict == DV_VERDICT_FAILS ? "fails"
		                                                : "inconclusive",
		                 c->row, c->col);
		dv_put_entry(b, v->mat, i, SYM_LATEX, NULL);
		dv_strbuf_puts(b, " \\neq ");
		dv_put_entry(b, v->mat2, i, SYM_LATEX, NULL);
		dv_strbuf_puts(b, "\n");
	}
	dv_strbuf_puts(b, "$$\n");
}

static cJSON *json_entry(const dv_mat *m, size_t i, int *ok)
{
	cJSON *item;
	if (dv_mat_is_double(m)) {
		item = cJSON_CreateNumber(dv_mat_get(m, i));
	} else {
		char *s = NULL;
		sym_print_opts so = {SYM_ASCII, NULL, NULL};
		if (sym_poly_format(&s, poly_at(m, i), sym_field_ctx(m->field), &so,
		                    NULL) != DV_OK) {
			*ok = 0;
			return NULL;
		}
		item = cJSON_CreateString(s);
		free(s);
	}
	if (item == NULL)
		*ok = 0;
	return item;
}

static cJSON *json_matrix(const dv_mat *m, int *ok)
{
	cJSON *rows;
	if (dv_mat_is_scalar(m))
		return json_entry(m, 0, ok);
	rows = cJSON_CreateArray();
	if (rows == NULL)
		*ok = 0;
	for (size_t i = 0; *ok && i < m->rows; i++) {
		cJSON *row = cJSON_CreateArray();
		*ok = row != NULL && cJSON_AddItemToArray(rows, row);
		for (size_t j = 0; *ok && j < m->cols; j++) {
			cJSON *e = json_entry(m, i * m->cols + j, ok);
			*ok = *ok && cJSON_AddItemToArray(row, e);
		}
	}
	return rows;
}

static int print_json(FILE *f, const dv_value *v)
{
	cJSON *root = cJSON_CreateObject();
	char *text = NULL;
	int ok = root != NULL;

	if (ok && v->kind == DV_V_MAT) {
		ok = cJSON_AddItemToObject(root, "value", json_matrix(v->mat, &ok)) && ok;
	} else if (ok) {
		const dv_check *c = &v->check;
		ok = cJSON_AddBoolToObject(root, "holds", c->holds) != NULL &&
		     cJSON_AddStringToObject(root, "verdict",
		                             dv_verdict_name(c->verdict)) != NULL &&
		     cJSON_AddBoolToObject(root, "exact", c->exact) != NULL;
		if (ok && !c->exact && !c->shape_differs)
			ok = cJSON_AddNumberToObject(root, "max_difference",
			                             c->max_abs) &&
			     cJSON_AddNumberToObject(root, "max_bound", c->max_bound);
		if (ok && c->shape_differs) {
			ok = cJSON_AddItemToObject(
			             root, "left_size",
			             cJSON_CreateIntArray(
			                     (const int[]){(int)v->mat->rows,
			                                   (int)v->mat->cols},
			                     2)) &&
			     cJSON_AddItemToObject(
			             root, "right_size",
			             cJSON_CreateIntArray(
			                     (const int[]){(int)v->mat2->rows,
			                                   (int)v->mat2->cols},
			                     2));
		} else if (ok && !c->holds) {
			size_t i = (c->row - 1) * v->mat->cols + c->col - 1;
			ok = cJSON_AddItemToObject(
			             root, "entry",
			             cJSON_CreateIntArray(
			                     (const int[]){(int)c->row, (int)c->col},
			                     2)) &&
			     cJSON_AddItemToObject(root, "left",
			                           json_entry(v->mat, i, &ok)) &&
			     cJSON_AddItemToObject(root, "right",
			                           json_entry(v->mat2, i, &ok));
		}
	}
	if (ok)
		text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL)
		return DV_E_NOMEM;
	fprintf(f, "%s\n", text);
	cJSON_free(text);
	return DV_OK;
}

int dv_print_value(FILE *f, const dv_value *v, const dv_print_opts *o)
{
	dv_strbuf b;
	char *text = NULL;

	if (o->format == DV_FORMAT_JSON)
		return print_json(f, v);
	dv_strbuf_init(&b);
	if (o->format == DV_FORMAT_MARKDOWN && o->source != NULL)
		dv_strbuf_printf(&b, "`%s`\n\n", o->source);
	if (v->kind == DV_V_CHECK) {
		if (o->format == DV_FORMAT_TEXT) {
			put_check_text(&b, v, o->text_style);
		} else {
			put_check_latex(&b, v);
		}
	} else if (o->format == DV_FORMAT_TEXT && dv_mat_is_double(v->mat)) {
		if (dv_strbuf_finish(&b, &text, NULL) != DV_OK)
			return DV_E_NOMEM;
		fputs(text, f);
		free(text);
		dv_print_numbers(f, v->mat, "");
		return DV_OK;
	} else if (o->format == DV_FORMAT_TEXT) {
		dv_put_table(&b, v->mat, o->name, o->text_style, NULL, "");
	} else {
		put_latex_matrix(&b, v->mat, o->name);
	}
	if (dv_strbuf_finish(&b, &text, NULL) != DV_OK)
		return DV_E_NOMEM;
	fputs(text, f);
	free(text);
	return DV_OK;
}

void dv_print_diag(FILE *f, const char *source_name, const char *src, const dv_diag *d)
{
	const char *line;
	size_t len;

	if (d->line <= 0 || src == NULL) {
		fprintf(f, "verify: error: %s\n", d->message);
		return;
	}
	fprintf(f, "%s:%d:%d: error: %s\n", source_name, d->line, d->column, d->message);
	line = src;
	for (int l = 1; l < d->line && line != NULL; l++) {
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	if (line == NULL)
		return;
	len = strcspn(line, "\n");
	fprintf(f, "  %.*s\n  ", (int)len, line);
	/* One space per character before the column, tabs kept as tabs. */
	for (int c = 1; c < d->column && *line != '\0' && *line != '\n'; line++) {
		if ((((unsigned char)*line) & 0xC0) == 0x80)
			continue;
		fputc(*line == '\t' ? '\t' : ' ', f);
		c++;
	}
	fputs("^\n", f);
}
