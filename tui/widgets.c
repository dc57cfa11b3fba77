/* widgets.c - text, lines, boxes, numbers and the progress bar, drawn on
 * stdscr with the theme's styles; every text made safe first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "widgets.h"

/* ------------------------------------------------------------ text out */

void tui_fill(int y, int x, int w, tui_style st)
{
    if (w <= 0)
        return;
    theme_set(stdscr, st);
    mvhline(y, x, ' ', w);
}

int tui_put(int y, int x, const char *s, int w, tui_style st, bool pad, bool ell)
{
    if (w <= 0)
        return 0;
    int used;
    size_t n = tui_fit(s, w, &used);
    bool cut = s[n] != '\0';
    theme_set(stdscr, st);
    if (cut && ell) {
        n = tui_fit(s, w - 1, &used);
        mvaddnstr(y, x, s, (int)n);
        addstr(tui_utf8() ? "\u2026" : "~");
        used++;
    } else {
        mvaddnstr(y, x, s, (int)n);
    }
    if (pad && used < w)
        hline(' ', w - used), used = w;
    return used;
}

/* Box-drawing pieces as text: Unicode in a UTF-8 locale, else ASCII (the
 * terminal's alternate character set is avoided: not every terminal and
 * multiplexer agrees on it). */
static const char *bx(int k)
{
    static const char *u[] = {"\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518"};
    static const char *a[] = {"-", "|", "+", "+", "+", "+"};
    return tui_utf8() ? u[k] : a[k];
}

void tui_hline(int y, int x, int w, tui_style st)
{
    theme_set(stdscr, st);
    move(y, x);
    for (int i = 0; i < w; i++)
        addstr(bx(0));
}

void tui_vline(int y, int x, int h, tui_style st)
{
    theme_set(stdscr, st);
    for (int i = 0; i < h; i++)
        mvaddstr(y + i, x, bx(1));
}

void tui_box(int y, int x, int h, int w, const char *title, int *iy, int *ix, int *ih, int *iw)
{
    tui_style b = theme_role(ROLE_BORDER), n = theme_role(ROLE_NORMAL);
    for (int i = 0; i < h; i++)
        tui_fill(y + i, x, w, n);
    tui_hline(y, x + 1, w - 2, b);
    tui_hline(y + h - 1, x + 1, w - 2, b);
    tui_vline(y + 1, x, h - 2, b);
    tui_vline(y + 1, x + w - 1, h - 2, b);
    mvaddstr(y, x, bx(2));
    mvaddstr(y, x + w - 1, bx(3));
    mvaddstr(y + h - 1, x, bx(4));
    mvaddstr(y + h - 1, x + w - 1, bx(5));
    if (title && w > 6) {
        char t[256];
        snprintf(t, sizeof t, " %s ", title);
        tui_put(y, x + 2, t, w - 4, theme_role(ROLE_TITLE), false, true);
    }
    *iy = y + 1;
    *ix = x + 2;
    *ih = h - 2;
    *iw = w - 4;
}

/* ---------------------------------------------------------------- values */

/* Fixed-point text of |v| < 1e15 with prec decimals, without printf. */
static int fixed(double v, int prec, char *out)
{
    static const double p10[] = {1, 10, 100, 1000, 10000};
    bool neg = v < 0;
    double a = neg ? -v : v;
    unsigned long long m = (unsigned long long)(a * p10[prec] + 0.5);
    char tmp[32];
    int k = 0;
    for (int i = 0; i < prec; i++) {
        tmp[k++] = (char)('0' + m % 10);
        m /= 10;
    }
    if (prec)
        tmp[k++] = '.';
    do {
        tmp[k++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (neg)
        tmp[k++] = '-';
    for (int i = 0; i < k; i++)
        out[i] = tmp[k - 1 - i];
    out[k] = '\0';
    return k;
}

void tui_fmt_value(double v, int w, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    if (w <= 0)
        return;
    if (isnan(v)) {
        snprintf(buf, n, "%s", w >= 3 ? "NaN" : "");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, "%s", w >= 4 ? (v > 0 ? "inf" : "-inf") : (v > 0 ? "+" : "-"));
        return;
    }
    char t[64];
    if (fabs(v) < 1e15 && n >= 32) {
        for (int prec = imin(3, imax(0, w - 3)); prec >= 0; prec--) {
            int l = fixed(v, prec, t);
            if (l <= w) {
                /* a value that is not zero but shows as 0.000: its
                 * significant digits instead ("-2.1e-5"), when they fit */
                if (v != 0 && !strpbrk(t, "123456789") && text_fmt_sci(t, sizeof t, v, w) > 0)
                    l = (int)strlen(t);
                memcpy(buf, t, (size_t)l + 1);
                return;
            }
        }
    }
    for (int prec = imax(0, w - 6); prec >= 0; prec--) {
        int l = snprintf(t, sizeof t, "%.*e", prec, v);
        if (l <= w) {
            snprintf(buf, n, "%s", t);
            return;
        }
    }
    snprintf(buf, n, "%.*s", imin(w, 8), v > 0 ? "########" : "--------");
}

void tui_draw_progress(const char *what, double frac, const char *detail)
{
    int H, W;
    getmaxyx(stdscr, H, W);
    erase();
    int w = imin(W - 4, 60);
    if (w < 10)
        w = W;
    int x = (W - w) / 2, y = H / 2 - 1;
    tui_put(y - 1 > 0 ? y - 1 : 0, x, what, w, theme_role(ROLE_TITLE), false, true);
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * w + 0.5);
    tui_fill(y, x, fill, theme_role(ROLE_PROGRESS));
    theme_set(stdscr, theme_role(ROLE_DIM));
    for (int i = fill; i < w; i++)
        mvaddstr(y, x + i, tui_utf8() ? "\u2591" : ".");
    if (theme_mode() == TUI_MONO)
        for (int i = 0; i < fill; i++)
            mvaddstr(y, x + i, tui_utf8() ? "\u2588" : "#");
    tui_put(y + 1, x, detail, w, theme_role(ROLE_NORMAL), false, true);
}
