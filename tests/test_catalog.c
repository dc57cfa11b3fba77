/* Catalog: many files as one lazily loaded list of sequences. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "testutil.h"

static char dir[256];

static void link_fixture(const char *name, const char *as)
{
    char to[512];
    snprintf(to, sizeof to, "%s/%s", dir, as);
    ck_assert_int_eq(symlink(fixture(name), to), 0);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/attrscope-catalog-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    /* Name order is natural: part_2 before part_10. */
    link_fixture("inseq/encdec_ig_granular.json", "part_10.json");
    link_fixture("inseq/deconly_saliency_granular.json.gz", "part_2.json.gz");
    link_fixture("inseq/encdec_occlusion_coarse.json", "part_1.json");
    char p[512];
    snprintf(p, sizeof p, "%s/notes.txt", dir); /* not an attribution file: ignored */
    FILE *f = fopen(p, "w");
    fputs("hello", f);
    fclose(f);
}

static void teardown(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A truncated file in the directory; its path into path. */
static void write_broken(char *path, size_t n)
{
    snprintf(path, n, "%s/broken.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"sequence_attributions\": [", f);
    fclose(f);
}

START_TEST(directory_lists_in_natural_order)
{
    as_error e = {0};
    const char *paths[] = {dir};
    as_catalog *c = catalog_new(paths, 1, 0, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    ck_assert_uint_eq(catalog_nfiles(c), 3);
    ck_assert_ptr_nonnull(strstr(catalog_file(c, 0), "part_1.json"));
    ck_assert_ptr_nonnull(strstr(catalog_file(c, 1), "part_2.json.gz"));
    ck_assert_ptr_nonnull(strstr(catalog_file(c, 2), "part_10.json"));
    int rc, steps = 0;
    while ((rc = catalog_skim_step(c, NULL, &e)) == 1)
        steps++;
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(steps, 2);
    ck_assert_uint_eq(catalog_nseqs(c), 1 + 2 + 2);
    size_t file, local;
    const as_seq *m = catalog_meta(c, 3, &file, &local);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(file, 2);
    ck_assert_uint_eq(local, 0);
    ck_assert_str_eq(m->source.v[0].text, "\xe2\x96\x81Hello");
    ck_assert_ptr_null(m->source_attr->data);
    ck_assert_uint_eq(m->source_attr->shape[2], 24);
    ck_assert_ptr_null(catalog_meta(c, 5, NULL, NULL));
    /* Full data on demand. */
    const as_output *o = catalog_full(c, 4, &local, NULL, &e);
    ck_assert_msg(o != NULL, "%s", e.msg);
    ck_assert_uint_eq(local, 1);
    ck_assert_ptr_nonnull(o->seqs[1].source_attr->data);
    ck_assert_uint_gt(catalog_loaded_bytes(c), 0);
    catalog_free(c);
}
END_TEST

START_TEST(memory_bound_evicts_least_recent)
{
    as_error e = {0};
    const char *paths[] = {dir};
    as_catalog *c = catalog_new(paths, 1, 1, &e); /* one byte: keep only the current file */
    ck_assert_ptr_nonnull(c);
    while (catalog_skim_step(c, NULL, &e) == 1)
        ;
    size_t local;
    ck_assert_ptr_nonnull(catalog_full(c, 0, &local, NULL, &e));
    size_t one = catalog_loaded_bytes(c);
    ck_assert_uint_gt(one, 0);
    ck_assert_ptr_nonnull(catalog_full(c, 1, &local, NULL, &e));
    const as_output *o = catalog_full(c, 3, &local, NULL, &e);
    ck_assert_ptr_nonnull(o);
    ck_assert_uint_eq(o->nseqs, 2);
    ck_assert_ptr_nonnull(o->seqs[local].source_attr->data);
    /* Back to the first file: it is read again, and it alone is held. */
    ck_assert_ptr_nonnull(catalog_full(c, 0, &local, NULL, &e));
    ck_assert_uint_eq(catalog_loaded_bytes(c), one);
    catalog_free(c);
}
END_TEST

START_TEST(search_and_failures)
{
    as_error e = {0};
    char bad[512];
    write_broken(bad, sizeof bad);
    const char *paths[] = {fixture("inseq/encdec_occlusion_coarse.json"), bad,
                           fixture("inseq/deconly_saliency_granular.json")};
    as_catalog *c = catalog_new(paths, 3, 0, &e);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 1);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), AS_EDATA);
    ck_assert_ptr_nonnull(strstr(e.msg, "broken.json"));
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 0);
    ck_assert_uint_eq(catalog_nfailed(c), 1);
    ck_assert_uint_eq(catalog_nseqs(c), 3);
    size_t file;
    ck_assert_ptr_nonnull(catalog_meta(c, 1, &file, NULL));
    ck_assert_uint_eq(file, 2);
    /* Raw and decoded text both match: "Paris" and " croissants". */
    ck_assert_int_eq(catalog_find(c, 0, "paris", false), 1);
    ck_assert_int_eq(catalog_find(c, 0, "croissants", false), 1);
    ck_assert_int_eq(catalog_find(c, 2, "croissants", false), 1); /* wraps */
    ck_assert_int_eq(catalog_find(c, 0, "giorn", true), 0);
    ck_assert_int_eq(catalog_find(c, 0, "no such text", false), -1);
    catalog_reload(c, false);
    ck_assert_uint_eq(catalog_nseqs(c), 0);
    while (catalog_skim_step(c, NULL, &e) > 0)
        ;
    ck_assert_uint_eq(catalog_nseqs(c), 3);
    catalog_free(c);
}
END_TEST

/* A FIFO, a link to /dev/zero and a subdirectory named .json are not listed;
 * a FIFO given by name is read in the background and cancelled at once by
 * catalog_free() (it would wait for a writer for ever). */
START_TEST(special_files_left_out_and_cancelled)
{
    char p[512];
    snprintf(p, sizeof p, "%s/part_3.json", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    snprintf(p, sizeof p, "%s/part_4.json", dir);
    ck_assert_int_eq(symlink("/dev/zero", p), 0);
    snprintf(p, sizeof p, "%s/part_5.json", dir);
    ck_assert_int_eq(mkdir(p, 0700), 0);
    as_error e = {0};
    const char *paths[] = {dir};
    as_catalog *c = catalog_new(paths, 1, 0, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    ck_assert_uint_eq(catalog_nfiles(c), 3);
    catalog_free(c);

    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/part_3.json", dir);
    const char *two[] = {fixture("inseq/encdec_occlusion_coarse.json"), fifo};
    c = catalog_new(two, 2, 0, &e);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(catalog_skim_start(c, NULL), AS_OK);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 1);   /* the first file */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    catalog_free(c);   /* the thread waits in the FIFO: cancelled */
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    ck_assert_msg(ms < 1000, "catalog_free took %.0f ms", ms);
}
END_TEST

START_TEST(empty_directory_and_missing_file)
{
    as_error e = {0};
    char empty[300];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    ck_assert_int_eq(mkdir(empty, 0700), 0);
    const char *p1[] = {empty};
    ck_assert_ptr_null(catalog_new(p1, 1, 0, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "no .json or .json.gz files"));
    const char *p2[] = {"/nonexistent/x.json"};
    as_catalog *c = catalog_new(p2, 1, 0, &e);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_ne(catalog_skim_step(c, NULL, &e), 1);
    ck_assert_uint_eq(catalog_nseqs(c), 0);
    ck_assert_ptr_nonnull(catalog_first_error(c));
    catalog_free(c);
}
END_TEST

/* Files read on the catalog's thread come into the list in file order,
 * failures counted once each, the same as reading them one by one; reload,
 * a wait for the next file, and freeing while the thread reads all work. */
START_TEST(thread_reads_in_order)
{
    as_error e = {0};
    char bad[512];
    write_broken(bad, sizeof bad);
    /* many files: the thread runs ahead of its queue and waits */
    char *occ = strdup(fixture("inseq/encdec_occlusion_coarse.json"));
    char *dec = strdup(fixture("inseq/deconly_saliency_granular.json"));
    char *ig = strdup(fixture("inseq/encdec_ig_granular.json.gz"));
    const char *paths[100];
    size_t np = 0;
    for (int i = 0; i < 33; i++) {
        paths[np++] = occ;
        paths[np++] = i % 8 == 3 ? bad : dec;
        paths[np++] = ig;
    }
    as_catalog *c = catalog_new(paths, np, 0, &e);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(catalog_skim_start(c, NULL), AS_OK);
    size_t failures = 0;
    int rc;
    for (int spins = 0; (rc = catalog_skim_poll(c, &e)) != 0; spins++) {
        ck_assert_int_lt(spins, 1000000);
        if (rc != 1 || e.code) {
            ck_assert_int_eq(rc, AS_EDATA);
            ck_assert_ptr_nonnull(strstr(e.msg, "broken.json"));
            failures++;
            e = (as_error){0};
        }
        usleep(200);
    }
    ck_assert_uint_eq(catalog_nskimmed(c), np);
    ck_assert_uint_eq(failures, 4);   /* i = 3, 11, 19, 27 */
    ck_assert_uint_eq(catalog_nfailed(c), failures);
    size_t want = 0;
    for (size_t i = 0; i < np; i++)
        want += paths[i] == bad ? 0 : paths[i] == occ ? 1 : 2;
    ck_assert_uint_eq(catalog_nseqs(c), want);
    /* global numbering follows the file order */
    size_t file, local;
    ck_assert_ptr_nonnull(catalog_meta(c, 2, &file, &local));
    ck_assert_uint_eq(file, 1);
    ck_assert_uint_eq(local, 1);
    ck_assert_ptr_nonnull(catalog_meta(c, 3, &file, &local));
    ck_assert_uint_eq(file, 2);
    ck_assert_uint_eq(local, 0);
    ck_assert_ptr_nonnull(catalog_meta(c, 5, &file, &local));
    ck_assert_uint_eq(file, 3);
    ck_assert_uint_eq(local, 0);
    /* reload stops the thread; a new one, and waiting steps, read them again */
    catalog_reload(c, false);
    ck_assert_uint_eq(catalog_nseqs(c), 0);
    ck_assert_int_eq(catalog_skim_start(c, NULL), AS_OK);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 1);
    ck_assert_uint_eq(catalog_nseqs(c), 1);
    ck_assert_int_eq(catalog_skim_step(c, NULL, &e), 1);
    ck_assert_uint_eq(catalog_nseqs(c), 3);
    /* freed while the thread is still reading */
    catalog_free(c);
    free(occ);
    free(dec);
    free(ig);
}
END_TEST

/* Writes text to path, keeping the old modification time when `same_time`
 * (a rewrite that leaves the file's signature as it was, size included). */
static void rewrite(const char *path, const char *text, size_t len, bool same_time)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    FILE *f = fopen(path, "r+");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    if (same_time) {
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
    }
}

static void skim_all(as_catalog *c, bool thread)
{
    as_error e = {0};
    if (thread)
        ck_assert_int_eq(catalog_skim_start(c, NULL), AS_OK);
    while (catalog_skim_step(c, NULL, &e) > 0)
        ;
}

/* A reload of the changed files only takes back, unread, the files whose
 * signature is the same (what a follow of a directory does when a file is
 * added); a full reload reads every file again. */
START_TEST(reload_changed_only_keeps_unchanged_files)
{
    size_t len;
    char *text = read_file_all(fixture("inseq/encdec_occlusion_coarse.json"), &len);
    ck_assert_ptr_nonnull(text);
    char sub[512], a[600], b[600];
    snprintf(sub, sizeof sub, "%s/run", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(a, sizeof a, "%s/a.json", sub);
    snprintf(b, sizeof b, "%s/b.json", sub);
    FILE *f = fopen(a, "w");
    fwrite(text, 1, len, f);
    fclose(f);
    f = fopen(b, "w");
    fwrite(text, 1, len, f);
    fclose(f);
    /* the same bytes but one token, "mondo" becoming "mondx" */
    char *other = malloc(len + 1);
    memcpy(other, text, len + 1);
    for (char *p = other; (p = strstr(p, "mondo")); p += 5)
        p[4] = 'x';

    as_error e = {0};
    const char *paths[] = {sub};
    as_catalog *c = catalog_new(paths, 1, 0, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    skim_all(c, false);
    ck_assert_msg(catalog_nseqs(c) == 2, "%zu sequences: %s", catalog_nseqs(c),
                  catalog_first_error(c) ? catalog_first_error(c) : "");
    const as_seq *a0 = catalog_meta(c, 0, NULL, NULL);
    size_t local;
    const as_output *full_a = catalog_full(c, 0, &local, NULL, &e);
    ck_assert_ptr_nonnull(full_a);

    /* b rewritten behind the signature's back: a changed-only reload keeps
     * what was read of both (the old token), a in memory too */
    rewrite(b, other, len, true);
    catalog_reload(c, true);
    ck_assert_uint_eq(catalog_nseqs(c), 0);
    skim_all(c, true);
    ck_assert_uint_eq(catalog_nseqs(c), 2);
    ck_assert_ptr_eq(catalog_meta(c, 0, NULL, NULL), a0);
    ck_assert_ptr_eq(catalog_full(c, 0, &local, NULL, &e), full_a);
    ck_assert_int_eq(catalog_find(c, 0, "mondx", false), -1);

    /* b's time changes: b alone is read again */
    rewrite(b, other, len, false);
    struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 10, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, b, later, 0), 0);
    catalog_reload(c, true);
    skim_all(c, false);
    ck_assert_ptr_eq(catalog_meta(c, 0, NULL, NULL), a0);
    ck_assert_int_eq(catalog_find(c, 0, "mondx", false), 1);

    /* a full reload reads a again although its signature is the same */
    rewrite(a, other, len, true);
    catalog_reload(c, false);
    skim_all(c, true);
    ck_assert_uint_eq(catalog_nseqs(c), 2);
    ck_assert_int_eq(catalog_find(c, 0, "mondx", false), 0);

    /* a file gone, or failing, is never kept */
    ck_assert_int_eq(unlink(b), 0);
    catalog_reload(c, true);
    skim_all(c, false);
    ck_assert_uint_eq(catalog_nseqs(c), 1);
    ck_assert_uint_eq(catalog_nfailed(c), 1);
    catalog_free(c);
    free(other);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("catalog");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, directory_lists_in_natural_order);
    tcase_add_test(tc, reload_changed_only_keeps_unchanged_files);
    tcase_add_test(tc, memory_bound_evicts_least_recent);
    tcase_add_test(tc, search_and_failures);
    tcase_add_test(tc, empty_directory_and_missing_file);
    tcase_add_test(tc, special_files_left_out_and_cancelled);
    tcase_add_test(tc, thread_reads_in_order);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
