/* The Python-compatible JSON writer against Python's own output
 * (tests/data/pyjson, made by make_data.py there). */
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "pyjson.h"
#include "testutil.h"

START_TEST(float_repr_matches_python)
{
    FILE *f = fopen(testdata("pyjson/floats.txt"), "r");
    ck_assert_ptr_nonnull(f);
    char line[128];
    long n = 0, bad = 0;
    char first[256] = "";
    while (fgets(line, sizeof line, f)) {
        uint64_t u;
        char want[64];
        if (sscanf(line, "%" SCNx64 " %63s", &u, want) != 2)
            continue;
        double d;
        memcpy(&d, &u, sizeof d);
        char got[32];
        size_t len = pj_repr_double(d, got);
        n++;
        if (strcmp(got, want) || len != strlen(want)) {
            if (!bad++)
                snprintf(first, sizeof first, "%016" PRIx64 ": got %s, Python %s", u, got, want);
        }
    }
    fclose(f);
    ck_assert_int_gt(n, 10000);
    ck_assert_msg(bad == 0, "%ld of %ld differ; first %s", bad, n, first);
}
END_TEST

START_TEST(float_repr_specials)
{
    char b[32];
    static const struct { double v; const char *s; } t[] = {
        {1e-05, "1e-05"}, {0.0001, "0.0001"}, {1e16, "1e+16"},
        {123456789012345.0, "123456789012345.0"}, {1234567890123456.0, "1234567890123456.0"},
        {1.2345, "1.2345"}, {-0.0, "-0.0"}, {0.0, "0.0"}, {1.0, "1.0"}, {-2.5, "-2.5"},
        {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
        {0.1, "0.1"}, {1e22, "1e+22"}, {1e23, "1e+23"},
        {0x1p-24, "5.960464477539063e-08"}, {0x1p-149, "1.401298464324817e-45"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        pj_repr_double(t[i].v, b);
        ck_assert_str_eq(b, t[i].s);
    }
    pj_repr_double(NAN, b);
    ck_assert_str_eq(b, "NaN");
    pj_repr_double(INFINITY, b);
    ck_assert_str_eq(b, "Infinity");
    pj_repr_double(-INFINITY, b);
    ck_assert_str_eq(b, "-Infinity");
}
END_TEST

static char *dump_json(const json_t *v, size_t *len)
{
    pj_writer w;
    ck_assert_int_eq(pj_init_mem(&w), 0);
    pj_json(&w, v);
    char *out = pj_mem_take(&w, len);
    ck_assert_ptr_nonnull(out);
    return out;
}

START_TEST(cases_match_python)
{
    const char *dir = testdata("pyjson/cases");
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int ncases = 0;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 8 || strcmp(e->d_name + nl - 8, ".in.json"))
            continue;
        char in[1024], out[1024];
        snprintf(in, sizeof in, "%s/%s", dir, e->d_name);
        snprintf(out, sizeof out, "%s/%.*s.out.json", dir, (int)(nl - 8), e->d_name);
        json_error_t jerr;
        json_t *v = json_load_file(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        ck_assert_msg(v != NULL, "%s: %s", in, jerr.text);
        size_t wl, gl;
        char *want = read_file_all(out, &wl);
        ck_assert_ptr_nonnull(want);
        char *got = dump_json(v, &gl);
        ck_assert_msg(gl == wl && !memcmp(got, want, wl), "%s differs:\n%s\n---\n%s", e->d_name,
                      got, want);
        free(got);
        free(want);
        json_decref(v);
        ncases++;
    }
    closedir(d);
    ck_assert_int_ge(ncases, 5);
}
END_TEST

START_TEST(nonfinite_markers_and_reals)
{
    json_t *o = json_object();
    json_t *a = json_array();
    json_array_append_new(a, attr_json_make_nonfinite(NAN));
    json_array_append_new(a, attr_json_make_nonfinite(INFINITY));
    json_array_append_new(a, attr_json_make_nonfinite(-INFINITY));
    json_array_append_new(a, json_real(1.0));
    json_array_append_new(a, json_integer(1));
    json_array_append_new(a, json_stringn("\0NaNx", 5)); /* not a marker */
    json_object_set_new(o, "v", a);
    size_t n;
    char *s = dump_json(o, &n);
    ck_assert_str_eq(s, "{\n    \"v\": [\n        NaN,\n        Infinity,\n        -Infinity,\n"
                        "        1.0,\n        1,\n        \"\\u0000NaNx\"\n    ]\n}");
    free(s);
    json_decref(o);
}
END_TEST

START_TEST(utf8_edge_cases)
{
    pj_writer w;
    ck_assert_int_eq(pj_init_mem(&w), 0);
    pj_begin_array(&w);
    pj_string(&w, "a\xc0\x80z");           /* modified UTF-8 NUL */
    pj_string(&w, "\xed\xa0\x80");         /* lone high surrogate */
    pj_string(&w, "\xf0\x9f\x98\x80");     /* U+1F600 */
    pj_string(&w, "bad\xff\xc3");          /* invalid bytes */
    pj_string(&w, "\xf4\x8f\xbf\xbf");     /* U+10FFFF */
    pj_string(&w, "\xe2\x96\x81");         /* U+2581 */
    pj_end_array(&w);
    size_t n;
    char *s = pj_mem_take(&w, &n);
    ck_assert_str_eq(s, "[\n    \"a\\u0000z\",\n    \"\\ud800\",\n    \"\\ud83d\\ude00\",\n"
                        "    \"bad\\ufffd\\ufffd\",\n    \"\\udbff\\udfff\",\n    \"\\u2581\"\n]");
    free(s);
}
END_TEST

START_TEST(key_order)
{
    ck_assert_int_lt(pj_keycmp("Corder", "__ndarray__"), 0);
    ck_assert_int_lt(pj_keycmp("__instance_type__", "attributes"), 0);
    ck_assert_int_lt(pj_keycmp("a\xc0\x80", "a\x01"), 0); /* U+0000 sorts first */
    ck_assert_int_lt(pj_keycmp("a", "ab"), 0);
    ck_assert_int_gt(pj_keycmp("\xef\xbf\xbf", "\xed\xa0\x80"), 0);
    ck_assert_int_eq(pj_keycmp("x", "x"), 0);
}
END_TEST

/* A tiny buffer with a flushing sink: the bytes must be the same as a
 * memory writer's. */
struct collect {
    char *data;
    size_t len;
    int calls;
};

static int collect_flush(void *ud, pj_writer *w)
{
    struct collect *c = ud;
    char *nd = realloc(c->data, c->len + w->len + 1);
    if (!nd)
        return 3;
    c->data = nd;
    memcpy(c->data + c->len, w->buf, w->len);
    c->len += w->len;
    w->len = 0;
    c->calls++;
    return 0;
}

START_TEST(small_buffer_sink)
{
    json_error_t jerr;
    json_t *v = json_load_file(testdata("pyjson/cases/info.in.json"), JSON_ALLOW_NUL, &jerr);
    ck_assert_ptr_nonnull(v);
    size_t wl;
    char *want = read_file_all(testdata("pyjson/cases/info.out.json"), &wl);
    char buf[64];
    struct collect c = {0};
    pj_writer w;
    pj_init(&w, buf, sizeof buf, collect_flush, &c);
    pj_json(&w, v);
    ck_assert_int_eq(pj_flush(&w), 0);
    ck_assert_int_gt(c.calls, 10);
    ck_assert_uint_eq(c.len, wl);
    ck_assert_mem_eq(c.data, want, wl);
    /* raw string pieces through reserve/commit */
    c.len = 0;
    pj_init(&w, buf, sizeof buf, collect_flush, &c);
    pj_begin_object(&w);
    pj_key(&w, "b");
    pj_string_open(&w);
    for (int i = 0; i < 40; i++) {
        size_t avail;
        char *p = pj_reserve(&w, 3, &avail);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_ge(avail, 3);
        memcpy(p, "abc", 3);
        pj_commit(&w, 3);
    }
    pj_string_close(&w);
    pj_end_object(&w);
    ck_assert_int_eq(pj_flush(&w), 0);
    ck_assert_uint_eq(c.len, 12 + 120 + 1 + 2);
    ck_assert_mem_eq(c.data, "{\n    \"b\": \"abcabc", 17);
    ck_assert_mem_eq(c.data + c.len - 6, "abc\"\n}", 6);
    free(c.data);
    free(want);
    json_decref(v);
}
END_TEST

static int failing_flush(void *ud, pj_writer *w)
{
    (void)ud;
    (void)w;
    return 4;
}

START_TEST(sink_errors_are_sticky)
{
    char buf[64];
    pj_writer w;
    pj_init(&w, buf, sizeof buf, failing_flush, NULL);
    pj_begin_array(&w);
    for (int i = 0; i < 100; i++)
        pj_string(&w, "some text to fill the buffer");
    pj_end_array(&w);
    ck_assert_int_eq(pj_flush(&w), 4);
    ck_assert_int_eq(pj_status(&w), 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pyjson");
    TCase *tc = tcase_create("writer");
    tcase_add_test(tc, float_repr_matches_python);
    tcase_add_test(tc, float_repr_specials);
    tcase_add_test(tc, cases_match_python);
    tcase_add_test(tc, nonfinite_markers_and_reals);
    tcase_add_test(tc, utf8_edge_cases);
    tcase_add_test(tc, key_order);
    tcase_add_test(tc, small_buffer_sink);
    tcase_add_test(tc, sink_errors_are_sticky);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
