/* sumview.h - drawing a dataset summary (summary.h): block-character
 * sparklines and bars for terminals (plain strings, no curses), and the
 * summary as a standalone HTML page with SVG histograms.
 *
 * Nothing here prints; strings go to caller buffers, HTML to an html_out.
 * Everything that comes from a file (names, tokens) is escaped in HTML.
 */
#ifndef AS_SUMVIEW_H
#define AS_SUMVIEW_H

#include <stddef.h>

#include "html.h"
#include "summary.h"
#include "tokens.h"

/* Bytes a sparkline / bar of n characters needs (NUL included). */
#define SUMVIEW_BYTES(n) (3 * (size_t)(n) + 1)

/* One block character per value (▁▂▃▄▅▆▇█), scaled to the largest value;
 * a zero is a space, any other value at least ▁.  Returns bytes written. */
size_t sumview_spark(char *dst, size_t cap, const size_t *counts, size_t n);
size_t sumview_spark_d(char *dst, size_t cap, const double *v, size_t n);
/* A horizontal bar of frac (0..1) of cols columns, in eighths (▏▎▍▌▋▊▉█),
 * padded with spaces to cols columns. */
size_t sumview_bar(char *dst, size_t cap, double frac, int cols);

/* Column titles for people: "source length", "entropy (nats)", ...; step
 * scores give their raw name (the caller escapes it). */
const char *sumview_col_title(const as_summary *s, size_t col);

typedef struct sumview_opts {
    const char *title;       /* page title (escaped); NULL = "attrscope summary" */
    const char *pipeline;    /* shown as given; NULL = "default" */
    size_t bins;             /* histogram bins (0 = 20) */
    size_t top, min_count;   /* top tokens: how many, from how many cells */
    tokens_mode mode;        /* token display (decoded, then escaped) */
    size_t max_rows;         /* sequences listed (0 = all) */
} sumview_opts;

/* The whole page: figures per column with SVG histograms, per-step
 * histograms, position mass, top tokens and the sequences. */
int sumview_html_page(html_out *o, const as_summary *s, const sumview_opts *opt, as_error *err);

#endif
