/* html.c - the HTML sink: buffering, context escaping, number formatting. */
#include "html.h"
#include "b64.h"
#include "colormap.h"
#include "html_int.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CHUNK (64 * 1024)

void html_out_file(html_out *o, FILE *f)
{
    memset(o, 0, sizeof *o);
    o->f = f;
    if (!as_buf_reserve(&o->b, OUT_CHUNK - 1, OUT_CHUNK))
        o->status = AS_ENOMEM;
}

void html_out_mem(html_out *o)
{
    memset(o, 0, sizeof *o);
}

static void out_drain(html_out *o)
{
    if (!o->f || o->b.len == 0)
        return;
    if (o->status == AS_OK && fwrite(o->b.p, 1, o->b.len, o->f) != o->b.len) {
        o->status = AS_EIO;
        o->sys_errno = errno;
    }
    o->b.len = 0;
}

/* Makes room for n more bytes; false after a failure. */
static bool out_reserve(html_out *o, size_t n)
{
    if (o->status != AS_OK)
        return false;
    if (o->b.cap > o->b.len + n)
        return true;
    if (o->f) {
        out_drain(o);
        if (o->status != AS_OK)
            return false;
    }
    if (!as_buf_reserve(&o->b, n, OUT_CHUNK)) {
        o->status = AS_ENOMEM;
        return false;
    }
    return true;
}

char *html_out_room(html_out *o, size_t n)
{
    if (!out_reserve(o, n))
        return NULL;
    return o->b.p + o->b.len;
}

void html_out_commit(html_out *o, size_t n)
{
    o->b.len += n;
    o->total += n;
}

int html_out_flush(html_out *o, as_error *err)
{
    out_drain(o);
    if (o->f && o->status == AS_OK && fflush(o->f) != 0) {
        o->status = AS_EIO;
        o->sys_errno = errno;
    }
    return html_out_check(o, err);
}

int html_out_check(html_out *o, as_error *err)
{
    if (o->status == AS_EIO)
        return as_error_set(err, AS_EIO, "writing HTML: %s", strerror(o->sys_errno));
    if (o->status != AS_OK)
        return as_error_set(err, o->status, "writing HTML: out of memory");
    return AS_OK;
}

char *html_out_take(html_out *o, size_t *len, as_error *err)
{
    if (o->status != AS_OK || !out_reserve(o, 1)) {
        html_out_flush(o, err);
        return NULL;
    }
    o->b.p[o->b.len] = '\0';
    return as_buf_take(&o->b, len);
}

void html_out_free(html_out *o)
{
    as_buf_free(&o->b);
}

void html_put(html_out *o, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (o->f && n > OUT_CHUNK / 2 && o->status == AS_OK) {
        out_drain(o);
        if (o->status == AS_OK && fwrite(s, 1, n, o->f) != n) {
            o->status = AS_EIO;
            o->sys_errno = errno;
        }
        o->total += n;
        return;
    }
    char *p = html_out_room(o, n);
    if (!p)
        return;
    memcpy(p, s, n);
    html_out_commit(o, n);
}

void html_puts(html_out *o, const char *s)
{
    html_put(o, s, strlen(s));
}

void html_palette_json(html_out *o)
{
    for (int b = 0; b < CMAP_BUCKETS; b++) {
        as_rgba c = cmap_granular(b);
        char hex[16];
        snprintf(hex, sizeof hex, "%s\"#%02x%02x%02x\"", b ? "," : "", c.r, c.g, c.b);
        html_puts(o, hex);
    }
}

void html_uint(html_out *o, size_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    html_put(o, tmp + sizeof tmp - n, (size_t)n);
}


static const char REPL[] = "\xEF\xBF\xBD"; /* U+FFFD */

void html_text_n(html_out *o, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' &&
            c != '\'') {
            i++;
            continue;
        }
        const char *rep = NULL;
        size_t step = 1;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t': case '\n': case '\r':
            i++;
            continue;
        default: {
            int32_t cp = 0;
            size_t l = c < 0x80 ? 1 : tokens_utf8_next((const char *)s + i, n - i, &cp);
            if (c < 0x80 || cp <= 0 || (cp >= 0x80 && cp < 0xA0)) {
                rep = REPL; /* control, stored NUL, C1 control or invalid */
                step = l;
            } else {
                i += l;
                continue;
            }
        }
        }
        html_put(o, str + run, i - run);
        html_puts(o, rep);
        i += step;
        run = i;
    }
    html_put(o, str + run, i - run);
}

void html_text(html_out *o, const char *s)
{
    html_text_n(o, s ? s : "", s ? strlen(s) : 0);
}

void html_json_str(html_out *o, const char *str)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s), i = 0, run = 0;
    html_put(o, "\"", 1);
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' && c != '>' &&
            c != '&') {
            i++;
            continue;
        }
        char tmp[8];
        const char *rep = tmp;
        size_t step = 1;
        uint32_t cp = c;
        if (c >= 0x80) {
            int32_t d;
            size_t l = tokens_utf8_next((const char *)s + i, n - i, &d);
            if (d < 0) {
                cp = 0xFFFD;
            } else {
                cp = (uint32_t)d;
                step = l;
                if (cp >= 0xA0 && cp != 0x2028 && cp != 0x2029) {
                    i += l;
                    continue;
                }
            }
        }
        if (cp == '"')
            rep = "\\\"";
        else if (cp == '\\')
            rep = "\\\\";
        else if (cp == '\n')
            rep = "\\n";
        else if (cp == '\t')
            rep = "\\t";
        else {
            tmp[0] = '\\', tmp[1] = 'u';
            tmp[2] = hex[(cp >> 12) & 15], tmp[3] = hex[(cp >> 8) & 15];
            tmp[4] = hex[(cp >> 4) & 15], tmp[5] = hex[cp & 15], tmp[6] = '\0';
        }
        html_put(o, (const char *)s + run, i - run);
        html_puts(o, rep);
        i += step;
        run = i;
    }
    html_put(o, (const char *)s + run, i - run);
    html_put(o, "\"", 1);
}

void html_base64(html_out *o, const void *data, size_t n)
{
    const uint8_t *s = data;
    const size_t chunk = 3 * 16384; /* whole groups: the pieces join up */
    while (n > 0) {
        size_t m = n < chunk ? n : chunk;
        char *p = html_out_room(o, b64_encoded_len(m));
        if (!p)
            return;
        html_out_commit(o, b64_encode(s, m, p));
        s += m;
        n -= m;
    }
}

/* ---- numbers ----------------------------------------------------------- */

size_t html_fmt_round3(char *buf, float vf)
{
    double v = vf;
    if (!isfinite(v) || fabs(v) >= 1e15)
        return pj_repr_float(v, buf); /* such floats are integers already */
    double r = nearbyint(v * 1000.0);   /* exact product, ties to even */
    uint64_t u = (uint64_t)fabs(r);
    char tmp[32];
    int n = 0;
    uint64_t ip = u / 1000;
    unsigned fp = (unsigned)(u % 1000);
    char *q = buf;
    if (signbit(r))
        *q++ = '-';
    do {
        tmp[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (n)
        *q++ = tmp[--n];
    *q++ = '.';
    *q++ = (char)('0' + fp / 100);
    if (fp % 100) {
        *q++ = (char)('0' + fp / 10 % 10);
        if (fp % 10)
            *q++ = (char)('0' + fp % 10);
    }
    *q = '\0';
    return (size_t)(q - buf);
}

void html_round3(html_out *o, float v)
{
    char *p = html_out_room(o, 32);
    if (!p)
        return;
    html_out_commit(o, html_fmt_round3(p, v));
}

const char *html_ordinal(char *buf, size_t n)
{
    const char *suf = "th";
    if (!(n % 100 >= 10 && n % 100 < 20)) {
        if (n % 10 == 1)
            suf = "st";
        else if (n % 10 == 2)
            suf = "nd";
        else if (n % 10 == 3)
            suf = "rd";
    }
    snprintf(buf, 32, "%zu%s", n, suf);
    return buf;
}

/* ---- shared page pieces ------------------------------------------------ */

const char *html_tok_label(const html_common *c, const as_token *t)
{
    const char *s = c && c->label ? c->label(c->label_ud, t) : t->text;
    return s ? s : "";
}

void html_page_begin(html_out *o, const char *title, const char *css)
{
    html_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"attrscope " ATTRSCOPE_VERSION "\">\n"
                 "<title>");
    html_text(o, title ? title : "attrscope");
    html_puts(o, "</title>\n<style>\n");
    html_puts(o, HTML_BASE_CSS);
    if (css)
        html_puts(o, css);
    html_puts(o, "</style>\n</head>\n<body>\n");
}

void html_page_end(html_out *o)
{
    html_puts(o, "</body>\n</html>\n");
}

int html_check_2d(const as_seq *s, size_t index, as_error *err)
{
    size_t g = attr_seq_ncols(s);
    if (s->attr_pos_start < 0 || (size_t)s->attr_pos_end > s->target.n ||
        s->attr_pos_end < s->attr_pos_start)
        return as_error_set(err, AS_EDATA,
                            "sequence %zu: attr_pos_start %ld / attr_pos_end %ld do not fit "
                            "%zu target tokens",
                            index, s->attr_pos_start, s->attr_pos_end, s->target.n);
    const as_tensor *ts[2] = {s->source_attr, s->target_attr};
    const char *names[2] = {"source_attributions", "target_attributions"};
    size_t rows[2] = {s->source.n, s->target.n};
    for (int k = 0; k < 2; k++) {
        const as_tensor *t = ts[k];
        if (!t)
            continue;
        char sh[128];
        if (t->ndim != 2)
            return as_error_set(err, AS_EDATA,
                                "sequence %zu: %s: shape %s is not 2D; aggregate it first "
                                "(rows = attributed tokens, columns = generated tokens)",
                                index, names[k], tensor_shape_str(t, sh, sizeof sh));
        if (t->shape[0] != rows[k] || t->shape[1] != g)
            return as_error_set(err, AS_EDATA,
                                "sequence %zu: %s: shape %s does not match %zu %s tokens x %zu "
                                "generated tokens",
                                index, names[k], tensor_shape_str(t, sh, sizeof sh), rows[k],
                                k ? "target" : "source", g);
    }
    for (size_t i = 0; i < s->step_scores.n; i++) {
        const as_tensor *t = s->step_scores.v[i].t;
        if (tensor_numel(t) != g)
            return as_error_set(err, AS_EDATA,
                                "sequence %zu: step_scores.%s: %zu values for %zu generated "
                                "tokens",
                                index, s->step_scores.v[i].name, tensor_numel(t), g);
    }
    return AS_OK;
}

void html_range(const html_common *c, double inferred_max, bool treescope, double *vmin,
                double *vmax)
{
    if (treescope && c->has_min && !c->has_max) {
        *vmin = c->min_val, *vmax = -c->min_val;
        return;
    }
    *vmax = c->has_max ? c->max_val : inferred_max;
    *vmin = c->has_min ? c->min_val : -*vmax;
}

const char HTML_BASE_CSS[] =
    ":root{color-scheme:light}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:8px;"
    "color:#111;background:#fff;-webkit-text-size-adjust:100%}\n"
    "h1{font-size:1.2em;margin:.2em 0 .5em}\n"
    "h2{font-size:1.05em;margin:.6em 0 .3em}\n";

const char *html_label_decoded(void *ud, const as_token *tok)
{
    html_labeler *l = ud;
    size_t n = tokens_label(l->buf, sizeof l->buf, l->mode, tok->text, 0, -1, NULL);
    l->buf[n < sizeof l->buf ? n : sizeof l->buf - 1] = '\0';
    return l->buf;
}
