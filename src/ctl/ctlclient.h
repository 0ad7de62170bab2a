/*
 * ctlclient.h - a producer's connection to georoomd's control socket.
 * Owns: one Unix-domain connection, pipelined NDJSON requests and their
 * replies, read in order, every wait bounded by a timeout.  Never prints.
 * The protocol itself is defined in ctl.h.
 */
#ifndef GEOROOM_CTLCLIENT_H
#define GEOROOM_CTLCLIENT_H

#include <stddef.h>

#include <jv.h>

struct ctlclient {
	int fd;			/* -1 when not connected */
	int timeout_ms;		/* bound on each connect, send and receive */
	size_t pending;		/* requests sent whose reply is unread */
	char *inbuf;		/* owned; reply bytes read ahead */
	size_t inoff;		/* start of the unread bytes in inbuf */
	size_t inlen, incap;	/* end of the bytes read; size of inbuf */
};

/* Most reply bytes read ahead of ctlclient_recv() (while sending). */
#define CTLCLIENT_INBUF_MAX (64 * 1024 * 1024)

/* Sets up an unconnected client. */
void ctlclient_init(struct ctlclient *c, int timeout_ms);

/*
 * Connects to the socket at 'path'.  Returns 0, or -1 with errno (ENOENT,
 * ECONNREFUSED, ETIMEDOUT, ENAMETOOLONG, ...).
 */
int ctlclient_connect(struct ctlclient *c, const char *path);

/*
 * Sends one request (an object, consumed) without waiting for its reply.
 * Replies that have arrived are read ahead (up to CTLCLIENT_INBUF_MAX
 * bytes) before the request is written and while the socket is full, so
 * that in a long pipeline the hub never waits on this end.  Returns 0, or -1 with errno (ETIMEDOUT when the
 * socket stayed full for the timeout, EPIPE when the hub went away).
 */
int ctlclient_send(struct ctlclient *c, jv request);

/*
 * The same for a request already encoded: 'len' bytes at 'json'
 * (borrowed), one JSON object holding no newline; the newline is added.
 */
int ctlclient_send_text(struct ctlclient *c, const char *json, size_t len);

/*
 * Reads the next reply in order.  Returns the parsed object (owned), or an
 * invalid jv whose message says what failed (timeout, closed, bad JSON).
 */
jv ctlclient_recv(struct ctlclient *c);

/* Sends one request and waits for its reply: send then recv. */
jv ctlclient_call(struct ctlclient *c, jv request);

/* Closes the connection and frees the buffer; 'c' may be reused. */
void ctlclient_release(struct ctlclient *c);

#endif
