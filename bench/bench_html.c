/* bench_html.c - timings of the HTML writers, and the pages the browser test
 * opens.
 *
 *   bench_html time          heatmap page of a 600 x 200 target matrix and a
 *                            granular page of a (100, 50, 768) tensor
 *   bench_html pages DIR [FIXTURES]
 *                            writes heatmap.html, granular.html,
 *                            granular_f16.html, tokens.html and big.html
 *                            into DIR; with the fixtures directory also
 *                            fixture_*.html: granular pages of real files
 *
 * Synthetic values follow bench_value() so that a test can recompute them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "html.h"
#include "load.h"

static const char *const WORDS[] = {
    "\xe2\x96\x81" "The", "\xe2\x96\x81" "caf\xc3\xa9", "<img src=x onerror=alert(1)>", "\xe2\x96\x81in",
    "\xc4\xa0Paris", "&amp;", "\xe2\x96\x81\"quoted\"", "</script>", "\xe2\x96\x81serves", ".",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

/* The value at row i, column j, flattened extra index k. */
static float bench_value(size_t i, size_t j, size_t k)
{
    return (float)(sin((double)i * 0.37 + (double)j * 0.91 + (double)k * 0.13) *
                   (double)(1 + k % 5) / 3.0);
}

static void tokens(as_tokens *t, size_t n, size_t shift)
{
    t->n = n;
    t->v = calloc(n ? n : 1, sizeof *t->v);
    for (size_t i = 0; i < n; i++) {
        t->v[i].text = strdup(WORDS[(i + shift) % NWORDS]);
        t->v[i].id = (long long)i;
    }
}

static as_tensor *filled(int ndim, const size_t *shape, bool causal, size_t pos)
{
    as_tensor *t = tensor_new(ndim, shape, NULL);
    if (!t) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    size_t inner = 1;
    for (int d = 2; d < ndim; d++)
        inner *= shape[d];
    for (size_t i = 0; i < shape[0]; i++)
        for (size_t j = 0; j < shape[1]; j++)
            for (size_t k = 0; k < inner; k++)
                t->data[(i * shape[1] + j) * inner + k] =
                    causal && i >= pos + j ? NAN : bench_value(i, j, k);
    return t;
}

static void add_score(as_seq *s, const char *name, size_t g, double scale, double shift)
{
    size_t n = s->step_scores.n;
    s->step_scores.v = realloc(s->step_scores.v, (n + 1) * sizeof *s->step_scores.v);
    as_tensor *t = tensor_new(1, &g, NULL);
    for (size_t j = 0; j < g; j++)
        t->data[j] = (float)(scale * (0.5 + 0.5 * cos((double)j * 1.7)) + shift);
    s->step_scores.v[n].name = strdup(name);
    s->step_scores.v[n].t = t;
    s->step_scores.n = n + 1;
}

/* An encoder-decoder sequence: S source tokens, G generated; extra dims
 * (ndim - 2 of them, sizes in extra). */
static void make_encdec(as_seq *s, as_class cls, size_t S, size_t G, int nextra,
                        const size_t *extra)
{
    memset(s, 0, sizeof *s);
    s->cls = cls;
    tokens(&s->source, S, 0);
    tokens(&s->target, G, 3);
    s->attr_pos_start = 0;
    s->attr_pos_end = (long)G;
    size_t shape[AS_MAX_DIMS] = {S, G};
    for (int d = 0; d < nextra; d++)
        shape[2 + d] = extra[d];
    s->source_attr = filled(2 + nextra, shape, false, 0);
    shape[0] = G;
    s->target_attr = filled(2 + nextra, shape, true, 0);
    add_score(s, "probability", G, 0.9, 0.05);
}

/* A decoder-only sequence: P prompt tokens then G generated. */
static void make_deconly(as_seq *s, as_class cls, size_t P, size_t G, int nextra,
                         const size_t *extra)
{
    memset(s, 0, sizeof *s);
    s->cls = cls;
    tokens(&s->source, P, 1);
    tokens(&s->target, P + G, 1);
    s->attr_pos_start = (long)P;
    s->attr_pos_end = (long)(P + G);
    size_t shape[AS_MAX_DIMS] = {P + G, G};
    for (int d = 0; d < nextra; d++)
        shape[2 + d] = extra[d];
    s->target_attr = filled(2 + nextra, shape, true, P);
    add_score(s, "probability", G, 0.9, 0.05);
    add_score(s, "entropy", G, 3.0, -0.4);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int write_page(const char *dir, const char *name, int kind, const as_seq *const *seqs,
                      size_t n, const void *opts, double *secs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    html_out o;
    html_out_file(&o, f);
    as_error err = {0};
    double t0 = now();
    int rc = kind == 0   ? html_heatmap_page(&o, seqs, n, opts, &err)
             : kind == 1 ? html_granular_page(&o, seqs, n, opts, &err)
                         : html_tokens_page(&o, seqs, n, opts, &err);
    if (!rc)
        rc = html_out_flush(&o, &err);
    if (secs)
        *secs = now() - t0;
    html_out_free(&o);
    fclose(f);
    if (rc) {
        fprintf(stderr, "%s: %s\n", path, err.msg);
        return 1;
    }
    return 0;
}

/* Granular pages of real inseq files, as they are (no aggregation). */
static int fixture_pages(const char *dir, const char *fixtures)
{
    static const char *const files[][2] = {
        {"inseq/deconly_attention_multidim.json", "fixture_multidim.html"},
        {"inseq/encdec_ig_granular.json", "fixture_granular.html"},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", fixtures, files[i][0]);
        as_error err = {0};
        as_output *out = as_load_file(path, NULL, &err);
        if (!out) {
            fprintf(stderr, "%s\n", err.msg);
            rc = 1;
            continue;
        }
        const as_seq **ptrs = calloc(out->nseqs + 1, sizeof *ptrs);
        for (size_t k = 0; k < out->nseqs; k++)
            ptrs[k] = &out->seqs[k];
        rc |= write_page(dir, files[i][1], 1, ptrs, out->nseqs, NULL, NULL);
        free(ptrs);
        attr_output_free(out);
    }
    return rc;
}

static int cmd_pages(const char *dir, const char *fixtures)
{
    as_seq a, b, c, big;
    size_t d24 = 24, lh[2] = {4, 6}, d768 = 768;
    make_encdec(&a, AS_CLS_GRANULAR, 6, 5, 1, &d24);
    make_deconly(&b, AS_CLS_MULTIDIM, 4, 5, 2, lh);
    make_encdec(&c, AS_CLS_COARSE, 7, 9, 0, NULL);
    make_encdec(&big, AS_CLS_GRANULAR, 100, 50, 1, &d768);
    tensor_free(big.target_attr); /* the big page shows one (100, 50, 768) tensor */
    big.target_attr = NULL;
    int rc = 0;
    const as_seq *gran[2] = {&a, &b};
    rc |= write_page(dir, "granular.html", 1, gran, 2, NULL, NULL);
    html_granular_opts half = {0};
    half.float16 = true;
    rc |= write_page(dir, "granular_f16.html", 1, gran, 1, &half, NULL);
    const as_seq *coarse[1] = {&c};
    rc |= write_page(dir, "heatmap.html", 0, coarse, 1, NULL, NULL);
    html_tokens_opts to = {0};
    static const html_replace rep[] = {{"\xe2\x96\x81", " "}, {"\xc4\xa0", " "}};
    to.replace = rep;
    to.nreplace = 2;
    to.step_score = "probability";
    to.wrap_every = 4;
    as_seq d; /* the tokens view needs 2D input */
    make_deconly(&d, AS_CLS_COARSE, 4, 6, 0, NULL);
    const as_seq *toks[2] = {&c, &d};
    rc |= write_page(dir, "tokens.html", 2, toks, 2, &to, NULL);
    const as_seq *bigs[1] = {&big};
    double secs;
    rc |= write_page(dir, "big.html", 1, bigs, 1, NULL, &secs);
    attr_seq_free(&a);
    attr_seq_free(&b);
    attr_seq_free(&c);
    attr_seq_free(&d);
    attr_seq_free(&big);
    if (fixtures)
        rc |= fixture_pages(dir, fixtures);
    return rc;
}

static int cmd_time(void)
{
    /* Heatmap: decoder-only, 600 target tokens, 200 generated. */
    as_seq s;
    make_deconly(&s, AS_CLS_COARSE, 400, 200, 0, NULL);
    const as_seq *one[1] = {&s};
    FILE *f = fopen("/dev/null", "wb");
    if (!f)
        return 1;
    double best = 1e9;
    size_t bytes = 0;
    for (int rep = 0; rep < 5; rep++) {
        html_out o;
        html_out_file(&o, f);
        as_error err = {0};
        double t0 = now();
        int rc = html_heatmap_page(&o, one, 1, NULL, &err);
        if (!rc)
            rc = html_out_flush(&o, &err);
        double t = now() - t0;
        bytes = o.total;
        html_out_free(&o);
        if (rc) {
            fprintf(stderr, "heatmap: %s\n", err.msg);
            return 1;
        }
        if (t < best)
            best = t;
    }
    printf("heatmap 600x200 target matrix: %.4f s (%zu bytes)\n", best, bytes);
    attr_seq_free(&s);

    as_seq g;
    size_t d768 = 768;
    make_encdec(&g, AS_CLS_GRANULAR, 100, 50, 1, &d768);
    tensor_free(g.target_attr);
    g.target_attr = NULL;
    one[0] = &g;
    best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        html_out o;
        html_out_file(&o, f);
        as_error err = {0};
        double t0 = now();
        int rc = html_granular_page(&o, one, 1, NULL, &err);
        if (!rc)
            rc = html_out_flush(&o, &err);
        double t = now() - t0;
        bytes = o.total;
        html_out_free(&o);
        if (rc) {
            fprintf(stderr, "granular: %s\n", err.msg);
            return 1;
        }
        if (t < best)
            best = t;
    }
    printf("granular (100, 50, 768) page: %.4f s (%zu bytes)\n", best, bytes);
    attr_seq_free(&g);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "time"))
        return cmd_time();
    if (argc >= 3 && !strcmp(argv[1], "pages"))
        return cmd_pages(argv[2], argc >= 4 ? argv[3] : NULL);
    fprintf(stderr, "usage: bench_html time | bench_html pages DIR [FIXTURES]\n");
    return 2;
}
