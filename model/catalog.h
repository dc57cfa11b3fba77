/* catalog.h - many attribution files as one list of sequences, loaded lazily.
 *
 * A dataset run writes hundreds of files.  A catalog lists them (directories
 * are expanded to the regular .json / .json.gz files they hold, or links to
 * such files, in name order; FIFOs and devices are left out), skims
 * them one at a time (tokens, positions and shapes, no tensor data; see
 * as_load_opts.skim) so the sequence list can be shown and searched, and
 * fully loads a file only when one of its sequences is looked at.  Fully
 * loaded files are kept while they fit in a memory bound, least recently used
 * first out.
 *
 * Sequences are numbered globally in file order (file 0's sequences, then
 * file 1's, ...) among the files skimmed so far; skimming happens in file
 * order, so numbers never change once given.
 *
 * Call order: catalog_new(); catalog_skim_step() until it returns 0 (the
 * caller may interleave it with other work, e.g. between key presses, and
 * report progress with catalog_nskimmed()); catalog_meta() / catalog_full()
 * for sequences below catalog_nseqs(); catalog_free().  Or, to keep the
 * caller's thread free: catalog_skim_start() reads the files on a thread of
 * its own, and catalog_skim_poll() adds those read so far to the list
 * without waiting (catalog_skim_step() then waits for the next one).
 *
 * Ownership: the catalog owns every output it returns; a pointer from
 * catalog_full() stays valid until the next catalog_full() call for another
 * file, or catalog_free().  Not thread-safe: every call comes from one
 * thread (the reading thread is the catalog's own and touches nothing the
 * calls read).
 */
#ifndef AS_CATALOG_H
#define AS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"
#include "load.h"
#include "tokens.h"

typedef struct as_catalog as_catalog;

/* What tells a rewritten file from an unchanged one without reading it:
 * size, modification time (ns), inode and device. */
typedef struct as_filesig {
    long long size, mtime_ns, ino, dev;
} as_filesig;
/* false when path cannot be stat()ed or is not a regular file. */
bool catalog_filesig(const char *path, as_filesig *sig);
bool catalog_filesig_same(const as_filesig *a, const as_filesig *b);
/* Whether a directory entry is listed: a .json or .json.gz name not
 * starting with a dot. */
bool catalog_wanted(const char *name);

/* Lists the files: paths are files or directories (not recursive).
 * max_bytes bounds the fully loaded files kept (0 = a quarter of
 * as_mem_limit(); the file being viewed is always kept). */
as_catalog *catalog_new(const char *const *paths, size_t n, size_t max_bytes, as_error *err);
void catalog_free(as_catalog *c);

size_t catalog_nfiles(const as_catalog *c);
const char *catalog_file(const as_catalog *c, size_t i);

/* Reads the next file not read yet.  Returns 1 when files remain, 0 when
 * all are read, or an error code (err says "FILE: what"); a file that fails
 * is left out of the list and the next call goes on with the next file. */
int catalog_skim_step(as_catalog *c, const as_load_opts *opts, as_error *err);
size_t catalog_nskimmed(const as_catalog *c);
/* Starts reading the remaining files on a thread of the catalog's (up to a
 * few files ahead of what has been taken).  AS_OK, or an error code when no
 * thread could be started (catalog_skim_step() still works). */
int catalog_skim_start(as_catalog *c, const as_load_opts *opts);
/* Adds the files the thread has read to the list, without waiting: 1 when
 * files remain, 0 when all are in, or a file's error code as
 * catalog_skim_step() (one failure per call). */
int catalog_skim_poll(as_catalog *c, as_error *err);
/* Files that failed to load, and the first error. */
size_t catalog_nfailed(const as_catalog *c);
const char *catalog_first_error(const as_catalog *c);

/* Sequences among the files read so far. */
size_t catalog_nseqs(const as_catalog *c);
/* Metadata of global sequence k: tokens, positions, class and tensor shapes
 * (tensor data may be NULL).  *file gets its file index, *local its index in
 * that file (either may be NULL). */
const as_seq *catalog_meta(const as_catalog *c, size_t k, size_t *file, size_t *local);
/* The info object of a file. */
const json_t *catalog_info(const as_catalog *c, size_t file);
/* The token decoding found for a file once it is skimmed (TOKENS_NONE before). */
tokens_mode catalog_token_mode(const as_catalog *c, size_t file);

/* The fully loaded output holding global sequence k, loading it if needed;
 * *local gets the sequence's index in it.  NULL with err on failure. */
const as_output *catalog_full(as_catalog *c, size_t k, size_t *local, const as_load_opts *opts,
                              as_error *err);
/* Forgets loaded and skimmed data so files are read again from disk
 * (reload); keeps the list of files.  changed_only keeps what was read of
 * the files whose signature (below) is the same as when they were read:
 * skimming takes them back without reading them. */
void catalog_reload(as_catalog *c, bool changed_only);
/* Lists paths again (as catalog_new) and adds the files not in the list
 * yet after the others (a directory a run is still writing to); *added gets
 * how many.  Call it after catalog_reload(), before reading again. */
int catalog_add_new(as_catalog *c, const char *const *paths, size_t n, size_t *added,
                    as_error *err);

/* The first global sequence at or after `from` (before, when backwards),
 * wrapping around, whose raw or decoded token text contains needle
 * (case-insensitive for ASCII); -1 when none. */
long catalog_find(const as_catalog *c, size_t from, const char *needle, bool backwards);

/* Bytes of fully loaded data held now. */
size_t catalog_loaded_bytes(const as_catalog *c);

#endif
