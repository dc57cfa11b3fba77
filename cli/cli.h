/* cli.h - the command-line faces of attrscope (info, show, export, save) and
 * what they share: option parsing helpers and terminal-safe output.
 *
 * Exit codes: 0 ok, 1 bad input data, 2 bad usage (AS_EDATA / AS_EUSAGE).
 * Everything a file provides is escaped before it reaches a terminal or a
 * pipe (cli_put_safe).  Errors go to stderr as "attrscope: MESSAGE".
 */
#ifndef AS_CLI_H
#define AS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "agg.h"
#include "load.h"
#include "tokens.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

int cmd_info(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_summary(int argc, char **argv);

/* Prints "attrscope: msg" (escaped) to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit code for an as_error code. */
int cli_exit_code(int as_code);
/* Writes text from a file with every control character escaped. */
void cli_put_safe(FILE *f, const char *s);
/* For commands that write files: SIGINT, SIGTERM, SIGHUP and SIGQUIT remove
 * the temporary files (atomic.h) before ending the process as usual, and
 * SIGXFSZ is ignored so that a write over the file size limit fails with
 * a message instead of killing the process. */
void cli_signals_for_writing(void);
/* Loads the files (or the bundled example when n == 0), with a progress
 * line on stderr when it is a terminal and loading takes a while.  On
 * failure prints the error and returns NULL. */
as_output *cli_load(char **files, int n);

/* Parses a sequence selection "0,2,5-7" (or "all") against nseqs into a
 * malloc'd index list; false (and a message) when invalid. */
bool cli_parse_seq_list(const char *s, size_t nseqs, size_t **idx, size_t *n);
/* After getopt_long returned '?' or ':' (the caller sets opterr = 0 and
 * starts its optstring with ':'): prints one line, "show: unknown option
 * '--widht' (did you mean '--width'?); try 'attrscope show --help'" or
 * "... option '-a' needs a value; ...", and returns EXIT_USAGE. */
struct option;
int cli_bad_option(const char *cmd, int c, char **argv, const struct option *longopts);
/* Parses a double / non-negative size option value. */
bool cli_parse_double(const char *opt, const char *s, double *out);
bool cli_parse_size(const char *opt, const char *s, size_t *out);

/* The bundled example file (generated at build time). */
extern const unsigned char as_example_json[];
extern const unsigned long as_example_json_len;

/* ---- Options shared by show, export and save ---- */

#include "agg.h"
#include "range.h"
#include "tokens.h"

typedef struct cli_common {
    const char *pipeline;   /* -a; NULL = "default" */
    const char *seq;        /* --seq; NULL = all */
    const char *weight;     /* --weight */
    double vmin, vmax;      /* --min / --max */
    bool has_min, has_max;
    tokens_mode decode;     /* --decode-tokens (auto | none | gpt2 | ...) */
    as_range_mode range_mode; /* --range-mode, --clip-percentile, --one-sided */
    double percentile;
    bool has_range_mode;
} cli_common;

/* getopt_long ids of the common options, and their table entries. */
enum {
    OPT_PIPELINE = 'a',
    OPT_SEQ = 0x100, OPT_WEIGHT, OPT_MIN, OPT_MAX, OPT_DECODE, OPT_MAX_MEMORY, OPT_RAW_TOKENS,
    OPT_RANGE_MODE = 0x140, OPT_CLIP_PERCENTILE, OPT_ONE_SIDED,
    OPT_FIRST_FREE = 0x180,
};
/* The color-range options of the commands that color (show, export). */
#define CLI_RANGE_LONGOPTS                                           \
    {"range-mode", required_argument, NULL, OPT_RANGE_MODE},         \
    {"clip-percentile", required_argument, NULL, OPT_CLIP_PERCENTILE}, \
    {"one-sided", no_argument, NULL, OPT_ONE_SIDED}
#define CLI_RANGE_HELP                                                                \
    "      --range-mode MODE     abs (-a..a, a the largest |value|), inseq (-m..m,\n"   \
    "                            m = max(0, largest value)), one-sided (0..a, white\n" \
    "                            to red) or percentile (see --clip-percentile)\n"      \
    "      --clip-percentile P   -p..p, p the P-th percentile of |value| (0 < P <= 100)\n" \
    "      --one-sided           the same as --range-mode one-sided\n"
/* Parses a range option: 1 taken, 0 not one of them, -1 bad value. */
int cli_range_opt(cli_common *c, int opt, const char *arg);
#define CLI_COMMON_LONGOPTS                                          \
    {"aggregate", required_argument, NULL, OPT_PIPELINE},            \
    {"pipeline", required_argument, NULL, OPT_PIPELINE},             \
    {"seq", required_argument, NULL, OPT_SEQ},                       \
    {"weight", required_argument, NULL, OPT_WEIGHT},                 \
    {"min", required_argument, NULL, OPT_MIN},                       \
    {"max", required_argument, NULL, OPT_MAX},                       \
    {"decode-tokens", required_argument, NULL, OPT_DECODE},          \
    {"raw-tokens", no_argument, NULL, OPT_RAW_TOKENS},               \
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY}
#define CLI_COMMON_HELP                                                               \
    "  -a, --aggregate PIPELINE  aggregation pipeline (default: the class default)\n" \
    "      --seq LIST            sequences to use: 0,2,5-7 or all (default all)\n"   \
    "      --weight STEP         weight_attributions by this step score\n"          \
    "      --min V, --max V      color range (default symmetric around 0)\n"        \
    "      --decode-tokens MODE  auto, none, gpt2, sentencepiece or wordpiece\n"     \
    "      --raw-tokens          the same as --decode-tokens none (as the explorer)\n" \
    "      --max-memory SIZE     refuse to use more memory (e.g. 4G; default 3/4 of RAM)\n"

/* Handles a common option: 1 consumed, 0 not a common option, -1 invalid
 * (message printed). */
int cli_common_opt(cli_common *c, int opt, const char *arg);

/* The aggregated sequences a command works on. */
typedef struct cli_results {
    size_t *idx;           /* indices into out->seqs */
    as_seq **seqs;         /* aggregated (owned) */
    size_t n;
    tokens_mode mode;      /* resolved token decoding */
} cli_results;

/* Selects (--seq), aggregates (-a, --weight) and, when need_2d, checks that
 * every result is 2D.  On failure prints "FILE: ..." and returns the exit
 * code; 0 on success. */
int cli_aggregate(const as_output *o, const cli_common *c, bool need_2d, cli_results *r);
void cli_results_free(cli_results *r);
/* The pipeline text as given (or "default"). */
const char *cli_pipeline_text(const cli_common *c);

#endif
