/*
 * geojson.h - GeoJSON geometries (RFC 7946) checked before they are stored.
 * Owns: the geometry types, well-formed coordinate arrays, finite numbers
 * and WGS 84 ranges, and stripping a geometry to type and coordinates.
 * Pure: no I/O, never prints; every error names the offending field.
 */
#ifndef GEOROOM_GEOJSON_H
#define GEOROOM_GEOJSON_H

#include <stddef.h>

#include <jv.h>

/* Deepest nesting of GeometryCollections accepted. */
#define GEOJSON_DEPTH_MAX 8

/* Which coordinate of a position a number is. */
enum geojson_axis {
	GEOJSON_LON,
	GEOJSON_LAT,
	GEOJSON_ALT,
};

/*
 * Checks 'geometry' (consumed): an object whose "type" is Point,
 * MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or
 * GeometryCollection, with coordinates of the right shape; positions of
 * two or three finite numbers (longitude in [-180, 180], latitude in
 * [-90, 90], altitude free); at least two positions in a line, at least
 * four in a closed linear ring; no empty geometry.  'path' (borrowed) names
 * the value in messages, e.g. "geometry" or "features[2].geometry"; it may
 * be "".
 *
 * Returns the geometry stripped to "type" and "coordinates" (or
 * "geometries"), owned, or jv_invalid() with the reason in 'err', e.g.
 * "geometry.coordinates[1]: latitude 91 out of range [-90, 90]".
 */
jv geojson_validate(jv geometry, const char *path, char *err, size_t errlen);

/*
 * Checks one coordinate (consumed): a finite number, in range for 'axis'.
 * 'path' names it.  Returns 0, or -1 with the reason in 'err'.
 */
int geojson_check_coord(jv v, enum geojson_axis axis, const char *path,
    char *err, size_t errlen);

/* Returns 1 when 'type' (borrowed) names a GeoJSON geometry type. */
int geojson_is_geometry_type(const char *type);

#endif
