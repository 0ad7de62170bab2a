/*
 * rxtap.c - the bytes lws reads from the hub's clients, looked at before
 * lws parses them (see rxtap.h).
 */
/* recv() is defined here: glibc's fortified inline wrapper must not be. */
#undef _FORTIFY_SOURCE

#include "rxtap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "wsscan.h"

struct tap {
	struct wsscan scan;
	uint8_t watched;
	uint8_t listed; /* in 'unmasked' */
};

/* Indexed by descriptor; grown to the highest one watched.  24 bytes a
 * descriptor: this is per connection. */
static struct tap *taps;
static size_t ntaps;

/* Descriptors on which a frame came unmasked, not yet handed over: rare,
 * so a plain array. */
static int *unmasked;
static size_t nunmasked, unmasked_cap;

static struct tap *
tap_of(int fd)
{
	if (fd < 0 || (size_t)fd >= ntaps || !taps[fd].watched)
		return NULL;
	return &taps[fd];
}

int
rxtap_watch(int fd)
{
	struct tap *t;
	size_t n;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if ((size_t)fd >= ntaps) {
		n = ntaps + ntaps / 2 > (size_t)fd + 64 ? ntaps + ntaps / 2 :
		                                          (size_t)fd + 64;
		if ((t = realloc(taps, n * sizeof(*t))) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		memset(t + ntaps, 0, (n - ntaps) * sizeof(*t));
		taps = t;
		ntaps = n;
	}
	t = &taps[fd];
	wsscan_init(&t->scan);
	t->watched = 1;
	return 0; /* 'listed' stays: the list skips what is not bad */
}

void
rxtap_forget(int fd)
{
	struct tap *t = tap_of(fd);

	if (t != NULL)
		t->watched = 0;
}

int
rxtap_unmasked(int fd)
{
	struct tap *t = tap_of(fd);

	return t != NULL && t->scan.bad;
}

int
rxtap_next_unmasked(void)
{
	int fd;

	while (nunmasked > 0) {
		fd = unmasked[--nunmasked];
		taps[fd].listed = 0;
		if (rxtap_unmasked(fd))
			return fd;
	}
	return -1;
}

void
rxtap_release(void)
{
	free(taps);
	taps = NULL;
	ntaps = 0;
	free(unmasked);
	unmasked = NULL;
	nunmasked = unmasked_cap = 0;
}

/* Lists 'fd' for rxtap_next_unmasked(); without memory for it, the hub
 * still finds it when its WebSocket opens, or its lws timeout closes it
 * (its reads give nothing from now on). */
static void
list_unmasked(int fd, struct tap *t)
{
	int *p;

	if (t->listed)
		return;
	if (nunmasked == unmasked_cap) {
		size_t n = unmasked_cap ? 2 * unmasked_cap : 16;

		if ((p = realloc(unmasked, n * sizeof(*p))) == NULL)
			return;
		unmasked = p;
		unmasked_cap = n;
	}
	unmasked[nunmasked++] = fd;
	t->listed = 1;
}

/*
 * Every recv() of the program, lws's included.  A read of a socket
 * watched is cut before the first frame that is not masked; once there
 * was one, what comes is read and thrown away, and the caller is told
 * that nothing is there (EAGAIN) until the hub has closed the connection.
 */
ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t n = recvfrom(fd, buf, len, flags, NULL, NULL);
	struct tap *t;
	size_t ok;

	if (n <= 0 || (flags & MSG_PEEK) || (t = tap_of(fd)) == NULL)
		return n;
	ok = wsscan_feed(&t->scan, buf, (size_t)n);
	if (ok == (size_t)n)
		return n;
	list_unmasked(fd, t);
	if (ok > 0)
		return (ssize_t)ok;
	errno = EAGAIN;
	return -1;
}
