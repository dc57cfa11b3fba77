/* viewagg.h - the one seam between the explorer's view and its data: the
 * sequences (one output, or a catalog of many files) and the aggregation
 * pipelines (agg.h, pipeline.h).
 *
 * The view asks for "sequence k under pipeline P weighted by step W" and
 * shows whatever comes back: a 2D coarse result, or a granular /
 * multi-dimensional tensor that it browses dimension by dimension.  Results
 * come from one agg_cache per context, so going back to a sequence or a
 * pipeline seen before costs nothing.
 *
 * Two sources:
 *   view_agg_new(out)          one output held in memory: sequences are its
 *                              sequences, all in "file" 0.
 *   view_agg_new_catalog(c)    a catalog (catalog.h): sequence k is the
 *                              catalog's global sequence k; asking for it
 *                              loads its file (catalog_full, with the load
 *                              options given to view_agg_set_load_opts), and
 *                              the catalog may then drop other files.  Only
 *                              sequences already listed (catalog_nseqs)
 *                              exist; the caller skims the rest when it
 *                              likes.  Pipelines that refer to other
 *                              sequences (pair with=N) count within the file.
 *
 * Ownership and call order: the context borrows its source, which must
 * outlive it.  Output source: call view_agg_reset(a, new_out) before freeing
 * the old output when it is replaced (reload).  Catalog source: call
 * view_agg_forget(a) before catalog_reload().  Either forgets every cached
 * result.  A result from view_aggregate() stays valid until it is released
 * with view_agg_release(), or the context is reset, forgotten or freed, or
 * (catalog) a sequence of another file is asked for: results still held
 * then may only be released.  At most two results may be held at once (the
 * shown one and one more, e.g. while switching sequence or scanning the
 * file's sequences for a color range): the context keeps the cache from
 * evicting a result that is still held.  Not thread-safe; nothing here
 * prints.
 */
#ifndef AS_VIEWAGG_H
#define AS_VIEWAGG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "catalog.h"
#include "load.h"
#include "pipeline.h"
#include "tokens.h"

typedef struct view_agg view_agg;

typedef struct view_agg_result {
    const as_seq *seq;   /* what to show; NULL when there is no result */
    unsigned slot;       /* the context's record of it (0: none) */
} view_agg_result;

/* max_bytes bounds the cached results (0: agg_cache's default). */
view_agg *view_agg_new(const as_output *out, size_t max_bytes, as_error *err);
view_agg *view_agg_new_catalog(as_catalog *c, size_t max_bytes, as_error *err);
void view_agg_free(view_agg *a);
/* Output source: forgets every cached result; out is the (possibly new)
 * output.  Results still held must only be released afterwards. */
void view_agg_reset(view_agg *a, const as_output *out);
/* Catalog source: forgets every cached result and what it knows of the
 * files (call before catalog_reload). */
void view_agg_forget(view_agg *a);
/* Options for loading files (progress callback); copied.  NULL: none. */
void view_agg_set_load_opts(view_agg *a, const as_load_opts *lo);

/* ---- the sequences ------------------------------------------------- */

/* Sequences there are (a catalog's grow while it is skimmed). */
size_t view_agg_nseqs(const view_agg *a);
/* The stored sequence k before any pipeline: tokens, positions, step-score
 * names, class, tensor shapes (tensor data may be absent: catalog).  NULL
 * when k does not exist. */
const as_seq *view_agg_meta(const view_agg *a, size_t k);
/* The file holding sequence k; *first and *count (may be NULL) get the
 * global index of its first sequence and how many it holds. */
size_t view_agg_file(const view_agg *a, size_t k, size_t *first, size_t *count);
size_t view_agg_nfiles(const view_agg *a);
/* The path of a file (NULL for an output read from memory). */
const char *view_agg_file_path(const view_agg *a, size_t file);
/* The info object of a file (NULL when not known). */
const json_t *view_agg_info(const view_agg *a, size_t file);
/* The full output of the file last aggregated from (the one shown), or NULL;
 * valid as long as results from it are. */
const as_output *view_agg_loaded(const view_agg *a);
/* The token decoding of sequence k's file: what tokens_resolve(TOKENS_AUTO)
 * finds for it, worked out once per file. */
tokens_mode view_agg_token_mode(view_agg *a, size_t k);
/* The first sequence at or after `from` (before it, backwards), wrapping,
 * whose raw or decoded token text contains needle (case-insensitive for
 * ASCII); -1 when none.  catalog_find() for a catalog. */
long view_agg_find(view_agg *a, size_t from, const char *needle, bool backwards);

/* ---- aggregation --------------------------------------------------- */

/* Parses a pipeline string without running it ("" means `none`):
 * AS_EUSAGE and pipe_parse()'s message ("pipeline: step 2 'spans': unknown
 * key 'foo'; ...") when it cannot run; *pos (may be NULL) then gets the
 * step and byte range of the offending text. */
int view_agg_check(const char *pipeline, as_pipe_errpos *pos, as_error *err);

/* Sequence `seq` under `pipeline`, then weighted by the step score
 * `weight` (NULL or "" for none): agg_cache_get() semantics, errors as agg.h
 * words them ("sequence 0: step 2 'spans': source_spans: ...", the sequence
 * counted in its file) or as loading a file does. */
int view_aggregate(view_agg *a, size_t seq, const char *pipeline, const char *weight,
                   view_agg_result *res, as_error *err);
void view_agg_release(view_agg *a, view_agg_result *res);

/* Where a failed pipeline went wrong, for an editor: the parse position
 * when it does not parse, else the range of step N when msg names one
 * ("step N '...'"), else false. */
bool view_agg_error_pos(const char *pipeline, const char *msg, as_pipe_errpos *pos);

#endif
