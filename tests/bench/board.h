/*
 * board.h - what the load generator's processes share.
 * Owns: one anonymous shared mapping, made before fork(), holding the phase
 * the parent sets and one slot per worker with that worker's counters and,
 * once it is done, its results.  Each field has one writer: the phase is
 * the parent's, a slot its worker's.  No I/O.
 */
#ifndef BENCH_BOARD_H
#define BENCH_BOARD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

enum board_phase {
	BOARD_SETUP,  /* workers open and join their clients */
	BOARD_RUN,    /* the producer sends */
	BOARD_FINISH, /* all sent: 'messages' is final */
	BOARD_STOP,   /* close everything and exit */
};

enum board_state {
	WORKER_SETUP,
	WORKER_READY, /* every connection joined or failed */
	WORKER_DONE,  /* results below are final */
};

struct board_slot {
	_Atomic int state;
	_Atomic uint64_t connected; /* namespace CONNECT answered */
	_Atomic uint64_t joined;    /* join_room acknowledged as asked */
	_Atomic uint64_t failed;    /* could not open, or broke later */
	_Atomic uint64_t delivered; /* deliveries that passed checks */
	_Atomic uint64_t bad;       /* packets that did not */
	_Atomic int64_t ready_us;   /* when the last connection settled */
	_Atomic int64_t last_delivery_us;
	uint64_t receivers; /* set by the parent before fork() */
	/* Written by the worker before it sets WORKER_DONE. */
	uint64_t complete;   /* receivers that got every message */
	uint64_t missing;    /* deliveries that never came */
	double cpu_s;        /* CPU from BOARD_RUN to done */
	struct hist latency; /* us from due time to receipt */
	char why[160];       /* the first failure, or "" */
};

struct board {
	_Atomic int phase;
	_Atomic uint64_t messages; /* sent by the producer */
	size_t size;               /* of the mapping */
	unsigned nworkers;
	struct board_slot slot[];
};

/* A zeroed board for 'nworkers' workers, or NULL with errno. */
struct board *board_new(unsigned nworkers);

void board_free(struct board *b);

/*
 * Messages every receiver has had, as far as the counters tell: the least,
 * over workers with receivers, of deliveries per receiver.
 */
uint64_t board_completed(const struct board *b);

/* How many workers are in state 'state' or past it. */
unsigned board_count_state(const struct board *b, int state);

#endif
