/*
 * serve.h - running a hub: the lws context, the listening port, signals.
 * Owns: the lws context and its one vhost, the SIGINT/SIGTERM flag, the
 * SIGHUP that reloads a TLS certificate, and the orderly shutdown (close
 * frames to every client, control socket removed).
 * Shared by georoomd and the conformance server so that neither copies it.
 * Never prints: progress goes to the hub's log sink, failures to 'err'.
 */
#ifndef GEOROOM_SERVE_H
#define GEOROOM_SERVE_H

#include <stddef.h>

#include "cluster.h"
#include "ctlserver.h"
#include "hub.h"

struct metricsd;
struct tlscert;

struct serve_config {
	const char *bind;        /* address or interface; NULL: all */
	int port;                /* 0: any free port, logged once bound */
	int lws_log_level;       /* LLL_* mask for libwebsockets' own lines */
	int reuse_port;          /* SO_REUSEPORT: processes share the port, the
			    * kernel spreads connections over them */
	struct cluster *cluster; /* borrowed; NULL: this process alone */
	/* Borrowed; NULL: clear text.  Else every connection speaks TLS
	 * (wss://, https:// for the handshake path), from TLS 1.2 up and
	 * HTTP/1.1 only, and SIGHUP reloads the certificate and key. */
	struct tlscert *tls;
	/* Borrowed; NULL: none.  Its endpoint listens while the hub serves
	 * and drains (its health then says so). */
	struct metricsd *metrics;
};

/*
 * Serves until SIGINT or SIGTERM, then shuts down in order.  'cs' may be
 * NULL (no control socket); when given it must be listening already.
 * Returns 0 after a clean shutdown, or -1 with a reason in 'err' when the
 * server could not start (errno EADDRINUSE when the port is taken) or its
 * event loop failed (then after the same shutdown).
 */
int serve_run(const struct serve_config *cfg, struct hub *hub,
    struct ctlserver *cs, char *err, size_t errlen);

#endif
