/* widgets.h - drawing text and boxes, and the dialogs (pager, list, prompt,
 * confirmation, the one-line editor): the second layer (see state.h). */
#ifndef AS_TUI_WIDGETS_H
#define AS_TUI_WIDGETS_H

#include "state.h"

/* widgets.c */
/* Writes safe text at (y, x) in at most w columns with style st; pads to w
 * when pad; marks truncation with an ellipsis when ell.  Returns the
 * columns written. */
int tui_put(int y, int x, const char *s, int w, tui_style st, bool pad, bool ell);
void tui_fill(int y, int x, int w, tui_style st);
void tui_hline(int y, int x, int w, tui_style st);
void tui_vline(int y, int x, int h, tui_style st);
/* A bordered box with a title; returns the inner rectangle. */
void tui_box(int y, int x, int h, int w, const char *title, int *iy, int *ix, int *ih, int *iw);
/* A value in at most w characters (fixed decimals when they fit). */
void tui_fmt_value(double v, int w, char *buf, size_t n);
/* A progress bar in a box in the middle of the screen. */
void tui_draw_progress(const char *what, double frac, const char *detail);

/* screens.c: dialogs stacked on the grid. */
typedef unsigned (*tui_pick_fn)(tui *t, size_t index, void *ud);
typedef unsigned (*tui_enter_fn)(tui *t, const char *text, void *ud, as_error *err);
screen *pager_new(const char *title, char **lines, size_t n, int close_key);
screen *list_new(const char *title, char **items, size_t n, size_t sel, tui_pick_fn pick,
                 void *ud);
/* A list whose entries are made when shown (count() of them, growing is
 * fine), with / search through find() (from an index, wrapping; -1: none)
 * and n / N for the next and previous match. */
typedef size_t (*tui_count_fn)(tui *t, void *ud);
typedef void (*tui_item_fn)(tui *t, size_t i, char *buf, size_t n, void *ud);
typedef long (*tui_find_fn)(tui *t, size_t from, const char *q, bool backwards, void *ud);
screen *list_new_lazy(const char *title, tui_count_fn count, tui_item_fn item, size_t sel,
                      tui_pick_fn pick, tui_find_fn find, void *ud);
/* A prompt; with `replace`, typing replaces init instead of adding to it. */
screen *prompt_new(const char *title, const char *init, bool replace, tui_enter_fn enter,
                   void *ud);
/* Tab in the prompt calls fn, which may change the title (n bytes). */
typedef void (*tui_prompt_tab_fn)(tui *t, char *title, size_t n, void *ud);
void prompt_set_tab(screen *s, tui_prompt_tab_fn fn);
/* Makes a prompt complete file paths with Tab (a leading ~ is the home
 * directory): one match is filled in (a directory with its '/'), several
 * fill in what they share and are listed under the line. */
void prompt_complete_paths(screen *prompt);
/* A leading "~" or "~/" of path replaced by $HOME into out; false when it
 * does not fit. */
bool tui_expand_home(const char *path, char *out, size_t n);
screen *confirm_new(const char *question, tui_pick_fn yes, void *ud, void (*ud_free)(void *));

/* A one-line UTF-8 editor shared by the prompt and the pipeline editor. */
typedef struct lineedit {
    char buf[VIEW_PIPE_MAX];
    size_t cur;                /* byte offset */
    size_t scroll;             /* first byte shown */
    bool fresh;                /* the first character typed replaces the text */
} lineedit;
void le_set(lineedit *le, const char *s);
/* Handles an editing key; returns true when it was one. */
bool le_key(lineedit *le, int key);
/* Draws the line in w columns at (y, x) and places the terminal cursor. */
void le_draw(lineedit *le, int y, int x, int w, tui_style st);
/* Frees lines made for a pager (each, then the array). */
void tui_lines_free(char **lines, size_t n);

#endif
