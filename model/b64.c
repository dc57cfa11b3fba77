#include "b64.h"

#include <string.h>

static const char enc_tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#define BAD 0x01000000u

/* dK[c] holds the 6 bits of character c placed where they land when the
 * group's 24 bits are stored little-endian as bytes b0 b1 b2. */
static uint32_t d0[256], d1[256], d2[256], d3[256];
static signed char dval[256];
static bool tables_ready;

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
    __atomic_store_n(&tables_ready, true, __ATOMIC_RELEASE);
}

static inline void ensure_tables(void)
{
    if (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE))
        init_tables(); /* idempotent: racing initialisers write the same values */
}

bool b64_is_alpha(unsigned char c)
{
    ensure_tables();
    return dval[c] >= 0;
}

size_t b64_encode(const uint8_t *in, size_t n, char *out)
{
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        o[0] = enc_tab[v >> 18];
        o[1] = enc_tab[(v >> 12) & 63];
        o[2] = enc_tab[(v >> 6) & 63];
        o[3] = enc_tab[v & 63];
        o += 4;
    }
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
