/*
 * hashtab.h - the one hash table: byte-string keys to pointers, O(1).
 * Owns: its slot array.  Borrows keys (each must live as long as its entry,
 * typically inside the value) and never frees values.  Keys are hashed
 * with SipHash-1-3 under a per-table seed, so peers who choose keys (room
 * names) cannot force collisions.  Pure: no I/O.
 */
#ifndef GEOROOM_HASHTAB_H
#define GEOROOM_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

/* 24 bytes: a table of memberships has one slot or two for each. */
struct hashtab_slot {
	const char *key; /* NULL when the slot is free */
	void *value;
	uint32_t keylen;
	uint32_t hash; /* the low half of the key's SipHash */
};

struct hashtab {
	struct hashtab_slot *slots; /* owned */
	size_t cap;                 /* 0 or a power of two */
	size_t len;
	uint64_t seed[2];
};

/* Sets up an empty table whose hash uses 'seed' (16 bytes). */
void hashtab_init(struct hashtab *t, const uint8_t seed[16]);

/* Frees the slots (not the values) and leaves the table empty. */
void hashtab_release(struct hashtab *t);

/* The value under 'key', or NULL. */
void *hashtab_get(const struct hashtab *t, const char *key, size_t keylen);

/*
 * Adds 'key' -> 'value'; the key must not be present.  Returns 0, or -1
 * with errno ENOMEM, or EINVAL for a key of 4 GiB or more (the table is
 * unchanged).
 */
int hashtab_put(struct hashtab *t, const char *key, size_t keylen,
    void *value);

/* Removes 'key' and returns its value, or NULL when absent. */
void *hashtab_del(struct hashtab *t, const char *key, size_t keylen);

/*
 * Iterates: start with *pos = 0; returns the next value, or NULL at the
 * end.  The table must not change during the walk.
 */
void *hashtab_next(const struct hashtab *t, size_t *pos);

/* SipHash-1-3 of 'data' under 'seed' (16 bytes); exposed for tests. */
uint64_t hashtab_siphash(const uint8_t seed[16], const void *data, size_t len);

#endif
