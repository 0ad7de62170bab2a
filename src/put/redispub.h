/*
 * redispub.h - a blocking publisher to one Redis server, for a program
 * that announces a batch and exits (geoput).
 * Owns: the one connection (hiredis's synchronous API), the login the URL
 * asks for (AUTH, SELECT), pipelined PUBLISHes and their replies read in
 * order, every wait bounded by a timeout, and failures told as classes.
 * Never prints; knows nothing of what it publishes.
 */
#ifndef GEOROOM_REDISPUB_H
#define GEOROOM_REDISPUB_H

#include <stddef.h>

#include "redisurl.h"

/* Why a connect, a command or a reply failed, as a class a program maps. */
enum redispub_err {
	REDISPUB_OK,
	/* No server there: refused, no such socket, unknown name, the
	 * connect timed out. */
	REDISPUB_UNREACHABLE,
	/* AUTH refused, or a command refused for want of it or of the
	 * right to run it: NOAUTH, WRONGPASS, NOPERM. */
	REDISPUB_DENIED,
	/* A send or a reply outlasted the timeout. */
	REDISPUB_TIMEOUT,
	/* The server hung up, or the connection broke. */
	REDISPUB_CLOSED,
	/* Another error reply, e.g. to SELECT of a database it lacks. */
	REDISPUB_REFUSED,
	/* Bytes that are not RESP, or a reply of a type the command never
	 * gives. */
	REDISPUB_PROTOCOL,
	/* Out of memory, or misuse. */
	REDISPUB_LOCAL,
};

/* Commands buffered before they are written out, while more are added. */
#define REDISPUB_FLUSH_BYTES (1024 * 1024)

struct redisContext;

struct redispub {
	struct redisContext *c;     /* owned; NULL when not connected */
	const struct redisurl *url; /* borrowed */
	int timeout_ms;             /* bound on the connect and each wait */
	/* PUBLISHes queued since the init, those a failed send may have
	 * lost included; those whose reply is unread; and the bytes of
	 * the queue not yet written. */
	size_t published, queued, unflushed;
	enum redispub_err err; /* the class of the first failure */
	/* Where the server is, from redisurl_where() once connecting:
	 * never the password. */
	char where[160];
	char why[512]; /* the first failure, naming the server */
};

/*
 * Sets up an unconnected publisher to 'url' (borrowed, parsed by the time
 * of the connect).
 */
void redispub_init(struct redispub *p, const struct redisurl *url,
    int timeout_ms);

/*
 * Connects and logs in: AUTH with the URL's user and password, SELECT
 * its database, each answered before the next.  Does nothing when
 * connected.  Returns 0, or -1 with the class in p->err and the reason in
 * p->why, the connection closed.  Every function below that fails sets
 * them the same way; a failure that breaks the connection closes it.
 */
int redispub_connect(struct redispub *p);

/* Connects as redispub_connect() does, then asks for a PING's answer. */
int redispub_ping(struct redispub *p);

/*
 * Queues PUBLISH 'chan' 'msg' (both borrowed, any bytes) without waiting
 * for its reply, writing the queue out once it holds
 * REDISPUB_FLUSH_BYTES, so that memory stays bounded in a long batch.
 * Returns 0, or -1 when it could not be queued (not connected, out of
 * memory) or the queue could not be written.
 */
int redispub_publish(struct redispub *p, const char *chan, size_t chan_len,
    const void *msg, size_t len);

/*
 * Writes out what is queued, then reads the reply to the oldest PUBLISH
 * unanswered.  Returns 1 when Redis carried it out (*receivers: how many
 * subscribers heard it), 0 when Redis answered with an error (the class,
 * DENIED or REFUSED, and Redis's words in p->err and p->why; the
 * connection stays), or -1 when no reply could be read (the connection is
 * closed; the PUBLISHes still queued may or may not have been carried
 * out).
 */
int redispub_reply(struct redispub *p, long long *receivers);

/* Closes the connection. */
void redispub_release(struct redispub *p);

#endif
