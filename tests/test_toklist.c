/* Token lists read before jansson (model/toklist.c): every form inseq writes
 * reads to the same texts and ids, lists the reader refuses reach the
 * loader's own checks unchanged, line breaks and error columns stay the
 * file's. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/exercise.h"

#include "load.h"
#include "testutil.h"
#include "toklist.h"

/* A one-sequence file around a source list (and target ["a", "b"]). */
static char *wrap_source(const char *source)
{
    static const char head[] =
        "{\"__instance_type__\": [\"inseq.data.attribution\", \"FeatureAttributionOutput\"],\n"
        " \"attributes\": {\"info\": {}, \"step_attributions\": null,\n"
        "  \"sequence_attributions\": [{\"__instance_type__\": [\"inseq.data.attribution\",\n"
        "   \"FeatureAttributionSequenceOutput\"], \"attributes\": {\"source\": ";
    static const char tail[] = ", \"target\": [\"a\", \"b\"], \"source_attributions\": null,\n"
                               "   \"target_attributions\": null, \"step_scores\": {},\n"
                               "   \"sequence_scores\": null, \"attr_pos_start\": 0,\n"
                               "   \"attr_pos_end\": 2}}]}}\n";
    size_t n = strlen(head) + strlen(source) + strlen(tail) + 1;
    char *s = malloc(n);
    ck_assert(s != NULL);
    snprintf(s, n, "%s%s%s", head, source, tail);
    return s;
}

/* Loads text; jansson's tree alone must read the same (or fail alike). */
static as_output *load_text(const char *text, as_error *e)
{
    memset(e, 0, sizeof *e);
    as_output *o = as_load_buffer(text, strlen(text), "input", NULL, e);
    ex_tree_tokens((const uint8_t *)text, strlen(text), o, e);
    return o;
}

static as_output *must_load_source(const char *source)
{
    char *f = wrap_source(source);
    as_error e;
    as_output *o = load_text(f, &e);
    ck_assert_msg(o != NULL, "%s: %s", source, e.msg);
    free(f);
    return o;
}

/* Every form, escapes and raw UTF-8 included. */
START_TEST(forms)
{
    const char *src =
        "[\"plain\",\n"
        " {\"__instance_type__\": [\"inseq.utils.typing\", \"TokenWithId\"],"
        " \"attributes\": {\"id\": 7, \"token\": \"\\u2581wrapped\"}},\n"
        " {\"attributes\": {\"token\": \"order\", \"id\": -3}, \"__instance_type__\": [\"m\", \"C\"]},\n"
        " {\"token\": \"prim\\\"itive\", \"id\": 12345678901},\n"
        " {\"token\": \"no id\"},\n"
        " {\"__instance_type__\": [\"m\", \"C\"], \"attributes\": {\"token\": \"null id\", \"id\": null}},\n"
        " \"esc \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\",\n"
        " \"raw \xc3\xa9 \xe2\x96\x81 \xf0\x9f\x98\x80\"]";
    as_output *o = must_load_source(src);
    const as_tokens *t = &o->seqs[0].source;
    ck_assert_uint_eq(t->n, 8);
    static const char *const text[] = {
        "plain", "\xe2\x96\x81wrapped", "order", "prim\"itive", "no id", "null id",
        "esc \\ / \b\f\n\r\t \xc3\xa9 \xf0\x9f\x98\x80", "raw \xc3\xa9 \xe2\x96\x81 \xf0\x9f\x98\x80"};
    static const long long id[] = {-1, 7, -3, 12345678901LL, -1, -1, -1, -1};
    for (size_t i = 0; i < 8; i++) {
        ck_assert_str_eq(t->v[i].text, text[i]);
        ck_assert_msg(t->v[i].id == id[i], "token %zu: id %lld", i, t->v[i].id);
    }
    ck_assert_uint_eq(o->seqs[0].target.n, 2);
    ck_assert_str_eq(o->seqs[0].target.v[1].text, "b");
    /* the texts of a list read here share one allocation, in list order */
    ck_assert_ptr_nonnull(t->pool);
    for (size_t i = 0; i < 8; i++)
        ck_assert(t->v[i].text >= t->pool &&
                  (i == 0 || t->v[i].text == t->v[i - 1].text + strlen(t->v[i - 1].text) + 1));
    attr_output_free(o);
}
END_TEST

/* A token the scanner took for base64 (long, of base64 characters) reads
 * as its text, in a list the reader takes. */
START_TEST(base64_looking_token)
{
    char tok[1301];
    for (int i = 0; i < 1300; i++)
        tok[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
    tok[1300] = '\0';
    char src[4000];
    snprintf(src, sizeof src, "[\"a\", {\"token\": \"%s\", \"id\": 9}, \"b64:%s\", \"z\"]", tok, tok);
    as_output *o = must_load_source(src);
    const as_tokens *t = &o->seqs[0].source;
    ck_assert_uint_eq(t->n, 4);
    ck_assert_ptr_nonnull(t->pool);   /* read here, not through jansson */
    ck_assert_str_eq(t->v[1].text, tok);
    ck_assert(t->v[1].id == 9);
    ck_assert_uint_eq(strlen(t->v[2].text), 1304);
    ck_assert(!strncmp(t->v[2].text, "b64:", 4) && !strcmp(t->v[2].text + 4, tok));
    ck_assert_str_eq(t->v[3].text, "z");
    attr_output_free(o);
}
END_TEST

/* Lists the reader leaves to the loader: the loader's own reading. */
START_TEST(left_to_loader)
{
    /* A NUL in a token is stored as C0 80. */
    as_output *o = must_load_source("[\"a\\u0000b\", \"c\"]");
    ck_assert_str_eq(o->seqs[0].source.v[0].text, "a\xc0\x80" "b");
    attr_output_free(o);
    /* Keys the loader does not read are ignored. */
    o = must_load_source("[{\"__instance_type__\": [\"m\", \"C\"], "
                         "\"attributes\": {\"token\": \"x\", \"id\": 4, \"extra\": [1]}}]");
    ck_assert_str_eq(o->seqs[0].source.v[0].text, "x");
    ck_assert(o->seqs[0].source.v[0].id == 4);
    attr_output_free(o);
    /* A lone surrogate reads as U+FFFD, as Python writes it back. */
    o = must_load_source("[\"\\ud800x\"]");
    ck_assert_str_eq(o->seqs[0].source.v[0].text, "\xef\xbf\xbdx");
    attr_output_free(o);

    struct {
        const char *source, *msg;
    } bad[] = {
        {"[{\"token\": \"x\", \"id\": 1.0}]", "sequence_attributions[0].source[0]: id is a number, expected an integer"},
        {"[{\"token\": 5}]", "sequence_attributions[0].source[0]: token is an integer, expected a string"},
        {"[\"a\", {\"token\": \"x\", \"token\": \"y\"}]", "duplicate"},
        {"[\"a\", 3]", "sequence_attributions[0].source[1]"},
        {"\"abc\"", "sequence_attributions[0].source: is a string, expected a list of tokens"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *f = wrap_source(bad[i].source);
        as_error e;
        as_output *b = load_text(f, &e);
        ck_assert_msg(b == NULL, "%s loaded", bad[i].source);
        ck_assert_msg(strstr(e.msg, bad[i].msg) != NULL, "%s: %s", bad[i].source, e.msg);
        free(f);
    }
}
END_TEST

/* The skeleton keeps its line breaks; a refused list is left byte for byte. */
START_TEST(skeleton)
{
    const char *text = "{\"attributes\": {\"sequence_attributions\": [{\"source\": [\"a\",\n"
                       "  \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\n \"c\"],\n"
                       " \"target\": [\"x\", 1.5], \"info\": {\"source\": [\"kept, not a token list at all\"]}}]}}";
    as_scan sc = {.skel = as_buf_counted(NULL)};
    as_buf_puts(&sc.skel, text);
    ck_assert(!sc.skel.oom);
    sc.nonce = 0x1234;
    as_toklists tl;
    as_error e = {0};
    ck_assert_int_eq(toklists_collapse(&sc, &tl, true, &e), AS_OK);
    ck_assert_uint_eq(tl.n, 1);
    ck_assert_uint_eq(tl.v[0].n, 3);
    ck_assert_str_eq(tl.v[0].v[2].text, "c");
    size_t lines = 0;
    for (size_t i = 0; i < sc.skel.len; i++)
        lines += sc.skel.p[i] == '\n';
    ck_assert_uint_eq(lines, 3);
    ck_assert_ptr_nonnull(strstr(sc.skel.p, "\"source\": \"\\u0000L0000000000001234:0\"\n\n,"));
    ck_assert_ptr_nonnull(strstr(sc.skel.p, "\"target\": [\"x\", 1.5]"));
    ck_assert_ptr_nonnull(strstr(sc.skel.p, "{\"source\": [\"kept, not a token list at all\"]}"));
    size_t idx;
    const char ph[] = "\0L0000000000001234:0";
    ck_assert(toklists_placeholder(&sc, &tl, ph, sizeof ph - 1, &idx));
    ck_assert_uint_eq(idx, 0);
    const char other[] = "\0L0000000000001235:0";
    ck_assert(!toklists_placeholder(&sc, &tl, other, sizeof other - 1, &idx));
    const char beyond[] = "\0L0000000000001234:1";
    ck_assert(!toklists_placeholder(&sc, &tl, beyond, sizeof beyond - 1, &idx));
    toklists_free(&tl);
    scan_free(&sc);
}
END_TEST

/* A syntax error after a list on the same line names the file's column:
 * the same text with the list refused (an id written 1e2 instead of 100,
 * as long) gives the same message. */
START_TEST(error_columns)
{
    static const char *const layouts[] = {
        "[{\"token\": \"\xc3\xa9t\xc3\xa9\", \"id\": %s}, \"b\"] x",
        "[{\"token\": \"one\", \"id\": %s},\n \"\xc3\xa9\xc3\xa9\"] x",
    };
    for (size_t k = 0; k < 2; k++) {
        char src[200], msg[2][sizeof ((as_error *)0)->msg];
        for (int v = 0; v < 2; v++) {
            snprintf(src, sizeof src, layouts[k], v ? "1e2" : "100");
            char *f = wrap_source(src);
            as_error e;
            ck_assert(load_text(f, &e) == NULL);
            ck_assert_msg(strstr(e.msg, "not valid JSON") != NULL, "%s", e.msg);
            snprintf(msg[v], sizeof msg[v], "%s", e.msg);
            free(f);
        }
        ck_assert_str_eq(msg[0], msg[1]);
    }
}
END_TEST

/* Step lists of lists: each inner list is read. */
START_TEST(step_lists)
{
    const char *text =
        "{\"info\": {}, \"sequence_attributions\": [{\"source\": "
        "[\"s\"], \"target\": [\"a\", \"b\"], \"source_attributions\": null, "
        "\"target_attributions\": null, \"step_scores\": {}, \"sequence_scores\": null}],\n"
        " \"step_attributions\": [{\"source\": [[\"s1\", \"s2\"]], "
        "\"prefix\": [[{\"token\": \"p\", \"id\": 3}]], \"target\": [[\"t\"]], "
        "\"source_attributions\": null, \"target_attributions\": null, \"step_scores\": {}, "
        "\"sequence_scores\": null}]}";
    as_error e;
    as_output *o = load_text(text, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    ck_assert_uint_eq(o->nsteps, 1);
    ck_assert_uint_eq(o->steps[0].nsource, 1);
    ck_assert_uint_eq(o->steps[0].source[0].n, 2);
    ck_assert_str_eq(o->steps[0].source[0].v[1].text, "s2");
    ck_assert_str_eq(o->steps[0].prefix[0].v[0].text, "p");
    ck_assert(o->steps[0].prefix[0].v[0].id == 3);
    ck_assert_str_eq(o->steps[0].target[0].v[0].text, "t");
    attr_output_free(o);
}
END_TEST

/* Every fixture (each inseq version and save option, steps included) and
 * every malformed file reads the same tokens, or fails the same way, with
 * the reader and through jansson's tree alone. */
START_TEST(same_as_tree)
{
    static const char *const dirs[] = {"fixtures/inseq", "bad"};
    size_t checked = 0;
    for (size_t d = 0; d < 2; d++) {
        DIR *dir = opendir(testdata(dirs[d]));
        ck_assert(dir != NULL);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (!strstr(e->d_name, ".json"))
                continue;
            char rel[600];
            snprintf(rel, sizeof rel, "%s/%s", dirs[d], e->d_name);
            size_t len = 0;
            char *data = read_file_all(testdata(rel), &len);
            if (!data)
                continue;   /* a directory */
            as_error ea = {0};
            as_output *a = as_load_buffer(data, len, "input", NULL, &ea);
            ex_tree_tokens((const uint8_t *)data, len, a, &ea);
            attr_output_free(a);
            free(data);
            checked++;
        }
        closedir(dir);
    }
    ck_assert_uint_ge(checked, 40);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("toklist");
    TCase *tc = tcase_create("toklist");
    tcase_add_test(tc, forms);
    tcase_add_test(tc, left_to_loader);
    tcase_add_test(tc, base64_looking_token);
    tcase_add_test(tc, skeleton);
    tcase_add_test(tc, error_columns);
    tcase_add_test(tc, step_lists);
    tcase_add_test(tc, same_as_tree);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
