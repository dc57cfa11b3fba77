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

static bool env_truecolor(void)
{
    const char *ct = getenv("COLORTERM");
    return ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit"));
}

const char *theme_direct_term(void)
{
    static char name[64];
    const char *term = getenv("TERM");
    if (!env_truecolor() || !term || strstr(term, "direct"))
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
static void xterm_rgb(int i, int rgb[3])
{
    static const int base[16][3] = {
        {0, 0, 0},     {205, 0, 0},   {0, 205, 0},   {205, 205, 0},   {0, 0, 238},
        {205, 0, 205}, {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0},
        {0, 255, 0},   {255, 255, 0}, {92, 92, 255}, {255, 0, 255},   {0, 255, 255},
        {255, 255, 255}};
    if (i < 16) {
        memcpy(rgb, base[i], sizeof base[i]);
    } else if (i < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        i -= 16;
        rgb[0] = lv[i / 36];
        rgb[1] = lv[(i / 6) % 6];
        rgb[2] = lv[i % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
    }
}

static int nearest_xterm(const int rgb[3])
{
    int best = 16;
    long bd = -1;
    for (int i = 16; i < 256; i++) {
        int c[3];
        xterm_rgb(i, c);
        long d = 0;
        for (int k = 0; k < 3; k++) {
            long e = c[k] - rgb[k];
            d += e * e;
        }
        if (bd < 0 || d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

/* A color number for the mode: palette index, or 0xRRGGBB in direct mode. */
static int mode_color(int xterm, tui_color_mode m)
{
    if (xterm < 0 || m != TUI_TRUE)
        return xterm;
    int c[3];
    xterm_rgb(xterm, c);
    return (c[0] << 16) | (c[1] << 8) | c[2];
}

static void make_pair(int pair, int fg, int bg)
{
    init_extended_pair(pair, fg, bg);
}

/* The heatmap color of a bucket over a white page. */
static void bucket_rgb(int b, int rgb[3])
{
    as_rgba c = cmap_heatmap(b);
    double a = c.a;
    rgb[0] = (int)(c.r * a + 255 * (1 - a) + 0.5);
    rgb[1] = (int)(c.g * a + 255 * (1 - a) + 0.5);
    rgb[2] = (int)(c.b * a + 255 * (1 - a) + 0.5);
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
                make_pair(1 + r, d->fg8, d->bg8);
                s.pair = (short)(1 + r);
            }
        } else {
            s.attr = d->a256;
            if (d->fg256 >= 0 || d->bg256 >= 0) {
                make_pair(1 + r, mode_color(d->fg256, mode), mode_color(d->bg256, mode));
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
        double x = (b + 0.5) / 256.0;
        double strength = x < 0.5 ? (0.5 - x) * 2 : (x - 0.5) * 2;
        int level = (int)(strength * 5);
        level = level > 4 ? 4 : level;
        bool pos = b >= 128;
        c->glyph = " ";
        if (mode == TUI_256 || mode == TUI_TRUE) {
            int rgb[3];
            bucket_rgb(b, rgb);
            int lum = (299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]) / 1000;
            int fg, bg;
            if (mode == TUI_TRUE) {
                bg = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
                fg = lum < 140 ? 0xffffff : 0x000000;
            } else {
                bg = nearest_xterm(rgb);
                fg = lum < 140 ? COLOR_WHITE + 8 : COLOR_BLACK;   /* short escapes */
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
        } else if (mode == TUI_8) {
            short hue = pos ? COLOR_RED : COLOR_BLUE;
            int fgp = CELL_PAIR0 + (pos ? 1 : 0), bgp = CELL_PAIR0 + 2 + (pos ? 1 : 0);
            if (b == 0 || b == 255) {
                make_pair(CELL_PAIR0 + (pos ? 1 : 0), hue, -1);
                make_pair(CELL_PAIR0 + 2 + (pos ? 1 : 0), COLOR_WHITE, hue);
            }
            c->glyph = density(level);
            c->fill = (tui_style){level >= 3 ? A_BOLD : 0, level ? (short)fgp : 0};
            if (level >= 3)
                c->text = (tui_style){A_BOLD, (short)bgp};
            else if (level >= 1)
                c->text = (tui_style){0, (short)fgp};
            else
                c->text = (tui_style){0, 0};
        } else {
            c->glyph = density(level);
            c->fill = (tui_style){0, 0};
            c->text = (tui_style){level >= 4 ? A_REVERSE : level >= 2 ? A_BOLD : 0, 0};
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
