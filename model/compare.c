/* compare.c - agreement metrics between two attributions (see compare.h). */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

static const struct {
    const char *name, *shrt;
} metric_names[CMP_NMETRICS] = {
    {"feature_agreement", "FA"},       {"rank_agreement", "RA"},
    {"sign_agreement", "SA"},          {"signed_rank_agreement", "SRA"},
    {"rank_correlation", "rho"},       {"pairwise_rank_agreement", "PRA"},
    {"pearson", "r"},
};

const char *cmp_metric_name(int m)
{
    return m >= 0 && m < CMP_NMETRICS ? metric_names[m].name : "?";
}

const char *cmp_metric_short(int m)
{
    return m >= 0 && m < CMP_NMETRICS ? metric_names[m].shrt : "?";
}

/* ---- vectors ------------------------------------------------------------ */

typedef struct cell {
    double a, b;      /* signed values */
    size_t pos;       /* position among the compared tokens */
} cell;

static int sgn(double v) { return (v > 0) - (v < 0); }

/* Sort keys: |value| descending, then position ascending. */
static int by_abs_a(const void *x, const void *y)
{
    const cell *p = x, *q = y;
    double u = fabs(p->a), v = fabs(q->a);
    if (u != v)
        return u > v ? -1 : 1;
    return (p->pos > q->pos) - (p->pos < q->pos);
}

static int by_abs_b(const void *x, const void *y)
{
    const cell *p = x, *q = y;
    double u = fabs(p->b), v = fabs(q->b);
    if (u != v)
        return u > v ? -1 : 1;
    return (p->pos > q->pos) - (p->pos < q->pos);
}

static double pearson(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0)
        return NAN;
    double r = sxy / sqrt(sxx * syy);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int by_value(const void *x, const void *y)
{
    const ranked *p = x, *q = y;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Average ranks (1-based) of v[0..n) into r; tmp has room for n. */
static void avg_ranks(const double *v, size_t n, double *r, ranked *tmp)
{
    for (size_t i = 0; i < n; i++) {
        tmp[i].v = v[i];
        tmp[i].i = i;
    }
    qsort(tmp, n, sizeof *tmp, by_value);
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && tmp[e].v == tmp[s].v)
            e++;
        double avg = ((double)(s + 1) + (double)e) / 2.0;
        for (size_t t = s; t < e; t++)
            r[tmp[t].i] = avg;
        s = e;
    }
}

/* Sorts p[0..n) by b with a merge sort, counting the pairs it finds out of
 * order (b strictly greater before); w has room for n. */
static uint64_t merge_count(ranked *p, ranked *w, size_t n)
{
    if (n < 2)
        return 0;
    size_t h = n / 2;
    uint64_t swaps = merge_count(p, w, h) + merge_count(p + h, w, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (p[j].v < p[i].v) {
            swaps += h - i;
            w[k++] = p[j++];
        } else {
            w[k++] = p[i++];
        }
    }
    while (i < h)
        w[k++] = p[i++];
    while (j < n)
        w[k++] = p[j++];
    memcpy(p, w, n * sizeof *p);
    return swaps;
}

typedef struct pairab {
    double a, b;
} pairab;

static int by_a_then_b(const void *x, const void *y)
{
    const pairab *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Share of the n(n-1)/2 pairs (s, t) with sign(a_s - a_t) == sign(b_s - b_t),
 * in O(n log n) as scipy's kendalltau counts: pairs tied in a (n1), in b
 * (n2), in both (n3), and discordant ones (merge sort inversions of b in
 * (a, b) order).  Agreeing = tied in both + concordant.  tmp has room for
 * 2n. */
static double pairwise_agreement(const double *a, const double *b, size_t n, ranked *tmp)
{
    pairab *ab = malloc(n * sizeof *ab);
    if (!ab)
        return NAN;
    for (size_t i = 0; i < n; i++)
        ab[i] = (pairab){a[i], b[i]};
    qsort(ab, n, sizeof *ab, by_a_then_b);
    uint64_t n1 = 0, n3 = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && ab[e].a == ab[s].a)
            e++;
        n1 += (uint64_t)(e - s) * (e - s - 1) / 2;
        for (size_t u = s; u < e;) {
            size_t f = u + 1;
            while (f < e && ab[f].b == ab[u].b)
                f++;
            n3 += (uint64_t)(f - u) * (f - u - 1) / 2;
            u = f;
        }
        s = e;
    }
    ranked *p = tmp, *w = tmp + n;
    for (size_t i = 0; i < n; i++)
        p[i] = (ranked){ab[i].b, i};
    free(ab);
    uint64_t disc = merge_count(p, w, n);
    uint64_t n2 = 0;
    for (size_t s = 0; s < n;) { /* p is sorted by b now */
        size_t e = s + 1;
        while (e < n && p[e].v == p[s].v)
            e++;
        n2 += (uint64_t)(e - s) * (e - s - 1) / 2;
        s = e;
    }
    uint64_t total = (uint64_t)n * (n - 1) / 2;
    uint64_t untied = total - n1 - n2 + n3;
    return (double)(n3 + (untied - disc)) / (double)total;
}

void cmp_vectors(const float *a, const float *b, size_t n, size_t k, cmp_metrics *out)
{
    for (int m = 0; m < CMP_NMETRICS; m++)
        out->v[m] = NAN;
    out->n = 0;
    out->k = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(a[i]) && isfinite(b[i]))
            cnt++;
    if (cnt == 0)
        return;
    /* one block: cells twice (two orders), doubles for ranks and values */
    cell *ca = malloc(cnt * sizeof *ca), *cb = malloc(cnt * sizeof *cb);
    double *buf = malloc(4 * cnt * sizeof *buf);
    ranked *tmp = malloc(2 * cnt * sizeof *tmp);
    if (!ca || !cb || !buf || !tmp)
        goto done;
    size_t p = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(a[i]) && isfinite(b[i])) {
            ca[p].a = a[i];
            ca[p].b = b[i];
            ca[p].pos = p;
            p++;
        }
    memcpy(cb, ca, cnt * sizeof *cb);
    out->n = cnt;
    if (k < 1)
        k = 1;
    if (k > cnt)
        k = cnt;
    out->k = k;

    /* top-k lists */
    qsort(ca, cnt, sizeof *ca, by_abs_a);
    qsort(cb, cnt, sizeof *cb, by_abs_b);
    size_t common = 0, common_sign = 0, same_rank = 0, same_rank_sign = 0;
    for (size_t r = 0; r < k; r++) {
        if (ca[r].pos == cb[r].pos) {
            same_rank++;
            if (sgn(ca[r].a) == sgn(cb[r].b))
                same_rank_sign++;
        }
        for (size_t q = 0; q < k; q++)
            if (ca[r].pos == cb[q].pos) {
                common++;
                if (sgn(ca[r].a) == sgn(ca[r].b))
                    common_sign++;
                break;
            }
    }
    out->v[CMP_FEATURE] = (double)common / (double)k;
    out->v[CMP_RANK] = (double)same_rank / (double)k;
    out->v[CMP_SIGN] = (double)common_sign / (double)k;
    out->v[CMP_SIGNED_RANK] = (double)same_rank_sign / (double)k;

    /* back to token order for the correlations */
    double *xa = buf, *xb = buf + cnt, *ra = buf + 2 * cnt, *rb = buf + 3 * cnt;
    for (size_t i = 0; i < cnt; i++) {
        xa[ca[i].pos] = ca[i].a;
        xb[ca[i].pos] = ca[i].b;
    }
    out->v[CMP_PEARSON] = pearson(xa, xb, cnt);
    if (cnt >= 2) {
        for (size_t i = 0; i < cnt; i++) {
            ra[i] = fabs(xa[i]);
            rb[i] = fabs(xb[i]);
        }
        out->v[CMP_PAIRWISE] = pairwise_agreement(ra, rb, cnt, tmp);
        avg_ranks(ra, cnt, xa, tmp);
        avg_ranks(rb, cnt, xb, tmp);
        out->v[CMP_SPEARMAN] = pearson(xa, xb, cnt);
    }
done:
    free(ca);
    free(cb);
    free(buf);
    free(tmp);
}

/* ---- averages ----------------------------------------------------------- */

void cmp_acc_init(cmp_acc *acc) { memset(acc, 0, sizeof *acc); }

void cmp_acc_add(cmp_acc *acc, const cmp_metrics *m)
{
    acc->ncols++;
    for (int i = 0; i < CMP_NMETRICS; i++)
        if (!isnan(m->v[i])) {
            acc->sum[i] += m->v[i];
            acc->cnt[i]++;
        }
}

void cmp_acc_mean(const cmp_acc *acc, cmp_metrics *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < CMP_NMETRICS; i++)
        out->v[i] = acc->cnt[i] ? acc->sum[i] / (double)acc->cnt[i] : NAN;
}

/* ---- matching ----------------------------------------------------------- */

static bool same_tokens(const as_tokens *a, const as_tokens *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].text, b->v[i].text))
            return false;
    return true;
}

bool cmp_seq_same_tokens(const as_seq *a, const as_seq *b)
{
    return a->attr_pos_start == b->attr_pos_start && a->attr_pos_end == b->attr_pos_end &&
           same_tokens(&a->source, &b->source) && same_tokens(&a->target, &b->target);
}

static uint64_t hash_tokens(uint64_t h, const as_tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (const unsigned char *p = (const unsigned char *)t->v[i].text; *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0xffu) * 1099511628211ULL; /* token boundary (never a UTF-8 byte) */
    }
    return h;
}

static uint64_t hash_seq(const as_seq *s)
{
    uint64_t h = 1469598103934665603ULL;
    h = hash_tokens(h, &s->source);
    h = (h ^ 0xfeu) * 1099511628211ULL;
    h = hash_tokens(h, &s->target);
    h ^= (uint64_t)s->attr_pos_start * 31u + (uint64_t)s->attr_pos_end;
    return h * 1099511628211ULL;
}

void cmp_match_free(cmp_match *m)
{
    free(m->pairs);
    free(m->only_a);
    free(m->only_b);
    memset(m, 0, sizeof *m);
}

int cmp_match_seqs(const as_output *a, const size_t *ia, size_t na, const as_output *b,
                   const size_t *ib, size_t nb, cmp_match *m, as_error *err)
{
    memset(m, 0, sizeof *m);
    if (!ia)
        na = a->nseqs;
    if (!ib)
        nb = b->nseqs;
    uint64_t *hb = malloc((nb ? nb : 1) * sizeof *hb);
    bool *used = calloc(nb ? nb : 1, sizeof *used);
    m->pairs = malloc((na ? na : 1) * sizeof *m->pairs);
    m->only_a = malloc((na ? na : 1) * sizeof *m->only_a);
    m->only_b = malloc((nb ? nb : 1) * sizeof *m->only_b);
    if (!hb || !used || !m->pairs || !m->only_a || !m->only_b) {
        free(hb);
        free(used);
        cmp_match_free(m);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < nb; j++)
        hb[j] = hash_seq(&b->seqs[ib ? ib[j] : j]);
    for (size_t i = 0; i < na; i++) {
        size_t ai = ia ? ia[i] : i;
        const as_seq *sa = &a->seqs[ai];
        uint64_t h = hash_seq(sa);
        bool found = false;
        for (size_t j = 0; j < nb && !found; j++) {
            size_t bj = ib ? ib[j] : j;
            if (!used[j] && hb[j] == h && cmp_seq_same_tokens(sa, &b->seqs[bj])) {
                used[j] = true;
                m->pairs[m->npairs++] = (cmp_pair){ai, bj};
                found = true;
            }
        }
        if (!found)
            m->only_a[m->nonly_a++] = ai;
    }
    for (size_t j = 0; j < nb; j++)
        if (!used[j])
            m->only_b[m->nonly_b++] = ib ? ib[j] : j;
    free(hb);
    free(used);
    return AS_OK;
}

/* ---- sequences ---------------------------------------------------------- */

static bool both_source(const as_seq *a, const as_seq *b) { return a->source_attr && b->source_attr; }
static bool both_target(const as_seq *a, const as_seq *b) { return a->target_attr && b->target_attr; }

size_t cmp_rows(const as_seq *a, const as_seq *b)
{
    size_t n = 0;
    if (both_source(a, b))
        n += a->source_attr->shape[0];
    if (both_target(a, b))
        n += a->target_attr->shape[0];
    return n;
}

size_t cmp_column(const as_seq *a, const as_seq *b, size_t j, float *va, float *vb)
{
    size_t n = 0;
    const as_tensor *pa[2] = {NULL, NULL}, *pb[2] = {NULL, NULL};
    if (both_source(a, b)) {
        pa[0] = a->source_attr;
        pb[0] = b->source_attr;
    }
    if (both_target(a, b)) {
        pa[1] = a->target_attr;
        pb[1] = b->target_attr;
    }
    for (int part = 0; part < 2; part++) {
        if (!pa[part])
            continue;
        size_t rows = pa[part]->shape[0], cols = pa[part]->shape[1];
        if (j >= cols)
            continue;
        for (size_t i = 0; i < rows; i++) {
            va[n] = pa[part]->data[i * cols + j];
            vb[n] = pb[part]->data[i * cols + j];
            n++;
        }
    }
    return n;
}

static int check_part(const char *what, const as_tensor *a, const as_tensor *b, size_t ncols,
                      as_error *err)
{
    char sa[64], sb[64];
    if (!a || !b)
        return AS_OK;
    if (a->ndim != 2 || b->ndim != 2 || !tensor_same_shape(a, b) || a->shape[1] != ncols)
        return as_error_set(err, AS_EUSAGE,
                            "%s attributions of shapes %s and %s cannot be compared (2D maps of "
                            "the same shape with %zu generated columns are needed)",
                            what, tensor_shape_str(a, sa, sizeof sa),
                            tensor_shape_str(b, sb, sizeof sb), ncols);
    return AS_OK;
}

void cmp_seq_result_free(cmp_seq_result *r)
{
    free(r->cols);
    memset(r, 0, sizeof *r);
}

int cmp_seqs(const as_seq *a, const as_seq *b, size_t k, cmp_seq_result *r, as_error *err)
{
    memset(r, 0, sizeof *r);
    for (int m = 0; m < CMP_NMETRICS; m++)
        r->mean.v[m] = NAN;
    if (a->attr_pos_start != b->attr_pos_start || a->attr_pos_end != b->attr_pos_end)
        return as_error_set(err, AS_EUSAGE,
                            "generated positions differ (%ld..%ld and %ld..%ld)",
                            a->attr_pos_start, a->attr_pos_end, b->attr_pos_start,
                            b->attr_pos_end);
    size_t ncols = attr_seq_ncols(a);
    if (a->attr_pos_start < 0 || a->attr_pos_end > (long)a->target.n ||
        b->attr_pos_end > (long)b->target.n)
        return as_error_set(err, AS_EDATA,
                            "generated positions %ld..%ld do not fit the %zu target tokens",
                            a->attr_pos_start, a->attr_pos_end, a->target.n);
    r->source = both_source(a, b);
    r->target = both_target(a, b);
    if (!r->source && !r->target)
        return as_error_set(err, AS_EUSAGE,
                            "the two sides share no attributions (source on %s, target on %s)",
                            a->source_attr ? (b->source_attr ? "both" : "the first only")
                                           : (b->source_attr ? "the second only" : "neither"),
                            a->target_attr ? (b->target_attr ? "both" : "the first only")
                                           : (b->target_attr ? "the second only" : "neither"));
    if ((r->source && check_part("source", a->source_attr, b->source_attr, ncols, err)) ||
        (r->target && check_part("target", a->target_attr, b->target_attr, ncols, err)))
        return err ? err->code : AS_EUSAGE;
    if ((r->source && (a->source_attr->shape[0] > a->source.n ||
                       b->source_attr->shape[0] > b->source.n)) ||
        (r->target && (a->target_attr->shape[0] > a->target.n ||
                       b->target_attr->shape[0] > b->target.n)))
        return as_error_set(err, AS_EDATA, "the attributions have more rows than there are "
                                           "tokens (%zu source, %zu target)",
                            a->source.n, a->target.n);
    size_t rows = cmp_rows(a, b);
    float *va = malloc((rows ? rows : 1) * sizeof *va), *vb = malloc((rows ? rows : 1) * sizeof *vb);
    r->cols = calloc(ncols ? ncols : 1, sizeof *r->cols);
    if (!va || !vb || !r->cols) {
        free(va);
        free(vb);
        cmp_seq_result_free(r);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    r->ncols = ncols;
    cmp_acc acc;
    cmp_acc_init(&acc);
    for (size_t j = 0; j < ncols; j++) {
        size_t n = cmp_column(a, b, j, va, vb);
        cmp_vectors(va, vb, n, k, &r->cols[j]);
        cmp_acc_add(&acc, &r->cols[j]);
    }
    cmp_acc_mean(&acc, &r->mean);
    free(va);
    free(vb);
    return AS_OK;
}

static void diff_into(as_tensor *dst, const as_tensor *b)
{
    size_t n = tensor_numel(dst);
    for (size_t i = 0; i < n; i++)
        dst->data[i] = b->data[i] - dst->data[i]; /* NaN on either side stays NaN */
}

as_seq *cmp_difference(const as_seq *a, const as_seq *b, as_error *err)
{
    as_seq *d = calloc(1, sizeof *d);
    if (!d) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    if (attr_seq_copy(d, a, err)) {
        free(d);
        return NULL;
    }
    attr_scores_free(&d->step_scores);
    attr_scores_free(&d->sequence_scores);
    size_t ncols = attr_seq_ncols(a);
    if (check_part("source", a->source_attr, b->source_attr, ncols, err) ||
        check_part("target", a->target_attr, b->target_attr, ncols, err)) {
        agg_seq_free(d);
        return NULL;
    }
    if (both_source(a, b)) {
        diff_into(d->source_attr, b->source_attr);
    } else {
        tensor_free(d->source_attr);
        d->source_attr = NULL;
    }
    if (both_target(a, b)) {
        diff_into(d->target_attr, b->target_attr);
    } else {
        tensor_free(d->target_attr);
        d->target_attr = NULL;
    }
    return d;
}
