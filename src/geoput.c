/*
 * geoput.c - store GeoJSON locations in MySQL/MariaDB and notify the hub.
 * Options and wiring: input (flags, stdin or FILE, or --url) through the
 * optional jq filter into records, all checked before one transaction
 * upserts them, then each stored row printed and announced to georoomd
 * over its control socket, or to every Socket.IO server on a Redis.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "batch.h"
#include "cmdline.h"
#include "ctl.h"
#include "db.h"
#include "emitter.h"
#include "exits.h"
#include "input.h"
#include "jqfilter.h"
#include "notify.h"
#include "putopt.h"
#include "record.h"
#include "redisurl.h"
#include "store.h"
#include "version.h"

/* Error messages printed, when not --keep-going, before "and N more". */
#define SHOWN_ERRORS 20

/* The rejections told so far, and where they come from. */
struct rejects {
	const char *source; /* "command line", "<stdin>", a file, a URL */
	size_t shown;
	int all; /* --keep-going: every one is told */
};

/* Tells of one rejected value or record, as batch.h asks. */
static void
reject(void *ctx, size_t line, const char *what, const char *msg)
{
	struct rejects *r = ctx;

	if (r->all || ++r->shown <= SHOWN_ERRORS)
		warnx("%s:%zu: %s%s", r->source, line, what, msg);
}

/* The exit status for each class of failure: the one place they are chosen. */
static int
input_exit(enum input_status st)
{
	static const int ex[] = { [INPUT_OK] = 0,
		[INPUT_BADURL] = EX_USAGE,
		[INPUT_NOTFOUND] = EX_NOINPUT,
		[INPUT_DENIED] = EX_NOPERM,
		[INPUT_TOOBIG] = EX_DATAERR,
		[INPUT_TEMPORARY] = EX_TEMPFAIL,
		[INPUT_UNAVAILABLE] = EX_UNAVAILABLE };

	return ex[st];
}

/*
 * Before the write a hub that cannot be reached is unavailable and one that
 * refuses the stats request is not speaking the protocol; after it, the
 * records stand, so a retry of the announcement may work, and refused
 * emits mean the options (--ns, --event) do not suit the hub.
 */
static int
hub_exit(const struct notify *n, int written)
{
	switch (n->net) {
	case CTLCLIENT_OK:
		break;
	case CTLCLIENT_PROTOCOL:
		return EX_PROTOCOL;
	case CTLCLIENT_LOCAL:
		return EX_SOFTWARE;
	default: /* unreachable, denied, timed out, closed */
		return written ? EX_TEMPFAIL : EX_UNAVAILABLE;
	}
	switch (n->reply) {
	case CTL_OK:
		return 0;
	case CTL_ERR_REFUSED:
		return written ? EX_CONFIG : EX_PROTOCOL;
	default:
		return EX_PROTOCOL;
	}
}

/* The same for Redis, whose refusals are those of its configuration. */
static int
redis_exit(const struct emitter *e, int written)
{
	switch (e->redis.err) {
	case REDISPUB_OK:
		return 0;
	case REDISPUB_PROTOCOL:
		return EX_PROTOCOL;
	case REDISPUB_LOCAL:
		return EX_SOFTWARE;
	case REDISPUB_REFUSED:
		return EX_CONFIG;
	default: /* unreachable, denied, timed out, closed */
		return written ? EX_TEMPFAIL : EX_UNAVAILABLE;
	}
}

/* Reports a database failure and returns the exit status for it. */
static int
db_failed(const struct db *db, const struct putopt *o)
{
	int other = strcmp(o->table, DBSQL_TABLE) != 0;

	/* A table or a column missing, which the server named. */
	if (db->err_class == DBSQL_SCHEMA && db->err_num != 0 && !o->init_db)
		warnx("database: %s; run 'geoput --init-db%s%s' to create the "
		      "table",
		    db->err, other ? " --table " : "", other ? o->table : "");
	else
		warnx("database: %s", db->err);
	return dbsql_exit(db->err_class);
}

/*
 * Connects to the database named by the options.  0; -1 when the
 * connection failed (db->err, not yet told); or the exit status of a bad
 * URL, told.
 */
static int
db_open(struct db *db, const struct putopt *o)
{
	int bad_url;

	if (db_connect_url(db, o->db_url, o->db_env, (unsigned)o->timeout,
	        o->table, &bad_url) == 0)
		return 0;
	if (bad_url != 0)
		warnx("%s", db->err);
	return bad_url != 0 ? bad_url : -1;
}

/* Announces the stored records; 0 or an exit status, warnings printed. */
static int
announce(struct notify *n, const struct putopt *o,
    const struct roommsg_item *items, size_t count)
{
	if (notify_emit(n, o->ns, o->event, items, count) == 0)
		return 0;
	if (n->why[0] != '\0')
		warnx("%s", n->why);
	if (n->refused > 0)
		warnx("hub at %s refused %zu emit%s: %s", n->path, n->refused,
		    n->refused == 1 ? "" : "s", n->refusal);
	/* Items, not locations: --also-room and fence events add some. */
	warnx("%zu of %zu announcement%s not made", count - n->done, count,
	    count == 1 ? "" : "s");
	return hub_exit(n, 1);
}

/*
 * Announces the stored records through Redis; 0 or an exit status,
 * warnings printed.  Those sent whose reply never came are told apart:
 * they may have reached the servers.
 */
static int
announce_redis(struct emitter *e, const struct putopt *o,
    const struct roommsg_item *items, size_t count)
{
	size_t unknown, lost;

	if (emitter_emit(e, o->ns, o->event, items, count) == 0)
		return 0;
	warnx("%s", e->why[0] != '\0' ? e->why : e->redis.why);
	if (e->refused > 1)
		warnx("redis at %s refused %zu PUBLISHes", e->redis.where,
		    e->refused);
	unknown = e->sent - e->done - e->refused;
	lost = count - e->done - unknown;
	if (lost > 0)
		warnx("%zu of %zu announcement%s not made", lost, count,
		    count == 1 ? "" : "s");
	if (unknown > 0)
		warnx("%zu of %zu announcement%s sent to redis at %s "
		      "without a reply: %s may or may not have been published",
		    unknown, count, count == 1 ? "" : "s", e->redis.where,
		    unknown == 1 ? "it" : "they");
	return redis_exit(e, 1);
}

/* Parses the Redis URL the options chose.  0 or an exit status. */
static int
redis_url(struct redisurl *u, const struct putopt *o)
{
	char why[256];

	if (redisurl_parse(u, o->redis_url, why, sizeof(why)) == 0)
		return 0;
	warnx("%s%s: %s", o->redis_env ? "$" : "--redis",
	    o->redis_env ? o->redis_env : "", why);
	return o->redis_env != NULL ? EX_CONFIG : EX_USAGE;
}

/* The batch on its way to the database, opened at its first record. */
struct writing {
	struct db db;
	struct store st;
	struct store_opts opts;
	int state;  /* 0: not opened, 1: open, -1: failed (db.err) */
	int hub_rc; /* the exit status --require-hub found, or 0 */
};

/* Checks, before anything is written, that the announcer answers. */
static int
require_hub(const struct putopt *o, struct notify *hub, struct emitter *em)
{
	if (!o->require_hub || o->no_notify)
		return 0;
	if (o->redis_url != NULL && emitter_check(em) == -1) {
		warnx("%s; nothing written (--require-hub)", em->redis.why);
		return redis_exit(em, 0);
	}
	if (o->redis_url == NULL && notify_check(hub) == -1) {
		warnx("%s; nothing written (--require-hub)", hub->why);
		return hub_exit(hub, 0);
	}
	return 0;
}

/*
 * Opens the batch at its first record: the announcer checked, the
 * database connected and its table probed, the transaction begun.
 * Returns 0 (w->state tells how it went), or an exit status to stop at.
 */
static int
open_writing(struct writing *w, const struct putopt *o, struct notify *hub,
    struct emitter *em)
{
	int r;

	if ((w->hub_rc = require_hub(o, hub, em)) != 0)
		return w->hub_rc;
	if ((r = db_open(&w->db, o)) > 0)
		return r;
	w->state = r == 0 && db_probe(&w->db, o->history) == 0 &&
	        store_begin(&w->st, &w->db, &w->opts) == 0 ?
	    1 :
	    -1;
	return 0;
}

/*
 * Hands the records read since record 'from' to the batch, opening it
 * at the first valid one; those a table of integer ids cannot hold are
 * refused.  Returns 0, or an exit status to stop at.
 */
static int
feed(struct writing *w, struct batch *b, size_t from, const struct putopt *o,
    struct notify *hub, struct emitter *em)
{
	char msg[RECORD_ERR_MAX];
	int rc;

	for (size_t i = from; i < b->recs.n; i++) {
		const struct record *r = &b->recs.v[i];

		if (r->error != NULL)
			continue;
		if (w->state == 0 && (rc = open_writing(w, o, hub, em)) != 0)
			return rc;
		if (w->state != 1)
			continue;
		if (w->db.ids == DB_IDS_INT && !locid_is_int(&r->id)) {
			snprintf(msg, sizeof(msg),
			    "id: \"%s\" is not an integer, and table `%s` "
			    "keys by integers (see Migrating in geoput(1))",
			    r->id.text, o->table);
			if (batch_refuse(b, i, msg) == -1)
				errx(EX_SOFTWARE, "out of memory");
			continue;
		}
		if (store_add(&w->st, i, r) == -1)
			errx(EX_SOFTWARE, "out of memory");
	}
	return 0;
}

/* Reads the input and stores its records.  0 or an exit status. */
static int
read_and_store(struct writing *w, const struct putopt *o, const char *file,
    struct batch *b, struct rejects *rej, struct notify *hub,
    struct emitter *em)
{
	struct input_opts io = { .url = o->url,
		.file = file,
		.max_size = (size_t)o->max_size,
		.connect_timeout_ms = o->timeout * 1000,
		.max_time_ms = o->max_time * 1000,
		.retries = (int)o->retries,
		.user_agent = "geoput/" GEOROOM_VERSION };
	struct input in;
	enum input_status st;
	char why[1024];
	double lon, lat;
	size_t from = 0;
	int r, rc = 0;

	if (o->lon != NULL) {
		rej->source = "command line";
		(void)cmdline_double(o->lon, -HUGE_VAL, HUGE_VAL, &lon);
		(void)cmdline_double(o->lat, -HUGE_VAL, HUGE_VAL, &lat);
		if (batch_add_value(b,
		        jv_object_set(jv_object_set(jv_object(),
		                          jv_string("lon"), jv_number(lon)),
		            jv_string("lat"), jv_number(lat)),
		        1) == -1)
			errx(EX_SOFTWARE, "out of memory");
		return feed(w, b, 0, o, hub, em);
	}
	if (input_read(&in, &io, &st, why, sizeof(why)) == -1) {
		warnx("%s%s", why,
		    st == INPUT_TOOBIG && o->url == NULL ? " (--max-size)" :
		                                           "");
		input_release(&in);
		return input_exit(st);
	}
	rej->source = in.source;
	/* Each value is stored while the next ones are parsed. */
	if (batch_open(b, in.text, in.len) == -1)
		errx(EX_SOFTWARE, "out of memory");
	while (rc == 0 && (r = batch_next(b)) != 0) {
		if (r == -1)
			errx(EX_SOFTWARE, "out of memory");
		rc = feed(w, b, from, o, hub, em);
		from = b->recs.n;
	}
	batch_close(b);
	input_release(&in);
	return rc;
}

/* Prints each stored Feature as one line; stops quietly on EPIPE. */
static int
print_stored(const struct store *st)
{
	for (size_t i = 0; i < st->nout; i++) {
		const struct store_out *out = &st->out[i];

		if (out->fate != STORE_STORED && out->fate != STORE_UNCHANGED)
			continue;
		fputs(jv_string_value(out->feature), stdout);
		putchar('\n');
	}
	if (fflush(stdout) == EOF && errno != EPIPE) {
		warn("writing the stored records");
		return EX_SOFTWARE;
	}
	return 0;
}

/*
 * What the announcers take: the stored records that changed, in order,
 * then, for each --also-room template, each of them again for the room
 * the template makes of it (those it makes none of are left out), then
 * the fences entered and left, each to its fence's room.  The
 * group rooms' names are owned by the items: free_announcements().
 */
static struct roommsg_item *
announcements(const struct store *st, const struct record_vec *rv,
    const struct putopt *o, size_t *count)
{
	struct roommsg_item *items =
	    calloc((st->nout + 1) * (o->nalso_rooms + 1) + st->nevents,
	        sizeof(*items));
	char room[ROOMMSG_GROUP_MAX];
	size_t n = 0, own;

	if (items == NULL)
		errx(EX_SOFTWARE, "out of memory");
	for (size_t i = 0; i < st->nout && i < rv->n; i++) {
		const struct store_out *out = &st->out[i];

		if (out->fate != STORE_STORED &&
		    !(o->announce_unchanged && out->fate == STORE_UNCHANGED))
			continue;
		items[n].id = &rv->v[i].id;
		items[n].user = out->user;
		items[n++].feature = out->feature;
	}
	own = n;
	for (size_t t = 0; t < o->nalso_rooms; t++)
		for (size_t i = 0; i < own; i++) {
			jv f = jv_parse(jv_string_value(items[i].feature));

			if (roommsg_expand(o->also_rooms[t], f, room) > 0) {
				items[n] = items[i];
				if ((items[n].room = strdup(room)) == NULL)
					errx(EX_SOFTWARE, "out of memory");
				n++;
			}
			jv_free(f);
		}
	for (size_t i = 0; i < st->nevents; i++) {
		const struct store_event *ev = &st->events[i];

		items[n].id = &rv->v[ev->rec].id;
		items[n].user = st->out[ev->rec].user;
		items[n].feature = st->out[ev->rec].feature;
		items[n].fence = &ev->fence;
		items[n].fence_name = ev->name;
		items[n].enter = ev->enter;
		roommsg_fence_room(&ev->fence, room);
		if ((items[n++].room = strdup(room)) == NULL)
			errx(EX_SOFTWARE, "out of memory");
	}
	*count = n;
	return items;
}

static void
free_announcements(struct roommsg_item *items, size_t count)
{
	for (size_t i = 0; items != NULL && i < count; i++)
		free((char *)items[i].room);
	free(items);
}

/* Tells of the records older than the locations stored. */
static void
tell_skipped(const struct store *st)
{
	size_t n = 0;

	for (size_t i = 0; i < st->nout; i++)
		n += st->out[i].fate == STORE_SKIPPED;
	if (n > 0)
		warnx("%zu record%s skipped: older than the location stored",
		    n, n == 1 ? "" : "s");
}

/* Reports the invalid inputs; returns the exit status, or 0 to go on. */
static int
invalid_input(const struct batch *b, const struct putopt *o)
{
	if (b->invalid == 0 || o->keep_going)
		return 0;
	if (b->invalid > SHOWN_ERRORS)
		warnx("... and %zu more", b->invalid - SHOWN_ERRORS);
	warnx("%zu invalid input%s; nothing written", b->invalid,
	    b->invalid == 1 ? "" : "s");
	return EX_DATAERR;
}

int
main(int argc, char **argv)
{
	struct putopt o;
	struct rejects rej = { 0 };
	struct batch b;
	struct jqfilter jq, *jqp = NULL;
	struct notify hub;
	struct redisurl rurl;
	struct emitter em;
	struct writing w;
	char hubpath[108], why[1024];
	const char *file = NULL;
	struct roommsg_item *items = NULL;
	size_t nitems = 0;
	int c, rc = EX_SOFTWARE;

	memset(&w, 0, sizeof(w));
	putopt_init(&o);
	batch_init(&b, &o.defs, NULL, reject, &rej);
	notify_init(&hub, NULL, 10000);
	redisurl_init(&rurl);
	emitter_init(&em, &rurl, NULL, 10000);
	if (cmdline_parse(&putopt_prog, argc, argv, &o, stdout, stderr, &rc) ==
	    -1)
		goto out;
	if (argc - optind > 1) {
		warnx("unexpected argument '%s'", argv[optind + 1]);
		rc = EX_USAGE;
		goto out;
	}
	if (optind < argc)
		file = argv[optind];
	rc = EX_USAGE;
	if (putopt_check(&o, file) == -1) {
		warnx("%s", o.err);
		goto out;
	}
	w.opts.merge = !o.replace;
	w.opts.history = o.history;
	w.opts.fences = !o.no_fences;
	signal(SIGPIPE, SIG_IGN);
	if (o.init_db) {
		if ((rc = db_open(&w.db, &o)) == -1 ||
		    (rc == 0 && db_init_schema(&w.db) == -1))
			rc = db_failed(&w.db, &o);
		else if (rc == 0 && w.db.ids == DB_IDS_INT)
			warnx("table `%s` keys by integers: string ids need it "
			      "migrated (see Migrating in geoput(1))",
			    o.table);
		goto out;
	}
	if (o.redis_url != NULL) {
		if ((rc = redis_url(&rurl, &o)) != 0)
			goto out;
		rc = EX_USAGE;
		em.key = o.redis_key;
		em.redis.timeout_ms = (int)o.timeout * 1000;
	} else if (o.hub == NULL &&
	    ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), hubpath,
	        sizeof(hubpath)) == -1) {
		warnx("default control socket path too long; use --hub");
		rc = EX_CONFIG;
		goto out;
	}
	hub.path = o.hub != NULL ? o.hub : hubpath;
	hub.hub.timeout_ms = (int)o.timeout * 1000;
	if (o.jq != NULL) {
		if (jqfilter_init(&jq, o.jq, jv_null(), why, sizeof(why)) ==
		    -1) {
			warnx("--jq: %s", why);
			goto out;
		}
		b.jq = jqp = &jq;
	}

	/*
	 * Every record is checked, and the valid ones written in one
	 * transaction as they come, which is rolled back unless all are
	 * valid (or --keep-going): nothing is written otherwise.
	 */
	if (o.url != NULL)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	rej.all = o.keep_going;
	if ((rc = read_and_store(&w, &o, file, &b, &rej, &hub, &em)) != 0)
		goto out;
	if ((rc = invalid_input(&b, &o)) != 0) {
		if (w.state == 1)
			(void)store_end(&w.st, 0);
		goto out;
	}
	if (w.state == 0) {
		rc = b.invalid > 0 ? EX_DATAERR : 0;
		if (b.invalid > 0)
			warnx("no valid record; nothing written");
		goto out;
	}
	if (w.state == -1 || store_end(&w.st, 1) == -1) {
		rc = db_failed(&w.db, &o);
		goto out;
	}
	if (w.db.note[0] != '\0')
		warnx("database: %s", w.db.note);
	if (w.st.fences_unreadable)
		warnx("no geofence looked at: this account may not read "
		      "`%s_fence` (grant it SELECT, or give --no-fences)",
		    o.table);
	db_close(&w.db);
	rc = o.quiet ? 0 : print_stored(&w.st);
	tell_skipped(&w.st);
	items = announcements(&w.st, &b.recs, &o, &nitems);
	if (o.no_notify || nitems == 0)
		c = 0;
	else if (o.redis_url != NULL)
		c = announce_redis(&em, &o, items, nitems);
	else
		c = announce(&hub, &o, items, nitems);
	if (c != 0)
		rc = c;
	if (rc == 0 && b.invalid > 0) {
		warnx("%zu invalid input%s skipped (--keep-going)", b.invalid,
		    b.invalid == 1 ? "" : "s");
		rc = EX_DATAERR;
	}
out:
	free_announcements(items, nitems);
	if (w.state != 0)
		store_release(&w.st);
	db_close(&w.db);
	notify_release(&hub);
	emitter_release(&em);
	redisurl_release(&rurl);
	if (jqp != NULL)
		jqfilter_release(jqp);
	batch_release(&b);
	putopt_release(&o);
	if (o.url != NULL)
		curl_global_cleanup();
	mysql_library_end();
	return rc;
}
