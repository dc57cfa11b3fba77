/* range.c - color ranges from finite values (see range.h). */
#include "range.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensor.h"

void range_acc_init(range_acc *a, bool keep)
{
    memset(a, 0, sizeof *a);
    a->keep = keep;
}

void range_acc_free(range_acc *a)
{
    free(a->absv);
    a->absv = NULL;
    a->len = a->cap = 0;
}

void range_acc_add(range_acc *a, double v)
{
    if (!isfinite(v))
        return;
    if (a->n == 0 || v < a->min)
        a->min = v;
    if (a->n == 0 || v > a->max)
        a->max = v;
    a->n++;
    if (!a->keep || a->oom)
        return;
    if (a->len == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        double *p = realloc(a->absv, cap * sizeof *p);
        if (!p) {
            a->oom = true;
            return;
        }
        a->absv = p;
        a->cap = cap;
    }
    a->absv[a->len++] = fabs(v);
}

void range_acc_tensor(range_acc *a, const as_tensor *t)
{
    if (!t)
        return;
    size_t n = tensor_numel(t);
    const float *d = t->data;
    if (!a->keep) {
        /* the common case without a copy: one pass over the data */
        double mn = a->n ? a->min : INFINITY, mx = a->n ? a->max : -INFINITY;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            float v = d[i];
            if (!isfinite(v))
                continue;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            k++;
        }
        if (k) {
            a->min = mn;
            a->max = mx;
            a->n += k;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        range_acc_add(a, d[i]);
}

void range_acc_seq(range_acc *a, const as_seq *s)
{
    range_acc_tensor(a, s->source_attr);
    range_acc_tensor(a, s->target_attr);
}

double range_acc_absmax(const range_acc *a)
{
    if (!a->n)
        return 0;
    double x = fabs(a->min), y = fabs(a->max);
    return x > y ? x : y;
}

bool range_needs_values(const as_range_spec *s)
{
    return s->mode == AS_RANGE_PERCENTILE && !s->has_max;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The P-th percentile of the kept |v| (linear between closest ranks, as
 * numpy's default); the largest |v| when the values could not be kept. */
static double percentile(range_acc *a, double p)
{
    if (!a->keep || a->oom || a->len == 0)
        return range_acc_absmax(a);
    qsort(a->absv, a->len, sizeof *a->absv, cmp_double);
    double pos = (p / 100.0) * (double)(a->len - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= a->len)
        return a->absv[a->len - 1];
    double f = pos - (double)i;
    return a->absv[i] + (a->absv[i + 1] - a->absv[i]) * f;
}

as_range range_resolve(const as_range_spec *s, range_acc *a)
{
    as_range r = {0, 0, s->mode == AS_RANGE_ONE_SIDED};
    double hi;
    switch (s->mode) {
    case AS_RANGE_INSEQ:
        hi = a->n && a->max > 0 ? a->max : 0;
        break;
    case AS_RANGE_PERCENTILE: {
        double p = s->percentile > 0 && s->percentile <= 100 ? s->percentile
                                                               : AS_RANGE_DEFAULT_PERCENTILE;
        hi = s->has_max ? s->max : percentile(a, p);
        break;
    }
    default:
        hi = range_acc_absmax(a);
        break;
    }
    r.hi = s->has_max ? s->max : hi;
    r.lo = s->has_min ? s->min : r.one_sided ? 0 : -r.hi;
    return r;
}

const char *range_mode_name(as_range_mode m)
{
    static const char *const names[] = {"abs", "inseq", "one-sided", "percentile"};
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "abs";
}

bool range_mode_parse(const char *s, as_range_spec *out)
{
    static const struct {
        const char *name;
        as_range_mode m;
    } names[] = {
        {"abs", AS_RANGE_ABS},           {"symmetric", AS_RANGE_ABS},
        {"inseq", AS_RANGE_INSEQ},       {"one-sided", AS_RANGE_ONE_SIDED},
        {"onesided", AS_RANGE_ONE_SIDED}, {"percentile", AS_RANGE_PERCENTILE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) {
            out->mode = names[i].m;
            return true;
        }
    return false;
}

void range_spec_label(const as_range_spec *s, char *buf, size_t cap)
{
    if (s->has_min && s->has_max) {
        snprintf(buf, cap, "set");
        return;
    }
    char m[32];
    if (s->mode == AS_RANGE_PERCENTILE)
        snprintf(m, sizeof m, "p%g",
                 s->percentile > 0 && s->percentile <= 100 ? s->percentile
                                                           : AS_RANGE_DEFAULT_PERCENTILE);
    else
        snprintf(m, sizeof m, "%s", range_mode_name(s->mode));
    snprintf(buf, cap, "%s%s", m, s->has_max ? ", max set" : s->has_min ? ", min set" : "");
}
