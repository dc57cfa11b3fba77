#include "toklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tokens.h"

/* ---- reading JSON text, strictly: anything unusual returns false ---- */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int c = (unsigned char)s[k], h;
        if (c >= '0' && c <= '9')
            h = c - '0';
        else if (c >= 'a' && c <= 'f')
            h = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            h = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* The value of the escape \uXXXX at s[i], or -1 when there is none. */
static long u_escape(const char *s, size_t n, size_t i)
{
    if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
        return -1;
    return hex4(s + i + 2);
}

static bool is_high(long v) { return v >= 0xD800 && v <= 0xDBFF; }
static bool is_low(long v) { return v >= 0xDC00 && v <= 0xDFFF; }

/* The string whose opening quote is at s[i]: sets *end past its closing
 * quote and, when pool is not NULL, appends its text and a NUL to pool and
 * sets *off to where the text starts.  A lone surrogate escape reads as
 * U+FFFD, as toklists_collapse() makes it for jansson.  Refuses raw control
 * bytes, invalid UTF-8 and \u0000 (placeholders and markers start with it;
 * a real NUL is left to the loader's own path). */
static bool read_string(const char *s, size_t n, size_t i, size_t *end, as_buf *pool,
                        size_t *off)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t j = i + 1;
    bool esc = false;
    for (;;) {
        if (j >= n)
            return false;
        unsigned c = u[j];
        if (c == '"')
            break;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            esc = true;
            if (j + 1 >= n)
                return false;
            char e = s[j + 1];
            if (e == 'u') {
                long v = u_escape(s, n, j);
                if (v <= 0)
                    return false;
                j += is_high(v) && is_low(u_escape(s, n, j + 6)) ? 12 : 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == '\0')
                return false;
            j += 2;
            continue;
        }
        /* valid UTF-8 as jansson takes it: not the C0 80 form of NUL */
        int32_t cp;
        size_t l = tokens_utf8_next(s + j, n - j, &cp);
        if (cp < 0 || (cp == 0 && l != 1))
            return false;
        j += l;
    }
    *end = j + 1;
    if (!pool)
        return true;
    size_t raw = j - (i + 1);
    if (!as_buf_reserve(pool, raw + 1, 1 << 16))
        return false;
    char *t = pool->p + pool->len;
    *off = pool->len;
    if (!esc) {
        memcpy(t, s + i + 1, raw);
        t[raw] = '\0';
        pool->len += raw + 1;
        pool->p[pool->len] = '\0';
        return true;
    }
    size_t o = 0;
    for (size_t k = i + 1; k < j;) {
        if (s[k] != '\\') {
            t[o++] = s[k++];
            continue;
        }
        char e = s[k + 1];
        if (e == 'u') {
            long v = u_escape(s, n, k), lo;
            k += 6;
            if (is_high(v) && is_low(lo = u_escape(s, n, k))) {
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                k += 6;
            } else if (is_high(v) || is_low(v)) {
                v = 0xFFFD;
            }
            o += tokens_utf8_put((int32_t)v, t + o);
            continue;
        }
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        t[o++] = to[strchr(from, e) - from];
        k += 2;
    }
    t[o] = '\0';
    pool->len += o + 1;
    pool->p[pool->len] = '\0';
    return true;
}

/* A token's text at s[i]: a string, or the placeholder of a long
 * base64-looking string that the scanner kept as a blob (its original text,
 * as the loader puts back for a token); false for anything else, including
 * a placeholder whose blob holds no text. */
static bool read_text(const as_scan *sc, const char *s, size_t n, size_t i, size_t *end,
                      as_buf *pool, size_t *off)
{
    static const char ph[] = "\"\\u0000B";
    if (!sc || n - i < sizeof ph - 1 || memcmp(s + i, ph, sizeof ph - 1) != 0)
        return read_string(s, n, i, end, pool, off);
    char buf[64];
    size_t k = i + 7, len = 0;   /* past the quote and \u0000 */
    buf[len++] = '\0';
    while (k < n && s[k] != '"' && len < sizeof buf - 1)
        buf[len++] = s[k++];
    size_t idx, tlen;
    char *t = k < n && s[k] == '"' ? scan_placeholder_text(sc, buf, len, &idx, &tlen) : NULL;
    if (!t || !as_buf_reserve(pool, tlen + 1, 1 << 16)) {
        free(t);
        return false;
    }
    *off = pool->len;
    memcpy(pool->p + pool->len, t, tlen + 1);
    pool->len += tlen + 1;
    pool->p[pool->len] = '\0';
    free(t);
    *end = k + 1;
    return true;
}

/* A key of at most 31 bytes without escapes, into k. */
static bool read_key(const char *s, size_t n, size_t *i, char k[32])
{
    size_t j = *i + 1, l = 0;
    while (j < n && s[j] != '"' && s[j] != '\\' && (unsigned char)s[j] >= 0x20 && l < 31)
        k[l++] = s[j++];
    if (j >= n || s[j] != '"')
        return false;
    k[l] = '\0';
    j = skip_ws(s, n, j + 1);
    if (j >= n || s[j] != ':')
        return false;
    *i = skip_ws(s, n, j + 1);
    return true;
}

/* An integer as jansson reads one (no fraction or exponent, 18 digits at
 * most so it cannot overflow), or null (-1). */
static bool read_id(const char *s, size_t n, size_t *i, long long *id)
{
    size_t j = *i;
    if (j + 4 <= n && !memcmp(s + j, "null", 4)) {
        *id = -1;
        *i = j + 4;
        return true;
    }
    bool neg = j < n && s[j] == '-';
    if (neg)
        j++;
    size_t d0 = j;
    long long v = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9')
        v = v * 10 + (s[j++] - '0');
    size_t nd = j - d0;
    if (nd == 0 || nd > 18 || (nd > 1 && s[d0] == '0'))
        return false;
    if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E'))
        return false;
    *id = neg ? -v : v;
    *i = j;
    return true;
}

/* After an object member: 1 when another follows (j past the ','), 0 at
 * the closing '}' (j on it), -1 otherwise. */
static int next_member(const char *s, size_t n, size_t *j)
{
    *j = skip_ws(s, n, *j);
    if (*j < n && s[*j] == ',') {
        *j = skip_ws(s, n, *j + 1);
        return 1;
    }
    return *j < n && s[*j] == '}' ? 0 : -1;
}

/* {"token": "...", "id": N}, each key at most once, "token" required
 * (attributes, or the object itself in a use_primitives file). */
static bool read_attrs(const as_scan *sc, const char *s, size_t n, size_t *i, as_buf *pool,
                       size_t *text, long long *id)
{
    size_t j = skip_ws(s, n, *i + 1);
    bool got_id = false, got_text = false;
    *id = -1;
    if (j < n && s[j] == '}')
        return false;
    for (;;) {
        char k[32];
        if (j >= n || s[j] != '"' || !read_key(s, n, &j, k))
            return false;
        if (!strcmp(k, "token") && !got_text && j < n && s[j] == '"') {
            if (!read_text(sc, s, n, j, &j, pool, text))
                return false;
            got_text = true;
        } else if (!strcmp(k, "id") && !got_id) {
            if (!read_id(s, n, &j, id))
                return false;
            got_id = true;
        } else {
            return false;
        }
        int more = next_member(s, n, &j);
        if (more < 0)
            return false;
        if (!more)
            break;
    }
    if (!got_text)
        return false;
    *i = j + 1;
    return true;
}

/* ["module", "Class"] */
static bool read_class(const char *s, size_t n, size_t *i)
{
    size_t j = *i;
    if (j >= n || s[j] != '[')
        return false;
    for (int k = 0; k < 2; k++) {
        j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '"' || !read_string(s, n, j, &j, NULL, NULL))
            return false;
        j = skip_ws(s, n, j);
        if (j >= n || s[j] != (k == 0 ? ',' : ']'))
            return false;
    }
    *i = j + 1;
    return true;
}

/* One token: a string, {"__instance_type__": [m, c], "attributes": {...}}
 * (keys in either order), or {"token": ..., "id": ...}.  Its text goes to
 * pool at *text. */
static bool read_token(const as_scan *sc, const char *s, size_t n, size_t *i, as_buf *pool,
                       size_t *text, long long *id)
{
    size_t j = *i;
    *id = -1;
    if (s[j] == '"') {
        if (!read_text(sc, s, n, j, &j, pool, text))
            return false;
        *i = j;
        return true;
    }
    if (s[j] != '{')
        return false;
    size_t k0 = skip_ws(s, n, j + 1);
    char k[32];
    size_t probe = k0;
    if (k0 >= n || s[k0] != '"' || !read_key(s, n, &probe, k))
        return false;
    if (strcmp(k, "__instance_type__") != 0 && strcmp(k, "attributes") != 0)
        return read_attrs(sc, s, n, i, pool, text, id);
    bool got_cls = false, got_attrs = false;
    j = k0;
    for (;;) {
        if (j >= n || s[j] != '"' || !read_key(s, n, &j, k))
            return false;
        if (!strcmp(k, "__instance_type__") && !got_cls) {
            if (!read_class(s, n, &j))
                return false;
            got_cls = true;
        } else if (!strcmp(k, "attributes") && !got_attrs && j < n && s[j] == '{') {
            if (!read_attrs(sc, s, n, &j, pool, text, id))
                return false;
            got_attrs = true;
        } else {
            return false;
        }
        int more = next_member(s, n, &j);
        if (more < 0)
            return false;
        if (!more)
            break;
    }
    if (!got_cls || !got_attrs)
        return false;
    *i = j + 1;
    return true;
}

/* The non-empty token list whose '[' is at s[i]: sets *end past its ']'.
 * The texts share one allocation (out->pool). */
static bool read_list(const as_scan *sc, const char *s, size_t n, size_t i, size_t *end,
                      as_tokens *out)
{
    size_t cap = 0;
    as_buf pool = {0};
    *out = (as_tokens){0};
    size_t j = skip_ws(s, n, i + 1);
    if (j >= n || s[j] == ']')
        return false;
    for (;;) {
        as_token *nv = as_array_grow(out->v, &cap, out->n + 1, sizeof *nv, 16);
        if (!nv)
            goto fail;
        out->v = nv;
        /* the text's offset in the pool, until the pool stops moving */
        size_t off;
        if (!read_token(sc, s, n, &j, &pool, &off, &out->v[out->n].id))
            goto fail;
        out->v[out->n].text = (char *)(uintptr_t)off;
        out->n++;
        j = skip_ws(s, n, j);
        if (j < n && s[j] == ',') {
            j = skip_ws(s, n, j + 1);
            if (j >= n)
                goto fail;
            continue;
        }
        if (j < n && s[j] == ']')
            break;
        goto fail;
    }
    if (out->n < cap) {
        as_token *nv = realloc(out->v, out->n * sizeof *nv);
        if (nv)
            out->v = nv;
    }
    as_buf_fit(&pool);
    out->pool = as_buf_take(&pool, NULL);
    if (!out->pool)
        goto fail;
    for (size_t k = 0; k < out->n; k++)
        out->v[k].text = out->pool + (uintptr_t)out->v[k].text;
    *end = j + 1;
    return true;
fail:
    as_buf_free(&pool);
    free(out->v);
    *out = (as_tokens){0};
    return false;
}

/* ---- walking the skeleton ---- */

/* Python's json reads what jansson refuses; each string the walk passes is
 * made to fit jansson in place (each rewrite keeps the length of the 6-byte
 * escape):
 *  - a lone surrogate escape (\ud800 without its pair, or a lone \udc00)
 *    becomes U+FFFD, as Python's str.encode(errors="replace") writes it;
 *  - \u0000 in an object key (a string followed by ':') becomes the
 *    noncharacter U+FDD0, which the loader turns into the stored NUL (C0 80)
 *    of score names and info keys, so that they are shown as \0 and saved
 *    as \u0000 (the first 64 of a key).
 * The string's opening quote is at s[i]; returns the index past its closing
 * quote (n when it has none) and counts the line breaks in it. */
static size_t fit_string(char *s, size_t n, size_t i, size_t *line)
{
    size_t nul_at[64];
    size_t nnul = 0;
    for (size_t k = i + 1; k < n; k++) {
        if (s[k] == '"') {
            size_t j = skip_ws(s, n, k + 1);
            if (j < n && s[j] == ':')
                for (size_t m = 0; m < nnul; m++)
                    memcpy(s + nul_at[m] + 2, "fdd0", 4);
            return k + 1;
        }
        if (s[k] == '\n')
            (*line)++;
        if (s[k] != '\\')
            continue;
        long v = u_escape(s, n, k);
        if (v < 0) {
            k++;   /* another escape: skip its character */
            continue;
        }
        if (is_high(v) && is_low(u_escape(s, n, k + 6))) {
            k += 11;
            continue;
        }
        if (is_high(v) || is_low(v))
            memcpy(s + k + 2, "fffd", 4);
        else if (v == 0 && nnul < sizeof nul_at / sizeof *nul_at)
            nul_at[nnul++] = k;
        k += 5;
    }
    return n;
}

/* What a container is, as far as the loader's reading goes. */
enum role { R_OTHER, R_TOP, R_SEQS, R_STEPS, R_SEQ, R_STEP, R_STEPLISTS };
enum key { K_OTHER, K_ATTRIBUTES, K_SEQS, K_STEPS, K_SOURCE, K_TARGET, K_PREFIX };

typedef struct frame {
    unsigned char role, key;
    bool obj, expect_key;
} frame;

static unsigned char key_of(const char *s, size_t n)
{
    static const struct {
        const char *name;
        unsigned char key;
    } keys[] = {
        {"attributes", K_ATTRIBUTES},      {"sequence_attributions", K_SEQS},
        {"step_attributions", K_STEPS},    {"source", K_SOURCE},
        {"target", K_TARGET},              {"prefix", K_PREFIX},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (strlen(keys[k].name) == n && !memcmp(keys[k].name, s, n))
            return keys[k].key;
    return K_OTHER;
}

static unsigned char child_role(const frame *p, bool obj)
{
    if (!p)
        return obj ? R_TOP : R_OTHER;
    switch (p->role) {
    case R_TOP:
        if (obj && p->key == K_ATTRIBUTES)
            return R_TOP;
        if (!obj && p->key == K_SEQS)
            return R_SEQS;
        if (!obj && p->key == K_STEPS)
            return R_STEPS;
        return R_OTHER;
    case R_SEQS:
        return obj ? R_SEQ : R_OTHER;
    case R_STEPS:
        return obj ? R_STEP : R_OTHER;
    case R_SEQ:
        return obj && p->key == K_ATTRIBUTES ? R_SEQ : R_OTHER;
    case R_STEP:
        if (obj && p->key == K_ATTRIBUTES)
            return R_STEP;
        if (!obj && (p->key == K_SOURCE || p->key == K_PREFIX || p->key == K_TARGET))
            return R_STEPLISTS;
        return R_OTHER;
    default:
        return R_OTHER;
    }
}

static bool list_here(const frame *p)
{
    return p && ((p->role == R_SEQ && (p->key == K_SOURCE || p->key == K_TARGET)) ||
                 p->role == R_STEPLISTS);
}

static int add_list(as_toklists *tl, as_tokens *t, as_error *err)
{
    as_tokens *nv = as_array_grow(tl->v, &tl->cap, tl->n + 1, sizeof *nv, 16);
    if (!nv)
        return as_error_set(err, AS_ENOMEM, "out of memory reading token lists");
    tl->v = nv;
    tl->v[tl->n++] = *t;
    return AS_OK;
}

static int add_edit(as_toklists *tl, tl_edit e, as_error *err)
{
    tl_edit *nv = as_array_grow(tl->edits, &tl->edits_cap, tl->nedits + 1, sizeof *nv, 16);
    if (!nv)
        return as_error_set(err, AS_ENOMEM, "out of memory reading token lists");
    tl->edits = nv;
    tl->edits[tl->nedits++] = e;
    return AS_OK;
}

/* Columns jansson counts in s[a, b): every byte but UTF-8 continuations. */
static long columns(const char *s, size_t a, size_t b)
{
    long c = 0;
    for (size_t k = a; k < b; k++)
        c += ((unsigned char)s[k] & 0xC0) != 0x80;
    return c;
}

/* Tries the list at s[r]; on success writes its placeholder at s[*w]. */
static int collapse_one(as_scan *sc, as_toklists *tl, size_t *r, size_t *w, size_t *line,
                        bool *done, as_error *err)
{
    char *s = sc->skel.p;
    size_t end;
    as_tokens t;
    *done = false;
    if (!read_list(sc, s, sc->skel.len, *r, &end, &t))
        return AS_OK;
    char ph[SCAN_PLACEHOLDER_MAX];
    int pl = scan_placeholder_json(sc, 'L', tl->n, ph, sizeof ph);
    size_t nl = 0, last_nl = *r;
    for (size_t k = *r; k < end; k++)
        if (s[k] == '\n') {
            nl++;
            last_nl = k + 1;
        }
    if ((size_t)pl + nl > end - *r) {
        attr_tokens_free(&t);
        return AS_OK;
    }
    long cols = nl ? columns(s, last_nl, end) : columns(s, *r, end) - pl;
    if (add_list(tl, &t, err)) {
        attr_tokens_free(&t);
        return AS_ENOMEM;
    }
    memcpy(s + *w, ph, (size_t)pl);
    memset(s + *w + pl, '\n', nl);
    *w += (size_t)pl + nl;
    *line += nl;
    *r = end;
    *done = true;
    if (cols && add_edit(tl, (tl_edit){.pos = *w, .line = *line, .cols = cols}, err))
        return AS_ENOMEM;
    return AS_OK;
}

int toklists_collapse(as_scan *sc, as_toklists *tl, bool lists, as_error *err)
{
    memset(tl, 0, sizeof *tl);
    char *s = sc->skel.p;
    size_t n = sc->skel.len, r = 0, w = 0, line = 1, depth = 0, cap = 0;
    frame *st = NULL;
    int rc = AS_OK;
    while (r < n) {
        char c = s[r];
        frame *top = depth ? &st[depth - 1] : NULL;
        if (c == '"') {
            size_t e = fit_string(s, n, r, &line);
            bool closed = e - r >= 2 && s[e - 1] == '"';   /* else it ran to the end */
            if (top && top->obj && top->expect_key)
                top->key = closed ? key_of(s + r + 1, e - r - 2) : K_OTHER;
            memmove(s + w, s + r, e - r);
            w += e - r;
            r = e;
            continue;
        }
        if (c == '{' || c == '[') {
            if (c == '[' && lists && list_here(top)) {
                bool done;
                if ((rc = collapse_one(sc, tl, &r, &w, &line, &done, err)))
                    break;
                if (done)
                    continue;
            }
            frame *ns = as_array_grow(st, &cap, depth + 1, sizeof *ns, 64);
            if (!ns) {
                rc = as_error_set(err, AS_ENOMEM, "out of memory reading token lists");
                break;
            }
            st = ns;
            top = depth ? &st[depth - 1] : NULL;
            st[depth] = (frame){.role = child_role(top, c == '{'), .key = K_OTHER,
                                .obj = c == '{', .expect_key = c == '{'};
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth)
                depth--;
        } else if (c == ':') {
            if (top)
                top->expect_key = false;
        } else if (c == ',') {
            if (top && top->obj) {
                top->expect_key = true;
                top->key = K_OTHER;
            }
        } else if (c == '\n') {
            line++;
        }
        s[w++] = s[r++];
    }
    free(st);
    if (rc) {
        /* The skeleton is half rewritten: it cannot be parsed any more. */
        toklists_free(tl);
        return rc;
    }
    if (w < n) {
        s[w] = '\0';
        sc->skel.len = w;
        as_buf_fit(&sc->skel);
    }
    return AS_OK;
}

bool toklists_placeholder(const as_scan *sc, const as_toklists *tl, const char *s, size_t n,
                          size_t *idx)
{
    return scan_placeholder_kind(sc, 'L', s, n, tl->n, idx);
}

int toklists_file_column(const as_toklists *tl, int line, int column, size_t pos)
{
    long c = column;
    for (size_t k = 0; k < tl->nedits; k++)
        if (tl->edits[k].line == (size_t)line && tl->edits[k].pos <= pos)
            c += tl->edits[k].cols;
    return (int)c;
}

void toklists_free(as_toklists *tl)
{
    for (size_t k = 0; k < tl->n; k++)
        attr_tokens_free(&tl->v[k]);
    free(tl->v);
    free(tl->edits);
    memset(tl, 0, sizeof *tl);
}
