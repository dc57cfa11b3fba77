/* loading.c - long work (reading a file, loading a catalog's file, reading
 * the first files of a directory) in a thread, with a progress bar when it
 * takes longer than 300 ms.  Only the worker touches the data meanwhile;
 * this thread draws the bar from the progress counters and watches for
 * signals.  Going to a sequence of another file of a catalog is such work. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load.h"
#include "grid.h"

/* ------------------------------------------------------------- progress */

static void on_progress(void *ud, uint64_t done, uint64_t total, size_t seqs)
{
    tui_progress *p = ud;
    if (done)
        atomic_store(&p->done, done);
    if (total)
        atomic_store(&p->total, total);
    if (seqs)
        atomic_store(&p->seqs, seqs);
}

as_load_opts tui_load_opts(tui *t)
{
    return (as_load_opts){.progress = on_progress, .progress_ud = &t->prog};
}

static void fmt_bytes(uint64_t b, char *buf, size_t n)
{
    if (b >= 1000000)
        snprintf(buf, n, "%.1f MB", (double)b / 1e6);
    else
        snprintf(buf, n, "%.1f kB", (double)b / 1e3);
}

typedef struct busy_job {
    tui *t;
    int (*fn)(tui *t, void *ud);
    void *ud;
    int rc;
    _Atomic int finished;
} busy_job;

static void *busy_thread(void *arg)
{
    busy_job *j = arg;
    j->rc = j->fn(j->t, j->ud);
    atomic_store(&j->finished, 1);
    return NULL;
}

/* True when q was pressed; other keys are put back for later. */
static bool busy_quit_key(void)
{
    int delay = wgetdelay(stdscr);
    wtimeout(stdscr, 0);
    wint_t wc;
    int rc = wget_wch(stdscr, &wc);
    wtimeout(stdscr, delay);
    if (rc == OK && (wc == L'q' || wc == L'Q'))
        return true;
    if (rc == OK)
        unget_wch((wchar_t)wc);
    else if (rc == KEY_CODE_YES)
        ungetch((int)wc);
    return false;
}

int tui_busy(tui *t, const char *what, uint64_t total, int (*fn)(tui *t, void *ud), void *ud)
{
    atomic_store(&t->prog.done, 0);
    atomic_store(&t->prog.total, total);
    atomic_store(&t->prog.seqs, 0);
    busy_job j = {.t = t, .fn = fn, .ud = ud};
    pthread_t th;
    if (pthread_create(&th, NULL, busy_thread, &j))
        return fn(t, ud);
    double t0 = tui_now_ms();
    bool drawn = false;
    while (!atomic_load(&j.finished)) {
        int sig = term_pending_signal();
        if (sig) {
            term_end();
            fprintf(stderr, "attrscope: interrupted while loading\n");
            _exit(128 + sig);
        }
        if (term_take_tstp()) {
            term_suspend();
            drawn = false;
        }
        if (term_active() && busy_quit_key()) {
            /* q quits at once: the reading thread is not waited for */
            term_end();
            _exit(0);
        }
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
        if (!drawn || term_take_cont())
            clearok(curscr, TRUE);
        drawn = true;
        char label[600], detail[256], a[32], b[32];
        tui_safe(what, label, sizeof label);
        uint64_t d = atomic_load(&t->prog.done), tot = atomic_load(&t->prog.total);
        size_t ns = atomic_load(&t->prog.seqs);
        fmt_bytes(d, a, sizeof a);
        fmt_bytes(tot, b, sizeof b);
        if (tot)
            snprintf(detail, sizeof detail, "%s of %s read, %zu sequence%s decoded, %.1f s", a, b,
                     ns, ns == 1 ? "" : "s", el / 1e3);
        else
            snprintf(detail, sizeof detail, "%s read, %zu sequence%s decoded, %.1f s", a, ns,
                     ns == 1 ? "" : "s", el / 1e3);
        tui_draw_progress(label, tot ? (double)d / (double)tot : 0, detail);
        refresh();
    }
    pthread_join(th, NULL);
    if (drawn) {
        clearok(curscr, TRUE);
        tui_draw_forget(t);
    }
    return j.rc;
}

/* ---------------------------------------------------- one file or buffer */

static void load_fail(tui_loaded *r, const char *msg)
{
    size_t l = strlen(r->errors);
    snprintf(r->errors + l, sizeof r->errors - l, "%s%s", l ? "\n" : "", msg);
    r->nfailed++;
}

static int load_job(tui *t, void *ud)
{
    tui_loaded *r = ud;
    const explore_opts *o = t->opts;
    as_load_opts lo = tui_load_opts(t);
    as_error e = {0};
    if (!o->nfiles)
        r->out = as_load_buffer(o->buf, o->buflen, o->bufname ? o->bufname : "example", &lo, &e);
    else
        r->out = as_load_file(o->files[0], &lo, &e);
    if (!r->out) {
        load_fail(r, e.msg);
    } else if (!r->out->nseqs) {
        char m[1200];
        snprintf(m, sizeof m, "%s: holds no sequences", o->nfiles ? o->files[0] : "example");
        load_fail(r, m);
        attr_output_free(r->out);
        r->out = NULL;
    }
    return 0;
}

int tui_load(tui *t, tui_loaded *res)
{
    const explore_opts *o = t->opts;
    memset(res, 0, sizeof *res);
    uint64_t total = o->nfiles ? 0 : o->buflen;
    struct stat st;
    if (o->nfiles && !stat(o->files[0], &st))
        total = (uint64_t)st.st_size;
    char what[1100];
    snprintf(what, sizeof what, "Loading %s",
             o->nfiles ? o->files[0] : (o->bufname ? o->bufname : "example"));
    tui_busy(t, what, total, load_job, res);
    return 0;
}

/* ------------------------------------------------------------ sequences */

typedef struct goto_job {
    size_t k;
    unsigned ch;
} goto_job;

static int goto_job_run(tui *t, void *ud)
{
    goto_job *g = ud;
    g->ch = view_set_seq(&t->v, g->k);
    return 0;
}

unsigned tui_goto_seq(tui *t, size_t k)
{
    view_agg *a = t->v.agg;
    if (!t->cat || view_agg_file(a, k, NULL, NULL) == view_agg_file(a, t->v.seq, NULL, NULL))
        return tui_view_bits(view_set_seq(&t->v, k));
    /* another file: it loads in a thread, with a bar when that takes long */
    goto_job g = {.k = k};
    char what[1200];
    const char *path = view_agg_file_path(a, view_agg_file(a, k, NULL, NULL));
    snprintf(what, sizeof what, "Loading %s", path ? path : "");
    struct stat st;
    tui_busy(t, what, path && !stat(path, &st) ? (uint64_t)st.st_size : 0, goto_job_run, &g);
    if (t->v.agg_error[0])
        tui_msg(t, true, "sequence %zu: %s", k, t->v.agg_error);
    return tui_view_bits(g.ch) | TUI_CLEAR;
}
