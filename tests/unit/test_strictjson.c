/* test_strictjson.c - JSON text held to RFC 8259, numbers to doubles. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "strictjson.h"

/* Checks 'text'; 'want' is NULL when it must pass, else the message. */
static void
expect(const char *text, const char *want)
{
	char err[256] = "";
	int r = strictjson_check(text, strlen(text), err, sizeof(err));

	if (want == NULL && r != 0)
		fail_msg("refused %s: %s", text, err);
	if (want != NULL && r == 0)
		fail_msg("took %s", text);
	if (want != NULL && strcmp(err, want) != 0)
		fail_msg("%s:\ngot:  %s\nwant: %s", text, err, want);
	if (want != NULL)
		assert_int_equal(errno, EINVAL);
}

static void
test_json_passes(void **state)
{
	(void)state;
	expect("{\"id\":1,\"lon\":13.4,\"lat\":-52.5e0}", NULL);
	expect(" [1, 2.5, -0, 1e308, -1.7976931348623157e308, 1e-400] ", NULL);
	expect("{\"a\":{\"b\":[true,false,null,\"x\\u00e9\\n\",{}]}}\n", NULL);
	expect("\"caf\xc3\xa9 \xf0\x9f\x8c\x8d\"", NULL);
	expect("0", NULL);
}

static void
test_numbers_beyond_a_double(void **state)
{
	(void)state;
	expect("{\"id\":1e400}",
	    "id: number 1e400 is out of range of a double");
	expect("{\"p\":{\"x\":[0,-1E+400]}}",
	    "p.x[1]: number -1E+400 is out of range of a double");
	expect("1.7976931348623159e308",
	    "number 1.7976931348623159e308 is out of range of a double");
	{
		/* 400 digits: no exponent, still no double. */
		char big[420];

		memset(big, '9', 400);
		big[400] = '\0';
		expect(big,
		    "number 999999999999999999999999... is out of "
		    "range of a double");
		memset(big, '0', 400);
		big[0] = '1';
		big[1] = '.';
		expect(big, NULL);
	}
}

static void
test_what_libjq_also_reads(void **state)
{
	(void)state;
	expect("{\"id\":1,\"properties\":{\"x\":nan}}",
	    "properties.x: nan is not JSON");
	expect("[01]", "[0]: 01 is not JSON");
	expect("[.5,1]", "[0]: .5 is not JSON");
	expect("{\"a\":+1}", "a: +1 is not JSON");
	expect("{\"a\":1.}", "a: 1. is not JSON");
	expect("nan", "nan is not JSON");
	expect("{\"a\":truex}", "a: truex is not JSON");
	expect("[1,]", "[1]: ] is not JSON");
	expect("[1", "the text ends inside the value");
	expect("1 2", "2 is not JSON");
}

static void
test_strings(void **state)
{
	(void)state;
	expect("{\"name\":\"a\xff\"}", "name: invalid UTF-8 in a string");
	expect("{\"name\":\"\xc0\xaf\"}", "name: invalid UTF-8 in a string");
	expect("{\"name\":\"\xed\xa0\x80\"}",
	    "name: invalid UTF-8 in a string");
	expect("{\"a\":{\"k\xfe\":1}}", "a: invalid UTF-8 in a member name");
	expect("[\"a\tb\"]", "[0]: a control character in a string");
	expect("[\"a\\qb\"]", "[0]: a bad escape in a string");
	expect("[\"\\u12g4\"]", "[0]: a bad escape in a string");
	expect("[\"abc", "[0]: no closing quote in a string");
	/* Paths show names as written, cut when long. */
	expect("{\"caf\xc3\xa9\":[{\"x\":1e999}]}",
	    "caf\xc3\xa9[0].x: number 1e999 is out of range of a double");
	expect("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":"
	       "nan}",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...: nan is not "
	    "JSON");
}

static void
test_depth(void **state)
{
	char *deep = malloc(2 * STRICTJSON_DEPTH_MAX + 3);
	size_t n = 0;

	(void)state;
	assert_non_null(deep);
	for (int i = 0; i < STRICTJSON_DEPTH_MAX; i++)
		deep[n++] = '[';
	for (int i = 0; i < STRICTJSON_DEPTH_MAX; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	expect(deep, NULL);
	memmove(deep + 1, deep, n + 1);
	deep[0] = '[';
	deep[n + 1] = ']';
	deep[n + 2] = '\0';
	assert_int_equal(strictjson_check(deep, n + 2, NULL, 0), -1);
	free(deep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_passes),
		cmocka_unit_test(test_numbers_beyond_a_double),
		cmocka_unit_test(test_what_libjq_also_reads),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
