/* test_tokens.c - token decoding, detection, escaping, widths, truncation. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tokens.h"

/* A byte string with its length (may hold NULs). */
typedef struct bstr {
    const char *s;
    size_t n;
} bstr;
#define B(lit) {lit, sizeof(lit) - 1}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- GPT-2 byte alphabet -------------------------------------------------- */

/* The reference construction: printable bytes keep their value, the others
 * take U+0100 onward in byte order. */
static int32_t ref_gpt2[256];

static void build_ref_gpt2(void)
{
    int n = 0;
    for (int b = 0; b < 256; b++) {
        bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
        ref_gpt2[b] = printable ? b : 256 + n++;
    }
    ck_assert_int_eq(n, 68);
}

/* Every code point outside the surrogates encodes to the UTF-8 that
 * tokens_utf8_next() reads back whole, in the shortest form. */
START_TEST(utf8_put_round_trip)
{
    int32_t bad = -1;
    for (int32_t cp = 0; cp <= 0x10FFFF && bad < 0; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char b[4];
        size_t n = tokens_utf8_put(cp, b);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        int32_t back;
        if (n != want || tokens_utf8_next(b, n, &back) != n || back != cp)
            bad = cp;
    }
    ck_assert_msg(bad < 0, "U+%04X does not round-trip", (unsigned)bad);
}
END_TEST

START_TEST(gpt2_alphabet_all_bytes)
{
    build_ref_gpt2();
    bool seen[0x144] = {false};
    for (int b = 0; b < 256; b++) {
        int32_t c = tokens_gpt2_char((unsigned char)b);
        ck_assert_int_eq(c, ref_gpt2[b]);
        ck_assert_int_lt(c, 0x144);
        ck_assert(!seen[c]);
        seen[c] = true;
        ck_assert_int_eq(tokens_gpt2_byte(c), b);

        /* A token made of that one character decodes to that one byte. */
        char tok[8] = {0}, out[8];
        tokens_utf8_put(c, tok);
        size_t n = tokens_decode(TOKENS_GPT2, tok, out, sizeof out);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq((unsigned char)out[0], b);
    }
    ck_assert_int_eq(tokens_gpt2_char(' '), 0x120);
    ck_assert_int_eq(tokens_gpt2_char('\n'), 0x10A);
    ck_assert_int_eq(tokens_gpt2_char(127), 0x121);
    ck_assert_int_eq(tokens_gpt2_char(160), 0x142);
    ck_assert_int_eq(tokens_gpt2_char(173), 0x143);
    /* Outside the alphabet. */
    static const int32_t outside[] = {-1, 0, ' ', '\n', 127, 0xA0, 0xAD, 0x144, 0x2581, 0x4F60};
    for (size_t i = 0; i < NELEM(outside); i++)
        ck_assert_int_eq(tokens_gpt2_byte(outside[i]), -1);
}
END_TEST

START_TEST(gpt2_round_trip_text)
{
    /* All 256 bytes spelled as one GPT-2 token decode back to themselves. */
    char tok[256 * 2 + 1];
    size_t k = 0;
    for (int b = 0; b < 256; b++)
        k += tokens_utf8_put(tokens_gpt2_char((unsigned char)b), tok + k);
    tok[k] = '\0';
    char out[300];
    size_t n = tokens_decode(TOKENS_GPT2, tok, out, sizeof out);
    ck_assert_uint_eq(n, 256);
    for (int b = 0; b < 256; b++)
        ck_assert_int_eq((unsigned char)out[b], b);
    ck_assert_int_eq(out[256], '\0');

    /* And split into one token per byte, joined as a text. */
    char toks[256][4];
    const char *v[256];
    for (int b = 0; b < 256; b++) {
        size_t m = tokens_utf8_put(tokens_gpt2_char((unsigned char)b), toks[b]);
        toks[b][m] = '\0';
        v[b] = toks[b];
    }
    size_t len;
    char *text = tokens_join(TOKENS_GPT2, v, 256, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, 256);
    for (int b = 0; b < 256; b++)
        ck_assert_int_eq((unsigned char)text[b], b);
    free(text);
}
END_TEST

/* ---- Single-token decoding ------------------------------------------------ */

static const struct {
    tokens_mode m;
    const char *tok;
    bstr want;
} decode_cases[] = {
    /* GPT-2 byte level, incl. the fixture tokens */
    {TOKENS_GPT2, "\xc4\xa0world", B(" world")},                 /* Ġworld */
    {TOKENS_GPT2, "\xc4\x8a", B("\n")},                          /* Ċ */
    {TOKENS_GPT2, "\xc4\x89", B("\t")},                          /* ĉ */
    {TOKENS_GPT2, "\xc4\x8a\xc4\x8a", B("\n\n")},                /* ĊĊ */
    {TOKENS_GPT2, "\xc3\x83\xc2\xa9", B("\xc3\xa9")},            /* Ã© -> é */
    {TOKENS_GPT2, "\xc3\xa4\xc2\xbd\xc5\x82\xc3\xa5\xc2\xa5\xc2\xbd",
     B("\xe4\xbd\xa0\xe5\xa5\xbd")},                             /* ä½łå¥½ -> 你好 */
    {TOKENS_GPT2, "\xc3\xa4\xc2\xbd", B("\xe4\xbd")},            /* ä½: partial */
    {TOKENS_GPT2, "\xc3\xa2\xc4\xb8\xc4\xa3", B("\xe2\x96\x81")},/* âĸģ -> ▁ */
    {TOKENS_GPT2, "\xc4\x80", B("\0")},                          /* Ā -> NUL */
    {TOKENS_GPT2, "\xc4\x9b", B("\x1b")},                        /* ě -> ESC */
    {TOKENS_GPT2, "<|endoftext|>", B("<|endoftext|>")},
    {TOKENS_GPT2, "The", B("The")},
    {TOKENS_GPT2, "\xc4\xa0" "caf", B(" caf")},
    {TOKENS_GPT2, "\xe2\x96\x81x", B("\xe2\x96\x81x")},          /* outside: kept */
    {TOKENS_GPT2, "\xff", B("\xff")},                            /* invalid: kept */
    {TOKENS_GPT2, "", B("")},
    /* SentencePiece */
    {TOKENS_SENTENCEPIECE, "\xe2\x96\x81Hello", B(" Hello")},
    {TOKENS_SENTENCEPIECE, "\xe2\x96\x81\xc3\xa8", B(" \xc3\xa8")}, /* ▁è */
    {TOKENS_SENTENCEPIECE, "\xe2\x96\x81", B(" ")},
    {TOKENS_SENTENCEPIECE, "a\xe2\x96\x81\xe2\x96\x81" "b", B("a  b")},
    {TOKENS_SENTENCEPIECE, "ata", B("ata")},
    {TOKENS_SENTENCEPIECE, "</s>", B("</s>")},
    {TOKENS_SENTENCEPIECE, "<0xE4>", B("\xe4")},
    {TOKENS_SENTENCEPIECE, "<0x0A>", B("\n")},
    {TOKENS_SENTENCEPIECE, "<0x00>", B("\0")},
    {TOKENS_SENTENCEPIECE, "<0xff>", B("\xff")},
    {TOKENS_SENTENCEPIECE, "<0xZZ>", B("<0xZZ>")},
    {TOKENS_SENTENCEPIECE, "<0x41>x", B("<0x41>x")},
    {TOKENS_SENTENCEPIECE, "\xc4\xa0x", B("\xc4\xa0x")},         /* Ġ is just a letter */
    /* WordPiece */
    {TOKENS_WORDPIECE, "##ing", B("ing")},
    {TOKENS_WORDPIECE, "word", B(" word")},
    {TOKENS_WORDPIECE, "[CLS]", B(" [CLS]")},
    {TOKENS_WORDPIECE, ".", B(".")},
    {TOKENS_WORDPIECE, ",", B(",")},
    {TOKENS_WORDPIECE, "-", B(" -")},
    {TOKENS_WORDPIECE, "##", B(" ##")},
    {TOKENS_WORDPIECE, "###", B("#")},
    {TOKENS_WORDPIECE, "", B("")},
    /* None and Auto: raw */
    {TOKENS_NONE, "\xc4\xa0world", B("\xc4\xa0world")},
    {TOKENS_NONE, "##ing", B("##ing")},
    {TOKENS_AUTO, "\xe2\x96\x81Hi", B("\xe2\x96\x81Hi")},
};

START_TEST(decode_table)
{
    const char *tok = decode_cases[_i].tok;
    bstr want = decode_cases[_i].want;
    char out[64];
    size_t n = tokens_decode(decode_cases[_i].m, tok, out, sizeof out);
    ck_assert_uint_eq(n, want.n);
    ck_assert_mem_eq(out, want.s, want.n);
    ck_assert_int_eq(out[n], '\0');
    ck_assert_uint_le(n + 1, TOKENS_DECODE_MAX(strlen(tok)));

    size_t n2 = 99;
    char *d = tokens_decode_dup(decode_cases[_i].m, tok, &n2);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(n2, want.n);
    ck_assert_mem_eq(d, want.s, want.n);
    free(d);

    /* A small buffer gets a NUL-terminated prefix and the full length. */
    char small[3];
    ck_assert_uint_eq(tokens_decode(decode_cases[_i].m, tok, small, sizeof small), want.n);
    size_t k = want.n < 2 ? want.n : 2;
    ck_assert_mem_eq(small, want.s, k);
    ck_assert_int_eq(small[k], '\0');
    ck_assert_uint_eq(tokens_decode(decode_cases[_i].m, tok, NULL, 0), want.n);
}
END_TEST

/* ---- Joining token lists ------------------------------------------------- */

static const struct {
    tokens_mode m;
    const char *toks[16];
    bstr want;
} join_cases[] = {
    /* deconly_saliency_granular.json, sequence 0 target */
    {TOKENS_GPT2,
     {"The", "\xc4\xa0" "caf", "\xc3\x83\xc2\xa9", "\xc4\xa0in", "\xc4\xa0Paris", "\xc4\xa0serves",
      "\xc4\xa0" "croiss", "ants", "\xc4\xa0" "and", "\xc4\xa0" "coffee", ".", "\xc4\x8a",
      "<|endoftext|>"},
     B("The caf\xc3\xa9 in Paris serves croissants and coffee.\n<|endoftext|>")},
    /* deconly_saliency_granular.json, sequence 1 target */
    {TOKENS_GPT2,
     {"Hello", "\xc4\xa0world", "!", "\xc4\xa0Today", "\xc4\xa0is", "\xc4\xa0" "a",
      "\xc4\xa0" "beautiful", "\xc4\xa0" "day", "."},
     B("Hello world! Today is a beautiful day.")},
    /* A character split over tokens joins up: ä½ ł å¥½ */
    {TOKENS_GPT2, {"\xc3\xa4\xc2\xbd", "\xc5\x82", "\xc3\xa5\xc2\xa5\xc2\xbd"},
     B("\xe4\xbd\xa0\xe5\xa5\xbd")},
    /* ...and stays partial when its end is missing */
    {TOKENS_GPT2, {"\xc4\xa0hi", "\xc3\xa4\xc2\xbd"}, B(" hi\xe4\xbd")},
    /* encdec_ig_granular.json, sequence 0 */
    {TOKENS_SENTENCEPIECE,
     {"\xe2\x96\x81" "Ciao", "\xe2\x96\x81mondo", ",", "\xe2\x96\x81oggi", "\xe2\x96\x81\xc3\xa8",
      "\xe2\x96\x81una", "\xe2\x96\x81" "bella", "\xe2\x96\x81giorn", "ata", "!", "</s>"},
     B("Ciao mondo, oggi \xc3\xa8 una bella giornata!</s>")},
    /* Byte fallback: <0xE4><0xBD><0xA0> is 你 */
    {TOKENS_SENTENCEPIECE, {"<0xE4>", "<0xBD>", "<0xA0>"}, B("\xe4\xbd\xa0")},
    {TOKENS_SENTENCEPIECE, {"\xe2\x96\x81", "<0xE4>", "<0xBD>", "<0xA0>", "\xe2\x96\x81ok"},
     B("\xe4\xbd\xa0 ok")},
    {TOKENS_SENTENCEPIECE, {"<0xE4>", "<0xBD>"}, B("\xe4\xbd")},
    {TOKENS_SENTENCEPIECE, {"<s>", "\xe2\x96\x81Hi"}, B("<s> Hi")},
    /* WordPiece */
    {TOKENS_WORDPIECE, {"[CLS]", "un", "##believ", "##able", "!", "[SEP]"},
     B("[CLS] unbelievable! [SEP]")},
    {TOKENS_WORDPIECE, {"the", "cat", "sat", "."}, B("the cat sat.")},
    {TOKENS_WORDPIECE, {"##ing", "x"}, B("ing x")},
    /* None: concatenation */
    {TOKENS_NONE, {"a", "b", " c"}, B("ab c")},
    {TOKENS_NONE, {NULL}, B("")},
};

START_TEST(join_table)
{
    size_t n = 0;
    while (join_cases[_i].toks[n])
        n++;
    size_t len = 99;
    char *t = tokens_join(join_cases[_i].m, join_cases[_i].toks, n, &len);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(len, join_cases[_i].want.n);
    ck_assert_mem_eq(t, join_cases[_i].want.s, len);
    ck_assert_int_eq(t[len], '\0');
    free(t);

    /* The same through an as_tokens list. */
    as_token v[16];
    for (size_t i = 0; i < n; i++) {
        v[i].text = (char *)join_cases[_i].toks[i];
        v[i].id = -1;
    }
    as_tokens list = {.v = v, .n = n};
    t = tokens_join_list(join_cases[_i].m, &list, 0, n + 5, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_mem_eq(t, join_cases[_i].want.s, join_cases[_i].want.n);
    free(t);
}
END_TEST

START_TEST(join_list_range)
{
    as_token v[] = {{"\xe2\x96\x81The", 1}, {"\xe2\x96\x81" "cat", 2}, {"s", 3}, {"</s>", 4}};
    as_tokens list = {.v = v, .n = 4};
    size_t len;
    char *t = tokens_join_list(TOKENS_SENTENCEPIECE, &list, 1, 3, &len);
    ck_assert_str_eq(t, "cats");
    ck_assert_uint_eq(len, 4);
    free(t);
    t = tokens_join_list(TOKENS_SENTENCEPIECE, &list, 3, 1, &len);
    ck_assert_str_eq(t, "");
    ck_assert_uint_eq(len, 0);
    free(t);
    t = tokens_join_list(TOKENS_SENTENCEPIECE, &list, 9, 12, &len);
    ck_assert_str_eq(t, "");
    free(t);
}
END_TEST

/* ---- Escaping and widths --------------------------------------------------- */

static const struct {
    bstr in;
    unsigned flags;
    const char *want;
    int width;
} escape_cases[] = {
    {B("hello"), 0, "hello", 5},
    {B(""), 0, "", 0},
    {B("\x1b[31mred"), 0, "\\x1b[31mred", 11},
    {B("\x1b]0;title\x07"), 0, "\\x1b]0;title\\x07", 16},
    {B("a\nb"), 0, "a\\nb", 4},
    {B("a\nb"), TOKENS_ESC_SYMBOLS, "a\xe2\x86\xb5" "b", 3},
    {B("\t"), 0, "\\t", 2},
    {B("\t"), TOKENS_ESC_SYMBOLS, "\xe2\x87\xa5", 1},
    {B("\r"), 0, "\\r", 2},
    {B("\r"), TOKENS_ESC_SYMBOLS, "\\r", 2},
    {B("\0"), 0, "\\0", 2},
    {B("a\0b"), 0, "a\\0b", 4},
    {B("\xc0\x80"), 0, "\\0", 2},                                 /* modified UTF-8 NUL */
    {B("\x7f"), 0, "\\x7f", 4},
    {B("\x01\x1f"), 0, "\\x01\\x1f", 8},
    {B("\xc2\x85"), 0, "\\u0085", 6},                             /* NEL */
    {B("\xc2\x9b" "2J"), 0, "\\u009b2J", 8},                      /* CSI */
    {B("\xc2\x80\xc2\x9f"), 0, "\\u0080\\u009f", 12},
    {B("\xc2\xa0"), 0, "\xc2\xa0", 1},                            /* NBSP is printable */
    {B("\xe2\x80\xae" "evil"), 0, "\\u202e" "evil", 10},                /* RLO */
    {B("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"), 0, "\\u202a\\u202b\\u202c\\u202d", 24},
    {B("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"), 0, "\\u2066\\u2067\\u2068\\u2069", 24},
    {B("\xe2\x80\x8e\xe2\x80\x8f"), 0, "\\u200e\\u200f", 12},
    {B("\xd8\x9c"), 0, "\\u061c", 6},
    {B("\xe2\x80\xa8\xe2\x80\xa9"), 0, "\\u2028\\u2029", 12},
    /* invalid UTF-8 */
    {B("\xe4"), 0, "\\xe4", 4},
    {B("\xe4\xbd"), 0, "\\xe4\\xbd", 8},
    {B("\xe4\xbd\xa0"), 0, "\xe4\xbd\xa0", 2},
    {B("x\xe4\xbdy"), 0, "x\\xe4\\xbdy", 10},
    {B("\xbd\xa0"), 0, "\\xbd\\xa0", 8},
    {B("\xff\xfe"), 0, "\\xff\\xfe", 8},
    {B("\xc1\xbf"), 0, "\\xc1\\xbf", 8},                          /* overlong */
    {B("\xe0\x80\xaf"), 0, "\\xe0\\x80\\xaf", 12},                /* overlong */
    {B("\xed\xa0\x80"), 0, "\\xed\\xa0\\x80", 12},                /* surrogate */
    {B("\xf4\x90\x80\x80"), 0, "\\xf4\\x90\\x80\\x80", 16},       /* > U+10FFFF */
    {B("\xc0"), 0, "\\xc0", 4},
    {B("\xc0\x81"), 0, "\\xc0\\x81", 8},
    {B("\xf0\x9f\x98\x80"), 0, "\xf0\x9f\x98\x80", 2},            /* 😀 */
    /* flags */
    {B("a\\nb"), 0, "a\\nb", 4},
    {B("a\\nb"), TOKENS_ESC_BACKSLASH, "a\\\\nb", 5},
    {B(" a b"), TOKENS_ESC_SPACE, "\xe2\x90\xa3" "a\xe2\x90\xa3" "b", 4},
    {B(" a"), 0, " a", 2},
    {B("\xcc\x81"), 0, "\xcc\x81", 0},                             /* lone combining acute */
    {B("\xcc\x81"), TOKENS_ESC_BASE, "\xe2\x97\x8c\xcc\x81", 1},
    {B("e\xcc\x81"), TOKENS_ESC_BASE, "e\xcc\x81", 1},
    /* widths */
    {B("caf\xc3\xa9"), 0, "caf\xc3\xa9", 4},
    {B("cafe\xcc\x81"), 0, "cafe\xcc\x81", 4},
    {B("\xe4\xbd\xa0\xe5\xa5\xbd"), 0, "\xe4\xbd\xa0\xe5\xa5\xbd", 4},   /* 你好 */
    {B("\xed\x95\x9c\xea\xb8\x80"), 0, "\xed\x95\x9c\xea\xb8\x80", 4},   /* 한글 */
    {B("\xe3\x81\x8b\xe3\x82\xab"), 0, "\xe3\x81\x8b\xe3\x82\xab", 4},   /* かカ */
    {B("\xef\xbc\xa1\xef\xbd\xb1"), 0, "\xef\xbc\xa1\xef\xbd\xb1", 3},   /* Ａｱ */
    {B("\xe2\x9d\xa4\xef\xb8\x8f"), 0, "\xe2\x9d\xa4\xef\xb8\x8f", 1},   /* ❤️ */
    /* 👨‍👩‍👧: three wide emoji joined by ZWJ (wcwidth sums them) */
    {B("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"), 0,
     "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 6},
    {B("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"), 0, "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 4}, /* Hebrew */
    {B("\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87"), 0,
     "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87", 4}, /* नमस्ते */
};

START_TEST(escape_table)
{
    bstr in = escape_cases[_i].in;
    unsigned fl = escape_cases[_i].flags;
    const char *want = escape_cases[_i].want;
    char out[256];
    size_t n = tokens_escape(out, sizeof out, in.s, in.n, fl);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(n, strlen(want));
    ck_assert_uint_le(n + 1, TOKENS_ESCAPE_MAX(in.n));
    ck_assert_int_eq(tokens_width(in.s, in.n, fl), escape_cases[_i].width);
    /* The escaped text is its own display text. */
    if (!(fl & (TOKENS_ESC_BACKSLASH | TOKENS_ESC_SYMBOLS | TOKENS_ESC_SPACE))) {
        ck_assert_int_eq(tokens_width(out, n, 0), escape_cases[_i].width);
        char again[256];
        tokens_escape(again, sizeof again, out, n, 0);
        ck_assert_str_eq(again, out);
    }
    char *d = tokens_escape_dup(in.s, in.n, fl);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, want);
    free(d);
    /* Unlimited fit is plain escaping. */
    int cols = -7;
    tokens_fit(out, sizeof out, in.s, in.n, fl, -1, &cols);
    ck_assert_str_eq(out, want);
    ck_assert_int_eq(cols, escape_cases[_i].width);
}
END_TEST

/* Every byte string of length 1 and 2 escapes to valid UTF-8 with no control
 * character left, and escaping is never longer than TOKENS_ESCAPE_MAX. */
START_TEST(escape_exhaustive_short)
{
    char in[2], out[64];
    for (int a = 0; a < 256; a++) {
        for (int b = -1; b < 256; b++) {
            in[0] = (char)a;
            size_t len = 1;
            if (b >= 0) {
                in[1] = (char)b;
                len = 2;
            }
            size_t n = tokens_escape(out, sizeof out, in, len, TOKENS_ESC_BASE);
            bool ok = n + 1 <= TOKENS_ESCAPE_MAX(len) && strlen(out) == n &&
                      tokens_width(in, len, TOKENS_ESC_BASE) >= 1;
            for (size_t i = 0; ok && i < n;) {
                int32_t cp;
                i += tokens_utf8_next(out + i, n - i, &cp);
                ok = cp >= 0x20 && cp != 0x7F && (cp < 0x80 || cp >= 0xA0) &&
                     !(cp >= 0x202A && cp <= 0x202E);
            }
            if (!ok)
                ck_abort_msg("bytes %02x %02x (len %zu) escaped as \"%s\"", a, b & 0xFF, len, out);
        }
    }
}
END_TEST

START_TEST(escape_small_buffer)
{
    char out[8];
    /* "你好" needs 6 bytes; 4 bytes of room hold only 你. */
    ck_assert_uint_eq(tokens_escape(out, 4, "\xe4\xbd\xa0\xe5\xa5\xbd", 6, 0), 6);
    ck_assert_str_eq(out, "\xe4\xbd\xa0");
    ck_assert_uint_eq(tokens_escape(out, 3, "\xe4\xbd\xa0\xe5\xa5\xbd", 6, 0), 6);
    ck_assert_str_eq(out, "");
    /* An escape is never cut, and nothing is written after a unit that did
     * not fit (so the result is always a prefix). */
    ck_assert_uint_eq(tokens_escape(out, 4, "a\x1b" "b", 3, 0), 6);
    ck_assert_str_eq(out, "a");
    ck_assert_uint_eq(tokens_escape(NULL, 0, "a\x1b" "b", 3, 0), 6);
    ck_assert_uint_eq(tokens_escape(out, 1, "abc", 3, 0), 3);
    ck_assert_str_eq(out, "");
}
END_TEST

static const struct {
    int32_t cp;
    int w;
} cpw_cases[] = {
    {'a', 1}, {' ', 1}, {0, 0}, {0x1B, -1}, {0x7F, -1}, {0x85, -1}, {0x9F, -1},
    {0xA0, 1}, {0xAD, 1}, {0xE9, 1}, {0x2FF, 1}, {0x300, 0}, {0x36F, 0}, {0x370, 1},
    {0x483, 0}, {0x5D0, 1}, {0x94D, 0}, {0x1100, 2}, {0x115F, 2}, {0x1160, 0}, {0x11FF, 0},
    {0x200B, 0}, {0x200D, 0}, {0x2060, 0}, {0xFE0F, 0}, {0xFEFF, 0}, {0x20D0, 0},
    {0x231A, 2}, {0x2329, 2}, {0x2581, 1}, {0x2764, 1}, {0x2E80, 2}, {0x3000, 2},
    {0x303F, 1}, {0x3041, 2}, {0x4E00, 2}, {0x4F60, 2}, {0x9FFF, 2}, {0xA4C6, 2},
    {0xAC00, 2}, {0xD7A3, 2}, {0xD7B0, 0}, {0xF900, 2}, {0xFE30, 2}, {0xFF01, 2},
    {0xFF60, 2}, {0xFF61, 1}, {0xFF71, 1}, {0xFFE0, 2}, {0xFFFD, 1},
    {0x1F1E6, 1}, {0x1F300, 2}, {0x1F600, 2}, {0x1F64F, 2}, {0x1F680, 2}, {0x1F90C, 2},
    {0x1FAF8, 2}, {0x1F3FB, 2}, {0x20000, 2}, {0x2A6DF, 2}, {0x3FFFD, 2}, {0xE0001, 0},
    {0xE0100, 0}, {0xF0000, 1}, {0x10FFFF, 1},
};

START_TEST(cp_width_table)
{
    ck_assert_msg(tokens_cp_width(cpw_cases[_i].cp) == cpw_cases[_i].w, "U+%04X: %d, want %d",
                  (unsigned)cpw_cases[_i].cp, tokens_cp_width(cpw_cases[_i].cp), cpw_cases[_i].w);
}
END_TEST

START_TEST(utf8_next_round_trip)
{
    /* Every scalar value encodes and decodes back; surrogates are invalid. */
    char buf[4];
    for (int32_t c = 1; c <= 0x10FFFF; c++) {
        size_t n = tokens_utf8_put(c, buf);
        int32_t got;
        size_t k = tokens_utf8_next(buf, n, &got);
        bool surrogate = c >= 0xD800 && c <= 0xDFFF;
        if (surrogate ? (got != -1 || k != 1) : (got != c || k != n))
            ck_abort_msg("U+%04X decoded as %d (%zu bytes)", (unsigned)c, got, k);
        /* A truncated encoding is one invalid byte. */
        if (n > 1) {
            k = tokens_utf8_next(buf, n - 1, &got);
            if (got != -1 || k != 1)
                ck_abort_msg("U+%04X cut to %zu bytes decoded as %d", (unsigned)c, n - 1, got);
        }
    }
    int32_t got;
    ck_assert_uint_eq(tokens_utf8_next("\xc0\x80", 2, &got), 2);
    ck_assert_int_eq(got, 0);
    ck_assert_uint_eq(tokens_utf8_next("\xc0\x80", 1, &got), 1);
    ck_assert_int_eq(got, -1);
}
END_TEST

/* ---- Fitting to a width ---------------------------------------------------- */

static const struct {
    bstr in;
    unsigned flags;
    int max;
    const char *want;
    int cols;
} fit_cases[] = {
    {B("hello"), 0, 10, "hello", 5},
    {B("hello"), 0, 5, "hello", 5},
    {B("hello world"), 0, 5, "hell\xe2\x80\xa6", 5},
    {B("hello"), 0, 1, "\xe2\x80\xa6", 1},
    {B("h"), 0, 1, "h", 1},
    {B("hello"), 0, 0, "", 0},
    {B(""), 0, 0, "", 0},
    {B(""), 0, 3, "", 0},
    {B("hello"), 0, -1, "hello", 5},
    /* wide characters are never split */
    {B("\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c"), 0, 8,
     "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c", 8},
    {B("\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c"), 0, 5,
     "\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x80\xa6", 5},
    {B("\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c"), 0, 4, "\xe4\xbd\xa0\xe2\x80\xa6", 3},
    {B("\xe4\xbd\xa0\xe5\xa5\xbd"), 0, 2, "\xe2\x80\xa6", 1},
    {B("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 0, 3, "\xf0\x9f\x98\x80\xe2\x80\xa6", 3},
    /* combining marks stay with their base */
    {B("e\xcc\x81\xcc\x82xyz"), 0, 2, "e\xcc\x81\xcc\x82\xe2\x80\xa6", 2},
    {B("\xcc\x81xyz"), TOKENS_ESC_BASE, 2, "\xe2\x97\x8c\xcc\x81\xe2\x80\xa6", 2},
    /* escapes are never split */
    {B("\x1b[31m"), 0, 5, "\\x1b\xe2\x80\xa6", 5},
    {B("\x1b" "ab"), 0, 4, "\xe2\x80\xa6", 1},
    {B("ab\n"), 0, 4, "ab\\n", 4},
    {B("ab\ncd"), 0, 4, "ab\xe2\x80\xa6", 3},
    {B("ab\ncd"), TOKENS_ESC_SYMBOLS, 4, "ab\xe2\x86\xb5\xe2\x80\xa6", 4},
    {B("\xe2\x80\xae" "abc"), 0, 8, "\\u202e" "a\xe2\x80\xa6", 8},
    {B("\xe4\xbd"), 0, 6, "\\xe4\xe2\x80\xa6", 5},
};

START_TEST(fit_table)
{
    char out[128];
    int cols = -7;
    size_t n = tokens_fit(out, sizeof out, fit_cases[_i].in.s, fit_cases[_i].in.n,
                          fit_cases[_i].flags, fit_cases[_i].max, &cols);
    ck_assert_str_eq(out, fit_cases[_i].want);
    ck_assert_uint_eq(n, strlen(fit_cases[_i].want));
    ck_assert_int_eq(cols, fit_cases[_i].cols);
    ck_assert_uint_le(n + 1, TOKENS_ESCAPE_MAX(fit_cases[_i].in.n));
    if (fit_cases[_i].max >= 0)
        ck_assert_int_le(cols, fit_cases[_i].max);
    ck_assert_int_eq(tokens_width(out, n, 0), cols);
    /* NULL cols is fine; NULL dst gives the length. */
    ck_assert_uint_eq(tokens_fit(NULL, 0, fit_cases[_i].in.s, fit_cases[_i].in.n,
                                 fit_cases[_i].flags, fit_cases[_i].max, NULL), n);
}
END_TEST

START_TEST(truncate_display_text)
{
    char out[64];
    int cols;
    /* Display text keeps its backslashes as they are. */
    tokens_truncate(out, sizeof out, "\\x1b[31m", 8, 6, &cols);
    ck_assert_str_eq(out, "\\x1b[\xe2\x80\xa6");
    ck_assert_int_eq(cols, 6);
    tokens_truncate(out, sizeof out, "\xe4\xbd\xa0\xe5\xa5\xbd", 6, 3, &cols);
    ck_assert_str_eq(out, "\xe4\xbd\xa0\xe2\x80\xa6");
    ck_assert_int_eq(cols, 3);
    tokens_truncate(out, sizeof out, "abc", 3, 3, &cols);
    ck_assert_str_eq(out, "abc");
    /* Every width from 0 to the full one gives a result at most that wide. */
    const char *s = "a\xe4\xbd\xa0" "b\xf0\x9f\x98\x80" "e\xcc\x81\xe5\xa5\xbd";
    int full = tokens_width(s, strlen(s), 0);
    ck_assert_int_eq(full, 9);
    for (int w = 0; w <= full + 1; w++) {
        tokens_truncate(out, sizeof out, s, strlen(s), w, &cols);
        ck_assert_int_le(cols, w);
        ck_assert_int_ge(cols, w >= full ? full : w - 1);  /* a wide char may not fit */
        ck_assert_int_eq(tokens_width(out, strlen(out), 0), cols);
        if (w >= full)
            ck_assert_str_eq(out, s);
    }
}
END_TEST

/* ---- Labels --------------------------------------------------------------- */

static const struct {
    tokens_mode m;
    const char *tok;
    unsigned flags;
    int max;
    const char *want;
} label_cases[] = {
    {TOKENS_GPT2, "\xc4\xa0world", 0, -1, " world"},
    {TOKENS_GPT2, "\xc4\xa0world", TOKENS_ESC_SPACE, -1, "\xe2\x90\xa3world"},
    {TOKENS_GPT2, "\xc4\x8a", 0, -1, "\\n"},
    {TOKENS_GPT2, "\xc4\x8a", TOKENS_ESC_SYMBOLS, -1, "\xe2\x86\xb5"},
    {TOKENS_GPT2, "\xc3\x83\xc2\xa9", 0, -1, "\xc3\xa9"},
    {TOKENS_GPT2, "\xc3\xa4\xc2\xbd", 0, -1, "\\xe4\\xbd"},
    {TOKENS_GPT2, "\xc3\xa4\xc2\xbd\xc5\x82\xc3\xa5\xc2\xa5\xc2\xbd", 0, 3, "\xe4\xbd\xa0\xe2\x80\xa6"},
    {TOKENS_GPT2, "\xc4\x9b[2J", 0, -1, "\\x1b[2J"},
    {TOKENS_GPT2, "\xc4\x80", 0, -1, "\\0"},
    {TOKENS_GPT2, "<|endoftext|>", 0, 6, "<|end\xe2\x80\xa6"},
    {TOKENS_SENTENCEPIECE, "<0xE4>", 0, -1, "\\xe4"},
    {TOKENS_SENTENCEPIECE, "<0x1B>", 0, -1, "\\x1b"},
    {TOKENS_SENTENCEPIECE, "\xe2\x96\x81\xc3\xa8", 0, -1, " \xc3\xa8"},
    {TOKENS_WORDPIECE, "##able", 0, -1, "able"},
    {TOKENS_NONE, "\xe2\x80\xae\x1b", 0, -1, "\\u202e\\x1b"},
    {TOKENS_NONE, "a\xc0\x80" "b", 0, -1, "a\\0b"},
};

START_TEST(label_table)
{
    char out[128];
    int cols;
    size_t n = tokens_label(out, sizeof out, label_cases[_i].m, label_cases[_i].tok,
                            label_cases[_i].flags, label_cases[_i].max, &cols);
    ck_assert_str_eq(out, label_cases[_i].want);
    ck_assert_uint_eq(n, strlen(out));
    ck_assert_int_eq(cols, tokens_width(out, n, 0));
}
END_TEST

/* A fitted label keeps at most 30 zero-width characters in a row: "a" and
 * 2^19 combining acute accents fit in 8 columns take a few hundred bytes. */
START_TEST(fit_bounds_combining_marks)
{
    size_t n = 1 + ((size_t)1 << 19) * 2;
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    s[0] = 'a';
    for (size_t i = 1; i < n; i += 2)
        memcpy(s + i, "\xcc\x81", 2);
    s[n] = '\0';
    char out[1024];
    int cols;
    size_t need = tokens_fit(NULL, 0, s, n, 0, 8, NULL);
    ck_assert_uint_lt(need, 100);
    size_t got = tokens_fit(out, sizeof out, s, n, 0, 8, &cols);
    ck_assert_uint_eq(got, 1 + 30 * 2 + 3);
    ck_assert_int_eq(cols, 2);
    ck_assert_int_eq(memcmp(out + 1 + 60, "\xe2\x80\xa6", 3), 0);
    /* 30 marks are kept whole, without an ellipsis */
    got = tokens_fit(out, sizeof out, s, 61, 0, 8, &cols);
    ck_assert_uint_eq(got, 61);
    ck_assert_int_eq(cols, 1);
    /* a plain escape (no fitting) keeps everything */
    ck_assert_uint_eq(tokens_escape(NULL, 0, s, n, 0), n);
    free(s);
}
END_TEST

START_TEST(label_long_token)
{
    /* Longer than the label's stack buffer: decoded through the heap. */
    size_t n = 5000;
    char *tok = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(tok + 2 * i, "\xc4\xa0", 2);   /* Ġ */
    tok[2 * n] = '\0';
    char out[32];
    int cols;
    tokens_label(out, sizeof out, TOKENS_GPT2, tok, TOKENS_ESC_SPACE, 4, &cols);
    ck_assert_str_eq(out, "\xe2\x90\xa3\xe2\x90\xa3\xe2\x90\xa3\xe2\x80\xa6");
    ck_assert_int_eq(cols, 4);
    ck_assert_uint_eq(tokens_label(NULL, 0, TOKENS_GPT2, tok, 0, -1, &cols), n);
    ck_assert_int_eq(cols, (int)n);
    free(tok);
}
END_TEST

/* ---- Modes and detection --------------------------------------------------- */

START_TEST(mode_names)
{
    static const struct { const char *s; tokens_mode m; } ok[] = {
        {"auto", TOKENS_AUTO}, {"none", TOKENS_NONE}, {"gpt2", TOKENS_GPT2},
        {"sentencepiece", TOKENS_SENTENCEPIECE}, {"wordpiece", TOKENS_WORDPIECE},
        {"GPT2", TOKENS_GPT2}, {"Raw", TOKENS_NONE}, {"bytelevel", TOKENS_GPT2},
        {"bpe", TOKENS_GPT2}, {"sp", TOKENS_SENTENCEPIECE}, {"SPM", TOKENS_SENTENCEPIECE},
        {"wp", TOKENS_WORDPIECE},
    };
    for (size_t i = 0; i < NELEM(ok); i++) {
        tokens_mode m = (tokens_mode)-1;
        ck_assert_int_eq(tokens_mode_parse(ok[i].s, &m, NULL), AS_OK);
        ck_assert_int_eq(m, ok[i].m);
    }
    for (tokens_mode m = TOKENS_AUTO; m <= TOKENS_WORDPIECE; m++) {
        tokens_mode back;
        ck_assert_int_eq(tokens_mode_parse(tokens_mode_name(m), &back, NULL), AS_OK);
        ck_assert_int_eq(back, m);
    }
    as_error e;
    tokens_mode m = TOKENS_GPT2;
    ck_assert_int_eq(tokens_mode_parse("gpt", &m, &e), AS_EUSAGE);
    ck_assert_int_eq(e.code, AS_EUSAGE);
    ck_assert_str_eq(e.msg, "token decoding 'gpt': expected auto, none, gpt2, sentencepiece or wordpiece");
    ck_assert_int_eq(m, TOKENS_GPT2);
    ck_assert_int_eq(tokens_mode_parse("", &m, NULL), AS_EUSAGE);
    ck_assert_int_eq(tokens_mode_parse(NULL, &m, NULL), AS_EUSAGE);
}
END_TEST

#define G "\xc4\xa0"   /* Ġ */
#define U "\xe2\x96\x81" /* ▁ */

static const struct {
    const char *toks[16];
    tokens_mode want;
} detect_cases[] = {
    /* GPT-2 byte level */
    {{"The", G "caf", "\xc3\x83\xc2\xa9", G "in", G "Paris", G "serves"}, TOKENS_GPT2},
    {{"Hello", G "world", "!"}, TOKENS_GPT2},
    {{"\xc4\x8a"}, TOKENS_GPT2},
    {{G, G}, TOKENS_GPT2},
    {{"caf", "\xc3\x83\xc2\xa9"}, TOKENS_GPT2},                        /* Ã© alone */
    {{"\xc3\xa4\xc2\xbd\xc5\x82\xc3\xa5\xc2\xa5\xc2\xbd"}, TOKENS_GPT2}, /* ä½łå¥½ */
    {{G "hi", "\xc3\xa4\xc2\xbd"}, TOKENS_GPT2},                       /* split at the end */
    {{G "hi", "\xc3\xa4\xc2\xbd", "<|endoftext|>"}, TOKENS_GPT2},      /* ...before a special */
    {{"\xc5\x82", "\xc3\xa5\xc2\xa5\xc2\xbd"}, TOKENS_GPT2},           /* split at the start */
    /* one broken byte among many spaces */
    {{G "The", G "cat", G "sat", G "on", G "the", G "mat", G "and", G "then", G "it", G "slept",
      "\xc3\xa4", G "ok"}, TOKENS_GPT2},
    /* SentencePiece */
    {{U "Hello", U "world", ",", U "today", "</s>"}, TOKENS_SENTENCEPIECE},
    {{U "Ciao", U "\xc3\xa8"}, TOKENS_SENTENCEPIECE},
    {{"<0xE4>", "<0xBD>", "<0xA0>"}, TOKENS_SENTENCEPIECE},
    {{U "\xe4\xbd\xa0\xe5\xa5\xbd"}, TOKENS_SENTENCEPIECE},
    {{U "x", G "y"}, TOKENS_SENTENCEPIECE},
    /* WordPiece */
    {{"[CLS]", "hello", "[SEP]"}, TOKENS_WORDPIECE},
    {{"un", "##believ", "##able"}, TOKENS_WORDPIECE},
    {{"[CLS]", "\xe4\xbd\xa0", "\xe5\xa5\xbd", "[SEP]"}, TOKENS_WORDPIECE},
    /* plain text stays NONE */
    {{"Hello", "world"}, TOKENS_NONE},
    {{"The", "caf\xc3\xa9", "in", "Paris"}, TOKENS_NONE},
    {{"Gr\xc3\xb6\xc3\x9f" "e", "\xc3\xbc" "ber", "Stra\xc3\x9f" "e"}, TOKENS_NONE},
    {{"S\xc3\xa3o", "Paulo"}, TOKENS_NONE},
    {{"by\xc5\x82o", "\xc5\x82" "adnie"}, TOKENS_NONE},                /* Polish ł */
    {{"New York", "is", "big"}, TOKENS_NONE},
    {{"\xe4\xbd\xa0", "\xe5\xa5\xbd"}, TOKENS_NONE},
    {{"##"}, TOKENS_NONE},
    {{"<|endoftext|>"}, TOKENS_NONE},
    {{"\xc3\x83"}, TOKENS_NONE},                                        /* lone Ã */
    {{"a\xcc\x81"}, TOKENS_NONE},
    {{NULL}, TOKENS_NONE},
};

START_TEST(detect_table)
{
    size_t n = 0;
    while (detect_cases[_i].toks[n])
        n++;
    tokens_mode got = tokens_detect(detect_cases[_i].toks, n);
    ck_assert_msg(got == detect_cases[_i].want, "case %d: %s, want %s", _i,
                  tokens_mode_name(got), tokens_mode_name(detect_cases[_i].want));
}
END_TEST

START_TEST(detect_over_lists)
{
    /* Evidence adds up over lists; a split at a list edge is not an error. */
    const char *a[] = {"Hello", "\xc3\xa4\xc2\xbd"};       /* ends with a split character */
    const char *b[] = {"\xc5\x82", "ok"};                  /* starts with its tail */
    tokens_stats st;
    tokens_stats_init(&st);
    tokens_stats_add(&st, a, 2);
    tokens_stats_add(&st, b, 2);
    ck_assert_uint_eq(st.ntokens, 4);
    ck_assert_uint_eq(st.gpt2_invalid, 0);
    ck_assert_int_eq(tokens_stats_mode(&st), TOKENS_NONE);  /* no evidence yet */
    const char *c[] = {"Hi", G "there"};
    tokens_stats_add(&st, c, 2);
    ck_assert_int_eq(tokens_stats_mode(&st), TOKENS_GPT2);
    /* One list with a space outside the alphabet spoils GPT-2 for all. */
    const char *d[] = {"a b"};
    tokens_stats_add(&st, d, 1);
    ck_assert_uint_eq(st.gpt2_outside, 1);
    ck_assert_int_eq(tokens_stats_mode(&st), TOKENS_NONE);
    /* In the middle of a list the same bytes are invalid. */
    const char *e[] = {"Hello", "\xc3\xa4\xc2\xbd", "x", G "y"};
    tokens_stats_init(&st);
    tokens_stats_add(&st, e, 4);
    ck_assert_uint_eq(st.gpt2_invalid, 1);
    ck_assert_int_eq(tokens_stats_mode(&st), TOKENS_NONE);
}
END_TEST

START_TEST(detect_output_by_file)
{
    as_token g0[] = {{"Hello", 1}, {G "world", 2}};
    as_token s0[] = {{U "Ciao", 1}, {U "mondo", 2}};
    as_token w0[] = {{"play", 1}, {"##ing", 2}};
    as_seq seqs[2];
    memset(seqs, 0, sizeof seqs);
    seqs[0].source = (as_tokens){.v = g0, .n = 2};
    seqs[0].target = (as_tokens){.v = g0, .n = 2};
    seqs[0].file_index = 0;
    seqs[1].source = (as_tokens){.v = s0, .n = 2};
    seqs[1].file_index = 1;
    as_output o;
    memset(&o, 0, sizeof o);
    o.seqs = seqs;
    o.nseqs = 2;
    ck_assert_int_eq(tokens_detect_output(&o, 0), TOKENS_GPT2);
    ck_assert_int_eq(tokens_detect_output(&o, 1), TOKENS_SENTENCEPIECE);
    ck_assert_int_eq(tokens_detect_output(&o, -1), TOKENS_SENTENCEPIECE);
    ck_assert_int_eq(tokens_detect_output(&o, 2), TOKENS_NONE);
    ck_assert_int_eq(tokens_resolve(TOKENS_AUTO, &o, 0), TOKENS_GPT2);
    ck_assert_int_eq(tokens_resolve(TOKENS_WORDPIECE, &o, 0), TOKENS_WORDPIECE);
    ck_assert_int_eq(tokens_resolve(TOKENS_NONE, &o, -1), TOKENS_NONE);

    /* Step outputs count when looking at the whole output. */
    as_tokens steplists[1] = {{.v = w0, .n = 2}};
    as_step step;
    memset(&step, 0, sizeof step);
    step.target = steplists;
    step.ntarget = 1;
    o.nseqs = 0;
    o.steps = &step;
    o.nsteps = 1;
    ck_assert_int_eq(tokens_detect_output(&o, -1), TOKENS_WORDPIECE);
    ck_assert_int_eq(tokens_detect_output(&o, 0), TOKENS_NONE);
}
END_TEST

/* ---- Fixtures -------------------------------------------------------------- */

/* The token strings of list `key` of sequence object s (inseq's serialised
 * TokenWithId objects, primitives or plain strings); *n gets the count. */
static const char **fixture_tokens(json_t *seq, const char *key, size_t *n)
{
    json_t *a = json_object_get(seq, "attributes");
    json_t *list = json_object_get(a ? a : seq, key);
    *n = json_array_size(list);
    const char **v = calloc(*n + 1, sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < *n; i++) {
        json_t *t = json_array_get(list, i);
        json_t *ta = json_object_get(t, "attributes");
        json_t *s = json_is_string(t) ? t : json_object_get(ta ? ta : t, "token");
        ck_assert_msg(json_is_string(s), "token %zu of %s is not a string", i, key);
        v[i] = json_string_value(s);
    }
    return v;
}

static const struct {
    const char *file;
    tokens_mode want;
    bool texts;      /* info.input_texts/generated_texts are the decoded lists */
} fixture_cases[] = {
    {"inseq/deconly_saliency_granular.json", TOKENS_GPT2, false},
    {"inseq/deconly_attention_multidim.json", TOKENS_GPT2, false},
    {"inseq/encdec_ig_granular.json", TOKENS_SENTENCEPIECE, true},
    {"inseq/encdec_ig_granular_f16.json", TOKENS_SENTENCEPIECE, true},
    {"inseq/encdec_ig_granular_f8.json", TOKENS_SENTENCEPIECE, true},
    {"inseq/encdec_ig_granular_split_0.json", TOKENS_SENTENCEPIECE, true},
    {"inseq/encdec_ig_granular_split_1.json", TOKENS_SENTENCEPIECE, true},
    {"inseq/encdec_occlusion_coarse.json", TOKENS_SENTENCEPIECE, false},
    {"inseq/encdec_occlusion_coarse_primitives.json", TOKENS_SENTENCEPIECE, false},
    {"inseq/encdec_base_sourceonly.json", TOKENS_SENTENCEPIECE, false},
    {"inseq/encdec_pair_coarse.json", TOKENS_SENTENCEPIECE, false},
    {"inseq/encdec_saliency_with_steps.json", TOKENS_SENTENCEPIECE, false},
    {"inseq/v06_ig_granular.json", TOKENS_SENTENCEPIECE, false},
    /* (v06_ig_granular_lists.json has bare NaN, which jansson cannot read;
     * its tokens are those of v06_ig_granular.json) */
};

START_TEST(fixture_files)
{
    json_error_t jerr;
    json_t *root = json_load_file(fixture(fixture_cases[_i].file), 0, &jerr);
    ck_assert_msg(root != NULL, "%s: %s", fixture_cases[_i].file, jerr.text);
    json_t *top = json_object_get(root, "attributes");
    if (!top)
        top = root;
    json_t *seqs = json_object_get(top, "sequence_attributions");
    json_t *info = json_object_get(top, "info");
    ck_assert_uint_gt(json_array_size(seqs), 0);

    tokens_stats st;
    tokens_stats_init(&st);
    for (size_t i = 0; i < json_array_size(seqs); i++) {
        json_t *seq = json_array_get(seqs, i);
        static const char *const keys[] = {"source", "target"};
        for (size_t k = 0; k < 2; k++) {
            size_t n;
            const char **v = fixture_tokens(seq, keys[k], &n);
            tokens_stats_add(&st, v, n);
            ck_assert_int_eq(tokens_detect(v, n), fixture_cases[_i].want);
            size_t len;
            char *text = tokens_join(fixture_cases[_i].want, v, n, &len);
            ck_assert_ptr_nonnull(text);
            /* Decoded fixture text is valid UTF-8 with no byte left over. */
            char *shown = tokens_escape_dup(text, len, 0);
            ck_assert_ptr_null(strstr(shown, "\\x"));
            if (fixture_cases[_i].texts) {
                json_t *want = json_array_get(
                    json_object_get(info, k == 0 ? "input_texts" : "generated_texts"), i);
                ck_assert_str_eq(text, json_string_value(want));
            }
            /* Each label is escaped, valid and no wider than asked. */
            for (size_t t = 0; t < n; t++) {
                char lab[64];
                int cols;
                tokens_label(lab, sizeof lab, fixture_cases[_i].want, v[t], 0, 6, &cols);
                ck_assert_int_le(cols, 6);
                ck_assert_ptr_null(strstr(lab, "\\x"));
            }
            free(shown);
            free(text);
            free(v);
        }
    }
    ck_assert_int_eq(tokens_stats_mode(&st), fixture_cases[_i].want);
    json_decref(root);
}
END_TEST

START_TEST(fixture_gpt2_texts)
{
    /* The decoder-only fixture spells "café" as caf + Ã©, and ends with Ċ. */
    json_t *root = json_load_file(fixture("inseq/deconly_saliency_granular.json"), 0, NULL);
    ck_assert_ptr_nonnull(root);
    json_t *seq = json_array_get(
        json_object_get(json_object_get(root, "attributes"), "sequence_attributions"), 0);
    size_t n;
    const char **v = fixture_tokens(seq, "target", &n);
    char *text = tokens_join(TOKENS_GPT2, v, n, NULL);
    ck_assert_str_eq(text, "The caf\xc3\xa9 in Paris serves croissants and coffee.\n<|endoftext|>");
    char lab[32];
    tokens_label(lab, sizeof lab, TOKENS_GPT2, v[11], 0, -1, NULL);
    ck_assert_str_eq(lab, "\\n");
    tokens_label(lab, sizeof lab, TOKENS_GPT2, v[2], 0, -1, NULL);
    ck_assert_str_eq(lab, "\xc3\xa9");
    /* Raw, the same tokens show their spelling. */
    tokens_label(lab, sizeof lab, TOKENS_NONE, v[2], 0, -1, NULL);
    ck_assert_str_eq(lab, "\xc3\x83\xc2\xa9");
    free(text);
    free(v);
    json_decref(root);
}
END_TEST

static Suite *tokens_suite(void)
{
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("gpt2");
    tcase_add_test(tc, utf8_put_round_trip);
    tcase_add_test(tc, gpt2_alphabet_all_bytes);
    tcase_add_test(tc, gpt2_round_trip_text);
    suite_add_tcase(s, tc);

    tc = tcase_create("decode");
    tcase_add_loop_test(tc, decode_table, 0, NELEM(decode_cases));
    tcase_add_loop_test(tc, join_table, 0, NELEM(join_cases));
    tcase_add_test(tc, join_list_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("display");
    tcase_add_loop_test(tc, escape_table, 0, NELEM(escape_cases));
    tcase_add_test(tc, escape_exhaustive_short);
    tcase_add_test(tc, escape_small_buffer);
    tcase_add_loop_test(tc, cp_width_table, 0, NELEM(cpw_cases));
    tcase_add_test(tc, utf8_next_round_trip);
    tcase_add_loop_test(tc, fit_table, 0, NELEM(fit_cases));
    tcase_add_test(tc, truncate_display_text);
    tcase_add_loop_test(tc, label_table, 0, NELEM(label_cases));
    tcase_add_test(tc, label_long_token);
    tcase_add_test(tc, fit_bounds_combining_marks);
    suite_add_tcase(s, tc);

    tc = tcase_create("detect");
    tcase_add_test(tc, mode_names);
    tcase_add_loop_test(tc, detect_table, 0, NELEM(detect_cases));
    tcase_add_test(tc, detect_over_lists);
    tcase_add_test(tc, detect_output_by_file);
    tcase_add_loop_test(tc, fixture_files, 0, NELEM(fixture_cases));
    tcase_add_test(tc, fixture_gpt2_texts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(tokens_suite());
}
