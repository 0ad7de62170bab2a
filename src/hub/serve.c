/* serve.c - the lws context around a hub, its signals and its shutdown. */
#include "serve.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mono.h"

static volatile sig_atomic_t stop_requested;

static const lws_retry_bo_t no_validity_pings = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

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
	    level & LLL_ERR ? HUB_LOG_ERR : level & LLL_WARN ? HUB_LOG_WARN :
	    HUB_LOG_DEBUG, "libwebsockets: %.*s", (int)len, line);
}

/* Wakes the service loop now and then, so that a signal that lands just
 * before it sleeps is seen within a tick. */
static lws_sorted_usec_list_t tick;
static struct lws_context *tick_ctx;

static void
on_tick(lws_sorted_usec_list_t *sul)
{
	lws_sul_schedule(tick_ctx, 0, sul, on_tick, 250 * LWS_US_PER_MS);
}

int
serve_run(const struct serve_config *cfg, struct hub *hub,
    struct ctlserver *cs, char *err, size_t errlen)
{
	struct lws_protocols protos[3];
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct sigaction sa;
	int64_t deadline;
	int port, failed = 0;

	memset(protos, 0, sizeof(protos));
	hub_protocol(hub, &protos[0]);
	if (cs != NULL)
		ctlserver_protocol(cs, &protos[1]);

	lws_log_hub = hub;
	lws_set_log_level(cfg->lws_log_level, lws_log_emit);

	memset(&info, 0, sizeof(info));
	info.port = cfg->port;	/* 0: the kernel picks, lws reports it */
	info.iface = cfg->bind;
	info.protocols = protos;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	/* Text frames that are not UTF-8 are not Socket.IO: lws closes them. */
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
	info.timeout_secs = 10;
	/* Engine.IO's own heartbeat finds dead peers; lws's validity pings
	 * would only add a sorted timer insert per connection. */
	info.retry_and_idle_policy = &no_validity_pings;
	if (cfg->bind != NULL && strchr(cfg->bind, ':') != NULL)
		info.options &= ~(uint64_t)LWS_SERVER_OPTION_DISABLE_IPV6;

	ctx = lws_create_context(&info);
	if (ctx == NULL) {
		snprintf(err, errlen, "cannot listen on %s port %d (in use, or "
		    "the address is not local)", cfg->bind ? cfg->bind : "*",
		    cfg->port);
		errno = EADDRINUSE;
		lws_log_hub = NULL;
		return -1;
	}
	vh = lws_get_vhost_by_name(ctx, "default");
	port = vh ? lws_get_vhost_listen_port(vh) : -1;
	if (cs != NULL && (vh == NULL || ctlserver_start(cs, vh) == -1)) {
		snprintf(err, errlen, "cannot serve the control socket");
		lws_context_destroy(ctx);
		lws_log_hub = NULL;
		return -1;
	}
	hub_start(hub, ctx);
	hub->cfg.log(hub->cfg.log_arg, HUB_LOG_INFO,
	    "listening on %s port %d path %s%s%s", cfg->bind ? cfg->bind : "*",
	    port, hub->cfg.path, cs ? " control " : "", cs ? cs->path : "");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	tick_ctx = ctx;
	on_tick(&tick);
	while (!stop_requested) {
		if (lws_service(ctx, 0) < 0) {
			snprintf(err, errlen, "the event loop failed");
			failed = 1;
			break;
		}
	}

	hub->cfg.log(hub->cfg.log_arg, HUB_LOG_INFO, "shutting down: %llu "
	    "connections", (unsigned long long)hub->stats.connections);
	if (cs != NULL)
		ctlserver_release(cs);	/* no new producers from here on */
	hub_shutdown(hub);
	deadline = mono_ms() + 2000;
	while (hub->stats.connections > 0 && mono_ms() < deadline)
		if (lws_service(ctx, 0) < 0)
			break;
	lws_sul_cancel(&tick);
	lws_context_destroy(ctx);
	lws_log_hub = NULL;
	return failed ? -1 : 0;
}
