/*
 * putopt.h - geoput's options: the table getopt and --help are made from,
 * each value checked as it comes, and all of them checked together.
 * Never prints, never exits: a refusal leaves its reason in o->err.
 */
#ifndef GEOROOM_PUTOPT_H
#define GEOROOM_PUTOPT_H

#include "cmdline.h"
#include "record.h"

/* Most --also-room templates. */
#define PUTOPT_ALSO_ROOMS_MAX 16

enum putopt_val {
	PUTOPT_ANNOUNCE_UNCHANGED = CMDLINE_LONG_ONLY,
	PUTOPT_DB,
	PUTOPT_EVENT,
	PUTOPT_HISTORY,
	PUTOPT_ID,
	PUTOPT_INIT_DB,
	PUTOPT_JQ,
	PUTOPT_KEEP_EXTRA,
	PUTOPT_ALSO_ROOM,
	PUTOPT_LAT,
	PUTOPT_LON,
	PUTOPT_MAX_SIZE,
	PUTOPT_MAX_TIME,
	PUTOPT_NO_FENCES,
	PUTOPT_NO_NOTIFY,
	PUTOPT_PROP,
	PUTOPT_REDIS,
	PUTOPT_REDIS_KEY,
	PUTOPT_REPLACE,
	PUTOPT_REQUIRE_HUB,
	PUTOPT_RETRIES,
	PUTOPT_TABLE,
	PUTOPT_TIME_FIELD,
	PUTOPT_TIMEOUT,
	PUTOPT_URL,
	PUTOPT_USER,
};

/* The option table, ended by a zeroed entry, and the usage lines. */
extern const struct cmdline_opt putopt_table[];
extern const char putopt_usage[];

/*
 * geoput's options for cmdline_parse(), with a struct putopt as its
 * context: a bad value in the environment is EX_CONFIG.
 */
extern const struct cmdline_prog putopt_prog;

struct putopt {
	const char *db_url;
	const char *db_env; /* the variable --db came from, or NULL */
	const char *hub;
	const char *hub_env;   /* the variable --hub came from, or NULL */
	const char *redis_url; /* announce through Redis, not --hub */
	const char *redis_env; /* the variable --redis came from, or NULL */
	const char *redis_key;
	const char *ns;
	const char *event;
	const char *table;
	const char *url;
	const char *jq;
	const char *lon, *lat;
	int init_db, keep_going, quiet, no_notify, require_hub;
	int replace, announce_unchanged, history, no_fences;
	long long timeout, max_time, retries, max_size;
	/* --also-room: group rooms each update goes to too (roommsg.h). */
	const char *also_rooms[PUTOPT_ALSO_ROOMS_MAX];
	size_t nalso_rooms;
	struct record_defaults defs;
	char err[512]; /* why apply() refused an option */
};

/* Sets the defaults; putopt_release() frees what the options hold. */
void putopt_init(struct putopt *o);
void putopt_release(struct putopt *o);

/*
 * Applies option 'val' with argument 'arg' (borrowed, kept) to 'ctx', a
 * struct putopt, as cmdline_apply_env() calls it.  Returns 0, or -1 with
 * the reason in o->err.
 */
int putopt_apply(int val, const char *arg, void *ctx);

/*
 * The same for a value from the environment: --db, --hub and --redis
 * remember their variable.
 */
int putopt_apply_env(int val, const char *arg, void *ctx);

/*
 * Checks that the options and 'file' (the operand, or NULL) make one
 * consistent request.  Returns 0, or -1 with the reason in o->err.
 * Chooses the announcer: an option on the command line beats a variable,
 * so --hub sets $GEOROOM_REDIS aside (o->redis_url NULL then), and
 * --redis or $GEOROOM_REDIS sets $GEOROOM_SOCKET aside; --hub and
 * --redis together are refused.
 */
int putopt_check(struct putopt *o, const char *file);

#endif
