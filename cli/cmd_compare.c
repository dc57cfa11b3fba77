/* attrscope compare A B [C...]: how much two attributions of the same inputs
 * agree (model/compare.h), as a table, JSON, CSV or an HTML page. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "cli.h"
#include "compare.h"
#include "html.h"
#include "table.h"

static const char compare_usage[] =
    "usage: attrscope compare A B [C...] [OPTIONS]\n"
    "Compares attributions of the same inputs (two methods, models or settings):\n"
    "sequences with equal source, target and generated tokens are matched, each\n"
    "side is aggregated to a 2D map through its own pipeline, and per generated\n"
    "token the disagreement metrics of Krishna et al. (2022) are computed:\n"
    "feature (FA), rank (RA), sign (SA) and signed rank (SRA) agreement of the\n"
    "top-k tokens by |value|, rank correlation (rho, Spearman of |value|),\n"
    "pairwise rank agreement (PRA) and Pearson correlation (r), then averaged\n"
    "per sequence and over every generated token.  Sequences that match nothing\n"
    "are listed, not compared.  With C..., each input is compared with A.\n"
    "\n"
    "An input is FILE or FILE:LIST, the sequences LIST (0-based: 0,2,5-7) of\n"
    "FILE; so 'run.json:0 run.json:1' compares two sequences of one file.\n"
    "\n"
    "  -k K                      top-k size (default 5; fewer tokens shrink it)\n"
    "  -a, --aggregate PIPELINE  pipeline of an input: once for all inputs, or\n"
    "                            repeated for A, B, C... in order (default: each\n"
    "                            file's class default)\n"
    "  -b PIPELINE               pipeline of B\n"
    "      --seq LIST            sequences of A to compare (default all)\n"
    "      --steps               the table lists every generated token too\n"
    "      --all-pairs           compare every pair of inputs, not each with A\n"
    "      --json                JSON (null where a metric is undefined)\n"
    "      --csv                 CSV, one row per generated token\n"
    "  -o, --output OUT          write to OUT: an HTML page with both heatmaps\n"
    "                            side by side, the difference B - A and the\n"
    "                            metrics per token (JSON or CSV with --json or\n"
    "                            --csv); - is standard output\n"
    "      --force               replace OUT if it exists\n"
    "      --weight STEP         weight_attributions by this step score (each side)\n"
    "      --min V, --max V      HTML color range of A and B (default per map)\n"
    "      --decode-tokens MODE  auto, none, gpt2, sentencepiece or wordpiece\n"
    "      --max-memory SIZE     refuse to use more memory (e.g. 4G)\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit status: 0 when every comparison matched at least one sequence, 1 when\n"
    "one matched none or an input could not be read, 2 for bad usage.\n";

enum { OPT_JSON = OPT_FIRST_FREE, OPT_CSV, OPT_FORCE, OPT_STEPS, OPT_ALL_PAIRS };
typedef enum out_fmt { OUT_TABLE, OUT_JSON, OUT_CSV, OUT_HTML } out_fmt;

typedef struct cin {
    const char *arg;        /* as given */
    char *path;             /* file part (owned) */
    const char *list;       /* LIST part inside arg, or NULL */
    as_output *out;         /* owned when own_out */
    bool own_out;
    size_t *idx;            /* selected sequences (owned), NULL = all */
    size_t nidx;
    const char *pipeline;
} cin;

typedef struct cseq {
    size_t ia, ib;
    as_seq *a, *b, *diff;   /* kept for the HTML page only */
    cmp_seq_result res;
} cseq;

typedef struct cpair {
    cin *A, *B;
    cmp_match m;
    cseq *seqs;
    size_t nseqs;
    cmp_metrics mean;
    size_t ncols;
    tokens_mode mode;
} cpair;

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool is_list(const char *s)
{
    if (!strcmp(s, "all"))
        return true;
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789,-:", *s))
            return false;
    return true;
}

/* FILE, or FILE:LIST when FILE is a file and the whole argument is not. */
static bool split_input(cin *in)
{
    const char *a = in->arg;
    if (!is_file(a)) {
        for (const char *c = strchr(a, ':'); c; c = strchr(c + 1, ':'))
            if (c > a && is_list(c + 1)) {
                char *p = strndup(a, (size_t)(c - a));
                if (!p)
                    return false;
                if (is_file(p)) {
                    in->path = p;
                    in->list = c + 1;
                    return true;
                }
                free(p);
            }
    }
    in->path = strdup(a);
    return in->path != NULL;
}

static void put_num(FILE *f, double v, int width)
{
    if (isnan(v))
        fprintf(f, "%*s", width, "-");
    else
        fprintf(f, "%*.3f", width, v);
}

static void put_metrics(FILE *f, const cmp_metrics *m)
{
    for (int t = 0; t < CMP_NMETRICS; t++) {
        fputc(' ', f);
        put_num(f, m->v[t], 6);
    }
    fputc('\n', f);
}

static void put_metric_heads(FILE *f)
{
    for (int t = 0; t < CMP_NMETRICS; t++)
        fprintf(f, " %6s", cmp_metric_short(t));
    fputc('\n', f);
}

static void put_list(FILE *f, const size_t *v, size_t n)
{
    if (!n)
        fputs("none", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%zu", i ? "," : "", v[i]);
}

static void put_side(FILE *f, const char *label, const cin *in)
{
    fprintf(f, "%s: ", label);
    cli_put_safe(f, in->arg);
    fputs(" (-a ", f);
    cli_put_safe(f, in->pipeline ? in->pipeline : "default");
    fputs(")\n", f);
}

enum { LEFT = 33 }; /* columns before the metrics: "  step N   token      n=N    k=N  " */

static void write_table(FILE *f, const cpair *p, size_t np, size_t k, bool steps)
{
    for (size_t i = 0; i < np; i++) {
        const cpair *c = &p[i];
        if (i)
            fputc('\n', f);
        put_side(f, "A", c->A);
        put_side(f, "B", c->B);
        fprintf(f, "k = %zu; a sequence's row is the mean over its generated tokens%s\n\n", k,
                steps ? ", listed below it" : "");
        fprintf(f, "%5s %5s %5s%*s", "A seq", "B seq", "steps", LEFT - 17, "");
        put_metric_heads(f);
        for (size_t s = 0; s < c->nseqs; s++) {
            const cseq *q = &c->seqs[s];
            fprintf(f, "%5zu %5zu %5zu%*s", q->ia, q->ib, q->res.ncols, LEFT - 17, "");
            put_metrics(f, &q->res.mean);
            if (!steps)
                continue;
            const as_seq *sa = q->a;
            for (size_t j = 0; j < q->res.ncols; j++) {
                const cmp_metrics *m = &q->res.cols[j];
                char lab[256];
                int cols = 0;
                size_t tl = tokens_label(lab, sizeof lab, c->mode,
                                         sa->target.v[sa->attr_pos_start + (long)j].text,
                                         TOKENS_ESC_SPACE, 10, &cols);
                lab[tl < sizeof lab ? tl : sizeof lab - 1] = '\0';
                /* "  step 12 token      n=21   k=5  " */
                fprintf(f, "  step %-3zu", j);
                fputs(lab, f);
                fprintf(f, "%*s n=%-4zu k=%-3zu", cols < 10 ? 10 - cols : 0, "", m->n, m->k);
                put_metrics(f, m);
            }
        }
        fprintf(f, "%5s %5s %5zu%*s", "mean", "", c->ncols, LEFT - 17, "");
        put_metrics(f, &c->mean);
        if (c->m.nonly_a || c->m.nonly_b) {
            fputs("not matched (tokens differ): A ", f);
            put_list(f, c->m.only_a, c->m.nonly_a);
            fputs("; B ", f);
            put_list(f, c->m.only_b, c->m.nonly_b);
            fputc('\n', f);
        }
    }
}

static json_t *jnum(double v) { return isnan(v) ? json_null() : json_real(v); }

static json_t *metrics_json(const cmp_metrics *m, bool nk)
{
    json_t *o = json_object();
    if (nk) {
        json_object_set_new(o, "n", json_integer((json_int_t)m->n));
        json_object_set_new(o, "k", json_integer((json_int_t)m->k));
    }
    for (int t = 0; t < CMP_NMETRICS; t++)
        json_object_set_new(o, cmp_metric_name(t), jnum(m->v[t]));
    return o;
}

static json_t *list_json(const size_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)v[i]));
    return a;
}

static json_t *side_json(const cin *in)
{
    json_t *o = json_object();
    json_object_set_new(o, "input", table_json_text(in->arg));
    json_object_set_new(o, "file", table_json_text(in->path));
    json_object_set_new(o, "pipeline", table_json_text(in->pipeline ? in->pipeline : "default"));
    return o;
}

static int write_json(FILE *f, const cpair *p, size_t np, size_t k)
{
    json_t *root = json_object(), *cmps = json_array();
    json_object_set_new(root, "k", json_integer((json_int_t)k));
    json_object_set_new(root, "comparisons", cmps);
    for (size_t i = 0; i < np; i++) {
        const cpair *c = &p[i];
        json_t *o = json_object(), *seqs = json_array();
        json_object_set_new(o, "a", side_json(c->A));
        json_object_set_new(o, "b", side_json(c->B));
        json_t *mean = metrics_json(&c->mean, false);
        json_object_set_new(mean, "steps", json_integer((json_int_t)c->ncols));
        json_object_set_new(o, "mean", mean);
        json_t *un = json_object();
        json_object_set_new(un, "a", list_json(c->m.only_a, c->m.nonly_a));
        json_object_set_new(un, "b", list_json(c->m.only_b, c->m.nonly_b));
        json_object_set_new(o, "unmatched", un);
        json_object_set_new(o, "sequences", seqs);
        for (size_t s = 0; s < c->nseqs; s++) {
            const cseq *q = &c->seqs[s];
            const as_seq *sa = q->a;
            json_t *js = json_object(), *steps = json_array();
            json_object_set_new(js, "a", json_integer((json_int_t)q->ia));
            json_object_set_new(js, "b", json_integer((json_int_t)q->ib));
            json_object_set_new(js, "mean", metrics_json(&q->res.mean, false));
            for (size_t j = 0; j < q->res.ncols; j++) {
                json_t *st = metrics_json(&q->res.cols[j], true);
                json_object_set_new(st, "step", json_integer((json_int_t)j));
                json_object_set_new(
                    st, "token", table_json_text(sa->target.v[sa->attr_pos_start + (long)j].text));
                json_array_append_new(steps, st);
            }
            json_object_set_new(js, "steps", steps);
            json_array_append_new(seqs, js);
        }
        json_array_append_new(cmps, o);
    }
    int rc = table_json_dump(f, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    fputc('\n', f);
    json_decref(root);
    return rc;
}

/* One CSV field through the table writer: escaped, formula-safe, quoted. */
static void csv_field(FILE *f, const char *raw)
{
    table_csv_field(f, raw, 0);
}

static void write_csv(FILE *f, const cpair *p, size_t np)
{
    fputs("a,b,a_sequence,b_sequence,step,token,n,k", f);
    for (int t = 0; t < CMP_NMETRICS; t++)
        fprintf(f, ",%s", cmp_metric_name(t));
    fputs("\r\n", f);
    for (size_t i = 0; i < np; i++) {
        const cpair *c = &p[i];
        for (size_t s = 0; s < c->nseqs; s++) {
            const cseq *q = &c->seqs[s];
            const as_seq *sa = q->a;
            for (size_t j = 0; j < q->res.ncols; j++) {
                const cmp_metrics *m = &q->res.cols[j];
                csv_field(f, c->A->arg);
                fputc(',', f);
                csv_field(f, c->B->arg);
                fprintf(f, ",%zu,%zu,%zu,", q->ia, q->ib, j);
                csv_field(f, sa->target.v[sa->attr_pos_start + (long)j].text);
                fprintf(f, ",%zu,%zu", m->n, m->k);
                for (int t = 0; t < CMP_NMETRICS; t++) {
                    if (isnan(m->v[t]))
                        fputc(',', f);
                    else
                        fprintf(f, ",%.17g", m->v[t]);
                }
                fputs("\r\n", f);
            }
        }
    }
}

static int write_html(FILE *f, const cpair *p, size_t np, size_t k, const cli_common *cc,
                      tokens_mode mode, as_error *err)
{
    html_compare *hc = calloc(np ? np : 1, sizeof *hc);
    size_t total = 0;
    for (size_t i = 0; i < np; i++)
        total += p[i].nseqs;
    html_compare_seq *hs = calloc(total ? total : 1, sizeof *hs);
    html_labeler *lc = malloc(sizeof *lc);
    if (!hc || !hs || !lc) {
        free(hc);
        free(hs);
        free(lc);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    lc->mode = mode;
    size_t at = 0;
    for (size_t i = 0; i < np; i++) {
        const cpair *c = &p[i];
        hc[i] = (html_compare){
            .a_name = c->A->arg, .b_name = c->B->arg,
            .a_pipeline = c->A->pipeline ? c->A->pipeline : "default",
            .b_pipeline = c->B->pipeline ? c->B->pipeline : "default",
            .seqs = hs + at, .nseqs = c->nseqs,
            .only_a = c->m.only_a, .nonly_a = c->m.nonly_a,
            .only_b = c->m.only_b, .nonly_b = c->m.nonly_b,
            .mean = c->mean,
        };
        for (size_t s = 0; s < c->nseqs; s++, at++)
            hs[at] = (html_compare_seq){.a = c->seqs[s].a, .b = c->seqs[s].b,
                                        .diff = c->seqs[s].diff, .res = &c->seqs[s].res,
                                        .ia = c->seqs[s].ia, .ib = c->seqs[s].ib};
    }
    html_common hcm = {.label = html_label_decoded, .label_ud = lc, .has_min = cc->has_min,
                       .has_max = cc->has_max, .min_val = cc->vmin, .max_val = cc->vmax};
    html_out o;
    html_out_file(&o, f);
    int rc = html_compare_page(&o, hc, np, k, &hcm, err);
    int frc = html_out_flush(&o, rc ? NULL : err);
    html_out_free(&o);
    free(hc);
    free(hs);
    free(lc);
    return rc ? rc : frc;
}

static void pairs_free(cpair *p, size_t np)
{
    for (size_t i = 0; p && i < np; i++) {
        for (size_t s = 0; s < p[i].nseqs; s++) {
            agg_seq_free(p[i].seqs[s].a);
            agg_seq_free(p[i].seqs[s].b);
            agg_seq_free(p[i].seqs[s].diff);
            cmp_seq_result_free(&p[i].seqs[s].res);
        }
        free(p[i].seqs);
        cmp_match_free(&p[i].m);
    }
    free(p);
}

/* One side of a matched sequence, aggregated to 2D; NULL after a message. */
static as_seq *aggregate(const cin *in, size_t seq, const char *weight, int *rc)
{
    as_error err = {0};
    const char *file = in->path;
    if (weight && !attr_scores_get(&in->out->seqs[seq].step_scores, weight)) {
        cli_error("%s: sequence %zu: --weight %s: no such step score", file, seq, weight);
        *rc = EXIT_USAGE;
        return NULL;
    }
    as_seq *s = agg_apply_str(in->out, seq, in->pipeline ? in->pipeline : "default", weight, &err);
    if (s && agg_check_2d(s, &err)) {
        cli_error("%s: sequence %zu: %s (compare needs 2D maps: aggregate with -a)", file, seq,
                  err.msg);
        agg_seq_free(s);
        *rc = cli_exit_code(err.code);
        return NULL;
    }
    if (!s) {
        cli_error("%s: %s", file, err.msg);
        *rc = cli_exit_code(err.code);
    }
    return s;
}

static int run_pair(cpair *c, size_t k, const cli_common *cc, bool keep)
{
    as_error err = {0};
    if (cmp_match_seqs(c->A->out, c->A->idx, c->A->nidx, c->B->out, c->B->idx, c->B->nidx,
                       &c->m, &err)) {
        cli_error("%s", err.msg);
        return EXIT_DATA;
    }
    c->seqs = calloc(c->m.npairs ? c->m.npairs : 1, sizeof *c->seqs);
    if (!c->seqs) {
        cli_error("out of memory");
        return EXIT_DATA;
    }
    cmp_acc acc;
    cmp_acc_init(&acc);
    int rc = EXIT_OK;
    for (size_t i = 0; i < c->m.npairs; i++) {
        cseq *q = &c->seqs[i];
        q->ia = c->m.pairs[i].a;
        q->ib = c->m.pairs[i].b;
        c->nseqs = i + 1;
        if (!(q->a = aggregate(c->A, q->ia, cc->weight, &rc)) ||
            !(q->b = aggregate(c->B, q->ib, cc->weight, &rc)))
            return rc;
        if (!cmp_seq_same_tokens(q->a, q->b)) {
            cli_error("%s sequence %zu and %s sequence %zu: the tokens differ after "
                      "aggregation (the pipelines merge tokens differently)",
                      c->A->path, q->ia, c->B->path, q->ib);
            return EXIT_USAGE;
        }
        if (cmp_seqs(q->a, q->b, k, &q->res, &err) ||
            (keep && !(q->diff = cmp_difference(q->a, q->b, &err)))) {
            cli_error("%s sequence %zu and %s sequence %zu: %s", c->A->path, q->ia, c->B->path,
                      q->ib, err.msg);
            return cli_exit_code(err.code);
        }
        for (size_t j = 0; j < q->res.ncols; j++)
            cmp_acc_add(&acc, &q->res.cols[j]);
        if (!keep) { /* A's map stays for its (aggregated) token labels */
            agg_seq_free(q->b);
            q->b = NULL;
        }
    }
    cmp_acc_mean(&acc, &c->mean);
    c->ncols = acc.ncols;
    c->mode = tokens_resolve(cc->decode, c->A->out, -1);
    return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, OPT_JSON},
        {"csv", no_argument, NULL, OPT_CSV},
        {"force", no_argument, NULL, OPT_FORCE},
        {"steps", no_argument, NULL, OPT_STEPS},
        {"all-pairs", no_argument, NULL, OPT_ALL_PAIRS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common cc = {.decode = TOKENS_AUTO};
    const char **apipes = calloc((size_t)argc + 1, sizeof *apipes);
    size_t napipes = 0;
    const char *bpipe = NULL, *outpath = NULL;
    size_t k = CMP_DEFAULT_K;
    bool json = false, csv = false, force = false, steps = false, all_pairs = false;
    cin *ins = NULL;
    cpair *pairs = NULL;
    size_t nin = 0, np = 0;
    int rc = EXIT_USAGE, c;
    if (!apipes) {
        cli_error("out of memory");
        return EXIT_DATA;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:b:k:o:h", longopts, NULL)) != -1) {
        if (c == OPT_PIPELINE) {
            apipes[napipes++] = optarg;
            continue;
        }
        int r = cli_common_opt(&cc, c, optarg);
        if (r < 0)
            goto done;
        if (r > 0)
            continue;
        switch (c) {
        case 'b': bpipe = optarg; break;
        case 'k':
            if (!cli_parse_size("-k", optarg, &k))
                goto done;
            if (k < 1) {
                cli_error("-k expects a whole number of at least 1, not '%s'", optarg);
                goto done;
            }
            break;
        case 'o': outpath = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_CSV: csv = true; break;
        case OPT_FORCE: force = true; break;
        case OPT_STEPS: steps = true; break;
        case OPT_ALL_PAIRS: all_pairs = true; break;
        case 'h':
            fputs(compare_usage, stdout);
            rc = EXIT_OK;
            goto done;
        default:
            fputs(compare_usage, stderr);
            goto done;
        }
    }
    if (json && csv) {
        cli_error("--json and --csv exclude each other");
        goto done;
    }
    if (argc - optind < 2) {
        cli_error("compare needs at least two inputs (FILE or FILE:LIST)");
        fputs(compare_usage, stderr);
        goto done;
    }
    nin = (size_t)(argc - optind);
    if (napipes > nin) {
        cli_error("%zu pipelines (-a) for %zu inputs", napipes, nin);
        goto done;
    }
    ins = calloc(nin, sizeof *ins);
    if (!ins) {
        cli_error("out of memory");
        rc = EXIT_DATA;
        goto done;
    }
    /* pipelines: one -a for all, or -a per input in order; -b for B */
    for (size_t i = 0; i < nin; i++) {
        ins[i].arg = argv[optind + (int)i];
        ins[i].pipeline = napipes == 1 ? apipes[0] : i < napipes ? apipes[i] : NULL;
    }
    if (bpipe)
        ins[1].pipeline = bpipe;
    for (size_t i = 0; i < nin; i++) {
        as_pipeline pl;
        as_pipe_errpos pos;
        as_error err = {0};
        const char *text = ins[i].pipeline ? ins[i].pipeline : "default";
        int bad = pipe_parse(text, &pl, &pos, &err);
        pipe_free(&pl);
        if (bad) {
            cli_error("-a '%s': %s", text, err.msg);
            goto done;
        }
    }
    /* load each file once */
    for (size_t i = 0; i < nin; i++) {
        cin *in = &ins[i];
        if (!split_input(in)) {
            cli_error("out of memory");
            rc = EXIT_DATA;
            goto done;
        }
        for (size_t j = 0; j < i && !in->out; j++)
            if (!strcmp(ins[j].path, in->path))
                in->out = ins[j].out;
        if (!in->out) {
            if (!(in->out = cli_load(&in->path, 1))) {
                rc = EXIT_DATA;
                goto done;
            }
            in->own_out = true;
        }
        const char *list = in->list;
        if (i == 0 && cc.seq) {
            if (list) {
                cli_error("--seq and %s both select sequences of A", in->arg);
                goto done;
            }
            list = cc.seq;
        }
        if (list && !cli_parse_seq_list(list, in->out->nseqs, &in->idx, &in->nidx)) {
            cli_error("(the sequences %s selects from %s)", in->list ? in->arg : "--seq",
                      in->path);
            goto done;
        }
    }
    np = all_pairs ? nin * (nin - 1) / 2 : nin - 1;
    pairs = calloc(np, sizeof *pairs);
    if (!pairs) {
        cli_error("out of memory");
        rc = EXIT_DATA;
        goto done;
    }
    out_fmt fmt = json ? OUT_JSON : csv ? OUT_CSV : outpath ? OUT_HTML : OUT_TABLE;
    size_t at = 0;
    for (size_t i = 0; i < nin; i++)
        for (size_t j = i + 1; j < nin; j++) {
            if (!all_pairs && i > 0)
                break;
            pairs[at].A = &ins[i];
            pairs[at].B = &ins[j];
            at++;
        }
    for (size_t i = 0; i < np; i++) {
        rc = run_pair(&pairs[i], k, &cc, fmt == OUT_HTML);
        if (rc)
            goto done;
    }
    rc = EXIT_OK;
    for (size_t i = 0; i < np; i++)
        if (pairs[i].m.npairs == 0) {
            cli_error("%s and %s have no sequence with the same tokens", pairs[i].A->arg,
                      pairs[i].B->arg);
            rc = EXIT_DATA;
        }

    as_atomic af;
    as_error err = {0};
    if (atomic_open(&af, outpath ? outpath : "-", force, &err)) {
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
        goto done;
    }
    int wrc = AS_OK;
    switch (fmt) {
    case OUT_JSON: wrc = write_json(af.f, pairs, np, k) ? AS_ENOMEM : AS_OK; break;
    case OUT_CSV: write_csv(af.f, pairs, np); break;
    case OUT_HTML:
        wrc = write_html(af.f, pairs, np, k, &cc, tokens_resolve(cc.decode, ins[0].out, -1),
                         &err);
        break;
    default: write_table(af.f, pairs, np, k, steps); break;
    }
    if (wrc) {
        atomic_abort(&af);
        cli_error("%s", err.msg[0] ? err.msg : "out of memory");
        rc = cli_exit_code(wrc);
    } else if (atomic_commit(&af, &err)) {
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
    }
done:
    pairs_free(pairs, np);
    for (size_t i = 0; ins && i < nin; i++) {
        if (ins[i].own_out)
            attr_output_free(ins[i].out);
        free(ins[i].path);
        free(ins[i].idx);
    }
    free(ins);
    free(apipes);
    return rc;
}
