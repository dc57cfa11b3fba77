/* editor.c - the pipeline editor: a line with completion (Tab, Shift-Tab),
 * history (Up/Down), a list of steps to insert (Ctrl-N/Ctrl-P, Ctrl-O), and
 * errors shown in place.  Enter applies; the editor closes once the
 * pipeline runs. */
#include <stdlib.h>
#include <string.h>

#include "pipecomplete.h"
#include "panels.h"

typedef struct editor {
    screen s;
    lineedit le;
    char error[AS_ERROR_MAX];
    char note[AS_ERROR_MAX];
    bool mark;                     /* highlight mark_pos in the line */
    as_pipe_errpos mark_pos;
    long hist_i;                   /* -1: the line being typed */
    char saved[VIEW_PIPE_MAX];
    size_t sel, top;               /* step list */
    bool menu;                     /* cycling through completions */
    pcomp pc;
    int menu_i;
    char base[VIEW_PIPE_MAX];
    char seqnum[PCOMP_MAX][16];    /* candidates for pair's with= */
    char seqhelp[PCOMP_MAX][160];
} editor;


/* The steps of the list: every word that may start a step. */
static size_t step_count(void)
{
    size_t n = 0;
    for (const char *const *p = pipe_step_names(); *p; p++)
        n++;
    return n;
}

static const char *step_name(size_t i)
{
    return pipe_step_names()[i];
}

static const char *step_help(size_t i)
{
    const char *h = pipe_help(step_name(i));
    return h ? h : "";
}

static void check_live(editor *ed)
{
    as_error e = {0};
    ed->mark = false;
    if (view_agg_check(ed->le.buf, &ed->mark_pos, &e)) {
        snprintf(ed->note, sizeof ed->note, "%s", e.msg);
        ed->mark = true;
    } else {
        ed->note[0] = '\0';
    }
}

/* Redraws bytes [a, b) of the line (as le_draw showed it at (y, x) in w
 * columns) in style st: where the pipeline goes wrong. */
static void draw_mark(const lineedit *le, int y, int x, int w, size_t a, size_t b, tui_style st)
{
    size_t len = strlen(le->buf);
    if (a > len)
        a = len;
    if (b > len)
        b = len;
    if (b <= a) {
        /* an empty range (e.g. a missing step): mark the place itself */
        if (a < len)
            b = a + 1;
        else {
            int cx;
            char head[VIEW_PIPE_MAX], safe[VIEW_PIPE_MAX * 4];
            if (a < le->scroll)
                return;
            snprintf(head, sizeof head, "%.*s", (int)(a - le->scroll), le->buf + le->scroll);
            tui_safe(head, safe, sizeof safe);
            cx = tui_width(safe);
            if (cx < w)
                tui_put(y, x + cx, tui_utf8() ? "\u2038" : "^", 1, st, false, false);
            return;
        }
    }
    if (b <= le->scroll)
        return;
    if (a < le->scroll)
        a = le->scroll;
    char head[VIEW_PIPE_MAX], part[VIEW_PIPE_MAX], safe[VIEW_PIPE_MAX * 4];
    snprintf(head, sizeof head, "%.*s", (int)(a - le->scroll), le->buf + le->scroll);
    snprintf(part, sizeof part, "%.*s", (int)(b - a), le->buf + a);
    tui_safe(head, safe, sizeof safe);
    int cx = tui_width(safe);
    if (cx >= w)
        return;
    tui_safe(part, safe, sizeof safe);
    tui_put(y, x + cx, safe, w - cx, st, false, false);
}

/* Writes safe text over at most maxl lines of w columns from (y, x),
 * breaking at spaces; the last line ends in an ellipsis when cut.  With
 * draw false only counts.  Returns the lines used. */
static int put_wrapped(int y, int x, const char *s, int w, tui_style st, int maxl, bool draw)
{
    int n = 0;
    while (*s && n < maxl && w > 0) {
        size_t k = tui_fit(s, w, NULL);
        if (s[k] && n + 1 < maxl) {
            size_t b = k;
            while (b > 0 && s[b] != ' ')
                b--;
            if (b > 0)
                k = b;
        }
        if (draw) {
            char line[2048];
            bool last = n + 1 == maxl;
            snprintf(line, sizeof line, "%.*s", (int)(last ? strlen(s) : k), s);
            tui_put(y + n, x, line, w, st, false, true);
        }
        n++;
        s += k;
        while (*s == ' ')
            s++;
    }
    return n ? n : 1;
}

static void editor_draw(tui *t, screen *sc)
{
    editor *ed = (editor *)sc;
    int H, W;
    getmaxyx(stdscr, H, W);
    size_t nsteps = step_count();
    size_t nlist = ed->menu ? ed->pc.ncand : nsteps;
    int w = W > 24 ? W - 4 : W;
    /* the line under the input: the error, what will not run, or the
     * pipeline in effect; errors take up to three lines */
    char s[2048], safe[AS_ERROR_MAX * 2];
    tui_style mst = theme_role(ROLE_DIM);
    if (ed->error[0]) {
        tui_safe(ed->error, safe, sizeof safe);
        mst = theme_role(ROLE_ERROR);
    } else if (ed->note[0]) {
        tui_safe(ed->note, s, sizeof s);
        snprintf(safe, sizeof safe, "will not run: %s", s);
    } else {
        tui_safe(t->v.ch.pipeline, s, sizeof s);
        snprintf(safe, sizeof safe, "now: %s", s);
    }
    int mlines = put_wrapped(0, 0, safe, w - 4, mst, ed->error[0] || ed->note[0] ? 3 : 1, false);
    int h = imin(H - (H > 12 ? 2 : 0), 5 + mlines + (int)nlist);
    if (h < 3)
        h = imin(H, 3);
    int y = H > 12 ? 1 : 0, x = (W - w) / 2;
    int iy, ix, ih, iw;
    tui_box(y, x, h, w, "pipeline (Enter apply, Esc close)", &iy, &ix, &ih, &iw);
    int row = iy + 1;
    if (ih >= 2) {
        /* small terminals: the input line and one message line first */
        mlines = imin(mlines, ih - 3 > 1 ? ih - 3 : 1);
        row += put_wrapped(row, ix, safe, iw, mst, mlines, true);
    }
    if (ih >= 2 + mlines) {
        tui_put(row++, ix,
                "Tab complete  Up/Down history  ^N/^P pick a step  ^O insert it",
                iw, theme_role(ROLE_DIM), false, true);
    }
    if (ih >= 4 + mlines) {
        tui_put(row++, ix, ed->menu ? "completions:" : "steps:", iw, theme_role(ROLE_TITLE),
                false, false);
        int avail = iy + ih - row;
        size_t sel = ed->menu ? (ed->menu_i < 0 ? 0 : (size_t)ed->menu_i) : ed->sel;
        if (sel < ed->top)
            ed->top = sel;
        else if (avail > 0 && sel >= ed->top + (size_t)avail)
            ed->top = sel - (size_t)avail + 1;
        for (int i = 0; i < avail && ed->top + (size_t)i < nlist; i++) {
            size_t k = ed->top + (size_t)i;
            const char *name = ed->menu ? ed->pc.cand[k] : step_name(k);
            const char *help = ed->menu ? ed->pc.help[k] : step_help(k);
            bool on = ed->menu ? (int)k == ed->menu_i : k == ed->sel;
            tui_style st = theme_role(on ? ROLE_SELECT : ROLE_NORMAL);
            char hs[512];
            tui_safe(help, hs, sizeof hs);
            snprintf(s, sizeof s, "%-12s %s", name, hs);
            tui_put(row + i, ix, s, iw, st, true, true);
        }
    }
    tui_put(iy, ix, "> ", iw, theme_role(ROLE_TITLE), false, false);
    le_draw(&ed->le, iy, ix + 2, iw - 2, theme_role(ROLE_SELECT));
    if (ed->mark && (ed->error[0] || ed->note[0])) {
        int cy, cx;
        getyx(stdscr, cy, cx);
        draw_mark(&ed->le, iy, ix + 2, iw - 2, ed->mark_pos.offset,
                  ed->mark_pos.offset + ed->mark_pos.len, theme_role(ROLE_ERROR));
        move(cy, cx);
    }
    curs_set(1);
}

/* Completions; pair's with= offers the other sequences. */
static void complete(tui *t, editor *ed, const char *line, size_t cur, pcomp *pc)
{
    pcomp_run(line, cur, pc);
    if (pc->kind != PCOMP_VALUE || strcmp(pc->key, "with"))
        return;
    const char *typed = line + pc->start;
    size_t tl = cur - pc->start;
    pc->ncand = 0;
    /* N counts within the file of the shown sequence (0-based, as inseq) */
    size_t first = 0, count = 0;
    view_agg_file(t->v.agg, t->v.seq, &first, &count);
    for (size_t j = 0; j < count && pc->ncand < PCOMP_MAX; j++) {
        size_t i = first + j;
        if (i == t->v.seq)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%zu", j);
        if (strncmp(num, typed, tl))
            continue;
        size_t k = pc->ncand++;
        snprintf(ed->seqnum[k], sizeof ed->seqnum[k], "%s", num);
        char in[1024], gen[1024];
        tui_seq_texts(t, i, in, sizeof in, gen, sizeof gen);
        snprintf(ed->seqhelp[k], sizeof ed->seqhelp[k], "seq %zu: %s", i, gen);
        pc->cand[k] = ed->seqnum[k];
        pc->help[k] = ed->seqhelp[k];
    }
    pcomp_common(pc);
}

static void tab(tui *t, editor *ed, int dir)
{
    if (ed->menu && ed->pc.ncand) {
        int n = (int)ed->pc.ncand;
        ed->menu_i = ed->menu_i < 0 ? (dir > 0 ? 0 : n - 1) : ((ed->menu_i + dir) % n + n) % n;
        snprintf(ed->le.buf, sizeof ed->le.buf, "%s", ed->base);
        ed->le.cur = pcomp_apply(&ed->pc, ed->menu_i, ed->le.buf, sizeof ed->le.buf);
        return;
    }
    pcomp pc;
    complete(t, ed, ed->le.buf, ed->le.cur, &pc);
    if (!pc.ncand) {
        snprintf(ed->note, sizeof ed->note, "nothing to complete here");
        return;
    }
    size_t before = pc.end - pc.start;
    ed->le.cur = pcomp_apply(&pc, -1, ed->le.buf, sizeof ed->le.buf);
    if (pc.ncand == 1 || pc.common > before)
        return;
    /* ambiguous and nothing more to add: cycle through the candidates */
    snprintf(ed->base, sizeof ed->base, "%s", ed->le.buf);
    complete(t, ed, ed->base, ed->le.cur, &ed->pc);
    ed->menu = true;
    ed->menu_i = -1;
    ed->top = 0;
}

/* Inserts a step from the list (with the key it cannot do without);
 * returns true when the pair's other sequence should be picked next. */
static bool insert_step(editor *ed, const char *name)
{
    char *b = ed->le.buf;
    size_t len = strlen(b);
    while (len && b[len - 1] == ' ')
        b[--len] = '\0';
    bool fresh = !len || b[len - 1] == '|' || !strcmp(b, "none") || !strcmp(b, "default");
    if (!strcmp(b, "none") || !strcmp(b, "default"))
        b[len = 0] = '\0';
    const char *key = !strcmp(name, "pair") ? " with=" : !strcmp(name, "split") ? " split_pattern="
                                                                                 : "";
    snprintf(b + len, sizeof ed->le.buf - len, "%s%s%s", fresh ? (len ? " " : "") : " | ", name,
             key);
    ed->le.cur = strlen(b);
    return !strcmp(name, "pair");
}

static unsigned apply(tui *t, editor *ed)
{
    as_error e = {0};
    char text[VIEW_PIPE_MAX];
    snprintf(text, sizeof text, "%s", ed->le.buf);
    /* trim */
    char *p = text;
    while (*p == ' ')
        p++;
    size_t l = strlen(p);
    while (l && p[l - 1] == ' ')
        p[--l] = '\0';
    if (!*p)
        p = "none";
    unsigned ch = view_set_pipeline(&t->v, p, &e);
    if (e.code) {
        snprintf(ed->error, sizeof ed->error, "%s", e.msg);
        ed->mark = view_agg_error_pos(ed->le.buf, e.msg, &ed->mark_pos);
        return TUI_REDRAW;
    }
    tui_hist_add(t, p);
    tui_msg(t, false, ch ? "pipeline: %s" : "pipeline unchanged: %s", p);
    curs_set(0);
    tui_pop(t);
    return tui_view_bits(ch) | TUI_REDRAW;
}

static unsigned editor_key(tui *t, screen *sc, int key)
{
    editor *ed = (editor *)sc;
    size_t nsteps = step_count();
    if (key == '\t' || key == TUI_KEYCODE(KEY_BTAB)) {
        ed->error[0] = '\0';
        tab(t, ed, key == '\t' ? 1 : -1);
        return TUI_REDRAW;
    }
    bool was_menu = ed->menu;
    ed->menu = false;
    switch (key) {
    case '\n':
    case '\r':
    case TUI_KEYCODE(KEY_ENTER):
        return apply(t, ed);
    case TUI_ESC:
    case TUI_CTRL('g'):
        if (was_menu)
            return TUI_REDRAW;
        curs_set(0);
        tui_pop(t);
        return TUI_REDRAW;
    case TUI_KEYCODE(KEY_UP):
        tui_hist_load(t);
        if (!t->nhist)
            return TUI_REDRAW;
        if (ed->hist_i < 0) {
            snprintf(ed->saved, sizeof ed->saved, "%s", ed->le.buf);
            ed->hist_i = (long)t->nhist - 1;
        } else if (ed->hist_i > 0) {
            ed->hist_i--;
        }
        le_set(&ed->le, t->hist[ed->hist_i]);
        break;
    case TUI_KEYCODE(KEY_DOWN):
        if (ed->hist_i < 0)
            return TUI_REDRAW;
        if (++ed->hist_i >= (long)t->nhist) {
            ed->hist_i = -1;
            le_set(&ed->le, ed->saved);
        } else {
            le_set(&ed->le, t->hist[ed->hist_i]);
        }
        break;
    case TUI_CTRL('n'):
    case TUI_KEYCODE(KEY_NPAGE):
        if (ed->sel + 1 < nsteps)
            ed->sel++;
        return TUI_REDRAW;
    case TUI_CTRL('p'):
    case TUI_KEYCODE(KEY_PPAGE):
        if (ed->sel)
            ed->sel--;
        return TUI_REDRAW;
    case TUI_CTRL('o'):
        if (insert_step(ed, step_name(ed->sel))) {
            ed->error[0] = '\0';
            check_live(ed);
            tab(t, ed, 1);
            return TUI_REDRAW;
        }
        break;
    default:
        if (!le_key(&ed->le, key))
            return TUI_REDRAW;
        break;
    }
    ed->error[0] = '\0';
    check_live(ed);
    return TUI_REDRAW;
}

static void editor_free(screen *sc)
{
    free(sc);
}

screen *editor_new(tui *t)
{
    editor *ed = calloc(1, sizeof *ed);
    if (!ed)
        return NULL;
    ed->s = (screen){editor_draw, editor_key, editor_free, NULL, false};
    le_set(&ed->le, t->v.ch.pipeline);
    ed->hist_i = -1;
    ed->le.fresh = true;
    tui_hist_load(t);
    return &ed->s;
}
