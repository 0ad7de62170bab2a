/*
 * cliopt.h - georoom-cli's options: the table getopt and --help are made
 * from, the usage lines, and each value checked as it comes.
 * Never prints, never exits: a refusal leaves its reason in o->err.
 */
#ifndef GEOROOM_CLIOPT_H
#define GEOROOM_CLIOPT_H

#include <stddef.h>

#include "cmdline.h"

enum cliopt_val {
	CLIOPT_ACK = CMDLINE_LONG_ONLY,
	CLIOPT_ACK_TIMEOUT,
	CLIOPT_AUTH,
	CLIOPT_CACERT,
	CLIOPT_CONNECT_TIMEOUT,
	CLIOPT_INSECURE,
	CLIOPT_JQ,
	CLIOPT_LOCAL,
	CLIOPT_MAX_QUEUE,
	CLIOPT_NO_RECONNECT,
	CLIOPT_PATH,
	CLIOPT_RECONNECT_ATTEMPTS,
	CLIOPT_RECONNECT_DELAY,
	CLIOPT_RECONNECT_DELAY_MAX,
	CLIOPT_RECONNECT_JITTER,
	CLIOPT_TOKEN,
	CLIOPT_USER,
};

/* Most -e and -H options. */
#define CLIOPT_LIST_MAX 64

/* The option table, ended by a zeroed entry, and the usage lines. */
extern const struct cmdline_opt cliopt_table[];
extern const char cliopt_usage[];

/*
 * georoom-cli's options for cmdline_parse(), with a struct cliopt as its
 * context: a bad value in the environment is EX_USAGE.
 */
extern const struct cmdline_prog cliopt_prog;

struct cliopt {
	const char *url, *path, *ns, *auth, *token, *cacert, *control, *jq;
	const char *rooms_file; /* -f: join's rooms, one a line */
	const char *headers[CLIOPT_LIST_MAX];
	size_t nheaders;
	const char *events[CLIOPT_LIST_MAX];
	size_t nevents;
	char user[32];   /* JSON number, "" when not given */
	long long count; /* 0: no limit */
	double timeout;  /* seconds; 0: none */
	long long ack_timeout, connect_timeout, max_queue;
	long long attempts, delay, delay_max;
	double jitter;
	int ack, data_only, line, raw_in, raw_out, insecure, reconnect;
	int local;     /* who, rooms: this hub's sockets only, on a cluster */
	int verbosity; /* 0 quiet, 1 normal, 2 verbose, 3 lws too */
	char err[256]; /* why apply() refused an option */
};

/* Sets the defaults.  The options hold nothing to free. */
void cliopt_init(struct cliopt *o);

/*
 * Applies option 'val' with argument 'arg' (borrowed, kept) to 'ctx', a
 * struct cliopt.  Returns 0, or -1 with the reason in o->err.
 */
int cliopt_apply(int val, const char *arg, void *ctx);

#endif
