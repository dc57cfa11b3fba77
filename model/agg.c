/* agg.c - the aggregators (scores, spans, subwords, split, slices, pair),
 * pipelines of them, weight_attributions, minimum/maximum, the 2D check and
 * get_scores_dicts.  Semantics: agg.h and section 3 of the format document. */
#include "agg_impl.h"
#include "suggest.h"
#include "range.h"

#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SENTENCEPIECE_SPACE "\xe2\x96\x81" /* U+2581 */

/* ---- Small helpers --------------------------------------------------- */

static int seq_rank(const as_seq *s)
{
    if (s->source_attr)
        return s->source_attr->ndim;
    if (s->target_attr)
        return s->target_attr->ndim;
    return 0;
}

/* The class that decides defaults: a base-class sequence with extra
 * dimensions is treated as its rank implies. */
static as_class eff_class(const as_seq *s)
{
    int r = seq_rank(s);
    if (s->cls == AS_CLS_BASE && r > 2)
        return attr_class_for_rank(r);
    return s->cls;
}

void agg_seq_free(as_seq *s)
{
    if (!s)
        return;
    attr_seq_free(s);
    free(s);
}

static char *xstrdup(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *fail = true;
    return d;
}

/* New sequence with in's class, file index and positions; tokens and scores
 * copied when asked. */
enum { COPY_SRC_TOK = 1, COPY_TGT_TOK = 2, COPY_STEP = 4, COPY_SEQSC = 8, COPY_ALL = 15 };

static as_seq *seq_new_from(const as_seq *in, unsigned what, as_error *err)
{
    as_seq *o = calloc(1, sizeof *o);
    bool fail = false;
    if (!o) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    o->cls = in->cls;
    o->class_name = xstrdup(in->class_name, &fail);
    o->class_module = xstrdup(in->class_module, &fail);
    o->attr_pos_start = in->attr_pos_start;
    o->attr_pos_end = in->attr_pos_end;
    o->file_index = in->file_index;
    o->step_scores.is_null = in->step_scores.is_null;
    o->sequence_scores.is_null = in->sequence_scores.is_null;
    if (fail)
        goto nomem;
    if ((what & COPY_SRC_TOK) && attr_tokens_copy(&o->source, &in->source, err))
        goto fail;
    if ((what & COPY_TGT_TOK) && attr_tokens_copy(&o->target, &in->target, err))
        goto fail;
    if ((what & COPY_STEP) && attr_scores_copy(&o->step_scores, &in->step_scores, err))
        goto fail;
    if ((what & COPY_SEQSC) && attr_scores_copy(&o->sequence_scores, &in->sequence_scores, err))
        goto fail;
    return o;
nomem:
    as_error_set(err, AS_ENOMEM, "out of memory");
fail:
    agg_seq_free(o);
    return NULL;
}

/* Allocates an empty score map able to hold n entries. */
static int scores_alloc(as_scores *s, size_t n, bool is_null, as_error *err)
{
    s->n = 0;
    s->is_null = is_null;
    s->v = calloc(n ? n : 1, sizeof *s->v);
    return s->v ? AS_OK : as_error_set(err, AS_ENOMEM, "out of memory");
}

static int scores_add(as_scores *s, const char *name, as_tensor *t, as_error *err)
{
    char *n = strdup(name);
    if (!n) {
        tensor_free(t);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    s->v[s->n].name = n;
    s->v[s->n].t = t;
    s->n++;
    return AS_OK;
}

/* ---- Validation ------------------------------------------------------ */

static int validate_seq(const as_seq *s, as_error *err)
{
    size_t nt = s->target.n, ns = s->source.n;
    if (s->attr_pos_start < 0 || s->attr_pos_end < s->attr_pos_start ||
        (size_t)s->attr_pos_end > nt)
        return as_error_set(err, AS_EDATA,
                            "attr_pos_start %ld and attr_pos_end %ld do not fit %zu target tokens",
                            s->attr_pos_start, s->attr_pos_end, nt);
    size_t nc = attr_seq_ncols(s);
    size_t trows = nt < (size_t)s->attr_pos_end ? nt : (size_t)s->attr_pos_end;
    char sh[96];
    if (s->source_attr) {
        const as_tensor *t = s->source_attr;
        tensor_shape_str(t, sh, sizeof sh);
        if (t->ndim < 2 || t->shape[0] != ns || t->shape[1] != nc)
            return as_error_set(err, AS_EDATA,
                                "source_attributions has shape %s, but the sequence has %zu "
                                "source tokens and %zu generated tokens: expected (%zu, %zu, ...)",
                                sh, ns, nc, ns, nc);
    }
    if (s->target_attr) {
        const as_tensor *t = s->target_attr;
        tensor_shape_str(t, sh, sizeof sh);
        if (t->ndim < 2 || t->shape[0] != trows || t->shape[1] != nc)
            return as_error_set(err, AS_EDATA,
                                "target_attributions has shape %s, but the sequence has %zu "
                                "attributed target tokens and %zu generated tokens: expected "
                                "(%zu, %zu, ...)",
                                sh, trows, nc, trows, nc);
    }
    return AS_OK;
}

static int validate_step_scores(const as_seq *s, as_error *err)
{
    size_t nc = attr_seq_ncols(s);
    for (size_t i = 0; i < s->step_scores.n; i++) {
        const as_tensor *t = s->step_scores.v[i].t;
        if (t->ndim < 1 || t->shape[0] != nc) {
            char sh[96];
            tensor_shape_str(t, sh, sizeof sh);
            return as_error_set(err, AS_EDATA,
                                "step score '%s' has shape %s but there are %zu generated tokens",
                                s->step_scores.v[i].name, sh, nc);
        }
    }
    return AS_OK;
}

static int validate_spans(const as_spans *sp, size_t ntok, const char *key, const char *side,
                          as_error *err)
{
    for (size_t i = 0; i < sp->n; i++) {
        const as_span *s = &sp->v[i];
        if (s->start < 0 || s->end <= s->start)
            return as_error_set(err, AS_EUSAGE, "%s: span %ld:%ld is empty", key, s->start,
                                s->end);
        if (i && s->start < sp->v[i - 1].end)
            return as_error_set(err, AS_EUSAGE,
                                "%s: spans must be ascending and must not overlap (%ld:%ld "
                                "after %ld:%ld)",
                                key, s->start, s->end, sp->v[i - 1].start, sp->v[i - 1].end);
        if ((size_t)s->end > ntok)
            return as_error_set(err, AS_EUSAGE,
                                "%s: span %ld:%ld goes past the end of the %s (%zu tokens)", key,
                                s->start, s->end, side, ntok);
    }
    return AS_OK;
}

/* ---- Tokens ---------------------------------------------------------- */

static int merge_tokens(const as_tokens *in, const as_span *spans, size_t nspans, as_tokens *out,
                        as_error *err)
{
    agg_group *g;
    size_t ng;
    if (agg_groups_from_spans(spans, nspans, in->n, &g, &ng, err))
        return err ? err->code : AS_ENOMEM;
    *out = (as_tokens){0};
    out->v = calloc(ng ? ng : 1, sizeof *out->v);
    if (!out->v) {
        free(g);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ng; i++) {
        as_token *t = &out->v[i];
        if (!g[i].reduce) {
            t->id = in->v[g[i].start].id;
            t->text = strdup(in->v[g[i].start].text);
        } else {
            size_t len = 0;
            for (size_t k = 0; k < g[i].len; k++)
                len += strlen(in->v[g[i].start + k].text);
            t->id = -1;
            t->text = malloc(len + 1);
            if (t->text) {
                size_t p = 0;
                for (size_t k = 0; k < g[i].len; k++) {
                    size_t l = strlen(in->v[g[i].start + k].text);
                    memcpy(t->text + p, in->v[g[i].start + k].text, l);
                    p += l;
                }
                t->text[p] = 0;
            }
        }
        out->n = i + 1;
        if (!t->text) {
            free(g);
            attr_tokens_free(out);
            return as_error_set(err, AS_ENOMEM, "out of memory");
        }
    }
    free(g);
    return AS_OK;
}

static int take_tokens(const as_tokens *in, const as_span *spans, size_t nspans, as_tokens *out,
                       as_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < nspans; i++) {
        long e = spans[i].end > (long)in->n ? (long)in->n : spans[i].end;
        if (e > spans[i].start)
            n += (size_t)(e - spans[i].start);
    }
    *out = (as_tokens){0};
    out->v = calloc(n ? n : 1, sizeof *out->v);
    if (!out->v)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < nspans; i++) {
        long e = spans[i].end > (long)in->n ? (long)in->n : spans[i].end;
        for (long k = spans[i].start; k < e; k++) {
            as_token *t = &out->v[out->n];
            t->id = in->v[k].id;
            t->text = strdup(in->v[k].text);
            if (!t->text) {
                attr_tokens_free(out);
                return as_error_set(err, AS_ENOMEM, "out of memory");
            }
            out->n++;
        }
    }
    return AS_OK;
}

/* ---- Default steps --------------------------------------------------- */

/* Fills steps[] (at least AS_MAX_DIMS entries) with the class default for s. */
static size_t default_steps(const as_seq *s, as_pipe_step *steps)
{
    int r = seq_rank(s);
    if (r <= 2)
        return 0;
    switch (eff_class(s)) {
    case AS_CLS_GRANULAR:
        pipe_step_init(&steps[0], AS_AGG_SCORES);
        steps[0].fn = AS_FN_VNORM;
        return 1;
    case AS_CLS_MULTIDIM:
        for (int i = 0; i < r - 2; i++) {
            pipe_step_init(&steps[i], AS_AGG_SCORES);
            steps[i].fn = AS_FN_MEAN;
        }
        return (size_t)(r - 2);
    default:
        return 0;
    }
}

int agg_default_pipeline(const as_seq *s, as_pipeline *out, as_error *err)
{
    as_pipe_step steps[AS_MAX_DIMS];
    size_t n = default_steps(s, steps);
    memset(out, 0, sizeof *out);
    if (!n) {
        out->form = AS_PIPE_NONE;
        return AS_OK;
    }
    out->steps = calloc(n, sizeof *out->steps);
    if (!out->steps)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    memcpy(out->steps, steps, n * sizeof *steps);
    out->nsteps = n;
    out->form = AS_PIPE_STEPS;
    return AS_OK;
}

char *agg_default_text(const as_seq *s)
{
    as_pipeline p;
    if (agg_default_pipeline(s, &p, NULL))
        return NULL;
    char *t = pipe_format(&p);
    pipe_free(&p);
    return t;
}

/* ---- scores ---------------------------------------------------------- */

static as_seq *step_scores(const as_seq *in, const as_pipe_step *st, as_error *err)
{
    as_agg_fn fn = st->fn;
    if (fn == AS_FN_NONE)
        fn = eff_class(in) == AS_CLS_GRANULAR ? AS_FN_VNORM : AS_FN_MEAN;
    const as_tensor *ts[2] = {in->source_attr, in->target_attr};
    static const char *const names[2] = {"source_attributions", "target_attributions"};
    for (int i = 0; i < 2; i++) {
        if (ts[i] && ts[i]->ndim < 3) {
            char sh[96];
            tensor_shape_str(ts[i], sh, sizeof sh);
            as_error_set(err, AS_EUSAGE,
                         "%s has shape %s: only the token dimensions are left, so there is no "
                         "extra dimension to reduce",
                         names[i], sh);
            return NULL;
        }
    }
    as_seq *o = seq_new_from(in, COPY_SRC_TOK | COPY_TGT_TOK | COPY_STEP, err);
    if (!o)
        return NULL;
    as_tensor *r[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++)
        if (ts[i] && !(r[i] = agg_reduce_last(ts[i], &st->select_idx, fn, st->vnorm_ord, names[i],
                                              err)))
            goto fail;
    o->source_attr = r[0];
    o->target_attr = r[1];
    if (st->normalize) {
        if (agg_normalize(r[0], r[1], err))
            goto fail;
    } else if (st->rescale) {
        agg_rescale(r[0], r[1]);
    }
    if (scores_alloc(&o->sequence_scores, in->sequence_scores.n, in->sequence_scores.is_null, err))
        goto fail;
    for (size_t i = 0; i < in->sequence_scores.n; i++) {
        const as_named *nm = &in->sequence_scores.v[i];
        as_tensor *t;
        char what[160];
        snprintf(what, sizeof what, "sequence score '%s'", nm->name);
        if (nm->t->ndim >= 1)
            t = agg_reduce_last(nm->t, &st->select_idx, fn, st->vnorm_ord, what, err);
        else
            t = tensor_clone(nm->t, err);
        if (!t || scores_add(&o->sequence_scores, nm->name, t, err))
            goto fail;
    }
    return o;
fail:
    agg_seq_free(o);
    return NULL;
}

/* ---- spans (and subwords, split) ------------------------------------- */

/* The function spans use for a step score when none is given: inseq's
 * per-name table; anything else (granular "deltas" included) takes the
 * spans default, absmax. */
static as_agg_fn step_score_fn(const char *name)
{
    static const char *const prod_names[] = {"probability", "perplexity", "contrast_prob",
                                             "contrast_prob_diff", "mc_dropout_prob_avg"};
    static const char *const sum_names[] = {"entropy", "crossentropy", "pcxmi", "kl_divergence"};
    for (size_t i = 0; i < sizeof prod_names / sizeof *prod_names; i++)
        if (!strcmp(name, prod_names[i]))
            return AS_FN_PROD;
    for (size_t i = 0; i < sizeof sum_names / sizeof *sum_names; i++)
        if (!strcmp(name, sum_names[i]))
            return AS_FN_SUM;
    return AS_FN_ABSMAX;
}

/* Merges t along dim with spans (no-op copy when there are none). */
static as_tensor *merge_spans(const as_tensor *t, int dim, const as_span *sp, size_t n,
                              as_agg_fn fn, double ord, as_error *err)
{
    if (!n || dim >= t->ndim)
        return tensor_clone(t, err);
    agg_group *g;
    size_t ng;
    if (agg_groups_from_spans(sp, n, t->shape[dim], &g, &ng, err))
        return NULL;
    as_tensor *o = agg_merge_dim(t, dim, g, ng, fn, ord, err);
    free(g);
    return o;
}

/* Columns first (ysp along dim 1), then rows (xsp along dim 0). */
static as_tensor *merge_2(const as_tensor *t, const as_span *xsp, size_t nx, const as_span *ysp,
                          size_t ny, as_agg_fn fn, double ord, as_error *err)
{
    as_tensor *a = merge_spans(t, 1, ysp, ny, fn, ord, err);
    if (!a)
        return NULL;
    as_tensor *b = merge_spans(a, 0, xsp, nx, fn, ord, err);
    tensor_free(a);
    return b;
}

static as_seq *spans_apply(const as_seq *in, const as_spans *S, const as_spans *T,
                           as_agg_fn explicit_fn, double ord, as_error *err)
{
    if (validate_spans(S, in->source.n, "source_spans", "source", err) ||
        validate_spans(T, in->target.n, "target_spans", "target", err))
        return NULL;
    if ((in->step_scores.n || T->n) && validate_step_scores(in, err))
        return NULL;
    as_agg_fn fn = explicit_fn != AS_FN_NONE ? explicit_fn : AS_FN_ABSMAX;
    long start = in->attr_pos_start;
    /* Target spans relative to the generated columns. */
    as_span *rel = malloc((T->n ? T->n : 1) * sizeof *rel);
    size_t nrel = 0;
    if (!rel) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < T->n; i++) {
        if (start == 0) {
            rel[nrel++] = T->v[i];
        } else if (T->v[i].end > start) {
            long s = T->v[i].start > start ? T->v[i].start - start : 0;
            rel[nrel++] = (as_span){s, T->v[i].end - start};
        }
    }
    as_seq *o = seq_new_from(in, 0, err);
    if (!o)
        goto fail;
    if (merge_tokens(&in->source, S->v, S->n, &o->source, err) ||
        merge_tokens(&in->target, T->v, T->n, &o->target, err))
        goto fail;
    if (in->source_attr &&
        !(o->source_attr = merge_2(in->source_attr, S->v, S->n, rel, nrel, fn, ord, err)))
        goto fail;
    if (in->target_attr &&
        !(o->target_attr = merge_2(in->target_attr, T->v, T->n, rel, nrel, fn, ord, err)))
        goto fail;
    if (scores_alloc(&o->step_scores, in->step_scores.n, in->step_scores.is_null, err))
        goto fail;
    for (size_t i = 0; i < in->step_scores.n; i++) {
        const as_named *nm = &in->step_scores.v[i];
        as_agg_fn f = explicit_fn != AS_FN_NONE ? explicit_fn : step_score_fn(nm->name);
        as_tensor *t = nm->t->ndim ? merge_spans(nm->t, 0, rel, nrel, f, ord, err)
                                   : tensor_clone(nm->t, err);
        if (!t || scores_add(&o->step_scores, nm->name, t, err))
            goto fail;
    }
    if (scores_alloc(&o->sequence_scores, in->sequence_scores.n, in->sequence_scores.is_null, err))
        goto fail;
    for (size_t i = 0; i < in->sequence_scores.n; i++) {
        const as_named *nm = &in->sequence_scores.v[i];
        as_tensor *t;
        if (!strncmp(nm->name, "decoder", 7))
            t = merge_2(nm->t, rel, nrel, rel, nrel, fn, ord, err);
        else if (!strncmp(nm->name, "encoder", 7))
            t = merge_2(nm->t, S->v, S->n, S->v, S->n, fn, ord, err);
        else
            t = merge_2(nm->t, S->v, S->n, rel, nrel, fn, ord, err);
        if (!t || scores_add(&o->sequence_scores, nm->name, t, err))
            goto fail;
    }
    /* Positions. */
    if (T->n) {
        long ns = start;
        for (size_t i = 0; i < T->n; i++) {
            if (T->v[i].end <= start)
                ns -= T->v[i].end - T->v[i].start - 1;
            else if (T->v[i].start < start)
                ns -= start - T->v[i].start;
        }
        agg_group *g;
        size_t ng;
        if (agg_groups_from_spans(rel, nrel, attr_seq_ncols(in), &g, &ng, err))
            goto fail;
        free(g);
        o->attr_pos_start = ns;
        o->attr_pos_end = ns + (long)ng;
    }
    free(rel);
    return o;
fail:
    free(rel);
    agg_seq_free(o);
    return NULL;
}

static bool starts_with_any(const char *s, char *const *sym, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strncmp(s, sym[i], strlen(sym[i])))
            return true;
    return false;
}

/* inseq's SubwordAggregator.get_spans, including its end-of-sequence quirk. */
static int subword_spans(const as_tokens *t, char *const *sym, size_t nsym, bool suffix,
                         as_spans *out, as_error *err)
{
    static char sp[] = SENTENCEPIECE_SPACE;
    static char *const def[] = {sp};
    if (!nsym) {
        sym = def;
        nsym = 1;
    }
    out->n = 0;
    out->v = NULL;
    bool any = false;
    for (size_t i = 0; i < t->n && !any; i++)
        for (size_t k = 0; k < nsym && !any; k++)
            any = strstr(t->v[i].text, sym[k]) != NULL;
    if (!any)
        return AS_OK;
    out->v = malloc((t->n + 1) * sizeof *out->v);
    if (!out->v)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    size_t last = 0;
    for (size_t i = 0; i < t->n; i++) {
        bool is_suffix = starts_with_any(t->v[i].text, sym, nsym) == suffix;
        if (is_suffix) {
            if (i == t->n - 1 && i - last > 1)
                out->v[out->n++] = (as_span){(long)last, (long)i};
            continue;
        }
        if (i - last > 1)
            out->v[out->n++] = (as_span){(long)last, (long)i};
        last = i;
    }
    return AS_OK;
}

static as_seq *step_subwords(const as_seq *in, const as_pipe_step *st, as_error *err)
{
    as_spans S = {0}, T = {0};
    as_seq *o = NULL;
    if ((st->aggregate_source &&
         subword_spans(&in->source, st->special_chars, st->nspecial, st->is_suffix_symbol, &S, err)) ||
        (st->aggregate_target &&
         subword_spans(&in->target, st->special_chars, st->nspecial, st->is_suffix_symbol, &T, err)))
        goto done;
    o = spans_apply(in, &S, &T, st->fn, st->vnorm_ord, err);
done:
    free(S.v);
    free(T.v);
    return o;
}

static as_seq *step_split(const as_seq *in, const as_pipe_step *st, as_error *err)
{
    as_spans S = {0}, T = {0};
    as_seq *o = NULL;
    if ((st->aggregate_source &&
         agg_split_spans(&in->source, st->split_pattern, st->split_mode, &S.v, &S.n, err)) ||
        (st->aggregate_target &&
         agg_split_spans(&in->target, st->split_pattern, st->split_mode, &T.v, &T.n, err)))
        goto done;
    o = spans_apply(in, &S, &T, st->fn, st->vnorm_ord, err);
done:
    free(S.v);
    free(T.v);
    return o;
}

/* ---- slices ---------------------------------------------------------- */

static as_seq *step_slices(const as_seq *in, const as_pipe_step *st, as_error *err)
{
    long start = in->attr_pos_start, end = in->attr_pos_end;
    bool have_s = st->set & (1u << AS_KEY_SOURCE_SPANS);
    bool have_t = st->set & (1u << AS_KEY_TARGET_SPANS);
    const as_spans *T0 = &st->target_spans;
    if (have_s && validate_spans(&st->source_spans, in->source.n, "source_spans", "source", err))
        return NULL;
    if (have_t && validate_spans(T0, in->target.n, "target_spans", "target", err))
        return NULL;
    /* Target spans: the generated part is always kept. */
    as_span *T = malloc((T0->n + 1) * sizeof *T);
    as_span *S = malloc((T0->n + st->source_spans.n + 1) * sizeof *S);
    size_t nT = 0, nS = 0;
    as_seq *o = NULL;
    if (!T || !S) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        goto fail;
    }
    bool gen_added = false;
    for (size_t i = 0; have_t && i < T0->n; i++) {
        as_span sp = T0->v[i];
        if (sp.end > start) {
            if (gen_added)
                continue;
            if (sp.start > start) {
                as_error_set(err, AS_EUSAGE,
                             "target_spans: span %ld:%ld starts inside the generated tokens "
                             "(they start at %ld and are always kept); a target span may start "
                             "at %ld at the latest",
                             sp.start, sp.end, start, start);
                goto fail;
            }
            T[nT++] = (as_span){sp.start, end};
            gen_added = true;
        } else {
            T[nT++] = sp;
        }
    }
    if (!gen_added)
        T[nT++] = (as_span){start, end};
    /* Source spans. */
    bool keep_all_source = false;
    if (!in->source_attr) {
        for (size_t i = 0; i < nT; i++) {
            long e = T[i].end < start ? T[i].end : start;
            if (e > T[i].start)
                S[nS++] = (as_span){T[i].start, e};
        }
        if (!have_t && have_s) {
            /* no target spans: inseq would fail; keep the given source spans */
            nS = 0;
            for (size_t i = 0; i < st->source_spans.n; i++)
                S[nS++] = st->source_spans.v[i];
        }
    } else if (have_s) {
        for (size_t i = 0; i < st->source_spans.n; i++)
            S[nS++] = st->source_spans.v[i];
    } else {
        keep_all_source = true;
    }
    if (!(o = seq_new_from(in, COPY_STEP, err)))
        goto fail;
    if (keep_all_source ? attr_tokens_copy(&o->source, &in->source, err)
                        : take_tokens(&in->source, S, nS, &o->source, err))
        goto fail;
    if (take_tokens(&in->target, T, nT, &o->target, err))
        goto fail;
    if (in->source_attr &&
        !(o->source_attr = keep_all_source ? tensor_clone(in->source_attr, err)
                                           : agg_take_dim(in->source_attr, 0, S, nS, err)))
        goto fail;
    if (in->target_attr && !(o->target_attr = agg_take_dim(in->target_attr, 0, T, nT, err)))
        goto fail;
    if (scores_alloc(&o->sequence_scores, in->sequence_scores.n, in->sequence_scores.is_null, err))
        goto fail;
    for (size_t i = 0; i < in->sequence_scores.n; i++) {
        const as_named *nm = &in->sequence_scores.v[i];
        as_tensor *t = NULL;
        if (nm->t->ndim < 1) {
            t = tensor_clone(nm->t, err);
        } else if (!strncmp(nm->name, "decoder", 7)) {
            t = agg_take_dim(nm->t, 0, T, nT, err);
        } else if (keep_all_source) {
            t = tensor_clone(nm->t, err);
        } else if (!strncmp(nm->name, "encoder", 7) && nm->t->ndim >= 2) {
            as_tensor *a = agg_take_dim(nm->t, 0, S, nS, err);
            if (a) {
                t = agg_take_dim(a, 1, S, nS, err);
                tensor_free(a);
            }
        } else {
            t = agg_take_dim(nm->t, 0, S, nS, err);
        }
        if (!t || scores_add(&o->sequence_scores, nm->name, t, err))
            goto fail;
    }
    long ns = 0;
    for (size_t i = 0; i < nT; i++) {
        long e = T[i].end < start ? T[i].end : start;
        if (e > T[i].start)
            ns += e - T[i].start;
    }
    o->attr_pos_start = ns;
    o->attr_pos_end = ns + (long)attr_seq_ncols(in);
    free(T);
    free(S);
    return o;
fail:
    free(T);
    free(S);
    agg_seq_free(o);
    return NULL;
}

/* ---- pair ------------------------------------------------------------ */

static as_tensor *tensor_diff(const as_tensor *base, const as_tensor *paired, as_error *err)
{
    as_tensor *o = tensor_new(base->ndim, base->shape, err);
    if (!o)
        return NULL;
    size_t n = tensor_numel(base);
    for (size_t i = 0; i < n; i++)
        o->data[i] = paired->data[i] - base->data[i];
    return o;
}

static int pair_tokens(const as_tokens *a, const as_tokens *b, as_tokens *out, as_error *err)
{
    if (!b->n)
        return attr_tokens_copy(out, a, err);
    *out = (as_tokens){0};
    out->v = calloc(a->n ? a->n : 1, sizeof *out->v);
    if (!out->v)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        as_token *t = &out->v[i];
        if (!strcmp(a->v[i].text, b->v[i].text)) {
            t->id = a->v[i].id;
            t->text = strdup(a->v[i].text);
        } else {
            size_t la = strlen(a->v[i].text), lb = strlen(b->v[i].text);
            t->id = -1;
            t->text = malloc(la + lb + 6);
            if (t->text) {
                memcpy(t->text, a->v[i].text, la);
                memcpy(t->text + la, " \xe2\x86\x92 ", 5); /* " → " */
                memcpy(t->text + la + 5, b->v[i].text, lb + 1);
            }
        }
        out->n = i + 1;
        if (!t->text) {
            attr_tokens_free(out);
            return as_error_set(err, AS_ENOMEM, "out of memory");
        }
    }
    return AS_OK;
}

static int check_pair(const as_seq *a, const as_seq *b, size_t with, as_error *err)
{
    char sa[96], sb[96];
    if (a->source.n != b->source.n)
        return as_error_set(err, AS_EUSAGE,
                            "source sequences must be the same length: this one has %zu tokens, "
                            "sequence %zu has %zu",
                            a->source.n, with, b->source.n);
    if (a->target.n != b->target.n)
        return as_error_set(err, AS_EUSAGE,
                            "target sequences must be the same length: this one has %zu tokens, "
                            "sequence %zu has %zu",
                            a->target.n, with, b->target.n);
    const as_tensor *ta[2] = {a->source_attr, a->target_attr};
    const as_tensor *tb[2] = {b->source_attr, b->target_attr};
    static const char *const nm[2] = {"source", "target"};
    for (int i = 0; i < 2; i++) {
        if (!ta[i])
            continue;
        if (!tb[i])
            return as_error_set(err, AS_EUSAGE, "sequence %zu has no %s attributions to pair with",
                                with, nm[i]);
        if (!tensor_same_shape(ta[i], tb[i])) {
            tensor_shape_str(ta[i], sa, sizeof sa);
            tensor_shape_str(tb[i], sb, sizeof sb);
            return as_error_set(err, AS_EUSAGE,
                                "%s attributions must be the same shape: %s here, %s in "
                                "sequence %zu",
                                nm[i], sa, sb, with);
        }
    }
    const as_scores *sa_[2] = {&a->step_scores, &a->sequence_scores};
    const as_scores *sb_[2] = {&b->step_scores, &b->sequence_scores};
    static const char *const kind[2] = {"step score", "sequence score"};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < sa_[i]->n; k++) {
            const as_tensor *o = attr_scores_get(sb_[i], sa_[i]->v[k].name);
            if (!o)
                return as_error_set(err, AS_EUSAGE, "%s '%s' must be in sequence %zu too", kind[i],
                                    sa_[i]->v[k].name, with);
            if (!tensor_same_shape(o, sa_[i]->v[k].t)) {
                tensor_shape_str(sa_[i]->v[k].t, sa, sizeof sa);
                tensor_shape_str(o, sb, sizeof sb);
                return as_error_set(err, AS_EUSAGE,
                                    "%s '%s' must be the same shape: %s here, %s in sequence %zu",
                                    kind[i], sa_[i]->v[k].name, sa, sb, with);
            }
        }
    return AS_OK;
}

static as_seq *pair_apply(const as_seq *in, const as_seq *other, size_t with, as_error *err)
{
    if (check_pair(in, other, with, err))
        return NULL;
    as_seq *o = seq_new_from(in, 0, err);
    if (!o)
        return NULL;
    if (pair_tokens(&in->source, &other->source, &o->source, err) ||
        pair_tokens(&in->target, &other->target, &o->target, err))
        goto fail;
    if (in->source_attr && !(o->source_attr = tensor_diff(in->source_attr, other->source_attr, err)))
        goto fail;
    if (in->target_attr && !(o->target_attr = tensor_diff(in->target_attr, other->target_attr, err)))
        goto fail;
    const as_scores *src[2] = {&in->step_scores, &in->sequence_scores};
    const as_scores *oth[2] = {&other->step_scores, &other->sequence_scores};
    as_scores *dst[2] = {&o->step_scores, &o->sequence_scores};
    for (int i = 0; i < 2; i++) {
        if (scores_alloc(dst[i], src[i]->n, src[i]->is_null, err))
            goto fail;
        for (size_t k = 0; k < src[i]->n; k++) {
            const as_tensor *b = attr_scores_get(oth[i], src[i]->v[k].name);
            as_tensor *t = tensor_diff(src[i]->v[k].t, b, err);
            if (!t || scores_add(dst[i], src[i]->v[k].name, t, err))
                goto fail;
        }
    }
    return o;
fail:
    agg_seq_free(o);
    return NULL;
}

/* ---- weight ---------------------------------------------------------- */

static as_seq *run_steps(const as_seq *in, const as_pipe_step *steps, size_t n, as_error *err);

int agg_weight_check(const as_seq *s, const char *name, as_error *err)
{
    if (attr_scores_get(&s->step_scores, name))
        return AS_OK;
    char names[512] = "";
    size_t len = 0;
    const char *near = NULL;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < s->step_scores.n; i++) {
        const char *cand[1] = {s->step_scores.v[i].name};
        if (suggest_near(name, cand, 1) && suggest_distance(name, cand[0]) < best) {
            near = cand[0];
            best = suggest_distance(name, cand[0]);
        }
        len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0,
                                "%s%s", i ? ", " : "", s->step_scores.v[i].name);
    }
    if (near)
        return as_error_set(err, AS_EUSAGE,
                            "weight: there is no step score '%s'; did you mean '%s'? (step "
                            "scores: %s)", name, near, names);
    return as_error_set(err, AS_EUSAGE, "weight: there is no step score '%s' (step scores: %s)",
                        name, s->step_scores.n ? names : "none");
}

as_seq *agg_weight(const as_seq *s, const char *name, as_error *err)
{
    const as_tensor *w = attr_scores_get(&s->step_scores, name);
    if (!w) {
        agg_weight_check(s, name, err);
        return NULL;
    }
    as_pipe_step steps[AS_MAX_DIMS];
    size_t n = default_steps(s, steps);
    as_seq *o = run_steps(s, steps, n, err);
    if (!o)
        return NULL;
    size_t nc = attr_seq_ncols(o);
    if (tensor_numel(w) != nc) {
        as_error_set(err, AS_EDATA,
                     "weight: step score '%s' has %zu values but there are %zu generated tokens",
                     name, tensor_numel(w), nc);
        goto fail;
    }
    as_tensor *ts[2] = {o->source_attr, o->target_attr};
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        if (ts[i]->ndim != 2) {
            char sh[96];
            tensor_shape_str(ts[i], sh, sizeof sh);
            as_error_set(err, AS_EUSAGE,
                         "weight: the attributions are %s after the default aggregation; "
                         "weighting needs 2-dimensional attributions",
                         sh);
            goto fail;
        }
        size_t rows = ts[i]->shape[0], cols = ts[i]->shape[1];
        for (size_t r = 0; r < rows; r++)
            for (size_t c = 0; c < cols; c++)
                ts[i]->data[r * cols + c] *= w->data[c];
    }
    return o;
fail:
    agg_seq_free(o);
    return NULL;
}

/* ---- Pipelines ------------------------------------------------------- */

typedef struct run_ctx {
    const as_output *out;
    const as_pipeline *p;
    const char *weight;
    int depth;
} run_ctx;

static as_seq *run_seq(const run_ctx *c, size_t idx, size_t upto, bool *identity, as_error *err);

/* Applies one (non-default) step to cur. */
static as_seq *apply_step(const run_ctx *c, const as_seq *cur, const as_pipe_step *st,
                          size_t stepidx, as_error *err)
{
    switch (st->kind) {
    case AS_AGG_SCORES:
        return step_scores(cur, st, err);
    case AS_AGG_SPANS:
        return spans_apply(cur, &st->source_spans, &st->target_spans, st->fn, st->vnorm_ord, err);
    case AS_AGG_SUBWORDS:
        return step_subwords(cur, st, err);
    case AS_AGG_SPLIT:
        return step_split(cur, st, err);
    case AS_AGG_SLICES:
        return step_slices(cur, st, err);
    case AS_AGG_PAIR: {
        if (!c || !c->out) {
            as_error_set(err, AS_EUSAGE, "pair needs the other sequences of the output");
            return NULL;
        }
        if (st->with < 0 || (size_t)st->with >= c->out->nseqs) {
            as_error_set(err, AS_EUSAGE,
                         "with=%ld: there is no sequence %ld (the output has %zu sequences, "
                         "0 to %zu)",
                         st->with, st->with, c->out->nseqs, c->out->nseqs ? c->out->nseqs - 1 : 0);
            return NULL;
        }
        if (c->depth > 16) {
            as_error_set(err, AS_EUSAGE, "pair steps nested too deeply");
            return NULL;
        }
        run_ctx sub = *c;
        sub.depth++;
        bool ident = false;
        as_error e2;
        as_error_clear(&e2);
        as_seq *other = run_seq(&sub, (size_t)st->with, stepidx, &ident, &e2);
        if (!other && !ident) {
            as_error_set(err, e2.code ? e2.code : AS_EUSAGE, "sequence %ld: %s", st->with, e2.msg);
            return NULL;
        }
        as_seq *o = pair_apply(cur, ident ? &c->out->seqs[st->with] : other, (size_t)st->with,
                               err);
        agg_seq_free(other);
        return o;
    }
    case AS_AGG_DEFAULT:
    case AS_AGG_NKINDS:
        break;
    }
    as_error_set(err, AS_EUSAGE, "internal: unexpected step kind");
    return NULL;
}

static const char *step_label(const as_pipe_step *st)
{
    if (st->kind == AS_AGG_SCORES && st->fn != AS_FN_NONE)
        return pipe_fn_name(st->fn);
    return pipe_kind_name(st->kind);
}

/* Replaces *cur (freeing it when owned) by next. */
static void advance(const as_seq **cur, as_seq **owned, as_seq *next)
{
    agg_seq_free(*owned);
    *owned = next;
    *cur = next;
}

/* Runs plain steps (no pair, no default) on in; always returns a new seq. */
static as_seq *run_steps(const as_seq *in, const as_pipe_step *steps, size_t n, as_error *err)
{
    const as_seq *cur = in;
    as_seq *owned = NULL;
    for (size_t i = 0; i < n; i++) {
        as_seq *next = apply_step(NULL, cur, &steps[i], i, err);
        if (!next) {
            agg_seq_free(owned);
            return NULL;
        }
        advance(&cur, &owned, next);
    }
    if (!owned) {
        as_seq *o = calloc(1, sizeof *o);
        if (!o || attr_seq_copy(o, in, err)) {
            if (!o)
                as_error_set(err, AS_ENOMEM, "out of memory");
            free(o);
            return NULL;
        }
        return o;
    }
    return owned;
}

/* Runs steps [0, upto) of c->p on sequence idx.  Returns a new sequence, or
 * NULL with *identity set when nothing was computed (the input stands), or
 * NULL with err set. */
static as_seq *run_seq(const run_ctx *c, size_t idx, size_t upto, bool *identity, as_error *err)
{
    const as_seq *in = &c->out->seqs[idx];
    *identity = false;
    if (validate_seq(in, err))
        return NULL;
    const as_seq *cur = in;
    as_seq *owned = NULL;
    if (c->weight) {
        as_seq *w = agg_weight(in, c->weight, err);
        if (!w)
            return NULL;
        advance(&cur, &owned, w);
    }
    const as_pipeline *p = c->p;
    size_t nsteps = p->form == AS_PIPE_STEPS ? p->nsteps : p->form == AS_PIPE_DEFAULT ? 1 : 0;
    if (upto > nsteps)
        upto = nsteps;
    for (size_t i = 0; i < upto; i++) {
        as_pipe_step defstep;
        const as_pipe_step *st;
        if (p->form == AS_PIPE_DEFAULT) {
            pipe_step_init(&defstep, AS_AGG_DEFAULT);
            st = &defstep;
        } else {
            st = &p->steps[i];
        }
        if (st->kind == AS_AGG_DEFAULT) {
            if (c->weight)
                continue; /* weighting already applied the default */
            as_pipe_step ds[AS_MAX_DIMS];
            size_t nd = default_steps(cur, ds);
            for (size_t k = 0; k < nd; k++) {
                as_seq *next = apply_step(c, cur, &ds[k], i, err);
                if (!next) {
                    as_error_prefix(err, "step %zu 'default' (%s)", i + 1, step_label(&ds[k]));
                    agg_seq_free(owned);
                    return NULL;
                }
                advance(&cur, &owned, next);
            }
            continue;
        }
        as_seq *next = apply_step(c, cur, st, i, err);
        if (!next) {
            as_error_prefix(err, "step %zu '%s'", i + 1, step_label(st));
            agg_seq_free(owned);
            return NULL;
        }
        advance(&cur, &owned, next);
    }
    if (!owned)
        *identity = true;
    return owned;
}

static as_seq *apply_impl(const as_output *out, size_t seq, const as_pipeline *p,
                          const char *weight, bool *identity, as_error *err)
{
    *identity = false;
    if (seq >= out->nseqs) {
        as_error_set(err, AS_EUSAGE, "there is no sequence %zu (the output has %zu)", seq,
                     out->nseqs);
        return NULL;
    }
    run_ctx c = {.out = out, .p = p, .weight = weight && *weight ? weight : NULL};
    size_t n = p->form == AS_PIPE_STEPS ? p->nsteps : 1;
    as_error e;
    as_error_clear(&e);
    as_seq *r = run_seq(&c, seq, n, identity, &e);
    if (!r && !*identity) {
        as_error_set(err, e.code ? e.code : AS_EUSAGE, "sequence %zu: %s", seq, e.msg);
        return NULL;
    }
    return r;
}

as_seq *agg_apply_shared(const as_output *out, size_t seq, const as_pipeline *p,
                         const char *weight, bool *identity, as_error *err)
{
    return apply_impl(out, seq, p, weight, identity, err);
}

as_seq *agg_apply(const as_output *out, size_t seq, const as_pipeline *p, const char *weight,
                  as_error *err)
{
    bool ident;
    as_seq *r = apply_impl(out, seq, p, weight, &ident, err);
    if (r || !ident)
        return r;
    as_seq *o = calloc(1, sizeof *o);
    if (!o) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    if (attr_seq_copy(o, &out->seqs[seq], err)) {
        free(o);
        return NULL;
    }
    return o;
}

as_seq *agg_apply_str(const as_output *out, size_t seq, const char *pipeline, const char *weight,
                      as_error *err)
{
    as_pipeline p;
    if (pipe_parse(pipeline, &p, NULL, err))
        return NULL;
    as_seq *r = agg_apply(out, seq, &p, weight, err);
    pipe_free(&p);
    return r;
}

/* ---- Checks and summaries -------------------------------------------- */

int agg_check_2d(const as_seq *s, as_error *err)
{
    const as_tensor *ts[2] = {s->source_attr, s->target_attr};
    static const char *const names[2] = {"source_attributions", "target_attributions"};
    for (int i = 0; i < 2; i++) {
        if (ts[i] && ts[i]->ndim != 2) {
            char sh[96];
            tensor_shape_str(ts[i], sh, sizeof sh);
            return as_error_set(err, AS_EUSAGE,
                                "the aggregated attributions must be 2-dimensional to be shown, "
                                "but %s has shape %s; add a step that reduces the extra "
                                "dimensions (e.g. 'vnorm' or 'mean')",
                                names[i], sh);
        }
    }
    return AS_OK;
}

double agg_minimum(const as_seq *s)
{
    range_acc a;
    range_acc_init(&a, false);
    range_acc_seq(&a, s);
    return a.n && a.min < 0 ? a.min : 0;
}

double agg_maximum(const as_seq *s)
{
    range_acc a;
    range_acc_init(&a, false);
    range_acc_seq(&a, s);
    return a.n && a.max > 0 ? a.max : 0;
}

static json_t *num(float v)
{
    if (!isfinite(v))
        return attr_json_make_nonfinite(v);
    return json_real((double)v);
}

static int set_new(json_t *obj, const char *key, json_t *val, as_error *err)
{
    if (!val || json_object_set_new_nocheck(obj, key, val))
        return as_error_set(err, AS_ENOMEM, "out of memory");
    return AS_OK;
}

static char *tok_key(long idx, const char *text)
{
    size_t n = strlen(text) + 24;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%ld:%s", idx, text);
    return k;
}

json_t *agg_scores_dicts(const as_seq *s, as_error *err)
{
    if (agg_check_2d(s, err) || validate_seq(s, err))
        return NULL;
    json_t *root = json_object();
    json_t *sa = json_object(), *ta = json_object(), *ss = json_object();
    if (!root || !sa || !ta || !ss) {
        json_decref(root);
        json_decref(sa);
        json_decref(ta);
        json_decref(ss);
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    json_object_set_new(root, "source_attributions", sa);
    json_object_set_new(root, "target_attributions", ta);
    json_object_set_new(root, "step_scores", ss);
    size_t nc = attr_seq_ncols(s);
    for (long j = s->attr_pos_start; j < s->attr_pos_end; j++) {
        size_t col = (size_t)(j - s->attr_pos_start);
        char *gk = tok_key(j, s->target.v[j].text);
        if (!gk)
            goto nomem;
        if (s->source_attr) {
            json_t *o = json_object();
            if (set_new(sa, gk, o, err))
                goto fail_key;
            for (size_t i = 0; i < s->source.n; i++) {
                char *k = tok_key((long)i, s->source.v[i].text);
                int rc = k ? set_new(o, k, num(s->source_attr->data[i * nc + col]), err)
                           : as_error_set(err, AS_ENOMEM, "out of memory");
                free(k);
                if (rc)
                    goto fail_key;
            }
        }
        if (s->target_attr) {
            json_t *o = json_object();
            if (set_new(ta, gk, o, err))
                goto fail_key;
            size_t rows = s->target_attr->shape[0];
            for (long i = 0; i < s->attr_pos_end && (size_t)i < rows; i++) {
                char *k = tok_key(i, s->target.v[i].text);
                int rc = k ? set_new(o, k, num(s->target_attr->data[(size_t)i * nc + col]), err)
                           : as_error_set(err, AS_ENOMEM, "out of memory");
                free(k);
                if (rc)
                    goto fail_key;
            }
        }
        if (!s->step_scores.is_null) {
            json_t *o = json_object();
            if (set_new(ss, gk, o, err))
                goto fail_key;
            for (size_t k = 0; k < s->step_scores.n; k++) {
                const as_tensor *t = s->step_scores.v[k].t;
                float v = col < tensor_numel(t) ? t->data[col] : NAN;
                if (set_new(o, s->step_scores.v[k].name, num(v), err))
                    goto fail_key;
            }
        }
        free(gk);
        continue;
fail_key:
        free(gk);
        json_decref(root);
        return NULL;
    }
    return root;
nomem:
    json_decref(root);
    as_error_set(err, AS_ENOMEM, "out of memory");
    return NULL;
}

size_t agg_seq_bytes(const as_seq *s)
{
    size_t b = sizeof *s;
    const as_tensor *ts[2] = {s->source_attr, s->target_attr};
    for (int i = 0; i < 2; i++)
        if (ts[i])
            b += tensor_numel(ts[i]) * sizeof(float);
    const as_scores *sc[2] = {&s->step_scores, &s->sequence_scores};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < sc[i]->n; k++)
            b += tensor_numel(sc[i]->v[k].t) * sizeof(float) + strlen(sc[i]->v[k].name) + 1;
    const as_tokens *tk[2] = {&s->source, &s->target};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < tk[i]->n; k++)
            b += sizeof(as_token) + strlen(tk[i]->v[k].text) + 1;
    return b;
}
