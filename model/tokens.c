#define _GNU_SOURCE /* strcasestr */
#include "tokens.h"

#include <stdlib.h>
#include <string.h>

typedef struct tokens_range {
    uint32_t lo, hi;
} tokens_range;

#include "tokens_width.h"

/* ---- Characters ---------------------------------------------------------- */

static size_t utf8_decode(const char *s, size_t len, int32_t *cp, bool surrogates)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned b = u[0];
    size_t need;
    uint32_t c;
    unsigned lo = 0x80, hi = 0xBF;

    if (b < 0x80) {
        *cp = (int32_t)b;
        return 1;
    }
    if (b == 0xC0 && len >= 2 && u[1] == 0x80) {   /* modified UTF-8 NUL */
        *cp = 0;
        return 2;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        c = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0;           /* no overlong forms */
        else if (b == 0xED && !surrogates)
            hi = 0x9F;           /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        c = b & 0x07;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;           /* nothing above U+10FFFF */
    } else {
        *cp = -1;
        return 1;
    }
    if (len < need + 1) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        unsigned t = u[i];
        if (t < lo || t > hi) {
            *cp = -1;
            return 1;
        }
        lo = 0x80;
        hi = 0xBF;
        c = (c << 6) | (t & 0x3F);
    }
    *cp = (int32_t)c;
    return need + 1;
}

size_t tokens_utf8_next(const char *s, size_t len, int32_t *cp)
{
    return utf8_decode(s, len, cp, false);
}

size_t tokens_utf8_put(int32_t cp, char *o)
{
    uint32_t v = (uint32_t)cp;
    if (v < 0x80) {
        o[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        o[0] = (char)(0xC0 | (v >> 6));
        o[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        o[0] = (char)(0xE0 | (v >> 12));
        o[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        o[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (v >> 18));
    o[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    o[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

size_t tokens_wtf8_next(const char *s, size_t len, int32_t *cp)
{
    return utf8_decode(s, len, cp, true);
}

static bool in_table(uint32_t c, const tokens_range *t, size_t n)
{
    if (c < t[0].lo || c > t[n - 1].hi)
        return false;
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (c > t[m].hi)
            a = m + 1;
        else if (c < t[m].lo)
            b = m;
        else
            return true;
    }
    return false;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int tokens_cp_width(int32_t cp)
{
    if (cp == 0)
        return 0;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return -1;
    if (cp < 0x300)
        return 1;
    if (in_table((uint32_t)cp, tokens_zero_width, NELEM(tokens_zero_width)))
        return 0;
    if (cp >= 0x1100 && in_table((uint32_t)cp, tokens_wide, NELEM(tokens_wide)))
        return 2;
    return 1;
}

int32_t tokens_gpt2_char(unsigned char b)
{
    if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174)
        return b;
    if (b <= 32)
        return 0x100 + b;
    if (b <= 160)
        return 0x121 + (b - 127);
    return 0x143;   /* 173 */
}

int tokens_gpt2_byte(int32_t cp)
{
    if ((cp >= 33 && cp <= 126) || (cp >= 161 && cp <= 172) || (cp >= 174 && cp <= 255))
        return cp;
    if (cp >= 0x100 && cp <= 0x120)
        return cp - 0x100;
    if (cp >= 0x121 && cp <= 0x142)
        return cp - 0x121 + 127;
    if (cp == 0x143)
        return 173;
    return -1;
}

/* ---- Modes --------------------------------------------------------------- */

static const char *const mode_names[] = {
    [TOKENS_AUTO] = "auto",
    [TOKENS_NONE] = "none",
    [TOKENS_GPT2] = "gpt2",
    [TOKENS_SENTENCEPIECE] = "sentencepiece",
    [TOKENS_WORDPIECE] = "wordpiece",
};

const char *tokens_mode_name(tokens_mode m)
{
    if ((unsigned)m < NELEM(mode_names))
        return mode_names[m];
    return "?";
}

static bool ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

int tokens_mode_parse(const char *s, tokens_mode *out, as_error *err)
{
    static const struct { const char *name; tokens_mode m; } tab[] = {
        {"auto", TOKENS_AUTO},
        {"none", TOKENS_NONE},
        {"raw", TOKENS_NONE},
        {"gpt2", TOKENS_GPT2},
        {"bytelevel", TOKENS_GPT2},
        {"bpe", TOKENS_GPT2},
        {"sentencepiece", TOKENS_SENTENCEPIECE},
        {"sp", TOKENS_SENTENCEPIECE},
        {"spm", TOKENS_SENTENCEPIECE},
        {"wordpiece", TOKENS_WORDPIECE},
        {"wp", TOKENS_WORDPIECE},
    };
    for (size_t i = 0; s && i < NELEM(tab); i++) {
        if (ascii_ieq(s, tab[i].name)) {
            *out = tab[i].m;
            return AS_OK;
        }
    }
    return as_error_set(err, AS_EUSAGE,
                        "token decoding '%s': expected auto, none, gpt2, sentencepiece or wordpiece",
                        s ? s : "(null)");
}

/* ---- Token shapes -------------------------------------------------------- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* A SentencePiece byte-fallback token "<0xNN>": returns the byte or -1. */
static int sp_byte_token(const char *t, size_t len)
{
    if (len != 6 || t[0] != '<' || t[1] != '0' || t[2] != 'x' || t[5] != '>')
        return -1;
    int h = hexval((unsigned char)t[3]), l = hexval((unsigned char)t[4]);
    if (h < 0 || l < 0)
        return -1;
    return h * 16 + l;
}

static bool special_shaped(const char *t, size_t len)
{
    return len >= 3 && ((t[0] == '<' && t[len - 1] == '>') || (t[0] == '[' && t[len - 1] == ']'));
}

static bool wp_special(const char *t)
{
    return !strcmp(t, "[CLS]") || !strcmp(t, "[SEP]") || !strcmp(t, "[MASK]") ||
           !strcmp(t, "[PAD]") || !strcmp(t, "[UNK]");
}

static bool wp_continuation(const char *t, size_t len)
{
    return len > 2 && t[0] == '#' && t[1] == '#';
}

/* WordPiece word starts that attach to the previous word anyway. */
static bool wp_glued(const char *t, size_t len)
{
    return len == 1 && (t[0] == '.' || t[0] == ',' || t[0] == '!' || t[0] == '?');
}

/* "▁" U+2581 */
static bool is_sp_mark(const unsigned char *u, size_t left)
{
    return left >= 3 && u[0] == 0xE2 && u[1] == 0x96 && u[2] == 0x81;
}

/* ---- Decoding ------------------------------------------------------------ */

typedef struct writer {
    char *d;
    size_t cap;   /* bytes available for content (excluding the NUL) */
    size_t n;     /* bytes the whole result needs */
} writer;

static void put(writer *w, unsigned char c)
{
    if (w->n < w->cap)
        w->d[w->n] = (char)c;
    w->n++;
}

static void put_bytes(writer *w, const void *p, size_t k)
{
    const unsigned char *u = p;
    for (size_t i = 0; i < k; i++)
        put(w, u[i]);
}

static void decode_to(tokens_mode m, const char *tok, size_t len, writer *w)
{
    const unsigned char *u = (const unsigned char *)tok;
    size_t i = 0;

    switch (m) {
    case TOKENS_GPT2:
        while (i < len) {
            int32_t cp;
            size_t k = tokens_utf8_next(tok + i, len - i, &cp);
            int b = cp >= 0 ? tokens_gpt2_byte(cp) : -1;
            if (b >= 0)
                put(w, (unsigned char)b);
            else
                put_bytes(w, u + i, k);
            i += k;
        }
        return;
    case TOKENS_SENTENCEPIECE: {
        int b = sp_byte_token(tok, len);
        if (b >= 0) {
            put(w, (unsigned char)b);
            return;
        }
        while (i < len) {
            if (is_sp_mark(u + i, len - i)) {
                put(w, ' ');
                i += 3;
            } else {
                put(w, u[i++]);
            }
        }
        return;
    }
    case TOKENS_WORDPIECE:
        if (wp_continuation(tok, len)) {
            put_bytes(w, u + 2, len - 2);
            return;
        }
        if (len > 0 && !wp_glued(tok, len))
            put(w, ' ');
        put_bytes(w, u, len);
        return;
    case TOKENS_AUTO:
    case TOKENS_NONE:
    default:
        put_bytes(w, u, len);
        return;
    }
}

size_t tokens_decode(tokens_mode m, const char *tok, char *dst, size_t cap)
{
    writer w = {dst, cap ? cap - 1 : 0, 0};
    decode_to(m, tok, strlen(tok), &w);
    if (cap)
        dst[w.n < w.cap ? w.n : w.cap] = '\0';
    return w.n;
}

char *tokens_decode_dup(tokens_mode m, const char *tok, size_t *len)
{
    size_t n = strlen(tok);
    char *d = malloc(TOKENS_DECODE_MAX(n));
    if (!d)
        return NULL;
    size_t k = tokens_decode(m, tok, d, TOKENS_DECODE_MAX(n));
    if (len)
        *len = k;
    return d;
}

typedef const char *(*tok_get)(const void *list, size_t i);

static const char *get_strv(const void *list, size_t i)
{
    const char *t = ((const char *const *)list)[i];
    return t ? t : "";
}

static const char *get_tokens(const void *list, size_t i)
{
    const char *t = ((const as_token *)list)[i].text;
    return t ? t : "";
}

static char *join(tokens_mode m, const void *list, tok_get get, size_t from, size_t to,
                  size_t *len)
{
    size_t total = 1;
    for (size_t i = from; i < to; i++)
        total += TOKENS_DECODE_MAX(strlen(get(list, i)));
    char *d = malloc(total);
    if (!d)
        return NULL;
    writer w = {d, total - 1, 0};
    for (size_t i = from; i < to; i++) {
        const char *t = get(list, i);
        decode_to(m, t, strlen(t), &w);
    }
    if ((m == TOKENS_SENTENCEPIECE || m == TOKENS_WORDPIECE) && w.n > 0 && d[0] == ' ') {
        memmove(d, d + 1, w.n - 1);
        w.n--;
    }
    d[w.n] = '\0';
    if (len)
        *len = w.n;
    return d;
}

char *tokens_join(tokens_mode m, const char *const *toks, size_t n, size_t *len)
{
    return join(m, toks, get_strv, 0, n, len);
}

char *tokens_join_list(tokens_mode m, const as_tokens *t, size_t from, size_t to,
                       size_t *len)
{
    if (to > t->n)
        to = t->n;
    if (from > to)
        from = to;
    return join(m, t->v, get_tokens, from, to, len);
}

/* ---- Display ------------------------------------------------------------- */

/* One displayed unit: a character shown as itself, or an escape. */
typedef struct unit {
    char out[8];
    unsigned char outlen;
    signed char w;
    bool zero;      /* a character shown as itself that takes no column */
} unit;

static const char hexdig[] = "0123456789abcdef";

static void unit_hex(unit *u, unsigned b)
{
    u->out[0] = '\\';
    u->out[1] = 'x';
    u->out[2] = hexdig[(b >> 4) & 15];
    u->out[3] = hexdig[b & 15];
    u->outlen = 4;
    u->w = 4;
}

static void unit_str(unit *u, const char *s, int w)
{
    size_t n = strlen(s);
    memcpy(u->out, s, n);
    u->outlen = (unsigned char)n;
    u->w = (signed char)w;
}

static bool escaped_format(int32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x206F) || c == 0x2028 || c == 0x2029;
}

/* Reads one unit of s; returns the bytes consumed. */
static size_t next_unit(const char *s, size_t len, unsigned flags, unit *u)
{
    int32_t c;
    size_t k = tokens_utf8_next(s, len, &c);

    u->zero = false;
    if (c < 0) {
        unit_hex(u, (unsigned char)s[0]);
        return k;
    }
    if (c < 0x80) {
        switch (c) {
        case 0:
            unit_str(u, "\\0", 2);
            return k;
        case '\n':
            if (flags & TOKENS_ESC_SYMBOLS)
                unit_str(u, "\xe2\x86\xb5", 1);   /* ↵ */
            else
                unit_str(u, "\\n", 2);
            return k;
        case '\t':
            if (flags & TOKENS_ESC_SYMBOLS)
                unit_str(u, "\xe2\x87\xa5", 1);   /* ⇥ */
            else
                unit_str(u, "\\t", 2);
            return k;
        case '\r':
            unit_str(u, "\\r", 2);
            return k;
        case '\\':
            if (flags & TOKENS_ESC_BACKSLASH) {
                unit_str(u, "\\\\", 2);
                return k;
            }
            break;
        case ' ':
            if (flags & TOKENS_ESC_SPACE) {
                unit_str(u, "\xe2\x90\xa3", 1);   /* ␣ */
                return k;
            }
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                unit_hex(u, (unsigned)c);
                return k;
            }
            break;
        }
        u->out[0] = (char)c;
        u->outlen = 1;
        u->w = 1;
        return k;
    }
    if (c < 0xA0 || escaped_format(c)) {
        u->out[0] = '\\';
        u->out[1] = 'u';
        u->out[2] = hexdig[(c >> 12) & 15];
        u->out[3] = hexdig[(c >> 8) & 15];
        u->out[4] = hexdig[(c >> 4) & 15];
        u->out[5] = hexdig[c & 15];
        u->outlen = 6;
        u->w = 6;
        return k;
    }
    memcpy(u->out, s, k);
    u->outlen = (unsigned char)k;
    u->w = (signed char)tokens_cp_width(c);
    u->zero = u->w == 0;
    return k;
}

static const char base_mark[] = "\xe2\x97\x8c";   /* ◌ */
static const char ellipsis[] = "\xe2\x80\xa6";    /* … */

static int width_of(const char *s, size_t len, unsigned flags)
{
    int w = 0;
    size_t i = 0;
    unit u;
    while (i < len) {
        /* Fast path: printable ASCII needs no unit. */
        unsigned char b = (unsigned char)s[i];
        if (b > 0x20 && b < 0x7F && b != '\\') {
            w++;
            i++;
            continue;
        }
        bool first = i == 0;
        i += next_unit(s + i, len - i, flags, &u);
        if (first && u.zero && (flags & TOKENS_ESC_BASE))
            w++;
        w += u.w;
    }
    return w;
}

int tokens_width(const char *s, size_t len, unsigned flags)
{
    return width_of(s, len, flags);
}

typedef struct out {
    char *d;
    size_t cap;     /* content room, excluding the NUL */
    size_t n;       /* bytes the result needs */
    size_t wrote;   /* bytes written */
    bool full;      /* a unit did not fit: write nothing more */
} out;

static void emit(out *o, const char *p, size_t k)
{
    if (!o->full && o->wrote + k <= o->cap) {
        memcpy(o->d + o->wrote, p, k);
        o->wrote += k;
    } else {
        o->full = true;
    }
    o->n += k;
}

/* A fitted label keeps at most this many zero-width characters in a row
 * (combining marks, joiners): Unicode's stream-safe text format allows 30
 * non-starters in a row; more only stack on one cell, and without a bound a
 * one-column label could take megabytes. */
#define MAX_ZERO_RUN 30

static bool long_zero_run(const char *s, size_t len, unsigned flags)
{
    int run = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            run = 0;
            i++;
            continue;
        }
        unit u;
        i += next_unit(s + i, len - i, flags, &u);
        run = u.zero ? run + 1 : 0;
        if (run > MAX_ZERO_RUN)
            return true;
    }
    return false;
}

/* Escapes s into dst; when max_cols >= 0 fits it in max_cols columns (and
 * keeps at most MAX_ZERO_RUN zero-width characters in a row, so the result
 * has at most about 130 bytes per column).  cut: s is only the start of the
 * text (always end with an ellipsis). */
static size_t render(char *dst, size_t cap, const char *s, size_t len, unsigned flags,
                     int max_cols, bool cut, int *cols)
{
    out o = {dst, cap ? cap - 1 : 0, 0, 0, false};
    int budget = -1;      /* columns for the content; -1: unlimited */
    int used = 0;
    bool trunc = cut;

    if (max_cols == 0) {
        if (cap)
            dst[0] = '\0';
        if (cols)
            *cols = 0;
        return 0;
    }
    if (max_cols > 0) {
        if (cut || width_of(s, len, flags) > max_cols || long_zero_run(s, len, flags)) {
            budget = max_cols - 1;
            trunc = true;
        }
    }
    size_t i = 0;
    int zero_run = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b > 0x20 && b < 0x7F && b != '\\') {   /* printable ASCII */
            if (budget >= 0 && used + 1 > budget) {
                trunc = true;
                break;
            }
            emit(&o, s + i, 1);
            used++;
            i++;
            zero_run = 0;
            continue;
        }
        unit u;
        size_t k = next_unit(s + i, len - i, flags, &u);
        zero_run = u.zero ? zero_run + 1 : 0;
        if (max_cols > 0 && zero_run > MAX_ZERO_RUN)
            break;   /* trunc is set: the ellipsis says the rest is left out */
        int w = u.w;
        bool base = i == 0 && u.zero && (flags & TOKENS_ESC_BASE);
        if (base)
            w++;
        if (budget >= 0 && used + w > budget) {
            trunc = true;
            break;
        }
        if (base)
            emit(&o, base_mark, 3);
        emit(&o, u.out, u.outlen);
        used += w;
        i += k;
    }
    if (trunc) {
        emit(&o, ellipsis, 3);
        used++;
    }
    if (cap)
        dst[o.wrote] = '\0';
    if (cols)
        *cols = used;
    return o.n;
}

size_t tokens_escape(char *dst, size_t cap, const char *s, size_t len, unsigned flags)
{
    return render(dst, cap, s, len, flags, -1, false, NULL);
}

char *tokens_escape_dup(const char *s, size_t len, unsigned flags)
{
    size_t n = render(NULL, 0, s, len, flags, -1, false, NULL);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    render(d, n + 1, s, len, flags, -1, false, NULL);
    return d;
}

size_t tokens_fit(char *dst, size_t cap, const char *s, size_t len, unsigned flags,
                  int max_cols, int *cols)
{
    return render(dst, cap, s, len, flags, max_cols, false, cols);
}

size_t tokens_truncate(char *dst, size_t cap, const char *s, size_t len, int max_cols,
                       int *cols)
{
    return render(dst, cap, s, len, 0, max_cols, false, cols);
}

/* Length of s without an incomplete UTF-8 sequence at its end. */
static size_t drop_partial_tail(const char *s, size_t len)
{
    for (size_t back = 1; back <= 4 && back <= len; back++) {
        unsigned char b = (unsigned char)s[len - back];
        if ((b & 0xC0) == 0x80)
            continue;            /* continuation: look further back */
        int32_t cp;
        if (b >= 0xC0 && tokens_utf8_next(s + len - back, back, &cp) == 1)
            return len - back;   /* a lead byte without all its continuations */
        return len;
    }
    return len;
}

size_t tokens_label(char *dst, size_t cap, tokens_mode m, const char *tok,
                    unsigned flags, int max_cols, int *cols)
{
    char stack[1024];
    size_t len = strlen(tok);
    size_t need = TOKENS_DECODE_MAX(len);
    char *buf = stack;
    bool cut = false;

    if (need > sizeof stack) {
        buf = malloc(need);
        if (!buf) {
            /* Out of memory: show the start of the token, marked as cut. */
            buf = stack;
            need = sizeof stack;
            cut = true;
        }
    }
    writer w = {buf, need - 1, 0};
    decode_to(m, tok, len, &w);
    size_t n = w.n < w.cap ? w.n : w.cap;
    if (cut && w.n > w.cap)
        n = drop_partial_tail(buf, n);
    else
        cut = false;
    size_t r = render(dst, cap, buf, n, flags, max_cols, cut, cols);
    if (buf != stack)
        free(buf);
    return r;
}

/* ---- Detection ----------------------------------------------------------- */

void tokens_stats_init(tokens_stats *st)
{
    memset(st, 0, sizeof *st);
}

/* UTF-8 checker over the GPT-2 bytes of one list. */
typedef struct checker {
    unsigned need;        /* continuation bytes still expected */
    unsigned lo, hi;      /* range of the next continuation byte */
    bool started;         /* a byte other than a leading continuation was seen */
} checker;

static void check_reset(checker *c)
{
    /* An unfinished character at a break is a split, not an error. */
    c->need = 0;
    c->started = false;
}

static void check_byte(checker *c, tokens_stats *st, unsigned b)
{
    if (c->need) {
        if (b >= c->lo && b <= c->hi) {
            c->lo = 0x80;
            c->hi = 0xBF;
            if (--c->need == 0)
                st->gpt2_multibyte++;
            return;
        }
        st->gpt2_invalid++;    /* the unfinished character */
        c->need = 0;
    }
    c->lo = 0x80;
    c->hi = 0xBF;
    if (b < 0x80) {
        c->started = true;
    } else if (b >= 0xC2 && b <= 0xDF) {
        c->need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        c->need = 2;
        if (b == 0xE0)
            c->lo = 0xA0;
        else if (b == 0xED)
            c->hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        c->need = 3;
        if (b == 0xF0)
            c->lo = 0x90;
        else if (b == 0xF4)
            c->hi = 0x8F;
    } else if (b >= 0x80 && b <= 0xBF && !c->started) {
        return;                /* the tail of a character split off before the list */
    } else {
        st->gpt2_invalid++;
    }
    c->started = true;
}

static void stats_add(tokens_stats *st, const void *list, tok_get get, size_t n)
{
    checker c;
    check_reset(&c);
    for (size_t i = 0; i < n; i++) {
        const char *t = get(list, i);
        size_t len = strlen(t);
        st->ntokens++;
        if (special_shaped(t, len)) {
            if (sp_byte_token(t, len) >= 0)
                st->sp_bytes++;
            else if (wp_special(t))
                st->wp_marks++;
            check_reset(&c);
            continue;
        }
        if (wp_continuation(t, len))
            st->wp_marks++;
        bool sp = false, outside = false;
        for (size_t j = 0; j < len;) {
            int32_t cp;
            if (is_sp_mark((const unsigned char *)t + j, len - j))
                sp = true;
            j += tokens_utf8_next(t + j, len - j, &cp);
            int b = cp >= 0 ? tokens_gpt2_byte(cp) : -1;
            if (b < 0) {
                outside = true;
                continue;
            }
            if (cp == 0x120 || cp == 0x10A || cp == 0x109)
                st->gpt2_spaces++;
            check_byte(&c, st, (unsigned)b);
        }
        if (sp)
            st->sp_marks++;
        if (outside) {
            st->gpt2_outside++;
            check_reset(&c);
        }
    }
}

void tokens_stats_add(tokens_stats *st, const char *const *toks, size_t n)
{
    stats_add(st, toks, get_strv, n);
}

void tokens_stats_add_list(tokens_stats *st, const as_tokens *t)
{
    if (t)
        stats_add(st, t->v, get_tokens, t->n);
}

tokens_mode tokens_stats_mode(const tokens_stats *st)
{
    if (st->sp_marks + st->sp_bytes > 0)
        return TOKENS_SENTENCEPIECE;
    if (st->gpt2_outside == 0) {
        size_t evidence = st->gpt2_spaces + st->gpt2_multibyte;
        /* A model can emit a broken byte sequence; a few are tolerated when
         * the text is otherwise clearly byte-level (spaces spelled Ġ). */
        if (evidence > 0 &&
            (st->gpt2_invalid == 0 ||
             (st->gpt2_spaces > 0 && st->gpt2_invalid * 10 <= evidence)))
            return TOKENS_GPT2;
    }
    if (st->wp_marks > 0)
        return TOKENS_WORDPIECE;
    return TOKENS_NONE;
}

tokens_mode tokens_detect(const char *const *toks, size_t n)
{
    tokens_stats st;
    tokens_stats_init(&st);
    tokens_stats_add(&st, toks, n);
    return tokens_stats_mode(&st);
}

tokens_mode tokens_detect_output(const as_output *o, int file_index)
{
    tokens_stats st;
    tokens_stats_init(&st);
    for (size_t i = 0; i < o->nseqs; i++) {
        const as_seq *s = &o->seqs[i];
        if (file_index >= 0 && s->file_index != file_index)
            continue;
        tokens_stats_add_list(&st, &s->source);
        tokens_stats_add_list(&st, &s->target);
    }
    if (file_index < 0) {
        for (size_t i = 0; i < o->nsteps; i++) {
            const as_step *p = &o->steps[i];
            for (size_t j = 0; p->source && j < p->nsource; j++)
                tokens_stats_add_list(&st, &p->source[j]);
            for (size_t j = 0; p->prefix && j < p->nprefix; j++)
                tokens_stats_add_list(&st, &p->prefix[j]);
            for (size_t j = 0; p->target && j < p->ntarget; j++)
                tokens_stats_add_list(&st, &p->target[j]);
        }
    }
    return tokens_stats_mode(&st);
}

tokens_mode tokens_resolve(tokens_mode requested, const as_output *o, int file_index)
{
    if (requested != TOKENS_AUTO)
        return requested;
    return tokens_detect_output(o, file_index);
}

bool tokens_seq_contains(tokens_mode m, const as_seq *s, const char *needle)
{
    const as_tokens *lists[] = {&s->source, &s->target};
    for (int w = 0; w < 2; w++) {
        const as_tokens *t = lists[w];
        for (size_t i = 0; i < t->n; i++)
            if (strcasestr(t->v[i].text, needle))
                return true;
        char *text = tokens_join_list(m, t, 0, t->n, NULL);
        bool hit = text && strcasestr(text, needle);
        free(text);
        if (hit)
            return true;
    }
    return false;
}
