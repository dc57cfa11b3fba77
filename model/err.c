#include "err.h"

#include <stdio.h>
#include <string.h>

int as_error_vset(as_error *e, int code, const char *fmt, va_list ap)
{
    if (e) {
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    }
    return code;
}

int as_error_set(as_error *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_error_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int as_error_prefix(as_error *e, const char *fmt, ...)
{
    if (!e)
        return AS_EDATA;
    char pre[AS_ERROR_MAX], old[AS_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old);
    return e->code;
}

void as_error_clear(as_error *e)
{
    if (e) {
        e->code = AS_OK;
        e->msg[0] = '\0';
    }
}
