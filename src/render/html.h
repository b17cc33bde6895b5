/*
 * html: the page around a report (`--format html`): one file that stands
 * alone, offline.  KaTeX (Debian's libjs-katex) is inlined, its fonts as
 * data, and renders every element of class "math" (or md4c's <x-equation>)
 * when the page opens; Markdown is rendered by md4c's HTML renderer, raw
 * HTML in it escaped (a page may be uploaded to a course site).
 */
#ifndef DV_RENDER_HTML_H
#define DV_RENDER_HTML_H

#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"

/* Where KaTeX is read from: $VERIFY_KATEX, else Debian's libjs-katex. */
#define DV_KATEX_DIR "/usr/share/javascript/katex"

/* The head (title, styles, KaTeX's CSS with its fonts) and <body>; fails
 * with DV_E_IO, saying how to install KaTeX, when it is not there. */
int dv_html_begin(dv_strbuf *b, const char *title, dv_diag *d);
/* KaTeX's script, the script that renders the math, </body></html>. */
int dv_html_end(dv_strbuf *b, dv_diag *d);
/* Text as HTML: & < > " escaped. */
void dv_html_escape(dv_strbuf *b, const char *s, size_t n);
/* Markdown as HTML (md4c; raw HTML escaped; $...$ and $$...$$ kept for
 * KaTeX when math is set). */
int dv_html_markdown(dv_strbuf *b, const char *md, size_t n, int math, dv_diag *d);

#endif
