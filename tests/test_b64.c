#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "testutil.h"

START_TEST(round_trip_all_lengths)
{
    uint8_t in[300], out[420];
    char enc[420];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 131 + 7);
    for (size_t n = 0; n <= sizeof in; n++) {
        size_t el = b64_encode(in, n, enc);
        ck_assert_uint_eq(el, b64_encoded_len(n));
        size_t ol = 0, bad = 0;
        ck_assert(b64_decode(enc, el, out, &ol, &bad));
        ck_assert_uint_eq(ol, n);
        ck_assert_mem_eq(in, out, n);
    }
}
END_TEST

START_TEST(known_vectors)
{
    static const struct { const char *plain, *enc; } v[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char enc[16];
        uint8_t dec[16];
        size_t n = b64_encode((const uint8_t *)v[i].plain, strlen(v[i].plain), enc);
        ck_assert_uint_eq(n, strlen(v[i].enc));
        ck_assert_mem_eq(enc, v[i].enc, n);
        size_t dl;
        ck_assert(b64_decode(v[i].enc, strlen(v[i].enc), dec, &dl, NULL));
        ck_assert_uint_eq(dl, strlen(v[i].plain));
        ck_assert_mem_eq(dec, v[i].plain, dl);
    }
}
END_TEST

START_TEST(rejects_bad_input)
{
    uint8_t out[32];
    size_t ol, bad = 99;
    ck_assert(!b64_decode("Zm9v*mFy", 8, out, &ol, &bad));
    ck_assert_uint_eq(bad, 4);
    ck_assert(!b64_decode("Zg==Zg==", 8, out, &ol, &bad)); /* data after padding */
    ck_assert(!b64_decode("Z", 1, out, &ol, &bad));        /* dangling char */
    ck_assert(!b64_decode("Zm9v\"", 5, out, &ol, &bad));
    ck_assert(b64_decode("Zm8", 3, out, &ol, &bad)); /* missing padding tolerated */
    ck_assert_uint_eq(ol, 2);
}
END_TEST

START_TEST(groups_stop_at_non_alphabet)
{
    uint8_t out[64];
    size_t ol;
    const char *s = "Zm9vYmFyZm9vYmFyZm9v\"tail";
    size_t used = b64_decode_groups(s, strlen(s), out, &ol);
    ck_assert_uint_eq(used, 20);
    ck_assert_uint_eq(ol, 15);
    ck_assert_mem_eq(out, "foobarfoobarfoo", 15);
    ck_assert(b64_is_alpha('+') && b64_is_alpha('/') && !b64_is_alpha('=') && !b64_is_alpha('"'));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("b64");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, round_trip_all_lengths);
    tcase_add_test(tc, known_vectors);
    tcase_add_test(tc, rejects_bad_input);
    tcase_add_test(tc, groups_stop_at_non_alphabet);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
