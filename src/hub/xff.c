/* xff.c - the client behind trusted proxies (see xff.h). */
#include "xff.h"

#include <string.h>

static int
is_sep(char ch)
{
	return ch == ',' || ch == ' ' || ch == '\t';
}

/* Whether 's' ('len' bytes) is a port: 1 to 5 digits. */
static int
is_port(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * One item of the list: "a.b.c.d", "a.b.c.d:port", an IPv6 address, or
 * "[v6]" with an optional ":port".  0, or -1 when it is none of these.
 */
static int
parse_item(const char *s, size_t len, struct cidr_addr *a)
{
	const char *colon, *close;

	if (len > 0 && s[0] == '[') {
		close = memchr(s, ']', len);
		if (close == NULL)
			return -1;
		if ((size_t)(close + 1 - s) != len &&
		    (close[1] != ':' ||
		        !is_port(close + 2, len - (size_t)(close + 2 - s))))
			return -1;
		/* Only IPv6 goes in brackets. */
		if (memchr(s + 1, ':', (size_t)(close - s - 1)) == NULL)
			return -1;
		return cidr_addr_parse(s + 1, (size_t)(close - s - 1), a);
	}
	/* One colon is an IPv4 address and its port; more, IPv6 alone. */
	colon = memchr(s, ':', len);
	if (colon != NULL &&
	    memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)) == NULL) {
		if (!is_port(colon + 1, len - (size_t)(colon + 1 - s)))
			return -1;
		len = (size_t)(colon - s);
		if (memchr(s, '.', len) == NULL)
			return -1;
	}
	return cidr_addr_parse(s, len, a);
}

int
xff_client(const char *hdr, size_t len, const struct cidr_addr *peer,
    const struct cidr *trusted, size_t ntrusted, struct cidr_addr *client)
{
	struct cidr_addr a;
	size_t end = len, start;
	int hops = 0;

	*client = *peer;
	while (cidr_match_any(trusted, ntrusted, client)) {
		while (end > 0 && is_sep(hdr[end - 1]))
			end--;
		if (end == 0)
			break;
		start = end;
		while (start > 0 && !is_sep(hdr[start - 1]))
			start--;
		if (parse_item(hdr + start, end - start, &a) == -1)
			break;
		*client = a;
		hops++;
		end = start;
	}
	return hops;
}
