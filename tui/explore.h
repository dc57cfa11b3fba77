/* explore.h - the terminal explorer: the entry point the CLI calls.
 *
 * explore_main() runs the explorer on already-parsed options and returns
 * the process exit status (0 quit normally, 1 nothing could be loaded,
 * 2 bad usage or not a terminal, 130/143 interrupted or terminated).  It
 * prints nothing while curses runs; before curses starts and after it ends
 * it may write to stderr (errors, the --stats report).  The terminal is
 * restored before it returns, whatever happens.
 *
 * explore_opts_parse() reads the explorer's own options from argv for a
 * dispatcher that wants them (attrscope [OPTIONS] [FILE...]); the caller
 * owns opts' arrays afterwards and frees them with explore_opts_free().
 * Strings inside opts point into argv.
 */
#ifndef AS_TUI_EXPLORE_H
#define AS_TUI_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum explore_color {
    EXPLORE_COLOR_AUTO = 0,   /* from the terminal and COLORTERM / NO_COLOR */
    EXPLORE_COLOR_TRUE,
    EXPLORE_COLOR_256,
    EXPLORE_COLOR_8,
    EXPLORE_COLOR_MONO,
} explore_color;

typedef enum explore_decode {
    EXPLORE_DECODE_ON = 0,    /* decoded token text (GPT-2 bytes, ▁, ##) */
    EXPLORE_DECODE_RAW,       /* the raw strings of the file */
} explore_decode;

typedef struct explore_opts {
    const char **files;        /* paths; none: the in-memory file below */
    size_t nfiles;
    const void *buf;           /* used when nfiles == 0 (the bundled example) */
    size_t buflen;
    const char *bufname;       /* its name in the header and messages */
    const char *pipeline;      /* -a/--aggregate or -p/--pipeline; NULL: "default" */
    const char *weight;        /* --weight STEP, NULL none */
    const char *show_dim;      /* --show-dim NAME|INDEX, NULL none */
    const char **slices;       /* --slice DIM=A:B, repeatable */
    size_t nslices;
    size_t max_show_size;      /* --max-show-size, 0 = 20 */
    bool has_seq;              /* --seq N: the sequence shown first (0-based) */
    size_t seq;
    bool has_min, has_max;     /* --min, --max */
    double min, max;
    bool global_range;         /* --shared-range (--global-range): over the file's sequences */
    bool slices_range;         /* --slices-range: over every slider position */
    int range_mode;            /* as_range_mode: --range-mode, --one-sided, --clip-percentile */
    double percentile;
    explore_color color;       /* --color auto|truecolor|256|8|mono */
    explore_decode decode;     /* --raw-tokens, --decoded-tokens */
    bool color_set, decode_set;/* given on the command line (over the config file) */
    int mouse;                 /* --mouse 1, --no-mouse -1, 0: the config file's (on) */
    bool stats;                /* --stats: frame times to stderr at exit */
    bool compare;              /* --compare: start in compare mode (two files or more) */
    bool watch;                /* --watch: follow the files as they change */
} explore_opts;

int explore_main(const explore_opts *opts);

/* Parses explorer options and file names from argv[first..argc).  Returns
 * 0, or 2 with a message in err (errlen bytes).  "--" ends options. */
int explore_opts_parse(int argc, char **argv, int first, explore_opts *opts, char *err,
                       size_t errlen);
void explore_opts_free(explore_opts *opts);
/* The option summary for --help. */
const char *explore_opts_usage(void);

#endif
