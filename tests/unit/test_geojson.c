/* test_geojson.c - geometry validation: shapes, ranges, messages. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "geojson.h"

/* Each case: a geometry and the exact error, or NULL when valid. */
struct gcase {
	const char *json;
	const char *error;
};

static const struct gcase cases[] = {
	{ "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]}", NULL },
	{ "{\"type\":\"Point\",\"coordinates\":[-180,-90]}", NULL },
	{ "{\"type\":\"Point\",\"coordinates\":[180,90,35.5]}", NULL },
	{ "{\"type\":\"Point\",\"coordinates\":[13.4,91]}",
	    "geometry.coordinates[1]: latitude 91 out of range [-90, 90]" },
	{ "{\"type\":\"Point\",\"coordinates\":[-180.5,0]}",
	    "geometry.coordinates[0]: longitude -180.5 out of range "
	    "[-180, 180]" },
	{ "{\"type\":\"Point\",\"coordinates\":[180.0000001,0]}",
	    "geometry.coordinates[0]: longitude 180.0000001 out of range "
	    "[-180, 180]" },
	{ "{\"type\":\"Point\",\"coordinates\":[1]}",
	    "geometry.coordinates: a position has 2 or 3 numbers "
	    "(longitude, latitude, altitude), got 1" },
	{ "{\"type\":\"Point\",\"coordinates\":[1,2,3,4]}",
	    "geometry.coordinates: a position has 2 or 3 numbers "
	    "(longitude, latitude, altitude), got 4" },
	{ "{\"type\":\"Point\",\"coordinates\":[\"1\",2]}",
	    "geometry.coordinates[0]: longitude must be a number, got string" },
	{ "{\"type\":\"Point\",\"coordinates\":[1,2,null]}",
	    "geometry.coordinates[2]: altitude must be a number, got null" },
	{ "{\"type\":\"Point\",\"coordinates\":[1,nan]}",
	    "geometry.coordinates[1]: latitude is not a finite number" },
	{ "{\"type\":\"Point\",\"coordinates\":[1e999,0]}",
	    "geometry.coordinates[0]: longitude is not a finite number" },
	{ "{\"type\":\"Point\"}", "geometry.coordinates: missing" },
	{ "{\"type\":\"Point\",\"coordinates\":{}}",
	    "geometry.coordinates: expected a position [longitude, latitude],"
	    " got object" },
	{ "{\"coordinates\":[1,2]}", "geometry.type: missing" },
	{ "{\"type\":7,\"coordinates\":[1,2]}",
	    "geometry.type: expected a string, got number" },
	{ "{\"type\":\"Circle\",\"coordinates\":[1,2]}",
	    "geometry.type: \"Circle\" is not a geometry type" },
	{ "[1,2]", "geometry: expected a GeoJSON geometry object, got array" },
	{ "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4]]}", NULL },
	{ "{\"type\":\"MultiPoint\",\"coordinates\":[]}",
	    "geometry.coordinates: needs at least one position, got none" },
	{ "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,-95]]}",
	    "geometry.coordinates[1][1]: latitude -95 out of range [-90, 90]" },
	{ "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}", NULL },
	{ "{\"type\":\"LineString\",\"coordinates\":[[1,2]]}",
	    "geometry.coordinates: needs at least 2 positions, got 1" },
	{ "{\"type\":\"LineString\",\"coordinates\":[1,2]}",
	    "geometry.coordinates[0]: expected a position [longitude, "
	    "latitude], got number" },
	{ "{\"type\":\"MultiLineString\",\"coordinates\":[[[1,2],[3,4]],"
	  "[[5,6],[7,8]]]}",
	    NULL },
	{ "{\"type\":\"MultiLineString\",\"coordinates\":[[[1,2],[3,4]],"
	  "[[5,6]]]}",
	    "geometry.coordinates[1]: needs at least 2 positions, got 1" },
	{ "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],"
	  "[0,0]]]}",
	    NULL },
	{ "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
	    "geometry.coordinates[0]: a linear ring needs at least 4 "
	    "positions, got 3" },
	{ "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],"
	  "[0,1]]]}",
	    "geometry.coordinates[0]: linear ring is not closed: first "
	    "position [0,0], last [0,1]" },
	{ "{\"type\":\"Polygon\",\"coordinates\":[]}",
	    "geometry.coordinates: needs at least one linear ring, got none" },
	{ "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],"
	  "[0,0]],[[0,0],[2,0],[200,1],[0,0]]]}",
	    "geometry.coordinates[1][2][0]: longitude 200 out of range "
	    "[-180, 180]" },
	{ "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],"
	  "[0,0]]]]}",
	    NULL },
	{ "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],"
	  "[0,0]]],[[[0,0],[1,0],[1,1],[2,2]]]]}",
	    "geometry.coordinates[1][0]: linear ring is not closed: first "
	    "position [0,0], last [2,2]" },
	{ "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
	  "\"Point\",\"coordinates\":[1,2]}]}",
	    NULL },
	{ "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
	  "\"Point\",\"coordinates\":[1,2]},{\"type\":\"Point\","
	  "\"coordinates\":[1,-200]}]}",
	    "geometry.geometries[1].coordinates[1]: latitude -200 out of "
	    "range [-90, 90]" },
	{ "{\"type\":\"GeometryCollection\",\"geometries\":[]}",
	    "geometry.geometries: needs at least one geometry, got none" },
	{ "{\"type\":\"GeometryCollection\"}",
	    "geometry.geometries: missing" },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		jv in = jv_parse(cases[i].json), out;

		assert_true(jv_is_valid(in));
		out = geojson_validate(in, "geometry", err, sizeof(err));
		if (cases[i].error == NULL) {
			if (!jv_is_valid(out))
				fail_msg("case %zu: %s: unexpected error: %s",
				    i, cases[i].json, err);
		} else {
			if (jv_is_valid(out))
				fail_msg("case %zu: %s: accepted", i,
				    cases[i].json);
			if (strcmp(err, cases[i].error) != 0)
				fail_msg("case %zu:\n got:  %s\n want: %s", i,
				    err, cases[i].error);
		}
		jv_free(out);
	}
}

static void
test_strips_foreign_members(void **state)
{
	char err[256];
	jv out;

	(void)state;
	out = geojson_validate(
	    jv_parse("{\"type\":\"Point\",\"bbox\":[1,2,1,"
	             "2],\"crs\":null,\"coordinates\":[1,2],\"x\":1}"),
	    "", err, sizeof(err));
	assert_true(jv_equal(out,
	    jv_parse("{\"type\":\"Point\",\"coordinates\":[1,2]}")));
	out = geojson_validate(
	    jv_parse(
	        "{\"type\":\"GeometryCollection\","
	        "\"bbox\":[],\"geometries\":[{\"type\":\"Point\",\"id\":3,"
	        "\"coordinates\":[1,2]}]}"),
	    "", err, sizeof(err));
	assert_true(jv_equal(out,
	    jv_parse(
	        "{\"type\":\"GeometryCollection\","
	        "\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]}]}")));
}

static void
test_empty_path(void **state)
{
	char err[256];
	jv out;

	(void)state;
	out = geojson_validate(jv_parse("{\"type\":\"Point\",\"coordinates\":"
	                                "[1,100]}"),
	    "", err, sizeof(err));
	assert_false(jv_is_valid(out));
	assert_string_equal(err,
	    "coordinates[1]: latitude 100 out of range [-90, 90]");
	out = geojson_validate(jv_null(), "", err, sizeof(err));
	assert_false(jv_is_valid(out));
	assert_string_equal(err,
	    "expected a GeoJSON geometry object, got null");
}

static void
test_nesting_is_bounded(void **state)
{
	char err[256];
	jv g = jv_parse("{\"type\":\"Point\",\"coordinates\":[1,2]}"), out;

	(void)state;
	for (int i = 0; i < GEOJSON_DEPTH_MAX + 1; i++) {
		jv c = jv_object_set(jv_object(), jv_string("type"),
		    jv_string("GeometryCollection"));

		g = jv_object_set(c, jv_string("geometries"),
		    jv_array_append(jv_array(), g));
	}
	out = geojson_validate(g, "g", err, sizeof(err));
	assert_false(jv_is_valid(out));
	assert_non_null(strstr(err, "nested deeper than 8 levels"));
}

static void
test_coord_and_types(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(geojson_check_coord(jv_number(-90), GEOJSON_LAT,
	                     "lat", err, sizeof(err)),
	    0);
	assert_int_equal(geojson_check_coord(jv_number(90.5), GEOJSON_LAT,
	                     "lat", err, sizeof(err)),
	    -1);
	assert_string_equal(err, "lat: latitude 90.5 out of range [-90, 90]");
	assert_int_equal(geojson_check_coord(jv_string("x"), GEOJSON_LON,
	                     "lon", err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "lon: longitude must be a number, got string");
	assert_int_equal(geojson_check_coord(jv_number(1e300), GEOJSON_ALT,
	                     "alt", err, sizeof(err)),
	    0);
	assert_true(geojson_is_geometry_type("MultiPolygon"));
	assert_false(geojson_is_geometry_type("Feature"));
	assert_int_equal(geojson_check_coord(jv_number(1.0 / 3 + 180),
	                     GEOJSON_LON, "lon", err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "lon: longitude 180.33333333333334 out of "
	    "range [-180, 180]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_strips_foreign_members),
		cmocka_unit_test(test_empty_path),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_coord_and_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
