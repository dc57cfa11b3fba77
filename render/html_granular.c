/* html_granular.c - the granular explorer page (inseq's show_granular):
 * values embedded once as base64 float32/float16, drawn by the page's own
 * script. */
#include "html.h"
#include "html_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { ROLE_SLIDER = 0, ROLE_SHOW = 1 };

/* One tensor to show, after slicing. */
typedef struct gmap {
    const as_seq *seq;
    size_t seq_index;
    int which;                        /* 0 source, 1 target */
    const as_tensor *t;
    int ndim;
    size_t start[AS_MAX_DIMS], count[AS_MAX_DIMS];
    int role[AS_MAX_DIMS];            /* for dims >= 2 */
    bool sliced;                      /* some dim does not start at 0 / is shorter */
    size_t numel;
    double vmin, vmax;
    int group;                        /* maps of a sequence sharing controls */
} gmap;

static const char *map_label(int which) { return which ? "Target" : "Source"; }

static int resolve_dim(const html_dim_ref *ref, const gmap *m, const char *what, int *out,
                       as_error *err)
{
    char sh[128];
    tensor_shape_str(m->t, sh, sizeof sh);
    if (ref->name) {
        for (int d = 2; d < m->ndim; d++) {
            if (!strcasecmp(attr_dim_name(m->seq->cls, m->ndim, d), ref->name)) {
                *out = d;
                return AS_OK;
            }
        }
        char names[512] = "";
        size_t len = 0;
        for (int d = 2; d < m->ndim; d++)
            len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0,
                                    "%s\"%s\" (%d)", d > 2 ? ", " : "",
                                    attr_dim_name(m->seq->cls, m->ndim, d), d);
        return as_error_set(err, AS_EUSAGE,
                            "sequence %zu: %s_attributions %s: %s: no dimension named \"%s\"; "
                            "extra dimensions: %s",
                            m->seq_index, m->which ? "target" : "source",
                            sh, what, ref->name, m->ndim > 2 ? names : "none (2D tensor)");
    }
    if (ref->index < 2 || ref->index >= m->ndim) {
        if (m->ndim <= 2)
            return as_error_set(err, AS_EUSAGE,
                                "sequence %zu: %s_attributions %s: %s: dimension %d: the tensor "
                                "has no extra dimensions (it is already 2D)",
                                m->seq_index, m->which ? "target" : "source", sh, what,
                                ref->index);
        return as_error_set(err, AS_EUSAGE,
                            "sequence %zu: %s_attributions %s: %s: dimension %d is not an extra "
                            "dimension; valid indices are 2..%d",
                            m->seq_index, m->which ? "target" : "source", sh, what, ref->index,
                            m->ndim - 1);
    }
    *out = ref->index;
    return AS_OK;
}

/* Python slice [a, b) over n items (step 1): clamped start and count. */
static void py_slice(long a, long b, size_t n, size_t *start, size_t *count)
{
    long ln = (long)n;
    if (a < 0)
        a += ln;
    if (b < 0)
        b += ln;
    if (a < 0)
        a = 0;
    if (a > ln)
        a = ln;
    if (b < 0)
        b = 0;
    if (b > ln)
        b = ln;
    *start = (size_t)a;
    *count = b > a ? (size_t)(b - a) : 0;
}

static int plan_map(gmap *m, const html_granular_opts *o, as_error *err)
{
    const as_tensor *t = m->t;
    char sh[128];
    if (t->ndim < 2)
        return as_error_set(err, AS_EDATA, "sequence %zu: %s_attributions: shape %s has fewer "
                            "than 2 dimensions", m->seq_index, m->which ? "target" : "source",
                            tensor_shape_str(t, sh, sizeof sh));
    size_t rows = m->which ? m->seq->target.n : m->seq->source.n;
    size_t g = attr_seq_ncols(m->seq);
    if (t->shape[0] != rows || t->shape[1] != g)
        return as_error_set(err, AS_EDATA,
                            "sequence %zu: %s_attributions: shape %s does not match %zu %s "
                            "tokens x %zu generated tokens",
                            m->seq_index, m->which ? "target" : "source",
                            tensor_shape_str(t, sh, sizeof sh), rows,
                            m->which ? "target" : "source", g);
    m->ndim = t->ndim;
    for (int d = 0; d < m->ndim; d++) {
        m->start[d] = 0;
        m->count[d] = t->shape[d];
        m->role[d] = ROLE_SLIDER;
    }
    for (size_t i = 0; i < o->nslices; i++) {
        int d;
        int rc = resolve_dim(&o->slices[i].dim, m, "slice_dims", &d, err);
        if (rc)
            return rc;
        py_slice(o->slices[i].start, o->slices[i].stop, t->shape[d], &m->start[d], &m->count[d]);
        if (m->count[d] == 0)
            return as_error_set(err, AS_EUSAGE,
                                "sequence %zu: slice_dims: [%ld, %ld) of dimension %d (%s, size "
                                "%zu) is empty",
                                m->seq_index, o->slices[i].start, o->slices[i].stop, d,
                                attr_dim_name(m->seq->cls, m->ndim, d), t->shape[d]);
    }
    size_t maxshow = o->max_show_size ? o->max_show_size : 20;
    int show = -1;
    if (o->show_dim_set) {
        int rc = resolve_dim(&o->show_dim, m, "show_dim", &show, err);
        if (rc)
            return rc;
        if (m->count[show] > maxshow)
            return as_error_set(err, AS_EUSAGE,
                                "sequence %zu: show_dim: dimension %d (%s) has size %zu, more "
                                "than max_show_size %zu; choose another dimension, narrow it "
                                "with slice_dims or raise max_show_size",
                                m->seq_index, show, attr_dim_name(m->seq->cls, m->ndim, show),
                                m->count[show], maxshow);
    } else if (!o->no_show_dim) {
        for (int d = 2; d < m->ndim && show < 0; d++)
            if (m->count[d] <= maxshow)
                show = d;
    }
    if (show >= 2)
        m->role[show] = ROLE_SHOW;
    m->numel = 1;
    m->sliced = false;
    for (int d = 0; d < m->ndim; d++) {
        m->numel *= m->count[d];
        if (m->start[d] != 0 || m->count[d] != t->shape[d])
            m->sliced = true;
    }
    return AS_OK;
}

/* Copies the sliced view of t into out (row-major). */
static float *copy_view(const gmap *m, int d, const float *src, float *out)
{
    const as_tensor *t = m->t;
    size_t inner = 1;
    for (int k = d + 1; k < m->ndim; k++)
        inner *= t->shape[k];
    src += m->start[d] * inner;
    if (d == m->ndim - 1) {
        memcpy(out, src, m->count[d] * sizeof *out);
        return out + m->count[d];
    }
    for (size_t i = 0; i < m->count[d]; i++)
        out = copy_view(m, d + 1, src + i * inner, out);
    return out;
}

/* The values of a map: t->data itself when not sliced, else a copy in
 * *owned (caller frees). */
static const float *map_values(const gmap *m, float **owned, as_error *err)
{
    *owned = NULL;
    if (!m->sliced)
        return m->t->data;
    float *buf = malloc(m->numel ? m->numel * sizeof *buf : 1);
    if (!buf) {
        as_error_set(err, AS_ENOMEM, "granular page: out of memory for a %zu-value slice",
                     m->numel);
        return NULL;
    }
    copy_view(m, 0, m->t->data, buf);
    *owned = buf;
    return buf;
}

/* treescope's inferred range: max |finite value|, trimmed to three
 * root-mean-squares around zero, symmetric. */
static double inferred_max(const float *v, size_t n)
{
    double mx = 0, sq = 0;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!isfinite(x))
            continue;
        double a = fabs(x);
        if (a > mx)
            mx = a;
        sq += x * x;
        nf++;
    }
    double sigma = nf ? sqrt(sq / (double)nf) : 2 * mx;
    return mx < 3 * sigma ? mx : 3 * sigma;
}

static uint16_t f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) /* inf / nan */
        return (uint16_t)(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0));
    if (ax >= 0x477ff000u) /* rounds to >= 65520: overflow */
        return (uint16_t)(sign | 0x7c00u);
    if (ax < 0x38800000u) { /* subnormal half (or zero) */
        float a;
        memcpy(&a, &ax, sizeof a);
        /* a * 2^24 rounded to nearest even integer is the mantissa */
        uint32_t man = (uint32_t)nearbyintf(a * 16777216.0f);
        return (uint16_t)(sign | man);
    }
    uint32_t mant = ax & 0x7fffffu;
    uint32_t exp = (ax >> 23) - 112;
    uint32_t h = (exp << 10) | (mant >> 13);
    uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
        h++;
    return (uint16_t)(sign | h);
}

/* Writes the values of a map as base64 inside its own script element. */
static int write_blob(html_out *o, const gmap *m, size_t id, bool f16, as_error *err)
{
    float *owned;
    const float *v = map_values(m, &owned, err);
    if (!v)
        return err ? err->code : AS_ENOMEM;
    html_puts(o, "<script type=\"application/octet-stream\" id=\"as-blob-");
    html_uint(o, id);
    html_puts(o, "\">");
    if (!f16) {
        html_base64(o, v, m->numel * sizeof *v);
    } else {
        /* Convert in chunks (a multiple of 3 bytes keeps base64 contiguous). */
        enum { CH = 3 * 8192 };
        uint16_t buf[CH];
        for (size_t i = 0; i < m->numel; i += CH) {
            size_t k = m->numel - i < CH ? m->numel - i : CH;
            for (size_t j = 0; j < k; j++)
                buf[j] = f32_to_f16(v[i + j]);
            html_base64(o, buf, k * sizeof *buf);
        }
    }
    html_puts(o, "</script>\n");
    free(owned);
    return AS_OK;
}

static void json_tokens(html_out *o, const html_common *c, const as_token *v, size_t n)
{
    html_put(o, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            html_put(o, ",", 1);
        html_json_str(o, html_tok_label(c, &v[i]));
    }
    html_put(o, "]", 1);
}

static void json_num(html_out *o, double v)
{
    char buf[32];
    if (!isfinite(v))
        v = 0;
    pj_repr_double(v, buf);
    html_puts(o, buf);
}

static void seq_title(html_out *o, const html_common *c, const as_seq *s, size_t index)
{
    /* "Sequence 3: <first generated tokens>" as a JSON string. */
    char buf[160];
    size_t len = (size_t)snprintf(buf, sizeof buf, "Sequence %zu: ", index);
    for (long j = s->attr_pos_start; j < s->attr_pos_end && len < 100; j++) {
        const char *t = html_tok_label(c, &s->target.v[j]);
        size_t tl = strlen(t);
        if (len + tl > 100) {
            /* cut at a UTF-8 boundary */
            size_t k = 100 - len;
            while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
                k--;
            tl = k;
        }
        memcpy(buf + len, t, tl);
        len += tl;
    }
    buf[len] = '\0';
    html_json_str(o, buf);
}

static bool same_layout(const gmap *a, const gmap *b)
{
    if (a->ndim != b->ndim)
        return false;
    for (int d = 2; d < a->ndim; d++)
        if (a->count[d] != b->count[d] || a->start[d] != b->start[d] || a->role[d] != b->role[d])
            return false;
    return true;
}

static void write_meta(html_out *o, const gmap *maps, size_t nmaps, const html_granular_opts *opts)
{
    html_puts(o, "{\"palette\":[");
    html_palette_json(o);
    html_puts(o, "],\"seqs\":[");
    size_t i = 0;
    bool first_seq = true;
    while (i < nmaps) {
        const as_seq *s = maps[i].seq;
        if (!first_seq)
            html_put(o, ",", 1);
        first_seq = false;
        html_puts(o, "{\"title\":");
        seq_title(o, &opts->c, s, maps[i].seq_index);
        html_puts(o, ",\"groups\":[");
        int group = -1;
        for (; i < nmaps && maps[i].seq == s; i++) {
            const gmap *m = &maps[i];
            if (m->group != group) {
                if (group >= 0)
                    html_puts(o, "]},");
                group = m->group;
                html_puts(o, "{\"dims\":[");
                for (int d = 2; d < m->ndim; d++) {
                    if (d > 2)
                        html_put(o, ",", 1);
                    html_puts(o, "{\"dim\":");
                    html_uint(o, (size_t)d);
                    html_puts(o, ",\"name\":");
                    html_json_str(o, attr_dim_name(s->cls, m->ndim, d));
                    html_puts(o, ",\"size\":");
                    html_uint(o, m->count[d]);
                    html_puts(o, ",\"offset\":");
                    html_uint(o, m->start[d]);
                    html_puts(o, m->role[d] == ROLE_SHOW ? ",\"role\":\"show\"}"
                                                         : ",\"role\":\"slider\"}");
                }
                html_puts(o, "],\"maps\":[");
            } else {
                html_put(o, ",", 1);
            }
            html_puts(o, "{\"label\":\"");
            html_puts(o, map_label(m->which));
            html_puts(o, "\",\"rows\":");
            const as_tokens *rows = m->which ? &s->target : &s->source;
            json_tokens(o, &opts->c, rows->v, rows->n);
            html_puts(o, ",\"cols\":");
            json_tokens(o, &opts->c, s->target.v + s->attr_pos_start, attr_seq_ncols(s));
            html_puts(o, ",\"shape\":[");
            for (int d = 0; d < m->ndim; d++) {
                if (d)
                    html_put(o, ",", 1);
                html_uint(o, m->count[d]);
            }
            html_puts(o, "],\"vmin\":");
            json_num(o, m->vmin);
            html_puts(o, ",\"vmax\":");
            json_num(o, m->vmax);
            html_puts(o, ",\"blob\":\"as-blob-");
            html_uint(o, (size_t)(m - maps));
            html_puts(o, opts->float16 ? "\",\"f16\":true}" : "\",\"f16\":false}");
        }
        if (group >= 0)
            html_puts(o, "]}");
        html_puts(o, "]}");
    }
    html_puts(o, "]}");
}

int html_granular_page(html_out *o, const as_seq *const *seqs, size_t n,
                       const html_granular_opts *opts, as_error *err)
{
    static const html_granular_opts defaults;
    if (!opts)
        opts = &defaults;
    gmap *maps = calloc(2 * n + 1, sizeof *maps);
    if (!maps)
        return as_error_set(err, AS_ENOMEM, "granular page: out of memory");
    size_t nmaps = 0;
    int rc = AS_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const as_seq *s = seqs[i];
        if (s->attr_pos_start < 0 || s->attr_pos_end < s->attr_pos_start ||
            (size_t)s->attr_pos_end > s->target.n) {
            rc = as_error_set(err, AS_EDATA,
                              "sequence %zu: attr_pos_start %ld / attr_pos_end %ld do not fit "
                              "%zu target tokens",
                              i, s->attr_pos_start, s->attr_pos_end, s->target.n);
            break;
        }
        int group = 0;
        for (int w = 0; w < 2 && !rc; w++) {
            const as_tensor *t = w ? s->target_attr : s->source_attr;
            if (!t)
                continue;
            gmap *m = &maps[nmaps];
            m->seq = s, m->seq_index = i, m->which = w, m->t = t;
            rc = plan_map(m, opts, err);
            if (rc)
                break;
            if (nmaps > 0 && maps[nmaps - 1].seq == s && same_layout(&maps[nmaps - 1], m))
                m->group = maps[nmaps - 1].group;
            else
                m->group = group++;
            float *owned;
            const float *v = map_values(m, &owned, err);
            if (!v) {
                rc = err ? err->code : AS_ENOMEM;
                break;
            }
            html_range(&opts->c, inferred_max(v, m->numel), true, &m->vmin, &m->vmax);
            free(owned);
            nmaps++;
        }
    }
    if (rc) {
        free(maps);
        return rc;
    }
    /* Size check before anything is written. */
    html_out meta;
    html_out_mem(&meta);
    write_meta(&meta, maps, nmaps, opts);
    size_t metalen;
    char *metabuf = html_out_take(&meta, &metalen, err);
    html_out_free(&meta);
    if (!metabuf) {
        free(maps);
        return err ? err->code : AS_ENOMEM;
    }
    double bytes = (double)metalen + 64 * 1024;
    size_t esize = opts->float16 ? 2 : 4;
    for (size_t i = 0; i < nmaps; i++)
        bytes += 4.0 * ceil((double)maps[i].numel * (double)esize / 3.0) + 128;
    double limit = (opts->max_mb > 0 ? opts->max_mb : 64) * 1024 * 1024;
    if (bytes > limit) {
        rc = as_error_set(err, AS_EUSAGE,
                          "granular page would be %.1f MB, over the limit of %.1f MB: narrow "
                          "it with slice_dims (e.g. keep part of the embedding dimension), "
                          "aggregate first, embed float16 or raise the limit",
                          bytes / (1024.0 * 1024.0), limit / (1024.0 * 1024.0));
        free(metabuf);
        free(maps);
        return rc;
    }
    html_page_begin(o, opts->c.title ? opts->c.title : "attrscope: granular attributions",
                    HTML_ASSET_GRANULAR_CSS);
    html_puts(o, "<header class=\"top\"><h1>");
    html_text(o, opts->c.title ? opts->c.title : "Granular attributions");
    html_puts(o, "</h1><label>Sequence <select id=\"seq\"></select></label>"
                 "<label><input type=\"checkbox\" id=\"vals\"> show values</label></header>\n"
                 "<noscript>This page draws its heatmaps with JavaScript; please enable it."
                 "</noscript>\n<main id=\"view\"></main>\n"
                 "<script type=\"application/json\" id=\"as-meta\">");
    html_put(o, metabuf, metalen);
    html_puts(o, "</script>\n");
    free(metabuf);
    for (size_t i = 0; i < nmaps && !rc; i++)
        rc = write_blob(o, &maps[i], i, opts->float16, err);
    html_puts(o, "<script>\n");
    html_puts(o, HTML_ASSET_GRANULAR_JS);
    html_puts(o, "</script>\n");
    html_page_end(o);
    free(maps);
    if (rc)
        return rc;
    return html_out_check(o, err);
}
