/* test_jsonv.c - JSON text to jv, strictly. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonv.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DEPTH 32

static jv
parse_ok(const char *text, size_t len, unsigned flags)
{
	jv v;

	if (jsonv_parse(text, len, DEPTH, flags, &v) != 0)
		fail_msg("refused (errno %d): %.*s", errno, (int)len, text);
	assert_true(jv_is_valid(v));
	return v;
}

static void
refuse(const char *text, size_t len, unsigned flags, int want_errno)
{
	jv v = jv_null();

	errno = 0;
	if (jsonv_parse(text, len, DEPTH, flags, &v) != -1)
		fail_msg("accepted: %.*s", (int)len, text);
	assert_int_equal(errno, want_errno);
	assert_false(jv_is_valid(v));
	jv_free(v);
}

/* What jq makes of documents both agree on is what jsonv makes. */
static void
test_same_as_jq(void **state)
{
	static const char *const docs[] = {
		"0",
		"-0.5",
		"1e5",
		"123456789012345678901234567890",
		"0.1",
		"true",
		"false",
		"null",
		"\"\"",
		"\"plain\"",
		"\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
		"\"\\u00e9\\u4e2d\\ud83d\\ude00\"",
		"\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"",
		"[]",
		"{}",
		" [1, \"a\", {\"b\": [null, true]}] ",
		"{\"a\":1,\"b\":{\"c\":[1,2,{\"d\":\"e\"}]}}",
		"[\"chat\",{\"roomName\":\"p\",\"message\":\"hi\"}]",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(docs); i++) {
		jv mine = parse_ok(docs[i], strlen(docs[i]), 0);
		jv theirs = jv_parse(docs[i]);

		assert_true(jv_is_valid(theirs));
		if (!jv_equal(mine, theirs))
			fail_msg("differs from jq: %s", docs[i]);
	}
}

static void
test_lone_surrogates(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* What a client sends when it cuts a string inside an emoji. */
		{ "\"\\ud83d\"", "\xef\xbf\xbd" },
		{ "\"\\udfff\"", "\xef\xbf\xbd" },
		{ "\"a\\ud83db\"",
		    "a\xef\xbf\xbd"
		    "b" },
		{ "\"\\ud83d\\u0041\"",
		    "\xef\xbf\xbd"
		    "A" },
		{ "\"\\ud83d\\ud83d\\ude00\"",
		    "\xef\xbf\xbd\xf0\x9f\x98\x80" },
		{ "\"\\ude00\\ud83d\"", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\\ud83d\\n\"", "\xef\xbf\xbd\n" },
	};

	(void)state;
	for (size_t i = 0; i < NELEM(cases); i++) {
		jv v = parse_ok(cases[i].text, strlen(cases[i].text), 0);

		assert_int_equal(jv_get_kind(v), JV_KIND_STRING);
		assert_string_equal(jv_string_value(v), cases[i].want);
		jv_free(v);
	}
}

/* Names are byte strings with their length: NUL is a byte like others. */
static void
test_nul_stays(void **state)
{
	const char text[] = "{\"a\\u0000b\":\"x\\u0000y\"}";
	jv v = parse_ok(text, sizeof(text) - 1, 0);
	jv keys = jv_keys(jv_copy(v));
	jv k = jv_array_get(keys, 0);
	jv val = jv_object_get(v, jv_copy(k));

	(void)state;
	assert_int_equal(jv_string_length_bytes(jv_copy(k)), 3);
	assert_memory_equal(jv_string_value(k), "a\0b", 3);
	assert_int_equal(jv_string_length_bytes(jv_copy(val)), 3);
	assert_memory_equal(jv_string_value(val), "x\0y", 3);
	jv_free(k);
	jv_free(val);
}

static void
test_lax_refused(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"nan",
		"NaN",
		"Infinity",
		"-Infinity",
		"01",
		"+1",
		".5",
		"1.",
		"0x10",
		"tru",
		"nul",
		"[1,]",
		"{\"a\":1,}",
		"{a:1}",
		"'a'",
		"\"\\x41\"",
		"\"\\u12\"",
		"\"tab\there\"",
		"\"unterminated",
		"\xef\xbb\xbf{}",
		"\"\xff\"",
		"\"\xc0\xaf\"",
		"\"\xed\xa0\x80\"",
		"1 2",
		"{} x",
		"[",
		"{\"a\"}",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(bad); i++)
		refuse(bad[i], strlen(bad[i]), 0, EINVAL);
}

static void
test_numbers(void **state)
{
	char big[200];
	jv v;

	(void)state;
	v = parse_ok("1e400", 5, 0);
	assert_true(isinf(jv_number_value(v)) && jv_number_value(v) > 0);
	jv_free(v);
	v = parse_ok("-1e400", 6, 0);
	assert_true(isinf(jv_number_value(v)) && jv_number_value(v) < 0);
	jv_free(v);
	refuse("1e400", 5, JSONV_FINITE, ERANGE);
	refuse("[1,-1e400]", 10, JSONV_FINITE, ERANGE);
	refuse("{\"a\":{\"b\":1e309}}", 16, JSONV_FINITE, ERANGE);
	/* Too small to tell from 0 is 0, as in JSON.parse. */
	v = parse_ok("1e-400", 6, JSONV_FINITE);
	assert_true(jv_number_value(v) == 0);
	jv_free(v);
	v = parse_ok("1.7976931348623157e308", 22, JSONV_FINITE);
	assert_true(isfinite(jv_number_value(v)));
	jv_free(v);
	/* A number longer than the stack copy. */
	memset(big, '0', sizeof(big));
	big[0] = '0';
	big[1] = '.';
	big[sizeof(big) - 2] = '5';
	v = parse_ok(big, sizeof(big) - 1, JSONV_FINITE);
	assert_true(jv_number_value(v) > 0 && jv_number_value(v) < 1e-190);
	jv_free(v);
}

static void
test_long_string(void **state)
{
	size_t n = 5000;
	char *text = malloc(2 + 6 * n);
	jv v;

	(void)state;
	assert_non_null(text);
	text[0] = '"';
	for (size_t i = 0; i < n; i++)
		memcpy(text + 1 + 6 * i, "\\u00e9", 6);
	text[1 + 6 * n] = '"';
	v = parse_ok(text, 2 + 6 * n, 0);
	assert_int_equal(jv_string_length_bytes(jv_copy(v)), (int)(2 * n));
	jv_free(v);
	free(text);
}

static void
test_depth(void **state)
{
	char text[2 * (DEPTH + 1) + 1];
	jv v;

	(void)state;
	memset(text, '[', DEPTH);
	memset(text + DEPTH, ']', DEPTH);
	v = parse_ok(text, 2 * DEPTH, 0);
	jv_free(v);
	memset(text, '[', DEPTH + 1);
	memset(text + DEPTH + 1, ']', DEPTH + 1);
	refuse(text, 2 * (DEPTH + 1), 0, EINVAL);
	/* An object counts as a level as an array does. */
	text[0] = '{';
	memset(text + 1, '[', DEPTH);
	memset(text + 1 + DEPTH, ']', DEPTH);
	text[1 + 2 * DEPTH] = '}';
	refuse(text, 2 * (DEPTH + 1), 0, EINVAL);
}

static void
test_duplicate_keys_last_wins(void **state)
{
	jv v = parse_ok("{\"a\":1,\"a\":2}", 13, 0);
	jv a = jv_object_get(v, jv_string("a"));

	(void)state;
	assert_true(jv_number_value(a) == 2);
	jv_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_jq),
		cmocka_unit_test(test_lone_surrogates),
		cmocka_unit_test(test_nul_stays),
		cmocka_unit_test(test_lax_refused),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_long_string),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_duplicate_keys_last_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
