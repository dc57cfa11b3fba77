/* viewexport.c - CSV and JSON of a view's pane (see viewexport.h). */
#include "viewexport.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "table.h"

static const char *tok(const as_tokens *t, size_t i)
{
    return t && i < t->n ? t->v[i].text : "";
}

/* The generated token of a grid column. */
static const char *col_token(const view_state *v, int pane, size_t c)
{
    const as_seq *s = view_seq(v);
    return tok(&s->target, (size_t)s->attr_pos_start + view_col_gen(v, pane, c));
}

static int check_pane(const view_state *v, int pane, as_error *err)
{
    if (pane == VIEW_EXPORT_BOTH && view_seq(v) && v->grid[VIEW_SRC].present &&
        v->grid[VIEW_TGT].present)
        return AS_OK;
    if (pane < 0 || pane > 1 || !view_seq(v) || !v->grid[pane].present)
        return as_error_set(err, AS_EUSAGE, "the %s pane has nothing to export",
                            pane == VIEW_SRC ? "source" : pane == VIEW_TGT ? "target" : "two");
    return AS_OK;
}

/* The tidy rows of one pane: its attributed rows, and with steps its
 * step-score rows. */
static void csv_pane(const view_state *v, int pane, FILE *f, unsigned flags, bool steps)
{
    const view_grid *g = &v->grid[pane];
    const as_seq *s = view_seq(v);
    table_row row = {.sequence = v->seq, .sub_index = -1};
    char kind[300];
    size_t nr = g->nrows + (steps ? g->nsteps : 0);
    for (size_t r = 0; r < nr; r++) {
        if (r < g->nrows) {
            size_t t = view_row_token(v, pane, r);
            row.kind = pane == VIEW_SRC ? "source" : "target";
            row.attributed_index = (long)t;
            row.attributed_token = tok(g->rows_tok, t);
        } else {
            snprintf(kind, sizeof kind, "step:%s", view_step_name(v, r - g->nrows));
            row.kind = kind;
            row.attributed_index = -1;
            row.attributed_token = NULL;
        }
        for (size_t c = 0; c < g->ncols; c++) {
            row.generated_index = (size_t)s->attr_pos_start + view_col_gen(v, pane, c);
            row.generated_token = col_token(v, pane, c);
            if (g->sub_dim >= 0)
                row.sub_index = (long)view_col_sub(v, pane, c);
            row.value = (float)view_cell(v, pane, r, c);
            table_csv_row(f, &row, flags);
        }
    }
}

int view_export_csv(const view_state *v, int pane, FILE *f, as_error *err)
{
    if (check_pane(v, pane, err))
        return AS_EUSAGE;
    bool both = pane == VIEW_EXPORT_BOTH;
    bool sub = v->grid[both ? VIEW_SRC : pane].sub_dim >= 0 ||
               (both && v->grid[VIEW_TGT].sub_dim >= 0);
    unsigned flags = sub ? TABLE_CSV_SUB : 0;
    table_csv_header(f, flags);
    if (both) {   /* the step scores once, after the target rows */
        csv_pane(v, VIEW_SRC, f, flags, false);
        csv_pane(v, VIEW_TGT, f, flags, true);
    } else {
        csv_pane(v, pane, f, flags, true);
    }
    return AS_OK;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

int view_export_json(const view_state *v, int pane, FILE *f, as_error *err)
{
    if (check_pane(v, pane, err))
        return AS_EUSAGE;
    const view_grid *g = &v->grid[pane];
    json_t *o = json_object();
    json_t *rows = json_array(), *cols = json_array(), *vals = json_array();
    json_t *steps = json_object(), *sliders = json_object(), *slices = json_object();
    const char *file = view_agg_file_path(v->agg, view_agg_file(v->agg, v->seq, NULL, NULL));
    if (file)
        json_object_set_new(o, "file", table_json_text(file));
    json_object_set_new(o, "sequence", json_integer((json_int_t)v->seq));
    json_object_set_new(o, "pane", json_string(pane == VIEW_SRC ? "source" : "target"));
    json_object_set_new(o, "pipeline", table_json_text(v->ch.pipeline));
    json_object_set_new(o, "weight", v->ch.weight[0] ? table_json_text(v->ch.weight) : json_null());
    if (g->sub_dim >= 0)
        json_object_set_new(o, "show_dim", json_pack("{s:i,s:s}", "dim", g->sub_dim, "name",
                                                     view_dim_name(v, g->sub_dim)));
    else
        json_object_set_new(o, "show_dim", json_null());
    for (int d = 2; d < view_ndim(v); d++)
        if (view_is_slider(v, d))
            json_object_set_new(sliders, view_dim_name(v, d),
                                json_integer((json_int_t)v->slider[d]));
    for (int d = 0; d < AS_MAX_DIMS; d++)
        if (v->ch.slice[d].on)
            json_object_set_new(slices, view_dim_name(v, d),
                                json_pack("[I,I]", (json_int_t)v->ch.slice[d].a,
                                          (json_int_t)v->ch.slice[d].b));
    json_object_set_new(o, "sliders", sliders);
    json_object_set_new(o, "slices", slices);
    for (size_t r = 0; r < g->nrows; r++)
        json_array_append_new(rows, table_json_text(tok(g->rows_tok, view_row_token(v, pane, r))));
    for (size_t c = 0; c < g->ncols; c++) {
        /* table_json_text: a token holding NUL or bytes that are not UTF-8
         * still has its label (json_string would refuse it) */
        json_t *col = json_pack("{s:I,s:o}", "index", (json_int_t)view_col_gen(v, pane, c),
                                "token", table_json_text(col_token(v, pane, c)));
        if (g->sub_dim >= 0)
            json_object_set_new(col, "sub", json_integer((json_int_t)view_col_sub(v, pane, c)));
        json_array_append_new(cols, col);
    }
    for (size_t r = 0; r < g->nrows; r++) {
        json_t *row = json_array();
        for (size_t c = 0; c < g->ncols; c++)
            json_array_append_new(row, num(view_cell(v, pane, r, c)));
        json_array_append_new(vals, row);
    }
    for (size_t k = 0; k < g->nsteps; k++) {
        json_t *row = json_array();
        for (size_t c = 0; c < g->ncols; c++)
            json_array_append_new(row, num(view_cell(v, pane, g->nrows + k, c)));
        json_t *name = table_json_text(view_step_name(v, k));   /* NUL kept as U+0000 */
        json_object_setn_new(steps, json_string_value(name), json_string_length(name), row);
        json_decref(name);
    }
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "values", vals);
    json_object_set_new(o, "step_scores", steps);
    int rc = table_json_dump(f, o, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9) |
                                       JSON_ENSURE_ASCII);
    json_decref(o);
    fputc('\n', f);
    if (rc)
        return as_error_set(err, AS_EIO, "could not write the JSON");
    return AS_OK;
}

int view_export(const view_state *v, int pane, view_export_fmt fmt, const char *path,
                as_error *err)
{
    if (check_pane(v, pane, err))
        return AS_EUSAGE;
    as_atomic af;
    /* asking before replacing a file is the caller's business */
    if (atomic_open(&af, path, true, err))
        return err ? err->code : AS_EIO;
    if (pane == VIEW_EXPORT_BOTH && fmt != VIEW_EXPORT_CSV) {
        atomic_abort(&af);
        return as_error_set(err, AS_EUSAGE, "JSON holds one pane: export each pane");
    }
    int rc = fmt == VIEW_EXPORT_CSV ? view_export_csv(v, pane, af.f, err)
                                    : view_export_json(v, pane, af.f, err);
    if (rc) {
        atomic_abort(&af);
        return rc;
    }
    return atomic_commit(&af, err);
}
