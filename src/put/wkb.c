/* wkb.c - a stored geometry written as GeoJSON (see wkb.h). */
#include "wkb.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes being read, and whether they must be swapped. */
struct rd {
	const unsigned char *p, *end;
	int swap;
	int ok; /* 0 once a read ran past the end, or 'out' could not grow */
	int nomem; /* 'out' could not grow (errno set) */
};

static const char *const type_name[] = { NULL, "Point", "LineString",
	"Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
	"GeometryCollection" };

static uint32_t
u32(struct rd *r)
{
	unsigned char b[4];
	uint32_t v;

	if (r->end - r->p < 4) {
		r->ok = 0;
		return 0;
	}
	memcpy(b, r->p, 4);
	r->p += 4;
	if (r->swap) {
		unsigned char t = b[0];

		b[0] = b[3];
		b[3] = t;
		t = b[1];
		b[1] = b[2];
		b[2] = t;
	}
	memcpy(&v, b, 4);
	return v;
}

static double
f64(struct rd *r)
{
	unsigned char b[8];
	double d;

	if (r->end - r->p < 8) {
		r->ok = 0;
		return 0;
	}
	memcpy(b, r->p, 8);
	r->p += 8;
	if (r->swap) {
		for (int i = 0; i < 4; i++) {
			unsigned char t = b[i];

			b[i] = b[7 - i];
			b[7 - i] = t;
		}
	}
	memcpy(&d, b, 8);
	return d;
}

/*
 * Writes 'd' in fixed notation with the fewest decimals that read back as
 * 'd', without printf: m / 10^k, both exact doubles, is correctly rounded,
 * so it equals 'd' exactly when the decimal m * 10^-k reads back as 'd'.
 * Returns the length, or 0 when no such m below 2^53 exists.
 */
static int
fixed(double d, char *buf, size_t len)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
		1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	double a = d < 0 ? -d : d;
	char digits[32];

	for (int k = 0; k < 16; k++) {
		double scaled = a * pow10[k];
		uint64_t m;
		int n = 0, w = 0;

		if (scaled >= 9007199254740992.0)
			return 0;
		m = (uint64_t)(scaled + 0.5);
		if ((double)m / pow10[k] != a)
			continue;
		do {
			digits[n++] = (char)('0' + m % 10);
			m /= 10;
		} while (m != 0 || n <= k);
		if (len < (size_t)n + 3)
			return 0;
		if (d < 0)
			buf[w++] = '-';
		while (n > 0) {
			if (n == k)
				buf[w++] = '.';
			buf[w++] = digits[--n];
		}
		buf[w] = '\0';
		return w;
	}
	return 0;
}

int
wkb_number(double d, char *buf, size_t len)
{
	int n = 0;

	if (d != 0 && (n = fixed(d, buf, len)) > 0)
		return n;
	/* Most coordinates read back at 15 digits; few need 16 or 17. */
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return n;
}

static void
put(struct buf *out, struct rd *r, const char *s)
{
	if (r->ok && buf_appends(out, s) == -1)
		r->ok = 0, r->nomem = 1;
}

static void
position(struct buf *out, struct rd *r)
{
	char num[2][40];
	double x = f64(r), y = f64(r);

	if (!r->ok)
		return;
	wkb_number(x, num[0], sizeof(num[0]));
	wkb_number(y, num[1], sizeof(num[1]));
	put(out, r, "[");
	put(out, r, num[0]);
	put(out, r, ",");
	put(out, r, num[1]);
	put(out, r, "]");
}

/* A count of items, each at least 'least' bytes: refuses what cannot be. */
static uint32_t
count(struct rd *r, size_t least)
{
	uint32_t n = u32(r);

	if (r->ok && (size_t)(r->end - r->p) / least < n)
		r->ok = 0;
	return r->ok ? n : 0;
}

static void
positions(struct buf *out, struct rd *r)
{
	uint32_t n = count(r, 16);

	put(out, r, "[");
	for (uint32_t i = 0; r->ok && i < n; i++) {
		if (i > 0)
			put(out, r, ",");
		position(out, r);
	}
	put(out, r, "]");
}

static void
rings(struct buf *out, struct rd *r)
{
	uint32_t n = count(r, 4);

	put(out, r, "[");
	for (uint32_t i = 0; r->ok && i < n; i++) {
		if (i > 0)
			put(out, r, ",");
		positions(out, r);
	}
	put(out, r, "]");
}

static void geometry(struct buf *out, struct rd *r, int depth, int want,
    int coords_only);

/* The header of a geometry: its byte order and type. */
static uint32_t
header(struct rd *r)
{
	if (r->p == r->end || (*r->p != 0 && *r->p != 1)) {
		r->ok = 0;
		return 0;
	}
	r->swap = (*r->p == 1) != (*(const unsigned char *)&(uint16_t){ 1 });
	r->p++;
	return u32(r);
}

/* The members of a Multi* geometry, each of type 'part'. */
static void
parts(struct buf *out, struct rd *r, int depth, int part)
{
	uint32_t n = count(r, 5);

	put(out, r, "[");
	for (uint32_t i = 0; r->ok && i < n; i++) {
		if (i > 0)
			put(out, r, ",");
		geometry(out, r, depth + 1, part, 1);
	}
	put(out, r, "]");
}

/*
 * One geometry; 'want' is the type a Multi* requires of its member (0:
 * any), and 'coords_only' writes only its coordinates.
 */
static void
geometry(struct buf *out, struct rd *r, int depth, int want, int coords_only)
{
	uint32_t type = header(r);

	if (!r->ok || type < 1 || type > 7 ||
	    (want != 0 && type != (uint32_t)want) || depth > WKB_DEPTH_MAX) {
		r->ok = 0;
		return;
	}
	if (!coords_only) {
		put(out, r, "{\"type\":\"");
		put(out, r, type_name[type]);
		put(out, r,
		    type == 7 ? "\",\"geometries\":" : "\",\"coordinates\":");
	}
	switch (type) {
	case 1:
		position(out, r);
		break;
	case 2:
		positions(out, r);
		break;
	case 3:
		rings(out, r);
		break;
	case 4:
	case 5:
	case 6:
		parts(out, r, depth, (int)type - 3);
		break;
	case 7: {
		uint32_t n = count(r, 5);

		put(out, r, "[");
		for (uint32_t i = 0; r->ok && i < n; i++) {
			if (i > 0)
				put(out, r, ",");
			geometry(out, r, depth + 1, 0, 0);
		}
		put(out, r, "]");
		break;
	}
	}
	if (!coords_only)
		put(out, r, "}");
}

int
wkb_geojson(struct buf *out, const unsigned char *wkb, size_t n)
{
	struct rd r = { wkb, wkb + n, 0, 1, 0 };

	geometry(out, &r, 0, 0, 0);
	if (r.ok && r.p == r.end)
		return 0;
	if (!r.nomem)
		errno = EINVAL;
	return -1;
}

int
wkb_point_coordinates(struct buf *out, const unsigned char *wkb, size_t n)
{
	struct rd r = { wkb, wkb + n, 0, 1, 0 };

	geometry(out, &r, 0, 1, 1);
	if (r.ok && r.p == r.end)
		return 0;
	if (!r.nomem)
		errno = EINVAL;
	return -1;
}

/* Writing: 'ok' turns 0 once 'out' could not grow. */
static void
w_bytes(struct buf *out, int *ok, const void *p, size_t n)
{
	if (*ok && buf_append(out, p, n) == -1)
		*ok = 0;
}

static void
w_u32(struct buf *out, int *ok, uint32_t v)
{
	w_bytes(out, ok, &v, 4);
}

/* The byte order mark and the type of a geometry. */
static void
w_header(struct buf *out, int *ok, uint32_t type)
{
	unsigned char order = *(const unsigned char *)&(uint16_t){ 1 };

	w_bytes(out, ok, &order, 1);
	w_u32(out, ok, type);
}

/* One position (borrowed): its longitude and latitude. */
static void
w_position(struct buf *out, int *ok, jv p)
{
	for (int i = 0; i < 2; i++) {
		jv x = jv_array_get(jv_copy(p), i);
		double d = jv_number_value(x);

		jv_free(x);
		w_bytes(out, ok, &d, 8);
	}
}

/* An array of positions (borrowed), with its count. */
static void
w_positions(struct buf *out, int *ok, jv a)
{
	int n = jv_array_length(jv_copy(a));

	w_u32(out, ok, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		jv p = jv_array_get(jv_copy(a), i);

		w_position(out, ok, p);
		jv_free(p);
	}
}

/* An array of arrays of positions (rings), with its count. */
static void
w_rings(struct buf *out, int *ok, jv a)
{
	int n = jv_array_length(jv_copy(a));

	w_u32(out, ok, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		jv r = jv_array_get(jv_copy(a), i);

		w_positions(out, ok, r);
		jv_free(r);
	}
}

/* The coordinates 'c' (borrowed) of a geometry of 'type', 1 .. 6. */
static void
w_coordinates(struct buf *out, int *ok, uint32_t type, jv c)
{
	int n;

	switch (type) {
	case 1:
		w_position(out, ok, c);
		return;
	case 2:
		w_positions(out, ok, c);
		return;
	case 3:
		w_rings(out, ok, c);
		return;
	}
	/* Multi*: each member a geometry of its own, with its header. */
	n = jv_array_length(jv_copy(c));
	w_u32(out, ok, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		jv m = jv_array_get(jv_copy(c), i);

		w_header(out, ok, type - 3);
		w_coordinates(out, ok, type - 3, m);
		jv_free(m);
	}
}

static void
w_geometry(struct buf *out, int *ok, jv g)
{
	jv t = jv_object_get(jv_copy(g), jv_string("type"));
	uint32_t type = 0;

	for (uint32_t i = 1; i <= 7; i++) {
		if (jv_get_kind(t) == JV_KIND_STRING &&
		    strcmp(jv_string_value(t), type_name[i]) == 0)
			type = i;
	}
	jv_free(t);
	w_header(out, ok, type);
	if (type == 7) {
		jv list = jv_object_get(jv_copy(g), jv_string("geometries"));
		int n = jv_array_length(jv_copy(list));

		w_u32(out, ok, (uint32_t)n);
		for (int i = 0; i < n; i++) {
			jv m = jv_array_get(jv_copy(list), i);

			w_geometry(out, ok, m);
			jv_free(m);
		}
		jv_free(list);
	} else if (type != 0) {
		jv c = jv_object_get(jv_copy(g), jv_string("coordinates"));

		w_coordinates(out, ok, type, c);
		jv_free(c);
	}
}

int
wkb_from_geojson(struct buf *out, jv g)
{
	int ok = 1;

	w_geometry(out, &ok, g);
	return ok ? 0 : -1;
}
