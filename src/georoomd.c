/*
 * georoomd.c - the Socket.IO room hub: options, then the hub, the room
 * contract and the control socket, served until a signal.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cmdline.h"
#include "cluster.h"
#include "contract.h"
#include "ctl.h"
#include "ctlserver.h"
#include "exits.h"
#include "hub.h"
#include "jwt.h"
#include "log.h"
#include "metricsd.h"
#include "serve.h"
#include "tlscert.h"

enum {
	OPT_CONFLATE = CMDLINE_LONG_ONLY,
	OPT_CONNECT_TIMEOUT,
	OPT_CONTROL_GROUP,
	OPT_JWT_PUBLIC_KEY,
	OPT_JWT_SECRET,
	OPT_LOG_TIME,
	OPT_MAX_BACKLOG,
	OPT_MAX_CONNECTIONS,
	OPT_MAX_PAYLOAD,
	OPT_MAX_PER_IP,
	OPT_MAX_ROOMS_PER_SOCKET,
	OPT_MAX_UNFINISHED,
	OPT_MESSAGE_TIMEOUT,
	OPT_METRICS_BIND,
	OPT_NO_COALESCE,
	OPT_PATH,
	OPT_PING_INTERVAL,
	OPT_PING_TIMEOUT,
	OPT_RATE_BURST,
	OPT_RATE_GRACE,
	OPT_RATE_LIMIT,
	OPT_RECOVERY_BUFFER,
	OPT_RECOVERY_SESSIONS,
	OPT_RECOVERY_WINDOW,
	OPT_REDIS,
	OPT_REDIS_KEY,
	OPT_REDIS_MODE,
	OPT_RETAIN,
	OPT_RETAIN_MAX_BYTES,
	OPT_RETAIN_TTL,
	OPT_REUSE_PORT,
	OPT_TRUST_PROXY,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TRANSPORTS,
};

static const struct cmdline_opt options[] = {
	{ "bind", 'b', "ADDR", "listen on this address only (default: all)",
	    "GEOROOMD_BIND" },
	{ "conflate", OPT_CONFLATE, "EVENT",
	    "queue only a room's newest EVENT for a slow client (repeatable)",
	    NULL },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, "MS",
	    "close sessions that join no namespace in time (45000)",
	    "GEOROOMD_CONNECT_TIMEOUT" },
	{ "control", 'c', "PATH", "control socket path", "GEOROOM_SOCKET" },
	{ "control-group", OPT_CONTROL_GROUP, "GROUP",
	    "let GROUP use the control socket (mode 0660)",
	    "GEOROOMD_CONTROL_GROUP" },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "jwt-public-key", OPT_JWT_PUBLIC_KEY, "FILE",
	    "connect only with a token signed by this PEM key (RS256, ES256)",
	    "GEOROOMD_JWT_PUBLIC_KEY_FILE" },
	{ "jwt-secret", OPT_JWT_SECRET, "FILE",
	    "connect only with a token signed with the secret in FILE (HS*)",
	    "GEOROOMD_JWT_SECRET_FILE" },
	{ "log-time", OPT_LOG_TIME, NULL,
	    "start each log line with its time (RFC 3339, UTC)", NULL },
	{ "max-backlog", OPT_MAX_BACKLOG, "BYTES",
	    "drop a client whose unsent messages exceed BYTES (4194304)",
	    "GEOROOMD_MAX_BACKLOG" },
	{ "max-connections", OPT_MAX_CONNECTIONS, "N",
	    "refuse sessions beyond N (0: no limit)",
	    "GEOROOMD_MAX_CONNECTIONS" },
	{ "max-payload", OPT_MAX_PAYLOAD, "BYTES",
	    "largest message a client may send (1000000)",
	    "GEOROOMD_MAX_PAYLOAD" },
	{ "max-per-ip", OPT_MAX_PER_IP, "N",
	    "refuse a client address's connections beyond N (0: no limit)",
	    "GEOROOMD_MAX_PER_IP" },
	{ "max-rooms-per-socket", OPT_MAX_ROOMS_PER_SOCKET, "N",
	    "refuse a socket's joins past N rooms (1000; 0: no limit)",
	    "GEOROOMD_MAX_ROOMS_PER_SOCKET" },
	{ "max-unfinished", OPT_MAX_UNFINISHED, "BYTES",
	    "bytes all clients may hold in unfinished messages (67108864)",
	    "GEOROOMD_MAX_UNFINISHED" },
	{ "message-timeout", OPT_MESSAGE_TIMEOUT, "MS",
	    "close a client whose message is not whole within MS (10000)",
	    "GEOROOMD_MESSAGE_TIMEOUT" },
	{ "metrics-bind", OPT_METRICS_BIND, "ADDR:PORT",
	    "serve GET /metrics and /healthz there (off by default)",
	    "GEOROOMD_METRICS_BIND" },
	{ "namespace", 'n', "NS",
	    "also accept namespace NS (repeatable; \"/\" always)",
	    "GEOROOMD_NAMESPACES" },
	{ "no-coalesce", OPT_NO_COALESCE, NULL,
	    "write one frame per write instead of a whole backlog", NULL },
	{ "origin", 'o', "ORIGIN",
	    "accept browsers from ORIGIN only (repeatable; default: any)",
	    "GEOROOMD_ORIGINS" },
	{ "path", OPT_PATH, "PATH", "handshake path (/socket.io/)",
	    "GEOROOMD_PATH" },
	{ "ping-interval", OPT_PING_INTERVAL, "MS",
	    "ping each client every MS (25000)", "GEOROOMD_PING_INTERVAL" },
	{ "ping-timeout", OPT_PING_TIMEOUT, "MS",
	    "close a client that has not answered a ping in MS (20000)",
	    "GEOROOMD_PING_TIMEOUT" },
	{ "port", 'p', "PORT", "listen on PORT (3030; 0: any free port)",
	    "GEOROOMD_PORT" },
	{ "quiet", 'q', NULL, "log errors and warnings only", NULL },
	{ "rate-burst", OPT_RATE_BURST, "N",
	    "events a client may send at once (twice --rate-limit)",
	    "GEOROOMD_RATE_BURST" },
	{ "rate-grace", OPT_RATE_GRACE, "MS",
	    "disconnect a client over --rate-limit for MS (10000; 0: never)",
	    "GEOROOMD_RATE_GRACE" },
	{ "rate-limit", OPT_RATE_LIMIT, "N",
	    "drop a client's events beyond N a second (0: no limit)",
	    "GEOROOMD_RATE_LIMIT" },
	{ "recovery-buffer", OPT_RECOVERY_BUFFER, "BYTES",
	    "events kept for recovery, at most (16777216)",
	    "GEOROOMD_RECOVERY_BUFFER" },
	{ "recovery-sessions", OPT_RECOVERY_SESSIONS, "N",
	    "sessions kept for recovery, at most (10000)",
	    "GEOROOMD_RECOVERY_SESSIONS" },
	{ "recovery-window", OPT_RECOVERY_WINDOW, "MS",
	    "let lost clients recover their session within MS (0: off)",
	    "GEOROOMD_RECOVERY_WINDOW" },
	{ "redis", OPT_REDIS, "URL",
	    "share rooms with every Socket.IO server on this Redis",
	    "GEOROOM_REDIS" },
	{ "redis-key", OPT_REDIS_KEY, "KEY",
	    "prefix of the cluster's channels (socket.io)",
	    "GEOROOMD_REDIS_KEY" },
	{ "redis-mode", OPT_REDIS_MODE, "MODE",
	    "the redis-adapter's protocol: classic, sharded or sharded-static "
	    "(classic)",
	    "GEOROOMD_REDIS_MODE" },
	{ "retain", OPT_RETAIN, "EVENT",
	    "send joiners each room's last EVENT (repeatable)", NULL },
	{ "retain-max-bytes", OPT_RETAIN_MAX_BYTES, "BYTES",
	    "bytes retained messages may hold in all (16777216)",
	    "GEOROOMD_RETAIN_MAX_BYTES" },
	{ "retain-ttl", OPT_RETAIN_TTL, "SECS",
	    "retain messages this long (0: until replaced)",
	    "GEOROOMD_RETAIN_TTL" },
	{ "reuse-port", OPT_REUSE_PORT, NULL,
	    "share the port with other georoomd (SO_REUSEPORT)", NULL },
	{ "tls-cert", OPT_TLS_CERT, "FILE",
	    "serve wss:// with this PEM certificate (and chain)",
	    "GEOROOMD_TLS_CERT" },
	{ "tls-key", OPT_TLS_KEY, "FILE",
	    "the certificate's private key (PEM; SIGHUP reloads both)",
	    "GEOROOMD_TLS_KEY" },
	{ "transports", OPT_TRANSPORTS, "LIST",
	    "serve these of polling,websocket (both)", "GEOROOMD_TRANSPORTS" },
	{ "trust-proxy", OPT_TRUST_PROXY, "CIDR",
	    "take X-Forwarded-For from these proxies (repeatable)",
	    "GEOROOMD_TRUST_PROXY" },
	{ "verbose", 'v', NULL,
	    "log debug lines too (twice: also libwebsockets' warnings)",
	    NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL }, { 0 }
};

static const char usage[] =
    "usage: georoomd [-hqVv] [-b addr] [-c path] [-n ns] [-o origin] "
    "[-p port]\n"
    "                [--path path] [--ping-interval ms] ...\n";

#define LIST_MAX 64

/*
 * Rooms a socket may be in by default.  A client of the contract joins the
 * room of each location it follows: one in the original application, a
 * few hundred for a dashboard of a fleet.  A socket at the limit holds at
 * most about 1.25 MB of the hub (1000 rooms with 1024-byte names, as
 * measured from its RSS), under a third of what one client's
 * --max-backlog of 4 MiB may hold.  socket.io itself sets none.
 */
#define GEOROOMD_MAX_ROOMS_PER_SOCKET 1000

/* Retained messages' bytes by default: 16 MiB, 65,000 positions of 256
 * bytes, a fleet's worth, under four clients' --max-backlog. */
#define GEOROOMD_RETAIN_MAX_BYTES (16u << 20)

struct opts {
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

/*
 * Parses --transports: "polling", "websocket", or both, separated by a
 * comma, as socket.io's transports option lists them.  Returns the
 * HUB_TRANSPORT_* bits, or 0 with the reason in 'err'.
 */
static unsigned
parse_transports(const char *arg, char *err, size_t errlen)
{
	unsigned bits = 0, bit;
	const char *p = arg, *end;
	size_t n;

	for (;;) {
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 7 && strncmp(p, "polling", 7) == 0)
			bit = HUB_TRANSPORT_POLLING;
		else if (n == 9 && strncmp(p, "websocket", 9) == 0)
			bit = HUB_TRANSPORT_WEBSOCKET;
		else
			bit = 0;
		if (bit == 0 || (bits & bit)) {
			snprintf(err, errlen,
			    "--transports '%s': name polling, websocket or "
			    "both, each once, separated by a comma",
			    arg);
			return 0;
		}
		bits |= bit;
		if (end == NULL)
			return bits;
		p = end + 1;
	}
}

/* Applies one option; returns 0, or -1 with the reason in o->err. */
static int
apply(int val, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	char why[64];
	long long v;

	switch (val) {
	case 'b':
		o->serve.bind = arg;
		return 0;
	case 'c':
		o->control = arg;
		return 0;
	case 'n':
	case 'o':
		/* The command line replaces what the environment listed. */
		if (val == 'o') {
			if (o->origins_from_env) {
				o->norigins = 0;
				o->origins_from_env = 0;
			}
			return cmdline_list_add(options, val, arg, o->origins,
			    &o->norigins, LIST_MAX, o->err, sizeof(o->err));
		}
		if (o->namespaces_from_env) {
			o->nnamespaces = 0;
			o->namespaces_from_env = 0;
		}
		if (sio_nsp_check(arg, strlen(arg), why, sizeof(why)) == -1) {
			snprintf(o->err, sizeof(o->err),
			    "namespace '%s': %s "
			    "(it must start with '/' and hold no ',')",
			    arg, why);
			return -1;
		}
		return cmdline_list_add(options, val, arg, o->namespaces,
		    &o->nnamespaces, LIST_MAX, o->err, sizeof(o->err));
	case 'p':
		if (cmdline_number_arg(options, val, arg, 0, 65535, &v, o->err,
		        sizeof(o->err)) == -1)
			return -1;
		o->serve.port = (int)v;
		return 0;
	case 'q':
		o->verbosity = 0;
		return 0;
	case 'v':
		o->verbosity++;
		return 0;
	case OPT_CONNECT_TIMEOUT:
		if (cmdline_number_arg(options, val, arg, 1, 3600000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.connect_timeout_ms = (uint32_t)v;
		return 0;
	case OPT_CONTROL_GROUP:
		o->control_group = arg;
		return 0;
	case OPT_JWT_PUBLIC_KEY:
	case OPT_JWT_SECRET:
		if (o->jwt_file != NULL &&
		    o->jwt_public != (val == OPT_JWT_PUBLIC_KEY)) {
			snprintf(o->err, sizeof(o->err),
			    "--jwt-secret and --jwt-public-key exclude each "
			    "other");
			return -1;
		}
		o->jwt_file = arg;
		o->jwt_public = val == OPT_JWT_PUBLIC_KEY;
		return 0;
	case OPT_LOG_TIME:
		o->log_time = 1;
		return 0;
	case OPT_MAX_BACKLOG:
		if (cmdline_number_arg(options, val, arg, 4096,
		        (long long)1 << 40, &v, o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_backlog = (size_t)v;
		return 0;
	case OPT_MAX_CONNECTIONS:
		if (cmdline_number_arg(options, val, arg, 0, 10000000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_connections = (size_t)v;
		return 0;
	case OPT_MAX_PAYLOAD:
		if (cmdline_number_arg(options, val, arg, 64,
		        (long long)1 << 30, &v, o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_payload = (uint64_t)v;
		return 0;
	case OPT_MAX_PER_IP:
		if (cmdline_number_arg(options, val, arg, 0, 10000000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_per_ip = (uint32_t)v;
		return 0;
	case OPT_MAX_ROOMS_PER_SOCKET:
		if (cmdline_number_arg(options, val, arg, 0, 10000000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_rooms_per_socket = (uint32_t)v;
		return 0;
	case OPT_MAX_UNFINISHED:
		if (cmdline_number_arg(options, val, arg, 0,
		        (long long)1 << 40, &v, o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.max_unfinished = (size_t)v;
		return 0;
	case OPT_MESSAGE_TIMEOUT:
		if (cmdline_number_arg(options, val, arg, 0, 3600000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.message_timeout_ms = (uint32_t)v;
		return 0;
	case OPT_METRICS_BIND:
		if (httpserv_parse_addr(arg, &o->metrics_addr, o->err,
		        sizeof(o->err)) == -1)
			return -1;
		o->use_metrics = 1;
		return 0;
	case OPT_NO_COALESCE:
		o->hub.coalesce = 0;
		return 0;
	case OPT_PATH:
		if (arg[0] != '/') {
			snprintf(o->err, sizeof(o->err),
			    "path '%s' must start "
			    "with '/'",
			    arg);
			return -1;
		}
		o->hub.path = arg;
		return 0;
	case OPT_PING_INTERVAL:
		if (cmdline_number_arg(options, val, arg, 10, 3600000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.ping_interval_ms = (uint32_t)v;
		return 0;
	case OPT_PING_TIMEOUT:
		if (cmdline_number_arg(options, val, arg, 10, 3600000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.ping_timeout_ms = (uint32_t)v;
		return 0;
	case OPT_RATE_BURST:
		if (cmdline_number_arg(options, val, arg, 1, RATELIMIT_MAX, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.rate.burst = (uint32_t)v;
		return 0;
	case OPT_RATE_GRACE:
		if (cmdline_number_arg(options, val, arg, 0, 3600000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.rate.grace_ms = (uint32_t)v;
		return 0;
	case OPT_RATE_LIMIT:
		if (cmdline_number_arg(options, val, arg, 0, RATELIMIT_MAX, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.rate.rate = (uint32_t)v;
		return 0;
	case OPT_RECOVERY_BUFFER:
		if (cmdline_number_arg(options, val, arg, 4096,
		        (long long)1 << 40, &v, o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.recovery.max_bytes = (size_t)v;
		return 0;
	case OPT_RECOVERY_SESSIONS:
		if (cmdline_number_arg(options, val, arg, 1, 10000000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.recovery.max_sessions = (size_t)v;
		return 0;
	case OPT_RECOVERY_WINDOW:
		if (cmdline_number_arg(options, val, arg, 0, 86400000, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.recovery.window_ms = (uint32_t)v;
		return 0;
	case OPT_REDIS:
		if (redisurl_parse(&o->redis, arg, o->err, sizeof(o->err)) ==
		    -1)
			return -1;
		o->use_redis = 1;
		return 0;
	case OPT_REDIS_KEY:
		if (redisurl_key_option(arg, o->err, sizeof(o->err)) == -1)
			return -1;
		o->redis_key = arg;
		return 0;
	case OPT_REDIS_MODE:
		o->sharded = strcmp(arg, "classic") != 0;
		if (strcmp(arg, "sharded") == 0)
			o->shard_mode = SHARDMSG_DYNAMIC;
		else if (strcmp(arg, "sharded-static") == 0)
			o->shard_mode = SHARDMSG_STATIC;
		else if (o->sharded) {
			snprintf(o->err, sizeof(o->err),
			    "--redis-mode: \"%s\" is neither classic, sharded "
			    "nor sharded-static",
			    arg);
			return -1;
		}
		return 0;
	case OPT_CONFLATE:
	case OPT_RETAIN:
		if (arg[0] == '\0' || sio_event_reserved(arg, strlen(arg))) {
			snprintf(o->err, sizeof(o->err),
			    "--%s: '%s' is no event a room receives",
			    val == OPT_RETAIN ? "retain" : "conflate", arg);
			return -1;
		}
		if (val == OPT_CONFLATE)
			return cmdline_list_add(options, val, arg, o->conflate,
			    &o->nconflate, RETAIN_EVENTS_MAX, o->err,
			    sizeof(o->err));
		return cmdline_list_add(options, val, arg, o->retain,
		    &o->nretain, RETAIN_EVENTS_MAX, o->err, sizeof(o->err));
	case OPT_RETAIN_MAX_BYTES:
		if (cmdline_number_arg(options, val, arg, 1024, 1LL << 40, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.retain.max_bytes = (size_t)v;
		return 0;
	case OPT_RETAIN_TTL:
		if (cmdline_number_arg(options, val, arg, 0, 365LL * 86400, &v,
		        o->err, sizeof(o->err)) == -1)
			return -1;
		o->hub.retain.ttl_ms = (uint32_t)(v * 1000 > UINT32_MAX ?
		        UINT32_MAX :
		        v * 1000);
		return 0;
	case OPT_REUSE_PORT:
		o->serve.reuse_port = 1;
		return 0;
	case OPT_TRUST_PROXY: {
		char cerr[128];

		if (o->trusted_from_env) {
			o->ntrusted = 0;
			o->trusted_from_env = 0;
		}
		if (o->ntrusted == LIST_MAX) {
			snprintf(o->err, sizeof(o->err),
			    "more than %d --trust-proxy options", LIST_MAX);
			return -1;
		}
		if (cidr_parse(arg, &o->trusted[o->ntrusted], cerr,
		        sizeof(cerr)) == -1) {
			snprintf(o->err, sizeof(o->err),
			    "--trust-proxy '%s': %s", arg, cerr);
			return -1;
		}
		o->ntrusted++;
		return 0;
	}
	case OPT_TLS_CERT:
		o->tls_cert = arg;
		return 0;
	case OPT_TLS_KEY:
		o->tls_key = arg;
		return 0;
	case OPT_TRANSPORTS:
		o->hub.transports = parse_transports(arg, o->err,
		    sizeof(o->err));
		return o->hub.transports != 0 ? 0 : -1;
	default:
		return -1;
	}
}

/* The most a key file may hold: a PEM RSA key of 16384 bits is 2.8 kB. */
#define KEY_FILE_MAX 65536

/*
 * Reads the key of --jwt-secret or --jwt-public-key into 'key' (empty).
 * A secret file's one trailing newline (CRLF too) is not part of the
 * secret, so that `echo secret > file` and an editor's file both work.
 * Returns 0, or an exit status with the reason printed.
 */
static int
load_jwt_key(const struct opts *o, struct jwt_key *key)
{
	char *buf, err[256];
	size_t len;
	FILE *f;
	int rc = 0;

	if ((f = fopen(o->jwt_file, "re")) == NULL) {
		fprintf(stderr, "georoomd: cannot open '%s': %s\n",
		    o->jwt_file, strerror(errno));
		return errno == ENOENT ? EX_NOINPUT : EX_CONFIG;
	}
	if ((buf = malloc(KEY_FILE_MAX + 1)) == NULL) {
		fclose(f);
		fprintf(stderr, "georoomd: out of memory\n");
		return EX_SOFTWARE;
	}
	len = fread(buf, 1, KEY_FILE_MAX + 1, f);
	if (ferror(f)) {
		fprintf(stderr, "georoomd: cannot read '%s': %s\n",
		    o->jwt_file, strerror(errno));
		rc = EX_CONFIG;
	} else if (len > KEY_FILE_MAX) {
		fprintf(stderr, "georoomd: '%s' is larger than %d bytes\n",
		    o->jwt_file, KEY_FILE_MAX);
		rc = EX_CONFIG;
	} else {
		if (!o->jwt_public && len > 0 && buf[len - 1] == '\n')
			len -= len > 1 && buf[len - 2] == '\r' ? 2 : 1;
		if ((o->jwt_public ?
		            jwt_key_set_pem(key, buf, len, err, sizeof(err)) :
		            jwt_key_set_secret(key, buf, len, err,
		                sizeof(err))) == -1) {
			fprintf(stderr, "georoomd: '%s': %s\n", o->jwt_file,
			    err);
			rc = errno == ENOMEM ? EX_SOFTWARE : EX_CONFIG;
		}
	}
	explicit_bzero(buf, KEY_FILE_MAX + 1);
	free(buf);
	fclose(f);
	return rc;
}

/* Lets the hub hold as many connections as the hard limit allows. */
static void
raise_fd_limit(struct log *log)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_line(log, LOG_LEVEL_WARN,
			    "cannot raise the open "
			    "file limit: %s",
			    strerror(errno));
	}
}

/*
 * Applies a value from the environment: there -n and -o take a list of
 * several items, "a,b c", which the command line replaces.
 */
static int
apply_env(int val, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	char *copy, *tok, *save;

	if (val != 'n' && val != 'o' && val != OPT_TRUST_PROXY)
		return apply(val, arg, ctx);
	/* Split a copy that lives as long as the options. */
	if (o->nenv == sizeof(o->env_copies) / sizeof(o->env_copies[0]) ||
	    (copy = strdup(arg)) == NULL) {
		snprintf(o->err, sizeof(o->err), "out of memory");
		return -1;
	}
	o->env_copies[o->nenv++] = copy;
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save))
		if (apply(val, tok, ctx) == -1)
			return -1;
	if (val == 'n')
		o->namespaces_from_env = 1;
	else if (val == 'o')
		o->origins_from_env = 1;
	else
		o->trusted_from_env = 1;
	return 0;
}

static const char *
apply_error(void *ctx)
{
	const struct opts *o = ctx;

	return o->err;
}

static const struct cmdline_prog prog = {
	.name = "georoomd",
	.usage = usage,
	.opts = options,
	.apply = apply,
	.apply_env = apply_env,
	.error = apply_error,
	.env_status = EX_USAGE,
};

int
main(int argc, char **argv)
{
	struct opts o;
	struct hub hub;
	struct hub_app app;
	struct ctlserver cs;
	struct metricsd metrics;
	struct cluster cluster;
	struct jwt_key jwt;
	struct tlscert tls;
	struct log log;
	char path[108], err[512];
	gid_t gid = (gid_t)-1;
	size_t i;
	int rc = EX_SOFTWARE;

	memset(&o, 0, sizeof(o));
	o.hub.path = "/socket.io/";
	o.hub.ping_interval_ms = 25000;
	o.hub.ping_timeout_ms = 20000;
	o.hub.connect_timeout_ms = 45000;
	o.hub.max_payload = 1000000;
	o.hub.max_unfinished = 64 * 1024 * 1024;
	o.hub.message_timeout_ms = 10000;
	o.hub.max_backlog = 4 * 1024 * 1024;
	o.hub.max_backlog_frames = 65536;
	o.hub.max_rooms_per_socket = GEOROOMD_MAX_ROOMS_PER_SOCKET;
	o.hub.retain.max_bytes = GEOROOMD_RETAIN_MAX_BYTES;
	o.hub.coalesce = 1;
	o.hub.rate.grace_ms = 10000;
	o.hub.recovery.max_bytes = 16 * 1024 * 1024;
	o.hub.recovery.max_sessions = 10000;
	o.serve.port = 3030;
	o.verbosity = 1;
	redisurl_init(&o.redis);

	if (cmdline_parse(&prog, argc, argv, &o, stdout, stderr, &rc) == -1) {
		for (i = 0; i < o.nenv; i++)
			free(o.env_copies[i]);
		return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "georoomd: unexpected argument '%s'\n",
		    argv[optind]);
		return EX_USAGE;
	}
	o.hub.retain.events = o.retain;
	o.hub.retain.nevents = o.nretain;
	o.hub.conflate = o.conflate;
	o.hub.nconflate = o.nconflate;
	if ((o.tls_cert == NULL) != (o.tls_key == NULL)) {
		fprintf(stderr,
		    "georoomd: --tls-cert and --tls-key go "
		    "together\n");
		return EX_USAGE;
	}

	log_init(&log, "georoomd",
	    o.verbosity <= 0     ? LOG_LEVEL_WARN :
	        o.verbosity == 1 ? LOG_LEVEL_INFO :
	                           LOG_LEVEL_DEBUG);
	log.time = o.log_time;
	o.hub.log = log_line;
	o.hub.log_arg = &log;
	o.hub.log_level = log.max;
	if (o.norigins > 0) {
		o.hub.origins = o.origins;
		o.hub.norigins = o.norigins;
	}
	if (o.hub.rate.rate != 0 && o.hub.rate.burst == 0)
		o.hub.rate.burst = o.hub.rate.rate < RATELIMIT_MAX / 2 ?
		    2 * o.hub.rate.rate :
		    RATELIMIT_MAX;
	o.hub.trusted = o.trusted;
	o.hub.ntrusted = o.ntrusted;
	o.serve.lws_log_level = LLL_ERR | (o.verbosity >= 3 ? LLL_WARN : 0);

	if (o.control == NULL) {
		if (ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), path,
		        sizeof(path)) == -1) {
			fprintf(stderr,
			    "georoomd: default control socket path "
			    "too long; use --control\n");
			return EX_CONFIG;
		}
		o.control = path;
	}
	if (o.control_group != NULL) {
		struct group *gr = getgrnam(o.control_group);

		if (gr == NULL) {
			fprintf(stderr, "georoomd: no group '%s'\n",
			    o.control_group);
			return EX_CONFIG;
		}
		gid = gr->gr_gid;
	}

	/* Read before anything is set up, so that a wrong file stops the
	 * start with its reason. */
	memset(&tls, 0, sizeof(tls));
	if (o.tls_cert != NULL) {
		if (tlscert_init(&tls, o.tls_cert, o.tls_key, err,
		        sizeof(err)) == -1) {
			fprintf(stderr, "georoomd: %s\n", err);
			return errno == EINVAL ? EX_CONFIG :
			    errno == ENOMEM    ? EX_SOFTWARE :
			                         EX_NOINPUT;
		}
		o.serve.tls = &tls;
	}

	contract_app(&app);
	jwt_key_init(&jwt);
	if (o.jwt_file != NULL) {
		int st = load_jwt_key(&o, &jwt);

		if (st != 0) {
			tlscert_release(&tls);
			return st;
		}
		contract_require_tokens(&app, &jwt);
		log_line(&log, LOG_LEVEL_INFO, "tokens required (%s)",
		    jwt_key_algs(&jwt));
	}
	if (hub_init(&hub, &o.hub, &app) == -1) {
		fprintf(stderr, "georoomd: cannot set up the hub: %s\n",
		    strerror(errno));
		jwt_key_release(&jwt);
		tlscert_release(&tls);
		return EX_SOFTWARE;
	}
	if (o.hub.recovery.window_ms != 0)
		log_line(&log, LOG_LEVEL_INFO,
		    "connection state recovery: %u ms, at most %zu sessions "
		    "and %zu bytes of events",
		    o.hub.recovery.window_ms, o.hub.recovery.max_sessions,
		    o.hub.recovery.max_bytes);
	for (i = 0; i < o.nnamespaces; i++) {
		if (hub_add_namespace(&hub, o.namespaces[i]) == -1) {
			fprintf(stderr,
			    "georoomd: cannot add namespace '%s': "
			    "%s\n",
			    o.namespaces[i], strerror(errno));
			goto out_hub;
		}
	}
	raise_fd_limit(&log);
	if (o.use_redis) {
		if (cluster_init(&cluster, &hub, &o.redis, o.redis_key) ==
		        -1 ||
		    cluster_add_namespace(&cluster, "/") == -1) {
			fprintf(stderr,
			    "georoomd: cannot set up the cluster: %s\n",
			    strerror(errno));
			goto out_hub;
		}
		if (o.sharded)
			cluster_set_sharded(&cluster, o.shard_mode);
		for (i = 0; i < o.nnamespaces; i++)
			if (strcmp(o.namespaces[i], "/") != 0 &&
			    cluster_add_namespace(&cluster, o.namespaces[i]) ==
			        -1) {
				fprintf(stderr,
				    "georoomd: too many namespaces for the "
				    "cluster\n");
				goto out_cluster;
			}
		o.serve.cluster = &cluster;
	}

	ctlserver_init(&cs, &hub);
	if (ctlserver_listen(&cs, o.control, o.control_group ? 0660 : 0600,
	        gid, 0755, err, sizeof(err)) == -1) {
		fprintf(stderr, "georoomd: %s\n", err);
		rc = errno == EADDRINUSE              ? EX_UNAVAILABLE :
		    errno == EACCES || errno == EPERM ? EX_NOPERM :
		                                        EX_CONFIG;
		goto out_cluster;
	}
	if (o.use_metrics) {
		metricsd_init(&metrics, &hub, &cs.counters, &o.metrics_addr);
		o.serve.metrics = &metrics;
	}
	if (serve_run(&o.serve, &hub, &cs, err, sizeof(err)) == -1) {
		fprintf(stderr, "georoomd: %s\n", err);
		rc = errno == EADDRINUSE ? EX_UNAVAILABLE : EX_SOFTWARE;
		ctlserver_release(&cs);
		goto out_cluster;
	}
	log_line(&log, LOG_LEVEL_INFO, "stopped");
	rc = 0;
out_cluster:
	if (o.use_redis)
		cluster_release(&cluster);
out_hub:
	hub_release(&hub);
	jwt_key_release(&jwt);
	redisurl_release(&o.redis);
	tlscert_release(&tls);
	for (i = 0; i < o.nenv; i++)
		free(o.env_copies[i]);
	return rc;
}
