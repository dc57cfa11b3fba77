/* test_hostile.c - files written to hurt: what the library does with them.
 *
 * The files are tests/data/hostile/ (made by tools/mkhostile.py; its README
 * lists them); gzip bombs and big files are made here at run time.
 *   - structure: nesting, huge claimed sizes, duplicate keys, gzip
 *     trailing garbage and members, white-space bombs against the memory
 *     limit, a file truncated while it is read;
 *   - tokens: control characters, bidi overrides, NUL, a 10,000-character
 *     token, emoji, CJK: loaded as written, labels never hold a control;
 *   - HTML payloads in tokens and step-score names: inert in every view;
 *   - numbers: all NaN, all zeros, infinities, denormals, values near
 *     FLT_MAX through the default aggregation (values documented below).
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "agg.h"
#include "b64.h"
#include "html.h"
#include "load.h"
#include "testutil.h"
#include "tokens.h"

static const char *hostile(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "hostile/%s", name);
    return testdata(buf[k]);
}

static as_output *load_ok(const char *name)
{
    as_error e = {0};
    as_output *o = as_load_file(hostile(name), NULL, &e);
    ck_assert_msg(o != NULL, "%s: %s", name, e.msg);
    return o;
}

/* Loads a file that must fail; the message (after "PATH: ") must be want. */
static void load_fails(const char *name, int code, const char *want)
{
    as_error e = {0};
    const char *path = hostile(name);
    as_output *o = as_load_file(path, NULL, &e);
    ck_assert_msg(o == NULL, "%s loaded", name);
    ck_assert_int_eq(e.code, code);
    size_t pl = strlen(path);
    ck_assert_msg(!strncmp(e.msg, path, pl) && !strncmp(e.msg + pl, ": ", 2), "%s", e.msg);
    ck_assert_str_eq(e.msg + pl + 2, want);
}

/* ---- structure --------------------------------------------------------- */

START_TEST(structure_errors)
{
    load_fails("deep_nesting.json.gz", AS_EDATA, "line 8: nesting deeper than 10000 levels");
    load_fails("st_huge_header.json", AS_EDATA,
               "sequence_attributions[0].source_attributions: safetensors header claims "
               "18446744073709551600 bytes but only 88 follow");
    load_fails("st_huge_offsets.json", AS_EDATA,
               "sequence_attributions[0].source_attributions: safetensors data_offsets [0, "
               "9223372036854775807] lie outside the 16 data bytes");
    load_fails("b64_huge_shape.json", AS_EDATA,
               "sequence_attributions[0].source_attributions: __ndarray__ holds 16 bytes; "
               "shape and dtype float32 need 2147483648");
    load_fails("duplicate_keys.json", AS_EDATA,
               "line 20, column 42: not valid JSON: duplicate object key near '\"source\"'");
}
END_TEST

/* A b64.gz tensor whose shape claims 2 GiB from 96 bytes is refused before
 * anything is allocated for it (deflate expands at most 1032 times), also
 * when the memory limit would allow the allocation. */
START_TEST(b64gz_claim_refused_early)
{
    as_mem_set_limit((size_t)64 << 30);
    load_fails("b64gz_huge_shape.json", AS_EDATA,
               "sequence_attributions[0].source_attributions: b64.gz data of 96 bytes cannot "
               "hold the 2147483648 bytes that shape and dtype float32 need");
    ck_assert_uint_eq(as_mem_in_use(), 0);
    as_mem_set_limit(0);
}
END_TEST

START_TEST(gzip_trailing_and_members)
{
    as_output *a = load_ok("trailing_garbage.json.gz");
    ck_assert_ptr_nonnull(a->notes);
    ck_assert_msg(strstr(a->notes, "trailing_garbage.json.gz: 25 bytes after the end of the gzip "
                                   "stream were ignored"), "%s", a->notes);
    as_output *b = load_ok("two_members.json.gz");
    ck_assert_ptr_null(b->notes);
    ck_assert_uint_eq(a->nseqs, 1);
    ck_assert_uint_eq(b->nseqs, 1);
    ck_assert_uint_eq(a->seqs[0].source.n, b->seqs[0].source.n);
    ck_assert_str_eq(b->seqs[0].target.v[1].text, "</s>");
    for (size_t i = 0; i < 4; i++)
        ck_assert_float_eq(a->seqs[0].source_attr->data[i], b->seqs[0].source_attr->data[i]);
    attr_output_free(a);
    attr_output_free(b);
}
END_TEST

/* ---- gzip bombs and the memory limit ------------------------------------ */

/* One gzip member holding n bytes of c. */
static unsigned char *gz_member(const void *data, size_t n, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

typedef struct bytes_buf {
    unsigned char *p;
    size_t n, cap;
} bytes_buf;

static void buf_add(bytes_buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        ck_assert_ptr_nonnull(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void buf_add_gz(bytes_buf *b, const char *text)
{
    size_t l;
    unsigned char *m = gz_member(text, strlen(text), &l);
    buf_add(b, m, l);
    free(m);
}

/* Many sequences of unknown classes: ten notes and a count (the notes were
 * one per sequence, each appended after scanning all the others: 200000
 * sequences took a minute). */
START_TEST(many_unknown_classes)
{
    bytes_buf b = {0};
    const char *head = "{\"info\": {}, \"sequence_attributions\": [";
    buf_add(&b, head, strlen(head));
    for (int i = 0; i < 50000; i++) {
        char one[160];
        int n = snprintf(one, sizeof one,
                         "%s{\"__instance_type__\": [\"m\", \"Weird%d\"], "
                         "\"attributes\": {\"target\": [\"x\"]}}", i ? ", " : "", i % 3);
        buf_add(&b, one, (size_t)n);
    }
    buf_add(&b, "]}", 2);
    as_error e = {0};
    as_output *o = as_load_buffer(b.p, b.n, "many.json", NULL, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    ck_assert_uint_eq(o->nseqs, 50000);
    size_t lines = 0;
    for (const char *p = o->notes; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 11);
    ck_assert(strstr(o->notes, "many.json: sequence_attributions[9]: unknown class 'Weird0', "
                               "loaded as FeatureAttributionSequenceOutput\n"));
    ck_assert(strstr(o->notes, "many.json: 49990 more sequences of unknown classes loaded as "
                               "FeatureAttributionSequenceOutput\n"));
    attr_output_free(o);
    free(b.p);
}
END_TEST

/* head, then 64 members of 1 MiB of white space, then a member cut in half:
 * read to its end, the file fails with "the gzip stream ends early". */
static bytes_buf make_bomb(const char *head)
{
    bytes_buf b = {0};
    buf_add_gz(&b, head);
    char *spaces = malloc(1 << 20);
    ck_assert_ptr_nonnull(spaces);
    memset(spaces, ' ', 1 << 20);
    for (size_t i = 0; i < (1 << 20); i += 4096)
        spaces[i] = '\n';
    size_t l;
    unsigned char *m = gz_member(spaces, 1 << 20, &l);
    for (int i = 0; i < 64; i++)
        buf_add(&b, m, l);
    buf_add(&b, m, l / 2);
    free(m);
    free(spaces);
    return b;
}

static void bomb_case(const char *head)
{
    bytes_buf b = make_bomb(head);
    as_error e = {0};
    /* With 8 MB the white space stops the load long before the end. */
    as_mem_set_limit((size_t)8 << 20);
    as_output *o = as_load_buffer(b.p, b.n, "bomb.json.gz", NULL, &e);
    ck_assert_ptr_null(o);
    ck_assert_int_eq(e.code, AS_EDATA);
    ck_assert_msg(strstr(e.msg, "bomb.json.gz: line ") &&
                      strstr(e.msg, " MB of white space in a row goes over the memory limit of "
                                    "8 MB (raise it with --max-memory)"), "%s", e.msg);
    /* With a larger limit the whole stream is read (and found cut). */
    as_mem_set_limit((size_t)1 << 30);
    o = as_load_buffer(b.p, b.n, "bomb.json.gz", NULL, &e);
    ck_assert_ptr_null(o);
    ck_assert_msg(strstr(e.msg, "the gzip stream ends early"), "%s", e.msg);
    as_mem_set_limit(0);
    free(b.p);
}

START_TEST(whitespace_bomb_between_values)
{
    bomb_case("{\"sequence_attributions\": [], \"info\": {\"x\": ");
}
END_TEST

START_TEST(whitespace_bomb_in_number_list)
{
    bomb_case("{\"sequence_attributions\": [], \"info\": {\"x\": {\"__ndarray__\": [1,");
}
END_TEST

/* Long runs of white space are not kept, but line numbers stay right. */
START_TEST(whitespace_run_keeps_lines)
{
    bytes_buf b = {0};
    const char *head = "{\"sequence_attributions\": [],\n \"info\": {\"a\":";
    buf_add(&b, head, strlen(head));
    for (int i = 0; i < 100000; i++)
        buf_add(&b, i % 25000 == 0 ? "\n" : " ", 1);
    const char *tail = " 1, \"b\": nope}}";
    buf_add(&b, tail, strlen(tail));
    as_error e = {0};
    as_output *o = as_load_buffer(b.p, b.n, "ws.json", NULL, &e);
    ck_assert_ptr_null(o);
    ck_assert_msg(strstr(e.msg, "ws.json: line 6, column"), "%s", e.msg);
    /* The same white space before valid text loads. */
    b.n -= strlen(tail);
    buf_add(&b, " 1}}", 4);
    o = as_load_buffer(b.p, b.n, "ws.json", NULL, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    ck_assert_int_eq(json_integer_value(json_object_get(o->info, "a")), 1);
    attr_output_free(o);
    free(b.p);
}
END_TEST

/* ---- a file that changes while it is read ------------------------------- */

/* A valid coarse file of about 16 MB: 2000 source and 1000 target tokens. */
static void write_big_file(const char *path)
{
    const size_t S = 2000, T = 1000;
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("{\"info\": {}, \"step_attributions\": null, \"sequence_attributions\": [{", f);
    const char *names[2] = {"source", "target"};
    size_t rows[2] = {S, T};
    for (int w = 0; w < 2; w++) {
        fprintf(f, "\"%s\": [", names[w]);
        for (size_t i = 0; i < rows[w]; i++)
            fprintf(f, "%s{\"id\": %zu, \"token\": \"t%zu\"}", i ? ", " : "", i, i);
        fputs("], ", f);
        size_t n = rows[w] * T, dl = n * 4;
        char hdr[160];
        int hl = snprintf(hdr, sizeof hdr,
                          "{\"attribution\":{\"dtype\":\"F32\",\"shape\":[%zu,%zu],"
                          "\"data_offsets\":[0,%zu]}}",
                          rows[w], T, dl);
        while (hl % 8)
            hdr[hl++] = ' ';
        size_t bl = 8 + (size_t)hl + dl;
        uint8_t *blob = malloc(bl);
        char *enc = malloc(b64_encoded_len(bl) + 1);
        ck_assert(blob && enc);
        for (int k = 0; k < 8; k++)
            blob[k] = (uint8_t)((uint64_t)hl >> (8 * k));
        memcpy(blob + 8, hdr, (size_t)hl);
        for (size_t i = 0; i < n; i++) {
            float v = (float)(i % 97) / 97.0f;
            memcpy(blob + 8 + hl + 4 * i, &v, 4);
        }
        size_t el = b64_encode(blob, bl, enc);
        fprintf(f, "\"%s_attributions\": \"", names[w]);
        fwrite(enc, 1, el, f);
        fputs("\", ", f);
        free(blob);
        free(enc);
    }
    fprintf(f, "\"attr_pos_start\": 0, \"attr_pos_end\": %zu}]}\n", T);
    ck_assert_int_eq(fclose(f), 0);
}

/* Another process truncates the file (to half, or to nothing) after a delay
 * while it is loading: the load fails with a message or returns what it
 * read; it never crashes. */
START_TEST(truncated_while_loading)
{
    char path[] = "/tmp/attrscope-truncate-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    int loaded = 0, failed = 0;
    for (int round = 0; round < 12; round++) {
        write_big_file(path);
        FILE *f = fopen(path, "rb");
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fclose(f);
        useconds_t delay = (useconds_t)(round / 2) * 4000;
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            usleep(delay);
            _exit(truncate(path, round % 2 ? 0 : size / 2) == 0 ? 0 : 1);
        }
        as_error e = {0};
        as_output *o = as_load_file(path, NULL, &e);
        int st;
        waitpid(pid, &st, 0);
        ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        if (o) {
            loaded++;
            ck_assert_uint_eq(o->nseqs, 1);
            ck_assert_uint_eq(o->seqs[0].source.n, 2000);
            attr_output_free(o);
        } else {
            failed++;
            ck_assert_msg(strncmp(e.msg, path, strlen(path)) == 0 && e.code != AS_OK, "%s",
                          e.msg);
        }
    }
    unlink(path);
    ck_assert_int_eq(loaded + failed, 12);
}
END_TEST

/* ---- tokens ------------------------------------------------------------- */

/* The token list of tokens_control.json, as tools/mkhostile.py writes it
 * (NUL stored as C0 80). */
static const char *const control_source[] = {
    "\xe2\x96\x81plain", "\x1b[2J", "\x1b]0;title\x07", "bell\x07", "nul\xc0\x80" "byte",
    "cr\rover", "tab\there", "new\nline", "\xe2\x80\xae" "evil", "a\xe2\x80\x8d" "b",
    "e\xcc\x81", "\xcc\x81", "\xe2\x81\xa6iso\xe2\x81\xa9", "del\x7f", "c1\xc2\x9b" "csi",
    NULL /* the 10,000-character token */, "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
    "\xf0\x9f\x98\x80", "\xe4\xbd\xa0\xe5\xa5\xbd",
};

/* What `info` shows for each (tokens_escape, flags 0). */
static const char *const control_escaped[] = {
    "\xe2\x96\x81plain", "\\x1b[2J", "\\x1b]0;title\\x07", "bell\\x07", "nul\\0byte",
    "cr\\rover", "tab\\there", "new\\nline", "\\u202eevil", "a\xe2\x80\x8d" "b", "e\xcc\x81",
    "\xcc\x81", "\\u2066iso\\u2069", "del\\x7f", "c1\\u009bcsi", NULL,
    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", "\xf0\x9f\x98\x80",
    "\xe4\xbd\xa0\xe5\xa5\xbd",
};

static void assert_no_controls(const char *s, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        ck_assert_msg(c >= 0x20 && c != 0x7f, "%s: raw byte 0x%02x at %zu", what, c, i);
    }
}

START_TEST(control_tokens_load_as_written)
{
    as_output *o = load_ok("tokens_control.json");
    const as_seq *s = &o->seqs[0];
    ck_assert_uint_eq(s->source.n, 19);
    for (size_t i = 0; i < 19; i++) {
        const char *t = s->source.v[i].text;
        if (!control_source[i]) {
            /* Long enough (and base64-looking enough) for the scanner to take
             * it for tensor data at first: it must come back as text. */
            ck_assert_uint_eq(strlen(t), 10000);
            for (size_t k = 0; k < 10000; k++)
                ck_assert_int_eq(t[k], "abcdefghij"[k % 10]);
            continue;
        }
        ck_assert_msg(!strcmp(t, control_source[i]), "token %zu", i);
    }
    ck_assert_str_eq(s->target.v[1].text, "\x1b[31mred\x1b[0m");
    /* info keeps its strings as written. */
    ck_assert_str_eq(json_string_value(json_object_get(o->info, "model_name")),
                     "\x1b]0;title\x07model\xe2\x80\xae");
    ck_assert_ptr_nonnull(json_object_get(o->info, "key\x1b[5mblink"));
    const json_t *it = json_array_get(json_object_get(o->info, "input_texts"), 0);
    ck_assert_uint_eq(json_string_length(it), strlen("plain \x1b[2J text\r\n\xe2\x80\xae" "evil ") + 5);
    attr_output_free(o);
}
END_TEST

START_TEST(control_tokens_display_safely)
{
    as_output *o = load_ok("tokens_control.json");
    const as_seq *s = &o->seqs[0];
    for (size_t i = 0; i < s->source.n; i++) {
        const char *t = s->source.v[i].text;
        char *e = tokens_escape_dup(t, strlen(t), 0);
        ck_assert_ptr_nonnull(e);
        assert_no_controls(e, strlen(e), "escaped");
        if (control_escaped[i])
            ck_assert_msg(!strcmp(e, control_escaped[i]), "token %zu: '%s'", i, e);
        free(e);
        /* Labels in every decoding mode, as the CLI and the explorer show them. */
        for (tokens_mode m = TOKENS_NONE; m <= TOKENS_WORDPIECE; m++) {
            char buf[256];
            int cols = -1;
            size_t n = tokens_label(buf, sizeof buf, m, t, TOKENS_ESC_SPACE, 24, &cols);
            ck_assert_uint_lt(n, sizeof buf);
            assert_no_controls(buf, n, "label");
            ck_assert_int_ge(cols, 0);
            ck_assert_int_le(cols, 24);
        }
    }
    /* The long token is cut to the width with an ellipsis. */
    char buf[256];
    int cols;
    tokens_label(buf, sizeof buf, TOKENS_NONE, s->source.v[15].text, 0, 24, &cols);
    ck_assert_str_eq(buf, "abcdefghijabcdefghijabc\xe2\x80\xa6");
    ck_assert_int_eq(cols, 24);
    /* Widths: emoji and CJK are two columns each, combining marks none. */
    ck_assert_int_eq(tokens_width(s->source.v[17].text, 4, 0), 2);
    ck_assert_int_eq(tokens_width(s->source.v[18].text, 6, 0), 4);
    ck_assert_int_eq(tokens_width(s->source.v[10].text, 3, 0), 1);
    /* A lone combining mark gets a visible base on request. */
    tokens_label(buf, sizeof buf, TOKENS_NONE, s->source.v[11].text, TOKENS_ESC_BASE, 24, &cols);
    ck_assert_str_eq(buf, "\xe2\x97\x8c\xcc\x81");
    attr_output_free(o);
}
END_TEST

/* ---- HTML ----------------------------------------------------------------- */

/* Every view of the file, in memory, with a label callback or raw text. */
static char *pages_of(const char *name, bool aggregate)
{
    as_output *o = load_ok(name);
    as_error e = {0};
    as_seq *s = agg_apply_str(o, 0, aggregate ? "default" : "none", NULL, &e);
    ck_assert_msg(s != NULL, "%s", e.msg);
    const as_seq *const seqs[1] = {s};
    html_out out;
    html_out_mem(&out);
    html_heatmap_opts h = {.c = {.title = "</title><script>alert(0)</script>"}};
    ck_assert_int_eq(html_heatmap_page(&out, seqs, 1, &h, &e), AS_OK);
    html_tokens_opts t = {.c = {.title = "t"}};
    ck_assert_int_eq(html_tokens_page(&out, seqs, 1, &t, &e), AS_OK);
    html_granular_opts g = {.c = {.title = "g"}};
    ck_assert_int_eq(html_granular_page(&out, seqs, 1, &g, &e), AS_OK);
    size_t len;
    char *page = html_out_take(&out, &len, &e);
    ck_assert_ptr_nonnull(page);
    html_out_free(&out);
    agg_seq_free(s);
    attr_output_free(o);
    return page;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

START_TEST(html_payloads_inert)
{
    char *page = pages_of("html_payloads.json", false);
    static const char *const raw[] = {
        "<script>alert", "<img", "onerror=alert(3)>", "</script><!--", "<b>bold</b>",
        "</title><script>",
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        ck_assert_msg(!strstr(page, raw[i]), "raw payload %s", raw[i]);
    /* A quote that would close an attribute: only ever escaped (as &quot;
     * in markup, \" inside JSON). */
    for (const char *p = page; (p = strstr(p, "\"onmouseover=")) != NULL; p++)
        ck_assert_msg(p > page && p[-1] == '\\', "raw quote before onmouseover");
    /* Shown as text in the tables. */
    ck_assert(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    ck_assert(strstr(page, "&quot;onmouseover=alert(2) x=&quot;"));
    ck_assert(strstr(page, "&lt;img src=x onerror=alert(12)&gt;")); /* a step score name */
    /* Script elements are only the pages' own, each closed once. */
    ck_assert_uint_eq(count(page, "<script"), count(page, "</script>"));
    ck_assert_uint_eq(count(page, "<!--"), 0);
    /* Inside scripts no raw U+2028 (a line break in JavaScript strings). */
    for (const char *p = page; (p = strstr(p, "<script")) != NULL;) {
        const char *end = strstr(p, "</script>");
        ck_assert_ptr_nonnull(end);
        const char *ls = strstr(p, "\xe2\x80\xa8");
        ck_assert_msg(!ls || ls > end, "raw U+2028 in a script");
        p = end;
    }
    free(page);
}
END_TEST

START_TEST(html_control_tokens)
{
    char *page = pages_of("tokens_control.json", false);
    /* No control character but the white space of the markup. */
    for (const char *p = page; *p; p++) {
        unsigned char c = (unsigned char)*p;
        ck_assert_msg(c >= 0x20 || c == '\n' || c == '\t' || c == '\r', "raw 0x%02x", c);
        ck_assert(c != 0x7f);
    }
    ck_assert_ptr_null(strstr(page, "\xc2\x9b")); /* C1 CSI */
    ck_assert_ptr_null(strstr(page, "\xc0\x80")); /* the stored NUL */
    free(page);
}
END_TEST

/* ---- numbers ---------------------------------------------------------------
 *
 * numbers.json: five granular sequences, 3 source and 2 target tokens, 4
 * embedding values each.  The default aggregation is vnorm over the
 * embedding, then each generated column divided by its L1 norm over source
 * and target rows (NaN counted as 0, at least 1e-12), as inseq does:
 *   all NaN    NaN everywhere (vnorm propagates NaN);
 *   all zeros  0 (0 / 1e-12), target NaN above the diagonal as stored;
 *   infinities an infinite vnorm makes the column's L1 infinite: infinite
 *              cells become NaN (inf / inf), finite ones 0;
 *   denormals  vnorm 2e-40 (accumulated in double), divided by 1e-12 (the
 *              L1 is below it): 2e-28;
 *   huge       rows of 1e38 have vnorm 2e38; the row of 3e38 overflows
 *              float32 to inf, so its column's L1 is inf: 0 and NaN.
 * Exports write NaN as null (JSON), "NaN" (CSV), an empty cell (heatmap). */
static void assert_col(const as_tensor *t, size_t j, const float *want)
{
    for (size_t i = 0; i < t->shape[0]; i++) {
        float v = t->data[i * t->shape[1] + j];
        if (isnan(want[i]))
            ck_assert_msg(isnan(v), "[%zu, %zu] = %g, want NaN", i, j, v);
        else
            ck_assert_msg(fabsf(v - want[i]) <= 1e-6f * fabsf(want[i]) + 1e-37f,
                          "[%zu, %zu] = %g, want %g", i, j, v, want[i]);
    }
}

START_TEST(numbers_default_aggregation)
{
    as_output *o = load_ok("numbers.json");
    ck_assert_uint_eq(o->nseqs, 5);
    as_seq *r[5];
    for (size_t k = 0; k < 5; k++) {
        as_error e = {0};
        r[k] = agg_apply_str(o, k, "default", NULL, &e);
        ck_assert_msg(r[k] != NULL, "sequence %zu: %s", k, e.msg);
        ck_assert_int_eq(agg_check_2d(r[k], &e), AS_OK);
    }
    const float N = NAN;
    /* all NaN */
    assert_col(r[0]->source_attr, 0, (float[]){N, N, N});
    assert_col(r[0]->source_attr, 1, (float[]){N, N, N});
    /* all zeros */
    assert_col(r[1]->source_attr, 0, (float[]){0, 0, 0});
    assert_col(r[1]->target_attr, 1, (float[]){0, N});
    /* infinities: column 0 has +inf (row 0) and -inf (row 1) */
    assert_col(r[2]->source_attr, 0, (float[]){N, N, 0});
    float c1[3] = {sqrtf(1 + 4 + 9 + 16), sqrtf(4 + 9 + 16 + 25), sqrtf(9 + 16 + 25 + 36)};
    float l1 = c1[0] + c1[1] + c1[2] + sqrtf(1 + 4 + 9 + 16);
    assert_col(r[2]->source_attr, 1, (float[]){c1[0] / l1, c1[1] / l1, c1[2] / l1});
    /* denormals: 2 * 1e-40 (as float32: 9.99995e-41) / 1e-12 */
    float d = 2 * 1e-40f / 1e-12f;
    assert_col(r[3]->source_attr, 0, (float[]){d, d, d});
    /* huge */
    assert_col(r[4]->source_attr, 0, (float[]){0, 0, N});
    assert_col(r[4]->target_attr, 1, (float[]){0, N});
    /* The views draw them; NaN cells are empty in the heatmap. */
    html_out out;
    html_out_mem(&out);
    as_error e = {0};
    ck_assert_int_eq(html_heatmap_page(&out, (const as_seq *const *)r, 5,
                                       &(html_heatmap_opts){.shared_range = true}, &e),
                     AS_OK);
    ck_assert_int_eq(html_tokens_page(&out, (const as_seq *const *)r, 5, &(html_tokens_opts){0},
                                      &e), AS_OK);
    size_t len;
    char *page = html_out_take(&out, &len, &e);
    ck_assert_ptr_nonnull(page);
    ck_assert(strstr(page, "<td style=\"background:rgba(0.0, 0.0, 0.0, 0.0)\"></td>"));
    /* Step scores are shown as stored: the infinities of sequence 2. */
    ck_assert(strstr(page, "<td><b>inf</b></td><td><b>-inf</b></td>"));
    free(page);
    html_out_free(&out);
    for (size_t k = 0; k < 5; k++) {
        json_t *j = agg_scores_dicts(r[k], &e);
        ck_assert_msg(j != NULL, "%s", e.msg);
        json_decref(j);
        agg_seq_free(r[k]);
    }
    attr_output_free(o);
}
END_TEST

/* Without aggregation the infinities reach the heatmap: shown as "inf".  The
 * range comes from the finite values (range.h; inseq's would be infinite and
 * leave every cell uncolored): the inf cell takes the strongest red, the
 * largest finite value too, the others their share of it. */
START_TEST(numbers_unaggregated_heatmap)
{
    as_output *o = load_ok("numbers.json");
    as_error e = {0};
    as_seq *s = agg_apply_str(o, 2, "vnorm normalize=false", NULL, &e);
    ck_assert_msg(s != NULL, "%s", e.msg);
    html_out out;
    html_out_mem(&out);
    ck_assert_int_eq(html_heatmap_page(&out, (const as_seq *const *)&s, 1,
                                       &(html_heatmap_opts){0}, &e), AS_OK);
    size_t len;
    char *page = html_out_take(&out, &len, &e);
    ck_assert(strstr(page, "<td style=\"background:rgba(178.0, 24.0, 43.0, 1.0)\">inf</td>"));
    ck_assert(strstr(page, "<td style=\"background:rgba(178.0, 24.0, 43.0, 1.0)\">9.274</td>"));
    ck_assert(strstr(page, "<td style=\"background:rgba(178.0, 24.0, 43.0, 0.5900970489205782)\">"
                           "5.477</td>"));
    ck_assert(!strstr(page, "rgba(0.0, 0.0, 0.0, 0.0)\">inf"));
    free(page);
    html_out_free(&out);
    agg_seq_free(s);
    attr_output_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("structure");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, structure_errors);
    tcase_add_test(tc, b64gz_claim_refused_early);
    tcase_add_test(tc, gzip_trailing_and_members);
    tcase_add_test(tc, whitespace_bomb_between_values);
    tcase_add_test(tc, whitespace_bomb_in_number_list);
    tcase_add_test(tc, whitespace_run_keeps_lines);
    tcase_add_test(tc, many_unknown_classes);
    tcase_add_test(tc, truncated_while_loading);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("tokens");
    tcase_add_test(tt, control_tokens_load_as_written);
    tcase_add_test(tt, control_tokens_display_safely);
    suite_add_tcase(s, tt);
    TCase *th = tcase_create("html");
    tcase_add_test(th, html_payloads_inert);
    tcase_add_test(th, html_control_tokens);
    suite_add_tcase(s, th);
    TCase *tn = tcase_create("numbers");
    tcase_add_test(tn, numbers_default_aggregation);
    tcase_add_test(tn, numbers_unaggregated_heatmap);
    suite_add_tcase(s, tn);
    return run_suite(s);
}
