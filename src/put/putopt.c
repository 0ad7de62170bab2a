/* putopt.c - geoput's options (see putopt.h). */
#include "putopt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clustermsg.h"
#include "dbsql.h"
#include "exits.h"
#include "json.h"
#include "redisurl.h"
#include "sio.h"

const struct cmdline_opt putopt_table[] = {
	{ "also-room", PUTOPT_ALSO_ROOM, "TEMPLATE",
	    "announce to this room too, {prop} filled (repeatable)", NULL },
	{ "announce-unchanged", PUTOPT_ANNOUNCE_UNCHANGED, NULL,
	    "announce updates that change nothing", NULL },
	{ "db", PUTOPT_DB, "URL",
	    "database, as mysql://user:pass@host:port/db", "GEOROOM_DB" },
	{ "event", PUTOPT_EVENT, "NAME", "event to emit (chat)", NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "history", PUTOPT_HISTORY, NULL,
	    "also append each stored position to the history", NULL },
	{ "hub", 'c', "PATH", "georoomd's control socket", "GEOROOM_SOCKET" },
	{ "id", PUTOPT_ID, "ID", "location id for records without one", NULL },
	{ "init-db", PUTOPT_INIT_DB, NULL,
	    "create the table if missing, then exit", NULL },
	{ "jq", PUTOPT_JQ, "FILTER",
	    "reshape each input value with a jq filter", NULL },
	{ "keep-extra", PUTOPT_KEEP_EXTRA, NULL,
	    "keep a flat record's other members as properties", NULL },
	{ "keep-going", 'k', NULL, "store the valid records, report the rest",
	    NULL },
	{ "lat", PUTOPT_LAT, "Y", "latitude of a location given by flags",
	    NULL },
	{ "lon", PUTOPT_LON, "X", "longitude of a location given by flags",
	    NULL },
	{ "max-size", PUTOPT_MAX_SIZE, "BYTES",
	    "largest input accepted (64 MiB)", NULL },
	{ "max-time", PUTOPT_MAX_TIME, "SEC", "longest one --url attempt (30)",
	    NULL },
	{ "no-fences", PUTOPT_NO_FENCES, NULL,
	    "do not look for geofence entries and exits", NULL },
	{ "no-notify", PUTOPT_NO_NOTIFY, NULL, "do not tell the hub", NULL },
	{ "ns", 'n', "NS", "namespace to emit in (/)", NULL },
	{ "prop", PUTOPT_PROP, "K=V",
	    "property for every record (K:=JSON too)", NULL },
	{ "quiet", 'q', NULL, "do not print the stored records", NULL },
	{ "redis", PUTOPT_REDIS, "URL",
	    "announce to every Socket.IO server on this Redis",
	    "GEOROOM_REDIS" },
	{ "redis-key", PUTOPT_REDIS_KEY, "KEY",
	    "prefix of the cluster's Redis channels (socket.io)", NULL },
	{ "replace", PUTOPT_REPLACE, NULL,
	    "replace properties and user id instead of merging", NULL },
	{ "require-hub", PUTOPT_REQUIRE_HUB, NULL,
	    "check the hub (or Redis) answers before writing", NULL },
	{ "retries", PUTOPT_RETRIES, "N",
	    "further --url attempts on failure (3)", NULL },
	{ "table", PUTOPT_TABLE, "NAME", "table to write (location)", NULL },
	{ "time-field", PUTOPT_TIME_FIELD, "NAME",
	    "member holding a record's own time (time)", NULL },
	{ "timeout", PUTOPT_TIMEOUT, "SEC",
	    "bound on each database, hub and connect wait (10)", NULL },
	{ "url", PUTOPT_URL, "URL", "fetch the input from URL", NULL },
	{ "user", PUTOPT_USER, "N", "user id for records without one", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL }, { 0 }
};

const char putopt_usage[] =
    "usage: geoput [-hkqV] [-c path | --redis url] [-n ns]\n"
    "              [--announce-unchanged] [--db url] [--event name]\n"
    "              [--history] [--id id] [--jq filter] [--keep-extra]\n"
    "              [--prop k=v] [--redis-key key] [--replace]\n"
    "              [--table name] [--time-field name] [--user n]\n"
    "              [--lon x --lat y | --url url | file]\n"
    "       geoput --init-db [--db url] [--table name]\n";

void
putopt_init(struct putopt *o)
{
	memset(o, 0, sizeof(*o));
	o->ns = "/";
	o->event = "chat";
	o->table = DBSQL_TABLE;
	o->redis_key = CLUSTERMSG_KEY;
	o->timeout = 10;
	o->max_time = 30;
	o->retries = 3;
	o->max_size = 64LL * 1024 * 1024;
	record_defaults_init(&o->defs);
}

void
putopt_release(struct putopt *o)
{
	record_defaults_release(&o->defs);
}

/* A user id from the command line. */
static int
user_arg(struct putopt *o, int val, const char *arg, uint64_t *out)
{
	char why[128];

	if (record_user_id(jv_string(arg), out, why, sizeof(why)) == 0)
		return 0;
	snprintf(o->err, sizeof(o->err), "--%s: %s",
	    cmdline_long_name(putopt_table, val), why);
	return -1;
}

int
putopt_apply(int val, const char *arg, void *ctx)
{
	struct putopt *o = ctx;
	char why[256];
	uint64_t id;
	double d;

	switch (val) {
	case 'c':
		o->hub = arg;
		o->hub_env = NULL;
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
	case PUTOPT_ANNOUNCE_UNCHANGED:
		o->announce_unchanged = 1;
		return 0;
	case PUTOPT_DB:
		o->db_url = arg;
		o->db_env = NULL;
		return 0;
	case PUTOPT_EVENT:
		if (arg[0] == '\0' || sio_event_reserved(arg, strlen(arg))) {
			snprintf(o->err, sizeof(o->err),
			    "--event '%s': not an "
			    "event a server may emit",
			    arg);
			return -1;
		}
		o->event = arg;
		return 0;
	case PUTOPT_HISTORY:
		o->history = 1;
		return 0;
	case PUTOPT_ID:
		if (locid_from_text(arg, strlen(arg), &o->defs.id, why,
		        sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "--id: %s", why);
			return -1;
		}
		return 0;
	case PUTOPT_INIT_DB:
		o->init_db = 1;
		return 0;
	case PUTOPT_JQ:
		o->jq = arg;
		return 0;
	case PUTOPT_KEEP_EXTRA:
		o->defs.keep_extra = 1;
		return 0;
	case PUTOPT_LAT:
	case PUTOPT_LON:
		/* Ranges are checked with the record, as for any input. */
		if (cmdline_double(arg, -HUGE_VAL, HUGE_VAL, &d) == -1) {
			snprintf(o->err, sizeof(o->err),
			    "--%s '%s' is not a "
			    "number",
			    cmdline_long_name(putopt_table, val), arg);
			return -1;
		}
		if (val == PUTOPT_LAT)
			o->lat = arg;
		else
			o->lon = arg;
		return 0;
	case PUTOPT_MAX_SIZE:
		return cmdline_number_arg(putopt_table, val, arg, 1, 1LL << 40,
		    &o->max_size, o->err, sizeof(o->err));
	case PUTOPT_MAX_TIME:
		return cmdline_number_arg(putopt_table, val, arg, 1, 86400,
		    &o->max_time, o->err, sizeof(o->err));
	case PUTOPT_NO_FENCES:
		o->no_fences = 1;
		return 0;
	case PUTOPT_NO_NOTIFY:
		o->no_notify = 1;
		return 0;
	case PUTOPT_ALSO_ROOM:
		if (arg[0] == '\0' || strlen(arg) >= 1024) {
			snprintf(o->err, sizeof(o->err),
			    "--also-room must be 1 to 1023 bytes");
			return -1;
		}
		return cmdline_list_add(putopt_table, val, arg, o->also_rooms,
		    &o->nalso_rooms, PUTOPT_ALSO_ROOMS_MAX, o->err,
		    sizeof(o->err));
	case PUTOPT_PROP:
		if (record_defaults_prop(&o->defs, arg, why, sizeof(why)) ==
		    -1) {
			snprintf(o->err, sizeof(o->err), "--prop: %s", why);
			return -1;
		}
		return 0;
	case PUTOPT_REDIS:
		/* Parsed once the announcer is chosen: a flag sets a bad
		 * $GEOROOM_REDIS aside, as --db does $GEOROOM_DB. */
		o->redis_url = arg;
		o->redis_env = NULL;
		return 0;
	case PUTOPT_REDIS_KEY:
		if (redisurl_key_option(arg, o->err, sizeof(o->err)) == -1)
			return -1;
		o->redis_key = arg;
		return 0;
	case PUTOPT_REPLACE:
		o->replace = 1;
		return 0;
	case PUTOPT_REQUIRE_HUB:
		o->require_hub = 1;
		return 0;
	case PUTOPT_RETRIES:
		return cmdline_number_arg(putopt_table, val, arg, 0, 20,
		    &o->retries, o->err, sizeof(o->err));
	case PUTOPT_TABLE:
		if (dbsql_check_table(arg, why, sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "--table '%s': %s",
			    arg, why);
			return -1;
		}
		o->table = arg;
		return 0;
	case PUTOPT_TIME_FIELD:
		/* A member name, as JSON text holds it: any UTF-8 but none. */
		if (arg[0] == '\0' ||
		    json_utf8_check(arg, strlen(arg)) == -1) {
			snprintf(o->err, sizeof(o->err),
			    "--time-field: expected a member name, got \"%.60s\"",
			    arg);
			return -1;
		}
		o->defs.time_field = arg;
		return 0;
	case PUTOPT_TIMEOUT:
		return cmdline_number_arg(putopt_table, val, arg, 1, 3600,
		    &o->timeout, o->err, sizeof(o->err));
	case PUTOPT_URL:
		o->url = arg;
		return 0;
	case PUTOPT_USER:
		if (user_arg(o, val, arg, &id) == -1)
			return -1;
		jv_free(o->defs.user);
		o->defs.user = jv_number((double)id);
		return 0;
	default:
		return -1;
	}
}

int
putopt_apply_env(int val, const char *arg, void *ctx)
{
	struct putopt *o = ctx;

	if (putopt_apply(val, arg, ctx) == -1)
		return -1;
	if (val == PUTOPT_DB)
		o->db_env = cmdline_find(putopt_table, val)->env;
	else if (val == 'c')
		o->hub_env = cmdline_find(putopt_table, val)->env;
	else if (val == PUTOPT_REDIS)
		o->redis_env = cmdline_find(putopt_table, val)->env;
	return 0;
}

const struct cmdline_prog putopt_prog = {
	.name = "geoput",
	.usage = putopt_usage,
	.opts = putopt_table,
	.apply = putopt_apply,
	.apply_env = putopt_apply_env,
	.reason_at = CMDLINE_REASON_AT(struct putopt, err),
	.env_status = EX_CONFIG,
};

int
putopt_check(struct putopt *o, const char *file)
{
	const char *why = NULL;

	if ((o->lon != NULL) != (o->lat != NULL))
		why = "--lon and --lat go together";
	else if (o->lon != NULL && (o->url || file || o->jq))
		why = "--lon and --lat give the input: no --url, --jq or file";
	else if (o->lon != NULL && o->defs.id.len == 0)
		why = "--lon and --lat need --id";
	else if (o->url != NULL && file != NULL)
		why = "--url and a file both give the input: choose one";
	else if (o->init_db && (o->lon || o->url || file || o->jq))
		why = "--init-db only creates the table; it reads no input";
	else if (o->hub != NULL && o->hub_env == NULL &&
	    o->redis_url != NULL && o->redis_env == NULL)
		why = "choose --hub or --redis, not both";
	if (why == NULL) {
		if (o->hub != NULL && o->hub_env == NULL)
			o->redis_url = o->redis_env = NULL;
		return 0;
	}
	snprintf(o->err, sizeof(o->err), "%s", why);
	return -1;
}
