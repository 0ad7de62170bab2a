/*
 * test_stamp.c - a record's own time: RFC 3339 text, epoch seconds and
 * milliseconds, the range of a TIMESTAMP, and the server's text.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stamp.h"

#define S 1000000LL /* microseconds in a second */

static void
ok(jv v, int64_t want)
{
	char err[256] = "";
	int64_t us = -1;

	if (stamp_from_json(v, &us, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(us, want);
}

static void
bad(jv v, const char *want)
{
	char err[256] = "";
	int64_t us = -1;

	assert_int_equal(stamp_from_json(v, &us, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("got \"%s\", want \"%s\"", err, want);
}

static void
test_rfc3339(void **state)
{
	(void)state;
	ok(jv_string("2026-11-25T10:00:00Z"), 1795600800 * S);
	ok(jv_string("2026-11-25t10:00:00z"), 1795600800 * S);
	ok(jv_string("2026-11-25 10:00:00Z"), 1795600800 * S);
	ok(jv_string("2026-11-25T11:00:00.5+01:00"), 1795600800 * S + S / 2);
	ok(jv_string("2026-11-25T04:30:00-05:30"), 1795600800 * S);
	ok(jv_string("2026-11-25T10:00:00-00:00"), 1795600800 * S);
	ok(jv_string("2026-11-25T10:00:00.123456Z"), 1795600800 * S + 123456);
	/* Digits past the microsecond are dropped, not rounded. */
	ok(jv_string("2026-11-25T10:00:00.1234569Z"), 1795600800 * S + 123456);
	ok(jv_string("2026-11-25T10:00:00.1Z"), 1795600800 * S + 100000);
	/* A leap second: the last microsecond before the next minute. */
	ok(jv_string("2016-12-31T23:59:60Z"), 1483228799 * S + 999999);
	ok(jv_string("2024-02-29T00:00:00Z"), 1709164800 * S);
	/* The edges of a TIMESTAMP. */
	ok(jv_string("1970-01-01T00:00:01Z"), STAMP_MIN);
	ok(jv_string("2038-01-19T03:14:07.999999Z"), STAMP_MAX);
	bad(jv_string("1970-01-01T00:00:00Z"),
	    "1970-01-01T00:00:00.000000Z is outside 1970-01-01T00:00:01Z .. "
	    "2038-01-19T03:14:07.999999Z, the range of a TIMESTAMP");
	bad(jv_string("2038-01-19T03:14:08Z"), "is outside");
	bad(jv_string("1969-12-31T23:59:59Z"), "is outside");
	/* Not RFC 3339. */
	bad(jv_string("2023-02-29T00:00:00Z"),
	    "\"2023-02-29T00:00:00Z\" is not an RFC 3339 time");
	bad(jv_string("2026-13-01T00:00:00Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-31T00:00:00Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T24:00:00Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:60:00Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00:00"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00:00.Z"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00:00+0100"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00:00+24:00"), "is not an RFC 3339 time");
	bad(jv_string("2026-11-25T10:00:00Z "), "is not an RFC 3339 time");
	bad(jv_string("yesterday"), "\"yesterday\" is not an RFC 3339 time");
	bad(jv_string(""), "is not an RFC 3339 time");
	bad(jv_string_sized("2026-11-25T10:00:00Z\0", 21),
	    "is not an RFC 3339 time");
}

static void
test_epoch(void **state)
{
	(void)state;
	ok(jv_number(1795600800), 1795600800 * S);
	ok(jv_number(1795600800.25), 1795600800 * S + S / 4);
	/* Milliseconds from 1e11 on. */
	ok(jv_number(1795600800123.0), 1795600800 * S + 123000);
	ok(jv_number(1795600800123.5), 1795600800 * S + 123500);
	/* Protobuf's JSON writes 64-bit integers as strings. */
	ok(jv_string("1795600800"), 1795600800 * S);
	ok(jv_string("1795600800123"), 1795600800 * S + 123000);
	ok(jv_string("1795600800.5"), 1795600800 * S + S / 2);
	ok(jv_number(1), STAMP_MIN);
	bad(jv_number(0), "is outside");
	bad(jv_number(2147483648.0), "2038-01-19T03:14:08.000000Z is outside");
	bad(jv_number(-5), "-5 is not a time in seconds or milliseconds");
	bad(jv_number(NAN), "NaN is not a time");
	bad(jv_number(INFINITY), "Infinity is not a time");
	bad(jv_number(1e20), "is not a time");
	bad(jv_string("1795600800."), "is not an RFC 3339 time");
	bad(jv_string("-1795600800"), "is not an RFC 3339 time");
	bad(jv_null(),
	    "expected an RFC 3339 string or a number of seconds "
	    "or milliseconds, got null");
	bad(jv_true(), "got boolean");
}

static void
test_format_and_sql(void **state)
{
	char out[STAMP_TEXT_MAX];
	struct stamp_parts p;
	int64_t us;

	(void)state;
	stamp_format(STAMP_MIN, out);
	assert_string_equal(out, "1970-01-01T00:00:01.000000Z");
	stamp_format(STAMP_MAX, out);
	assert_string_equal(out, "2038-01-19T03:14:07.999999Z");
	stamp_format(1709164800 * S + 7, out);
	assert_string_equal(out, "2024-02-29T00:00:00.000007Z");
	stamp_split(1795600800 * S + 123456, &p);
	assert_int_equal(p.year, 2026);
	assert_int_equal(p.month, 11);
	assert_int_equal(p.day, 25);
	assert_int_equal(p.hour, 10);
	assert_int_equal(p.minute, 0);
	assert_int_equal(p.second, 0);
	assert_int_equal(p.micro, 123456);

	assert_int_equal(stamp_parse_sql("2026-11-25 10:00:00.123456", 26,
	                     &us),
	    0);
	assert_int_equal(us, 1795600800 * S + 123456);
	assert_int_equal(stamp_parse_sql("2026-11-25 10:00:00", 19, &us), 0);
	assert_int_equal(us, 1795600800 * S);
	assert_int_equal(stamp_parse_sql("2026-11-25 10:00:00Z", 20, &us), -1);
	assert_int_equal(stamp_parse_sql("0000-00-00 00:00:00", 19, &us), -1);
	/* Every day of four centuries goes there and back. */
	for (int64_t d = 0; d < 146097; d++) {
		int64_t t = d * 86400 * S + d * 997;

		stamp_split(t, &p);
		stamp_format(t, out);
		out[10] = ' ';
		out[26] = '\0';
		assert_int_equal(stamp_parse_sql(out, 26, &us), 0);
		assert_int_equal(us, t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_format_and_sql),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
