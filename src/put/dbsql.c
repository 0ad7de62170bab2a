/* dbsql.c - the SQL geoput sends, per flavour, and error meanings. */
#include "dbsql.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exits.h"

/*
 * Error numbers, spelled out here because no one header has them all:
 * client errors (errmsg.h), MariaDB's and MySQL's server errors
 * (mysqld_error.h differs between the two).
 */
enum {
	CR_UNKNOWN_ERROR = 2000,
	CR_MAX_CLIENT = 2999,
	CR_SERVER_GONE = 2006,
	CR_SERVER_LOST = 2013,
	CR_SERVER_LOST_EXT = 2055,
	CR_NET_READ = 5013, /* MariaDB Connector/C */
	CR_NET_WRITE = 5014,
	CR_MARIADB_FIRST = 5000,
	CR_MARIADB_LAST = 5999,
	ER_CON_COUNT = 1040,
	ER_DBACCESS_DENIED = 1044,
	ER_ACCESS_DENIED = 1045,
	ER_NO_DB = 1046,
	ER_BAD_NULL = 1048,
	ER_BAD_DB = 1049,
	ER_SERVER_SHUTDOWN = 1053,
	ER_BAD_FIELD = 1054,
	ER_TABLEACCESS_DENIED = 1142,
	ER_COLUMNACCESS_DENIED = 1143,
	ER_NO_SUCH_TABLE = 1146,
	ER_NET_PACKET_TOO_LARGE = 1153,
	ER_TOO_MANY_USER_CONN = 1203,
	ER_LOCK_WAIT_TIMEOUT = 1205,
	ER_LOCK_DEADLOCK = 1213,
	ER_USER_LIMIT_REACHED = 1226,
	ER_SPECIFIC_ACCESS_DENIED = 1227,
	ER_OPTION_PREVENTS = 1290, /* e.g. --read-only */
	ER_QUERY_INTERRUPTED = 1317,
	ER_CONNECTION_KILLED = 1927, /* MariaDB */
	ER_TRUNCATED_WRONG_VALUE = 1366,
	ER_DATA_TOO_LONG = 1406,
	ER_CANT_CREATE_GEOMETRY = 1416,
	ER_ACCESS_DENIED_NO_PASSWORD = 1698,
	ER_MUST_CHANGE_PASSWORD = 1820,
	ER_MUST_CHANGE_PASSWORD_LOGIN = 1862,
	ER_NO_SUCH_TABLE_IN_ENGINE = 1932,
	ER_GIS_INVALID_DATA = 3037,
	ER_INVALID_GEOJSON_FIRST = 3072, /* MySQL 8: 3072 .. 3075 */
	ER_INVALID_GEOJSON_LAST = 3075,
	ER_LONGITUDE_OUT_OF_RANGE = 3616, /* MySQL 8 */
	ER_LATITUDE_OUT_OF_RANGE = 3617,
	ER_CHECK_CONSTRAINT_VIOLATED = 3819, /* MySQL 8 */
	ER_CONSTRAINT_FAILED = 4025,         /* MariaDB */
	ER_GEOJSON_FIRST = 4048,             /* MariaDB: 4048 .. 4050 */
	ER_GEOJSON_LAST = 4050,
	ER_GEOJSON_EMPTY_COORDINATES = 4076, /* MariaDB */
};

/*
 * The longest statement built: no server takes one larger than the
 * ceiling of max_allowed_packet, 1 GiB.
 */
#define SQL_MAX (1024 * 1024 * 1024)

/* A statement being built; 'ok' turns 0 when it could not grow. */
struct sb {
	struct buf b;
	int ok;
};

static void
sb_init(struct sb *b)
{
	buf_init(&b->b, SQL_MAX);
	b->ok = 1;
}

static void
sb_add(struct sb *b, const char *s)
{
	if (b->ok && buf_appends(&b->b, s) == -1)
		b->ok = 0;
}

/* Adds `name` followed by 'suffix', quoted; names are checked, so they
 * hold no backquote. */
static void
sb_ident_with(struct sb *b, const char *name, const char *suffix)
{
	sb_add(b, "`");
	sb_add(b, name);
	sb_add(b, suffix);
	sb_add(b, "`");
}

static void
sb_ident(struct sb *b, const char *name)
{
	sb_ident_with(b, name, "");
}

/* Hands the statement out (owned), or NULL with errno ENOMEM. */
static char *
sb_take(struct sb *b)
{
	char *s = b->ok ? buf_detach(&b->b, NULL) : NULL;

	if (s == NULL) {
		buf_release(&b->b);
		errno = ENOMEM;
	}
	return s;
}

int
dbsql_exit(enum dbsql_class c)
{
	static const int ex[] = { [DBSQL_UNAVAILABLE] = EX_UNAVAILABLE,
		[DBSQL_DENIED] = EX_NOPERM,
		[DBSQL_SCHEMA] = EX_CONFIG,
		[DBSQL_DATA] = EX_DATAERR,
		[DBSQL_TEMPORARY] = EX_TEMPFAIL,
		[DBSQL_OTHER] = EX_SOFTWARE,
		[DBSQL_UNKNOWN] = EX_IOERR };

	return ex[c];
}

enum dbsql_flavour
dbsql_flavour(const char *server_info, unsigned long version)
{
	if (server_info != NULL && strstr(server_info, "MariaDB") != NULL)
		return DBSQL_MARIADB;
	/* MariaDB 10 and later report versions 100000 and up. */
	if (version >= 100000)
		return DBSQL_MARIADB;
	return version >= 80000 ? DBSQL_MYSQL8 : DBSQL_MYSQL57;
}

const char *
dbsql_flavour_name(enum dbsql_flavour f)
{
	switch (f) {
	case DBSQL_MARIADB:
		return "MariaDB";
	case DBSQL_MYSQL8:
		return "MySQL 8";
	default:
		return "MySQL 5.7";
	}
}

int
dbsql_check_table(const char *name, char *err, size_t errlen)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
	                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	size_t len = strlen(name);

	if (len == 0 || len > DBSQL_TABLE_MAX || strspn(name, ok) != len ||
	    strspn(name, "0123456789") == len) {
		snprintf(err, errlen,
		    "table name must be 1 to %d letters, "
		    "digits or '_', not all digits",
		    DBSQL_TABLE_MAX);
		return -1;
	}
	return 0;
}

/* The geometry column's line, per flavour. */
static void
sb_geom(struct sb *b, enum dbsql_flavour f)
{
	switch (f) {
	case DBSQL_MARIADB:
		sb_add(b, "  `geom` GEOMETRY REF_SYSTEM_ID=4326 NOT NULL,\n");
		break;
	case DBSQL_MYSQL8:
		sb_add(b, "  `geom` GEOMETRY NOT NULL SRID 4326,\n");
		break;
	case DBSQL_MYSQL57:
		sb_add(b, "  `geom` GEOMETRY NOT NULL,\n");
		break;
	}
}

char *
dbsql_create_table(enum dbsql_flavour f, const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "CREATE TABLE IF NOT EXISTS ");
	sb_ident(&b, table);
	sb_add(&b,
	    " (\n"
	    "  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT "
	    "NULL,\n"
	    "  `user_id` BIGINT UNSIGNED NULL,\n");
	sb_geom(&b, f);
	sb_add(&b,
	    "  `properties` JSON NULL,\n"
	    "  `updated_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
	    " ON UPDATE CURRENT_TIMESTAMP(6),\n"
	    "  PRIMARY KEY (`id`),\n"
	    "  SPATIAL INDEX `geom` (`geom`)\n"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	return sb_take(&b);
}

/* Adds `table_history`. */
static void
sb_history(struct sb *b, const char *table)
{
	sb_ident_with(b, table, DBSQL_HISTORY);
}

char *
dbsql_create_history(enum dbsql_flavour f, const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "CREATE TABLE IF NOT EXISTS ");
	sb_history(&b, table);
	/* An explicit default keeps MySQL from making `time` auto-update. */
	sb_add(&b,
	    " (\n"
	    "  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT "
	    "NULL,\n"
	    "  `time` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
	    "  `user_id` BIGINT UNSIGNED NULL,\n");
	sb_geom(&b, f);
	sb_add(&b,
	    "  `properties` JSON NULL,\n"
	    "  PRIMARY KEY (`id`, `time`),\n"
	    "  KEY `time` (`time`)\n"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	return sb_take(&b);
}

/* The guard of each assignment: the update is not older than the row. */
#define NEWER "IF(VALUES(`updated_at`) >= `updated_at`, "

char *
dbsql_upsert(enum dbsql_flavour f, const char *table, size_t rows, int merge)
{
	const char *row = f == DBSQL_MYSQL8 ?
	    "(?, ?, ST_GeomFromWKB(?, 4326, 'axis-order=long-lat'), ?, ?)" :
	    "(?, ?, ST_GeomFromWKB(?, 4326), ?, ?)";
	struct sb b;

	sb_init(&b);
	sb_add(&b, "INSERT INTO ");
	sb_ident(&b, table);
	sb_add(&b,
	    " (`id`, `user_id`, `geom`, `properties`, `updated_at`)"
	    " VALUES ");
	for (size_t i = 0; i < rows; i++) {
		sb_add(&b, i ? ", " : "");
		sb_add(&b, row);
	}
	sb_add(&b, " ON DUPLICATE KEY UPDATE `user_id` = " NEWER);
	sb_add(&b,
	    merge ? "COALESCE(VALUES(`user_id`), `user_id`)" :
	            "VALUES(`user_id`)");
	sb_add(&b,
	    ", `user_id`), `geom` = " NEWER "VALUES(`geom`), `geom`), "
	    "`properties` = " NEWER);
	sb_add(&b,
	    merge ? "JSON_MERGE_PATCH(COALESCE(`properties`, '{}'), "
	            "VALUES(`properties`))" :
	            "VALUES(`properties`)");
	sb_add(&b,
	    ", `properties`), "
	    "`updated_at` = GREATEST(`updated_at`, VALUES(`updated_at`))");
	return sb_take(&b);
}

/* The columns of each read, in the order db.c expects them. */
static const char probe_columns[] =
    "SELECT `id`, `user_id`, `geom`, `properties`, `updated_at` FROM ";
static const char before_columns[] =
    "SELECT `id`, `user_id`, `properties`, `updated_at`, ";
static const char after_columns[] = "SELECT `id`, `user_id`, ";

char *
dbsql_probe(const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, probe_columns);
	sb_ident(&b, table);
	sb_add(&b, " LIMIT 0");
	return sb_take(&b);
}

char *
dbsql_probe_history(const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b,
	    "SELECT `id`, `time`, `user_id`, `geom`, `properties` FROM ");
	sb_history(&b, table);
	sb_add(&b, " LIMIT 0");
	return sb_take(&b);
}

/* Adds "'text'": an id's bytes need no escaping (locid.h). */
static void
sb_id(struct sb *b, const struct locid *id)
{
	sb_add(b, "'");
	sb_add(b, id->text);
	sb_add(b, "'");
}

/* Adds the WHERE clause of the ids, or of the range lo .. hi. */
static void
sb_where(struct sb *b, const struct locid *const *ids, size_t n, uint64_t lo,
    uint64_t hi)
{
	char num[64];

	if (ids == NULL) {
		snprintf(num, sizeof(num),
		    " WHERE `id` BETWEEN %" PRIu64 " AND %" PRIu64, lo, hi);
		sb_add(b, num);
		return;
	}
	sb_add(b, " WHERE `id` IN (");
	for (size_t i = 0; i < n; i++) {
		sb_add(b, i ? ", " : "");
		sb_id(b, ids[i]);
	}
	sb_add(b, ")");
}

/* Adds the geometry's WKB, longitude first. */
static void
sb_wkb(struct sb *b, enum dbsql_flavour f)
{
	sb_add(b,
	    f == DBSQL_MYSQL8 ? "ST_AsWKB(`geom`, 'axis-order=long-lat')" :
	                        "ST_AsWKB(`geom`)");
}

char *
dbsql_read(enum dbsql_flavour f, const char *table, enum dbsql_read kind,
    int locked, const struct locid *const *ids, size_t n, uint64_t lo,
    uint64_t hi)
{
	struct sb b;

	sb_init(&b);
	if (kind == DBSQL_BEFORE) {
		sb_add(&b, before_columns);
		sb_wkb(&b, f);
	} else {
		sb_add(&b, after_columns);
		sb_wkb(&b, f);
		sb_add(&b, ", `properties`, `updated_at`");
	}
	sb_add(&b, " FROM ");
	sb_ident(&b, table);
	sb_where(&b, ids, n, lo, hi);
	if (kind == DBSQL_BEFORE)
		sb_add(&b, " FOR UPDATE");
	else if (locked)
		sb_add(&b, " LOCK IN SHARE MODE");
	return sb_take(&b);
}

char *
dbsql_history(const char *table, const struct locid *const *ids, size_t n,
    uint64_t lo, uint64_t hi)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "INSERT INTO ");
	sb_history(&b, table);
	sb_add(&b,
	    " (`id`, `time`, `user_id`, `geom`, `properties`) "
	    "SELECT `id`, `updated_at`, `user_id`, `geom`, `properties` "
	    "FROM ");
	sb_ident(&b, table);
	sb_where(&b, ids, n, lo, hi);
	sb_add(&b,
	    " ON DUPLICATE KEY UPDATE `user_id` = VALUES(`user_id`), "
	    "`geom` = VALUES(`geom`), `properties` = VALUES(`properties`)");
	return sb_take(&b);
}

/* Adds `table_fence`. */
static void
sb_fence(struct sb *b, const char *table)
{
	sb_ident_with(b, table, DBSQL_FENCE);
}

char *
dbsql_create_fence(enum dbsql_flavour f, const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "CREATE TABLE IF NOT EXISTS ");
	sb_fence(&b, table);
	sb_add(&b,
	    " (\n"
	    "  `id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT "
	    "NULL,\n"
	    "  `name` VARCHAR(255) NULL,\n");
	sb_geom(&b, f);
	/* An explicit default keeps MySQL from making it auto-update. */
	sb_add(&b,
	    "  `created_at` TIMESTAMP(6) NOT NULL DEFAULT "
	    "CURRENT_TIMESTAMP(6),\n"
	    "  PRIMARY KEY (`id`),\n"
	    "  SPATIAL INDEX `geom` (`geom`)\n"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	return sb_take(&b);
}

char *
dbsql_fence_put(enum dbsql_flavour f, const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "INSERT INTO ");
	sb_fence(&b, table);
	sb_add(&b, " (`id`, `name`, `geom`) VALUES (?, ?, ");
	sb_add(&b,
	    f == DBSQL_MYSQL8 ?
	        "ST_GeomFromWKB(?, 4326, 'axis-order=long-lat'))" :
	        "ST_GeomFromWKB(?, 4326))");
	sb_add(&b,
	    " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), "
	    "`geom` = VALUES(`geom`)");
	return sb_take(&b);
}

char *
dbsql_fence_list(enum dbsql_flavour f, const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "SELECT `id`, `name`, ");
	sb_wkb(&b, f);
	sb_add(&b, ", `created_at` FROM ");
	sb_fence(&b, table);
	sb_add(&b, " ORDER BY `id`");
	return sb_take(&b);
}

char *
dbsql_fence_delete(const char *table, const struct locid *id)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "DELETE FROM ");
	sb_fence(&b, table);
	sb_add(&b, " WHERE `id` = ");
	sb_id(&b, id);
	return sb_take(&b);
}

char *
dbsql_fence_any(const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "SELECT 1 FROM ");
	sb_fence(&b, table);
	sb_add(&b, " LIMIT 1");
	return sb_take(&b);
}

/* Adds the bytes in hex, digits that need no escaping in any literal. */
static void
sb_hex(struct sb *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char pair[3] = { 0 };

	for (size_t i = 0; i < n; i++) {
		pair[0] = digits[p[i] >> 4];
		pair[1] = digits[p[i] & 15];
		sb_add(b, pair);
	}
}

char *
dbsql_fence_hits(enum dbsql_flavour f, const char *table,
    const struct dbsql_spot *spots, size_t n)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "SELECT `j`.`k`, `f`.`id`, `f`.`name` FROM JSON_TABLE('[");
	for (size_t i = 0; i < n; i++) {
		sb_add(&b, i ? ",\"" : "\"");
		sb_hex(&b, spots[i].wkb, spots[i].len);
		sb_add(&b, "\"");
	}
	sb_add(&b,
	    "]', '$[*]' COLUMNS (`k` FOR ORDINALITY, `w` LONGTEXT PATH '$')) "
	    "AS `j` JOIN ");
	sb_fence(&b, table);
	sb_add(&b,
	    f == DBSQL_MYSQL8 ?
	        " AS `f` ON ST_Contains(`f`.`geom`, ST_GeomFromWKB("
	        "UNHEX(`j`.`w`), 4326, 'axis-order=long-lat'))" :
	        " AS `f` ON ST_Contains(`f`.`geom`, ST_GeomFromWKB("
	        "UNHEX(`j`.`w`), 4326))");
	return sb_take(&b);
}

char *
dbsql_count(const char *table)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "SELECT COUNT(*) FROM ");
	sb_ident(&b, table);
	return sb_take(&b);
}

char *
dbsql_create_marks(void)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "CREATE TABLE IF NOT EXISTS ");
	sb_ident(&b, DBSQL_MARKS);
	sb_add(&b,
	    " (\n"
	    "  `token` CHAR(32) CHARACTER SET ascii NOT NULL,\n"
	    "  `created_at` TIMESTAMP(6) NOT NULL DEFAULT "
	    "CURRENT_TIMESTAMP(6),\n"
	    "  PRIMARY KEY (`token`),\n"
	    "  KEY `created_at` (`created_at`)\n"
	    ") ENGINE=InnoDB");
	return sb_take(&b);
}

int
dbsql_check_token(const char *token)
{
	return strlen(token) == DBSQL_TOKEN_LEN &&
	    strspn(token, "0123456789abcdef") == DBSQL_TOKEN_LEN;
}

/* Adds "'token'". */
static void
sb_token(struct sb *b, const char *token)
{
	sb_add(b, "'");
	sb_add(b, token);
	sb_add(b, "'");
}

char *
dbsql_mark(const char *token)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "INSERT INTO ");
	sb_ident(&b, DBSQL_MARKS);
	sb_add(&b, " (`token`) VALUES (");
	sb_token(&b, token);
	sb_add(&b, ")");
	return sb_take(&b);
}

char *
dbsql_mark_find(const char *token)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "SELECT COUNT(*) FROM ");
	sb_ident(&b, DBSQL_MARKS);
	sb_add(&b, " WHERE `token` = ");
	sb_token(&b, token);
	sb_add(&b, " LOCK IN SHARE MODE");
	return sb_take(&b);
}

char *
dbsql_marks_stale(unsigned limit)
{
	struct sb b;
	char num[24];

	sb_init(&b);
	sb_add(&b, "SELECT `token` FROM ");
	sb_ident(&b, DBSQL_MARKS);
	snprintf(num, sizeof(num), "%u", limit);
	sb_add(&b,
	    " WHERE `created_at` < CURRENT_TIMESTAMP(6) - INTERVAL 1 DAY "
	    "LIMIT ");
	sb_add(&b, num);
	return sb_take(&b);
}

char *
dbsql_marks_delete(const char *const *tokens, size_t n)
{
	struct sb b;

	sb_init(&b);
	sb_add(&b, "DELETE FROM ");
	sb_ident(&b, DBSQL_MARKS);
	sb_add(&b, " WHERE `token` IN (");
	for (size_t i = 0; i < n; i++) {
		sb_add(&b, i ? ", " : "");
		sb_token(&b, tokens[i]);
	}
	sb_add(&b, ")");
	return sb_take(&b);
}

int
dbsql_commit_in_doubt(unsigned errnum)
{
	switch (errnum) {
	case ER_SERVER_SHUTDOWN:
	case ER_QUERY_INTERRUPTED:
	case ER_CONNECTION_KILLED:
		return 1;
	}
	/* Any client-side error: the server's answer was not read. */
	return (errnum >= CR_UNKNOWN_ERROR && errnum <= CR_MAX_CLIENT) ||
	    (errnum >= CR_MARIADB_FIRST && errnum <= CR_MARIADB_LAST);
}

enum dbsql_class
dbsql_classify(unsigned errnum, int connecting)
{
	switch (errnum) {
	case ER_ACCESS_DENIED:
	case ER_DBACCESS_DENIED:
	case ER_TABLEACCESS_DENIED:
	case ER_COLUMNACCESS_DENIED:
	case ER_SPECIFIC_ACCESS_DENIED:
	case ER_ACCESS_DENIED_NO_PASSWORD:
	case ER_MUST_CHANGE_PASSWORD:
	case ER_MUST_CHANGE_PASSWORD_LOGIN:
	case ER_OPTION_PREVENTS:
		return DBSQL_DENIED;
	case ER_NO_SUCH_TABLE:
	case ER_NO_SUCH_TABLE_IN_ENGINE:
	case ER_BAD_DB:
	case ER_NO_DB:
	case ER_BAD_FIELD:
		return DBSQL_SCHEMA;
	case ER_BAD_NULL:
	case ER_TRUNCATED_WRONG_VALUE:
	case ER_DATA_TOO_LONG:
	case ER_CANT_CREATE_GEOMETRY:
	case ER_GIS_INVALID_DATA:
	case ER_LONGITUDE_OUT_OF_RANGE:
	case ER_LATITUDE_OUT_OF_RANGE:
	case ER_CHECK_CONSTRAINT_VIOLATED:
	case ER_CONSTRAINT_FAILED:
	case ER_NET_PACKET_TOO_LARGE:
	case ER_GEOJSON_EMPTY_COORDINATES:
		return DBSQL_DATA;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
	case ER_QUERY_INTERRUPTED:
	case ER_CON_COUNT:
	case ER_TOO_MANY_USER_CONN:
	case ER_USER_LIMIT_REACHED:
		return DBSQL_TEMPORARY;
	case ER_SERVER_SHUTDOWN:
	case CR_SERVER_GONE:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXT:
	case CR_NET_READ:
	case CR_NET_WRITE:
		return connecting ? DBSQL_UNAVAILABLE : DBSQL_TEMPORARY;
	}
	if ((errnum >= ER_INVALID_GEOJSON_FIRST &&
	        errnum <= ER_INVALID_GEOJSON_LAST) ||
	    (errnum >= ER_GEOJSON_FIRST && errnum <= ER_GEOJSON_LAST))
		return DBSQL_DATA;
	/* Any other client-side error while connecting: no server. */
	if (connecting && errnum >= CR_UNKNOWN_ERROR &&
	    errnum <= CR_MAX_CLIENT)
		return DBSQL_UNAVAILABLE;
	return DBSQL_OTHER;
}
