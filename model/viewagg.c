/* viewagg.c - the view's aggregation seam (see viewagg.h).
 *
 * Results come from an agg_cache.  The cache never evicts the entry it is
 * returning nor the one its previous call returned; everything else may go
 * when it is over its bound.  The view may hold two results at once (the
 * shown one while it scans the others for a color range), so after every
 * call that returned a new result the other held one is asked for again: a
 * hit, which makes it "the previous call" and keeps it safe through the
 * next call. */
#include "viewagg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

#define NSLOTS 2

typedef struct held {
    bool used;
    size_t seq;
    char *pipeline, *weight;
    const as_seq *seq_ptr;
} held;

struct view_agg {
    const as_output *out;
    agg_cache *cache;
    held slot[NSLOTS];
};

view_agg *view_agg_new(const as_output *out, size_t max_bytes, as_error *err)
{
    view_agg *a = calloc(1, sizeof *a);
    if (a)
        a->cache = agg_cache_new(max_bytes);
    if (!a || !a->cache) {
        free(a);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    a->out = out;
    return a;
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
    free(a);
}

void view_agg_reset(view_agg *a, const as_output *out)
{
    agg_cache_clear(a->cache);
    /* what is still held points at freed results: it may only be released */
    for (int i = 0; i < NSLOTS; i++)
        a->slot[i].seq_ptr = NULL;
    a->out = out;
}

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
    agg_cache_get(a->cache, a->out, h->seq, h->pipeline, h->weight, NULL);
}

int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err)
{
    res->seq = NULL;
    res->slot = 0;
    if (!a->out || seq >= a->out->nseqs)
        return as_error_set(err, AS_EUSAGE, "there is no sequence %zu", seq + 1);
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
    const as_seq *s = agg_cache_get(a->cache, a->out, seq, p, *w ? w : NULL, err);
    if (!s) {
        held_clear(h);
        return err && err->code ? err->code : AS_EDATA;
    }
    h->used = true;
    h->seq = seq;
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
