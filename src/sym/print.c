#include "sym/print.h"

#include <stdlib.h>
#include <string.h>

static const char *const default_order[] = {"d", "delta", "x", NULL};

/* Greek names and how they print in Unicode and LaTeX. */
static const struct greek {
	const char *name, *unicode, *latex;
} greek[] = {
        {"d", "\xce\xb4", "\\delta"},       {"delta", "\xce\xb4", "\\delta"},
        {"alpha", "\xce\xb1", "\\alpha"},   {"beta", "\xce\xb2", "\\beta"},
        {"gamma", "\xce\xb3", "\\gamma"},   {"eta", "\xce\xb7", "\\eta"},
        {"lambda", "\xce\xbb", "\\lambda"}, {"sigma", "\xcf\x83", "\\sigma"},
        {"theta", "\xce\xb8", "\\theta"},
};

static const struct greek *find_greek(const char *name)
{
	/* most names are one Latin letter: x, k, n */
	if (strchr("dabgelst", name[0]) == NULL || name[0] == '\0')
		return NULL;
	for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
		if (strcmp(greek[i].name, name) == 0)
			return &greek[i];
	return NULL;
}

static const char *const *order_of(const sym_print_opts *o)
{
	return o->order != NULL ? o->order : default_order;
}

static int order_index(const sym_print_opts *o, const char *name)
{
	const char *const *ord = order_of(o), *label = sym_map_label(name);
	/* the maps x_1, x_2 of a layer stand where x does */
	size_t n = label != NULL ? (size_t)(label - 1 - name) : strlen(name);
	int i = 0;
	for (; ord[i] != NULL; i++)
		if (strncmp(ord[i], name, n) == 0 && ord[i][n] == '\0')
			return i;
	return i; /* after every listed name */
}

static int atom_rank(const sym_atom *a, const sym_print_opts *o)
{
	switch (a->kind) {
	case SYM_SCALAR:
		return 0;
	case SYM_ENTRY:
		return 1 + order_index(o, a->name);
	case SYM_APPLY:
	default:
		return 1000;
	}
}

typedef struct order_ctx {
	const sym_ctx *ctx;
	const sym_print_opts *o;
} order_ctx;

static int atom_cmp(const order_ctx *oc, uint32_t x, uint32_t y)
{
	const sym_atom *a = sym_ctx_atom(oc->ctx, x), *b = sym_ctx_atom(oc->ctx, y);
	int ra = atom_rank(a, oc->o), rb = atom_rank(b, oc->o), c;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->deriv != b->deriv)
		return a->deriv < b->deriv ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* A term's factors in display order, and where its non-scalars start. */
typedef struct shown {
	const sym_term *t;
	uint32_t atom[SYM_MAX_DEGREE];
	uint32_t first; /* first factor that is not a scalar */
} shown;

static void sort_factors(const order_ctx *oc, shown *s)
{
	const sym_term *t = s->t;
	memcpy(s->atom, t->atom, sizeof s->atom);
	for (uint32_t i = 1; i < t->deg; i++) /* insertion sort: deg <= 8 */
		for (uint32_t j = i;
		     j > 0 && atom_cmp(oc, s->atom[j - 1], s->atom[j]) > 0; j--) {
			uint32_t tmp = s->atom[j];
			s->atom[j] = s->atom[j - 1];
			s->atom[j - 1] = tmp;
		}
	s->first = 0;
	while (s->first < t->deg &&
	       sym_ctx_atom(oc->ctx, s->atom[s->first])->kind == SYM_SCALAR)
		s->first++;
}

static int shown_cmp(const order_ctx *oc, const shown *a, const shown *b)
{
	uint32_t na = a->t->deg - a->first, nb = b->t->deg - b->first;
	int c;
	/* terms of scalars alone (a bias b, a constant) come last */
	if ((na == 0) != (nb == 0))
		return na == 0 ? 1 : -1;
	for (uint32_t i = 0; i < na && i < nb; i++)
		if ((c = atom_cmp(oc, a->atom[a->first + i], b->atom[b->first + i])) != 0)
			return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	for (uint32_t i = 0; i < a->first && i < b->first; i++)
		if ((c = atom_cmp(oc, a->atom[i], b->atom[i])) != 0)
			return c;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return 0;
}

static void merge_sort(const order_ctx *oc, shown *v, shown *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;
	if (n < 2)
		return;
	merge_sort(oc, v, tmp, h);
	merge_sort(oc, v + h, tmp, n - h);
	while (i < h || j < n)
		tmp[k++] = (j == n || (i < h && shown_cmp(oc, &v[i], &v[j]) <= 0))
		                   ? v[i++]
		                   : v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static const char *const sub_digit[] = {
        "\xe2\x82\x80", "\xe2\x82\x81", "\xe2\x82\x82", "\xe2\x82\x83", "\xe2\x82\x84",
        "\xe2\x82\x85", "\xe2\x82\x86", "\xe2\x82\x87", "\xe2\x82\x88", "\xe2\x82\x89"};
static const char *const sup_digit[] = {
        "\xe2\x81\xb0", "\xc2\xb9",     "\xc2\xb2",     "\xc2\xb3",     "\xe2\x81\xb4",
        "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9"};

static const char *const plain_digit[] = {"0", "1", "2", "3", "4",
                                          "5", "6", "7", "8", "9"};

/* v in decimal, each digit as digits[] spells it (printing tables is hot:
 * no printf here) */
static void put_digits(dv_strbuf *b, size_t v, const char *const *digits)
{
	char buf[24];
	size_t n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		dv_strbuf_puts(b, digits[buf[--n] - '0']);
}

static void put_indices(dv_strbuf *b, size_t row, size_t col, sym_style style)
{
	int wide = row >= 10 || col >= 10;
	const char *const *digits = style == SYM_UNICODE ? sub_digit : plain_digit;

	if (style == SYM_ASCII && wide)
		dv_strbuf_puts(b, "_{");
	put_digits(b, row, digits);
	if (wide)
		dv_strbuf_puts(b, ",");
	put_digits(b, col, digits);
	if (style == SYM_ASCII && wide)
		dv_strbuf_puts(b, "}");
}

/*
 * A name with a map label (x_2, k_21, or a table's ∂E/∂x_2): what comes
 * before its letters, then the letters with the label as a subscript,
 * in parentheses when entry indices follow: (x₂)₁₁, (x_{2})_{11}; in ASCII
 * the label joins the letters, x2.  0 when the name has no label.
 */
static int put_map_name(dv_strbuf *b, const char *name, sym_style style, int paren)
{
	const char *label = sym_map_label(name);
	char letters[SYM_NAME_MAX];
	size_t end, start;
	const struct greek *g;

	if (label == NULL)
		return 0;
	end = start = (size_t)(label - 1 - name);
	while (start > 0 && ((name[start - 1] >= 'a' && name[start - 1] <= 'z') ||
	                     (name[start - 1] >= 'A' && name[start - 1] <= 'Z')))
		start--;
	if (end - start >= sizeof letters)
		start = end - (sizeof letters - 1);
	memcpy(letters, name + start, end - start);
	letters[end - start] = '\0';
	dv_strbuf_putn(b, name, start);
	if (style == SYM_ASCII) {
		dv_strbuf_puts(b, letters);
		dv_strbuf_puts(b, label);
		return 1;
	}
	g = find_greek(letters);
	if (paren)
		dv_strbuf_puts(b, "(");
	if (style == SYM_LATEX) {
		dv_strbuf_puts(b, g != NULL ? g->latex : letters);
		dv_strbuf_printf(b, "_{%s}", label);
	} else {
		dv_strbuf_puts(b, g != NULL ? g->unicode : letters);
		for (const char *s = label; *s != '\0'; s++)
			dv_strbuf_puts(b, sub_digit[*s - '0']);
	}
	if (paren)
		dv_strbuf_puts(b, ")");
	return 1;
}

void sym_name_print(dv_strbuf *b, const char *name, sym_style style)
{
	if (!put_map_name(b, name, style, 0))
		dv_strbuf_puts(b, name);
}

void sym_entry_print(dv_strbuf *b, const char *name, size_t row, size_t col,
                     const sym_print_opts *o)
{
	const struct greek *g = find_greek(name);
	if (o->style == SYM_LATEX) {
		for (const sym_latex_name *l = o->latex_names;
		     l != NULL && l->name != NULL; l++) {
			if (strcmp(l->name, name) == 0) {
				dv_strbuf idx;
				const char *pct = strstr(l->pattern, "%s");
				dv_strbuf_init(&idx);
				put_indices(&idx, row, col, SYM_LATEX);
				if (pct == NULL) {
					dv_strbuf_puts(b, l->pattern);
				} else {
					dv_strbuf_putn(b, l->pattern,
					               (size_t)(pct - l->pattern));
					dv_strbuf_puts(b, idx.s != NULL ? idx.s : "");
					dv_strbuf_puts(b, pct + 2);
				}
				if (idx.failed)
					b->failed = 1;
				dv_strbuf_free(&idx);
				return;
			}
		}
		if (!put_map_name(b, name, SYM_LATEX, 1))
			dv_strbuf_puts(b, g != NULL ? g->latex : name);
		dv_strbuf_puts(b, "_{");
		put_indices(b, row, col, SYM_LATEX);
		dv_strbuf_puts(b, "}");
		return;
	}
	if (put_map_name(b, name, o->style, 1)) {
		/* x2_11, as the answers write it; x2_{10,3} */
		if (o->style == SYM_ASCII && row < 10 && col < 10)
			dv_strbuf_puts(b, "_");
	} else {
		dv_strbuf_puts(b, o->style == SYM_UNICODE && g != NULL ? g->unicode : name);
	}
	put_indices(b, row, col, o->style);
}

static const char *act_text(const sym_atom *a, sym_style style)
{
	if (style == SYM_LATEX) {
		switch (a->act) {
		case DV_ACT_SIGMOID:
			return "\\sigma";
		case DV_ACT_TANH:
			return "\\tanh";
		case DV_ACT_RELU:
			return "\\operatorname{relu}";
		default:
			return a->name;
		}
	}
	if (style == SYM_UNICODE && a->act == DV_ACT_SIGMOID)
		return "\xcf\x83";
	return a->name;
}

/*
 * The f(...) atoms one print has written, each kept as text: a network's
 * entries nest the same arguments many times over, and each is spelled
 * once.
 */
#define APPLY_CACHE 64
typedef struct apply_cache {
	uint32_t id[APPLY_CACHE];
	char *text[APPLY_CACHE];
	size_t len[APPLY_CACHE], n;
} apply_cache;

static void print_poly(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                       const sym_print_opts *o, const sym_values *vals,
                       apply_cache *cache);

/* A number in place of a symbol: "(-4)", or bare where it stands alone. */
static void put_value(dv_strbuf *b, double v, int bare)
{
	if (v == 0.0)
		v = 0.0; /* no "-0" */
	dv_strbuf_printf(b, bare ? "%.6g" : "(%.6g)", v);
}

static void put_apply(dv_strbuf *b, const sym_ctx *ctx, uint32_t id,
                      const sym_print_opts *o, const sym_values *vals, apply_cache *cache)
{
	const sym_atom *a = sym_ctx_atom(ctx, id);
	dv_strbuf t;

	for (size_t k = 0; k < cache->n; k++)
		if (cache->id[k] == id) {
			dv_strbuf_putn(b, cache->text[k], cache->len[k]);
			return;
		}
	dv_strbuf_init(&t);
	dv_strbuf_puts(&t, act_text(a, o->style));
	for (uint32_t i = 0; i < a->deriv; i++)
		dv_strbuf_puts(&t, o->style == SYM_UNICODE ? "\xe2\x80\xb2" : "'");
	dv_strbuf_puts(&t, o->style == SYM_LATEX ? "\\left(" : "(");
	print_poly(&t, a->arg, ctx, o, vals, cache);
	dv_strbuf_puts(&t, o->style == SYM_LATEX ? "\\right)" : ")");
	if (t.failed || t.s == NULL) {
		b->failed = 1;
		dv_strbuf_free(&t);
		return;
	}
	dv_strbuf_putn(b, t.s, t.len);
	if (cache->n < APPLY_CACHE) {
		cache->id[cache->n] = id;
		cache->text[cache->n] = t.s;
		cache->len[cache->n++] = t.len;
	} else {
		dv_strbuf_free(&t);
	}
}

static void put_atom(dv_strbuf *b, const sym_ctx *ctx, uint32_t id,
                     const sym_print_opts *o, const sym_values *vals, apply_cache *cache,
                     int bare)
{
	const sym_atom *a = sym_ctx_atom(ctx, id);
	const struct greek *g;
	double v;

	if (vals != NULL && a->kind != SYM_APPLY && vals->value(vals->ctx, a, &v)) {
		put_value(b, v, bare);
		return;
	}
	switch (a->kind) {
	case SYM_ENTRY:
		sym_entry_print(b, a->name, a->row, a->col, o);
		break;
	case SYM_SCALAR:
		g = find_greek(a->name);
		if (put_map_name(b, a->name, o->style, 0))
			break;
		if (g != NULL && o->style != SYM_ASCII)
			dv_strbuf_puts(b, o->style == SYM_LATEX ? g->latex : g->unicode);
		else
			dv_strbuf_puts(b, a->name);
		break;
	case SYM_APPLY:
		put_apply(b, ctx, id, o, vals, cache);
		break;
	}
}

static int ends_with_letter(const dv_strbuf *b)
{
	char c = b->len > 0 ? b->s[b->len - 1] : '\0';
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the factor at id printed in Unicode needs a · before the next. */
static int plain_multiletter(const sym_ctx *ctx, uint32_t id)
{
	const sym_atom *a = sym_ctx_atom(ctx, id);
	const char *label = sym_map_label(a->name);
	char letters[SYM_NAME_MAX];
	/* b_1 prints b₁, β_2 β₂: their letters decide */
	size_t n = label != NULL ? (size_t)(label - 1 - a->name) : strlen(a->name);
	memcpy(letters, a->name, n);
	letters[n] = '\0';
	return a->kind == SYM_SCALAR && find_greek(letters) == NULL && n > 1;
}

static void put_rat(dv_strbuf *b, sym_rat r, sym_style style, int alone)
{
	if (r.den == 1) {
		dv_strbuf_printf(b, "%lld", (long long)r.num);
		if (!alone && style == SYM_ASCII)
			dv_strbuf_puts(b, "*");
	} else if (style == SYM_LATEX) {
		dv_strbuf_printf(b, "\\frac{%lld}{%lld}", (long long)r.num,
		                 (long long)r.den);
	} else if (alone) {
		dv_strbuf_printf(b, "%lld/%lld", (long long)r.num, (long long)r.den);
	} else {
		dv_strbuf_printf(b, style == SYM_ASCII ? "%lld/%lld*" : "(%lld/%lld)",
		                 (long long)r.num, (long long)r.den);
	}
}

static void put_term(dv_strbuf *b, const sym_ctx *ctx, const shown *s,
                     const sym_print_opts *o, const sym_values *vals, apply_cache *cache,
                     int alone)
{
	const sym_term *t = s->t;
	sym_rat mag = {t->c.num < 0 ? -t->c.num : t->c.num, t->c.den};
	int first = 1;

	if (t->deg == 0) {
		put_rat(b, mag, o->style, 1);
		return;
	}
	if (mag.num != 1 || mag.den != 1)
		put_rat(b, mag, o->style, 0);
	for (uint32_t i = 0; i < t->deg;) {
		uint32_t e = 1;
		while (i + e < t->deg && s->atom[i + e] == s->atom[i])
			e++;
		if (!first) {
			if (o->style == SYM_ASCII)
				dv_strbuf_puts(b, "*");
			else if (o->style == SYM_UNICODE &&
			         plain_multiletter(ctx, s->atom[i - 1]))
				dv_strbuf_puts(b, "\xc2\xb7");
		}
		if (o->style == SYM_LATEX && ends_with_letter(b))
			dv_strbuf_puts(b, " ");
		/* a number alone (the whole polynomial is that one symbol) needs
		 * no parentheses */
		put_atom(b, ctx, s->atom[i], o, vals, cache,
		         alone && t->deg == 1 && mag.num == 1 && mag.den == 1);
		if (e > 1) {
			if (o->style == SYM_UNICODE)
				put_digits(b, e, sup_digit);
			else
				dv_strbuf_printf(
				        b, o->style == SYM_LATEX ? "^{%u}" : "^%u", e);
		}
		first = 0;
		i += e;
	}
}

void sym_poly_print_values(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                           const sym_print_opts *o, const sym_values *vals)
{
	apply_cache cache;
	cache.n = 0;
	print_poly(b, p, ctx, o, vals, &cache);
	for (size_t k = 0; k < cache.n; k++)
		free(cache.text[k]);
}

void sym_poly_print(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                    const sym_print_opts *o)
{
	sym_poly_print_values(b, p, ctx, o, NULL);
}

static void print_poly(dv_strbuf *b, const sym_poly *p, const sym_ctx *ctx,
                       const sym_print_opts *o, const sym_values *vals,
                       apply_cache *cache)
{
	order_ctx oc = {ctx, o};
	size_t n = sym_poly_len(p);
	shown *v, *tmp;

	if (n == 0) {
		dv_strbuf_puts(b, "0");
		return;
	}
	v = malloc(n * sizeof *v);
	tmp = malloc(n * sizeof *tmp);
	if (v == NULL || tmp == NULL) {
		free(v);
		free(tmp);
		b->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].t = &p->t[i];
		sort_factors(&oc, &v[i]);
	}
	merge_sort(&oc, v, tmp, n);
	for (size_t i = 0; i < n; i++) {
		int neg = v[i].t->c.num < 0;
		if (i == 0)
			dv_strbuf_puts(b, neg ? "-" : "");
		else
			dv_strbuf_puts(b, neg ? " - " : " + ");
		put_term(b, ctx, &v[i], o, vals, cache, n == 1 && v[i].t->c.num > 0);
	}
	free(v);
	free(tmp);
}

int sym_poly_format(char **out, const sym_poly *p, const sym_ctx *ctx,
                    const sym_print_opts *o, dv_diag *d)
{
	dv_strbuf b;
	dv_strbuf_init(&b);
	sym_poly_print(&b, p, ctx, o);
	return dv_strbuf_finish(&b, out, d);
}
