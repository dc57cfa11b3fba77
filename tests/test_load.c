/* Loader tests: every fixture loads, variants agree, goldens match the raw
 * tensors, malformed files give their expected messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "testutil.h"

static as_output *must_load(const char *path)
{
    as_error e = {0};
    as_output *o = as_load_file(path, NULL, &e);
    ck_assert_msg(o != NULL, "loading %s: %s", path, e.msg);
    return o;
}

static void assert_tensor_eq(const as_tensor *a, const as_tensor *b, double tol)
{
    ck_assert((a == NULL) == (b == NULL));
    if (!a)
        return;
    ck_assert(tensor_same_shape(a, b));
    size_t n = tensor_numel(a);
    for (size_t i = 0; i < n; i++) {
        float x = a->data[i], y = b->data[i];
        if (isnan(x) || isnan(y)) {
            ck_assert_msg(isnan(x) && isnan(y), "element %zu: %g vs %g", i, x, y);
            continue;
        }
        double t = tol * (fabs(x) > 1 ? fabs(x) : 1);
        ck_assert_msg(fabs((double)x - y) <= t, "element %zu: %.9g vs %.9g", i, x, y);
    }
}

static void assert_seq_eq(const as_seq *a, const as_seq *b, double tol)
{
    ck_assert_int_eq(a->cls, b->cls);
    ck_assert_uint_eq(a->source.n, b->source.n);
    ck_assert_uint_eq(a->target.n, b->target.n);
    for (size_t i = 0; i < a->source.n; i++) {
        ck_assert_str_eq(a->source.v[i].text, b->source.v[i].text);
        ck_assert_int_eq(a->source.v[i].id, b->source.v[i].id);
    }
    for (size_t i = 0; i < a->target.n; i++)
        ck_assert_str_eq(a->target.v[i].text, b->target.v[i].text);
    ck_assert_int_eq(a->attr_pos_start, b->attr_pos_start);
    ck_assert_int_eq(a->attr_pos_end, b->attr_pos_end);
    assert_tensor_eq(a->source_attr, b->source_attr, tol);
    assert_tensor_eq(a->target_attr, b->target_attr, tol);
    ck_assert_uint_eq(a->step_scores.n, b->step_scores.n);
    for (size_t i = 0; i < a->step_scores.n; i++) {
        ck_assert_str_eq(a->step_scores.v[i].name, b->step_scores.v[i].name);
        assert_tensor_eq(a->step_scores.v[i].t, b->step_scores.v[i].t, tol);
    }
}

static void assert_outputs_eq(const as_output *a, const as_output *b, double tol)
{
    ck_assert_uint_eq(a->nseqs, b->nseqs);
    for (size_t i = 0; i < a->nseqs; i++)
        assert_seq_eq(&a->seqs[i], &b->seqs[i], tol);
}

static const char *const all_fixtures[] = {
    "deconly_attention_multidim.json", "deconly_saliency_granular.json",
    "deconly_saliency_granular.json.gz", "encdec_base_sourceonly.json",
    "encdec_ig_granular.json", "encdec_ig_granular.json.gz", "encdec_ig_granular_f16.json",
    "encdec_ig_granular_f8.json", "encdec_ig_granular_split_0.json",
    "encdec_ig_granular_split_1.json", "encdec_occlusion_coarse.json",
    "encdec_occlusion_coarse_f16.json.gz", "encdec_occlusion_coarse_primitives.json",
    "encdec_pair_coarse.json", "encdec_saliency_with_steps.json", "v06_ig_granular.json",
    "v06_ig_granular_lists.json", "v06_ig_granular.json.gz",
};

START_TEST(every_fixture_loads)
{
    char rel[256];
    snprintf(rel, sizeof rel, "inseq/%s", all_fixtures[_i]);
    as_output *o = must_load(fixture(rel));
    ck_assert_uint_ge(o->nseqs, 1);
    ck_assert(json_is_object(o->info));
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        ck_assert(s->source_attr || s->target_attr);
        ck_assert_ptr_nonnull(s->class_name);
        ck_assert_int_le(s->attr_pos_end, (long)s->target.n);
    }
    attr_output_free(o);
}
END_TEST

START_TEST(gzip_and_split_variants_identical)
{
    as_output *plain = must_load(fixture("inseq/encdec_ig_granular.json"));
    as_output *gz = must_load(fixture("inseq/encdec_ig_granular.json.gz"));
    assert_outputs_eq(plain, gz, 0);
    const char *parts[] = {fixture("inseq/encdec_ig_granular_split_0.json"),
                           fixture("inseq/encdec_ig_granular_split_1.json")};
    as_error e = {0};
    as_output *split = as_load_files(parts, 2, NULL, &e);
    ck_assert_msg(split != NULL, "%s", e.msg);
    assert_outputs_eq(plain, split, 0);
    ck_assert_uint_eq(split->nfiles, 2);
    ck_assert_int_eq(split->seqs[1].file_index, 1);
    /* info merged: the texts of both parts, in order. */
    json_t *in_p = json_object_get(plain->info, "input_texts");
    json_t *in_s = json_object_get(split->info, "input_texts");
    ck_assert(json_equal(in_p, in_s));
    ck_assert(json_equal(json_object_get(plain->info, "generated_texts"),
                         json_object_get(split->info, "generated_texts")));
    /* float16 and float8 agree to their precision. */
    as_output *f16 = must_load(fixture("inseq/encdec_ig_granular_f16.json"));
    assert_outputs_eq(plain, f16, 1e-3);
    ck_assert_str_eq(f16->seqs[0].source_attr->dtype, "F16");
    as_output *f8 = must_load(fixture("inseq/encdec_ig_granular_f8.json"));
    assert_outputs_eq(plain, f8, 0.07);
    ck_assert_str_eq(f8->seqs[0].source_attr->dtype, "F8_E4M3");
    attr_output_free(plain);
    attr_output_free(gz);
    attr_output_free(split);
    attr_output_free(f16);
    attr_output_free(f8);
}
END_TEST

START_TEST(v06_variants_identical)
{
    as_output *a = must_load(fixture("inseq/v06_ig_granular.json"));
    as_output *b = must_load(fixture("inseq/v06_ig_granular_lists.json"));
    as_output *c = must_load(fixture("inseq/v06_ig_granular.json.gz"));
    assert_outputs_eq(a, b, 0);
    assert_outputs_eq(a, c, 0);
    ck_assert_str_eq(a->seqs[0].source_attr->dtype, "float32");
    /* The number lists hold NaN literals in the target triangle. */
    ck_assert(isnan(b->seqs[0].target_attr->data[tensor_numel(b->seqs[0].target_attr) - 1]));
    attr_output_free(a);
    attr_output_free(b);
    attr_output_free(c);
}
END_TEST

START_TEST(deconly_gzip_and_primitives)
{
    as_output *a = must_load(fixture("inseq/deconly_saliency_granular.json"));
    as_output *b = must_load(fixture("inseq/deconly_saliency_granular.json.gz"));
    assert_outputs_eq(a, b, 0);
    ck_assert_ptr_null(a->seqs[0].source_attr);
    ck_assert_int_eq(a->seqs[0].attr_pos_start, (long)a->seqs[0].source.n);
    attr_output_free(a);
    attr_output_free(b);
    as_output *c = must_load(fixture("inseq/encdec_occlusion_coarse.json"));
    as_output *p = must_load(fixture("inseq/encdec_occlusion_coarse_primitives.json"));
    assert_outputs_eq(c, p, 0);
    ck_assert_int_eq(p->seqs[0].cls, AS_CLS_COARSE);
    ck_assert_ptr_nonnull(p->notes);
    ck_assert_ptr_nonnull(strstr(p->notes, "inferred from tensor rank"));
    as_output *h = must_load(fixture("inseq/encdec_occlusion_coarse_f16.json.gz"));
    assert_outputs_eq(c, h, 1e-3);
    attr_output_free(c);
    attr_output_free(p);
    attr_output_free(h);
}
END_TEST

/* The goldens' "none" results are the stored tensors themselves. */
static void check_against_golden_none(const char *case_name)
{
    size_t len;
    char *text = read_file_all(fixture("golden/aggregations.json"), &len);
    ck_assert_ptr_nonnull(text);
    json_error_t je;
    json_t *g = json_loadb(text, len, JSON_ALLOW_NUL, &je);
    free(text);
    ck_assert_ptr_nonnull(g);
    json_t *seqs = json_object_get(json_object_get(g, case_name), "none");
    ck_assert_ptr_nonnull(seqs);
    char rel[256];
    snprintf(rel, sizeof rel, "inseq/%s.json", case_name);
    as_output *o = must_load(fixture(rel));
    ck_assert_uint_eq(o->nseqs, json_array_size(seqs));
    for (size_t i = 0; i < o->nseqs; i++) {
        json_t *gs = json_array_get(seqs, i);
        const as_seq *s = &o->seqs[i];
        json_t *src = json_object_get(gs, "source");
        ck_assert_uint_eq(json_array_size(src), s->source.n);
        for (size_t k = 0; k < s->source.n; k++)
            ck_assert_str_eq(json_string_value(json_array_get(src, k)), s->source.v[k].text);
        const char *keys[] = {"source_attributions", "target_attributions"};
        const as_tensor *ts[] = {s->source_attr, s->target_attr};
        for (int w = 0; w < 2; w++) {
            json_t *m = json_object_get(gs, keys[w]);
            if (json_is_null(m) || !m) {
                ck_assert_ptr_null(ts[w]);
                continue;
            }
            ck_assert_uint_eq(json_array_size(m), ts[w]->shape[0]);
            for (size_t r = 0; r < ts[w]->shape[0]; r++) {
                json_t *row = json_array_get(m, r);
                ck_assert_uint_eq(json_array_size(row), ts[w]->shape[1]);
                for (size_t cc = 0; cc < ts[w]->shape[1]; cc++) {
                    json_t *v = json_array_get(row, cc);
                    float x = ts[w]->data[r * ts[w]->shape[1] + cc];
                    if (json_is_null(v))
                        ck_assert(isnan(x));
                    else
                        ck_assert_double_eq_tol(x, json_number_value(v), 1e-6);
                }
            }
        }
    }
    attr_output_free(o);
    json_decref(g);
}

START_TEST(raw_tensors_match_goldens)
{
    check_against_golden_none("encdec_occlusion_coarse");
    check_against_golden_none("encdec_base_sourceonly");
}
END_TEST

START_TEST(step_attributions_shapes)
{
    as_output *o = must_load(fixture("inseq/encdec_saliency_with_steps.json"));
    ck_assert_uint_eq(o->nsteps, 4);
    for (size_t i = 0; i < 4; i++) {
        const as_step *s = &o->steps[i];
        ck_assert_uint_eq(s->source_attr->ndim, 3);
        ck_assert_uint_eq(s->source_attr->shape[0], 1);
        ck_assert_uint_eq(s->source_attr->shape[1], 4);
        ck_assert_uint_eq(s->target_attr->shape[1], i);
        ck_assert_uint_eq(s->nsource, 1);
        ck_assert_uint_eq(s->source[0].n, 4);
        ck_assert_uint_eq(s->nprefix, 1);
        ck_assert_uint_eq(s->prefix[0].n, i);
        ck_assert_ptr_nonnull(attr_scores_get(&s->step_scores, "probability"));
    }
    ck_assert_str_eq(o->steps[0].class_name, "GranularFeatureAttributionStepOutput");
    attr_output_free(o);
}
END_TEST

START_TEST(info_kept_losslessly)
{
    as_output *o = must_load(testdata("bad/ok_info_edge.json"));
    json_t *info = o->info;
    double v;
    ck_assert(attr_json_nonfinite(json_object_get(info, "nan"), &v) && isnan(v));
    json_t *inf = json_object_get(info, "inf");
    ck_assert(attr_json_nonfinite(json_array_get(inf, 0), &v) && v > 0 && isinf(v));
    ck_assert(attr_json_nonfinite(json_array_get(inf, 1), &v) && v < 0 && isinf(v));
    /* Long strings that look like base64 stay strings, byte for byte. */
    const char *lng = json_string_value(json_object_get(info, "long"));
    ck_assert_uint_eq(strlen(lng), 1600 + 11);
    ck_assert_str_eq(lng + 1600, "!not base64");
    const char *b64 = json_string_value(json_object_get(info, "b64like"));
    ck_assert_uint_eq(strlen(b64), 1604);
    ck_assert(!strncmp(b64, "b64:QUFBQUFB", 12));
    ck_assert_str_eq(json_string_value(json_object_get(info, "model_name")), "m");
    attr_output_free(o);
}
END_TEST

START_TEST(gzip_members_and_trailing_data)
{
    as_output *a = must_load(testdata("bad/ok_minimal.json"));
    as_output *b = must_load(testdata("bad/ok_two_members.json.gz"));
    as_output *c = must_load(testdata("bad/ok_trailing.json.gz"));
    assert_outputs_eq(a, b, 0);
    assert_outputs_eq(a, c, 0);
    ck_assert_ptr_null(b->notes);
    ck_assert_ptr_nonnull(c->notes);
    ck_assert_ptr_nonnull(strstr(c->notes, "8 bytes after the end of the gzip stream"));
    attr_output_free(a);
    attr_output_free(b);
    attr_output_free(c);
}
END_TEST

START_TEST(load_from_memory_and_merge_order)
{
    size_t len;
    char *buf = read_file_all(fixture("inseq/encdec_ig_granular.json.gz"), &len);
    ck_assert_ptr_nonnull(buf);
    as_error e = {0};
    as_output *m = as_load_buffer(buf, len, "memory.json.gz", NULL, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    as_output *f = must_load(fixture("inseq/encdec_ig_granular.json"));
    assert_outputs_eq(m, f, 0);
    free(buf);
    /* Any compatible files merge in argument order. */
    const char *two[] = {fixture("inseq/encdec_ig_granular_split_1.json"),
                         fixture("inseq/encdec_ig_granular_split_0.json")};
    as_output *r = as_load_files(two, 2, NULL, &e);
    ck_assert_msg(r != NULL, "%s", e.msg);
    assert_seq_eq(&r->seqs[0], &f->seqs[1], 0);
    assert_seq_eq(&r->seqs[1], &f->seqs[0], 0);
    attr_output_free(m);
    attr_output_free(f);
    attr_output_free(r);
}
END_TEST

/* Every malformed file of tests/data/bad gives its expected message. */
START_TEST(malformed_inputs)
{
    size_t len;
    char *tab = read_file_all(testdata("bad/expected.tsv"), &len);
    ck_assert_ptr_nonnull(tab);
    int cases = 0;
    for (char *line = strtok(tab, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *tabc = strchr(line, '\t');
        ck_assert_ptr_nonnull(tabc);
        *tabc = '\0';
        const char *path = testdata(line);
        char rel[300];
        snprintf(rel, sizeof rel, "bad/%s", line);
        path = testdata(rel);
        as_error e = {0};
        as_output *o = as_load_file(path, NULL, &e);
        ck_assert_msg(o == NULL, "%s loaded but should not", line);
        char want[1200];
        snprintf(want, sizeof want, "%s: %s", path, tabc + 1);
        ck_assert_str_eq(e.msg, want);
        ck_assert_int_ne(e.code, 0);
        cases++;
    }
    ck_assert_int_ge(cases, 30);
    free(tab);
}
END_TEST

/* What Python's json reads loads: lone surrogates as U+FFFD, \u0000 in a
 * key kept as the stored NUL (C0 80) of the step-score name and info key. */
START_TEST(python_json_extras)
{
    as_error e = {0};
    as_output *o = as_load_file(testdata("hostile/python_only.json"), NULL, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    const as_seq *s = &o->seqs[0];
    ck_assert_str_eq(s->source.v[0].text, "\xef\xbf\xbdlone");
    ck_assert_str_eq(s->source.v[1].text, "x\xef\xbf\xbd");
    ck_assert_uint_eq(s->step_scores.n, 2);
    ck_assert_str_eq(s->step_scores.v[0].name, "pro\xc0\x80" "b");
    ck_assert_ptr_nonnull(json_object_get(o->info, "k\xc0\x80" "ey"));
    ck_assert_str_eq(json_string_value(json_object_get(o->info, "k\xc0\x80" "ey")), "v\xef\xbf\xbd");
    ck_assert_str_eq(json_string_value(json_object_get(o->info, "pair")), "\xf0\x9f\x98\x80");
    attr_output_free(o);
}
END_TEST

START_TEST(missing_file_and_no_files)
{
    as_error e = {0};
    ck_assert_ptr_null(as_load_file("/nonexistent/x.json", NULL, &e));
    ck_assert_str_eq(e.msg, "/nonexistent/x.json: cannot open: No such file or directory");
    ck_assert_int_eq(e.code, AS_EIO);
    ck_assert_ptr_null(as_load_files(NULL, 0, NULL, &e));
    ck_assert_int_eq(e.code, AS_EUSAGE);
}
END_TEST

START_TEST(memory_limit_refuses_before_allocating)
{
    size_t old = as_mem_limit();
    as_mem_set_limit(1000);
    as_error e = {0};
    as_output *o = as_load_file(fixture("inseq/encdec_ig_granular.json"), NULL, &e);
    as_mem_set_limit(old);
    ck_assert_ptr_null(o);
    ck_assert_int_eq(e.code, AS_ENOMEM);
    ck_assert_ptr_nonnull(strstr(e.msg, "memory limit"));
    ck_assert_uint_eq(as_mem_in_use(), 0);
}
END_TEST

/* A skim gives the same tokens, positions, shapes and dtypes, and no data. */
START_TEST(skim_matches_full_load)
{
    char rel[256];
    snprintf(rel, sizeof rel, "inseq/%s", all_fixtures[_i]);
    as_load_opts opts = {.skim = true};
    as_error e = {0};
    as_output *s = as_load_file(fixture(rel), &opts, &e);
    ck_assert_msg(s != NULL, "%s: %s", rel, e.msg);
    as_output *f = must_load(fixture(rel));
    ck_assert(s->skimmed && !f->skimmed);
    ck_assert_uint_eq(s->nseqs, f->nseqs);
    ck_assert(json_equal(s->info, f->info));
    for (size_t i = 0; i < f->nseqs; i++) {
        const as_seq *a = &s->seqs[i], *b = &f->seqs[i];
        ck_assert_uint_eq(a->source.n, b->source.n);
        ck_assert_uint_eq(a->target.n, b->target.n);
        for (size_t k = 0; k < a->target.n; k++)
            ck_assert_str_eq(a->target.v[k].text, b->target.v[k].text);
        ck_assert_int_eq(a->cls, b->cls);
        ck_assert_int_eq(a->attr_pos_end, b->attr_pos_end);
        const as_tensor *ta[] = {a->source_attr, a->target_attr};
        const as_tensor *tb[] = {b->source_attr, b->target_attr};
        for (int w = 0; w < 2; w++) {
            ck_assert((ta[w] == NULL) == (tb[w] == NULL));
            if (!ta[w])
                continue;
            ck_assert(tensor_same_shape(ta[w], tb[w]));
            ck_assert_str_eq(ta[w]->dtype, tb[w]->dtype);
            ck_assert_ptr_null(ta[w]->data);
        }
        ck_assert_uint_eq(a->step_scores.n, b->step_scores.n);
    }
    ck_assert_uint_eq(s->nsteps, f->nsteps);
    attr_output_free(s);
    attr_output_free(f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, every_fixture_loads, 0,
                        (int)(sizeof all_fixtures / sizeof all_fixtures[0]));
    tcase_add_loop_test(tc, skim_matches_full_load, 0,
                        (int)(sizeof all_fixtures / sizeof all_fixtures[0]));
    tcase_add_test(tc, gzip_and_split_variants_identical);
    tcase_add_test(tc, v06_variants_identical);
    tcase_add_test(tc, deconly_gzip_and_primitives);
    tcase_add_test(tc, raw_tensors_match_goldens);
    tcase_add_test(tc, step_attributions_shapes);
    tcase_add_test(tc, info_kept_losslessly);
    tcase_add_test(tc, gzip_members_and_trailing_data);
    tcase_add_test(tc, load_from_memory_and_merge_order);
    tcase_add_test(tc, malformed_inputs);
    tcase_add_test(tc, python_json_extras);
    tcase_add_test(tc, missing_file_and_no_files);
    tcase_add_test(tc, memory_limit_refuses_before_allocating);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
