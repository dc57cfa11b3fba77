/* bench_load - times attrscope's loader on files and reports peak memory.
 *
 * Usage: bench_load [-n RUNS] FILE...
 * Each run happens in a child process so that its peak RSS is its own.
 * Prints one line per file: best wall time, peak RSS, and the raw score bytes
 * loaded (so the RSS ratio the targets speak of can be read off). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "load.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static size_t score_bytes(const as_output *o)
{
    size_t n = 0;
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        if (s->source_attr)
            n += tensor_numel(s->source_attr) * sizeof(float);
        if (s->target_attr)
            n += tensor_numel(s->target_attr) * sizeof(float);
    }
    return n;
}

/* Child: load once, write "seconds bytes" to the pipe. */
static int child(const char *path, int fd)
{
    double t0 = now();
    as_error e = {0};
    as_output *o = as_load_file(path, NULL, &e);
    double t1 = now();
    if (!o) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.6f %zu\n", t1 - t0, score_bytes(o));
    if (write(fd, buf, (size_t)n) != n)
        return 1;
    attr_output_free(o);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 3, first = 1;
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || runs < 1) {
        fprintf(stderr, "usage: bench_load [-n RUNS] FILE...\n");
        return 2;
    }
    for (int f = first; f < argc; f++) {
        double best = 1e9;
        long peak_kb = 0;
        size_t bytes = 0;
        for (int r = 0; r < runs; r++) {
            int p[2];
            if (pipe(p) != 0)
                return 1;
            pid_t pid = fork();
            if (pid == 0) {
                close(p[0]);
                _exit(child(argv[f], p[1]));
            }
            close(p[1]);
            char buf[64] = {0};
            ssize_t got = read(p[0], buf, sizeof buf - 1);
            close(p[0]);
            int st;
            struct rusage ru;
            if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || got <= 0) {
                fprintf(stderr, "bench_load: %s failed\n", argv[f]);
                return 1;
            }
            double t;
            sscanf(buf, "%lf %zu", &t, &bytes);
            if (t < best)
                best = t;
            if (ru.ru_maxrss > peak_kb)
                peak_kb = ru.ru_maxrss;
        }
        printf("load %-40s %7.3f s  peak RSS %6.0f MB  scores %6.0f MB  (RSS/scores %.2f)\n",
               argv[f], best, peak_kb / 1024.0, bytes / 1048576.0,
               bytes ? peak_kb * 1024.0 / (double)bytes : 0.0);
    }
    return 0;
}
