/*
 * test_locid.c - location ids: integers and strings, their one text, and
 * how they are written back in JSON.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "locid.h"

#define RULE \
	"must be an integer from 1 to 9007199254740991 or a string of 1 to " \
	"64 letters, digits and \"._:-\", got "

/* Reads 'v' (consumed) and checks its text, kind and JSON form. */
static void
ok(jv v, const char *text, int is_int, const char *json)
{
	struct locid id;
	char err[256], out[LOCID_JSON_MAX];

	assert_int_equal(locid_from_json(v, &id, err, sizeof(err)), 0);
	assert_string_equal(id.text, text);
	assert_int_equal(id.len, strlen(text));
	assert_int_equal(locid_is_int(&id), is_int);
	assert_int_equal(locid_json(&id, out), strlen(json));
	assert_string_equal(out, json);
}

static void
bad(jv v, const char *want)
{
	struct locid id;
	char err[256];

	assert_int_equal(locid_from_json(v, &id, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(id.len, 0);
}

static void
test_integers(void **state)
{
	(void)state;
	ok(jv_number(42), "42", 1, "42");
	ok(jv_string("42"), "42", 1, "42");
	ok(jv_number(9007199254740991.0), "9007199254740991", 1,
	    "9007199254740991");
	ok(jv_string("9007199254740991"), "9007199254740991", 1,
	    "9007199254740991");
	bad(jv_number(0), RULE "0");
	bad(jv_number(-3), RULE "-3");
	bad(jv_number(1.5), RULE "1.5");
	bad(jv_number(9007199254740992.0), RULE "9007199254740992");
	bad(jv_number(INFINITY), RULE "Infinity");
	bad(jv_number(NAN), RULE "NaN");
}

static void
test_strings(void **state)
{
	char max[LOCID_MAX + 2];

	(void)state;
	ok(jv_string("B-12"), "B-12", 0, "\"B-12\"");
	ok(jv_string("gtfs:trip_1.2"), "gtfs:trip_1.2", 0,
	    "\"gtfs:trip_1.2\"");
	/* Digits that are not the canonical integer are a string id. */
	ok(jv_string("007"), "007", 0, "\"007\"");
	ok(jv_string("0"), "0", 0, "\"0\"");
	ok(jv_string("9007199254740992"), "9007199254740992", 0,
	    "\"9007199254740992\"");
	ok(jv_string("12345678901234567890"), "12345678901234567890", 0,
	    "\"12345678901234567890\"");
	memset(max, 'x', LOCID_MAX);
	max[LOCID_MAX] = '\0';
	ok(jv_string(max), max, 0,
	    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxx\"");
	max[LOCID_MAX] = 'x';
	max[LOCID_MAX + 1] = '\0';
	bad(jv_string(max), RULE "\"xxxxxxxxxxxxxxxxxxxxxxxx...\"");
	bad(jv_string(""), RULE "\"\"");
	bad(jv_string("a b"), RULE "\"a b\"");
	bad(jv_string("a\"b"), RULE "\"a\"b\"");
	bad(jv_string("caf\xc3\xa9"), RULE "\"caf\xc3\xa9\"");
	bad(jv_string_sized("a\0b", 3), RULE "\"a\"");
	bad(jv_null(), RULE "null");
	bad(jv_true(), RULE "boolean");
	bad(jv_array(), RULE "array");
}

static void
test_text_and_order(void **state)
{
	struct locid a, b;
	char err[256];

	(void)state;
	assert_int_equal(locid_from_text("B-12", 4, &a, err, sizeof(err)), 0);
	assert_int_equal(locid_from_text("b-12", 4, &b, err, sizeof(err)), 0);
	assert_true(locid_cmp(&a, &b) < 0);
	assert_int_equal(locid_from_text("42", 2, &a, err, sizeof(err)), 0);
	assert_int_equal(locid_from_text("42x", 2, &b, err, sizeof(err)), 0);
	assert_int_equal(locid_cmp(&a, &b), 0);
	assert_int_equal(a.num, 42);
	assert_int_equal(locid_from_text("4", 1, &b, err, sizeof(err)), 0);
	assert_true(locid_cmp(&b, &a) < 0);
	assert_int_equal(locid_from_text("", 0, &b, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_text_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
