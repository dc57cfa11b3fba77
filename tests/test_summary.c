/* Dataset summary: figures worked out by hand on tests/data/summary (see
 * tools/mksummary.py for the numbers in the files). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "summary.h"
#include "sumread.h"
#include "testutil.h"

#define EPS 1e-6

/* a_encdec.json, sequence 0: source A B, target x y
 *   source (2, 2) [[1, -1], [3, 1]], target (2, 2) [[nan, 2], [nan, nan]]
 *   step 0: cells |1| |3|            -> p = 1/4, 3/4; H = -(1/4 ln 1/4 + 3/4 ln 3/4); share 1
 *   step 1: cells |-1| |1|, target 2 -> p = 1/4, 1/4, 1/2; H = 3/2 ln 2; share 2/4
 * sequence 1: source A, target x w z
 *   source (1, 3) [[0, 2, 0]], target [[nan, 1, 0], [nan, nan, 0], [nan]*3]
 *   step 0: cells 0 -> no distribution (NaN); step 1: 2, 1 -> H = ln 3 - 2/3 ln 2,
 *   share 2/3; step 2: cells 0, 0, 0 -> NaN
 * b_deconly.json, sequence 0: prompt P Q, target P Q g, start 2
 *   target (3, 1) [[1], [-3], [nan]] -> H = -(1/4 ln 1/4 + 3/4 ln 3/4); no share */
static const double H_13 = 0.5623351446188083;  /* -(.25 ln .25 + .75 ln .75) */
static const double H_112 = 1.0397207708399179; /* 1.5 ln 2 */
static const double H_21 = 0.6365141682948129;  /* ln 3 - 2/3 ln 2 */

/* The summary of the two files (each part added as a copy of itself when
 * `copy`: what the explorer's overview takes back for an unchanged file). */
static as_summary *make_from(const char *pipeline, bool copy)
{
    as_summary *s = summary_new();
    ck_assert_ptr_nonnull(s);
    const char *files[] = {"summary/a_encdec.json", "summary/b_deconly.json"};
    as_pipeline p = {0}, *pp = NULL;
    as_error err = {0};
    if (pipeline) {
        ck_assert_int_eq(pipe_parse(pipeline, &p, NULL, &err), AS_OK);
        pp = &p;
    }
    for (int i = 0; i < 2; i++) {
        as_output *o = as_load_file(testdata(files[i]), NULL, &err);
        ck_assert_msg(o != NULL, "%s", err.msg);
        sum_part *part = summary_part_compute(o, pp, &err);
        ck_assert_ptr_nonnull(part);
        attr_output_free(o);
        if (copy) {
            sum_part *c = summary_part_copy(part, &err);
            ck_assert_ptr_nonnull(c);
            summary_part_free(part);
            part = c;
        }
        ck_assert_int_eq(summary_add_part(s, files[i], part, &err), AS_OK);
    }
    if (pp)
        pipe_free(pp);
    return s;
}

static as_summary *make(const char *pipeline) { return make_from(pipeline, false); }

static bool same_num(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

START_TEST(per_sequence_figures)
{
    as_summary *s = make(NULL);
    ck_assert_uint_eq(summary_nfiles(s), 2);
    ck_assert_uint_eq(summary_nseqs(s), 3);
    ck_assert_uint_eq(summary_nsteps(s), 6);
    ck_assert_ptr_null(summary_first_error(s));

    const sum_seq *q = summary_seq(s, 0);
    ck_assert_uint_eq(q->file, 0);
    ck_assert_uint_eq(q->local, 0);
    ck_assert_uint_eq(q->src_len, 2);
    ck_assert_uint_eq(q->tgt_len, 2);
    ck_assert_uint_eq(q->gen_len, 2);
    ck_assert(q->encdec);
    ck_assert_double_eq_tol(q->entropy[0], H_13, EPS);
    ck_assert_double_eq_tol(q->entropy[1], H_112, EPS);
    ck_assert_double_eq_tol(q->src_share[0], 1.0, EPS);
    ck_assert_double_eq_tol(q->src_share[1], 0.5, EPS);
    ck_assert_double_eq_tol(q->entropy_mean, (H_13 + H_112) / 2, EPS);
    ck_assert_double_eq_tol(q->src_share_mean, 0.75, EPS);

    q = summary_seq(s, 1);
    ck_assert_uint_eq(q->local, 1);
    ck_assert_uint_eq(q->src_len, 1);
    ck_assert_uint_eq(q->tgt_len, 3);
    ck_assert_uint_eq(q->gen_len, 3);
    ck_assert(isnan(q->entropy[0]) && isnan(q->entropy[2]));
    ck_assert(isnan(q->src_share[0]) && isnan(q->src_share[2]));
    ck_assert_double_eq_tol(q->entropy[1], H_21, EPS);
    ck_assert_double_eq_tol(q->src_share[1], 2.0 / 3, EPS);
    ck_assert_double_eq_tol(q->entropy_mean, H_21, EPS);
    ck_assert_double_eq_tol(q->src_share_mean, 2.0 / 3, EPS);

    q = summary_seq(s, 2);
    ck_assert_uint_eq(q->file, 1);
    ck_assert_uint_eq(q->local, 0);
    ck_assert_uint_eq(q->src_len, 2);
    ck_assert_uint_eq(q->tgt_len, 3);
    ck_assert_uint_eq(q->gen_len, 1);
    ck_assert(!q->encdec);
    ck_assert_ptr_null(q->src_share);
    ck_assert(isnan(q->src_share_mean));
    ck_assert_double_eq_tol(q->entropy_mean, H_13, EPS);

    /* step scores: columns in order of first appearance; NaN skipped in means */
    ck_assert_uint_eq(summary_nscores(s), 2);
    ck_assert_uint_eq(summary_ncols(s), SUM_COL_SCORES + 2);
    ck_assert_str_eq(summary_col_name(s, SUM_COL_SCORES), "score:probability");
    ck_assert_str_eq(summary_col_name(s, SUM_COL_SCORES + 1), "score:entropy");
    ck_assert_str_eq(summary_col_name(s, SUM_COL_ENTROPY), "entropy");
    ck_assert_double_eq_tol(summary_value(s, 0, SUM_COL_SCORES), 0.375, EPS);
    ck_assert_double_eq_tol(summary_value(s, 1, SUM_COL_SCORES), 0.75, EPS);
    ck_assert(isnan(summary_value(s, 2, SUM_COL_SCORES)));
    ck_assert(isnan(summary_value(s, 0, SUM_COL_SCORES + 1)));
    ck_assert_double_eq_tol(summary_value(s, 2, SUM_COL_SCORES + 1), 2.0, EPS);
    ck_assert_double_eq(summary_value(s, 2, SUM_COL_TGT_LEN), 3);
    summary_free(s);
}
END_TEST

START_TEST(dataset_distributions)
{
    as_summary *s = make("default");
    as_error err = {0};
    sum_hist h;
    /* src_len 2, 1, 2: whole numbers -> one bin per value */
    ck_assert_int_eq(summary_hist_col(s, SUM_COL_SRC_LEN, 10, &h, &err), AS_OK);
    ck_assert_uint_eq(h.nbins, 2);
    ck_assert_uint_eq(h.counts[0], 1);
    ck_assert_uint_eq(h.counts[1], 2);
    ck_assert_double_eq_tol(h.lo, 0.5, EPS);
    ck_assert_double_eq_tol(h.mean, 5.0 / 3, EPS);
    sum_hist_free(&h);
    /* per-sequence mean entropies (H_13 + H_112)/2 = 0.801, H_21 = 0.637, H_13 = 0.562
     * over 4 bins of [0.562, 0.801]: width 0.0597 -> bins 3, 1, 0 */
    ck_assert_int_eq(summary_hist_col(s, SUM_COL_ENTROPY, 4, &h, &err), AS_OK);
    ck_assert_uint_eq(h.n, 3);
    ck_assert_uint_eq(h.missing, 0);
    ck_assert_uint_eq(h.counts[0], 1);
    ck_assert_uint_eq(h.counts[1], 1);
    ck_assert_uint_eq(h.counts[2], 0);
    ck_assert_uint_eq(h.counts[3], 1);
    ck_assert_double_eq_tol(h.min, H_13, EPS);
    ck_assert_double_eq_tol(h.max, (H_13 + H_112) / 2, EPS);
    sum_hist_free(&h);
    /* the source share of the decoder-only sequence is missing */
    ck_assert_int_eq(summary_hist_col(s, SUM_COL_SRC_SHARE, 5, &h, &err), AS_OK);
    ck_assert_uint_eq(h.n, 2);
    ck_assert_uint_eq(h.missing, 1);
    ck_assert_double_eq_tol(h.mean, (0.75 + 2.0 / 3) / 2, EPS);
    sum_hist_free(&h);
    /* per-step entropies: H_13, H_112, NaN, H_21, NaN, H_13 */
    ck_assert_int_eq(summary_hist_step(s, SUM_STEP_ENTROPY, 2, &h, &err), AS_OK);
    ck_assert_uint_eq(h.n, 4);
    ck_assert_uint_eq(h.missing, 2);
    ck_assert_uint_eq(h.counts[0], 3); /* [0.562, 0.801): H_13 twice, H_21 */
    ck_assert_uint_eq(h.counts[1], 1);
    ck_assert_double_eq_tol(h.mean, (2 * H_13 + H_112 + H_21) / 4, EPS);
    sum_hist_free(&h);
    /* per-step shares: 1, 1/2, 2/3 (decoder-only steps have none); two bins
     * over [1/2, 1]: [1/2, 3/4) holds 1/2 and 2/3, the last bin 1 */
    ck_assert_int_eq(summary_hist_step(s, SUM_STEP_SRC_SHARE, 2, &h, &err), AS_OK);
    ck_assert_uint_eq(h.n, 3);
    ck_assert_uint_eq(h.missing, 2);
    ck_assert_uint_eq(h.counts[0], 2);
    ck_assert_uint_eq(h.counts[1], 1);
    sum_hist_free(&h);

    /* position mass over the 4 steps with a distribution:
     * source rows A (0/2), B (1/2) of sequence 0, A (0/1) of sequence 1:
     *   bin 0: (1/4 + 1/4 + 2/3) / 4, bin 5: (3/4 + 1/4) / 4
     * target rows x (0/2) of seq 0, x (0/3) of seq 1, P (0/3), Q (1/3) of seq 2:
     *   bin 0: (1/2 + 1/3 + 1/4) / 4, bin 3: (3/4) / 4 */
    double src[SUMMARY_POS_BINS], tgt[SUMMARY_POS_BINS];
    summary_position_mass(s, SUM_SIDE_SOURCE, src);
    summary_position_mass(s, SUM_SIDE_TARGET, tgt);
    double total = 0;
    for (int b = 0; b < SUMMARY_POS_BINS; b++) {
        total += src[b] + tgt[b];
        if (b != 0 && b != 5)
            ck_assert_double_eq_tol(src[b], 0, EPS);
        if (b != 0 && b != 3)
            ck_assert_double_eq_tol(tgt[b], 0, EPS);
    }
    ck_assert_double_eq_tol(total, 1, EPS);
    ck_assert_double_eq_tol(src[0], (0.25 + 0.25 + 2.0 / 3) / 4, EPS);
    ck_assert_double_eq_tol(src[5], 0.25, EPS);
    ck_assert_double_eq_tol(tgt[0], (0.5 + 1.0 / 3 + 0.25) / 4, EPS);
    ck_assert_double_eq_tol(tgt[3], 0.75 / 4, EPS);

    /* tokens: source B 1.0 over 2 cells (0.5), source A 7/6 over 3 (0.389),
     * target Q 3/4 over 1, target x 5/6 over 2 (0.417), target P 1/4 over 1;
     * target y, w, z received no cell of a step with a distribution */
    ck_assert_uint_eq(summary_ntokens(s), 5);
    sum_token *top;
    size_t n = summary_top_tokens(s, 1, 10, &top);
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(top[0].text, "Q");
    ck_assert_int_eq(top[0].side, SUM_SIDE_TARGET);
    ck_assert_str_eq(top[1].text, "B");
    ck_assert_int_eq(top[1].side, SUM_SIDE_SOURCE);
    ck_assert_double_eq_tol(top[1].mass, 1.0, EPS);
    ck_assert_uint_eq(top[1].count, 2);
    ck_assert_str_eq(top[2].text, "x");
    ck_assert_double_eq_tol(top[2].mass, 5.0 / 6, EPS);
    ck_assert_str_eq(top[3].text, "A");
    ck_assert_double_eq_tol(top[3].mass, 7.0 / 6, EPS);
    ck_assert_uint_eq(top[3].count, 3);
    ck_assert_str_eq(top[4].text, "P");
    free(top);
    n = summary_top_tokens(s, 2, 2, &top);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(top[0].text, "B");
    ck_assert_str_eq(top[1].text, "x");
    free(top);

    /* sorting: NaN last either way, ties in sequence order */
    size_t order[3];
    summary_sort(s, SUM_COL_ENTROPY, false, order);
    ck_assert_uint_eq(order[0], 2);
    ck_assert_uint_eq(order[1], 1);
    ck_assert_uint_eq(order[2], 0);
    summary_sort(s, SUM_COL_SRC_SHARE, false, order);
    ck_assert(order[0] == 1 && order[1] == 0 && order[2] == 2);
    summary_sort(s, SUM_COL_SRC_SHARE, true, order);
    ck_assert(order[0] == 0 && order[1] == 1 && order[2] == 2);
    summary_sort(s, SUM_COL_SRC_LEN, false, order);
    ck_assert(order[0] == 1 && order[1] == 0 && order[2] == 2);
    summary_free(s);
}
END_TEST

/* Granular data through "none" is 3D: every sequence is left out with the
 * reason; the default pipeline (vnorm, normalised) gives shares in [0, 1]
 * whose source + target position mass sums to 1. */
/* The granular fixture (into *o) through "none": a part whose every
 * sequence failed. */
static sum_part *granular_part_none(as_output **o)
{
    as_error err = {0};
    *o = as_load_file(fixture("inseq/encdec_ig_granular.json"), NULL, &err);
    ck_assert_msg(*o != NULL, "%s", err.msg);
    as_pipeline p = {0};
    ck_assert_int_eq(pipe_parse("none", &p, NULL, &err), AS_OK);
    sum_part *part = summary_part_compute(*o, &p, &err);
    pipe_free(&p);
    ck_assert_ptr_nonnull(part);
    return part;
}

START_TEST(failures_and_fixture)
{
    as_error err = {0};
    as_output *o;
    sum_part *part = granular_part_none(&o);
    ck_assert_uint_eq(summary_part_nfailed(part), o->nseqs);
    ck_assert_msg(strstr(summary_part_error(part), "sequence 0: ") == summary_part_error(part),
                  "%s", summary_part_error(part));
    as_summary *s = summary_new();
    ck_assert_int_eq(summary_add_part(s, "g.json", part, &err), AS_OK);
    ck_assert_uint_eq(summary_nseqs(s), 0);
    ck_assert_uint_eq(summary_nfailed_seqs(s), o->nseqs);
    ck_assert_msg(strncmp(summary_first_error(s), "g.json: sequence 0: ", 20) == 0, "%s",
                  summary_first_error(s));
    summary_add_failure(s, "bad.json", "bad.json: line 1: not JSON");
    ck_assert_uint_eq(summary_nfailed_files(s), 1);

    part = summary_part_compute(o, NULL, &err);
    ck_assert_uint_eq(summary_part_nfailed(part), 0);
    ck_assert_int_eq(summary_add_part(s, "g.json", part, &err), AS_OK);
    ck_assert_uint_eq(summary_nseqs(s), o->nseqs);
    for (size_t k = 0; k < summary_nseqs(s); k++) {
        const sum_seq *q = summary_seq(s, k);
        ck_assert_uint_eq(q->gen_len, attr_seq_ncols(&o->seqs[k]));
        for (size_t j = 0; j < q->gen_len; j++) {
            ck_assert(q->src_share[j] >= 0 && q->src_share[j] <= 1);
            ck_assert(q->entropy[j] >= 0 &&
                      q->entropy[j] <= log((double)(q->src_len + q->tgt_len)) + EPS);
        }
    }
    double src[SUMMARY_POS_BINS], tgt[SUMMARY_POS_BINS], total = 0;
    summary_position_mass(s, SUM_SIDE_SOURCE, src);
    summary_position_mass(s, SUM_SIDE_TARGET, tgt);
    for (int b = 0; b < SUMMARY_POS_BINS; b++)
        total += src[b] + tgt[b];
    ck_assert_double_eq_tol(total, 1, EPS);
    summary_free(s);
    attr_output_free(o);
}
END_TEST

/* The reader gives the files' parts in order, with or without workers, and
 * a file that cannot be read as a message naming it. */
START_TEST(reader_in_order)
{
    const char *files[] = {testdata("summary/a_encdec.json"), testdata("summary/b_deconly.json"),
                           testdata("hostile/duplicate_keys.json"),
                           testdata("summary/a_encdec.json")};
    char *paths[4];
    for (int i = 0; i < 4; i++)
        paths[i] = strdup(files[i]); /* testdata() rotates its buffers */
    for (int threads = 0; threads <= 2; threads++) {
        as_error err = {0};
        sum_reader *r = sumread_start((const char *const *)paths, 4, NULL, threads, &err);
        ck_assert_ptr_nonnull(r);
        as_summary *s = summary_new();
        size_t fi, expect = 0, nseq[] = {2, 1, 0, 2};
        sum_part *part;
        char *msg;
        while (sumread_next(r, true, &fi, &part, &msg) == 1) {
            ck_assert_uint_eq(fi, expect);
            if (fi == 2) {
                ck_assert_ptr_null(part);
                ck_assert_msg(msg && strstr(msg, "duplicate_keys.json"), "%s", msg);
                summary_add_failure(s, paths[fi], msg);
                free(msg);
            } else {
                ck_assert_ptr_null(msg);
                size_t before = summary_nseqs(s);
                ck_assert_int_eq(summary_add_part(s, paths[fi], part, &err), AS_OK);
                ck_assert_uint_eq(summary_nseqs(s) - before, nseq[fi]);
            }
            expect++;
        }
        ck_assert_uint_eq(expect, 4);
        ck_assert_uint_eq(sumread_taken(r), 4);
        ck_assert_int_eq(sumread_next(r, false, &fi, &part, &msg), 0);
        ck_assert_uint_eq(summary_nfailed_files(s), 1);
        ck_assert_double_eq_tol(summary_seq(s, 3)->entropy_mean, (H_13 + H_112) / 2, EPS);
        sumread_free(r);
        summary_free(s);
    }
    /* stopping early frees what was not taken */
    as_error err = {0};
    sum_reader *r = sumread_start((const char *const *)paths, 4, NULL, 1, &err);
    size_t fi;
    sum_part *part;
    char *msg;
    ck_assert_int_eq(sumread_next(r, true, &fi, &part, &msg), 1);
    summary_part_free(part);
    sumread_free(r);
    for (int i = 0; i < 4; i++)
        free(paths[i]);
}
END_TEST

/* A copied part adds up to the same summary as the part it was copied from:
 * every column, per-step series, position mass and token. */
START_TEST(copied_parts_add_up_the_same)
{
    as_summary *a = make(NULL), *b = make_from(NULL, true);
    ck_assert_uint_eq(summary_nseqs(a), summary_nseqs(b));
    ck_assert_uint_eq(summary_nsteps(a), summary_nsteps(b));
    ck_assert_uint_eq(summary_ncols(a), summary_ncols(b));
    ck_assert_uint_gt(summary_nscores(a), 0);
    for (size_t k = 0; k < summary_nscores(a); k++)
        ck_assert_str_eq(summary_score_name(a, k), summary_score_name(b, k));
    for (size_t q = 0; q < summary_nseqs(a); q++) {
        for (size_t c = 0; c < summary_ncols(a); c++)
            ck_assert_msg(same_num(summary_value(a, q, c), summary_value(b, q, c)),
                          "sequence %zu column %zu", q, c);
        const sum_seq *x = summary_seq(a, q), *y = summary_seq(b, q);
        ck_assert_ptr_ne(x->entropy, y->entropy);
        for (size_t j = 0; j < x->gen_len; j++) {
            ck_assert(same_num(x->entropy[j], y->entropy[j]));
            ck_assert((x->src_share == NULL) == (y->src_share == NULL));
            if (x->src_share)
                ck_assert(same_num(x->src_share[j], y->src_share[j]));
        }
    }
    for (int side = 0; side < 2; side++) {
        double pa[SUMMARY_POS_BINS], pb[SUMMARY_POS_BINS];
        summary_position_mass(a, (sum_side)side, pa);
        summary_position_mass(b, (sum_side)side, pb);
        for (int i = 0; i < SUMMARY_POS_BINS; i++)
            ck_assert(same_num(pa[i], pb[i]));
    }
    sum_token *ta, *tb;
    size_t na = summary_top_tokens(a, 1, 100, &ta), nb = summary_top_tokens(b, 1, 100, &tb);
    ck_assert_uint_eq(na, nb);
    ck_assert_uint_gt(na, 0);
    for (size_t i = 0; i < na; i++) {
        ck_assert_str_eq(ta[i].text, tb[i].text);
        ck_assert_int_eq(ta[i].side, tb[i].side);
        ck_assert_uint_eq(ta[i].count, tb[i].count);
        ck_assert(same_num(ta[i].mass, tb[i].mass));
    }
    free(ta);
    free(tb);
    summary_free(a);
    summary_free(b);

    /* a part holding failed sequences (3D through "none") keeps its error
     * and count */
    as_error err = {0};
    as_output *o;
    sum_part *part = granular_part_none(&o);
    sum_part *c = summary_part_copy(part, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(summary_part_nfailed(c), o->nseqs);
    ck_assert_ptr_ne(summary_part_error(c), summary_part_error(part));
    ck_assert_str_eq(summary_part_error(c), summary_part_error(part));
    summary_part_free(part);
    summary_part_free(c);
    attr_output_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, per_sequence_figures);
    tcase_add_test(tc, dataset_distributions);
    tcase_add_test(tc, failures_and_fixture);
    tcase_add_test(tc, reader_in_order);
    tcase_add_test(tc, copied_parts_add_up_the_same);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
