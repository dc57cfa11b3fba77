#include "load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "b64.h"
#include "fp.h"
#include "scan.h"
#include "toklist.h"
#include "source.h"

/* Notes about unknown sequence classes kept one per sequence up to this
 * many; the rest are counted in one line. */
#define MAX_CLASS_NOTES 10

typedef struct ctx {
    const char *file;
    as_scan *sc;
    as_error *err;
    as_output *out;
    const as_load_opts *opts;
    bool skim;
    size_t unknown_classes;
    as_toklists tl;         /* token lists read before jansson (toklist.h) */
} ctx;

static int cerr(ctx *c, int code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int cerr(ctx *c, int code, const char *path, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path)
        return as_error_set(c->err, code, "%s: %s: %s", c->file, path, msg);
    return as_error_set(c->err, code, "%s: %s", c->file, msg);
}

/* Prefixes an error that came from a lower layer with file and path. */
static int cwrap(ctx *c, const char *path)
{
    if (!c->err)
        return AS_EDATA;
    if (path && *path)
        return as_error_prefix(c->err, "%s: %s", c->file, path);
    return as_error_prefix(c->err, "%s", c->file);
}

static void add_note(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(ctx *c, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t old = c->out->notes ? strlen(c->out->notes) : 0;
    char *n = realloc(c->out->notes, old + strlen(line) + 2);
    if (!n)
        return;
    memcpy(n + old, line, strlen(line));
    n[old + strlen(line)] = '\n';
    n[old + strlen(line) + 1] = '\0';
    c->out->notes = n;
}

static const char *json_kind(const json_t *j)
{
    if (!j)
        return "missing";
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* ---- dtypes ---- */

typedef enum {
    DT_F32, DT_F16, DT_BF16, DT_F8E4M3, DT_F8E5M2, DT_F64,
    DT_I8, DT_I16, DT_I32, DT_I64, DT_U8, DT_U16, DT_U32, DT_U64, DT_BOOL,
} dtype;

static const struct { const char *st, *np; dtype dt; size_t size; } dtypes[] = {
    {"F32", "float32", DT_F32, 4},     {"F16", "float16", DT_F16, 2},
    {"BF16", "bfloat16", DT_BF16, 2},  {"F8_E4M3", "float8_e4m3fn", DT_F8E4M3, 1},
    {"F8_E5M2", "float8_e5m2", DT_F8E5M2, 1}, {"F64", "float64", DT_F64, 8},
    {"I8", "int8", DT_I8, 1},          {"I16", "int16", DT_I16, 2},
    {"I32", "int32", DT_I32, 4},       {"I64", "int64", DT_I64, 8},
    {"U8", "uint8", DT_U8, 1},         {"U16", "uint16", DT_U16, 2},
    {"U32", "uint32", DT_U32, 4},      {"U64", "uint64", DT_U64, 8},
    {"BOOL", "bool", DT_BOOL, 1},
};

static bool dtype_parse(const char *name, dtype *dt, size_t *size)
{
    static const struct { const char *alias, *np; } aliases[] = {
        {"float", "float64"}, {"double", "float64"}, {"half", "float16"},
        {"<f4", "float32"}, {"<f2", "float16"}, {"<f8", "float64"}, {"<i8", "int64"},
        {"<i4", "int32"}, {"|u1", "uint8"}, {"|b1", "bool"}, {"int", "int64"},
        {"float8_e4m3", "float8_e4m3fn"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(name, aliases[i].alias))
            name = aliases[i].np;
    for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++) {
        if (!strcmp(name, dtypes[i].st) || !strcmp(name, dtypes[i].np)) {
            *dt = dtypes[i].dt;
            *size = dtypes[i].size;
            return true;
        }
    }
    return false;
}

static float f8e5m2_to_f32(uint8_t b) { return as_f16_to_f32((uint16_t)(b << 8)); }

/* Converts n little-endian elements of dt at src into float32 dst. */
static void convert(dtype dt, const uint8_t *src, float *dst, size_t n)
{
    size_t i;
    switch (dt) {
    case DT_F32: memmove(dst, src, n * 4); break;
    case DT_F16:
        for (i = 0; i < n; i++) dst[i] = as_f16_to_f32((uint16_t)(src[2 * i] | src[2 * i + 1] << 8));
        break;
    case DT_BF16:
        for (i = 0; i < n; i++) dst[i] = as_bf16_to_f32((uint16_t)(src[2 * i] | src[2 * i + 1] << 8));
        break;
    case DT_F8E4M3: for (i = 0; i < n; i++) dst[i] = as_f8e4m3_to_f32(src[i]); break;
    case DT_F8E5M2: for (i = 0; i < n; i++) dst[i] = f8e5m2_to_f32(src[i]); break;
    case DT_F64:
        for (i = 0; i < n; i++) { double d; memcpy(&d, src + 8 * i, 8); dst[i] = (float)d; }
        break;
    case DT_I8: for (i = 0; i < n; i++) dst[i] = (float)(int8_t)src[i]; break;
    case DT_U8: for (i = 0; i < n; i++) dst[i] = (float)src[i]; break;
    case DT_BOOL: for (i = 0; i < n; i++) dst[i] = src[i] ? 1.0f : 0.0f; break;
    case DT_I16:
        for (i = 0; i < n; i++) { int16_t v; memcpy(&v, src + 2 * i, 2); dst[i] = (float)v; }
        break;
    case DT_U16:
        for (i = 0; i < n; i++) { uint16_t v; memcpy(&v, src + 2 * i, 2); dst[i] = (float)v; }
        break;
    case DT_I32:
        for (i = 0; i < n; i++) { int32_t v; memcpy(&v, src + 4 * i, 4); dst[i] = (float)v; }
        break;
    case DT_U32:
        for (i = 0; i < n; i++) { uint32_t v; memcpy(&v, src + 4 * i, 4); dst[i] = (float)v; }
        break;
    case DT_I64:
        for (i = 0; i < n; i++) { int64_t v; memcpy(&v, src + 8 * i, 8); dst[i] = (float)v; }
        break;
    case DT_U64:
        for (i = 0; i < n; i++) { uint64_t v; memcpy(&v, src + 8 * i, 8); dst[i] = (float)v; }
        break;
    }
}

/* ---- bytes of a tensor string ---- */

typedef struct bytes {
    uint8_t *p;     /* as_mem allocation (owned) */
    size_t len, cap;
    int kind;       /* as_blob_kind */
    bool skimmed;   /* only the start is here; total is the whole length */
    uint64_t total;
} bytes;

static void bytes_free(bytes *b)
{
    as_mem_free(b->p, b->cap);
    b->p = NULL;
    b->cap = b->len = 0;
}

/* Takes the decoded bytes of a string value: a blob placeholder (taken over
 * from the scan) or a short base64 string decoded here. */
static int string_bytes_of(ctx *c, const json_t *j, const char *path, bytes *out)
{
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    size_t idx;
    memset(out, 0, sizeof *out);
    if (scan_placeholder(c->sc, s, n, &idx)) {
        as_blob *b = &c->sc->blobs[idx];
        if (b->kind == BLOB_NUMS || b->taken)
            return cerr(c, AS_EDATA, path, "this value is used twice");
        b->taken = true;
        out->p = b->data;
        out->len = b->len;
        out->cap = b->cap;
        out->kind = b->kind;
        out->skimmed = b->skimmed;
        out->total = b->skimmed ? b->skim_total : b->len;
        b->data = NULL;
        b->cap = b->len = 0;
        return AS_OK;
    }
    out->kind = BLOB_BASE64;
    if (n >= 4 && !memcmp(s, "b64:", 4)) {
        out->kind = BLOB_B64;
        s += 4;
        n -= 4;
    } else if (n >= 7 && !memcmp(s, "b64.gz:", 7)) {
        out->kind = BLOB_B64GZ;
        s += 7;
        n -= 7;
    }
    out->cap = b64_decoded_max(n) + 8;
    out->p = as_mem_alloc(out->cap, c->err);
    if (!out->p)
        return cwrap(c, path);
    size_t bad = 0;
    if (!b64_decode(s, n, out->p, &out->len, &bad)) {
        bytes_free(out);
        return cerr(c, AS_EDATA, path, "invalid base64 (at character %zu)", bad);
    }
    return AS_OK;
}

/* A string the scanner took for base64 data because it was long and looked
 * like it, used where text is expected (a token, a class name): its text is
 * put back in the tree.  Returns j. */
static const json_t *as_text(ctx *c, const json_t *j)
{
    size_t idx, len;
    char *t = json_is_string(j) ? scan_placeholder_text(c->sc, json_string_value(j),
                                                        json_string_length(j), &idx, &len)
                                : NULL;
    if (t && json_string_setn((json_t *)j, t, len) == 0)
        scan_blob_free(&c->sc->blobs[idx]);
    free(t);
    return j;
}

/* ---- safetensors (v0.7) ---- */

static int shape_from_json(ctx *c, const json_t *arr, const char *path, int *ndim, size_t *shape)
{
    if (!json_is_array(arr))
        return cerr(c, AS_EDATA, path, "shape is %s, expected a list of sizes", json_kind(arr));
    size_t nd = json_array_size(arr);
    if (nd > AS_MAX_DIMS)
        return cerr(c, AS_EDATA, path, "tensor has %zu dimensions (at most %d supported)", nd,
                    AS_MAX_DIMS);
    for (size_t i = 0; i < nd; i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return cerr(c, AS_EDATA, path, "shape[%zu] is not a non-negative integer", i);
        shape[i] = (size_t)json_integer_value(v);
    }
    *ndim = (int)nd;
    return AS_OK;
}

static int make_tensor(ctx *c, const char *path, int ndim, const size_t *shape, dtype dt,
                       size_t elsize, bytes *b, size_t data_off, const char *dtname,
                       as_tensor **out)
{
    size_t numel;
    char sh[128];
    as_tensor tmp = {.ndim = ndim};
    memcpy(tmp.shape, shape, (size_t)ndim * sizeof *shape);
    tensor_shape_str(&tmp, sh, sizeof sh);
    if (!tensor_shape_numel(ndim, shape, elsize, &numel) ||
        !tensor_shape_numel(ndim, shape, sizeof(float), &numel))
        return cerr(c, AS_EDATA, path, "shape %s is too large", sh);
    if (numel * sizeof(float) > as_mem_limit())
        return cerr(c, AS_ENOMEM, path, "shape %s needs %zu MB, over the memory limit of %zu MB",
                    sh, (numel * sizeof(float)) >> 20, as_mem_limit() >> 20);
    as_tensor *t;
    if (c->skim) {
        t = tensor_wrap(ndim, shape, NULL, 0, NULL, c->err);
        if (!t)
            return cwrap(c, path);
        bytes_free(b);
    } else if (dt == DT_F32) {
        /* Reuse the decoded buffer: move the data to its start if misaligned. */
        uint8_t *d = b->p + data_off;
        if (((uintptr_t)d & 3) != 0) {
            memmove(b->p, d, numel * 4);
            d = b->p;
        }
        t = tensor_wrap(ndim, shape, b->p, b->cap, (float *)(void *)d, c->err);
        if (!t)
            return cwrap(c, path);
        b->p = NULL;
        b->cap = 0;
    } else {
        t = tensor_new(ndim, shape, c->err);
        if (!t)
            return cwrap(c, path);
        convert(dt, b->p + data_off, t->data, numel);
        bytes_free(b);
    }
    snprintf(t->dtype, sizeof t->dtype, "%s", dtname);
    *out = t;
    return AS_OK;
}

static int decode_safetensors(ctx *c, bytes *b, const char *path, as_tensor **out)
{
    if (b->len < 8)
        return cerr(c, AS_EDATA, path, "not a safetensors blob (%zu bytes)", b->len);
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--)
        hl = hl << 8 | b->p[i];
    if (b->skimmed && hl > b->len - 8 && hl <= b->total - 8)
        return cerr(c, AS_EDATA, path, "safetensors header of %llu bytes is too large to skim",
                    (unsigned long long)hl);
    size_t whole = b->skimmed ? (size_t)b->total : b->len;
    if (hl > whole - 8)
        return cerr(c, AS_EDATA, path,
                    "safetensors header claims %llu bytes but only %zu follow",
                    (unsigned long long)hl, whole - 8);
    json_error_t je;
    json_t *h = json_loadb((const char *)b->p + 8, (size_t)hl, JSON_ALLOW_NUL, &je);
    if (!json_is_object(h)) {
        json_decref(h);
        return cerr(c, AS_EDATA, path, "safetensors header is not a JSON object");
    }
    const char *key;
    json_t *val, *entry = NULL;
    size_t ntensors = 0;
    json_object_foreach(h, key, val) {
        if (!strcmp(key, "__metadata__"))
            continue;
        ntensors++;
        if (!entry || !strcmp(key, "attribution"))
            entry = val;
    }
    int rc = AS_OK;
    if (!entry || !json_is_object(entry)) {
        rc = cerr(c, AS_EDATA, path, "safetensors blob holds no tensor");
        goto done;
    }
    if (ntensors > 1 && !json_object_get(h, "attribution")) {
        rc = cerr(c, AS_EDATA, path, "safetensors blob holds %zu tensors, none named 'attribution'",
                  ntensors);
        goto done;
    }
    const json_t *jd = json_object_get(entry, "dtype");
    const json_t *jo = json_object_get(entry, "data_offsets");
    dtype dt;
    size_t elsize;
    if (!json_is_string(jd) || !dtype_parse(json_string_value(jd), &dt, &elsize)) {
        rc = cerr(c, AS_EDATA, path, "safetensors dtype %s%s%s is not supported",
                  json_is_string(jd) ? "'" : "", json_is_string(jd) ? json_string_value(jd) : "(missing)",
                  json_is_string(jd) ? "'" : "");
        goto done;
    }
    int ndim;
    size_t shape[AS_MAX_DIMS];
    if ((rc = shape_from_json(c, json_object_get(entry, "shape"), path, &ndim, shape)))
        goto done;
    if (!json_is_array(jo) || json_array_size(jo) != 2 ||
        !json_is_integer(json_array_get(jo, 0)) || !json_is_integer(json_array_get(jo, 1))) {
        rc = cerr(c, AS_EDATA, path, "safetensors data_offsets is not [begin, end]");
        goto done;
    }
    json_int_t ob = json_integer_value(json_array_get(jo, 0));
    json_int_t oe = json_integer_value(json_array_get(jo, 1));
    size_t avail = whole - 8 - (size_t)hl;
    size_t numel;
    if (ob < 0 || oe < ob || (uint64_t)oe > avail) {
        rc = cerr(c, AS_EDATA, path, "safetensors data_offsets [%lld, %lld] lie outside the %zu data bytes",
                  (long long)ob, (long long)oe, avail);
        goto done;
    }
    bool overflow = !tensor_shape_numel(ndim, shape, elsize, &numel);
    if (overflow || numel * elsize != (size_t)(oe - ob)) {
        as_tensor tmp = {.ndim = ndim};
        char sh[128];
        memcpy(tmp.shape, shape, (size_t)ndim * sizeof *shape);
        rc = cerr(c, AS_EDATA, path,
                  "safetensors shape %s of %s needs %s bytes but data_offsets give %lld",
                  tensor_shape_str(&tmp, sh, sizeof sh), json_string_value(jd),
                  overflow || numel * elsize > (size_t)(oe - ob) ? "more" : "fewer",
                  (long long)(oe - ob));
        goto done;
    }
    char dtname[16];
    snprintf(dtname, sizeof dtname, "%s", json_string_value(jd));
    rc = make_tensor(c, path, ndim, shape, dt, elsize, b, 8 + (size_t)hl + (size_t)ob, dtname, out);
done:
    json_decref(h);
    return rc;
}

/* ---- __ndarray__ objects (v0.4-0.6, step attributions) ---- */

static int gunzip_exact(ctx *c, bytes *b, size_t want, const char *path)
{
    uint8_t *dst = as_mem_alloc(want + 8, c->err);
    if (!dst)
        return cwrap(c, path);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {
        as_mem_free(dst, want + 8);
        return cerr(c, AS_ENOMEM, path, "cannot start gzip decompression");
    }
    zs.next_in = b->p;
    zs.avail_in = (uInt)b->len;
    zs.next_out = dst;
    zs.avail_out = (uInt)(want + 1);
    int zr = inflate(&zs, Z_FINISH);
    size_t got = want + 1 - zs.avail_out;
    inflateEnd(&zs);
    if (zr != Z_STREAM_END || got != want) {
        as_mem_free(dst, want + 8);
        if (zr == Z_STREAM_END || zr == Z_BUF_ERROR || zr == Z_OK)
            return cerr(c, AS_EDATA, path, "b64.gz data holds %s bytes than shape and dtype need (%zu)",
                        got > want ? "more" : "fewer", want);
        return cerr(c, AS_EDATA, path, "b64.gz data is not a valid gzip stream");
    }
    bytes_free(b);
    b->p = dst;
    b->len = want;
    b->cap = want + 8;
    return AS_OK;
}

static void fortran_to_c(float *d, int ndim, const size_t *shape, float *tmp, size_t n)
{
    /* Element k of a Fortran-ordered array has its first index varying fastest. */
    size_t idx[AS_MAX_DIMS] = {0};
    for (size_t k = 0; k < n; k++) {
        size_t off = 0;
        for (int a = 0; a < ndim; a++)
            off = off * shape[a] + idx[a];
        tmp[off] = d[k];
        for (int a = 0; a < ndim; a++) {
            if (++idx[a] < shape[a])
                break;
            idx[a] = 0;
        }
    }
    memcpy(d, tmp, n * sizeof *d);
}

static int decode_ndarray(ctx *c, const json_t *obj, const char *path, as_tensor **out)
{
    const json_t *data = json_object_get(obj, "__ndarray__");
    const json_t *jd = json_object_get(obj, "dtype");
    const json_t *js = json_object_get(obj, "shape");
    const json_t *jc = json_object_get(obj, "Corder");
    as_text(c, jd);
    dtype dt = DT_F32;
    size_t elsize = 4;
    const char *dtname = json_is_string(jd) ? json_string_value(jd) : "float64";
    if (jd && (!json_is_string(jd) || !dtype_parse(dtname, &dt, &elsize)))
        return cerr(c, AS_EDATA, path, "dtype %s is not supported",
                    json_is_string(jd) ? json_string_value(jd) : "(not a string)");
    int ndim = 0;
    size_t shape[AS_MAX_DIMS];
    if (js && shape_from_json(c, js, path, &ndim, shape))
        return AS_EDATA;
    size_t idx;
    if (json_is_string(data) && scan_placeholder(c->sc, json_string_value(data),
                                                 json_string_length(data), &idx) &&
        c->sc->blobs[idx].kind == BLOB_NUMS) {
        as_blob *bl = &c->sc->blobs[idx];
        if (bl->skimmed) {
            if (!js)
                return cerr(c, AS_EDATA, path, "__ndarray__ object has no shape");
            bytes none = {0};
            return make_tensor(c, path, ndim, shape, dt, elsize, &none, 0, dtname, out);
        }
        if (!js) {
            ndim = bl->ndim;
            memcpy(shape, bl->shape, sizeof shape);
        }
        size_t numel;
        if (!tensor_shape_numel(ndim, shape, sizeof(float), &numel) || numel != bl->nnums)
            return cerr(c, AS_EDATA, path, "__ndarray__ list has %zu numbers, shape needs %zu",
                        bl->nnums, numel);
        as_tensor *t = tensor_new(ndim, shape, c->err);
        if (!t)
            return cwrap(c, path);
        for (size_t i = 0; i < bl->nnums; i++)
            t->data[i] = (float)bl->nums[i];
        snprintf(t->dtype, sizeof t->dtype, "%s", dtname);
        scan_blob_free(bl);
        *out = t;
        return AS_OK;
    }
    if (json_is_number(data) || (json_is_string(data) && attr_json_nonfinite(data, &(double){0}))) {
        double v = 0;
        if (!attr_json_nonfinite(data, &v))
            v = json_number_value(data);
        as_tensor *t = tensor_new(0, shape, c->err);
        if (!t)
            return cwrap(c, path);
        t->data[0] = (float)v;
        snprintf(t->dtype, sizeof t->dtype, "%s", dtname);
        *out = t;
        return AS_OK;
    }
    if (!json_is_string(data))
        return cerr(c, AS_EDATA, path, "__ndarray__ is %s, expected a b64 string or a list",
                    json_kind(data));
    if (!js)
        return cerr(c, AS_EDATA, path, "__ndarray__ object has no shape");
    bytes b;
    if (string_bytes_of(c, data, path, &b))
        return AS_EDATA;
    size_t need;
    if (!tensor_shape_numel(ndim, shape, elsize, &need)) {
        bytes_free(&b);
        return cerr(c, AS_EDATA, path, "shape is too large");
    }
    need *= elsize;
    if (b.skimmed && (b.kind == BLOB_B64 || b.kind == BLOB_B64GZ))
        return make_tensor(c, path, ndim, shape, dt, elsize, &b, 0, dtname, out);
    if (b.kind == BLOB_B64GZ) {
        /* Deflate expands at most 1032 times: refuse a shape the data cannot
         * fill before allocating for it. */
        if (need / 1032 > b.len) {
            size_t have = b.len;
            bytes_free(&b);
            return cerr(c, AS_EDATA, path,
                        "b64.gz data of %zu bytes cannot hold the %zu bytes that shape and "
                        "dtype %s need", have, need, dtname);
        }
        if (need > as_mem_limit()) {
            bytes_free(&b);
            return cerr(c, AS_ENOMEM, path, "shape needs %zu MB, over the memory limit", need >> 20);
        }
        if (gunzip_exact(c, &b, need, path)) {
            bytes_free(&b);
            return AS_EDATA;
        }
    } else if (b.kind != BLOB_B64) {
        bytes_free(&b);
        return cerr(c, AS_EDATA, path, "__ndarray__ string must start with b64: or b64.gz:");
    }
    if (b.len != need) {
        size_t have = b.len;
        bytes_free(&b);
        return cerr(c, AS_EDATA, path, "__ndarray__ holds %zu bytes; shape and dtype %s need %zu",
                    have, dtname, need);
    }
    if (make_tensor(c, path, ndim, shape, dt, elsize, &b, 0, dtname, out)) {
        bytes_free(&b);
        return AS_EDATA;
    }
    if (jc && json_is_false(jc) && ndim > 1) {
        size_t n = tensor_numel(*out);
        float *tmp = malloc(n * sizeof *tmp);
        if (!tmp) {
            tensor_free(*out);
            *out = NULL;
            return cerr(c, AS_ENOMEM, path, "out of memory");
        }
        fortran_to_c((*out)->data, ndim, shape, tmp, n);
        free(tmp);
    }
    return AS_OK;
}

/* A tensor value: null, a base64 safetensors string, or an __ndarray__ object. */
static int get_tensor(ctx *c, const json_t *v, const char *path, as_tensor **out)
{
    *out = NULL;
    if (!v || json_is_null(v))
        return AS_OK;
    if (json_is_object(v) && json_object_get(v, "__ndarray__"))
        return decode_ndarray(c, v, path, out);
    if (!json_is_string(v))
        return cerr(c, AS_EDATA, path,
                    "is %s, expected a tensor (base64 safetensors string or __ndarray__ object)",
                    json_kind(v));
    bytes b;
    if (string_bytes_of(c, v, path, &b))
        return AS_EDATA;
    int rc = decode_safetensors(c, &b, path, out);
    bytes_free(&b);
    return rc;
}

/* ---- structure ---- */

/* Returns the attributes of a wrapped object (class name and module set) or
 * the object itself for use_primitives files (class NULL). */
static const json_t *unwrap(ctx *c, const json_t *v, const char *path, const char **cls,
                            const char **module)
{
    *cls = *module = NULL;
    if (!json_is_object(v)) {
        cerr(c, AS_EDATA, path, "is %s, expected an object", json_kind(v));
        return NULL;
    }
    const json_t *it = json_object_get(v, "__instance_type__");
    if (!it)
        return v;
    as_text(c, json_array_get(it, 0));
    as_text(c, json_array_get(it, 1));
    const json_t *attrs = json_object_get(v, "attributes");
    if (!json_is_array(it) || json_array_size(it) != 2 ||
        !json_is_string(json_array_get(it, 0)) || !json_is_string(json_array_get(it, 1))) {
        cerr(c, AS_EDATA, path, "__instance_type__ is not [module, class]");
        return NULL;
    }
    if (!json_is_object(attrs)) {
        cerr(c, AS_EDATA, path, "attributes is %s, expected an object",
             attrs ? json_kind(attrs) : "missing");
        return NULL;
    }
    *module = json_string_value(json_array_get(it, 0));
    *cls = json_string_value(json_array_get(it, 1));
    return attrs;
}

/* Token text as a C string: U+0000 becomes C0 80. */
static char *token_text(const json_t *s)
{
    const char *p = json_string_value(s);
    size_t n = json_string_length(s), nul = 0;
    for (size_t i = 0; i < n; i++)
        nul += p[i] == '\0';
    char *t = malloc(n + nul + 1);
    if (!t)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\0') {
            t[o++] = (char)0xC0;
            t[o++] = (char)0x80;
        } else {
            t[o++] = p[i];
        }
    }
    t[o] = '\0';
    return t;
}

static int get_tokens(ctx *c, const json_t *arr, const char *path, as_tokens *out)
{
    memset(out, 0, sizeof *out);
    if (!arr || json_is_null(arr))
        return AS_OK;
    size_t li;
    if (json_is_string(arr) && toklists_placeholder(c->sc, &c->tl, json_string_value(arr),
                                                    json_string_length(arr), &li)) {
        *out = c->tl.v[li];
        c->tl.v[li] = (as_tokens){0};
        return AS_OK;
    }
    if (!json_is_array(arr))
        return cerr(c, AS_EDATA, path, "is %s, expected a list of tokens", json_kind(arr));
    size_t n = json_array_size(arr);
    out->v = calloc(n ? n : 1, sizeof *out->v);
    if (!out->v)
        return cerr(c, AS_ENOMEM, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        const json_t *t = as_text(c, json_array_get(arr, i)), *tok, *id = NULL;
        if (json_is_string(t)) {
            tok = t;
        } else {
            const char *cls, *mod;
            const json_t *a = unwrap(c, t, p, &cls, &mod);
            if (!a)
                goto fail;
            tok = as_text(c, json_object_get(a, "token"));
            id = json_object_get(a, "id");
            if (!json_is_string(tok)) {
                cerr(c, AS_EDATA, p, "token is %s, expected a string",
                     tok ? json_kind(tok) : "missing");
                goto fail;
            }
            if (id && !json_is_null(id) && !json_is_integer(id)) {
                cerr(c, AS_EDATA, p, "id is %s, expected an integer", json_kind(id));
                goto fail;
            }
        }
        out->v[i].text = token_text(tok);
        out->v[i].id = json_is_integer(id) ? (long long)json_integer_value(id) : -1;
        out->n = i + 1;
        if (!out->v[i].text) {
            cerr(c, AS_ENOMEM, p, "out of memory");
            goto fail;
        }
    }
    return AS_OK;
fail:
    attr_tokens_free(out);
    return c->err ? c->err->code : AS_EDATA;
}

static void names_nul(char *s);

static int get_scores(ctx *c, const json_t *obj, const char *path, as_scores *out)
{
    memset(out, 0, sizeof *out);
    if (!obj || json_is_null(obj)) {
        out->is_null = obj != NULL;
        return AS_OK;
    }
    if (!json_is_object(obj))
        return cerr(c, AS_EDATA, path, "is %s, expected an object of named scores",
                    json_kind(obj));
    size_t n = json_object_size(obj);
    out->v = calloc(n ? n : 1, sizeof *out->v);
    if (!out->v)
        return cerr(c, AS_ENOMEM, path, "out of memory");
    /* File order: jansson keeps insertion order when iterating. */
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val) {
        char p[300];
        snprintf(p, sizeof p, "%s.%s", path, key);
        as_tensor *t;
        if (get_tensor(c, val, p, &t))
            goto fail;
        if (!t) {
            cerr(c, AS_EDATA, p, "is null, expected a tensor");
            goto fail;
        }
        out->v[out->n].name = strdup(key);
        out->v[out->n].t = t;
        out->n++;
        if (!out->v[out->n - 1].name) {
            cerr(c, AS_ENOMEM, p, "out of memory");
            goto fail;
        }
        names_nul(out->v[out->n - 1].name);
    }
    return AS_OK;
fail:
    attr_scores_free(out);
    return c->err ? c->err->code : AS_EDATA;
}

static int get_long(ctx *c, const json_t *a, const char *key, const char *path, long dflt,
                    long *out, bool *given)
{
    const json_t *v = json_object_get(a, key);
    *given = false;
    *out = dflt;
    if (!v || json_is_null(v))
        return AS_OK;
    if (!json_is_integer(v))
        return cerr(c, AS_EDATA, path, "%s is %s, expected an integer", key, json_kind(v));
    json_int_t x = json_integer_value(v);
    if (x < 0 || x > (1LL << 40))
        return cerr(c, AS_EDATA, path, "%s is %lld, out of range", key, (long long)x);
    *out = (long)x;
    *given = true;
    return AS_OK;
}

static int check_attr_shape(ctx *c, const as_tensor *t, size_t rows, const char *rowname,
                            size_t cols, const char *path)
{
    char sh[128];
    if (!t)
        return AS_OK;
    if (t->ndim < 2)
        return cerr(c, AS_EDATA, path, "shape %s has fewer than 2 dimensions",
                    tensor_shape_str(t, sh, sizeof sh));
    if (t->shape[0] != rows || t->shape[1] != cols)
        return cerr(c, AS_EDATA, path,
                    "shape %s does not match %zu %s tokens x %zu generated tokens",
                    tensor_shape_str(t, sh, sizeof sh), rows, rowname, cols);
    return AS_OK;
}

/* The attributions and scores every sequence and step output holds. */
static int get_payload(ctx *c, const json_t *a, const char *path, as_tensor **src,
                       as_tensor **tgt, as_scores *step, as_scores *seqsc)
{
    char p[200];
#define SUB(field) (snprintf(p, sizeof p, "%s.%s", path, field), p)
    if (get_tensor(c, json_object_get(a, "source_attributions"), SUB("source_attributions"), src) ||
        get_tensor(c, json_object_get(a, "target_attributions"), SUB("target_attributions"), tgt) ||
        get_scores(c, json_object_get(a, "step_scores"), SUB("step_scores"), step) ||
        get_scores(c, json_object_get(a, "sequence_scores"), SUB("sequence_scores"), seqsc))
        return AS_EDATA;
#undef SUB
    return AS_OK;
}

static int load_seq(ctx *c, const json_t *v, size_t i, as_seq *s)
{
    char path[128], p[200];
    snprintf(path, sizeof path, "sequence_attributions[%zu]", i);
    const char *cls, *mod;
    const json_t *a = unwrap(c, v, path, &cls, &mod);
    if (!a)
        return AS_EDATA;
    memset(s, 0, sizeof *s);
#define SUB(field) (snprintf(p, sizeof p, "%s.%s", path, field), p)
    if (!json_object_get(a, "target"))
        return cerr(c, AS_EDATA, SUB("target"), "missing");
    if (get_tokens(c, json_object_get(a, "source"), SUB("source"), &s->source) ||
        get_tokens(c, json_object_get(a, "target"), SUB("target"), &s->target) ||
        get_payload(c, a, path, &s->source_attr, &s->target_attr, &s->step_scores,
                    &s->sequence_scores))
        return AS_EDATA;
    bool given;
    if (get_long(c, a, "attr_pos_start", path, 0, &s->attr_pos_start, &given) ||
        get_long(c, a, "attr_pos_end", path, (long)s->target.n, &s->attr_pos_end, &given))
        return AS_EDATA;
    if (s->attr_pos_end > (long)s->target.n)
        return cerr(c, AS_EDATA, SUB("attr_pos_end"), "%ld is beyond the %zu target tokens",
                    s->attr_pos_end, s->target.n);
    if (s->attr_pos_start > s->attr_pos_end)
        return cerr(c, AS_EDATA, SUB("attr_pos_start"), "%ld is after attr_pos_end %ld",
                    s->attr_pos_start, s->attr_pos_end);
    size_t cols = attr_seq_ncols(s);
    if (check_attr_shape(c, s->source_attr, s->source.n, "source", cols,
                         SUB("source_attributions")) ||
        check_attr_shape(c, s->target_attr, s->target.n, "target", cols,
                         SUB("target_attributions")))
        return AS_EDATA;
    if (s->source_attr && s->target_attr && s->source_attr->ndim != s->target_attr->ndim) {
        char a1[128], a2[128];
        return cerr(c, AS_EDATA, path, "source_attributions %s and target_attributions %s differ in rank",
                    tensor_shape_str(s->source_attr, a1, sizeof a1),
                    tensor_shape_str(s->target_attr, a2, sizeof a2));
    }
    for (size_t k = 0; k < s->step_scores.n; k++) {
        const as_tensor *t = s->step_scores.v[k].t;
        if (t->ndim != 1 || t->shape[0] != cols) {
            char sh[128];
            snprintf(p, sizeof p, "%s.step_scores.%s", path, s->step_scores.v[k].name);
            return cerr(c, AS_EDATA, p, "shape %s does not match %zu generated tokens",
                        tensor_shape_str(t, sh, sizeof sh), cols);
        }
    }
    int rank = s->source_attr ? s->source_attr->ndim : s->target_attr ? s->target_attr->ndim : 2;
    if (cls) {
        s->class_name = strdup(cls);
        s->class_module = strdup(mod);
        if (!attr_class_parse(cls, &s->cls)) {
            s->cls = AS_CLS_BASE;
            if (++c->unknown_classes <= MAX_CLASS_NOTES)
                add_note(c, "%s: %s: unknown class '%s', loaded as %s", c->file, path, cls,
                         attr_class_name(AS_CLS_BASE));
        }
    } else {
        s->cls = attr_class_for_rank(rank);
        s->class_name = strdup(attr_class_name(s->cls));
        s->class_module = strdup("inseq.data.attribution");
        if (i == 0)
            add_note(c, "%s: no class names (use_primitives file); classes inferred from tensor rank",
                     c->file);
    }
    if (!s->class_name || !s->class_module)
        return cerr(c, AS_ENOMEM, path, "out of memory");
#undef SUB
    return AS_OK;
}

static int get_token_lists(ctx *c, const json_t *arr, const char *path, as_tokens **out,
                           size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr))
        return AS_OK;
    if (!json_is_array(arr))
        return cerr(c, AS_EDATA, path, "is %s, expected a list of token lists", json_kind(arr));
    size_t m = json_array_size(arr);
    *out = calloc(m ? m : 1, sizeof **out);
    if (!*out)
        return cerr(c, AS_ENOMEM, path, "out of memory");
    for (size_t i = 0; i < m; i++) {
        char p[200];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (get_tokens(c, json_array_get(arr, i), p, &(*out)[i]))
            return AS_EDATA;
        *n = i + 1;
    }
    *n = m;
    return AS_OK;
}

static int load_step(ctx *c, const json_t *v, size_t i, as_step *s)
{
    char path[128], p[200];
    snprintf(path, sizeof path, "step_attributions[%zu]", i);
    const char *cls, *mod;
    const json_t *a = unwrap(c, v, path, &cls, &mod);
    if (!a)
        return AS_EDATA;
    memset(s, 0, sizeof *s);
#define SUB(field) (snprintf(p, sizeof p, "%s.%s", path, field), p)
    s->class_name = strdup(cls ? cls : "FeatureAttributionStepOutput");
    s->class_module = strdup(mod ? mod : "inseq.data.attribution");
    if (!s->class_name || !s->class_module)
        return cerr(c, AS_ENOMEM, path, "out of memory");
    if (get_payload(c, a, path, &s->source_attr, &s->target_attr, &s->step_scores,
                    &s->sequence_scores) ||
        get_token_lists(c, json_object_get(a, "source"), SUB("source"), &s->source, &s->nsource) ||
        get_token_lists(c, json_object_get(a, "prefix"), SUB("prefix"), &s->prefix, &s->nprefix) ||
        get_token_lists(c, json_object_get(a, "target"), SUB("target"), &s->target, &s->ntarget))
        return AS_EDATA;
#undef SUB
    return AS_OK;
}

/* Replaces blob placeholders left in info by their original text. */
static json_t *nums_to_json(const as_blob *b, size_t *k, int d)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < (d < b->ndim ? b->shape[d] : 0); i++) {
        json_t *e;
        if (d + 1 < b->ndim) {
            e = nums_to_json(b, k, d + 1);
        } else {
            double v = b->nums[(*k)++];
            e = !isfinite(v) ? attr_json_make_nonfinite(v)
                : b->all_int ? json_integer((json_int_t)v) : json_real(v);
        }
        json_array_append_new(arr, e);
    }
    return arr;
}

static json_t *resolve_info(ctx *c, json_t *j)
{
    if (json_is_string(j)) {
        size_t idx;
        if (!scan_placeholder(c->sc, json_string_value(j), json_string_length(j), &idx))
            return json_incref(j);
        as_blob *b = &c->sc->blobs[idx];
        if (b->kind == BLOB_NUMS) {
            size_t k = 0;
            return b->ndim ? nums_to_json(b, &k, 0) : json_array();
        }
        size_t len;
        char *t = b->data ? scan_blob_text(b, &len) : NULL;
        json_t *s = t ? json_stringn(t, len) : json_string("");
        free(t);
        return s;
    }
    if (json_is_array(j)) {
        json_t *r = json_array();
        for (size_t i = 0; r && i < json_array_size(j); i++)
            json_array_append_new(r, resolve_info(c, json_array_get(j, i)));
        return r;
    }
    if (json_is_object(j)) {
        json_t *r = json_object();
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) {
            if (!strstr(k, "\xef\xb7\x90")) {
                json_object_set_new(r, k, resolve_info(c, v));
                continue;
            }
            char *nk = strdup(k);   /* a key that held \u0000 */
            if (nk) {
                names_nul(nk);
                json_object_setn_new_nocheck(r, nk, strlen(nk), resolve_info(c, v));
                free(nk);
            }
        }
        return r;
    }
    return json_incref(j);
}

/* U+FDD0 (EF B7 90), a key's NUL (toklist.h), back to the stored NUL C0 80
 * (one byte shorter each); in place. */
static void names_nul(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if ((unsigned char)r[0] == 0xEF && (unsigned char)r[1] == 0xB7 && (unsigned char)r[2] == 0x90) {
            *w++ = (char)0xC0;
            *w++ = (char)0x80;
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Cleans jansson's message so no control byte from the file reaches a terminal. */
static void clean_text(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
            *p = '?';
}

static as_output *interpret(ctx *c)
{
    const char *sk = c->sc->skel.p;
    size_t k = 0;
    while (k < c->sc->skel.len && (sk[k] == ' ' || sk[k] == '\n' || sk[k] == '\r' || sk[k] == '\t'))
        k++;
    if (k == c->sc->skel.len) {
        cerr(c, AS_EDATA, NULL, "holds only white space, not JSON");
        return NULL;
    }
    if (sk[k] != '{' && sk[k] != '[') {
        unsigned char b = (unsigned char)sk[k];
        if (b >= 0x20 && b < 0x7f)
            cerr(c, AS_EDATA, NULL, "not a JSON file (it starts with '%c')", b);
        else
            cerr(c, AS_EDATA, NULL, "not a JSON file (it starts with the byte 0x%02x)", b);
        return NULL;
    }
    json_error_t je;
    if (toklists_collapse(c->sc, &c->tl, !(c->opts && c->opts->tree_tokens), c->err)) {
        cwrap(c, NULL);
        return NULL;
    }
    json_t *root = json_loadb(c->sc->skel.p, c->sc->skel.len,
                              JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        clean_text(je.text);
        if (c->sc->skel.len == 0 || je.position == 0)
            cerr(c, AS_EDATA, NULL, "not a JSON file (%s)", je.text);
        else
            cerr(c, AS_EDATA, NULL, "line %d, column %d: not valid JSON: %s", je.line,
                 toklists_file_column(&c->tl, je.line, je.column, (size_t)je.position),
                 je.text);
        toklists_free(&c->tl);
        return NULL;
    }
    as_output *o = calloc(1, sizeof *o);
    if (!o) {
        json_decref(root);
        cerr(c, AS_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    c->out = o;
    const char *cls, *mod;
    const json_t *a = NULL;
    if (!json_is_object(root)) {
        cerr(c, AS_EDATA, NULL, "the file holds %s, not an inseq attribution output",
             json_kind(root));
        goto fail;
    }
    a = unwrap(c, root, "", &cls, &mod);
    if (!a)
        goto fail;
    const json_t *seqs = json_object_get(a, "sequence_attributions");
    if (!seqs) {
        cerr(c, AS_EDATA, NULL, "no sequence_attributions: not an inseq attribution output");
        goto fail;
    }
    if (cls && strcmp(cls, "FeatureAttributionOutput") != 0)
        add_note(c, "%s: top-level class '%s' read as FeatureAttributionOutput", c->file, cls);
    if (!json_is_array(seqs)) {
        cerr(c, AS_EDATA, "sequence_attributions", "is %s, expected a list", json_kind(seqs));
        goto fail;
    }
    const json_t *info = json_object_get(a, "info");
    if (info && !json_is_object(info) && !json_is_null(info)) {
        cerr(c, AS_EDATA, "info", "is %s, expected an object", json_kind(info));
        goto fail;
    }
    o->info = info && json_is_object(info) ? resolve_info(c, (json_t *)info) : json_object();
    size_t n = json_array_size(seqs);
    o->seqs = calloc(n ? n : 1, sizeof *o->seqs);
    if (!o->seqs || !o->info) {
        cerr(c, AS_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        if (c->opts && c->opts->cancel && atomic_load(c->opts->cancel)) {
            cerr(c, AS_EIO, NULL, "reading was cancelled");
            goto fail;
        }
        o->nseqs = i + 1;
        if (load_seq(c, json_array_get(seqs, i), i, &o->seqs[i]))
            goto fail;
        if (c->opts && c->opts->progress && (i % 16) == 15)
            c->opts->progress(c->opts->progress_ud, 0, 0, i + 1);
    }
    if (c->unknown_classes > MAX_CLASS_NOTES)
        add_note(c, "%s: %zu more sequences of unknown classes loaded as %s", c->file,
                 c->unknown_classes - MAX_CLASS_NOTES, attr_class_name(AS_CLS_BASE));
    const json_t *steps = json_object_get(a, "step_attributions");
    o->steps_null = !steps || json_is_null(steps);
    if (steps && !json_is_null(steps)) {
        if (!json_is_array(steps)) {
            cerr(c, AS_EDATA, "step_attributions", "is %s, expected a list or null",
                 json_kind(steps));
            goto fail;
        }
        size_t m = json_array_size(steps);
        o->steps = calloc(m ? m : 1, sizeof *o->steps);
        if (!o->steps) {
            cerr(c, AS_ENOMEM, NULL, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < m; i++) {
            o->nsteps = i + 1;
            if (load_step(c, json_array_get(steps, i), i, &o->steps[i]))
                goto fail;
        }
    }
    json_decref(root);
    toklists_free(&c->tl);
    return o;
fail:
    json_decref(root);
    toklists_free(&c->tl);
    attr_output_free(o);
    c->out = NULL;
    return NULL;
}

static void scan_progress(void *ud, uint64_t done, uint64_t total)
{
    const as_load_opts *o = ud;
    o->progress(o->progress_ud, done, total, 0);
}

static as_output *load_source(as_source *src, const char *name, const as_load_opts *opts,
                              as_error *err)
{
    as_scan sc;
    ctx c = {.file = name, .sc = &sc, .err = err, .opts = opts};
    c.skim = opts && opts->skim;
    int rc = scan_run(src, &sc, c.skim, opts && opts->progress ? scan_progress : NULL,
                      (void *)opts, err);
    uint64_t trailing = src_trailing(src);
    src_close(src);
    as_output *o = NULL;
    if (rc) {
        cwrap(&c, NULL);
    } else {
        o = interpret(&c);
    }
    scan_free(&sc);
    if (!o)
        return NULL;
    if (trailing)
        add_note(&c, "%s: %llu bytes after the end of the gzip stream were ignored", name,
                 (unsigned long long)trailing);
    o->files = calloc(1, sizeof *o->files);
    if (!o->files || !(o->files[0] = strdup(name))) {
        attr_output_free(o);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    o->nfiles = 1;
    o->skimmed = c.skim;
    return o;
}

as_output *as_load_file(const char *path, const as_load_opts *opts, as_error *err)
{
    as_error_clear(err);
    as_source *src = src_open_file(path, opts ? opts->cancel : NULL, err);
    if (!src) {
        as_error_prefix(err, "%s", path);
        return NULL;
    }
    return load_source(src, path, opts, err);
}

as_output *as_load_buffer(const void *buf, size_t len, const char *name,
                          const as_load_opts *opts, as_error *err)
{
    as_error_clear(err);
    as_source *src = src_open_mem(buf, len, err);
    if (!src) {
        as_error_prefix(err, "%s", name);
        return NULL;
    }
    return load_source(src, name, opts, err);
}

static int concat_info_list(json_t *dst, json_t *src, const char *key)
{
    json_t *a = json_object_get(dst, key), *b = json_object_get(src, key);
    if (json_is_array(a) && json_is_array(b))
        return json_array_extend(a, b);
    return 0;
}

int as_output_merge(as_output *dst, as_output *src, as_error *err)
{
    int rc = AS_OK;
    size_t base = dst->nfiles;
    as_seq *ns = realloc(dst->seqs, (dst->nseqs + src->nseqs + 1) * sizeof *ns);
    char **nf = realloc(dst->files, (dst->nfiles + src->nfiles) * sizeof *nf);
    if (ns)
        dst->seqs = ns;
    if (nf)
        dst->files = nf;
    if (!ns || !nf) {
        rc = as_error_set(err, AS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < src->nseqs; i++) {
        dst->seqs[dst->nseqs] = src->seqs[i];
        dst->seqs[dst->nseqs].file_index += (int)base;
        dst->nseqs++;
    }
    src->nseqs = 0;
    for (size_t i = 0; i < src->nfiles; i++)
        dst->files[dst->nfiles++] = src->files[i];
    src->nfiles = 0;
    if (src->nsteps) {
        as_step *st = realloc(dst->steps, (dst->nsteps + src->nsteps) * sizeof *st);
        if (!st) {
            rc = as_error_set(err, AS_ENOMEM, "out of memory");
            goto done;
        }
        dst->steps = st;
        for (size_t i = 0; i < src->nsteps; i++)
            dst->steps[dst->nsteps++] = src->steps[i];
        src->nsteps = 0;
        dst->steps_null = false;
    }
    /* info: inseq's merge concatenates the texts and keeps the largest end. */
    concat_info_list(dst->info, src->info, "input_texts");
    concat_info_list(dst->info, src->info, "generated_texts");
    json_t *ea = json_object_get(dst->info, "attr_pos_end");
    json_t *eb = json_object_get(src->info, "attr_pos_end");
    if (json_is_integer(eb) && (!json_is_integer(ea) || json_integer_value(eb) > json_integer_value(ea)))
        json_object_set(dst->info, "attr_pos_end", eb);
    if (src->notes) {
        size_t a = dst->notes ? strlen(dst->notes) : 0, b = strlen(src->notes);
        char *n = realloc(dst->notes, a + b + 1);
        if (n) {
            memcpy(n + a, src->notes, b + 1);
            dst->notes = n;
        }
    }
done:
    attr_output_free(src);
    return rc;
}

as_output *as_load_files(const char *const *paths, size_t n, const as_load_opts *opts,
                         as_error *err)
{
    as_output *all = NULL;
    for (size_t i = 0; i < n; i++) {
        as_output *o = as_load_file(paths[i], opts, err);
        if (!o) {
            attr_output_free(all);
            return NULL;
        }
        if (!all) {
            all = o;
        } else if (as_output_merge(all, o, err)) {
            attr_output_free(all);
            return NULL;
        }
    }
    if (!all)
        as_error_set(err, AS_EUSAGE, "no files given");
    return all;
}
