/* testutil.h - helpers shared by the Check unit tests. */
#ifndef AS_TESTUTIL_H
#define AS_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Path of a fixture: AS_FIXTURES "/" rel, in a static rotating buffer. */
const char *fixture(const char *rel);
/* Path of one of the project's own test data files (tests/data/rel). */
const char *testdata(const char *rel);
/* Reads a whole file; NULL on failure. Caller frees. */
char *read_file_all(const char *path, size_t *len);
/* Runs a suite, returns the exit status for main(). */
int run_suite(Suite *s);

#endif
