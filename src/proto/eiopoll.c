/* eiopoll.c - Engine.IO v4 long-polling payloads (see eiopoll.h). */
#include "eiopoll.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "b64.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
eiopoll_b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/*
 * Reads the header of the server frame at 'p' ('left' bytes): sets its
 * opcode, the length of its header and of its payload.  Returns 0, or -1
 * when the bytes do not start with a whole unmasked final text or binary
 * frame.
 */
static int
frame_at(const unsigned char *p, size_t left, unsigned *op, size_t *hl,
    size_t *plen)
{
	uint64_t n;
	size_t i, ext;

	if (left < 2 || (p[0] & 0xf0) != 0x80 || (p[1] & 0x80))
		return -1;
	*op = p[0] & 0x0f;
	if (*op != 0x1 && *op != 0x2)
		return -1;
	n = p[1] & 0x7f;
	ext = n == 126 ? 2 : n == 127 ? 8 : 0;
	if (left < 2 + ext)
		return -1;
	if (ext > 0)
		for (n = 0, i = 0; i < ext; i++)
			n = n << 8 | p[2 + i];
	if (n > left - 2 - ext)
		return -1;
	*hl = 2 + ext;
	*plen = (size_t)n;
	return 0;
}

long
eiopoll_size(const unsigned char *ws, size_t len)
{
	size_t off = 0, hl, plen, total = 0;
	unsigned op;

	while (off < len) {
		if (frame_at(ws + off, len - off, &op, &hl, &plen) == -1)
			return -1;
		if (off > 0)
			total++; /* the separator */
		total += op == 0x2 ? 1 + eiopoll_b64_len(plen) : plen;
		off += hl + plen;
	}
	return total > LONG_MAX ? -1 : (long)total;
}

/* Writes the base64 of 'n' bytes at 'in' to 'out'; returns its length. */
static size_t
b64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	return o;
}

size_t
eiopoll_encode(const unsigned char *ws, size_t len, char *out)
{
	size_t off = 0, o = 0, hl, plen;
	unsigned op;

	while (
	    off < len && frame_at(ws + off, len - off, &op, &hl, &plen) == 0) {
		if (off > 0)
			out[o++] = EIOPOLL_SEP;
		if (op == 0x2) {
			out[o++] = 'b';
			o += b64_encode(ws + off + hl, plen, out + o);
		} else {
			memcpy(out + o, ws + off + hl, plen);
			o += plen;
		}
		off += hl + plen;
	}
	return o;
}

void
eiopoll_reader_init(struct eiopoll_reader *r, unsigned char *payload,
    size_t len)
{
	r->p = payload;
	r->end = payload + len;
}

/*
 * Decodes the base64 at 'p' ('n' bytes) in place, as Node's Buffer does
 * with its padding or without; returns the bytes decoded, or -1 for a
 * character out of the alphabet, padding before the end, or a lone last
 * character (no whole byte).
 */
static long
b64_decode(unsigned char *p, size_t n)
{
	size_t i, o = 0, k = 0;
	uint32_t v = 0;
	int d;

	while (n > 0 && p[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		if ((d = b64_value(p[i], 0)) == -1)
			return -1;
		v = v << 6 | (uint32_t)d;
		if (++k == 4) {
			p[o++] = (unsigned char)(v >> 16);
			p[o++] = (unsigned char)(v >> 8);
			p[o++] = (unsigned char)v;
			v = 0;
			k = 0;
		}
	}
	if (k == 1)
		return -1;
	if (k == 2) {
		p[o++] = (unsigned char)(v >> 4);
	} else if (k == 3) {
		p[o++] = (unsigned char)(v >> 10);
		p[o++] = (unsigned char)(v >> 2);
	}
	return (long)o;
}

int
eiopoll_next(struct eiopoll_reader *r, unsigned char **data, size_t *len,
    int *binary)
{
	unsigned char *start = r->p, *sep;
	size_t n;
	long d;

	if (r->p == NULL)
		return 0;
	sep = memchr(start, EIOPOLL_SEP, (size_t)(r->end - start));
	n = (size_t)((sep != NULL ? sep : r->end) - start);
	r->p = sep != NULL ? sep + 1 : NULL; /* NULL: that was the last */
	if (n == 0)
		return -1;
	if (start[0] != 'b') {
		*data = start;
		*len = n;
		*binary = 0;
		return 1;
	}
	if ((d = b64_decode(start + 1, n - 1)) == -1)
		return -1;
	*data = start + 1;
	*len = (size_t)d;
	*binary = 1;
	return 1;
}
