/* test_colormap.c - the terminal ramps (256 colors, 8 colors, monochrome)
 * walked bucket by bucket, the one-sided buckets, and the color ranges of
 * range.h (modes, bounds by hand, percentile, +-inf cells). */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "agg.h"
#include "colormap.h"
#include "range.h"
#include "tensor.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Steps never decrease in strength away from zero, are negative exactly on
 * the blue half, reach their last step at the ends and 0 next to zero. */
static void check_steps(int n)
{
    int prev = cmap_level(128, n);
    ck_assert_int_eq(prev, 0);
    ck_assert_int_eq(cmap_level(127, n), 0);
    for (int b = 129; b < CMAP_BUCKETS; b++) {
        int l = cmap_level(b, n);
        ck_assert_msg(l >= prev && l >= 0 && l <= n, "n %d bucket %d: step %d after %d", n, b, l,
                      prev);
        prev = l;
    }
    ck_assert_int_eq(prev, n);
    prev = 0;
    for (int b = 126; b >= 0; b--) {
        int l = cmap_level(b, n);
        ck_assert_msg(l <= prev && l <= 0 && l >= -n, "n %d bucket %d: step %d after %d", n, b,
                      l, prev);
        prev = l;
    }
    ck_assert_int_eq(prev, -n);
    ck_assert_int_eq(cmap_level(-1, n), 0);   /* NaN */
    /* symmetric: bucket b and 255 - b are the same step of the two signs */
    for (int b = 0; b < CMAP_BUCKETS; b++)
        ck_assert_int_eq(cmap_level(b, n), -cmap_level(CMAP_BUCKETS - 1 - b, n));
}

START_TEST(steps_monotonic)
{
    check_steps(CMAP_RAMP256_STEPS);
    check_steps(CMAP_RAMP8_STEPS);
    check_steps(CMAP_RAMP_MONO_STEPS);
    check_steps(4);
}
END_TEST

/* The 256-color ramp, walked over every bucket: each color is darker or the
 * same as the one before it going away from zero (CIE L*), strictly darker
 * from step to step, blue (b > r) below zero, red (r > b) above, white at
 * zero, and the strongest red is the entry nearest inseq's red. */
START_TEST(ramp256_monotonic)
{
    ck_assert_int_eq(cmap_ramp256(0), 231);
    for (int sign = -1; sign <= 1; sign += 2) {
        double prev = cmap_lightness(cmap_xterm256_rgb(231));
        ck_assert_double_eq_tol(prev, 100, 1e-6);
        for (int k = 1; k <= CMAP_RAMP256_STEPS; k++) {
            int idx = cmap_ramp256(sign * k);
            ck_assert(idx >= 16 && idx <= 231);
            as_rgba c = cmap_xterm256_rgb(idx);
            double l = cmap_lightness(c);
            ck_assert_msg(l < prev - 5, "step %d (%d): L* %.1f after %.1f", sign * k, idx, l, prev);
            prev = l;
            if (sign < 0)
                ck_assert_msg(c.b > c.r, "step %d (%d) is not blue", sign * k, idx);
            else
                ck_assert_msg(c.r > c.b && c.r > c.g, "step %d (%d) is not red", sign * k, idx);
        }
    }
    /* bucket by bucket, both halves away from zero */
    double prev = 101;
    for (int b = 128; b < CMAP_BUCKETS; b++) {
        double l = cmap_lightness(cmap_xterm256_rgb(cmap_ramp256(cmap_level(b, CMAP_RAMP256_STEPS))));
        ck_assert(l <= prev);
        prev = l;
    }
    prev = 101;
    for (int b = 127; b >= 0; b--) {
        double l = cmap_lightness(cmap_xterm256_rgb(cmap_ramp256(cmap_level(b, CMAP_RAMP256_STEPS))));
        ck_assert(l <= prev);
        prev = l;
    }
    as_rgba red = {178, 24, 43, 1};
    ck_assert_int_eq(cmap_ramp256(CMAP_RAMP256_STEPS), cmap_xterm256(red));
    /* every entry is used once: the two signs never share a color */
    for (int a = -CMAP_RAMP256_STEPS; a <= CMAP_RAMP256_STEPS; a++)
        for (int b = a + 1; b <= CMAP_RAMP256_STEPS; b++)
            ck_assert_int_ne(cmap_ramp256(a), cmap_ramp256(b));
}
END_TEST

/* Truecolor is inseq's colormap over white: lighter towards zero too. */
START_TEST(truecolor_monotonic)
{
    double prev = 101;
    for (int b = 128; b < CMAP_BUCKETS; b++) {
        as_rgba c = cmap_heatmap_rgb_on_white(b);
        double l = cmap_lightness(c);
        ck_assert(l <= prev + 1e-9);
        ck_assert(c.r >= c.b);
        prev = l;
    }
    prev = 101;
    for (int b = 127; b >= 0; b--) {
        as_rgba c = cmap_heatmap_rgb_on_white(b);
        double l = cmap_lightness(c);
        ck_assert(l <= prev + 1e-9);
        ck_assert(c.b >= c.r);
        prev = l;
    }
    as_rgba e = cmap_heatmap_rgb_on_white(255);
    ck_assert(e.r == 178 && e.g == 24 && e.b == 43);
    e = cmap_heatmap_rgb_on_white(0);
    ck_assert(e.r == 33 && e.g == 102 && e.b == 172);
}
END_TEST

START_TEST(one_sided_buckets)
{
    /* [0, 2]: 0 is the first red bucket (white), 2 the last */
    ck_assert_int_eq(cmap_bucket_in(0, 0, 2, true), 128);
    ck_assert_int_eq(cmap_bucket_in(2, 0, 2, true), 255);
    ck_assert_int_eq(cmap_bucket_in(1, 0, 2, true), 192);
    ck_assert_int_eq(cmap_bucket_in(5, 0, 2, true), 255);
    /* below the minimum: the blue of the same distance */
    ck_assert_int_eq(cmap_bucket_in(-2, 0, 2, true), 0);
    ck_assert_int_eq(cmap_bucket_in(-1, 0, 2, true), 63);
    ck_assert_int_eq(cmap_bucket_in(-9, 0, 2, true), 0);
    ck_assert_int_eq(cmap_bucket_in(NAN, 0, 2, true), -1);
    ck_assert_int_eq(cmap_bucket_in(INFINITY, 0, 2, true), 255);
    /* never decreasing in the value */
    int prev = -1;
    for (int i = -300; i <= 300; i++) {
        int b = cmap_bucket_in(i / 100.0, 0, 2, true);
        ck_assert(b >= prev);
        prev = b;
    }
    /* bounds on both sides of zero: zero white, each side to its bound */
    ck_assert_int_eq(cmap_bucket_in(0, -1, 2, false), 128);
    ck_assert_int_eq(cmap_bucket_in(0.37, -1, 2, false), 151);
    ck_assert_int_eq(cmap_bucket_in(2, -1, 2, false), 255);
    ck_assert_int_eq(cmap_bucket_in(-1, -1, 2, false), 0);
    ck_assert_int_eq(cmap_bucket_in(-0.5, -1, 2, false), 64);
    ck_assert_int_eq(cmap_bucket_in(3, -1, 2, false), 255);
    ck_assert_int_eq(cmap_bucket_in(NAN, -1, 2, false), -1);
    /* symmetric ranges are cmap_bucket's */
    ck_assert_int_eq(cmap_bucket_in(0.3, -1, 1, false), cmap_bucket(0.3, -1, 1));
    /* one-sided over [0, a] colors like symmetric over [-a, a], with steps */
    for (int i = 0; i <= 100; i++) {
        double v = i / 50.0;
        int s1 = cmap_level(cmap_bucket_in(v, 0, 2, true), CMAP_RAMP256_STEPS);
        int s2 = cmap_level(cmap_bucket(v, -2, 2), CMAP_RAMP256_STEPS);
        ck_assert_int_eq(s1, s2);
    }
}
END_TEST

static as_range resolve(as_range_spec spec, const double *v, size_t n)
{
    range_acc a;
    range_acc_init(&a, range_needs_values(&spec));
    for (size_t i = 0; i < n; i++)
        range_acc_add(&a, v[i]);
    as_range r = range_resolve(&spec, &a);
    range_acc_free(&a);
    return r;
}

START_TEST(range_modes)
{
    const double neg[] = {-5.22, -1, -0.5, NAN, -4.7};
    as_range r = resolve((as_range_spec){.mode = AS_RANGE_ABS}, neg, NELEM(neg));
    ck_assert_double_eq(r.hi, 5.22);
    ck_assert_double_eq(r.lo, -5.22);
    ck_assert(!r.one_sided);
    r = resolve((as_range_spec){.mode = AS_RANGE_INSEQ}, neg, NELEM(neg));
    ck_assert_double_eq(r.hi, 0);
    ck_assert_double_eq(r.lo, 0);
    /* negatives beyond -max are not clipped under abs */
    const double mixed[] = {4.731, -5.22, 0.1};
    r = resolve((as_range_spec){.mode = AS_RANGE_ABS}, mixed, NELEM(mixed));
    ck_assert_double_eq(r.lo, -5.22);
    ck_assert_double_eq(r.hi, 5.22);
    r = resolve((as_range_spec){.mode = AS_RANGE_INSEQ}, mixed, NELEM(mixed));
    ck_assert_double_eq(r.hi, 4.731);
    const double attn[] = {0.01, 0.5, 0.25};
    r = resolve((as_range_spec){.mode = AS_RANGE_ONE_SIDED}, attn, NELEM(attn));
    ck_assert(r.one_sided);
    ck_assert_double_eq(r.lo, 0);
    ck_assert_double_eq(r.hi, 0.5);
    /* bounds by hand */
    r = resolve((as_range_spec){.mode = AS_RANGE_ABS, .has_max = true, .max = 2}, mixed, 3);
    ck_assert_double_eq(r.lo, -2);
    r = resolve((as_range_spec){.mode = AS_RANGE_ONE_SIDED, .has_max = true, .max = 2}, attn, 3);
    ck_assert_double_eq(r.lo, 0);
    r = resolve((as_range_spec){.has_min = true, .min = -1, .has_max = true, .max = 3}, mixed, 3);
    ck_assert(r.lo == -1 && r.hi == 3);
    /* nothing finite: a range of zero width */
    const double none[] = {NAN, INFINITY, -INFINITY};
    r = resolve((as_range_spec){.mode = AS_RANGE_ABS}, none, NELEM(none));
    ck_assert(r.lo == 0 && r.hi == 0);
}
END_TEST

START_TEST(range_percentile)
{
    double v[101];
    for (int i = 0; i <= 100; i++)
        v[i] = (i % 2 ? -1 : 1) * (double)i;   /* |v| = 0..100 */
    as_range r = resolve((as_range_spec){.mode = AS_RANGE_PERCENTILE, .percentile = 90}, v, 101);
    ck_assert_double_eq_tol(r.hi, 90, 1e-9);
    ck_assert_double_eq_tol(r.lo, -90, 1e-9);
    r = resolve((as_range_spec){.mode = AS_RANGE_PERCENTILE, .percentile = 100}, v, 101);
    ck_assert_double_eq(r.hi, 100);
    r = resolve((as_range_spec){.mode = AS_RANGE_PERCENTILE, .percentile = 99.5}, v, 101);
    ck_assert_double_eq_tol(r.hi, 99.5, 1e-9);
    /* the default percentile, and an outlier clipped */
    double w[1000];
    for (int i = 0; i < 1000; i++)
        w[i] = i == 500 ? 1e6 : (double)(i % 10) / 10;
    r = resolve((as_range_spec){.mode = AS_RANGE_PERCENTILE}, w, 1000);
    ck_assert_double_eq_tol(r.hi, 0.9, 1e-9);
    char label[64];
    range_spec_label(&(as_range_spec){.mode = AS_RANGE_PERCENTILE}, label, sizeof label);
    ck_assert_str_eq(label, "p99");
    range_spec_label(&(as_range_spec){.mode = AS_RANGE_ONE_SIDED, .has_max = true}, label,
                     sizeof label);
    ck_assert_str_eq(label, "one-sided, max set");
}
END_TEST

/* One rule for +-inf cells: they do not set the range; they take the
 * strongest color of their sign.  agg_maximum (HTML, show) agrees. */
START_TEST(inf_cells)
{
    size_t shape[2] = {2, 2};
    as_tensor *t = tensor_zeros(2, shape, NULL);
    t->data[0] = INFINITY, t->data[1] = 0.5f, t->data[2] = -0.25f, t->data[3] = NAN;
    as_seq s = {0};
    s.source_attr = t;
    ck_assert_double_eq_tol(agg_maximum(&s), 0.5, 1e-9);
    ck_assert_double_eq_tol(agg_minimum(&s), -0.25, 1e-9);
    range_acc a;
    range_acc_init(&a, true);
    range_acc_seq(&a, &s);
    ck_assert_uint_eq(a.n, 2);
    as_range r = range_resolve(&(as_range_spec){.mode = AS_RANGE_ABS}, &a);
    range_acc_free(&a);
    ck_assert_double_eq_tol(r.hi, 0.5, 1e-9);
    ck_assert_int_eq(cmap_bucket(INFINITY, r.lo, r.hi), 255);
    ck_assert_int_eq(cmap_bucket(-INFINITY, r.lo, r.hi), 0);
    ck_assert_int_eq(cmap_bucket(NAN, r.lo, r.hi), -1);
    tensor_free(t);
}
END_TEST

static Suite *colormap_suite(void)
{
    Suite *s = suite_create("colormap");
    TCase *tc = tcase_create("ramps");
    tcase_add_test(tc, steps_monotonic);
    tcase_add_test(tc, ramp256_monotonic);
    tcase_add_test(tc, truecolor_monotonic);
    tcase_add_test(tc, one_sided_buckets);
    suite_add_tcase(s, tc);
    tc = tcase_create("ranges");
    tcase_add_test(tc, range_modes);
    tcase_add_test(tc, range_percentile);
    tcase_add_test(tc, inf_cells);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(colormap_suite());
}
