/*
 * check: notes_check -- the file's math found (extract.c) and read (tex.c),
 * its notation learned (notation.c), its scenes made, each chain decided
 * (chain.c), the report counted.
 */
#include "notes/reader.h"
#include "notes/latexdoc.h"
#include "notes/notebook.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "expr/parser.h"
#include "sym/poly.h"

static void count(notes_report *rep);

const char *notes_verdict_name(notes_verdict v);

void notes_report_free(notes_report *r);

int notes_check(notes_report **out, const char *path, const char *text, size_t len,
                const notes_opts *o, dv_diag *d);

static void count(notes_report *rep)
{
	rep->holds = rep->fails = rep->inconclusive = rep->unchecked = 0;
	for (size_t i = 0; i < rep->n; i++) {
		switch (rep->items[i].verdict) {
		case NOTES_HOLDS:
			rep->holds++;
			break;
		case NOTES_FAILS:
			rep->fails++;
			break;
		case NOTES_INCONCLUSIVE:
			rep->inconclusive++;
			break;
		case NOTES_UNCHECKED:
			rep->unchecked++;
			break;
		}
	}
}

tex_block *notes_block(notes_run *N, size_t i)
{
	const notes_math *m = &N->src->math[i];
	dv_diag d = {0};
	if (N->blocks[i] == NULL &&
	    tex_read(&N->blocks[i], N->src->clean + m->start, m->end - m->start, m->line,
	             m->column, &d) != DV_OK)
		return NULL;
	return N->blocks[i];
}

/*
 * Each formula placed where its user finds it (in a notebook: the .ipynb
 * line, the cell and the line in it), and where its reason points said at
 * the reason's end: "(column 11)" on the formula's own line, "(line 56,
 * column 3)" on another, in a notebook "(cell 4, line 2, column 7)" (nb
 * NULL for any other file).
 */
static int place_reasons(notes_report *rep, const notes_notebook *nb, dv_diag *d)
{
	for (size_t i = 0; i < rep->n; i++) {
		notes_formula *f = &rep->items[i];
		const notes_place *p = nb != NULL ? notes_notebook_place(nb, f->line) : NULL;
		const notes_place *w = nb != NULL && f->why_line > 0
		                               ? notes_notebook_place(nb, f->why_line)
		                               : NULL;
		int own = f->why_line == f->line;
		if (p != NULL) {
			f->cell = p->cell;
			f->cell_line = p->cell_line;
			f->line = p->file_line;
		}
		if (f->reason != NULL && f->why_line > 0) {
			dv_strbuf b;
			char *t = NULL;
			dv_strbuf_init(&b);
			dv_strbuf_puts(&b, f->reason);
			if (own)
				dv_strbuf_printf(&b, " (column %d)", f->why_column);
			else if (w != NULL)
				dv_strbuf_printf(&b, " (cell %d, line %d, column %d)", w->cell,
				                 w->cell_line, f->why_column);
			else
				dv_strbuf_printf(&b, " (line %d, column %d)", f->why_line,
				                 f->why_column);
			if (dv_strbuf_finish(&b, &t, d) != DV_OK)
				return DV_E_NOMEM;
			free(f->reason);
			f->reason = t;
		}
		f->why_line = f->why_column = 0;
	}
	return DV_OK;
}

const char *notes_verdict_name(notes_verdict v)
{
	switch (v) {
	case NOTES_HOLDS:
		return "holds";
	case NOTES_FAILS:
		return "fails";
	case NOTES_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "unchecked";
	}
}

void notes_report_free(notes_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		notes_formula *f = &r->items[i];
		free(f->latex);
		free(f->scene);
		free(f->reading);
		free(f->claim);
		free(f->reason);
		free(f->repair);
		free(f->repair_what);
		lesson_check_free(f->check);
	}
	free(r->items);
	for (size_t i = 0; i < r->nruns; i++) {
		lesson_result_free(r->runs[i]);
		lesson_free(r->lessons[i]);
	}
	free(r->runs);
	free(r->lessons);
	for (size_t i = 0; i < r->nactions; i++)
		action_free(r->actions[i]);
	free(r->actions);
	free(r->path);
	free(r->markdown);
	free(r);
}

int notes_check(notes_report **out, const char *path, const char *text, size_t len,
                const notes_opts *o, dv_diag *d)
{
	notes_run N = {0};
	notes_source src = {0};
	notes_notebook nb;
	char *latex = NULL;
	tex_block **blocks = NULL;
	size_t nblocks = 0;
	int rc;

	*out = NULL;
	if ((N.rep = calloc(1, sizeof *N.rep)) == NULL ||
	    (N.rep->path = notes_dup(path)) == NULL) {
		free(N.rep);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	N.seed = o->seed;
	N.star_fixed = -1;
	/* a notebook: the Markdown of its cells is what is read */
	if ((rc = notes_notebook_read(&nb, path, text, len, d)) != DV_OK) {
		notes_report_free(N.rep);
		return rc;
	}
	if (nb.is_notebook) {
		text = nb.markdown;
		len = nb.len;
	} else if (notes_is_latex(path, text, len)) {
		/* a LaTeX document: comments out, macros expanded, line for line */
		if ((rc = notes_latex_prepare(&latex, &len, text, len, d)) != DV_OK) {
			char prefix[300];
			snprintf(prefix, sizeof prefix, "%.280s: ", path);
			if (rc != DV_E_NOMEM)
				dv_diag_prefix(d, prefix);
			notes_report_free(N.rep);
			return rc;
		}
		text = latex;
	}
	rc = latex != NULL ? notes_latex_extract(&src, text, len, d)
	                   : notes_extract(&src, text, len, d);
	/* the first formulas read at once: the file's notation is learned from
	 * them; the others are read when their turn comes */
	if (rc == DV_OK && src.nmath > 0 && (blocks = calloc(src.nmath, sizeof *blocks)) == NULL)
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	nblocks = src.nmath;
	N.blocks = blocks;
	N.nblocks = nblocks;
	N.src = &src;
	for (size_t i = 0; rc == DV_OK && i < nblocks && i < NOTES_NOTATION_BLOCKS; i++)
		if (notes_block(&N, i) == NULL)
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	if (rc == DV_OK &&
	    notes_notation_read(&N.nt, blocks, nblocks < NOTES_NOTATION_BLOCKS ? nblocks
	                                                                       : NOTES_NOTATION_BLOCKS,
	                        text, len, &src) != DV_OK)
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
	/* a ```verify block is the file's own context: its scenes come first */
	for (size_t i = 0; rc == DV_OK && i < src.nfences; i++) {
		char *block = notes_dup_n(text + src.fences[i].start,
		                    src.fences[i].end - src.fences[i].start);
		if (block == NULL) {
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			break;
		}
		rc = read_scenes(&N, block, d, path, src.fences[i].line, 1);
		if (rc != DV_OK)
			dv_diag_locate(d, src.fences[i].line, 1);
		else if (d->line > 0)
			d->line += src.fences[i].line - 1;
		free(block);
	}
	/* --context is the notation the user states; the built-in scenes serve
	 * only a file that fixes its notation nowhere */
	if (rc == DV_OK && o->context != NULL)
		rc = read_scenes(&N, o->context, d,
		                 o->context_path != NULL ? o->context_path : "context", 0, 1);
	else if (rc == DV_OK && N.nscenes == 0 && N.nt.found) {
		/* a forward pass in the built-in scenes' own letters (the seed's
		 * notes): those scenes are the file's notation */
		rc = read_scenes(&N, notes_builtin_context, d, "context", 0, 0);
		for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++)
		{
			const scene_line *a = scene_find(&N.scenes[s], N.nt.input);
			const scene_line *k = scene_find(&N.scenes[s], N.nt.kernel);
			if (a != NULL && k != NULL && a->var && k->var && N.nt.seed_letters)
				N.nt.builtin = 1;
		}
		if (!N.nt.builtin) {
			for (size_t s = 0; s < N.nscenes; s++)
				scene_clear(&N.scenes[s]);
			N.nscenes = 0;
		}
	}
	if (rc == DV_OK && N.nscenes == 0 && N.nt.scenes != NULL && !N.nt.builtin) {
		/* the scene the file's own forward pass builds */
		rc = read_scenes(&N, N.nt.scenes, d, "the file's notation", 0, 1);
		for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++) {
			scene_line *o_line = scene_find(&N.scenes[s], N.nt.output);
			scene_line *a_line = N.nt.activation[0] != '\0'
			                             ? scene_find(&N.scenes[s], N.nt.activation)
			                             : NULL;
			if (o_line != NULL && !o_line->var)
				o_line->by_file = 1; /* ∂E/∂O is its δ */
			if (a_line != NULL && !a_line->var && (o_line == NULL || o_line->var))
				a_line->by_file = 1; /* in the activation's scene, ∂E/∂A is */
			N.scenes[s].learned = 1;
			N.scenes[s].base = N.nt.index_def != NULL ? N.nt.base : -1;
			snprintf(N.scenes[s].zero, sizeof N.scenes[s].zero, "%s", N.nt.zero);
			N.scenes[s].variant = N.nt.variants == 2 ? (int)(s % 2) + 1 : 0;
			N.scenes[s].star_own = N.scenes[s].variant == 2 || N.nt.star == 1
			                               ? STAR_XCORR
			                               : STAR_CONV;
			if (N.nt.index_def != NULL && expand_index_form(&N, &N.scenes[s], d) != 0)
				rc = dv_fail(d, DV_E_NOMEM, "out of memory");
			if (rc == DV_OK && N.nt.delta_name[0] != '\0' &&
			    scene_find(&N.scenes[s], "delta") != NULL &&
			    scene_find(&N.scenes[s], N.nt.delta_name) == NULL) {
				/* Delta = dE/dP: the file's name for δ */
				char line[64];
				snprintf(line, sizeof line, "define %s = delta", N.nt.delta_name);
				if (scene_add(&N.scenes[s], line, 0, 0) != 0)
					rc = dv_fail(d, DV_E_NOMEM, "out of memory");
				scene_changed(&N.scenes[s]);
			}
			snprintf(N.scenes[s].loss, sizeof N.scenes[s].loss, "%s", N.nt.loss);
		}
	} else if (rc == DV_OK && N.nscenes == 0 && !N.nt.found) {
		rc = read_scenes(&N, notes_builtin_context, d, "context", 0, 0);
	}
	/* every scene's header must run: one that does not is an error where
	 * it was written, in the ```verify block or the context file */
	for (size_t s = 0; rc == DV_OK && s < N.nscenes; s++) {
		dv_diag sd = {0};
		const scene *sc = &N.scenes[s];
		int src_rc = scene_run(&N, &N.scenes[s], &sd);
		if (src_rc == DV_E_NOMEM) {
			rc = dv_fail(d, src_rc, "out of memory");
		} else if (src_rc != DV_OK && sc->learned) {
			/* the scene made from the file's own formulas does not run
			 * (sizes the text gives that do not fit): not read there */
			N.scenes[s].broken = 1;
		} else if (src_rc != DV_OK && sc->fence_line > 0) {
			rc = dv_fail(d, DV_E_SYNTAX, "%s:%d:%d: the ```verify block: %s", path,
			             sd.line > 0 ? sc->fence_line + sd.line - 1 : sc->fence_line,
			             sd.line > 0 ? sd.column : 1, sd.message);
		} else if (src_rc != DV_OK) {
			*d = sd;
			dv_diag_prefix(d, "the context: ");
			rc = DV_E_SYNTAX;
		}
	}
	{
		for (size_t i = 0; rc == DV_OK && i < nblocks; i++) {
			const notes_math *m = &src.math[i];
			if (m->problem.code == DV_OK &&
			    memchr(text + m->start, '=', m->end - m->start) == NULL)
				continue; /* a symbol or an operator named in the prose */
			N.math_end = m->problem.code != DV_OK ? len : m->end;
			if (m->problem.code != DV_OK) {
				/* the opener never closed: $$, \[ or \( */
				char opener[3] = {'$', '$', '\0'};
				notes_formula *f;
				if (m->start >= 2)
					memcpy(opener, text + m->start - 2, 2);
				f = add_formula(&N, m->problem.line, m->problem.column, opener);
				if (f == NULL)
					rc = dv_fail(d, DV_E_NOMEM, "out of memory");
				else
					rc = notes_set_reason(f, &m->problem, d);
				continue;
			}
			if (notes_block(&N, i) == NULL) {
				rc = dv_fail(d, DV_E_NOMEM, "out of memory");
				break;
			}
			for (size_t c = 0; rc == DV_OK && c < blocks[i]->nchains; c++)
				rc = check_chain(&N, blocks, nblocks, i, c, d);
			/* checked: what the report keeps is in it already (the index
			 * form the scenes were made from is kept by position) */
			if (N.nt.index_def == NULL || N.nt.index_block != i) {
				tex_block_free(blocks[i]);
				blocks[i] = NULL;
			}
		}
	}
	if (rc == DV_OK && src.input_line > 0) {
		/* \input{...}: said once, in its place, the rest of the document
		 * checked */
		size_t at = 0;
		notes_formula *f = add_formula(&N, src.input_line, src.input_column, "\\input");
		if (f == NULL || (f->reason = notes_dup("\\input and \\include are not followed: "
		                                        "check the included file on its own")) ==
		                         NULL) {
			rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		} else {
			notes_formula in = *f;
			while (at + 1 < N.rep->n && N.rep->items[at].line <= in.line)
				at++;
			memmove(&N.rep->items[at + 1], &N.rep->items[at],
			        (N.rep->n - 1 - at) * sizeof *N.rep->items);
			N.rep->items[at] = in;
		}
	}
	for (size_t i = 0; i < nblocks; i++)
		tex_block_free(blocks[i]);
	free(blocks);
	notes_notation_clear(&N.nt);
	notes_source_clear(&src);
	for (size_t s = 0; s < N.nscenes; s++)
		scene_clear(&N.scenes[s]);
	free(N.scenes);
	if (rc == DV_OK)
		rc = place_reasons(N.rep, nb.is_notebook ? &nb : NULL, d);
	if (rc != DV_OK) {
		notes_report_free(N.rep);
		notes_notebook_clear(&nb);
		free(latex);
		return rc;
	}
	if (nb.is_notebook) {
		N.rep->markdown = nb.markdown; /* the report's now */
		nb.markdown = NULL;
	} else if (latex != NULL) {
		N.rep->markdown = latex; /* the prepared document */
		N.rep->latex = 1;
	}
	notes_notebook_clear(&nb);
	count(N.rep);
	*out = N.rep;
	return DV_OK;
}
