/* db.c - geoput's connection to MySQL or MariaDB (the MySQL C API). */
#include "db.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "buf.h"

/* Ids read back per SELECT. */
#define FETCH_IDS 1000

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
	return 0;
}

/* Closes the connection, keeping the parameters. */
static void
disconnect(struct db *db)
{
	if (db->full != NULL)
		mysql_stmt_close(db->full);
	db->full = NULL;
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

int
db_probe(struct db *db)
{
	MYSQL_RES *res;
	MYSQL_FIELD *f;
	unsigned num;

	if ((num = query(db, dbsql_probe(db->table))) != 0)
		return fail(db, dbsql_classify(num, 0), num,
		    "checking the table's columns: %s", query_error(db, num));
	if ((res = mysql_store_result(db->my)) == NULL)
		return fail_my(db, 0, "checking the table's columns");
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
	/* An older table of that name may lack columns. */
	if (db_probe(db) == -1)
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

int
db_begin(struct db *db)
{
	db->token[0] = '\0';
	db->no_mark[0] = '\0';
	db->note[0] = '\0';
	if (mysql_query(db->my, "START TRANSACTION") != 0)
		return fail_my(db, 0, "starting the transaction");
	return mark(db);
}

static MYSQL_STMT *
prepare(struct db *db, size_t rows)
{
	MYSQL_STMT *st;
	char *sql;

	if ((st = mysql_stmt_init(db->my)) == NULL) {
		fail_my(db, 0, "preparing the upsert");
		return NULL;
	}
	if ((sql = dbsql_upsert(db->table, rows)) == NULL) {
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

/* One statement for 'n' rows. */
static int
upsert_chunk(struct db *db, const struct db_row *rows, size_t n)
{
	MYSQL_STMT *st;
	MYSQL_BIND *b = NULL;
	unsigned long *len = NULL;
	int r = -1;

	if (n == DB_BATCH_ROWS && db->full != NULL)
		st = db->full;
	else if ((st = prepare(db, n)) == NULL)
		return -1;
	if (n == DB_BATCH_ROWS)
		db->full = st;
	b = calloc(n * DBSQL_UPSERT_PARAMS, sizeof(*b));
	len = calloc(n * 2, sizeof(*len));
	if (b == NULL || len == NULL) {
		fail(db, DBSQL_OTHER, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *p = &b[i * DBSQL_UPSERT_PARAMS];

		if (db->ids == DB_IDS_INT) {
			p[0].buffer_type = MYSQL_TYPE_LONGLONG;
			p[0].buffer = (void *)&rows[i].id->num;
			p[0].is_unsigned = 1;
		} else {
			p[0].buffer_type = MYSQL_TYPE_STRING;
			p[0].buffer = (void *)rows[i].id->text;
			p[0].buffer_length = rows[i].id->len;
		}
		if (rows[i].user != 0) {
			p[1].buffer_type = MYSQL_TYPE_LONGLONG;
			p[1].buffer = (void *)&rows[i].user;
			p[1].is_unsigned = 1;
		} else {
			p[1].buffer_type = MYSQL_TYPE_NULL;
		}
		len[2 * i] = rows[i].geometry_len;
		p[2].buffer_type = MYSQL_TYPE_STRING;
		p[2].buffer = (void *)rows[i].geometry;
		p[2].buffer_length = rows[i].geometry_len;
		p[2].length = &len[2 * i];
		len[2 * i + 1] = rows[i].properties_len;
		p[3].buffer_type = MYSQL_TYPE_STRING;
		p[3].buffer = (void *)rows[i].properties;
		p[3].buffer_length = rows[i].properties_len;
		p[3].length = &len[2 * i + 1];
	}
	if (mysql_stmt_bind_param(st, b) != 0) {
		fail_stmt(db, st, "binding the upsert");
		goto out;
	}
	if (mysql_stmt_execute(st) != 0) {
		fail_stmt(db, st, "upserting");
		goto out;
	}
	r = 0;
out:
	if (st != db->full)
		mysql_stmt_close(st);
	free(b);
	free(len);
	return r;
}

int
db_upsert(struct db *db, const struct db_row *rows, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = 0, bytes = 0;

		while (i + k < n && k < DB_BATCH_ROWS) {
			size_t sz = rows[i + k].geometry_len +
			    rows[i + k].properties_len;

			if (k > 0 && bytes + sz > DB_BATCH_BYTES)
				break;
			bytes += sz;
			k++;
		}
		if (upsert_chunk(db, rows + i, k) == -1)
			return -1;
		i += k;
	}
	return 0;
}

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
 * A Feature's text; 'ok' turns 0 when it could not grow.  Its cap is the
 * most jv_string_sized() takes, whose length is an int.
 */
struct text {
	struct buf b;
	int ok;
};

static void
text_init(struct text *t)
{
	buf_init(&t->b, INT_MAX);
	t->ok = 1;
}

static void
text_add(struct text *t, const char *s, size_t n)
{
	if (t->ok && buf_append(&t->b, s, n) == -1)
		t->ok = 0;
}

static void
text_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

/*
 * Adds JSON text from the server without the white space between tokens
 * ("{"type": "Point"}" becomes "{"type":"Point"}"); strings are copied
 * as they are.
 */
static void
text_json(struct text *t, const char *s, size_t n)
{
	size_t from = 0;
	int in_string = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == ' ' || ch == '\n' || ch == '\t' ||
		    ch == '\r') {
			text_add(t, s + from, i - from);
			from = i + 1;
		}
	}
	if (from < n)
		text_add(t, s + from, n - from);
}

/*
 * One stored row as the JSON text of a Feature, built from the server's
 * own JSON texts rather than parsed and printed again:
 * {"type":"Feature","id":..,"geometry":..,"properties":..,"userId":..,
 *  "updated_at":"YYYY-MM-DDTHH:MM:SS.ffffffZ"}.
 * The server gives updated_at as "YYYY-MM-DD HH:MM:SS.ffffff" in the
 * session's time zone, UTC.  Returns a jv string, or invalid (ENOMEM).
 */
static jv
feature(struct text *t, MYSQL_ROW row, const unsigned long *len)
{
	char stamp[40], id[LOCID_JSON_MAX];
	unsigned long n = len[4] < sizeof(stamp) - 1 ? len[4] :
	                                               sizeof(stamp) - 2;
	struct locid key;

	memcpy(stamp, row[4], n);
	if (n > 10 && stamp[10] == ' ')
		stamp[10] = 'T';
	stamp[n] = 'Z';
	stamp[n + 1] = '\0';
	buf_reset(&t->b);
	text_str(t, "{\"type\":\"Feature\",\"id\":");
	if (locid_from_text(row[0], len[0], &key, NULL, 0) == -1)
		return jv_invalid();
	text_add(t, id, locid_json(&key, id));
	text_str(t, ",\"geometry\":");
	text_json(t, row[2], len[2]);
	text_str(t, ",\"properties\":");
	if (row[3] != NULL)
		text_json(t, row[3], len[3]);
	else
		text_str(t, "null");
	text_str(t, ",\"userId\":");
	if (row[1] != NULL)
		text_add(t, row[1], len[1]);
	else
		text_str(t, "null");
	text_str(t, ",\"updated_at\":\"");
	text_str(t, stamp);
	text_str(t, "\"}");
	if (!t->ok)
		return jv_invalid();
	return jv_string_sized(t->b.data, (int)t->b.len);
}

/*
 * Reads back the 'n' rows whose ids are in 's' (sorted by id) into
 * out[s[i].at].  Dense ids are read as one range of the primary key,
 * sparse ones with an IN list.
 */
static int
fetch_chunk(struct db *db, const struct slot *s, size_t n, jv *out)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	struct text t;
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *sql;
	int r = -1;

	text_init(&t);
	for (size_t i = 0; i < n && db->ids == DB_IDS_INT; i++) {
		lo = s[i].id->num < lo ? s[i].id->num : lo;
		hi = s[i].id->num > hi ? s[i].id->num : hi;
	}
	if (db->ids == DB_IDS_INT && hi - lo < 2 * (uint64_t)n) {
		sql = dbsql_select_range(db->table, lo, hi);
	} else {
		const struct locid **ids = calloc(n, sizeof(*ids));

		if (ids == NULL)
			return fail(db, DBSQL_OTHER, 0, "out of memory");
		for (size_t i = 0; i < n; i++)
			ids[i] = s[i].id;
		sql = dbsql_select(db->table, ids, n);
		free(ids);
	}
	if (sql == NULL)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	r = mysql_query(db->my, sql);
	free(sql);
	if (r != 0)
		return fail_my(db, 0, "reading back");
	if ((res = mysql_use_result(db->my)) == NULL)
		return fail_my(db, 0, "reading back");
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);
		struct slot key, *hit;
		struct locid id;
		jv f;

		if (row[0] == NULL || row[2] == NULL || row[4] == NULL ||
		    locid_from_text(row[0], len[0], &id, NULL, 0) == -1)
			continue;
		key.id = &id;
		hit = bsearch(&key, s, n, sizeof(*s), slot_cmp);
		if (hit == NULL)
			continue;
		if (!jv_is_valid(f = feature(&t, row, len))) {
			fail(db, DBSQL_OTHER, 0, "out of memory");
			/* Drain the rest before the connection is reused. */
			while (mysql_fetch_row(res) != NULL)
				;
			goto out;
		}
		jv_free(out[hit->at]);
		out[hit->at] = f;
	}
	if (mysql_errno(db->my) != 0) {
		fail_my(db, 0, "reading back");
		goto out;
	}
	r = 0;
out:
	mysql_free_result(res);
	buf_release(&t.b);
	return r;
}

int
db_fetch(struct db *db, const struct locid *const *ids, size_t n, jv *out)
{
	struct slot *s;

	for (size_t i = 0; i < n; i++)
		out[i] = jv_null();
	if (n == 0)
		return 0;
	if ((s = calloc(n, sizeof(*s))) == NULL)
		return fail(db, DBSQL_OTHER, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		s[i].id = ids[i];
		s[i].at = i;
	}
	qsort(s, n, sizeof(*s), slot_cmp);
	for (size_t i = 0; i < n; i += FETCH_IDS) {
		size_t k = n - i < FETCH_IDS ? n - i : FETCH_IDS;

		if (fetch_chunk(db, s + i, k, out) == -1) {
			for (size_t j = 0; j < n; j++) {
				jv_free(out[j]);
				out[j] = jv_null();
			}
			free(s);
			return -1;
		}
	}
	free(s);
	return 0;
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
