#include "pyjson.h"
#include "buf.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "err.h"
#include "tokens.h"

/* ---- buffer ---------------------------------------------------------- */

void pj_init(pj_writer *w, char *buf, size_t cap, pj_flush_fn flush, void *ud)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = cap;
    w->flush = flush;
    w->ud = ud;
}

int pj_init_mem(pj_writer *w)
{
    char *buf = malloc(4096);
    pj_init(w, buf, buf ? 4096 : 0, NULL, NULL);
    if (!buf)
        w->status = AS_ENOMEM;
    return w->status;
}

char *pj_mem_take(pj_writer *w, size_t *len)
{
    char *b = NULL;
    if (!w->status && !w->flush && w->buf) {
        b = w->buf;
        b[w->len] = '\0'; /* room kept by ensure() */
        if (len)
            *len = w->len;
        w->buf = NULL;
        w->len = w->cap = 0;
    }
    return b;
}

void pj_mem_free(pj_writer *w)
{
    if (!w->flush) {
        free(w->buf);
        w->buf = NULL;
        w->len = w->cap = 0;
    }
}

int pj_status(const pj_writer *w) { return w->status; }

int pj_flush(pj_writer *w)
{
    if (w->status || !w->flush || !w->len)
        return w->status;
    int rc = w->flush(w->ud, w);
    if (rc)
        w->status = rc;
    return w->status;
}

/* Makes room for n more bytes (plus a NUL for memory writers). */
static bool ensure(pj_writer *w, size_t n)
{
    if (w->status)
        return false;
    if (w->len + n + 1 <= w->cap)
        return true;
    if (w->flush) {
        if (pj_flush(w))
            return false;
        if (n + 1 <= w->cap)
            return true;
        w->status = AS_EUSAGE; /* a single piece larger than the buffer */
        return false;
    }
    /* a memory writer grows as the common buffer does */
    as_buf b = {.p = w->buf, .len = w->len, .cap = w->cap};
    if (!as_buf_reserve(&b, n, 4096)) {
        w->status = AS_ENOMEM;
        return false;
    }
    w->buf = b.p;
    w->cap = b.cap;
    return true;
}

/* Writes n bytes, in pieces if the buffer is small. */
static void put(pj_writer *w, const char *s, size_t n)
{
    while (n && !w->status) {
        size_t room = w->cap > w->len + 1 ? w->cap - w->len - 1 : 0;
        if (!w->flush || n <= room) {
            if (!ensure(w, n))
                return;
            memcpy(w->buf + w->len, s, n);
            w->len += n;
            return;
        }
        if (room) {
            memcpy(w->buf + w->len, s, room);
            w->len += room;
            s += room;
            n -= room;
        }
        pj_flush(w);
    }
}

static void putc_(pj_writer *w, char c)
{
    if ((!w->status && w->len + 2 <= w->cap) || ensure(w, 1))
        w->buf[w->len++] = c;
}

static const char spaces[] = "                                                                "
                             "                                                                ";

static void newline_indent(pj_writer *w, int depth)
{
    putc_(w, '\n');
    size_t n = (size_t)depth * 4;
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(w, spaces, k);
        n -= k;
    }
}

static bool get_items(const pj_writer *w, int d) { return w->has_items[d >> 3] >> (d & 7) & 1; }
static void set_items(pj_writer *w, int d, bool v)
{
    if (v)
        w->has_items[d >> 3] |= (unsigned char)(1u << (d & 7));
    else
        w->has_items[d >> 3] &= (unsigned char)~(1u << (d & 7));
}

/* Separator and indentation before a value or a key. */
static void item_prefix(pj_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (get_items(w, w->depth))
        putc_(w, ',');
    else
        set_items(w, w->depth, true);
    newline_indent(w, w->depth);
}

static void open_container(pj_writer *w, char c)
{
    if (w->status)
        return;
    item_prefix(w);
    if (w->depth + 1 >= PJ_MAX_DEPTH) {
        w->status = AS_EDATA;
        return;
    }
    putc_(w, c);
    w->depth++;
    set_items(w, w->depth, false);
}

static void close_container(pj_writer *w, char c)
{
    if (w->status)
        return;
    if (w->depth <= 0) {
        w->status = AS_EUSAGE;
        return;
    }
    if (get_items(w, w->depth))
        newline_indent(w, w->depth - 1);
    w->depth--;
    putc_(w, c);
}

void pj_begin_object(pj_writer *w) { open_container(w, '{'); }
void pj_end_object(pj_writer *w) { close_container(w, '}'); }
void pj_begin_array(pj_writer *w) { open_container(w, '['); }
void pj_end_array(pj_writer *w) { close_container(w, ']'); }

/* ---- strings ----------------------------------------------------------- */

static const char hexd[] = "0123456789abcdef";

static void put_u(pj_writer *w, unsigned cp)
{
    char b[6] = {'\\', 'u', hexd[cp >> 12 & 15], hexd[cp >> 8 & 15], hexd[cp >> 4 & 15],
                 hexd[cp & 15]};
    put(w, b, 6);
}

/* Decodes one character at s (n > 0 bytes left); returns its length and the
 * code point in *cp (0xFFFD for an invalid byte, length 1).  Surrogates are
 * accepted on purpose (Python strings may hold them). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    int32_t c;
    size_t k = tokens_wtf8_next((const char *)s, n, &c);
    *cp = c < 0 ? 0xFFFDu : (unsigned)c;
    return k;
}

static void put_escaped(pj_writer *w, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    putc_(w, '"');
    size_t i = 0;
    while (i < n && !w->status) {
        size_t j = i;
        while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\')
            j++;
        if (j > i) {
            put(w, str + i, j - i);
            i = j;
            if (i == n)
                break;
        }
        unsigned cp;
        i += utf8_next(s + i, n - i, &cp);
        switch (cp) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        case '\b': put(w, "\\b", 2); break;
        case '\f': put(w, "\\f", 2); break;
        default:
            if (cp >= 0x10000) {
                cp -= 0x10000;
                put_u(w, 0xd800 | (cp >> 10));
                put_u(w, 0xdc00 | (cp & 0x3ff));
            } else {
                put_u(w, cp);
            }
        }
    }
    putc_(w, '"');
}

void pj_key(pj_writer *w, const char *key)
{
    if (w->status)
        return;
    item_prefix(w);
    put_escaped(w, key, strlen(key));
    put(w, ": ", 2);
    w->after_key = true;
}

void pj_string_n(pj_writer *w, const char *s, size_t n)
{
    if (w->status)
        return;
    item_prefix(w);
    put_escaped(w, s, n);
}

void pj_string(pj_writer *w, const char *s) { pj_string_n(w, s, strlen(s)); }

void pj_string_open(pj_writer *w)
{
    if (w->status)
        return;
    item_prefix(w);
    putc_(w, '"');
}

void pj_raw(pj_writer *w, const char *s, size_t n) { put(w, s, n); }

char *pj_reserve(pj_writer *w, size_t min, size_t *avail)
{
    if (w->status)
        return NULL;
    if (w->flush && min * 2 > w->cap) {
        w->status = AS_EUSAGE;
        return NULL;
    }
    if (!ensure(w, min))
        return NULL;
    *avail = w->cap - w->len - 1;
    return w->buf + w->len;
}

void pj_commit(pj_writer *w, size_t n) { w->len += n; }

void pj_string_close(pj_writer *w) { putc_(w, '"'); }

/* ---- scalars ----------------------------------------------------------- */

void pj_null(pj_writer *w)
{
    if (w->status)
        return;
    item_prefix(w);
    put(w, "null", 4);
}

void pj_bool(pj_writer *w, bool v)
{
    if (w->status)
        return;
    item_prefix(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void pj_int(pj_writer *w, long long v)
{
    if (w->status)
        return;
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", v);
    item_prefix(w);
    put(w, b, (size_t)n);
}

void pj_double(pj_writer *w, double v)
{
    if (w->status)
        return;
    char b[32];
    size_t n = pj_repr_double(v, b);
    item_prefix(w);
    put(w, b, n);
}

/* ---- repr(float) ------------------------------------------------------- */

/* x == k * 10^q read back by strtod? */
static bool reads_back(uint64_t k, int q, double x)
{
    char b[48];
    snprintf(b, sizeof b, "%" PRIu64 "e%d", k, q);
    return strtod(b, NULL) == x;
}

/* Shortest decimal k * 10^q (k without trailing zeros) that reads back as
 * x > 0, the one nearest to x when several have as few digits; this is
 * what David Gay's dtoa mode 0 (Python's repr) yields. */
static void shortest(double x, uint64_t *kout, int *qout)
{
    static const uint64_t p10[18] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull,
                                     1000000ull, 10000000ull, 100000000ull, 1000000000ull,
                                     10000000000ull, 100000000000ull, 1000000000000ull,
                                     10000000000000ull, 100000000000000ull,
                                     1000000000000000ull, 10000000000000000ull,
                                     100000000000000000ull};
    uint64_t k = 0;
    int q = 0;
    for (int p = 1; p <= 17; p++) {
        char b[48];
        snprintf(b, sizeof b, "%.*e", p - 1, x);
        /* b is "d.ddde+XX": collect the p digits and the exponent. */
        uint64_t m = 0;
        const char *c = b;
        for (; *c && *c != 'e'; c++)
            if (*c >= '0' && *c <= '9')
                m = m * 10 + (uint64_t)(*c - '0');
        int e = atoi(c + 1);
        int qq = e - (p - 1);
        if (reads_back(m, qq, x) || p == 17) {
            k = m;
            q = qq;
            break;
        }
        /* The nearest p-digit decimal does not read back; its neighbour on
         * the other side of x may (the rounding interval of a power of two
         * is lopsided). */
        uint64_t up = m + 1, dn = m - 1;
        int qup = qq, qdn = qq;
        if (up == p10[p]) {
            up = p10[p - 1];
            qup++;
        }
        if (m == p10[p - 1]) {
            dn = p10[p] - 1;
            qdn--;
        }
        double mv = strtod(b, NULL);
        if (mv < x && reads_back(up, qup, x)) {
            k = up;
            q = qup;
            break;
        }
        if (mv > x && reads_back(dn, qdn, x)) {
            k = dn;
            q = qdn;
            break;
        }
    }
    while (k && k % 10 == 0) {
        k /= 10;
        q++;
    }
    *kout = k;
    *qout = q;
}

size_t pj_repr_float(double v, char out[32])
{
    if (isnan(v))
        return (size_t)snprintf(out, 32, "nan");
    if (isinf(v))
        return (size_t)snprintf(out, 32, v > 0 ? "inf" : "-inf");
    return pj_repr_double(v, out);
}

size_t pj_repr_double(double v, char out[32])
{
    if (isnan(v))
        return (size_t)snprintf(out, 32, "NaN");
    if (isinf(v))
        return (size_t)snprintf(out, 32, v > 0 ? "Infinity" : "-Infinity");
    if (v == 0)
        return (size_t)snprintf(out, 32, signbit(v) ? "-0.0" : "0.0");
    size_t n = 0;
    if (v < 0) {
        out[n++] = '-';
        v = -v;
    }
    uint64_t k;
    int q;
    shortest(v, &k, &q);
    char dig[24];
    int nd = snprintf(dig, sizeof dig, "%" PRIu64, k);
    int decpt = nd + q; /* v = 0.DIGITS * 10^decpt */
    if (decpt <= -4 || decpt > 16) {
        out[n++] = dig[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, dig + 1, (size_t)nd - 1);
            n += (size_t)nd - 1;
        }
        n += (size_t)snprintf(out + n, 32 - n, "e%+03d", decpt - 1);
    } else if (decpt <= 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = 0; i < -decpt; i++)
            out[n++] = '0';
        memcpy(out + n, dig, (size_t)nd);
        n += (size_t)nd;
    } else if (decpt >= nd) {
        memcpy(out + n, dig, (size_t)nd);
        n += (size_t)nd;
        for (int i = nd; i < decpt; i++)
            out[n++] = '0';
        out[n++] = '.';
        out[n++] = '0';
    } else {
        memcpy(out + n, dig, (size_t)decpt);
        n += (size_t)decpt;
        out[n++] = '.';
        memcpy(out + n, dig + decpt, (size_t)(nd - decpt));
        n += (size_t)(nd - decpt);
    }
    out[n] = '\0';
    return n;
}

/* ---- jansson values ---------------------------------------------------- */

int pj_keycmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (;;) {
        unsigned cx, cy;
        if (!*x || !*y)
            return (*x != 0) - (*y != 0);
        /* utf8_next stops at the first byte that is not a continuation
         * byte, so the terminating NUL is never passed. */
        x += utf8_next(x, 4, &cx);
        y += utf8_next(y, 4, &cy);
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
}

static int keycmp_qsort(const void *a, const void *b)
{
    return pj_keycmp(*(const char *const *)a, *(const char *const *)b);
}

static void json_value(pj_writer *w, const json_t *v)
{
    double nf;
    if (w->status)
        return;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        if (!keys) {
            w->status = AS_ENOMEM;
            return;
        }
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)v, k, val)
            keys[i++] = k;
        qsort(keys, n, sizeof *keys, keycmp_qsort);
        pj_begin_object(w);
        for (i = 0; i < n; i++) {
            pj_key(w, keys[i]);
            json_value(w, json_object_get(v, keys[i]));
        }
        pj_end_object(w);
        free(keys);
        break;
    }
    case JSON_ARRAY:
        pj_begin_array(w);
        for (size_t i = 0; i < json_array_size(v); i++)
            json_value(w, json_array_get(v, i));
        pj_end_array(w);
        break;
    case JSON_STRING:
        if (attr_json_nonfinite(v, &nf))
            pj_double(w, nf);
        else
            pj_string_n(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: pj_int(w, (long long)json_integer_value(v)); break;
    case JSON_REAL: pj_double(w, json_real_value(v)); break;
    case JSON_TRUE: pj_bool(w, true); break;
    case JSON_FALSE: pj_bool(w, false); break;
    case JSON_NULL: pj_null(w); break;
    }
}

void pj_json(pj_writer *w, const json_t *v)
{
    if (!v)
        pj_null(w);
    else
        json_value(w, v);
}
