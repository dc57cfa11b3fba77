/* attrscope export FILE... -o OUT: aggregated attributions as JSON, CSV,
 * inseq's scores dicts, or an HTML page (heatmap, granular or tokens view). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "cli.h"
#include "html.h"
#include "table.h"

static const char export_usage[] =
    "usage: attrscope export FILE... -o OUT [OPTIONS]\n"
    "Writes the aggregated attributions of the selected sequences.  The format\n"
    "follows OUT's name (.json, .csv, .scores.json, .html) or --format.  OUT '-'\n"
    "is standard output.  An existing OUT is only replaced with --force.\n"
    "\n"
    "  -o, --output OUT          where to write\n"
    "  -f, --format FMT          json, csv, scores (get_scores_dicts) or html\n"
    "      --force               replace OUT if it exists\n"
    "      --csv-raw             CSV: keep fields starting with = + - @ as they are\n"
    "                            (by default they get a leading ' so spreadsheets\n"
    "                            do not run them as formulas)\n"
    CLI_COMMON_HELP
    "HTML:\n"
    "      --view VIEW           heatmap (default), granular or tokens\n"
    "      --shared-range        heatmap: one color range for all sequences\n"
    "                            (--global-range is the same)\n"
    "      --range-mode MODE     heatmap: inseq (default: -m..m, m = max(0, largest\n"
    "                            value)), abs (-a..a, a the largest |value|),\n"
    "                            one-sided (0..a, white to red) or percentile\n"
    "      --clip-percentile P   heatmap: -p..p, p the P-th percentile of |value|\n"
    "      --one-sided           heatmap: the same as --range-mode one-sided\n"
    "      --show-dim DIM        granular: extra dim shown beside the generated tokens\n"
    "                            (index >= 2 or name; size at most --max-show-size)\n"
    "      --no-show-dim         granular: every extra dim gets a slider\n"
    "      --max-show-size N     granular: default 20\n"
    "      --slice DIM=A:B       granular: keep indices A..B-1 of DIM (repeatable)\n"
    "      --float16             granular: embed values as float16 (half the size)\n"
    "      --max-html-mb N       granular: refuse pages larger than N MB (default 64)\n"
    "      --wrap-after N|TOKENS tokens: break after every N tokens, or after these\n"
    "                            comma-separated tokens\n"
    "      --replace-char FROM=TO  tokens: replace text in tokens (repeatable)\n"
    "      --step-score-highlight NAME  tokens: color generated tokens by a step score\n"
    "\n"
    "The granular view shows the attributions before aggregation: without -a it\n"
    "uses the pipeline 'none'.\n";

enum fmt { FMT_AUTO, FMT_JSON, FMT_CSV, FMT_SCORES, FMT_HTML };
enum view { VIEW_HEATMAP, VIEW_GRANULAR, VIEW_TOKENS };

enum {
    OPT_FORCE = OPT_FIRST_FREE, OPT_VIEW, OPT_SHARED, OPT_SHOW_DIM, OPT_NO_SHOW_DIM,
    OPT_MAX_SHOW, OPT_SLICE, OPT_F16, OPT_MAX_MB, OPT_WRAP, OPT_REPLACE, OPT_STEP_HL,
    OPT_CSV_RAW,
};

typedef struct export_opts {
    cli_common c;
    bool decode_given;
    const char *out;
    enum fmt fmt;
    bool force;
    bool csv_raw;
    enum view view;
    bool shared_range;
    html_granular_opts g;
    html_slice *slices;
    size_t nslices;
    html_tokens_opts t;
    char **wrap_tokens;
    html_replace *replace;
    size_t nreplace;
    char *wrap_buf;
} export_opts;

/* ---- token text ---- */

static char *token_out(const export_opts *e, tokens_mode m, const char *raw)
{
    if (!e->decode_given || m == TOKENS_NONE)
        return strdup(raw);
    size_t len;
    char *d = tokens_decode_dup(m, raw, &len);
    if (!d)
        return NULL;
    char *x = tokens_escape_dup(d, len, 0);
    free(d);
    return x;
}

static void put_json_string(FILE *f, const char *s) { table_json_string(f, s); }

/* ---- JSON ---- */

static void put_tensor_json(FILE *f, const as_tensor *t, const float *d, int dim)
{
    if (dim == t->ndim) {
        table_json_num(f, *d);
        return;
    }
    size_t stride = 1;
    for (int k = dim + 1; k < t->ndim; k++)
        stride *= t->shape[k];
    fputc('[', f);
    for (size_t i = 0; i < t->shape[dim]; i++) {
        if (i)
            fputc(',', f);
        put_tensor_json(f, t, d + i * stride, dim + 1);
    }
    fputc(']', f);
}

static void put_tokens_json(FILE *f, const export_opts *e, tokens_mode m, const as_tokens *t)
{
    fputc('[', f);
    for (size_t i = 0; i < t->n; i++) {
        char *s = token_out(e, m, t->v[i].text);
        fputs(i ? ", {\"token\": " : "{\"token\": ", f);
        put_json_string(f, s ? s : "");
        fprintf(f, ", \"id\": %lld}", t->v[i].id);
        free(s);
    }
    fputc(']', f);
}

static void put_shape_json(FILE *f, const as_tensor *t)
{
    fputc('[', f);
    for (int d = 0; d < t->ndim; d++)
        fprintf(f, "%s%zu", d ? ", " : "", t->shape[d]);
    fputc(']', f);
}

static int write_json(FILE *f, const export_opts *e, const as_output *o, const cli_results *r)
{
    fputs("{\"sequences\": [", f);
    for (size_t k = 0; k < r->n; k++) {
        const as_seq *s = r->seqs[k];
        fprintf(f, "%s\n{\"index\": %zu, \"file\": ", k ? "," : "", r->idx[k]);
        put_json_string(f, o->files[o->seqs[r->idx[k]].file_index]);
        fputs(", \"class\": ", f);
        put_json_string(f, s->class_name ? s->class_name : attr_class_name(s->cls));
        fputs(", \"pipeline\": ", f);
        put_json_string(f, cli_pipeline_text(&e->c));
        if (e->c.weight) {
            fputs(", \"weight\": ", f);
            put_json_string(f, e->c.weight);
        }
        fputs(",\n \"source\": ", f);
        put_tokens_json(f, e, r->mode, &s->source);
        fputs(",\n \"target\": ", f);
        put_tokens_json(f, e, r->mode, &s->target);
        fprintf(f, ",\n \"attr_pos_start\": %ld, \"attr_pos_end\": %ld", s->attr_pos_start,
                s->attr_pos_end);
        const char *names[] = {"source_attributions", "target_attributions"};
        const as_tensor *ts[] = {s->source_attr, s->target_attr};
        bool not2d = false;
        for (int w = 0; w < 2; w++) {
            fprintf(f, ",\n \"%s\": ", names[w]);
            if (!ts[w]) {
                fputs("null", f);
                continue;
            }
            not2d |= ts[w]->ndim != 2;
            put_tensor_json(f, ts[w], ts[w]->data, 0);
        }
        if (not2d) {
            fputs(",\n \"shape\": {", f);
            bool first = true;
            for (int w = 0; w < 2; w++) {
                if (!ts[w])
                    continue;
                fprintf(f, "%s\"%s\": ", first ? "" : ", ", names[w]);
                put_shape_json(f, ts[w]);
                first = false;
            }
            fputc('}', f);
        }
        fputs(",\n \"step_scores\": {", f);
        for (size_t i = 0; i < s->step_scores.n; i++) {
            if (i)
                fputs(", ", f);
            put_json_string(f, s->step_scores.v[i].name);
            fputs(": ", f);
            put_tensor_json(f, s->step_scores.v[i].t, s->step_scores.v[i].t->data, 0);
        }
        fputs("}}", f);
    }
    fputs("\n]}\n", f);
    return AS_OK;
}

/* ---- CSV (render/table.h) ---- */

static int write_csv(FILE *f, const export_opts *e, const cli_results *r)
{
    unsigned flags = e->csv_raw ? TABLE_CSV_RAW : 0;
    table_csv_header(f, flags);
    for (size_t k = 0; k < r->n; k++) {
        const as_seq *s = r->seqs[k];
        size_t cols = attr_seq_ncols(s);
        char **gen = calloc(cols ? cols : 1, sizeof *gen);
        if (!gen)
            return AS_ENOMEM;
        for (size_t j = 0; j < cols; j++)
            gen[j] = token_out(e, r->mode, s->target.v[s->attr_pos_start + (long)j].text);
        const char *kinds[] = {"source", "target"};
        const as_tensor *ts[] = {s->source_attr, s->target_attr};
        const as_tokens *rows[] = {&s->source, &s->target};
        table_row row = {.sequence = r->idx[k], .sub_index = -1};
        for (int w = 0; w < 2; w++) {
            const as_tensor *t = ts[w];
            if (!t)
                continue;
            row.kind = kinds[w];
            for (size_t i = 0; i < t->shape[0]; i++) {
                char *tok = token_out(e, r->mode, rows[w]->v[i].text);
                row.attributed_index = (long)i;
                row.attributed_token = tok ? tok : "";
                for (size_t j = 0; j < cols; j++) {
                    row.generated_index = (size_t)s->attr_pos_start + j;
                    row.generated_token = gen[j] ? gen[j] : "";
                    row.value = t->data[i * cols + j];
                    table_csv_row(f, &row, flags);
                }
                free(tok);
            }
        }
        row.attributed_index = -1;
        row.attributed_token = NULL;
        for (size_t n = 0; n < s->step_scores.n; n++) {
            const as_tensor *t = s->step_scores.v[n].t;
            char kind[300];
            snprintf(kind, sizeof kind, "step:%s", s->step_scores.v[n].name);
            row.kind = kind;
            for (size_t j = 0; j < cols && j < tensor_numel(t); j++) {
                row.generated_index = (size_t)s->attr_pos_start + j;
                row.generated_token = gen[j] ? gen[j] : "";
                row.value = t->data[j];
                table_csv_row(f, &row, flags);
            }
        }
        for (size_t j = 0; j < cols; j++)
            free(gen[j]);
        free(gen);
    }
    return AS_OK;
}

/* ---- scores dicts ---- */

/* JSON as Python's json.dumps(indent=1) would write it, NaN as bare NaN. */
static void put_py_json(FILE *f, const json_t *j, int ind)
{
    double v;
    if (attr_json_nonfinite(j, &v)) {
        fputs(isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity", f);
    } else if (json_is_object(j)) {
        if (!json_object_size(j)) {
            fputs("{}", f);
            return;
        }
        fputs("{", f);
        const char *k;
        json_t *x;
        bool first = true;
        json_object_foreach((json_t *)j, k, x) {
            fprintf(f, "%s\n%*s", first ? "" : ",", ind + 1, "");
            put_json_string(f, k);
            fputs(": ", f);
            put_py_json(f, x, ind + 1);
            first = false;
        }
        fprintf(f, "\n%*s}", ind, "");
    } else if (json_is_real(j)) {
        char b[40];
        table_fmt_f32(b, sizeof b, (float)json_real_value(j));
        fputs(b, f);
    } else {
        char *t = json_dumps(j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
        fputs(t ? t : "null", f);
        free(t);
    }
}

static int write_scores(FILE *f, const cli_results *r, const as_output *o, as_error *err)
{
    fputs("[", f);
    for (size_t k = 0; k < r->n; k++) {
        json_t *d = agg_scores_dicts(r->seqs[k], err);
        if (!d)
            return as_error_prefix(err, "%s: sequence %zu", o->files[o->seqs[r->idx[k]].file_index],
                                   r->idx[k]);
        fprintf(f, "%s\n ", k ? "," : "");
        put_py_json(f, d, 1);
        json_decref(d);
    }
    fputs("\n]\n", f);
    return AS_OK;
}

/* ---- HTML ---- */

typedef struct label_ctx {
    const export_opts *e;
    tokens_mode mode;
    char buf[4096];
} label_ctx;

static const char *html_label(void *ud, const as_token *tok)
{
    label_ctx *l = ud;
    if (!l->e->decode_given && l->mode == TOKENS_NONE)
        return tok->text;
    size_t n = tokens_decode(l->mode, tok->text, l->buf, sizeof l->buf);
    if (n >= sizeof l->buf)
        n = sizeof l->buf - 1;
    char tmp[4096];
    memcpy(tmp, l->buf, n);
    tokens_escape(l->buf, sizeof l->buf, tmp, n, 0);
    return l->buf;
}

static int write_html(FILE *f, export_opts *e, const as_output *o, const cli_results *r,
                      as_error *err)
{
    html_out out;
    html_out_file(&out, f);
    label_ctx lc = {.e = e, .mode = e->decode_given ? r->mode : TOKENS_NONE};
    html_common c = {.label = html_label, .label_ud = &lc, .has_min = e->c.has_min,
                     .has_max = e->c.has_max, .min_val = e->c.vmin, .max_val = e->c.vmax};
    char title[512];
    snprintf(title, sizeof title, "attrscope: %s%s", o->files[0], o->nfiles > 1 ? " and more" : "");
    c.title = title;
    int rc;
    const as_seq *const *seqs = (const as_seq *const *)r->seqs;
    if (e->view == VIEW_HEATMAP) {
        html_heatmap_opts h = {.c = c, .shared_range = e->shared_range, .indices = r->idx,
                               .has_range_mode = e->c.has_range_mode,
                               .range_mode = e->c.range_mode, .percentile = e->c.percentile};
        rc = html_heatmap_page(&out, seqs, r->n, &h, err);
    } else if (e->view == VIEW_GRANULAR) {
        e->g.c = c;
        e->g.slices = e->slices;
        e->g.nslices = e->nslices;
        rc = html_granular_page(&out, seqs, r->n, &e->g, err);
    } else {
        e->t.c = c;
        e->t.replace = e->replace;
        e->t.nreplace = e->nreplace;
        rc = html_tokens_page(&out, seqs, r->n, &e->t, err);
    }
    int frc = html_out_flush(&out, rc ? NULL : err);
    html_out_free(&out);
    return rc ? rc : frc;
}

/* ---- options ---- */

static bool parse_dim_ref(const char *s, html_dim_ref *d)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && !*end) {
        if (v < 2) {
            cli_error("a dimension given by index must be >= 2 (0 and 1 are the tokens), not %ld", v);
            return false;
        }
        d->index = (int)v;
        d->name = NULL;
    } else {
        d->index = -1;
        d->name = s;
    }
    return true;
}

static bool parse_slice(export_opts *e, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    char *end;
    if (!eq || eq == arg)
        goto bad;
    html_slice sl;
    char *dim = strndup(arg, (size_t)(eq - arg));
    if (!dim || !parse_dim_ref(dim, &sl.dim)) {
        free(dim);
        return false;
    }
    const char *p = eq + 1;
    sl.start = strtol(p, &end, 10);
    if (end == p || *end != ':')
        goto bad_dim;
    p = end + 1;
    sl.stop = strtol(p, &end, 10);
    if (end == p || *end)
        goto bad_dim;
    html_slice *n = realloc(e->slices, (e->nslices + 1) * sizeof *n);
    if (!n)
        goto bad_dim;
    e->slices = n;
    if (!sl.dim.name)
        free(dim);
    e->slices[e->nslices++] = sl;
    return true;
bad_dim:
    free(dim);
bad:
    cli_error("--slice expects DIM=A:B (DIM an index >= 2 or a name), not '%s'", arg);
    return false;
}

static bool parse_wrap(export_opts *e, const char *arg)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*arg && !*end && arg[0] != '-') {
        if (v == 0) {
            cli_error("--wrap-after expects a positive number or tokens");
            return false;
        }
        e->t.wrap_every = v;
        return true;
    }
    e->wrap_buf = strdup(arg);
    size_t n = 1;
    for (const char *p = arg; *p; p++)
        n += *p == ',';
    e->wrap_tokens = calloc(n, sizeof *e->wrap_tokens);
    if (!e->wrap_buf || !e->wrap_tokens)
        return false;
    size_t k = 0;
    for (char *save = NULL, *t = strtok_r(e->wrap_buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        e->wrap_tokens[k++] = t;
    e->t.wrap_tokens = (const char *const *)e->wrap_tokens;
    e->t.nwrap_tokens = k;
    return true;
}

static bool parse_replace(export_opts *e, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        cli_error("--replace-char expects FROM=TO with a non-empty FROM, not '%s'", arg);
        return false;
    }
    html_replace *n = realloc(e->replace, (e->nreplace + 1) * sizeof *n);
    if (!n)
        return false;
    e->replace = n;
    /* Point into argv: FROM is copied, TO is the rest of the argument. */
    char *from = strndup(arg, (size_t)(eq - arg));
    if (!from)
        return false;
    e->replace[e->nreplace].from = from;
    e->replace[e->nreplace].to = eq + 1;
    e->nreplace++;
    return true;
}

static void export_opts_free(export_opts *e)
{
    for (size_t i = 0; i < e->nslices; i++)
        free((char *)e->slices[i].dim.name);
    free(e->slices);
    for (size_t i = 0; i < e->nreplace; i++)
        free((char *)e->replace[i].from);
    free(e->replace);
    free(e->wrap_tokens);
    free(e->wrap_buf);
}

static enum fmt fmt_from_name(const char *path)
{
    size_t n = strlen(path);
#define ENDS(s) (n >= strlen(s) && !strcmp(path + n - strlen(s), s))
    if (ENDS(".scores.json"))
        return FMT_SCORES;
    if (ENDS(".json"))
        return FMT_JSON;
    if (ENDS(".csv"))
        return FMT_CSV;
    if (ENDS(".html") || ENDS(".htm"))
        return FMT_HTML;
#undef ENDS
    return FMT_AUTO;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
        {"view", required_argument, NULL, OPT_VIEW},
        {"shared-range", no_argument, NULL, OPT_SHARED},
        {"global-range", no_argument, NULL, OPT_SHARED},
        CLI_RANGE_LONGOPTS,
        {"show-dim", required_argument, NULL, OPT_SHOW_DIM},
        {"no-show-dim", no_argument, NULL, OPT_NO_SHOW_DIM},
        {"max-show-size", required_argument, NULL, OPT_MAX_SHOW},
        {"slice", required_argument, NULL, OPT_SLICE},
        {"float16", no_argument, NULL, OPT_F16},
        {"max-html-mb", required_argument, NULL, OPT_MAX_MB},
        {"wrap-after", required_argument, NULL, OPT_WRAP},
        {"replace-char", required_argument, NULL, OPT_REPLACE},
        {"step-score-highlight", required_argument, NULL, OPT_STEP_HL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    export_opts e = {.c.decode = TOKENS_AUTO};
    int rc = EXIT_USAGE, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":a:o:f:h", longopts, NULL)) != -1) {
        int k = cli_common_opt(&e.c, c, optarg);
        if (!k)
            k = cli_range_opt(&e.c, c, optarg);
        if (k < 0)
            goto done;
        if (k > 0) {
            if (c == OPT_DECODE)
                e.decode_given = true;
            continue;
        }
        switch (c) {
        case 'o': e.out = optarg; break;
        case 'f':
            if (!strcmp(optarg, "json")) e.fmt = FMT_JSON;
            else if (!strcmp(optarg, "csv")) e.fmt = FMT_CSV;
            else if (!strcmp(optarg, "scores") || !strcmp(optarg, "scores.json")) e.fmt = FMT_SCORES;
            else if (!strcmp(optarg, "html")) e.fmt = FMT_HTML;
            else {
                cli_error("--format expects json, csv, scores or html, not '%s'", optarg);
                goto done;
            }
            break;
        case OPT_FORCE: e.force = true; break;
        case OPT_CSV_RAW: e.csv_raw = true; break;
        case OPT_VIEW:
            if (!strcmp(optarg, "heatmap")) e.view = VIEW_HEATMAP;
            else if (!strcmp(optarg, "granular")) e.view = VIEW_GRANULAR;
            else if (!strcmp(optarg, "tokens")) e.view = VIEW_TOKENS;
            else {
                cli_error("--view expects heatmap, granular or tokens, not '%s'", optarg);
                goto done;
            }
            break;
        case OPT_SHARED: e.shared_range = true; break;
        case OPT_SHOW_DIM:
            if (!parse_dim_ref(optarg, &e.g.show_dim))
                goto done;
            e.g.show_dim_set = true;
            break;
        case OPT_NO_SHOW_DIM: e.g.no_show_dim = true; break;
        case OPT_MAX_SHOW:
            if (!cli_parse_size("--max-show-size", optarg, &e.g.max_show_size))
                goto done;
            break;
        case OPT_SLICE:
            if (!parse_slice(&e, optarg))
                goto done;
            break;
        case OPT_F16: e.g.float16 = true; break;
        case OPT_MAX_MB:
            if (!cli_parse_double("--max-html-mb", optarg, &e.g.max_mb) || e.g.max_mb <= 0) {
                cli_error("--max-html-mb expects a positive number");
                goto done;
            }
            break;
        case OPT_WRAP:
            if (!parse_wrap(&e, optarg))
                goto done;
            break;
        case OPT_REPLACE:
            if (!parse_replace(&e, optarg))
                goto done;
            break;
        case OPT_STEP_HL: e.t.step_score = optarg; break;
        case 'h':
            fputs(export_usage, stdout);
            rc = EXIT_OK;
            goto done;
        default:
            rc = cli_bad_option("export", c, argv, longopts);
            goto done;
        }
    }
    if (!e.out) {
        cli_error("export needs -o OUT (a .json, .csv, .scores.json or .html file, or -)");
        goto done;
    }
    if (optind >= argc) {
        cli_error("export needs at least one FILE");
        goto done;
    }
    if (e.fmt == FMT_AUTO)
        e.fmt = fmt_from_name(e.out);
    if (e.fmt == FMT_AUTO) {
        if (strcmp(e.out, "-") != 0) {
            cli_error("cannot tell the format from '%s': name it .json, .csv, .scores.json or "
                      ".html, or give --format", e.out);
            goto done;
        }
        e.fmt = FMT_JSON;
    }
    if (e.fmt == FMT_HTML && e.view == VIEW_GRANULAR && !e.c.pipeline)
        e.c.pipeline = "none";
    if (e.c.has_range_mode && !(e.fmt == FMT_HTML && e.view == VIEW_HEATMAP)) {
        cli_error("--range-mode, --clip-percentile and --one-sided color the HTML heatmap "
                  "view only");
        goto done;
    }

    cli_signals_for_writing();
    as_output *o = cli_load(argv + optind, argc - optind);
    if (!o) {
        rc = EXIT_DATA;
        goto done;
    }
    bool need_2d = e.fmt == FMT_CSV || e.fmt == FMT_SCORES ||
                   (e.fmt == FMT_HTML && e.view != VIEW_GRANULAR);
    cli_results r;
    rc = cli_aggregate(o, &e.c, need_2d, &r);
    if (rc) {
        if (need_2d && e.fmt == FMT_CSV)
            fprintf(stderr, "attrscope: CSV holds 2D results: aggregate with -a\n");
        attr_output_free(o);
        goto done;
    }
    as_atomic af;
    as_error err = {0};
    if (atomic_open(&af, e.out, e.force, &err)) {
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
    } else {
        int wrc;
        switch (e.fmt) {
        case FMT_CSV: wrc = write_csv(af.f, &e, &r); break;
        case FMT_SCORES: wrc = write_scores(af.f, &r, o, &err); break;
        case FMT_HTML: wrc = write_html(af.f, &e, o, &r, &err); break;
        default: wrc = write_json(af.f, &e, o, &r); break;
        }
        if (wrc) {
            atomic_abort(&af);
            if (err.code == AS_EIO) /* say where: "OUT: writing HTML: No space left..." */
                as_error_prefix(&err, "%s", strcmp(e.out, "-") ? e.out : "standard output");
            cli_error("%s", err.msg[0] ? err.msg : "out of memory");
            rc = cli_exit_code(err.code ? err.code : AS_EDATA);
        } else if (atomic_commit(&af, &err)) {
            cli_error("%s", err.msg);
            rc = cli_exit_code(err.code);
        } else {
            rc = EXIT_OK;
        }
    }
    cli_results_free(&r);
    attr_output_free(o);
done:
    export_opts_free(&e);
    return rc;
}
