/* sioclient.c - a Socket.IO v4 client over WebSocket (see sioclient.h). */
#include "sioclient.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "mono.h"

/* One packet to write, encoded with LWS_PRE bytes of headroom. */
struct sioclient_msg {
	TAILQ_ENTRY(sioclient_msg) link;
	uint64_t tag;
	int64_t ack_id; /* SIO_NO_ACK when none was asked */
	int user;       /* an event of sioclient_emit() */
	int event;      /* an event, not a packet of the connection's own */
	size_t len;
	unsigned char buf[]; /* LWS_PRE + len */
};

struct sioclient_ack {
	TAILQ_ENTRY(sioclient_ack) link;
	int64_t id;
	uint64_t tag;
	int user;
	int64_t deadline; /* monotonic ms */
};

struct sioclient_sticky {
	TAILQ_ENTRY(sioclient_sticky) link;
	uint64_t tag;
	int ack;
	size_t len;
	char json[];
};

/* Most of an assembly buffer kept between messages. */
#define RX_KEEP (64 * 1024)

static void note(struct sioclient *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(struct sioclient *c, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_forward(c->cfg.log, c->cfg.log_arg, c->cfg.log_level, level, fmt,
	    ap);
	va_end(ap);
}

static void
schedule(struct sioclient *c, lws_sorted_usec_list_t *sul, sul_cb_t cb,
    int64_t ms)
{
	lws_sul_schedule(c->ctx, 0, sul, cb,
	    (lws_usec_t)(ms < 0 ? 0 : ms) * LWS_US_PER_MS);
}

/* Packets ---------------------------------------------------------------- */

static struct sioclient_msg *
msg_new(size_t len)
{
	struct sioclient_msg *m = malloc(sizeof(*m) + LWS_PRE + len);

	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->ack_id = SIO_NO_ACK;
	m->len = len;
	return m;
}

/* A Socket.IO packet of this client's namespace. */
static struct sioclient_msg *
msg_packet(struct sioclient *c, enum sio_type type, const char *json,
    size_t len, int64_t ack_id)
{
	struct sio_header h = {
		.type = type,
		.nsp = c->cfg.ns,
		.nsp_len = c->ns_len,
		.ack_id = ack_id,
		.attachments = 0,
	};
	long n = sio_encode(NULL, 0, &h, json, len);
	struct sioclient_msg *m;

	if (n < 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((m = msg_new((size_t)n)) == NULL)
		return NULL;
	sio_encode((char *)m->buf + LWS_PRE, (size_t)n, &h, json, len);
	m->ack_id = ack_id;
	return m;
}

/* A bare Engine.IO packet, such as the pong "3". */
static struct sioclient_msg *
msg_raw(const char *text, size_t len)
{
	struct sioclient_msg *m = msg_new(len);

	if (m != NULL)
		memcpy(m->buf + LWS_PRE, text, len);
	return m;
}

static void
msgq_clear(struct sioclient_msgq *q)
{
	struct sioclient_msg *m;

	while ((m = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, m, link);
		free(m);
	}
}

static void
want_write(struct sioclient *c)
{
	if (c->wsi != NULL &&
	    (!TAILQ_EMPTY(&c->ctrl) ||
	        (c->state == SIOCLIENT_CONNECTED && !TAILQ_EMPTY(&c->queue))))
		lws_callback_on_writable(c->wsi);
}

/* Queues one of this connection's own packets. */
static int
send_ctrl(struct sioclient *c, struct sioclient_msg *m)
{
	if (m == NULL)
		return -1;
	TAILQ_INSERT_TAIL(&c->ctrl, m, link);
	want_write(c);
	return 0;
}

/* Ending and losing connections ----------------------------------------- */

static void attempt(lws_sorted_usec_list_t *sul);

static void
drained(struct sioclient *c)
{
	if (c->app.on_drain != NULL)
		c->app.on_drain(c);
}

/*
 * Reports the awaited acks due by 'until' (monotonic ms) as lost, with
 * 'why'.  Returns 1 when one of them held a place in the user's queue.
 */
static int
acks_expire(struct sioclient *c, int64_t until, const char *why)
{
	struct sioclient_ack *a;
	int user = 0;

	while ((a = TAILQ_FIRST(&c->acks)) != NULL && a->deadline <= until) {
		TAILQ_REMOVE(&c->acks, a, link);
		if (a->user) {
			c->user_acks--;
			user = 1;
		}
		if (c->app.on_ack != NULL)
			c->app.on_ack(c, a->tag, NULL, NULL, 0, why);
		free(a);
	}
	return user;
}

/* Reports every awaited ack as lost, with 'why'. */
static void
acks_fail(struct sioclient *c, const char *why)
{
	int user = acks_expire(c, INT64_MAX, why);

	lws_sul_cancel(&c->sul_ack);
	if (user)
		drained(c);
}

/*
 * Lets go of the current connection: the wsi is killed (unless it is
 * already going), its own packets dropped, its acks reported lost.
 */
static void
forget(struct sioclient *c, const char *why)
{
	if (c->wsi != NULL) {
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_REASON_BASE,
		    LWS_TO_KILL_ASYNC);
		c->wsi = NULL;
	}
	msgq_clear(&c->ctrl);
	lws_sul_cancel(&c->sul_deadline);
	lws_sul_cancel(&c->sul_ping);
	wsmsg_release(&c->rx);
	siorx_release(&c->siorx);
	acks_fail(c, why);
}

/* Stops for good: the application hears why first, then of lost acks. */
static void
end(struct sioclient *c, enum sioclient_end e, const char *why)
{
	if (c->state == SIOCLIENT_ENDED)
		return;
	c->state = SIOCLIENT_ENDED;
	lws_sul_cancel(&c->sul_retry);
	if (c->app.on_end != NULL)
		c->app.on_end(c, e, e == SIOCLIENT_CLOSED ? "" : why);
	forget(c, e == SIOCLIENT_CLOSED ? "the client closed" : why);
}

/*
 * The connection or the attempt is over: retry when the client was
 * connected once and may, else end with 'e'.  Ends at once for what a
 * retry would not mend.
 */
static void lost(struct sioclient *c, enum sioclient_end e, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
lost(struct sioclient *c, enum sioclient_end e, const char *fmt, ...)
{
	char why[512], msg[640];
	enum sioclient_state was = c->state;
	uint32_t delay;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (was == SIOCLIENT_ENDED)
		return;
	if (was == SIOCLIENT_CLOSING) {
		end(c, SIOCLIENT_CLOSED, "");
		return;
	}
	forget(c, "the connection was lost before the acknowledgement");
	if (e == SIOCLIENT_REFUSED || e == SIOCLIENT_PROTOCOL ||
	    e == SIOCLIENT_KICKED || e == SIOCLIENT_NOMEM ||
	    !c->ever_connected) {
		end(c, e, why);
		return;
	}
	if (!c->cfg.reconnect) {
		snprintf(msg, sizeof(msg), "connection lost: %s", why);
		end(c, SIOCLIENT_UNREACHABLE, msg);
		return;
	}
	if (c->cfg.reconnect_attempts != 0 &&
	    c->attempts >= c->cfg.reconnect_attempts) {
		snprintf(msg, sizeof(msg),
		    "gave up after %u reconnection "
		    "attempt%s: %s",
		    c->attempts, c->attempts == 1 ? "" : "s", why);
		end(c, SIOCLIENT_UNREACHABLE, msg);
		return;
	}
	delay = backoff_next(&c->backoff, backoff_random());
	if (c->attempts == 0)
		note(c, LOG_LEVEL_INFO,
		    "connection lost: %s; reconnecting in "
		    "%.1f s",
		    why, delay / 1000.0);
	else
		note(c, LOG_LEVEL_INFO,
		    "reconnection attempt %u failed: %s; "
		    "next in %.1f s",
		    c->attempts, why, delay / 1000.0);
	c->attempts++;
	c->state = SIOCLIENT_IDLE;
	schedule(c, &c->sul_retry, attempt, delay);
}

/* Says why an attempt failed before the WebSocket opened. */
static void
lost_handshake(struct sioclient *c, const char *cce)
{
	int st = c->http_status;

	if (st != 0 && st != 101) {
		lost(c,
		    st == 401 || st == 403 ? SIOCLIENT_FORBIDDEN :
		        st >= 500          ? SIOCLIENT_UNREACHABLE :
		                             SIOCLIENT_NOT_SIO,
		    "the server answered the WebSocket handshake with HTTP "
		    "%d%s",
		    st,
		    st == 404 || st == 400 ?
		        " (no Socket.IO server at this path?)" :
		        "");
	} else if (c->cert_refused) {
		lost(c, SIOCLIENT_UNTRUSTED,
		    "the server's TLS certificate is "
		    "not trusted (--cacert names a CA; --insecure trusts any)");
	} else if (c->sent_request) {
		lost(c, SIOCLIENT_NOT_SIO,
		    "the server did not complete the "
		    "WebSocket handshake (%s)",
		    cce ? cce : "closed");
	} else if (cce == NULL || strcmp(cce, "Unable to connect") == 0) {
		/* lws's words for a refused or unreachable address. */
		lost(c, SIOCLIENT_UNREACHABLE,
		    "cannot connect to %s port %d: "
		    "refused or unreachable",
		    c->cfg.url->host, c->cfg.url->port);
	} else {
		lost(c, SIOCLIENT_UNREACHABLE,
		    "cannot connect to %s port %d: "
		    "%s",
		    c->cfg.url->host, c->cfg.url->port, cce);
	}
}

/* Timers ----------------------------------------------------------------- */

static void
deadline_fired(lws_sorted_usec_list_t *sul)
{
	struct sioclient *c = lws_container_of(sul, struct sioclient,
	    sul_deadline);

	switch (c->state) {
	case SIOCLIENT_CONNECTING:
		if (c->sent_request)
			lost(c, SIOCLIENT_NOT_SIO,
			    "no answer to the WebSocket "
			    "handshake within %u ms",
			    c->cfg.connect_timeout_ms);
		else
			lost(c, SIOCLIENT_UNREACHABLE,
			    "cannot connect to %s "
			    "port %d within %u ms",
			    c->cfg.url->host, c->cfg.url->port,
			    c->cfg.connect_timeout_ms);
		break;
	case SIOCLIENT_OPENING:
		lost(c, SIOCLIENT_NOT_SIO,
		    "no Engine.IO open packet within "
		    "%u ms",
		    c->cfg.connect_timeout_ms);
		break;
	case SIOCLIENT_JOINING:
		lost(c, SIOCLIENT_NOT_SIO, "no answer to CONNECT within %u ms",
		    c->cfg.connect_timeout_ms);
		break;
	case SIOCLIENT_CLOSING:
		end(c, SIOCLIENT_CLOSED, "");
		break;
	default:
		break;
	}
}

static void
ping_fired(lws_sorted_usec_list_t *sul)
{
	struct sioclient *c = lws_container_of(sul, struct sioclient,
	    sul_ping);

	lost(c, SIOCLIENT_UNREACHABLE, "no ping from the server within %u ms",
	    c->open.ping_interval_ms + c->open.ping_timeout_ms);
}

static void
ping_arm(struct sioclient *c)
{
	schedule(c, &c->sul_ping, ping_fired,
	    (int64_t)c->open.ping_interval_ms + c->open.ping_timeout_ms);
}

static void ack_fired(lws_sorted_usec_list_t *sul);

static void
ack_arm(struct sioclient *c)
{
	struct sioclient_ack *a = TAILQ_FIRST(&c->acks);

	if (a == NULL)
		lws_sul_cancel(&c->sul_ack);
	else
		schedule(c, &c->sul_ack, ack_fired, a->deadline - mono_ms());
}

static void
ack_fired(lws_sorted_usec_list_t *sul)
{
	struct sioclient *c = lws_container_of(sul, struct sioclient, sul_ack);
	char why[96];
	int user;

	snprintf(why, sizeof(why), "no acknowledgement within %u ms",
	    c->cfg.ack_timeout_ms);
	user = acks_expire(c, mono_ms(), why);
	if (c->state != SIOCLIENT_ENDED)
		ack_arm(c);
	if (user)
		drained(c);
}

/* Connecting ------------------------------------------------------------- */

static void
attempt(lws_sorted_usec_list_t *sul)
{
	struct sioclient *c = lws_container_of(sul, struct sioclient,
	    sul_retry);
	struct lws_client_connect_info info;
	struct addrinfo hints, *res;
	int rc;

	c->state = SIOCLIENT_CONNECTING;
	c->sent_request = 0;
	c->http_status = 0;
	c->cert_refused = 0;
	c->close_why[0] = '\0';
	memset(&info, 0, sizeof(info));
	info.context = c->ctx;
	info.address = c->cfg.url->host;
	info.port = c->cfg.url->port;
	info.path = c->path;
	info.host = c->host;
	info.ietf_version_or_minus_one = -1;
	info.local_protocol_name = "georoom-sioclient";
	info.alpn = "http/1.1";
	info.pwsi = &c->wsi;
	if (c->cfg.url->tls) {
		info.ssl_connection = LCCSCF_USE_SSL;
		if (c->cfg.insecure)
			info.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED |
			    LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
			    LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
	}
	schedule(c, &c->sul_deadline, deadline_fired,
	    c->cfg.connect_timeout_ms);
	if (lws_client_connect_via_info(&info) != NULL)
		return;
	/* A failure lws reports only by returning NULL: tell a name that
	 * does not resolve from an address that does not answer. */
	c->wsi = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(c->cfg.url->host, NULL, &hints, &res);
	if (rc != 0) {
		lost(c, SIOCLIENT_UNREACHABLE, "cannot resolve '%s': %s",
		    c->cfg.url->host, gai_strerror(rc));
		return;
	}
	freeaddrinfo(res);
	lost(c, SIOCLIENT_UNREACHABLE,
	    "cannot connect to %s port %d: "
	    "refused or unreachable",
	    c->cfg.url->host, c->cfg.url->port);
}

/*
 * The CONNECT payload that asks the hub for the session back: the auth
 * payload with "pid" and, once an event came, "offset", as socket.io-client
 * writes it (the auth payload's own members win).  Owned, or NULL when
 * out of memory (the client then connects afresh).
 */
static char *
recovery_auth(const struct sioclient *c)
{
	jv auth = c->cfg.auth != NULL ? jv_parse(c->cfg.auth) : jv_object();
	jv o = jv_object_set(jv_object(), jv_string("pid"), jv_string(c->pid));
	char *text;

	if (c->offset[0] != '\0')
		o = jv_object_set(o, jv_string("offset"),
		    jv_string(c->offset));
	if (jv_get_kind(auth) == JV_KIND_OBJECT)
		o = jv_object_merge(o, auth);
	else
		jv_free(auth);
	o = jv_dump_string(o, 0);
	text = jv_is_valid(o) ? strdup(jv_string_value(o)) : NULL;
	jv_free(o);
	return text;
}

/* The Engine.IO open packet: the heartbeat, then CONNECT. */
static int
on_open(struct sioclient *c, const char *json, size_t len)
{
	char *auth = c->pid[0] != '\0' ? recovery_auth(c) : NULL;
	const char *payload = auth != NULL ? auth : c->cfg.auth;
	int rc;

	if (eio_parse_open(json, len, &c->open) == -1) {
		free(auth);
		lost(c, SIOCLIENT_NOT_SIO, "bad Engine.IO open packet");
		return -1;
	}
	if (c->open.ping_interval_ms == 0 && c->open.ping_timeout_ms == 0)
		lws_sul_cancel(&c->sul_ping);
	else
		ping_arm(c);
	c->state = SIOCLIENT_JOINING;
	rc = send_ctrl(c,
	    msg_packet(c, SIO_CONNECT, payload, payload ? strlen(payload) : 0,
	        SIO_NO_ACK));
	free(auth);
	if (rc == -1) {
		lost(c, SIOCLIENT_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

/* Encodes one event, with a fresh ack id when asked. */
static struct sioclient_msg *
msg_event(struct sioclient *c, const char *json, size_t len, int ack,
    uint64_t tag, int user)
{
	struct sioclient_msg *m;
	int64_t id = SIO_NO_ACK;

	if (ack) {
		id = c->next_ack_id;
		c->next_ack_id = c->next_ack_id == SIO_ACK_MAX ?
		    0 :
		    c->next_ack_id + 1;
	}
	m = msg_packet(c, SIO_EVENT, json, len, id);
	if (m != NULL) {
		m->tag = tag;
		m->user = user;
		m->event = 1;
	}
	return m;
}

/*
 * Takes the pid of CONNECT's answer: the session was recovered when it is
 * the one sent back, else it is a new one (or the hub offers none), whose
 * events start afresh.
 */
static void
take_pid(struct sioclient *c, jv data)
{
	jv pid = jv_get_kind(data) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(data), jv_string("pid")) :
	    jv_invalid();
	const char *p = jv_get_kind(pid) == JV_KIND_STRING ?
	    jv_string_value(pid) :
	    "";

	c->recovered = c->pid[0] != '\0' && strcmp(p, c->pid) == 0;
	if (!c->recovered)
		c->offset[0] = '\0';
	/* One too long to keep is no pid: no recovery is asked with it. */
	if (strlen(p) >= sizeof(c->pid))
		p = "";
	snprintf(c->pid, sizeof(c->pid), "%s", p);
	jv_free(pid);
}

/*
 * With a pid, an event without an ack id ends with the hub's offset, a
 * string, as socket.io's adapter appends it: noted as the last one seen,
 * and taken off the arguments the application sees, written into *out
 * (whose data the caller frees) with its text in *text (owned).  Returns
 * 1 when it did so, 0 when the event has none.
 */
static int
take_offset(struct sioclient *c, const struct sio_packet *pkt,
    struct sio_packet *out, char **text)
{
	struct json_scan s;
	const char *prev_end = NULL, *end = NULL;
	jv last;
	int n;

	if (c->pid[0] == '\0' || pkt->h.ack_id != SIO_NO_ACK ||
	    jv_get_kind(pkt->data) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(pkt->data))) < 2)
		return 0;
	last = jv_array_get(jv_copy(pkt->data), n - 1);
	if (jv_get_kind(last) != JV_KIND_STRING) {
		jv_free(last);
		return 0;
	}
	/* One too long to keep cannot be sent back: the session is then
	 * not asked for, rather than asked for from an older offset. */
	if ((size_t)jv_string_length_bytes(jv_copy(last)) >= sizeof(c->offset))
		c->pid[0] = '\0';
	else
		snprintf(c->offset, sizeof(c->offset), "%s",
		    jv_string_value(last));
	jv_free(last);
	/* The text up to the end of the element before the offset. */
	json_scan_init(&s, pkt->json, pkt->json_len);
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '['))
		return 0;
	for (;;) {
		json_scan_skip_space(&s);
		if (json_scan_skip_value(&s, SIO_JSON_DEPTH_MAX) == -1)
			return 0;
		prev_end = end;
		end = (const char *)s.p;
		json_scan_skip_space(&s);
		if (json_scan_take(&s, ']'))
			break;
		if (!json_scan_take(&s, ','))
			return 0;
	}
	if (prev_end == NULL ||
	    (*text = malloc((size_t)(prev_end - pkt->json) + 1)) == NULL)
		return 0;
	memcpy(*text, pkt->json, (size_t)(prev_end - pkt->json));
	(*text)[prev_end - pkt->json] = ']';
	*out = *pkt;
	out->json = *text;
	out->json_len = (size_t)(prev_end - pkt->json) + 1;
	out->data = jv_array_slice(jv_copy(pkt->data), 0, n - 1);
	return 1;
}

/* CONNECT answered: the sticky events, then whatever waited. */
static int
on_connected(struct sioclient *c, const struct sio_packet *pkt)
{
	struct sioclient_sticky *s;
	jv sid = jv_get_kind(pkt->data) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(pkt->data), jv_string("sid")) :
	    jv_invalid();
	int again = c->ever_connected, offered = c->pid[0] != '\0';

	if (jv_get_kind(sid) == JV_KIND_STRING)
		snprintf(c->sid, sizeof(c->sid), "%s", jv_string_value(sid));
	else
		c->sid[0] = '\0';
	jv_free(sid);
	take_pid(c, pkt->data);
	lws_sul_cancel(&c->sul_deadline);
	c->state = SIOCLIENT_CONNECTED;
	c->ever_connected = 1;
	c->unacked_events = 0;
	if (again)
		note(c, LOG_LEVEL_INFO, "reconnected after %u attempt%s%s",
		    c->attempts, c->attempts == 1 ? "" : "s",
		    c->recovered ? ", session recovered" :
		        offered  ? ", a new session: events sent meanwhile "
		                   "are lost" :
		                   "");
	c->attempts = 0;
	backoff_reset(&c->backoff);
	TAILQ_FOREACH(s, &c->sticky, link) {
		if (send_ctrl(c,
		        msg_event(c, s->json, s->len, s->ack, s->tag, 0)) ==
		    -1) {
			lost(c, SIOCLIENT_NOMEM, "out of memory");
			return -1;
		}
	}
	want_write(c);
	if (c->app.on_connect != NULL)
		c->app.on_connect(c, c->sid, again);
	return 0;
}

static void
on_ack_packet(struct sioclient *c, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	struct sioclient_ack *a;

	TAILQ_FOREACH(a, &c->acks, link)
		if (a->id == pkt->h.ack_id)
			break;
	if (a == NULL)
		return; /* timed out already, or never asked */
	TAILQ_REMOVE(&c->acks, a, link);
	if (a->user)
		c->user_acks--;
	ack_arm(c);
	if (c->app.on_ack != NULL)
		c->app.on_ack(c, a->tag, pkt, att, natt, NULL);
	if (a->user)
		drained(c);
	free(a);
}

/*
 * A complete packet, with its 'natt' attachments (borrowed) if any.  -1:
 * the wsi must close.
 */
static int
dispatch(struct sioclient *c, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt)
{
	struct sio_packet bare;
	char msg[256], *text;
	jv m;

	switch (pkt->h.type) {
	case SIO_CONNECT:
		if (c->state != SIOCLIENT_JOINING) {
			lost(c, SIOCLIENT_PROTOCOL, "CONNECT while connected");
			return -1;
		}
		return on_connected(c, pkt);
	case SIO_CONNECT_ERROR:
		m = pkt->data;
		if (jv_get_kind(m) == JV_KIND_OBJECT)
			m = jv_object_get(jv_copy(m), jv_string("message"));
		else
			m = jv_copy(m);
		snprintf(msg, sizeof(msg), "%s",
		    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) :
		                                       "no reason given");
		jv_free(m);
		lost(c, SIOCLIENT_REFUSED,
		    "the server refused namespace %s: "
		    "%s",
		    c->cfg.ns, msg);
		return -1;
	case SIO_DISCONNECT:
		lost(c, SIOCLIENT_KICKED,
		    "the server disconnected this client "
		    "from namespace %s",
		    c->cfg.ns);
		return -1;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		if (c->state != SIOCLIENT_CONNECTED)
			return 0;
		if (take_offset(c, pkt, &bare, &text)) {
			if (c->app.on_event != NULL)
				c->app.on_event(c, &bare, att, natt);
			jv_free(bare.data);
			free(text);
		} else if (c->app.on_event != NULL) {
			c->app.on_event(c, pkt, att, natt);
		}
		return 0;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		on_ack_packet(c, pkt, att, natt);
		return 0;
	}
	return 0;
}

/* Packets of other namespaces belong to other clients. */
static int
own_namespace(const struct sioclient *c, const struct sio_packet *pkt)
{
	return pkt->h.nsp_len == c->ns_len &&
	    memcmp(pkt->h.nsp, c->cfg.ns, c->ns_len) == 0;
}

/* Says why a message broke the protocol; the wsi must close. */
static int
on_rx_error(struct sioclient *c, enum siorx_kind k, const char *err)
{
	switch (k) {
	case SIORX_ERR_NOT_EIO:
		lost(c,
		    c->state == SIOCLIENT_OPENING ? SIOCLIENT_NOT_SIO :
		                                    SIOCLIENT_PROTOCOL,
		    "the server sent something that is not "
		    "Engine.IO");
		break;
	case SIORX_ERR_SIO:
		lost(c, SIOCLIENT_PROTOCOL,
		    "bad Socket.IO packet from the "
		    "server: %s",
		    err);
		break;
	case SIORX_ERR_TEXT_DUE:
		lost(c, SIOCLIENT_PROTOCOL,
		    "a text frame while attachments "
		    "were due");
		break;
	case SIORX_ERR_UNANNOUNCED:
		lost(c, SIOCLIENT_PROTOCOL,
		    "a binary frame no packet announced");
		break;
	case SIORX_ERR_TOO_BIG:
		lost(c, SIOCLIENT_PROTOCOL,
		    "attachments larger than "
		    "%zu bytes",
		    c->cfg.max_message);
		break;
	default:
		lost(c, SIOCLIENT_NOMEM, "out of memory");
		break;
	}
	return -1;
}

/* An Engine.IO packet other than a message.  -1: the wsi must close. */
static int
on_eio(struct sioclient *c, enum eio_type type)
{
	switch (type) {
	case EIO_PING:
		ping_arm(c);
		return send_ctrl(c, msg_raw("3", 1)) == -1 ? -1 : 0;
	case EIO_CLOSE:
		lost(c, SIOCLIENT_UNREACHABLE,
		    "the server closed the session");
		return -1;
	case EIO_PONG:
	case EIO_NOOP:
	case EIO_UPGRADE:
		return 0;
	case EIO_OPEN:
	case EIO_MESSAGE:
		break;
	}
	lost(c, SIOCLIENT_PROTOCOL, "a second Engine.IO open packet");
	return -1;
}

/* One whole WebSocket message.  Returns -1 when the wsi must close. */
static int
on_message(struct sioclient *c, const unsigned char *data, size_t len,
    int binary)
{
	struct siorx_msg m;
	enum siorx_kind k;
	char err[128];
	int rc = 0;

	k = siorx_feed(&c->siorx, data, len, binary, c->cfg.max_message, &m,
	    err, sizeof(err));
	if (c->state == SIOCLIENT_OPENING && !binary &&
	    k != SIORX_ERR_NOT_EIO) {
		if (k == SIORX_EIO && m.eio == EIO_OPEN)
			return on_open(c, m.payload, m.payload_len);
		sio_packet_release(&m.pkt);
		lost(c, SIOCLIENT_NOT_SIO,
		    "the server's first message "
		    "is not an Engine.IO open packet");
		return -1;
	}
	switch (k) {
	case SIORX_EIO:
		return on_eio(c, m.eio);
	case SIORX_BEGIN:
		if (!own_namespace(c, &m.pkt))
			siorx_cancel(&c->siorx);
		break;
	case SIORX_PACKET:
		if (own_namespace(c, &m.pkt))
			rc = dispatch(c, &m.pkt, m.att, m.natt);
		break;
	case SIORX_MORE:
		break;
	default:
		return on_rx_error(c, k, err);
	}
	sio_packet_release(&m.pkt);
	return rc;
}

static int
receive(struct sioclient *c, struct lws *wsi, const unsigned char *in,
    size_t len)
{
	int final = lws_is_final_fragment(wsi), binary, rc;
	const unsigned char *data;
	size_t dlen;

	rc = wsmsg_add(&c->rx, in, len, lws_frame_is_binary(wsi), final,
	    c->cfg.max_message, &data, &dlen, &binary);
	if (rc == -1 && errno == EMSGSIZE)
		goto too_big;
	if (rc == -1) {
		lost(c, SIOCLIENT_NOMEM, "out of memory");
		return -1;
	}
	if (rc == 0)
		return 0;
	rc = on_message(c, data, dlen, binary);
	wsmsg_done(&c->rx, RX_KEEP);
	return rc;
too_big:
	lost(c, SIOCLIENT_PROTOCOL, "a message larger than %zu bytes",
	    c->cfg.max_message);
	return -1;
}

static int
writable(struct sioclient *c, struct lws *wsi)
{
	struct sioclient_msg *m = TAILQ_FIRST(&c->ctrl);
	struct sioclient_ack *a;
	int from_queue = 0;

	if (m == NULL && c->state == SIOCLIENT_CLOSING) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;
	}
	if (m == NULL && c->state == SIOCLIENT_CONNECTED) {
		m = TAILQ_FIRST(&c->queue);
		from_queue = 1;
	}
	if (m == NULL)
		return 0;
	if (c->open.max_payload != 0 && m->len > c->open.max_payload &&
	    from_queue) {
		/* The server would close on it: drop it alone. */
		note(c, LOG_LEVEL_WARN,
		    "an event of %zu bytes is larger than "
		    "the server accepts (%llu); dropped",
		    m->len, (unsigned long long)c->open.max_payload);
	} else if (lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT) <
	    (int)m->len) {
		lost(c, SIOCLIENT_UNREACHABLE, "writing to the server failed");
		return -1;
	} else if (m->ack_id == SIO_NO_ACK) {
		if (m->event)
			c->unacked_events++;
	} else {
		if ((a = calloc(1, sizeof(*a))) == NULL) {
			lost(c, SIOCLIENT_NOMEM, "out of memory");
			return -1;
		}
		a->id = m->ack_id;
		a->tag = m->tag;
		a->user = m->user;
		a->deadline = mono_ms() + c->cfg.ack_timeout_ms;
		TAILQ_INSERT_TAIL(&c->acks, a, link);
		if (a->user)
			c->user_acks++;
		if (TAILQ_FIRST(&c->acks) == a)
			ack_arm(c);
	}
	if (from_queue) {
		TAILQ_REMOVE(&c->queue, m, link);
		c->queued--;
		c->queued_bytes -= m->len;
	} else {
		TAILQ_REMOVE(&c->ctrl, m, link);
	}
	free(m);
	want_write(c);
	if (c->state == SIOCLIENT_CLOSING && TAILQ_EMPTY(&c->ctrl))
		lws_callback_on_writable(wsi);
	if (from_queue)
		drained(c);
	return 0;
}

static int
append_headers(struct sioclient *c, struct lws *wsi, unsigned char **p,
    unsigned char *end)
{
	size_t i;

	c->sent_request = 1;
	if (c->cfg.user_agent != NULL &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT,
	        (const unsigned char *)c->cfg.user_agent,
	        (int)strlen(c->cfg.user_agent), p, end))
		return -1;
	for (i = 0; i < c->cfg.nheaders; i++)
		if (lws_add_http_header_by_name(wsi,
		        (const unsigned char *)c->header_names[i],
		        (const unsigned char *)c->header_values[i],
		        (int)strlen(c->header_values[i]), p, end))
			return -1;
	return 0;
}

static int
sioclient_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);
	struct sioclient *c;

	(void)user;
	/* As the vhost's first protocol, this also hears of other
	 * protocols' connections (WSI_DESTROY, ...): leave them be. */
	if (proto == NULL || proto->callback != sioclient_callback)
		return 0;
	c = proto->user;
	if (c == NULL || wsi == NULL || wsi != c->wsi)
		return 0; /* not ours, or a connection let go */
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return append_headers(c, wsi, (unsigned char **)in,
		    *(unsigned char **)in + len);
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* OpenSSL's verdict, in 'len'; lws acts on it. */
		if (len == 0)
			c->cert_refused = 1;
		return 0;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		c->http_status = (int)lws_http_client_http_response(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char cce[256];

		snprintf(cce, sizeof(cce), "%.*s", in ? (int)len : 0,
		    in ? (const char *)in : "");
		/* lws counts the NUL of some of its messages. */
		cce[strcspn(cce, "\r\n")] = '\0';
		c->wsi = NULL;
		lost_handshake(c, cce[0] ? cce : NULL);
		return 0;
	}
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		/* A server that closes the connection before it answers the
		 * upgrade: lws 4.1 frees the wsi with no CONNECTION_ERROR
		 * (and leaves it in *pwsi), so it is let go here. */
		c->wsi = NULL;
		lost_handshake(c, NULL);
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->state = SIOCLIENT_OPENING;
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return receive(c, wsi, in, len);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return writable(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			const unsigned char *b = in;

			snprintf(c->close_why, sizeof(c->close_why),
			    " (close code %u%s%.*s)", (b[0] << 8) | b[1],
			    len > 2 ? ": " : "",
			    (int)(len > 100 ? 98 : len - 2),
			    (const char *)b + 2);
		}
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/*
		 * Gone without CONNECTION_ERROR or CLIENT_CLOSED, as lws 4.1
		 * lets a handshake go that a TLS port answered with a TLS
		 * alert: nothing of the wsi may be used after this, and the
		 * attempt is over.  (After those two, c->wsi is NULL and
		 * this is not reached.)
		 */
		c->wsi = NULL;
		if (c->state == SIOCLIENT_CONNECTING)
			lost_handshake(c, "closed");
		else if (c->state != SIOCLIENT_IDLE &&
		    c->state != SIOCLIENT_ENDED)
			lost(c, SIOCLIENT_UNREACHABLE,
			    "the server closed the connection%s",
			    c->close_why);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		c->wsi = NULL;
		if (c->state == SIOCLIENT_OPENING)
			lost(c, SIOCLIENT_NOT_SIO,
			    "the server closed the "
			    "WebSocket before an Engine.IO open packet%s",
			    c->close_why);
		else if (c->state == SIOCLIENT_JOINING)
			lost(c, SIOCLIENT_NOT_SIO,
			    "the server closed the "
			    "WebSocket before answering CONNECT%s",
			    c->close_why);
		else
			lost(c, SIOCLIENT_UNREACHABLE,
			    "the server closed the "
			    "connection%s",
			    c->close_why);
		return 0;
	default:
		return 0;
	}
}

/* Public ----------------------------------------------------------------- */

int
sioclient_init(struct sioclient *c, const struct sioclient_config *cfg,
    const struct sioclient_app *app, char *err, size_t errlen)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->app = *app;
	c->ns_len = strlen(cfg->ns);
	TAILQ_INIT(&c->ctrl);
	TAILQ_INIT(&c->queue);
	TAILQ_INIT(&c->acks);
	TAILQ_INIT(&c->sticky);
	backoff_init(&c->backoff, cfg->reconnect_delay_ms,
	    cfg->reconnect_delay_max_ms, cfg->reconnect_jitter);
	if (wsurl_handshake_path(cfg->url, cfg->path, c->path,
	        sizeof(c->path)) == -1) {
		snprintf(err, errlen, "bad handshake path '%s'", cfg->path);
		return -1;
	}
	if (wsurl_host_header(cfg->url, c->host, sizeof(c->host)) == -1) {
		snprintf(err, errlen, "host name too long");
		return -1;
	}
	if (cfg->nheaders > 0) {
		c->header_names = calloc(cfg->nheaders, sizeof(char *));
		c->header_values = calloc(cfg->nheaders, sizeof(char *));
		if (c->header_names == NULL || c->header_values == NULL)
			goto nomem;
	}
	for (i = 0; i < cfg->nheaders; i++) {
		const char *h = cfg->headers[i], *colon = strchr(h, ':');
		const char *v;

		if (colon == NULL || colon == h) {
			snprintf(err, errlen,
			    "header '%s' is not 'Name: "
			    "value'",
			    h);
			sioclient_release(c);
			return -1;
		}
		for (const char *p = h; p < colon; p++) {
			if (*p <= 0x20 || *p >= 0x7f) {
				snprintf(err, errlen,
				    "bad header name in "
				    "'%s'",
				    h);
				sioclient_release(c);
				return -1;
			}
		}
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (const char *p = v; *p != '\0'; p++) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
				snprintf(err, errlen,
				    "control character in "
				    "header '%.*s'",
				    (int)(colon - h), h);
				sioclient_release(c);
				return -1;
			}
		}
		if ((c->header_names[i] = strndup(h,
		         (size_t)(colon - h) + 1)) == NULL)
			goto nomem;
		c->header_values[i] = v;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	sioclient_release(c);
	return -1;
}

void
sioclient_release(struct sioclient *c)
{
	struct sioclient_sticky *s;
	struct sioclient_ack *a;

	msgq_clear(&c->ctrl);
	msgq_clear(&c->queue);
	while ((a = TAILQ_FIRST(&c->acks)) != NULL) {
		TAILQ_REMOVE(&c->acks, a, link);
		free(a);
	}
	while ((s = TAILQ_FIRST(&c->sticky)) != NULL) {
		TAILQ_REMOVE(&c->sticky, s, link);
		free(s);
	}
	wsmsg_release(&c->rx);
	siorx_release(&c->siorx);
	if (c->header_names != NULL)
		for (size_t i = 0; i < c->cfg.nheaders; i++)
			free(c->header_names[i]);
	free(c->header_names);
	free(c->header_values);
	c->header_names = NULL;
	c->header_values = NULL;
}

void
sioclient_protocol(struct sioclient *c, struct lws_protocols *proto)
{
	memset(proto, 0, sizeof(*proto));
	proto->name = "georoom-sioclient";
	proto->callback = sioclient_callback;
	proto->rx_buffer_size = 4096;
	proto->user = c;
}

void
sioclient_start(struct sioclient *c, struct lws_context *ctx)
{
	c->ctx = ctx;
	schedule(c, &c->sul_retry, attempt, 0);
}

int
sioclient_emit(struct sioclient *c, const char *json, size_t len, int ack,
    uint64_t tag)
{
	struct sioclient_msg *m;

	if (c->state == SIOCLIENT_ENDED || c->state == SIOCLIENT_CLOSING) {
		errno = EPIPE;
		return -1;
	}
	if (c->queued + c->user_acks >= c->cfg.max_queue ||
	    (c->queued > 0 &&
	        c->queued_bytes + len > c->cfg.max_queue_bytes)) {
		errno = ENOBUFS;
		return -1;
	}
	if (c->open.max_payload != 0 && len > c->open.max_payload) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((m = msg_event(c, json, len, ack, tag, 1)) == NULL)
		return -1;
	TAILQ_INSERT_TAIL(&c->queue, m, link);
	c->queued++;
	c->queued_bytes += m->len;
	want_write(c);
	return 0;
}

int
sioclient_emit_sticky(struct sioclient *c, const char *json, size_t len,
    int ack, uint64_t tag)
{
	struct sioclient_sticky *s;

	if (c->state == SIOCLIENT_ENDED || c->state == SIOCLIENT_CLOSING) {
		errno = EPIPE;
		return -1;
	}
	if ((s = malloc(sizeof(*s) + len)) == NULL)
		return -1;
	s->tag = tag;
	s->ack = ack;
	s->len = len;
	memcpy(s->json, json, len);
	TAILQ_INSERT_TAIL(&c->sticky, s, link);
	if (c->state == SIOCLIENT_CONNECTED &&
	    send_ctrl(c, msg_event(c, json, len, ack, tag, 0)) == -1)
		return -1;
	return 0;
}

size_t
sioclient_pending(const struct sioclient *c)
{
	return c->queued + c->user_acks;
}

void
sioclient_close(struct sioclient *c)
{
	switch (c->state) {
	case SIOCLIENT_ENDED:
	case SIOCLIENT_CLOSING:
		return;
	case SIOCLIENT_CONNECTED:
		/*
		 * Only the transport closes, after what is written: no
		 * DISCONNECT packet.  socket.io 4.8 dispatches an event a
		 * tick after decoding it, so a DISCONNECT in the same read
		 * would drop the events just sent; a close frame comes later.
		 * A deadline stands in for a deaf peer.
		 */
		msgq_clear(&c->queue);
		c->queued = c->queued_bytes = 0;
		/* A hub that keeps sessions (it gave a pid) is told that this
		 * one ends, when that drops no event: every one written was
		 * acknowledged, so the server has handled it. */
		if (c->pid[0] != '\0' && c->unacked_events == 0)
			(void)send_ctrl(c,
			    msg_packet(c, SIO_DISCONNECT, NULL, 0,
			        SIO_NO_ACK));
		c->state = SIOCLIENT_CLOSING;
		lws_sul_cancel(&c->sul_ping);
		schedule(c, &c->sul_deadline, deadline_fired, 1000);
		if (c->wsi != NULL)
			lws_callback_on_writable(c->wsi);
		return;
	default:
		break;
	}
	c->state = SIOCLIENT_CLOSING;
	end(c, SIOCLIENT_CLOSED, "");
}
