/*
 * test_rowjson.c - a stored row as a Feature's JSON text: the id in its
 * JSON form, the geometry from its WKB, the properties without blanks,
 * null user ids and properties, members added last, bad WKB refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rowjson.h"

/* POINT(13.4 52.5), little-endian. */
static const unsigned char point[] = { 1, 1, 0, 0, 0, 0xcd, 0xcc, 0xcc, 0xcc,
	0xcc, 0xcc, 0x2a, 0x40, 0, 0, 0, 0, 0, 0x40, 0x4a, 0x40 };
static const char props[] = "{\"name\": \"a b\", \"c\": [1, 2]}";

/* 2026-11-25T10:00:00.5Z */
#define TIME 1795600800500000LL

static void
test_feature(void **state)
{
	struct locid id;
	struct buf out;
	size_t at, len;
	struct rowjson r = { .id = &id,
		.user = "7",
		.user_len = 1,
		.wkb = point,
		.wkb_len = sizeof(point),
		.props = props,
		.props_len = sizeof(props) - 1,
		.time = TIME };

	(void)state;
	assert_int_equal(locid_from_text("B-12", 4, &id, NULL, 0), 0);
	buf_init(&out, 4096);
	assert_int_equal(rowjson_feature(&out, &r, &at, &len), 0);
	assert_string_equal(out.data,
	    "{\"type\":\"Feature\",\"id\":\"B-12\",\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]},"
	    "\"properties\":{\"name\":\"a b\",\"c\":[1,2]},\"userId\":7,"
	    "\"updated_at\":\"2026-11-25T10:00:00.500000Z\"}");
	assert_int_equal(len, strlen("{\"name\":\"a b\",\"c\":[1,2]}"));
	assert_memory_equal(out.data + at, "{\"name\":\"a b\"", 13);

	/* An integer id, no user, no properties, a member added. */
	buf_reset(&out);
	assert_int_equal(locid_from_text("42", 2, &id, NULL, 0), 0);
	r.user = NULL;
	r.props = NULL;
	r.extra = "\"distance_m\":12.5";
	assert_int_equal(rowjson_feature(&out, &r, NULL, NULL), 0);
	assert_string_equal(out.data,
	    "{\"type\":\"Feature\",\"id\":42,\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]},"
	    "\"properties\":null,\"userId\":null,"
	    "\"updated_at\":\"2026-11-25T10:00:00.500000Z\","
	    "\"distance_m\":12.5}");

	/* WKB cut short. */
	buf_reset(&out);
	r.wkb_len = sizeof(point) - 1;
	errno = 0;
	assert_int_equal(rowjson_feature(&out, &r, NULL, NULL), -1);
	assert_int_equal(errno, EINVAL);
	buf_release(&out);
}

static void
test_compact(void **state)
{
	static const char in[] = "{\"a b\": \"x\\\" y\",\n\t\"c\": [1, 2]}";
	struct buf out;

	(void)state;
	buf_init(&out, 256);
	assert_int_equal(rowjson_compact(&out, in, strlen(in)), 0);
	assert_string_equal(out.data, "{\"a b\":\"x\\\" y\",\"c\":[1,2]}");
	buf_reset(&out);
	assert_int_equal(rowjson_compact(&out, NULL, 0), 0);
	assert_string_equal(out.data, "null");
	/* A cap reached. */
	buf_release(&out);
	buf_init(&out, 4);
	assert_int_equal(rowjson_compact(&out, in, strlen(in)), -1);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feature),
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
