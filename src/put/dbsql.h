/*
 * dbsql.h - the SQL geoput sends, per server flavour, and what the
 * server's error numbers mean.
 * Owns: the location table's DDL, the batch upsert and read-back
 * statements, table-name checks and error classification.  Pure: no I/O,
 * no library calls; db.c sends what this builds.
 *
 * The table (named `location` unless configured):
 *
 *   id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT
 *               NULL, the primary key: the id's text (locid.h), compared
 *               byte for byte as rooms are
 *   user_id     BIGINT UNSIGNED NULL
 *   geom        GEOMETRY NOT NULL in SRID 4326, with a SPATIAL INDEX
 *   properties  JSON NULL
 *   updated_at  TIMESTAMP(6): UTC to the microsecond, the time of the
 *               update stored (the record's own, or the batch's)
 *
 * Every upsert is guarded by time: an update older than the row's
 * updated_at changes nothing.  In merge mode a user id not given keeps
 * the stored one and the properties are merged into the stored ones as an
 * RFC 7396 merge patch (JSON_MERGE_PATCH, on the server, in the row's
 * lock); in replace mode the update replaces both.  MySQL and MariaDB
 * apply an ON DUPLICATE KEY UPDATE list from left to right, each
 * assignment seeing those before it: updated_at comes last, so that every
 * guard compares with the stored time.
 *
 * Its history, named after it with DBSQL_HISTORY, holds one row for each
 * position stored with --history:
 *
 *   id          VARCHAR(64) ascii_bin, as above
 *   time        TIMESTAMP(6): the updated_at stored
 *   user_id, geom, properties: as stored then
 *   PRIMARY KEY (id, time): one position an id an instant, found in
 *               order for a trail; KEY (time) for deleting by age
 *
 * Flavours differ in one place only, how the column states its SRID:
 * MySQL 8 has the column attribute `SRID 4326`, which it enforces and
 * which its optimizer needs before it uses the spatial index; MariaDB has
 * no such attribute and records the SRID with `REF_SYSTEM_ID=4326`
 * (shown in information_schema.GEOMETRY_COLUMNS, not enforced).  Values
 * are made the same way on both: geoput sends WKB (wkb.h), longitude
 * first, which ST_GeomFromWKB(wkb, 4326) tags with SRID 4326 (MySQL 8 is
 * told the axis order, which it would take latitude first for 4326), and
 * reads ST_AsWKB back; no coordinate is turned into text on the way, and
 * the server parses no GeoJSON.
 *
 * Its fences, named after it with DBSQL_FENCE (geofence(1) manages them,
 * geoput reads them):
 *
 *   id          VARCHAR(64) ascii_bin, the primary key: an id as
 *               locid.h says, whose room is "fence:<id>"
 *   name        VARCHAR(255) NULL
 *   geom        POLYGON or MULTIPOLYGON, GEOMETRY NOT NULL in SRID 4326,
 *               with a SPATIAL INDEX
 *   created_at  TIMESTAMP(6), when the fence was first added
 *
 * A position is inside a fence when the fence contains it (ST_Contains):
 * MariaDB counts a point on the border as inside, MySQL 8 as outside.
 *
 * A table made by earlier versions keys by BIGINT UNSIGNED; geoput still
 * writes it, integer ids only (db.h tells the kinds apart).
 *
 * Beside it, one table for every location table of the database, its
 * batches' markers, so that a batch whose COMMIT got no answer can be
 * found committed or not (see db.h):
 *
 *   geoput_batch  token       CHAR(32), the primary key: 128 random bits
 *                             in hex, written in the batch's transaction
 *                 created_at  TIMESTAMP(6)
 */
#ifndef GEOROOM_DBSQL_H
#define GEOROOM_DBSQL_H

#include <stddef.h>
#include <stdint.h>

#include "locid.h"

enum dbsql_flavour {
	DBSQL_MARIADB,
	DBSQL_MYSQL8,  /* MySQL 8.0 and later: SRID attribute */
	DBSQL_MYSQL57, /* older MySQL: no SRID attribute */
};

/* Default table name. */
#define DBSQL_TABLE "location"

/*
 * Longest table name: MySQL allows 64 bytes, and the name of a table's
 * history adds DBSQL_HISTORY's 8.
 */
#define DBSQL_TABLE_MAX 56
#define DBSQL_HISTORY "_history"
#define DBSQL_FENCE "_fence"

/* The table of batch markers, and the length of a marker's token. */
#define DBSQL_MARKS "geoput_batch"
#define DBSQL_TOKEN_LEN 32

/*
 * Parameters bound per row of the upsert: id, user_id, geometry,
 * properties, updated_at.
 */
#define DBSQL_UPSERT_PARAMS 5

/* What an error number means to the caller. */
enum dbsql_class {
	DBSQL_UNAVAILABLE, /* no server to talk to */
	DBSQL_DENIED,      /* the server refused the account or action */
	DBSQL_SCHEMA,      /* database, table or column missing */
	DBSQL_DATA,        /* the server refused a value */
	DBSQL_TEMPORARY,   /* lock timeout, deadlock, lost connection */
	DBSQL_OTHER,       /* anything else: a bug on one side */
	DBSQL_UNKNOWN,     /* a COMMIT got no answer, and none could be had */
};

/* The exit status (exits.h) for a failure of class 'c'. */
int dbsql_exit(enum dbsql_class c);

/*
 * Tells the flavour from mysql_get_server_info() (borrowed) and
 * mysql_get_server_version().
 */
enum dbsql_flavour dbsql_flavour(const char *server_info,
    unsigned long version);

/* Names a flavour for messages ("MariaDB", "MySQL 8"). */
const char *dbsql_flavour_name(enum dbsql_flavour f);

/*
 * Checks a table name: 1 to DBSQL_TABLE_MAX of [A-Za-z0-9_], not all
 * digits.  Returns
 * 0, or -1 with the reason in 'err'.
 */
int dbsql_check_table(const char *name, char *err, size_t errlen);

/*
 * The CREATE TABLE IF NOT EXISTS statement for 'table' (checked).
 * Returns it (owned, malloc'd), or NULL with errno ENOMEM.
 */
char *dbsql_create_table(enum dbsql_flavour f, const char *table);

/*
 * The CREATE TABLE IF NOT EXISTS statement of the history of 'table'
 * (checked).  Owned, or NULL (ENOMEM).
 */
char *dbsql_create_history(enum dbsql_flavour f, const char *table);

/*
 * The multi-row upsert of 'rows' rows, DBSQL_UPSERT_PARAMS placeholders
 * each: INSERT ... VALUES (...), ... ON DUPLICATE KEY UPDATE ..., guarded
 * by time, merging when 'merge' (see above).  The geometry is given as
 * WKB, longitude first (MySQL 8 is told so: it would read SRID 4326
 * latitude first), and tagged SRID 4326.  (VALUES() in the update list
 * works on MariaDB and MySQL 8, where it is deprecated since 8.0.20 but
 * kept.)  Returns it (owned), or NULL (ENOMEM).
 */
char *dbsql_upsert(enum dbsql_flavour f, const char *table, size_t rows,
    int merge);

/* What a read of a batch's rows is for. */
enum dbsql_read {
	/*
	 * Before the upsert, with the rows locked (FOR UPDATE): id,
	 * user_id, properties, updated_at, the geometry's WKB.
	 */
	DBSQL_BEFORE,
	/*
	 * After it: id, user_id, the geometry's WKB, properties,
	 * updated_at.  The batch holds the rows' locks already; 'locked'
	 * reads with LOCK IN SHARE MODE, the latest version even where the
	 * transaction's snapshot is older.
	 */
	DBSQL_AFTER,
};

/*
 * Reads the rows of the 'n' ids (borrowed) for 'kind': WHERE id IN (...),
 * each id a quoted string, which an integer column takes as its number
 * and an index still finds; or, when 'ids' is NULL, every row with an
 * integer id from 'lo' to 'hi', a range scan of the primary key.  The
 * WKB is in longitude-latitude order on both flavours (MySQL 8 would
 * write SRID 4326 latitude first).  Returns it (owned), or NULL (ENOMEM).
 */
char *dbsql_read(enum dbsql_flavour f, const char *table, enum dbsql_read kind,
    int locked, const struct locid *const *ids, size_t n, uint64_t lo,
    uint64_t hi);

/*
 * Copies the stored rows of the 'n' ids (or, 'ids' NULL, of 'lo' to
 * 'hi') into the history of 'table', one row an id and updated_at: one
 * there already is replaced.  Owned, or NULL (ENOMEM).
 */
char *dbsql_history(const char *table, const struct locid *const *ids,
    size_t n, uint64_t lo, uint64_t hi);

/*
 * The CREATE TABLE IF NOT EXISTS statement of the fences of 'table'
 * (checked).  Owned, or NULL (ENOMEM).
 */
char *dbsql_create_fence(enum dbsql_flavour f, const char *table);

/*
 * Parameters of dbsql_fence_put(): id, name, geometry (WKB, longitude
 * first).
 */
#define DBSQL_FENCE_PUT_PARAMS 3

/*
 * Adds a fence, or replaces the name and polygon of the fence of that
 * id.  Owned, or NULL (ENOMEM).
 */
char *dbsql_fence_put(enum dbsql_flavour f, const char *table);

/*
 * Every fence, by id: id, name, the polygon's WKB (longitude first),
 * created_at.  Owned, or NULL (ENOMEM).
 */
char *dbsql_fence_list(enum dbsql_flavour f, const char *table);

/* Deletes the fence 'id' (borrowed).  Owned, or NULL (ENOMEM). */
char *dbsql_fence_delete(const char *table, const struct locid *id);

/* Reads one row when there is any fence.  Owned, or NULL (ENOMEM). */
char *dbsql_fence_any(const char *table);

/* One position to find in the fences: its WKB (borrowed). */
struct dbsql_spot {
	const unsigned char *wkb;
	size_t len;
};

/*
 * Finds which fences contain each of the 'n' positions (n >= 1) in one
 * statement: rows (k, fence id, fence name or NULL), k the position's
 * index plus 1.  The positions are one JSON array of their WKB in hex,
 * longitude first, made a table by JSON_TABLE (MariaDB 10.6, MySQL
 * 8.0.4) and joined with the fences through their spatial index, whose
 * range the server checks for each position.  (A derived table of one
 * SELECT a position, joined by UNION ALL, costs the server ten times as
 * much to plan.)  Owned, or NULL (ENOMEM).
 */
char *dbsql_fence_hits(enum dbsql_flavour f, const char *table,
    const struct dbsql_spot *spots, size_t n);

/* A read of no row showing the history's columns; owned, or NULL. */
char *dbsql_probe_history(const char *table);

/*
 * A statement that reads no row but shows the table's columns, which it
 * names in the order geoput needs them: its result's metadata tell the
 * kind of id the table keys by.  Owned, or NULL (ENOMEM).
 */
char *dbsql_probe(const char *table);

/* Statement counting the rows of 'table'; owned, or NULL (ENOMEM). */
char *dbsql_count(const char *table);

/* The markers' table, if it does not exist; owned, or NULL (ENOMEM). */
char *dbsql_create_marks(void);

/*
 * True when 'token' is a marker's token: DBSQL_TOKEN_LEN lower-case hex
 * digits, and so safe to write in a statement.
 */
int dbsql_check_token(const char *token);

/* Writes the marker 'token' (checked); owned, or NULL (ENOMEM). */
char *dbsql_mark(const char *token);

/*
 * Counts the markers 'token' (checked), 0 or 1, with a shared lock: a
 * marker written by a transaction still open is waited for, so the count
 * tells how that transaction ended.  Owned, or NULL (ENOMEM).
 */
char *dbsql_mark_find(const char *token);

/*
 * Lists the tokens of markers older than a day, at most 'limit': left by
 * batches whose end went unseen.  A plain read, which waits for no lock.
 * Owned, or NULL (ENOMEM).
 */
char *dbsql_marks_stale(unsigned limit);

/*
 * Deletes the markers of the 'n' tokens (borrowed, checked), each found
 * by the primary key, which locks nothing else.  Owned, or NULL (ENOMEM).
 */
char *dbsql_marks_delete(const char *const *tokens, size_t n);

/*
 * True when error 'errnum' on COMMIT leaves its outcome unknown: the
 * connection failed, or the server stopped, before the answer came.
 */
int dbsql_commit_in_doubt(unsigned errnum);

/*
 * Classifies a server or client error number; 'connecting' says whether it
 * came while connecting (a lost connection is then "unavailable", later a
 * "temporary" failure of that transaction).
 */
enum dbsql_class dbsql_classify(unsigned errnum, int connecting);

#endif
