/* fp.h - conversions between float32 and the narrow float formats that inseq
 * (torch / safetensors) stores: IEEE half (F16), bfloat16 (BF16) and
 * float8 e4m3fn (F8_E4M3: 1 sign, 4 exponent bits with bias 7, 3 mantissa
 * bits, no infinities, 0x7F / 0xFF = NaN).
 *
 * Narrowing rounds to nearest, ties to even, as torch's .to() does; values
 * too large for F8_E4M3 become NaN as torch's float8_e4m3fn conversion does
 * not saturate (see fp_encode.c).  Pure functions, no state.
 */
#ifndef AS_FP_H
#define AS_FP_H

#include <stddef.h>
#include <stdint.h>

float as_f16_to_f32(uint16_t h);
float as_bf16_to_f32(uint16_t h);
float as_f8e4m3_to_f32(uint8_t b);

uint16_t as_f32_to_f16(float f);
uint16_t as_f32_to_bf16(float f);
uint8_t as_f32_to_f8e4m3(float f);

#endif
