#include "scan.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b64.h"

/* A value string this long that is all base64 so far becomes a blob. */
#define BLOB_THRESHOLD 1024
#define MAX_DEPTH 10000
/* Of a run of white space outside strings, only this much is kept in the
 * skeleton (newlines always are, for line numbers).  The whole run counts
 * against the memory limit as if it were kept, so a stream of white space
 * (a gzip bomb) stops at the limit instead of inflating to its end. */
#define WS_KEEP 4096
#define WS_CHECK ((size_t)1 << 20)

enum mode { M_NORMAL, M_STRING, M_BLOB, M_LITERAL, M_NUMLIST, M_SKIP, M_SKIPLIST };

/* Skim scans keep at most this much of a base64 value. */
#define SKIM_MAX_KEEP (1u << 20)

typedef struct scanner {
    as_scan *out;
    bool skim;
    char last2[2];          /* the two characters before a skipped value's quote */
    int skip_depth;
    as_error *err;
    size_t line;
    int mode;
    /* containers */
    char *stack;
    size_t depth, stack_cap;
    bool expect_key;
    bool ndarray_key;       /* last key was "__ndarray__" */
    bool value_is_ndarray;  /* the value being started belongs to "__ndarray__" */
    bool minus_pending;     /* '-' seen, deciding between a number and -Infinity */
    /* strings */
    bool str_is_key, str_esc, str_b64;
    size_t str_start;       /* skeleton offset of the opening quote */
    size_t str_len;         /* content bytes so far */
    int prefix;             /* BLOB_BASE64, BLOB_B64 or BLOB_B64GZ once known */
    bool pfx_dot;           /* seen "b64." */
    char keybuf[12];
    size_t keylen;
    /* blob decoding */
    as_blob *blob;
    size_t blob_idx;
    char quad[4];
    int qn, pad;
    size_t blob_line;
    /* literals */
    const char *lit;
    int lit_i;
    bool lit_in_list;
    /* number lists */
    int ldepth, leaf;
    size_t cnt[AS_MAX_DIMS + 2], shape[AS_MAX_DIMS + 2];
    bool shape_known[AS_MAX_DIMS + 2];
    char num[64];
    int numlen;
    bool num_is_int;
    bool list_need_elem;   /* just after '[' or ',' */
    /* white space */
    size_t ws_run;         /* bytes in the current run outside strings */
} scanner;

static int fail(scanner *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(scanner *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return as_error_set(s->err, AS_EDATA, "line %zu: %s", s->line, msg);
}

/* Counts n more bytes of white space in the current run (see WS_KEEP). */
static int ws_count(scanner *s, size_t n)
{
    size_t before = s->ws_run;
    s->ws_run += n;
    if (s->ws_run / WS_CHECK == before / WS_CHECK)
        return AS_OK;
    size_t lim = as_mem_limit(), used = as_mem_in_use();
    if (used >= lim || s->ws_run > lim - used)
        return fail(s, "%zu MB of white space in a row goes over the memory limit of %zu MB "
                    "(raise it with --max-memory)", (s->ws_run + WS_CHECK - 1) >> 20, lim >> 20);
    return AS_OK;
}

/* Room for `more` bytes of skeleton; the buffer says why when it cannot. */
static int skel_reserve(scanner *s, size_t more)
{
    if (as_buf_reserve(&s->out->skel, more, 1 << 16))
        return AS_OK;
    return as_error_prefix(s->err, "line %zu: the JSON text outside tensors", s->line);
}

static inline int emit(scanner *s, const void *p, size_t n)
{
    as_buf *b = &s->out->skel;
    if (b->len + n + 1 > b->cap && skel_reserve(s, n))
        return AS_ENOMEM;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return AS_OK;
}

static inline int emit_c(scanner *s, char c)
{
    as_buf *b = &s->out->skel;
    if (b->len + 2 > b->cap && skel_reserve(s, 1))
        return AS_ENOMEM;
    b->p[b->len++] = c;
    return AS_OK;
}

static int emit_placeholder(scanner *s, size_t idx)
{
    char buf[SCAN_PLACEHOLDER_MAX];
    int n = scan_placeholder_json(s->out, 'B', idx, buf, sizeof buf);
    return emit(s, buf, (size_t)n);
}

static as_blob *new_blob(scanner *s, int kind)
{
    as_scan *o = s->out;
    if (o->nblobs == o->blobs_cap) {
        size_t ncap = o->blobs_cap ? o->blobs_cap * 2 : 16;
        as_blob *n = realloc(o->blobs, ncap * sizeof *n);
        if (!n) {
            as_error_set(s->err, AS_ENOMEM, "out of memory");
            return NULL;
        }
        o->blobs = n;
        o->blobs_cap = ncap;
    }
    as_blob *b = &o->blobs[o->nblobs];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->line = s->line;
    s->blob_idx = o->nblobs++;
    return b;
}

/* Ensures room for `more` decoded bytes plus slack. */
static int blob_reserve(scanner *s, as_blob *b, size_t more)
{
    size_t need = b->len + more + 8;
    if (need <= b->cap)
        return AS_OK;
    size_t ncap = b->cap ? b->cap : 1 << 16;
    while (ncap < need)
        ncap *= 2;
    uint8_t *n = as_mem_realloc(b->data, b->cap, ncap, s->err);
    if (!n)
        return as_error_prefix(s->err, "line %zu", s->line);
    b->data = n;
    b->cap = ncap;
    return AS_OK;
}

static const char *prefix_text(int kind)
{
    return kind == BLOB_B64 ? "b64:" : kind == BLOB_B64GZ ? "b64.gz:" : "";
}

/* The long string was not base64 after all: put its text back into the
 * skeleton and continue it as an ordinary string. */
static int blob_fallback(scanner *s)
{
    as_blob *b = s->blob;
    size_t tl;
    char *text = scan_blob_text(b, &tl);
    if (!text)
        return as_error_set(s->err, AS_ENOMEM, "out of memory");
    int rc = emit_c(s, '"');
    if (!rc)
        rc = emit(s, text, tl);
    free(text);
    if (!rc)
        rc = emit(s, s->quad, (size_t)s->qn);
    for (int i = 0; !rc && i < s->pad; i++)
        rc = emit_c(s, '=');
    scan_blob_free(b);
    s->out->nblobs--;
    s->blob = NULL;
    s->mode = M_STRING;
    s->str_b64 = false;
    s->str_is_key = false;
    return rc;
}

static void quad_decode(scanner *s, as_blob *b, int n)
{
    uint8_t v[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        uint8_t out[8];
        size_t ol;
        char g[4] = {s->quad[i], 'A', 'A', 'A'};
        b64_decode_groups(g, 4, out, &ol);
        v[i] = out[0] >> 2;
    }
    b->data[b->len++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
    if (n >= 3)
        b->data[b->len++] = (uint8_t)(v[1] << 4 | v[2] >> 2);
    if (n >= 4)
        b->data[b->len++] = (uint8_t)(v[2] << 6 | v[3]);
}

static int blob_finish(scanner *s)
{
    as_blob *b = s->blob;
    if (s->qn == 1 || (s->pad && s->qn + s->pad != 4))
        return 1; /* not valid base64: caller falls back */
    if (blob_reserve(s, b, 3))
        return -1;
    if (s->qn >= 2)
        quad_decode(s, b, s->qn);
    s->qn = 0;
    /* Give back the unused capacity. */
    if (b->cap > b->len + 8 && b->cap > (1u << 16)) {
        uint8_t *n = as_mem_realloc(b->data, b->cap, b->len + 8, NULL);
        if (n) {
            b->data = n;
            b->cap = b->len + 8;
        }
    }
    s->blob = NULL;
    s->mode = M_NORMAL;
    s->value_is_ndarray = false;
    return emit_placeholder(s, s->blob_idx) ? -1 : 0;
}

/* Feeds base64 text; returns bytes consumed, or (size_t)-1 on error. */
/* How much of a value a skim keeps: the safetensors header (8-byte length,
 * then the header), nothing of raw numpy bytes. */
static size_t skim_keep(const as_blob *b)
{
    if (b->kind != BLOB_BASE64)
        return 0;
    if (b->len < 8)
        return 8;
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--)
        hl = hl << 8 | b->data[i];
    return hl > SKIM_MAX_KEEP ? SKIM_MAX_KEEP : (size_t)hl + 8;
}

static size_t blob_feed(scanner *s, const uint8_t *p, size_t n)
{
    as_blob *b = s->blob;
    size_t i = 0;
    while (i < n) {
        if (s->skim && s->qn == 0 && !s->pad && b->len >= skim_keep(b)) {
            b->skimmed = true;
            b->chars += (uint64_t)(b->len / 3 * 4);
            s->last2[0] = s->last2[1] = 'A';
            s->mode = M_SKIP;
            return i;
        }
        if (s->qn == 0 && !s->pad) {
            size_t avail = (n - i) & ~(size_t)3;
            if (s->skim && avail > 64)
                avail = 64; /* decode the header, then skip */
            if (avail >= 8) {
                if (blob_reserve(s, b, avail / 4 * 3))
                    return (size_t)-1;
                size_t got;
                size_t used = b64_decode_groups((const char *)p + i, avail, b->data + b->len, &got);
                b->len += got;
                i += used;
                if (i >= n)
                    break;
            }
        }
        unsigned char c = p[i];
        if (b64_is_alpha(c) && !s->pad) {
            s->quad[s->qn++] = (char)c;
            i++;
            if (s->qn == 4) {
                if (blob_reserve(s, b, 3))
                    return (size_t)-1;
                quad_decode(s, b, 4);
                s->qn = 0;
            }
            continue;
        }
        if (c == '=' && s->pad < 2 && s->qn >= 2) {
            s->pad++;
            i++;
            continue;
        }
        if (c == '"') {
            int r = blob_finish(s);
            if (r < 0)
                return (size_t)-1;
            if (r > 0) {
                if (blob_fallback(s))
                    return (size_t)-1;
                return i; /* the quote is handled as the string's end */
            }
            return i + 1;
        }
        /* Anything else: this was no base64 string. */
        if (blob_fallback(s))
            return (size_t)-1;
        return i;
    }
    return i;
}

/* Skim: the rest of a base64 value, up to its closing quote. */
static size_t skip_feed(scanner *s, const uint8_t *p, size_t n)
{
    as_blob *b = s->blob;
    const uint8_t *q = memchr(p, '"', n);
    size_t k = q ? (size_t)(q - p) : n;
    if (k >= 2) {
        s->last2[0] = (char)p[k - 2];
        s->last2[1] = (char)p[k - 1];
    } else if (k == 1) {
        s->last2[0] = s->last2[1];
        s->last2[1] = (char)p[0];
    }
    b->chars += k;
    if (!q)
        return n;
    /* Decoded length of the whole value from its character count. */
    uint64_t c = b->chars + (uint64_t)s->qn;
    unsigned pad = (s->last2[1] == '=') + (s->last2[0] == '=');
    uint64_t full = c / 4 * 3, rem = c % 4;
    b->skim_total = rem ? full + (rem >= 2 ? rem - 1 : 0) : full - pad;
    s->blob = NULL;
    s->mode = M_NORMAL;
    s->value_is_ndarray = false;
    if (emit_placeholder(s, s->blob_idx))
        return (size_t)-1;
    return k + 1;
}

/* Skim: a number list under "__ndarray__", skipped to its end. */
static size_t skiplist_feed(scanner *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '[') {
            s->skip_depth++;
        } else if (p[i] == ']') {
            if (--s->skip_depth == 0) {
                s->blob->skimmed = true;
                s->blob = NULL;
                s->mode = M_NORMAL;
                s->value_is_ndarray = false;
                return emit_placeholder(s, s->blob_idx) ? (size_t)-1 : i + 1;
            }
        } else if (p[i] == '\n') {
            s->line++;
        } else if (p[i] == '"' || p[i] == '{') {
            fail(s, "__ndarray__ list holds something that is not a number");
            return (size_t)-1;
        }
    }
    return n;
}

static int start_blob(scanner *s)
{
    as_scan *o = s->out;
    size_t plen = strlen(prefix_text(s->prefix));
    size_t content = s->str_start + 1;
    size_t data_at = content + plen;
    size_t ndata = o->skel.len - data_at;
    /* Copy the characters out before the skeleton is cut back. */
    char tmp[BLOB_THRESHOLD + 16];
    if (ndata > sizeof tmp)
        return as_error_set(s->err, AS_EDATA, "internal: blob start too long");
    memcpy(tmp, o->skel.p + data_at, ndata);
    o->skel.len = s->str_start;
    s->blob = new_blob(s, s->prefix);
    if (!s->blob)
        return AS_ENOMEM;
    s->blob->line = s->blob_line;
    s->qn = 0;
    s->pad = 0;
    s->mode = M_BLOB;
    size_t used = blob_feed(s, (const uint8_t *)tmp, ndata);
    if (used == (size_t)-1)
        return s->err ? s->err->code : AS_EDATA;
    if (used < ndata && s->mode == M_SKIP &&
        skip_feed(s, (const uint8_t *)tmp + used, ndata - used) == (size_t)-1)
        return s->err ? s->err->code : AS_EDATA;
    return AS_OK;
}

static int push(scanner *s, char c)
{
    if (s->depth >= MAX_DEPTH)
        return fail(s, "nesting deeper than %d levels", MAX_DEPTH);
    if (s->depth == s->stack_cap) {
        size_t ncap = s->stack_cap ? s->stack_cap * 2 : 64;
        char *n = realloc(s->stack, ncap);
        if (!n)
            return as_error_set(s->err, AS_ENOMEM, "out of memory");
        s->stack = n;
        s->stack_cap = ncap;
    }
    s->stack[s->depth++] = c;
    return AS_OK;
}

static char top(const scanner *s) { return s->depth ? s->stack[s->depth - 1] : 0; }

/* ---- number lists under "__ndarray__" ---- */

static int list_push_value(scanner *s, double v, bool is_int)
{
    as_blob *b = s->blob;
    if (s->leaf == 0)
        s->leaf = s->ldepth;
    else if (s->leaf != s->ldepth)
        return fail(s, "__ndarray__ list is ragged (numbers at different depths)");
    if (!s->list_need_elem)
        return fail(s, "__ndarray__ list: missing ',' between numbers");
    s->list_need_elem = false;
    if (b->nnums == b->nums_cap) {
        size_t ncap = b->nums_cap ? b->nums_cap * 2 : 256;
        double *n = as_mem_realloc(b->nums, b->nums_cap * sizeof(double), ncap * sizeof(double),
                                   s->err);
        if (!n)
            return as_error_prefix(s->err, "line %zu", s->line);
        b->nums = n;
        b->nums_cap = ncap;
    }
    b->nums[b->nnums++] = v;
    if (!is_int)
        b->all_int = false;
    s->cnt[s->ldepth]++;
    return AS_OK;
}

static int list_flush_number(scanner *s)
{
    if (!s->numlen)
        return AS_OK;
    s->num[s->numlen] = '\0';
    char *end;
    errno = 0;
    double v = strtod(s->num, &end);
    if (*end || end == s->num)
        return fail(s, "__ndarray__ list: '%s' is not a number", s->num);
    bool is_int = s->num_is_int;
    s->numlen = 0;
    return list_push_value(s, v, is_int);
}

static int start_list(scanner *s)
{
    s->blob = new_blob(s, BLOB_NUMS);
    if (!s->blob)
        return AS_ENOMEM;
    s->blob->all_int = true;
    if (s->skim) {
        s->mode = M_SKIPLIST;
        s->skip_depth = 1;
        return AS_OK;
    }
    s->mode = M_NUMLIST;
    s->ldepth = 1;
    s->leaf = 0;
    memset(s->cnt, 0, sizeof s->cnt);
    memset(s->shape_known, 0, sizeof s->shape_known);
    s->numlen = 0;
    s->list_need_elem = true;
    return AS_OK;
}

static int list_close(scanner *s)
{
    int d = s->ldepth;
    if (s->list_need_elem && s->cnt[d] > 0)
        return fail(s, "__ndarray__ list: ',' before ']'");
    if (!s->shape_known[d]) {
        s->shape_known[d] = true;
        s->shape[d] = s->cnt[d];
    } else if (s->shape[d] != s->cnt[d]) {
        return fail(s, "__ndarray__ list is ragged (%zu elements where %zu were expected)",
                    s->cnt[d], s->shape[d]);
    }
    s->ldepth--;
    s->list_need_elem = false;
    if (s->ldepth > 0)
        return AS_OK;
    /* Whole list read. */
    as_blob *b = s->blob;
    int nd = s->leaf ? s->leaf : 1;
    for (int k = 1; k <= AS_MAX_DIMS + 1 && s->shape_known[k]; k++)
        if (k > nd && !s->leaf)
            nd = k;
    b->ndim = nd;
    for (int k = 0; k < nd; k++)
        b->shape[k] = s->shape[k + 1];
    s->blob = NULL;
    s->mode = M_NORMAL;
    s->value_is_ndarray = false;
    return emit_placeholder(s, s->blob_idx);
}

static int list_byte(scanner *s, unsigned char c)
{
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
        s->ws_run = 0;
    switch (c) {
    case '\n':
        s->line++;
        /* fallthrough */
    case ' ': case '\t': case '\r':
        if (ws_count(s, 1))
            return AS_EDATA;
        return list_flush_number(s);
    case '[':
        if (list_flush_number(s))
            return AS_EDATA;
        if (s->leaf && s->ldepth >= s->leaf)
            return fail(s, "__ndarray__ list is ragged (a list where a number was expected)");
        if (s->ldepth >= AS_MAX_DIMS)
            return fail(s, "__ndarray__ list nested deeper than %d", AS_MAX_DIMS);
        if (!s->list_need_elem)
            return fail(s, "__ndarray__ list: missing ','");
        s->cnt[s->ldepth]++;
        s->ldepth++;
        s->cnt[s->ldepth] = 0;
        s->list_need_elem = true;
        return AS_OK;
    case ']':
        if (list_flush_number(s))
            return AS_EDATA;
        return list_close(s);
    case ',':
        if (list_flush_number(s))
            return AS_EDATA;
        if (s->list_need_elem)
            return fail(s, "__ndarray__ list: unexpected ','");
        s->list_need_elem = true;
        return AS_OK;
    case 'N':
    case 'I':
        if (s->numlen == 1 && s->num[0] == '-' && c == 'I') {
            s->numlen = 0;
            s->lit = "-Infinity";
            s->lit_i = 2;
        } else if (s->numlen) {
            return fail(s, "__ndarray__ list: malformed number");
        } else {
            s->lit = c == 'N' ? "NaN" : "Infinity";
            s->lit_i = 1;
        }
        s->lit_in_list = true;
        s->mode = M_LITERAL;
        return AS_OK;
    default:
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
            if (s->numlen >= (int)sizeof s->num - 1)
                return fail(s, "__ndarray__ list: number too long");
            if (!s->numlen)
                s->num_is_int = true;
            if (c == '.' || c == 'e' || c == 'E')
                s->num_is_int = false;
            s->num[s->numlen++] = (char)c;
            return AS_OK;
        }
        if (c == '"' || c == '{' || c == 't' || c == 'f' || c == 'n')
            return fail(s, "__ndarray__ list holds something that is not a number");
        return fail(s, "__ndarray__ list: unexpected character 0x%02x", c);
    }
}

static int literal_done(scanner *s)
{
    double v = s->lit[0] == 'N' ? NAN : s->lit[0] == '-' ? -INFINITY : INFINITY;
    if (s->lit_in_list) {
        s->mode = M_NUMLIST;
        s->lit_in_list = false;
        return list_push_value(s, v, false);
    }
    s->mode = M_NORMAL;
    s->value_is_ndarray = false;
    const char *m = s->lit[0] == 'N' ? "\"\\u0000NaN\"" : s->lit[0] == '-' ? "\"\\u0000-Infinity\""
                                                                          : "\"\\u0000Infinity\"";
    return emit(s, m, strlen(m));
}

/* ---- the main state machine ---- */

static int start_string(scanner *s)
{
    s->str_is_key = top(s) == '{' && s->expect_key;
    s->str_esc = false;
    s->str_b64 = !s->str_is_key;
    s->str_len = 0;
    s->keylen = 0;
    s->prefix = BLOB_BASE64;
    s->pfx_dot = false;
    s->str_start = s->out->skel.len;
    s->blob_line = s->line;
    s->mode = M_STRING;
    return emit_c(s, '"');
}

static void end_string(scanner *s)
{
    s->mode = M_NORMAL;
    if (s->str_is_key) {
        s->ndarray_key = s->keylen == 11 && !memcmp(s->keybuf, "__ndarray__", 11);
        s->expect_key = false;
    } else {
        s->value_is_ndarray = false;
    }
}

/* Does the value string still look like base64, possibly after a "b64:" or
 * "b64.gz:" prefix?  c is the content byte at offset str_len. */
static void check_b64_char(scanner *s, unsigned char c)
{
    size_t k = s->str_len;
    const char *cs = s->out->skel.p + s->str_start + 1;
    if (s->pfx_dot) { /* inside ".gz:" */
        static const char want[] = "gz:";
        if (k >= 4 && k <= 6 && c == (unsigned char)want[k - 4]) {
            if (k == 6) {
                s->prefix = BLOB_B64GZ;
                s->pfx_dot = false;
            }
            return;
        }
        s->str_b64 = false;
        return;
    }
    if (b64_is_alpha(c))
        return;
    if (k == 3 && !memcmp(cs, "b64", 3) && c == ':')
        s->prefix = BLOB_B64;
    else if (k == 3 && !memcmp(cs, "b64", 3) && c == '.')
        s->pfx_dot = true;
    else
        s->str_b64 = false;
}

/* Processes string content from p; returns bytes consumed. */
static size_t string_bytes(scanner *s, const uint8_t *p, size_t n, int *rc)
{
    size_t i = 0;
    *rc = AS_OK;
    while (i < n) {
        if (!s->str_esc && !s->str_b64 && (!s->str_is_key || s->keylen >= sizeof s->keybuf)) {
            /* Plain text: copy the run up to the next quote, backslash or
             * line break in one go. */
            size_t j = i;
            while (j < n && p[j] != '"' && p[j] != '\\' && p[j] != '\n')
                j++;
            if (j > i) {
                if ((*rc = emit(s, p + i, j - i)))
                    return i;
                s->str_len += j - i;
                i = j;
                continue;
            }
        }
        unsigned char c = p[i];
        if (s->str_esc) {
            s->str_esc = false;
        } else if (c == '\\') {
            s->str_esc = true;
            s->str_b64 = false;
        } else if (c == '"') {
            if ((*rc = emit_c(s, '"')))
                return i;
            end_string(s);
            return i + 1;
        } else if (c == '\n') {
            s->line++;
        }
        if (s->str_is_key && s->keylen < sizeof s->keybuf)
            s->keybuf[s->keylen++] = (char)c;
        if (s->str_b64 && !s->str_esc)
            check_b64_char(s, c);
        if ((*rc = emit_c(s, (char)c)))
            return i;
        s->str_len++;
        i++;
        if (s->str_b64 && s->str_len >= BLOB_THRESHOLD) {
            if ((*rc = start_blob(s)))
                return i;
            return i;
        }
    }
    return i;
}

static int normal_byte(scanner *s, unsigned char c)
{
    if (s->minus_pending) {
        s->minus_pending = false;
        if (c == 'I') {
            s->lit = "-Infinity";
            s->lit_i = 2;
            s->mode = M_LITERAL;
            return AS_OK;
        }
        if (emit_c(s, '-'))
            return AS_ENOMEM;
    }
    if (c != '\n')
        s->ws_run = 0;
    switch (c) {
    case '\n':
        s->line++;
        if (ws_count(s, 1))
            return AS_EDATA;
        return emit_c(s, '\n');
    case '"':
        return start_string(s);
    case '{':
        s->value_is_ndarray = false;
        s->expect_key = true;
        if (push(s, '{'))
            return AS_EDATA;
        return emit_c(s, '{');
    case '[':
        if (s->value_is_ndarray) {
            s->value_is_ndarray = false;
            return start_list(s);
        }
        if (push(s, '['))
            return AS_EDATA;
        return emit_c(s, '[');
    case '}':
    case ']':
        if (s->depth)
            s->depth--;
        s->expect_key = false;
        s->value_is_ndarray = false;
        return emit_c(s, (char)c);
    case ':':
        if (s->ndarray_key)
            s->value_is_ndarray = true;
        s->ndarray_key = false;
        return emit_c(s, ':');
    case ',':
        if (top(s) == '{')
            s->expect_key = true;
        s->ndarray_key = false;
        s->value_is_ndarray = false;
        return emit_c(s, ',');
    case 'N':
        s->lit = "NaN";
        s->lit_i = 1;
        s->mode = M_LITERAL;
        return AS_OK;
    case 'I':
        s->lit = "Infinity";
        s->lit_i = 1;
        s->mode = M_LITERAL;
        return AS_OK;
    case '-':
        s->minus_pending = true;
        return AS_OK;
    default:
        return emit_c(s, (char)c);
    }
}

static int feed(scanner *s, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        switch (s->mode) {
        case M_NORMAL: {
            /* Fast path: copy a run of plain structural bytes. */
            size_t j = i, added = 0;
            bool drop = false;
            while (j < n && !s->minus_pending) {
                unsigned char c = p[j];
                if (c == '"' || c == '{' || c == '[' || c == '}' || c == ']' || c == ':' ||
                    c == ',' || c == 'N' || c == 'I' || c == '-' || c == '\n')
                    break;
                if (c < 0x20 && c != ' ' && c != '\t' && c != '\r')
                    return fail(s, "not valid JSON: the byte 0x%02x outside a string", c);
                if (c >= 0x7f)   /* binary data, not JSON: stop now, not at its end */
                    return fail(s, "not valid JSON: the byte 0x%02x outside a string", c);
                if (c == ' ' || c == '\t' || c == '\r') {
                    if (s->ws_run + added >= WS_KEEP) {
                        drop = true;
                        break;
                    }
                    added++;
                } else {
                    s->ws_run = 0;
                    added = 0;
                }
                j++;
            }
            if (added && ws_count(s, added))
                return AS_EDATA;
            if (j > i) {
                if (emit(s, p + i, j - i))
                    return AS_ENOMEM;
                i = j;
                continue;
            }
            if (drop) {
                /* A long run of white space: counted, not kept. */
                while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r'))
                    j++;
                if (ws_count(s, j - i))
                    return AS_EDATA;
                i = j;
                continue;
            }
            if (normal_byte(s, p[i]))
                return s->err ? s->err->code : AS_EDATA;
            i++;
            break;
        }
        case M_STRING: {
            int rc;
            i += string_bytes(s, p + i, n - i, &rc);
            if (rc)
                return rc;
            break;
        }
        case M_BLOB: {
            size_t used = blob_feed(s, p + i, n - i);
            if (used == (size_t)-1)
                return s->err ? s->err->code : AS_EDATA;
            i += used;
            break;
        }
        case M_LITERAL:
            if (p[i] != (unsigned char)s->lit[s->lit_i]) {
                if (s->lit_in_list)
                    return fail(s, "__ndarray__ list: invalid literal (expected %s)", s->lit);
                /* Not NaN / Infinity: hand the text to the JSON parser, which
                 * reports it with line and column. */
                if (emit(s, s->lit, (size_t)s->lit_i))
                    return AS_ENOMEM;
                s->mode = M_NORMAL;
                break;
            }
            i++;
            if (s->lit[++s->lit_i] == '\0' && literal_done(s))
                return s->err ? s->err->code : AS_EDATA;
            break;
        case M_NUMLIST:
            if (list_byte(s, p[i]))
                return s->err ? s->err->code : AS_EDATA;
            i++;
            break;
        case M_SKIP:
        case M_SKIPLIST: {
            size_t used = s->mode == M_SKIP ? skip_feed(s, p + i, n - i)
                                            : skiplist_feed(s, p + i, n - i);
            if (used == (size_t)-1)
                return s->err && s->err->code ? s->err->code : AS_ENOMEM;
            i += used;
            break;
        }
        }
    }
    return AS_OK;
}

static uint64_t make_nonce(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec ^
                 ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&ts;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return x;
}

/* The kind of compressed or archive data that starts at p, if any. */
static const char *packed_kind(const uint8_t *p, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } kinds[] = {
        {"\x1f\x8b", 2, "gzip"},
        {"\x28\xb5\x2f\xfd", 4, "zstd"},
        {"\xfd" "7zXZ\x00", 6, "xz"},
        {"BZh", 3, "bzip2"},
        {"PK\x03\x04", 4, "zip"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (n >= kinds[k].len && !memcmp(p, kinds[k].magic, kinds[k].len))
            return kinds[k].name;
    return NULL;
}

int scan_run(as_source *src, as_scan *out, bool skim, scan_progress_fn progress, void *ud,
             as_error *err)
{
    memset(out, 0, sizeof *out);
    out->skel = as_buf_counted(err);
    out->nonce = make_nonce();
    scanner s = {.out = out, .err = err, .line = 1, .mode = M_NORMAL, .skim = skim};
    int rc = AS_OK;
    uint64_t last_report = 0;
    bool first_seen = false;
    for (;;) {
        const uint8_t *p;
        size_t n;
        if ((rc = src_next(src, &p, &n, err)))
            break;
        if (n == 0)
            break;
        /* The first byte that is not white space decides at once whether
         * this can be JSON: /dev/zero or a binary file stops here, not
         * after being read whole. */
        for (size_t i = 0; !first_seen && i < n; i++) {
            uint8_t b = p[i];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t')
                continue;
            first_seen = true;
            const char *what = b != '{' && b != '[' ? packed_kind(p + i, n - i) : NULL;
            if (what) {
                rc = as_error_set(err, AS_EDATA, "not a JSON file: it holds %s data%s", what,
                                  src_is_gzip(src) ? " inside the gzip stream (compressed twice?)"
                                                   : "; decompress it first");
            } else if (b != '{' && b != '[') {
                if (b >= 0x20 && b < 0x7f)
                    rc = as_error_set(err, AS_EDATA, "not a JSON file (it starts with '%c')", b);
                else
                    rc = as_error_set(err, AS_EDATA,
                                      "not a JSON file (it starts with the byte 0x%02x)", b);
            }
        }
        if (rc)
            break;
        if ((rc = feed(&s, p, n)))
            break;
        if (progress && src_done(src) - last_report >= (4u << 20)) {
            last_report = src_done(src);
            progress(ud, last_report, src_total(src));
        }
    }
    if (!rc) {
        if (s.minus_pending)
            rc = emit_c(&s, '-');
        switch (s.mode) {
        case M_STRING:
        case M_BLOB:
        case M_SKIP:
            rc = fail(&s, "the file ends inside a string (truncated file?)");
            break;
        case M_LITERAL:
            rc = fail(&s, "the file ends inside %s (truncated file?)", s.lit);
            break;
        case M_SKIPLIST:
        case M_NUMLIST:
            rc = fail(&s, "the file ends inside an __ndarray__ list (truncated file?)");
            break;
        default:
            break;
        }
    }
    if (s.blob && s.mode == M_BLOB) {
        /* An unfinished blob is still in the table; scan_free() frees it. */
    }
    free(s.stack);
    /* The text is written without its NUL while it grows. */
    if (!rc && skel_reserve(&s, 1) == AS_OK)
        out->skel.p[out->skel.len] = '\0';
    if (!rc && progress)
        progress(ud, src_done(src), src_total(src));
    return rc;
}

int scan_placeholder_json(const as_scan *sc, char kind, size_t idx, char *buf, size_t cap)
{
    return snprintf(buf, cap, "\"\\u0000%c%016" PRIx64 ":%zu\"", kind, sc->nonce, idx);
}

bool scan_placeholder_kind(const as_scan *sc, char kind, const char *s, size_t n, size_t limit,
                           size_t *idx)
{
    if (n < 20 || s[0] != '\0' || s[1] != kind || s[18] != ':')
        return false;
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, sc->nonce);
    if (memcmp(s + 2, hex, 16) != 0)
        return false;
    size_t k = 0;
    for (size_t i = 19; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || k > limit)
            return false;
        k = k * 10 + (size_t)(s[i] - '0');
    }
    if (k >= limit)
        return false;
    *idx = k;
    return true;
}

bool scan_placeholder(const as_scan *sc, const char *s, size_t n, size_t *idx)
{
    return scan_placeholder_kind(sc, 'B', s, n, sc->nblobs, idx);
}

char *scan_placeholder_text(const as_scan *sc, const char *s, size_t n, size_t *idx,
                            size_t *len)
{
    if (!scan_placeholder(sc, s, n, idx))
        return NULL;
    const as_blob *b = &sc->blobs[*idx];
    if (b->kind == BLOB_NUMS || !b->data)
        return NULL;
    return scan_blob_text(b, len);
}

char *scan_blob_text(const as_blob *b, size_t *len)
{
    const char *pre = prefix_text(b->kind);
    size_t pl = strlen(pre);
    size_t el = b64_encoded_len(b->len);
    char *t = malloc(pl + el + 1);
    if (!t)
        return NULL;
    memcpy(t, pre, pl);
    /* Only whole groups are in data; encoding them gives the original text. */
    size_t w = b64_encode(b->data, b->len, t + pl);
    t[pl + w] = '\0';
    *len = pl + w;
    return t;
}

void scan_blob_free(as_blob *b)
{
    as_mem_free(b->data, b->cap);
    as_mem_free(b->nums, b->nums_cap * sizeof(double));
    b->data = NULL;
    b->nums = NULL;
    b->cap = b->nums_cap = 0;
}

void scan_free(as_scan *sc)
{
    for (size_t i = 0; i < sc->nblobs; i++)
        scan_blob_free(&sc->blobs[i]);
    free(sc->blobs);
    as_buf_free(&sc->skel);
    memset(sc, 0, sizeof *sc);
}
