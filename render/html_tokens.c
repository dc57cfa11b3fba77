/* html_tokens.c - the tokens page (inseq's show_tokens): the generated text,
 * and per selected generated token the source and target prefix colored by
 * their attribution to it. */
#include "agg.h"
#include "colormap.h"
#include "html.h"
#include "html_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Token text after the label callback and the replacements; caller frees. */
static char *tok_text(const html_tokens_opts *o, const as_token *t)
{
    const char *s = html_tok_label(&o->c, t);
    char *cur = strdup(s);
    for (size_t r = 0; cur && r < o->nreplace; r++) {
        const char *from = o->replace[r].from, *to = o->replace[r].to ? o->replace[r].to : "";
        size_t fl = strlen(from), tl = strlen(to), count = 0;
        if (fl == 0)
            continue;
        for (const char *p = cur; (p = strstr(p, from)); p += fl)
            count++;
        if (!count)
            continue;
        size_t len = strlen(cur);
        char *out = malloc(len - count * fl + count * tl + 1), *q = out;
        if (!out) {
            free(cur);
            return NULL;
        }
        const char *p = cur, *hit;
        while ((hit = strstr(p, from))) {
            memcpy(q, p, (size_t)(hit - p));
            q += hit - p;
            memcpy(q, to, tl);
            q += tl;
            p = hit + fl;
        }
        strcpy(q, p);
        free(cur);
        cur = out;
    }
    return cur;
}

static bool wrap_after(const html_tokens_opts *o, size_t i, const char *raw, const char *shown)
{
    if (o->wrap_every && (i + 1) % o->wrap_every == 0)
        return true;
    for (size_t k = 0; k < o->nwrap_tokens; k++)
        if (!strcmp(o->wrap_tokens[k], shown) || !strcmp(o->wrap_tokens[k], raw))
            return true;
    return false;
}

/* <span class="tok CLS" data-i="i" data-text="..."[ extra]>text</span> */
static int tok_span(html_out *out, const html_tokens_opts *o, const as_token *t, size_t i,
                    const char *cls, const char *extra, as_error *err)
{
    char *s = tok_text(o, t);
    if (!s)
        return as_error_set(err, AS_ENOMEM, "tokens page: out of memory");
    html_puts(out, "<span class=\"tok ");
    html_puts(out, cls);
    if (!*s)
        html_puts(out, " empty");
    html_puts(out, "\" data-i=\"");
    html_uint(out, i);
    html_puts(out, "\" data-text=\"");
    html_text(out, s);
    html_puts(out, "\"");
    if (extra)
        html_puts(out, extra);
    html_puts(out, ">");
    html_text(out, s);
    html_puts(out, "</span>");
    if (wrap_after(o, i, t->text, s))
        html_puts(out, "<br>");
    free(s);
    return AS_OK;
}

static void json_values(html_out *o, const as_tensor *t)
{
    if (!t) {
        html_puts(o, "null");
        return;
    }
    size_t n = tensor_numel(t);
    html_put(o, "[", 1);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        float v = t->data[i];
        int len = isfinite(v) ? snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", (double)v)
                              : snprintf(buf, sizeof buf, "%snull", i ? "," : "");
        html_put(o, buf, (size_t)len);
    }
    html_put(o, "]", 1);
}

static int step_color(const as_tensor *sc, size_t j, char *style, size_t len)
{
    size_t n = tensor_numel(sc);
    bool nonneg = true;
    double mx = 0, mabs = 0;
    for (size_t i = 0; i < n; i++) {
        double v = sc->data[i];
        if (!(v >= 0))
            nonneg = false;
        if (v > mx)
            mx = v;
        if (fabs(v) > mabs)
            mabs = fabs(v);
    }
    double v = sc->data[j];
    as_rgba c = nonneg ? cmap_greens(cmap_bucket(v, 0, mx))
                       : cmap_brown_green(cmap_bucket(v, -mabs, mabs));
    if (c.a == 0)
        return snprintf(style, len, " ");
    bool dark = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 128;
    return snprintf(style, len, " style=\"background-color:#%02x%02x%02x%s\"", c.r, c.g, c.b,
                    dark ? ";color:#fff" : "");
}

static const char *legend_palette_css(char *buf, size_t len)
{
    size_t k = 0;
    for (int i = 0; i <= 8; i++) {
        as_rgba c = cmap_granular(i * 255 / 8);
        k += (size_t)snprintf(buf + k, len - k, "%s#%02x%02x%02x", i ? "," : "", c.r, c.g, c.b);
    }
    return buf;
}

static int seq_section(html_out *out, const as_seq *s, size_t index, bool numbered,
                       double vmin, double vmax, const html_tokens_opts *o, as_error *err)
{
    size_t g = attr_seq_ncols(s);
    const as_tensor *sc = o->step_score ? attr_scores_get(&s->step_scores, o->step_score) : NULL;
    html_puts(out, "<section class=\"tv\" data-seq=\"");
    html_uint(out, index);
    html_puts(out, "\">\n");
    if (numbered) {
        html_puts(out, "<h2>Sequence ");
        html_uint(out, index);
        html_puts(out, "</h2>\n");
    }
    html_puts(out, "<div class=\"gen-title\">Generated text");
    if (sc) {
        html_puts(out, " with ");
        html_text(out, o->step_score);
        html_puts(out, " highlights");
    }
    html_puts(out, ":</div>\n<div class=\"gen\">");
    for (size_t j = 0; j < g; j++) {
        char extra[160] = " tabindex=\"0\" role=\"button\" aria-pressed=\"false\"";
        if (sc) {
            char style[96], val[40];
            step_color(sc, j, style, sizeof style);
            html_fmt_round3(val, sc->data[j]);
            size_t l = strlen(extra);
            snprintf(extra + l, sizeof extra - l, "%s title=\"%s\"", style, val);
        }
        int rc = tok_span(out, o, &s->target.v[s->attr_pos_start + (long)j], j, "g", extra, err);
        if (rc)
            return rc;
    }
    html_puts(out, "</div>\n<div class=\"hint\">Select a generated token (click, tap, or Tab; "
                   "arrow keys move) to color the tokens by their attribution to it.</div>\n"
                   "<div class=\"attr\" hidden>\n");
    char pal[256], num[64];
    html_puts(out, "<div class=\"legend\">Attribution colors: <span>");
    snprintf(num, sizeof num, "%.4g", vmin);
    html_text(out, num);
    html_puts(out, "</span><span class=\"bar\" style=\"background:linear-gradient(to right,");
    html_puts(out, legend_palette_css(pal, sizeof pal));
    html_puts(out, ")\"></span><span>");
    snprintf(num, sizeof num, "%.4g", vmax);
    html_text(out, num);
    html_puts(out, "</span></div>\n");
    if (s->source_attr) {
        html_puts(out, "<div class=\"attr-title\">Source attributions for \xe2\x80\x9c"
                       "<span class=\"sel-tok\"></span>\xe2\x80\x9d:</div>\n<div class=\"toks src\">");
        for (size_t i = 0; i < s->source.n; i++) {
            int rc = tok_span(out, o, &s->source.v[i], i, "a", NULL, err);
            if (rc)
                return rc;
        }
        html_puts(out, "</div>\n");
    }
    if (s->target_attr) {
        html_puts(out, "<div class=\"attr-title\">Target attributions for \xe2\x80\x9c"
                       "<span class=\"sel-tok\"></span>\xe2\x80\x9d:</div>\n<div class=\"toks tgt\">");
        for (size_t i = 0; i < s->target.n; i++) {
            int rc = tok_span(out, o, &s->target.v[i], i, "a", NULL, err);
            if (rc)
                return rc;
        }
        html_puts(out, "</div>\n");
    }
    html_puts(out, "<div class=\"info\" aria-live=\"polite\"></div>\n</div>\n</section>\n");
    return AS_OK;
}

int html_tokens_page(html_out *o, const as_seq *const *seqs, size_t n,
                     const html_tokens_opts *opts, as_error *err)
{
    static const html_tokens_opts defaults;
    if (!opts)
        opts = &defaults;
    double mx = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = html_check_2d(seqs[i], i, err);
        if (rc)
            return rc;
        if (opts->step_score && !attr_scores_get(&seqs[i]->step_scores, opts->step_score)) {
            char names[512] = "";
            size_t len = 0;
            for (size_t k = 0; k < seqs[i]->step_scores.n && len < sizeof names; k++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "",
                                        seqs[i]->step_scores.v[k].name);
            return as_error_set(err, AS_EUSAGE,
                                "sequence %zu: step_score_highlight: no step score \"%s\"; "
                                "available: %s",
                                i, opts->step_score, len ? names : "none");
        }
        for (size_t r = 0; r < opts->nreplace; r++)
            if (!opts->replace[r].from || !*opts->replace[r].from)
                return as_error_set(err, AS_EUSAGE, "replace_char: replacement %zu has an "
                                    "empty text to replace", r);
        double m = agg_maximum(seqs[i]);
        if (m > mx)
            mx = m;
    }
    double vmin, vmax;
    html_range(&opts->c, mx, false, &vmin, &vmax);
    html_page_begin(o, opts->c.title ? opts->c.title : "attrscope: token attributions",
                    HTML_ASSET_TOKENS_CSS);
    html_puts(o, "<header class=\"top\"><h1>");
    html_text(o, opts->c.title ? opts->c.title : "Token attributions");
    html_puts(o, "</h1></header>\n<noscript>Selecting tokens needs JavaScript.</noscript>\n");
    for (size_t i = 0; i < n; i++) {
        int rc = seq_section(o, seqs[i], i, n > 1, vmin, vmax, opts, err);
        if (rc)
            return rc;
    }
    html_puts(o, "<script type=\"application/json\" id=\"as-meta\">{\"palette\":[");
    html_palette_json(o);
    html_puts(o, "],\"seqs\":[");
    for (size_t i = 0; i < n; i++) {
        const as_seq *s = seqs[i];
        char buf[160], lo[32], hi[32];
        pj_repr_double(vmin, lo);
        pj_repr_double(vmax, hi);
        snprintf(buf, sizeof buf, "%s{\"pos\":%ld,\"g\":%zu,\"vmin\":%s,\"vmax\":%s,\"src\":",
                 i ? "," : "", s->attr_pos_start, attr_seq_ncols(s), lo, hi);
        html_puts(o, buf);
        json_values(o, s->source_attr);
        html_puts(o, ",\"tgt\":");
        json_values(o, s->target_attr);
        html_puts(o, "}");
    }
    html_puts(o, "]}</script>\n<script>\n");
    html_puts(o, HTML_ASSET_TOKENS_JS);
    html_puts(o, "</script>\n");
    html_page_end(o);
    return html_out_check(o, err);
}
