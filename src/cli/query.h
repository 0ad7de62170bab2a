/*
 * query.h - who, rooms and stats: one request to georoomd's control
 * socket, its list or its counters printed.  Never writes to standard
 * error (warnings go to its hook).
 */
#ifndef GEOROOM_QUERY_H
#define GEOROOM_QUERY_H

#include <stdarg.h>

#include "output.h"

enum query_what {
	QUERY_SOCKETS, /* who: the sockets of a room, one line each */
	QUERY_ROOMS,   /* rooms: the rooms, one line each */
	QUERY_STATS,   /* stats: the hub's counters, one line */
};

struct query {
	enum query_what what;
	const char *control; /* the socket's path; NULL: the default one */
	double timeout;      /* seconds; 0: 10 s */
	const char *ns;      /* the namespace asked about */
	const char *room;    /* who: the room */
	int local;           /* this hub's only, not its cluster's */
	struct output *out;  /* borrowed: where the list goes */
	/* As session_config's. */
	void (*warn)(void *arg, int status, const char *fmt, va_list ap);
	void *warn_arg;
};

/*
 * Asks for what q->what says and prints it.
 * Returns 0, or an exit status (exits.h), the reason warned: what failed
 * decides the status, which is this module's to say.
 */
int query_ask(const struct query *q);

#endif
