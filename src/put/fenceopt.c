/* fenceopt.c - geofence's options and command words (see fenceopt.h). */
#include "fenceopt.h"

#include <stdio.h>
#include <string.h>

#include "dbsql.h"
#include "exits.h"
#include "fence.h"

const struct cmdline_opt fenceopt_table[] = {
	{ "collection", FENCEOPT_COLLECTION, NULL,
	    "list: one FeatureCollection, not a Feature a line", NULL },
	{ "db", FENCEOPT_DB, "URL",
	    "database, as mysql://user:pass@host:port/db", "GEOROOM_DB" },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "name", FENCEOPT_NAME, "NAME", "add: the fence's name", NULL },
	{ "table", FENCEOPT_TABLE, "NAME",
	    "location table whose fences these are (location)", NULL },
	{ "timeout", FENCEOPT_TIMEOUT, "SEC",
	    "bound on each database wait (10)", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL }, { 0 }
};

const char fenceopt_usage[] =
    "usage: geofence [-hV] [--db url] [--table name] [--timeout sec]\n"
    "                add [--name name] id [file]\n"
    "       geofence [options] list [--collection]\n"
    "       geofence [options] remove id ...\n";

static int
apply_env(int val, const char *arg, void *ctx)
{
	struct fenceopt *o = ctx;

	if (fenceopt_apply(val, arg, ctx) == -1)
		return -1;
	if (val == FENCEOPT_DB)
		o->db_env = cmdline_find(fenceopt_table, val)->env;
	return 0;
}

const struct cmdline_prog fenceopt_prog = {
	.name = "geofence",
	.usage = fenceopt_usage,
	.opts = fenceopt_table,
	.apply = fenceopt_apply,
	.apply_env = apply_env,
	.reason_at = CMDLINE_REASON_AT(struct fenceopt, err),
	.env_status = EX_CONFIG,
};

void
fenceopt_init(struct fenceopt *o)
{
	memset(o, 0, sizeof(*o));
	o->table = DBSQL_TABLE;
	o->timeout = 10;
}

int
fenceopt_apply(int val, const char *arg, void *ctx)
{
	struct fenceopt *o = ctx;
	char why[256];

	switch (val) {
	case FENCEOPT_COLLECTION:
		o->collection = 1;
		return 0;
	case FENCEOPT_DB:
		o->db_url = arg;
		o->db_env = NULL;
		return 0;
	case FENCEOPT_NAME:
		if (fence_check_name(arg, strlen(arg), why, sizeof(why)) ==
		    -1) {
			snprintf(o->err, sizeof(o->err), "--name: %s", why);
			return -1;
		}
		o->name = arg;
		return 0;
	case FENCEOPT_TABLE:
		if (dbsql_check_table(arg, why, sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err), "--table '%s': %s",
			    arg, why);
			return -1;
		}
		o->table = arg;
		return 0;
	case FENCEOPT_TIMEOUT:
		return cmdline_number_arg(fenceopt_table, val, arg, 1, 3600,
		    &o->timeout, o->err, sizeof(o->err));
	default:
		return -1;
	}
}

/* Checks fence id 'arg'; 0, or -1 (o->err). */
static int
fence_id(struct fenceopt *o, const char *arg, struct locid *id)
{
	char why[256];

	if (locid_from_text(arg, strlen(arg), id, why, sizeof(why)) == 0)
		return 0;
	snprintf(o->err, sizeof(o->err), "fence id '%.80s': %s", arg, why);
	return -1;
}

int
fenceopt_check(struct fenceopt *o, int argc, char **argv)
{
	struct locid id;

	if (argc < 1) {
		snprintf(o->err, sizeof(o->err),
		    "missing command: add, list or remove");
		return -1;
	}
	if (strcmp(argv[0], "add") == 0) {
		o->cmd = FENCEOPT_ADD;
		if (argc < 2 || argc > 3) {
			snprintf(o->err, sizeof(o->err),
			    "add takes a fence id and at most one file");
			return -1;
		}
		if (fence_id(o, argv[1], &o->id) == -1)
			return -1;
		o->file = argc == 3 ? argv[2] : NULL;
	} else if (strcmp(argv[0], "list") == 0) {
		o->cmd = FENCEOPT_LIST;
		if (argc > 1) {
			snprintf(o->err, sizeof(o->err),
			    "unexpected argument '%.80s' after list", argv[1]);
			return -1;
		}
	} else if (strcmp(argv[0], "remove") == 0) {
		o->cmd = FENCEOPT_REMOVE;
		if (argc < 2) {
			snprintf(o->err, sizeof(o->err),
			    "remove takes one fence id or more");
			return -1;
		}
		for (int i = 1; i < argc; i++)
			if (fence_id(o, argv[i], &id) == -1)
				return -1;
		o->ids = argv + 1;
		o->nids = argc - 1;
	} else {
		snprintf(o->err, sizeof(o->err),
		    "unknown command '%.80s': add, list or remove", argv[0]);
		return -1;
	}
	if (o->name != NULL && o->cmd != FENCEOPT_ADD) {
		snprintf(o->err, sizeof(o->err), "--name goes with add only");
		return -1;
	}
	if (o->collection && o->cmd != FENCEOPT_LIST) {
		snprintf(o->err, sizeof(o->err),
		    "--collection goes with list only");
		return -1;
	}
	return 0;
}
