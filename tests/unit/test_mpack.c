/*
 * test_mpack.c - MessagePack items as notepack.io writes and reads them.
 * The byte strings below are what notepack.io 3.0.1 writes.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mpack.h"

/* Bytes written as a string with their length. */
struct bytes {
	const char *p;
	size_t n;
};
#define B(s) \
	{ \
		s, sizeof(s) - 1 \
	}

static void
expect_number(double d, struct bytes want)
{
	struct buf b;

	buf_init(&b, 64);
	assert_int_equal(mpack_put_number(&b, d), 0);
	assert_int_equal(b.len, want.n);
	assert_memory_equal(b.data, want.p, want.n);
	buf_release(&b);
}

static void
test_numbers_as_notepack_writes_them(void **state)
{
	(void)state;
	expect_number(0, (struct bytes)B("\x00"));
	expect_number(-0.0, (struct bytes)B("\x00"));
	expect_number(127, (struct bytes)B("\x7f"));
	expect_number(128, (struct bytes)B("\xcc\x80"));
	expect_number(256, (struct bytes)B("\xcd\x01\x00"));
	expect_number(65536, (struct bytes)B("\xce\x00\x01\x00\x00"));
	expect_number(4294967296.0,
	    (struct bytes)B("\xcf\x00\x00\x00\x01\x00\x00\x00\x00"));
	expect_number(18446744073709549568.0,
	    (struct bytes)B("\xcf\xff\xff\xff\xff\xff\xff\xf8\x00"));
	expect_number(-1, (struct bytes)B("\xff"));
	expect_number(-32, (struct bytes)B("\xe0"));
	expect_number(-33, (struct bytes)B("\xd0\xdf"));
	expect_number(-129, (struct bytes)B("\xd1\xff\x7f"));
	expect_number(-32769, (struct bytes)B("\xd2\xff\xff\x7f\xff"));
	expect_number(-2147483649.0,
	    (struct bytes)B("\xd3\xff\xff\xff\xff\x7f\xff\xff\xff"));
	expect_number(-9223372036854775808.0,
	    (struct bytes)B("\xd3\x80\x00\x00\x00\x00\x00\x00\x00"));
	expect_number(1.5, (struct bytes)B("\xcb\x3f\xf8\0\0\0\0\0\0"));
	/* Past the 64-bit formats: notepack.io would wrap, this keeps. */
	expect_number(18446744073709551616.0,
	    (struct bytes)B("\xcb\x43\xf0\0\0\0\0\0\0"));
	expect_number(1e21,
	    (struct bytes)B("\xcb\x44\x4b\x1a\xe4\xd6\xe2\xef\x50"));
	expect_number(-18446744073709551616.0,
	    (struct bytes)B("\xcb\xc3\xf0\0\0\0\0\0\0"));
	expect_number(INFINITY, (struct bytes)B("\xcb\x7f\xf0\0\0\0\0\0\0"));
}

static void
test_reader(void **state)
{
	struct mpack_item it;
	struct mpack_cur c;

	(void)state;
	mpack_cur_init(&c, "\xd9\x02hi\xc5\x00\x01z\xde\x00\x01\xcd\x01\x00",
	    14);
	assert_int_equal(mpack_next(&c, &it), 0);
	assert_int_equal(it.kind, MPACK_STR);
	assert_int_equal(it.len, 2);
	assert_memory_equal(it.str, "hi", 2);
	assert_int_equal(mpack_next(&c, &it), 0);
	assert_int_equal(it.kind, MPACK_BIN);
	assert_int_equal(it.len, 1);
	assert_int_equal(mpack_next(&c, &it), 0);
	assert_int_equal(it.kind, MPACK_MAP);
	assert_int_equal(it.len, 1);
	/* Counts more elements than bytes are left: truncated. */
	mpack_cur_init(&c, "\xde\x00\x02\x01\x02\x03", 6);
	assert_int_equal(mpack_next(&c, &it), -1);
	assert_int_equal(errno, EINVAL);
	mpack_cur_init(&c, "\x82\x01\x02\x03", 4);
	assert_int_equal(mpack_skip(&c, 1), -1);
	mpack_cur_init(&c, "\xd2\x80\0\0\0", 5);
	assert_int_equal(mpack_next(&c, &it), 0);
	assert_true(it.num == -2147483648.0);
	mpack_cur_init(&c, "\xc7\x00\x01", 3);
	assert_int_equal(mpack_next(&c, &it), -1);
	assert_int_equal(errno, ENOTSUP);
	mpack_cur_init(&c, "", 0);
	assert_int_equal(mpack_next(&c, &it), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(mpack_strerror(ELOOP), "nested too deep");
}

static void
test_headers(void **state)
{
	unsigned char p[MPACK_HEAD_MAX];

	(void)state;
	assert_int_equal(mpack_header(p, 0, 15), 1);
	assert_int_equal(p[0], 0x9f);
	assert_int_equal(mpack_header(p, 1, 16), 3);
	assert_memory_equal(p, "\xde\x00\x10", 3);
	assert_int_equal(mpack_header(p, 0, 65536), 5);
	assert_memory_equal(p, "\xdd\x00\x01\x00\x00", 5);
}

static void
test_writers(void **state)
{
	struct buf b;
	char s300[300];

	(void)state;
	memset(s300, 's', sizeof(s300));
	buf_init(&b, 1024);
	assert_int_equal(mpack_put_nil(&b), 0);
	assert_int_equal(mpack_put_bool(&b, 1), 0);
	assert_int_equal(mpack_put_bool(&b, 0), 0);
	assert_int_equal(mpack_put_str(&b, "ab", 2), 0);
	assert_int_equal(mpack_put_bin(&b, "", 0), 0);
	assert_int_equal(mpack_put_array(&b, 16), 0);
	assert_int_equal(mpack_put_map(&b, 15), 0);
	assert_int_equal(b.len, 12);
	assert_memory_equal(b.data,
	    "\xc0\xc3\xc2\xa2"
	    "ab\xc4\x00\xdc\x00\x10\x8f",
	    12);
	buf_reset(&b);
	assert_int_equal(mpack_put_str(&b, s300, 300), 0);
	assert_memory_equal(b.data, "\xda\x01\x2c", 3);
	buf_reset(&b);
	assert_int_equal(mpack_put_bin(&b, s300, 255), 0);
	assert_memory_equal(b.data, "\xc4\xff", 2);
	buf_reset(&b);
	/* The cap holds. */
	b.max = 100;
	errno = 0;
	assert_int_equal(mpack_put_str(&b, s300, 300), -1);
	assert_int_equal(errno, ENOBUFS);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_as_notepack_writes_them),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
