/* explore.c - the explorer's main loop: load, open the view, read keys,
 * dispatch them to the top screen or the action table, redraw when
 * something changed, time the frames, and restore the terminal. */
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"

/* What only the main loop keeps (struct tui's run). */
typedef struct tui_times {
    double *ms;
    size_t n, cap;
} tui_times;

/* One of the slowest frames after a key, for --stats. */
#define TUI_SLOW_MAX 8
typedef struct tui_slow {
    int key;
    unsigned kind;                /* TUI_MOVE, TUI_DATA or 0 */
    double ms, draw, output;
} tui_slow;

struct tui_run {
    explore_opts eff;             /* the options in effect: command line over config */
    /* catalog: reading the list of sequences in idle time */
    char list_error[AS_ERROR_MAX];   /* the latest file that could not be read */
    double t_listed;              /* when every file was read (ms after start) */
    double t_list_drawn;          /* last redraw for the listing's progress */
    bool skim_thread;             /* the catalog reads files on its thread */
    /* statistics */
    bool stats;
    double t_start, first_frame_ms, load_ms;
    tui_times t_move, t_data, t_other;
    tui_times t_draw, t_output;   /* every frame: building it, sending it */
    double last_draw, last_output; /* of the last frame */
    tui_slow slow[TUI_SLOW_MAX];  /* the slowest key frames, slowest first */
    int nslow;
};

/* ---------------------------------------------------------------- time */

static void times_add(tui_times *t, double ms)
{
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 256;
        double *nv = realloc(t->ms, nc * sizeof *nv);
        if (!nv)
            return;
        t->ms = nv;
        t->cap = nc;
    }
    t->ms[t->n++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void times_report(const char *what, tui_times *t)
{
    if (!t->n) {
        fprintf(stderr, "  %-17s no frames\n", what);
        return;
    }
    qsort(t->ms, t->n, sizeof *t->ms, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < t->n; i++)
        sum += t->ms[i];
    fprintf(stderr, "  %-17s %5zu frames  mean %.3f ms  median %.3f ms  p95 %.3f ms  max %.3f ms\n",
            what, t->n, sum / (double)t->n, t->ms[t->n / 2], t->ms[(t->n * 95) / 100],
            t->ms[t->n - 1]);
}

/* Keep the frame among the slowest ones if it is. */
static void slow_add(tui *t, int key, unsigned kind, double ms)
{
    int i = t->run->nslow < TUI_SLOW_MAX ? t->run->nslow++ : TUI_SLOW_MAX - 1;
    if (i == TUI_SLOW_MAX - 1 && t->run->nslow == TUI_SLOW_MAX && t->run->slow[i].ms >= ms)
        return;
    for (; i > 0 && t->run->slow[i - 1].ms < ms; i--)
        t->run->slow[i] = t->run->slow[i - 1];
    t->run->slow[i] = (tui_slow){key, kind, ms, t->run->last_draw, t->run->last_output};
}

static void slow_report(const tui *t)
{
    if (!t->run->nslow)
        return;
    fprintf(stderr, "  slowest frames after a key:\n");
    for (int i = 0; i < t->run->nslow; i++) {
        const tui_slow *s = &t->run->slow[i];
        const char *kind = s->kind & TUI_DATA ? "data" : s->kind & TUI_MOVE ? "move" : "other";
        char name[32];
        tui_key_name(s->key, name, sizeof name);
        fprintf(stderr, "    %-10s %-5s %7.3f ms  (drawing %.3f, terminal output %.3f)\n", name,
                kind, s->ms, s->draw, s->output);
    }
}

/* ------------------------------------------------------------- catalog */

/* After files were added to the list: notes a failure, and the end. */
static void list_note(tui *t, const as_error *e)
{
    if (e->code) {
        t->nfailed++;
        snprintf(t->run->list_error, sizeof t->run->list_error, "%s", e->msg);
    }
    if (catalog_nskimmed(t->cat) >= catalog_nfiles(t->cat)) {
        t->listing = false;
        t->run->t_listed = tui_now_ms() - t->run->t_start;
        size_t nf = catalog_nfiles(t->cat), ns = catalog_nseqs(t->cat);
        if (t->nfailed)
            tui_msg(t, true, "%zu of %zu files read (%zu sequence%s); %zu could not be read: %s",
                    nf - t->nfailed, nf, ns, ns == 1 ? "" : "s", t->nfailed, t->run->list_error);
        else
            tui_msg(t, false, "all %zu files read: %zu sequence%s", nf, ns, ns == 1 ? "" : "s");
    }
}

/* Reads the next file of the catalog (one step of the listing), waiting for
 * it. */
static void list_step(tui *t)
{
    as_error e = {0};
    /* its return value cannot tell a failure (AS_EDATA is 1) from "more
     * files": the error says */
    catalog_skim_step(t->cat, NULL, &e);
    list_note(t, &e);
}

/* Adds the files the catalog's thread has read (started on the first call)
 * without waiting; true when the list grew. */
static bool list_poll(tui *t)
{
    if (!t->run->skim_thread) {
        t->run->skim_thread = true;
        if (catalog_skim_start(t->cat, NULL)) {
            /* no thread: read a file now and then, between keys */
            list_step(t);
            return true;
        }
    }
    size_t before = catalog_nskimmed(t->cat);
    for (;;) {
        as_error e = {0};
        catalog_skim_poll(t->cat, &e);
        list_note(t, &e);
        if (!e.code || !t->listing)
            break;
    }
    return catalog_nskimmed(t->cat) != before;
}

/* The listing's state for the status line ("" when there is nothing to
 * say). */
static void listing_text(const tui *t, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!t->cat)
        return;
    size_t nf = catalog_nfiles(t->cat), done = catalog_nskimmed(t->cat);
    char failed[AS_ERROR_MAX + 64] = "";
    if (t->nfailed)
        snprintf(failed, sizeof failed, "; %zu could not be read (%s)", t->nfailed,
                 t->run->list_error);
    if (t->listing)
        snprintf(buf, n, "reading files %zu/%zu, %zu sequences so far%s", done, nf,
                 catalog_nseqs(t->cat), failed);
}

/* The status line's text when there is no message: the listing, else the
 * overview's progress. */
static void bg_status(tui *t)
{
    listing_text(t, t->bg_status, sizeof t->bg_status);
    if (!t->bg_status[0])
        tui_summary_status(t, t->bg_status, sizeof t->bg_status);
    t->bg_status_err = t->nfailed > 0;
}

/* Reads the files until sequence `want` is listed (or all are read). */
static int list_until_job(tui *t, void *ud)
{
    size_t want = *(size_t *)ud;
    while (t->listing && catalog_nseqs(t->cat) <= want)
        list_step(t);
    return 0;
}

static void list_until(tui *t, size_t want)
{
    char what[1200];
    size_t next = catalog_nskimmed(t->cat);
    const char *path = catalog_file(t->cat, next < catalog_nfiles(t->cat) ? next : 0);
    snprintf(what, sizeof what, "Reading %s", path ? path : "");
    tui_busy(t, what, 0, list_until_job, &want);
}

/* --------------------------------------------------------------- reload */

static unsigned reload_catalog(tui *t, bool changed_only)
{
    double t0 = tui_now_ms();
    size_t seq = t->v.seq;
    view_detach(&t->v);
    catalog_reload(t->cat, changed_only);
    t->listing = true;
    t->run->skim_thread = false;   /* the reload stopped it */
    t->nfailed = 0;
    t->run->list_error[0] = '\0';
    /* files that appeared in a listed directory since come after the others */
    as_error ae = {0};
    size_t added = 0;
    if (catalog_add_new(t->cat, t->opts->files, t->opts->nfiles, &added, &ae) != AS_OK)
        snprintf(t->run->list_error, sizeof t->run->list_error, "%s", ae.msg);
    list_until(t, seq);
    unsigned bits = TUI_REDRAW | TUI_CLEAR | TUI_LABELS;
    if (!catalog_nseqs(t->cat)) {
        tui_msg(t, true, "reload: no file could be read: %s", t->run->list_error);
        return bits;
    }
    bits |= tui_view_bits(view_reattach(&t->v));
    tui_msg(t, t->v.agg_error[0] != '\0', "reloaded in %.0f ms%s%s", tui_now_ms() - t0,
            t->v.agg_error[0] ? ": " : "", t->v.agg_error);
    return bits;
}

static unsigned reload(tui *t, bool changed_only)
{
    if (t->cat)
        return reload_catalog(t, changed_only);
    tui_loaded r;
    double t0 = tui_now_ms();
    if (tui_load(t, &r))
        return 0;
    unsigned bits = TUI_REDRAW | TUI_CLEAR;
    double ms = tui_now_ms() - t0;
    if (!r.out) {
        tui_msg(t, true, "reload failed, still showing the old data: %s", r.errors);
        return bits;
    }
    as_output *old = t->out;
    t->out = r.out;
    bits |= tui_view_bits(view_replace_output(&t->v, t->out));
    attr_output_free(old);
    tui_msg(t, false, "reloaded %zu sequences in %.0f ms", t->out->nseqs, ms);
    return bits;
}

/* ----------------------------------------------------------------- main */

static void render(tui *t, unsigned bits)
{
    double t0 = tui_now_ms();
    curs_set(0);
    bg_status(t);
    tui_draw_frame(t, bits);
    /* dialogs, lowest first */
    screen *stack[32];
    int n = 0;
    for (screen *s = t->top; s && n < 32; s = s->below)
        stack[n++] = s;
    while (n--)
        stack[n]->draw(t, stack[n]);
    if (t->top)
        tui_draw_forget(t);   /* dialogs cover the grid: the next frame is whole */
    wnoutrefresh(stdscr);
    double t1 = tui_now_ms();
    doupdate();
    t->run->last_draw = t1 - t0;
    t->run->last_output = tui_now_ms() - t1;
    times_add(&t->run->t_draw, t->run->last_draw);
    times_add(&t->run->t_output, t->run->last_output);
}

static int read_key(tui *t)
{
    wint_t wc;
    int rc = wget_wch(stdscr, &wc);
    if (rc == OK)
        return (int)wc;
    if (rc == KEY_CODE_YES && wc == KEY_MOUSE)
        return getmouse(&t->mouse) == OK ? TUI_MOUSE : -1;
    if (rc == KEY_CODE_YES)
        return TUI_KEYCODE((int)wc);
    return -1;
}

static void tui_free(tui *t)
{
    while (t->top)
        tui_pop(t);
    tui_summary_free(t);
    tui_watch_free(t);
    tui_grid_free(t);
    tui_search_free(t);
    if (t->view_ok)
        view_close(&t->v);
    attr_output_free(t->out);
    catalog_free(t->cat);
    for (size_t i = 0; i < t->nhist; i++)
        free(t->hist[i]);
    free(t->run->t_move.ms);
    free(t->run->t_data.ms);
    free(t->run->t_other.ms);
    free(t->run->t_draw.ms);
    free(t->run->t_output.ms);
}

/* Several files, or a directory: a catalog read lazily. */
static bool use_catalog(const explore_opts *o)
{
    if (o->nfiles > 1)
        return true;
    struct stat st;
    return o->nfiles == 1 && !stat(o->files[0], &st) && S_ISDIR(st.st_mode);
}

static int open_file(tui *t, const view_opts *vo, as_error *e)
{
    tui_loaded r;
    tui_load(t, &r);
    t->run->load_ms = tui_now_ms() - t->run->t_start;
    if (!r.out)
        return as_error_set(e, AS_EDATA, "%s", r.errors[0] ? r.errors : "nothing loaded");
    t->out = r.out;
    int rc = view_open(&t->v, t->out, vo, e);
    return rc ? (rc == AS_EUSAGE ? AS_EUSAGE : AS_EDATA) : 0;
}

typedef struct open_job {
    const view_opts *vo;
    as_error *e;
} open_job;

static int open_job_run(tui *t, void *ud)
{
    open_job *j = ud;
    return view_open_catalog(&t->v, t->cat, j->vo, j->e);
}

/* Lists the files, reads them until one holds a sequence, and opens the
 * view on it (loading that file); the other files are read in idle time. */
static int open_catalog(tui *t, const view_opts *vo, as_error *e)
{
    const explore_opts *o = t->opts;
    t->cat = catalog_new(o->files, o->nfiles, 0, e);
    if (!t->cat)
        return e->code == AS_EUSAGE ? AS_EUSAGE : AS_EDATA;
    t->listing = true;
    list_until(t, 0);
    if (!catalog_nseqs(t->cat))
        return as_error_set(e, AS_EDATA, "no file could be read%s%s", t->nfailed ? ": " : "",
                            t->run->list_error);
    as_load_opts lo = tui_load_opts(t);
    view_opts v2 = *vo;
    v2.load_opts = &lo;
    open_job j = {&v2, e};
    char what[1200];
    size_t f;
    catalog_meta(t->cat, 0, &f, NULL);
    snprintf(what, sizeof what, "Loading %s", catalog_file(t->cat, f));
    struct stat st;
    uint64_t total = !stat(catalog_file(t->cat, f), &st) ? (uint64_t)st.st_size : 0;
    int rc = tui_busy(t, what, total, open_job_run, &j);
    t->run->load_ms = tui_now_ms() - t->run->t_start;
    if (!t->listing)
        t->run->t_listed = tui_now_ms() - t->run->t_start;
    return rc ? (rc == AS_EUSAGE ? AS_EUSAGE : AS_EDATA) : 0;
}

/* The options in effect: the command line's, the config file's where the
 * command line says nothing. */
static void effective_opts(tui *t, const explore_opts *o)
{
    tui_config_load(&t->cfg);
    t->run->eff = *o;
    const tui_config *c = &t->cfg;
    if (!o->color_set && c->has_color)
        t->run->eff.color = c->color;
    if (!o->decode_set && c->has_tokens)
        t->run->eff.decode = c->raw_tokens ? EXPLORE_DECODE_RAW : EXPLORE_DECODE_ON;
    t->mouse_on = o->mouse ? o->mouse > 0 : c->mouse;
    t->cw_auto = true;
    if (c->has_cw && c->cw > 0) {
        t->cw_auto = false;
        t->cw_level = tui_cw_level_for(c->cw);
    }
}

int explore_main(const explore_opts *o_cli)
{
    tui t;
    struct tui_run run;
    memset(&t, 0, sizeof t);
    memset(&run, 0, sizeof run);
    t.run = &run;
    effective_opts(&t, o_cli);
    const explore_opts *o = &t.run->eff;
    t.opts = o;
    t.run->t_start = tui_now_ms();
    t.run->stats = o->stats;
    t.raw_tokens = o->decode == EXPLORE_DECODE_RAW;
    if (!isatty(STDOUT_FILENO)) {
        fprintf(stderr, "attrscope: standard output is not a terminal; use 'attrscope show "
                        "FILE' to print a view or 'attrscope export' to write one\n");
        return 2;
    }
    if (!o->nfiles && !o->buflen) {
        fprintf(stderr, "attrscope: no file given and no example built in\n");
        return 2;
    }
    if (o->compare && o->nfiles < 2) {
        fprintf(stderr, "attrscope: --compare needs two files or more (A B [C...])\n");
        return 2;
    }
    if (tui_grid_init(&t) || tui_search_init(&t)) {
        fprintf(stderr, "attrscope: out of memory\n");
        tui_grid_free(&t);
        tui_search_free(&t);
        return 1;
    }
    setlocale(LC_ALL, "");
    tui_text_init();
    term_signals_install();
    signal(SIGXFSZ, SIG_IGN);   /* e over `ulimit -f`: an error in place, not the end */
    tui_bind_keys();

    view_opts vo = {
        .pipeline = o->pipeline ? o->pipeline : "default",
        .weight = o->weight,
        .show_dim = o->show_dim,
        .slices = o->slices,
        .nslices = o->nslices,
        .max_show_size = o->max_show_size,
        .has_min = o->has_min,
        .has_max = o->has_max,
        .min = o->min,
        .max = o->max,
        .global_range = o->global_range,
        .slices_range = o->slices_range,
        .range_mode = (as_range_mode)o->range_mode,
        .percentile = o->percentile,
    };
    as_error e = {0};
    int rc = use_catalog(o) ? open_catalog(&t, &vo, &e) : open_file(&t, &vo, &e);
    if (rc) {
        term_end();
        fprintf(stderr, "attrscope: %s\n", e.msg);
        tui_free(&t);
        return rc == AS_EUSAGE ? 2 : 1;
    }
    t.view_ok = true;
    if (o->has_seq && !t.cat && o->seq >= view_nseqs(&t.v)) {
        term_end();
        fprintf(stderr, "attrscope: --seq %zu: there are %zu sequences (0..%zu)\n", o->seq,
                view_nseqs(&t.v), view_nseqs(&t.v) - 1);
        tui_free(&t);
        return 2;
    }
    if (!term_active()) {
        char err[256];
        if (term_start(&t, err, sizeof err)) {
            fprintf(stderr, "attrscope: %s\n", err);
            tui_free(&t);
            return 2;
        }
    }
    if (t.cat && t.v.agg_error[0])
        tui_msg(&t, true, "sequence 0: %s", t.v.agg_error);
    else if (t.v.note[0])
        tui_msg(&t, false, "%s", t.v.note);
    if (t.cfg.error[0])
        tui_msg(&t, true, "%s", t.cfg.error);
    if (o->has_seq && o->seq > 0) {
        if (o->seq < view_nseqs(&t.v))
            tui_goto_seq(&t, o->seq);
        else   /* a directory still being read */
            tui_msg(&t, true, "--seq %zu: only %zu sequences are listed so far", o->seq,
                    view_nseqs(&t.v));
    }
    if (o->compare)
        tui_compare_start(&t);
    if (o->watch)
        tui_watch_toggle(&t);

    int status = 0;
    unsigned bits = TUI_LABELS | TUI_LAYOUT | TUI_REDRAW | TUI_CLEAR;
    if (t.listing)
        wtimeout(stdscr, 30);   /* files are read meanwhile: look at them often */
    double t_key = -1;
    unsigned frame_kind = 0;
    int last_key = 0;
    for (;;) {
        if (bits & TUI_RELOAD) {
            tui_cursor cur;
            tui_cursor_save(&t, &cur);
            bool changed_only = tui_watch_reloading(&t);
            double t0 = tui_now_ms();
            bits |= reload(&t, changed_only);
            bits |= tui_cursor_restore(&t, &cur);
            tui_summary_restart(&t, changed_only);
            tui_watch_reloaded(&t, tui_now_ms() - t0);
        }
        if (bits & TUI_LABELS)
            tui_labels_build(&t);
        if (bits & (TUI_LABELS | TUI_LAYOUT))
            tui_layout_compute(&t);
        if (bits & TUI_CLEAR)
            clearok(curscr, TRUE);
        if (bits & (TUI_REDRAW | TUI_LAYOUT | TUI_LABELS | TUI_CLEAR)) {
            render(&t, bits);
            double tn = tui_now_ms();
            if (!t.run->first_frame_ms)
                t.run->first_frame_ms = tn - t.run->t_start;
            else if (t_key >= 0) {
                double ms = tn - t_key;
                if (frame_kind & TUI_DATA)
                    times_add(&t.run->t_data, ms);
                else if (frame_kind & TUI_MOVE)
                    times_add(&t.run->t_move, ms);
                else
                    times_add(&t.run->t_other, ms);
                if (t.run->stats)
                    slow_add(&t, last_key, frame_kind & (TUI_DATA | TUI_MOVE), ms);
            }
        }
        if (bits & TUI_QUIT)
            break;
        t_key = -1;
        int key = read_key(&t);
        int sig = term_pending_signal();
        if (sig) {
            status = 128 + sig;
            break;
        }
        bool stopped = term_take_tstp();
        if (stopped)
            term_suspend();
        if (term_take_cont() || stopped) {
            bits = TUI_CLEAR | TUI_LAYOUT | TUI_REDRAW;
            continue;
        }
        if (key < 0) {
            bits = 0;
            if (t.listing) {
                /* idle: take the files read meanwhile; redraw the progress
                 * now and then */
                bool grew = list_poll(&t);
                if (!t.listing || (grew && tui_now_ms() - t.run->t_list_drawn > 100)) {
                    t.run->t_list_drawn = tui_now_ms();
                    bits = TUI_REDRAW | TUI_LAYOUT;
                }
                if (!t.listing)
                    wtimeout(stdscr, tui_summary_busy(&t) ? 30 : 100);
            }
            bits |= tui_summary_poll(&t);
            bits |= tui_watch_poll(&t);
            continue;
        }
        t_key = tui_now_ms();
        last_key = key;
        if (t.listing)
            list_poll(&t);   /* keys held down: the list still grows */
        if (key == TUI_KEYCODE(KEY_RESIZE))
            bits = TUI_LAYOUT | TUI_REDRAW;
        else if (key == TUI_MOUSE && t.top && !t.top->takes_mouse)
            bits = 0;
        else if (t.top)
            bits = t.top->key(&t, t.top, key);
        else
            bits = tui_dispatch(&t, key);
        /* a screen that closed itself for the key passes it on, once */
        if (bits & TUI_PASS)
            bits = (bits & ~(unsigned)TUI_PASS) |
                   (t.top ? t.top->key(&t, t.top, key) : tui_dispatch(&t, key));
        frame_kind = bits;
    }
    term_end();
    if (t.run->stats) {
        fprintf(stderr,
                "attrscope --stats: first frame %.1f ms after start (loading %.1f ms)\n",
                t.run->first_frame_ms, t.run->load_ms);
        if (t.cat) {
            if (t.listing)
                fprintf(stderr, "  files read:       %zu of %zu when quitting\n",
                        catalog_nskimmed(t.cat), catalog_nfiles(t.cat));
            else
                fprintf(stderr, "  files read:       all %zu (%zu sequences, %zu failed) "
                                "%.1f ms after start\n",
                        catalog_nfiles(t.cat), catalog_nseqs(t.cat), t.nfailed, t.run->t_listed);
            fprintf(stderr, "  files loaded:     %.1f MB held at exit\n",
                    (double)catalog_loaded_bytes(t.cat) / 1e6);
        }
        times_report("move/scroll keys:", &t.run->t_move);
        times_report("data changes:", &t.run->t_data);
        times_report("other keys:", &t.run->t_other);
        fprintf(stderr, "  of which, over all frames:\n");
        times_report("drawing:", &t.run->t_draw);
        times_report("terminal output:", &t.run->t_output);
        slow_report(&t);
    }
    tui_free(&t);
    return status;
}
