/*
 * area.h - the longitude-latitude boxes a spatial index is asked about.
 * Owns: the boxes that cover a circle on the sphere (a point and a
 * distance) or a W S E N box, split where they cross the antimeridian and
 * where they are wider than 180 degrees, and the ranges of the numbers
 * they come from.  Pure: no I/O, never prints.
 *
 * A box is at most 180 degrees wide, so that no two of its corners name
 * one meridian (-180 and 180 do): MySQL 8 reads a polygon in SRID 4326 on
 * the ellipsoid, where such a box would have no width at all.
 */
#ifndef GEOROOM_AREA_H
#define GEOROOM_AREA_H

#include <stddef.h>

/*
 * The radius of the sphere ST_Distance_Sphere() measures on, in metres,
 * MySQL's and MariaDB's default.
 */
#define AREA_EARTH_M 6370986.0

/* The largest distance asked about: about half the way round. */
#define AREA_METERS_MAX 20000000.0

/* The most boxes one area is made of. */
#define AREA_BOXES 3

struct area_box {
	double w, s, e, n; /* degrees; w <= e, s <= n */
};

struct area {
	size_t n; /* boxes used */
	struct area_box box[AREA_BOXES];
};

/*
 * Sets 'a' to boxes that hold every point within 'meters' of ('lon',
 * 'lat') on the sphere, with a margin of a few centimetres: one box, or
 * two where the circle crosses the antimeridian or reaches a pole (the
 * whole width).  The caller checked the numbers (area_check_point()).
 */
void area_around(double lon, double lat, double meters, struct area *a);

/*
 * Sets 'a' to the box from 'w' to 'e' and 's' to 'n', which crosses the
 * antimeridian when 'w' > 'e' (170 to -170 is 20 degrees wide).  Returns
 * 0, or -1 with the reason in 'err': a number out of range, 's' > 'n'.
 */
int area_bbox(double w, double s, double e, double n, struct area *a,
    char *err, size_t errlen);

/*
 * Checks a longitude in [-180, 180] and a latitude in [-90, 90].  Returns
 * 0, or -1 with the reason in 'err'.
 */
int area_check_point(double lon, double lat, char *err, size_t errlen);

#endif
