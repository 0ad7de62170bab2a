/*
 * cmsummary.h - what the tests compare of a cluster message, for
 * test_clustermsg and the clustermsg driver alike.
 * Owns: a decoded broadcast or request written as one line of JSON text,
 * in the form tests/node/clustermsg-vectors.js writes what the real
 * packages make of the same message; a decoded message encoded or built
 * back with the module's own writers; hex.  Test code: it may allocate
 * and abort.
 */
#ifndef GEOROOM_CMSUMMARY_H
#define GEOROOM_CMSUMMARY_H

#include <stddef.h>

#include "buf.h"
#include "clustermsg.h"
#include "shardmsg.h"

/*
 * The summary of 'm': {uid, nsp, frame, att, rooms, except, flags
 * [, timeout]}, where frame is the Socket.IO packet a client gets, as
 * socket.io-parser's Encoder writes it, and att its attachments in hex.
 * Rooms that are numbers are written as strings when 'text_rooms' is set.
 * A malloc'd string.
 */
char *cmsummary_bcast(const struct clustermsg_bcast *m, int text_rooms);

/* {type, msgpack, requestId, uid, ..., packet}: a malloc'd string. */
char *cmsummary_req(const struct clustermsg_req *r);

/* Encodes 'm' back, numbers as room names, into 'out': 0 or -1. */
int cmsummary_reencode(const struct clustermsg_bcast *m, struct buf *out,
    char *err, size_t errlen);

/*
 * Builds 'r' again with the builder that makes messages of its kind into
 * 'out': 0, or -1 when none does (requests for one socket, which the hub
 * answers but never makes).
 */
int cmsummary_rebuild(const struct clustermsg_req *r, struct buf *out);

/*
 * The summary of a sharded message: {type, msgpack, uid, nsp, requestId,
 * opts, rooms, close, packet, sockets, clientCount}, as
 * tests/node/shardmsg-vectors.js writes it: a malloc'd string.
 */
char *cmsummary_shard(const struct shardmsg *m);

/* Builds 'm' again with shardmsg.h's builder of its type: 0, or -1 when
 * none does (or it fails). */
int cmsummary_shard_rebuild(const struct shardmsg *m, struct buf *out);

/* Hex of 'len' bytes, malloc'd; bytes of hex 's' into 'out' (-1: bad). */
char *cmsummary_hex(const void *p, size_t len);
int cmsummary_unhex(const char *s, struct buf *out);

#endif
