/* html_heatmap.c - inseq's show(return_html=True) heatmap tables. */
#include "agg.h"
#include "colormap.h"
#include "html.h"
#include "html_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The style attribute of a cell per bucket (index 0 = NaN, 1.. = bucket),
 * as inseq writes it: style="background:rgba(178.0, 24.0, 43.0, 0.19...)". */
typedef struct cell_styles {
    char s[CMAP_BUCKETS + 1][128];
    unsigned char len[CMAP_BUCKETS + 1];
} cell_styles;

static void styles_init(cell_styles *cs)
{
    for (int b = -1; b < CMAP_BUCKETS; b++) {
        double e[4];
        cmap_heatmap_exact(b, e);
        char f[4][40];
        for (int k = 0; k < 4; k++)
            pj_repr_float(e[k], f[k]);
        int n = snprintf(cs->s[b + 1], sizeof cs->s[0],
                         "<td style=\"background:rgba(%s, %s, %s, %s)\">", f[0], f[1], f[2],
                         f[3]);
        cs->len[b + 1] = (unsigned char)n;
    }
}

static void tok_cell(html_out *o, const html_heatmap_opts *opts, const as_token *t,
                     const char *cls)
{
    html_puts(o, cls);
    html_text(o, html_tok_label(&opts->c, t));
    html_puts(o, "</th>");
}

/* One table; scores NULL for a table of step scores only. */
static void heatmap_table(html_out *o, const as_seq *s, const as_tensor *scores,
                          const as_tokens *rows, const char *label, size_t index,
                          double vmin, double vmax, const cell_styles *cs,
                          const html_heatmap_opts *opts)
{
    size_t g = attr_seq_ncols(s);
    const as_token *cols = s->target.v + s->attr_pos_start;
    char ord[32];
    html_puts(o, "<br/><b>");
    html_puts(o, html_ordinal(ord, index));
    html_puts(o, " instance:</b><br/>\n<div class=\"viz\">\n<div class=\"hm-title\">"
                 "<span class=\"hm-label\">");
    html_puts(o, label);
    html_puts(o, " Saliency Heatmap</span><br>\n\xE2\x86\x92 : Generated tokens, "
                 "\xE2\x86\x93 : Attributed tokens</div>\n<div class=\"scroll\" tabindex=\"0\">"
                 "<table class=\"hm\">\n<thead><tr class=\"r-idx\"><th class=\"c0\"></th>"
                 "<th class=\"c1\"></th>");
    for (size_t j = 0; j < g; j++) {
        html_puts(o, "<th>");
        html_uint(o, j);
        html_puts(o, "</th>");
    }
    html_puts(o, "</tr>\n<tr class=\"r-tok\"><th class=\"c0\"></th><th class=\"c1\"></th>");
    for (size_t j = 0; j < g; j++)
        tok_cell(o, opts, &cols[j], "<th>");
    html_puts(o, "</tr></thead>\n<tbody>\n");
    if (scores) {
        const float *d = scores->data;
        for (size_t i = 0; i < rows->n; i++) {
            html_puts(o, "<tr><th class=\"c0\">");
            html_uint(o, i);
            html_puts(o, "</th>");
            tok_cell(o, opts, &rows->v[i], "<th class=\"c1\">");
            for (size_t j = 0; j < g; j++) {
                float v = d[i * g + j];
                int b = opts->has_range_mode && opts->range_mode == AS_RANGE_ONE_SIDED
                            ? cmap_bucket_in(v, vmin, vmax, true)
                            : cmap_bucket(v, vmin, vmax);
                size_t sl = cs->len[b + 1];
                char *p = html_out_room(o, sl + 40);
                if (!p)
                    return;
                memcpy(p, cs->s[b + 1], sl);
                size_t n = sl;
                if (!isnan(v))
                    n += html_fmt_round3(p + n, v);
                memcpy(p + n, "</td>", 5);
                html_out_commit(o, n + 5);
            }
            html_puts(o, "</tr>\n");
        }
    }
    double thr = opts->step_threshold > 0 ? opts->step_threshold : 0.5;
    for (size_t k = 0; k < s->step_scores.n; k++) {
        const as_named *sc = &s->step_scores.v[k];
        html_puts(o, "<tr class=\"step\"><th class=\"c0\"></th><th class=\"c1\"><b>");
        html_text(o, sc->name);
        html_puts(o, "</b></th>");
        for (size_t j = 0; j < g; j++) {
            float v = sc->t->data[j];
            double r = fabs((double)v) < 1e15 ? nearbyint((double)v * 1000.0) / 1000.0 : v;
            bool bold = fabs(r) >= thr; /* inseq tests the rounded value */
            html_puts(o, bold ? "<td><b>" : "<td>");
            html_round3(o, v);
            html_puts(o, bold ? "</b></td>" : "</td>");
        }
        html_puts(o, "</tr>\n");
    }
    html_puts(o, "</tbody></table></div>\n</div>\n");
}

static int seq_write(html_out *o, const as_seq *s, size_t index, double vmin, double vmax,
                     const cell_styles *cs, const html_heatmap_opts *opts)
{
    html_puts(o, "<section class=\"seq\">\n");
    if (s->source_attr)
        heatmap_table(o, s, s->source_attr, &s->source, "Source", index, vmin, vmax, cs, opts);
    if (s->target_attr || (!s->source_attr && s->step_scores.n > 0))
        heatmap_table(o, s, s->target_attr, &s->target, "Target", index, vmin, vmax, cs, opts);
    html_puts(o, "</section>\n");
    return AS_OK;
}

int html_heatmap_seq(html_out *o, const as_seq *s, size_t index, double vmin, double vmax,
                     const html_heatmap_opts *opts, as_error *err)
{
    static const html_heatmap_opts defaults;
    if (!opts)
        opts = &defaults;
    int rc = html_check_2d(s, index, err);
    if (rc)
        return rc;
    cell_styles *cs = malloc(sizeof *cs);
    if (!cs)
        return as_error_set(err, AS_ENOMEM, "HTML heatmap: out of memory");
    styles_init(cs);
    seq_write(o, s, index, vmin, vmax, cs, opts);
    free(cs);
    return AS_OK;
}

const char HTML_HEATMAP_CSS[] =
    ".viz{border:1px solid #888;margin:6px 0 14px;padding:8px}\n"
    ".hm-title{margin:4px;font-family:sans-serif;font-weight:bold}\n"
    ".hm-label{font-size:20px}\n"
    ".scroll{overflow:auto;max-width:100%;max-height:85vh;"
    "-webkit-overflow-scrolling:touch}\n"
    "table.hm{border-collapse:separate;border-spacing:0;font:13px/16px ui-monospace,"
    "Menlo,Consolas,monospace}\n"
    "table.hm th,table.hm td{border:1px solid #ccc;padding:2px 5px;white-space:pre;"
    "text-align:center;height:22px;box-sizing:border-box}\n"
    "table.hm thead th{position:sticky;background:#fff;z-index:2}\n"
    "table.hm tr.r-idx th{top:0;color:#666;font-weight:normal}\n"
    "table.hm tr.r-tok th{top:22px}\n"
    "table.hm .c0{position:sticky;left:0;width:3em;min-width:3em;max-width:3em;"
    "background:#fff;z-index:1;color:#666;font-weight:normal}\n"
    "table.hm .c1{position:sticky;left:3em;background:#fff;z-index:1;text-align:right;"
    "max-width:40vw;overflow:hidden;text-overflow:ellipsis}\n"
    "table.hm thead .c0,table.hm thead .c1{z-index:3}\n"
    "table.hm tr.step td,table.hm tr.step th{border-top:2px solid #444}\n"
    "table.hm tr.step td b{font-weight:bold}\n";

int html_heatmap_page(html_out *o, const as_seq *const *seqs, size_t n,
                      const html_heatmap_opts *opts, as_error *err)
{
    static const html_heatmap_opts defaults;
    if (!opts)
        opts = &defaults;
    double shared = 0;
    for (size_t i = 0; i < n; i++) {
        size_t idx = opts->indices ? opts->indices[i] : i;
        int rc = html_check_2d(seqs[i], idx, err);
        if (rc)
            return rc;
        double m = agg_maximum(seqs[i]);
        if (m > shared)
            shared = m;
    }
    cell_styles *cs = malloc(sizeof *cs);
    if (!cs)
        return as_error_set(err, AS_ENOMEM, "HTML heatmap: out of memory");
    styles_init(cs);
    html_page_begin(o, opts->c.title, HTML_HEATMAP_CSS);
    if (opts->c.title) {
        html_puts(o, "<h1>");
        html_text(o, opts->c.title);
        html_puts(o, "</h1>\n");
    }
    as_range_spec spec = {.mode = opts->range_mode, .percentile = opts->percentile,
                          .has_min = opts->c.has_min, .has_max = opts->c.has_max,
                          .min = opts->c.min_val, .max = opts->c.max_val};
    as_range all = {0, 0, false};
    if (opts->has_range_mode && opts->shared_range) {
        range_acc a;
        range_acc_init(&a, range_needs_values(&spec));
        for (size_t i = 0; i < n; i++)
            range_acc_seq(&a, seqs[i]);
        all = range_resolve(&spec, &a);
        range_acc_free(&a);
    }
    for (size_t i = 0; i < n; i++) {
        double vmin, vmax;
        if (opts->has_range_mode) {
            as_range r = all;
            if (!opts->shared_range) {
                range_acc a;
                range_acc_init(&a, range_needs_values(&spec));
                range_acc_seq(&a, seqs[i]);
                r = range_resolve(&spec, &a);
                range_acc_free(&a);
            }
            vmin = r.lo, vmax = r.hi;
        } else {
            html_range(&opts->c, opts->shared_range ? shared : agg_maximum(seqs[i]), false,
                       &vmin, &vmax);
        }
        seq_write(o, seqs[i], opts->indices ? opts->indices[i] : i, vmin, vmax, cs, opts);
    }
    html_page_end(o);
    free(cs);
    return html_out_check(o, err);
}
