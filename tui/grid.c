/* grid.c - the grid screen: header, frozen labels, heatmap cells, step
 * rows, top-k panel, status line.  Draws only what is visible: the cost of a
 * frame depends on the terminal size, never on the tensor size. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "text.h"
#include "grid.h"

/* What the last frame showed, so the next one can redraw less. */
typedef struct tui_drawn {
    bool valid;
    tui_layout lay;
    int pane;
    size_t row[2], col, top[2], left;
    bool panes[2];             /* which panes were shown */
} tui_drawn;

/* What grid.c keeps to itself (struct tui's frame). */
struct tui_frame {
    bool lab_built, lab_raw;   /* labels made for view cur_gen lab_gen, raw or not */
    unsigned long lab_gen;
    tui_drawn drawn;
};

int tui_grid_init(tui *t)
{
    t->frame = calloc(1, sizeof *t->frame);
    return t->frame ? 0 : -1;
}

void tui_grid_free(tui *t)
{
    tui_labels_free(t);
    free(t->frame);
    t->frame = NULL;
}

static const int cw_levels[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16};
#define CW_LEVELS ((int)(sizeof cw_levels / sizeof cw_levels[0]))

int tui_cw_width(int level)
{
    return cw_levels[level < 0 ? 0 : level >= CW_LEVELS ? CW_LEVELS - 1 : level];
}

int tui_cw_level_for(int width)
{
    for (int i = 0; i < CW_LEVELS; i++)
        if (cw_levels[i] >= width)
            return i;
    return CW_LEVELS - 1;
}


/* ---------------------------------------------------------------- labels */

static void labels_free_one(tui_labels *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->text[i]);
    free(l->text);
    free(l->width);
    memset(l, 0, sizeof *l);
}

void tui_labels_free(tui *t)
{
    labels_free_one(&t->lab[0]);
    labels_free_one(&t->lab[1]);
}

static void labels_make(tui_labels *l, const as_tokens *tok, tokens_mode mode)
{
    l->n = tok ? tok->n : 0;
    l->text = calloc(l->n ? l->n : 1, sizeof *l->text);
    l->width = calloc(l->n ? l->n : 1, sizeof *l->width);
    if (!l->text || !l->width) {
        free(l->text);
        free(l->width);
        memset(l, 0, sizeof *l);
        return;
    }
    char buf[512];
    for (size_t i = 0; i < l->n; i++) {
        l->width[i] = tui_label(tok->v[i].text, mode, buf, sizeof buf);
        l->text[i] = strdup(buf);
        if (!l->text[i]) {
            l->text[i] = NULL;
            l->width[i] = 0;
        }
        if (l->width[i] > l->maxw)
            l->maxw = l->width[i];
    }
}

void tui_labels_build(tui *t)
{
    const as_seq *s = t->view_ok ? view_seq(&t->v) : NULL;
    /* the same tokens as last time: nothing to do (slider steps, moves) */
    if (s && t->frame->lab_built && t->frame->lab_gen == t->v.cur_gen && t->frame->lab_raw == t->raw_tokens)
        return;
    tui_labels_free(t);
    t->frame->lab_built = s != NULL;
    t->frame->lab_gen = t->v.cur_gen;
    t->frame->lab_raw = t->raw_tokens;
    if (!s)
        return;
    tokens_mode m = tui_token_mode(t, t->v.seq);
    labels_make(&t->lab[0], &s->source, m);
    labels_make(&t->lab[1], &s->target, m);
}

static const char *lab_at(const tui_labels *l, size_t i)
{
    return i < l->n && l->text[i] ? l->text[i] : "";
}

const char *tui_row_label(const tui *t, int pane, size_t row)
{
    return lab_at(&t->lab[pane], view_row_token(&t->v, pane, row));
}

const char *tui_col_label(const tui *t, int pane, size_t col)
{
    const as_seq *s = view_seq(&t->v);
    size_t i = (size_t)(s ? s->attr_pos_start : 0) + view_col_gen(&t->v, pane, col);
    return lab_at(&t->lab[VIEW_TGT], i);
}

/* A step score's name (from the file, so escaped) into buf. */
static const char *step_label(const view_state *v, size_t k, char *buf, size_t n)
{
    tui_safe(view_step_name(v, k), buf, n);
    return buf;
}

/* ---------------------------------------------------------------- layout */

void tui_layout_compute(tui *t)
{
    tui_layout *L = &t->lay;
    view_state *v = &t->v;
    memset(L, 0, sizeof *L);
    getmaxyx(stdscr, L->H, L->W);
    L->sep_y = -1;
    L->tiny = L->W < 20 || L->H < 6;
    L->hdr = L->H >= 12 ? 2 : 1;
    L->st = L->H >= 12 ? 2 : 1;
    int area = L->H - L->hdr - L->st;
    L->collab = area >= 12 ? 2 : 1;
    L->collab_y = L->hdr;
    if (t->cw_auto)   /* numbers of 6 columns; colors alone for sub-columns */
        t->cw_level = v->grid[v->pane].nsub > 1 ? 2 : 5;
    if (t->cw_level < 0)
        t->cw_level = 0;
    if (t->cw_level >= CW_LEVELS)
        t->cw_level = CW_LEVELS - 1;
    L->cw = cw_levels[t->cw_level];
    L->panel_w = t->topk && L->W >= 50 ? imin(36, L->W / 3) : 0;
    if (!t->view_ok || !view_seq(v) || L->tiny) {
        L->tiny = true;
        view_set_viewport(v, 1, 1, 1);
        return;
    }
    /* the frozen label column: index, token text, or a step name */
    int lw = 0;
    for (int p = 0; p < 2; p++) {
        if (!view_shows(v, p))
            continue;
        const view_grid *g = &v->grid[p];
        int w = g->nrows ? text_digits(g->row0 + g->nrows - 1) + 1 + t->lab[p].maxw : 0;
        lw = imax(lw, w);
        char sb[256];
        for (size_t k = 0; k < g->nsteps; k++)
            lw = imax(lw, tui_width(step_label(v, k, sb, sizeof sb)));
    }
    int avail = L->W - L->panel_w;
    L->label_w = imax(imin(lw + 1, imax(avail / 3, 8)), imin(8, avail / 2));
    if (t->cw_auto) {
        /* a wide terminal: wider cells while every column still fits (up to
         * 16 columns a cell, 6 for sub-columns), so token texts show whole */
        size_t ncols = 0;
        for (int p = 0; p < 2; p++)
            if (view_shows(v, p) && v->grid[p].ncols > ncols)
                ncols = v->grid[p].ncols;
        int top = v->grid[v->pane].nsub > 1 ? 5 : CW_LEVELS - 1;
        while (t->cw_level < top && ncols &&
               ncols * (size_t)cw_levels[t->cw_level + 1] <= (size_t)imax(avail - L->label_w, 0))
            t->cw_level++;
        L->cw = cw_levels[t->cw_level];
    }
    L->numw = t->cw_auto ? imin(L->cw, 6) - 1 : L->cw - 1;
    L->vis_cols = imax(1, (avail - L->label_w) / L->cw);
    int rows = area - L->collab;
    int y = L->collab_y + L->collab;
    if (view_shows(v, VIEW_SRC) && view_shows(v, VIEW_TGT) && rows >= 3) {
        int h = rows - 1;
        int ns = (int)(v->grid[VIEW_SRC].nrows + v->grid[VIEW_SRC].nsteps);
        int nt = (int)(v->grid[VIEW_TGT].nrows + v->grid[VIEW_TGT].nsteps);
        int hs = h / 2, ht = h - hs;
        if (ns < hs) {
            hs = imax(ns, 1);
            ht = h - hs;
        } else if (nt < ht) {
            ht = imax(nt, 1);
            hs = h - ht;
        }
        L->pane_y[VIEW_SRC] = y;
        L->pane_h[VIEW_SRC] = hs;
        L->sep_y = y + hs;
        L->pane_y[VIEW_TGT] = y + hs + 1;
        L->pane_h[VIEW_TGT] = ht;
    } else {
        int p = v->pane;
        L->pane_y[p] = y;
        L->pane_h[p] = imax(rows, 1);
    }
    view_set_viewport(v, (size_t)imax(L->pane_h[0], 1), (size_t)imax(L->pane_h[1], 1),
                      (size_t)L->vis_cols);
}

/* ---------------------------------------------------------------- header */

typedef struct line {
    int y, x, end;
} line;

static void seg(line *l, const char *s, tui_style st)
{
    if (l->x >= l->end)
        return;
    l->x += tui_put(l->y, l->x, s, l->end - l->x, st, false, true);
}

static void sep(line *l, tui_style st)
{
    seg(l, tui_utf8() ? " \u2502 " : " | ", st);
}

static const char *info_str(const tui *t, const char *key)
{
    json_t *j = t->view_ok ? json_object_get(tui_info(t, t->v.seq), key) : NULL;
    return json_is_string(j) && json_string_value(j)[0] ? json_string_value(j) : NULL;
}

/* The colorbar's cells on the screen (drawn by draw_legend, again by
 * draw_bar when the cursor moves: it marks the cursor's value). */
static struct {
    bool on;
    int y, x, n;
} bar;

/* The bucket of a cell value under the view's range. */
static int cell_bucket(const view_state *v, double val)
{
    return isnan(val) ? -1 : cmap_bucket_in(val, v->vmin, v->vmax, v->one_sided);
}

/* Position 0..n-1 of value x on the bar (clamped). */
static int bar_pos(const view_state *v, double x, int n)
{
    double f = (x - v->vmin) / (v->vmax - v->vmin);
    if (!(f >= 0))
        return 0;
    int k = (int)(f * n);
    return k >= n ? n - 1 : k;
}

/* The colorbar: n cells from vmin to vmax, each in the style of its middle
 * value, a tick where zero is, and a mark at the cursor's value (cells, not
 * step scores). */
static void draw_bar(tui *t)
{
    const view_state *v = &t->v;
    if (!bar.on)
        return;
    int n = bar.n;
    bool utf = tui_utf8();
    bool has_zero = v->vmin < 0 && v->vmax > 0;
    int zero = has_zero ? bar_pos(v, 0, n) : -1;
    int curk = -1;
    const view_grid *g = &v->grid[v->pane];
    double cv = view_cursor_value(v);
    if (t->view_ok && g->present && v->row[v->pane] < g->nrows && !isnan(cv) &&
        v->vmax > v->vmin)
        curk = bar_pos(v, cv, n);
    for (int i = 0; i < n; i++) {
        double x = v->vmin + (v->vmax - v->vmin) * (i + 0.5) / n;
        const tui_cell_style *cs = theme_cell(v->vmax > v->vmin ? cell_bucket(v, x) : -1);
        const char *gl = cs->glyph;
        tui_style fs = cs->fill;
        if (theme_mode() == TUI_MONO && !strcmp(gl, " "))
            gl = utf ? "\u00b7" : ".";
        if (i == curk) {
            gl = utf ? "\u25c6" : "*";   /* ◆ */
            fs = theme_role(ROLE_CURSOR);
        } else if (i == zero) {
            gl = utf ? "\u2503" : "|";   /* ┃ */
            fs = cs->text;
            fs.attr |= A_BOLD;
        }
        theme_set(stdscr, fs);
        mvaddstr(bar.y, bar.x + i, gl);
    }
    /* what is drawn next (and blanks curses inserts) must not inherit a
     * bar cell's style */
    theme_set(stdscr, theme_role(ROLE_NORMAL));
}

/* The colorbar at the right of line l, leaving `keep` columns on its left
 * (the pipeline's text): with less room the bar is shorter, then goes. */
static void draw_legend(tui *t, line *l, tui_style st, int keep)
{
    char a[32], b[32], how[96];
    tui_fmt_value(t->v.vmin, 7, a, sizeof a);
    tui_fmt_value(t->v.vmax, 7, b, sizeof b);
    view_range_label(&t->v, how, sizeof how);
    int room = l->end - l->x - 2 - keep;
    int fixed = (int)strlen(a) + (int)strlen(b) + (int)strlen(how) + 4;
    int n = room - fixed >= 24 ? 16 : room - fixed >= 16 ? 12 : 8;
    bar.on = false;
    if (room < fixed + n)
        return;
    int x = l->end - (fixed + n);
    line r = {l->y, x, l->end};
    char s[160];
    snprintf(s, sizeof s, "%s ", a);
    seg(&r, s, st);
    bar.on = true, bar.y = r.y, bar.x = r.x, bar.n = n;
    draw_bar(t);
    r.x += n;
    snprintf(s, sizeof s, " %s %s", b, how);
    seg(&r, s, st);
    l->end = x - 1;
}

static void draw_header(tui *t)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    tui_style h = theme_role(ROLE_HEADER), hd = theme_role(ROLE_HEADER_DIM);
    tui_style sl = theme_role(ROLE_SLIDER);
    char s[600], safe[600];
    bar.on = false;
    tui_fill(0, 0, L->W, h);
    line l = {0, 0, L->W};
    const as_seq *q = view_seq(v);
    if (L->hdr == 2) {
        seg(&l, " attrscope", h);
        sep(&l, hd);
        tui_safe(tui_file_name(t), safe, sizeof safe);
        seg(&l, safe, h);
        sep(&l, hd);
    } else {
        seg(&l, " ", h);
    }
    snprintf(s, sizeof s, "seq %zu of %zu%s", v->seq, t->view_ok ? view_nseqs(v) : 0,
             t->listing ? "+" : "");
    seg(&l, s, h);
    if (L->hdr == 2) {
        if (q) {
            sep(&l, hd);
            seg(&l, attr_class_short(q->cls), h);
        }
        const char *m = info_str(t, "attribution_method");
        if (m) {
            sep(&l, hd);
            tui_safe(m, safe, sizeof safe);
            seg(&l, safe, h);
        }
        m = info_str(t, "model_name");
        if (m) {
            sep(&l, hd);
            tui_safe(m, safe, sizeof safe);
            seg(&l, safe, hd);
        }
        tui_fill(1, 0, L->W, hd);
        l = (line){1, 0, L->W};
        seg(&l, " ", hd);
        int keep = (int)strlen("pipeline: ") + (int)strlen(v->ch.pipeline);
        draw_legend(t, &l, hd, keep < 30 ? keep : 30);
    } else {
        sep(&l, hd);
    }
    /* pipeline, weight, view mode, sliders, slices */
    tui_safe(v->ch.pipeline, safe, sizeof safe);
    snprintf(s, sizeof s, "%s%s", L->hdr == 2 ? "pipeline: " : "", safe);
    seg(&l, s, h);
    if (v->ch.weight[0]) {
        tui_safe(v->ch.weight, safe, sizeof safe);
        snprintf(s, sizeof s, " \u00d7 %s", safe);
        seg(&l, tui_utf8() ? s : s + 3, h);
    }
    if (v->sort_dir && q) {
        sep(&l, hd);
        const char *arrow = v->sort_dir < 0 ? (tui_utf8() ? "\u2193" : "desc")
                                            : (tui_utf8() ? "\u2191" : "asc");
        snprintf(s, sizeof s, "sorted %s by %zu %s", v->sort_pane == VIEW_SRC ? "src" : "tgt",
                 view_col_gen(v, v->sort_pane, v->sort_col), arrow);
        seg(&l, s, h);
    }
    if (L->hdr == 2 && q) {
        sep(&l, hd);
        static const char *const names[] = {"source", "target", "source+target"};
        seg(&l, names[v->layout], hd);
    }
    int nd = view_ndim(v);
    int sub = v->grid[v->pane].sub_dim;
    if (sub >= 0) {
        sep(&l, hd);
        snprintf(s, sizeof s, "cols\u00d7%s(%zu)", view_dim_name(v, sub), v->grid[v->pane].nsub);
        seg(&l, tui_utf8() ? s : "cols x dim", hd);
    }
    for (int d = 2; d < nd; d++) {
        if (!view_is_slider(v, d))
            continue;
        sep(&l, hd);
        const char *name = view_dim_name(v, d);
        char ini[8] = "";
        if (L->hdr == 1 || L->W < 100) {
            /* initials of the dim name */
            size_t k = 0;
            for (const char *p = name; *p && k < 4; p++)
                if (p == name || p[-1] == ' ')
                    ini[k++] = *p;
            ini[k] = '\0';
            name = ini;
        }
        snprintf(s, sizeof s, tui_utf8() ? "%s \u25c2 %zu/%zu \u25b8" : "%s < %zu/%zu >", name,
                 v->slider[d], view_dim_size(v, d));
        seg(&l, s, d == v->slider_dim ? sl : hd);
    }
    for (int d = 0; d < AS_MAX_DIMS; d++) {
        if (!v->ch.slice[d].on)
            continue;
        sep(&l, hd);
        snprintf(s, sizeof s, "%d=%zu:%zu", d, v->ch.slice[d].a, v->ch.slice[d].b);
        seg(&l, s, hd);
    }
}

/* --------------------------------------------------------------- columns */

static void draw_col_labels(tui *t)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    int p = v->pane;
    const view_grid *g = &v->grid[p];
    tui_style idx = theme_role(ROLE_INDEX), lab = theme_role(ROLE_LABEL);
    tui_style cur = theme_role(ROLE_LABEL_CUR), title = theme_role(ROLE_TITLE);
    int y0 = L->collab_y, cw = L->cw;
    for (int i = 0; i < L->collab; i++)
        tui_fill(y0 + i, 0, L->W - L->panel_w, theme_role(ROLE_NORMAL));
    /* corner: which pane, which dim */
    const char *corner = view_shows(v, VIEW_SRC) && view_shows(v, VIEW_TGT)
                             ? "source"
                             : (p == VIEW_SRC ? "source" : "target");
    tui_put(y0, 0, corner, L->label_w - 1, title, false, true);
    if (L->collab == 2 && g->sub_dim >= 0)
        tui_put(y0 + 1, 0, view_dim_name(v, g->sub_dim), L->label_w - 1, idx, false, true);
    size_t c0 = v->left, c1 = g->ncols < c0 + (size_t)L->vis_cols ? g->ncols
                                                                 : c0 + (size_t)L->vis_cols;
    char s[64];
    if (g->nsub <= 1) {
        for (size_t c = c0; c < c1; c++) {
            int x = L->label_w + (int)(c - c0) * cw;
            bool on = c == v->col;
            if (L->collab == 2) {
                snprintf(s, sizeof s, " %zu", view_col_gen(v, p, c));
                tui_put(y0, x, s, cw, on ? cur : idx, true, false);
            }
            const char *tx = tui_col_label(t, p, c);
            if (!t->raw_tokens && tx[0] == ' ' && tx[1])
                tx++;
            tui_fill(y0 + L->collab - 1, x, cw, on ? cur : lab);
            if (cw > 1)
                tui_put(y0 + L->collab - 1, x + 1, tx, cw - 1, on ? cur : lab, true, true);
            else
                tui_put(y0 + L->collab - 1, x, tx, cw, on ? cur : lab, true, false);
        }
        return;
    }
    /* groups of sub-columns: the token over its group, sub-indices below */
    size_t c = c0;
    while (c < c1) {
        size_t gen = view_col_gen(v, p, c);
        size_t end = c;
        while (end < c1 && view_col_gen(v, p, end) == gen)
            end++;
        int x = L->label_w + (int)(c - c0) * cw, w = (int)(end - c) * cw;
        bool on = view_col_gen(v, p, v->col) == gen;
        const char *tx = tui_col_label(t, p, c);
        if (!t->raw_tokens && tx[0] == ' ' && tx[1])
            tx++;
        char gl[600];
        snprintf(gl, sizeof gl, "%zu:%s", gen, tx);
        tui_fill(y0, x, w, on ? cur : lab);
        tui_put(y0, x + (w > 1), gl, w - (w > 1) - (w > 2), on ? cur : lab, false, true);
        if (L->collab == 2 || cw >= 3) {
            int ly = y0 + L->collab - 1;
            if (ly != y0)
                for (size_t k = c; k < end; k++) {
                    snprintf(s, sizeof s, "%*zu", cw, view_col_sub(v, p, k) % (cw >= 3 ? 100 : 10));
                    tui_put(ly, L->label_w + (int)(k - c0) * cw, s, cw,
                            k == v->col ? cur : idx, true, false);
                }
        }
        c = end;
    }
}

/* ----------------------------------------------------------------- panes */

/* One row of cells, built as a line of characters with their attributes
 * and written at once (no per-cell cursor moves or text conversion). */
/* The visible grid columns of pane p: [*c0, *c1). */
static void visible_cols(const tui *t, int p, size_t *c0, size_t *c1)
{
    const view_grid *g = &t->v.grid[p];
    *c0 = t->v.left;
    *c1 = g->ncols < *c0 + (size_t)t->lay.vis_cols ? g->ncols : *c0 + (size_t)t->lay.vis_cols;
}

static void draw_cells_range(tui *t, int p, size_t r, int y, bool step, size_t ca, size_t cb);

static void draw_cells(tui *t, int p, size_t r, int y, bool step)
{
    size_t c0, c1;
    visible_cols(t, p, &c0, &c1);
    draw_cells_range(t, p, r, y, step, c0, c1);
}

/* Cells [ca, cb) (visible columns) of row r. */
static void draw_cells_range(tui *t, int p, size_t r, int y, bool step, size_t ca, size_t cb)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    int cw = L->cw;
    bool wide = cw >= 5;
    tui_style cur = theme_role(ROLE_CURSOR), norm = theme_role(ROLE_NORMAL);
    /* the blanks of the styles that are not a bucket's */
    wchar_t sp[2] = {L' ', 0};
    cchar_t cur_blank, norm_blank, bold_blank;
    setcchar(&cur_blank, sp, cur.attr, cur.pair, NULL);
    setcchar(&norm_blank, sp, norm.attr, norm.pair, NULL);
    setcchar(&bold_blank, sp, norm.attr | A_BOLD, norm.pair, NULL);
    size_t cur_col = p == v->pane && r == v->row[p] ? v->col : (size_t)-1;
    bool mono = theme_mode() == TUI_MONO, utf = tui_utf8();
    static cchar_t row[4096];
    int n = 0, room = (int)(sizeof row / sizeof row[0]);
    char txt[64];
    for (size_t c = ca; c < cb && n + cw <= room; c++) {
        double val = view_cell(v, p, r, c);
        const cchar_t *blank;
        wchar_t glyph = L' ';
        if (step) {
            blank = !isnan(val) && fabs(val) >= 0.5 ? &bold_blank : &norm_blank;
        } else {
            const tui_cell_style *cs = theme_cell(cell_bucket(v, val));
            blank = wide ? &cs->ctext : &cs->cfill;
            if (!wide)
                glyph = cs->wglyph;
        }
        if (c == cur_col)
            blank = &cur_blank;
        cchar_t *out = &row[n];
        for (int i = 0; i < cw; i++)
            out[i] = *blank;
        if (wide && !isnan(val)) {
            tui_fmt_value(val, L->numw, txt, sizeof txt);
            int l = (int)strlen(txt), pad = cw - l;
            for (int i = 0; i < l; i++)
                out[pad + i].chars[0] = (wchar_t)(unsigned char)txt[i];
        } else if (glyph != L' ') {
            for (int i = 0; i < cw; i++)
                out[i].chars[0] = glyph;
        }
        if (c == cur_col && mono)   /* reverse alone is the strongest cells' look */
            out[0].chars[0] = utf ? L'\u25b8' : L'>';   /* ▸ */
        n += cw;
    }
    if (n)
        mvadd_wchnstr(y, L->label_w + (int)(ca - v->left) * cw, row, n);
}

/* Row r of pane p (visible) at its line: label and cells. */
static void draw_pane_row(tui *t, int p, size_t r)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    const view_grid *g = &v->grid[p];
    if (r < v->top[p] || r >= v->top[p] + (size_t)L->pane_h[p] || r >= g->nrows + g->nsteps)
        return;
    int y = L->pane_y[p] + (int)(r - v->top[p]);
    tui_style idx = theme_role(ROLE_INDEX), lab = theme_role(ROLE_LABEL);
    tui_style cur = theme_role(ROLE_LABEL_CUR), step = theme_role(ROLE_STEP);
    int iw = g->nrows ? text_digits(g->row0 + g->nrows - 1) : 0;
    bool on = p == v->pane && r == v->row[p];
    int lw = L->label_w - 1;
    if (r < g->nrows) {
        char s[32];
        snprintf(s, sizeof s, "%*zu ", iw, view_row_token(v, p, r));
        int x = tui_put(y, 0, s, lw, on ? cur : idx, false, false);
        x += tui_put(y, x, tui_row_label(t, p, r), lw - x, on ? cur : lab, true, true);
        tui_fill(y, x, L->label_w - x, theme_role(ROLE_NORMAL));
        draw_cells(t, p, r, y, false);
    } else {
        char sb[256];
        const char *name = step_label(v, r - g->nrows, sb, sizeof sb);
        int x = tui_put(y, 0, name, lw, on ? cur : step, true, true);
        tui_fill(y, x, L->label_w - x, theme_role(ROLE_NORMAL));
        draw_cells(t, p, r, y, true);
    }
}

static void draw_pane(tui *t, int p)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    if (!L->pane_h[p] || !view_shows(v, p))
        return;
    for (int i = 0; i < L->pane_h[p]; i++)
        draw_pane_row(t, p, v->top[p] + (size_t)i);
}

static void draw_separator(tui *t)
{
    const tui_layout *L = &t->lay;
    if (L->sep_y < 0)
        return;
    tui_hline(L->sep_y, 0, L->W - L->panel_w, theme_role(ROLE_BORDER));
    tui_put(L->sep_y, 1, " target ", L->W - 2, theme_role(ROLE_TITLE), false, false);
}

static void draw_topk(tui *t)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    if (!L->panel_w)
        return;
    int x0 = L->W - L->panel_w, y0 = L->hdr, h = L->H - L->hdr - L->st;
    tui_style b = theme_role(ROLE_BORDER), n = theme_role(ROLE_NORMAL);
    for (int i = 0; i < h; i++)
        tui_fill(y0 + i, x0, L->panel_w, n);
    tui_vline(y0, x0, h, b);
    int p = view_shows(v, VIEW_SRC) ? VIEW_SRC : VIEW_TGT;
    const view_grid *g = &v->grid[p];
    if (!g->present || !g->ncols)
        return;
    char s[600];
    snprintf(s, sizeof s, "top %s for %zu:%s", p == VIEW_SRC ? "source" : "target",
             view_col_gen(v, p, v->col), tui_col_label(t, p, v->col));
    int w = L->panel_w - 2;
    tui_put(y0, x0 + 2, s, w, theme_role(ROLE_TITLE), false, true);
    size_t k = h > 2 ? (size_t)(h - 2) : 0;
    if (k > 64)
        k = 64;
    size_t rows[64];
    double vals[64];
    size_t got = view_topk(v, p, v->col, k, rows, vals);
    for (size_t i = 0; i < got; i++) {
        char num[32];
        tui_fmt_value(vals[i], 7, num, sizeof num);
        snprintf(s, sizeof s, "%7s", num);
        int b2 = cell_bucket(v, vals[i]);
        int y = y0 + 2 + (int)i;
        tui_put(y, x0 + 2, s, 7, theme_cell(b2)->text, true, false);
        snprintf(s, sizeof s, " %zu %s", view_row_token(v, p, rows[i]),
                 tui_row_label(t, p, rows[i]));
        tui_put(y, x0 + 9, s, w - 7, n, false, true);
    }
    if (!got)
        tui_put(y0 + 2, x0 + 2, "(no values)", w, theme_role(ROLE_DIM), false, false);
}

/* ---------------------------------------------------------------- status */

static void draw_status(tui *t)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    tui_style st = theme_role(ROLE_STATUS), key = theme_role(ROLE_STATUS_KEY);
    int y_info = L->H - L->st, y_msg = L->H - 1;
    char s[2048], sb[256];
    /* a message, else how the reading of the files goes */
    const char *msg = t->msg[0] ? t->msg : t->bg_status;
    bool msg_err = t->msg[0] ? t->msg_err : t->bg_status_err;
    /* a message wider than the terminal takes both status lines: never cut */
    bool msg_on_info = msg[0] && (L->st == 1 || tui_width(msg) + 2 > L->W);
    if (!msg_on_info) {
        tui_fill(y_info, 0, L->W, st);
        line l = {y_info, 0, L->W};
        const as_seq *q = view_seq(v);
        int p = v->pane;
        const view_grid *g = &v->grid[p];
        if (q && g->present && g->ncols) {
            size_t r = v->row[p];
            double val = view_cursor_value(v);
            char num[64];
            size_t gen = view_col_gen(v, p, v->col);
            if (isnan(val) && p == VIEW_TGT && r < g->nrows &&
                view_row_token(v, p, r) >= (size_t)(q->attr_pos_start > 0 ? q->attr_pos_start : 0) + gen)
                /* the generated token comes before this one: it cannot attend to it */
                snprintf(num, sizeof num, "NaN (not attended: a future token)");
            else if (isnan(val))
                snprintf(num, sizeof num, "NaN (no value in the file)");
            else
                snprintf(num, sizeof num, "%.9g", val);
            if (r < g->nrows)
                snprintf(s, sizeof s, " %s %zu %s \u2190 %zu %s = %s",
                         p == VIEW_SRC ? "src" : "tgt", view_row_token(v, p, r),
                         tui_row_label(t, p, r), gen,
                         tui_col_label(t, p, v->col), num);
            else
                snprintf(s, sizeof s, " %s @ %zu %s = %s",
                         step_label(v, r - g->nrows, sb, sizeof sb), gen,
                         tui_col_label(t, p, v->col), num);
            if (!tui_utf8()) {
                char *a = strstr(s, "\u2190");
                if (a)
                    memcpy(a, "<- ", 3);
            }
            seg(&l, s, st);
            if (g->sub_dim >= 0) {
                snprintf(s, sizeof s, "  %s %zu", view_dim_name(v, g->sub_dim),
                         view_col_sub(v, p, v->col));
                seg(&l, s, st);
            }
            for (int d = 2; d < view_ndim(v); d++)
                if (view_is_slider(v, d)) {
                    snprintf(s, sizeof s, "  %s %zu/%zu", view_dim_name(v, d), v->slider[d],
                             view_dim_size(v, d));
                    seg(&l, s, st);
                }
            if (r < g->nrows)
                for (size_t k = 0; k < g->nsteps; k++) {
                    double x = view_cell(v, p, g->nrows + k, v->col);
                    snprintf(s, sizeof s, "  %s %.4g", step_label(v, k, sb, sizeof sb), x);
                    seg(&l, s, st);
                }
            /* where the window is, when the pane does not fit: after the
             * rest, if there is room */
            char pos[128];
            tui_position_text(t, pos, sizeof pos);
            int pw = (int)strlen(pos);
            if (pw && l.x + pw + 3 <= L->W)
                tui_put(y_info, L->W - pw - 1, pos, pw, st, false, false);
        } else if (!q) {
            seg(&l, " no view of this sequence", st);
        } else {
            seg(&l, " nothing to show in this pane", st);
        }
    }
    if (msg[0]) {
        int y = msg_on_info ? y_info : y_msg;
        tui_style ms = theme_role(msg_err ? ROLE_ERROR : ROLE_MESSAGE);
        char safe[sizeof t->bg_status * 2];
        tui_safe(msg, safe, sizeof safe);
        snprintf(s, sizeof s, " %s", msg == t->msg ? t->msg : safe);
        for (int yy = y; yy <= y_msg; yy++) {
            tui_fill(yy, 0, L->W, ms);
            if (yy == y_msg) {   /* the last line: the rest (cut only past two lines) */
                tui_put(yy, 0, s, L->W, ms, true, true);
                break;
            }
            /* the characters that fit this line */
            size_t cut = 0;
            int cols = 0;
            while (s[cut]) {
                size_t nx = cut + 1;
                while (s[nx] && ((unsigned char)s[nx] & 0xc0) == 0x80)
                    nx++;
                char ch[8];
                snprintf(ch, sizeof ch, "%.*s", (int)(nx - cut), s + cut);
                if (cols + tui_width(ch) > L->W)
                    break;
                cols += tui_width(ch);
                cut = nx;
            }
            char part[sizeof s];
            snprintf(part, sizeof part, "%.*s", (int)cut, s);
            tui_put(yy, 0, part, L->W, ms, true, false);
            /* the rest on the next line, indented by one space */
            size_t rest = strlen(s + cut);
            memmove(s + 1, s + cut, rest + 1);
            s[0] = ' ';
        }
        return;
    }
    if (L->st < 2)
        return;
    tui_fill(y_msg, 0, L->W, st);
    line l = {y_msg, 0, L->W};
    seg(&l, " ", st);
    /* the hints that fit, help and quit always among them (dropped from
     * the end of the others) */
    bool keep[ACT_COUNT];
    int total = 1;
    for (int a = 0; a < ACT_COUNT; a++) {
        keep[a] = tui_action_table[a].hint != NULL;
        if (keep[a])
            total += tui_width(tui_action_key(a)) + 3 + tui_width(tui_action_table[a].hint);
    }
    for (int a = ACT_COUNT - 1; a >= 0 && total - 2 >= L->W; a--) {
        if (!keep[a] || a == ACT_QUIT || a == ACT_HELP)
            continue;
        keep[a] = false;
        total -= tui_width(tui_action_key(a)) + 3 + tui_width(tui_action_table[a].hint);
    }
    for (int a = 0; a < ACT_COUNT; a++) {
        if (!keep[a])
            continue;
        seg(&l, tui_action_key(a), key);
        snprintf(s, sizeof s, ":%s  ", tui_action_table[a].hint);
        seg(&l, s, st);
    }
}

void tui_draw_main(tui *t)
{
    const tui_layout *L = &t->lay;
    erase();
    if (L->W < 8 || L->H < 3) {
        tui_put(0, 0, "too small", L->W, theme_role(ROLE_NORMAL), false, false);
        return;
    }
    draw_header(t);
    if (!t->view_ok || !view_seq(&t->v)) {
        char s[AS_ERROR_MAX + 64];
        snprintf(s, sizeof s, "Sequence %zu cannot be shown: %s", t->v.seq,
                 t->v.agg_error[0] ? t->v.agg_error : "no data");
        char safe[sizeof s];
        tui_safe(s, safe, sizeof safe);
        tui_put(L->hdr + 1, 1, safe, L->W - 2, theme_role(ROLE_ERROR), false, true);
    } else if (L->tiny) {
        tui_put(L->hdr, 0, "too small", L->W, theme_role(ROLE_DIM), false, true);
    } else {
        draw_col_labels(t);
        draw_pane(t, VIEW_SRC);
        draw_separator(t);
        draw_pane(t, VIEW_TGT);
        draw_topk(t);
    }
    draw_status(t);
}

/* ------------------------------------------------------- partial frames */

/* After the cells moved by d columns on the terminal and stdscr: the
 * columns that came into view on every row, the space after the grid,
 * and the rows of the old and new cursor (its highlight moved with the
 * cells). */
static void draw_new_columns(tui *t, long d)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    for (int p = 0; p < 2; p++) {
        if (!L->pane_h[p] || !view_shows(v, p))
            continue;
        const view_grid *g = &v->grid[p];
        size_t c0, c1;
        visible_cols(t, p, &c0, &c1);
        size_t ad = (size_t)(d < 0 ? -d : d);
        size_t ca = d > 0 ? (c1 > ad ? c1 - ad : c0) : c0;
        size_t cb = d > 0 ? c1 : (c0 + ad < c1 ? c0 + ad : c1);
        if (ca < c0)
            ca = c0;
        int xend = L->label_w + (int)(c1 - c0) * L->cw;
        size_t total = g->nrows + g->nsteps;
        for (int i = 0; i < L->pane_h[p] && v->top[p] + (size_t)i < total; i++) {
            size_t r = v->top[p] + (size_t)i;
            int y = L->pane_y[p] + i;
            draw_cells_range(t, p, r, y, r >= g->nrows, ca, cb);
            tui_fill(y, xend, L->W - xend, theme_role(ROLE_NORMAL));
        }
    }
}

void tui_draw_forget(tui *t)
{
    t->frame->drawn.valid = false;
}

static void remember(tui *t)
{
    tui_drawn *d = &t->frame->drawn;
    const view_state *v = &t->v;
    d->valid = t->view_ok && view_seq(v) && !t->lay.tiny;
    d->lay = t->lay;
    d->pane = v->pane;
    for (int p = 0; p < 2; p++) {
        d->row[p] = v->row[p];
        d->top[p] = v->top[p];
        d->panes[p] = view_shows(v, p);
    }
    d->col = v->col;
    d->left = v->left;
}

/* The last frame is still on screen with the same layout, panes and rows. */
static bool same_frame(const tui *t)
{
    const tui_drawn *d = &t->frame->drawn;
    const view_state *v = &t->v;
    if (!d->valid || t->top || !view_seq(v) || memcmp(&d->lay, &t->lay, sizeof d->lay))
        return false;
    for (int p = 0; p < 2; p++)
        if (d->panes[p] != view_shows(v, p))
            return false;
    return true;
}

/* The lines of the panes' rows (grid and step rows) on screen now. */
static int pane_lines(const tui *t, int *ys, int max)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    int n = 0;
    for (int p = 0; p < 2; p++) {
        if (!L->pane_h[p] || !view_shows(v, p))
            continue;
        size_t total = v->grid[p].nrows + v->grid[p].nsteps;
        for (int i = 0; i < L->pane_h[p] && v->top[p] + (size_t)i < total && n < max; i++)
            ys[n++] = L->pane_y[p] + i;
    }
    return n;
}

/* A horizontal scroll by d cells: the cells of every grid line move on
 * the terminal itself and on stdscr (term_shift_columns), so the frame
 * only draws and sends the cells that came into view instead of every cell
 * again.  Only without the side panel, whose text may have characters of
 * any width. */
static bool shift_columns(tui *t, long d)
{
    const tui_layout *L = &t->lay;
    if (L->panel_w)
        return false;
    int ys[1024];
    int ny = pane_lines(t, ys, 1024);
    return term_shift_columns(ys, ny, L->label_w, d * L->cw);
}

/* A vertical scroll of one or both panes by fewer rows than they show:
 * the pane's lines of stdscr scroll (curses then scrolls the terminal
 * instead of sending the lines again) and only the rows that came into view
 * are drawn.  False (nothing done) when a pane moved by a whole screen. */
static bool scroll_rows(tui *t)
{
    const tui_layout *L = &t->lay;
    const view_state *v = &t->v;
    const tui_drawn *d = &t->frame->drawn;
    long dt[2];
    for (int p = 0; p < 2; p++) {
        dt[p] = (long)v->top[p] - (long)d->top[p];
        if (dt[p] && (!L->pane_h[p] || labs(dt[p]) >= L->pane_h[p]))
            return false;
    }
    if (!dt[0] && !dt[1])
        return false;
    for (int p = 0; p < 2; p++) {
        if (!dt[p])
            continue;
        int y0 = L->pane_y[p], y1 = y0 + L->pane_h[p] - 1;
        wsetscrreg(stdscr, y0, y1);
        scrollok(stdscr, TRUE);
        wscrl(stdscr, (int)dt[p]);
        scrollok(stdscr, FALSE);
        wsetscrreg(stdscr, 0, L->H - 1);
        size_t n = (size_t)labs(dt[p]);
        size_t first = dt[p] > 0 ? v->top[p] + (size_t)L->pane_h[p] - n : v->top[p];
        for (size_t r = first; r < first + n; r++)
            draw_pane_row(t, p, r);
    }
    return true;
}

void tui_draw_frame(tui *t, unsigned bits)
{
    const view_state *v = &t->v;
    const tui_drawn *d = &t->frame->drawn;
    bool same = !(bits & (TUI_LAYOUT | TUI_LABELS | TUI_CLEAR | TUI_DATA)) && same_frame(t);
    bool same_top = d->top[0] == v->top[0] && d->top[1] == v->top[1];
    long dl = (long)v->left - (long)d->left;
    /* what is on screen can mostly stay: the cursor moved inside the window,
     * or the cells moved on the terminal (sideways: no side panel then) */
    bool shifted = same && (bits & TUI_MOVE) && same_top && dl && shift_columns(t, dl);
    bool partial = shifted || (same && (bits & TUI_CURSOR) && same_top && !dl) ||
                   (same && (bits & TUI_MOVE) && !dl && scroll_rows(t));
    if (!partial) {
        tui_draw_main(t);
        remember(t);
        return;
    }
    /* then: the column labels, the cells that came into view, the old and
     * new cursor rows, the side panel, the colorbar's cursor mark and the
     * status */
    draw_col_labels(t);
    if (shifted)
        draw_new_columns(t, dl);
    draw_pane_row(t, d->pane, d->row[d->pane]);
    draw_pane_row(t, v->pane, v->row[v->pane]);
    if (!shifted)
        draw_topk(t);
    draw_bar(t);   /* the cursor's mark on the colorbar */
    draw_status(t);
    remember(t);
}
