/*
 * metricsd.h - the hub's metrics and health endpoint, on an address of
 * its own (--metrics-bind), apart from the Socket.IO port.
 * Owns: the HTTP responder (net/httpserv.h) and what its paths show:
 * GET /metrics, the Prometheus page of the stats reply (hub/metrics.h);
 * GET /healthz, 200 "ok" or 503 with the reason; 404 for other paths.
 * Reads the hub through ctlreq_stats() only; never changes it.
 */
#ifndef GEOROOM_METRICSD_H
#define GEOROOM_METRICSD_H

#include <stddef.h>
#include <sys/socket.h>

#include <uv.h>

#include "ctlreq.h"
#include "httpserv.h"
#include "hub.h"

#define METRICSD_PATH "/metrics"
#define METRICSD_HEALTH_PATH "/healthz"

struct metricsd {
	struct hub *hub;                        /* borrowed */
	const struct ctlreq_counters *counters; /* borrowed; NULL: none */
	struct sockaddr_storage addr;
	struct httpserv http;
	int started;
};

/*
 * Sets up an endpoint for 'hub' on 'addr' (copied); 'counters', the
 * control server's, are shown too (NULL: none).  Nothing listens before
 * metricsd_start().
 */
void metricsd_init(struct metricsd *m, struct hub *hub,
    const struct ctlreq_counters *counters,
    const struct sockaddr_storage *addr);

/*
 * Listens on the loop.  Returns 0, or -1 with errno (EADDRINUSE...) and
 * a reason in 'err'.  Its handles do not keep the loop running.
 */
int metricsd_start(struct metricsd *m, uv_loop_t *loop, char *err,
    size_t errlen);

/* "ADDR port PORT" as it listens, for the log. */
void metricsd_describe(const struct metricsd *m, char *buf, size_t len);

/* Stops listening and drops its clients; the loop finishes.  Idempotent. */
void metricsd_stop(struct metricsd *m);

#endif
