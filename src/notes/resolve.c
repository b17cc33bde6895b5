/*
 * resolve: a formula's LaTeX tree read into verify's expression language
 * under a scene's names -- symbols and their layers, entries and index
 * notation, derivatives, calls, sums, products under the reading of * and
 * \cdot being tried.  What cannot be read says where and why (R->why).
 */
#include "notes/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "expr/parser.h"
#include "sym/poly.h"

/* what: a message whose one %s is the part at, in LaTeX */
#define unresolved_latex(R, at, what) unresolved_part((R), (at), (what))

static int unresolved(resolver *R, const tex_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int unresolved_part(resolver *R, const tex_node *at, const char *what);

static int is_map_index(const tex_node *n);

static int is_letter(const tex_node *n, const char *l);

static int mangle(resolver *R, const tex_node *n, char *buf, size_t size);

static int channel_name(resolver *R, const tex_node *n, char *buf, size_t size);

static int index_value(resolver *R, const tex_node *n, long *v);

static void put_entry(dv_strbuf *b, const char *m, size_t i, size_t j);

static int zero_outside(const scene *sc, const char *name);

static int bound_indices(resolver *R, const tex_node *s, long *a, long *c);

static int resolve_sub(resolver *R, const tex_node *n, const char *inner, dv_strbuf *b);

static int d_name(resolver *R, const tex_node *n);

static int resolve_sym(resolver *R, const tex_node *n, dv_strbuf *b);

static int target_of(resolver *R, const tex_node *t, char *name, size_t size, int *entry,
                     size_t *i, size_t *j);

static const char *follow_alias(const scene *sc, const char *name);

static const char *delta_of(resolver *R, const char *name);

static int resolve_derivative(resolver *R, const tex_node *frac, const tex_node *top,
                              const tex_node *bottom, dv_strbuf *b);

static int resolve_frac(resolver *R, const tex_node *n, dv_strbuf *b);

static int resolve_call(resolver *R, const tex_node *n, dv_strbuf *b);

static int resolve_sum(resolver *R, const tex_node *n, dv_strbuf *b);

static const char *full_star(resolver *R, size_t ir, size_t ic, size_t kr, size_t kc);

static int resolve_mul(resolver *R, const tex_node *n, dv_strbuf *b);

static int resolve(resolver *R, const tex_node *n, dv_strbuf *b);

static int unresolved(resolver *R, const tex_node *at, const char *fmt, ...)
{
	if (R->why.code == DV_OK) {
		char msg[DV_DIAG_MSG];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		dv_fail_at(&R->why, DV_E_NAME, at != NULL ? at->line : 0,
		           at != NULL ? at->column : 0, "%s", msg);
	}
	return -1;
}

static int unresolved_part(resolver *R, const tex_node *at, const char *what)
{
	char *s = latex_of(at);
	const char *mark = strstr(what, "%s");
	int rc;
	if (mark == NULL)
		rc = unresolved(R, at, "%s", what);
	else
		rc = unresolved(R, at, "%.*s%s%s", (int)(mark - what), what,
		                s != NULL ? s : "?", mark + 2);
	free(s);
	return rc;
}

/* The size of an expression, evaluated on the scene's shown numbers. */
int shape_of(resolver *R, const char *src, const tex_node *at, size_t *rows,
                    size_t *cols)
{
	dv_node *tree = NULL;
	dv_mat *m = NULL;
	dv_diag d = {0};
	int rc = dv_parse(&tree, src, &d);
	if (rc == DV_OK)
		rc = lesson_eval(&m, tree, R->sc->r->shown, &d);
	dv_node_free(tree);
	if (rc != DV_OK) {
		if (R->why.code == DV_OK) {
			dv_fail_at(&R->why, rc, at != NULL ? at->line : 0,
			           at != NULL ? at->column : 0, "%s", d.message);
			R->shape_error = rc == DV_E_SHAPE || rc == DV_E_ARGS || rc == DV_E_DOMAIN;
		}
		return -1;
	}
	*rows = m->rows;
	*cols = m->cols;
	dv_mat_free(m);
	return 0;
}

static int is_map_index(const tex_node *n)
{
	return n->kind == TX_SYM && n->sub == NULL && n->sup == NULL &&
	       (strcmp(n->text, "i") == 0 || strcmp(n->text, "j") == 0 ||
	        strcmp(n->text, "ij") == 0 || strcmp(n->text, "ji") == 0);
}

static int is_letter(const tex_node *n, const char *l)
{
	return n->kind == TX_SYM && n->sub == NULL && n->sup == NULL &&
	       strcmp(n->text, l) == 0;
}

int sub_kind(const tex_node *s, size_t *i, size_t *j)
{
	if (s == NULL)
		return SUB_NONE;
	if (is_map_index(s) || (s->kind == TX_IN && is_map_index(s->kids[0])))
		return SUB_MAP;
	if (s->kind == TX_NUM && strlen(s->text) == 2 && isdigit((unsigned char)s->text[0]) &&
	    isdigit((unsigned char)s->text[1]) && s->text[0] != '0' && s->text[1] != '0') {
		*i = (size_t)(s->text[0] - '0');
		*j = (size_t)(s->text[1] - '0');
		return SUB_ENTRY;
	}
	if (s->kind == TX_LIST && s->nkids == 2) {
		const tex_node *a = s->kids[0], *c = s->kids[1];
		if (a->kind == TX_NUM && c->kind == TX_NUM && strchr(a->text, '.') == NULL &&
		    strchr(c->text, '.') == NULL) {
			*i = (size_t)strtoul(a->text, NULL, 10);
			*j = (size_t)strtoul(c->text, NULL, 10);
			return *i >= 1 && *j >= 1 ? SUB_ENTRY : SUB_OTHER;
		}
		if (is_map_index(a) && is_map_index(c))
			return SUB_MAP;
		if (is_letter(a, "u") && is_letter(c, "v"))
			return SUB_UV;
	}
	if (is_letter(s, "uv")) /* (\delta)_{uv}, as Bouvrie writes it */
		return SUB_UV;
	return SUB_OTHER;
}

/* A symbol's name in the context: its letters and its layer. */
static int mangle(resolver *R, const tex_node *n, char *buf, size_t size)
{
	const char *layer = layer_of(n->sup);
	if (layer == NULL)
		return unresolved_latex(R, n->sup,
		                        "the superscript %s is not a layer (l, l+1 or l-1)");
	snprintf(buf, size, "%s%s", n->text, layer);
	return 0;
}

/* X_1 in a scene with a matrix X_1: the channel's own matrix; the caller
 * reads n without its subscript then. */
static int channel_name(resolver *R, const tex_node *n, char *buf, size_t size)
{
	const char *layer = layer_of(n->sup);
	if (!notes_channel(n->sub) || layer == NULL)
		return 0;
	snprintf(buf, size, "%s_%s%s", n->text, n->sub->text, layer);
	return scene_find(R->sc, buf) != NULL;
}

/* The value of a subscript such as u+h or d-j-1, under the bound indices;
 * another letter is a number of the scene (d, the kernel's size). */
static int index_value(resolver *R, const tex_node *n, long *v)
{
	long a, b;
	if (n == NULL)
		return -1;
	switch (n->kind) {
	case TX_NUM:
		if (strlen(n->text) > 6 || strchr(n->text, '.') != NULL)
			return -1;
		*v = strtol(n->text, NULL, 10);
		return 0;
	case TX_SYM:
		if (n->sub != NULL && n->sup == NULL && n->sub->kind == TX_NUM &&
		    strlen(n->text) + strlen(n->sub->text) < 30) {
			/* k_1: a constant of the file's scene */
			char name[64];
			tex_node plain = *n;
			snprintf(name, sizeof name, "%s_%s", n->text, n->sub->text);
			plain.sub = NULL;
			plain.text = name;
			return index_value(R, &plain, v);
		}
		if (n->sub != NULL || n->sup != NULL)
			return -1;
		if (strlen(n->text) == 1 && islower((unsigned char)n->text[0]) &&
		    R->bound[n->text[0] - 'a']) {
			*v = R->val[n->text[0] - 'a'];
			return 0;
		}
		if (scene_find(R->sc, n->text) != NULL) {
			dv_node *tree = NULL;
			dv_mat *m = NULL;
			dv_diag d = {0};
			double x = 0;
			int ok = dv_parse(&tree, n->text, &d) == DV_OK &&
			         lesson_eval(&m, tree, R->sc->r->shown, &d) == DV_OK &&
			         dv_mat_is_double(m) && m->rows == 1 && m->cols == 1;
			if (ok)
				x = dv_mat_get(m, 0);
			dv_node_free(tree);
			dv_mat_free(m);
			if (!ok || x != (double)(long)x || x < -1e6 || x > 1e6)
				return -1;
			*v = (long)x;
			return 0;
		}
		return -1;
	case TX_ADD:
	case TX_SUB:
		if (index_value(R, n->kids[0], &a) != 0 || index_value(R, n->kids[1], &b) != 0)
			return -1;
		*v = n->kind == TX_ADD ? a + b : a - b;
		return 0;
	case TX_NEG:
		if (index_value(R, n->kids[0], &a) != 0)
			return -1;
		*v = -a;
		return 0;
	case TX_MUL:
		if (n->op != TX_JUXT && n->op != TX_CDOT && n->op != TX_STAR)
			return -1;
		if (index_value(R, n->kids[0], &a) != 0 || index_value(R, n->kids[1], &b) != 0)
			return -1;
		*v = a * b;
		return 0;
	case TX_GROUP:
		return index_value(R, n->kids[0], v);
	default:
		return -1;
	}
}

static void put_entry(dv_strbuf *b, const char *m, size_t i, size_t j)
{
	dv_strbuf_printf(b, "entry(%s, %zu, %zu)", m, i, j);
}

/* Whether the file takes the matrix name as 0 outside its entries. */
static int zero_outside(const scene *sc, const char *name)
{
	char key[80];
	snprintf(key, sizeof key, " %s ", name);
	return strstr(sc->zero, key) != NULL;
}

/* W_{ij}: a subscript of two letters, each an index; *a, *c their letters. */
int two_letters(const tex_node *s, int *a, int *c)
{
	if (s == NULL || s->kind != TX_SYM || s->sub != NULL || s->sup != NULL ||
	    strlen(s->text) != 2 || !islower((unsigned char)s->text[0]) ||
	    !islower((unsigned char)s->text[1]) || s->text[0] == s->text[1])
		return 0;
	*a = s->text[0] - 'a';
	*c = s->text[1] - 'a';
	return 1;
}

/* The values of the index subscript s (i,j / ij / i) under the bound
 * indices: how many (0 if s is no such subscript). */
static int bound_indices(resolver *R, const tex_node *s, long *a, long *c)
{
	int x, y;
	if (!R->idx || s == NULL)
		return 0;
	if (s->kind == TX_LIST && s->nkids == 2 && index_value(R, s->kids[0], a) == 0 &&
	    index_value(R, s->kids[1], c) == 0)
		return 2;
	if (two_letters(s, &x, &y) && R->bound[x] && R->bound[y]) {
		*a = R->val[x];
		*c = R->val[y];
		return 2;
	}
	if (s->kind == TX_SYM && s->sub == NULL && s->sup == NULL && strlen(s->text) == 1 &&
	    islower((unsigned char)s->text[0]) && R->bound[s->text[0] - 'a']) {
		*a = R->val[s->text[0] - 'a'];
		return 1;
	}
	return 0;
}

/* An entry subscript (or, inside \sum_u\sum_v, the whole matrix) of a resolved
 * part. */
static int resolve_sub(resolver *R, const tex_node *n, const char *inner, dv_strbuf *b)
{
	size_t i = 0, j = 0;
	long a, c;
	int nidx = bound_indices(R, n->sub, &a, &c);
	if (nidx > 0) {
		/* an entry named by indices: numbered from eb in the notes; one
		 * index names an entry of a vector */
		size_t rows, cols;
		long r1 = a + 1 - R->eb, c1 = c + 1 - R->eb;
		if (shape_of(R, inner, n, &rows, &cols) != 0)
			return -1;
		if (nidx == 1 && cols == 1) {
			c1 = 1;
			c = R->eb;
		} else if (nidx == 1 && rows == 1) {
			c1 = r1;
			c = a;
			r1 = 1;
			a = R->eb;
		} else if (nidx == 1) {
			return unresolved_latex(R, n, "%s: one index on a matrix");
		}
		if ((r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) &&
		    zero_outside(R->sc, inner)) {
			dv_strbuf_puts(b, "0"); /* the file takes it as 0 there */
			return 0;
		}
		if (r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) {
			char *s = latex_of(n);
			unresolved(R, n, "%s is entry (%ld,%ld) of a %zux%zu matrix",
			           s != NULL ? s : "?", a, c, rows, cols);
			free(s);
			R->shape_error = 1;
			R->out_of_range = 1;
			return -1;
		}
		put_entry(b, inner, (size_t)r1, (size_t)c1);
		return 0;
	}
	switch (sub_kind(n->sub, &i, &j)) {
	case SUB_NONE:
	case SUB_MAP:
		dv_strbuf_puts(b, inner);
		return 0;
	case SUB_ENTRY:
		put_entry(b, inner, i, j);
		return 0;
	case SUB_UV:
		if (R->uv) {
			dv_strbuf_puts(b, inner);
			return 0;
		}
		return unresolved_latex(R, n->sub,
		                        "the indices %s have no \\sum over them");
	default:
		return unresolved_latex(R, n->sub,
		                        "index notation (%s) is not read yet: write the "
		                        "formula with whole matrices or single entries");
	}
}

/* dZ in a scene of the file's letters where Z is a matrix and dZ is no name
 * of its own: ∂E/∂Z. */
static int d_name(resolver *R, const tex_node *n)
{
	char name[96], full[96];
	const char *layer = layer_of(n->sup);
	if (!R->sc->learned || n->text[0] != 'd' || !isalpha((unsigned char)n->text[1]) ||
	    strcmp(n->text + 1, "E") == 0 || layer == NULL)
		return 0;
	snprintf(full, sizeof full, "%s%s", n->text, layer);
	snprintf(name, sizeof name, "%s%s", n->text + 1, layer);
	return scene_find(R->sc, full) == NULL && scene_find(R->sc, name) != NULL;
}

static int resolve_sym(resolver *R, const tex_node *n, dv_strbuf *b)
{
	char name[96];
	size_t i = 0, j = 0;
	int kind;
	const char *text = n->text;
	size_t len = strlen(text);

	if (d_name(R, n)) {
		/* dZ, dW_{mn}, dA_{prev}: the loss's derivative, as Andrew Ng's
		 * notes write it */
		tex_node e = {0}, t = *n;
		e.kind = TX_SYM;
		e.text = (char *)"E";
		t.text = n->text + 1;
		return resolve_derivative(R, n, &e, &t, b);
	}
	if (n->sup != NULL && n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0 &&
	    n->sup->sub == NULL && n->sup->sup == NULL) {
		/* x^T, W^\top: the transpose */
		tex_node copy = *n;
		copy.sup = NULL;
		dv_strbuf_puts(b, "transpose(");
		if (resolve_sym(R, &copy, b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	}
	/* k11, as in [k11, k12]: the entry (1,1) of k */
	if (n->sub == NULL && len == 3 && isalpha((unsigned char)text[0]) &&
	    isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2]) &&
	    text[1] != '0' && text[2] != '0') {
		char letter[2] = {text[0], '\0'};
		const char *m = scene_letter(R->sc, letter);
		if (m == NULL)
			return unresolved(R, n, "'%s' is not a symbol of the context", text);
		put_entry(b, m, (size_t)(text[1] - '0'), (size_t)(text[2] - '0'));
		return 0;
	}
	if (n->sup != NULL && n->sup->kind == TX_NUM && sub_kind(n->sub, &i, &j) == SUB_ENTRY) {
		/* x_{11}^2: a power of an entry */
		tex_node copy = *n;
		copy.sup = NULL;
		dv_strbuf_puts(b, "(");
		if (resolve_sym(R, &copy, b) != 0)
			return -1;
		dv_strbuf_printf(b, ")^%s", n->sup->text);
		return 0;
	}
	if (channel_name(R, n, name, sizeof name)) {
		tex_node bare_n = *n;
		bare_n.sub = NULL;
		return resolve_sub(R, &bare_n, name, b);
	}
	if (mangle(R, n, name, sizeof name) != 0)
		return -1;
	kind = sub_kind(n->sub, &i, &j);
	if (kind == SUB_ENTRY && !R->idx && R->sc->base == 0 && R->sc->learned)
		return unresolved_latex(R, n->sub,
		                        "index notation (%s), numbered from 0 as the file's "
		                        "indices are");
	if (kind == SUB_MAP && R->sc->learned) {
		long a, c;
		if (bound_indices(R, n->sub, &a, &c) == 0)
			return unresolved_latex(R, n->sub,
			                        "index notation: the free index %s has no \\sum and "
			                        "no range here");
		kind = SUB_OTHER;
	}
	if (kind == SUB_MAP)
		R->used_maps = 1;
	if (kind == SUB_ENTRY && !(R->idx && n->sub->kind == TX_LIST)) {
		const char *m = scene_find(R->sc, name) != NULL ? name
		                                              : scene_letter(R->sc, name);
		if (m == NULL) {
			char *s = latex_of(n);
			unresolved(R, n, "%s is not a symbol of the context", s);
			free(s);
			return -1;
		}
		put_entry(b, m, i, j);
		return 0;
	}
	if (scene_find(R->sc, name) == NULL) {
		tex_node bare = *n;
		char *s;
		const char *m = n->sub != NULL && n->sup == NULL ? scene_letter(R->sc, name) : NULL;
		int la, lb;
		if (m != NULL && R->idx)
			return resolve_sub(R, n, m, b); /* x_{u+1,v}: an entry of X */
		if (m != NULL && (n->sub->kind == TX_LIST || two_letters(n->sub, &la, &lb)))
			return unresolved_latex(R, n->sub, "index notation (%s) on the entries of a "
			                                   "matrix");
		bare.sub = kind == SUB_MAP ? NULL : n->sub;
		s = latex_of(&bare);
		unresolved(R, n, "%s is not a symbol of the context", s);
		free(s);
		return -1;
	}
	return resolve_sub(R, n, name, b);
}

/* Resolves n into a new string. */
char *resolve_text(resolver *R, const tex_node *n)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	if (resolve(R, n, &b) != 0) {
		dv_strbuf_free(&b);
		return NULL;
	}
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

/*
 * What a derivative is taken with respect to: a matrix of the scene, whole
 * or one entry.  name gets the matrix; *entry whether (i, j) is one entry.
 */
static int target_of(resolver *R, const tex_node *t, char *name, size_t size, int *entry,
                     size_t *i, size_t *j)
{
	int kind;
	t = strip(t);
	*entry = 0;
	if (t->kind == TX_CALL && strcmp(t->text, "rot180") == 0 && t->nkids == 1 &&
	    t->primes == 0 && t->sub == NULL && t->sup == NULL) {
		/* ∂E/∂rot180(K) = rot180(∂E/∂K) */
		R->rot_target = !R->rot_target;
		return target_of(R, t->kids[0], name, size, entry, i, j);
	}
	if (R->idx && (t->kind == TX_GROUP || t->kind == TX_SYM) && t->sub != NULL) {
		/* (K)_{r,s} with r, s bound by index notation: that entry */
		long a, c;
		if (bound_indices(R, t->sub, &a, &c) == 2) {
			tex_node bare = *t;
			size_t rows, cols;
			long r1 = a + 1 - R->eb, c1 = c + 1 - R->eb;
			bare.sub = NULL;
			if (target_of(R, &bare, name, size, entry, i, j) != 0)
				return -1;
			if (shape_of(R, name, t, &rows, &cols) != 0)
				return -1;
			if (r1 < 1 || c1 < 1 || (size_t)r1 > rows || (size_t)c1 > cols) {
				R->shape_error = 1;
				R->out_of_range = 1;
				return unresolved_latex(R, t, "%s names an entry outside the matrix");
			}
			*entry = 1;
			*i = (size_t)r1;
			*j = (size_t)c1;
			return 0;
		}
	}
	if (t->kind == TX_GROUP) { /* (net_j^{l+1})_{11} */
		const tex_node *in = strip(t->kids[0]);
		int rot = in->kind == TX_CALL && strcmp(in->text, "rot180") == 0;
		kind = sub_kind(t->sub, i, j);
		if (rot && kind == SUB_ENTRY) { /* (rot180(K))_{11} */
			size_t ei = *i, ej = *j;
			if (target_of(R, in, name, size, entry, i, j) != 0)
				return -1;
			if (*entry)
				return unresolved_latex(R, t, "a derivative with respect to %s");
			*entry = 1;
			*i = ei;
			*j = ej;
			return 0;
		}
		if ((in->kind == TX_SYM || rot) && kind == SUB_OTHER)
			return unresolved_latex(R, t->sub,
			                        "index notation (%s) is not read yet: write the "
			                        "formula with whole matrices or single entries");
		if (in->kind != TX_SYM || (kind != SUB_ENTRY && !(kind == SUB_UV && R->uv)))
			return unresolved_latex(R, t, "a derivative with respect to %s");
		if (mangle(R, in, name, size) != 0)
			return -1;
		if (scene_find(R->sc, name) == NULL)
			return unresolved_latex(R, in, "%s is not a symbol of the context");
		*entry = kind == SUB_ENTRY;
		return 0;
	}
	if (t->kind != TX_SYM)
		return unresolved_latex(R, t, "a derivative with respect to %s");
	{
		const char *text = t->text;
		if (t->sub == NULL && strlen(text) == 3 && isalpha((unsigned char)text[0]) &&
		    isdigit((unsigned char)text[1]) && isdigit((unsigned char)text[2])) {
			char letter[2] = {text[0], '\0'};
			const char *m = scene_letter(R->sc, letter);
			if (m == NULL)
				return unresolved(R, t, "'%s' is not a symbol of the context",
				                  text);
			snprintf(name, size, "%s", m);
			*i = (size_t)(text[1] - '0');
			*j = (size_t)(text[2] - '0');
			*entry = 1;
			return 0;
		}
	}
	if (channel_name(R, t, name, size))
		return 0;
	if (mangle(R, t, name, size) != 0)
		return -1;
	kind = sub_kind(t->sub, i, j);
	if (kind == SUB_ENTRY && !R->idx && R->sc->base == 0 && R->sc->learned)
		return unresolved_latex(R, t->sub,
		                        "index notation (%s), numbered from 0 as the file's "
		                        "indices are");
	if (kind == SUB_ENTRY) {
		const char *m = scene_find(R->sc, name) != NULL ? NULL : scene_letter(R->sc, name);
		if (m != NULL)
			snprintf(name, size, "%s", m);
		else if (scene_find(R->sc, name) == NULL)
			return unresolved_latex(R, t, "%s is not a symbol of the context");
		*entry = 1;
		return 0;
	}
	if (kind == SUB_OTHER || (kind == SUB_UV && !R->uv))
		return unresolved_latex(R, t->sub,
		                        "index notation (%s) is not read yet: write the "
		                        "formula with whole matrices or single entries");
	if (scene_find(R->sc, name) == NULL) {
		tex_node bare = *t;
		char *s;
		bare.sub = NULL;
		s = latex_of(&bare);
		unresolved(R, t, "%s is not a symbol of the context", s);
		free(s);
		return -1;
	}
	return 0;
}

/* A name defined as another variable (define x = X): that variable. */
static const char *follow_alias(const scene *sc, const char *name)
{
	for (int hops = 0; hops < 8; hops++) {
		const scene_line *l = NULL;
		const char *eq;
		char target[64];
		for (size_t i = 0; i < sc->nlines; i++)
			if (strcmp(sc->lines[i].name, name) == 0)
				l = &sc->lines[i];
		if (l == NULL || l->var || (eq = strstr(l->text, " = ")) == NULL)
			return name;
		if (sscanf(eq + 3, "%63[A-Za-z0-9_]", target) != 1 ||
		    strcmp(eq + 3, target) != 0)
			return name;
		for (size_t i = 0; i < sc->nlines; i++)
			if (strcmp(sc->lines[i].name, target) == 0) {
				name = sc->lines[i].name;
				break;
			}
	}
	return name;
}

/* The δ of a layer's net (or of a convolution's output that the net adds b
 * to): E is linear in it through δ. */
static const char *delta_of(resolver *R, const char *name)
{
	const char *suffix = strrchr(name, '_');
	char delta[64];
	scene_line *l = scene_find(R->sc, name), *dl;
	if (suffix == NULL || (strcmp(suffix, "_next") != 0 && strcmp(suffix, "_prev") != 0))
		suffix = "";
	snprintf(delta, sizeof delta, "delta%s", suffix);
	if ((dl = scene_find(R->sc, delta)) == NULL || l == NULL || l->var)
		return NULL;
	if (strncmp(name, "net", 3) == 0)
		return dl->name;
	if (l->by_file) {
		/* P = X * K: the output that net adds the bias to, if its size is δ's */
		size_t r1, c1, r2, c2;
		if (shape_of(R, name, NULL, &r1, &c1) == 0 &&
		    shape_of(R, delta, NULL, &r2, &c2) == 0 && r1 == r2 && c1 == c2)
			return dl->name;
		dv_diag_clear(&R->why);
		R->shape_error = 0;
	}
	return NULL;
}

static int resolve_derivative(resolver *R, const tex_node *frac, const tex_node *top,
                              const tex_node *bottom, dv_strbuf *b)
{
	char name[96];
	int entry;
	size_t i = 0, j = 0;
	const tex_node *a = strip(top);
	scene_line *l;
	int rotated;

	R->rot_target = 0;
	if (target_of(R, bottom, name, sizeof name, &entry, &i, &j) != 0)
		return -1;
	rotated = R->rot_target;
	R->rot_target = 0;
	{
		char to[96];
		snprintf(to, sizeof to, "%s", follow_alias(R->sc, name));
		memcpy(name, to, sizeof name);
	}
	l = scene_find(R->sc, name);
	if (a->kind == TX_SYM &&
	    (strcmp(a->text, "E") == 0 ||
	     (R->sc->loss[0] != '\0' && strcmp(a->text, R->sc->loss) == 0)) &&
	    a->sub == NULL && a->sup == NULL) {
		const char *delta;
		if (l != NULL && l->var) {
			const char *open = rotated ? "rot180(" : "", *close = rotated ? ")" : "";
			if (entry)
				dv_strbuf_printf(b, "entry(%sgrad(E, %s)%s, %zu, %zu)", open, name,
				                 close, i, j);
			else
				dv_strbuf_printf(b, "%sgrad(E, %s)%s", open, name, close);
			return 0;
		}
		if (rotated)
			return unresolved_latex(R, bottom, "a derivative with respect to %s");
		if ((delta = delta_of(R, name)) != NULL) {
			R->used_delta = 1;
			if (entry)
				put_entry(b, delta, i, j);
			else
				dv_strbuf_puts(b, delta);
			return 0;
		}
		return unresolved(R, frac,
		                  "∂E/∂%s: it is defined by other quantities, not a "
		                  "variable of the context",
		                  name);
	}
	if (rotated)
		return unresolved_latex(R, bottom, "a derivative with respect to %s");
	if (l == NULL || !l->var)
		return unresolved(R, frac,
		                  "a derivative with respect to %s, which other quantities "
		                  "define",
		                  name);
	{
		char *num = resolve_text(R, a);
		size_t r, c;
		if (num == NULL)
			return -1;
		if (shape_of(R, num, a, &r, &c) != 0) {
			free(num);
			return -1;
		}
		if (r != 1 || c != 1) {
			free(num);
			return unresolved_latex(R, a,
			                        "the derivative of the matrix %s (a Jacobian)");
		}
		if (entry)
			dv_strbuf_printf(b, "entry(grad(%s, %s), %zu, %zu)", num, name, i, j);
		else
			dv_strbuf_printf(b, "grad(%s, %s)", num, name);
		free(num);
	}
	return 0;
}

int is_partial(const tex_node *n)
{
	n = strip(n);
	return n != NULL && n->kind == TX_PARTIAL;
}

static int resolve_frac(resolver *R, const tex_node *n, dv_strbuf *b)
{
	const tex_node *top = strip(n->kids[0]), *bottom = strip(n->kids[1]);
	if (top->kind == TX_PARTIAL) {
		/* \frac{\partial E}{x} with the ∂ left out is read as ∂E/∂x */
		const tex_node *wrt = is_partial(bottom) ? strip(bottom)->kids[0] : bottom;
		dv_strbuf inner;
		char *s = NULL;
		int rc;
		dv_strbuf_init(&inner);
		rc = resolve_derivative(R, n, top->kids[0], wrt, &inner);
		if (rc == 0 && dv_strbuf_finish(&inner, &s, NULL) == DV_OK) {
			rc = resolve_sub(R, n, s, b);
			free(s);
			return rc;
		}
		dv_strbuf_free(&inner);
		return -1;
	}
	if (bottom->kind == TX_NUM) {
		dv_strbuf_puts(b, "(");
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_printf(b, ") / %s", bottom->text);
		return 0;
	}
	return unresolved_latex(R, n, "the fraction %s is not a derivative (no ∂) "
	                              "and its denominator is not a number");
}

static int resolve_call(resolver *R, const tex_node *n, dv_strbuf *b)
{
	const char *f = n->text;
	dv_strbuf in;
	char *s = NULL;
	int pool = strcmp(f, "up") == 0 || strcmp(f, "down") == 0;

	/* \sigma is the activation, as f is; in the file's own letters, g too */
	if (strcmp(f, "sigma") == 0 || (R->sc->learned && strcmp(f, "g") == 0))
		f = "f";
	if (strcmp(f, "ReLU") == 0 || strcmp(f, "relu") == 0) {
		if (n->primes > 1)
			return unresolved(R, n, "%s'' : only the first derivative is read", f);
		f = n->primes == 1 ? "drelu" : "relu";
		if (n->primes == 1) {
			tex_node plain = *n;
			plain.primes = 0;
			plain.text = (char *)"drelu";
			return resolve_call(R, &plain, b);
		}
	}
	if (n->primes > 1 || (n->primes == 1 && strcmp(f, "f") != 0 && strcmp(f, "g") != 0))
		return unresolved(R, n, "%s'' : only f' is read as a derivative", f);
	if (strcmp(f, "g") == 0)
		return unresolved(R, n, "the function %s is not in the context", f);
	dv_strbuf_init(&in);
	if (strcmp(f, "f") == 0)
		dv_strbuf_puts(&in, n->primes ? "df(" : "f(");
	else if (strcmp(f, "filter2") == 0 || strcmp(f, "corr") == 0 ||
	         strcmp(f, "correlate") == 0)
		dv_strbuf_puts(&in, "xcorr(");
	else if (strcmp(f, "rot") == 0)
		dv_strbuf_puts(&in, "rot180(");
	else
		dv_strbuf_printf(&in, "%s(", f);
	for (size_t i = 0; i < n->nkids; i++) {
		const tex_node *a = n->kids[i];
		if (i > 0)
			dv_strbuf_puts(&in, ", ");
		if (a->kind == TX_STR) {
			dv_strbuf_printf(&in, "'%s'", a->text);
			continue;
		}
		if (resolve(R, a, &in) != 0) {
			dv_strbuf_free(&in);
			return -1;
		}
	}
	if (pool && n->nkids == 1) {
		/* up(δ), down(X): the context's blocks, 2 x 2 */
		dv_strbuf_puts(&in, ", 2");
		R->used_pool = 1;
	}
	dv_strbuf_puts(&in, ")");
	if (dv_strbuf_finish(&in, &s, NULL) != DV_OK)
		return -1;
	{
		int rc = resolve_sub(R, n, s, b);
		free(s);
		return rc;
	}
}

/* Σ over u and v of a body in which (A)_{u,v} is A: the sum of its entries. */
static int resolve_sum(resolver *R, const tex_node *n, dv_strbuf *b)
{
	size_t i, j;
	const tex_node *body = n->kids[0];
	int kind = sub_kind(n->sub, &i, &j);

	long from = 0, to = 0;
	int bounded = 0;

	if (n->sub == NULL)
		return unresolved(R, n, "a \\sum without its index%s", "");
	if (R->idx && n->nkids > 1 && n->sup != NULL && n->sub->kind == TX_SYM &&
	    strlen(n->sub->text) == 1 && islower((unsigned char)n->sub->text[0])) {
		/* \sum_{m=0}^{k_1-1}: the bounds the text gives */
		if (index_value(R, n->kids[1], &from) != 0 || index_value(R, n->sup, &to) != 0)
			return unresolved_latex(R, n, "the bounds of %s are not numbers here");
		if (to - from > 64)
			return unresolved_latex(R, n, "%s sums over more than 64 values");
		bounded = 1;
	}
	if (R->idx && n->sub->kind == TX_SYM && strlen(n->sub->text) == 1 &&
	    islower((unsigned char)n->sub->text[0]) &&
	    (bounded || (R->range[n->sub->text[0] - 'a'] != 0 &&
	                 R->range[n->sub->text[0] - 'a'] != (size_t)-1))) {
		/* \sum_h over the values the index takes, one term each */
		int l = n->sub->text[0] - 'a';
		size_t count = bounded ? (size_t)(to >= from ? to - from + 1 : 0) : R->range[l];
		long start = bounded ? from : R->sb;
		int was = R->bound[l];
		long old = R->val[l];
		R->bound[l] = 1;
		dv_strbuf_puts(b, "(");
		if (count == 0)
			dv_strbuf_puts(b, "0");
		for (size_t t = 0; t < count; t++) {
			R->val[l] = start + (long)t;
			if (t > 0)
				dv_strbuf_puts(b, " + ");
			dv_strbuf_puts(b, "(");
			if (resolve(R, body, b) != 0) {
				R->bound[l] = was;
				R->val[l] = old;
				return -1;
			}
			dv_strbuf_puts(b, ")");
		}
		dv_strbuf_puts(b, ")");
		R->bound[l] = was;
		R->val[l] = old;
		return 0;
	}
	if (R->idx && R->sc->learned && n->sub->kind == TX_LIST && n->sub->nkids == 2 &&
	    n->sub->kids[0]->kind == TX_SYM && n->sub->kids[1]->kind == TX_SYM &&
	    strlen(n->sub->kids[0]->text) == 1 && strlen(n->sub->kids[1]->text) == 1) {
		/* \sum_{i,j} in the file's letters: \sum_i \sum_j */
		tex_node inner = *n, outer = *n;
		tex_node *in_kids[1];
		inner.sub = n->sub->kids[1];
		inner.nkids = 1; /* no bounds: the ranges the matrices give */
		outer.sub = n->sub->kids[0];
		outer.nkids = 1;
		outer.sup = inner.sup = NULL;
		in_kids[0] = &inner;
		outer.kids = in_kids;
		return resolve_sum(R, &outer, b);
	}
	if (kind == SUB_MAP && R->sc->learned)
		/* in the file's own letters, i and j index entries, not maps */
		return unresolved_latex(R, n->sub, "a \\sum over %s: index notation");
	if (kind == SUB_MAP) {
		/* over the feature maps: one map per layer here */
		R->used_maps = 1;
		return resolve(R, body, b);
	}
	if (kind == SUB_UV || is_letter(n->sub, "u")) {
		int uv = R->uv, rc;
		if (is_letter(n->sub, "u")) {
			const tex_node *in = body;
			if (in->kind != TX_SUM || in->sub == NULL || !is_letter(in->sub, "v"))
				return unresolved(R, n, "a \\sum over u alone%s", "");
			body = in->kids[0];
		}
		R->uv = 1;
		dv_strbuf_puts(b, "sum(");
		rc = resolve(R, body, b);
		dv_strbuf_puts(b, ")");
		R->uv = uv;
		return rc;
	}
	return unresolved_latex(R, n->sub,
	                        "a \\sum over %s: index notation is not read yet");
}

/*
 * ", 'full'" where the file's own * can only mean the padded one: in a
 * scene built from the file's letters, a kernel as large as the input (δ^l
 * * rot180(W^l), both 2x2) leaves nothing or one entry to a 'valid' slide,
 * and the texts that write it pad δ first.  Elsewhere "".
 */
static const char *full_star(resolver *R, size_t ir, size_t ic, size_t kr, size_t kc)
{
	if (!R->sc->learned || (kr < ir && kc < ic))
		return "";
	R->used_full = 1;
	return ", 'full'";
}

static int resolve_mul(resolver *R, const tex_node *n, dv_strbuf *b)
{
	char *l, *r = NULL;
	size_t lr, lc, rr, rc_;
	int rc = -1, lscalar, rscalar;

	if (n->op == TX_SLASH && is_partial(n->kids[0]) && is_partial(n->kids[1]))
		/* \partial E / \partial P: a derivative written inline */
		return resolve_derivative(R, n, strip(n->kids[0])->kids[0],
		                          strip(n->kids[1])->kids[0], b);
	l = resolve_text(R, n->kids[0]);

	if (l == NULL)
		return -1;
	if ((r = resolve_text(R, n->kids[1])) == NULL)
		goto out;
	if (shape_of(R, l, n->kids[0], &lr, &lc) != 0 ||
	    shape_of(R, r, n->kids[1], &rr, &rc_) != 0)
		goto out;
	lscalar = lr == 1 && lc == 1;
	rscalar = rr == 1 && rc_ == 1;
	switch (n->op) {
	case TX_JUXT:
	case TX_TIMES:
		if (!lscalar && !rscalar && lc == rr && !(lr == rr && lc == rc_)) {
			/* W x, W^T δ: sizes that only a matrix product fits */
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		if (!lscalar && !rscalar)
			R->used_juxt = 1;
		dv_strbuf_printf(b, "(%s) %s (%s)", l, lscalar || rscalar ? "*" : ".*", r);
		break;
	case TX_CIRC:
		dv_strbuf_printf(b, "(%s) .* (%s)", l, r);
		break;
	case TX_SLASH:
		if (!rscalar) {
			unresolved_latex(R, n, "%s divides by a matrix");
			goto out;
		}
		dv_strbuf_printf(b, "(%s) / (%s)", l, r);
		break;
	case TX_CDOT:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		R->used_cdot = 1;
		dv_strbuf_printf(b, "(%s) %s (%s)", l, R->cdot == CDOT_HADAMARD ? ".*" : "*", r);
		break;
	case TX_STARX:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		dv_strbuf_printf(b, "xcorr(%s, %s%s)", l, r, full_star(R, lr, lc, rr, rc_));
		break;
	case TX_STAR:
		if (lscalar || rscalar) {
			dv_strbuf_printf(b, "(%s) * (%s)", l, r);
			break;
		}
		R->used_star = 1;
		if (R->star == STAR_HADAMARD) {
			dv_strbuf_printf(b, "(%s) .* (%s)", l, r);
		} else {
			/* the larger operand is the input, the smaller the kernel; a
			 * convolution commutes, so K * X is X convolved with K */
			int swap = rr * rc_ > lr * lc && R->star == STAR_CONV;
			dv_strbuf_printf(b, "%s(%s, %s%s)", R->star == STAR_CONV ? "conv" : "xcorr",
			                 swap ? r : l, swap ? l : r,
			                 swap ? full_star(R, rr, rc_, lr, lc)
			                      : full_star(R, lr, lc, rr, rc_));
		}
		break;
	}
	rc = 0;
out:
	free(l);
	free(r);
	return rc;
}

static int resolve(resolver *R, const tex_node *n, dv_strbuf *b)
{
	if (n == NULL)
		return unresolved(R, NULL, "an empty part%s", "");
	switch (n->kind) {
	case TX_NUM:
		if (n->sub != NULL || n->sup != NULL) {
			if (n->sup != NULL && n->sub == NULL && n->sup->kind == TX_NUM) {
				dv_strbuf_printf(b, "%s^%s", n->text, n->sup->text);
				return 0;
			}
			return unresolved_latex(R, n, "the number %s has an index");
		}
		dv_strbuf_puts(b, n->text);
		return 0;
	case TX_STR:
		dv_strbuf_printf(b, "'%s'", n->text);
		return 0;
	case TX_SYM:
		return resolve_sym(R, n, b);
	case TX_CALL:
		return resolve_call(R, n, b);
	case TX_FRAC:
		return resolve_frac(R, n, b);
	case TX_PARTIAL:
		return unresolved_latex(R, n, "%s outside a fraction");
	case TX_ADD:
	case TX_SUB:
		/* a + b + c stays flat: + and - group from the left */
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_puts(b, n->kind == TX_ADD ? " + (" : " - (");
		if (resolve(R, n->kids[1], b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	case TX_NEG:
		dv_strbuf_puts(b, "-(");
		if (resolve(R, n->kids[0], b) != 0)
			return -1;
		dv_strbuf_puts(b, ")");
		return 0;
	case TX_MUL:
		return resolve_mul(R, n, b);
	case TX_SUM:
		return resolve_sum(R, n, b);
	case TX_GROUP: {
		char *in = NULL;
		int rc;
		if (n->sup != NULL) {
			if (n->sup->kind == TX_SYM && strcmp(n->sup->text, "T") == 0) {
				dv_strbuf_puts(b, "transpose(");
				if (resolve(R, n->kids[0], b) != 0)
					return -1;
				dv_strbuf_puts(b, ")");
				return 0;
			}
			return unresolved_latex(R, n->sup, "the superscript %s of a group");
		}
		if ((in = resolve_text(R, n->kids[0])) == NULL)
			return -1;
		{
			size_t len = strlen(in) + 3;
			char *p = malloc(len);
			if (p == NULL) {
				free(in);
				return -1;
			}
			snprintf(p, len, "(%s)", in);
			free(in);
			in = p;
		}
		rc = resolve_sub(R, n, in, b);
		free(in);
		return rc;
	}
	case TX_MATRIX:
		dv_strbuf_puts(b, "[");
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				dv_strbuf_puts(b, i % n->cols == 0 ? "; " : ", ");
			dv_strbuf_puts(b, "(");
			if (resolve(R, n->kids[i], b) != 0)
				return -1;
			dv_strbuf_puts(b, ")");
		}
		dv_strbuf_puts(b, "]");
		return 0;
	case TX_CASES:
		return unresolved(R, n, "a definition by cases is not checked%s", "");
	case TX_LIST:
	case TX_IN:
		return unresolved_latex(R, n, "%s outside a subscript");
	}
	return unresolved(R, n, "a part verify does not read%s", "");
}

/* The scene's own *, for messages. */
const char *own_star(const scene *sc)
{
	return sc->star_own == STAR_CONV ? "convolution, the kernel rotated by 180°"
	                                 : "cross-correlation, the kernel as it is";
}

/* The k-th reading of * tried in sc: the scene's own first. */
int star_of(const scene *sc, int k)
{
	return k == 0 ? sc->star_own : k == sc->star_own ? 0 : k;
}

const char *star_name(int s)
{
	return s == STAR_CONV ? "convolution" : s == STAR_XCORR ? "cross-correlation"
	                                                        : "the element-wise product ∘";
}

/* How a formula was read, for the report ("* as convolution; ..."). */
char *reading_text(const resolver *R, const scene *sc)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	dv_strbuf_printf(&b, "in %s", sc->title);
	if (R->used_star)
		dv_strbuf_printf(&b, "; * between matrices as %s", star_name(R->star));
	if (R->used_cdot)
		dv_strbuf_printf(&b, "; \\cdot as %s",
		                 R->cdot == CDOT_HADAMARD ? "the element-wise product"
		                                          : "the matrix product");
	if (R->used_juxt)
		dv_strbuf_puts(&b, "; matrices side by side as the element-wise product");
	if (R->used_full)
		dv_strbuf_puts(&b, "; * with zero padding ('full'), the kernel being as "
		                   "large as what it slides over");
	if (R->used_delta)
		dv_strbuf_puts(&b, "; ∂E/∂net as δ");
	if (R->used_pool)
		dv_strbuf_puts(&b, "; up and down over 2x2 blocks");
	if (R->used_maps)
		dv_strbuf_puts(&b, "; one feature map per layer");
	if (R->free_uv)
		dv_strbuf_puts(&b, "; for every entry (u,v)");
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

/* The letters of an index expression, as a bit set. */
unsigned letters_of(const tex_node *n)
{
	unsigned m = 0;
	if (n == NULL)
		return 0;
	if (n->kind == TX_SYM && strlen(n->text) == 1 && islower((unsigned char)n->text[0]))
		m |= 1u << (n->text[0] - 'a');
	for (size_t i = 0; i < n->nkids; i++)
		m |= letters_of(n->kids[i]);
	return m;
}

/* How many values each index takes: the size, in that direction, of the
 * smallest matrix it indexes. */
void scan_ranges(resolver *R, const tex_node *n)
{
	int a, c;
	if (n == NULL)
		return;
	if ((n->kind == TX_SYM || n->kind == TX_GROUP) && n->sub != NULL &&
	    ((n->sub->kind == TX_LIST && n->sub->nkids == 2) ||
	     (R->sc->learned && two_letters(n->sub, &a, &c)))) {
		tex_node bare = *n;
		resolver Q = *R;
		char *t;
		size_t rows, cols;
		bare.sub = NULL;
		Q.idx = 0;
		dv_diag_clear(&Q.why);
		if ((t = resolve_text(&Q, &bare)) != NULL && shape_of(&Q, t, n, &rows, &cols) == 0) {
			for (int p = 0; p < 2; p++) {
				unsigned m = n->sub->kind == TX_LIST ? letters_of(n->sub->kids[p])
				                                     : 1u << (p == 0 ? a : c);
				for (int l = 0; l < 26; l++)
					if ((m & (1u << l)) && (p == 0 ? rows : cols) < R->range[l])
						R->range[l] = p == 0 ? rows : cols;
			}
		}
		free(t);
	}
	for (size_t i = 0; i < n->nkids; i++)
		scan_ranges(R, n->kids[i]);
	scan_ranges(R, n->sub);
}

/* n (with free indices fu, fv) for every value of them: a matrix literal. */
char *resolve_indexed(resolver *R, const tex_node *n, int fu, int fv, size_t rows,
                             size_t cols)
{
	dv_strbuf b;
	char *s = NULL;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "[");
	R->bound[fu] = R->bound[fv] = 1;
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++) {
			R->val[fu] = (long)i + R->eb;
			R->val[fv] = (long)j + R->eb;
			if (i + j > 0)
				dv_strbuf_puts(&b, j == 0 ? "; " : ", ");
			dv_strbuf_puts(&b, "(");
			if (resolve(R, n, &b) != 0) {
				dv_strbuf_free(&b);
				return NULL;
			}
			dv_strbuf_puts(&b, ")");
		}
	dv_strbuf_puts(&b, "]");
	if (dv_strbuf_finish(&b, &s, NULL) != DV_OK)
		return NULL;
	return s;
}

/*
 * [entry(G, 1, 1), entry(G, 1, 2), ...] over every entry of G, as
 * resolve_indexed writes ∂E/∂I(p, q) for every p, q: G itself, so that the
 * gradient is computed once, not once an entry.  s is freed when replaced.
 */
char *whole_matrix(char *s, size_t rows, size_t cols)
{
	const char *p = strstr(s, ", 1, 1))");
	dv_strbuf b;
	char *g, *want = NULL;
	size_t n;
	if (strncmp(s, "[(entry(", 8) != 0 || p == NULL)
		return s;
	n = (size_t)(p - (s + 8));
	if ((g = notes_dup_n(s + 8, n)) == NULL)
		return s;
	dv_strbuf_init(&b);
	dv_strbuf_puts(&b, "[");
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++)
			dv_strbuf_printf(&b, "%s(entry(%s, %zu, %zu))", i + j == 0 ? "" : j == 0 ? "; " : ", ",
			                 g, i + 1, j + 1);
	dv_strbuf_puts(&b, "]");
	if (dv_strbuf_finish(&b, &want, NULL) != DV_OK || strcmp(want, s) != 0) {
		free(want);
		free(g);
		return s;
	}
	free(want);
	free(s);
	return g;
}
