/*
 * sio.h - Socket.IO v5 packets, carried in Engine.IO message packets.
 * Owns: parsing a packet's header (type, attachments, namespace, ack id)
 * and validating its JSON payload, and encoding packets.  Pure: no I/O.
 * Decoding allocates only through libjq (the payload as a jv).
 */
#ifndef GEOROOM_SIO_H
#define GEOROOM_SIO_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

enum sio_type {
	SIO_CONNECT = 0,
	SIO_DISCONNECT = 1,
	SIO_EVENT = 2,
	SIO_ACK = 3,
	SIO_CONNECT_ERROR = 4,
	SIO_BINARY_EVENT = 5,
	SIO_BINARY_ACK = 6,
};

/* No ack id on the packet. */
#define SIO_NO_ACK INT64_C(-1)
/* Largest ack id: what a JavaScript number holds exactly (2^53 - 1). */
#define SIO_ACK_MAX INT64_C(9007199254740991)
/* Most binary attachments one packet may announce. */
#define SIO_ATTACHMENTS_MAX 64
/* Deepest nesting of arrays and objects a payload may have. */
#define SIO_JSON_DEPTH_MAX 64
/* Longest namespace name, leading '/' included. */
#define SIO_NSP_MAX 255

/* The header fields of a packet, as decoded or as to be encoded. */
struct sio_header {
	enum sio_type type;
	const char *nsp; /* borrowed; "/" when the packet names none */
	size_t nsp_len;
	int64_t ack_id;       /* SIO_NO_ACK or 0..SIO_ACK_MAX */
	unsigned attachments; /* binary types only */
};

struct sio_packet {
	struct sio_header h;
	/*
	 * The JSON payload as sent: points into the decoded buffer (borrowed),
	 * empty when the packet has none.  Relaying this text instead of
	 * re-encoding 'data' keeps numbers exactly as the sender wrote them.
	 */
	const char *json;
	size_t json_len;
	jv data; /* owned; jv_invalid() when there is no payload */
};

/*
 * Decodes one Socket.IO packet (the payload of an Engine.IO message, without
 * the '4').  On success returns 0 and fills 'pkt', which the caller releases
 * with sio_packet_release().  On failure returns -1, writes a short reason
 * into 'err' (when errlen > 0) and leaves nothing to release.
 *
 * Beyond syntax, the payload is checked as socket.io-parser does: CONNECT
 * carries an object or nothing; DISCONNECT nothing; EVENT and BINARY_EVENT a
 * non-empty array whose first element is a string that is not a reserved
 * event name (or a number); ACK and BINARY_ACK an array; CONNECT_ERROR an
 * object or a string.  Attachments appear only on binary types.
 */
int sio_decode(const char *buf, size_t len, struct sio_packet *pkt, char *err,
    size_t errlen);

/* Releases what a decoded packet owns. */
void sio_packet_release(struct sio_packet *pkt);

/*
 * Encodes "4" (the Engine.IO message type) followed by a Socket.IO packet
 * with header 'h' and the JSON text 'json' (may be empty) into 'out'.
 * Returns the encoded length, or -1 when 'cap' is too small.  With out ==
 * NULL and cap == 0 it only returns the length needed.  The namespace is
 * written only when it is not "/".  'out' is not NUL-terminated.
 */
long sio_encode(char *out, size_t cap, const struct sio_header *h,
    const char *json, size_t json_len);

/*
 * True when the event name 'name' is reserved by Socket.IO (connect,
 * connect_error, disconnect, disconnecting, newListener, removeListener)
 * and may not be emitted by a peer.
 */
int sio_event_reserved(const char *name, size_t len);

/*
 * Which of the 'n' event names 'names' the packet whose data array is the
 * JSON text 'json' ('len' bytes, checked when it arrived: ["chat",...])
 * carries: its index, or -1 (none of them, or not an event array).  An
 * escaped name is unescaped first.
 */
int sio_event_index(const char *json, size_t len, const char *const *names,
    size_t n);

/*
 * Whether 'nsp' ('len' bytes, borrowed) may name a namespace: it starts
 * with '/', holds at most SIO_NSP_MAX bytes, no ',' and no control
 * character, and is UTF-8.  The one rule for packet headers, the
 * namespaces georoomd serves and those producers emit in.  Returns 0, or
 * -1 with the reason in 'err' (when errlen > 0).
 */
int sio_nsp_check(const char *nsp, size_t len, char *err, size_t errlen);

#endif
