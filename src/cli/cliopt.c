/* cliopt.c - georoom-cli's options (see cliopt.h). */
#include "cliopt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exits.h"
#include "sio.h"

const struct cmdline_opt cliopt_table[] = {
	{ "ack", CLIOPT_ACK, NULL,
	    "ask for each message's acknowledgement and "
	    "print it",
	    NULL },
	{ "ack-timeout", CLIOPT_ACK_TIMEOUT, "MS",
	    "give up on an acknowledgement after MS (10000)", NULL },
	{ "auth", CLIOPT_AUTH, "JSON", "CONNECT payload, a JSON object",
	    "GEOROOM_AUTH" },
	{ "cacert", CLIOPT_CACERT, "FILE",
	    "trust the CA certificates in FILE (PEM)", NULL },
	{ "connect-timeout", CLIOPT_CONNECT_TIMEOUT, "MS",
	    "give up a connection attempt after MS (20000)", NULL },
	{ "control", 'c', "PATH", "georoomd's control socket (who, rooms)",
	    "GEOROOM_SOCKET" },
	{ "count", 'C', "N", "exit after printing N events", NULL },
	{ "data-only", 'd', NULL, "print only each event's data", NULL },
	{ "event", 'e', "NAME", "print only events NAME (repeatable)", NULL },
	{ "header", 'H', "HEADER",
	    "send 'Name: value' in the handshake "
	    "(repeatable)",
	    NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "insecure", CLIOPT_INSECURE, NULL, "accept any TLS certificate",
	    NULL },
	{ "jq", CLIOPT_JQ, "FILTER", "print what FILTER makes of each line",
	    NULL },
	{ "line", 'l', NULL, "send each line of standard input as a message",
	    NULL },
	{ "local", CLIOPT_LOCAL, NULL,
	    "who, rooms: this hub's only, not its cluster's", NULL },
	{ "max-queue", CLIOPT_MAX_QUEUE, "N",
	    "hold at most N messages unsent or unacknowledged (1000)", NULL },
	{ "no-reconnect", CLIOPT_NO_RECONNECT, NULL,
	    "exit when the connection is lost", NULL },
	{ "ns", 'n', "NS", "namespace (/)", NULL },
	{ "path", CLIOPT_PATH, "PATH", "handshake path (/socket.io/)",
	    "GEOROOM_PATH" },
	{ "quiet", 'q', NULL, "print errors and warnings only", NULL },
	{ "raw-input", 'R', NULL,
	    "send messages and lines as strings, not "
	    "JSON",
	    NULL },
	{ "raw-output", 'r', NULL, "print strings without quotes", NULL },
	{ "reconnect-attempts", CLIOPT_RECONNECT_ATTEMPTS, "N",
	    "give up after N failed reconnections (0: never)", NULL },
	{ "reconnect-delay", CLIOPT_RECONNECT_DELAY, "MS",
	    "first delay before reconnecting (1000)", NULL },
	{ "reconnect-delay-max", CLIOPT_RECONNECT_DELAY_MAX, "MS",
	    "longest delay before reconnecting (5000)", NULL },
	{ "reconnect-jitter", CLIOPT_RECONNECT_JITTER, "F",
	    "randomization factor of the delays, 0 to 1 (0.5)", NULL },
	{ "rooms-file", 'f', "FILE",
	    "join the rooms in FILE too, one a line (-: stdin)", NULL },
	{ "timeout", 'W', "SECS", "stop after SECS; status 75 if nothing came",
	    NULL },
	{ "token", CLIOPT_TOKEN, "TOKEN",
	    "send {\"token\": TOKEN} on CONNECT (added to --auth)",
	    "GEOROOM_TOKEN" },
	{ "url", 'u', "URL", "hub address (ws://localhost:3030)",
	    "GEOROOM_URL" },
	{ "user", CLIOPT_USER, "N", "userId sent with join_room and chat",
	    NULL },
	{ "verbose", 'v', NULL, "say more (twice: libwebsockets too)", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL }, { 0 }
};

const char cliopt_usage[] =
    "usage: georoom-cli [-dhlqRrVv] [-C n] [-c path] [-e name] [-f file]"
    " [-H header]\n"
    "                   [-n ns] [-u url] [-W secs] [--ack] [--jq filter]"
    " [--user n] ...\n"
    "                   command [argument ...]\n"
    "commands:\n"
    "  join room ...           join the rooms, print what arrives\n"
    "  tail                    print what arrives, joining nothing\n"
    "  emit event [json ...]   send one event (or one per line with -l)\n"
    "  chat room [message]     send chat to a room (or each line with -l)\n"
    "  who room                list a room's sockets (control socket)\n"
    "  rooms                   list the rooms (control socket)\n"
    "  stats                   print the hub's counters (control socket)\n";

void
cliopt_init(struct cliopt *o)
{
	memset(o, 0, sizeof(*o));
	o->url = "ws://localhost:3030";
	o->path = "/socket.io/";
	o->ack_timeout = 10000;
	o->connect_timeout = 20000;
	o->max_queue = 1000;
	o->reconnect = 1;
	o->delay = 1000;
	o->delay_max = 5000;
	o->jitter = 0.5;
	o->verbosity = 1;
}

int
cliopt_apply(int val, const char *arg, void *ctx)
{
	struct cliopt *o = ctx;
	long long v;

	switch (val) {
	case 'C':
		return cmdline_number_arg(cliopt_table, val, arg, 1, INT64_MAX,
		    &o->count, o->err, sizeof(o->err));
	case 'c':
		o->control = arg;
		return 0;
	case 'd':
		o->data_only = 1;
		return 0;
	case 'e':
		return cmdline_list_add(cliopt_table, val, arg, o->events,
		    &o->nevents, CLIOPT_LIST_MAX, o->err, sizeof(o->err));
	case 'f':
		o->rooms_file = arg;
		return 0;
	case 'H':
		return cmdline_list_add(cliopt_table, val, arg, o->headers,
		    &o->nheaders, CLIOPT_LIST_MAX, o->err, sizeof(o->err));
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
		return cmdline_double_arg(cliopt_table, val, arg, 0.001,
		    31536000, &o->timeout, o->err, sizeof(o->err));
	case CLIOPT_ACK:
		o->ack = 1;
		return 0;
	case CLIOPT_ACK_TIMEOUT:
		return cmdline_number_arg(cliopt_table, val, arg, 1, 86400000,
		    &o->ack_timeout, o->err, sizeof(o->err));
	case CLIOPT_AUTH:
		o->auth = arg;
		return 0;
	case CLIOPT_CACERT:
		o->cacert = arg;
		return 0;
	case CLIOPT_CONNECT_TIMEOUT:
		return cmdline_number_arg(cliopt_table, val, arg, 1, 3600000,
		    &o->connect_timeout, o->err, sizeof(o->err));
	case CLIOPT_INSECURE:
		o->insecure = 1;
		return 0;
	case CLIOPT_JQ:
		o->jq = arg;
		return 0;
	case CLIOPT_LOCAL:
		o->local = 1;
		return 0;
	case CLIOPT_MAX_QUEUE:
		return cmdline_number_arg(cliopt_table, val, arg, 1, 1000000,
		    &o->max_queue, o->err, sizeof(o->err));
	case CLIOPT_NO_RECONNECT:
		o->reconnect = 0;
		return 0;
	case CLIOPT_PATH:
		o->path = arg;
		return 0;
	case CLIOPT_RECONNECT_ATTEMPTS:
		return cmdline_number_arg(cliopt_table, val, arg, 0,
		    UINT32_MAX, &o->attempts, o->err, sizeof(o->err));
	case CLIOPT_RECONNECT_DELAY:
		return cmdline_number_arg(cliopt_table, val, arg, 0, 3600000,
		    &o->delay, o->err, sizeof(o->err));
	case CLIOPT_RECONNECT_DELAY_MAX:
		return cmdline_number_arg(cliopt_table, val, arg, 0, 3600000,
		    &o->delay_max, o->err, sizeof(o->err));
	case CLIOPT_RECONNECT_JITTER:
		return cmdline_double_arg(cliopt_table, val, arg, 0, 1,
		    &o->jitter, o->err, sizeof(o->err));
	case CLIOPT_TOKEN:
		o->token = arg;
		return 0;
	case CLIOPT_USER:
		if (cmdline_number_arg(cliopt_table, val, arg, 0, SIO_ACK_MAX,
		        &v, o->err, sizeof(o->err)) == -1)
			return -1;
		snprintf(o->user, sizeof(o->user), "%lld", v);
		return 0;
	default:
		snprintf(o->err, sizeof(o->err), "unknown option %d", val);
		return -1;
	}
}

const struct cmdline_prog cliopt_prog = {
	.name = "georoom-cli",
	.usage = cliopt_usage,
	.opts = cliopt_table,
	.apply = cliopt_apply,
	.reason_at = CMDLINE_REASON_AT(struct cliopt, err),
	.env_status = EX_USAGE,
};
