/*
 * db.h - geoput's connection to MySQL or MariaDB (the MySQL C API).
 * Owns: connecting (given parameters, then the option files' [client] and
 * [geoput] groups, then the library's defaults), timeouts, creating and
 * probing the schema, the statements of a batch inside one transaction
 * (rows read before and after the upsert, the upsert, the history), and
 * finding out how a transaction whose COMMIT got no answer ended.  The
 * session reads committed data (READ COMMITTED), so that locking the
 * rows a batch reads takes no gap locks that concurrent inserts would
 * deadlock on; where the server cannot log that (binlog_format
 * STATEMENT), it keeps REPEATABLE READ and reads the rows after the
 * upsert with a lock.  Never prints: a failure leaves a message
 * and its class (dbsql.h) in the struct.  The SQL itself is in dbsql.h.
 *
 * A lost COMMIT: when the connection fails once COMMIT is sent, the
 * server may have committed or not.  So each transaction writes first a
 * marker, a row of random token in its own table (dbsql.h), and a COMMIT
 * without an answer is followed by a new connection that looks for it.
 * Markers are deleted once the end of their batch is known.
 */
#ifndef GEOROOM_DB_H
#define GEOROOM_DB_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "buf.h"
#include "dbsql.h"

/* The option-file group read besides [client]. */
#define DB_GROUP "geoput"

/* Rows per statement, and bytes of GeoJSON and properties per statement. */
#define DB_BATCH_ROWS 1000
#define DB_BATCH_BYTES (1024 * 1024)

struct db_config {
	const char *host; /* each borrowed; NULL: from the option files */
	const char *user;
	const char *password;
	const char *database;
	const char *socket;
	unsigned port;     /* 0: from the option files or 3306 */
	unsigned timeout;  /* seconds, for connect, each read, each write */
	const char *table; /* checked with dbsql_check_table() */
};

/* What db_connect() was given, copied, to connect again. */
struct db_params {
	char *host; /* each owned, or NULL */
	char *user;
	char *password;
	char *database;
	char *socket;
	unsigned port;
	unsigned timeout;
};

/* The kind of id a table keys by (dbsql.h): text, or an older integer. */
enum db_ids {
	DB_IDS_TEXT,
	DB_IDS_INT,
};

struct db {
	MYSQL *my; /* owned; NULL when closed */
	struct db_params params;
	enum dbsql_flavour flavour;
	enum db_ids ids;  /* known once db_probe() succeeded */
	int locked_reads; /* reads after the upsert lock (no READ COMMITTED) */
	int64_t now;      /* the server's time at db_begin(), microseconds */
	char table[DBSQL_TABLE_MAX + 1];
	MYSQL_STMT *full[2]; /* owned: upserts of DB_BATCH_ROWS rows, by merge */
	enum dbsql_class err_class; /* of the last failure */
	unsigned err_num; /* its server or client error number, or 0 */
	char err[512];    /* its message */
	char token[DBSQL_TOKEN_LEN + 1]; /* the batch's marker; "" for none */
	char no_mark[256];               /* why the batch has no marker */
	char note[512]; /* set when a lost COMMIT was found to have worked */
};

/* One row to store; the id and the strings (JSON texts) are borrowed. */
struct db_row {
	const struct locid *id; /* an integer id when db->ids is DB_IDS_INT */
	uint64_t user;          /* 0: NULL */
	int64_t time;           /* updated_at: microseconds since the epoch */
	const char *geometry;   /* WKB (wkb.h) */
	size_t geometry_len;
	const char *properties;
	size_t properties_len;
};

/*
 * A row as a read found it.  Its texts are in an arena the caller passes
 * (a struct buf), as offsets, since the arena moves as it grows.
 */
struct db_seen {
	int found;                      /* 0: no such row */
	uint64_t user;                  /* 0: NULL */
	int64_t updated_at;             /* microseconds since the epoch */
	size_t geom_at, geom_len;       /* the geometry's WKB */
	size_t props_at, props_len;     /* the properties' JSON, no blanks */
	size_t feature_at, feature_len; /* after the upsert: the Feature */
};

/* Connects.  Returns 0, or -1 (see db->err, db->err_class). */
int db_connect(struct db *db, const struct db_config *cfg);

/*
 * Connects to the database 'url' names (borrowed, dburl.h; NULL: the
 * option files and the library's defaults), taken from the variable
 * 'url_env' (NULL: from --db), with 'timeout' seconds for each wait and
 * table 'table' (checked).  Returns 0, or -1 with the reason in db->err.
 * A URL that could not be parsed (nothing was tried) sets *bad_url to the
 * exit status for it, EX_CONFIG from the environment and EX_USAGE from
 * the command line, and db->err names where it came from; otherwise
 * *bad_url is 0 and the connection failed (db->err_class).
 */
int db_connect_url(struct db *db, const char *url, const char *url_env,
    unsigned timeout, const char *table, int *bad_url);

/*
 * Creates the table, its history, its fences and the markers' table when
 * missing,
 * and checks the table's columns (db_probe()).  0 or -1.
 */
int db_init_schema(struct db *db);

/*
 * Looks at the table's columns, and the history's when 'history': sets
 * db->ids.  A table or a column missing is DBSQL_SCHEMA; so are a text
 * id column that does not compare byte for byte ("B-12" and "b-12" are
 * two ids) and an updated_at not to the microsecond.  0 or -1.
 */
int db_probe(struct db *db, int history);

/*
 * Starts the transaction, reads the server's time into db->now and
 * writes the batch's marker, creating the markers' table when it is
 * missing; when it cannot be created or written (the account may only
 * write the locations), the batch goes on without.  0 or -1.
 */
int db_begin(struct db *db);

/*
 * Reads the rows of the 'n' distinct ids of 'rows' (borrowed) for 'kind'
 * (dbsql.h) into seen[i], their bytes appended to 'arena'; after the
 * upsert with a lock when db->locked_reads.  After the upsert a row's
 * Feature is assembled from what the server holds, the geometry from its
 * WKB (wkb.h), the properties the column's JSON text, rather than parsed
 * and printed again, on one line:
 *   {"type":"Feature","id":ID,"geometry":{...},"properties":{...},
 *    "userId":N|null,"updated_at":"2026-11-25T10:00:00.123456Z"}
 * where ID is written as locid.h says (42, "B-12").  0 or -1.
 */
int db_read(struct db *db, enum dbsql_read kind, const struct db_row *rows,
    size_t n, struct db_seen *seen, struct buf *arena);

/*
 * Upserts 'n' rows (borrowed, distinct ids, n <= DB_BATCH_ROWS) in one
 * statement, merging when 'merge' (dbsql.h).  Sets *inserted (may be
 * NULL) to how many rows were new, as the server tells: its affected rows
 * count 1 a row inserted, 2 a row changed, 0 one left as it was, and its
 * "Duplicates" the rows changed.  0 or -1; after -1 the caller rolls
 * back.
 */
int db_upsert(struct db *db, const struct db_row *rows, size_t n, int merge,
    size_t *inserted);

/*
 * Marks the transaction's state ('undo' 0), or goes back to the mark
 * ('undo' 1), undoing what came after it.  0 or -1.
 */
int db_savepoint(struct db *db, int undo);

/*
 * Copies into the history the stored rows of those of the 'n' rows
 * (borrowed) whose pick[i] is set.  0 or -1.
 */
int db_history(struct db *db, const struct db_row *rows, const char *pick,
    size_t n);

/* Creates the fences' table when it is missing (dbsql.h).  0 or -1. */
int db_fence_create(struct db *db);

/*
 * Adds fence 'id' (borrowed), or replaces the name and polygon of the
 * fence of that id: 'name' (borrowed, NULL for none) and the 'len' bytes
 * of WKB at 'wkb'.  The server may refuse the polygon (DBSQL_DATA).
 * 0 or -1.
 */
int db_fence_put(struct db *db, const struct locid *id, const char *name,
    const char *wkb, size_t len);

/* One fence as read; everything borrowed for the call only. */
struct db_fence {
	const char *id;
	size_t id_len;
	const char *name; /* NULL: none */
	size_t name_len;
	const unsigned char *wkb; /* the polygon, longitude first */
	size_t wkb_len;
	int64_t created_at; /* microseconds since the epoch */
};

/* Told of each fence db_fence_list() reads. */
typedef void db_fence_fn(void *ctx, const struct db_fence *f);

/* Calls 'fn' for every fence, by id.  0 or -1. */
int db_fence_list(struct db *db, db_fence_fn *fn, void *ctx);

/* Deletes fence 'id' (borrowed); *found tells whether it was.  0 or -1. */
int db_fence_remove(struct db *db, const struct locid *id, int *found);

/* What a batch has to look for. */
enum db_fences {
	DB_FENCES_NONE,      /* no fences' table (an older --init-db), or
			      * an empty one */
	DB_FENCES_SOME,      /* at least one fence */
	DB_FENCES_UNREADABLE /* the account may not read the fences */
};

/*
 * Sets *found to whether there is a fence: one cheap read, so that a
 * batch with no fence to look for pays nothing more.  0 or -1.
 */
int db_fence_any(struct db *db, enum db_fences *found);

/*
 * Told of each fence containing position 'k' of a db_fence_hits() call:
 * its id, 'len' bytes at 'fence', and its name, 'name_len' bytes at
 * 'name' (NULL: it has none), all borrowed for the call only.  Returns
 * 0, or -1 to stop (out of memory).
 */
typedef int db_hit_fn(void *ctx, size_t k, const char *fence, size_t len,
    const char *name, size_t name_len);

/*
 * Finds, in one statement, the fences containing each of the 'n'
 * positions (borrowed, n <= DB_BATCH_ROWS): 'fn' is called for each
 * (position, fence).  0 or -1.
 */
int db_fence_hits(struct db *db, const struct dbsql_spot *spots, size_t n,
    db_hit_fn *fn, void *ctx);

/*
 * Commits, and deletes the marker.  When the COMMIT gets no answer,
 * connects again and looks for the marker: 0 when it is there, with what
 * happened in db->note; -1 with class DBSQL_TEMPORARY when it is not
 * (nothing written), DBSQL_UNKNOWN when that cannot be told (no marker,
 * or no server to ask).  Otherwise 0, or -1 (nothing written).
 */
int db_commit(struct db *db);

/* Rolls back, ignoring errors (the connection may be gone). */
void db_rollback(struct db *db);

/* Closes the connection and frees 'db'; it may be closed twice. */
void db_close(struct db *db);

#endif
