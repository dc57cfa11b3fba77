/* Writer tests: re-saving the fixtures gives inseq's bytes, precisions and
 * compression round-trip, and no failure ever damages an existing file. */
#define _GNU_SOURCE /* unshare */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "fp.h"
#include "load.h"
#include "save.h"
#include "testutil.h"

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/as_save_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            chmod(p, 0755);
            rm_rf(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

static void setup(void) { make_tmpdir(); }
static void teardown(void) { rm_rf(tmpdir); }

static const char *tpath(const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static as_output *must_load(const char *path)
{
    as_error e = {0};
    as_output *o = as_load_file(path, NULL, &e);
    ck_assert_msg(o != NULL, "loading %s: %s", path, e.msg);
    return o;
}

static void must_save(const as_output *o, const char *path, const as_save_opts *opts)
{
    as_error e = {0};
    int rc = as_save(o, path, opts, &e);
    ck_assert_msg(rc == AS_OK, "saving %s: %s", path, e.msg);
}

static void write_text(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(s, f);
    fclose(f);
}

static void assert_file_text(const char *path, const char *want)
{
    size_t n;
    char *got = read_file_all(path, &n);
    ck_assert_msg(got != NULL, "%s is missing", path);
    ck_assert_str_eq(got, want);
    free(got);
}

static void assert_same_bytes(const char *got_path, const char *want_path)
{
    size_t gl, wl;
    char *got = read_file_all(got_path, &gl);
    char *want = read_file_all(want_path, &wl);
    ck_assert_msg(got && want, "cannot read %s or %s", got_path, want_path);
    size_t i = 0;
    while (i < gl && i < wl && got[i] == want[i])
        i++;
    ck_assert_msg(gl == wl && i == gl, "%s differs from %s at byte %zu (sizes %zu, %zu)",
                  got_path, want_path, i, gl, wl);
    free(got);
    free(want);
}

/* Names in tmpdir (or a subdirectory) other than those expected. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* A hand-built output: one encoder-decoder granular sequence. */
static as_tensor *tensor_fill(int ndim, const size_t *shape, unsigned seed)
{
    as_error e = {0};
    as_tensor *t = tensor_new(ndim, shape, &e);
    ck_assert_msg(t != NULL, "%s", e.msg);
    size_t n = tensor_numel(t);
    unsigned s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        t->data[i] = ((float)((s >> 8) & 0xffff) - 32768.0f) / 4096.0f;
    }
    return t;
}

static void tokens_set(as_tokens *t, const char *const *text, size_t ntext, size_t n)
{
    t->v = calloc(n ? n : 1, sizeof *t->v);
    t->n = n;
    for (size_t i = 0; i < n; i++) {
        t->v[i].text = strdup(text[i % ntext]);
        t->v[i].id = (long long)i * 7 - 1;
    }
}

static as_output *make_output(size_t S, size_t T, size_t D)
{
    static const char *const src[] = {"\xe2\x96\x81Hello", "\xe2\x96\x81w\xc3\xb6rld", ",",
                                      "\"quoted\"", "tab\there", "</s>"};
    static const char *const tgt[] = {"\xe2\x96\x81" "Ciao", "\xe2\x96\x81mondo", "\xf0\x9f\x98\x80",
                                      "\\", "!", "</s>"};
    as_output *o = calloc(1, sizeof *o);
    o->nseqs = 1;
    o->seqs = calloc(1, sizeof *o->seqs);
    o->steps_null = true;
    as_seq *s = &o->seqs[0];
    s->cls = AS_CLS_GRANULAR;
    tokens_set(&s->source, src, 6, S);
    tokens_set(&s->target, tgt, 6, T);
    s->attr_pos_start = 0;
    s->attr_pos_end = (long)T;
    size_t ss[3] = {S, T, D}, ts[3] = {T, T, D};
    s->source_attr = tensor_fill(3, ss, 1);
    s->target_attr = tensor_fill(3, ts, 2);
    for (size_t i = 0; i < T; i++)
        for (size_t j = 0; j <= i && j < T; j++)
            for (size_t d = 0; d < D; d++)
                s->target_attr->data[(i * T + j) * D + d] = NAN;
    s->step_scores.n = 1;
    s->step_scores.v = calloc(1, sizeof *s->step_scores.v);
    s->step_scores.v[0].name = strdup("probability");
    size_t ps[1] = {T};
    s->step_scores.v[0].t = tensor_fill(1, ps, 3);
    o->info = json_pack("{s:s, s:[s], s:[s], s:f, s:i}", "model_name", "m", "input_texts", "x",
                        "generated_texts", "y", "exec_time", 0.5, "n", 3);
    return o;
}

static void assert_tensor_bits_eq(const as_tensor *a, const as_tensor *b)
{
    ck_assert((a == NULL) == (b == NULL));
    if (!a)
        return;
    ck_assert(tensor_same_shape(a, b));
    size_t n = tensor_numel(a);
    for (size_t i = 0; i < n; i++) {
        if (isnan(a->data[i]) && isnan(b->data[i]))
            continue;
        ck_assert_msg(a->data[i] == b->data[i], "element %zu: %.9g vs %.9g", i, a->data[i],
                      b->data[i]);
    }
}

/* ---- byte-for-byte against inseq's own files ------------------------- */

static const struct {
    const char *from;      /* fixture loaded */
    const char *opts;      /* z: compress, h: float16, 8: float8, s: split */
    const char *want;      /* fixture the output must equal ("%d" for split parts) */
} exact_cases[] = {
    {"encdec_ig_granular.json", "", "encdec_ig_granular.json"},
    {"deconly_saliency_granular.json", "", "deconly_saliency_granular.json"},
    {"deconly_attention_multidim.json", "", "deconly_attention_multidim.json"},
    {"encdec_base_sourceonly.json", "", "encdec_base_sourceonly.json"},
    {"encdec_occlusion_coarse.json", "", "encdec_occlusion_coarse.json"},
    {"encdec_pair_coarse.json", "", "encdec_pair_coarse.json"},
    {"encdec_saliency_with_steps.json", "", "encdec_saliency_with_steps.json"},
    {"encdec_ig_granular.json", "z", "encdec_ig_granular.json.gz"},
    {"encdec_ig_granular.json.gz", "z", "encdec_ig_granular.json.gz"},
    {"deconly_saliency_granular.json", "z", "deconly_saliency_granular.json.gz"},
    {"encdec_ig_granular.json", "h", "encdec_ig_granular_f16.json"},
    {"encdec_ig_granular_f16.json", "h", "encdec_ig_granular_f16.json"},
    {"encdec_ig_granular.json", "8", "encdec_ig_granular_f8.json"},
    {"encdec_ig_granular_f8.json", "8", "encdec_ig_granular_f8.json"},
    {"encdec_occlusion_coarse.json", "zh", "encdec_occlusion_coarse_f16.json.gz"},
    {"encdec_occlusion_coarse_f16.json.gz", "zh", "encdec_occlusion_coarse_f16.json.gz"},
    {"encdec_ig_granular.json", "s", "encdec_ig_granular_split_%d.json"},
    /* Split parts loaded together save back as the whole file. */
    {"encdec_ig_granular_split_0.json+encdec_ig_granular_split_1.json", "",
     "encdec_ig_granular.json"},
};

START_TEST(resave_matches_inseq_bytes)
{
    char from[512];
    snprintf(from, sizeof from, "%s", exact_cases[_i].from);
    as_output *o;
    char *plus = strchr(from, '+');
    if (plus) {
        *plus = '\0';
        char a[1024], b[1024], ra[600], rb[600];
        snprintf(ra, sizeof ra, "inseq/%s", from);
        snprintf(rb, sizeof rb, "inseq/%s", plus + 1);
        snprintf(a, sizeof a, "%s", fixture(ra));
        snprintf(b, sizeof b, "%s", fixture(rb));
        const char *paths[2] = {a, b};
        as_error e = {0};
        o = as_load_files(paths, 2, NULL, &e);
        ck_assert_msg(o != NULL, "%s", e.msg);
    } else {
        char rel[600];
        snprintf(rel, sizeof rel, "inseq/%s", from);
        o = must_load(fixture(rel));
    }
    const char *f = exact_cases[_i].opts;
    as_save_opts opts = {0};
    opts.compress = strchr(f, 'z') != NULL;
    opts.split = strchr(f, 's') != NULL;
    opts.precision = strchr(f, 'h') ? AS_PREC_FLOAT16 : strchr(f, '8') ? AS_PREC_FLOAT8
                                                                       : AS_PREC_FLOAT32;
    opts.no_sync = true;
    const char *out = tpath(opts.split ? "out.json" : "out");
    must_save(o, out, &opts);
    if (opts.split) {
        for (size_t i = 0; i < o->nseqs; i++) {
            char want[256], rel[300], got[64];
            snprintf(want, sizeof want, exact_cases[_i].want, (int)i);
            snprintf(rel, sizeof rel, "inseq/%s", want);
            snprintf(got, sizeof got, "out_%zu.json", i);
            assert_same_bytes(tpath(got), fixture(rel));
        }
        ck_assert_int_eq(count_entries(tmpdir), (int)o->nseqs);
    } else {
        char rel[300];
        snprintf(rel, sizeof rel, "inseq/%s", exact_cases[_i].want);
        assert_same_bytes(out, fixture(rel));
        ck_assert_int_eq(count_entries(tmpdir), 1);
    }
    attr_output_free(o);
}
END_TEST

/* ---- precision, compression, round trips ----------------------------- */

START_TEST(precisions_round_trip)
{
    static const as_precision precs[] = {AS_PREC_FLOAT32, AS_PREC_FLOAT16, AS_PREC_FLOAT8,
                                         AS_PREC_BFLOAT16};
    static const char *const dtypes[] = {"F32", "F16", "F8_E4M3", "BF16"};
    as_output *o = make_output(5, 6, 7);
    for (size_t k = 0; k < 4; k++) {
        as_save_opts opts = {.precision = precs[k], .force = true, .no_sync = true};
        const char *p = tpath("prec.json");
        must_save(o, p, &opts);
        as_output *back = must_load(p);
        const as_tensor *a = o->seqs[0].source_attr, *b = back->seqs[0].source_attr;
        ck_assert(tensor_same_shape(a, b));
        ck_assert_str_eq(b->dtype, dtypes[k]);
        for (size_t i = 0; i < tensor_numel(a); i++) {
            float x = a->data[i], want = x;
            if (precs[k] == AS_PREC_FLOAT16)
                want = as_f16_to_f32(as_f32_to_f16(x));
            else if (precs[k] == AS_PREC_FLOAT8)
                want = as_f8e4m3_to_f32(as_f32_to_f8e4m3(x));
            else if (precs[k] == AS_PREC_BFLOAT16)
                want = as_bf16_to_f32(as_f32_to_bf16(x));
            ck_assert_msg(b->data[i] == want || (isnan(want) && isnan(b->data[i])),
                          "%s element %zu: %g, want %g", dtypes[k], i, b->data[i], want);
        }
        /* NaN stays NaN in every precision */
        ck_assert(isnan(back->seqs[0].target_attr->data[0]));
        ck_assert_str_eq(back->seqs[0].step_scores.v[0].t->dtype, dtypes[k]);
        attr_output_free(back);
    }
    attr_output_free(o);
}
END_TEST

START_TEST(hand_built_output_round_trips)
{
    as_output *o = make_output(6, 6, 3);
    as_save_opts opts = {.no_sync = true};
    must_save(o, tpath("h.json"), &opts);
    as_output *back = must_load(tpath("h.json"));
    ck_assert_uint_eq(back->nseqs, 1);
    const as_seq *a = &o->seqs[0], *b = &back->seqs[0];
    ck_assert_int_eq(b->cls, AS_CLS_GRANULAR);
    ck_assert_str_eq(b->class_name, "GranularFeatureAttributionSequenceOutput");
    for (size_t i = 0; i < a->source.n; i++) {
        ck_assert_str_eq(a->source.v[i].text, b->source.v[i].text);
        ck_assert_int_eq(a->source.v[i].id, b->source.v[i].id);
    }
    for (size_t i = 0; i < a->target.n; i++)
        ck_assert_str_eq(a->target.v[i].text, b->target.v[i].text);
    assert_tensor_bits_eq(a->source_attr, b->source_attr);
    assert_tensor_bits_eq(a->target_attr, b->target_attr);
    assert_tensor_bits_eq(a->step_scores.v[0].t, b->step_scores.v[0].t);
    ck_assert(json_equal(o->info, back->info));
    ck_assert(back->steps_null);
    /* escapes as Python writes them */
    size_t n;
    char *text = read_file_all(tpath("h.json"), &n);
    ck_assert_ptr_nonnull(strstr(text, "\"token\": \"\\u2581w\\u00f6rld\""));
    ck_assert_ptr_nonnull(strstr(text, "\"token\": \"\\\"quoted\\\"\""));
    ck_assert_ptr_nonnull(strstr(text, "\"token\": \"tab\\there\""));
    ck_assert_ptr_nonnull(strstr(text, "\"token\": \"\\ud83d\\ude00\""));
    ck_assert_ptr_nonnull(strstr(text, "\"exec_time\": 0.5,"));
    free(text);
    attr_output_free(back);
    attr_output_free(o);
}
END_TEST

/* Inflates a whole gzip file (NUL-terminated for convenience). */
static char *gunzip_file(const char *path, size_t *out_len)
{
    size_t n;
    char *z = read_file_all(path, &n);
    ck_assert_ptr_nonnull(z);
    size_t cap = n * 8 + 1024, len = 0;
    char *out = malloc(cap);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(inflateInit2(&zs, 16 + 15), Z_OK);
    zs.next_in = (unsigned char *)z;
    zs.avail_in = (uInt)n;
    int rc;
    do {
        if (len == cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        zs.next_out = (unsigned char *)out + len;
        zs.avail_out = (uInt)(cap - len);
        rc = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
    } while (rc == Z_OK);
    ck_assert_int_eq(rc, Z_STREAM_END);
    ck_assert_uint_eq(zs.avail_in, 0);
    inflateEnd(&zs);
    free(z);
    out = realloc(out, len + 1);
    out[len] = '\0';
    *out_len = len;
    return out;
}

/* Several MB: the text crosses many buffers and goes through the thread. */
START_TEST(large_output_plain_and_gzip)
{
    as_output *o = make_output(120, 100, 96); /* ~ 4.6 + 3.8 MB of floats */
    as_save_opts plain = {.no_sync = true};
    as_save_opts gz = {.compress = true, .compress_level = 1, .no_sync = true};
    must_save(o, tpath("big.json"), &plain);
    must_save(o, tpath("big.json.gz"), &gz);
    size_t zl, pl;
    char *raw = read_file_all(tpath("big.json.gz"), &zl);
    ck_assert_uint_ge(zl, 10);
    ck_assert_uint_eq((unsigned char)raw[0], 0x1f);
    ck_assert_uint_eq((unsigned char)raw[1], 0x8b);
    ck_assert_uint_eq((unsigned char)raw[8], 4); /* XFL of level 1, as Python */
    ck_assert_uint_eq((unsigned char)raw[9], 0xff);
    free(raw);
    char *inflated = gunzip_file(tpath("big.json.gz"), &zl);
    char *text = read_file_all(tpath("big.json"), &pl);
    ck_assert_uint_gt(pl, (size_t)10 << 20);
    ck_assert_uint_eq(zl, pl);
    ck_assert(memcmp(inflated, text, pl) == 0);
    free(inflated);
    free(text);
    as_output *back = must_load(tpath("big.json.gz"));
    assert_tensor_bits_eq(o->seqs[0].source_attr, back->seqs[0].source_attr);
    assert_tensor_bits_eq(o->seqs[0].target_attr, back->seqs[0].target_attr);
    attr_output_free(back);
    attr_output_free(o);
}
END_TEST

START_TEST(step_attributions_round_trip)
{
    as_output *o = must_load(fixture("inseq/encdec_saliency_with_steps.json"));
    /* A compressible step tensor is stored as b64.gz in a plain file. */
    as_tensor *t = o->steps[1].source_attr;
    memset(t->data, 0, tensor_numel(t) * sizeof(float));
    as_save_opts opts = {.no_sync = true};
    must_save(o, tpath("steps.json"), &opts);
    size_t n;
    char *text = read_file_all(tpath("steps.json"), &n);
    ck_assert_ptr_nonnull(strstr(text, "\"__ndarray__\": \"b64.gz:H4sIAAAAAAAC/"));
    free(text);
    as_output *back = must_load(tpath("steps.json"));
    ck_assert_uint_eq(back->nsteps, o->nsteps);
    for (size_t i = 0; i < o->nsteps; i++) {
        assert_tensor_bits_eq(o->steps[i].source_attr, back->steps[i].source_attr);
        assert_tensor_bits_eq(o->steps[i].target_attr, back->steps[i].target_attr);
        ck_assert_str_eq(o->steps[i].class_name, back->steps[i].class_name);
    }
    attr_output_free(back);
    /* In a compressed file the step tensors stay b64 (as inseq). */
    opts.compress = true;
    must_save(o, tpath("steps.json.gz"), &opts);
    text = gunzip_file(tpath("steps.json.gz"), &n);
    ck_assert_ptr_null(strstr(text, "b64.gz:"));
    free(text);
    attr_output_free(o);
}
END_TEST

START_TEST(split_parts_and_names)
{
    static const struct { const char *in; size_t i; bool gz; const char *out; } t[] = {
        {"out.json", 0, false, "out_0.json"},       {"out.json", 12, true, "out_12.json.gz"},
        {"out.json.gz", 1, true, "out_1.json.gz"}, {"out.json.gz", 1, false, "out_1.json"},
        {"out", 0, false, "out_0.json"},           {"d.json/x.json", 2, false, "d.json/x_2.json"},
        {"a.gz", 0, true, "a_0.json.gz"},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        char *p = as_save_split_path(t[k].in, t[k].i, t[k].gz);
        ck_assert_str_eq(p, t[k].out);
        free(p);
    }
    /* info cut to each part; compressed parts get .gz */
    as_output *o = must_load(fixture("inseq/encdec_ig_granular.json"));
    as_save_opts opts = {.split = true, .compress = true, .no_sync = true};
    must_save(o, tpath("parts.json.gz"), &opts);
    ck_assert_int_eq(count_entries(tmpdir), 2);
    for (size_t i = 0; i < 2; i++) {
        char name[64];
        snprintf(name, sizeof name, "parts_%zu.json.gz", i);
        as_output *p = must_load(tpath(name));
        ck_assert_uint_eq(p->nseqs, 1);
        json_t *in = json_object_get(p->info, "input_texts");
        ck_assert_uint_eq(json_array_size(in), 1);
        ck_assert(json_equal(json_array_get(in, 0),
                             json_array_get(json_object_get(o->info, "input_texts"), i)));
        attr_output_free(p);
    }
    attr_output_free(o);
}
END_TEST

/* ---- safety ------------------------------------------------------------ */

START_TEST(refuses_to_overwrite_without_force)
{
    as_output *o = make_output(3, 3, 2);
    const char *p = tpath("exists.json");
    write_text(p, "original");
    as_error e = {0};
    as_save_opts opts = {.no_sync = true};
    ck_assert_int_eq(as_save(o, p, &opts, &e), AS_EUSAGE);
    ck_assert_ptr_nonnull(strstr(e.msg, p));
    ck_assert_ptr_nonnull(strstr(e.msg, "already exists"));
    assert_file_text(p, "original");
    ck_assert_int_eq(count_entries(tmpdir), 1);
    opts.force = true;
    chmod(p, 0640);
    must_save(o, p, &opts);
    as_output *back = must_load(p);
    attr_output_free(back);
    ck_assert_int_eq(count_entries(tmpdir), 1);
    struct stat sb;
    ck_assert_int_eq(stat(p, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 0777, 0640); /* the replaced file's permissions */
    /* force never replaces a directory */
    mkdir(tpath("adir"), 0755);
    ck_assert_int_eq(as_save(o, tpath("adir"), &opts, &e), AS_EUSAGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "directory"));
    attr_output_free(o);
}
END_TEST

START_TEST(split_refuses_when_any_part_exists)
{
    as_output *o = must_load(fixture("inseq/encdec_ig_granular.json"));
    write_text(tpath("s_1.json"), "keep");
    as_error e = {0};
    as_save_opts opts = {.split = true, .no_sync = true};
    ck_assert_int_eq(as_save(o, tpath("s.json"), &opts, &e), AS_EUSAGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "s_1.json"));
    ck_assert_int_eq(count_entries(tmpdir), 1); /* s_0.json not written either */
    assert_file_text(tpath("s_1.json"), "keep");
    attr_output_free(o);
}
END_TEST

START_TEST(bad_options_and_missing_directory)
{
    as_output *o = make_output(2, 2, 1);
    as_error e = {0};
    as_save_opts opts = {.compress = true, .compress_level = 12};
    ck_assert_int_eq(as_save(o, tpath("x.json"), &opts, &e), AS_EUSAGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "level"));
    as_save_opts plain = {0};
    ck_assert_int_eq(as_save(o, "", &plain, &e), AS_EUSAGE);
    ck_assert_int_eq(as_save(o, tpath("no/such/dir/x.json"), &plain, &e), AS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "x.json"));
    ck_assert_ptr_nonnull(strstr(e.msg, "No such file or directory"));
    as_precision p;
    ck_assert(as_precision_parse("float16", &p) && p == AS_PREC_FLOAT16);
    ck_assert(as_precision_parse("float8", &p) && p == AS_PREC_FLOAT8);
    ck_assert(as_precision_parse("FLOAT32", &p) && p == AS_PREC_FLOAT32);
    ck_assert(!as_precision_parse("float64", &p));
    attr_output_free(o);
}
END_TEST

/* Runs fn in a child process (so that user ids, limits and mounts stay
 * there).  The child writes a message and exits 0 (passed), 77 (cannot be
 * set up here: skipped) or 1 (failed). */
static int run_child(int (*fn)(char *msg, size_t cap), char *msg, size_t cap)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        char m[1024] = "";
        int rc = fn(m, sizeof m);
        ssize_t wr = write(fds[1], m, strlen(m));
        (void)wr;
        close(fds[1]);
        _exit(rc);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], msg, cap - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

#define CHILD_CHECK(cond, ...)                                                             \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            snprintf(msg, cap, __VA_ARGS__);                                               \
            rc = 1;                                                                        \
            goto out;                                                                      \
        }                                                                                  \
    } while (0)

/* The existing file must be intact and no temporary file left behind. */
static int check_failed_save(const char *dir, const char *path, int code, const char *cause,
                             char *msg, size_t cap)
{
    int rc = 0;
    as_output *o = make_output(64, 64, 64); /* about 2 MB of text */
    as_error e = {0};
    as_save_opts opts = {.force = true};
    int got = as_save(o, path, &opts, &e);
    CHILD_CHECK(got == code, "as_save returned %d (%s), expected %d", got, e.msg, code);
    CHILD_CHECK(strstr(e.msg, path) != NULL, "message does not name the file: %s", e.msg);
    CHILD_CHECK(strstr(e.msg, cause) != NULL, "message does not give the cause: %s", e.msg);
    size_t n;
    char *text = read_file_all(path, &n);
    CHILD_CHECK(text && !strcmp(text, "original"), "the original file changed");
    free(text);
    int entries = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            entries++;
    if (d)
        closedir(d);
    CHILD_CHECK(entries == 1, "%d entries left in %s", entries, dir);
    snprintf(msg, cap, "%s", e.msg);
out:
    attr_output_free(o);
    return rc;
}

static int child_unwritable_dir(char *msg, size_t cap)
{
    const char *dir = tpath("ro");
    const char *path = tpath("ro/keep.json");
    if (mkdir(dir, 0755) != 0)
        return snprintf(msg, cap, "mkdir failed"), 1;
    write_text(path, "original");
    chmod(dir, 0555);
    if (geteuid() == 0) {
        chmod(tmpdir, 0755);
        chmod(path, 0644);
        /* root ignores permissions: continue as an ordinary user */
        if (setgid(65534) != 0 || setuid(65534) != 0)
            return snprintf(msg, cap, "cannot drop root privileges"), 77;
    }
    return check_failed_save(dir, path, AS_EIO, "Permission denied", msg, cap);
}

static int child_file_size_limit(char *msg, size_t cap)
{
    const char *path = tpath("keep.json");
    write_text(path, "original");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_FSIZE, &rl);
    rl.rlim_cur = 256 * 1024;
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return snprintf(msg, cap, "cannot set RLIMIT_FSIZE"), 77;
    return check_failed_save(tmpdir, path, AS_EIO, "File too large", msg, cap);
}

static int child_no_space(char *msg, size_t cap)
{
    const char *dir = tpath("small");
    if (mkdir(dir, 0755) != 0)
        return snprintf(msg, cap, "mkdir failed"), 1;
    if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0)
        return snprintf(msg, cap, "cannot mount a small tmpfs here: %s", strerror(errno)), 77;
    const char *path = tpath("small/keep.json");
    write_text(path, "original");
    int rc = check_failed_save(dir, path, AS_EIO, "No space left on device", msg, cap);
    umount(dir);
    return rc;
}

START_TEST(failures_keep_the_original)
{
    static const struct { const char *what; int (*fn)(char *, size_t); } cases[] = {
        {"unwritable directory", child_unwritable_dir},
        {"file size limit (EFBIG)", child_file_size_limit},
        {"full file system (ENOSPC)", child_no_space},
    };
    char msg[1024];
    int rc = run_child(cases[_i].fn, msg, sizeof msg);
    if (rc == 77) {
        fprintf(stderr, "test_save: skipped %s: %s\n", cases[_i].what, msg);
        return;
    }
    ck_assert_msg(rc == 0, "%s: %s", cases[_i].what, msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("save");
    TCase *tc = tcase_create("save");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, resave_matches_inseq_bytes, 0,
                        (int)(sizeof exact_cases / sizeof exact_cases[0]));
    tcase_add_test(tc, precisions_round_trip);
    tcase_add_test(tc, hand_built_output_round_trips);
    tcase_add_test(tc, large_output_plain_and_gzip);
    tcase_add_test(tc, step_attributions_round_trip);
    tcase_add_test(tc, split_parts_and_names);
    tcase_add_test(tc, refuses_to_overwrite_without_force);
    tcase_add_test(tc, split_refuses_when_any_part_exists);
    tcase_add_test(tc, bad_options_and_missing_directory);
    tcase_add_loop_test(tc, failures_keep_the_original, 0, 3);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
