/*
 * fence.h - a geofence as geofence(1) takes it in and gives it out.
 * Owns: reading a fence from its GeoJSON text (a Polygon or MultiPolygon,
 * bare or in a Feature, whose "name" property names it), its checks, and
 * the Feature a stored fence is listed as.  Pure: no I/O, never prints;
 * the fences' table and what geoput does with it are db.h's and store.h's.
 */
#ifndef GEOROOM_FENCE_H
#define GEOROOM_FENCE_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "buf.h"
#include "locid.h"

/* The longest name, in bytes, as the column holds it (VARCHAR(255)). */
#define FENCE_NAME_MAX 255

/*
 * Reads one fence from the 'len' bytes at 'text': one JSON value, a
 * Polygon or MultiPolygon geometry, or a Feature with one (its
 * properties' "name", a string, names the fence).  The geometry is held
 * to geojson.h's checks: closed rings of four positions or more, every
 * coordinate in range.  Returns the geometry stripped to type and
 * coordinates (owned) and sets *name to the name (owned) or jv_null(); or
 * returns jv_invalid() with the reason in 'err'.
 */
jv fence_read(const char *text, size_t len, jv *name, char *err,
    size_t errlen);

/*
 * Checks a fence's name (borrowed): 1 to FENCE_NAME_MAX bytes of UTF-8.
 * Returns 0, or -1 with the reason in 'err'.
 */
int fence_check_name(const char *name, size_t len, char *err, size_t errlen);

/*
 * Appends to 'out' the Feature listing a stored fence, on one line:
 * {"type":"Feature","id":ID,"geometry":{...},"properties":{"name":NAME,
 * "created_at":"2026-12-07T10:00:00.000000Z"}}, ID as locid.h writes it,
 * NAME a string or null.  'name' (may be NULL) and 'wkb' are borrowed.
 * Returns 0, or -1: the WKB is not one geometry (EINVAL), or 'out'
 * cannot grow.
 */
int fence_feature(struct buf *out, const struct locid *id, const char *name,
    size_t name_len, const unsigned char *wkb, size_t wkb_len,
    int64_t created_at);

#endif
