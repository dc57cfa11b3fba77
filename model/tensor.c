#include "tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t mem_limit;  /* 0 = not yet computed */
static size_t mem_used;   /* updated atomically */

static size_t default_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psz <= 0)
        return (size_t)8 << 30;
    /* Three quarters of the machine's memory. */
    return (size_t)pages / 4 * 3 * (size_t)psz;
}

void as_mem_set_limit(size_t bytes)
{
    __atomic_store_n(&mem_limit, bytes ? bytes : default_limit(), __ATOMIC_RELAXED);
}

size_t as_mem_limit(void)
{
    size_t l = __atomic_load_n(&mem_limit, __ATOMIC_RELAXED);
    if (!l) {
        l = default_limit();   /* racing first callers compute the same value */
        __atomic_store_n(&mem_limit, l, __ATOMIC_RELAXED);
    }
    return l;
}

size_t as_mem_in_use(void) { return __atomic_load_n(&mem_used, __ATOMIC_RELAXED); }

static int mem_reserve(size_t n, as_error *err)
{
    size_t lim = as_mem_limit();
    size_t now = __atomic_add_fetch(&mem_used, n, __ATOMIC_RELAXED);
    if (now < n || now > lim) {
        __atomic_sub_fetch(&mem_used, n, __ATOMIC_RELAXED);
        return as_error_set(err, AS_ENOMEM,
                            "needs %zu MB more than the memory limit of %zu MB allows "
                            "(%zu MB in use; raise it with --max-memory)",
                            n >> 20, lim >> 20, (now - n) >> 20);
    }
    return AS_OK;
}

void *as_mem_alloc(size_t n, as_error *err)
{
    if (mem_reserve(n, err))
        return NULL;
    void *p = malloc(n ? n : 1);
    if (!p) {
        __atomic_sub_fetch(&mem_used, n, __ATOMIC_RELAXED);
        as_error_set(err, AS_ENOMEM, "out of memory allocating %zu MB", n >> 20);
    }
    return p;
}

void *as_mem_realloc(void *p, size_t old_n, size_t new_n, as_error *err)
{
    if (new_n > old_n && mem_reserve(new_n - old_n, err))
        return NULL;
    void *q = realloc(p, new_n ? new_n : 1);
    if (!q) {
        if (new_n > old_n)
            __atomic_sub_fetch(&mem_used, new_n - old_n, __ATOMIC_RELAXED);
        as_error_set(err, AS_ENOMEM, "out of memory allocating %zu MB", new_n >> 20);
        return NULL;
    }
    if (new_n < old_n)
        __atomic_sub_fetch(&mem_used, old_n - new_n, __ATOMIC_RELAXED);
    return q;
}

void as_mem_free(void *p, size_t n)
{
    if (!p)
        return;
    free(p);
    __atomic_sub_fetch(&mem_used, n, __ATOMIC_RELAXED);
}

bool tensor_shape_numel(int ndim, const size_t *shape, size_t elem_size, size_t *out)
{
    size_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] && n > SIZE_MAX / shape[i])
            return false;
        n *= shape[i];
    }
    if (elem_size && n > SIZE_MAX / elem_size)
        return false;
    *out = n;
    return true;
}

size_t tensor_numel(const as_tensor *t)
{
    size_t n = 1;
    for (int i = 0; i < t->ndim; i++)
        n *= t->shape[i];
    return n;
}

as_tensor *tensor_wrap(int ndim, const size_t *shape, void *base, size_t base_size,
                       float *data, as_error *err)
{
    as_tensor *t = calloc(1, sizeof *t);
    if (!t) {
        as_error_set(err, AS_ENOMEM, "out of memory");
        return NULL;
    }
    t->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        t->shape[i] = shape[i];
    t->base = base;
    t->base_size = base_size;
    t->data = data;
    strcpy(t->dtype, "F32");
    return t;
}

as_tensor *tensor_new(int ndim, const size_t *shape, as_error *err)
{
    size_t n;
    if (ndim < 0 || ndim > AS_MAX_DIMS) {
        as_error_set(err, AS_EDATA, "tensor has %d dimensions (at most %d supported)", ndim,
                     AS_MAX_DIMS);
        return NULL;
    }
    if (!tensor_shape_numel(ndim, shape, sizeof(float), &n)) {
        as_error_set(err, AS_EDATA, "tensor shape overflows");
        return NULL;
    }
    size_t bytes = n * sizeof(float);
    float *d = as_mem_alloc(bytes, err);
    if (!d)
        return NULL;
    as_tensor *t = tensor_wrap(ndim, shape, d, bytes, d, err);
    if (!t)
        as_mem_free(d, bytes);
    return t;
}

as_tensor *tensor_zeros(int ndim, const size_t *shape, as_error *err)
{
    as_tensor *t = tensor_new(ndim, shape, err);
    if (t)
        memset(t->data, 0, tensor_numel(t) * sizeof(float));
    return t;
}

as_tensor *tensor_clone(const as_tensor *t, as_error *err)
{
    as_tensor *c = tensor_new(t->ndim, t->shape, err);
    if (c) {
        memcpy(c->data, t->data, tensor_numel(t) * sizeof(float));
        memcpy(c->dtype, t->dtype, sizeof c->dtype);
    }
    return c;
}

void tensor_free(as_tensor *t)
{
    if (!t)
        return;
    as_mem_free(t->base, t->base_size);
    free(t);
}

char *tensor_shape_str(const as_tensor *t, char *buf, size_t len)
{
    size_t off = 0;
    if (len == 0)
        return buf;
    buf[0] = '\0';
    off += (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < t->ndim && off < len; i++)
        off += (size_t)snprintf(buf + off, len - off, "%s%zu", i ? ", " : "", t->shape[i]);
    if (off < len)
        snprintf(buf + off, len - off, t->ndim == 1 ? ",)" : ")");
    return buf;
}

bool tensor_same_shape(const as_tensor *a, const as_tensor *b)
{
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i])
            return false;
    return true;
}
