/* colormap.h - the colors attrscope shows values with, shared by the HTML
 * renderer and the terminal so that both always agree.
 *
 * inseq's heatmap colormap: 256 entries interpolated from blue (33,102,172)
 * with alpha 1 -> 0, then red (178,24,43) with alpha 0 -> 1; a value v in
 * [min, max] maps to entry floor((v - min) / (max - min) * 255).
 * The granular colormap: blue -> beige (247,252,253) -> red, opaque.
 * Pure functions, no state.
 */
#ifndef AS_COLORMAP_H
#define AS_COLORMAP_H

typedef struct as_rgba {
    unsigned char r, g, b;
    double a;
} as_rgba;

/* Bucket 0..255 of v in [vmin, vmax] (clamped); -1 for NaN. */
int cmap_bucket(double v, double vmin, double vmax);
/* The heatmap (inseq show()) color of a bucket. */
as_rgba cmap_heatmap(int bucket);
/* The granular (blue -> beige -> red) color of a bucket, alpha 1. */
as_rgba cmap_granular(int bucket);

#endif
