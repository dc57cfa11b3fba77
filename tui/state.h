/* state.h - the explorer's state and the services every part uses: the
 * bottom of the explorer's layers.
 *
 * The files of tui/ form a one-way chain; each header includes the one
 * below it, and each .c file includes the header of its own layer only:
 *
 *   state.h     state.c keys.c term.c config.c history.c clip.c
 *   widgets.h   widgets.c screens.c     (text, boxes, dialogs, line editor)
 *   grid.h      grid.c mouse.c loading.c (the heatmap screen, loading)
 *   panels.h    editor.c info.c export.c jump.c compare.c summary.c watch.c
 *   dispatch.h  actions.c               (one handler per action)
 *   explore.c   the main loop
 *
 * One `tui` lives in explore_main().  The grid is the base screen; dialogs
 * (help, info, lists, prompts, the pipeline editor) are screens stacked on
 * top, each {draw, key, free}.  Keys go to the top screen; every handler
 * returns TUI_* bits of what changed and only the main loop redraws.
 * tests/layers.sh checks the chain.
 */
#ifndef AS_TUI_STATE_H
#define AS_TUI_STATE_H

#include <curses.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "actions.h"
#include "explore.h"
#include "label.h"
#include "theme.h"
#include "tokens.h"
#include "view.h"

/* Key codes: characters as themselves, curses KEY_* offset above Unicode. */
#define TUI_KEYCODE(k) (0x200000 | (k))
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27
#define TUI_MOUSE TUI_KEYCODE(KEY_MOUSE)   /* a mouse event, in tui.mouse */

/* What a key changed (OR-ed). */
enum {
    TUI_REDRAW = 1 << 0,  /* draw again */
    TUI_LAYOUT = 1 << 1,  /* recompute the layout first */
    TUI_LABELS = 1 << 2,  /* token labels changed (sequence, raw/decoded) */
    TUI_DATA = 1 << 3,    /* the shown data changed (for frame statistics) */
    TUI_MOVE = 1 << 4,    /* only the cursor or the window moved */
    TUI_CLEAR = 1 << 5,   /* repaint the whole terminal */
    TUI_RELOAD = 1 << 6,  /* load the files again */
    TUI_QUIT = 1 << 7,
    TUI_CURSOR = 1 << 8,  /* only the cursor moved (no scroll): a partial frame will do */
    TUI_PASS = 1 << 9,    /* a screen closed itself: the key goes on to the one below */
};

typedef struct tui tui;
typedef struct screen screen;
struct screen {
    void (*draw)(tui *t, screen *s);
    unsigned (*key)(tui *t, screen *s, int key);
    void (*free)(screen *s);
    screen *below;
    bool takes_mouse;          /* mouse events go to key() (else they are dropped) */
};

/* Display text of a token list, made safe. */
typedef struct tui_labels {
    char **text;
    int *width;
    size_t n;
    int maxw;
} tui_labels;

typedef struct tui_layout {
    int W, H;
    bool tiny;                 /* too small for a grid */
    int hdr, st;               /* header and status lines */
    int collab;                /* column-label lines */
    int collab_y;
    int label_w;               /* frozen row-label column */
    int cw;                    /* cell width */
    int numw;                  /* width of the numbers in it (cells widened to fit
                                  the terminal keep 2 places, as at 6 columns) */
    int panel_w;               /* top-k panel (0: hidden) */
    int vis_cols;
    int pane_y[2], pane_h[2];  /* 0 height: not shown */
    int sep_y;                 /* line between stacked panes, -1 none */
} tui_layout;

#define TUI_HIST_MAX 100

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }

/* Sequence numbers as the explorer shows them (header, list, messages, the
 * `:` prompt): the one place that says where they start. */
#define TUI_SEQ_BASE 0
static inline size_t tui_seq_number(size_t k) { return k + TUI_SEQ_BASE; }

/* Settings remembered between runs (config.c): $XDG_CONFIG_HOME/attrscope/
 * config, else ~/.config/attrscope/config.  Lines "name = value", # comments. */
typedef struct tui_config {
    char path[4096];           /* "" when there is no place for it (no HOME) */
    bool has_cw, has_color, has_mouse, has_tokens;
    int cw;                    /* cell width in columns, 0 = automatic */
    explore_color color;
    bool mouse;
    bool raw_tokens;
    char error[AS_ERROR_MAX + 4200];  /* the first problem reading it, "" none */
} tui_config;

/* What the loading thread reports (load.h's progress callback). */
typedef struct tui_progress {
    _Atomic uint64_t done, total;
    _Atomic size_t seqs;
} tui_progress;

struct tui {
    const explore_opts *opts;
    as_output *out;            /* one file (or the example); NULL with a catalog */
    as_catalog *cat;           /* several files or a directory */
    view_state v;
    bool view_ok;
    bool raw_tokens;
    tui_progress prog;
    /* catalog: reading the list of sequences in idle time */
    bool listing;              /* files remain to be read */
    size_t nfailed;            /* files that could not be read */
    int cw_level;              /* index into the cell widths (grid.c) */
    bool cw_auto;              /* width follows the view until ( or ) */
    bool topk;
    tui_color_mode max_mode;
    tui_labels lab[2];         /* source and target tokens of the shown sequence */
    tui_layout lay;
    char msg[AS_ERROR_MAX + 128];
    bool msg_err;
    /* What the background readers (the catalog's listing, the overview)
     * report for the status line when there is no message; the main loop
     * sets it before each frame, the grid shows it. */
    char bg_status[AS_ERROR_MAX + 256];
    bool bg_status_err;
    bool mouse_on;             /* mouse events are asked for */
    MEVENT mouse;              /* the last mouse event (key TUI_MOUSE) */
    tui_config cfg;
    screen *top;
    char *hist[TUI_HIST_MAX];  /* pipelines, oldest first */
    size_t nhist;
    bool hist_loaded;
    /* Parts that one file keeps to itself (defined there). */
    struct tui_run *run;       /* explore.c: options in effect, listing, frame statistics */
    struct tui_frame *frame;   /* grid.c: what the labels and the last frame were made for */
    struct tui_search *search; /* actions.c: the token search and its matches */
    struct tui_sum *sum;       /* the overview (overview.h), NULL until asked for */
    struct tui_watch *watch;   /* following the files (overview.h), NULL when off */
};

/* state.c: the services every layer uses. */
double tui_now_ms(void);
void tui_msg(tui *t, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_push(tui *t, screen *s);
void tui_pop(tui *t);
/* The token decoding of sequence seq: TOKENS_NONE with raw tokens on,
 * else what tokens_resolve() finds for the sequence's file (once per
 * file, view_agg_token_mode). */
tokens_mode tui_token_mode(const tui *t, size_t seq);
/* The same whatever the raw-tokens switch says (for texts). */
tokens_mode tui_file_mode(const tui *t, size_t seq);
/* The stored sequence k (tokens, step-score names; no tensor data with a
 * catalog), NULL when there is none. */
const as_seq *tui_meta(const tui *t, size_t k);
/* The info object of the file holding sequence k (NULL when none). */
const json_t *tui_info(const tui *t, size_t k);
/* TUI_* bits for VIEW_CH_* changes. */
unsigned tui_view_bits(unsigned view_changes);
const char *tui_file_name(const tui *t);

/* term.c: signals and the terminal.  term_signals_install() first (before
 * any curses call); term_start() brings curses up with the color mode of
 * the options and the terminal; term_end() restores the terminal and may be
 * called any number of times. */
void term_signals_install(void);
int term_start(tui *t, char *err, size_t errlen);
void term_end(void);
bool term_active(void);
/* The signal asking to end (SIGINT, SIGTERM, SIGHUP), 0 when none. */
int term_pending_signal(void);
/* Ctrl-Z and continue requests since the last call. */
bool term_take_tstp(void);
bool term_take_cont(void);
/* Leaves curses mode and stops until continued; the caller repaints. */
void term_suspend(void);
/* Moves the text of lines ys[0..ny) from column x0 to the right edge by n
 * columns (n > 0: to the left) on the terminal itself, with its delete- or
 * insert-character capability, on curses' copy of the screen and on
 * stdscr: only what comes into view needs drawing, and the next update
 * only sends that.  The moved part must hold characters one column wide.
 * False (nothing done) when the terminal cannot. */
bool term_shift_columns(const int *ys, int ny, int x0, long n);

/* keys.c: the key bindings of the action table (actions.h). */
void tui_bind_keys(void);
/* A key's name as the action table writes it ("PgDn", "C-l", "g"). */
void tui_key_name(int key, char *buf, size_t n);
/* The first key name of an action, for hints ("a", "Tab"). */
const char *tui_action_key(int action);
/* The action a key is bound to on the grid, -1 when none. */
int tui_key_action(int key);
/* The same key whatever code the terminal sent for it (Enter, keypad). */
int tui_key_normalize(int key);

/* history.c */
void tui_hist_add(tui *t, const char *pipeline);
void tui_hist_load(tui *t);

/* config.c: tui_config_load() reads the file (a missing file is no
 * error; problems go to cfg->error and the rest is still read);
 * tui_config_set() writes one setting into it (atomically, the other lines
 * kept), creating the file and its directory if needed. */
void tui_config_load(tui_config *cfg);
int tui_config_set(tui_config *cfg, const char *name, const char *value, as_error *err);
/* Saves a setting the user just changed; a failure becomes the message. */
void tui_config_save(tui *t, const char *name, const char *value);
const char *tui_color_setting(tui_color_mode m);

/* clip.c: puts text on the terminal's clipboard with OSC 52 (wrapped for
 * tmux and screen), written straight to the terminal.  Returns 0, or -1
 * with errno set. */
int tui_clip_copy(const char *text);

#endif
