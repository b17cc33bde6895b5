#include "cli/print.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Octave-like: six significant digits, integers without a point. */
static int format_entry(char *buf, size_t size, double v)
{
	if (v == 0.0)
		v = 0.0; /* no "-0" */
	return snprintf(buf, size, "%.6g", v);
}

void dv_print_text(FILE *f, const dv_mat *m)
{
	size_t *width = calloc(m->cols, sizeof *width);
	char buf[64];

	if (dv_mat_is_scalar(m) || width == NULL) {
		format_entry(buf, sizeof buf, dv_mat_get(m, 0));
		if (dv_mat_is_scalar(m))
			fprintf(f, "%s\n", buf);
		else
			fprintf(f, "(out of memory printing a %zux%zu matrix)\n", m->rows,
				m->cols);
		free(width);
		return;
	}
	for (size_t i = 0; i < dv_mat_len(m); i++) {
		size_t w = (size_t)format_entry(buf, sizeof buf, dv_mat_get(m, i));
		if (w > width[i % m->cols])
			width[i % m->cols] = w;
	}
	for (size_t i = 0; i < m->rows; i++) {
		for (size_t j = 0; j < m->cols; j++) {
			format_entry(buf, sizeof buf, dv_mat_get(m, i * m->cols + j));
			fprintf(f, "%s%*s", j == 0 ? "" : "  ", (int)width[j], buf);
		}
		fputc('\n', f);
	}
	free(width);
}

int dv_print_json(FILE *f, const dv_mat *m)
{
	cJSON *root = cJSON_CreateObject(), *value = NULL;
	char *text;
	int ok = root != NULL;

	if (ok && dv_mat_is_scalar(m)) {
		value = cJSON_CreateNumber(dv_mat_get(m, 0));
	} else if (ok) {
		value = cJSON_CreateArray();
		for (size_t i = 0; value != NULL && i < m->rows && ok; i++) {
			cJSON *row = cJSON_CreateDoubleArray(
				(const double *)m->data + i * m->cols, (int)m->cols);
			ok = row != NULL && cJSON_AddItemToArray(value, row);
			if (row != NULL && !ok)
				cJSON_Delete(row);
		}
	}
	ok = ok && value != NULL && cJSON_AddItemToObject(root, "value", value);
	if (!ok && value != NULL)
		cJSON_Delete(value);
	text = ok ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (text == NULL)
		return DV_E_NOMEM;
	fprintf(f, "%s\n", text);
	cJSON_free(text);
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
