/*
 * ctlserver.h - georoomd's control socket, the transport of ctl.h.
 * Owns: the Unix-domain listening socket (its file, mode and group, stale
 * file replacement) and each producer's connection with its bounded input
 * and output buffers, served as lws raw files.  Cuts the input into lines
 * and hands each to ctlreq.h, which carries it out; never acts on the hub
 * itself.  Never prints: failures are returned with a reason in a caller's
 * buffer.
 */
#ifndef GEOROOM_CTLSERVER_H
#define GEOROOM_CTLSERVER_H

#include <stddef.h>
#include <sys/types.h>

#include <libwebsockets.h>

#include "ctlreq.h"
#include "hub.h"

struct ctlserver {
	struct hub *hub; /* borrowed */
	int listen_fd;   /* -1 when not listening */
	char path[108];
	dev_t dev; /* identify our socket file, so that */
	ino_t ino; /* release never removes another's */
	struct lws *listen_wsi;
	struct ctlreq_counters counters; /* reported by "stats" */
};

/* Sets up a control server that acts on 'hub' (borrowed). */
void ctlserver_init(struct ctlserver *cs, struct hub *hub);

/*
 * Creates the socket at 'path' with 'mode' (0600 or 0660) and group 'gid'
 * ((gid_t)-1 to keep the default), replacing a stale file but refusing to
 * replace a socket another process still answers on (or that it cannot
 * probe).  The probe never blocks: a listener whose queue stays full for
 * a second (a stopped hub) counts as live.  Creates a missing parent
 * directory, one level, with 'dir_mode'.  Returns 0, or -1 with errno and
 * a reason in 'err'; errno EADDRINUSE means another hub is live there.
 */
int ctlserver_listen(struct ctlserver *cs, const char *path, mode_t mode,
    gid_t gid, mode_t dir_mode, char *err, size_t errlen);

/* Fills the lws protocol entry for control connections. */
void ctlserver_protocol(struct ctlserver *cs, struct lws_protocols *proto);

/*
 * Hands the listening socket to the lws context's vhost 'vh'; the protocol
 * from ctlserver_protocol() must be among the vhost's.  Returns 0 or -1.
 */
int ctlserver_start(struct ctlserver *cs, struct lws_vhost *vh);

/* Removes the socket file (when it is still ours) and closes it. */
void ctlserver_release(struct ctlserver *cs);

#endif
