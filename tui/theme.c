/* theme.c - color modes, role and bucket styles (see theme.h). */
#include "theme.h"

#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "colormap.h"
#include "label.h"

typedef struct role_def {
    short fg256, bg256;
    attr_t a256;
    short fg8, bg8;
    attr_t a8, amono;
} role_def;

static const role_def roles[ROLE_COUNT] = {
#define TUI_ROLE_DEF(r, f2, b2, a2, f8, b8, a8, am) {f2, b2, a2, f8, b8, a8, am},
    TUI_ROLES(TUI_ROLE_DEF)
#undef TUI_ROLE_DEF
};

/* Pair numbers: roles from 1, buckets from CELL_PAIR0 (256 of them, or 4
 * in 8-color mode). */
#define CELL_PAIR0 64

static tui_color_mode cur_mode;
static tui_style role_style[ROLE_COUNT];
static tui_cell_style cells[257];   /* index bucket + 1 */

const char *theme_mode_name(tui_color_mode m)
{
    static const char *names[] = {"monochrome", "8 colors", "256 colors", "truecolor"};
    return names[m];
}

bool theme_env_truecolor(void)
{
    const char *ct = getenv("COLORTERM");
    return ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit"));
}

const char *theme_direct_term(void)
{
    static char name[64];
    const char *term = getenv("TERM");
    if (!term || strstr(term, "direct"))
        return NULL;
    const char *fam[] = {"xterm", "tmux", "vte", "kitty", "konsole", "alacritty",
                         "foot", "mintty", "iterm2", "mlterm"};
    for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++) {
        size_t l = strlen(fam[i]);
        if (!strncmp(term, fam[i], l) && (term[l] == '\0' || term[l] == '-')) {
            snprintf(name, sizeof name, "%s-direct", fam[i]);
            return name;
        }
    }
    return NULL;
}

tui_color_mode theme_detect(void)
{
    if (!has_colors())
        return TUI_MONO;
    if (COLORS >= 0x1000000)
        return TUI_TRUE;
    if (COLORS >= 256 && COLOR_PAIRS >= CELL_PAIR0 + 256)
        return TUI_256;
    if (COLORS >= 8 && COLOR_PAIRS >= CELL_PAIR0 + 4)
        return TUI_8;
    return TUI_MONO;
}

tui_color_mode theme_mode(void)
{
    return cur_mode;
}

/* The RGB of xterm palette entry i (16..255; 0..15 approximated). */
static int xterm_rgb24(int i)
{
    static const int base[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
                                 0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
                                 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
    if (i < 16)
        return base[i];
    as_rgba c = cmap_xterm256_rgb(i);
    return (c.r << 16) | (c.g << 8) | c.b;
}

/* The screen takes colors as 0xRRGGBB (a direct-color terminal
 * description): palette entries are given by their RGB there, except the
 * eight basic colors, which direct descriptions keep as they are. */
static bool screen_direct(void)
{
    return COLORS >= 0x1000000;
}

/* A color number for the screen: palette index, or 0xRRGGBB on a direct
 * screen. */
static int mode_color(int xterm)
{
    if (xterm < 8 || !screen_direct())
        return xterm;
    return xterm_rgb24(xterm);
}

static void make_pair(int pair, int fg, int bg)
{
    init_extended_pair(pair, fg, bg);
}

static const char *density(int level)
{
    static const char *u8[] = {" ", "\u2591", "\u2592", "\u2593", "\u2588"};
    static const char *ascii[] = {" ", ".", ":", "*", "#"};
    return tui_utf8() ? u8[level] : ascii[level];
}

/* The wide character of a one-character UTF-8 (or ASCII) glyph. */
static wchar_t glyph_wc(const char *g)
{
    wchar_t wc = L' ';
    mbstate_t st;
    memset(&st, 0, sizeof st);
    if (mbrtowc(&wc, g, strlen(g), &st) > 4)
        wc = (wchar_t)(unsigned char)g[0];
    return wc;
}

void theme_init(tui_color_mode mode)
{
    cur_mode = mode;
    if (mode != TUI_MONO)
        use_default_colors();
    for (int r = 0; r < ROLE_COUNT; r++) {
        const role_def *d = &roles[r];
        tui_style s = {0, 0};
        if (mode == TUI_MONO) {
            s.attr = d->amono;
        } else if (mode == TUI_8) {
            s.attr = d->a8;
            if (d->fg8 >= 0 || d->bg8 >= 0) {
                make_pair(1 + r, mode_color(d->fg8), mode_color(d->bg8));
                s.pair = (short)(1 + r);
            }
        } else {
            s.attr = d->a256;
            if (d->fg256 >= 0 || d->bg256 >= 0) {
                make_pair(1 + r, mode_color(d->fg256), mode_color(d->bg256));
                s.pair = (short)(1 + r);
            }
        }
        role_style[r] = s;
    }
    int pair_fg[256], pair_bg[256], npairs = 0;
    /* NaN / no bucket: the terminal's own background */
    cells[0] = (tui_cell_style){.glyph = " ", .wglyph = L' '};
    for (int b = 0; b < 256; b++) {
        tui_cell_style *c = &cells[b + 1];
        bool neg = b < 128;
        /* glyphs for cells too narrow for a number: density by strength */
        int g = cmap_level(b, 4);
        c->glyph = density(g < 0 ? -g : g);
        if (mode == TUI_256 || mode == TUI_TRUE) {
            int fg, bg;
            if (mode == TUI_TRUE) {
                as_rgba rgb = cmap_heatmap_rgb_on_white(b);
                bg = (rgb.r << 16) | (rgb.g << 8) | rgb.b;
                /* the basic black and white: short escapes (ESC[30m,
                 * ESC[37m) where 24-bit ones take 19 bytes a cell */
                fg = cmap_dark_text(rgb) ? COLOR_BLACK : COLOR_WHITE;
                if (!screen_direct()) {   /* cannot happen: truecolor needs a direct screen */
                    bg = cmap_ramp256(cmap_level(b, CMAP_RAMP256_STEPS));
                    fg = cmap_dark_text(cmap_xterm256_rgb(bg)) ? 16 : 231;
                }
            } else {
                int idx = cmap_ramp256(cmap_level(b, CMAP_RAMP256_STEPS));
                bg = mode_color(idx);
                /* the basic black and bright white: short escapes */
                fg = mode_color(cmap_dark_text(cmap_xterm256_rgb(idx)) ? COLOR_BLACK
                                                                        : COLOR_WHITE + 8);
            }
            /* neighbouring buckets often land on the same colors: one pair
             * for them, so runs of similar cells need no color changes */
            short pair = 0;
            for (int k = 0; k < npairs && !pair; k++)
                if (pair_fg[k] == fg && pair_bg[k] == bg)
                    pair = (short)(CELL_PAIR0 + k);
            if (!pair) {
                pair = (short)(CELL_PAIR0 + npairs);
                pair_fg[npairs] = fg;
                pair_bg[npairs] = bg;
                npairs++;
                make_pair(pair, fg, bg);
            }
            c->fill = c->text = (tui_style){0, pair};
            if (g != 0)
                c->glyph = " ";   /* the background says it all */
        } else if (mode == TUI_8) {
            /* 4 steps per sign: colored text, bold colored text, white on
             * the color, bold white on the color (as `show --color 8`) */
            int l = cmap_level(b, CMAP_RAMP8_STEPS);
            l = l < 0 ? -l : l;
            short fgp = (short)(CELL_PAIR0 + (neg ? 0 : 1)), bgp = (short)(CELL_PAIR0 + 2 + (neg ? 0 : 1));
            if (b == 0 || b == 255) {
                short hue = neg ? COLOR_BLUE : COLOR_RED;
                make_pair(fgp, hue, -1);
                make_pair(bgp, COLOR_WHITE, hue);
            }
            c->fill = (tui_style){l >= 3 ? A_BOLD : 0, l ? fgp : 0};
            static const attr_t at[CMAP_RAMP8_STEPS + 1] = {0, 0, A_BOLD, 0, A_BOLD};
            c->text = (tui_style){at[l], l == 0 ? 0 : l <= 2 ? fgp : bgp};
        } else {
            /* monochrome: plain, bold, reverse for the strongest;
             * negative values underlined (not the ones next to zero) */
            int l = cmap_level(b, CMAP_RAMP_MONO_STEPS);
            l = l < 0 ? -l : l;
            static const attr_t at[CMAP_RAMP_MONO_STEPS + 1] = {0, 0, A_BOLD, A_REVERSE};
            attr_t sign = neg && g != 0 ? A_UNDERLINE : 0;
            c->fill = (tui_style){sign, 0};
            c->text = (tui_style){at[l] | (l ? sign : 0), 0};
        }
    }
    for (int b = 0; b < 257; b++) {
        tui_cell_style *c = &cells[b];
        c->wglyph = glyph_wc(c->glyph);
        wchar_t g[2] = {c->wglyph, 0}, sp[2] = {L' ', 0};
        setcchar(&c->cfill, g, c->fill.attr, c->fill.pair, NULL);
        setcchar(&c->ctext, sp, c->text.attr, c->text.pair, NULL);
    }
}

tui_style theme_role(enum tui_role r)
{
    return role_style[r];
}

const tui_cell_style *theme_cell(int bucket)
{
    if (bucket < -1 || bucket > 255)
        bucket = -1;
    return &cells[bucket + 1];
}

void theme_set(WINDOW *w, tui_style s)
{
    wattr_set(w, s.attr, s.pair, NULL);
}
