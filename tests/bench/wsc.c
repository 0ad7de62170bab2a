/* wsc.c - masked client frames and server frame headers (see wsc.h). */
#include "wsc.h"

#include <string.h>

size_t
wsc_encode(uint8_t *out, size_t cap, int op, const void *payload, size_t len,
    uint32_t key)
{
	const uint8_t *src = payload;
	uint8_t mask[4];
	size_t hl = wsframe_header_len(len), i;

	if (cap < hl + 4 || cap - hl - 4 < len)
		return 0;
	wsframe_header(out, (enum wsframe_opcode)op, len);
	out[1] |= 0x80; /* the MASK bit */
	mask[0] = (uint8_t)(key >> 24);
	mask[1] = (uint8_t)(key >> 16);
	mask[2] = (uint8_t)(key >> 8);
	mask[3] = (uint8_t)key;
	memcpy(out + hl, mask, 4);
	out += hl + 4;
	for (i = 0; i < len; i++)
		out[i] = src[i] ^ mask[i & 3];
	return hl + 4 + len;
}

int
wsc_decode(const uint8_t *buf, size_t avail, struct wsc_frame *f)
{
	uint64_t len;
	size_t hl = 2, i;

	if (avail < 2)
		return 0;
	if ((buf[0] & 0x70) != 0 || (buf[1] & 0x80) != 0)
		return -1;
	f->fin = (buf[0] & 0x80) != 0;
	f->op = buf[0] & 0x0f;
	switch (f->op) {
	case WSC_CONTINUATION:
	case WSFRAME_TEXT:
	case WSFRAME_BINARY:
		break;
	case WSFRAME_CLOSE:
	case WSC_PING:
	case WSC_PONG:
		if (!f->fin || (buf[1] & 0x7f) > 125)
			return -1;
		break;
	default:
		return -1;
	}
	len = buf[1] & 0x7f;
	if (len == 126)
		hl = 4;
	else if (len == 127)
		hl = 10;
	if (avail < hl)
		return 0;
	if (len == 126) {
		len = (uint64_t)buf[2] << 8 | buf[3];
	} else if (len == 127) {
		len = 0;
		for (i = 2; i < 10; i++)
			len = len << 8 | buf[i];
		if (len >> 63)
			return -1;
	}
	f->header_len = hl;
	f->len = len;
	return 1;
}
