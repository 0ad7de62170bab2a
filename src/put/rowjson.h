/*
 * rowjson.h - a stored row as the JSON text of a Feature: the one form
 * geoput prints and geoget reads back.
 * Owns: assembling a Feature from the server's columns as they come (the
 * geometry from its WKB, the properties' JSON text without its blanks),
 * never parsing and printing them again.  Pure: no I/O.
 *
 *   {"type":"Feature","id":ID,"geometry":{...},"properties":{...},
 *    "userId":N|null,"updated_at":"2026-11-25T10:00:00.123456Z"}
 *
 * where ID is written as locid.h says (42, "B-12").
 */
#ifndef GEOROOM_ROWJSON_H
#define GEOROOM_ROWJSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "locid.h"

/* One row's columns; every pointer borrowed. */
struct rowjson {
	const struct locid *id;
	const char *user; /* user_id in decimal; NULL: null */
	size_t user_len;
	const unsigned char *wkb; /* the geometry */
	size_t wkb_len;
	const char *props; /* the properties' JSON text; NULL: null */
	size_t props_len;
	int64_t time;      /* updated_at, microseconds since the epoch */
	const char *extra; /* members added last ("\"distance_m\":5"), or NULL */
};

/*
 * Appends the Feature of 'r' to 'out' and sets *props_at and *props_len
 * (each may be NULL) to where its properties are in 'out'.  Returns 0, or
 * -1 with errno EINVAL when the WKB is not one geometry, or that of 'out'
 * when it cannot grow; 'out' may then hold part of it.
 */
int rowjson_feature(struct buf *out, const struct rowjson *r, size_t *props_at,
    size_t *props_len);

/*
 * Appends the JSON text of 'n' bytes at 's' without the blanks between its
 * tokens ({"a": 1} becomes {"a":1}; strings are copied as they are), or
 * null when 's' is NULL.  0, or -1 when 'out' cannot grow (its errno).
 */
int rowjson_compact(struct buf *out, const char *s, size_t n);

#endif
