/*
 * test_fence.c - a fence read from GeoJSON (a Polygon or MultiPolygon,
 * bare or in a Feature), refused with a reason, and listed as a Feature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fence.h"
#include "wkb.h"

#define SQUARE "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]"

/* Reads 'text'; returns the geometry's JSON (static) or the error. */
static const char *
read_text(const char *text, char *name, size_t namelen)
{
	static char out[1024];
	char err[256];
	jv n, g = fence_read(text, strlen(text), &n, err, sizeof(err));

	name[0] = '\0';
	if (!jv_is_valid(g)) {
		jv_free(g);
		assert_int_equal(jv_get_kind(n), JV_KIND_NULL);
		snprintf(out, sizeof(out), "error: %s", err);
		return out;
	}
	if (jv_get_kind(n) == JV_KIND_STRING)
		snprintf(name, namelen, "%s", jv_string_value(n));
	jv_free(n);
	n = jv_dump_string(g, 0);
	snprintf(out, sizeof(out), "%s", jv_string_value(n));
	jv_free(n);
	return out;
}

static void
test_read(void **state)
{
	char name[300];

	(void)state;
	assert_string_equal(
	    read_text("{\"type\":\"Polygon\",\"coordinates\":" SQUARE
	              ",\"bbox\":[0,0,1,1]}",
	        name, sizeof(name)),
	    "{\"type\":\"Polygon\",\"coordinates\":" SQUARE "}");
	assert_string_equal(name, "");
	assert_string_equal(
	    read_text("{\"type\":\"Feature\",\"properties\":"
	              "{\"name\":\"Depot \\u00e9\"},\"geometry\":"
	              "{\"type\":\"MultiPolygon\",\"coordinates\":"
	              "[" SQUARE "]}}",
	        name, sizeof(name)),
	    "{\"type\":\"MultiPolygon\",\"coordinates\":[" SQUARE "]}");
	assert_string_equal(name, "Depot \xc3\xa9");
	/* A Feature without properties, or a name that is not a string. */
	read_text("{\"type\":\"Feature\",\"properties\":{\"name\":3},"
	          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" SQUARE
	          "}}",
	    name, sizeof(name));
	assert_string_equal(name, "");
}

static void
test_refused(void **state)
{
	char name[300];

	(void)state;
	assert_string_equal(read_text("{\"type\":\"Point\",\"coordinates\":"
	                              "[0,0]}",
	                        name, sizeof(name)),
	    "error: expected a Polygon or MultiPolygon or a Feature of one, "
	    "got Point");
	assert_string_equal(
	    read_text("{\"type\":\"Feature\",\"geometry\":null}", name,
	        sizeof(name)),
	    "error: geometry: expected a Polygon or MultiPolygon, got null");
	assert_string_equal(read_text("{\"type\":\"Polygon\",\"coordinates\":"
	                              "[[[0,0],[1,0],[1,1],[0,1]]]}",
	                        name, sizeof(name)),
	    "error: coordinates[0]: linear ring is not closed: first position "
	    "[0,0], last [0,1]");
	assert_string_equal(read_text("{\"type\":\"Polygon\",\"coordinates\":"
	                              "[[[0,0],[1,0],[0,0]]]}",
	                        name, sizeof(name)),
	    "error: coordinates[0]: a linear ring needs at least 4 positions, "
	    "got 3");
	assert_string_equal(read_text("{\"type\":\"Feature\",\"geometry\":{"
	                              "\"type\":\"Polygon\",\"coordinates\":"
	                              "[[[0,0],[1,0],[1,91],[0,0]]]}}",
	                        name, sizeof(name)),
	    "error: geometry.coordinates[0][2][1]: latitude 91 out of range "
	    "[-90, 90]");
	assert_string_equal(read_text("[1,2] 3", name, sizeof(name)),
	    "error: 3 is not JSON");
	assert_string_equal(read_text("{\"type\":\"Feature\",\"properties\":"
	                              "{\"name\":\"\"},\"geometry\":null}",
	                        name, sizeof(name)),
	    "error: a name is 1 to 255 bytes of UTF-8, without NUL");
}

static void
test_feature(void **state)
{
	struct buf wkb, out;
	struct locid id;
	char err[64];
	jv g = jv_parse("{\"type\":\"Polygon\",\"coordinates\":" SQUARE "}");

	(void)state;
	buf_init(&wkb, 1 << 20);
	buf_init(&out, 1 << 20);
	assert_int_equal(wkb_from_geojson(&wkb, g), 0);
	assert_int_equal(locid_from_text("7", 1, &id, err, sizeof(err)), 0);
	assert_int_equal(fence_feature(&out, &id, "a \"b\"", 5,
	                     (const unsigned char *)wkb.data, wkb.len,
	                     1796000000123456LL),
	    0);
	assert_int_equal(buf_append(&out, "", 1), 0);
	assert_string_equal(out.data,
	    "{\"type\":\"Feature\",\"id\":7,\"geometry\":{\"type\":\"Polygon\","
	    "\"coordinates\":" SQUARE "},\"properties\":{\"name\":\"a "
	    "\\\"b\\\"\",\"created_at\":\"2026-11-30T00:53:20.123456Z\"}}");
	buf_reset(&out);
	assert_int_equal(locid_from_text("B-1", 3, &id, err, sizeof(err)), 0);
	assert_int_equal(fence_feature(&out, &id, NULL, 0,
	                     (const unsigned char *)wkb.data, wkb.len, 0),
	    0);
	assert_int_equal(buf_append(&out, "", 1), 0);
	assert_non_null(strstr(out.data, "\"id\":\"B-1\","));
	assert_non_null(strstr(out.data, "{\"name\":null,\"created_at\""));
	buf_reset(&out);
	assert_int_equal(fence_feature(&out, &id, NULL, 0,
	                     (const unsigned char *)"xx", 2, 0),
	    -1);
	jv_free(g);
	buf_release(&wkb);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_feature),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
