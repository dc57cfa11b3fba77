/* pipecomplete.c - pipeline completion for an editor (see pipecomplete.h). */
#include "pipecomplete.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pipeline.h"

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

void pcomp_run(const char *line, size_t cursor, pcomp *c)
{
    memset(c, 0, sizeof *c);
    size_t len = strlen(line);
    if (cursor > len)
        cursor = len;
    as_completion pc;
    pipe_complete(line, cursor, &pc);
    c->start = pc.kind == AS_COMPLETE_NOTHING ? cursor : pc.start;
    c->end = cursor;
    /* the step's name without its ":FN" */
    snprintf(c->step, sizeof c->step, "%.*s", (int)strcspn(pc.step, ":"), pc.step);
    snprintf(c->key, sizeof c->key, "%s", pc.key);
    switch (pc.kind) {
    case AS_COMPLETE_STEP: c->kind = PCOMP_STEP; c->suffix = " "; break;
    case AS_COMPLETE_FN: c->kind = PCOMP_FN; c->suffix = " "; break;
    case AS_COMPLETE_KEY: c->kind = PCOMP_KEY; c->suffix = "="; break;
    case AS_COMPLETE_VALUE: c->kind = PCOMP_VALUE; c->suffix = " "; break;
    default: c->kind = PCOMP_NONE; break;
    }
    for (size_t i = 0; i < pc.ncands && c->ncand < PCOMP_MAX; i++) {
        const char *h = pc.kind == AS_COMPLETE_VALUE ? NULL : pipe_help(pc.cands[i]);
        c->cand[c->ncand] = pc.cands[i];
        c->help[c->ncand] = h ? h : "";
        c->ncand++;
    }
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
