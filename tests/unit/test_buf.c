/* test_buf.c - the capped growable byte buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

static void
test_grows_from_nothing(void **state)
{
	struct buf b;
	char big[1000];

	(void)state;
	buf_init(&b, 1 << 20);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_allocated(&b), 0);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(buf_appends(&b, "abc"), 0);
	assert_true(buf_allocated(&b) >= 4);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_append(&b, big, sizeof(big)), 0);
	assert_int_equal(b.len, 3 + 100 * sizeof(big));
	assert_true(
	    buf_allocated(&b) > b.len && buf_allocated(&b) <= 2 * b.len);
	assert_memory_equal(b.data, "abcxxx", 6);
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_allocated(&b), 0);
	assert_int_equal(b.max, 1 << 20);
}

static void
test_cap_is_enobufs(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_appends(&b, "abcd"), 0);
	errno = 0;
	assert_int_equal(buf_appends(&b, "ef"), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_string_equal(b.data, "abcd"); /* unchanged on failure */
	assert_int_equal(buf_appends(&b, "e"), 0);
	assert_string_equal(b.data, "abcde");
	errno = 0;
	assert_int_equal(buf_reserve(&b, 1), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(buf_reserve(&b, 0), 0);
	buf_release(&b);

	/* A cap of 0 holds nothing but still gives an empty string. */
	buf_init(&b, 0);
	errno = 0;
	assert_int_equal(buf_append(&b, "x", 1), -1);
	assert_int_equal(errno, ENOBUFS);
	buf_release(&b);

	/* The cap bounds the bytes held, not what passed through. */
	buf_init(&b, 4);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(buf_appends(&b, "abc"), 0);
		buf_consume(&b, 3);
	}
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_consume_from_front(void **state)
{
	struct buf b;
	char *at;
	size_t room;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_appends(&b, "one\ntwo\n"), 0);
	buf_consume(&b, 4);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "two\n");
	/* The consumed front is reclaimed when more room is asked for. */
	assert_int_equal(buf_appends(&b, "3\n"), 0);
	assert_string_equal(b.data, "two\n3\n");
	assert_int_equal(buf_reserve(&b, 2), 0);
	at = buf_space(&b, &room);
	assert_true(room >= 2);
	memcpy(at, "xy", 2);
	buf_commit(&b, 2);
	assert_string_equal(b.data, "two\n3\nxy");
	buf_consume(&b, 8);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void
test_space_before_growth(void **state)
{
	struct buf b;
	size_t room;

	(void)state;
	buf_init(&b, 100);
	assert_null(buf_space(&b, &room));
	assert_int_equal(room, 0);
	assert_int_equal(buf_reserve(&b, 10), 0);
	assert_non_null(buf_space(&b, &room));
	assert_true(room >= 10 && room <= 100);
	buf_release(&b);
}

static void
test_reset_and_shrink(void **state)
{
	struct buf b;
	char *mem;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_appends(&b, "hello"), 0);
	mem = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, mem); /* the allocation is kept */
	assert_string_equal(b.data, "");
	assert_int_equal(buf_appends(&b, "hi"), 0);
	buf_shrink(&b, 1 << 20);
	assert_int_equal(b.len, 0);
	assert_non_null(b.data); /* kept: within 'keep' */
	buf_shrink(&b, 0);
	assert_null(b.data); /* freed: larger than 'keep' */
	assert_int_equal(buf_appends(&b, "again"), 0);
	assert_string_equal(b.data, "again");
	buf_release(&b);
}

static void
test_detach(void **state)
{
	struct buf b;
	size_t len;
	char *s;

	(void)state;
	buf_init(&b, 100);
	s = buf_detach(&b, &len); /* an empty buffer gives "" */
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	assert_int_equal(buf_appends(&b, "skip:kept"), 0);
	buf_consume(&b, 5);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "kept");
	assert_int_equal(len, 4);
	assert_null(b.data); /* ownership went out */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	free(s);
	assert_int_equal(buf_appends(&b, "new"), 0);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "new");
	free(s);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_from_nothing),
		cmocka_unit_test(test_cap_is_enobufs),
		cmocka_unit_test(test_consume_from_front),
		cmocka_unit_test(test_space_before_growth),
		cmocka_unit_test(test_reset_and_shrink),
		cmocka_unit_test(test_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
