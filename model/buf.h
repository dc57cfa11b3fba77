/* buf.h - the growable byte buffer every writer in model/ and render/ builds
 * its text in.
 *
 * The bytes are always NUL-terminated (p[len] == 0 once anything was
 * reserved).  Out of memory is sticky: after a failed growth every call does
 * nothing and `oom` stays set, so a writer checks once at the end.  Nothing
 * here prints.
 */
#ifndef AS_BUF_H
#define AS_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct as_buf {
    char *p;
    size_t len, cap;
    bool oom;
    /* A counted buffer (as_buf_counted()) grows through as_mem_realloc()
     * against the memory limit (tensor.h) and says in *err why it could
     * not; its memory is given back with as_buf_free(). */
    bool counted;
    as_error *err;
} as_buf;

/* An empty buffer whose memory counts against the memory limit. */
static inline as_buf as_buf_counted(as_error *err)
{
    return (as_buf){.counted = true, .err = err};
}

/* Room for n more bytes and the NUL, growing by doubling from `first`
 * bytes (0: 256); false when out of memory (or after an earlier failure). */
bool as_buf_reserve(as_buf *b, size_t n, size_t first);
void as_buf_add(as_buf *b, const void *s, size_t n);
void as_buf_puts(as_buf *b, const char *s);
void as_buf_putc(as_buf *b, char c);
__attribute__((format(printf, 2, 3))) void as_buf_printf(as_buf *b, const char *fmt, ...);
/* The text (caller frees; "" when nothing was added), *len its length when
 * len is not NULL; NULL after out of memory.  The buffer is empty after.
 * Not for counted buffers. */
char *as_buf_take(as_buf *b, size_t *len);
/* Gives back the room beyond the text (len + 1 bytes stay). */
void as_buf_fit(as_buf *b);

/* A growable array of elements of size el holding room for *cap: returns
 * it with room for at least need elements (capacity doubling from first),
 * updating *cap; NULL when out of memory, and then p is left as it was. */
void *as_array_grow(void *p, size_t *cap, size_t need, size_t el, size_t first);
void as_buf_free(as_buf *b);

#endif
