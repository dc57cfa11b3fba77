/* tensor.h - N-dimensional float32 tensors.
 *
 * A tensor owns its data: row-major float32, NaN kept as NaN.  Whatever the
 * dtype in the file (F16, BF16, F8_E4M3, F64, int...), data is widened to
 * float32 on load; `dtype` records the stored name for display ("F32",
 * "float16", ...).
 *
 * Ownership: tensor_new*() and tensor_clone() return a tensor the caller frees
 * with tensor_free().  `data` may point inside `base` (a decoded blob); only
 * tensor_free() releases it.  Tensors are never shared between owners.
 */
#ifndef AS_TENSOR_H
#define AS_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define AS_MAX_DIMS 8

typedef struct as_tensor {
    int ndim;                   /* 0 (scalar) .. AS_MAX_DIMS */
    size_t shape[AS_MAX_DIMS];
    float *data;                /* numel() floats, row-major */
    char dtype[16];             /* dtype as stored in the file */
    void *base;                 /* allocation that holds data (owned) */
    size_t base_size;           /* bytes of base, as counted by as_mem_* */
} as_tensor;

/* Product of the shape; 1 for a scalar. */
size_t tensor_numel(const as_tensor *t);
/* Checked product of a shape into *out (number of elements): returns false on
 * overflow or when the byte size (times elem_size) would exceed SIZE_MAX. */
bool tensor_shape_numel(int ndim, const size_t *shape, size_t elem_size, size_t *out);

/* New tensor with uninitialised (tensor_new) or zeroed (tensor_zeros) data.
 * Fails with AS_ENOMEM when over the memory limit (see as_mem_*) or on
 * allocation failure, with AS_EDATA when the shape overflows. */
as_tensor *tensor_new(int ndim, const size_t *shape, as_error *err);
as_tensor *tensor_zeros(int ndim, const size_t *shape, as_error *err);
/* Wraps an existing allocation: data points inside base, base is taken over. */
as_tensor *tensor_wrap(int ndim, const size_t *shape, void *base, size_t base_size,
                       float *data, as_error *err);
as_tensor *tensor_clone(const as_tensor *t, as_error *err);
void tensor_free(as_tensor *t);

/* "(600, 200, 1024)" into buf; returns buf. */
char *tensor_shape_str(const as_tensor *t, char *buf, size_t len);
bool tensor_same_shape(const as_tensor *a, const as_tensor *b);

/* Memory accounting for large allocations (tensors, decoded blobs).
 * The limit is process-wide; 0 means the default (a fraction of RAM). */
void as_mem_set_limit(size_t bytes);
size_t as_mem_limit(void);
/* Allocates n bytes counted against the limit; NULL (and err set) when over. */
void *as_mem_alloc(size_t n, as_error *err);
void *as_mem_realloc(void *p, size_t old_n, size_t new_n, as_error *err);
void as_mem_free(void *p, size_t n);
size_t as_mem_in_use(void);

#endif
