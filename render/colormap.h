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

#include <stdbool.h>

typedef struct as_rgba {
    unsigned char r, g, b;   /* 0..255, rounded to nearest */
    double a;                /* 0..1 */
} as_rgba;

#define CMAP_BUCKETS 256

/* Bucket 0..255 of v in [vmin, vmax] (clamped); -1 for NaN.  When
 * vmax == vmin, v == vmin has no bucket (-1), larger values 255, smaller 0,
 * as inseq's division by zero gives. */
int cmap_bucket(double v, double vmin, double vmax);
/* The bucket of v as the terminals show it.  One-sided (lo white, hi the
 * strongest red): [lo, hi] fills buckets 128..255, a value below lo takes
 * the blue bucket of the same distance (clamped at 0).  Otherwise
 * cmap_bucket(v, lo, hi), except for bounds on both sides of zero that are
 * not symmetric (set by hand): zero stays white (bucket 128) and each side
 * is scaled to its own bound, so a positive value is never blue.  (The HTML
 * pages keep inseq's linear mapping from min to max.) */
int cmap_bucket_in(double v, double lo, double hi, bool one_sided);
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

/* ---- opaque colors for terminals ------------------------------------- */

/* The heatmap color of a bucket composited over a white background, as a
 * page shows inseq's rgba cells: channel = c * a + 255 * (1 - a), rounded
 * (from the unrounded color).  Alpha is 1; -1 (NaN) gives white. */
as_rgba cmap_heatmap_rgb_on_white(int bucket);
/* The xterm 256-color palette entry (16..231: the 6x6x6 cube with levels
 * 0, 95, 135, 175, 215, 255; 232..255: the grays 8, 18, ..., 238) nearest to
 * an sRGB color (squared distance in RGB; the cube wins ties). */
int cmap_xterm256(as_rgba c);
/* The color of palette entry 16..255 (values outside give black). */
as_rgba cmap_xterm256_rgb(int index);
/* ---- ramps for terminals ---------------------------------------------- */

/* A terminal cannot show 256 shades per sign: it shows a ramp of steps.
 * The step of a bucket on a ramp of n steps per side is
 * sign * floor(t * n + 0.5) with t = |bucket - 127.5| / 128: 0 next to zero
 * (white), n for the strongest values, negative on the blue side; -1 (NaN)
 * gives 0.  Every terminal mode (and `show`) uses these steps, so one value
 * has one color wherever it is shown. */
int cmap_level(int bucket, int n);

/* The 256-color ramp: palette entries chosen once (not the nearest entry
 * per value), white (231) at step 0, then CMAP_RAMP256_STEPS entries per
 * sign, each darker than the one before (CIE L*), light blue to blue below
 * zero and pink to red above; the strongest red is inseq's red's nearest. */
#define CMAP_RAMP256_STEPS 6
int cmap_ramp256(int level);
/* Steps of the 8-color ramp (see the terminal themes and text.h). */
#define CMAP_RAMP8_STEPS 4
/* Steps of the monochrome ramp. */
#define CMAP_RAMP_MONO_STEPS 3
/* CIE L* (0 black .. 100 white) of an sRGB color. */
double cmap_lightness(as_rgba c);

/* True when black text reads better than white on background c: the WCAG
 * contrast ratio with black is at least the one with white. */
bool cmap_dark_text(as_rgba c);

#endif
