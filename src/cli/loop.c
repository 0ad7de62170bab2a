/*
 * loop.c - georoom-cli's session on the shared libuv loop, until it is
 * done and has left politely.
 */
#include "loop.h"

#include <errno.h>
#include <string.h>

#include <libwebsockets.h>

#include "evloop.h"
#include "exits.h"

/* How often the polite close looks whether it is done, and for how long. */
#define CLOSE_POLL_MS 10
#define CLOSE_MAX_MS 1500

/* Everything one run owns; it lives on loop_run()'s stack. */
struct loop {
	struct evloop el;
	struct session *s;
	struct lws_context *ctx;
	lws_sorted_usec_list_t stop_timer;
	int closing;
};

static struct loop_config lws_log_cfg; /* where lws_log_emit() goes */

static void say(const struct loop_config *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(const struct loop_config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (cfg->warn == NULL)
		return;
	va_start(ap, fmt);
	cfg->warn(cfg->warn_arg, 0, fmt, ap);
	va_end(ap);
}

/* libwebsockets' own lines, prefixed and without their newline. */
static void
lws_log_emit(int level, const char *line)
{
	size_t len = strlen(line);

	(void)level;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	say(&lws_log_cfg, "libwebsockets: %.*s", (int)len, line);
}

/* A signal ends the session; uv sees it on the loop, without a race. */
static void
on_signal(void *arg, int signum)
{
	struct loop *lp = arg;

	(void)signum;
	session_interrupt(lp->s);
}

/* -W: the time is up. */
static void
on_stop_timer(lws_sorted_usec_list_t *sul)
{
	struct loop *lp = lws_container_of(sul, struct loop, stop_timer);

	session_time_up(lp->s);
}

static int
closed(void *arg)
{
	struct loop *lp = arg;

	return session_closed(lp->s);
}

/* Once the session is done, leave politely, but not for long. */
static void
before_wait(void *arg)
{
	struct loop *lp = arg;

	if (!lp->s->done || lp->closing)
		return;
	lp->closing = 1;
	lws_sul_cancel(&lp->stop_timer);
	session_close(lp->s);
	evloop_drain(&lp->el, closed, lp, CLOSE_POLL_MS, CLOSE_MAX_MS);
}

int
loop_run(struct session *s, const struct loop_config *cfg)
{
	struct lws_protocols protos[3];
	struct lws_context_creation_info info;
	struct evloop_hooks hooks;
	struct loop lp;

	memset(&lp, 0, sizeof(lp));
	lp.s = s;
	hooks.on_signal = on_signal;
	hooks.on_hangup = NULL; /* SIGHUP ends the client, as it did */
	hooks.before_wait = before_wait;
	hooks.arg = &lp;
	if (evloop_init(&lp.el, &hooks) == -1) {
		say(cfg, "cannot set up the event loop");
		return EX_SOFTWARE;
	}
	memset(protos, 0, sizeof(protos));
	session_protocols(s, protos);
	lws_log_cfg = *cfg;
	lws_set_log_level(cfg->lws_log_levels, lws_log_emit);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protos;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (cfg->tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = cfg->cacert;
	}
	if ((lp.ctx = evloop_create_context(&lp.el, &info)) == NULL) {
		say(cfg, "cannot set up libwebsockets");
		evloop_release(&lp.el);
		return EX_SOFTWARE;
	}
	if (cfg->timeout > 0)
		lws_sul_schedule(lp.ctx, 0, &lp.stop_timer, on_stop_timer,
		    (lws_usec_t)(cfg->timeout * LWS_US_PER_SEC));
	if (session_start(s, lp.ctx) == -1) {
		say(cfg, "cannot poll standard input: %s", strerror(errno));
		lws_sul_cancel(&lp.stop_timer);
		evloop_release(&lp.el);
		return EX_SOFTWARE;
	}
	evloop_run(&lp.el);
	evloop_release(&lp.el);
	return s->status;
}
