/*
 * linger.h - lingering close of TCP sockets on the libuv loop, as nginx's
 * lingering_close and Node's ws do it.
 * Owns: each socket handed over, from its half-close (SHUT_WR) until it is
 * closed: what the peer still sends is read and thrown away until its EOF,
 * a byte limit or a deadline, so that the peer's last writes meet an open
 * socket instead of a reset.  Never prints, never reads what it discards.
 */
#ifndef GEOROOM_LINGER_H
#define GEOROOM_LINGER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <uv.h>

struct linger_sock;

struct linger_set {
	uv_loop_t *loop;  /* borrowed */
	unsigned ms;      /* longest a socket lingers */
	size_t max_bytes; /* most bytes read from one before it is closed */
	size_t count;     /* sockets lingering now */
	uint64_t total;   /* sockets ever handed over */
	int closed;       /* released: sockets are closed at once */
	LIST_HEAD(, linger_sock) all;
};

/*
 * Sets up an empty set on 'loop' whose sockets linger at most 'ms'
 * milliseconds and 'max_bytes' bytes.  Its watchers do not keep the loop
 * running on their own.
 */
void linger_set_init(struct linger_set *ls, uv_loop_t *loop, unsigned ms,
    size_t max_bytes);

/*
 * Takes 'fd', a connected TCP socket (owned from here, closed by the set):
 * shuts down its sending side and reads until the peer's EOF, an error,
 * 'max_bytes' or 'ms', then closes it.  Returns 0, or -1 when it closed
 * the socket at once (the set is released, or the loop refused it).
 */
int linger_start(struct linger_set *ls, int fd);

/*
 * Closes every lingering socket now and closes later ones at once.  The
 * loop must run once more to finish closing the watchers.
 */
void linger_set_release(struct linger_set *ls);

#endif
