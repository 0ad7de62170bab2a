/*
 * fenceopt.h - geofence's options and command words: the table getopt and
 * --help are made from, each value checked as it comes, then the command
 * and its operands.  Never prints, never exits: a refusal leaves its
 * reason in o->err.
 */
#ifndef GEOROOM_FENCEOPT_H
#define GEOROOM_FENCEOPT_H

#include "cmdline.h"
#include "locid.h"

enum fenceopt_val {
	FENCEOPT_COLLECTION = CMDLINE_LONG_ONLY,
	FENCEOPT_DB,
	FENCEOPT_NAME,
	FENCEOPT_TABLE,
	FENCEOPT_TIMEOUT,
};

enum fenceopt_cmd {
	FENCEOPT_ADD,
	FENCEOPT_LIST,
	FENCEOPT_REMOVE,
};

/* The option table, ended by a zeroed entry, and the usage lines. */
extern const struct cmdline_opt fenceopt_table[];
extern const char fenceopt_usage[];

/* geofence's options for cmdline_parse(); a bad $GEOROOM_DB is EX_CONFIG. */
extern const struct cmdline_prog fenceopt_prog;

struct fenceopt {
	const char *db_url;
	const char *db_env; /* the variable --db came from, or NULL */
	const char *table;
	const char *name; /* --name, or NULL */
	int collection;
	long long timeout;
	/* From the operands, by fenceopt_check(): */
	enum fenceopt_cmd cmd;
	struct locid id;  /* add: the fence's id */
	const char *file; /* add: the input, NULL or "-" for stdin */
	char **ids;       /* remove: the ids (borrowed: argv) */
	int nids;
	char err[512];
};

void fenceopt_init(struct fenceopt *o);

/* Applies one option, as cmdline_prog's apply.  0, or -1 (o->err). */
int fenceopt_apply(int val, const char *arg, void *ctx);

/*
 * Reads the command word and its operands, the 'argc' words of 'argv'
 * (borrowed, kept) left after the options: "add ID [FILE]", "list",
 * "remove ID...", each ID as locid.h says; --name only with add,
 * --collection only with list.  0, or -1 with the reason in o->err.
 */
int fenceopt_check(struct fenceopt *o, int argc, char **argv);

#endif
