/* html_compare.c - the page of `attrscope compare -o page.html`. */
#include "html.h"
#include "html_int.h"

#include "agg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char COMPARE_CSS[] =
    ".sides{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}\n"
    ".side{flex:1 1 30em;min-width:0}\n"
    ".side h3{font-size:1em;margin:.4em 0 0}\n"
    "table.metrics{border-collapse:collapse;font:13px/16px ui-monospace,Menlo,Consolas,"
    "monospace;margin:6px 0 14px}\n"
    "table.metrics th,table.metrics td{border:1px solid #ccc;padding:2px 6px;"
    "text-align:right;white-space:pre}\n"
    "table.metrics th{background:#f4f4f4}\n"
    "table.metrics tr.mean td,table.metrics tr.mean th{border-top:2px solid #444;"
    "font-weight:bold}\n"
    ".unmatched{color:#a33}\n"
    "section.cmp{border-top:3px solid #444;margin-top:18px}\n";

static void num(html_out *o, double v, const char *fmt)
{
    char buf[64];
    if (isnan(v)) {
        html_puts(o, "&ndash;");
        return;
    }
    snprintf(buf, sizeof buf, fmt, v);
    html_puts(o, buf);
}

static void metric_head(html_out *o, const char *first)
{
    html_puts(o, "<tr>");
    html_puts(o, first);
    for (int m = 0; m < CMP_NMETRICS; m++) {
        html_puts(o, "<th title=\"");
        html_puts(o, cmp_metric_name(m));
        html_puts(o, "\">");
        html_puts(o, cmp_metric_short(m));
        html_puts(o, "</th>");
    }
    html_puts(o, "</tr>\n");
}

static void metric_cells(html_out *o, const cmp_metrics *m)
{
    for (int t = 0; t < CMP_NMETRICS; t++) {
        html_puts(o, "<td>");
        num(o, m->v[t], "%.3f");
        html_puts(o, "</td>");
    }
}

static void index_list(html_out *o, const size_t *v, size_t n)
{
    if (!n) {
        html_puts(o, "none");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            html_puts(o, ", ");
        html_uint(o, v[i]);
    }
}

static double max_abs(const as_seq *s)
{
    double m = 0;
    const as_tensor *t[2] = {s->source_attr, s->target_attr};
    for (int p = 0; p < 2; p++) {
        if (!t[p])
            continue;
        size_t n = tensor_numel(t[p]);
        for (size_t i = 0; i < n; i++) {
            double v = fabs((double)t[p]->data[i]);
            if (isfinite(v) && v > m)
                m = v;
        }
    }
    return m;
}

static void side(html_out *o, const char *title, const char *name, const char *pipeline,
                 const as_seq *s, size_t index, double vmin, double vmax,
                 const html_heatmap_opts *hopts, as_error *err, int *rc)
{
    html_puts(o, "<div class=\"side\"><h3>");
    html_puts(o, title);
    if (name) {
        html_puts(o, ": ");
        html_text(o, name);
    }
    if (pipeline) {
        html_puts(o, " <small>(-a ");
        html_text(o, pipeline);
        html_puts(o, ")</small>");
    }
    html_puts(o, "</h3>\n");
    if (!*rc)
        *rc = html_heatmap_seq(o, s, index, vmin, vmax, hopts, err);
    html_puts(o, "</div>\n");
}

int html_compare_page(html_out *o, const html_compare *cmps, size_t n, size_t k,
                      const html_common *c, as_error *err)
{
    static const html_common defaults;
    if (!c)
        c = &defaults;
    html_heatmap_opts hopts = {.c = *c};
    hopts.c.has_min = hopts.c.has_max = false;
    char css[sizeof COMPARE_CSS + 4096];
    snprintf(css, sizeof css, "%s%s", HTML_HEATMAP_CSS, COMPARE_CSS);
    const char *title = c->title ? c->title : "attrscope compare";
    html_page_begin(o, title, css);
    html_puts(o, "<h1>");
    html_text(o, title);
    html_puts(o, "</h1>\n<p>Agreement per generated token: FA feature, RA rank, SA sign, "
                 "SRA signed rank agreement@k (top-k by |value|, k = ");
    html_uint(o, k);
    html_puts(o, "), rho rank correlation (Spearman of |value|), PRA pairwise rank agreement, "
                 "r Pearson correlation.  Cells NaN on either side are left out; "
                 "&ndash; is undefined.</p>\n");
    int rc = AS_OK;
    for (size_t ci = 0; ci < n && !rc; ci++) {
        const html_compare *cmp = &cmps[ci];
        html_puts(o, "<section class=\"cmp\">\n<h2>A: ");
        html_text(o, cmp->a_name ? cmp->a_name : "A");
        html_puts(o, " &nbsp;vs&nbsp; B: ");
        html_text(o, cmp->b_name ? cmp->b_name : "B");
        html_puts(o, "</h2>\n");
        if (cmp->nonly_a || cmp->nonly_b) {
            html_puts(o, "<p class=\"unmatched\">Not matched (tokens differ): sequences of A: ");
            index_list(o, cmp->only_a, cmp->nonly_a);
            html_puts(o, "; of B: ");
            index_list(o, cmp->only_b, cmp->nonly_b);
            html_puts(o, "</p>\n");
        }
        html_puts(o, "<table class=\"metrics summary\">\n");
        metric_head(o, "<th>A seq</th><th>B seq</th><th>steps</th>");
        for (size_t i = 0; i < cmp->nseqs; i++) {
            const html_compare_seq *q = &cmp->seqs[i];
            html_puts(o, "<tr><td>");
            html_uint(o, q->ia);
            html_puts(o, "</td><td>");
            html_uint(o, q->ib);
            html_puts(o, "</td><td>");
            html_uint(o, q->res->ncols);
            html_puts(o, "</td>");
            metric_cells(o, &q->res->mean);
            html_puts(o, "</tr>\n");
        }
        html_puts(o, "<tr class=\"mean\"><th colspan=\"3\">mean</th>");
        metric_cells(o, &cmp->mean);
        html_puts(o, "</tr>\n</table>\n");

        for (size_t i = 0; i < cmp->nseqs && !rc; i++) {
            const html_compare_seq *q = &cmp->seqs[i];
            html_puts(o, "<h2>Sequence ");
            html_uint(o, q->ia);
            html_puts(o, " of A, ");
            html_uint(o, q->ib);
            html_puts(o, " of B</h2>\n<div class=\"sides\">\n");
            double vmin, vmax;
            html_range(c, agg_maximum(q->a), false, &vmin, &vmax);
            side(o, "A", cmp->a_name, cmp->a_pipeline, q->a, q->ia, vmin, vmax, &hopts, err, &rc);
            html_range(c, agg_maximum(q->b), false, &vmin, &vmax);
            side(o, "B", cmp->b_name, cmp->b_pipeline, q->b, q->ib, vmin, vmax, &hopts, err, &rc);
            double dm = max_abs(q->diff);
            side(o, "B &minus; A", NULL, NULL, q->diff, q->ia, -dm, dm, &hopts, err, &rc);
            html_puts(o, "</div>\n<table class=\"metrics steps\">\n");
            metric_head(o, "<th>step</th><th>token</th><th>n</th><th>k</th>");
            const as_token *gen = q->a->target.v + q->a->attr_pos_start;
            for (size_t j = 0; j < q->res->ncols; j++) {
                const cmp_metrics *m = &q->res->cols[j];
                html_puts(o, "<tr><td>");
                html_uint(o, j);
                html_puts(o, "</td><th>");
                html_text(o, html_tok_label(c, &gen[j]));
                html_puts(o, "</th><td>");
                html_uint(o, m->n);
                html_puts(o, "</td><td>");
                html_uint(o, m->k);
                html_puts(o, "</td>");
                metric_cells(o, m);
                html_puts(o, "</tr>\n");
            }
            html_puts(o, "<tr class=\"mean\"><th colspan=\"4\">mean</th>");
            metric_cells(o, &q->res->mean);
            html_puts(o, "</tr>\n</table>\n");
        }
        html_puts(o, "</section>\n");
    }
    html_page_end(o);
    if (rc)
        return rc;
    return html_out_check(o, err);
}
