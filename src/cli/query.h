/*
 * query.h - who and rooms: one request to georoomd's control socket.
 * Owns the request and the reading of its reply; never prints, never exits.
 */
#ifndef GEOROOM_QUERY_H
#define GEOROOM_QUERY_H

#include <stddef.h>

#include <jv.h>

struct query {
	const char *control;	/* the socket's path; NULL: the default one */
	double timeout;		/* seconds; 0: 10 s */
	const char *ns;		/* the namespace asked about */
	const char *room;	/* who: the room; NULL: rooms */
};

/*
 * Asks for the sockets in q->room, or for the rooms.  Returns 0 with *list
 * (owned) the reply's array, or an exit status (exits.h) with the reason
 * in 'err': what failed decides the status, which is this module's to say.
 */
int query_ask(const struct query *q, jv *list, char *err, size_t errlen);

#endif
