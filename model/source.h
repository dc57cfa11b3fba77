/* source.h - byte sources for the loader: a file or a memory buffer, plain
 * or gzip (detected by the magic bytes 1f 8b, never by the name), delivered
 * as a sequence of chunks.
 *
 * File sources read (and inflate) on a producer thread so that the consumer
 * can decode while the next chunk is read.  Chunks are borrowed: a chunk
 * returned by src_next() stays valid until the following src_next() or
 * src_close().
 *
 * Call order: src_open_file() or src_open_mem(), then src_next() until it
 * returns a zero-length chunk (end) or an error, then src_close() always.
 */
#ifndef AS_SOURCE_H
#define AS_SOURCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct as_source as_source;

/* Opens path; refuses directories and empty files with a clear message.
 * A FIFO, device or socket is opened without blocking and read as data
 * arrives.  When cancel (may be NULL) becomes true, reading stops within
 * 50 ms with "reading was cancelled" (AS_EIO). */
as_source *src_open_file(const char *path, const atomic_bool *cancel, as_error *err);
/* Wraps a buffer the caller keeps alive until src_close(). */
as_source *src_open_mem(const void *buf, size_t len, as_error *err);

/* Next chunk: *p and *n set; *n == 0 at the end.  Returns AS_OK or an error
 * (read failure, truncated or corrupt gzip stream). */
int src_next(as_source *s, const uint8_t **p, size_t *n, as_error *err);

bool src_is_gzip(const as_source *s);
/* Bytes of the underlying file consumed so far, and its size (compressed
 * sizes for gzip). */
uint64_t src_done(const as_source *s);
uint64_t src_total(const as_source *s);
/* Bytes ignored after the end of the last gzip member (0 if none). */
uint64_t src_trailing(const as_source *s);

/* Memory sources only, before the first src_next(): deliver at most n bytes
 * per chunk (n > 0), so that tests can put chunk boundaries anywhere. */
void src_set_max_chunk(as_source *s, size_t n);

void src_close(as_source *s);

#endif
