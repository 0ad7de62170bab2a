/*
 * hub.h - the Socket.IO server core on libwebsockets.
 * Owns: every client connection (Engine.IO session over WebSocket), its
 * heartbeat and connect timers, its bounded outgoing queue and the
 * Socket.IO state machine; the HTTP answers to handshakes it refuses.
 * Never decides what an event means: that is the application's (struct
 * hub_app), such as the room contract or the conformance server.
 * Data flows one way: bytes in, packet decoded, event handed to the
 * application, message encoded once into a shared frame, queued to each
 * recipient, written when writable.  Never prints: log lines go to the
 * sink in the configuration.
 */
#ifndef GEOROOM_HUB_H
#define GEOROOM_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <jv.h>
#include <libwebsockets.h>

#include "acks.h"
#include "cidr.h"
#include "outq.h"
#include "retain.h"
#include "peers.h"
#include "ratelimit.h"
#include "refuselog.h"
#include "recovery.h"
#include "room.h"
#include "sendpool.h"
#include "sio.h"

enum hub_log_level {
	HUB_LOG_ERR,
	HUB_LOG_WARN,
	HUB_LOG_INFO,
	HUB_LOG_DEBUG,
};

/* Transports clients may use (hub_config.transports). */
#define HUB_TRANSPORT_POLLING 0x1   /* HTTP long-polling */
#define HUB_TRANSPORT_WEBSOCKET 0x2 /* WebSocket, and the upgrade to it */

struct hub_config {
	const char *path; /* handshake path, e.g. "/socket.io/" */
	/* HUB_TRANSPORT_* bits; 0: both, as socket.io serves by default. */
	unsigned transports;
	uint32_t ping_interval_ms;
	uint32_t ping_timeout_ms;
	uint32_t connect_timeout_ms;
	uint64_t max_payload; /* largest message a client may send */
	/* Bytes all clients together may hold in messages not yet whole
	 * (fragments, a frame still arriving, attachments still due); past
	 * it, the oldest such message is dropped with its connection.  0: no
	 * limit.  At least max_payload + 1 when set. */
	size_t max_unfinished;
	/* A message not whole this long after its first bytes arrived is
	 * dropped with its connection.  0: no limit. */
	uint32_t message_timeout_ms;
	size_t max_backlog; /* queued bytes before a client is dropped */
	uint32_t max_backlog_frames;
	size_t max_connections;        /* 0: no limit */
	uint32_t max_rooms_per_socket; /* 0: no limit */
	const char *const *origins;    /* NULL: any origin */
	size_t norigins;
	/* Write a connection's whole backlog in one write (1), or one frame
	 * per write (0, which only test runners that read badly need). */
	int coalesce;
	/* Threads that share a round's writes with the loop's (sendpool.h);
	 * 0: the loop writes alone. */
	unsigned send_threads;
	/* Events a connection may send, all its namespaces together; an
	 * event over it is dropped, a client over it for rate.grace_ms is
	 * disconnected.  rate.rate 0: no limit. */
	struct ratelimit_config rate;
	/* Connections per client address; 0: no limit. */
	uint32_t max_per_ip;
	/* Each room's last message of these events, sent to the sockets
	 * that join it (hub_send_retained()); no events: none kept. */
	struct retain_config retain;
	/* Latest-only delivery of these events (borrowed names): a
	 * client's queue holds at most the newest unsent one per room. */
	const char *const *conflate;
	size_t nconflate;
	/* Proxies whose X-Forwarded-For names the client (borrowed). */
	const struct cidr *trusted;
	size_t ntrusted;
	/* Clients speak TLS (set by serve_run()): their sockets are not
	 * scanned for unmasked frames (rxtap.h), and a refusal on accept
	 * closes without the clear-text 503. */
	int tls;
	/* Connection state recovery, as socket.io's connectionStateRecovery
	 * (recovery.h): window_ms 0 (the default) turns it off. */
	struct recovery_config recovery;
	void (*log)(void *arg, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
	void *log_arg;
	/* The most verbose level 'log' wants (enum hub_log_level): lines
	 * above it are dropped before they are formatted. */
	int log_level;
};

struct hub_stats {
	uint64_t connections_total;
	uint64_t connections;  /* open WebSocket sessions */
	uint64_t messages_in;  /* Socket.IO packets received */
	uint64_t messages_out; /* packets queued to recipients */
	uint64_t bytes_in;
	uint64_t bytes_out;          /* bytes handed to the kernel */
	uint64_t dropped_slow;       /* clients dropped for a full backlog */
	uint64_t protocol_errors;    /* connections closed for bad input */
	uint64_t refused;            /* handshakes answered with an error */
	uint64_t refused_at_accept;  /* of which refused on accept, for the
					 * descriptor budget or far over
					 * max_connections */
	uint64_t dropped_unfinished; /* closed 1013: unfinished messages
					* over max_unfinished */
	uint64_t message_timeouts;   /* closed 1008: a message not whole
				      * within message_timeout_ms */
	/* Events dropped over cfg.rate, clients disconnected for staying
	 * over it, and of 'refused', connections over max_per_ip. */
	uint64_t events_rate_limited;
	uint64_t dropped_rate_limited;
	uint64_t refused_per_ip;
	/* CONNECTs the application refused (app.admit): no valid token. */
	uint64_t refused_connect;
	/* 'refused' by reason; they add up to it. */
	uint64_t refused_by[REFUSE_NREASONS];
	/* Messages that took the place of an older one of their room and
	 * event in a client's queue (cfg.conflate). */
	uint64_t conflated;
	/* Retained messages (cfg.retain): read by hub_get_stats(). */
	struct retain_stats retained;
	/* Of 'connections', sessions on long-polling now; polling sessions
	 * that moved to WebSocket; polling requests refused because the hub
	 * serves WebSocket only (of 'refused'). */
	uint64_t polling;
	uint64_t upgrades;
	uint64_t refused_polling;
	/* Read from the registry by hub_get_stats(); never kept here. */
	uint64_t sockets; /* one per namespace a session joined */
	uint64_t rooms;
	uint64_t namespaces;
};

/* Connections accepted beyond max_connections that still get their 503
 * after the request is read; past these, they are answered on accept. */
#define HUB_REFUSE_SLACK 16
/* At most one report of refused connections per this many ms, and one
 * line per refused client address (refuselog.h), of at most this many. */
#define HUB_REFUSE_LOG_MS 10000
#define HUB_REFUSE_LOG_PEERS 1024
/* Bytes lws reads per pass for one connection, and keeps allocated for
 * each open WebSocket; see hub_protocol(). */
#define HUB_RX_BUFFER 256
/* Most loop rounds hub_flush() waits for a sender's burst to be read. */
#define HUB_DEFER_ROUNDS 16

/* Connections given one shared frame (a message to a room) in one round
 * from which the send threads share the round's writes: below, a
 * thread's wakeup costs more than it saves. */
#define HUB_PARALLEL_MIN 64

struct hub;
struct linger_set;

/* What the application does with sockets and their events. */
struct hub_app {
	/* A socket connected to a namespace; 'auth' (consumed) is the
	 * CONNECT payload, an object, or jv_invalid() when none. */
	void (*on_connect)(struct hub *hub, struct room_sock *s, jv auth);
	/* An EVENT or BINARY_EVENT arrived, attachments complete ('att'
	 * borrowed for the call). */
	void (*on_event)(struct hub *hub, struct room_sock *s,
	    const struct sio_packet *pkt, const struct iovec *att,
	    unsigned natt);
	/* The socket is about to leave its rooms and be freed: the place to
	 * free what the application attached (hub_socket_set_data()).  Also
	 * called by hub_release() for any socket left, which can no longer
	 * be sent to. */
	void (*on_disconnect)(struct hub *hub, struct room_sock *s,
	    const char *reason);
	/* What the control server lists about 's' besides its id and rooms:
	 * an object (the caller's) whose members are added to the socket's
	 * entry, or jv_invalid() for none.  NULL: nothing to add. */
	jv (*describe)(struct hub *hub, const struct room_sock *s);
	/* Decides whether socket 's', new and in no room yet, may connect,
	 * before the client hears of it: 'auth' (borrowed) is the CONNECT
	 * payload or jv_invalid(), 'bearer' the token of the handshake's
	 * "Authorization: Bearer" header (NULL: none).  Returns 0 to let it
	 * in (it may attach data); or -1, having attached nothing, with
	 * *refusal (the caller's) the CONNECT_ERROR payload, an object with
	 * a "message": the socket is then freed without on_disconnect.
	 * NULL: every socket gets in. */
	int (*admit)(struct hub *hub, struct room_sock *s, jv auth,
	    const char *bearer, jv *refusal);
	/*
	 * Connection state recovery (cfg.recovery).  'keep': the connection
	 * of 's' was lost and its session is kept; returns what the
	 * application wants back if the client returns (the caller's), as
	 * socket.io keeps socket.data; called before on_disconnect.
	 * 'restore': socket 's', admitted, recovered its session; 'kept'
	 * (consumed) is what 'keep' returned.  'may_rejoin': whether 's' may
	 * be back in room 'room' ('len' bytes) it was in.  Each may be NULL:
	 * nothing kept, nothing restored, every room.
	 */
	jv (*keep)(struct hub *hub, const struct room_sock *s);
	void (*restore)(struct hub *hub, struct room_sock *s, jv kept);
	int (*may_rejoin)(struct hub *hub, const struct room_sock *s,
	    const char *room, size_t len);
	void *arg;
};

/*
 * A broadcast, as socket.io-adapter knows one: an event for the sockets of
 * a namespace in any of 'rooms' (all of them when 'nrooms' is 0) and in
 * none of 'except'; a socket's id names the room of that socket alone.
 */
struct hub_bcast {
	struct room_nsp *nsp;
	const struct room_name *rooms;
	size_t nrooms;
	const struct room_name *except;
	size_t nexcept;
	enum sio_type type; /* SIO_EVENT, or SIO_BINARY_EVENT with 'att' */
	const char *json;   /* the packet's payload text, e.g. ["chat",{}] */
	size_t json_len;
	const struct iovec *att;
	unsigned natt;
	unsigned flags; /* HUB_BCAST_* */
};

/* socket.io's broadcast flags, as the Redis adapter carries them. */
#define HUB_BCAST_LOCAL 0x1    /* this process only */
#define HUB_BCAST_VOLATILE 0x2 /* may be dropped */
#define HUB_BCAST_COMPRESS 0x4

/*
 * A question to the other nodes of a cluster, as socket.io's adapter asks
 * one: fetchSockets() of the sockets of 'nsp' in any of 'rooms' (every
 * socket when 'nrooms' is 0) and in none of 'except'; allRooms(); or
 * serverCount().  Everything is borrowed for the call.
 */
enum hub_ask_kind {
	HUB_ASK_FETCH,
	HUB_ASK_ALL_ROOMS,
	HUB_ASK_SERVERS,
};

struct hub_ask {
	enum hub_ask_kind kind;
	struct room_nsp *nsp;
	const struct room_name *rooms;
	size_t nrooms;
	const struct room_name *except;
	size_t nexcept;
};

/* What the other nodes answered; borrowed for the callback. */
struct hub_answers {
	/* Each answering node's response, an object as the adapter writes
	 * it ({requestId, sockets} or {requestId, rooms}); none for
	 * HUB_ASK_SERVERS. */
	jv replies;
	/* The nodes Redis counts (PUBSUB NUMSUB), this one included. */
	long servers;
	/* Every other node answered before the timeout. */
	int complete;
};

typedef void (*hub_answer_fn)(void *ctx, const struct hub_answers *a);

/*
 * An action for the other nodes, which answer nothing: socketsJoin() and
 * socketsLeave() of 'names', disconnectSockets() (with 'close', the
 * connection too), each for the sockets 'rooms' and 'except' pick as in
 * struct hub_ask; or serverSideEmit() of 'data', the event's name and
 * arguments.  Everything is borrowed for the call.
 */
enum hub_tell_kind {
	HUB_TELL_JOIN,
	HUB_TELL_LEAVE,
	HUB_TELL_DISCONNECT,
	HUB_TELL_SERVER_EMIT,
};

struct hub_tell {
	enum hub_tell_kind kind;
	struct room_nsp *nsp;
	const struct room_name *rooms;
	size_t nrooms;
	const struct room_name *except;
	size_t nexcept;
	const struct room_name *names;
	size_t nnames;
	int close;
	jv data; /* borrowed: [event, args...] */
};

/*
 * Acknowledgements asked of clients (hub_deliver_ack()): at most this many
 * awaited from one connection at once, all its namespaces together (a
 * socket over it gets the event without an ack id); each awaited at most
 * HUB_ACK_TIMEOUT_MAX ms.
 */
#define HUB_ACKS_PER_CONN 128
#define HUB_ACK_TIMEOUT_MAX (10 * 60 * 1000)

/*
 * Where this hub reaches beyond its own sockets (a cluster adapter).
 * 'broadcast' is told of each broadcast that hub_broadcast() made, after
 * local delivery, unless it has HUB_BCAST_LOCAL; everything in 'b' is
 * borrowed for the call.  It returns 0 when the broadcast is on its way,
 * -1 with errno when it was dropped.  The other members may be NULL.
 */
struct hub_fanout {
	int (*broadcast)(void *arg, const struct hub_bcast *b);
	/* Members for the stats reply (an object, the caller's), or NULL. */
	jv (*stats)(void *arg);
	/* As hub_ask(), hub_ask_cancel() and hub_tell(). */
	int (*ask)(void *arg, const struct hub_ask *q, hub_answer_fn fn,
	    void *ctx, uint64_t *ticket);
	void (*cancel)(void *arg, uint64_t ticket);
	int (*tell)(void *arg, const struct hub_tell *t);
	/* A room of 'nsp' named 'name' ('len' bytes, borrowed) was just
	 * created (created 1), or is about to go with its last member (0).
	 * It must not join or leave anything. */
	void (*room)(void *arg, struct room_nsp *nsp, const char *name,
	    size_t len, int created);
	void *arg;
};

struct hub_conn;
TAILQ_HEAD(hub_conn_queue, hub_conn);
struct polling;

struct hub {
	struct hub_config cfg;
	struct hub_app app;
	struct room_registry reg;
	struct hub_stats stats;
	struct lws_context *ctx;            /* borrowed, set by hub_start() */
	struct linger_set *linger;          /* borrowed, set by hub_start() */
	struct hub_conn_queue connect_q;    /* waiting for a first CONNECT */
	struct hub_conn_queue ping_q;       /* waiting to be pinged */
	struct hub_conn_queue pong_q;       /* pinged, waiting for the pong */
	struct hub_conn_queue all;          /* every open session */
	struct hub_conn_queue flush_q;      /* output queued this loop round */
	struct hub_conn_queue rx_q;         /* read from this loop round */
	struct hub_conn_queue unfinished_q; /* holding part of a message,
					     * oldest first */
	size_t unfinished_bytes;            /* held by them all */
	unsigned flush_deferred;            /* rounds hub_flush() held back */
	lws_sorted_usec_list_t sul;
	int64_t sul_at;           /* ms when 'sul' fires; 0: idle */
	struct frame *ping_frame; /* shared "2" */
	unsigned char *scratch;   /* where a backlog is gathered */
	size_t scratch_cap;
	/* A round's writes, shared with cfg.send_threads helpers once there
	 * are HUB_PARALLEL_MIN of them: the jobs and their pieces (owned,
	 * kept between rounds). */
	struct sendpool sendpool;
	struct sendpool_job *send_jobs;
	struct iovec *send_iov;
	size_t send_jobs_cap, send_iov_cap;
	size_t accepted;          /* connections from accept to close */
	size_t fd_budget;         /* most 'accepted' allowed; 0: none */
	int accept_pending;       /* on_accept() let one through */
	struct lws *adopting;     /* counted, not yet marked */
	int64_t refuse_logged_at; /* ms of the last refusal report */
	uint64_t refused_unlogged;
	struct refuselog refuselog; /* a line per refused client address */
	struct hub_fanout fanout;   /* .broadcast NULL: none */
	struct acks acks;           /* acknowledgements awaited */
	struct retain retain;       /* rooms' last messages (cfg.retain) */
	uint8_t tag_seed[16];       /* the key of conflation tags */
	int64_t ack_id;             /* the next ack id to ask for */
	uint8_t rand[256];          /* pool for ids */
	size_t rand_left;
	int shutting_down;
	/* Connections per client address, when max_per_ip or trusted
	 * proxies are set; the address on_accept() counted for the
	 * connection being adopted, then for the one being marked. */
	struct peers peers;
	struct peer *pending_peer, *adopting_peer;
	/* The error ack's JSON for events over cfg.rate. */
	char rate_error[96];
	/* Sessions kept and events buffered, when cfg.recovery is on. */
	struct recovery recovery;
	/* The long-polling transport (owned); NULL when it is off. */
	struct polling *polling;
	/* With polling off, the addresses told so lately, for the log. */
	struct refuselog poll_refusals;
};

/*
 * Sets up a hub.  'cfg' and 'app' are copied; strings they point to are
 * borrowed and must outlive the hub.  Returns 0, or -1 with errno.
 */
int hub_init(struct hub *hub, const struct hub_config *cfg,
    const struct hub_app *app);

/* Frees everything; the lws context must be destroyed first. */
void hub_release(struct hub *hub);

/* Adds a namespace clients may connect to ("/" is always there). */
int hub_add_namespace(struct hub *hub, const char *name);

/*
 * Fills the lws protocol entry that serves HTTP and WebSocket for this hub
 * (its 'user' points at the hub).  It must be the vhost's first protocol.
 */
void hub_protocol(struct hub *hub, struct lws_protocols *proto);

/*
 * Records the context once created, for timers, and how many connections
 * the descriptor limit leaves room for (0: no limit): connections past it
 * are answered 503 on accept and closed, so that the process never runs
 * out of descriptors.  'linger' (borrowed; NULL: none) takes the socket of
 * each connection lws closes, for a lingering close; its sockets count
 * against the descriptor budget.
 */
void hub_start(struct hub *hub, struct lws_context *ctx, size_t fd_budget,
    struct linger_set *linger);

/*
 * Takes 'fd', a connection accepted on a listener of the process's own
 * (net/listener.h), as lws takes those it accepts itself: refused with a
 * 503 and closed when over the descriptor budget or far over
 * max_connections, else adopted by lws on vhost 'vh' and counted.
 */
void hub_adopt(struct hub *hub, struct lws_vhost *vh, int fd);

/* A line for the hub's log at 'level', formatted only when it is wanted:
 * for the hub's own modules (polling.c). */
void hub_log(struct hub *hub, enum hub_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes what this loop round queued, one gathered write per connection;
 * the loop calls it once per round, just before it waits for I/O.  What the
 * kernel does not take waits for the connection to be writable.
 */
void hub_flush(struct hub *hub);

/* Connections from accept until lws frees them, handshakes included. */
size_t hub_connections_open(const struct hub *hub);

/*
 * Starts closing every connection with a WebSocket close frame (1001, going
 * away); service the loop until hub_connections_open() is 0.
 */
void hub_shutdown(struct hub *hub);

/*
 * Builds one shared frame: the Socket.IO packet with header 'h' and JSON
 * text 'json', then 'natt' binary frames.  Returns it with one reference,
 * or NULL (ENOMEM).  Recipients all receive these exact bytes.
 */
struct frame *hub_frame(const struct sio_header *h, const char *json,
    size_t json_len, const struct iovec *att, unsigned natt);

/* Queues 'f' (borrowed; a reference is taken) to one socket.  0 or -1. */
int hub_send(struct hub *hub, struct room_sock *s, struct frame *f);

/*
 * Delivers broadcast 'b' to this hub's sockets only (one shared frame).
 * With recovery on, an event that is not volatile gets the next offset as
 * its last argument, as socket.io's adapter appends it, and is buffered
 * for sessions that miss it.  Returns how many sockets it reached, or -1
 * with errno ENOMEM.
 */
long hub_deliver(struct hub *hub, const struct hub_bcast *b);

/*
 * Delivers 'b' as hub_deliver() does, asking each socket reached for an
 * acknowledgement, as socket.io's broadcastWithAck() does: one ack id,
 * one shared frame.  Each socket's ack goes to owner->on_ack once (an
 * ack for no awaited id, or a second one, is dropped and counted);
 * owner->on_end is called once when none can come any more: all came,
 * 'timeout_ms' passed (at most HUB_ACK_TIMEOUT_MAX), or the sockets went
 * away.  That may be before this returns (none reached, or an error).
 * 'owner' is copied.  Returns how many sockets were asked, which a socket
 * over HUB_ACKS_PER_CONN is not, or -1 with errno ENOMEM.
 */
long hub_deliver_ack(struct hub *hub, const struct hub_bcast *b,
    uint32_t timeout_ms, const struct acks_owner *owner);

/*
 * Delivers 'b' here, then hands it to the fanout (hub_set_fanout()) unless
 * it is HUB_BCAST_LOCAL.  Returns what hub_deliver() returns.
 */
long hub_broadcast(struct hub *hub, const struct hub_bcast *b);

/*
 * Hands 'b' to the fanout alone.  Returns 0 when it is on its way to the
 * other nodes, or -1 with errno: ENOTCONN when there is no fanout, else
 * the fanout's reason for dropping it.
 */
int hub_fan_out(struct hub *hub, const struct hub_bcast *b);

/* Whether the hub has a fanout: it is a node of a cluster. */
int hub_clustered(const struct hub *hub);

/*
 * Asks the other nodes 'q'.  Returns 0 and a ticket in *ticket, 'fn'
 * being called exactly once later with 'ctx' (unless cancelled); or -1
 * with errno ENOTCONN (no fanout, or it cannot ask now), ENOMEM or
 * EINVAL, and 'fn' is never called.
 */
int hub_ask(struct hub *hub, const struct hub_ask *q, hub_answer_fn fn,
    void *ctx, uint64_t *ticket);

/* The answer to 'ticket' is no longer wanted: its callback never comes. */
void hub_ask_cancel(struct hub *hub, uint64_t ticket);

/*
 * Tells the other nodes 't'.  Returns 0 when it is on its way, or -1 with
 * errno ENOTCONN (no fanout, or it cannot publish now), ENOBUFS, ENOMEM
 * or EINVAL.  Nothing is done here: the caller acts on this hub itself.
 */
int hub_tell(struct hub *hub, const struct hub_tell *t);

/* Sets where broadcasts go beyond this hub ('f' copied; NULL: nowhere). */
void hub_set_fanout(struct hub *hub, const struct hub_fanout *f);

/*
 * The stats reply's members beyond struct hub_stats (owned, an object):
 * the acknowledgements awaited (acks_*), connection state recovery's
 * (recovery_*, when it is on), and the fanout's.
 */
jv hub_fanout_stats(struct hub *hub);

/*
 * room_join()/room_leave() with logging; same returns.  hub_join() also
 * fails with EDQUOT when the socket is in max_rooms_per_socket rooms
 * already and not in 'room'.
 */
int hub_join(struct hub *hub, struct room_sock *s, const char *room,
    size_t len);
int hub_leave(struct hub *hub, struct room_sock *s, const char *room,
    size_t len);

/*
 * Sockets, namespaces and rooms as the application and the control server
 * see them: through these calls only, never through the registry.
 */

/* The socket with id 'id' ('len' bytes), or NULL. */
struct room_sock *hub_socket_find(const struct hub *hub, const char *id,
    size_t len);

/* Its id: ROOM_SOCK_ID_LEN characters and a NUL. */
const char *hub_socket_id(const struct room_sock *s);

/* How many rooms it is in. */
size_t hub_socket_room_count(const struct room_sock *s);

/* Whether it is in room 'room' ('len' bytes). */
int hub_socket_in_room(const struct hub *hub, const struct room_sock *s,
    const char *room, size_t len);

/* The namespace it connected to. */
struct room_nsp *hub_socket_namespace(const struct room_sock *s);

/* What the application attached to it, NULL until then. */
void *hub_socket_data(const struct room_sock *s);

/*
 * Attaches 'data' (the application's, which frees it in its on_disconnect
 * hook at the latest; the hub never does) to 's'.
 */
void hub_socket_set_data(struct room_sock *s, void *data);

/*
 * The application's description of 's' (struct hub_app, describe), which
 * the caller owns; jv_invalid() when it has none.
 */
jv hub_socket_describe(struct hub *hub, const struct room_sock *s);

/* The namespace named 'name' ('len' bytes), or NULL. */
struct room_nsp *hub_namespace_find(const struct hub *hub, const char *name,
    size_t len);

/* Its name, NUL-terminated; its length goes to *len unless NULL. */
const char *hub_namespace_name(const struct room_nsp *nsp, size_t *len);

/*
 * Calls 'fn' for each socket of 'nsp' or, when 'room' is not NULL, for each
 * member of its room 'room' ('len' bytes; none when there is no such
 * room), until 'fn' returns non-zero, which is then returned; else 0.  For
 * listings: 'fn' must not connect, disconnect, join or leave.
 */
int hub_each_socket(const struct hub *hub, const struct room_nsp *nsp,
    const char *room, size_t len,
    int (*fn)(const struct room_sock *s, void *arg), void *arg);

/*
 * Calls 'fn' once for each socket of 'nsp' a broadcast to 'rooms' but
 * 'except' would reach (struct hub_bcast); 'fn' must not change
 * membership.  Returns how many calls returned 0.
 */
size_t hub_each_match(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    int (*fn)(struct room_sock *s, void *arg), void *arg);

/* Socket ids, copied: acting on the sockets may change membership, which
 * matching (hub_each_match()) must not see. */
struct hub_ids {
	char (*ids)[ROOM_SOCK_ID_LEN + 1]; /* owned: free() it */
	size_t n, cap;
	int failed; /* memory ran out: some are missing */
};

/* Adds the id of 's' to 'l', a struct hub_ids, as hub_each_match() calls
 * it: 0, or -1 with l->failed set when memory ran out. */
int hub_ids_add(struct room_sock *s, void *l);

/*
 * socket.io's socketsJoin() and socketsLeave() here: each socket of 'nsp'
 * that 'rooms' but 'except' pick (as in struct hub_bcast) joins (join 1)
 * or leaves (0) each of 'names', as hub_join() and hub_leave() do: a
 * socket in as many rooms as it may be joins no more.  Returns how many
 * sockets were picked, or -1 with errno ENOMEM, and nothing done.
 */
long hub_sockets_join(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    const struct room_name *names, size_t nnames, int join);

/* disconnectSockets() here, for the sockets picked as above: each is
 * disconnected by hub_disconnect().  The same returns. */
long hub_sockets_disconnect(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept);

/*
 * Sends socket 's' the messages retained in room 'room' ('len' bytes) of
 * its namespace, oldest first (cfg.retain): call it once the join is
 * acknowledged, so that they come before anything newer.  Returns how
 * many were queued.
 */
size_t hub_send_retained(struct hub *hub, struct room_sock *s,
    const char *room, size_t len);

/* Whether the hub retains messages: then a broadcast to a room without
 * members here still matters to it. */
int hub_retains(const struct hub *hub);

/* Whether 'name' is a room of 'nsp' or the id of one of its sockets;
 * always, while sessions are kept for recovery (one may be in it). */
int hub_name_known(const struct hub *hub, const struct room_nsp *nsp,
    const char *name, size_t len);

/* The same for the rooms of 'nsp', with their names and member counts. */
int hub_each_room(const struct hub *hub, const struct room_nsp *nsp,
    int (*fn)(const char *name, size_t len, size_t members, void *arg),
    void *arg);

/* The same for each namespace, with its sockets and rooms. */
int hub_each_namespace(const struct hub *hub,
    int (*fn)(const char *name, size_t len, size_t sockets, size_t rooms,
        void *arg),
    void *arg);

/* The same for the names of the rooms socket 's' is in. */
int hub_socket_each_room(const struct room_sock *s,
    int (*fn)(const char *name, size_t len, void *arg), void *arg);

/* Copies the counters into 'st', with the registry's current sizes. */
void hub_get_stats(const struct hub *hub, struct hub_stats *st);

/*
 * Disconnects one socket as socket.io's socket.disconnect(true) does: sends
 * DISCONNECT, frees the socket, and closes its connection when no other
 * namespace remains on it.
 */
void hub_disconnect(struct hub *hub, struct room_sock *s);

/*
 * For the long-polling transport (polling.c), which keeps a session's HTTP
 * requests: the session itself, its queue and its Socket.IO state stay
 * the hub's, and these calls are its only way in.
 */
struct pollsess;
struct cidr_addr;

/*
 * Opens a session on polling for the handshake request 'wsi', whose
 * transport state is 'ps' (polling.c's, borrowed until hub_poll_free()):
 * counted, its timers set, its open packet queued (offering the upgrade
 * when WebSocket is on).  Returns it, or NULL with errno.
 */
struct hub_conn *hub_poll_open(struct hub *hub, struct lws *wsi,
    struct pollsess *ps);

/* Its sid (NUL-terminated). */
const char *hub_poll_sid(const struct hub_conn *c);

/* Its queue of frames to send, for a GET to take from; then
 * hub_poll_sent() drops the 'nframes' first, 'bytes' long in all. */
struct outq *hub_poll_queue(struct hub_conn *c);
void hub_poll_sent(struct hub_conn *c, uint32_t nframes, size_t bytes);

/*
 * One packet of a POST: 'len' bytes at 'data' (borrowed), text or binary,
 * as one WebSocket message would be.  Returns 0, or -1 when it broke the
 * protocol or passed the limits, and the session is then closing.
 */
int hub_poll_input(struct hub_conn *c, const unsigned char *data, size_t len,
    int binary);

/* A POST body being read holds 'bytes' (0: none any more), as a message
 * not yet whole does.  Returns -1 when that closed the session
 * (--max-unfinished). */
int hub_poll_hold(struct hub_conn *c, size_t bytes);

/* Whether the session is open (not closing). */
int hub_poll_is_open(const struct hub_conn *c);

/* Whether it was pinged and its pong is overdue (its timer may not have
 * fired yet): it is as good as closed. */
int hub_poll_expired(const struct hub_conn *c);

/* Closes it, without what is queued, for 'why' (logged); counted as a
 * protocol error when 'protocol_error' is set. */
void hub_poll_close(struct hub_conn *c, const char *why, int protocol_error);

/* Frees it, its sockets first (hub_app.on_disconnect, "transport close");
 * a WebSocket that probes it is closed. */
void hub_poll_free(struct hub_conn *c);

/* Answers an HTTP request with 'status' and the JSON 'body', the
 * connection ending with it.  0, or -1 when it could not be written. */
int hub_http_reply(struct lws *wsi, unsigned status, const char *body);

/* The client address 'wsi' is counted under (a trusted proxy's client
 * when it named one), else its TCP peer: 0, or -1 when it has none. */
int hub_wsi_addr(const struct hub *hub, struct lws *wsi, struct cidr_addr *a);

/* Copies the value of query argument 'name' into 'buf': 0, or -1 when
 * it is absent or too long. */
int hub_query_arg(struct lws *wsi, const char *name, char *buf, size_t len);

/* The same as text for the log, written into 'buf'; returns 'buf'. */
const char *hub_wsi_peer(const struct hub *hub, struct lws *wsi, char *buf,
    size_t len);

#endif
