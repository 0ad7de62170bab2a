/*
 * db.h - geoput's connection to MySQL or MariaDB (the MySQL C API).
 * Owns: connecting (given parameters, then the option files' [client] and
 * [geoput] groups, then the library's defaults), timeouts, creating the
 * schema, the batch upsert inside one transaction, reading each stored
 * row back as a GeoJSON Feature, and finding out how a transaction whose
 * COMMIT got no answer ended.  Never prints: a failure leaves a message
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

#include <jv.h>
#include <mysql.h>

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
	enum db_ids ids; /* known once db_probe() succeeded */
	char table[DBSQL_TABLE_MAX + 1];
	MYSQL_STMT *full; /* owned: the upsert of DB_BATCH_ROWS rows */
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
	const char *geometry;
	size_t geometry_len;
	const char *properties;
	size_t properties_len;
};

/* Connects.  Returns 0, or -1 (see db->err, db->err_class). */
int db_connect(struct db *db, const struct db_config *cfg);

/*
 * Creates the table and that of the markers when missing, and checks the
 * table's columns.  0 or -1.
 */
int db_init_schema(struct db *db);

/*
 * Looks at the table's columns: sets db->ids.  A table missing, or a
 * column, is DBSQL_SCHEMA; so is a text id column that does not compare
 * byte for byte ("B-12" and "b-12" are two ids).  0 or -1.
 */
int db_probe(struct db *db);

/*
 * Starts the transaction and writes its marker, creating the markers'
 * table when it is missing; when it cannot be created or written (the
 * account may only write the locations), the batch goes on without.  0
 * or -1.
 */
int db_begin(struct db *db);

/*
 * Upserts 'n' rows (borrowed) in as few statements as the batch limits
 * allow.  Returns 0 or -1; after -1 the caller rolls back.
 */
int db_upsert(struct db *db, const struct db_row *rows, size_t n);

/*
 * Reads back the rows of 'n' ids (borrowed, distinct): out[i] (owned)
 * becomes a jv string holding the JSON text, on one line, of the Feature
 * stored under ids[i]:
 *   {"type":"Feature","id":ID,"geometry":{...},"properties":{...},
 *    "userId":N|null,"updated_at":"2026-11-25T10:00:00.123456Z"}
 * where ID is written as locid.h says (42, "B-12")
 * or jv_null() when there is no such row.  The text is assembled from the
 * server's JSON (ST_AsGeoJSON, the properties column), not parsed and
 * printed again: reading back stays cheap for large batches.  Returns 0,
 * or -1 with every out[i] jv_null().
 */
int db_fetch(struct db *db, const struct locid *const *ids, size_t n, jv *out);

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
