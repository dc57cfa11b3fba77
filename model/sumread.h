/* sumread.h - reading files into summary parts on threads of their own.
 *
 * sumread_start() loads the files one after the other on worker threads,
 * each file fully (as_load_file), turns it into a summary part
 * (summary_part_compute) and frees it at once; the caller takes the parts in
 * file order with sumread_next() and adds them to an as_summary.  Workers
 * stay at most `threads` + 16 files ahead of what has been taken (a caller
 * that takes parts now and then, as the explorer between keys, still finds
 * them ready), so memory holds at most `threads` loaded files (one with
 * threads = 1) plus that many small parts.
 *
 * Ownership: the reader copies the file names and the pipeline; parts and
 * messages handed out belong to the caller.  Every call comes from one
 * thread.  sumread_free() stops the workers (a file being loaded is
 * finished first) and frees what was not taken.
 */
#ifndef AS_SUMREAD_H
#define AS_SUMREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "pipeline.h"
#include "summary.h"

typedef struct sum_reader sum_reader;

/* threads 0: no worker - sumread_next() reads the next file itself, in the
 * caller's thread (the cheapest way when the caller only waits: a worker
 * thread's malloc arena gives memory back and faults it in again for every
 * file).  pipeline NULL = "default".  NULL with err when a thread cannot be
 * started or out of memory. */
sum_reader *sumread_start(const char *const *files, size_t n, const as_pipeline *pipeline,
                          int threads, as_error *err);
/* The next file in order: returns 1 with *file set and either *part (the
 * file's part) or *error (malloc'd "FILE: ..." when it could not be read);
 * 0 when every file has been taken; -1 when the next file is not ready yet
 * and wait is false. */
int sumread_next(sum_reader *r, bool wait, size_t *file, sum_part **part, char **error);
/* Files taken so far, and in all. */
size_t sumread_taken(const sum_reader *r);
size_t sumread_total(const sum_reader *r);
void sumread_free(sum_reader *r);

#endif
