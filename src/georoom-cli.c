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

#include "cliopt.h"
#include "cmd.h"
#include "cmdline.h"
#include "exits.h"
#include "log.h"
#include "loop.h"
#include "output.h"
#include "query.h"
#include "roomfile.h"
#include "session.h"
#include "sioclient.h"
#include "version.h"
#include "wsurl.h"

/* Longest line read from standard input, newline included. */
#define CLI_LINE_MAX (1024 * 1024)
/* Largest message or set of attachments accepted from the hub. */
#define CLI_MESSAGE_MAX (16 * 1024 * 1024)
/* Bytes held unsent, beyond which standard input waits. */
#define CLI_QUEUE_BYTES (4 * 1024 * 1024)

struct cli {
	struct cliopt o;
	struct cmd cmd;
	struct roomfile rooms; /* -f: the words cmd borrows */
	const char *ns;
	struct wsurl url;
	struct log log;
	struct output out;
	struct session s;
	jv auth; /* the CONNECT payload: a string, or null */
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

/* who and rooms: one request to the control socket, its list printed. */
static int
ask_control(struct cli *cli)
{
	struct query q;

	memset(&q, 0, sizeof(q));
	q.control = cli->o.control;
	q.timeout = cli->o.timeout;
	q.ns = cli->ns;
	q.what = cli->cmd.kind == CMD_WHO ? QUERY_SOCKETS :
	    cli->cmd.kind == CMD_ROOMS    ? QUERY_ROOMS :
	                                    QUERY_STATS;
	q.room = cli->cmd.kind == CMD_WHO ? cli->cmd.words[0] : NULL;
	q.local = cli->o.local;
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
	cfg.auth = jv_get_kind(cli->auth) == JV_KIND_STRING ?
	    jv_string_value(cli->auth) :
	    NULL;
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
	char why[2048], **words;
	int rc, nwords;

	memset(&cli, 0, sizeof(cli));
	cli.auth = jv_null();
	cliopt_init(&cli.o);

	if (cmdline_parse(&cliopt_prog, argc, argv, &cli.o, stdout, stderr,
	        &rc) == -1)
		return rc;
	words = argv + optind;
	nwords = argc - optind;
	roomfile_init(&cli.rooms);
	if (cli.o.rooms_file != NULL) {
		if (optind >= argc || strcmp(argv[optind], "join") != 0) {
			warnx("-f gives rooms to join only");
			return EX_USAGE;
		}
		if (roomfile_read(&cli.rooms, cli.o.rooms_file, argc - optind,
		        argv + optind, why, sizeof(why)) == -1) {
			rc = errno == EINVAL || errno == EFBIG ? EX_DATAERR :
			    errno == ENOMEM                    ? EX_OSERR :
			                                         EX_NOINPUT;
			warnx("-f %s", why);
			roomfile_release(&cli.rooms);
			return rc;
		}
		words = cli.rooms.argv;
		nwords = cli.rooms.argc;
	}
	if (cmd_parse(&cli.cmd, nwords, words, cli.o.line, cli.o.ack, why,
	        sizeof(why)) == -1) {
		warnx("%s", why);
		roomfile_release(&cli.rooms);
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
	if (cli.o.auth != NULL &&
	    cmd_check_auth(cli.o.auth, why, sizeof(why)) == -1) {
		warnx("%s", why);
		return EX_DATAERR;
	}
	if (cmd_auth(cli.o.auth, cli.o.token, &cli.auth, why, sizeof(why)) ==
	    -1) {
		warnx("%s", why);
		return EX_USAGE;
	}
	/* One line per event, at once, for | jq and | head. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	log_init(&cli.log, "georoom-cli",
	    cli.o.verbosity <= 0     ? LOG_LEVEL_WARN :
	        cli.o.verbosity == 1 ? LOG_LEVEL_INFO :
	                               LOG_LEVEL_DEBUG);

	output_init(&cli.out, stdout);
	if (cli.o.jq != NULL &&
	    output_filter(&cli.out, cli.o.jq, why, sizeof(why)) == -1) {
		warnx("--jq: %s", why);
		return EX_USAGE;
	}
	cli.out.events = cli.o.events;
	cli.out.nevents = cli.o.nevents;
	cli.out.raw = cli.o.raw_out;
	cli.out.data_only = cli.o.data_only;
	if (cli.cmd.kind == CMD_WHO || cli.cmd.kind == CMD_ROOMS ||
	    cli.cmd.kind == CMD_STATS) {
		rc = ask_control(&cli);
	} else {
		rc = run(&cli);
		session_release(&cli.s);
	}
	output_release(&cli.out);
	roomfile_release(&cli.rooms);
	jv_free(cli.auth);
	if (fflush(stdout) == EOF && errno != EPIPE && rc == 0) {
		warn("writing standard output");
		rc = EX_SOFTWARE;
	}
	return rc;
}
