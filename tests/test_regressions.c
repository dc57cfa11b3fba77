/* test_regressions.c - replays every input the fuzzers once failed on
 * (tests/data/fuzz-regressions/, kept there by fuzz/run.sh) through the same
 * code as the fuzz targets (fuzz/exercise.h): files named pipeline-* go
 * through the pipeline checks, every other file through the loader checks.
 * The malformed files of tests/data/bad, which fuzz/run.sh gives the loader
 * target as seeds, go through the loader checks too, so an invariant that a
 * seed breaks fails here before any fuzzing.
 * A broken invariant aborts; the sanitizer build catches memory errors and
 * leaks; ctest's timeout catches hangs. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/exercise.h"
#include "testutil.h"

#define MAX_FILES 4096

/* Paths relative to tests/data: the regressions, then the bad files. */
static char *names[MAX_FILES];
static size_t nnames;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files of tests/data/DIR, in name order; SKIP (when not
 * NULL) names one file left out. */
static void list_files(const char *dir, const char *skip)
{
    DIR *d = opendir(testdata(dir));
    if (!d)
        return;
    size_t first = nnames;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nnames < MAX_FILES) {
        if (e->d_name[0] == '.' || (skip && !strcmp(e->d_name, skip)))
            continue;
        char rel[600];
        snprintf(rel, sizeof rel, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(testdata(rel), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        names[nnames++] = strdup(rel);
    }
    closedir(d);
    qsort(names + first, nnames - first, sizeof *names, cmp_names);
}

START_TEST(replay)
{
    const char *rel = names[_i];
    size_t len = 0;
    char *data = read_file_all(testdata(rel), &len);
    ck_assert_msg(data != NULL, "cannot read %s", rel);
    if (!strncmp(rel, "fuzz-regressions/pipeline-", 26))
        ex_pipeline_input((const uint8_t *)data, len);
    else
        ex_load_input((const uint8_t *)data, len);
    free(data);
}
END_TEST

/* The replay itself works on a known-good file and a known-bad one. */
START_TEST(replay_smoke)
{
    size_t len = 0;
    char *data = read_file_all(fixture("inseq/encdec_occlusion_coarse.json"), &len);
    ck_assert(data != NULL);
    ex_load_input((const uint8_t *)data, len);
    free(data);
    ex_load_input((const uint8_t *)"{\"sequence_attributions\": [", 27);
    const char *p = "vnorm | spans source_spans=0:2";
    ex_pipeline_input((const uint8_t *)p, strlen(p));
}
END_TEST

int main(void)
{
    /* As the fuzz targets run. */
    as_mem_set_limit(EX_MEM_LIMIT);
    list_files("fuzz-regressions", NULL);
    list_files("bad", "expected.tsv");
    Suite *s = suite_create("regressions");
    TCase *tc = tcase_create("fuzz");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, replay_smoke);
    if (nnames)
        tcase_add_loop_test(tc, replay, 0, (int)nnames);
    suite_add_tcase(s, tc);
    int rc = run_suite(s);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    /* The built-in output of the pipeline checks lives for the process. */
    attr_output_free(ex_tiny());
    return rc;
}
