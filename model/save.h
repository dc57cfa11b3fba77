/* save.h - writing inseq attribution files.
 *
 * as_save() writes an as_output the way inseq 0.7's
 * FeatureAttributionOutput.save() does (use_primitives=False,
 * ndarray_compact=True): the same JSON text byte for byte (see pyjson.h),
 * `__instance_type__` wrappers, TokenWithId tokens, sequence tensors
 * (attributions, step_scores, sequence_scores) as base64 safetensors blobs
 * in the chosen precision, step_attributions in the `__ndarray__` encoding
 * (float32, "b64:" or, when that saves space in an uncompressed file,
 * "b64.gz:"), and with compress the whole file as one gzip stream with
 * Python's gzip header (mtime 0, no name) at level 5 by default, as inseq's
 * compress=True.  Re-saving a loaded float32 file with the options it was
 * written with gives back the same bytes.
 *
 * Safety: an existing file is never replaced unless force is set.  Each file
 * is written to a temporary file in its directory, flushed to disk (fsync),
 * then moved into place; on any failure the temporary file is removed, the
 * original is left as it was and the error names the file and the cause.
 * With split every part is written before any is moved into place.
 * Writing past the process's file size limit raises SIGXFSZ, which kills a
 * process that does not ignore it; a caller that wants the EFBIG error
 * instead sets SIGXFSZ to SIG_IGN.
 *
 * Large tensors stream straight from tensor memory into the output through a
 * base64 encoder and a second thread that compresses (or writes) while the
 * first encodes; nothing else of the size of the file is held in memory.
 *
 * Ownership: as_save() only reads o; it allocates nothing that outlives the
 * call.  as_save_split_path() returns a string the caller frees.
 */
#ifndef AS_SAVE_H
#define AS_SAVE_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"

typedef enum as_precision {
    AS_PREC_FLOAT32 = 0, /* "F32": inseq's default scores_precision */
    AS_PREC_FLOAT16,     /* "F16": scores_precision="float16" */
    AS_PREC_FLOAT8,      /* "F8_E4M3": scores_precision="float8" */
    AS_PREC_BFLOAT16,    /* "BF16": not offered by inseq, but it loads it */
} as_precision;

typedef struct as_save_opts {
    as_precision precision; /* for sequence tensors; step outputs stay float32 */
    bool compress;          /* whole-file gzip (compress=True) */
    int compress_level;     /* 1..9; 0 means 5, inseq's level */
    bool split;             /* one file per sequence (split_sequences=True) */
    bool force;             /* replace files that exist (overwrite=True) */
    bool no_sync;           /* skip fsync: for throwaway files and benchmarks */
} as_save_opts;

/* Writes o to path (opts may be NULL: float32, plain, no split, no force).
 * With split, the files are as_save_split_path(path, i, compress) for each
 * sequence i, each holding that sequence alone with step_attributions null
 * and info's input_texts / generated_texts cut to its entry (when they hold
 * one entry per sequence).  Returns AS_OK, or an error: AS_EUSAGE when a file
 * exists and force is not set or for bad options, AS_EIO when the system
 * refuses, AS_ENOMEM. */
int as_save(const as_output *o, const char *path, const as_save_opts *opts, as_error *err);

/* The name of split part i: path without a final ".gz" and then ".json",
 * plus "_<i>.json", plus ".gz" when compress ("out.json" -> "out_0.json",
 * "out.json.gz" -> "out_0.json.gz", "out" -> "out_0.json").  NULL when out
 * of memory. */
char *as_save_split_path(const char *path, size_t i, bool compress);

/* "float32" / "float16" / "float8" / "bfloat16" (also "fp32", "f16", "F8_E4M3",
 * ...) to a precision; false when unknown. */
bool as_precision_parse(const char *s, as_precision *out);
/* The safetensors dtype name a precision writes ("F32", "F16", ...). */
const char *as_precision_dtype(as_precision p);

#endif
