/* html.h - HTML pages of attributions: inseq's heatmap tables, the granular
 * (multi-dimensional) explorer and the tokens view, as standalone pages.
 *
 * Writing goes through an html_out: a buffered sink to a FILE* or to memory.
 * Errors in the sink are sticky: the writers keep going silently after the
 * first failure and html_out_flush() / html_out_take() report it, so callers
 * check once at the end.
 *
 * Inputs are model types taken as const and never changed.  The heatmap and
 * tokens views need already-aggregated sequences: source_attr (S, G) and
 * target_attr (T, G) 2D, where column j belongs to
 * target[attr_pos_start + j] and G = attr_pos_end - attr_pos_start; step
 * scores have G values.  The granular view takes tensors with extra
 * dimensions: (S, G, extra...).
 *
 * Token text: by default the raw token string; a label callback may supply
 * display text instead (it is called once per token shown and its result is
 * copied before the next call).  All text is escaped here; invalid UTF-8,
 * NUL (stored as C0 80) and control characters are shown as U+FFFD.
 *
 * Call order: html_out_file()/html_out_mem(), one or more page writers,
 * then html_out_flush() (file) or html_out_take() (memory), then
 * html_out_free().  Nothing here prints or exits.
 */
#ifndef AS_HTML_H
#define AS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

#include "attr.h"
#include "compare.h"
#include "range.h"
#include "err.h"
#include "tokens.h"

/* ---- the sink ---------------------------------------------------------- */

typedef struct html_out {
    FILE *f;            /* destination; NULL in memory mode */
    as_buf b;           /* owned buffer (in file mode, drained at OUT_CHUNK) */
    size_t total;       /* bytes written through the sink so far */
    int status;         /* first error (enum as_status), AS_OK if none */
    int sys_errno;      /* errno of the first write error */
} html_out;

/* Buffered writing to f (not closed here). */
void html_out_file(html_out *o, FILE *f);
/* Writing to a growing memory buffer. */
void html_out_mem(html_out *o);
/* File mode: writes out the buffer; memory mode: no-op.  Returns the sticky
 * status and sets err ("writing HTML: ...") when not AS_OK. */
int html_out_flush(html_out *o, as_error *err);
/* Memory mode: hands over the NUL-terminated buffer (caller frees with
 * free()) and its length; NULL (err set) after a failure.  The sink is empty
 * afterwards. */
char *html_out_take(html_out *o, size_t *len, as_error *err);
/* Releases the internal buffer (does not flush). */
void html_out_free(html_out *o);

/* Raw bytes, no escaping (markup the caller wrote). */
void html_put(html_out *o, const char *s, size_t n);
void html_puts(html_out *o, const char *s);
/* Text or attribute value: escapes & < > " ' and sanitises UTF-8. */
void html_text(html_out *o, const char *s);
void html_text_n(html_out *o, const char *s, size_t n);
/* A JSON string literal (with quotes) that is safe anywhere inside a
 * <script> element: < > & are \u003c \u003e \u0026, U+2028 / U+2029 are
 * escaped, control characters too (C0, DEL and C1); invalid UTF-8 becomes
 * \ufffd and the stored NUL (C0 80) \u0000. */
void html_json_str(html_out *o, const char *s);
/* Standard base64 (with padding) of n bytes. */
void html_base64(html_out *o, const void *data, size_t n);
/* Python's repr(round(v, 3)) for a float32 value: "1.456", "-0.0", "1.0",
 * "0.1", "nan", "inf", "1e+16".  See html_fmt_round3. */
void html_round3(html_out *o, float v);
/* Unsigned decimal. */
void html_uint(html_out *o, size_t v);

/* Formats repr(round(v, 3)) into buf (at least 32 bytes), returns length.
 * Python rounds the exact binary value half to even; a float32 times 1000 is
 * exact in double, so nearbyint() gives the same digits. */
size_t html_fmt_round3(char *buf, float v);
/* inseq's ordinal: "0th", "1st", "2nd", "3rd", "11th", "21st" into buf (at
 * least 32 bytes). */
const char *html_ordinal(char *buf, size_t n);

/* ---- common options ---------------------------------------------------- */

/* Display text of a token; the result is copied before the next call. */
typedef const char *(*html_label_fn)(void *ud, const as_token *tok);

/* A label function showing tokens as the terminal does (tokens_label in
 * the labeler's mode): pass html_label_decoded with an html_labeler. */
typedef struct html_labeler {
    tokens_mode mode;
    char buf[4096];
} html_labeler;
const char *html_label_decoded(void *ud, const as_token *tok);

typedef struct html_common {
    const char *title;        /* page <title> and heading; NULL = "attrscope" */
    html_label_fn label;      /* NULL = raw token text */
    void *label_ud;
    /* Color range.  Unset bounds are inferred per view (see each writer);
     * when only one is set the other is its negation. */
    bool has_min, has_max;
    double min_val, max_val;
} html_common;

/* ---- heatmap view (inseq's show(return_html=True)) --------------------- */

typedef struct html_heatmap_opts {
    html_common c;
    /* Inferred range: inseq's show() of an output renders each sequence on
     * its own, so max_val is that sequence's `maximum` (max(0, nanmax) over
     * source and target).  shared_range takes the largest over all the
     * sequences shown instead, so colors compare across sequences. */
    bool shared_range;
    /* With has_range_mode, the inferred range follows range_mode (range.h:
     * abs, one-sided, percentile; inseq is the default) over the finite
     * values of each sequence (or of all with shared_range). */
    bool has_range_mode;
    as_range_mode range_mode;
    double percentile;
    /* Numbers shown in the "Nth instance:" headers; NULL = 0..n-1.  (inseq
     * writes "0th" for every sequence because it renders them one by one.) */
    const size_t *indices;
    /* Bold threshold for step scores; 0 = inseq's 0.5. */
    double step_threshold;
} html_heatmap_opts;

/* The heatmap markup of one sequence (no page around it): per heatmap the
 * "<br/><b>Nth instance:</b><br/>" header, title, caption and table, as
 * inseq writes them, with this range.  Errors (AS_EDATA) for shapes that are
 * not 2D or do not fit the tokens. */
int html_heatmap_seq(html_out *o, const as_seq *s, size_t index, double vmin, double vmax,
                     const html_heatmap_opts *opts, as_error *err);
/* A standalone page with the heatmaps of n sequences. */
int html_heatmap_page(html_out *o, const as_seq *const *seqs, size_t n,
                      const html_heatmap_opts *opts, as_error *err);

/* ---- granular view (inseq's show_granular) ----------------------------- */

/* A dimension named by index (>= 2) or, when name is not NULL, by name
 * ("Model Layer", case-insensitive). */
typedef struct html_dim_ref {
    int index;
    const char *name;
} html_dim_ref;

typedef struct html_slice {
    html_dim_ref dim;
    long start, stop;        /* [start, stop), Python slice rules (negative
                                from the end, clamped) */
} html_slice;

typedef struct html_granular_opts {
    html_common c;
    /* Extra dim shown as sub-columns of each generated token.  show_dim_set
     * false: like inseq, the first extra dim with size <= max_show_size;
     * no_show_dim: none (every extra dim gets a slider). */
    bool show_dim_set, no_show_dim;
    html_dim_ref show_dim;
    size_t max_show_size;    /* 0 = 20 */
    const html_slice *slices;
    size_t nslices;
    bool float16;            /* embed values as float16 instead of float32 */
    double max_mb;           /* refuse pages larger than this; 0 = 64 */
} html_granular_opts;

/* One interactive page for n sequences (a selector when n > 1): rows are
 * dim 0 tokens, columns generated tokens (split by the shown dim), a slider
 * per other extra dim, values on hover.  Inferred range per heatmap as
 * treescope: vmax = max |finite value| of the (sliced) tensor, trimmed to
 * 3 root-mean-squares, vmin = -vmax.  AS_EUSAGE for a bad dim, slice or a
 * show_dim over max_show_size, or when the page would exceed max_mb. */
int html_granular_page(html_out *o, const as_seq *const *seqs, size_t n,
                       const html_granular_opts *opts, as_error *err);

/* ---- tokens view (inseq's show_tokens) --------------------------------- */

typedef struct html_replace {
    const char *from, *to;   /* from must not be empty */
} html_replace;

typedef struct html_tokens_opts {
    html_common c;
    size_t wrap_every;        /* break after every N tokens; 0 = no */
    const char *const *wrap_tokens;  /* break after tokens equal to these */
    size_t nwrap_tokens;
    const html_replace *replace;     /* applied in order to token text */
    size_t nreplace;
    const char *step_score;   /* color generated tokens by this step score */
} html_tokens_opts;

/* The generated text of n sequences; selecting a generated token (click,
 * focus, arrow keys) colors the source tokens and the target prefix by their
 * attribution to it.  Inferred range: vmax = largest `maximum` of the
 * sequences shown, vmin = -vmax.  Step scores: greens over [0, max] when all
 * values >= 0, else brown -> green over [-max|v|, max|v|].  Needs 2D
 * (aggregated) attributions; AS_EUSAGE for an unknown step score. */
int html_tokens_page(html_out *o, const as_seq *const *seqs, size_t n,
                     const html_tokens_opts *opts, as_error *err);

/* ---- compare page (attrscope compare) --------------------------------- */

/* One matched sequence: both sides aggregated to 2D maps with the same
 * tokens, their difference b - a (cmp_difference) and the metrics. */
typedef struct html_compare_seq {
    const as_seq *a, *b, *diff;
    const cmp_seq_result *res;
    size_t ia, ib;             /* sequence numbers shown (0-based) */
} html_compare_seq;

/* One comparison of two inputs. */
typedef struct html_compare {
    const char *a_name, *b_name;          /* e.g. "run.json" (text from the user) */
    const char *a_pipeline, *b_pipeline;  /* shown as given */
    const html_compare_seq *seqs;
    size_t nseqs;
    const size_t *only_a, *only_b;        /* sequences without a match */
    size_t nonly_a, nonly_b;
    cmp_metrics mean;                     /* over every compared column */
} html_compare;

/* A standalone page: per comparison the names, the unmatched sequences and
 * a table of per-sequence means; per matched sequence the heatmaps of A
 * and B side by side (each colored over its own range, inferred as the
 * heatmap view does unless c sets one), the difference B - A (symmetric
 * range: the largest |difference|), and the metrics of every generated
 * token with their mean.  k is the k asked (the k used per column shows
 * in the table).  Every text comes escaped. */
int html_compare_page(html_out *o, const html_compare *cmps, size_t n, size_t k,
                      const html_common *c, as_error *err);

#endif
