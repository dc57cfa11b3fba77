/* err.h - errors as values.
 *
 * Every model/ and render/ function that can fail takes an `as_error *` (which
 * may be NULL when the caller does not care) and returns a non-zero status.
 * The message names the place: "FILE: field.path: what is wrong".  Nothing in
 * model/ or render/ prints or exits; the caller decides how to report.
 */
#ifndef AS_ERR_H
#define AS_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum as_status {
    AS_OK = 0,
    AS_EDATA = 1,   /* bad input data (malformed file, impossible shapes) */
    AS_EUSAGE = 2,  /* bad request (unknown pipeline step, bad option)     */
    AS_ENOMEM = 3,  /* over the memory limit or out of memory              */
    AS_EIO = 4,     /* the operating system refused (open, read, write)    */
};

#define AS_ERROR_MAX 1024

typedef struct as_error {
    int code;                  /* enum as_status */
    char msg[AS_ERROR_MAX];    /* NUL-terminated, no trailing newline */
} as_error;

/* Sets e (if not NULL) and returns code.  printf-style. */
int as_error_set(as_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int as_error_vset(as_error *e, int code, const char *fmt, va_list ap);
/* Prepends "prefix: " to the message already in e (if any). Returns e->code. */
int as_error_prefix(as_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void as_error_clear(as_error *e);

#endif
