/* text.c - heatmaps as text (see text.h). */
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "buf.h"
#include "colormap.h"

#define TEXT_LABEL_MAX 20
#define TEXT_COL_MAX 10
#define TEXT_CAPTION "\xe2\x86\x92 : Generated tokens, \xe2\x86\x93 : Attributed tokens"
#define TEXT_RULE "\xe2\x94\x80" /* ─ */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"

/* ---- buffer helpers --------------------------------------------------- */

static void sb_repeat(as_buf *b, const char *s, int n)
{
    size_t k = strlen(s);
    for (int i = 0; i < n; i++)
        as_buf_add(b, s, k);
}

static void sb_spaces(as_buf *b, int n)
{
    if (n <= 0 || !as_buf_reserve(b, (size_t)n, 0))
        return;
    memset(b->p + b->len, ' ', (size_t)n);
    b->len += (size_t)n;
    b->p[b->len] = 0;
}

/* ---- numbers ------------------------------------------------------------ */

int text_fmt_sci(char *buf, size_t cap, double v, int w)
{
    if (cap)
        buf[0] = '\0';
    for (int prec = w; prec >= 0; prec--) {
        char t[64];
        snprintf(t, sizeof t, "%.*e", prec > 30 ? 30 : prec, v);
        /* e-05 -> e-5, e+07 -> e7 */
        char *e = strchr(t, 'e');
        if (!e)
            return -1;
        char *d = e + 1, *src = e + 1;
        if (*src == '+')
            src++;
        else if (*src == '-')
            *d++ = *src++;
        while (*src == '0' && src[1])
            src++;
        memmove(d, src, strlen(src) + 1);
        int l = (int)strlen(t);
        if (l <= w) {
            snprintf(buf, cap, "%s", t);
            return l;
        }
    }
    return -1;
}

/* A value as shown: rounded to 2 places as inseq's console does; exponent
 * form when huge, and when 2 places would show a value that is not zero as
 * 0.00 ("4e-3", as wide as "0.00"). */
static int fmt_value(char *buf, size_t cap, float v)
{
    double d = v;
    if (fabs(d) >= 1e12 && isfinite(d))
        return snprintf(buf, cap, "%.2e", d);
    if (d != 0 && fabs(d) < 0.005 && isfinite(d)) {
        int n = text_fmt_sci(buf, cap, d, d < 0 ? 5 : 4);
        if (n < 0)   /* exponents of 3 digits */
            n = text_fmt_sci(buf, cap, d, d < 0 ? 6 : 5);
        if (n > 0)
            return n;
    }
    return snprintf(buf, cap, "%.2f", d);
}

int text_digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* ---- labels -------------------------------------------------------------- */

/* Display labels kept in one arena: label k is at arena + off[k]. */
typedef struct labels {
    as_buf arena;
    size_t *off;
    int *w;
    size_t n;
} labels;

static void labels_free(labels *l)
{
    free(l->arena.p);
    free(l->off);
    free(l->w);
    memset(l, 0, sizeof *l);
}

static const char *label_at(const labels *l, size_t k) { return l->arena.p + l->off[k]; }

/* Adds display text: a token (tok != NULL: decoded with mode) or plain text
 * (escaped), fitted in max_cols. */
static void labels_add(labels *l, size_t k, tokens_mode mode, const char *tok, const char *plain,
                       unsigned flags, int max_cols)
{
    char tmp[512];
    char *dst = tmp;
    int cols = 0;
    size_t n;
    for (int pass = 0; pass < 2; pass++) {
        size_t cap = pass ? n + 1 : sizeof tmp;
        if (tok)
            n = tokens_label(dst, cap, mode, tok, flags, max_cols, &cols);
        else
            n = tokens_fit(dst, cap, plain, strlen(plain), flags, max_cols, &cols);
        if (n < sizeof tmp || pass)
            break;
        dst = malloc(n + 1);
        if (!dst) {
            l->arena.oom = true;
            return;
        }
    }
    l->off[k] = l->arena.len;
    l->w[k] = cols;
    as_buf_add(&l->arena, dst, strlen(dst) + 1);
    if (dst != tmp)
        free(dst);
}

static bool labels_init(labels *l, size_t n)
{
    memset(l, 0, sizeof *l);
    l->n = n;
    l->off = calloc(n ? n : 1, sizeof *l->off);
    l->w = calloc(n ? n : 1, sizeof *l->w);
    return l->off && l->w && as_buf_reserve(&l->arena, 64 * (n ? n : 1), 0);
}

/* ---- colors ----------------------------------------------------------- */

/* SGR prefixes: index 0 for a value without a bucket (white), 1 + b for
 * bucket b. */
typedef struct palette {
    char sgr[CMAP_BUCKETS + 1][48];
} palette;

static void color_sgr(char *dst, size_t cap, int bucket, text_color mode)
{
    if (mode == TEXT_COLOR_256) {
        int idx = cmap_ramp256(cmap_level(bucket, CMAP_RAMP256_STEPS));
        bool dark = cmap_dark_text(cmap_xterm256_rgb(idx));
        snprintf(dst, cap, "\033[48;5;%d;38;5;%dm", idx, dark ? 16 : 231);
    } else if (mode == TEXT_COLOR_8) {
        static const char *const fmt[CMAP_RAMP8_STEPS + 1] = {
            "", "\033[3%cm", "\033[1;3%cm", "\033[37;4%cm", "\033[1;37;4%cm"};
        int l = cmap_level(bucket, CMAP_RAMP8_STEPS);
        snprintf(dst, cap, fmt[l < 0 ? -l : l], l < 0 ? '4' : '1');
    } else {
        as_rgba bg = cmap_heatmap_rgb_on_white(bucket);
        bool dark = cmap_dark_text(bg);
        int fg = dark ? 0 : 255;
        snprintf(dst, cap, "\033[48;2;%d;%d;%d;38;2;%d;%d;%dm", bg.r, bg.g, bg.b, fg, fg, fg);
    }
}

static void palette_init(palette *p, text_color mode)
{
    for (int b = -1; b < CMAP_BUCKETS; b++)
        color_sgr(p->sgr[b + 1], sizeof p->sgr[0], b, mode);
}

/* ---- one table ---------------------------------------------------------- */

typedef struct table {
    const text_heatmap *h;
    const text_opts *o;
    bool color;
    bool one_sided;
    double vmin, vmax;
    palette *pal;
    int avail;                 /* usable width (INT_MAX: no limit) */
    int idxw;                  /* digits of the largest row index */
    int labw;                  /* label column width */
    int *cw;                   /* column widths */
    labels rows, cols, steps;
    as_buf line;
} table;

static const float *step_values(const table *t, size_t k) { return t->h->steps->v[k].t->data; }

static size_t nsteps(const table *t) { return t->h->steps ? t->h->steps->n : 0; }

static int table_layout(table *t)
{
    const text_heatmap *h = t->h;
    const text_opts *o = t->o;
    size_t nr = h->values ? h->nrows : 0, nc = h->ncols, ns = nsteps(t);
    char buf[64];
    /* Widest value (the same for every column), at least 4 ("0.00"). */
    int vw = 4;
    if (h->values) {
        const float *d = h->values->data;
        for (size_t i = 0; i < nr * nc; i++) {
            if (isnan(d[i]))
                continue;
            /* Values in (-9.99, 9.99) take "0.00" or "-0.00", or as
             * much when fixed places would lose them ("-4e-3"). */
            if (fabsf(d[i]) < 9.99f && !(d[i] != 0 && fabsf(d[i]) < 1e-9f)) {
                if (signbit(d[i]) && vw < 5)
                    vw = 5;
                continue;
            }
            int n = fmt_value(buf, sizeof buf, d[i]);
            if (n > vw)
                vw = n;
        }
    }
    for (size_t k = 0; k < ns; k++)
        for (size_t j = 0; j < nc; j++) {
            float v = step_values(t, k)[j];
            if (isnan(v))
                continue;
            int n = fmt_value(buf, sizeof buf, v);
            if (n > vw)
                vw = n;
        }
    int cdig = text_digits(nc ? nc - 1 : 0);
    if (cdig > vw)
        vw = cdig;

    t->idxw = text_digits(nr ? nr - 1 : 0);
    int tokcap = o->label_max > 0 ? o->label_max : TEXT_LABEL_MAX;
    if (t->avail != INT_MAX) {
        int room = t->avail - t->idxw - 1 - (vw + 1);
        if (room < tokcap)
            tokcap = room < 1 ? 1 : room;
    }
    if (!labels_init(&t->rows, nr) || !labels_init(&t->cols, nc) || !labels_init(&t->steps, ns))
        return AS_ENOMEM;
    int labw = 0;
    for (size_t i = 0; i < nr; i++) {
        labels_add(&t->rows, i, o->mode, h->rows[i].text ? h->rows[i].text : "", NULL,
                   o->label_flags, tokcap);
        if (t->rows.w[i] > labw)
            labw = t->rows.w[i];
    }
    if (nr)
        labw += t->idxw + 1;
    for (size_t k = 0; k < ns; k++) {
        labels_add(&t->steps, k, TOKENS_NONE, NULL, h->steps->v[k].name, 0,
                   t->idxw + 1 + tokcap);
        if (t->steps.w[k] > labw)
            labw = t->steps.w[k];
    }
    t->labw = labw;

    int colcap = o->col_max > 0 ? o->col_max : TEXT_COL_MAX;
    if (t->avail != INT_MAX && colcap > t->avail - labw - 1)
        colcap = t->avail - labw - 1;
    if (colcap < vw)
        colcap = vw;
    t->cw = calloc(nc ? nc : 1, sizeof *t->cw);
    if (!t->cw)
        return AS_ENOMEM;
    for (size_t j = 0; j < nc; j++) {
        labels_add(&t->cols, j, o->mode, h->cols[j].text ? h->cols[j].text : "", NULL,
                   o->label_flags, colcap);
        t->cw[j] = t->cols.w[j] > vw ? t->cols.w[j] : vw;
    }
    if (t->rows.arena.oom || t->cols.arena.oom || t->steps.arena.oom)
        return AS_ENOMEM;
    return AS_OK;
}

static int table_flush_line(table *t, FILE *f)
{
    if (t->line.oom)
        return AS_ENOMEM;
    if (t->line.len && fwrite(t->line.p, 1, t->line.len, f) != t->line.len)
        return AS_EIO;
    t->line.len = 0;
    return AS_OK;
}

/* Text of display width w, right-aligned in n columns. */
static void put_right(as_buf *b, const char *s, int w, int n)
{
    sb_spaces(b, n - w);
    as_buf_puts(b, s);
}

/* A line of display text centered over tw columns (left when wider), cut
 * at the available width. */
static void put_centered(table *t, const char *s, int tw, bool bold)
{
    char buf[512];
    int w;
    int cap = t->avail == INT_MAX ? -1 : t->avail;
    tokens_truncate(buf, sizeof buf, s, strlen(s), cap, &w);
    if (w < tw)
        sb_spaces(&t->line, (tw - w) / 2);
    if (bold && t->color)
        as_buf_puts(&t->line, SGR_BOLD);
    as_buf_puts(&t->line, buf);
    if (bold && t->color)
        as_buf_puts(&t->line, SGR_RESET);
    as_buf_puts(&t->line, "\n");
}

static void put_label(table *t, const char *s, int w, const char *idx, int idxw)
{
    if (t->color)
        as_buf_puts(&t->line, SGR_BOLD);
    int used = 0;
    if (idx) {
        put_right(&t->line, idx, (int)strlen(idx), idxw);
        as_buf_puts(&t->line, " ");
        used = idxw + 1;
    }
    as_buf_puts(&t->line, s);
    if (t->color)
        as_buf_puts(&t->line, SGR_RESET);
    sb_spaces(&t->line, t->labw - used - w);
}

static int table_page(table *t, FILE *f, size_t c0, size_t c1, size_t page, size_t npages)
{
    const text_heatmap *h = t->h;
    size_t nr = h->values ? h->nrows : 0, nc = h->ncols;
    int tw = t->labw;
    for (size_t j = c0; j < c1; j++)
        tw += t->cw[j] + 1;
    char title[600], num[64];
    int rc;
    const char *name = h->title ? h->title : "Heatmap";
    if (npages > 1 && c1 - c0 == 1)
        snprintf(title, sizeof title, "%s (column %zu of %zu)", name, c0, nc);
    else if (npages > 1)
        snprintf(title, sizeof title, "%s (columns %zu-%zu of %zu)", name, c0, c1 - 1, nc);
    else
        snprintf(title, sizeof title, "%s", name);
    if (page > 0)
        as_buf_puts(&t->line, "\n");
    put_centered(t, title, tw, true);

    /* Column headers: index, then token. */
    for (int pass = 0; pass < 2; pass++) {
        sb_spaces(&t->line, t->labw);
        if (t->color)
            as_buf_puts(&t->line, SGR_BOLD);
        for (size_t j = c0; j < c1; j++) {
            as_buf_puts(&t->line, " ");
            if (pass == 0) {
                snprintf(num, sizeof num, "%zu", j);
                put_right(&t->line, num, (int)strlen(num), t->cw[j]);
            } else {
                put_right(&t->line, label_at(&t->cols, j), t->cols.w[j], t->cw[j]);
            }
        }
        if (t->color)
            as_buf_puts(&t->line, SGR_RESET);
        as_buf_puts(&t->line, "\n");
    }
    sb_repeat(&t->line, TEXT_RULE, tw);
    as_buf_puts(&t->line, "\n");
    if ((rc = table_flush_line(t, f)))
        return rc;

    const float *d = h->values ? h->values->data : NULL;
    char val[64];
    for (size_t i = 0; i < nr; i++) {
        snprintf(num, sizeof num, "%zu", i);
        put_label(t, label_at(&t->rows, i), t->rows.w[i], num, t->idxw);
        bool colored = false;
        for (size_t j = c0; j < c1; j++) {
            float v = d[i * nc + j];
            if (isnan(v)) {
                if (colored)
                    as_buf_puts(&t->line, SGR_RESET);
                colored = false;
                sb_spaces(&t->line, t->cw[j] + 1);
                continue;
            }
            if (t->color) {
                const char *sgr = t->pal->sgr[cmap_bucket_in(v, t->vmin, t->vmax, t->one_sided) + 1];
                if (*sgr) {
                    as_buf_puts(&t->line, sgr);
                    colored = true;
                } else if (colored) {
                    as_buf_puts(&t->line, SGR_RESET);
                    colored = false;
                }
            }
            int n = fmt_value(val, sizeof val, v);
            sb_spaces(&t->line, t->cw[j] + 1 - n);
            as_buf_add(&t->line, val, (size_t)n);
        }
        if (colored)
            as_buf_puts(&t->line, SGR_RESET);
        as_buf_puts(&t->line, "\n");
        if ((rc = table_flush_line(t, f)))
            return rc;
    }

    size_t ns = nsteps(t);
    if (ns && nr) {
        sb_repeat(&t->line, TEXT_RULE, tw);
        as_buf_puts(&t->line, "\n");
    }
    for (size_t k = 0; k < ns; k++) {
        put_label(t, label_at(&t->steps, k), t->steps.w[k], NULL, 0);
        for (size_t j = c0; j < c1; j++) {
            float v = step_values(t, k)[j];
            if (isnan(v)) {
                sb_spaces(&t->line, t->cw[j] + 1);
                continue;
            }
            int n = fmt_value(val, sizeof val, v);
            sb_spaces(&t->line, t->cw[j] + 1 - n);
            bool bold = t->color && fabsf(v) >= 0.5f;
            if (bold)
                as_buf_puts(&t->line, SGR_BOLD);
            as_buf_add(&t->line, val, (size_t)n);
            if (bold)
                as_buf_puts(&t->line, SGR_RESET);
        }
        as_buf_puts(&t->line, "\n");
    }
    if (page + 1 == npages)
        put_centered(t, TEXT_CAPTION, tw, false);
    return table_flush_line(t, f);
}

static int check_heatmap(const text_heatmap *h, as_error *err)
{
    char sh[128];
    const char *title = h->title ? h->title : "Heatmap";
    if (h->values && (h->values->ndim != 2 || h->values->shape[0] != h->nrows ||
                      h->values->shape[1] != h->ncols))
        return as_error_set(err, AS_EDATA, "%s: values of shape %s do not fit %zu rows x %zu columns",
                            title, tensor_shape_str(h->values, sh, sizeof sh), h->nrows, h->ncols);
    for (size_t k = 0; h->steps && k < h->steps->n; k++) {
        const as_tensor *s = h->steps->v[k].t;
        if (tensor_numel(s) != h->ncols || s->ndim != 1)
            return as_error_set(err, AS_EDATA, "%s: step score '%s' of shape %s does not fit %zu columns",
                                title, h->steps->v[k].name, tensor_shape_str(s, sh, sizeof sh),
                                h->ncols);
    }
    return AS_OK;
}

int text_heatmap_write(FILE *f, const text_heatmap *h, double vmin, double vmax,
                       const text_opts *o, as_error *err)
{
    int rc = check_heatmap(h, err);
    if (rc)
        return rc;
    table t = {.h = h, .o = o, .vmin = vmin, .vmax = vmax,
               .one_sided = o->range_mode == AS_RANGE_ONE_SIDED};
    t.color = o->color != TEXT_COLOR_NONE;
    t.avail = o->width > 0 ? o->width : INT_MAX;
    if (t.color) {
        t.pal = malloc(sizeof *t.pal);
        if (!t.pal)
            return as_error_set(err, AS_ENOMEM, "out of memory");
        palette_init(t.pal, o->color);
    }
    rc = table_layout(&t);
    /* Pages of whole columns: at least one each. */
    size_t nc = h->ncols, npages = 0;
    size_t *starts = rc ? NULL : malloc((nc + 2) * sizeof *starts);
    if (!rc && !starts)
        rc = AS_ENOMEM;
    for (size_t j = 0; !rc && (j < nc || npages == 0);) {
        starts[npages++] = j;
        long tw = t.labw;
        size_t k = j;
        while (k < nc && (k == j || tw + t.cw[k] + 1 <= t.avail)) {
            tw += t.cw[k] + 1;
            k++;
        }
        j = k;
        if (nc == 0)
            break;
    }
    if (!rc)
        starts[npages] = nc;
    for (size_t p = 0; !rc && p < npages; p++)
        rc = table_page(&t, f, starts[p], starts[p + 1], p, npages);
    if (!rc) {
        as_buf_puts(&t.line, "\n");
        rc = table_flush_line(&t, f);
    }
    free(starts);
    free(t.cw);
    free(t.pal);
    free(t.line.p);
    labels_free(&t.rows);
    labels_free(&t.cols);
    labels_free(&t.steps);
    if (rc == AS_ENOMEM)
        return as_error_set(err, rc, "out of memory");
    if (rc == AS_EIO)
        return as_error_set(err, rc, "writing text: %s", strerror(errno));
    return rc;
}

/* ---- sequences ----------------------------------------------------------- */

void text_seq_range(const as_seq *s, const text_opts *o, double *vmin, double *vmax)
{
    as_range_spec spec = {.mode = o->range_mode, .percentile = o->percentile,
                          .has_min = o->has_min, .has_max = o->has_max,
                          .min = o->min_val, .max = o->max_val};
    range_acc a;
    range_acc_init(&a, range_needs_values(&spec));
    range_acc_seq(&a, s);
    as_range r = range_resolve(&spec, &a);
    range_acc_free(&a);
    *vmin = r.lo;
    *vmax = r.hi;
}

static int check_seq(const as_seq *s, as_error *err)
{
    char sh[128];
    size_t g = attr_seq_ncols(s);
    if (s->attr_pos_start < 0 || s->attr_pos_end < s->attr_pos_start ||
        (size_t)s->attr_pos_end > s->target.n)
        return as_error_set(err, AS_EDATA,
                            "attr_pos_start %ld .. attr_pos_end %ld do not fit %zu target tokens",
                            s->attr_pos_start, s->attr_pos_end, s->target.n);
    const as_tensor *ts[2] = {s->source_attr, s->target_attr};
    const char *names[2] = {"source_attributions", "target_attributions"};
    for (int k = 0; k < 2; k++) {
        const as_tensor *t = ts[k];
        if (!t)
            continue;
        if (t->ndim != 2)
            return as_error_set(err, AS_EDATA,
                                "%s: shape %s is not 2-dimensional (aggregate it first)",
                                names[k], tensor_shape_str(t, sh, sizeof sh));
        size_t rows_max = k ? s->target.n : s->source.n;
        if ((k == 0 ? t->shape[0] != rows_max : t->shape[0] > rows_max) || t->shape[1] != g)
            return as_error_set(err, AS_EDATA,
                                "%s: shape %s does not fit %zu %s tokens x %zu generated tokens",
                                names[k], tensor_shape_str(t, sh, sizeof sh), rows_max,
                                k ? "target" : "source", g);
    }
    for (size_t k = 0; k < s->step_scores.n; k++) {
        const as_tensor *t = s->step_scores.v[k].t;
        if (t->ndim != 1 || t->shape[0] != g)
            return as_error_set(err, AS_EDATA,
                                "step_scores.%s: shape %s does not fit %zu generated tokens",
                                s->step_scores.v[k].name, tensor_shape_str(t, sh, sizeof sh), g);
    }
    return AS_OK;
}

int text_seq_write(FILE *f, const as_seq *s, const text_opts *o, as_error *err)
{
    int rc = check_seq(s, err);
    if (rc)
        return rc;
    double vmin, vmax;
    text_seq_range(s, o, &vmin, &vmax);
    const as_scores *steps = s->step_scores.n ? &s->step_scores : NULL;
    const as_token *cols = s->target.v + s->attr_pos_start;
    size_t g = attr_seq_ncols(s);
    if (s->source_attr) {
        text_heatmap h = {.title = "Source Saliency Heatmap", .values = s->source_attr,
                          .rows = s->source.v, .nrows = s->source_attr->shape[0],
                          .cols = cols, .ncols = g, .steps = s->target_attr ? NULL : steps};
        if ((rc = text_heatmap_write(f, &h, vmin, vmax, o, err)))
            return rc;
    }
    if (s->target_attr || (!s->source_attr && steps)) {
        text_heatmap h = {.title = "Target Saliency Heatmap", .values = s->target_attr,
                          .rows = s->target.v, .nrows = s->target_attr ? s->target_attr->shape[0] : 0,
                          .cols = cols, .ncols = g, .steps = steps};
        if ((rc = text_heatmap_write(f, &h, vmin, vmax, o, err)))
            return rc;
    }
    return AS_OK;
}

/* ---- legend ------------------------------------------------------------- */

static void fmt_bound(char *buf, size_t cap, double v)
{
    if (v == 0)
        v = 0; /* no "-0" */
    snprintf(buf, cap, "%.4g", v);
}

int text_legend_write(FILE *f, double vmin, double vmax, const text_opts *o, as_error *err)
{
    char lo[32], hi[32];
    fmt_bound(lo, sizeof lo, vmin);
    fmt_bound(hi, sizeof hi, vmax);
    as_buf b = {0};
    as_buf_puts(&b, "range: ");
    as_buf_puts(&b, lo);
    if (o->color == TEXT_COLOR_NONE) {
        as_buf_puts(&b, " to ");
    } else {
        /* A bar of the colormap from vmin to vmax (blue negative, red
         * positive), each cell the color of its middle value. */
        enum { BAR = 16 };
        char sgr[64];
        as_buf_puts(&b, " ");
        for (int k = 0; k < BAR; k++) {
            double v = vmin + (vmax - vmin) * (k + 0.5) / BAR;
            int bucket = cmap_bucket_in(v, vmin, vmax, o->range_mode == AS_RANGE_ONE_SIDED);
            color_sgr(sgr, sizeof sgr, bucket, o->color);
            as_buf_puts(&b, sgr);
            /* 8 colors: the sign shows where only the text is colored */
            as_buf_puts(&b, o->color != TEXT_COLOR_8 || bucket < 0 ? " " : bucket < 128 ? "-" : "+");
            if (!*sgr)
                continue;
            as_buf_puts(&b, SGR_RESET);
        }
        as_buf_puts(&b, " ");
    }
    as_buf_puts(&b, hi);
    char how[64];
    if (o->range_note)
        snprintf(how, sizeof how, "%s", o->range_note);
    else
        range_spec_label(&(as_range_spec){.mode = o->range_mode, .percentile = o->percentile,
                                      .has_min = o->has_min, .has_max = o->has_max},
                     how, sizeof how);
    as_buf_puts(&b, " (");
    as_buf_puts(&b, how);
    as_buf_puts(&b, ")\n");
    int rc = AS_OK;
    if (b.oom)
        rc = as_error_set(err, AS_ENOMEM, "out of memory");
    else if (fwrite(b.p, 1, b.len, f) != b.len)
        rc = as_error_set(err, AS_EIO, "writing text: %s", strerror(errno));
    free(b.p);
    return rc;
}
