/* pipeline.h - the aggregation pipeline language: parsing, canonical
 * formatting and the completion data an editor needs (pipecomplete.h
 * completes with it).
 *
 *   PIPELINE := default | none | STEP ( '|' STEP )*
 *   STEP     := NAME[:FN] { KEY=VALUE }
 *
 * NAME is an aggregator (scores spans subwords split slices pair), a function
 * name (mean max min sum prod absmax vnorm: `scores` with that function) or
 * `default` (the class default steps; see agg.h).  Values may be quoted
 * '...' (literal) or "..." (literal except \" and \\).  Keys:
 *
 *   source_spans=A:B[,A:B...]  target_spans=...   spans, slices
 *   special_chars=C[,C...]  is_suffix_symbol=true|false          subwords
 *   split_pattern=REGEX  split_mode=single|start|end             split
 *   aggregate_source=true|false  aggregate_target=true|false     subwords, split
 *   normalize=true|false  rescale=true|false  select_idx=N|A:B|N,N,...   scores
 *   vnorm_ord=N|inf|-inf      any step whose function is vnorm (or scores)
 *   with=N                    pair (index of the other sequence)
 *
 * A comma separates special_chars symbols, so ',' itself cannot be one.
 *
 * What the parser checks: names, keys valid for the step, value syntax,
 * spans ascending / non-overlapping / non-empty, required keys (split_pattern,
 * with), rescale only with normalize=false.  What needs the data (spans
 * inside the sequence, select_idx in range, with=N in range) is checked when
 * the pipeline is applied (agg.h).
 *
 * Canonical form (pipe_format): steps joined by " | "; a scores step with a
 * function is written as the bare function name ("vnorm"); keys in the order
 * of the table above; values equal to their default are dropped
 * (normalize=true, rescale=false, is_suffix_symbol=false, split_mode=single,
 * vnorm_ord=2, aggregate_source/target=true, special_chars=▁).  Two pipelines
 * with the same canonical form compute the same thing.
 *
 * Ownership: pipe_parse() fills a caller-provided as_pipeline whose members
 * it allocates; release them with pipe_free() (also safe after a failed
 * parse, and on a zeroed struct).  pipe_format() writes into a malloc'd
 * string the caller frees.  The completion tables are static.
 * Nothing here prints.
 */
#ifndef AS_PIPELINE_H
#define AS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* ---- The language, declared once ------------------------------------
 * Parsing, canonical formatting, completion, help and the README's table
 * (pipe_keys_markdown) all come from these three lists.
 *
 * AS_PIPE_KINDS(X): X(ID, name, help) per aggregator; AS_AGG_ID.
 * AS_PIPE_FNS(X):   X(ID, name, help) per function; AS_FN_ID.
 * AS_PIPE_KEYS(X):  X(ID, name, kinds, values, default, help) per key, in
 *   canonical order; AS_KEY_ID.  kinds: the AS_PIPE_ON(KIND) bits of the
 *   steps that take it, AS_PIPE_ON_VNORM for any step whose function is vnorm
 *   (and scores without a function).  values: the closed set of values as
 *   one space-separated string, for completion (NULL: free-form).  default:
 *   the value a step has when the key is not given (NULL: none); the
 *   canonical form leaves such values out. */
#define AS_PIPE_KINDS(X)                                                                         \
    X(SCORES, "scores", "reduce the last dimension (class default function), then normalize")   \
    X(SPANS, "spans", "merge the given token spans (default function absmax)")                  \
    X(SUBWORDS, "subwords", "merge subword tokens into words (default function absmax)")        \
    X(SPLIT, "split", "merge tokens between regular-expression matches (default function absmax)") \
    X(SLICES, "slices", "keep only the given token ranges (generated tokens are always kept)")  \
    X(PAIR, "pair", "difference with another sequence (with=N): other - this")                  \
    X(DEFAULT, "default", "the default aggregation of the sequence's class")

#define AS_PIPE_FNS(X)                                                                           \
    X(MEAN, "mean", "scores with the mean of the last dimension")                               \
    X(MAX, "max", "scores with the maximum of the last dimension")                              \
    X(MIN, "min", "scores with the minimum of the last dimension")                              \
    X(SUM, "sum", "scores with the sum of the last dimension")                                  \
    X(PROD, "prod", "scores with the product of the last dimension")                            \
    X(ABSMAX, "absmax", "scores with the entry of largest magnitude (sign kept)")               \
    X(VNORM, "vnorm", "scores with the vector norm of the last dimension (vnorm_ord, default 2)")

#define AS_PIPE_ON(kind) (1u << AS_AGG_##kind)
#define AS_PIPE_ON_VNORM (1u << 16)

#define AS_PIPE_KEYS(X)                                                                          \
    X(SOURCE_SPANS, "source_spans", AS_PIPE_ON(SPANS) | AS_PIPE_ON(SLICES), NULL, NULL,        \
      "source token spans A:B[,A:B...] (end excluded)")                                         \
    X(TARGET_SPANS, "target_spans", AS_PIPE_ON(SPANS) | AS_PIPE_ON(SLICES), NULL, NULL,        \
      "target token spans A:B[,A:B...] (end excluded)")                                         \
    X(SPECIAL_CHARS, "special_chars", AS_PIPE_ON(SUBWORDS), NULL, "\xe2\x96\x81",              \
      "word-boundary symbols, comma separated")                                                 \
    X(IS_SUFFIX_SYMBOL, "is_suffix_symbol", AS_PIPE_ON(SUBWORDS), "true false", "false",       \
      "true when the symbol marks continuations (## in WordPiece)")                             \
    X(SPLIT_PATTERN, "split_pattern", AS_PIPE_ON(SPLIT), NULL, NULL,                           \
      "regular expression (Python syntax) separating the spans")                                \
    X(SPLIT_MODE, "split_mode", AS_PIPE_ON(SPLIT), "single start end", "single",               \
      "single: matches alone; start: a match opens a span; end: a match closes it")             \
    X(NORMALIZE, "normalize", AS_PIPE_ON(SCORES), "true false", "true",                        \
      "divide each column by its L1 norm")                                                      \
    X(RESCALE, "rescale", AS_PIPE_ON(SCORES), "true false", "false",                           \
      "divide by the largest magnitude (needs normalize=false)")                                \
    X(SELECT_IDX, "select_idx", AS_PIPE_ON(SCORES), NULL, NULL,                                \
      "index N, range A:B or list N,N,... of the last dimension")                               \
    X(VNORM_ORD, "vnorm_ord", AS_PIPE_ON_VNORM, "1 2 inf -inf", "2",                           \
      "order of the vector norm (a number, inf or -inf)")                                       \
    X(AGGREGATE_SOURCE, "aggregate_source", AS_PIPE_ON(SUBWORDS) | AS_PIPE_ON(SPLIT),          \
      "true false", "true", "merge source tokens")                                              \
    X(AGGREGATE_TARGET, "aggregate_target", AS_PIPE_ON(SUBWORDS) | AS_PIPE_ON(SPLIT),          \
      "true false", "true", "merge target tokens")                                              \
    X(WITH, "with", AS_PIPE_ON(PAIR), NULL, NULL, "index of the sequence to pair with")

typedef enum as_agg_kind {
#define AS_X_(id, name, help) AS_AGG_##id,
    AS_PIPE_KINDS(AS_X_)
#undef AS_X_
    AS_AGG_NKINDS
} as_agg_kind;

typedef enum as_agg_fn {
    AS_FN_NONE = 0,     /* not given: the step's (or class's) default */
#define AS_X_(id, name, help) AS_FN_##id,
    AS_PIPE_FNS(AS_X_)
#undef AS_X_
    AS_FN_COUNT
} as_agg_fn;

typedef enum as_split_mode {
    AS_SPLIT_SINGLE = 0,
    AS_SPLIT_START,
    AS_SPLIT_END,
} as_split_mode;

/* Keys, in canonical order; bit (1u << key) in as_pipe_step.set. */
typedef enum as_pipe_key {
#define AS_X_(id, name, kinds, values, def, help) AS_KEY_##id,
    AS_PIPE_KEYS(AS_X_)
#undef AS_X_
    AS_KEY_COUNT
} as_pipe_key;

typedef struct as_span {
    long start, end;            /* half-open [start, end) token indices */
} as_span;

typedef struct as_spans {
    as_span *v;                 /* owned */
    size_t n;
} as_spans;

typedef enum as_select_kind {
    AS_SELECT_NONE = 0,         /* keep every index */
    AS_SELECT_INDEX,            /* one index: taken, nothing reduced */
    AS_SELECT_RANGE,            /* [start, end): kept, then reduced */
    AS_SELECT_LIST,             /* these indices: kept, then reduced */
} as_select_kind;

typedef struct as_select {
    as_select_kind kind;
    long index;                 /* AS_SELECT_INDEX (may be negative) */
    long start, end;            /* AS_SELECT_RANGE (may be negative) */
    long *list;                 /* AS_SELECT_LIST, owned */
    size_t nlist;
} as_select;

typedef struct as_pipe_step {
    as_agg_kind kind;
    as_agg_fn fn;               /* AS_FN_NONE when not given */
    unsigned set;               /* keys given explicitly (1u << as_pipe_key) */
    as_spans source_spans, target_spans;
    char **special_chars;       /* owned strings; NULL = default "▁" */
    size_t nspecial;
    bool is_suffix_symbol;      /* default false */
    char *split_pattern;        /* owned; required for split */
    as_split_mode split_mode;   /* default single */
    bool normalize;             /* default true */
    bool rescale;               /* default false */
    as_select select_idx;
    double vnorm_ord;           /* default 2; may be +-INFINITY */
    bool aggregate_source, aggregate_target;   /* default true */
    long with;                  /* pair: index of the other sequence */
    size_t offset, len;         /* where the step is in the parsed text */
} as_pipe_step;

typedef enum as_pipe_form {
    AS_PIPE_DEFAULT = 0,        /* "default": the class default */
    AS_PIPE_NONE,               /* "none": no aggregation */
    AS_PIPE_STEPS,              /* steps[0..nsteps) */
} as_pipe_form;

typedef struct as_pipeline {
    as_pipe_form form;
    as_pipe_step *steps;        /* owned */
    size_t nsteps;
} as_pipeline;

/* Where a parse error is: step (1-based; 0 when not inside a step) and the
 * byte range of the offending text. */
typedef struct as_pipe_errpos {
    size_t step;
    size_t offset, len;
} as_pipe_errpos;

/* Parses text into *out (which it initialises).  On failure returns
 * AS_EUSAGE with a message such as
 *   "step 2 'spans': unknown key 'foo'; expected one of source_spans, target_spans"
 * and fills *pos when pos is not NULL.  *out is then empty (but still safe to
 * pipe_free). */
int pipe_parse(const char *text, as_pipeline *out, as_pipe_errpos *pos, as_error *err);
void pipe_free(as_pipeline *p);
/* Deep copy; dst is initialised. */
int pipe_copy(as_pipeline *dst, const as_pipeline *src, as_error *err);

/* Canonical text (see above); NULL on allocation failure.  Caller frees. */
char *pipe_format(const as_pipeline *p);
/* One step in canonical form; caller frees. */
char *pipe_format_step(const as_pipe_step *s);
/* Parses and formats: canonical text of a pipeline string, or NULL with err. */
char *pipe_canonical(const char *text, as_error *err);

/* Initialises a step of the given kind with every default. */
void pipe_step_init(as_pipe_step *s, as_agg_kind kind);
void pipe_step_free(as_pipe_step *s);

/* Names. */
const char *pipe_kind_name(as_agg_kind k);     /* "scores", ..., "default" */
const char *pipe_fn_name(as_agg_fn f);         /* "mean", ...; "" for NONE */
const char *pipe_key_name(as_pipe_key k);
bool pipe_fn_parse(const char *name, as_agg_fn *out);
/* The function a step uses when none is given (spans family: absmax; scores:
 * depends on the class, so AS_FN_NONE; slices and pair: AS_FN_NONE). */
as_agg_fn pipe_default_fn(as_agg_kind k);

/* ---- Completion data for an editor (static, NULL-terminated lists). ---- */

/* Every word that may start a step: aggregators, functions, "default",
 * "none". */
const char *const *pipe_step_names(void);
/* The function names. */
const char *const *pipe_fn_names(void);
/* The keys valid for a step named name (an aggregator or a function name,
 * with optional ":FN"); NULL when name is unknown. */
const char *const *pipe_step_keys(const char *name);
/* The values a key can take when they are a closed set (booleans,
 * split_mode); NULL for free-form keys. */
const char *const *pipe_key_values(const char *key);
/* A one-line description of a key or step name ("none" too); NULL when
 * unknown. */
const char *pipe_help(const char *word);
/* The Markdown table of the keys (key, steps, values, default, meaning), as
 * the README shows it; malloc'd, NULL when out of memory. */
char *pipe_keys_markdown(void);
/* Whether a step name accepts ":FN". */
bool pipe_step_takes_fn(const char *name);
/* The key named name; false when there is none. */
bool pipe_key_parse(const char *name, as_pipe_key *out);

#endif
