/* hubopt.c - georoomd's options (see hubopt.h). */
#include "hubopt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "exits.h"
#include "httpserv.h"
#include "sio.h"

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
	OPT_SEND_THREADS,
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
	{ "send-threads", OPT_SEND_THREADS, "N",
	    "threads sharing a fan-out's writes (CPUs - 1, at most 3)",
	    "GEOROOMD_SEND_THREADS" },
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
	struct hubopt *o = ctx;
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
	case OPT_SEND_THREADS:
		if (cmdline_number_arg(options, val, arg, 0,
		        SENDPOOL_THREADS_MAX, &v, o->err,
		        sizeof(o->err)) == -1)
			return -1;
		o->hub.send_threads = (unsigned)v;
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

/*
 * Applies a value from the environment: there -n and -o take a list of
 * several items, "a,b c", which the command line replaces.
 */
static int
apply_env(int val, const char *arg, void *ctx)
{
	struct hubopt *o = ctx;
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

static const struct cmdline_prog prog = {
	.name = "georoomd",
	.usage = usage,
	.opts = options,
	.apply = apply,
	.apply_env = apply_env,
	.reason_at = CMDLINE_REASON_AT(struct hubopt, err),
	.env_status = EX_USAGE,
};

/* One thread per CPU beside the loop's, up to three: a fan-out's writes
 * are mostly the kernel's, and more than four cores rarely serve one
 * process's sockets better. */
static unsigned
default_send_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n <= 1 ? 0 : n > 4 ? 3 : (unsigned)(n - 1);
}

void
hubopt_init(struct hubopt *o)
{
	memset(o, 0, sizeof(*o));
	o->hub.path = "/socket.io/";
	o->hub.ping_interval_ms = 25000;
	o->hub.ping_timeout_ms = 20000;
	o->hub.connect_timeout_ms = 45000;
	o->hub.max_payload = 1000000;
	o->hub.max_unfinished = 64 * 1024 * 1024;
	o->hub.message_timeout_ms = 10000;
	o->hub.max_backlog = 4 * 1024 * 1024;
	o->hub.max_backlog_frames = 65536;
	o->hub.max_rooms_per_socket = GEOROOMD_MAX_ROOMS_PER_SOCKET;
	o->hub.retain.max_bytes = GEOROOMD_RETAIN_MAX_BYTES;
	o->hub.coalesce = 1;
	o->hub.send_threads = default_send_threads();
	o->hub.rate.grace_ms = 10000;
	o->hub.recovery.max_bytes = 16 * 1024 * 1024;
	o->hub.recovery.max_sessions = 10000;
	o->serve.port = 3030;
	o->verbosity = 1;
	redisurl_init(&o->redis);
}

int
hubopt_parse(struct hubopt *o, int argc, char **argv, int *status)
{
	if (cmdline_parse(&prog, argc, argv, o, stdout, stderr, status) == -1)
		return -1;
	if (optind < argc) {
		fprintf(stderr, "georoomd: unexpected argument '%s'\n",
		    argv[optind]);
		*status = EX_USAGE;
		return -1;
	}
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		fprintf(stderr,
		    "georoomd: --tls-cert and --tls-key go "
		    "together\n");
		*status = EX_USAGE;
		return -1;
	}
	o->hub.retain.events = o->retain;
	o->hub.retain.nevents = o->nretain;
	o->hub.conflate = o->conflate;
	o->hub.nconflate = o->nconflate;
	return 0;
}

void
hubopt_release(struct hubopt *o)
{
	size_t i;

	for (i = 0; i < o->nenv; i++)
		free(o->env_copies[i]);
	o->nenv = 0;
	redisurl_release(&o->redis);
}
