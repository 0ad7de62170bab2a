/*
 * geofence.c - manage the geofences geoput finds locations entering and
 * leaving.  Options and wiring: the command word, the database, and for
 * add the GeoJSON read from a file or standard input; fence.h reads and
 * writes fences, db.h stores them.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmdline.h"
#include "db.h"
#include "exits.h"
#include "fence.h"
#include "fenceopt.h"
#include "input.h"
#include "wkb.h"

/* Largest fence text read: a country's outline fits. */
#define FENCE_INPUT_MAX (16 * 1024 * 1024)

/* Reports a database failure; returns the exit status for it. */
static int
db_failed(const struct db *db, const struct fenceopt *o)
{
	int other = strcmp(o->table, DBSQL_TABLE) != 0;

	if (db->err_class == DBSQL_SCHEMA && db->err_num != 0)
		warnx("database: %s; run 'geofence%s%s add' or 'geoput "
		      "--init-db' to create the table",
		    db->err, other ? " --table " : "", other ? o->table : "");
	else
		warnx("database: %s", db->err);
	return dbsql_exit(db->err_class);
}

static int
input_exit(enum input_status st)
{
	switch (st) {
	case INPUT_OK:
		return 0;
	case INPUT_NOTFOUND:
		return EX_NOINPUT;
	case INPUT_DENIED:
		return EX_NOPERM;
	case INPUT_TOOBIG:
		return EX_DATAERR;
	default:
		return EX_SOFTWARE;
	}
}

/* add: reads, checks and stores one fence.  0 or an exit status. */
static int
add(struct db *db, const struct fenceopt *o)
{
	struct input_opts io = { .file = o->file,
		.max_size = FENCE_INPUT_MAX };
	struct input in;
	enum input_status st;
	struct buf wkb;
	char why[1024];
	jv geom, name;
	int rc = 0;

	if (input_read(&in, &io, &st, why, sizeof(why)) == -1) {
		warnx("%s", why);
		input_release(&in);
		return input_exit(st);
	}
	geom = fence_read(in.text, in.len, &name, why, sizeof(why));
	if (!jv_is_valid(geom)) {
		warnx("%s: %s", in.source, why);
		input_release(&in);
		jv_free(geom);
		return EX_DATAERR;
	}
	input_release(&in);
	buf_init(&wkb, FENCE_INPUT_MAX);
	if (wkb_from_geojson(&wkb, geom) == -1)
		errx(EX_SOFTWARE, "out of memory");
	if (db_fence_create(db) == -1 ||
	    db_fence_put(db, &o->id,
	        o->name != NULL ? o->name :
	            jv_get_kind(name) == JV_KIND_STRING ?
	                          jv_string_value(name) :
	                          NULL,
	        wkb.data, wkb.len) == -1)
		rc = db_failed(db, o);
	buf_release(&wkb);
	jv_free(geom);
	jv_free(name);
	return rc;
}

/* What list prints, and whether printing failed. */
struct lister {
	struct buf line;
	size_t n;
	int collection, bad;
};

static void
list_one(void *ctx, const struct db_fence *f)
{
	struct lister *l = ctx;
	struct locid id;

	if (locid_from_text(f->id, f->id_len, &id, NULL, 0) == -1) {
		warnx("fence id '%.*s' is not an id; skipped", (int)f->id_len,
		    f->id);
		l->bad = 1;
		return;
	}
	buf_reset(&l->line);
	if (fence_feature(&l->line, &id, f->name, f->name_len, f->wkb,
	        f->wkb_len, f->created_at) == -1) {
		if (errno != EINVAL)
			errx(EX_SOFTWARE, "out of memory");
		warnx("fence %s: its polygon is not WKB; skipped", id.text);
		l->bad = 1;
		return;
	}
	if (l->collection)
		fputs(l->n == 0 ? "\n" : ",\n", stdout);
	fwrite(l->line.data, 1, l->line.len, stdout);
	if (!l->collection)
		putchar('\n');
	l->n++;
}

/* list: every fence.  0 or an exit status. */
static int
list(struct db *db, const struct fenceopt *o)
{
	struct lister l = { .collection = o->collection };
	int rc = 0;

	buf_init(&l.line, (size_t)1 << 30);
	if (o->collection)
		fputs("{\"type\":\"FeatureCollection\",\"features\":[",
		    stdout);
	if (db_fence_list(db, list_one, &l) == -1)
		rc = db_failed(db, o);
	else if (o->collection)
		fputs(l.n == 0 ? "]}\n" : "\n]}\n", stdout);
	buf_release(&l.line);
	if (fflush(stdout) == EOF && errno != EPIPE) {
		warn("writing the fences");
		return EX_IOERR;
	}
	if (rc == 0 && l.bad)
		rc = EX_DATAERR;
	return rc;
}

/* remove: each fence named.  0 or an exit status. */
static int
remove_fences(struct db *db, const struct fenceopt *o)
{
	int rc = 0;

	for (int i = 0; i < o->nids; i++) {
		struct locid id;
		int found;

		/* Checked by fenceopt_check(). */
		(void)locid_from_text(o->ids[i], strlen(o->ids[i]), &id, NULL,
		    0);
		if (db_fence_remove(db, &id, &found) == -1)
			return db_failed(db, o);
		if (!found) {
			warnx("no fence '%s'", id.text);
			rc = EX_DATAERR;
		}
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct fenceopt o;
	struct db db;
	int bad_url, rc = EX_SOFTWARE;

	memset(&db, 0, sizeof(db));
	fenceopt_init(&o);
	if (cmdline_parse(&fenceopt_prog, argc, argv, &o, stdout, stderr,
	        &rc) == -1)
		return rc;
	if (fenceopt_check(&o, argc - optind, argv + optind) == -1) {
		warnx("%s", o.err);
		fprintf(stderr, "geofence: try 'geofence --help'\n");
		return EX_USAGE;
	}
	if (db_connect_url(&db, o.db_url, o.db_env, (unsigned)o.timeout,
	        o.table, &bad_url) == -1) {
		if (bad_url != 0)
			warnx("%s", db.err);
		rc = bad_url != 0 ? bad_url : db_failed(&db, &o);
		goto out;
	}
	switch (o.cmd) {
	case FENCEOPT_ADD:
		rc = add(&db, &o);
		break;
	case FENCEOPT_LIST:
		rc = list(&db, &o);
		break;
	case FENCEOPT_REMOVE:
		rc = remove_fences(&db, &o);
		break;
	}
out:
	db_close(&db);
	mysql_library_end();
	return rc;
}
