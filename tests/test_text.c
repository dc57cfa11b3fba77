/* test_text.c - the text heatmaps: column pages, widths, NaN cells, token
 * safety, colors and their escape shapes, errors; and the terminal color
 * helpers of the colormap. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "attr.h"
#include "colormap.h"
#include "load.h"
#include "testutil.h"
#include "text.h"
#include "tokens.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building inputs ---------------------------------------------------- */

static void make_tokens(as_tokens *t, const char *const *words, size_t nwords, size_t n)
{
    t->n = n;
    t->v = calloc(n ? n : 1, sizeof *t->v);
    ck_assert_ptr_nonnull(t->v);
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        if (words)
            snprintf(buf, sizeof buf, "%s", words[i % nwords]);
        else
            snprintf(buf, sizeof buf, "t%zu", i);
        t->v[i].text = strdup(buf);
        t->v[i].id = (long long)i;
    }
}

/* value(i, j) = (i + 1) * 0.1 - j * 0.05, NaN where nan_upper and i >= j. */
static as_tensor *make_matrix(size_t r, size_t c, bool nan_upper)
{
    size_t shape[2] = {r, c};
    as_tensor *t = tensor_new(2, shape, NULL);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < c; j++)
            t->data[i * c + j] = nan_upper && i >= j ? NAN : (float)((double)(i + 1) * 0.1 - (double)j * 0.05);
    return t;
}

static void add_step(as_scores *s, const char *name, size_t n, float v)
{
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    ck_assert_ptr_nonnull(s->v);
    s->v[s->n].name = strdup(name);
    s->v[s->n].t = tensor_new(1, &n, NULL);
    ck_assert_ptr_nonnull(s->v[s->n].t);
    for (size_t j = 0; j < n; j++)
        s->v[s->n].t->data[j] = v + (float)j * 0.25f;
    s->n++;
}

/* An encoder-decoder sequence: S source tokens, G generated. */
static as_seq *make_seq(size_t S, size_t G, bool source, bool target, bool steps)
{
    as_seq *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    s->cls = AS_CLS_COARSE;
    make_tokens(&s->source, NULL, 0, S);
    make_tokens(&s->target, NULL, 0, G);
    s->attr_pos_end = (long)G;
    if (source)
        s->source_attr = make_matrix(S, G, false);
    if (target)
        s->target_attr = make_matrix(G, G, true);
    if (steps)
        add_step(&s->step_scores, "probability", G, 0.125f);
    return s;
}

static void free_seq(as_seq *s)
{
    attr_seq_free(s);
    free(s);
}

/* ---- capturing and reading the output ------------------------------------ */

/* Not inlined: at -O3 gcc cannot see that fclose() sets the memstream's
   buffer and warns of a dangling pointer in the callers. */

__attribute__((noinline)) static char *render_heatmap(const text_heatmap *h, double vmin, double vmax, const text_opts *o,
                            int *rc, as_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    *rc = text_heatmap_write(f, h, vmin, vmax, o, err);
    fclose(f);
    return buf;
}

__attribute__((noinline)) static char *render_seq(const as_seq *s, const text_opts *o, int *rc, as_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    *rc = text_seq_write(f, s, o, err);
    fclose(f);
    return buf;
}

/* Copy of s without SGR sequences (ESC [ digits/semicolons m). */
static char *strip_sgr(const char *s)
{
    char *r = malloc(strlen(s) + 1), *d = r;
    ck_assert_ptr_nonnull(r);
    while (*s) {
        if (s[0] == '\033' && s[1] == '[') {
            const char *p = s + 2;
            while ((*p >= '0' && *p <= '9') || *p == ';')
                p++;
            if (*p == 'm') {
                s = p + 1;
                continue;
            }
        }
        *d++ = *s++;
    }
    *d = 0;
    return r;
}

typedef struct lines {
    char **v;
    size_t n;
} lines;

static lines split_lines(const char *s)
{
    lines l = {0};
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        l.v = realloc(l.v, (l.n + 1) * sizeof *l.v);
        l.v[l.n++] = strndup(p, n);
        p += n + (nl ? 1 : 0);
    }
    return l;
}

static void free_lines(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int width_of(const char *s) { return tokens_width(s, strlen(s), 0); }

static bool is_rule(const char *s) { return !strncmp(s, "\xe2\x94\x80", 3); }

/* The page structure of plain output: for each title line, the column
 * indices of its header line, and checks that the header, token and body
 * lines of the page have the rule's width. */
typedef struct pages {
    size_t n;
    size_t cols[64][64];
    size_t ncols[64];
    int width[64];
} pages;

static void read_pages(const char *text, const char *title, pages *pg)
{
    lines l = split_lines(text);
    memset(pg, 0, sizeof *pg);
    for (size_t k = 0; k < l.n; k++) {
        if (!strstr(l.v[k], title))
            continue;
        ck_assert_uint_lt(pg->n, 64);
        ck_assert_uint_lt(k + 3, l.n);
        size_t p = pg->n++;
        const char *q = l.v[k + 1];
        while (*q) {
            char *end;
            if (*q == ' ') {
                q++;
                continue;
            }
            unsigned long v = strtoul(q, &end, 10);
            ck_assert_ptr_ne(end, q);
            pg->cols[p][pg->ncols[p]++] = v;
            q = end;
        }
        ck_assert(is_rule(l.v[k + 3]));
        int w = width_of(l.v[k + 3]);
        pg->width[p] = w;
        ck_assert_int_eq(width_of(l.v[k + 1]), w);
        ck_assert_int_eq(width_of(l.v[k + 2]), w);
        /* Body lines, up to the caption ("→ : ...") or a blank line. */
        for (size_t r = k + 4; r < l.n && l.v[r][0] && !strstr(l.v[r], "\xe2\x86\x92 : "); r++)
            ck_assert_msg(width_of(l.v[r]) == w, "line '%s' is %d columns, the table %d", l.v[r],
                          width_of(l.v[r]), w);
    }
    free_lines(&l);
}

/* ---- pages --------------------------------------------------------------- */

static const int PAGE_WIDTHS[] = {0, 200, 80, 60, 40, 25};

START_TEST(pages_cover_every_column_once)
{
    as_seq *s = make_seq(12, 30, true, false, true);
    text_opts o = {.width = PAGE_WIDTHS[_i]};
    int rc;
    as_error err = {0};
    char *out = render_seq(s, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_OK);
    pages pg;
    read_pages(out, "Source Saliency Heatmap", &pg);
    int seen[30] = {0};
    size_t next = 0;
    for (size_t p = 0; p < pg.n; p++) {
        ck_assert_uint_gt(pg.ncols[p], 0);
        if (o.width > 0)
            ck_assert_int_le(pg.width[p], o.width);
        for (size_t k = 0; k < pg.ncols[p]; k++) {
            ck_assert_uint_eq(pg.cols[p][k], next); /* in order, no gaps */
            seen[next++]++;
        }
    }
    ck_assert_uint_eq(next, 30);
    for (int j = 0; j < 30; j++)
        ck_assert_int_eq(seen[j], 1);
    if (o.width == 0 || o.width >= 200)
        ck_assert_uint_eq(pg.n, 1);
    else
        ck_assert_uint_gt(pg.n, 1);
    /* Greedy: a page (but the last) is full - its next column would not fit.
     * Every column here is 5 wide plus a space. */
    for (size_t p = 0; p + 1 < pg.n; p++)
        ck_assert_int_gt(pg.width[p] + 6, o.width);
    /* Titles name the columns of each page when there are several. */
    if (pg.n == 1)
        ck_assert_ptr_null(strstr(out, "(columns"));
    else if (o.width >= 60)
        ck_assert_ptr_nonnull(strstr(out, "Source Saliency Heatmap (columns 0-"));
    /* Row labels and step scores on every page. */
    size_t n11 = 0, nprob = 0;
    for (const char *p = out; (p = strstr(p, "11 t11")); p++)
        n11++;
    for (const char *p = out; (p = strstr(p, "\nprobability")); p++)
        nprob++;
    ck_assert_uint_eq(n11, pg.n);
    ck_assert_uint_eq(nprob, pg.n);
    /* Every line fits (the width leaves room for at least one column). */
    lines l = split_lines(out);
    for (size_t k = 0; o.width > 0 && k < l.n; k++)
        ck_assert_msg(width_of(l.v[k]) <= o.width, "'%s' is wider than %d", l.v[k], o.width);
    free_lines(&l);
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(one_column_per_page_when_narrow)
{
    /* Too narrow for anything: one column per page, labels cut to one
     * column plus the ellipsis. */
    as_seq *s = make_seq(3, 4, true, false, false);
    free(s->source.v[0].text);
    s->source.v[0].text = strdup("averyveryverylongtoken");
    text_opts o = {.width = 9};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    pages pg;
    read_pages(out, "Source S\xe2\x80\xa6", &pg); /* the title, cut to the width */
    ck_assert_uint_eq(pg.n, 4);
    for (size_t p = 0; p < 4; p++) {
        ck_assert_uint_eq(pg.ncols[p], 1);
        ck_assert_uint_eq(pg.cols[p][0], p);
    }
    ck_assert_ptr_nonnull(strstr(out, "\n0 \xe2\x80\xa6  0.10\n"));
    lines l = split_lines(out);
    for (size_t k = 0; k < l.n; k++)
        ck_assert_int_le(width_of(l.v[k]), 9);
    free_lines(&l);
    free(out);
    free_seq(s);
}
END_TEST

/* ---- widths, labels, NaN --------------------------------------------------- */

START_TEST(widths_follow_values_and_tokens)
{
    static const char *const cols[] = {"a", "abcdefghijklmno", "\xe4\xbd\xa0\xe5\xa5\xbd",
                                       "\xf0\x9f\x98\x80", "e\xcc\x81"};
    static const char *const rows[] = {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "x", "caf\xc3\xa9"};
    as_tokens rt = {0}, ct = {0};
    make_tokens(&rt, rows, NELEM(rows), 3);
    make_tokens(&ct, cols, NELEM(cols), 5);
    as_tensor *m = make_matrix(3, 5, false);
    m->data[2 * 5 + 4] = -1234.5f; /* widest value: "-1234.50" */
    text_heatmap h = {.title = "T", .values = m, .rows = rt.v, .nrows = 3, .cols = ct.v, .ncols = 5};
    text_opts o = {.width = 0, .col_max = 10};
    int rc;
    char *out = render_heatmap(&h, -1, 1, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    lines l = split_lines(out);
    /* T, indices, tokens, rule, 3 rows, caption, blank line. */
    ck_assert_uint_eq(l.n, 9);
    /* Labels: "0 日本語" is 8 columns; columns are 8 wide ("-1234.50") but
     * the long token's, cut to col_max (10) with an ellipsis. */
    ck_assert_str_eq(l.v[1], "                0          1        2        3        4");
    ck_assert_str_eq(l.v[2], "                a abcdefghi\xe2\x80\xa6     \xe4\xbd\xa0\xe5\xa5\xbd       "
                             "\xf0\x9f\x98\x80        e\xcc\x81");
    ck_assert_str_eq(l.v[4], "0 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e     0.10       0.05     0.00    "
                             "-0.05    -0.10");
    ck_assert_str_eq(l.v[5], "1 x          0.20       0.15     0.10     0.05     0.00");
    ck_assert_str_eq(l.v[6], "2 caf\xc3\xa9       0.30       0.25     0.20     0.15 -1234.50");
    for (size_t k = 1; k <= 6; k++)
        ck_assert_int_eq(width_of(l.v[k]), 55);
    ck_assert_str_eq(l.v[7], "      \xe2\x86\x92 : Generated tokens, \xe2\x86\x93 : Attributed tokens");
    ck_assert_str_eq(l.v[8], "");
    free_lines(&l);
    free(out);
    /* col_max below the value width (5, "-0.05"): cut to the value width. */
    o.col_max = 3;
    m->data[2 * 5 + 4] = 0;
    out = render_heatmap(&h, -1, 1, &o, &rc, NULL);
    ck_assert_ptr_nonnull(strstr(out, " abcd\xe2\x80\xa6 "));
    free(out);
    tensor_free(m);
    attr_tokens_free(&rt);
    attr_tokens_free(&ct);
}
END_TEST

START_TEST(nan_cells_are_empty)
{
    as_seq *s = make_seq(2, 3, false, true, false);
    for (int color = 0; color < 3; color++) {
        text_opts o = {.color = (text_color)color};
        int rc;
        char *out = render_seq(s, &o, &rc, NULL);
        ck_assert_int_eq(rc, AS_OK);
        char *plain = strip_sgr(out);
        lines l = split_lines(plain);
        /* Rows of the target heatmap: 0 has NaN at column 0, 2 is all NaN. */
        ck_assert_str_eq(l.v[4], "0 t0      0.05 0.00");
        ck_assert_str_eq(l.v[5], "1 t1           0.10");
        ck_assert_str_eq(l.v[6], "2 t2               ");
        free_lines(&l);
        if (color) {
            /* No color opens on the all-NaN row: bold label, then spaces. */
            const char *row2 = strstr(out, "\033[1m2 t2\033[0m");
            ck_assert_ptr_nonnull(row2);
            row2 += strlen("\033[1m2 t2\033[0m");
            ck_assert_uint_eq(strspn(row2, " "), 15);
            ck_assert_int_eq(row2[15], '\n');
            /* Row 1: one colored cell, after the NaN ones. */
            const char *row1 = strstr(out, "\033[1m1 t1\033[0m          \033[48;");
            ck_assert_ptr_nonnull(row1);
        }
        free(plain);
        free(out);
    }
    free_seq(s);
}
END_TEST

START_TEST(sci_format)
{
    char b[32];
    ck_assert_int_eq(text_fmt_sci(b, sizeof b, -2.1e-5, 7), 7);
    ck_assert_str_eq(b, "-2.1e-5");
    ck_assert_int_eq(text_fmt_sci(b, sizeof b, 1.25e7, 6), 6);
    ck_assert_str_eq(b, "1.25e7");
    ck_assert_int_eq(text_fmt_sci(b, sizeof b, 4.4e-3, 4), 4);
    ck_assert_str_eq(b, "4e-3");
    ck_assert_int_eq(text_fmt_sci(b, sizeof b, -1e-100, 4), -1);
    ck_assert_str_eq(b, "");
}
END_TEST

START_TEST(values_rounded_to_two_places)
{
    static const struct {
        float v;
        const char *s;
    } cases[] = {
        {0.125f, "0.12"}, {0.375f, "0.38"}, {1.0f, "1.00"},
        {-12.3456f, "-12.35"}, {INFINITY, "inf"}, {-INFINITY, "-inf"}, {3e13f, "3.00e+13"},
        /* what 2 places would show as 0.00: a significant digit instead */
        {-0.004f, "-4e-3"}, {0.0046f, "5e-3"}, {2.5e-7f, "2e-7"}, {-3e-12f, "-3e-12"},
        {0.0f, "0.00"}, {0.0051f, "0.01"},
    };
    as_tokens rt = {0}, ct = {0};
    make_tokens(&rt, NULL, 0, NELEM(cases));
    make_tokens(&ct, NULL, 0, 1);
    size_t shape[2] = {NELEM(cases), 1};
    as_tensor *m = tensor_new(2, shape, NULL);
    for (size_t i = 0; i < NELEM(cases); i++)
        m->data[i] = cases[i].v;
    text_heatmap h = {.title = "T", .values = m, .rows = rt.v, .nrows = NELEM(cases), .cols = ct.v,
                      .ncols = 1};
    text_opts o = {0};
    int rc;
    char *out = render_heatmap(&h, -1, 1, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    lines l = split_lines(out);
    for (size_t i = 0; i < NELEM(cases); i++) {
        const char *row = l.v[4 + i];
        const char *last = strrchr(row, ' ');
        ck_assert_ptr_nonnull(last);
        ck_assert_str_eq(last + 1, cases[i].s);
    }
    free_lines(&l);
    free(out);
    tensor_free(m);
    attr_tokens_free(&rt);
    attr_tokens_free(&ct);
}
END_TEST

START_TEST(control_characters_escaped)
{
    static const char *const evil[] = {"\x1b[31mred", "bell\x07", "\xe2\x80\xae" "evil", "cr\rx",
                                       "\xc2\x9b" "csi", "tab\tx"};
    as_seq *s = make_seq(6, 6, true, true, false);
    for (size_t i = 0; i < 6; i++) {
        free(s->source.v[i].text);
        free(s->target.v[i].text);
        s->source.v[i].text = strdup(evil[i]);
        s->target.v[i].text = strdup(evil[5 - i]);
    }
    add_step(&s->step_scores, "\x1b]0;x\x07name", 6, 0.f);
    for (int color = 0; color < 3; color++) {
        text_opts o = {.color = (text_color)color, .width = 50};
        int rc;
        char *out = render_seq(s, &o, &rc, NULL);
        ck_assert_int_eq(rc, AS_OK);
        char *plain = strip_sgr(out);
        for (const unsigned char *p = (const unsigned char *)plain; *p; p++)
            ck_assert_msg(*p >= 0x20 || *p == '\n', "control byte %02x in output", *p);
        ck_assert_ptr_null(strstr(plain, "\xe2\x80\xae"));
        ck_assert_ptr_null(strstr(plain, "\xc2\x9b"));
        ck_assert_ptr_nonnull(strstr(plain, "\\x1b[31mred"));
        ck_assert_ptr_nonnull(strstr(plain, "\\u202eevil"));
        ck_assert_ptr_nonnull(strstr(plain, "\\x1b]0;x\\x07name"));
        free(plain);
        free(out);
    }
    free_seq(s);
}
END_TEST

/* ---- tables of a sequence -------------------------------------------------- */

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

START_TEST(tables_and_step_rows)
{
    static const struct {
        bool source, target;
        int nsource, ntarget;      /* tables expected */
        bool steps_under_source;
    } cases[] = {
        {true, true, 1, 1, false},
        {true, false, 1, 0, true},
        {false, true, 0, 1, false},
        {false, false, 0, 1, false},
    };
    as_seq *s = make_seq(3, 4, cases[_i].source, cases[_i].target, true);
    text_opts o = {0};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    ck_assert_uint_eq(count(out, "Source Saliency Heatmap"), (size_t)cases[_i].nsource);
    ck_assert_uint_eq(count(out, "Target Saliency Heatmap"), (size_t)cases[_i].ntarget);
    ck_assert_uint_eq(count(out, "\nprobability"), 1);
    ck_assert_uint_eq(count(out, "Generated tokens, "), (size_t)(cases[_i].nsource + cases[_i].ntarget));
    /* Values are 5 wide with negative attributions ("-0.05"), else 4. */
    ck_assert_ptr_nonnull(strstr(out, cases[_i].source || cases[_i].target
                                          ? "probability  0.12  0.38  0.62  0.88\n"
                                          : "probability 0.12 0.38 0.62 0.88\n"));
    const char *tgt = strstr(out, "Target Saliency Heatmap");
    const char *steps = strstr(out, "\nprobability");
    if (cases[_i].steps_under_source)
        ck_assert_ptr_null(tgt);
    else
        ck_assert(tgt != NULL && steps != NULL && tgt < steps);
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(decoder_only_columns)
{
    /* Decoder-only: prompt of 3, 2 generated; columns are target[3..5). */
    as_seq *s = calloc(1, sizeof *s);
    static const char *const toks[] = {"The", "\xc4\xa0" "cat", "\xc4\xa0" "sat", "\xc4\xa0" "on",
                                       "\xc4\x8a"};
    make_tokens(&s->source, toks, 5, 3);
    make_tokens(&s->target, toks, 5, 5);
    s->attr_pos_start = 3;
    s->attr_pos_end = 5;
    s->target_attr = make_matrix(5, 2, false);
    text_opts o = {.mode = TOKENS_GPT2, .label_flags = TOKENS_ESC_SPACE};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    lines l = split_lines(out);
    ck_assert_str_eq(l.v[1], "          0    1");
    ck_assert_str_eq(l.v[2], "        \xe2\x90\xa3on   \\n");
    ck_assert_str_eq(l.v[5], "1 \xe2\x90\xa3" "cat 0.20 0.15");
    free_lines(&l);
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(empty_tables)
{
    /* No generated column: one page of labels; no source token: headers
     * and steps only. */
    as_seq *s = make_seq(2, 0, true, true, false);
    text_opts o = {.width = 40};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    ck_assert_uint_eq(count(out, "Saliency Heatmap"), 2);
    ck_assert_ptr_nonnull(strstr(out, "\n1 t1\n"));
    free(out);
    free_seq(s);
    s = make_seq(0, 3, true, false, true);
    out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    ck_assert_ptr_nonnull(strstr(out, "\nprobability 0.12 0.38 0.62\n"));
    free(out);
    free_seq(s);
}
END_TEST

/* ---- colors ------------------------------------------------------------- */

START_TEST(color_escape_shapes)
{
    as_seq *s = make_seq(2, 2, true, false, true);
    /* Source values: row 0: 0.10 0.05; row 1: 0.20 0.15; range [-0.2, 0.2]. */
    text_opts o = {.color = TEXT_COLOR_TRUE};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    /* 0.20 is the top bucket: inseq's red, white text. */
    ck_assert_ptr_nonnull(strstr(out, "\033[48;2;178;24;43;38;2;255;255;255m 0.20"));
    as_rgba c = cmap_heatmap_rgb_on_white(cmap_bucket(0.05, -0.2, 0.2));
    char want[96];
    snprintf(want, sizeof want, "\033[48;2;%d;%d;%d;38;2;0;0;0m 0.05", c.r, c.g, c.b);
    ck_assert_ptr_nonnull(strstr(out, want));
    /* Bold labels, reset after each colored run, bold step scores >= 0.5. */
    ck_assert_ptr_nonnull(strstr(out, "\033[1m0 t0\033[0m"));
    ck_assert_ptr_nonnull(strstr(out, "0.15\033[0m\n"));
    free(out);

    o.color = TEXT_COLOR_256;
    out = render_seq(s, &o, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    ck_assert_ptr_nonnull(strstr(out, "\033[48;5;124;38;5;231m 0.20"));
    /* Every background escape has the 256 shape, with black or white text. */
    size_t n = 0;
    for (const char *p = out; (p = strstr(p, "\033[48;")); p++) {
        int bg, fg, len = 0;
        ck_assert_int_eq(sscanf(p, "\033[48;5;%d;38;5;%dm%n", &bg, &fg, &len), 2);
        ck_assert_int_gt(len, 0);
        ck_assert(bg >= 16 && bg <= 255);
        ck_assert(fg == 16 || fg == 231);
        ck_assert_int_eq(fg == 16, cmap_dark_text(cmap_xterm256_rgb(bg)));
        n++;
    }
    ck_assert_uint_eq(n, 4); /* one per value cell */
    char *plain_c = strip_sgr(out);
    free(out);
    o.color = TEXT_COLOR_NONE;
    out = render_seq(s, &o, &rc, NULL);
    ck_assert_ptr_null(strchr(out, '\033'));
    ck_assert_str_eq(plain_c, out);
    free(plain_c);
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(step_scores_bold)
{
    as_seq *s = make_seq(1, 4, true, false, true);
    text_opts o = {.color = TEXT_COLOR_256};
    int rc;
    char *out = render_seq(s, &o, &rc, NULL);
    /* probability 0.125 0.375 0.625 0.875: the last two bold, not colored. */
    ck_assert_ptr_nonnull(strstr(out, "  0.12  0.38  \033[1m0.62\033[0m  \033[1m0.88\033[0m\n"));
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(range_defaults_and_overrides)
{
    as_seq *s = make_seq(2, 3, true, true, false);
    double lo, hi;
    text_opts o = {0};
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(hi, agg_maximum(s));
    ck_assert_double_eq_tol(hi, 0.2, 1e-6);
    ck_assert_double_eq(lo, -hi);
    o.has_max = true, o.max_val = 2;
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(lo, -2);
    ck_assert_double_eq(hi, 2);
    o.has_min = true, o.min_val = -0.5;
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(lo, -0.5);
    ck_assert_double_eq(hi, 2);
    /* All values negative: the range is -a..a with a the largest |v|, so
     * the cells get the strongest blue (inseq's max(0, nanmax) would give a
     * range of zero width: --range-mode inseq). */
    for (size_t i = 0; i < 6; i++)
        s->source_attr->data[i] = -1;
    tensor_free(s->target_attr);
    s->target_attr = NULL;
    o = (text_opts){0};
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(lo, -1);
    ck_assert_double_eq(hi, 1);
    o.range_mode = AS_RANGE_INSEQ;
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(hi, 0);
    ck_assert_double_eq(lo, 0);
    o.range_mode = AS_RANGE_ONE_SIDED;
    text_seq_range(s, &o, &lo, &hi);
    ck_assert_double_eq(lo, 0);
    ck_assert_double_eq(hi, 1);
    text_opts c = {.color = TEXT_COLOR_TRUE};
    int rc;
    char *out = render_seq(s, &c, &rc, NULL);
    ck_assert_int_eq(rc, AS_OK);
    ck_assert_ptr_nonnull(strstr(out, "\033[48;2;33;102;172;38;2;255;255;255m -1.00"));
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(legend_line)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    text_opts o = {0};
    ck_assert_int_eq(text_legend_write(f, -0.0, 0.0, &o, NULL), AS_OK);
    ck_assert_int_eq(text_legend_write(f, -0.53125, 7.388, &o, NULL), AS_OK);
    o.color = TEXT_COLOR_256;
    ck_assert_int_eq(text_legend_write(f, -1, 1, &o, NULL), AS_OK);
    fclose(f);
    lines l = split_lines(buf);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.v[0], "range: 0 to 0 (abs)");
    ck_assert_str_eq(l.v[1], "range: -0.5312 to 7.388 (abs)");
    char *plain = strip_sgr(l.v[2]);
    ck_assert_str_eq(plain, "range: -1                  1 (abs)");
    ck_assert_uint_eq(count(l.v[2], "\033[48;5;"), 16);
    free(plain);
    free_lines(&l);
    free(buf);
}
END_TEST

/* ---- errors ----------------------------------------------------------------- */

START_TEST(bad_shapes_are_errors)
{
    as_seq *s = make_seq(3, 4, true, true, true);
    as_error err = {0};
    int rc;
    /* 3D attributions: not shown, nothing written. */
    size_t shape[3] = {3, 4, 2};
    tensor_free(s->source_attr);
    s->source_attr = tensor_zeros(3, shape, NULL);
    text_opts o = {0};
    char *out = render_seq(s, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_EDATA);
    ck_assert_str_eq(err.msg, "source_attributions: shape (3, 4, 2) is not 2-dimensional (aggregate it first)");
    ck_assert_str_eq(out, "");
    free(out);
    /* Rows that do not match the tokens. */
    tensor_free(s->source_attr);
    s->source_attr = make_matrix(2, 4, false);
    out = render_seq(s, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_EDATA);
    ck_assert_str_eq(err.msg, "source_attributions: shape (2, 4) does not fit 3 source tokens x 4 generated tokens");
    free(out);
    tensor_free(s->source_attr);
    s->source_attr = make_matrix(3, 4, false);
    /* A step score of the wrong length. */
    add_step(&s->step_scores, "entropy", 3, 0);
    out = render_seq(s, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_EDATA);
    ck_assert_str_eq(err.msg, "step_scores.entropy: shape (3,) does not fit 4 generated tokens");
    free(out);
    /* A heatmap whose values do not fit its labels. */
    text_heatmap h = {.title = "X", .values = s->source_attr, .rows = s->source.v, .nrows = 2,
                      .cols = s->target.v, .ncols = 4};
    out = render_heatmap(&h, -1, 1, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_EDATA);
    ck_assert_str_eq(err.msg, "X: values of shape (3, 4) do not fit 2 rows x 4 columns");
    free(out);
    free_seq(s);
}
END_TEST

START_TEST(write_errors_reported)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* no /dev/full here */
    setvbuf(f, NULL, _IONBF, 0);
    as_seq *s = make_seq(3, 4, true, true, true);
    text_opts o = {0};
    as_error err = {0};
    ck_assert_int_eq(text_seq_write(f, s, &o, &err), AS_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "writing text"));
    ck_assert_int_eq(text_legend_write(f, -1, 1, &o, &err), AS_EIO);
    fclose(f);
    free_seq(s);
}
END_TEST

/* ---- a real file --------------------------------------------------------- */

START_TEST(fixture_default_aggregation)
{
    /* The granular fixture after its default aggregation: every value of the
     * source heatmap is printed where its row and column meet. */
    as_error err = {0};
    as_output *out = as_load_file(fixture("inseq/encdec_ig_granular.json"), NULL, &err);
    ck_assert_msg(out != NULL, "%s", err.msg);
    as_seq *s = agg_apply_str(out, 0, "default", NULL, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    text_opts o = {.width = 70, .mode = tokens_resolve(TOKENS_AUTO, out, -1),
                   .label_flags = TOKENS_ESC_SPACE};
    int rc;
    char *text = render_seq(s, &o, &rc, &err);
    ck_assert_int_eq(rc, AS_OK);
    pages pg;
    read_pages(text, "Source Saliency Heatmap", &pg);
    ck_assert_uint_gt(pg.n, 1);
    lines l = split_lines(text);
    size_t G = attr_seq_ncols(s), S = s->source.n, found = 0;
    for (size_t k = 0; k < l.n; k++) {
        if (!strstr(l.v[k], "Source Saliency Heatmap"))
            continue;
        for (size_t i = 0; i < S; i++) {
            /* Row i: its values after the label, in page column order. */
            const char *row = l.v[k + 4 + i];
            char idx[16];
            snprintf(idx, sizeof idx, "%zu ", i);
            ck_assert_msg(strstr(row, idx) == row + (i < 10 && S > 10 ? 1 : 0), "%s", row);
            char *copy = strdup(row), *save = NULL;
            strtok_r(copy, " ", &save); /* index */
            strtok_r(NULL, " ", &save); /* token */
            size_t p = 0;
            for (char *tok; (tok = strtok_r(NULL, " ", &save)); p++) {
                size_t j = pg.cols[found][p];
                char want[32];
                snprintf(want, sizeof want, "%.2f", (double)s->source_attr->data[i * G + j]);
                ck_assert_str_eq(tok, want);
            }
            ck_assert_uint_eq(p, pg.ncols[found]);
            free(copy);
        }
        found++;
    }
    ck_assert_uint_eq(found, pg.n);
    free_lines(&l);
    free(text);
    agg_seq_free(s);
    attr_output_free(out);
}
END_TEST

/* ---- colormap helpers ------------------------------------------------------ */

START_TEST(colormap_on_white)
{
    as_rgba w = cmap_heatmap_rgb_on_white(-1);
    ck_assert(w.r == 255 && w.g == 255 && w.b == 255 && w.a == 1);
    as_rgba b = cmap_heatmap_rgb_on_white(0), r = cmap_heatmap_rgb_on_white(255);
    ck_assert(b.r == 33 && b.g == 102 && b.b == 172);
    ck_assert(r.r == 178 && r.g == 24 && r.b == 43);
    /* Every bucket is the blend of the rgba color over white. */
    for (int k = 0; k < CMAP_BUCKETS; k++) {
        double e[4];
        cmap_heatmap_exact(k, e);
        as_rgba c = cmap_heatmap_rgb_on_white(k);
        ck_assert_int_eq(c.r, (int)lround(e[0] * e[3] + 255 * (1 - e[3])));
        ck_assert_int_eq(c.g, (int)lround(e[1] * e[3] + 255 * (1 - e[3])));
        ck_assert_int_eq(c.b, (int)lround(e[2] * e[3] + 255 * (1 - e[3])));
    }
    /* The middle is nearly white; colors get lighter towards it. */
    as_rgba m = cmap_heatmap_rgb_on_white(127);
    ck_assert(m.r >= 250 && m.g >= 250 && m.b >= 250);
    for (int k = 1; k < 128; k++)
        ck_assert_int_ge(cmap_heatmap_rgb_on_white(k).r, cmap_heatmap_rgb_on_white(k - 1).r);
}
END_TEST

START_TEST(xterm_palette)
{
    static const struct {
        unsigned char r, g, b;
        int idx;
    } cases[] = {
        {0, 0, 0, 16},       {255, 255, 255, 231}, {255, 0, 0, 196}, {0, 0, 255, 21},
        {128, 128, 128, 244}, {8, 8, 8, 232},       {238, 238, 238, 255}, {178, 24, 43, 124},
        {33, 102, 172, 25},  {100, 100, 100, 241},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        as_rgba c = {cases[i].r, cases[i].g, cases[i].b, 1};
        ck_assert_msg(cmap_xterm256(c) == cases[i].idx, "(%d,%d,%d) -> %d, expected %d", c.r,
                      c.g, c.b, cmap_xterm256(c), cases[i].idx);
    }
    /* Every palette color maps back to itself. */
    for (int k = 16; k < 256; k++)
        ck_assert_int_eq(cmap_xterm256(cmap_xterm256_rgb(k)), k);
    as_rgba x = cmap_xterm256_rgb(3);
    ck_assert(x.r == 0 && x.g == 0 && x.b == 0);
}
END_TEST

START_TEST(text_contrast)
{
    as_rgba white = {255, 255, 255, 1}, black = {0, 0, 0, 1}, red = {178, 24, 43, 1},
            blue = {33, 102, 172, 1}, pale = {221, 153, 162, 1}, yellow = {255, 255, 0, 1};
    ck_assert(cmap_dark_text(white));
    ck_assert(!cmap_dark_text(black));
    ck_assert(!cmap_dark_text(red));
    ck_assert(!cmap_dark_text(blue));
    ck_assert(cmap_dark_text(pale));
    ck_assert(cmap_dark_text(yellow));
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("layout");
    tcase_add_loop_test(tc, pages_cover_every_column_once, 0, NELEM(PAGE_WIDTHS));
    tcase_add_test(tc, one_column_per_page_when_narrow);
    tcase_add_test(tc, widths_follow_values_and_tokens);
    tcase_add_test(tc, nan_cells_are_empty);
    tcase_add_test(tc, values_rounded_to_two_places);
    tcase_add_test(tc, sci_format);
    tcase_add_test(tc, control_characters_escaped);
    tcase_add_loop_test(tc, tables_and_step_rows, 0, 4);
    tcase_add_test(tc, decoder_only_columns);
    tcase_add_test(tc, empty_tables);
    tcase_add_test(tc, fixture_default_aggregation);
    suite_add_tcase(s, tc);

    tc = tcase_create("colors");
    tcase_add_test(tc, color_escape_shapes);
    tcase_add_test(tc, step_scores_bold);
    tcase_add_test(tc, range_defaults_and_overrides);
    tcase_add_test(tc, legend_line);
    tcase_add_test(tc, colormap_on_white);
    tcase_add_test(tc, xterm_palette);
    tcase_add_test(tc, text_contrast);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, bad_shapes_are_errors);
    tcase_add_test(tc, write_errors_reported);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(text_suite());
}
