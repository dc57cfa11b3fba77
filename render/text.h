/* text.h - heatmaps as text: inseq's console show() for a terminal or a pipe.
 *
 * A heatmap is a table: one row per attributed token ("index token"), one
 * column per generated token (the column header is two lines: the
 * generation index j and the token target[attr_pos_start + j]), values
 * rounded to 2 places ("%.2f", right-aligned; NaN cells are empty), and the
 * step scores as extra rows beneath a rule.  Each sequence gives inseq's
 * tables: "Source Saliency Heatmap" (when there are source attributions),
 * then "Target Saliency Heatmap" (when there are target attributions, or
 * step scores without source attributions); the step scores go beneath the
 * target heatmap, or beneath the source one when there is no target.  The
 * caption "→ : Generated tokens, ↓ : Attributed tokens" closes each table.
 *
 * Fitting the width: a table wider than text_opts.width is split into
 * pages of whole columns, each repeating the title (with "columns a-b of n"
 * or "column a of n"), the column headers and the row labels; every column
 * is on exactly one page.  A page always holds at least one column, so a
 * line may exceed a width too small for the row labels plus one column.
 * Token labels are cut with `…` (row labels at label_max columns, or less
 * when the width needs it; column headers at the column width), and
 * everything is padded by display width (tokens_width), so wide CJK or
 * emoji tokens keep the columns aligned.  A column is as wide as its
 * widest value, or its header token up to col_max columns.
 *
 * Token text goes through tokens_label() (decoding mode, then escaping), so
 * no control character of a file is ever written; step-score names are
 * escaped the same way.
 *
 * Colors: TEXT_COLOR_NONE writes plain text (only the values show the
 * scores).  The other modes color the background of each value cell by its
 * bucket (colormap.h) as the explorer does: TEXT_COLOR_TRUE with the heatmap
 * colormap in 24 bits (cmap_heatmap_rgb_on_white: inseq's colors as a white
 * page shows them), "ESC[48;2;R;G;B;38;2;F;F;Fm" (F = 0 or 255);
 * TEXT_COLOR_256 with the step of the 256-color ramp (cmap_level,
 * cmap_ramp256), "ESC[48;5;N;38;5;Fm" (F = 16 black or 231 white), black or
 * white text whichever reads better (cmap_dark_text); TEXT_COLOR_8 with the
 * four steps of the 8-color ramp per sign (blue 4, red 1): colored text,
 * bold colored text, white on the color, bold white on the color
 * ("ESC[34m", "ESC[1;34m", "ESC[37;44m", "ESC[1;37;44m"), nothing at step 0.
 * A value without a bucket (a range of zero width) is white (uncolored
 * with 8 colors).  NaN cells stay uncolored.
 * Titles, headers and row labels are bold ("ESC[1m"), and step scores with
 * |v| >= 0.5 too (as inseq bolds them).  Every colored or bold run ends
 * with "ESC[0m".  With the escapes removed, a colored table is exactly the
 * plain one.
 *
 * Writing: everything goes to the FILE* the caller gives; nothing here
 * prints on its own, keeps state between calls or closes the stream.
 * Functions return AS_OK, AS_EDATA (shapes that do not fit the tokens; the
 * message names the tensor), AS_ENOMEM, or AS_EIO when the stream reports a
 * write error.  Inputs are const and never changed; no pointer is kept.
 */
#ifndef AS_TEXT_H
#define AS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "attr.h"
#include "range.h"
#include "err.h"
#include "tokens.h"

typedef enum text_color {
    TEXT_COLOR_NONE = 0,
    TEXT_COLOR_256,
    TEXT_COLOR_TRUE,
    TEXT_COLOR_8,
} text_color;

typedef struct text_opts {
    int width;              /* columns available; <= 0: no limit (one page) */
    text_color color;
    tokens_mode mode;       /* token decoding (TOKENS_AUTO decodes nothing) */
    unsigned label_flags;   /* tokens_label() flags, e.g. TOKENS_ESC_SPACE */
    int label_max;          /* widest row-label token; 0 = 20 */
    int col_max;            /* widest column-header token; 0 = 10 */
    /* Color range (range.h) of each sequence, over its finite source and
     * target values: range_mode (AS_RANGE_ABS, the zero value, is -a..a
     * with a the largest |v|), percentile for AS_RANGE_PERCENTILE, and
     * bounds given by hand (see text_seq_range). */
    as_range_mode range_mode;
    double percentile;
    const char *range_note;  /* the legend's word for the range; NULL: from the spec */
    bool has_min, has_max;
    double min_val, max_val;
} text_opts;

/* One table.  values is (nrows, ncols) float32 or NULL (only step scores);
 * row i is labelled with rows[i], column j with cols[j]; each step score is
 * a tensor of ncols values.  When values is set, its shape must be
 * (nrows, ncols). */
typedef struct text_heatmap {
    const char *title;          /* e.g. "Source Saliency Heatmap" (display text) */
    const as_tensor *values;
    const as_token *rows;
    size_t nrows;
    const as_token *cols;
    size_t ncols;
    const as_scores *steps;     /* rows beneath, or NULL */
} text_heatmap;

/* Writes one table (all its pages, then the caption and a blank line),
 * coloring values over [vmin, vmax] (one-sided when o->range_mode is). */
int text_heatmap_write(FILE *f, const text_heatmap *h, double vmin, double vmax,
                       const text_opts *o, as_error *err);

/* The color range of a sequence under o (see text_opts). */
void text_seq_range(const as_seq *s, const text_opts *o, double *vmin, double *vmax);

/* The tables of one aggregated sequence (source_attr (S, G) and target_attr
 * (R, G), R <= target tokens, G = attr_pos_end - attr_pos_start columns),
 * colored over text_seq_range().  AS_EDATA when an attribution is not 2D or
 * does not fit the tokens; nothing is written then. */
int text_seq_write(FILE *f, const as_seq *s, const text_opts *o, as_error *err);

/* One legend line for the range: "range: -0.53 to 0.53" and, with colors,
 * a bar of the colormap between the bounds. */
int text_legend_write(FILE *f, double vmin, double vmax, const text_opts *o, as_error *err);

/* Scientific notation in at most w bytes, with a short exponent: "4e-3",
 * "-2.1e-5", "1.25e+7" is "1.25e7".  The most mantissa digits that fit.
 * Returns the length, or -1 (buf empty) when even one digit does not fit.
 * For values that fixed decimals show as 0.00: the cells of show and of the
 * explorer use it instead. */
int text_fmt_sci(char *buf, size_t cap, double v, int w);
/* Decimal digits of n (1 for 0): the width of a row index column. */
int text_digits(size_t n);

#endif
