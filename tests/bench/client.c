/* client.c - a Socket.IO client on a nonblocking socket (see client.h). */
#include "client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eio.h"
#include "sio.h"
#include "wsc.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* Longest HTTP answer to the upgrade we wait for. */
#define HTTP_MAX 8192
/* Frames up to this size are built on the stack. */
#define SMALL_FRAME 2048

int
client_env_init(struct client_env *env, int epfd,
    const struct sockaddr_in *dst, unsigned nhubs, const char *path,
    size_t scratch_cap, const struct client_ops *ops, void *arg)
{
	char addr[INET_ADDRSTRLEN];
	unsigned i;

	memset(env, 0, sizeof(*env));
	if (strlen(path) >= sizeof(env->path) || path[0] != '/' ||
	    scratch_cap < HTTP_MAX || nhubs == 0 || nhubs > CLIENT_MAX_HUBS) {
		errno = EINVAL;
		return -1;
	}
	env->epfd = epfd;
	env->ops = ops;
	env->arg = arg;
	env->nhubs = nhubs;
	for (i = 0; i < nhubs; i++) {
		env->dst[i] = dst[i];
		inet_ntop(AF_INET, &dst[i].sin_addr, addr, sizeof(addr));
		snprintf(env->host[i], sizeof(env->host[i]), "%s:%u", addr,
		    (unsigned)ntohs(dst[i].sin_port));
	}
	memcpy(env->path, path, strlen(path) + 1);
	if (getrandom(&env->rng, sizeof(env->rng), 0) != sizeof(env->rng))
		env->rng = 0x9e3779b97f4a7c15u ^ (uint64_t)getpid();
	env->rng |= 1;
	env->scratch_cap = scratch_cap;
	env->scratch = malloc(scratch_cap);
	return env->scratch ? 0 : -1;
}

void
client_env_release(struct client_env *env)
{
	free(env->scratch);
	env->scratch = NULL;
}

/* xorshift64*: masking keys need only be unpredictable to proxies. */
static uint64_t
next_random(struct client_env *env)
{
	env->rng ^= env->rng >> 12;
	env->rng ^= env->rng << 25;
	env->rng ^= env->rng >> 27;
	return env->rng * 0x2545f4914f6cdd1du;
}

static void
set_events(struct client *c, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c;
	epoll_ctl(c->env->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = (events & EPOLLOUT) != 0;
}

void
client_close(struct client *c)
{
	if (c->state == CLIENT_CLOSED)
		return;
	close(c->fd);
	c->fd = -1;
	free(c->in);
	free(c->out);
	c->in = c->out = NULL;
	c->inlen = c->outlen = c->outoff = 0;
	c->state = CLIENT_CLOSED;
}

static void
fail(struct client *c, const char *why, int err)
{
	const struct client_env *env = c->env;

	client_close(c);
	if (env->ops->on_closed)
		env->ops->on_closed(c, why, err, env->arg);
}

int
client_connect(struct client *c, struct client_env *env, unsigned hub,
    const struct in_addr *src)
{
	struct sockaddr_in sin;
	struct epoll_event ev;
	int one = 1, e;

	memset(c, 0, sizeof(*c));
	c->env = env;
	if (hub >= env->nhubs) {
		errno = EINVAL;
		return -1;
	}
	c->hub = (uint8_t)hub;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return -1;
	c->state = CLIENT_TCP;
	/* The port is chosen at connect(), per destination, so one source
	 * address serves as many connections as there are ports. */
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
	    sizeof(one));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src != NULL) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr = *src;
		if (bind(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			goto fail;
	}
	if (connect(c->fd, (const struct sockaddr *)&env->dst[hub],
	        sizeof(env->dst[hub])) == -1 &&
	    errno != EINPROGRESS)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ev.data.ptr = c;
	if (epoll_ctl(env->epfd, EPOLL_CTL_ADD, c->fd, &ev) == -1)
		goto fail;
	c->want_out = 1;
	return 0;
fail:
	e = errno;
	client_close(c);
	errno = e;
	return -1;
}

size_t
client_pending(const struct client *c)
{
	return c->outlen - c->outoff;
}

/* Keeps 'len' unsent bytes at 'data' for EPOLLOUT. */
static int
keep_out(struct client *c, const unsigned char *data, size_t len)
{
	size_t have = c->outlen - c->outoff;
	unsigned char *p;

	if (have + len > UINT32_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, have);
		c->outoff = 0;
		c->outlen = (uint32_t)have;
	}
	p = realloc(c->out, have + len);
	if (p == NULL)
		return -1;
	memcpy(p + have, data, len);
	c->out = p;
	c->outlen = (uint32_t)(have + len);
	return 0;
}

/* Writes or queues 'len' bytes.  Returns 0, or -1 after fail(). */
static int
send_bytes(struct client *c, const unsigned char *data, size_t len)
{
	ssize_t n = 0;

	if (client_pending(c) == 0) {
		n = send(c->fd, data, len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR) {
				fail(c, "send", errno);
				return -1;
			}
			n = 0;
		}
	}
	if ((size_t)n == len)
		return 0;
	if (keep_out(c, data + n, len - (size_t)n) == -1) {
		fail(c, "queue output", errno);
		return -1;
	}
	if (!c->want_out)
		set_events(c, EPOLLIN | EPOLLOUT);
	return 0;
}

static int
send_frame(struct client *c, int op, const void *payload, size_t len)
{
	unsigned char small[SMALL_FRAME], *buf = small;
	size_t cap = len + WSC_HEADER_MAX, n;
	int rc;

	if (cap > sizeof(small) && (buf = malloc(cap)) == NULL) {
		fail(c, "frame", errno);
		return -1;
	}
	n = wsc_encode(buf, cap, op, payload, len,
	    (uint32_t)next_random(c->env));
	rc = send_bytes(c, buf, n);
	if (buf != small)
		free(buf);
	return rc;
}

int
client_send_text(struct client *c, const char *text, size_t len)
{
	if (c->state < CLIENT_EIO) {
		errno = ENOTCONN;
		return -1;
	}
	return send_frame(c, WSFRAME_TEXT, text, len);
}

static void
flush(struct client *c)
{
	ssize_t n;

	while (client_pending(c) > 0) {
		n = send(c->fd, c->out + c->outoff, client_pending(c),
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			fail(c, "send", errno);
			return;
		}
		c->outoff += (uint32_t)n;
	}
	free(c->out);
	c->out = NULL;
	c->outlen = c->outoff = 0;
	set_events(c, EPOLLIN);
}

/*
 * Writes a Sec-WebSocket-Key: 16 random bytes in base64, drawn directly as
 * 21 characters of the alphabet, then one whose low bits are zero (the
 * last byte's top two bits), then "==".
 */
static void
websocket_key(struct client_env *env, char key[25])
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t r = 0;
	int i;

	for (i = 0; i < 21; i++) {
		if (i % 10 == 0)
			r = next_random(env);
		key[i] = abc[r & 63];
		r >>= 6;
	}
	key[21] = "AQgw"[r & 3];
	key[22] = key[23] = '=';
	key[24] = '\0';
}

/* The TCP connection is up: ask for the WebSocket. */
static void
on_tcp_up(struct client *c)
{
	char key[25], req[512];
	socklen_t sl = sizeof(int);
	int err = 0, n;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
		err = errno;
	if (err != 0) {
		fail(c, "connect", err);
		return;
	}
	websocket_key(c->env, key);
	n = snprintf(req, sizeof(req),
	    "GET %s?EIO=4&transport=websocket HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n",
	    c->env->path, c->env->host[c->hub], key);
	c->state = CLIENT_HTTP;
	set_events(c, EPOLLIN);
	send_bytes(c, (unsigned char *)req, (size_t)n);
}

/* The answer to the namespace CONNECT: 0{"sid":"..."} or an error. */
static void
on_connect_answer(struct client *c, const char *pkt, size_t len)
{
	struct sio_packet sp;
	int ok;
	jv sid;

	if (sio_decode(pkt, len, &sp, NULL, 0) == -1) {
		fail(c, "Socket.IO CONNECT answer", EPROTO);
		return;
	}
	sid = sp.h.type == SIO_CONNECT ?
	    jv_object_get(jv_copy(sp.data), jv_string("sid")) :
	    jv_invalid();
	ok = jv_get_kind(sid) == JV_KIND_STRING;
	jv_free(sid);
	sio_packet_release(&sp);
	if (!ok) {
		fail(c, "namespace refused", ECONNREFUSED);
		return;
	}
	c->state = CLIENT_READY;
	if (c->env->ops->on_connected)
		c->env->ops->on_connected(c, c->env->arg);
}

static void
on_eio(struct client *c, const char *text, size_t len)
{
	struct eio_open open;
	enum eio_type type;
	const char *p;
	size_t plen;
	char pong[64];

	if (eio_decode(text, len, &type, &p, &plen) == -1) {
		fail(c, "Engine.IO packet", EPROTO);
		return;
	}
	switch (type) {
	case EIO_OPEN:
		if (c->state != CLIENT_EIO ||
		    eio_parse_open(p, plen, &open) == -1) {
			fail(c, "Engine.IO open packet", EPROTO);
			return;
		}
		c->state = CLIENT_SIO;
		client_send_text(c, "40", 2);
		return;
	case EIO_PING:
		if (plen > sizeof(pong) - 1) {
			fail(c, "Engine.IO ping", EPROTO);
			return;
		}
		pong[0] = '3';
		memcpy(pong + 1, p, plen);
		client_send_text(c, pong, plen + 1);
		return;
	case EIO_CLOSE:
		fail(c, "Engine.IO close", 0);
		return;
	case EIO_MESSAGE:
		if (c->state == CLIENT_SIO)
			on_connect_answer(c, p, plen);
		else if (c->state == CLIENT_READY && c->env->ops->on_packet)
			c->env->ops->on_packet(c, p, plen, c->env->arg);
		else
			fail(c, "message before the open packet", EPROTO);
		return;
	case EIO_PONG:
	case EIO_UPGRADE:
	case EIO_NOOP:
		return;
	}
}

static void
on_frame(struct client *c, const struct wsc_frame *f, const unsigned char *p)
{
	if (!f->fin || f->op == WSC_CONTINUATION) {
		fail(c, "fragmented message", EPROTO);
		return;
	}
	switch (f->op) {
	case WSFRAME_TEXT:
		on_eio(c, (const char *)p, (size_t)f->len);
		return;
	case WSC_PING:
		send_frame(c, WSC_PONG, p, (size_t)f->len);
		return;
	case WSC_PONG:
		return;
	case WSFRAME_CLOSE:
		fail(c, "WebSocket closed by the server", 0);
		return;
	default:
		fail(c, "binary frame", EPROTO);
		return;
	}
}

/* Reads the HTTP answer at 'buf'; returns its length, 0 when incomplete. */
static long
on_http(struct client *c, const unsigned char *buf, size_t len)
{
	const unsigned char *end = memmem(buf, len, "\r\n\r\n", 4);
	static const char ok[] = "HTTP/1.1 101 ";

	if (end == NULL) {
		if (len >= HTTP_MAX)
			fail(c, "HTTP answer too long", EPROTO);
		return 0;
	}
	if (len < sizeof(ok) - 1 || memcmp(buf, ok, sizeof(ok) - 1) != 0) {
		fail(c, "upgrade refused", ECONNREFUSED);
		return -1;
	}
	c->state = CLIENT_EIO;
	return end + 4 - buf;
}

static void
on_readable(struct client *c)
{
	struct client_env *env = c->env;
	unsigned char *buf = env->scratch;
	struct wsc_frame f;
	size_t have = c->inlen, off = 0, rest;
	ssize_t n;
	int rc;

	if (have > 0)
		memcpy(buf, c->in, have);
	n = read(c->fd, buf + have, env->scratch_cap - have);
	if (n <= 0) {
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		fail(c, n == 0 ? "closed by the server" : "read",
		    n == 0 ? 0 : errno);
		return;
	}
	have += (size_t)n;
	if (c->state == CLIENT_HTTP) {
		long hl = on_http(c, buf, have);

		if (hl <= 0) {
			if (hl == 0 && c->state != CLIENT_CLOSED)
				goto keep;
			return;
		}
		off = (size_t)hl;
	}
	while (off < have) {
		rc = wsc_decode(buf + off, have - off, &f);
		if (rc == -1) {
			fail(c, "WebSocket frame header", EPROTO);
			return;
		}
		if (rc == 0)
			break;
		if (f.len > have - off - f.header_len) {
			if (f.header_len + f.len > env->scratch_cap) {
				fail(c, "frame larger than the read buffer",
				    EMSGSIZE);
				return;
			}
			break;
		}
		on_frame(c, &f, buf + off + f.header_len);
		if (c->state == CLIENT_CLOSED)
			return;
		off += f.header_len + (size_t)f.len;
	}
keep:
	rest = have - off;
	if (rest == 0) {
		free(c->in);
		c->in = NULL;
		c->inlen = 0;
		return;
	}
	if (rest != c->inlen) {
		unsigned char *p = realloc(c->in, rest);

		if (p == NULL) {
			fail(c, "keep input", errno);
			return;
		}
		c->in = p;
	}
	memcpy(c->in, buf + off, rest);
	c->inlen = (uint32_t)rest;
}

void
client_on_event(struct client *c, uint32_t events)
{
	if (c->state == CLIENT_CLOSED)
		return;
	if (c->state == CLIENT_TCP) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			on_tcp_up(c);
		return;
	}
	if ((events & EPOLLOUT) && client_pending(c) > 0)
		flush(c);
	if (c->state != CLIENT_CLOSED &&
	    (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		on_readable(c);
}
