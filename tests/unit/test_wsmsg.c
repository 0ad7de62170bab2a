/* test_wsmsg.c - messages put back together from fragments. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wsmsg.h"

static void
test_whole_message_passes_without_copy(void **state)
{
	struct wsmsg m;
	const unsigned char in[] = "42[\"a\"]", *data;
	size_t len;
	int bin;

	(void)state;
	wsmsg_init(&m);
	assert_int_equal(wsmsg_add(&m, in, 7, 0, 1, 100, &data, &len, &bin),
	    1);
	assert_ptr_equal(data, in);
	assert_int_equal(len, 7);
	assert_int_equal(bin, 0);
	assert_null(m.b.data);
	wsmsg_release(&m);
}

static void
test_pieces_are_joined_and_keep_the_first_kind(void **state)
{
	struct wsmsg m;
	const unsigned char *data;
	size_t len;
	int bin;

	(void)state;
	wsmsg_init(&m);
	assert_int_equal(wsmsg_held(&m), 0);
	assert_int_equal(wsmsg_add(&m, (const unsigned char *)"ab", 2, 1, 0,
	                     100, &data, &len, &bin),
	    0);
	/* Held while it is partly in: its buffer's allocation. */
	assert_true(wsmsg_held(&m) >= 3);
	/* lws reports the kind on the first piece only. */
	assert_int_equal(wsmsg_add(&m, (const unsigned char *)"cd", 2, 0, 0,
	                     100, &data, &len, &bin),
	    0);
	assert_int_equal(wsmsg_add(&m, (const unsigned char *)"e", 1, 0, 1,
	                     100, &data, &len, &bin),
	    1);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "abcde", 5);
	assert_int_equal(bin, 1);
	wsmsg_done(&m, 1 << 20);
	assert_int_equal(m.b.len, 0);
	assert_non_null(m.b.data);           /* kept: below 'keep' */
	assert_int_equal(wsmsg_held(&m), 0); /* but no message is partly in */
	wsmsg_done(&m, 0);
	assert_null(m.b.data); /* freed: above 'keep' */
	wsmsg_release(&m);
}

static void
test_limit(void **state)
{
	struct wsmsg m;
	unsigned char big[64];
	const unsigned char *data;
	size_t len;
	int bin;

	(void)state;
	memset(big, 'x', sizeof(big));
	wsmsg_init(&m);
	errno = 0;
	assert_int_equal(wsmsg_add(&m, big, 11, 0, 1, 10, &data, &len, &bin),
	    -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(wsmsg_add(&m, big, 6, 0, 0, 10, &data, &len, &bin),
	    0);
	errno = 0;
	assert_int_equal(wsmsg_add(&m, big, 5, 0, 1, 10, &data, &len, &bin),
	    -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(m.b.len, 0); /* the partial message is dropped */
	assert_int_equal(wsmsg_add(&m, big, 10, 0, 1, 10, &data, &len, &bin),
	    1);
	wsmsg_release(&m);
}

/* Owners zero their connections rather than call wsmsg_init(). */
static void
test_zeroed_struct_assembles(void **state)
{
	struct wsmsg m;
	const unsigned char *data;
	size_t len;
	int bin;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(wsmsg_add(&m, (const unsigned char *)"ab", 2, 0, 0,
	                     10, &data, &len, &bin),
	    0);
	assert_int_equal(wsmsg_add(&m, (const unsigned char *)"c", 1, 0, 1, 10,
	                     &data, &len, &bin),
	    1);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "abc", 3);
	wsmsg_done(&m, 0);
	wsmsg_release(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_message_passes_without_copy),
		cmocka_unit_test(
		    test_pieces_are_joined_and_keep_the_first_kind),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_zeroed_struct_assembles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
