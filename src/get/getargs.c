/* getargs.c - geoget's command line (see getargs.h). */
#include "getargs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "dbsql.h"
#include "exits.h"

/* The most rows one question may ask for, and ids one `now` names. */
#define LIMIT_MAX 1000000000LL
#define IDS_MAX 10000

const struct cmdline_opt getargs_table[] = {
	{ "collection", GETARGS_COLLECTION, NULL,
	    "print one FeatureCollection, not a Feature a line", NULL },
	{ "db", GETARGS_DB, "URL",
	    "database, as mysql://user:pass@host:port/db", "GEOROOM_DB" },
	{ "explain", GETARGS_EXPLAIN, NULL,
	    "print the server's EXPLAIN of the query instead", NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "limit", GETARGS_LIMIT, "N", "print at most N locations or points",
	    NULL },
	{ "line", GETARGS_LINE, NULL, "trail: one LineString Feature", NULL },
	{ "polygon", GETARGS_POLYGON, "FILE",
	    "within: a GeoJSON (Multi)Polygon, - for stdin", NULL },
	{ "since", GETARGS_SINCE, "T",
	    "trail: from T (RFC 3339, epoch seconds, or 2h ago)", NULL },
	{ "table", GETARGS_TABLE, "NAME", "table to read (location)", NULL },
	{ "timeout", GETARGS_TIMEOUT, "SEC",
	    "bound on each database wait (10)", NULL },
	{ "until", GETARGS_UNTIL, "T", "trail: up to T, as --since", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL }, { 0 }
};

const char getargs_usage[] =
    "usage: geoget [-hV] [--collection] [--db url] [--explain] [--limit n]\n"
    "              [--table name] [--timeout sec] command [operand ...]\n"
    "       geoget [options] now [id ...]\n"
    "       geoget [options] near lon lat meters\n"
    "       geoget [options] within w s e n | within --polygon file\n"
    "       geoget [options] trail [--line] [--since t] [--until t] id\n";

void
getargs_init(struct getargs *o)
{
	memset(o, 0, sizeof(*o));
	o->req.table = DBSQL_TABLE;
	o->timeout = 10;
}

void
getargs_release(struct getargs *o)
{
	free(o->ids);
	o->ids = NULL;
}

static int
refuse(struct getargs *o, const char *fmt, const char *a, const char *b)
{
	snprintf(o->err, sizeof(o->err), fmt, a, b);
	return -1;
}

int
getargs_apply(int val, const char *arg, void *ctx)
{
	struct getargs *o = ctx;
	char why[384];
	long long n;

	switch (val) {
	case GETARGS_COLLECTION:
		o->collection = 1;
		return 0;
	case GETARGS_DB:
		o->db_url = arg;
		o->db_env = NULL;
		return 0;
	case GETARGS_EXPLAIN:
		o->explain = 1;
		return 0;
	case GETARGS_LIMIT:
		if (cmdline_number_arg(getargs_table, val, arg, 1, LIMIT_MAX,
		        &n, o->err, sizeof(o->err)) == -1)
			return -1;
		o->req.limit = (unsigned long long)n;
		return 0;
	case GETARGS_LINE:
		o->line = 1;
		return 0;
	case GETARGS_POLYGON:
		o->polygon = arg;
		return 0;
	case GETARGS_SINCE:
	case GETARGS_UNTIL:
		if (getsql_time_parse(arg,
		        val == GETARGS_SINCE ? &o->req.since : &o->req.until,
		        why, sizeof(why)) == -1)
			return refuse(o, "--%s: %s",
			    cmdline_long_name(getargs_table, val), why);
		return 0;
	case GETARGS_TABLE:
		if (dbsql_check_table(arg, why, sizeof(why)) == -1)
			return refuse(o, "--table '%s': %s", arg, why);
		o->req.table = arg;
		return 0;
	case GETARGS_TIMEOUT:
		return cmdline_number_arg(getargs_table, val, arg, 1, 3600,
		    &o->timeout, o->err, sizeof(o->err));
	default:
		return -1;
	}
}

int
getargs_apply_env(int val, const char *arg, void *ctx)
{
	struct getargs *o = ctx;

	if (getargs_apply(val, arg, ctx) == -1)
		return -1;
	if (val == GETARGS_DB)
		o->db_env = cmdline_find(getargs_table, val)->env;
	return 0;
}

const struct cmdline_prog getargs_prog = {
	.name = "geoget",
	.usage = getargs_usage,
	.opts = getargs_table,
	.apply = getargs_apply,
	.apply_env = getargs_apply_env,
	.reason_at = CMDLINE_REASON_AT(struct getargs, err),
	.env_status = EX_CONFIG,
};

/* Operand 'what' of a command as a number in [min, max]. */
static int
number(struct getargs *o, const char *cmd, const char *what, const char *s,
    double min, double max, double *out)
{
	if (cmdline_double(s, min, max, out) == 0)
		return 0;
	snprintf(o->err, sizeof(o->err),
	    "%s: %s '%.40s' is not a number from %g to %g", cmd, what, s, min,
	    max);
	return -1;
}

/* The ids of `now` or `trail`. */
static int
ids(struct getargs *o, const char *cmd, int argc, char **argv)
{
	char why[256];

	if (argc > IDS_MAX)
		return refuse(o, "%s: more than %s ids", cmd, "10000");
	if (argc == 0)
		return 0;
	if ((o->ids = calloc((size_t)argc, sizeof(*o->ids))) == NULL)
		return refuse(o, "%s%s: out of memory", cmd, "");
	for (int i = 0; i < argc; i++)
		if (locid_from_text(argv[i], strlen(argv[i]), &o->ids[i], why,
		        sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "%s: id %s", cmd,
			    why);
			return -1;
		}
	o->req.ids = o->ids;
	o->req.nids = (size_t)argc;
	return 0;
}

static int
near(struct getargs *o, int argc, char **argv)
{
	struct getsql_req *r = &o->req;
	char why[128];

	if (argc != 3)
		return refuse(o, "near takes %s, got %s operands",
		    "LON LAT METERS", argc < 3 ? "fewer" : "more");
	if (number(o, "near", "longitude", argv[0], -180, 180, &r->lon) ==
	        -1 ||
	    number(o, "near", "latitude", argv[1], -90, 90, &r->lat) == -1 ||
	    number(o, "near", "distance in metres", argv[2], 0,
	        AREA_METERS_MAX, &r->meters) == -1)
		return -1;
	if (r->meters <= 0)
		return refuse(o, "near: the distance must be more than %s%s",
		    "0 metres", "");
	if (area_check_point(r->lon, r->lat, why, sizeof(why)) == -1)
		return refuse(o, "near: %s%s", why, "");
	area_around(r->lon, r->lat, r->meters, &r->area);
	return 0;
}

static int
within(struct getargs *o, int argc, char **argv)
{
	double v[4];
	char why[256];

	if (o->polygon != NULL)
		return argc == 0 ?
		    0 :
		    refuse(o,
		        "within --polygon takes no operand, got "
		        "'%s'%s",
		        argv[0], "");
	if (argc != 4)
		return refuse(o,
		    "within takes %s (or --polygon FILE), got %s operands",
		    "W S E N", argc < 4 ? "fewer" : "more");
	for (int i = 0; i < 4; i++)
		if (number(o, "within", i % 2 ? "latitude" : "longitude",
		        argv[i], i % 2 ? -90 : -180, i % 2 ? 90 : 180,
		        &v[i]) == -1)
			return -1;
	if (area_bbox(v[0], v[1], v[2], v[3], &o->req.area, why,
	        sizeof(why)) == -1)
		return refuse(o, "within: %s%s", why, "");
	return 0;
}

/* The options that belong to one command only. */
static int
options_fit(struct getargs *o)
{
	enum getsql_cmd c = o->req.cmd;

	if (c != GETSQL_TRAIL && o->line)
		return refuse(o, "--line is for %s%s", "trail", "");
	if (c != GETSQL_TRAIL &&
	    (o->req.since.kind != GETSQL_NONE ||
	        o->req.until.kind != GETSQL_NONE))
		return refuse(o, "--since and --until are for %s%s", "trail",
		    "");
	if (c != GETSQL_WITHIN && o->polygon != NULL)
		return refuse(o, "--polygon is for %s%s", "within", "");
	if (o->req.since.kind == GETSQL_AT && o->req.until.kind == GETSQL_AT &&
	    o->req.since.v > o->req.until.v)
		return refuse(o, "--since is later than --until%s%s", "", "");
	return 0;
}

int
getargs_check(struct getargs *o, int argc, char **argv)
{
	static const char *const names[] = { [GETSQL_NOW] = "now",
		[GETSQL_NEAR] = "near",
		[GETSQL_WITHIN] = "within",
		[GETSQL_TRAIL] = "trail" };
	size_t c;

	if (argc == 0)
		return refuse(o, "missing command: %s%s",
		    "now, near, within or trail", "");
	for (c = 0; c < sizeof(names) / sizeof(names[0]); c++)
		if (strcmp(argv[0], names[c]) == 0)
			break;
	if (c == sizeof(names) / sizeof(names[0]))
		return refuse(o, "unknown command '%.40s': expected %s",
		    argv[0], "now, near, within or trail");
	o->req.cmd = (enum getsql_cmd)c;
	if (options_fit(o) == -1)
		return -1;
	argc--, argv++;
	switch (o->req.cmd) {
	case GETSQL_NOW:
		return ids(o, "now", argc, argv);
	case GETSQL_NEAR:
		return near(o, argc, argv);
	case GETSQL_WITHIN:
		return within(o, argc, argv);
	case GETSQL_TRAIL:
		if (argc != 1)
			return refuse(o, "trail takes one ID, got %s%s",
			    argc == 0 ? "none" : "more", "");
		return ids(o, "trail", argc, argv);
	}
	return 0;
}
