/*
 * db.h - geoput's connection to MySQL or MariaDB (the MySQL C API).
 * Owns: connecting (given parameters, then the option files' [client] and
 * [geoput] groups, then the library's defaults), timeouts, creating the
 * schema, the batch upsert inside one transaction and reading each stored
 * row back as a GeoJSON Feature.  Never prints: a failure leaves a message
 * and its class (dbsql.h) in the struct.  The SQL itself is in dbsql.h.
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

struct db {
	MYSQL *my; /* owned; NULL when closed */
	enum dbsql_flavour flavour;
	char table[DBSQL_TABLE_MAX + 1];
	MYSQL_STMT *full; /* owned: the upsert of DB_BATCH_ROWS rows */
	enum dbsql_class err_class; /* of the last failure */
	unsigned err_num; /* its server or client error number, or 0 */
	char err[512];    /* its message */
};

/* One row to store; the strings are borrowed JSON texts. */
struct db_row {
	uint64_t id;
	uint64_t user; /* 0: NULL */
	const char *geometry;
	size_t geometry_len;
	const char *properties;
	size_t properties_len;
};

/* Connects.  Returns 0, or -1 (see db->err, db->err_class). */
int db_connect(struct db *db, const struct db_config *cfg);

/* Creates the table when missing and checks its columns.  0 or -1. */
int db_init_schema(struct db *db);

/* Starts the transaction.  0 or -1. */
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
 * or jv_null() when there is no such row.  The text is assembled from the
 * server's JSON (ST_AsGeoJSON, the properties column), not parsed and
 * printed again: reading back stays cheap for large batches.  Returns 0,
 * or -1 with every out[i] jv_null().
 */
int db_fetch(struct db *db, const uint64_t *ids, size_t n, jv *out);

/* Commits.  0 or -1. */
int db_commit(struct db *db);

/* Rolls back, ignoring errors (the connection may be gone). */
void db_rollback(struct db *db);

/* Closes the connection; 'db' may be closed twice. */
void db_close(struct db *db);

#endif
