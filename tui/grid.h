/* grid.h - the heatmap screen (labels, layout, frames), the mouse on it,
 * and loading with a progress bar: the third layer (see state.h). */
#ifndef AS_TUI_GRID_H
#define AS_TUI_GRID_H

#include "widgets.h"

/* grid.c */
/* The grid's own part of the state (tui_grid_init() before any frame;
 * tui_grid_free() frees it and the labels; 0 or -1 out of memory). */
int tui_grid_init(tui *t);
void tui_grid_free(tui *t);
/* Cell widths: the width of a level, and the level nearest a width. */
int tui_cw_width(int level);
int tui_cw_level_for(int width);
void tui_labels_build(tui *t);
void tui_labels_free(tui *t);
void tui_layout_compute(tui *t);
void tui_draw_main(tui *t);
/* The grid screen for a frame with these TUI_* bits: only what changed
 * when the last frame allows it (a cursor move redraws two rows, the
 * column labels and the status; a horizontal scroll moves the columns on
 * the terminal itself), else tui_draw_main(); dialogs on top must be
 * drawn after.  tui_draw_forget() makes the next frame a full one. */
void tui_draw_frame(tui *t, unsigned bits);
void tui_draw_forget(tui *t);
/* The display label of row `row` of a pane and of a grid column's token. */
const char *tui_row_label(const tui *t, int pane, size_t row);
const char *tui_col_label(const tui *t, int pane, size_t col);

/* mouse.c: what a mouse event on the grid does (t->mouse). */
unsigned tui_mouse_grid(tui *t);
/* The position indicator for the status line ("rows 121-150/700 cols
 * 41-60/400"), "" when the focused pane shows all of its rows and columns. */
void tui_position_text(const tui *t, char *buf, size_t n);

/* loading.c: tui_busy() runs fn(t, ud) in a thread and returns what it
 * returns; after 300 ms it shows a progress bar titled `what` (starting the
 * terminal if needed) from t->prog, which loads report into through
 * tui_load_opts() (total: the expected bytes, 0 unknown).  fn must not use
 * curses, and nothing else touches the data meanwhile. */
int tui_busy(tui *t, const char *what, uint64_t total, int (*fn)(tui *t, void *ud), void *ud);
as_load_opts tui_load_opts(tui *t);
/* The one file (or the in-memory example) of t->opts.  res->out is NULL
 * when nothing loaded; errors says why. */
typedef struct tui_loaded {
    as_output *out;
    char errors[4096];
    size_t nfailed;
} tui_loaded;
int tui_load(tui *t, tui_loaded *res);
/* Shows sequence k (global index), loading its file with a progress bar
 * when it belongs to another file of the catalog.  Returns TUI_* bits. */
unsigned tui_goto_seq(tui *t, size_t k);

#endif
