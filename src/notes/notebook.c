/*
 * notebook: a Jupyter notebook (nbformat 4) as the Markdown of its cells.
 *
 * The Markdown cells are joined, a blank line between two, into the text
 * the reader reads; code, raw and output cells are not formulas.  Each line
 * of that text remembers its cell (1-based, counting every cell), its line
 * within the cell and the line of the .ipynb file where the cell's source
 * string stands (found by searching the file for each string as JSON
 * writes it, in order), so that a formula is reported where a user finds
 * it.  cJSON reads the file.
 */
#include "notes/notebook.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

/* Whether the text looks like JSON: its first character past white space. */
static int looks_json(const char *text, size_t len)
{
	size_t i = 0;
	if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
	    (unsigned char)text[2] == 0xBF)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] == '{';
}

/* How deep [ and { nest, outside strings. */
static size_t json_depth(const char *t, size_t len)
{
	size_t depth = 0, most = 0;
	int in_string = 0;
	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (t[i] == '\\')
				i++;
			else if (t[i] == '"')
				in_string = 0;
		} else if (t[i] == '"') {
			in_string = 1;
		} else if (t[i] == '[' || t[i] == '{') {
			if (++depth > most)
				most = depth;
		} else if ((t[i] == ']' || t[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return most;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The 1-based line of offset in text, counted on from (*at, *line). */
static int line_at(const char *text, size_t offset, size_t *at, int *line)
{
	for (; *at < offset; (*at)++)
		if (text[*at] == '\n')
			(*line)++;
	return *line;
}

static int add_place(notes_notebook *nb, int cell, int cell_line, int file_line)
{
	notes_place *p;
	if (nb->nplaces % 256 == 0) {
		p = realloc(nb->places, (nb->nplaces + 256) * sizeof *p);
		if (p == NULL)
			return -1;
		nb->places = p;
	}
	p = &nb->places[nb->nplaces++];
	p->cell = cell;
	p->cell_line = cell_line;
	p->file_line = file_line;
	return 0;
}

/*
 * One piece of a cell's source: appended to b, each of its lines placed.
 * The piece is searched for in the file as JSON writes it, from *from on.
 */
static int add_piece(notes_notebook *nb, dv_strbuf *b, const char *text, size_t len,
                     const cJSON *piece, int cell, int *cell_line, size_t *from,
                     size_t *at, int *line)
{
	const char *s = piece->valuestring;
	char *json = cJSON_PrintUnformatted(piece);
	int file_line = 0;
	if (json == NULL)
		return -1;
	{
		/* the string as the file has it (a writer may escape otherwise:
		 * then the line of the cell's last piece found stands) */
		size_t n = strlen(json);
		const char *hit = NULL;
		for (size_t i = *from; n > 0 && i + n <= len; i++)
			if (text[i] == '"' && memcmp(text + i, json, n) == 0) {
				hit = text + i;
				break;
			}
		if (hit != NULL) {
			*from = (size_t)(hit - text) + n;
			file_line = line_at(text, (size_t)(hit - text), at, line);
		} else {
			file_line = *line;
		}
	}
	free(json);
	for (const char *p = s;;) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n > 0 || e != NULL) {
			if (nb->at_line_start && add_place(nb, cell, *cell_line, file_line) != 0)
				return -1;
			dv_strbuf_printf(b, "%.*s%s", (int)n, p, e != NULL ? "\n" : "");
			nb->at_line_start = e != NULL;
			if (e != NULL)
				(*cell_line)++;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

int notes_notebook_read(notes_notebook *nb, const char *path, const char *text, size_t len,
                        dv_diag *d)
{
	cJSON *root, *cells, *cell;
	dv_strbuf b;
	size_t from = 0, at = 0;
	int line = 1, index = 0, rc = DV_OK;

	memset(nb, 0, sizeof *nb);
	if (!looks_json(text, len) && !ends_with(path, ".ipynb"))
		return DV_OK; /* Markdown */
	root = cJSON_ParseWithLength(text, len);
	if (root == NULL) {
		if (!ends_with(path, ".ipynb"))
			return DV_OK; /* a Markdown file that starts with '{' */
		if (json_depth(text, len) > CJSON_NESTING_LIMIT)
			return dv_fail(d, DV_E_LIMIT,
			               "%s: not read: its JSON nests deeper than %d levels",
			               path, CJSON_NESTING_LIMIT);
		return dv_fail(d, DV_E_SYNTAX,
		               "%s: not a Jupyter notebook: the file is not valid JSON", path);
	}
	cells = cJSON_GetObjectItemCaseSensitive(root, "cells");
	if (!cJSON_IsArray(cells) ||
	    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "nbformat"))) {
		cJSON_Delete(root);
		if (!ends_with(path, ".ipynb"))
			return DV_OK;
		return dv_fail(d, DV_E_SYNTAX,
		               "%s: not a Jupyter notebook: no \"cells\" list and \"nbformat\" "
		               "number at its top",
		               path);
	}
	nb->is_notebook = 1;
	nb->at_line_start = 1;
	dv_strbuf_init(&b);
	cJSON_ArrayForEach(cell, cells)
	{
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(cell, "cell_type");
		const cJSON *source = cJSON_GetObjectItemCaseSensitive(cell, "source");
		int cell_line = 1;
		index++;
		if (!cJSON_IsString(type) || strcmp(type->valuestring, "markdown") != 0)
			continue;
		if (nb->ncells++ > 0) {
			/* a blank line between two cells, placed at the cell before */
			if (!nb->at_line_start)
				dv_strbuf_puts(&b, "\n");
			dv_strbuf_puts(&b, "\n");
			if (add_place(nb, index, 0, line) != 0) {
				rc = DV_E_NOMEM;
				break;
			}
			nb->at_line_start = 1;
		}
		if (cJSON_IsString(source)) {
			if (add_piece(nb, &b, text, len, source, index, &cell_line, &from, &at, &line) != 0)
				rc = DV_E_NOMEM;
		} else if (cJSON_IsArray(source)) {
			const cJSON *piece;
			cJSON_ArrayForEach(piece, source)
			{
				if (!cJSON_IsString(piece)) {
					rc = DV_E_SYNTAX;
					break;
				}
				if (add_piece(nb, &b, text, len, piece, index, &cell_line, &from, &at,
				              &line) != 0) {
					rc = DV_E_NOMEM;
					break;
				}
			}
		} else if (source != NULL) {
			rc = DV_E_SYNTAX;
		}
		if (rc != DV_OK)
			break;
	}
	cJSON_Delete(root);
	if (rc == DV_OK && !nb->at_line_start) {
		dv_strbuf_puts(&b, "\n");
	}
	if (rc == DV_OK && dv_strbuf_finish(&b, &nb->markdown, d) != DV_OK)
		rc = DV_E_NOMEM;
	if (rc != DV_OK) {
		dv_strbuf_free(&b);
		notes_notebook_clear(nb);
		if (rc == DV_E_NOMEM)
			return dv_fail(d, rc, "out of memory");
		return dv_fail(d, rc,
		               "%s: not a Jupyter notebook: a cell's \"source\" is neither a "
		               "string nor a list of strings",
		               path);
	}
	nb->len = strlen(nb->markdown);
	return DV_OK;
}

const notes_place *notes_notebook_place(const notes_notebook *nb, int line)
{
	if (line < 1 || (size_t)line > nb->nplaces)
		return NULL;
	return &nb->places[line - 1];
}

void notes_notebook_clear(notes_notebook *nb)
{
	free(nb->markdown);
	free(nb->places);
	memset(nb, 0, sizeof *nb);
}
