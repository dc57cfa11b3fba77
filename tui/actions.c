/* actions.c - what each key does: one handler per entry of the action
 * table (actions.h; keys.c binds the keys), token search, and the dialogs
 * the actions open.  Handlers return TUI_* bits; they never
 * draw. */
#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dispatch.h"
#include "viewexport.h"

/* --------------------------------------------------------------- search */

typedef struct tui_match {
    int pane;
    bool col;                  /* a column (generated token), else a row */
    size_t index;              /* grid row or column */
} tui_match;

/* What actions.c keeps to itself (struct tui's search). */
struct tui_search {
    char query[256];
    tui_match *matches;
    size_t nmatch, match_i;
    bool search_here;          /* search the shown sequence only */
};

int tui_search_init(tui *t)
{
    t->search = calloc(1, sizeof *t->search);
    return t->search ? 0 : -1;
}

void tui_search_free(tui *t)
{
    if (t->search)
        free(t->search->matches);
    free(t->search);
    t->search = NULL;
}


static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return false;
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

static bool token_matches(const tui *t, int side, size_t idx, const char *q)
{
    const as_seq *s = view_seq(&t->v);
    const as_tokens *tok = side == VIEW_SRC ? &s->source : &s->target;
    if (idx < tok->n && contains_ci(tok->v[idx].text, q))
        return true;
    const tui_labels *l = &t->lab[side];
    return idx < l->n && l->text[idx] && contains_ci(l->text[idx], q);
}

static void search_build(tui *t)
{
    free(t->search->matches);
    t->search->matches = NULL;
    t->search->nmatch = 0;
    const view_state *v = &t->v;
    const as_seq *s = view_seq(v);
    if (!s || !t->search->query[0])
        return;
    size_t cap = 0;
    for (int p = 0; p < 2; p++)
        if (view_shows(v, p))
            cap += v->grid[p].nrows + v->grid[p].ncols;
    t->search->matches = calloc(cap ? cap : 1, sizeof *t->search->matches);
    if (!t->search->matches)
        return;
    for (int p = 0; p < 2; p++) {
        if (!view_shows(v, p))
            continue;
        const view_grid *g = &v->grid[p];
        for (size_t r = 0; r < g->nrows; r++)
            if (token_matches(t, p, view_row_token(v, p, r), t->search->query))
                t->search->matches[t->search->nmatch++] = (tui_match){p, false, r};
    }
    const view_grid *g = &v->grid[v->pane];
    for (size_t c = 0; c < g->ncols; c += g->nsub) {
        size_t ti = (size_t)s->attr_pos_start + view_col_gen(v, v->pane, c);
        if (token_matches(t, VIEW_TGT, ti, t->search->query))
            t->search->matches[t->search->nmatch++] = (tui_match){v->pane, true, c};
    }
}

/* Whether sequence k has a token containing q (its stored tokens, raw or
 * decoded: what the rows and columns show before a pipeline merges them). */
static bool seq_has_token(const tui *t, size_t k, const char *q)
{
    const as_seq *s = tui_meta(t, k);
    if (!s)
        return false;
    tokens_mode m = tui_token_mode(t, k);
    const as_tokens *lists[2] = {&s->source, &s->target};
    char buf[512];
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            const char *tx = lists[l]->v[i].text;
            if (!tx)
                continue;
            if (contains_ci(tx, q))
                return true;
            tui_label(tx, m, buf, sizeof buf);
            if (contains_ci(buf, q))
                return true;
        }
    return false;
}

/* The next sequence after the shown one (dir > 0) or before it with a
 * match, wrapping, the shown one excluded; -1 none. */
static long other_seq(const tui *t, int dir)
{
    size_t n = view_nseqs(&t->v), cur = t->v.seq;
    for (size_t i = 1; i < n; i++) {
        size_t k = dir > 0 ? (cur + i) % n : (cur + n - i) % n;
        if (seq_has_token(t, k, t->search->query))
            return (long)k;
    }
    return -1;
}

/* step 0: the first match from the shown sequence on; else the next (1)
 * or previous (-1) match, on into the other sequences unless the search
 * keeps to this one. */
static unsigned search_go(tui *t, long step)
{
    search_build(t);
    char q[600];
    tui_safe(t->search->query, q, sizeof q);
    unsigned bits = 0;
    bool moved_seq = false;
    long n = (long)t->search->nmatch;
    long want = step == 0 ? 0 : (long)t->search->match_i + step;
    if (t->search->match_i >= t->search->nmatch)
        want = step < 0 ? n - 1 : 0;
    if (!t->search->search_here && (!n || want < 0 || want >= n)) {
        /* into another sequence (tried a few times: a pipeline may merge
         * the matching token away) */
        int dir = step < 0 ? -1 : 1;
        size_t start = t->v.seq;
        for (int tries = 0; tries < 8; tries++) {
            long k = other_seq(t, dir);
            if (k < 0)
                break;
            bits |= tui_goto_seq(t, (size_t)k);
            moved_seq = true;
            tui_labels_build(t);
            search_build(t);
            if (t->search->nmatch || (size_t)k == start)
                break;
        }
        n = (long)t->search->nmatch;
        want = dir < 0 ? n - 1 : 0;
    }
    if (!n) {
        if (t->search->search_here)
            tui_msg(t, true, "no token of this sequence matches '%s'", q);
        else
            tui_msg(t, true, "no token matches '%s' in any sequence", q);
        return bits | TUI_REDRAW;
    }
    t->search->match_i = (size_t)(((want % n) + n) % n);
    tui_match m = t->search->matches[t->search->match_i];
    view_state *v = &t->v;
    unsigned ch = m.col ? view_goto(v, m.pane, v->row[v->pane], m.index)
                        : view_goto(v, m.pane, m.index, v->col);
    char where[64];
    if (!t->search->search_here)
        snprintf(where, sizeof where, " in seq %zu%s", tui_seq_number(v->seq),
                 moved_seq ? " (another sequence)" : "");
    else
        snprintf(where, sizeof where, ", this sequence only");
    tui_msg(t, false, "'%s': match %zu of %zu (%s %zu)%s", q, t->search->match_i + 1, t->search->nmatch,
            m.col ? "column" : m.pane == VIEW_SRC ? "source row" : "target row",
            m.col ? view_col_gen(v, m.pane, m.index) : view_row_token(v, m.pane, m.index),
            where);
    return bits | tui_view_bits(ch) | TUI_REDRAW;
}

static unsigned search_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "type some text of a token");
        return 0;
    }
    snprintf(t->search->query, sizeof t->search->query, "%s", text);
    t->search->match_i = 0;
    return search_go(t, 0);
}

static void search_title(const tui *t, char *title, size_t n)
{
    snprintf(title, n, "%s", t->search->search_here ? "search token in this sequence (Tab: all sequences)"
                                            : "search token in every sequence (Tab: this one only)");
}

static void search_tab(tui *t, char *title, size_t n, void *ud)
{
    (void)ud;
    t->search->search_here = !t->search->search_here;
    search_title(t, title, n);
}

/* -------------------------------------------------------------- actions */

#define ACT(id) static unsigned act_##id(tui *t)

ACT(LEFT) { return tui_view_bits(view_move(&t->v, 0, -1)); }
ACT(RIGHT) { return tui_view_bits(view_move(&t->v, 0, 1)); }
ACT(UP) { return tui_view_bits(view_move(&t->v, -1, 0)); }
ACT(DOWN) { return tui_view_bits(view_move(&t->v, 1, 0)); }
ACT(PAGE_UP) { return tui_view_bits(view_page(&t->v, -1)); }
ACT(PAGE_DOWN) { return tui_view_bits(view_page(&t->v, 1)); }
ACT(HOME) { return tui_view_bits(view_home(&t->v, false, false)); }
ACT(END) { return tui_view_bits(view_home(&t->v, false, true)); }
ACT(TOP) { return tui_view_bits(view_home(&t->v, true, false)); }
ACT(BOTTOM) { return tui_view_bits(view_home(&t->v, true, true)); }
ACT(ROW_MAX) { return tui_view_bits(view_jump_extreme(&t->v, true, true)); }
ACT(ROW_MIN) { return tui_view_bits(view_jump_extreme(&t->v, true, false)); }
ACT(COL_MAX) { return tui_view_bits(view_jump_extreme(&t->v, false, true)); }
ACT(COL_MIN) { return tui_view_bits(view_jump_extreme(&t->v, false, false)); }

ACT(SEARCH)
{
    char title[128];
    search_title(t, title, sizeof title);
    screen *p = prompt_new(title, t->search->query, true, search_enter, NULL);
    if (p)
        prompt_set_tab(p, search_tab);
    tui_push(t, p);
    return TUI_REDRAW;
}

static unsigned jump_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    return tui_jump(t, text, err);
}

ACT(JUMP)
{
    tui_push(t, prompt_new("jump to: 12 (row), c5 (column), 12 5, seq 2, src/tgt, a step name",
                           "", true, jump_enter, NULL));
    return TUI_REDRAW;
}

ACT(SORT)
{
    view_state *v = &t->v;
    const view_grid *g = &v->grid[v->pane];
    if (!view_seq(v) || !g->nrows || !g->ncols) {
        tui_msg(t, false, "no rows to sort here");
        return TUI_REDRAW;
    }
    unsigned ch = view_sort_cycle(v);
    if (v->sort_dir)
        tui_msg(t, false, "%s rows sorted by column %zu %s, %s first", 
                v->pane == VIEW_SRC ? "source" : "target", view_col_gen(v, v->pane, v->sort_col),
                tui_col_label(t, v->pane, v->sort_col),
                v->sort_dir < 0 ? "largest" : "smallest");
    else
        tui_msg(t, false, "rows in the file's order");
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(SEARCH_NEXT)
{
    if (!t->search->query[0]) {
        tui_msg(t, true, "no search yet: press / first");
        return TUI_REDRAW;
    }
    return search_go(t, 1);
}

ACT(SEARCH_PREV)
{
    if (!t->search->query[0]) {
        tui_msg(t, true, "no search yet: press / first");
        return TUI_REDRAW;
    }
    return search_go(t, -1);
}

ACT(PANES)
{
    unsigned ch = view_cycle_layout(&t->v);
    if (!ch)
        tui_msg(t, false, "this sequence has only the %s heatmap",
                t->v.grid[VIEW_SRC].present ? "source" : "target");
    return tui_view_bits(ch) | TUI_LAYOUT | TUI_REDRAW;
}

ACT(NEXT_SEQ)
{
    if (t->v.seq + 1 >= view_nseqs(&t->v)) {
        tui_msg(t, false, t->listing ? "last sequence read so far: the files are being read"
                                     : "last sequence");
        return TUI_REDRAW;
    }
    return tui_goto_seq(t, t->v.seq + 1);
}

ACT(PREV_SEQ)
{
    if (t->v.seq == 0) {
        tui_msg(t, false, "first sequence");
        return TUI_REDRAW;
    }
    return tui_goto_seq(t, t->v.seq - 1);
}

static unsigned pick_seq(tui *t, size_t i, void *ud)
{
    (void)ud;
    return tui_goto_seq(t, i);
}

static size_t seq_count(tui *t, void *ud)
{
    (void)ud;
    return view_nseqs(&t->v);
}

static void seq_item(tui *t, size_t i, char *buf, size_t n, void *ud)
{
    (void)ud;
    char in[1024], gen[1024];
    tui_seq_texts(t, i, in, sizeof in, gen, sizeof gen);
    snprintf(buf, n, "%3zu  %s %s %s", i, in, tui_utf8() ? "\u2192" : "->", gen);
}

static long seq_find(tui *t, size_t from, const char *q, bool backwards, void *ud)
{
    (void)ud;
    return view_agg_find(t->v.agg, from, q, backwards);
}

ACT(SEQ_LIST)
{
    return tui_seqlist_open(t, seq_count, seq_item, pick_seq, seq_find);
}

ACT(OVERVIEW) { return tui_summary_open(t); }

ACT(TOPK)
{
    t->topk = !t->topk;
    return TUI_LAYOUT | TUI_REDRAW;
}

ACT(INFO)
{
    size_t n;
    char **lines = tui_info_lines(t, &n);
    tui_push(t, pager_new("info", lines, n, 'i'));
    return TUI_REDRAW;
}

ACT(RAW)
{
    t->raw_tokens = !t->raw_tokens;
    tui_msg(t, false, "%s token text", t->raw_tokens ? "raw" : "decoded");
    tui_config_save(t, "tokens", t->raw_tokens ? "raw" : "decoded");
    return TUI_LABELS | TUI_LAYOUT | TUI_REDRAW;
}

static unsigned range_msg(tui *t, unsigned ch)
{
    char how[96], a[32], b[32];
    view_range_label(&t->v, how, sizeof how);
    tui_fmt_value(t->v.vmin, 10, a, sizeof a);
    tui_fmt_value(t->v.vmax, 10, b, sizeof b);
    tui_msg(t, false, "color range %s to %s (%s)", a, b, how);
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(RANGE_SCOPE)
{
    return range_msg(t, view_toggle_global_range(&t->v));
}

static unsigned percentile_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    char *end;
    double p = strtod(text, &end);
    while (*end == ' ' || *end == '%')
        end++;
    if (end == text || *end || !(p > 0 && p <= 100)) {
        as_error_set(err, AS_EUSAGE, "a percentile above 0 and up to 100, e.g. 99");
        return 0;
    }
    return range_msg(t, view_set_range_mode(&t->v, AS_RANGE_PERCENTILE, p));
}

/* "MIN MAX", "MIN:MAX", "MIN" or ":MAX" ("" or "-" for a bound: from the
 * data); an empty text frees both. */
static unsigned bounds_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *p = buf; *p; p++)
        if (*p == ',' || *p == ':' || *p == '\t')
            *p = ' ';
    char *lo = strtok(buf, " "), *hi = lo ? strtok(NULL, " ") : NULL;
    if (lo && strtok(NULL, " ")) {
        as_error_set(err, AS_EUSAGE, "two numbers at most: MIN MAX");
        return 0;
    }
    if (text[0] == ':' || (text[0] == ' ' && lo && !hi))
        hi = lo, lo = NULL;
    bool has[2] = {false, false};
    double val[2] = {0, 0};
    const char *in[2] = {lo, hi};
    for (int k = 0; k < 2; k++) {
        if (!in[k] || !strcmp(in[k], "-") || !strcmp(in[k], "auto"))
            continue;
        char *end;
        val[k] = strtod(in[k], &end);
        if (end == in[k] || *end || !isfinite(val[k])) {
            as_error_set(err, AS_EUSAGE, "not a number: '%s' (MIN MAX, - for from the data)",
                         in[k]);
            return 0;
        }
        has[k] = true;
    }
    if (view_set_bounds(&t->v, has[0], val[0], has[1], val[1], err))
        return 0;
    return range_msg(t, VIEW_CH_RANGE);
}

enum { RM_ABS, RM_ONE_SIDED, RM_PERCENTILE, RM_INSEQ, RM_BOUNDS, RM_FILE, RM_SLICES, RM_N };

static unsigned pick_range(tui *t, size_t i, void *ud)
{
    (void)ud;
    view_state *v = &t->v;
    switch (i) {
    case RM_ABS:
        return range_msg(t, view_set_range_mode(v, AS_RANGE_ABS, 0));
    case RM_ONE_SIDED:
        return range_msg(t, view_set_range_mode(v, AS_RANGE_ONE_SIDED, 0));
    case RM_INSEQ:
        return range_msg(t, view_set_range_mode(v, AS_RANGE_INSEQ, 0));
    case RM_PERCENTILE: {
        char init[32];
        snprintf(init, sizeof init, "%g",
                 v->range_mode == AS_RANGE_PERCENTILE ? v->percentile
                                                      : AS_RANGE_DEFAULT_PERCENTILE);
        tui_push(t, prompt_new("clip at the percentile of |value| (0-100]", init, true,
                               percentile_enter, NULL));
        return TUI_REDRAW;
    }
    case RM_BOUNDS: {
        char init[80] = "", a[32] = "-", b[32] = "-";
        if (v->fix_min)
            snprintf(a, sizeof a, "%.6g", v->opt_min);
        if (v->fix_max)
            snprintf(b, sizeof b, "%.6g", v->opt_max);
        if (v->fix_min || v->fix_max)
            snprintf(init, sizeof init, "%s %s", a, b);
        tui_push(t, prompt_new("color range MIN MAX (- for from the data; empty: both)", init,
                               false, bounds_enter, NULL));
        return TUI_REDRAW;
    }
    case RM_FILE:
        return range_msg(t, view_toggle_global_range(v));
    case RM_SLICES:
        if (view_ndim(v) <= 2 && !v->slices_range) {
            tui_msg(t, false, "this view is 2D: no slider positions to share a range across");
            return TUI_REDRAW;
        }
        return range_msg(t, view_toggle_slices_range(v));
    default:
        return TUI_REDRAW;
    }
}

ACT(RANGE)
{
    const view_state *v = &t->v;
    char **items = calloc(RM_N, sizeof *items);
    if (!items)
        return 0;
    char buf[160];
    bool fixed = v->fix_min && v->fix_max;
#define MARK(on) ((on) && !fixed ? "* " : "  ")
    snprintf(buf, sizeof buf, "%sabs: -a..a, a the largest |value| (nothing clipped)",
             MARK(v->range_mode == AS_RANGE_ABS));
    items[RM_ABS] = strdup(buf);
    snprintf(buf, sizeof buf, "%sone-sided: 0..a, white to red (attention, vnorm)",
             MARK(v->range_mode == AS_RANGE_ONE_SIDED));
    items[RM_ONE_SIDED] = strdup(buf);
    snprintf(buf, sizeof buf, "%sclip at a percentile of |value|...  (now p%g)",
             MARK(v->range_mode == AS_RANGE_PERCENTILE),
             v->range_mode == AS_RANGE_PERCENTILE ? v->percentile : AS_RANGE_DEFAULT_PERCENTILE);
    items[RM_PERCENTILE] = strdup(buf);
    snprintf(buf, sizeof buf, "%sinseq: -m..m, m = max(0, largest value)",
             MARK(v->range_mode == AS_RANGE_INSEQ));
    items[RM_INSEQ] = strdup(buf);
#undef MARK
    if (v->fix_min || v->fix_max) {
        char a[32] = "data", b[32] = "data";
        if (v->fix_min)
            snprintf(a, sizeof a, "%.6g", v->opt_min);
        if (v->fix_max)
            snprintf(b, sizeof b, "%.6g", v->opt_max);
        snprintf(buf, sizeof buf, "%sset min and max...  (now %s to %s)", fixed ? "* " : "  ", a,
                 b);
    } else {
        snprintf(buf, sizeof buf, "  set min and max by hand...");
    }
    items[RM_BOUNDS] = strdup(buf);
    snprintf(buf, sizeof buf, "  [%c] one range for every sequence of the file (M)",
             v->global_range ? 'x' : ' ');
    items[RM_FILE] = strdup(buf);
    snprintf(buf, sizeof buf, "  [%c] one range for every slider position%s",
             v->slices_range ? 'x' : ' ', view_ndim(v) > 2 ? "" : " (no sliders: 2D view)");
    items[RM_SLICES] = strdup(buf);
    for (size_t k = 0; k < RM_N; k++)
        if (!items[k])
            items[k] = strdup("");
    size_t sel = fixed ? RM_BOUNDS
                 : v->range_mode == AS_RANGE_ONE_SIDED ? RM_ONE_SIDED
                 : v->range_mode == AS_RANGE_PERCENTILE ? RM_PERCENTILE
                 : v->range_mode == AS_RANGE_INSEQ ? RM_INSEQ
                                                     : RM_ABS;
    tui_push(t, list_new("color range", items, RM_N, sel, pick_range, NULL));
    return TUI_REDRAW;
}

static void save_width(tui *t)
{
    char w[16];
    snprintf(w, sizeof w, "%d", tui_cw_width(t->cw_level));
    tui_config_save(t, "cell-width", w);
}

ACT(NARROW)
{
    /* from the width the terminal gave: one step below the default (6
     * columns, 3 for sub-columns) */
    int base = t->v.grid[t->v.pane].nsub > 1 ? 2 : 5;
    if (t->cw_auto && t->cw_level > base)
        t->cw_level = base;
    t->cw_auto = false;
    if (t->cw_level > 0)
        t->cw_level--;
    save_width(t);
    return TUI_LAYOUT | TUI_REDRAW | TUI_MOVE;
}

ACT(WIDEN)
{
    t->cw_auto = false;
    t->cw_level = tui_cw_level_for(tui_cw_width(t->cw_level) + 1);
    save_width(t);
    return TUI_LAYOUT | TUI_REDRAW | TUI_MOVE;
}

ACT(COLOR)
{
    tui_color_mode m = theme_mode();
    m = m == TUI_MONO ? t->max_mode : (tui_color_mode)(m - 1);
    theme_init(m);
    tui_msg(t, false, "colors: %s", theme_mode_name(m));
    tui_config_save(t, "color", tui_color_setting(m));
    return TUI_REDRAW | TUI_CLEAR;
}

ACT(PIPELINE)
{
    tui_push(t, editor_new(t));
    return TUI_REDRAW;
}

static unsigned pick_weight(tui *t, size_t i, void *ud)
{
    (void)ud;
    const as_seq *s = tui_meta(t, t->v.seq);
    const char *w = !s || i == 0 || i > s->step_scores.n ? "" : s->step_scores.v[i - 1].name;
    as_error e = {0};
    unsigned ch = view_set_weight(&t->v, w, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else if (ch)
        tui_msg(t, false, w[0] ? "weighted by %s" : "no weighting%s", w);
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(WEIGHT)
{
    const as_seq *s = tui_meta(t, t->v.seq);
    if (!s)
        return TUI_REDRAW;
    size_t n = s->step_scores.n + 1;
    char **items = calloc(n, sizeof *items);
    if (!items)
        return 0;
    items[0] = strdup("(none)");
    size_t sel = 0;
    for (size_t k = 0; k < s->step_scores.n; k++) {
        char safe[512];
        tui_safe(s->step_scores.v[k].name, safe, sizeof safe);
        items[k + 1] = strdup(safe);
        if (!strcmp(s->step_scores.v[k].name, t->v.ch.weight))
            sel = k + 1;
    }
    for (size_t k = 0; k < n; k++)
        if (!items[k])
            items[k] = strdup("");
    tui_push(t, list_new("weight attributions by a step score", items, n, sel, pick_weight,
                         NULL));
    return TUI_REDRAW;
}

ACT(REDO)
{
    as_error e = {0};
    unsigned ch = view_redo(&t->v, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else
        tui_msg(t, false, "redone: pipeline %s%s%s", t->v.ch.pipeline,
                t->v.ch.weight[0] ? ", weight " : "", t->v.ch.weight);
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(UNDO)
{
    as_error e = {0};
    unsigned ch = view_undo(&t->v, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else
        tui_msg(t, false, "undone: pipeline %s%s%s", t->v.ch.pipeline,
                t->v.ch.weight[0] ? ", weight " : "", t->v.ch.weight);
    return tui_view_bits(ch) | TUI_REDRAW;
}

static unsigned pick_show_dim(tui *t, size_t i, void *ud)
{
    (void)ud;
    as_error e = {0};
    unsigned ch = view_set_show_dim(&t->v, i == 0 ? -1 : (int)i + 1, &e);
    if (e.code)
        tui_msg(t, true, "%s", e.msg);
    else if (t->v.ch.show_dim >= 0)
        tui_msg(t, false, "columns split by %s%s%s", view_dim_name(&t->v, t->v.ch.show_dim),
                t->v.note[0] ? "; " : "", t->v.note);
    else
        tui_msg(t, false, "no sub-columns");
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(SHOW_DIM)
{
    view_state *v = &t->v;
    v->note[0] = '\0';
    int nd = view_ndim(v);
    unsigned kept = 0;
    if (nd <= 2) {
        if (view_stored_ndim(v) <= 2) {
            tui_msg(t, false, "the attributions are 2D: there are no extra dims to show");
            return TUI_REDRAW;
        }
        /* the pipeline reduced them: switch to one that keeps them */
        as_error e = {0};
        kept = view_keep_extra_dims(v, 2, &e);
        if (!kept) {
            tui_msg(t, true, "%s", e.msg);
            return TUI_REDRAW;
        }
        tui_msg(t, false, "%s", v->note);
        nd = view_ndim(v);
    }
    size_t n = (size_t)nd - 1;
    char **items = calloc(n, sizeof *items);
    if (!items)
        return 0;
    items[0] = strdup("none: every extra dim is a slider");
    for (int d = 2; d < nd; d++) {
        char s[256];
        size_t size = view_dim_size(v, d);
        size_t len = v->ch.slice[d].on ? v->ch.slice[d].b - v->ch.slice[d].a : size;
        snprintf(s, sizeof s, "%d  %s (%zu)%s", d, view_dim_name(v, d), len,
                 len > v->max_show_size ? "  too large: slice it first (S, or --slice)" : "");
        items[d - 1] = strdup(s);
    }
    for (size_t k = 0; k < n; k++)
        if (!items[k])
            items[k] = strdup("");
    size_t sel = v->ch.show_dim >= 2 ? (size_t)v->ch.show_dim - 1 : 0;
    tui_push(t, list_new("extra dim shown as sub-columns", items, n, sel, pick_show_dim, NULL));
    return tui_view_bits(kept) | TUI_REDRAW;
}

static unsigned slider_msg(tui *t, unsigned ch)
{
    view_state *v = &t->v;
    if (v->slider_dim < 0)
        tui_msg(t, false, "no slider: this view has no extra dim to step");
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(SLIDER_PREV) { return slider_msg(t, view_slider_step(&t->v, -1)); }
ACT(SLIDER_NEXT) { return slider_msg(t, view_slider_step(&t->v, 1)); }

ACT(SLIDER_DIM)
{
    unsigned ch = view_slider_next_dim(&t->v);
    if (t->v.slider_dim >= 0)
        tui_msg(t, false, "< and > step %s", view_dim_name(&t->v, t->v.slider_dim));
    return slider_msg(t, ch) | TUI_REDRAW;
}

static unsigned slice_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    t->v.note[0] = '\0';
    unsigned ch = view_set_slice_str(&t->v, text, err);
    if (!err->code)
        tui_msg(t, false, "%s: %s%s%s", ch ? "sliced" : "slice unchanged", text,
                t->v.note[0] ? "; " : "", t->v.note);
    return tui_view_bits(ch) | TUI_REDRAW;
}

ACT(SLICE)
{
    char init[64];
    int d = t->v.slider_dim >= 0 ? t->v.slider_dim : 0;
    snprintf(init, sizeof init, "%d=", d);
    tui_push(t, prompt_new("slice DIM=A:B (name or index; DIM= clears)", init, false, slice_enter,
                           NULL));
    return TUI_REDRAW;
}

/* The absolute path of a file just written (path itself when unknown). */
static void abs_path(const char *path, char *out, size_t n)
{
    char *r = realpath(path, NULL);
    snprintf(out, n, "%s", r ? r : path);
    free(r);
}

/* The files an export to path writes: with both panes shown, one tidy CSV
 * of both, or two JSON files (a JSON view holds one pane). */
static int export_targets(tui *t, const char *path, char out[2][PATH_MAX], int pane[2])
{
    if (tui_export_is_csv(path) && tui_export_both(t)) {
        if (snprintf(out[0], PATH_MAX, "%s", path) >= PATH_MAX)
            return -1;
        pane[0] = VIEW_EXPORT_BOTH;
        return 1;
    }
    if (tui_export_is_grid(path) && tui_export_both(t)) {
        for (int p = 0; p < 2; p++) {
            if (!tui_export_pane_path(path, p, out[p], PATH_MAX))
                return -1;
            pane[p] = p;
        }
        return 2;
    }
    if (snprintf(out[0], PATH_MAX, "%s", path) >= PATH_MAX)
        return -1;
    pane[0] = t->v.pane;
    return 1;
}

/* Writes the export; on failure err says why (nothing written). */
static unsigned export_now(tui *t, const char *path, as_error *err)
{
    char files[2][PATH_MAX];
    int pane[2];
    int n = export_targets(t, path, files, pane);
    if (n < 0) {
        as_error_set(err, AS_EUSAGE, "%s: the name is too long", path);
        return TUI_REDRAW;
    }
    for (int k = 0; k < n; k++)
        if (tui_export_pane(t, files[k], pane[k], err))
            return TUI_REDRAW;
    char a[2][PATH_MAX];
    for (int k = 0; k < n; k++)
        abs_path(files[k], a[k], PATH_MAX);
    size_t l = strlen(path);
    bool html = (l > 5 && !strcasecmp(path + l - 5, ".html")) ||
                (l > 4 && !strcasecmp(path + l - 4, ".htm"));
    if (html) {
        tui_msg(t, false, "exported the %s page of sequence %zu to %s",
                tui_export_is_tokens(path) ? "tokens" : view_ndim(&t->v) > 2 ? "granular"
                                                                               : "heatmap",
                t->v.seq, a[0]);
    } else if (n == 2) {
        tui_msg(t, false, "exported both panes: source to %s, target to %s", a[0], a[1]);
    } else if (pane[0] == VIEW_EXPORT_BOTH) {
        tui_msg(t, false, "exported both panes (source and target rows, step scores) to %s",
                a[0]);
    } else if (tui_export_is_grid(path)) {
        const view_grid *g = &t->v.grid[pane[0]];
        tui_msg(t, false, "exported the %s pane (%zu rows + %zu step rows, %zu columns) to %s",
                pane[0] == VIEW_SRC ? "source" : "target", g->nrows, g->nsteps, g->ncols, a[0]);
    } else {
        tui_msg(t, false, "exported the sequences of the file to %s", a[0]);
    }
    return TUI_REDRAW;
}

static unsigned export_confirmed(tui *t, size_t yes, void *ud)
{
    (void)yes;
    as_error e = {0};
    unsigned bits = export_now(t, ud, &e);
    if (e.code)
        tui_msg(t, true, "export: %s", e.msg);
    return bits;
}

static unsigned export_enter(tui *t, const char *text, void *ud, as_error *err)
{
    (void)ud;
    if (!text[0]) {
        as_error_set(err, AS_EUSAGE, "give a file name (.csv, .json, .html, .tokens.html or .inseq.json)");
        return 0;
    }
    char path[PATH_MAX];
    if (!tui_expand_home(text, path, sizeof path)) {
        as_error_set(err, AS_EUSAGE, "%s: the name is too long", text);
        return 0;
    }
    struct stat st;
    if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
        as_error_set(err, AS_EUSAGE, "%s is a directory", path);
        return 0;
    }
    if (tui_export_check(path, err))
        return 0;
    char files[2][PATH_MAX];
    int pane[2];
    int n = export_targets(t, path, files, pane);
    if (n < 0) {
        as_error_set(err, AS_EUSAGE, "%s: the name is too long", path);
        return 0;
    }
    char q[2 * PATH_MAX + 64] = "";
    for (int k = 0; k < n; k++)
        if (!stat(files[k], &st)) {
            if (S_ISDIR(st.st_mode)) {
                as_error_set(err, AS_EUSAGE, "%s is a directory", files[k]);
                return 0;
            }
            size_t o = strlen(q);
            snprintf(q + o, sizeof q - o, "%s%s", o ? " and " : "", files[k]);
        }
    if (q[0]) {
        size_t o = strlen(q);
        bool two = strstr(q, " and ") != NULL;
        snprintf(q + o, sizeof q - o, two ? " exist. Overwrite them?" : " exists. Overwrite it?");
        char *p = strdup(path);
        if (!p)
            return 0;
        tui_push(t, confirm_new(q, export_confirmed, p, free));
        return TUI_REDRAW;
    }
    return export_now(t, path, err);
}

ACT(EXPORT)
{
    if (!view_seq(&t->v)) {
        tui_msg(t, true, "nothing to export");
        return TUI_REDRAW;
    }
    char *name = tui_export_default_name(t);
    screen *p = prompt_new(tui_export_both(t) ? "export both panes to .csv .json .html "
                                                ".tokens.html .inseq.json"
                                              : "export the view to .csv .json .html "
                                                ".tokens.html .inseq.json",
                           name ? name : "", true, export_enter, NULL);
    prompt_complete_paths(p);
    tui_push(t, p);
    free(name);
    return TUI_REDRAW;
}

ACT(RELOAD) { (void)t; return TUI_RELOAD; }

static void fmt_copy(double x, char *buf, size_t n)
{
    if (isnan(x))
        snprintf(buf, n, "NaN");
    else
        snprintf(buf, n, "%.9g", x);
}

/* A label for copied text: no tabs or line breaks. */
static void clip_label(const char *s, char *buf, size_t n)
{
    snprintf(buf, n, "%s", s);
    for (char *p = buf; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
}

static unsigned copy_done(tui *t, const char *text, const char *what)
{
    if (tui_clip_copy(text))
        tui_msg(t, true, "copy: cannot write to the terminal: %s", strerror(errno));
    else
        tui_msg(t, false, "copied %s to the clipboard (OSC 52: the terminal must allow it)",
                what);
    return TUI_REDRAW;
}

ACT(COPY_CELL)
{
    view_state *v = &t->v;
    const view_grid *g = &v->grid[v->pane];
    if (!view_seq(v) || !g->ncols) {
        tui_msg(t, true, "no cell to copy");
        return TUI_REDRAW;
    }
    char val[64], what[128];
    fmt_copy(view_cursor_value(v), val, sizeof val);
    snprintf(what, sizeof what, "%s", val);
    return copy_done(t, val, what);
}

ACT(COPY_ROW)
{
    view_state *v = &t->v;
    int p = v->pane;
    const view_grid *g = &v->grid[p];
    if (!view_seq(v) || !g->ncols) {
        tui_msg(t, true, "no row to copy");
        return TUI_REDRAW;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return TUI_REDRAW;
    char lab[600], num[64];
    size_t r = v->row[p];
    /* a header of the columns' tokens, then the row */
    fputs(p == VIEW_SRC ? "source" : "target", f);
    for (size_t c = 0; c < g->ncols; c++) {
        clip_label(tui_col_label(t, p, c), lab, sizeof lab);
        fprintf(f, "\t%zu:%s", view_col_gen(v, p, c), lab);
        if (g->sub_dim >= 0)
            fprintf(f, "/%zu", view_col_sub(v, p, c));
    }
    if (r < g->nrows) {
        clip_label(tui_row_label(t, p, r), lab, sizeof lab);
        fprintf(f, "\n%zu:%s", view_row_token(v, p, r), lab);
    } else {
        clip_label(view_step_name(v, r - g->nrows), lab, sizeof lab);
        fprintf(f, "\n%s", lab);
    }
    for (size_t c = 0; c < g->ncols; c++) {
        fmt_copy(view_cell(v, p, r, c), num, sizeof num);
        fprintf(f, "\t%s", num);
    }
    fputc('\n', f);
    fclose(f);
    if (!text)
        return TUI_REDRAW;
    char what[128];
    snprintf(what, sizeof what, "the row (%zu values, tab-separated)", g->ncols);
    unsigned bits = copy_done(t, text, what);
    free(text);
    return bits;
}
ACT(FOLLOW) { return tui_watch_toggle(t); }

/* The legend of the colors under the keys: what the colorbar, the color
 * steps of the mode in use and bold step scores mean. */
static size_t legend_lines(tui *t, char **lines, size_t cap)
{
    bool utf = tui_utf8();
    char a[32], b[32], how[96], s[512];
    view_range_label(&t->v, how, sizeof how);
    tui_fmt_value(t->v.vmin, 10, a, sizeof a);
    tui_fmt_value(t->v.vmax, 10, b, sizeof b);
    const char *mode_line;
    switch (theme_mode()) {
    case TUI_TRUE:
        mode_line = "inseq's colormap over white, 128 shades per sign";
        break;
    case TUI_256:
        mode_line = "6 shades per sign, each darker than the last";
        break;
    case TUI_8:
        mode_line = "4 steps of |value|: colored text, bold colored text, white on "
                    "the color, bold white on the color";
        break;
    default:
        mode_line = "plain, bold, reverse as |value| grows; "
                    "underlined: below zero";
        break;
    }
    const char *text[] = {
        "Colors",
        NULL, /* the range */
        "  colorbar         the top right bar runs from the minimum to the maximum;",
        utf ? "                   \u2503 marks zero, \u25c6 the value under the cursor"
            : "                   | marks zero, * the value under the cursor",
        "  blue / red       below / above zero; darker: larger |value|; white: near zero",
        NULL, /* the mode */
        utf ? "  \u2591\u2592\u2593\u2588             cells too narrow for numbers: |value| in quarters"
            : "  .:*#             cells too narrow for numbers: |value| in quarters",
        theme_mode() == TUI_MONO
            ? (utf ? "  \u25b8                the cursor (reverse alone marks the strongest cells)"
                   : "  >                the cursor (reverse alone marks the strongest cells)")
            : "  yellow           the cursor",
        "  bold step score  |score| >= 0.5 (as inseq bolds them); step rows are not colored",
        "  empty cell       NaN: no value (e.g. a token that cannot attend to a later one)",
        "  inf              the strongest color of its sign; ranges use the finite values",
        "  C cycles the color modes, m changes the range, M shares it over the file",
    };
    size_t n = 0;
    if (cap < sizeof text / sizeof text[0] + 1)
        return 0;
    lines[n++] = strdup("");
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        if (i == 1) {
            snprintf(s, sizeof s, "  range            %s to %s (%s)", a, b, how);
            lines[n++] = strdup(s);
        } else if (i == 5) {
            snprintf(s, sizeof s, "  %-16s %s", theme_mode_name(theme_mode()), mode_line);
            lines[n++] = strdup(s);
        } else {
            lines[n++] = strdup(text[i]);
        }
    }
    return n;
}

ACT(HELP)
{
    size_t n = 0, cap = ACT_COUNT + 40;
    char **lines = calloc(cap, sizeof *lines);
    if (!lines)
        return 0;
    const char *group = NULL;
    for (int a = 0; a < ACT_COUNT && n + 3 < cap; a++) {
        const tui_action_info *x = &tui_action_table[a];
        char s[512];
        if (!group || strcmp(group, x->group)) {
            if (group)
                lines[n++] = strdup("");
            group = x->group;
            lines[n++] = strdup(group);
        }
        char keys[64];
        snprintf(keys, sizeof keys, "%s", x->keys);
        for (char *p = keys; *p; p++)
            if (*p == ' ')
                *p = ',';
        snprintf(s, sizeof s, "  %-16s %s", keys, x->help);
        lines[n++] = strdup(s);
    }
    n += legend_lines(t, lines + n, cap - n);
    for (size_t i = 0; i < n; i++)
        if (!lines[i])
            lines[i] = strdup("");
    tui_push(t, pager_new("keys", lines, n, '?'));
    return TUI_REDRAW;
}

ACT(REDRAW) { (void)t; return TUI_CLEAR | TUI_LAYOUT | TUI_REDRAW; }
ACT(QUIT) { (void)t; return TUI_QUIT; }

typedef unsigned (*act_fn)(tui *);
static const act_fn act_table[ACT_COUNT] = {
#define TUI_ACT_FN(id, group, name, keys, help, hint) act_##id,
    TUI_ACTIONS(TUI_ACT_FN)
#undef TUI_ACT_FN
};


unsigned tui_dispatch(tui *t, int key)
{
    if (key == TUI_MOUSE)
        return tui_mouse_grid(t);
    int a = tui_key_action(key);
    if (a >= 0) {
        t->msg[0] = '\0';
        return act_table[a](t) | TUI_REDRAW;
    }
    if (tui_key_normalize(key) == TUI_ESC) {
        t->msg[0] = '\0';
        return TUI_REDRAW;
    }
    tui_msg(t, false, "press ? for the keys");
    return TUI_REDRAW;
}

