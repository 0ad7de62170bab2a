/*
 * listener.h - a TCP listening socket of the process's own on the libuv
 * loop, for what libwebsockets 4.1 cannot do with its own: share a port
 * with other processes (SO_REUSEPORT; lws sets it only when it runs
 * several service threads).
 * Owns: the socket, bound and listening, and its watcher; accepting every
 * pending connection when it is readable and handing each, non-blocking
 * and with TCP_NODELAY, to the caller, who owns it from then on.  Never prints.
 */
#ifndef GEOROOM_LISTENER_H
#define GEOROOM_LISTENER_H

#include <uv.h>

struct listener {
	uv_poll_t watcher;
	int fd;   /* -1 when closed */
	int port; /* the port bound, the kernel's pick for 0 */
	/* A connection accepted ('fd' is the callee's to keep or close). */
	void (*on_accept)(void *arg, int fd);
	void *arg;
};

/*
 * Binds 'addr' (an IPv4 or IPv6 address, or NULL for every IPv4 one) and
 * 'port' with SO_REUSEADDR and SO_REUSEPORT, listens, and watches it on
 * 'loop'.  Returns 0, or -1 with errno (EADDRINUSE when another process
 * holds the port without SO_REUSEPORT, EINVAL for an address that is not
 * one).
 */
int listener_open(struct listener *l, uv_loop_t *loop, const char *addr,
    int port, void (*on_accept)(void *arg, int fd), void *arg);

/* Stops accepting and closes the socket; the loop finishes the watcher.
 * Idempotent. */
void listener_close(struct listener *l);

#endif
