/* compare.h - how much two attributions of the same inputs agree.
 *
 * Two runs (two methods, two models, two settings) of the same inputs are
 * compared sequence by sequence and generated token by generated token.
 *
 * Matching: a sequence of A and a sequence of B match when their source
 * tokens, target tokens (and so their generated tokens) have equal texts and
 * their attr_pos_start / attr_pos_end are equal.  Token ids are not compared
 * (a run may store -1).  cmp_match() pairs each sequence of A, in order,
 * with the first unused matching sequence of B; the sequences left over on
 * either side are reported, never compared.
 *
 * What is compared: each side is aggregated through its own pipeline (the
 * class default unless told otherwise) to 2D maps, so a granular run (IG)
 * and a multi-dimensional one (attention) compare as source (S, G) and
 * target (R, G) heatmaps.  Column j (the generated token
 * target[attr_pos_start + j]) gives one vector per side: the source rows
 * when both sides have source attributions, followed by the target rows
 * when both have target attributions (a side without target attributions,
 * attribute_target=False, limits both to the source rows).  These are "the
 * attributed tokens" below, and the metrics are computed per column.
 * Matching looks at the tokens as stored; a pipeline that merges tokens
 * must leave both sides with equal tokens (cmp_seq_same_tokens on the
 * aggregated sequences), which the callers check before cmp_seqs.
 *
 * Missing cells: a cell that is NaN (or infinite) on either side - a target
 * token a step cannot attend to, i >= j - is left out on both sides, so a
 * column of an encoder-decoder run compares S + j tokens.  n is the number
 * of tokens left.  A column with no token left has every metric NaN.
 *
 * The metrics (Krishna et al. 2022, "The Disagreement Problem in Explainable
 * Machine Learning"), on vectors a and b of n tokens; importance is |value|:
 *   top-k        the k tokens of largest |value|, in that order; ties in
 *                |value| are broken by the token's position (earlier first),
 *                so the top-k is always a definite, reproducible list.  When
 *                n < k, k shrinks to n (the k reported is the one used).
 *   feature agreement@k      |topk(a) & topk(b)| / k
 *   rank agreement@k         share of ranks r < k with topk(a)[r] == topk(b)[r]
 *   sign agreement@k         |{t in topk(a) & topk(b): sign a_t == sign b_t}| / k
 *   signed rank agreement@k  share of ranks r < k with the same token at r
 *                            and the same sign on both sides
 *                (sign is -1, 0 or +1: zero agrees only with zero)
 *   rank correlation         Spearman's rho of |a| and |b| over the n tokens:
 *                Pearson's r of their ranks, tied values sharing the average
 *                of their ranks (scipy.stats.spearmanr)
 *   pairwise rank agreement  over the n(n-1)/2 pairs of tokens (s, t), the
 *                share whose order agrees: sign(|a_s| - |a_t|) ==
 *                sign(|b_s| - |b_t|) (a pair tied on both sides agrees, a
 *                pair tied on one side only does not)
 *   Pearson correlation      Pearson's r of the signed values a and b
 *                (scipy.stats.pearsonr)
 * The correlations and pairwise agreement need n >= 2; a correlation is
 * NaN when a side is constant (scipy returns nan then too).
 *
 * Averages: a sequence's mean and a comparison's mean are, per metric, the
 * mean over the columns where the metric is defined (NaN left out), every
 * generated token of every matched sequence weighing the same in the
 * comparison's mean.  cmp_acc accumulates them.
 *
 * Ownership: cmp_match and cmp_seqs fill structs whose arrays the caller
 * releases with cmp_match_free / cmp_seq_result_free.  Nothing here prints.
 */
#ifndef AS_COMPARE_H
#define AS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"

#define CMP_DEFAULT_K 5

enum cmp_metric {
    CMP_FEATURE = 0,     /* feature agreement@k */
    CMP_RANK,            /* rank agreement@k */
    CMP_SIGN,            /* sign agreement@k */
    CMP_SIGNED_RANK,     /* signed rank agreement@k */
    CMP_SPEARMAN,        /* rank correlation */
    CMP_PAIRWISE,        /* pairwise rank agreement */
    CMP_PEARSON,         /* Pearson correlation */
    CMP_NMETRICS
};

/* "feature_agreement", "rank_agreement", "sign_agreement",
 * "signed_rank_agreement", "rank_correlation", "pairwise_rank_agreement",
 * "pearson" (names used in JSON and CSV). */
const char *cmp_metric_name(int m);
/* Short column headers: "FA", "RA", "SA", "SRA", "rho", "PRA", "r". */
const char *cmp_metric_short(int m);

typedef struct cmp_metrics {
    double v[CMP_NMETRICS];  /* NaN where undefined */
    size_t n;                /* tokens compared (finite on both sides) */
    size_t k;                /* k used: min(k asked, n) */
} cmp_metrics;

/* The metrics of two vectors of n values (NaN/inf cells left out, see
 * above), top-k with k >= 1 asked. */
void cmp_vectors(const float *a, const float *b, size_t n, size_t k, cmp_metrics *out);

/* ---- averages ---- */
typedef struct cmp_acc {
    double sum[CMP_NMETRICS];
    size_t cnt[CMP_NMETRICS];
    size_t ncols;            /* columns added */
} cmp_acc;
void cmp_acc_init(cmp_acc *acc);
void cmp_acc_add(cmp_acc *acc, const cmp_metrics *m);
/* Per metric mean of the defined values (NaN when none); n and k are 0. */
void cmp_acc_mean(const cmp_acc *acc, cmp_metrics *out);

/* ---- sequences ---- */

/* True when a and b have the same source, target and generated tokens (see
 * Matching above). */
bool cmp_seq_same_tokens(const as_seq *a, const as_seq *b);

typedef struct cmp_pair {
    size_t a, b;             /* indices into the outputs' seqs */
} cmp_pair;

typedef struct cmp_match {
    cmp_pair *pairs;         /* in A's order */
    size_t npairs;
    size_t *only_a, *only_b; /* sequences without a match, ascending */
    size_t nonly_a, nonly_b;
} cmp_match;

/* Matches the sequences ia[0..na) of a with ib[0..nb) of b (NULL index
 * lists mean all of that output's sequences).  AS_ENOMEM on failure. */
int cmp_match_seqs(const as_output *a, const size_t *ia, size_t na, const as_output *b,
                   const size_t *ib, size_t nb, cmp_match *m, as_error *err);
void cmp_match_free(cmp_match *m);

typedef struct cmp_seq_result {
    cmp_metrics *cols;       /* one per generated token */
    size_t ncols;
    cmp_metrics mean;        /* over the columns */
    bool source, target;     /* which rows were compared */
} cmp_seq_result;

/* Compares two aggregated (2D) sequences with the same tokens: a and b
 * must have equal attr_pos_start/end and, for the parts both have, equal
 * shapes.  AS_EUSAGE (with a message naming the shapes) when they do not
 * fit or when they share no attributions; AS_ENOMEM. */
int cmp_seqs(const as_seq *a, const as_seq *b, size_t k, cmp_seq_result *r, as_error *err);
void cmp_seq_result_free(cmp_seq_result *r);

/* Column j of the compared rows into va/vb (room for the rows both sides
 * have: see cmp_rows); returns the number of values written.  For a
 * display or a test that wants the vectors cmp_seqs compared. */
size_t cmp_column(const as_seq *a, const as_seq *b, size_t j, float *va, float *vb);
/* Rows compared per column (source rows + target rows both sides have). */
size_t cmp_rows(const as_seq *a, const as_seq *b);

/* B - A: a copy of a with each attribution replaced by b's minus a's (NaN
 * where either is NaN), for the parts both have; the others are dropped.
 * Step scores are not kept.  New sequence (free with agg_seq_free) or NULL
 * with err set. */
as_seq *cmp_difference(const as_seq *a, const as_seq *b, as_error *err);

#endif
