/* opts.c - the explorer's command-line options (see explore.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "suggest.h"
#include "range.h"

const char *explore_opts_usage(void)
{
    return "  -a, --aggregate P     aggregation pipeline (default: default; none: raw tensors)\n"
           "  -p, --pipeline P      the same\n"
           "      --seq N           the sequence shown first (0-based, as info lists them)\n"
           "      --weight STEP     weight attributions by a step score\n"
           "      --show-dim D      extra dim (name or index) shown as sub-columns\n"
           "      --slice DIM=A:B   keep indices A..B-1 of a dim (repeatable)\n"
           "      --max-show-size N largest dim shown as sub-columns (default 20)\n"
           "      --min X, --max X  color range (default: -a..a, a the largest |value|)\n"
           "      --range-mode M    abs, inseq (-m..m, m = max(0, largest value)), one-sided\n"
           "                        (0..a, white to red) or percentile\n"
           "      --clip-percentile P  -p..p, p the P-th percentile of |value|\n"
           "      --one-sided       the same as --range-mode one-sided\n"
           "      --shared-range    one color range over all sequences of the file\n"
           "                        (--global-range is the same)\n"
           "      --slices-range    one color range over every slider position\n"
           "      --color MODE      auto, truecolor, 256, 8 or mono (NO_COLOR is honoured)\n"
           "      --raw-tokens      show token strings as stored, not decoded\n"
           "      --decode-tokens M auto (default) or none (= --raw-tokens)\n"
           "      --decoded-tokens  decoded token text (over the config file's tokens = raw)\n"
           "      --no-mouse        leave the mouse to the terminal (text selection)\n"
           "      --mouse           take mouse clicks and the wheel (the default)\n"
           "      --stats           print frame times to stderr at exit\n"
           "      --compare         start comparing the first two files (key c)\n"
           "      --watch           follow: reload when the files or directory change (key F)\n";
}

static int fail(char *err, size_t n, const char *fmt, const char *a)
{
    snprintf(err, n, fmt, a);
    return 2;
}

static int push(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int explore_opts_parse(int argc, char **argv, int first, explore_opts *o, char *err,
                       size_t errlen)
{
    memset(o, 0, sizeof *o);
    bool opts_done = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || !strcmp(a, "-")) {
            if (push(&o->files, &o->nfiles, a))
                return fail(err, errlen, "%s", "out of memory");
            continue;
        }
        if (!strcmp(a, "--")) {
            opts_done = true;
            continue;
        }
        /* --name=value or --name value */
        char name[64];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        if (eq && !strncmp(a, "--", 2)) {
            size_t l = (size_t)(eq - a);
            if (l >= sizeof name)
                return fail(err, errlen, "unknown option '%s'", a);
            memcpy(name, a, l);
            name[l] = '\0';
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
        static const char *const known[] = {
            "--global-range", "--raw-tokens", "--stats", "--aggregate", "--pipeline",
            "--weight", "--show-dim", "--slice", "--max-show-size", "--min", "--max",
            "--color", "--decode-tokens", "--seq", "--decoded-tokens", "--mouse", "--no-mouse",
            "--compare", "--watch", "--shared-range", "--slices-range", "--one-sided",
            "--range-mode", "--clip-percentile", "-a", "-p",
        };
        size_t nknown = sizeof known / sizeof known[0], ki = 0;
        while (ki < nknown && strcmp(name, known[ki]))
            ki++;
        if (ki == nknown) {
            const char *near = !strncmp(name, "--", 2) ? suggest_near(name, known, nknown - 2)
                                                       : NULL;
            if (near)
                snprintf(err, errlen, "unknown option '%s' (did you mean '%s'?); try "
                         "'attrscope --help'", name, near);
            else
                snprintf(err, errlen, "unknown option '%s'; try 'attrscope --help'", name);
            return 2;
        }
        bool flag = !strcmp(name, "--global-range") || !strcmp(name, "--shared-range") ||
                    !strcmp(name, "--slices-range") || !strcmp(name, "--one-sided") ||
                    !strcmp(name, "--raw-tokens") ||
                    !strcmp(name, "--stats") || !strcmp(name, "--decoded-tokens") ||
                    !strcmp(name, "--mouse") || !strcmp(name, "--no-mouse") ||
                    !strcmp(name, "--compare") || !strcmp(name, "--watch");
        if (flag) {
            if (val)
                return fail(err, errlen, "option '%s' takes no value", name);
        } else if (!val) {
            if (i + 1 >= argc)
                return fail(err, errlen, "option '%s' needs a value; try 'attrscope --help'",
                            name);
            val = argv[++i];
        }
        if (!strcmp(name, "--global-range") || !strcmp(name, "--shared-range")) {
            o->global_range = true;
        } else if (!strcmp(name, "--slices-range")) {
            o->slices_range = true;
        } else if (!strcmp(name, "--one-sided")) {
            o->range_mode = AS_RANGE_ONE_SIDED;
        } else if (!strcmp(name, "--range-mode")) {
            as_range_spec spec = {0};
            if (!range_mode_parse(val, &spec))
                return fail(err, errlen,
                            "--range-mode: '%s' is not one of abs, inseq, one-sided, percentile",
                            val);
            o->range_mode = spec.mode;
        } else if (!strcmp(name, "--clip-percentile")) {
            if (parse_double(val, &o->percentile) || !(o->percentile > 0 && o->percentile <= 100))
                return fail(err, errlen,
                            "--clip-percentile: '%s' is not a percentile above 0 and up to 100",
                            val);
            o->range_mode = AS_RANGE_PERCENTILE;
        } else if (!strcmp(name, "--raw-tokens")) {
            o->decode = EXPLORE_DECODE_RAW;
            o->decode_set = true;
        } else if (!strcmp(name, "--decoded-tokens")) {
            o->decode = EXPLORE_DECODE_ON;
            o->decode_set = true;
        } else if (!strcmp(name, "--mouse")) {
            o->mouse = 1;
        } else if (!strcmp(name, "--no-mouse")) {
            o->mouse = -1;
        } else if (!strcmp(name, "--stats")) {
            o->stats = true;
        } else if (!strcmp(name, "--compare")) {
            o->compare = true;
        } else if (!strcmp(name, "--watch")) {
            o->watch = true;
        } else if (!strcmp(name, "-a") || !strcmp(name, "--aggregate") || !strcmp(name, "-p") ||
                   !strcmp(name, "--pipeline")) {
            o->pipeline = val;
        } else if (!strcmp(name, "--decode-tokens")) {
            /* the commands' option: the explorer finds each file's decoding */
            if (!strcmp(val, "none"))
                o->decode = EXPLORE_DECODE_RAW;
            else if (!strcmp(val, "auto"))
                o->decode = EXPLORE_DECODE_ON;
            o->decode_set = true;
            if (strcmp(val, "none") && strcmp(val, "auto"))
                return fail(err, errlen,
                            "--decode-tokens: the explorer takes auto or none (it finds each "
                            "file's decoding), not '%s'", val);
        } else if (!strcmp(name, "--seq")) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-')
                return fail(err, errlen,
                            "--seq: '%s' is not a sequence index (the explorer opens one: 0, 1, ...)",
                            val);
            o->has_seq = true;
            o->seq = (size_t)n;
        } else if (!strcmp(name, "--weight")) {
            o->weight = val;
        } else if (!strcmp(name, "--show-dim")) {
            o->show_dim = val;
        } else if (!strcmp(name, "--slice")) {
            if (push(&o->slices, &o->nslices, val))
                return fail(err, errlen, "%s", "out of memory");
        } else if (!strcmp(name, "--max-show-size")) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-' || n == 0)
                return fail(err, errlen, "--max-show-size: '%s' is not a positive integer",
                            val);
            o->max_show_size = (size_t)n;
        } else if (!strcmp(name, "--min")) {
            if (parse_double(val, &o->min))
                return fail(err, errlen, "--min: '%s' is not a number", val);
            o->has_min = true;
        } else if (!strcmp(name, "--max")) {
            if (parse_double(val, &o->max))
                return fail(err, errlen, "--max: '%s' is not a number", val);
            o->has_max = true;
        } else if (!strcmp(name, "--color")) {
            static const char *modes[] = {"auto", "truecolor", "256", "8", "mono"};
            size_t k = 0;
            while (k < 5 && strcmp(val, modes[k]))
                k++;
            if (k == 5)
                return fail(err, errlen,
                            "--color: '%s' is not one of auto, truecolor, 256, 8, mono", val);
            o->color = (explore_color)k;
            o->color_set = true;
        } else {
            return fail(err, errlen, "unknown option '%s'", name);
        }
    }
    return 0;
}

void explore_opts_free(explore_opts *o)
{
    free(o->files);
    free(o->slices);
    o->files = NULL;
    o->slices = NULL;
    o->nfiles = o->nslices = 0;
}
