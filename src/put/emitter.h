/*
 * emitter.h - stored locations announced through Redis as
 * @socket.io/redis-emitter 5.x announces: one PUBLISH per stored Feature
 * to its room's channel, which every Socket.IO server on that Redis reads
 * (Node with @socket.io/redis-adapter 8.x, georoomd with --redis).
 * Owns: the messages (clustermsg's encoding of roommsg's payload) and the
 * count of what Redis answered.  Never prints; failures are redispub's.
 */
#ifndef GEOROOM_EMITTER_H
#define GEOROOM_EMITTER_H

#include <stddef.h>

#include <jv.h>

#include "buf.h"
#include "roommsg.h"
#include "redispub.h"

/* The uid an emitter's messages carry, as @socket.io/redis-emitter's. */
#define EMITTER_UID "emitter"

struct emitter {
	struct redispub redis;
	const char *key; /* borrowed: the channels' prefix, "socket.io" */
	size_t sent;     /* PUBLISHes handed to the connection */
	size_t done;     /* of those, the ones Redis carried out */
	size_t refused;  /* and those it answered with an error */
	struct buf chan, msg;
	char why[320]; /* an encoding failure: the record and the reason */
};

/*
 * Sets up an unconnected emitter to the server at 'url' (borrowed, parsed
 * by the time of the first check or emit), publishing on the channels of
 * 'key' (borrowed).
 */
void emitter_init(struct emitter *e, const struct redisurl *url,
    const char *key, int timeout_ms);

/*
 * Connects and asks for a PING: Redis must answer before anything is
 * written.  Returns 0, or -1 with the class in e->redis.err.
 */
int emitter_check(struct emitter *e);

/*
 * Writes into 'chan' and 'msg' (emptied first) the channel and the
 * MessagePack payload announcing 'it' (borrowed) in namespace 'ns' as
 * event 'event':
 * what the emitter's io.of(ns).to(room).emit(event, payload) publishes,
 * with roommsg's payload.  Pure.  Returns 0, or -1 with the reason in
 * 'err'.
 */
int emitter_encode(struct buf *chan, struct buf *msg, const char *key,
    const char *ns, const char *event, const struct roommsg_item *it,
    char *err, size_t errlen);

/*
 * Publishes each of the 'count' items (borrowed) to its location's room:
 * every PUBLISH sent, then every reply read.  Returns 0 when Redis carried out all of them, else -1 with the
 * class in e->redis.err (REDISPUB_LOCAL with e->why for a message that
 * could not be made) and the counts telling which were announced: sent -
 * done - refused of them may or may not have been.
 */
int emitter_emit(struct emitter *e, const char *ns, const char *event,
    const struct roommsg_item *items, size_t count);

void emitter_release(struct emitter *e);

#endif
