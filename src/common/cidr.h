/*
 * cidr.h - IPv4 and IPv6 addresses and the networks (CIDR blocks) they
 * fall in: parsed from text, written back, matched.
 * Owns: nothing beyond the structs the caller gives it.  An IPv4 address
 * that arrives as IPv6 (::ffff:a.b.c.d, as a dual-stack socket reports
 * IPv4 peers) is kept as the IPv4 address, so that one client has one
 * address however it came.  Pure: no I/O, no name lookups.
 */
#ifndef GEOROOM_CIDR_H
#define GEOROOM_CIDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Room for an address as text, with its NUL (INET6_ADDRSTRLEN). */
#define CIDR_ADDR_STRLEN 46

struct cidr_addr {
	uint8_t len;       /* 4 (IPv4) or 16 (IPv6); 0: none */
	uint8_t bytes[16]; /* network order */
};

struct cidr {
	struct cidr_addr addr; /* bits past the prefix are zero */
	uint8_t bits;          /* the prefix's length, up to addr.len * 8 */
};

/*
 * Parses the address in 's' ('len' bytes, no NUL needed): dotted IPv4,
 * or IPv6 as inet_pton(3) reads it.  Returns 0, or -1 when it is not one.
 */
int cidr_addr_parse(const char *s, size_t len, struct cidr_addr *a);

/* The address of a socket ('sa', 'salen' bytes): 0, or -1 when it is not
 * AF_INET or AF_INET6. */
int cidr_addr_from_sockaddr(const struct sockaddr *sa, size_t salen,
    struct cidr_addr *a);

/* Writes 'a' as text into 'buf' (CIDR_ADDR_STRLEN bytes suffice, less is
 * cut); returns 'buf'.  "-" for no address. */
char *cidr_addr_format(const struct cidr_addr *a, char *buf, size_t len);

/* Whether 'a' and 'b' are the same address. */
int cidr_addr_equal(const struct cidr_addr *a, const struct cidr_addr *b);

/*
 * Parses a network, "addr/bits" (bits from 0 to 32 for IPv4, to 128 for
 * IPv6) or an address alone (all its bits), NUL-terminated.  Bits past the
 * prefix are cleared, as nginx does with a warning.  Returns 0, or -1 with
 * the reason in 'err'.
 */
int cidr_parse(const char *s, struct cidr *c, char *err, size_t errlen);

/* Whether 'a' is in network 'c'; an IPv4 address is never in an IPv6
 * network nor the other way round. */
int cidr_match(const struct cidr *c, const struct cidr_addr *a);

/* Whether 'a' is in any of the 'n' networks of 'list'. */
int cidr_match_any(const struct cidr *list, size_t n,
    const struct cidr_addr *a);

#endif
