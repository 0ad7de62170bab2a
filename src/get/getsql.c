/* getsql.c - the SELECT statements geoget sends (see getsql.h). */
#include "getsql.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "buf.h"
#include "stamp.h"
#include "wkb.h"

/* Statements are small but for a polygon's WKB, in hex. */
#define SQL_MAX (64 * 1024 * 1024)

/* The longest time before now a trail may start: about 68 years. */
#define AGO_MAX 2147483647LL

/* A statement being built; 'ok' turns 0 when it could not grow. */
struct q {
	struct buf b;
	int ok;
	enum dbsql_flavour f;
};

static void
add(struct q *q, const char *s)
{
	if (q->ok && buf_appends(&q->b, s) == -1)
		q->ok = 0;
}

/* A number as it reads back exactly (wkb.h). */
static void
num(struct q *q, double d)
{
	char s[40];

	wkb_number(d, s, sizeof(s));
	add(q, s);
}

/* `name`: names are checked, so they hold no backquote. */
static void
ident(struct q *q, const char *name, const char *suffix)
{
	add(q, "`");
	add(q, name);
	add(q, suffix);
	add(q, "`");
}

/* The end of a constant geometry: SRID 4326, longitude first. */
static void
srid(struct q *q)
{
	add(q,
	    q->f == DBSQL_MYSQL8 ? ", 4326, 'axis-order=long-lat')" :
	                           ", 4326)");
}

static void
point(struct q *q, double lon, double lat)
{
	add(q, "ST_GeomFromText('POINT(");
	num(q, lon);
	add(q, " ");
	num(q, lat);
	add(q, ")'");
	srid(q);
}

static void
corner(struct q *q, double x, double y, const char *sep)
{
	num(q, x);
	add(q, " ");
	num(q, y);
	add(q, sep);
}

static void
box(struct q *q, const struct area_box *b)
{
	add(q, "ST_GeomFromText('POLYGON((");
	corner(q, b->w, b->s, ", ");
	corner(q, b->e, b->s, ", ");
	corner(q, b->e, b->n, ", ");
	corner(q, b->w, b->n, ", ");
	corner(q, b->w, b->s, "))'");
	srid(q);
}

static void
polygon(struct q *q, const unsigned char *wkb, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	add(q, "ST_GeomFromWKB(x'");
	for (size_t i = 0; i < n && q->ok; i++) {
		char h[3] = { hex[wkb[i] >> 4], hex[wkb[i] & 15], '\0' };

		add(q, h);
	}
	add(q, "'");
	srid(q);
}

/* The columns rowjson.h takes; 'time' names the time column. */
static void
columns(struct q *q, const char *time)
{
	add(q, "SELECT `id`, `user_id`, ");
	add(q,
	    q->f == DBSQL_MYSQL8 ? "ST_AsWKB(`geom`, 'axis-order=long-lat')" :
	                           "ST_AsWKB(`geom`)");
	add(q, ", `properties`, ");
	ident(q, time, "");
}

/* 'fn'(box, `geom`), the test of one box. */
static void
in_box(struct q *q, const char *fn, const struct area_box *b)
{
	add(q, fn);
	add(q, "(");
	box(q, b);
	add(q, ", `geom`)");
}

/*
 * The WHERE clause of box 'i' of 'a': the geometries 'fn' finds in it and
 * in none of the boxes before it, so that no row comes twice.
 */
static void
where_box(struct q *q, const char *fn, const struct area *a, size_t i)
{
	add(q, " WHERE ");
	in_box(q, fn, &a->box[i]);
	for (size_t j = 0; j < i; j++) {
		add(q, " AND NOT ");
		in_box(q, fn, &a->box[j]);
	}
}

static void
limit(struct q *q, unsigned long long n)
{
	char s[32];

	if (n == 0)
		return;
	snprintf(s, sizeof(s), " LIMIT %llu", n);
	add(q, s);
}

static void
near(struct q *q, const struct getsql_req *r)
{
	for (size_t i = 0; i < r->area.n; i++) {
		add(q, r->area.n > 1 ? (i ? " UNION ALL (" : "(") : "");
		columns(q, "updated_at");
		/* Only points have a distance; IF skips the others. */
		add(q,
		    ", IF(ST_GeometryType(`geom`) = 'POINT', "
		    "ST_Distance_Sphere(`geom`, ");
		point(q, r->lon, r->lat);
		add(q, "), NULL) AS `distance_m` FROM ");
		ident(q, r->table, "");
		where_box(q, "MBRContains", &r->area, i);
		add(q, " HAVING `distance_m` <= ");
		num(q, r->meters);
		add(q, r->area.n > 1 ? ")" : "");
	}
	add(q, " ORDER BY `distance_m`, `id`");
}

static void
within(struct q *q, const struct getsql_req *r)
{
	if (r->poly != NULL) {
		columns(q, "updated_at");
		add(q, " FROM ");
		ident(q, r->table, "");
		add(q, " WHERE ST_Intersects(");
		polygon(q, r->poly, r->poly_len);
		add(q, ", `geom`)");
	}
	for (size_t i = 0; r->poly == NULL && i < r->area.n; i++) {
		add(q, r->area.n > 1 ? (i ? " UNION ALL (" : "(") : "");
		columns(q, "updated_at");
		add(q, " FROM ");
		ident(q, r->table, "");
		where_box(q, "MBRIntersects", &r->area, i);
		add(q, r->area.n > 1 ? ")" : "");
	}
	add(q, " ORDER BY `id`");
}

/* Adds "'text'": an id's bytes need no escaping (locid.h). */
static void
id(struct q *q, const struct locid *l)
{
	add(q, "'");
	add(q, l->text);
	add(q, "'");
}

static void
now(struct q *q, const struct getsql_req *r)
{
	columns(q, "updated_at");
	add(q, " FROM ");
	ident(q, r->table, "");
	for (size_t i = 0; i < r->nids; i++) {
		add(q, i ? ", " : " WHERE `id` IN (");
		id(q, &r->ids[i]);
	}
	add(q, r->nids ? ")" : "");
	add(q, " ORDER BY `id`");
}

/* "`time` >= '2026-11-25 10:00:00.000000'", in the session's UTC. */
static void
bound(struct q *q, const char *op, const struct getsql_time *t)
{
	char s[64];
	struct stamp_parts p;

	if (t->kind == GETSQL_NONE)
		return;
	add(q, " AND `time` ");
	add(q, op);
	if (t->kind == GETSQL_AGO) {
		snprintf(s, sizeof(s),
		    " CURRENT_TIMESTAMP(6) - INTERVAL %" PRId64 " SECOND",
		    t->v);
	} else {
		stamp_split(t->v, &p);
		snprintf(s, sizeof(s),
		    " '%04d-%02d-%02d %02d:%02d:%02d.%06ld'", p.year, p.month,
		    p.day, p.hour, p.minute, p.second, p.micro);
	}
	add(q, s);
}

static void
trail(struct q *q, const struct getsql_req *r)
{
	columns(q, "time");
	add(q, " FROM ");
	ident(q, r->table, DBSQL_HISTORY);
	add(q, " WHERE `id` = ");
	id(q, &r->ids[0]);
	bound(q, ">=", &r->since);
	bound(q, "<=", &r->until);
	add(q, " ORDER BY `time`");
}

char *
getsql_select(enum dbsql_flavour f, const struct getsql_req *r)
{
	struct q q = { .ok = 1, .f = f };
	char *s;

	buf_init(&q.b, SQL_MAX);
	switch (r->cmd) {
	case GETSQL_NOW:
		now(&q, r);
		break;
	case GETSQL_NEAR:
		near(&q, r);
		break;
	case GETSQL_WITHIN:
		within(&q, r);
		break;
	case GETSQL_TRAIL:
		trail(&q, r);
		break;
	}
	limit(&q, r->limit);
	s = q.ok ? buf_detach(&q.b, NULL) : NULL;
	if (s == NULL) {
		buf_release(&q.b);
		errno = ENOMEM;
	}
	return s;
}

int
getsql_time_parse(const char *s, struct getsql_time *t, char *err,
    size_t errlen)
{
	static const struct {
		char unit;
		long long secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	size_t len = strlen(s), digits = strspn(s, "0123456789");
	char why[256];

	/* Digits and a unit: a time before now. */
	if (digits > 0 && digits <= 10 && len == digits + 1) {
		long long n = strtoll(s, NULL, 10);

		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (s[digits] == units[i].unit) {
				if (n > AGO_MAX / units[i].secs)
					break;
				t->kind = GETSQL_AGO;
				t->v = n * units[i].secs;
				return 0;
			}
	}
	if (stamp_from_json(jv_string(s), &t->v, why, sizeof(why)) == 0) {
		t->kind = GETSQL_AT;
		return 0;
	}
	snprintf(err, errlen,
	    "'%.64s' is not a time: give RFC 3339 "
	    "(2026-11-25T10:00:00Z), epoch seconds, or an age such as 90s, "
	    "15m, 2h, 7d (%s)",
	    s, why);
	return -1;
}
