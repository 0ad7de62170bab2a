/*
 * session.c - georoom-cli's session: the sioclient's callbacks turned into
 * lines printed, joins noted, messages sent, and the run's end.
 */
#include "session.h"

#include <errno.h>
#include <string.h>

#include "climsg.h"
#include "exits.h"
#include "log.h"

/* Tags of join_room acks; other tags number the messages sent. */
#define TAG_JOIN (UINT64_C(1) << 63)

static void say(struct session *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct session *s, int status, const char *fmt, ...)
{
	va_list ap;

	if (s->cfg.warn == NULL)
		return;
	va_start(ap, fmt);
	s->cfg.warn(s->cfg.warn_arg, status, fmt, ap);
	va_end(ap);
}

void
session_finish(struct session *s, int status)
{
	if (s->done)
		return;
	s->done = 1;
	s->status = status;
	pump_stop(&s->pump);
}

/*
 * Reports what the output said: a note, or a failed write, which ends the
 * run (quietly when the reader left).  Returns the lines written.
 */
static int
printed(struct session *s, int n, const char *why)
{
	int e = errno;

	if (why[0] != '\0')
		say(s, 0, "%s", why);
	if (n != -1)
		return n;
	if (e != EPIPE)
		say(s, 0, "writing standard output: %s", strerror(e));
	session_finish(s, e == EPIPE ? 0 : EX_SOFTWARE);
	return 0;
}

/*
 * All sent (and acknowledged when asked): leave, unless -C asks for
 * events yet to come.
 */
static void
maybe_finish(struct session *s)
{
	if (s->done || !pump_idle(&s->pump) || sioclient_pending(&s->sc) > 0)
		return;
	if (s->cfg.count > 0 && s->events < (unsigned long long)s->cfg.count)
		return;
	session_finish(s,
	    s->pump.bad_input ? EX_DATAERR :
	        s->lost_acks  ? EX_TEMPFAIL :
	                        0);
}

static void
pump_done(void *arg)
{
	maybe_finish(arg);
}

static void
on_connect(struct sioclient *sc, const char *sid, int again)
{
	struct session *s = sc->app.arg;

	if (s->cfg.log != NULL)
		s->cfg.log(s->cfg.log_arg, LOG_LEVEL_DEBUG,
		    "%s %s port %d "
		    "namespace %s as socket %s",
		    again ? "reconnected to" : "connected to",
		    s->cfg.wsurl->host, s->cfg.wsurl->port, s->cfg.ns, sid);
}

static void
on_event(struct sioclient *sc, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	struct session *s = sc->app.arg;
	char why[1024];

	if (s->done)
		return;
	if (printed(s,
	        output_event(s->cfg.out, pkt, att, natt, s->cfg.ns, why,
	            sizeof(why)),
	        why) > 0) {
		s->events++;
		if (s->cfg.count > 0 &&
		    s->events >= (unsigned long long)s->cfg.count)
			session_finish(s, 0);
	}
}

/* The ack of a join_room: a note, or a warning when the hub refused. */
static void
join_acked(struct session *s, const char *room, const struct sio_packet *pkt,
    const char *why)
{
	jv first, error;

	if (pkt == NULL) {
		say(s, 0, "join_room %s: %s", room, why);
		return;
	}
	first = jv_array_get(jv_copy(pkt->data), 0);
	error = jv_get_kind(first) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(first), jv_string("error")) :
	    jv_invalid();
	if (jv_is_valid(error)) {
		if (jv_get_kind(error) != JV_KIND_STRING)
			error = jv_dump_string(error, 0);
		say(s, 0, "join_room %s refused: %s", room,
		    jv_string_value(error));
	} else if (s->cfg.log != NULL) {
		s->cfg.log(s->cfg.log_arg, LOG_LEVEL_DEBUG, "joined room %s",
		    room);
	}
	jv_free(error);
	jv_free(first);
}

static void
on_ack(struct sioclient *sc, uint64_t tag, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt, const char *why)
{
	struct session *s = sc->app.arg;
	const char *event = s->cfg.cmd->event;
	char note[1024];

	if (tag & TAG_JOIN) {
		join_acked(s, s->cfg.cmd->words[tag & ~TAG_JOIN], pkt, why);
		return;
	}
	pump_acked(&s->pump);
	if (s->done)
		return; /* leaving anyway: dropped acks are no news */
	if (pkt == NULL) {
		if (s->cfg.line)
			say(s, 0, "%s of line %llu: %s", event,
			    (unsigned long long)tag, why);
		else
			say(s, 0, "%s: %s", event, why);
		s->lost_acks++;
	} else {
		printed(s,
		    output_ack(s->cfg.out, event, pkt, att, natt, s->cfg.ns,
		        note, sizeof(note)),
		    note);
	}
	maybe_finish(s);
}

static void
on_drain(struct sioclient *sc)
{
	struct session *s = sc->app.arg;

	if (s->cfg.line && s->in.paused &&
	    sioclient_pending(sc) < s->cfg.max_queue &&
	    linein_resume(&s->in) == -1) {
		say(s, 0, "standard input: %s", strerror(errno));
		session_finish(s, EX_SOFTWARE);
	}
	maybe_finish(s);
}

static void
on_end(struct sioclient *sc, enum sioclient_end e, const char *why)
{
	struct session *s = sc->app.arg;
	static const int status[] = {
		[SIOCLIENT_CLOSED] = 0,
		[SIOCLIENT_UNREACHABLE] = EX_UNAVAILABLE,
		[SIOCLIENT_UNTRUSTED] = EX_NOPERM,
		[SIOCLIENT_FORBIDDEN] = EX_NOPERM,
		[SIOCLIENT_NOT_SIO] = EX_PROTOCOL,
		[SIOCLIENT_REFUSED] = EX_NOPERM,
		[SIOCLIENT_PROTOCOL] = EX_PROTOCOL,
		[SIOCLIENT_KICKED] = EX_UNAVAILABLE,
		[SIOCLIENT_NOMEM] = EX_SOFTWARE,
	};

	if (e != SIOCLIENT_CLOSED && !s->done)
		say(s, 0, "%s: %s", s->cfg.url, why);
	session_finish(s, status[e]);
}

int
session_open_input(struct session *s, size_t max_line)
{
	return linein_init(&s->in, max_line, pump_lines, &s->pump);
}

int
session_init(struct session *s, const struct session_config *cfg,
    const struct sioclient_config *sc, char *err, size_t errlen)
{
	struct sioclient_app app;

	/* s->in is session_open_input()'s, and may be open already. */
	s->cfg = *cfg;
	s->events = 0;
	s->lost_acks = 0;
	s->done = 0;
	s->status = 0;
	pump_init(&s->pump);
	s->pump.sc = &s->sc;
	s->pump.in = cfg->line ? &s->in : NULL;
	s->pump.cmd = cfg->cmd;
	s->pump.user = cfg->user;
	s->pump.ack = cfg->ack;
	s->pump.raw = cfg->raw_in;
	s->pump.warn = cfg->warn;
	s->pump.on_done = pump_done;
	s->pump.arg = s;
	memset(&app, 0, sizeof(app));
	app.on_connect = on_connect;
	app.on_event = on_event;
	app.on_ack = on_ack;
	app.on_drain = on_drain;
	app.on_end = on_end;
	app.arg = s;
	return sioclient_init(&s->sc, sc, &app, err, errlen);
}

int
session_queue(struct session *s, char *err, size_t errlen)
{
	const struct cmd *cmd = s->cfg.cmd;
	jv msg;

	if (cmd->kind == CMD_JOIN) {
		for (int i = 0; i < cmd->nwords; i++) {
			msg = climsg_join(cmd->words[i], s->cfg.user);
			if (sioclient_emit_sticky(&s->sc, jv_string_value(msg),
			        (size_t)jv_string_length_bytes(jv_copy(msg)),
			        1, TAG_JOIN | (uint64_t)i) == -1)
				say(s, EX_SOFTWARE, "out of memory");
			jv_free(msg);
		}
		return 0;
	}
	if (cmd->kind == CMD_TAIL || s->cfg.line)
		return 0;
	if (cmd_message(cmd, s->cfg.user, s->cfg.raw_in, &msg, err, errlen) ==
	    -1)
		return -1;
	pump_hold(&s->pump, msg);
	return 0;
}

void
session_protocols(struct session *s, struct lws_protocols *protos)
{
	sioclient_protocol(&s->sc, &protos[0]);
	linein_protocol(&s->in, &protos[1]);
}

int
session_start(struct session *s, struct lws_context *ctx)
{
	sioclient_start(&s->sc, ctx);
	if (pump_send(&s->pump) == -1)
		say(s, EX_SOFTWARE, "cannot queue the message");
	if (s->cfg.line && linein_start(&s->in, ctx) == -1)
		return -1;
	return 0;
}

void
session_interrupt(struct session *s)
{
	session_finish(s,
	    s->cfg.cmd->kind == CMD_JOIN || s->cfg.cmd->kind == CMD_TAIL ?
	        0 :
	        EX_TEMPFAIL);
}

void
session_time_up(struct session *s)
{
	if (s->cfg.cmd->kind == CMD_JOIN || s->cfg.cmd->kind == CMD_TAIL)
		session_finish(s,
		    s->cfg.count == 0 && s->events > 0 ? 0 : EX_TEMPFAIL);
	else
		session_finish(s, EX_TEMPFAIL);
	if (s->status == EX_TEMPFAIL && s->cfg.log != NULL)
		s->cfg.log(s->cfg.log_arg, LOG_LEVEL_DEBUG,
		    "stopped after %g s", s->cfg.timeout);
}

void
session_close(struct session *s)
{
	if (s->cfg.line)
		linein_stop(&s->in);
	sioclient_close(&s->sc);
}

int
session_closed(const struct session *s)
{
	return s->sc.state == SIOCLIENT_ENDED;
}

void
session_release(struct session *s)
{
	sioclient_release(&s->sc);
	pump_release(&s->pump);
	if (s->cfg.line)
		linein_release(&s->in);
}
