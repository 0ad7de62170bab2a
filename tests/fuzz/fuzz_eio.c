/*
 * fuzz_eio.c - libFuzzer target for eio_decode and eio_parse_open.  An open
 * packet it accepts must encode and parse back to the same fields; anything
 * else aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eio.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eio_open a, b;
	enum eio_type type;
	const char *payload, *p2;
	size_t len, len2;
	char buf[256];
	int n;

	if (eio_decode((const char *)data, size, &type, &payload, &len) != 0) {
		if (size > 0 && data[0] >= '0' && data[0] <= '6')
			abort();
		return 0;
	}
	if ((unsigned)type > EIO_NOOP || payload != (const char *)data + 1 ||
	    len != size - 1)
		abort();
	if (type != EIO_OPEN || eio_parse_open(payload, len, &a) != 0)
		return 0;

	if (strlen(a.sid) == 0 || strlen(a.sid) > EIO_SID_MAX)
		abort();
	if ((n = eio_encode_open(buf, sizeof(buf), &a)) <= 0)
		abort();
	if (eio_encode_open(buf, (size_t)n - 1, &a) != -1)
		abort();
	if (eio_decode(buf, (size_t)n, &type, &p2, &len2) != 0 ||
	    type != EIO_OPEN || eio_parse_open(p2, len2, &b) != 0)
		abort();
	if (strcmp(a.sid, b.sid) != 0 ||
	    a.ping_interval_ms != b.ping_interval_ms ||
	    a.ping_timeout_ms != b.ping_timeout_ms ||
	    a.max_payload != b.max_payload)
		abort();
	return 0;
}
