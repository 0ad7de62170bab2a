/* fuzzcheck.c - the checks the cluster message targets share. */
#include "fuzzcheck.h"

#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "sio.h"

void
fuzz_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, what);
	abort();
}

void
fuzz_check_frame(const struct clustermsg_event *ev)
{
	struct sio_packet pkt;
	char err[64], *buf;
	long n;

	check(json_check(ev->json, ev->json_len, SIO_JSON_DEPTH_MAX) == 0);
	n = sio_encode(NULL, 0, &ev->h, ev->json, ev->json_len);
	check(n > 1);
	check((buf = malloc((size_t)n)) != NULL);
	check(sio_encode(buf, (size_t)n, &ev->h, ev->json, ev->json_len) == n);
	check(sio_decode(buf + 1, (size_t)n - 1, &pkt, err, sizeof(err)) == 0);
	check(pkt.h.type == ev->h.type &&
	    pkt.h.attachments == ev->h.attachments);
	sio_packet_release(&pkt);
	free(buf);
}
