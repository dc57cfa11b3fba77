/* viewagg.h - the one seam between the explorer's view and the aggregation
 * pipelines (agg.h, pipeline.h).
 *
 * The view asks for "sequence i under pipeline P weighted by step W" and
 * shows whatever comes back: a 2D coarse result, or a granular /
 * multi-dimensional tensor that it browses dimension by dimension.  Results
 * come from one agg_cache per context, so going back to a sequence or a
 * pipeline seen before costs nothing.
 *
 * Ownership and call order: view_agg_new(out) borrows `out`, which must
 * outlive the context; call view_agg_reset() before freeing it when it is
 * replaced (reload): that forgets every cached result.  A result from
 * view_aggregate() stays valid until it is released with view_agg_release()
 * or the context is reset or freed.  At most two results may be held at
 * once (the shown one and one more, e.g. while switching sequence or
 * scanning every sequence for a color range): the context keeps the cache
 * from evicting a result that is still held.  Nothing here prints.
 */
#ifndef AS_VIEWAGG_H
#define AS_VIEWAGG_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "pipeline.h"

typedef struct view_agg view_agg;

typedef struct view_agg_result {
    const as_seq *seq;   /* what to show; NULL when there is no result */
    unsigned slot;       /* the context's record of it (0: none) */
} view_agg_result;

/* max_bytes bounds the cached results (0: agg_cache's default). */
view_agg *view_agg_new(const as_output *out, size_t max_bytes, as_error *err);
void view_agg_free(view_agg *a);
/* Forgets every cached result; out is the (possibly new) output.  Results
 * still held must only be released afterwards. */
void view_agg_reset(view_agg *a, const as_output *out);

/* Parses a pipeline string without running it ("" means `none`):
 * AS_EUSAGE and pipe_parse()'s message ("pipeline: step 2 'spans': unknown
 * key 'foo'; ...") when it cannot run; *pos (may be NULL) then gets the
 * step and byte range of the offending text. */
int view_agg_check(const char *pipeline, as_pipe_errpos *pos, as_error *err);

/* Sequence `seq` under `pipeline`, then weighted by the step score
 * `weight` (NULL or "" for none): agg_cache_get() semantics, errors as agg.h
 * words them ("sequence 0: step 2 'spans': source_spans: ..."). */
int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err);
void view_agg_release(view_agg *a, view_agg_result *res);

/* Where a failed pipeline went wrong, for an editor: the parse position
 * when it does not parse, else the range of step N when msg names one
 * ("step N '...'"), else false. */
bool view_agg_error_pos(const char *pipeline, const char *msg, as_pipe_errpos *pos);

#endif
