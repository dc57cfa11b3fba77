/* attr.h - the attribution output model: what an inseq file holds.
 *
 * Ownership: an as_output owns everything below it (sequences, tokens,
 * tensors, step outputs, info).  attr_output_free() releases it all.  Strings
 * are NUL-terminated UTF-8 as stored in the file (raw token text, never
 * decoded here; see tokens.h for display text).  A token text may contain
 * U+0000 only as the two bytes C0 80 (modified UTF-8), so C strings work.
 *
 * Functions here never print.  See load.h for reading files.
 */
#ifndef AS_ATTR_H
#define AS_ATTR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "tensor.h"

/* The sequence classes of inseq.data.attribution. */
typedef enum as_class {
    AS_CLS_BASE = 0,   /* FeatureAttributionSequenceOutput */
    AS_CLS_GRANULAR,   /* GranularFeatureAttributionSequenceOutput */
    AS_CLS_COARSE,     /* CoarseFeatureAttributionSequenceOutput */
    AS_CLS_MULTIDIM,   /* MultiDimensionalFeatureAttributionSequenceOutput */
} as_class;

typedef struct as_token {
    char *text;        /* raw token string, owned */
    long long id;      /* vocabulary id; -1 = not a vocabulary id */
} as_token;

typedef struct as_tokens {
    as_token *v;       /* owned array of n tokens */
    size_t n;
    char *pool;        /* when not NULL, every text lies in this one allocation
                          (lists read by toklist.h) instead of being its own */
} as_tokens;

/* An ordered name -> tensor map (step_scores, sequence_scores). */
typedef struct as_named {
    char *name;        /* owned */
    as_tensor *t;      /* owned; never NULL */
} as_named;

typedef struct as_scores {
    as_named *v;       /* owned array, file order */
    size_t n;
    bool is_null;      /* the file said null (not {}) */
} as_scores;

typedef struct as_seq {
    as_class cls;
    char *class_name;          /* as in the file, e.g. "GranularFeatureAttributionSequenceOutput" */
    char *class_module;        /* e.g. "inseq.data.attribution"; NULL for primitives */
    as_tokens source, target;
    as_tensor *source_attr;    /* NULL when null/absent */
    as_tensor *target_attr;    /* NULL when null/absent */
    as_scores step_scores;
    as_scores sequence_scores;
    long attr_pos_start;
    long attr_pos_end;
    int file_index;            /* index into as_output.files of where it came from */
} as_seq;

/* One element of step_attributions: batch-first step outputs. */
typedef struct as_step {
    char *class_name;          /* e.g. "GranularFeatureAttributionStepOutput" */
    char *class_module;
    as_tensor *source_attr;    /* (batch, src_len[, extra...]) or NULL */
    as_tensor *target_attr;    /* (batch, prefix_len[, extra...]) or NULL */
    as_scores step_scores;     /* name -> (batch,) */
    as_scores sequence_scores;
    as_tokens *source;         /* batch lists of tokens, or NULL; nbatch_* entries */
    as_tokens *prefix;
    as_tokens *target;
    size_t nsource, nprefix, ntarget;
} as_step;

typedef struct as_output {
    as_seq *seqs;              /* owned array */
    size_t nseqs;
    as_step *steps;            /* owned array, NULL when step_attributions is null */
    size_t nsteps;
    bool steps_null;
    /* The info object, kept losslessly for display and re-saving.  Numbers
     * that JSON cannot hold (NaN, Infinity, -Infinity) are the strings
     * "\0NaN", "\0Infinity", "\0-Infinity" (a NUL byte first); see
     * attr_json_nonfinite().  Owned reference. */
    json_t *info;
    char **files;              /* the file each part came from, owned */
    size_t nfiles;
    /* Loaded with as_load_opts.skim: tensors have shapes but no data. */
    bool skimmed;
    /* Notes made while loading (unknown classes, inferred classes), one per
     * line, owned; NULL when none. */
    char *notes;
} as_output;

/* Class names and defaults (section 3 of the format doc). */
const char *attr_class_name(as_class c);        /* "GranularFeatureAttributionSequenceOutput" */
const char *attr_class_short(as_class c);       /* "granular", "coarse", "multidim", "base" */
/* Parses a class name; returns false when unknown. Accepts step-output names
 * too (GranularFeatureAttributionStepOutput -> GRANULAR). */
bool attr_class_parse(const char *name, as_class *out);
/* The class a rank implies when the file does not say: 2 coarse, 3 granular,
 * 4+ multi-dimensional. */
as_class attr_class_for_rank(int ndim);
/* Name of dimension d (0-based) of a tensor of this class and rank:
 * "Input Tokens", "Generated Tokens", "Embedding Dimension", "Model Layer",
 * "Attention Head"; for other dims "Dimension d". Returns a static string. */
const char *attr_dim_name(as_class c, int ndim, int d);

/* Number of generated columns (attr_pos_end - attr_pos_start). */
size_t attr_seq_ncols(const as_seq *s);
/* Looks up a step score by name; NULL when absent. */
const as_tensor *attr_scores_get(const as_scores *s, const char *name);

/* Non-finite markers inside info (see as_output.info). Returns true and sets
 * *v when j is such a marker. */
bool attr_json_nonfinite(const json_t *j, double *v);
json_t *attr_json_make_nonfinite(double v);

/* Deep copies and frees. */
void attr_tokens_free(as_tokens *t);
int attr_tokens_copy(as_tokens *dst, const as_tokens *src, as_error *err);
void attr_scores_free(as_scores *s);
int attr_scores_copy(as_scores *dst, const as_scores *src, as_error *err);
void attr_seq_free(as_seq *s);               /* frees members, not s itself */
int attr_seq_copy(as_seq *dst, const as_seq *src, as_error *err);
void attr_step_free(as_step *s);             /* frees members, not s itself */
void attr_output_free(as_output *o);         /* frees o itself too */

#endif
