#define _GNU_SOURCE /* strverscmp, strcasestr */
#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
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
    as_filesig sig;       /* of the file as it was before it was skimmed */
    bool have_sig;
    bool keep;            /* reload: unchanged, meta (and full) kept */
    bool failed;
} cfile;

/* A file the reading thread has read, waiting to be added to the list. */
typedef struct skimmed {
    as_output *meta;      /* NULL: it failed, err says why (or it is kept) */
    as_error err;
    as_filesig sig;
    bool have_sig;
    bool kept;            /* not read: the file's meta from before stays */
} skimmed;

/* Files read ahead by the thread before the owner takes them. */
#define SKIM_AHEAD 32

struct as_catalog {
    cfile *f;
    size_t n, cap;
    size_t next;          /* next file to add to the list */
    size_t nseqs, nfailed;
    char *first_err;
    size_t max_bytes, loaded;
    uint64_t tick;
    /* the reading thread (catalog_skim_start): it reads files from `ahead`
     * on and queues them; everything else stays with the owner's thread */
    pthread_t th;
    bool th_on;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, th_done;
    atomic_bool cancel;   /* set with stop: the file being read stops too */
    size_t ahead;         /* next file the thread reads */
    skimmed q[SKIM_AHEAD];
    size_t q_head, q_len; /* queued files are next, next + 1, ... */
    as_load_opts th_opts;
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

bool catalog_filesig(const char *path, as_filesig *sig)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    *sig = (as_filesig){(long long)st.st_size,
                        (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
                        (long long)st.st_ino, (long long)st.st_dev};
    return true;
}

bool catalog_filesig_same(const as_filesig *a, const as_filesig *b)
{
    return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ino == b->ino &&
           a->dev == b->dev;
}

bool catalog_wanted(const char *name)
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
        if (!catalog_wanted(e->d_name))
            continue;
        /* Only regular files (or links to them): a FIFO would wait for a
         * writer, a link to /dev/zero would never end. */
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
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
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
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

static void skim_stop(as_catalog *c);

void catalog_free(as_catalog *c)
{
    if (!c)
        return;
    skim_stop(c);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
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

/* Adds the next file to the list from its skim. */
static int commit(as_catalog *c, const skimmed *r, as_error *err)
{
    cfile *f = &c->f[c->next++];
    f->first = c->nseqs;
    if (r->kept) {
        f->keep = false;
        c->nseqs += f->nseqs;
        return c->next < c->n ? 1 : 0;
    }
    as_output *meta = r->meta;
    const as_error *e = &r->err;
    f->meta = meta;
    f->sig = r->sig;
    f->have_sig = r->have_sig;
    if (!meta) {
        f->failed = true;
        c->nfailed++;
        if (err)
            *err = *e;
        if (!c->first_err)
            c->first_err = strdup(e->msg);
        return e->code ? e->code : AS_EDATA;
    }
    f->nseqs = meta->nseqs;
    f->mode = tokens_resolve(TOKENS_AUTO, meta, -1);
    c->nseqs += f->nseqs;
    return c->next < c->n ? 1 : 0;
}

/* Reads one file's metadata, its signature first: a file that changes
 * while it is read gets a signature that is already out of date, so the
 * next reload reads it again. */
static void skim_file(const char *path, const as_load_opts *opts, skimmed *r)
{
    r->have_sig = catalog_filesig(path, &r->sig);
    r->meta = as_load_file(path, opts, &r->err);
}

static void *skim_thread(void *arg)
{
    as_catalog *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop && c->ahead < c->n) {
        if (c->q_len == SKIM_AHEAD) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        /* the path is not freed while the thread runs (catalog_free and
         * catalog_reload stop it first) */
        const cfile *f = &c->f[c->ahead++];
        skimmed r = {.kept = f->keep};
        const char *path = f->path;
        pthread_mutex_unlock(&c->mu);
        if (!r.kept)
            skim_file(path, &c->th_opts, &r);
        pthread_mutex_lock(&c->mu);
        c->q[(c->q_head + c->q_len) % SKIM_AHEAD] = r;
        c->q_len++;
        pthread_cond_broadcast(&c->cv);
    }
    c->th_done = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int catalog_skim_start(as_catalog *c, const as_load_opts *opts)
{
    if (c->th_on || c->next >= c->n)
        return AS_OK;
    c->th_opts = opts ? *opts : (as_load_opts){0};
    c->th_opts.skim = true;
    c->th_opts.progress = NULL;
    atomic_store(&c->cancel, false);
    c->th_opts.cancel = &c->cancel;
    c->stop = c->th_done = false;
    c->ahead = c->next;
    c->q_head = c->q_len = 0;
    if (pthread_create(&c->th, NULL, skim_thread, c))
        return AS_EIO;   /* the caller reads synchronously instead */
    c->th_on = true;
    return AS_OK;
}

/* Stops the thread (after the file it is reading) and forgets what it read
 * and nobody took. */
static void skim_stop(as_catalog *c)
{
    if (!c->th_on)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    atomic_store(&c->cancel, true);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    c->th_on = false;
    for (; c->q_len; c->q_len--, c->q_head = (c->q_head + 1) % SKIM_AHEAD)
        attr_output_free(c->q[c->q_head].meta);
}

/* Takes the next queued file, waiting for it when `wait`; false when none
 * (or the thread is not running). */
static bool take(as_catalog *c, bool wait, skimmed *out)
{
    if (!c->th_on)
        return false;
    pthread_mutex_lock(&c->mu);
    while (wait && !c->q_len && !c->th_done)
        pthread_cond_wait(&c->cv, &c->mu);
    bool got = c->q_len > 0;
    if (got) {
        *out = c->q[c->q_head];
        c->q_head = (c->q_head + 1) % SKIM_AHEAD;
        c->q_len--;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return got;
}

int catalog_skim_step(as_catalog *c, const as_load_opts *opts, as_error *err)
{
    if (c->next >= c->n)
        return 0;
    skimmed r = {0};
    if (take(c, true, &r))
        return commit(c, &r, err);
    as_load_opts o = opts ? *opts : (as_load_opts){0};
    o.skim = true;
    r.kept = c->f[c->next].keep;
    if (!r.kept)
        skim_file(c->f[c->next].path, &o, &r);
    return commit(c, &r, err);
}

int catalog_skim_poll(as_catalog *c, as_error *err)
{
    skimmed r;
    while (c->next < c->n && take(c, false, &r)) {
        int rc = commit(c, &r, err);
        if (rc > 1 || (rc == AS_EDATA && !r.meta))
            return rc;   /* one failure per call, as catalog_skim_step */
    }
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

tokens_mode catalog_token_mode(const as_catalog *c, size_t file)
{
    return file < c->n && c->f[file].meta ? c->f[file].mode : TOKENS_NONE;
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

void catalog_reload(as_catalog *c, bool changed_only)
{
    skim_stop(c);
    for (size_t i = 0; i < c->n; i++) {
        cfile *f = &c->f[i];
        as_filesig now;
        f->keep = changed_only && f->meta && f->have_sig && catalog_filesig(f->path, &now) &&
                  catalog_filesig_same(&f->sig, &now);
        f->first = 0;
        f->failed = false;
        if (f->keep)
            continue;
        drop_full(c, f);
        attr_output_free(f->meta);
        f->meta = NULL;
        f->have_sig = false;
        f->nseqs = 0;
    }
    c->next = c->nseqs = c->nfailed = 0;
    free(c->first_err);
    c->first_err = NULL;
}

static bool seq_matches(const cfile *f, const as_seq *s, const char *needle)
{
    return tokens_seq_contains(f->mode, s, needle);
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

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int catalog_add_new(as_catalog *c, const char *const *paths, size_t n, size_t *added,
                    as_error *err)
{
    *added = 0;
    skim_stop(c);
    as_catalog *now = catalog_new(paths, n, 0, err);
    if (!now)
        return err->code;
    char **have = malloc((c->n ? c->n : 1) * sizeof *have);
    if (!have) {
        catalog_free(now);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < c->n; i++)
        have[i] = c->f[i].path;
    qsort(have, c->n, sizeof *have, cmp_paths);
    size_t nhave = c->n;
    int rc = AS_OK;
    for (size_t i = 0; i < now->n && rc == AS_OK; i++) {
        const char *p = now->f[i].path;
        if (bsearch(&p, have, nhave, sizeof *have, cmp_paths))
            continue;
        if ((rc = add_file(c, p, err)) == AS_OK)
            (*added)++;
    }
    free(have);
    catalog_free(now);
    return rc;
}
