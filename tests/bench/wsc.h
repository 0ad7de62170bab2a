/*
 * wsc.h - the client's side of RFC 6455 framing.
 * Owns: writing the masked frames a client must send (section 5.3) and
 * reading the headers of the unmasked frames a server sends.  The header
 * bytes themselves come from the hub's wsframe.h.  Pure: no I/O, no
 * allocation.
 */
#ifndef BENCH_WSC_H
#define BENCH_WSC_H

#include <stddef.h>
#include <stdint.h>

#include "wsframe.h"

/* A masked header: the server's longest plus the 4-byte masking key. */
#define WSC_HEADER_MAX (WSFRAME_HEADER_MAX + 4)

/* Control opcodes wsframe.h has no need for. */
#define WSC_CONTINUATION 0x0
#define WSC_PING 0x9
#define WSC_PONG 0xa

/*
 * Writes one final frame with opcode 'op' carrying the 'len' bytes at
 * 'payload' (borrowed), masked with 'key', into 'out'.  Returns the
 * frame's length, or 0 when it does not fit 'cap'.
 */
size_t wsc_encode(uint8_t *out, size_t cap, int op, const void *payload,
    size_t len, uint32_t key);

/* What a server frame's header says. */
struct wsc_frame {
	int fin;
	int op;
	size_t header_len;
	uint64_t len; /* payload bytes after the header */
};

/*
 * Reads the header at 'buf' ('avail' bytes).  Returns 1 and fills 'f' when
 * the whole header is there, 0 when more bytes are needed, and -1 when the
 * header is not one a server may send (reserved bits, a mask, an unknown
 * opcode, a control frame over 125 bytes or fragmented).
 */
int wsc_decode(const uint8_t *buf, size_t avail, struct wsc_frame *f);

#endif
