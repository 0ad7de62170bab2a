/*
 * loop.c - georoom-cli's libwebsockets loop, serviced until the session is
 * done; a signal only sets a flag, which a timer tick looks at.
 */
#include "loop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <libwebsockets.h>

#include "exits.h"
#include "mono.h"

static volatile sig_atomic_t stop_requested;
static struct session *timer_session;
static struct lws_context *timer_ctx;
static lws_sorted_usec_list_t tick, stop_timer;
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

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Wakes the loop now and then, so that a signal is seen within a tick. */
static void
on_tick(lws_sorted_usec_list_t *sul)
{
	if (stop_requested)
		session_interrupt(timer_session);
	lws_sul_schedule(timer_ctx, 0, sul, on_tick, 250 * LWS_US_PER_MS);
}

/* -W: the time is up. */
static void
on_stop_timer(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	session_time_up(timer_session);
}

int
loop_run(struct session *s, const struct loop_config *cfg)
{
	struct lws_protocols protos[3];
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct sigaction sa;
	int64_t deadline;
	int rc;

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
	if ((ctx = lws_create_context(&info)) == NULL) {
		say(cfg, "cannot set up libwebsockets");
		return EX_SOFTWARE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	timer_session = s;
	timer_ctx = ctx;
	on_tick(&tick);
	if (cfg->timeout > 0)
		lws_sul_schedule(ctx, 0, &stop_timer, on_stop_timer,
		    (lws_usec_t)(cfg->timeout * LWS_US_PER_SEC));
	if (session_start(s, ctx) == -1) {
		say(cfg, "cannot poll standard input: %s", strerror(errno));
		rc = EX_SOFTWARE;
		goto out;
	}

	while (!s->done) {
		if (lws_service(ctx, 0) < 0) {
			say(cfg, "libwebsockets stopped serving");
			session_finish(s, EX_SOFTWARE);
		}
	}
	/* Leave politely, but not for long. */
	session_close(s);
	deadline = mono_ms() + 1500;
	while (!session_closed(s) && mono_ms() < deadline)
		if (lws_service(ctx, 0) < 0)
			break;
	rc = s->status;
out:
	lws_sul_cancel(&tick);
	lws_sul_cancel(&stop_timer);
	lws_context_destroy(ctx);
	return rc;
}
