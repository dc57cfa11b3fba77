/* explore.c - the explorer's main loop: loading with progress, terminal
 * setup and restore, signals, key dispatch through the action table, and
 * frame timing. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "label.h"
#include "load.h"
#include "tui.h"

/* ---------------------------------------------------------------- time */

static double now_ms(void)
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

/* -------------------------------------------------------------- signals */

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t got_cont;
static volatile sig_atomic_t got_tstp;

static void on_signal(int sig)
{
    got_signal = sig;
}

static void on_cont(int sig)
{
    (void)sig;
    got_cont = 1;
}

static void on_tstp(int sig)
{
    (void)sig;
    got_tstp = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked read returns */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_cont;
    sigaction(SIGCONT, &sa, NULL);
    /* SIGTSTP (Ctrl-Z): the main loop gives the terminal back, stops, and
     * repaints everything once continued (see suspend_now). */
    sa.sa_handler = on_tstp;
    sigaction(SIGTSTP, &sa, NULL);
}

/* --------------------------------------------------------------- curses */

static SCREEN *scr;
static FILE *tty_in;
static bool curses_on;

static int curses_start(tui *t, char *err, size_t errlen)
{
    const explore_opts *o = t->opts;
    tty_in = stdin;
    if (!isatty(STDIN_FILENO)) {
        tty_in = fopen("/dev/tty", "r");
        if (!tty_in) {
            snprintf(err, errlen, "cannot read the keyboard: /dev/tty: %s", strerror(errno));
            return -1;
        }
    }
    const char *no_color = getenv("NO_COLOR");
    bool nocolor = (no_color && no_color[0] && o->color == EXPLORE_COLOR_AUTO) ||
                   o->color == EXPLORE_COLOR_MONO;
    const char *direct = NULL;
    if (!nocolor && (o->color == EXPLORE_COLOR_AUTO || o->color == EXPLORE_COLOR_TRUE))
        direct = theme_direct_term();
    scr = direct ? newterm(direct, stdout, tty_in) : NULL;
    if (!scr)
        scr = newterm(NULL, stdout, tty_in);
    if (!scr) {
        const char *term = getenv("TERM");
        snprintf(err, errlen, "cannot drive this terminal (TERM=%s)", term ? term : "unset");
        if (tty_in != stdin)
            fclose(tty_in);
        tty_in = NULL;
        return -1;
    }
    set_term(scr);
    curses_on = true;
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    idlok(stdscr, TRUE);   /* vertical scrolls move lines instead of resending them */
    set_escdelay(25);
    curs_set(0);
    wtimeout(stdscr, 100);
    tui_color_mode mode = TUI_MONO;
    if (!nocolor && has_colors()) {
        start_color();
        mode = theme_detect();
    }
    t->max_mode = mode;
    switch (o->color) {
    case EXPLORE_COLOR_256:
        mode = mode > TUI_256 ? TUI_256 : mode;
        break;
    case EXPLORE_COLOR_8:
        mode = mode > TUI_8 ? TUI_8 : mode;
        break;
    default:
        break;
    }
    theme_init(mode);
    return 0;
}

static void curses_end(void)
{
    if (!curses_on)
        return;
    curs_set(1);
    endwin();
    delscreen(scr);
    scr = NULL;
    curses_on = false;
    if (tty_in && tty_in != stdin)
        fclose(tty_in);
    tty_in = NULL;
    fflush(stdout);
}

/* Ctrl-Z: leave curses mode, stop with the default action, and return once
 * continued; the caller repaints (curses resumes on the next update). */
static void suspend_now(void)
{
    got_tstp = 0;
    if (curses_on) {
        curs_set(1);
        endwin();
        fflush(stdout);
    }
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    sigemptyset(&dfl.sa_mask);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &dfl, &old);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
}

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
    double t0 = now_ms();
    while (!atomic_load(&j->finished)) {
        if (got_signal) {
            curses_end();
            fprintf(stderr, "attrscope: interrupted while loading\n");
            _exit(128 + got_signal);
        }
        if (got_tstp)
            suspend_now();
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        double el = now_ms() - t0;
        if (el < 300)
            continue;
        if (!curses_on) {
            char err[256];
            if (curses_start(t, err, sizeof err))
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
    if (ch & (VIEW_CH_GRID | VIEW_CH_SEQ))
        b |= TUI_DATA | TUI_LAYOUT;
    if (ch & VIEW_CH_SEQ)
        b |= TUI_LABELS;
    if (ch & VIEW_CH_LAYOUT)
        b |= TUI_LAYOUT;
    if (ch & VIEW_CH_RANGE)
        b |= TUI_REDRAW;
    if (ch && !(ch & ~(unsigned)(VIEW_CH_CURSOR | VIEW_CH_SCROLL)))
        b |= TUI_MOVE;
    return b;
}

/* Bits after a change of the shown data: labels (tokens may have merged) and
 * layout follow. */
static unsigned data_bits(unsigned ch)
{
    unsigned b = tui_view_bits(ch);
    if (ch & VIEW_CH_GRID)
        b |= TUI_LABELS;
    return b;
}

/* ---------------------------------------------------------- key names */

static int key_from_name(const char *k, size_t n)
{
    static const struct {
        const char *name;
        int code;
    } named[] = {
        {"Left", TUI_KEYCODE(KEY_LEFT)}, {"Right", TUI_KEYCODE(KEY_RIGHT)},
        {"Up", TUI_KEYCODE(KEY_UP)},     {"Down", TUI_KEYCODE(KEY_DOWN)},
        {"PgUp", TUI_KEYCODE(KEY_PPAGE)}, {"PgDn", TUI_KEYCODE(KEY_NPAGE)},
        {"Home", TUI_KEYCODE(KEY_HOME)}, {"End", TUI_KEYCODE(KEY_END)},
        {"Tab", '\t'},                   {"Enter", '\n'},
        {"Esc", TUI_ESC},                {"Backspace", TUI_KEYCODE(KEY_BACKSPACE)},
        {"Space", ' '},
    };
    if (n == 1)
        return (unsigned char)k[0];
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == n && !strncmp(k, named[i].name, n))
            return named[i].code;
    if (n == 3 && k[0] == 'C' && k[1] == '-')
        return TUI_CTRL(k[2]);
    if (n >= 2 && k[0] == 'F')
        return TUI_KEYCODE(KEY_F(atoi(k + 1)));
    return -1;
}

typedef struct keybind {
    int key;
    int action;
} keybind;

static keybind binds[ACT_COUNT * 4];
static size_t nbinds;
static char first_key[ACT_COUNT][16];

static void bind_keys(void)
{
    nbinds = 0;
    for (int a = 0; a < ACT_COUNT; a++) {
        const char *p = tui_action_table[a].keys;
        bool first = true;
        while (*p) {
            while (*p == ' ')
                p++;
            const char *e = p;
            while (*e && *e != ' ')
                e++;
            if (e > p) {
                int code = key_from_name(p, (size_t)(e - p));
                if (code >= 0 && nbinds < sizeof binds / sizeof binds[0])
                    binds[nbinds++] = (keybind){code, a};
                if (first)
                    snprintf(first_key[a], sizeof first_key[a], "%.*s", (int)(e - p), p);
                first = false;
            }
            p = e;
        }
    }
}

const char *tui_action_key(int action)
{
    return first_key[action];
}

/* Folds the different codes terminals send for the same key. */
static int normalize_key(int k)
{
    switch (k) {
    case '\r':
    case TUI_KEYCODE(KEY_ENTER):
        return '\n';
    case TUI_KEYCODE(KEY_FIND):
    case TUI_KEYCODE(KEY_A1):
        return TUI_KEYCODE(KEY_HOME);
    case TUI_KEYCODE(KEY_SELECT):
    case TUI_KEYCODE(KEY_C1):
        return TUI_KEYCODE(KEY_END);
    case TUI_KEYCODE(KEY_A3):
        return TUI_KEYCODE(KEY_PPAGE);
    case TUI_KEYCODE(KEY_C3):
        return TUI_KEYCODE(KEY_NPAGE);
    default:
        return k;
    }
}

/* --------------------------------------------------------------- history */

static char *hist_path(void)
{
    const char *env = getenv("ATTRSCOPE_HISTORY");
    if (env)
        return env[0] ? strdup(env) : NULL;
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[1024];
    if (state && state[0])
        snprintf(dir, sizeof dir, "%s/attrscope", state);
    else if (home && home[0])
        snprintf(dir, sizeof dir, "%s/.local/state/attrscope", home);
    else
        return NULL;
    char *p = malloc(strlen(dir) + 16);
    if (p)
        sprintf(p, "%s/pipelines", dir);
    return p;
}

static void hist_push(tui *t, const char *s)
{
    for (size_t i = 0; i < t->nhist; i++)
        if (!strcmp(t->hist[i], s)) {
            char *keep = t->hist[i];
            memmove(t->hist + i, t->hist + i + 1, (t->nhist - i - 1) * sizeof *t->hist);
            t->hist[t->nhist - 1] = keep;
            return;
        }
    char *c = strdup(s);
    if (!c)
        return;
    if (t->nhist == TUI_HIST_MAX) {
        free(t->hist[0]);
        memmove(t->hist, t->hist + 1, (TUI_HIST_MAX - 1) * sizeof *t->hist);
        t->nhist--;
    }
    t->hist[t->nhist++] = c;
}

void tui_hist_load(tui *t)
{
    if (t->hist_loaded)
        return;
    t->hist_loaded = true;
    hist_push(t, "none");
    hist_push(t, "default");
    char *path = hist_path();
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return;
    char line[VIEW_PIPE_MAX + 2];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            hist_push(t, line);
    }
    fclose(f);
}

/* Remembers a pipeline for this session and the next ones (best effort). */
void tui_hist_add(tui *t, const char *pipeline)
{
    tui_hist_load(t);
    hist_push(t, pipeline);
    char *path = hist_path();
    if (!path)
        return;
    char *slash = strrchr(path, '/');
    if (slash) {
        /* create the directory chain quietly */
        for (char *p = path + 1; p <= slash; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    free(path);
    if (!f)
        return;
    for (size_t i = 0; i < t->nhist; i++)
        if (strcmp(t->hist[i], "none") && strcmp(t->hist[i], "default"))
            fprintf(f, "%s\n", t->hist[i]);
    fclose(f);
}

/* --------------------------------------------------------------- search */

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return false;
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

static bool token_matches(const tui *t, int side, size_t idx, const char *q)
{
    const as_seq *s = view_seq(&t->v);
    const as_tokens *tok = side == VIEW_SRC ? &s->source : &s->target;
    if (idx < tok->n && contains_ci(tok->v[idx].text, q))
        return true;
    const tui_labels *l = &t->lab[side];
    return idx < l->n && l->text[idx] && contains_ci(l->text[idx], q);
}

static void search_build(tui *t)
{
    free(t->matches);
    t->matches = NULL;
    t->nmatch = 0;
    const view_state *v = &t->v;
    const as_seq *s = view_seq(v);
    if (!s || !t->query[0])
        return;
    size_t cap = 0;
    for (int p = 0; p < 2; p++)
        if (view_shows(v, p))
            cap += v->grid[p].nrows + v->grid[p].ncols;
    t->matches = calloc(cap ? cap : 1, sizeof *t->matches);
    if (!t->matches)
        return;
    for (int p = 0; p < 2; p++) {
        if (!view_shows(v, p))
            continue;
        const view_grid *g = &v->grid[p];
        for (size_t r = 0; r < g->nrows; r++)
            if (token_matches(t, p, view_row_token(v, p, r), t->query))
                t->matches[t->nmatch++] = (tui_match){p, false, r};
    }
    const view_grid *g = &v->grid[v->pane];
    for (size_t c = 0; c < g->ncols; c += g->nsub) {
        size_t ti = (size_t)s->attr_pos_start + view_col_gen(v, v->pane, c);
        if (token_matches(t, VIEW_TGT, ti, t->query))
            t->matches[t->nmatch++] = (tui_match){v->pane, true, c};
    }
}

static unsigned search_go(tui *t, long step)
{
    search_build(t);
    char q[600];
    tui_safe(t->query, q, sizeof q);
    if (!t->nmatch) {
        tui_msg(t, true, "no token matches '%s'", q);
        return TUI_REDRAW;
    }
    if (step) {
        long n = (long)t->nmatch;
        t->match_i = (size_t)((((long)t->match_i + step) % n + n) % n);
    } else {
        t->match_i = 0;
    }
    if (t->match_i >= t->nmatch)
        t->match_i = 0;
    tui_match m = t->matches[t->match_i];
    view_state *v = &t->v;
    unsigned ch = m.col ? view_goto(v, m.pane, v->row[v->pane], m.index)
                        : view_goto(v, m.pane, m.index, v->col);
    tui_msg(t, false, "'%s': match %zu of %zu (%s %zu)", q, t->match_i + 1, t->nmatch,
            m.col ? "column" : m.pane == VIEW_SRC ? "source row" : "target row",
            m.col ? view_col_gen(v, m.pane, m.index) : view_row_token(v, m.pane, m.index));
    return tui_view_bits(ch) | TUI_REDRAW;
}

static unsigned search_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "type some text of a token");
        return 0;
    }
    snprintf(t->query, sizeof t->query, "%s", text);
    t->match_i = 0;
    return search_go(t, 0);
}

/* -------------------------------------------------------------- actions */

#define ACT(id) static unsigned act_##id(tui *t)

ACT(LEFT) { return tui_view_bits(view_move(&t->v, 0, -1)); }
ACT(RIGHT) { return tui_view_bits(view_move(&t->v, 0, 1)); }
ACT(UP) { return tui_view_bits(view_move(&t->v, -1, 0)); }
ACT(DOWN) { return tui_view_bits(view_move(&t->v, 1, 0)); }
ACT(PAGE_UP) { return tui_view_bits(view_page(&t->v, -1)); }
ACT(PAGE_DOWN) { return tui_view_bits(view_page(&t->v, 1)); }
ACT(HOME) { return tui_view_bits(view_home(&t->v, false, false)); }
ACT(END) { return tui_view_bits(view_home(&t->v, false, true)); }
ACT(TOP) { return tui_view_bits(view_home(&t->v, true, false)); }
ACT(BOTTOM) { return tui_view_bits(view_home(&t->v, true, true)); }
ACT(ROW_MAX) { return tui_view_bits(view_jump_extreme(&t->v, true, true)); }
ACT(ROW_MIN) { return tui_view_bits(view_jump_extreme(&t->v, true, false)); }
ACT(COL_MAX) { return tui_view_bits(view_jump_extreme(&t->v, false, true)); }
ACT(COL_MIN) { return tui_view_bits(view_jump_extreme(&t->v, false, false)); }

ACT(SEARCH)
{
    tui_push(t, prompt_new("search token", t->query, true, search_enter, NULL));
    return TUI_REDRAW;
}

ACT(SEARCH_NEXT)
{
    if (!t->query[0]) {
        tui_msg(t, true, "no search yet: press / first");
        return TUI_REDRAW;
    }
    return search_go(t, 1);
}

ACT(SEARCH_PREV)
{
    if (!t->query[0]) {
        tui_msg(t, true, "no search yet: press / first");
        return TUI_REDRAW;
    }
    return search_go(t, -1);
}

ACT(PANES)
{
    unsigned ch = view_cycle_layout(&t->v);
    if (!ch)
        tui_msg(t, false, "this sequence has only the %s heatmap",
                t->v.grid[VIEW_SRC].present ? "source" : "target");
    return tui_view_bits(ch) | TUI_LAYOUT | TUI_REDRAW;
}

ACT(NEXT_SEQ)
{
    if (t->v.seq + 1 >= t->out->nseqs) {
        tui_msg(t, false, "last sequence");
        return TUI_REDRAW;
    }
    return data_bits(view_set_seq(&t->v, t->v.seq + 1));
}

ACT(PREV_SEQ)
{
    if (t->v.seq == 0) {
        tui_msg(t, false, "first sequence");
        return TUI_REDRAW;
    }
    return data_bits(view_set_seq(&t->v, t->v.seq - 1));
}

/* The texts of sequence i: from info's input_texts / generated_texts when
 * they line up with the sequences, else the decoded tokens. */
static void seq_texts(const tui *t, size_t i, char *in, size_t inn, char *gen, size_t genn)
{
    const as_output *o = t->out;
    json_t *a = json_object_get(o->info, "input_texts");
    json_t *b = json_object_get(o->info, "generated_texts");
    in[0] = gen[0] = '\0';
    if (json_array_size(a) == o->nseqs && json_is_string(json_array_get(a, i)))
        tui_safe(json_string_value(json_array_get(a, i)), in, inn);
    if (json_array_size(b) == o->nseqs && json_is_string(json_array_get(b, i)))
        tui_safe(json_string_value(json_array_get(b, i)), gen, genn);
    const as_seq *s = &o->seqs[i];
    char tok[512];
    if (!in[0]) {
        const as_tokens *src = s->source.n ? &s->source : NULL;
        size_t n = src ? src->n : (size_t)s->attr_pos_start;
        for (size_t k = 0; k < n && k < s->target.n + (src ? src->n : 0); k++) {
            tui_label(src ? src->v[k].text : s->target.v[k].text, false, tok, sizeof tok);
            size_t l = strlen(in);
            snprintf(in + l, inn - l, "%s", tok);
        }
    }
    if (!gen[0]) {
        for (size_t k = (size_t)s->attr_pos_start; k < s->target.n; k++) {
            tui_label(s->target.v[k].text, false, tok, sizeof tok);
            size_t l = strlen(gen);
            snprintf(gen + l, genn - l, "%s", tok);
        }
    }
}

static unsigned pick_seq(tui *t, size_t i, void *ud)
{
    (void)ud;
    return data_bits(view_set_seq(&t->v, i));
}

ACT(SEQ_LIST)
{
    size_t n = t->out->nseqs;
    char **items = calloc(n ? n : 1, sizeof *items);
    if (!items)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char in[1024], gen[1024], line[2300];
        seq_texts(t, i, in, sizeof in, gen, sizeof gen);
        snprintf(line, sizeof line, "%3zu  %s %s %s", i + 1, in, tui_utf8() ? "\u2192" : "->",
                 gen);
        items[i] = strdup(line);
        if (!items[i])
            items[i] = strdup("");
    }
    tui_push(t, list_new("sequences", items, n, t->v.seq, pick_seq, NULL));
    return TUI_REDRAW;
}

ACT(TOPK)
{
    t->topk = !t->topk;
    return TUI_LAYOUT | TUI_REDRAW;
}

ACT(INFO)
{
    size_t n;
    char **lines = tui_info_lines(t, &n);
    tui_push(t, pager_new("info", lines, n, 'i'));
    return TUI_REDRAW;
}

ACT(RAW)
{
    t->raw_tokens = !t->raw_tokens;
    tui_msg(t, false, "%s token text", t->raw_tokens ? "raw" : "decoded");
    return TUI_LABELS | TUI_LAYOUT | TUI_REDRAW;
}

ACT(RANGE)
{
    unsigned ch = view_toggle_global_range(&t->v);
    tui_msg(t, false, "color range over %s: %g to %g",
            t->v.global_range ? "all sequences" : "this sequence", t->v.vmin, t->v.vmax);
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(NARROW)
{
    if (t->cw_level > 0)
        t->cw_level--;
    return TUI_LAYOUT | TUI_REDRAW | TUI_MOVE;
}

ACT(WIDEN)
{
    t->cw_level++;
    return TUI_LAYOUT | TUI_REDRAW | TUI_MOVE;
}

ACT(COLOR)
{
    tui_color_mode m = theme_mode();
    m = m == TUI_MONO ? t->max_mode : (tui_color_mode)(m - 1);
    theme_init(m);
    tui_msg(t, false, "colors: %s", theme_mode_name(m));
    return TUI_REDRAW | TUI_CLEAR;
}

ACT(PIPELINE)
{
    tui_push(t, editor_new(t));
    return TUI_REDRAW;
}

static unsigned pick_weight(tui *t, size_t i, void *ud)
{
    (void)ud;
    const as_seq *s = &t->out->seqs[t->v.seq];
    const char *w = i == 0 || i > s->step_scores.n ? "" : s->step_scores.v[i - 1].name;
    as_error e = {0};
    unsigned ch = view_set_weight(&t->v, w, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else if (ch)
        tui_msg(t, false, w[0] ? "weighted by %s" : "no weighting%s", w);
    return data_bits(ch) | TUI_REDRAW;
}

ACT(WEIGHT)
{
    const as_seq *s = &t->out->seqs[t->v.seq];
    size_t n = s->step_scores.n + 1;
    char **items = calloc(n, sizeof *items);
    if (!items)
        return 0;
    items[0] = strdup("(none)");
    size_t sel = 0;
    for (size_t k = 0; k < s->step_scores.n; k++) {
        char safe[512];
        tui_safe(s->step_scores.v[k].name, safe, sizeof safe);
        items[k + 1] = strdup(safe);
        if (!strcmp(s->step_scores.v[k].name, t->v.ch.weight))
            sel = k + 1;
    }
    for (size_t k = 0; k < n; k++)
        if (!items[k])
            items[k] = strdup("");
    tui_push(t, list_new("weight attributions by a step score", items, n, sel, pick_weight,
                         NULL));
    return TUI_REDRAW;
}

ACT(UNDO)
{
    as_error e = {0};
    unsigned ch = view_undo(&t->v, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else
        tui_msg(t, false, "undone: pipeline %s%s%s", t->v.ch.pipeline,
                t->v.ch.weight[0] ? ", weight " : "", t->v.ch.weight);
    return data_bits(ch) | TUI_REDRAW;
}

static unsigned pick_show_dim(tui *t, size_t i, void *ud)
{
    (void)ud;
    as_error e = {0};
    unsigned ch = view_set_show_dim(&t->v, i == 0 ? -1 : (int)i + 1, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else if (t->v.ch.show_dim >= 0)
        tui_msg(t, false, "columns split by %s", view_dim_name(&t->v, t->v.ch.show_dim));
    else
        tui_msg(t, false, "no sub-columns");
    return data_bits(ch) | TUI_REDRAW;
}

ACT(SHOW_DIM)
{
    view_state *v = &t->v;
    int nd = view_ndim(v);
    if (nd <= 2) {
        tui_msg(t, false, "this view is 2D: no extra dims (pipeline %s)", v->ch.pipeline);
        return TUI_REDRAW;
    }
    size_t n = (size_t)nd - 1;
    char **items = calloc(n, sizeof *items);
    if (!items)
        return 0;
    items[0] = strdup("none: every extra dim is a slider");
    for (int d = 2; d < nd; d++) {
        char s[256];
        size_t size = view_dim_size(v, d);
        size_t len = v->ch.slice[d].on ? v->ch.slice[d].b - v->ch.slice[d].a : size;
        snprintf(s, sizeof s, "%d  %s (%zu)%s", d, view_dim_name(v, d), len,
                 len > v->max_show_size ? "  too large: slice it first (S)" : "");
        items[d - 1] = strdup(s);
    }
    for (size_t k = 0; k < n; k++)
        if (!items[k])
            items[k] = strdup("");
    size_t sel = v->ch.show_dim >= 2 ? (size_t)v->ch.show_dim - 1 : 0;
    tui_push(t, list_new("extra dim shown as sub-columns", items, n, sel, pick_show_dim, NULL));
    return TUI_REDRAW;
}

static unsigned slider_msg(tui *t, unsigned ch)
{
    view_state *v = &t->v;
    if (v->slider_dim < 0)
        tui_msg(t, false, "no slider: this view has no extra dim to step");
    return data_bits(ch) | TUI_REDRAW;
}

ACT(SLIDER_PREV) { return slider_msg(t, view_slider_step(&t->v, -1)); }
ACT(SLIDER_NEXT) { return slider_msg(t, view_slider_step(&t->v, 1)); }

ACT(SLIDER_DIM)
{
    unsigned ch = view_slider_next_dim(&t->v);
    if (t->v.slider_dim >= 0)
        tui_msg(t, false, "< and > step %s", view_dim_name(&t->v, t->v.slider_dim));
    return slider_msg(t, ch) | TUI_REDRAW;
}

static unsigned slice_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    unsigned ch = view_set_slice_str(&t->v, text, err);
    if (!err->code)
        tui_msg(t, false, ch ? "sliced: %s" : "slice unchanged: %s", text);
    return data_bits(ch) | TUI_REDRAW;
}

ACT(SLICE)
{
    char init[64];
    int d = t->v.slider_dim >= 0 ? t->v.slider_dim : 0;
    snprintf(init, sizeof init, "%d=", d);
    tui_push(t, prompt_new("slice DIM=A:B (name or index; DIM= clears)", init, false, slice_enter,
                           NULL));
    return TUI_REDRAW;
}

/* Writes the export; on failure err says why (nothing written). */
static unsigned export_now(tui *t, const char *path, as_error *err)
{
    if (tui_export(t, path, err))
        return TUI_REDRAW;
    const view_grid *g = &t->v.grid[t->v.pane];
    tui_msg(t, false, "exported the %s pane (%zu rows + %zu step rows, %zu columns) to %s",
            t->v.pane == VIEW_SRC ? "source" : "target", g->nrows, g->nsteps, g->ncols, path);
    return TUI_REDRAW;
}

static unsigned export_confirmed(tui *t, size_t yes, void *ud)
{
    (void)yes;
    as_error e = {0};
    unsigned bits = export_now(t, ud, &e);
    if (e.code)
        tui_msg(t, true, "export: %s", e.msg);
    return bits;
}

static unsigned export_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "give a file name (.csv, .json or .html)");
        return 0;
    }
    struct stat st;
    bool exists = !stat(text, &st);
    if (exists && S_ISDIR(st.st_mode)) {
        as_error_set(err, AS_EUSAGE, "%s is a directory", text);
        return 0;
    }
    if (tui_export_check(text, err))
        return 0;
    if (exists) {
        char q[VIEW_PIPE_MAX + 64];
        snprintf(q, sizeof q, "%s exists. Overwrite it?", text);
        char *path = strdup(text);
        if (!path)
            return 0;
        tui_push(t, confirm_new(q, export_confirmed, path, free));
        return TUI_REDRAW;
    }
    return export_now(t, text, err);
}

ACT(EXPORT)
{
    if (!view_seq(&t->v)) {
        tui_msg(t, true, "nothing to export");
        return TUI_REDRAW;
    }
    char *name = tui_export_default_name(t);
    tui_push(t, prompt_new("export the view to (.csv, .json, .html)", name ? name : "", true,
                           export_enter, NULL));
    free(name);
    return TUI_REDRAW;
}

ACT(RELOAD) { (void)t; return TUI_RELOAD; }

ACT(HELP)
{
    size_t n = 0, cap = ACT_COUNT + 16;
    char **lines = calloc(cap, sizeof *lines);
    if (!lines)
        return 0;
    const char *group = NULL;
    for (int a = 0; a < ACT_COUNT && n + 3 < cap; a++) {
        const tui_action_info *x = &tui_action_table[a];
        char s[512];
        if (!group || strcmp(group, x->group)) {
            if (group)
                lines[n++] = strdup("");
            group = x->group;
            lines[n++] = strdup(group);
        }
        char keys[64];
        snprintf(keys, sizeof keys, "%s", x->keys);
        for (char *p = keys; *p; p++)
            if (*p == ' ')
                *p = ',';
        snprintf(s, sizeof s, "  %-16s %s", keys, x->help);
        lines[n++] = strdup(s);
    }
    for (size_t i = 0; i < n; i++)
        if (!lines[i])
            lines[i] = strdup("");
    tui_push(t, pager_new("keys", lines, n, '?'));
    return TUI_REDRAW;
}

ACT(REDRAW) { (void)t; return TUI_CLEAR | TUI_LAYOUT | TUI_REDRAW; }
ACT(QUIT) { (void)t; return TUI_QUIT; }

typedef unsigned (*act_fn)(tui *);
static const act_fn act_table[ACT_COUNT] = {
#define TUI_ACT_FN(id, group, name, keys, help, hint) act_##id,
    TUI_ACTIONS(TUI_ACT_FN)
#undef TUI_ACT_FN
};

static unsigned dispatch(tui *t, int key)
{
    key = normalize_key(key);
    for (size_t i = 0; i < nbinds; i++)
        if (binds[i].key == key) {
            t->msg[0] = '\0';
            return act_table[binds[i].action](t) | TUI_REDRAW;
        }
    if (key == TUI_ESC) {
        t->msg[0] = '\0';
        return TUI_REDRAW;
    }
    tui_msg(t, false, "press ? for the keys");
    return TUI_REDRAW;
}

/* --------------------------------------------------------------- reload */

static unsigned reload(tui *t)
{
    loadjob *j = calloc(1, sizeof *j);
    if (!j)
        return 0;
    double t0 = now_ms();
    load_all(t, j);
    unsigned bits = TUI_REDRAW | TUI_CLEAR;
    if (!j->out) {
        tui_msg(t, true, "reload failed, still showing the old data: %s", j->errors);
    } else {
        as_output *old = t->out;
        t->out = j->out;
        bits |= data_bits(view_replace_output(&t->v, t->out)) | TUI_LABELS | TUI_LAYOUT;
        attr_output_free(old);
        if (j->nfailed)
            tui_msg(t, true, "reloaded %zu sequences in %.0f ms; failed: %s", t->out->nseqs,
                    now_ms() - t0, j->errors);
        else
            tui_msg(t, false, "reloaded %zu sequences in %.0f ms", t->out->nseqs, now_ms() - t0);
    }
    free(j);
    return bits;
}

/* ----------------------------------------------------------------- main */

static void render(tui *t)
{
    double t0 = now_ms();
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
    double t1 = now_ms();
    doupdate();
    times_add(&t->t_draw, t1 - t0);
    times_add(&t->t_output, now_ms() - t1);
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
    t.t_start = now_ms();
    t.stats = o->stats;
    t.raw_tokens = o->decode == EXPLORE_DECODE_RAW;
    t.cw_level = 5;   /* 6 columns: values with 2 decimals */
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
    install_signals();
    bind_keys();

    loadjob *j = calloc(1, sizeof *j);
    if (!j)
        return 1;
    load_all(&t, j);
    t.load_ms = now_ms() - t.t_start;
    if (!j->out) {
        curses_end();
        fprintf(stderr, "attrscope: %s\n", j->errors[0] ? j->errors : "nothing loaded");
        free(j);
        return 1;
    }
    t.out = j->out;
    char partial[sizeof j->errors];
    snprintf(partial, sizeof partial, "%s", j->nfailed ? j->errors : "");
    free(j);

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
        curses_end();
        fprintf(stderr, "attrscope: %s\n", e.msg);
        tui_free(&t);
        return 2;
    }
    t.view_ok = true;
    if (!curses_on) {
        char err[256];
        if (curses_start(&t, err, sizeof err)) {
            fprintf(stderr, "attrscope: %s\n", err);
            tui_free(&t);
            return 2;
        }
    }
    if (partial[0])
        tui_msg(&t, true, "not loaded: %s", partial);

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
            double tn = now_ms();
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
        if (got_signal) {
            status = 128 + got_signal;
            break;
        }
        if (got_tstp) {
            suspend_now();
            got_cont = 1;
        }
        if (got_cont) {
            got_cont = 0;
            bits = TUI_CLEAR | TUI_LAYOUT | TUI_REDRAW;
            continue;
        }
        if (key < 0) {
            bits = 0;
            continue;
        }
        t_key = now_ms();
        if (key == TUI_KEYCODE(KEY_RESIZE))
            bits = TUI_LAYOUT | TUI_REDRAW;
        else if (t.top)
            bits = t.top->key(&t, t.top, key);
        else
            bits = dispatch(&t, key);
        frame_kind = bits;
    }
    curses_end();
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
