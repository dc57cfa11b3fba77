#include "pipeline.h"
#include "buf.h"
#include "suggest.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Tables (generated from the lists in pipeline.h) ------------------ */

static const char *const kind_names[AS_AGG_NKINDS + 1] = {
#define X(id, name, help) [AS_AGG_##id] = name,
    AS_PIPE_KINDS(X)
#undef X
};

static const char *const fn_names[AS_FN_COUNT + 1] = {
    [AS_FN_NONE] = "",
#define X(id, name, help) [AS_FN_##id] = name,
    AS_PIPE_FNS(X)
#undef X
};

static const struct key_def {
    const char *name;
    unsigned kinds;
    const char *values, *def, *help;
} key_defs[AS_KEY_COUNT] = {
#define X(id, name, kinds, values, def, help) [AS_KEY_##id] = {name, kinds, values, def, help},
    AS_PIPE_KEYS(X)
#undef X
};

static const struct {
    const char *word, *help;
} word_help[] = {
#define X(id, name, help) {name, help},
    AS_PIPE_KINDS(X) AS_PIPE_FNS(X)
#undef X
    {"none", "no aggregation"},
};

#define K(k) (1u << (k))

static bool kind_takes_fn(as_agg_kind k)
{
    return k == AS_AGG_SCORES || k == AS_AGG_SPANS || k == AS_AGG_SUBWORDS || k == AS_AGG_SPLIT;
}

/* Keys allowed for a step of kind k with function fn. */
static unsigned allowed_keys(as_agg_kind k, as_agg_fn fn)
{
    bool vnorm = fn == AS_FN_VNORM || (k == AS_AGG_SCORES && fn == AS_FN_NONE);
    unsigned m = 0;
    for (int key = 0; key < AS_KEY_COUNT; key++)
        if ((key_defs[key].kinds & K(k)) || (vnorm && (key_defs[key].kinds & AS_PIPE_ON_VNORM)))
            m |= K(key);
    return m;
}

const char *pipe_kind_name(as_agg_kind k)
{
    return (unsigned)k < AS_AGG_NKINDS ? kind_names[k] : "?";
}

const char *pipe_fn_name(as_agg_fn f) { return (unsigned)f < AS_FN_COUNT ? fn_names[f] : "?"; }

const char *pipe_key_name(as_pipe_key k)
{
    return (unsigned)k < AS_KEY_COUNT ? key_defs[k].name : "?";
}

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

bool pipe_key_parse(const char *name, as_pipe_key *out)
{
    for (int k = 0; k < AS_KEY_COUNT; k++)
        if (!strcmp(name, key_defs[k].name)) {
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
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", key_defs[k].name);
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
    const char *kn = key_defs[key].name;
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
/* The error for a word that names no step (the one place it is made). */
static int unknown_step(parser *p, size_t start, size_t len, const char *name)
{
    char steps[256];
    size_t n = 0;
    const char *const *names = pipe_step_names();
    for (size_t i = 0; names[i] && n < sizeof steps; i++) {
        as_agg_fn fn;
        if (!pipe_fn_parse(names[i], &fn))
            n += (size_t)snprintf(steps + n, sizeof steps - n, "%s, ", names[i]);
    }
    char fns[128];
    join_fns(fns, sizeof fns);
    p->stepname[0] = 0;
    const char *near = suggest_near(name, names, SIZE_MAX);
    char dym[96] = "";
    if (near)
        snprintf(dym, sizeof dym, " (did you mean '%s'?)", near);
    return perr(p, start, len, "unknown step '%s'%s; expected one of %sor a function: %s", name,
                dym, steps, fns);
}

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
        snprintf(name, sizeof name, "%.20s...", word);
        return unknown_step(p, start, nn, name);
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
        return unknown_step(p, start, nn, name);
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
        if (!pipe_key_parse(kname, &key) || !(allowed & K(key))) {
            if (pipe_key_parse(kname, &key) && key == AS_KEY_VNORM_ORD)
                return perr(p, ks, kl, "vnorm_ord applies only to the vnorm function");
            if (!allowed)
                return perr(p, ks, kl, "takes no options, found '%s'", kname);
            const char *cand[AS_KEY_COUNT];
            size_t nc = 0;
            for (int k = 0; k < AS_KEY_COUNT; k++)
                if (allowed & K(k))
                    cand[nc++] = pipe_key_name((as_pipe_key)k);
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

/* A value, quoted when it must be. */
static void sb_value(as_buf *b, const char *v)
{
    bool need = !*v || v[0] == '\'' || v[0] == '"';
    for (const char *c = v; *c && !need; c++)
        need = is_ws(*c) || *c == '|';
    if (!need) {
        as_buf_puts(b, v);
        return;
    }
    if (!strchr(v, '\'')) {
        as_buf_puts(b, "'");
        as_buf_puts(b, v);
        as_buf_puts(b, "'");
        return;
    }
    as_buf_puts(b, "\"");
    for (const char *c = v; *c; c++) {
        if (*c == '"' || *c == '\\')
            as_buf_puts(b, "\\");
        as_buf_add(b, c, 1);
    }
    as_buf_puts(b, "\"");
}

static void sb_spans(as_buf *b, const as_spans *s)
{
    for (size_t i = 0; i < s->n; i++)
        as_buf_printf(b, "%s%ld:%ld", i ? "," : "", s->v[i].start, s->v[i].end);
}

static void sb_double(as_buf *b, double d)
{
    if (isinf(d)) {
        as_buf_puts(b, d > 0 ? "inf" : "-inf");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    as_buf_puts(b, tmp);
}

static bool is_default_special(const as_pipe_step *s)
{
    return s->nspecial == 1 && !strcmp(s->special_chars[0], "\xe2\x96\x81");
}

static void format_step(as_buf *b, const as_pipe_step *s)
{
    if (s->kind == AS_AGG_SCORES && s->fn != AS_FN_NONE) {
        as_buf_puts(b, fn_names[s->fn]);
    } else {
        as_buf_puts(b, kind_names[s->kind]);
        if (s->fn != AS_FN_NONE) {
            as_buf_puts(b, ":");
            as_buf_puts(b, fn_names[s->fn]);
        }
    }
    for (int k = 0; k < AS_KEY_COUNT; k++) {
        if (!(s->set & K(k)))
            continue;
        switch ((as_pipe_key)k) {
        case AS_KEY_SOURCE_SPANS:
            as_buf_puts(b, " source_spans=");
            sb_spans(b, &s->source_spans);
            break;
        case AS_KEY_TARGET_SPANS:
            as_buf_puts(b, " target_spans=");
            sb_spans(b, &s->target_spans);
            break;
        case AS_KEY_SPECIAL_CHARS: {
            if (is_default_special(s))
                break;
            as_buf_puts(b, " special_chars=");
            as_buf j = {0};
            for (size_t i = 0; i < s->nspecial; i++) {
                if (i)
                    as_buf_puts(&j, ",");
                as_buf_puts(&j, s->special_chars[i]);
            }
            if (j.oom)
                b->oom = true;
            sb_value(b, j.p ? j.p : "");
            as_buf_free(&j);
            break;
        }
        case AS_KEY_IS_SUFFIX_SYMBOL:
            if (s->is_suffix_symbol)
                as_buf_puts(b, " is_suffix_symbol=true");
            break;
        case AS_KEY_SPLIT_PATTERN:
            as_buf_puts(b, " split_pattern=");
            sb_value(b, s->split_pattern ? s->split_pattern : "");
            break;
        case AS_KEY_SPLIT_MODE:
            if (s->split_mode != AS_SPLIT_SINGLE)
                as_buf_puts(b, s->split_mode == AS_SPLIT_START ? " split_mode=start" : " split_mode=end");
            break;
        case AS_KEY_NORMALIZE:
            if (!s->normalize)
                as_buf_puts(b, " normalize=false");
            break;
        case AS_KEY_RESCALE:
            if (s->rescale)
                as_buf_puts(b, " rescale=true");
            break;
        case AS_KEY_SELECT_IDX:
            as_buf_puts(b, " select_idx=");
            if (s->select_idx.kind == AS_SELECT_INDEX)
                as_buf_printf(b, "%ld", s->select_idx.index);
            else if (s->select_idx.kind == AS_SELECT_RANGE)
                as_buf_printf(b, "%ld:%ld", s->select_idx.start, s->select_idx.end);
            else
                for (size_t i = 0; i < s->select_idx.nlist; i++)
                    as_buf_printf(b, "%s%ld", i ? "," : "", s->select_idx.list[i]);
            break;
        case AS_KEY_VNORM_ORD:
            if (s->vnorm_ord != 2) {
                as_buf_puts(b, " vnorm_ord=");
                sb_double(b, s->vnorm_ord);
            }
            break;
        case AS_KEY_AGGREGATE_SOURCE:
            if (!s->aggregate_source)
                as_buf_puts(b, " aggregate_source=false");
            break;
        case AS_KEY_AGGREGATE_TARGET:
            if (!s->aggregate_target)
                as_buf_puts(b, " aggregate_target=false");
            break;
        case AS_KEY_WITH:
            as_buf_printf(b, " with=%ld", s->with);
            break;
        case AS_KEY_COUNT:
            break;
        }
    }
}

char *pipe_format_step(const as_pipe_step *s)
{
    as_buf b = {0};
    format_step(&b, s);
    return as_buf_take(&b, NULL);
}

char *pipe_format(const as_pipeline *p)
{
    if (p->form == AS_PIPE_DEFAULT)
        return strdup("default");
    if (p->form == AS_PIPE_NONE || !p->nsteps)
        return strdup("none");
    as_buf b = {0};
    for (size_t i = 0; i < p->nsteps; i++) {
        if (i)
            as_buf_puts(&b, " | ");
        format_step(&b, &p->steps[i]);
    }
    return as_buf_take(&b, NULL);
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

/* Built once from the lists: the words that start a step (aggregators
 * but default, functions, default, none), the keys per (kind, takes
 * vnorm_ord), the value lists and the keys' help with their default. */
static const char *step_names_tab[AS_AGG_NKINDS + AS_FN_COUNT + 2];
static const char *key_lists[AS_AGG_NKINDS][2][AS_KEY_COUNT + 1];
static char value_text[AS_KEY_COUNT][64];
static const char *value_lists[AS_KEY_COUNT][8];
static char key_help[AS_KEY_COUNT][192];

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    size_t n = 0;
    for (int k = 0; k < AS_AGG_NKINDS; k++)
        if (k != AS_AGG_DEFAULT)
            step_names_tab[n++] = kind_names[k];
    for (int f = AS_FN_NONE + 1; f < AS_FN_COUNT; f++)
        step_names_tab[n++] = fn_names[f];
    step_names_tab[n++] = kind_names[AS_AGG_DEFAULT];
    step_names_tab[n++] = "none";
    step_names_tab[n] = NULL;
    for (int k = 0; k < AS_AGG_NKINDS; k++)
        for (int v = 0; v < 2; v++) {
            unsigned m = allowed_keys((as_agg_kind)k, v ? AS_FN_VNORM : AS_FN_MEAN);
            if (!v)
                m &= ~K(AS_KEY_VNORM_ORD);
            size_t nk = 0;
            for (int key = 0; key < AS_KEY_COUNT; key++)
                if (m & K(key))
                    key_lists[k][v][nk++] = key_defs[key].name;
            key_lists[k][v][nk] = NULL;
        }
    for (int key = 0; key < AS_KEY_COUNT; key++) {
        const struct key_def *d = &key_defs[key];
        if (d->values) {
            snprintf(value_text[key], sizeof value_text[key], "%s", d->values);
            size_t nv = 0;
            char *save = NULL;
            for (char *w = strtok_r(value_text[key], " ", &save); w && nv < 7;
                 w = strtok_r(NULL, " ", &save))
                value_lists[key][nv++] = w;
            value_lists[key][nv] = NULL;
        }
        if (d->def)
            snprintf(key_help[key], sizeof key_help[key], "%s (default %s)", d->help, d->def);
        else
            snprintf(key_help[key], sizeof key_help[key], "%s", d->help);
    }
}

static void init_tables(void) { pthread_once(&tables_once, build_tables); }

const char *const *pipe_step_names(void)
{
    init_tables();
    return step_names_tab;
}

const char *const *pipe_fn_names(void) { return fn_names + 1; }

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
    init_tables();
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

const char *const *pipe_key_values(const char *key)
{
    as_pipe_key k;
    if (!pipe_key_parse(key, &k) || !key_defs[k].values)
        return NULL;
    init_tables();
    return value_lists[k];
}

const char *pipe_help(const char *word)
{
    as_pipe_key k;
    if (pipe_key_parse(word, &k)) {
        init_tables();
        return key_help[k];
    }
    for (size_t i = 0; i < sizeof word_help / sizeof word_help[0]; i++)
        if (!strcmp(word_help[i].word, word))
            return word_help[i].help;
    return NULL;
}

char *pipe_keys_markdown(void)
{
    as_buf b = {0};
    as_buf_puts(&b, "| key | steps | values | default | meaning |\n|---|---|---|---|---|\n");
    for (int key = 0; key < AS_KEY_COUNT; key++) {
        const struct key_def *d = &key_defs[key];
        as_buf_printf(&b, "| `%s` | ", d->name);
        bool first = true;
        for (int k = 0; k < AS_AGG_NKINDS; k++)
            if (d->kinds & K(k)) {
                as_buf_printf(&b, "%s%s", first ? "" : ", ", kind_names[k]);
                first = false;
            }
        if (d->kinds & AS_PIPE_ON_VNORM)
            as_buf_printf(&b, "%s%s", first ? "" : ", ", "scores, any step with function vnorm");
        as_buf_puts(&b, " | ");
        if (d->values) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%s", d->values);
            char *save = NULL;
            first = true;
            for (char *w = strtok_r(tmp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                as_buf_printf(&b, "%s`%s`", first ? "" : " ", w);
                first = false;
            }
        } else {
            as_buf_puts(&b, "free-form");
        }
        as_buf_puts(&b, " | ");
        if (d->def)
            as_buf_printf(&b, "`%s`", d->def);
        as_buf_printf(&b, " | %s |\n", d->help);
    }
    return as_buf_take(&b, NULL);
}
