/*
 * ctlclient.h - a producer's connection to georoomd's control socket.
 * Owns: one Unix-domain connection, pipelined NDJSON requests and their
 * replies, read in order, every wait bounded by a timeout, and failures
 * told as classes.  Never prints.  The protocol itself is defined in ctl.h.
 */
#ifndef GEOROOM_CTLCLIENT_H
#define GEOROOM_CTLCLIENT_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"
#include "ctl.h"

/* Why a connect, send or receive failed, as a class a program can map. */
enum ctlclient_err {
	CTLCLIENT_OK,
	CTLCLIENT_UNREACHABLE, /* no hub there: ENOENT, ECONNREFUSED, ... */
	CTLCLIENT_DENIED,      /* connect refused by permissions: EACCES */
	CTLCLIENT_TIMEOUT,  /* a connect, send or reply outlasted timeout_ms */
	CTLCLIENT_CLOSED,   /* the hub hung up, or the connection broke */
	CTLCLIENT_PROTOCOL, /* a reply line longer than the protocol allows */
	CTLCLIENT_LOCAL,    /* misuse (not connected, nothing pending) or
				   out of memory */
};

struct ctlclient {
	int fd;                 /* -1 when not connected */
	int timeout_ms;         /* bound on each connect, send and receive */
	size_t pending;         /* requests sent whose reply is unread */
	struct buf in;          /* owned; reply bytes read ahead, unread */
	enum ctlclient_err err; /* the class of the last failure */
	char why[256];          /* and what it was, for people */
};

/* Most reply bytes read ahead of ctlclient_recv_reply() (while sending). */
#define CTLCLIENT_INBUF_MAX (64 * 1024 * 1024)

/* Sets up an unconnected client. */
void ctlclient_init(struct ctlclient *c, int timeout_ms);

/*
 * Connects to the socket at 'path'.  Returns 0, or -1 with errno (ENOENT,
 * ECONNREFUSED, ETIMEDOUT, ENAMETOOLONG, ...), its class in c->err and
 * strerror's words in c->why.  Every function below that fails sets
 * c->err and c->why the same way.
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
 * Reads the next reply in order into 'r' (released with
 * ctl_reply_release() whatever the outcome).  Returns 0 when a reply line
 * came, its class in r->status (CTL_OK, CTL_ERR_REFUSED,
 * CTL_ERR_PROTOCOL) and any reason in r->error; -1 when none could be
 * read, the class in c->err (TIMEOUT, CLOSED, PROTOCOL, LOCAL).
 */
int ctlclient_recv_reply(struct ctlclient *c, struct ctl_reply *r);

/*
 * Sends one request (consumed) and reads its reply: 0 or -1 as
 * ctlclient_recv_reply(), a failed send included.
 */
int ctlclient_call_reply(struct ctlclient *c, jv request, struct ctl_reply *r);

/* Closes the connection and frees the buffer; 'c' may be reused. */
void ctlclient_release(struct ctlclient *c);

#endif
