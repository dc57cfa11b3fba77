/* atomic.h - writing a file so that it appears whole or not at all.
 *
 * atomic_open() creates a temporary file in the destination's directory;
 * atomic_commit() flushes, fsyncs and renames it into place; atomic_abort()
 * removes it.  Without `force` an existing destination is never replaced
 * (checked at open and again, race-free, at the rename).  On any failure the
 * temporary file is removed, the original stays untouched and err says
 * "PATH: what happened".
 *
 * Only regular files are replaced.  A character device or a FIFO (/dev/null,
 * a terminal, a named pipe) is written directly, with or without force,
 * since nothing is replaced; a block device, socket or directory is refused.
 * A symbolic link stays: the file it points to is written (replaced only
 * with force), as the shell's > does; a link to nothing is refused.
 *
 * Call order: atomic_open, then writes to af.f, then exactly one of
 * atomic_commit / atomic_abort.  The path "-" means standard output: no
 * temporary file, commit only flushes.
 */
#ifndef AS_ATOMIC_H
#define AS_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

typedef struct as_atomic {
    FILE *f;          /* where to write */
    char *path;       /* destination (owned) */
    char *tmp;        /* temporary file (owned), NULL for stdout */
    bool force;
    bool direct;      /* a device or FIFO written in place */
} as_atomic;

int atomic_open(as_atomic *af, const char *path, bool force, as_error *err);

/* The pieces, for writers that manage file descriptors themselves (save.c):
 * atomic_tmp_create() opens a new temporary file beside path (with the
 * permissions of the file it will replace, if any) and returns its fd, or -1
 * with err set; *tmp gets its malloc'd name.  atomic_place() moves a finished
 * temporary file to path (never replacing an existing file without force);
 * atomic_sync_dir() makes the move durable. */
int atomic_tmp_create(const char *path, char **tmp, as_error *err);
/* What writing path means, by the rules above: *dest (malloc'd) gets the
 * file to write (the target of a link), *direct whether it is a device or
 * FIFO to write in place; an error when path must not be written. */
int atomic_target(const char *path, bool force, char **dest, bool *direct, as_error *err);
int atomic_place(const char *tmp, const char *path, bool force, as_error *err);
void atomic_sync_dir(const char *path);
int atomic_commit(as_atomic *af, as_error *err);

/* Temporary files made by atomic_tmp_create() are listed until they are
 * moved into place (atomic_place) or removed with atomic_tmp_remove();
 * atomic_tmp_done() forgets one that is gone.  atomic_remove_tmps() removes
 * every listed one and is async-signal-safe: a SIGINT/SIGTERM/SIGHUP
 * handler calls it so that no temporary file outlives the process. */
void atomic_tmp_remove(const char *tmp);
void atomic_tmp_done(const char *tmp);
void atomic_remove_tmps(void);
void atomic_abort(as_atomic *af);

#endif
