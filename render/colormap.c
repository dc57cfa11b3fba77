#include "colormap.h"

#include <math.h>

int cmap_bucket(double v, double vmin, double vmax)
{
    if (isnan(v))
        return -1;
    double span = vmax - vmin;
    double x = span > 0 ? (v - vmin) / span : 0.5;
    if (!(x > 0))
        x = 0;
    if (x > 1)
        x = 1;
    int b = (int)(x * 255.0);
    return b > 255 ? 255 : b;
}

static unsigned char lerp8(int a, int b, double t)
{
    double v = a + (b - a) * t;
    return (unsigned char)lround(v);
}

as_rgba cmap_heatmap(int bucket)
{
    as_rgba c = {255, 255, 255, 0};
    if (bucket < 0)
        return c;
    if (bucket < 128) {
        c.r = 33, c.g = 102, c.b = 172;
        c.a = 1.0 - bucket / 127.0;
    } else {
        c.r = 178, c.g = 24, c.b = 43;
        c.a = (bucket - 128) / 127.0;
    }
    return c;
}

as_rgba cmap_granular(int bucket)
{
    as_rgba c = {255, 255, 255, 1};
    if (bucket < 0)
        return c;
    double t = bucket / 255.0;
    if (t < 0.5) {
        double u = t * 2;
        c.r = lerp8(33, 247, u), c.g = lerp8(102, 252, u), c.b = lerp8(172, 253, u);
    } else {
        double u = (t - 0.5) * 2;
        c.r = lerp8(247, 178, u), c.g = lerp8(252, 24, u), c.b = lerp8(253, 43, u);
    }
    return c;
}
