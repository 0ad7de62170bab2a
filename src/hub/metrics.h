/*
 * metrics.h - the hub's metrics page and health, from its stats.
 * Owns: which Prometheus metric each member of the control socket's
 * "stats" reply (ctlreq_stats()) becomes, with its name, type, unit and
 * help, and what makes the hub unhealthy.  Counts nothing itself: the
 * stats object is the one source, so the page and `georoom-cli stats`
 * always agree.  A member it does not know still shows, untyped, as
 * georoomd_<member>.  Pure: it reads an object and writes a buffer.
 */
#ifndef GEOROOM_METRICS_H
#define GEOROOM_METRICS_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"

/* The page's content type, text format 0.0.4. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/*
 * Appends the exposition of 'stats' (borrowed: an object as
 * ctlreq_stats() makes it) to 'out'.  Returns 0, or -1 with errno
 * (ENOBUFS past the buffer's cap, ENOMEM).
 */
int metrics_page(struct buf *out, jv stats);

/*
 * Whether a hub with 'stats' (borrowed) serves: 1; or 0 with the reason
 * in 'why' ("shutting down" when 'shutting_down'; "redis link down" or
 * "redis link connecting" on a node of a cluster whose link is not up).
 */
int metrics_healthy(jv stats, int shutting_down, char *why, size_t len);

#endif
