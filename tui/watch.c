/* watch.c - following the files (--watch, key F): reload when a viewed
 * file or a listed directory changes; see overview.h.
 *
 * What is watched: every path given on the command line - a file, or a
 * directory and the .json / .json.gz files in it.  Changes are noticed with
 * inotify on the directories that hold them (a file replaced by a rename is
 * still seen), or, where inotify is missing (or ATTRSCOPE_WATCH_POLL is set,
 * for file systems whose changes inotify does not see), by looking every
 * second.  A
 * change is taken once every changed or new file reads whole (a quick skim
 * with the loader); a file that does not - still being written - is tried
 * again when it changes next, and at the latest every few seconds, without
 * any message.  After FOLLOW_GIVE_UP seconds without a change a file that
 * still does not read is let through, so the list says it cannot be read. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "catalog.h"
#include "load.h"
#include "panels.h"

#define POLL_MS 1000        /* without inotify: look this often */
#define RETRY_MS 2000       /* a file that did not read: try again this often */
#define FOLLOW_GIVE_UP 30.0 /* seconds unchanged before a broken file is let through */

typedef struct fsig {
    char *path;
    as_filesig sig;
} fsig;

typedef struct sigset {
    fsig *v;
    size_t n, cap;
} sigset;

struct tui_watch {
    int fd;                 /* inotify, -1 when polling */
    sigset shown;           /* the files as last loaded */
    double t_scan, t_retry;
    bool dirty;             /* an event came since the last scan */
    bool pending;           /* a change is waiting for its files to read whole */
    double t_changed;       /* when the pending change last changed */
    sigset tried;           /* the files as last tried */
    bool reloading;         /* the reload asked for is ours */
    bool announce;          /* say so again once the files are listed */
    size_t nnew, nchanged, nremoved;
};

static void sigset_free(sigset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].path);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static void sig_add(sigset *s, const char *path)
{
    as_filesig sig;
    if (!catalog_filesig(path, &sig))
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        fsig *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return;
        s->v = v;
        s->cap = cap;
    }
    char *p = strdup(path);
    if (!p)
        return;
    s->v[s->n++] = (fsig){p, sig};
}

static int cmp_sig(const void *a, const void *b)
{
    return strcmp(((const fsig *)a)->path, ((const fsig *)b)->path);
}

/* The files the explorer's paths stand for now, sorted by path. */
static void scan(const tui *t, sigset *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < t->opts->nfiles; i++) {
        const char *p = t->opts->files[i];
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(p);
            if (!d)
                continue;
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!catalog_wanted(e->d_name))
                    continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", p, e->d_name);
                sig_add(s, path);
            }
            closedir(d);
        } else {
            sig_add(s, p);
        }
    }
    qsort(s->v, s->n, sizeof *s->v, cmp_sig);
}

static const fsig *find(const sigset *s, const char *path)
{
    fsig key = {.path = (char *)path};
    return bsearch(&key, s->v, s->n, sizeof *s->v, cmp_sig);
}

static bool same(const fsig *a, const fsig *b) { return catalog_filesig_same(&a->sig, &b->sig); }

static bool sets_equal(const sigset *a, const sigset *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].path, b->v[i].path) || !same(&a->v[i], &b->v[i]))
            return false;
    return true;
}

static void watch_dirs(tui_watch *w, const tui *t)
{
    w->fd = -1;
    const char *poll_env = getenv("ATTRSCOPE_WATCH_POLL");
    if (poll_env && *poll_env && strcmp(poll_env, "0") != 0)
        return;   /* asked to look instead (file systems inotify cannot see, e.g. NFS) */
#ifdef __linux__
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0)
        return;
    const uint32_t mask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                          IN_DELETE | IN_ATTRIB;
    int nwatch = 0;
    for (size_t i = 0; i < t->opts->nfiles; i++) {
        const char *p = t->opts->files[i];
        struct stat st;
        char dir[4096];
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(dir, sizeof dir, "%s", p);
        } else {
            /* the file's directory: a file replaced by a rename is seen too */
            snprintf(dir, sizeof dir, "%s", p);
            char *slash = strrchr(dir, '/');
            if (slash == dir)
                dir[1] = '\0';
            else if (slash)
                *slash = '\0';
            else
                snprintf(dir, sizeof dir, ".");
        }
        if (inotify_add_watch(w->fd, dir, mask) >= 0)
            nwatch++;
    }
    if (!nwatch) {
        close(w->fd);
        w->fd = -1;
    }
#else
    (void)t;
#endif
}

bool tui_watch_on(const tui *t) { return t->watch != NULL; }

static const char *how(const tui_watch *w)
{
    return w->fd >= 0 ? "inotify" : "looking every second";
}

void tui_watch_free(tui *t)
{
    tui_watch *w = t->watch;
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    sigset_free(&w->shown);
    sigset_free(&w->tried);
    free(w);
    t->watch = NULL;
}

unsigned tui_watch_toggle(tui *t)
{
    if (t->watch) {
        tui_watch_free(t);
        tui_msg(t, false, "not following the files any more");
        return TUI_REDRAW;
    }
    if (!t->opts->nfiles) {
        tui_msg(t, true, "nothing to follow: the bundled example is not a file");
        return TUI_REDRAW;
    }
    tui_watch *w = calloc(1, sizeof *w);
    if (!w)
        return 0;
    w->fd = -1;
    watch_dirs(w, t);
    scan(t, &w->shown);
    w->t_scan = tui_now_ms();
    t->watch = w;
    wtimeout(stdscr, t->listing || tui_summary_busy(t) ? 30 : 100);
    tui_msg(t, false, "following the files (%s): they reload when they change; F stops",
            how(w));
    w->announce = t->listing;   /* the listing's end replaces the message */
    return TUI_REDRAW;
}

/* Whether every file new or changed since `shown` reads whole. */
static bool all_read(const tui_watch *w, const sigset *now)
{
    for (size_t i = 0; i < now->n; i++) {
        const fsig *old = find(&w->shown, now->v[i].path);
        if (old && same(old, &now->v[i]))
            continue;
        as_load_opts lo = {.skim = true};
        as_error err = {0};
        as_output *o = as_load_file(now->v[i].path, &lo, &err);
        if (!o)
            return false;
        attr_output_free(o);
    }
    return true;
}

static void count_changes(tui_watch *w, const sigset *now)
{
    w->nnew = w->nchanged = w->nremoved = 0;
    for (size_t i = 0; i < now->n; i++) {
        const fsig *old = find(&w->shown, now->v[i].path);
        if (!old)
            w->nnew++;
        else if (!same(old, &now->v[i]))
            w->nchanged++;
    }
    for (size_t i = 0; i < w->shown.n; i++)
        if (!find(now, w->shown.v[i].path))
            w->nremoved++;
}

unsigned tui_watch_poll(tui *t)
{
    tui_watch *w = t->watch;
    if (!w)
        return 0;
    double now_ms = tui_now_ms();
    unsigned bits = 0;
    if (w->announce && !t->listing) {
        w->announce = false;
        if (!t->msg_err) {
            char was[sizeof t->msg];
            snprintf(was, sizeof was, "%s", t->msg);
            tui_msg(t, false, "%s%sfollowing the files (%s), F stops", was, was[0] ? "; " : "",
                    how(w));
            bits = TUI_REDRAW;
        }
    }
#ifdef __linux__
    if (w->fd >= 0) {
        char buf[8192];
        while (read(w->fd, buf, sizeof buf) > 0)
            w->dirty = true;
    }
#endif
    bool look = w->fd >= 0 ? w->dirty : now_ms - w->t_scan >= POLL_MS;
    if (w->pending && now_ms - w->t_retry >= RETRY_MS)
        look = true;
    if (!look)
        return bits;
    w->dirty = false;
    w->t_scan = now_ms;
    sigset now;
    scan(t, &now);
    if (sets_equal(&now, &w->shown)) {
        /* back as it was (or an event about something else) */
        w->pending = false;
        sigset_free(&now);
        return bits;
    }
    if (!w->pending || !sets_equal(&now, &w->tried))
        w->t_changed = now_ms;
    bool give_up = now_ms - w->t_changed >= FOLLOW_GIVE_UP * 1000;
    if (w->pending && sets_equal(&now, &w->tried) && !give_up &&
        now_ms - w->t_retry < RETRY_MS) {
        sigset_free(&now);
        return bits;
    }
    w->t_retry = now_ms;
    if (!give_up && !all_read(w, &now)) {
        /* still being written: quietly try again later */
        sigset_free(&w->tried);
        w->tried = now;
        w->pending = true;
        return bits;
    }
    count_changes(w, &now);
    sigset_free(&w->shown);
    sigset_free(&w->tried);
    w->shown = now;
    w->pending = false;
    w->reloading = true;
    return TUI_RELOAD;
}

bool tui_watch_reloading(const tui *t) { return t->watch && t->watch->reloading; }

void tui_watch_reloaded(tui *t, double ms)
{
    tui_watch *w = t->watch;
    if (!w || !w->reloading)
        return;
    w->reloading = false;
    if (t->msg_err)
        return;   /* the reload's own error says more */
    char when[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    char what[128] = "";
    int at = 0;
    if (w->nnew)
        at += snprintf(what + at, sizeof what - (size_t)at, "%s%zu new file%s", at ? ", " : "",
                       w->nnew, w->nnew == 1 ? "" : "s");
    if (w->nchanged)
        at += snprintf(what + at, sizeof what - (size_t)at, "%s%zu changed", at ? ", " : "",
                       w->nchanged);
    if (w->nremoved)
        snprintf(what + at, sizeof what - (size_t)at, "%s%zu removed", at ? ", " : "",
                 w->nremoved);
    tui_msg(t, false, "following: reloaded at %s in %.0f ms (%s); F stops", when, ms, what);
}

void tui_cursor_save(const tui *t, tui_cursor *c)
{
    const view_state *v = &t->v;
    *c = (tui_cursor){v->seq, (int)v->layout, v->pane, {v->row[0], v->row[1]}, v->col};
}

unsigned tui_cursor_restore(tui *t, const tui_cursor *c)
{
    view_state *v = &t->v;
    if (v->seq != c->seq || !view_seq(v))
        return 0;
    unsigned ch = 0;
    if ((int)v->layout != c->layout)
        ch |= view_set_layout(v, (view_layout)c->layout);
    int other = 1 - c->pane;
    ch |= view_goto(v, other, c->row[other], c->col);
    ch |= view_goto(v, c->pane, c->row[c->pane], c->col);
    return tui_view_bits(ch) | TUI_LAYOUT | TUI_REDRAW;
}
