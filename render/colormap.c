#include "colormap.h"

#include <math.h>
#include <stdlib.h>

int cmap_bucket(double v, double vmin, double vmax)
{
    if (isnan(v))
        return -1;
    double x = (v - vmin) / (vmax - vmin);
    if (isnan(x))
        return -1;
    double s = x * CMAP_BUCKETS;
    if (s == CMAP_BUCKETS)
        return CMAP_BUCKETS - 1;
    if (s < 0)
        return 0;
    if (s >= CMAP_BUCKETS)
        return CMAP_BUCKETS - 1;
    return (int)s;
}

int cmap_bucket_in(double v, double lo, double hi, bool one_sided)
{
    if (!one_sided && !(lo < 0 && hi > 0 && lo != -hi))
        return cmap_bucket(v, lo, hi);
    if (!one_sided) {
        /* bounds on both sides of zero, not symmetric: zero stays white,
         * each side scaled to its own bound */
        if (isnan(v))
            return -1;
        double s = CMAP_BUCKETS / 2 + (v >= 0 ? v / hi : v / -lo) * (CMAP_BUCKETS / 2);
        if (s < 0)
            return 0;
        if (s >= CMAP_BUCKETS)
            return CMAP_BUCKETS - 1;
        return (int)s;
    }
    if (isnan(v))
        return -1;
    double x = (v - lo) / (hi - lo);
    if (isnan(x))
        return -1;
    double s = x * (CMAP_BUCKETS / 2);
    if (s >= 0) {
        if (s >= CMAP_BUCKETS / 2)
            return CMAP_BUCKETS - 1;
        return CMAP_BUCKETS / 2 + (int)s;
    }
    if (-s >= CMAP_BUCKETS / 2)
        return 0;
    return CMAP_BUCKETS / 2 - 1 - (int)-s;
}

/* The 200 control points of inseq's heatmap colormap, channel c (0..3) of
 * point k, as fractions 0..1. */
#define HEAT_POINTS 200
static double heat_point(int k, int c)
{
    static const double blue[3] = {33, 102, 172}, red[3] = {178, 24, 43};
    int half = HEAT_POINTS / 2;
    if (c == 3)
        return k < half ? 1.0 - (double)k / (half - 1) : (double)(k - half) / (half - 1);
    return (k < half ? blue[c] : red[c]) / 255.0;
}

void cmap_heatmap_exact(int bucket, double out[4])
{
    if (bucket < 0) {
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    if (bucket > CMAP_BUCKETS - 1)
        bucket = CMAP_BUCKETS - 1;
    /* Entry i samples the piecewise-linear curve through the points at
     * positions k * 255 / 199 (in entry units) at position i. */
    double span = (double)(CMAP_BUCKETS - 1) / (HEAT_POINTS - 1);
    int k;
    double d;
    if (bucket == 0) {
        k = 1, d = 0;
    } else if (bucket == CMAP_BUCKETS - 1) {
        k = HEAT_POINTS - 1, d = 1;
    } else {
        k = (int)ceil(bucket / span);
        while (k > 1 && (k - 1) * span >= bucket)
            k--;
        while (k * span < bucket)
            k++;
        double x0 = (k - 1) * span, x1 = k * span;
        d = (bucket - x0) / (x1 - x0);
    }
    for (int c = 0; c < 4; c++) {
        double y0 = heat_point(k - 1, c), y1 = heat_point(k, c);
        double y = d * (y1 - y0) + y0;
        if (y < 0)
            y = 0;
        if (y > 1)
            y = 1;
        out[c] = c < 3 ? y * 255.0 : y;
    }
}

as_rgba cmap_heatmap(int bucket)
{
    double e[4];
    cmap_heatmap_exact(bucket, e);
    as_rgba c = {(unsigned char)lround(e[0]), (unsigned char)lround(e[1]),
                 (unsigned char)lround(e[2]), e[3]};
    return c;
}

static unsigned char lerp8(int a, int b, double t)
{
    return (unsigned char)lround(a + (b - a) * t);
}

/* Three-stop opaque colormap: lo -> mid over the first half, mid -> hi over
 * the second. */
static as_rgba three_stop(int bucket, const int lo[3], const int mid[3], const int hi[3])
{
    as_rgba c = {255, 255, 255, 0};
    if (bucket < 0)
        return c;
    if (bucket > CMAP_BUCKETS - 1)
        bucket = CMAP_BUCKETS - 1;
    double t = bucket / (double)(CMAP_BUCKETS - 1);
    const int *a = lo, *b = mid;
    double u = t * 2;
    if (t >= 0.5)
        a = mid, b = hi, u = (t - 0.5) * 2;
    c.r = lerp8(a[0], b[0], u), c.g = lerp8(a[1], b[1], u), c.b = lerp8(a[2], b[2], u);
    c.a = 1;
    return c;
}

static const int BLUE[3] = {33, 102, 172}, BEIGE[3] = {247, 252, 253}, RED[3] = {178, 24, 43};
static const int GREEN[3] = {0, 109, 44}, BROWN[3] = {140, 81, 10};

as_rgba cmap_granular(int bucket)
{
    return three_stop(bucket, BLUE, BEIGE, RED);
}

as_rgba cmap_brown_green(int bucket)
{
    return three_stop(bucket, BROWN, BEIGE, GREEN);
}

as_rgba cmap_greens(int bucket)
{
    as_rgba c = {255, 255, 255, 0};
    if (bucket < 0)
        return c;
    if (bucket > CMAP_BUCKETS - 1)
        bucket = CMAP_BUCKETS - 1;
    double t = bucket / (double)(CMAP_BUCKETS - 1);
    c.r = lerp8(BEIGE[0], GREEN[0], t), c.g = lerp8(BEIGE[1], GREEN[1], t);
    c.b = lerp8(BEIGE[2], GREEN[2], t);
    c.a = 1;
    return c;
}

as_rgba cmap_heatmap_rgb_on_white(int bucket)
{
    as_rgba c = {255, 255, 255, 1};
    if (bucket < 0)
        return c;
    double e[4];
    cmap_heatmap_exact(bucket, e);
    double a = e[3];
    c.r = (unsigned char)lround(e[0] * a + 255.0 * (1 - a));
    c.g = (unsigned char)lround(e[1] * a + 255.0 * (1 - a));
    c.b = (unsigned char)lround(e[2] * a + 255.0 * (1 - a));
    return c;
}

static const int XTERM_LEVELS[6] = {0, 95, 135, 175, 215, 255};

/* Index of the cube level nearest to v. */
static int cube_level(int v)
{
    int best = 0;
    for (int i = 1; i < 6; i++)
        if (abs(XTERM_LEVELS[i] - v) < abs(XTERM_LEVELS[best] - v))
            best = i;
    return best;
}

static int dist2(int r0, int g0, int b0, int r1, int g1, int b1)
{
    return (r0 - r1) * (r0 - r1) + (g0 - g1) * (g0 - g1) + (b0 - b1) * (b0 - b1);
}

int cmap_xterm256(as_rgba c)
{
    int ri = cube_level(c.r), gi = cube_level(c.g), bi = cube_level(c.b);
    int cube = 16 + 36 * ri + 6 * gi + bi;
    int dc = dist2(c.r, c.g, c.b, XTERM_LEVELS[ri], XTERM_LEVELS[gi], XTERM_LEVELS[bi]);
    /* Gray ramp: 8 + 10 k, k = 0..23, nearest to the mean. */
    int mean = (c.r + c.g + c.b) / 3;
    int k = (mean - 8 + 5) / 10;
    if (k < 0)
        k = 0;
    if (k > 23)
        k = 23;
    int gv = 8 + 10 * k;
    int dg = dist2(c.r, c.g, c.b, gv, gv, gv);
    return dg < dc ? 232 + k : cube;
}

as_rgba cmap_xterm256_rgb(int index)
{
    as_rgba c = {0, 0, 0, 1};
    if (index >= 16 && index <= 231) {
        int i = index - 16;
        c.r = (unsigned char)XTERM_LEVELS[i / 36];
        c.g = (unsigned char)XTERM_LEVELS[(i / 6) % 6];
        c.b = (unsigned char)XTERM_LEVELS[i % 6];
    } else if (index >= 232 && index <= 255) {
        c.r = c.g = c.b = (unsigned char)(8 + 10 * (index - 232));
    }
    return c;
}

static double srgb_linear(unsigned char v)
{
    double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

bool cmap_dark_text(as_rgba c)
{
    double l = 0.2126 * srgb_linear(c.r) + 0.7152 * srgb_linear(c.g) + 0.0722 * srgb_linear(c.b);
    /* Contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05). */
    return (l + 0.05) * (l + 0.05) >= 1.05 * 0.05;
}

int cmap_level(int bucket, int n)
{
    if (bucket < 0)
        return 0;
    if (bucket > CMAP_BUCKETS - 1)
        bucket = CMAP_BUCKETS - 1;
    double t = fabs(bucket - (CMAP_BUCKETS - 1) / 2.0) / (CMAP_BUCKETS / 2);
    int l = (int)floor(t * n + 0.5);
    l = l > n ? n : l;
    return bucket < CMAP_BUCKETS / 2 ? -l : l;
}

int cmap_ramp256(int level)
{
    /* L* 85, 72, 57, 40, 27, 14 and 89, 79, 70, 55, 45, 36 */
    static const unsigned char neg[CMAP_RAMP256_STEPS] = {153, 111, 68, 25, 20, 18};
    static const unsigned char pos[CMAP_RAMP256_STEPS] = {224, 217, 210, 167, 160, 124};
    if (level == 0)
        return 231;
    if (level > CMAP_RAMP256_STEPS)
        level = CMAP_RAMP256_STEPS;
    if (level < -CMAP_RAMP256_STEPS)
        level = -CMAP_RAMP256_STEPS;
    return level > 0 ? pos[level - 1] : neg[-level - 1];
}

double cmap_lightness(as_rgba c)
{
    double y = 0.2126 * srgb_linear(c.r) + 0.7152 * srgb_linear(c.g) + 0.0722 * srgb_linear(c.b);
    return y > 216.0 / 24389.0 ? 116.0 * cbrt(y) - 16.0 : y * 24389.0 / 27.0;
}
