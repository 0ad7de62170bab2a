/*
 * test_wkb.c - stored geometries, as WKB of either byte order, written
 * as GeoJSON with the fewest digits that read back exactly; bytes that
 * are not one WKB geometry refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wkb.h"

/* WKB written little-endian, a byte, int or double at a time. */
struct w {
	unsigned char b[512];
	size_t n;
};

static void
u8(struct w *w, unsigned v)
{
	w->b[w->n++] = (unsigned char)v;
}

static void
u32(struct w *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		u8(w, (v >> (8 * i)) & 0xff);
}

static void
f64(struct w *w, double d)
{
	uint64_t v;

	memcpy(&v, &d, 8);
	for (int i = 0; i < 8; i++)
		u8(w, (unsigned)(v >> (8 * i)) & 0xff);
}

static void
point(struct w *w, double x, double y)
{
	u8(w, 1);
	u32(w, 1);
	f64(w, x);
	f64(w, y);
}

static void
check(const struct w *w, const char *want)
{
	struct buf out;

	buf_init(&out, 1 << 20);
	assert_int_equal(wkb_geojson(&out, w->b, w->n), 0);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

static void
refused(const unsigned char *b, size_t n)
{
	struct buf out;

	buf_init(&out, 1 << 20);
	errno = 0;
	assert_int_equal(wkb_geojson(&out, b, n), -1);
	assert_int_equal(errno, EINVAL);
	buf_release(&out);
}

/* A Point's coordinates alone; any other geometry refused. */
static void
test_point_coordinates(void **state)
{
	struct w w = { .n = 0 };
	struct buf out;

	(void)state;
	buf_init(&out, 1 << 20);
	point(&w, -179.5, 0.25);
	assert_int_equal(wkb_point_coordinates(&out, w.b, w.n), 0);
	assert_string_equal(out.data, "[-179.5,0.25]");
	assert_int_equal(wkb_point_coordinates(&out, w.b, w.n - 1), -1);
	assert_int_equal(errno, EINVAL);
	w.n = 0;
	u8(&w, 1);
	u32(&w, 4);
	u32(&w, 1);
	point(&w, 1, 1);
	errno = 0;
	assert_int_equal(wkb_point_coordinates(&out, w.b, w.n), -1);
	assert_int_equal(errno, EINVAL);
	buf_release(&out);
}

static void
test_types(void **state)
{
	struct w w = { .n = 0 };

	(void)state;
	point(&w, 13.405, 52.52);
	check(&w, "{\"type\":\"Point\",\"coordinates\":[13.405,52.52]}");

	w.n = 0;
	u8(&w, 1);
	u32(&w, 2);
	u32(&w, 2);
	f64(&w, 0);
	f64(&w, 0);
	f64(&w, -0.1276);
	f64(&w, 51.5072);
	check(&w,
	    "{\"type\":\"LineString\",\"coordinates\":[[0,0],[-0.1276,"
	    "51.5072]]}");

	w.n = 0;
	u8(&w, 1);
	u32(&w, 3);
	u32(&w, 1);
	u32(&w, 4);
	f64(&w, 0), f64(&w, 0), f64(&w, 1), f64(&w, 0);
	f64(&w, 1), f64(&w, 1), f64(&w, 0), f64(&w, 0);
	check(&w,
	    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],"
	    "[0,0]]]}");

	w.n = 0;
	u8(&w, 1);
	u32(&w, 4);
	u32(&w, 2);
	point(&w, 1, 1);
	point(&w, -1, -1);
	check(&w, "{\"type\":\"MultiPoint\",\"coordinates\":[[1,1],[-1,-1]]}");

	w.n = 0;
	u8(&w, 1);
	u32(&w, 7);
	u32(&w, 2);
	point(&w, 5, 5);
	u8(&w, 1);
	u32(&w, 5);
	u32(&w, 1);
	u8(&w, 1);
	u32(&w, 2);
	u32(&w, 2);
	f64(&w, 0), f64(&w, 0), f64(&w, 1), f64(&w, 1);
	check(&w,
	    "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
	    "\"Point\",\"coordinates\":[5,5]},{\"type\":\"MultiLineString\","
	    "\"coordinates\":[[[0,0],[1,1]]]}]}");
}

static void
test_big_endian_and_digits(void **state)
{
	/* A big-endian Point (1, 0.1 + 0.2). */
	static const unsigned char be[] = { 0, 0, 0, 0, 1, 0x3f, 0xf0, 0, 0, 0,
		0, 0, 0, 0x3f, 0xd3, 0x33, 0x33, 0x33, 0x33, 0x33, 0x34 };
	struct w w = { .n = 0 };
	char num[40];

	(void)state;
	memcpy(w.b, be, sizeof(be));
	w.n = sizeof(be);
	check(&w,
	    "{\"type\":\"Point\",\"coordinates\":[1,0.30000000000000004]}");
	wkb_number(0.1, num, sizeof(num));
	assert_string_equal(num, "0.1");
	wkb_number(1e-7, num, sizeof(num));
	assert_string_equal(num, "0.0000001");
	wkb_number(-0.5, num, sizeof(num));
	assert_string_equal(num, "-0.5");
	wkb_number(123.456789, num, sizeof(num));
	assert_string_equal(num, "123.456789");
	wkb_number(0, num, sizeof(num));
	assert_string_equal(num, "0");
	wkb_number(1e-20, num, sizeof(num));
	assert_string_equal(num, "1e-20");
	wkb_number(9007199254740993.0, num, sizeof(num));
	assert_true(strtod(num, NULL) == 9007199254740993.0);
	/* Random doubles all read back. */
	srand(7);
	for (int i = 0; i < 200000; i++) {
		double d = ((double)rand() / RAND_MAX - 0.5) * 360;

		if (i % 2)
			d = (double)(long)(d * 1e6) / 1e6;
		wkb_number(d, num, sizeof(num));
		if (strtod(num, NULL) != d)
			fail_msg("%.17g written %s", d, num);
	}
	wkb_number(-180, num, sizeof(num));
	assert_string_equal(num, "-180");
	wkb_number(0.12345678901234566, num, sizeof(num));
	assert_string_equal(num, "0.12345678901234566");
	assert_true(strtod(num, NULL) == 0.12345678901234566);
}

static void
test_refused(void **state)
{
	struct w w = { .n = 0 };
	unsigned char big[9];

	(void)state;
	point(&w, 1, 2);
	refused(w.b, w.n - 1); /* cut short */
	w.b[w.n++] = 0;
	refused(w.b, w.n); /* a byte too many */
	refused(w.b, 0);
	w.b[0] = 2; /* no such byte order */
	refused(w.b, 21);
	w.b[0] = 1;
	w.b[1] = 9; /* no such type */
	refused(w.b, 21);
	/* A count larger than the bytes left: no huge loop. */
	memcpy(big, (unsigned char[]){ 1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff },
	    9);
	refused(big, 9);
	/* A MultiPoint of a LineString. */
	w.n = 0;
	u8(&w, 1);
	u32(&w, 4);
	u32(&w, 1);
	u8(&w, 1);
	u32(&w, 2);
	u32(&w, 0);
	refused(w.b, w.n);
}

/* GeoJSON to WKB and back: the same geometry, altitude dropped. */
static void
test_round_trip(void **state)
{
	static const char *const in[] = {
		"{\"type\":\"Point\",\"coordinates\":[13.405,52.52,35]}",
		"{\"type\":\"LineString\",\"coordinates\":[[0,0],[10,10]]}",
		"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],"
		"[0,1],[0,0]]]}",
		"{\"type\":\"MultiPoint\",\"coordinates\":[[1,1],[-1,-1]]}",
		"{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]],"
		"[[2,2],[3,3]]]}",
		"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],"
		"[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}",
		"{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
		"\"Point\",\"coordinates\":[5,5]},{\"type\":\"GeometryCollection\","
		"\"geometries\":[]}]}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct buf bin, text;
		jv g = jv_parse(in[i]);

		buf_init(&bin, 1 << 20);
		buf_init(&text, 1 << 20);
		assert_int_equal(wkb_from_geojson(&bin, g), 0);
		assert_int_equal(wkb_geojson(&text,
		                     (const unsigned char *)bin.data, bin.len),
		    0);
		if (i == 0)
			assert_string_equal(text.data,
			    "{\"type\":\"Point\",\"coordinates\":[13.405,"
			    "52.52]}");
		else
			assert_string_equal(text.data, in[i]);
		jv_free(g);
		buf_release(&bin);
		buf_release(&text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_point_coordinates),
		cmocka_unit_test(test_big_endian_and_digits),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
