/* hub.c - Engine.IO/Socket.IO sessions on libwebsockets (see hub.h). */
#include "hub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "cidr.h"
#include "eio.h"
#include "linger.h"
#include "log.h"
#include "mono.h"
#include "polling.h"
#include "rxtap.h"
#include "wsframe.h"
#include "siorx.h"
#include "wsmsg.h"
#include "xff.h"

/* Where a connection stands in its heartbeat. */
enum hb_state {
	HB_NONE,
	HB_PING_DUE,  /* in ping_q */
	HB_PONG_WAIT, /* in pong_q */
};

enum conn_state {
	CONN_OPEN = 1,
	CONN_CLOSING,
};

/* What a WebSocket's per-session data is, besides a session of its own. */
enum conn_role {
	CONN_SESSION = 0,
	CONN_PROBE,   /* it probes the upgrade of polling session 'up' */
	CONN_CARRIER, /* it carries session 'up', which upgraded on it */
};

/* Seconds a probe may take to complete its upgrade (engine.io's
 * upgradeTimeout). */
#define HUB_UPGRADE_TIMEOUT_S 10

/* Per-WebSocket state: lws's per-session data for the hub protocol. */
struct hub_conn {
	struct hub *hub;
	struct lws *wsi; /* NULL until the WebSocket is open */
	char sid[EIO_SID_MAX + 1];
	uint8_t state;
	uint8_t hb;
	uint8_t in_connect_q;
	uint8_t corked; /* its 101 waits in the kernel for the open packet */
	uint16_t close_status;
	int64_t hb_deadline, ct_deadline; /* monotonic ms */
	int64_t uf_deadline;              /* its unfinished message's */
	TAILQ_ENTRY(hub_conn) hb_link, ct_link, all_link, flush_link, rx_link;
	TAILQ_ENTRY(hub_conn) uf_link;
	uint8_t in_flush_q; /* queued output, written in hub_flush() */
	uint8_t in_rx_q;    /* read from in this loop round */
	uint8_t in_uf_q;    /* in unfinished_q: holds part of a message */
	uint32_t rx_round;  /* bytes read this round, about */
	uint32_t held;      /* bytes it holds for unfinished messages */
	LIST_HEAD(, room_sock) socks; /* one per connected namespace */
	struct outq q;
	struct wsmsg rx;    /* a message arriving in pieces */
	struct siorx siorx; /* a binary packet waiting for its attachments */
	struct acks_table acks; /* acks awaited from its sockets */
	struct ratelimit rl;    /* its events, with cfg.rate */
	char *bearer; /* owned: the handshake's bearer token, kept for the
		       * application's admit hook; NULL: none */
	/* With recovery: the last offset given before it opened (or, once a
	 * session recovered on it, before that session's missed events),
	 * from which a client that saw no offset yet missed events. */
	uint64_t rec_start;
	/* A session on long-polling: its requests (polling.c's).  In an HTTP
	 * request's per-session data: the session the request is of. */
	struct pollsess *poll;
	struct hub_conn *up; /* CONN_PROBE, CONN_CARRIER: the session */
	uint8_t role;        /* enum conn_role */
};

#define SCRATCH_CAP (64 * 1024)
/* RFC 6455's registry: the server is overloaded, try again later. */
#define HUB_CLOSE_TRY_AGAIN_LATER 1013
/* Keep at most this much of an assembly buffer between messages. */
#define RX_KEEP (16 * 1024)

void
hub_log(struct hub *hub, enum hub_log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > hub->cfg.log_level)
		return;
	va_start(ap, fmt);
	log_forward(hub->cfg.log, hub->cfg.log_arg, hub->cfg.log_level,
	    (int)level, fmt, ap);
	va_end(ap);
}

/* Fills 'out' with 'n' base64url characters of fresh randomness. */
static void
random_id(struct hub *hub, char *out, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;

	for (i = 0; i < n; i++) {
		if (hub->rand_left == 0) {
			ssize_t got = getrandom(hub->rand, sizeof(hub->rand),
			    0);

			/* getrandom on Linux >= 3.17 does not fail for 256
			 * bytes once the pool is seeded; if it somehow does,
			 * the ids must still be unguessable. */
			if (got != (ssize_t)sizeof(hub->rand))
				abort();
			hub->rand_left = sizeof(hub->rand);
		}
		out[i] = alphabet[hub->rand[--hub->rand_left] & 63];
	}
	out[n] = '\0';
}

/* A frame holding one text WebSocket frame with 'text'. */
static struct frame *
text_frame(const char *text, size_t len)
{
	size_t hl = wsframe_header_len(len);
	struct frame *f = frame_new(hl + len);

	if (f == NULL)
		return NULL;
	wsframe_header(f->data, WSFRAME_TEXT, len);
	memcpy(f->data + hl, text, len);
	return f;
}

struct frame *
hub_frame(const struct sio_header *h, const char *json, size_t json_len,
    const struct iovec *att, unsigned natt)
{
	long tlen = sio_encode(NULL, 0, h, json, json_len);
	size_t total, off, hl;
	struct frame *f;
	unsigned i;

	if (tlen < 0) {
		errno = EINVAL;
		return NULL;
	}
	hl = wsframe_header_len((size_t)tlen);
	total = hl + (size_t)tlen;
	for (i = 0; i < natt; i++)
		total += wsframe_header_len(att[i].iov_len) + att[i].iov_len;
	f = frame_new(total);
	if (f == NULL)
		return NULL;
	off = wsframe_header(f->data, WSFRAME_TEXT, (size_t)tlen);
	sio_encode((char *)f->data + off, (size_t)tlen, h, json, json_len);
	off += (size_t)tlen;
	for (i = 0; i < natt; i++) {
		off += wsframe_header(f->data + off, WSFRAME_BINARY,
		    att[i].iov_len);
		memcpy(f->data + off, att[i].iov_base, att[i].iov_len);
		off += att[i].iov_len;
	}
	return f;
}

/* Whether connection state recovery is on (--recovery-window). */
static int
recovering(const struct hub *hub)
{
	return hub->cfg.recovery.window_ms != 0;
}

/* Timers ----------------------------------------------------------------- */

static void timer_fired(lws_sorted_usec_list_t *sul);

/* Arms the one hub timer for the earliest deadline of the three queues. */
static void
schedule(struct hub *hub)
{
	int64_t next = INT64_MAX, now;
	struct hub_conn *c;

	if (hub->ctx == NULL)
		return;
	if ((c = TAILQ_FIRST(&hub->connect_q)) != NULL &&
	    c->ct_deadline < next)
		next = c->ct_deadline;
	if ((c = TAILQ_FIRST(&hub->ping_q)) != NULL && c->hb_deadline < next)
		next = c->hb_deadline;
	if ((c = TAILQ_FIRST(&hub->pong_q)) != NULL && c->hb_deadline < next)
		next = c->hb_deadline;
	if ((c = TAILQ_FIRST(&hub->unfinished_q)) != NULL &&
	    c->uf_deadline < next)
		next = c->uf_deadline;
	if (acks_next_deadline(&hub->acks) < next)
		next = acks_next_deadline(&hub->acks);
	if (recovering(hub) && recovery_next_deadline(&hub->recovery) < next)
		next = recovery_next_deadline(&hub->recovery);
	if (next == INT64_MAX)
		return; /* nothing to wait for; a stale timer is harmless */
	if (hub->sul_at != 0 && hub->sul_at <= next)
		return;
	hub->sul_at = next;
	now = mono_ms();
	lws_sul_schedule(hub->ctx, 0, &hub->sul, timer_fired,
	    (lws_usec_t)(next > now ? next - now : 0) * LWS_US_PER_MS);
}

static void
hb_unlink(struct hub_conn *c)
{
	if (c->hb == HB_PING_DUE)
		TAILQ_REMOVE(&c->hub->ping_q, c, hb_link);
	else if (c->hb == HB_PONG_WAIT)
		TAILQ_REMOVE(&c->hub->pong_q, c, hb_link);
	c->hb = HB_NONE;
}

static void
ct_unlink(struct hub_conn *c)
{
	if (c->in_connect_q)
		TAILQ_REMOVE(&c->hub->connect_q, c, ct_link);
	c->in_connect_q = 0;
}

static void
hb_ping_due(struct hub_conn *c, int64_t now)
{
	hb_unlink(c);
	c->hb = HB_PING_DUE;
	c->hb_deadline = now + c->hub->cfg.ping_interval_ms;
	TAILQ_INSERT_TAIL(&c->hub->ping_q, c, hb_link);
}

/* Output ----------------------------------------------------------------- */

static void conn_close(struct hub_conn *c, uint16_t status, const char *why);

/* Queues 'f' on the connection; a full backlog drops the client. */
static int
conn_queue(struct hub_conn *c, struct frame *f)
{
	struct hub *hub = c->hub;
	int was_empty = c->q.count == 0, rc;
	/* Frames left from an earlier round: the client reads slower than
	 * its rooms are fed, and gets only their newest (--conflate). */
	int behind = !was_empty && !c->in_flush_q;

	if (c->state != CONN_OPEN)
		return -1;
	if ((rc = (behind ? outq_push_latest : outq_push)(&c->q, f,
	         hub->cfg.max_backlog, hub->cfg.max_backlog_frames)) == -1) {
		if (errno == ENOBUFS) {
			hub->stats.dropped_slow++;
			hub_log(hub, HUB_LOG_WARN,
			    "drop sid=%s: backlog of %zu "
			    "bytes in %u messages is full",
			    c->sid, c->q.bytes, c->q.count);
		} else {
			hub_log(hub, HUB_LOG_ERR, "drop sid=%s: out of memory",
			    c->sid);
		}
		/* Its socket is full, so no close frame would get through. */
		c->state = CONN_CLOSING;
		hb_unlink(c);
		ct_unlink(c);
		if (c->poll != NULL) { /* its next GET gets the close alone */
			outq_drop(&c->q, c->q.count);
			polling_closing(c->poll, 0);
			return -1;
		}
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_REASON_BASE,
		    LWS_TO_KILL_ASYNC);
		return -1;
	}
	if (rc == 1) {
		/* An older one of its room and event was still queued: this
		 * one took its place (--conflate). */
		hub->stats.conflated++;
		return 0;
	}
	hub->stats.messages_out++;
	/* Written at the end of this loop round, with whatever else the
	 * round queues to it (see hub_flush()). */
	if (was_empty && !c->in_flush_q) {
		c->in_flush_q = 1;
		TAILQ_INSERT_TAIL(&hub->flush_q, c, flush_link);
	}
	return 0;
}

static int
conn_queue_text(struct hub_conn *c, const char *text, size_t len)
{
	struct frame *f = text_frame(text, len);
	int rc;

	if (f == NULL)
		return -1;
	rc = conn_queue(c, f);
	frame_unref(f);
	return rc;
}

/* Sends a Socket.IO packet to one connection. */
static int
conn_queue_packet(struct hub_conn *c, enum sio_type type, const char *nsp,
    size_t nsp_len, const char *json, size_t json_len)
{
	struct sio_header h = {
		.type = type,
		.nsp = nsp,
		.nsp_len = nsp_len,
		.ack_id = SIO_NO_ACK,
		.attachments = 0,
	};
	struct frame *f = hub_frame(&h, json, json_len, NULL, 0);
	int rc;

	if (f == NULL)
		return -1;
	rc = conn_queue(c, f);
	frame_unref(f);
	return rc;
}

/*
 * A session on polling closes: its next GET takes what is queued
 * ('flush') and a close packet (polling.c), and a WebSocket that probes
 * it goes.
 */
static void
conn_close_polling(struct hub_conn *c, int flush)
{
	struct hub_conn *probe = polling_probe(c->poll);

	polling_closing(c->poll, flush);
	if (probe != NULL)
		conn_close(probe, LWS_CLOSE_STATUS_GOINGAWAY,
		    "session closed");
}

/*
 * Closes a connection gracefully: what is queued goes out first when
 * 'flush' is set, then a close frame.  A backstop timeout kills it if the
 * peer stops reading.
 */
static void
conn_close_flush(struct hub_conn *c, uint16_t status, const char *why,
    int flush)
{
	if (c->state != CONN_OPEN)
		return;
	hub_log(c->hub, HUB_LOG_DEBUG, "close sid=%s: %s", c->sid, why);
	c->state = CONN_CLOSING;
	c->close_status = status;
	if (!flush)
		outq_drop(&c->q, c->q.count);
	hb_unlink(c);
	ct_unlink(c);
	if (c->poll != NULL) {
		conn_close_polling(c, flush);
		return;
	}
	lws_callback_on_writable(c->wsi);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_REASON_BASE, 2);
}

static void
conn_close(struct hub_conn *c, uint16_t status, const char *why)
{
	conn_close_flush(c, status, why, 0);
}

/* Unfinished messages -------------------------------------------------- */

/*
 * Records what 'c' now holds for messages that are not whole yet: the
 * message being reassembled and a binary packet whose attachments are
 * due.  A connection that starts to hold some joins the end of
 * unfinished_q, with its deadline; one that holds none leaves it.
 */
static void
conn_hold(struct hub_conn *c, size_t held)
{
	struct hub *hub = c->hub;

	hub->unfinished_bytes = hub->unfinished_bytes - c->held + held;
	/* At most a message and a packet's attachments, each at most
	 * max_payload (1 GiB): it fits. */
	c->held = (uint32_t)held;
	if (held > 0 && !c->in_uf_q) {
		c->in_uf_q = 1;
		c->uf_deadline = hub->cfg.message_timeout_ms != 0 ?
		    mono_ms() + hub->cfg.message_timeout_ms :
		    INT64_MAX;
		TAILQ_INSERT_TAIL(&hub->unfinished_q, c, uf_link);
		schedule(hub);
	} else if (held == 0 && c->in_uf_q) {
		c->in_uf_q = 0;
		TAILQ_REMOVE(&hub->unfinished_q, c, uf_link);
	}
}

/*
 * Drops what 'c' holds of unfinished messages, at once, and closes it
 * with 'status'.
 */
static void
conn_drop_unfinished(struct hub_conn *c, uint16_t status, const char *why)
{
	wsmsg_release(&c->rx);
	siorx_release(&c->siorx);
	conn_hold(c, 0);
	conn_close(c, status, why);
}

/*
 * Keeps the bytes held in unfinished messages within max_unfinished after
 * 'c' took more: the oldest holders are dropped first (a client that sends
 * slowly, or never finishes, rather than the ones whose messages are
 * arriving now), 'c' itself last.  Returns -1 when 'c' was dropped.
 */
static int
unfinished_bound(struct hub *hub, struct hub_conn *c)
{
	struct hub_conn *old;
	size_t budget = hub->cfg.max_unfinished;

	if (budget == 0)
		return 0;
	while (hub->unfinished_bytes > budget) {
		old = TAILQ_FIRST(&hub->unfinished_q);
		if (old == c)
			old = TAILQ_NEXT(c, uf_link);
		if (old == NULL)
			old = c;
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: unfinished messages hold over %zu bytes; "
		    "dropped the oldest, %zu bytes in",
		    old->sid, budget, (size_t)old->held);
		hub->stats.dropped_unfinished++;
		conn_drop_unfinished(old, HUB_CLOSE_TRY_AGAIN_LATER,
		    "unfinished messages over budget");
		if (old == c)
			return -1;
	}
	return 0;
}

static void
timer_fired(lws_sorted_usec_list_t *sul)
{
	struct hub *hub = lws_container_of(sul, struct hub, sul);
	int64_t now = mono_ms();
	struct hub_conn *c;

	hub->sul_at = 0;
	retain_expire(&hub->retain, now);
	while ((c = TAILQ_FIRST(&hub->connect_q)) != NULL &&
	    c->ct_deadline <= now) {
		ct_unlink(c);
		if (LIST_EMPTY(&c->socks)) {
			hub_log(hub, HUB_LOG_INFO,
			    "close sid=%s: no CONNECT "
			    "within %u ms",
			    c->sid, hub->cfg.connect_timeout_ms);
			conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
			    "connect timeout");
		}
	}
	while (
	    (c = TAILQ_FIRST(&hub->pong_q)) != NULL && c->hb_deadline <= now) {
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: no pong within %u ms", c->sid,
		    hub->cfg.ping_timeout_ms);
		conn_close(c, LWS_CLOSE_STATUS_GOINGAWAY, "ping timeout");
	}
	while ((c = TAILQ_FIRST(&hub->unfinished_q)) != NULL &&
	    c->uf_deadline <= now) {
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: message not whole within %u ms "
		    "(%zu bytes in)",
		    c->sid, hub->cfg.message_timeout_ms, (size_t)c->held);
		hub->stats.message_timeouts++;
		conn_drop_unfinished(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    "message timeout");
	}
	while (
	    (c = TAILQ_FIRST(&hub->ping_q)) != NULL && c->hb_deadline <= now) {
		hb_unlink(c);
		c->hb = HB_PONG_WAIT;
		/* A client on polling sees the ping only with its next GET;
		 * as in engine.io, its pong is due from when the ping was. */
		c->hb_deadline = (c->poll != NULL ? c->hb_deadline : now) +
		    hub->cfg.ping_timeout_ms;
		TAILQ_INSERT_TAIL(&hub->pong_q, c, hb_link);
		conn_queue(c, hub->ping_frame);
	}
	acks_expire(&hub->acks, now);
	if (recovering(hub))
		recovery_expire(&hub->recovery, now);
	schedule(hub);
}

/* Sockets ---------------------------------------------------------------- */

static struct room_sock *
conn_sock(const struct hub_conn *c, const char *nsp, size_t len)
{
	struct room_sock *s;

	LIST_FOREACH(s, &c->socks, owner_link)
		if (s->nsp->name_len == len &&
		    memcmp(s->nsp->name, nsp, len) == 0)
			return s;
	return NULL;
}

static void
sock_free(struct hub *hub, struct room_sock *s, const char *reason)
{
	struct hub_conn *c = s->owner;

	if (hub->app.on_disconnect)
		hub->app.on_disconnect(hub, s, reason);
	hub_log(hub, HUB_LOG_INFO, "disconnect sid=%s socket=%s ns=%s: %s",
	    c->sid, s->id, s->nsp->name, reason);
	acks_forget(&hub->acks, &c->acks, s);
	LIST_REMOVE(s, owner_link);
	room_sock_free(&hub->reg, s);
}

/*
 * Keeps the session of socket 's', whose connection was lost, for its
 * client to recover (recovery.h): its id, namespace and rooms, and what
 * the application keeps, when it is in a room.  When memory runs out, nothing is kept: the
 * client starts afresh, as after the window.
 */
static void
sock_keep(struct hub *hub, struct room_sock *s)
{
	struct hub_conn *c = s->owner;
	struct room_name *rooms = NULL;
	struct room_member *m;
	size_t n = 0;
	jv app;

	/* Unlike socket.io, not a socket in no room: it would get back no
	 * more than events to its id, and producers that emit and go
	 * (georoom-cli chat, scripts) would fill the sessions, crowding out
	 * those of clients that follow rooms. */
	if (s->nrooms == 0)
		return;
	app = hub->app.keep != NULL ? hub->app.keep(hub, s) : jv_null();
	if ((rooms = calloc(s->nrooms, sizeof(*rooms))) == NULL) {
		jv_free(app);
		goto nomem;
	}
	TAILQ_FOREACH(m, &s->rooms, sock_link) {
		rooms[n].s = m->key.room->name;
		rooms[n].len = m->key.room->name_len;
		n++;
	}
	if (recovery_keep(&hub->recovery, mono_ms(), s->id, s->nsp,
	        c->rec_start, rooms, n, app) == -1) {
		free(rooms);
		goto nomem;
	}
	free(rooms);
	hub_log(hub, HUB_LOG_DEBUG,
	    "keep socket=%s ns=%s: %zu rooms for %u ms", s->id, s->nsp->name,
	    n, hub->cfg.recovery.window_ms);
	return;
nomem:
	hub_log(hub, HUB_LOG_ERR,
	    "cannot keep the session of socket=%s: out of memory", s->id);
}

/* Client addresses ------------------------------------------------------ */

/* Whether the hub counts connections per client address: for
 * --max-per-ip, and to know clients behind a trusted proxy. */
static int
tracks_peers(const struct hub *hub)
{
	return hub->cfg.max_per_ip != 0 || hub->cfg.ntrusted != 0;
}

/*
 * The client address a connection is counted under, or NULL.  The mark on
 * a connection counted since accept is &hub->accepted, or that address's
 * entry when the hub tracks addresses (see hub_callback()).
 */
static struct peer *
wsi_peer(const struct hub *hub, struct lws *wsi)
{
	void *mark = lws_get_opaque_user_data(wsi);

	return mark != &hub->accepted ? mark : NULL;
}

/* The address of the TCP peer of 'fd': 0, or -1 when it has none. */
static int
fd_peer(int fd, struct cidr_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	return cidr_addr_from_sockaddr((struct sockaddr *)&ss, len, a);
}

/*
 * The client's address as text, for the log: the one it is counted under
 * ("client via=proxy" when a trusted proxy named it), else the TCP peer.
 */
static const char *
peer_text(const struct hub *hub, struct lws *wsi, char *buf, size_t len)
{
	struct peer *p = wsi_peer(hub, wsi);
	char client[CIDR_ADDR_STRLEN], via[CIDR_ADDR_STRLEN];
	struct cidr_addr tcp;

	if (p == NULL) {
		lws_get_peer_simple(wsi, buf, len);
		return buf;
	}
	cidr_addr_format(&p->addr, client, sizeof(client));
	if (fd_peer(lws_get_socket_fd(wsi), &tcp) == 0 &&
	    !cidr_addr_equal(&tcp, &p->addr))
		snprintf(buf, len, "%s via=%s", client,
		    cidr_addr_format(&tcp, via, sizeof(via)));
	else
		snprintf(buf, len, "%s", client);
	return buf;
}

/* The client of session 'c', as peer_text() writes it; a session on
 * polling has no connection of its own, and keeps its handshake's. */
static const char *
conn_peer(struct hub_conn *c, char *buf, size_t len)
{
	if (c->poll != NULL)
		return polling_peer(c->poll);
	return peer_text(c->hub, c->wsi, buf, len);
}

/*
 * The client of a refused connection, for its line: the address it is
 * counted under, or, from a trusted proxy, the one the X-Forwarded-For of
 * its request names ('headers': it has been read), else the TCP peer;
 * *via is the proxy's address then, else none (len 0).
 */
static void
refused_client(const struct hub *hub, struct lws *wsi, int headers,
    struct cidr_addr *client, struct cidr_addr *via)
{
	struct peer *p = wsi_peer(hub, wsi);
	char xff[4096];
	int n;

	memset(client, 0, sizeof(*client));
	memset(via, 0, sizeof(*via));
	if (fd_peer(lws_get_socket_fd(wsi), via) == -1) {
		if (p != NULL)
			*client = p->addr;
		return;
	}
	if (p != NULL)
		*client = p->addr;
	else if (headers &&
	    cidr_match_any(hub->cfg.trusted, hub->cfg.ntrusted, via)) {
		n = lws_hdr_copy(wsi, xff, sizeof(xff),
		    WSI_TOKEN_X_FORWARDED_FOR);
		xff_client(xff, n > 0 ? (size_t)n : 0, via, hub->cfg.trusted,
		    hub->cfg.ntrusted, client);
	} else
		*client = *via;
	if (cidr_addr_equal(client, via))
		via->len = 0;
}

/*
 * Whether a refusal of 'client' gets its log line now: at most one per
 * address per HUB_REFUSE_LOG_MS (refuselog.h).  When it does, 'peer' is
 * "client[ via=proxy]" and 'more' what the line adds about the refusals
 * not written.
 */
static int
refusal_logged(struct hub *hub, const struct cidr_addr *client,
    const struct cidr_addr *via, char *peer, size_t peerlen, char *more,
    size_t morelen)
{
	char a[CIDR_ADDR_STRLEN], b[CIDR_ADDR_STRLEN];
	uint64_t sup, unl;
	int n = 0;

	if (hub->cfg.log_level < HUB_LOG_INFO ||
	    !refuselog_note(&hub->refuselog, client, mono_ms(), &sup, &unl))
		return 0;
	snprintf(peer, peerlen, "%s%s%s",
	    client->len ? cidr_addr_format(client, a, sizeof(a)) : "?",
	    via->len ? " via=" : "",
	    via->len ? cidr_addr_format(via, b, sizeof(b)) : "");
	more[0] = '\0';
	if (sup > 0)
		n = snprintf(more, morelen,
		    " (and %llu more since its last line)",
		    (unsigned long long)sup);
	if (unl > 0 && n >= 0 && (size_t)n < morelen)
		snprintf(more + n, morelen - (size_t)n,
		    " (%llu refusals of other addresses not logged)",
		    (unsigned long long)unl);
	return 1;
}

/*
 * Counts a handshake refused for 'reason' with HTTP 'status' (0: closed
 * without an answer) and logs it, once per client address per interval.
 */
static void
note_refused(struct hub *hub, enum refuse_reason reason, unsigned status,
    const struct cidr_addr *client, const struct cidr_addr *via)
{
	char peer[2 * CIDR_ADDR_STRLEN + 8], more[160];

	hub->stats.refused++;
	hub->stats.refused_by[reason]++;
	if (refusal_logged(hub, client, via, peer, sizeof(peer), more,
	        sizeof(more)))
		hub_log(hub, HUB_LOG_INFO, "refuse peer=%s: %s (%u)%s", peer,
		    refuse_reason_name(reason), status, more);
}

/* The same for the connection of 'wsi'. */
static void
note_refused_wsi(struct hub *hub, struct lws *wsi, int headers,
    enum refuse_reason reason, unsigned status)
{
	struct cidr_addr client, via;

	refused_client(hub, wsi, headers, &client, &via);
	note_refused(hub, reason, status, &client, &via);
}

/* Rate limits ------------------------------------------------------------ */

/*
 * Disconnects a client that stayed over --rate-limit: each socket is sent
 * a DISCONNECT, as by the control socket's disconnect (socket.io-client
 * then does not reconnect by itself), and the connection closes with
 * 1008 after what is queued.
 */
static void
conn_drop_rate_abuser(struct hub_conn *c)
{
	struct room_sock *s;

	while ((s = LIST_FIRST(&c->socks)) != NULL) {
		conn_queue_packet(c, SIO_DISCONNECT, s->nsp->name,
		    s->nsp->name_len, "", 0);
		sock_free(c->hub, s, "rate limited");
	}
	conn_close_flush(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "rate limited",
	    1);
}

/*
 * Takes an event of 'c' from its bucket (--rate-limit).  Returns 1 when
 * it may go on; 0 when it is dropped: answered with an error ack when it
 * asked for one, and its client disconnected when it has been over the
 * limit for the grace period.
 */
static int
conn_rate_ok(struct hub_conn *c, struct room_sock *s,
    const struct sio_packet *pkt)
{
	struct hub *hub = c->hub;
	struct sio_header h = {
		.type = SIO_ACK,
		.ack_id = pkt->h.ack_id,
	};
	struct frame *f;
	char peer[128];

	switch (ratelimit_take(&c->rl, &hub->cfg.rate, mono_ms())) {
	case RATELIMIT_PASS:
		return 1;
	case RATELIMIT_DROP:
		hub->stats.events_rate_limited++;
		if (pkt->h.ack_id == SIO_NO_ACK)
			return 0;
		h.nsp = s->nsp->name;
		h.nsp_len = s->nsp->name_len;
		if ((f = hub_frame(&h, hub->rate_error,
		         strlen(hub->rate_error), NULL, 0)) != NULL)
			conn_queue(c, f);
		frame_unref(f);
		return 0;
	case RATELIMIT_ABUSE:
		break;
	}
	hub->stats.events_rate_limited++;
	hub->stats.dropped_rate_limited++;
	hub_log(hub, HUB_LOG_WARN,
	    "drop sid=%s peer=%s: over --rate-limit of %u events a second "
	    "for %u ms, %llu events dropped",
	    c->sid, conn_peer(c, peer, sizeof(peer)), hub->cfg.rate.rate,
	    hub->cfg.rate.grace_ms, (unsigned long long)c->rl.dropped);
	conn_drop_rate_abuser(c);
	return 0;
}

/* Sockets (continued) ---------------------------------------------------- */

/*
 * Asks the application whether new socket 's' may connect; when it may
 * not, frees it and answers CONNECT_ERROR with the application's reason,
 * leaving the session open as for a namespace refused.
 */
static int
admitted(struct hub_conn *c, struct room_sock *s, const struct sio_packet *pkt)
{
	struct hub *hub = c->hub;
	jv refusal = jv_invalid(), msg, text;
	char peer[128];

	if (hub->app.admit(hub, s, pkt->data, c->bearer, &refusal) == 0) {
		jv_free(refusal);
		return 1;
	}
	if (jv_get_kind(refusal) != JV_KIND_OBJECT) {
		jv_free(refusal);
		refusal = jv_object_set(jv_object(), jv_string("message"),
		    jv_string("refused"));
	}
	hub->stats.refused_connect++;
	msg = jv_object_get(jv_copy(refusal), jv_string("message"));
	/* Each one, unlike refused handshakes: the session is open, and an
	 * application's refusal is rare and worth its line. */
	hub_log(hub, HUB_LOG_INFO, "refuse sid=%s peer=%s ns=%s: %s", c->sid,
	    peer_text(hub, c->wsi, peer, sizeof(peer)), s->nsp->name,
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
	                                         "refused");
	jv_free(msg);
	room_sock_free(&hub->reg, s);
	text = jv_dump_string(refusal, 0);
	conn_queue_packet(c, SIO_CONNECT_ERROR, pkt->h.nsp, pkt->h.nsp_len,
	    jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)));
	jv_free(text);
	return 0;
}

/* Connection state recovery ------------------------------------------- */

static const char *const recovery_why[] = {
	[RECOVERY_UNKNOWN] = "no session kept under this pid",
	[RECOVERY_EXPIRED] = "kept longer than --recovery-window",
	[RECOVERY_NAMESPACE] = "the session is another namespace's",
	[RECOVERY_BAD_OFFSET] = "an offset this hub never gave",
	[RECOVERY_GAP] = "events it may have missed were dropped "
	                 "(--recovery-buffer)",
};

/*
 * The session a CONNECT asks back: 'auth' (borrowed) with "pid" and, once
 * the client saw an event, "offset", as socket.io-client sends them.
 * NULL when it asks for none, or when that session cannot be restored
 * (logged): the socket then starts afresh, as socket.io's does.
 */
static struct recovery_session *
recovery_claim(struct hub_conn *c, struct room_nsp *nsp, jv auth)
{
	struct hub *hub = c->hub;
	struct recovery_session *rs;
	enum recovery_fail why;
	const char *offset = NULL;
	size_t offlen = 0;
	jv pid, off;

	if (jv_get_kind(auth) != JV_KIND_OBJECT)
		return NULL;
	pid = jv_object_get(jv_copy(auth), jv_string("pid"));
	if (jv_get_kind(pid) != JV_KIND_STRING) {
		jv_free(pid);
		return NULL;
	}
	off = jv_object_get(jv_copy(auth), jv_string("offset"));
	if (jv_get_kind(off) == JV_KIND_STRING) {
		offset = jv_string_value(off);
		offlen = (size_t)jv_string_length_bytes(jv_copy(off));
	} else if (jv_is_valid(off) && jv_get_kind(off) != JV_KIND_NULL) {
		offset = ""; /* not an offset: refused as one never given */
	}
	rs = recovery_take(&hub->recovery, mono_ms(), jv_string_value(pid),
	    (size_t)jv_string_length_bytes(jv_copy(pid)), nsp, offset, offlen,
	    &why);
	jv_free(pid);
	jv_free(off);
	if (rs == NULL)
		hub_log(hub, HUB_LOG_INFO,
		    "recovery sid=%s ns=%s: a fresh session: %s", c->sid,
		    nsp->name, recovery_why[why]);
	return rs;
}

/* A session taken back but not restored after all: the client starts
 * afresh, and is counted so. */
static void
recovery_unclaim(struct hub *hub, struct recovery_session *rs)
{
	if (rs == NULL)
		return;
	hub->recovery.stats.recovered--;
	hub->recovery.stats.failed++;
	recovery_session_free(&hub->recovery, rs);
}

static int
replay_one(struct frame *f, void *arg)
{
	return conn_queue(arg, f);
}

/*
 * Gives socket 's', just connected with the id of session 'rs' (taken),
 * that session back: its rooms (those the application still allows), what
 * the application kept, then the events it missed, in order.  Returns how
 * many were sent.
 */
static size_t
recovery_restore(struct hub_conn *c, struct room_sock *s,
    struct recovery_session *rs)
{
	struct hub *hub = c->hub;
	size_t i, n;

	for (i = 0; i < rs->nrooms; i++) {
		if (hub->app.may_rejoin != NULL &&
		    !hub->app.may_rejoin(hub, s, rs->rooms[i].s,
		        rs->rooms[i].len))
			continue;
		(void)hub_join(hub, s, rs->rooms[i].s, rs->rooms[i].len);
	}
	if (hub->app.restore != NULL)
		hub->app.restore(hub, s, jv_copy(rs->app));
	/* Should this connection be lost in turn before the client saw
	 * any of them, they are missed still. */
	if (rs->from < c->rec_start)
		c->rec_start = rs->from;
	n = recovery_missed(&hub->recovery, rs, replay_one, c);
	recovery_session_free(&hub->recovery, rs);
	return n;
}

static int
on_connect_packet(struct hub_conn *c, const struct sio_packet *pkt)
{
	struct hub *hub = c->hub;
	struct recovery_session *rs = NULL;
	struct room_nsp *nsp;
	struct room_sock *s;
	char id[ROOM_SOCK_ID_LEN + 1], json[128];
	char pid[RECOVERY_PID_LEN + 1];
	size_t replayed = 0;
	int n, tries, recovered;

	if (conn_sock(c, pkt->h.nsp, pkt->h.nsp_len) != NULL)
		return -1; /* connecting twice is socket.io's invalid state */
	nsp = room_nsp_find(&hub->reg, pkt->h.nsp, pkt->h.nsp_len);
	if (nsp == NULL) {
		static const char msg[] = "{\"message\":\"Invalid namespace\"}";

		hub_log(hub, HUB_LOG_INFO,
		    "refuse sid=%s: invalid namespace "
		    "%.*s",
		    c->sid, (int)pkt->h.nsp_len, pkt->h.nsp);
		/* A refused namespace leaves the session open, as socket.io
		 * does; a failed queue has already dropped the client. */
		conn_queue_packet(c, SIO_CONNECT_ERROR, pkt->h.nsp,
		    pkt->h.nsp_len, msg, sizeof(msg) - 1);
		return 0;
	}
	s = NULL;
	/* A recovered socket has its old id back, as in socket.io. */
	if (recovering(hub) &&
	    (rs = recovery_claim(c, nsp, pkt->data)) != NULL &&
	    (s = room_sock_add(&hub->reg, nsp, rs->sid, c)) == NULL) {
		recovery_unclaim(hub, rs);
		rs = NULL;
	}
	for (tries = 0; s == NULL && tries < 4; tries++) {
		random_id(hub, id, ROOM_SOCK_ID_LEN);
		s = room_sock_add(&hub->reg, nsp, id, c);
	}
	if (s == NULL) {
		hub_log(hub, HUB_LOG_ERR,
		    "refuse sid=%s: cannot add socket: %s", c->sid,
		    strerror(errno));
		return -1;
	}
	/* Unlike socket.io's default (skipMiddlewares), a recovered socket
	 * shows its token again: a pid is no credential. */
	if (hub->app.admit != NULL && !admitted(c, s, pkt)) {
		recovery_unclaim(hub, rs);
		return 0;
	}
	LIST_INSERT_HEAD(&c->socks, s, owner_link);
	ct_unlink(c);
	if (recovering(hub)) {
		recovery_pid(&hub->recovery, s->id, pid);
		n = snprintf(json, sizeof(json),
		    "{\"sid\":\"%s\",\"pid\":\"%s\"}", s->id, pid);
	} else {
		n = snprintf(json, sizeof(json), "{\"sid\":\"%s\"}", s->id);
	}
	conn_queue_packet(c, SIO_CONNECT, nsp->name, nsp->name_len, json,
	    (size_t)n);
	/* After CONNECT, which clients wait for before they take events. */
	recovered = rs != NULL;
	if (recovered)
		replayed = recovery_restore(c, s, rs);
	/* At the default level this and the "disconnect" line are all a
	 * client writes to the log, so this one names the peer too. */
	if (hub->cfg.log_level >= HUB_LOG_INFO) {
		char peer[128];

		const char *who = conn_peer(c, peer, sizeof(peer));

		if (recovered)
			hub_log(hub, HUB_LOG_INFO,
			    "connect sid=%s socket=%s ns=%s peer=%s: "
			    "recovered, %zu missed events sent",
			    c->sid, s->id, nsp->name, who, replayed);
		else
			hub_log(hub, HUB_LOG_INFO,
			    "connect sid=%s socket=%s ns=%s "
			    "peer=%s",
			    c->sid, s->id, nsp->name, who);
	}
	if (hub->app.on_connect)
		hub->app.on_connect(hub, s, jv_copy(pkt->data));
	return 0;
}

/* Hands a decoded event to the application. */
static void
dispatch_event(struct hub_conn *c, struct room_sock *s,
    const struct sio_packet *pkt, const struct iovec *att, unsigned natt)
{
	struct hub *hub = c->hub;

	if (hub->cfg.rate.rate != 0 && !conn_rate_ok(c, s, pkt))
		return;
	if (hub->app.on_event)
		hub->app.on_event(hub, s, pkt, att, natt);
}

/*
 * A client acknowledged: the owner of the ack id gets it, once; an id not
 * awaited from this socket (never asked, answered already, expired) is
 * counted and dropped, as socket.io drops a "bad ack".
 */
static void
on_client_ack(struct hub_conn *c, struct room_sock *s,
    const struct sio_packet *pkt, const struct iovec *att, unsigned natt)
{
	(void)acks_answer(&c->hub->acks, &c->acks, s, pkt->h.ack_id, pkt->json,
	    pkt->json_len, att, natt);
}

/*
 * A packet as it arrives: whole, or the header of a binary one whose
 * attachments are now due.  Returns -1 when the connection must be closed
 * for a protocol error.
 */
static int
on_sio_packet(struct hub_conn *c, const struct sio_packet *pkt)
{
	struct hub *hub = c->hub;
	struct room_sock *s;

	hub->stats.messages_in++;
	s = conn_sock(c, pkt->h.nsp, pkt->h.nsp_len);
	switch (pkt->h.type) {
	case SIO_CONNECT:
		return on_connect_packet(c, pkt);
	case SIO_DISCONNECT:
		if (s != NULL)
			sock_free(hub, s, "client namespace disconnect");
		return 0;
	case SIO_EVENT:
		if (s == NULL) {
			hub_log(hub, HUB_LOG_INFO,
			    "close sid=%s: event for "
			    "unconnected namespace %.*s",
			    c->sid, (int)pkt->h.nsp_len, pkt->h.nsp);
			return -1;
		}
		dispatch_event(c, s, pkt, NULL, 0);
		return 0;
	case SIO_BINARY_EVENT:
	case SIO_BINARY_ACK:
		if (s == NULL)
			return -1;
		if (pkt->h.attachments == 0 && pkt->h.type == SIO_BINARY_EVENT)
			dispatch_event(c, s, pkt, NULL, 0);
		else if (pkt->h.attachments == 0)
			on_client_ack(c, s, pkt, NULL, 0);
		return 0;
	case SIO_ACK:
		/* As socket.io: for a namespace not connected, nothing. */
		if (s != NULL)
			on_client_ack(c, s, pkt, NULL, 0);
		return 0;
	case SIO_CONNECT_ERROR:
		return -1; /* only servers send it */
	}
	return 0;
}

/* A binary packet with its attachments in. */
static void
on_binary_packet(struct hub_conn *c, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	struct room_sock *s = conn_sock(c, pkt->h.nsp, pkt->h.nsp_len);

	if (s == NULL)
		return;
	if (pkt->h.type == SIO_BINARY_ACK)
		on_client_ack(c, s, pkt, att, natt);
	else
		dispatch_event(c, s, pkt, att, natt);
}

static int probe_upgrade(struct hub_conn *p);

/* Clients ping only to probe an upgrade.  -1: close the connection. */
static int
on_eio(struct hub_conn *c, enum eio_type type, const char *payload,
    size_t plen)
{
	char pong[64];

	switch (type) {
	case EIO_PONG:
		if (c->hb == HB_PONG_WAIT) {
			hb_ping_due(c, mono_ms());
			schedule(c->hub);
		}
		return 0;
	case EIO_PING: /* answer in kind */
		if (plen > sizeof(pong) - 1)
			return -1;
		pong[0] = '3';
		memcpy(pong + 1, payload, plen);
		conn_queue_text(c, pong, plen + 1);
		if (c->role == CONN_PROBE && c->up != NULL && plen == 5 &&
		    memcmp(payload, "probe", 5) == 0)
			polling_probing(c->up->poll);
		return 0;
	case EIO_CLOSE:
		if (c->poll != NULL) { /* as engine.io: at once */
			conn_close(c, LWS_CLOSE_STATUS_NORMAL, "client close");
			polling_client_closed(c->poll);
			return 0;
		}
		conn_close_flush(c, LWS_CLOSE_STATUS_NORMAL, "client close",
		    1);
		return 0;
	case EIO_UPGRADE:
		if (c->role == CONN_PROBE)
			return probe_upgrade(c);
		return 0;
	case EIO_NOOP:
		return 0;
	case EIO_OPEN:
	case EIO_MESSAGE:
		break;
	}
	return -1;
}

/* Logs why a message broke the protocol; returns on_message()'s code. */
static int
on_rx_error(struct hub_conn *c, enum siorx_kind k, const char *err)
{
	struct hub *hub = c->hub;

	switch (k) {
	case SIORX_ERR_NOT_EIO:
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: bad Engine.IO packet", c->sid);
		break;
	case SIORX_ERR_SIO:
		hub_log(hub, HUB_LOG_INFO, "close sid=%s: bad packet: %s",
		    c->sid, err);
		break;
	case SIORX_ERR_TEXT_DUE:
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: text frame while "
		    "attachments were due",
		    c->sid);
		break;
	case SIORX_ERR_UNANNOUNCED:
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: binary frame "
		    "without a packet announcing it",
		    c->sid);
		break;
	case SIORX_ERR_TOO_BIG:
		hub_log(hub, HUB_LOG_INFO,
		    "close sid=%s: attachments "
		    "exceed %llu bytes",
		    c->sid, (unsigned long long)hub->cfg.max_payload);
		return -2;
	default:
		break;
	}
	return -1;
}

/*
 * Returns -1 when the connection must be closed for a protocol error, -2
 * when for a message too big.
 */
static int
on_message(struct hub_conn *c, const unsigned char *data, size_t len,
    int binary)
{
	struct siorx_msg m;
	enum siorx_kind k;
	char err[128];
	int rc = 0;

	k = siorx_feed(&c->siorx, data, len, binary, c->hub->cfg.max_payload,
	    &m, err, sizeof(err));
	/* A probe carries nothing but its probe and the upgrade, as in
	 * engine.io, which closes it for anything else. */
	if (c->role == CONN_PROBE && k != SIORX_EIO) {
		sio_packet_release(&m.pkt);
		return -1;
	}
	switch (k) {
	case SIORX_EIO:
		return on_eio(c, m.eio, m.payload, m.payload_len);
	case SIORX_BEGIN:
		rc = on_sio_packet(c, &m.pkt);
		break;
	case SIORX_PACKET:
		if (m.natt > 0)
			on_binary_packet(c, &m.pkt, m.att, m.natt);
		else
			rc = on_sio_packet(c, &m.pkt);
		break;
	case SIORX_MORE:
		break;
	default:
		return on_rx_error(c, k, err);
	}
	sio_packet_release(&m.pkt);
	return rc;
}

/* Connection life ------------------------------------------------------- */

/*
 * The token of the upgrade request's "Authorization: Bearer <token>"
 * header (RFC 6750, section 2.1), copied; NULL when there is none (or
 * no memory for it: the socket then connects as without one).
 */
static char *
bearer_token(struct lws *wsi)
{
	int len = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	char *h, *p, *end;

	if (len <= 0 || (h = malloc((size_t)len + 1)) == NULL)
		return NULL;
	if (lws_hdr_copy(wsi, h, len + 1, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0 ||
	    strncasecmp(h, "Bearer ", 7) != 0) {
		free(h);
		return NULL;
	}
	for (p = h + 7; *p == ' '; p++)
		;
	for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
		;
	*end = '\0';
	memmove(h, p, (size_t)(end - p) + 1);
	return h;
}

static int
conn_open(struct hub *hub, struct hub_conn *c, struct lws *wsi,
    unsigned upgrades)
{
	struct eio_open open;
	char text[256], peer[128];
	int64_t now = mono_ms();
	int n;

	memset(c, 0, sizeof(*c));
	c->hub = hub;
	c->wsi = wsi;
	c->state = CONN_OPEN;
	LIST_INIT(&c->socks);
	outq_init(&c->q);
	acks_table_init(&c->acks);
	if (hub->cfg.rate.rate != 0)
		ratelimit_init(&c->rl, &hub->cfg.rate, now);
	c->rec_start = hub->recovery.seq;
	random_id(hub, c->sid, 20);
	memset(&open, 0, sizeof(open));
	memcpy(open.sid, c->sid, sizeof(c->sid));
	open.ping_interval_ms = hub->cfg.ping_interval_ms;
	open.ping_timeout_ms = hub->cfg.ping_timeout_ms;
	open.max_payload = hub->cfg.max_payload;
	open.upgrades = upgrades;
	n = eio_encode_open(text, sizeof(text), &open);
	if (n < 0 || conn_queue_text(c, text, (size_t)n) == -1)
		return -1;
	TAILQ_INSERT_TAIL(&hub->all, c, all_link);
	c->in_connect_q = 1;
	c->ct_deadline = now + hub->cfg.connect_timeout_ms;
	TAILQ_INSERT_TAIL(&hub->connect_q, c, ct_link);
	hb_ping_due(c, now);
	schedule(hub);
	hub->stats.connections++;
	hub->stats.connections_total++;
	/* Last, so that a failure above leaves nothing to free: conn_gone()
	 * frees it, but only for a connection that opened. */
	if (hub->app.admit != NULL)
		c->bearer = bearer_token(wsi);
	if (hub->cfg.log_level >= HUB_LOG_DEBUG) { /* a getpeername() */
		peer_text(hub, wsi, peer, sizeof(peer));
		hub_log(hub, HUB_LOG_DEBUG, "open sid=%s peer=%s", c->sid,
		    peer);
	}
	return 0;
}

static void
conn_gone(struct hub_conn *c)
{
	struct hub *hub = c->hub;

	if (c->wsi == NULL && c->poll == NULL)
		return;
	while (!LIST_EMPTY(&c->socks)) {
		/* As socket.io, every lost connection is recoverable, but
		 * not a shutdown's. */
		if (recovering(hub) && !hub->shutting_down)
			sock_keep(hub, LIST_FIRST(&c->socks));
		sock_free(hub, LIST_FIRST(&c->socks), "transport close");
	}
	hb_unlink(c);
	ct_unlink(c);
	TAILQ_REMOVE(&hub->all, c, all_link);
	if (c->in_flush_q) {
		TAILQ_REMOVE(&hub->flush_q, c, flush_link);
		c->in_flush_q = 0;
	}
	if (c->in_rx_q) {
		TAILQ_REMOVE(&hub->rx_q, c, rx_link);
		c->in_rx_q = 0;
	}
	conn_hold(c, 0);
	outq_release(&c->q);
	siorx_release(&c->siorx);
	wsmsg_release(&c->rx);
	free(c->bearer);
	c->bearer = NULL;
	c->wsi = NULL;
	if (c->poll != NULL)
		hub->stats.polling--;
	c->poll = NULL;
	hub->stats.connections--;
	hub_log(hub, HUB_LOG_DEBUG, "close sid=%s", c->sid);
}

static int
conn_receive(struct hub_conn *c, struct lws *wsi, const unsigned char *in,
    size_t len)
{
	struct hub *hub = c->hub;
	int final = lws_is_final_fragment(wsi), binary, rc;
	const unsigned char *data;
	size_t dlen, have;

	if (c->state != CONN_OPEN)
		return 0;
	if (!c->in_rx_q) {
		c->in_rx_q = 1;
		c->rx_round = 0;
		TAILQ_INSERT_TAIL(&hub->rx_q, c, rx_link);
	}
	/* The bytes lws read, about: at most 14 of frame header each. */
	c->rx_round += len + 14;
	hub->stats.bytes_in += len;
	/* A frame that says it is longer than the limit is refused at its
	 * first bytes, rather than once the rest has been waited for. */
	have = c->rx.b.len + len;
	if (have > hub->cfg.max_payload ||
	    lws_remaining_packet_payload(wsi) > hub->cfg.max_payload - have)
		goto too_big;
	rc = wsmsg_add(&c->rx, in, len, lws_frame_is_binary(wsi), final,
	    hub->cfg.max_payload, &data, &dlen, &binary);
	if (rc == -1) {
		conn_hold(c, siorx_held(&c->siorx));
		if (errno == EMSGSIZE)
			goto too_big;
		return -1;
	}
	if (rc == 0) {
		conn_hold(c, wsmsg_held(&c->rx) + siorx_held(&c->siorx));
		(void)unfinished_bound(hub, c);
		return 0;
	}
	rc = on_message(c, data, dlen, binary);
	wsmsg_done(&c->rx, RX_KEEP);
	/* A binary packet handled is not kept until the next message. */
	if (c->siorx.done)
		siorx_release(&c->siorx);
	conn_hold(c, siorx_held(&c->siorx));
	if (rc == 0 && unfinished_bound(hub, c) == -1)
		return 0;
	if (rc == -2)
		goto too_big_logged;
	if (rc == -1) {
		hub->stats.protocol_errors++;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR,
		    (unsigned char *)"protocol error", 14);
		return -1;
	}
	return 0;
too_big:
	hub_log(hub, HUB_LOG_INFO, "close sid=%s: message over %llu bytes",
	    c->sid, (unsigned long long)hub->cfg.max_payload);
too_big_logged:
	hub->stats.protocol_errors++;
	lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
	    (unsigned char *)"message too big", 15);
	return -1;
}

/*
 * The client sent a close frame with a 'len'-byte payload.  lws 4.1 echoes
 * any payload back; one byte alone is no status code (RFC 6455 5.5.1: a
 * close payload is empty or starts with two bytes of status), so that is
 * a protocol error, answered with 1002 instead of an echo.
 */
static int
conn_peer_close(struct hub_conn *c, struct lws *wsi, size_t len)
{
	/* Any other length lws answers itself: with the same status, or
	 * with 1002 for a status a peer may not send. */
	if (c == NULL || len != 1)
		return 0;
	c->hub->stats.protocol_errors++;
	hub_log(c->hub, HUB_LOG_INFO, "close sid=%s: 1-byte close payload",
	    c->sid);
	lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR,
	    (unsigned char *)"bad close payload", 17);
	return -1;
}

/*
 * A frame came from the client unmasked (rxtap.c stopped lws's reads
 * before it).  RFC 6455 5.1: the server must close the connection, and
 * may say 1002.
 */
static void
conn_unmasked(struct hub_conn *c)
{
	if (c->state != CONN_OPEN)
		return;
	c->hub->stats.protocol_errors++;
	hub_log(c->hub, HUB_LOG_INFO, "close sid=%s: frame not masked",
	    c->sid);
	conn_close(c, LWS_CLOSE_STATUS_PROTOCOL_ERR, "frame not masked");
}

/*
 * A new WebSocket's 101 and its engine.io open packet leave as one
 * segment: lws writes the 101 before ESTABLISHED, and the open packet
 * goes with the round's other output, so the 101 is corked in between
 * (hold_handshake()) and let go once the open packet is written
 * (release_handshake()).  On loopback each segment costs a wakeup and a
 * receive on both sides: 12 % of the hub's time per connection in
 * scripts/bench's idle scenario (tests/prog/ws-segments.py counts them).
 * Failing either call only costs that segment, and the kernel sends
 * corked bytes after 200 ms whatever happens.
 */
static void
hold_handshake(struct lws *wsi)
{
	int one = 1;

	(void)setsockopt(lws_get_socket_fd(wsi), IPPROTO_TCP, TCP_CORK, &one,
	    sizeof(one));
}

static void
release_handshake(struct hub_conn *c)
{
	int zero = 0;

	if (!c->corked)
		return;
	c->corked = 0;
	(void)setsockopt(lws_get_socket_fd(c->wsi), IPPROTO_TCP, TCP_CORK,
	    &zero, sizeof(zero));
}

/* Writes the head of the backlog, gathered into one write. */
static int
conn_send_batch(struct hub_conn *c, struct lws *wsi)
{
	struct hub *hub = c->hub;
	const unsigned char *out;
	uint32_t nframes;
	size_t n;

	n = outq_batch(&c->q, hub->scratch,
	    hub->cfg.coalesce ? hub->scratch_cap : 0, &out, &nframes);
	if (n == 0)
		return 0;
	/* A raw write: the frames are already framed; lws keeps whatever
	 * the kernel does not take and sends it first. */
	if (lws_write(wsi, (unsigned char *)out, n, LWS_WRITE_RAW) < 0)
		return -1;
	release_handshake(c);
	outq_drop(&c->q, nframes);
	hub->stats.bytes_out += n;
	return 0;
}

static int
conn_writable(struct hub_conn *c, struct lws *wsi)
{
	if (c->state == CONN_CLOSING && c->q.count == 0) {
		/* The close frame goes out as one more pre-framed write:
		 * on the libuv loop, lws drops the reason set by
		 * lws_close_reason() when a writable callback asks to
		 * close, and the peer would see 1006. */
		unsigned char cf[LWS_PRE + 4], *p = cf + LWS_PRE;

		p[0] = 0x88; /* FIN, opcode 8: close */
		p[1] = 2;
		p[2] = (unsigned char)(c->close_status >> 8);
		p[3] = (unsigned char)c->close_status;
		(void)lws_write(wsi, p, 4, LWS_WRITE_RAW);
		return -1;
	}
	if (conn_send_batch(c, wsi) == -1)
		return -1;
	if (c->q.count > 0 || c->state == CONN_CLOSING)
		lws_callback_on_writable(wsi);
	return 0;
}

/* HTTP: handshakes refused with socket.io's JSON errors ------------------ */

/*
 * Answers 'status' with the JSON 'body', and says that the connection ends
 * with it: every refusal closes its connection.  0, or -1 when it could
 * not be written.
 */
static int
http_reply(struct lws *wsi, unsigned status, const char *body)
{
	unsigned char hbuf[LWS_PRE + 512], *start = hbuf + LWS_PRE, *p = start;
	unsigned char *end = hbuf + sizeof(hbuf) - 1;
	unsigned char bbuf[LWS_PRE + 256];
	size_t blen = strlen(body);

	if (blen > sizeof(bbuf) - LWS_PRE)
		return -1;
	if (lws_add_http_common_headers(wsi, status, "application/json",
	        (lws_filepos_t)blen, &p, end) ||
	    lws_add_http_header_by_name(wsi,
	        (const unsigned char *)"access-control-allow-origin:",
	        (const unsigned char *)"*", 1, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
	        (const unsigned char *)"close", 5, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	memcpy(bbuf + LWS_PRE, body, blen);
	if (lws_write(wsi, bbuf + LWS_PRE, blen, LWS_WRITE_HTTP_FINAL) !=
	    (int)blen)
		return -1;
	return 0;
}

struct refusal {
	unsigned status;
	const char *body;
	enum refuse_reason reason; /* for the stats and the log */
};

static const struct refusal
    refuse_transport = { 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
	    REFUSE_TRANSPORT },
    refuse_sid = { 400, "{\"code\":1,\"message\":\"Session ID unknown\"}",
	    REFUSE_SID },
    refuse_method = { 400, "{\"code\":2,\"message\":\"Bad handshake method\"}",
	    REFUSE_METHOD },
    refuse_version = { 400,
	    "{\"code\":5,\"message\":\"Unsupported protocol version\"}",
	    REFUSE_VERSION },
    refuse_origin = { 403, "{\"code\":4,\"message\":\"Forbidden\"}",
	    REFUSE_ORIGIN },
    refuse_full = { 503, "{\"code\":3,\"message\":\"Too many connections\"}",
	    REFUSE_MAX_CONNECTIONS },
    refuse_per_ip = { 429,
	    "{\"code\":3,\"message\":\"Too many connections from this "
	    "address\"}",
	    REFUSE_MAX_PER_IP },
    refuse_path = { 404, "{\"code\":3,\"message\":\"Not found\"}",
	    REFUSE_PATH },
    refuse_malformed = { 400, "{\"code\":3,\"message\":\"Bad request\"}",
	    REFUSE_MALFORMED };

static int hub_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len);

/*
 * libwebsockets 4.1 refuses some requests itself, before any callback of
 * the hub's: a request line without a path, or whose path does not start
 * with '/' ("GET  HTTP/1.1", "GET x HTTP/1.1"), an unknown method, a bad
 * %-escape, an Upgrade other than websocket.  It answers them through this
 * function, with status 403 and an HTML page, and no option or callback
 * changes that.  Defined in the program, this function takes the place of
 * lws's own for lws's calls as well (ELF symbol interposition: lws calls
 * it through its PLT, and the dynamic linker binds the call to the first
 * definition, the program's, as it does for a program's own malloc).
 * Such requests thus get engine.io's JSON error like every other refusal,
 * with 400, which Node's HTTP server answers to a malformed request.
 * Returns 1 so that lws ends the connection: after an unknown Upgrade, a
 * success would let lws go on to ask the hub to confirm the upgrade, and a
 * second answer would follow the first.
 */
int
lws_return_http_status(struct lws *wsi, unsigned int code,
    const char *html_body)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);

	(void)html_body;
	if (proto != NULL && proto->callback == hub_callback) {
		struct hub *hub = proto->user;

		note_refused_wsi(hub, wsi, 0, REFUSE_MALFORMED,
		    refuse_malformed.status);
		hub_log(hub, HUB_LOG_DEBUG,
		    "refuse a malformed request (libwebsockets: %u)", code);
	}
	(void)http_reply(wsi, refuse_malformed.status, refuse_malformed.body);
	return 1;
}

static int
path_matches(const struct hub *hub, const char *uri)
{
	size_t plen = strlen(hub->cfg.path), ulen = strlen(uri);

	if (strcmp(uri, hub->cfg.path) == 0)
		return 1;
	/* "/socket.io" and "/socket.io/" name the same endpoint. */
	if (plen > 1 && hub->cfg.path[plen - 1] == '/' && ulen == plen - 1 &&
	    strncmp(uri, hub->cfg.path, ulen) == 0)
		return 1;
	if (plen > 0 && hub->cfg.path[plen - 1] != '/' && ulen == plen + 1 &&
	    uri[ulen - 1] == '/' && strncmp(uri, hub->cfg.path, plen) == 0)
		return 1;
	return 0;
}

/*
 * Copies the value of query argument 'name' into 'buf'.  Returns 0, or -1
 * when absent or too long.  (Written out here because lws 4.1's
 * lws_get_urlarg_by_name() misses arguments on upgrade requests.)
 */
static int
query_arg(struct lws *wsi, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);
	char frag[128];
	int i, n;

	for (i = 0; (n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
	                 WSI_TOKEN_HTTP_URI_ARGS, i)) >= 0;
	     i++) {
		if ((size_t)n > nl && strncmp(frag, name, nl) == 0 &&
		    frag[nl] == '=') {
			if ((size_t)n - nl - 1 >= len)
				return -1;
			memcpy(buf, frag + nl + 1, (size_t)n - nl);
			return 0;
		}
	}
	return -1;
}

/* The URI token of the request's method, GET, POST or OPTIONS (the
 * methods of the polling transport), or -1 for another. */
static int
request_token(struct lws *wsi)
{
	static const int tokens[] = { WSI_TOKEN_GET_URI, WSI_TOKEN_POST_URI,
		WSI_TOKEN_OPTIONS_URI };
	size_t i;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (lws_hdr_total_length(wsi, tokens[i]) > 0)
			return tokens[i];
	return -1;
}

/* Whether the transport a request names is served, and fits it: polling
 * by plain HTTP, websocket by an upgrade. */
static int
transport_ok(const struct hub *hub, const char *name, int upgrade)
{
	if (strcmp(name, "websocket") == 0)
		return upgrade &&
		    (hub->cfg.transports & HUB_TRANSPORT_WEBSOCKET);
	if (strcmp(name, "polling") == 0)
		return !upgrade &&
		    (hub->cfg.transports & HUB_TRANSPORT_POLLING);
	return 0;
}

static const struct refusal *check_origin(struct hub *hub, struct lws *wsi);

/*
 * A request with a sid, of a session on polling: its origin must be
 * allowed as the handshake's was.  polling.c answers a request of a
 * session it does not know; an upgrade for a session that may not
 * upgrade now opens and is closed at once (probe_open()), as engine.io
 * closes one for a session that upgraded already.
 */
static const struct refusal *
check_sid(struct hub *hub, struct lws *wsi, const char *sid, int upgrade)
{
	const struct refusal *r = check_origin(hub, wsi);

	(void)sid;
	(void)upgrade;
	if (r != NULL)
		return r;
	return hub->polling == NULL ? &refuse_sid : NULL;
}

/*
 * Checks a handshake request in engine.io's order: path, transport, sid,
 * method, protocol version, origin, capacity.  Returns NULL when it may
 * proceed: an upgrade to a WebSocket, a polling request of a session, or a
 * polling handshake (or its CORS preflight).
 */
static const struct refusal *
check_handshake(struct hub *hub, struct lws *wsi, int upgrade)
{
	char uri[512], arg[64];
	int tok = upgrade ? WSI_TOKEN_GET_URI : request_token(wsi);

	if (tok == -1 || lws_hdr_copy(wsi, uri, sizeof(uri), tok) <= 0)
		return upgrade ? &refuse_path : &refuse_method;
	if (!path_matches(hub, uri))
		return &refuse_path;
	if (query_arg(wsi, "transport", arg, sizeof(arg)) == -1 ||
	    !transport_ok(hub, arg, upgrade))
		return &refuse_transport;
	if (query_arg(wsi, "sid", arg, sizeof(arg)) == 0)
		return check_sid(hub, wsi, arg, upgrade);
	/* A handshake is a GET (or the preflight of one). */
	if (tok == WSI_TOKEN_POST_URI)
		return &refuse_method;
	if (query_arg(wsi, "EIO", arg, sizeof(arg)) == -1 ||
	    strcmp(arg, "4") != 0)
		return &refuse_version;
	if (check_origin(hub, wsi) != NULL)
		return &refuse_origin;
	/* This connection is counted already: it was accepted.  Sessions
	 * on polling hold no connection between their requests. */
	if (hub->cfg.max_connections != 0 &&
	    (hub->accepted > hub->cfg.max_connections ||
	        hub->stats.connections >= hub->cfg.max_connections))
		return &refuse_full;
	return NULL;
}

/* Whether the request's origin is allowed: NULL, or the refusal. */
static const struct refusal *
check_origin(struct hub *hub, struct lws *wsi)
{
	size_t i;

	if (hub->cfg.origins != NULL &&
	    lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) > 0) {
		char origin[512];

		/* An Origin too long to read is no allowed origin. */
		if (lws_hdr_copy(wsi, origin, sizeof(origin),
		        WSI_TOKEN_ORIGIN) <= 0)
			return &refuse_origin;
		for (i = 0; i < hub->cfg.norigins; i++)
			if (strcmp(origin, hub->cfg.origins[i]) == 0)
				break;
		if (i == hub->cfg.norigins)
			return &refuse_origin;
	}
	return NULL;
}

/*
 * A connection from a trusted proxy (--trust-proxy), which on_accept() did
 * not count against its address: the client is the one its request's
 * X-Forwarded-For names (xff.h), counted from here as if it had connected
 * itself.  Returns the refusal when that client holds --max-per-ip
 * connections already, else NULL.
 */
static const struct refusal *
check_proxied(struct hub *hub, struct lws *wsi)
{
	char xff[4096];
	struct cidr_addr tcp, client;
	struct peer *p;
	int n;

	if (lws_get_opaque_user_data(wsi) != &hub->accepted ||
	    fd_peer(lws_get_socket_fd(wsi), &tcp) == -1)
		return NULL; /* counted on accept already */
	/* None, or too long to read: the proxy is the client, as in nginx. */
	n = lws_hdr_copy(wsi, xff, sizeof(xff), WSI_TOKEN_X_FORWARDED_FOR);
	xff_client(xff, n > 0 ? (size_t)n : 0, &tcp, hub->cfg.trusted,
	    hub->cfg.ntrusted, &client);
	p = peers_find(&hub->peers, &client);
	if (hub->cfg.max_per_ip != 0 && p != NULL &&
	    p->conns >= hub->cfg.max_per_ip) {
		hub->stats.refused_per_ip++;
		return &refuse_per_ip;
	}
	if ((p = peers_add(&hub->peers, &client)) != NULL)
		lws_set_opaque_user_data(wsi, p);
	return NULL;
}

/*
 * Counts a connection just accepted against its client's address, when
 * the hub tracks them: unless it comes from a trusted proxy, which names
 * the client in its request (check_proxied()).  Returns 0 with
 * hub->pending_peer set (NULL when not counted), 1 when the address holds
 * --max-per-ip connections already, or -1 when memory ran out.
 */
static int
accept_peer(struct hub *hub, int fd)
{
	struct cidr_addr a;
	struct peer *p;

	if (hub->pending_peer != NULL) /* an accept lws did not adopt */
		peers_drop(&hub->peers, hub->pending_peer);
	hub->pending_peer = NULL;
	if (fd_peer(fd, &a) == -1 ||
	    cidr_match_any(hub->cfg.trusted, hub->cfg.ntrusted, &a))
		return 0;
	p = peers_find(&hub->peers, &a);
	if (hub->cfg.max_per_ip != 0 && p != NULL &&
	    p->conns >= hub->cfg.max_per_ip)
		return 1;
	return (hub->pending_peer = peers_add(&hub->peers, &a)) ? 0 : -1;
}

/*
 * Answers a connection refused before lws adopts it with the same JSON 503
 * as a handshake refused for capacity, in one non-blocking write to a
 * fresh socket (whose send buffer is empty), then lets lws close it.
 */
static void
refuse_at_accept(int fd, const struct refusal *r)
{
	char head[160];
	int n;

	n = snprintf(head, sizeof(head),
	    "HTTP/1.1 %u %s\r\n"
	    "content-type: application/json\r\ncontent-length: %zu\r\n"
	    "connection: close\r\n\r\n",
	    r->status,
	    r->status == 429 ? "Too Many Requests" : "Service Unavailable",
	    strlen(r->body));
	if (n > 0 && (size_t)n < sizeof(head)) {
		struct iovec iov[2] = {
			{ head, (size_t)n },
			{ (void *)r->body, strlen(r->body) },
		};
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

		(void)sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
}

/* Sockets closed by lws that still hold a descriptor, lingering. */
static size_t
lingering(const struct hub *hub)
{
	return hub->linger != NULL ? hub->linger->count : 0;
}

/*
 * lws is about to close the socket of 'wsi', having written what it had
 * for it (a close frame, an HTTP answer) and shut down its sending side.
 * Closed now, the socket would answer whatever the peer still sends, even
 * its own close frame, with a reset, and the peer's writes would fail
 * (EPIPE) or what it had not read yet be lost.  A copy of the descriptor
 * keeps the socket open for the linger set, which reads the peer out for
 * a bounded time; lws closes its own copy as usual.  Not when the
 * descriptor budget has no room for it.
 */
static void
conn_linger(struct hub *hub, struct lws *wsi)
{
	int fd, copy;

	if (hub->linger == NULL || (fd = lws_get_socket_fd(wsi)) < 0)
		return;
	if (hub->fd_budget != 0 &&
	    hub->accepted + lingering(hub) >= hub->fd_budget)
		return;
	if ((copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return;
	(void)linger_start(hub->linger, copy);
}

/*
 * A connection was just accepted.  Refuses it at once, before it costs
 * more than its descriptor, when the descriptor budget is spent or when it
 * is far over --max-connections (the first few over it get the same 503
 * from the handshake check, after their request is read), or when its
 * address holds --max-per-ip connections (429).  Logs the condition at
 * most once per interval, with how many were refused.
 */
static int
on_accept(struct hub *hub, int fd)
{
	const struct refusal *r = &refuse_full;
	const char *why = NULL;
	enum refuse_reason reason = REFUSE_MAX_CONNECTIONS;
	struct cidr_addr client, none;
	int64_t now;
	int per_ip = 0;

	if (hub->shutting_down)
		return 1;
	if (hub->fd_budget != 0 &&
	    hub->accepted + lingering(hub) >= hub->fd_budget) {
		why = "the descriptor limit (ulimit -n) is reached";
		reason = REFUSE_FD_LIMIT;
	} else if (hub->cfg.max_connections != 0 &&
	    hub->accepted >= hub->cfg.max_connections + HUB_REFUSE_SLACK)
		why = "--max-connections is reached";
	else if (tracks_peers(hub) && (per_ip = accept_peer(hub, fd)) != 0) {
		why = per_ip == 1 ? "--max-per-ip is reached" :
		                    "out of memory";
		reason = per_ip == 1 ? REFUSE_MAX_PER_IP : REFUSE_MEMORY;
	} else if (!hub->cfg.tls && rxtap_watch(fd) == -1) {
		why = "out of memory";
		reason = REFUSE_MEMORY;
	}
	if (why == NULL) {
		hub->accept_pending = 1;
		return 0;
	}
	if (hub->pending_peer != NULL) {
		peers_drop(&hub->peers, hub->pending_peer);
		hub->pending_peer = NULL;
	}
	if (per_ip == 1) {
		r = &refuse_per_ip;
		hub->stats.refused_per_ip++;
	}
	/* Under TLS a clear-text answer would be garbage to the client:
	 * the connection is closed without one. */
	if (!hub->cfg.tls)
		refuse_at_accept(fd, r);
	memset(&none, 0, sizeof(none));
	if (fd_peer(fd, &client) == -1)
		client = none;
	note_refused(hub, reason, hub->cfg.tls ? 0 : r->status, &client,
	    &none);
	hub->stats.refused_at_accept++;
	hub->refused_unlogged++;
	now = mono_ms();
	if (now >= hub->refuse_logged_at + HUB_REFUSE_LOG_MS) {
		hub_log(hub, HUB_LOG_WARN,
		    "refusing connections: %s (%llu "
		    "open, %llu refused since the last report)",
		    why, (unsigned long long)hub->accepted,
		    (unsigned long long)hub->refused_unlogged);
		hub->refuse_logged_at = now;
		hub->refused_unlogged = 0;
	}
	return 1;
}

void
hub_adopt(struct hub *hub, struct lws_vhost *vh, int fd)
{
	/* The same checks, counting and refusal as lws's own accepts get. */
	if (on_accept(hub, fd) != 0) {
		close(fd);
		return;
	}
	if (lws_adopt_socket_vhost(vh, fd) == NULL &&
	    fcntl(fd, F_GETFD) != -1) {
		/* lws closes it only when it failed after making a wsi. */
		rxtap_forget(fd);
		close(fd);
	}
	hub->accept_pending = 0;
	if (hub->pending_peer != NULL) { /* not adopted: not counted */
		peers_drop(&hub->peers, hub->pending_peer);
		hub->pending_peer = NULL;
	}
}

/* Long-polling and the upgrade ----------------------------------------- */

/*
 * A polling request to a hub that serves WebSocket only: socket.io-client
 * and python-socketio start with polling unless told otherwise, and retry
 * it every few seconds, so the reason is logged once per client address
 * per HUB_REFUSE_LOG_MS, with what fixes it.
 */
static void
log_refused_polling(struct hub *hub, struct lws *wsi)
{
	char arg[16], peer[128];
	struct cidr_addr a;
	uint64_t quiet, others;

	if (hub->polling != NULL ||
	    query_arg(wsi, "transport", arg, sizeof(arg)) == -1 ||
	    strcmp(arg, "polling") != 0)
		return;
	hub->stats.refused_polling++;
	if (hub->cfg.log_level < HUB_LOG_INFO)
		return;
	if (hub_wsi_addr(hub, wsi, &a) == -1)
		a.len = 0;
	if (!refuselog_note(&hub->poll_refusals, &a, mono_ms(), &quiet,
	        &others))
		return;
	hub_log(hub, HUB_LOG_INFO,
	    "refuse a polling request peer=%s: this hub serves WebSocket "
	    "only (--transports websocket); connect with "
	    "transports: [\"websocket\"] (socket.io-client) or "
	    "transports=[\"websocket\"] (python-socketio), or serve "
	    "--transports polling,websocket (%llu more from it since the "
	    "last report, %llu of other addresses not logged)",
	    peer_text(hub, wsi, peer, sizeof(peer)), (unsigned long long)quiet,
	    (unsigned long long)others);
}

/* The session a WebSocket's callbacks are for: after an upgrade, the one
 * that moved onto it. */
static struct hub_conn *
carried(struct hub_conn *c)
{
	return c != NULL && c->role == CONN_CARRIER ? c->up : c;
}

/*
 * A WebSocket opened with the sid of a session on polling (checked by
 * check_sid()): it probes the upgrade, in its per-session data 'c', until
 * the client sends "5" or it goes.  Not a session: not counted, no
 * timers, and nothing but the probe and the upgrade may come on it.
 */
static int
probe_open(struct hub *hub, struct hub_conn *c, struct lws *wsi,
    const char *sid)
{
	struct hub_conn *s;

	memset(c, 0, sizeof(*c));
	if (hub->shutting_down ||
	    (s = polling_find(hub->polling, sid)) == NULL ||
	    polling_set_probe(s->poll, c) == -1)
		return -1;
	c->hub = hub;
	c->wsi = wsi;
	c->state = CONN_OPEN;
	c->role = CONN_PROBE;
	c->up = s;
	LIST_INIT(&c->socks);
	outq_init(&c->q);
	acks_table_init(&c->acks);
	memcpy(c->sid, s->sid, sizeof(c->sid));
	lws_set_timeout(wsi, PENDING_TIMEOUT_USER_REASON_BASE,
	    HUB_UPGRADE_TIMEOUT_S);
	hub_log(hub, HUB_LOG_DEBUG, "probe sid=%s", c->sid);
	if (rxtap_unmasked(lws_get_socket_fd(wsi)))
		conn_unmasked(c);
	return 0;
}

/*
 * The client sent "5" on probe 'p': its session leaves polling for this
 * WebSocket, with its sockets, rooms, queue and timers.  -1 when the
 * session is closing (the probe is then closed).
 */
static int
probe_upgrade(struct hub_conn *p)
{
	struct hub *hub = p->hub;
	struct hub_conn *s = p->up;

	if (s == NULL || s->state != CONN_OPEN || s->poll == NULL)
		return -1;
	polling_upgraded(s->poll);
	s->poll = NULL;
	s->wsi = p->wsi;
	p->role = CONN_CARRIER;
	hub->stats.polling--;
	hub->stats.upgrades++;
	lws_set_timeout(p->wsi, NO_PENDING_TIMEOUT, 0);
	/* The probe's "3probe" is written: the client answered it. */
	if (p->in_flush_q) {
		TAILQ_REMOVE(&hub->flush_q, p, flush_link);
		p->in_flush_q = 0;
	}
	outq_release(&p->q);
	/* What the session queued meanwhile goes on the WebSocket. */
	if (s->q.count > 0 && !s->in_flush_q) {
		s->in_flush_q = 1;
		TAILQ_INSERT_TAIL(&hub->flush_q, s, flush_link);
	}
	hub_log(hub, HUB_LOG_DEBUG, "upgrade sid=%s to websocket", s->sid);
	return 0;
}

/* A probe's or a carrier's WebSocket closed. */
static void
probe_gone(struct hub_conn *p)
{
	struct hub *hub = p->hub;
	struct hub_conn *s = p->up;

	if (hub == NULL) /* never opened */
		return;
	if (p->in_flush_q)
		TAILQ_REMOVE(&hub->flush_q, p, flush_link);
	if (p->in_rx_q)
		TAILQ_REMOVE(&hub->rx_q, p, rx_link);
	p->in_flush_q = p->in_rx_q = 0;
	conn_hold(p, 0);
	outq_release(&p->q);
	siorx_release(&p->siorx);
	wsmsg_release(&p->rx);
	if (p->role == CONN_CARRIER && s != NULL) {
		conn_gone(s);
		free(s);
	} else if (s != NULL && s->poll != NULL) {
		polling_set_probe(s->poll, NULL);
	}
	p->up = NULL;
	p->role = CONN_SESSION;
	p->wsi = NULL;
}

struct hub_conn *
hub_poll_open(struct hub *hub, struct lws *wsi, struct pollsess *ps)
{
	struct hub_conn *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	if (conn_open(hub, c, wsi,
	        hub->cfg.transports & HUB_TRANSPORT_WEBSOCKET ?
	            EIO_UPGRADE_WEBSOCKET :
	            0) == -1) {
		outq_release(&c->q);
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	/* Its requests come and go; it has no connection of its own. */
	c->wsi = NULL;
	c->poll = ps;
	hub->stats.polling++;
	return c;
}

const char *
hub_poll_sid(const struct hub_conn *c)
{
	return c->sid;
}

struct outq *
hub_poll_queue(struct hub_conn *c)
{
	return &c->q;
}

void
hub_poll_sent(struct hub_conn *c, uint32_t nframes, size_t bytes)
{
	outq_drop(&c->q, nframes);
	c->hub->stats.bytes_out += bytes;
}

int
hub_poll_input(struct hub_conn *c, const unsigned char *data, size_t len,
    int binary)
{
	struct hub *hub = c->hub;
	int rc;

	if (c->state != CONN_OPEN)
		return -1;
	hub->stats.bytes_in += len;
	rc = on_message(c, data, len, binary);
	if (c->siorx.done)
		siorx_release(&c->siorx);
	conn_hold(c, siorx_held(&c->siorx));
	if (rc == 0)
		return unfinished_bound(hub, c);
	hub->stats.protocol_errors++;
	conn_close(c,
	    rc == -2 ? LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE :
	               LWS_CLOSE_STATUS_PROTOCOL_ERR,
	    "protocol error");
	return -1;
}

int
hub_poll_hold(struct hub_conn *c, size_t bytes)
{
	conn_hold(c, bytes + siorx_held(&c->siorx));
	return unfinished_bound(c->hub, c);
}

int
hub_poll_is_open(const struct hub_conn *c)
{
	return c->state == CONN_OPEN;
}

int
hub_poll_expired(const struct hub_conn *c)
{
	int64_t now = mono_ms();

	/* Its timer may be late: a ping due for long enough has expired
	 * too. */
	return (c->hb == HB_PONG_WAIT && c->hb_deadline <= now) ||
	    (c->hb == HB_PING_DUE &&
	        c->hb_deadline + c->hub->cfg.ping_timeout_ms <= now);
}

void
hub_poll_close(struct hub_conn *c, const char *why, int protocol_error)
{
	if (c->state != CONN_OPEN)
		return;
	if (protocol_error)
		c->hub->stats.protocol_errors++;
	hub_log(c->hub, HUB_LOG_INFO, "close sid=%s: %s", c->sid, why);
	conn_close(c, LWS_CLOSE_STATUS_GOINGAWAY, why);
}

void
hub_poll_free(struct hub_conn *c)
{
	struct hub_conn *probe = c->poll != NULL ? polling_probe(c->poll) :
	                                           NULL;

	if (probe != NULL) {
		polling_set_probe(c->poll, NULL);
		probe->up = NULL;
		conn_close(probe, LWS_CLOSE_STATUS_GOINGAWAY,
		    "session closed");
	}
	conn_gone(c);
	free(c);
}

int
hub_http_reply(struct lws *wsi, unsigned status, const char *body)
{
	return http_reply(wsi, status, body);
}

int
hub_wsi_addr(const struct hub *hub, struct lws *wsi, struct cidr_addr *a)
{
	struct peer *p = wsi_peer(hub, wsi);

	if (p != NULL) {
		*a = p->addr;
		return 0;
	}
	return fd_peer(lws_get_socket_fd(wsi), a);
}

const char *
hub_wsi_peer(const struct hub *hub, struct lws *wsi, char *buf, size_t len)
{
	return peer_text(hub, wsi, buf, len);
}

int
hub_query_arg(struct lws *wsi, const char *name, char *buf, size_t len)
{
	return query_arg(wsi, name, buf, len);
}

/* Whether the WebSocket being opened upgrades a long-polling session (a
 * probe, with that session's sid) rather than opening one of its own. */
static int
upgrading_session(struct hub *hub, struct lws *wsi)
{
	char sid[EIO_SID_MAX + 2];

	return hub->polling != NULL &&
	    query_arg(wsi, "sid", sid, sizeof(sid)) == 0;
}

static int
hub_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);
	struct hub *hub = proto ? proto->user : NULL;
	struct hub_conn *c = user;
	const struct refusal *r;
	char sid[EIO_SID_MAX + 2];
	void *mark;

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		/* 'user' is lws's accept record here, 'in' the descriptor. */
		return on_accept(hub, (int)(intptr_t)in);
	case LWS_CALLBACK_WSI_CREATE:
		/* The connection on_accept() let through: counted from here
		 * until lws frees it, whatever becomes of it meanwhile.  lws
		 * resets the opaque pointer after this callback, so the mark
		 * goes on once the adoption is complete. */
		if (hub->accept_pending) {
			hub->accept_pending = 0;
			hub->adopting = wsi;
			hub->adopting_peer = hub->pending_peer;
			hub->pending_peer = NULL;
			hub->accepted++;
		}
		return 0;
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		/* The mark is its client's address when counted under one
		 * (wsi_peer()). */
		if (wsi == hub->adopting) {
			hub->adopting = NULL;
			lws_set_opaque_user_data(wsi,
			    hub->adopting_peer != NULL ?
			        (void *)hub->adopting_peer :
			        &hub->accepted);
			hub->adopting_peer = NULL;
		}
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/* Only the hub marks connections: any mark is its own. */
		mark = lws_get_opaque_user_data(wsi);
		if (mark != NULL || wsi == hub->adopting) {
			if (wsi == hub->adopting) {
				hub->adopting = NULL;
				mark = hub->adopting_peer;
				hub->adopting_peer = NULL;
			}
			if (mark != NULL && mark != &hub->accepted)
				peers_drop(&hub->peers, mark);
			lws_set_opaque_user_data(wsi, NULL);
			hub->accepted--;
		}
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if (strcmp((const char *)in, "websocket") != 0)
			r = &refuse_transport;
		else
			r = check_handshake(hub, wsi, 1);
		if (r == NULL && hub->cfg.ntrusted != 0)
			r = check_proxied(hub, wsi);
		if (r == NULL) {
			/* ESTABLISHED's conn_open() releases it; a probe
			 * (an upgrade of a polling session) is not held. */
			if (!upgrading_session(hub, wsi))
				hold_handshake(wsi);
			return 0;
		}
		note_refused_wsi(hub, wsi, 1, r->reason, r->status);
		hub_log(hub, HUB_LOG_DEBUG, "refuse upgrade: %u %s", r->status,
		    r->body);
		/* As engine.io does, the connection ends with the refusal:
		 * it counts against --max-connections until it is gone. */
		(void)http_reply(wsi, r->status, r->body);
		return -1;
	case LWS_CALLBACK_HTTP:
		r = check_handshake(hub, wsi, 0);
		if (r == NULL && hub->cfg.ntrusted != 0)
			r = check_proxied(hub, wsi);
		if (r == NULL && hub->polling != NULL)
			return polling_http(hub->polling, wsi,
			    c != NULL ? &c->poll : NULL);
		if (r == NULL)
			r = &refuse_transport;
		note_refused_wsi(hub, wsi, 1, r->reason, r->status);
		if (r == &refuse_transport)
			log_refused_polling(hub, wsi);
		/* The connection ends with the answer, as after a refused
		 * upgrade: one request a connection, so that what follows a
		 * request's head is a WebSocket's frames or nothing (see
		 * rxtap.h). */
		(void)http_reply(wsi, r->status, r->body);
		return -1;
	case LWS_CALLBACK_HTTP_BODY:
		if (hub->polling == NULL || c == NULL)
			return -1;
		return polling_body(hub->polling, wsi, &c->poll, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (hub->polling == NULL || c == NULL)
			return -1;
		return polling_body_done(hub->polling, wsi, &c->poll);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (hub->polling == NULL || c == NULL)
			return 0;
		return polling_writable(hub->polling, wsi, &c->poll);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		/* A kept-alive connection is done with a request. */
		if (hub->polling != NULL && c != NULL)
			polling_detach(hub->polling, wsi, &c->poll);
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		if (hub->polling != NULL &&
		    query_arg(wsi, "sid", sid, sizeof(sid)) == 0)
			return probe_open(hub, c, wsi, sid);
		if (hub->shutting_down || conn_open(hub, c, wsi, 0) == -1) {
			c->wsi = NULL;
			return -1;
		}
		c->corked = 1; /* by CONFIRM_UPGRADE: its open packet's wait */
		if (rxtap_unmasked(lws_get_socket_fd(wsi)))
			conn_unmasked(c);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return conn_receive(carried(c), wsi, in, len);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		return conn_peer_close(carried(c), wsi, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		c = carried(c);
		if (c == NULL || c->wsi == NULL)
			return 0;
		return conn_writable(c, wsi);
	case LWS_CALLBACK_CLOSED:
		if (c != NULL && c->role != CONN_SESSION)
			probe_gone(c);
		else if (c != NULL)
			conn_gone(c);
		rxtap_forget(lws_get_socket_fd(wsi));
		conn_linger(hub, wsi);
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		if (hub != NULL && hub->polling != NULL && c != NULL)
			polling_detach(hub->polling, wsi, &c->poll);
		rxtap_forget(lws_get_socket_fd(wsi));
		conn_linger(hub, wsi);
		return 0;
	default:
		break;
	}
	return 0;
}

/* Public ----------------------------------------------------------------- */

int
hub_init(struct hub *hub, const struct hub_config *cfg,
    const struct hub_app *app)
{
	uint8_t seed[16], rseed[32];
	static const char ping[] = "2";

	memset(hub, 0, sizeof(*hub));
	hub->cfg = *cfg;
	hub->app = *app;
	if (hub->cfg.transports == 0)
		hub->cfg.transports = HUB_TRANSPORT_POLLING |
		    HUB_TRANSPORT_WEBSOCKET;
	/* One message of max_payload bytes always fits (its buffer has a
	 * byte more, for a NUL). */
	if (hub->cfg.max_unfinished != 0 &&
	    hub->cfg.max_unfinished <= hub->cfg.max_payload)
		hub->cfg.max_unfinished = (size_t)hub->cfg.max_payload + 1;
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		return -1;
	room_registry_init(&hub->reg, seed);
	peers_init(&hub->peers, seed);
	refuselog_init(&hub->refuselog, seed, HUB_REFUSE_LOG_PEERS,
	    HUB_REFUSE_LOG_MS);
	refuselog_init(&hub->poll_refusals, seed, HUB_REFUSE_LOG_PEERS,
	    HUB_REFUSE_LOG_MS);
	retain_init(&hub->retain, &hub->cfg.retain, seed);
	memcpy(hub->tag_seed, seed, sizeof(seed));
	/* Its own key: a pid must not follow from anything a peer sees. */
	if (getrandom(rseed, sizeof(rseed), 0) != (ssize_t)sizeof(rseed))
		return -1;
	recovery_init(&hub->recovery, &hub->cfg.recovery, rseed);
	snprintf(hub->rate_error, sizeof(hub->rate_error),
	    "[{\"error\":\"rate limited: over %u events a second\"}]",
	    hub->cfg.rate.rate);
	TAILQ_INIT(&hub->connect_q);
	TAILQ_INIT(&hub->ping_q);
	TAILQ_INIT(&hub->pong_q);
	TAILQ_INIT(&hub->all);
	TAILQ_INIT(&hub->flush_q);
	TAILQ_INIT(&hub->rx_q);
	TAILQ_INIT(&hub->unfinished_q);
	acks_init(&hub->acks, HUB_ACKS_PER_CONN);
	hub->ping_frame = text_frame(ping, 1);
	hub->scratch_cap = SCRATCH_CAP;
	hub->scratch = malloc(hub->scratch_cap);
	if (hub->cfg.transports & HUB_TRANSPORT_POLLING)
		hub->polling = polling_new(hub);
	if (hub->ping_frame == NULL || hub->scratch == NULL ||
	    ((hub->cfg.transports & HUB_TRANSPORT_POLLING) &&
	        hub->polling == NULL) ||
	    room_nsp_add(&hub->reg, "/", 1) == NULL) {
		hub_release(hub);
		errno = ENOMEM;
		return -1;
	}
	if (sendpool_init(&hub->sendpool, hub->cfg.send_threads) == -1) {
		int e = errno;

		hub_release(hub);
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * Tells the application of each socket still registered, so that it frees
 * what it attached.  Their connections are gone with the lws context:
 * nothing can be sent to them.
 */
static void
release_socks(struct hub *hub)
{
	struct room_nsp *nsp;
	struct room_sock *s;
	size_t pos = 0;

	while ((nsp = hashtab_next(&hub->reg.nsps, &pos)) != NULL) {
		LIST_FOREACH(s, &nsp->socks, nsp_link) {
			s->owner = NULL;
			if (hub->app.on_disconnect)
				hub->app.on_disconnect(hub, s, "hub released");
		}
	}
}

void
hub_release(struct hub *hub)
{
	/* Sessions on polling hold no connection that lws would have
	 * closed: they go first, their sockets with them. */
	polling_free(hub->polling);
	hub->polling = NULL;
	refuselog_release(&hub->poll_refusals);
	/* Normally none is left: each ended as its sockets closed. */
	acks_release(&hub->acks);
	release_socks(hub);
	recovery_release(&hub->recovery);
	room_registry_release(&hub->reg);
	peers_release(&hub->peers);
	refuselog_release(&hub->refuselog);
	retain_release(&hub->retain);
	frame_unref(hub->ping_frame);
	hub->ping_frame = NULL;
	rxtap_release();
	free(hub->scratch);
	hub->scratch = NULL;
	sendpool_release(&hub->sendpool);
	free(hub->send_jobs);
	free(hub->send_iov);
	hub->send_jobs = NULL;
	hub->send_iov = NULL;
	hub->send_jobs_cap = hub->send_iov_cap = 0;
}

int
hub_add_namespace(struct hub *hub, const char *name)
{
	size_t len = strlen(name);

	if (sio_nsp_check(name, len, NULL, 0) == -1) {
		errno = EINVAL;
		return -1;
	}
	return room_nsp_add(&hub->reg, name, len) ? 0 : -1;
}

void
hub_protocol(struct hub *hub, struct lws_protocols *proto)
{
	memset(proto, 0, sizeof(*proto));
	proto->name = "georoom-socketio";
	proto->callback = hub_callback;
	proto->per_session_data_size = sizeof(struct hub_conn);
	/* lws allocates this buffer for every WebSocket when it opens
	 * (lws 4.1 has no lazy or shared receive buffer) and reads at most
	 * this much from one connection per loop round.  Small, it keeps
	 * idle connections small (2 KB less each than 2048 bytes); a
	 * sender's burst then takes several rounds to read, and hub_flush()
	 * waits for it, so that each member's write still carries the
	 * whole burst (with 512 bytes and no wait, fan-out from a client's
	 * chat fell from 829k to 240k deliveries/s).  tx_packet_size keeps
	 * lws from also cutting writes to this size. */
	proto->rx_buffer_size = HUB_RX_BUFFER;
	proto->tx_packet_size = SCRATCH_CAP;
	proto->user = hub;
}

void
hub_start(struct hub *hub, struct lws_context *ctx, size_t fd_budget,
    struct linger_set *linger)
{
	hub->ctx = ctx;
	hub->fd_budget = fd_budget;
	hub->linger = linger;
	schedule(hub);
}

/*
 * Whether a connection read from this round has more bytes waiting in the
 * kernel.  lws reads at most HUB_RX_BUFFER bytes from a connection per
 * round, so a client sending a burst is read over several rounds; writing
 * to every member after each of them would send a few messages per write
 * instead of the whole burst.  Forgets the round's readers.
 */
static int
more_input_waiting(struct hub *hub)
{
	struct hub_conn *c;
	int more = 0, n;

	while ((c = TAILQ_FIRST(&hub->rx_q)) != NULL) {
		TAILQ_REMOVE(&hub->rx_q, c, rx_link);
		c->in_rx_q = 0;
		/* Only a read that may have filled the buffer can have left
		 * bytes behind: no ioctl() for a handshake's small packets. */
		if (!more && c->wsi != NULL && c->rx_round >= HUB_RX_BUFFER &&
		    ioctl(lws_get_socket_fd(c->wsi), FIONREAD, &n) == 0 &&
		    n > 0)
			more = 1;
	}
	return more;
}

/* Whether 'c' has output that a plain write of its socket may take: a
 * WebSocket's (polling's waits for its GET), nothing of it held by lws
 * (which must send that first), and no TLS (lws writes through it). */
static int
sendable(struct hub_conn *c)
{
	return c->poll == NULL && c->wsi != NULL && c->state == CONN_OPEN &&
	    c->q.count > 0 && !lws_partial_buffered(c->wsi) &&
	    !lws_is_ssl(c->wsi);
}

/* Room for 'jobs' jobs and 'iov' pieces in the round's arrays. */
static int
send_room(struct hub *hub, size_t jobs, size_t iov)
{
	if (jobs > hub->send_jobs_cap) {
		size_t cap = hub->send_jobs_cap ? hub->send_jobs_cap : 256;
		struct sendpool_job *j;

		while (cap < jobs)
			cap *= 2;
		if ((j = realloc(hub->send_jobs, cap * sizeof(*j))) == NULL)
			return -1;
		hub->send_jobs = j;
		hub->send_jobs_cap = cap;
	}
	if (iov > hub->send_iov_cap) {
		size_t cap = hub->send_iov_cap ? hub->send_iov_cap : 1024;
		struct iovec *v;

		while (cap < iov)
			cap *= 2;
		if ((v = realloc(hub->send_iov, cap * sizeof(*v))) == NULL)
			return -1;
		hub->send_iov = v;
		hub->send_iov_cap = cap;
	}
	return 0;
}

/*
 * What the kernel took of job 'j': the frames written whole leave the
 * queue; of one written in part, lws is given the rest (it sends what it
 * can and keeps the remainder, as for any raw write); what is left waits
 * for the socket to be writable.  -1: the connection must close.
 */
static int
sent_frames(struct hub_conn *c, const struct sendpool_job *j)
{
	size_t part = (size_t)j->sent; /* then: what of the cut frame went */
	uint32_t whole = 0;

	release_handshake(c);
	c->hub->stats.bytes_out += part;
	while (whole < j->niov && part >= j->iov[whole].iov_len)
		part -= j->iov[whole++].iov_len;
	outq_drop(&c->q, whole);
	if (part > 0) {
		struct frame *f = outq_at(&c->q, 0);

		if (lws_write(c->wsi, f->data + part, f->len - part,
		        LWS_WRITE_RAW) < 0)
			return -1;
		c->hub->stats.bytes_out += f->len - part;
		outq_drop(&c->q, 1);
	}
	if (c->q.count > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

/*
 * Writes the round's output on the send threads as well as this one when
 * it is a fan-out: HUB_PARALLEL_MIN connections or more whose next frame
 * is shared, as a message to a room is.  Each connection's backlog goes
 * as one sendmsg() of its frames, as conn_send_batch() would gather them.
 * Rounds of unrelated writes (handshakes, acks) stay on this thread: a
 * connection's own reply does not wait for a thousand others, and a busy
 * machine keeps its other core.  A connection it wrote
 * leaves the flush queue; one whose socket took nothing (full, or an error
 * to be found out) stays for the loop's own path.
 */
static void
flush_parallel(struct hub *hub)
{
	size_t cap = hub->cfg.coalesce ? hub->scratch_cap : 0;
	size_t njobs = 0, shared = 0, niov = 0, frames = 0, i;
	struct hub_conn *c;

	if (hub->sendpool.want == 0)
		return;
	TAILQ_FOREACH(c, &hub->flush_q, flush_link) {
		if (sendable(c)) {
			njobs++;
			shared += outq_at(&c->q, 0)->refs > 1;
			frames += c->q.count < SENDPOOL_FRAMES_MAX ?
			    c->q.count :
			    SENDPOOL_FRAMES_MAX;
		}
	}
	if (shared < HUB_PARALLEL_MIN || send_room(hub, njobs, frames) == -1)
		return;
	njobs = 0;
	TAILQ_FOREACH(c, &hub->flush_q, flush_link) {
		struct sendpool_job *j;
		size_t bytes = 0;

		if (!sendable(c))
			continue;
		j = &hub->send_jobs[njobs++];
		j->fd = lws_get_socket_fd(c->wsi);
		j->iov = &hub->send_iov[niov];
		j->niov = 0;
		j->arg = c;
		/* The first frame always; more while they fit in what the
		 * loop's path would gather into one write. */
		while (j->niov < c->q.count && j->niov < SENDPOOL_FRAMES_MAX) {
			struct frame *f = outq_at(&c->q, j->niov);

			if (j->niov > 0 && bytes + f->len > cap)
				break;
			hub->send_iov[niov].iov_base = f->data;
			hub->send_iov[niov++].iov_len = f->len;
			bytes += f->len;
			j->niov++;
		}
	}
	sendpool_run(&hub->sendpool, hub->send_jobs, njobs, 0);
	if (hub->sendpool.start_error != 0) {
		hub_log(hub, HUB_LOG_WARN,
		    "send threads: %s; the loop's thread writes alone",
		    strerror(hub->sendpool.start_error));
		hub->sendpool.want = 0;
	}
	for (i = 0; i < njobs; i++) {
		const struct sendpool_job *j = &hub->send_jobs[i];

		c = j->arg;
		if (j->sent <= 0)
			continue;
		TAILQ_REMOVE(&hub->flush_q, c, flush_link);
		c->in_flush_q = 0;
		if (sent_frames(c, j) == -1)
			conn_close(c, LWS_CLOSE_STATUS_ABNORMAL_CLOSE,
			    "write failed");
	}
}

void
hub_flush(struct hub *hub)
{
	struct hub_conn *c;
	int fd;

	while ((fd = rxtap_next_unmasked()) != -1) {
		/* Rare (a client broke RFC 6455): a walk is cheaper than a
		 * table from descriptors to connections. */
		TAILQ_FOREACH(c, &hub->all, all_link)
			if (lws_get_socket_fd(c->wsi) == fd) {
				conn_unmasked(c);
				break;
			}
	}

	/* The waiting bytes make the loop's next wait return at once, so
	 * holding the output back costs a round, not a sleep; a bounded
	 * number of rounds, so that a client that never stops sending
	 * cannot hold everyone else's messages. */
	if (more_input_waiting(hub) &&
	    hub->flush_deferred < HUB_DEFER_ROUNDS) {
		hub->flush_deferred++;
		return;
	}
	hub->flush_deferred = 0;
	flush_parallel(hub);
	while ((c = TAILQ_FIRST(&hub->flush_q)) != NULL) {
		TAILQ_REMOVE(&hub->flush_q, c, flush_link);
		c->in_flush_q = 0;
		if (c->poll != NULL) { /* its waiting GET takes them */
			if (c->state == CONN_OPEN && c->q.count > 0)
				polling_wake(c->poll);
			continue;
		}
		if (c->wsi == NULL || c->state != CONN_OPEN || c->q.count == 0)
			continue;
		/* Write now, as Redis does before it sleeps: no POLLOUT to
		 * arm and disarm, no extra round.  Only a socket that lws
		 * still holds unsent bytes for waits for writable, so that
		 * the bounded backlog stays the only buffer that grows. */
		if (!lws_partial_buffered(c->wsi) &&
		    conn_send_batch(c, c->wsi) == -1) {
			conn_close(c, LWS_CLOSE_STATUS_ABNORMAL_CLOSE,
			    "write failed");
			continue;
		}
		if (c->q.count > 0)
			lws_callback_on_writable(c->wsi);
	}
}

size_t
hub_connections_open(const struct hub *hub)
{
	return hub->accepted;
}

void
hub_shutdown(struct hub *hub)
{
	struct hub_conn *c;

	hub->shutting_down = 1;
	TAILQ_FOREACH(c, &hub->all, all_link)
		conn_close_flush(c, LWS_CLOSE_STATUS_GOINGAWAY, "shutdown", 1);
}

int
hub_send(struct hub *hub, struct room_sock *s, struct frame *f)
{
	(void)hub;
	if (s->owner == NULL)
		return -1; /* see release_socks() */
	return conn_queue(s->owner, f);
}

static int
deliver_one(struct room_sock *s, void *arg)
{
	if (s->owner == NULL)
		return -1;
	return conn_queue(s->owner, arg);
}

/*
 * Keeps 'f', broadcast 'b''s frame, as its rooms' last message when its
 * event is retained (cfg.retain); with 'f' NULL (the frame sent carries a
 * recovery offset, which a later joiner must not take for its own), a
 * frame of its own is made.  A room named by a socket's id is that
 * socket's alone: nothing is kept for it.
 */
static void
retain_broadcast(struct hub *hub, const struct hub_bcast *b, struct frame *f)
{
	struct sio_header h = {
		.type = b->type,
		.ack_id = SIO_NO_ACK,
		.attachments = b->natt,
	};
	struct frame *own = NULL;
	int64_t now;
	size_t i;
	int ev;

	if (!retain_enabled(&hub->retain) || b->nrooms == 0 ||
	    (ev = retain_event(&hub->retain, b->json, b->json_len)) < 0)
		return;
	if (f == NULL) {
		h.nsp = hub_namespace_name(b->nsp, &h.nsp_len);
		if ((f = own = hub_frame(&h, b->json, b->json_len, b->att,
		         b->natt)) == NULL)
			return;
	}
	now = mono_ms();
	for (i = 0; i < b->nrooms; i++) {
		if (room_sock_find(&hub->reg, b->rooms[i].s,
		        b->rooms[i].len) != NULL)
			continue;
		/* Memory out or a frame over the bound: that room keeps no
		 * message of this event, as counted in its stats. */
		(void)retain_keep(&hub->retain, b->nsp, b->rooms[i].s,
		    b->rooms[i].len, ev, f, now);
	}
	frame_unref(own);
}

/*
 * The tag of broadcast 'b''s frame (outq_push()): for an event of
 * cfg.conflate to exactly one room, a hash of namespace, room and event,
 * under the hub's own key so that no peer can make two rooms collide;
 * else 0.
 */
static uint64_t
conflation_tag(const struct hub *hub, const struct hub_bcast *b)
{
	unsigned char key[sizeof(void *) + sizeof(int) + ROOM_NAME_MAX];
	int ev;

	if (hub->cfg.nconflate == 0 || b->nrooms != 1 ||
	    b->rooms[0].len > ROOM_NAME_MAX ||
	    (ev = sio_event_index(b->json, b->json_len, hub->cfg.conflate,
	         hub->cfg.nconflate)) < 0)
		return 0;
	memcpy(key, &b->nsp, sizeof(void *));
	memcpy(key + sizeof(void *), &ev, sizeof(ev));
	memcpy(key + sizeof(void *) + sizeof(ev), b->rooms[0].s,
	    b->rooms[0].len);
	return hashtab_siphash(hub->tag_seed, key,
	           sizeof(void *) + sizeof(ev) + b->rooms[0].len) |
	    1;
}

struct retain_to {
	struct hub *hub;
	struct room_sock *s;
};

static void
send_retained(struct frame *f, void *arg)
{
	struct retain_to *to = arg;

	hub_send(to->hub, to->s, f);
}

/*
 * The event array 'json' with 'offset' appended as its last argument, as
 * socket.io's adapter pushes it onto packet.data (owned; its length in
 * *len), or NULL when out of memory or 'json' is not an array.
 */
static char *
with_offset(const char *json, size_t json_len, const char *offset,
    size_t offlen, size_t *len)
{
	size_t end = json_len;
	char *out;

	while (end > 0 && strchr(" \t\r\n", json[end - 1]) != NULL)
		end--;
	if (end == 0 || json[end - 1] != ']')
		return NULL;
	end--;
	if ((out = malloc(end + offlen + 4)) == NULL)
		return NULL;
	memcpy(out, json, end);
	*len = end;
	out[(*len)++] = ',';
	out[(*len)++] = '"';
	memcpy(out + *len, offset, offlen); /* base64url and digits */
	*len += offlen;
	out[(*len)++] = '"';
	out[(*len)++] = ']';
	return out;
}

long
hub_deliver(struct hub *hub, const struct hub_bcast *b)
{
	struct sio_header h = {
		.type = b->type,
		.ack_id = SIO_NO_ACK,
		.attachments = b->natt,
	};
	struct frame *f;
	size_t reached, len = b->json_len;
	const char *json = b->json;
	char *tagged = NULL, offset[RECOVERY_OFFSET_MAX];
	int keep = recovering(hub) && !(b->flags & HUB_BCAST_VOLATILE) &&
	    (b->type == SIO_EVENT || b->type == SIO_BINARY_EVENT);

	h.nsp = hub_namespace_name(b->nsp, &h.nsp_len);
	if (keep) {
		tagged = with_offset(b->json, b->json_len, offset,
		    (size_t)recovery_offset_text(&hub->recovery,
		        recovery_next(&hub->recovery), offset),
		    &len);
		if (tagged == NULL)
			return -1;
		json = tagged;
	}
	f = hub_frame(&h, json, len, b->att, b->natt);
	free(tagged);
	if (f == NULL)
		return -1;
	f->tag = conflation_tag(hub, b);
	reached = room_deliver_many(&hub->reg, b->nsp, b->rooms, b->nrooms,
	    b->except, b->nexcept, deliver_one, f);
	retain_broadcast(hub, b, keep ? NULL : f);
	/* A failure here spends the offset: a session that may have missed
	 * this event fails to recover rather than come back with a gap. */
	if (keep &&
	    recovery_add(&hub->recovery, mono_ms(), b->nsp, b->rooms,
	        b->nrooms, b->except, b->nexcept, f) == -1)
		hub_log(hub, HUB_LOG_INFO,
		    "recovery: cannot buffer an event of %u bytes: %s", f->len,
		    strerror(errno));
	frame_unref(f);
	return (long)reached;
}

size_t
hub_send_retained(struct hub *hub, struct room_sock *s, const char *room,
    size_t len)
{
	struct retain_to to = { hub, s };

	if (!retain_enabled(&hub->retain))
		return 0;
	return retain_each(&hub->retain, s->nsp, room, len, mono_ms(),
	    send_retained, &to);
}

/* One broadcast asking for acks, on its way to the sockets. */
struct ack_delivery {
	struct hub *hub;
	const struct hub_bcast *b;
	struct acks_batch *batch;
	struct frame *ask;   /* the event with the ack id */
	struct frame *plain; /* without, made when first needed */
};

static int
deliver_ask(struct room_sock *s, void *arg)
{
	struct ack_delivery *d = arg;
	struct hub_conn *c = s->owner;
	struct acks_entry *e;
	struct sio_header h = {
		.type = d->b->type,
		.ack_id = SIO_NO_ACK,
		.attachments = d->b->natt,
	};

	if (c == NULL || c->state != CONN_OPEN)
		return -1;
	if ((e = acks_add(&d->hub->acks, d->batch, &c->acks, s)) != NULL) {
		if (conn_queue(c, d->ask) == 0)
			return 0;
		acks_cancel(&d->hub->acks, e);
		return -1;
	}
	/* Not recorded (its connection awaits HUB_ACKS_PER_CONN acks
	 * already, or memory ran out): the event still reaches it, as a
	 * plain broadcast, and no ack is counted on from it. */
	if (d->plain == NULL) {
		h.nsp = hub_namespace_name(d->b->nsp, &h.nsp_len);
		d->plain = hub_frame(&h, d->b->json, d->b->json_len, d->b->att,
		    d->b->natt);
	}
	if (d->plain != NULL)
		conn_queue(c, d->plain);
	return -1;
}

long
hub_deliver_ack(struct hub *hub, const struct hub_bcast *b,
    uint32_t timeout_ms, const struct acks_owner *owner)
{
	struct sio_header h = {
		.type = b->type,
		.attachments = b->natt,
	};
	struct ack_delivery d = { hub, b, NULL, NULL, NULL };
	size_t asked;

	if (timeout_ms > HUB_ACK_TIMEOUT_MAX)
		timeout_ms = HUB_ACK_TIMEOUT_MAX;
	/* As socket.io's per-namespace counter, but one for the hub: ids
	 * are unique in every namespace all the same, and 2^53 is far. */
	h.ack_id = hub->ack_id++;
	h.nsp = hub_namespace_name(b->nsp, &h.nsp_len);
	d.batch = acks_open(&hub->acks, h.ack_id, mono_ms() + timeout_ms,
	    owner);
	if (d.batch == NULL) {
		owner->on_end(owner->ctx);
		errno = ENOMEM;
		return -1;
	}
	if ((d.ask = hub_frame(&h, b->json, b->json_len, b->att, b->natt)) ==
	    NULL) {
		acks_seal(&hub->acks, d.batch);
		errno = ENOMEM;
		return -1;
	}
	asked = room_deliver_many(&hub->reg, b->nsp, b->rooms, b->nrooms,
	    b->except, b->nexcept, deliver_ask, &d);
	frame_unref(d.ask);
	if (d.plain != NULL)
		frame_unref(d.plain);
	acks_seal(&hub->acks, d.batch);
	schedule(hub);
	return (long)asked;
}

long
hub_broadcast(struct hub *hub, const struct hub_bcast *b)
{
	long reached = hub_deliver(hub, b);

	/* The cluster gets it even when no one here was reached, or memory
	 * ran out for the local frame: its members are elsewhere.  A drop
	 * is the fanout's to count. */
	if (!(b->flags & HUB_BCAST_LOCAL))
		(void)hub_fan_out(hub, b);
	return reached;
}

int
hub_fan_out(struct hub *hub, const struct hub_bcast *b)
{
	if (hub->fanout.broadcast == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	return hub->fanout.broadcast(hub->fanout.arg, b);
}

int
hub_clustered(const struct hub *hub)
{
	return hub->fanout.broadcast != NULL;
}

int
hub_ask(struct hub *hub, const struct hub_ask *q, hub_answer_fn fn, void *ctx,
    uint64_t *ticket)
{
	if (hub->fanout.ask == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	return hub->fanout.ask(hub->fanout.arg, q, fn, ctx, ticket);
}

void
hub_ask_cancel(struct hub *hub, uint64_t ticket)
{
	if (hub->fanout.cancel != NULL)
		hub->fanout.cancel(hub->fanout.arg, ticket);
}

int
hub_tell(struct hub *hub, const struct hub_tell *t)
{
	if (hub->fanout.tell == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	return hub->fanout.tell(hub->fanout.arg, t);
}

jv
hub_fanout_stats(struct hub *hub)
{
	const struct acks_stats *st = &hub->acks.stats;
	jv o = jv_object(), more;

#define STAT(name, value) \
	o = jv_object_set(o, jv_string(name), jv_number((double)(value)))
	STAT("acks_pending", st->pending);
	STAT("acks_received", st->answered);
	STAT("acks_unknown", st->unknown);
	STAT("acks_expired", st->expired);
	STAT("acks_disconnected", st->gone);
	STAT("acks_over_cap", st->over_cap);
	if (recovering(hub)) {
		const struct recovery_stats *rs = &hub->recovery.stats;

		STAT("recovery_sessions", rs->sessions);
		STAT("recovery_session_bytes", rs->session_bytes);
		STAT("recovery_events", rs->events);
		STAT("recovery_event_bytes", rs->event_bytes);
		STAT("recovery_recovered", rs->recovered);
		STAT("recovery_failed", rs->failed);
		STAT("recovery_replayed", rs->replayed);
		STAT("recovery_sessions_dropped", rs->sessions_dropped);
		STAT("recovery_events_dropped", rs->events_dropped);
	}
#undef STAT
	if (hub->fanout.stats == NULL)
		return o;
	more = hub->fanout.stats(hub->fanout.arg);
	if (jv_get_kind(more) == JV_KIND_OBJECT)
		return jv_object_merge(o, more);
	jv_free(more);
	return o;
}

/* The registry's word of a room created or going, for the fanout. */
static void
on_room(void *arg, const struct room *r, int created)
{
	struct hub *hub = arg;

	hub->fanout.room(hub->fanout.arg, r->nsp, r->name, r->name_len,
	    created);
}

void
hub_set_fanout(struct hub *hub, const struct hub_fanout *f)
{
	if (f == NULL)
		memset(&hub->fanout, 0, sizeof(hub->fanout));
	else
		hub->fanout = *f;
	hub->reg.on_room = hub->fanout.room != NULL ? on_room : NULL;
	hub->reg.on_room_arg = hub;
}

/* Logs a join or a leave, the room's name escaped: a peer chose it, and
 * it may hold NUL or a newline. */
static void
log_membership(struct hub *hub, const char *what, const struct room_sock *s,
    const char *room, size_t len)
{
	char name[512];

	if (hub->cfg.log_level < HUB_LOG_DEBUG)
		return;
	hub_log(hub, HUB_LOG_DEBUG, "%s socket=%s ns=%s room=%s", what, s->id,
	    s->nsp->name, log_escape(name, sizeof(name), room, len));
}

int
hub_join(struct hub *hub, struct room_sock *s, const char *room, size_t len)
{
	uint32_t max = hub->cfg.max_rooms_per_socket;
	int rc;

	/* Joining a room it is in again is no new room. */
	if (max != 0 && s->nrooms >= max &&
	    !room_is_member(&hub->reg, s, room, len)) {
		log_membership(hub, "refuse join (room limit)", s, room, len);
		errno = EDQUOT;
		return -1;
	}
	rc = room_join(&hub->reg, s, room, len);
	if (rc == 1)
		log_membership(hub, "join", s, room, len);
	return rc;
}

int
hub_leave(struct hub *hub, struct room_sock *s, const char *room, size_t len)
{
	int rc = room_leave(&hub->reg, s, room, len);

	if (rc == 1)
		log_membership(hub, "leave", s, room, len);
	return rc;
}

void
hub_disconnect(struct hub *hub, struct room_sock *s)
{
	struct hub_conn *c = s->owner;

	conn_queue_packet(c, SIO_DISCONNECT, s->nsp->name, s->nsp->name_len,
	    "", 0);
	sock_free(hub, s, "server namespace disconnect");
	if (LIST_EMPTY(&c->socks))
		conn_close_flush(c, LWS_CLOSE_STATUS_NORMAL,
		    "last namespace disconnected", 1);
}
