/*
 * ctlreq.h - carrying out control requests on the hub.
 * Owns: what each request of the control protocol (ctl.h) does, emit,
 * sockets, rooms, stats and disconnect, and the reply each line gets.
 * Knows nothing of sockets or buffers: the control server (ctlserver.h)
 * hands it one line at a time.  Acts on the hub only through its API.
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

/*
 * Carries out the request in 'line' ('len' bytes, without its newline) on
 * 'hub'.  'counters' is borrowed for the call.  Returns the reply line
 * (JSON and a newline, as a jv string the caller owns): every line gets
 * one, an error reply when the request is malformed or fails.
 */
jv ctlreq_handle(struct hub *hub, const struct ctlreq_counters *counters,
    const char *line, size_t len);

#endif
