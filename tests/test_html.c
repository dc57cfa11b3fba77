/* test_html.c - the HTML writers: escaping, number formatting, colormap, and
 * the heatmap pages cell by cell against inseq's own pages. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "colormap.h"
#include "html.h"
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
    {"c1\xc2\x85", "c1\xef\xbf\xbd", "\"c1\xc2\x85\""},
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
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        char buf[64];
        html_fmt_pyfloat(buf, T[i].v);
        ck_assert_str_eq(buf, T[i].s);
    }
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(html_suite());
}
