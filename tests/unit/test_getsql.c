/*
 * test_getsql.c - geoget's statements, whole, per flavour: each question's
 * index-friendly WHERE, the antimeridian's UNION ALL, MySQL 8 told the
 * axis order, the history's time bounds; trail bounds read from text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "getsql.h"

#define COLS(t) \
	"SELECT `id`, `user_id`, ST_AsWKB(`geom`), `properties`, `" t "`"
#define COLS8 \
	"SELECT `id`, `user_id`, ST_AsWKB(`geom`, 'axis-order=long-lat'), " \
	"`properties`, `updated_at`"

static void
sql_is(enum dbsql_flavour f, const struct getsql_req *r, const char *want)
{
	char *s = getsql_select(f, r);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_now(void **state)
{
	struct locid ids[2];
	struct getsql_req r = { .cmd = GETSQL_NOW, .table = "location" };

	(void)state;
	sql_is(DBSQL_MARIADB, &r,
	    COLS("updated_at") " FROM `location` ORDER BY `id`");
	assert_int_equal(locid_from_text("B-12", 4, &ids[0], NULL, 0), 0);
	assert_int_equal(locid_from_text("42", 2, &ids[1], NULL, 0), 0);
	r.ids = ids;
	r.nids = 2;
	r.limit = 5;
	sql_is(DBSQL_MYSQL8, &r,
	    COLS8 " FROM `location` WHERE `id` IN ('B-12', '42') ORDER BY "
	          "`id` LIMIT 5");
}

static void
test_near(void **state)
{
	struct getsql_req r = { .cmd = GETSQL_NEAR,
		.table = "loc",
		.lon = 13.4,
		.lat = 52.5,
		.meters = 500,
		.area = { 1, { { 13.39, 52.49, 13.41, 52.51 } } } };

	(void)state;
	sql_is(DBSQL_MARIADB, &r,
	    COLS("updated_at") ", IF(ST_GeometryType(`geom`) = 'POINT', "
	                       "ST_Distance_Sphere(`geom`, "
	                       "ST_GeomFromText('POINT(13.4 52.5)', 4326)), "
	                       "NULL) AS `distance_m` FROM `loc` WHERE "
	                       "MBRContains(ST_GeomFromText('POLYGON((13.39 "
	                       "52.49, 13.41 52.49, 13.41 52.51, 13.39 52.51, "
	                       "13.39 52.49))', 4326), `geom`) HAVING "
	                       "`distance_m` <= 500 ORDER BY `distance_m`, "
	                       "`id`");
	/* Across the antimeridian, each part once. */
	r.lon = 179.5;
	r.lat = 0;
	r.area = (struct area){ 2,
		{ { 178.5, -1, 180, 1 }, { -180, -1, -179.5, 1 } } };
	r.limit = 3;
	sql_is(DBSQL_MYSQL8, &r,
	    "(" COLS8 ", IF(ST_GeometryType(`geom`) = 'POINT', "
	    "ST_Distance_Sphere(`geom`, ST_GeomFromText('POINT(179.5 "
	    "0)', 4326, 'axis-order=long-lat')), NULL) AS "
	    "`distance_m` FROM `loc` WHERE "
	    "MBRContains(ST_GeomFromText('POLYGON((178.5 -1, 180 -1, "
	    "180 1, 178.5 1, 178.5 -1))', 4326, "
	    "'axis-order=long-lat'), `geom`) HAVING `distance_m` <= "
	    "500) UNION ALL (" COLS8 ", IF(ST_GeometryType(`geom`) = 'POINT', "
	    "ST_Distance_Sphere(`geom`, ST_GeomFromText('POINT(179.5 0)', "
	    "4326, 'axis-order=long-lat')), NULL) AS `distance_m` FROM `loc` "
	    "WHERE MBRContains(ST_GeomFromText('POLYGON((-180 -1, -179.5 -1, "
	    "-179.5 1, -180 1, -180 -1))', 4326, 'axis-order=long-lat'), "
	    "`geom`) AND NOT MBRContains(ST_GeomFromText('POLYGON((178.5 -1, "
	    "180 -1, 180 1, 178.5 1, 178.5 -1))', 4326, "
	    "'axis-order=long-lat'), `geom`) HAVING `distance_m` <= 500) "
	    "ORDER BY `distance_m`, `id` LIMIT 3");
}

static void
test_within(void **state)
{
	static const unsigned char wkb[] = { 1, 3, 0, 0, 0 };
	struct getsql_req r = { .cmd = GETSQL_WITHIN,
		.table = "location",
		.area = { 1, { { -1, -2, 3, 4.5 } } } };

	(void)state;
	sql_is(DBSQL_MARIADB, &r,
	    COLS(
	        "updated_at") " FROM `location` WHERE "
	                      "MBRIntersects(ST_GeomFromText('POLYGON((-1 -2, "
	                      "3 -2, 3 4.5, -1 4.5, -1 -2))', 4326), `geom`) "
	                      "ORDER BY `id`");
	r.poly = wkb;
	r.poly_len = sizeof(wkb);
	sql_is(DBSQL_MARIADB, &r,
	    COLS("updated_at") " FROM `location` WHERE "
	                       "ST_Intersects(ST_GeomFromWKB(x'0103000000', "
	                       "4326), `geom`) ORDER BY `id`");
}

static void
test_trail(void **state)
{
	struct locid id;
	struct getsql_req r = { .cmd = GETSQL_TRAIL,
		.table = "location",
		.ids = &id,
		.nids = 1 };
	char err[512];

	(void)state;
	assert_int_equal(locid_from_text("B-12", 4, &id, NULL, 0), 0);
	sql_is(DBSQL_MARIADB, &r,
	    COLS("time") " FROM `location_history` WHERE `id` = 'B-12' "
	                 "ORDER BY `time`");
	assert_int_equal(getsql_time_parse("2026-11-25T11:00:00.5+01:00",
	                     &r.since, err, sizeof(err)),
	    0);
	assert_int_equal(getsql_time_parse("2h", &r.until, err, sizeof(err)),
	    0);
	assert_int_equal(r.until.kind, GETSQL_AGO);
	assert_int_equal(r.until.v, 7200);
	sql_is(DBSQL_MARIADB, &r,
	    COLS(
	        "time") " FROM `location_history` WHERE `id` = 'B-12' AND "
	                "`time` >= '2026-11-25 10:00:00.500000' AND `time` <= "
	                "CURRENT_TIMESTAMP(6) - INTERVAL 7200 SECOND ORDER BY "
	                "`time`");
}

static void
test_time_parse(void **state)
{
	struct getsql_time t;
	char err[512];

	(void)state;
	assert_int_equal(getsql_time_parse("1795600800", &t, err, sizeof(err)),
	    0);
	assert_int_equal(t.kind, GETSQL_AT);
	assert_int_equal(t.v, 1795600800000000LL);
	assert_int_equal(getsql_time_parse("90s", &t, err, sizeof(err)), 0);
	assert_int_equal(t.v, 90);
	assert_int_equal(getsql_time_parse("15m", &t, err, sizeof(err)), 0);
	assert_int_equal(t.v, 900);
	assert_int_equal(getsql_time_parse("7d", &t, err, sizeof(err)), 0);
	assert_int_equal(t.v, 604800);
	assert_int_equal(getsql_time_parse("2w", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'2w' is not a time: give RFC 3339"));
	assert_int_equal(getsql_time_parse("99999999999d", &t, err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(getsql_time_parse("", &t, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_trail),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
