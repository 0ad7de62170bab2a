/* lookup.c - geoget's questions sent to the database (see lookup.h). */
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rowjson.h"
#include "stamp.h"
#include "wkb.h"

/* The most bytes of one Feature, or of a trail's line. */
#define TEXT_MAX (256 * 1024 * 1024)

/* Column positions in every statement (getsql.h). */
enum { C_ID, C_USER, C_WKB, C_PROPS, C_TIME, C_DISTANCE };

static int
fail(struct db *db, const char *what)
{
	unsigned num = mysql_errno(db->my);

	snprintf(db->err, sizeof(db->err), "%s: %s", what,
	    mysql_error(db->my));
	db->err_class = dbsql_classify(num, 0);
	db->err_num = num;
	return -1;
}

static int
fail_other(struct db *db, const char *fmt, const char *arg)
{
	snprintf(db->err, sizeof(db->err), fmt, arg);
	db->err_class = DBSQL_OTHER;
	db->err_num = 0;
	return -1;
}

/* The sink stopped the reading: no database failure. */
static int
stopped(struct db *db)
{
	return fail_other(db, "stopped: the output failed%s", "");
}

/* Sends 'sql' (prefixed with 'pre') and opens its rows as they come. */
static MYSQL_RES *
send(struct db *db, const char *pre, const char *sql)
{
	size_t a = strlen(pre), b = strlen(sql);
	char *q = malloc(a + b + 1);
	MYSQL_RES *res;
	int r;

	if (q == NULL) {
		fail_other(db, "out of memory%s", "");
		return NULL;
	}
	memcpy(q, pre, a);
	memcpy(q + a, sql, b + 1);
	r = mysql_real_query(db->my, q, a + b);
	free(q);
	if (r != 0 || (res = mysql_use_result(db->my)) == NULL) {
		fail(db, "reading");
		return NULL;
	}
	return res;
}

/* The id and time of a row, which every statement has. */
static int
row_keys(struct db *db, MYSQL_ROW row, const unsigned long *len,
    struct locid *id, int64_t *time)
{
	if (row[C_ID] == NULL ||
	    locid_from_text(row[C_ID], len[C_ID], id, NULL, 0) == -1 ||
	    row[C_WKB] == NULL || row[C_TIME] == NULL ||
	    stamp_parse_sql(row[C_TIME], len[C_TIME], time) == -1)
		return fail_other(db,
		    "reading: a row with an unexpected "
		    "id, geometry or time%s",
		    "");
	return 0;
}

/* Ends a read: the error the rows stopped on, if any.  Frees 'res'. */
static int
finish(struct db *db, MYSQL_RES *res, int r)
{
	if (r == 0 && mysql_errno(db->my) != 0)
		r = fail(db, "reading");
	mysql_free_result(res);
	return r;
}

int
lookup_features(struct db *db, const char *sql, const struct lookup_sink *out,
    size_t *rows)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct buf b;
	char extra[64];
	int r = 0, distance;

	*rows = 0;
	if ((res = send(db, "", sql)) == NULL)
		return -1;
	distance = mysql_num_fields(res) > C_DISTANCE;
	buf_init(&b, TEXT_MAX);
	while (r == 0 && (row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		struct locid id;
		struct rowjson f = { .id = &id,
			.user = row[C_USER],
			.user_len = len[C_USER],
			.wkb = (const unsigned char *)row[C_WKB],
			.wkb_len = len[C_WKB],
			.props = row[C_PROPS],
			.props_len = len[C_PROPS] };

		if ((r = row_keys(db, row, len, &id, &f.time)) == -1)
			break;
		if (distance && row[C_DISTANCE] != NULL) {
			snprintf(extra, sizeof(extra), "\"distance_m\":%.3f",
			    strtod(row[C_DISTANCE], NULL));
			f.extra = extra;
		}
		buf_reset(&b);
		if (rowjson_feature(&b, &f, NULL, NULL) == -1)
			r = errno == EINVAL ?
			    fail_other(db,
			        "reading: location %s: not a geometry",
			        id.text) :
			    fail_other(db, "out of memory%s", "");
		else if (out->emit(out->ctx, b.data, b.len) == -1)
			r = stopped(db);
		else
			++*rows;
	}
	buf_release(&b);
	return finish(db, res, r);
}

/* Appends the JSON of 'id' (borrowed) and a trail's line to 'b'. */
static int
line_feature(struct buf *b, const struct locid *id, const struct buf *xy,
    const struct buf *times)
{
	char json[LOCID_JSON_MAX];

	return buf_appends(b, "{\"type\":\"Feature\",\"id\":") == -1 ||
	        buf_append(b, json, locid_json(id, json)) == -1 ||
	        buf_appends(b,
	            ",\"geometry\":{\"type\":\"LineString\","
	            "\"coordinates\":[") == -1 ||
	        buf_append(b, xy->data, xy->len) == -1 ||
	        buf_appends(b, "]},\"properties\":{\"coordTimes\":[") == -1 ||
	        buf_append(b, times->data, times->len) == -1 ||
	        buf_appends(b, "]}}") == -1 ?
	    -1 :
	    0;
}

/* Appends ",", unless 'first', then 'n' bytes at 's'; 0 or -1. */
static int
item(struct buf *b, int first, const char *s, size_t n)
{
	return (!first && buf_appends(b, ",") == -1) ||
	        buf_append(b, s, n) == -1 ?
	    -1 :
	    0;
}

int
lookup_line(struct db *db, const char *sql, const struct locid *id,
    const struct lookup_sink *out, size_t *rows)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct buf pt, xy, times, b;
	char stamp[STAMP_TEXT_MAX + 2]; /* in quotes */
	int r = 0, nomem = 0;

	*rows = 0;
	if ((res = send(db, "", sql)) == NULL)
		return -1;
	buf_init(&pt, TEXT_MAX);
	buf_init(&xy, TEXT_MAX);
	buf_init(&times, TEXT_MAX);
	buf_init(&b, TEXT_MAX);
	while (!nomem && (row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		struct locid rid;
		int64_t t;

		if ((r = row_keys(db, row, len, &rid, &t)) == -1)
			break;
		buf_reset(&pt);
		if (wkb_point_coordinates(&pt,
		        (const unsigned char *)row[C_WKB], len[C_WKB]) == -1) {
			/* Not a point: no part of the line. */
			nomem = errno != EINVAL;
			continue;
		}
		stamp[0] = '"';
		stamp_format(t, stamp + 1);
		memcpy(stamp + STAMP_TEXT_MAX, "\"", 2);
		nomem = item(&xy, *rows == 0, pt.data, pt.len) == -1 ||
		    item(&times, *rows == 0, stamp, strlen(stamp)) == -1;
		++*rows;
	}
	/* A lone point twice, with its time (copied: 'xy' may move). */
	if (!nomem && r == 0 && *rows == 1) {
		buf_reset(&pt);
		nomem = buf_append(&pt, xy.data, xy.len) == -1 ||
		    item(&xy, 0, pt.data, pt.len) == -1 ||
		    item(&times, 0, stamp, strlen(stamp)) == -1;
	}
	if (!nomem && r == 0 && *rows > 0) {
		nomem = line_feature(&b, id, &xy, &times) == -1;
		if (!nomem && out->emit(out->ctx, b.data, b.len) == -1)
			r = stopped(db);
	}
	if (nomem)
		r = fail_other(db, "out of memory%s", "");
	buf_release(&pt);
	buf_release(&xy);
	buf_release(&times);
	buf_release(&b);
	return finish(db, res, r);
}

/* One row of EXPLAIN (or its header) as tab-separated text in 'b'. */
static int
explain_line(struct buf *b, char **cells, const unsigned long *len, unsigned n)
{
	buf_reset(b);
	for (unsigned i = 0; i < n; i++)
		if ((i > 0 && buf_appends(b, "\t") == -1) ||
		    (cells[i] == NULL ?
		            buf_appends(b, "NULL") :
		            buf_append(b, cells[i],
		                len != NULL ? len[i] : strlen(cells[i]))) ==
		        -1)
			return -1;
	return 0;
}

int
lookup_explain(struct db *db, const char *sql, const struct lookup_sink *out)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	MYSQL_FIELD *f;
	struct buf b;
	char **names;
	unsigned n;
	int r = 0;

	if ((res = send(db, "EXPLAIN ", sql)) == NULL)
		return -1;
	n = mysql_num_fields(res);
	f = mysql_fetch_fields(res);
	if ((names = calloc(n + 1, sizeof(*names))) == NULL)
		return finish(db, res, fail_other(db, "out of memory%s", ""));
	for (unsigned i = 0; i < n; i++)
		names[i] = f[i].name;
	buf_init(&b, TEXT_MAX);
	row = names;
	do {
		if (explain_line(&b, row,
		        row == names ? NULL : mysql_fetch_lengths(res),
		        n) == -1)
			r = fail_other(db, "out of memory%s", "");
		else if (out->emit(out->ctx, b.data, b.len) == -1)
			r = stopped(db);
	} while (r == 0 && (row = mysql_fetch_row(res)) != NULL);
	free(names);
	buf_release(&b);
	return finish(db, res, r);
}
