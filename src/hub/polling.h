/*
 * polling.h - the Engine.IO v4 HTTP long-polling transport of the hub.
 * Owns: the sessions on polling, by sid; each one's HTTP requests (the
 * GET waiting for packets, the POST being read and its body); their CORS
 * headers; and a session's life on polling until it closes or moves to a
 * WebSocket (the upgrade).  Never touches a session's Socket.IO state,
 * which stays the hub's: packets go in through hub_poll_input(), and come
 * out of the session's queue of WebSocket frames, which eiopoll.h turns
 * into payloads.  Never prints: log lines go to the hub's sink.
 */
#ifndef GEOROOM_POLLING_H
#define GEOROOM_POLLING_H

#include <stddef.h>

#include <libwebsockets.h>

struct hub;
struct hub_conn;
struct polling;
struct pollsess;

/* How long a closing session waits for a GET to take its last packets
 * and its close packet before it is freed without. */
#define POLLING_CLOSE_WAIT_MS 2000
/* Most bytes of packets one GET answer carries (one packet more when the
 * first alone is longer); the rest goes with the next GET. */
#define POLLING_ANSWER_MAX (256 * 1024)

/* The transport for 'hub' (borrowed), or NULL (errno ENOMEM). */
struct polling *polling_new(struct hub *hub);

/* Frees every session left (the lws context is gone) and 'p'. */
void polling_free(struct polling *p);

/*
 * lws's callbacks for an HTTP request to the handshake path that the hub
 * let through (check_handshake() in hub.c: transport polling, a known sid
 * or a handshake, an allowed origin).  'slot', in the request's
 * per-session data, holds the session the request belongs to while it is
 * open.  Each returns what the callback returns: 0, or -1 to close.
 */
int polling_http(struct polling *p, struct lws *wsi, struct pollsess **slot);
int polling_body(struct polling *p, struct lws *wsi, struct pollsess **slot,
    const void *in, size_t len);
int polling_body_done(struct polling *p, struct lws *wsi,
    struct pollsess **slot);
int polling_writable(struct polling *p, struct lws *wsi,
    struct pollsess **slot);
/* The request's connection closes, or lws is done with its data. */
void polling_detach(struct polling *p, struct lws *wsi,
    struct pollsess **slot);

/* The session 'sid' names, open and on polling with no probe, or NULL. */
struct hub_conn *polling_find(struct polling *p, const char *sid);

/* Calls from hub.c about one session ----------------------------------- */

/* Packets were queued: a waiting GET takes them. */
void polling_wake(struct pollsess *ps);

/*
 * The hub closes the session.  With 'flush', what is still queued, then a
 * close packet, go with the next GET, and the session is freed after it,
 * or after POLLING_CLOSE_WAIT_MS without one.  Without, as engine.io
 * after a ping timeout, the session is gone for new requests at once, and
 * only a GET waiting now gets the close packet.  Never frees anything at
 * once, so it may be called while the hub walks its sockets.
 */
void polling_closing(struct pollsess *ps, int flush);

/* The client sent a close packet: a waiting GET gets a noop, and the
 * session is freed soon after (not at once, as above). */
void polling_client_closed(struct pollsess *ps);

/* A WebSocket probes the session ('probe', the hub's; NULL: it is gone).
 * Returns -1 when another one probes it already. */
int polling_set_probe(struct pollsess *ps, struct hub_conn *probe);
struct hub_conn *polling_probe(const struct pollsess *ps);

/* The probe answered "3probe": a GET is answered at once from now on
 * (with a noop when nothing is queued), so that the client may pause. */
void polling_probing(struct pollsess *ps);

/*
 * The client sent "5" on the probe: the session is the WebSocket's from
 * now on.  A waiting GET gets a noop; the polling side leaves the table
 * and is freed once its requests are done.
 */
void polling_upgraded(struct pollsess *ps);

/* The client's address as the log writes it. */
const char *polling_peer(const struct pollsess *ps);

#endif
