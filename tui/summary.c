/* summary.c - the dataset overview screen (O) and the sequence list sorted
 * by a summary column (s); see overview.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "sumread.h"
#include "summary.h"
#include "sumview.h"
#include "panels.h"

/* What was read of one file, to take back while the file stays the same. */
typedef struct sum_cached {
    char *path;
    as_filesig sig;            /* before it was read */
    bool have_sig;
    sum_part *part;            /* a copy; NULL: not read (yet), or it failed */
} sum_cached;

struct tui_sum {
    sum_reader *r;
    as_summary *s;
    size_t nfiles;
    size_t *sfirst, *scount;   /* per file of the explorer: its summary sequences */
    sum_cached *cache;         /* per file of the explorer, for the pipeline below */
    size_t ncache;
    sum_part **reuse;          /* per file: its part taken from the cache, or NULL */
    size_t nreused;            /* files taken from the cache in this summary */
    size_t *readmap;           /* the reader's file j is the explorer's file readmap[j] */
    size_t next;               /* the next file to add, in the explorer's order */
    bool reading;
    unsigned long gen;         /* bumps when sequences are added */
    double t0, t_done, t_drawn;
    char pipeline[VIEW_PIPE_MAX];
    char cache_pipeline[VIEW_PIPE_MAX];   /* the pipeline of the cached parts */
    char error[AS_ERROR_MAX];  /* why the summary could not start */
};


static void cache_free(sum_cached *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].path);
        summary_part_free(c[i].part);
    }
    free(c);
}

static void sum_stop(tui_sum *m)
{
    sumread_free(m->r);
    m->r = NULL;
    summary_free(m->s);
    m->s = NULL;
    free(m->sfirst);
    free(m->scount);
    m->sfirst = m->scount = NULL;
    if (m->reuse)
        for (size_t i = 0; i < m->nfiles; i++)
            summary_part_free(m->reuse[i]);
    free(m->reuse);
    m->reuse = NULL;
    free(m->readmap);
    m->readmap = NULL;
    m->nreused = m->next = 0;
    m->reading = false;
}

void tui_summary_free(tui *t)
{
    if (!t->sum)
        return;
    sum_stop(t->sum);
    cache_free(t->sum->cache, t->sum->ncache);
    free(t->sum);
    t->sum = NULL;
}

/* Adds a part for file fi (consumed). */
static void sum_take(tui_sum *m, size_t fi, const char *name, sum_part *part, char *msg)
{
    as_error err = {0};
    if (msg) {
        summary_add_failure(m->s, name, msg);
        free(msg);
        return;
    }
    size_t before = summary_nseqs(m->s);
    if (summary_add_part(m->s, name, part, &err) != AS_OK) {
        snprintf(m->error, sizeof m->error, "%s", err.msg);
        return;
    }
    if (fi < m->nfiles) {
        m->sfirst[fi] = before;
        m->scount[fi] = summary_nseqs(m->s) - before;
    }
    m->gen++;
}

/* Adds the files before `upto` that come from the cache. */
static void sum_advance(tui *t, size_t upto)
{
    tui_sum *m = t->sum;
    for (; m->next < upto && m->next < m->nfiles && m->reuse[m->next]; m->next++) {
        sum_take(m, m->next, catalog_file(t->cat, m->next), m->reuse[m->next], NULL);
        m->reuse[m->next] = NULL;
    }
}

/* The cache entry of path in the old cache (file i first: files keep their
 * place, new ones come after), or NULL. */
static sum_cached *cache_find(sum_cached *c, size_t n, size_t i, const char *path)
{
    if (i < n && c[i].path && !strcmp(c[i].path, path))
        return &c[i];
    for (size_t k = 0; k < n; k++)
        if (c[k].path && !strcmp(c[k].path, path))
            return &c[k];
    return NULL;
}

/* Which of the catalog's files are read (their paths into files, the
 * reader's order into m->readmap) and which are taken from the cache
 * (m->reuse), building the new cache.  The number to read, or -1 when out
 * of memory. */
static long sum_plan(tui *t, bool changed_only, const char **files)
{
    tui_sum *m = t->sum;
    size_t n = m->nfiles;
    sum_cached *old = m->cache;
    size_t nold = m->ncache;
    if (!changed_only || strcmp(m->cache_pipeline, m->pipeline) != 0) {
        cache_free(old, nold);
        old = NULL;
        nold = 0;
    }
    m->cache = calloc(n, sizeof *m->cache);
    m->ncache = m->cache ? n : 0;
    m->reuse = calloc(n, sizeof *m->reuse);
    m->readmap = calloc(n, sizeof *m->readmap);
    snprintf(m->cache_pipeline, sizeof m->cache_pipeline, "%s", m->pipeline);
    long nread = 0;
    for (size_t i = 0; m->cache && m->reuse && m->readmap && i < n; i++) {
        const char *path = catalog_file(t->cat, i);
        sum_cached *now = &m->cache[i], *was = cache_find(old, nold, i, path);
        now->have_sig = catalog_filesig(path, &now->sig);
        if (was && was->part && was->have_sig && now->have_sig &&
            catalog_filesig_same(&was->sig, &now->sig)) {
            as_error err = {0};
            m->reuse[i] = summary_part_copy(was->part, &err);
        }
        if (m->reuse[i]) {
            *now = *was;   /* moved */
            *was = (sum_cached){0};
            m->nreused++;
        } else {
            now->path = strdup(path);
            files[nread] = path;
            m->readmap[nread++] = i;
        }
    }
    cache_free(old, nold);
    return m->cache && m->reuse && m->readmap ? nread : -1;
}

/* Summarising the one loaded output (tui_busy's worker). */
typedef struct part_job {
    const as_output *o;
    const as_pipeline *p;
    sum_part *part;
    as_error err;
} part_job;

static int part_run(tui *t, void *ud)
{
    (void)t;
    part_job *j = ud;
    j->part = summary_part_compute(j->o, j->p, &j->err);
    return j->part ? 0 : -1;
}

/* (Re)starts the summary of the explorer's files with its pipeline. */
static void sum_start(tui *t, bool changed_only)
{
    if (!t->sum && !(t->sum = calloc(1, sizeof *t->sum)))
        return;
    tui_sum *m = t->sum;
    sum_stop(m);
    m->error[0] = '\0';
    m->gen++;
    m->t0 = tui_now_ms();
    m->t_done = 0;
    snprintf(m->pipeline, sizeof m->pipeline, "%s",
             t->v.ch.pipeline[0] ? t->v.ch.pipeline : "default");
    m->s = summary_new();
    size_t n = t->cat ? catalog_nfiles(t->cat) : 1;
    m->nfiles = n;
    m->sfirst = calloc(n, sizeof *m->sfirst);
    m->scount = calloc(n, sizeof *m->scount);
    if (!m->s || !m->sfirst || !m->scount) {
        snprintf(m->error, sizeof m->error, "out of memory");
        return;
    }
    as_error err = {0};
    as_pipeline p = {0};
    if (pipe_parse(m->pipeline, &p, NULL, &err) != AS_OK) {
        snprintf(m->error, sizeof m->error, "pipeline: %s", err.msg);
        return;
    }
    if (!t->cat) {
        /* one file (or the in-memory example), already loaded whole: it is
         * summarised from memory, on a worker with a bar when that takes
         * long, instead of being read again */
        part_job j = {.o = t->out, .p = &p};
        if (t->out)
            tui_busy(t, "Summarising", 0, part_run, &j);
        else
            snprintf(j.err.msg, sizeof j.err.msg, "nothing loaded");
        const char *name = t->opts->nfiles ? t->opts->files[0]
                           : t->opts->bufname ? t->opts->bufname : "example";
        if (j.part)
            sum_take(m, 0, name, j.part, NULL);
        else
            snprintf(m->error, sizeof m->error, "%s", j.err.msg);
        pipe_free(&p);
        m->t_done = tui_now_ms();
        return;
    }
    const char **files = malloc(n * sizeof *files);
    long nread = files ? sum_plan(t, changed_only, files) : -1;
    if (nread < 0) {
        free(files);
        pipe_free(&p);
        snprintf(m->error, sizeof m->error, "out of memory");
        return;
    }
    if (nread == 0) {
        /* nothing changed: every file from the cache */
        free(files);
        pipe_free(&p);
        sum_advance(t, n);
        m->t_done = tui_now_ms();
        return;
    }
    m->r = sumread_start(files, (size_t)nread, &p, 1, &err);
    free(files);
    pipe_free(&p);
    if (!m->r) {
        snprintf(m->error, sizeof m->error, "%s", err.msg);
        return;
    }
    m->reading = true;
    wtimeout(stdscr, 30);
}

/* Starts the summary unless one with the explorer's pipeline runs. */
static void sum_ensure(tui *t)
{
    const char *p = t->v.ch.pipeline[0] ? t->v.ch.pipeline : "default";
    if (!t->sum || !t->sum->s || strcmp(t->sum->pipeline, p) != 0)
        sum_start(t, true);
}

void tui_summary_restart(tui *t, bool changed_only)
{
    if (t->sum && t->sum->s)
        sum_start(t, changed_only);
}

bool tui_summary_busy(const tui *t) { return t->sum && t->sum->reading; }

unsigned tui_summary_poll(tui *t)
{
    tui_sum *m = t->sum;
    if (!m || !m->reading)
        return 0;
    size_t fi;
    sum_part *part;
    char *msg;
    bool got = false;
    double t0 = tui_now_ms();
    int rc;
    /* a few at a time, so keys stay quick */
    while (tui_now_ms() - t0 < 20 && (rc = sumread_next(m->r, false, &fi, &part, &msg)) == 1) {
        fi = m->readmap[fi];
        sum_advance(t, fi);
        sum_cached *c = &m->cache[fi];
        if (part && c->have_sig) {
            as_error err = {0};
            c->part = summary_part_copy(part, &err);   /* NULL: read it again next time */
        }
        sum_take(m, fi, catalog_file(t->cat, fi), part, msg);
        m->next = fi + 1;
        got = true;
    }
    if (sumread_taken(m->r) >= sumread_total(m->r)) {
        sum_advance(t, m->nfiles);
        m->reading = false;
        m->t_done = tui_now_ms();
        sumread_free(m->r);
        m->r = NULL;
        return TUI_REDRAW;
    }
    if (got && tui_now_ms() - m->t_drawn > 150) {
        m->t_drawn = tui_now_ms();
        return TUI_REDRAW;
    }
    return 0;
}

void tui_summary_status(const tui *t, char *buf, size_t n)
{
    buf[0] = '\0';
    const tui_sum *m = t->sum;
    if (!m || !m->reading || !m->r)
        return;
    snprintf(buf, n, "overview: reading files %zu/%zu, %zu sequences", m->next, m->nfiles,
             summary_nseqs(m->s));
}

/* The summary index of explorer sequence k, or -1 (not read yet, or left
 * out). */
static long sum_index(const tui *t, size_t k)
{
    const tui_sum *m = t->sum;
    if (!m || !m->s)
        return -1;
    size_t fi = 0, local = k;
    if (t->cat && !catalog_meta(t->cat, k, &fi, &local))
        return -1;
    if (fi >= m->nfiles || !m->scount[fi])
        return -1;
    /* the part's sequences ascend in local index, with gaps for failures */
    size_t lo = m->sfirst[fi], hi = lo + m->scount[fi];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t l = summary_seq(m->s, mid)->local;
        if (l == local)
            return (long)mid;
        if (l < local)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static void fmt_num(char *buf, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(buf, cap, isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
    else if (v == floor(v) && fabs(v) < 1e9)
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.4g", v);
}

/* ---------------------------------------------------------- overview */

typedef struct overview {
    screen s;
    size_t top;
    int page;
    char **lines;
    size_t n;
    unsigned long gen;
    int width;
} overview;

static void ov_lines_free(overview *o)
{
    tui_lines_free(o->lines, o->n);
    o->lines = NULL;
    o->n = 0;
}

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void addf(lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(lines *l, const char *fmt, ...)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = strdup(buf);
    if (s)
        l->v[l->n++] = s;
}

static void hist_line(lines *l, const char *title, const sum_hist *h)
{
    char mean[32], lo[32], hi[32], spark[SUMVIEW_BYTES(64)];
    fmt_num(mean, sizeof mean, h->mean);
    fmt_num(lo, sizeof lo, h->min);
    fmt_num(hi, sizeof hi, h->max);
    if (tui_utf8())
        sumview_spark(spark, sizeof spark, h->counts, h->nbins < 64 ? h->nbins : 64);
    else
        spark[0] = '\0';
    int pad = 30 - tui_width(title);
    addf(l, "%s%*s %7zu %7zu %9s %9s %9s  %s", title, pad > 0 ? pad : 0, "", h->n, h->missing,
         mean, lo, hi, spark);
}

static void ov_build(tui *t, overview *o)
{
    tui_sum *m = t->sum;
    lines l = {0};
    char safe[2 * AS_ERROR_MAX];
    if (m->error[0]) {
        tui_safe(m->error, safe, sizeof safe);
        addf(&l, "The overview could not be made: %s", safe);
    }
    as_summary *s = m->s;
    if (s) {
        size_t nf = m->nfiles, done = m->reading ? m->next : nf;
        tui_safe(m->pipeline, safe, sizeof safe);
        addf(&l, "%zu sequences, %zu generation steps, from %zu of %zu files%s (pipeline %s)",
             summary_nseqs(s), summary_nsteps(s), done, nf,
             m->reading ? ", still reading" : "", safe);
        if (!m->reading && m->t_done > 0 && m->nreused)
            addf(&l, "read in %.0f ms (%zu unchanged file%s taken from before; r reads them all)",
                 m->t_done - m->t0, m->nreused, m->nreused == 1 ? "" : "s");
        else if (!m->reading && m->t_done > 0)
            addf(&l, "read in %.0f ms", m->t_done - m->t0);
        if (summary_nfailed_files(s) || summary_nfailed_seqs(s)) {
            tui_safe(summary_first_error(s) ? summary_first_error(s) : "", safe, sizeof safe);
            addf(&l, "left out: %zu files, %zu sequences; first: %s", summary_nfailed_files(s),
                 summary_nfailed_seqs(s), safe);
        }
        int bins = 24;
        addf(&l, "%s", "");
        addf(&l, "%-30s %7s %7s %9s %9s %9s  distribution", "per sequence", "n", "missing",
             "mean", "min", "max");
        as_error err = {0};
        for (size_t c = 0; c < summary_ncols(s); c++) {
            sum_hist h;
            if (summary_hist_col(s, c, (size_t)bins, &h, &err) != AS_OK)
                break;
            char title[256], raw[200];
            if (c >= SUM_COL_SCORES) {
                snprintf(raw, sizeof raw, "%s", summary_score_name(s, c - SUM_COL_SCORES));
                tui_safe(raw, title, 60);
                snprintf(raw, sizeof raw, "%s (step score)", title);
                snprintf(title, sizeof title, "%s", raw);
            } else {
                snprintf(title, sizeof title, "%s", sumview_col_title(s, c));
            }
            hist_line(&l, title, &h);
            sum_hist_free(&h);
        }
        addf(&l, "per step");
        for (int k = 0; k < 2; k++) {
            sum_hist h;
            if (summary_hist_step(s, (sum_step_kind)k, (size_t)bins, &h, &err) != AS_OK)
                break;
            hist_line(&l, k ? "source share" : "entropy (nats)", &h);
            sum_hist_free(&h);
        }
        sum_hist h;
        if (summary_hist_step(s, SUM_STEP_ENTROPY, 10, &h, &err) == AS_OK) {
            addf(&l, "%s", "");
            addf(&l, "entropy per step (nats)");
            size_t max = 0;
            for (size_t b = 0; b < h.nbins; b++)
                max = h.counts[b] > max ? h.counts[b] : max;
            for (size_t b = 0; h.n && b < h.nbins; b++) {
                char bar[SUMVIEW_BYTES(40)];
                double frac = max ? (double)h.counts[b] / (double)max : 0;
                if (tui_utf8())
                    sumview_bar(bar, sizeof bar, frac, 40);
                else
                    snprintf(bar, sizeof bar, "%-40.*s", (int)lround(frac * 40),
                             "########################################");
                addf(&l, "  [%8.4f, %8.4f%c %s %zu",
                     h.lo + (double)b * (h.hi - h.lo) / (double)h.nbins,
                     h.lo + (double)(b + 1) * (h.hi - h.lo) / (double)h.nbins,
                     b + 1 == h.nbins ? ']' : ')', bar, h.counts[b]);
            }
            sum_hist_free(&h);
        }
        addf(&l, "%s", "");
        addf(&l, "attribution mass by relative position (tenths of the sequence, %% of all)");
        for (int side = 0; side < 2; side++) {
            double pm[SUMMARY_POS_BINS], tot = 0;
            char spark[SUMVIEW_BYTES(SUMMARY_POS_BINS)], cells[200];
            summary_position_mass(s, (sum_side)side, pm);
            int at = 0;
            for (int b = 0; b < SUMMARY_POS_BINS; b++) {
                tot += pm[b];
                at += snprintf(cells + at, sizeof cells - (size_t)at, " %4.1f", 100 * pm[b]);
            }
            if (tui_utf8())
                sumview_spark_d(spark, sizeof spark, pm, SUMMARY_POS_BINS);
            else
                spark[0] = '\0';
            addf(&l, "  %-8s %5.1f%%  %s %s", side ? "target" : "source", 100 * tot, spark, cells);
        }
        sum_token *top;
        size_t n = summary_top_tokens(s, 2, 15, &top);
        tokens_mode mode = TOKENS_NONE;
        if (n != (size_t)-1 && n && !t->raw_tokens) {
            /* decoded as the tokens' own look says (files may differ) */
            const char *texts[15];
            for (size_t i = 0; i < n; i++)
                texts[i] = top[i].text;
            mode = tokens_detect(texts, n);
        }
        if (n != (size_t)-1) {
            addf(&l, "%s", "");
            addf(&l, "tokens receiving the most attribution (mean share of a step, 2+ cells)");
            for (size_t i = 0; i < n; i++) {
                char lab[512];
                tui_label(top[i].text, mode, lab, sizeof lab);
                size_t cut = tui_fit(lab, 24, NULL);
                lab[cut] = '\0';
                int pad = 24 - tui_width(lab);
                addf(&l, "  %3zu  %s%*s %-6s %8.4f %8zu", i + 1, lab, pad > 0 ? pad : 0, "",
                     top[i].side ? "target" : "source", top[i].mass / (double)top[i].count,
                     top[i].count);
            }
            if (!n)
                addf(&l, "  (none yet)");
            free(top);
        }
    }
    ov_lines_free(o);
    o->lines = l.v;
    o->n = l.n;
    o->gen = m->gen + (m->reading ? 0 : 1000000000UL);
}

static void ov_draw(tui *t, screen *sc)
{
    overview *o = (overview *)sc;
    unsigned long want = t->sum ? t->sum->gen + (t->sum->reading ? 0 : 1000000000UL) : 0;
    if (!o->lines || o->gen != want)
        ov_build(t, o);
    int H, W;
    getmaxyx(stdscr, H, W);
    int h = imax(H - 2, 3), w = imax(W - (W > 40 ? 4 : 0), 10);
    int iy, ix, ih, iw;
    char title[256];
    if (t->sum && t->sum->reading && t->sum->r)
        snprintf(title, sizeof title, "overview: reading %zu/%zu files", t->sum->next,
                 t->sum->nfiles);
    else
        snprintf(title, sizeof title, "overview");
    tui_box((H - h) / 2, (W - w) / 2, h, w, title, &iy, &ix, &ih, &iw);
    o->page = imax(ih - 1, 1);
    size_t maxtop = o->n > (size_t)o->page ? o->n - (size_t)o->page : 0;
    if (o->top > maxtop)
        o->top = maxtop;
    for (int i = 0; i < o->page && o->top + (size_t)i < o->n; i++)
        tui_put(iy + i, ix, o->lines[o->top + (size_t)i], iw, theme_role(ROLE_NORMAL), false,
                true);
    tui_put(iy + ih - 1, ix, "s sequences sorted by a column, r read again, j k scroll, Esc close", iw,
            theme_role(ROLE_DIM), false, true);
}

static unsigned ov_key(tui *t, screen *sc, int key)
{
    overview *o = (overview *)sc;
    size_t page = (size_t)o->page;
    switch (key) {
    case 'j':
    case TUI_KEYCODE(KEY_DOWN): o->top++; break;
    case 'k':
    case TUI_KEYCODE(KEY_UP): o->top = o->top ? o->top - 1 : 0; break;
    case ' ':
    case TUI_KEYCODE(KEY_NPAGE): o->top += page; break;
    case TUI_KEYCODE(KEY_PPAGE): o->top = o->top > page ? o->top - page : 0; break;
    case 'g':
    case TUI_KEYCODE(KEY_HOME): o->top = 0; break;
    case 'G':
    case TUI_KEYCODE(KEY_END): o->top = (size_t)-1 / 2; break;
    case 's': tui_pop(t); return TUI_PASS | TUI_REDRAW;   /* the grid's s: the list */
    case 'r': return TUI_RELOAD | TUI_REDRAW;               /* every file, the overview stays */
    case 'q':
    case 'O':
    case TUI_ESC:
    case TUI_CTRL('g'): tui_pop(t); break;
    default: break;
    }
    return TUI_REDRAW;
}

static void ov_free(screen *sc)
{
    overview *o = (overview *)sc;
    ov_lines_free(o);
    free(o);
}

unsigned tui_summary_open(tui *t)
{
    sum_ensure(t);
    overview *o = calloc(1, sizeof *o);
    if (!o)
        return 0;
    o->s = (screen){ov_draw, ov_key, ov_free, NULL, false};
    o->page = 1;
    tui_push(t, &o->s);
    return TUI_REDRAW;
}

/* ------------------------------------------------------- sequence list */

typedef struct seqlist {
    screen s;
    size_t (*count)(tui *, void *);
    void (*item)(tui *, size_t, char *, size_t, void *);
    unsigned (*pick)(tui *, size_t, void *);
    long (*find)(tui *, size_t, const char *, bool, void *);
    long sort;              /* summary column, -1 = the files' order */
    bool rev;
    size_t *order, *inv;    /* row -> sequence, sequence -> row */
    size_t n;
    unsigned long gen;
    long sorted_by;
    bool sorted_rev;
    size_t sel, top;        /* sel is a row */
    int page;
    int iy, ix, iw;         /* where the rows were drawn (for the mouse) */
    char query[256];
    char note[AS_ERROR_MAX];
} seqlist;

typedef struct keyed {
    double v;
    size_t k;
} keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    bool na = isnan(a->v), nb = isnan(b->v);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* Sorts the rows again when the list, the summary or the order changed;
 * the selected sequence stays selected. */
static void sl_sort(tui *t, seqlist *l)
{
    size_t n = l->count(t, NULL);
    unsigned long gen = t->sum ? t->sum->gen : 0;
    if (l->order && n == l->n && gen == l->gen && l->sort == l->sorted_by &&
        l->rev == l->sorted_rev)
        return;
    size_t cur = l->order && l->sel < l->n ? l->order[l->sel] : l->sel;
    size_t *order = malloc((n ? n : 1) * sizeof *order), *inv = malloc((n ? n : 1) * sizeof *inv);
    keyed *k = l->sort >= 0 ? malloc((n ? n : 1) * sizeof *k) : NULL;
    if (!order || !inv || (l->sort >= 0 && !k)) {
        free(order);
        free(inv);
        free(k);
        return;
    }
    if (k) {
        for (size_t i = 0; i < n; i++) {
            long si = sum_index(t, i);
            k[i] = (keyed){si >= 0 ? summary_value(t->sum->s, (size_t)si, (size_t)l->sort) : NAN,
                           i};
            if (l->rev && !isnan(k[i].v))
                k[i].v = -k[i].v;
        }
        qsort(k, n, sizeof *k, keyed_cmp);
        for (size_t i = 0; i < n; i++)
            order[i] = k[i].k;
        free(k);
    } else {
        for (size_t i = 0; i < n; i++)
            order[i] = l->rev ? n - 1 - i : i;
    }
    for (size_t i = 0; i < n; i++)
        inv[order[i]] = i;
    free(l->order);
    free(l->inv);
    l->order = order;
    l->inv = inv;
    l->n = n;
    l->gen = gen;
    l->sorted_by = l->sort;
    l->sorted_rev = l->rev;
    l->sel = cur < n ? inv[cur] : 0;
}

static const char *col_short(const tui *t, long c, char *buf, size_t n)
{
    static const char *const fixed[] = {"src", "tgt", "gen", "entropy", "src%"};
    if (c < SUM_COL_SCORES)
        return fixed[c];
    char raw[200];
    snprintf(raw, sizeof raw, "%s", summary_score_name(t->sum->s, (size_t)c - SUM_COL_SCORES));
    tui_safe(raw, buf, n);
    buf[tui_fit(buf, 9, NULL)] = '\0';
    return buf;
}

static int col_width(long c) { return c < SUM_COL_ENTROPY ? 4 : c == SUM_COL_SRC_SHARE ? 6 : 9; }

static size_t sl_ncols(const tui *t)
{
    return t->sum && t->sum->s ? summary_ncols(t->sum->s) : SUM_COL_SCORES;
}

static void sl_draw(tui *t, screen *sc)
{
    seqlist *l = (seqlist *)sc;
    sl_sort(t, l);
    int H, W;
    getmaxyx(stdscr, H, W);
    int h = imax(imin((int)(l->n < 10000 ? l->n : 10000) + 4, H - (H > 12 ? 2 : 0)), 4);
    int w = imax(W - (W > 40 ? 4 : 0), 10);
    int iy, ix, ih, iw;
    char title[512], sortname[128] = "the files' order", nb[64];
    if (l->sort >= 0 && t->sum && t->sum->s)
        tui_safe(summary_col_name(t->sum->s, (size_t)l->sort), sortname, sizeof sortname);
    else if (l->sort >= 0)
        snprintf(sortname, sizeof sortname, "%s", col_short(t, l->sort, nb, sizeof nb));
    snprintf(title, sizeof title, "sequences (%zu), sorted by %s %s", l->n, sortname,
             l->rev ? (tui_utf8() ? "\u25bc" : "desc") : (tui_utf8() ? "\u25b2" : "asc"));
    tui_box((H - h) / 2, (W - w) / 2, h, w, title, &iy, &ix, &ih, &iw);
    l->page = imax(ih - 2, 1);
    size_t ncols = sl_ncols(t);
    /* column header */
    char hdr[2048];
    int at = 0;
    for (size_t c = 0; c < ncols && at < (int)sizeof hdr - 64; c++) {
        char name[64];
        const char *s = col_short(t, (long)c, nb, sizeof nb);
        if ((long)c == l->sort) {
            /* the sorted column's mark, inside the column's width */
            char cut[64];
            snprintf(cut, sizeof cut, "%s", s);
            cut[tui_fit(cut, col_width((long)c) - 1, NULL)] = '\0';
            snprintf(name, sizeof name, "%s%s",
                     tui_utf8() ? (l->rev ? "\u25bc" : "\u25b2") : (l->rev ? "-" : "+"), cut);
        } else {
            snprintf(name, sizeof name, "%s", s);
        }
        int pad = col_width((long)c) - tui_width(name);
        at += snprintf(hdr + at, sizeof hdr - (size_t)at, "%*s%s ", pad > 0 ? pad : 0, "", name);
    }
    snprintf(hdr + at, sizeof hdr - (size_t)at, " sequence");
    tui_put(iy, ix, hdr, iw, theme_role(ROLE_TITLE), true, true);
    l->iy = iy + 1;
    l->ix = ix;
    l->iw = iw;
    if (l->n && l->sel >= l->n)
        l->sel = l->n - 1;
    if (l->sel < l->top)
        l->top = l->sel;
    else if (l->sel >= l->top + (size_t)l->page)
        l->top = l->sel - (size_t)l->page + 1;
    for (int i = 0; i < l->page && l->top + (size_t)i < l->n; i++) {
        size_t row = l->top + (size_t)i, k = l->order[row];
        long si = sum_index(t, k);
        tui_style st = theme_role(row == l->sel ? ROLE_SELECT : ROLE_NORMAL);
        tui_fill(iy + 1 + i, ix - 1, iw + 2, st);
        char line[4096], text[2600];
        at = 0;
        for (size_t c = 0; c < ncols && at < (int)sizeof line - 64; c++) {
            char v[32];
            if (si >= 0)
                fmt_num(v, sizeof v, summary_value(t->sum->s, (size_t)si, c));
            else
                snprintf(v, sizeof v, "%s",
                         t->sum && t->sum->reading ? (tui_utf8() ? "\u00b7" : ".") : "-");
            if (c == SUM_COL_SRC_SHARE && si >= 0) {
                double x = summary_value(t->sum->s, (size_t)si, c);
                if (!isnan(x))
                    snprintf(v, sizeof v, "%.1f%%", 100 * x);
            }
            int pad = col_width((long)c) - tui_width(v);
            at += snprintf(line + at, sizeof line - (size_t)at, "%*s%s ", pad > 0 ? pad : 0, "",
                           v);
        }
        l->item(t, k, text, sizeof text, NULL);
        snprintf(line + at, sizeof line - (size_t)at, " %s", text);
        tui_put(iy + 1 + i, ix, line, iw, st, true, true);
    }
    const char *hint = "< > sort column, r reverse, Enter open, / search, n N next, O overview, "
                       "Esc close";
    char foot[AS_ERROR_MAX + 200];
    if (l->note[0]) {
        tui_safe(l->note, foot, sizeof foot);
        hint = foot;
    } else if (t->sum && t->sum->reading) {
        tui_summary_status(t, foot, sizeof foot);
        hint = foot;
    }
    tui_put(iy + ih - 1, ix, hint, iw, theme_role(ROLE_DIM), false, true);
}

static void sl_search(tui *t, seqlist *l, bool backwards, bool again)
{
    if (!l->n || !l->query[0])
        return;
    size_t cur = l->order[l->sel];
    size_t from = again ? (backwards ? (cur + l->n - 1) % l->n : (cur + 1) % l->n) : cur;
    long k = l->find(t, from, l->query, backwards, NULL);
    char q[600];
    tui_safe(l->query, q, sizeof q);
    if (k < 0 || (size_t)k >= l->n) {
        snprintf(l->note, sizeof l->note, "no sequence has '%s'", q);
        return;
    }
    l->sel = l->inv[k];
    snprintf(l->note, sizeof l->note, "'%s': sequence %zu (n next, N previous)", q, tui_seq_number((size_t)k));
}

static unsigned sl_search_enter(tui *t, const char *text, void *ud, as_error *err)
{
    seqlist *l = ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "type some text of the sequences");
        return 0;
    }
    snprintf(l->query, sizeof l->query, "%s", text);
    sl_sort(t, l);
    sl_search(t, l, false, false);
    return TUI_REDRAW;
}

static unsigned sl_key(tui *t, screen *sc, int key)
{
    seqlist *l = (seqlist *)sc;
    sl_sort(t, l);
    size_t max = l->n ? l->n - 1 : 0, page = (size_t)l->page;
    if (key != 'n' && key != 'N')
        l->note[0] = '\0';
    long ncols = (long)sl_ncols(t);
    if (key == TUI_MOUSE) {
        /* as in the other lists: the wheel moves the selection; a click
         * selects, a click on the selected row opens it */
        const MEVENT *m = &t->mouse;
        if (m->bstate & BUTTON4_PRESSED)
            l->sel = l->sel > 3 ? l->sel - 3 : 0;
        else if (m->bstate & BUTTON5_PRESSED)
            l->sel = l->sel + 3 < max ? l->sel + 3 : max;
        else if ((m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) && m->y >= l->iy &&
                 m->y < l->iy + l->page && m->x >= l->ix - 1 && m->x <= l->ix + l->iw) {
            size_t k = l->top + (size_t)(m->y - l->iy);
            if (k < l->n && k == l->sel)
                key = '\n';
            else if (k < l->n)
                l->sel = k;
        }
        if (key == TUI_MOUSE)
            return TUI_REDRAW;
    }
    switch (key) {
    case 'j':
    case TUI_KEYCODE(KEY_DOWN):
    case TUI_CTRL('n'): l->sel = l->sel < max ? l->sel + 1 : max; break;
    case 'k':
    case TUI_KEYCODE(KEY_UP):
    case TUI_CTRL('p'): l->sel = l->sel ? l->sel - 1 : 0; break;
    case ' ':
    case TUI_KEYCODE(KEY_NPAGE):
    case TUI_CTRL('f'): l->sel = l->sel + page < max ? l->sel + page : max; break;
    case TUI_KEYCODE(KEY_PPAGE):
    case TUI_CTRL('b'): l->sel = l->sel > page ? l->sel - page : 0; break;
    case 'g':
    case TUI_KEYCODE(KEY_HOME): l->sel = 0; break;
    case 'G':
    case TUI_KEYCODE(KEY_END): l->sel = max; break;
    case '>':
    case '<':
        sum_ensure(t);
        l->sort = key == '>' ? (l->sort + 1 >= ncols ? -1 : l->sort + 1)
                             : (l->sort < 0 ? ncols - 1 : l->sort - 1);
        break;
    case 'r': l->rev = !l->rev; break;
    case 'O': return tui_summary_open(t);
    case '/':
        tui_push(t, prompt_new("search the sequences' text", l->query, true, sl_search_enter, l));
        break;
    case 'n':
    case 'N':
        if (!l->query[0])
            snprintf(l->note, sizeof l->note, "no search yet: press / first");
        else
            sl_search(t, l, key == 'N', true);
        break;
    case '\n':
    case '\r':
    case TUI_KEYCODE(KEY_ENTER): {
        if (!l->n) {
            tui_pop(t);
            break;
        }
        size_t k = l->order[l->sel];
        unsigned (*pick)(tui *, size_t, void *) = l->pick;
        tui_pop(t);
        return TUI_REDRAW | pick(t, k, NULL);
    }
    case 'q':
    case 's':
    case TUI_ESC:
    case TUI_CTRL('g'): tui_pop(t); break;
    default: break;
    }
    return TUI_REDRAW;
}

static void sl_free(screen *sc)
{
    seqlist *l = (seqlist *)sc;
    free(l->order);
    free(l->inv);
    free(l);
}

unsigned tui_seqlist_open(tui *t, size_t (*count)(tui *, void *),
                          void (*item)(tui *, size_t, char *, size_t, void *),
                          unsigned (*pick)(tui *, size_t, void *),
                          long (*find)(tui *, size_t, const char *, bool, void *))
{
    seqlist *l = calloc(1, sizeof *l);
    if (!l)
        return 0;
    l->s = (screen){sl_draw, sl_key, sl_free, NULL, true};
    l->count = count;
    l->item = item;
    l->pick = pick;
    l->find = find;
    l->sort = -1;
    l->sorted_by = -2;
    l->sel = t->v.seq;
    l->page = 1;
    /* the sort columns fill in as the files are summarised */
    sum_ensure(t);
    tui_push(t, &l->s);
    return TUI_REDRAW;
}
