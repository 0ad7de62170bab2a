/*
 * lookup.h - geoget's questions sent over a connection db.h opened.
 * Owns: sending one SELECT (getsql.h) or its EXPLAIN, reading the rows
 * as they come rather than all at once, and making each the JSON text of
 * a Feature (rowjson.h), or a trail's points one LineString.  Never
 * prints: each text goes to the caller's function; a failure leaves its
 * message and class in the struct db, as db.h does.
 */
#ifndef GEOROOM_LOOKUP_H
#define GEOROOM_LOOKUP_H

#include <stddef.h>

#include "db.h"
#include "locid.h"

/*
 * Where the texts go: 'emit' gets each (borrowed, 'len' bytes, no
 * newline) and returns 0, or -1 to stop reading (errno kept).
 */
struct lookup_sink {
	int (*emit)(void *ctx, const char *text, size_t len);
	void *ctx;
};

/*
 * Sends 'sql' (borrowed; the columns getsql.h names) and hands on one
 * Feature a row; the rows with a sixth column have it as the member
 * "distance_m", in metres to the millimetre.  Sets *rows to how many
 * there were.  Returns 0, or -1 (db->err; class DBSQL_OTHER and no error
 * number when the sink stopped it).
 */
int lookup_features(struct db *db, const char *sql,
    const struct lookup_sink *out, size_t *rows);

/*
 * The same for a trail of 'id' (borrowed): one Feature whose geometry is
 * the LineString of the rows' Points in order (other geometries left
 * out; a lone point is written twice, since a LineString has two
 * positions at least) and whose property "coordTimes" lists their times.
 * *rows is the number of points; with none nothing is handed on.
 */
int lookup_line(struct db *db, const char *sql, const struct locid *id,
    const struct lookup_sink *out, size_t *rows);

/*
 * Sends EXPLAIN 'sql' and hands on its result as text, a line a row, the
 * header first, columns separated by tabs, NULL for a null, as the
 * mariadb client's batch mode prints it.  0 or -1.
 */
int lookup_explain(struct db *db, const char *sql,
    const struct lookup_sink *out);

#endif
