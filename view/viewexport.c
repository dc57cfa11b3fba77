/* viewexport.c - CSV and JSON of a view's pane (see viewexport.h). */
#include "viewexport.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

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
    if (pane < 0 || pane > 1 || !view_seq(v) || !v->grid[pane].present)
        return as_error_set(err, AS_EUSAGE, "the %s pane has nothing to export",
                            pane == VIEW_SRC ? "source" : "target");
    return AS_OK;
}

int view_export_csv(const view_state *v, int pane, FILE *f, as_error *err)
{
    if (check_pane(v, pane, err))
        return AS_EUSAGE;
    const view_grid *g = &v->grid[pane];
    fputs("row,token", f);
    for (size_t c = 0; c < g->ncols; c++) {
        char head[64];
        fputc(',', f);
        if (g->sub_dim >= 0)
            snprintf(head, sizeof head, "%zu[%zu]:", view_col_gen(v, pane, c),
                     view_col_sub(v, pane, c));
        else
            snprintf(head, sizeof head, "%zu:", view_col_gen(v, pane, c));
        size_t hl = strlen(head);
        const char *t = col_token(v, pane, c);
        char *both = malloc(hl + strlen(t) + 1);
        if (!both)
            return as_error_set(err, AS_ENOMEM, "out of memory");
        memcpy(both, head, hl);
        strcpy(both + hl, t);
        csv_field(f, both);
        free(both);
    }
    fputc('\n', f);
    for (size_t r = 0; r < g->nrows + g->nsteps; r++) {
        if (r < g->nrows) {
            fprintf(f, "%zu,", view_row_token(v, pane, r));
            csv_field(f, tok(g->rows_tok, view_row_token(v, pane, r)));
        } else {
            fputc(',', f);
            csv_field(f, view_step_name(v, r - g->nrows));
        }
        for (size_t c = 0; c < g->ncols; c++) {
            double x = view_cell(v, pane, r, c);
            if (isnan(x))
                fputc(',', f);
            else
                fprintf(f, ",%.9g", x);
        }
        fputc('\n', f);
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
        json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "sequence", json_integer((json_int_t)v->seq));
    json_object_set_new(o, "pane", json_string(pane == VIEW_SRC ? "source" : "target"));
    json_object_set_new(o, "pipeline", json_string(v->ch.pipeline));
    json_object_set_new(o, "weight", v->ch.weight[0] ? json_string(v->ch.weight) : json_null());
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
        json_array_append_new(rows, json_string(tok(g->rows_tok, view_row_token(v, pane, r))));
    for (size_t c = 0; c < g->ncols; c++) {
        json_t *col = json_pack("{s:I,s:s}", "index", (json_int_t)view_col_gen(v, pane, c),
                                "token", col_token(v, pane, c));
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
        json_object_set_new(steps, view_step_name(v, k), row);
    }
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "values", vals);
    json_object_set_new(o, "step_scores", steps);
    int rc = json_dumpf(o, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
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
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp)
        return as_error_set(err, AS_ENOMEM, "out of memory");
    memcpy(tmp, path, pl);
    strcpy(tmp + pl, ".tmp-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return as_error_set(err, AS_EIO, "%s: %s", path, strerror(e));
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return as_error_set(err, AS_EIO, "%s: %s", path, strerror(e));
    }
    int rc = fmt == VIEW_EXPORT_CSV ? view_export_csv(v, pane, f, err)
                                    : view_export_json(v, pane, f, err);
    if (ferror(f) && !rc)
        rc = as_error_set(err, AS_EIO, "%s: write failed", path);
    if (fclose(f) && !rc)
        rc = as_error_set(err, AS_EIO, "%s: %s", path, strerror(errno));
    if (!rc && rename(tmp, path))
        rc = as_error_set(err, AS_EIO, "%s: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}
