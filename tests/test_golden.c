/* test_golden.c - aggregation results against what inseq computed.
 *
 * Walks every case and pipeline of golden/aggregations.json, the v0.6 golden
 * and the get_scores_dicts golden: loads the fixture with the real loader,
 * applies the pipeline and compares tokens, attr_pos_start/end and every
 * number (1e-5 absolute, relative above 1; null = NaN).  Files that hold the
 * same values in another encoding (whole-file gzip, split parts, primitives,
 * v0.6 number lists) are checked against the same goldens. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "load.h"
#include "testutil.h"

/* ---- Golden files ---------------------------------------------------- */

/* Parses JSON that may hold bare NaN / Infinity / -Infinity (Python's
 * allow_nan): NaN becomes null, the infinities the strings "Infinity" and
 * "-Infinity". */
static json_t *load_lenient(const char *path)
{
    size_t len;
    char *txt = read_file_all(path, &len);
    if (!txt)
        return NULL;
    char *out = malloc(len * 2 + 16);
    size_t o = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = txt[i];
        if (in_str) {
            out[o++] = c;
            if (c == '\\' && i + 1 < len)
                out[o++] = txt[++i];
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
            out[o++] = c;
        } else if (!strncmp(txt + i, "NaN", 3)) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += 2;
        } else if (!strncmp(txt + i, "-Infinity", 9)) {
            memcpy(out + o, "\"-Infinity\"", 11);
            o += 11;
            i += 8;
        } else if (!strncmp(txt + i, "Infinity", 8)) {
            memcpy(out + o, "\"Infinity\"", 10);
            o += 10;
            i += 7;
        } else {
            out[o++] = c;
        }
    }
    json_error_t je;
    json_t *j = json_loadb(out, o, 0, &je);
    free(txt);
    free(out);
    return j;
}

static bool golden_num(const json_t *j, double *v)
{
    if (json_is_null(j)) {
        *v = NAN;
        return true;
    }
    if (json_is_number(j)) {
        *v = json_number_value(j);
        return true;
    }
    if (json_is_string(j)) {
        if (!strcmp(json_string_value(j), "Infinity"))
            *v = INFINITY;
        else if (!strcmp(json_string_value(j), "-Infinity"))
            *v = -INFINITY;
        else
            return false;
        return true;
    }
    return false;
}

static bool close_enough(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    if (isnan(got) || isinf(got))
        return false;
    double d = fabs(got - want);
    return d <= 1e-5 * (fabs(want) > 1 ? fabs(want) : 1);
}

/* ---- Comparison ------------------------------------------------------ */

typedef struct report {
    char msg[2048];
    int nerr;
} report;

__attribute__((format(printf, 2, 3)))
static void mismatch(report *r, const char *fmt, ...)
{
    if (r->nerr++)
        return; /* keep the first message */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

static void cmp_tokens(report *r, const char *where, const char *side, const as_tokens *got,
                       const json_t *want)
{
    if (got->n != json_array_size(want)) {
        mismatch(r, "%s: %s has %zu tokens, want %zu", where, side, got->n, json_array_size(want));
        return;
    }
    for (size_t i = 0; i < got->n; i++) {
        const char *w = json_string_value(json_array_get(want, i));
        if (!w || strcmp(got->v[i].text, w))
            mismatch(r, "%s: %s[%zu] is '%s', want '%s'", where, side, i, got->v[i].text, w ? w : "?");
    }
}

static void cmp_matrix(report *r, const char *where, const char *name, const as_tensor *got,
                       const json_t *want)
{
    if (json_is_null(want)) {
        if (got)
            mismatch(r, "%s: %s should be null", where, name);
        return;
    }
    if (!got) {
        mismatch(r, "%s: %s is missing", where, name);
        return;
    }
    size_t rows = json_array_size(want);
    size_t cols = rows ? json_array_size(json_array_get(want, 0)) : 0;
    char sh[64];
    tensor_shape_str(got, sh, sizeof sh);
    if (got->ndim != 2 || got->shape[0] != rows || (rows && got->shape[1] != cols)) {
        mismatch(r, "%s: %s has shape %s, want (%zu, %zu)", where, name, sh, rows, cols);
        return;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t k = 0; k < cols; k++) {
            double w = NAN, g = got->data[i * cols + k];
            if (!golden_num(json_array_get(json_array_get(want, i), k), &w))
                mismatch(r, "%s: %s[%zu][%zu]: golden is not a number", where, name, i, k);
            else if (!close_enough(g, w))
                mismatch(r, "%s: %s[%zu][%zu] = %.9g, want %.9g", where, name, i, k, g, w);
        }
}

static void cmp_vector(report *r, const char *where, const char *name, const as_tensor *got,
                       const json_t *want)
{
    size_t n = json_array_size(want);
    if (tensor_numel(got) != n || got->ndim != 1) {
        char sh[64];
        tensor_shape_str(got, sh, sizeof sh);
        mismatch(r, "%s: %s has shape %s, want (%zu,)", where, name, sh, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double w = NAN, g = got->data[i];
        if (!golden_num(json_array_get(want, i), &w) || !close_enough(g, w))
            mismatch(r, "%s: %s[%zu] = %.9g, want %.9g", where, name, i, g, w);
    }
}

static void cmp_seq(report *r, const char *where, const as_seq *s, const json_t *want)
{
    cmp_tokens(r, where, "source", &s->source, json_object_get(want, "source"));
    cmp_tokens(r, where, "target", &s->target, json_object_get(want, "target"));
    long ps = (long)json_integer_value(json_object_get(want, "attr_pos_start"));
    long pe = (long)json_integer_value(json_object_get(want, "attr_pos_end"));
    if (s->attr_pos_start != ps || s->attr_pos_end != pe)
        mismatch(r, "%s: attr_pos %ld..%ld, want %ld..%ld", where, s->attr_pos_start, s->attr_pos_end,
             ps, pe);
    cmp_matrix(r, where, "source_attributions", s->source_attr,
               json_object_get(want, "source_attributions"));
    cmp_matrix(r, where, "target_attributions", s->target_attr,
               json_object_get(want, "target_attributions"));
    const json_t *ws = json_object_get(want, "step_scores");
    size_t nwant = json_is_object(ws) ? json_object_size(ws) : 0;
    if (s->step_scores.n != nwant)
        mismatch(r, "%s: %zu step scores, want %zu", where, s->step_scores.n, nwant);
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)ws, name, v) {
        const as_tensor *t = attr_scores_get(&s->step_scores, name);
        char nm[128];
        snprintf(nm, sizeof nm, "step_scores.%s", name);
        if (!t)
            mismatch(r, "%s: step score %s missing", where, name);
        else
            cmp_vector(r, where, nm, t, v);
    }
}

/* ---- The cases ------------------------------------------------------- */

typedef struct gcase {
    char golden_case[96];       /* case name in the golden file */
    char key[256];              /* pipeline key as written in the golden */
    const char *files[2];       /* fixture(s) to load (relative to fixtures/) */
    size_t nfiles;
    const json_t *want;         /* list of sequences, or _step_attributions object */
} gcase;

static gcase cases[256];
static size_t ncases;
static json_t *aggregations, *v06golden, *dicts_golden;

/* Files holding the same values as case's main file. */
static const struct {
    const char *golden_case;
    const char *files[2];
} variants[] = {
    {"encdec_ig_granular", {"inseq/encdec_ig_granular.json.gz", NULL}},
    {"encdec_ig_granular",
     {"inseq/encdec_ig_granular_split_0.json", "inseq/encdec_ig_granular_split_1.json"}},
    {"deconly_saliency_granular", {"inseq/deconly_saliency_granular.json.gz", NULL}},
    {"encdec_occlusion_coarse", {"inseq/encdec_occlusion_coarse_primitives.json", NULL}},
};

static void add_case(const char *gc, const char *key, const char *f0, const char *f1,
                     const json_t *want)
{
    if (ncases >= sizeof cases / sizeof cases[0])
        return;
    gcase *c = &cases[ncases++];
    snprintf(c->golden_case, sizeof c->golden_case, "%s", gc);
    snprintf(c->key, sizeof c->key, "%s", key);
    c->files[0] = f0;
    c->files[1] = f1;
    c->nfiles = f1 ? 2 : 1;
    c->want = want;
}

static char *strdup_printf(const char *fmt, const char *a)
{
    size_t n = strlen(fmt) + strlen(a) + 1;
    char *s = malloc(n);
    snprintf(s, n, fmt, a);
    return s;
}

static char *owned_paths[64];
static size_t nowned;

static void collect_cases(void)
{
    aggregations = load_lenient(fixture("golden/aggregations.json"));
    v06golden = load_lenient(fixture("golden/v06_ig_granular.golden.json"));
    dicts_golden = load_lenient(fixture("golden/encdec_ig_granular.scores_dicts.json"));
    if (!aggregations || !v06golden || !dicts_golden)
        return;
    const char *gc;
    json_t *pipes;
    json_object_foreach(aggregations, gc, pipes) {
        char *path = strdup_printf("inseq/%s.json", gc);
        owned_paths[nowned++] = path;
        const char *key;
        json_t *want;
        json_object_foreach(pipes, key, want) {
            add_case(gc, key, path, NULL, want);
            if (!strcmp(key, "_step_attributions"))
                continue;
            for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
                if (!strcmp(variants[v].golden_case, gc))
                    add_case(gc, key, variants[v].files[0], variants[v].files[1], want);
        }
    }
    const json_t *w = json_object_get(v06golden, "default");
    add_case("v06_ig_granular", "default", "inseq/v06_ig_granular.json", NULL, w);
    add_case("v06_ig_granular", "default", "inseq/v06_ig_granular_lists.json", NULL, w);
    add_case("v06_ig_granular", "default", "inseq/v06_ig_granular.json.gz", NULL, w);
}

/* Splits a golden key into pipeline, weight and selected sequence. */
static void split_key(const char *key, char *pipe, size_t plen, char *weight, size_t wlen,
                      long *only_seq)
{
    snprintf(pipe, plen, "%s", key);
    weight[0] = 0;
    *only_seq = -1;
    char *w = strstr(pipe, " --weight ");
    if (w) {
        snprintf(weight, wlen, "%s", w + 10);
        *w = 0;
    }
    char *sq = strstr(pipe, " (sequence ");
    if (sq) {
        *only_seq = strtol(sq + 11, NULL, 10);
        *sq = 0;
    }
}

static as_output *load_case(const gcase *c, as_error *err)
{
    if (c->nfiles == 1)
        return as_load_file(fixture(c->files[0]), NULL, err);
    const char *paths[2];
    char p0[1024], p1[1024];
    snprintf(p0, sizeof p0, "%s", fixture(c->files[0]));
    snprintf(p1, sizeof p1, "%s", fixture(c->files[1]));
    paths[0] = p0;
    paths[1] = p1;
    return as_load_files(paths, 2, NULL, err);
}

static void check_step_attributions(report *r, const as_output *out, const json_t *want)
{
    size_t count = (size_t)json_integer_value(json_object_get(want, "count"));
    if (out->nsteps != count) {
        mismatch(r, "%zu step outputs, want %zu", out->nsteps, count);
        return;
    }
    static const char *const keys[2] = {"source_attributions_shapes", "target_attributions_shapes"};
    for (int k = 0; k < 2; k++) {
        const json_t *shapes = json_object_get(want, keys[k]);
        for (size_t i = 0; i < count; i++) {
            const as_tensor *t = k ? out->steps[i].target_attr : out->steps[i].source_attr;
            const json_t *sh = json_array_get(shapes, i);
            if (!t) {
                mismatch(r, "step %zu: %s missing", i, keys[k]);
                continue;
            }
            bool same = (size_t)t->ndim == json_array_size(sh);
            for (int d = 0; same && d < t->ndim; d++)
                same = t->shape[d] == (size_t)json_integer_value(json_array_get(sh, (size_t)d));
            if (!same) {
                char s[64];
                tensor_shape_str(t, s, sizeof s);
                mismatch(r, "step %zu: %s is %s, golden differs", i, keys[k], s);
            }
        }
    }
}

START_TEST(test_golden_case)
{
    ck_assert_msg(aggregations && v06golden && dicts_golden, "cannot read the golden files");
    const gcase *c = &cases[_i];
    report r = {.nerr = 0};
    as_error err;
    as_error_clear(&err);
    as_output *out = load_case(c, &err);
    ck_assert_msg(out, "%s: load: %s", c->files[0], err.msg);
    char where[512];
    if (!strcmp(c->key, "_step_attributions")) {
        check_step_attributions(&r, out, c->want);
    } else {
        char pipe[256], weight[64];
        long only;
        split_key(c->key, pipe, sizeof pipe, weight, sizeof weight, &only);
        size_t nwant = json_array_size(c->want);
        if (only < 0 && nwant != out->nseqs)
            mismatch(&r, "%zu sequences, golden has %zu", out->nseqs, nwant);
        for (size_t i = 0; i < nwant && (only >= 0 || i < out->nseqs); i++) {
            size_t seq = only >= 0 ? (size_t)only : i;
            snprintf(where, sizeof where, "seq %zu", seq);
            as_seq *s = agg_apply_str(out, seq, pipe, weight[0] ? weight : NULL, &err);
            if (!s) {
                mismatch(&r, "%s: %s", where, err.msg);
                continue;
            }
            if (agg_check_2d(s, &err))
                mismatch(&r, "%s: %s", where, err.msg);
            cmp_seq(&r, where, s, json_array_get(c->want, i));
            agg_seq_free(s);
        }
    }
    attr_output_free(out);
    ck_assert_msg(r.nerr == 0, "%s [%s] on %s%s%s: %d mismatches; first: %s", c->golden_case,
                  c->key, c->files[0], c->nfiles > 1 ? " + " : "", c->nfiles > 1 ? c->files[1] : "",
                  r.nerr, r.msg);
}
END_TEST

/* get_scores_dicts of the default aggregation. */
START_TEST(test_scores_dicts)
{
    ck_assert_msg(dicts_golden, "cannot read the scores-dicts golden");
    as_error err;
    as_error_clear(&err);
    as_output *out = as_load_file(fixture("inseq/encdec_ig_granular.json"), NULL, &err);
    ck_assert_msg(out, "load: %s", err.msg);
    ck_assert_uint_eq(out->nseqs, json_array_size(dicts_golden));
    report r = {.nerr = 0};
    for (size_t i = 0; i < out->nseqs; i++) {
        as_seq *s = agg_apply_str(out, i, "default", NULL, &err);
        ck_assert_msg(s, "%s", err.msg);
        json_t *got = agg_scores_dicts(s, &err);
        ck_assert_msg(got, "%s", err.msg);
        const json_t *want = json_array_get(dicts_golden, i);
        ck_assert_uint_eq(json_object_size(got), json_object_size(want));
        const char *field;
        json_t *wf;
        json_object_foreach((json_t *)want, field, wf) {
            json_t *gf = json_object_get(got, field);
            if (!gf || json_object_size(gf) != json_object_size(wf)) {
                mismatch(&r, "seq %zu: %s has %zu entries, want %zu", i, field,
                     gf ? json_object_size(gf) : 0, json_object_size(wf));
                continue;
            }
            /* same keys in the same order */
            void *gi = json_object_iter(gf), *wi = json_object_iter(wf);
            for (; gi && wi; gi = json_object_iter_next(gf, gi), wi = json_object_iter_next(wf, wi)) {
                const char *gk = json_object_iter_key(gi), *wk = json_object_iter_key(wi);
                if (strcmp(gk, wk))
                    mismatch(&r, "seq %zu: %s: key '%s', want '%s'", i, field, gk, wk);
                json_t *gin = json_object_iter_value(gi), *win = json_object_iter_value(wi);
                const char *k2;
                json_t *wv;
                json_object_foreach(win, k2, wv) {
                    json_t *gv = json_object_get(gin, k2);
                    double g, w = NAN, dummy;
                    if (!gv) {
                        mismatch(&r, "seq %zu: %s[%s]: no key '%s'", i, field, wk, k2);
                        continue;
                    }
                    if (attr_json_nonfinite(gv, &dummy))
                        g = dummy;
                    else
                        g = json_number_value(gv);
                    golden_num(wv, &w);
                    if (!close_enough(g, w))
                        mismatch(&r, "seq %zu: %s[%s][%s] = %.9g, want %.9g", i, field, wk, k2, g, w);
                }
                if (json_object_size(gin) != json_object_size(win))
                    mismatch(&r, "seq %zu: %s[%s] has %zu entries, want %zu", i, field, wk,
                         json_object_size(gin), json_object_size(win));
            }
        }
        json_decref(got);
        agg_seq_free(s);
    }
    attr_output_free(out);
    ck_assert_msg(r.nerr == 0, "%d mismatches; first: %s", r.nerr, r.msg);
}
END_TEST

/* The class defaults described as text. */
START_TEST(test_default_text)
{
    static const struct {
        const char *file, *want;
    } tab[] = {
        {"inseq/encdec_ig_granular.json", "vnorm"},
        {"inseq/deconly_attention_multidim.json", "mean | mean"},
        {"inseq/encdec_occlusion_coarse.json", "none"},
        {"inseq/encdec_base_sourceonly.json", "none"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        as_error err;
        as_output *out = as_load_file(fixture(tab[i].file), NULL, &err);
        ck_assert_msg(out, "%s", err.msg);
        char *t = agg_default_text(&out->seqs[0]);
        ck_assert_str_eq(t, tab[i].want);
        free(t);
        attr_output_free(out);
    }
}
END_TEST

int main(void)
{
    collect_cases();
    Suite *s = suite_create("golden");
    TCase *tc = tcase_create("aggregations");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_golden_case, 0, ncases ? (int)ncases : 1);
    tcase_add_test(tc, test_scores_dicts);
    tcase_add_test(tc, test_default_text);
    suite_add_tcase(s, tc);
    int rc = run_suite(s);
    json_decref(aggregations);
    json_decref(v06golden);
    json_decref(dicts_golden);
    for (size_t i = 0; i < nowned; i++)
        free(owned_paths[i]);
    return rc;
}
