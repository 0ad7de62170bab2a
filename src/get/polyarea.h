/*
 * polyarea.h - the area of `geoget within --polygon`: GeoJSON text made
 * into the WKB of one Polygon or MultiPolygon, checked as geoput checks
 * what it stores (geojson.h).  Pure: no I/O; the caller reads the text.
 */
#ifndef GEOROOM_POLYAREA_H
#define GEOROOM_POLYAREA_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends to 'wkb' the WKB of the area in the 'len' bytes of JSON at
 * 'text': a Polygon or MultiPolygon geometry, or a Feature with one, or a
 * FeatureCollection of exactly one such Feature.  Returns 0, or -1 with
 * the reason in 'err' (errno EINVAL, or ENOMEM when 'wkb' cannot grow).
 */
int polyarea_wkb(struct buf *wkb, const char *text, size_t len, char *err,
    size_t errlen);

#endif
