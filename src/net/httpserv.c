/*
 * httpserv.c - a tiny HTTP/1.1 responder on the libuv loop: one request
 * and one answer a connection.
 */
#include "httpserv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After a 408 is written, how long the client has to take it. */
#define GRACE_MS 1000
/* Bytes read and thrown away at a time once the answer is out. */
#define DISCARD 4096

enum conn_state {
	CONN_READING,   /* the request head */
	CONN_WRITING,   /* the answer */
	CONN_LINGERING, /* answered and shut down: read until EOF */
	CONN_CLOSING,
};

struct httpserv_conn {
	struct httpserv *hs;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wr;
	uv_shutdown_t sd;
	enum conn_state state;
	int handles;     /* open handles: freed when none is left */
	struct buf in;   /* the request head */
	struct buf head; /* the answer's status line and headers */
	struct buf body;
	LIST_ENTRY(httpserv_conn) link;
};

static char discard[DISCARD];

static void on_connection(uv_stream_t *server, int status);

int
httpserv_parse_addr(const char *text, struct sockaddr_storage *ss, char *err,
    size_t errlen)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h = text, *end;
	size_t hlen;
	long port;
	char *pend;

	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		end = strchr(text, ']');
		if (end == NULL || end[1] != ':')
			goto bad;
		h = text + 1;
		hlen = (size_t)(end - h);
		colon = end + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			goto bad;
		hlen = (size_t)(colon - text);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &pend, 10);
	if (colon[1] < '0' || colon[1] > '9' || *pend != '\0' || errno != 0 ||
	    port < 0 || port > 65535)
		goto bad;
	if (text[0] != '[' && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (text[0] == '[' &&
	    inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
bad:
	snprintf(err, errlen,
	    "'%s' is not ADDR:PORT (a numeric address, [ADDR] for IPv6, "
	    "and a port up to 65535)",
	    text);
	return -1;
}

static void
on_handle_closed(uv_handle_t *h)
{
	struct httpserv_conn *c = h->data;
	struct httpserv *hs = c->hs;

	if (--c->handles > 0)
		return;
	buf_release(&c->in);
	buf_release(&c->head);
	buf_release(&c->body);
	free(c);
	/* A client waiting in the kernel's queue gets the slot. */
	if (hs->pending && hs->open) {
		hs->pending = 0;
		on_connection((uv_stream_t *)&hs->tcp, 0);
	}
}

static void
conn_close(struct httpserv_conn *c)
{
	if (c->state == CONN_CLOSING)
		return;
	c->state = CONN_CLOSING;
	LIST_REMOVE(c, link);
	c->hs->nconns--;
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static const char *
reason_phrase(unsigned status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

static void on_discard(uv_stream_t *s, ssize_t nread, const uv_buf_t *b);

static void
alloc_discard(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	(void)h;
	(void)hint;
	b->base = discard;
	b->len = sizeof(discard);
}

/* The client reads the answer; what it still sends is thrown away until
 * its EOF, so that closing never resets the connection under it. */
static void
on_shutdown(uv_shutdown_t *req, int status)
{
	struct httpserv_conn *c = req->data;

	if (c->state != CONN_WRITING)
		return;
	if (status < 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, alloc_discard, on_discard) <
	        0) {
		conn_close(c);
		return;
	}
	c->state = CONN_LINGERING;
}

static void
on_discard(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct httpserv_conn *c = s->data;

	(void)b;
	if (nread < 0)
		conn_close(c);
}

static void
on_written(uv_write_t *req, int status)
{
	struct httpserv_conn *c = req->data;

	if (c->state != CONN_WRITING)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	c->hs->stats.answered++;
	c->sd.data = c;
	if (uv_shutdown(&c->sd, (uv_stream_t *)&c->tcp, on_shutdown) < 0)
		conn_close(c);
}

/*
 * Writes the answer: 'status' with the body in c->body (sent unless
 * 'head_only'), then the connection ends.
 */
static void
conn_answer(struct httpserv_conn *c, unsigned status, const char *type,
    int head_only)
{
	char line[320];
	uv_buf_t bufs[2];
	int n;

	uv_read_stop((uv_stream_t *)&c->tcp);
	n = snprintf(line, sizeof(line),
	    "HTTP/1.1 %u %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "%s"
	    "Cache-Control: no-store\r\n"
	    "Connection: close\r\n\r\n",
	    status, reason_phrase(status),
	    type != NULL ? type : "text/plain; charset=utf-8", c->body.len,
	    status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    buf_append(&c->head, line, (size_t)n) == -1) {
		conn_close(c);
		return;
	}
	bufs[0] = uv_buf_init(c->head.data, (unsigned)c->head.len);
	bufs[1] = uv_buf_init(c->body.data, (unsigned)c->body.len);
	c->state = CONN_WRITING;
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, bufs,
	        head_only || c->body.len == 0 ? 1 : 2, on_written) < 0)
		conn_close(c);
}

/* A plain-text error page: 'status' and a line saying why. */
static void
conn_refuse(struct httpserv_conn *c, unsigned status)
{
	buf_reset(&c->body);
	(void)buf_appends(&c->body, reason_phrase(status));
	(void)buf_appends(&c->body, "\n");
	if (status != 408)
		c->hs->stats.bad++;
	conn_answer(c, status, NULL, 0);
}

static void
conn_request(struct httpserv_conn *c, const struct httpreq *req)
{
	struct httpserv_reply rep;
	int head = httpreq_method_is(req, "HEAD");

	if (!head && !httpreq_method_is(req, "GET")) {
		conn_refuse(c, 405);
		return;
	}
	memset(&rep, 0, sizeof(rep));
	rep.status = 200;
	rep.body = &c->body;
	c->hs->cfg.answer(c->hs->cfg.arg, req, &rep);
	if (rep.status == 500) {
		conn_refuse(c, 500);
		return;
	}
	conn_answer(c, rep.status, rep.content_type, head);
}

static void
alloc_head(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct httpserv_conn *c = h->data;
	size_t room = 0, want = c->hs->cfg.max_head - c->in.len;
	char *p = NULL;

	(void)hint;
	if (want > 0 && buf_reserve(&c->in, want) == 0)
		p = buf_space(&c->in, &room);
	b->base = p;
	b->len = room < want ? room : want;
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct httpserv_conn *c = s->data;
	struct httpreq req;

	(void)b;
	if (c->state != CONN_READING || nread == 0)
		return;
	if (nread < 0) {
		conn_close(c); /* EOF before a whole head, or ENOBUFS */
		return;
	}
	buf_commit(&c->in, (size_t)nread);
	switch (
	    httpreq_parse(&req, c->in.data, c->in.len, c->hs->cfg.max_head)) {
	case HTTPREQ_PARTIAL:
		return;
	case HTTPREQ_DONE:
		conn_request(c, &req);
		return;
	case HTTPREQ_BAD:
		conn_refuse(c, 400);
		return;
	case HTTPREQ_TOO_BIG:
		conn_refuse(c, 431);
		return;
	}
}

/* The deadline: a request still coming gets 408 and a moment to take it;
 * anything else is closed. */
static void
on_timeout(uv_timer_t *t)
{
	struct httpserv_conn *c = t->data;

	if (c->state != CONN_READING) {
		conn_close(c);
		return;
	}
	c->hs->stats.timeouts++;
	conn_refuse(c, 408);
	if (c->state == CONN_WRITING)
		uv_timer_start(&c->timer, on_timeout, GRACE_MS, 0);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct httpserv *hs = server->data;
	struct httpserv_conn *c;

	if (status < 0 || !hs->open)
		return;
	/* Not accepted now, libuv stops watching the listener until it is:
	 * the next clients wait in the kernel's queue. */
	if (hs->nconns >= hs->cfg.max_clients) {
		hs->pending = 1;
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		hs->pending = 1; /* taken when a connection frees its slot */
		return;
	}
	c->hs = hs;
	buf_init(&c->in, hs->cfg.max_head);
	buf_init(&c->head, 512);
	buf_init(&c->body, hs->cfg.max_body);
	uv_tcp_init(hs->loop, &c->tcp);
	uv_timer_init(hs->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->handles = 2;
	uv_unref((uv_handle_t *)&c->tcp);
	uv_unref((uv_handle_t *)&c->timer);
	LIST_INSERT_HEAD(&hs->conns, c, link);
	hs->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) {
		conn_close(c);
		return;
	}
	hs->stats.connections++;
	uv_timer_start(&c->timer, on_timeout, hs->cfg.timeout_ms, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, alloc_head, on_read) < 0)
		conn_close(c);
}

int
httpserv_open(struct httpserv *hs, uv_loop_t *loop,
    const struct sockaddr *addr, const struct httpserv_config *cfg)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss), e;

	memset(hs, 0, sizeof(*hs));
	LIST_INIT(&hs->conns);
	hs->loop = loop;
	hs->cfg = *cfg;
	if (hs->cfg.max_head == 0)
		hs->cfg.max_head = HTTPSERV_MAX_HEAD;
	if (hs->cfg.timeout_ms == 0)
		hs->cfg.timeout_ms = HTTPSERV_TIMEOUT_MS;
	if (hs->cfg.max_clients == 0)
		hs->cfg.max_clients = HTTPSERV_MAX_CLIENTS;
	if (hs->cfg.max_body == 0)
		hs->cfg.max_body = HTTPSERV_MAX_BODY;
	if ((e = uv_tcp_init(loop, &hs->tcp)) < 0) {
		errno = -e;
		return -1;
	}
	hs->tcp.data = hs;
	uv_unref((uv_handle_t *)&hs->tcp);
	hs->open = 1;
	if ((e = uv_tcp_bind(&hs->tcp, addr, 0)) < 0 ||
	    (e = uv_listen((uv_stream_t *)&hs->tcp, 64, on_connection)) < 0 ||
	    (e = uv_tcp_getsockname(&hs->tcp, (struct sockaddr *)&ss, &len)) <
	        0) {
		httpserv_close(hs);
		errno = -e;
		return -1;
	}
	hs->port = ntohs(ss.ss_family == AF_INET6 ?
	        ((struct sockaddr_in6 *)&ss)->sin6_port :
	        ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

void
httpserv_close(struct httpserv *hs)
{
	if (!hs->open)
		return;
	hs->open = 0;
	while (!LIST_EMPTY(&hs->conns))
		conn_close(LIST_FIRST(&hs->conns));
	uv_close((uv_handle_t *)&hs->tcp, NULL);
}
