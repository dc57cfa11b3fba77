/* test_html.c - the HTML writers: escaping, number formatting, colormap, and
 * the heatmap pages cell by cell against inseq's own pages. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "colormap.h"
#include "html.h"
#include "load.h"
#include "pyjson.h"
#include "testutil.h"
#include "html_testlib.h"

/* ---- escaping ---------------------------------------------------------- */

static char *render_text(void (*fn)(html_out *, const char *), const char *s)
{
    html_out o;
    html_out_mem(&o);
    fn(&o, s);
    char *r = html_out_take(&o, NULL, NULL);
    html_out_free(&o);
    ck_assert_ptr_nonnull(r);
    return r;
}

static const struct {
    const char *in, *text, *json;
} ESC[] = {
    {"plain", "plain", "\"plain\""},
    {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;",
     "\"\\u003cimg src=x onerror=alert(1)\\u003e\""},
    {"a&b\"c'd", "a&amp;b&quot;c&#39;d", "\"a\\u0026b\\\"c'd\""},
    {"</script><!--x-->", "&lt;/script&gt;&lt;!--x--&gt;",
     "\"\\u003c/script\\u003e\\u003c!--x--\\u003e\""},
    {"\xe2\x96\x81" "Ciao \xc3\xa8", "\xe2\x96\x81" "Ciao \xc3\xa8", "\"\xe2\x96\x81" "Ciao \xc3\xa8\""},
    {"line\nnext\ttab\\", "line\nnext\ttab\\", "\"line\\nnext\\ttab\\\\\""},
    {"\x01\x7f", "\xef\xbf\xbd\xef\xbf\xbd", "\"\\u0001\\u007f\""},
    {"nul\xc0\x80!", "nul\xef\xbf\xbd!", "\"nul\\u0000!\""},
    {"bad\xff\xfe", "bad\xef\xbf\xbd\xef\xbf\xbd", "\"bad\\ufffd\\ufffd\""},
    {"cut\xe4\xbd", "cut\xef\xbf\xbd\xef\xbf\xbd", "\"cut\\ufffd\\ufffd\""},
    {"sur\xed\xa0\x80", "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\"sur\\ufffd\\ufffd\\ufffd\""},
    {"ls\xe2\x80\xa8ps\xe2\x80\xa9", "ls\xe2\x80\xa8ps\xe2\x80\xa9", "\"ls\\u2028ps\\u2029\""},
    {"emoji\xf0\x9f\x98\x80", "emoji\xf0\x9f\x98\x80", "\"emoji\xf0\x9f\x98\x80\""},
    {"c1\xc2\x85", "c1\xef\xbf\xbd", "\"c1\\u0085\""},
};

START_TEST(test_escape_text)
{
    char *r = render_text(html_text, ESC[_i].in);
    ck_assert_str_eq(r, ESC[_i].text);
    free(r);
}
END_TEST

START_TEST(test_escape_json)
{
    char *r = render_text(html_json_str, ESC[_i].in);
    ck_assert_str_eq(r, ESC[_i].json);
    free(r);
}
END_TEST

START_TEST(test_base64)
{
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                      "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        html_out o;
        html_out_mem(&o);
        html_base64(&o, in[i], strlen(in[i]));
        char *r = html_out_take(&o, NULL, NULL);
        ck_assert_str_eq(r, out[i]);
        free(r);
        html_out_free(&o);
    }
    /* A long buffer round-trips through the test's own decoder. */
    size_t n = 100000;
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(i * 7919 >> 3);
    html_out o;
    html_out_mem(&o);
    html_base64(&o, b, n);
    size_t len;
    char *r = html_out_take(&o, &len, NULL);
    ck_assert_uint_eq(len, (n + 2) / 3 * 4);
    size_t dn;
    unsigned char *d = tl_b64decode(r, len, &dn);
    ck_assert_uint_eq(dn, n);
    ck_assert(memcmp(d, b, n) == 0);
    free(d);
    free(r);
    free(b);
    html_out_free(&o);
}
END_TEST

/* ---- numbers: expected strings are Python's repr(round(x, 3)) ---------- */

static const struct {
    float v;
    const char *s;
} ROUND3[] = {
    {0x1.99999ap-4f, "0.1"},       {-0.0f, "-0.0"},
    {0.0f, "0.0"},                 {-0x1.a36e2ep-12f, "-0.0"},
    {0x1.a36e2ep-12f, "0.0"},      {1.0f, "1.0"},
    {0x1p-4f, "0.062"},            {0x1.8p-3f, "0.188"},
    {-0x1p-4f, "-0.062"},          {0x1.3c0832p+0f, "1.235"},
    {2.5f, "2.5"},                 {0x1.ffbe76p-1f, "0.999"},
    {0x1.0624dep-11f, "0.001"},    {0x1.74bc6ap+0f, "1.456"},
    {-0x1.6be76cp+1f, "-2.843"},   {0x1.1c3794p+53f, "1.0000000272564224e+16"},
    {0x1.d6f346p+26f, "123456792.0"}, {0x1.ff933cp+127f, "3.3999999521443642e+38"},
    {0x1p+24f, "16777216.0"},      {0x1.c6bf52p+49f, "999999986991104.0"},
    {0x1.e847fcp+19f, "999999.875"}, {-0x1.34a456p+10f, "-1234.568"},
    {0.5f, "0.5"},                 {0x1.ff9724p-2f, "0.5"},
    {0x1.d8cd24p+2f, "7.388"},     {0x1.b7cdfep-34f, "0.0"},
    {0x1.89374cp-10f, "0.002"},    {100.0f, "100.0"},
    {0x1.312dp+23f, "10000000.0"}, {NAN, "nan"},
    {INFINITY, "inf"},             {-INFINITY, "-inf"},
};

START_TEST(test_round3)
{
    char buf[64];
    size_t n = html_fmt_round3(buf, ROUND3[_i].v);
    ck_assert_str_eq(buf, ROUND3[_i].s);
    ck_assert_uint_eq(n, strlen(ROUND3[_i].s));
}
END_TEST

/* The page's floats are Python's repr (pyjson's formatter, also checked
 * against 12,700 doubles in test_pyjson): the shortest digits that round-trip. */
START_TEST(test_pyfloat)
{
    static const struct {
        double v;
        const char *s;
    } T[] = {
        {0x1.915343bfdee68p-3, "0.1959595959595959"},
        {0x1.44282828282bcp+7, "162.07843137255065"},
        {0x1.1c37937e08000p+53, "1e+16"},
        {0x1.4f8b588e368f1p-17, "1e-05"},
        {0x1.ec00000000000p+6, "123.0"},
        {0x1.1eb2d66005835p+997, "1.5e+300"},
        {0x1.0c6f7a0b5ed8dp-22, "2.5e-07"},
        {0x1.a36e2eb1c432dp-14, "0.0001"},
        {0x1.0f0cf064dd592p+73, "1e+22"},
        {0x1.5ee2a2eb5a5c4p+53, "1.2345678901234568e+16"},
        {0x0.0000000000001p-1022, "5e-324"},
        {-2.5, "-2.5"},
        {0.0, "0.0"},
        {178.0, "178.0"},
        {0x1p-24, "5.960464477539063e-08"},
        {-0x1p-24, "-5.960464477539063e-08"},
        {NAN, "nan"},
        {INFINITY, "inf"},
        {-INFINITY, "-inf"},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        char buf[64];
        size_t n = pj_repr_float(T[i].v, buf);
        ck_assert_str_eq(buf, T[i].s);
        ck_assert_uint_eq(n, strlen(T[i].s));
    }
    /* what rounding leaves non-finite or huge is printed as repr() too */
    char buf[64];
    html_fmt_round3(buf, INFINITY);
    ck_assert_str_eq(buf, "inf");
    html_fmt_round3(buf, 0x1p60f);
    ck_assert_str_eq(buf, "1.152921504606847e+18");
}
END_TEST

START_TEST(test_ordinal)
{
    static const struct {
        size_t n;
        const char *s;
    } T[] = {{0, "0th"},     {1, "1st"},     {2, "2nd"},     {3, "3rd"},   {4, "4th"},
             {11, "11th"},   {12, "12th"},   {13, "13th"},   {21, "21st"}, {22, "22nd"},
             {101, "101st"}, {111, "111th"}, {1000, "1000th"}};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        char buf[32];
        ck_assert_str_eq(html_ordinal(buf, T[i].n), T[i].s);
    }
}
END_TEST

/* ---- colormap ---------------------------------------------------------- */

START_TEST(test_cmap_bucket)
{
    ck_assert_int_eq(cmap_bucket(NAN, -1, 1), -1);
    ck_assert_int_eq(cmap_bucket(-1, -1, 1), 0);
    ck_assert_int_eq(cmap_bucket(-5, -1, 1), 0);
    ck_assert_int_eq(cmap_bucket(1, -1, 1), 255);   /* x == 1 is the last entry */
    ck_assert_int_eq(cmap_bucket(7, -1, 1), 255);
    ck_assert_int_eq(cmap_bucket(0, -1, 1), 128);   /* floor(0.5 * 256) */
    ck_assert_int_eq(cmap_bucket(-1e-9, -1, 1), 127);
    ck_assert_int_eq(cmap_bucket(0.5, -1, 1), 192);
    ck_assert_int_eq(cmap_bucket(0, 0, 0), -1);     /* 0 / 0 */
    ck_assert_int_eq(cmap_bucket(1, 0, 0), 255);
    ck_assert_int_eq(cmap_bucket(-1, 0, 0), 0);
}
END_TEST

START_TEST(test_cmap_heatmap)
{
    double e[4];
    /* Values printed by inseq (matplotlib) in the goldens. */
    cmap_heatmap_exact(0, e);
    ck_assert(fabs(e[0] - 33) < 1e-9 && fabs(e[1] - 102) < 1e-9 && fabs(e[2] - 172) < 1e-9);
    ck_assert(fabs(e[3] - 1) < 1e-12);
    cmap_heatmap_exact(255, e);
    ck_assert(fabs(e[0] - 178) < 1e-9 && fabs(e[3] - 1) < 1e-12);
    cmap_heatmap_exact(128, e); /* rgba(162.07843137255065, 32.56..., 57.16..., 0.0) */
    ck_assert(fabs(e[0] - 162.07843137255065) < 1e-9);
    ck_assert(fabs(e[1] - 32.56470588235205) < 1e-9);
    ck_assert(fabs(e[2] - 57.16470588235149) < 1e-9);
    ck_assert(fabs(e[3]) < 1e-12);
    cmap_heatmap_exact(153, e); /* 0.1959595959595959 in the coarse golden */
    ck_assert(fabs(e[3] - 0.1959595959595959) < 1e-12);
    ck_assert(fabs(e[0] - 178) < 1e-9);
    as_rgba c = cmap_heatmap(-1);
    ck_assert(c.r == 0 && c.g == 0 && c.b == 0 && c.a == 0);
    c = cmap_granular(0);
    ck_assert(c.r == 33 && c.g == 102 && c.b == 172 && c.a == 1);
    c = cmap_granular(255);
    ck_assert(c.r == 178 && c.g == 24 && c.b == 43);
    c = cmap_greens(255);
    ck_assert(c.r == 0 && c.g == 109 && c.b == 44);
    c = cmap_brown_green(0);
    ck_assert(c.r == 140 && c.g == 81 && c.b == 10);
}
END_TEST

/* ---- heatmap pages against inseq's ------------------------------------- */

static const char *const GOLDEN_CASES[][2] = {
    {"encdec_occlusion_coarse", "none"},
    {"encdec_ig_granular", "default"},
    {"deconly_saliency_granular", "default"},
};

START_TEST(test_heatmap_golden_agg)
{
    const char *name = GOLDEN_CASES[_i][0], *pipe = GOLDEN_CASES[_i][1];
    size_t n;
    as_seq *seqs = tl_golden_seqs(fixture("golden/aggregations.json"), name, pipe, &n);
    ck_assert_ptr_nonnull(seqs);
    char gold[512];
    snprintf(gold, sizeof gold, "golden/%s.show.html", name);
    tl_check_heatmap_golden(seqs, n, fixture(gold));
    for (size_t i = 0; i < n; i++)
        attr_seq_free(&seqs[i]);
    free(seqs);
}
END_TEST

/* The same pages from the fixture files themselves: the coarse file needs no
 * aggregation; the granular files need inseq's default (vnorm over the last
 * dim, then L1 normalisation per column over source + target rows), done
 * here so this test does not depend on the aggregation module. */

static as_tensor *vnorm_last(const as_tensor *t)
{
    size_t shape[2] = {t->shape[0], t->shape[1]};
    size_t d = t->shape[2];
    as_tensor *r = tensor_new(2, shape, NULL);
    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < shape[0] * shape[1]; i++) {
        double acc = 0;
        bool nan = false;
        for (size_t k = 0; k < d; k++) {
            double x = t->data[i * d + k];
            if (isnan(x))
                nan = true;
            acc += x * x;
        }
        r->data[i] = nan ? NAN : (float)sqrt(acc);
    }
    return r;
}

static void normalize_cols(as_tensor *a, as_tensor *b)
{
    as_tensor *ts[2] = {a, b};
    size_t g = a ? a->shape[1] : b->shape[1];
    for (size_t j = 0; j < g; j++) {
        double l1 = 0;
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; ts[k] && i < ts[k]->shape[0]; i++) {
                float x = ts[k]->data[i * g + j];
                if (!isnan(x))
                    l1 += fabs(x);
            }
        if (l1 < 1e-12)
            l1 = 1e-12;
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; ts[k] && i < ts[k]->shape[0]; i++)
                ts[k]->data[i * g + j] = (float)(ts[k]->data[i * g + j] / l1);
    }
}

static const char *const LOADED_CASES[][2] = {
    {"inseq/encdec_occlusion_coarse.json", "golden/encdec_occlusion_coarse.show.html"},
    {"inseq/encdec_occlusion_coarse_f16.json.gz", NULL},
    {"inseq/encdec_ig_granular.json", "golden/encdec_ig_granular.show.html"},
    {"inseq/encdec_ig_granular.json.gz", "golden/encdec_ig_granular.show.html"},
    {"inseq/deconly_saliency_granular.json", "golden/deconly_saliency_granular.show.html"},
};

START_TEST(test_heatmap_golden_loaded)
{
    const char *file = LOADED_CASES[_i][0], *gold = LOADED_CASES[_i][1];
    as_error err = {0};
    as_output *out = as_load_file(fixture(file), NULL, &err);
    ck_assert_msg(out != NULL, "%s: %s", file, err.msg);
    as_seq *seqs = calloc(out->nseqs, sizeof *seqs);
    for (size_t i = 0; i < out->nseqs; i++) {
        ck_assert_int_eq(attr_seq_copy(&seqs[i], &out->seqs[i], &err), AS_OK);
        as_seq *q = &seqs[i];
        if ((q->source_attr && q->source_attr->ndim == 3) ||
            (q->target_attr && q->target_attr->ndim == 3)) {
            as_tensor *a = q->source_attr ? vnorm_last(q->source_attr) : NULL;
            as_tensor *b = q->target_attr ? vnorm_last(q->target_attr) : NULL;
            normalize_cols(a, b);
            tensor_free(q->source_attr);
            tensor_free(q->target_attr);
            q->source_attr = a, q->target_attr = b;
        }
    }
    if (gold) {
        tl_check_heatmap_golden(seqs, out->nseqs, fixture(gold));
    } else {
        /* float16 values: same page structure as the float32 golden, texts
         * may differ in the last digit, so compare tables without values. */
        const as_seq *p = &seqs[0];
        html_out o;
        html_out_mem(&o);
        ck_assert_int_eq(html_heatmap_page(&o, &p, 1, NULL, &err), AS_OK);
        char *got = html_out_take(&o, NULL, NULL);
        html_out_free(&o);
        tl_page pg = tl_parse(got);
        ck_assert_uint_eq(pg.n, 2);
        ck_assert_uint_eq(pg.t[0].n, 2 + 10 + 1);
        ck_assert_uint_eq(pg.t[1].n, 2 + 11 + 1);
        tl_page_free(&pg);
        free(got);
    }
    for (size_t i = 0; i < out->nseqs; i++)
        attr_seq_free(&seqs[i]);
    free(seqs);
    attr_output_free(out);
}
END_TEST

/* ---- heatmap structure and options ------------------------------------- */

static void seq_2d(as_seq *s, size_t S, size_t P, size_t G, bool src, bool tgt)
{
    static const char *const W[] = {"<img src=x onerror=alert(1)>", "a&b", "\"q\"", "it's",
                                    "\xe2\x96\x81x", "</script>"};
    memset(s, 0, sizeof *s);
    s->cls = AS_CLS_COARSE;
    s->source.n = S;
    s->source.v = calloc(S + 1, sizeof(as_token));
    for (size_t i = 0; i < S; i++)
        s->source.v[i].text = strdup(W[i % 6]);
    s->target.n = P + G;
    s->target.v = calloc(P + G + 1, sizeof(as_token));
    for (size_t i = 0; i < P + G; i++)
        s->target.v[i].text = strdup(W[(i + 1) % 6]);
    s->attr_pos_start = (long)P;
    s->attr_pos_end = (long)(P + G);
    if (src) {
        size_t sh[2] = {S, G};
        s->source_attr = tensor_new(2, sh, NULL);
        for (size_t i = 0; i < S * G; i++)
            s->source_attr->data[i] = (float)((double)i / (double)(S * G) - 0.3);
    }
    if (tgt) {
        size_t sh[2] = {P + G, G};
        s->target_attr = tensor_new(2, sh, NULL);
        for (size_t i = 0; i < P + G; i++)
            for (size_t j = 0; j < G; j++)
                s->target_attr->data[i * G + j] = i >= P + j ? NAN : (float)(0.1 * (double)(i + j));
    }
}

static void add_step(as_seq *s, const char *name, const float *v)
{
    size_t g = attr_seq_ncols(s);
    size_t n = s->step_scores.n;
    s->step_scores.v = realloc(s->step_scores.v, (n + 1) * sizeof(as_named));
    s->step_scores.v[n].name = strdup(name);
    s->step_scores.v[n].t = tensor_new(1, &g, NULL);
    memcpy(s->step_scores.v[n].t->data, v, g * sizeof(float));
    s->step_scores.n = n + 1;
}

static char *heatmap_html(const as_seq *const *seqs, size_t n, const html_heatmap_opts *o,
                          int want_rc, as_error *err)
{
    html_out out;
    html_out_mem(&out);
    int rc = html_heatmap_page(&out, seqs, n, o, err);
    ck_assert_msg(rc == want_rc, "rc %d: %s", rc, err->msg);
    char *r = rc ? NULL : html_out_take(&out, NULL, NULL);
    html_out_free(&out);
    return r;
}

START_TEST(test_heatmap_structure)
{
    as_seq a;
    seq_2d(&a, 3, 0, 4, true, true);
    float prob[4] = {0.4996f, 0.2f, -0.75f, NAN};
    add_step(&a, "probability", prob);
    const as_seq *p = &a;
    as_error err = {0};
    char *html = heatmap_html(&p, 1, NULL, AS_OK, &err);
    ck_assert_ptr_null(strstr(html, "<img"));
    ck_assert_ptr_null(strstr(html, "</script>"));
    ck_assert_ptr_nonnull(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
    ck_assert_ptr_nonnull(strstr(html, "it&#39;s"));
    ck_assert_ptr_nonnull(strstr(html, "<!DOCTYPE html>"));
    ck_assert_ptr_nonnull(strstr(html, "<meta charset=\"utf-8\">"));
    ck_assert_ptr_nonnull(strstr(html, "name=\"viewport\""));
    tl_page pg = tl_parse(html);
    ck_assert_uint_eq(pg.n, 2);
    ck_assert_str_eq(pg.t[0].label, "Source");
    ck_assert_str_eq(pg.t[1].label, "Target");
    ck_assert_uint_eq(pg.instances, 2);
    /* header rows, 3 source rows, one step row */
    ck_assert_uint_eq(pg.t[0].n, 2 + 3 + 1);
    ck_assert_str_eq(pg.t[0].r[0].c[2 + 3].text, "3");
    ck_assert_str_eq(pg.t[0].r[1].c[2].text, "a&b");
    ck_assert_str_eq(pg.t[0].r[2].c[1].text, "<img src=x onerror=alert(1)>");
    /* value (0/12 - 0.3) = -0.3 */
    ck_assert_str_eq(pg.t[0].r[2].c[2].text, "-0.3");
    /* NaN: empty and transparent black, as inseq */
    tl_cell *nanc = &pg.t[1].r[2 + 1].c[2];
    ck_assert_str_eq(nanc->text, "");
    ck_assert(nanc->has_color && nanc->rgba[3] == 0 && nanc->rgba[0] == 0);
    /* step scores: bold on the rounded value, "nan" for NaN */
    ck_assert_str_eq(pg.t[0].r[5].c[1].text, "probability");
    ck_assert_str_eq(pg.t[0].r[5].c[2].text, "0.5");
    ck_assert_str_eq(pg.t[0].r[5].c[5].text, "nan");
    ck_assert_ptr_nonnull(strstr(html, "<td><b>0.5</b></td><td>0.2</td><td><b>-0.75</b></td>"
                                       "<td>nan</td>"));
    /* the largest value (11/12 - 0.3 = 0.6167 in source, 0.6 in target) is
     * the top of the range: bucket 255 */
    tl_cell *top = &pg.t[0].r[2 + 2].c[2 + 3];
    ck_assert_str_eq(top->text, "0.617");
    ck_assert(top->rgba[0] == 178 && fabs(top->rgba[3] - 1) < 1e-9);
    tl_page_free(&pg);
    free(html);

    /* Options: explicit max, only min, shared range, header numbers. */
    html_heatmap_opts o = {0};
    o.c.has_max = true, o.c.max_val = 10;
    html = heatmap_html(&p, 1, &o, AS_OK, &err);
    pg = tl_parse(html);
    top = &pg.t[0].r[2 + 2].c[2 + 3];
    ck_assert_int_eq(cmap_bucket(0.6166666f, -10, 10), 135);
    double e[4];
    cmap_heatmap_exact(135, e);
    ck_assert(fabs(top->rgba[3] - e[3]) < 1e-12);
    tl_page_free(&pg);
    free(html);

    as_seq b;
    seq_2d(&b, 2, 2, 2, false, true); /* max 0.3 at row 2, column 1 */
    const as_seq *two[2] = {&a, &b};
    size_t idx[2] = {7, 12};
    o = (html_heatmap_opts){0};
    o.indices = idx;
    html = heatmap_html(two, 2, &o, AS_OK, &err);
    ck_assert_ptr_nonnull(strstr(html, "<b>7th instance:</b>"));
    ck_assert_ptr_nonnull(strstr(html, "<b>12th instance:</b>"));
    pg = tl_parse(html);
    ck_assert_uint_eq(pg.n, 3);
    /* per sequence: b's 0.3 is its own maximum */
    ck_assert_str_eq(pg.t[2].r[2 + 2].c[2 + 1].text, "0.3");
    ck_assert(fabs(pg.t[2].r[2 + 2].c[2 + 1].rgba[3] - 1) < 1e-9);
    tl_page_free(&pg);
    free(html);
    o.shared_range = true;
    html = heatmap_html(two, 2, &o, AS_OK, &err);
    pg = tl_parse(html);
    ck_assert(pg.t[2].r[2 + 2].c[2 + 1].rgba[3] < 0.6); /* 0.3 of 0.617 */
    tl_page_free(&pg);
    free(html);
    attr_seq_free(&a);
    attr_seq_free(&b);
}
END_TEST

START_TEST(test_heatmap_step_only_and_errors)
{
    /* No attributions, only step scores: a Target table of scores (inseq). */
    as_seq a;
    seq_2d(&a, 2, 1, 3, false, false);
    float v[3] = {1, 2, 3};
    add_step(&a, "entropy", v);
    const as_seq *p = &a;
    as_error err = {0};
    char *html = heatmap_html(&p, 1, NULL, AS_OK, &err);
    tl_page pg = tl_parse(html);
    ck_assert_uint_eq(pg.n, 1);
    ck_assert_str_eq(pg.t[0].label, "Target");
    ck_assert_uint_eq(pg.t[0].n, 3);
    ck_assert_str_eq(pg.t[0].r[2].c[4].text, "3.0");
    tl_page_free(&pg);
    free(html);
    attr_seq_free(&a);

    /* Nothing at all: no table. */
    seq_2d(&a, 2, 1, 3, false, false);
    html = heatmap_html(&p, 1, NULL, AS_OK, &err);
    ck_assert_ptr_null(strstr(html, "<table"));
    free(html);
    attr_seq_free(&a);

    /* 3D input is refused with a clear message. */
    seq_2d(&a, 2, 0, 3, false, false);
    size_t sh[3] = {2, 3, 4};
    a.source_attr = tensor_zeros(3, sh, NULL);
    heatmap_html(&p, 1, NULL, AS_EDATA, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "sequence 0: source_attributions: shape (2, 3, 4) "
                                          "is not 2D"));
    attr_seq_free(&a);
    /* Shapes that do not fit the tokens. */
    seq_2d(&a, 2, 0, 3, false, false);
    size_t sh2[2] = {5, 3};
    a.target_attr = tensor_zeros(2, sh2, NULL);
    heatmap_html(&p, 1, NULL, AS_EDATA, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "target_attributions: shape (5, 3) does not match 3 "
                                          "target tokens x 3 generated tokens"));
    attr_seq_free(&a);
    seq_2d(&a, 2, 0, 3, true, false);
    float w[3] = {0, 0, 0};
    add_step(&a, "p", w);
    a.step_scores.v[0].t->shape[0] = 2;
    heatmap_html(&p, 1, NULL, AS_EDATA, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "step_scores.p: 2 values for 3 generated tokens"));
    a.step_scores.v[0].t->shape[0] = 3;
    a.attr_pos_end = 9;
    heatmap_html(&p, 1, NULL, AS_EDATA, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "do not fit 3 target tokens"));
    attr_seq_free(&a);
}
END_TEST

START_TEST(test_sink_errors_and_file)
{
    /* A full device: the sticky error comes back from the flush. */
    FILE *f = fopen("/dev/full", "wb");
    if (f) {
        html_out o;
        html_out_file(&o, f);
        for (int i = 0; i < 100000; i++)
            html_puts(&o, "0123456789");
        as_error err = {0};
        ck_assert_int_eq(html_out_flush(&o, &err), AS_EIO);
        ck_assert_ptr_nonnull(strstr(err.msg, "writing HTML: "));
        html_out_free(&o);
        fclose(f);
    }
    /* A file gets exactly what memory gets. */
    as_seq a;
    seq_2d(&a, 40, 3, 30, true, true);
    const as_seq *p = &a;
    char path[] = "/tmp/test_html_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "wb");
    html_out o;
    html_out_file(&o, f);
    as_error err = {0};
    ck_assert_int_eq(html_heatmap_page(&o, &p, 1, NULL, &err), AS_OK);
    ck_assert_int_eq(html_out_flush(&o, &err), AS_OK);
    size_t total = o.total;
    html_out_free(&o);
    fclose(f);
    size_t flen;
    char *fromfile = read_file_all(path, &flen);
    unlink(path);
    char *mem = heatmap_html(&p, 1, NULL, AS_OK, &err);
    ck_assert_uint_eq(flen, strlen(mem));
    ck_assert_uint_eq(flen, total);
    ck_assert(memcmp(fromfile, mem, flen) == 0);
    free(fromfile);
    free(mem);
    attr_seq_free(&a);
}
END_TEST

Suite *html_suite(void);
Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("escape");
    tcase_add_loop_test(tc, test_escape_text, 0, (int)(sizeof ESC / sizeof ESC[0]));
    tcase_add_loop_test(tc, test_escape_json, 0, (int)(sizeof ESC / sizeof ESC[0]));
    tcase_add_test(tc, test_base64);
    suite_add_tcase(s, tc);
    tc = tcase_create("numbers");
    tcase_add_loop_test(tc, test_round3, 0, (int)(sizeof ROUND3 / sizeof ROUND3[0]));
    tcase_add_test(tc, test_pyfloat);
    tcase_add_test(tc, test_ordinal);
    tcase_add_test(tc, test_cmap_bucket);
    tcase_add_test(tc, test_cmap_heatmap);
    suite_add_tcase(s, tc);
    tc = tcase_create("heatmap");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_heatmap_golden_agg, 0, 3);
    tcase_add_loop_test(tc, test_heatmap_golden_loaded, 0,
                        (int)(sizeof LOADED_CASES / sizeof LOADED_CASES[0]));
    tcase_add_test(tc, test_heatmap_structure);
    tcase_add_test(tc, test_heatmap_step_only_and_errors);
    tcase_add_test(tc, test_sink_errors_and_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(html_suite());
}
