/*
 * wsframe.h - WebSocket frame headers for frames a server sends.
 * Owns: the RFC 6455 header bytes of one unmasked, final frame.  Because a
 * server's frames are never masked, the same framed bytes serve every
 * recipient, which is what lets the hub encode a room message once.  Pure.
 */
#ifndef GEOROOM_WSFRAME_H
#define GEOROOM_WSFRAME_H

#include <stddef.h>
#include <stdint.h>

/* Most bytes a frame header takes (2 + 8 of 64-bit length). */
#define WSFRAME_HEADER_MAX 10

enum wsframe_opcode {
	WSFRAME_TEXT = 0x1,
	WSFRAME_BINARY = 0x2,
	WSFRAME_CLOSE = 0x8,
};

/* Bytes the header of a frame with 'payload_len' bytes takes. */
size_t wsframe_header_len(size_t payload_len);

/*
 * Writes the header of one final, unmasked frame into 'out', which has room
 * for WSFRAME_HEADER_MAX bytes.  Returns the header's length.
 */
size_t wsframe_header(uint8_t *out, enum wsframe_opcode op,
    size_t payload_len);

#endif
