/* test_html_views.c - the granular and tokens pages: what they embed (values
 * decoded back from the page, dims, ranges), their options and their
 * errors.  The interaction itself is checked in a browser by
 * html_browser.sh. */
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

static const char *const W[] = {"<img src=x onerror=alert(1)>", "\xe2\x96\x81" "a&b", "\"q\"",
                                "</script><!--", "\xc4\xa0x", "."};

static void toks(as_tokens *t, size_t n, size_t shift)
{
    t->n = n;
    t->v = calloc(n + 1, sizeof *t->v);
    for (size_t i = 0; i < n; i++)
        t->v[i].text = strdup(W[(i + shift) % 6]);
}

static float val(size_t i, size_t j, size_t k) { return (float)i * 100 + (float)j * 10 + (float)k; }

/* An encoder-decoder sequence with S source and G generated tokens and
 * tensors (S|G, G, extra...) filled by val() over the flat extra index. */
static void make_seq(as_seq *s, as_class cls, size_t S, size_t G, int nextra, const size_t *extra,
                     bool target)
{
    memset(s, 0, sizeof *s);
    s->cls = cls;
    toks(&s->source, S, 0);
    toks(&s->target, G, 2);
    s->attr_pos_end = (long)G;
    size_t shape[AS_MAX_DIMS] = {S, G}, inner = 1;
    for (int d = 0; d < nextra; d++)
        shape[2 + d] = extra[d], inner *= extra[d];
    for (int w = 0; w < (target ? 2 : 1); w++) {
        shape[0] = w ? G : S;
        as_tensor *t = tensor_new(2 + nextra, shape, NULL);
        for (size_t i = 0; i < shape[0]; i++)
            for (size_t j = 0; j < G; j++)
                for (size_t k = 0; k < inner; k++)
                    t->data[(i * G + j) * inner + k] = w && i >= j ? NAN : val(i, j, k);
        if (w)
            s->target_attr = t;
        else
            s->source_attr = t;
    }
}

static char *granular(const as_seq *const *seqs, size_t n, const html_granular_opts *o,
                      int want, as_error *err)
{
    html_out out;
    html_out_mem(&out);
    memset(err, 0, sizeof *err);
    int rc = html_granular_page(&out, seqs, n, o, err);
    ck_assert_msg(rc == want, "rc %d, expected %d: %s", rc, want, err->msg);
    char *r = rc ? NULL : html_out_take(&out, NULL, NULL);
    html_out_free(&out);
    return r;
}

/* The text of <script ... id="ID"> in html (a copy). */
static char *script_text(const char *html, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, "id=\"%s\">", id);
    const char *p = strstr(html, key);
    ck_assert_msg(p != NULL, "no script %s", id);
    p += strlen(key);
    const char *e = strstr(p, "</script>");
    ck_assert_ptr_nonnull(e);
    return strndup(p, (size_t)(e - p));
}

static json_t *page_meta(const char *html)
{
    char *t = script_text(html, "as-meta");
    json_error_t je;
    json_t *j = json_loads(t, 0, &je);
    ck_assert_msg(j != NULL, "meta JSON: %s", je.text);
    free(t);
    return j;
}

/* The values of blob k as floats (float16 when half). */
static float *blob_values(const char *html, size_t k, bool half, size_t *n)
{
    char id[32];
    snprintf(id, sizeof id, "as-blob-%zu", k);
    char *t = script_text(html, id);
    size_t nb;
    unsigned char *b = tl_b64decode(t, strlen(t), &nb);
    free(t);
    size_t es = half ? 2 : 4;
    ck_assert_uint_eq(nb % es, 0);
    *n = nb / es;
    float *v = malloc(*n * sizeof *v + 1);
    for (size_t i = 0; i < *n; i++) {
        if (half) {
            unsigned h = b[2 * i] | (unsigned)b[2 * i + 1] << 8;
            int e = (int)(h >> 10 & 31);
            unsigned m = h & 1023;
            double x = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY)
                                                        : ldexp(1024 + m, e - 25);
            v[i] = (float)(h & 0x8000 ? -x : x);
        } else {
            memcpy(&v[i], b + 4 * i, 4);
        }
    }
    free(b);
    return v;
}

static void assert_no_breakout(const char *html)
{
    ck_assert_ptr_null(strstr(html, "<img"));
    ck_assert_ptr_null(strstr(html, "<!--"));
    /* every </script> closes one of the page's own script elements */
    size_t opens = 0, closes = 0;
    for (const char *p = html; (p = strstr(p, "<script")); p++)
        opens++;
    for (const char *p = html; (p = strstr(p, "</script>")); p++)
        closes++;
    ck_assert_uint_eq(opens, closes);
}

START_TEST(test_granular_embeds_values)
{
    as_seq s;
    size_t d5 = 5;
    make_seq(&s, AS_CLS_GRANULAR, 3, 2, 1, &d5, true);
    const as_seq *p = &s;
    as_error err;
    char *html = granular(&p, 1, NULL, AS_OK, &err);
    assert_no_breakout(html);
    ck_assert_ptr_nonnull(strstr(html, "<!DOCTYPE html>"));
    json_t *m = page_meta(html);
    json_t *seqs = json_object_get(m, "seqs");
    ck_assert_uint_eq(json_array_size(seqs), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(m, "palette")), 256);
    json_t *groups = json_object_get(json_array_get(seqs, 0), "groups");
    ck_assert_uint_eq(json_array_size(groups), 1); /* source and target share controls */
    json_t *g = json_array_get(groups, 0);
    json_t *dim = json_array_get(json_object_get(g, "dims"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(dim, "name")), "Embedding Dimension");
    ck_assert_str_eq(json_string_value(json_object_get(dim, "role")), "show"); /* 5 <= 20 */
    json_t *maps = json_object_get(g, "maps");
    ck_assert_uint_eq(json_array_size(maps), 2);
    json_t *m0 = json_array_get(maps, 0);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(m0, "rows"), 0)), W[0]);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(m0, "cols"), 1)), W[3]);
    /* treescope's range: max |x| = 214, under 3 root-mean-squares */
    ck_assert(fabs(json_number_value(json_object_get(m0, "vmax")) - 214) < 1e-9);
    ck_assert(fabs(json_number_value(json_object_get(m0, "vmin")) + 214) < 1e-9);
    for (size_t k = 0; k < 2; k++) {
        size_t n;
        float *v = blob_values(html, k, false, &n);
        const as_tensor *t = k ? s.target_attr : s.source_attr;
        ck_assert_uint_eq(n, tensor_numel(t));
        for (size_t i = 0; i < n; i++)
            ck_assert(memcmp(&v[i], &t->data[i], 4) == 0);
        free(v);
    }
    json_decref(m);
    free(html);
    attr_seq_free(&s);
}
END_TEST

START_TEST(test_granular_slices_and_dims)
{
    as_seq s;
    size_t lh[2] = {4, 30};
    make_seq(&s, AS_CLS_MULTIDIM, 3, 2, 2, lh, false);
    const as_seq *p = &s;
    as_error err;
    /* Default: layers (4) as sub-columns, heads (30 > 20) a slider. */
    char *html = granular(&p, 1, NULL, AS_OK, &err);
    json_t *m = page_meta(html);
    json_t *g = json_array_get(json_object_get(json_array_get(json_object_get(m, "seqs"), 0),
                                               "groups"), 0);
    json_t *dims = json_object_get(g, "dims");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dims, 0), "name")),
                     "Model Layer");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dims, 0), "role")), "show");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dims, 1), "role")),
                     "slider");
    json_decref(m);
    free(html);

    /* Slice heads by name [5, -20) -> 5..9, show heads, layers slide. */
    html_slice sl = {{0, "attention head"}, 5, -20};
    html_granular_opts o = {0};
    o.slices = &sl;
    o.nslices = 1;
    o.show_dim_set = true;
    o.show_dim.index = 3;
    html = granular(&p, 1, &o, AS_OK, &err);
    m = page_meta(html);
    g = json_array_get(json_object_get(json_array_get(json_object_get(m, "seqs"), 0), "groups"),
                       0);
    dims = json_object_get(g, "dims");
    json_t *heads = json_array_get(dims, 1);
    ck_assert_int_eq(json_integer_value(json_object_get(heads, "size")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(heads, "offset")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(heads, "role")), "show");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dims, 0), "role")),
                     "slider");
    json_t *shape = json_object_get(json_array_get(json_object_get(g, "maps"), 0), "shape");
    ck_assert_int_eq(json_integer_value(json_array_get(shape, 3)), 5);
    size_t n;
    float *v = blob_values(html, 0, false, &n);
    ck_assert_uint_eq(n, 3 * 2 * 4 * 5);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            for (size_t l = 0; l < 4; l++)
                for (size_t h = 0; h < 5; h++)
                    ck_assert(v[((i * 2 + j) * 4 + l) * 5 + h] == val(i, j, l * 30 + 5 + h));
    free(v);
    json_decref(m);
    free(html);

    /* no_show_dim: every extra dim slides. */
    o = (html_granular_opts){0};
    o.no_show_dim = true;
    html = granular(&p, 1, &o, AS_OK, &err);
    ck_assert_ptr_null(strstr(html, "\"role\":\"show\""));
    free(html);

    /* Errors. */
    o = (html_granular_opts){0};
    o.show_dim_set = true;
    o.show_dim.index = 3;
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "show_dim: dimension 3 (Attention Head) has size 30, "
                                          "more than max_show_size 20"));
    o.max_show_size = 30;
    html = granular(&p, 1, &o, AS_OK, &err);
    free(html);
    o.show_dim.index = 1;
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "dimension 1 is not an extra dimension; valid "
                                          "indices are 2..3"));
    o.show_dim.name = "Embedding Dimension";
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "no dimension named \"Embedding Dimension\"; extra "
                                          "dimensions: \"Model Layer\" (2), \"Attention Head\" "
                                          "(3)"));
    html_slice empty = {{2, NULL}, 3, 3};
    o = (html_granular_opts){0};
    o.slices = &empty;
    o.nslices = 1;
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "slice_dims: [3, 3) of dimension 2 (Model Layer, "
                                          "size 4) is empty"));
    o = (html_granular_opts){0};
    o.max_mb = 0.001;
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "granular page would be"));
    ck_assert_ptr_nonnull(strstr(err.msg, "slice_dims"));
    attr_seq_free(&s);

    /* A 2D tensor has no extra dims to name. */
    make_seq(&s, AS_CLS_COARSE, 2, 2, 0, NULL, true);
    o = (html_granular_opts){0};
    o.show_dim_set = true;
    o.show_dim.index = 2;
    granular(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "already 2D"));
    html = granular(&p, 1, NULL, AS_OK, &err); /* but shows fine without options */
    free(html);
    attr_seq_free(&s);
}
END_TEST

START_TEST(test_granular_float16_range_and_many)
{
    as_seq a, b;
    size_t d30 = 30;
    make_seq(&a, AS_CLS_GRANULAR, 4, 3, 1, &d30, false);
    /* small exactly-representable values and one outlier */
    size_t n = tensor_numel(a.source_attr);
    for (size_t i = 0; i < n; i++)
        a.source_attr->data[i] = (i % 7) * 0.25f - 0.5f;
    a.source_attr->data[5] = 1000;
    make_seq(&b, AS_CLS_GRANULAR, 2, 2, 1, &d30, true);
    const as_seq *two[2] = {&a, &b};
    html_granular_opts o = {0};
    o.float16 = true;
    as_error err;
    char *html = granular(two, 2, &o, AS_OK, &err);
    size_t nv;
    float *v = blob_values(html, 0, true, &nv);
    ck_assert_uint_eq(nv, n);
    for (size_t i = 0; i < n; i++)
        ck_assert(v[i] == a.source_attr->data[i]);
    free(v);
    json_t *m = page_meta(html);
    json_t *seqs = json_object_get(m, "seqs");
    ck_assert_uint_eq(json_array_size(seqs), 2);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(seqs, 1),
                                                                   "title")),
                                 "Sequence 1: "));
    json_t *m0 = json_array_get(json_object_get(json_array_get(json_object_get(
                                    json_array_get(seqs, 0), "groups"), 0), "maps"), 0);
    /* trimmed to 3 root-mean-squares around zero */
    double sq = 0;
    for (size_t i = 0; i < n; i++)
        sq += (double)a.source_attr->data[i] * a.source_attr->data[i];
    double want = 3 * sqrt(sq / (double)n);
    ck_assert(want < 1000);
    ck_assert(fabs(json_number_value(json_object_get(m0, "vmax")) - want) < 1e-9);
    ck_assert(json_object_get(m0, "f16") == json_true());
    json_decref(m);
    free(html);

    /* Explicit bounds: a lone min mirrors (treescope). */
    o = (html_granular_opts){0};
    o.c.has_min = true;
    o.c.min_val = -2;
    html = granular(two, 1, &o, AS_OK, &err);
    m = page_meta(html);
    m0 = json_array_get(json_object_get(json_array_get(json_object_get(
                            json_array_get(json_object_get(m, "seqs"), 0), "groups"), 0), "maps"),
                        0);
    ck_assert(json_number_value(json_object_get(m0, "vmax")) == 2);
    json_decref(m);
    free(html);
    attr_seq_free(&a);
    attr_seq_free(&b);
}
END_TEST

/* ---- tokens ------------------------------------------------------------ */

static char *tokens_page(const as_seq *const *seqs, size_t n, const html_tokens_opts *o, int want,
                         as_error *err)
{
    html_out out;
    html_out_mem(&out);
    memset(err, 0, sizeof *err);
    int rc = html_tokens_page(&out, seqs, n, o, err);
    ck_assert_msg(rc == want, "rc %d, expected %d: %s", rc, want, err->msg);
    char *r = rc ? NULL : html_out_take(&out, NULL, NULL);
    html_out_free(&out);
    return r;
}

static void add_step(as_seq *s, const char *name, const float *v)
{
    size_t g = attr_seq_ncols(s), n = s->step_scores.n;
    s->step_scores.v = realloc(s->step_scores.v, (n + 1) * sizeof(as_named));
    s->step_scores.v[n].name = strdup(name);
    s->step_scores.v[n].t = tensor_new(1, &g, NULL);
    memcpy(s->step_scores.v[n].t->data, v, g * sizeof(float));
    s->step_scores.n = n + 1;
}

static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        k++;
    return k;
}

START_TEST(test_tokens_page)
{
    as_seq s;
    make_seq(&s, AS_CLS_COARSE, 5, 6, 0, NULL, true);
    float prob[6] = {0.1f, 0.9f, 0.5f, 0.3f, 0.2f, 0.7f};
    add_step(&s, "probability", prob);
    const as_seq *p = &s;
    static const html_replace rep[] = {{"\xe2\x96\x81", " "}, {"\xc4\xa0", "_"}};
    static const char *const wrap[] = {"."};
    html_tokens_opts o = {0};
    o.replace = rep;
    o.nreplace = 2;
    o.wrap_tokens = wrap;
    o.nwrap_tokens = 1;
    o.wrap_every = 4;
    o.step_score = "probability";
    as_error err;
    char *html = tokens_page(&p, 1, &o, AS_OK, &err);
    assert_no_breakout(html);
    ck_assert_ptr_nonnull(strstr(html, "data-text=\"&lt;img src=x onerror=alert(1)&gt;\""));
    ck_assert_ptr_nonnull(strstr(html, "data-text=\" a&amp;b\">"));  /* replaced */
    ck_assert_ptr_nonnull(strstr(html, "data-text=\"_x\">"));
    ck_assert_ptr_nonnull(strstr(html, "with probability highlights"));
    /* generated tokens are W[2], W[3], W[4], W[5] ("."), W[0], W[1]: the
     * 4th ends a run of 4 and is also "." -> a single break */
    const char *gen = strstr(html, "<div class=\"gen\">");
    const char *gen_end = strstr(gen, "</div>");
    char *g = strndup(gen, (size_t)(gen_end - gen));
    ck_assert_uint_eq(count(g, "<br>"), 1);
    ck_assert_uint_eq(count(g, "tabindex=\"0\""), 6);
    /* step colors: all >= 0 -> greens over [0, 0.9] */
    as_rgba c = cmap_greens(cmap_bucket(0.9, 0, 0.9));
    char want[64];
    snprintf(want, sizeof want, "background-color:#%02x%02x%02x", c.r, c.g, c.b);
    ck_assert_ptr_nonnull(strstr(g, want));
    free(g);
    /* the values as JSON: source (5 x 6) and target with null for NaN */
    json_t *m = page_meta(html);
    json_t *q = json_array_get(json_object_get(m, "seqs"), 0);
    json_t *src = json_object_get(q, "src"), *tgt = json_object_get(q, "tgt");
    ck_assert_uint_eq(json_array_size(src), 30);
    ck_assert(json_number_value(json_array_get(src, 2 * 6 + 3)) == val(2, 3, 0));
    ck_assert(json_is_null(json_array_get(tgt, 4 * 6 + 1)));
    ck_assert(json_number_value(json_array_get(tgt, 1 * 6 + 4)) == val(1, 4, 0));
    ck_assert_int_eq(json_integer_value(json_object_get(q, "pos")), 0);
    ck_assert(json_number_value(json_object_get(q, "vmax")) == val(4, 5, 0));
    json_decref(m);
    free(html);

    /* Negative step scores: brown -> green over [-max|v|, max|v|]. */
    o = (html_tokens_opts){0};
    float ent[6] = {-2, 1, 0, 0.5f, 2, 1};
    add_step(&s, "entropy", ent);
    o.step_score = "entropy";
    html = tokens_page(&p, 1, &o, AS_OK, &err);
    c = cmap_brown_green(cmap_bucket(-2, -2, 2));
    snprintf(want, sizeof want, "background-color:#%02x%02x%02x;color:#fff", c.r, c.g, c.b);
    ck_assert_ptr_nonnull(strstr(html, want));
    free(html);

    /* Errors. */
    o.step_score = "nope";
    tokens_page(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_str_eq(err.msg, "sequence 0: step_score_highlight: no step score \"nope\"; "
                              "available: probability, entropy");
    static const html_replace bad[] = {{"", "x"}};
    o = (html_tokens_opts){0};
    o.replace = bad;
    o.nreplace = 1;
    tokens_page(&p, 1, &o, AS_EUSAGE, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "replace_char"));
    attr_seq_free(&s);
    size_t d3 = 3;
    make_seq(&s, AS_CLS_GRANULAR, 2, 2, 1, &d3, false);
    tokens_page(&p, 1, NULL, AS_EDATA, &err);
    ck_assert_ptr_nonnull(strstr(err.msg, "is not 2D"));
    attr_seq_free(&s);
}
END_TEST

Suite *views_suite(void);
Suite *views_suite(void)
{
    Suite *s = suite_create("html views");
    TCase *tc = tcase_create("granular");
    tcase_add_test(tc, test_granular_embeds_values);
    tcase_add_test(tc, test_granular_slices_and_dims);
    tcase_add_test(tc, test_granular_float16_range_and_many);
    suite_add_tcase(s, tc);
    tc = tcase_create("tokens");
    tcase_add_test(tc, test_tokens_page);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(views_suite());
}
