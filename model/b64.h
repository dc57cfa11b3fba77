/* b64.h - standard base64 (RFC 4648, '+' '/', '=' padding), fast.
 *
 * The decoder is incremental so the loader can feed it a string that arrives
 * in chunks; it stops at the first byte that is not in the alphabet and lets
 * the caller decide (closing quote, padding, or not base64 after all).
 * Functions over caller buffers; no allocation (a table is built once).
 */
#ifndef AS_B64_H
#define AS_B64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes needed to encode n bytes (with padding), and the most that decoding
 * n characters can produce. */
static inline size_t b64_encoded_len(size_t n) { return (n + 2) / 3 * 4; }
static inline size_t b64_decoded_max(size_t n) { return n / 4 * 3 + 3; } /* includes slack */

/* Encodes n bytes into out (b64_encoded_len(n) bytes, no NUL). Returns the
 * number of characters written. */
size_t b64_encode(const uint8_t *in, size_t n, char *out);

/* Encodes n bytes, a multiple of 3, into n / 3 * 4 characters (no padding,
 * no NUL); AVX2 where the processor has it.  For writers that stream. */
void b64_encode_groups(const uint8_t *in, size_t n, char *out);

/* True when c is one of the 64 alphabet characters (not '='). */
bool b64_is_alpha(unsigned char c);

/* Decodes as many whole 4-character groups of alphabet characters from in
 * (n bytes) as possible, writing 3 bytes per group to out.  out must have
 * room for n / 4 * 3 + 2 bytes (two bytes of slack may be written).  Returns the
 * number of input characters consumed (a multiple of 4); *out_len receives
 * the bytes written.  Stops before the first group holding a non-alphabet
 * character or before a trailing partial group. */
size_t b64_decode_groups(const char *in, size_t n, uint8_t *out, size_t *out_len);

/* Whole-string decode with padding rules (missing padding tolerated).
 * out needs b64_decoded_max(n) bytes.  Returns false on a character outside
 * the alphabet, misplaced padding or a dangling single character; *bad_pos
 * (if not NULL) then gets the offset of the problem. */
bool b64_decode(const char *in, size_t n, uint8_t *out, size_t *out_len, size_t *bad_pos);

#endif
