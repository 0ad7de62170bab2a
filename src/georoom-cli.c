/*
 * georoom-cli.c - join Socket.IO rooms, tail and emit events from a
 * terminal.  Options and wiring: the command line into a sioclient (the
 * connection), its events through the optional jq filter onto standard
 * output, standard input's lines into events; who and rooms ask georoomd's
 * control socket.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "climsg.h"
#include "cmd.h"
#include "cmdline.h"
#include "exits.h"
#include "jqfilter.h"
#include "json.h"
#include "linein.h"
#include "log.h"
#include "output.h"
#include "query.h"
#include "mono.h"
#include "sio.h"
#include "sioclient.h"
#include "version.h"
#include "wsurl.h"

enum {
	OPT_ACK = CMDLINE_LONG_ONLY,
	OPT_ACK_TIMEOUT,
	OPT_AUTH,
	OPT_CACERT,
	OPT_CONNECT_TIMEOUT,
	OPT_INSECURE,
	OPT_JQ,
	OPT_MAX_QUEUE,
	OPT_NO_RECONNECT,
	OPT_PATH,
	OPT_RECONNECT_ATTEMPTS,
	OPT_RECONNECT_DELAY,
	OPT_RECONNECT_DELAY_MAX,
	OPT_RECONNECT_JITTER,
	OPT_USER,
};

static const struct cmdline_opt options[] = {
	{ "ack", OPT_ACK, NULL, "ask for each message's acknowledgement and "
	    "print it", NULL },
	{ "ack-timeout", OPT_ACK_TIMEOUT, "MS",
	    "give up on an acknowledgement after MS (10000)", NULL },
	{ "auth", OPT_AUTH, "JSON", "CONNECT payload, a JSON object",
	    "GEOROOM_AUTH" },
	{ "cacert", OPT_CACERT, "FILE",
	    "trust the CA certificates in FILE (PEM)", NULL },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, "MS",
	    "give up a connection attempt after MS (20000)", NULL },
	{ "control", 'c', "PATH", "georoomd's control socket (who, rooms)",
	    "GEOROOM_SOCKET" },
	{ "count", 'C', "N", "exit after printing N events", NULL },
	{ "data-only", 'd', NULL, "print only each event's data", NULL },
	{ "event", 'e', "NAME", "print only events NAME (repeatable)", NULL },
	{ "header", 'H', "HEADER", "send 'Name: value' in the handshake "
	    "(repeatable)", NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "insecure", OPT_INSECURE, NULL, "accept any TLS certificate", NULL },
	{ "jq", OPT_JQ, "FILTER", "print what FILTER makes of each line",
	    NULL },
	{ "line", 'l', NULL, "send each line of standard input as a message",
	    NULL },
	{ "max-queue", OPT_MAX_QUEUE, "N",
	    "hold at most N messages unsent or unacknowledged (1000)", NULL },
	{ "no-reconnect", OPT_NO_RECONNECT, NULL,
	    "exit when the connection is lost", NULL },
	{ "ns", 'n', "NS", "namespace (/)", NULL },
	{ "path", OPT_PATH, "PATH", "handshake path (/socket.io/)",
	    "GEOROOM_PATH" },
	{ "quiet", 'q', NULL, "print errors and warnings only", NULL },
	{ "raw-input", 'R', NULL, "send messages and lines as strings, not "
	    "JSON", NULL },
	{ "raw-output", 'r', NULL, "print strings without quotes", NULL },
	{ "reconnect-attempts", OPT_RECONNECT_ATTEMPTS, "N",
	    "give up after N failed reconnections (0: never)", NULL },
	{ "reconnect-delay", OPT_RECONNECT_DELAY, "MS",
	    "first delay before reconnecting (1000)", NULL },
	{ "reconnect-delay-max", OPT_RECONNECT_DELAY_MAX, "MS",
	    "longest delay before reconnecting (5000)", NULL },
	{ "reconnect-jitter", OPT_RECONNECT_JITTER, "F",
	    "randomization factor of the delays, 0 to 1 (0.5)", NULL },
	{ "timeout", 'W', "SECS",
	    "stop after SECS; status 75 if nothing came", NULL },
	{ "url", 'u', "URL", "hub address (ws://localhost:3030)",
	    "GEOROOM_URL" },
	{ "user", OPT_USER, "N", "userId sent with join_room and chat", NULL },
	{ "verbose", 'v', NULL, "say more (twice: libwebsockets too)", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL },
	{ 0 }
};

static const char usage[] =
    "usage: georoom-cli [-dhlqRrVv] [-C n] [-c path] [-e name] [-H header]"
    " [-n ns]\n"
    "                   [-u url] [-W secs] [--ack] [--jq filter] [--user n]"
    " ...\n"
    "                   command [argument ...]\n"
    "commands:\n"
    "  join room ...           join the rooms, print what arrives\n"
    "  tail                    print what arrives, joining nothing\n"
    "  emit event [json ...]   send one event (or one per line with -l)\n"
    "  chat room [message]     send chat to a room (or each line with -l)\n"
    "  who room                list a room's sockets (control socket)\n"
    "  rooms                   list the rooms (control socket)\n";

/* Longest line read from standard input, newline included. */
#define CLI_LINE_MAX (1024 * 1024)
/* Largest message or set of attachments accepted from the hub. */
#define CLI_MESSAGE_MAX (16 * 1024 * 1024)
/* Bytes held unsent, beyond which standard input waits. */
#define CLI_QUEUE_BYTES (4 * 1024 * 1024)
#define LIST_MAX 64
/* Tags of join_room acks; other tags number the messages sent. */
#define TAG_JOIN (UINT64_C(1) << 63)

struct opts {
	const char *url, *path, *ns, *auth, *cacert, *control, *jq;
	const char *headers[LIST_MAX];
	size_t nheaders;
	const char *events[LIST_MAX];
	size_t nevents;
	char user[32];		/* JSON number, "" when not given */
	long long count;	/* 0: no limit */
	double timeout;		/* seconds; 0: none */
	long long ack_timeout, connect_timeout, max_queue;
	long long attempts, delay, delay_max;
	double jitter;
	int ack, data_only, line, raw_in, raw_out, insecure, reconnect;
	int verbosity;		/* 0 quiet, 1 normal, 2 verbose, 3 lws too */
	char err[256];		/* why apply() refused an option */
};

struct cli {
	struct opts o;
	struct cmd cmd;
	const char *ns;
	struct wsurl url;
	struct log log;
	struct jqfilter jq;
	int have_jq;
	struct output out;
	struct sioclient sc;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct linein in;	/* standard input, with -l */
	int in_done;		/* every message to send is queued */
	jv held;		/* a message waiting for room, or invalid */
	uint64_t next_tag;
	/* Progress and the end. */
	unsigned long long events;	/* events printed */
	size_t acks_wanted;
	size_t bad_input, lost_acks;
	int done, status;
};

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Ends the run with 'status', unless an end was chosen already. */
static void
finish(struct cli *cli, int status)
{
	if (cli->done)
		return;
	cli->done = 1;
	cli->status = status;
}

/*
 * Reports what the output said: a note, or a failed write, which ends the
 * program (quietly when the reader left).  Returns the lines written.
 */
static int
printed(struct cli *cli, int n, const char *why)
{
	int e = errno;

	if (why[0] != '\0')
		warnx("%s", why);
	if (n != -1)
		return n;
	if (e != EPIPE) {
		errno = e;
		warn("writing standard output");
	}
	finish(cli, e == EPIPE ? 0 : EX_SOFTWARE);
	return 0;
}

/* Prints the JSON text 'line' (consumed).  Returns the lines written. */
static int
print_json(struct cli *cli, jv line)
{
	char why[1024];

	return printed(cli, output_json(&cli->out, line, why, sizeof(why)),
	    why);
}

/* sioclient callbacks ---------------------------------------------------- */

static void maybe_finish(struct cli *cli);

static void
on_connect(struct sioclient *sc, const char *sid, int again)
{
	struct cli *cli = sc->app.arg;

	log_line(&cli->log, LOG_LEVEL_DEBUG, "%s %s port %d namespace %s "
	    "as socket %s", again ? "reconnected to" : "connected to",
	    cli->url.host, cli->url.port, cli->ns, sid);
}

static void
on_event(struct sioclient *sc, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	struct cli *cli = sc->app.arg;
	char why[1024];

	if (cli->done)
		return;
	if (printed(cli, output_event(&cli->out, pkt, att, natt, cli->ns, why,
	    sizeof(why)), why) > 0) {
		cli->events++;
		if (cli->o.count > 0 &&
		    cli->events >= (unsigned long long)cli->o.count)
			finish(cli, 0);
	}
}

/* The ack of a join_room: a note, or a warning when the hub refused. */
static void
join_acked(struct cli *cli, const char *room, const struct sio_packet *pkt,
    const char *why)
{
	jv first, error;

	if (pkt == NULL) {
		warnx("join_room %s: %s", room, why);
		return;
	}
	first = jv_array_get(jv_copy(pkt->data), 0);
	error = jv_get_kind(first) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(first), jv_string("error")) : jv_invalid();
	if (jv_is_valid(error)) {
		if (jv_get_kind(error) != JV_KIND_STRING)
			error = jv_dump_string(error, 0);
		warnx("join_room %s refused: %s", room,
		    jv_string_value(error));
	} else {
		log_line(&cli->log, LOG_LEVEL_DEBUG, "joined room %s", room);
	}
	jv_free(error);
	jv_free(first);
}

static void
on_ack(struct sioclient *sc, uint64_t tag, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt, const char *why)
{
	struct cli *cli = sc->app.arg;
	char note[1024];

	if (tag & TAG_JOIN) {
		join_acked(cli, cli->cmd.words[tag & ~TAG_JOIN], pkt, why);
		return;
	}
	if (cli->acks_wanted > 0)
		cli->acks_wanted--;
	if (cli->done)
		return;		/* leaving anyway: dropped acks are no news */
	if (pkt == NULL) {
		if (cli->o.line)
			warnx("%s of line %llu: %s", cli->cmd.event,
			    (unsigned long long)tag, why);
		else
			warnx("%s: %s", cli->cmd.event, why);
		cli->lost_acks++;
	} else {
		printed(cli, output_ack(&cli->out, cli->cmd.event, pkt, att, natt,
		    cli->ns, note, sizeof(note)), note);
	}
	maybe_finish(cli);
}

static void
on_drain(struct sioclient *sc)
{
	struct cli *cli = sc->app.arg;

	if (cli->o.line && cli->in.paused &&
	    sioclient_pending(sc) < (size_t)cli->o.max_queue &&
	    linein_resume(&cli->in) == -1) {
		warn("standard input");
		finish(cli, EX_SOFTWARE);
	}
	maybe_finish(cli);
}

static void
on_end(struct sioclient *sc, enum sioclient_end e, const char *why)
{
	struct cli *cli = sc->app.arg;
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

	if (e != SIOCLIENT_CLOSED && !cli->done)
		warnx("%s: %s", cli->o.url, why);
	finish(cli, status[e]);
}

/* Sending ---------------------------------------------------------------- */

/*
 * All sent (and acknowledged when asked): leave, unless -C asks for
 * events yet to come.
 */
static void
maybe_finish(struct cli *cli)
{
	if (cli->done || !cli->in_done || jv_is_valid(cli->held) ||
	    sioclient_pending(&cli->sc) > 0 || cli->acks_wanted > 0)
		return;
	if (cli->o.count > 0 &&
	    cli->events < (unsigned long long)cli->o.count)
		return;
	finish(cli, cli->bad_input ? EX_DATAERR : cli->lost_acks ?
	    EX_TEMPFAIL : 0);
}

/* Queues the held message.  Returns 0, or -1 when it must wait. */
static int
send_held(struct cli *cli)
{
	uint64_t tag = cli->next_tag;

	if (sioclient_emit(&cli->sc, jv_string_value(cli->held),
	    (size_t)jv_string_length_bytes(jv_copy(cli->held)), cli->o.ack,
	    tag) == -1) {
		if (errno == ENOBUFS)
			return -1;
		if (errno == EMSGSIZE) {
			warnx("line %zu: larger than the hub accepts; not sent",
			    cli->in.lb.lineno);
			cli->bad_input++;
		} else if (errno == ENOMEM) {
			errx(EX_SOFTWARE, "out of memory");
		}
	} else if (cli->o.ack) {
		cli->acks_wanted++;
	}
	jv_free(cli->held);
	cli->held = jv_invalid();
	return 0;
}

static int
blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!json_is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Turns the lines read into messages until the queue is full. */
static void
pump(struct linein *in, void *arg)
{
	struct cli *cli = arg;
	const char *line;
	size_t len;
	int r;
	jv text;

	while (!cli->done) {
		if (jv_is_valid(cli->held)) {
			if (send_held(cli) == -1) {
				linein_pause(in);
				return;
			}
			continue;
		}
		if ((r = linein_next(in, &line, &len)) == 0)
			break;
		if (r == -1) {
			warnx("line %zu: longer than %d bytes; not sent",
			    in->lb.lineno, CLI_LINE_MAX - 1);
			cli->bad_input++;
			continue;
		}
		if (blank(line, len))
			continue;	/* blank lines are not sent */
		if (cli->o.raw_in) {
			text = climsg_string(line, len);
		} else if (climsg_json_ok(line, len) == 0) {
			text = jv_string_sized(line, (int)len);
		} else {
			warnx("line %zu: not JSON (strings need quotes, or use "
			    "-R); not sent", in->lb.lineno);
			cli->bad_input++;
			continue;
		}
		cli->next_tag = in->lb.lineno;
		cli->held = cmd_line_message(&cli->cmd, cli->o.user[0] ?
		    cli->o.user : NULL, jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)));
		jv_free(text);
	}
	if (in->read_error != 0 && !cli->in_done) {
		errno = in->read_error;
		warn("reading standard input");
	}
	if (linein_done(in) && !jv_is_valid(cli->held)) {
		cli->in_done = 1;
		maybe_finish(cli);
	}
}

/* Options ---------------------------------------------------------------- */

/* Applies one option; returns 0, or -1 with the reason in o->err. */
static int
apply(int val, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	long long v;

	switch (val) {
	case 'C':
		return cmdline_number_arg(options, val, arg, 1, INT64_MAX,
		    &o->count, o->err, sizeof(o->err));
	case 'c':
		o->control = arg;
		return 0;
	case 'd':
		o->data_only = 1;
		return 0;
	case 'e':
		return cmdline_list_add(options, val, arg, o->events,
		    &o->nevents, LIST_MAX, o->err, sizeof(o->err));
	case 'H':
		return cmdline_list_add(options, val, arg, o->headers,
		    &o->nheaders, LIST_MAX, o->err, sizeof(o->err));
	case 'l':
		o->line = 1;
		return 0;
	case 'n':
		o->ns = arg;
		return 0;
	case 'q':
		o->verbosity = 0;
		return 0;
	case 'R':
		o->raw_in = 1;
		return 0;
	case 'r':
		o->raw_out = 1;
		return 0;
	case 'u':
		o->url = arg;
		return 0;
	case 'v':
		o->verbosity++;
		return 0;
	case 'W':
		return cmdline_double_arg(options, val, arg, 0.001, 31536000,
		    &o->timeout, o->err, sizeof(o->err));
	case OPT_ACK:
		o->ack = 1;
		return 0;
	case OPT_ACK_TIMEOUT:
		return cmdline_number_arg(options, val, arg, 1, 86400000,
		    &o->ack_timeout, o->err, sizeof(o->err));
	case OPT_AUTH:
		o->auth = arg;
		return 0;
	case OPT_CACERT:
		o->cacert = arg;
		return 0;
	case OPT_CONNECT_TIMEOUT:
		return cmdline_number_arg(options, val, arg, 1, 3600000,
		    &o->connect_timeout, o->err, sizeof(o->err));
	case OPT_INSECURE:
		o->insecure = 1;
		return 0;
	case OPT_JQ:
		o->jq = arg;
		return 0;
	case OPT_MAX_QUEUE:
		return cmdline_number_arg(options, val, arg, 1, 1000000,
		    &o->max_queue, o->err, sizeof(o->err));
	case OPT_NO_RECONNECT:
		o->reconnect = 0;
		return 0;
	case OPT_PATH:
		o->path = arg;
		return 0;
	case OPT_RECONNECT_ATTEMPTS:
		return cmdline_number_arg(options, val, arg, 0, UINT32_MAX,
		    &o->attempts, o->err, sizeof(o->err));
	case OPT_RECONNECT_DELAY:
		return cmdline_number_arg(options, val, arg, 0, 3600000,
		    &o->delay, o->err, sizeof(o->err));
	case OPT_RECONNECT_DELAY_MAX:
		return cmdline_number_arg(options, val, arg, 0, 3600000,
		    &o->delay_max, o->err, sizeof(o->err));
	case OPT_RECONNECT_JITTER:
		return cmdline_double_arg(options, val, arg, 0, 1, &o->jitter,
		    o->err, sizeof(o->err));
	case OPT_USER:
		if (cmdline_number_arg(options, val, arg, 0, SIO_ACK_MAX,
		    &v, o->err, sizeof(o->err)) == -1)
			return -1;
		snprintf(o->user, sizeof(o->user), "%lld", v);
		return 0;
	default:
		return -1;
	}
}

/* who and rooms: one request to the control socket. ---------------------- */

static int
ask_control(struct cli *cli)
{
	struct query q;
	char why[2048];
	jv list;
	int n, rc;

	q.control = cli->o.control;
	q.timeout = cli->o.timeout;
	q.ns = cli->ns;
	q.room = cli->cmd.kind == CMD_WHO ? cli->cmd.words[0] : NULL;
	if ((rc = query_ask(&q, &list, why, sizeof(why))) != 0) {
		warnx("%s", why);
		return rc;
	}
	n = jv_get_kind(list) == JV_KIND_ARRAY ? jv_array_length(jv_copy(list))
	    : 0;
	for (int i = 0; i < n && !cli->done; i++)
		print_json(cli, jv_dump_string(jv_array_get(jv_copy(list), i),
		    0));
	jv_free(list);
	return cli->done ? cli->status : 0;
}

/* The connection. -------------------------------------------------------- */

static void
lws_log_emit(int level, const char *line)
{
	size_t len = strlen(line);

	(void)level;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	fprintf(stderr, "georoom-cli: libwebsockets: %.*s\n", (int)len, line);
}

static struct cli *timer_cli;
static lws_sorted_usec_list_t tick, stop_timer;

/* Wakes the loop now and then, so that a signal is seen within a tick. */
static void
on_tick(lws_sorted_usec_list_t *sul)
{
	struct cli *cli = timer_cli;

	/* Interrupted: a tail ends well, a send that was not done not. */
	if (stop_requested)
		finish(cli, cli->cmd.kind == CMD_JOIN || cli->cmd.kind == CMD_TAIL ? 0 :
		    EX_TEMPFAIL);
	lws_sul_schedule(cli->ctx, 0, sul, on_tick, 250 * LWS_US_PER_MS);
}

/* -W: the time is up. */
static void
on_stop_timer(lws_sorted_usec_list_t *sul)
{
	struct cli *cli = timer_cli;

	(void)sul;
	if (cli->cmd.kind == CMD_JOIN || cli->cmd.kind == CMD_TAIL)
		finish(cli, cli->o.count == 0 && cli->events > 0 ? 0 :
		    EX_TEMPFAIL);
	else
		finish(cli, EX_TEMPFAIL);
	if (cli->status == EX_TEMPFAIL)
		log_line(&cli->log, LOG_LEVEL_DEBUG, "stopped after %g s",
		    cli->o.timeout);
}

/* Queues what the command sends from its words.  0 or a status. */
static int
queue_words(struct cli *cli)
{
	const char *user = cli->o.user[0] ? cli->o.user : NULL;
	char why[1024];
	jv msg;

	if (cli->cmd.kind == CMD_JOIN) {
		for (int i = 0; i < cli->cmd.nwords; i++) {
			msg = climsg_join(cli->cmd.words[i], user);
			if (sioclient_emit_sticky(&cli->sc, jv_string_value(msg),
			    (size_t)jv_string_length_bytes(jv_copy(msg)), 1,
			    TAG_JOIN | (uint64_t)i) == -1)
				errx(EX_SOFTWARE, "out of memory");
			jv_free(msg);
		}
		return 0;
	}
	if (cli->cmd.kind == CMD_TAIL || cli->o.line)
		return 0;
	if (cmd_message(&cli->cmd, user, cli->o.raw_in, &msg, why,
	    sizeof(why)) == -1) {
		warnx("%s", why);
		return errno == E2BIG ? EX_USAGE : EX_DATAERR;
	}
	cli->next_tag = 1;
	cli->held = msg;
	cli->in_done = 1;
	return 0;
}

static int
run(struct cli *cli)
{
	struct lws_protocols protos[3];
	struct lws_context_creation_info info;
	struct sioclient_config cfg;
	struct sioclient_app app;
	struct sigaction sa;
	char err[256];
	int64_t deadline;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.url = &cli->url;
	cfg.path = cli->o.path;
	cfg.ns = cli->ns;
	cfg.auth = cli->o.auth;
	cfg.headers = cli->o.headers;
	cfg.nheaders = cli->o.nheaders;
	cfg.user_agent = "georoom-cli/" GEOROOM_VERSION;
	cfg.insecure = cli->o.insecure;
	cfg.connect_timeout_ms = (uint32_t)cli->o.connect_timeout;
	cfg.ack_timeout_ms = (uint32_t)cli->o.ack_timeout;
	cfg.reconnect = cli->o.reconnect;
	cfg.reconnect_attempts = (uint32_t)cli->o.attempts;
	cfg.reconnect_delay_ms = (uint32_t)cli->o.delay;
	cfg.reconnect_delay_max_ms = (uint32_t)cli->o.delay_max;
	cfg.reconnect_jitter = cli->o.jitter;
	cfg.max_queue = (size_t)cli->o.max_queue;
	cfg.max_queue_bytes = CLI_QUEUE_BYTES;
	cfg.max_message = CLI_MESSAGE_MAX;
	cfg.log = log_line;
	cfg.log_arg = &cli->log;
	memset(&app, 0, sizeof(app));
	app.on_connect = on_connect;
	app.on_event = on_event;
	app.on_ack = on_ack;
	app.on_drain = on_drain;
	app.on_end = on_end;
	app.arg = cli;
	if (sioclient_init(&cli->sc, &cfg, &app, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return EX_USAGE;
	}
	if ((rc = queue_words(cli)) != 0) {
		sioclient_release(&cli->sc);
		return rc;
	}

	memset(protos, 0, sizeof(protos));
	sioclient_protocol(&cli->sc, &protos[0]);
	linein_protocol(&cli->in, &protos[1]);
	lws_set_log_level(cli->o.verbosity >= 3 ? LLL_ERR | LLL_WARN : 0,
	    lws_log_emit);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protos;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (cli->url.tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = cli->o.cacert;
	}
	if ((cli->ctx = lws_create_context(&info)) == NULL) {
		warnx("cannot set up libwebsockets");
		rc = EX_SOFTWARE;
		goto out;
	}
	cli->vh = lws_get_vhost_by_name(cli->ctx, "default");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	timer_cli = cli;
	on_tick(&tick);
	if (cli->o.timeout > 0)
		lws_sul_schedule(cli->ctx, 0, &stop_timer, on_stop_timer,
		    (lws_usec_t)(cli->o.timeout * LWS_US_PER_SEC));
	sioclient_start(&cli->sc, cli->ctx);
	if (jv_is_valid(cli->held) && send_held(cli) == -1)
		errx(EX_SOFTWARE, "cannot queue the message");
	if (cli->o.line && linein_start(&cli->in, cli->vh) == -1) {
		warn("cannot poll standard input");
		rc = EX_SOFTWARE;
		goto out;
	}

	while (!cli->done) {
		if (lws_service(cli->ctx, 0) < 0) {
			warnx("libwebsockets stopped serving");
			finish(cli, EX_SOFTWARE);
		}
	}
	/* Leave politely, but not for long. */
	sioclient_close(&cli->sc);
	deadline = mono_ms() + 1500;
	while (cli->sc.state != SIOCLIENT_ENDED && mono_ms() < deadline)
		if (lws_service(cli->ctx, 0) < 0)
			break;
	rc = cli->status;
out:
	if (cli->ctx != NULL) {
		lws_sul_cancel(&tick);
		lws_sul_cancel(&stop_timer);
		lws_context_destroy(cli->ctx);
		cli->ctx = NULL;
	}
	sioclient_release(&cli->sc);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct cmdline cl;
	const char *bad;
	char why[2048];
	int c, rc;

	memset(&cli, 0, sizeof(cli));
	cli.held = jv_invalid();
	cli.o.url = "ws://localhost:3030";
	cli.o.path = "/socket.io/";
	cli.o.ack_timeout = 10000;
	cli.o.connect_timeout = 20000;
	cli.o.max_queue = 1000;
	cli.o.reconnect = 1;
	cli.o.delay = 1000;
	cli.o.delay_max = 5000;
	cli.o.jitter = 0.5;
	cli.o.verbosity = 1;

	if (cmdline_init(&cl, options) == -1)
		return EX_SOFTWARE;
	if (cmdline_apply_env(options, apply, &cli.o, &bad) != 0) {
		warnx("%s", cli.o.err);
		warnx("bad value in $%s", bad);
		return EX_USAGE;
	}
	while ((c = getopt_long(argc, argv, cl.shortopts, cl.longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			cmdline_help(stdout, usage, options);
			return 0;
		case 'V':
			printf("georoom-cli %s\n", GEOROOM_VERSION);
			return 0;
		case '?':
			fprintf(stderr, "georoom-cli: try 'georoom-cli "
			    "--help'\n");
			return EX_USAGE;
		default:
			if (apply(c, optarg, &cli.o) == -1) {
				warnx("%s", cli.o.err);
				return EX_USAGE;
			}
		}
	}
	if (cmd_parse(&cli.cmd, argc - optind, argv + optind, cli.o.line,
	    cli.o.ack, why, sizeof(why)) == -1) {
		warnx("%s", why);
		return EX_USAGE;
	}
	/* Before anything opens a descriptor that could take fd 0's place. */
	if (cli.o.line && linein_init(&cli.in, CLI_LINE_MAX, pump, &cli) ==
	    -1) {
		warn("standard input");
		return errno == EBADF ? EX_NOINPUT : EX_SOFTWARE;
	}

	if (wsurl_parse(cli.o.url, &cli.url, why, sizeof(why)) == -1) {
		warnx("bad URL '%s': %s", cli.o.url, why);
		return EX_USAGE;
	}
	cli.ns = cli.o.ns != NULL ? cli.o.ns : cli.url.nsp;
	if (cli.o.ns != NULL && strcmp(cli.url.nsp, "/") != 0 &&
	    strcmp(cli.url.nsp, cli.o.ns) != 0) {
		warnx("the URL names namespace %s, -n names %s: choose one",
		    cli.url.nsp, cli.o.ns);
		return EX_USAGE;
	}
	if (cli.ns[0] != '/' || strchr(cli.ns, ',') != NULL ||
	    strlen(cli.ns) > SIO_NSP_MAX) {
		warnx("namespace '%s' must start with '/' and hold no ','",
		    cli.ns);
		return EX_USAGE;
	}
	if (cli.o.auth != NULL) {
		if (cmd_check_json("--auth", cli.o.auth, why, sizeof(why)) ==
		    -1) {
			warnx("%s", why);
			return EX_DATAERR;
		}
		if (cli.o.auth[strspn(cli.o.auth, " \t\r\n")] != '{') {
			warnx("--auth must be a JSON object");
			return EX_DATAERR;
		}
	}
	if (cli.o.delay_max < cli.o.delay)
		cli.o.delay_max = cli.o.delay;
	/* One line per event, at once, for | jq and | head. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	log_init(&cli.log, "georoom-cli", cli.o.verbosity <= 0 ?
	    LOG_LEVEL_WARN : cli.o.verbosity == 1 ? LOG_LEVEL_INFO :
	    LOG_LEVEL_DEBUG);

	if (cli.o.jq != NULL) {
		if (jqfilter_init(&cli.jq, cli.o.jq, jv_null(), why,
		    sizeof(why)) == -1) {
			warnx("--jq: %s", why);
			return EX_USAGE;
		}
		cli.have_jq = 1;
	}
	output_init(&cli.out, stdout);
	cli.out.jq = cli.have_jq ? &cli.jq : NULL;
	cli.out.events = cli.o.events;
	cli.out.nevents = cli.o.nevents;
	cli.out.raw = cli.o.raw_out;
	cli.out.data_only = cli.o.data_only;
	if (cli.cmd.kind == CMD_WHO || cli.cmd.kind == CMD_ROOMS)
		rc = ask_control(&cli);
	else
		rc = run(&cli);
	jv_free(cli.held);
	if (cli.o.line)
		linein_release(&cli.in);
	if (cli.have_jq)
		jqfilter_release(&cli.jq);
	if (fflush(stdout) == EOF && errno != EPIPE && rc == 0) {
		warn("writing standard output");
		rc = EX_SOFTWARE;
	}
	return rc;
}
