/* range.h - the color range of what is shown: which values the ends of the
 * colormap stand for.
 *
 * One rule everywhere (show, the HTML pages, the explorer): the range is
 * taken from the finite values only.  NaN cells have no color; a +inf or
 * -inf cell neither sets the range nor spoils it, and takes the strongest
 * color of its sign (it is beyond any finite bound).  inseq's own
 * maximum() would be inf there and leave every cell uncolored.
 *
 * Modes (range_resolve):
 *   abs         symmetric around zero: -a..a with a the largest |v|, so an
 *               all-negative view still gets a real range and no value is
 *               clipped (the default of the explorer and of `show`)
 *   inseq       -m..m with m = max(0, largest v), as inseq's show() (the
 *               default of the HTML pages, whose goldens are inseq's)
 *   one-sided   0..a: the whole white-to-red ramp for non-negative data
 *               (attention weights, vnorm); a negative value, if any, takes
 *               the blue of the same magnitude
 *   percentile  symmetric around zero: -p..p with p the P-th percentile of
 *               |v|; larger values are clipped to the strongest color
 * A minimum or maximum given by hand replaces the bound it names; without
 * a given minimum the lower bound is -max (0 when one-sided).
 *
 * Ownership: a range_acc owns the copy of the values it keeps for a
 * percentile; range_acc_free() releases it.  Nothing here prints.
 */
#ifndef AS_RANGE_H
#define AS_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"

typedef enum as_range_mode {
    AS_RANGE_ABS = 0,
    AS_RANGE_INSEQ,
    AS_RANGE_ONE_SIDED,
    AS_RANGE_PERCENTILE,
} as_range_mode;

#define AS_RANGE_DEFAULT_PERCENTILE 99.0

/* How a range is chosen. */
typedef struct as_range_spec {
    as_range_mode mode;
    double percentile;    /* 0 < P <= 100, for AS_RANGE_PERCENTILE */
    bool has_min, has_max;
    double min, max;
} as_range_spec;

/* A resolved range. */
typedef struct as_range {
    double lo, hi;
    bool one_sided;       /* lo is white, hi the strongest red */
} as_range;

/* What a range is computed from: the finite values seen. */
typedef struct range_acc {
    double min, max;      /* 0 when nothing finite was seen */
    size_t n;             /* finite values seen */
    bool keep;            /* keep |v| for a percentile */
    bool oom;             /* a kept value could not be stored */
    double *absv;
    size_t len, cap;
} range_acc;

/* keep: the spec needs the values (range_needs_values). */
void range_acc_init(range_acc *a, bool keep);
void range_acc_free(range_acc *a);
/* Adds one value; NaN and +-inf are skipped. */
void range_acc_add(range_acc *a, double v);
/* Adds every value of a tensor (NULL: nothing). */
void range_acc_tensor(range_acc *a, const as_tensor *t);
/* Adds the source and target attributions of a sequence. */
void range_acc_seq(range_acc *a, const as_seq *s);
/* The largest |v| seen (0 when none). */
double range_acc_absmax(const range_acc *a);

bool range_needs_values(const as_range_spec *s);
/* The range of spec over what a holds (a may be reordered).  A range of
 * zero width (nothing but zeros) stays so: its cells are uncolored. */
as_range range_resolve(const as_range_spec *s, range_acc *a);

/* "abs", "inseq", "one-sided", "percentile"; parse also takes "onesided"
 * and "symmetric" (abs).  Parsing sets only the mode. */
const char *range_mode_name(as_range_mode m);
bool range_mode_parse(const char *s, as_range_spec *out);
/* How a spec picks its range, for a legend: "abs", "inseq", "one-sided",
 * "p99" (percentile 99), "set" when both bounds are given by hand, or the
 * mode and "max set" / "min set" when one is. */
void range_spec_label(const as_range_spec *s, char *buf, size_t cap);

#endif
