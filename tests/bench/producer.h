/*
 * producer.h - the one sender of a run's messages.
 * Owns: a connection to the hub over which messages go, either the control
 * socket (one NDJSON "emit" request a message, pipelined, each reply read
 * and its "reached" count checked) or a Socket.IO client that emits "chat"
 * with an ack id (each ack checked against what was sent).  Never prints:
 * the first problem is kept in 'why'.
 */
#ifndef BENCH_PRODUCER_H
#define BENCH_PRODUCER_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "payload.h"

enum producer_via {
	PRODUCER_CONTROL,
	PRODUCER_CHAT,
};

struct producer_config {
	enum producer_via via;
	const char *control;           /* control socket path, borrowed */
	struct sockaddr_in dst;        /* the hub, for PRODUCER_CHAT */
	const char *path;              /* handshake path, borrowed */
	struct in_addr src;            /* PRODUCER_CHAT's source address */
	const struct payload *payload; /* borrowed */
	uint64_t members; /* each emit must reach this many on its hub */
};

struct producer {
	const struct producer_config *cfg; /* borrowed */
	int epfd;
	int fd;                /* control connection, or -1 */
	struct client_env env; /* the chat client's */
	struct client c;
	char *text; /* owned: one request being built */
	size_t text_cap;
	unsigned char *out; /* owned: requests not yet written */
	size_t outlen, outoff, outcap;
	int want_out; /* EPOLLOUT is armed */
	char *in;     /* owned: a reply not yet complete */
	size_t inlen, incap;
	uint64_t *due; /* owned: due time of each */
	size_t due_cap;
	uint64_t sent, confirmed, bad;
	int broken;
	char why[160];
};

/*
 * Connects, and for PRODUCER_CHAT waits (until 'deadline_us') for the
 * namespace to be joined.  Returns 0, or -1 with the reason in p->why.
 */
int producer_open(struct producer *p, const struct producer_config *cfg,
    int64_t deadline_us);

/* Sends message 'seq' (the next one), due at 't_us'.  0, or -1 if broken. */
int producer_send(struct producer *p, uint64_t seq, uint64_t t_us);

/*
 * Waits up to 'timeout_us' for the connection, then writes what is queued
 * and reads replies.  Returns 0, or -1 once the connection is broken.
 */
int producer_poll(struct producer *p, int64_t timeout_us);

void producer_close(struct producer *p);

#endif
