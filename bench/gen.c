/* gen - writes a large, realistic inseq attribution file with the project's
 * writer, for benchmarks.
 *
 * Usage: gen OUT.json [--gzip] [--level N] [--src S] [--tgt T] [--dim D]
 *            [--decoder-only | --encoder-decoder] [--precision P]
 *            [--seqs N] [--noisy] [--no-sync] [--force]
 *
 * Default: one decoder-only granular sequence as a GPT-2 saliency run would
 * give: a prompt of S = 400 tokens, T = 200 generated tokens, embedding size
 * D = 1024, so target_attributions is (S + T, T, D) = (600, 200, 1024)
 * float32 (about 874 MB of JSON), NaN where row i >= S + j, and the step
 * score probability.  With --encoder-decoder, S source and T target tokens:
 * source (S, T, D) and target (T, T, D).  Only the attribution tensors are
 * held in memory (one in the default mode).  --seqs N writes N such
 * sequences (copies with their first token renamed "seqK"), as a dataset
 * run's files hold many.  --noisy scales every cell by its own random factor,
 * for a heatmap whose neighbouring cells mostly differ in color (the most a
 * screen of it costs to draw).  Prints the time spent generating and saving.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "save.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static inline uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Roughly N(0, 1): the sum of four 16-bit uniforms (Irwin-Hall), centred. */
static inline float approx_gauss(void)
{
    uint64_t r = next();
    uint32_t s = (uint32_t)(r & 0xffff) + (uint32_t)(r >> 16 & 0xffff) +
                 (uint32_t)(r >> 32 & 0xffff) + (uint32_t)(r >> 48);
    return ((float)s - 131070.0f) * (1.0f / 37837.0f);
}

static void fill_vector(float *v, size_t D, float scale)
{
    float bias = approx_gauss() * 0.3f;
    for (size_t d = 0; d < D; d++)
        v[d] = (approx_gauss() + bias) * scale;
}

/* GPT-2 byte-level pieces (U+0120 "Ġ" = space, U+010A "Ċ" = newline). */
#define SP "\xc4\xa0"
static const char *const gpt2_words[] = {
    "The", SP "model", SP "attribution", SP "of", SP "each", SP "token", SP "is", SP "computed",
    SP "with", SP "integrated", SP "gradients", ",", SP "and", SP "the", SP "results", SP "are",
    SP "saved", SP "to", SP "disk", ".", "\xc4\x8a", SP "In", SP "this", SP "paper", SP "we",
    SP "show", SP "that", SP "large", SP "language", SP "models", SP "can", SP "explain",
    SP "their", SP "predictions", SP "caf", "\xc3\x83\xc2\xa9", SP "Paris", SP "\xe2\x80\x9c",
    "quoted", "\xe2\x80\x9d", SP "2024", SP "-", "ing", SP "analysis",
};
#define NWORDS (sizeof gpt2_words / sizeof gpt2_words[0])

/* SentencePiece pieces for the encoder-decoder mode. */
#define W "\xe2\x96\x81"
static const char *const sp_words[] = {
    W "The", W "model", W "translates", W "each", W "sentence", ",", W "and", W "attrib",
    "ution", W "shows", W "which", W "words", W "matter", ".", W "Il", W "modello",
    W "traduce", W "ogni", W "frase", W "e", W "l", "'", W "attribu", "zione", W "mostra",
};
#define NSP (sizeof sp_words / sizeof sp_words[0])

static void make_tokens(as_tokens *t, size_t n, bool gpt2, uint64_t salt)
{
    t->n = n;
    t->v = calloc(n ? n : 1, sizeof *t->v);
    if (!t->v) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)((i * 2654435761u + salt) % (gpt2 ? NWORDS : NSP));
        t->v[i].text = strdup(gpt2 ? gpt2_words[k] : sp_words[k]);
        t->v[i].id = gpt2 ? (long long)(k * 1187 + 13) % 50257 : (long long)(k * 331 + 5);
    }
}

static as_tensor *new_tensor(int ndim, const size_t *shape)
{
    as_error e = {0};
    as_tensor *t = tensor_new(ndim, shape, &e);
    if (!t) {
        fprintf(stderr, "gen: %s\n", e.msg);
        exit(1);
    }
    return t;
}

static as_tensor *step_vector(size_t n, bool probability)
{
    size_t shape[1] = {n};
    as_tensor *t = new_tensor(1, shape);
    for (size_t i = 0; i < n; i++) {
        double u = (double)(next() >> 11) / 9007199254740992.0;
        t->data[i] = probability ? (float)(0.05 + 0.9 * u * u) : (float)(3.0 * u);
    }
    return t;
}

static bool noisy;

/* A cell's scale, or a random part of it with --noisy. */
static float cell_scale(double scale)
{
    if (!noisy)
        return (float)scale;
    double u = (double)(next() >> 11) / 9007199254740992.0;
    return (float)(scale * (0.02 + u));
}

static void usage(void)
{
    fprintf(stderr, "usage: gen OUT.json [--gzip] [--level N] [--src S] [--tgt T] [--dim D]\n"
                    "           [--decoder-only | --encoder-decoder] [--precision P]\n"
                    "           [--seqs N] [--noisy] [--no-sync] [--force]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    size_t S = 400, T = 200, D = 1024, N = 1;
    bool encdec = false;
    as_save_opts opts = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--gzip"))
            opts.compress = true;
        else if (!strcmp(a, "--level") && i + 1 < argc)
            opts.compress_level = atoi(argv[++i]);
        else if (!strcmp(a, "--src") && i + 1 < argc)
            S = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--tgt") && i + 1 < argc)
            T = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--seqs") && i + 1 < argc)
            N = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--dim") && i + 1 < argc)
            D = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--decoder-only"))
            encdec = false;
        else if (!strcmp(a, "--encoder-decoder"))
            encdec = true;
        else if (!strcmp(a, "--precision") && i + 1 < argc) {
            if (!as_precision_parse(argv[++i], &opts.precision)) {
                fprintf(stderr, "gen: unknown precision %s\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--noisy"))
            noisy = true;
        else if (!strcmp(a, "--no-sync"))
            opts.no_sync = true;
        else if (!strcmp(a, "--force"))
            opts.force = true;
        else if (a[0] == '-' || out)
            usage();
        else
            out = a;
    }
    if (!out || !T || !D || !N || (encdec && !S))
        usage();

    double t0 = now();
    as_output *o = calloc(1, sizeof *o);
    o->nseqs = 1;
    o->seqs = calloc(1, sizeof *o->seqs);
    o->steps_null = true;
    as_seq *s = &o->seqs[0];
    s->cls = AS_CLS_GRANULAR;
    s->class_name = strdup(attr_class_name(AS_CLS_GRANULAR));
    s->class_module = strdup("inseq.data.attribution");
    size_t rows; /* rows of target_attributions */
    size_t P;    /* row of the first generated token */
    if (encdec) {
        make_tokens(&s->source, S, false, 7);
        make_tokens(&s->target, T, false, 11);
        s->attr_pos_start = 0;
        rows = T;
        P = 0;
        size_t ss[3] = {S, T, D};
        s->source_attr = new_tensor(3, ss);
        for (size_t i = 0; i < S; i++)
            for (size_t j = 0; j < T; j++) {
                /* roughly monotonic alignment */
                double dist = fabs((double)i / (double)S - (double)j / (double)T) * 10.0;
                fill_vector(&s->source_attr->data[(i * T + j) * D], D,
                            cell_scale(0.05 + 0.8 * exp(-dist * dist)));
            }
    } else {
        P = S;
        rows = P + T;
        make_tokens(&s->target, rows, true, 3);
        s->source.n = P;
        s->source.v = calloc(P ? P : 1, sizeof *s->source.v);
        for (size_t i = 0; i < P; i++) {
            s->source.v[i].text = strdup(s->target.v[i].text);
            s->source.v[i].id = s->target.v[i].id;
        }
        s->attr_pos_start = (long)P;
    }
    s->attr_pos_end = (long)(P + T);
    size_t ts[3] = {rows, T, D};
    s->target_attr = new_tensor(3, ts);
    float *td = s->target_attr->data;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < T; j++) {
            float *v = &td[(i * T + j) * D];
            if (i >= P + j) {
                for (size_t d = 0; d < D; d++)
                    v[d] = NAN;
                continue;
            }
            /* recency, a sink on the first token, the rest small */
            double back = (double)(P + j - 1 - i);
            float scale = cell_scale(0.02 + 0.5 * exp(-back / 6.0) + (i == 0 ? 0.3 : 0.0));
            fill_vector(v, D, scale);
        }
    s->step_scores.n = 1;
    s->step_scores.v = calloc(1, sizeof *s->step_scores.v);
    s->step_scores.v[0].name = strdup("probability");
    s->step_scores.v[0].t = step_vector(T, true);

    const char *in_text = encdec ? "The model translates each sentence." : "The model attribution";
    o->info = json_pack(
        "{s:n, s:n, s:b, s:s, s:{}, s:{}, s:s, s:b, s:f, s:b, s:[s], s:{s:i}, s:b, s:[s], s:s,"
        " s:s, s:b, s:[s], s:{}, s:s, s:s}",
        "attr_pos_end", "attr_pos_start", "attribute_target", 1, "attributed_fn", "probability",
        "attributed_fn_args", "attribution_args", "attribution_method",
        encdec ? "integrated_gradients" : "saliency", "constrained_decoding", 0, "exec_time",
        412.5, "generate_from_target_prefix", 0, "generated_texts", "(generated text)",
        "generation_args", "max_new_tokens", (int)T, "include_eos_baseline", 0, "input_texts",
        in_text, "model_class", encdec ? "MarianMTModel" : "GPT2LMHeadModel", "model_name",
        encdec ? "Helsinki-NLP/opus-mt-en-it" : "gpt2", "output_step_attributions", 0,
        "step_scores", "probability", "step_scores_args", "tokenizer_class",
        encdec ? "MarianTokenizer" : "GPT2TokenizerFast", "tokenizer_name",
        encdec ? "Helsinki-NLP/opus-mt-en-it" : "gpt2");
    if (N > 1) {
        as_seq *all = realloc(o->seqs, N * sizeof *all);
        json_t *in = json_array(), *gen = json_array();
        if (!all || !in || !gen) {
            fprintf(stderr, "gen: out of memory\n");
            return 1;
        }
        o->seqs = all;
        as_error ce = {0};
        for (size_t k = 1; k < N; k++) {
            if (attr_seq_copy(&o->seqs[k], &o->seqs[0], &ce)) {
                fprintf(stderr, "gen: %s\n", ce.msg);
                return 1;
            }
            o->nseqs = k + 1;
            char name[32];
            snprintf(name, sizeof name, "seq%zu", k);
            free(o->seqs[k].target.v[0].text);
            o->seqs[k].target.v[0].text = strdup(name);
        }
        for (size_t k = 0; k < N; k++) {
            json_array_append_new(in, json_string(in_text));
            json_array_append_new(gen, json_string("(generated text)"));
        }
        json_object_set_new(o->info, "input_texts", in);
        json_object_set_new(o->info, "generated_texts", gen);
    }
    double t1 = now();

    as_error e = {0};
    int rc = as_save(o, out, &opts, &e);
    double t2 = now();
    attr_output_free(o);
    if (rc) {
        fprintf(stderr, "gen: %s\n", e.msg);
        return 1;
    }
    FILE *f = fopen(out, "rb");
    long long size = -1;
    if (f) {
        fseek(f, 0, SEEK_END);
        size = (long long)ftell(f);
        fclose(f);
    }
    printf("%s: %s (%zu, %zu, %zu)%s, %lld bytes; generated in %.2f s, saved in %.2f s "
           "(%.0f MB/s of output)\n",
           out, encdec ? "encoder-decoder" : "decoder-only", rows, T, D,
           opts.compress ? " gzip" : "", size, t1 - t0, t2 - t1,
           size > 0 ? (double)size / 1e6 / (t2 - t1) : 0.0);
    return 0;
}
