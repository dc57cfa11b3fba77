/* colormap.h - the colors attrscope shows values with, shared by the HTML
 * renderer and the terminal so that both always agree.
 *
 * Values map to one of 256 buckets the way inseq's matplotlib colormap is
 * indexed: x = (v - min) / (max - min), bucket = floor(x * 256), x == 1 gives
 * 255, x < 0 gives 0 and x > 1 gives 255 (matplotlib's under/over colors are
 * its first and last entries); NaN has no bucket (-1).
 *
 * The heatmap colormap (inseq's show()) is matplotlib's
 * LinearSegmentedColormap.from_list over 200 points: 100 of blue
 * (33,102,172) with alpha going 1 -> 0, then 100 of red (178,24,43) with
 * alpha 0 -> 1, resampled linearly at 256 entries (so the middle entry mixes
 * the two hues at alpha 0).  NaN is transparent black, as matplotlib's "bad"
 * color.  Checked against inseq's pages to 1e-12.
 *
 * The granular colormap (inseq's treescope views): blue (33,102,172) ->
 * beige (247,252,253) -> red (178,24,43), opaque.  The step-score colormaps of
 * the tokens view: greens (beige -> green (0,109,44)) and brown (140,81,10)
 * -> beige -> green.
 *
 * Pure functions, no state.
 */
#ifndef AS_COLORMAP_H
#define AS_COLORMAP_H

typedef struct as_rgba {
    unsigned char r, g, b;   /* 0..255, rounded to nearest */
    double a;                /* 0..1 */
} as_rgba;

#define CMAP_BUCKETS 256

/* Bucket 0..255 of v in [vmin, vmax] (clamped); -1 for NaN.  When
 * vmax == vmin, v == vmin has no bucket (-1), larger values 255, smaller 0,
 * as inseq's division by zero gives. */
int cmap_bucket(double v, double vmin, double vmax);
/* The heatmap (inseq show()) color of a bucket; -1 gives transparent black. */
as_rgba cmap_heatmap(int bucket);
/* The same color unrounded: channels 0..255 and alpha 0..1, as matplotlib
 * computes them (out[4] = r, g, b, a). */
void cmap_heatmap_exact(int bucket, double out[4]);
/* The granular (blue -> beige -> red) color of a bucket, alpha 1; -1 gives
 * white with alpha 0. */
as_rgba cmap_granular(int bucket);
/* Sequential beige -> green and diverging brown -> beige -> green, alpha 1;
 * -1 gives white with alpha 0. */
as_rgba cmap_greens(int bucket);
as_rgba cmap_brown_green(int bucket);

#endif
