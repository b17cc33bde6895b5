/*
 * notation: the file's own notation, learned from its text.
 *
 * A derivation says somewhere how its layer computes: `O = X * F`,
 * `z^l = a^{l-1} * W^l + b^l`, `u = W x + b`.  That formula fixes which
 * letters are the input, the kernel (or weights), the bias and the output;
 * the text around it gives their sizes ("X is a 3x3 matrix", $W \in
 * \mathbb{R}^{2 \times 3}$, "$a^{l-1}$ 为 $3\times3$ 的矩阵"); an activation
 * `a^{l-1} = \sigma(z^{l-1})` says that the input is the activation of an
 * earlier pre-activation; the letter differentiated most (∂L, ∂J, ∂C) is the
 * loss.  From these the file gets a scene of its own, in the lesson header
 * syntax the built-in scenes use, and the built-in scenes no longer serve it.
 *
 * Where the file writes * and never says whether it flips the kernel, the
 * scene comes in two variants (convolution, then cross-correlation): the
 * reader (decide.c) lets the file's own expansion of an output entry
 * choose, and until then reports what holds under each.
 */
#include "notes/notation.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "notes/reader.h"
#include "sym/ctx.h"

/* Most sizes and symbols remembered from one file's text. */
#define MAX_FACTS 64

typedef struct fact {
	char name[64];
	size_t rows, cols;
} fact;

const char *notes_layer_suffix(const tex_node *sup)
{
	const tex_node *l, *one;
	if (sup == NULL)
		return "";
	/* l, or \ell as Bouvrie writes it */
	if (sup->kind == TX_SYM && (strcmp(sup->text, "l") == 0 || strcmp(sup->text, "ell") == 0) &&
	    sup->sub == NULL && sup->sup == NULL)
		return "";
	if ((sup->kind == TX_ADD || sup->kind == TX_SUB) && sup->nkids == 2) {
		l = sup->kids[0];
		one = sup->kids[1];
		if (l->kind == TX_SYM && (strcmp(l->text, "l") == 0 || strcmp(l->text, "ell") == 0) &&
		    one->kind == TX_NUM && strcmp(one->text, "1") == 0)
			return sup->kind == TX_ADD ? "_next" : "_prev";
	}
	return NULL;
}

#define bare tex_node_strip

int notes_channel(const tex_node *sub)
{
	return sub != NULL && sub->kind == TX_NUM && strlen(sub->text) == 1 &&
	       sub->text[0] >= '1' && sub->text[0] <= '9';
}

/* The scene name of a symbol with no subscript (X, a^{l-1}): 0 if n is not one. */
static int symbol_name(const tex_node *n, char *buf, size_t size)
{
	const char *layer;
	n = bare(n);
	if (n == NULL || n->kind != TX_SYM || n->primes != 0 ||
	    (layer = notes_layer_suffix(n->sup)) == NULL)
		return 0;
	if (n->sub != NULL && !notes_channel(n->sub))
		return 0;
	if (strcmp(n->text, "dots") == 0 || strcmp(n->text, "nabla") == 0)
		return 0;
	for (const char *p = n->text; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	if (n->sub != NULL) /* X_1: the first channel, a matrix of its own */
		snprintf(buf, size, "%s_%s%s", n->text, n->sub->text, layer);
	else
		snprintf(buf, size, "%s%s", n->text, layer);
	return 1;
}

/* ---- constants: H = W = 4, k_1 = k_2 = 2 ---------------------------------- */

typedef struct constant {
	char name[32]; /* H, k_1 */
	long value;
} constant;

/* The name of a constant's symbol: H, k_1 (k_{1}); 0 if n is not one. */
static int constant_name(const tex_node *n, char *buf, size_t size)
{
	n = tex_node_strip(n);
	if (n == NULL || n->kind != TX_SYM || n->sup != NULL || n->primes != 0 ||
	    strlen(n->text) > 8 || !isalpha((unsigned char)n->text[0]))
		return 0;
	if (n->sub == NULL) {
		snprintf(buf, size, "%s", n->text);
		return 1;
	}
	if (n->sub->kind == TX_NUM && strlen(n->sub->text) < 4 &&
	    strchr(n->sub->text, '.') == NULL) {
		snprintf(buf, size, "%s_%s", n->text, n->sub->text);
		return 1;
	}
	return 0;
}

/* Whether the chain only names numbers: every side a symbol or a whole
 * number, one a number at least; the constants go to c. */
static int read_constants(const tex_chain *ch, constant *c, size_t *nc, size_t max)
{
	long value = -1;
	char name[32];
	for (size_t s = 0; s < ch->nsides; s++) {
		const tex_node *t = tex_node_strip(ch->sides[s].tree);
		if (t != NULL && t->kind == TX_NUM && t->sub == NULL && t->sup == NULL &&
		    strchr(t->text, '.') == NULL && strlen(t->text) < 6)
			value = strtol(t->text, NULL, 10);
		else if (!constant_name(t, name, sizeof name))
			return 0;
	}
	if (value < 0)
		return 0;
	for (size_t s = 0; s < ch->nsides; s++)
		if (constant_name(ch->sides[s].tree, name, sizeof name) && *nc < max) {
			snprintf(c[*nc].name, sizeof c[*nc].name, "%s", name);
			c[(*nc)++].value = value;
		}
	return 1;
}

static const constant *constant_of(const constant *c, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(c[i].name) == len && memcmp(c[i].name, name, len) == 0)
			return &c[i];
	return NULL;
}

/* ---- sizes from the text ------------------------------------------------- */

/* The file's constants, which a size may be written with. */
typedef struct constants {
	const constant *c;
	size_t n;
} constants;

/* A size's number at q: digits, or a constant of the file (H, k_1, k_{1}). */
static int size_atom(const constants *k, const char *q, const char *end, unsigned long *v,
                     const char **after)
{
	char name[32];
	size_t n = 0;
	const constant *c;
	if (q < end && isdigit((unsigned char)*q)) {
		char *e;
		*v = strtoul(q, &e, 10);
		*after = e;
		return 1;
	}
	while (q + n < end && isalpha((unsigned char)q[n]) && n < 8)
		n++;
	if (n == 0 || n > 8)
		return 0;
	memcpy(name, q, n);
	if (q + n < end && q[n] == '_') { /* k_1, k_{1} */
		const char *d = q + n + 1;
		int brace = d < end && *d == '{';
		size_t m = 0;
		if (brace)
			d++;
		while (d + m < end && isdigit((unsigned char)d[m]) && m < 3)
			m++;
		if (m == 0 || (brace && (d + m >= end || d[m] != '}')))
			return 0;
		name[n] = '_';
		memcpy(name + n + 1, d, m);
		n += 1 + m;
		*after = d + m + (brace ? 1 : 0);
	} else {
		*after = q + n;
	}
	if ((c = constant_of(k->c, k->n, name, n)) == NULL)
		return 0;
	*v = (unsigned long)c->value;
	return 1;
}

/* "3x4", "3 \times 4", "3×4", "3 by 4", "H \times W" at p: its length, or 0. */
static size_t size_at(const constants *k, const char *p, const char *end, size_t *rows,
                      size_t *cols)
{
	const char *q = p;
	unsigned long r, c;
	const char *e;
	if (q >= end || (q > p && isalnum((unsigned char)q[-1])) || !size_atom(k, q, end, &r, &e))
		return 0;
	q = e;
	while (q < end && (*q == ' ' || *q == '{' || *q == '}'))
		q++;
	if (q + 1 < end && (*q == 'x' || *q == 'X') && !isalpha((unsigned char)q[1]))
		q++;
	else if (q + 2 <= end && memcmp(q, "\xc3\x97", 2) == 0)
		q += 2;
	else if (q + 6 <= end && memcmp(q, "\\times", 6) == 0)
		q += 6;
	else if (q + 2 <= end && memcmp(q, "by", 2) == 0)
		q += 2;
	else
		return 0;
	while (q < end && (*q == ' ' || *q == '{' || *q == '}'))
		q++;
	if (!size_atom(k, q, end, &c, &e))
		return 0;
	if (r == 0 || c == 0 || r > 64 || c > 64)
		return 0;
	*rows = r;
	*cols = c;
	return (size_t)(e - p);
}

/* \mathbb{R}^{3} or \mathbb{R}^{2 \times 3} at p: its length, or 0. */
static size_t space_at(const constants *k, const char *p, const char *end, size_t *rows,
                       size_t *cols)
{
	static const char *const heads[] = {"\\mathbb{R}^", "\\mathbb R^", "\\R^",
	                                    "\\mathbb{R}^"};
	for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
		size_t n = strlen(heads[h]);
		const char *q = p + n;
		size_t len;
		if ((size_t)(end - p) < n || memcmp(p, heads[h], n) != 0)
			continue;
		if (q < end && *q == '{')
			q++;
		if ((len = size_at(k, q, end, rows, cols)) > 0)
			return (size_t)(q + len - p);
		if (q < end && isdigit((unsigned char)*q)) {
			char *e;
			unsigned long r = strtoul(q, &e, 10);
			if (e < end && *e == '}')
				e++;
			if (r == 0 || r > 64)
				return 0;
			*rows = r; /* a vector: a column */
			*cols = 1;
			return (size_t)(e - p);
		}
	}
	return 0;
}

static void remember(fact *facts, size_t *n, const char *name, size_t rows, size_t cols)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(facts[i].name, name) == 0) {
			facts[i].rows = rows;
			facts[i].cols = cols;
			return;
		}
	if (*n < MAX_FACTS) {
		snprintf(facts[*n].name, sizeof facts[*n].name, "%s", name);
		facts[*n].rows = rows;
		facts[*n].cols = cols;
		(*n)++;
	}
}

/* A symbol or a size, where the text has it. */
typedef struct mark {
	size_t at, end;
	char name[64]; /* a symbol; "" for a size */
	size_t rows, cols;
} mark;

#define MAX_MARKS 512

/* Whether the prose text[from, to) ends a sentence. */
static int sentence_ends(const char *text, size_t from, size_t to)
{
	for (size_t q = from; q < to; q++)
		if (text[q] == '.' || text[q] == ';' ||
		    (text[q] == '\n' && q + 1 < to && text[q + 1] == '\n') ||
		    (to - q >= 3 && memcmp(text + q, "\xe3\x80\x82", 3) == 0)) /* 。 */
			return 1;
	return 0;
}

/* Whether text[from, to) only joins two symbols of a list: " and ", ", ". */
static int only_joins(const char *text, size_t from, size_t to)
{
	static const char *const joins[] = {" and ", ", ", ",", " ", "\xe5\x92\x8c" /* 和 */,
	                                    "\xe3\x80\x81" /* 、 */, "$"};
	size_t q = from;
	while (q < to) {
		size_t w;
		for (w = 0; w < sizeof joins / sizeof joins[0]; w++) {
			size_t n = strlen(joins[w]);
			if (q + n <= to && memcmp(text + q, joins[w], n) == 0) {
				q += n;
				break;
			}
		}
		if (w == sizeof joins / sizeof joins[0])
			return 0;
	}
	return 1;
}

/* Whether text[from, to) links a symbol to the size after it: "X is 3x3",
 * "W (2 by 2)", "of shape", "为", "∈". */
static int links(const char *text, size_t from, size_t to)
{
	static const char *const words[] = {" is ", " are ", "shape", "size", "(", ":", "=",
	                                    "\\in", "\xe4\xb8\xba" /* 为 */,
	                                    "\xe6\x98\xaf" /* 是 */};
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		size_t n = strlen(words[w]);
		for (size_t q = from; q + n <= to; q++)
			if (memcmp(text + q, words[w], n) == 0)
				return 1;
	}
	return 0;
}

/*
 * The sizes the text gives its symbols.  A size ("3x3", "$3 \times 3$",
 * "3 by 4", "$H \times W$" with the constants) belongs to the symbol before
 * it when the words between link them ("X is a 3x3 matrix", "of shape",
 * "$a^{l-1}$ 为 $3\times3$"), else to a symbol right after it in the same
 * sentence ("the $2 \times 2$ map $P$"), else to the symbol before it in
 * the same sentence.  "W \in \mathbb{R}^{2 \times 3}" in one span is W's.
 */
static void read_sizes(fact *facts, size_t *nfacts, const char *text, size_t len,
                       const notes_source *src, tex_block **blocks, const constants *kc)
{
	mark *m = malloc(MAX_MARKS * sizeof *m);
	size_t n = 0, prose = 0;
	if (m == NULL)
		return;
	for (size_t i = 0; i < src->nmath && n + 8 < MAX_MARKS; i++) {
		const notes_math *s = &src->math[i];
		const char *p = text + s->start, *end = text + s->end;
		size_t rows, cols, k;
		char name[64] = "";
		if (s->problem.code != DV_OK || s->end > len)
			continue;
		/* sizes in the prose before this span */
		for (size_t q = prose; q < s->start && n + 8 < MAX_MARKS; q++)
			if ((k = size_at(kc, text + q, text + s->start, &rows, &cols)) > 0) {
				m[n++] = (mark){q, q + k, "", rows, cols};
				q += k - 1;
			}
		prose = s->end;
		/* this span: one symbol, a size, or W \in \mathbb{R}^{..} */
		if (blocks[i] != NULL && blocks[i]->nchains == 1 &&
		    blocks[i]->chains[0].problem.code == DV_OK) {
			const tex_chain *ch = &blocks[i]->chains[0];
			const tex_node *t = ch->nsides >= 1 ? ch->sides[0].tree : NULL;
			if (ch->nsides == 1 && symbol_name(t, name, sizeof name)) {
				m[n] = (mark){s->start, s->end, "", 0, 0};
				snprintf(m[n++].name, sizeof m[0].name, "%s", name);
				continue;
			}
			if (t != NULL && t->kind == TX_IN)
				symbol_name(t->kids[0], name, sizeof name);
		}
		for (const char *q = p; q < end; q++) {
			if ((k = space_at(kc, q, end, &rows, &cols)) > 0 ||
			    (q == p + strspn(p, " ") && (k = size_at(kc, q, end, &rows, &cols)) > 0)) {
				if (name[0] == '\0' && memchr(p, '\\', (size_t)(q - p)) != NULL) {
					/* "\mathbf{x} \in \mathbb{R}^3": the letters before */
					const char *a = p;
					size_t w = 0;
					while (a < q && *a == ' ')
						a++;
					if (strncmp(a, "\\mathbf{", 8) == 0 ||
					    strncmp(a, "\\boldsymbol{", 12) == 0)
						a = strchr(a, '{') + 1;
					while (a + w < q && isalpha((unsigned char)a[w]))
						w++;
					if (w > 0 && w < sizeof name)
						snprintf(name, sizeof name, "%.*s", (int)w, a);
				}
				if (name[0] != '\0')
					remember(facts, nfacts, name, rows, cols);
				else
					m[n++] = (mark){s->start, s->end, "", rows, cols};
				break;
			}
		}
	}
	for (size_t q = prose; q < len && n + 1 < MAX_MARKS; q++) {
		size_t rows, cols, k;
		if ((k = size_at(kc, text + q, text + len, &rows, &cols)) > 0) {
			m[n++] = (mark){q, q + k, "", rows, cols};
			q += k - 1;
		}
	}
	/* each size to its symbol */
	for (size_t i = 0; i < n; i++) {
		const mark *before = NULL, *after = NULL;
		if (m[i].name[0] != '\0')
			continue;
		for (size_t j = i; j-- > 0;)
			if (m[j].name[0] != '\0') {
				before = &m[j];
				break;
			}
		for (size_t j = i + 1; j < n; j++)
			if (m[j].name[0] != '\0') {
				after = &m[j];
				break;
			}
		if (before != NULL && (m[i].at - before->end > 80 ||
		                       sentence_ends(text, before->end, m[i].at)))
			before = NULL;
		if (after != NULL && (after->at - m[i].end > 40 ||
		                      sentence_ends(text, m[i].end, after->at)))
			after = NULL;
		if (before != NULL && (links(text, before->end, m[i].at) || after == NULL)) {
			remember(facts, nfacts, before->name, m[i].rows, m[i].cols);
			/* "X_1 and X_2, each 3x3": the symbols listed before it too */
			for (const mark *p = before; p > m; p--) {
				const mark *q = p - 1;
				if (q->name[0] == '\0' || !only_joins(text, q->end, p->at))
					break;
				remember(facts, nfacts, q->name, m[i].rows, m[i].cols);
			}
		} else if (after != NULL) {
			remember(facts, nfacts, after->name, m[i].rows, m[i].cols);
		}
	}
	free(m);
}

static const fact *size_of(const fact *facts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(facts[i].name, name) == 0)
			return &facts[i];
	return NULL;
}

/* ---- what the prose says * is --------------------------------------------- */

/* Whether the sentence around [from, to) holds one of words (not after 不). */
static int sentence_says(const char *text, size_t len, size_t from, size_t to,
                         const char *const *words, size_t nwords)
{
	size_t a = from, b = to;
	while (a > 0 && from - a < 240 && !sentence_ends(text, a - 1, a))
		a--;
	while (b < len && b - to < 240 && !sentence_ends(text, b, b + 1))
		b++;
	for (size_t w = 0; w < nwords; w++) {
		size_t n = strlen(words[w]);
		for (size_t q = a; q + n <= b; q++)
			if (memcmp(text + q, words[w], n) == 0 &&
			    !(q >= 3 && memcmp(text + q - 3, "\xe4\xb8\x8d", 3) == 0)) /* 不 */
				return 1;
	}
	return 0;
}

/*
 * What the prose says the file's * is, in a sentence that names it as math
 * ($*$, $\ast$, $\otimes$, ...) or that writes the forward pass inline (at
 * line fw_line: "a true convolution, $A = X * K$, the kernel flipped"): 1 a
 * cross-correlation ("the cross-correlation", "does not flip", 不翻转,
 * 互相关), 0 a convolution that flips the kernel ("true convolution",
 * "flipped", conv2, 翻转), -1 unsaid.
 */
static int star_in_prose(const char *text, size_t len, const notes_source *src, int fw_line)
{
	static const char *const xcorr[] = {
	        "cross-correlation", "cross correlation", "crosscorrelation",
	        "not flip", "no flip", "without flip", "n't flip", "without being flip",
        "never flip", "unflipped", "not rotate",
	        "\xe4\xba\x92\xe7\x9b\xb8\xe5\x85\xb3" /* 互相关 */,
	        "\xe4\xb8\x8d\xe7\xbf\xbb\xe8\xbd\xac" /* 不翻转 */};
	static const char *const conv[] = {
	        "true convolution", "flipped", "flips the kernel", "conv2", "rot180",
	        "rotated by 180", "\xe7\xbf\xbb\xe8\xbd\xac" /* 翻转 */};
	size_t seen = 0;
	for (size_t i = 0; i < src->nmath && seen < 64; i++) {
		const notes_math *m = &src->math[i];
		const char *p = text + m->start;
		size_t n = m->end - m->start;
		while (n > 0 && *p == ' ')
			p++, n--;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (m->problem.code != DV_OK ||
		    !((!m->display && m->line == fw_line) || (n == 1 && *p == '*') ||
		      (n == 4 && memcmp(p, "\\ast", 4) == 0) ||
		      (n == 5 && memcmp(p, "\\star", 5) == 0) ||
		      (n == 7 && memcmp(p, "\\otimes", 7) == 0) ||
		      (n == 11 && memcmp(p, "\\circledast", 11) == 0)))
			continue;
		seen++; /* the first 64 sentences that name it are enough */
		if (sentence_says(text, len, m->start, m->end, xcorr, sizeof xcorr / sizeof *xcorr))
			return 1;
		if (sentence_says(text, len, m->start, m->end, conv, sizeof conv / sizeof *conv))
			return 0;
	}
	return -1;
}

/* ---- the forward pass ---------------------------------------------------- */

typedef struct forward {
	int kind; /* 0 none, 1 a convolution (star open), 2 convolution, 3 cross-correlation,
	             4 a dense layer (a matrix product) */
	char out[64], in[64], kernel[64], bias[64];
	int line, column;
	int sign; /* an index form: +1 the input's index adds the summation
	             index (i+m: nothing flipped), -1 subtracts it, 0 unknown */
	/* X_2 * W_2 + ...: the further channels, their input and slice */
	char more_in[3][64], more_kernel[3][64];
	int nmore;
} forward;

/* lhs = A op B [+ c]: the forward pass of a layer, or 0. */
static int forward_of(const tex_node *lhs, const tex_node *rhs, forward *f)
{
	const tex_node *prod;
	memset(f, 0, sizeof *f);
	rhs = bare(rhs);
	if (!symbol_name(lhs, f->out, sizeof f->out) || rhs == NULL)
		return 0;
	prod = rhs;
	if (rhs->kind == TX_ADD && rhs->nkids == 2 &&
	    symbol_name(rhs->kids[1], f->bias, sizeof f->bias))
		prod = bare(rhs->kids[0]);
	/* X_1 * W_1 + X_2 * W_2 (+ b): one product a channel, the same op */
	while (prod->kind == TX_ADD && prod->nkids == 2 && f->nmore < 3) {
		const tex_node *last = bare(prod->kids[1]);
		int k = f->nmore;
		if (last->kind != TX_MUL || last->nkids != 2 ||
		    !symbol_name(last->kids[0], f->more_in[k], sizeof f->more_in[k]) ||
		    !symbol_name(last->kids[1], f->more_kernel[k], sizeof f->more_kernel[k]))
			return 0;
		f->nmore++;
		prod = bare(prod->kids[0]);
	}
	if (prod->kind == TX_MUL && prod->nkids == 2 &&
	    symbol_name(prod->kids[0], f->in, sizeof f->in) &&
	    symbol_name(prod->kids[1], f->kernel, sizeof f->kernel)) {
		switch (prod->op) {
		case TX_STAR:
			f->kind = 1;
			break;
		case TX_STARX:
			f->kind = 3;
			break;
		case TX_JUXT:
		case TX_CDOT: {
			/* W x: the weights first, a capital (W, \Theta): softmax(z)
			 * written \mathrm{softmax}(z) is no layer */
			char t[64];
			if (!isupper((unsigned char)f->in[0]))
				return 0;
			memcpy(t, f->in, sizeof t);
			memcpy(f->in, f->kernel, sizeof t);
			memcpy(f->kernel, t, sizeof t);
			f->kind = 4;
			break;
		}
		default:
			return 0;
		}
	} else if (prod->kind == TX_CALL && prod->nkids == 2 && prod->primes == 0 &&
	           symbol_name(prod->kids[0], f->in, sizeof f->in) &&
	           symbol_name(prod->kids[1], f->kernel, sizeof f->kernel)) {
		if (strcmp(prod->text, "conv") == 0 || strcmp(prod->text, "conv2") == 0)
			f->kind = 2;
		else if (strcmp(prod->text, "xcorr") == 0 || strcmp(prod->text, "filter2") == 0)
			f->kind = 3;
		else
			return 0;
	} else {
		return 0;
	}
	/* the output is new: not one of its own operands */
	if (strcmp(f->out, f->in) == 0 || strcmp(f->out, f->kernel) == 0 ||
	    strcmp(f->out, f->bias) == 0)
		return 0;
	return 1;
}

/* The letters of an index subscript: i,j (a list) or ij; 0 if none. */
static int index_letters(const tex_node *s, char *a, char *b)
{
	if (s == NULL)
		return 0;
	if (s->kind == TX_LIST && s->nkids == 2 && s->kids[0]->kind == TX_SYM &&
	    s->kids[1]->kind == TX_SYM && strlen(s->kids[0]->text) == 1 &&
	    strlen(s->kids[1]->text) == 1 && islower((unsigned char)s->kids[0]->text[0]) &&
	    islower((unsigned char)s->kids[1]->text[0])) {
		*a = s->kids[0]->text[0];
		*b = s->kids[1]->text[0];
		return *a != *b;
	}
	if (s->kind == TX_SYM && s->sub == NULL && s->sup == NULL && strlen(s->text) == 2 &&
	    islower((unsigned char)s->text[0]) && islower((unsigned char)s->text[1])) {
		*a = s->text[0];
		*b = s->text[1];
		return *a != *b;
	}
	return 0;
}

/* Whether the letter c occurs in n. */
static int mentions(const tex_node *n, char c)
{
	if (n == NULL)
		return 0;
	if (n->kind == TX_SYM && n->text[0] == c && n->text[1] == '\0')
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (mentions(n->kids[i], c))
			return 1;
	return mentions(n->sub, c) || mentions(n->sup, c);
}

/* The operands of an index form: symbols with index subscripts; the one
 * whose subscript holds a free index first.  Scalars (b) to bias. */
static void index_operands(const tex_node *n, char fa, char fb, forward *f, int *lower)
{
	if (n == NULL)
		return;
	if (n->kind == TX_SUM) {
		if (n->nkids > 1 && *lower < 0) {
			const tex_node *lo = tex_node_strip(n->kids[1]);
			if (lo != NULL && lo->kind == TX_NUM && (strcmp(lo->text, "0") == 0 ||
			                                         strcmp(lo->text, "1") == 0))
				*lower = lo->text[0] - '0';
		}
		index_operands(n->kids[0], fa, fb, f, lower);
		return;
	}
	if (n->kind == TX_SYM && n->sub != NULL && n->sub->kind == TX_LIST &&
	    notes_layer_suffix(n->sup) != NULL) {
		char name[64];
		int free_index = mentions(n->sub, fa) || mentions(n->sub, fb);
		snprintf(name, sizeof name, "%s%s", n->text, notes_layer_suffix(n->sup));
		if (free_index && f->sign == 0 && n->sub->nkids > 0) {
			/* I(i+m, ...) or X_{i-m, ...}: how the window moves */
			const tex_node *first = tex_node_strip(n->sub->kids[0]);
			while (first != NULL && first->kind == TX_SUB && first->nkids == 2 &&
			       first->kids[1]->kind == TX_NUM)
				first = tex_node_strip(first->kids[0]); /* i+a-1 */
			if (first != NULL && (first->kind == TX_ADD || first->kind == TX_SUB) &&
			    first->nkids == 2 && mentions(first->kids[0], fa) &&
			    first->kids[1]->kind == TX_SYM)
				f->sign = first->kind == TX_ADD ? 1 : -1;
		}
		if (strcmp(name, f->in) != 0 && strcmp(name, f->kernel) != 0) {
			if (free_index && f->in[0] == '\0')
				snprintf(f->in, sizeof f->in, "%s", name);
			else if (f->kernel[0] == '\0')
				snprintf(f->kernel, sizeof f->kernel, "%s", name);
			else if (f->in[0] == '\0')
				snprintf(f->in, sizeof f->in, "%s", name);
		}
		return;
	}
	if (n->kind == TX_ADD) {
		for (size_t i = 0; i < n->nkids; i++) {
			const tex_node *k = tex_node_strip(n->kids[i]);
			if (k->kind == TX_SYM && k->sub == NULL && k->sup == NULL &&
			    strlen(k->text) == 1 && islower((unsigned char)k->text[0]) &&
			    k->text[0] != fa && k->text[0] != fb && f->bias[0] == '\0')
				/* a letter added to the sum: the bias */
				snprintf(f->bias, sizeof f->bias, "%s", k->text);
			else
				index_operands(k, fa, fb, f, lower);
		}
		return;
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kind != TX_FRAC)
			index_operands(n->kids[i], fa, fb, f, lower);
}

/* O(i, j) = \sum_m \sum_n I(i+m, j+n) K(m, n) + b: an index-form forward
 * pass, or 0. */
static int index_form_of(const tex_node *lhs, const tex_node *rhs, forward *f, int *base)
{
	const char *layer;
	char fa, fb;
	int lower = -1;
	memset(f, 0, sizeof *f);
	lhs = tex_node_strip(lhs);
	if (lhs == NULL || lhs->kind != TX_SYM || lhs->primes != 0 ||
	    (layer = notes_layer_suffix(lhs->sup)) == NULL ||
	    !index_letters(lhs->sub, &fa, &fb) || notes_has_derivative(rhs))
		return 0;
	snprintf(f->out, sizeof f->out, "%s%s", lhs->text, layer);
	index_operands(tex_node_strip(rhs), fa, fb, f, &lower);
	if (f->in[0] == '\0' || strcmp(f->in, f->out) == 0 || strcmp(f->kernel, f->out) == 0)
		return 0;
	*base = lower >= 0 ? lower : 1;
	f->kind = 5;
	return 1;
}

/* \delta(i, j) = 0 (for entries outside): the matrix is 0 outside its
 * entries, in index sums.  Records its name in nt->zero. */
static int zero_outside(const tex_chain *ch, notes_notation *nt)
{
	const tex_node *l, *r;
	char a, b, name[64];
	if (ch->nsides != 2)
		return 0;
	l = tex_node_strip(ch->sides[0].tree);
	r = tex_node_strip(ch->sides[1].tree);
	if (l == NULL || r == NULL || l->kind != TX_SYM || !index_letters(l->sub, &a, &b) ||
	    r->kind != TX_NUM || strcmp(r->text, "0") != 0 ||
	    notes_layer_suffix(l->sup) == NULL)
		return 0;
	snprintf(name, sizeof name, " %s%s ", l->text, notes_layer_suffix(l->sup));
	if (strlen(nt->zero) + strlen(name) < sizeof nt->zero)
		strcat(nt->zero, name);
	return 1;
}

/* x = f(A * B + c): a forward pass inside an activation; f->out is x. */
static int wrapped_forward(const tex_chain *ch, forward *f)
{
	const tex_node *r;
	char out[64];
	if (ch->nsides != 2 || !symbol_name(ch->sides[0].tree, out, sizeof out))
		return 0;
	r = tex_node_strip(ch->sides[1].tree);
	if (r == NULL || r->kind != TX_CALL || r->nkids != 1 || r->primes != 0 ||
	    (strcmp(r->text, "f") != 0 && strcmp(r->text, "sigma") != 0 &&
	     strcmp(r->text, "g") != 0) ||
	    !forward_of(ch->sides[0].tree, r->kids[0], f))
		return 0;
	snprintf(f->out, sizeof f->out, "%s", out);
	return 1;
}

/* lhs = \sigma(z) or f(z): the activation of z, or 0. */
static int activation_of(const tex_node *lhs, const tex_node *rhs, char *a, char *z,
                         size_t size)
{
	rhs = bare(rhs);
	if (!symbol_name(lhs, a, size) || rhs == NULL || rhs->kind != TX_CALL ||
	    rhs->nkids != 1 || rhs->primes != 0 ||
	    (strcmp(rhs->text, "sigma") != 0 && strcmp(rhs->text, "f") != 0 &&
	     strcmp(rhs->text, "g") != 0 && strcmp(rhs->text, "ReLU") != 0 &&
	     strcmp(rhs->text, "relu") != 0))
		return 0;
	return symbol_name(rhs->kids[0], z, size);
}

/* The verify function of an activation call: relu, else the abstract f. */
static const char *activation_fn(const tex_node *rhs)
{
	rhs = bare(rhs);
	return strcmp(rhs->text, "ReLU") == 0 || strcmp(rhs->text, "relu") == 0 ? "relu" : "f";
}

/* Whether n names net or \beta, the letters of the built-in scenes' layers
 * (the seed's notes, after Bouvrie). */
static int builtin_letters(const tex_node *n)
{
	if (n == NULL)
		return 0;
	if (n->kind == TX_SYM && (strcmp(n->text, "net") == 0 || strcmp(n->text, "beta") == 0))
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (builtin_letters(n->kids[i]))
			return 1;
	return builtin_letters(n->sub) || builtin_letters(n->sup);
}

/* The letter most differentiated: the numerators of \frac{\partial L}{...}. */
static void count_losses(const tex_node *n, char names[][16], int *counts, size_t *k)
{
	if (n == NULL)
		return;
	if (n->kind == TX_FRAC && n->nkids == 2) {
		const tex_node *top = bare(n->kids[0]);
		if (top != NULL && top->kind == TX_PARTIAL) {
			const tex_node *v = bare(top->kids[0]);
			if (v != NULL && v->kind == TX_SYM && v->sub == NULL && v->sup == NULL &&
			    strlen(v->text) < 16) {
				size_t i;
				for (i = 0; i < *k; i++)
					if (strcmp(names[i], v->text) == 0)
						break;
				if (i == *k && *k < 8)
					snprintf(names[(*k)++], 16, "%s", v->text);
				if (i < *k)
					counts[i]++;
			}
		}
	}
	for (size_t i = 0; i < n->nkids; i++)
		count_losses(n->kids[i], names, counts, k);
}

int notes_has_derivative(const tex_node *n)
{
	if (n == NULL)
		return 0;
	if (n->kind == TX_PARTIAL) /* \frac{1}{4} is no derivative */
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (notes_has_derivative(n->kids[i]))
			return 1;
	return notes_has_derivative(n->sub) || notes_has_derivative(n->sup);
}

static int add_used(notes_notation *nt, int line, int column)
{
	void *p = realloc(nt->used, (nt->nused + 1) * sizeof *nt->used);
	if (p == NULL)
		return -1;
	nt->used = p;
	nt->used[nt->nused].line = line;
	nt->used[nt->nused].column = column;
	nt->nused++;
	return 0;
}

/* The letter of a matrix's entries in a scene: x for X, w for W^l; a free
 * lower-case letter else. */
/*
 * The symbols of the file's matrix `name` (buf holds 24): X_1 and W_2, the
 * channels as the file numbers them, are x_1 and w_2, printed (x₁)₁₁ and
 * (w₂)₁₁ as the file would write their entries; any other matrix a letter
 * of its own, its initial unless taken.
 */
static void entry_letter(char *buf, const char *name, const char *taken)
{
	const char *label = sym_map_label(name);
	size_t n = label != NULL ? (size_t)(label - 1 - name) : 0;
	int letters = n > 0 && n <= 8 && strlen(label) <= 3;
	char c = (char)tolower((unsigned char)name[0]);
	for (size_t i = 0; i < n && letters; i++)
		letters = isalpha((unsigned char)name[i]);
	if (letters) {
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)tolower((unsigned char)name[i]);
		snprintf(buf + n, 24 - n, "_%s", label);
		return;
	}
	if (!isalpha((unsigned char)c))
		c = 'q';
	while (strchr(taken, c) != NULL && c < 'z')
		c++;
	buf[0] = c;
	buf[1] = '\0';
}

/* Whether the symbol n names the matrix `name` (X_prev, K): its letters
 * (X, or x for entries) before any layer suffix. */
static int names_matrix(const tex_node *n, const char *name)
{
	size_t len = strcspn(name, "_");
	if (strlen(n->text) != len)
		return 0;
	if (len == 1)
		return tolower((unsigned char)n->text[0]) == tolower((unsigned char)name[0]);
	return strncmp(n->text, name, len) == 0;
}

/* The largest entry the file writes of the matrix `name` (x_{23}, K_{2,3}),
 * into *rows and *cols (left as they are if larger). */
static void written_entries(const tex_node *n, const char *name, size_t *rows, size_t *cols)
{
	size_t i, j;
	if (n == NULL)
		return;
	if (n->kind == TX_SYM && n->sub != NULL && names_matrix(n, name) &&
	    sub_kind(n->sub, &i, &j) == SUB_ENTRY && i <= SYM_MAX_SIDE && j <= SYM_MAX_SIDE) {
		*rows = i > *rows ? i : *rows;
		*cols = j > *cols ? j : *cols;
	}
	written_entries(n->sub, name, rows, cols);
	written_entries(n->sup, name, rows, cols);
	for (size_t k = 0; k < n->nkids; k++)
		written_entries(n->kids[k], name, rows, cols);
}

/*
 * One side (rows or columns) of the kernel and the input, from what the
 * text states (ks, xs; 0 if nothing) and the largest entries the file
 * writes of the kernel, the input and the output or its δ (kb, xb, ob; 0
 * if none).  by_output: the output is as large as its entries say and the
 * kernel takes what the input leaves, else the kernel is as large as its
 * entries say.  Never a side of 1 for the kernel or the output: there a
 * flip or a transpose cannot be seen, and a formula without its rot180
 * would hold.  0 in *k when no size follows.
 */
static void side_from_entries(size_t ks, size_t xs, size_t kb, size_t xb, size_t ob,
                              int by_output, size_t *k, size_t *x)
{
	size_t in = xs > 0 ? xs : xb, kk = ks, o = ob > 2 ? ob : 2;
	size_t derived = in > 0 && ob > 0 && in > ob ? in - ob + 1 : 0;
	if (kk == 0)
		kk = by_output || kb == 0 ? (derived > kb ? derived : kb) : kb;
	*k = *x = 0;
	if (kk < 2 || kk > SYM_MAX_SIDE)
		return;
	in = xs > 0 ? xs : (xb > o + kk - 1 ? xb : o + kk - 1);
	if (in < kk + 1 || in > SYM_MAX_SIDE)
		return;
	*k = kk;
	*x = in;
}

/*
 * Sizes the text does not give, from the entries the file writes, into
 * sizes[c] = {input rows, cols, kernel rows, cols}: the kernel as large as
 * its largest entry (k_{22}: 2x2), or as the input and the output's (or
 * δ's) largest entries leave it; the input as large as its largest entry
 * and as the output needs.  Where the two ways differ both are kept (a
 * formula holds if it holds at one of them); 0 where no size follows (the
 * defaults stand).  An entry-by-entry formula is so read at the sizes its
 * author wrote it for, not at sizes verify made up: a_{11} = x_{11}k_{22} +
 * ... does not fail for want of k_{23}.
 */
static size_t sizes_from_entries(size_t sizes[2][4], const fact *facts, size_t nfacts,
                                 const forward *fw, const char *delta_name,
                                 tex_block **blocks, size_t nblocks)
{
	size_t kb[2] = {0, 0}, xb[2] = {0, 0}, ob[2] = {0, 0}, n = 0;
	const fact *si = size_of(facts, nfacts, fw->in), *sk = size_of(facts, nfacts, fw->kernel);
	if (si != NULL && sk != NULL)
		return 0;
	for (size_t b = 0; b < nblocks; b++)
		for (size_t c = 0; blocks[b] != NULL && c < blocks[b]->nchains; c++)
			for (size_t s = 0; s < blocks[b]->chains[c].nsides; s++) {
				const tex_node *t = blocks[b]->chains[c].sides[s].tree;
				written_entries(t, fw->kernel, &kb[0], &kb[1]);
				written_entries(t, fw->in, &xb[0], &xb[1]);
				written_entries(t, fw->out, &ob[0], &ob[1]);
				written_entries(t, "delta", &ob[0], &ob[1]);
				if (delta_name[0] != '\0')
					written_entries(t, delta_name, &ob[0], &ob[1]);
			}
	for (int by_output = 0; by_output < 2; by_output++) {
		size_t *z = sizes[n];
		side_from_entries(sk != NULL ? sk->rows : 0, si != NULL ? si->rows : 0, kb[0],
		                  xb[0], ob[0], by_output, &z[2], &z[0]);
		side_from_entries(sk != NULL ? sk->cols : 0, si != NULL ? si->cols : 0, kb[1],
		                  xb[1], ob[1], by_output, &z[3], &z[1]);
		if (z[2] == 0 || z[3] == 0)
			continue;
		if (n == 1 && memcmp(sizes[0], z, sizeof sizes[0]) == 0)
			continue;
		n++;
	}
	return n;
}

int notes_notation_read(notes_notation *nt, tex_block **blocks, size_t nblocks,
                        const char *text, size_t len, const notes_source *src)
{
	fact facts[MAX_FACTS];
	size_t nfacts = 0, sizes[2][4], nsizes = 0, per;
	constant consts[MAX_FACTS];
	size_t nconsts = 0;
	forward fw = {0}, wf = {0};
	int base = 1, wrapped_line = 0, wrapped_col = 0;
	char wrapped[64] = "";
	char act_in[64] = "", pre_in[64] = "", act_out[64] = "";
	const char *act_fn = "f";
	int act_in_line = 0, act_in_col = 0;
	char losses[8][16];
	int counts[8] = {0};
	size_t nloss = 0;
	dv_strbuf b;

	memset(nt, 0, sizeof *nt);
	nt->star = -1;
	/* the constants first (H = W = 4): sizes may be written with them */
	for (size_t i = 0; i < nblocks; i++)
		for (size_t c = 0; blocks[i] != NULL && c < blocks[i]->nchains; c++) {
			const tex_chain *ch = &blocks[i]->chains[c];
			if (ch->problem.code == DV_OK && ch->nsides >= 2 &&
			    read_constants(ch, consts, &nconsts, MAX_FACTS))
				nt->nconst_chains++;
		}
	{
		constants kc = {consts, nconsts};
		read_sizes(facts, &nfacts, text, len, src, blocks, &kc);
	}
	for (size_t i = 0; i < nblocks; i++) {
		if (blocks[i] == NULL)
			continue;
		for (size_t c = 0; c < blocks[i]->nchains; c++) {
			const tex_chain *ch = &blocks[i]->chains[c];
			forward f;
			char a[64], z[64];
			if (ch->problem.code != DV_OK)
				continue;
			for (size_t s = 0; s < ch->nsides; s++) {
				count_losses(ch->sides[s].tree, losses, counts, &nloss);
				if (builtin_letters(ch->sides[s].tree))
					nt->seed_letters = 1;
			}
			if (ch->nsides < 2 || ch->sides[0].tree == NULL || ch->sides[1].tree == NULL)
				continue;
			if (ch->nsides > 2 && !activation_of(ch->sides[0].tree, ch->sides[1].tree, a, z,
			                                     sizeof a))
				continue; /* A = ReLU(Z) = max(0, Z): the activation's first step */
			if (fw.kind != 0 && fw.kind != 5 &&
			    index_form_of(ch->sides[0].tree, ch->sides[1].tree, &f, &base) &&
			    strcmp(f.out, fw.out) == 0) {
				/* Y = X \star K, then Y_{i,j} = \sum ... X_{i+a-1, j+b-1} K_{a,b}:
				 * the index form says what * is (a + flips nothing) */
				if (fw.kind == 1 && f.sign != 0)
					fw.kind = f.sign > 0 ? 3 : 2;
				if (add_used(nt, ch->sides[0].line, ch->sides[0].column) != 0)
					return DV_E_NOMEM;
			} else if (fw.kind == 0 &&
			           (forward_of(ch->sides[0].tree, ch->sides[1].tree, &f) ||
			            index_form_of(ch->sides[0].tree, ch->sides[1].tree, &f,
			                          &nt->base))) {
				fw = f;
				fw.line = ch->sides[0].line;
				fw.column = ch->sides[0].column;
				if (fw.kind == 5) {
					nt->index_def = ch;
					nt->index_block = i;
				}
			} else if (zero_outside(ch, nt)) {
				if (add_used(nt, ch->sides[0].line, ch->sides[0].column) != 0)
					return DV_E_NOMEM;
			} else if (wrapped[0] == '\0' && wrapped_forward(ch, &f)) {
				/* x^l = f(x^{l-1} * k^l + b^l): the output's activation, its
				 * pre-activation named later (or never) */
				wf = f;
				snprintf(wrapped, sizeof wrapped, "%s", f.out);
				wrapped_line = ch->sides[0].line;
				wrapped_col = ch->sides[0].column;
			} else if (activation_of(ch->sides[0].tree, ch->sides[1].tree, a, z,
			                         sizeof a)) {
				if (act_in[0] == '\0' && fw.kind != 0 && strcmp(a, fw.in) == 0) {
					snprintf(act_in, sizeof act_in, "%s", a);
					snprintf(pre_in, sizeof pre_in, "%s", z);
					act_in_line = ch->sides[0].line;
					act_in_col = ch->sides[0].column;
				} else if (fw.kind != 0 && strcmp(z, fw.out) == 0 && act_out[0] == '\0') {
					snprintf(act_out, sizeof act_out, "%s", a);
					act_fn = activation_fn(ch->sides[1].tree);
					if (add_used(nt, ch->sides[0].line, ch->sides[0].column) != 0)
						return DV_E_NOMEM;
				}
			}
		}
	}
	/* the wrapped forward pass, the same as the named one: its left side is
	 * the output's activation */
	if (fw.kind != 0 && wrapped[0] != '\0' && act_out[0] == '\0' &&
	    strcmp(wf.in, fw.in) == 0 && strcmp(wf.kernel, fw.kernel) == 0 &&
	    strcmp(wf.bias, fw.bias) == 0 && strcmp(wrapped, fw.out) != 0) {
		snprintf(act_out, sizeof act_out, "%s", wrapped);
		if (add_used(nt, wrapped_line, wrapped_col) != 0)
			return DV_E_NOMEM;
	}
	/* δ = ∂L/∂z: what the scene's δ is, said by the file */
	for (size_t i = 0; i < nblocks && fw.kind != 0; i++)
		for (size_t c = 0; blocks[i] != NULL && c < blocks[i]->nchains; c++) {
			const tex_chain *ch = &blocks[i]->chains[c];
			const tex_node *l, *r;
			if (ch->problem.code != DV_OK || ch->nsides < 2)
				continue;
			l = bare(ch->sides[0].tree);
			r = bare(ch->sides[1].tree);
			char ia, ib;
			if (l != NULL && r != NULL && l->kind == TX_SYM &&
			    (l->sub == NULL || l->applied || l->sub->kind == TX_LIST ||
			     index_letters(l->sub, &ia, &ib)) &&
			    (strcmp(l->text, "delta") == 0 || strcmp(l->text, "Delta") == 0) &&
			    ((r->kind == TX_FRAC && bare(r->kids[0])->kind == TX_PARTIAL) ||
			     (r->kind == TX_MUL && r->op == TX_SLASH &&
			      bare(r->kids[0])->kind == TX_PARTIAL))) {
				if (add_used(nt, ch->sides[0].line, ch->sides[0].column) != 0)
					return DV_E_NOMEM;
				if (strcmp(l->text, "delta") != 0 && l->sup == NULL)
					snprintf(nt->delta_name, sizeof nt->delta_name, "%s", l->text);
			}
		}
	/* an activation written before the forward pass */
	for (size_t i = 0; i < nblocks && fw.kind != 0 && act_in[0] == '\0'; i++)
		for (size_t c = 0; blocks[i] != NULL && c < blocks[i]->nchains; c++) {
			const tex_chain *ch = &blocks[i]->chains[c];
			char a[64], z[64];
			if (ch->problem.code == DV_OK && ch->nsides == 2 &&
			    activation_of(ch->sides[0].tree, ch->sides[1].tree, a, z, sizeof a) &&
			    strcmp(a, fw.in) == 0) {
				snprintf(act_in, sizeof act_in, "%s", a);
				snprintf(pre_in, sizeof pre_in, "%s", z);
				act_in_line = ch->sides[0].line;
				act_in_col = ch->sides[0].column;
				break;
			}
		}
	if (fw.kind == 0)
		return DV_OK;
	nt->found = 1;
	{
		/* K * X with the kernel first: the larger operand is the input */
		const fact *a = size_of(facts, nfacts, fw.in), *k = size_of(facts, nfacts, fw.kernel);
		if (fw.kind != 4 && fw.kind != 5 && a != NULL && k != NULL &&
		    a->rows * a->cols < k->rows * k->cols) {
			char t[64];
			memcpy(t, fw.in, sizeof t);
			memcpy(fw.in, fw.kernel, sizeof t);
			memcpy(fw.kernel, t, sizeof t);
		}
	}
	for (size_t i = 0, best = 0; i < nloss; i++)
		if (counts[i] > (int)best) {
			best = (size_t)counts[i];
			snprintf(nt->loss, sizeof nt->loss, "%.15s", losses[i]);
		}
	snprintf(nt->output, sizeof nt->output, "%s", fw.out);
	snprintf(nt->input, sizeof nt->input, "%s", fw.in);
	snprintf(nt->kernel, sizeof nt->kernel, "%s", fw.kernel);
	if (add_used(nt, fw.line, fw.column) != 0 ||
	    (act_in[0] != '\0' && add_used(nt, act_in_line, act_in_col) != 0))
		return DV_E_NOMEM;
	if (fw.kind == 1) {
		/* "where $*$ is the cross-correlation": the text says what * is */
		int said = star_in_prose(text, len, src, fw.line);
		if (said >= 0)
			fw.kind = said ? 3 : 2;
	}
	nt->star = fw.kind == 2 ? 0 : fw.kind == 3 ? 1 : -1;

	/* the scene, once per reading of * the file leaves open; where the input
	 * is an activation, once with the input free (for ∂L/∂a^{l-1}) and once
	 * as the activation of its pre-activation (for δ^{l-1}) */
	if (fw.kind >= 1 && fw.kind <= 3)
		nsizes = sizes_from_entries(sizes, facts, nfacts, &fw, nt->delta_name, blocks,
		                            nblocks);
	dv_strbuf_init(&b);
	per = (fw.kind == 1 ? 2u : 1u) * (pre_in[0] != '\0' ? 2u : 1u);
	for (size_t k = 0; k < per * (nsizes > 0 ? nsizes : 1); k++) {
		/* one group of scenes per size the entries leave open */
		size_t g = k / per, in_group = k % per;
		int variant = fw.kind == 1 ? (int)(in_group % 2) : 0;
		int composed = pre_in[0] != '\0' && in_group >= (fw.kind == 1 ? 2u : 1u);
		char at[96] = "";
		const fact *si = size_of(facts, nfacts, fw.in);
		const fact *sk = size_of(facts, nfacts, fw.kernel);
		const fact *sb = fw.bias[0] != '\0' ? size_of(facts, nfacts, fw.bias) : NULL;
		size_t ir, ic, kr, kc;
		char taken[128] = "", li[24], lk[24], lz[24], product[160], sum[720];
		const char *op;
		int xcorr = fw.kind == 3 || (fw.kind == 1 && variant == 1);
		if (fw.kind == 4) {
			/* W x + b: x a column, W as many columns as x has rows */
			kr = sk != NULL ? sk->rows : 2;
			kc = sk != NULL ? sk->cols : (si != NULL ? si->rows : 3);
			ir = si != NULL ? si->rows : kc;
			ic = si != NULL ? si->cols : 1;
			op = "*";
		} else if (nsizes > 0) {
			ir = sizes[g][0];
			ic = sizes[g][1];
			kr = sizes[g][2];
			kc = sizes[g][3];
			op = xcorr ? "xcorr" : "conv";
			if (nsizes > 1)
				snprintf(at, sizeof at, ", a %zux%zu input and a %zux%zu kernel", ir, ic,
				         kr, kc);
		} else {
			ir = si != NULL ? si->rows : 4;
			ic = si != NULL ? si->cols : 5;
			kr = sk != NULL ? sk->rows : 2;
			kc = sk != NULL ? sk->cols : 3;
			op = xcorr ? "xcorr" : "conv";
		}
		dv_strbuf_printf(&b, "scene the file's %s (line %d)%s%s%s\n",
		                 fw.kind == 4 ? "layer" : "convolution", fw.line, at,
		                 composed ? ", its input an activation" : "",
		                 fw.kind == 1 ? (variant == 0 ? ", * as convolution"
		                                               : ", * as cross-correlation")
		                              : "");
		if (composed) {
			entry_letter(lz, pre_in, taken);
			strcat(taken, lz);
			dv_strbuf_printf(&b, "matrix %s = %s %zux%zu\n", pre_in, lz, ir, ic);
			dv_strbuf_printf(&b, "define %s = f(%s)\n", fw.in, pre_in);
		} else {
			entry_letter(li, fw.in, taken);
			strcat(taken, li);
			dv_strbuf_printf(&b, "matrix %s = %s %zux%zu\n", fw.in, li, ir, ic);
		}
		if (fw.kernel[0] != '\0') {
			entry_letter(lk, fw.kernel, taken);
			strcat(taken, lk);
			dv_strbuf_printf(&b, "matrix %s = %s %zux%zu\n", fw.kernel, lk, kr, kc);
		}
		for (int c = 0; c < fw.nmore; c++) {
			/* the further channels: their sizes, else the first one's */
			const fact *mi = size_of(facts, nfacts, fw.more_in[c]);
			const fact *mk = size_of(facts, nfacts, fw.more_kernel[c]);
			char l1[24], l2[24];
			entry_letter(l1, fw.more_in[c], taken);
			strcat(taken, l1);
			entry_letter(l2, fw.more_kernel[c], taken);
			strcat(taken, l2);
			/* like the first: the sizes move together when checked */
			if (mi == NULL || (mi->rows == ir && mi->cols == ic))
				dv_strbuf_printf(&b, "matrix %s = %s like %s\n", fw.more_in[c], l1,
				                 composed ? pre_in : fw.in);
			else
				dv_strbuf_printf(&b, "matrix %s = %s %zux%zu\n", fw.more_in[c], l1,
				                 mi->rows, mi->cols);
			if (mk == NULL || (mk->rows == kr && mk->cols == kc))
				dv_strbuf_printf(&b, "matrix %s = %s like %s\n", fw.more_kernel[c], l2,
				                 fw.kernel);
			else
				dv_strbuf_printf(&b, "matrix %s = %s %zux%zu\n", fw.more_kernel[c], l2,
				                 mk->rows, mk->cols);
		}
		if (fw.bias[0] != '\0') {
			if (sb != NULL && (sb->rows > 1 || sb->cols > 1))
				dv_strbuf_printf(&b, "matrix %s = %c %zux%zu\n", fw.bias,
				                 (char)tolower((unsigned char)fw.bias[0]), sb->rows,
				                 sb->cols);
			else if (fw.kind == 4)
				dv_strbuf_printf(&b, "matrix %s = %c %zux1\n", fw.bias,
				                 (char)tolower((unsigned char)fw.bias[0]), kr);
			else
				dv_strbuf_printf(&b, "scalar %s\n", fw.bias);
		}
		for (size_t c = 0; c < nconsts; c++) /* H = 4: what index ranges use */
			if (strcmp(consts[c].name, fw.in) != 0 && strcmp(consts[c].name, fw.kernel) != 0 &&
			    strcmp(consts[c].name, fw.bias) != 0 && strcmp(consts[c].name, fw.out) != 0)
				dv_strbuf_printf(&b, "define %s = %ld\n", consts[c].name, consts[c].value);
		if (fw.kind == 5) {
			/* the output, δ and E follow once the reader has expanded the
			 * index form in this scene */
			dv_strbuf_puts(&b, "\n");
			continue;
		}
		if (fw.kind == 4)
			snprintf(product, sizeof product, "%s * %s", fw.kernel, fw.in);
		else
			snprintf(product, sizeof product, "%s(%s, %s)", op, fw.in, fw.kernel);
		if (fw.nmore > 0) {
			/* δ has one channel's size: the sum's first product */
			char first[160];
			memcpy(first, product, sizeof first);
			snprintf(sum, sizeof sum, "%s", first);
			for (int c = fw.nmore; c-- > 0;) {
				size_t n = strlen(sum);
				snprintf(sum + n, sizeof sum - n, " + %s(%s, %s)", op, fw.more_in[c],
				         fw.more_kernel[c]);
			}
		}
		/* δ first: a variable's size may not name a definition (the input's
		 * pre-activation has the input's size) */
		if (composed && fw.kind != 4)
			dv_strbuf_printf(&b, "matrix delta = d like %s(%s, %s)\n", op, pre_in,
			                 fw.kernel);
		else if (composed)
			dv_strbuf_printf(&b, "matrix delta = d like %s * %s\n", fw.kernel, pre_in);
		else
			dv_strbuf_printf(&b, "matrix delta = d like %s\n", product);
		dv_strbuf_printf(&b, "define %s = %s%s%s\n", fw.out, fw.nmore > 0 ? sum : product,
		                 fw.bias[0] != '\0' ? " + " : "", fw.bias);
		if (act_out[0] != '\0')
			dv_strbuf_printf(&b, "define %s = %s(%s)\n", act_out, act_fn, fw.out);
		dv_strbuf_printf(&b, "define E = sum(delta .* %s)\n", fw.out);
		if (composed) {
			/* the layer before's δ, by the notes' own suffix */
			const char *suffix = strrchr(pre_in, '_');
			if (suffix != NULL && strcmp(suffix, "_prev") == 0)
				dv_strbuf_printf(&b, "define delta_prev = grad(E, %s)\n", pre_in);
		}
		dv_strbuf_puts(&b, "\n");
	}
	if (act_out[0] != '\0' && fw.kind != 5 && fw.kind != 4) {
		/* the gradient arriving at the output's activation: Z free, A =
		 * act(Z), E linear in A (once a reading of *, so that the scenes
		 * still come in pairs) */
		const fact *si = size_of(facts, nfacts, fw.in), *sk = size_of(facts, nfacts, fw.kernel);
		size_t ir = nsizes > 0 ? sizes[0][0] : si != NULL ? si->rows : 4;
		size_t ic = nsizes > 0 ? sizes[0][1] : si != NULL ? si->cols : 5;
		size_t kr = nsizes > 0 ? sizes[0][2] : sk != NULL ? sk->rows : 2;
		size_t kc = nsizes > 0 ? sizes[0][3] : sk != NULL ? sk->cols : 3;
		size_t orow = ir >= kr ? ir - kr + 1 : 1, ocol = ic >= kc ? ic - kc + 1 : 1;
		for (int k = 0; k < (fw.kind == 1 ? 2 : 1); k++)
			dv_strbuf_printf(&b,
			                 "scene the file's activation %s (line %d)\n"
			                 "matrix %s = z %zux%zu\nmatrix delta = d %zux%zu\n"
			                 "define %s = %s(%s)\ndefine E = sum(delta .* %s)\n\n",
			                 act_out, fw.line, fw.out, orow, ocol, orow, ocol, act_out,
			                 act_fn, fw.out, act_out);
		snprintf(nt->activation, sizeof nt->activation, "%s", act_out);
	}
	nt->variants = fw.kind == 1 ? 2 : 1; /* scenes alternate: variant k % 2 */
	{
		const fact *so = size_of(facts, nfacts, fw.out);
		if (so != NULL) {
			nt->out_rows = so->rows;
			nt->out_cols = so->cols;
		}
	}
	if (dv_strbuf_finish(&b, &nt->scenes, NULL) != DV_OK)
		return DV_E_NOMEM;
	return DV_OK;
}

int notes_constant_chain(const tex_chain *ch)
{
	constant c[8];
	size_t n = 0;
	return ch->problem.code == DV_OK && ch->nsides >= 2 && read_constants(ch, c, &n, 8);
}

int notes_notation_used(const notes_notation *nt, int line, int column)
{
	if (nt->builtin)
		return 0; /* the built-in scenes read them, as claims */
	for (size_t i = 0; i < nt->nused; i++)
		if (nt->used[i].line == line && nt->used[i].column == column)
			return 1;
	return 0;
}

void notes_notation_clear(notes_notation *nt)
{
	free(nt->scenes);
	free(nt->used);
	memset(nt, 0, sizeof *nt);
}
