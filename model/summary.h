/* summary.h - a dataset run at a glance: per-sequence figures and their
 * distributions over many files, computed one file at a time.
 *
 * Every sequence first goes through a pipeline (the class default unless
 * told otherwise) and must then be 2-dimensional: rows are source tokens
 * (source attributions, encoder-decoder only) and target tokens (target
 * attributions), column j is generation step j (target token
 * attr_pos_start + j).  On that result, for step j:
 *
 *   cells      the finite entries of column j of the source attributions and
 *              of the target attributions.  inseq stores NaN for the tokens a
 *              step cannot attend to (target token i >= the generated one),
 *              so the target cells are the target prefix of the step.
 *   p_i        |a_i| / sum over the cells of |a|: the normalised absolute
 *              attribution of cell i.  A column whose cells are all zero (or
 *              that has none) has no distribution: its entropy and source
 *              share are NaN.
 *   entropy    H_j = -sum p_i ln p_i over the cells (nats, 0 ln 0 = 0):
 *              0 when one token gets everything, ln(n) when n cells share
 *              equally.
 *   source     (encoder-decoder only, i.e. when source attributions exist)
 *   share      sum |source cells| / (sum |source cells| + sum |target cells|)
 *              = the source contribution of Voita et al. 2021, "Analyzing the
 *              Source and Target Contributions to Predictions in NMT", taken
 *              after the pipeline; the target-prefix share is 1 - it.
 *
 * Per sequence: source length (source tokens; the prompt for decoder-only
 * models), target length (target tokens), generated length (columns), the
 * mean over steps of the entropy and of the source share (NaN steps left
 * out), and the mean of each step score (finite values only).
 *
 * Over the dataset: histograms of any of those per-sequence columns, and of
 * the per-step entropy and source share over all steps; the attribution mass
 * by relative position (the p_i of every step are added into SUMMARY_POS_BINS
 * bins by relative position i / n of their row among the n source rows, or
 * the n target rows, then divided by the number of steps with a
 * distribution, so the source and target bins together sum to 1); and the
 * tokens that receive the most attribution on average: per token text (raw,
 * as stored) and side (source or target), the mean of p_i over every cell
 * that token received, with the number of such cells.
 *
 * Streaming: summary_part_compute() reads one loaded file (the caller frees
 * it afterwards) into a small part - a few numbers per step and per token
 * text - which summary_add_part() adds to the summary; a summary never holds
 * tensors.  summary_part_compute() is reentrant (it can run on other
 * threads); an as_summary is not thread-safe.
 *
 * Nothing here prints.  Ownership: the summary owns every pointer it hands
 * out; they stay valid until the next summary_add_part() or summary_free().
 */
#ifndef AS_SUMMARY_H
#define AS_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "err.h"
#include "pipeline.h"

#define SUMMARY_POS_BINS 10

/* Per-sequence columns; step scores follow at SUM_COL_SCORES + k. */
enum {
    SUM_COL_SRC_LEN = 0,
    SUM_COL_TGT_LEN,
    SUM_COL_GEN_LEN,
    SUM_COL_ENTROPY,
    SUM_COL_SRC_SHARE,
    SUM_COL_SCORES,
};

/* Per-step series over every step of the dataset. */
typedef enum { SUM_STEP_ENTROPY = 0, SUM_STEP_SRC_SHARE } sum_step_kind;

typedef enum { SUM_SIDE_SOURCE = 0, SUM_SIDE_TARGET = 1 } sum_side;

typedef struct sum_seq {
    size_t file;            /* index among the summary's files */
    size_t local;           /* index of the sequence in its file (0-based) */
    as_class cls;
    size_t src_len, tgt_len, gen_len;
    bool encdec;            /* has source attributions: the source share is defined */
    float *entropy;         /* gen_len per-step entropies (NaN: no distribution) */
    float *src_share;       /* gen_len per-step source shares, NULL unless encdec */
    double entropy_mean;    /* NaN when no step has a distribution */
    double src_share_mean;  /* NaN when not encdec or no step has one */
    size_t nscores;         /* score_mean[k] for summary score k < nscores */
    double *score_mean;     /* NaN when the sequence lacks that score */
} sum_seq;

typedef struct sum_token {
    const char *text;       /* raw token text */
    sum_side side;
    double mass;            /* sum of p_i received */
    size_t count;           /* cells received */
} sum_token;

typedef struct sum_hist {
    double lo, hi;          /* range of the bins: bin b is [lo + b w, lo + (b+1) w) */
    size_t nbins;
    size_t *counts;         /* nbins counts (owned by the caller: free()) */
    size_t n;               /* finite values counted */
    size_t missing;         /* NaN values left out */
    double mean, min, max;  /* of the finite values (NaN when none) */
} sum_hist;

typedef struct sum_part sum_part;
typedef struct as_summary as_summary;

/* The part of one loaded file: every sequence through pipeline p (NULL =
 * "default").  A sequence that fails (e.g. not 2D after the pipeline) is
 * left out; the part then carries the first such error (summary_part_error)
 * and still holds the other sequences.  NULL only when out of memory (err). */
sum_part *summary_part_compute(const as_output *o, const as_pipeline *p, as_error *err);
/* A copy of part to add again later (summary_add_part consumes the part it
 * adds); NULL when out of memory (err). */
sum_part *summary_part_copy(const sum_part *part, as_error *err);
/* "sequence 3: ..." for the first sequence left out, or NULL. */
const char *summary_part_error(const sum_part *part);
size_t summary_part_nfailed(const sum_part *part);
void summary_part_free(sum_part *part);

as_summary *summary_new(void);
void summary_free(as_summary *s);
/* Adds a file's part (consumed, freed) under the name file. */
int summary_add_part(as_summary *s, const char *file, sum_part *part, as_error *err);
/* Records a file that could not be read (counted, first message kept). */
void summary_add_failure(as_summary *s, const char *file, const char *message);

size_t summary_nfiles(const as_summary *s);
const char *summary_file(const as_summary *s, size_t i);
size_t summary_nfailed_files(const as_summary *s);
/* Sequences left out (failed files not counted). */
size_t summary_nfailed_seqs(const as_summary *s);
/* The first failure message ("FILE: ..."), or NULL. */
const char *summary_first_error(const as_summary *s);

size_t summary_nseqs(const as_summary *s);
const sum_seq *summary_seq(const as_summary *s, size_t k);
/* Total generation steps, and those with a distribution. */
size_t summary_nsteps(const as_summary *s);

/* Step-score names met so far, in order of first appearance. */
size_t summary_nscores(const as_summary *s);
const char *summary_score_name(const as_summary *s, size_t k);

/* Columns: SUM_COL_* then one per step score. */
size_t summary_ncols(const as_summary *s);
/* "src_len", "tgt_len", "gen_len", "entropy", "src_share", then
 * "score:NAME" (NAME raw from the file). */
const char *summary_col_name(const as_summary *s, size_t col);
/* Whether a column holds whole numbers (lengths). */
bool summary_col_integer(size_t col);
double summary_value(const as_summary *s, size_t seq, size_t col);

/* Histogram of a column over the sequences, or (step) of a per-step series
 * over every step.  nbins >= 1; integer columns spanning fewer than nbins
 * values get one bin per value.  AS_OK or AS_ENOMEM. */
int summary_hist_col(const as_summary *s, size_t col, size_t nbins, sum_hist *h, as_error *err);
int summary_hist_step(const as_summary *s, sum_step_kind kind, size_t nbins, sum_hist *h,
                      as_error *err);
void sum_hist_free(sum_hist *h);

/* Mean attribution mass by relative position: SUMMARY_POS_BINS values for
 * the side (see above; all zero before any step). */
void summary_position_mass(const as_summary *s, sum_side side, double out[SUMMARY_POS_BINS]);

/* The n tokens of largest mean mass (mass / count) among those received in
 * at least min_count cells, largest first (ties: larger count, then text).
 * *out is malloc'd (free() it; the texts belong to the summary).  Returns
 * the number given, or (size_t)-1 when out of memory. */
size_t summary_top_tokens(const as_summary *s, size_t min_count, size_t n, sum_token **out);
/* Distinct (text, side) pairs seen. */
size_t summary_ntokens(const as_summary *s);

/* Sorts sequence indices by a column: order gets summary_nseqs() indices,
 * ascending (descending when reverse), NaN always last, ties in sequence
 * order. */
void summary_sort(const as_summary *s, size_t col, bool reverse, size_t *order);

#endif
