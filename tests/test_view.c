/* View state tests: the explorer's grid, cursor, dims and choices, driven
 * without a terminal.  Cells are checked against the raw-value goldens
 * (`none` entries of aggregations.json) and against the tensors themselves;
 * whole states are compared as text snapshots. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "pipecomplete.h"
#include "testutil.h"
#include "view.h"

static as_output *load(const char *rel)
{
    as_error e = {0};
    as_output *o = as_load_file(fixture(rel), NULL, &e);
    ck_assert_msg(o != NULL, "loading %s: %s", rel, e.msg);
    return o;
}

static void open_view(view_state *v, const as_output *o, const view_opts *opts)
{
    as_error e = {0};
    int rc = view_open(v, o, opts, &e);
    ck_assert_msg(rc == 0, "view_open: %s", e.msg);
    view_set_viewport(v, 5, 5, 4);
}

static void assert_close(double got, double want, const char *what)
{
    if (isnan(want)) {
        ck_assert_msg(isnan(got), "%s: got %.9g, want NaN", what, got);
        return;
    }
    ck_assert_msg(fabs(got - want) <= 1e-6 * (fabs(want) > 1 ? fabs(want) : 1),
                  "%s: got %.9g, want %.9g", what, got, want);
}

static double jnum(const json_t *j)
{
    return json_is_null(j) ? NAN : json_number_value(j);
}

static json_t *goldens(void)
{
    json_error_t je;
    json_t *g = json_load_file(fixture("golden/aggregations.json"), 0, &je);
    ck_assert_msg(g != NULL, "goldens: %s", je.text);
    return g;
}

/* A golden key split into pipeline, weight and the one sequence it is for:
 * "default --weight probability", "pair with=1 (sequence 0)". */
static void golden_key(const char *key, char *pipe, size_t n, char *weight, size_t wn,
                       long *only)
{
    snprintf(pipe, n, "%s", key);
    weight[0] = '\0';
    *only = -1;
    char *paren = strstr(pipe, " (sequence ");
    if (paren) {
        *only = strtol(paren + 11, NULL, 10);
        *paren = '\0';
    }
    char *w = strstr(pipe, " --weight ");
    if (w) {
        snprintf(weight, wn, "%s", w + 10);
        *w = '\0';
    }
}

/* The view's grids of the shown sequence against one golden sequence:
 * every cell of both panes and every step-score row. */
static int check_golden_seq(view_state *v, json_t *gs, const char *what)
{
    const char *keys[2] = {"source_attributions", "target_attributions"};
    int checked = 0;
    for (int p = 0; p < 2; p++) {
        json_t *m = json_object_get(gs, keys[p]);
        if (json_is_null(m)) {
            ck_assert_msg(v->grid[p].t == NULL, "%s: %s should be absent", what, keys[p]);
            continue;
        }
        ck_assert_msg(v->grid[p].t && v->grid[p].t->ndim == 2, "%s: %s is not 2D", what,
                      keys[p]);
        ck_assert_uint_eq(v->grid[p].nrows, json_array_size(m));
        for (size_t r = 0; r < v->grid[p].nrows; r++) {
            json_t *row = json_array_get(m, r);
            ck_assert_uint_eq(v->grid[p].ncols, json_array_size(row));
            for (size_t c = 0; c < v->grid[p].ncols; c++) {
                char at[256];
                snprintf(at, sizeof at, "%s %s[%zu][%zu]", what, keys[p], r, c);
                assert_close(view_cell(v, p, r, c), jnum(json_array_get(row, c)), at);
                checked++;
            }
        }
        /* step scores are the rows below, in file order */
        json_t *ss = json_object_get(gs, "step_scores");
        ck_assert_uint_eq(v->grid[p].nsteps, json_object_size(ss));
        for (size_t k = 0; k < v->grid[p].nsteps; k++) {
            json_t *vals = json_object_get(ss, view_step_name(v, k));
            ck_assert_msg(vals != NULL, "%s: step %s", what, view_step_name(v, k));
            for (size_t c = 0; c < v->grid[p].ncols; c++)
                assert_close(view_cell(v, p, v->grid[p].nrows + k, c),
                             jnum(json_array_get(vals, c)), "step score");
        }
    }
    /* the shown tokens are the golden's (merged by spans, subwords, ...) */
    const as_seq *s = view_seq(v);
    json_t *tg = json_object_get(gs, "target");
    ck_assert_uint_eq(s->target.n, json_array_size(tg));
    for (size_t i = 0; i < s->target.n; i++)
        ck_assert_str_eq(s->target.v[i].text, json_string_value(json_array_get(tg, i)));
    return checked;
}

/* Every golden of aggregations.json through the view: the pipeline (and
 * weight) as view options, each sequence in turn. */
START_TEST(test_goldens)
{
    json_t *g = goldens();
    const char *name, *key;
    json_t *cases, *seqs;
    int checked = 0, npipes = 0;
    json_object_foreach(g, name, cases) {
        char rel[256];
        snprintf(rel, sizeof rel, "inseq/%s.json", name);
        as_output *o = load(rel);
        json_object_foreach(cases, key, seqs) {
            if (key[0] == '_')
                continue;
            char pipe[256], weight[64], what[512];
            long only;
            golden_key(key, pipe, sizeof pipe, weight, sizeof weight, &only);
            view_opts opts = {.pipeline = pipe, .weight = weight[0] ? weight : NULL};
            view_state v;
            open_view(&v, o, &opts);
            ck_assert_str_eq(v.ch.pipeline, pipe);
            if (only < 0)
                ck_assert_uint_eq(json_array_size(seqs), o->nseqs);
            for (size_t i = 0; i < o->nseqs; i++) {
                if (only >= 0 && (size_t)only != i)
                    continue;
                unsigned long gen = v.cur_gen;
                view_set_seq(&v, i);
                ck_assert_uint_eq(v.seq, i);
                ck_assert(i == 0 || v.cur_gen != gen);
                ck_assert_msg(view_seq(&v) != NULL, "%s %s: %s", name, key, v.agg_error);
                snprintf(what, sizeof what, "%s '%s' seq %zu", name, key, i);
                checked += check_golden_seq(&v, json_array_get(seqs, only >= 0 ? 0 : i), what);
            }
            npipes++;
            view_close(&v);
        }
        attr_output_free(o);
    }
    ck_assert_int_eq(npipes, 27);
    ck_assert_int_gt(checked, 2000);
    json_decref(g);
}
END_TEST

/* Granular (S, T, 24): the slider holds dim 2, show_dim splits columns. */
START_TEST(test_granular_dims)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    const as_tensor *t = o->seqs[0].source_attr;
    ck_assert_int_eq(t->ndim, 3);
    size_t S = t->shape[0], T = t->shape[1], E = t->shape[2];
    view_state v;
    open_view(&v, o, NULL);
    ck_assert_int_eq(view_ndim(&v), 3);
    ck_assert(view_is_slider(&v, 2));
    ck_assert_int_eq(v.slider_dim, 2);
    ck_assert_str_eq(view_dim_name(&v, 2), "Embedding Dimension");
    ck_assert_uint_eq(v.grid[VIEW_SRC].ncols, T);
    /* slider at 0, then 3; the shown sequence stays the same object */
    unsigned long gen = v.cur_gen;
    assert_close(view_cell(&v, VIEW_SRC, 2, 5), t->data[(2 * T + 5) * E + 0], "slider 0");
    ck_assert_uint_eq(view_slider_step(&v, 3), VIEW_CH_GRID | VIEW_CH_RANGE);
    ck_assert_uint_eq(v.cur_gen, gen);
    assert_close(view_cell(&v, VIEW_SRC, 2, 5), t->data[(2 * T + 5) * E + 3], "slider 3");
    ck_assert_uint_eq(view_slider_step(&v, -10), VIEW_CH_GRID | VIEW_CH_RANGE);
    ck_assert_uint_eq(v.slider[2], 0);
    ck_assert_uint_eq(view_slider_step(&v, -1), 0);
    view_slider_step(&v, 1000);
    ck_assert_uint_eq(v.slider[2], E - 1);

    /* 24 > max_show_size 20: refused until sliced */
    as_error e = {0};
    ck_assert_uint_eq(view_set_show_dim(&v, 2, &e), 0);
    ck_assert_msg(strstr(e.msg, "more than max-show-size 20"), "%s", e.msg);
    e = (as_error){0};
    ck_assert_uint_ne(view_set_slice_str(&v, "Embedding Dimension=4:14", &e), 0);
    ck_assert_int_eq(e.code, 0);
    ck_assert_uint_eq(v.slider[2], 13);   /* kept inside the slice */
    ck_assert_uint_ne(view_set_show_dim(&v, 2, &e), 0);
    ck_assert(!view_is_slider(&v, 2));
    ck_assert_uint_eq(v.grid[VIEW_SRC].nsub, 10);
    ck_assert_uint_eq(v.grid[VIEW_SRC].ncols, T * 10);
    for (size_t c = 0; c < T * 10; c += 7) {
        assert_close(view_cell(&v, VIEW_SRC, S - 1, c),
                     t->data[((S - 1) * T + c / 10) * E + 4 + c % 10], "sub-column");
        ck_assert_uint_eq(view_col_gen(&v, VIEW_SRC, c), c / 10);
        ck_assert_uint_eq(view_col_sub(&v, VIEW_SRC, c), 4 + c % 10);
    }
    /* the target pane splits the same way */
    const as_tensor *tt = o->seqs[0].target_attr;
    assert_close(view_cell(&v, VIEW_TGT, 3, 25), tt->data[(3 * T + 2) * E + 4 + 5], "target sub");
    /* undo: show_dim, then the slice */
    ck_assert_uint_eq(v.nundo, 2);
    ck_assert_uint_ne(view_undo(&v, &e), 0);
    ck_assert_int_eq(v.ch.show_dim, -1);
    ck_assert(view_is_slider(&v, 2));
    ck_assert_uint_ne(view_undo(&v, &e), 0);
    ck_assert(!v.ch.slice[2].on);
    ck_assert_uint_eq(view_undo(&v, &e), 0);
    ck_assert_str_eq(e.msg, "nothing to undo");

    /* slices of dims 0 and 1 shift rows and columns */
    e = (as_error){0};
    view_set_slice_str(&v, "0=2:5", &e);
    view_set_slice_str(&v, "Generated Tokens=3:", &e);
    ck_assert_int_eq(e.code, 0);
    ck_assert_uint_eq(v.grid[VIEW_SRC].nrows, 3);
    ck_assert_uint_eq(v.grid[VIEW_SRC].ncols, T - 3);
    ck_assert_uint_eq(view_row_token(&v, VIEW_SRC, 0), 2);
    assert_close(view_cell(&v, VIEW_SRC, 0, 0), t->data[(2 * T + 3) * E + v.slider[2]],
                 "sliced cell");
    /* bad slices */
    ck_assert_uint_eq(view_set_slice_str(&v, "2=5:5", &e), 0);
    ck_assert_msg(strstr(e.msg, "need A < B <= 24"), "%s", e.msg);
    ck_assert_uint_eq(view_set_slice_str(&v, "Nope=1:2", &e), 0);
    ck_assert_msg(strstr(e.msg, "no dim named 'Nope'"), "%s", e.msg);
    ck_assert_uint_eq(view_set_slice_str(&v, "2=a:3", &e), 0);
    ck_assert_msg(strstr(e.msg, "non-negative integers"), "%s", e.msg);
    ck_assert_uint_eq(view_set_slice_str(&v, "7=1:2", &e), 0);
    ck_assert_msg(strstr(e.msg, "dims 0..2"), "%s", e.msg);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Attention (P+G, G, 4 layers, 6 heads), decoder-only: only the target
 * pane; heads as columns by name, the layer slider. */
START_TEST(test_multidim)
{
    as_output *o = load("inseq/deconly_attention_multidim.json");
    const as_tensor *t = o->seqs[0].target_attr;
    ck_assert_int_eq(t->ndim, 4);
    size_t G = t->shape[1], L = t->shape[2], H = t->shape[3];
    view_opts opts = {.show_dim = "attention head", .slices = (const char *[]){"2=1:3"},
                      .nslices = 1};
    view_state v;
    open_view(&v, o, &opts);
    ck_assert_int_eq(v.layout, VIEW_LAYOUT_TGT);
    ck_assert_int_eq(v.pane, VIEW_TGT);
    ck_assert(!v.grid[VIEW_SRC].present);
    ck_assert_int_eq(v.ch.show_dim, 3);
    ck_assert_uint_eq(v.nundo, 0);
    ck_assert_uint_eq(v.grid[VIEW_TGT].ncols, G * H);
    ck_assert_int_eq(v.slider_dim, 2);
    ck_assert_uint_eq(v.slider[2], 1);   /* inside the slice 1:3 */
    assert_close(view_cell(&v, VIEW_TGT, 8, 2 * H + 5), t->data[((8 * G + 2) * L + 1) * H + 5],
                 "layer 1 head 5");
    view_slider_step(&v, 5);
    ck_assert_uint_eq(v.slider[2], 2);
    assert_close(view_cell(&v, VIEW_TGT, 8, 2 * H + 5), t->data[((8 * G + 2) * L + 2) * H + 5],
                 "layer 2 head 5");
    /* without show_dim both dims are sliders; the active one cycles */
    as_error e = {0};
    view_set_show_dim(&v, -1, &e);
    ck_assert(view_is_slider(&v, 2) && view_is_slider(&v, 3));
    ck_assert_uint_eq(v.grid[VIEW_TGT].ncols, G);
    ck_assert_uint_eq(view_slider_next_dim(&v), VIEW_CH_GRID);
    ck_assert_int_eq(v.slider_dim, 3);
    view_slider_step(&v, 4);
    ck_assert_uint_eq(view_slider_next_dim(&v), VIEW_CH_GRID);
    ck_assert_int_eq(v.slider_dim, 2);
    assert_close(view_cell(&v, VIEW_TGT, 9, 3), t->data[((9 * G + 3) * L + 2) * H + 4],
                 "layer 2 head 4");
    /* dims 0, 1 cannot be columns; layouts without a source pane */
    ck_assert_uint_eq(view_set_show_dim(&v, 1, &e), 0);
    ck_assert_msg(strstr(e.msg, "only dims 2..3"), "%s", e.msg);
    ck_assert_uint_eq(view_cycle_layout(&v), 0);
    ck_assert_uint_eq(view_set_layout(&v, VIEW_LAYOUT_BOTH), 0);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Cursor moves, scrolling, pages, panes stacked. */
START_TEST(test_moves)
{
    as_output *o = load("inseq/encdec_occlusion_coarse.json");
    view_state v;
    open_view(&v, o, NULL);   /* viewport 5 rows per pane, 4 columns */
    ck_assert_int_eq(v.layout, VIEW_LAYOUT_BOTH);
    size_t S = v.grid[VIEW_SRC].nrows, T = v.grid[VIEW_TGT].ncols;
    ck_assert_uint_eq(S, 10);
    ck_assert_uint_eq(T, 11);
    ck_assert_uint_eq(v.grid[VIEW_SRC].nsteps, 1);
    ck_assert_uint_eq(view_move(&v, 0, 1), VIEW_CH_CURSOR);
    ck_assert_uint_eq(view_move(&v, 0, 3), VIEW_CH_CURSOR | VIEW_CH_SCROLL);
    ck_assert_uint_eq(v.left, 1);
    ck_assert_uint_eq(view_move(&v, 0, -10), VIEW_CH_CURSOR | VIEW_CH_SCROLL);
    ck_assert_uint_eq(v.col, 0);
    ck_assert_uint_eq(view_move(&v, 0, -1), 0);
    ck_assert_uint_eq(view_home(&v, false, true), VIEW_CH_CURSOR | VIEW_CH_SCROLL);
    ck_assert_uint_eq(v.col, T - 1);
    ck_assert_uint_eq(v.left, T - 4);
    /* down through the source rows and its step row into the target pane */
    view_move(&v, S, 0);
    ck_assert_int_eq(v.pane, VIEW_SRC);
    ck_assert_uint_eq(v.row[VIEW_SRC], S);   /* the probability row */
    ck_assert_str_eq(view_step_name(&v, 0), "probability");
    assert_close(view_cursor_value(&v), o->seqs[0].step_scores.v[0].t->data[T - 1], "step");
    view_move(&v, 1, 0);
    ck_assert_int_eq(v.pane, VIEW_TGT);
    ck_assert_uint_eq(v.row[VIEW_TGT], 0);
    view_move(&v, -1, 0);
    ck_assert_int_eq(v.pane, VIEW_SRC);
    ck_assert_uint_eq(v.row[VIEW_SRC], S);
    /* pages move by the viewport less one */
    view_home(&v, true, false);
    ck_assert_uint_eq(v.row[VIEW_SRC], 0);
    view_page(&v, 1);
    ck_assert_uint_eq(v.row[VIEW_SRC], 4);
    ck_assert_uint_eq(v.top[VIEW_SRC], 4);
    view_page(&v, 1);
    view_page(&v, 1);
    ck_assert_uint_eq(v.row[VIEW_SRC], S);
    ck_assert_uint_eq(v.top[VIEW_SRC], S + 1 - 5);
    view_home(&v, true, true);
    ck_assert_int_eq(v.pane, VIEW_TGT);
    ck_assert_uint_eq(v.row[VIEW_TGT], 11);
    /* a larger viewport pulls the window back so no rows are wasted */
    view_set_viewport(&v, 50, 50, 50);
    ck_assert_uint_eq(v.top[VIEW_TGT], 0);
    ck_assert_uint_eq(v.left, 0);
    /* layouts cycle source -> target -> both */
    ck_assert_uint_ne(view_cycle_layout(&v), 0);
    ck_assert_int_eq(v.layout, VIEW_LAYOUT_SRC);
    ck_assert_int_eq(v.pane, VIEW_SRC);
    view_move(&v, 100, 0);
    ck_assert_int_eq(v.pane, VIEW_SRC);   /* no pane below when alone */
    view_cycle_layout(&v);
    ck_assert_int_eq(v.layout, VIEW_LAYOUT_TGT);
    view_cycle_layout(&v);
    ck_assert_int_eq(v.layout, VIEW_LAYOUT_BOTH);
    /* extremes of a row and a column */
    view_goto(&v, VIEW_SRC, 6, 3);
    view_jump_extreme(&v, true, true);
    ck_assert_uint_eq(v.col, 0);   /* 6.564 is row 6's max */
    view_jump_extreme(&v, false, false);
    ck_assert_uint_eq(v.row[VIEW_SRC], 1);   /* -2.843 is column 0's min */
    /* the target triangle: NaN cells are skipped */
    view_goto(&v, VIEW_TGT, 10, 0);
    ck_assert_uint_eq(view_jump_extreme(&v, true, true), 0);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Color range: symmetric max(0, nanmax) over what is shown, fixed bounds,
 * per sequence or global. */
START_TEST(test_range)
{
    as_output *o = load("inseq/encdec_pair_coarse.json");
    ck_assert_uint_eq(o->nseqs, 2);
    view_state v;
    open_view(&v, o, NULL);
    double mx[2] = {0, 0};
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_tensor *ts[2] = {o->seqs[i].source_attr, o->seqs[i].target_attr};
        for (int k = 0; k < 2; k++)
            for (size_t j = 0; ts[k] && j < tensor_numel(ts[k]); j++)
                if (fabs(ts[k]->data[j]) > mx[i])   /* the largest |v| */
                    mx[i] = fabs(ts[k]->data[j]);
    }
    assert_close(v.vmax, mx[0], "vmax seq 0");
    assert_close(v.vmin, -mx[0], "vmin seq 0");
    view_set_seq(&v, 1);
    assert_close(v.vmax, mx[1], "vmax seq 1");
    ck_assert(mx[0] != mx[1]);
    ck_assert_uint_eq(view_toggle_global_range(&v), VIEW_CH_RANGE);
    assert_close(v.vmax, fmax(mx[0], mx[1]), "global");
    view_close(&v);

    view_opts opts = {.has_max = true, .max = 2.5};
    open_view(&v, o, &opts);
    assert_close(v.vmax, 2.5, "fixed max");
    assert_close(v.vmin, -2.5, "min follows a fixed max");
    view_close(&v);
    opts = (view_opts){.has_min = true, .min = -1};
    open_view(&v, o, &opts);
    assert_close(v.vmax, mx[0], "max from data");
    assert_close(v.vmin, -1, "fixed min");
    view_close(&v);
    opts = (view_opts){.has_min = true, .min = 3, .has_max = true, .max = 1};
    as_error e = {0};
    ck_assert_int_eq(view_open(&v, o, &opts, &e), AS_EUSAGE);
    ck_assert_str_eq(e.msg, "--min 3 must be below --max 1");
    attr_output_free(o);
}
END_TEST

/* Pipeline and weight changes: results, errors that leave the view as it
 * was (parse errors with their place, data errors naming the step), undo,
 * the class default equal to its expansion. */
START_TEST(test_pipeline_changes)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    open_view(&v, o, NULL);
    ck_assert(view_seq(&v) == &o->seqs[0]);   /* none: the file's own sequence */
    as_error e = {0};
    ck_assert_uint_ne(view_set_pipeline(&v, "default", &e), 0);
    ck_assert_str_eq(v.ch.pipeline, "default");
    ck_assert_int_eq(view_ndim(&v), 2);
    double d = view_cell(&v, VIEW_SRC, 3, 4);
    ck_assert_uint_eq(view_set_pipeline(&v, "default", &e), 0);   /* no change */
    ck_assert_uint_ne(view_set_pipeline(&v, "vnorm", &e), 0);
    ck_assert(view_cell(&v, VIEW_SRC, 3, 4) == d);   /* default is vnorm for granular */
    /* a parse error: the message and where it is */
    ck_assert_uint_eq(view_set_pipeline(&v, "vnorm | spans foo=1", &e), 0);
    ck_assert_str_eq(e.msg, "pipeline: step 2 'spans': unknown key 'foo'; expected one of "
                            "source_spans, target_spans");
    as_pipe_errpos pos;
    ck_assert(view_agg_error_pos("vnorm | spans foo=1", e.msg, &pos));
    ck_assert_uint_eq(pos.step, 2);
    ck_assert_uint_eq(pos.offset, 14);
    ck_assert_uint_eq(pos.len, 3);
    ck_assert_str_eq(v.ch.pipeline, "vnorm");
    /* a data error: the step's text is the place */
    e = (as_error){0};
    ck_assert_uint_eq(view_set_pipeline(&v, "vnorm | spans source_spans=2:50", &e), 0);
    ck_assert_msg(strstr(e.msg, "step 2 'spans': source_spans: span 2:50 goes past the end"),
                  "%s", e.msg);
    ck_assert(view_agg_error_pos("vnorm | spans source_spans=2:50", e.msg, &pos));
    ck_assert_uint_eq(pos.step, 2);
    ck_assert_uint_eq(pos.offset, 8);
    ck_assert_uint_eq(pos.len, strlen("spans source_spans=2:50"));
    ck_assert(!view_agg_error_pos("vnorm", "out of memory", &pos));
    ck_assert(view_cell(&v, VIEW_SRC, 3, 4) == d);
    /* weight: an unknown step score is refused, probability applies (after
     * the class default, so with `default`; vnorm on the weighted 2D result
     * has nothing left to reduce) */
    e = (as_error){0};
    ck_assert_uint_eq(view_set_weight(&v, "probability", &e), 0);
    ck_assert_msg(strstr(e.msg, "no extra dimension to reduce"), "%s", e.msg);
    ck_assert_uint_ne(view_set_pipeline(&v, "default", &e), 0);
    e = (as_error){0};
    ck_assert_uint_eq(view_set_weight(&v, "nope", &e), 0);
    ck_assert_msg(strstr(e.msg, "no step score 'nope'"), "%s", e.msg);
    ck_assert_str_eq(v.ch.weight, "");
    e = (as_error){0};
    ck_assert_uint_ne(view_set_weight(&v, "probability", &e), 0);
    ck_assert_int_eq(e.code, 0);
    const as_tensor *p = attr_scores_get(&o->seqs[0].step_scores, "probability");
    assert_close(view_cell(&v, VIEW_SRC, 3, 4), d * p->data[4], "weighted");
    /* undo: weight, default, vnorm, default, back to none */
    ck_assert_uint_eq(v.nundo, 4);
    ck_assert_uint_ne(view_undo(&v, &e), 0);
    ck_assert_str_eq(v.ch.weight, "");
    ck_assert_str_eq(v.ch.pipeline, "default");
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "vnorm");
    view_undo(&v, &e);
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "none");
    ck_assert(view_seq(&v) == &o->seqs[0]);
    view_close(&v);
    view_opts opts = {.pipeline = "zzz"};
    ck_assert_int_eq(view_open(&v, o, &opts, &e), AS_EUSAGE);
    ck_assert_msg(!strncmp(e.msg, "pipeline: step 1: unknown step 'zzz'", 36), "%s", e.msg);
    /* 2D data cannot be reduced: a data error at open */
    e = (as_error){0};
    opts = (view_opts){.pipeline = "sum | sum"};
    ck_assert_int_ne(view_open(&v, o, &opts, &e), 0);
    ck_assert_msg(strstr(e.msg, "no extra dimension to reduce"), "%s", e.msg);
    attr_output_free(o);
}
END_TEST

/* A dim the pipeline reduced, asked for by show_dim or a slice: the view
 * switches to the pipeline without its reducing steps and says so; with a
 * weight it says what to do instead. */
START_TEST(test_keep_extra_dims)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    view_opts opts = {.pipeline = "default"};
    as_error e = {0};
    ck_assert_int_eq(view_open(&v, o, &opts, &e), 0);
    ck_assert_int_eq(view_ndim(&v), 2);
    ck_assert_int_eq(view_stored_ndim(&v), 3);
    int d = -1;
    ck_assert_int_eq(view_parse_dim(&v, "embedding dimension", &d, &e), 0);
    ck_assert_int_eq(d, 2);
    ck_assert_uint_ne(view_set_slice_str(&v, "2=0:4", &e), 0);
    ck_assert_int_eq(e.code, 0);
    ck_assert_str_eq(v.ch.pipeline, "none");
    ck_assert_int_eq(view_ndim(&v), 3);
    ck_assert(v.ch.slice[2].on && v.ch.slice[2].a == 0 && v.ch.slice[2].b == 4);
    ck_assert_str_eq(v.note, "the pipeline 'default' reduced Embedding Dimension: now 'none', "
                             "which keeps it (u: back)");
    ck_assert_uint_ne(view_set_show_dim(&v, 2, &e), 0);
    ck_assert_uint_eq(v.grid[VIEW_SRC].nsub, 4);
    /* undo: show_dim, slice, then the pipeline */
    view_undo(&v, &e);
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "none");
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "default");
    /* a partial pipeline keeps its other steps */
    ck_assert_uint_ne(view_set_pipeline(&v, "vnorm | subwords", &e), 0);
    ck_assert_uint_ne(view_set_slice_str(&v, "Embedding Dimension=3:9", &e), 0);
    ck_assert_str_eq(v.ch.pipeline, "subwords");
    ck_assert_int_eq(view_ndim(&v), 3);
    /* too large: names the key and the option */
    view_set_slice_str(&v, "2=", &e);   /* the whole dim again */
    e = (as_error){0};
    ck_assert_uint_eq(view_set_show_dim(&v, 2, &e), 0);
    ck_assert_msg(strstr(e.msg, "more than max-show-size 20: slice it first (key S or option "
                                "--slice 2=0:20)"), "%s", e.msg);
    view_close(&v);
    /* a weight makes it 2D whatever the pipeline: say what to do */
    opts = (view_opts){.pipeline = "default", .weight = "probability"};
    ck_assert_int_eq(view_open(&v, o, &opts, &e), 0);
    e = (as_error){0};
    ck_assert_uint_eq(view_set_show_dim(&v, 2, &e), 0);
    ck_assert_msg(strstr(e.msg, "clear the weight") && strstr(e.msg, "pipeline 'none'"), "%s",
                  e.msg);
    ck_assert_str_eq(v.ch.pipeline, "default");
    view_close(&v);
    /* coarse data has nothing to keep */
    as_output *c = load("inseq/encdec_occlusion_coarse.json");
    opts = (view_opts){.pipeline = "default"};
    ck_assert_int_eq(view_open(&v, c, &opts, &e), 0);
    e = (as_error){0};
    ck_assert_uint_eq(view_set_show_dim(&v, 2, &e), 0);
    ck_assert_int_eq(e.code, AS_EUSAGE);
    view_close(&v);
    attr_output_free(c);
    attr_output_free(o);
}
END_TEST

/* With a cache bound of one byte every result but the held ones is evicted
 * at once: the shown result must survive scanning every sequence for the
 * global range and switching back and forth (the sanitizer build checks the
 * memory). */
START_TEST(test_cache_pressure)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    json_t *g = goldens();
    json_t *want = json_object_get(json_object_get(g, "encdec_ig_granular"), "vnorm | subwords");
    view_opts opts = {.pipeline = "vnorm | subwords", .agg_cache_bytes = 1};
    view_state v;
    open_view(&v, o, &opts);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < o->nseqs; i++) {
            view_set_seq(&v, i);
            view_toggle_global_range(&v);
            check_golden_seq(&v, json_array_get(want, i), "under pressure");
            view_set_pipeline(&v, round == 1 ? "sum | subwords" : "vnorm | subwords", NULL);
            view_undo(&v, NULL);
            check_golden_seq(&v, json_array_get(want, i), "after undo");
        }
    }
    view_close(&v);
    json_decref(g);
    attr_output_free(o);
}
END_TEST

START_TEST(test_topk)
{
    as_output *o = load("inseq/encdec_occlusion_coarse.json");
    view_state v;
    open_view(&v, o, NULL);
    size_t rows[3];
    double vals[3];
    ck_assert_uint_eq(view_topk(&v, VIEW_SRC, 0, 3, rows, vals), 3);
    /* column 0: 6.564 (row 6), 1.456 (row 0), 0.877 (row 5) */
    ck_assert_uint_eq(rows[0], 6);
    ck_assert_uint_eq(rows[1], 0);
    ck_assert_uint_eq(rows[2], 5);
    ck_assert(vals[0] >= vals[1] && vals[1] >= vals[2]);
    /* target column 0 is all NaN */
    ck_assert_uint_eq(view_topk(&v, VIEW_TGT, 0, 3, rows, vals), 0);
    ck_assert_uint_eq(view_topk(&v, VIEW_TGT, 1, 3, rows, vals), 1);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* o: largest first, smallest first, then the file's order; the cursor
 * keeps its token; the order follows data changes. */
START_TEST(test_sort_rows)
{
    as_output *o = load("inseq/encdec_occlusion_coarse.json");
    view_state v;
    open_view(&v, o, NULL);
    const view_grid *g = &v.grid[VIEW_SRC];
    size_t n = g->nrows;
    ck_assert_uint_ge(n, 7);
    double orig[64];
    for (size_t r = 0; r < n; r++)
        orig[r] = view_cell(&v, VIEW_SRC, r, 0);
    view_goto(&v, VIEW_SRC, 6, 0);   /* the largest of column 0 */
    ck_assert_uint_ne(view_sort_cycle(&v), 0);
    ck_assert_int_eq(v.sort_dir, -1);
    ck_assert_uint_eq(view_row_token(&v, VIEW_SRC, 0), 6);
    ck_assert_uint_eq(view_row_token(&v, VIEW_SRC, 1), 0);
    ck_assert_uint_eq(v.row[VIEW_SRC], 0);   /* still on token 6 */
    for (size_t r = 0; r < n; r++) {
        size_t tok = view_row_token(&v, VIEW_SRC, r);
        assert_close(view_cell(&v, VIEW_SRC, r, 0), orig[tok], "sorted cell");
        if (r)
            ck_assert(view_cell(&v, VIEW_SRC, r - 1, 0) >= view_cell(&v, VIEW_SRC, r, 0));
        ck_assert_uint_eq(view_row_of(&v, VIEW_SRC, tok), r);
    }
    /* step rows stay below, unsorted */
    if (g->nsteps)
        ck_assert(!isnan(view_cell(&v, VIEW_SRC, n, 0)) || isnan(view_cell(&v, VIEW_SRC, n, 0)));
    char buf[2048];
    view_snapshot(&v, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "sorted source column 0 descending"), "%s", buf);
    view_sort_cycle(&v);
    ck_assert_int_eq(v.sort_dir, 1);
    for (size_t r = 1; r < n; r++)
        ck_assert(view_cell(&v, VIEW_SRC, r - 1, 0) <= view_cell(&v, VIEW_SRC, r, 0));
    ck_assert_uint_eq(view_row_token(&v, VIEW_SRC, n - 1), 6);
    ck_assert_uint_eq(v.row[VIEW_SRC], n - 1);
    view_sort_cycle(&v);
    ck_assert_int_eq(v.sort_dir, 0);
    for (size_t r = 0; r < n; r++) {
        ck_assert_uint_eq(view_row_token(&v, VIEW_SRC, r), r);
        assert_close(view_cell(&v, VIEW_SRC, r, 0), orig[r], "restored");
    }
    ck_assert_uint_eq(v.row[VIEW_SRC], 6);
    /* another column starts again from largest first, and a pipeline
     * change re-sorts by the same column */
    view_goto(&v, VIEW_SRC, 0, 1);
    view_sort_cycle(&v);
    ck_assert_int_eq(v.sort_dir, -1);
    ck_assert_uint_eq(v.sort_col, 1);
    as_error e = {0};
    ck_assert_uint_ne(view_set_slice_str(&v, "0=1:", &e), 0);
    ck_assert_int_eq(v.sort_dir, -1);
    for (size_t r = 1; r < v.grid[VIEW_SRC].nrows; r++) {
        double a = view_cell(&v, VIEW_SRC, r - 1, 1), b = view_cell(&v, VIEW_SRC, r, 1);
        ck_assert(isnan(b) || a >= b);
    }
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Redo applies what undo took back; a new change clears it. */
START_TEST(test_redo)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    open_view(&v, o, NULL);
    as_error e = {0};
    ck_assert_uint_eq(view_redo(&v, &e), 0);
    ck_assert_str_eq(e.msg, "nothing to redo");
    e = (as_error){0};
    view_set_pipeline(&v, "default", &e);
    view_set_weight(&v, "probability", &e);
    ck_assert_int_eq(e.code, 0);
    view_undo(&v, &e);
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "none");
    ck_assert_uint_eq(v.nredo, 2);
    ck_assert_uint_ne(view_redo(&v, &e), 0);
    ck_assert_str_eq(v.ch.pipeline, "default");
    ck_assert_str_eq(v.ch.weight, "");
    ck_assert_uint_ne(view_redo(&v, &e), 0);
    ck_assert_str_eq(v.ch.weight, "probability");
    ck_assert_uint_eq(v.nundo, 2);
    ck_assert_uint_eq(view_redo(&v, &e), 0);
    /* undo, then a new change: nothing to redo */
    e = (as_error){0};
    view_undo(&v, &e);
    ck_assert_uint_eq(v.nredo, 1);
    view_set_pipeline(&v, "vnorm", &e);
    ck_assert_int_eq(e.code, 0);
    ck_assert_uint_eq(v.nredo, 0);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* The wheel scrolls the window; the cursor stays inside it. */
START_TEST(test_scroll)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    open_view(&v, o, NULL);   /* 5 rows, 4 columns visible */
    size_t n = v.grid[VIEW_SRC].nrows + v.grid[VIEW_SRC].nsteps;
    ck_assert_uint_gt(n, 5);
    ck_assert_uint_ne(view_scroll(&v, VIEW_SRC, 3, 0), 0);
    ck_assert_uint_eq(v.top[VIEW_SRC], 3);
    ck_assert_uint_eq(v.row[VIEW_SRC], 3);
    view_scroll(&v, VIEW_SRC, 1000, 2);
    ck_assert_uint_eq(v.top[VIEW_SRC], n - 5);
    ck_assert_uint_eq(v.row[VIEW_SRC], n - 5);
    ck_assert_uint_eq(v.left, 2);
    ck_assert_uint_eq(v.col, 2);
    view_scroll(&v, VIEW_SRC, -1000, -1000);
    ck_assert_uint_eq(v.top[VIEW_SRC], 0);
    ck_assert_uint_eq(v.row[VIEW_SRC], 4);   /* the last row of the window */
    ck_assert_uint_eq(v.left, 0);
    ck_assert_uint_eq(v.col, 2);
    /* the other pane gets the focus */
    view_scroll(&v, VIEW_TGT, 1, 0);
    ck_assert_int_eq(v.pane, VIEW_TGT);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Whole states as text. */
START_TEST(test_snapshots)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    open_view(&v, o, NULL);
    char buf[2048];
    view_move(&v, 2, 5);
    view_slider_step(&v, 7);
    view_snapshot(&v, buf, sizeof buf);
    char want[2048];
    snprintf(want, sizeof want,
             "seq 0 of 2 class=granular pipeline=\"none\" weight=\"\"\n"
             "layout=both pane=source\n"
             "source: tensor (10, 11, 24) rows 10+2 cols 11x1 from (0,0,0)\n"
             "target: tensor (11, 11, 24) rows 11+2 cols 11x1 from (0,0,0)\n"
             "show_dim=- sliders: 2=7/24* slices:\n"
             "cursor source row=2 col=5 top=0/0 left=2 value=%.6g\n"
             "range=[%.6g, %.6g] sequence undo=0\n",
             view_cursor_value(&v), v.vmin, v.vmax);
    ck_assert_str_eq(buf, want);
    ck_assert(view_cursor_value(&v) == o->seqs[0].source_attr->data[(2 * 11 + 5) * 24 + 7]);
    as_error e = {0};
    view_set_slice_str(&v, "2=0:6", &e);
    view_set_show_dim(&v, 2, &e);
    view_set_seq(&v, 1);
    view_cycle_layout(&v);
    view_snapshot(&v, buf, sizeof buf);
    const as_tensor *t = o->seqs[1].source_attr;
    snprintf(want, sizeof want,
             "seq 1 of 2 class=granular pipeline=\"none\" weight=\"\"\n"
             "layout=source pane=source\n"
             "source: tensor (%zu, %zu, 24) rows %zu+2 cols %zux6 from (0,0,0)\n"
             "target: tensor (%zu, %zu, 24) rows %zu+2 cols %zux6 from (0,0,0) hidden\n"
             "show_dim=2 sliders: slices: 2=0:6\n"
             "cursor source row=2 col=5 top=0/0 left=2 value=%.6g\n"
             "range=[%.6g, %.6g] sequence undo=2\n",
             t->shape[0], t->shape[1], t->shape[0], t->shape[1], t->shape[1], t->shape[1],
             t->shape[1], t->shape[1], (double)t->data[(2 * t->shape[1] + 0) * 24 + 5], v.vmin,
             v.vmax);
    ck_assert_str_eq(buf, want);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Reload keeps the choices and clamps the cursor. */
START_TEST(test_replace_output)
{
    as_output *o = load("inseq/encdec_ig_granular.json");
    view_state v;
    open_view(&v, o, NULL);
    as_error e = {0};
    view_set_seq(&v, 1);
    view_set_slice_str(&v, "2=0:5", &e);
    view_goto(&v, VIEW_SRC, 3, 4);
    as_output *o2 = load("inseq/encdec_ig_granular_split_0.json");
    ck_assert_uint_ne(view_replace_output(&v, o2), 0);
    attr_output_free(o);
    ck_assert_uint_eq(v.seq, 0);
    ck_assert(v.ch.slice[2].on);
    ck_assert_uint_eq(v.row[VIEW_SRC], 3);
    ck_assert_uint_eq(v.col, 4);
    ck_assert(view_seq(&v) == &o2->seqs[0]);
    view_close(&v);
    attr_output_free(o2);
}
END_TEST

/* The golden sequence of a case and key. */
static json_t *golden_seq(json_t *g, const char *name, const char *key, size_t i)
{
    json_t *seqs = json_object_get(json_object_get(g, name), key);
    ck_assert_msg(seqs != NULL, "no golden %s '%s'", name, key);
    return json_array_get(seqs, i);
}

/* Many files as one list of sequences through a catalog that keeps only
 * the file in use loaded: sequences cross files, each file is aggregated
 * with its own class default, pair counts within its file, the global
 * range stays within the file, search, reload (the sanitizer build checks
 * that nothing freed by the catalog is used). */
START_TEST(test_catalog_view)
{
    json_t *g = goldens();
    const char *rel[] = {"inseq/encdec_ig_granular_split_0.json",
                         "inseq/encdec_occlusion_coarse.json",
                         "inseq/encdec_ig_granular_split_1.json",
                         "inseq/encdec_pair_coarse.json"};
    char *paths[4];
    for (int i = 0; i < 4; i++)
        paths[i] = strdup(fixture(rel[i]));
    as_error e = {0};
    as_catalog *c = catalog_new((const char *const *)paths, 4, 1, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 1);   /* the first file only */
    view_state v;
    view_opts opts = {.pipeline = "default"};
    ck_assert_int_eq(view_open_catalog(&v, c, &opts, &e), 0);
    view_set_viewport(&v, 5, 5, 4);
    ck_assert_uint_eq(view_nseqs(&v), 1);
    check_golden_seq(&v, golden_seq(g, "encdec_ig_granular", "default", 0), "file 0");
    ck_assert_uint_eq(view_set_seq(&v, 1), 0);   /* not listed yet */
    while (catalog_skim_step(c, NULL, &e) > 0)
        ;
    ck_assert_uint_eq(view_nseqs(&v), 5);
    /* across files: each with its class default */
    ck_assert_uint_ne(view_set_seq(&v, 1), 0);
    ck_assert_str_eq(attr_class_short(view_seq(&v)->cls), "coarse");
    check_golden_seq(&v, golden_seq(g, "encdec_occlusion_coarse", "none", 0), "file 1");
    view_set_seq(&v, 2);
    check_golden_seq(&v, golden_seq(g, "encdec_ig_granular", "default", 1), "file 2");
    size_t first, count;
    ck_assert_uint_eq(view_agg_file(v.agg, 4, &first, &count), 3);
    ck_assert_uint_eq(first, 3);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(view_agg_file_path(v.agg, 3), paths[3]);
    ck_assert_int_eq(view_agg_token_mode(v.agg, 4), TOKENS_SENTENCEPIECE);
    /* pair: with=1 is the other sequence of the same file */
    view_set_seq(&v, 3);
    ck_assert_uint_ne(view_set_pipeline(&v, "pair with=1", &e), 0);
    check_golden_seq(&v, golden_seq(g, "encdec_pair_coarse", "pair with=1 (sequence 0)", 0),
                     "pair in file 3");
    /* the global range covers the file's two sequences, not the others */
    view_set_pipeline(&v, "default", &e);
    view_toggle_global_range(&v);
    double both = v.vmax;
    view_toggle_global_range(&v);
    double one = v.vmax;
    view_set_seq(&v, 4);
    double other = v.vmax;
    ck_assert(both == fmax(one, other));
    /* a file with one sequence has no sequence 1 to pair with */
    view_set_pipeline(&v, "pair with=1", &e);
    ck_assert_uint_ne(view_set_seq(&v, 0), 0);
    ck_assert(view_seq(&v) == NULL);
    ck_assert_msg(strstr(v.agg_error, "there is no sequence 1"), "%s", v.agg_error);
    view_undo(&v, &e);
    ck_assert_str_eq(v.ch.pipeline, "default");
    check_golden_seq(&v, golden_seq(g, "encdec_ig_granular", "default", 0), "back to file 0");
    /* search: the token text, raw or decoded */
    ck_assert_int_eq(view_agg_find(v.agg, 0, "planet", false), 4);
    ck_assert_int_eq(view_agg_find(v.agg, 4, "oggi", true), 4);
    ck_assert_int_eq(view_agg_find(v.agg, 0, "nowhere at all", false), -1);
    /* reload */
    view_set_seq(&v, 2);
    view_detach(&v);
    ck_assert(view_seq(&v) == NULL);
    catalog_reload(c, false);
    while (catalog_skim_step(c, NULL, &e) > 0)
        ;
    ck_assert_uint_ne(view_reattach(&v), 0);
    ck_assert_uint_eq(v.seq, 2);
    check_golden_seq(&v, golden_seq(g, "encdec_ig_granular", "default", 1), "after reload");
    view_close(&v);
    catalog_free(c);
    for (int i = 0; i < 4; i++)
        free(paths[i]);
    json_decref(g);
}
END_TEST

/* The single-output source answers the same questions. */
START_TEST(test_output_source)
{
    as_output *o = load("inseq/encdec_pair_coarse.json");
    view_state v;
    open_view(&v, o, NULL);
    ck_assert_uint_eq(view_nseqs(&v), 2);
    size_t first, count;
    ck_assert_uint_eq(view_agg_file(v.agg, 1, &first, &count), 0);
    ck_assert_uint_eq(first, 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(view_agg_nfiles(v.agg), 1);
    ck_assert_str_eq(view_agg_file_path(v.agg, 0), o->files[0]);
    ck_assert(view_agg_info(v.agg, 0) == o->info);
    ck_assert(view_agg_meta(v.agg, 1) == &o->seqs[1]);
    ck_assert(view_agg_meta(v.agg, 2) == NULL);
    ck_assert(view_agg_loaded(v.agg) == o);
    ck_assert_int_eq(view_agg_token_mode(v.agg, 0), TOKENS_SENTENCEPIECE);
    ck_assert_int_eq(view_agg_find(v.agg, 0, "PLANET", false), 1);
    ck_assert_int_eq(view_agg_find(v.agg, 1, "today", true), 1);
    ck_assert_int_eq(view_agg_find(v.agg, 0, "zzzz", false), -1);
    view_close(&v);
    attr_output_free(o);
}
END_TEST

/* Pipeline completion: steps, functions, keys, closed value sets. */
START_TEST(test_completion)
{
    pcomp c;
    char line[128] = "vn";
    pcomp_run(line, 2, &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert_uint_eq(c.ncand, 1);
    ck_assert_uint_eq(pcomp_apply(&c, -1, line, sizeof line), 6);
    ck_assert_str_eq(line, "vnorm ");
    strcpy(line, "vnorm | s");
    pcomp_run(line, strlen(line), &c);
    ck_assert_int_eq(c.kind, PCOMP_STEP);
    ck_assert_uint_ge(c.ncand, 5);   /* scores sum spans subwords split slices */
    ck_assert_uint_eq(c.common, 1);
    strcpy(line, "vnorm | spans:a");
    pcomp_run(line, strlen(line), &c);
    ck_assert_int_eq(c.kind, PCOMP_FN);
    ck_assert_str_eq(c.step, "spans");
    pcomp_apply(&c, -1, line, sizeof line);
    ck_assert_str_eq(line, "vnorm | spans:absmax ");
    strcpy(line, "vnorm | spans:absmax sou");
    pcomp_run(line, strlen(line), &c);
    ck_assert_int_eq(c.kind, PCOMP_KEY);
    ck_assert_str_eq(c.step, "spans");
    pcomp_apply(&c, -1, line, sizeof line);
    ck_assert_str_eq(line, "vnorm | spans:absmax source_spans=");
    strcpy(line, "mean normalize=f | none");
    pcomp_run(line, 16, &c);
    ck_assert_int_eq(c.kind, PCOMP_VALUE);
    ck_assert_str_eq(c.key, "normalize");
    ck_assert_uint_eq(pcomp_apply(&c, 0, line, sizeof line), 21);
    ck_assert_str_eq(line, "mean normalize=false | none");
    strcpy(line, "split split_mode=");
    pcomp_run(line, strlen(line), &c);
    ck_assert_uint_eq(c.ncand, 3);
    strcpy(line, "pair w");
    pcomp_run(line, strlen(line), &c);
    ck_assert_int_eq(c.kind, PCOMP_KEY);
    ck_assert_str_eq(c.cand[0], "with");
    strcpy(line, "zzz");
    pcomp_run(line, 3, &c);
    ck_assert_uint_eq(c.ncand, 0);
    ck_assert_uint_eq(pcomp_apply(&c, -1, line, sizeof line), 3);
    ck_assert_str_eq(line, "zzz");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("view");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_goldens);
    tcase_add_test(tc, test_granular_dims);
    tcase_add_test(tc, test_multidim);
    tcase_add_test(tc, test_moves);
    tcase_add_test(tc, test_range);
    tcase_add_test(tc, test_pipeline_changes);
    tcase_add_test(tc, test_keep_extra_dims);
    tcase_add_test(tc, test_cache_pressure);
    tcase_add_test(tc, test_topk);
    tcase_add_test(tc, test_sort_rows);
    tcase_add_test(tc, test_redo);
    tcase_add_test(tc, test_scroll);
    tcase_add_test(tc, test_snapshots);
    tcase_add_test(tc, test_replace_output);
    tcase_add_test(tc, test_completion);
    tcase_add_test(tc, test_catalog_view);
    tcase_add_test(tc, test_output_source);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
