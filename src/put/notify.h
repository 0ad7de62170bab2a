/*
 * notify.h - georoomd told of stored locations, over its control socket.
 * Owns: the one hub connection, the stats check before a write, and one
 * emit per stored Feature, pipelined.  Never prints; failures are classes.
 */
#ifndef GEOROOM_NOTIFY_H
#define GEOROOM_NOTIFY_H

#include <stddef.h>

#include <jv.h>

#include "ctl.h"
#include "ctlclient.h"
#include "roommsg.h"

struct notify {
	struct ctlclient hub;
	const char *path;       /* borrowed: the control socket */
	enum ctlclient_err net; /* CTLCLIENT_OK, or what stopped the talk */
	enum ctl_status reply;  /* CTL_OK, or the first reply not a success */
	size_t done;            /* emits the hub carried out */
	size_t refused;         /* and those it refused (CTL_ERR_REFUSED) */
	char why[512];          /* the first failure, naming the hub */
	char refusal[256];      /* the hub's reason for the first refusal */
};

void notify_init(struct notify *n, const char *path, int timeout_ms);

/*
 * Connects and asks for the stats: the hub must answer before anything is
 * written.  Returns 0, or -1 with the class in n->net or n->reply.
 */
int notify_check(struct notify *n);

/*
 * Emits each of the 'count' items (borrowed) to its location's room in
 * namespace 'ns' as event 'event', the room contract's
 * {"userId","message","roomName"} with the Feature's text unparsed:
 * every request sent, then every reply read.  Returns 0 when all were
 * carried out, else -1 with the class in n->net or n->reply.
 */
int notify_emit(struct notify *n, const char *ns, const char *event,
    const struct roommsg_item *items, size_t count);

void notify_release(struct notify *n);

#endif
