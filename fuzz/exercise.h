/* exercise.h - what the fuzzers do with one input, shared with the
 * regression test (tests/test_regressions.c) so both take the same path.
 *
 * ex_load_input(data, size) runs, on arbitrary bytes:
 *   1. the streaming scanner over the bytes delivered in one chunk and in
 *      small chunks: skeleton, blobs and any error must be the same;
 *   2. as_load_buffer() on the bytes as given and on a gzip copy of them:
 *      both succeed or both fail with the same message;
 *   3. for an output that loads: as_output_merge() of the two, then for each
 *      sequence (at most EX_MAX_SEQS) the default aggregation, and for 2D
 *      results the heatmap and tokens pages into memory and
 *      agg_scores_dicts(); token labels of every token as `info` shows them
 *      and as `export` writes them; the info object as `info --json` and
 *      `info` print it (strict JSON, strings escaped); the notes.
 * Display text must hold no control byte.  A broken invariant aborts with a
 * message on stderr (the fuzzer then keeps the input).
 *
 * Header-only (static functions) so that a test can include it.  Not part
 * of the libraries: this file prints and aborts.
 */
#ifndef AS_FUZZ_EXERCISE_H
#define AS_FUZZ_EXERCISE_H

#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "agg.h"
#include "pipecomplete.h"
#include "html.h"
#include "load.h"
#include "pipeline.h"
#include "scan.h"
#include "source.h"
#include "tokens.h"

/* The memory limit the fuzz targets run with: well under libFuzzer's RSS
 * limit, and small enough that the work a gzip input can cause (inflated
 * text, kept or not, counts against it) stays within the timeout. */
#define EX_MEM_LIMIT ((size_t)64 << 20)
#define EX_MAX_SEQS 8
/* Sequences with more cells than this are only loaded, not aggregated
 * (keeps one iteration fast). */
#define EX_MAX_CELLS ((size_t)1 << 20)

static void ex_fail(const char *what, const char *detail)
{
    fprintf(stderr, "exercise: invariant broken: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    abort();
}

/* Display text: valid for a terminal (no C0 control, no DEL). */
static void ex_check_display(const char *s, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            ex_fail(what, "raw control byte in display text");
    }
}

/* ---- 1. scanner: one chunk versus small chunks ---- */

/* Skeleton with the scan's nonce (inside placeholders) blanked out. */
static char *ex_skel_norm(const as_scan *sc)
{
    char *s = malloc(sc->skel.len + 1);
    if (!s)
        return NULL;
    memcpy(s, sc->skel.p, sc->skel.len);
    s[sc->skel.len] = '\0';
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, sc->nonce);
    for (size_t i = 0; i + 16 <= sc->skel.len; i++)
        if (s[i] == hex[0] && !memcmp(s + i, hex, 16))
            memset(s + i, '#', 16);
    return s;
}

static int ex_scan(const uint8_t *data, size_t size, size_t chunk, as_scan *sc, as_error *err)
{
    as_source *src = src_open_mem(data, size, err);
    if (!src) {
        memset(sc, 0, sizeof *sc);
        return err->code;
    }
    if (chunk)
        src_set_max_chunk(src, chunk);
    int rc = scan_run(src, sc, false, NULL, NULL, err);
    src_close(src);
    return rc;
}

static void ex_scan_chunks(const uint8_t *data, size_t size)
{
    as_scan a, b;
    as_error ea = {0}, eb = {0};
    /* A chunk size from the data (1 to 4096 bytes), so the fuzzer can move
     * the boundaries. */
    size_t chunk = size ? 1 + ((size_t)data[size - 1] * 61 + (size_t)data[0]) % 4096 : 1;
    int ra = ex_scan(data, size, 0, &a, &ea);
    int rb = ex_scan(data, size, chunk, &b, &eb);
    if (ra != rb)
        ex_fail("scan in one chunk and in small chunks differ in outcome", ra ? ea.msg : eb.msg);
    bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    if (ra) {
        /* From gzip, which fails first (the text or the stream) depends on
         * how much was inflated. */
        if (!gz && strcmp(ea.msg, eb.msg) != 0)
            ex_fail("scan errors differ between chunkings", ea.msg);
    } else {
        char *sa = ex_skel_norm(&a), *sb = ex_skel_norm(&b);
        if (sa && sb && (a.skel.len != b.skel.len || memcmp(sa, sb, a.skel.len) != 0))
            ex_fail("skeletons differ between chunkings", NULL);
        free(sa);
        free(sb);
        if (a.nblobs != b.nblobs)
            ex_fail("blob counts differ between chunkings", NULL);
        for (size_t i = 0; i < a.nblobs; i++) {
            const as_blob *x = &a.blobs[i], *y = &b.blobs[i];
            if (x->kind != y->kind || x->len != y->len || x->nnums != y->nnums ||
                x->ndim != y->ndim || (x->len && memcmp(x->data, y->data, x->len) != 0))
                ex_fail("blobs differ between chunkings", NULL);
            for (size_t k = 0; k < x->nnums; k++)
                if (memcmp(&x->nums[k], &y->nums[k], sizeof(double)) != 0)
                    ex_fail("number lists differ between chunkings", NULL);
        }
    }
    scan_free(&a);
    scan_free(&b);
}

/* ---- 2. plain and gzip ---- */

/* The bytes as one gzip member (level 1); NULL when out of memory. */
static uint8_t *ex_gzip(const uint8_t *data, size_t size, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&zs, (uLong)size) + 32;
    uint8_t *out = malloc(cap);
    if (!out) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)size;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int zr = deflate(&zs, Z_FINISH);
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    if (zr != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* ---- 3. what the commands do with a loaded output ---- */

static void ex_label(tokens_mode m, const char *text)
{
    char buf[256];
    int cols = 0;
    size_t n = tokens_label(buf, sizeof buf, m, text, TOKENS_ESC_SPACE, 24, &cols);
    ex_check_display(buf, n < sizeof buf ? n : strlen(buf), "tokens_label");
    if (cols < 0 || cols > 24)
        ex_fail("tokens_label wider than asked", text);
    /* The export path: decoded, then escaped. */
    size_t dl;
    char *d = tokens_decode_dup(m, text, &dl);
    if (d) {
        char *e = tokens_escape_dup(d, dl, 0);
        if (e)
            ex_check_display(e, strlen(e), "tokens_escape_dup");
        free(e);
        free(d);
    }
}

static void ex_labels(const as_output *o, tokens_mode m)
{
    for (size_t i = 0; i < o->nseqs; i++) {
        for (size_t k = 0; k < o->seqs[i].source.n; k++)
            ex_label(m, o->seqs[i].source.v[k].text);
        for (size_t k = 0; k < o->seqs[i].target.n; k++)
            ex_label(m, o->seqs[i].target.v[k].text);
    }
    for (size_t i = 0; i < o->nsteps; i++) {
        const as_step *st = &o->steps[i];
        const as_tokens *lists[3] = {st->source, st->prefix, st->target};
        size_t counts[3] = {st->nsource, st->nprefix, st->ntarget};
        for (int l = 0; l < 3; l++)
            for (size_t b = 0; lists[l] && b < counts[l]; b++)
                for (size_t k = 0; k < lists[l][b].n; k++)
                    ex_label(m, lists[l][b].v[k].text);
    }
}

/* `info --json`: non-finite markers become null; dumped with ensure_ascii.
 * `info`: strings and keys escaped. */
static json_t *ex_strict(json_t *j)
{
    double v;
    if (attr_json_nonfinite(j, &v))
        return json_null();
    if (json_is_string(j)) {
        char *e = tokens_escape_dup(json_string_value(j), json_string_length(j), 0);
        if (e)
            ex_check_display(e, strlen(e), "escaped info string");
        free(e);
    }
    if (json_is_array(j)) {
        json_t *r = json_array();
        for (size_t i = 0; i < json_array_size(j); i++)
            json_array_append_new(r, ex_strict(json_array_get(j, i)));
        return r;
    }
    if (json_is_object(j)) {
        json_t *r = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(j, k, x) {
            char *e = tokens_escape_dup(k, strlen(k), 0);
            if (e)
                ex_check_display(e, strlen(e), "escaped info key");
            free(e);
            json_object_set_new(r, k, ex_strict(x));
        }
        return r;
    }
    return json_incref(j);
}

static void ex_info(const as_output *o)
{
    json_t *s = ex_strict(o->info);
    char *d = json_dumps(s, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    if (d) {
        for (const char *p = d; *p; p++)
            if ((unsigned char)*p >= 0x80 || ((unsigned char)*p < 0x20 && *p != '\n'))
                ex_fail("info --json output is not plain ASCII", NULL);
    }
    free(d);
    json_decref(s);
    if (o->notes) {
        char *e = tokens_escape_dup(o->notes, strlen(o->notes), 0);
        free(e);
    }
}

static size_t ex_cells(const as_seq *s)
{
    size_t n = 0;
    if (s->source_attr)
        n += tensor_numel(s->source_attr);
    if (s->target_attr)
        n += tensor_numel(s->target_attr);
    return n;
}

static const char *ex_html_label(void *ud, const as_token *t)
{
    static char buf[1024];
    tokens_label(buf, sizeof buf, *(tokens_mode *)ud, t->text, 0, 40, NULL);
    return buf;
}

static void ex_pages(as_seq *const *res, size_t n, tokens_mode m)
{
    if (!n)
        return;
    as_error err = {0};
    html_out out;
    html_out_mem(&out);
    html_heatmap_opts h = {.c = {.label = ex_html_label, .label_ud = &m}, .shared_range = true};
    html_heatmap_page(&out, (const as_seq *const *)res, n, &h, &err);
    html_tokens_opts t = {.c = {.label = NULL}};
    html_tokens_page(&out, (const as_seq *const *)res, n, &t, &err);
    size_t len;
    char *page = html_out_take(&out, &len, &err);
    free(page);
    html_out_free(&out);
    for (size_t i = 0; i < n; i++) {
        json_t *d = agg_scores_dicts(res[i], &err);
        if (d) {
            char *s = json_dumps(d, JSON_ENSURE_ASCII);
            free(s);
            json_decref(d);
        }
    }
}

static void ex_output(const as_output *o)
{
    tokens_mode m = tokens_resolve(TOKENS_AUTO, o, -1);
    ex_labels(o, m);
    if (m != TOKENS_NONE)
        ex_labels(o, TOKENS_NONE);
    ex_info(o);
    as_seq *res[EX_MAX_SEQS];
    size_t nres = 0;
    for (size_t i = 0; i < o->nseqs && i < EX_MAX_SEQS; i++) {
        if (ex_cells(&o->seqs[i]) > EX_MAX_CELLS)
            continue;
        as_error err = {0};
        as_seq *s = agg_apply_str(o, i, "default", NULL, &err);
        if (!s) {
            if (!err.msg[0])
                ex_fail("aggregation failed without a message", NULL);
            continue;
        }
        agg_minimum(s);
        agg_maximum(s);
        if (agg_check_2d(s, &err) == AS_OK)
            res[nres++] = s;
        else
            agg_seq_free(s);
    }
    ex_pages(res, nres, m);
    for (size_t i = 0; i < nres; i++)
        agg_seq_free(res[i]);
}

/* Two load failures agree when their messages do, except that compressed
 * data where JSON should start is advised differently with and without an
 * outer gzip stream ("...; decompress it first" against "... inside the
 * gzip stream (compressed twice?)"): the kind of data named must agree. */
static inline bool ex_same_failure(const char *plain, const char *gz)
{
    const char *pa = strstr(plain, "not a JSON file: it holds ");
    const char *pb = strstr(gz, "not a JSON file: it holds ");
    if (pa && pb) {
        const char *a = strstr(pa, " data"), *b = strstr(pb, " data");
        return a && b && a - plain == b - gz && !strncmp(plain, gz, (size_t)(a - plain));
    }
    return !strcmp(plain, gz);
}

static inline bool ex_tokens_same(const as_tokens *a, const as_tokens *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].id != b->v[i].id || strcmp(a->v[i].text, b->v[i].text) != 0)
            return false;
    return true;
}

static inline bool ex_token_lists_same(const as_tokens *a, size_t na, const as_tokens *b,
                                       size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!ex_tokens_same(&a[i], &b[i]))
            return false;
    return true;
}

/* The fast token list reader (toklist.h) and jansson's tree read the same
 * tokens, and fail with the same message. */
static inline void ex_tree_tokens(const uint8_t *data, size_t size, const as_output *a,
                                  const as_error *ea)
{
    as_load_opts to = {.tree_tokens = true};
    as_error et = {0};
    as_output *t = as_load_buffer(data, size, "input", &to, &et);
    if (!a != !t)
        ex_fail("token list reader and tree differ in outcome", a ? et.msg : ea->msg);
    if (!a && strcmp(ea->msg, et.msg) != 0 && ea->code != AS_ENOMEM && et.code != AS_ENOMEM)
        ex_fail("token list reader and tree fail differently", ea->msg);
    if (a && t) {
        if (a->nseqs != t->nseqs || a->nsteps != t->nsteps)
            ex_fail("token list reader and tree differ in sequences", NULL);
        for (size_t i = 0; i < a->nseqs; i++)
            if (!ex_tokens_same(&a->seqs[i].source, &t->seqs[i].source) ||
                !ex_tokens_same(&a->seqs[i].target, &t->seqs[i].target))
                ex_fail("token list reader and tree differ in a sequence's tokens", NULL);
        for (size_t i = 0; i < a->nsteps; i++) {
            const as_step *x = &a->steps[i], *y = &t->steps[i];
            if (!ex_token_lists_same(x->source, x->nsource, y->source, y->nsource) ||
                !ex_token_lists_same(x->prefix, x->nprefix, y->prefix, y->nprefix) ||
                !ex_token_lists_same(x->target, x->ntarget, y->target, y->ntarget))
                ex_fail("token list reader and tree differ in a step's tokens", NULL);
        }
    }
    attr_output_free(t);
}

/* Loads the bytes as given and gzip-compressed, checks they agree, merges
 * the two and exercises the result. */
static inline void ex_load_input(const uint8_t *data, size_t size)
{
    ex_scan_chunks(data, size);

    as_error e1 = {0}, e2 = {0};
    as_output *a = as_load_buffer(data, size, "input", NULL, &e1);
    if (!a && !e1.msg[0])
        ex_fail("load failed without a message", NULL);
    if (a && (!a->info || a->nfiles != 1))
        ex_fail("loaded output lacks info or its file name", NULL);
    ex_tree_tokens(data, size, a, &e1);

    bool is_gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    as_output *b = NULL;
    if (!is_gz && size > 0) {
        size_t gl = 0;
        uint8_t *gz = ex_gzip(data, size, &gl);
        if (gz) {
            b = as_load_buffer(gz, gl, "input", NULL, &e2);
            free(gz);
            if (!a != !b)
                ex_fail("plain and gzip loads differ in outcome", a ? e2.msg : e1.msg);
            if (!a && !ex_same_failure(e1.msg, e2.msg) && e1.code != AS_ENOMEM)
                ex_fail("plain and gzip loads fail differently", e1.msg);
            if (a && b && a->nseqs != b->nseqs)
                ex_fail("plain and gzip loads differ in sequences", NULL);
        }
    }
    /* A skim (which decodes no tensor data, so may accept more) that
     * succeeds on a file that loads fully sees the same sequences. */
    if (a) {
        as_load_opts so = {.skim = true};
        as_error e3 = {0};
        as_output *sk = as_load_buffer(data, size, "input", &so, &e3);
        if (sk && (sk->nseqs != a->nseqs || !sk->skimmed))
            ex_fail("skim and full load differ in sequences", NULL);
        attr_output_free(sk);
    }
    if (!a) {
        attr_output_free(b);
        return;
    }
    if (b) {
        size_t n = a->nseqs;
        as_error em = {0};
        if (as_output_merge(a, b, &em) == AS_OK && (a->nseqs != 2 * n || a->nfiles != 2))
            ex_fail("merge lost sequences or files", NULL);
    }
    ex_output(a);
    attr_output_free(a);
}

/* ---- the pipeline language ----
 *
 * ex_pipeline_input(data, size) on any text: pipe_parse() either fails with
 * a message (and a position inside the text) or gives a pipeline whose
 * canonical text (pipe_format) parses again to the same canonical text,
 * equals pipe_canonical() of the input and survives pipe_copy();
 * pcomp_run() at every cursor position starts inside the text and offers
 * only candidates that begin with the typed prefix.  A pipeline that parses
 * is applied to a tiny built-in output, with and without a weight. */

/* Three sequences: 0 and 1 (4 source, 4 target tokens, (4, 4, 3)
 * attributions, SentencePiece tokens, step scores probability and
 * entropy), 2 decoder-only (GPT-2 tokens, attr_pos_start 2, (4, 2, 3)). */
static const char ex_tiny_json[] =
    "{\"info\": {}, \"sequence_attributions\": [{\"source\": [{\"id\": 1, \"token\": \"\\u2581He\"}, {\"id\": "
    "2, \"token\": \"llo\"}, {\"id\": 3, \"token\": \"\\u2581world\"}, {\"id\": 0, \"token\": \"</s>\"}], \"targe"
    "t\": [{\"id\": 4, \"token\": \"\\u2581Ciao\"}, {\"id\": 5, \"token\": \"\\u2581mon\"}, {\"id\": 6, \"token\":"
    " \"do\"}, {\"id\": 0, \"token\": \"</s>\"}], \"attr_pos_start\": 0, \"attr_pos_end\": 4, \"source_attri"
    "butions\": {\"__ndarray__\": [[[-1.25,0.0,1.25],[-0.5,0.75,-0.75],[0.25,-1.25,0.0],[1.0,-0.5,"
    "0.75]],[[0.5,-1.0,0.25],[1.25,-0.25,1.0],[-0.75,0.5,-1.0],[0.0,1.25,-0.25]],[[-0.5,0.75,-0"
    ".75],[0.25,-1.25,0.0],[1.0,-0.5,0.75],[-1.0,0.25,-1.25]],[[1.25,-0.25,1.0],[-0.75,0.5,-1.0"
    "],[0.0,1.25,-0.25],[0.75,-0.75,0.5]]], \"dtype\": \"float32\", \"shape\": [4,4,3]}, \"target_attr"
    "ibutions\": {\"__ndarray__\": [[[NaN,NaN,NaN],[-1.0,0.0,1.0],[-0.667,0.333,1.333],[-0.333,0.6"
    "67,-1.333]],[[NaN,NaN,NaN],[NaN,NaN,NaN],[1.0,-1.0,0.0],[1.333,-0.667,0.333]],[[NaN,NaN,Na"
    "N],[NaN,NaN,NaN],[NaN,NaN,NaN],[0.0,1.0,-1.0]],[[NaN,NaN,NaN],[NaN,NaN,NaN],[NaN,NaN,NaN],"
    "[NaN,NaN,NaN]]], \"dtype\": \"float32\", \"shape\": [4,4,3]}, \"step_scores\": {\"probability\": {\"_"
    "_ndarray__\": [0.25,0.375,0.5,0.625], \"dtype\": \"float32\", \"shape\": [4]}, \"entropy\": {\"__nda"
    "rray__\": [1.5,1.25,1.0,0.75], \"dtype\": \"float32\", \"shape\": [4]}}, \"sequence_scores\": null}"
    ", {\"source\": [{\"id\": 1, \"token\": \"\\u2581He\"}, {\"id\": 2, \"token\": \"llo\"}, {\"id\": 3, \"token\""
    ": \"\\u2581world\"}, {\"id\": 0, \"token\": \"</s>\"}], \"target\": [{\"id\": 4, \"token\": \"\\u2581Ciao\"}"
    ", {\"id\": 5, \"token\": \"\\u2581mon\"}, {\"id\": 6, \"token\": \"do\"}, {\"id\": 0, \"token\": \"</s>\"}], "
    "\"attr_pos_start\": 0, \"attr_pos_end\": 4, \"source_attributions\": {\"__ndarray__\": [[[-1.0,0.2"
    "5,-1.25],[-0.25,1.0,-0.5],[0.5,-1.0,0.25],[1.25,-0.25,1.0]],[[0.75,-0.75,0.5],[-1.25,0.0,1"
    ".25],[-0.5,0.75,-0.75],[0.25,-1.25,0.0]],[[-0.25,1.0,-0.5],[0.5,-1.0,0.25],[1.25,-0.25,1.0"
    "],[-0.75,0.5,-1.0]],[[-1.25,0.0,1.25],[-0.5,0.75,-0.75],[0.25,-1.25,0.0],[1.0,-0.5,0.75]]]"
    ", \"dtype\": \"float32\", \"shape\": [4,4,3]}, \"target_attributions\": {\"__ndarray__\": [[[NaN,NaN"
    ",NaN],[-0.667,0.333,1.333],[-0.333,0.667,-1.333],[0.0,1.0,-1.0]],[[NaN,NaN,NaN],[NaN,NaN,N"
    "aN],[1.333,-0.667,0.333],[-1.333,-0.333,0.667]],[[NaN,NaN,NaN],[NaN,NaN,NaN],[NaN,NaN,NaN]"
    ",[0.333,1.333,-0.667]],[[NaN,NaN,NaN],[NaN,NaN,NaN],[NaN,NaN,NaN],[NaN,NaN,NaN]]], \"dtype\""
    ": \"float32\", \"shape\": [4,4,3]}, \"step_scores\": {\"probability\": {\"__ndarray__\": [0.25,0.375"
    ",0.5,0.625], \"dtype\": \"float32\", \"shape\": [4]}, \"entropy\": {\"__ndarray__\": [1.5,1.25,1.0,0"
    ".75], \"dtype\": \"float32\", \"shape\": [4]}}, \"sequence_scores\": null}, {\"source\": [{\"id\": 7, "
    "\"token\": \"\\u0120The\"}, {\"id\": 8, \"token\": \"\\u0120cat\"}], \"target\": [{\"id\": 7, \"token\": \"\\u"
    "0120The\"}, {\"id\": 8, \"token\": \"\\u0120cat\"}, {\"id\": 9, \"token\": \"\\u0120sat\"}, {\"id\": 10, \"t"
    "oken\": \"\\u010a\"}], \"attr_pos_start\": 2, \"attr_pos_end\": 4, \"source_attributions\": null, \"t"
    "arget_attributions\": {\"__ndarray__\": [[[-1.5,-1.0,-0.5],[-0.5,0.0,0.5]],[[0.0,0.5,1.0],[1."
    "0,1.5,-1.5]],[[NaN,NaN,NaN],[-1.0,-0.5,0.0]],[[NaN,NaN,NaN],[NaN,NaN,NaN]]], \"dtype\": \"flo"
    "at32\", \"shape\": [4,2,3]}, \"step_scores\": {\"probability\": {\"__ndarray__\": [0.5,0.75], \"dtyp"
    "e\": \"float32\", \"shape\": [2]}}, \"sequence_scores\": {}}], \"step_attributions\": null}";

/* The built-in output, loaded once and kept for the life of the process. */
static as_output *ex_tiny(void)
{
    static as_output *tiny;
    if (!tiny) {
        as_error err = {0};
        tiny = as_load_buffer(ex_tiny_json, sizeof ex_tiny_json - 1, "tiny.json", NULL, &err);
        if (!tiny)
            ex_fail("the built-in output does not load", err.msg);
    }
    return tiny;
}

static void ex_pipe_fail(const char *what, const char *text, const char *detail)
{
    fprintf(stderr, "exercise: pipeline: %s\n  input: '%s'\n  %s\n", what, text,
            detail ? detail : "");
    abort();
}

static void ex_check_completion(const char *text, size_t len)
{
    for (size_t cur = 0; cur <= len; cur++) {
        pcomp c;
        memset(&c, 0x5a, sizeof c);
        pcomp_run(text, cur, &c);
        if (c.start > cur || c.end != cur)
            ex_pipe_fail("completion starts after the cursor", text, NULL);
        if (c.ncand > PCOMP_MAX)
            ex_pipe_fail("too many completion candidates", text, NULL);
        if (!memchr(c.step, '\0', sizeof c.step) || !memchr(c.key, '\0', sizeof c.key))
            ex_pipe_fail("completion step or key not terminated", text, NULL);
        for (size_t i = 0; i < c.ncand; i++) {
            if (!c.cand[i] || !c.help[i])
                ex_pipe_fail("NULL completion candidate", text, NULL);
            if (strncmp(c.cand[i], text + c.start, cur - c.start) != 0)
                ex_pipe_fail("candidate does not start with the typed prefix", text, c.cand[i]);
        }
    }
}

static void ex_pipe_apply(const as_pipeline *p)
{
    as_output *tiny = ex_tiny();
    for (size_t i = 0; i < tiny->nseqs; i++) {
        as_error err = {0};
        as_seq *s = agg_apply(tiny, i, p, NULL, &err);
        if (!s && !err.msg[0])
            ex_pipe_fail("aggregation failed without a message", "", NULL);
        if (s)
            agg_check_2d(s, &err);
        agg_seq_free(s);
    }
    as_error err = {0};
    agg_seq_free(agg_apply(tiny, 0, p, "probability", &err));
}

/* Checks and applies the text of one input (up to its first NUL byte). */
static inline void ex_pipeline_input(const uint8_t *data, size_t size)
{
    /* The text up to the first NUL, as a C string. */
    size_t len = strnlen((const char *)data, size);
    char *text = malloc(len + 1);
    if (!text)
        return;
    memcpy(text, data, len);
    text[len] = '\0';

    ex_check_completion(text, len);

    as_pipeline p;
    as_pipe_errpos pos = {0};
    as_error err = {0};
    if (pipe_parse(text, &p, &pos, &err) != AS_OK) {
        if (!err.msg[0])
            ex_pipe_fail("parse failed without a message", text, NULL);
        if (pos.offset > len || pos.len > len - pos.offset)
            ex_pipe_fail("error position outside the text", text, err.msg);
        if (p.nsteps || p.steps)
            ex_pipe_fail("failed parse left steps behind", text, NULL);
        pipe_free(&p);
        free(text);
        return;
    }
    char *c1 = pipe_format(&p);
    if (!c1)
        ex_pipe_fail("pipe_format failed", text, NULL);
    as_error e2 = {0};
    char *c2 = pipe_canonical(c1, &e2);
    if (!c2)
        ex_pipe_fail("canonical text does not parse", text, e2.msg);
    if (strcmp(c1, c2) != 0)
        ex_pipe_fail("canonical text is not stable", c1, c2);
    char *c0 = pipe_canonical(text, &e2);
    if (!c0 || strcmp(c0, c1) != 0)
        ex_pipe_fail("pipe_canonical differs from pipe_format", text, c0);
    as_pipeline q;
    if (pipe_copy(&q, &p, &e2) != AS_OK)
        ex_pipe_fail("pipe_copy failed", text, e2.msg);
    char *c3 = pipe_format(&q);
    if (!c3 || strcmp(c3, c1) != 0)
        ex_pipe_fail("a copy formats differently", c1, c3);
    ex_check_completion(c1, strlen(c1));
    ex_pipe_apply(&p);
    free(c0);
    free(c1);
    free(c2);
    free(c3);
    pipe_free(&q);
    pipe_free(&p);
    free(text);
}

#endif
