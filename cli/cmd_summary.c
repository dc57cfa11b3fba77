/* attrscope summary FILES...|DIR: a dataset run at a glance (summary.h). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "catalog.h"
#include "cli.h"
#include "html.h"
#include "sumread.h"
#include "summary.h"
#include "sumview.h"
#include "table.h"

static const char summary_usage[] =
    "usage: attrscope summary [OPTIONS] FILE...|DIR...\n"
    "Summarises many attribution files (directories: the .json / .json.gz files in\n"
    "them), reading one file at a time.  Per sequence: source, target and generated\n"
    "length, attribution entropy per step, the share of attribution on the source\n"
    "per step (encoder-decoder), and the mean of each step score; over the dataset:\n"
    "their distributions, attribution mass by relative position and the tokens that\n"
    "receive the most attribution on average.  Sequences are numbered from 0 in\n"
    "each file.  Files that cannot be read are reported and left out.\n"
    "\n"
    "  -a, --aggregate PIPELINE  pipeline before summarising (default: the class default)\n"
    "      --json                one JSON object (every figure, per-step values included)\n"
    "      --csv                 one CSV row per sequence (tidy)\n"
    "  -o, --output OUT          write to OUT: .html (a page with SVG histograms), .json\n"
    "                            or .csv; - is standard output\n"
    "      --force               replace OUT if it exists\n"
    "      --bins N              histogram bins (default 20)\n"
    "      --top N               tokens listed (default 20)\n"
    "      --min-count N         only tokens that received at least N cells (default 2)\n"
    "      --sequences           also list every sequence (terminal table)\n"
    "      --sort COLUMN         order of that list and of --csv/--json sequences:\n"
    "                            src_len, tgt_len, gen_len, entropy, src_share or\n"
    "                            score:NAME (ascending; --reverse for descending)\n"
    "      --reverse             descending order\n"
    "      --decode-tokens MODE  auto, none, gpt2, sentencepiece or wordpiece\n"
    "      --threads N           files read at once on worker threads (default 1: in the\n"
    "                            command's own thread; memory holds N files)\n"
    "\n"
    "Entropy of a step: -sum p ln p (nats) over p = |a| / sum |a| of the finite cells\n"
    "of its column (source tokens and target prefix).  Source share: sum |source| /\n"
    "(sum |source| + sum |target prefix|), as in Voita et al. 2021.\n"
    "Exit status: 0 when some sequence was summarised (unreadable files are warned\n"
    "about), 1 when none was, 2 on bad usage.\n";

enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML };
enum {
    OPT_JSON = OPT_FIRST_FREE, OPT_CSV, OPT_FORCE_S, OPT_BINS, OPT_TOP, OPT_MINCOUNT,
    OPT_SEQS, OPT_SORT, OPT_REVERSE, OPT_THREADS,
};

typedef struct sum_cli {
    const char *pipeline, *out, *sort;
    int fmt;
    bool force, seqs, reverse;
    size_t bins, top, min_count, threads;
    tokens_mode decode;
} sum_cli;

/* ---- shared helpers ---- */

static void fmt_num(char *buf, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(buf, cap, isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.4g", v);
}

/* Display text of a token: decoded, escaped, fitted in cols columns. */
static void token_label(char *dst, size_t cap, tokens_mode m, const char *tok, int cols)
{
    tokens_label(dst, cap, m, tok, TOKENS_ESC_SYMBOLS | TOKENS_ESC_SPACE | TOKENS_ESC_BACKSLASH,
                 cols, NULL);
}

static tokens_mode resolve_mode(const as_summary *s, tokens_mode asked)
{
    if (asked != TOKENS_AUTO)
        return asked;
    sum_token *all;
    size_t n = summary_top_tokens(s, 0, summary_ntokens(s), &all);
    if (n == (size_t)-1)
        return TOKENS_NONE;
    const char **t = malloc((n ? n : 1) * sizeof *t);
    tokens_mode m = TOKENS_NONE;
    if (t) {
        for (size_t i = 0; i < n; i++)
            t[i] = all[i].text;
        m = tokens_detect(t, n);
        free(t);
    }
    free(all);
    return m;
}

static bool find_col(const as_summary *s, const char *name, size_t *col)
{
    for (size_t c = 0; c < summary_ncols(s); c++)
        if (!strcmp(summary_col_name(s, c), name)) {
            *col = c;
            return true;
        }
    return false;
}

/* The sequence order: by --sort, or as read. */
static size_t *seq_order(const as_summary *s, const sum_cli *o, size_t col)
{
    size_t n = summary_nseqs(s);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    if (o->sort)
        summary_sort(s, col, o->reverse, order);
    else
        for (size_t i = 0; i < n; i++)
            order[i] = o->reverse ? n - 1 - i : i;
    return order;
}

/* ---- terminal ---- */

static void put_padded(FILE *f, const char *s, int width)
{
    int w = tokens_width(s, strlen(s), 0);
    fputs(s, f);
    for (; w < width; w++)
        fputc(' ', f);
}

static void text_hist_row(FILE *f, const char *title, const sum_hist *h, bool escape_title)
{
    char mean[32], lo[32], hi[32], spark[SUMVIEW_BYTES(64)], t[200];
    fmt_num(mean, sizeof mean, h->mean);
    fmt_num(lo, sizeof lo, h->min);
    fmt_num(hi, sizeof hi, h->max);
    sumview_spark(spark, sizeof spark, h->counts, h->nbins < 64 ? h->nbins : 64);
    if (escape_title)
        tokens_fit(t, sizeof t, title, strlen(title), TOKENS_ESC_SYMBOLS | TOKENS_ESC_BACKSLASH,
                   30, NULL);
    else
        snprintf(t, sizeof t, "%s", title);
    fputs("  ", f);
    put_padded(f, t, 30);
    fprintf(f, " %7zu %7zu %9s %9s %9s  %s\n", h->n, h->missing, mean, lo, hi, spark);
}

static void text_hist_detail(FILE *f, const char *title, const sum_hist *h)
{
    fprintf(f, "\n%s (%zu values", title, h->n);
    if (h->missing)
        fprintf(f, ", %zu without attribution", h->missing);
    fputs(")\n", f);
    if (!h->n)
        return;
    size_t max = 0;
    for (size_t b = 0; b < h->nbins; b++)
        max = h->counts[b] > max ? h->counts[b] : max;
    for (size_t b = 0; b < h->nbins; b++) {
        double x0 = h->lo + (double)b * (h->hi - h->lo) / (double)h->nbins;
        double x1 = h->lo + (double)(b + 1) * (h->hi - h->lo) / (double)h->nbins;
        char bar[SUMVIEW_BYTES(40)];
        sumview_bar(bar, sizeof bar, max ? (double)h->counts[b] / (double)max : 0, 40);
        fprintf(f, "  [%8.4f, %8.4f%c %s %zu\n", x0, x1, b + 1 == h->nbins ? ']' : ')', bar,
                h->counts[b]);
    }
}

static int write_text(FILE *f, const as_summary *s, const sum_cli *o, size_t sort_col,
                      as_error *err)
{
    tokens_mode m = resolve_mode(s, o->decode);
    fprintf(f, "%zu sequences in %zu files, %zu generation steps (pipeline: ", summary_nseqs(s),
            summary_nfiles(s), summary_nsteps(s));
    cli_put_safe(f, o->pipeline ? o->pipeline : "default");
    fputs(")\n", f);
    if (summary_nfailed_files(s) || summary_nfailed_seqs(s)) {
        fprintf(f, "left out: %zu files, %zu sequences; first: ", summary_nfailed_files(s),
                summary_nfailed_seqs(s));
        cli_put_safe(f, summary_first_error(s) ? summary_first_error(s) : "");
        fputc('\n', f);
    }
    fprintf(f, "\nper sequence%20s %7s %7s %9s %9s %9s  distribution (%zu bins)\n", "", "n",
            "missing", "mean", "min", "max", o->bins);
    for (size_t c = 0; c < summary_ncols(s); c++) {
        sum_hist h;
        if (summary_hist_col(s, c, o->bins, &h, err) != AS_OK)
            return err->code;
        if (c >= SUM_COL_SCORES) {
            char t[256];
            snprintf(t, sizeof t, "%s (step score)", summary_score_name(s, c - SUM_COL_SCORES));
            text_hist_row(f, t, &h, true);
        } else {
            text_hist_row(f, sumview_col_title(s, c), &h, false);
        }
        sum_hist_free(&h);
    }
    fprintf(f, "per step\n");
    sum_hist he, hs;
    if (summary_hist_step(s, SUM_STEP_ENTROPY, o->bins, &he, err) != AS_OK)
        return err->code;
    if (summary_hist_step(s, SUM_STEP_SRC_SHARE, o->bins, &hs, err) != AS_OK) {
        sum_hist_free(&he);
        return err->code;
    }
    text_hist_row(f, "entropy (nats)", &he, false);
    text_hist_row(f, "source share", &hs, false);
    text_hist_detail(f, "entropy per step, nats", &he);
    if (hs.n)
        text_hist_detail(f, "source share per step", &hs);
    sum_hist_free(&he);
    sum_hist_free(&hs);

    fputs("\nattribution mass by relative position (tenths of the sequence, % of all)\n", f);
    fprintf(f, "  %-8s %6s ", "", "total");
    for (int b = 0; b < SUMMARY_POS_BINS; b++)
        fprintf(f, " %3d%%", b * 100 / SUMMARY_POS_BINS);
    fputc('\n', f);
    for (int side = 0; side < 2; side++) {
        double pm[SUMMARY_POS_BINS], tot = 0;
        char spark[SUMVIEW_BYTES(SUMMARY_POS_BINS)];
        summary_position_mass(s, (sum_side)side, pm);
        for (int b = 0; b < SUMMARY_POS_BINS; b++)
            tot += pm[b];
        sumview_spark_d(spark, sizeof spark, pm, SUMMARY_POS_BINS);
        fprintf(f, "  %-8s %5.1f%% ", side ? "target" : "source", 100 * tot);
        for (int b = 0; b < SUMMARY_POS_BINS; b++)
            fprintf(f, " %4.1f", 100 * pm[b]);
        fprintf(f, "  %s\n", spark);
    }

    sum_token *top;
    size_t n = summary_top_tokens(s, o->min_count, o->top, &top);
    if (n == (size_t)-1)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    fprintf(f, "\ntokens receiving the most attribution (mean share of a step, at least %zu "
               "cells)\n  %4s  %-24s %-6s %8s %8s\n",
            o->min_count, "#", "token", "side", "mean", "cells");
    for (size_t i = 0; i < n; i++) {
        char label[TOKENS_ESCAPE_MAX(100)];
        token_label(label, sizeof label, m, top[i].text, 24);
        fprintf(f, "  %4zu  ", i + 1);
        put_padded(f, label, 24);
        fprintf(f, " %-6s %8.4f %8zu\n", top[i].side ? "target" : "source",
                top[i].mass / (double)top[i].count, top[i].count);
    }
    if (!n)
        fputs("  (none)\n", f);
    free(top);

    if (o->seqs) {
        size_t *order = seq_order(s, o, sort_col);
        if (!order)
            return as_error_set(err, AS_ENOMEM, "out of memory");
        fputs("\nsequences", f);
        if (o->sort) {
            fputs(" by ", f);
            cli_put_safe(f, o->sort);
            fputs(o->reverse ? " (descending)" : "", f);
        }
        fputs("\n  file                     seq", f);
        for (size_t c = 0; c < summary_ncols(s); c++) {
            char t[64];
            tokens_fit(t, sizeof t, summary_col_name(s, c), strlen(summary_col_name(s, c)),
                       TOKENS_ESC_SYMBOLS | TOKENS_ESC_BACKSLASH, 10, NULL);
            fputc(' ', f);
            int w = tokens_width(t, strlen(t), 0);
            for (; w < 10; w++)
                fputc(' ', f);
            fputs(t, f);
        }
        fputc('\n', f);
        for (size_t i = 0; i < summary_nseqs(s); i++) {
            size_t k = order[i];
            const sum_seq *q = summary_seq(s, k);
            const char *file = summary_file(s, q->file);
            const char *base = strrchr(file, '/');
            char name[200];
            base = base ? base + 1 : file;
            tokens_fit(name, sizeof name, base, strlen(base),
                       TOKENS_ESC_SYMBOLS | TOKENS_ESC_BACKSLASH, 24, NULL);
            fputs("  ", f);
            put_padded(f, name, 24);
            fprintf(f, " %4zu", q->local);
            for (size_t c = 0; c < summary_ncols(s); c++) {
                char v[32];
                fmt_num(v, sizeof v, summary_value(s, k, c));
                fprintf(f, " %10s", v);
            }
            fputc('\n', f);
        }
        free(order);
    }
    return ferror(f) ? as_error_set(err, AS_EIO, "write error") : AS_OK;
}

/* ---- CSV ---- */

/* One CSV field through the table writer: escaped, formula-safe, quoted. */
static void csv_field(FILE *f, const char *s)
{
    table_csv_field(f, s, 0);
}

static int write_csv(FILE *f, const as_summary *s, const sum_cli *o, size_t sort_col,
                     as_error *err)
{
    size_t *order = seq_order(s, o, sort_col);
    if (!order)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    fputs("file,sequence,class", f);
    for (size_t c = 0; c < summary_ncols(s); c++) {
        fputc(',', f);
        csv_field(f, summary_col_name(s, c));
    }
    fputc('\n', f);
    for (size_t i = 0; i < summary_nseqs(s); i++) {
        size_t k = order[i];
        const sum_seq *q = summary_seq(s, k);
        csv_field(f, summary_file(s, q->file));
        fprintf(f, ",%zu,%s", q->local, attr_class_short(q->cls));
        for (size_t c = 0; c < summary_ncols(s); c++) {
            double v = summary_value(s, k, c);
            if (isnan(v))
                fputc(',', f);
            else if (summary_col_integer(c))
                fprintf(f, ",%.0f", v);
            else
                fprintf(f, ",%.9g", v);
        }
        fputc('\n', f);
    }
    free(order);
    return ferror(f) ? as_error_set(err, AS_EIO, "write error") : AS_OK;
}

/* ---- JSON ---- */

static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* obj[key] = val with a key from a file: made valid UTF-8 first (jansson
 * refuses other keys). */
static void set_text_key(json_t *obj, const char *key, json_t *val)
{
    json_t *k = table_json_text(key);
    json_object_setn_new(obj, json_string_value(k), json_string_length(k), val);
    json_decref(k);
}

static json_t *hist_json(const sum_hist *h)
{
    json_t *counts = json_array();
    for (size_t b = 0; b < h->nbins; b++)
        json_array_append_new(counts, json_integer((json_int_t)h->counts[b]));
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:o}", "mean", jnum(h->mean), "min",
                     jnum(h->min), "max", jnum(h->max), "lo", jnum(h->n ? h->lo : NAN), "hi",
                     jnum(h->n ? h->hi : NAN), "n", (json_int_t)h->n, "missing",
                     (json_int_t)h->missing, "counts", counts);
}

static json_t *floats_json(const float *v, size_t n)
{
    if (!v)
        return json_null();
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, jnum(v[i]));
    return a;
}

static int write_json(FILE *f, const as_summary *s, const sum_cli *o, size_t sort_col,
                      as_error *err)
{
    json_t *root = json_object();
    json_object_set_new(root, "pipeline", json_string(o->pipeline ? o->pipeline : "default"));
    json_t *files = json_array();
    for (size_t i = 0; i < summary_nfiles(s); i++)
        json_array_append_new(files, table_json_text(summary_file(s, i)));
    json_object_set_new(root, "files", files);
    json_object_set_new(root, "failed_files", json_integer((json_int_t)summary_nfailed_files(s)));
    json_object_set_new(root, "failed_sequences",
                        json_integer((json_int_t)summary_nfailed_seqs(s)));
    json_object_set_new(root, "first_error", summary_first_error(s)
                                                 ? table_json_text(summary_first_error(s))
                                                 : json_null());
    json_object_set_new(root, "steps", json_integer((json_int_t)summary_nsteps(s)));

    json_t *cols = json_object();
    for (size_t c = 0; c < summary_ncols(s); c++) {
        sum_hist h;
        if (summary_hist_col(s, c, o->bins, &h, err) != AS_OK) {
            json_decref(cols);
            json_decref(root);
            return err->code;
        }
        set_text_key(cols, summary_col_name(s, c), hist_json(&h));
        sum_hist_free(&h);
    }
    json_object_set_new(root, "columns", cols);
    json_t *steps = json_object();
    for (int k = 0; k < 2; k++) {
        sum_hist h;
        if (summary_hist_step(s, (sum_step_kind)k, o->bins, &h, err) != AS_OK) {
            json_decref(steps);
            json_decref(root);
            return err->code;
        }
        json_object_set_new(steps, k ? "src_share" : "entropy", hist_json(&h));
        sum_hist_free(&h);
    }
    json_object_set_new(root, "per_step", steps);
    json_t *pos = json_object();
    for (int side = 0; side < 2; side++) {
        double pm[SUMMARY_POS_BINS];
        summary_position_mass(s, (sum_side)side, pm);
        json_t *a = json_array();
        for (int b = 0; b < SUMMARY_POS_BINS; b++)
            json_array_append_new(a, json_real(pm[b]));
        json_object_set_new(pos, side ? "target" : "source", a);
    }
    json_object_set_new(root, "position_mass", pos);

    sum_token *top;
    size_t n = summary_top_tokens(s, o->min_count, o->top, &top);
    if (n == (size_t)-1) {
        json_decref(root);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    json_t *toks = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            toks, json_pack("{s:o,s:s,s:f,s:f,s:I}", "token", table_json_text(top[i].text), "side",
                            top[i].side ? "target" : "source", "mean",
                            top[i].mass / (double)top[i].count, "mass", top[i].mass, "count",
                            (json_int_t)top[i].count));
    free(top);
    json_object_set_new(root, "top_tokens", toks);

    size_t *order = seq_order(s, o, sort_col);
    if (!order) {
        json_decref(root);
        return as_error_set(err, AS_ENOMEM, "out of memory");
    }
    json_t *seqs = json_array();
    for (size_t i = 0; i < summary_nseqs(s); i++) {
        size_t k = order[i];
        const sum_seq *q = summary_seq(s, k);
        json_t *j = json_pack("{s:I,s:I,s:s,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "file",
                              (json_int_t)q->file, "sequence", (json_int_t)q->local, "class",
                              attr_class_short(q->cls), "src_len", (json_int_t)q->src_len,
                              "tgt_len", (json_int_t)q->tgt_len, "gen_len",
                              (json_int_t)q->gen_len, "entropy", jnum(q->entropy_mean),
                              "src_share", jnum(q->src_share_mean), "entropy_per_step",
                              floats_json(q->entropy, q->gen_len), "src_share_per_step",
                              floats_json(q->src_share, q->gen_len));
        json_t *sc = json_object();
        for (size_t c = 0; c < summary_nscores(s); c++) {
            double v = summary_value(s, k, SUM_COL_SCORES + c);
            if (!isnan(v))
                set_text_key(sc, summary_score_name(s, c), jnum(v));
        }
        json_object_set_new(j, "step_scores", sc);
        json_array_append_new(seqs, j);
    }
    free(order);
    json_object_set_new(root, "sequences", seqs);
    int rc = table_json_dump(f, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(root);
    return rc || ferror(f) ? as_error_set(err, AS_EIO, "write error") : AS_OK;
}

/* ---- HTML ---- */

static int write_html(FILE *f, const as_summary *s, const sum_cli *o, as_error *err)
{
    html_out h;
    html_out_file(&h, f);
    sumview_opts v = {.pipeline = o->pipeline, .bins = o->bins, .top = o->top,
                      .min_count = o->min_count, .mode = resolve_mode(s, o->decode)};
    int rc = sumview_html_page(&h, s, &v, err);
    if (rc == AS_OK)
        rc = html_out_flush(&h, err);
    html_out_free(&h);
    return rc;
}

/* ---- reading ---- */

static as_summary *read_all(char **paths, int n, const as_pipeline *p, size_t threads,
                            int *rc)
{
    as_error err = {0};
    as_catalog *cat = catalog_new((const char *const *)paths, (size_t)n, 0, &err);
    if (!cat) {
        cli_error("%s", err.msg);
        *rc = cli_exit_code(err.code);
        return NULL;
    }
    size_t nf = catalog_nfiles(cat);
    const char **files = malloc(nf * sizeof *files);
    as_summary *s = summary_new();
    sum_reader *r = NULL;
    if (!files || !s) {
        cli_error("out of memory");
        goto fail;
    }
    for (size_t i = 0; i < nf; i++)
        files[i] = catalog_file(cat, i);
    /* one file at a time: in this thread (a worker would only cost more) */
    r = sumread_start(files, nf, p, threads > 1 ? (int)threads : 0, &err);
    if (!r) {
        cli_error("%s", err.msg);
        goto fail;
    }
    bool tty = isatty(STDERR_FILENO);
    size_t fi;
    sum_part *part;
    char *msg;
    while (sumread_next(r, true, &fi, &part, &msg) == 1) {
        if (msg) {
            fprintf(stderr, "%sattrscope: ", tty ? "\r\033[K" : "");
            cli_put_safe(stderr, msg);
            fputs(" (left out)\n", stderr);
            summary_add_failure(s, files[fi], msg);
            free(msg);
            continue;
        }
        if (summary_part_error(part)) {
            fprintf(stderr, "%sattrscope: ", tty ? "\r\033[K" : "");
            cli_put_safe(stderr, files[fi]);
            fputs(": ", stderr);
            cli_put_safe(stderr, summary_part_error(part));
            fprintf(stderr, " (%zu sequences left out)\n", summary_part_nfailed(part));
        }
        if (summary_add_part(s, files[fi], part, &err) != AS_OK) {
            cli_error("%s", err.msg);
            goto fail;
        }
        if (tty && nf > 1 && (fi % 8 == 7 || fi + 1 == nf))
            fprintf(stderr, "\r\033[Kreading files: %zu/%zu", fi + 1, nf);
    }
    if (tty && nf > 1)
        fputs("\r\033[K", stderr);
    sumread_free(r);
    free(files);
    catalog_free(cat);
    return s;
fail:
    sumread_free(r);
    summary_free(s);
    free(files);
    catalog_free(cat);
    *rc = EXIT_DATA;
    return NULL;
}

static int fmt_from_name(const char *out)
{
    size_t n = strlen(out);
#define ENDS(x) (n >= sizeof x - 1 && !strcmp(out + n - (sizeof x - 1), x))
    if (ENDS(".html") || ENDS(".htm"))
        return FMT_HTML;
    if (ENDS(".json"))
        return FMT_JSON;
    if (ENDS(".csv"))
        return FMT_CSV;
#undef ENDS
    return FMT_TEXT;
}

int cmd_summary(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"aggregate", required_argument, NULL, 'a'},
        {"pipeline", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, OPT_JSON},
        {"csv", no_argument, NULL, OPT_CSV},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE_S},
        {"bins", required_argument, NULL, OPT_BINS},
        {"top", required_argument, NULL, OPT_TOP},
        {"min-count", required_argument, NULL, OPT_MINCOUNT},
        {"sequences", no_argument, NULL, OPT_SEQS},
        {"sort", required_argument, NULL, OPT_SORT},
        {"reverse", no_argument, NULL, OPT_REVERSE},
        {"decode-tokens", required_argument, NULL, OPT_DECODE},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sum_cli o = {.fmt = -1, .bins = 20, .top = 20, .min_count = 2, .threads = 1,
                 .decode = TOKENS_AUTO};
    int c;
    optind = 1;
    as_error err = {0};
    while ((c = getopt_long(argc, argv, "a:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a': o.pipeline = optarg; break;
        case 'o': o.out = optarg; break;
        case OPT_JSON: o.fmt = FMT_JSON; break;
        case OPT_CSV: o.fmt = FMT_CSV; break;
        case OPT_FORCE_S: o.force = true; break;
        case OPT_BINS:
            if (!cli_parse_size("--bins", optarg, &o.bins))
                return EXIT_USAGE;
            if (o.bins < 1 || o.bins > 200) {
                cli_error("--bins expects 1 to 200");
                return EXIT_USAGE;
            }
            break;
        case OPT_TOP:
            if (!cli_parse_size("--top", optarg, &o.top))
                return EXIT_USAGE;
            break;
        case OPT_MINCOUNT:
            if (!cli_parse_size("--min-count", optarg, &o.min_count))
                return EXIT_USAGE;
            break;
        case OPT_SEQS: o.seqs = true; break;
        case OPT_SORT: o.sort = optarg; break;
        case OPT_REVERSE: o.reverse = true; break;
        case OPT_DECODE:
            if (tokens_mode_parse(optarg, &o.decode, &err) != AS_OK) {
                cli_error("%s", err.msg);
                return EXIT_USAGE;
            }
            break;
        case OPT_THREADS:
            if (!cli_parse_size("--threads", optarg, &o.threads))
                return EXIT_USAGE;
            if (o.threads < 1 || o.threads > 8) {
                cli_error("--threads expects 1 to 8");
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(summary_usage, stdout); return EXIT_OK;
        default: fputs(summary_usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("summary needs at least one FILE or DIR");
        return EXIT_USAGE;
    }
    if (o.fmt < 0)
        o.fmt = o.out ? fmt_from_name(o.out) : FMT_TEXT;
    as_pipeline p = {0};
    as_pipe_errpos pos;
    if (pipe_parse(o.pipeline ? o.pipeline : "default", &p, &pos, &err) != AS_OK) {
        cli_error("-a: %s", err.msg);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    as_summary *s = read_all(argv + optind, argc - optind, &p, o.threads, &rc);
    pipe_free(&p);
    if (!s)
        return rc;
    size_t sort_col = 0;
    if (o.sort && !find_col(s, o.sort, &sort_col)) {
        cli_error("--sort: no column '%s' (src_len, tgt_len, gen_len, entropy, src_share, or "
                  "score:NAME of a step score in the files)", o.sort);
        summary_free(s);
        return EXIT_USAGE;
    }
    if (!summary_nseqs(s)) {
        cli_error("no sequence could be summarised%s%s", summary_first_error(s) ? ": " : "",
                  summary_first_error(s) ? summary_first_error(s) : "");
        summary_free(s);
        return EXIT_DATA;
    }
    as_atomic af;
    if (atomic_open(&af, o.out ? o.out : "-", o.force, &err)) {
        cli_error("%s", err.msg);
        summary_free(s);
        return cli_exit_code(err.code);
    }
    int wrc;
    switch (o.fmt) {
    case FMT_JSON: wrc = write_json(af.f, s, &o, sort_col, &err); break;
    case FMT_CSV: wrc = write_csv(af.f, s, &o, sort_col, &err); break;
    case FMT_HTML: wrc = write_html(af.f, s, &o, &err); break;
    default: wrc = write_text(af.f, s, &o, sort_col, &err); break;
    }
    if (wrc) {
        atomic_abort(&af);
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
    } else if (atomic_commit(&af, &err)) {
        cli_error("%s", err.msg);
        rc = cli_exit_code(err.code);
    }
    summary_free(s);
    return rc;
}
