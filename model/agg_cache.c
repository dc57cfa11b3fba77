/* agg_cache.c - aggregation results kept per (output, sequence, canonical
 * pipeline, weight), least recently used evicted first.  See agg.h. */
#include "agg_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const as_output *out;
    size_t seq;
    char *pipeline;             /* canonical */
    char *weight;               /* "" when none */
    as_seq *owned;              /* NULL when the output's own sequence stands */
    const as_seq *view;         /* what agg_cache_get returns */
    size_t bytes;
    struct entry *prev, *next;  /* LRU list: head = most recent */
} entry;

struct agg_cache {
    entry *head, *tail;
    size_t entries, bytes, max_bytes;
    size_t hits, misses, evictions;
    const entry *last;          /* returned by the previous call */
};

agg_cache *agg_cache_new(size_t max_bytes)
{
    agg_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max_bytes = max_bytes ? max_bytes : as_mem_limit() / 4;
    return c;
}

static void unlink_entry(agg_cache *c, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(agg_cache *c, entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void drop(agg_cache *c, entry *e)
{
    unlink_entry(c, e);
    c->entries--;
    c->bytes -= e->bytes;
    if (c->last == e)
        c->last = NULL;
    agg_seq_free(e->owned);
    free(e->pipeline);
    free(e->weight);
    free(e);
}

void agg_cache_clear(agg_cache *c)
{
    if (!c)
        return;
    while (c->head)
        drop(c, c->head);
}

void agg_cache_forget(agg_cache *c, const as_output *out)
{
    if (!c)
        return;
    for (entry *e = c->head, *n; e; e = n) {
        n = e->next;
        if (e->out == out)
            drop(c, e);
    }
}

void agg_cache_free(agg_cache *c)
{
    if (!c)
        return;
    agg_cache_clear(c);
    free(c);
}

/* Evicts from the tail while over the bound, sparing keep and c->last. */
static void evict(agg_cache *c, const entry *keep)
{
    entry *e = c->tail;
    while (c->bytes > c->max_bytes && e) {
        entry *prev = e->prev;
        if (e != keep && e != c->last) {
            drop(c, e);
            c->evictions++;
        }
        e = prev;
    }
}

const as_seq *agg_cache_get(agg_cache *c, const as_output *out, size_t seq, const char *pipeline,
                            const char *weight, as_error *err)
{
    as_pipeline p;
    if (pipe_parse(pipeline, &p, NULL, err))
        return NULL;
    char *canon = pipe_format(&p);
    const char *w = weight ? weight : "";
    if (!canon) {
        pipe_free(&p);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    for (entry *e = c->head; e; e = e->next) {
        if (e->out == out && e->seq == seq && !strcmp(e->pipeline, canon) && !strcmp(e->weight, w)) {
            free(canon);
            pipe_free(&p);
            unlink_entry(c, e);
            push_front(c, e);
            c->hits++;
            c->last = e;
            return e->view;
        }
    }
    c->misses++;
    bool ident = false;
    as_seq *r = agg_apply_shared(out, seq, &p, *w ? w : NULL, &ident, err);
    pipe_free(&p);
    if (!r && !ident) {
        free(canon);
        return NULL;
    }
    entry *e = calloc(1, sizeof *e);
    char *wd = strdup(w);
    if (!e || !wd) {
        free(e);
        free(wd);
        free(canon);
        agg_seq_free(r);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    e->out = out;
    e->seq = seq;
    e->pipeline = canon;
    e->weight = wd;
    e->owned = r;
    e->view = r ? r : &out->seqs[seq];
    e->bytes = r ? agg_seq_bytes(r) : 0;
    push_front(c, e);
    c->entries++;
    c->bytes += e->bytes;
    evict(c, e);
    c->last = e;
    return e->view;
}

void agg_cache_get_stats(const agg_cache *c, agg_cache_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!c)
        return;
    st->hits = c->hits;
    st->misses = c->misses;
    st->evictions = c->evictions;
    st->entries = c->entries;
    st->bytes = c->bytes;
    st->max_bytes = c->max_bytes;
}
