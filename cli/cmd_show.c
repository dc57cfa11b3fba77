/* attrscope show FILE...: inseq's console heatmaps, fitted to the terminal. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char show_usage[] =
    "usage: attrscope show FILE... [OPTIONS]\n"
    "Prints the heatmaps of each sequence as inseq's show() does in a console:\n"
    "source and target attributions (rows: attributed tokens, columns: generated\n"
    "tokens), values rounded to 2 places, step scores beneath.  Tables wider than\n"
    "the terminal are split into pages of columns.\n"
    "\n"
    CLI_COMMON_HELP
    "      --color MODE          auto, truecolor, 256, 8 or mono (also always: color\n"
    "                            even into a pipe, never: mono); auto colors only a\n"
    "                            terminal, never when NO_COLOR is set, in truecolor\n"
    "                            when COLORTERM is truecolor or 24bit\n"
    CLI_RANGE_HELP
    "      --shared-range        one color range for all sequences shown\n"
    "      --width N             columns to fit (default: COLUMNS, else the terminal's\n"
    "                            width, else 80; 0 = no limit)\n"
    "  -h, --help                this help\n";

enum { OPT_COLOR = OPT_FIRST_FREE, OPT_WIDTH, OPT_SHARED };

typedef enum color_when {
    COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER, COLOR_256, COLOR_TRUE, COLOR_8,
} color_when;

static bool parse_color(const char *s, color_when *out)
{
    static const struct {
        const char *name;
        color_when v;
    } names[] = {
        {"auto", COLOR_AUTO},  {"truecolor", COLOR_TRUE}, {"256", COLOR_256},
        {"8", COLOR_8},        {"mono", COLOR_NEVER},     {"always", COLOR_ALWAYS},
        {"never", COLOR_NEVER}, {"24bit", COLOR_TRUE},    {"yes", COLOR_ALWAYS},
        {"no", COLOR_NEVER},   {"none", COLOR_NEVER},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) {
            *out = names[i].v;
            return true;
        }
    cli_error("--color expects auto, truecolor, 256, 8 or mono (or always, never), not '%s'",
              s);
    return false;
}

static text_color resolve_color(color_when w)
{
    if (w == COLOR_NEVER)
        return TEXT_COLOR_NONE;
    if (w == COLOR_256)
        return TEXT_COLOR_256;
    if (w == COLOR_TRUE)
        return TEXT_COLOR_TRUE;
    if (w == COLOR_8)
        return TEXT_COLOR_8;
    if (w == COLOR_AUTO) {
        const char *nc = getenv("NO_COLOR");
        if ((nc && *nc) || !isatty(STDOUT_FILENO))
            return TEXT_COLOR_NONE;
    }
    const char *ct = getenv("COLORTERM");
    if (ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")))
        return TEXT_COLOR_TRUE;
    return TEXT_COLOR_256;
}

/* --width, else COLUMNS, else the terminal's width, else 80. */
static int resolve_width(bool given, size_t width)
{
    if (given)
        return width > 100000 ? 100000 : (int)width;
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long v = strtol(c, &end, 10);
        if (!*end && v > 0)
            return v > 100000 ? 100000 : (int)v;
    }
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"color", required_argument, NULL, OPT_COLOR},
        {"colour", required_argument, NULL, OPT_COLOR},
        {"width", required_argument, NULL, OPT_WIDTH},
        CLI_RANGE_LONGOPTS,
        {"shared-range", no_argument, NULL, OPT_SHARED},
        {"global-range", no_argument, NULL, OPT_SHARED},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common common = {0};
    color_when when = COLOR_AUTO;
    bool has_width = false, shared = false;
    size_t width = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":a:h", longopts, NULL)) != -1) {
        int r = cli_common_opt(&common, c, optarg);
        if (!r)
            r = cli_range_opt(&common, c, optarg);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        switch (c) {
        case OPT_COLOR:
            if (!parse_color(optarg, &when))
                return EXIT_USAGE;
            break;
        case OPT_SHARED:
            shared = true;
            break;
        case OPT_WIDTH:
            if (!cli_parse_size("--width", optarg, &width))
                return EXIT_USAGE;
            has_width = true;
            break;
        case 'h':
            fputs(show_usage, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("show", c, argv, longopts);
        }
    }
    if (optind >= argc) {
        cli_error("show needs at least one FILE; try 'attrscope show --help'");
        return EXIT_USAGE;
    }
    if (common.has_min && common.has_max && !(common.vmin < common.vmax)) {
        cli_error("--min %g must be below --max %g", common.vmin, common.vmax);
        return EXIT_USAGE;
    }

    as_output *o = cli_load(argv + optind, argc - optind);
    if (!o)
        return EXIT_DATA;
    cli_results res;
    int rc = cli_aggregate(o, &common, true, &res);
    if (rc) {
        attr_output_free(o);
        return rc;
    }
    text_opts topts = {
        .width = resolve_width(has_width, width),
        .color = resolve_color(when),
        .mode = res.mode,
        .label_flags = TOKENS_ESC_SPACE,
        .range_mode = common.range_mode,
        .percentile = common.percentile,
        .has_min = common.has_min,
        .has_max = common.has_max,
        .min_val = common.vmin,
        .max_val = common.vmax,
    };
    as_error err = {0};
    char note[64];
    if (shared && res.n > 0) {
        /* one range over every sequence shown: the bounds become fixed */
        as_range_spec spec = {.mode = topts.range_mode, .percentile = topts.percentile,
                              .has_min = topts.has_min, .has_max = topts.has_max,
                              .min = topts.min_val, .max = topts.max_val};
        range_acc a;
        range_acc_init(&a, range_needs_values(&spec));
        for (size_t k = 0; k < res.n; k++)
            range_acc_seq(&a, res.seqs[k]);
        as_range r = range_resolve(&spec, &a);
        range_acc_free(&a);
        range_spec_label(&spec, note, sizeof note - 8);
        strcat(note, ", shared");
        topts.range_note = note;
        topts.has_min = topts.has_max = true;
        topts.min_val = r.lo;
        topts.max_val = r.hi;
    }
    for (size_t k = 0; k < res.n && rc == EXIT_OK; k++) {
        const as_seq *s = res.seqs[k];
        const char *file = o->files[o->seqs[res.idx[k]].file_index];
        printf("Sequence %zu (", res.idx[k]);
        cli_put_safe(stdout, file);
        printf(")\n");
        double vmin, vmax;
        text_seq_range(s, &topts, &vmin, &vmax);
        if (text_legend_write(stdout, vmin, vmax, &topts, &err) ||
            text_seq_write(stdout, s, &topts, &err)) {
            cli_error("%s: sequence %zu: %s", file, res.idx[k], err.msg);
            rc = cli_exit_code(err.code);
        }
    }
    cli_results_free(&res);
    attr_output_free(o);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return EXIT_DATA;
    }
    return rc;
}
