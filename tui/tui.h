/* tui.h - the explorer's state and the pieces its files share.
 *
 * One `tui` lives in explore_main().  The grid is the base screen; dialogs
 * (help, info, lists, prompts, the pipeline editor) are screens stacked on
 * top, each {draw, key, free}.  Keys go to the top screen; every handler
 * returns TUI_* bits of what changed and only the main loop redraws.
 */
#ifndef AS_TUI_TUI_H
#define AS_TUI_TUI_H

#include <curses.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "actions.h"
#include "overview.h"
#include "explore.h"
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

typedef struct tui_match {
    int pane;
    bool col;                  /* a column (generated token), else a row */
    size_t index;              /* grid row or column */
} tui_match;

/* What the last frame showed, so the next one can redraw less. */
typedef struct tui_drawn {
    bool valid;
    tui_layout lay;
    int pane;
    size_t row[2], col, top[2], left;
    bool panes[2];             /* which panes were shown */
} tui_drawn;

typedef struct tui_times {
    double *ms;
    size_t n, cap;
} tui_times;

/* One of the slowest frames after a key, for --stats. */
#define TUI_SLOW_MAX 8
typedef struct tui_slow {
    int key;
    unsigned kind;                /* TUI_MOVE, TUI_DATA or 0 */
    double ms, draw, output;
} tui_slow;

#define TUI_HIST_MAX 100

static inline int imin(int a, int b) { return a < b ? a : b; }

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
    char list_error[AS_ERROR_MAX];   /* the latest of them */
    double t_listed;           /* when every file was read (ms after start) */
    double t_list_drawn;       /* last redraw for the listing's progress */
    bool skim_thread;          /* the catalog reads files on its thread */
    int cw_level;              /* index into the cell widths (draw.c) */
    bool cw_auto;              /* width follows the view until ( or ) */
    bool topk;
    tui_color_mode max_mode;
    tui_labels lab[2];         /* source and target tokens of the shown sequence */
    bool lab_built, lab_raw;   /* lab made for view cur_gen lab_gen, raw or not */
    unsigned long lab_gen;
    tui_layout lay;
    tui_drawn drawn;
    char msg[AS_ERROR_MAX + 128];
    bool msg_err;
    char query[256];
    tui_match *matches;
    size_t nmatch, match_i;
    bool search_here;          /* search the shown sequence only */
    bool mouse_on;             /* mouse events are asked for */
    MEVENT mouse;              /* the last mouse event (key TUI_MOUSE) */
    tui_config cfg;
    explore_opts eff;          /* the options in effect: command line over config */
    screen *top;
    char *hist[TUI_HIST_MAX];  /* pipelines, oldest first */
    size_t nhist;
    bool hist_loaded;
    /* statistics */
    bool stats;
    double t_start, first_frame_ms, load_ms;
    tui_times t_move, t_data, t_other;
    tui_times t_draw, t_output;   /* every frame: building it, sending it */
    double last_draw, last_output; /* of the last frame */
    tui_slow slow[TUI_SLOW_MAX];   /* the slowest key frames, slowest first */
    int nslow;
    struct tui_sum *sum;       /* the overview (overview.h), NULL until asked for */
    struct tui_watch *watch;   /* following the files (overview.h), NULL when off */
};

/* explore.c */
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
/* Shows sequence k (global index), loading its file with a progress bar
 * when it belongs to another file of the catalog.  Returns TUI_* bits. */
unsigned tui_goto_seq(tui *t, size_t k);
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

/* loading.c: tui_busy() runs fn(t, ud) in a thread and returns what it
 * returns; after 300 ms it shows a progress bar titled `what` (starting the
 * terminal if needed) from t->prog, which loads report into through
 * tui_load_opts() (total: the expected bytes, 0 unknown).  fn must not use
 * curses, and nothing else touches the data meanwhile. */
int tui_busy(tui *t, const char *what, uint64_t total, int (*fn)(tui *t, void *ud), void *ud);
as_load_opts tui_load_opts(tui *t);
/* The one file (or the in-memory example) of t->opts.  res->out is NULL
 * when nothing loaded; errors says why. */
typedef struct tui_loaded {
    as_output *out;
    char errors[4096];
    size_t nfailed;
} tui_loaded;
int tui_load(tui *t, tui_loaded *res);

/* explore.c: the state of reading a catalog's files, for the status line
 * ("" when there is nothing to say). */
void tui_listing_text(const tui *t, char *buf, size_t n);

/* history.c */
void tui_hist_add(tui *t, const char *pipeline);
void tui_hist_load(tui *t);

/* actions.c */
void tui_bind_keys(void);
/* Runs the action bound to key on the grid screen. */
unsigned tui_dispatch(tui *t, int key);
/* The first key name of an action, for hints ("a", "Tab"). */
/* A key's name as the action table writes it ("PgDn", "C-l", "g"). */
void tui_key_name(int key, char *buf, size_t n);
const char *tui_action_key(int action);
/* The input and generated text of sequence i, made safe: from info's
 * input_texts / generated_texts when they line up with the sequences, else
 * the decoded tokens. */
void tui_seq_texts(const tui *t, size_t i, char *in, size_t inn, char *gen, size_t genn);

/* config.c: tui_config_load() reads the file (a missing file is no
 * error; problems go to cfg->error and the rest is still read);
 * tui_config_set() writes one setting into it (atomically, the other lines
 * kept), creating the file and its directory if needed. */
void tui_config_load(tui_config *cfg);
int tui_config_set(tui_config *cfg, const char *name, const char *value, as_error *err);
/* Saves a setting the user just changed; a failure becomes the message. */
void tui_config_save(tui *t, const char *name, const char *value);
const char *tui_color_setting(tui_color_mode m);

/* mouse.c: what a mouse event on the grid does (t->mouse). */
unsigned tui_mouse_grid(tui *t);
/* The position indicator for the status line ("rows 121-150/700 cols
 * 41-60/400"), "" when the focused pane shows all of its rows and columns. */
void tui_position_text(const tui *t, char *buf, size_t n);

/* clip.c: puts text on the terminal's clipboard with OSC 52 (wrapped for
 * tmux and screen), written straight to the terminal.  Returns 0, or -1
 * with errno set. */
int tui_clip_copy(const char *text);

/* jump.c: the `:` prompt's text applied (see README, "Jumping"). */
unsigned tui_jump(tui *t, const char *text, as_error *err);
/* compare.c: the compare mode over the first two files open (a screen;
 * act_COMPARE is the grid's `c`).  With fewer than two files it says so. */
unsigned tui_compare_start(tui *t);
unsigned act_COMPARE(tui *t);
/* actions.c: the action a key is bound to on the grid, -1 when none. */
int tui_key_action(int key);

/* draw.c */
/* Cell widths: the width of a level, and the level nearest a width. */
int tui_cw_width(int level);
int tui_cw_level_for(int width);
void tui_labels_build(tui *t);
void tui_labels_free(tui *t);
void tui_layout_compute(tui *t);
void tui_draw_main(tui *t);
/* The grid screen for a frame with these TUI_* bits: only what changed
 * when the last frame allows it (a cursor move redraws two rows, the
 * column labels and the status; a horizontal scroll moves the columns on
 * the terminal itself), else tui_draw_main(); dialogs on top must be
 * drawn after.  tui_draw_forget() makes the next frame a full one. */
void tui_draw_frame(tui *t, unsigned bits);
void tui_draw_forget(tui *t);
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
/* The display label of row `row` of a pane and of a grid column's token. */
const char *tui_row_label(const tui *t, int pane, size_t row);
const char *tui_col_label(const tui *t, int pane, size_t col);
void tui_draw_progress(const char *what, double frac, const char *detail);

/* screens.c */
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

/* editor.c */
screen *editor_new(tui *t);

/* info.c: the info panel's lines (owned by the caller: free each, then the
 * array). */
char **tui_info_lines(const tui *t, size_t *n);
void tui_lines_free(char **lines, size_t n);

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

#endif
