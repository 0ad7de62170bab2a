/*
 * shardmsg.h - the messages between the nodes of a Socket.IO cluster on
 * Redis 7's sharded pub/sub, as @socket.io/redis-adapter 8.x's sharded
 * adapter (createShardedAdapter) writes them: socket.io-adapter 2.5's
 * ClusterAdapter messages {type, data, uid, nsp}, in JSON text, or in
 * MessagePack (notepack.io) when their data holds a binary.
 * Owns: the channel names and which one a broadcast takes; parsing every
 * message; building those georoomd sends.  The Socket.IO packet, opts and
 * acknowledged values inside are read and written by clustermsg.h's
 * pieces.  Pure: no I/O and no globals; it writes only into the caller's
 * buffers and structs, besides the libjq values it returns.
 *
 * The shard channels, for a key (CLUSTERMSG_KEY unless configured) and a
 * namespace:
 *   <key>#<nsp>#          requests and broadcasts, to every node; its
 *                         PUBSUB SHARDNUMSUB is the adapter's serverCount()
 *   <key>#<nsp>#<room>#   a broadcast without acks to exactly one room, in
 *                         the "dynamic" subscription modes; a node
 *                         subscribes to it while it has that room
 *   <key>#<nsp>#<uid>#    responses, to the node whose uid that is
 * A node's uid is 16 hexadecimal digits; every node ignores what carries
 * its own.
 */
#ifndef GEOROOM_SHARDMSG_H
#define GEOROOM_SHARDMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <jv.h>

#include "buf.h"
#include "clustermsg.h"

/* A node's uid: socket.io-adapter's randomId(), 8 random bytes in hex. */
#define SHARDMSG_UID_LEN 16

/* The adapter's subscriptionMode. */
enum shardmsg_mode {
	SHARDMSG_STATIC,  /* two channels a namespace */
	SHARDMSG_DYNAMIC, /* and one for each room that is no socket's id */
	SHARDMSG_DYNAMIC_PRIVATE, /* and one for each socket's own room too */
};

/* Channels */

/*
 * Appends <key>#<nsp>#, or <key>#<nsp>#<tail># when 'tail' is not NULL (a
 * room or a node's uid; any bytes).  Returns 0, or -1 with errno ENOBUFS
 * or ENOMEM and 'out' as it was.
 */
int shardmsg_channel(struct buf *out, const char *key, size_t key_len,
    const char *nsp, size_t nsp_len, const char *tail, size_t tail_len);

/*
 * Whether a broadcast to 'to' goes on its room's channel rather than the
 * namespace's, as the adapter's computeChannel() decides: no acks asked
 * ('with_ack' 0), exactly one room, and the mode "dynamic-private", or
 * "dynamic" with a room that does not look like a socket id (20 UTF-16
 * code units, as JavaScript's length counts them).
 */
int shardmsg_room_channel(enum shardmsg_mode mode,
    const struct clustermsg_target *to, int with_ack);

/* Messages */

enum shardmsg_type {
	SHARDMSG_NONE = -1, /* no type */
	SHARDMSG_INITIAL_HEARTBEAT = 1,
	SHARDMSG_HEARTBEAT = 2,
	SHARDMSG_BROADCAST = 3,
	SHARDMSG_SOCKETS_JOIN = 4,
	SHARDMSG_SOCKETS_LEAVE = 5,
	SHARDMSG_DISCONNECT_SOCKETS = 6,
	SHARDMSG_FETCH_SOCKETS = 7,
	SHARDMSG_FETCH_SOCKETS_RESPONSE = 8,
	SHARDMSG_SERVER_SIDE_EMIT = 9,
	SHARDMSG_SERVER_SIDE_EMIT_RESPONSE = 10,
	SHARDMSG_BROADCAST_CLIENT_COUNT = 11,
	SHARDMSG_BROADCAST_ACK = 12,
	SHARDMSG_ADAPTER_CLOSE = 13,
};

/*
 * A message, as shardmsg_parse() reads it.  Members the message lacks are
 * NULL, jv_invalid() or 0.  Strings are borrowed from 'body' and 'data',
 * and live as long as the struct holds them.
 */
struct shardmsg {
	int type;    /* enum shardmsg_type, or a type unknown here */
	int msgpack; /* it came as MessagePack rather than JSON text */
	jv body;     /* owned: the message, but for 'data' */
	jv data;     /* owned: its data, an object, but for data.packet when
		      * that is read into 'ev' */
	const char *uid; /* the sending node's */
	size_t uid_len;
	const char *nsp; /* the namespace it is for */
	size_t nsp_len;
	const char *request_id; /* data.requestId */
	size_t request_id_len;
	/* data.opts: the sockets a broadcast or request is for. */
	int has_opts;
	jv opts_rooms;  /* owned: an array, empty when opts lacks it */
	jv opts_except; /* owned: the same */
	unsigned flags; /* opts.flags, CLUSTERMSG_F_* */
	double timeout;
	jv rooms;   /* owned: SOCKETS_JOIN's and SOCKETS_LEAVE's rooms */
	int close;  /* DISCONNECT_SOCKETS: close the connections too */
	jv packet;  /* owned: SERVER_SIDE_EMIT's [event, args...], or
		      * SERVER_SIDE_EMIT_RESPONSE's answer */
	jv sockets; /* owned: FETCH_SOCKETS_RESPONSE's sockets */
	int has_client_count;
	double client_count; /* BROADCAST_CLIENT_COUNT */
	/*
	 * BROADCAST: the packet to send (clustermsg_event_read()); its
	 * namespace is the message's, whatever the packet says, as the
	 * receiving adapter's broadcast() sets it.  BROADCAST_ACK: the value
	 * a client acknowledged with, as clustermsg_req's; has_packet 0 when
	 * it acknowledged with nothing.
	 */
	int has_packet;
	struct clustermsg_event ev;
};

/* Sets up 'm', whose event text may take at most 'max' bytes. */
void shardmsg_init(struct shardmsg *m, size_t max);

/* Frees what 'm' holds; it may be used again. */
void shardmsg_release(struct shardmsg *m);

/*
 * Parses the message of 'len' bytes at 'msg' (borrowed: 'm' may point
 * into it) into 'm', dropping what it held: JSON text when the first
 * byte is '{', MessagePack otherwise (binaries outside the packet read as
 * Buffer objects), as the adapter tells them apart.  The message must be
 * an object whose type is a whole number and whose uid and nsp, when
 * present, are strings; its data, for types BROADCAST to BROADCAST_ACK,
 * an object whose requestId is a string, opts an object with rooms and
 * except arrays of strings and numbers, and rooms such an array.  What
 * the adapter needs of each type must be there: a BROADCAST's packet and
 * opts, the opts of SOCKETS_JOIN, SOCKETS_LEAVE, DISCONNECT_SOCKETS and
 * FETCH_SOCKETS, the rooms of the first two, the requestId of
 * FETCH_SOCKETS and of every response, a SERVER_SIDE_EMIT's packet array,
 * a FETCH_SOCKETS_RESPONSE's sockets array, a BROADCAST_CLIENT_COUNT's
 * clientCount number.  Other members are ignored; types unknown here are
 * read as far as the above goes.
 *
 * Returns 0, or -1 with a reason in 'err' (when errlen > 0), errno set as
 * clustermsg_decode() does, and 'm' empty.
 */
int shardmsg_parse(struct shardmsg *m, const void *msg, size_t len, char *err,
    size_t errlen);

/*
 * Builders.  Each appends a whole message to 'out' as the adapter writes
 * it, its members in the adapter's order, from node 'from' (uid and
 * namespace, borrowed), and returns 0, or -1 with errno (EINVAL for a bad
 * argument, ENOBUFS, ENOMEM) and 'out' as it was.  Rooms and except are
 * written as strings; a request's opts.flags as {}.
 */
struct shardmsg_from {
	const char *uid;
	size_t uid_len;
	const char *nsp;
	size_t nsp_len;
};

/*
 * BROADCAST of event 'e' (its uid and nsp unused: 'from' has them):
 * {type: 3, data: {packet: {type: 2, data}, [requestId,] opts}, uid,
 * nsp}; JSON text with the event's text as it is, or MessagePack when it
 * has attachments (placeholders become binaries).  With 'rid' not NULL,
 * the clients' acks are asked for.  A reason goes to 'err' as well.
 */
int shardmsg_broadcast(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_emit *e, const char *rid, size_t rid_len,
    char *err, size_t errlen);

/* SOCKETS_JOIN or SOCKETS_LEAVE (join 0) of 'rooms' for the sockets 'to'
 * picks: {type, data: {opts, rooms}, uid, nsp}. */
int shardmsg_sockets_join(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms, int join);

/* DISCONNECT_SOCKETS: {type: 6, data: {opts, close}, uid, nsp}. */
int shardmsg_disconnect(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, int close);

/* FETCH_SOCKETS: {type: 7, data: {opts, requestId}, uid, nsp}. */
int shardmsg_fetch(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, const char *rid, size_t rid_len);

/* SERVER_SIDE_EMIT of 'packet' (an array, borrowed: the event's name and
 * arguments): {type: 9, data: {[requestId,] packet}, uid, nsp}. */
int shardmsg_server_emit(struct buf *out, const struct shardmsg_from *from,
    jv packet, const char *rid, size_t rid_len);

/* FETCH_SOCKETS_RESPONSE: {type: 8, data: {requestId, sockets}, uid, nsp},
 * the sockets as clustermsg_res_fetch() writes them. */
int shardmsg_res_fetch(struct buf *out, const struct shardmsg_from *from,
    const char *rid, size_t rid_len, const struct clustermsg_socket *s,
    size_t n);

/* BROADCAST_CLIENT_COUNT: {type: 11, data: {requestId, clientCount}, uid,
 * nsp}. */
int shardmsg_res_client_count(struct buf *out,
    const struct shardmsg_from *from, const char *rid, size_t rid_len,
    uint64_t count);

/*
 * BROADCAST_ACK: {type: 12, data: {requestId[, packet]}, uid, nsp}, the
 * packet being the first element of the client's ACK data array 'json'
 * (with the attachments its placeholders name), none for an empty array;
 * JSON text, or MessagePack when there are attachments.  A reason goes to
 * 'err' as well.
 */
int shardmsg_res_broadcast_ack(struct buf *out,
    const struct shardmsg_from *from, const char *rid, size_t rid_len,
    const char *json, size_t json_len, const struct iovec *att, unsigned natt,
    char *err, size_t errlen);

#endif
