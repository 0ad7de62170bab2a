/*
 * sio-conformance.c - the server the official Socket.IO protocol test suite
 * (socketio/socket.io-protocol, test-suite/) expects, on georoomd's own
 * protocol core: port 3000, pingInterval 300 ms, pingTimeout 200 ms,
 * maxPayload 1000000, connectTimeout 1000 ms, namespaces "/" and "/custom".
 * On connect it emits "auth" with the CONNECT payload ({} when none); it
 * answers "message" with "message-back" and the same arguments, and acks
 * "message-with-ack" with the same arguments.  Run it with
 * scripts/sio-conformance-server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "cmdline.h"
#include "exits.h"
#include "hub.h"
#include "log.h"
#include "serve.h"

/* Sends 'args' (consumed, a JSON array) to 's' as an event or an ack. */
static void
send_args(struct hub *hub, struct room_sock *s, enum sio_type type,
    int64_t ack_id, jv args, const struct iovec *att, unsigned natt)
{
	struct sio_header h = {
		.type = type,
		.ack_id = ack_id,
		.attachments = natt,
	};
	jv text = jv_dump_string(args, 0);
	struct frame *f;

	h.nsp = hub_namespace_name(hub_socket_namespace(s), &h.nsp_len);
	f = hub_frame(&h, jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)), att, natt);
	jv_free(text);
	if (f != NULL)
		hub_send(hub, s, f);
	frame_unref(f);
}

/*
 * "auth" leaves AUTH_DELAY_MS after the CONNECT reply.  The suite's Node
 * runner attaches its next listener only after the previous message was
 * handled, so two frames landing in one read lose the second; a browser
 * dispatches each frame on its own.  The delay keeps the frames apart.
 */
#define AUTH_DELAY_MS 20

struct pending_auth {
	char id[ROOM_SOCK_ID_LEN + 1];
	jv auth; /* owned */
	TAILQ_ENTRY(pending_auth) link;
};

static TAILQ_HEAD(, pending_auth) pending = TAILQ_HEAD_INITIALIZER(pending);
static lws_sorted_usec_list_t auth_timer;
static struct hub *the_hub;

static void
send_auth(lws_sorted_usec_list_t *sul)
{
	struct pending_auth *p;
	struct room_sock *s;

	(void)sul;
	while ((p = TAILQ_FIRST(&pending)) != NULL) {
		TAILQ_REMOVE(&pending, p, link);
		s = hub_socket_find(the_hub, p->id, ROOM_SOCK_ID_LEN);
		if (s != NULL)
			send_args(the_hub, s, SIO_EVENT, SIO_NO_ACK,
			    jv_array_append(jv_array_append(jv_array(),
			                        jv_string("auth")),
			        p->auth),
			    NULL, 0);
		else
			jv_free(p->auth);
		free(p);
	}
}

static void
on_connect(struct hub *hub, struct room_sock *s, jv auth)
{
	struct pending_auth *p = malloc(sizeof(*p));

	if (jv_get_kind(auth) != JV_KIND_OBJECT) {
		jv_free(auth);
		auth = jv_object();
	}
	if (p == NULL) {
		jv_free(auth);
		return;
	}
	memcpy(p->id, hub_socket_id(s), sizeof(p->id));
	p->auth = auth;
	TAILQ_INSERT_TAIL(&pending, p, link);
	the_hub = hub;
	lws_sul_schedule(hub->ctx, 0, &auth_timer, send_auth,
	    AUTH_DELAY_MS * LWS_US_PER_MS);
}

static void
on_event(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	jv name = jv_array_get(jv_copy(pkt->data), 0);
	jv rest = jv_array_slice(jv_copy(pkt->data), 1,
	    jv_array_length(jv_copy(pkt->data)));

	if (jv_get_kind(name) == JV_KIND_STRING &&
	    strcmp(jv_string_value(name), "message") == 0) {
		send_args(hub, s, natt ? SIO_BINARY_EVENT : SIO_EVENT,
		    SIO_NO_ACK,
		    jv_array_concat(jv_array_append(jv_array(),
		                        jv_string("message-back")),
		        rest),
		    att, natt);
	} else if (jv_get_kind(name) == JV_KIND_STRING &&
	    strcmp(jv_string_value(name), "message-with-ack") == 0 &&
	    pkt->h.ack_id != SIO_NO_ACK) {
		send_args(hub, s, natt ? SIO_BINARY_ACK : SIO_ACK,
		    pkt->h.ack_id, rest, att, natt);
	} else {
		jv_free(rest);
	}
	jv_free(name);
}

static const struct cmdline_opt options[] = {
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "port", 'p', "PORT", "listen on PORT (3000)", NULL },
	{ "verbose", 'v', NULL, "log connections", NULL }, { 0 }
};

int
main(int argc, char **argv)
{
	struct hub_config cfg = {
		.path = "/socket.io/",
		.ping_interval_ms = 300,
		.ping_timeout_ms = 200,
		.connect_timeout_ms = 1000,
		.max_payload = 1000000,
		.max_backlog = 4 * 1024 * 1024,
		.max_backlog_frames = 65536,
		/* The suite's Node runner loses a message when two frames
		 * arrive in one read, which a browser never does. */
		.coalesce = 0,
	};
	struct serve_config scfg = { .port = 3000, .lws_log_level = LLL_ERR };
	struct hub_app app = { .on_connect = on_connect,
		.on_event = on_event };
	struct cmdline cl;
	struct hub hub;
	struct log log;
	char err[256];
	long long port;
	int c, verbose = 0;

	if (cmdline_init(&cl, options) == -1)
		return EX_SOFTWARE;
	while ((c = getopt_long(argc, argv, cl.shortopts, cl.longopts,
	            NULL)) != -1) {
		switch (c) {
		case 'h':
			cmdline_help(stdout,
			    "usage: sio-conformance [-hv] "
			    "[-p port]\n",
			    options);
			return 0;
		case 'p':
			if (cmdline_number(optarg, 0, 65535, &port) == -1) {
				fprintf(stderr,
				    "sio-conformance: bad port "
				    "'%s'\n",
				    optarg);
				return EX_USAGE;
			}
			scfg.port = (int)port;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return EX_USAGE;
		}
	}
	log_init(&log, "sio-conformance",
	    verbose ? LOG_LEVEL_INFO : LOG_LEVEL_WARN);
	cfg.log = log_line;
	cfg.log_arg = &log;
	cfg.log_level = log.max;
	/* The listening line is what scripts wait for: always show it. */
	if (hub_init(&hub, &cfg, &app) == -1 ||
	    hub_add_namespace(&hub, "/custom") == -1) {
		fprintf(stderr, "sio-conformance: cannot set up the hub\n");
		return EX_SOFTWARE;
	}
	log.max = LOG_LEVEL_INFO;
	if (serve_run(&scfg, &hub, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "sio-conformance: %s\n", err);
		hub_release(&hub);
		return EX_UNAVAILABLE;
	}
	the_hub = &hub;
	send_auth(NULL); /* frees what is left; nobody is connected */
	hub_release(&hub);
	return 0;
}
