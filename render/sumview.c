/* sumview.c - sparklines, bars and the HTML page of a summary (sumview.h). */
#include "sumview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_int.h"

static const char *const SPARK[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char *const EIGHTHS[8] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

static size_t put(char *dst, size_t cap, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n + 1 > cap)
        return at;
    memcpy(dst + at, s, n + 1);
    return at + n;
}

size_t sumview_spark_d(char *dst, size_t cap, const double *v, size_t n)
{
    double max = 0;
    size_t at = 0;
    if (cap)
        dst[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] > max)
            max = v[i];
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(v[i]) && v[i] > 0) || max <= 0) {
            at = put(dst, cap, at, " ");
            continue;
        }
        int k = (int)ceil(v[i] / max * 8) - 1;
        at = put(dst, cap, at, SPARK[k < 0 ? 0 : k > 7 ? 7 : k]);
    }
    return at;
}

size_t sumview_spark(char *dst, size_t cap, const size_t *counts, size_t n)
{
    size_t max = 0, at = 0;
    if (cap)
        dst[0] = '\0';
    for (size_t i = 0; i < n; i++)
        max = counts[i] > max ? counts[i] : max;
    for (size_t i = 0; i < n; i++) {
        if (!counts[i]) {
            at = put(dst, cap, at, " ");
            continue;
        }
        size_t k = (counts[i] * 8 + max - 1) / max; /* 1..8, rounded up */
        at = put(dst, cap, at, SPARK[k - 1]);
    }
    return at;
}

size_t sumview_bar(char *dst, size_t cap, double frac, int cols)
{
    size_t at = 0;
    if (cap)
        dst[0] = '\0';
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    long eighths = lround(frac * cols * 8);
    if (frac > 0 && eighths == 0)
        eighths = 1;
    int used = 0;
    for (; eighths >= 8; eighths -= 8, used++)
        at = put(dst, cap, at, EIGHTHS[7]);
    if (eighths > 0) {
        at = put(dst, cap, at, EIGHTHS[eighths - 1]);
        used++;
    }
    for (; used < cols; used++)
        at = put(dst, cap, at, " ");
    return at;
}

const char *sumview_col_title(const as_summary *s, size_t col)
{
    switch (col) {
    case SUM_COL_SRC_LEN: return "source length";
    case SUM_COL_TGT_LEN: return "target length";
    case SUM_COL_GEN_LEN: return "generated length";
    case SUM_COL_ENTROPY: return "entropy (nats, mean per step)";
    case SUM_COL_SRC_SHARE: return "source share (mean per step)";
    default: return summary_score_name(s, col - SUM_COL_SCORES);
    }
}

/* ---- HTML ----------------------------------------------------------- */

static void num(html_out *o, double v)
{
    char buf[64];
    if (!isfinite(v))
        snprintf(buf, sizeof buf, "–");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        snprintf(buf, sizeof buf, "%.4g", v);
    html_puts(o, buf);
}

/* An SVG histogram: bars over [lo, hi], 240 x 64 px, with the range below. */
static void svg_hist(html_out *o, const sum_hist *h)
{
    size_t max = 0;
    for (size_t b = 0; b < h->nbins; b++)
        max = h->counts[b] > max ? h->counts[b] : max;
    const double W = 240, H = 64;
    double bw = W / (double)h->nbins;
    char buf[256];
    snprintf(buf, sizeof buf,
             "<svg class=\"hist\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
             "role=\"img\">",
             W, H + 14, W, H + 14);
    html_puts(o, buf);
    for (size_t b = 0; b < h->nbins; b++) {
        double bh = max ? (double)h->counts[b] / (double)max * H : 0;
        double x0 = h->lo + (double)b * (h->hi - h->lo) / (double)h->nbins;
        double x1 = h->lo + (double)(b + 1) * (h->hi - h->lo) / (double)h->nbins;
        snprintf(buf, sizeof buf,
                 "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">"
                 "<title>[%.4g, %.4g): %zu</title></rect>",
                 (double)b * bw + 0.5, H - bh, bw > 2 ? bw - 1 : bw, bh, x0, x1, h->counts[b]);
        html_puts(o, buf);
    }
    snprintf(buf, sizeof buf,
             "<text x=\"0\" y=\"%.0f\">%.4g</text><text x=\"%.0f\" y=\"%.0f\" "
             "text-anchor=\"end\">%.4g</text></svg>",
             H + 12, h->n ? h->lo : 0.0, W, H + 12, h->n ? h->hi : 0.0);
    html_puts(o, buf);
}

static void svg_bars(html_out *o, const double *v, size_t n, const char *const *labels)
{
    double max = 0;
    for (size_t i = 0; i < n; i++)
        max = v[i] > max ? v[i] : max;
    const double W = 300, H = 64;
    double bw = W / (double)n;
    char buf[256];
    snprintf(buf, sizeof buf,
             "<svg class=\"hist\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
             "role=\"img\">",
             W, H + 14, W, H + 14);
    html_puts(o, buf);
    for (size_t i = 0; i < n; i++) {
        double bh = max > 0 ? v[i] / max * H : 0;
        snprintf(buf, sizeof buf,
                 "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>%s: "
                 "%.2f%%</title></rect>",
                 (double)i * bw + 0.5, H - bh, bw - 1, bh, labels[i], 100 * v[i]);
        html_puts(o, buf);
    }
    snprintf(buf, sizeof buf,
             "<text x=\"0\" y=\"%.0f\">start</text><text x=\"%.0f\" y=\"%.0f\" "
             "text-anchor=\"end\">end</text></svg>",
             H + 12, W, H + 12);
    html_puts(o, buf);
}

static const char SUM_CSS[] =
    "table.sum{border-collapse:collapse;margin:0.5em 0 1.5em}"
    "table.sum td,table.sum th{padding:2px 8px;text-align:right;vertical-align:middle}"
    "table.sum td.t,table.sum th.t{text-align:left}"
    "table.sum tr:nth-child(even){background:#f4f4f4}"
    "svg.hist rect{fill:#4477aa}svg.hist text{font:10px sans-serif;fill:#555}"
    "p.note{color:#555}";

static void token_cell(html_out *o, tokens_mode m, const char *text)
{
    size_t len;
    char *d = tokens_decode_dup(m, text, &len);
    char *e = d ? tokens_escape_dup(d, len, TOKENS_ESC_SYMBOLS | TOKENS_ESC_SPACE) : NULL;
    html_text(o, e ? e : text);
    free(e);
    free(d);
}

int sumview_html_page(html_out *o, const as_summary *s, const sumview_opts *opt, as_error *err)
{
    size_t bins = opt->bins ? opt->bins : 20;
    const char *title = opt->title ? opt->title : "attrscope summary";
    html_page_begin(o, title, SUM_CSS);
    html_puts(o, "<h1>");
    html_text(o, title);
    html_puts(o, "</h1>\n<p>");
    html_uint(o, summary_nseqs(s));
    html_puts(o, " sequences in ");
    html_uint(o, summary_nfiles(s));
    html_puts(o, " files, ");
    html_uint(o, summary_nsteps(s));
    html_puts(o, " generation steps; pipeline <code>");
    html_text(o, opt->pipeline ? opt->pipeline : "default");
    html_puts(o, "</code>.</p>\n");
    if (summary_nfailed_files(s) || summary_nfailed_seqs(s)) {
        html_puts(o, "<p class=\"note\">Left out: ");
        html_uint(o, summary_nfailed_files(s));
        html_puts(o, " unreadable files, ");
        html_uint(o, summary_nfailed_seqs(s));
        html_puts(o, " sequences. First: ");
        html_text(o, summary_first_error(s) ? summary_first_error(s) : "");
        html_puts(o, "</p>\n");
    }
    html_puts(o, "<p class=\"note\">Entropy: of the normalised absolute attributions of a "
                 "step (source and target prefix), in nats. Source share: sum |source| / "
                 "(sum |source| + sum |target prefix|) per step (encoder-decoder only).</p>\n");

    html_puts(o, "<h2>Per sequence</h2>\n<table class=\"sum\"><tr><th class=\"t\">figure</th>"
                 "<th>n</th><th>missing</th><th>mean</th><th>min</th><th>max</th>"
                 "<th class=\"t\">distribution</th></tr>\n");
    for (size_t c = 0; c < summary_ncols(s); c++) {
        sum_hist h;
        if (summary_hist_col(s, c, bins, &h, err) != AS_OK)
            return err->code;
        html_puts(o, "<tr><td class=\"t\">");
        html_text(o, sumview_col_title(s, c));
        if (c >= SUM_COL_SCORES)
            html_puts(o, " (step score, mean)");
        html_puts(o, "</td><td>");
        html_uint(o, h.n);
        html_puts(o, "</td><td>");
        html_uint(o, h.missing);
        html_puts(o, "</td><td>");
        num(o, h.mean);
        html_puts(o, "</td><td>");
        num(o, h.min);
        html_puts(o, "</td><td>");
        num(o, h.max);
        html_puts(o, "</td><td class=\"t\">");
        svg_hist(o, &h);
        html_puts(o, "</td></tr>\n");
        sum_hist_free(&h);
    }
    html_puts(o, "</table>\n<h2>Per generation step</h2>\n<table class=\"sum\"><tr>"
                 "<th class=\"t\">figure</th><th>n</th><th>missing</th><th>mean</th>"
                 "<th>min</th><th>max</th><th class=\"t\">distribution</th></tr>\n");
    static const char *const step_titles[] = {"entropy (nats)", "source share"};
    for (int k = 0; k < 2; k++) {
        sum_hist h;
        if (summary_hist_step(s, (sum_step_kind)k, bins, &h, err) != AS_OK)
            return err->code;
        html_puts(o, "<tr><td class=\"t\">");
        html_puts(o, step_titles[k]);
        html_puts(o, "</td><td>");
        html_uint(o, h.n);
        html_puts(o, "</td><td>");
        html_uint(o, h.missing);
        html_puts(o, "</td><td>");
        num(o, h.mean);
        html_puts(o, "</td><td>");
        num(o, h.min);
        html_puts(o, "</td><td>");
        num(o, h.max);
        html_puts(o, "</td><td class=\"t\">");
        svg_hist(o, &h);
        html_puts(o, "</td></tr>\n");
        sum_hist_free(&h);
    }
    html_puts(o, "</table>\n<h2>Attribution mass by relative position</h2>\n"
                 "<p class=\"note\">Share of all attribution (per step, averaged over steps) "
                 "received by tokens at each tenth of the source and of the target.</p>\n"
                 "<table class=\"sum\"><tr><th class=\"t\">side</th><th>total</th>");
    char labels[SUMMARY_POS_BINS][24];
    const char *lp[SUMMARY_POS_BINS];
    for (int b = 0; b < SUMMARY_POS_BINS; b++) {
        snprintf(labels[b], sizeof labels[b], "%d–%d%%", b * 100 / SUMMARY_POS_BINS,
                 (b + 1) * 100 / SUMMARY_POS_BINS);
        lp[b] = labels[b];
        html_puts(o, "<th>");
        html_puts(o, labels[b]);
        html_puts(o, "</th>");
    }
    html_puts(o, "<th class=\"t\"></th></tr>\n");
    for (int side = 0; side < 2; side++) {
        double m[SUMMARY_POS_BINS], tot = 0;
        char buf[32];
        summary_position_mass(s, (sum_side)side, m);
        for (int b = 0; b < SUMMARY_POS_BINS; b++)
            tot += m[b];
        html_puts(o, side ? "<tr><td class=\"t\">target prefix</td>"
                          : "<tr><td class=\"t\">source</td>");
        snprintf(buf, sizeof buf, "<td>%.1f%%</td>", 100 * tot);
        html_puts(o, buf);
        for (int b = 0; b < SUMMARY_POS_BINS; b++) {
            snprintf(buf, sizeof buf, "<td>%.1f%%</td>", 100 * m[b]);
            html_puts(o, buf);
        }
        html_puts(o, "<td class=\"t\">");
        svg_bars(o, m, SUMMARY_POS_BINS, lp);
        html_puts(o, "</td></tr>\n");
    }
    html_puts(o, "</table>\n<h2>Tokens that receive the most attribution</h2>\n"
                 "<p class=\"note\">Mean share of a step's attribution per cell received, "
                 "over tokens with at least ");
    html_uint(o, opt->min_count);
    html_puts(o, " cells.</p>\n<table class=\"sum\"><tr><th>#</th><th class=\"t\">token</th>"
                 "<th class=\"t\">side</th><th>mean</th><th>cells</th></tr>\n");
    sum_token *top;
    size_t ntop = summary_top_tokens(s, opt->min_count, opt->top, &top);
    if (ntop == (size_t)-1)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < ntop; i++) {
        char buf[64];
        html_puts(o, "<tr><td>");
        html_uint(o, i + 1);
        html_puts(o, "</td><td class=\"t\"><code>");
        token_cell(o, opt->mode, top[i].text);
        html_puts(o, top[i].side == SUM_SIDE_SOURCE ? "</code></td><td class=\"t\">source"
                                                     : "</code></td><td class=\"t\">target");
        snprintf(buf, sizeof buf, "</td><td>%.4f</td><td>", top[i].mass / (double)top[i].count);
        html_puts(o, buf);
        html_uint(o, top[i].count);
        html_puts(o, "</td></tr>\n");
    }
    free(top);
    html_puts(o, "</table>\n<h2>Sequences</h2>\n<table class=\"sum\"><tr>"
                 "<th class=\"t\">file</th><th>sequence</th>");
    for (size_t c = 0; c < summary_ncols(s); c++) {
        html_puts(o, "<th>");
        html_text(o, summary_col_name(s, c));
        html_puts(o, "</th>");
    }
    html_puts(o, "</tr>\n");
    size_t rows = summary_nseqs(s);
    if (opt->max_rows && rows > opt->max_rows)
        rows = opt->max_rows;
    for (size_t k = 0; k < rows; k++) {
        const sum_seq *q = summary_seq(s, k);
        html_puts(o, "<tr><td class=\"t\">");
        html_text(o, summary_file(s, q->file));
        html_puts(o, "</td><td>");
        html_uint(o, q->local);
        html_puts(o, "</td>");
        for (size_t c = 0; c < summary_ncols(s); c++) {
            html_puts(o, "<td>");
            num(o, summary_value(s, k, c));
            html_puts(o, "</td>");
        }
        html_puts(o, "</tr>\n");
    }
    html_puts(o, "</table>\n");
    if (rows < summary_nseqs(s)) {
        html_puts(o, "<p class=\"note\">First ");
        html_uint(o, rows);
        html_puts(o, " of ");
        html_uint(o, summary_nseqs(s));
        html_puts(o, " sequences listed.</p>\n");
    }
    html_page_end(o);
    return html_out_check(o, err);
}
