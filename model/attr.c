#include "attr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[] = {
    [AS_CLS_BASE] = "FeatureAttributionSequenceOutput",
    [AS_CLS_GRANULAR] = "GranularFeatureAttributionSequenceOutput",
    [AS_CLS_COARSE] = "CoarseFeatureAttributionSequenceOutput",
    [AS_CLS_MULTIDIM] = "MultiDimensionalFeatureAttributionSequenceOutput",
};
static const char *const class_short[] = {
    [AS_CLS_BASE] = "base",
    [AS_CLS_GRANULAR] = "granular",
    [AS_CLS_COARSE] = "coarse",
    [AS_CLS_MULTIDIM] = "multidim",
};

const char *attr_class_name(as_class c) { return class_names[c]; }
const char *attr_class_short(as_class c) { return class_short[c]; }

bool attr_class_parse(const char *name, as_class *out)
{
    static const struct { const char *prefix; as_class c; } tab[] = {
        {"Granular", AS_CLS_GRANULAR},
        {"Coarse", AS_CLS_COARSE},
        {"MultiDimensional", AS_CLS_MULTIDIM},
        {"", AS_CLS_BASE},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        size_t pl = strlen(tab[i].prefix);
        if (strncmp(name, tab[i].prefix, pl) != 0)
            continue;
        const char *rest = name + pl;
        if (!strcmp(rest, "FeatureAttributionSequenceOutput") ||
            !strcmp(rest, "FeatureAttributionStepOutput")) {
            *out = tab[i].c;
            return true;
        }
    }
    return false;
}

as_class attr_class_for_rank(int ndim)
{
    if (ndim <= 2)
        return AS_CLS_COARSE;
    if (ndim == 3)
        return AS_CLS_GRANULAR;
    return AS_CLS_MULTIDIM;
}

const char *attr_dim_name(as_class c, int ndim, int d)
{
    static const char *const generic[AS_MAX_DIMS] = {
        "Dimension 0", "Dimension 1", "Dimension 2", "Dimension 3",
        "Dimension 4", "Dimension 5", "Dimension 6", "Dimension 7",
    };
    if (d == 0)
        return "Input Tokens";
    if (d == 1)
        return "Generated Tokens";
    if (d < 0 || d >= AS_MAX_DIMS)
        return "Dimension";
    if (c == AS_CLS_MULTIDIM || (c == AS_CLS_BASE && ndim >= 4)) {
        if (d == 2)
            return "Model Layer";
        if (d == 3)
            return "Attention Head";
    } else if (d == 2 && (c == AS_CLS_GRANULAR || c == AS_CLS_BASE || ndim == 3)) {
        return "Embedding Dimension";
    }
    return generic[d];
}

size_t attr_seq_ncols(const as_seq *s)
{
    return s->attr_pos_end > s->attr_pos_start ? (size_t)(s->attr_pos_end - s->attr_pos_start) : 0;
}

const as_tensor *attr_scores_get(const as_scores *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].name, name))
            return s->v[i].t;
    return NULL;
}

bool attr_json_nonfinite(const json_t *j, double *v)
{
    if (!json_is_string(j) || json_string_length(j) < 4)
        return false;
    const char *s = json_string_value(j);
    if (s[0] != '\0')
        return false;
    size_t n = json_string_length(j) - 1;
    if (n == 3 && !memcmp(s + 1, "NaN", 3))
        *v = NAN;
    else if (n == 8 && !memcmp(s + 1, "Infinity", 8))
        *v = INFINITY;
    else if (n == 9 && !memcmp(s + 1, "-Infinity", 9))
        *v = -INFINITY;
    else
        return false;
    return true;
}

json_t *attr_json_make_nonfinite(double v)
{
    if (isnan(v))
        return json_stringn("\0NaN", 4);
    if (v > 0)
        return json_stringn("\0Infinity", 9);
    return json_stringn("\0-Infinity", 10);
}

void attr_tokens_free(as_tokens *t)
{
    if (!t)
        return;
    if (t->pool)
        free(t->pool);
    else
        for (size_t i = 0; i < t->n; i++)
            free(t->v[i].text);
    free(t->v);
    t->v = NULL;
    t->n = 0;
    t->pool = NULL;
}

int attr_tokens_copy(as_tokens *dst, const as_tokens *src, as_error *err)
{
    *dst = (as_tokens){0};
    dst->v = calloc(src->n ? src->n : 1, sizeof *dst->v);
    if (!dst->v)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < src->n; i++) {
        dst->v[i].id = src->v[i].id;
        dst->v[i].text = strdup(src->v[i].text);
        dst->n = i + 1;
        if (!dst->v[i].text) {
            attr_tokens_free(dst);
            return as_error_set(err, AS_ENOMEM, "out of memory");
        }
    }
    return AS_OK;
}

void attr_scores_free(as_scores *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        tensor_free(s->v[i].t);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

int attr_scores_copy(as_scores *dst, const as_scores *src, as_error *err)
{
    dst->n = 0;
    dst->is_null = src->is_null;
    dst->v = calloc(src->n ? src->n : 1, sizeof *dst->v);
    if (!dst->v)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < src->n; i++) {
        as_named *d = &dst->v[i];
        d->name = strdup(src->v[i].name);
        d->t = tensor_clone(src->v[i].t, err);
        dst->n = i + 1;
        if (!d->name || !d->t) {
            attr_scores_free(dst);
            return err && err->code ? err->code : as_error_set(err, AS_ENOMEM, "out of memory");
        }
    }
    return AS_OK;
}

void attr_seq_free(as_seq *s)
{
    if (!s)
        return;
    free(s->class_name);
    free(s->class_module);
    attr_tokens_free(&s->source);
    attr_tokens_free(&s->target);
    tensor_free(s->source_attr);
    tensor_free(s->target_attr);
    attr_scores_free(&s->step_scores);
    attr_scores_free(&s->sequence_scores);
    memset(s, 0, sizeof *s);
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *fail = true;
    return d;
}

int attr_seq_copy(as_seq *dst, const as_seq *src, as_error *err)
{
    bool fail = false;
    memset(dst, 0, sizeof *dst);
    dst->cls = src->cls;
    dst->attr_pos_start = src->attr_pos_start;
    dst->attr_pos_end = src->attr_pos_end;
    dst->file_index = src->file_index;
    dst->class_name = dup_or_null(src->class_name, &fail);
    dst->class_module = dup_or_null(src->class_module, &fail);
    if (fail)
        goto nomem;
    if (attr_tokens_copy(&dst->source, &src->source, err) ||
        attr_tokens_copy(&dst->target, &src->target, err))
        goto fail;
    if (src->source_attr && !(dst->source_attr = tensor_clone(src->source_attr, err)))
        goto fail;
    if (src->target_attr && !(dst->target_attr = tensor_clone(src->target_attr, err)))
        goto fail;
    if (attr_scores_copy(&dst->step_scores, &src->step_scores, err) ||
        attr_scores_copy(&dst->sequence_scores, &src->sequence_scores, err))
        goto fail;
    return AS_OK;
nomem:
    as_error_set(err, AS_ENOMEM, "out of memory");
fail:
    attr_seq_free(dst);
    return err ? err->code : AS_ENOMEM;
}

static void tokens_list_free(as_tokens *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        attr_tokens_free(&v[i]);
    free(v);
}

void attr_step_free(as_step *s)
{
    if (!s)
        return;
    free(s->class_name);
    free(s->class_module);
    tensor_free(s->source_attr);
    tensor_free(s->target_attr);
    attr_scores_free(&s->step_scores);
    attr_scores_free(&s->sequence_scores);
    tokens_list_free(s->source, s->nsource);
    tokens_list_free(s->prefix, s->nprefix);
    tokens_list_free(s->target, s->ntarget);
    memset(s, 0, sizeof *s);
}

void attr_output_free(as_output *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nseqs; i++)
        attr_seq_free(&o->seqs[i]);
    free(o->seqs);
    for (size_t i = 0; i < o->nsteps; i++)
        attr_step_free(&o->steps[i]);
    free(o->steps);
    json_decref(o->info);
    for (size_t i = 0; i < o->nfiles; i++)
        free(o->files[i]);
    free(o->files);
    free(o->notes);
    free(o);
}
