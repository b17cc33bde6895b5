/*
 * unicode: a formula's LaTeX as a terminal shows it, \frac{\partial
 * E}{\partial K_{r,s}} as ∂E/∂Kᵣ,ₛ.  Read token by token, not parsed: any
 * text gives some text, what is not known is left as written.
 */
#include "tex/tex.h"

#include <stdlib.h>
#include <string.h>

/* Deeper groups than this are copied as they are. */
#define MAX_DEPTH 32

static const struct named {
	const char *cmd, *text;
} named[] = {
        {"alpha", "α"},      {"beta", "β"},       {"gamma", "γ"},     {"Gamma", "Γ"},
        {"delta", "δ"},      {"Delta", "Δ"},      {"epsilon", "ε"},   {"varepsilon", "ε"},
        {"zeta", "ζ"},       {"eta", "η"},        {"theta", "θ"},     {"kappa", "κ"},
        {"lambda", "λ"},     {"mu", "μ"},         {"nu", "ν"},        {"xi", "ξ"},
        {"pi", "π"},         {"rho", "ρ"},        {"sigma", "σ"},     {"Sigma", "Σ"},
        {"tau", "τ"},        {"phi", "φ"},        {"varphi", "φ"},    {"Phi", "Φ"},
        {"chi", "χ"},        {"psi", "ψ"},        {"omega", "ω"},     {"Omega", "Ω"},
        {"ell", "ℓ"},        {"partial", "∂"},    {"nabla", "∇"},     {"bigtriangledown", "∇"},
        {"sum", "Σ"},        {"prod", "Π"},       {"cdot", "·"},      {"times", "×"},
        {"circ", "∘"},       {"odot", "⊙"},       {"ast", "∗"},       {"star", "⋆"},
        {"otimes", "⊗"},     {"oplus", "⊕"},      {"in", "∈"},        {"notin", "∉"},
        {"le", "≤"},         {"leq", "≤"},        {"ge", "≥"},        {"geq", "≥"},
        {"ne", "≠"},         {"neq", "≠"},        {"approx", "≈"},    {"equiv", "≡"},
        {"to", "→"},         {"rightarrow", "→"}, {"Rightarrow", "⇒"}, {"infty", "∞"},
        {"prime", "′"},      {"cdots", "⋯"},      {"ldots", "…"},     {"dots", "…"},
        {"max", "max"},      {"min", "min"},      {"exp", "exp"},     {"log", "log"},
        {"tanh", "tanh"},    {"forall", "∀"},     {"mid", "|"},       {"top", "ᵀ"},
        {"left", ""},        {"right", ""},       {"big", ""},        {"Big", ""},
        {"bigl", ""},        {"bigr", ""},        {"Bigl", ""},       {"Bigr", ""},
        {"displaystyle", ""}, {"quad", " "},      {"qquad", " "},
};

/* Commands whose argument is words, shown as written: \text{'full'}. */
static const char *const words[] = {"operatorname", "text", "textbf", "textrm", "mbox"};
/* Commands whose argument is math in another font: \mathbf{x} is x. */
static const char *const wrappers[] = {"mathrm", "mathbf", "boldsymbol", "mathit",
                                       "mathbb", "mathcal", "bm"};

/* Subscript and superscript forms of the ASCII characters that have one. */
static const char *sub_of(char c)
{
	static const char *const digit[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
	static const struct {
		char c;
		const char *s;
	} other[] = {{'+', "₊"}, {'-', "₋"}, {'=', "₌"}, {'(', "₍"}, {')', "₎"}, {'a', "ₐ"},
	             {'e', "ₑ"}, {'h', "ₕ"}, {'i', "ᵢ"}, {'j', "ⱼ"}, {'k', "ₖ"}, {'l', "ₗ"},
	             {'m', "ₘ"}, {'n', "ₙ"}, {'o', "ₒ"}, {'p', "ₚ"}, {'r', "ᵣ"}, {'s', "ₛ"},
	             {'t', "ₜ"}, {'u', "ᵤ"}, {'v', "ᵥ"}, {'x', "ₓ"}, {',', ","}};
	if (c >= '0' && c <= '9')
		return digit[c - '0'];
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (other[i].c == c)
			return other[i].s;
	return NULL;
}

static const char *sup_of(char c)
{
	static const char *const digit[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
	static const char *const lower[] = {"ᵃ", "ᵇ", "ᶜ", "ᵈ", "ᵉ", "ᶠ", "ᵍ", "ʰ", "ⁱ",
	                                    "ʲ", "ᵏ", "ˡ", "ᵐ", "ⁿ", "ᵒ", "ᵖ", NULL, "ʳ",
	                                    "ˢ", "ᵗ", "ᵘ", "ᵛ", "ʷ", "ˣ", "ʸ", "ᶻ"};
	if (c >= '0' && c <= '9')
		return digit[c - '0'];
	if (c >= 'a' && c <= 'z')
		return lower[c - 'a'];
	switch (c) {
	case '+':
		return "⁺";
	case '-':
		return "⁻";
	case '=':
		return "⁼";
	case '(':
		return "⁽";
	case ')':
		return "⁾";
	case 'T':
		return "ᵀ";
	case ',':
		return ",";
	case '\'':
		return "′";
	default:
		return NULL;
	}
}

typedef struct reader {
	const char *s, *end;
	int depth;
} reader;

static void convert(dv_strbuf *b, reader *r, int stop_at_brace);

/* A command's name at r->s (after the backslash): letters, or one other
 * character. */
static size_t command_len(const reader *r)
{
	size_t n = 0;
	while (r->s + n < r->end && ((r->s[n] >= 'a' && r->s[n] <= 'z') ||
	                             (r->s[n] >= 'A' && r->s[n] <= 'Z')))
		n++;
	return n > 0 ? n : (r->s < r->end ? 1 : 0);
}

static void skip_spaces(reader *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\n' || *r->s == '\t'))
		r->s++;
}

/* One argument: a group {..}, a command, or one character (UTF-8 whole),
 * converted into b. */
static void argument(dv_strbuf *b, reader *r)
{
	skip_spaces(r);
	if (r->s >= r->end)
		return;
	if (*r->s == '{') {
		r->s++;
		convert(b, r, 1);
		if (r->s < r->end && *r->s == '}')
			r->s++;
		return;
	}
	if (*r->s == '\\') {
		reader one = {r->s, r->end, r->depth};
		size_t n;
		one.s++;
		n = command_len(&one);
		one.end = one.s + n;
		one.s = r->s;
		r->s += 1 + n;
		convert(b, &one, 0);
		return;
	}
	{
		size_t n = 1;
		while (r->s + n < r->end && ((unsigned char)r->s[n] & 0xC0) == 0x80)
			n++;
		dv_strbuf_putn(b, r->s, n);
		r->s += n;
	}
}

/* An argument as text of its own. */
static char *argument_text(reader *r)
{
	dv_strbuf t;
	char *out = NULL;
	dv_strbuf_init(&t);
	argument(&t, r);
	while (t.len > 0 && t.s[t.len - 1] == ' ') /* { \partial E } */
		t.s[--t.len] = '\0';
	if (dv_strbuf_finish(&t, &out, NULL) != DV_OK)
		return NULL;
	return out;
}

/* Whether text needs parentheses to stand as a numerator or a denominator. */
static int compound(const char *t)
{
	return strpbrk(t, " +-/=") != NULL || strstr(t, "·") != NULL ||
	       strstr(t, "−") != NULL;
}

static void put_wrapped(dv_strbuf *b, const char *t)
{
	if (compound(t))
		dv_strbuf_printf(b, "(%s)", t);
	else
		dv_strbuf_puts(b, t);
}

/* _x or ^x: the argument in small characters when each has one, else as
 * _{...} or ^{...}. */
static void script(dv_strbuf *b, reader *r, int sup)
{
	char *t = argument_text(r);
	int all = t != NULL && t[0] != '\0';
	if (t == NULL) {
		b->failed = 1;
		return;
	}
	for (const char *c = t; *c != '\0' && all; c++)
		all = (sup ? sup_of(*c) : sub_of(*c)) != NULL;
	if (all && strcmp(t, ",") != 0) {
		for (const char *c = t; *c != '\0'; c++)
			dv_strbuf_puts(b, sup ? sup_of(*c) : sub_of(*c));
	} else if (sup && (strcmp(t, "′") == 0 || strcmp(t, "ᵀ") == 0)) {
		dv_strbuf_puts(b, t); /* f^\prime, X^\top */
	} else {
		dv_strbuf_printf(b, "%s{%s}", sup ? "^" : "_", t);
	}
	free(t);
}

static void command(dv_strbuf *b, reader *r)
{
	size_t n;
	r->s++; /* the backslash */
	n = command_len(r);
	if (n == 0)
		return;
	if (n == 1 && !((*r->s >= 'a' && *r->s <= 'z') || (*r->s >= 'A' && *r->s <= 'Z'))) {
		/* \, \; \! \  \\ are spacing; \{ \} \_ \% the character */
		char c = *r->s++;
		if (c == '{' || c == '}' || c == '_' || c == '%' || c == '$' || c == '&' ||
		    c == '#')
			dv_strbuf_putn(b, &c, 1);
		else if (c == '|')
			dv_strbuf_puts(b, "‖");
		else if (c != '!')
			dv_strbuf_puts(b, " ");
		return;
	}
	if ((n == 4 && strncmp(r->s, "frac", 4) == 0) ||
	    (n == 5 && (strncmp(r->s, "dfrac", 5) == 0 || strncmp(r->s, "tfrac", 5) == 0))) {
		char *num, *den;
		r->s += n;
		num = argument_text(r);
		den = num != NULL ? argument_text(r) : NULL;
		if (num == NULL || den == NULL) {
			free(num);
			b->failed = 1;
			return;
		}
		{
			/* a fraction that stands next to another factor in
			 * parentheses: (∂E/∂a)(∂a/∂K), not ∂E/∂a ∂a/∂K */
			const char *next = r->s;
			size_t k = b->len;
			char last;
			int beside;
			while (k > 0 && b->s[k - 1] == ' ')
				k--;
			last = k > 0 ? b->s[k - 1] : ' ';
			while (next < r->end && *next == ' ')
				next++;
			beside = (next < r->end && strchr("\\(", *next) != NULL &&
			          strncmp(next, "\\right", 6) != 0 && strncmp(next, "\\cdot", 5) != 0) ||
			         (next < r->end && ((*next >= 'a' && *next <= 'z') ||
			                            (*next >= 'A' && *next <= 'Z'))) ||
			         last == ')';
			if (beside)
				dv_strbuf_puts(b, "(");
			put_wrapped(b, num);
			dv_strbuf_puts(b, "/");
			put_wrapped(b, den);
			if (beside)
				dv_strbuf_puts(b, ")");
		}
		free(num);
		free(den);
		return;
	}
	if ((n == 4 && strncmp(r->s, "sqrt", 4) == 0) || (n == 3 && strncmp(r->s, "tag", 3) == 0)) {
		/* one argument: \sqrt{t} as √t, \tag{t} as "  (t)" */
		int root = n == 4;
		char *t;
		r->s += n;
		if ((t = argument_text(r)) == NULL) {
			b->failed = 1;
			return;
		}
		if (root) {
			dv_strbuf_puts(b, "√");
			put_wrapped(b, t);
		} else {
			dv_strbuf_printf(b, "  (%s)", t);
		}
		free(t);
		return;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && strncmp(r->s, words[i], n) == 0) {
			const char *from;
			int depth = 0;
			r->s += n;
			skip_spaces(r);
			if (r->s >= r->end || *r->s != '{') {
				argument(b, r);
				return;
			}
			for (from = ++r->s; r->s < r->end && (*r->s != '}' || depth > 0); r->s++)
				depth += *r->s == '{' ? 1 : *r->s == '}' ? -1 : 0;
			dv_strbuf_putn(b, from, (size_t)(r->s - from));
			if (r->s < r->end)
				r->s++; /* its '}' */
			return;
		}
	for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++)
		if (strlen(wrappers[i]) == n && strncmp(r->s, wrappers[i], n) == 0) {
			r->s += n;
			argument(b, r);
			return;
		}
	/* the spaces after a control word only end it (\partial E is ∂E) */
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i].cmd) == n && strncmp(r->s, named[i].cmd, n) == 0) {
			int spaced = b->len > 0 && b->s[b->len - 1] == ' ';
			r->s += n;
			dv_strbuf_puts(b, named[i].text);
			skip_spaces(r);
			/* an operator spaced before is spaced after: x \in M, x ∈ M */
			if (spaced && named[i].text[0] != '\0' &&
			    strstr(" · × ∘ ⊙ ∗ ⋆ ⊗ ⊕ ∈ ∉ ≤ ≥ ≠ ≈ ≡ → ⇒ | ", named[i].text) != NULL)
				dv_strbuf_puts(b, " ");
			return;
		}
	dv_strbuf_putn(b, r->s, n); /* \conv: its name */
	r->s += n;
	skip_spaces(r);
}

static void convert(dv_strbuf *b, reader *r, int stop_at_brace)
{
	if (++r->depth > MAX_DEPTH) {
		/* nested past reason: the rest as written */
		dv_strbuf_putn(b, r->s, (size_t)(r->end - r->s));
		r->s = r->end;
		r->depth--;
		return;
	}
	while (r->s < r->end && !b->failed) {
		char c = *r->s;
		if (c == '}') {
			if (stop_at_brace)
				break;
			r->s++;
		} else if (c == '{') {
			r->s++;
			convert(b, r, 1);
			if (r->s < r->end && *r->s == '}')
				r->s++;
		} else if (c == '\\') {
			command(b, r);
		} else if (c == '_' || c == '^') {
			r->s++;
			script(b, r, c == '^');
		} else if (c == '\'') {
			r->s++;
			dv_strbuf_puts(b, "′"); /* f' is f′ */
		} else if (c == '~' || c == '&' || c == '\n' || c == '\t') {
			r->s++;
			dv_strbuf_puts(b, " ");
		} else if (c == ' ') {
			/* runs of spaces as one */
			while (r->s < r->end && *r->s == ' ')
				r->s++;
			if (b->len > 0 && b->s[b->len - 1] != ' ')
				dv_strbuf_puts(b, " ");
		} else {
			dv_strbuf_putn(b, r->s, 1);
			r->s++;
		}
	}
	r->depth--;
}

void tex_to_unicode(dv_strbuf *b, const char *latex)
{
	reader r = {latex, latex + strlen(latex), 0};
	convert(b, &r, 0);
}
