/* bench_summary - the loader alone over many files, in one process, next to
 * what `attrscope summary` adds (aggregation and figures).
 *
 * Usage: bench_summary [-n RUNS] FILE...
 * Prints the best of RUNS (default 3) wall times of: loading every file one
 * after the other (as_load_file + free: what reading the files costs), and
 * the summary of the same files through the same reader the command uses
 * (model/sumread.c, reading in the caller's thread).  Wall time and CPU time (all threads) of
 * each, best of RUNS; the runs alternate so a busy machine slows both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"
#include "sumread.h"
#include "summary.h"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU time of the whole process (every thread): steadier than wall time
 * on a shared machine */
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static double load_all(char **files, int n)
{
    double t0 = now();
    for (int i = 0; i < n; i++) {
        as_error err = {0};
        as_output *o = as_load_file(files[i], NULL, &err);
        if (!o) {
            fprintf(stderr, "bench_summary: %s\n", err.msg);
            exit(1);
        }
        attr_output_free(o);
    }
    return now() - t0;
}

static double summarise(char **files, int n, int threads, size_t *nseqs)
{
    double t0 = now();
    as_error err = {0};
    sum_reader *r = sumread_start((const char *const *)files, (size_t)n, NULL, threads, &err);
    as_summary *s = summary_new();
    size_t fi;
    sum_part *part;
    char *msg;
    while (sumread_next(r, true, &fi, &part, &msg) == 1) {
        if (msg) {
            fprintf(stderr, "bench_summary: %s\n", msg);
            exit(1);
        }
        summary_add_part(s, files[fi], part, &err);
    }
    sumread_free(r);
    *nseqs = summary_nseqs(s);
    summary_free(s);
    return now() - t0;
}

int main(int argc, char **argv)
{
    int runs = 3, first = 1;
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_summary [-n RUNS] FILE...\n");
        return 2;
    }
    double bl = 1e9, bs = 1e9, cl = 1e9, cs = 1e9;
    size_t nseqs = 0;
    for (int r = 0; r < runs; r++) { /* interleaved, so load changes hit both */
        double c0 = cpu();
        double l = load_all(argv + first, argc - first);
        double c1 = cpu();
        double s = summarise(argv + first, argc - first, 0, &nseqs);
        double c2 = cpu();
        bl = l < bl ? l : bl;
        bs = s < bs ? s : bs;
        cl = c1 - c0 < cl ? c1 - c0 : cl;
        cs = c2 - c1 < cs ? c2 - c1 : cs;
    }
    printf("loader alone       %.3f s wall, %.3f s CPU (%d files)\n", bl, cl, argc - first);
    printf("summary in-process %.3f s wall, %.3f s CPU (%zu sequences) = %.2f x the loader "
           "(CPU %.2f x)\n", bs, cs, nseqs, bs / bl, cs / cl);
    return 0;
}
