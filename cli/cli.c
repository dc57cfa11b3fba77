#include "cli.h"
#include "catalog.h"

#include <getopt.h>

#include "suggest.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "tokens.h"

void cli_put_safe(FILE *f, const char *s)
{
    char *e = tokens_escape_dup(s, strlen(s), 0);
    if (e) {
        fputs(e, f);
        free(e);
    }
}

void cli_error(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("attrscope: ", stderr);
    cli_put_safe(stderr, msg);
    fputc('\n', stderr);
}

int cli_exit_code(int as_code)
{
    return as_code == AS_EUSAGE ? EXIT_USAGE : as_code == AS_OK ? EXIT_OK : EXIT_DATA;
}

typedef struct progress_state {
    double start;
    bool shown;
} progress_state;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void progress(void *ud, uint64_t done, uint64_t total, size_t seqs)
{
    progress_state *p = ud;
    if (now() - p->start < 0.3)
        return;
    p->shown = true;
    if (total)
        fprintf(stderr, "\rloading: %3.0f%% (%llu of %llu MB)", 100.0 * (double)done / (double)total,
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20));
    else if (seqs)
        fprintf(stderr, "\rloading: %zu sequences decoded", seqs);
    fflush(stderr);
}

as_output *cli_load(char **files, int n)
{
    progress_state ps = {.start = now()};
    as_load_opts opts = {0};
    if (isatty(STDERR_FILENO)) {
        opts.progress = progress;
        opts.progress_ud = &ps;
    }
    as_error err = {0};
    as_output *o;
    if (n == 0) {
        if (as_example_json_len == 0) {
            cli_error("this build has no bundled example; give a FILE");
            return NULL;
        }
        o = as_load_buffer(as_example_json, as_example_json_len, "example.json", &opts, &err);
    } else {
        /* the catalog lists the files as the explorer does: a directory is
         * its regular .json / .json.gz files, in name order */
        as_catalog *c = catalog_new((const char *const *)files, (size_t)n, 0, &err);
        if (!c) {
            o = NULL;
        } else {
            size_t nf = catalog_nfiles(c);
            const char **paths = malloc(nf * sizeof *paths);
            if (!paths) {
                as_error_set(&err, AS_ENOMEM, "out of memory");
                o = NULL;
            } else {
                for (size_t i = 0; i < nf; i++)
                    paths[i] = catalog_file(c, i);
                o = as_load_files(paths, nf, &opts, &err);
                free(paths);
            }
            catalog_free(c);
        }
    }
    if (ps.shown)
        fputs("\r\033[K", stderr);
    if (!o)
        cli_error("%s", err.msg);
    return o;
}

bool cli_parse_double(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v)) {
        cli_error("%s expects a number, not '%s'", opt, s);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_size(const char *opt, const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-') {
        cli_error("%s expects a whole number, not '%s'", opt, s);
        return false;
    }
    *out = (size_t)v;
    return true;
}

bool cli_parse_seq_list(const char *s, size_t nseqs, size_t **idx, size_t *n)
{
    *idx = NULL;
    *n = 0;
    if (!strcmp(s, "all")) {
        *idx = malloc((nseqs ? nseqs : 1) * sizeof **idx);
        if (!*idx)
            return false;
        for (size_t i = 0; i < nseqs; i++)
            (*idx)[i] = i;
        *n = nseqs;
        return true;
    }
    size_t cap = 16;
    size_t *v = malloc(cap * sizeof *v);
    const char *p = s;
    while (v && *p) {
        char *end;
        errno = 0;
        unsigned long a = strtoul(p, &end, 10), b;
        if (end == p || errno || *p == '-')
            goto bad;
        b = a;
        p = end;
        if (*p == '-' || *p == ':') {
            const char *q = p + 1;
            b = strtoul(q, &end, 10);
            if (end == q || errno)
                goto bad;
            if (*p == ':') {
                if (b == 0)
                    goto bad;
                b -= 1; /* A:B is half-open */
            }
            p = end;
        }
        if (b < a)
            goto bad;
        for (unsigned long k = a; k <= b; k++) {
            if (k >= nseqs) {
                cli_error("--seq %s: sequence %lu does not exist (there are %zu, numbered from 0)",
                          s, k, nseqs);
                free(v);
                return false;
            }
            if (*n == cap) {
                size_t *nv = realloc(v, (cap *= 2) * sizeof *v);
                if (!nv)
                    goto bad;
                v = nv;
            }
            v[(*n)++] = k;
        }
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
    }
    if (!v || *n == 0)
        goto bad;
    *idx = v;
    return true;
bad:
    free(v);
    *n = 0;
    cli_error("--seq expects indices like 0,2,5-7 or all, not '%s'", s);
    return false;
}

static bool parse_mem_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v <= 0)
        return false;
    double mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
    case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end)
        return false;
    *out = (size_t)(v * mul);
    return *out > 0;
}

int cli_common_opt(cli_common *c, int opt, const char *arg)
{
    as_error err = {0};
    switch (opt) {
    case OPT_PIPELINE:
        c->pipeline = arg;
        return 1;
    case OPT_SEQ:
        c->seq = arg;
        return 1;
    case OPT_WEIGHT:
        c->weight = arg;
        return 1;
    case OPT_MIN:
        c->has_min = true;
        return cli_parse_double("--min", arg, &c->vmin) ? 1 : -1;
    case OPT_MAX:
        c->has_max = true;
        return cli_parse_double("--max", arg, &c->vmax) ? 1 : -1;
    case OPT_DECODE:
        if (tokens_mode_parse(arg, &c->decode, &err)) {
            cli_error("--decode-tokens: %s", err.msg);
            return -1;
        }
        return 1;
    case OPT_RAW_TOKENS:
        c->decode = TOKENS_NONE;
        return 1;
    case OPT_MAX_MEMORY: {
        size_t n;
        if (!parse_mem_size(arg, &n)) {
            cli_error("--max-memory expects a size like 512M or 4G, not '%s'", arg);
            return -1;
        }
        as_mem_set_limit(n);
        return 1;
    }
    default:
        return 0;
    }
}

int cli_range_opt(cli_common *c, int opt, const char *arg)
{
    as_range_spec spec = {0};
    switch (opt) {
    case OPT_RANGE_MODE:
        if (!range_mode_parse(arg, &spec)) {
            cli_error("--range-mode expects abs, inseq, one-sided or percentile, not '%s'", arg);
            return -1;
        }
        c->range_mode = spec.mode;
        c->has_range_mode = true;
        return 1;
    case OPT_CLIP_PERCENTILE:
        if (!cli_parse_double("--clip-percentile", arg, &c->percentile))
            return -1;
        if (!(c->percentile > 0 && c->percentile <= 100)) {
            cli_error("--clip-percentile expects a percentile above 0 and up to 100, not '%s'",
                      arg);
            return -1;
        }
        c->range_mode = AS_RANGE_PERCENTILE;
        c->has_range_mode = true;
        return 1;
    case OPT_ONE_SIDED:
        c->range_mode = AS_RANGE_ONE_SIDED;
        c->has_range_mode = true;
        return 1;
    default:
        return 0;
    }
}

const char *cli_pipeline_text(const cli_common *c) { return c->pipeline ? c->pipeline : "default"; }

void cli_results_free(cli_results *r)
{
    for (size_t i = 0; i < r->n; i++)
        agg_seq_free(r->seqs[i]);
    free(r->seqs);
    free(r->idx);
    memset(r, 0, sizeof *r);
}

int cli_aggregate(const as_output *o, const cli_common *c, bool need_2d, cli_results *r)
{
    memset(r, 0, sizeof *r);
    size_t *idx, n;
    if (!cli_parse_seq_list(c->seq ? c->seq : "all", o->nseqs, &idx, &n))
        return EXIT_USAGE;
    /* A bad pipeline is a usage error, whatever the data. */
    as_pipeline p;
    as_pipe_errpos pos;
    as_error err = {0};
    if (pipe_parse(cli_pipeline_text(c), &p, &pos, &err)) {
        cli_error("-a '%s': %s", cli_pipeline_text(c), err.msg);
        pipe_free(&p);
        free(idx);
        return EXIT_USAGE;
    }
    r->idx = idx;
    r->seqs = calloc(n ? n : 1, sizeof *r->seqs);
    if (!r->seqs) {
        pipe_free(&p);
        cli_results_free(r);
        cli_error("out of memory");
        return EXIT_DATA;
    }
    for (size_t k = 0; k < n; k++) {
        const as_seq *src = &o->seqs[idx[k]];
        const char *file = o->files[src->file_index];
        if (c->weight && agg_weight_check(src, c->weight, &err)) {
            cli_error("%s: sequence %zu: --%s", file, idx[k], err.msg);
            pipe_free(&p);
            cli_results_free(r);
            return EXIT_USAGE;
        }
        as_seq *s = agg_apply(o, idx[k], &p, c->weight, &err);
        if (!s || (need_2d && agg_check_2d(s, &err))) {
            if (s) /* agg_apply's own messages name the sequence */
                cli_error("%s: sequence %zu: %s", file, idx[k], err.msg);
            else
                cli_error("%s: %s", file, err.msg);
            agg_seq_free(s);
            pipe_free(&p);
            cli_results_free(r);
            return cli_exit_code(err.code);
        }
        r->seqs[k] = s;
        r->n = k + 1;
    }
    pipe_free(&p);
    r->mode = tokens_resolve(c->decode, o, -1);
    return EXIT_OK;
}

static void on_fatal_signal(int sig)
{
    atomic_remove_tmps();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_signals_for_writing(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_fatal_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    /* over `ulimit -f` the write fails with EFBIG and is reported */
    signal(SIGXFSZ, SIG_IGN);
}

int cli_bad_option(const char *cmd, int c, char **argv, const struct option *longopts)
{
    /* getopt_long (opterr 0, optstring starting with ':') has stepped past it */
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char opt[64];
    if (!strncmp(arg, "--", 2))
        snprintf(opt, sizeof opt, "%.*s", (int)strcspn(arg, "="), arg);
    else if (optopt > ' ' && optopt < 0x7f)
        snprintf(opt, sizeof opt, "-%c", optopt);
    else
        snprintf(opt, sizeof opt, "%s", arg);
    char near[80] = "";
    if (c != ':' && !strncmp(opt, "--", 2)) {
        const char *names[64];
        size_t n = 0;
        for (size_t i = 0; longopts[i].name && n < 64; i++)
            names[n++] = longopts[i].name;
        const char *g = suggest_near(opt + 2, names, n);
        if (g)
            snprintf(near, sizeof near, " (did you mean '--%s'?)", g);
    }
    if (c == ':')
        cli_error("%s: option '%s' needs a value; try 'attrscope %s --help'", cmd, opt, cmd);
    else
        cli_error("%s: unknown option '%s'%s; try 'attrscope %s --help'", cmd, opt, near, cmd);
    return EXIT_USAGE;
}
