/* theme.h - colors by meaning.
 *
 * Two tables: UI roles (header, status, cursor, ...) and the colormap
 * buckets of render/colormap.h, each mapped to a curses attribute and color
 * pair per color mode.  In truecolor and 256-color modes a cell's
 * background is the heatmap color of its bucket laid over white, exactly as
 * the HTML shows it (256 colors: the nearest palette entry); with 8 colors
 * the sign picks blue or red and the strength a glyph density ( ░▒▓█) or,
 * behind a printed value, plain/colored/inverted text; monochrome uses only
 * glyphs, bold and reverse.
 *
 * Call theme_init() after start_color() (or without colors for
 * monochrome), again whenever the mode changes.  Styles returned are
 * static.
 */
#ifndef AS_TUI_THEME_H
#define AS_TUI_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

typedef enum tui_color_mode {
    TUI_MONO = 0,
    TUI_8,
    TUI_256,
    TUI_TRUE,
} tui_color_mode;

/* X(ROLE, fg256, bg256, attrs, fg8, bg8, attrs8, attrs_mono); -1 = the
 * terminal's default color. */
#define TUI_ROLES(X)                                                              \
    X(NORMAL, -1, -1, 0, -1, -1, 0, 0)                                            \
    X(HEADER, 231, 24, A_BOLD, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD) \
    X(HEADER_DIM, 153, 24, 0, COLOR_CYAN, COLOR_BLUE, 0, A_REVERSE)               \
    X(STATUS, 16, 252, 0, COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE)                 \
    X(STATUS_KEY, 18, 252, A_BOLD, COLOR_BLUE, COLOR_WHITE, A_BOLD, A_REVERSE | A_BOLD) \
    X(MESSAGE, 16, 151, 0, COLOR_BLACK, COLOR_GREEN, 0, A_BOLD)                   \
    X(ERROR, 231, 124, A_BOLD, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD) \
    X(LABEL, -1, -1, 0, -1, -1, 0, 0)                                             \
    X(INDEX, 244, -1, 0, COLOR_CYAN, -1, 0, A_DIM)                                \
    X(LABEL_CUR, 16, 186, A_BOLD, COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE)        \
    X(STEP, 130, -1, 0, COLOR_YELLOW, -1, 0, A_UNDERLINE)                         \
    X(CURSOR, 16, 226, A_BOLD, COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD) \
    X(TITLE, 25, -1, A_BOLD, COLOR_BLUE, -1, A_BOLD, A_BOLD)                      \
    X(SLIDER, 16, 222, 0, COLOR_BLACK, COLOR_YELLOW, 0, A_UNDERLINE)              \
    X(BORDER, 245, -1, 0, COLOR_CYAN, -1, 0, 0)                                   \
    X(SELECT, 16, 153, 0, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE)                  \
    X(PROGRESS, 231, 31, 0, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE)                \
    X(DIM, 244, -1, 0, -1, -1, A_DIM, A_DIM)

enum tui_role {
#define TUI_ROLE_ENUM(r, a, b, c, d, e, f, g) ROLE_##r,
    TUI_ROLES(TUI_ROLE_ENUM)
#undef TUI_ROLE_ENUM
    ROLE_COUNT
};

typedef struct tui_style {
    attr_t attr;
    short pair;
} tui_style;

/* How a cell of a colormap bucket looks: `fill` for cells too narrow for a
 * number (with `glyph`), `text` behind a printed number. */
typedef struct tui_cell_style {
    tui_style fill, text;
    const char *glyph;   /* UTF-8 (or ASCII outside a UTF-8 locale) */
    wchar_t wglyph;      /* the same character */
    cchar_t cfill, ctext; /* a cell of each: glyph in `fill`, blank in `text` */
} tui_cell_style;

/* The richest mode the terminal supports, from the environment and curses
 * (after start_color). */
tui_color_mode theme_detect(void);
/* COLORTERM says truecolor (or 24bit). */
bool theme_env_truecolor(void);
/* A system terminal name with direct colors for the terminal family of
 * TERM: e.g. "xterm-direct" for xterm-256color; NULL when none applies
 * (the explorer first builds one from TERM itself, see term.c). */
const char *theme_direct_term(void);
void theme_init(tui_color_mode mode);
tui_color_mode theme_mode(void);
const char *theme_mode_name(tui_color_mode m);
tui_style theme_role(enum tui_role r);
/* bucket -1 (NaN or no bucket) .. 255 */
const tui_cell_style *theme_cell(int bucket);
/* Sets the window's attributes to a style. */
void theme_set(WINDOW *w, tui_style s);

#endif
