/* suggest.c - "did you mean" (see suggest.h). */
#include "suggest.h"

#include <stdint.h>
#include <string.h>

#define SUGGEST_MAX 255

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
        return SIZE_MAX;
    /* three rows of the (la+1) x (lb+1) table: two back for swaps */
    size_t r0[SUGGEST_MAX + 1], r1[SUGGEST_MAX + 1], r2[SUGGEST_MAX + 1];
    size_t *pp = r0, *p = r1, *c = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        unsigned char ai = lower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            unsigned char bj = lower((unsigned char)b[j - 1]);
            size_t cost = ai != bj;
            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && ai == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

const char *suggest_near(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word);
    if (!len)
        return NULL;
    size_t bound = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    if (bound >= len)
        bound = len - 1;
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; i < n && cands[i]; i++) {
        size_t d = suggest_distance(word, cands[i]);
        if (d == 0)
            return NULL;
        if (d <= bound && d < bestd) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}
