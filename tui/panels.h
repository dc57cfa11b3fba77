/* panels.h - what opens over the grid or works on it: the pipeline editor,
 * the info panel, export, the `:` jump, compare mode, the dataset overview
 * and following the files: the fourth layer (see state.h). */
#ifndef AS_TUI_PANELS_H
#define AS_TUI_PANELS_H

#include "grid.h"
#include "overview.h"

/* editor.c */
screen *editor_new(tui *t);

/* info.c: the info panel's lines (owned by the caller: free each, then the
 * array). */
char **tui_info_lines(const tui *t, size_t *n);
/* The input and generated text of sequence i, made safe: from info's
 * input_texts / generated_texts when they line up with the sequences, else
 * the decoded tokens. */
void tui_seq_texts(const tui *t, size_t i, char *in, size_t inn, char *gen, size_t genn);

/* export.c */
/* Exports by the name's extension: .csv and .json the focused pane's grid;
 * .html the shown sequence as a heatmap page (2D view) or a granular page
 * (extra dims: show_dim and slices as in the view); .tokens.html its tokens
 * page.  tui_export_check() only checks the name; tui_export_is_tokens()
 * tells a tokens page name. */
bool tui_export_is_tokens(const char *path);
int tui_export_check(const char *path, as_error *err);
int tui_export(tui *t, const char *path, as_error *err);
/* The same for the grid of pane (JSON writes one pane; CSV takes
 * VIEW_EXPORT_BOTH too, both panes in one tidy table). */
int tui_export_pane(tui *t, const char *path, int pane, as_error *err);
/* Whether path names a CSV or JSON grid export, or a CSV one. */
bool tui_export_is_grid(const char *path);
bool tui_export_is_csv(const char *path);
/* Whether both panes are shown (then a CSV export holds both, a JSON export
 * writes one file per pane). */
bool tui_export_both(const tui *t);
/* path with "-source" or "-target" before its extension, into out. */
bool tui_export_pane_path(const char *path, int pane, char *out, size_t n);
/* NAME-seqN-PANE.csv, or NAME-seqN.csv when both panes are shown. */
char *tui_export_default_name(const tui *t);

/* jump.c: the `:` prompt's text applied (see README, "Jumping"). */
unsigned tui_jump(tui *t, const char *text, as_error *err);
/* compare.c: the compare mode over the first two files open (a screen;
 * act_COMPARE is the grid's `c`).  With fewer than two files it says so. */
unsigned tui_compare_start(tui *t);
unsigned act_COMPARE(tui *t);

#endif
