/* test_buf.c - the growable buffer every writer uses (model/buf.h). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tensor.h"
#include "testutil.h"

START_TEST(grows_and_terminates)
{
    as_buf b = {0};
    char *e = as_buf_take(&b, NULL);
    ck_assert_str_eq(e, ""); /* nothing added: an empty string, not NULL */
    free(e);
    for (int i = 0; i < 10000; i++)
        as_buf_putc(&b, (char)('a' + i % 26));
    ck_assert_uint_eq(b.len, 10000);
    ck_assert_uint_ge(b.cap, 10001);
    ck_assert_int_eq(b.p[b.len], 0);
    as_buf_puts(&b, "xyz");
    ck_assert_str_eq(b.p + 10000, "xyz");
    /* printf longer than its stack buffer */
    char big[600];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    as_buf_printf(&b, "<%s|%d>", big, 42);
    ck_assert_uint_eq(b.len, 10003 + 1 + 599 + 4);
    ck_assert_str_eq(b.p + b.len - 4, "|42>");
    size_t len;
    char *s = as_buf_take(&b, &len);
    ck_assert_uint_eq(len, 10607);
    ck_assert_uint_eq(strlen(s), len);
    ck_assert_ptr_null(b.p);
    ck_assert_uint_eq(b.len, 0);
    free(s);
    /* reserve keeps room for the NUL and grows from the first size asked */
    ck_assert(as_buf_reserve(&b, 100, 64));
    ck_assert_uint_ge(b.cap, 101);
    ck_assert_int_eq(b.p[0], 0);
    as_buf_free(&b);
    ck_assert_ptr_null(b.p);
}
END_TEST

/* A counted buffer's memory counts against the limit: it is given back by
 * as_buf_fit() and as_buf_free(), and growth past the limit fails with the
 * reason in the buffer's error. */
START_TEST(counted)
{
    size_t before = as_mem_in_use(), lim = as_mem_limit();
    as_error e = {0};
    as_buf b = as_buf_counted(&e);
    for (int i = 0; i < 5000; i++)
        as_buf_putc(&b, 'x');
    ck_assert(!b.oom);
    ck_assert_uint_eq(as_mem_in_use(), before + b.cap);
    as_buf_fit(&b);
    ck_assert_uint_eq(b.cap, 5001);
    ck_assert_int_eq(b.p[5000], 0);
    ck_assert_uint_eq(as_mem_in_use(), before + 5001);
    as_buf_free(&b);
    ck_assert_uint_eq(as_mem_in_use(), before);
    ck_assert(b.counted && b.err == &e);   /* still counted, ready for reuse */
    as_mem_set_limit(before + (1 << 20));
    as_buf_reserve(&b, 2 << 20, 0);
    ck_assert(b.oom);
    ck_assert_int_eq(e.code, AS_ENOMEM);
    ck_assert_ptr_nonnull(strstr(e.msg, "memory limit"));
    ck_assert_uint_eq(as_mem_in_use(), before);
    as_buf_free(&b);
    as_mem_set_limit(lim);
}
END_TEST

/* The growable array: doubling from first, NULL (array untouched) when the
 * size cannot be had. */
START_TEST(array_grow)
{
    size_t cap = 0;
    int *a = as_array_grow(NULL, &cap, 1, sizeof *a, 4);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(cap, 4);
    for (int i = 0; i < 4; i++)
        a[i] = i;
    ck_assert_ptr_eq(as_array_grow(a, &cap, 4, sizeof *a, 4), a);   /* room already */
    a = as_array_grow(a, &cap, 9, sizeof *a, 4);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(cap, 16);
    ck_assert_int_eq(a[3], 3);
    ck_assert_ptr_null(as_array_grow(a, &cap, SIZE_MAX / 2, sizeof *a, 4));
    ck_assert_uint_eq(cap, 16);
    ck_assert_int_eq(a[3], 3);
    free(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, grows_and_terminates);
    tcase_add_test(tc, counted);
    tcase_add_test(tc, array_grow);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
