/* linger.c - lingering close of TCP sockets on the libuv loop. */
#include "linger.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes thrown away per read, and reads per wake-up, so that one peer
 * that floods does not hold the loop. */
#define DISCARD_CHUNK 4096
#define READS_PER_WAKE 4

struct linger_sock {
	struct linger_set *set;
	uv_poll_t poll;
	uv_timer_t timer;
	int fd;       /* owned; closed once the watchers are */
	int handles;  /* watchers not yet closed */
	size_t bytes; /* read and thrown away */
	LIST_ENTRY(linger_sock) link;
};

void
linger_set_init(struct linger_set *ls, uv_loop_t *loop, unsigned ms,
    size_t max_bytes)
{
	ls->loop = loop;
	ls->ms = ms;
	ls->max_bytes = max_bytes;
	ls->count = 0;
	ls->total = 0;
	ls->closed = 0;
	LIST_INIT(&ls->all);
}

static void
on_closed(uv_handle_t *h)
{
	struct linger_sock *l = h->data;

	if (--l->handles > 0)
		return;
	/* Only now: libuv must not watch a descriptor that is closed. */
	close(l->fd);
	free(l);
}

/* Ends the lingering: the socket is closed as soon as its watchers are. */
static void
finish(struct linger_sock *l)
{
	LIST_REMOVE(l, link);
	l->set->count--;
	uv_close((uv_handle_t *)&l->poll, on_closed);
	uv_close((uv_handle_t *)&l->timer, on_closed);
}

static void
on_readable(uv_poll_t *p, int status, int events)
{
	struct linger_sock *l = p->data;
	char buf[DISCARD_CHUNK];
	ssize_t n;
	int i;

	(void)events;
	if (status < 0) {
		finish(l);
		return;
	}
	for (i = 0; i < READS_PER_WAKE; i++) {
		n = read(l->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* EOF, an error (a reset), or enough: closed now. */
		if (n <= 0 || (l->bytes += (size_t)n) >= l->set->max_bytes) {
			finish(l);
			return;
		}
	}
}

static void
on_deadline(uv_timer_t *t)
{
	finish(t->data);
}

int
linger_start(struct linger_set *ls, int fd)
{
	struct linger_sock *l;

	/* A peer that is gone already (ENOTCONN) leaves nothing to wait
	 * for. */
	if (ls->closed || shutdown(fd, SHUT_WR) == -1 ||
	    (l = calloc(1, sizeof(*l))) == NULL) {
		close(fd);
		return -1;
	}
	l->set = ls;
	l->fd = fd;
	if (uv_poll_init_socket(ls->loop, &l->poll, fd) != 0) {
		free(l);
		close(fd);
		return -1;
	}
	l->poll.data = l;
	uv_timer_init(ls->loop, &l->timer);
	l->timer.data = l;
	l->handles = 2;
	LIST_INSERT_HEAD(&ls->all, l, link);
	ls->count++;
	ls->total++;
	if (uv_poll_start(&l->poll, UV_READABLE, on_readable) != 0) {
		finish(l);
		return -1;
	}
	uv_timer_start(&l->timer, on_deadline, ls->ms, 0);
	/* The loop ends when only lingering sockets are left. */
	uv_unref((uv_handle_t *)&l->poll);
	uv_unref((uv_handle_t *)&l->timer);
	return 0;
}

void
linger_set_release(struct linger_set *ls)
{
	ls->closed = 1;
	while (!LIST_EMPTY(&ls->all))
		finish(LIST_FIRST(&ls->all));
}
