/*
 * fuzz_sio.c - libFuzzer target for sio_decode.  Every packet it accepts
 * must encode, decode again to the same header and payload slice, and be
 * released without a leak; anything else aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sio.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
same_packet(const struct sio_packet *a, const struct sio_packet *b)
{
	if (a->h.type != b->h.type || a->h.ack_id != b->h.ack_id ||
	    a->h.attachments != b->h.attachments ||
	    a->h.nsp_len != b->h.nsp_len ||
	    memcmp(a->h.nsp, b->h.nsp, a->h.nsp_len) != 0 ||
	    a->json_len != b->json_len ||
	    memcmp(a->json, b->json, a->json_len) != 0 ||
	    jv_get_kind(a->data) != jv_get_kind(b->data))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sio_packet a, b;
	char err[64], *buf;
	long n;

	if (sio_decode((const char *)data, size, &a, err, sizeof(err)) != 0) {
		if (jv_get_kind(a.data) != JV_KIND_INVALID || err[0] == '\0')
			abort();
		return 0;
	}
	/* The slices lie inside the input. */
	if (a.json < (const char *)data ||
	    a.json + a.json_len != (const char *)data + size)
		abort();

	n = sio_encode(NULL, 0, &a.h, a.json, a.json_len);
	if (n < 2 || (size_t)n > size + 2 + 16)
		abort();
	if ((buf = malloc((size_t)n)) == NULL)
		abort();
	if (sio_encode(buf, (size_t)n - 1, &a.h, a.json, a.json_len) != -1 ||
	    sio_encode(buf, (size_t)n, &a.h, a.json, a.json_len) != n ||
	    buf[0] != '4')
		abort();
	if (sio_decode(buf + 1, (size_t)n - 1, &b, err, sizeof(err)) != 0)
		abort();
	same_packet(&a, &b);
	sio_packet_release(&b);
	sio_packet_release(&a);
	free(buf);
	return 0;
}
