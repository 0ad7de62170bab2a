/* test_jsnum.c - numbers as JavaScript's String() writes them. */
#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "jsnum.h"

static void
test_matches_javascript(void **state)
{
	/* Each expected string is what node prints for String(value). */
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 0, "0" },
		{ -0.0, "0" },
		{ 1, "1" },
		{ -1, "-1" },
		{ 10, "10" },
		{ 1500, "1500" },
		{ 1.5, "1.5" },
		{ 0.1, "0.1" },
		{ -0.5, "-0.5" },
		{ 123.456, "123.456" },
		{ 0.00001, "0.00001" },
		{ 0.000001, "0.000001" },
		{ 1e-7, "1e-7" },
		{ 1.5e-7, "1.5e-7" },
		{ 1e20, "100000000000000000000" },
		{ 1e21, "1e+21" },
		{ 12345678901234567890.0, "12345678901234567000" },
		{ 9007199254740991.0, "9007199254740991" },
		{ 9007199254740993.0, "9007199254740992" },
		{ 5e-324, "5e-324" },
		{ DBL_MAX, "1.7976931348623157e+308" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 123e-20, "1.23e-18" },
	};
	char buf[48];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jsnum_format(cases[i].v, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].want);
	}
}

static void
test_not_finite(void **state)
{
	/* String(Infinity), String(-Infinity), String(NaN). */
	char buf[48], small[4];

	(void)state;
	assert_int_equal(jsnum_format(INFINITY, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "Infinity");
	assert_int_equal(jsnum_format(-INFINITY, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "-Infinity");
	assert_int_equal(jsnum_format(NAN, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "NaN");
	assert_int_equal(jsnum_format(-NAN, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "NaN");
	assert_int_equal(jsnum_format(HUGE_VAL, small, sizeof(small)), 8);
	assert_string_equal(small, "Inf");
}

static void
test_truncates_like_snprintf(void **state)
{
	char small[4];

	(void)state;
	assert_int_equal(jsnum_format(123456, small, sizeof(small)), 6);
	assert_string_equal(small, "123");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_javascript),
		cmocka_unit_test(test_not_finite),
		cmocka_unit_test(test_truncates_like_snprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
