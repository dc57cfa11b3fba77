/* Compare tests: the agreement metrics against values computed on their own
 * from the written-out definitions (tests/data/compare/metrics.json, made by
 * tests/mkcompare.py), sequence matching, and two fixtures of different
 * methods on the same inputs. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "compare.h"
#include "load.h"
#include "html.h"
#include "testutil.h"

static void assert_close(double got, double want, const char *what, const char *name)
{
    if (isnan(want)) {
        ck_assert_msg(isnan(got), "%s: %s: got %.12g, want NaN", name, what, got);
        return;
    }
    ck_assert_msg(fabs(got - want) <= 1e-9, "%s: %s: got %.12g, want %.12g", name, what, got,
                  want);
}

static double jnum(const json_t *j) { return json_is_null(j) ? NAN : json_number_value(j); }

static json_t *expected_doc(void)
{
    json_error_t je;
    json_t *d = json_load_file(testdata("compare/metrics.json"), 0, &je);
    ck_assert_msg(d != NULL, "metrics.json: %s", je.text);
    return d;
}

static float *floats(const json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    float *v = malloc((*n ? *n : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < *n; i++)
        v[i] = (float)jnum(json_array_get(arr, i));
    return v;
}

static void check_metrics(const cmp_metrics *m, const json_t *exp, const char *name,
                          bool check_nk)
{
    if (check_nk) {
        ck_assert_msg(m->n == (size_t)json_integer_value(json_object_get(exp, "n")),
                      "%s: n %zu", name, m->n);
        ck_assert_msg(m->k == (size_t)json_integer_value(json_object_get(exp, "k")),
                      "%s: k %zu", name, m->k);
    }
    for (int i = 0; i < CMP_NMETRICS; i++) {
        const json_t *e = json_object_get(exp, cmp_metric_name(i));
        ck_assert_msg(e != NULL, "%s: no expected %s", name, cmp_metric_name(i));
        assert_close(m->v[i], jnum(e), cmp_metric_name(i), name);
    }
}

START_TEST(vectors_match_the_definitions)
{
    json_t *d = expected_doc();
    json_t *cases = json_object_get(d, "cases");
    ck_assert_int_ge(json_array_size(cases), 8);
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        size_t na, nb;
        float *a = floats(json_object_get(c, "a"), &na);
        float *b = floats(json_object_get(c, "b"), &nb);
        ck_assert_uint_eq(na, nb);
        cmp_metrics m;
        cmp_vectors(a, b, na, (size_t)json_integer_value(json_object_get(c, "k")), &m);
        check_metrics(&m, json_object_get(c, "expected"), name, true);
        /* symmetric metrics do not depend on the order of the sides */
        cmp_metrics r;
        cmp_vectors(b, a, na, (size_t)json_integer_value(json_object_get(c, "k")), &r);
        for (int t = 0; t < CMP_NMETRICS; t++)
            assert_close(r.v[t], m.v[t], cmp_metric_name(t), "swapped");
        free(a);
        free(b);
    }
    json_decref(d);
}
END_TEST

static as_tensor *matrix(const json_t *rows)
{
    size_t shape[2] = {json_array_size(rows), json_array_size(json_array_get(rows, 0))};
    as_error e = {0};
    as_tensor *t = tensor_new(2, shape, &e);
    ck_assert_msg(t != NULL, "%s", e.msg);
    for (size_t i = 0; i < shape[0]; i++)
        for (size_t j = 0; j < shape[1]; j++)
            t->data[i * shape[1] + j] = (float)jnum(json_array_get(json_array_get(rows, i), j));
    return t;
}

static void make_tokens(as_tokens *t, const char *prefix, size_t n)
{
    t->v = calloc(n, sizeof *t->v);
    t->n = n;
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s%zu", prefix, i);
        t->v[i].text = strdup(buf);
        t->v[i].id = -1;
    }
}

static as_seq *make_seq(const json_t *src, const json_t *tgt)
{
    as_seq *s = calloc(1, sizeof *s);
    s->cls = AS_CLS_COARSE;
    s->class_name = strdup("CoarseFeatureAttributionSequenceOutput");
    s->source_attr = src ? matrix(src) : NULL;
    s->target_attr = tgt ? matrix(tgt) : NULL;
    make_tokens(&s->source, "s", 3);
    make_tokens(&s->target, "t", 3);
    s->attr_pos_start = 0;
    s->attr_pos_end = 3;
    return s;
}

START_TEST(sequence_columns_and_mean)
{
    json_t *d = expected_doc();
    json_t *sq = json_object_get(d, "sequence");
    as_seq *a = make_seq(json_object_get(sq, "a_source"), json_object_get(sq, "a_target"));
    as_seq *b = make_seq(json_object_get(sq, "b_source"), json_object_get(sq, "b_target"));
    ck_assert(cmp_seq_same_tokens(a, b));
    cmp_seq_result r;
    as_error e = {0};
    ck_assert_msg(cmp_seqs(a, b, (size_t)json_integer_value(json_object_get(sq, "k")), &r, &e) == 0,
                  "%s", e.msg);
    ck_assert(r.source && r.target);
    json_t *exp = json_object_get(sq, "expected");
    json_t *cols = json_object_get(exp, "columns");
    ck_assert_uint_eq(r.ncols, json_array_size(cols));
    for (size_t j = 0; j < r.ncols; j++) {
        char name[32];
        snprintf(name, sizeof name, "column %zu", j);
        check_metrics(&r.cols[j], json_array_get(cols, j), name, true);
    }
    check_metrics(&r.mean, json_object_get(exp, "mean"), "mean", false);

    /* the difference B - A keeps NaN where a step cannot attend */
    as_seq *diff = cmp_difference(a, b, &e);
    ck_assert_msg(diff != NULL, "%s", e.msg);
    ck_assert_float_eq_tol(diff->source_attr->data[0], 0.25f - 0.5f, 1e-7);
    ck_assert_float_eq_tol(diff->target_attr->data[2], -0.25f - 0.25f, 1e-7);
    ck_assert(isnan(diff->target_attr->data[0]));
    ck_assert_uint_eq(diff->step_scores.n, 0);
    agg_seq_free(diff);

    /* a side without target attributions limits the comparison to the source */
    tensor_free(b->target_attr);
    b->target_attr = NULL;
    cmp_seq_result_free(&r);
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), 0);
    ck_assert(r.source && !r.target);
    ck_assert_uint_eq(r.cols[2].n, 3);
    ck_assert_uint_eq(cmp_rows(a, b), 3);
    cmp_seq_result_free(&r);

    /* nothing shared: an error naming why */
    tensor_free(a->source_attr);
    a->source_attr = NULL;
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), AS_EUSAGE);
    ck_assert_msg(strstr(e.msg, "share no attributions") != NULL, "%s", e.msg);
    cmp_seq_result_free(&r);

    /* different shapes: an error naming them */
    b->target_attr = matrix(json_object_get(sq, "b_source"));
    a->source_attr = matrix(json_object_get(sq, "a_source"));
    tensor_free(b->source_attr);
    size_t shape[2] = {2, 3};
    b->source_attr = tensor_zeros(2, shape, &e);
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), AS_EUSAGE);
    ck_assert_msg(strstr(e.msg, "(3, 3) and (2, 3)") != NULL, "%s", e.msg);
    cmp_seq_result_free(&r);
    tensor_free(b->source_attr);
    b->source_attr = matrix(json_object_get(sq, "b_source"));
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), AS_OK);
    cmp_seq_result_free(&r);

    /* more rows than tokens, or generated positions past the target: data errors */
    a->source.n = 2;
    b->source.n = 2;
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), AS_EDATA);
    ck_assert_msg(strstr(e.msg, "more rows than there are tokens") != NULL, "%s", e.msg);
    cmp_seq_result_free(&r);
    a->source.n = 3;
    b->source.n = 3;
    a->attr_pos_end = b->attr_pos_end = 4;
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), AS_EDATA);
    ck_assert_msg(strstr(e.msg, "do not fit the 3 target tokens") != NULL, "%s", e.msg);
    cmp_seq_result_free(&r);
    a->attr_pos_end = b->attr_pos_end = 3;

    agg_seq_free(a);
    agg_seq_free(b);
    json_decref(d);
}
END_TEST

static as_output *load(const char *rel)
{
    as_error e = {0};
    as_output *o = as_load_file(fixture(rel), NULL, &e);
    ck_assert_msg(o != NULL, "loading %s: %s", rel, e.msg);
    return o;
}

START_TEST(matching_fixtures)
{
    /* IG (granular, 2 sequences) and occlusion (coarse, the first one only) */
    as_output *ig = load("inseq/encdec_ig_granular.json");
    as_output *occ = load("inseq/encdec_occlusion_coarse.json");
    as_output *base = load("inseq/encdec_base_sourceonly.json");
    cmp_match m;
    as_error e = {0};
    ck_assert_int_eq(cmp_match_seqs(ig, NULL, 0, occ, NULL, 0, &m, &e), 0);
    ck_assert_uint_eq(m.npairs, 1);
    ck_assert_uint_eq(m.pairs[0].a, 0);
    ck_assert_uint_eq(m.pairs[0].b, 0);
    ck_assert_uint_eq(m.nonly_a, 1);
    ck_assert_uint_eq(m.only_a[0], 1);
    ck_assert_uint_eq(m.nonly_b, 0);
    cmp_match_free(&m);
    /* the source-only run matches IG's second sequence */
    ck_assert_int_eq(cmp_match_seqs(ig, NULL, 0, base, NULL, 0, &m, &e), 0);
    ck_assert_uint_eq(m.npairs, 1);
    ck_assert_uint_eq(m.pairs[0].a, 1);
    ck_assert_uint_eq(m.nonly_a, 1);
    ck_assert_uint_eq(m.only_a[0], 0);
    cmp_match_free(&m);
    /* index lists: only IG's first sequence, against everything */
    size_t only0 = 0;
    ck_assert_int_eq(cmp_match_seqs(ig, &only0, 1, base, NULL, 0, &m, &e), 0);
    ck_assert_uint_eq(m.npairs, 0);
    ck_assert_uint_eq(m.nonly_a, 1);
    ck_assert_uint_eq(m.nonly_b, 1);
    cmp_match_free(&m);

    /* each side through its own default: IG vnorm vs occlusion as is */
    as_seq *a = agg_apply_str(ig, 0, "default", NULL, &e);
    ck_assert_msg(a != NULL, "%s", e.msg);
    as_seq *b = agg_apply_str(occ, 0, "default", NULL, &e);
    ck_assert_msg(b != NULL, "%s", e.msg);
    cmp_seq_result r;
    ck_assert_msg(cmp_seqs(a, b, CMP_DEFAULT_K, &r, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(r.ncols, 11);
    /* column j compares the 10 source tokens and target tokens 0..j-1 */
    for (size_t j = 0; j < r.ncols; j++) {
        ck_assert_uint_eq(r.cols[j].n, 10 + j);
        ck_assert_uint_eq(r.cols[j].k, 5);
        for (int t = 0; t < CMP_NMETRICS; t++)
            if (t != CMP_SPEARMAN && t != CMP_PEARSON)
                ck_assert(r.cols[j].v[t] >= 0 && r.cols[j].v[t] <= 1);
    }
    /* the column vectors are the maps' values, NaN where the step cannot attend */
    float va[21], vb[21];
    ck_assert_uint_eq(cmp_column(a, b, 3, va, vb), 21);
    ck_assert_float_eq(va[0], a->source_attr->data[3]);
    ck_assert_float_eq(vb[10 + 2], b->target_attr->data[2 * 11 + 3]);
    ck_assert(isnan(vb[10 + 3]));
    /* a map compared with itself agrees fully */
    cmp_seq_result self;
    ck_assert_int_eq(cmp_seqs(b, b, 3, &self, &e), 0);
    for (int t = 0; t < CMP_NMETRICS; t++)
        if (!isnan(self.mean.v[t]))
            assert_close(self.mean.v[t], 1.0, cmp_metric_name(t), "self");
    cmp_seq_result_free(&self);
    cmp_seq_result_free(&r);
    agg_seq_free(a);
    agg_seq_free(b);
    attr_output_free(ig);
    attr_output_free(occ);
    attr_output_free(base);
}
END_TEST

/* The pairwise agreement is counted in O(n log n); here it is checked against
 * its definition, pair by pair, on vectors full of ties and NaN. */
static int sgn3(double v) { return (v > 0) - (v < 0); }

START_TEST(pairwise_against_every_pair)
{
    unsigned seed = 12345;
    for (int round = 0; round < 40; round++) {
        size_t n = 2 + (size_t)(round * 7) % 300;
        float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        ck_assert(a && b);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            int x = (int)((seed >> 16) % 9) - 4;
            seed = seed * 1103515245u + 12345u;
            int y = (int)((seed >> 16) % (round % 2 ? 9 : 1000)) - 4;
            a[i] = (float)x / 4.0f;
            b[i] = (seed >> 8) % 17 == 0 ? NAN : (float)y / 8.0f;
        }
        size_t agree = 0, pairs = 0;
        for (size_t s = 0; s < n; s++)
            for (size_t t = s + 1; t < n; t++) {
                if (isnan(b[s]) || isnan(b[t]))
                    continue;
                pairs++;
                if (sgn3(fabs(a[s]) - fabs(a[t])) == sgn3(fabs(b[s]) - fabs(b[t])))
                    agree++;
            }
        cmp_metrics m;
        cmp_vectors(a, b, n, 5, &m);
        double want = pairs ? (double)agree / (double)pairs : NAN;
        assert_close(m.v[CMP_PAIRWISE], want, "pairwise", "random ties");
        free(a);
        free(b);
    }
}
END_TEST

START_TEST(averages_skip_undefined)
{
    cmp_acc acc;
    cmp_acc_init(&acc);
    cmp_metrics m1 = {.v = {1, 1, 1, 1, NAN, 0.5, NAN}}, m2 = {.v = {0, 0.5, 0, 0, 0.5, NAN, NAN}};
    cmp_acc_add(&acc, &m1);
    cmp_acc_add(&acc, &m2);
    cmp_metrics mean;
    cmp_acc_mean(&acc, &mean);
    ck_assert_uint_eq(acc.ncols, 2);
    assert_close(mean.v[CMP_FEATURE], 0.5, "feature", "acc");
    assert_close(mean.v[CMP_RANK], 0.75, "rank", "acc");
    assert_close(mean.v[CMP_SPEARMAN], 0.5, "spearman", "acc");
    assert_close(mean.v[CMP_PAIRWISE], 0.5, "pairwise", "acc");
    ck_assert(isnan(mean.v[CMP_PEARSON]));
    ck_assert_str_eq(cmp_metric_name(CMP_SIGNED_RANK), "signed_rank_agreement");
    ck_assert_str_eq(cmp_metric_short(CMP_PAIRWISE), "PRA");
}
END_TEST

START_TEST(html_page_escapes_and_lays_out)
{
    json_t *d = expected_doc();
    json_t *sq = json_object_get(d, "sequence");
    as_seq *a = make_seq(json_object_get(sq, "a_source"), json_object_get(sq, "a_target"));
    as_seq *b = make_seq(json_object_get(sq, "b_source"), json_object_get(sq, "b_target"));
    free(a->target.v[1].text);
    a->target.v[1].text = strdup("<script>x</script>");
    cmp_seq_result r;
    as_error e = {0};
    ck_assert_int_eq(cmp_seqs(a, b, 2, &r, &e), 0);
    as_seq *diff = cmp_difference(a, b, &e);
    ck_assert_ptr_nonnull(diff);
    html_compare_seq hs = {.a = a, .b = b, .diff = diff, .res = &r, .ia = 0, .ib = 3};
    size_t only_a = 7;
    html_compare hc = {.a_name = "<b>A.json", .b_name = "B\"'.json", .a_pipeline = "default",
                       .b_pipeline = "sum", .seqs = &hs, .nseqs = 1, .only_a = &only_a,
                       .nonly_a = 1, .mean = r.mean};
    html_out o;
    html_out_mem(&o);
    ck_assert_int_eq(html_compare_page(&o, &hc, 1, 2, NULL, &e), 0);
    size_t len;
    char *page = html_out_take(&o, &len, &e);
    ck_assert_ptr_nonnull(page);
    ck_assert(strstr(page, "<script>") == NULL);
    ck_assert(strstr(page, "&lt;script&gt;x&lt;/script&gt;") != NULL);
    ck_assert(strstr(page, "A: &lt;b&gt;A.json") != NULL);
    ck_assert(strstr(page, "B&quot;&#39;.json") != NULL);
    ck_assert(strstr(page, "sequences of A: 7; of B: none") != NULL);
    ck_assert(strstr(page, "Sequence 0 of A, 3 of B") != NULL);
    /* three heatmap blocks side by side, a metrics row per step plus the mean */
    size_t sides = 0, rows = 0;
    for (const char *p = page; (p = strstr(p, "<div class=\"side\">")); p++)
        sides++;
    for (const char *p = page; (p = strstr(p, "<tr><td>")); p++)
        rows++;
    ck_assert_uint_eq(sides, 3);
    ck_assert_uint_eq(rows, 1 + 3); /* the summary row, then one per step */
    /* step 1's feature agreement as the definitions give it (0.5) */
    ck_assert(strstr(page, "<tr><td>1</td><th>&lt;script&gt;x&lt;/script&gt;</th><td>4</td><td>2</td>"
                     "<td>0.500</td>") != NULL);
    free(page);
    html_out_free(&o);
    agg_seq_free(diff);
    cmp_seq_result_free(&r);
    agg_seq_free(a);
    agg_seq_free(b);
    json_decref(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare");
    TCase *t = tcase_create("compare");
    tcase_add_test(t, vectors_match_the_definitions);
    tcase_add_test(t, sequence_columns_and_mean);
    tcase_add_test(t, matching_fixtures);
    tcase_add_test(t, averages_skip_undefined);
    tcase_add_test(t, pairwise_against_every_pair);
    tcase_add_test(t, html_page_escapes_and_lays_out);
    suite_add_tcase(s, t);
    return run_suite(s);
}
