/* listener.c - a TCP listening socket shared with other processes. */
#include "listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* As lws and Node listen. */
#define BACKLOG 511

static int
fill_addr(struct sockaddr_storage *ss, socklen_t *len, const char *addr,
    int port)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (addr == NULL || inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		if (addr == NULL)
			in4->sin_addr.s_addr = htonl(INADDR_ANY);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static void
on_readable(uv_poll_t *w, int status, int events)
{
	struct listener *l = w->data;
	int fd, one = 1;

	(void)status;
	(void)events;
	/* Every pending connection, as lws does; the callee may refuse. */
	while (l->fd != -1 &&
	    (fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) !=
	        -1) {
		/* As lws's own listener does: a message goes out when it is
		 * written, not held for the previous one's ACK (Nagle), and
		 * lws does not set it on a socket it adopts. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		l->on_accept(l->arg, fd);
	}
}

int
listener_open(struct listener *l, uv_loop_t *loop, const char *addr, int port,
    void (*on_accept)(void *arg, int fd), void *arg)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, e;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->on_accept = on_accept;
	l->arg = arg;
	if (fill_addr(&ss, &len, addr, port) == -1)
		return -1;
	l->fd = socket(ss.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd == -1)
		return -1;
	if (setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	        -1 ||
	    setsockopt(l->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ==
	        -1 ||
	    bind(l->fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(l->fd, BACKLOG) == -1 ||
	    getsockname(l->fd, (struct sockaddr *)&ss, &len) == -1)
		goto fail;
	l->port = ntohs(ss.ss_family == AF_INET ?
	        ((struct sockaddr_in *)&ss)->sin_port :
	        ((struct sockaddr_in6 *)&ss)->sin6_port);
	if ((e = uv_poll_init(loop, &l->watcher, l->fd)) != 0 ||
	    (e = uv_poll_start(&l->watcher, UV_READABLE, on_readable)) != 0) {
		errno = -e;
		goto fail;
	}
	l->watcher.data = l;
	return 0;
fail:
	e = errno;
	close(l->fd);
	l->fd = -1;
	errno = e;
	return -1;
}

void
listener_close(struct listener *l)
{
	if (l->fd == -1)
		return;
	uv_poll_stop(&l->watcher);
	uv_close((uv_handle_t *)&l->watcher, NULL);
	close(l->fd);
	l->fd = -1;
}
