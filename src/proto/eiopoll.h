/*
 * eiopoll.h - Engine.IO v4 payloads of the HTTP long-polling transport.
 * Owns: the payload format (packets joined by the record separator 0x1e,
 * a binary packet written as 'b' and its base64) and the translation of
 * the WebSocket frames the hub queues (wsframe.h) into such packets, so
 * that one queue serves both transports.  Pure: no I/O, no allocation.
 */
#ifndef GEOROOM_EIOPOLL_H
#define GEOROOM_EIOPOLL_H

#include <stddef.h>

/* Between two packets of a payload. */
#define EIOPOLL_SEP 0x1e

/*
 * Bytes the packets of 'ws' take in a payload, with a separator between
 * two of them (none before the first or after the last): 'ws' is 'len'
 * bytes of whole unmasked text and binary frames, as a server writes
 * them, each of which is one packet.  Returns -1 when it is not.
 */
long eiopoll_size(const unsigned char *ws, size_t len);

/*
 * Writes the packets of 'ws' into 'out', which has room for
 * eiopoll_size() bytes (the frames must be whole, as it checked).
 * Returns the bytes written.
 */
size_t eiopoll_encode(const unsigned char *ws, size_t len, char *out);

/* Reads a payload in place, packet after packet. */
struct eiopoll_reader {
	unsigned char *p, *end;
};

/* Starts reading the 'len' bytes at 'payload' (borrowed, and changed:
 * binary packets are decoded where they are). */
void eiopoll_reader_init(struct eiopoll_reader *r, unsigned char *payload,
    size_t len);

/*
 * The next packet: returns 1 with *data and *len pointing into the
 * payload, *binary set for a binary packet (then its decoded bytes), or
 * 0 after the last; -1 when a packet is empty or its base64 is not.  A
 * text packet is handed over as it is, for eio_decode().
 */
int eiopoll_next(struct eiopoll_reader *r, unsigned char **data, size_t *len,
    int *binary);

/* Bytes of the base64 of 'n' bytes (with padding). */
size_t eiopoll_b64_len(size_t n);

#endif
