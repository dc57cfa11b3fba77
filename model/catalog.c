#define _GNU_SOURCE /* strverscmp, strcasestr */
#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tokens.h"

typedef struct cfile {
    char *path;
    as_output *meta;      /* skimmed (or NULL: not read yet, or failed) */
    as_output *full;      /* fully loaded, or NULL */
    size_t first, nseqs;  /* global index of its first sequence, and count */
    size_t bytes;         /* bytes held by full */
    uint64_t used;        /* last use, for eviction */
    tokens_mode mode;     /* token decoding, for search */
    bool failed;
} cfile;

struct as_catalog {
    cfile *f;
    size_t n, cap;
    size_t next;          /* next file to read */
    size_t nseqs, nfailed;
    char *first_err;
    size_t max_bytes, loaded;
    uint64_t tick;
};

static int add_file(as_catalog *c, const char *path, as_error *err)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        cfile *nf = realloc(c->f, ncap * sizeof *nf);
        if (!nf)
            return as_error_set(err, AS_ENOMEM, "out of memory");
        c->f = nf;
        c->cap = ncap;
    }
    cfile *f = &c->f[c->n];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    if (!f->path)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    c->n++;
    return AS_OK;
}

static bool wanted(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.')
        return false;
    return (n > 5 && !strcmp(name + n - 5, ".json")) || (n > 8 && !strcmp(name + n - 8, ".json.gz"));
}

static int cmp_names(const void *a, const void *b)
{
    return strverscmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(as_catalog *c, const char *dir, as_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return as_error_set(err, AS_EIO, "%s: cannot read the directory: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = AS_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!wanted(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = as_error_set(err, AS_ENOMEM, "out of memory");
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = as_error_set(err, AS_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (!rc && n == 0)
        rc = as_error_set(err, AS_EDATA, "%s: no .json or .json.gz files in this directory", dir);
    if (!rc)
        qsort(names, n, sizeof *names, cmp_names);
    size_t dl = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        if (!rc) {
            char *p = malloc(dl + strlen(names[i]) + 2);
            if (!p) {
                rc = as_error_set(err, AS_ENOMEM, "out of memory");
            } else {
                sprintf(p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
                rc = add_file(c, p, err);
                free(p);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

as_catalog *catalog_new(const char *const *paths, size_t n, size_t max_bytes, as_error *err)
{
    as_catalog *c = calloc(1, sizeof *c);
    if (!c) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    c->max_bytes = max_bytes ? max_bytes : as_mem_limit() / 4;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        int rc = stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode) ? add_dir(c, paths[i], err)
                                                                 : add_file(c, paths[i], err);
        if (rc) {
            catalog_free(c);
            return NULL;
        }
    }
    if (c->n == 0) {
        as_error_set(err, AS_EUSAGE, "no files given");
        catalog_free(c);
        return NULL;
    }
    return c;
}

static void drop_full(as_catalog *c, cfile *f)
{
    if (!f->full)
        return;
    attr_output_free(f->full);
    f->full = NULL;
    c->loaded -= f->bytes;
    f->bytes = 0;
}

void catalog_free(as_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        attr_output_free(c->f[i].meta);
        attr_output_free(c->f[i].full);
        free(c->f[i].path);
    }
    free(c->f);
    free(c->first_err);
    free(c);
}

size_t catalog_nfiles(const as_catalog *c) { return c->n; }
const char *catalog_file(const as_catalog *c, size_t i) { return i < c->n ? c->f[i].path : NULL; }
size_t catalog_nskimmed(const as_catalog *c) { return c->next; }
size_t catalog_nfailed(const as_catalog *c) { return c->nfailed; }
const char *catalog_first_error(const as_catalog *c) { return c->first_err; }
size_t catalog_nseqs(const as_catalog *c) { return c->nseqs; }
size_t catalog_loaded_bytes(const as_catalog *c) { return c->loaded; }

int catalog_skim_step(as_catalog *c, const as_load_opts *opts, as_error *err)
{
    if (c->next >= c->n)
        return 0;
    cfile *f = &c->f[c->next++];
    as_load_opts o = opts ? *opts : (as_load_opts){0};
    o.skim = true;
    f->first = c->nseqs;
    f->meta = as_load_file(f->path, &o, err);
    if (!f->meta) {
        f->failed = true;
        c->nfailed++;
        if (!c->first_err && err)
            c->first_err = strdup(err->msg);
        return err && err->code ? err->code : AS_EDATA;
    }
    f->nseqs = f->meta->nseqs;
    f->mode = tokens_resolve(TOKENS_AUTO, f->meta, -1);
    c->nseqs += f->nseqs;
    return c->next < c->n ? 1 : 0;
}

/* The file holding global sequence k (files are in order of first). */
static cfile *file_of(const as_catalog *c, size_t k, size_t *fi)
{
    if (k >= c->nseqs)
        return NULL;
    size_t lo = 0, hi = c->next;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->f[mid].first <= k)
            lo = mid;
        else
            hi = mid;
    }
    /* Skip files with no sequences that share the same first index. */
    while (lo < c->next && (c->f[lo].failed || k >= c->f[lo].first + c->f[lo].nseqs))
        lo++;
    if (lo >= c->next)
        return NULL;
    if (fi)
        *fi = lo;
    return &c->f[lo];
}

const as_seq *catalog_meta(const as_catalog *c, size_t k, size_t *file, size_t *local)
{
    size_t fi;
    cfile *f = file_of(c, k, &fi);
    if (!f)
        return NULL;
    if (file)
        *file = fi;
    if (local)
        *local = k - f->first;
    return &f->meta->seqs[k - f->first];
}

const json_t *catalog_info(const as_catalog *c, size_t file)
{
    return file < c->n && c->f[file].meta ? c->f[file].meta->info : NULL;
}

static size_t output_bytes(const as_output *o)
{
    size_t b = 0;
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        b += s->source_attr ? s->source_attr->base_size : 0;
        b += s->target_attr ? s->target_attr->base_size : 0;
    }
    return b;
}

const as_output *catalog_full(as_catalog *c, size_t k, size_t *local, const as_load_opts *opts,
                              as_error *err)
{
    size_t fi;
    cfile *f = file_of(c, k, &fi);
    if (!f) {
        as_error_set(err, AS_EUSAGE, "sequence %zu does not exist", k);
        return NULL;
    }
    if (local)
        *local = k - f->first;
    f->used = ++c->tick;
    if (f->full)
        return f->full;
    /* Make room first: the least recently used files go. */
    for (;;) {
        if (c->loaded <= c->max_bytes)
            break;
        cfile *old = NULL;
        for (size_t i = 0; i < c->n; i++)
            if (c->f[i].full && &c->f[i] != f && (!old || c->f[i].used < old->used))
                old = &c->f[i];
        if (!old)
            break;
        drop_full(c, old);
    }
    as_load_opts o = opts ? *opts : (as_load_opts){0};
    o.skim = false;
    as_output *full = as_load_file(f->path, &o, err);
    if (!full) {
        /* Out of memory with others still loaded: free them all and retry. */
        if (err && err->code == AS_ENOMEM && c->loaded) {
            for (size_t i = 0; i < c->n; i++)
                drop_full(c, &c->f[i]);
            full = as_load_file(f->path, &o, err);
        }
        if (!full)
            return NULL;
    }
    if (full->nseqs != f->nseqs) {
        as_error_set(err, AS_EDATA, "%s: the file changed since it was listed (%zu sequences, "
                                    "now %zu); reload it", f->path, f->nseqs, full->nseqs);
        attr_output_free(full);
        return NULL;
    }
    f->full = full;
    f->bytes = output_bytes(full);
    c->loaded += f->bytes;
    return full;
}

void catalog_reload(as_catalog *c)
{
    for (size_t i = 0; i < c->n; i++) {
        drop_full(c, &c->f[i]);
        attr_output_free(c->f[i].meta);
        c->f[i].meta = NULL;
        c->f[i].failed = false;
        c->f[i].nseqs = c->f[i].first = 0;
    }
    c->next = c->nseqs = c->nfailed = 0;
    free(c->first_err);
    c->first_err = NULL;
}

static bool seq_matches(const cfile *f, const as_seq *s, const char *needle)
{
    const as_tokens *lists[] = {&s->source, &s->target};
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < lists[w]->n; i++)
            if (strcasestr(lists[w]->v[i].text, needle))
                return true;
        size_t len;
        char *text = tokens_join_list(f->mode, lists[w], 0, lists[w]->n, &len);
        bool hit = text && strcasestr(text, needle);
        free(text);
        if (hit)
            return true;
    }
    return false;
}

long catalog_find(const as_catalog *c, size_t from, const char *needle, bool backwards)
{
    size_t n = c->nseqs;
    if (!n || !needle || !*needle)
        return -1;
    from %= n;
    for (size_t step = 0; step < n; step++) {
        size_t k = backwards ? (from + n - step) % n : (from + step) % n;
        size_t fi;
        cfile *f = file_of(c, k, &fi);
        if (f && seq_matches(f, &f->meta->seqs[k - f->first], needle))
            return (long)k;
    }
    return -1;
}
