/* export.c - exporting the current view: CSV and JSON through
 * model/viewexport.h, HTML through the renderer (seam below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui.h"
#include "viewexport.h"

/* Seam: the HTML of the shown sequence through render/html.h.  This build
 * has no HTML renderer yet. */
static int export_html(tui *t, const char *path, as_error *err)
{
    (void)t;
    (void)path;
    return as_error_set(err, AS_EUSAGE,
                        "HTML export is not available in this build; use .csv or .json");
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
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcasecmp(ext, known[i]))
            return AS_OK;
    return as_error_set(err, AS_EUSAGE, "%s: name it .csv, .json or .html", path);
}

int tui_export(tui *t, const char *path, as_error *err)
{
    const char *ext = ext_of(path);
    if (tui_export_check(path, err))
        return AS_EUSAGE;
    if (!strcasecmp(ext, "csv"))
        return view_export(&t->v, t->v.pane, VIEW_EXPORT_CSV, path, err);
    if (!strcasecmp(ext, "json"))
        return view_export(&t->v, t->v.pane, VIEW_EXPORT_JSON, path, err);
    return export_html(t, path, err);
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
    if (name)
        sprintf(name, "%s-seq%zu-%s.csv", stem, t->v.seq + 1,
                t->v.pane == VIEW_SRC ? "source" : "target");
    return name;
}
