#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (8u << 20)       /* bytes per chunk handed to the consumer */
#define MEMCHUNK (1u << 20)    /* the same for gzip from memory (at most) */
#define INBUF (1u << 20)       /* compressed bytes read at a time */
#define NSLOT 3

enum { SLOT_FREE, SLOT_FULL, SLOT_HELD };

struct as_source {
    int fd;                    /* -1 for memory sources */
    const uint8_t *mem;
    size_t memlen, mempos;
    bool gz, zinit, zdone;
    z_stream zs;
    uint8_t *inbuf;
    uint64_t total, trailing;
    uint64_t done;             /* atomic: raw bytes consumed */
    bool eof_raw;              /* fd reached its end */
    uint8_t peek[2];           /* bytes read to look at the magic (pipes) */
    size_t npeek;
    bool at_boundary;          /* between gzip members */
    uint64_t boundary_consumed;

    /* Unthreaded chunk buffer (gzip from memory, small files). */
    uint8_t *buf;
    size_t buf_cap;
    size_t max_chunk;          /* bytes per memory chunk (src_set_max_chunk) */

    /* Producer thread. */
    bool threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint8_t *slot_buf[NSLOT];
    size_t slot_n[NSLOT];
    int slot_state[NSLOT];
    int prod, cons, held;
    bool prod_eof, prod_failed, stop;
    as_error prod_err;

    const atomic_bool *cancel; /* set by another thread: stop reading */
    bool special;              /* a FIFO, device or socket (opened O_NONBLOCK) */
};

static bool stopped(const as_source *s)
{
    return (s->cancel && atomic_load(s->cancel)) || __atomic_load_n(&s->stop, __ATOMIC_RELAXED);
}

/* read() that waits for a special file with poll() so that cancel and
 * src_close() are seen within 50 ms; on a regular file a plain read(). */
static ssize_t read_some(as_source *s, uint8_t *dst, size_t cap, as_error *err)
{
    for (;;) {
        if (stopped(s)) {
            as_error_set(err, AS_EIO, "reading was cancelled");
            return -2;
        }
        if (s->special) {
            struct pollfd pf = {.fd = s->fd, .events = POLLIN};
            int pr = poll(&pf, 1, 50);
            if (pr < 0 && errno != EINTR) {
                as_error_set(err, AS_EIO, "read failed: %s", strerror(errno));
                return -1;
            }
            if (pr <= 0)
                continue;
        }
        ssize_t r = read(s->fd, dst, cap);
        if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (r < 0)
            as_error_set(err, AS_EIO, "read failed: %s", strerror(errno));
        return r;
    }
}

static int read_raw(as_source *s, uint8_t *dst, size_t cap, size_t *got, as_error *err)
{
    *got = 0;
    if (s->fd < 0) {
        size_t n = s->memlen - s->mempos;
        if (n > cap)
            n = cap;
        memcpy(dst, s->mem + s->mempos, n);
        s->mempos += n;
        *got = n;
        __atomic_add_fetch(&s->done, n, __ATOMIC_RELAXED);
        return AS_OK;
    }
    while (s->npeek && *got < cap) {
        dst[(*got)++] = s->peek[0];
        s->peek[0] = s->peek[1];
        s->npeek--;
        __atomic_add_fetch(&s->done, 1, __ATOMIC_RELAXED);
    }
    while (*got < cap && !s->eof_raw) {
        ssize_t r = read_some(s, dst + *got, cap - *got, err);
        if (r < 0)
            return err ? err->code : AS_EIO;
        if (r == 0) {
            s->eof_raw = true;
            break;
        }
        *got += (size_t)r;
        __atomic_add_fetch(&s->done, (uint64_t)r, __ATOMIC_RELAXED);
    }
    return AS_OK;
}

/* Makes compressed input available in zs; false at the end of the input. */
static int refill(as_source *s, as_error *err)
{
    if (s->zs.avail_in)
        return AS_OK;
    if (s->fd < 0) {
        size_t n = s->memlen - s->mempos;
        if (n > (1u << 30))
            n = 1u << 30;
        s->zs.next_in = (Bytef *)(uintptr_t)(s->mem + s->mempos);
        s->zs.avail_in = (uInt)n;
        s->mempos += n;
        __atomic_add_fetch(&s->done, n, __ATOMIC_RELAXED);
        return AS_OK;
    }
    size_t got;
    int rc = read_raw(s, s->inbuf, INBUF, &got, err);
    s->zs.next_in = s->inbuf;
    s->zs.avail_in = (uInt)got;
    return rc;
}

/* Reads the rest of the input and records how much follows the last gzip
 * member (gzip -dc ignores such trailing bytes with a warning; so do we, and
 * the loader notes it). */
static int finish_trailing(as_source *s, uint64_t consumed_at_boundary, as_error *err)
{
    s->zs.avail_in = 0;
    for (;;) {
        if (refill(s, err))
            return err ? err->code : AS_EIO;
        if (!s->zs.avail_in)
            break;
        s->zs.avail_in = 0;
    }
    s->trailing = s->done - consumed_at_boundary;
    s->zdone = true;
    return AS_OK;
}

static int inflate_some(as_source *s, uint8_t *dst, size_t cap, size_t *got, as_error *err)
{
    *got = 0;
    while (*got < cap && !s->zdone) {
        if (refill(s, err))
            return err ? err->code : AS_EIO;
        bool at_end = s->zs.avail_in == 0;
        if (at_end && s->at_boundary) {
            s->zdone = true; /* clean end after a whole member */
            break;
        }
        uint64_t consumed = s->done - s->zs.avail_in;
        s->zs.next_out = dst + *got;
        s->zs.avail_out = (uInt)(cap - *got);
        int zr = inflate(&s->zs, Z_NO_FLUSH);
        size_t before = *got;
        *got = cap - s->zs.avail_out;
        if (zr == Z_STREAM_END) {
            /* Another member may follow: gzip -dc concatenates them. */
            inflateReset(&s->zs);
            s->at_boundary = true;
            s->boundary_consumed = s->done - s->zs.avail_in;
            continue;
        }
        if (zr == Z_DATA_ERROR && s->at_boundary && *got == before)
            return finish_trailing(s, s->boundary_consumed, err);
        if (*got > before)
            s->at_boundary = false;
        if (zr == Z_BUF_ERROR && at_end)
            return as_error_set(err, AS_EDATA,
                                "the gzip stream ends early after %llu bytes (truncated file?)",
                                (unsigned long long)s->done);
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            return as_error_set(err, AS_EDATA, "corrupt gzip data near byte %llu: %s",
                                (unsigned long long)consumed,
                                s->zs.msg ? s->zs.msg : "inflate failed");
    }
    return AS_OK;
}

static int produce(as_source *s, uint8_t *dst, size_t cap, size_t *got, as_error *err)
{
    return s->gz ? inflate_some(s, dst, cap, got, err) : read_raw(s, dst, cap, got, err);
}

static void *producer_main(void *arg)
{
    as_source *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->stop && s->slot_state[s->prod] != SLOT_FREE)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->stop) {
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        int k = s->prod;
        pthread_mutex_unlock(&s->mu);

        size_t got = 0;
        as_error e = {0};
        int rc = produce(s, s->slot_buf[k], CHUNK, &got, &e);

        pthread_mutex_lock(&s->mu);
        if (rc) {
            s->prod_failed = true;
            s->prod_err = e;
        } else if (got == 0) {
            s->prod_eof = true;
        } else {
            s->slot_n[k] = got;
            s->slot_state[k] = SLOT_FULL;
            s->prod = (k + 1) % NSLOT;
        }
        pthread_cond_broadcast(&s->cv);
        bool end = rc || got == 0;
        pthread_mutex_unlock(&s->mu);
        if (end)
            return NULL;
    }
}

static as_source *src_new(as_error *err)
{
    as_source *s = calloc(1, sizeof *s);
    if (!s)
        as_error_set(err, AS_ENOMEM, "out of memory");
    else
        s->fd = -1;
    return s;
}

static int start_gzip(as_source *s, as_error *err)
{
    s->gz = true;
    if (inflateInit2(&s->zs, 15 + 16) != Z_OK)
        return as_error_set(err, AS_ENOMEM, "cannot start gzip decompression");
    s->zinit = true;
    return AS_OK;
}

static int start_thread(as_source *s, as_error *err)
{
    for (int i = 0; i < NSLOT; i++) {
        s->slot_buf[i] = malloc(CHUNK);
        if (!s->slot_buf[i])
            return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->held = -1;
    if (pthread_create(&s->th, NULL, producer_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        return as_error_set(err, AS_EIO, "cannot start the reading thread");
    }
    s->threaded = true;
    return AS_OK;
}

as_source *src_open_file(const char *path, const atomic_bool *cancel, as_error *err)
{
    as_source *s = src_new(err);
    if (!s)
        return NULL;
    s->cancel = cancel;
    /* O_NONBLOCK: opening a FIFO waits for a writer, which may never come;
     * reads then wait in poll(), where cancel is seen. */
    s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (s->fd < 0) {
        as_error_set(err, AS_EIO, "cannot open: %s", strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(s->fd, &st) != 0) {
        as_error_set(err, AS_EIO, "cannot stat: %s", strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        as_error_set(err, AS_EDATA, "is a directory, not an attribution file");
        goto fail;
    }
    if (S_ISREG(st.st_mode)) {
        int fl = fcntl(s->fd, F_GETFL);
        if (fl >= 0)
            fcntl(s->fd, F_SETFL, fl & ~O_NONBLOCK);
    } else {
        s->special = true;
    }
    s->total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        as_error_set(err, AS_EDATA, "empty file");
        goto fail;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    /* Peek at the magic bytes. */
    uint8_t magic[2];
    ssize_t r;
    if (S_ISREG(st.st_mode)) {
        do
            r = pread(s->fd, magic, 2, 0);
        while (r < 0 && errno == EINTR);
    } else {
        /* A pipe cannot be read twice: keep what was peeked, read_raw()
         * hands it out first. */
        r = 0;
        while (r < 2) {
            ssize_t k = read_some(s, magic + r, (size_t)(2 - r), err);
            if (k <= 0) {
                if (k < 0)
                    goto fail;
                break;
            }
            r += k;
        }
        if (r > 0) {
            memcpy(s->peek, magic, (size_t)r);
            s->npeek = (size_t)r;
        }
    }
    if (r < 0) {
        as_error_set(err, AS_EIO, "read failed: %s", strerror(errno));
        goto fail;
    }
    if (r == 0) {
        as_error_set(err, AS_EDATA, "empty file");
        goto fail;
    }
    if (r == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        s->inbuf = malloc(INBUF);
        if (!s->inbuf) {
            as_error_set(err, AS_ENOMEM, "out of memory");
            goto fail;
        }
        if (start_gzip(s, err))
            goto fail;
    }
    if (start_thread(s, err))
        goto fail;
    return s;
fail:
    src_close(s);
    return NULL;
}

as_source *src_open_mem(const void *buf, size_t len, as_error *err)
{
    as_source *s = src_new(err);
    if (!s)
        return NULL;
    s->mem = buf;
    s->memlen = len;
    s->total = len;
    s->max_chunk = SIZE_MAX;
    if (len == 0) {
        as_error_set(err, AS_EDATA, "empty file");
        goto fail;
    }
    if (len >= 2 && s->mem[0] == 0x1f && s->mem[1] == 0x8b) {
        /* Deflate expands at most 1032 times: a small input needs a small
         * buffer. */
        s->buf_cap = len < MEMCHUNK / 1032 ? len * 1032 + 4096 : MEMCHUNK;
        s->buf = malloc(s->buf_cap);
        if (!s->buf) {
            as_error_set(err, AS_ENOMEM, "out of memory");
            goto fail;
        }
        if (start_gzip(s, err))
            goto fail;
    }
    return s;
fail:
    src_close(s);
    return NULL;
}

int src_next(as_source *s, const uint8_t **p, size_t *n, as_error *err)
{
    *p = NULL;
    *n = 0;
    if (!s->threaded) {
        if (!s->gz) {
            size_t k = s->memlen - s->mempos;
            if (k > s->max_chunk)
                k = s->max_chunk;
            *p = s->mem + s->mempos;
            *n = k;
            s->mempos += k;
            __atomic_store_n(&s->done, s->mempos, __ATOMIC_RELAXED);
            return AS_OK;
        }
        size_t got;
        int rc = inflate_some(s, s->buf, s->max_chunk < s->buf_cap ? s->max_chunk : s->buf_cap,
                              &got, err);
        if (rc)
            return rc;
        *p = s->buf;
        *n = got;
        return AS_OK;
    }
    pthread_mutex_lock(&s->mu);
    if (s->held >= 0) {
        s->slot_state[s->held] = SLOT_FREE;
        s->held = -1;
        pthread_cond_broadcast(&s->cv);
    }
    while (s->slot_state[s->cons] != SLOT_FULL && !s->prod_eof && !s->prod_failed)
        pthread_cond_wait(&s->cv, &s->mu);
    int rc = AS_OK;
    if (s->slot_state[s->cons] == SLOT_FULL) {
        int k = s->cons;
        s->slot_state[k] = SLOT_HELD;
        s->held = k;
        s->cons = (k + 1) % NSLOT;
        *p = s->slot_buf[k];
        *n = s->slot_n[k];
    } else if (s->prod_failed) {
        if (err)
            *err = s->prod_err;
        rc = s->prod_err.code ? s->prod_err.code : AS_EIO;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

bool src_is_gzip(const as_source *s) { return s->gz; }
uint64_t src_done(const as_source *s) { return __atomic_load_n(&s->done, __ATOMIC_RELAXED); }
uint64_t src_total(const as_source *s) { return s->total; }
uint64_t src_trailing(const as_source *s) { return s->trailing; }

void src_set_max_chunk(as_source *s, size_t n)
{
    if (s->fd < 0 && n > 0)
        s->max_chunk = n;
}

void src_close(as_source *s)
{
    if (!s)
        return;
    if (s->threaded) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->th, NULL);
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
    }
    for (int i = 0; i < NSLOT; i++)
        free(s->slot_buf[i]);
    if (s->zinit)
        inflateEnd(&s->zs);
    if (s->fd >= 0)
        close(s->fd);
    free(s->inbuf);
    free(s->buf);
    free(s);
}
