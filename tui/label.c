/* label.c - terminal-safe text (see label.h). */
#include "label.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

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

/* Decodes one UTF-8 character at s: returns its length (1 for an invalid
 * byte, with *cp = -1). */
static int u8_decode(const unsigned char *s, int32_t *cp)
{
    unsigned c = s[0];
    int n;
    int32_t v;
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    } else if (c >= 0xc2 && c < 0xe0) {
        n = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c < 0xf0) {
        n = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c < 0xf5) {
        n = 4;
        v = c & 0x07;
    } else {
        *cp = -1;
        return 1;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v < 0xe000)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return n;
}

static bool is_format(int32_t c)
{
    return (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
           (c >= 0xe0000 && c <= 0xe007f);
}

typedef struct sink {
    char *buf;
    size_t n, len;
    int width;
    bool full;
    bool base;   /* a printable base character precedes (for combining marks) */
} sink;

static void put(sink *k, const char *s, size_t l, int w)
{
    if (k->full || k->len + l + 1 > k->n) {
        k->full = true;
        return;
    }
    memcpy(k->buf + k->len, s, l);
    k->len += l;
    k->buf[k->len] = '\0';
    k->width += w;
}

static void put_escape(sink *k, int32_t cp, int byte)
{
    char e[16];
    if (byte >= 0)
        snprintf(e, sizeof e, "\\x%02x", byte);
    else if (cp == '\n')
        strcpy(e, "\\n");
    else if (cp == '\t')
        strcpy(e, "\\t");
    else if (cp == '\r')
        strcpy(e, "\\r");
    else if (cp == 0)
        strcpy(e, "\\0");
    else if (cp < 0x80)
        snprintf(e, sizeof e, "\\x%02x", (unsigned)cp);
    else
        snprintf(e, sizeof e, "\\u{%x}", (unsigned)cp);
    put(k, e, strlen(e), (int)strlen(e));
    k->base = true;
}

/* Appends one character, escaped when it is not safe to print. */
static void put_cp(sink *k, const char *src, int len, int32_t cp)
{
    if (cp < 0) {
        put_escape(k, 0, (unsigned char)src[0]);
        return;
    }
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || is_format(cp)) {
        put_escape(k, cp, -1);
        return;
    }
    if (cp < 0x80) {
        put(k, src, 1, 1);
        k->base = true;
        return;
    }
    if (!utf8_locale) {
        put_escape(k, cp, -1);
        return;
    }
    int w = wcwidth((wchar_t)cp);
    if (w < 0 || (w == 0 && !k->base)) {
        put_escape(k, cp, -1);
        return;
    }
    put(k, src, (size_t)len, w);
    if (w > 0)
        k->base = true;
}

static int safe_copy(const char *s, char *buf, size_t n, bool decode)
{
    sink k = {.buf = buf, .n = n};
    if (n)
        buf[0] = '\0';
    const unsigned char *p = (const unsigned char *)s;
    if (decode && p[0] == '#' && p[1] == '#' && p[2])
        p += 2;
    while (*p && !k.full) {
        /* the loader's modified UTF-8 for U+0000 */
        if (p[0] == 0xc0 && p[1] == 0x80) {
            put_escape(&k, 0, -1);
            p += 2;
            continue;
        }
        int32_t cp;
        int l = u8_decode(p, &cp);
        if (decode && (cp == 0x120 || cp == 0x2581)) {
            put(&k, " ", 1, 1);
            k.base = true;
        } else if (decode && cp == 0x10a) {
            put_escape(&k, '\n', -1);
        } else {
            put_cp(&k, (const char *)p, l, cp);
        }
        p += l;
    }
    return k.width;
}

int tui_label(const char *raw, bool raw_mode, char *buf, size_t n)
{
    return safe_copy(raw ? raw : "", buf, n, !raw_mode);
}

int tui_safe(const char *s, char *buf, size_t n)
{
    return safe_copy(s ? s : "", buf, n, false);
}

static int cp_width(const unsigned char *p, int *len)
{
    int32_t cp;
    *len = u8_decode(p, &cp);
    if (cp < 0x80)
        return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int tui_width(const char *s)
{
    int w = 0, l;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += l)
        w += cp_width(p, &l);
    return w;
}

size_t tui_fit(const char *s, int w, int *used)
{
    const unsigned char *p = (const unsigned char *)s;
    int u = 0, l;
    while (*p) {
        int cw = cp_width(p, &l);
        if (u + cw > w)
            break;
        u += cw;
        p += l;
    }
    if (used)
        *used = u;
    return (size_t)(p - (const unsigned char *)s);
}

size_t tui_fit_tail(const char *s, int w)
{
    size_t len = strlen(s);
    int total = tui_width(s);
    size_t off = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (total > w && off < len) {
        int l;
        total -= cp_width(p + off, &l);
        off += (size_t)l;
    }
    return off;
}
