/* pipecomplete.c - pipeline completion (see pipecomplete.h). */
#include "pipecomplete.h"

#include <stdbool.h>
#include <string.h>

#include "viewagg.h"

static void add(pcomp *c, const char *w, size_t wl, const char *cand, const char *help)
{
    if (c->ncand >= PCOMP_MAX || strncmp(cand, w, wl))
        return;
    for (size_t i = 0; i < c->ncand; i++)
        if (!strcmp(c->cand[i], cand))
            return;
    c->cand[c->ncand] = cand;
    c->help[c->ncand] = help ? help : "";
    c->ncand++;
}

void pcomp_common(pcomp *c)
{
    c->common = 0;
    if (!c->ncand)
        return;
    size_t l = strlen(c->cand[0]);
    for (size_t i = 1; i < c->ncand; i++) {
        size_t k = 0;
        while (k < l && c->cand[i][k] == c->cand[0][k])
            k++;
        l = k;
    }
    c->common = l;
}

static const view_agg_step *find_step(const char *name)
{
    size_t n;
    const view_agg_step *s = view_agg_steps(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].name, name))
            return &s[i];
    return NULL;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

void pcomp_run(const char *line, size_t cursor, pcomp *c)
{
    memset(c, 0, sizeof *c);
    size_t len = strlen(line);
    if (cursor > len)
        cursor = len;
    /* the segment: after the last '|' before the cursor */
    size_t seg = cursor;
    while (seg > 0 && line[seg - 1] != '|')
        seg--;
    /* the word: after the last space before the cursor */
    size_t ws = cursor;
    while (ws > seg && !is_space(line[ws - 1]))
        ws--;
    c->start = ws;
    c->end = cursor;
    /* the segment's first word (its step), if the cursor is past it */
    size_t p = seg;
    while (p < cursor && is_space(line[p]))
        p++;
    size_t sw = p;
    while (p < cursor && !is_space(line[p]) && line[p] != ':')
        p++;
    bool first = sw == ws;
    if (!first) {
        size_t k = p - sw < sizeof c->step ? p - sw : sizeof c->step - 1;
        memcpy(c->step, line + sw, k);
        c->step[k] = '\0';
    }
    const char *w = line + ws;
    size_t wl = cursor - ws;
    if (first) {
        const char *colon = memchr(w, ':', wl);
        if (colon) {
            /* STEP:FN */
            size_t k = (size_t)(colon - w) < sizeof c->step ? (size_t)(colon - w)
                                                             : sizeof c->step - 1;
            memcpy(c->step, w, k);
            c->step[k] = '\0';
            c->kind = PCOMP_FN;
            c->start = ws + (size_t)(colon - w) + 1;
            for (const char *const *f = view_agg_fns(); *f; f++)
                add(c, colon + 1, cursor - c->start, *f, NULL);
            c->suffix = " ";
        } else {
            c->kind = PCOMP_STEP;
            size_t n;
            const view_agg_step *s = view_agg_steps(&n);
            for (size_t i = 0; i < n; i++)
                add(c, w, wl, s[i].name, s[i].help);
            c->suffix = " ";
        }
        pcomp_common(c);
        return;
    }
    const char *eq = memchr(w, '=', wl);
    if (eq) {
        size_t k = (size_t)(eq - w) < sizeof c->key ? (size_t)(eq - w) : sizeof c->key - 1;
        memcpy(c->key, w, k);
        c->key[k] = '\0';
        c->kind = PCOMP_VALUE;
        c->start = ws + (size_t)(eq - w) + 1;
        const char *const *vals = view_agg_key_values(c->key);
        for (; vals && *vals; vals++)
            add(c, eq + 1, cursor - c->start, *vals, NULL);
        c->suffix = " ";
        pcomp_common(c);
        return;
    }
    const view_agg_step *st = find_step(c->step);
    c->kind = PCOMP_KEY;
    c->suffix = "=";
    for (const char *const *k = st ? st->keys : NULL; k && *k; k++)
        add(c, w, wl, *k, NULL);
    pcomp_common(c);
}

size_t pcomp_apply(const pcomp *c, int i, char *line, size_t n)
{
    const char *ins;
    size_t il;
    bool sfx;
    if (i >= 0 && (size_t)i < c->ncand) {
        ins = c->cand[i];
        il = strlen(ins);
        sfx = true;
    } else if (c->ncand) {
        ins = c->cand[0];
        il = c->common;
        sfx = c->ncand == 1;
    } else {
        return c->end;
    }
    const char *suffix = sfx && c->suffix ? c->suffix : "";
    size_t sl = strlen(suffix);
    size_t len = strlen(line);
    /* do not double a suffix that is already there */
    if (sl && c->end < len && line[c->end] == suffix[0])
        sl = 0;
    size_t newlen = len - (c->end - c->start) + il + sl;
    if (newlen + 1 > n)
        return c->end;
    memmove(line + c->start + il + sl, line + c->end, len - c->end + 1);
    memcpy(line + c->start, ins, il);
    memcpy(line + c->start + il, suffix, sl);
    return c->start + il + (sl ? sl : (sfx && c->suffix && c->end < len ? 1 : 0));
}
