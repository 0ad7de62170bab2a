/* db.c - geoput's connection to MySQL or MariaDB (the MySQL C API). */
#include "db.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "buf.h"
#include "dburl.h"
#include "exits.h"
#include "rowjson.h"
#include "stamp.h"

/* Markers over a day old deleted by one run, at most. */
#define STALE_MARKS 100

/* The client's own error for a statement it could not build. */
#define CR_OUT_OF_MEMORY 2008

static int fail(struct db *db, enum dbsql_class c, unsigned num,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct db *db, enum dbsql_class c, unsigned num, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	db->err_class = c;
	db->err_num = num;
	return -1;
}

/* A failure of the connection 'db->my', with its message. */
static int
fail_my(struct db *db, int connecting, const char *what)
{
	unsigned num = mysql_errno(db->my);

	return fail(db, dbsql_classify(num, connecting), num, "%s: %s", what,
	    mysql_error(db->my));
}

static int
fail_stmt(struct db *db, MYSQL_STMT *st, const char *what)
{
	unsigned num = mysql_stmt_errno(st);

	return fail(db, dbsql_classify(num, 0), num, "%s: %s", what,
	    mysql_stmt_error(st));
}

/* Copies 's' (borrowed, may be NULL) into *to; 0, or -1 (ENOMEM). */
static int
copy_param(char **to, const char *s)
{
	*to = s != NULL ? strdup(s) : NULL;
	return s != NULL && *to == NULL ? -1 : 0;
}

static void
free_param(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
	}
	*p = NULL;
}

static void
params_release(struct db_params *p)
{
	free_param(&p->host);
	free_param(&p->user);
	free_param(&p->password);
	free_param(&p->database);
	free_param(&p->socket);
}

/*
 * Chooses READ COMMITTED for the session, unless the server logs
 * statements, which InnoDB refuses for it (db.h).  0, or -1.
 */
static int
isolation(struct db *db)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	int statements;

	if (mysql_query(db->my, "SELECT @@log_bin, @@binlog_format") != 0 ||
	    (res = mysql_store_result(db->my)) == NULL)
		return fail_my(db, 1, "asking how the server logs");
	row = mysql_fetch_row(res);
	statements = row != NULL && row[0] != NULL && row[1] != NULL &&
	    strcmp(row[0], "0") != 0 && strcasecmp(row[1], "STATEMENT") == 0;
	mysql_free_result(res);
	db->locked_reads = statements;
	if (!statements &&
	    mysql_query(db->my,
	        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") != 0)
		return fail_my(db, 1, "setting the isolation level");
	return 0;
}

/* Connects db->my with db->params.  0, or -1 (see db->err). */
static int
connect_my(struct db *db)
{
	const struct db_params *p = &db->params;
	unsigned timeout = p->timeout;

	if ((db->my = mysql_init(NULL)) == NULL)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	/*
	 * The option files ([client] and [geoput] of my.cnf, ~/.my.cnf ...)
	 * are read when connecting; what the caller gives wins.
	 */
	if (mysql_options(db->my, MYSQL_READ_DEFAULT_GROUP, DB_GROUP) != 0 ||
	    mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
	    mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &timeout) != 0 ||
	    mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &timeout) != 0)
		return fail(db, DBSQL_OTHER, 0,
		    "setting connection options "
		    "failed");
	if (mysql_real_connect(db->my, p->host, p->user, p->password,
	        p->database, p->port, p->socket, 0) == NULL)
		return fail_my(db, 1, "cannot connect");
	db->flavour = dbsql_flavour(mysql_get_server_info(db->my),
	    mysql_get_server_version(db->my));
	/* updated_at is read and written in UTC. */
	if (mysql_query(db->my, "SET time_zone = '+00:00'") != 0)
		return fail_my(db, 1, "setting the session time zone");
	return isolation(db);
}

/* Closes the connection, keeping the parameters. */
static void
disconnect(struct db *db)
{
	for (int i = 0; i < 2; i++) {
		if (db->full[i] != NULL)
			mysql_stmt_close(db->full[i]);
		db->full[i] = NULL;
	}
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
}

int
db_connect(struct db *db, const struct db_config *cfg)
{
	memset(db, 0, sizeof(*db));
	snprintf(db->table, sizeof(db->table), "%s", cfg->table);
	db->params.port = cfg->port;
	db->params.timeout = cfg->timeout;
	if (copy_param(&db->params.host, cfg->host) == -1 ||
	    copy_param(&db->params.user, cfg->user) == -1 ||
	    copy_param(&db->params.password, cfg->password) == -1 ||
	    copy_param(&db->params.database, cfg->database) == -1 ||
	    copy_param(&db->params.socket, cfg->socket) == -1)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	return connect_my(db);
}

int
db_connect_url(struct db *db, const char *url, const char *url_env,
    unsigned timeout, const char *table, int *bad_url)
{
	struct db_config cfg;
	struct dburl u;
	char why[256];
	int r;

	*bad_url = 0;
	dburl_init(&u);
	if (url != NULL && dburl_parse(&u, url, why, sizeof(why)) == -1) {
		memset(db, 0, sizeof(*db));
		*bad_url = url_env != NULL ? EX_CONFIG : EX_USAGE;
		return fail(db, DBSQL_OTHER, 0, "%s%s: %s",
		    url_env != NULL ? "$" : "--db",
		    url_env != NULL ? url_env : "", why);
	}
	cfg = (struct db_config){ .host = u.host,
		.user = u.user,
		.password = u.password,
		.database = u.database,
		.socket = u.socket,
		.port = u.port,
		.timeout = timeout,
		.table = table };
	r = db_connect(db, &cfg);
	dburl_release(&u);
	return r;
}

/*
 * Sends 'sql' (taken; NULL when it could not be built) and returns 0, or
 * the error number (CR_OUT_OF_MEMORY when there was no statement), for
 * the statements whose failure is not always the batch's.
 */
static unsigned
query(struct db *db, char *sql)
{
	int r;

	if (sql == NULL)
		return CR_OUT_OF_MEMORY;
	r = mysql_query(db->my, sql);
	free(sql);
	return r == 0 ? 0 : mysql_errno(db->my);
}

/* The message of 'num', which query() returned. */
static const char *
query_error(struct db *db, unsigned num)
{
	return num == CR_OUT_OF_MEMORY && mysql_errno(db->my) == 0 ?
	    "out of memory" :
	    mysql_error(db->my);
}

/* Integer types a key column may have. */
static int
int_type(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT ||
	    t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_LONG ||
	    t == MYSQL_TYPE_LONGLONG;
}

/* Checks the columns of the probe 'sql' (taken) shows; 'what' names it. */
static MYSQL_RES *
probe(struct db *db, char *sql, const char *what)
{
	MYSQL_RES *res;
	unsigned num;

	if ((num = query(db, sql)) != 0) {
		fail(db, dbsql_classify(num, 0), num, "checking %s: %s", what,
		    query_error(db, num));
		return NULL;
	}
	if ((res = mysql_store_result(db->my)) == NULL)
		fail_my(db, 0, what);
	return res;
}

/* A time column to the microsecond, as the guard compares them. */
static int
micro_time(const MYSQL_FIELD *f)
{
	return (f->type == MYSQL_TYPE_TIMESTAMP ||
	           f->type == MYSQL_TYPE_DATETIME) &&
	    f->decimals == 6;
}

int
db_probe(struct db *db, int history)
{
	MYSQL_RES *res;
	MYSQL_FIELD *f;

	if ((res = probe(db, dbsql_probe(db->table), "the table's columns")) ==
	    NULL)
		return -1;
	f = mysql_fetch_field_direct(res, 0);
	if (int_type(f->type)) {
		db->ids = DB_IDS_INT;
	} else if ((f->type == MYSQL_TYPE_VAR_STRING ||
	               f->type == MYSQL_TYPE_STRING ||
	               f->type == MYSQL_TYPE_VARCHAR) &&
	    (f->flags & BINARY_FLAG)) {
		db->ids = DB_IDS_TEXT;
	} else {
		mysql_free_result(res);
		return fail(db, DBSQL_SCHEMA, 0,
		    "column id of table `%s` is neither an integer nor a "
		    "string compared byte for byte (VARCHAR(64) CHARACTER SET "
		    "ascii COLLATE ascii_bin)",
		    db->table);
	}
	f = mysql_fetch_field_direct(res, 4);
	if (!micro_time(f)) {
		mysql_free_result(res);
		return fail(db, DBSQL_SCHEMA, 0,
		    "column updated_at of table `%s` is not a TIMESTAMP(6)",
		    db->table);
	}
	mysql_free_result(res);
	if (!history)
		return 0;
	if ((res = probe(db, dbsql_probe_history(db->table),
	         "the history's columns")) == NULL)
		return -1;
	mysql_free_result(res);
	return 0;
}

int
db_init_schema(struct db *db)
{
	char *sql;
	int r;

	if ((sql = dbsql_create_table(db->flavour, db->table)) == NULL)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	r = mysql_query(db->my, sql);
	free(sql);
	if (r != 0)
		return fail_my(db, 0, "creating the table");
	if (query(db, dbsql_create_history(db->flavour, db->table)) != 0)
		return fail_my(db, 0, "creating the history table");
	if (db_fence_create(db) == -1)
		return -1;
	/* An older table of that name may lack columns. */
	if (db_probe(db, 1) == -1)
		return -1;
	if (query(db, dbsql_create_marks()) != 0)
		return fail_my(db, 0, "creating the table " DBSQL_MARKS);
	return 0;
}

/* A new marker's token: 128 random bits in hex.  0, or -1 (errno). */
static int
new_token(char *token)
{
	unsigned char bits[DBSQL_TOKEN_LEN / 2];
	ssize_t n;

	do
		n = getrandom(bits, sizeof(bits), 0);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(bits)) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	for (size_t i = 0; i < sizeof(bits); i++)
		snprintf(token + 2 * i, 3, "%02x", bits[i]);
	return 0;
}

/*
 * Writes the batch's marker, the transaction's first row, and creates its
 * table first when it is missing (outside the transaction, then started
 * again: it holds nothing yet).  A batch without a marker, when the
 * table cannot be created or written, is stored all the same; only a lost
 * COMMIT then stays unknown (db->no_mark says why).  Returns -1 when the
 * transaction failed, as on a lost connection or a deadlock.
 */
static int
mark(struct db *db)
{
	char token[DBSQL_TOKEN_LEN + 1];
	unsigned num;

	if (new_token(token) == -1) {
		snprintf(db->no_mark, sizeof(db->no_mark),
		    "no random bytes: %s", strerror(errno));
		return 0;
	}
	num = query(db, dbsql_mark(token));
	if (num != 0 && dbsql_classify(num, 0) == DBSQL_SCHEMA) {
		if (mysql_query(db->my, "ROLLBACK") != 0)
			return fail_my(db, 0,
			    "creating the table " DBSQL_MARKS);
		if ((num = query(db, dbsql_create_marks())) != 0)
			snprintf(db->no_mark, sizeof(db->no_mark),
			    "creating the table " DBSQL_MARKS ": %s",
			    query_error(db, num));
		if (mysql_query(db->my, "START TRANSACTION") != 0)
			return fail_my(db, 0, "starting the transaction");
		if (num != 0)
			return 0;
		num = query(db, dbsql_mark(token));
	}
	if (num == 0) {
		memcpy(db->token, token, sizeof(db->token));
		return 0;
	}
	if (dbsql_classify(num, 0) == DBSQL_TEMPORARY)
		return fail_my(db, 0, "writing the batch's marker");
	snprintf(db->no_mark, sizeof(db->no_mark),
	    "writing it in " DBSQL_MARKS ": %s", query_error(db, num));
	return 0;
}

/* Reads the server's time, in UTC, into db->now.  0 or -1. */
static int
server_now(struct db *db)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long *len;
	int r = -1;

	if (mysql_query(db->my, "SELECT CURRENT_TIMESTAMP(6)") != 0 ||
	    (res = mysql_store_result(db->my)) == NULL)
		return fail_my(db, 0, "reading the server's time");
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL &&
	    (len = mysql_fetch_lengths(res)) != NULL &&
	    stamp_parse_sql(row[0], len[0], &db->now) == 0)
		r = 0;
	mysql_free_result(res);
	if (r == -1)
		return fail(db, DBSQL_OTHER, 0,
		    "reading the server's time: not a time");
	return 0;
}

int
db_begin(struct db *db)
{
	db->token[0] = '\0';
	db->no_mark[0] = '\0';
	db->note[0] = '\0';
	if (mysql_query(db->my, "START TRANSACTION") != 0)
		return fail_my(db, 0, "starting the transaction");
	if (server_now(db) == -1)
		return -1;
	return mark(db);
}

static MYSQL_STMT *
prepare(struct db *db, size_t rows, int merge)
{
	MYSQL_STMT *st;
	char *sql;

	if ((st = mysql_stmt_init(db->my)) == NULL) {
		fail_my(db, 0, "preparing the upsert");
		return NULL;
	}
	if ((sql = dbsql_upsert(db->flavour, db->table, rows, merge)) ==
	    NULL) {
		mysql_stmt_close(st);
		fail(db, DBSQL_OTHER, 0, "out of memory");
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fail_stmt(db, st, "preparing the upsert");
		mysql_stmt_close(st);
		st = NULL;
	}
	free(sql);
	return st;
}

/* Binds a string parameter of 'n' bytes at 's'; *len holds its length. */
static void
bind_text(MYSQL_BIND *p, const char *s, size_t n, unsigned long *len)
{
	*len = n;
	p->buffer_type = MYSQL_TYPE_STRING;
	p->buffer = (void *)s;
	p->buffer_length = n;
	p->length = len;
}

int
db_upsert(struct db *db, const struct db_row *rows, size_t n, int merge,
    size_t *inserted)
{
	MYSQL_STMT *st, **cached = &db->full[merge ? 1 : 0];
	MYSQL_BIND *b = NULL;
	MYSQL_TIME *when = NULL;
	unsigned long *len = NULL;
	int r = -1;

	if (n == DB_BATCH_ROWS && *cached != NULL)
		st = *cached;
	else if ((st = prepare(db, n, merge)) == NULL)
		return -1;
	if (n == DB_BATCH_ROWS)
		*cached = st;
	b = calloc(n * DBSQL_UPSERT_PARAMS, sizeof(*b));
	len = calloc(n * 3, sizeof(*len));
	when = calloc(n, sizeof(*when));
	if (b == NULL || len == NULL || when == NULL) {
		fail(db, DBSQL_OTHER, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *p = &b[i * DBSQL_UPSERT_PARAMS];
		const struct db_row *w = &rows[i];
		struct stamp_parts t;

		if (db->ids == DB_IDS_INT) {
			p[0].buffer_type = MYSQL_TYPE_LONGLONG;
			p[0].buffer = (void *)&w->id->num;
			p[0].is_unsigned = 1;
		} else {
			bind_text(&p[0], w->id->text, w->id->len, &len[3 * i]);
		}
		if (w->user != 0) {
			p[1].buffer_type = MYSQL_TYPE_LONGLONG;
			p[1].buffer = (void *)&w->user;
			p[1].is_unsigned = 1;
		} else {
			p[1].buffer_type = MYSQL_TYPE_NULL;
		}
		/* WKB: bytes, not text in the connection's character set. */
		bind_text(&p[2], w->geometry, w->geometry_len,
		    &len[3 * i + 1]);
		p[2].buffer_type = MYSQL_TYPE_BLOB;
		bind_text(&p[3], w->properties, w->properties_len,
		    &len[3 * i + 2]);
		/* In the session's time zone, UTC. */
		stamp_split(w->time, &t);
		when[i].year = (unsigned)t.year;
		when[i].month = (unsigned)t.month;
		when[i].day = (unsigned)t.day;
		when[i].hour = (unsigned)t.hour;
		when[i].minute = (unsigned)t.minute;
		when[i].second = (unsigned)t.second;
		when[i].second_part = (unsigned long)t.micro;
		when[i].time_type = MYSQL_TIMESTAMP_DATETIME;
		p[4].buffer_type = MYSQL_TYPE_TIMESTAMP;
		p[4].buffer = &when[i];
	}
	if (mysql_stmt_bind_param(st, b) != 0) {
		fail_stmt(db, st, "binding the upsert");
		goto out;
	}
	if (mysql_stmt_execute(st) != 0) {
		fail_stmt(db, st, "upserting");
		goto out;
	}
	if (inserted != NULL) {
		const char *info = mysql_info(db->my), *dup;
		unsigned long long affected = mysql_stmt_affected_rows(st);
		unsigned long long changed;

		/* Not told: as if none were new, which asks for no more. */
		*inserted = 0;
		if (info != NULL &&
		    (dup = strstr(info, "Duplicates: ")) != NULL &&
		    (changed = strtoull(dup + 12, NULL, 10)) * 2 <= affected)
			*inserted = (size_t)(affected - changed * 2);
	}
	r = 0;
out:
	if (st != *cached)
		mysql_stmt_close(st);
	free(b);
	free(len);
	free(when);
	return r;
}

int
db_savepoint(struct db *db, int undo)
{
	if (mysql_query(db->my,
	        undo ? "ROLLBACK TO SAVEPOINT chunk" : "SAVEPOINT chunk") != 0)
		return fail_my(db, 0, "marking the transaction");
	return 0;
}

/* The rows of a read, sorted by id, to match the result's rows to. */
struct slot {
	const struct locid *id;
	size_t at;
};

static int
slot_cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return locid_cmp(x->id, y->id);
}

/*
 * The statement selecting the 'n' rows sorted in 's' for 'kind', or
 * inserting them into the history when 'history': a range of the
 * primary key when the table keys by integers and the ids are all of
 * them from the first to the last (no other row is read or locked), else
 * an IN list.  Owned, or NULL (ENOMEM).
 */
static char *
rows_sql(struct db *db, enum dbsql_read kind, int history,
    const struct slot *s, size_t n)
{
	const struct locid **ids;
	uint64_t lo = s[0].id->num, hi = s[n - 1].id->num;
	char *sql;
	int dense = db->ids == DB_IDS_INT && lo != 0 && hi - lo + 1 == n;

	for (size_t i = 1; dense && i < n; i++)
		dense = s[i].id->num == s[i - 1].id->num + 1;
	if (dense)
		return history ? dbsql_history(db->table, NULL, 0, lo, hi) :
		                 dbsql_read(db->flavour, db->table, kind,
		                     db->locked_reads, NULL, 0, lo, hi);
	if ((ids = calloc(n, sizeof(*ids))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		ids[i] = s[i].id;
	sql = history ? dbsql_history(db->table, ids, n, 0, 0) :
	                dbsql_read(db->flavour, db->table, kind,
	                    db->locked_reads, ids, n, 0, 0);
	free(ids);
	return sql;
}

/* The slots of 'rows' (those with pick[i], when 'pick'), sorted by id. */
static struct slot *
slots(const struct db_row *rows, const char *pick, size_t n, size_t *count)
{
	struct slot *s = calloc(n ? n : 1, sizeof(*s));
	size_t k = 0;

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (pick != NULL && !pick[i])
			continue;
		s[k].id = rows[i].id;
		s[k++].at = i;
	}
	qsort(s, k, sizeof(*s), slot_cmp);
	*count = k;
	return s;
}

/* Appends to an arena; 'ok' turns 0 when it could not grow. */
static void
put(struct buf *a, int *ok, const char *s, size_t n)
{
	if (*ok && buf_append(a, s, n) == -1)
		*ok = 0;
}

/* The properties of a row (NULL: null), blanks dropped; sets props_*. */
static void
put_props(struct buf *a, int *ok, const char *s, size_t n,
    struct db_seen *seen)
{
	seen->props_at = a->len;
	if (*ok && rowjson_compact(a, s, n) == -1)
		*ok = 0;
	seen->props_len = a->len - seen->props_at;
}

/*
 * One row read after the upsert as the JSON text of a Feature, in the
 * arena (rowjson.h).  Columns: id, user_id, WKB, properties, updated_at.
 * 0, or -1 when the WKB is not.
 */
static int
put_feature(struct buf *a, int *ok, const struct locid *id, MYSQL_ROW row,
    const unsigned long *len, struct db_seen *seen)
{
	struct rowjson r = { .id = id,
		.user = row[1],
		.user_len = len[1],
		.wkb = (const unsigned char *)row[2],
		.wkb_len = len[2],
		.props = row[3],
		.props_len = len[3],
		.time = seen->updated_at };

	seen->feature_at = a->len;
	if (*ok &&
	    rowjson_feature(a, &r, &seen->props_at, &seen->props_len) == -1) {
		if (errno != EINVAL)
			*ok = 0;
		return *ok ? -1 : 0;
	}
	seen->feature_len = a->len - seen->feature_at;
	return 0;
}

/* Reads one result row of 'kind' into 'seen'.  0, or -1 if malformed. */
static int
seen_row(struct buf *a, int *ok, enum dbsql_read kind, const struct locid *id,
    MYSQL_ROW row, const unsigned long *len, struct db_seen *seen)
{
	/* Columns: before: id, user, props, time, WKB; after: id, user,
	 * WKB, props, time. */
	int t = kind == DBSQL_BEFORE ? 3 : 4, g = kind == DBSQL_BEFORE ? 4 : 2;

	if (row[t] == NULL || row[g] == NULL ||
	    stamp_parse_sql(row[t], len[t], &seen->updated_at) == -1)
		return -1;
	seen->found = 1;
	seen->user = row[1] != NULL ? strtoull(row[1], NULL, 10) : 0;
	seen->geom_at = a->len;
	put(a, ok, row[g], len[g]);
	seen->geom_len = len[g];
	if (kind == DBSQL_BEFORE) {
		put_props(a, ok, row[2], len[2], seen);
		return 0;
	}
	return put_feature(a, ok, id, row, len, seen);
}

int
db_read(struct db *db, enum dbsql_read kind, const struct db_row *rows,
    size_t n, struct db_seen *seen, struct buf *arena)
{
	struct slot *s;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	size_t k;
	char *sql;
	int ok = 1, r = -1;

	memset(seen, 0, n * sizeof(*seen));
	if (n == 0)
		return 0;
	if ((s = slots(rows, NULL, n, &k)) == NULL ||
	    (sql = rows_sql(db, kind, 0, s, n)) == NULL) {
		free(s);
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	}
	r = mysql_query(db->my, sql);
	free(sql);
	if (r != 0 || (res = mysql_use_result(db->my)) == NULL) {
		r = fail_my(db, 0, "reading the rows");
		goto out;
	}
	r = -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		struct slot key, *hit;
		struct locid id;

		if (row[0] == NULL ||
		    locid_from_text(row[0], len[0], &id, NULL, 0) == -1)
			continue;
		key.id = &id;
		if ((hit = bsearch(&key, s, k, sizeof(*s), slot_cmp)) == NULL)
			continue;
		if (seen_row(arena, &ok, kind, rows[hit->at].id, row, len,
		        &seen[hit->at]) == -1) {
			fail(db, DBSQL_OTHER, 0,
			    "reading the rows: location %s: unexpected value",
			    id.text);
			break;
		}
		if (!ok) {
			fail(db, DBSQL_OTHER, 0, "out of memory");
			break;
		}
	}
	if (row != NULL) {
		/* Drain the rest before the connection is reused. */
		while (mysql_fetch_row(res) != NULL)
			;
		goto out;
	}
	if (mysql_errno(db->my) != 0) {
		fail_my(db, 0, "reading the rows");
		goto out;
	}
	r = 0;
out:
	if (res != NULL)
		mysql_free_result(res);
	free(s);
	return r;
}

int
db_history(struct db *db, const struct db_row *rows, const char *pick,
    size_t n)
{
	struct slot *s;
	size_t k;
	char *sql = NULL;
	unsigned num;

	if ((s = slots(rows, pick, n, &k)) == NULL ||
	    (k > 0 && (sql = rows_sql(db, DBSQL_AFTER, 1, s, k)) == NULL)) {
		free(s);
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	}
	free(s);
	if (k == 0)
		return 0;
	if ((num = query(db, sql)) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "writing the history: %s", query_error(db, num));
	return 0;
}

int
db_fence_create(struct db *db)
{
	unsigned num;

	if ((num = query(db, dbsql_create_fence(db->flavour, db->table))) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "creating the fences' table: %s", query_error(db, num));
	return 0;
}

int
db_fence_put(struct db *db, const struct locid *id, const char *name,
    const char *wkb, size_t len)
{
	MYSQL_BIND b[DBSQL_FENCE_PUT_PARAMS];
	unsigned long lens[DBSQL_FENCE_PUT_PARAMS];
	MYSQL_STMT *st;
	char *sql;
	int r = -1;

	if ((sql = dbsql_fence_put(db->flavour, db->table)) == NULL)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		free(sql);
		return fail_my(db, 0, "adding the fence");
	}
	memset(b, 0, sizeof(b));
	bind_text(&b[0], id->text, id->len, &lens[0]);
	if (name != NULL)
		bind_text(&b[1], name, strlen(name), &lens[1]);
	else
		b[1].buffer_type = MYSQL_TYPE_NULL;
	bind_text(&b[2], wkb, len, &lens[2]);
	b[2].buffer_type = MYSQL_TYPE_BLOB;
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
	    mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0)
		fail_stmt(db, st, "adding the fence");
	else
		r = 0;
	mysql_stmt_close(st);
	free(sql);
	return r;
}

int
db_fence_list(struct db *db, db_fence_fn *fn, void *ctx)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned num;

	if ((num = query(db, dbsql_fence_list(db->flavour, db->table))) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "reading the fences: %s", query_error(db, num));
	if ((res = mysql_use_result(db->my)) == NULL)
		return fail_my(db, 0, "reading the fences");
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		struct db_fence f = { .id = row[0],
			.id_len = len[0],
			.name = row[1],
			.name_len = len[1],
			.wkb = (const unsigned char *)row[2],
			.wkb_len = len[2] };

		if (row[0] == NULL || row[2] == NULL || row[3] == NULL ||
		    stamp_parse_sql(row[3], len[3], &f.created_at) == -1)
			continue;
		fn(ctx, &f);
	}
	if (mysql_errno(db->my) != 0) {
		mysql_free_result(res);
		return fail_my(db, 0, "reading the fences");
	}
	mysql_free_result(res);
	return 0;
}

int
db_fence_remove(struct db *db, const struct locid *id, int *found)
{
	unsigned num;

	if ((num = query(db, dbsql_fence_delete(db->table, id))) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "removing fence %s: %s", id->text, query_error(db, num));
	*found = mysql_affected_rows(db->my) > 0;
	return 0;
}

int
db_fence_any(struct db *db, enum db_fences *found)
{
	MYSQL_RES *res;
	unsigned num;

	*found = DB_FENCES_NONE;
	if ((num = query(db, dbsql_fence_any(db->table))) != 0) {
		/* No fences' table: no fence to look for.  An account that
		 * may only write the locations: the caller says so. */
		if (dbsql_classify(num, 0) == DBSQL_SCHEMA)
			return 0;
		if (dbsql_classify(num, 0) == DBSQL_DENIED) {
			*found = DB_FENCES_UNREADABLE;
			return 0;
		}
		return fail(db, dbsql_classify(num, 0), num,
		    "looking for fences: %s", query_error(db, num));
	}
	if ((res = mysql_store_result(db->my)) == NULL)
		return fail_my(db, 0, "looking for fences");
	if (mysql_num_rows(res) > 0)
		*found = DB_FENCES_SOME;
	mysql_free_result(res);
	return 0;
}

int
db_fence_hits(struct db *db, const struct dbsql_spot *spots, size_t n,
    db_hit_fn *fn, void *ctx)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned num;
	int r = 0;

	if (n == 0)
		return 0;
	if ((num = query(db,
	         dbsql_fence_hits(db->flavour, db->table, spots, n))) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "finding the fences: %s", query_error(db, num));
	if ((res = mysql_use_result(db->my)) == NULL)
		return fail_my(db, 0, "finding the fences");
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		unsigned long long k;

		if (r == -1 || row[0] == NULL || row[1] == NULL)
			continue; /* drained before the connection is reused */
		/* JSON_TABLE counts its rows from 1. */
		k = strtoull(row[0], NULL, 10);
		if (k >= 1 && k <= n &&
		    fn(ctx, (size_t)k - 1, row[1], len[1], row[2], len[2]) ==
		        -1)
			r = fail(db, DBSQL_OTHER, 0, "out of memory");
	}
	if (r == 0 && mysql_errno(db->my) != 0)
		r = fail_my(db, 0, "finding the fences");
	mysql_free_result(res);
	return r;
}

/*
 * Deletes the batch's marker, once its end is known, with the markers
 * over a day old that batches whose end went unseen left behind.  Best
 * effort: a marker left behind is harmless, and a later run removes it.
 * Each is deleted by its key, so that no open batch's marker is waited
 * for.
 */
static void
forget(struct db *db)
{
	char stale[STALE_MARKS][DBSQL_TOKEN_LEN + 1];
	const char *tokens[STALE_MARKS + 1];
	size_t n = 0, k = 0;
	MYSQL_RES *res;
	MYSQL_ROW row;

	if (db->token[0] == '\0')
		return;
	tokens[n++] = db->token;
	if (query(db, dbsql_marks_stale(STALE_MARKS)) == 0 &&
	    (res = mysql_store_result(db->my)) != NULL) {
		while (k < STALE_MARKS && (row = mysql_fetch_row(res))) {
			if (row[0] == NULL || !dbsql_check_token(row[0]) ||
			    strcmp(row[0], db->token) == 0)
				continue;
			memcpy(stale[k], row[0], sizeof(stale[k]));
			tokens[n++] = stale[k++];
		}
		mysql_free_result(res);
	}
	(void)query(db, dbsql_marks_delete(tokens, n));
	db->token[0] = '\0';
}

/*
 * Learns how the transaction whose COMMIT got no answer ('lost' says how,
 * error 'num') ended, over a new connection: its marker is there, so it
 * committed, or not, so it rolled back.  The look takes a shared lock,
 * which waits for the transaction if the server still has it open.
 * Returns 0 when it committed (db->note says what happened); else -1,
 * DBSQL_TEMPORARY when it did not, DBSQL_UNKNOWN when it cannot be told.
 */
static int
resolve(struct db *db, unsigned num, const char *lost)
{
	static const char unknown[] = "outcome unknown, the batch may or may "
	                              "not be stored";
	char why[sizeof(db->err)];
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned e;
	int found;

	if (db->token[0] == '\0')
		return fail(db, DBSQL_UNKNOWN, num,
		    "%s; %s: it has no marker (%s)", lost, unknown,
		    db->no_mark);
	disconnect(db);
	if (connect_my(db) == -1) {
		snprintf(why, sizeof(why), "%s", db->err);
		return fail(db, DBSQL_UNKNOWN, num, "%s; %s: reconnecting: %s",
		    lost, unknown, why);
	}
	if ((e = query(db, dbsql_mark_find(db->token))) != 0 ||
	    (res = mysql_store_result(db->my)) == NULL)
		return fail(db, DBSQL_UNKNOWN, num,
		    "%s; %s: looking for its marker: %s", lost, unknown,
		    e != 0 ? query_error(db, e) : mysql_error(db->my));
	row = mysql_fetch_row(res);
	found = row != NULL && row[0] != NULL && strcmp(row[0], "0") != 0;
	mysql_free_result(res);
	if (!found) {
		db->token[0] = '\0';
		return fail(db, DBSQL_TEMPORARY, num,
		    "%s; reconnected and found nothing written", lost);
	}
	snprintf(db->note, sizeof(db->note),
	    "%s; reconnected and found the batch stored", lost);
	forget(db);
	return 0;
}

int
db_commit(struct db *db)
{
	char lost[256];
	unsigned num;

	if (mysql_commit(db->my) == 0) {
		forget(db);
		return 0;
	}
	num = mysql_errno(db->my);
	if (!dbsql_commit_in_doubt(num))
		return fail_my(db, 0, "committing");
	snprintf(lost, sizeof(lost), "committing: %s", mysql_error(db->my));
	return resolve(db, num, lost);
}

void
db_rollback(struct db *db)
{
	if (db->my != NULL)
		(void)mysql_rollback(db->my);
}

void
db_close(struct db *db)
{
	disconnect(db);
	params_release(&db->params);
}
