/* explore.c - the explorer's main loop: load, open the view, read keys,
 * dispatch them to the top screen or the action table, redraw when
 * something changed, time the frames, and restore the terminal. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "label.h"
#include "tui.h"

/* ---------------------------------------------------------------- time */

double tui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

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

/* -------------------------------------------------------------- helpers */

void tui_msg(tui *t, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char raw[sizeof t->msg];
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    tui_safe(raw, t->msg, sizeof t->msg);
    t->msg_err = err;
}

void tui_push(tui *t, screen *s)
{
    if (!s)
        return;
    s->below = t->top;
    t->top = s;
}

void tui_pop(tui *t)
{
    screen *s = t->top;
    if (!s)
        return;
    t->top = s->below;
    s->below = NULL;
    s->free(s);
}

unsigned tui_view_bits(unsigned ch)
{
    unsigned b = ch ? TUI_REDRAW : 0;
    /* new data may come with other tokens (merged by a pipeline) */
    if (ch & (VIEW_CH_GRID | VIEW_CH_SEQ))
        b |= TUI_DATA | TUI_LAYOUT | TUI_LABELS;
    if (ch & VIEW_CH_LAYOUT)
        b |= TUI_LAYOUT;
    if (ch && !(ch & ~(unsigned)(VIEW_CH_CURSOR | VIEW_CH_SCROLL)))
        b |= TUI_MOVE;
    return b;
}

/* --------------------------------------------------------- token modes */

void tui_modes_reset(tui *t)
{
    size_t n = t->out && t->out->nfiles ? t->out->nfiles : 1;
    int *m = realloc(t->file_mode, n * sizeof *m);
    if (!m) {
        free(t->file_mode);
        t->file_mode = NULL;
        t->nfile_mode = 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        m[i] = -1;
    t->file_mode = m;
    t->nfile_mode = n;
}

tokens_mode tui_token_mode(const tui *t, size_t seq)
{
    return t->raw_tokens ? TOKENS_NONE : tui_file_mode(t, seq);
}

tokens_mode tui_file_mode(const tui *t, size_t seq)
{
    if (!t->out || seq >= t->out->nseqs)
        return TOKENS_NONE;
    int fi = t->out->seqs[seq].file_index;
    size_t slot = fi >= 0 ? (size_t)fi : 0;
    if (slot >= t->nfile_mode)
        return tokens_resolve(TOKENS_AUTO, t->out, fi >= 0 ? fi : -1);
    if (t->file_mode[slot] < 0)
        t->file_mode[slot] = (int)tokens_resolve(TOKENS_AUTO, t->out, fi >= 0 ? fi : -1);
    return (tokens_mode)t->file_mode[slot];
}

/* --------------------------------------------------------------- reload */

static unsigned reload(tui *t)
{
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
    tui_modes_reset(t);
    if (r.nfailed)
        tui_msg(t, true, "reloaded %zu sequences in %.0f ms; failed: %s", t->out->nseqs, ms,
                r.errors);
    else
        tui_msg(t, false, "reloaded %zu sequences in %.0f ms", t->out->nseqs, ms);
    return bits;
}

/* ----------------------------------------------------------------- main */

static void render(tui *t)
{
    double t0 = tui_now_ms();
    curs_set(0);
    tui_draw_main(t);
    /* dialogs, lowest first */
    screen *stack[32];
    int n = 0;
    for (screen *s = t->top; s && n < 32; s = s->below)
        stack[n++] = s;
    while (n--)
        stack[n]->draw(t, stack[n]);
    wnoutrefresh(stdscr);
    double t1 = tui_now_ms();
    doupdate();
    times_add(&t->t_draw, t1 - t0);
    times_add(&t->t_output, tui_now_ms() - t1);
}

static int read_key(void)
{
    wint_t wc;
    int rc = wget_wch(stdscr, &wc);
    if (rc == OK)
        return (int)wc;
    if (rc == KEY_CODE_YES)
        return TUI_KEYCODE((int)wc);
    return -1;
}

static void tui_free(tui *t)
{
    while (t->top)
        tui_pop(t);
    tui_labels_free(t);
    if (t->view_ok)
        view_close(&t->v);
    attr_output_free(t->out);
    free(t->matches);
    free(t->file_mode);
    for (size_t i = 0; i < t->nhist; i++)
        free(t->hist[i]);
    free(t->t_move.ms);
    free(t->t_data.ms);
    free(t->t_other.ms);
    free(t->t_draw.ms);
    free(t->t_output.ms);
}

int explore_main(const explore_opts *o)
{
    tui t;
    memset(&t, 0, sizeof t);
    t.opts = o;
    t.t_start = tui_now_ms();
    t.stats = o->stats;
    t.raw_tokens = o->decode == EXPLORE_DECODE_RAW;
    t.cw_auto = true;
    if (!isatty(STDOUT_FILENO)) {
        fprintf(stderr, "attrscope: standard output is not a terminal; use 'attrscope show "
                        "FILE' to print a view or 'attrscope export' to write one\n");
        return 2;
    }
    if (!o->nfiles && !o->buflen) {
        fprintf(stderr, "attrscope: no file given and no example built in\n");
        return 2;
    }
    setlocale(LC_ALL, "");
    tui_text_init();
    term_signals_install();
    tui_bind_keys();

    tui_loaded r;
    if (tui_load(&t, &r))
        return 1;
    t.load_ms = tui_now_ms() - t.t_start;
    if (!r.out) {
        term_end();
        fprintf(stderr, "attrscope: %s\n", r.errors[0] ? r.errors : "nothing loaded");
        return 1;
    }
    t.out = r.out;
    tui_modes_reset(&t);

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
    };
    as_error e = {0};
    if (view_open(&t.v, t.out, &vo, &e)) {
        term_end();
        fprintf(stderr, "attrscope: %s\n", e.msg);
        tui_free(&t);
        return 2;
    }
    t.view_ok = true;
    if (!term_active()) {
        char err[256];
        if (term_start(&t, err, sizeof err)) {
            fprintf(stderr, "attrscope: %s\n", err);
            tui_free(&t);
            return 2;
        }
    }
    if (r.nfailed)
        tui_msg(&t, true, "not loaded: %s", r.errors);

    int status = 0;
    unsigned bits = TUI_LABELS | TUI_LAYOUT | TUI_REDRAW | TUI_CLEAR;
    double t_key = -1;
    unsigned frame_kind = 0;
    for (;;) {
        if (bits & TUI_RELOAD)
            bits |= reload(&t);
        if (bits & TUI_LABELS)
            tui_labels_build(&t);
        if (bits & (TUI_LABELS | TUI_LAYOUT))
            tui_layout_compute(&t);
        if (bits & TUI_CLEAR)
            clearok(curscr, TRUE);
        if (bits & (TUI_REDRAW | TUI_LAYOUT | TUI_LABELS | TUI_CLEAR)) {
            render(&t);
            double tn = tui_now_ms();
            if (!t.first_frame_ms)
                t.first_frame_ms = tn - t.t_start;
            else if (t_key >= 0) {
                double ms = tn - t_key;
                if (frame_kind & TUI_DATA)
                    times_add(&t.t_data, ms);
                else if (frame_kind & TUI_MOVE)
                    times_add(&t.t_move, ms);
                else
                    times_add(&t.t_other, ms);
            }
        }
        if (bits & TUI_QUIT)
            break;
        t_key = -1;
        int key = read_key();
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
            continue;
        }
        t_key = tui_now_ms();
        if (key == TUI_KEYCODE(KEY_RESIZE))
            bits = TUI_LAYOUT | TUI_REDRAW;
        else if (t.top)
            bits = t.top->key(&t, t.top, key);
        else
            bits = tui_dispatch(&t, key);
        frame_kind = bits;
    }
    term_end();
    if (t.stats) {
        fprintf(stderr,
                "attrscope --stats: first frame %.1f ms after start (loading %.1f ms)\n",
                t.first_frame_ms, t.load_ms);
        times_report("move/scroll keys:", &t.t_move);
        times_report("data changes:", &t.t_data);
        times_report("other keys:", &t.t_other);
        fprintf(stderr, "  of which, over all frames:\n");
        times_report("drawing:", &t.t_draw);
        times_report("terminal output:", &t.t_output);
    }
    tui_free(&t);
    return status;
}
