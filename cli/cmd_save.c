/* attrscope save FILE... -o OUT: write files inseq's load() reads back. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "resave.h"
#include "save.h"

static const char save_usage[] =
    "usage: attrscope save FILE... -o OUT [OPTIONS]\n"
    "Writes the sequences (merged, selected, aggregated) in inseq's v0.7 format,\n"
    "which FeatureAttributionOutput.load() reads.  Several FILEs merge as inseq's\n"
    "merge_attributions: their model, method and tokenizer must agree.\n"
    "\n"
    "  -o, --output OUT          where to write (.gz implies --compress)\n"
    "      --compress            gzip the whole file, as inseq's compress=True\n"
    "      --precision P         float32 (default), float16 or float8 scores\n"
    "      --split               one file per sequence: OUT_0.json, OUT_1.json, ...\n"
    "      --force               replace files that exist\n"
    "  -a, --aggregate PIPELINE  aggregate first (default: save as loaded); a result\n"
    "                            that is 2D is saved as CoarseFeatureAttributionSequenceOutput\n"
    "      --seq LIST            sequences to save: 0,2,5-7 or all (default all)\n"
    "      --weight STEP         weight_attributions by this step score first\n"
    "      --max-memory SIZE     refuse to use more memory (e.g. 4G)\n";

enum { OPT_COMPRESS = OPT_FIRST_FREE, OPT_PRECISION, OPT_SPLIT, OPT_FORCE, OPT_NOSYNC };

/* The info fields merge_attributions requires to agree. */
static const char *const match_fields[] = {
    "attribute_target", "attribution_method", "constrained_decoding", "include_eos_baseline",
    "model_class", "model_name", "step_scores", "tokenizer_class", "tokenizer_name",
};

static int check_compatible(const as_output *a, const as_output *b)
{
    for (size_t i = 0; i < sizeof match_fields / sizeof match_fields[0]; i++) {
        json_t *x = json_object_get(a->info, match_fields[i]);
        json_t *y = json_object_get(b->info, match_fields[i]);
        if (!json_equal(x, y) && (x || y)) {
            char *xs = x ? json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
            char *ys = y ? json_dumps(y, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
            cli_error("cannot merge %s and %s: info.%s differs (%s vs %s)", a->files[0],
                      b->files[0], match_fields[i], xs ? xs : "missing", ys ? ys : "missing");
            free(xs);
            free(ys);
            return EXIT_DATA;
        }
    }
    return EXIT_OK;
}

static as_output *load_merged(char **files, int n)
{
    as_output *all = NULL;
    for (int i = 0; i < n; i++) {
        as_output *o = cli_load(files + i, 1);
        if (!o)
            goto fail;
        if (!all) {
            all = o;
            continue;
        }
        if (check_compatible(all, o)) {
            attr_output_free(o);
            goto fail;
        }
        as_error err = {0};
        if (as_output_merge(all, o, &err)) {
            cli_error("%s", err.msg);
            goto fail;
        }
    }
    return all;
fail:
    attr_output_free(all);
    return NULL;
}

int cmd_save(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"compress", no_argument, NULL, OPT_COMPRESS},
        {"precision", required_argument, NULL, OPT_PRECISION},
        {"split", no_argument, NULL, OPT_SPLIT},
        {"force", no_argument, NULL, OPT_FORCE},
        {"no-sync", no_argument, NULL, OPT_NOSYNC},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common cc = {0};
    as_save_opts so = {0};
    const char *out = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":a:o:h", longopts, NULL)) != -1) {
        int k = cli_common_opt(&cc, c, optarg);
        if (k < 0)
            return EXIT_USAGE;
        if (k > 0)
            continue;
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_COMPRESS: so.compress = true; break;
        case OPT_PRECISION:
            if (!as_precision_parse(optarg, &so.precision)) {
                cli_error("--precision expects float32, float16 or float8, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SPLIT: so.split = true; break;
        case OPT_FORCE: so.force = true; break;
        case OPT_NOSYNC: so.no_sync = true; break;
        case 'h': fputs(save_usage, stdout); return EXIT_OK;
        default: return cli_bad_option("save", c, argv, longopts);
        }
    }
    if (!out || !*out) {
        cli_error("save needs -o OUT");
        return EXIT_USAGE;
    }
    if (!strcmp(out, "-")) {
        cli_error("save writes files, not standard output: give -o OUT.json");
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        cli_error("save needs at least one FILE");
        return EXIT_USAGE;
    }
    size_t ol = strlen(out);
    if (ol > 3 && !strcmp(out + ol - 3, ".gz"))
        so.compress = true;
    cli_signals_for_writing();

    as_output *o = load_merged(argv + optind, argc - optind);
    if (!o)
        return EXIT_DATA;
    size_t *idx = NULL, n = 0;
    if (!cli_parse_seq_list(cc.seq ? cc.seq : "all", o->nseqs, &idx, &n)) {
        attr_output_free(o);
        return EXIT_USAGE;
    }
    if (cc.weight) {
        for (size_t i = 0; i < n; i++) {
            if (!attr_scores_get(&o->seqs[idx[i]].step_scores, cc.weight)) {
                cli_error("%s: sequence %zu: --weight %s: no such step score",
                          o->files[o->seqs[idx[i]].file_index], idx[i], cc.weight);
                free(idx);
                attr_output_free(o);
                return EXIT_USAGE;
            }
        }
    }
    if (cc.pipeline) {
        as_pipeline p;
        as_pipe_errpos pos;
        as_error perr = {0};
        int bad = pipe_parse(cc.pipeline, &p, &pos, &perr);
        pipe_free(&p);
        if (bad) {
            cli_error("-a '%s': %s", cc.pipeline, perr.msg);
            free(idx);
            attr_output_free(o);
            return EXIT_USAGE;
        }
    }
    as_error err = {0};
    bool dropped = false;
    int rc = EXIT_OK;
    if (resave(o, idx, n, cc.pipeline, cc.weight, out, &so, &dropped, &err)) {
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
    } else if (dropped) {
        fprintf(stderr, "attrscope: note: step_attributions are not saved for a selection or "
                        "an aggregation\n");
    }
    free(idx);
    attr_output_free(o);
    return rc;
}
