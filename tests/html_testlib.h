/* html_testlib.h - helpers for the HTML tests (static, included by the test
 * files): a tolerant HTML table extractor, a base64 decoder, and sequences
 * built from the aggregation goldens. */
#ifndef AS_HTML_TESTLIB_H
#define AS_HTML_TESTLIB_H

#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "html.h"
#include "testutil.h"

#define TL_UNUSED __attribute__((unused))

/* ---- base64 ------------------------------------------------------------ */

TL_UNUSED static unsigned char *tl_b64decode(const char *s, size_t n, size_t *out_n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char *out = malloc(n / 4 * 3 + 3);
    size_t o = 0;
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        const char *p = strchr(tab, s[i]);
        ck_assert_msg(p && s[i], "bad base64 character %d", s[i]);
        v = v << 6 | (unsigned)(p - tab);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(v >> bits);
            v &= (1u << bits) - 1;
        }
    }
    *out_n = o;
    return out;
}

/* ---- a tolerant table extractor ---------------------------------------- */

typedef struct tl_cell {
    char *text;           /* inner text, tags stripped, entities decoded */
    bool has_color;
    double rgba[4];
} tl_cell;

typedef struct tl_row {
    tl_cell *c;
    size_t n;
} tl_row;

typedef struct tl_table {
    tl_row *r;
    size_t n;
    char label[16];       /* "Source" / "Target" from the title before it */
} tl_table;

typedef struct tl_page {
    tl_table *t;
    size_t n;
    size_t instances;     /* "instance:</b>" headers */
} tl_page;

static char *tl_inner_text(const char *a, const char *b)
{
    char *out = malloc((size_t)(b - a) + 1), *q = out;
    for (const char *p = a; p < b;) {
        if (*p == '<') {
            while (p < b && *p != '>')
                p++;
            p++;
            continue;
        }
        if (*p == '&') {
            static const struct { const char *e; char c; } ent[] = {
                {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''},
                {"&#x27;", '\''}};
            bool done = false;
            for (size_t k = 0; k < sizeof ent / sizeof ent[0]; k++) {
                size_t l = strlen(ent[k].e);
                if ((size_t)(b - p) >= l && !strncmp(p, ent[k].e, l)) {
                    *q++ = ent[k].c;
                    p += l;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        *q++ = *p++;
    }
    *q = '\0';
    return out;
}

static void tl_add_cell(tl_table *t, tl_cell c)
{
    tl_row *r = &t->r[t->n - 1];
    r->c = realloc(r->c, (r->n + 1) * sizeof *r->c);
    r->c[r->n++] = c;
}

TL_UNUSED static tl_page tl_parse(const char *html)
{
    tl_page pg = {0};
    const char *p = html;
    for (const char *h = html; (h = strstr(h, "instance:</b>")); h++)
        pg.instances++;
    while ((p = strstr(p, "<table"))) {
        const char *end = strstr(p, "</table>");
        ck_assert_ptr_nonnull(end);
        pg.t = realloc(pg.t, (pg.n + 1) * sizeof *pg.t);
        tl_table *t = &pg.t[pg.n++];
        memset(t, 0, sizeof *t);
        /* The label: the last "X Saliency Heatmap" before the table. */
        const char *best = NULL;
        for (const char *h = html; (h = strstr(h, " Saliency Heatmap")) && h < p; h++)
            best = h;
        if (best) {
            const char *s = best;
            while (s > html && isalpha((unsigned char)s[-1]))
                s--;
            snprintf(t->label, sizeof t->label, "%.*s", (int)(best - s), s);
        }
        for (const char *q = p; q < end;) {
            q = strchr(q, '<');
            if (!q || q >= end)
                break;
            if (!strncmp(q, "<tr", 3) && (q[3] == '>' || q[3] == ' ')) {
                t->r = realloc(t->r, (t->n + 1) * sizeof *t->r);
                t->r[t->n].c = NULL;
                t->r[t->n++].n = 0;
                q += 3;
            } else if ((!strncmp(q, "<th", 3) || !strncmp(q, "<td", 3)) &&
                       (q[3] == '>' || q[3] == ' ')) {
                const char *gt = strchr(q, '>');
                tl_cell c = {0};
                const char *bg = strstr(q, "background:rgba(");
                if (bg && bg < gt) {
                    c.has_color = sscanf(bg + 16, "%lf , %lf , %lf , %lf", &c.rgba[0], &c.rgba[1],
                                         &c.rgba[2], &c.rgba[3]) == 4;
                    ck_assert_msg(c.has_color, "unparsable color near %.60s", bg);
                }
                const char *close = strstr(gt, q[2] == 'h' ? "</th>" : "</td>");
                ck_assert_ptr_nonnull(close);
                c.text = tl_inner_text(gt + 1, close);
                ck_assert_msg(t->n > 0, "cell outside a row");
                tl_add_cell(t, c);
                q = close + 5;
            } else {
                q++;
            }
        }
        p = end;
    }
    return pg;
}

TL_UNUSED static void tl_page_free(tl_page *pg)
{
    for (size_t i = 0; i < pg->n; i++) {
        for (size_t r = 0; r < pg->t[i].n; r++) {
            for (size_t c = 0; c < pg->t[i].r[r].n; c++)
                free(pg->t[i].r[r].c[c].text);
            free(pg->t[i].r[r].c);
        }
        free(pg->t[i].r);
    }
    free(pg->t);
    memset(pg, 0, sizeof *pg);
}

/* Compares two parsed pages: same tables, labels, rows, cells, texts; colors
 * within 1/255 per channel (channels 0..255 so within 1.0) and alpha within
 * 0.01.  Returns the number of colored cells compared. */
TL_UNUSED static size_t tl_compare_pages(const tl_page *got, const tl_page *exp, const char *what)
{
    size_t colored = 0;
    ck_assert_msg(got->n == exp->n, "%s: %zu tables, expected %zu", what, got->n, exp->n);
    ck_assert_msg(got->instances == exp->instances, "%s: %zu instance headers, expected %zu",
                  what, got->instances, exp->instances);
    for (size_t i = 0; i < exp->n; i++) {
        const tl_table *g = &got->t[i], *e = &exp->t[i];
        ck_assert_msg(!strcmp(g->label, e->label), "%s: table %zu is %s, expected %s", what, i,
                      g->label, e->label);
        ck_assert_msg(g->n == e->n, "%s: table %zu has %zu rows, expected %zu", what, i, g->n,
                      e->n);
        for (size_t r = 0; r < e->n; r++) {
            ck_assert_msg(g->r[r].n == e->r[r].n, "%s: table %zu row %zu: %zu cells, expected %zu",
                          what, i, r, g->r[r].n, e->r[r].n);
            for (size_t c = 0; c < e->r[r].n; c++) {
                const tl_cell *gc = &g->r[r].c[c], *ec = &e->r[r].c[c];
                ck_assert_msg(!strcmp(gc->text, ec->text),
                              "%s: table %zu row %zu cell %zu: \"%s\", expected \"%s\"", what, i,
                              r, c, gc->text, ec->text);
                ck_assert_msg(gc->has_color == ec->has_color,
                              "%s: table %zu row %zu cell %zu: color presence differs", what, i,
                              r, c);
                if (!ec->has_color)
                    continue;
                colored++;
                for (int k = 0; k < 3; k++)
                    ck_assert_msg(fabs(gc->rgba[k] - ec->rgba[k]) <= 1.0,
                                  "%s: table %zu row %zu cell %zu: channel %d %g, expected %g",
                                  what, i, r, c, k, gc->rgba[k], ec->rgba[k]);
                ck_assert_msg(fabs(gc->rgba[3] - ec->rgba[3]) <= 0.01,
                              "%s: table %zu row %zu cell %zu: alpha %g, expected %g", what, i, r,
                              c, gc->rgba[3], ec->rgba[3]);
            }
        }
    }
    return colored;
}

/* ---- sequences from golden/aggregations.json --------------------------- */

static void tl_tokens(as_tokens *t, json_t *arr)
{
    t->n = json_array_size(arr);
    t->v = calloc(t->n ? t->n : 1, sizeof *t->v);
    for (size_t i = 0; i < t->n; i++) {
        t->v[i].text = strdup(json_string_value(json_array_get(arr, i)));
        t->v[i].id = -1;
    }
}

static as_tensor *tl_matrix(json_t *m)
{
    if (!m || json_is_null(m))
        return NULL;
    size_t shape[2] = {json_array_size(m), json_array_size(json_array_get(m, 0))};
    as_tensor *t = tensor_new(2, shape, NULL);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < shape[0]; i++)
        for (size_t j = 0; j < shape[1]; j++) {
            json_t *v = json_array_get(json_array_get(m, i), j);
            t->data[i * shape[1] + j] = json_is_null(v) ? NAN : (float)json_number_value(v);
        }
    return t;
}

/* The sequences of one case and pipeline as 2D as_seq values (caller frees
 * each with attr_seq_free, then the array). */
TL_UNUSED static as_seq *tl_golden_seqs(const char *path, const char *name, const char *pipe,
                                        size_t *n)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_ALLOW_NUL, &je);
    ck_assert_msg(root != NULL, "%s: %s", path, je.text);
    json_t *arr = json_object_get(json_object_get(root, name), pipe);
    ck_assert_msg(json_is_array(arr), "%s: no %s / %s", path, name, pipe);
    *n = json_array_size(arr);
    as_seq *seqs = calloc(*n, sizeof *seqs);
    for (size_t i = 0; i < *n; i++) {
        json_t *s = json_array_get(arr, i);
        as_seq *q = &seqs[i];
        q->cls = AS_CLS_COARSE;
        tl_tokens(&q->source, json_object_get(s, "source"));
        tl_tokens(&q->target, json_object_get(s, "target"));
        q->attr_pos_start = (long)json_integer_value(json_object_get(s, "attr_pos_start"));
        q->attr_pos_end = (long)json_integer_value(json_object_get(s, "attr_pos_end"));
        q->source_attr = tl_matrix(json_object_get(s, "source_attributions"));
        q->target_attr = tl_matrix(json_object_get(s, "target_attributions"));
        json_t *ss = json_object_get(s, "step_scores");
        size_t ns = json_object_size(ss);
        q->step_scores.v = calloc(ns ? ns : 1, sizeof *q->step_scores.v);
        const char *key;
        json_t *val;
        /* File order is sorted by name, as inseq saves with sort_keys. */
        const char **keys = calloc(ns ? ns : 1, sizeof *keys);
        size_t k = 0;
        json_object_foreach(ss, key, val) keys[k++] = key;
        for (size_t a = 0; a < ns; a++)
            for (size_t b = a + 1; b < ns; b++)
                if (strcmp(keys[a], keys[b]) > 0) {
                    const char *t = keys[a];
                    keys[a] = keys[b];
                    keys[b] = t;
                }
        for (k = 0; k < ns; k++) {
            json_t *v = json_object_get(ss, keys[k]);
            size_t len = json_array_size(v);
            as_tensor *t = tensor_new(1, &len, NULL);
            for (size_t j = 0; j < len; j++) {
                json_t *x = json_array_get(v, j);
                t->data[j] = json_is_null(x) ? NAN : (float)json_number_value(x);
            }
            q->step_scores.v[k].name = strdup(keys[k]);
            q->step_scores.v[k].t = t;
        }
        q->step_scores.n = ns;
        free(keys);
    }
    json_decref(root);
    return seqs;
}

/* Renders seqs with the default options and compares with a golden page. */
TL_UNUSED static void tl_check_heatmap_golden(as_seq *seqs, size_t n, const char *golden)
{
    const as_seq **ptrs = calloc(n, sizeof *ptrs);
    for (size_t i = 0; i < n; i++)
        ptrs[i] = &seqs[i];
    html_out o;
    html_out_mem(&o);
    as_error err = {0};
    int rc = html_heatmap_page(&o, ptrs, n, NULL, &err);
    ck_assert_msg(rc == AS_OK, "%s", err.msg);
    char *got = html_out_take(&o, NULL, &err);
    ck_assert_ptr_nonnull(got);
    html_out_free(&o);
    char *exp = read_file_all(golden, NULL);
    ck_assert_ptr_nonnull(exp);
    tl_page pg = tl_parse(got), pe = tl_parse(exp);
    size_t colored = tl_compare_pages(&pg, &pe, golden);
    ck_assert_uint_gt(colored, 100);
    /* Our headers number the sequences ("0th", "1st", ...). */
    char want[64], ord[32];
    snprintf(want, sizeof want, "<b>%s instance:</b>", html_ordinal(ord, n - 1));
    ck_assert_ptr_nonnull(strstr(got, want));
    tl_page_free(&pg);
    tl_page_free(&pe);
    free(got);
    free(exp);
    free(ptrs);
}

#endif
