/* area.c - boxes for the spatial index (see area.h). */
#include "area.h"

#include <math.h>
#include <stdio.h>

/*
 * Added to a circle's angular radius: a relative part for rounding in
 * the trigonometry, and 1e-8 radians (6 cm) for the server's own.
 */
#define MARGIN_REL 1e-9
#define MARGIN_ABS 1e-8

static double
deg(double rad)
{
	return rad * 180.0 / M_PI;
}

static double
rad(double d)
{
	return d * M_PI / 180.0;
}

/* Adds the box w..e (w <= e, -180 <= w, e <= 180), halved when wide. */
static void
add(struct area *a, double w, double s, double e, double n)
{
	if (e - w > 180.0) {
		double mid = w + (e - w) / 2;

		add(a, w, s, mid, n);
		add(a, mid, s, e, n);
		return;
	}
	a->box[a->n++] = (struct area_box){ w, s, e, n };
}

/* Adds w..e where w may be below -180 or e above 180, wrapping round. */
static void
add_wrapped(struct area *a, double w, double s, double e, double n)
{
	if (w < -180.0) {
		add(a, w + 360.0, s, 180.0, n);
		add(a, -180.0, s, e, n);
	} else if (e > 180.0) {
		add(a, w, s, 180.0, n);
		add(a, -180.0, s, e - 360.0, n);
	} else {
		add(a, w, s, e, n);
	}
}

void
area_around(double lon, double lat, double meters, struct area *a)
{
	double r = meters / AREA_EARTH_M * (1 + MARGIN_REL) + MARGIN_ABS;
	double s = lat - deg(r), n = lat + deg(r), dlon;

	a->n = 0;
	/* A circle round a pole holds every longitude near it. */
	if (s <= -90.0 || n >= 90.0 || r >= M_PI / 2) {
		add(a, -180.0, fmax(s, -90.0), 180.0, fmin(n, 90.0));
		return;
	}
	/*
	 * The widest the circle gets in longitude, where its meridians
	 * touch it: sin(dlon) = sin(r) / cos(lat), below 1 here since
	 * r < 90 - |lat|.
	 */
	dlon = deg(asin(fmin(1.0, sin(r) / cos(rad(lat)))));
	add_wrapped(a, lon - dlon, s, lon + dlon, n);
}

int
area_check_point(double lon, double lat, char *err, size_t errlen)
{
	if (!(lon >= -180.0 && lon <= 180.0)) {
		snprintf(err, errlen, "longitude %g out of range [-180, 180]",
		    lon);
		return -1;
	}
	if (!(lat >= -90.0 && lat <= 90.0)) {
		snprintf(err, errlen, "latitude %g out of range [-90, 90]",
		    lat);
		return -1;
	}
	return 0;
}

int
area_bbox(double w, double s, double e, double n, struct area *a, char *err,
    size_t errlen)
{
	if (area_check_point(w, s, err, errlen) == -1 ||
	    area_check_point(e, n, err, errlen) == -1)
		return -1;
	if (s > n) {
		snprintf(err, errlen,
		    "south %g is north of north %g: give W S E N", s, n);
		return -1;
	}
	a->n = 0;
	if (w <= e)
		add(a, w, s, e, n);
	else
		add_wrapped(a, w, s, e + 360.0, n);
	return 0;
}
