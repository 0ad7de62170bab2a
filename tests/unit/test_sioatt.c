/* test_sioatt.c - a binary packet waiting for its attachments. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sioatt.h"

static void
test_collects_the_announced_frames(void **state)
{
	static const char text[] =
	    "52-[\"m\",{\"_placeholder\":true,\"num\":0}]";
	char buf[sizeof(text)];
	struct sioatt a;

	(void)state;
	sioatt_init(&a);
	memcpy(buf, text, sizeof(text));
	assert_int_equal(sioatt_start(&a, buf, sizeof(text) - 1, 2), 0);
	memset(buf, 0, sizeof(buf)); /* the frame's buffer is reused */
	assert_memory_equal(a.text, text, sizeof(text) - 1);
	assert_int_equal(sioatt_add(&a, "\1\2\3", 3, 100), 0);
	assert_int_equal(sioatt_add(&a, "", 0, 100), 1); /* empty is fine */
	assert_int_equal(a.n, 2);
	assert_memory_equal(a.att[0].iov_base, "\1\2\3", 3);
	assert_int_equal(a.att[1].iov_len, 0);
	errno = 0;
	assert_int_equal(sioatt_add(&a, "x", 1, 100), -1); /* one too many */
	assert_int_equal(errno, EPROTO);
	sioatt_clear(&a);
	assert_int_equal(a.want, 0);
	assert_null(a.text);
}

static void
test_refuses_unannounced_and_oversized(void **state)
{
	struct sioatt a;

	(void)state;
	sioatt_init(&a);
	errno = 0;
	assert_int_equal(sioatt_add(&a, "x", 1, 100), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(sioatt_start(&a, "51-[]", 5, 3), 0);
	assert_int_equal(sioatt_add(&a, "12345", 5, 8), 0);
	errno = 0;
	assert_int_equal(sioatt_add(&a, "1234", 4, 8), -1);
	assert_int_equal(errno, EMSGSIZE);
	sioatt_clear(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collects_the_announced_frames),
		cmocka_unit_test(test_refuses_unannounced_and_oversized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
