/*
 * wsframe.c - RFC 6455 headers of the unmasked, final frames a server sends.
 * Owns: the header bytes only; the payload follows them unchanged.  Pure: no
 * I/O, no allocation, no globals.
 */
#include "wsframe.h"

/* Largest lengths of the 7-bit and 16-bit length forms (RFC 6455, 5.2). */
#define LEN7_MAX 125
#define LEN16_MAX 65535

size_t
wsframe_header_len(size_t payload_len)
{
	if (payload_len <= LEN7_MAX)
		return 2;
	if (payload_len <= LEN16_MAX)
		return 4;
	return 10;
}

size_t
wsframe_header(uint8_t *out, enum wsframe_opcode op, size_t payload_len)
{
	uint64_t len = payload_len;

	out[0] = 0x80 | ((uint8_t)op & 0x0f); /* FIN, no RSV bits */
	if (len <= LEN7_MAX) {
		out[1] = (uint8_t)len;
		return 2;
	}
	if (len <= LEN16_MAX) {
		out[1] = 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		return 4;
	}
	out[1] = 127;
	for (int i = 0; i < 8; i++)
		out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
	return 10;
}
