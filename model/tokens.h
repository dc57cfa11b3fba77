/* tokens.h - token text: decoding tokenizer spellings and showing text safely.
 *
 * An inseq file stores tokens as the tokenizer spells them (attr.h keeps that
 * raw text).  Without the tokenizer the common spellings can be undone from
 * the text alone; this module does that and turns any text into something a
 * terminal or a page can show without being driven by it.
 *
 * Decoding modes (see tokens_mode):
 *   NONE           the raw text, unchanged.
 *   GPT2           byte-level BPE (GPT-2, RoBERTa, Llama 3, Qwen...): every
 *                  character of the token stands for one byte.  Bytes 33-126,
 *                  161-172 and 174-255 are the code point of the same value;
 *                  the other 68 bytes are U+0100 onward in byte order (so
 *                  U+0120 `Ġ` is a space, U+010A `Ċ` a newline).  Characters
 *                  outside that alphabet (added special tokens) are kept.
 *   SENTENCEPIECE  U+2581 `▁` is a space; a token that is exactly `<0xNN>`
 *                  (byte fallback) is the byte NN.
 *   WORDPIECE      a `##` prefix marks a word continuation and is removed;
 *                  any other token starts a word and is shown with one
 *                  leading space (" word"), like `Ġ`/`▁` in the other modes,
 *                  except the punctuation tokens "." "," "!" "?" which attach
 *                  to what precedes them.
 *   AUTO           only a request: tokens_detect*() or tokens_resolve() turn
 *                  it into one of the above.  Decoding with AUTO is NONE.
 *
 * Decoded text is bytes, not necessarily valid UTF-8: a character split
 * across tokens leaves a partial byte sequence in each token.  Decoding a
 * whole list (tokens_join) puts those bytes back together.  Decoded bytes may
 * also hold NUL (GPT-2 `Ā`, `<0x00>`) so lengths are always returned.
 *
 * Showing text (tokens_escape, tokens_fit, tokens_label): the result is valid
 * UTF-8 in which nothing can drive a terminal.  Escaped, each as one unit:
 *   NUL (byte 00 or the modified-UTF-8 pair C0 80)   \0
 *   newline, tab, carriage return                    \n \t \r
 *   other C0 controls, ESC, BEL, DEL                 \x1b \x07 \x7f ...
 *   C1 controls U+0080-U+009F                        \u0085 ...
 *   bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+206F,
 *   and the separators U+2028, U+2029                \u202e ...
 *   bytes that are not valid UTF-8 (also surrogates, overlong forms)  \xe4
 * A backslash is shown as itself unless TOKENS_ESC_BACKSLASH is given.
 * Single-token labels show a newline as `\n` by default; TOKENS_ESC_SYMBOLS
 * shows `↵` (and `⇥` for tab) instead.  Text meant to keep its line breaks
 * (a generated text) should be split at '\n' before escaping each line.
 *
 * Widths are terminal columns with wcwidth semantics from a built-in table
 * (Unicode 14; tools/gen_width_table.py): East Asian Wide/Fullwidth and
 * emoji are 2, combining marks and other format characters 0, the rest 1.
 * Nothing here depends on the locale, allocates in the width/escape/fit/label
 * path (except tokens_label for tokens longer than 1 KiB), prints or exits.
 *
 * Buffers: functions writing to (dst, cap) behave like snprintf: they write
 * at most cap-1 bytes plus a NUL (nothing when cap is 0) and return the
 * length the full result needs (compare it with cap to see a cut; a cut by
 * cap adds no `…`).  The display functions cut at a character or escape
 * boundary, so their dst is always valid UTF-8; tokens_decode cuts at any
 * byte.  TOKENS_ESCAPE_MAX(len) bytes always suffice for escaping len bytes,
 * with any flags.
 *
 * Ownership: the *_dup and tokens_join* functions return malloc'd memory the
 * caller frees with free(); they return NULL only when out of memory.
 * Nothing keeps pointers to its arguments.  No call order is required.
 */
#ifndef AS_TOKENS_H
#define AS_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "err.h"

typedef enum tokens_mode {
    TOKENS_AUTO = 0,
    TOKENS_NONE,
    TOKENS_GPT2,
    TOKENS_SENTENCEPIECE,
    TOKENS_WORDPIECE,
} tokens_mode;

/* "auto", "none", "gpt2", "sentencepiece", "wordpiece". */
const char *tokens_mode_name(tokens_mode m);
/* Parses a mode name (case-insensitive; also "raw" for none, "bytelevel" and
 * "bpe" for gpt2, "sp"/"spm" for sentencepiece, "wp" for wordpiece).  On an
 * unknown name returns AS_EUSAGE with a message listing the choices. */
int tokens_mode_parse(const char *s, tokens_mode *out, as_error *err);

/* ---- Detection ----------------------------------------------------------
 *
 * Evidence is gathered over token lists, each in order (a list is one
 * sequence's source or target).  The verdict, first that holds:
 *   SENTENCEPIECE  some token has `▁` or is a byte-fallback token `<0xNN>`;
 *   GPT2           every character of every token is in the GPT-2 byte
 *                  alphabet, there is positive evidence: a `Ġ`/`Ċ`/`ĉ`
 *                  (space, newline, tab) or a multi-byte character spelled
 *                  as bytes (`Ã©` for é), and the bytes are valid UTF-8 when
 *                  each list is read as one text (a split character at the
 *                  very start or end of a list is allowed; when spaces are
 *                  spelled `Ġ`, up to one invalid byte per ten pieces of
 *                  evidence is too, as models can emit broken bytes);
 *   WORDPIECE      some token starts with `##` and has more after it, or is
 *                  [CLS], [SEP], [MASK], [PAD] or [UNK];
 *   NONE           otherwise (plain words, with or without accents, stay
 *                  NONE: Latin-1 text read as GPT-2 bytes is invalid UTF-8).
 * Tokens shaped like special tokens (`<...>`, `[...]`, at least 3 bytes) do
 * not count as GPT-2 evidence either way and break the byte stream.
 *
 * Usage: tokens_stats_init(), any number of tokens_stats_add*(), then
 * tokens_stats_mode().  The struct holds counters only; nothing to free. */
typedef struct tokens_stats {
    size_t ntokens;
    size_t sp_marks;        /* tokens with U+2581 */
    size_t sp_bytes;        /* byte-fallback tokens <0xNN> */
    size_t wp_marks;        /* ##-continuations and [CLS]-style tokens */
    size_t gpt2_outside;    /* tokens with a character outside the alphabet */
    size_t gpt2_spaces;     /* Ġ Ċ ĉ characters */
    size_t gpt2_multibyte;  /* complete multi-byte characters in the bytes */
    size_t gpt2_invalid;    /* invalid bytes in the middle of a list */
} tokens_stats;

void tokens_stats_init(tokens_stats *st);
/* Adds one token list (n strings, in order). */
void tokens_stats_add(tokens_stats *st, const char *const *toks, size_t n);
void tokens_stats_add_list(tokens_stats *st, const as_tokens *t);
tokens_mode tokens_stats_mode(const tokens_stats *st);

/* Detection over one list. */
tokens_mode tokens_detect(const char *const *toks, size_t n);
/* Detection over every token list of an output (sequence sources and targets,
 * and, when file_index is -1, the token lists of step outputs).  file_index
 * >= 0 restricts it to the sequences that came from that file
 * (as_seq.file_index). */
tokens_mode tokens_detect_output(const as_output *o, int file_index);
/* requested, or the detected mode when requested is TOKENS_AUTO. */
tokens_mode tokens_resolve(tokens_mode requested, const as_output *o, int file_index);

/* ---- Decoding ---------------------------------------------------------- */

/* A buffer this large (NUL included) always holds tokens_decode()'s result
 * for a token of len bytes. */
#define TOKENS_DECODE_MAX(len) ((len) + 2)

/* Decodes one NUL-terminated token into dst (bytes, see above; the result is
 * NUL-terminated but may contain NULs: use the returned length). */
size_t tokens_decode(tokens_mode m, const char *tok, char *dst, size_t cap);
/* Same, allocated; *len gets the length. */
char *tokens_decode_dup(tokens_mode m, const char *tok, size_t *len);

/* Decodes a token list as one text (a NULL string counts as ""): the concatenation of the single-token
 * decodings, except that in SENTENCEPIECE and WORDPIECE modes one leading
 * space of the text is dropped (as the tokenizers' own decoders do).
 * Split characters join up.  Allocated, NUL-terminated, *len gets the length
 * (len may be NULL).  tokens_join_list decodes t->v[from..to). */
char *tokens_join(tokens_mode m, const char *const *toks, size_t n, size_t *len);
char *tokens_join_list(tokens_mode m, const as_tokens *t, size_t from, size_t to,
                       size_t *len);
/* The sequence search: whether needle (ASCII case-insensitive) is in one
 * token's raw text, or in the text of the source or target tokens decoded
 * in mode m (so it may span tokens). */
bool tokens_seq_contains(tokens_mode m, const as_seq *s, const char *needle);

/* ---- Display ------------------------------------------------------------ */

enum {
    TOKENS_ESC_BACKSLASH = 1 << 0,   /* `\` -> `\\` (escapes become unambiguous) */
    TOKENS_ESC_SYMBOLS = 1 << 1,     /* newline -> `↵`, tab -> `⇥` */
    TOKENS_ESC_SPACE = 1 << 2,       /* space -> `␣` */
    TOKENS_ESC_BASE = 1 << 3,        /* `◌` before a leading zero-width character */
};

/* Enough bytes for escaping (or fitting) len bytes with any flags, NUL
 * included. */
#define TOKENS_ESCAPE_MAX(len) (4 * (size_t)(len) + 8)

/* Escapes len bytes of text (see the table above) into dst. */
size_t tokens_escape(char *dst, size_t cap, const char *s, size_t len, unsigned flags);
/* Same, allocated (NUL-terminated). */
char *tokens_escape_dup(const char *s, size_t len, unsigned flags);

/* Columns the escaped form of s takes.  For text already escaped (or any
 * valid UTF-8 without controls) and flags 0 this is its own width. */
int tokens_width(const char *s, size_t len, unsigned flags);

/* Escapes s and fits it in max_cols columns: when it is wider, the longest
 * prefix of whole characters and escapes that fits in max_cols - 1 columns
 * (with any zero-width characters that follow it) then `…`.  max_cols < 0
 * means no limit; max_cols 0 gives "".  *cols (may be NULL) gets the columns
 * of the result. */
size_t tokens_fit(char *dst, size_t cap, const char *s, size_t len, unsigned flags,
                  int max_cols, int *cols);
/* tokens_fit() for text that is already display text (escaped, flags 0). */
size_t tokens_truncate(char *dst, size_t cap, const char *s, size_t len, int max_cols,
                       int *cols);

/* One token's label: tokens_decode() then tokens_fit(). */
size_t tokens_label(char *dst, size_t cap, tokens_mode m, const char *tok,
                    unsigned flags, int max_cols, int *cols);

/* ---- Characters --------------------------------------------------------- */

/* Decodes one UTF-8 character from s (len > 0).  Returns the bytes it takes
 * and sets *cp; for a byte that does not start a valid character returns 1
 * and sets *cp to -1.  C0 80 decodes as U+0000. */
size_t tokens_utf8_next(const char *s, size_t len, int32_t *cp);
/* Encodes code point cp (0..0x10FFFF) as UTF-8 into o (room for 4 bytes);
 * returns the bytes written. */
size_t tokens_utf8_put(int32_t cp, char *o);
/* The same, also decoding UTF-16 surrogates (ED A0..BF xx), which a Python
 * string may hold and the JSON writer escapes as \udxxx. */
size_t tokens_wtf8_next(const char *s, size_t len, int32_t *cp);
/* Columns of a code point: -1 for C0/C1 controls and DEL, 0 for combining and
 * format characters, 2 for wide, 1 otherwise (and for NUL: 0). */
int tokens_cp_width(int32_t cp);
/* The GPT-2 byte-level alphabet: the code point standing for byte b, and the
 * byte a code point stands for (-1 when outside the alphabet). */
int32_t tokens_gpt2_char(unsigned char b);
int tokens_gpt2_byte(int32_t cp);

#endif
