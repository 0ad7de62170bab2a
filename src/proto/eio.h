/*
 * eio.h - Engine.IO v4 packets, whatever the transport.
 * Owns: parsing and encoding the one-character packet framing and the
 * handshake (open) packet.  Pure: no I/O, no allocation, no globals.
 */
#ifndef GEOROOM_EIO_H
#define GEOROOM_EIO_H

#include <stddef.h>
#include <stdint.h>

/* Packet types, as the ASCII digit that starts a text frame. */
enum eio_type {
	EIO_OPEN = 0,
	EIO_CLOSE = 1,
	EIO_PING = 2,
	EIO_PONG = 3,
	EIO_MESSAGE = 4,
	EIO_UPGRADE = 5,
	EIO_NOOP = 6,
};

/* Longest session id we issue or accept, without the terminating NUL. */
#define EIO_SID_MAX 32

/* What an open packet announces. */
struct eio_open {
	char sid[EIO_SID_MAX + 1];
	uint32_t ping_interval_ms;
	uint32_t ping_timeout_ms;
	uint64_t max_payload;
	/* Transports the client may upgrade to (EIO_UPGRADE_*): none on a
	 * WebSocket, "websocket" for a polling session that may upgrade. */
	unsigned upgrades;
};

#define EIO_UPGRADE_WEBSOCKET 0x1

/*
 * Splits a WebSocket text frame into its type and payload.  *payload points
 * into 'frame' (borrowed) and is not NUL-terminated.  Returns 0, or -1 when
 * the frame is empty or its first byte is not a known type.
 */
int eio_decode(const char *frame, size_t len, enum eio_type *type,
    const char **payload, size_t *payload_len);

/*
 * Writes the open packet ('0' followed by the JSON handshake) into 'out'.
 * Returns its length, or -1 if 'cap' is too small or the sid holds a
 * character that would need escaping.  'out' is not NUL-terminated.
 */
int eio_encode_open(char *out, size_t cap, const struct eio_open *open);

/*
 * Parses the JSON after the '0' of an open packet (a client's view).
 * Returns 0, or -1 when the JSON is invalid, a field is missing or has the
 * wrong type, or a number is out of range.
 */
int eio_parse_open(const char *json, size_t len, struct eio_open *open);

#endif
