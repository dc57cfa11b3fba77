/* agg_reduce.c - tensor reductions for aggregation: the aggregation
 * functions, reducing the last dimension (multi-threaded for large tensors),
 * merging spans along a dimension, slicing, normalize and rescale. */
#include "agg_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sum of squares of n contiguous floats, double accumulation in 8 lanes. */
static double sumsq_contig(const float *x, size_t n)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
        double v4 = x[i + 4], v5 = x[i + 5], v6 = x[i + 6], v7 = x[i + 7];
        a0 += v0 * v0;
        a1 += v1 * v1;
        a2 += v2 * v2;
        a3 += v3 * v3;
        a4 += v4 * v4;
        a5 += v5 * v5;
        a6 += v6 * v6;
        a7 += v7 * v7;
    }
    for (; i < n; i++) {
        double v = x[i];
        a0 += v * v;
    }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}

static double sum_contig(const float *x, size_t n)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += x[i];
        a1 += x[i + 1];
        a2 += x[i + 2];
        a3 += x[i + 3];
    }
    for (; i < n; i++)
        a0 += x[i];
    return (a0 + a1) + (a2 + a3);
}

static double abssum_contig(const float *x, size_t n)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        a0 += fabs((double)x[i]);
        a1 += fabs((double)x[i + 1]);
        a2 += fabs((double)x[i + 2]);
        a3 += fabs((double)x[i + 3]);
        a4 += fabs((double)x[i + 4]);
        a5 += fabs((double)x[i + 5]);
        a6 += fabs((double)x[i + 6]);
        a7 += fabs((double)x[i + 7]);
    }
    for (; i < n; i++)
        a0 += fabs((double)x[i]);
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}

static float vnorm_vec(const float *x, size_t n, size_t stride, double ord)
{
    if (ord == 2) {
        double s = 0;
        if (stride == 1)
            s = sumsq_contig(x, n);
        else
            for (size_t i = 0; i < n; i++) {
                double v = x[i * stride];
                s += v * v;
            }
        return (float)sqrt(s);
    }
    if (ord == 1) {
        double s = 0;
        if (stride == 1)
            s = abssum_contig(x, n);
        else
            for (size_t i = 0; i < n; i++)
                s += fabs((double)x[i * stride]);
        return (float)s;
    }
    if (isinf(ord)) {
        if (n == 0)
            return ord > 0 ? 0.0f : INFINITY;
        float m = fabsf(x[0]);
        for (size_t i = 0; i < n; i++) {
            float v = fabsf(x[i * stride]);
            if (isnan(v))
                return NAN;
            if (ord > 0 ? v > m : v < m)
                m = v;
        }
        return m;
    }
    if (ord == 0) {
        double c = 0;
        for (size_t i = 0; i < n; i++)
            c += x[i * stride] != 0.0f;
        return (float)c;
    }
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += pow(fabs((double)x[i * stride]), ord);
    return (float)pow(s, 1.0 / ord);
}

/* The larger of a and b (the smaller when !want_max); a when they are equal
 * or b is NaN. */
static inline float pick(float a, float b, bool want_max)
{
    return (want_max ? b > a : b < a) ? b : a;
}

/* max (or min) of n > 0 contiguous floats, NaN if any is NaN: eight
 * independent lanes, the NaN test apart, so the loop has no early exit.
 * Always inlined, so each caller's constant want_max leaves a loop without
 * the test. */
static inline __attribute__((always_inline)) float maxmin_contig(const float *x, size_t n,
                                                                 bool want_max)
{
    float m[8];
    for (int k = 0; k < 8; k++)
        m[k] = x[0];
    int nan = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) {
            nan |= x[i + k] != x[i + k];
            m[k] = pick(m[k], x[i + k], want_max);
        }
    for (; i < n; i++) {
        nan |= x[i] != x[i];
        m[0] = pick(m[0], x[i], want_max);
    }
    if (nan)
        return NAN;
    float r = m[0];
    for (int k = 1; k < 8; k++)
        r = pick(r, m[k], want_max);
    return r;
}

/* |nan_to_num(v)| as torch computes it for absmax (NaN gives 0, infinity
 * FLT_MAX), as an integer that orders as the float does: non-negative
 * floats order as their bit patterns. */
static inline uint32_t absmax_bits(float v)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    b &= 0x7fffffffu;
    b = b > 0x7f800000u ? 0 : b;
    return b == 0x7f800000u ? 0x7f7fffffu : b;
}

/* Four int32 lanes (GCC and Clang vector extensions: SSE2 on x86-64, plain
 * code where there is no such unit).  The keys fit in 31 bits, so signed
 * comparisons order them. */
typedef int32_t i32x4 __attribute__((vector_size(16)));

static inline i32x4 absmax_key4(const float *x)
{
    const i32x4 sign = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const i32x4 inf = {0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000};
    const i32x4 fmax = {0x7f7fffff, 0x7f7fffff, 0x7f7fffff, 0x7f7fffff};
    i32x4 k;
    memcpy(&k, x, sizeof k);
    k &= sign;
    k &= (k <= inf);                            /* NaN: 0 */
    i32x4 isinf = k == inf;
    return (k & ~isinf) | (fmax & isinf);       /* infinity: FLT_MAX */
}

/* The first element of n > 0 contiguous floats with the largest
 * absmax_bits key, in one pass: eight lanes (two vectors) each keep their
 * largest key and the first position of it, then the lanes are compared,
 * ties going to the earlier position. */
static float absmax_contig(const float *x, size_t n)
{
    size_t i = 1, at = 0;
    uint32_t best = absmax_bits(x[0]);
    if (n >= 16 && n <= INT32_MAX) {
        const i32x4 four = {4, 4, 4, 4}, eight = four + four;
        i32x4 ka = absmax_key4(x), kb = absmax_key4(x + 4);
        i32x4 ia = {0, 1, 2, 3}, ib = ia + four, pa = ia, pb = ib;
        for (i = 8; i + 8 <= n; i += 8) {
            pa += eight;
            pb += eight;
            i32x4 a = absmax_key4(x + i), b = absmax_key4(x + i + 4);
            i32x4 ga = a > ka, gb = b > kb;
            ka = (a & ga) | (ka & ~ga);
            ia = (pa & ga) | (ia & ~ga);
            kb = (b & gb) | (kb & ~gb);
            ib = (pb & gb) | (ib & ~gb);
        }
        best = (uint32_t)ka[0];
        at = (size_t)ia[0];
        for (int k = 0; k < 8; k++) {
            uint32_t key = (uint32_t)(k < 4 ? ka[k] : kb[k - 4]);
            size_t pos = (size_t)(k < 4 ? ia[k] : ib[k - 4]);
            if (key > best || (key == best && pos < at)) {
                best = key;
                at = pos;
            }
        }
    }
    for (; i < n; i++) {
        uint32_t key = absmax_bits(x[i]);
        if (key > best) {
            best = key;
            at = i;
        }
    }
    return x[at];
}

float agg_reduce_vec(const float *x, size_t n, size_t stride, as_agg_fn fn, double ord)
{
    switch (fn) {
    case AS_FN_NONE:
    case AS_FN_MEAN:
    case AS_FN_SUM: {
        double s = 0;
        if (stride == 1)
            s = sum_contig(x, n);
        else
            for (size_t i = 0; i < n; i++)
                s += x[i * stride];
        if (fn == AS_FN_SUM)
            return (float)s;
        return n ? (float)(s / (double)n) : NAN;
    }
    case AS_FN_PROD: {
        double p = 1;
        for (size_t i = 0; i < n; i++)
            p *= x[i * stride];
        return (float)p;
    }
    case AS_FN_MAX:
    case AS_FN_MIN: {
        if (n == 0)
            return NAN;
        if (stride == 1)
            return fn == AS_FN_MAX ? maxmin_contig(x, n, true) : maxmin_contig(x, n, false);
        float m = x[0];
        for (size_t i = 0; i < n; i++) {
            float v = x[i * stride];
            if (isnan(v))
                return NAN;
            if (fn == AS_FN_MAX ? v > m : v < m)
                m = v;
        }
        return m;
    }
    case AS_FN_ABSMAX: {
        if (n == 0)
            return NAN;
        if (stride == 1)
            return absmax_contig(x, n);
        size_t best = 0;
        uint32_t bk = absmax_bits(x[0]);
        for (size_t i = 1; i < n; i++) {
            uint32_t k = absmax_bits(x[i * stride]);
            if (k > bk) {
                bk = k;
                best = i;
            }
        }
        return x[best * stride];
    }
    case AS_FN_VNORM:
        return vnorm_vec(x, n, stride, ord);
    case AS_FN_COUNT:
        break;
    }
    return NAN;
}

static bool fn_needs_nonempty(as_agg_fn fn)
{
    return fn == AS_FN_MAX || fn == AS_FN_MIN || fn == AS_FN_ABSMAX;
}

/* ---- Reducing the last dimension, in parallel ------------------------ */

typedef struct reduce_job {
    const float *in;
    float *out;
    size_t row0, row1;          /* rows [row0, row1) */
    size_t n;                   /* size of the last dimension */
    size_t first, count;        /* contiguous selection [first, first+count) */
    const size_t *idx;          /* or a list of count indices (NULL: contiguous) */
    float *scratch;             /* count floats for list gathering */
    as_agg_fn fn;
    double ord;
    bool take;                  /* single index: no reduction */
} reduce_job;

static void reduce_rows(const reduce_job *j)
{
    for (size_t r = j->row0; r < j->row1; r++) {
        const float *x = j->in + r * j->n;
        if (j->take) {
            j->out[r] = x[j->first];
        } else if (!j->idx) {
            j->out[r] = agg_reduce_vec(x + j->first, j->count, 1, j->fn, j->ord);
        } else {
            for (size_t i = 0; i < j->count; i++)
                j->scratch[i] = x[j->idx[i]];
            j->out[r] = agg_reduce_vec(j->scratch, j->count, 1, j->fn, j->ord);
        }
    }
}

static void *reduce_thread(void *arg)
{
    reduce_rows(arg);
    return NULL;
}

static int ncpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > AGG_MAX_THREADS ? AGG_MAX_THREADS : (int)n;
}

/* Runs the job over all rows with up to ncpus() threads when large. */
static int run_reduce(reduce_job *base, size_t rows, as_error *err)
{
    size_t work = rows * (base->take ? 1 : base->count);
    int nt = work >= ((size_t)1 << 21) ? ncpus() : 1;
    if ((size_t)nt > rows)
        nt = rows ? (int)rows : 1;
    reduce_job jobs[AGG_MAX_THREADS];
    pthread_t th[AGG_MAX_THREADS];
    bool started[AGG_MAX_THREADS] = {0};
    float *scratch = NULL;
    if (base->idx) {
        scratch = malloc((size_t)nt * (base->count ? base->count : 1) * sizeof(float));
        if (!scratch)
            return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    for (int t = 0; t < nt; t++) {
        jobs[t] = *base;
        jobs[t].row0 = rows * (size_t)t / (size_t)nt;
        jobs[t].row1 = rows * (size_t)(t + 1) / (size_t)nt;
        jobs[t].scratch = scratch ? scratch + (size_t)t * (base->count ? base->count : 1) : NULL;
    }
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&th[t], NULL, reduce_thread, &jobs[t]) == 0;
    reduce_rows(&jobs[0]);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            reduce_rows(&jobs[t]);
    }
    free(scratch);
    return AS_OK;
}

as_tensor *agg_reduce_last(const as_tensor *t, const as_select *sel, as_agg_fn fn, double ord,
                           const char *what, as_error *err)
{
    char sh[96];
    tensor_shape_str(t, sh, sizeof sh);
    if (t->ndim < 1) {
        as_error_set(err, AS_EUSAGE, "%s is a scalar: there is no dimension to reduce", what);
        return NULL;
    }
    size_t n = t->shape[t->ndim - 1];
    long ln = (long)n;
    reduce_job job = {.in = t->data, .n = n, .fn = fn, .ord = ord};
    size_t *idx = NULL;
    static const as_select all = {.kind = AS_SELECT_NONE};
    if (!sel)
        sel = &all;
    switch (sel->kind) {
    case AS_SELECT_NONE:
        job.first = 0;
        job.count = n;
        break;
    case AS_SELECT_INDEX: {
        long i = sel->index;
        if (i < -ln || i >= ln) {
            as_error_set(err, AS_EUSAGE,
                         "select_idx=%ld: index out of range; the last dimension of %s %s has "
                         "only %zu entries",
                         sel->index, what, sh, n);
            return NULL;
        }
        job.first = (size_t)(i < 0 ? i + ln : i);
        job.count = 1;
        job.take = true;
        break;
    }
    case AS_SELECT_RANGE: {
        long a = sel->start < 0 ? sel->start + ln : sel->start;
        long b = sel->end < 0 ? sel->end + ln : sel->end;
        if (a >= b) {
            as_error_set(err, AS_EUSAGE,
                         "select_idx=%ld:%ld: empty range for the last dimension of %s %s (%zu "
                         "entries)",
                         sel->start, sel->end, what, sh, n);
            return NULL;
        }
        if (a < 0 || b > ln) {
            as_error_set(err, AS_EUSAGE,
                         "select_idx=%ld:%ld: one or more index out of range; the last "
                         "dimension of %s %s has only %zu entries",
                         sel->start, sel->end, what, sh, n);
            return NULL;
        }
        job.first = (size_t)a;
        job.count = (size_t)(b - a);
        break;
    }
    case AS_SELECT_LIST: {
        idx = malloc((sel->nlist ? sel->nlist : 1) * sizeof *idx);
        if (!idx) {
            as_error_set(err, AS_ENOMEM, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < sel->nlist; i++) {
            long v = sel->list[i] < 0 ? sel->list[i] + ln : sel->list[i];
            if (v < 0 || v >= ln) {
                as_error_set(err, AS_EUSAGE,
                             "select_idx: index %ld out of range; the last dimension of %s %s "
                             "has only %zu entries",
                             sel->list[i], what, sh, n);
                free(idx);
                return NULL;
            }
            for (size_t k = 0; k < i; k++)
                if (idx[k] == (size_t)v) {
                    as_error_set(err, AS_EUSAGE,
                                 "select_idx: index %ld repeats an earlier index (duplicate "
                                 "indices are not allowed)",
                                 sel->list[i]);
                    free(idx);
                    return NULL;
                }
            idx[i] = (size_t)v;
        }
        job.idx = idx;
        job.count = sel->nlist;
        break;
    }
    }
    if (!job.take && job.count == 0 && fn_needs_nonempty(fn)) {
        as_error_set(err, AS_EUSAGE, "cannot take %s over the empty last dimension of %s %s",
                     pipe_fn_name(fn), what, sh);
        free(idx);
        return NULL;
    }
    as_tensor *o = tensor_new(t->ndim - 1, t->shape, err);
    if (!o) {
        free(idx);
        return NULL;
    }
    job.out = o->data;
    size_t rows = tensor_numel(o);
    int rc = run_reduce(&job, rows, err);
    free(idx);
    if (rc) {
        tensor_free(o);
        return NULL;
    }
    return o;
}

/* The sizes of the dimensions before dim (outer) and after it (inner),
 * each 1 when there are none. */
static void around_dim(const as_tensor *t, int dim, size_t *outer, size_t *inner)
{
    *outer = *inner = 1;
    for (int i = 0; i < dim; i++)
        *outer *= t->shape[i];
    for (int i = dim + 1; i < t->ndim; i++)
        *inner *= t->shape[i];
}

as_tensor *agg_tensor_reduce(const as_tensor *t, int dim, as_agg_fn fn, double ord, as_error *err)
{
    char sh[96];
    tensor_shape_str(t, sh, sizeof sh);
    int d = dim < 0 ? dim + t->ndim : dim;
    if (d < 0 || d >= t->ndim) {
        as_error_set(err, AS_EUSAGE, "dimension %d does not exist in a tensor of shape %s", dim, sh);
        return NULL;
    }
    if (d == t->ndim - 1)
        return agg_reduce_last(t, NULL, fn, ord, "the tensor", err);
    size_t outer, inner, n = t->shape[d];
    around_dim(t, d, &outer, &inner);
    if (n == 0 && fn_needs_nonempty(fn)) {
        as_error_set(err, AS_EUSAGE, "cannot take %s over the empty dimension %d of shape %s",
                     pipe_fn_name(fn), dim, sh);
        return NULL;
    }
    size_t shape[AS_MAX_DIMS];
    for (int i = 0, k = 0; i < t->ndim; i++)
        if (i != d)
            shape[k++] = t->shape[i];
    as_tensor *o = tensor_new(t->ndim - 1, shape, err);
    if (!o)
        return NULL;
    for (size_t a = 0; a < outer; a++)
        for (size_t k = 0; k < inner; k++)
            o->data[a * inner + k] = agg_reduce_vec(t->data + a * n * inner + k, n, inner, fn, ord);
    return o;
}

/* ---- Spans and slices along a dimension ------------------------------ */

int agg_groups_from_spans(const as_span *spans, size_t nspans, size_t n, agg_group **out,
                          size_t *ngroups, as_error *err)
{
    agg_group *g = malloc((n + nspans + 1) * sizeof *g);
    size_t k = 0, base = 0;
    if (!g)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < nspans; i++) {
        long s = spans[i].start < 0 ? 0 : spans[i].start;
        long e = spans[i].end;
        if ((size_t)s < base)
            s = (long)base;
        if (e > (long)n)
            e = (long)n;
        if (e <= s)
            continue;
        for (; base < (size_t)s; base++)
            g[k++] = (agg_group){base, 1, false};
        g[k++] = (agg_group){(size_t)s, (size_t)(e - s), true};
        base = (size_t)e;
    }
    for (; base < n; base++)
        g[k++] = (agg_group){base, 1, false};
    *out = g;
    *ngroups = k;
    return AS_OK;
}

as_tensor *agg_merge_dim(const as_tensor *t, int dim, const agg_group *g, size_t ng, as_agg_fn fn,
                         double ord, as_error *err)
{
    if (dim >= t->ndim) {
        as_error_set(err, AS_EUSAGE, "internal: merge along missing dimension %d", dim);
        return NULL;
    }
    size_t outer, inner, n = t->shape[dim];
    around_dim(t, dim, &outer, &inner);
    size_t shape[AS_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    shape[dim] = ng;
    as_tensor *o = tensor_new(t->ndim, shape, err);
    if (!o)
        return NULL;
    for (size_t a = 0; a < outer; a++) {
        const float *src = t->data + a * n * inner;
        float *dst = o->data + a * ng * inner;
        for (size_t i = 0; i < ng; i++) {
            const float *p = src + g[i].start * inner;
            float *q = dst + i * inner;
            if (!g[i].reduce) {
                memcpy(q, p, inner * sizeof(float));
                continue;
            }
            for (size_t k = 0; k < inner; k++)
                q[k] = agg_reduce_vec(p + k, g[i].len, inner, fn, ord);
        }
    }
    return o;
}

as_tensor *agg_take_dim(const as_tensor *t, int dim, const as_span *spans, size_t nspans,
                        as_error *err)
{
    size_t outer, inner, n = t->shape[dim], m = 0;
    around_dim(t, dim, &outer, &inner);
    for (size_t i = 0; i < nspans; i++) {
        long s = spans[i].start < 0 ? 0 : spans[i].start, e = spans[i].end;
        if (e > (long)n)
            e = (long)n;
        if (e > s)
            m += (size_t)(e - s);
    }
    size_t shape[AS_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    shape[dim] = m;
    as_tensor *o = tensor_new(t->ndim, shape, err);
    if (!o)
        return NULL;
    for (size_t a = 0; a < outer; a++) {
        float *dst = o->data + a * m * inner;
        for (size_t i = 0; i < nspans; i++) {
            long s = spans[i].start < 0 ? 0 : spans[i].start, e = spans[i].end;
            if (e > (long)n)
                e = (long)n;
            if (e <= s)
                continue;
            size_t cnt = (size_t)(e - s) * inner;
            memcpy(dst, t->data + (a * n + (size_t)s) * inner, cnt * sizeof(float));
            dst += cnt;
        }
    }
    return o;
}

/* ---- normalize / rescale --------------------------------------------- */

static size_t inner_size(const as_tensor *t)
{
    size_t outer, inner;
    around_dim(t, 0, &outer, &inner);
    return inner;
}

int agg_normalize(as_tensor *a, as_tensor *b, as_error *err)
{
    as_tensor *ts[2] = {a, b};
    if ((a && a->ndim < 1) || (b && b->ndim < 1))
        return as_error_set(err, AS_EUSAGE, "cannot normalize a scalar");
    if (!a && !b)
        return AS_OK;
    if (a && b) {
        bool same = a->ndim == b->ndim;
        for (int d = 1; same && d < a->ndim; d++)
            same = a->shape[d] == b->shape[d];
        if (!same) {
            char sa[96], sb[96];
            tensor_shape_str(a, sa, sizeof sa);
            tensor_shape_str(b, sb, sizeof sb);
            return as_error_set(err, AS_EUSAGE,
                                "cannot normalize source attributions %s together with target "
                                "attributions %s: they differ beyond the first dimension",
                                sa, sb);
        }
    }
    size_t inner = inner_size(a ? a : b);
    double *l1 = calloc(inner ? inner : 1, sizeof *l1);
    if (!l1)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        const float *x = ts[i]->data;
        for (size_t r = 0; r < ts[i]->shape[0]; r++)
            for (size_t k = 0; k < inner; k++) {
                float v = x[r * inner + k];
                if (!isnan(v))
                    l1[k] += fabsf(v);
            }
    }
    for (size_t k = 0; k < inner; k++) {
        float d = (float)l1[k];
        if (!(d >= 1e-12f))
            d = isnan(d) ? d : 1e-12f;
        l1[k] = d;
    }
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        float *x = ts[i]->data;
        for (size_t r = 0; r < ts[i]->shape[0]; r++)
            for (size_t k = 0; k < inner; k++) {
                float v = x[r * inner + k];
                if (!isnan(v))
                    x[r * inner + k] = v / (float)l1[k];
            }
    }
    free(l1);
    return AS_OK;
}

void agg_rescale(as_tensor *a, as_tensor *b)
{
    as_tensor *ts[2] = {a, b};
    float m = 0;
    bool any = false;
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        size_t n = tensor_numel(ts[i]);
        for (size_t k = 0; k < n; k++) {
            float v = ts[i]->data[k];
            any = true;
            if (isnan(v))
                continue;
            if (fabsf(v) > m)
                m = fabsf(v);
        }
    }
    if (!any)
        return;
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        size_t n = tensor_numel(ts[i]);
        for (size_t k = 0; k < n; k++)
            if (!isnan(ts[i]->data[k]))
                ts[i]->data[k] = ts[i]->data[k] / m;
    }
}
