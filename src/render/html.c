#include "render/html.h"

#include <errno.h>
#include <fcntl.h>
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest KaTeX file inlined (its script is 270 KB). */
#define KATEX_MAX_BYTES ((size_t)4 << 20)

static const char page_style[] =
        "body{font:16px/1.5 Georgia,'Noto Serif','Noto Serif CJK SC','WenQuanYi Micro Hei',"
        "serif;max-width:52em;margin:2em auto;"
        "padding:0 1em;color:#111;background:#fff}"
        "code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:90%}"
        "pre{background:#f4f4f4;padding:.5em;overflow-x:auto}"
        "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em;color:#333}"
        ".math.display{display:block;margin:.6em 0;overflow-x:auto}"
        ".summary{border:1px solid #999;padding:.5em 1em;margin-bottom:1.5em}"
        /* a mark and a word, never colour alone; colours that read in print
         * and for colour-blind readers (blue and orange) */
        ".mark{font-family:sans-serif;font-size:85%;font-weight:bold;white-space:nowrap;"
        "padding:0 .3em;margin-left:.3em;border:1px solid;border-radius:3px;"
        "text-decoration:none}"
        ".holds{color:#0b5394;border-color:#0b5394}"
        ".fails{color:#b45f06;border-color:#b45f06;border-width:2px}"
        ".undecided{color:#555;border-style:dashed}"
        ".unchecked{color:#777;border-color:#bbb}"
        ".note{border-left:4px solid #bbb;margin:.5em 0 1em;padding:.2em 1em;"
        "font-size:95%;background:#fafafa}"
        ".note ul{margin:.2em 0;padding-left:1.2em}"
        ".note li{margin:.3em 0}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
        /* a table's entries to point at: what feeds the entry lights up,
         * marked by a frame and bold type as well as a colour */
        ".grids{margin:.5em 0 1.5em}.grids .row{display:flex;flex-wrap:wrap;gap:1.5em;"
        "align-items:flex-start}.grids .hint{font-size:85%;color:#555;margin:.2em 0}"
        "table.grid caption{font-style:italic}"
        "table.grid td{min-width:2.2em;text-align:right;font-family:sans-serif;"
        "font-size:90%;cursor:pointer}"
        "table.grid td.lit{background:#fce5cd;font-weight:bold;outline:2px solid #b45f06}"
        "table.grid td.cur{background:#cfe2f3;outline:2px solid #0b5394}"
        ".grids .entry{font-family:'DejaVu Sans Mono',monospace;font-size:90%;"
        "min-height:1.5em;overflow-wrap:anywhere}"
        "@media print{.note{background:none}pre{background:none;border:1px solid #ccc}"
        ".grids .hint{display:none}}";

/* Renders every formula once the page and KaTeX are there; a formula KaTeX
 * cannot read shows as .katex-error, never as a page that stops. */
static const char page_script[] =
        "(function(){var M={};"
        "function r(e,d){try{katex.render(e.textContent,e,{displayMode:d,"
        "throwOnError:false,globalGroup:true,macros:M,strict:'ignore'});}"
        "catch(x){e.className+=' math-error';}}"
        "document.querySelectorAll('.math').forEach(function(e){"
        "r(e,e.classList.contains('display'));});"
        "document.querySelectorAll('x-equation').forEach(function(e){"
        "r(e,e.getAttribute('type')==='display');});"
        /* pointing at an entry of a table's grids: the entries that share
         * its symbols, in the matrices on the other side, light up */
        "document.querySelectorAll('.grids').forEach(function(g){"
        "var cs=g.querySelectorAll('td[data-s]');"
        "function off(){cs.forEach(function(o){o.classList.remove('lit','cur');});}"
        "function on(c){off();var m=c.getAttribute('data-s').split(' '),"
        "res=c.closest('table').classList.contains('result');c.classList.add('cur');"
        "cs.forEach(function(o){if(o.closest('table').classList.contains('result')===res)"
        "return;if(o.getAttribute('data-s').split(' ').some(function(x){"
        "return x!==''&&m.indexOf(x)>=0;}))o.classList.add('lit');});"
        "var e=g.querySelector('.entry');if(e)e.textContent=c.title;}"
        "cs.forEach(function(c){c.addEventListener('mouseenter',function(){on(c);});"
        "c.addEventListener('focus',function(){on(c);});});"
        "g.addEventListener('mouseleave',off);});"
        /* page.html#e1-2-1-1-1: that entry pointed at when the page opens */
        "if(location.hash.length>1){var h=document.getElementById(location.hash.slice(1));"
        "if(h&&h.matches('td[data-s]'))h.focus();}"
        "document.body.setAttribute('data-math','done');})();";

static const char *katex_dir(void)
{
	const char *dir = getenv("VERIFY_KATEX");
	return dir != NULL && *dir != '\0' ? dir : DV_KATEX_DIR;
}

/* A KaTeX file, whole (a regular file, not waiting on a FIFO). */
static char *read_katex(const char *name, size_t *len, dv_diag *d)
{
	char path[4096];
	struct stat st;
	char *text;
	size_t n = 0;
	int fd;

	snprintf(path, sizeof path, "%s/%s", katex_dir(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > KATEX_MAX_BYTES) {
		if (fd >= 0)
			close(fd);
		dv_fail(d, DV_E_IO,
		        "--format html needs KaTeX, and %s is not there (install Debian's "
		        "libjs-katex: apt install libjs-katex; or set VERIFY_KATEX to a "
		        "folder with katex.min.js, katex.min.css and fonts/)",
		        path);
		return NULL;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		dv_fail(d, DV_E_NOMEM, "out of memory");
		return NULL;
	}
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, text + n, (size_t)st.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	text[n] = '\0';
	*len = n;
	return text;
}

static void put_base64(dv_strbuf *b, const unsigned char *s, size_t n)
{
	static const char abc[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[4];
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		out[0] = abc[(v >> 18) & 63];
		out[1] = abc[(v >> 12) & 63];
		out[2] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? abc[v & 63] : '=';
		dv_strbuf_putn(b, out, 4);
	}
}

/*
 * KaTeX's CSS with each font's woff2 inlined as data and its woff and ttf
 * alternatives left out: url(fonts/X.woff2) format('woff2'),url(fonts/X.woff)
 * format('woff'),... becomes url(data:font/woff2;base64,...) format('woff2').
 */
static int put_katex_css(dv_strbuf *b, dv_diag *d)
{
	size_t len;
	char *css = read_katex("katex.min.css", &len, d);
	const char *p, *at;
	if (css == NULL)
		return d->code;
	p = css;
	while ((at = strstr(p, "url(fonts/")) != NULL) {
		const char *name = at + 10, *close = strchr(name, ')');
		char file[256];
		size_t n;
		if (close == NULL)
			break;
		n = (size_t)(close - name);
		if (n >= 6 && n < sizeof file - 6 && memcmp(close - 6, ".woff2", 6) == 0) {
			char *font;
			size_t flen;
			dv_strbuf_putn(b, p, (size_t)(at - p));
			snprintf(file, sizeof file, "fonts/%.*s", (int)n, name);
			if ((font = read_katex(file, &flen, d)) == NULL) {
				free(css);
				return d->code;
			}
			dv_strbuf_puts(b, "url(data:font/woff2;base64,");
			put_base64(b, (const unsigned char *)font, flen);
			dv_strbuf_puts(b, ")");
			free(font);
			p = close + 1;
		} else {
			/* ,url(fonts/X.woff) format('woff'): left out, comma and all */
			const char *comma = at > p && at[-1] == ',' ? at - 1 : at;
			const char *fmt_end = strchr(close + 1, ')');
			dv_strbuf_putn(b, p, (size_t)(comma - p));
			p = fmt_end != NULL && (size_t)(fmt_end - close) < 40 ? fmt_end + 1
			                                                      : close + 1;
		}
	}
	dv_strbuf_puts(b, p);
	free(css);
	return DV_OK;
}

void dv_html_escape(dv_strbuf *b, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '&'   ? "&amp;"
		                : s[i] == '<' ? "&lt;"
		                : s[i] == '>' ? "&gt;"
		                : s[i] == '"' ? "&quot;"
		                              : NULL;
		if (e == NULL)
			continue;
		dv_strbuf_putn(b, s + from, i - from);
		dv_strbuf_puts(b, e);
		from = i + 1;
	}
	dv_strbuf_putn(b, s + from, n - from);
}

int dv_html_begin(dv_strbuf *b, const char *title, dv_diag *d)
{
	int rc;
	dv_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                  "<meta name=\"generator\" content=\"verify\">\n<title>");
	dv_html_escape(b, title, strlen(title));
	dv_strbuf_puts(b, "</title>\n<style>\n");
	if ((rc = put_katex_css(b, d)) != DV_OK)
		return rc;
	dv_strbuf_printf(b, "\n%s\n</style>\n</head>\n<body>\n", page_style);
	return DV_OK;
}

int dv_html_end(dv_strbuf *b, dv_diag *d)
{
	size_t len;
	char *js = read_katex("katex.min.js", &len, d);
	if (js == NULL)
		return d->code;
	dv_strbuf_puts(b, "<script>\n");
	/* a </script> inside the script would end it: KaTeX has none, and one
	 * is written <\/script> */
	for (const char *p = js, *at; *p != '\0'; p = at + 8) {
		if ((at = strstr(p, "</script")) == NULL) {
			dv_strbuf_puts(b, p);
			break;
		}
		dv_strbuf_putn(b, p, (size_t)(at - p));
		dv_strbuf_puts(b, "<\\/script");
	}
	free(js);
	dv_strbuf_printf(b, "\n</script>\n<script>\n%s\n</script>\n</body>\n</html>\n",
	                 page_script);
	return DV_OK;
}

static void md_out(const MD_CHAR *s, MD_SIZE n, void *user)
{
	dv_strbuf_putn(user, s, n);
}

/*
 * A link or image whose address has a scheme other than http, https, mailto
 * or ftp (javascript:, vbscript:, data: ...) is made inert: its first
 * letter becomes '#', a fragment of this page.  Addresses without a scheme
 * (relative ones, #fragments) stay.
 */
static void defuse_urls(char *html)
{
	static const char *const attrs[] = {"href=\"", "src=\""};
	static const char *const safe[] = {"http:", "https:", "mailto:", "ftp:"};
	for (size_t a = 0; a < 2; a++) {
		for (char *p = html; (p = strstr(p, attrs[a])) != NULL;) {
			char *v = p + strlen(attrs[a]), *c = v;
			int ok = 1;
			while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			       (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.' ||
			       *c == ' ' || *c == '\t')
				c++;
			if (*c == ':' && c > v) {
				ok = 0;
				for (size_t k = 0; k < sizeof safe / sizeof safe[0]; k++)
					ok |= strncasecmp(v, safe[k], strlen(safe[k])) == 0;
			}
			if (!ok)
				*v = '#';
			p = v;
		}
	}
}

int dv_html_markdown(dv_strbuf *b, const char *md, size_t n, int math, dv_diag *d)
{
	dv_strbuf out;
	char *html = NULL;
	int rc;
	unsigned flags = MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
	                 MD_FLAG_TASKLISTS | (math ? MD_FLAG_LATEXMATHSPANS : 0);

	dv_strbuf_init(&out);
	if (md_html(md, (MD_SIZE)n, md_out, &out, flags, MD_HTML_FLAG_SKIP_UTF8_BOM) != 0) {
		dv_strbuf_free(&out);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if ((rc = dv_strbuf_finish(&out, &html, d)) != DV_OK)
		return rc;
	defuse_urls(html);
	dv_strbuf_puts(b, html);
	free(html);
	return DV_OK;
}
