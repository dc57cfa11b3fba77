/* view.h - what the explorer shows, as a plain struct without a terminal.
 *
 * A view is one sequence of an as_output seen through the user's choices
 * (pipeline, weight, show_dim, slices) and laid out as one or two panes:
 * the source heatmap (source_attributions) and the target heatmap
 * (target_attributions).  Each pane is a grid: rows are attributed tokens,
 * then one row per step score; columns are generated tokens, each split into
 * sub-columns along `show_dim` when one is chosen.  A granular or
 * multi-dimensional tensor is browsed as it is: dims other than show_dim hold
 * one index each (the sliders), and every dim can be sliced to a range.
 *
 * The terminal code owns drawing and keys; everything that decides what is
 * on screen lives here so tests can drive it (tests/test_view.c).
 *
 * Ownership and call order:
 *   view_open(v, out, ...)   borrows out (must outlive the view) and opens
 *                            sequence 0; view_close(v) frees what the view
 *                            allocated (never out).
 *   view_set_viewport()      tells the view how many grid rows and columns
 *                            fit, so moves can scroll; call it after every
 *                            layout change (before moving).
 *   view_replace_output()    after a reload: swaps in a new output, keeps the
 *                            choices and cursor where they still fit.
 * Functions that change something return VIEW_CH_* bits of what changed.
 * Nothing here prints.
 */
#ifndef AS_VIEW_H
#define AS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "catalog.h"
#include "load.h"
#include "range.h"
#include "viewagg.h"

#define VIEW_PIPE_MAX 512
#define VIEW_NAME_MAX 128
#define VIEW_UNDO_MAX 64
#define VIEW_DEFAULT_MAX_SHOW 20

enum { VIEW_SRC = 0, VIEW_TGT = 1 };

typedef enum view_layout {
    VIEW_LAYOUT_SRC = 0,   /* the source heatmap alone */
    VIEW_LAYOUT_TGT,       /* the target heatmap alone */
    VIEW_LAYOUT_BOTH,      /* source above target */
} view_layout;

/* What a call changed (OR-ed). */
enum {
    VIEW_CH_CURSOR = 1 << 0,  /* cursor moved */
    VIEW_CH_SCROLL = 1 << 1,  /* the visible window moved */
    VIEW_CH_GRID = 1 << 2,    /* grid contents or shape changed */
    VIEW_CH_RANGE = 1 << 3,   /* color range changed */
    VIEW_CH_LAYOUT = 1 << 4,  /* panes changed */
    VIEW_CH_SEQ = 1 << 5,     /* another sequence */
};

/* A dim range [a, b); `on` false means the whole dim. */
typedef struct view_slice {
    bool on;
    size_t a, b;
} view_slice;

/* The choices undo restores. */
typedef struct view_choice {
    char pipeline[VIEW_PIPE_MAX];
    char weight[VIEW_NAME_MAX];   /* "" = none */
    int show_dim;                 /* -1 none, else a dim >= 2 */
    view_slice slice[AS_MAX_DIMS];
} view_choice;

/* One pane's grid, derived from the shown sequence and the choices. */
typedef struct view_grid {
    bool present;              /* the pane exists for this sequence */
    const as_tensor *t;        /* the attributions, NULL when only step scores */
    const as_tokens *rows_tok; /* row labels: source or target tokens */
    size_t nrows;              /* attributed rows (after slicing) */
    size_t nsteps;             /* step-score rows below them */
    size_t ngen;               /* generated tokens (after slicing) */
    size_t nsub;               /* sub-columns per generated token (1 when none) */
    size_t ncols;              /* ngen * nsub */
    size_t row0, gen0, sub0;   /* slice starts in dims 0, 1 and show_dim */
    size_t stride0, stride1, stride_sub;
    size_t base;               /* data offset of the slider indices */
    int sub_dim;               /* show_dim for this tensor, or -1 */
} view_grid;

typedef struct view_state {
    const as_output *out;      /* borrowed; NULL when the data is a catalog */
    view_agg *agg;             /* owned: the sequences and their aggregation */
    size_t seq;                /* the shown sequence */
    view_agg_result cur;       /* its aggregation (NULL seq when it failed) */
    unsigned long cur_gen;     /* changes whenever cur does */
    char agg_error[AS_ERROR_MAX]; /* why cur is empty, "" when fine */

    view_choice ch;
    view_choice undo[VIEW_UNDO_MAX];
    size_t nundo;
    view_choice redo[VIEW_UNDO_MAX];  /* what undo took back, latest last */
    size_t nredo;
    size_t slider[AS_MAX_DIMS]; /* index held in each extra dim not shown */
    int slider_dim;             /* the dim `<`/`>` step, -1 none */
    size_t max_show_size;

    /* Color range (range.h): range_mode over the finite values of what is
     * shown (both panes), unless bounds are fixed. */
    as_range_mode range_mode;
    double percentile;          /* for AS_RANGE_PERCENTILE */
    bool global_range;          /* over every sequence of the file instead of this one */
    bool slices_range;          /* over every slider position (the whole extra dims) */
    bool fix_min, fix_max;
    double opt_min, opt_max;
    double vmin, vmax;          /* in effect */
    bool one_sided;             /* vmin is white, vmax the strongest red */

    view_layout layout;
    int pane;                   /* the pane with the cursor */
    size_t row[2];              /* cursor row in each pane (rows, then steps) */
    size_t col;                 /* cursor column, shared */
    size_t top[2], left;        /* first visible row per pane, first column */
    size_t vis_rows[2], vis_cols;

    view_grid grid[2];

    /* Rows sorted by one column of one pane (view_sort_cycle): grid row r <
     * nrows shows attributed row order[r] of the unsorted grid; step-score
     * rows stay below, unsorted. */
    int sort_dir;               /* 0 none, -1 largest first, +1 smallest first */
    int sort_pane;
    size_t sort_col;            /* grid column the rows are sorted by */
    size_t *order[2];           /* owned; NULL when the pane is not sorted */
    /* What the last choice did besides what was asked ("" when nothing):
     * set when a pipeline was changed to keep the dim asked for. */
    char note[AS_ERROR_MAX];
} view_state;

/* Options view_open applies before the first sequence is shown. */
typedef struct view_opts {
    const char *pipeline;     /* NULL = "none" */
    const char *weight;       /* NULL = none */
    const char *show_dim;     /* NULL, a dim index or a dim name */
    const char *const *slices;/* "DIM=A:B" strings */
    size_t nslices;
    size_t max_show_size;     /* 0 = VIEW_DEFAULT_MAX_SHOW */
    bool has_min, has_max;
    double min, max;
    bool global_range;
    as_range_mode range_mode;
    double percentile;        /* 0 = AS_RANGE_DEFAULT_PERCENTILE */
    bool slices_range;
    size_t agg_cache_bytes;   /* bound of the cached results; 0 = agg_cache's default */
    const as_load_opts *load_opts; /* catalog: how files are loaded (progress); copied */
} view_opts;

/* Opens the view on out (at least one sequence).  On a bad option returns
 * AS_EUSAGE with a message and leaves nothing to free. */
int view_open(view_state *v, const as_output *out, const view_opts *o, as_error *err);
/* The same over a catalog (viewagg.h) with at least one sequence listed;
 * it loads the file of sequence 0.  When that file does not load, the view
 * opens all the same and says why in agg_error. */
int view_open_catalog(view_state *v, as_catalog *c, const view_opts *o, as_error *err);
void view_close(view_state *v);
/* After a reload. Keeps choices and cursor where they still fit. */
unsigned view_replace_output(view_state *v, const as_output *out);
/* Catalog reload: view_detach() before catalog_reload() (the view shows
 * nothing and holds nothing), view_reattach() once the catalog lists
 * sequences again (keeps choices, clamps the sequence). */
void view_detach(view_state *v);
unsigned view_reattach(view_state *v);
/* Sequences there are (grows while a catalog is read). */
size_t view_nseqs(const view_state *v);

/* The shown (aggregated) sequence, NULL when aggregation failed. */
const as_seq *view_seq(const view_state *v);
/* The tensor a pane shows (may be NULL). */
const as_tensor *view_pane_tensor(const view_state *v, int pane);
/* Whether the layout shows pane p. */
bool view_shows(const view_state *v, int pane);

/* --- cells ------------------------------------------------------------- */
/* Value at (row, col) of a pane's grid: attributions for row < nrows, step
 * scores below; NaN outside the grid. */
double view_cell(const view_state *v, int pane, size_t row, size_t col);
/* Generated-token index (into the sequence's columns, 0-based after
 * attr_pos_start) of a grid column, and its sub-index in show_dim. */
size_t view_col_gen(const view_state *v, int pane, size_t col);
size_t view_col_sub(const view_state *v, int pane, size_t col);
/* Token index (into rows_tok) of a grid row < nrows. */
size_t view_row_token(const view_state *v, int pane, size_t row);
/* Name of step-score row k (row nrows + k). */
const char *view_step_name(const view_state *v, size_t k);
/* The cursor's cell value. */
double view_cursor_value(const view_state *v);

/* --- moving ------------------------------------------------------------ */
void view_set_viewport(view_state *v, size_t rows_src, size_t rows_tgt, size_t cols);
unsigned view_move(view_state *v, long drow, long dcol);
unsigned view_page(view_state *v, int dir);           /* -1 up, +1 down */
unsigned view_home(view_state *v, bool rows, bool end); /* rows: g/G, else Home/End */
unsigned view_goto(view_state *v, int pane, size_t row, size_t col);
/* Jumps to the largest (want_max) or smallest attribution of the cursor's
 * row (in_row) or column, NaN skipped. */
unsigned view_jump_extreme(view_state *v, bool in_row, bool want_max);
/* Scrolls pane p's rows by drow and the columns by dcol (a mouse wheel),
 * clamped; the cursor stays on screen (it moves into the window when the
 * window leaves it).  Focuses p when it is shown. */
unsigned view_scroll(view_state *v, int pane, long drow, long dcol);

/* --- sorting ----------------------------------------------------------- */
/* Sorts the focused pane's rows by the cursor's column: largest first,
 * then (called again on the same column) smallest first, then back to
 * the file's order.  NaN sort last.  Equal values keep their order.  The
 * cursor stays on its token.  The order is kept (and recomputed) when the
 * data changes while the column exists. */
unsigned view_sort_cycle(view_state *v);
/* The grid row showing attributed row `index` of the unsorted grid. */
size_t view_row_of(const view_state *v, int pane, size_t index);
unsigned view_cycle_layout(view_state *v);
unsigned view_set_layout(view_state *v, view_layout l);
unsigned view_set_seq(view_state *v, size_t seq);

/* --- choices (each pushes an undo entry when it changes something) --- */
unsigned view_set_pipeline(view_state *v, const char *pipeline, as_error *err);
unsigned view_set_weight(view_state *v, const char *weight, as_error *err);
/* dim -1 = none. Refuses dims < 2, absent dims and dims larger than
 * max_show_size. */
unsigned view_set_show_dim(view_state *v, int dim, as_error *err);
/* Parses "NAME|INDEX" against the shown tensor's dims into *dim. */
int view_parse_dim(const view_state *v, const char *s, int *dim, as_error *err);
/* "DIM=A:B" (A or B may be empty; "DIM=" or "DIM=:" clears). */
unsigned view_set_slice_str(view_state *v, const char *spec, as_error *err);
unsigned view_set_slice(view_state *v, int dim, bool on, size_t a, size_t b, as_error *err);
unsigned view_undo(view_state *v, as_error *err);
/* Applies again what the last undo took back (any new change clears what
 * there is to redo). */
unsigned view_redo(view_state *v, as_error *err);

/* --- extra dims -------------------------------------------------------- */
/* Rank of the shown tensors (the larger of the two panes'), 0 when none. */
int view_ndim(const view_state *v);
size_t view_dim_size(const view_state *v, int dim);
const char *view_dim_name(const view_state *v, int dim);
/* Whether dim is held by a slider now (extra dim, not show_dim). */
bool view_is_slider(const view_state *v, int dim);
/* Rank of the shown sequence's stored tensors, before the pipeline. */
int view_stored_ndim(const view_state *v);
/* When the pipeline reduced dim (an extra dim of the stored tensors): switches
 * to the pipeline without its reducing steps (scores, its functions,
 * default; "none" when nothing else is left), one undo entry, and says so in
 * v->note.  A weight makes the view 2D whatever the pipeline: then, and
 * when the new pipeline fails, an error says what to do.  view_set_show_dim,
 * view_set_slice and view_set_slice_str call it for dims >= 2; 0 when
 * nothing changed. */
unsigned view_keep_extra_dims(view_state *v, int dim, as_error *err);
unsigned view_slider_step(view_state *v, long delta);
unsigned view_slider_next_dim(view_state *v);

/* --- range ------------------------------------------------------------- */
unsigned view_toggle_global_range(view_state *v);
/* Shares the range across the slider positions (all indices of the extra
 * dims that are not shown), or not. */
unsigned view_toggle_slices_range(view_state *v);
/* The mode of the range (percentile: 0 < P <= 100, else the default). */
unsigned view_set_range_mode(view_state *v, as_range_mode m, double percentile);
/* Fixes the bounds (has_* false: from the data again); AS_EUSAGE when
 * min >= max. */
int view_set_bounds(view_state *v, bool has_min, double min, bool has_max, double max,
                    as_error *err);
/* The legend's words for the range: e.g. "abs seq", "p99 file",
 * "one-sided slices", "set". */
void view_range_label(const view_state *v, char *buf, size_t cap);
/* Recomputes vmin/vmax (called by every change that needs it). */
void view_update_range(view_state *v);

/* --- derived lists ----------------------------------------------------- */
/* The k largest attributions of the cursor's column in pane `pane`
 * (NaN skipped), descending: grid rows into rows[], values into vals[].
 * Returns how many. */
size_t view_topk(const view_state *v, int pane, size_t col, size_t k, size_t *rows,
                 double *vals);

/* A text snapshot of the state for tests: cursor, grids, sliders, range,
 * value under the cursor.  Returns the length written (truncates). */
size_t view_snapshot(const view_state *v, char *buf, size_t n);

#endif
