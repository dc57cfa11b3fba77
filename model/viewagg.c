/* viewagg.c - the view's aggregation seam (see viewagg.h).
 *
 * This build has no aggregation module: `none` and `default` both show the
 * raw sequence, other steps are unknown, weighting is not available. */
#include "viewagg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct view_agg {
    const as_output *out;
};

view_agg *view_agg_new(const as_output *out, as_error *err)
{
    view_agg *a = calloc(1, sizeof *a);
    if (!a) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    a->out = out;
    return a;
}

void view_agg_free(view_agg *a)
{
    free(a);
}

void view_agg_reset(view_agg *a, const as_output *out)
{
    a->out = out;
}

/* The first word of a pipeline string into buf; returns the rest. */
static const char *first_word(const char *p, char *buf, size_t n)
{
    while (isspace((unsigned char)*p))
        p++;
    size_t k = 0;
    while (*p && !isspace((unsigned char)*p) && *p != '|') {
        if (k + 1 < n)
            buf[k++] = *p;
        p++;
    }
    buf[k] = '\0';
    return p;
}

int view_agg_check(const char *pipeline, as_error *err)
{
    char w[64];
    const char *rest = first_word(pipeline ? pipeline : "", w, sizeof w);
    while (isspace((unsigned char)*rest))
        rest++;
    if (!w[0] && !*rest)
        return AS_OK;
    if (!w[0])
        return as_error_set(err, AS_EUSAGE, "pipeline: empty step before '|'");
    if (strcmp(w, "none") && strcmp(w, "default"))
        return as_error_set(err, AS_EUSAGE, "pipeline: unknown step '%s'", w);
    if (*rest == '|')
        return as_error_set(err, AS_EUSAGE, "pipeline: '%s' must be the whole pipeline", w);
    if (*rest)
        return as_error_set(err, AS_EUSAGE, "pipeline: '%s' takes no keys", w);
    return AS_OK;
}

int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err)
{
    res->seq = NULL;
    res->owned = NULL;
    if (view_agg_check(pipeline, err))
        return AS_EUSAGE;
    if (weight && *weight)
        return as_error_set(err, AS_EUSAGE,
                            "--weight %s: weighting needs the aggregation module, "
                            "which this build lacks", weight);
    if (!a->out || seq >= a->out->nseqs)
        return as_error_set(err, AS_EUSAGE, "no sequence %zu", seq);
    res->seq = &a->out->seqs[seq];
    return AS_OK;
}

void view_agg_release(view_agg *a, view_agg_result *res)
{
    (void)a;
    if (res->owned) {
        attr_seq_free(res->owned);
        free(res->owned);
    }
    res->seq = NULL;
    res->owned = NULL;
}

static const char *const k_scores[] = {"select_idx", "normalize", "rescale", "vnorm_ord", NULL};
static const char *const k_spans[] = {"source_spans", "target_spans", NULL};
static const char *const k_subwords[] = {"special_chars", "is_suffix_symbol", NULL};
static const char *const k_split[] = {"split_pattern", "split_mode", NULL};
static const char *const k_pair[] = {"with", NULL};
static const char *const k_none[] = {NULL};

static const view_agg_step steps[] = {
    {"none", "no aggregation: the tensors as the file holds them", k_none},
    {"default", "the class default (granular: vnorm, multi-dimensional: mean per dim)", k_none},
    {"scores", "reduce the last dim (scores:FN), then normalize", k_scores},
    {"mean", "scores with mean", k_scores},
    {"max", "scores with max", k_scores},
    {"min", "scores with min", k_scores},
    {"sum", "scores with sum", k_scores},
    {"prod", "scores with prod", k_scores},
    {"absmax", "scores with absmax (largest |x|, sign kept)", k_scores},
    {"vnorm", "scores with the vector norm (vnorm_ord, default 2)", k_scores},
    {"spans", "merge token spans (spans:FN, default absmax)", k_spans},
    {"subwords", "merge subword runs into words", k_subwords},
    {"split", "merge tokens between regex matches", k_split},
    {"slices", "keep only the given token ranges", k_spans},
    {"pair", "paired - base against another sequence (with=INDEX)", k_pair},
};

const view_agg_step *view_agg_steps(size_t *n)
{
    *n = sizeof steps / sizeof steps[0];
    return steps;
}

static const char *const fns[] = {"mean", "max", "min", "sum", "prod", "absmax", "vnorm", NULL};

const char *const *view_agg_fns(void)
{
    return fns;
}

static const char *const v_bool[] = {"true", "false", NULL};
static const char *const v_split_mode[] = {"single", "start", "end", NULL};

const char *const *view_agg_key_values(const char *key)
{
    if (!strcmp(key, "normalize") || !strcmp(key, "rescale") ||
        !strcmp(key, "is_suffix_symbol"))
        return v_bool;
    if (!strcmp(key, "split_mode"))
        return v_split_mode;
    return NULL;
}
