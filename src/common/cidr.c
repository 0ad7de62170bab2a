/* cidr.c - IPv4 and IPv6 addresses and networks (see cidr.h). */
#include "cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

/* An IPv6 address, kept as IPv4 when it is an IPv4-mapped one. */
static void
set_v6(struct cidr_addr *a, const uint8_t bytes[16])
{
	memset(a, 0, sizeof(*a));
	if (memcmp(bytes, v4_mapped, sizeof(v4_mapped)) == 0) {
		a->len = 4;
		memcpy(a->bytes, bytes + 12, 4);
	} else {
		a->len = 16;
		memcpy(a->bytes, bytes, 16);
	}
}

int
cidr_addr_parse(const char *s, size_t len, struct cidr_addr *a)
{
	char text[CIDR_ADDR_STRLEN];
	uint8_t bytes[16];

	if (len == 0 || len >= sizeof(text) || memchr(s, '\0', len) != NULL)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(AF_INET, text, bytes) == 1) {
		memset(a, 0, sizeof(*a));
		a->len = 4;
		memcpy(a->bytes, bytes, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, bytes) == 1) {
		set_v6(a, bytes);
		return 0;
	}
	return -1;
}

int
cidr_addr_from_sockaddr(const struct sockaddr *sa, size_t salen,
    struct cidr_addr *a)
{
	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;

		memset(a, 0, sizeof(*a));
		a->len = 4;
		memcpy(a->bytes, &in->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 &&
	    salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		set_v6(a, in6->sin6_addr.s6_addr);
		return 0;
	}
	return -1;
}

char *
cidr_addr_format(const struct cidr_addr *a, char *buf, size_t len)
{
	char text[CIDR_ADDR_STRLEN];

	if (len == 0)
		return buf;
	if ((a->len != 4 && a->len != 16) ||
	    inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->bytes, text,
	        sizeof(text)) == NULL)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s", text);
	return buf;
}

int
cidr_addr_equal(const struct cidr_addr *a, const struct cidr_addr *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* Clears the bits of 'a' past the first 'bits'. */
static void
mask(struct cidr_addr *a, unsigned bits)
{
	unsigned i;

	for (i = 0; i < a->len; i++) {
		if (bits >= 8) {
			bits -= 8;
			continue;
		}
		a->bytes[i] &= (uint8_t)(0xff00u >> bits);
		bits = 0;
	}
}

int
cidr_parse(const char *s, struct cidr *c, char *err, size_t errlen)
{
	const char *slash = strchr(s, '/'), *p;
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned bits = 0, max;

	memset(c, 0, sizeof(*c));
	if (cidr_addr_parse(s, alen, &c->addr) == -1) {
		snprintf(err, errlen, "'%.*s' is not an IPv4 or IPv6 address",
		    (int)(alen > 64 ? 64 : alen), s);
		return -1;
	}
	/* The length counts the bits of the address as written. */
	max = memchr(s, ':', alen) != NULL ? 128 : 32;
	if (slash == NULL) {
		c->bits = (uint8_t)(c->addr.len * 8u);
		return 0;
	}
	/* Decimal digits only: no sign, no blanks, at most three. */
	for (p = slash + 1; *p >= '0' && *p <= '9' && p - slash <= 3; p++)
		bits = bits * 10 + (unsigned)(*p - '0');
	if (p == slash + 1 || *p != '\0' || bits > max) {
		snprintf(err, errlen,
		    "the prefix length after '/' must be "
		    "a number from 0 to %u",
		    max);
		return -1;
	}
	/* "::ffff:10.0.0.0/104" is 10.0.0.0/8, as its addresses are kept. */
	if (c->addr.len == 4 && max == 128) {
		if (bits < 96) {
			snprintf(err, errlen,
			    "an IPv4-mapped network needs a prefix of at "
			    "least 96 bits");
			return -1;
		}
		bits -= 96;
	}
	c->bits = (uint8_t)bits;
	mask(&c->addr, bits);
	return 0;
}

int
cidr_match(const struct cidr *c, const struct cidr_addr *a)
{
	struct cidr_addr m;

	if (a->len != c->addr.len)
		return 0;
	m = *a;
	mask(&m, c->bits);
	return memcmp(m.bytes, c->addr.bytes, m.len) == 0;
}

int
cidr_match_any(const struct cidr *list, size_t n, const struct cidr_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cidr_match(&list[i], a))
			return 1;
	return 0;
}
