/* test_climsg.c - the events georoom-cli sends, as JSON text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "climsg.h"

/* Compares a jv string (consumed) with 'want'. */
static void
assert_text(jv got, const char *want)
{
	assert_true(jv_get_kind(got) == JV_KIND_STRING);
	assert_string_equal(jv_string_value(got), want);
	jv_free(got);
}

static void
test_room_numbers(void **state)
{
	static const struct {
		const char *room;
		int number;
	} table[] = {
		{ "1", 1 },
		{ "0", 1 },
		{ "42", 1 },
		{ "-7", 1 },
		{ "9007199254740991", 1 },
		{ "-9007199254740991", 1 },
		{ "9007199254740992", 0 },
		{ "10000000000000000", 0 },
		{ "01", 0 },
		{ "-0", 0 },
		{ "00", 0 },
		{ "", 0 },
		{ "-", 0 },
		{ "1.5", 0 },
		{ "1e3", 0 },
		{ "+1", 0 },
		{ " 1", 0 },
		{ "berlin", 0 },
		{ "12a", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_int_equal(climsg_room_is_number(table[i].room),
		    table[i].number);
}

static void
test_join(void **state)
{
	(void)state;
	assert_text(climsg_join("1", "7"),
	    "[\"join_room\",{\"locationId\":1,\"userId\":7}]");
	assert_text(climsg_join("01", NULL),
	    "[\"join_room\",{\"locationId\":\"01\"}]");
	assert_text(climsg_join("caf\xc3\xa9 \"x\"", NULL),
	    "[\"join_room\",{\"locationId\":\"caf\xc3\xa9 \\\"x\\\"\"}]");
}

static void
test_chat_keeps_json_as_written(void **state)
{
	static const char msg[] = "{\"big\":12345678901234567890,\"f\":1.10}";

	(void)state;
	assert_text(climsg_chat("1", "7", msg, strlen(msg)),
	    "[\"chat\",{\"userId\":7,\"message\":{\"big\":12345678901234567890,"
	    "\"f\":1.10},\"roomName\":\"1\"}]");
	assert_text(climsg_chat("r", NULL, "\"hi\"", 4),
	    "[\"chat\",{\"message\":\"hi\",\"roomName\":\"r\"}]");
}

static void
test_event(void **state)
{
	const char *args[] = { "1", "\"two\"", "[3]" };
	size_t lens[] = { 1, 5, 3 };

	(void)state;
	assert_text(climsg_event("e", args, lens, 3), "[\"e\",1,\"two\",[3]]");
	assert_text(climsg_event("no args", NULL, NULL, 0), "[\"no args\"]");
}

static void
test_string_escapes(void **state)
{
	(void)state;
	assert_text(climsg_string("a\"b\\c\n\t", 7), "\"a\\\"b\\\\c\\n\\t\"");
	/* Not UTF-8: the bad byte becomes U+FFFD. */
	assert_text(climsg_string("a\xff", 2), "\"a\xef\xbf\xbd\"");
	assert_text(climsg_string("", 0), "\"\"");
}

static void
test_json_ok(void **state)
{
	static const char *const good[] = {
		"1",
		"\"s\"",
		"{}",
		"[1,2]",
		" {\"a\":null} ",
		"-0.5e3",
		"true",
	};
	static const char *const bad[] = {
		"",
		"hello",
		"nan",
		"01",
		"+1",
		".5",
		"{",
		"[1,]",
		"1 2",
		"'s'",
		"{a:1}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(climsg_json_ok(good[i], strlen(good[i])), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(climsg_json_ok(bad[i], strlen(bad[i])), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_room_numbers),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_chat_keeps_json_as_written),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_json_ok),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
