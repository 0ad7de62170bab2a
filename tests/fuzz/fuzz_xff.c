/*
 * fuzz_xff.c - libFuzzer target for X-Forwarded-For headers and CIDR
 * networks.  A network taken matches its own address, names a prefix no
 * longer than its address, and writes back as text that parses to the
 * same; a network refused says why.  The client found behind trusted
 * proxies is the peer when no hop was taken, and otherwise an address
 * that writes and parses back to itself; no hop is taken past an address
 * that is not trusted.  Nothing leaks or reads out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "xff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_round_trip(const struct cidr_addr *a)
{
	char text[CIDR_ADDR_STRLEN];
	struct cidr_addr b;

	cidr_addr_format(a, text, sizeof(text));
	if (cidr_addr_parse(text, strlen(text), &b) == -1 ||
	    !cidr_addr_equal(a, &b))
		abort();
}

static void
check_network(const char *s)
{
	struct cidr c;
	char err[128] = "";

	if (cidr_parse(s, &c, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		return;
	}
	if ((c.addr.len != 4 && c.addr.len != 16) || c.bits > c.addr.len * 8 ||
	    !cidr_match(&c, &c.addr))
		abort();
	check_round_trip(&c.addr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cidr trusted[3];
	static int ready;
	struct cidr_addr peer, client;
	char *text, err[64];
	int hops;

	if (!ready) {
		if (cidr_parse("127.0.0.0/8", &trusted[0], err, sizeof(err)) ||
		    cidr_parse("10.0.0.0/8", &trusted[1], err, sizeof(err)) ||
		    cidr_parse("::1", &trusted[2], err, sizeof(err)))
			abort();
		ready = 1;
	}
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_network(text);

	/* The header as it came, from a trusted peer and from another. */
	(void)cidr_addr_parse("127.0.0.1", 9, &peer);
	hops = xff_client((const char *)data, size, &peer, trusted, 3,
	    &client);
	if (hops < 0 || (size_t)hops > size / 2 + 1)
		abort();
	if (hops == 0 && !cidr_addr_equal(&client, &peer))
		abort();
	check_round_trip(&client);
	(void)cidr_addr_parse("192.0.2.1", 9, &peer);
	if (xff_client((const char *)data, size, &peer, trusted, 3, &client) !=
	        0 ||
	    !cidr_addr_equal(&client, &peer))
		abort();
	free(text);
	return 0;
}
