/*
 * test_polyarea.c - the area of `within --polygon`: a Polygon or
 * MultiPolygon, bare, in a Feature or in a collection of one, as WKB;
 * anything else refused with the reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "polyarea.h"

#define RING "[[[0,0],[1,0],[1,1],[0,0]]]"

static size_t
wkb_of(const char *text)
{
	struct buf b;
	char err[256];
	size_t n;

	buf_init(&b, 1 << 20);
	assert_int_equal(polyarea_wkb(&b, text, strlen(text), err,
	                     sizeof(err)),
	    0);
	/* Byte order, then the type: 3 Polygon, 6 MultiPolygon. */
	n = (unsigned char)b.data[1];
	buf_release(&b);
	return n;
}

static void
refused(const char *text, const char *want)
{
	struct buf b;
	char err[256];

	buf_init(&b, 1 << 20);
	errno = 0;
	assert_int_equal(polyarea_wkb(&b, text, strlen(text), err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, want));
	buf_release(&b);
}

static void
test_shapes(void **state)
{
	(void)state;
	assert_int_equal(wkb_of("{\"type\":\"Polygon\",\"coordinates\":" RING
	                        "}"),
	    3);
	assert_int_equal(
	    wkb_of("{\"type\":\"MultiPolygon\",\"coordinates\":[" RING "]}"),
	    6);
	assert_int_equal(wkb_of("{\"type\":\"Feature\",\"properties\":{},"
	                        "\"geometry\":{\"type\":\"Polygon\","
	                        "\"coordinates\":" RING "}}"),
	    3);
	assert_int_equal(wkb_of(
	                     "{\"type\":\"FeatureCollection\",\"features\":"
	                     "[{\"type\":\"Feature\",\"geometry\":{\"type\":"
	                     "\"Polygon\",\"coordinates\":" RING "}}]}"),
	    3);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("{", "not JSON");
	refused("{\"type\":\"Point\",\"coordinates\":[0,0]}",
	    "expected a Polygon or MultiPolygon");
	refused("{\"type\":\"FeatureCollection\",\"features\":[]}",
	    "expected a Polygon or MultiPolygon");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
	    "coordinates");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,91],"
	        "[0,0]]]}",
	    "latitude 91 out of range");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
