/* test_agg.c - the pipeline language and each aggregator's edge cases, on
 * hand-built tensors: NaN and all-zero columns, one-token spans, spans at
 * attr_pos_start, pair labels, weighting, the cache, and every error with
 * its message. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "agg_impl.h"
#include "pipecomplete.h"
#include "pipeline.h"
#include "suggest.h"
#include "testutil.h"

#define N NAN

/* ---- Builders -------------------------------------------------------- */

static as_tensor *T(int ndim, const size_t *shape, const float *v)
{
    as_error e;
    as_tensor *t = tensor_new(ndim, shape, &e);
    ck_assert_msg(t, "%s", e.msg);
    memcpy(t->data, v, tensor_numel(t) * sizeof(float));
    return t;
}

static as_tensor *T1(size_t n, const float *v) { return T(1, (size_t[]){n}, v); }
static as_tensor *T2(size_t a, size_t b, const float *v) { return T(2, (size_t[]){a, b}, v); }
static as_tensor *T3(size_t a, size_t b, size_t c, const float *v)
{
    return T(3, (size_t[]){a, b, c}, v);
}

/* Tokens from a space-separated list. */
static void toks(as_tokens *t, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    *t = (as_tokens){0};
    t->v = calloc(64, sizeof *t->v);
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        t->v[t->n].text = strdup(w);
        t->v[t->n].id = (long long)(100 + t->n);
        t->n++;
    }
    free(copy);
}

static as_output *new_output(size_t nseqs)
{
    as_output *o = calloc(1, sizeof *o);
    o->seqs = calloc(nseqs, sizeof *o->seqs);
    o->nseqs = nseqs;
    for (size_t i = 0; i < nseqs; i++) {
        o->seqs[i].step_scores.v = calloc(8, sizeof(as_named));
        o->seqs[i].sequence_scores.v = calloc(8, sizeof(as_named));
    }
    return o;
}

static void set_seq(as_seq *s, as_class cls, const char *src, const char *tgt, as_tensor *sa,
                    as_tensor *ta, long start, long end)
{
    s->cls = cls;
    s->class_name = strdup(attr_class_name(cls));
    toks(&s->source, src);
    toks(&s->target, tgt);
    s->source_attr = sa;
    s->target_attr = ta;
    s->attr_pos_start = start;
    s->attr_pos_end = end;
}

static void add_step(as_seq *s, const char *name, as_tensor *t)
{
    s->step_scores.v[s->step_scores.n].name = strdup(name);
    s->step_scores.v[s->step_scores.n].t = t;
    s->step_scores.n++;
}

static void assert_vals(const as_tensor *t, size_t n, const float *want)
{
    ck_assert_msg(t, "tensor missing");
    ck_assert_uint_eq(tensor_numel(t), n);
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i]))
            ck_assert_msg(isnan(t->data[i]), "[%zu] = %g, want NaN", i, t->data[i]);
        else
            ck_assert_msg(fabsf(t->data[i] - want[i]) <= 1e-6f * (fabsf(want[i]) > 1 ? fabsf(want[i]) : 1),
                          "[%zu] = %.9g, want %.9g", i, t->data[i], want[i]);
    }
}

static void assert_shape(const as_tensor *t, int ndim, ...)
{
    ck_assert_msg(t, "tensor missing");
    ck_assert_int_eq(t->ndim, ndim);
    va_list ap;
    va_start(ap, ndim);
    for (int i = 0; i < ndim; i++)
        ck_assert_uint_eq(t->shape[i], va_arg(ap, size_t));
    va_end(ap);
}

static void assert_tokens(const as_tokens *t, const char *list)
{
    as_tokens w;
    toks(&w, list);
    ck_assert_uint_eq(t->n, w.n);
    for (size_t i = 0; i < w.n; i++)
        ck_assert_str_eq(t->v[i].text, w.v[i].text);
    attr_tokens_free(&w);
}

static as_seq *apply_ok(const as_output *o, size_t seq, const char *pipe, const char *weight)
{
    as_error e;
    as_error_clear(&e);
    as_seq *s = agg_apply_str(o, seq, pipe, weight, &e);
    ck_assert_msg(s, "'%s': %s", pipe, e.msg);
    return s;
}

static void apply_err(const as_output *o, size_t seq, const char *pipe, const char *weight,
                      const char *want)
{
    as_error e;
    as_error_clear(&e);
    as_seq *s = agg_apply_str(o, seq, pipe, weight, &e);
    ck_assert_msg(!s, "'%s' should fail", pipe);
    ck_assert_msg(strstr(e.msg, want), "'%s': message \"%s\" lacks \"%s\"", pipe, e.msg, want);
}

/* An encoder-decoder sequence: 3 source, 3 target tokens, extra dim 2. */
static as_output *encdec3(void)
{
    as_output *o = new_output(1);
    float sa[3 * 3 * 2] = {1, 2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, -18};
    float ta[3 * 3 * 2] = {N, N, 1, 1, 2, 2, N, N, N, N, 3, 3, N, N, N, N, N, N};
    set_seq(&o->seqs[0], AS_CLS_GRANULAR, "\xe2\x96\x81" "a b \xe2\x96\x81" "c",
            "\xe2\x96\x81" "x y </s>", T3(3, 3, 2, sa), T3(3, 3, 2, ta), 0, 3);
    add_step(&o->seqs[0], "probability", T1(3, (float[]){0.5f, 0.25f, 0.1f}));
    add_step(&o->seqs[0], "entropy", T1(3, (float[]){1, 2, 3}));
    add_step(&o->seqs[0], "custom", T1(3, (float[]){-1, 5, -9}));
    return o;
}

/* A decoder-only sequence: prompt P=2, generated G=2, coarse 2D. */
static as_output *deconly2(void)
{
    as_output *o = new_output(1);
    float ta[4 * 2] = {1, 2, 3, 4, 5, 6, N, 8};
    set_seq(&o->seqs[0], AS_CLS_COARSE, "p0 p1", "p0 p1 g0 g1", NULL, T2(4, 2, ta), 2, 4);
    add_step(&o->seqs[0], "probability", T1(2, (float[]){0.5f, 0.5f}));
    return o;
}

/* ---- Pipeline parser ------------------------------------------------- */

START_TEST(parse_golden_keys_round_trip)
{
    size_t len;
    char *txt = read_file_all(fixture("golden/aggregations.json"), &len);
    ck_assert_msg(txt, "cannot read aggregations.json");
    json_error_t je;
    json_t *j = json_loads(txt, 0, &je);
    free(txt);
    ck_assert_msg(j, "aggregations.json: %s", je.text);
    const char *c;
    json_t *pipes;
    int n = 0;
    json_object_foreach(j, c, pipes) {
        const char *key;
        json_t *v;
        json_object_foreach(pipes, key, v) {
            if (key[0] == '_')
                continue;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", key);
            char *cut = strstr(buf, " --weight ");
            if (cut)
                *cut = 0;
            if ((cut = strstr(buf, " (sequence ")))
                *cut = 0;
            as_error e;
            char *canon = pipe_canonical(buf, &e);
            ck_assert_msg(canon, "'%s': %s", buf, e.msg);
            ck_assert_str_eq(canon, buf);
            free(canon);
            n++;
        }
    }
    ck_assert_int_ge(n, 25);
    json_decref(j);
}
END_TEST

static const struct {
    const char *in, *canon;
} canon_tab[] = {
    {"default", "default"},
    {"  none ", "none"},
    {"scores:vnorm", "vnorm"},
    {"vnorm normalize=true vnorm_ord=2", "vnorm"},
    {"vnorm vnorm_ord=inf", "vnorm vnorm_ord=inf"},
    {"vnorm vnorm_ord=-inf", "vnorm vnorm_ord=-inf"},
    {"scores vnorm_ord=1.5", "scores vnorm_ord=1.5"},
    {"sum|spans:mean   target_spans=7:9 source_spans=2:5", "sum | spans:mean source_spans=2:5 target_spans=7:9"},
    {"mean rescale=true normalize=false", "mean normalize=false rescale=true"},
    {"scores select_idx=-1", "scores select_idx=-1"},
    {"scores select_idx=2:5", "scores select_idx=2:5"},
    {"scores select_idx=1,3,0", "scores select_idx=1,3,0"},
    {"split split_pattern='a b|c'", "split split_pattern='a b|c'"},
    {"split split_pattern=\"it's\"", "split split_pattern=it's"},
    {"split split_pattern=\"it's here\"", "split split_pattern=\"it's here\""},
    {"split split_pattern=\"a\\\"b\\\\ 'c\"", "split split_pattern=\"a\\\"b\\\\ 'c\""},
    {"split split_pattern='\\s+' split_mode=single", "split split_pattern=\\s+"},
    {"split split_pattern=x split_mode=start aggregate_source=false", "split split_pattern=x split_mode=start aggregate_source=false"},
    {"subwords special_chars=\xe2\x96\x81 is_suffix_symbol=false", "subwords"},
    {"subwords special_chars=## is_suffix_symbol=true aggregate_target=false", "subwords special_chars=## is_suffix_symbol=true aggregate_target=false"},
    {"subwords:sum special_chars='\xc4\xa0,\xc4\x8a'", "subwords:sum special_chars=\xc4\xa0,\xc4\x8a"},
    {"default | subwords", "default | subwords"},
    {"pair with=3", "pair with=3"},
    {"slices target_spans=0:2,5:6", "slices target_spans=0:2,5:6"},
    {"spans:vnorm vnorm_ord=1 source_spans=0:2", "spans:vnorm source_spans=0:2 vnorm_ord=1"},
    {"vnorm normalize=False", "vnorm normalize=false"},
};

START_TEST(parse_canonical_forms)
{
    for (size_t i = 0; i < sizeof canon_tab / sizeof canon_tab[0]; i++) {
        as_error e;
        char *c = pipe_canonical(canon_tab[i].in, &e);
        ck_assert_msg(c, "'%s': %s", canon_tab[i].in, e.msg);
        ck_assert_msg(!strcmp(c, canon_tab[i].canon), "'%s' -> '%s', want '%s'", canon_tab[i].in, c,
                      canon_tab[i].canon);
        /* canonical text is a fixed point */
        char *c2 = pipe_canonical(c, &e);
        ck_assert_msg(c2, "'%s': %s", c, e.msg);
        ck_assert_str_eq(c2, c);
        free(c);
        free(c2);
    }
}
END_TEST

START_TEST(parse_struct_contents)
{
    as_pipeline p;
    as_error e;
    ck_assert_int_eq(pipe_parse("vnorm | spans:mean source_spans=2:5,7:8 | pair with=1", &p, NULL, &e), AS_OK);
    ck_assert_int_eq(p.form, AS_PIPE_STEPS);
    ck_assert_uint_eq(p.nsteps, 3);
    ck_assert_int_eq(p.steps[0].kind, AS_AGG_SCORES);
    ck_assert_int_eq(p.steps[0].fn, AS_FN_VNORM);
    ck_assert_int_eq(p.steps[1].kind, AS_AGG_SPANS);
    ck_assert_int_eq(p.steps[1].fn, AS_FN_MEAN);
    ck_assert_uint_eq(p.steps[1].source_spans.n, 2);
    ck_assert_int_eq(p.steps[1].source_spans.v[1].start, 7);
    ck_assert_int_eq(p.steps[1].source_spans.v[1].end, 8);
    ck_assert_uint_eq(p.steps[1].offset, 8);
    ck_assert_int_eq(p.steps[2].kind, AS_AGG_PAIR);
    ck_assert_int_eq(p.steps[2].with, 1);
    as_pipeline q;
    ck_assert_int_eq(pipe_copy(&q, &p, &e), AS_OK);
    pipe_free(&p);
    char *f = pipe_format(&q);
    ck_assert_str_eq(f, "vnorm | spans:mean source_spans=2:5,7:8 | pair with=1");
    free(f);
    pipe_free(&q);
    ck_assert_int_eq(pipe_parse("default", &p, NULL, &e), AS_OK);
    ck_assert_int_eq(p.form, AS_PIPE_DEFAULT);
    pipe_free(&p);
    ck_assert_int_eq(pipe_parse("none", &p, NULL, &e), AS_OK);
    ck_assert_int_eq(p.form, AS_PIPE_NONE);
    pipe_free(&p);
    pipe_free(&p); /* safe twice */
}
END_TEST

/* Did-you-mean: swaps count as one edit, case is ignored, far words and
 * exact matches get no guess. */
START_TEST(suggest_names)
{
    ck_assert_uint_eq(suggest_distance("vnrom", "vnorm"), 1);
    ck_assert_uint_eq(suggest_distance("infoo", "info"), 1);
    ck_assert_uint_eq(suggest_distance("", "abc"), 3);
    ck_assert_uint_eq(suggest_distance("Mean", "mean"), 0);
    ck_assert_uint_eq(suggest_distance("kitten", "sitting"), 3);
    const char *cmds[] = {"info", "show", "export", "save"};
    ck_assert_str_eq(suggest_near("infoo", cmds, 4), "info");
    ck_assert_str_eq(suggest_near("exprot", cmds, 4), "export");
    ck_assert_str_eq(suggest_near("shwo", cmds, 4), "show");
    ck_assert_ptr_null(suggest_near("frobnicate", cmds, 4));
    ck_assert_ptr_null(suggest_near("show", cmds, 4));
    ck_assert_ptr_null(suggest_near("x", cmds, 4));
    ck_assert_str_eq(suggest_near("subwrods", pipe_step_names(), SIZE_MAX), "subwords");
    ck_assert_str_eq(suggest_near("absmin", pipe_step_names(), SIZE_MAX), "absmax");
    char longw[400];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    ck_assert_uint_eq(suggest_distance(longw, "a"), SIZE_MAX);
    ck_assert_ptr_null(suggest_near(longw, cmds, 4));
}
END_TEST

static const struct {
    const char *in, *msg;
    size_t step, offset;
} parse_errors[] = {
    {"", "empty pipeline (use 'default' or 'none')", 0, 0},
    {"   ", "empty pipeline", 0, 0},
    {"foo", "step 1: unknown step 'foo'; expected one of scores, spans, subwords, split, slices, pair, default, none, or a function: mean, max, min, sum, prod, absmax, vnorm", 1, 0},
    {"vnrom", "step 1: unknown step 'vnrom' (did you mean 'vnorm'?); expected one of scores, spans, subwords, split, slices, pair, default, none, or a function: mean, max, min, sum, prod, absmax, vnorm", 1, 0},
    {"spans source_span=1:2", "step 1 'spans': unknown key 'source_span' (did you mean 'source_spans'?); expected one of source_spans, target_spans", 1, 6},
    {"spans:maen", "step 1 'spans': unknown function 'maen' (did you mean 'mean'?); expected one of", 1, 6},
    {"vnorm | spans foo=1", "step 2 'spans': unknown key 'foo'; expected one of source_spans, target_spans", 2, 14},
    {"spans:avg", "step 1 'spans': unknown function 'avg'; expected one of mean, max, min, sum, prod, absmax, vnorm", 1, 6},
    {"spans:", "step 1 'spans': missing function name after ':'", 1, 6},
    {"vnorm:mean", "step 1 'vnorm': 'vnorm' is a function (scores with vnorm); it takes no ':FN'", 1, 0},
    {"slices:mean", "step 1 'slices': 'slices' takes no function", 1, 0},
    {"pair:sum with=1", "'pair' takes no function", 1, 0},
    {"pair", "step 1 'pair': with=N is required", 1, 0},
    {"split", "step 1 'split': split_pattern is required", 1, 0},
    {"mean rescale=true", "step 1 'mean': rescale=true needs normalize=false", 1, 0},
    {"spans source_spans=3:1", "step 1 'spans': source_spans: span 3:1 is empty", 1, 19},
    {"spans source_spans=1:4,2:5", "source_spans: spans must be in ascending order and must not overlap, but 2:5 starts before 1:4 ends", 1, 19},
    {"spans target_spans=a:b", "target_spans: 'a:b' is not a span A:B", 1, 19},
    {"spans source_spans=4", "source_spans: '4' is not a span", 1, 19},
    {"spans source_spans=-1:2", "source_spans: span -1:2 has a negative index", 1, 19},
    {"mean vnorm_ord=3", "step 1 'mean': vnorm_ord applies only to the vnorm function", 1, 5},
    {"spans vnorm_ord=3", "vnorm_ord applies only to the vnorm function", 1, 6},
    {"vnorm vnorm_ord=abc", "vnorm_ord must be a number, inf or -inf, not 'abc'", 1, 16},
    {"vnorm | | sum", "step 2: is empty (nothing between '|' separators)", 2, 8},
    {"vnorm |", "step 2: is empty", 2, 7},
    {"| vnorm", "step 1: is empty", 1, 0},
    {"none | vnorm", "'none' must be the whole pipeline", 0, 0},
    {"split split_pattern='abc", "step 1 'split': unterminated single quote starting at column 21", 1, 20},
    {"split split_pattern=\"abc", "unterminated double quote", 1, 20},
    {"split split_pattern='a'b", "expected a space or '|' after the closing quote", 1, 23},
    {"split split_pattern=''", "split_pattern is empty", 1, 20},
    {"vnorm normalize=maybe", "step 1 'vnorm': normalize must be true or false, not 'maybe'", 1, 16},
    {"vnorm normalize=false normalize=true", "key 'normalize' is given twice", 1, 22},
    {"split split_pattern=x split_mode=middle", "split_mode must be single, start or end, not 'middle'", 1, 33},
    {"scores select_idx=x", "select_idx: 'x' is not N, A:B or a list N,N,...", 1, 18},
    {"scores select_idx=1,1", "select_idx: index 1 is given twice", 1, 18},
    {"scores select_idx=3:3", "select_idx: range 3:3 is empty", 1, 18},
    {"pair with=-1", "with must be a sequence index (0, 1, ...), not '-1'", 1, 10},
    {"vnorm normalize", "expected KEY=VALUE, found 'normalize'; keys: normalize, rescale, select_idx, vnorm_ord", 1, 6},
    {"default foo=1", "step 1 'default': takes no options, found 'foo'", 1, 8},
    {"none x=1", "takes no options", 1, 5},
    {"spans source_spans=", "source_spans has no value", 1, 6},
    {"spans =3", "'=' without a key", 1, 6},
    {"source_spans=1:2", "step 1: expected a step name before 'source_spans=1:2'", 1, 0},
    {"subwords special_chars=a,,b", "special_chars: empty symbol in 'a,,b'", 1, 23},
    {"subwords foo=1", "expected one of special_chars, is_suffix_symbol, aggregate_source, aggregate_target", 1, 9},
};

START_TEST(parse_errors_and_positions)
{
    for (size_t i = 0; i < sizeof parse_errors / sizeof parse_errors[0]; i++) {
        as_pipeline p;
        as_pipe_errpos pos;
        as_error e;
        as_error_clear(&e);
        int rc = pipe_parse(parse_errors[i].in, &p, &pos, &e);
        ck_assert_msg(rc == AS_EUSAGE, "'%s' should fail", parse_errors[i].in);
        ck_assert_msg(strstr(e.msg, parse_errors[i].msg), "'%s': message \"%s\" lacks \"%s\"",
                      parse_errors[i].in, e.msg, parse_errors[i].msg);
        ck_assert_msg(pos.step == parse_errors[i].step, "'%s': step %zu, want %zu",
                      parse_errors[i].in, pos.step, parse_errors[i].step);
        ck_assert_msg(pos.offset == parse_errors[i].offset, "'%s': offset %zu, want %zu",
                      parse_errors[i].in, pos.offset, parse_errors[i].offset);
        ck_assert_uint_eq(p.nsteps, 0);
        pipe_free(&p);
    }
}
END_TEST

static bool has(const char *const *list, const char *w)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], w))
            return true;
    return false;
}

START_TEST(completion_data)
{
    const char *const *names = pipe_step_names();
    ck_assert(has(names, "subwords") && has(names, "vnorm") && has(names, "default") &&
              has(names, "none"));
    ck_assert(has(pipe_fn_names(), "absmax") && !has(pipe_fn_names(), "spans"));
    ck_assert(has(pipe_step_keys("vnorm"), "vnorm_ord"));
    ck_assert(has(pipe_step_keys("vnorm"), "normalize"));
    ck_assert(!has(pipe_step_keys("mean"), "vnorm_ord"));
    ck_assert(has(pipe_step_keys("scores"), "vnorm_ord"));
    ck_assert(!has(pipe_step_keys("spans"), "vnorm_ord"));
    ck_assert(has(pipe_step_keys("spans:vnorm"), "vnorm_ord"));
    ck_assert(has(pipe_step_keys("split"), "split_mode"));
    ck_assert(has(pipe_step_keys("pair"), "with"));
    ck_assert_ptr_null(pipe_step_keys("bogus"));
    ck_assert_ptr_null(pipe_step_keys("default")[0]);
    ck_assert(has(pipe_key_values("split_mode"), "start"));
    ck_assert(has(pipe_key_values("normalize"), "false"));
    ck_assert_ptr_null(pipe_key_values("source_spans"));
    ck_assert_ptr_nonnull(pipe_help("rescale"));
    ck_assert_ptr_nonnull(pipe_help("pair"));
    ck_assert_ptr_null(pipe_help("nonsense"));
    ck_assert(pipe_step_takes_fn("spans") && !pipe_step_takes_fn("slices") &&
              !pipe_step_takes_fn("vnorm"));

    pcomp c;
    pcomp_run("", 0, &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert(has(c.cand, "none") || c.ncand == 15);
    ck_assert_uint_eq(c.ncand, 15);
    pcomp_run("vn", 2, &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_str_eq(c.cand[0], "vnorm");
    ck_assert_uint_eq(c.start, 0);
    pcomp_run("vnorm | s", 9, &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert_uint_eq(c.start, 8);
    ck_assert_uint_eq(c.ncand, 6); /* scores spans subwords split slices sum */
    pcomp_run("vnorm | n", 9, &c);
    ck_assert_uint_eq(c.ncand, 0); /* none only as a whole pipeline */
    pcomp_run("spans:", 6, &c);
    ck_assert_int_eq(c.kind, PCOMP_FN);
    ck_assert_uint_eq(c.ncand, 7);
    ck_assert_uint_eq(c.start, 6);
    pcomp_run("spans:ab", 8, &c);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_str_eq(c.cand[0], "absmax");
    pcomp_run("slices:", 7, &c);
    ck_assert_int_eq(c.kind, PCOMP_NONE);
    pcomp_run("vnorm | spans so", 16, &c);
    ck_assert_int_eq(c.kind, PCOMP_KEY);
    ck_assert_str_eq(c.step, "spans");
    ck_assert_uint_eq(c.start, 14);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_str_eq(c.cand[0], "source_spans");
    pcomp_run("spans source_spans=1:2 ", 23, &c);
    ck_assert_int_eq(c.kind, PCOMP_KEY);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_str_eq(c.cand[0], "target_spans");
    pcomp_run("vnorm normalize=", 16, &c);
    ck_assert_int_eq(c.kind, PCOMP_VALUE);
    ck_assert_str_eq(c.key, "normalize");
    ck_assert_uint_eq(c.ncand, 2);
    ck_assert_uint_eq(c.start, 16);
    pcomp_run("split split_mode=s", 18, &c);
    ck_assert_uint_eq(c.ncand, 2); /* single start */
    pcomp_run("split split_pattern='a b", 24, &c);
    ck_assert_int_eq(c.kind, PCOMP_NONE);
    pcomp_run("split split_pattern='a b' sp", 28, &c);
    ck_assert_int_eq(c.kind, PCOMP_KEY);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_str_eq(c.cand[0], "split_mode");
    /* cursor in the middle: only the text before it counts */
    pcomp_run("vnorm | sum", 7, &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert_uint_eq(c.start, 7);
}
END_TEST

/* ---- Functions ------------------------------------------------------- */

static float reduce1(as_agg_fn fn, double ord, size_t n, const float *v)
{
    as_tensor *t = T1(n, v);
    as_error e;
    as_tensor *r = agg_tensor_reduce(t, 0, fn, ord, &e);
    ck_assert_msg(r, "%s", e.msg);
    ck_assert_int_eq(r->ndim, 0);
    float x = r->data[0];
    tensor_free(t);
    tensor_free(r);
    return x;
}

START_TEST(functions_and_nan)
{
    const float with_nan[] = {1, N, 3};
    ck_assert(isnan(reduce1(AS_FN_SUM, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_MEAN, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_MAX, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_MIN, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_PROD, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_VNORM, 2, 3, with_nan)));
    ck_assert(isnan(reduce1(AS_FN_VNORM, INFINITY, 3, with_nan)));
    /* absmax counts NaN as 0 when choosing */
    ck_assert_float_eq(reduce1(AS_FN_ABSMAX, 2, 3, with_nan), 3);
    ck_assert(isnan(reduce1(AS_FN_ABSMAX, 2, 2, (float[]){N, 0})));
    ck_assert(isnan(reduce1(AS_FN_ABSMAX, 2, 2, (float[]){N, N})));
    ck_assert_float_eq(reduce1(AS_FN_ABSMAX, 2, 3, (float[]){N, -0.5f, 0.25f}), -0.5f);
    ck_assert_float_eq(reduce1(AS_FN_ABSMAX, 2, 2, (float[]){-5, 4}), -5);
    ck_assert_float_eq(reduce1(AS_FN_ABSMAX, 2, 2, (float[]){2, -2}), 2); /* first on ties */
    ck_assert_float_eq(reduce1(AS_FN_ABSMAX, 2, 3, (float[]){1, -INFINITY, INFINITY}), -INFINITY);
    ck_assert_float_eq(reduce1(AS_FN_SUM, 2, 3, (float[]){1, 2, 3.5f}), 6.5f);
    ck_assert_float_eq(reduce1(AS_FN_MEAN, 2, 4, (float[]){1, 2, 3, 4}), 2.5f);
    ck_assert_float_eq(reduce1(AS_FN_PROD, 2, 3, (float[]){2, 3, -4}), -24);
    ck_assert_float_eq(reduce1(AS_FN_MAX, 2, 3, (float[]){2, 7, -9}), 7);
    ck_assert_float_eq(reduce1(AS_FN_MIN, 2, 3, (float[]){2, 7, -9}), -9);
    ck_assert_float_eq(reduce1(AS_FN_VNORM, 2, 2, (float[]){3, -4}), 5);
    ck_assert_float_eq(reduce1(AS_FN_VNORM, 1, 2, (float[]){3, -4}), 7);
    ck_assert_float_eq(reduce1(AS_FN_VNORM, INFINITY, 2, (float[]){3, -4}), 4);
    ck_assert_float_eq(reduce1(AS_FN_VNORM, -INFINITY, 2, (float[]){3, -4}), 3);
    ck_assert_float_eq(reduce1(AS_FN_VNORM, 0, 4, (float[]){0, 2, 0, N}), 2);
    ck_assert_float_eq_tol(reduce1(AS_FN_VNORM, 3, 2, (float[]){3, 4}), cbrtf(91), 1e-5f);
    /* a long vector exercises the unrolled paths */
    float v[37];
    double ss = 0, s = 0;
    for (int i = 0; i < 37; i++) {
        v[i] = (float)(i % 7) - 3.25f;
        ss += (double)v[i] * v[i];
        s += v[i];
    }
    ck_assert_float_eq_tol(reduce1(AS_FN_VNORM, 2, 37, v), (float)sqrt(ss), 1e-5f);
    ck_assert_float_eq_tol(reduce1(AS_FN_SUM, 2, 37, v), (float)s, 1e-5f);
}
END_TEST

START_TEST(reduce_dims_and_errors)
{
    as_tensor *t = T2(2, 3, (float[]){1, 2, 3, 4, 5, 6});
    as_error e;
    as_tensor *r = agg_tensor_reduce(t, 0, AS_FN_SUM, 2, &e);
    assert_shape(r, 1, (size_t)3);
    assert_vals(r, 3, (float[]){5, 7, 9});
    tensor_free(r);
    r = agg_tensor_reduce(t, -1, AS_FN_MAX, 2, &e);
    assert_vals(r, 2, (float[]){3, 6});
    tensor_free(r);
    ck_assert_ptr_null(agg_tensor_reduce(t, 2, AS_FN_SUM, 2, &e));
    ck_assert_str_eq(e.msg, "dimension 2 does not exist in a tensor of shape (2, 3)");
    ck_assert_ptr_null(agg_tensor_reduce(t, -3, AS_FN_SUM, 2, &e));
    tensor_free(t);
    as_tensor *empty = tensor_new(2, (size_t[]){2, 0}, &e);
    ck_assert_ptr_null(agg_tensor_reduce(empty, 1, AS_FN_MAX, 2, &e));
    ck_assert_msg(strstr(e.msg, "cannot take max over the empty"), "%s", e.msg);
    r = agg_tensor_reduce(empty, 1, AS_FN_SUM, 2, &e);
    assert_vals(r, 2, (float[]){0, 0});
    tensor_free(r);
    tensor_free(empty);
}
END_TEST

/* ---- scores ---------------------------------------------------------- */

START_TEST(scores_normalize_nan_and_zero_columns)
{
    /* 2 source + 2 target rows, 3 columns, extra dim of size 1 so that sum
     * passes values through.  Column 0 mixes NaN, column 1 is all zeros,
     * column 2 is all NaN. */
    as_output *o = new_output(1);
    float sa[] = {1, 0, N, 3, 0, N};
    float ta[] = {N, 0, N, -4, 0, N, 2, 0, N};
    set_seq(&o->seqs[0], AS_CLS_GRANULAR, "a b", "x y z", T3(2, 3, 1, sa), T3(3, 3, 1, ta), 0, 3);
    as_seq *s = apply_ok(o, 0, "sum", NULL);
    /* column 0: |1| + |3| + |-4| + |2| = 10 */
    assert_vals(s->source_attr, 6, (float[]){0.1f, 0, N, 0.3f, 0, N});
    assert_vals(s->target_attr, 9, (float[]){N, 0, N, -0.4f, 0, N, 0.2f, 0, N});
    agg_seq_free(s);
    /* unnormalized */
    s = apply_ok(o, 0, "sum normalize=false", NULL);
    assert_vals(s->source_attr, 6, (float[]){1, 0, N, 3, 0, N});
    agg_seq_free(s);
    /* rescale: divide by the largest |x| over both (4) */
    s = apply_ok(o, 0, "sum normalize=false rescale=true", NULL);
    assert_vals(s->source_attr, 6, (float[]){0.25f, 0, N, 0.75f, 0, N});
    assert_vals(s->target_attr, 9, (float[]){N, 0, N, -1, 0, N, 0.5f, 0, N});
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

START_TEST(scores_rescale_all_zero_is_nan)
{
    as_output *o = new_output(1);
    set_seq(&o->seqs[0], AS_CLS_GRANULAR, "a", "x", T3(1, 1, 2, (float[]){0, 0}), NULL, 0, 1);
    as_seq *s = apply_ok(o, 0, "sum normalize=false rescale=true", NULL);
    ck_assert(isnan(s->source_attr->data[0])); /* 0 / 0, as torch */
    agg_seq_free(s);
    s = apply_ok(o, 0, "sum", NULL); /* normalize: divisor clamped to 1e-12 */
    ck_assert_float_eq(s->source_attr->data[0], 0);
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

START_TEST(scores_functions_and_select_idx)
{
    as_output *o = encdec3();
    as_seq *s = apply_ok(o, 0, "max normalize=false", NULL);
    assert_shape(s->source_attr, 2, (size_t)3, (size_t)3);
    assert_vals(s->source_attr, 9, (float[]){2, 4, 6, 8, 10, 12, 14, 16, 17});
    assert_vals(s->target_attr, 9, (float[]){N, 1, 2, N, N, 3, N, N, N});
    ck_assert_uint_eq(s->step_scores.n, 3); /* step scores pass through */
    agg_seq_free(s);
    s = apply_ok(o, 0, "scores select_idx=-1 normalize=false", NULL);
    assert_vals(s->source_attr, 9, (float[]){2, 4, 6, 8, 10, 12, 14, 16, -18});
    agg_seq_free(s);
    s = apply_ok(o, 0, "scores select_idx=0:1 normalize=false", NULL); /* range: vnorm of one */
    assert_vals(s->source_attr, 9, (float[]){1, 3, 5, 7, 9, 11, 13, 15, 17});
    agg_seq_free(s);
    s = apply_ok(o, 0, "sum select_idx=1,0 normalize=false", NULL);
    assert_vals(s->source_attr, 9, (float[]){3, 7, 11, 1, 19, 23, 27, 31, -1});
    agg_seq_free(s);
    /* the granular scores default is vnorm */
    s = apply_ok(o, 0, "scores normalize=false", NULL);
    ck_assert_float_eq_tol(s->source_attr->data[0], sqrtf(5), 1e-6f);
    agg_seq_free(s);
    s = apply_ok(o, 0, "vnorm vnorm_ord=1 normalize=false", NULL);
    ck_assert_float_eq(s->source_attr->data[0], 3);
    agg_seq_free(s);
    apply_err(o, 0, "scores select_idx=2", NULL,
              "sequence 0: step 1 'scores': select_idx=2: index out of range; the last dimension "
              "of source_attributions (3, 3, 2) has only 2 entries");
    apply_err(o, 0, "scores select_idx=-3", NULL, "index out of range");
    apply_err(o, 0, "sum select_idx=0:3", NULL, "select_idx=0:3: one or more index out of range");
    apply_err(o, 0, "sum select_idx=1:-1", NULL, "select_idx=1:-1: empty range");
    apply_err(o, 0, "sum select_idx=0,-2", NULL, "select_idx: index -2 repeats an earlier index");
    apply_err(o, 0, "sum select_idx=0,5", NULL, "select_idx: index 5 out of range");
    /* reducing past the token dimensions */
    apply_err(o, 0, "vnorm | sum", NULL,
              "sequence 0: step 2 'sum': source_attributions has shape (3, 3): only the token "
              "dimensions are left, so there is no extra dimension to reduce");
    apply_err(o, 0, "vnorm", "nonexistent",
              "sequence 0: weight: there is no step score 'nonexistent' (step scores: "
              "probability, entropy, custom)");
    apply_err(o, 0, "vnorm", "probabilty",
              "sequence 0: weight: there is no step score 'probabilty'; did you mean "
              "'probability'? (step scores: probability, entropy, custom)");
    apply_err(o, 3, "vnorm", NULL, "there is no sequence 3 (the output has 1)");
    attr_output_free(o);
}
END_TEST

START_TEST(multidim_defaults_and_sequence_scores)
{
    /* rank 4: (rows, cols, layers 2, heads 2) */
    as_output *o = new_output(1);
    float v[2 * 1 * 2 * 2] = {1, 3, 5, 7, 2, 2, 4, 4};
    set_seq(&o->seqs[0], AS_CLS_MULTIDIM, "a b", "x", T(4, (size_t[]){2, 1, 2, 2}, v), NULL, 0, 1);
    o->seqs[0].sequence_scores.v[0].name = strdup("encoder_self");
    o->seqs[0].sequence_scores.v[0].t = T3(2, 2, 2, (float[]){1, 2, 3, 4, 5, 6, 7, 8});
    o->seqs[0].sequence_scores.n = 1;
    char *d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "mean | mean");
    free(d);
    as_seq *s = apply_ok(o, 0, "default", NULL);
    /* heads mean: (2, 6) and (2, 4); normalize per layer over rows; then
     * layers mean and normalize again */
    float a = 2.0f / 4, b = 2.0f / 4, c = 6.0f / 10, e = 4.0f / 10;
    float r0 = (a + c) / 2, r1 = (b + e) / 2;
    assert_vals(s->source_attr, 2, (float[]){r0 / (r0 + r1), r1 / (r0 + r1)});
    /* sequence scores reduced on the last dim, not normalized */
    const as_tensor *ss = attr_scores_get(&s->sequence_scores, "encoder_self");
    assert_shape(ss, 1, (size_t)2);
    assert_vals(ss, 2, (float[]){(1.5f + 3.5f) / 2, (5.5f + 7.5f) / 2});
    agg_seq_free(s);
    /* a base-class sequence with 4D tensors gets the multidim default */
    o->seqs[0].cls = AS_CLS_BASE;
    d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "mean | mean");
    free(d);
    attr_output_free(o);
}
END_TEST

START_TEST(class_defaults)
{
    as_output *o = encdec3();
    char *d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "vnorm");
    free(d);
    o->seqs[0].cls = AS_CLS_BASE; /* 3D base: by rank */
    d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "vnorm");
    free(d);
    o->seqs[0].cls = AS_CLS_COARSE;
    d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "none");
    free(d);
    /* 'default' inside a pipeline expands where it stands */
    o->seqs[0].cls = AS_CLS_GRANULAR;
    as_seq *a = apply_ok(o, 0, "default | subwords", NULL);
    as_seq *b = apply_ok(o, 0, "vnorm | subwords", NULL);
    assert_vals(a->source_attr, tensor_numel(b->source_attr), b->source_attr->data);
    assert_tokens(&a->source, "\xe2\x96\x81" "ab \xe2\x96\x81" "c");
    agg_seq_free(a);
    agg_seq_free(b);
    a = apply_ok(o, 0, "vnorm | default", NULL); /* already 2D: nothing */
    assert_shape(a->source_attr, 2, (size_t)3, (size_t)3);
    agg_seq_free(a);
    attr_output_free(o);
    o = deconly2();
    d = agg_default_text(&o->seqs[0]);
    ck_assert_str_eq(d, "none");
    free(d);
    o->seqs[0].cls = AS_CLS_BASE; /* 2D base: shown as is */
    a = apply_ok(o, 0, "default", NULL);
    assert_vals(a->target_attr, 8, o->seqs[0].target_attr->data);
    ck_assert_int_eq(agg_check_2d(a, NULL), AS_OK);
    agg_seq_free(a);
    attr_output_free(o);
}
END_TEST

/* ---- spans ----------------------------------------------------------- */

START_TEST(spans_one_token_and_step_score_functions)
{
    as_output *o = encdec3();
    as_seq *s = apply_ok(o, 0, "sum normalize=false | spans source_spans=1:2 target_spans=0:2", NULL);
    /* a one-token span keeps its text but gets id -1 */
    ck_assert_str_eq(s->source.v[1].text, "b");
    ck_assert_int_eq(s->source.v[1].id, -1);
    ck_assert_int_eq(s->source.v[0].id, 100);
    assert_tokens(&s->target, "\xe2\x96\x81" "xy </s>");
    ck_assert_int_eq(s->target.v[0].id, -1);
    ck_assert_int_eq(s->attr_pos_start, 0);
    ck_assert_int_eq(s->attr_pos_end, 2);
    /* sums per cell: rows a,b,c x cols 0..2 = 3 7 11 / 1 19 23 / 27 31 -1;
     * columns 0:2 merge by absmax: 7 19 31; then rows by absmax (one-token) */
    assert_shape(s->source_attr, 2, (size_t)3, (size_t)2);
    assert_vals(s->source_attr, 6, (float[]){7, 11, 19, 23, 31, -1});
    /* target: cells N 2 4 / N N 6 / N N N; columns 0:2: absmax picks 2
     * (NaN counts as 0); rows 0:2 merged: absmax(2, NaN) = 2, absmax(4, 6) = 6 */
    assert_vals(s->target_attr, 4, (float[]){2, 6, N, N});
    /* step scores: probability prod, entropy sum, anything else absmax */
    assert_vals(attr_scores_get(&s->step_scores, "probability"), 2, (float[]){0.125f, 0.1f});
    assert_vals(attr_scores_get(&s->step_scores, "entropy"), 2, (float[]){3, 3});
    assert_vals(attr_scores_get(&s->step_scores, "custom"), 2, (float[]){5, -9});
    agg_seq_free(s);
    /* an explicit function applies to every field */
    s = apply_ok(o, 0, "sum normalize=false | spans:mean target_spans=0:2", NULL);
    assert_vals(attr_scores_get(&s->step_scores, "probability"), 2, (float[]){0.375f, 0.1f});
    assert_vals(attr_scores_get(&s->step_scores, "custom"), 2, (float[]){2, -9});
    assert_vals(s->source_attr, 6, (float[]){5, 11, 10, 23, 29, -1});
    agg_seq_free(s);
    /* vnorm over a one-token span is |x| */
    s = apply_ok(o, 0, "sum normalize=false | spans:vnorm source_spans=2:3", NULL);
    assert_vals(s->source_attr, 9, (float[]){3, 7, 11, 1, 19, 23, 27, 31, 1});
    agg_seq_free(s);
    /* spans on the raw 3D tensor keep the extra dimension */
    s = apply_ok(o, 0, "spans source_spans=0:2", NULL);
    assert_shape(s->source_attr, 3, (size_t)2, (size_t)3, (size_t)2);
    assert_vals(s->source_attr, 12, (float[]){-7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, -18});
    agg_seq_free(s);
    apply_err(o, 0, "spans source_spans=1:4", NULL,
              "sequence 0: step 1 'spans': source_spans: span 1:4 goes past the end of the "
              "source (3 tokens)");
    apply_err(o, 0, "spans target_spans=0:1,2:9", NULL, "target_spans: span 2:9 goes past the end of the target (3 tokens)");
    attr_output_free(o);
}
END_TEST

START_TEST(spans_at_attr_pos_start)
{
    as_output *o = deconly2();
    /* straddling span 1:3 (prompt p1 + generated g0) */
    as_seq *s = apply_ok(o, 0, "spans target_spans=1:3", NULL);
    assert_tokens(&s->target, "p0 p1g0 g1");
    ck_assert_int_eq(s->attr_pos_start, 1);
    ck_assert_int_eq(s->attr_pos_end, 3);
    assert_shape(s->target_attr, 2, (size_t)3, (size_t)2);
    /* column span (0, 1) is one column; rows 1:3 absmax(3, 5)=5, absmax(4, 6)=6 */
    assert_vals(s->target_attr, 6, (float[]){1, 2, 5, 6, N, 8});
    assert_vals(attr_scores_get(&s->step_scores, "probability"), 2, (float[]){0.5f, 0.5f});
    ck_assert_str_eq(s->source.v[0].text, "p0"); /* source untouched */
    agg_seq_free(s);
    /* span ending exactly at attr_pos_start: all prompt */
    s = apply_ok(o, 0, "spans target_spans=0:2", NULL);
    assert_tokens(&s->target, "p0p1 g0 g1");
    ck_assert_int_eq(s->attr_pos_start, 1);
    ck_assert_int_eq(s->attr_pos_end, 3);
    assert_vals(s->target_attr, 6, (float[]){3, 4, 5, 6, N, 8});
    agg_seq_free(s);
    /* span starting exactly at attr_pos_start: generated columns merge */
    s = apply_ok(o, 0, "spans target_spans=2:4", NULL);
    assert_tokens(&s->target, "p0 p1 g0g1");
    ck_assert_int_eq(s->attr_pos_start, 2);
    ck_assert_int_eq(s->attr_pos_end, 3);
    assert_shape(s->target_attr, 2, (size_t)3, (size_t)1);
    /* columns: absmax per row 2, 4, 6, 8; rows 2:4 absmax(6, 8) */
    assert_vals(s->target_attr, 3, (float[]){2, 4, 8});
    assert_vals(attr_scores_get(&s->step_scores, "probability"), 1, (float[]){0.25f});
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

/* ---- subwords and split ---------------------------------------------- */

static as_output *coarse_tokens(const char *src, const char *tgt)
{
    as_output *o = new_output(1);
    as_seq *s = &o->seqs[0];
    set_seq(s, AS_CLS_COARSE, src, tgt, NULL, NULL, 0, 0);
    size_t ns = s->source.n, nt = s->target.n;
    s->attr_pos_end = (long)nt;
    float *v = calloc(ns * nt + nt * nt, sizeof *v);
    for (size_t i = 0; i < ns * nt + nt * nt; i++)
        v[i] = (float)i;
    s->source_attr = T2(ns, nt, v);
    s->target_attr = T2(nt, nt, v);
    free(v);
    return o;
}

START_TEST(subwords_quirks)
{
    /* the run reaching the last token stops one short */
    as_output *o = coarse_tokens("\xe2\x96\x81" "a b c", "\xe2\x96\x81" "x y \xe2\x96\x81" "z");
    as_seq *s = apply_ok(o, 0, "subwords", NULL);
    assert_tokens(&s->source, "\xe2\x96\x81" "ab c");
    assert_tokens(&s->target, "\xe2\x96\x81" "xy \xe2\x96\x81" "z");
    ck_assert_int_eq(s->attr_pos_end, 2);
    agg_seq_free(s);
    /* a last run of two tokens does not merge at all */
    attr_output_free(o);
    o = coarse_tokens("\xe2\x96\x81" "a \xe2\x96\x81" "b c", "\xe2\x96\x81" "x");
    s = apply_ok(o, 0, "subwords", NULL);
    assert_tokens(&s->source, "\xe2\x96\x81" "a \xe2\x96\x81" "b c");
    agg_seq_free(s);
    attr_output_free(o);
    /* no special character anywhere: nothing merges */
    o = coarse_tokens("a b c", "x y");
    s = apply_ok(o, 0, "subwords", NULL);
    assert_tokens(&s->source, "a b c");
    agg_seq_free(s);
    attr_output_free(o);
    /* suffix symbols (WordPiece) */
    o = coarse_tokens("he ##llo world ##s !", "x");
    s = apply_ok(o, 0, "subwords special_chars=## is_suffix_symbol=true", NULL);
    assert_tokens(&s->source, "he##llo world##s !");
    agg_seq_free(s);
    s = apply_ok(o, 0, "subwords special_chars=## is_suffix_symbol=true aggregate_source=false", NULL);
    assert_tokens(&s->source, "he ##llo world ##s !");
    agg_seq_free(s);
    attr_output_free(o);
    /* several symbols (GPT-2) */
    o = coarse_tokens("\xc4\xa0" "a b \xc4\x8a" "c d e", "x");
    s = apply_ok(o, 0, "subwords special_chars=\xc4\xa0,\xc4\x8a", NULL);
    assert_tokens(&s->source, "\xc4\xa0" "ab \xc4\x8a" "cd e");
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

START_TEST(split_modes)
{
    as_output *o = coarse_tokens("a , b c ! d", "x");
    as_seq *s = apply_ok(o, 0, "split split_pattern=[,!]", NULL);
    assert_tokens(&s->source, "a , bc ! d");
    ck_assert_int_eq(s->source.v[0].id, -1); /* every token is a span */
    agg_seq_free(s);
    s = apply_ok(o, 0, "split split_pattern=[,!] split_mode=start", NULL);
    assert_tokens(&s->source, "a ,bc !d");
    agg_seq_free(s);
    s = apply_ok(o, 0, "split split_pattern=[,!] split_mode=end", NULL);
    assert_tokens(&s->source, "a, bc! d");
    assert_shape(s->source_attr, 2, (size_t)3, (size_t)1);
    assert_vals(s->source_attr, 3, (float[]){1, 4, 5}); /* absmax of 0 1 | 2 3 4 | 5 */
    agg_seq_free(s);
    /* a match over several tokens covers them all */
    s = apply_ok(o, 0, "split split_pattern=bc", NULL);
    assert_tokens(&s->source, "a, bc !d");
    agg_seq_free(s);
    /* Python escapes: \s never matches here, so nothing merges */
    s = apply_ok(o, 0, "split split_pattern='\\s'", NULL);
    assert_tokens(&s->source, "a , b c ! d");
    agg_seq_free(s);
    /* empty matches are skipped */
    s = apply_ok(o, 0, "split split_pattern=z*", NULL);
    assert_tokens(&s->source, "a , b c ! d");
    agg_seq_free(s);
    /* lazy quantifiers and lookaround, as Python's re */
    s = apply_ok(o, 0, "split split_pattern='b.*?'", NULL);
    assert_tokens(&s->source, "a, b c!d");
    agg_seq_free(s);
    s = apply_ok(o, 0, "split split_pattern='b.*'", NULL);
    assert_tokens(&s->source, "a, bc!d");
    agg_seq_free(s);
    s = apply_ok(o, 0, "split split_pattern='\\w(?=[,!])'", NULL);
    assert_tokens(&s->source, "a ,b c !d");
    agg_seq_free(s);
    apply_err(o, 0, "split split_pattern='a(b'", NULL,
              "split_pattern 'a(b': missing closing parenthesis at position 3");
    attr_output_free(o);
}
END_TEST

/* The declared defaults are the parser's: giving a key its default changes
 * nothing, and every declared value of a closed set parses. */
START_TEST(pipeline_declared_defaults)
{
    static const struct {
        const char *name, *values, *def;
        unsigned kinds;
    } keys[] = {
#define X(id, name, kinds, values, def, help) {name, values, def, kinds},
        AS_PIPE_KEYS(X)
#undef X
    };
    size_t checked = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        for (int k = 0; k <= AS_AGG_NKINDS; k++) {
            const char *step;
            if (k == AS_AGG_NKINDS)
                step = keys[i].kinds & AS_PIPE_ON_VNORM ? "vnorm" : NULL;
            else
                step = keys[i].kinds & (1u << k) ? pipe_kind_name((as_agg_kind)k) : NULL;
            if (!step)
                continue;
            const char *extra = !strcmp(step, "split") ? " split_pattern=a"
                                : !strcmp(step, "pair") ? " with=1" : "";
            char base[128], text[192];
            snprintf(base, sizeof base, "%s%s", step, extra);
            as_error e;
            char *want = pipe_canonical(base, &e);
            ck_assert_msg(want, "%s: %s", base, e.msg);
            if (keys[i].def) {
                snprintf(text, sizeof text, "%s %s=%s", base, keys[i].name, keys[i].def);
                char *got = pipe_canonical(text, &e);
                ck_assert_msg(got, "%s: %s", text, e.msg);
                ck_assert_msg(!strcmp(got, want), "'%s' -> '%s', want '%s'", text, got, want);
                free(got);
                checked++;
            }
            const char *const *vals = pipe_key_values(keys[i].name);
            ck_assert(!vals == !keys[i].values);
            for (size_t v = 0; vals && vals[v]; v++) {
                snprintf(text, sizeof text, "%s %s=%s", base, keys[i].name, vals[v]);
                if (!strcmp(keys[i].name, "rescale") && !strcmp(vals[v], "true"))
                    strcat(text, " normalize=false");
                char *got = pipe_canonical(text, &e);
                ck_assert_msg(got, "%s: %s", text, e.msg);
                free(got);
            }
            free(want);
        }
    }
    ck_assert_uint_ge(checked, 10);
    /* help comes from the same lists, with the default */
    ck_assert_str_eq(pipe_help("normalize"), "divide each column by its L1 norm (default true)");
    ck_assert_str_eq(pipe_help("with"), "index of the sequence to pair with");
    ck_assert_str_eq(pipe_help("none"), "no aggregation");
}
END_TEST

/* The spans agg_split_spans finds (mode single) over tokens separated by
 * '|', as "start:end ..."; or "error: <message>". */
static char *split_str(const char *pattern, const char *list)
{
    as_tokens t = {.v = calloc(64, sizeof(as_token))};
    char *dup = strdup(list), *save = NULL;
    ck_assert(t.v && dup);
    for (char *tok = strtok_r(dup, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
        t.v[t.n++].text = strdup(tok);
    free(dup);
    as_span *sp = NULL;
    size_t n = 0;
    as_error e;
    as_error_clear(&e);
    static char buf[AS_ERROR_MAX + 16];
    if (agg_split_spans(&t, pattern, AS_SPLIT_SINGLE, &sp, &n, &e)) {
        snprintf(buf, sizeof buf, "error: %s", e.msg);
    } else {
        size_t w = 0;
        buf[0] = 0;
        for (size_t i = 0; i < n; i++)
            w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%ld:%ld", i ? " " : "", sp[i].start,
                                  sp[i].end);
    }
    free(sp);
    attr_tokens_free(&t);
    return buf;
}

/* split_pattern means what it means to Python's re (the spans below are
 * what re.finditer gives over the joined token text, checked with Python
 * 3.11; "" is no match, so no spans), including what POSIX regular
 * expressions cannot say. */
START_TEST(regex_python_semantics)
{
    static const struct {
        const char *pattern, *tokens, *spans;
    } tab[] = {
        /* alternation takes the first alternative that matches, not the longest */
        {"a|ab", "a|b|c", "0:1 1:3"},
        {"ab|a", "a|b|c", "0:2 2:3"},
        {"(?:x|xy)z?", "x|y|z", "0:1 1:3"},
        /* lazy quantifiers */
        {"<.*?>", "<|a|>|<|b|>", "0:3 3:6"},
        {"<.*>", "<|a|>|<|b|>", "0:6"},
        {"a+?", "a|a|b", "0:1 1:2 2:3"},
        {"a{2,3}?", "a|a|a|a", "0:2 2:4"},
        /* lookahead and lookbehind */
        {"\\w(?=[,!])", "a|,|b|c|!|d", "0:1 1:3 3:4 4:6"},
        {"(?<=,)\\w+", "a|,|b|c|!|d", "0:2 2:4 4:6"},
        {"b(?!c)", "b|c|b|d", "0:2 2:3 3:4"},
        /* Python syntax PCRE2 reads otherwise: {,n}, \Z, \v, \uXXXX */
        {"a{,2}", "a|a|a", "0:2 2:3"},
        {"ba\\Z", "b|a|\n", ""},
        {"ba$", "b|a|\n", "0:2 2:3"},
        {"a\\vb", "a|\v|b", "0:3"},
        {"a\\vb", "a|\n|b", ""},
        {"\\u00e9+", "x|\xc3\xa9|\xc3\xa9|y", "0:1 1:3 3:4"},
        /* . does not match a newline (unless (?s)) */
        {"a.b", "a|\n|b", ""},
        {"(?s)a.b", "a|\n|b", "0:3"},
        /* characters, not bytes: Unicode \w and multibyte characters in sets */
        {"\\w+", "\xc3\xa9|\xc3\xbc|!", "0:2 2:3"},
        {"[\xc3\xa9x]\\d", "a|\xc3\xa9|\xd9\xa3|b", "0:1 1:3 3:4"},
        {"^.", "\xc3\xa9|a", "0:1 1:2"},
        /* named groups, back references, anchors, negated classes in sets */
        {"(?P<c>.)(?P=c)", "a|b|b|c", "0:1 1:3 3:4"},
        {"\\Aa", "a|a", "0:1 1:2"},
        {"[\\D]", "1|x", "0:1 1:2"},
        {"(a{0,100}){0,100}b", "a|a|b", "0:3"},
        /* empty matches are skipped; a non-empty one may start where an empty one was */
        {"x*", "a|b", ""},
        {"|ab", "a|b", "0:2"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        char *got = split_str(tab[i].pattern, tab[i].tokens);
        ck_assert_msg(!strcmp(got, tab[i].spans), "'%s': %s, want %s", tab[i].pattern, got,
                      tab[i].spans);
    }
    static const struct {
        const char *pattern, *msg;
    } bad[] = {
        {"[abc", "split_pattern '[abc': missing terminating ] for character class at position 4"},
        {"x\\", "split_pattern 'x\\': \\ at end of pattern"},
        {"a**", "split_pattern 'a**': quantifier does not follow a repeatable item"},
        {"(?<=a+)b", "split_pattern '(?<=a+)b': "},
        {"a(b", "missing closing parenthesis at position 3"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *got = split_str(bad[i].pattern, "a|b");
        ck_assert_msg(strstr(got, bad[i].msg), "'%s': %s", bad[i].pattern, got);
    }
    /* catastrophic backtracking stops at the match limit with a message */
    char many[128] = "";
    for (int i = 0; i < 60; i++)
        strcat(many, "a|");
    strcat(many, "!");
    char *got = split_str("(a|aa)+$", many);
    ck_assert_msg(strstr(got, "split_pattern '(a|aa)+$': matching needs too much backtracking"),
                  "%s", got);
    /* the rewriting maps positions back to the pattern as written */
    size_t *map = NULL;
    char *r = agg_regex_translate("[\\v]{,3}\\Z\\u00e9[]\\Z]", &map);
    ck_assert_str_eq(r, "[\\x0b]{0,3}\\z\\x{00e9}[]\\Z]");
    ck_assert_uint_eq(map[strlen("[\\x0b]{0,3}")], strlen("[\\v]{,3}"));
    free(r);
    free(map);
}
END_TEST

/* Many tokens and many matches: mapping matches to tokens stays linear
 * (it was quadratic: 200000 tokens took minutes). */
START_TEST(split_many_tokens)
{
    size_t n = 200000;
    as_tokens t = {.v = calloc(n, sizeof(as_token)), .n = n};
    ck_assert(t.v);
    for (size_t i = 0; i < n; i++)
        t.v[i].text = strdup(i % 3 == 2 ? "," : "a");
    as_span *sp;
    size_t nsp;
    as_error e;
    ck_assert_int_eq(agg_split_spans(&t, ",", AS_SPLIT_END, &sp, &nsp, &e), AS_OK);
    ck_assert_uint_eq(nsp, (n + 2) / 3);
    ck_assert_int_eq(sp[0].start, 0);
    ck_assert_int_eq(sp[0].end, 3);
    ck_assert_int_eq(sp[nsp - 1].end, (long)n);
    free(sp);
    ck_assert_int_eq(agg_split_spans(&t, "a", AS_SPLIT_SINGLE, &sp, &nsp, &e), AS_OK);
    ck_assert_uint_eq(nsp, n);
    free(sp);
    attr_tokens_free(&t);
}
END_TEST

/* ---- slices ---------------------------------------------------------- */

START_TEST(slices_encdec_and_deconly)
{
    as_output *o = encdec3();
    as_seq *s = apply_ok(o, 0, "sum normalize=false | slices source_spans=0:1,2:3", NULL);
    assert_tokens(&s->source, "\xe2\x96\x81" "a \xe2\x96\x81" "c");
    ck_assert_int_eq(s->source.v[1].id, 102);
    assert_vals(s->source_attr, 6, (float[]){3, 7, 11, 27, 31, -1});
    ck_assert_uint_eq(s->target.n, 3);
    ck_assert_int_eq(s->attr_pos_start, 0);
    ck_assert_int_eq(s->attr_pos_end, 3);
    agg_seq_free(s);
    /* no spans: everything stays */
    s = apply_ok(o, 0, "sum | slices", NULL);
    ck_assert_uint_eq(s->source.n, 3);
    agg_seq_free(s);
    apply_err(o, 0, "slices target_spans=1:2", NULL,
              "target_spans: span 1:2 starts inside the generated tokens (they start at 0 and "
              "are always kept); a target span may start at 0 at the latest");
    attr_output_free(o);

    o = deconly2();
    s = apply_ok(o, 0, "slices target_spans=0:1", NULL);
    assert_tokens(&s->source, "p0");
    assert_tokens(&s->target, "p0 g0 g1");
    ck_assert_int_eq(s->attr_pos_start, 1);
    ck_assert_int_eq(s->attr_pos_end, 3);
    assert_vals(s->target_attr, 6, (float[]){1, 2, 5, 6, N, 8});
    agg_seq_free(s);
    /* a span reaching into the generation is widened to its end */
    s = apply_ok(o, 0, "slices target_spans=1:3", NULL);
    assert_tokens(&s->source, "p1");
    assert_tokens(&s->target, "p1 g0 g1");
    ck_assert_int_eq(s->attr_pos_start, 1);
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

/* ---- pair ------------------------------------------------------------ */

START_TEST(pair_labels_values_and_errors)
{
    as_output *o = new_output(3);
    set_seq(&o->seqs[0], AS_CLS_COARSE, "a b", "x y", T2(2, 2, (float[]){1, 2, 3, 4}),
            T2(2, 2, (float[]){N, 1, N, N}), 0, 2);
    set_seq(&o->seqs[1], AS_CLS_COARSE, "a c", "x z", T2(2, 2, (float[]){10, 20, 30, 40}),
            T2(2, 2, (float[]){N, 5, N, N}), 0, 2);
    set_seq(&o->seqs[2], AS_CLS_COARSE, "a", "x y", T2(1, 2, (float[]){1, 2}),
            T2(2, 2, (float[]){N, 1, N, N}), 0, 2);
    add_step(&o->seqs[0], "probability", T1(2, (float[]){0.5f, 0.25f}));
    add_step(&o->seqs[1], "probability", T1(2, (float[]){0.75f, 0.5f}));
    as_seq *s = apply_ok(o, 0, "pair with=1", NULL);
    ck_assert_str_eq(s->source.v[0].text, "a");
    ck_assert_str_eq(s->source.v[1].text, "b \xe2\x86\x92 c");
    ck_assert_int_eq(s->source.v[1].id, -1);
    ck_assert_int_eq(s->source.v[0].id, 100);
    ck_assert_str_eq(s->target.v[1].text, "y \xe2\x86\x92 z");
    /* paired - base */
    assert_vals(s->source_attr, 4, (float[]){9, 18, 27, 36});
    assert_vals(s->target_attr, 4, (float[]){N, 4, N, N});
    assert_vals(attr_scores_get(&s->step_scores, "probability"), 2, (float[]){0.25f, 0.25f});
    agg_seq_free(s);
    apply_err(o, 0, "pair with=2", NULL,
              "sequence 0: step 1 'pair': source sequences must be the same length: this one has "
              "2 tokens, sequence 2 has 1");
    apply_err(o, 0, "pair with=7", NULL,
              "with=7: there is no sequence 7 (the output has 3 sequences, 0 to 2)");
    apply_err(o, 1, "pair with=2", NULL, "source sequences must be the same length");
    /* step scores must exist in the other sequence */
    /* paired with itself: zeros, no arrows */
    s = apply_ok(o, 0, "pair with=0", NULL);
    assert_tokens(&s->source, "a b");
    assert_vals(s->source_attr, 4, (float[]){0, 0, 0, 0});
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

START_TEST(pair_after_steps_and_shapes)
{
    as_output *o = new_output(2);
    set_seq(&o->seqs[0], AS_CLS_GRANULAR, "a", "x", T3(1, 1, 2, (float[]){3, 4}), NULL, 0, 1);
    set_seq(&o->seqs[1], AS_CLS_GRANULAR, "a", "x", T3(1, 1, 2, (float[]){6, 8}), NULL, 0, 1);
    /* the other sequence goes through the steps before pair too */
    as_seq *s = apply_ok(o, 0, "vnorm normalize=false | pair with=1", NULL);
    assert_shape(s->source_attr, 2, (size_t)1, (size_t)1);
    assert_vals(s->source_attr, 1, (float[]){5});
    ck_assert_str_eq(s->source.v[0].text, "a");
    agg_seq_free(s);
    /* on raw tensors the difference keeps the extra dimension */
    s = apply_ok(o, 0, "pair with=1", NULL);
    assert_shape(s->source_attr, 3, (size_t)1, (size_t)1, (size_t)2);
    as_error e;
    ck_assert_int_eq(agg_check_2d(s, &e), AS_EUSAGE);
    ck_assert_str_eq(e.msg,
                     "the aggregated attributions must be 2-dimensional to be shown, but "
                     "source_attributions has shape (1, 1, 2); add a step that reduces the "
                     "extra dimensions (e.g. 'vnorm' or 'mean')");
    agg_seq_free(s);
    tensor_free(o->seqs[1].source_attr);
    o->seqs[1].source_attr = T3(1, 1, 3, (float[]){1, 2, 3});
    apply_err(o, 0, "pair with=1", NULL,
              "source attributions must be the same shape: (1, 1, 2) here, (1, 1, 3) in "
              "sequence 1");
    add_step(&o->seqs[0], "probability", T1(1, (float[]){1}));
    apply_err(o, 0, "vnorm | pair with=1", NULL,
              "step 2 'pair': step score 'probability' must be in sequence 1 too");
    attr_output_free(o);
}
END_TEST

/* ---- weight, minimum/maximum, scores dicts ---------------------------- */

START_TEST(weight_attributions)
{
    as_output *o = deconly2();
    as_seq *s = apply_ok(o, 0, "default", "probability");
    assert_vals(s->target_attr, 8, (float[]){0.5f, 1, 1.5f, 2, 2.5f, 3, N, 4});
    agg_seq_free(s);
    /* the pipeline then runs on the weighted result; default means nothing */
    s = apply_ok(o, 0, "spans target_spans=0:2", "probability");
    assert_vals(s->target_attr, 6, (float[]){1.5f, 2, 2.5f, 3, N, 4});
    agg_seq_free(s);
    as_seq *w = agg_weight(&o->seqs[0], "probability", NULL);
    assert_vals(w->target_attr, 8, (float[]){0.5f, 1, 1.5f, 2, 2.5f, 3, N, 4});
    agg_seq_free(w);
    attr_output_free(o);
    /* granular: vnorm + normalize first */
    o = encdec3();
    s = apply_ok(o, 0, "default", "probability");
    as_seq *d = apply_ok(o, 0, "default", NULL);
    const float p[3] = {0.5f, 0.25f, 0.1f};
    for (size_t i = 0; i < 9; i++)
        ck_assert_float_eq_tol(s->source_attr->data[i], d->source_attr->data[i] * p[i % 3], 1e-7f);
    agg_seq_free(s);
    agg_seq_free(d);
    apply_err(o, 0, "vnorm", "probability",
              "step 1 'vnorm': source_attributions has shape (3, 3): only the token dimensions");
    attr_output_free(o);
}
END_TEST

START_TEST(minimum_maximum)
{
    as_output *o = new_output(1);
    set_seq(&o->seqs[0], AS_CLS_COARSE, "a b", "x", T2(2, 1, (float[]){0.5f, N}),
            T2(1, 1, (float[]){0.25f}), 0, 1);
    ck_assert_double_eq(agg_minimum(&o->seqs[0]), 0);
    ck_assert_double_eq_tol(agg_maximum(&o->seqs[0]), 0.5, 1e-9);
    /* +-inf cells do not set the range (range.h): the finite values do */
    o->seqs[0].source_attr->data[1] = -INFINITY;
    ck_assert_double_eq(agg_minimum(&o->seqs[0]), 0);
    o->seqs[0].source_attr->data[1] = INFINITY;
    ck_assert_double_eq_tol(agg_maximum(&o->seqs[0]), 0.5, 1e-9);
    o->seqs[0].target_attr->data[0] = -INFINITY;
    ck_assert_double_eq_tol(agg_maximum(&o->seqs[0]), 0.5, 1e-9);
    ck_assert_double_eq(agg_minimum(&o->seqs[0]), 0);
    o->seqs[0].source_attr->data[0] = -2;
    o->seqs[0].source_attr->data[1] = -3;
    o->seqs[0].target_attr->data[0] = -1;
    ck_assert_double_eq(agg_maximum(&o->seqs[0]), 0);
    ck_assert_double_eq(agg_minimum(&o->seqs[0]), -3);
    attr_output_free(o);
}
END_TEST

START_TEST(scores_dicts_deconly)
{
    as_output *o = deconly2();
    as_error e;
    json_t *j = agg_scores_dicts(&o->seqs[0], &e);
    ck_assert_msg(j, "%s", e.msg);
    ck_assert_uint_eq(json_object_size(json_object_get(j, "source_attributions")), 0);
    json_t *ta = json_object_get(j, "target_attributions");
    ck_assert_uint_eq(json_object_size(ta), 2);
    json_t *col = json_object_get(ta, "3:g1");
    ck_assert_ptr_nonnull(col);
    ck_assert_uint_eq(json_object_size(col), 4);
    ck_assert_double_eq(json_real_value(json_object_get(col, "1:p1")), 4);
    double v;
    ck_assert(attr_json_nonfinite(json_object_get(json_object_get(ta, "2:g0"), "3:g1"), &v));
    ck_assert(isnan(v));
    json_t *ss = json_object_get(json_object_get(j, "step_scores"), "2:g0");
    ck_assert_double_eq(json_real_value(json_object_get(ss, "probability")), 0.5);
    json_decref(j);
    /* needs 2D */
    as_output *g = encdec3();
    ck_assert_ptr_null(agg_scores_dicts(&g->seqs[0], &e));
    ck_assert_msg(strstr(e.msg, "must be 2-dimensional"), "%s", e.msg);
    attr_output_free(g);
    attr_output_free(o);
}
END_TEST

START_TEST(invalid_input_shapes)
{
    as_output *o = encdec3();
    o->seqs[0].source.n = 2; /* one token short (texts stay allocated) */
    apply_err(o, 0, "vnorm", NULL,
              "sequence 0: source_attributions has shape (3, 3, 2), but the sequence has 2 "
              "source tokens and 3 generated tokens");
    o->seqs[0].source.n = 3;
    o->seqs[0].attr_pos_end = 7;
    apply_err(o, 0, "none", NULL, "attr_pos_start 0 and attr_pos_end 7 do not fit 3 target tokens");
    attr_output_free(o);
}
END_TEST

/* ---- Cache ----------------------------------------------------------- */

START_TEST(cache_hits_identity_and_eviction)
{
    as_output *o = encdec3();
    as_error e;
    agg_cache *c = agg_cache_new(0);
    const as_seq *a = agg_cache_get(c, o, 0, "default", NULL, &e);
    ck_assert_msg(a, "%s", e.msg);
    const as_seq *b = agg_cache_get(c, o, 0, "  scores:vnorm normalize=true ", NULL, &e);
    ck_assert_msg(b, "%s", e.msg);
    const as_seq *a2 = agg_cache_get(c, o, 0, "default", NULL, &e);
    ck_assert_ptr_eq(a, a2);
    const as_seq *b2 = agg_cache_get(c, o, 0, "vnorm", NULL, &e);
    ck_assert_ptr_eq(b, b2); /* same canonical form */
    const as_seq *w = agg_cache_get(c, o, 0, "default", "probability", &e);
    ck_assert_ptr_ne(w, a);
    /* nothing to compute: the output's own sequence */
    const as_seq *n = agg_cache_get(c, o, 0, "none", NULL, &e);
    ck_assert_ptr_eq(n, &o->seqs[0]);
    agg_cache_stats st;
    agg_cache_get_stats(c, &st);
    ck_assert_uint_eq(st.hits, 2);
    ck_assert_uint_eq(st.misses, 4);
    ck_assert_uint_eq(st.entries, 4);
    ck_assert_uint_gt(st.bytes, 0);
    /* errors are not cached and say what is wrong */
    ck_assert_ptr_null(agg_cache_get(c, o, 0, "vnorm | bogus", NULL, &e));
    ck_assert_msg(strstr(e.msg, "step 2: unknown step 'bogus'"), "%s", e.msg);
    ck_assert_ptr_null(agg_cache_get(c, o, 0, "vnorm | sum", NULL, &e));
    agg_cache_forget(c, o);
    agg_cache_get_stats(c, &st);
    ck_assert_uint_eq(st.entries, 0);
    ck_assert_uint_eq(st.bytes, 0);
    agg_cache_free(c);

    /* a tiny bound: only the current and the previous result stay */
    c = agg_cache_new(1);
    const char *pipes[] = {"sum", "mean", "max", "min"};
    const as_seq *prev = NULL;
    for (int i = 0; i < 4; i++) {
        const as_seq *r = agg_cache_get(c, o, 0, pipes[i], NULL, &e);
        ck_assert_msg(r, "%s", e.msg);
        if (prev) /* still readable */
            ck_assert_uint_eq(prev->source.n, 3);
        prev = r;
    }
    agg_cache_get_stats(c, &st);
    ck_assert_uint_eq(st.entries, 2);
    ck_assert_uint_eq(st.evictions, 2);
    agg_cache_clear(c);
    agg_cache_get_stats(c, &st);
    ck_assert_uint_eq(st.entries, 0);
    agg_cache_free(c);
    attr_output_free(o);
}
END_TEST

START_TEST(apply_returns_copy_for_none)
{
    as_output *o = encdec3();
    as_seq *s = apply_ok(o, 0, "none", NULL);
    ck_assert_ptr_ne(s->source_attr, o->seqs[0].source_attr);
    assert_vals(s->source_attr, 18, o->seqs[0].source_attr->data);
    ck_assert_uint_eq(agg_seq_bytes(s), agg_seq_bytes(&o->seqs[0]));
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

/* A large tensor takes the multi-threaded path; results equal the
 * single-row reference. */
START_TEST(threaded_reduction_matches)
{
    size_t rows = 300, cols = 40, dim = 256;
    as_output *o = new_output(1);
    as_error e;
    as_tensor *t = tensor_new(3, (size_t[]){rows, cols, dim}, &e);
    uint32_t x = 12345;
    for (size_t i = 0; i < rows * cols * dim; i++) {
        x = x * 1664525u + 1013904223u;
        t->data[i] = (float)(x >> 8) / 16777216.0f - 0.5f;
    }
    set_seq(&o->seqs[0], AS_CLS_GRANULAR, "s", "t", NULL, NULL, 0, 0);
    attr_tokens_free(&o->seqs[0].target);
    o->seqs[0].target.v = calloc(rows, sizeof(as_token));
    for (size_t i = 0; i < rows; i++) {
        o->seqs[0].target.v[i].text = strdup("t");
        o->seqs[0].target.n++;
    }
    o->seqs[0].target_attr = t;
    o->seqs[0].attr_pos_start = (long)(rows - cols);
    o->seqs[0].attr_pos_end = (long)rows;
    as_seq *s = apply_ok(o, 0, "vnorm normalize=false", NULL);
    for (size_t r = 0; r < rows * cols; r += 97) {
        float ref = agg_reduce_vec(t->data + r * dim, dim, 1, AS_FN_VNORM, 2);
        ck_assert_float_eq(s->target_attr->data[r], ref);
    }
    agg_seq_free(s);
    /* a list selection gathers per row on each thread */
    s = apply_ok(o, 0, "sum select_idx=0,5,-1 normalize=false", NULL);
    for (size_t r = 0; r < rows * cols; r += 89) {
        const float *row = t->data + r * dim;
        ck_assert_float_eq(s->target_attr->data[r], (float)((double)row[0] + row[5] + row[dim - 1]));
    }
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

/* The contiguous fast paths (lanes, no early exit) give what the plain
 * strided loops give, NaN, infinities and ties included, at every length
 * around the lane width. */
START_TEST(contiguous_reductions_match_strided)
{
    static const as_agg_fn fns[] = {AS_FN_MAX, AS_FN_MIN, AS_FN_ABSMAX, AS_FN_SUM, AS_FN_VNORM};
    static const double ords[] = {2, 1};
    float x[40], strided[80];
    uint32_t r = 777;
    for (int trial = 0; trial < 400; trial++) {
        size_t n = 1 + (size_t)(trial % 37);
        for (size_t i = 0; i < n; i++) {
            r = r * 1664525u + 1013904223u;
            int kind = (int)(r >> 28);
            float v = (float)((int)(r >> 12 & 0xff) - 128) / 16.0f;   /* many ties */
            if (kind == 0 && trial % 3 == 0)
                v = NAN;
            else if (kind == 1 && trial % 5 == 0)
                v = INFINITY;
            else if (kind == 2 && trial % 7 == 0)
                v = -INFINITY;
            x[i] = v;
            strided[2 * i] = v;
            strided[2 * i + 1] = 1e30f;   /* never read */
        }
        for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++)
            for (size_t o = 0; o < (fns[f] == AS_FN_VNORM ? 2u : 1u); o++) {
                float a = agg_reduce_vec(x, n, 1, fns[f], ords[o]);
                float b = agg_reduce_vec(strided, n, 2, fns[f], ords[o]);
                if (isnan(b))
                    ck_assert_msg(isnan(a), "fn %d n %zu: %g, want NaN", (int)fns[f], n, a);
                else
                    ck_assert_msg(a == b || (fns[f] == AS_FN_SUM && fabsf(a - b) <= 1e-5f * fabsf(b)),
                                  "fn %d ord %g n %zu: %.9g, want %.9g", (int)fns[f], ords[o], n, a,
                                  b);
            }
    }
    /* absmax picks the first of equal magnitudes, keeping its sign */
    float t1[] = {1, -3, 2, 3, 0, 0, 0, 0, 0, 1};
    ck_assert_float_eq(agg_reduce_vec(t1, 10, 1, AS_FN_ABSMAX, 0), -3.0f);
    float t2[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, NAN, 2, -2};
    ck_assert_float_eq(agg_reduce_vec(t2, 12, 1, AS_FN_ABSMAX, 0), 2.0f);
    float t3[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, -INFINITY, INFINITY};
    ck_assert(agg_reduce_vec(t3, 11, 1, AS_FN_ABSMAX, 0) == -INFINITY);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agg");
    TCase *tp = tcase_create("pipeline");
    tcase_add_test(tp, parse_golden_keys_round_trip);
    tcase_add_test(tp, parse_canonical_forms);
    tcase_add_test(tp, parse_struct_contents);
    tcase_add_test(tp, parse_errors_and_positions);
    tcase_add_test(tp, completion_data);
    suite_add_tcase(s, tp);
    TCase *ta = tcase_create("aggregators");
    tcase_set_timeout(ta, 60);
    tcase_add_test(ta, functions_and_nan);
    tcase_add_test(ta, reduce_dims_and_errors);
    tcase_add_test(ta, scores_normalize_nan_and_zero_columns);
    tcase_add_test(ta, scores_rescale_all_zero_is_nan);
    tcase_add_test(ta, scores_functions_and_select_idx);
    tcase_add_test(ta, multidim_defaults_and_sequence_scores);
    tcase_add_test(ta, class_defaults);
    tcase_add_test(ta, spans_one_token_and_step_score_functions);
    tcase_add_test(ta, spans_at_attr_pos_start);
    tcase_add_test(ta, subwords_quirks);
    tcase_add_test(ta, split_modes);
    tcase_add_test(ta, regex_python_semantics);
    tcase_add_test(ta, pipeline_declared_defaults);
    tcase_add_test(ta, split_many_tokens);
    tcase_add_test(ta, slices_encdec_and_deconly);
    tcase_add_test(ta, pair_labels_values_and_errors);
    tcase_add_test(ta, pair_after_steps_and_shapes);
    tcase_add_test(ta, weight_attributions);
    tcase_add_test(ta, suggest_names);
    tcase_add_test(ta, minimum_maximum);
    tcase_add_test(ta, scores_dicts_deconly);
    tcase_add_test(ta, invalid_input_shapes);
    tcase_add_test(ta, cache_hits_identity_and_eviction);
    tcase_add_test(ta, apply_returns_copy_for_none);
    tcase_add_test(ta, threaded_reduction_matches);
    tcase_add_test(ta, contiguous_reductions_match_strided);
    suite_add_tcase(s, ta);
    return run_suite(s);
}
