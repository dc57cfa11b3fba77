/* Narrow float encoders against the decoders and against an independent
 * reference: nearest representable value by search, ties to the even code. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp.h"
#include "testutil.h"

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* A sorted grid of the non-negative values of a format: grid[i] has code
 * codes[i].  The last entry is the first value past the largest finite one
 * and carries the code that overflow produces (inf or NaN). */
typedef struct grid {
    double v[70000];
    uint32_t code[70000];
    size_t n;
} grid;

static grid g16, gbf, g8;

static void grid_build(void)
{
    g16.n = gbf.n = g8.n = 0;
    for (uint32_t h = 0; h < 0x7c00; h++) {
        g16.v[g16.n] = as_f16_to_f32((uint16_t)h);
        g16.code[g16.n++] = h;
    }
    g16.v[g16.n] = 65536.0;
    g16.code[g16.n++] = 0x7c00;
    for (uint32_t h = 0; h < 0x7f80; h++) {
        gbf.v[gbf.n] = as_bf16_to_f32((uint16_t)h);
        gbf.code[gbf.n++] = h;
    }
    gbf.v[gbf.n] = ldexp(1.0, 128);
    gbf.code[gbf.n++] = 0x7f80;
    for (uint32_t b = 0; b < 0x7f; b++) {
        g8.v[g8.n] = as_f8e4m3_to_f32((uint8_t)b);
        g8.code[g8.n++] = b;
    }
    g8.v[g8.n] = 480.0;
    g8.code[g8.n++] = 0x7f;
}

/* Reference rounding of |x| (finite) on grid g. */
static uint32_t grid_round(const grid *g, double x)
{
    if (x >= g->v[g->n - 1])
        return g->code[g->n - 1];
    size_t lo = 0, hi = g->n - 1; /* v[lo] <= x < v[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (g->v[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    double dl = x - g->v[lo], dh = g->v[hi] - x;
    if (dl < dh)
        return g->code[lo];
    if (dh < dl)
        return g->code[hi];
    return (g->code[lo] & 1) ? g->code[hi] : g->code[lo];
}

static uint16_t ref_f16(float f)
{
    if (isnan(f))
        return (uint16_t)(((bits(f) >> 16) & 0x8000) | 0x7e00);
    uint16_t s = (uint16_t)((bits(f) >> 16) & 0x8000);
    if (isinf(f))
        return s | 0x7c00;
    return s | (uint16_t)grid_round(&g16, fabs((double)f));
}

static uint16_t ref_bf16(float f)
{
    if (isnan(f))
        return 0x7fc0;
    uint16_t s = (uint16_t)((bits(f) >> 16) & 0x8000);
    if (isinf(f))
        return s | 0x7f80;
    return s | (uint16_t)grid_round(&gbf, fabs((double)f));
}

static uint8_t ref_f8(float f)
{
    uint8_t s = (uint8_t)((bits(f) >> 24) & 0x80);
    if (isnan(f) || isinf(f))
        return s | 0x7f;
    return s | (uint8_t)grid_round(&g8, fabs((double)f));
}

START_TEST(f16_every_value_round_trips)
{
    for (uint32_t h = 0; h <= 0xffff; h++) {
        float f = as_f16_to_f32((uint16_t)h);
        uint16_t back = as_f32_to_f16(f);
        uint32_t want = ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) ? (h & 0x8000) | 0x7e00 : h;
        ck_assert_msg(back == want, "%04x -> %04x", h, back);
    }
}
END_TEST

START_TEST(bf16_every_value_round_trips)
{
    for (uint32_t h = 0; h <= 0xffff; h++) {
        float f = as_bf16_to_f32((uint16_t)h);
        uint16_t back = as_f32_to_bf16(f);
        uint32_t want = ((h & 0x7f80) == 0x7f80 && (h & 0x7f)) ? 0x7fc0 : h;
        ck_assert_msg(back == want, "%04x -> %04x", h, back);
    }
}
END_TEST

START_TEST(f8_every_value_round_trips)
{
    for (uint32_t b = 0; b <= 0xff; b++) {
        float f = as_f8e4m3_to_f32((uint8_t)b);
        uint8_t back = as_f32_to_f8e4m3(f);
        if ((b & 0x7f) == 0x7f) {
            ck_assert(isnan(f)); /* the decoder's NaN has no sign */
            ck_assert_uint_eq(back & 0x7f, 0x7f);
        } else {
            ck_assert_uint_eq(back, b);
        }
    }
}
END_TEST

/* Every midpoint between neighbouring values, and the floats right next to
 * it, against the reference.  Returns the number of mismatches. */
static long check_neighbourhood(float x, float *first_bad)
{
    float cand[5] = {x, nextafterf(x, INFINITY), nextafterf(x, -INFINITY), -x, 0};
    long bad = 0;
    cand[4] = -cand[1];
    for (int k = 0; k < 5; k++) {
        float f = cand[k];
        if (as_f32_to_f16(f) != ref_f16(f) || as_f32_to_bf16(f) != ref_bf16(f) ||
            as_f32_to_f8e4m3(f) != ref_f8(f)) {
            if (!bad++)
                *first_bad = f;
        }
    }
    return bad;
}

START_TEST(midpoints_round_to_even)
{
    const grid *gs[3] = {&g16, &gbf, &g8};
    long bad = 0;
    float first_bad = 0;
    for (int k = 0; k < 3; k++) {
        const grid *g = gs[k];
        for (size_t i = 0; i + 1 < g->n; i++) {
            double m = (g->v[i] + g->v[i + 1]) / 2;
            float mf = (float)m, fb = 0;
            long b = 0;
            if ((double)mf == m)
                b += check_neighbourhood(mf, &fb);
            b += check_neighbourhood((float)g->v[i], &fb);
            if (b && !bad)
                first_bad = fb;
            bad += b;
        }
    }
    ck_assert_msg(bad == 0, "%ld mismatches, first at %a", bad, (double)first_bad);
}
END_TEST

START_TEST(known_values)
{
    /* Ties: 1 + 2^-11 lies between 1 and the next half (odd): goes to 1. */
    ck_assert_uint_eq(as_f32_to_f16(1.0f + ldexpf(1, -11)), 0x3c00);
    ck_assert_uint_eq(as_f32_to_f16(1.0f + 3 * ldexpf(1, -11)), 0x3c02);
    ck_assert_uint_eq(as_f32_to_f16(65504.0f), 0x7bff);
    ck_assert_uint_eq(as_f32_to_f16(65519.0f), 0x7bff);
    ck_assert_uint_eq(as_f32_to_f16(65520.0f), 0x7c00);
    ck_assert_uint_eq(as_f32_to_f16(-1e10f), 0xfc00);
    ck_assert_uint_eq(as_f32_to_f16(-INFINITY), 0xfc00);
    ck_assert_uint_eq(as_f32_to_f16(NAN), 0x7e00);
    ck_assert_uint_eq(as_f32_to_f16(ldexpf(1, -24)), 0x0001);
    ck_assert_uint_eq(as_f32_to_f16(ldexpf(1, -25)), 0x0000);       /* tie to even 0 */
    ck_assert_uint_eq(as_f32_to_f16(ldexpf(3, -25)), 0x0002);       /* tie to even 2 */
    ck_assert_uint_eq(as_f32_to_f16(-0.0f), 0x8000);
    ck_assert_uint_eq(as_f32_to_bf16(1.0f), 0x3f80);
    ck_assert_uint_eq(as_f32_to_bf16(from_bits(0x3f808000)), 0x3f80); /* tie, even */
    ck_assert_uint_eq(as_f32_to_bf16(from_bits(0x3f818000)), 0x3f82); /* tie, up */
    ck_assert_uint_eq(as_f32_to_bf16(from_bits(0x7f7fffff)), 0x7f80); /* max rounds to inf */
    ck_assert_uint_eq(as_f32_to_bf16(-NAN), 0x7fc0);
    ck_assert_uint_eq(as_f32_to_f8e4m3(448.0f), 0x7e);
    ck_assert_uint_eq(as_f32_to_f8e4m3(464.0f), 0x7e);  /* tie: 0x7e is even */
    ck_assert_uint_eq(as_f32_to_f8e4m3(465.0f), 0x7f);  /* rounds to the NaN code */
    ck_assert_uint_eq(as_f32_to_f8e4m3(480.0f), 0x7f);
    ck_assert_uint_eq(as_f32_to_f8e4m3(-1e6f), 0xff);
    ck_assert_uint_eq(as_f32_to_f8e4m3(INFINITY), 0x7f);
    ck_assert_uint_eq(as_f32_to_f8e4m3(-NAN), 0xff);
    ck_assert_uint_eq(as_f32_to_f8e4m3(1.0f), 0x38);
    ck_assert_uint_eq(as_f32_to_f8e4m3(-2.0f), 0xc0);
    ck_assert_uint_eq(as_f32_to_f8e4m3(ldexpf(1, -9)), 0x01);       /* smallest subnormal */
    ck_assert_uint_eq(as_f32_to_f8e4m3(ldexpf(1, -10)), 0x00);      /* tie to 0 */
    ck_assert_uint_eq(as_f32_to_f8e4m3(ldexpf(3, -10)), 0x02);      /* tie to 2 */
    ck_assert_uint_eq(as_f32_to_f8e4m3(ldexpf(15, -10)), 0x08);     /* up into normals */
}
END_TEST

/* A sweep over all float32 exponents with pseudo-random mantissas. */
START_TEST(random_floats_match_reference)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    long bad = 0;
    float first_bad = 0;
    for (int i = 0; i < 2000000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        float f = from_bits((uint32_t)s);
        if (as_f32_to_f16(f) != ref_f16(f) || as_f32_to_bf16(f) != ref_bf16(f) ||
            as_f32_to_f8e4m3(f) != ref_f8(f)) {
            if (!bad++)
                first_bad = f;
        }
    }
    ck_assert_msg(bad == 0, "%ld mismatches, first at %a", bad, (double)first_bad);
}
END_TEST

int main(void)
{
    grid_build();
    Suite *s = suite_create("fp");
    TCase *tc = tcase_create("encode");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, f16_every_value_round_trips);
    tcase_add_test(tc, bf16_every_value_round_trips);
    tcase_add_test(tc, f8_every_value_round_trips);
    tcase_add_test(tc, midpoints_round_to_even);
    tcase_add_test(tc, known_values);
    tcase_add_test(tc, random_floats_match_reference);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
