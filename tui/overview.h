/* overview.h - the explorer's dataset overview (key O), the sequence list
 * sorted by a summary column (key s), and following files as they change
 * (--watch, key F).
 *
 * The overview summarises every file of the explorer (summary.h) on a
 * worker thread (sumread.h) with the explorer's pipeline; the main loop
 * takes what has been read between keys (tui_summary_poll), so the screen
 * and the sort columns fill in while files are read.  Following watches the
 * viewed files and listed directories (inotify, else polling every second)
 * and reloads on a change once the changed files have stopped growing and
 * load whole (a half-written file is tried again later, silently).
 */
#ifndef AS_TUI_OVERVIEW_H
#define AS_TUI_OVERVIEW_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tui tui;
typedef struct tui_sum tui_sum;
typedef struct tui_watch tui_watch;

/* summary.c */
unsigned tui_summary_open(tui *t);
/* The sequence list: count, item, pick and find as for list_new_lazy()
 * (item gives the row's text), sorted by a summary column on request. */
unsigned tui_seqlist_open(tui *t, size_t (*count)(tui *, void *),
                          void (*item)(tui *, size_t, char *, size_t, void *),
                          unsigned (*pick)(tui *, size_t, void *),
                          long (*find)(tui *, size_t, const char *, bool, void *));
/* Idle work: takes the files read meanwhile; TUI_* bits. */
unsigned tui_summary_poll(tui *t);
/* Whether the main loop should wake up often (files being read). */
bool tui_summary_busy(const tui *t);
/* Progress for the status line ("" when there is nothing to say). */
void tui_summary_status(const tui *t, char *buf, size_t n);
/* The files changed: a summary shown or started is read again (with
 * changed_only, the files whose signature is the same are taken from what
 * was read of them before). */
void tui_summary_restart(tui *t, bool changed_only);
void tui_summary_free(tui *t);

/* watch.c */
/* The cursor across a reload: the same sequence gets the same layout,
 * pane, rows and column back (clamped to the new data). */
typedef struct tui_cursor {
    size_t seq;
    int layout, pane;
    size_t row[2], col;
} tui_cursor;
void tui_cursor_save(const tui *t, tui_cursor *c);
unsigned tui_cursor_restore(tui *t, const tui_cursor *c);
/* Turns following on or off (message in the status line); TUI_* bits. */
unsigned tui_watch_toggle(tui *t);
bool tui_watch_on(const tui *t);
/* Idle work: TUI_RELOAD (with the reload done quietly) when a change has
 * settled; 0 otherwise. */
unsigned tui_watch_poll(tui *t);
/* Whether the reload to come is the one the watch asked for (it reads the
 * changed files only; r reads them all). */
bool tui_watch_reloading(const tui *t);
/* After any reload (which took ms): a reload the watch asked for says so. */
void tui_watch_reloaded(tui *t, double ms);
void tui_watch_free(tui *t);

#endif
