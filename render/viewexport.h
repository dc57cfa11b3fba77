/* viewexport.h - the current 2D view of a pane as CSV or JSON.
 *
 * Exports every row and column of the pane's grid as the view defines it
 * (after pipeline, slices, show_dim and sliders), not just what fits on a
 * screen: attributed rows, then one row per step score.  CSV is the tidy
 * table of `attrscope export` (render/table.h; with a sub_index column when
 * the view shows an extra dimension), one line per cell; JSON describes the
 * view (pane, pipeline, sliders, slices, rows, columns, values, step
 * scores).  Token texts are the strings of the file, written by table.h's
 * writers (escaped, NUL as U+0000 in JSON; every label lines up with its
 * values).  NaN is "NaN" in CSV and null in JSON.
 *
 * view_export() writes through model/atomic.c (a temporary file renamed
 * over path), so a failed export never leaves a half-written file; asking
 * before replacing an existing file is the caller's business.  Nothing here
 * prints.
 */
#ifndef AS_VIEWEXPORT_H
#define AS_VIEWEXPORT_H

#include <stdio.h>

#include "view.h"

typedef enum view_export_fmt {
    VIEW_EXPORT_CSV,
    VIEW_EXPORT_JSON,
} view_export_fmt;

/* CSV takes pane VIEW_EXPORT_BOTH too: both panes' rows in one tidy table
 * (the kind column tells them apart), the step scores once. */
#define VIEW_EXPORT_BOTH 2
int view_export_csv(const view_state *v, int pane, FILE *f, as_error *err);
int view_export_json(const view_state *v, int pane, FILE *f, as_error *err);
int view_export(const view_state *v, int pane, view_export_fmt fmt, const char *path,
                as_error *err);

#endif
