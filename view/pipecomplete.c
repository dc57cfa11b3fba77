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

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Adds the entries of list starting with prefix[0, plen), with their help
 * (none for values), leaving out the keys in skip_mask. */
static void add_cands(pcomp *c, const char *const *list, const char *prefix, size_t plen,
                      unsigned skip_mask)
{
    for (size_t i = 0; list && list[i] && c->ncand < PCOMP_MAX; i++) {
        as_pipe_key k;
        if (skip_mask && pipe_key_parse(list[i], &k) && (skip_mask & (1u << k)))
            continue;
        if (!strncmp(list[i], prefix, plen)) {
            const char *h = c->kind == PCOMP_VALUE ? NULL : pipe_help(list[i]);
            c->cand[c->ncand] = list[i];
            c->help[c->ncand] = h ? h : "";
            c->ncand++;
        }
    }
}

void pcomp_run(const char *line, size_t cursor, pcomp *out)
{
    memset(out, 0, sizeof *out);
    const char *text = line ? line : "";
    size_t len = strlen(text);
    if (cursor > len)
        cursor = len;
    out->start = out->end = cursor;
    /* Scan up to the cursor: find the current step start, word start and
     * whether we are inside quotes. */
    size_t step_start = 0, word_start = 0, nsteps = 0;
    bool in_word = false, word_is_first = true, saw_name = false;
    unsigned used = 0;
    char quote = 0;
    for (size_t i = 0; i < cursor; i++) {
        char ch = text[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            else if (quote == '"' && ch == '\\' && i + 1 < cursor)
                i++;
            continue;
        }
        if (ch == '|') {
            step_start = i + 1;
            nsteps++;
            in_word = false;
            saw_name = false;
            word_is_first = true;
            used = 0;
            continue;
        }
        if (is_ws(ch)) {
            if (in_word) {
                if (!saw_name)
                    saw_name = true;
                else {
                    /* a finished KEY=VALUE word: remember its key */
                    const char *eq = memchr(text + word_start, '=', i - word_start);
                    if (eq) {
                        char kn[40];
                        snprintf(kn, sizeof kn, "%.*s", (int)(eq - (text + word_start)),
                                 text + word_start);
                        as_pipe_key k;
                        if (pipe_key_parse(kn, &k))
                            used |= 1u << k;
                    }
                }
                word_is_first = false;
            }
            in_word = false;
            continue;
        }
        if (!in_word) {
            in_word = true;
            word_start = i;
            word_is_first = !saw_name;
        }
        if ((ch == '\'' || ch == '"') && i > word_start && text[i - 1] == '=')
            quote = ch;
    }
    if (quote)
        return; /* inside a quoted value */
    if (!in_word) {
        word_start = cursor;
        word_is_first = !saw_name;
    }
    const char *w = text + word_start;
    size_t wl = cursor - word_start;
    if (word_is_first) {
        const char *colon = memchr(w, ':', wl);
        if (colon) {
            snprintf(out->step, sizeof out->step, "%.*s", (int)(colon - w), w);
            if (!pipe_step_takes_fn(out->step))
                return;
            out->kind = PCOMP_FN;
            out->suffix = " ";
            out->start = (size_t)(colon + 1 - text);
            add_cands(out, pipe_fn_names(), colon + 1, (size_t)(text + cursor - (colon + 1)), 0);
        } else {
            out->kind = PCOMP_STEP;
            out->suffix = " ";
            out->start = word_start;
            const char *const *names = pipe_step_names();
            for (size_t i = 0; names[i] && out->ncand < PCOMP_MAX; i++) {
                if (nsteps && !strcmp(names[i], "none"))
                    continue;
                const char *one[] = {names[i], NULL};
                add_cands(out, one, w, wl, 0);
            }
        }
        pcomp_common(out);
        return;
    }
    /* The current step's name is its first word (without ":FN"). */
    size_t s = step_start;
    while (s < len && is_ws(text[s]))
        s++;
    size_t e = s;
    while (e < len && !is_ws(text[e]) && text[e] != '|')
        e++;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(e - s < 63 ? e - s : 63), text + s);
    snprintf(out->step, sizeof out->step, "%.*s", (int)strcspn(name, ":"), name);
    const char *eq = memchr(w, '=', wl);
    if (eq) {
        snprintf(out->key, sizeof out->key, "%.*s", (int)(eq - w), w);
        out->kind = PCOMP_VALUE;
        out->suffix = " ";
        out->start = (size_t)(eq + 1 - text);
        add_cands(out, pipe_key_values(out->key), eq + 1, (size_t)(text + cursor - (eq + 1)), 0);
    } else {
        const char *const *keys = pipe_step_keys(name);
        if (!keys)
            return;
        out->kind = PCOMP_KEY;
        out->suffix = "=";
        out->start = word_start;
        add_cands(out, keys, w, wl, used);
    }
    pcomp_common(out);
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
