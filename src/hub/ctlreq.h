/*
 * ctlreq.h - carrying out control requests on the hub.
 * Owns: what each request of the control protocol (ctl.h) does, and the
 * reply each line gets; on a node of a cluster, the requests made of the
 * other nodes (through the hub's fanout) and their answers merged with
 * this node's.  Knows nothing of sockets or buffers: the control server
 * (ctlserver.h) hands it one line at a time.  Acts on the hub only
 * through its API.
 */
#ifndef GEOROOM_CTLREQ_H
#define GEOROOM_CTLREQ_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "hub.h"

/* The control server's own counters, which the "stats" reply includes. */
struct ctlreq_counters {
	uint64_t connections;       /* open producer connections */
	uint64_t connections_total; /* producer connections accepted */
	uint64_t requests;          /* request lines received */
};

/* Where a reply that waits for the other nodes goes, once it is made. */
struct ctlreq_later {
	/* 'line' (owned by the callee) is the reply, as ctlreq_handle()
	 * would have returned it. */
	void (*reply)(void *ctx, jv line);
	void *ctx;
};

struct ctlreq_wait; /* a reply waiting; ctlreq.c's */

/*
 * Carries out the request in 'line' ('len' bytes, without its newline) on
 * 'hub'.  'counters' is borrowed for the call.  Returns the reply line
 * (JSON and a newline, as a jv string the caller owns): every line gets
 * one, an error reply when the request is malformed or fails.  A request
 * that waits for the other nodes of a cluster returns jv_null() instead
 * and sets *wait: later->reply (copied) then comes exactly once, from the
 * loop, unless ctlreq_cancel() is called first.
 */
jv ctlreq_handle(struct hub *hub, const struct ctlreq_counters *counters,
    const char *line, size_t len, const struct ctlreq_later *later,
    struct ctlreq_wait **wait);

/*
 * The "stats" reply's body (an object the caller owns): the hub's counters
 * (hub_get_stats()), its refusals by reason ("refused_by"), each
 * namespace's sockets and rooms ("by_namespace"), 'counters' (borrowed;
 * NULL: zeros) and the fanout's members (hub_fanout_stats()).  The
 * metrics page shows the same object.
 */
jv ctlreq_stats(struct hub *hub, const struct ctlreq_counters *counters);

/* The reply 'w' waits for is no longer wanted (its producer left). */
void ctlreq_cancel(struct ctlreq_wait *w);

#endif
