/*
 * worker.h - one load generator process and its share of the clients.
 * Owns: opening its connections (a bounded number at a time, each from its
 * own 127.x source address, spread round-robin over the hubs), joining them to their room with join_room and
 * checking each ack (and, when asked, the retained message that follows
 * it), then checking every delivery (its text, its sequence
 * number, its count) and timing it, until the parent's board says stop.
 * Reports only through its board slot; never prints.
 */
#ifndef BENCH_WORKER_H
#define BENCH_WORKER_H

#include <netinet/in.h>
#include <stdint.h>

#include "board.h"
#include "payload.h"

struct worker_config {
	unsigned index;                /* its slot on the board */
	const struct sockaddr_in *dst; /* the hubs, borrowed */
	unsigned nhubs;                /* connection n goes to n % nhubs */
	const char *path;              /* handshake path, borrowed */
	uint32_t first, count;         /* its connections' numbers */
	struct in_addr src;            /* source address of connection 0 */
	uint32_t naddrs;               /* connection n uses src + n % naddrs */
	uint32_t concurrency;          /* set up at once, at most */
	uint64_t room;                 /* n joins room + n % nrooms */
	uint32_t nrooms;               /* 0: join nothing */
	const struct payload *payload; /* what room 'room' receives */
	/* Non-NULL: each join is followed by one retained message of this
	 * event (georoomd --retain), and a connection is set up only once it
	 * came; each counts as a delivery. */
	const char *retained;
	int64_t setup_timeout_us; /* for all its connections to settle */
	int64_t drain_timeout_us; /* for deliveries after FINISH */
};

/*
 * Runs the worker until the board's phase is BOARD_STOP, or until its
 * results are in after BOARD_FINISH.  Returns 0, or -1 when it could not
 * start (the reason is in its slot).
 */
int worker_run(const struct worker_config *cfg, struct board *b);

#endif
