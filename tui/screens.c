/* screens.c - dialogs stacked over the grid: a pager (help, info), a list
 * to pick from, a one-line prompt, a yes/no question; and the line editor
 * they share with the pipeline editor. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "widgets.h"


/* The usual dialog rectangle: most of the screen. */
static void dialog_rect(int want_h, int want_w, int *y, int *x, int *h, int *w)
{
    int H, W;
    getmaxyx(stdscr, H, W);
    *w = imin(want_w, W - (W > 40 ? 4 : 0));
    *h = imin(want_h, H - (H > 12 ? 2 : 0));
    *w = imax(*w, imin(W, 10));
    *h = imax(*h, imin(H, 3));
    *y = (H - *h) / 2;
    *x = (W - *w) / 2;
}

/* Moves *pos in [0, max] for a navigation key; false for other keys. */
static bool nav_key(int key, size_t *pos, size_t max, size_t page)
{
    switch (key) {
    case 'j':
    case TUI_KEYCODE(KEY_DOWN):
    case TUI_CTRL('n'):
        *pos = *pos < max ? *pos + 1 : max;
        return true;
    case 'k':
    case TUI_KEYCODE(KEY_UP):
    case TUI_CTRL('p'):
        *pos = *pos ? *pos - 1 : 0;
        return true;
    case ' ':
    case TUI_KEYCODE(KEY_NPAGE):
    case TUI_CTRL('f'):
        *pos = *pos + page < max ? *pos + page : max;
        return true;
    case TUI_KEYCODE(KEY_PPAGE):
    case TUI_CTRL('b'):
        *pos = *pos > page ? *pos - page : 0;
        return true;
    case 'g':
    case TUI_KEYCODE(KEY_HOME):
        *pos = 0;
        return true;
    case 'G':
    case TUI_KEYCODE(KEY_END):
        *pos = max;
        return true;
    default:
        return false;
    }
}

static bool is_close(int key, int extra)
{
    return key == 'q' || key == TUI_ESC || key == extra || key == TUI_CTRL('g');
}

/* ------------------------------------------------------------ line edit */

void le_set(lineedit *le, const char *s)
{
    snprintf(le->buf, sizeof le->buf, "%s", s ? s : "");
    le->cur = strlen(le->buf);
    le->scroll = 0;
    le->fresh = false;
}

static size_t prev_char(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static size_t next_char(const char *s, size_t i)
{
    if (!s[i])
        return i;
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

static void del_range(lineedit *le, size_t a, size_t b)
{
    memmove(le->buf + a, le->buf + b, strlen(le->buf + b) + 1);
    le->cur = a;
}

bool le_key(lineedit *le, int key)
{
    bool printable = key >= 0x20 && key != 127 && key < 0x110000 && !(key >= 0x80 && key < 0xa0);
    if (le->fresh && printable)
        le->buf[0] = '\0', le->cur = 0;
    le->fresh = false;
    size_t len = strlen(le->buf);
    switch (key) {
    case TUI_KEYCODE(KEY_LEFT):
    case TUI_CTRL('b'):
        le->cur = prev_char(le->buf, le->cur);
        return true;
    case TUI_KEYCODE(KEY_RIGHT):
    case TUI_CTRL('f'):
        le->cur = next_char(le->buf, le->cur);
        return true;
    case TUI_KEYCODE(KEY_HOME):
    case TUI_CTRL('a'):
        le->cur = 0;
        return true;
    case TUI_KEYCODE(KEY_END):
    case TUI_CTRL('e'):
        le->cur = len;
        return true;
    case TUI_KEYCODE(KEY_BACKSPACE):
    case 127:
    case TUI_CTRL('h'):
        if (le->cur)
            del_range(le, prev_char(le->buf, le->cur), le->cur);
        return true;
    case TUI_KEYCODE(KEY_DC):
    case TUI_CTRL('d'):
        del_range(le, le->cur, next_char(le->buf, le->cur));
        return true;
    case TUI_CTRL('u'):
        del_range(le, 0, le->cur);
        return true;
    case TUI_CTRL('k'):
        le->buf[le->cur] = '\0';
        return true;
    case TUI_CTRL('w'): {
        size_t a = le->cur;
        while (a > 0 && le->buf[a - 1] == ' ')
            a--;
        while (a > 0 && le->buf[a - 1] != ' ')
            a--;
        del_range(le, a, le->cur);
        return true;
    }
    default:
        break;
    }
    if (printable) {
        char u[4];
        int n = (int)tokens_utf8_put(key, u);
        if (len + (size_t)n + 1 > sizeof le->buf)
            return true;
        memmove(le->buf + le->cur + n, le->buf + le->cur, len - le->cur + 1);
        memcpy(le->buf + le->cur, u, (size_t)n);
        le->cur += (size_t)n;
        return true;
    }
    return false;
}

void le_draw(lineedit *le, int y, int x, int w, tui_style st)
{
    if (w < 2)
        return;
    /* keep the cursor inside the shown part */
    if (le->cur < le->scroll)
        le->scroll = le->cur;
    char safe[VIEW_PIPE_MAX * 4];
    for (;;) {
        char head[VIEW_PIPE_MAX];
        size_t n = le->cur - le->scroll;
        memcpy(head, le->buf + le->scroll, n);
        head[n] = '\0';
        tui_safe(head, safe, sizeof safe);
        if (tui_width(safe) < w || le->scroll >= le->cur)
            break;
        le->scroll = next_char(le->buf, le->scroll);
    }
    int cx = tui_width(safe);
    tui_safe(le->buf + le->scroll, safe, sizeof safe);
    tui_put(y, x, safe, w, st, true, false);
    move(y, x + imin(cx, w - 1));
}

/* ---------------------------------------------------------------- pager */

typedef struct pager {
    screen s;
    char title[128];
    char **lines;
    size_t n, top;
    int close_key;
    int page;
} pager;

static void pager_draw(tui *t, screen *sc)
{
    (void)t;
    pager *p = (pager *)sc;
    int y, x, h, w, iy, ix, ih, iw;
    dialog_rect(10000, 10000, &y, &x, &h, &w);
    tui_box(y, x, h, w, p->title, &iy, &ix, &ih, &iw);
    p->page = imax(ih - 1, 1);
    if (p->n > (size_t)p->page && p->top > p->n - (size_t)p->page)
        p->top = p->n - (size_t)p->page;
    for (int i = 0; i < p->page && p->top + (size_t)i < p->n; i++)
        tui_put(iy + i, ix, p->lines[p->top + (size_t)i], iw, theme_role(ROLE_NORMAL), false,
                true);
    size_t end = p->top + (size_t)p->page < p->n ? p->top + (size_t)p->page : p->n;
    char f[160];
    snprintf(f, sizeof f, "%zu-%zu of %zu  %s scroll, q close", p->n ? p->top + 1 : 0, end, p->n,
             tui_utf8() ? "\u2191\u2193 PgUp PgDn" : "j k PgUp PgDn");
    tui_put(iy + ih - 1, ix, f, iw, theme_role(ROLE_DIM), false, true);
}

static unsigned pager_key(tui *t, screen *sc, int key)
{
    pager *p = (pager *)sc;
    size_t page = (size_t)p->page;
    size_t maxtop = p->n > page ? p->n - page : 0;
    if (key == TUI_MOUSE) {
        if (t->mouse.bstate & BUTTON4_PRESSED)
            p->top = p->top > 3 ? p->top - 3 : 0;
        else if (t->mouse.bstate & BUTTON5_PRESSED)
            p->top = p->top + 3 < maxtop ? p->top + 3 : maxtop;
        return TUI_REDRAW;
    }
    if (!nav_key(key, &p->top, maxtop, page) &&
        (is_close(key, p->close_key) || key == '\n' || key == '\r' ||
         key == TUI_KEYCODE(KEY_ENTER)))
        tui_pop(t);
    return TUI_REDRAW;
}

static void pager_free(screen *sc)
{
    pager *p = (pager *)sc;
    tui_lines_free(p->lines, p->n);
    free(p);
}

screen *pager_new(const char *title, char **lines, size_t n, int close_key)
{
    pager *p = calloc(1, sizeof *p);
    if (!p) {
        tui_lines_free(lines, n);
        return NULL;
    }
    p->s = (screen){pager_draw, pager_key, pager_free, NULL, true};
    snprintf(p->title, sizeof p->title, "%s", title);
    p->lines = lines;
    p->n = n;
    p->close_key = close_key;
    p->page = 1;
    return &p->s;
}

/* ----------------------------------------------------------------- list */

typedef struct list {
    screen s;
    char title[256];
    char **items;              /* list_new: owned texts */
    size_t n;
    tui_count_fn count;        /* list_new_lazy: texts on demand */
    tui_item_fn item;
    tui_find_fn find;
    size_t sel, top;
    int page;
    tui_pick_fn pick;
    void *ud;
    char query[256];
    char note[AS_ERROR_MAX];
    int iy, ix, iw;            /* where the items were drawn */
} list;

static size_t list_count(tui *t, list *l)
{
    return l->count ? l->count(t, l->ud) : l->n;
}

static void list_text(tui *t, list *l, size_t k, char *buf, size_t n)
{
    if (l->item)
        l->item(t, k, buf, n, l->ud);
    else
        snprintf(buf, n, "%s", k < l->n ? l->items[k] : "");
}

static void list_draw(tui *t, screen *sc)
{
    list *l = (list *)sc;
    size_t n = list_count(t, l);
    int want_w = 20;
    if (l->item)
        want_w = 10000;   /* too many to measure: the whole width */
    else
        for (size_t i = 0; i < l->n; i++)
            want_w = imax(want_w, tui_width(l->items[i]) + 6);
    want_w = imax(want_w, tui_width(l->title) + 8);
    int y, x, h, w, iy, ix, ih, iw;
    dialog_rect((int)(n < 10000 ? n : 10000) + 3, want_w, &y, &x, &h, &w);
    char title[512];
    if (l->count)
        snprintf(title, sizeof title, "%s (%zu)", l->title, n);
    else
        snprintf(title, sizeof title, "%s", l->title);
    tui_box(y, x, h, w, title, &iy, &ix, &ih, &iw);
    l->page = imax(ih - 1, 1);
    l->iy = iy;
    l->ix = ix;
    l->iw = iw;
    if (n && l->sel >= n)
        l->sel = n - 1;
    if (l->sel < l->top)
        l->top = l->sel;
    else if (l->sel >= l->top + (size_t)l->page)
        l->top = l->sel - (size_t)l->page + 1;
    char text[2600];
    for (int i = 0; i < l->page && l->top + (size_t)i < n; i++) {
        size_t k = l->top + (size_t)i;
        tui_style st = theme_role(k == l->sel ? ROLE_SELECT : ROLE_NORMAL);
        tui_fill(iy + i, ix - 1, iw + 2, st);
        list_text(t, l, k, text, sizeof text);
        tui_put(iy + i, ix, text, iw, st, true, true);
    }
    if (l->note[0]) {
        char safe[AS_ERROR_MAX * 2];
        tui_safe(l->note, safe, sizeof safe);
        tui_put(iy + ih - 1, ix, safe, iw, theme_role(ROLE_DIM), false, true);
    } else {
        tui_put(iy + ih - 1, ix,
                l->find ? "Enter pick, / search, n N next match, Esc cancel"
                        : "Enter pick, Esc cancel",
                iw, theme_role(ROLE_DIM), false, true);
    }
}

/* Moves the selection to the next match of the query (backwards: the
 * previous one). */
static void list_search(tui *t, list *l, bool backwards, bool again)
{
    size_t n = list_count(t, l);
    if (!n || !l->query[0])
        return;
    size_t from = again ? (backwards ? (l->sel + n - 1) % n : (l->sel + 1) % n) : l->sel;
    long k = l->find(t, from, l->query, backwards, l->ud);
    char q[600];
    tui_safe(l->query, q, sizeof q);
    if (k < 0) {
        snprintf(l->note, sizeof l->note, "no sequence has '%s'", q);
        return;
    }
    l->sel = (size_t)k;
    snprintf(l->note, sizeof l->note, "'%s': sequence %zu (n next, N previous)", q, (size_t)k);
}

static unsigned list_search_enter(tui *t, const char *text, void *ud, as_error *err)
{
    list *l = ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "type some text of the sequences");
        return 0;
    }
    snprintf(l->query, sizeof l->query, "%s", text);
    list_search(t, l, false, false);
    return TUI_REDRAW;
}

static unsigned list_key(tui *t, screen *sc, int key)
{
    list *l = (list *)sc;
    size_t n = list_count(t, l);
    if (key == TUI_MOUSE) {
        /* the wheel moves the selection; a click selects, a click on the
         * selected entry picks it */
        const MEVENT *m = &t->mouse;
        size_t last = n ? n - 1 : 0;
        if (m->bstate & BUTTON4_PRESSED)
            l->sel = l->sel > 3 ? l->sel - 3 : 0;
        else if (m->bstate & BUTTON5_PRESSED)
            l->sel = l->sel + 3 < last ? l->sel + 3 : last;
        else if ((m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) && m->y >= l->iy &&
                 m->y < l->iy + l->page && m->x >= l->ix - 1 && m->x <= l->ix + l->iw) {
            size_t k = l->top + (size_t)(m->y - l->iy);
            if (k < n && k == l->sel)
                key = '\n';
            else if (k < n)
                l->sel = k;
        }
        if (key == TUI_MOUSE)
            return TUI_REDRAW;
    }
    if (key != 'n' && key != 'N')
        l->note[0] = '\0';
    if (nav_key(key, &l->sel, n ? n - 1 : 0, (size_t)l->page))
        return TUI_REDRAW;
    if (l->find && key == '/') {
        tui_push(t, prompt_new("search the sequences' text", l->query, true, list_search_enter,
                               l));
        return TUI_REDRAW;
    }
    if (l->find && (key == 'n' || key == 'N')) {
        if (!l->query[0])
            snprintf(l->note, sizeof l->note, "no search yet: press / first");
        else
            list_search(t, l, key == 'N', true);
        return TUI_REDRAW;
    }
    if (key == '\n' || key == '\r' || key == TUI_KEYCODE(KEY_ENTER)) {
        tui_pick_fn pick = l->pick;
        void *ud = l->ud;
        size_t sel = l->sel;
        bool any = n > 0;
        tui_pop(t);
        return TUI_REDRAW | (any ? pick(t, sel, ud) : 0);
    }
    if (is_close(key, 0))
        tui_pop(t);
    return TUI_REDRAW;
}

static void list_free(screen *sc)
{
    list *l = (list *)sc;
    tui_lines_free(l->items, l->n);
    free(l);
}

screen *list_new(const char *title, char **items, size_t n, size_t sel, tui_pick_fn pick,
                 void *ud)
{
    list *l = calloc(1, sizeof *l);
    if (!l) {
        tui_lines_free(items, n);
        return NULL;
    }
    l->s = (screen){list_draw, list_key, list_free, NULL, true};
    snprintf(l->title, sizeof l->title, "%s", title);
    l->items = items;
    l->n = n;
    l->sel = sel < n ? sel : 0;
    l->pick = pick;
    l->ud = ud;
    l->page = 1;
    return &l->s;
}

screen *list_new_lazy(const char *title, tui_count_fn count, tui_item_fn item, size_t sel,
                      tui_pick_fn pick, tui_find_fn find, void *ud)
{
    list *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->s = (screen){list_draw, list_key, list_free, NULL, true};
    snprintf(l->title, sizeof l->title, "%s", title);
    l->count = count;
    l->item = item;
    l->find = find;
    l->sel = sel;
    l->pick = pick;
    l->ud = ud;
    l->page = 1;
    return &l->s;
}

/* --------------------------------------------------------------- prompt */

typedef struct prompt {
    screen s;
    char title[256];
    lineedit le;
    char error[AS_ERROR_MAX];
    bool note;                 /* error holds completions, not an error */
    bool paths;                /* Tab completes file paths */
    tui_enter_fn enter;
    void *ud;
    tui_prompt_tab_fn tab;
} prompt;

/* Splits s into lines of at most w characters (at spaces when it can) at
 * the starts in brk[]; returns how many (at most nmax). */
static int wrap_lines(const char *s, int w, size_t *brk, int nmax)
{
    int n = 0;
    size_t i = 0, len = strlen(s);
    while (i < len && n < nmax) {
        brk[n++] = i;
        size_t j = i, last_space = 0;
        int cols = 0;
        while (j < len && cols < w) {
            if (s[j] == ' ')
                last_space = j;
            j++;
            while (j < len && ((unsigned char)s[j] & 0xc0) == 0x80)
                j++;
            cols++;
        }
        if (j < len && last_space > i)
            j = last_space + 1;
        i = j;
    }
    return n;
}

static void prompt_draw(tui *t, screen *sc)
{
    (void)t;
    prompt *p = (prompt *)sc;
    int y, x, h, w, iy, ix, ih, iw;
    char safe[AS_ERROR_MAX * 2];
    size_t brk[16];
    int nl = 0;
    if (p->error[0]) {
        /* the whole message, wrapped: never cut */
        tui_safe(p->error, safe, sizeof safe);
        int H, W;
        getmaxyx(stdscr, H, W);
        (void)H;
        int bw = imin(72, W - (W > 40 ? 4 : 0)) - 4;   /* inside the box */
        nl = wrap_lines(safe, imax(bw, 8), brk, 16);
    }
    dialog_rect(p->error[0] ? 4 + nl : 4, 72, &y, &x, &h, &w);
    tui_box(y, x, h, w, p->title, &iy, &ix, &ih, &iw);
    if (ih >= 2) {
        if (p->error[0]) {
            for (int k = 0; k < nl && 1 + k < ih; k++) {
                size_t a = brk[k], b = k + 1 < nl ? brk[k + 1] : strlen(safe);
                char part[AS_ERROR_MAX * 2];
                snprintf(part, sizeof part, "%.*s", (int)(b - a), safe + a);
                tui_put(iy + 1 + k, ix, part, iw,
                        theme_role(p->note ? ROLE_DIM : ROLE_ERROR), false, true);
            }
        } else {
            tui_put(iy + ih - 1, ix,
                    p->paths ? "Enter accept, Tab complete, Esc cancel" : "Enter accept, Esc cancel",
                    iw, theme_role(ROLE_DIM), false, true);
        }
    }
    le_draw(&p->le, iy, ix, iw, theme_role(ROLE_SELECT));
    curs_set(1);
}

bool tui_expand_home(const char *path, char *out, size_t n)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
        return (size_t)snprintf(out, n, "%s%s", home, path + 1) < n;
    return (size_t)snprintf(out, n, "%s", path) < n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tab in a path prompt (the cursor at the end of the line). */
static void complete_path(prompt *p)
{
    lineedit *le = &p->le;
    le->fresh = false;
    le->cur = strlen(le->buf);
    const char *typed = le->buf;
    const char *slash = strrchr(typed, '/');
    size_t dl = slash ? (size_t)(slash - typed) + 1 : 0;   /* "dir/" as typed */
    char dir_typed[VIEW_PIPE_MAX], dir[VIEW_PIPE_MAX + 256];
    snprintf(dir_typed, sizeof dir_typed, "%.*s", (int)dl, typed);
    if (!tui_expand_home(dl ? dir_typed : ".", dir, sizeof dir))
        return;
    if (typed[0] == '~' && !slash) {   /* "~" alone: the home directory */
        if (!typed[1] && strlen(le->buf) + 1 < sizeof le->buf)
            strcat(le->buf, "/"), le->cur = strlen(le->buf);
        return;
    }
    const char *base = typed + dl;
    size_t bl = strlen(base);
    DIR *d = opendir(dir[0] ? dir : "/");
    if (!d) {
        snprintf(p->error, sizeof p->error, "%s: no such directory", dir);
        p->note = false;
        return;
    }
    char **m = NULL;
    size_t nm = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (strncmp(e->d_name, base, bl) || (e->d_name[0] == '.' && base[0] != '.'))
            continue;
        if (nm == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nv = realloc(m, nc * sizeof *nv);
            if (!nv)
                break;
            m = nv;
            cap = nc;
        }
        char full[VIEW_PIPE_MAX * 2 + 256];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        struct stat st;
        bool isdir = !stat(full, &st) && S_ISDIR(st.st_mode);
        size_t l = strlen(e->d_name);
        char *s = malloc(l + 2);
        if (!s)
            break;
        memcpy(s, e->d_name, l);
        s[l] = isdir ? '/' : '\0';
        s[l + 1] = '\0';
        m[nm++] = s;
    }
    closedir(d);
    if (!nm) {
        snprintf(p->error, sizeof p->error, "no file starts with '%s' in %s", base,
                 dl ? dir_typed : "this directory");
        p->note = true;
        free(m);
        return;
    }
    qsort(m, nm, sizeof *m, cmp_str);
    /* what every match shares */
    size_t common = strlen(m[0]);
    for (size_t i = 1; i < nm; i++) {
        size_t k = 0;
        while (k < common && m[i][k] == m[0][k])
            k++;
        common = k;
    }
    if (common > bl && dl + common < sizeof le->buf) {
        memcpy(le->buf + dl, m[0], common);
        le->buf[dl + common] = '\0';
        le->cur = strlen(le->buf);
    }
    p->error[0] = '\0';
    if (nm > 1) {
        size_t o = 0;
        for (size_t i = 0; i < nm && o + 8 < sizeof p->error; i++)
            o += (size_t)snprintf(p->error + o, sizeof p->error - o, "%s%s", i ? "  " : "", m[i]);
        p->note = true;
    }
    for (size_t i = 0; i < nm; i++)
        free(m[i]);
    free(m);
}

static unsigned prompt_key(tui *t, screen *sc, int key)
{
    prompt *p = (prompt *)sc;
    if (key == '\n' || key == '\r' || key == TUI_KEYCODE(KEY_ENTER)) {
        as_error e = {0};
        char text[VIEW_PIPE_MAX];
        snprintf(text, sizeof text, "%s", p->le.buf);
        tui_enter_fn enter = p->enter;
        void *ud = p->ud;
        /* the callback may push another screen: leave first, come back on error */
        p->error[0] = '\0';
        screen *self = t->top;
        t->top = self->below;
        unsigned bits = enter(t, text, ud, &e);
        if (e.code) {
            self->below = t->top;
            t->top = self;
            snprintf(p->error, sizeof p->error, "%s", e.msg);
            p->note = false;
            return TUI_REDRAW | bits;
        }
        self->below = NULL;
        self->free(self);
        curs_set(0);
        return TUI_REDRAW | bits;
    }
    if (key == TUI_ESC || key == TUI_CTRL('g')) {
        curs_set(0);
        tui_pop(t);
        return TUI_REDRAW;
    }
    if (key == '	' && p->tab) {
        p->tab(t, p->title, sizeof p->title, p->ud);
        return TUI_REDRAW;
    }
    if (p->paths && (key == '	' || key == TUI_KEYCODE(KEY_BTAB))) {
        complete_path(p);
        return TUI_REDRAW;
    }
    if (le_key(&p->le, key))
        p->error[0] = '\0';
    return TUI_REDRAW;
}

static void prompt_free(screen *sc)
{
    free(sc);
}

screen *prompt_new(const char *title, const char *init, bool replace, tui_enter_fn enter,
                   void *ud)
{
    prompt *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->s = (screen){prompt_draw, prompt_key, prompt_free, NULL, false};
    snprintf(p->title, sizeof p->title, "%s", title);
    le_set(&p->le, init);
    p->le.fresh = replace;
    p->enter = enter;
    p->ud = ud;
    return &p->s;
}

void prompt_set_tab(screen *s, tui_prompt_tab_fn fn)
{
    ((prompt *)s)->tab = fn;
}

void prompt_complete_paths(screen *sc)
{
    if (sc)
        ((prompt *)sc)->paths = true;
}

/* -------------------------------------------------------------- confirm */

typedef struct confirm {
    screen s;
    char question[1024];
    tui_pick_fn yes;
    void *ud;
    void (*ud_free)(void *);
} confirm;

static void confirm_draw(tui *t, screen *sc)
{
    (void)t;
    confirm *c = (confirm *)sc;
    int y, x, h, w, iy, ix, ih, iw;
    /* the question wrapped to the dialog, never cut */
    int H, W;
    getmaxyx(stdscr, H, W);
    (void)H;
    int want = imin(tui_width(c->question) + 6, W - (W > 40 ? 4 : 0));
    size_t brk[16];
    int nl = wrap_lines(c->question, imax(want - 4, 8), brk, 16);
    dialog_rect(3 + nl, want, &y, &x, &h, &w);
    tui_box(y, x, h, w, "confirm", &iy, &ix, &ih, &iw);
    for (int k = 0; k < nl && k < ih - 1; k++) {
        size_t a = brk[k], b = k + 1 < nl ? brk[k + 1] : strlen(c->question);
        char part[sizeof c->question];
        snprintf(part, sizeof part, "%.*s", (int)(b - a), c->question + a);
        tui_put(iy + k, ix, part, iw, theme_role(ROLE_NORMAL), false, true);
    }
    if (ih > 1)
        tui_put(iy + imin(nl, ih - 1), ix, "y yes, any other key no", iw, theme_role(ROLE_DIM),
                false, true);
}

static unsigned confirm_key(tui *t, screen *sc, int key)
{
    confirm *c = (confirm *)sc;
    tui_pick_fn yes = c->yes;
    void *ud = c->ud;
    void (*ud_free)(void *) = c->ud_free;
    c->ud_free = NULL;
    tui_pop(t);
    unsigned bits = TUI_REDRAW;
    if (key == 'y' || key == 'Y')
        bits |= yes(t, 1, ud);
    else
        tui_msg(t, false, "cancelled");
    if (ud_free)
        ud_free(ud);
    return bits;
}

static void confirm_free(screen *sc)
{
    confirm *c = (confirm *)sc;
    if (c->ud_free)
        c->ud_free(c->ud);
    free(c);
}

screen *confirm_new(const char *question, tui_pick_fn yes, void *ud, void (*ud_free)(void *))
{
    confirm *c = calloc(1, sizeof *c);
    if (!c) {
        if (ud_free)
            ud_free(ud);
        return NULL;
    }
    c->s = (screen){confirm_draw, confirm_key, confirm_free, NULL, false};
    tui_safe(question, c->question, sizeof c->question);
    c->yes = yes;
    c->ud = ud;
    c->ud_free = ud_free;
    return &c->s;
}

void tui_lines_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
