/* export.c - exporting the current view: CSV and JSON through
 * render/viewexport.h, HTML pages through render/html.h:
 *   NAME.html         a 2D view: the heatmap page of the shown sequence, in
 *                     the view's color range; a granular / multi-dimensional
 *                     view (pipeline none): the granular page with the
 *                     view's show_dim and slices;
 *   NAME.tokens.html  the tokens page of the shown sequence (needs 2D);
 *   NAME.inseq.json   an inseq file (FeatureAttributionOutput.load() reads
 *   (.gz: gzip)       it) of every sequence of the shown sequence's file,
 *                     under the view's pipeline and weight (model/resave.h).
 * Token text in the pages is decoded as on screen (raw with raw tokens on). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atomic.h"
#include "html.h"
#include "resave.h"
#include "panels.h"
#include "viewexport.h"

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t l = strlen(s), k = strlen(suffix);
    return l >= k && !strcasecmp(s + l - k, suffix);
}

static bool is_inseq(const char *path)
{
    return ends_with_ci(path, ".inseq.json") || ends_with_ci(path, ".inseq.json.gz");
}

/* Saves the shown sequence's whole file under the view's pipeline. */
static int save_inseq(tui *t, const char *path, as_error *err)
{
    const as_output *o = t->out;
    if (!o && t->cat) {
        size_t local;
        o = catalog_full(t->cat, t->v.seq, &local, NULL, err);
        if (!o)
            return err ? err->code : AS_EDATA;
    }
    if (!o)
        return as_error_set(err, AS_EUSAGE, "nothing is loaded to save");
    as_save_opts so = {.force = true, .compress = ends_with_ci(path, ".gz")};
    bool dropped = false;
    const char *w = t->v.ch.weight[0] ? t->v.ch.weight : NULL;
    return resave(o, NULL, 0, t->v.ch.pipeline, w, path, &so, &dropped, err);
}

bool tui_export_is_tokens(const char *path)
{
    return ends_with_ci(path, ".tokens.html") || ends_with_ci(path, ".tokens.htm");
}

/* The page for the view into o. */
static int write_page(tui *t, const char *path, html_out *o, as_error *err)
{
    const view_state *v = &t->v;
    const as_seq *s = view_seq(v);
    const as_seq *const seqs[1] = {s};
    html_labeler lc = {.mode = tui_token_mode(t, v->seq)};
    char title[1200], name[1024];
    tui_safe(tui_file_name(t), name, sizeof name);
    snprintf(title, sizeof title, "attrscope: %s, sequence %zu, pipeline %s%s%s", name,
             v->seq, v->ch.pipeline, v->ch.weight[0] ? ", weighted by " : "", v->ch.weight);
    html_common c = {.title = title, .label = html_label_decoded, .label_ud = &lc};
    bool flat = view_ndim(v) <= 2;
    if (tui_export_is_tokens(path)) {
        if (!flat)
            return as_error_set(err, AS_EUSAGE,
                                "the tokens view needs 2D attributions: aggregate first "
                                "(a: a pipeline such as default)");
        c.has_min = v->fix_min;
        c.has_max = v->fix_max;
        c.min_val = v->opt_min;
        c.max_val = v->opt_max;
        html_tokens_opts to = {.c = c};
        return html_tokens_page(o, seqs, 1, &to, err);
    }
    if (flat) {
        /* the colors of the screen: its range, whatever decided it */
        c.has_min = c.has_max = true;
        c.min_val = v->vmin;
        c.max_val = v->vmax;
        html_heatmap_opts ho = {.c = c, .indices = &v->seq};
        return html_heatmap_page(o, seqs, 1, &ho, err);
    }
    c.has_min = v->fix_min;
    c.has_max = v->fix_max;
    c.min_val = v->opt_min;
    c.max_val = v->opt_max;
    html_slice sl[AS_MAX_DIMS];
    size_t nsl = 0;
    for (int d = 2; d < AS_MAX_DIMS; d++)
        if (v->ch.slice[d].on)
            sl[nsl++] = (html_slice){.dim = {.index = d}, .start = (long)v->ch.slice[d].a,
                                     .stop = (long)v->ch.slice[d].b};
    html_granular_opts go = {.c = c, .max_show_size = v->max_show_size, .slices = sl,
                             .nslices = nsl};
    if (v->ch.show_dim >= 2) {
        go.show_dim_set = true;
        go.show_dim.index = v->ch.show_dim;
    } else {
        go.no_show_dim = true;
    }
    return html_granular_page(o, seqs, 1, &go, err);
}

static int export_html(tui *t, const char *path, as_error *err)
{
    if (!view_seq(&t->v))
        return as_error_set(err, AS_EUSAGE, "nothing to export: this sequence has no view");
    as_atomic af;
    /* asking before replacing a file is the prompt's business */
    if (atomic_open(&af, path, true, err))
        return err->code;
    html_out o;
    html_out_file(&o, af.f);
    int rc = write_page(t, path, &o, err);
    int frc = html_out_flush(&o, rc ? NULL : err);
    html_out_free(&o);
    if (rc || frc) {
        atomic_abort(&af);
        if (err && err->code == AS_EIO)
            as_error_prefix(err, "%s", path);
        return rc ? rc : frc;
    }
    return atomic_commit(&af, err);
}

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int tui_export_check(const char *path, as_error *err)
{
    const char *ext = ext_of(path);
    static const char *const known[] = {"csv", "json", "html", "htm"};
    if (is_inseq(path))
        return AS_OK;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcasecmp(ext, known[i]))
            return AS_OK;
    return as_error_set(err, AS_EUSAGE,
                        "%s: name it .csv, .json, .html, .tokens.html or .inseq.json(.gz)", path);
}

int tui_export_pane(tui *t, const char *path, int pane, as_error *err)
{
    const char *ext = ext_of(path);
    if (tui_export_check(path, err))
        return AS_EUSAGE;
    if (is_inseq(path))
        return save_inseq(t, path, err);
    if (!strcasecmp(ext, "csv"))
        return view_export(&t->v, pane, VIEW_EXPORT_CSV, path, err);
    if (!strcasecmp(ext, "json"))
        return view_export(&t->v, pane, VIEW_EXPORT_JSON, path, err);
    return export_html(t, path, err);
}

int tui_export(tui *t, const char *path, as_error *err)
{
    return tui_export_pane(t, path, t->v.pane, err);
}

bool tui_export_is_csv(const char *path)
{
    return !is_inseq(path) && !strcasecmp(ext_of(path), "csv");
}

bool tui_export_is_grid(const char *path)
{
    const char *ext = ext_of(path);
    return !is_inseq(path) && (!strcasecmp(ext, "csv") || !strcasecmp(ext, "json"));
}

bool tui_export_pane_path(const char *path, int pane, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    size_t stem = dot ? (size_t)(dot - path) : strlen(path);
    return (size_t)snprintf(out, n, "%.*s-%s%s", (int)stem, path,
                            pane == VIEW_SRC ? "source" : "target", dot ? dot : "") < n;
}

char *tui_export_default_name(const tui *t)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%s", tui_file_name(t));
    static const char *const exts[] = {".gz", ".json"};
    for (int i = 0; i < 2; i++) {
        size_t l = strlen(stem), el = strlen(exts[i]);
        if (l > el && !strcmp(stem + l - el, exts[i]))
            stem[l - el] = '\0';
    }
    if (!stem[0])
        strcpy(stem, "attrscope");
    char *name = malloc(strlen(stem) + 64);
    if (name && tui_export_both(t))   /* both panes: one tidy CSV of both */
        sprintf(name, "%s-seq%zu.csv", stem, t->v.seq);
    else if (name)
        sprintf(name, "%s-seq%zu-%s.csv", stem, t->v.seq,
                t->v.pane == VIEW_SRC ? "source" : "target");
    return name;
}

bool tui_export_both(const tui *t)
{
    return t->v.layout == VIEW_LAYOUT_BOTH && view_shows(&t->v, VIEW_SRC) &&
           view_shows(&t->v, VIEW_TGT);
}
