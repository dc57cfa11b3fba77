/* view.c - the explorer's view state (see view.h). */
#include "view.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- grids */

static size_t clampz(size_t x, size_t lo, size_t hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The range a slice leaves of a dim of size n: [*a, *a + *len). */
static void slice_range(const view_slice *s, size_t n, size_t *a, size_t *len)
{
    if (!s->on || s->a >= n || s->a >= s->b) {
        *a = 0;
        *len = n;
        return;
    }
    *a = s->a;
    *len = (s->b < n ? s->b : n) - s->a;
}

static bool tensor_ok(const as_tensor *t)
{
    return t && t->ndim >= 2;
}

/* The effective show_dim of tensor t: the chosen dim when t has it and its
 * sliced size fits max_show_size; -1 otherwise. */
static int sub_dim_for(const view_state *v, const as_tensor *t)
{
    int d = v->ch.show_dim;
    if (d < 2 || !t || d >= t->ndim)
        return -1;
    size_t a, len;
    slice_range(&v->ch.slice[d], t->shape[d], &a, &len);
    return len <= v->max_show_size ? d : -1;
}

static void build_grid(view_state *v, int p)
{
    view_grid *g = &v->grid[p];
    memset(g, 0, sizeof *g);
    g->sub_dim = -1;
    g->nsub = 1;
    const as_seq *s = v->cur.seq;
    if (!s)
        return;
    const as_tensor *src = tensor_ok(s->source_attr) ? s->source_attr : NULL;
    const as_tensor *tgt = tensor_ok(s->target_attr) ? s->target_attr : NULL;
    const as_tensor *t = p == VIEW_SRC ? src : tgt;
    if (p == VIEW_SRC)
        g->present = src != NULL;
    else
        g->present = tgt != NULL || (!src && s->step_scores.n > 0);
    if (!g->present)
        return;
    g->t = t;
    g->rows_tok = p == VIEW_SRC ? &s->source : &s->target;
    g->nsteps = s->step_scores.n;
    size_t ngen_full = t ? t->shape[1] : attr_seq_ncols(s);
    slice_range(&v->ch.slice[1], ngen_full, &g->gen0, &g->ngen);
    if (t) {
        size_t stride[AS_MAX_DIMS];
        size_t acc = 1;
        for (int d = t->ndim - 1; d >= 0; d--) {
            stride[d] = acc;
            acc *= t->shape[d];
        }
        slice_range(&v->ch.slice[0], t->shape[0], &g->row0, &g->nrows);
        g->stride0 = stride[0];
        g->stride1 = stride[1];
        g->sub_dim = sub_dim_for(v, t);
        if (g->sub_dim >= 0) {
            slice_range(&v->ch.slice[g->sub_dim], t->shape[g->sub_dim], &g->sub0, &g->nsub);
            g->stride_sub = stride[g->sub_dim];
        }
        for (int d = 2; d < t->ndim; d++) {
            if (d == g->sub_dim)
                continue;
            size_t a, len;
            slice_range(&v->ch.slice[d], t->shape[d], &a, &len);
            if (len == 0)
                continue;
            v->slider[d] = clampz(v->slider[d], a, a + len - 1);
            g->base += v->slider[d] * stride[d];
        }
        if (g->nsub == 0)
            g->nrows = 0;
    }
    g->ncols = g->ngen * g->nsub;
}

static bool pane_shown(const view_state *v, int p)
{
    if (!v->grid[p].present)
        return false;
    switch (v->layout) {
    case VIEW_LAYOUT_SRC: return p == VIEW_SRC;
    case VIEW_LAYOUT_TGT: return p == VIEW_TGT;
    default: return true;
    }
}

static size_t pane_rows(const view_state *v, int p)
{
    return v->grid[p].nrows + v->grid[p].nsteps;
}

static void clamp_cursor(view_state *v)
{
    for (int p = 0; p < 2; p++) {
        size_t n = pane_rows(v, p);
        v->row[p] = n ? clampz(v->row[p], 0, n - 1) : 0;
    }
    size_t nc = v->grid[v->pane].ncols;
    v->col = nc ? clampz(v->col, 0, nc - 1) : 0;
}

static void ensure_visible(view_state *v)
{
    for (int p = 0; p < 2; p++) {
        size_t n = pane_rows(v, p), vis = v->vis_rows[p] ? v->vis_rows[p] : 1;
        if (v->row[p] < v->top[p])
            v->top[p] = v->row[p];
        else if (v->row[p] >= v->top[p] + vis)
            v->top[p] = v->row[p] - vis + 1;
        /* no blank space after the last row when it can be avoided */
        if (n > vis && v->top[p] > n - vis)
            v->top[p] = n - vis;
        else if (n <= vis)
            v->top[p] = 0;
    }
    size_t nc = v->grid[v->pane].ncols, vis = v->vis_cols ? v->vis_cols : 1;
    if (v->col < v->left)
        v->left = v->col;
    else if (v->col >= v->left + vis)
        v->left = v->col - vis + 1;
    if (nc > vis && v->left > nc - vis)
        v->left = nc - vis;
    else if (nc <= vis)
        v->left = 0;
}

/* Picks a layout that shows something and a focused pane inside it. */
static void fix_layout(view_state *v)
{
    bool s = v->grid[VIEW_SRC].present, t = v->grid[VIEW_TGT].present;
    if ((v->layout == VIEW_LAYOUT_SRC || v->layout == VIEW_LAYOUT_BOTH) && !s && t)
        v->layout = VIEW_LAYOUT_TGT;
    else if ((v->layout == VIEW_LAYOUT_TGT || v->layout == VIEW_LAYOUT_BOTH) && !t && s)
        v->layout = VIEW_LAYOUT_SRC;
    if (v->layout == VIEW_LAYOUT_SRC)
        v->pane = VIEW_SRC;
    else if (v->layout == VIEW_LAYOUT_TGT)
        v->pane = VIEW_TGT;
    else if (!v->grid[v->pane].present)
        v->pane = s ? VIEW_SRC : VIEW_TGT;
}

/* ------------------------------------------------------------- sorting */

/* The unsorted attributed row behind grid row r (< nrows). */
static size_t unsorted_row(const view_state *v, int pane, size_t r)
{
    const size_t *o = v->order[pane];
    return o && r < v->grid[pane].nrows ? o[r] : r;
}

static double raw_cell(const view_state *v, int pane, size_t row, size_t col);

typedef struct sort_key {
    double x;
    size_t i;
} sort_key;

static int sort_desc(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    bool nx = isnan(x->x), ny = isnan(y->x);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && x->x != y->x)
        return x->x > y->x ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int sort_asc(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    bool nx = isnan(x->x), ny = isnan(y->x);
    if (nx != ny)
        return nx ? 1 : -1;
    if (!nx && x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void sort_clear(view_state *v)
{
    for (int p = 0; p < 2; p++) {
        free(v->order[p]);
        v->order[p] = NULL;
    }
}

/* Builds order[] for the sort in effect; drops the sort when its column
 * is gone (or memory is short). */
static void sort_apply(view_state *v)
{
    sort_clear(v);
    if (!v->sort_dir)
        return;
    int p = v->sort_pane;
    const view_grid *g = &v->grid[p];
    if (!g->present || v->sort_col >= g->ncols || !g->nrows) {
        v->sort_dir = 0;
        return;
    }
    sort_key *k = malloc(g->nrows * sizeof *k);
    size_t *o = malloc(g->nrows * sizeof *o);
    if (!k || !o) {
        free(k);
        free(o);
        v->sort_dir = 0;
        return;
    }
    for (size_t r = 0; r < g->nrows; r++)
        k[r] = (sort_key){raw_cell(v, p, r, v->sort_col), r};
    qsort(k, g->nrows, sizeof *k, v->sort_dir < 0 ? sort_desc : sort_asc);
    for (size_t r = 0; r < g->nrows; r++)
        o[r] = k[r].i;
    free(k);
    v->order[p] = o;
}

size_t view_row_of(const view_state *v, int pane, size_t index)
{
    const size_t *o = v->order[pane];
    if (!o || index >= v->grid[pane].nrows)
        return index;
    for (size_t r = 0; r < v->grid[pane].nrows; r++)
        if (o[r] == index)
            return r;
    return index;
}

static void rebuild(view_state *v)
{
    build_grid(v, VIEW_SRC);
    build_grid(v, VIEW_TGT);
    sort_apply(v);
    fix_layout(v);
    if (v->slider_dim >= 0 && !view_is_slider(v, v->slider_dim))
        v->slider_dim = -1;
    if (v->slider_dim < 0) {
        int nd = view_ndim(v);
        for (int d = 2; d < nd; d++)
            if (view_is_slider(v, d)) {
                v->slider_dim = d;
                break;
            }
    }
    clamp_cursor(v);
    ensure_visible(v);
    view_update_range(v);
}

/* Aggregates the current sequence under choice c; on success it becomes
 * the view's choice and result. */
static int apply_choice(view_state *v, const view_choice *c, size_t seq, as_error *err)
{
    view_agg_result r;
    if (view_aggregate(v->agg, seq, c->pipeline, c->weight, &r, err))
        return -1;
    view_agg_release(v->agg, &v->cur);
    v->cur_gen++;
    v->cur = r;
    v->agg_error[0] = '\0';
    if (c != &v->ch)
        v->ch = *c;
    v->seq = seq;
    rebuild(v);
    return 0;
}

static void push_undo(view_state *v, const view_choice *c)
{
    if (v->nundo == VIEW_UNDO_MAX) {
        memmove(v->undo, v->undo + 1, (VIEW_UNDO_MAX - 1) * sizeof v->undo[0]);
        v->nundo--;
    }
    v->undo[v->nundo++] = *c;
}

/* Applies c and records the previous choice for undo. */
static unsigned change_choice(view_state *v, const view_choice *c, as_error *err)
{
    if (!memcmp(c, &v->ch, sizeof *c))
        return 0;
    view_choice old = v->ch;
    if (apply_choice(v, c, v->seq, err))
        return 0;
    push_undo(v, &old);
    v->nredo = 0;
    return VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

/* ----------------------------------------------------------- open/close */

/* Opens the view on the data of `cat` (when not NULL) or `out`. */
static int open_view(view_state *v, const as_output *out, as_catalog *cat, const view_opts *o,
                     as_error *err)
{
    memset(v, 0, sizeof *v);
    v->out = out;
    v->ch.show_dim = -1;
    v->slider_dim = -1;
    v->layout = VIEW_LAYOUT_BOTH;
    v->max_show_size = o && o->max_show_size ? o->max_show_size : VIEW_DEFAULT_MAX_SHOW;
    if (cat ? catalog_nseqs(cat) == 0 : !out || out->nseqs == 0)
        return as_error_set(err, AS_EDATA, "the file holds no sequences");
    if (o) {
        v->fix_min = o->has_min;
        v->fix_max = o->has_max;
        v->opt_min = o->min;
        v->opt_max = o->max;
        v->global_range = o->global_range;
        v->slices_range = o->slices_range;
        v->range_mode = o->range_mode;
        v->percentile = o->percentile;
        if (o->has_min && o->has_max && !(o->min < o->max))
            return as_error_set(err, AS_EUSAGE, "--min %g must be below --max %g", o->min,
                                o->max);
    }
    const char *pipe = o && o->pipeline ? o->pipeline : "none";
    const char *weight = o && o->weight ? o->weight : "";
    if (strlen(pipe) >= VIEW_PIPE_MAX)
        return as_error_set(err, AS_EUSAGE, "pipeline: longer than %d bytes", VIEW_PIPE_MAX - 1);
    if (strlen(weight) >= VIEW_NAME_MAX)
        return as_error_set(err, AS_EUSAGE, "--weight: name too long");
    if (view_agg_check(pipe, NULL, err))
        return AS_EUSAGE;
    strcpy(v->ch.pipeline, pipe);
    strcpy(v->ch.weight, weight);
    size_t cache = o ? o->agg_cache_bytes : 0;
    v->agg = cat ? view_agg_new_catalog(cat, cache, err) : view_agg_new(out, cache, err);
    if (!v->agg)
        return AS_ENOMEM;
    if (cat && o && o->load_opts)
        view_agg_set_load_opts(v->agg, o->load_opts);
    if (apply_choice(v, &v->ch, 0, err)) {
        /* a catalog's file that does not load is shown as an error, like
         * any sequence that cannot be shown; bad requests still fail */
        if (!cat || !err || err->code == AS_EUSAGE)
            goto fail;
        snprintf(v->agg_error, sizeof v->agg_error, "%s", err->msg);
        as_error_clear(err);
        rebuild(v);
    }
    for (size_t i = 0; o && i < o->nslices; i++) {
        view_set_slice_str(v, o->slices[i], err);
        if (err && err->code)
            goto fail;
    }
    if (o && o->show_dim) {
        int d;
        if (view_parse_dim(v, o->show_dim, &d, err))
            goto fail;
        as_error e = {0};
        view_set_show_dim(v, d, &e);
        if (e.code) {
            as_error_set(err, e.code, "--show-dim %s: %s", o->show_dim, e.msg);
            goto fail;
        }
    }
    v->nundo = 0;   /* options are the starting point, not changes */
    v->nredo = 0;
    return AS_OK;
fail:
    view_close(v);
    return err ? (err->code ? err->code : AS_EUSAGE) : AS_EUSAGE;
}

int view_open(view_state *v, const as_output *out, const view_opts *o, as_error *err)
{
    return open_view(v, out, NULL, o, err);
}

int view_open_catalog(view_state *v, as_catalog *c, const view_opts *o, as_error *err)
{
    return open_view(v, NULL, c, o, err);
}

size_t view_nseqs(const view_state *v)
{
    return v->agg ? view_agg_nseqs(v->agg) : 0;
}

void view_detach(view_state *v)
{
    view_agg_release(v->agg, &v->cur);
    v->cur_gen++;
    if (v->out)
        view_agg_reset(v->agg, v->out);
    else
        view_agg_forget(v->agg);
    rebuild(v);
}

unsigned view_reattach(view_state *v)
{
    size_t n = view_nseqs(v);
    size_t seq = n ? clampz(v->seq, 0, n - 1) : 0;
    as_error e = {0};
    view_agg_release(v->agg, &v->cur);
    v->cur_gen++;
    if (apply_choice(v, &v->ch, seq, &e)) {
        v->seq = seq;
        snprintf(v->agg_error, sizeof v->agg_error, "%s", e.msg);
        rebuild(v);
    }
    return VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_SEQ | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

void view_close(view_state *v)
{
    sort_clear(v);
    v->sort_dir = 0;
    if (v->agg) {
        view_agg_release(v->agg, &v->cur);
        view_agg_free(v->agg);
    }
    v->agg = NULL;
}

unsigned view_replace_output(view_state *v, const as_output *out)
{
    view_agg_release(v->agg, &v->cur);
    v->cur_gen++;
    view_agg_reset(v->agg, out);
    v->out = out;
    size_t seq = out->nseqs ? clampz(v->seq, 0, out->nseqs - 1) : 0;
    as_error e = {0};
    if (apply_choice(v, &v->ch, seq, &e)) {
        v->seq = seq;
        snprintf(v->agg_error, sizeof v->agg_error, "%s", e.msg);
        rebuild(v);
    }
    return VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_SEQ | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

/* ---------------------------------------------------------------- cells */

const as_seq *view_seq(const view_state *v)
{
    return v->cur.seq;
}

const as_tensor *view_pane_tensor(const view_state *v, int pane)
{
    return v->grid[pane].t;
}

bool view_shows(const view_state *v, int pane)
{
    return pane_shown(v, pane);
}

double view_cell(const view_state *v, int pane, size_t row, size_t col)
{
    return raw_cell(v, pane, unsorted_row(v, pane, row), col);
}

/* The cell of the unsorted grid. */
static double raw_cell(const view_state *v, int pane, size_t row, size_t col)
{
    const view_grid *g = &v->grid[pane];
    if (!g->present || col >= g->ncols)
        return NAN;
    size_t gen = g->gen0 + col / g->nsub;
    if (row < g->nrows) {
        if (!g->t)
            return NAN;
        size_t i = g->base + (g->row0 + row) * g->stride0 + gen * g->stride1;
        if (g->sub_dim >= 0)
            i += (g->sub0 + col % g->nsub) * g->stride_sub;
        return g->t->data[i];
    }
    row -= g->nrows;
    if (row >= g->nsteps)
        return NAN;
    const as_tensor *st = v->cur.seq->step_scores.v[row].t;
    return gen < tensor_numel(st) ? st->data[gen] : NAN;
}

size_t view_col_gen(const view_state *v, int pane, size_t col)
{
    const view_grid *g = &v->grid[pane];
    return g->gen0 + col / (g->nsub ? g->nsub : 1);
}

size_t view_col_sub(const view_state *v, int pane, size_t col)
{
    const view_grid *g = &v->grid[pane];
    return g->sub0 + col % (g->nsub ? g->nsub : 1);
}

size_t view_row_token(const view_state *v, int pane, size_t row)
{
    return v->grid[pane].row0 + unsorted_row(v, pane, row);
}

const char *view_step_name(const view_state *v, size_t k)
{
    const as_seq *s = v->cur.seq;
    return s && k < s->step_scores.n ? s->step_scores.v[k].name : "";
}

double view_cursor_value(const view_state *v)
{
    return view_cell(v, v->pane, v->row[v->pane], v->col);
}

/* --------------------------------------------------------------- moving */

void view_set_viewport(view_state *v, size_t rows_src, size_t rows_tgt, size_t cols)
{
    v->vis_rows[VIEW_SRC] = rows_src;
    v->vis_rows[VIEW_TGT] = rows_tgt;
    v->vis_cols = cols;
    ensure_visible(v);
}

static unsigned moved(view_state *v, size_t row0, size_t col0, int pane0, size_t top0,
                      size_t top1, size_t left0)
{
    clamp_cursor(v);
    ensure_visible(v);
    unsigned ch = 0;
    if (v->row[v->pane] != row0 || v->col != col0 || v->pane != pane0)
        ch |= VIEW_CH_CURSOR;
    if (v->top[0] != top0 || v->top[1] != top1 || v->left != left0)
        ch |= VIEW_CH_SCROLL;
    return ch;
}

#define SAVE_POS                                                                   \
    size_t row0_ = v->row[v->pane], col0_ = v->col, top0_ = v->top[0],             \
           top1_ = v->top[1], left0_ = v->left;                                   \
    int pane0_ = v->pane
#define MOVED() moved(v, row0_, col0_, pane0_, top0_, top1_, left0_)

unsigned view_move(view_state *v, long drow, long dcol)
{
    SAVE_POS;
    int p = v->pane;
    size_t n = pane_rows(v, p);
    if (drow < 0) {
        size_t d = (size_t)-drow;
        if (d > v->row[p] && v->layout == VIEW_LAYOUT_BOTH && p == VIEW_TGT &&
            pane_shown(v, VIEW_SRC) && pane_rows(v, VIEW_SRC)) {
            v->pane = VIEW_SRC;
            v->row[VIEW_SRC] = pane_rows(v, VIEW_SRC) - 1;
        } else {
            v->row[p] = d > v->row[p] ? 0 : v->row[p] - d;
        }
    } else if (drow > 0) {
        size_t d = (size_t)drow;
        if (v->row[p] + d >= n && v->layout == VIEW_LAYOUT_BOTH && p == VIEW_SRC &&
            pane_shown(v, VIEW_TGT) && pane_rows(v, VIEW_TGT)) {
            v->pane = VIEW_TGT;
            v->row[VIEW_TGT] = 0;
        } else {
            v->row[p] = n ? (v->row[p] + d >= n ? n - 1 : v->row[p] + d) : 0;
        }
    }
    if (dcol < 0)
        v->col = (size_t)-dcol > v->col ? 0 : v->col - (size_t)-dcol;
    else if (dcol > 0)
        v->col += (size_t)dcol;
    return MOVED();
}

unsigned view_page(view_state *v, int dir)
{
    SAVE_POS;
    int p = v->pane;
    size_t vis = v->vis_rows[p] > 1 ? v->vis_rows[p] - 1 : 1;
    size_t n = pane_rows(v, p);
    if (dir < 0) {
        v->row[p] = v->row[p] > vis ? v->row[p] - vis : 0;
        v->top[p] = v->top[p] > vis ? v->top[p] - vis : 0;
    } else if (n) {
        v->row[p] = v->row[p] + vis < n ? v->row[p] + vis : n - 1;
        v->top[p] += vis;
    }
    return MOVED();
}

unsigned view_home(view_state *v, bool rows, bool end)
{
    SAVE_POS;
    if (rows) {
        if (v->layout == VIEW_LAYOUT_BOTH && pane_shown(v, VIEW_SRC) &&
            pane_shown(v, VIEW_TGT))
            v->pane = end ? VIEW_TGT : VIEW_SRC;
        size_t n = pane_rows(v, v->pane);
        v->row[v->pane] = end && n ? n - 1 : 0;
    } else {
        size_t nc = v->grid[v->pane].ncols;
        v->col = end && nc ? nc - 1 : 0;
    }
    return MOVED();
}

unsigned view_goto(view_state *v, int pane, size_t row, size_t col)
{
    SAVE_POS;
    if (pane_shown(v, pane))
        v->pane = pane;
    v->row[v->pane] = row;
    v->col = col;
    return MOVED();
}

unsigned view_jump_extreme(view_state *v, bool in_row, bool want_max)
{
    const view_grid *g = &v->grid[v->pane];
    size_t best = SIZE_MAX;
    double bv = 0;
    size_t n = in_row ? g->ncols : g->nrows;
    for (size_t i = 0; i < n; i++) {
        double x = in_row ? view_cell(v, v->pane, v->row[v->pane], i)
                          : view_cell(v, v->pane, i, v->col);
        if (isnan(x))
            continue;
        if (best == SIZE_MAX || (want_max ? x > bv : x < bv)) {
            best = i;
            bv = x;
        }
    }
    if (best == SIZE_MAX)
        return 0;
    return in_row ? view_goto(v, v->pane, v->row[v->pane], best)
                  : view_goto(v, v->pane, best, v->col);
}

unsigned view_scroll(view_state *v, int pane, long drow, long dcol)
{
    SAVE_POS;
    if (pane_shown(v, pane))
        v->pane = pane;
    int p = v->pane;
    size_t n = pane_rows(v, p), vis = v->vis_rows[p] ? v->vis_rows[p] : 1;
    size_t maxtop = n > vis ? n - vis : 0;
    if (drow < 0)
        v->top[p] = (size_t)-drow > v->top[p] ? 0 : v->top[p] - (size_t)-drow;
    else if (drow > 0)
        v->top[p] = v->top[p] + (size_t)drow > maxtop ? maxtop : v->top[p] + (size_t)drow;
    if (v->row[p] < v->top[p])
        v->row[p] = v->top[p];
    else if (v->row[p] >= v->top[p] + vis)
        v->row[p] = v->top[p] + vis - 1;
    size_t nc = v->grid[p].ncols, vc = v->vis_cols ? v->vis_cols : 1;
    size_t maxleft = nc > vc ? nc - vc : 0;
    if (dcol < 0)
        v->left = (size_t)-dcol > v->left ? 0 : v->left - (size_t)-dcol;
    else if (dcol > 0)
        v->left = v->left + (size_t)dcol > maxleft ? maxleft : v->left + (size_t)dcol;
    if (v->col < v->left)
        v->col = v->left;
    else if (v->col >= v->left + vc)
        v->col = v->left + vc - 1;
    return MOVED();
}

unsigned view_sort_cycle(view_state *v)
{
    int p = v->pane;
    const view_grid *g = &v->grid[p];
    if (!g->present || !g->nrows || !g->ncols)
        return 0;
    bool on_token = v->row[p] < g->nrows;
    size_t token = on_token ? unsorted_row(v, p, v->row[p]) : 0;
    if (!v->sort_dir || v->sort_pane != p || v->sort_col != v->col) {
        v->sort_dir = -1;
        v->sort_pane = p;
        v->sort_col = v->col;
    } else {
        v->sort_dir = v->sort_dir < 0 ? 1 : 0;
    }
    sort_apply(v);
    if (on_token)
        v->row[p] = view_row_of(v, p, token);
    ensure_visible(v);
    return VIEW_CH_GRID | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

unsigned view_set_layout(view_state *v, view_layout l)
{
    bool s = v->grid[VIEW_SRC].present, t = v->grid[VIEW_TGT].present;
    if ((l == VIEW_LAYOUT_SRC && !s) || (l == VIEW_LAYOUT_TGT && !t) ||
        (l == VIEW_LAYOUT_BOTH && !(s && t)))
        return 0;
    if (l == v->layout)
        return 0;
    v->layout = l;
    fix_layout(v);
    clamp_cursor(v);
    ensure_visible(v);
    return VIEW_CH_LAYOUT | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

unsigned view_cycle_layout(view_state *v)
{
    for (int k = 1; k <= 3; k++) {
        unsigned ch = view_set_layout(v, (view_layout)((v->layout + k) % 3));
        if (ch)
            return ch;
    }
    return 0;
}

unsigned view_set_seq(view_state *v, size_t seq)
{
    if (seq >= view_nseqs(v) || (seq == v->seq && v->cur.seq))
        return 0;
    as_error e = {0};
    if (apply_choice(v, &v->ch, seq, &e)) {
        view_agg_release(v->agg, &v->cur);
        v->cur_gen++;
        v->seq = seq;
        snprintf(v->agg_error, sizeof v->agg_error, "%s", e.msg);
        rebuild(v);
    }
    return VIEW_CH_SEQ | VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

/* -------------------------------------------------------------- choices */

unsigned view_set_pipeline(view_state *v, const char *pipeline, as_error *err)
{
    if (strlen(pipeline) >= VIEW_PIPE_MAX) {
        as_error_set(err, AS_EUSAGE, "pipeline: longer than %d bytes", VIEW_PIPE_MAX - 1);
        return 0;
    }
    if (view_agg_check(pipeline, NULL, err))
        return 0;
    view_choice c = v->ch;
    memset(c.pipeline, 0, sizeof c.pipeline);
    strcpy(c.pipeline, pipeline);
    return change_choice(v, &c, err);
}

unsigned view_set_weight(view_state *v, const char *weight, as_error *err)
{
    if (!weight)
        weight = "";
    if (strlen(weight) >= VIEW_NAME_MAX) {
        as_error_set(err, AS_EUSAGE, "--weight: name too long");
        return 0;
    }
    view_choice c = v->ch;
    memset(c.weight, 0, sizeof c.weight);
    strcpy(c.weight, weight);
    return change_choice(v, &c, err);
}

/* The tensor whose dims the choices are checked against: the focused
 * pane's, else the other one's. */
static const as_tensor *ref_tensor(const view_state *v)
{
    if (v->grid[v->pane].t)
        return v->grid[v->pane].t;
    return v->grid[!v->pane].t;
}

int view_ndim(const view_state *v)
{
    int n = 0;
    for (int p = 0; p < 2; p++)
        if (v->grid[p].t && v->grid[p].t->ndim > n)
            n = v->grid[p].t->ndim;
    return n;
}

size_t view_dim_size(const view_state *v, int dim)
{
    const as_tensor *t = ref_tensor(v);
    if (t && dim >= 0 && dim < t->ndim)
        return t->shape[dim];
    t = v->grid[!v->pane].t;
    return t && dim >= 0 && dim < t->ndim ? t->shape[dim] : 0;
}

/* Rank of the stored tensors of the shown sequence (before the pipeline). */
int view_stored_ndim(const view_state *v)
{
    const as_seq *m = v->agg ? view_agg_meta(v->agg, v->seq) : NULL;
    int n = 0;
    if (m && m->source_attr && m->source_attr->ndim > n)
        n = m->source_attr->ndim;
    if (m && m->target_attr && m->target_attr->ndim > n)
        n = m->target_attr->ndim;
    return n;
}

const char *view_dim_name(const view_state *v, int dim)
{
    const as_seq *s = v->cur.seq;
    int nd = view_ndim(v);
    if (dim >= nd) {
        /* a dim the pipeline reduced: named as the stored tensor names it */
        const as_seq *m = v->agg ? view_agg_meta(v->agg, v->seq) : NULL;
        if (m)
            return attr_dim_name(m->cls, view_stored_ndim(v), dim);
    }
    return attr_dim_name(s ? s->cls : AS_CLS_BASE, nd, dim);
}

/* The pipeline that keeps the extra dims of text: its reducing steps
 * (scores and its functions, default) dropped; "none" when nothing is left.
 * NULL on a parse or allocation failure. */
static char *keeping_pipeline(const char *text)
{
    as_pipeline p;
    as_error e = {0};
    if (pipe_parse(text, &p, NULL, &e))
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < p.nsteps; i++) {
        if (p.steps[i].kind == AS_AGG_SCORES || p.steps[i].kind == AS_AGG_DEFAULT)
            pipe_step_free(&p.steps[i]);
        else
            p.steps[k++] = p.steps[i];
    }
    p.nsteps = k;
    char *r = p.form == AS_PIPE_STEPS && k ? pipe_format(&p) : strdup("none");
    pipe_free(&p);
    return r;
}

unsigned view_keep_extra_dims(view_state *v, int dim, as_error *err)
{
    v->note[0] = '\0';
    int nd = view_ndim(v), stored = view_stored_ndim(v);
    if (dim < nd)
        return 0;
    if (dim >= stored) {
        if (stored <= 2)
            as_error_set(err, AS_EUSAGE, "the attributions are 2D: there are no extra dims");
        else
            as_error_set(err, AS_EUSAGE, "dim %d: the stored tensors have dims 0..%d", dim,
                         stored - 1);
        return 0;
    }
    const char *name = view_dim_name(v, dim);
    if (v->ch.weight[0]) {
        as_error_set(err, AS_EUSAGE,
                     "weighting by '%s' aggregates to 2D first (as inseq's "
                     "weight_attributions), so %s is gone: clear the weight (key w, empty) "
                     "and use the pipeline 'none' (key a, option -a none)",
                     v->ch.weight, name);
        return 0;
    }
    char *keep = keeping_pipeline(v->ch.pipeline);
    if (!keep) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return 0;
    }
    char was[VIEW_PIPE_MAX];
    snprintf(was, sizeof was, "%s", v->ch.pipeline);
    view_choice c = v->ch;
    memset(c.pipeline, 0, sizeof c.pipeline);
    snprintf(c.pipeline, sizeof c.pipeline, "%s", keep);
    free(keep);
    as_error e = {0};
    unsigned ch = change_choice(v, &c, &e);
    if (e.code || view_ndim(v) <= dim) {
        if (!e.code && ch)
            view_undo(v, NULL);
        as_error_set(err, AS_EUSAGE,
                     "the pipeline '%s' reduces %s to 2D: use the pipeline 'none' (key a, "
                     "option -a none) to keep it%s%s",
                     was, name, e.code ? ": " : "", e.code ? e.msg : "");
        return 0;
    }
    snprintf(v->note, sizeof v->note,
             "the pipeline '%s' reduced %s: now '%s', which keeps it (u: back)", was, name,
             v->ch.pipeline);
    return ch;
}

unsigned view_set_show_dim(view_state *v, int dim, as_error *err)
{
    unsigned kept = 0;
    if (dim >= 2 && dim >= view_ndim(v) && view_stored_ndim(v) > dim) {
        kept = view_keep_extra_dims(v, dim, err);
        if (!kept)
            return 0;
    }
    int nd = view_ndim(v);
    if (dim >= 0) {
        if (dim < 2 || dim >= nd) {
            if (nd <= 2)
                as_error_set(err, AS_EUSAGE, "this view has no extra dims to show");
            else
                as_error_set(err, AS_EUSAGE, "dim %d: only dims 2..%d can be shown as columns",
                             dim, nd - 1);
            return 0;
        }
        size_t a, len;
        slice_range(&v->ch.slice[dim], view_dim_size(v, dim), &a, &len);
        if (len > v->max_show_size) {
            as_error_set(err, AS_EUSAGE,
                         "%s has %zu entries, more than max-show-size %zu: slice it first "
                         "(key S or option --slice %d=0:%zu), or raise --max-show-size",
                         view_dim_name(v, dim), len, v->max_show_size, dim,
                         v->max_show_size < len ? v->max_show_size : len);
            return kept;
        }
    } else {
        dim = -1;
    }
    view_choice c = v->ch;
    c.show_dim = dim;
    return change_choice(v, &c, err) | kept;
}

int view_parse_dim(const view_state *v, const char *s, int *dim, as_error *err)
{
    while (isspace((unsigned char)*s))
        s++;
    int nd = view_ndim(v);
    if (view_stored_ndim(v) > nd)
        nd = view_stored_ndim(v);   /* dims the pipeline reduced can be asked for */
    char *end;
    errno = 0;
    long d = strtol(s, &end, 10);
    if (end != s && !*end) {
        if (errno || d < 0 || d >= (nd ? nd : 1) || d >= AS_MAX_DIMS)
            return as_error_set(err, AS_EUSAGE, "dim %s: the tensor has dims 0..%d", s,
                                nd ? nd - 1 : 0);
        *dim = (int)d;
        return AS_OK;
    }
    for (int i = 0; i < nd; i++) {
        if (!strcasecmp(s, view_dim_name(v, i))) {
            *dim = i;
            return AS_OK;
        }
    }
    char names[512] = "";
    for (int i = 0; i < nd; i++) {
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s%d \"%s\"", i ? ", " : "", i,
                 view_dim_name(v, i));
    }
    return as_error_set(err, AS_EUSAGE, "no dim named '%s' (dims: %s)", s,
                        nd ? names : "none");
}

/* The size a slice of dim is checked against: the larger pane's for dims 0
 * and 1 (source and target rows differ), the shared size of extra dims. */
static size_t dim_extent(const view_state *v, int dim)
{
    size_t size = view_dim_size(v, dim);
    if (dim < 2)
        for (int p = 0; p < 2; p++)
            if (v->grid[p].t && v->grid[p].t->shape[dim] > size)
                size = v->grid[p].t->shape[dim];
    return size;
}

static int parse_size(const char *s, size_t n, size_t *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    unsigned long long x = strtoull(buf, &end, 10);
    if (errno || *end || buf[0] == '-' || !isdigit((unsigned char)buf[0]))
        return -1;
    *out = (size_t)x;
    return 0;
}

unsigned view_set_slice_str(view_state *v, const char *spec, as_error *err)
{
    const char *eq = strrchr(spec, '=');
    if (!eq) {
        as_error_set(err, AS_EUSAGE, "slice '%s': expected DIM=A:B", spec);
        return 0;
    }
    char dname[VIEW_NAME_MAX];
    size_t dl = (size_t)(eq - spec);
    if (dl == 0 || dl >= sizeof dname) {
        as_error_set(err, AS_EUSAGE, "slice '%s': expected DIM=A:B", spec);
        return 0;
    }
    memcpy(dname, spec, dl);
    dname[dl] = '\0';
    int dim;
    as_error e = {0};
    if (view_parse_dim(v, dname, &dim, &e)) {
        as_error_set(err, AS_EUSAGE, "slice '%s': %s", spec, e.msg);
        return 0;
    }
    const char *r = eq + 1;
    if (!*r || !strcmp(r, ":"))
        return view_set_slice(v, dim, false, 0, 0, err);
    unsigned kept = 0;
    if (dim >= 2 && dim >= view_ndim(v) && view_stored_ndim(v) > dim) {
        kept = view_keep_extra_dims(v, dim, err);
        if (!kept)
            return 0;
    }
    const char *colon = strchr(r, ':');
    size_t a = 0, b = dim_extent(v, dim);
    bool bad;
    if (colon) {
        bad = (colon > r && parse_size(r, (size_t)(colon - r), &a)) ||
              (colon[1] && parse_size(colon + 1, strlen(colon + 1), &b));
    } else {
        bad = parse_size(r, strlen(r), &a);
        b = a + 1;
    }
    if (bad) {
        as_error_set(err, AS_EUSAGE, "slice '%s': A and B must be non-negative integers", spec);
        return kept;
    }
    return view_set_slice(v, dim, true, a, b, err) | kept;
}

unsigned view_set_slice(view_state *v, int dim, bool on, size_t a, size_t b, as_error *err)
{
    unsigned kept = 0;
    if (on && dim >= 2 && dim >= view_ndim(v) && view_stored_ndim(v) > dim) {
        kept = view_keep_extra_dims(v, dim, err);
        if (!kept)
            return 0;
    }
    int nd = view_ndim(v);
    if (dim < 0 || dim >= nd) {
        as_error_set(err, AS_EUSAGE, "slice: dim %d: the tensor has dims 0..%d", dim,
                     nd ? nd - 1 : 0);
        return kept;
    }
    view_choice c = v->ch;
    if (on) {
        size_t size = dim_extent(v, dim);
        if (!(a < b) || b > size) {
            as_error_set(err, AS_EUSAGE, "slice %d=%zu:%zu: %s has size %zu (need A < B <= %zu)",
                         dim, a, b, view_dim_name(v, dim), size, size);
            return kept;
        }
        c.slice[dim] = (view_slice){.on = true, .a = a, .b = b};
        /* a slider holds an index inside its slice */
        if (dim >= 2)
            v->slider[dim] = clampz(v->slider[dim], a, b - 1);
    } else {
        c.slice[dim] = (view_slice){0};
    }
    return change_choice(v, &c, err) | kept;
}

unsigned view_undo(view_state *v, as_error *err)
{
    if (!v->nundo) {
        as_error_set(err, AS_EUSAGE, "nothing to undo");
        return 0;
    }
    view_choice c = v->undo[v->nundo - 1], now = v->ch;
    if (apply_choice(v, &c, v->seq, err))
        return 0;
    v->nundo--;
    if (v->nredo == VIEW_UNDO_MAX) {
        memmove(v->redo, v->redo + 1, (VIEW_UNDO_MAX - 1) * sizeof v->redo[0]);
        v->nredo--;
    }
    v->redo[v->nredo++] = now;
    return VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

unsigned view_redo(view_state *v, as_error *err)
{
    if (!v->nredo) {
        as_error_set(err, AS_EUSAGE, "nothing to redo");
        return 0;
    }
    view_choice c = v->redo[v->nredo - 1], now = v->ch;
    if (apply_choice(v, &c, v->seq, err))
        return 0;
    v->nredo--;
    push_undo(v, &now);
    return VIEW_CH_GRID | VIEW_CH_RANGE | VIEW_CH_CURSOR | VIEW_CH_SCROLL;
}

/* ------------------------------------------------------------ extra dims */

bool view_is_slider(const view_state *v, int dim)
{
    if (dim < 2 || dim >= view_ndim(v))
        return false;
    for (int p = 0; p < 2; p++)
        if (v->grid[p].t && dim < v->grid[p].t->ndim && v->grid[p].sub_dim != dim)
            return true;
    return false;
}

unsigned view_slider_step(view_state *v, long delta)
{
    int d = v->slider_dim;
    if (d < 0 || !view_is_slider(v, d))
        return 0;
    size_t a, len;
    slice_range(&v->ch.slice[d], view_dim_size(v, d), &a, &len);
    if (!len)
        return 0;
    size_t cur = v->slider[d], next;
    if (delta < 0)
        next = (size_t)-delta > cur - a ? a : cur - (size_t)-delta;
    else
        next = cur + (size_t)delta > a + len - 1 ? a + len - 1 : cur + (size_t)delta;
    if (next == cur)
        return 0;
    v->slider[d] = next;
    rebuild(v);
    return VIEW_CH_GRID | VIEW_CH_RANGE;
}

unsigned view_slider_next_dim(view_state *v)
{
    int span = view_ndim(v) - 2;
    int start = v->slider_dim >= 2 ? v->slider_dim - 2 : -1;
    for (int k = 1; k <= span; k++) {
        int d = 2 + (start + k) % span;
        if (view_is_slider(v, d)) {
            if (d == v->slider_dim)
                return 0;
            v->slider_dim = d;
            return VIEW_CH_GRID;
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- range */

/* The shown cells of pane p, or with slices_range every slider position
 * of its tensor (the slices of dims 0, 1 and show_dim kept). */
static void grid_acc(const view_state *v, int p, range_acc *a)
{
    const view_grid *g = &v->grid[p];
    if (!g->present || !g->t)
        return;
    if (!v->slices_range || g->t->ndim <= 2) {
        for (size_t r = 0; r < g->nrows; r++)
            for (size_t c = 0; c < g->ncols; c++)
                range_acc_add(a, view_cell(v, p, r, c));
        return;
    }
    const as_tensor *t = g->t;
    size_t lo[AS_MAX_DIMS], len[AS_MAX_DIMS], idx[AS_MAX_DIMS], stride[AS_MAX_DIMS];
    size_t st = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        stride[d] = st;
        st *= t->shape[d];
        slice_range(&v->ch.slice[d], t->shape[d], &lo[d], &len[d]);
        idx[d] = 0;
        if (len[d] == 0)
            return;
    }
    for (;;) {
        size_t off = 0;
        for (int d = 0; d < t->ndim; d++)
            off += (lo[d] + idx[d]) * stride[d];
        range_acc_add(a, t->data[off]);
        int d = t->ndim - 1;
        while (d >= 0 && ++idx[d] == len[d])
            idx[d--] = 0;
        if (d < 0)
            break;
    }
}

static void shown_acc(const view_state *v, range_acc *a)
{
    grid_acc(v, VIEW_SRC, a);
    grid_acc(v, VIEW_TGT, a);
}

void view_update_range(view_state *v)
{
    as_range_spec spec = {.mode = v->range_mode, .percentile = v->percentile,
                          .has_min = v->fix_min, .has_max = v->fix_max,
                          .min = v->opt_min, .max = v->opt_max};
    range_acc a;
    range_acc_init(&a, range_needs_values(&spec));
    size_t first = 0, count = 0;
    if (v->global_range && v->agg)
        view_agg_file(v->agg, v->seq, &first, &count);
    if (count > 1) {
        /* every sequence of the file under the same choices, sliders and
         * slices (the other files stay on disk) */
        view_state tmp = *v;
        for (size_t i = first; i < first + count; i++) {
            if (i == v->seq) {
                shown_acc(v, &a);
                continue;
            }
            view_agg_result r;
            if (view_aggregate(v->agg, i, v->ch.pipeline, v->ch.weight, &r, NULL))
                continue;
            tmp.cur = r;
            build_grid(&tmp, VIEW_SRC);
            build_grid(&tmp, VIEW_TGT);
            shown_acc(&tmp, &a);
            view_agg_release(v->agg, &r);
        }
    } else {
        shown_acc(v, &a);
    }
    as_range r = range_resolve(&spec, &a);
    range_acc_free(&a);
    v->vmin = r.lo;
    v->vmax = r.hi;
    v->one_sided = r.one_sided;
}

unsigned view_toggle_global_range(view_state *v)
{
    v->global_range = !v->global_range;
    view_update_range(v);
    return VIEW_CH_RANGE;
}

unsigned view_toggle_slices_range(view_state *v)
{
    v->slices_range = !v->slices_range;
    view_update_range(v);
    return VIEW_CH_RANGE;
}

unsigned view_set_range_mode(view_state *v, as_range_mode m, double percentile)
{
    v->range_mode = m;
    v->percentile = percentile > 0 && percentile <= 100 ? percentile
                                                        : AS_RANGE_DEFAULT_PERCENTILE;
    view_update_range(v);
    return VIEW_CH_RANGE;
}

int view_set_bounds(view_state *v, bool has_min, double min, bool has_max, double max,
                    as_error *err)
{
    if (has_min && has_max && !(min < max))
        return as_error_set(err, AS_EUSAGE, "the minimum %g must be below the maximum %g", min,
                            max);
    if ((has_min && !isfinite(min)) || (has_max && !isfinite(max)))
        return as_error_set(err, AS_EUSAGE, "the bounds must be finite numbers");
    v->fix_min = has_min;
    v->fix_max = has_max;
    v->opt_min = has_min ? min : 0;
    v->opt_max = has_max ? max : 0;
    view_update_range(v);
    return AS_OK;
}

void view_range_label(const view_state *v, char *buf, size_t cap)
{
    as_range_spec spec = {.mode = v->range_mode, .percentile = v->percentile,
                          .has_min = v->fix_min, .has_max = v->fix_max};
    char how[48];
    range_spec_label(&spec, how, sizeof how);
    if (v->fix_min && v->fix_max) {
        snprintf(buf, cap, "%s", how);
        return;
    }
    const char *scope = v->global_range ? "file" : "seq";
    if (v->slices_range && view_ndim(v) > 2)
        snprintf(buf, cap, "%s %s, all slices", how, scope);
    else
        snprintf(buf, cap, "%s %s", how, scope);
}

/* --------------------------------------------------------- derived lists */

size_t view_topk(const view_state *v, int pane, size_t col, size_t k, size_t *rows,
                 double *vals)
{
    const view_grid *g = &v->grid[pane];
    size_t n = 0;
    for (size_t r = 0; r < g->nrows && k; r++) {
        double x = view_cell(v, pane, r, col);
        if (isnan(x))
            continue;
        /* insertion into the sorted top list */
        size_t i = n < k ? n : k;
        if (n == k && !(x > vals[k - 1]))
            continue;
        if (n < k)
            n++;
        else
            i = k - 1;
        while (i > 0 && x > vals[i - 1]) {
            if (i < k) {
                vals[i] = vals[i - 1];
                rows[i] = rows[i - 1];
            }
            i--;
        }
        vals[i] = x;
        rows[i] = r;
    }
    return n;
}

static const char *layout_name(view_layout l)
{
    return l == VIEW_LAYOUT_SRC ? "source" : l == VIEW_LAYOUT_TGT ? "target" : "both";
}

size_t view_snapshot(const view_state *v, char *buf, size_t n)
{
    size_t len = 0;
#define OUT(...)                                                                  \
    do {                                                                          \
        int k_ = snprintf(buf + (len < n ? len : n), len < n ? n - len : 0, __VA_ARGS__); \
        if (k_ > 0)                                                               \
            len += (size_t)k_;                                                    \
    } while (0)
    const as_seq *s = v->cur.seq;
    OUT("seq %zu of %zu class=%s pipeline=\"%s\" weight=\"%s\"\n", v->seq,
        view_nseqs(v), s ? attr_class_short(s->cls) : "-", v->ch.pipeline,
        v->ch.weight);
    if (v->agg_error[0])
        OUT("error: %s\n", v->agg_error);
    OUT("layout=%s pane=%s\n", layout_name(v->layout), v->pane == VIEW_SRC ? "source" : "target");
    for (int p = 0; p < 2; p++) {
        const view_grid *g = &v->grid[p];
        if (!g->present)
            continue;
        char shape[128] = "-";
        if (g->t)
            tensor_shape_str(g->t, shape, sizeof shape);
        OUT("%s: tensor %s rows %zu+%zu cols %zux%zu from (%zu,%zu,%zu)%s\n",
            p == VIEW_SRC ? "source" : "target", shape, g->nrows, g->nsteps, g->ngen, g->nsub,
            g->row0, g->gen0, g->sub0, pane_shown(v, p) ? "" : " hidden");
    }
    OUT("show_dim=");
    if (v->ch.show_dim >= 0)
        OUT("%d", v->ch.show_dim);
    else
        OUT("-");
    OUT(" sliders:");
    int nd = view_ndim(v);
    for (int d = 2; d < nd; d++)
        if (view_is_slider(v, d))
            OUT(" %d=%zu/%zu%s", d, v->slider[d], view_dim_size(v, d),
                d == v->slider_dim ? "*" : "");
    OUT(" slices:");
    for (int d = 0; d < AS_MAX_DIMS; d++)
        if (v->ch.slice[d].on)
            OUT(" %d=%zu:%zu", d, v->ch.slice[d].a, v->ch.slice[d].b);
    OUT("\n");
    OUT("cursor %s row=%zu col=%zu top=%zu/%zu left=%zu value=%.6g\n",
        v->pane == VIEW_SRC ? "source" : "target", v->row[v->pane], v->col, v->top[0],
        v->top[1], v->left, view_cursor_value(v));
    OUT("range=[%.6g, %.6g] %s%s%s%s undo=%zu\n", v->vmin, v->vmax,
        v->global_range ? "global" : "sequence", v->slices_range ? " slices" : "",
        v->range_mode != AS_RANGE_ABS ? " " : "",
        v->range_mode != AS_RANGE_ABS ? range_mode_name(v->range_mode) : "", v->nundo);
    if (v->sort_dir)
        OUT("sorted %s column %zu %s\n", v->sort_pane == VIEW_SRC ? "source" : "target",
            v->sort_col, v->sort_dir < 0 ? "descending" : "ascending");
#undef OUT
    return len;
}
