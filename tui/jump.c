/* jump.c - the `:` prompt: go to a row, a column, a sequence or a pane.
 *
 * Words, separated by spaces or commas, in any order:
 *   12 or r12        row 12 (the token index left of the row)
 *   c5               column 5 (the generated-token index above it)
 *   12 5, 12,5       a second bare number is the column
 *   seq 3, s3        sequence 3, numbered as in the header
 *   src, tgt         the source or target pane (source, target too)
 *   NAME             a step-score row (probability, ...)
 * The sequence changes first, then the pane, then the row and column.
 * A word that is not understood changes nothing; a row or column out of
 * range is refused with the range there is (a sequence change asked for
 * with it stays made). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "panels.h"

typedef struct jump_req {
    bool has_seq, has_row, has_col, has_pane;
    size_t seq, row, col;
    int pane;
    const char *step;          /* a step-score name, or NULL */
} jump_req;

/* A whole word of digits into *out; -1 when it is not one. */
static int number(const char *s, size_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return -1;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (size_t)n;
    return 0;
}

static int parse(tui *t, char *text, jump_req *q, as_error *err)
{
    memset(q, 0, sizeof *q);
    char *words[32];
    int n = 0;
    for (char *w = strtok(text, " ,\t"); w && n < 32; w = strtok(NULL, " ,\t"))
        words[n++] = w;
    if (!n)
        return as_error_set(err, AS_EUSAGE, "type a row (12), a column (c5), both (12 5) or "
                                            "a sequence (seq 2)");
    int bare = 0;
    for (int i = 0; i < n; i++) {
        char *w = words[i];
        size_t k;
        if (!strcasecmp(w, "seq") || !strcasecmp(w, "s")) {
            if (i + 1 >= n || number(words[i + 1], &k))
                return as_error_set(err, AS_EUSAGE, "'%s' needs a sequence number (seq 2)", w);
            q->has_seq = true, q->seq = k, i++;
        } else if ((w[0] == 's' || w[0] == 'S') && !number(w + 1, &k)) {
            q->has_seq = true, q->seq = k;
        } else if ((w[0] == 'r' || w[0] == 'R') && !number(w + 1, &k)) {
            q->has_row = true, q->row = k;
        } else if ((w[0] == 'c' || w[0] == 'C') && !number(w + 1, &k)) {
            q->has_col = true, q->col = k;
        } else if (!strcasecmp(w, "row") || !strcasecmp(w, "col") || !strcasecmp(w, "column")) {
            if (i + 1 >= n || number(words[i + 1], &k))
                return as_error_set(err, AS_EUSAGE, "'%s' needs a number", w);
            if (tolower((unsigned char)w[0]) == 'r')
                q->has_row = true, q->row = k;
            else
                q->has_col = true, q->col = k;
            i++;
        } else if (!number(w, &k)) {
            if (bare == 0 && !q->has_row)
                q->has_row = true, q->row = k;
            else if (!q->has_col)
                q->has_col = true, q->col = k;
            else
                return as_error_set(err, AS_EUSAGE, "'%s': row and column are given already",
                                    w);
            bare++;
        } else if (!strcasecmp(w, "src") || !strcasecmp(w, "source")) {
            q->has_pane = true, q->pane = VIEW_SRC;
        } else if (!strcasecmp(w, "tgt") || !strcasecmp(w, "target")) {
            q->has_pane = true, q->pane = VIEW_TGT;
        } else {
            /* a step score of the shown sequence */
            const as_seq *s = view_seq(&t->v);
            bool found = false;
            for (size_t j = 0; s && j < s->step_scores.n; j++)
                if (!strcasecmp(s->step_scores.v[j].name, w)) {
                    q->step = s->step_scores.v[j].name;
                    found = true;
                }
            if (!found) {
                char safe[256];
                tui_safe(w, safe, sizeof safe);
                return as_error_set(err, AS_EUSAGE,
                                    "'%s' is not a row (12), column (c5), sequence (seq 2), "
                                    "pane (src, tgt) or step score",
                                    safe);
            }
        }
    }
    if (q->step && q->has_row)
        return as_error_set(err, AS_EUSAGE, "a row and a step score: give one of them");
    return 0;
}

unsigned tui_jump(tui *t, const char *text, as_error *err)
{
    char buf[VIEW_PIPE_MAX];
    snprintf(buf, sizeof buf, "%s", text);
    jump_req q;
    if (parse(t, buf, &q, err))
        return 0;
    unsigned bits = 0;
    view_state *v = &t->v;
    if (q.has_seq) {
        size_t ns = view_nseqs(v), first = tui_seq_number(0);
        if (q.seq < first || q.seq - first >= ns)
            return as_error_set(err, AS_EUSAGE, "sequence %zu: there %s %zu (%zu to %zu)%s",
                                q.seq, ns == 1 ? "is" : "are", ns, first, tui_seq_number(ns - 1),
                                t->listing ? " so far: the files are being read" : ""),
                   0;
        if (q.seq - first != v->seq)
            bits |= tui_goto_seq(t, q.seq - first);
        if (!view_seq(v))
            return bits;
    }
    if (!view_seq(v)) {
        if (q.has_row || q.has_col || q.has_pane || q.step)
            as_error_set(err, AS_EUSAGE, "this sequence cannot be shown");
        return bits;
    }
    int p = v->pane;
    if (q.has_pane) {
        if (!v->grid[q.pane].present) {
            as_error_set(err, AS_EUSAGE, "this sequence has no %s heatmap",
                         q.pane == VIEW_SRC ? "source" : "target");
            return bits;
        }
        if (!view_shows(v, q.pane))
            bits |= tui_view_bits(view_set_layout(v, q.pane == VIEW_SRC ? VIEW_LAYOUT_SRC
                                                                         : VIEW_LAYOUT_TGT)) |
                    TUI_LAYOUT;
        p = q.pane;
    }
    const view_grid *g = &v->grid[p];
    size_t row = v->row[p], col = v->col;
    if (q.has_row) {
        if (q.row < g->row0 || q.row - g->row0 >= g->nrows) {
            if (!g->nrows)
                as_error_set(err, AS_EUSAGE, "row %zu: the %s pane has no token rows", q.row,
                             p == VIEW_SRC ? "source" : "target");
            else
                as_error_set(err, AS_EUSAGE, "row %zu: the %s pane has rows %zu to %zu", q.row,
                             p == VIEW_SRC ? "source" : "target", g->row0,
                             g->row0 + g->nrows - 1);
            return bits;
        }
        row = view_row_of(v, p, q.row - g->row0);
    }
    if (q.step) {
        for (size_t k = 0; k < g->nsteps; k++)
            if (!strcmp(view_step_name(v, k), q.step))
                row = g->nrows + k;
    }
    if (q.has_col) {
        if (q.col < g->gen0 || q.col - g->gen0 >= g->ngen) {
            if (!g->ngen)
                as_error_set(err, AS_EUSAGE, "column %zu: there are no columns", q.col);
            else
                as_error_set(err, AS_EUSAGE, "column %zu: the columns are %zu to %zu", q.col,
                             g->gen0, g->gen0 + g->ngen - 1);
            return bits;
        }
        size_t nsub = g->nsub ? g->nsub : 1;
        col = (q.col - g->gen0) * nsub + v->col % nsub;
    }
    bits |= tui_view_bits(view_goto(v, p, row, col));
    return bits | TUI_REDRAW;
}
