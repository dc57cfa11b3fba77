/* actions.h - every explorer action, declared once.
 *
 * TUI_ACTIONS(X) expands X(ID, GROUP, NAME, KEYS, HELP, HINT) per action:
 *   ID     enum suffix (ACT_ID) and handler name (act_ID in actions.c)
 *   GROUP  section of the help overlay and the key list
 *   NAME   stable name (for docs and messages)
 *   KEYS   default keys, space-separated key names: a printable character,
 *          or Left Right Up Down PgUp PgDn Home End Tab Enter Esc Backspace
 *          Space F1..F12, or C-x for Control-x
 *   HELP   one line of help
 *   HINT   short label for the status-line hints, or NULL to leave it out
 * The key dispatch, the help overlay, the status hints, the key list
 * (tui_keys_markdown) and the man page section all come from this table.
 * This header has no curses in it.
 */
#ifndef AS_TUI_ACTIONS_H
#define AS_TUI_ACTIONS_H

#include <stdio.h>

#define TUI_ACTIONS(X)                                                                        \
    X(LEFT, "Moving", "left", "h Left", "move one column left", NULL)                         \
    X(RIGHT, "Moving", "right", "l Right", "move one column right", NULL)                     \
    X(UP, "Moving", "up", "k Up", "move one row up (into the pane above when stacked)", NULL) \
    X(DOWN, "Moving", "down", "j Down", "move one row down (into the pane below when stacked)", \
      NULL)                                                                                   \
    X(PAGE_UP, "Moving", "page-up", "PgUp C-b", "one screen of rows up", NULL)                \
    X(PAGE_DOWN, "Moving", "page-down", "PgDn C-f Space", "one screen of rows down", NULL)    \
    X(HOME, "Moving", "first-column", "Home 0", "first generated token", NULL)                \
    X(END, "Moving", "last-column", "End $", "last generated token", NULL)                    \
    X(TOP, "Moving", "first-row", "g", "first row (of the upper pane when stacked)", NULL)    \
    X(BOTTOM, "Moving", "last-row", "G", "last row (of the lower pane when stacked)", NULL)   \
    X(ROW_MAX, "Moving", "row-max", "+", "jump to the largest value of the row", NULL)        \
    X(ROW_MIN, "Moving", "row-min", "-", "jump to the smallest value of the row", NULL)       \
    X(COL_MAX, "Moving", "column-max", "}", "jump to the largest value of the column", NULL)  \
    X(COL_MIN, "Moving", "column-min", "{", "jump to the smallest value of the column", NULL) \
    X(SEARCH, "Moving", "search", "/",                                                        \
      "search a token in every sequence (Tab in the prompt: this sequence only)", "search")   \
    X(SEARCH_NEXT, "Moving", "search-next", "n", "next match (on into the next sequence)",    \
      NULL)                                                                                   \
    X(SEARCH_PREV, "Moving", "search-previous", "N", "previous match", NULL)                  \
    X(JUMP, "Moving", "jump", ":",                                                            \
      "jump: 12 row, c5 column, 12 5 both, seq 2 sequence, src/tgt pane, a step name", NULL)  \
    X(PANES, "Views", "panes", "Tab", "cycle source, target, both stacked", "panes")          \
    X(NEXT_SEQ, "Views", "next-sequence", "]", "next sequence", NULL)                         \
    X(PREV_SEQ, "Views", "previous-sequence", "[", "previous sequence", NULL)                 \
    X(SEQ_LIST, "Views", "sequences", "s",                                                    \
      "list the sequences with their texts, sortable by a summary column", "seqs")           \
    X(SORT, "Views", "sort", "o",                                                             \
      "sort rows by the cursor's column: largest first, smallest first, file order", NULL)    \
    X(OVERVIEW, "Views", "overview", "O",                                                     \
      "dataset overview: distributions, position mass, top tokens", "overview")               \
    X(TOPK, "Views", "top-k", "T", "side panel: top attributed tokens of the column", NULL)   \
    X(INFO, "Views", "info", "i", "everything the file says about the run", "info")           \
    X(RAW, "Views", "raw-tokens", "t", "switch between decoded and raw token text", NULL)      \
    X(RANGE, "Views", "range", "m",                                                           \
      "color range: abs, one-sided, percentile clip, inseq, min/max by hand, sharing", NULL) \
    X(RANGE_SCOPE, "Views", "range-scope", "M", "color range per sequence or per file", NULL) \
    X(NARROW, "Views", "narrower", "(", "narrower cells (from 6 columns: the default)", NULL) \
    X(WIDEN, "Views", "wider", ")", "wider cells (values show from 6 columns)", NULL)         \
    X(COLOR, "Views", "colors", "C", "cycle color modes the terminal supports", NULL)         \
    X(COMPARE, "Views", "compare", "c",                                                       \
      "compare two open files: side by side, then the difference B - A, then back", NULL)     \
    X(PIPELINE, "Data", "pipeline", "a", "edit the aggregation pipeline", "pipeline")         \
    X(WEIGHT, "Data", "weight", "w", "weight attributions by a step score", NULL)             \
    X(UNDO, "Data", "undo", "u", "undo the last pipeline, weight, slice or show_dim change",  \
      NULL)                                                                                   \
    X(REDO, "Data", "redo", "C-r", "redo what undo took back", NULL)                          \
    X(SHOW_DIM, "Data", "show-dim", "d", "choose the extra dim shown as sub-columns", "dims") \
    X(SLIDER_PREV, "Data", "slider-previous", "<", "previous index of the slider dim", NULL)  \
    X(SLIDER_NEXT, "Data", "slider-next", ">", "next index of the slider dim", NULL)          \
    X(SLIDER_DIM, "Data", "slider-dim", "D", "choose which slider < and > step", NULL)        \
    X(SLICE, "Data", "slice", "S", "slice a dim to a range (DIM=A:B)", NULL)                  \
    X(EXPORT, "Data", "export", "e", "export (.csv .json .html .tokens.html .inseq.json)", "export")     \
    X(RELOAD, "Data", "reload", "r", "reload the files from disk", NULL)                      \
    X(COPY_CELL, "Data", "copy-value", "y", "copy the cell's value to the clipboard (OSC 52)",\
      NULL)                                                                                   \
    X(COPY_ROW, "Data", "copy-row", "Y",                                                      \
      "copy the row, tab-separated with its token labels (OSC 52)", NULL)                     \
    X(FOLLOW, "Data", "follow", "F", "follow: reload when the files or the directory change",  \
      NULL)                                                                                   \
    X(HELP, "Other", "help", "? F1", "this help", "help")                                     \
    X(REDRAW, "Other", "redraw", "C-l", "redraw the screen", NULL)                            \
    X(QUIT, "Other", "quit", "q", "quit", "quit")

enum tui_action {
#define TUI_ACT_ENUM(id, group, name, keys, help, hint) ACT_##id,
    TUI_ACTIONS(TUI_ACT_ENUM)
#undef TUI_ACT_ENUM
    ACT_COUNT
};

typedef struct tui_action_info {
    const char *group, *name, *keys, *help, *hint;
} tui_action_info;

/* The table, indexed by enum tui_action. */
extern const tui_action_info tui_action_table[ACT_COUNT];

/* Steps through the space-separated key names of a KEYS string: sets *name
 * and *len to the next one and returns where to continue, or NULL when
 * there is none left. */
const char *tui_keys_next(const char *p, const char **name, size_t *len);

/* The key list as Markdown (one table per group) and as a man page
 * section (.SH KEYS).  Both from the table. */
void tui_keys_markdown(FILE *f);
void tui_keys_man(FILE *f);

#endif
