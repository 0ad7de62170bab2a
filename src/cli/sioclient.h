/*
 * sioclient.h - a Socket.IO v4 client over WebSocket (libwebsockets), in
 * one namespace.
 * Owns: the connection and its handshakes (the HTTP upgrade with extra
 * headers, the Engine.IO open packet, the Socket.IO CONNECT with its auth
 * payload), answering pings and noticing a server that stopped sending
 * them, reconnection with backoff, the events re-sent on every connection
 * (room joins), the bounded queue of events sent while disconnected, ack
 * ids with their deadlines, and connection state recovery (the pid and
 * last offset a hub gives, sent back when reconnecting).  Data flows one way: frames in, packets
 * decoded by the shared codec (eio, sio), events and acks handed to the
 * application's callbacks; events out queued, each encoded once, one
 * written per WRITEABLE callback.  Never prints: notes go to the log sink
 * in the configuration.
 */
#ifndef GEOROOM_SIOCLIENT_H
#define GEOROOM_SIOCLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <jv.h>
#include <libwebsockets.h>

#include "backoff.h"
#include "eio.h"
#include "sio.h"
#include "siorx.h"
#include "wsmsg.h"
#include "wsurl.h"

/* Why a client stopped for good (see sioclient_app.on_end). */
enum sioclient_end {
	SIOCLIENT_CLOSED,      /* sioclient_close() finished */
	SIOCLIENT_UNREACHABLE, /* no connection (name, TCP, TLS, timeout,
				 * HTTP 5xx), or lost with no retry left */
	SIOCLIENT_UNTRUSTED,   /* the server's certificate was refused */
	SIOCLIENT_FORBIDDEN,   /* the upgrade was answered 401 or 403 */
	SIOCLIENT_NOT_SIO,     /* the server answered, but not as Socket.IO */
	SIOCLIENT_REFUSED,     /* CONNECT_ERROR: the namespace refused us */
	SIOCLIENT_PROTOCOL,    /* the server sent a packet the codec refused */
	SIOCLIENT_KICKED,      /* the server sent DISCONNECT */
	SIOCLIENT_NOMEM,
};

struct sioclient_config {
	const struct wsurl *url;    /* host, port, TLS, query */
	const char *path;           /* handshake path, e.g. "/socket.io/" */
	const char *ns;             /* namespace, e.g. "/" */
	const char *auth;           /* CONNECT payload (JSON object) or NULL */
	const char *const *headers; /* "Name: value" each */
	size_t nheaders;
	const char *user_agent;      /* NULL: none sent */
	int insecure;                /* accept any certificate */
	uint32_t connect_timeout_ms; /* one attempt, up to CONNECT's answer */
	uint32_t ack_timeout_ms;     /* from writing an event to its ack */
	int reconnect;               /* retry after a connection was lost */
	uint32_t reconnect_attempts; /* 0: no limit */
	uint32_t reconnect_delay_ms; /* backoff: first delay, */
	uint32_t reconnect_delay_max_ms; /* cap */
	double reconnect_jitter;         /* and randomization factor */
	size_t max_queue;                /* events queued or awaiting an ack */
	size_t max_queue_bytes; /* bytes queued (one event may pass) */
	size_t max_message;     /* largest message (or attachments) in */
	void (*log)(void *arg, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
	void *log_arg;
	int log_level; /* lines above it are not formatted */
};

struct sioclient;

/*
 * What the application does.  Packets are borrowed for the call; binary
 * attachments come in 'att' (NULL when none).
 */
struct sioclient_app {
	/* Connected to the namespace; 'again' after a reconnection
	 * (c->recovered then says whether the session was recovered). */
	void (*on_connect)(struct sioclient *c, const char *sid, int again);
	/* Events come with the hub's offset taken off their arguments. */
	void (*on_event)(struct sioclient *c, const struct sio_packet *pkt,
	    const struct iovec *att, unsigned natt);
	/* The ack of the event emitted with 'tag'; pkt is NULL when it will
	 * not come (timeout, connection lost), 'why' then says so. */
	void (*on_ack)(struct sioclient *c, uint64_t tag,
	    const struct sio_packet *pkt, const struct iovec *att,
	    unsigned natt, const char *why);
	/* Fewer events are pending (see sioclient_pending()). */
	void (*on_drain)(struct sioclient *c);
	/* The client stopped for good; 'why' is empty for SIOCLIENT_CLOSED. */
	void (*on_end)(struct sioclient *c, enum sioclient_end end,
	    const char *why);
	void *arg;
};

struct sioclient_msg;
struct sioclient_ack;
struct sioclient_sticky;
TAILQ_HEAD(sioclient_msgq, sioclient_msg);
TAILQ_HEAD(sioclient_ackq, sioclient_ack);
TAILQ_HEAD(sioclient_stickyq, sioclient_sticky);

enum sioclient_state {
	SIOCLIENT_IDLE,       /* not started, or waiting to retry */
	SIOCLIENT_CONNECTING, /* TCP, TLS, the HTTP upgrade */
	SIOCLIENT_OPENING,    /* waiting for the Engine.IO open packet */
	SIOCLIENT_JOINING,    /* CONNECT sent, waiting for its answer */
	SIOCLIENT_CONNECTED,
	SIOCLIENT_CLOSING, /* flushing, then the close frame */
	SIOCLIENT_ENDED,
};

struct sioclient {
	struct sioclient_config cfg;
	struct sioclient_app app;
	struct lws_context *ctx; /* borrowed, set by sioclient_start() */
	struct lws *wsi;         /* the current connection, or NULL */
	enum sioclient_state state;
	char path[2048];                /* handshake path and query */
	char host[WSURL_HOST_MAX + 16]; /* Host header */
	char **header_names;            /* owned: "name:" for lws */
	const char **header_values;     /* borrowed, into cfg.headers */
	size_t ns_len;
	struct backoff backoff;
	uint32_t attempts; /* failed attempts since connected */
	int ever_connected;
	/* What the current attempt got to, to say why it failed. */
	int sent_request;
	int http_status;
	int cert_refused;    /* OpenSSL refused the certificate */
	char close_why[128]; /* the server's close frame, if any */
	struct eio_open open;
	char sid[64];
	/* Connection state recovery, when the hub offers it (socket.io
	 * 4.6+): the session's pid from CONNECT's answer, the offset of the
	 * last event received (the event's last argument; "" before one),
	 * both sent in the CONNECT payload of the next connection, as
	 * socket.io-client does; and whether the last CONNECT recovered the
	 * session, its rooms and the events it missed. */
	char pid[64];
	char offset[64];
	int recovered;
	uint32_t unacked_events; /* written on this connection, no ack
				  * asked */
	/* Outgoing: this connection's own packets first, then events. */
	struct sioclient_msgq ctrl;
	struct sioclient_msgq queue;
	size_t queued, queued_bytes;
	struct sioclient_ackq acks; /* written, ack awaited; by deadline */
	size_t user_acks;           /* of them, not sticky */
	struct sioclient_stickyq sticky;
	int64_t next_ack_id;
	/* Incoming: a message arriving in fragments, then a binary packet
	 * waiting for its attachments. */
	struct wsmsg rx;
	struct siorx siorx;
	lws_sorted_usec_list_t sul_retry;    /* next attempt */
	lws_sorted_usec_list_t sul_deadline; /* attempt or close timeout */
	lws_sorted_usec_list_t sul_ping;     /* server presumed dead */
	lws_sorted_usec_list_t sul_ack;      /* earliest ack deadline */
};

/*
 * Sets up a client.  'cfg' and 'app' are copied; what they point to is
 * borrowed and must outlive the client.  Returns 0, or -1 with a reason in
 * 'err' (a path or header that cannot be sent).
 */
int sioclient_init(struct sioclient *c, const struct sioclient_config *cfg,
    const struct sioclient_app *app, char *err, size_t errlen);

/* Frees everything; the lws context must be destroyed first. */
void sioclient_release(struct sioclient *c);

/* Fills the lws protocol entry the client's connections use. */
void sioclient_protocol(struct sioclient *c, struct lws_protocols *proto);

/* Starts the first attempt once the context runs. */
void sioclient_start(struct sioclient *c, struct lws_context *ctx);

/*
 * Queues an event: 'json' (borrowed) is its array text [NAME, ARG...],
 * already checked.  With 'ack', the ack is asked for and reported to
 * on_ack() with 'tag'.  Returns 0, or -1 with errno ENOBUFS (the queue is
 * full: wait for on_drain()), EMSGSIZE (larger than the server accepts),
 * EPIPE (the client is closing or ended) or ENOMEM.
 */
int sioclient_emit(struct sioclient *c, const char *json, size_t len, int ack,
    uint64_t tag);

/*
 * Adds an event sent again at the start of every connection, before any
 * queued event (sent at once when connected).  Same arguments; not
 * counted in the queue's bounds.
 */
int sioclient_emit_sticky(struct sioclient *c, const char *json, size_t len,
    int ack, uint64_t tag);

/* Events queued or awaiting their ack (sticky ones aside). */
size_t sioclient_pending(const struct sioclient *c);

/*
 * Leaves: when connected, writes this connection's own packets, then a
 * close frame; then ends with SIOCLIENT_CLOSED.  Queued events are
 * dropped.
 */
void sioclient_close(struct sioclient *c);

#endif
