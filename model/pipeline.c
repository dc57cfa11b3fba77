#include "pipeline.h"
#include "suggest.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Tables ---------------------------------------------------------- */

static const char *const kind_names[AS_AGG_NKINDS] = {
    [AS_AGG_SCORES] = "scores",   [AS_AGG_SPANS] = "spans",   [AS_AGG_SUBWORDS] = "subwords",
    [AS_AGG_SPLIT] = "split",     [AS_AGG_SLICES] = "slices", [AS_AGG_PAIR] = "pair",
    [AS_AGG_DEFAULT] = "default",
};

static const char *const fn_names[AS_FN_COUNT] = {
    [AS_FN_NONE] = "",     [AS_FN_MEAN] = "mean", [AS_FN_MAX] = "max",
    [AS_FN_MIN] = "min",   [AS_FN_SUM] = "sum",   [AS_FN_PROD] = "prod",
    [AS_FN_ABSMAX] = "absmax", [AS_FN_VNORM] = "vnorm",
};

static const char *const key_names[AS_KEY_COUNT] = {
    [AS_KEY_SOURCE_SPANS] = "source_spans",
    [AS_KEY_TARGET_SPANS] = "target_spans",
    [AS_KEY_SPECIAL_CHARS] = "special_chars",
    [AS_KEY_IS_SUFFIX_SYMBOL] = "is_suffix_symbol",
    [AS_KEY_SPLIT_PATTERN] = "split_pattern",
    [AS_KEY_SPLIT_MODE] = "split_mode",
    [AS_KEY_NORMALIZE] = "normalize",
    [AS_KEY_RESCALE] = "rescale",
    [AS_KEY_SELECT_IDX] = "select_idx",
    [AS_KEY_VNORM_ORD] = "vnorm_ord",
    [AS_KEY_AGGREGATE_SOURCE] = "aggregate_source",
    [AS_KEY_AGGREGATE_TARGET] = "aggregate_target",
    [AS_KEY_WITH] = "with",
};

#define K(k) (1u << (k))

/* Keys each aggregator accepts (vnorm_ord is added when the function is vnorm). */
static const unsigned kind_keys[AS_AGG_NKINDS] = {
    [AS_AGG_SCORES] = K(AS_KEY_NORMALIZE) | K(AS_KEY_RESCALE) | K(AS_KEY_SELECT_IDX),
    [AS_AGG_SPANS] = K(AS_KEY_SOURCE_SPANS) | K(AS_KEY_TARGET_SPANS),
    [AS_AGG_SUBWORDS] = K(AS_KEY_SPECIAL_CHARS) | K(AS_KEY_IS_SUFFIX_SYMBOL) |
                        K(AS_KEY_AGGREGATE_SOURCE) | K(AS_KEY_AGGREGATE_TARGET),
    [AS_AGG_SPLIT] = K(AS_KEY_SPLIT_PATTERN) | K(AS_KEY_SPLIT_MODE) |
                     K(AS_KEY_AGGREGATE_SOURCE) | K(AS_KEY_AGGREGATE_TARGET),
    [AS_AGG_SLICES] = K(AS_KEY_SOURCE_SPANS) | K(AS_KEY_TARGET_SPANS),
    [AS_AGG_PAIR] = K(AS_KEY_WITH),
    [AS_AGG_DEFAULT] = 0,
};

static bool kind_takes_fn(as_agg_kind k)
{
    return k == AS_AGG_SCORES || k == AS_AGG_SPANS || k == AS_AGG_SUBWORDS || k == AS_AGG_SPLIT;
}

/* Keys allowed for a step of kind k with function fn. */
static unsigned allowed_keys(as_agg_kind k, as_agg_fn fn)
{
    unsigned m = kind_keys[k];
    if (fn == AS_FN_VNORM || (k == AS_AGG_SCORES && fn == AS_FN_NONE))
        m |= K(AS_KEY_VNORM_ORD);
    return m;
}

const char *pipe_kind_name(as_agg_kind k)
{
    return (unsigned)k < AS_AGG_NKINDS ? kind_names[k] : "?";
}

const char *pipe_fn_name(as_agg_fn f) { return (unsigned)f < AS_FN_COUNT ? fn_names[f] : "?"; }

const char *pipe_key_name(as_pipe_key k) { return (unsigned)k < AS_KEY_COUNT ? key_names[k] : "?"; }

bool pipe_fn_parse(const char *name, as_agg_fn *out)
{
    for (int f = AS_FN_MEAN; f < AS_FN_COUNT; f++)
        if (!strcmp(name, fn_names[f])) {
            *out = (as_agg_fn)f;
            return true;
        }
    return false;
}

static bool kind_parse(const char *name, as_agg_kind *out)
{
    for (int k = 0; k < AS_AGG_NKINDS; k++)
        if (!strcmp(name, kind_names[k])) {
            *out = (as_agg_kind)k;
            return true;
        }
    return false;
}

static bool key_parse(const char *name, as_pipe_key *out)
{
    for (int k = 0; k < AS_KEY_COUNT; k++)
        if (!strcmp(name, key_names[k])) {
            *out = (as_pipe_key)k;
            return true;
        }
    return false;
}

as_agg_fn pipe_default_fn(as_agg_kind k)
{
    switch (k) {
    case AS_AGG_SPANS:
    case AS_AGG_SUBWORDS:
    case AS_AGG_SPLIT:
        return AS_FN_ABSMAX;
    default:
        return AS_FN_NONE;
    }
}

/* ---- Steps ----------------------------------------------------------- */

void pipe_step_init(as_pipe_step *s, as_agg_kind kind)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->fn = AS_FN_NONE;
    s->normalize = true;
    s->vnorm_ord = 2;
    s->aggregate_source = true;
    s->aggregate_target = true;
    s->split_mode = AS_SPLIT_SINGLE;
}

void pipe_step_free(as_pipe_step *s)
{
    if (!s)
        return;
    free(s->source_spans.v);
    free(s->target_spans.v);
    for (size_t i = 0; i < s->nspecial; i++)
        free(s->special_chars[i]);
    free(s->special_chars);
    free(s->split_pattern);
    free(s->select_idx.list);
    memset(s, 0, sizeof *s);
}

void pipe_free(as_pipeline *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsteps; i++)
        pipe_step_free(&p->steps[i]);
    free(p->steps);
    memset(p, 0, sizeof *p);
}

static int step_copy(as_pipe_step *d, const as_pipe_step *s)
{
    *d = *s;
    d->source_spans.v = NULL;
    d->target_spans.v = NULL;
    d->special_chars = NULL;
    d->nspecial = 0;
    d->split_pattern = NULL;
    d->select_idx.list = NULL;
    d->select_idx.nlist = 0;
    if (s->source_spans.n) {
        if (!(d->source_spans.v = malloc(s->source_spans.n * sizeof(as_span))))
            goto fail;
        memcpy(d->source_spans.v, s->source_spans.v, s->source_spans.n * sizeof(as_span));
    }
    if (s->target_spans.n) {
        if (!(d->target_spans.v = malloc(s->target_spans.n * sizeof(as_span))))
            goto fail;
        memcpy(d->target_spans.v, s->target_spans.v, s->target_spans.n * sizeof(as_span));
    }
    if (s->nspecial) {
        if (!(d->special_chars = calloc(s->nspecial, sizeof(char *))))
            goto fail;
        for (size_t i = 0; i < s->nspecial; i++) {
            d->nspecial = i + 1;
            if (!(d->special_chars[i] = strdup(s->special_chars[i])))
                goto fail;
        }
    }
    if (s->split_pattern && !(d->split_pattern = strdup(s->split_pattern)))
        goto fail;
    if (s->select_idx.nlist) {
        if (!(d->select_idx.list = malloc(s->select_idx.nlist * sizeof(long))))
            goto fail;
        memcpy(d->select_idx.list, s->select_idx.list, s->select_idx.nlist * sizeof(long));
        d->select_idx.nlist = s->select_idx.nlist;
    }
    return AS_OK;
fail:
    pipe_step_free(d);
    return AS_ENOMEM;
}

int pipe_copy(as_pipeline *dst, const as_pipeline *src, as_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->form = src->form;
    if (!src->nsteps)
        return AS_OK;
    dst->steps = calloc(src->nsteps, sizeof *dst->steps);
    if (!dst->steps)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < src->nsteps; i++) {
        if (step_copy(&dst->steps[i], &src->steps[i])) {
            pipe_free(dst);
            return as_error_set(err, AS_ENOMEM, "out of memory");
        }
        dst->nsteps = i + 1;
    }
    return AS_OK;
}

/* ---- Parser ---------------------------------------------------------- */

typedef struct parser {
    const char *text;
    size_t pos;
    size_t stepno;              /* 1-based number of the step being parsed */
    char stepname[64];          /* as written, for messages */
    as_pipe_errpos *epos;
    as_error *err;
} parser;

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skip_ws(parser *p)
{
    while (is_ws(p->text[p->pos]))
        p->pos++;
}

__attribute__((format(printf, 4, 5)))
static int perr(parser *p, size_t off, size_t len, const char *fmt, ...)
{
    char msg[AS_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->epos) {
        p->epos->step = p->stepno;
        p->epos->offset = off;
        p->epos->len = len;
    }
    if (p->stepno && p->stepname[0])
        return as_error_set(p->err, AS_EUSAGE, "step %zu '%s': %s", p->stepno, p->stepname, msg);
    if (p->stepno)
        return as_error_set(p->err, AS_EUSAGE, "step %zu: %s", p->stepno, msg);
    return as_error_set(p->err, AS_EUSAGE, "%s", msg);
}

/* Joins names from a NULL-terminated list, or from a mask of keys. */
static void join_keys(char *buf, size_t len, unsigned mask)
{
    buf[0] = 0;
    size_t n = 0;
    for (int k = 0; k < AS_KEY_COUNT; k++) {
        if (!(mask & K(k)))
            continue;
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", key_names[k]);
    }
    if (!n)
        snprintf(buf, len, "(none)");
}

static void join_fns(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int f = AS_FN_MEAN; f < AS_FN_COUNT; f++)
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", fn_names[f]);
}

static bool parse_long(const char *s, size_t n, long *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    if (!(buf[0] == '-' || buf[0] == '+' || (buf[0] >= '0' && buf[0] <= '9')))
        return false;
    char *end;
    errno = 0;
    long v = strtol(buf, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int parse_bool(parser *p, const char *v, size_t off, size_t len, const char *key, bool *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "1")) {
        *out = true;
        return AS_OK;
    }
    if (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "0")) {
        *out = false;
        return AS_OK;
    }
    return perr(p, off, len, "%s must be true or false, not '%s'", key, v);
}

static int parse_spans(parser *p, const char *v, size_t off, size_t len, const char *key,
                       as_spans *out)
{
    size_t cap = 1;
    for (const char *c = v; *c; c++)
        cap += *c == ',';
    out->v = calloc(cap, sizeof *out->v);
    out->n = 0;
    if (!out->v)
        return as_error_set(p->err, AS_ENOMEM, "out of memory");
    const char *s = v;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        const char *colon = memchr(s, ':', n);
        long a, b;
        if (!colon || !parse_long(s, (size_t)(colon - s), &a) ||
            !parse_long(colon + 1, n - (size_t)(colon + 1 - s), &b))
            return perr(p, off, len, "%s: '%.*s' is not a span A:B (two token indices, end excluded)",
                        key, (int)n, s);
        if (a < 0 || b < 0)
            return perr(p, off, len, "%s: span %ld:%ld has a negative index", key, a, b);
        if (b <= a)
            return perr(p, off, len, "%s: span %ld:%ld is empty (the end index is excluded)", key, a,
                        b);
        if (out->n && a < out->v[out->n - 1].end)
            return perr(p, off, len,
                        "%s: spans must be in ascending order and must not overlap, but %ld:%ld "
                        "starts before %ld:%ld ends",
                        key, a, b, out->v[out->n - 1].start, out->v[out->n - 1].end);
        out->v[out->n].start = a;
        out->v[out->n].end = b;
        out->n++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return AS_OK;
}

static int parse_select(parser *p, const char *v, size_t off, size_t len, as_select *out)
{
    const char *colon = strchr(v, ':');
    if (colon) {
        long a, b;
        if (!parse_long(v, (size_t)(colon - v), &a) || !parse_long(colon + 1, strlen(colon + 1), &b))
            return perr(p, off, len, "select_idx: '%s' is not N, A:B or a list N,N,...", v);
        if (((a >= 0) == (b >= 0)) && a >= b)
            return perr(p, off, len, "select_idx: range %ld:%ld is empty", a, b);
        out->kind = AS_SELECT_RANGE;
        out->start = a;
        out->end = b;
        return AS_OK;
    }
    if (!strchr(v, ',')) {
        long a;
        if (!parse_long(v, strlen(v), &a))
            return perr(p, off, len, "select_idx: '%s' is not N, A:B or a list N,N,...", v);
        out->kind = AS_SELECT_INDEX;
        out->index = a;
        return AS_OK;
    }
    size_t cap = 1;
    for (const char *c = v; *c; c++)
        cap += *c == ',';
    out->list = calloc(cap, sizeof(long));
    if (!out->list)
        return as_error_set(p->err, AS_ENOMEM, "out of memory");
    out->kind = AS_SELECT_LIST;
    const char *s = v;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        long a;
        if (!parse_long(s, n, &a))
            return perr(p, off, len, "select_idx: '%.*s' in '%s' is not an index", (int)n, s, v);
        for (size_t i = 0; i < out->nlist; i++)
            if (out->list[i] == a)
                return perr(p, off, len, "select_idx: index %ld is given twice", a);
        out->list[out->nlist++] = a;
        if (!comma)
            break;
        s = comma + 1;
    }
    return AS_OK;
}

static int parse_special(parser *p, const char *v, size_t off, size_t len, as_pipe_step *st)
{
    size_t cap = 1;
    for (const char *c = v; *c; c++)
        cap += *c == ',';
    st->special_chars = calloc(cap, sizeof(char *));
    if (!st->special_chars)
        return as_error_set(p->err, AS_ENOMEM, "out of memory");
    const char *s = v;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n == 0)
            return perr(p, off, len, "special_chars: empty symbol in '%s'", v);
        if (!(st->special_chars[st->nspecial] = strndup(s, n)))
            return as_error_set(p->err, AS_ENOMEM, "out of memory");
        st->nspecial++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return AS_OK;
}

static int parse_ord(parser *p, const char *v, size_t off, size_t len, double *out)
{
    if (!strcmp(v, "inf") || !strcmp(v, "+inf")) {
        *out = INFINITY;
        return AS_OK;
    }
    if (!strcmp(v, "-inf")) {
        *out = -INFINITY;
        return AS_OK;
    }
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(d) || is_ws(*v))
        return perr(p, off, len, "vnorm_ord must be a number, inf or -inf, not '%s'", v);
    *out = d;
    return AS_OK;
}

/* Reads a value at p->pos into a malloc'd string. */
static int read_value(parser *p, char **out)
{
    const char *t = p->text;
    size_t start = p->pos;
    char q = t[p->pos];
    *out = NULL;
    if (q == '\'' || q == '"') {
        size_t i = p->pos + 1, n = 0;
        char *buf = malloc(strlen(t + i) + 1);
        if (!buf)
            return as_error_set(p->err, AS_ENOMEM, "out of memory");
        for (;;) {
            char c = t[i];
            if (!c) {
                free(buf);
                return perr(p, start, i - start, "unterminated %s quote starting at column %zu",
                            q == '\'' ? "single" : "double", start + 1);
            }
            if (c == q) {
                i++;
                break;
            }
            if (q == '"' && c == '\\' && (t[i + 1] == '"' || t[i + 1] == '\\')) {
                buf[n++] = t[i + 1];
                i += 2;
                continue;
            }
            buf[n++] = c;
            i++;
        }
        buf[n] = 0;
        if (t[i] && !is_ws(t[i]) && t[i] != '|') {
            free(buf);
            return perr(p, i, 1, "expected a space or '|' after the closing quote at column %zu", i);
        }
        p->pos = i;
        *out = buf;
        return AS_OK;
    }
    while (t[p->pos] && !is_ws(t[p->pos]) && t[p->pos] != '|')
        p->pos++;
    *out = strndup(t + start, p->pos - start);
    return *out ? AS_OK : as_error_set(p->err, AS_ENOMEM, "out of memory");
}

static int set_key(parser *p, as_pipe_step *st, as_pipe_key key, const char *v, size_t off,
                   size_t len)
{
    const char *kn = key_names[key];
    switch (key) {
    case AS_KEY_SOURCE_SPANS:
        return parse_spans(p, v, off, len, kn, &st->source_spans);
    case AS_KEY_TARGET_SPANS:
        return parse_spans(p, v, off, len, kn, &st->target_spans);
    case AS_KEY_SPECIAL_CHARS:
        return parse_special(p, v, off, len, st);
    case AS_KEY_IS_SUFFIX_SYMBOL:
        return parse_bool(p, v, off, len, kn, &st->is_suffix_symbol);
    case AS_KEY_SPLIT_PATTERN:
        if (!*v)
            return perr(p, off, len, "split_pattern is empty");
        st->split_pattern = strdup(v);
        return st->split_pattern ? AS_OK : as_error_set(p->err, AS_ENOMEM, "out of memory");
    case AS_KEY_SPLIT_MODE:
        if (!strcmp(v, "single"))
            st->split_mode = AS_SPLIT_SINGLE;
        else if (!strcmp(v, "start"))
            st->split_mode = AS_SPLIT_START;
        else if (!strcmp(v, "end"))
            st->split_mode = AS_SPLIT_END;
        else
            return perr(p, off, len, "split_mode must be single, start or end, not '%s'", v);
        return AS_OK;
    case AS_KEY_NORMALIZE:
        return parse_bool(p, v, off, len, kn, &st->normalize);
    case AS_KEY_RESCALE:
        return parse_bool(p, v, off, len, kn, &st->rescale);
    case AS_KEY_SELECT_IDX:
        return parse_select(p, v, off, len, &st->select_idx);
    case AS_KEY_VNORM_ORD:
        return parse_ord(p, v, off, len, &st->vnorm_ord);
    case AS_KEY_AGGREGATE_SOURCE:
        return parse_bool(p, v, off, len, kn, &st->aggregate_source);
    case AS_KEY_AGGREGATE_TARGET:
        return parse_bool(p, v, off, len, kn, &st->aggregate_target);
    case AS_KEY_WITH: {
        long w;
        if (!parse_long(v, strlen(v), &w) || w < 0)
            return perr(p, off, len, "with must be a sequence index (0, 1, ...), not '%s'", v);
        st->with = w;
        return AS_OK;
    }
    case AS_KEY_COUNT:
        break;
    }
    return perr(p, off, len, "internal error: unhandled key");
}

/* Parses "NAME[:FN]" at p->pos. */
static int parse_name(parser *p, as_pipe_step *st, bool *is_none)
{
    const char *t = p->text;
    size_t start = p->pos;
    while (t[p->pos] && !is_ws(t[p->pos]) && t[p->pos] != '|')
        p->pos++;
    size_t n = p->pos - start;
    const char *word = t + start;
    const char *colon = memchr(word, ':', n);
    size_t nn = colon ? (size_t)(colon - word) : n;
    snprintf(p->stepname, sizeof p->stepname, "%.*s", (int)(nn < 60 ? nn : 60), word);
    char fns[128];
    join_fns(fns, sizeof fns);
    *is_none = false;
    if (memchr(word, '=', n)) {
        p->stepname[0] = 0;
        return perr(p, start, n, "expected a step name before '%.*s' (one of scores, spans, "
                    "subwords, split, slices, pair, or a function: %s)", (int)n, word, fns);
    }
    char name[64];
    if (nn >= sizeof name) {
        p->stepname[0] = 0;
        return perr(p, start, nn, "unknown step '%.*s...'", 20, word);
    }
    memcpy(name, word, nn);
    name[nn] = 0;
    as_agg_fn fn;
    if (!strcmp(name, "none")) {
        *is_none = true;
        pipe_step_init(st, AS_AGG_SCORES);
    } else if (kind_parse(name, &st->kind)) {
        pipe_step_init(st, st->kind);
    } else if (pipe_fn_parse(name, &fn)) {
        pipe_step_init(st, AS_AGG_SCORES);
        st->fn = fn;
        if (colon)
            return perr(p, start, n,
                        "'%s' is a function (scores with %s); it takes no ':FN' (use scores:FN "
                        "or the bare function name)", name, name);
    } else {
        p->stepname[0] = 0;
        const char *near = suggest_near(name, pipe_step_names(), SIZE_MAX);
        char dym[96] = "";
        if (near)
            snprintf(dym, sizeof dym, " (did you mean '%s'?)", near);
        return perr(p, start, nn, "unknown step '%s'%s; expected one of scores, spans, subwords, "
                    "split, slices, pair, default, none, or a function: %s", name, dym, fns);
    }
    st->offset = start;
    if (colon) {
        size_t fo = start + nn + 1, fl = n - nn - 1;
        if (*is_none || !kind_takes_fn(st->kind))
            return perr(p, start, n, "'%s' takes no function", name);
        char fname[32];
        snprintf(fname, sizeof fname, "%.*s", (int)(fl < 30 ? fl : 30), t + fo);
        if (!fl)
            return perr(p, fo, 0, "missing function name after ':'; expected one of %s", fns);
        if (!pipe_fn_parse(fname, &st->fn)) {
            const char *near = suggest_near(fname, pipe_fn_names(), SIZE_MAX);
            char dym[64] = "";
            if (near)
                snprintf(dym, sizeof dym, " (did you mean '%s'?)", near);
            return perr(p, fo, fl, "unknown function '%s'%s; expected one of %s", fname, dym,
                        fns);
        }
    }
    return AS_OK;
}

static int parse_step(parser *p, as_pipe_step *st, bool *is_none)
{
    int rc = parse_name(p, st, is_none);
    if (rc)
        return rc;
    unsigned allowed = *is_none ? 0 : allowed_keys(st->kind, st->fn);
    const char *t = p->text;
    for (;;) {
        skip_ws(p);
        if (!t[p->pos] || t[p->pos] == '|')
            break;
        size_t ks = p->pos;
        while (t[p->pos] && !is_ws(t[p->pos]) && t[p->pos] != '|' && t[p->pos] != '=')
            p->pos++;
        size_t kl = p->pos - ks;
        char keys[512];
        join_keys(keys, sizeof keys, allowed);
        if (t[p->pos] != '=') {
            if (*is_none || !allowed)
                return perr(p, ks, kl, "takes no options, found '%.*s'", (int)kl, t + ks);
            return perr(p, ks, kl, "expected KEY=VALUE, found '%.*s'; keys: %s", (int)kl, t + ks,
                        keys);
        }
        char kname[40];
        snprintf(kname, sizeof kname, "%.*s", (int)(kl < 36 ? kl : 36), t + ks);
        as_pipe_key key;
        if (!kl)
            return perr(p, ks, 1, "'=' without a key");
        if (!key_parse(kname, &key) || !(allowed & K(key))) {
            if (key_parse(kname, &key) && key == AS_KEY_VNORM_ORD)
                return perr(p, ks, kl, "vnorm_ord applies only to the vnorm function");
            if (!allowed)
                return perr(p, ks, kl, "takes no options, found '%s'", kname);
            const char *cand[AS_KEY_COUNT];
            size_t nc = 0;
            for (int k = 0; k < AS_KEY_COUNT; k++)
                if (allowed & K(k))
                    cand[nc++] = key_names[k];
            const char *near = suggest_near(kname, cand, nc);
            char dym[64] = "";
            if (near)
                snprintf(dym, sizeof dym, " (did you mean '%s'?)", near);
            return perr(p, ks, kl, "unknown key '%s'%s; expected one of %s", kname, dym, keys);
        }
        if (st->set & K(key))
            return perr(p, ks, kl, "key '%s' is given twice", kname);
        p->pos++; /* '=' */
        size_t vs = p->pos;
        char *v;
        if ((rc = read_value(p, &v)))
            return rc;
        if (p->pos == vs) {
            free(v);
            return perr(p, ks, kl + 1, "%s has no value", kname);
        }
        rc = set_key(p, st, key, v, vs, p->pos - vs);
        free(v);
        if (rc)
            return rc;
        st->set |= K(key);
    }
    st->len = p->pos - st->offset;
    while (st->len && is_ws(t[st->offset + st->len - 1]))
        st->len--;
    if (st->kind == AS_AGG_SPLIT && !(st->set & K(AS_KEY_SPLIT_PATTERN)))
        return perr(p, st->offset, st->len, "split_pattern is required (a regular expression)");
    if (st->kind == AS_AGG_PAIR && !(st->set & K(AS_KEY_WITH)))
        return perr(p, st->offset, st->len,
                    "with=N is required (the index of the sequence to pair with)");
    if (st->rescale && st->normalize)
        return perr(p, st->offset, st->len,
                    "rescale=true needs normalize=false (only one of normalize and rescale can "
                    "be on, and normalize is on by default)");
    return AS_OK;
}

int pipe_parse(const char *text, as_pipeline *out, as_pipe_errpos *pos, as_error *err)
{
    parser p = {.text = text ? text : "", .epos = pos, .err = err};
    memset(out, 0, sizeof *out);
    if (pos)
        memset(pos, 0, sizeof *pos);
    size_t cap = 1;
    for (const char *c = p.text; *c; c++)
        cap += *c == '|';
    skip_ws(&p);
    if (!p.text[p.pos])
        return perr(&p, 0, 0, "empty pipeline (use 'default' or 'none')");
    out->steps = calloc(cap, sizeof *out->steps);
    if (!out->steps)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    out->form = AS_PIPE_STEPS;
    bool saw_none = false;
    size_t none_at = 0;
    for (;;) {
        p.stepno = out->nsteps + 1;
        p.stepname[0] = 0;
        skip_ws(&p);
        if (!p.text[p.pos] || p.text[p.pos] == '|') {
            int rc = perr(&p, p.pos, 0, "is empty (nothing between '|' separators)");
            pipe_free(out);
            return rc;
        }
        as_pipe_step *st = &out->steps[out->nsteps];
        bool is_none;
        int rc = parse_step(&p, st, &is_none);
        out->nsteps++;
        if (rc) {
            pipe_free(out);
            return rc;
        }
        if (is_none) {
            saw_none = true;
            none_at = st->offset;
        }
        skip_ws(&p);
        if (!p.text[p.pos])
            break;
        p.pos++; /* '|' */
    }
    if (saw_none) {
        if (out->nsteps > 1) {
            p.stepno = 0;
            pipe_free(out);
            return perr(&p, none_at, 4, "'none' must be the whole pipeline");
        }
        pipe_free(out);
        out->form = AS_PIPE_NONE;
    } else if (out->nsteps == 1 && out->steps[0].kind == AS_AGG_DEFAULT) {
        pipe_free(out);
        out->form = AS_PIPE_DEFAULT;
    }
    return AS_OK;
}

/* ---- Formatter ------------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    bool fail;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->fail)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->fail = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void sb_fmt(sbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A value, quoted when it must be. */
static void sb_value(sbuf *b, const char *v)
{
    bool need = !*v || v[0] == '\'' || v[0] == '"';
    for (const char *c = v; *c && !need; c++)
        need = is_ws(*c) || *c == '|';
    if (!need) {
        sb_str(b, v);
        return;
    }
    if (!strchr(v, '\'')) {
        sb_str(b, "'");
        sb_str(b, v);
        sb_str(b, "'");
        return;
    }
    sb_str(b, "\"");
    for (const char *c = v; *c; c++) {
        if (*c == '"' || *c == '\\')
            sb_str(b, "\\");
        sb_add(b, c, 1);
    }
    sb_str(b, "\"");
}

static void sb_spans(sbuf *b, const as_spans *s)
{
    for (size_t i = 0; i < s->n; i++)
        sb_fmt(b, "%s%ld:%ld", i ? "," : "", s->v[i].start, s->v[i].end);
}

static void sb_double(sbuf *b, double d)
{
    if (isinf(d)) {
        sb_str(b, d > 0 ? "inf" : "-inf");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    sb_str(b, tmp);
}

static bool is_default_special(const as_pipe_step *s)
{
    return s->nspecial == 1 && !strcmp(s->special_chars[0], "\xe2\x96\x81");
}

static void format_step(sbuf *b, const as_pipe_step *s)
{
    if (s->kind == AS_AGG_SCORES && s->fn != AS_FN_NONE) {
        sb_str(b, fn_names[s->fn]);
    } else {
        sb_str(b, kind_names[s->kind]);
        if (s->fn != AS_FN_NONE) {
            sb_str(b, ":");
            sb_str(b, fn_names[s->fn]);
        }
    }
    for (int k = 0; k < AS_KEY_COUNT; k++) {
        if (!(s->set & K(k)))
            continue;
        switch ((as_pipe_key)k) {
        case AS_KEY_SOURCE_SPANS:
            sb_str(b, " source_spans=");
            sb_spans(b, &s->source_spans);
            break;
        case AS_KEY_TARGET_SPANS:
            sb_str(b, " target_spans=");
            sb_spans(b, &s->target_spans);
            break;
        case AS_KEY_SPECIAL_CHARS: {
            if (is_default_special(s))
                break;
            sb_str(b, " special_chars=");
            sbuf j = {0};
            for (size_t i = 0; i < s->nspecial; i++) {
                if (i)
                    sb_str(&j, ",");
                sb_str(&j, s->special_chars[i]);
            }
            if (j.fail)
                b->fail = true;
            sb_value(b, j.s ? j.s : "");
            free(j.s);
            break;
        }
        case AS_KEY_IS_SUFFIX_SYMBOL:
            if (s->is_suffix_symbol)
                sb_str(b, " is_suffix_symbol=true");
            break;
        case AS_KEY_SPLIT_PATTERN:
            sb_str(b, " split_pattern=");
            sb_value(b, s->split_pattern ? s->split_pattern : "");
            break;
        case AS_KEY_SPLIT_MODE:
            if (s->split_mode != AS_SPLIT_SINGLE)
                sb_str(b, s->split_mode == AS_SPLIT_START ? " split_mode=start" : " split_mode=end");
            break;
        case AS_KEY_NORMALIZE:
            if (!s->normalize)
                sb_str(b, " normalize=false");
            break;
        case AS_KEY_RESCALE:
            if (s->rescale)
                sb_str(b, " rescale=true");
            break;
        case AS_KEY_SELECT_IDX:
            sb_str(b, " select_idx=");
            if (s->select_idx.kind == AS_SELECT_INDEX)
                sb_fmt(b, "%ld", s->select_idx.index);
            else if (s->select_idx.kind == AS_SELECT_RANGE)
                sb_fmt(b, "%ld:%ld", s->select_idx.start, s->select_idx.end);
            else
                for (size_t i = 0; i < s->select_idx.nlist; i++)
                    sb_fmt(b, "%s%ld", i ? "," : "", s->select_idx.list[i]);
            break;
        case AS_KEY_VNORM_ORD:
            if (s->vnorm_ord != 2) {
                sb_str(b, " vnorm_ord=");
                sb_double(b, s->vnorm_ord);
            }
            break;
        case AS_KEY_AGGREGATE_SOURCE:
            if (!s->aggregate_source)
                sb_str(b, " aggregate_source=false");
            break;
        case AS_KEY_AGGREGATE_TARGET:
            if (!s->aggregate_target)
                sb_str(b, " aggregate_target=false");
            break;
        case AS_KEY_WITH:
            sb_fmt(b, " with=%ld", s->with);
            break;
        case AS_KEY_COUNT:
            break;
        }
    }
}

char *pipe_format_step(const as_pipe_step *s)
{
    sbuf b = {0};
    format_step(&b, s);
    if (b.fail) {
        free(b.s);
        return NULL;
    }
    return b.s ? b.s : strdup("");
}

char *pipe_format(const as_pipeline *p)
{
    if (p->form == AS_PIPE_DEFAULT)
        return strdup("default");
    if (p->form == AS_PIPE_NONE || !p->nsteps)
        return strdup("none");
    sbuf b = {0};
    for (size_t i = 0; i < p->nsteps; i++) {
        if (i)
            sb_str(&b, " | ");
        format_step(&b, &p->steps[i]);
    }
    if (b.fail) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *pipe_canonical(const char *text, as_error *err)
{
    as_pipeline p;
    if (pipe_parse(text, &p, NULL, err))
        return NULL;
    char *s = pipe_format(&p);
    pipe_free(&p);
    if (!s)
        as_error_set(err, AS_ENOMEM, "out of memory");
    return s;
}

/* ---- Completion data ------------------------------------------------- */

static const char *const step_names_tab[] = {
    "scores", "spans", "subwords", "split", "slices", "pair",
    "mean", "max", "min", "sum", "prod", "absmax", "vnorm",
    "default", "none", NULL,
};

static const char *const fn_names_tab[] = {
    "mean", "max", "min", "sum", "prod", "absmax", "vnorm", NULL,
};

const char *const *pipe_step_names(void) { return step_names_tab; }
const char *const *pipe_fn_names(void) { return fn_names_tab; }

/* Static NULL-terminated key lists, one per (kind, takes vnorm_ord). */
static const char *key_lists[AS_AGG_NKINDS][2][AS_KEY_COUNT + 1];

static pthread_once_t key_lists_once = PTHREAD_ONCE_INIT;

static void build_key_lists(void)
{
    for (int k = 0; k < AS_AGG_NKINDS; k++)
        for (int v = 0; v < 2; v++) {
            unsigned m = kind_keys[k] | (v ? K(AS_KEY_VNORM_ORD) : 0);
            size_t n = 0;
            for (int key = 0; key < AS_KEY_COUNT; key++)
                if (m & K(key))
                    key_lists[k][v][n++] = key_names[key];
            key_lists[k][v][n] = NULL;
        }
}

static void init_key_lists(void) { pthread_once(&key_lists_once, build_key_lists); }

/* Resolves a step word "NAME[:FN]" into a kind and function. */
static bool resolve_step_word(const char *name, as_agg_kind *kind, as_agg_fn *fn)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", name);
    char *colon = strchr(buf, ':');
    *fn = AS_FN_NONE;
    if (colon) {
        *colon = 0;
        if (!pipe_fn_parse(colon + 1, fn))
            *fn = AS_FN_NONE;
    }
    if (kind_parse(buf, kind))
        return true;
    if (pipe_fn_parse(buf, fn)) {
        *kind = AS_AGG_SCORES;
        return true;
    }
    return false;
}

const char *const *pipe_step_keys(const char *name)
{
    as_agg_kind kind;
    as_agg_fn fn;
    init_key_lists();
    if (!strcmp(name, "none"))
        return key_lists[AS_AGG_DEFAULT][0];
    if (!resolve_step_word(name, &kind, &fn))
        return NULL;
    bool v = (allowed_keys(kind, fn) & K(AS_KEY_VNORM_ORD)) != 0;
    return key_lists[kind][v];
}

bool pipe_step_takes_fn(const char *name)
{
    as_agg_kind kind;
    return kind_parse(name, &kind) && kind_takes_fn(kind);
}

static const char *const bool_values[] = {"true", "false", NULL};
static const char *const mode_values[] = {"single", "start", "end", NULL};
static const char *const ord_values[] = {"1", "2", "inf", "-inf", NULL};

const char *const *pipe_key_values(const char *key)
{
    as_pipe_key k;
    if (!key_parse(key, &k))
        return NULL;
    switch (k) {
    case AS_KEY_IS_SUFFIX_SYMBOL:
    case AS_KEY_NORMALIZE:
    case AS_KEY_RESCALE:
    case AS_KEY_AGGREGATE_SOURCE:
    case AS_KEY_AGGREGATE_TARGET:
        return bool_values;
    case AS_KEY_SPLIT_MODE:
        return mode_values;
    case AS_KEY_VNORM_ORD:
        return ord_values;
    default:
        return NULL;
    }
}

static const struct {
    const char *word, *help;
} help_tab[] = {
    {"scores", "reduce the last dimension (class default function), then normalize"},
    {"spans", "merge the given token spans (default function absmax)"},
    {"subwords", "merge subword tokens into words (default function absmax)"},
    {"split", "merge tokens between regular-expression matches (default function absmax)"},
    {"slices", "keep only the given token ranges (generated tokens are always kept)"},
    {"pair", "difference with another sequence (with=N): other - this"},
    {"default", "the default aggregation of the sequence's class"},
    {"none", "no aggregation"},
    {"mean", "scores with the mean of the last dimension"},
    {"max", "scores with the maximum of the last dimension"},
    {"min", "scores with the minimum of the last dimension"},
    {"sum", "scores with the sum of the last dimension"},
    {"prod", "scores with the product of the last dimension"},
    {"absmax", "scores with the entry of largest magnitude (sign kept)"},
    {"vnorm", "scores with the vector norm of the last dimension (vnorm_ord, default 2)"},
    {"source_spans", "source token spans A:B[,A:B...] (end excluded)"},
    {"target_spans", "target token spans A:B[,A:B...] (end excluded)"},
    {"special_chars", "word-boundary symbols, comma separated (default \xe2\x96\x81)"},
    {"is_suffix_symbol", "true when the symbol marks continuations (## in WordPiece)"},
    {"split_pattern", "regular expression (POSIX extended) separating the spans"},
    {"split_mode", "single: matches alone; start: a match opens a span; end: a match closes it"},
    {"normalize", "divide each column by its L1 norm (default true)"},
    {"rescale", "divide by the largest magnitude (needs normalize=false)"},
    {"select_idx", "index N, range A:B or list N,N,... of the last dimension"},
    {"vnorm_ord", "order of the vector norm (default 2; inf, -inf allowed)"},
    {"aggregate_source", "merge source tokens (default true)"},
    {"aggregate_target", "merge target tokens (default true)"},
    {"with", "index of the sequence to pair with"},
};

const char *pipe_help(const char *word)
{
    for (size_t i = 0; i < sizeof help_tab / sizeof help_tab[0]; i++)
        if (!strcmp(help_tab[i].word, word))
            return help_tab[i].help;
    return NULL;
}

static void add_cands(as_completion *c, const char *const *list, const char *prefix, size_t plen,
                      unsigned skip_mask)
{
    for (size_t i = 0; list && list[i] && c->ncands < AS_COMPLETE_MAX; i++) {
        as_pipe_key k;
        if (skip_mask && key_parse(list[i], &k) && (skip_mask & K(k)))
            continue;
        if (!strncmp(list[i], prefix, plen))
            c->cands[c->ncands++] = list[i];
    }
}

void pipe_complete(const char *text, size_t cursor, as_completion *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        text = "";
    size_t len = strlen(text);
    if (cursor > len)
        cursor = len;
    /* Scan up to the cursor: find the current step start, word start and
     * whether we are inside quotes. */
    size_t step_start = 0, word_start = 0, nsteps = 0;
    bool in_word = false, word_is_first = true, saw_name = false;
    unsigned used = 0;
    char quote = 0;
    for (size_t i = 0; i < cursor; i++) {
        char ch = text[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            else if (quote == '"' && ch == '\\' && i + 1 < cursor)
                i++;
            continue;
        }
        if (ch == '|') {
            step_start = i + 1;
            nsteps++;
            in_word = false;
            saw_name = false;
            word_is_first = true;
            used = 0;
            continue;
        }
        if (is_ws(ch)) {
            if (in_word) {
                if (!saw_name)
                    saw_name = true;
                else {
                    /* a finished KEY=VALUE word: remember its key */
                    const char *eq = memchr(text + word_start, '=', i - word_start);
                    if (eq) {
                        char kn[40];
                        snprintf(kn, sizeof kn, "%.*s", (int)(eq - (text + word_start)),
                                 text + word_start);
                        as_pipe_key k;
                        if (key_parse(kn, &k))
                            used |= K(k);
                    }
                }
                word_is_first = false;
            }
            in_word = false;
            continue;
        }
        if (!in_word) {
            in_word = true;
            word_start = i;
            word_is_first = !saw_name;
        }
        if ((ch == '\'' || ch == '"') && i > word_start && text[i - 1] == '=')
            quote = ch;
    }
    if (quote)
        return; /* inside a quoted value */
    if (!in_word) {
        word_start = cursor;
        word_is_first = !saw_name;
    }
    const char *w = text + word_start;
    size_t wl = cursor - word_start;
    if (word_is_first) {
        const char *colon = memchr(w, ':', wl);
        if (colon) {
            snprintf(out->step, sizeof out->step, "%.*s", (int)(colon - w), w);
            if (!pipe_step_takes_fn(out->step))
                return;
            out->kind = AS_COMPLETE_FN;
            out->start = (size_t)(colon + 1 - text);
            add_cands(out, fn_names_tab, colon + 1, (size_t)(text + cursor - (colon + 1)), 0);
            return;
        }
        out->kind = AS_COMPLETE_STEP;
        out->start = word_start;
        for (size_t i = 0; step_names_tab[i] && out->ncands < AS_COMPLETE_MAX; i++) {
            if (nsteps && !strcmp(step_names_tab[i], "none"))
                continue;
            if (!strncmp(step_names_tab[i], w, wl))
                out->cands[out->ncands++] = step_names_tab[i];
        }
        return;
    }
    /* The current step's name is its first word. */
    size_t s = step_start;
    while (s < len && is_ws(text[s]))
        s++;
    size_t e = s;
    while (e < len && !is_ws(text[e]) && text[e] != '|')
        e++;
    snprintf(out->step, sizeof out->step, "%.*s", (int)(e - s < 31 ? e - s : 31), text + s);
    const char *const *keys = pipe_step_keys(out->step);
    const char *eq = memchr(w, '=', wl);
    if (eq) {
        snprintf(out->key, sizeof out->key, "%.*s", (int)(eq - w), w);
        out->kind = AS_COMPLETE_VALUE;
        out->start = (size_t)(eq + 1 - text);
        add_cands(out, pipe_key_values(out->key), eq + 1, (size_t)(text + cursor - (eq + 1)), 0);
        return;
    }
    if (!keys)
        return;
    out->kind = AS_COMPLETE_KEY;
    out->start = word_start;
    add_cands(out, keys, w, wl, used);
}
