/* mkexample - writes the example file bundled into attrscope.
 *
 * Usage: mkexample OUT.json
 *
 * A small but realistic encoder-decoder run, as inseq would save it for a
 * MarianMT English -> Italian model attributed with integrated gradients:
 * two sequences with SentencePiece tokens (some words split into subwords),
 * granular source (S, T, D) and target (T, T, D) attributions with NaN where
 * a target token comes at or after the one being generated, and the step
 * scores probability and entropy.  The values come from a fixed-seed
 * generator shaped like real attributions: strong on the source words a
 * generated token translates and on the token just generated, weak
 * elsewhere.  The output is the same on every run and every machine.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "save.h"

#define DIM 32

/* xorshift64* and a Gaussian from the sum of uniforms (deterministic, no libm
 * differences between machines beyond the final float rounding). */
static uint64_t rng = 0x5eed1234abcdef01ull;

static double uniform(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
    double s = 0;
    for (int i = 0; i < 6; i++)
        s += uniform();
    return (s - 3.0) * sqrt(2.0);
}

typedef struct tok {
    const char *text;
    long long id;
} tok;

typedef struct example {
    const char *input, *generated;
    tok src[12], tgt[16];
    size_t S, T;
    /* align[j] lists the source tokens target token j translates (-1 ends) */
    int align[16][3];
    double prob[16];
} example;

/* SentencePiece pieces as the Marian tokenizer writes them: U+2581 marks a
 * word start; </s> (id 0) ends both sides. */
#define W "\xe2\x96\x81"

static const example examples[2] = {
    {
        "The cat sat on the mat.</s>",
        "Il gatto era seduto sul tappeto.</s>",
        {{W "The", 42}, {W "cat", 5761}, {W "sat", 18712}, {W "on", 34}, {W "the", 8},
         {W "mat", 21355}, {".", 3}, {"</s>", 0}},
        {{W "Il", 57}, {W "gatto", 11032}, {W "era", 230}, {W "seduto", 16420}, {W "sul", 437},
         {W "tappe", 30871}, {"to", 145}, {".", 3}, {"</s>", 0}},
        8, 9,
        {{0, -1}, {1, -1}, {2, -1}, {2, -1}, {3, 4, -1}, {5, -1}, {5, -1}, {6, -1}, {7, -1}},
        {0.82, 0.91, 0.47, 0.58, 0.73, 0.39, 0.97, 0.88, 0.99},
    },
    {
        "Attribution methods explain what the model sees.</s>",
        "I metodi di attribuzione spiegano cosa vede il modello.</s>",
        {{W "Attribu", 26311}, {"tion", 1030}, {W "methods", 5102}, {W "explain", 9731},
         {W "what", 95}, {W "the", 8}, {W "model", 2234}, {W "sees", 14302}, {".", 3},
         {"</s>", 0}},
        {{W "I", 24}, {W "metodi", 8874}, {W "di", 9}, {W "attribu", 27118}, {"zione", 1322},
         {W "spieg", 19233}, {"ano", 642}, {W "cosa", 1107}, {W "vede", 6120}, {W "il", 25},
         {W "modello", 4476}, {".", 3}, {"</s>", 0}},
        10, 13,
        {{2, -1}, {2, -1}, {0, 1, -1}, {0, -1}, {1, -1}, {3, -1}, {3, -1}, {4, -1}, {7, -1},
         {5, -1}, {6, -1}, {8, -1}, {9, -1}},
        {0.64, 0.71, 0.55, 0.43, 0.96, 0.52, 0.93, 0.68, 0.61, 0.77, 0.86, 0.94, 0.99},
    },
};

static as_tensor *new_tensor(int ndim, const size_t *shape)
{
    as_error e = {0};
    as_tensor *t = tensor_new(ndim, shape, &e);
    if (!t) {
        fprintf(stderr, "mkexample: %s\n", e.msg);
        exit(1);
    }
    return t;
}

static bool aligned(const example *ex, size_t i, size_t j)
{
    for (int k = 0; k < 3 && ex->align[j][k] >= 0; k++)
        if ((size_t)ex->align[j][k] == i)
            return true;
    return false;
}

/* One attribution vector of DIM values with the given overall strength:
 * Gaussian per dimension with a shared sign tendency, as IG gradients x
 * inputs tend to be. */
static void fill_vector(float *v, double strength)
{
    double bias = gauss() * 0.4;
    for (int d = 0; d < DIM; d++)
        v[d] = (float)(strength * (gauss() + bias) * 0.25);
}

static void set_tokens(as_tokens *dst, const tok *src, size_t n)
{
    dst->n = n;
    dst->v = calloc(n, sizeof *dst->v);
    for (size_t i = 0; i < n; i++) {
        dst->v[i].text = strdup(src[i].text);
        dst->v[i].id = src[i].id;
    }
}

static as_tensor *vector_tensor(const double *v, size_t n)
{
    size_t shape[1] = {n};
    as_tensor *t = new_tensor(1, shape);
    for (size_t i = 0; i < n; i++)
        t->data[i] = (float)v[i];
    return t;
}

static void build_seq(as_seq *s, const example *ex)
{
    size_t S = ex->S, T = ex->T;
    s->cls = AS_CLS_GRANULAR;
    s->class_name = strdup(attr_class_name(AS_CLS_GRANULAR));
    s->class_module = strdup("inseq.data.attribution");
    set_tokens(&s->source, ex->src, S);
    set_tokens(&s->target, ex->tgt, T);
    s->attr_pos_start = 0;
    s->attr_pos_end = (long)T;

    size_t ss[3] = {S, T, DIM}, ts[3] = {T, T, DIM};
    s->source_attr = new_tensor(3, ss);
    s->target_attr = new_tensor(3, ts);
    for (size_t j = 0; j < T; j++) {
        /* The source carries less weight late in the sentence, where the
         * prefix already tells much of what comes next. */
        double src_share = 1.0 - 0.5 * (double)j / (double)T;
        for (size_t i = 0; i < S; i++) {
            double st = 0.15 + 0.1 * uniform();
            if (aligned(ex, i, j))
                st = 1.2 + 0.6 * uniform();
            else if (i + 1 == S) /* </s> of the source: a mild sink */
                st += 0.2;
            fill_vector(&s->source_attr->data[(i * T + j) * DIM], st * src_share);
        }
        for (size_t i = 0; i < T; i++) {
            float *v = &s->target_attr->data[(i * T + j) * DIM];
            if (i >= j) {
                for (int d = 0; d < DIM; d++)
                    v[d] = NAN;
                continue;
            }
            double st = 0.1 + 0.1 * uniform();
            if (i + 1 == j) /* the token just generated */
                st = 0.5 + 0.4 * uniform();
            /* a subword continuing its word leans on the word start */
            if (i + 1 == j && strncmp(ex->tgt[j].text, W, 3) != 0)
                st += 0.8;
            fill_vector(v, st * (1.2 - src_share));
        }
    }

    double prob[16], ent[16];
    for (size_t j = 0; j < T; j++) {
        prob[j] = ex->prob[j];
        /* entropy of a plausible distribution with that top probability */
        double p = ex->prob[j];
        ent[j] = -p * log(p) - (1 - p) * log((1 - p) / 40.0) + 0.05 * uniform();
    }
    s->step_scores.n = 2;
    s->step_scores.v = calloc(2, sizeof *s->step_scores.v);
    s->step_scores.v[0].name = strdup("probability");
    s->step_scores.v[0].t = vector_tensor(prob, T);
    s->step_scores.v[1].name = strdup("entropy");
    s->step_scores.v[1].t = vector_tensor(ent, T);
}

static json_t *build_info(void)
{
    json_t *in = json_array(), *gen = json_array();
    for (int k = 0; k < 2; k++) {
        json_array_append_new(in, json_string(examples[k].input));
        json_array_append_new(gen, json_string(examples[k].generated));
    }
    return json_pack("{s:n, s:i, s:b, s:s, s:{}, s:{s:i, s:i}, s:s, s:b, s:f, s:b, s:o, s:{},"
                     " s:b, s:o, s:s, s:s, s:b, s:[s, s], s:{}, s:s, s:s}",
                     "attr_pos_end", "attr_pos_start", 0, "attribute_target", 1,
                     "attributed_fn", "probability", "attributed_fn_args",
                     "attribution_args", "internal_batch_size", 50, "n_steps", 50,
                     "attribution_method", "integrated_gradients", "constrained_decoding", 0,
                     "exec_time", 2.8731, "generate_from_target_prefix", 0,
                     "generated_texts", gen, "generation_args", "include_eos_baseline", 0,
                     "input_texts", in, "model_class", "MarianMTModel", "model_name",
                     "Helsinki-NLP/opus-mt-en-it", "output_step_attributions", 0,
                     "step_scores", "probability", "entropy", "step_scores_args",
                     "tokenizer_class", "MarianTokenizer", "tokenizer_name",
                     "Helsinki-NLP/opus-mt-en-it");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkexample OUT.json\n");
        return 2;
    }
    as_output *o = calloc(1, sizeof *o);
    o->nseqs = 2;
    o->seqs = calloc(2, sizeof *o->seqs);
    o->steps_null = true;
    for (int k = 0; k < 2; k++)
        build_seq(&o->seqs[k], &examples[k]);
    o->info = build_info();
    if (!o->info) {
        fprintf(stderr, "mkexample: cannot build info\n");
        return 1;
    }
    as_save_opts opts = {.force = true, .no_sync = true};
    as_error e = {0};
    int rc = as_save(o, argv[1], &opts, &e);
    attr_output_free(o);
    if (rc) {
        fprintf(stderr, "mkexample: %s\n", e.msg);
        return 1;
    }
    return 0;
}
