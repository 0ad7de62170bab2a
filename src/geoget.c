/*
 * geoget.c - read locations back from MySQL/MariaDB: where everyone is
 * now, who is near a point or within an area, the trail of one id.
 * Options and wiring: the question (getargs.h) made into one SELECT
 * (getsql.h), sent over a read-only use of geoput's connection (db.h),
 * each row printed as a GeoJSON Feature a line, or one FeatureCollection.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmdline.h"
#include "db.h"
#include "exits.h"
#include "getargs.h"
#include "getsql.h"
#include "input.h"
#include "lookup.h"
#include "polyarea.h"

/* The largest --polygon file read. */
#define POLYGON_MAX (16 * 1024 * 1024)

/* Standard output, as one FeatureCollection or a Feature a line. */
struct printer {
	int collection;
	size_t n;  /* texts printed */
	int error; /* errno of a failed write, or 0 */
};

static int
print_text(void *ctx, const char *text, size_t len)
{
	struct printer *p = ctx;

	if (p->collection)
		fputs(p->n == 0 ? "{\"type\":\"FeatureCollection\","
		                  "\"features\":[\n" :
		                  ",\n",
		    stdout);
	fwrite(text, 1, len, stdout);
	if (!p->collection)
		putchar('\n');
	p->n++;
	if (!ferror(stdout))
		return 0;
	p->error = errno;
	return -1;
}

/* Connects to the database the options name.  0, -1 (db->err), or a status. */
static int
db_open(struct db *db, const struct getargs *o)
{
	int bad_url;

	if (db_connect_url(db, o->db_url, o->db_env, (unsigned)o->timeout,
	        o->req.table, &bad_url) == 0)
		return 0;
	if (bad_url != 0)
		warnx("%s", db->err);
	return bad_url != 0 ? bad_url : -1;
}

/* Reports a database failure; returns its exit status. */
static int
db_failed(const struct db *db, const struct getargs *o)
{
	if (db->err_class == DBSQL_SCHEMA && o->req.cmd == GETSQL_TRAIL)
		warnx("database: %s (the history is kept by geoput --history)",
		    db->err);
	else if (db->err_class == DBSQL_SCHEMA)
		warnx("database: %s (geoput --init-db creates the table)",
		    db->err);
	else
		warnx("database: %s", db->err);
	return dbsql_exit(db->err_class);
}

/* Reads the --polygon file into 'wkb'.  0 or an exit status, told. */
static int
read_polygon(struct getargs *o, struct buf *wkb)
{
	struct input_opts io = { .file = o->polygon, .max_size = POLYGON_MAX };
	struct input in;
	enum input_status st;
	char why[1024];
	int rc = 0;

	if (input_read(&in, &io, &st, why, sizeof(why)) == -1) {
		warnx("--polygon: %s", why);
		rc = st == INPUT_DENIED ? EX_NOPERM :
		    st == INPUT_TOOBIG  ? EX_DATAERR :
		                          EX_NOINPUT;
	} else if (polyarea_wkb(wkb, in.text, in.len, why, sizeof(why)) ==
	    -1) {
		warnx("--polygon %s: %s", in.source, why);
		rc = errno == ENOMEM ? EX_SOFTWARE : EX_DATAERR;
	}
	input_release(&in);
	o->req.poly = (const unsigned char *)wkb->data;
	o->req.poly_len = wkb->len;
	return rc;
}

/* Asks, prints, and tells what was not found.  0 or an exit status. */
static int
ask(struct db *db, const struct getargs *o, const char *sql)
{
	struct printer p = { .collection = o->collection && !o->explain };
	struct lookup_sink out = { print_text, &p };
	size_t rows = 0;
	int r;

	if (o->explain)
		r = lookup_explain(db, sql, &out);
	else if (o->line)
		r = lookup_line(db, sql, &o->req.ids[0], &out, &rows);
	else
		r = lookup_features(db, sql, &out, &rows);
	if (r == 0 && p.collection)
		fputs(p.n == 0 ? "{\"type\":\"FeatureCollection\","
		                 "\"features\":[]}\n" :
		                 "\n]}\n",
		    stdout);
	if (p.error == 0 && fflush(stdout) == EOF)
		p.error = errno;
	/* A reader that went away, as head(1) does, is no failure. */
	if (p.error != 0 && p.error != EPIPE) {
		warnx("writing: %s", strerror(p.error));
		return EX_IOERR;
	}
	if (p.error != 0)
		return 0;
	if (r == -1)
		return db_failed(db, o);
	if (o->explain)
		return 0;
	/* An id asked about that has no row is missing input. */
	if (o->req.cmd == GETSQL_TRAIL && rows == 0) {
		warnx("trail: no position of %s in the history%s",
		    o->req.ids[0].text,
		    o->req.since.kind || o->req.until.kind ?
		        " at those times" :
		        "");
		return EX_NOINPUT;
	}
	if (o->req.cmd == GETSQL_NOW && o->req.nids > rows) {
		warnx("now: %zu of %zu ids have no location",
		    o->req.nids - rows, o->req.nids);
		return EX_NOINPUT;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct getargs o;
	struct db db;
	struct buf wkb;
	char **args;
	char *sql = NULL;
	int rc = EX_SOFTWARE, n;

	memset(&db, 0, sizeof(db));
	getargs_init(&o);
	buf_init(&wkb, POLYGON_MAX);
	/* Coordinates may be negative: "near -122.4 37.8 500". */
	if ((args = calloc((size_t)argc + 2, sizeof(*args))) == NULL)
		errx(EX_SOFTWARE, "out of memory");
	n = cmdline_operands_last(getargs_table, argc, argv, args);
	if (cmdline_parse(&getargs_prog, n, args, &o, stdout, stderr, &rc) ==
	    -1)
		goto out;
	rc = EX_USAGE;
	if (getargs_check(&o, n - optind, args + optind) == -1) {
		warnx("%s", o.err);
		goto out;
	}
	if (o.polygon != NULL && (rc = read_polygon(&o, &wkb)) != 0)
		goto out;
	signal(SIGPIPE, SIG_IGN);
	if ((rc = db_open(&db, &o)) == -1)
		rc = db_failed(&db, &o);
	if (rc != 0)
		goto out;
	/* The statement in the server's own flavour. */
	if ((sql = getsql_select(db.flavour, &o.req)) == NULL)
		errx(EX_SOFTWARE, "out of memory");
	rc = ask(&db, &o, sql);
out:
	free(sql);
	free(args);
	db_close(&db);
	buf_release(&wkb);
	getargs_release(&o);
	mysql_library_end();
	return rc;
}
