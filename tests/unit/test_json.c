/* test_json.c - strict JSON checking (RFC 8259) and the pull scanner. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The nesting limit the tests pass, as sio.c does. */
#define DEPTH 64

static void
accept_len(const char *text, size_t len)
{
	if (json_check(text, len, DEPTH) != 0)
		fail_msg("refused: %.*s", (int)len, text);
}

static void
refuse_len(const char *text, size_t len)
{
	errno = 0;
	if (json_check(text, len, DEPTH) != -1)
		fail_msg("accepted: %.*s", (int)len, text);
	assert_int_equal(errno, EINVAL);
}

static void
accept_all(const char *const *texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		accept_len(texts[i], strlen(texts[i]));
}

static void
refuse_all(const char *const *texts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		refuse_len(texts[i], strlen(texts[i]));
}

static void
test_check_numbers(void **state)
{
	static const char *const good[] = {
		"0",
		"-0",
		"1",
		"-1",
		"123",
		"0.5",
		"-0.0",
		"1e5",
		"1E+5",
		"1e-5",
		"1E05",
		"-1.5e+10",
		"9007199254740993",
		"123456789012345678901234567890",
		"1e400",
	};
	/* What jq 1.6 takes and JSON.parse refuses, and worse. */
	static const char *const bad[] = {
		"01",
		"-01",
		"00",
		"+1",
		".5",
		"-.5",
		"1.",
		"1.e5",
		"-",
		"1e",
		"1e+",
		"1E-",
		"e5",
		"0x10",
		"1_000",
		"nan",
		"NaN",
		"-nan",
		"Infinity",
		"-Infinity",
		"inf",
	};

	(void)state;
	accept_all(good, NELEM(good));
	refuse_all(bad, NELEM(bad));
}

static void
test_check_literals(void **state)
{
	static const char *const good[] = { "true", "false", "null" };
	static const char *const bad[] = {
		"tru",
		"True",
		"TRUE",
		"nul",
		"nulll",
		"fals",
		"undefined",
		"'a'",
		"truefalse",
	};

	(void)state;
	accept_all(good, NELEM(good));
	refuse_all(bad, NELEM(bad));
}

static void
test_check_strings(void **state)
{
	static const char *const good[] = {
		"\"\"", "\"abc\"", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
		"\"\\u00e9\\u00E9\\u0000\"",
		"\"\\ud83d\\ude00\"", /* a surrogate pair */
		/* Lone surrogates: the grammar allows them (8.2). */
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ude00\\ud83d\"",
		"\"a\x7f\"", /* DEL is no control here */
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
		"\"\xf4\x8f\xbf\xbf\"",         /* U+10FFFF */
		"\"\xed\x9f\xbf\xee\x80\x80\"", /* U+D7FF, U+E000 */
	};
	static const char *const bad[] = {
		"\"abc",
		"\"",
		"\"\\\"",
		"\"\\",
		"\"\\x\"",
		"\"\\a\"",
		"\"\\U00e9\"",
		"\"\\u12\"",
		"\"\\u12g4\"",
		"\"\\u",
		"'abc'",
		/* control characters must be escaped */
		"\"a\tb\"",
		"\"a\nb\"",
		"\"a\rb\"",
		"\"\x01\"",
		"\"\x1f\"",
	};

	(void)state;
	accept_all(good, NELEM(good));
	refuse_all(bad, NELEM(bad));
	refuse_len("\"a\0b\"", 5);
}

static void
test_check_utf8(void **state)
{
	static const char *const bad[] = {
		"\"\x80\"",                 /* a lone continuation */
		"\"\xbf\"", "\"\xc0\xaf\"", /* overlong '/' */
		"\"\xc1\xbf\"", "\"\xe0\x80\xaf\"", "\"\xe0\x9f\xbf\"",
		"\"\xf0\x80\x80\xaf\"", "\"\xf0\x8f\xbf\xbf\"",
		"\"\xed\xa0\x80\"", /* surrogates */
		"\"\xed\xbf\xbf\"",
		"\"\xed\xa0\xbd\xed\xb8\x80\"",     /* a pair, in CESU-8 */
		"\"\xf4\x90\x80\x80\"",             /* above U+10FFFF */
		"\"\xf5\x80\x80\x80\"", "\"\xc3\"", /* truncated */
		"\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xc3\x28\"",
		"\"\xe2\x28\xac\"", "\"\xfe\"", "\"\xff\"",
		"\xef\xbb\xbf\"a\"",               /* a byte order mark */
		"[\"a\"]\xef\xbb\xbf", "\xc3\xa9", /* not inside a string */
	};

	(void)state;
	refuse_all(bad, NELEM(bad));
	/* Truncated by the length, not by the bytes. */
	refuse_len("\"\xe2\x82\xac\"", 3);

	assert_int_equal(json_utf8_check("", 0), 0);
	assert_int_equal(json_utf8_check("caf\xc3\xa9", 5), 0);
	assert_int_equal(json_utf8_check("\xf4\x8f\xbf\xbf", 4), 0);
	assert_int_equal(json_utf8_check("a\0b", 3), 0);
	assert_int_equal(json_utf8_check("\xe2\x82\xac", 2), -1);
	errno = 0;
	assert_int_equal(json_utf8_check("\xed\xa0\x80", 3), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(json_utf8_check("\xc0\x80", 2), -1);
}

static void
test_check_structure(void **state)
{
	static const char *const good[] = {
		"[]",
		"{}",
		"[1]",
		"[1,2,3]",
		"{\"a\":1}",
		"{\"a\":1,\"a\":2}",
		"[\"a\",{\"b\":[true,false,null,{}]},[[]]]",
		"[ 1 , [ ] , { \"a\" : { } } ]",
		"{\"\":\"\"}",
	};
	static const char *const bad[] = {
		"[",
		"]",
		"{",
		"}",
		"[1",
		"[1,]",
		"[,]",
		"[,1]",
		"[1,,2]",
		"[1 2]",
		"[\"a\" \"b\"]",
		"[1}",
		"{\"a\":1]",
		"{\"a\":[1]]",
		"{\"a\"}",
		"{\"a\":}",
		"{\"a\" 1}",
		"{\"a\":1,}",
		"{,}",
		"{1:2}",
		"{a:1}",
		"{'a':1}",
		"{\"a\":1 \"b\":2}",
		"[1:2]",
	};

	(void)state;
	accept_all(good, NELEM(good));
	refuse_all(bad, NELEM(bad));
}

static void
test_check_whitespace_and_garbage(void **state)
{
	static const char *const good[] = {
		" 1",
		"1 ",
		"\t\r\n[1]\n\r\t ",
		" { \"a\" :\n1 } ",
	};
	static const char *const bad[] = {
		"",
		" ",
		"\r\n\t",
		"1 2",
		"[]x",
		"[][]",
		"{} {}",
		"\"a\"\"b\"",
		"1,",
		"[1],",
		"nullnull",
		"0 0",
		/* only the four RFC 8259 whitespace bytes */
		"\x0b"
		"1",
		"1\x0b",
		"\x0c"
		"1",
		"[1]\x0c",
		"\xc2\xa0"
		"1",
	};

	(void)state;
	accept_all(good, NELEM(good));
	refuse_all(bad, NELEM(bad));
	refuse_len("[1]\0", 4);
	refuse_len("\0[1]", 4);
	/* The text need not be NUL-terminated: only 'len' bytes count. */
	accept_len("[1]garbage", 3);
	accept_len("12345", 2);
	refuse_len("[1]", 2);
}

/* 'depth' nested arrays or objects around a 0. */
static char *
nested(int depth, int objects)
{
	char *s = malloc(2 + (size_t)depth * 6), *p = s;

	assert_non_null(s);
	for (int i = 0; i < depth; i++) {
		if (objects) {
			memcpy(p, "{\"k\":", 5);
			p += 5;
		} else {
			*p++ = '[';
		}
	}
	*p++ = '0';
	for (int i = 0; i < depth; i++)
		*p++ = objects ? '}' : ']';
	*p = '\0';
	return s;
}

static void
test_check_nesting(void **state)
{
	char *s;

	(void)state;
	for (int objects = 0; objects <= 1; objects++) {
		s = nested(DEPTH, objects);
		accept_len(s, strlen(s));
		assert_int_equal(json_check(s, strlen(s), DEPTH + 1), 0);
		assert_int_equal(json_check(s, strlen(s), DEPTH - 1), -1);
		free(s);
		s = nested(DEPTH + 1, objects);
		refuse_len(s, strlen(s));
		free(s);
		/* Refused before the stack runs out. */
		s = nested(100000, objects);
		refuse_len(s, strlen(s));
		free(s);
	}
	/* Depth 0 takes scalars only. */
	assert_int_equal(json_check("1", 1, 0), 0);
	assert_int_equal(json_check("\"[\"", 3, 0), 0);
	assert_int_equal(json_check("[]", 2, 0), -1);
	assert_int_equal(json_check("{}", 2, 0), -1);
	assert_int_equal(json_check("[]", 2, 1), 0);
	assert_int_equal(json_check("[[],{}]", 7, 1), -1);
	assert_int_equal(json_check("[[],{}]", 7, 2), 0);
}

static void
scan(struct json_scan *s, const char *text)
{
	json_scan_init(s, text, strlen(text));
}

static void
test_scan_bytes(void **state)
{
	struct json_scan s;

	(void)state;
	scan(&s, " \t\r\n{ x");
	assert_int_equal(json_scan_peek(&s), ' ');
	json_scan_skip_space(&s);
	assert_int_equal(json_scan_peek(&s), '{');
	assert_false(json_scan_take(&s, '['));
	assert_int_equal(json_scan_peek(&s), '{');
	assert_true(json_scan_take(&s, '{'));
	json_scan_skip_space(&s);
	json_scan_skip_space(&s);
	assert_true(json_scan_take(&s, 'x'));
	assert_int_equal(json_scan_peek(&s), -1);
	assert_false(json_scan_take(&s, 'x'));
	json_scan_skip_space(&s);
	assert_int_equal(json_scan_peek(&s), -1);

	/* Bytes above 0x7f peek as themselves, not as negative chars. */
	scan(&s, "\xff");
	assert_int_equal(json_scan_peek(&s), 0xff);
	assert_true(json_scan_take(&s, 0xff));

	/* Only 'len' bytes are read. */
	json_scan_init(&s, "ab", 1);
	assert_true(json_scan_take(&s, 'a'));
	assert_int_equal(json_scan_peek(&s), -1);

	assert_true(json_is_space(' ') && json_is_space('\t') &&
	    json_is_space('\n') && json_is_space('\r'));
	assert_false(json_is_space('\v') || json_is_space('\f') ||
	    json_is_space('\0') || json_is_space(0xa0) || json_is_space(-1));
}

static void
test_scan_read_string(void **state)
{
	static const char text[] = "\"a\\\"b\\u00e9\" :";
	static const char *const bad[] = {
		"",
		"a",
		"'a'",
		"\"a",
		"\"\\q\"",
		"\"\x01\"",
		"\"\xc3\"",
	};
	struct json_scan s;
	const char *str;
	size_t len;

	(void)state;
	/* The text as written, borrowed from the buffer. */
	scan(&s, text);
	assert_int_equal(json_scan_read_string(&s, &str, &len), 0);
	assert_ptr_equal(str, text + 1);
	assert_int_equal(len, 10);
	assert_memory_equal(str, "a\\\"b\\u00e9", len);
	assert_int_equal(json_scan_peek(&s), ' ');

	scan(&s, "\"\"]");
	assert_int_equal(json_scan_read_string(&s, &str, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(json_scan_peek(&s), ']');

	/* Either output may be NULL to step over the string. */
	scan(&s, "\"abc\",\"d\"");
	assert_int_equal(json_scan_read_string(&s, NULL, NULL), 0);
	assert_true(json_scan_take(&s, ','));
	assert_int_equal(json_scan_read_string(&s, NULL, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(json_scan_peek(&s), -1);

	for (size_t i = 0; i < NELEM(bad); i++) {
		scan(&s, bad[i]);
		errno = 0;
		str = NULL;
		if (json_scan_read_string(&s, &str, &len) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(errno, EINVAL);
		assert_null(str); /* nothing written on failure */
	}
	/* The closing quote must lie within 'len'. */
	json_scan_init(&s, "\"ab\"", 3);
	assert_int_equal(json_scan_read_string(&s, NULL, NULL), -1);
}

static void
test_scan_skip_number(void **state)
{
	/* Each number, and what follows it. */
	static const struct {
		const char *text;
		int next;
	} good[] = {
		{ "0", -1 },
		{ "-0,", ',' },
		{ "1e5]", ']' },
		{ "1E+5}", '}' },
		{ "-12.5e-3 ", ' ' },
		/* It stops where the number ends; the rest is the caller's. */
		{ "01", '1' },
		{ "0x10", 'x' },
		{ "1.5.5", '.' },
	};
	static const char *const bad[] = {
		"",
		"-",
		"+1",
		".5",
		"1.",
		"1.e5",
		"1e",
		"1e+",
		"nan",
		"Infinity",
		"\"1\"",
	};
	struct json_scan s;

	(void)state;
	for (size_t i = 0; i < NELEM(good); i++) {
		scan(&s, good[i].text);
		if (json_scan_skip_number(&s) != 0)
			fail_msg("refused: %s", good[i].text);
		assert_int_equal(json_scan_peek(&s), good[i].next);
	}
	for (size_t i = 0; i < NELEM(bad); i++) {
		scan(&s, bad[i]);
		errno = 0;
		if (json_scan_skip_number(&s) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(errno, EINVAL);
	}
}

static void
test_scan_read_uint(void **state)
{
	static const struct {
		const char *text;
		uint64_t max;
		uint64_t want;
		int next;
	} good[] = {
		{ "0", UINT32_MAX, 0, -1 },
		{ "25000,", UINT32_MAX, 25000, ',' },
		{ "4294967295}", UINT32_MAX, UINT32_MAX, '}' },
		{ "9007199254740991", UINT64_C(9007199254740991),
		    UINT64_C(9007199254740991), -1 },
		{ "18446744073709551615", UINT64_MAX, UINT64_MAX, -1 },
		{ "3", 3, 3, -1 },
		{ "0", 0, 0, -1 },
		{ "7 ", 9, 7, ' ' },
	};
	static const struct {
		const char *text;
		uint64_t max;
		int error;
	} bad[] = {
		{ "4294967296", UINT32_MAX, ERANGE },
		{ "9007199254740992", UINT64_C(9007199254740991), ERANGE },
		{ "18446744073709551616", UINT64_MAX, ERANGE },
		{ "123456789012345678901234567890", UINT64_MAX, ERANGE },
		{ "4", 3, ERANGE },
		{ "10", 9, ERANGE },
		{ "1", 0, ERANGE },
		{ "-1", UINT32_MAX, ERANGE },
		{ "-0", UINT32_MAX, ERANGE },
		{ "-2.5e3", UINT32_MAX, ERANGE },
		/* integers only as JSON.stringify writes them */
		{ "1.5", UINT32_MAX, EINVAL },
		{ "25000.0", UINT32_MAX, EINVAL },
		{ "1e6", UINT32_MAX, EINVAL },
		{ "1E6", UINT32_MAX, EINVAL },
		{ "01", UINT32_MAX, EINVAL },
		{ "00", UINT32_MAX, EINVAL },
		/* no number at all */
		{ "", UINT32_MAX, EINVAL },
		{ "-", UINT32_MAX, EINVAL },
		{ "-x", UINT32_MAX, EINVAL },
		{ "+1", UINT32_MAX, EINVAL },
		{ "\"1\"", UINT32_MAX, EINVAL },
		{ "nan", UINT32_MAX, EINVAL },
		{ "null", UINT32_MAX, EINVAL },
		{ " 1", UINT32_MAX, EINVAL },
	};
	struct json_scan s;
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < NELEM(good); i++) {
		scan(&s, good[i].text);
		if (json_scan_read_uint(&s, good[i].max, &v) != 0)
			fail_msg("refused: %s", good[i].text);
		assert_true(v == good[i].want);
		assert_int_equal(json_scan_peek(&s), good[i].next);
	}
	for (size_t i = 0; i < NELEM(bad); i++) {
		scan(&s, bad[i].text);
		errno = 0;
		v = 42;
		if (json_scan_read_uint(&s, bad[i].max, &v) != -1)
			fail_msg("accepted: %s", bad[i].text);
		if (errno != bad[i].error)
			fail_msg("%s: errno %d, not %d", bad[i].text, errno,
			    bad[i].error);
		assert_true(v == 42); /* nothing written on failure */
	}
}

static void
test_scan_skip_value(void **state)
{
	static const char *const good[] = {
		"0",
		"-1.5e3",
		"\"a\"",
		"true",
		"false",
		"null",
		"[]",
		"{}",
		"[1,[2,{\"a\":[3]}]]",
		"{ \"a\" : [ 1 , \"b\" ] , \"c\" : { } }",
	};
	static const char *const bad[] = {
		"",
		" 1",
		"]",
		"}",
		",",
		":",
		"tru",
		"nan",
		"[1,]",
		"{\"a\"}",
		"[\"\xff\"]",
		"\"a",
		"{1:2}",
	};
	char buf[128];
	struct json_scan s;

	(void)state;
	/* Each value is stepped over exactly, up to the comma after it. */
	for (size_t i = 0; i < NELEM(good); i++) {
		size_t n = strlen(good[i]);

		memcpy(buf, good[i], n);
		memcpy(buf + n, ",x", 3);
		scan(&s, buf);
		if (json_scan_skip_value(&s, DEPTH) != 0)
			fail_msg("refused: %s", good[i]);
		assert_true(json_scan_take(&s, ','));
		assert_true(json_scan_take(&s, 'x'));
	}
	for (size_t i = 0; i < NELEM(bad); i++) {
		scan(&s, bad[i]);
		errno = 0;
		if (json_scan_skip_value(&s, DEPTH) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(errno, EINVAL);
	}
	/* 'max_depth' counts the value's own arrays and objects. */
	scan(&s, "[[1]]");
	assert_int_equal(json_scan_skip_value(&s, 1), -1);
	scan(&s, "[[1]]");
	assert_int_equal(json_scan_skip_value(&s, 2), 0);
	scan(&s, "1");
	assert_int_equal(json_scan_skip_value(&s, 0), 0);
	scan(&s, "{}");
	assert_int_equal(json_scan_skip_value(&s, 0), -1);
}

/* An object read member by member, in place, as eio_parse_open does. */
static void
test_scan_object_in_place(void **state)
{
	static const char text[] = " { \"n\" : 7 , \"skip\" : [ {}, \"x\" ] ,"
	                           " \"s\":\"hi\" } ";
	struct json_scan s;
	const char *key, *str = NULL;
	size_t key_len, len = 0;
	uint64_t n = 0;

	(void)state;
	scan(&s, text);
	json_scan_skip_space(&s);
	assert_true(json_scan_take(&s, '{'));
	do {
		json_scan_skip_space(&s);
		assert_int_equal(json_scan_read_string(&s, &key, &key_len), 0);
		json_scan_skip_space(&s);
		assert_true(json_scan_take(&s, ':'));
		json_scan_skip_space(&s);
		if (key_len == 1 && key[0] == 'n')
			assert_int_equal(json_scan_read_uint(&s, 100, &n), 0);
		else if (key_len == 1 && key[0] == 's')
			assert_int_equal(json_scan_read_string(&s, &str, &len),
			    0);
		else
			assert_int_equal(json_scan_skip_value(&s, DEPTH), 0);
		json_scan_skip_space(&s);
	} while (json_scan_take(&s, ','));
	assert_true(json_scan_take(&s, '}'));
	json_scan_skip_space(&s);
	assert_int_equal(json_scan_peek(&s), -1);
	assert_true(n == 7);
	assert_int_equal(len, 2);
	assert_memory_equal(str, "hi", 2);
	assert_int_equal(json_check(text, strlen(text), DEPTH), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_numbers),
		cmocka_unit_test(test_check_literals),
		cmocka_unit_test(test_check_strings),
		cmocka_unit_test(test_check_utf8),
		cmocka_unit_test(test_check_structure),
		cmocka_unit_test(test_check_whitespace_and_garbage),
		cmocka_unit_test(test_check_nesting),
		cmocka_unit_test(test_scan_bytes),
		cmocka_unit_test(test_scan_read_string),
		cmocka_unit_test(test_scan_skip_number),
		cmocka_unit_test(test_scan_read_uint),
		cmocka_unit_test(test_scan_skip_value),
		cmocka_unit_test(test_scan_object_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
