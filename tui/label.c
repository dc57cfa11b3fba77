/* label.c - terminal-safe text through model/tokens.h (see label.h). */
#include "label.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool utf8_locale;

void tui_text_init(void)
{
    const char *cs = nl_langinfo(CODESET);
    utf8_locale = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

bool tui_utf8(void)
{
    return utf8_locale;
}

/* Outside a UTF-8 locale: every non-ASCII character of the escaped text
 * in place becomes \u{XXXX} (only whole escapes are kept when it must be
 * cut). */
static void ascii_only(char *buf, size_t n)
{
    size_t len = strlen(buf);
    size_t extra = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)buf[i] >= 0x80)
            extra++;
    if (!extra)
        return;
    char *src = strdup(buf);
    if (!src) {
        /* no memory for the copy: cut at the first non-ASCII byte */
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)buf[i] >= 0x80) {
                buf[i] = '\0';
                break;
            }
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t l = tokens_utf8_next(src + i, len - i, &cp);
        char e[16];
        size_t el;
        if ((unsigned char)src[i] < 0x80) {
            e[0] = src[i];
            el = 1;
        } else {
            el = (size_t)snprintf(e, sizeof e, "\\u{%x}", (unsigned)(cp < 0 ? 0xfffd : cp));
        }
        if (o + el + 1 > n)
            break;
        memcpy(buf + o, e, el);
        o += el;
        i += l;
    }
    buf[o] = '\0';
    free(src);
}

int tui_label(const char *raw, tokens_mode m, char *buf, size_t n)
{
    if (!n)
        return 0;
    int cols = 0;
    tokens_label(buf, n, m, raw ? raw : "", 0, -1, &cols);
    if (!utf8_locale) {
        ascii_only(buf, n);
        cols = tui_width(buf);
    }
    return cols;
}

int tui_safe(const char *s, char *buf, size_t n)
{
    if (!n)
        return 0;
    s = s ? s : "";
    tokens_escape(buf, n, s, strlen(s), 0);
    if (!utf8_locale)
        ascii_only(buf, n);
    return tui_width(buf);
}

int tui_width(const char *s)
{
    return tokens_width(s, strlen(s), 0);
}

/* Columns of the character at s (its length in *len); an invalid byte or a
 * control (which safe text does not hold) counts as one column. */
static int char_width(const char *s, size_t avail, size_t *len)
{
    int32_t cp;
    *len = tokens_utf8_next(s, avail, &cp);
    if (cp < 0)
        return 1;
    int w = tokens_cp_width(cp);
    return w < 0 ? 1 : w;
}

size_t tui_fit(const char *s, int w, int *used)
{
    size_t len = strlen(s), i = 0;
    int u = 0;
    while (i < len) {
        size_t l;
        int cw = char_width(s + i, len - i, &l);
        if (u + cw > w)
            break;
        u += cw;
        i += l;
    }
    if (used)
        *used = u;
    return i;
}

size_t tui_fit_tail(const char *s, int w)
{
    size_t len = strlen(s), off = 0;
    int total = tui_width(s);
    while (total > w && off < len) {
        size_t l;
        total -= char_width(s + off, len - off, &l);
        off += l;
    }
    return off;
}
