/* viewagg.c - the view's data and aggregation seam (see viewagg.h).
 *
 * Results come from an agg_cache.  The cache never evicts the entry it is
 * returning nor the one its previous call returned; everything else may go
 * when it is over its bound.  The view may hold two results at once (the
 * shown one while it scans the others for a color range), so after every
 * call that returned a new result the other held one is asked for again: a
 * hit, which makes it "the previous call" and keeps it safe through the
 * next call.
 *
 * With a catalog, asking for a sequence of another file first forgets every
 * cached result: loading that file may make the catalog free the others,
 * and a new output could then reuse the address the cache keys on. */
#define _GNU_SOURCE /* strcasestr */
#include "viewagg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

#define NSLOTS 2

typedef struct held {
    bool used;
    const as_output *out;        /* what the cache keys on */
    size_t local;                /* the sequence's index in out */
    char *pipeline, *weight;
    const as_seq *seq_ptr;       /* NULL once invalid (may only be released) */
} held;

struct view_agg {
    const as_output *out;        /* output source */
    as_catalog *cat;             /* catalog source */
    as_load_opts lo;
    bool has_lo;
    agg_cache *cache;
    held slot[NSLOTS];
    bool has_file;               /* catalog: cur_file is set */
    size_t cur_file;             /* catalog: the file results come from */
    const as_output *cur_out;    /* catalog: its full output (NULL until loaded) */
    int *modes;                  /* token mode per file, -1 not known yet */
    size_t nmodes;
};

static view_agg *agg_new(size_t max_bytes, as_error *err)
{
    view_agg *a = calloc(1, sizeof *a);
    if (a)
        a->cache = agg_cache_new(max_bytes);
    if (!a || !a->cache) {
        free(a);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    return a;
}

view_agg *view_agg_new(const as_output *out, size_t max_bytes, as_error *err)
{
    view_agg *a = agg_new(max_bytes, err);
    if (a)
        a->out = out;
    return a;
}

view_agg *view_agg_new_catalog(as_catalog *c, size_t max_bytes, as_error *err)
{
    view_agg *a = agg_new(max_bytes, err);
    if (a)
        a->cat = c;
    return a;
}

void view_agg_set_load_opts(view_agg *a, const as_load_opts *lo)
{
    a->has_lo = lo != NULL;
    if (lo)
        a->lo = *lo;
}

static void held_clear(held *h)
{
    free(h->pipeline);
    free(h->weight);
    memset(h, 0, sizeof *h);
}

void view_agg_free(view_agg *a)
{
    if (!a)
        return;
    for (int i = 0; i < NSLOTS; i++)
        held_clear(&a->slot[i]);
    agg_cache_free(a->cache);
    free(a->modes);
    free(a);
}

/* Forgets every cached result: what is still held may only be released. */
static void drop_results(view_agg *a)
{
    agg_cache_clear(a->cache);
    for (int i = 0; i < NSLOTS; i++)
        a->slot[i].seq_ptr = NULL;
}

static void forget_modes(view_agg *a)
{
    free(a->modes);
    a->modes = NULL;
    a->nmodes = 0;
}

void view_agg_reset(view_agg *a, const as_output *out)
{
    drop_results(a);
    forget_modes(a);
    a->out = out;
}

void view_agg_forget(view_agg *a)
{
    drop_results(a);
    forget_modes(a);
    a->has_file = false;
    a->cur_out = NULL;
}

/* ---- the sequences ---------------------------------------------------- */

size_t view_agg_nseqs(const view_agg *a)
{
    if (a->cat)
        return catalog_nseqs(a->cat);
    return a->out ? a->out->nseqs : 0;
}

const as_seq *view_agg_meta(const view_agg *a, size_t k)
{
    if (a->cat)
        return catalog_meta(a->cat, k, NULL, NULL);
    return a->out && k < a->out->nseqs ? &a->out->seqs[k] : NULL;
}

size_t view_agg_file(const view_agg *a, size_t k, size_t *first, size_t *count)
{
    size_t fi = 0, b = 0, n = view_agg_nseqs(a);
    if (a->cat) {
        size_t local = 0;
        if (catalog_meta(a->cat, k, &fi, &local)) {
            b = k - local;
            /* the file's sequences are contiguous: find where they end */
            size_t lo = k, hi = n;   /* lo is in the file, hi is not */
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2, f;
                if (catalog_meta(a->cat, mid, &f, NULL) && f == fi)
                    lo = mid;
                else
                    hi = mid;
            }
            n = hi - b;
        } else {
            n = 0;
        }
    }
    if (first)
        *first = b;
    if (count)
        *count = n;
    return fi;
}

size_t view_agg_nfiles(const view_agg *a)
{
    return a->cat ? catalog_nfiles(a->cat) : 1;
}

const char *view_agg_file_path(const view_agg *a, size_t file)
{
    if (a->cat)
        return catalog_file(a->cat, file);
    return a->out && a->out->nfiles && file == 0 ? a->out->files[0] : NULL;
}

const json_t *view_agg_info(const view_agg *a, size_t file)
{
    if (a->cat)
        return catalog_info(a->cat, file);
    return a->out && file == 0 ? a->out->info : NULL;
}

const as_output *view_agg_loaded(const view_agg *a)
{
    return a->cat ? a->cur_out : a->out;
}

tokens_mode view_agg_token_mode(view_agg *a, size_t k)
{
    size_t first, count;
    size_t fi = view_agg_file(a, k, &first, &count);
    if (!a->modes) {
        size_t n = view_agg_nfiles(a);
        a->modes = malloc((n ? n : 1) * sizeof *a->modes);
        if (a->modes) {
            a->nmodes = n ? n : 1;
            for (size_t i = 0; i < a->nmodes; i++)
                a->modes[i] = -1;
        }
    }
    if (a->modes && fi < a->nmodes && a->modes[fi] >= 0)
        return (tokens_mode)a->modes[fi];
    tokens_mode m;
    if (!a->cat) {
        m = a->out ? tokens_resolve(TOKENS_AUTO, a->out, -1) : TOKENS_NONE;
    } else {
        m = catalog_token_mode(a->cat, fi);   /* found once, when the file was skimmed */
    }
    if (a->modes && fi < a->nmodes)
        a->modes[fi] = (int)m;
    return m;
}

long view_agg_find(view_agg *a, size_t from, const char *needle, bool backwards)
{
    if (a->cat)
        return catalog_find(a->cat, from, needle, backwards);
    size_t n = view_agg_nseqs(a);
    if (!n || !needle || !*needle)
        return -1;
    tokens_mode m = view_agg_token_mode(a, 0);
    from %= n;
    for (size_t step = 0; step < n; step++) {
        size_t k = backwards ? (from + n - step) % n : (from + step) % n;
        const as_seq *s = &a->out->seqs[k];
        if (tokens_seq_contains(m, s, needle))
            return (long)k;
    }
    return -1;
}

/* ---- aggregation ------------------------------------------------------ */

static const char *pipe_text(const char *pipeline)
{
    const char *p = pipeline ? pipeline : "";
    while (*p == ' ' || *p == '\t')
        p++;
    return *p ? pipeline : "none";
}

int view_agg_check(const char *pipeline, as_pipe_errpos *pos, as_error *err)
{
    as_pipeline p;
    as_error e = {0};
    if (pos)
        memset(pos, 0, sizeof *pos);
    int rc = pipe_parse(pipe_text(pipeline), &p, pos, &e);
    pipe_free(&p);
    if (rc)
        return as_error_set(err, rc, "pipeline: %s", e.msg);
    return AS_OK;
}

/* Asks the cache for what slot h holds again (a hit): keeps it safe through
 * the next call. */
static void touch(view_agg *a, const held *h)
{
    if (!h->used || !h->seq_ptr)
        return;
    agg_cache_get(a->cache, h->out, h->local, h->pipeline, *h->weight ? h->weight : NULL, NULL);
}

/* The output holding sequence seq and its index there: loads the file of a
 * catalog (forgetting the results of another). */
static const as_output *source_of(view_agg *a, size_t seq, size_t *local, as_error *err)
{
    if (!a->cat) {
        if (!a->out || seq >= a->out->nseqs) {
            as_error_set(err, AS_EUSAGE, "there is no sequence %zu", seq);
            return NULL;
        }
        *local = seq;
        return a->out;
    }
    size_t fi;
    if (!catalog_meta(a->cat, seq, &fi, NULL)) {
        as_error_set(err, AS_EUSAGE, "there is no sequence %zu (yet)", seq);
        return NULL;
    }
    if (!a->has_file || fi != a->cur_file) {
        drop_results(a);
        a->has_file = true;
        a->cur_file = fi;
        a->cur_out = NULL;
    }
    const as_output *o = catalog_full(a->cat, seq, local, a->has_lo ? &a->lo : NULL, err);
    a->cur_out = o;
    return o;
}

int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err)
{
    res->seq = NULL;
    res->slot = 0;
    int free_slot = -1;
    for (int i = 0; i < NSLOTS && free_slot < 0; i++)
        if (!a->slot[i].used)
            free_slot = i;
    if (free_slot < 0)
        return as_error_set(err, AS_EUSAGE, "view_aggregate: more than %d results held", NSLOTS);
    const char *p = pipe_text(pipeline);
    const char *w = weight ? weight : "";
    held *h = &a->slot[free_slot];
    h->pipeline = strdup(p);
    h->weight = strdup(w);
    if (!h->pipeline || !h->weight) {
        held_clear(h);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    size_t local = 0;
    const as_output *out = source_of(a, seq, &local, err);
    const as_seq *s = out ? agg_cache_get(a->cache, out, local, p, *w ? w : NULL, err) : NULL;
    if (!s) {
        held_clear(h);
        return err && err->code ? err->code : AS_EDATA;
    }
    h->used = true;
    h->out = out;
    h->local = local;
    h->seq_ptr = s;
    for (int i = 0; i < NSLOTS; i++)
        if (i != free_slot)
            touch(a, &a->slot[i]);
    res->seq = s;
    res->slot = (unsigned)free_slot + 1;
    return AS_OK;
}

void view_agg_release(view_agg *a, view_agg_result *res)
{
    if (res->slot && res->slot <= NSLOTS) {
        held_clear(&a->slot[res->slot - 1]);
        /* the one left (if any) becomes the cache's "previous call" */
        for (int i = 0; i < NSLOTS; i++)
            touch(a, &a->slot[i]);
    }
    res->seq = NULL;
    res->slot = 0;
}

bool view_agg_error_pos(const char *pipeline, const char *msg, as_pipe_errpos *pos)
{
    memset(pos, 0, sizeof *pos);
    const char *text = pipe_text(pipeline);
    as_pipeline p;
    as_error e = {0};
    if (pipe_parse(text, &p, pos, &e)) {
        pipe_free(&p);
        return true;
    }
    bool found = false;
    const char *m = msg ? strstr(msg, "step ") : NULL;
    size_t n;
    if (m && sscanf(m, "step %zu '", &n) == 1 && n >= 1 && n <= p.nsteps) {
        pos->step = n;
        pos->offset = p.steps[n - 1].offset;
        pos->len = p.steps[n - 1].len;
        found = true;
    }
    pipe_free(&p);
    return found;
}
