/*
 * getargs.h - geoget's command line: the option table getopt and --help
 * are made from, each value checked as it comes, then the command and its
 * operands made into one question (getsql.h).
 * Never prints, never exits: a refusal leaves its reason in o->err.
 */
#ifndef GEOROOM_GETARGS_H
#define GEOROOM_GETARGS_H

#include "cmdline.h"
#include "getsql.h"
#include "locid.h"

enum getargs_val {
	GETARGS_COLLECTION = CMDLINE_LONG_ONLY,
	GETARGS_DB,
	GETARGS_EXPLAIN,
	GETARGS_LIMIT,
	GETARGS_LINE,
	GETARGS_POLYGON,
	GETARGS_SINCE,
	GETARGS_TABLE,
	GETARGS_TIMEOUT,
	GETARGS_UNTIL,
};

/* The option table, ended by a zeroed entry, and the usage lines. */
extern const struct cmdline_opt getargs_table[];
extern const char getargs_usage[];

/*
 * geoget's options for cmdline_parse(), with a struct getargs as its
 * context: a bad value in the environment is EX_CONFIG.
 */
extern const struct cmdline_prog getargs_prog;

struct getargs {
	const char *db_url;
	const char *db_env;  /* the variable --db came from, or NULL */
	const char *polygon; /* --polygon: a file, "-" for standard input */
	int collection, explain, line;
	long long timeout;
	struct getsql_req req; /* the question; its pointers into this */
	struct locid *ids;     /* owned: req.ids */
	char err[512];         /* why an option or operand was refused */
};

/* Sets the defaults; getargs_release() frees what the operands hold. */
void getargs_init(struct getargs *o);
void getargs_release(struct getargs *o);

/*
 * Applies option 'val' with argument 'arg' (borrowed, kept) to 'ctx', a
 * struct getargs.  Returns 0, or -1 with the reason in o->err.
 */
int getargs_apply(int val, const char *arg, void *ctx);

/* The same for a value from the environment: --db remembers its variable. */
int getargs_apply_env(int val, const char *arg, void *ctx);

/*
 * Reads the command and its operands, the 'argc' words at 'argv'
 * (borrowed), into o->req, and checks them with the options: now [ID...],
 * near LON LAT METERS, within W S E N (or no operand with --polygon),
 * trail ID.  Returns 0, or -1 with the reason in o->err.
 */
int getargs_check(struct getargs *o, int argc, char **argv);

#endif
