/* viewagg.h - the one seam between the explorer's view and the aggregation
 * pipelines.
 *
 * The view asks for "sequence i under pipeline P weighted by step W" and
 * shows whatever comes back: a 2D coarse result, or a granular /
 * multi-dimensional tensor that it browses dimension by dimension.  In this
 * build only the pipelines `none` and `default` exist, and both give the raw
 * sequence as the file holds it; anything else is reported as an unknown
 * step.  When the aggregation module lands, view_aggregate() and
 * view_agg_check() are the two functions to rewire; the vocabulary below
 * feeds the editor's completion and the step list.
 *
 * Ownership and call order: view_agg_new(out) borrows `out`, which must
 * outlive the context (call view_agg_reset() after replacing it, e.g. on
 * reload).  A result from view_aggregate() stays valid until it is released
 * with view_agg_release() or the context is reset or freed; results that
 * point at the raw sequence own nothing.  Nothing here prints.
 */
#ifndef AS_VIEWAGG_H
#define AS_VIEWAGG_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"

typedef struct view_agg view_agg;

typedef struct view_agg_result {
    const as_seq *seq;   /* what to show; NULL when there is no result */
    as_seq *owned;       /* set when seq was made for this result */
} view_agg_result;

view_agg *view_agg_new(const as_output *out, as_error *err);
void view_agg_free(view_agg *a);
/* Forgets every cached result; out is the (possibly new) output. */
void view_agg_reset(view_agg *a, const as_output *out);

/* Checks a pipeline string without running it: AS_EUSAGE and a message
 * naming the bad step or key when it cannot run.  "" means `none`. */
int view_agg_check(const char *pipeline, as_error *err);

/* Sequence `seq` under `pipeline` (see view_agg_check), then weighted by the
 * step score `weight` (NULL or "" for none).  The view asks again for the
 * same (seq, pipeline, weight) whenever it needs it (changing sequence, the
 * global color range over every sequence), so an implementation should
 * answer repeated requests from a cache. */
int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err);
void view_agg_release(view_agg *a, view_agg_result *res);

/* Vocabulary for completion and the step list.  All strings static. */
typedef struct view_agg_step {
    const char *name;          /* "vnorm", "spans", ... */
    const char *help;          /* one line */
    const char *const *keys;   /* NULL-terminated key names, without '=' */
} view_agg_step;

/* Steps that may start a pipeline segment, in list order. */
const view_agg_step *view_agg_steps(size_t *n);
/* Reduction functions usable after "NAME:" (NULL-terminated). */
const char *const *view_agg_fns(void);
/* The values a key takes when they form a closed set (NULL-terminated), or
 * NULL for free-form values. */
const char *const *view_agg_key_values(const char *key);

#endif
