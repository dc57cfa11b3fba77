/* mouse.c - the mouse on the grid (a click moves the cursor to a cell, a
 * row label or a column label; the wheel scrolls rows, with Shift columns)
 * and the position indicator of the status line. */
#include <stdio.h>
#include <string.h>

#include "grid.h"

#define WHEEL_STEP 3

/* The pane whose rows line y shows, -1 none. */
static int pane_at(const tui *t, int y)
{
    const tui_layout *L = &t->lay;
    for (int p = 0; p < 2; p++)
        if (L->pane_h[p] && view_shows(&t->v, p) && y >= L->pane_y[p] &&
            y < L->pane_y[p] + L->pane_h[p])
            return p;
    return -1;
}

/* The grid column of pane p at screen column x, -1 none. */
static long col_at(const tui *t, int p, int x)
{
    const tui_layout *L = &t->lay;
    if (x < L->label_w || x >= L->W - L->panel_w || L->cw <= 0)
        return -1;
    size_t c = t->v.left + (size_t)((x - L->label_w) / L->cw);
    if ((x - L->label_w) / L->cw >= L->vis_cols || c >= t->v.grid[p].ncols)
        return -1;
    return (long)c;
}

unsigned tui_mouse_grid(tui *t)
{
    const MEVENT *m = &t->mouse;
    const tui_layout *L = &t->lay;
    view_state *v = &t->v;
    if (!t->view_ok || !view_seq(v) || L->tiny)
        return 0;
    mmask_t b = m->bstate;
    int p = pane_at(t, m->y);
    if (b & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        long d = b & BUTTON4_PRESSED ? -WHEEL_STEP : WHEEL_STEP;
        int q = p >= 0 ? p : v->pane;
        if (b & BUTTON_SHIFT)
            return tui_view_bits(view_scroll(v, q, 0, d));
        return tui_view_bits(view_scroll(v, q, d, 0));
    }
    if (!(b & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return 0;
    if (m->y >= L->collab_y && m->y < L->collab_y + L->collab) {
        long c = col_at(t, v->pane, m->x);
        return c < 0 ? 0 : tui_view_bits(view_goto(v, v->pane, v->row[v->pane], (size_t)c));
    }
    if (p < 0)
        return 0;
    size_t row = v->top[p] + (size_t)(m->y - L->pane_y[p]);
    if (row >= v->grid[p].nrows + v->grid[p].nsteps)
        return 0;
    long c = col_at(t, p, m->x);
    if (c < 0 && m->x >= L->label_w)
        return 0;   /* right of the grid, or the side panel */
    return tui_view_bits(view_goto(v, p, row, c < 0 ? v->col : (size_t)c));
}

void tui_position_text(const tui *t, char *buf, size_t n)
{
    buf[0] = '\0';
    const view_state *v = &t->v;
    int p = v->pane;
    const view_grid *g = &v->grid[p];
    if (!t->view_ok || !view_seq(v) || t->lay.tiny || !g->present)
        return;
    size_t rows = g->nrows + g->nsteps, vr = (size_t)(t->lay.pane_h[p] > 0 ? t->lay.pane_h[p] : 1);
    size_t vc = (size_t)(t->lay.vis_cols > 0 ? t->lay.vis_cols : 1);
    if (rows <= vr && g->ncols <= vc)
        return;
    size_t r1 = v->top[p] + vr < rows ? v->top[p] + vr : rows;
    size_t c1 = v->left + vc < g->ncols ? v->left + vc : g->ncols;
    snprintf(buf, n, "rows %zu-%zu/%zu cols %zu-%zu/%zu", rows ? v->top[p] + 1 : 0, r1, rows,
             g->ncols ? v->left + 1 : 0, c1, g->ncols);
}
