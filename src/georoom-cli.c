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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "cmd.h"
#include "cmdline.h"
#include "exits.h"
#include "log.h"
#include "loop.h"
#include "output.h"
#include "query.h"
#include "session.h"
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
	struct output out;
	struct session s;
};

/* The modules' warnings, as warnx(3); a status means they cannot go on. */
static void
warn_hook(void *arg, int status, const char *fmt, va_list ap)
{
	(void)arg;
	if (status != 0)
		verrx(status, fmt, ap);
	vwarnx(fmt, ap);
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

static const char *
apply_error(void *ctx)
{
	const struct opts *o = ctx;

	return o->err;
}

static const struct cmdline_prog prog = {
	.name = "georoom-cli",
	.usage = usage,
	.opts = options,
	.apply = apply,
	.error = apply_error,
	.env_status = EX_USAGE,
};

/* who and rooms: one request to the control socket, its list printed. */
static int
ask_control(struct cli *cli)
{
	struct query q;

	memset(&q, 0, sizeof(q));
	q.control = cli->o.control;
	q.timeout = cli->o.timeout;
	q.ns = cli->ns;
	q.room = cli->cmd.kind == CMD_WHO ? cli->cmd.words[0] : NULL;
	q.out = &cli->out;
	q.warn = warn_hook;
	return query_ask(&q);
}

/* Wires the options into the session, its sioclient and the loop. */
static int
run(struct cli *cli)
{
	struct session_config scfg;
	struct sioclient_config cfg;
	struct loop_config lcfg;
	char err[2048];

	memset(&scfg, 0, sizeof(scfg));
	scfg.cmd = &cli->cmd;
	scfg.url = cli->o.url;
	scfg.wsurl = &cli->url;
	scfg.ns = cli->ns;
	scfg.user = cli->o.user[0] ? cli->o.user : NULL;
	scfg.count = cli->o.count;
	scfg.timeout = cli->o.timeout;
	scfg.ack = cli->o.ack;
	scfg.line = cli->o.line;
	scfg.raw_in = cli->o.raw_in;
	scfg.max_queue = (size_t)cli->o.max_queue;
	scfg.out = &cli->out;
	scfg.warn = warn_hook;
	scfg.log = log_line;
	scfg.log_arg = &cli->log;

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
	cfg.log_level = cli->log.max;
	if (session_init(&cli->s, &scfg, &cfg, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return EX_USAGE;
	}
	if (session_queue(&cli->s, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return errno == E2BIG ? EX_USAGE : EX_DATAERR;
	}
	memset(&lcfg, 0, sizeof(lcfg));
	lcfg.tls = cli->url.tls;
	lcfg.cacert = cli->o.cacert;
	lcfg.lws_log_levels = cli->o.verbosity >= 3 ? LLL_ERR | LLL_WARN : 0;
	lcfg.timeout = cli->o.timeout;
	lcfg.warn = warn_hook;
	return loop_run(&cli->s, &lcfg);
}
int
main(int argc, char **argv)
{
	struct cli cli;
	char why[2048];
	int rc;

	memset(&cli, 0, sizeof(cli));
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

	if (cmdline_parse(&prog, argc, argv, &cli.o, stdout, stderr,
	    &rc) == -1)
		return rc;
	if (cmd_parse(&cli.cmd, argc - optind, argv + optind, cli.o.line,
	    cli.o.ack, why, sizeof(why)) == -1) {
		warnx("%s", why);
		return EX_USAGE;
	}
	/* Before anything opens a descriptor that could take fd 0's place. */
	if (cli.o.line && session_open_input(&cli.s, CLI_LINE_MAX) == -1) {
		warn("standard input");
		return errno == EBADF ? EX_NOINPUT : EX_SOFTWARE;
	}

	if (wsurl_parse(cli.o.url, &cli.url, why, sizeof(why)) == -1) {
		warnx("bad URL '%s': %s", cli.o.url, why);
		return EX_USAGE;
	}
	if (wsurl_namespace(&cli.url, cli.o.ns, &cli.ns, why, sizeof(why)) ==
	    -1) {
		warnx("%s", why);
		return EX_USAGE;
	}
	if (cli.o.auth != NULL && cmd_check_auth(cli.o.auth, why,
	    sizeof(why)) == -1) {
		warnx("%s", why);
		return EX_DATAERR;
	}
	/* One line per event, at once, for | jq and | head. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	log_init(&cli.log, "georoom-cli", cli.o.verbosity <= 0 ?
	    LOG_LEVEL_WARN : cli.o.verbosity == 1 ? LOG_LEVEL_INFO :
	    LOG_LEVEL_DEBUG);

	output_init(&cli.out, stdout);
	if (cli.o.jq != NULL && output_filter(&cli.out, cli.o.jq, why,
	    sizeof(why)) == -1) {
		warnx("--jq: %s", why);
		return EX_USAGE;
	}
	cli.out.events = cli.o.events;
	cli.out.nevents = cli.o.nevents;
	cli.out.raw = cli.o.raw_out;
	cli.out.data_only = cli.o.data_only;
	if (cli.cmd.kind == CMD_WHO || cli.cmd.kind == CMD_ROOMS) {
		rc = ask_control(&cli);
	} else {
		rc = run(&cli);
		session_release(&cli.s);
	}
	output_release(&cli.out);
	if (fflush(stdout) == EOF && errno != EPIPE && rc == 0) {
		warn("writing standard output");
		rc = EX_SOFTWARE;
	}
	return rc;
}
