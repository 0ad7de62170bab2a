/*
 * xff.h - a client's own address behind trusted proxies, read from the
 * X-Forwarded-For header as nginx's realip module reads it with
 * real_ip_recursive on: from the right, past every proxy trusted, to the
 * first address that is not.
 * Owns: nothing.  Pure: no I/O; the header is text the caller copied.
 */
#ifndef GEOROOM_XFF_H
#define GEOROOM_XFF_H

#include <stddef.h>

#include "cidr.h"

/*
 * Starts from 'peer', the address the connection came from.  While the
 * address in hand is in one of the 'ntrusted' networks of 'trusted', it is
 * replaced by the next address of 'hdr' ('len' bytes) from the right: the
 * hop that proxy says it served.  Addresses are separated by commas and
 * blanks; each is IPv4 or IPv6, IPv6 possibly in brackets, either possibly
 * with a port (":8080"), which is ignored.  The walk stops at an address
 * not trusted, at the header's start, or at an item that is no address
 * (the address in hand stays: a proxy that wrote garbage is not believed
 * past it).  Writes the address found to *client and returns how many of
 * the header's addresses were taken (0: 'peer' itself).
 */
int xff_client(const char *hdr, size_t len, const struct cidr_addr *peer,
    const struct cidr *trusted, size_t ntrusted, struct cidr_addr *client);

#endif
