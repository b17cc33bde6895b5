/*
 * report: how the command line shows a lesson that ran: text (step by
 * step, with verdicts), JSON (one object per lesson), TAP (one test point
 * per check) and Markdown (with $$ blocks in the notes' notation).
 * Renders only: every verdict and number comes from the lesson result.
 */
#ifndef DV_REPORT_H
#define DV_REPORT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli/print.h"
#include "lesson/run.h"
#include "render/lesson_text.h"

typedef dv_text_opts dv_report_opts;

int dv_report_text(FILE *f, const lesson_result *r, const dv_report_opts *o);
int dv_report_markdown(FILE *f, const lesson_result *r);
/* The reports of n lessons as one HTML page that stands alone (KaTeX
 * inlined: render/html.h); DV_E_IO when KaTeX is not installed. */
int dv_report_html(FILE *f, lesson_result *const *rs, size_t n, dv_diag *d);
/* The lesson as a JSON object (NULL when out of memory). */
cJSON *dv_report_json(const lesson_result *r);
/* TAP for several lessons: one plan, a test point per check. */
int dv_report_tap(FILE *f, lesson_result *const *rs, size_t n);

#endif
