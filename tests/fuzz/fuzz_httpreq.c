/*
 * fuzz_httpreq.c - libFuzzer target for the request heads of the metrics
 * endpoint.  A head taken lies within the bytes and the limit, ends with
 * an empty line, and its method, path and query lie within it; the path
 * starts with '/'.  A verdict never changes when more bytes follow: a
 * head taken stays the same head, a bad one stays bad.  Nothing reads out
 * of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
within(const char *p, size_t len, const char *s, size_t n)
{
	if (s < p || s + n > p + len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p;
	char *copy;
	struct httpreq r, r2;
	enum httpreq_status st, st2;
	size_t max = size > 0 ? data[0] * 16 + 1 : 1;

	/* A copy of exactly 'size' bytes, so that ASan sees any overread. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	p = copy;
	st = httpreq_parse(&r, p, size, max);
	if (st == HTTPREQ_DONE) {
		if (r.head_len > size || r.head_len > max || r.head_len < 2 ||
		    p[r.head_len - 1] != '\n')
			abort();
		within(p, r.head_len, r.method, r.method_len);
		within(p, r.head_len, r.path, r.path_len);
		if (r.path_len == 0 || r.path[0] != '/' || r.method_len == 0)
			abort();
		if (r.query != NULL)
			within(p, r.head_len, r.query, r.query_len);
		if (r.minor != 0 && r.minor != 1)
			abort();
		/* The same head when only it is there. */
		if (httpreq_parse(&r2, p, r.head_len, max) != HTTPREQ_DONE ||
		    r2.head_len != r.head_len || r2.path != r.path)
			abort();
	}
	/* A prefix is never judged otherwise than the whole, but that the
	 * whole may have found its end or hit the limit. */
	if (size > 1) {
		st2 = httpreq_parse(&r2, p, size - 1, max);
		if (st2 == HTTPREQ_BAD && st != HTTPREQ_BAD)
			abort();
		if (st2 == HTTPREQ_DONE &&
		    (st != HTTPREQ_DONE || r2.head_len != r.head_len))
			abort();
	}
	free(copy);
	return 0;
}
