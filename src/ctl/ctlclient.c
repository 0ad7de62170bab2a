/* ctlclient.c - a producer's connection to georoomd's control socket. */
#include "ctlclient.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "mono.h"

/* Longest reply line accepted, newline excluded. */
#define REPLY_MAX CTL_LINE_MAX

/* Milliseconds left until 'deadline', at least 0. */
static int
left_ms(long long deadline)
{
	long long d = deadline - mono_ms();

	return d < 0 ? 0 : d > 1000000000 ? 1000000000 : (int)d;
}

/*
 * Records a failure of class 'e' with its reason, errno kept.  Returns -1.
 */
static int __attribute__((format(printf, 3, 4)))
fail(struct ctlclient *c, enum ctlclient_err e, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	c->err = e;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

/* The class of a failed connect, from its errno. */
static enum ctlclient_err
connect_class(int e)
{
	switch (e) {
	case ETIMEDOUT:
		return CTLCLIENT_TIMEOUT;
	case EACCES:
	case EPERM:
		return CTLCLIENT_DENIED;
	case EISCONN:
	case ENOMEM:
	case ENOBUFS:
	case EMFILE:
	case ENFILE:
		return CTLCLIENT_LOCAL;
	default:
		return CTLCLIENT_UNREACHABLE;
	}
}

/* The class of a failed send or read on a connection, from its errno. */
static enum ctlclient_err
io_class(int e)
{
	switch (e) {
	case ETIMEDOUT:
		return CTLCLIENT_TIMEOUT;
	case ENOTCONN:
	case EINVAL:
	case ENOMEM:
	case ENOBUFS:
		return CTLCLIENT_LOCAL;
	default:
		return CTLCLIENT_CLOSED;
	}
}

void
ctlclient_init(struct ctlclient *c, int timeout_ms)
{
	c->err = CTLCLIENT_OK;
	c->why[0] = '\0';
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	c->pending = 0;
	buf_init(&c->in, CTLCLIENT_INBUF_MAX);
}

void
ctlclient_release(struct ctlclient *c)
{
	if (c->fd != -1)
		close(c->fd);
	buf_release(&c->in);
	ctlclient_init(c, c->timeout_ms);
}

static int
connect_path(struct ctlclient *c, const char *path)
{
	struct sockaddr_un sun;
	long long deadline = mono_ms() + c->timeout_ms;
	int fd, e;

	if (c->fd != -1) {
		errno = EISCONN;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EINPROGRESS) {
			struct pollfd p = { fd, POLLOUT, 0 };
			socklen_t len = sizeof(e);
			int n = poll(&p, 1, left_ms(deadline));

			if (n == 0) {
				errno = ETIMEDOUT;
				goto fail;
			}
			if (n == -1 && errno != EINTR)
				goto fail;
			if (n == -1)
				continue;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) ==
			    -1)
				goto fail;
			if (e != 0) {
				errno = e;
				goto fail;
			}
			break;
		}
		/* The listener's backlog is full: try again shortly. */
		if (errno == EAGAIN && left_ms(deadline) > 0) {
			poll(NULL, 0, 10);
			continue;
		}
		if (errno == EAGAIN)
			errno = ETIMEDOUT;
		goto fail;
	}
	c->fd = fd;
	c->pending = 0;
	buf_reset(&c->in);
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
ctlclient_connect(struct ctlclient *c, const char *path)
{
	if (connect_path(c, path) == 0)
		return 0;
	return fail(c, connect_class(errno), "%s", strerror(errno));
}

/*
 * Reads what the socket holds into the read-ahead, asking for room for
 * 4096 bytes at least (less when the cap is near).  Returns the number of
 * bytes read, 0 at end of file, -1 with errno (EAGAIN when nothing is
 * there, ENOBUFS when the read-ahead is full, ENOMEM).
 */
static ssize_t
read_ahead(struct ctlclient *c)
{
	size_t want = c->in.max - c->in.len, room;
	char *at;
	ssize_t n;

	if (want == 0) {
		errno = ENOBUFS;
		return -1;
	}
	if (want > 4096)
		want = 4096;
	if (buf_reserve(&c->in, want) == -1)
		return -1;
	at = buf_space(&c->in, &room);
	do
		n = read(c->fd, at, room);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		buf_commit(&c->in, (size_t)n);
	return n;
}

/*
 * Writes all the bytes of 'iov' (changed as it goes), reading replies
 * ahead: whatever has arrived before the write, and whatever arrives while
 * the socket is full, so that the hub never waits on us to go on.
 */
static int
send_all(struct ctlclient *c, struct iovec *iov, int iovcnt)
{
	long long deadline = mono_ms() + c->timeout_ms;
	int reading = 1;

	if (c->pending > 0 && read_ahead(c) == 0)
		reading = 0;
	while (iovcnt > 0) {
		struct msghdr msg;
		struct pollfd pfd;
		ssize_t n;
		int r;

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)iovcnt;
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
		if (n >= 0) {
			size_t done = (size_t)n;

			while (iovcnt > 0 && done >= iov->iov_len) {
				done -= iov->iov_len;
				iov++;
				iovcnt--;
			}
			if (iovcnt > 0) {
				iov->iov_base = (char *)iov->iov_base + done;
				iov->iov_len -= done;
			}
			deadline = mono_ms() + c->timeout_ms;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		pfd.fd = c->fd;
		pfd.events = POLLOUT | (reading ? POLLIN : 0);
		pfd.revents = 0;
		r = poll(&pfd, 1, left_ms(deadline));
		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (reading && (pfd.revents & (POLLIN | POLLHUP))) {
			ssize_t m = read_ahead(c);

			if (m == 0 || (m == -1 && errno != EAGAIN))
				reading = 0;
		}
	}
	return 0;
}

int
ctlclient_send_text(struct ctlclient *c, const char *json, size_t len)
{
	struct iovec iov[2];

	if (c->fd == -1) {
		errno = ENOTCONN;
		return fail(c, CTLCLIENT_LOCAL, "sending to the hub: %s",
		    strerror(errno));
	}
	if (memchr(json, '\n', len) != NULL) {
		errno = EINVAL;
		return fail(c, CTLCLIENT_LOCAL,
		    "sending to the hub: a request "
		    "holding a newline");
	}
	iov[0].iov_base = (void *)json;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	if (send_all(c, iov, 2) == -1)
		return fail(c, io_class(errno), "sending to the hub: %s",
		    strerror(errno));
	c->pending++;
	return 0;
}

int
ctlclient_send(struct ctlclient *c, jv request)
{
	struct iovec iov;
	jv line;
	int r, e;

	if (c->fd == -1) {
		jv_free(request);
		errno = ENOTCONN;
		return fail(c, CTLCLIENT_LOCAL, "sending to the hub: %s",
		    strerror(errno));
	}
	line = jv_string_append_str(jv_dump_string(request, 0), "\n");
	iov.iov_base = (void *)jv_string_value(line);
	iov.iov_len = (size_t)jv_string_length_bytes(jv_copy(line));
	r = send_all(c, &iov, 1);
	e = errno;
	jv_free(line);
	if (r == -1) {
		errno = e;
		return fail(c, io_class(errno), "sending to the hub: %s",
		    strerror(errno));
	}
	c->pending++;
	return 0;
}

int
ctlclient_recv_reply(struct ctlclient *c, struct ctl_reply *r)
{
	long long deadline = mono_ms() + c->timeout_ms;

	r->status = CTL_ERR_PROTOCOL;
	r->body = jv_invalid();
	r->error[0] = '\0';
	if (c->fd == -1)
		return fail(c, CTLCLIENT_LOCAL, "not connected");
	if (c->pending == 0)
		return fail(c, CTLCLIENT_LOCAL,
		    "no request is waiting for a "
		    "reply");
	for (;;) {
		char *start = c->in.data;
		size_t have = c->in.len;
		char *nl = have ? memchr(start, '\n', have) : NULL;
		struct pollfd pfd;
		ssize_t n;
		int p;

		if (nl != NULL) {
			c->pending--;
			(void)ctl_reply_parse(start, (size_t)(nl - start), r);
			buf_consume(&c->in, (size_t)(nl - start) + 1);
			return 0;
		}
		if (have > REPLY_MAX)
			return fail(c, CTLCLIENT_PROTOCOL,
			    "bad reply from the "
			    "hub: a line longer than the protocol allows");
		n = read_ahead(c);
		if (n > 0)
			continue;
		if (n == 0)
			return fail(c, CTLCLIENT_CLOSED,
			    "the hub closed the "
			    "connection");
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return fail(c, io_class(errno),
			    "reading from the hub: "
			    "%s",
			    strerror(errno));
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		p = poll(&pfd, 1, left_ms(deadline));
		if (p == 0)
			return fail(c, CTLCLIENT_TIMEOUT,
			    "no reply from the hub "
			    "within %d ms",
			    c->timeout_ms);
		if (p == -1 && errno != EINTR)
			return fail(c, io_class(errno),
			    "waiting for the hub: %s", strerror(errno));
	}
}

int
ctlclient_call_reply(struct ctlclient *c, jv request, struct ctl_reply *r)
{
	if (ctlclient_send(c, request) == -1) {
		r->status = CTL_ERR_PROTOCOL;
		r->body = jv_invalid();
		r->error[0] = '\0';
		return -1;
	}
	return ctlclient_recv_reply(c, r);
}
