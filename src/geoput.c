/*
 * geoput.c - store GeoJSON locations in MySQL/MariaDB and notify the hub.
 * Options and wiring: input (flags, stdin or FILE, or --url) through the
 * optional jq filter into records, all checked before one transaction
 * upserts them, then each stored row printed and announced to georoomd.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cmdline.h"
#include "ctl.h"
#include "ctlclient.h"
#include "db.h"
#include "dburl.h"
#include "exits.h"
#include "feed.h"
#include "jqfilter.h"
#include "jsonin.h"
#include "record.h"
#include "sio.h"
#include "version.h"

enum {
	OPT_DB = CMDLINE_LONG_ONLY,
	OPT_EVENT,
	OPT_ID,
	OPT_INIT_DB,
	OPT_JQ,
	OPT_LAT,
	OPT_LON,
	OPT_MAX_SIZE,
	OPT_MAX_TIME,
	OPT_NO_NOTIFY,
	OPT_PROP,
	OPT_REQUIRE_HUB,
	OPT_RETRIES,
	OPT_TABLE,
	OPT_TIMEOUT,
	OPT_URL,
	OPT_USER,
};

static const struct cmdline_opt options[] = {
	{ "db", OPT_DB, "URL",
	    "database, as mysql://user:pass@host:port/db", "GEOROOM_DB" },
	{ "event", OPT_EVENT, "NAME", "event to emit (chat)", NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "hub", 'c', "PATH", "georoomd's control socket", "GEOROOM_SOCKET" },
	{ "id", OPT_ID, "ID", "location id for records without one", NULL },
	{ "init-db", OPT_INIT_DB, NULL, "create the table if missing, then exit",
	    NULL },
	{ "jq", OPT_JQ, "FILTER", "reshape each input value with a jq filter",
	    NULL },
	{ "keep-going", 'k', NULL, "store the valid records, report the rest",
	    NULL },
	{ "lat", OPT_LAT, "Y", "latitude of a location given by flags", NULL },
	{ "lon", OPT_LON, "X", "longitude of a location given by flags", NULL },
	{ "max-size", OPT_MAX_SIZE, "BYTES", "largest input accepted (64 MiB)",
	    NULL },
	{ "max-time", OPT_MAX_TIME, "SEC", "longest one --url attempt (30)",
	    NULL },
	{ "no-notify", OPT_NO_NOTIFY, NULL, "do not tell the hub", NULL },
	{ "ns", 'n', "NS", "namespace to emit in (/)", NULL },
	{ "prop", OPT_PROP, "K=V", "property for every record (K:=JSON too)",
	    NULL },
	{ "quiet", 'q', NULL, "do not print the stored records", NULL },
	{ "require-hub", OPT_REQUIRE_HUB, NULL,
	    "check the hub answers before writing", NULL },
	{ "retries", OPT_RETRIES, "N", "further --url attempts on failure (3)",
	    NULL },
	{ "table", OPT_TABLE, "NAME", "table to write (location)", NULL },
	{ "timeout", OPT_TIMEOUT, "SEC",
	    "bound on each database, hub and connect wait (10)", NULL },
	{ "url", OPT_URL, "URL", "fetch the input from URL", NULL },
	{ "user", OPT_USER, "N", "user id for records without one", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL },
	{ 0 }
};

static const char usage[] =
    "usage: geoput [-hkqV] [-c path] [-n ns] [--db url] [--event name]\n"
    "              [--id id] [--jq filter] [--prop k=v] [--table name]\n"
    "              [--user n] [--lon x --lat y | --url url | file]\n"
    "       geoput --init-db [--db url] [--table name]\n";

/* Error messages printed, when not --keep-going, before "and N more". */
#define SHOWN_ERRORS 20

struct opts {
	const char *db_url;
	const char *db_env;	/* the variable --db came from, or NULL */
	const char *hub;
	const char *ns;
	const char *event;
	const char *table;
	const char *url;
	const char *jq;
	const char *lon, *lat;
	int init_db, keep_going, quiet, no_notify, require_hub;
	long long timeout, max_time, retries, max_size;
	struct record_defaults defs;
	int from_env;		/* options are being read from the environment */
	char err[512];		/* why apply() refused an option */
};

/* What the input turned into. */
struct batch {
	struct record_vec recs;
	size_t invalid;		/* records and values rejected */
	const char *source;	/* "<stdin>", a file name, a URL */
	int keep_going;
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		err(EX_SOFTWARE, "out of memory");
	return p;
}

/* An id or user id from the command line. */
static int
id_arg(struct opts *o, int val, const char *arg, uint64_t *out)
{
	char why[128];

	if (record_id(jv_string(arg), out, why, sizeof(why)) == 0)
		return 0;
	snprintf(o->err, sizeof(o->err), "--%s: %s",
	    cmdline_long_name(options, val), why);
	return -1;
}

/* Applies one option; returns 0, or -1 with the reason in o->err. */
static int
apply(int val, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	char why[256];
	uint64_t id;
	double d;

	switch (val) {
	case 'c':
		o->hub = arg;
		return 0;
	case 'k':
		o->keep_going = 1;
		return 0;
	case 'n':
		/* The hub's own rule, so a refused emit never follows a write. */
		if (sio_nsp_check(arg, strlen(arg), why, sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "--ns '%s': %s", arg,
			    why);
			return -1;
		}
		o->ns = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case OPT_DB:
		o->db_url = arg;
		o->db_env = o->from_env ? cmdline_find(options, val)->env :
		    NULL;
		return 0;
	case OPT_EVENT:
		if (arg[0] == '\0' || sio_event_reserved(arg, strlen(arg))) {
			snprintf(o->err, sizeof(o->err), "--event '%s': not an "
			    "event a server may emit", arg);
			return -1;
		}
		o->event = arg;
		return 0;
	case OPT_ID:
		if (id_arg(o, val, arg, &id) == -1)
			return -1;
		o->defs.id = id;
		return 0;
	case OPT_INIT_DB:
		o->init_db = 1;
		return 0;
	case OPT_JQ:
		o->jq = arg;
		return 0;
	case OPT_LAT:
	case OPT_LON:
		/* Ranges are checked with the record, as for any input. */
		if (cmdline_double(arg, -HUGE_VAL, HUGE_VAL, &d) == -1) {
			snprintf(o->err, sizeof(o->err), "--%s '%s' is not a "
			    "number", cmdline_long_name(options, val), arg);
			return -1;
		}
		if (val == OPT_LAT)
			o->lat = arg;
		else
			o->lon = arg;
		return 0;
	case OPT_MAX_SIZE:
		return cmdline_number_arg(options, val, arg, 1, 1LL << 40,
		    &o->max_size, o->err, sizeof(o->err));
	case OPT_MAX_TIME:
		return cmdline_number_arg(options, val, arg, 1, 86400,
		    &o->max_time, o->err, sizeof(o->err));
	case OPT_NO_NOTIFY:
		o->no_notify = 1;
		return 0;
	case OPT_PROP:
		if (record_defaults_prop(&o->defs, arg, why, sizeof(why)) ==
		    -1) {
			snprintf(o->err, sizeof(o->err), "--prop: %s", why);
			return -1;
		}
		return 0;
	case OPT_REQUIRE_HUB:
		o->require_hub = 1;
		return 0;
	case OPT_RETRIES:
		return cmdline_number_arg(options, val, arg, 0, 20, &o->retries,
		    o->err, sizeof(o->err));
	case OPT_TABLE:
		if (dbsql_check_table(arg, why, sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "--table '%s': %s",
			    arg, why);
			return -1;
		}
		o->table = arg;
		return 0;
	case OPT_TIMEOUT:
		return cmdline_number_arg(options, val, arg, 1, 3600,
		    &o->timeout, o->err, sizeof(o->err));
	case OPT_URL:
		o->url = arg;
		return 0;
	case OPT_USER:
		if (id_arg(o, val, arg, &id) == -1)
			return -1;
		jv_free(o->defs.user);
		o->defs.user = jv_number((double)id);
		return 0;
	default:
		return -1;
	}
}

/* Reads all of 'fd' up to 'max' bytes.  Returns 0, or -1 (errno). */
static int
slurp(int fd, size_t max, char **out, size_t *outlen)
{
	size_t len = 0, cap = 65536;
	char *buf = xcalloc(1, cap + 1);
	ssize_t n;

	for (;;) {
		if (len == cap) {
			char *p;

			if (cap > max) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			cap *= 2;
			if ((p = realloc(buf, cap + 1)) == NULL)
				err(EX_SOFTWARE, "out of memory");
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		len += (size_t)n;
		if (len > max) {
			free(buf);
			errno = EFBIG;
			return -1;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* Reports one rejected value or record. */
static void
reject(struct batch *b, size_t line, const char *what, const char *msg)
{
	b->invalid++;
	if (b->keep_going || b->invalid <= SHOWN_ERRORS)
		warnx("%s:%zu: %s%s", b->source, line, what, msg);
}

/* Turns one value (consumed) into records, reporting the invalid ones. */
static void
add_value(struct batch *b, jv v, const struct record_defaults *defs,
    size_t line)
{
	size_t from = b->recs.n;
	int bad = record_parse(&b->recs, v, defs, line);

	if (bad == -1)
		err(EX_SOFTWARE, "out of memory");
	for (size_t i = from; bad > 0 && i < b->recs.n; i++) {
		if (b->recs.v[i].error != NULL)
			reject(b, line, "", b->recs.v[i].error);
	}
}

/* Splits the input text into values, through the filter if there is one. */
static void
read_values(struct batch *b, const char *text, size_t len,
    struct jqfilter *jq, const struct record_defaults *defs)
{
	struct jsonin in;
	size_t line;
	jv v;

	if (jsonin_init(&in, text, len) == -1)
		err(EX_SOFTWARE, "out of memory");
	for (;;) {
		v = jsonin_next(&in, &line);
		if (!jv_is_valid(v)) {
			jv msg;

			if (!jv_invalid_has_msg(jv_copy(v))) {
				jv_free(v);
				break;
			}
			msg = jv_invalid_get_msg(v);
			reject(b, line, "bad JSON: ", jv_string_value(msg));
			jv_free(msg);
			continue;
		}
		if (jq == NULL) {
			add_value(b, v, defs, line);
			continue;
		}
		jqfilter_start(jq, v);
		for (;;) {
			jv out = jqfilter_next(jq);

			if (jv_is_valid(out)) {
				add_value(b, out, defs, line);
				continue;
			}
			if (jv_invalid_has_msg(jv_copy(out))) {
				jv msg = jv_invalid_get_msg(out);

				reject(b, line, "jq: ", jv_string_value(msg));
				jv_free(msg);
			} else {
				jv_free(out);
			}
			break;
		}
	}
	jsonin_release(&in);
}

static int
feed_exit(enum feed_status st)
{
	switch (st) {
	case FEED_BADURL:
		return EX_USAGE;
	case FEED_NOTFOUND:
		return EX_NOINPUT;
	case FEED_DENIED:
		return EX_NOPERM;
	case FEED_TEMPORARY:
		return EX_TEMPFAIL;
	case FEED_TOOBIG:
		return EX_DATAERR;
	default:
		return EX_UNAVAILABLE;
	}
}

static int
db_exit(const struct db *db)
{
	switch (db->err_class) {
	case DBSQL_UNAVAILABLE:
		return EX_UNAVAILABLE;
	case DBSQL_DENIED:
		return EX_NOPERM;
	case DBSQL_SCHEMA:
		return EX_CONFIG;
	case DBSQL_DATA:
		return EX_DATAERR;
	case DBSQL_TEMPORARY:
		return EX_TEMPFAIL;
	default:
		return EX_SOFTWARE;
	}
}

/* Reports a database failure and returns the exit status for it. */
static int
db_failed(const struct db *db, const struct opts *o)
{
	if (db->err_class == DBSQL_SCHEMA && !o->init_db)
		warnx("database: %s; run 'geoput --init-db%s%s' to create the "
		    "table", db->err, strcmp(o->table, DBSQL_TABLE) ? " --table "
		    : "", strcmp(o->table, DBSQL_TABLE) ? o->table : "");
	else
		warnx("database: %s", db->err);
	return db_exit(db);
}

/* Connects to the database named by the options. */
static int
db_open(struct db *db, const struct opts *o)
{
	struct db_config cfg;
	struct dburl u;
	char why[256];
	int r;

	dburl_init(&u);
	if (o->db_url != NULL && dburl_parse(&u, o->db_url, why,
	    sizeof(why)) == -1) {
		if (o->db_env != NULL) {
			warnx("$%s: %s", o->db_env, why);
			return EX_CONFIG;
		}
		warnx("--db: %s", why);
		return EX_USAGE;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = u.host;
	cfg.user = u.user;
	cfg.password = u.password;
	cfg.database = u.database;
	cfg.socket = u.socket;
	cfg.port = u.port;
	cfg.timeout = (unsigned)o->timeout;
	cfg.table = o->table;
	r = db_connect(db, &cfg);
	dburl_release(&u);
	if (r == -1) {
		r = db_failed(db, o);
		db_close(db);
		return r;
	}
	return 0;
}

/*
 * Stores the records in one transaction and reads them back.  Returns 0
 * with stored[i] (owned) for recs[i], or an exit status.
 */
static int
store(struct db *db, const struct opts *o, struct record_vec *rv,
    jv *stored)
{
	struct db_row *rows = xcalloc(rv->n, sizeof(*rows));
	uint64_t *ids = xcalloc(rv->n, sizeof(*ids));
	jv *texts = xcalloc(rv->n * 2, sizeof(*texts));
	int rc = 0;

	for (size_t i = 0; i < rv->n; i++) {
		struct record *r = &rv->v[i];

		texts[2 * i] = jv_dump_string(jv_copy(r->geometry), 0);
		texts[2 * i + 1] = jv_dump_string(jv_copy(r->properties), 0);
		rows[i].id = r->id;
		rows[i].user = jv_get_kind(r->user) == JV_KIND_NUMBER ?
		    (uint64_t)jv_number_value(r->user) : 0;
		rows[i].geometry = jv_string_value(texts[2 * i]);
		rows[i].geometry_len = (size_t)jv_string_length_bytes(
		    jv_copy(texts[2 * i]));
		rows[i].properties = jv_string_value(texts[2 * i + 1]);
		rows[i].properties_len = (size_t)jv_string_length_bytes(
		    jv_copy(texts[2 * i + 1]));
		ids[i] = r->id;
	}
	if (db_begin(db) == -1 || db_upsert(db, rows, rv->n) == -1 ||
	    db_fetch(db, ids, rv->n, stored) == -1 ||
	    db_commit(db) == -1) {
		rc = db_failed(db, o);
		db_rollback(db);
		for (size_t i = 0; i < rv->n; i++) {
			jv_free(stored[i]);
			stored[i] = jv_null();
		}
	}
	for (size_t i = 0; i < rv->n * 2; i++)
		jv_free(texts[i]);
	free(texts);
	free(rows);
	free(ids);
	return rc;
}

/* Connects to the hub; returns 0 or -1 with a warning printed. */
static int
hub_open(struct ctlclient *hub, const char *path, const char *then)
{
	if (ctlclient_connect(hub, path) == 0)
		return 0;
	warnx("hub at %s unreachable: %s%s", path, strerror(errno), then);
	return -1;
}

/* Asks the hub for its stats: it must answer before anything is written. */
static int
hub_check(struct ctlclient *hub, const char *path)
{
	jv r;

	if (hub_open(hub, path, "; nothing written (--require-hub)") == -1)
		return EX_UNAVAILABLE;
	r = ctlclient_call(hub, jv_object_set(jv_object(), jv_string("op"),
	    jv_string("stats")));
	if (!jv_is_valid(r)) {
		jv msg = jv_invalid_get_msg(r);

		warnx("hub at %s: %s; nothing written (--require-hub)", path,
		    jv_string_value(msg));
		jv_free(msg);
		return EX_UNAVAILABLE;
	}
	if (!jv_equal(jv_object_get(jv_copy(r), jv_string("ok")),
	    jv_true())) {
		jv_free(r);
		warnx("hub at %s refused the stats request; nothing written",
		    path);
		return EX_PROTOCOL;
	}
	jv_free(r);
	return 0;
}

/*
 * The emit request announcing one stored Feature, as JSON text: the
 * Feature's text from the database goes in as it is, unparsed.  'ns' and
 * 'event' are JSON strings (borrowed); 'r' gives the id and user id.
 */
static jv
emit_request(jv ns, jv event, const struct record *r, jv feature)
{
	char room[24];
	jv user = jv_dump_string(jv_copy(r->user), 0), req;

	snprintf(room, sizeof(room), "%" PRIu64, r->id);
	req = jv_string_fmt("{\"op\":\"emit\",\"ns\":%s,\"room\":\"%s\","
	    "\"event\":%s,\"data\":{\"userId\":%s,\"message\":",
	    jv_string_value(ns), room, jv_string_value(event),
	    jv_string_value(user));
	req = jv_string_concat(req, jv_copy(feature));
	req = jv_string_append_str(req, ",\"roomName\":\"");
	req = jv_string_append_str(req, room);
	req = jv_string_append_str(req, "\"}}");
	jv_free(user);
	return req;
}

/*
 * Asks the hub to emit each stored Feature to its room, pipelined on one
 * connection: every request is sent, then every reply read.  Returns 0,
 * or an exit status with warnings printed: EX_TEMPFAIL when the hub could
 * not be reached or stopped answering, EX_PROTOCOL when it answered
 * nonsense, EX_CONFIG when it refused the emits (--ns, --event).
 */
static int
notify(struct ctlclient *hub, const struct opts *o,
    const struct record_vec *rv, jv *stored)
{
	jv ns = jv_dump_string(jv_string(o->ns), 0);
	jv event = jv_dump_string(jv_string(o->event), 0);
	size_t done = 0, refused = 0, n = rv->n;
	char why[256] = "";
	int rc = 0;

	if (hub->fd == -1 && hub_open(hub, o->hub, "") == -1) {
		rc = EX_TEMPFAIL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		jv req;
		int r;

		if (jv_get_kind(stored[i]) != JV_KIND_STRING)
			continue;
		req = emit_request(ns, event, &rv->v[i], stored[i]);
		r = ctlclient_send_text(hub, jv_string_value(req),
		    (size_t)jv_string_length_bytes(jv_copy(req)));
		jv_free(req);
		if (r == -1) {
			warn("hub at %s: sending", o->hub);
			rc = EX_TEMPFAIL;
			break;
		}
	}
	while (hub->pending > 0) {
		jv r = ctlclient_recv(hub), ok;

		if (!jv_is_valid(r)) {
			jv msg = jv_invalid_get_msg(r);
			const char *m = jv_string_value(msg);

			warnx("hub at %s: %s", o->hub, m);
			if (rc == 0)
				rc = strncmp(m, "bad reply", 9) == 0 ?
				    EX_PROTOCOL : EX_TEMPFAIL;
			jv_free(msg);
			break;
		}
		ok = jv_object_get(jv_copy(r), jv_string("ok"));
		if (jv_get_kind(ok) == JV_KIND_TRUE) {
			done++;
		} else {
			jv e = jv_object_get(jv_copy(r), jv_string("error"));

			if (refused++ == 0)
				snprintf(why, sizeof(why), "%s",
				    jv_get_kind(e) == JV_KIND_STRING ?
				    jv_string_value(e) : "no reason given");
			jv_free(e);
		}
		jv_free(ok);
		jv_free(r);
	}
	if (refused > 0) {
		warnx("hub at %s refused %zu emit%s: %s", o->hub, refused,
		    refused == 1 ? "" : "s", why);
		if (rc == 0)
			rc = EX_CONFIG;
	}
out:
	if (rc != 0)
		warnx("%zu of %zu stored location%s not announced", n - done,
		    n, n == 1 ? "" : "s");
	jv_free(ns);
	jv_free(event);
	return rc;
}

/* Prints each stored Feature as one line; stops quietly on EPIPE. */
static int
print_stored(jv *stored, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (jv_get_kind(stored[i]) != JV_KIND_STRING)
			continue;
		fputs(jv_string_value(stored[i]), stdout);
		putchar('\n');
	}
	if (fflush(stdout) == EOF && errno != EPIPE) {
		warn("writing the stored records");
		return EX_SOFTWARE;
	}
	return 0;
}

/* The input text: a file, standard input or the feed.  0 or a status. */
static int
read_input(const struct opts *o, const char *file, char **text,
    size_t *len, char *source, size_t srclen)
{
	int fd = STDIN_FILENO, r;

	if (o->url != NULL) {
		struct feed_opts fo;
		struct feed_result res;
		enum feed_status st;
		char why[CURL_ERROR_SIZE + 64];

		feed_opts_init(&fo);
		fo.connect_timeout_ms = o->timeout * 1000;
		fo.max_time_ms = o->max_time * 1000;
		fo.retries = (int)o->retries;
		fo.max_size = (size_t)o->max_size;
		fo.user_agent = "geoput/" GEOROOM_VERSION;
		feed_redact(o->url, source, srclen);
		if (feed_fetch(o->url, &fo, &res, &st, why, sizeof(why)) ==
		    -1) {
			warnx("fetching %s: %s", source, why);
			return feed_exit(st);
		}
		*text = res.body;
		*len = res.len;
		return 0;
	}
	if (file != NULL && strcmp(file, "-") != 0) {
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
			warn("%s", file);
			return errno == ENOENT || errno == ENOTDIR ?
			    EX_NOINPUT : errno == EACCES ? EX_NOPERM :
			    EX_NOINPUT;
		}
		snprintf(source, srclen, "%s", file);
	} else {
		snprintf(source, srclen, "<stdin>");
	}
	r = slurp(fd, (size_t)o->max_size, text, len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r == -1) {
		if (errno == EFBIG) {
			warnx("%s: larger than %lld bytes (--max-size)", source,
			    o->max_size);
			return EX_DATAERR;
		}
		warn("reading %s", source);
		return EX_NOINPUT;
	}
	return 0;
}

/* A location given by --id, --lon and --lat, as a flat record. */
static void
flags_value(struct batch *b, const struct opts *o)
{
	jv v = jv_object();
	double lon, lat;

	(void)cmdline_double(o->lon, -HUGE_VAL, HUGE_VAL, &lon);
	(void)cmdline_double(o->lat, -HUGE_VAL, HUGE_VAL, &lat);
	v = jv_object_set(v, jv_string("lon"), jv_number(lon));
	v = jv_object_set(v, jv_string("lat"), jv_number(lat));
	add_value(b, v, &o->defs, 1);
}

/*
 * Checks that the options make one consistent request and fills in the
 * hub's default path.  Returns 0 or an exit status (a message printed).
 */
static int
check_options(struct opts *o, const char *file, char *hubpath, size_t len)
{
	if ((o->lon != NULL) != (o->lat != NULL)) {
		warnx("--lon and --lat go together");
		return EX_USAGE;
	}
	if (o->lon != NULL && (o->url != NULL || file != NULL || o->jq)) {
		warnx("--lon and --lat give the input: no --url, --jq or file");
		return EX_USAGE;
	}
	if (o->lon != NULL && o->defs.id == 0) {
		warnx("--lon and --lat need --id");
		return EX_USAGE;
	}
	if (o->url != NULL && file != NULL) {
		warnx("--url and a file both give the input: choose one");
		return EX_USAGE;
	}
	if (o->init_db && (o->lon != NULL || o->url != NULL || file != NULL ||
	    o->jq != NULL)) {
		warnx("--init-db only creates the table; it reads no input");
		return EX_USAGE;
	}
	if (o->hub == NULL) {
		if (ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), hubpath,
		    len) == -1) {
			warnx("default control socket path too long; use --hub");
			return EX_CONFIG;
		}
		o->hub = hubpath;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct cmdline cl;
	struct batch b;
	struct jqfilter jq, *jqp = NULL;
	struct ctlclient hub;
	struct db db;
	char hubpath[108], source[512], why[1024];
	const char *bad, *file = NULL;
	char *text = NULL;
	size_t len = 0;
	jv *stored = NULL;
	int c, rc = EX_SOFTWARE;

	memset(&o, 0, sizeof(o));
	o.ns = "/";
	o.event = "chat";
	o.table = DBSQL_TABLE;
	o.timeout = 10;
	o.max_time = 30;
	o.retries = 3;
	o.max_size = 64LL * 1024 * 1024;
	record_defaults_init(&o.defs);
	memset(&b, 0, sizeof(b));
	record_vec_init(&b.recs);
	ctlclient_init(&hub, 10000);
	memset(&db, 0, sizeof(db));

	if (cmdline_init(&cl, options) == -1)
		errx(EX_SOFTWARE, "bad option table");
	o.from_env = 1;
	if (cmdline_apply_env(options, apply, &o, &bad) != 0) {
		warnx("%s", o.err);
		warnx("bad value in $%s", bad);
		rc = EX_CONFIG;
		goto out;
	}
	o.from_env = 0;
	while ((c = getopt_long(argc, argv, cl.shortopts, cl.longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			cmdline_help(stdout, usage, options);
			rc = 0;
			goto out;
		case 'V':
			printf("geoput %s\n", GEOROOM_VERSION);
			rc = 0;
			goto out;
		case '?':
			fprintf(stderr, "geoput: try 'geoput --help'\n");
			rc = EX_USAGE;
			goto out;
		default:
			if (apply(c, optarg, &o) == -1) {
				warnx("%s", o.err);
				rc = EX_USAGE;
				goto out;
			}
		}
	}
	if (argc - optind > 1) {
		warnx("unexpected argument '%s'", argv[optind + 1]);
		rc = EX_USAGE;
		goto out;
	}
	if (optind < argc)
		file = argv[optind];
	if ((rc = check_options(&o, file, hubpath, sizeof(hubpath))) != 0)
		goto out;
	rc = EX_USAGE;
	hub.timeout_ms = (int)o.timeout * 1000;
	signal(SIGPIPE, SIG_IGN);

	if (o.init_db) {
		if ((rc = db_open(&db, &o)) != 0)
			goto out;
		rc = db_init_schema(&db) == -1 ? db_failed(&db, &o) : 0;
		goto out;
	}
	if (o.jq != NULL) {
		if (jqfilter_init(&jq, o.jq, jv_null(), why,
		    sizeof(why)) == -1) {
			warnx("--jq: %s", why);
			goto out;
		}
		jqp = &jq;
	}

	/* Read and check everything before anything is written. */
	b.keep_going = o.keep_going;
	if (o.lon != NULL) {
		b.source = "command line";
		flags_value(&b, &o);
	} else {
		if (o.url != NULL)
			curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = read_input(&o, file, &text, &len, source, sizeof(source));
		if (rc != 0)
			goto out;
		b.source = source;
		read_values(&b, text, len, jqp, &o.defs);
		free(text);
		text = NULL;
	}
	if (b.invalid > 0) {
		if (!o.keep_going && b.invalid > SHOWN_ERRORS)
			warnx("... and %zu more", b.invalid - SHOWN_ERRORS);
		if (!o.keep_going) {
			warnx("%zu invalid input%s; nothing written",
			    b.invalid, b.invalid == 1 ? "" : "s");
			rc = EX_DATAERR;
			goto out;
		}
	}
	record_vec_drop_invalid(&b.recs);
	if (record_vec_dedupe(&b.recs) == -1)
		errx(EX_SOFTWARE, "out of memory");
	if (b.recs.n == 0) {
		rc = b.invalid > 0 ? EX_DATAERR : 0;
		if (b.invalid > 0)
			warnx("no valid record; nothing written");
		goto out;
	}

	if (o.require_hub && !o.no_notify &&
	    (rc = hub_check(&hub, o.hub)) != 0)
		goto out;
	if ((rc = db_open(&db, &o)) != 0)
		goto out;
	stored = xcalloc(b.recs.n, sizeof(*stored));
	if ((rc = store(&db, &o, &b.recs, stored)) != 0)
		goto out;
	db_close(&db);
	if (!o.quiet)
		rc = print_stored(stored, b.recs.n);
	if (!o.no_notify) {
		int r = notify(&hub, &o, &b.recs, stored);

		if (r != 0)
			rc = r;
	}
	if (rc == 0 && b.invalid > 0) {
		warnx("%zu invalid input%s skipped (--keep-going)", b.invalid,
		    b.invalid == 1 ? "" : "s");
		rc = EX_DATAERR;
	}
out:
	if (stored != NULL) {
		for (size_t i = 0; i < b.recs.n; i++)
			jv_free(stored[i]);
		free(stored);
	}
	free(text);
	db_close(&db);
	ctlclient_release(&hub);
	if (jqp != NULL)
		jqfilter_release(jqp);
	record_vec_release(&b.recs);
	record_defaults_release(&o.defs);
	if (o.url != NULL)
		curl_global_cleanup();
	mysql_library_end();
	return rc;
}
