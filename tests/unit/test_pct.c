/* test_pct.c - percent-escapes: decoded, refused when broken or NUL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pct.h"

static void
test_decode(void **state)
{
	char *s;

	(void)state;
	s = pct_decode("a%41%7e+", 8);
	assert_string_equal(s, "aA~+");
	free(s);
	s = pct_decode("%2F%3f%40%25", 12);
	assert_string_equal(s, "/?@%");
	free(s);
	s = pct_decode("", 0);
	assert_string_equal(s, "");
	free(s);
	/* Only 'len' bytes are read. */
	s = pct_decode("ab%41", 2);
	assert_string_equal(s, "ab");
	free(s);
}

static void
test_bad(void **state)
{
	(void)state;
	errno = 0;
	assert_null(pct_decode("%4", 2));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(pct_decode("%g0", 3));
	assert_int_equal(errno, EINVAL);
	assert_null(pct_decode("%", 1));
	assert_null(pct_decode("a%00b", 5));
	/* An escape cut by 'len' is broken even if the text goes on. */
	assert_null(pct_decode("%41", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
