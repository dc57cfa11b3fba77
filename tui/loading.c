/* loading.c - reading the files in a thread, with a progress bar when it
 * takes longer than 300 ms.  Each file loads on its own so that one bad
 * file leaves the others on screen. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "label.h"
#include "load.h"
#include "tui.h"

/* -------------------------------------------------------------- loading */

typedef struct loadjob {
    const explore_opts *o;
    uint64_t total;                 /* bytes of all files */
    uint64_t base;                  /* bytes of the files done */
    _Atomic uint64_t done;          /* bytes read so far, all files */
    _Atomic size_t seqs;            /* sequences decoded so far */
    _Atomic int file;               /* file being read */
    _Atomic int finished;
    as_output *out;                 /* what loaded (NULL: nothing) */
    char errors[4096];              /* one failure per line */
    size_t nfailed;
} loadjob;

static void load_progress(void *ud, uint64_t done, uint64_t total, size_t seqs)
{
    loadjob *j = ud;
    (void)total;
    if (done)
        atomic_store(&j->done, j->base + done);
    if (seqs)
        atomic_store(&j->seqs, seqs);
}

static void load_fail(loadjob *j, const char *msg)
{
    size_t l = strlen(j->errors);
    snprintf(j->errors + l, sizeof j->errors - l, "%s%s", l ? "\n" : "", msg);
    j->nfailed++;
}

static void *load_thread(void *arg)
{
    loadjob *j = arg;
    as_load_opts lo = {.progress = load_progress, .progress_ud = j};
    const explore_opts *o = j->o;
    if (!o->nfiles) {
        as_error e = {0};
        j->out = as_load_buffer(o->buf, o->buflen, o->bufname ? o->bufname : "example", &lo, &e);
        if (!j->out)
            load_fail(j, e.msg);
    }
    for (size_t i = 0; i < o->nfiles; i++) {
        atomic_store(&j->file, (int)i);
        as_error e = {0};
        as_output *one = as_load_file(o->files[i], &lo, &e);
        struct stat st;
        if (!stat(o->files[i], &st))
            j->base += (uint64_t)st.st_size;
        atomic_store(&j->done, j->base);
        if (!one) {
            load_fail(j, e.msg);
            continue;
        }
        if (!one->nseqs) {
            char m[1200];
            snprintf(m, sizeof m, "%s: holds no sequences", o->files[i]);
            load_fail(j, m);
            attr_output_free(one);
            continue;
        }
        if (!j->out) {
            j->out = one;
        } else if (as_output_merge(j->out, one, &e)) {
            load_fail(j, e.msg);
        }
    }
    if (j->out && !j->out->nseqs) {
        attr_output_free(j->out);
        j->out = NULL;
        load_fail(j, "no sequences to show");
    }
    atomic_store(&j->finished, 1);
    return NULL;
}

static void fmt_bytes(uint64_t b, char *buf, size_t n)
{
    if (b >= 1000000)
        snprintf(buf, n, "%.1f MB", (double)b / 1e6);
    else
        snprintf(buf, n, "%.1f kB", (double)b / 1e3);
}

/* Loads the files in a thread; after 300 ms shows a progress bar (starting
 * curses if needed).  Returns -1 when interrupted by a signal. */
static int load_all(tui *t, loadjob *j)
{
    const explore_opts *o = t->opts;
    memset(j, 0, sizeof *j);
    j->o = o;
    if (!o->nfiles)
        j->total = o->buflen;
    for (size_t i = 0; i < o->nfiles; i++) {
        struct stat st;
        if (!stat(o->files[i], &st))
            j->total += (uint64_t)st.st_size;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, load_thread, j)) {
        load_thread(j);
        return 0;
    }
    double t0 = tui_now_ms();
    while (!atomic_load(&j->finished)) {
        int sig = term_pending_signal();
        if (sig) {
            term_end();
            fprintf(stderr, "attrscope: interrupted while loading\n");
            _exit(128 + sig);
        }
        if (term_take_tstp())
            term_suspend();
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        double el = tui_now_ms() - t0;
        if (el < 300)
            continue;
        if (!term_active()) {
            char err[256];
            if (term_start(t, err, sizeof err))
                continue;   /* no terminal for a bar: keep waiting quietly */
        }
        int f = atomic_load(&j->file);
        const char *name = o->nfiles ? o->files[f] : (o->bufname ? o->bufname : "example");
        char what[512], detail[256], a[32], b[32], safe[1024];
        tui_safe(name, safe, sizeof safe);
        snprintf(what, sizeof what, "Loading %s", safe);
        uint64_t d = atomic_load(&j->done);
        fmt_bytes(d, a, sizeof a);
        fmt_bytes(j->total, b, sizeof b);
        size_t ns = atomic_load(&j->seqs);
        if (j->total)
            snprintf(detail, sizeof detail, "%s of %s read, %zu sequence%s decoded, %.1f s", a, b,
                     ns, ns == 1 ? "" : "s", el / 1e3);
        else
            snprintf(detail, sizeof detail, "%s read, %zu sequence%s decoded, %.1f s", a, ns,
                     ns == 1 ? "" : "s", el / 1e3);
        tui_draw_progress(what, j->total ? (double)d / (double)j->total : 0, detail);
        refresh();
    }
    pthread_join(th, NULL);
    return 0;
}

int tui_load(tui *t, tui_loaded *res)
{
    loadjob *j = calloc(1, sizeof *j);
    if (!j)
        return -1;
    load_all(t, j);
    res->out = j->out;
    res->nfailed = j->nfailed;
    snprintf(res->errors, sizeof res->errors, "%s", j->errors);
    free(j);
    return 0;
}
