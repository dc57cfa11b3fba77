/* compare.c - the explorer's compare mode: the matched sequences of two
 * files (model/compare.h) as heatmaps side by side or as the difference
 * B - A, one cursor for both, and the column's agreement metrics.
 *
 * A screen over the grid: `c` goes side by side -> difference -> back to
 * the grid; the grid's moving keys move the shared cursor, `]` / `[` step
 * through the matched sequences, `X` swaps A and B, `x` compares A with the
 * next file (three files or more), Esc goes back, q quits.  Each side goes
 * through the grid's pipeline and weight (the class default unless
 * changed), down to 2D maps. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agg.h"
#include "colormap.h"
#include "compare.h"
#include "panels.h"

typedef enum cmp_mode { CM_SIDE = 0, CM_DIFF } cmp_mode;

typedef struct cmp_screen {
    screen s;
    char **files;               /* the files open, owned copies */
    size_t nfiles;
    size_t fa, fb;              /* which two are compared */
    as_output *A, *B;           /* owned */
    cmp_match m;
    size_t pi;                  /* shown pair */
    as_seq *a, *b, *d;          /* its maps and the difference (owned) */
    cmp_seq_result res;
    char err[AS_ERROR_MAX];     /* why nothing shows, "" when fine */
    cmp_mode mode;
    size_t nrows, ncols, nsrc;  /* compared rows (source first), columns */
    size_t row, col, top, left;
    size_t vis_rows, vis_cols;  /* from the last frame */
    double ra, rb, rd;          /* color ranges: +-r */
    tokens_mode tmode;
    size_t k;                   /* the k of the agreement@k metrics */
} cmp_screen;


/* ---- data ---- */

typedef struct load_job {
    const char *path;
    as_output *out;
    as_error err;
} load_job;

static int load_run(tui *t, void *ud)
{
    load_job *j = ud;
    as_load_opts lo = tui_load_opts(t);
    j->out = as_load_file(j->path, &lo, &j->err);
    return j->out ? 0 : 1;
}

static as_output *load(tui *t, const char *path, char *err, size_t n)
{
    load_job j = {.path = path};
    char what[1200];
    snprintf(what, sizeof what, "Loading %s", path);
    struct stat st;
    uint64_t total = !stat(path, &st) ? (uint64_t)st.st_size : 0;
    tui_busy(t, what, total, load_run, &j);
    if (!j.out)
        snprintf(err, n, "%s", j.err.msg);
    return j.out;
}

static void pair_free(cmp_screen *c)
{
    agg_seq_free(c->a);
    agg_seq_free(c->b);
    agg_seq_free(c->d);
    c->a = c->b = c->d = NULL;
    cmp_seq_result_free(&c->res);
    c->nrows = c->ncols = c->nsrc = 0;
}

static double max_abs(const as_seq *s)
{
    double m = 0;
    const as_tensor *t[2] = {s->source_attr, s->target_attr};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; t[p] && i < tensor_numel(t[p]); i++) {
            double v = fabs((double)t[p]->data[i]);
            if (isfinite(v) && v > m)
                m = v;
        }
    return m;
}

/* Aggregates and compares pair pi; on failure err says why. */
static void pair_open(tui *t, cmp_screen *c)
{
    pair_free(c);
    c->err[0] = '\0';
    if (!c->m.npairs) {
        snprintf(c->err, sizeof c->err,
                 "no sequence of A has the same source, target and generated tokens as one of "
                 "B (%zu and %zu sequences)", c->A->nseqs, c->B->nseqs);
        return;
    }
    const char *pipe = t->v.ch.pipeline[0] ? t->v.ch.pipeline : "default";
    const char *weight = t->v.ch.weight[0] ? t->v.ch.weight : NULL;
    as_error e = {0};
    const cmp_pair *p = &c->m.pairs[c->pi];
    const char *which = "A";
    bool not2d = false;
    if (!(c->a = agg_apply_str(c->A, p->a, pipe, weight, &e)) ||
        (not2d = agg_check_2d(c->a, &e) != 0))
        goto fail;
    which = "B";
    if (!(c->b = agg_apply_str(c->B, p->b, pipe, weight, &e)) ||
        (not2d = agg_check_2d(c->b, &e) != 0))
        goto fail;
    which = "A and B";
    if (!cmp_seq_same_tokens(c->a, c->b)) {
        snprintf(c->err, sizeof c->err,
                 "the tokens of A and B differ after pipeline '%s' (it merges them "
                 "differently)", pipe);
        pair_free(c);
        return;
    }
    if (cmp_seqs(c->a, c->b, c->k, &c->res, &e) ||
        !(c->d = cmp_difference(c->a, c->b, &e)))
        goto fail;
    c->nsrc = c->res.source ? c->a->source_attr->shape[0] : 0;
    c->nrows = cmp_rows(c->a, c->b);
    c->ncols = c->res.ncols;
    c->ra = max_abs(c->a);
    c->rb = max_abs(c->b);
    c->rd = max_abs(c->d);
    if (c->row >= c->nrows)
        c->row = c->nrows ? c->nrows - 1 : 0;
    if (c->col >= c->ncols)
        c->col = c->ncols ? c->ncols - 1 : 0;
    return;
fail:
    snprintf(c->err, sizeof c->err, "%s (pipeline '%s'): %s%s", which, pipe, e.msg,
             not2d ? " - compare needs 2D maps: Esc, then a to change the pipeline" : "");
    pair_free(c);
}

/* Loads files fa and fb and matches their sequences; false with err set. */
static bool files_open(tui *t, cmp_screen *c)
{
    as_output *A = load(t, c->files[c->fa], c->err, sizeof c->err);
    if (!A)
        return false;
    as_output *B = c->fb == c->fa ? NULL : load(t, c->files[c->fb], c->err, sizeof c->err);
    if (!B) {
        attr_output_free(A);
        return false;
    }
    cmp_match m;
    as_error e = {0};
    if (cmp_match_seqs(A, NULL, 0, B, NULL, 0, &m, &e)) {
        snprintf(c->err, sizeof c->err, "%s", e.msg);
        attr_output_free(A);
        attr_output_free(B);
        return false;
    }
    pair_free(c);
    cmp_match_free(&c->m);
    attr_output_free(c->A);
    attr_output_free(c->B);
    c->A = A;
    c->B = B;
    c->m = m;
    c->pi = 0;
    c->tmode = t->raw_tokens ? TOKENS_NONE : tokens_resolve(TOKENS_AUTO, A, -1);
    pair_open(t, c);
    return true;
}

static double cell(const as_seq *s, const cmp_screen *c, size_t r, size_t j)
{
    const as_tensor *x = r < c->nsrc ? s->source_attr : s->target_attr;
    size_t i = r < c->nsrc ? r : r - c->nsrc;
    if (!x || i >= x->shape[0] || j >= x->shape[1])
        return NAN;
    return x->data[i * x->shape[1] + j];
}

static const as_token *row_token(const cmp_screen *c, size_t r)
{
    return r < c->nsrc ? &c->a->source.v[r] : &c->a->target.v[r - c->nsrc];
}

/* ---- drawing ---- */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s && s[1] ? s + 1 : p;
}

static void put_cell(int y, int x, int cw, double v, double range, bool cur)
{
    char buf[64];
    tui_style st;
    if (cur) {
        st = theme_role(ROLE_CURSOR);
    } else {
        int b = isnan(v) ? -1 : cmap_bucket(v, -range, range);
        st = theme_cell(b)->text;
    }
    if (isnan(v))
        buf[0] = '\0';
    else
        tui_fmt_value(v, cw - 1, buf, sizeof buf);
    char pad[80];
    snprintf(pad, sizeof pad, "%*s", cw, buf);
    tui_put(y, x, pad, cw, st, true, false);
}

static void draw_block(const cmp_screen *c, const as_seq *s, double range, int x0, int y0,
                       int cw, size_t nvis_r, size_t nvis_c)
{
    const as_token *gen = c->a->target.v + c->a->attr_pos_start;
    for (size_t k = 0; k < nvis_c && c->left + k < c->ncols; k++) {
        size_t j = c->left + k;
        char idx[32], lab[256];
        bool cur = j == c->col;
        tui_style st = theme_role(cur ? ROLE_LABEL_CUR : ROLE_INDEX);
        snprintf(idx, sizeof idx, "%*zu", cw, j);
        tui_put(y0, x0 + (int)k * cw, idx, cw, st, true, false);
        tui_label(gen[j].text, c->tmode, lab, sizeof lab);
        char padded[300];
        snprintf(padded, sizeof padded, " %s", lab);
        tui_put(y0 + 1, x0 + (int)k * cw, padded, cw,
                theme_role(cur ? ROLE_LABEL_CUR : ROLE_LABEL), true, true);
    }
    for (size_t i = 0; i < nvis_r && c->top + i < c->nrows; i++) {
        size_t r = c->top + i;
        for (size_t k = 0; k < nvis_c && c->left + k < c->ncols; k++) {
            size_t j = c->left + k;
            put_cell(y0 + 2 + (int)i, x0 + (int)k * cw, cw, cell(s, c, r, j), range,
                     r == c->row && j == c->col);
        }
    }
}

static void fmt_num(double v, char *buf, size_t n)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.3f", v);
}

static void compare_draw(tui *t, screen *s)
{
    cmp_screen *c = (cmp_screen *)s;
    int H, W;
    getmaxyx(stdscr, H, W);
    erase();
    tui_style hdr = theme_role(ROLE_HEADER), status = theme_role(ROLE_STATUS);
    char line[2048], na[512], nb[512];
    tui_safe(c->files[c->fa], na, sizeof na);
    tui_safe(c->files[c->fb], nb, sizeof nb);
    if (c->m.npairs)
        snprintf(line, sizeof line,
                 " compare │ A: %s │ B: %s │ seq %zu ↔ %zu (%zu/%zu matched) │ %s", base_name(na),
                 base_name(nb),
                 c->m.pairs[c->pi].a, c->m.pairs[c->pi].b, c->pi + 1, c->m.npairs,
                 c->mode == CM_SIDE ? "side by side" : "difference B - A");
    else
        snprintf(line, sizeof line, " compare │ A: %s │ B: %s │ no matched sequence",
                 base_name(na), base_name(nb));
    if (c->m.nonly_a || c->m.nonly_b) {
        size_t l = strlen(line);
        snprintf(line + l, sizeof line - l, " │ not matched: %zu of A, %zu of B", c->m.nonly_a,
                 c->m.nonly_b);
    }
    tui_put(0, 0, line, W, hdr, true, true);
    line[0] = '\0';
    if (H < 8 || W < 30) {
        tui_put(1, 0, "(terminal too small)", W, theme_role(ROLE_NORMAL), true, true);
        return;
    }
    int grid_y = 1, grid_h = H - 4; /* titles, column labels (2), rows */
    c->vis_rows = grid_h > 3 ? (size_t)(grid_h - 3) : 0;
    if (c->err[0] || !c->a) {
        /* the reason, wrapped */
        char safe[AS_ERROR_MAX * 4];
        tui_safe(c->err[0] ? c->err : "nothing to compare", safe, sizeof safe);
        const char *p = safe;
        for (int y = 2; *p && y < H - 3; y++) {
            size_t n = tui_fit(p, W - 2, NULL);
            if (!n)
                break;
            if (p[n]) { /* break at the last space that fits, when there is one */
                size_t sp = n;
                while (sp > 0 && p[sp] != ' ')
                    sp--;
                if (sp > 0)
                    n = sp + 1;
            }
            char part[1024];
            snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
            tui_put(y, 1, part, W - 2, theme_role(ROLE_ERROR), false, false);
            p += n;
        }
    } else {
        /* row labels */
        int lw = 8;
        for (size_t r = 0; r < c->nrows; r++) {
            char lab[256];
            int w = tui_label(row_token(c, r)->text, c->tmode, lab, sizeof lab);
            lw = imax(lw, w + 7);
        }
        lw = imin(lw, imax(12, W / 4));
        int cw = 7;
        int room = W - lw;
        size_t vc;
        if (c->mode == CM_SIDE)
            vc = (size_t)imax(1, (room - 3) / (2 * cw));
        else
            vc = (size_t)imax(1, room / cw);
        c->vis_cols = vc;
        /* keep the cursor visible */
        if (c->col < c->left)
            c->left = c->col;
        if (c->col >= c->left + vc)
            c->left = c->col - vc + 1;
        if (c->row < c->top)
            c->top = c->row;
        if (c->vis_rows && c->row >= c->top + c->vis_rows)
            c->top = c->row - c->vis_rows + 1;
        char ta[600], tb[600];
        snprintf(ta, sizeof ta, "A: %s", base_name(na));
        snprintf(tb, sizeof tb, "B: %s", base_name(nb));
        for (size_t i = 0; i < c->vis_rows && c->top + i < c->nrows; i++) {
            size_t r = c->top + i;
            char lab[256], full[300];
            tui_label(row_token(c, r)->text, c->tmode, lab, sizeof lab);
            snprintf(full, sizeof full, "%s %3zu %s", r < c->nsrc ? "s" : "t",
                     r < c->nsrc ? r : r - c->nsrc, lab);
            tui_put(grid_y + 3 + (int)i, 0, full, lw - 1,
                    theme_role(r == c->row ? ROLE_LABEL_CUR : ROLE_LABEL), true, true);
        }
        if (c->mode == CM_SIDE) {
            int xb = lw + (int)vc * cw + 3;
            tui_put(grid_y, lw + 1, ta, (int)vc * cw - 1, theme_role(ROLE_TITLE), true, true);
            tui_put(grid_y, xb + 1, tb, (int)vc * cw - 1, theme_role(ROLE_TITLE), true, true);
            draw_block(c, c->a, c->ra, lw, grid_y + 1, cw, c->vis_rows, vc);
            draw_block(c, c->b, c->rb, xb, grid_y + 1, cw, c->vis_rows, vc);
            for (int y = grid_y; y < grid_y + grid_h; y++)
                tui_put(y, lw + (int)vc * cw + 1, "│", 1, theme_role(ROLE_BORDER), false, false);
        } else {
            char td[1300];
            snprintf(td, sizeof td, "difference B - A (%s minus %s)", tb + 3, ta + 3);
            tui_put(grid_y, lw + 1, td, W - lw - 1, theme_role(ROLE_TITLE), true, true);
            draw_block(c, c->d, c->rd, lw, grid_y + 1, cw, c->vis_rows, vc);
        }
    }
    /* the column's metrics, the values at the cursor, the keys */
    int y = H - 3;
    if (c->a && c->col < c->res.ncols) {
        const cmp_metrics *m = &c->res.cols[c->col];
        int n = snprintf(line, sizeof line, " step %zu  n=%zu k=%zu ", c->col, m->n, m->k);
        for (int k = 0; k < CMP_NMETRICS && n < (int)sizeof line - 40; k++) {
            char v[32];
            fmt_num(m->v[k], v, sizeof v);
            n += snprintf(line + n, sizeof line - (size_t)n, " %s %s", cmp_metric_short(k), v);
        }
        char mean[32];
        fmt_num(c->res.mean.v[CMP_FEATURE], mean, sizeof mean);
        snprintf(line + n, sizeof line - (size_t)n, "  │ sequence mean FA %s", mean);
        tui_put(y, 0, line, W, theme_role(ROLE_NORMAL), true, true);
        double va = cell(c->a, c, c->row, c->col), vb = cell(c->b, c, c->row, c->col);
        double vd = cell(c->d, c, c->row, c->col);
        char sa[32], sb[32], sd[32], lab[256], glab[256];
        fmt_num(va, sa, sizeof sa);
        fmt_num(vb, sb, sizeof sb);
        fmt_num(vd, sd, sizeof sd);
        tui_label(row_token(c, c->row)->text, c->tmode, lab, sizeof lab);
        tui_label(c->a->target.v[c->a->attr_pos_start + (long)c->col].text, c->tmode, glab,
                  sizeof glab);
        snprintf(line, sizeof line, " A %s  B %s  B-A %s │ %s %zu %s ← %zu %s", sa, sb, sd,
                 c->row < c->nsrc ? "src" : "tgt",
                 c->row < c->nsrc ? c->row : c->row - c->nsrc, lab, c->col, glab);
        tui_put(y + 1, 0, line, W, status, true, true);
    } else {
        tui_fill(y, 0, W, theme_role(ROLE_NORMAL));
        tui_put(y + 1, 0, line, W, status, true, true);
    }
    if (t->msg[0])
        tui_put(H - 1, 0, t->msg, W, theme_role(t->msg_err ? ROLE_ERROR : ROLE_MESSAGE), true,
                true);
    else
        tui_put(H - 1, 0,
                c->mode == CM_SIDE
                    ? " c:difference  ]/[:sequence  X:swap A/B  x:next file  Esc:back  q:quit"
                    : " c:back to the grid  ]/[:sequence  X:swap A/B  x:next file  Esc:back  "
                      "q:quit",
                W, theme_role(ROLE_STATUS_KEY), true, true);
}

/* ---- keys ---- */

static unsigned cursor_move(cmp_screen *c, long dr, long dc)
{
    if (!c->nrows || !c->ncols)
        return TUI_REDRAW;
    long r = (long)c->row + dr, k = (long)c->col + dc;
    r = r < 0 ? 0 : r >= (long)c->nrows ? (long)c->nrows - 1 : r;
    k = k < 0 ? 0 : k >= (long)c->ncols ? (long)c->ncols - 1 : k;
    c->row = (size_t)r;
    c->col = (size_t)k;
    return TUI_REDRAW | TUI_MOVE;
}

/* The k prompt's text: a whole number from 1. */
static unsigned k_enter(tui *t, const char *text, void *ud, as_error *err)
{
    cmp_screen *c = ud;
    char *end;
    errno = 0;
    unsigned long long k = strtoull(text, &end, 10);
    while (*end == ' ')
        end++;
    if (end == text || *end || text[0] == '-' || k == 0 || errno || k > 1000000) {
        as_error_set(err, AS_EUSAGE, "k is a whole number from 1, e.g. 5");
        return 0;
    }
    c->k = (size_t)k;
    pair_open(t, c);
    if (c->err[0])
        tui_msg(t, true, "%s", c->err);
    else
        tui_msg(t, false, "agreement@k with k = %zu", c->k);
    return TUI_REDRAW | TUI_DATA;
}

static unsigned compare_key(tui *t, screen *s, int key)
{
    cmp_screen *c = (cmp_screen *)s;
    t->msg[0] = '\0';
    if (key == 'c') {
        if (c->mode == CM_SIDE) {
            c->mode = CM_DIFF;
            return TUI_REDRAW;
        }
        tui_pop(t);
        return TUI_REDRAW | TUI_LAYOUT | TUI_CLEAR;
    }
    if (key == TUI_ESC) {
        tui_pop(t);
        return TUI_REDRAW | TUI_LAYOUT | TUI_CLEAR;
    }
    if (key == 'k') {
        char init[32];
        snprintf(init, sizeof init, "%zu", c->k);
        tui_push(t, prompt_new("k of the agreement@k metrics (top-k tokens by |value|)", init,
                               true, k_enter, c));
        return TUI_REDRAW;
    }
    if (key == 'X' || key == 'x') {
        size_t fa = c->fa, fb = c->fb;
        if (key == 'X') {
            c->fa = fb;
            c->fb = fa;
        } else {
            if (c->nfiles < 3) {
                tui_msg(t, false, "x compares A with the next file: open three files or more");
                return TUI_REDRAW;
            }
            do
                c->fb = (c->fb + 1) % c->nfiles;
            while (c->fb == c->fa);
        }
        if (!files_open(t, c)) {
            tui_msg(t, true, "%s", c->err);
            c->fa = fa;
            c->fb = fb;
            c->err[0] = '\0';
        }
        return TUI_REDRAW | TUI_DATA;
    }
    int act = tui_key_action(key);
    long page = c->vis_rows > 1 ? (long)c->vis_rows - 1 : 1;
    switch (act) {
    case ACT_LEFT: return cursor_move(c, 0, -1);
    case ACT_RIGHT: return cursor_move(c, 0, 1);
    case ACT_UP: return cursor_move(c, -1, 0);
    case ACT_DOWN: return cursor_move(c, 1, 0);
    case ACT_PAGE_UP: return cursor_move(c, -page, 0);
    case ACT_PAGE_DOWN: return cursor_move(c, page, 0);
    case ACT_HOME: return cursor_move(c, 0, -(long)c->ncols);
    case ACT_END: return cursor_move(c, 0, (long)c->ncols);
    case ACT_TOP: return cursor_move(c, -(long)c->nrows, 0);
    case ACT_BOTTOM: return cursor_move(c, (long)c->nrows, 0);
    case ACT_NEXT_SEQ:
    case ACT_PREV_SEQ:
        if (c->m.npairs < 2) {
            tui_msg(t, false, "%s", c->m.npairs ? "one matched sequence only"
                                                 : "no matched sequence");
            return TUI_REDRAW;
        }
        c->pi = act == ACT_NEXT_SEQ ? (c->pi + 1) % c->m.npairs
                                    : (c->pi + c->m.npairs - 1) % c->m.npairs;
        pair_open(t, c);
        return TUI_REDRAW | TUI_DATA;
    case ACT_REDRAW: return TUI_REDRAW | TUI_CLEAR;
    case ACT_QUIT: return TUI_QUIT;
    default:
        tui_msg(t, false, "in compare mode: c, Esc, ]/[, x, X, k, moves and q");
        return TUI_REDRAW;
    }
}

static void compare_free(screen *s)
{
    cmp_screen *c = (cmp_screen *)s;
    pair_free(c);
    cmp_match_free(&c->m);
    attr_output_free(c->A);
    attr_output_free(c->B);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c);
}

/* The files open in the explorer (the catalog's, else the one file). */
static size_t open_files(const tui *t, const char ***out)
{
    static const char *one[1];
    if (t->cat) {
        size_t n = catalog_nfiles(t->cat);
        const char **v = malloc((n ? n : 1) * sizeof *v);
        if (!v)
            return 0;
        for (size_t i = 0; i < n; i++)
            v[i] = catalog_file(t->cat, i);
        *out = v;
        return n;
    }
    one[0] = t->opts->nfiles ? t->opts->files[0] : NULL;
    *out = NULL;
    return one[0] ? 1 : 0;
}

unsigned tui_compare_start(tui *t)
{
    const char **files = NULL;
    size_t n = open_files(t, &files);
    if (n < 2) {
        free(files);
        tui_msg(t, true, "compare needs two files open (attrscope A.json B.json, then c)");
        return TUI_REDRAW;
    }
    cmp_screen *c = calloc(1, sizeof *c);
    if (c)
        c->files = calloc(n, sizeof *c->files);
    if (!c || !c->files) {
        free(c);
        free(files);
        tui_msg(t, true, "out of memory");
        return TUI_REDRAW;
    }
    for (size_t i = 0; i < n; i++)
        if ((c->files[i] = strdup(files[i])))
            c->nfiles = i + 1;
    free(files);
    c->s.draw = compare_draw;
    c->s.key = compare_key;
    c->s.free = compare_free;
    c->fa = 0;
    c->fb = 1;
    c->k = CMP_DEFAULT_K;
    if (c->nfiles < 2 || !files_open(t, c)) {
        tui_msg(t, true, "compare: %s", c->err[0] ? c->err : "out of memory");
        compare_free(&c->s);
        return TUI_REDRAW;
    }
    t->msg[0] = '\0';
    tui_push(t, &c->s);
    return TUI_REDRAW | TUI_DATA | TUI_CLEAR;
}

unsigned act_COMPARE(tui *t) { return tui_compare_start(t); }
