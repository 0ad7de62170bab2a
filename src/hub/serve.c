/*
 * serve.c - the lws context around a hub on one libuv loop, its signals
 * and its shutdown.
 */
#include "serve.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "evloop.h"
#include "linger.h"
#include "listener.h"
#include "metricsd.h"
#include "tlscert.h"

/* Descriptors kept out of the hub's reach: standard streams, the loop's
 * own (epoll, its signal pipe, async wake-ups), listeners, log files and
 * the control connections, which live outside libwebsockets' table. */
#define SERVE_FD_RESERVE 64

/* How often the drain after SIGINT/SIGTERM looks whether every client has
 * gone, and how long it waits for them at most. */
#define DRAIN_POLL_MS 20
#define DRAIN_MAX_MS 2000

/* How long a closed connection's socket lingers at most, reading what the
 * peer still sends, and how much of it is read before it is closed
 * anyway (see conn_linger() in hub.c). */
#define LINGER_MS 2000
#define LINGER_BYTES (64 * 1024)

static const lws_retry_bo_t no_validity_pings = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

/* Everything one run owns; it lives on serve_run()'s stack. */
struct serve {
	struct evloop el;
	struct linger_set linger;
	struct listener listener; /* with --reuse-port; else lws listens */
	struct cluster *cluster;  /* borrowed; NULL: none */
	struct lws_vhost *vh;
	struct hub *hub;
	struct ctlserver *cs;
	struct tlscert *tls; /* borrowed; NULL: clear text */
	/* Under TLS, the hub's protocol callback, which tls_callback()
	 * stands in front of. */
	lws_callback_function *hub_callback;
	int tls_attached; /* lws handed us the vhost's SSL_CTX */
	int stopping;
};

/* The hub's sink receives libwebsockets' own lines too. */
static struct hub *lws_log_hub;

static void
lws_log_emit(int level, const char *line)
{
	size_t len = strlen(line);

	if (lws_log_hub == NULL || lws_log_hub->cfg.log == NULL)
		return;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	lws_log_hub->cfg.log(lws_log_hub->cfg.log_arg,
	    level & LLL_ERR      ? HUB_LOG_ERR :
	        level & LLL_WARN ? HUB_LOG_WARN :
	                           HUB_LOG_DEBUG,
	    "libwebsockets: %.*s", (int)len, line);
}

/* Just before the loop waits for I/O, as Redis does before it sleeps:
 * the hub writes what this round's callbacks and timers queued. */
static void
before_wait(void *arg)
{
	struct serve *sv = arg;

	hub_flush(sv->hub);
}

/* Counted until lws frees each connection, which is after its close frame
 * has gone out (lws tells the hub it closed before that), and until its
 * socket has lingered. */
static int
all_gone(void *arg)
{
	struct serve *sv = arg;

	return hub_connections_open(sv->hub) == 0 && sv->linger.count == 0;
}

/* A connection our own listener accepted (--reuse-port). */
static void
on_connection(void *arg, int fd)
{
	struct serve *sv = arg;

	hub_adopt(sv->hub, sv->vh, fd);
}

static void
on_signal(void *arg, int signum)
{
	struct serve *sv = arg;

	(void)signum;
	if (sv->stopping)
		return;
	sv->stopping = 1;
	sv->hub->cfg.log(sv->hub->cfg.log_arg, HUB_LOG_INFO,
	    "shutting down: "
	    "%zu connections",
	    hub_connections_open(sv->hub));
	if (sv->cs != NULL)
		ctlserver_release(sv->cs); /* no new producers from here */
	listener_close(&sv->listener);     /* the others sharing the port take
					* the new connections */
	if (sv->cluster != NULL)
		cluster_stop(sv->cluster); /* local only from here on */
	hub_shutdown(sv->hub);
	evloop_drain(&sv->el, all_gone, sv, DRAIN_POLL_MS, DRAIN_MAX_MS);
}

/*
 * SIGHUP under TLS: the certificate and key are read again.  A good pair
 * serves the handshakes from now on; connections already made keep the
 * pair they began with, and none is closed.  A bad one is logged and the
 * pair in use stays.
 */
static void
on_hangup(void *arg)
{
	struct serve *sv = arg;
	char err[512], what[400];

	if (sv->stopping)
		return;
	if (tlscert_reload(sv->tls, err, sizeof(err)) == -1) {
		sv->hub->cfg.log(sv->hub->cfg.log_arg, HUB_LOG_WARN,
		    "TLS certificate not reloaded, the one in use stays: %s",
		    err);
		return;
	}
	tlscert_describe(sv->tls, what, sizeof(what));
	sv->hub->cfg.log(sv->hub->cfg.log_arg, HUB_LOG_INFO,
	    "TLS certificate reloaded: %s", what);
}

/*
 * The hub's protocol callback under TLS.  lws hands the vhost's SSL_CTX,
 * with no certificate in it, to its first protocol once, as it makes the
 * vhost: from then on each handshake takes its pair from tlscert.  The
 * rest goes to the hub.
 */
static int
tls_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct serve *sv = lws_context_user(lws_get_context(wsi));

	if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS) {
		if (tlscert_attach(sv->tls, user) == -1)
			return 1;
		sv->tls_attached = 1;
		return 0;
	}
	return sv->hub_callback(wsi, reason, user, in, len);
}

/*
 * How many connections the descriptor limit leaves room for: the soft
 * RLIMIT_NOFILE less a reserve, so that the process never meets EMFILE
 * on accept (which lws 4.1 answers by retrying at once, forever).
 */
static size_t
fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur == RLIM_INFINITY)
		return 0;
	if (rl.rlim_cur <= 2 * SERVE_FD_RESERVE)
		return rl.rlim_cur / 2;
	return rl.rlim_cur - SERVE_FD_RESERVE;
}

int
serve_run(const struct serve_config *cfg, struct hub *hub,
    struct ctlserver *cs, char *err, size_t errlen)
{
	struct lws_protocols protos[3];
	struct lws_context_creation_info info;
	struct lws_vhost *vh;
	struct sigaction sa;
	struct evloop_hooks hooks;
	struct lws_context *ctx;
	struct serve sv;
	size_t budget;
	int port;

	memset(&sv, 0, sizeof(sv));
	sv.hub = hub;
	sv.cs = cs;
	hooks.on_signal = on_signal;
	/* Without TLS there is nothing to reload: SIGHUP stays ignored. */
	hooks.on_hangup = cfg->tls != NULL ? on_hangup : NULL;
	hooks.before_wait = before_wait;
	hooks.arg = &sv;
	if (evloop_init(&sv.el, &hooks) == -1) {
		snprintf(err, errlen, "cannot set up the event loop");
		return -1;
	}
	linger_set_init(&sv.linger, &sv.el.loop, LINGER_MS, LINGER_BYTES);

	memset(protos, 0, sizeof(protos));
	hub_protocol(hub, &protos[0]);
	if (cs != NULL)
		ctlserver_protocol(cs, &protos[1]);
	if (cfg->tls != NULL) {
		sv.tls = cfg->tls;
		sv.hub_callback = protos[0].callback;
		protos[0].callback = tls_callback;
		/* Nothing to scan: the bytes read are TLS records (rxtap.h). */
		hub->cfg.tls = 1;
	}

	lws_log_hub = hub;
	lws_set_log_level(cfg->lws_log_level, lws_log_emit);

	budget = fd_budget();
	memset(&info, 0, sizeof(info));
	info.port = cfg->port; /* 0: the kernel picks, lws reports it */
	info.iface = cfg->bind;
	info.protocols = protos;
	info.user = &sv; /* for tls_callback() */
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	/* Text frames that are not UTF-8 are not Socket.IO: lws closes them. */
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
	info.timeout_secs = 10;
	/* No info.fd_limit_per_thread: below the ulimit it turns lws 4.1's
	 * descriptor lookup into a scan of the whole table (half the hub's
	 * CPU while 16,000 clients connect).  The hub refuses at its own
	 * budget, on accept, well before lws would run out. */
	/* Engine.IO's own heartbeat finds dead peers; lws's validity pings
	 * would only add a sorted timer insert per connection. */
	info.retry_and_idle_policy = &no_validity_pings;
	if (cfg->bind != NULL && strchr(cfg->bind, ':') != NULL)
		info.options &= ~(uint64_t)LWS_SERVER_OPTION_DISABLE_IPV6;
	/* Several processes on one port, for more cores: each has its own
	 * connections, and rooms span them through a cluster adapter.  lws
	 * 4.1 sets SO_REUSEPORT only with several service threads, so the
	 * socket is ours and lws adopts what it accepts. */
	if (cfg->reuse_port)
		info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	/* lws makes the vhost's SSL_CTX without a certificate (none is
	 * named here) and hands it to tls_callback().  ALPN offers HTTP/1.1
	 * alone: the hub serves WebSocket upgrades of HTTP/1.1, one request
	 * a connection, never HTTP/2 streams. */
	if (cfg->tls != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
		    LWS_SERVER_OPTION_CREATE_VHOST_SSL_CTX;
		info.alpn = "http/1.1";
	}

	/* lws joins our libuv loop (epoll), through its evlib plugin, so
	 * that nothing scans every descriptor per round and other watchers
	 * (signals, a Redis client) share the loop without threads. */
	ctx = evloop_create_context(&sv.el, &info);
	if (ctx == NULL) {
		snprintf(err, errlen,
		    "cannot listen on %s port %d (in use, "
		    "the address is not local, or the libuv event library "
		    "plugin of libwebsockets is missing)",
		    cfg->bind ? cfg->bind : "*", cfg->port);
		lws_log_hub = NULL;
		evloop_release(&sv.el);
		errno = EADDRINUSE;
		return -1;
	}
	vh = lws_get_vhost_by_name(ctx, "default");
	if (vh != NULL && cfg->tls != NULL && !sv.tls_attached) {
		snprintf(err, errlen, "cannot set up TLS");
		lws_log_hub = NULL;
		evloop_release(&sv.el);
		return -1;
	}
	port = vh ? lws_get_vhost_listen_port(vh) : -1;
	sv.listener.fd = -1;
	sv.vh = vh;
	if (vh != NULL && cfg->reuse_port) {
		if (listener_open(&sv.listener, &sv.el.loop, cfg->bind,
		        cfg->port, on_connection, &sv) == -1) {
			snprintf(err, errlen,
			    "cannot listen on %s port %d with SO_REUSEPORT: %s",
			    cfg->bind ? cfg->bind : "*", cfg->port,
			    strerror(errno));
			lws_log_hub = NULL;
			evloop_release(&sv.el);
			errno = EADDRINUSE;
			return -1;
		}
		port = sv.listener.port;
	}
	if (vh != NULL && cfg->cluster != NULL &&
	    cluster_start(cfg->cluster, &sv.el.loop) == -1) {
		snprintf(err, errlen, "cannot start the Redis link: %s",
		    strerror(errno));
		listener_close(&sv.listener);
		lws_log_hub = NULL;
		evloop_release(&sv.el);
		return -1;
	}
	sv.cluster = cfg->cluster;
	if (cs != NULL && (vh == NULL || ctlserver_start(cs, vh) == -1)) {
		snprintf(err, errlen, "cannot serve the control socket");
		evloop_release(&sv.el);
		lws_log_hub = NULL;
		return -1;
	}
	if (cfg->metrics != NULL) {
		char where[96];

		if (metricsd_start(cfg->metrics, &sv.el.loop, err, errlen) ==
		    -1) {
			int e = errno;

			listener_close(&sv.listener);
			if (sv.cluster != NULL)
				cluster_stop(sv.cluster);
			evloop_release(&sv.el);
			lws_log_hub = NULL;
			errno = e;
			return -1;
		}
		metricsd_describe(cfg->metrics, where, sizeof(where));
		hub->cfg.log(hub->cfg.log_arg, HUB_LOG_INFO,
		    "metrics on %s path " METRICSD_PATH
		    " health " METRICSD_HEALTH_PATH,
		    where);
	}
	hub_start(hub, ctx, budget, &sv.linger);
	if (cfg->tls != NULL) {
		char what[400];

		tlscert_describe(cfg->tls, what, sizeof(what));
		hub->cfg.log(hub->cfg.log_arg, HUB_LOG_INFO,
		    "TLS certificate: %s", what);
	}
	hub->cfg.log(hub->cfg.log_arg, HUB_LOG_INFO,
	    "listening on %s port %d path %s%s%s", cfg->bind ? cfg->bind : "*",
	    port, hub->cfg.path, cs ? " control " : "", cs ? cs->path : "");

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	evloop_run(&sv.el);
	/* Its handles kept the loop for none: closed once the rest is. */
	if (cfg->metrics != NULL)
		metricsd_stop(cfg->metrics);
	/* What still lingers when the drain is over is closed at once. */
	listener_close(&sv.listener);
	if (sv.cluster != NULL)
		cluster_stop(sv.cluster);
	linger_set_release(&sv.linger);
	evloop_release(&sv.el);
	lws_log_hub = NULL;
	return 0;
}
