/* agg_impl.h - internals shared by agg.c, agg_reduce.c and agg_regex.c.
 * Not a public interface: include agg.h instead.
 *
 * Every function returning a tensor returns a new one the caller frees with
 * tensor_free(), or NULL with err set.
 */
#ifndef AS_AGG_IMPL_H
#define AS_AGG_IMPL_H

#include "agg.h"

/* One group of indices along a dimension: [start, start+len); `reduce` says
 * whether the group is a span to reduce (even of length 1) or a single index
 * passed through. */
typedef struct agg_group {
    size_t start, len;
    bool reduce;
} agg_group;

/* Groups for merging spans along a dimension of size n: spans clipped to
 * [0, n), empty ones dropped, gaps become pass-through singles.  *out is
 * malloc'd (caller frees). */
int agg_groups_from_spans(const as_span *spans, size_t nspans, size_t n, agg_group **out,
                          size_t *ngroups, as_error *err);

/* Merges groups along dimension dim of t with fn. */
as_tensor *agg_merge_dim(const as_tensor *t, int dim, const agg_group *g, size_t ng, as_agg_fn fn,
                         double ord, as_error *err);

/* Keeps the index ranges of spans (clipped to the dimension) along dim,
 * concatenated in order. */
as_tensor *agg_take_dim(const as_tensor *t, int dim, const as_span *spans, size_t nspans,
                        as_error *err);

/* Filters the last dimension with sel (validated against its size, errors
 * as inseq's validate_indices) and reduces it with fn unless sel is a single
 * index.  what names the tensor in messages ("source_attributions"). */
as_tensor *agg_reduce_last(const as_tensor *t, const as_select *sel, as_agg_fn fn, double ord,
                           const char *what, as_error *err);

/* In place: L1-normalize along dim 0 over the concatenation of a's and b's
 * rows (either may be NULL), per remaining index; NaN as 0 and kept. */
int agg_normalize(as_tensor *a, as_tensor *b, as_error *err);
/* In place: divide by the largest |x| of both (NaN as 0 and kept). */
void agg_rescale(as_tensor *a, as_tensor *b);

/* Reduces n values at x, x+stride, ... with fn. */
float agg_reduce_vec(const float *x, size_t n, size_t stride, as_agg_fn fn, double ord);

/* Spans of split: regular expression (Python syntax, see agg.h) over the
 * token texts.  *out malloc'd (may be NULL when n is 0). */
int agg_split_spans(const as_tokens *toks, const char *pattern, as_split_mode mode, as_span **out,
                    size_t *n, as_error *err);
/* Rewrites the few Python escapes PCRE2 reads differently (\Z, \v, \uXXXX,
 * \UXXXXXXXX, {,n}); malloc'd result, NULL when out of memory.  *map (when not
 * NULL) gets, per output byte, its position in py (caller frees). */
char *agg_regex_translate(const char *py, size_t **map);

/* agg_apply without the copy: NULL with *identity set when the pipeline
 * computes nothing and out->seqs[seq] stands as the result. */
as_seq *agg_apply_shared(const as_output *out, size_t seq, const as_pipeline *p,
                         const char *weight, bool *identity, as_error *err);

#endif
