/* agg.h - aggregation of attribution sequences, as inseq computes it.
 *
 * Applies a pipeline (pipeline.h) to one sequence of an as_output and
 * returns a new as_seq with the aggregated source/target attributions, step
 * scores, sequence scores, tokens (merged tokens are the concatenated texts
 * with id -1) and attr_pos_start/end.  Numbers equal inseq's (float32
 * storage, double accumulation as torch does on CPU): on the goldens the
 * largest difference is about 1e-7.
 *
 * Steps (see section 3 of the format document for the exact semantics):
 *   scores    reduce the last dimension with a function (optionally after
 *             select_idx), then normalize (default) or rescale.  Needs at
 *             least one extra dimension: reducing a 2D tensor is an error.
 *   spans     merge token spans (rows, and the generated columns they cover).
 *   subwords  spans found from token text (special_chars, is_suffix_symbol).
 *   split     spans found with a regular expression (see below).
 *   slices    keep only token ranges; generated tokens are always kept.
 *   pair      other - this, for sequence `with`: the other sequence first
 *             goes through the steps before the pair step (and the weight).
 *   default   the class default, expanded where it stands, from the rank of
 *             the attributions at that point: granular -> vnorm;
 *             multi-dimensional -> mean once per extra dimension; coarse ->
 *             nothing; base -> nothing when 2D, else by rank (3D: vnorm,
 *             4D+: mean per extra dim); any class whose attributions are
 *             already 2D (or absent) -> nothing.
 * `scores` without a function uses vnorm for granular (and 3D base) data and
 * mean otherwise.
 *
 * Weight (weight_attributions): when a weight step-score name is given, the
 * sequence first gets its class default aggregation, then column j of the
 * source and target attributions is multiplied by step_scores[name][j]; the
 * pipeline then runs on that result with `default` meaning nothing (as inseq
 * empties the aggregator after weighting).  So "default" + weight equals
 * inseq's weight_attributions(name).
 *
 * Differences from inseq, all where inseq crashes or is inconsistent:
 * spans are validated against each step's own input (inseq checks every step
 * of a pipeline against the original sequence); slices without spans keep
 * every source token; a slices target span that starts after
 * attr_pos_start is an error (inseq would drop generated tokens and corrupt
 * attr_pos_start); attr_pos_end after slices is attr_pos_start + columns;
 * empty regular-expression matches are skipped (inseq raises TypeError);
 * spans:vnorm honours vnorm_ord; the `scores` default function does not
 * depend on which classes were created before (inseq mutates a global).
 *
 * split_pattern: a Python `re` pattern, matched with PCRE2 (UTF and Unicode
 * property mode, first-match alternation, lazy quantifiers, lookaround,
 * named groups and back references, inline flags) over the concatenated
 * token text, in characters, as re.finditer does (after an empty match the
 * next one may start at the same place if it is not empty).  The Python
 * spellings PCRE2 reads otherwise are rewritten first: \Z (the very end),
 * \v (the vertical tab only), \uXXXX, \UXXXXXXXX and {,n}.  Differences
 * from `re`:
 *   - PCRE2's own extensions are accepted too (possessive quantifiers and
 *     atomic groups as in Python 3.11, \h \R \K \X \p{..}, [[:alpha:]]);
 *   - \N{name}, and the flags (?a) (?L) (?u), are errors;
 *   - \d \w \s \b follow PCRE2's Unicode properties (\w: letters, numbers,
 *     underscore), which agree with Python's except on a few characters
 *     (\s does not match \x1c-\x1f);
 *   - matching that backtracks more than 10 million times (or nests deeper
 *     than PCRE2's depth and heap limits) fails with a message instead of
 *     running for minutes.
 *
 * NaN semantics follow torch: sum, prod, mean, max, min and vnorm propagate
 * NaN (vnorm_ord=0 counts NaN as non-zero); absmax picks the entry of largest
 * |x| with NaN counted as 0 (and +-inf as +-FLT_MAX), the first on ties, and
 * returns it with its sign (so an all-NaN run gives NaN); normalize treats
 * NaN as 0 in the L1 norm and keeps NaN entries NaN; rescale divides by the
 * largest |x| (NaN as 0).
 *
 * Ownership: agg_apply() returns a new as_seq the caller releases with
 * agg_seq_free().  agg_cache_get() returns a borrowed pointer owned by the
 * cache (see below).  agg_scores_dicts() returns a new jansson reference.
 * Nothing here prints.  Functions are reentrant; large reductions use up to
 * AGG_MAX_THREADS worker threads internally.
 */
#ifndef AS_AGG_H
#define AS_AGG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"
#include "pipeline.h"
#include "tensor.h"

#define AGG_MAX_THREADS 8

/* Applies pipeline p to out->seqs[seq].  weight is a step-score name or NULL.
 * Returns a new sequence or NULL with err set, e.g.
 *   "sequence 0: step 2 'spans': source_spans: span 4:12 goes past the end
 *    of the source (10 tokens)". */
as_seq *agg_apply(const as_output *out, size_t seq, const as_pipeline *p, const char *weight,
                  as_error *err);
/* The same with the pipeline as text (parsed with pipe_parse). */
as_seq *agg_apply_str(const as_output *out, size_t seq, const char *pipeline, const char *weight,
                      as_error *err);
/* Frees a sequence returned by agg_apply (members and the struct). */
void agg_seq_free(as_seq *s);

/* The steps the class default expands to for this sequence, as a pipeline
 * (AS_PIPE_NONE when nothing), and as canonical text ("vnorm",
 * "mean | mean", "none"; caller frees). */
int agg_default_pipeline(const as_seq *s, as_pipeline *out, as_error *err);
char *agg_default_text(const as_seq *s);

/* inseq's weight_attributions(name) for one sequence: default aggregation,
 * then column j times step_scores[name][j].  New sequence or NULL + err. */
as_seq *agg_weight(const as_seq *s, const char *name, as_error *err);
/* AS_OK when s has the step score `name`; else AS_EUSAGE with "weight: there
 * is no step score 'probabilty'; did you mean 'probability'? (step scores:
 * entropy, probability)" (the guess only when one is near). */
int agg_weight_check(const as_seq *s, const char *name, as_error *err);

/* The check a display needs at the end: source and target attributions (when
 * present) are 2-dimensional.  Returns AS_OK or AS_EUSAGE with a message
 * naming the shape. */
int agg_check_2d(const as_seq *s, as_error *err);

/* inseq's minimum / maximum: min(0, nanmin) and max(0, nanmax) over source
 * and target attributions, over the finite values only (range.h: a +-inf
 * cell does not set the range, it takes the strongest color of its sign). */
double agg_minimum(const as_seq *s);
double agg_maximum(const as_seq *s);

/* inseq's get_scores_dicts() for an (already aggregated, 2D) sequence:
 *   {"source_attributions": {"j:gen": {"i:src": v, ...}, ...},
 *    "target_attributions": {"j:gen": {"i:tgt": v, ...}, ...},
 *    "step_scores": {"j:gen": {"name": v, ...}, ...}}
 * for generated positions j in [attr_pos_start, attr_pos_end); target rows
 * run over [0, attr_pos_end).  Keys are "index:token" (raw token text);
 * NaN and infinities are the markers of attr_json_make_nonfinite().  Absent
 * attributions give {}.  Needs agg_check_2d(); NULL + err otherwise. */
json_t *agg_scores_dicts(const as_seq *s, as_error *err);

/* Reduces dimension dim (negative counts from the end) of t with fn
 * (vnorm uses ord).  New tensor with that dimension removed, or NULL + err
 * ("dimension 3 does not exist in a tensor of shape (10, 11, 24)").
 * AS_FN_NONE means mean. */
as_tensor *agg_tensor_reduce(const as_tensor *t, int dim, as_agg_fn fn, double ord, as_error *err);

/* ---- Cache ----------------------------------------------------------
 * Results per (output, sequence index, canonical pipeline, weight).  Entries
 * are evicted least recently used first once their total size exceeds the
 * bound; the entry being returned and the one returned by the call before
 * it are never evicted, so two results may be held at once (e.g. side by
 * side).  Pipelines that aggregate nothing ("none", coarse "default") return
 * the output's own sequence and cost nothing.
 *
 * A pointer from agg_cache_get() stays valid until its entry is evicted (at
 * the earliest two calls later), or agg_cache_clear/forget/free.  The cache
 * does not own the outputs: call agg_cache_forget(c, out) before freeing an
 * output that was used with it.  Not thread-safe: one cache per thread. */
typedef struct agg_cache agg_cache;

/* max_bytes 0 = default (a quarter of as_mem_limit()). NULL when out of memory. */
agg_cache *agg_cache_new(size_t max_bytes);
void agg_cache_free(agg_cache *c);
void agg_cache_clear(agg_cache *c);
void agg_cache_forget(agg_cache *c, const as_output *out);
const as_seq *agg_cache_get(agg_cache *c, const as_output *out, size_t seq, const char *pipeline,
                            const char *weight, as_error *err);

typedef struct agg_cache_stats {
    size_t hits, misses, evictions;
    size_t entries, bytes, max_bytes;
} agg_cache_stats;
void agg_cache_get_stats(const agg_cache *c, agg_cache_stats *st);

/* Bytes held by a sequence's tensors and token texts (what the cache counts). */
size_t agg_seq_bytes(const as_seq *s);

#endif
