/* fp_encode.c - narrowing float32 to F16, BF16 and F8_E4M3, bit-compatible
 * with torch's CPU conversions (c10 Half, BFloat16, Float8_e4m3fn):
 *
 *   F16:  round to nearest even; values from 65520 up become +-inf; any NaN
 *         becomes the quiet NaN 0x7E00 with its sign.
 *   BF16: round to nearest even on the upper 16 bits; any NaN becomes 0x7FC0
 *         (sign dropped, as c10 does).
 *   F8_E4M3 (fn): round to nearest even; no saturation: every magnitude from
 *         480 up (inf and NaN included) becomes 0x7F with the sign, and so
 *         does anything that rounds past 448 (464 ties to 448, which is even;
 *         larger values round to the NaN code), exactly as torch.
 */
#include "fp.h"

#include <string.h>

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

uint16_t as_f32_to_f16(float f)
{
    uint32_t u = f32_bits(f);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    u &= 0x7fffffffu;
    if (u > 0x7f800000u)
        return sign | 0x7e00u;
    if (u >= 0x477ff000u) /* 65520 and up (the tie above 65504 rounds up) */
        return sign | 0x7c00u;
    if (u >= 0x38800000u) { /* normal half: 2^-14 and up */
        uint32_t odd = (u >> 13) & 1u;
        u += ((uint32_t)(15 - 127) << 23) + 0xfffu + odd;
        return sign | (uint16_t)(u >> 13);
    }
    /* Subnormal half or zero: adding 0.5f aligns the value so that the FPU's
     * own round-to-nearest-even leaves the half mantissa in the low bits. */
    float t = bits_f32(u) + 0.5f;
    return sign | (uint16_t)(f32_bits(t) - 0x3f000000u);
}

uint16_t as_f32_to_bf16(float f)
{
    uint32_t u = f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return 0x7fc0u;
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

uint8_t as_f32_to_f8e4m3(float f)
{
    uint32_t u = f32_bits(f);
    uint8_t sign = (uint8_t)((u >> 24) & 0x80u);
    uint8_t r;
    u &= 0x7fffffffu;
    if (u >= 0x43f00000u) { /* 480.0f and up, inf, NaN */
        r = 0x7f;
    } else if (u < 0x3c800000u) { /* below 2^-6: subnormal or zero */
        /* 2^14 has its unit in the last place at 2^-9, the f8 subnormal step. */
        float t = bits_f32(u) + 16384.0f;
        r = (uint8_t)(f32_bits(t) - 0x46800000u);
    } else {
        uint32_t odd = (u >> 20) & 1u;
        u += ((uint32_t)(7 - 127) << 23) + 0x7ffffu + odd;
        r = (uint8_t)(u >> 20);
    }
    return r | sign;
}
