/* bench_summary - the loader alone over many files, in one process, next to
 * what `attrscope summary` adds (aggregation and figures).
 *
 * Usage: bench_summary [-n RUNS] FILE...
 * Prints the best of RUNS (default 3) wall times of: loading every file one
 * after the other (as_load_file + free: what reading the files costs), and
 * the summary of the same files through the same reader the command uses
 * (model/sumread.c, one worker). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"
#include "sumread.h"
#include "summary.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

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
    double bl = 1e9, bs = 1e9;
    size_t nseqs = 0;
    for (int r = 0; r < runs; r++) { /* interleaved, so load changes hit both */
        double l = load_all(argv + first, argc - first);
        double s = summarise(argv + first, argc - first, 1, &nseqs);
        bl = l < bl ? l : bl;
        bs = s < bs ? s : bs;
    }
    printf("loader alone       %.3f s (%d files)\n", bl, argc - first);
    printf("summary in-process %.3f s (%zu sequences) = %.2f x the loader\n", bs, nseqs, bs / bl);
    return 0;
}
