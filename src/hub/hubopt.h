/*
 * hubopt.h - georoomd's options: the table, their defaults, the
 * environment variables, and the checks of each value; the result is the
 * configuration of the hub and of the modules georoomd wires to it.
 * Prints only what cmdline.h prints (--help, --version, the reason for a
 * refusal); never starts anything.
 */
#ifndef GEOROOM_HUBOPT_H
#define GEOROOM_HUBOPT_H

#include <stddef.h>
#include <sys/socket.h>

#include "cidr.h"
#include "hub.h"
#include "redisurl.h"
#include "retain.h"
#include "serve.h"
#include "shardmsg.h"

/* Most items of a repeatable option (-n, -o, --trust-proxy). */
#define LIST_MAX 64

struct hubopt {
	struct hub_config hub;
	struct serve_config serve;
	struct redisurl redis; /* with use_redis */
	int use_redis;
	const char *redis_key;
	int sharded;                   /* --redis-mode sharded... */
	enum shardmsg_mode shard_mode; /* ... and its subscriptions */
	const char *control;
	const char *control_group;
	const char *jwt_file; /* --jwt-secret or --jwt-public-key */
	int jwt_public;       /* which of the two */
	const char *tls_cert, *tls_key;
	const char *namespaces[LIST_MAX];
	size_t nnamespaces;
	const char *origins[LIST_MAX];
	size_t norigins;
	const char *retain[RETAIN_EVENTS_MAX]; /* --retain */
	size_t nretain;
	const char *conflate[RETAIN_EVENTS_MAX]; /* --conflate */
	size_t nconflate;
	struct cidr trusted[LIST_MAX]; /* --trust-proxy */
	size_t ntrusted;
	struct sockaddr_storage metrics_addr; /* with use_metrics */
	int use_metrics;
	int verbosity;       /* 0 quiet, 1 normal, 2 debug, 3 lws too */
	int log_time;        /* --log-time */
	char *env_copies[8]; /* owned: split environment lists */
	size_t nenv;
	int namespaces_from_env, origins_from_env; /* lists the command
							   line replaces */
	int trusted_from_env;
	char err[256]; /* why apply() refused an option */
};

/* Sets the defaults. */
void hubopt_init(struct hubopt *o);

/*
 * Reads the environment and the command line into 'o'.  Returns 0, or -1
 * and the exit status in *status (0 after --help or --version), the
 * reason printed; then hubopt_release() is still due.
 */
int hubopt_parse(struct hubopt *o, int argc, char **argv, int *status);

/* Frees what 'o' holds. */
void hubopt_release(struct hubopt *o);

#endif
