/* buf.c - the growable byte buffer (see buf.h). */
#include "buf.h"

#include "tensor.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool as_buf_reserve(as_buf *b, size_t n, size_t first)
{
    if (b->oom)
        return false;
    if (n < b->cap && b->len < b->cap - n)
        return true;
    size_t cap = b->cap ? b->cap : first ? first : 256;
    while (cap - b->len <= n || cap <= b->len) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = b->counted ? as_mem_realloc(b->p, b->cap, cap, b->err) : realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    if (!b->p)
        p[0] = 0;
    b->p = p;
    b->cap = cap;
    return true;
}

void as_buf_add(as_buf *b, const void *s, size_t n)
{
    if (!as_buf_reserve(b, n, 0))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void as_buf_puts(as_buf *b, const char *s) { as_buf_add(b, s, strlen(s)); }

void as_buf_putc(as_buf *b, char c) { as_buf_add(b, &c, 1); }

void as_buf_printf(as_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[128];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        as_buf_add(b, tmp, (size_t)n);
        return;
    }
    if (!as_buf_reserve(b, (size_t)n, 0))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *as_buf_take(as_buf *b, size_t *len)
{
    if (b->oom || !as_buf_reserve(b, 0, 16)) {
        as_buf_free(b);
        return NULL;
    }
    char *p = b->p;
    if (len)
        *len = b->len;
    *b = (as_buf){0};
    return p;
}

void as_buf_fit(as_buf *b)
{
    if (!b->p || b->oom || b->len + 1 >= b->cap)
        return;
    char *p = b->counted ? as_mem_realloc(b->p, b->cap, b->len + 1, NULL)
                         : realloc(b->p, b->len + 1);
    if (p) {
        b->p = p;
        b->cap = b->len + 1;
    }
}

void as_buf_free(as_buf *b)
{
    if (b->counted)
        as_mem_free(b->p, b->cap);
    else
        free(b->p);
    *b = (as_buf){.counted = b->counted, .err = b->err};
}

void *as_array_grow(void *p, size_t *cap, size_t need, size_t el, size_t first)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap : first ? first : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return NULL;
        nc *= 2;
    }
    if (el && nc > SIZE_MAX / el)
        return NULL;
    void *q = realloc(p, nc * el);
    if (!q)
        return NULL;
    *cap = nc;
    return q;
}
