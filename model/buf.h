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

typedef struct as_buf {
    char *p;
    size_t len, cap;
    bool oom;
} as_buf;

/* Room for n more bytes and the NUL, growing by doubling from `first`
 * bytes (0: 256); false when out of memory (or after an earlier failure). */
bool as_buf_reserve(as_buf *b, size_t n, size_t first);
void as_buf_add(as_buf *b, const void *s, size_t n);
void as_buf_puts(as_buf *b, const char *s);
void as_buf_putc(as_buf *b, char c);
__attribute__((format(printf, 2, 3))) void as_buf_printf(as_buf *b, const char *fmt, ...);
/* The text (caller frees; "" when nothing was added), *len its length when
 * len is not NULL; NULL after out of memory.  The buffer is empty after. */
char *as_buf_take(as_buf *b, size_t *len);
void as_buf_free(as_buf *b);

#endif
