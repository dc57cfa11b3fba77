/* save.c - the inseq v0.7 writer: file safety, the output pipeline, base64
 * streaming and the document structure. */
#define _GNU_SOURCE /* sync_file_range */
#include "save.h"

#include "atomic.h"
#include "b64.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fp.h"
#include "pyjson.h"
#include "tensor.h"

#define SAVE_BUF_SIZE ((size_t)4 << 20) /* one JSON text buffer */
#define SAVE_NBUF 3                     /* one being filled, two in flight */
#define ZOUT_SIZE ((size_t)1 << 20)
#define SYNC_STEP ((uint64_t)64 << 20)  /* start writeback every 64 MB */

static const char MOD_ATTR[] = "inseq.data.attribution";
static const char MOD_TYPING[] = "inseq.utils.typing";

/* ======================================================================
 * Base64
 * ====================================================================== */

/* Base64 of a byte stream that arrives in pieces, straight into the JSON
 * writer's buffer. */
typedef struct b64_stream {
    unsigned char carry[3];
    int ncarry;
} b64_stream;

static void b64_tail(pj_writer *w, const unsigned char *p, int n)
{
    char o[4];
    pj_raw(w, o, b64_encode(p, (size_t)n, o));
}

static void b64_feed(pj_writer *w, b64_stream *st, const void *data, size_t n)
{
    const unsigned char *p = data;
    if (st->ncarry) {
        while (st->ncarry < 3 && n) {
            st->carry[st->ncarry++] = *p++;
            n--;
        }
        if (st->ncarry < 3)
            return;
        char o[4];
        b64_encode_groups(st->carry, 3, o);
        pj_raw(w, o, 4);
        st->ncarry = 0;
    }
    while (n >= 3) {
        size_t avail;
        char *o = pj_reserve(w, 4, &avail);
        if (!o)
            return;
        size_t g = n / 3;
        if (g > avail / 4)
            g = avail / 4;
        b64_encode_groups(p, g * 3, o);
        pj_commit(w, g * 4);
        p += g * 3;
        n -= g * 3;
    }
    while (n--)
        st->carry[st->ncarry++] = *p++;
}

static void b64_end(pj_writer *w, b64_stream *st)
{
    if (st->ncarry)
        b64_tail(w, st->carry, st->ncarry);
    st->ncarry = 0;
}

/* ======================================================================
 * Output pipeline: the JSON writer fills a buffer; a second thread takes
 * full buffers and writes them (deflating first when compressing).
 * ====================================================================== */

typedef struct sink {
    int fd;
    bool gz, sync;
    z_stream zs;
    gz_header gzh;              /* read by deflate until the header is out */
    bool zs_ready;
    unsigned char *zout;
    uint64_t off, synced;
    /* error of the writing side: errno and what was being done; read by the
     * encoding side only when single-threaded or after the join */
    int err_no;
    const char *err_what;
    bool failed;   /* the writing side gave up (under mu when threaded) */
    bool cancel;   /* the encoding side gave up: drop queued buffers */
    /* pipeline */
    bool threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    char *bufs[SAVE_NBUF];
    char *q[SAVE_NBUF];
    size_t qlen[SAVE_NBUF];
    int qhead, qcount;
    char *freel[SAVE_NBUF];
    int nfree;
    bool finishing;
} sink;

static int write_all(sink *s, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        ssize_t r = write(s->fd, p, n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            s->err_no = errno;
            s->err_what = "cannot write";
            return -1;
        }
        if (r == 0) {
            s->err_no = EIO;
            s->err_what = "cannot write";
            return -1;
        }
        p += r;
        n -= (size_t)r;
        s->off += (uint64_t)r;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    if (s->sync && s->off - s->synced >= SYNC_STEP) {
        /* Start writeback now so that the final fsync has little left. */
        (void)sync_file_range(s->fd, (off64_t)s->synced, (off64_t)(s->off - s->synced),
                              SYNC_FILE_RANGE_WRITE);
        s->synced = s->off;
    }
#endif
    return 0;
}

static int deflate_out(sink *s, int flush)
{
    for (;;) {
        s->zs.next_out = s->zout;
        s->zs.avail_out = (uInt)ZOUT_SIZE;
        int rc = deflate(&s->zs, flush);
        if (rc == Z_STREAM_ERROR) {
            s->err_no = EINVAL;
            s->err_what = "compression failed";
            return -1;
        }
        size_t have = ZOUT_SIZE - s->zs.avail_out;
        if (have && write_all(s, s->zout, have))
            return -1;
        if (flush == Z_FINISH ? rc == Z_STREAM_END : s->zs.avail_out != 0)
            return 0;
    }
}

/* Consumes one full buffer on the writing side. */
static int sink_process(sink *s, const char *buf, size_t len)
{
    if (!s->gz)
        return write_all(s, buf, len);
    const unsigned char *p = (const unsigned char *)buf;
    while (len) {
        size_t k = len > (size_t)1 << 30 ? (size_t)1 << 30 : len;
        s->zs.next_in = (unsigned char *)(uintptr_t)p;
        s->zs.avail_in = (uInt)k;
        if (deflate_out(s, Z_NO_FLUSH))
            return -1;
        p += k;
        len -= k;
    }
    return 0;
}

static void *sink_thread(void *arg)
{
    sink *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->qcount && !s->finishing)
            pthread_cond_wait(&s->cv_full, &s->mu);
        if (!s->qcount)
            break;
        char *b = s->q[s->qhead];
        size_t len = s->qlen[s->qhead];
        s->qhead = (s->qhead + 1) % SAVE_NBUF;
        s->qcount--;
        bool skip = s->failed || s->cancel;
        pthread_mutex_unlock(&s->mu);
        int rc = skip ? 0 : sink_process(s, b, len);
        pthread_mutex_lock(&s->mu);
        if (rc)
            s->failed = true;
        s->freel[s->nfree++] = b;
        pthread_cond_signal(&s->cv_free);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* pj_writer flush callback (producer side). */
static int sink_flush(void *ud, pj_writer *w)
{
    sink *s = ud;
    if (!s->threaded) {
        if (sink_process(s, w->buf, w->len)) {
            s->failed = true;
            return AS_EIO;
        }
        w->len = 0;
        return 0;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->nfree && !s->failed)
        pthread_cond_wait(&s->cv_free, &s->mu);
    if (s->failed) {
        pthread_mutex_unlock(&s->mu);
        return AS_EIO;
    }
    int tail = (s->qhead + s->qcount) % SAVE_NBUF;
    s->q[tail] = w->buf;
    s->qlen[tail] = w->len;
    s->qcount++;
    w->buf = s->freel[--s->nfree];
    w->len = 0;
    pthread_cond_signal(&s->cv_full);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A gzip stream as Python's gzip module writes it (GzipFile and
 * gzip.compress with mtime 0): no name, mtime 0, XFL by level (zlib's rule
 * is Python's), OS 255, deflate with memLevel 8.  h must stay valid until
 * the first deflate() call. */
static bool gzip_init(z_stream *zs, gz_header *h, int level)
{
    memset(zs, 0, sizeof *zs);
    memset(h, 0, sizeof *h);
    h->os = 255;
    if (deflateInit2(zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    if (deflateSetHeader(zs, h) != Z_OK) {
        deflateEnd(zs);
        return false;
    }
    return true;
}

/* Sets up the sink on fd and the writer w over its first buffer. */
static int sink_open(sink *s, pj_writer *w, int fd, bool gz, int level, bool sync)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->gz = gz;
    s->sync = sync;
    for (int i = 0; i < SAVE_NBUF; i++) {
        s->bufs[i] = malloc(SAVE_BUF_SIZE);
        if (!s->bufs[i])
            return AS_ENOMEM;
    }
    if (gz) {
        s->zout = malloc(ZOUT_SIZE);
        if (!s->zout)
            return AS_ENOMEM;
        if (!gzip_init(&s->zs, &s->gzh, level))
            return AS_ENOMEM;
        s->zs_ready = true;
    }
    pj_init(w, s->bufs[0], SAVE_BUF_SIZE, sink_flush, s);
    for (int i = 1; i < SAVE_NBUF; i++)
        s->freel[s->nfree++] = s->bufs[i];
    if (pthread_mutex_init(&s->mu, NULL))
        return AS_OK; /* stays single-threaded */
    if (pthread_cond_init(&s->cv_full, NULL)) {
        pthread_mutex_destroy(&s->mu);
        return AS_OK;
    }
    if (pthread_cond_init(&s->cv_free, NULL)) {
        pthread_cond_destroy(&s->cv_full);
        pthread_mutex_destroy(&s->mu);
        return AS_OK;
    }
    /* The writing thread never takes the signals that end the process: their
     * handler runs in the caller's thread (atomic.h). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int terr = pthread_create(&s->th, NULL, sink_thread, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (terr) {
        pthread_cond_destroy(&s->cv_free);
        pthread_cond_destroy(&s->cv_full);
        pthread_mutex_destroy(&s->mu);
        return AS_OK;
    }
    s->threaded = true;
    return AS_OK;
}

/* Stops the thread; with ok, writes what is left (and the gzip end). */
static int sink_close(sink *s, pj_writer *w, bool ok)
{
    if (ok)
        ok = pj_flush(w) == 0;
    if (s->threaded) {
        pthread_mutex_lock(&s->mu);
        s->finishing = true;
        if (!ok)
            s->cancel = true;
        pthread_cond_signal(&s->cv_full);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->th, NULL);
        pthread_cond_destroy(&s->cv_free);
        pthread_cond_destroy(&s->cv_full);
        pthread_mutex_destroy(&s->mu);
        s->threaded = false;
    }
    int rc = ok && !s->failed ? 0 : -1;
    if (!rc && s->gz) {
        s->zs.next_in = NULL;
        s->zs.avail_in = 0;
        rc = deflate_out(s, Z_FINISH); /* with the gzip trailer */
    }
    if (s->zs_ready)
        deflateEnd(&s->zs);
    s->zs_ready = false;
    free(s->zout);
    s->zout = NULL;
    /* The writer may hold any of the buffers: free them all by identity. */
    for (int i = 0; i < SAVE_NBUF; i++)
        free(s->bufs[i]);
    memset(s->bufs, 0, sizeof s->bufs);
    w->buf = NULL;
    return rc;
}

/* ======================================================================
 * Tensors
 * ====================================================================== */

static bool host_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

const char *as_precision_dtype(as_precision p)
{
    switch (p) {
    case AS_PREC_FLOAT16: return "F16";
    case AS_PREC_FLOAT8: return "F8_E4M3";
    case AS_PREC_BFLOAT16: return "BF16";
    case AS_PREC_FLOAT32: break;
    }
    return "F32";
}

static size_t precision_size(as_precision p)
{
    switch (p) {
    case AS_PREC_FLOAT16:
    case AS_PREC_BFLOAT16: return 2;
    case AS_PREC_FLOAT8: return 1;
    case AS_PREC_FLOAT32: break;
    }
    return 4;
}

bool as_precision_parse(const char *s, as_precision *out)
{
    static const struct { const char *name; as_precision p; } tab[] = {
        {"float32", AS_PREC_FLOAT32}, {"fp32", AS_PREC_FLOAT32}, {"f32", AS_PREC_FLOAT32},
        {"float16", AS_PREC_FLOAT16}, {"fp16", AS_PREC_FLOAT16}, {"f16", AS_PREC_FLOAT16},
        {"half", AS_PREC_FLOAT16},    {"float8", AS_PREC_FLOAT8},  {"fp8", AS_PREC_FLOAT8},
        {"f8", AS_PREC_FLOAT8},       {"f8_e4m3", AS_PREC_FLOAT8}, {"float8_e4m3fn", AS_PREC_FLOAT8},
        {"bfloat16", AS_PREC_BFLOAT16}, {"bf16", AS_PREC_BFLOAT16},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcasecmp(s, tab[i].name)) {
            *out = tab[i].p;
            return true;
        }
    return false;
}

/* Streams the tensor's elements in the given precision, little-endian. */
static void feed_elements(pj_writer *w, b64_stream *st, const as_tensor *t, as_precision p)
{
    size_t n = tensor_numel(t);
    const float *d = t->data;
    if (p == AS_PREC_FLOAT32 && host_little_endian()) {
        /* In slices so that a failing sink stops the work early. */
        const size_t step = (size_t)48 << 20;
        for (size_t i = 0; i < n && !pj_status(w); i += step)
            b64_feed(w, st, d + i, (n - i < step ? n - i : step) * 4);
        return;
    }
    enum { CHUNK = 3 * 8192 };
    unsigned char tmp[CHUNK * 4];
    for (size_t i = 0; i < n && !pj_status(w); i += CHUNK) {
        size_t k = n - i < CHUNK ? n - i : CHUNK, nb = 0;
        for (size_t j = 0; j < k; j++) {
            float f = d[i + j];
            switch (p) {
            case AS_PREC_FLOAT32: {
                uint32_t u;
                memcpy(&u, &f, 4);
                for (int b = 0; b < 4; b++)
                    tmp[nb++] = (unsigned char)(u >> (8 * b));
                break;
            }
            case AS_PREC_FLOAT16:
            case AS_PREC_BFLOAT16: {
                uint16_t h = p == AS_PREC_FLOAT16 ? as_f32_to_f16(f) : as_f32_to_bf16(f);
                tmp[nb++] = (unsigned char)h;
                tmp[nb++] = (unsigned char)(h >> 8);
                break;
            }
            case AS_PREC_FLOAT8: tmp[nb++] = as_f32_to_f8e4m3(f); break;
            }
        }
        b64_feed(w, st, tmp, nb);
    }
}

static void shape_text(char *b, size_t cap, const as_tensor *t)
{
    size_t n = 0;
    for (int i = 0; i < t->ndim && n < cap; i++)
        n += (size_t)snprintf(b + n, cap - n, "%s%zu", i ? "," : "", t->shape[i]);
    if (!t->ndim && cap)
        b[0] = '\0';
}

/* A sequence tensor: base64 of a safetensors blob with one tensor named
 * "attribution" and no metadata, header padded with spaces to 8 bytes as
 * the safetensors library does. */
static void write_safetensor(pj_writer *w, const as_tensor *t, as_precision p)
{
    char shape[AS_MAX_DIMS * 24 + 1];
    shape_text(shape, sizeof shape, t);
    size_t nbytes = tensor_numel(t) * precision_size(p);
    char hdr[sizeof shape + 128];
    int hl = snprintf(hdr, sizeof hdr,
                      "{\"attribution\":{\"dtype\":\"%s\",\"shape\":[%s],\"data_offsets\":[0,%zu]}}",
                      as_precision_dtype(p), shape, nbytes);
    while (hl % 8)
        hdr[hl++] = ' ';
    unsigned char len8[8];
    for (int i = 0; i < 8; i++)
        len8[i] = (unsigned char)((uint64_t)hl >> (8 * i));
    b64_stream st = {{0}, 0};
    pj_string_open(w);
    b64_feed(w, &st, len8, 8);
    b64_feed(w, &st, hdr, (size_t)hl);
    feed_elements(w, &st, t, p);
    b64_end(w, &st);
    pj_string_close(w);
}

/* gzip of data as Python's gzip_compress(data, 9) with mtime 0. Returns a
 * malloc'd buffer or NULL. */
static unsigned char *gzip9(const void *data, size_t n, size_t *out_len)
{
    z_stream zs;
    gz_header h;
    if (!gzip_init(&zs, &h, 9))
        return NULL;
    size_t cap = deflateBound(&zs, (uLong)n);
    unsigned char *out = malloc(cap);
    if (!out) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (unsigned char *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* A step tensor in the `__ndarray__` encoding (float32, C order). */
static void write_ndarray(pj_writer *w, const as_tensor *t, bool whole_file_gz)
{
    size_t n = tensor_numel(t), nbytes = n * 4;
    unsigned char *le = NULL, *gz = NULL;
    size_t gzlen = 0;
    const void *raw = t->data;
    if (!host_little_endian() || (!whole_file_gz && nbytes)) {
        if (!host_little_endian()) {
            le = malloc(nbytes ? nbytes : 1);
            if (!le) {
                w->status = AS_ENOMEM;
                return;
            }
            for (size_t i = 0; i < n; i++) {
                uint32_t u;
                memcpy(&u, &t->data[i], 4);
                put_le32(le + 4 * i, u);
            }
            raw = le;
        }
        /* inseq (ndarray_to_bin_str) keeps the gzip form only when it is
         * clearly smaller. */
        if (!whole_file_gz && nbytes < ((size_t)1 << 31)) {
            gz = gzip9(raw, nbytes, &gzlen);
            if (gz && !((double)gzlen < 0.9 * (double)nbytes && gzlen + 8 < nbytes)) {
                free(gz);
                gz = NULL;
            }
        }
    }
    pj_begin_object(w);
    if (t->ndim > 1) {
        pj_key(w, "Corder");
        pj_bool(w, true);
    }
    pj_key(w, "__ndarray__");
    b64_stream st = {{0}, 0};
    pj_string_open(w);
    if (gz) {
        pj_raw(w, "b64.gz:", 7);
        b64_feed(w, &st, gz, gzlen);
    } else {
        pj_raw(w, "b64:", 4);
        b64_feed(w, &st, raw, nbytes);
    }
    b64_end(w, &st);
    pj_string_close(w);
    pj_key(w, "dtype");
    pj_string(w, "float32");
    pj_key(w, "shape");
    pj_begin_array(w);
    for (int i = 0; i < t->ndim; i++)
        pj_int(w, (long long)t->shape[i]);
    pj_end_array(w);
    pj_end_object(w);
    free(gz);
    free(le);
}

/* ======================================================================
 * Document structure
 * ====================================================================== */

typedef struct save_ctx {
    as_precision precision;
    bool whole_file_gz;
} save_ctx;

static void write_instance_type(pj_writer *w, const char *mod, const char *name)
{
    pj_key(w, "__instance_type__");
    pj_begin_array(w);
    pj_string(w, mod);
    pj_string(w, name);
    pj_end_array(w);
}

static void write_tokens(pj_writer *w, const as_tokens *t)
{
    pj_begin_array(w);
    for (size_t i = 0; i < t->n && !pj_status(w); i++) {
        pj_begin_object(w);
        write_instance_type(w, MOD_TYPING, "TokenWithId");
        pj_key(w, "attributes");
        pj_begin_object(w);
        pj_key(w, "id");
        pj_int(w, t->v[i].id);
        pj_key(w, "token");
        pj_string(w, t->v[i].text ? t->v[i].text : "");
        pj_end_object(w);
        pj_end_object(w);
    }
    pj_end_array(w);
}

static int named_cmp(const void *a, const void *b)
{
    const as_named *x = *(const as_named *const *)a, *y = *(const as_named *const *)b;
    return pj_keycmp(x->name, y->name);
}

/* name -> tensor, sorted by name; step outputs use the ndarray form. */
static void write_scores(pj_writer *w, const as_scores *s, const save_ctx *c, bool ndarray)
{
    if (s->is_null) {
        pj_null(w);
        return;
    }
    const as_named **v = malloc((s->n ? s->n : 1) * sizeof *v);
    if (!v) {
        w->status = AS_ENOMEM;
        return;
    }
    for (size_t i = 0; i < s->n; i++)
        v[i] = &s->v[i];
    qsort(v, s->n, sizeof *v, named_cmp);
    pj_begin_object(w);
    for (size_t i = 0; i < s->n; i++) {
        pj_key(w, v[i]->name);
        if (ndarray)
            write_ndarray(w, v[i]->t, c->whole_file_gz);
        else
            write_safetensor(w, v[i]->t, c->precision);
    }
    pj_end_object(w);
    free(v);
}

static void write_seq_tensor(pj_writer *w, const as_tensor *t, const save_ctx *c)
{
    if (t)
        write_safetensor(w, t, c->precision);
    else
        pj_null(w);
}

static void write_seq(pj_writer *w, const as_seq *s, const save_ctx *c)
{
    pj_begin_object(w);
    write_instance_type(w, s->class_module ? s->class_module : MOD_ATTR,
                        s->class_name ? s->class_name : attr_class_name(s->cls));
    pj_key(w, "attributes");
    pj_begin_object(w);
    pj_key(w, "attr_pos_end");
    pj_int(w, s->attr_pos_end);
    pj_key(w, "attr_pos_start");
    pj_int(w, s->attr_pos_start);
    pj_key(w, "sequence_scores");
    write_scores(w, &s->sequence_scores, c, false);
    pj_key(w, "source");
    write_tokens(w, &s->source);
    pj_key(w, "source_attributions");
    write_seq_tensor(w, s->source_attr, c);
    pj_key(w, "step_scores");
    write_scores(w, &s->step_scores, c, false);
    pj_key(w, "target");
    write_tokens(w, &s->target);
    pj_key(w, "target_attributions");
    write_seq_tensor(w, s->target_attr, c);
    pj_end_object(w);
    pj_end_object(w);
}

static void write_token_lists(pj_writer *w, const as_tokens *lists, size_t n)
{
    if (!lists) {
        pj_null(w);
        return;
    }
    pj_begin_array(w);
    for (size_t i = 0; i < n; i++)
        write_tokens(w, &lists[i]);
    pj_end_array(w);
}

static const char *step_class_name(const as_step *st, char *buf, size_t cap)
{
    if (st->class_name)
        return st->class_name;
    static const char *const prefix[] = {
        [AS_CLS_BASE] = "", [AS_CLS_GRANULAR] = "Granular", [AS_CLS_COARSE] = "Coarse",
        [AS_CLS_MULTIDIM] = "MultiDimensional"};
    const as_tensor *t = st->source_attr ? st->source_attr : st->target_attr;
    /* (batch, tokens[, extra]) has the rank of the sequence tensor. */
    as_class cls = t ? attr_class_for_rank(t->ndim) : AS_CLS_BASE;
    snprintf(buf, cap, "%sFeatureAttributionStepOutput", prefix[cls]);
    return buf;
}

static void write_step(pj_writer *w, const as_step *st, const save_ctx *c)
{
    char name[96];
    pj_begin_object(w);
    write_instance_type(w, st->class_module ? st->class_module : MOD_ATTR,
                        step_class_name(st, name, sizeof name));
    pj_key(w, "attributes");
    pj_begin_object(w);
    pj_key(w, "prefix");
    write_token_lists(w, st->prefix, st->nprefix);
    pj_key(w, "sequence_scores");
    write_scores(w, &st->sequence_scores, c, true);
    pj_key(w, "source");
    write_token_lists(w, st->source, st->nsource);
    pj_key(w, "source_attributions");
    if (st->source_attr)
        write_ndarray(w, st->source_attr, c->whole_file_gz);
    else
        pj_null(w);
    pj_key(w, "step_scores");
    write_scores(w, &st->step_scores, c, true);
    pj_key(w, "target");
    write_token_lists(w, st->target, st->ntarget);
    pj_key(w, "target_attributions");
    if (st->target_attr)
        write_ndarray(w, st->target_attr, c->whole_file_gz);
    else
        pj_null(w);
    pj_end_object(w);
    pj_end_object(w);
}

/* The whole document: sequences [first, first + n), steps if with_steps. */
static void write_document(pj_writer *w, const as_output *o, const json_t *info, size_t first,
                           size_t n, bool with_steps, const save_ctx *c)
{
    pj_begin_object(w);
    write_instance_type(w, MOD_ATTR, "FeatureAttributionOutput");
    pj_key(w, "attributes");
    pj_begin_object(w);
    pj_key(w, "info");
    if (info)
        pj_json(w, info);
    else {
        pj_begin_object(w);
        pj_end_object(w);
    }
    pj_key(w, "sequence_attributions");
    pj_begin_array(w);
    for (size_t i = first; i < first + n && !pj_status(w); i++)
        write_seq(w, &o->seqs[i], c);
    pj_end_array(w);
    pj_key(w, "step_attributions");
    if (!with_steps || o->steps_null || !o->steps)
        pj_null(w);
    else {
        pj_begin_array(w);
        for (size_t i = 0; i < o->nsteps && !pj_status(w); i++)
            write_step(w, &o->steps[i], c);
        pj_end_array(w);
    }
    pj_end_object(w);
    pj_end_object(w);
}

/* ======================================================================
 * Files
 * ====================================================================== */

char *as_save_split_path(const char *path, size_t i, bool compress)
{
    size_t n = strlen(path);
    if (n >= 3 && !strcmp(path + n - 3, ".gz"))
        n -= 3;
    if (n >= 5 && !strncmp(path + n - 5, ".json", 5))
        n -= 5;
    size_t cap = n + 48;
    char *out = malloc(cap);
    if (out)
        snprintf(out, cap, "%.*s_%zu.json%s", (int)n, path, i, compress ? ".gz" : "");
    return out;
}

/* Directory part of path ("." when none), malloc'd. */
typedef struct part {
    char *path;      /* final name (the target of a link) */
    char *tmp;       /* temporary file, NULL once gone */
    bool committed;  /* moved into place */
    bool direct;     /* a device or FIFO: written in place */
} part;

/* Writes one document into a new temporary file for p->path. */
static int write_part(part *p, const as_output *o, const json_t *info, size_t first, size_t n,
                      bool with_steps, const as_save_opts *opts, int level, as_error *err)
{
    int fd;
    if (p->direct) {
        fd = open(p->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return as_error_set(err, AS_EIO, "%s: cannot open: %s", p->path, strerror(errno));
    } else {
        fd = atomic_tmp_create(p->path, &p->tmp, err);
    }
    if (fd < 0)
        return err ? err->code : AS_EIO;
    save_ctx c = {opts->precision, opts->compress};
    sink s;
    pj_writer w;
    int rc = sink_open(&s, &w, fd, opts->compress, level, !opts->no_sync);
    if (rc) {
        sink_close(&s, &w, false);
        close(fd);
        return as_error_set(err, rc, "%s: %s", p->path,
                            rc == AS_ENOMEM ? "out of memory" : strerror(s.err_no));
    }
    write_document(&w, o, info, first, n, with_steps, &c);
    int st = pj_status(&w);
    int crc = sink_close(&s, &w, st == 0);
    if (st && st != AS_EIO) {
        close(fd);
        return as_error_set(err, st, "%s: %s", p->path,
                            st == AS_ENOMEM ? "out of memory" : "cannot encode the output");
    }
    if (st || crc) {
        close(fd);
        return as_error_set(err, AS_EIO, "%s: %s: %s", p->path,
                            s.err_what ? s.err_what : "cannot write", strerror(s.err_no));
    }
    if (!opts->no_sync && !p->direct && fsync(fd) != 0) {
        int e = errno;
        close(fd);
        return as_error_set(err, AS_EIO, "%s: cannot flush to disk: %s", p->path, strerror(e));
    }
    if (close(fd) != 0)
        return as_error_set(err, AS_EIO, "%s: cannot write: %s", p->path, strerror(errno));
    return AS_OK;
}

/* Moves a finished temporary file into place. Without force an existing
 * file is never replaced, even one that appeared while writing. */
static int commit_part(part *p, bool force, as_error *err)
{
    if (p->direct)
        return AS_OK;
    int rc = atomic_place(p->tmp, p->path, force, err);
    if (rc)
        return rc;
    free(p->tmp);
    p->tmp = NULL;
    p->committed = true;
    return AS_OK;
}

/* info with input_texts and generated_texts cut to entry i (when they have
 * one entry per sequence). New reference or NULL. */
static json_t *info_for_part(const json_t *info, size_t i, size_t nseqs)
{
    if (!info)
        return NULL;
    json_t *c = json_deep_copy(info);
    if (!c || !json_is_object(c))
        return c;
    static const char *const keys[] = {"input_texts", "generated_texts"};
    for (int k = 0; k < 2; k++) {
        json_t *a = json_object_get(c, keys[k]);
        if (!json_is_array(a) || json_array_size(a) != nseqs)
            continue;
        json_t *one = json_array();
        if (!one || json_array_append(one, json_array_get(a, i)) ||
            json_object_set_new(c, keys[k], one)) {
            json_decref(c);
            return NULL;
        }
    }
    return c;
}

int as_save(const as_output *o, const char *path, const as_save_opts *opts_in, as_error *err)
{
    as_save_opts opts = {0};
    if (opts_in)
        opts = *opts_in;
    int level = opts.compress_level ? opts.compress_level : 5;
    if (level < 1 || level > 9)
        return as_error_set(err, AS_EUSAGE, "%s: compression level %d is not between 1 and 9",
                            path, opts.compress_level);
    if ((unsigned)opts.precision > AS_PREC_BFLOAT16)
        return as_error_set(err, AS_EUSAGE, "%s: unknown precision", path);
    if (!o)
        return as_error_set(err, AS_EUSAGE, "%s: nothing to save", path);
    if (!path[0])
        return as_error_set(err, AS_EUSAGE, "no file name to save to");

    size_t nparts = opts.split ? o->nseqs : 1;
    if (opts.split && !nparts)
        return as_error_set(err, AS_EUSAGE, "%s: no sequences to split", path);
    part *parts = calloc(nparts, sizeof *parts);
    if (!parts)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    int rc = AS_OK;
    /* Refuse early, before writing anything (atomic.h says what is
     * written where). */
    for (size_t i = 0; i < nparts && !rc; i++) {
        char *name = opts.split ? as_save_split_path(path, i, opts.compress) : strdup(path);
        if (!name)
            rc = as_error_set(err, AS_ENOMEM, "out of memory");
        else
            rc = atomic_target(name, opts.force, &parts[i].path, &parts[i].direct, err);
        free(name);
    }
    for (size_t i = 0; i < nparts && !rc; i++) {
        if (opts.split) {
            json_t *info = info_for_part(o->info, i, o->nseqs);
            if (o->info && !info)
                rc = as_error_set(err, AS_ENOMEM, "out of memory");
            else
                rc = write_part(&parts[i], o, info, i, 1, false, &opts, level, err);
            json_decref(info);
        } else {
            rc = write_part(&parts[i], o, o->info, 0, o->nseqs, true, &opts, level, err);
        }
    }
    for (size_t i = 0; i < nparts && !rc; i++)
        rc = commit_part(&parts[i], opts.force, err);
    if (!rc && !opts.no_sync)
        atomic_sync_dir(parts[0].path);
    for (size_t i = 0; i < nparts; i++) {
        if (parts[i].tmp)
            atomic_tmp_remove(parts[i].tmp);
        /* Without force the committed parts did not exist before: take them
         * back so that a failed split leaves nothing half done. */
        if (rc && parts[i].committed && !opts.force)
            unlink(parts[i].path);
        free(parts[i].tmp);
        free(parts[i].path);
    }
    free(parts);
    return rc;
}
