/* info.c - the info panel: everything the file says about the run, the
 * files, and the shown sequence, as safe text lines; and a sequence's input
 * and generated texts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyjson.h"
#include "panels.h"

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void addf(lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(lines *l, const char *fmt, ...)
{
    char raw[4096], safe[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    tui_safe(raw, safe, sizeof safe);
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return;
        l->v = nv;
        l->cap = nc;
    }
    char *s = strdup(safe);
    if (s)
        l->v[l->n++] = s;
}


/* A scalar as text; NULL for arrays and objects. */
static char *scalar(const json_t *j, char *buf, size_t n)
{
    double d;
    if (attr_json_nonfinite(j, &d)) {
        snprintf(buf, n, "%s", d != d ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        return buf;
    }
    switch (json_typeof(j)) {
    case JSON_STRING:
        snprintf(buf, n, "%s", json_string_value(j));
        return buf;
    case JSON_INTEGER:
        snprintf(buf, n, "%lld", (long long)json_integer_value(j));
        return buf;
    case JSON_REAL: {
        /* as Python (and attrscope info) print it: 1.2345, not 1.2344999999999999 */
        char r[32];
        pj_repr_double(json_real_value(j), r);
        snprintf(buf, n, "%s", r);
        return buf;
    }
    case JSON_TRUE:
        return strcpy(buf, "true");
    case JSON_FALSE:
        return strcpy(buf, "false");
    case JSON_NULL:
        return strcpy(buf, "null");
    default:
        return NULL;
    }
}

static void value(lines *l, int ind, const char *key, const json_t *j)
{
    char b[4096];
    const char *k = key ? key : "-";
    const char *colon = key ? ":" : "";
    if (scalar(j, b, sizeof b)) {
        addf(l, "%*s%s%s %s", ind, "", k, colon, b);
        return;
    }
    if (json_is_object(j)) {
        if (!json_object_size(j)) {
            addf(l, "%*s%s%s {}", ind, "", k, colon);
            return;
        }
        addf(l, "%*s%s%s", ind, "", k, colon);
        const char *ck;
        json_t *cv;
        json_object_foreach((json_t *)j, ck, cv)
            value(l, ind + 2, ck, cv);
        return;
    }
    /* arrays: short lists of scalars on one line */
    size_t n = json_array_size(j);
    size_t len = 0;
    bool flat = true;
    for (size_t i = 0; i < n && flat; i++) {
        char e[512];
        if (!scalar(json_array_get(j, i), e, sizeof e))
            flat = false;
        else
            len += strlen(e) + 2;
    }
    if (flat && len < 100) {
        char out[1024] = "[";
        for (size_t i = 0; i < n; i++) {
            char e[512];
            scalar(json_array_get(j, i), e, sizeof e);
            size_t o = strlen(out);
            snprintf(out + o, sizeof out - o, "%s%s", i ? ", " : "", e);
        }
        size_t o = strlen(out);
        snprintf(out + o, sizeof out - o, "]");
        addf(l, "%*s%s%s %s", ind, "", k, colon, out);
        return;
    }
    addf(l, "%*s%s%s", ind, "", k, colon);
    for (size_t i = 0; i < n; i++)
        value(l, ind + 2, NULL, json_array_get(j, i));
}

static void tensor_line(lines *l, const char *what, const as_tensor *t)
{
    char shape[128];
    if (!t)
        addf(l, "  %s: none", what);
    else
        addf(l, "  %s: %s %s", what, tensor_shape_str(t, shape, sizeof shape), t->dtype);
}

char **tui_info_lines(const tui *t, size_t *n)
{
    lines l = {0};
    const view_agg *a = t->v.agg;
    /* the file of the shown sequence, loaded (NULL when it did not load) */
    const as_output *o = a ? view_agg_loaded(a) : NULL;
    size_t nf = a ? view_agg_nfiles(a) : 0;
    size_t cur = a ? view_agg_file(a, t->v.seq, NULL, NULL) : 0;
    if (t->cat) {
        /* skimmed files were tried: those that failed were not read */
        size_t tried = catalog_nskimmed(t->cat);
        size_t bad = t->nfailed < tried ? t->nfailed : tried;
        char pending[64] = "";
        if (tried < nf)
            snprintf(pending, sizeof pending, ", %zu not read yet", nf - tried);
        addf(&l, "Files (%zu, %zu read, %zu could not be read%s):", nf, tried - bad, bad,
             pending);
        for (size_t i = 0; i < nf; i++) {
            bool read = view_agg_info(a, i) != NULL;
            addf(&l, "%s %s%s", i == cur ? "*" : " ", view_agg_file_path(a, i),
                 read ? "" : !t->listing || i < catalog_nskimmed(t->cat) ? "  (could not be read)"
                                                                        : "  (not read yet)");
        }
        addf(&l, "Loaded files hold %.1f MB", (double)catalog_loaded_bytes(t->cat) / 1e6);
    } else {
        addf(&l, "File:");
        const char *p = a ? view_agg_file_path(a, 0) : NULL;
        addf(&l, "  %s", p ? p : t->opts->bufname ? t->opts->bufname : "(in memory)");
    }
    addf(&l, "Sequences: %zu%s", view_nseqs(&t->v), t->listing ? " so far" : "");
    if (o && !o->steps_null)
        addf(&l, "Step attributions: %zu steps", o->nsteps);
    const as_seq *raw = tui_meta(t, t->v.seq);
    if (raw) {
        addf(&l, "%s", "");
        addf(&l, "Sequence %zu (as stored):", t->v.seq);
        addf(&l, "  class: %s (%s)", raw->class_name ? raw->class_name : "?",
             attr_class_short(raw->cls));
        addf(&l, "  source tokens: %zu, target tokens: %zu", raw->source.n, raw->target.n);
        addf(&l, "  attr_pos_start: %ld, attr_pos_end: %ld", raw->attr_pos_start,
             raw->attr_pos_end);
        tensor_line(&l, "source_attributions", raw->source_attr);
        tensor_line(&l, "target_attributions", raw->target_attr);
        char names[1024] = "";
        for (size_t k = 0; k < raw->step_scores.n; k++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "",
                     raw->step_scores.v[k].name);
        }
        addf(&l, "  step_scores: %s", raw->step_scores.is_null ? "null" : names[0] ? names : "{}");
        names[0] = '\0';
        for (size_t k = 0; k < raw->sequence_scores.n; k++) {
            size_t len = strlen(names);
            char shape[64];
            snprintf(names + len, sizeof names - len, "%s%s %s", k ? ", " : "",
                     raw->sequence_scores.v[k].name,
                     tensor_shape_str(raw->sequence_scores.v[k].t, shape, sizeof shape));
        }
        addf(&l, "  sequence_scores: %s",
             raw->sequence_scores.is_null ? "null" : names[0] ? names : "{}");
    }
    const as_seq *shown = t->view_ok ? view_seq(&t->v) : NULL;
    size_t first = 0;
    if (a)
        view_agg_file(a, t->v.seq, &first, NULL);
    const as_seq *stored = o && t->v.seq - first < o->nseqs ? &o->seqs[t->v.seq - first] : raw;
    if (shown && shown != stored) {
        addf(&l, "Sequence %zu after the pipeline \"%s\":", t->v.seq, t->v.ch.pipeline);
        tensor_line(&l, "source_attributions", shown->source_attr);
        tensor_line(&l, "target_attributions", shown->target_attr);
    }
    if (o && o->notes) {
        addf(&l, "%s", "");
        addf(&l, "Notes from loading:");
        const char *p = o->notes;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            addf(&l, "  %.*s", (int)len, p);
            p += len + (e ? 1 : 0);
        }
    }
    addf(&l, "%s", "");
    addf(&l, "Info:");
    json_t *info = (json_t *)tui_info(t, t->v.seq);
    if (json_object_size(info)) {
        const char *k;
        json_t *v;
        json_object_foreach(info, k, v)
            value(&l, 2, k, v);
    } else {
        addf(&l, "  (empty)");
    }
    *n = l.n;
    return l.v;
}

/* ---------------------------------------------------- a sequence's texts */

/* Tokens [from, to) decoded as one text (split characters join up), made
 * safe, into out. */
static void join_tokens(tokens_mode m, const as_tokens *tok, size_t from, size_t to, char *out,
                        size_t n)
{
    if (to > tok->n)
        to = tok->n;
    char *text = from < to ? tokens_join_list(m, tok, from, to, NULL) : NULL;
    tui_safe(text ? text : "", out, n);
    free(text);
}

void tui_seq_texts(const tui *t, size_t i, char *in, size_t inn, char *gen, size_t genn)
{
    in[0] = gen[0] = '\0';
    const as_seq *s = tui_meta(t, i);
    if (!s)
        return;
    /* the file's texts, when there is one per sequence of the file */
    size_t first = 0, count = 0;
    view_agg_file(t->v.agg, i, &first, &count);
    const json_t *info = tui_info(t, i);
    json_t *a = json_object_get(info, "input_texts");
    json_t *b = json_object_get(info, "generated_texts");
    size_t local = i - first;
    if (json_array_size(a) == count && json_is_string(json_array_get(a, local)))
        tui_safe(json_string_value(json_array_get(a, local)), in, inn);
    if (json_array_size(b) == count && json_is_string(json_array_get(b, local)))
        tui_safe(json_string_value(json_array_get(b, local)), gen, genn);
    /* decoded even with raw tokens on: this is the sequence's text */
    tokens_mode m = tui_file_mode(t, i);
    /* the input: the source, or the prompt part of a decoder-only target */
    if (!in[0] && s->source.n)
        join_tokens(m, &s->source, 0, s->source.n, in, inn);
    else if (!in[0])
        join_tokens(m, &s->target, 0, (size_t)s->attr_pos_start, in, inn);
    if (!gen[0])
        join_tokens(m, &s->target, (size_t)s->attr_pos_start, s->target.n, gen, genn);
}
