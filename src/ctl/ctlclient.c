/* ctlclient.c - a producer's connection to georoomd's control socket. */
#include "ctlclient.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

void
ctlclient_init(struct ctlclient *c, int timeout_ms)
{
	c->fd = -1;
	c->timeout_ms = timeout_ms;
	c->pending = 0;
	c->inbuf = NULL;
	c->inoff = c->inlen = c->incap = 0;
}

void
ctlclient_release(struct ctlclient *c)
{
	if (c->fd != -1)
		close(c->fd);
	free(c->inbuf);
	ctlclient_init(c, c->timeout_ms);
}

int
ctlclient_connect(struct ctlclient *c, const char *path)
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
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
			    &len) == -1)
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
	c->inoff = c->inlen = 0;
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/*
 * Reads what the socket holds into inbuf.  Returns the number of bytes
 * read, 0 at end of file, -1 with errno (EAGAIN when nothing is there,
 * ENOBUFS when the read-ahead is full).
 */
static ssize_t
read_ahead(struct ctlclient *c)
{
	ssize_t n;

	if (c->inoff > 0 && c->inoff == c->inlen)
		c->inoff = c->inlen = 0;
	if (c->incap - c->inlen < 4096) {
		size_t cap;
		char *p;

		/* Reclaim the consumed front before growing. */
		if (c->inoff > 0) {
			memmove(c->inbuf, c->inbuf + c->inoff,
			    c->inlen - c->inoff);
			c->inlen -= c->inoff;
			c->inoff = 0;
		}
		if (c->incap - c->inlen < 4096) {
			cap = c->incap ? c->incap * 2 : 16384;
			if (cap > CTLCLIENT_INBUF_MAX)
				cap = CTLCLIENT_INBUF_MAX;
			if (cap - c->inlen < 1) {
				errno = ENOBUFS;
				return -1;
			}
			if ((p = realloc(c->inbuf, cap)) == NULL)
				return -1;
			c->inbuf = p;
			c->incap = cap;
		}
	}
	do
		n = read(c->fd, c->inbuf + c->inlen, c->incap - c->inlen);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		c->inlen += (size_t)n;
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
		return -1;
	}
	if (memchr(json, '\n', len) != NULL) {
		errno = EINVAL;
		return -1;
	}
	iov[0].iov_base = (void *)json;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	if (send_all(c, iov, 2) == -1)
		return -1;
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
		return -1;
	}
	line = jv_string_append_str(jv_dump_string(request, 0), "\n");
	iov.iov_base = (void *)jv_string_value(line);
	iov.iov_len = (size_t)jv_string_length_bytes(jv_copy(line));
	r = send_all(c, &iov, 1);
	e = errno;
	jv_free(line);
	if (r == -1) {
		errno = e;
		return -1;
	}
	c->pending++;
	return 0;
}

static jv
failure(const char *fmt, const char *arg)
{
	return jv_invalid_with_msg(jv_string_fmt(fmt, arg));
}

jv
ctlclient_recv(struct ctlclient *c)
{
	long long deadline = mono_ms() + c->timeout_ms;

	if (c->fd == -1)
		return failure("not connected%s", "");
	if (c->pending == 0)
		return failure("no request is waiting for a reply%s", "");
	for (;;) {
		char *start = c->inbuf + c->inoff;
		size_t have = c->inlen - c->inoff;
		char *nl = have ? memchr(start, '\n', have) : NULL;
		struct pollfd pfd;
		ssize_t n;
		int r;

		if (nl != NULL) {
			jv v = jv_parse_sized(start, (int)(nl - start));

			c->inoff += (size_t)(nl - start) + 1;
			c->pending--;
			if (!jv_is_valid(v)) {
				jv m = jv_invalid_get_msg(v);
				jv out = failure("bad reply from the hub: %s",
				    jv_get_kind(m) == JV_KIND_STRING ?
				    jv_string_value(m) : "not JSON");

				jv_free(m);
				return out;
			}
			if (jv_get_kind(v) != JV_KIND_OBJECT) {
				jv_free(v);
				return failure("bad reply from the hub: not an "
				    "object%s", "");
			}
			return v;
		}
		if (have > REPLY_MAX)
			return failure("bad reply from the hub: a line longer "
			    "than the protocol allows%s", "");
		n = read_ahead(c);
		if (n > 0)
			continue;
		if (n == 0)
			return failure("the hub closed the connection%s", "");
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return failure("reading from the hub: %s",
			    strerror(errno));
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, 1, left_ms(deadline));
		if (r == 0) {
			char ms[32];

			snprintf(ms, sizeof(ms), "%d", c->timeout_ms);
			return failure("no reply from the hub within %s ms", ms);
		}
		if (r == -1 && errno != EINTR)
			return failure("waiting for the hub: %s",
			    strerror(errno));
	}
}

jv
ctlclient_call(struct ctlclient *c, jv request)
{
	if (ctlclient_send(c, request) == -1)
		return failure("sending to the hub: %s", strerror(errno));
	return ctlclient_recv(c);
}
