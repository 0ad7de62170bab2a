/*
 * getsql.h - the SELECT statements geoget sends, per server flavour.
 * Owns: one statement for each question (where everyone is now, who is
 * near a point, who is within an area, the trail of one id), written so
 * that the server answers it from an index: the spatial index of the
 * location table through a box around the area (area.h), the primary key
 * (id, time) of its history.  Pure: no I/O; geoget's lookup sends it.
 *
 * Every statement returns the columns rowjson.h takes, in this order:
 * id, user_id, the geometry's WKB (longitude first on every flavour),
 * properties, the time (updated_at, or the history's time), then for
 * near the distance in metres, `distance_m`.
 */
#ifndef GEOROOM_GETSQL_H
#define GEOROOM_GETSQL_H

#include <stddef.h>
#include <stdint.h>

#include "area.h"
#include "dbsql.h"
#include "locid.h"

enum getsql_cmd {
	GETSQL_NOW,
	GETSQL_NEAR,
	GETSQL_WITHIN,
	GETSQL_TRAIL,
};

/* A bound of a trail. */
enum getsql_when {
	GETSQL_NONE,
	GETSQL_AT,  /* an instant: microseconds since the epoch */
	GETSQL_AGO, /* seconds before the server's clock */
};

struct getsql_time {
	enum getsql_when kind;
	int64_t v;
};

/* A question; the pointers are borrowed. */
struct getsql_req {
	enum getsql_cmd cmd;
	const char *table; /* checked with dbsql_check_table() */
	/* now: the ids asked about (none: all); trail: one */
	const struct locid *ids;
	size_t nids;
	double lon, lat, meters; /* near; checked */
	struct area area;        /* near (area_around()), within a box */
	/* within a polygon: its WKB (geojson checked), or NULL */
	const unsigned char *poly;
	size_t poly_len;
	struct getsql_time since, until; /* trail */
	unsigned long long limit;        /* at most so many rows; 0: all */
};

/*
 * The statement answering 'r':
 *   now     the rows of the ids (or all), by id;
 *   near    the Points within r->meters of the point, nearest first
 *           (then by id), the distance on the sphere (ST_Distance_Sphere),
 *           among those a box round the circle holds (MBRContains);
 *   within  the rows whose bounding rectangle meets a box
 *           (MBRIntersects), or whose geometry meets the polygon
 *           (ST_Intersects), by id;
 *   trail   the history of one id from 'since' to 'until' (both
 *           included), in time order.
 * An area of several boxes is a UNION ALL of one SELECT a box, each
 * leaving out what the boxes before it hold.  Returns it (owned), or
 * NULL with errno ENOMEM.
 */
char *getsql_select(enum dbsql_flavour f, const struct getsql_req *r);

/*
 * Reads a bound of a trail: RFC 3339 ("2026-11-25T10:00:00Z"), epoch
 * seconds or milliseconds (stamp.h), or a time before now, digits and a
 * unit: "90s", "15m", "2h", "7d".  Returns 0, or -1 with the reason in
 * 'err'.
 */
int getsql_time_parse(const char *s, struct getsql_time *t, char *err,
    size_t errlen);

#endif
