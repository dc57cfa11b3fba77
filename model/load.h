/* load.h - reading inseq attribution files.
 *
 * Reads every file inseq's FeatureAttributionOutput.save() writes (v0.4-0.7,
 * plain or whole-file gzip, split parts, float16/bfloat16/float8/float64
 * tensors, use_primitives, step_attributions) into an as_output.
 *
 * Bulk tensor text never enters a JSON tree: a streaming scanner decodes long
 * base64 strings and long number lists straight into tensor memory while
 * jansson parses only the small skeleton that remains.
 *
 * Ownership: a returned as_output belongs to the caller, who frees it with
 * attr_output_free().  On failure NULL is returned and err says
 * "FILE: place: what is wrong".
 */
#ifndef AS_LOAD_H
#define AS_LOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "attr.h"

typedef struct as_load_opts {
    /* Called from the loading thread now and then (at most every few MB):
     * bytes of the (possibly compressed) file consumed so far, its total size
     * (0 if unknown), and sequences decoded so far.  May be NULL. */
    void (*progress)(void *ud, uint64_t done, uint64_t total, size_t seqs);
    void *progress_ud;
    /* Skim: read tokens, positions, info and every tensor's shape and dtype,
     * but no tensor data (as_tensor.data is NULL, as_output.skimmed is set).
     * A skim reads base64 without decoding it: for listing many files. */
    bool skim;
    /* When another thread sets *cancel, loading stops soon (within 50 ms
     * while waiting for a FIFO or device, else after the chunk or sequence
     * being decoded) with "reading was cancelled".  May be NULL. */
    const atomic_bool *cancel;
    /* Reads token lists through jansson's tree only, not the fast reader of
     * toklist.h: for tests that check the two read the same. */
    bool tree_tokens;
} as_load_opts;

/* Loads one file; name shown in messages is path. */
as_output *as_load_file(const char *path, const as_load_opts *opts, as_error *err);

/* Loads several files as one output: sequences in argument order, info
 * merged as inseq's merge_attributions (input_texts and generated_texts
 * concatenated).  as_output.files lists the paths, as_seq.file_index
 * points into it. */
as_output *as_load_files(const char *const *paths, size_t n, const as_load_opts *opts,
                         as_error *err);

/* Loads from memory (plain or gzip bytes); name is used in messages. */
as_output *as_load_buffer(const void *buf, size_t len, const char *name,
                          const as_load_opts *opts, as_error *err);

/* Appends src's sequences (and step outputs) to dst and merges info; src is
 * consumed (freed) whether or not this succeeds. */
int as_output_merge(as_output *dst, as_output *src, as_error *err);

#endif
