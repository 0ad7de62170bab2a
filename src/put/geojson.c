/* geojson.c - GeoJSON geometries checked before they are stored. */
#include "geojson.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "jsnum.h"

/* Longest field path kept for messages; longer ones are cut. */
#define PATHLEN 256

enum gtype {
	G_POINT,
	G_MULTIPOINT,
	G_LINESTRING,
	G_MULTILINESTRING,
	G_POLYGON,
	G_MULTIPOLYGON,
	G_COLLECTION,
	G_NONE
};

static const char *const type_names[] = {
	"Point",
	"MultiPoint",
	"LineString",
	"MultiLineString",
	"Polygon",
	"MultiPolygon",
	"GeometryCollection",
};

static int fail(char *err, size_t errlen, const char *path, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path[0] != '\0')
		snprintf(err, errlen, "%s: %s", path, msg);
	else
		snprintf(err, errlen, "%s", msg);
	return -1;
}

static const char *
kind_name(jv v)
{
	return jv_kind_name(jv_get_kind(v));
}

static enum gtype
gtype_of(const char *s)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]);
	     i++) {
		if (strcmp(s, type_names[i]) == 0)
			return (enum gtype)i;
	}
	return G_NONE;
}

int
geojson_is_geometry_type(const char *type)
{
	return gtype_of(type) != G_NONE;
}

int
geojson_check_coord(jv v, enum geojson_axis axis, const char *path, char *err,
    size_t errlen)
{
	static const char *const names[] = { "longitude", "latitude",
		"altitude" };
	static const double limit[] = { 180, 90, INFINITY };
	char num[40];
	double d;

	if (jv_get_kind(v) != JV_KIND_NUMBER) {
		fail(err, errlen, path, "%s must be a number, got %s",
		    names[axis], kind_name(v));
		jv_free(v);
		return -1;
	}
	d = jv_number_value(v);
	jv_free(v);
	if (!isfinite(d))
		return fail(err, errlen, path, "%s is not a finite number",
		    names[axis]);
	if (d < -limit[axis] || d > limit[axis])
		return fail(err, errlen, path, "%s %s out of range [-%g, %g]",
		    names[axis], (jsnum_format(d, num, sizeof(num)), num),
		    limit[axis], limit[axis]);
	return 0;
}

/* 'pos' is borrowed, as are the arrays in the functions below. */
static int
check_position(jv pos, const char *path, char *err, size_t errlen)
{
	char p[PATHLEN];
	int n;

	if (jv_get_kind(pos) != JV_KIND_ARRAY)
		return fail(err, errlen, path,
		    "expected a position [longitude, latitude], got %s",
		    kind_name(pos));
	n = jv_array_length(jv_copy(pos));
	if (n < 2 || n > 3)
		return fail(err, errlen, path,
		    "a position has 2 or 3 numbers (longitude, latitude, "
		    "altitude), got %d",
		    n);
	for (int i = 0; i < n; i++) {
		static const double limit[] = { 180, 90, INFINITY };
		jv x = jv_array_get(jv_copy(pos), i);
		double d = jv_get_kind(x) == JV_KIND_NUMBER ?
		    jv_number_value(x) :
		    NAN;

		/* The path is made only for a message: every coordinate
		 * of every record comes here. */
		if (isfinite(d) && d >= -limit[i] && d <= limit[i]) {
			jv_free(x);
			continue;
		}
		errbuf_index_path(p, sizeof(p), path, i);
		if (geojson_check_coord(x, (enum geojson_axis)i, p, err,
		        errlen) == -1)
			return -1;
	}
	return 0;
}

/* 'one' and 'many' name an element; returns the length or -1. */
static int
check_array(jv a, const char *path, int min, const char *one, const char *many,
    char *err, size_t errlen)
{
	int n;

	if (jv_get_kind(a) != JV_KIND_ARRAY)
		return fail(err, errlen, path,
		    "expected an array of %s, got %s", many, kind_name(a));
	n = jv_array_length(jv_copy(a));
	if (n < min && min == 1)
		return fail(err, errlen, path,
		    "needs at least one %s, got none", one);
	if (n < min)
		return fail(err, errlen, path, "needs at least %d %s, got %d",
		    min, many, n);
	return n;
}

static int
check_positions(jv a, const char *path, int min, char *err, size_t errlen)
{
	char p[PATHLEN];
	int n;

	if ((n = check_array(a, path, min, "position", "positions", err,
	         errlen)) == -1)
		return -1;
	for (int i = 0; i < n; i++) {
		jv pos = jv_array_get(jv_copy(a), i);
		int r;

		errbuf_index_path(p, sizeof(p), path, i);
		r = check_position(pos, p, err, errlen);
		jv_free(pos);
		if (r == -1)
			return -1;
	}
	return n;
}

static int
check_ring(jv ring, const char *path, char *err, size_t errlen)
{
	char first[64], last[64];
	int n;

	if (jv_get_kind(ring) != JV_KIND_ARRAY)
		return fail(err, errlen, path,
		    "expected a linear ring (array of positions), got %s",
		    kind_name(ring));
	n = jv_array_length(jv_copy(ring));
	if (n < 4)
		return fail(err, errlen, path,
		    "a linear ring needs at least 4 positions, got %d", n);
	if (check_positions(ring, path, 4, err, errlen) == -1)
		return -1;
	if (!jv_equal(jv_array_get(jv_copy(ring), 0),
	        jv_array_get(jv_copy(ring), n - 1))) {
		jv_dump_string_trunc(jv_array_get(jv_copy(ring), 0), first,
		    sizeof(first));
		jv_dump_string_trunc(jv_array_get(jv_copy(ring), n - 1), last,
		    sizeof(last));
		return fail(err, errlen, path,
		    "linear ring is not closed: first position %s, last %s",
		    first, last);
	}
	return 0;
}

static int
check_polygon(jv rings, const char *path, char *err, size_t errlen)
{
	char p[PATHLEN];
	int n;

	if ((n = check_array(rings, path, 1, "linear ring", "linear rings",
	         err, errlen)) == -1)
		return -1;
	for (int i = 0; i < n; i++) {
		jv ring = jv_array_get(jv_copy(rings), i);
		int r;

		errbuf_index_path(p, sizeof(p), path, i);
		r = check_ring(ring, p, err, errlen);
		jv_free(ring);
		if (r == -1)
			return -1;
	}
	return 0;
}

/* Checks each element of 'a' with 'check'. */
static int
check_each(jv a, const char *path, const char *one, const char *many,
    int (*check)(jv, const char *, char *, size_t), char *err, size_t errlen)
{
	char p[PATHLEN];
	int n;

	if ((n = check_array(a, path, 1, one, many, err, errlen)) == -1)
		return -1;
	for (int i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(a), i);
		int r;

		errbuf_index_path(p, sizeof(p), path, i);
		r = check(e, p, err, errlen);
		jv_free(e);
		if (r == -1)
			return -1;
	}
	return 0;
}

static int
check_line(jv a, const char *path, char *err, size_t errlen)
{
	return check_positions(a, path, 2, err, errlen) == -1 ? -1 : 0;
}

static int
check_coordinates(enum gtype t, jv c, const char *path, char *err,
    size_t errlen)
{
	switch (t) {
	case G_POINT:
		return check_position(c, path, err, errlen);
	case G_MULTIPOINT:
		return check_positions(c, path, 1, err, errlen) == -1 ? -1 : 0;
	case G_LINESTRING:
		return check_line(c, path, err, errlen);
	case G_MULTILINESTRING:
		return check_each(c, path, "line string", "line strings",
		    check_line, err, errlen);
	case G_POLYGON:
		return check_polygon(c, path, err, errlen);
	case G_MULTIPOLYGON:
		return check_each(c, path, "polygon", "polygons",
		    check_polygon, err, errlen);
	default:
		return fail(err, errlen, path, "internal: no coordinates");
	}
}

static jv
validate(jv g, const char *path, int depth, char *err, size_t errlen)
{
	char p[PATHLEN];
	jv type, member, out = jv_invalid();
	enum gtype t;

	if (jv_get_kind(g) != JV_KIND_OBJECT) {
		fail(err, errlen, path,
		    "expected a GeoJSON geometry object, "
		    "got %s",
		    kind_name(g));
		jv_free(g);
		return jv_invalid();
	}
	type = jv_object_get(jv_copy(g), jv_string("type"));
	errbuf_member_path(p, sizeof(p), path, "type");
	if (jv_get_kind(type) != JV_KIND_STRING) {
		if (jv_is_valid(type))
			fail(err, errlen, p, "expected a string, got %s",
			    kind_name(type));
		else
			fail(err, errlen, p, "missing");
		goto out;
	}
	if ((t = gtype_of(jv_string_value(type))) == G_NONE) {
		fail(err, errlen, p, "\"%.40s\" is not a geometry type",
		    jv_string_value(type));
		goto out;
	}
	if (t == G_COLLECTION) {
		jv list = jv_array();
		int n;

		member = jv_object_get(jv_copy(g), jv_string("geometries"));
		errbuf_member_path(p, sizeof(p), path, "geometries");
		if (!jv_is_valid(member)) {
			fail(err, errlen, p, "missing");
			jv_free(list);
			goto out;
		}
		if (depth >= GEOJSON_DEPTH_MAX) {
			fail(err, errlen, p, "nested deeper than %d levels",
			    GEOJSON_DEPTH_MAX);
			jv_free(member);
			jv_free(list);
			goto out;
		}
		if ((n = check_array(member, p, 1, "geometry", "geometries",
		         err, errlen)) == -1) {
			jv_free(member);
			jv_free(list);
			goto out;
		}
		for (int i = 0; i < n; i++) {
			char ep[PATHLEN];
			jv e;

			errbuf_index_path(ep, sizeof(ep), p, i);
			e = validate(jv_array_get(jv_copy(member), i), ep,
			    depth + 1, err, errlen);
			if (!jv_is_valid(e)) {
				jv_free(member);
				jv_free(list);
				goto out;
			}
			list = jv_array_append(list, e);
		}
		jv_free(member);
		out = jv_object_set(jv_object(), jv_string("type"),
		    jv_copy(type));
		out = jv_object_set(out, jv_string("geometries"), list);
		goto out;
	}
	member = jv_object_get(jv_copy(g), jv_string("coordinates"));
	errbuf_member_path(p, sizeof(p), path, "coordinates");
	if (!jv_is_valid(member)) {
		fail(err, errlen, p, "missing");
		goto out;
	}
	if (check_coordinates(t, member, p, err, errlen) == -1) {
		jv_free(member);
		goto out;
	}
	out = jv_object_set(jv_object(), jv_string("type"), jv_copy(type));
	out = jv_object_set(out, jv_string("coordinates"), member);
out:
	jv_free(type);
	jv_free(g);
	return out;
}

jv
geojson_validate(jv geometry, const char *path, char *err, size_t errlen)
{
	return validate(geometry, path, 0, err, errlen);
}
