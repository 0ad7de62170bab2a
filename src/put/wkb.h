/*
 * wkb.h - geometries in Well-Known Binary, the server's own form: a
 * checked GeoJSON geometry written as WKB to store, and a stored one
 * (ST_AsWKB) written back as GeoJSON.
 * Owns: the seven OGC types in WKB, read in either byte order; each
 * coordinate written in the fewest digits that read back as the same
 * double, so that what is printed is exactly what is stored; no number
 * ever turned into text on the way in.  Pure: no I/O.
 */
#ifndef GEOROOM_WKB_H
#define GEOROOM_WKB_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"

/* Deepest nesting of GeometryCollections read. */
#define WKB_DEPTH_MAX 32

/*
 * Appends to 'out' the GeoJSON geometry of the 'n' bytes of WKB at 'wkb'
 * ({"type":"Point","coordinates":[13.4,52.5]}).  Returns 0, or -1 when
 * the bytes are not one WKB geometry (errno EINVAL) or 'out' cannot grow
 * (its errno); 'out' may then hold part of it.
 */
int wkb_geojson(struct buf *out, const unsigned char *wkb, size_t n);

/*
 * Appends to 'out' the coordinates of a Point, "[13.4,52.5]", from its
 * 'n' bytes of WKB.  Returns 0, or -1 with errno EINVAL when they are not
 * one Point, or that of 'out' when it cannot grow.
 */
int wkb_point_coordinates(struct buf *out, const unsigned char *wkb, size_t n);

/*
 * Appends to 'out' the WKB, in the machine's byte order, of 'g'
 * (borrowed), a geometry geojson_validate() accepted; an altitude is
 * dropped, as ST_GeomFromGeoJSON(g, 2, ...) drops it.  Returns 0, or -1
 * when 'out' cannot grow (its errno).
 */
int wkb_from_geojson(struct buf *out, jv g);

/*
 * Writes 'd', a finite double, into 'buf' (at least 32 bytes) so that it
 * reads back as 'd': in fixed notation with the fewest decimals when at
 * most 15 do ("13.405", "0.0000001"), else in the fewest significant
 * digits, up to 17, as %g writes them ("1e-20").  Returns the length.
 */
int wkb_number(double d, char *buf, size_t len);

#endif
