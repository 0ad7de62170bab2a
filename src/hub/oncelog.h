/*
 * oncelog.h - at most one log line per client address per interval, for
 * refusals a client repeats in a loop (a polling request to a hub that
 * serves WebSocket only, retried by socket.io-client every few seconds).
 * Owns: a fixed table of the addresses logged lately and when; when it is
 * full, the entry logged longest ago is taken, so its memory stays the
 * same whatever the number of clients.  Pure: the caller gives the time.
 */
#ifndef GEOROOM_ONCELOG_H
#define GEOROOM_ONCELOG_H

#include <stdint.h>

#include "cidr.h"

#define ONCELOG_SLOTS 64

struct oncelog {
	struct {
		struct cidr_addr addr; /* len 0: free */
		int64_t at;            /* ms it was last logged */
		uint64_t quiet;        /* lines held back since */
	} slot[ONCELOG_SLOTS];
};

void oncelog_init(struct oncelog *l);

/*
 * Whether a line about 'a' is due at 'now' (ms): 1 when none was logged
 * for it in the last 'interval_ms' (it is then recorded as logged, and
 * *quiet, unless NULL, gets how many were held back since the last), else
 * 0 (counted as held back).
 */
int oncelog_due(struct oncelog *l, const struct cidr_addr *a, int64_t now,
    int64_t interval_ms, uint64_t *quiet);

#endif
