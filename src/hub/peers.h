/*
 * peers.h - the client addresses that hold connections to the hub, and
 * how many each holds, for --max-per-ip.
 * Owns: one entry per address with at least one connection, freed with
 * its last, so the table holds no more entries than there are open
 * connections.  Lookups are O(1) through the hash table module.  Knows
 * nothing of sockets or limits: the hub decides.  Pure: no I/O.
 */
#ifndef GEOROOM_PEERS_H
#define GEOROOM_PEERS_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "hashtab.h"

struct peer {
	struct cidr_addr addr; /* the key: its 4 or 16 bytes */
	uint32_t conns;        /* connections it holds, at least 1 */
};

struct peers {
	struct hashtab tab; /* address bytes -> struct peer */
};

/* An empty table whose hash uses 'seed' (16 bytes). */
void peers_init(struct peers *p, const uint8_t seed[16]);

/* Frees every entry. */
void peers_release(struct peers *p);

/* The entry of 'a', or NULL when it holds no connection. */
struct peer *peers_find(const struct peers *p, const struct cidr_addr *a);

/*
 * Counts one more connection of 'a' and returns its entry, made when it
 * is the first; NULL with errno ENOMEM, or EINVAL when 'a' is no address.
 */
struct peer *peers_add(struct peers *p, const struct cidr_addr *a);

/* Counts one connection of 'e' fewer, freeing it with its last. */
void peers_drop(struct peers *p, struct peer *e);

/* Addresses with connections. */
size_t peers_count(const struct peers *p);

#endif
