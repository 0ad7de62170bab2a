/* polling.c - the Engine.IO long-polling transport (see polling.h). */
#include "polling.h"

#include <errno.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include "cidr.h"
#include "eio.h"
#include "eiopoll.h"
#include "hashtab.h"
#include "hub.h"
#include "log.h"
#include "mono.h"
#include "outq.h"
#include "peers.h"

enum ps_state {
	PS_OPEN,    /* in the table, its packets sent as they come */
	PS_CLOSING, /* the hub closes it: the next GET takes the rest and a
		     * close packet */
	PS_DONE,    /* nothing more for polling (the client closed it, or it
		     * moved to a WebSocket): a GET gets a noop */
	PS_DEAD,    /* to be freed */
};

/* A session's polling side; the session itself is the hub's. */
struct pollsess {
	struct polling *p;
	struct hub_conn *c;         /* NULL once it moved to a WebSocket */
	char sid[EIO_SID_MAX + 1];  /* its key in p->sids */
	struct lws *get, *post;     /* its requests now; NULL: none */
	struct pollsess **get_slot; /* where each request keeps 'ps' */
	struct pollsess **post_slot;
	unsigned char *body; /* owned: the POST's body so far */
	size_t body_len, body_cap;
	struct peer *addr;      /* its address in p->addrs; NULL: none */
	struct hub_conn *probe; /* a WebSocket that probes it (hub's) */
	int64_t deadline;       /* PS_CLOSING: freed then without a GET */
	uint8_t state;          /* enum ps_state */
	uint8_t in_table;       /* in p->sids */
	uint8_t probing;        /* the probe answered: GETs go at once */
	uint8_t queued;         /* in p->closing or p->dead */
	TAILQ_ENTRY(pollsess) link;
	TAILQ_ENTRY(pollsess) all_link;
	char peer[64];
};

TAILQ_HEAD(pollsess_queue, pollsess);

struct polling {
	struct hub *hub;
	struct hashtab sids;           /* sid -> struct pollsess */
	struct peers addrs;            /* sessions per client address */
	struct pollsess_queue closing; /* PS_CLOSING, by deadline */
	struct pollsess_queue dead;    /* to free at the next timer */
	struct pollsess_queue all;     /* every one, until freed */
	lws_sorted_usec_list_t sul;
	int64_t sul_at; /* ms when 'sul' fires; 0: idle */
	int freeing;    /* polling_free(): the lws context is gone */
};

static const char
    unknown_sid[] = "{\"code\":1,\"message\":\"Session ID unknown\"}",
    bad_request[] = "{\"code\":3,\"message\":\"Bad request\"}",
    too_large[] = "{\"code\":3,\"message\":\"Payload too large\"}",
    per_ip[] = "{\"code\":3,\"message\":\"Too many connections from this "
               "address\"}",
    no_memory[] = "{\"code\":3,\"message\":\"Out of memory\"}",
    shutting_down[] = "{\"code\":3,\"message\":\"Shutting down\"}";

/* Freeing, later ------------------------------------------------------ */

static void reap(lws_sorted_usec_list_t *sul);

static void
schedule(struct polling *p)
{
	int64_t next, now;
	struct pollsess *ps;

	if (!TAILQ_EMPTY(&p->dead))
		next = 0;
	else if ((ps = TAILQ_FIRST(&p->closing)) != NULL)
		next = ps->deadline;
	else
		return;
	if (p->sul_at != 0 && p->sul_at <= next && next != 0)
		return;
	now = mono_ms();
	p->sul_at = next > now ? next : now;
	lws_sul_schedule(p->hub->ctx, 0, &p->sul, reap,
	    (lws_usec_t)(next > now ? next - now : 0) * LWS_US_PER_MS);
}

static void
unqueue(struct pollsess *ps)
{
	if (!ps->queued)
		return;
	TAILQ_REMOVE(ps->state == PS_CLOSING ? &ps->p->closing : &ps->p->dead,
	    ps, link);
	ps->queued = 0;
}

/* Takes the session out of the table: no request finds it any more. */
static void
unlist(struct pollsess *ps)
{
	if (!ps->in_table)
		return;
	hashtab_del(&ps->p->sids, ps->sid, strlen(ps->sid));
	ps->in_table = 0;
}

/* The session is over for polling: freed at the next timer. */
static void
finish(struct pollsess *ps)
{
	unlist(ps);
	unqueue(ps);
	ps->state = PS_DEAD;
	ps->queued = 1;
	TAILQ_INSERT_TAIL(&ps->p->dead, ps, link);
	schedule(ps->p);
}

/* A request the session no longer wants: its connection is dropped. */
static void
drop_request(struct lws *wsi, struct pollsess **slot)
{
	if (wsi == NULL)
		return;
	*slot = NULL;
	lws_set_timeout(wsi, PENDING_TIMEOUT_USER_REASON_BASE,
	    LWS_TO_KILL_ASYNC);
}

static void
ps_free(struct pollsess *ps)
{
	struct polling *p = ps->p;

	unlist(ps);
	unqueue(ps);
	if (ps->c != NULL) {
		hub_poll_hold(ps->c, 0);
		hub_poll_free(ps->c);
		ps->c = NULL;
	}
	if (!p->freeing && !p->hub->shutting_down) {
		drop_request(ps->get, ps->get_slot);
		drop_request(ps->post, ps->post_slot);
	} else { /* the context is going or gone: just forget them */
		if (ps->get != NULL)
			*ps->get_slot = NULL;
		if (ps->post != NULL)
			*ps->post_slot = NULL;
	}
	if (ps->addr != NULL)
		peers_drop(&p->addrs, ps->addr);
	TAILQ_REMOVE(&p->all, ps, all_link);
	free(ps->body);
	free(ps);
}

static void
reap(lws_sorted_usec_list_t *sul)
{
	struct polling *p = lws_container_of(sul, struct polling, sul);
	int64_t now = mono_ms();
	struct pollsess *ps;

	p->sul_at = 0;
	while ((ps = TAILQ_FIRST(&p->dead)) != NULL)
		ps_free(ps);
	while (
	    (ps = TAILQ_FIRST(&p->closing)) != NULL && ps->deadline <= now) {
		hub_log(p->hub, HUB_LOG_DEBUG,
		    "close sid=%s: no GET took its last packets", ps->sid);
		ps_free(ps);
	}
	schedule(p);
}

/* HTTP answers ---------------------------------------------------------- */

/*
 * Writes an answer with 'status', content type 'type' and the 'len' bytes
 * of 'body' (which has LWS_PRE bytes of room before it), with CORS headers
 * for a browser from another origin (the hub let only allowed origins
 * through), and ends the request; the connection stays for the next one
 * unless the client said otherwise.  'preflight' adds the headers that
 * answer an OPTIONS preflight.  Returns what the callback returns.
 */
static int
answer_http(struct lws *wsi, unsigned status, const char *type,
    unsigned char *body, size_t len, int preflight)
{
	unsigned char hbuf[LWS_PRE + 2048], *start = hbuf + LWS_PRE,
	                                    *hp = start;
	unsigned char *end = hbuf + sizeof(hbuf) - 1;
	char origin[512], asked[512], conn[32];
	int olen, alen;

	olen = lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN);
	if (lws_add_http_common_headers(wsi, status, type, (lws_filepos_t)len,
	        &hp, end))
		return -1;
	/* Credentials (cookies, as a sticky load balancer sets) need the
	 * origin itself, never "*". */
	if (olen > 0 &&
	    (lws_add_http_header_by_name(wsi,
	         (const unsigned char *)"access-control-allow-origin:",
	         (const unsigned char *)origin, olen, &hp, end) ||
	        lws_add_http_header_by_name(wsi,
	            (const unsigned char *)"access-control-allow-credentials:",
	            (const unsigned char *)"true", 4, &hp, end) ||
	        lws_add_http_header_by_name(wsi,
	            (const unsigned char *)"vary:",
	            (const unsigned char *)"Origin", 6, &hp, end)))
		return -1;
	if (preflight) {
		alen = lws_hdr_copy(wsi, asked, sizeof(asked),
		    WSI_TOKEN_HTTP_AC_REQUEST_HEADERS);
		if (lws_add_http_header_by_name(wsi,
		        (const unsigned char *)"access-control-allow-methods:",
		        (const unsigned char *)"GET, POST", 9, &hp, end) ||
		    (alen > 0 &&
		        lws_add_http_header_by_name(wsi,
		            (const unsigned char *)"access-control-allow-"
		                                   "headers:",
		            (const unsigned char *)asked, alen, &hp, end)))
			return -1;
	}
	/* lws closes the connection after the answer when the request asked
	 * it to; the client must be told so, or it may send its next
	 * request on it (Node's agent does). */
	if (lws_hdr_copy(wsi, conn, sizeof(conn), WSI_TOKEN_CONNECTION) > 0 &&
	    strcasecmp(conn, "close") == 0 &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
	        (const unsigned char *)"close", 5, &hp, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &hp, end))
		return -1;
	if (len > 0 &&
	    lws_write(wsi, body, len, LWS_WRITE_HTTP_FINAL) != (int)len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* A refusal, the connection ending with it, counted. */
static int
refuse(struct polling *p, struct lws *wsi, unsigned status, const char *body)
{
	p->hub->stats.refused++;
	p->hub->stats.refused_by[REFUSE_POLLING]++;
	(void)hub_http_reply(wsi, status, body);
	return -1;
}

/* Whether the waiting GET should be answered now. */
static int
answer_due(const struct pollsess *ps)
{
	return ps->state != PS_OPEN || ps->probing ||
	    (ps->c != NULL && hub_poll_queue(ps->c)->count > 0);
}

/*
 * Answers the waiting GET with what the session has queued, as one
 * payload of at most POLLING_ANSWER_MAX bytes (or its first packet): then
 * a close packet when the session closes and nothing is left; a noop when
 * there is nothing else to say.  Returns what the callback returns.
 */
static int
answer_get(struct pollsess *ps)
{
	struct lws *wsi = ps->get;
	struct outq *q = NULL;
	unsigned char *buf;
	const struct frame *f;
	size_t total = 0, off;
	uint32_t n = 0, i;
	const char *tail = NULL;
	long sz;
	int rc;

	if (ps->c != NULL && ps->state != PS_DONE)
		q = hub_poll_queue(ps->c);
	for (; q != NULL && n < q->count; n++) {
		f = outq_at(q, n);
		if ((sz = eiopoll_size(f->data, f->len)) < 0)
			break; /* cannot happen: the hub frames them */
		if (n > 0 && total + 1 + (size_t)sz > POLLING_ANSWER_MAX)
			break;
		total += (n > 0) + (size_t)sz;
	}
	if (ps->state == PS_CLOSING && (q == NULL || n == q->count))
		tail = "1";
	else if (n == 0)
		tail = "6";
	if ((buf = malloc(LWS_PRE + total + 2)) == NULL)
		return -1;
	off = LWS_PRE;
	for (i = 0; i < n; i++) {
		f = outq_at(q, i);
		if (i > 0)
			buf[off++] = EIOPOLL_SEP;
		off += eiopoll_encode(f->data, f->len, (char *)buf + off);
	}
	if (tail != NULL) {
		if (n > 0)
			buf[off++] = EIOPOLL_SEP;
		buf[off++] = (unsigned char)tail[0];
	}
	if (n > 0)
		hub_poll_sent(ps->c, n, off - LWS_PRE);
	ps->get = NULL;
	*ps->get_slot = NULL;
	if (ps->state == PS_DONE || (tail != NULL && tail[0] == '1'))
		finish(ps);
	rc = answer_http(wsi, 200, "text/plain; charset=UTF-8", buf + LWS_PRE,
	    off - LWS_PRE, 0);
	free(buf);
	return rc;
}

/* Requests -------------------------------------------------------------- */

static int
on_handshake(struct polling *p, struct lws *wsi, struct pollsess **slot)
{
	struct hub *hub = p->hub;
	struct pollsess *ps;
	struct cidr_addr a;
	struct peer *e;
	int have_addr = hub_wsi_addr(hub, wsi, &a) == 0;

	if (hub->shutting_down) /* on a connection kept alive */
		return refuse(p, wsi, 503, shutting_down);
	if (hub->cfg.max_per_ip != 0 && have_addr &&
	    (e = peers_find(&p->addrs, &a)) != NULL &&
	    e->conns >= hub->cfg.max_per_ip) {
		hub->stats.refused_per_ip++;
		hub_log(p->hub, HUB_LOG_DEBUG,
		    "refuse a polling handshake: --max-per-ip is reached");
		return refuse(p, wsi, 429, per_ip);
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return refuse(p, wsi, 503, no_memory);
	ps->p = p;
	ps->state = PS_OPEN;
	hub_wsi_peer(hub, wsi, ps->peer, sizeof(ps->peer));
	if ((ps->c = hub_poll_open(hub, wsi, ps)) == NULL) {
		free(ps);
		return refuse(p, wsi, 503, no_memory);
	}
	TAILQ_INSERT_TAIL(&p->all, ps, all_link);
	snprintf(ps->sid, sizeof(ps->sid), "%s", hub_poll_sid(ps->c));
	if (hashtab_put(&p->sids, ps->sid, strlen(ps->sid), ps) == -1) {
		ps_free(ps);
		return refuse(p, wsi, 503, no_memory);
	}
	ps->in_table = 1;
	if (hub->cfg.max_per_ip != 0 && have_addr)
		ps->addr = peers_add(&p->addrs, &a); /* NULL: not counted */
	ps->get = wsi;
	ps->get_slot = slot;
	*slot = ps;
	return answer_get(ps);
}

static int
on_get(struct polling *p, struct lws *wsi, struct pollsess **slot,
    struct pollsess *ps)
{
	if (ps->get != NULL) {
		/* As engine.io: one GET at a time, and a second one is an
		 * error of the client's that ends the session. */
		hub_log(p->hub, HUB_LOG_INFO,
		    "close sid=%s peer=%s: a second GET while one waits",
		    ps->sid, ps->peer);
		hub_poll_close(ps->c, "overlapping GET", 1);
		return refuse(p, wsi, 400, bad_request);
	}
	ps->get = wsi;
	ps->get_slot = slot;
	*slot = ps;
	/* It waits as long as the session has nothing to say, at most a
	 * ping interval: lws's timeout for HTTP content does not apply. */
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	return answer_due(ps) ? answer_get(ps) : 0;
}

static int
on_post(struct polling *p, struct lws *wsi, struct pollsess **slot,
    struct pollsess *ps)
{
	struct hub *hub = p->hub;
	char text[32], *end;
	unsigned long long n;

	if (ps->post != NULL) {
		hub_log(p->hub, HUB_LOG_INFO,
		    "close sid=%s peer=%s: a second POST while one is read",
		    ps->sid, ps->peer);
		hub_poll_close(ps->c, "overlapping POST", 1);
		return refuse(p, wsi, 400, bad_request);
	}
	/* Without a length, lws would read the body as the next request. */
	if (lws_hdr_copy(wsi, text, sizeof(text),
	        WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
		return refuse(p, wsi, 400, bad_request);
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || end == text)
		return refuse(p, wsi, 400, bad_request);
	if (n > hub->cfg.max_payload) {
		/* As engine.io: 413, before a byte of it is read; the
		 * client gives the session up. */
		hub_log(p->hub, HUB_LOG_INFO,
		    "refuse a POST of sid=%s peer=%s: %llu bytes, over %llu",
		    ps->sid, ps->peer, n,
		    (unsigned long long)hub->cfg.max_payload);
		hub->stats.protocol_errors++;
		return refuse(p, wsi, 413, too_large);
	}
	ps->post = wsi;
	ps->post_slot = slot;
	*slot = ps;
	ps->body_len = 0;
	return 0;
}

int
polling_http(struct polling *p, struct lws *wsi, struct pollsess **slot)
{
	char sid[EIO_SID_MAX + 2];
	struct pollsess *ps;

	if (slot == NULL)
		return refuse(p, wsi, 503, no_memory);
	*slot = NULL;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_OPTIONS_URI) > 0)
		return answer_http(wsi, 204, "text/plain", NULL, 0, 1);
	if (hub_query_arg(wsi, "sid", sid, sizeof(sid)) == -1)
		return on_handshake(p, wsi, slot);
	ps = hashtab_get(&p->sids, sid, strlen(sid));
	if (ps != NULL && ps->c != NULL && hub_poll_expired(ps->c)) {
		/* Its timer is due: a request cannot save it any more. */
		hub_poll_close(ps->c, "ping timeout", 0);
		ps = NULL;
	}
	if (ps == NULL || ps->state == PS_DEAD)
		return refuse(p, wsi, 400, unknown_sid);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0)
		return on_post(p, wsi, slot, ps);
	return on_get(p, wsi, slot, ps);
}

int
polling_body(struct polling *p, struct lws *wsi, struct pollsess **slot,
    const void *in, size_t len)
{
	struct pollsess *ps = slot != NULL ? *slot : NULL;
	size_t cap;
	void *nb;

	(void)p;
	if (ps == NULL || ps->post != wsi || ps->c == NULL ||
	    !hub_poll_is_open(ps->c))
		return 0; /* read and dropped: the session is closing */
	if (ps->body_len + len > ps->body_cap) {
		cap = ps->body_cap ? ps->body_cap : 1024;
		while (cap < ps->body_len + len)
			cap *= 2;
		if ((nb = realloc(ps->body, cap)) == NULL) {
			hub_poll_close(ps->c, "out of memory", 0);
			return 0;
		}
		ps->body = nb;
		ps->body_cap = cap;
	}
	memcpy(ps->body + ps->body_len, in, len);
	ps->body_len += len;
	/* Held like a message not yet whole: --max-unfinished and
	 * --message-timeout bound it. */
	(void)hub_poll_hold(ps->c, ps->body_len);
	return 0;
}

int
polling_body_done(struct polling *p, struct lws *wsi, struct pollsess **slot)
{
	static unsigned char ok[LWS_PRE + 2];
	struct pollsess *ps = slot != NULL ? *slot : NULL;
	struct eiopoll_reader r;
	unsigned char *data;
	size_t len;
	int rc = 0, binary;

	if (ps == NULL || ps->post != wsi)
		return refuse(p, wsi, 400, bad_request);
	ps->post = NULL;
	*slot = NULL;
	if (ps->c == NULL || !hub_poll_is_open(ps->c) || ps->state != PS_OPEN)
		rc = -1;
	else
		hub_poll_hold(ps->c, 0);
	if (rc == 0) {
		eiopoll_reader_init(&r, ps->body, ps->body_len);
		while ((rc = eiopoll_next(&r, &data, &len, &binary)) == 1 &&
		    ps->state == PS_OPEN && hub_poll_is_open(ps->c))
			if (hub_poll_input(ps->c, data, len, binary) == -1) {
				rc = -1;
				break;
			}
		if (rc == -1 && ps->state == PS_OPEN &&
		    hub_poll_is_open(ps->c))
			hub_poll_close(ps->c, "bad payload", 1);
	}
	/* An idle session keeps no buffer. */
	free(ps->body);
	ps->body = NULL;
	ps->body_len = ps->body_cap = 0;
	if (ps->state == PS_DONE && ps->get == NULL)
		finish(ps);
	if (rc == -1)
		return refuse(p, wsi, 400, bad_request);
	/* engine.io's answer: "ok" as text/html. */
	memcpy(ok + LWS_PRE, "ok", 2);
	return answer_http(wsi, 200, "text/html", ok + LWS_PRE, 2, 0);
}

int
polling_writable(struct polling *p, struct lws *wsi, struct pollsess **slot)
{
	struct pollsess *ps = slot != NULL ? *slot : NULL;

	(void)p;
	if (ps == NULL || ps->get != wsi || !answer_due(ps))
		return 0;
	return answer_get(ps);
}

void
polling_detach(struct polling *p, struct lws *wsi, struct pollsess **slot)
{
	struct pollsess *ps = slot != NULL ? *slot : NULL;

	if (ps == NULL)
		return;
	*slot = NULL;
	if (ps->get == wsi)
		ps->get = NULL;
	else if (ps->post == wsi)
		ps->post = NULL;
	else
		return;
	if (p->hub->shutting_down || ps->state == PS_DEAD)
		return;
	if (ps->state == PS_OPEN && ps->c != NULL) {
		/* As engine.io: a request that goes before its answer is the
		 * end of the session ("poll connection closed prematurely"). */
		hub_log(p->hub, HUB_LOG_DEBUG,
		    "close sid=%s: a request's connection closed early",
		    ps->sid);
		hub_poll_close(ps->c, "transport error", 0);
	} else if (ps->state == PS_DONE && ps->get == NULL &&
	    ps->post == NULL) {
		finish(ps);
	}
}

struct hub_conn *
polling_find(struct polling *p, const char *sid)
{
	struct pollsess *ps = hashtab_get(&p->sids, sid, strlen(sid));

	if (ps == NULL || ps->state != PS_OPEN || ps->c == NULL ||
	    ps->probe != NULL || !hub_poll_is_open(ps->c) ||
	    hub_poll_expired(ps->c))
		return NULL;
	return ps->c;
}

/* From the hub ---------------------------------------------------------- */

void
polling_wake(struct pollsess *ps)
{
	if (ps->get != NULL)
		lws_callback_on_writable(ps->get);
}

void
polling_closing(struct pollsess *ps, int flush)
{
	if (ps->state != PS_OPEN)
		return;
	if (!flush)
		unlist(ps);
	ps->state = PS_CLOSING;
	ps->deadline = mono_ms() + POLLING_CLOSE_WAIT_MS;
	ps->queued = 1;
	TAILQ_INSERT_TAIL(&ps->p->closing, ps, link);
	schedule(ps->p);
	if (ps->get != NULL)
		lws_callback_on_writable(ps->get);
	else if (!flush)
		finish(ps);
}

/* Done with polling: a waiting GET gets its noop, then 'ps' goes. */
static void
done(struct pollsess *ps)
{
	unqueue(ps);
	unlist(ps);
	ps->state = PS_DONE;
	if (ps->get != NULL)
		lws_callback_on_writable(ps->get);
	else if (ps->post == NULL)
		finish(ps);
}

void
polling_client_closed(struct pollsess *ps)
{
	if (ps->state != PS_DEAD)
		done(ps);
}

int
polling_set_probe(struct pollsess *ps, struct hub_conn *probe)
{
	if (probe != NULL && ps->probe != NULL)
		return -1;
	ps->probe = probe;
	if (probe == NULL)
		ps->probing = 0;
	return 0;
}

struct hub_conn *
polling_probe(const struct pollsess *ps)
{
	return ps->probe;
}

void
polling_probing(struct pollsess *ps)
{
	ps->probing = 1;
	if (ps->get != NULL)
		lws_callback_on_writable(ps->get);
}

void
polling_upgraded(struct pollsess *ps)
{
	ps->c = NULL; /* the WebSocket's from now on */
	ps->probe = NULL;
	done(ps);
}

const char *
polling_peer(const struct pollsess *ps)
{
	return ps->peer;
}

/* Life ------------------------------------------------------------------ */

struct polling *
polling_new(struct hub *hub)
{
	struct polling *p = calloc(1, sizeof(*p));
	uint8_t seed[16];
	size_t i;

	if (p == NULL)
		return NULL;
	/* The sids are random already; the seed only has to differ. */
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)((uintptr_t)p >> (i % 8));
	p->hub = hub;
	hashtab_init(&p->sids, seed);
	peers_init(&p->addrs, seed);
	TAILQ_INIT(&p->closing);
	TAILQ_INIT(&p->dead);
	TAILQ_INIT(&p->all);
	return p;
}

void
polling_free(struct polling *p)
{
	struct pollsess *ps;

	if (p == NULL)
		return;
	p->freeing = 1;
	while ((ps = TAILQ_FIRST(&p->all)) != NULL)
		ps_free(ps);
	hashtab_release(&p->sids);
	peers_release(&p->addrs);
	free(p);
}
