/* dispatch.h - the grid's keys: one handler per entry of the action table
 * (actions.h), in actions.c: the fifth layer (see state.h), under the main
 * loop of explore.c. */
#ifndef AS_TUI_DISPATCH_H
#define AS_TUI_DISPATCH_H

#include "panels.h"

/* The actions' own part of the state (the search; 0 or -1 out of
 * memory), and freeing it. */
int tui_search_init(tui *t);
void tui_search_free(tui *t);
/* Runs the action bound to key on the grid screen. */
unsigned tui_dispatch(tui *t, int key);

#endif
