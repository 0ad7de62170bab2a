/*
 * clustermsg.h - the messages between the nodes of a Socket.IO cluster, as
 * @socket.io/redis-adapter 8.x (its classic pub/sub mode) and
 * @socket.io/redis-emitter 5.x write them over Redis.
 * Owns: the channel names; a broadcast's MessagePack payload
 * [uid, packet, opts], both ways; the requests and responses between
 * nodes (JSON text, or MessagePack for BROADCAST and BROADCAST_ACK),
 * parsed and built.  Pure: no I/O and no globals; it writes only into
 * the caller's buffers and structs, besides the libjq values it returns.
 *
 * The channels, for a key (CLUSTERMSG_KEY unless configured) and a
 * namespace:
 *   <key>#<nsp>#             broadcasts to a namespace, to many rooms, or
 *   <key>#<nsp>#<room>#      to exactly one room; nodes PSUBSCRIBE to
 *                            <key>#<nsp>#* and ignore rooms they lack
 *   <key>-request#<nsp>#     requests to every node
 *   <key>-response#<nsp>#    responses, to every node, or
 *   <key>-response#<nsp>#<uid>#   to the node that asked (an adapter
 *                            option); nodes SUBSCRIBE to all three
 * Every node has a uid, and ignores broadcasts carrying its own.
 */
#ifndef GEOROOM_CLUSTERMSG_H
#define GEOROOM_CLUSTERMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <jv.h>

#include "buf.h"
#include "mpjson.h"
#include "sio.h"

/* The adapter's and the emitter's default key. */
#define CLUSTERMSG_KEY "socket.io"

/* Channels */

enum clustermsg_chan {
	CLUSTERMSG_CHAN_BROADCAST, /* <key>#<nsp>#[<room>#] */
	CLUSTERMSG_CHAN_REQUEST,   /* <key>-request#<nsp># */
	CLUSTERMSG_CHAN_RESPONSE,  /* <key>-response#<nsp>#[<uid>#] */
};

/*
 * Appends the name of a channel of 'kind' for 'key' and namespace 'nsp'.
 * 'tail', unless NULL, is the room of a broadcast to exactly one room, or
 * the uid of the node a response is for; it may hold any byte.  As the
 * adapter does, a broadcast names its room only when it targets exactly
 * one (opts.rooms).  Returns 0, or -1 with errno ENOBUFS or ENOMEM.
 */
int clustermsg_channel(struct buf *out, enum clustermsg_chan kind,
    const char *key, size_t key_len, const char *nsp, size_t nsp_len,
    const char *tail, size_t tail_len);

/*
 * Appends the pattern to PSUBSCRIBE for every broadcast of namespace
 * 'nsp': <key>#<nsp>#*, with the glob characters of key and namespace
 * ("*?[]\") escaped, which the adapter leaves as they are.  Returns 0, or
 * -1 with errno ENOBUFS or ENOMEM.
 */
int clustermsg_pattern(struct buf *out, const char *key, size_t key_len,
    const char *nsp, size_t nsp_len);

/*
 * Whether broadcast channel 'chan' ('len' bytes) belongs to 'key' and
 * namespace 'nsp', as the adapter tells (channel.startsWith()): returns 0
 * and the room it names in *room and *room_len, borrowed from 'chan'
 * (*room NULL when it names none); -1 with errno EINVAL when it is not
 * one of that namespace's.  As the adapter's channel.slice(prefix, -1),
 * the room is all that lies between the prefix and the final '#', '#'
 * included ("socket.io#/#a#b#" names room "a#b"), and an empty room is
 * none.  A channel that does not end in '#' is refused, which no
 * publisher writes (the adapter would drop its last character).  The
 * room only spares a node broadcasts for rooms it lacks; opts.rooms says
 * whom a broadcast is for, and the packet's namespace has the last word,
 * as in the adapter: the channels of namespace "/a#b" start as those of
 * "/a" do.
 */
int clustermsg_channel_room(const char *chan, size_t len, const char *key,
    size_t key_len, const char *nsp, size_t nsp_len, const char **room,
    size_t *room_len);

struct clustermsg_chaninfo {
	enum clustermsg_chan kind;
	const char *nsp; /* borrowed from the channel */
	size_t nsp_len;
	const char *tail; /* the room or the uid, borrowed; NULL if none */
	size_t tail_len;
};

/*
 * Splits channel 'chan' of 'key' into its kind, namespace and tail.  The
 * namespace ends at its first '#', so that a namespace holding '#' is
 * split wrongly: use clustermsg_channel_room() with the namespace the
 * subscription was made for.  Returns 0, or -1 with errno EINVAL when
 * 'chan' is no channel of 'key'.
 */
int clustermsg_channel_parse(const char *chan, size_t len, const char *key,
    size_t key_len, struct clustermsg_chaninfo *ci);

/* Broadcasts */

/*
 * A broadcast's flags (opts.flags).  socket.io 4.8 sets volatile,
 * compress, local (never published: only this node), timeout (an emit
 * awaiting acks) and expectSingleResponse; socket.io 2 also set broadcast
 * and binary.  A receiving node heeds volatile and compress.
 */
#define CLUSTERMSG_F_VOLATILE 0x01
#define CLUSTERMSG_F_COMPRESS 0x02   /* compress: true */
#define CLUSTERMSG_F_NOCOMPRESS 0x04 /* compress: false */
#define CLUSTERMSG_F_LOCAL 0x08
#define CLUSTERMSG_F_TIMEOUT 0x10 /* timeout: in the struct's 'timeout', ms */
#define CLUSTERMSG_F_SINGLE 0x20  /* expectSingleResponse */
#define CLUSTERMSG_F_BROADCAST 0x40
#define CLUSTERMSG_F_BINARY 0x80

/* The sockets a broadcast or a request is for, and how. */
struct clustermsg_target {
	const struct iovec *rooms; /* in any of these; none: every socket */
	size_t nrooms;
	const struct iovec *except; /* but in none of these */
	size_t nexcept;
	unsigned flags; /* CLUSTERMSG_F_*; requests carry none */
	double timeout;
};

/* An event to broadcast to the other nodes, as the hub received it. */
struct clustermsg_emit {
	const char *uid; /* this node's */
	size_t uid_len;
	const char *nsp;
	size_t nsp_len;
	/* The event's data array as JSON text, e.g. ["chat",{"m":1}], with
	 * the attachments its placeholders name, as a Socket.IO client sent
	 * them (the text sio_decode() checked).  Placeholders are read only
	 * when there are attachments (a BINARY_EVENT), as socket.io-parser
	 * reads them only in binary packets. */
	const char *json;
	size_t json_len;
	const struct iovec *att;
	unsigned natt;
	struct clustermsg_target to;
};

/*
 * Appends the MessagePack payload of a broadcast of 'e' to 'out', as the
 * adapter writes it: [uid, {type: 2, data, nsp}, {rooms, except, flags}],
 * with the data written by mpjson_from_json() (placeholders become bins
 * of their attachments).  Room names may hold any UTF-8, NUL included.
 * The bytes are notepack.io's, but where mpjson_from_json() says.
 * Publish it on the channel clustermsg_channel() names.  Returns 0, or -1
 * with a reason in 'err' (when errlen > 0), errno set and 'out' as it was.
 */
int clustermsg_encode(struct buf *out, const struct clustermsg_emit *e,
    char *err, size_t errlen);

/* A room as a message names it. */
struct clustermsg_room {
	/* The name: a string, borrowed from the message, or a number (Node
	 * sockets may join room 42) as String() writes it, in 'num' (then
	 * 'name' points into this struct, which must not be copied). */
	const char *name;
	size_t len;
	int is_number;
	double number;
	char num[32];
};

/* The rooms of a decoded broadcast, read with clustermsg_rooms_next(). */
struct clustermsg_rooms {
	struct mpack_cur cur;
	size_t n; /* how many are left */
};

/* Reads the next room into *room: 1, or 0 when none is left. */
int clustermsg_rooms_next(struct clustermsg_rooms *r,
    struct clustermsg_room *room);

/*
 * The room that a string or number 'v' (borrowed) names, its name
 * borrowed from 'v' when a string: 0, or -1 with errno EINVAL.
 */
int clustermsg_room_from_jv(jv v, struct clustermsg_room *room);

/* An event another node sent, ready to be sent to Socket.IO clients. */
struct clustermsg_event {
	/*
	 * EVENT, or BINARY_EVENT with its attachments counted; the
	 * namespace, borrowed from the message; the ack id if the packet
	 * had one (socket.io never sets one here).  With 'json', what
	 * sio_encode() takes.
	 */
	struct sio_header h;
	/* The data array as socket.io-parser writes it for clients (see
	 * mpjson_to_json()); in this struct's buffer, valid until the next
	 * decode or the release. */
	const char *json;
	size_t json_len;
	/* The attachments, borrowed from the message, in placeholder order. */
	struct iovec att[SIO_ATTACHMENTS_MAX];
	/* Private: */
	struct buf text;
	struct buf scratch;
	struct buf pack;
};

/* A decoded broadcast: what clustermsg_decode() fills. */
struct clustermsg_bcast {
	const char *uid; /* the sending node's, borrowed from the message */
	size_t uid_len;
	struct clustermsg_event ev;
	struct clustermsg_rooms rooms;  /* opts.rooms: none is every socket */
	struct clustermsg_rooms except; /* opts.except */
	unsigned flags;                 /* opts.flags, CLUSTERMSG_F_* */
	double timeout;
};

/*
 * Sets up 'm', whose event text may take at most 'max' bytes (and its
 * work space some more); allocates nothing yet.
 */
void clustermsg_bcast_init(struct clustermsg_bcast *m, size_t max);

/* Frees what 'm' holds; it may be used again. */
void clustermsg_bcast_release(struct clustermsg_bcast *m);

/*
 * Decodes the broadcast payload of 'len' bytes at 'payload' (borrowed:
 * 'm' points into it) into 'm', as a receiving node reads it and sends it
 * on: an array of at least [uid, packet, opts]; a uid string; a packet
 * map with type 2 (EVENT), a data array whose first element is an event
 * name that is not reserved (or a number), the namespace ("/" when
 * absent) and no ack id or a valid one; opts a map whose rooms and except
 * are arrays of strings or numbers (or absent) and whose flags are a map.
 * Other keys are ignored.  A map's repeated key keeps its last value, as
 * in JavaScript.  The data holds at most SIO_JSON_DEPTH_MAX nested levels
 * and SIO_ATTACHMENTS_MAX binaries, with string map keys.  Whatever a
 * socket.io-client would refuse is refused here: a reserved or
 * non-finite event name, and, in a packet with binaries, a map that
 * reads as a placeholder but names none of them.
 *
 * Returns 0, or -1 with a reason in 'err' (when errlen > 0) and errno
 * set: EINVAL (wrong shape, malformed MessagePack), ENOTSUP (an ext
 * type), ELOOP (too deep), EMSGSIZE (too many binaries), ENOBUFS (the
 * text would pass 'max'), ENOMEM.
 */
int clustermsg_decode(struct clustermsg_bcast *m, const void *payload,
    size_t len, char *err, size_t errlen);

/* Requests and responses */

enum clustermsg_type {
	CLUSTERMSG_NONE = -1, /* no type: most responses */
	CLUSTERMSG_SOCKETS = 0,
	CLUSTERMSG_ALL_ROOMS = 1,
	CLUSTERMSG_REMOTE_JOIN = 2,
	CLUSTERMSG_REMOTE_LEAVE = 3,
	CLUSTERMSG_REMOTE_DISCONNECT = 4,
	CLUSTERMSG_REMOTE_FETCH = 5,
	CLUSTERMSG_SERVER_SIDE_EMIT = 6,
	CLUSTERMSG_BROADCAST = 7,
	CLUSTERMSG_BROADCAST_CLIENT_COUNT = 8,
	CLUSTERMSG_BROADCAST_ACK = 9,
};

/*
 * A request or a response, as clustermsg_req_parse() reads it.  Fields
 * the message lacks are NULL, jv_invalid() or 0.  Strings are borrowed
 * from 'body' and live as long as the struct holds it.
 */
struct clustermsg_req {
	int type;    /* enum clustermsg_type, or a type unknown here */
	int msgpack; /* it came as MessagePack rather than JSON text */
	jv body;     /* owned: the whole message, but its "packet" */
	const char *request_id; /* requestId */
	size_t request_id_len;
	const char *uid; /* the asking node's; emitters send none */
	size_t uid_len;
	const char *sid; /* one socket (older adapters' JOIN, LEAVE, ...) */
	size_t sid_len;
	jv room;  /* owned: the room for that socket, string or number */
	jv rooms; /* owned: the rooms to join or leave, or SOCKETS' */
	/* opts: the sockets the request is for; when the message had none,
	 * it is for 'sid' (has_opts 0). */
	int has_opts;
	jv opts_rooms;  /* owned: an array, empty when opts lacks it */
	jv opts_except; /* owned: an array, empty when opts lacks it */
	unsigned flags; /* opts.flags (BROADCAST), CLUSTERMSG_F_* */
	double timeout;
	int close;  /* REMOTE_DISCONNECT: close the connection too */
	jv data;    /* owned: SERVER_SIDE_EMIT's arguments or answer */
	jv sockets; /* owned: a SOCKETS or REMOTE_FETCH response's */
	int has_client_count;
	double client_count; /* BROADCAST_CLIENT_COUNT */
	/*
	 * BROADCAST: the packet to send, as clustermsg_decode() makes it.
	 * BROADCAST_ACK: the one value a client acknowledged with, as JSON
	 * text with its attachments (ev.h.attachments of them), in 'ev'
	 * with type SIO_ACK or SIO_BINARY_ACK and no ack id; has_packet 0
	 * when the client acknowledged with nothing.
	 */
	int has_packet;
	struct clustermsg_event ev;
};

/* Sets up 'r' as clustermsg_bcast_init() does. */
void clustermsg_req_init(struct clustermsg_req *r, size_t max);

/* Frees what 'r' holds; it may be used again. */
void clustermsg_req_release(struct clustermsg_req *r);

/*
 * Parses the message of 'len' bytes at 'msg' (borrowed: 'r' may point
 * into it) from a request or response channel into 'r', dropping what it
 * held: JSON text when the first byte is '{', as the adapter tells,
 * MessagePack otherwise (read by mpjson_to_jv(), binaries as Buffer
 * objects; the packet as clustermsg_decode() reads one).  The message
 * must be an object; requestId, uid and sid strings; room a string or a
 * number; rooms, opts.rooms and opts.except arrays of those; type a
 * whole number.  A REMOTE_FETCH and a BROADCAST need opts, a BROADCAST
 * its packet, a SERVER_SIDE_EMIT request a data array.  JSON text is
 * read by jsonv_parse(), at most SIO_JSON_DEPTH_MAX + 4 levels deep.
 *
 * Returns 0, or -1 with a reason in 'err' (when errlen > 0), errno set
 * as clustermsg_decode() does, and 'r' empty.
 */
int clustermsg_req_parse(struct clustermsg_req *r, const void *msg, size_t len,
    char *err, size_t errlen);

/*
 * Request builders: each appends to 'out' the message the adapter
 * publishes on the request channel, JSON text with its keys in its
 * order, and returns 0, or -1 with errno EINVAL (a bad argument),
 * ENOBUFS or ENOMEM.  'uid' is this node's; 'rid' the request id the
 * responses will carry (the adapter makes 6 random characters).
 */

/* {uid, requestId, type: 1}: every room of every node. */
int clustermsg_req_all_rooms(struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len);

/* {uid, requestId, type: 5, opts: {rooms, except}}: fetchSockets(). */
int clustermsg_req_fetch(struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len, const struct clustermsg_target *to);

/* {uid, type: 2 or 3, opts: {rooms, except}, rooms}: socketsJoin() and
 * socketsLeave() of 'rooms'; no response comes. */
int clustermsg_req_join(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms);
int clustermsg_req_leave(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms);

/* {uid, type: 4, opts: {rooms, except}, close}: disconnectSockets(). */
int clustermsg_req_disconnect(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, int close);

/*
 * {uid, [requestId,] type: 6, data}: serverSideEmit() of 'data' (an
 * array, borrowed: the event name and its arguments); with 'rid' not
 * NULL, each node answers once.
 */
int clustermsg_req_server_emit(struct buf *out, const char *uid,
    size_t uid_len, const char *rid, size_t rid_len, jv data);

/*
 * MessagePack {uid, requestId, type: 7, packet, opts}: a broadcast whose
 * clients' acknowledgements are wanted; e->to.flags should have
 * CLUSTERMSG_F_TIMEOUT.  As clustermsg_encode(), with 'err'.
 */
int clustermsg_req_broadcast(struct buf *out, const struct clustermsg_emit *e,
    const char *rid, size_t rid_len, char *err, size_t errlen);

/*
 * Response builders, for the response channel: JSON text but for
 * BROADCAST_ACK; 'rid' is the request's requestId.  Each returns 0, or -1
 * with errno EINVAL, ENOBUFS or ENOMEM.
 */

/* {requestId, sockets}: SOCKETS, the ids of this node's sockets in the
 * request's rooms. */
int clustermsg_res_sockets(struct buf *out, const char *rid, size_t rid_len,
    const struct iovec *ids, size_t n);

/* {requestId, rooms}: ALL_ROOMS, this node's rooms (a socket.io node
 * lists each socket's own room, named by its id, too). */
int clustermsg_res_all_rooms(struct buf *out, const char *rid, size_t rid_len,
    const struct iovec *rooms, size_t n);

/* {requestId}: a REMOTE_JOIN, REMOTE_LEAVE or REMOTE_DISCONNECT of one
 * socket ('sid') done. */
int clustermsg_res_done(struct buf *out, const char *rid, size_t rid_len);

/* One socket in a REMOTE_FETCH response, as fetchSockets() returns it. */
struct clustermsg_socket {
	const char *id;
	size_t id_len;
	const struct iovec *rooms; /* its rooms, its own id's included */
	size_t nrooms;
	/* Borrowed: socket.handshake, an object ({headers, time, address,
	 * xdomain, secure, issued, url, query, auth} in socket.io). */
	jv handshake;
	jv data; /* borrowed: socket.data, or jv_invalid() for none */
};

/* {requestId, sockets: [{id, handshake, rooms, data}]}: REMOTE_FETCH. */
int clustermsg_res_fetch(struct buf *out, const char *rid, size_t rid_len,
    const struct clustermsg_socket *s, size_t n);

/* {type: 6, requestId, data}: a SERVER_SIDE_EMIT answered with 'arg'
 * (borrowed; jv_invalid() for none). */
int clustermsg_res_server_emit(struct buf *out, const char *rid,
    size_t rid_len, jv arg);

/* {type: 8, requestId, clientCount}: how many clients a BROADCAST
 * reached, whose acknowledgements will follow. */
int clustermsg_res_client_count(struct buf *out, const char *rid,
    size_t rid_len, uint64_t count);

/*
 * MessagePack {type: 9, requestId, packet}: one client's acknowledgement
 * of a BROADCAST.  'json' is the client's ACK data array as received
 * (JSON text, with the attachments its placeholders name), of which the
 * adapter sends the first element, as mpjson_from_json() writes it, and
 * nothing for an empty array.  As clustermsg_encode(), with 'err'.
 */
int clustermsg_res_broadcast_ack(struct buf *out, const char *rid,
    size_t rid_len, const char *json, size_t json_len, const struct iovec *att,
    unsigned natt, char *err, size_t errlen);

/*
 * Pieces other adapters' messages share with these (shardmsg.h): the
 * Socket.IO packet of a broadcast, its opts and flags, and an ack's value.
 */

/* Sets up 'ev' with a text of at most 'max' bytes; resets it for the next
 * message; frees what it holds. */
void clustermsg_event_init(struct clustermsg_event *ev, size_t max);
void clustermsg_event_reset(struct clustermsg_event *ev);
void clustermsg_event_release(struct clustermsg_event *ev);

/*
 * Reads the packet {type: 2, data[, nsp][, id]} at the cursor into 'ev',
 * as clustermsg_decode() reads a broadcast's, the cursor then past it;
 * or the packet 'packet' (consumed) as JSON.parse() made it.  Returns 0,
 * or -1 with a reason in 'err' and errno as clustermsg_decode().
 */
int clustermsg_event_read(struct clustermsg_event *ev, struct mpack_cur *c,
    char *err, size_t errlen);
int clustermsg_event_read_jv(struct clustermsg_event *ev, jv packet, char *err,
    size_t errlen);

/*
 * Reads the value a client acknowledged with, at the cursor or as
 * 'value' (consumed), into 'ev' as a BROADCAST_ACK's (clustermsg_req).
 * The same returns.
 */
int clustermsg_ack_read(struct clustermsg_event *ev, struct mpack_cur *c,
    char *err, size_t errlen);
int clustermsg_ack_read_jv(struct clustermsg_event *ev, jv value, char *err,
    size_t errlen);

/* opts.flags (an object, borrowed) as a receiving node takes them. */
void clustermsg_flags_from_jv(jv flags, unsigned *out, double *timeout);

/*
 * Appends the MessagePack packet of 'e': {type: 2, data, nsp} as
 * clustermsg_encode() writes it, or {type: 2, data} without 'with_nsp'.
 * Returns 0, or -1 with a reason in 'err' and errno set, 'out' holding
 * part of it.
 */
int clustermsg_put_packet(struct buf *out, const struct clustermsg_emit *e,
    int with_nsp, char *err, size_t errlen);

/* Appends the MessagePack {rooms, except, flags} of 'to'; the same. */
int clustermsg_put_opts(struct buf *out, const struct clustermsg_target *to,
    char *err, size_t errlen);

/*
 * Appends the JSON text of opts.flags, {"volatile":true,...} as
 * clustermsg_encode() orders them.  Returns 0, or -1 with errno EINVAL
 * (compress both ways), ENOBUFS or ENOMEM.
 */
int clustermsg_flags_json(struct buf *out, unsigned flags, double timeout);

/* Member 'key' of object 'obj' (borrowed), or jv_invalid() when absent
 * or null. */
jv clustermsg_member(jv obj, const char *key);

/*
 * Member 'key' of 'obj' (borrowed) as a string borrowed from 'obj' into
 * *s and *len (NULL when absent or null): 0, or -1 with errno EINVAL and
 * a reason in 'err' when it is not a string.
 */
int clustermsg_member_string(jv obj, const char *key, const char **s,
    size_t *len, char *err, size_t errlen);

/*
 * Member 'key' of 'from' (borrowed) into *out: an array of strings and
 * numbers (rooms), or jv_invalid() when absent or null.  Returns 0, or -1
 * with errno EINVAL and a reason naming it 'what' in 'err'.
 */
int clustermsg_member_rooms(jv from, const char *key, const char *what,
    jv *out, char *err, size_t errlen);

/* As JavaScript's Boolean(v), 'v' borrowed; invalid is false. */
int clustermsg_truthy(jv v);

#endif
