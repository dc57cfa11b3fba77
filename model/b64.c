#include "b64.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

static const char enc_tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define BAD 0x01000000u

/* dK[c] holds the 6 bits of character c placed where they land when the
 * group's 24 bits are stored little-endian as bytes b0 b1 b2. */
static uint32_t d0[256], d1[256], d2[256], d3[256];
static signed char dval[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
    for (int i = 0; i < 256; i++) {
        d0[i] = d1[i] = d2[i] = d3[i] = BAD;
        dval[i] = -1;
    }
    for (uint32_t v = 0; v < 64; v++) {
        unsigned char c = (unsigned char)enc_tab[v];
        dval[c] = (signed char)v;
        /* 24-bit big-endian value: v0<<18 | v1<<12 | v2<<6 | v3.
         * byte0 = v0<<2 | v1>>4; byte1 = (v1&15)<<4 | v2>>2; byte2 = (v2&3)<<6 | v3 */
        d0[c] = v << 2;
        d1[c] = (v >> 4) | ((v & 0x0f) << 12);
        d2[c] = ((v >> 2) << 8) | ((v & 0x03) << 22);
        d3[c] = v << 16;
    }
}

/* Once per process: files may be read on several threads at once. */
static inline void ensure_tables(void)
{
    pthread_once(&tables_once, init_tables);
}

bool b64_is_alpha(unsigned char c)
{
    ensure_tables();
    return dval[c] >= 0;
}

static char b64_pair[4096][2]; /* 12 bits -> two characters */
static bool b64_use_avx2;
static pthread_once_t b64_once = PTHREAD_ONCE_INIT;

static void b64_init(void)
{
    for (int i = 0; i < 4096; i++) {
        b64_pair[i][0] = enc_tab[i >> 6];
        b64_pair[i][1] = enc_tab[i & 63];
    }
#if defined(__x86_64__) && defined(__GNUC__)
    b64_use_avx2 = __builtin_cpu_supports("avx2");
#endif
}

/* Encodes n bytes (a multiple of 3) into 4 * n / 3 characters. */
static void b64_groups_scalar(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i += 3, out += 4) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        memcpy(out, b64_pair[v >> 12], 2);
        memcpy(out + 2, b64_pair[v & 0xfff], 2);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_B64_AVX2 1

/* 24 input bytes -> 32 characters per step.  Each 3-byte group a b c is
 * spread into a 32-bit word holding b a c b; two masked 16-bit multiplies
 * then move the four 6-bit fields to the four bytes, and a 16-entry table
 * indexed by the field's range gives the offset to its ASCII character. */
__attribute__((target("avx2"))) static size_t b64_groups_avx2(const unsigned char *in, size_t n,
                                                              char *out)
{
    const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                            1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const __m256i mask_hi = _mm256_set1_epi32(0x0fc0fc00);
    const __m256i mul_hi = _mm256_set1_epi32(0x04000040);
    const __m256i mask_lo = _mm256_set1_epi32(0x003f03f0);
    const __m256i mul_lo = _mm256_set1_epi32(0x01000010);
    /* offsets by class: 0 -> 26..51, 1..10 -> 52..61, 11 -> 62, 12 -> 63, 13 -> 0..25 */
    const __m256i offs = _mm256_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16,
                                          65, 0, 0, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4,
                                          -19, -16, 65, 0, 0);
    const __m256i c51 = _mm256_set1_epi8(51), c26 = _mm256_set1_epi8(26),
                  c13 = _mm256_set1_epi8(13);
    size_t i = 0;
    /* Each 16-byte load reads 4 bytes past its 12 bytes: keep 4 in hand. */
    for (; i + 28 <= n; i += 24, out += 32) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 12));
        __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        v = _mm256_shuffle_epi8(v, spread);
        __m256i a = _mm256_mulhi_epu16(_mm256_and_si256(v, mask_hi), mul_hi);
        __m256i b = _mm256_mullo_epi16(_mm256_and_si256(v, mask_lo), mul_lo);
        __m256i idx = _mm256_or_si256(a, b);
        __m256i cls = _mm256_subs_epu8(idx, c51);
        cls = _mm256_or_si256(cls, _mm256_and_si256(_mm256_cmpgt_epi8(c26, idx), c13));
        __m256i res = _mm256_add_epi8(idx, _mm256_shuffle_epi8(offs, cls));
        _mm256_storeu_si256((__m256i *)(void *)out, res);
    }
    return i;
}
#endif

void b64_encode_groups(const uint8_t *in, size_t n, char *out)
{
    pthread_once(&b64_once, b64_init);
#ifdef HAVE_B64_AVX2
    if (b64_use_avx2 && n >= 64) {
        size_t done = b64_groups_avx2(in, n, out);
        in += done;
        out += done / 3 * 4;
        n -= done;
    }
#endif
    b64_groups_scalar(in, n, out);
}

size_t b64_encode(const uint8_t *in, size_t n, char *out)
{
    size_t whole = n / 3 * 3;
    b64_encode_groups(in, whole, out);
    char *o = out + whole / 3 * 4;
    size_t i = whole;
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        o[0] = enc_tab[v >> 18];
        o[1] = enc_tab[(v >> 12) & 63];
        o[2] = i + 1 < n ? enc_tab[(v >> 6) & 63] : '=';
        o[3] = '=';
        o += 4;
    }
    return (size_t)(o - out);
}

size_t b64_decode_groups(const char *in, size_t n, uint8_t *out, size_t *out_len)
{
    ensure_tables();
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;
    /* Two groups per round: 8 characters -> 6 bytes. */
    while (i + 8 <= n) {
        uint32_t x = d0[s[i]] | d1[s[i + 1]] | d2[s[i + 2]] | d3[s[i + 3]];
        uint32_t y = d0[s[i + 4]] | d1[s[i + 5]] | d2[s[i + 6]] | d3[s[i + 7]];
        if ((x | y) & BAD)
            break;
        uint64_t w = (uint64_t)x | ((uint64_t)y << 24);
        memcpy(out + o, &w, 8); /* 8 bytes written, 6 kept */
        i += 8;
        o += 6;
    }
    while (i + 4 <= n) {
        uint32_t x = d0[s[i]] | d1[s[i + 1]] | d2[s[i + 2]] | d3[s[i + 3]];
        if (x & BAD)
            break;
        memcpy(out + o, &x, 4);
        i += 4;
        o += 3;
    }
    *out_len = o;
    return i;
}

bool b64_decode(const char *in, size_t n, uint8_t *out, size_t *out_len, size_t *bad_pos)
{
    size_t got;
    size_t i = b64_decode_groups(in, n, out, &got);
    const unsigned char *s = (const unsigned char *)in;
    int q[4], qn = 0;
    size_t pad = 0;
    for (; i < n; i++) {
        unsigned char c = s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad || dval[c] < 0) {
            if (bad_pos)
                *bad_pos = i;
            return false;
        }
        q[qn++] = dval[c];
        if (qn == 4) {
            out[got++] = (uint8_t)(q[0] << 2 | q[1] >> 4);
            out[got++] = (uint8_t)(q[1] << 4 | q[2] >> 2);
            out[got++] = (uint8_t)(q[2] << 6 | q[3]);
            qn = 0;
        }
    }
    if (qn == 1 || pad > 2 || (pad && (qn + pad) % 4 != 0)) {
        if (bad_pos)
            *bad_pos = n;
        return false;
    }
    if (qn >= 2)
        out[got++] = (uint8_t)(q[0] << 2 | q[1] >> 4);
    if (qn == 3)
        out[got++] = (uint8_t)(q[1] << 4 | q[2] >> 2);
    *out_len = got;
    return true;
}
