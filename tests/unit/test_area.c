/*
 * test_area.c - boxes round a circle on the sphere: their size checked
 * against the distances a degree spans, the antimeridian split, a pole's
 * circle the whole width, boxes never wider than 180 degrees; W S E N
 * boxes and their ranges.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "area.h"

/* Metres in a degree of a great circle on the server's sphere. */
#define DEG_M (AREA_EARTH_M * M_PI / 180.0)

static void
box_is(const struct area_box *b, double w, double s, double e, double n)
{
	assert_true(fabs(b->w - w) < 1e-6);
	assert_true(fabs(b->s - s) < 1e-6);
	assert_true(fabs(b->e - e) < 1e-6);
	assert_true(fabs(b->n - n) < 1e-6);
}

static void
test_around(void **state)
{
	struct area a;

	(void)state;
	/* On the equator one degree each way, and a few cm more. */
	area_around(10, 0, DEG_M, &a);
	assert_int_equal(a.n, 1);
	box_is(&a.box[0], 9, -1, 11, 1);
	assert_true(a.box[0].n > 1.0 && a.box[0].e > 11.0);
	/* At 60 degrees the same distance spans about twice the longitude. */
	area_around(10, 60, DEG_M, &a);
	assert_int_equal(a.n, 1);
	assert_true(a.box[0].e - 10 > 2.0 && a.box[0].e - 10 < 2.01);
	box_is(&a.box[0], a.box[0].w, 59, a.box[0].e, 61);
}

static void
test_antimeridian_and_poles(void **state)
{
	struct area a;

	(void)state;
	area_around(179.5, 0, DEG_M, &a);
	assert_int_equal(a.n, 2);
	box_is(&a.box[0], 178.5, -1, 180, 1);
	box_is(&a.box[1], -180, -1, -179.5, 1);
	area_around(-179.5, 0, DEG_M, &a);
	assert_int_equal(a.n, 2);
	box_is(&a.box[0], 179.5, -1, 180, 1);
	box_is(&a.box[1], -180, -1, -178.5, 1);
	/* Round a pole: every longitude, in two halves. */
	area_around(0, 89.5, DEG_M, &a);
	assert_int_equal(a.n, 2);
	box_is(&a.box[0], -180, 88.5, 0, 90);
	box_is(&a.box[1], 0, 88.5, 180, 90);
	area_around(0, -90, 1, &a);
	assert_int_equal(a.n, 2);
	assert_true(a.box[0].s == -90 && a.box[0].n < -89.99);
	/* Half the way round: the whole earth. */
	area_around(0, 0, AREA_METERS_MAX, &a);
	box_is(&a.box[0], -180, -90, 0, 90);
	box_is(&a.box[1], 0, -90, 180, 90);
}

static void
test_bbox(void **state)
{
	struct area a;
	char err[128];

	(void)state;
	assert_int_equal(area_bbox(1, 2, 3, 4, &a, err, sizeof(err)), 0);
	assert_int_equal(a.n, 1);
	box_is(&a.box[0], 1, 2, 3, 4);
	assert_int_equal(area_bbox(170, -10, -170, 10, &a, err, sizeof(err)),
	    0);
	assert_int_equal(a.n, 2);
	box_is(&a.box[0], 170, -10, 180, 10);
	box_is(&a.box[1], -180, -10, -170, 10);
	/* 350 degrees wide: three boxes, none wider than 180. */
	assert_int_equal(area_bbox(-100, 0, -110, 1, &a, err, sizeof(err)), 0);
	assert_int_equal(a.n, 3);
	for (size_t i = 0; i < a.n; i++)
		assert_true(a.box[i].e - a.box[i].w <= 180);
	assert_int_equal(area_bbox(-180, -90, 180, 90, &a, err, sizeof(err)),
	    0);
	assert_int_equal(a.n, 2);
	assert_int_equal(area_bbox(0, 5, 1, 4, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "south 5 is north of north 4: give W S E N");
	assert_int_equal(area_bbox(0, 0, 181, 1, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "longitude 181 out of range [-180, 180]");
	assert_int_equal(area_check_point(0, -90.5, err, sizeof(err)), -1);
	assert_string_equal(err, "latitude -90.5 out of range [-90, 90]");
	assert_int_equal(area_check_point(NAN, 0, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_around),
		cmocka_unit_test(test_antimeridian_and_poles),
		cmocka_unit_test(test_bbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
