/*
 * room.h - the hub's registry of namespaces, sockets and rooms.
 * Owns: namespaces, the sockets connected to them (one per namespace a
 * connection joined), rooms and memberships; lookups are O(1) by name, by
 * socket id and by (room, socket), so that joining, leaving and freeing a
 * socket cost O(1) per membership; empty rooms are freed.  Room delivery
 * goes through room_deliver_many(), which reads rooms and exceptions as
 * socket.io-adapter does.  Knows nothing of
 * connections, the network, limits or what an application keeps per
 * socket: a socket carries an opaque owner pointer and an opaque data
 * pointer, neither freed here.  Pure: no I/O, no JSON.
 */
#ifndef GEOROOM_ROOM_H
#define GEOROOM_ROOM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "hashtab.h"

/* Socket ids are 20 characters, like socket.io's. */
#define ROOM_SOCK_ID_LEN 20
/* Longest room name, in bytes. */
#define ROOM_NAME_MAX 1024

struct room_sock;

struct room_nsp {
	struct hashtab rooms; /* name -> struct room */
	LIST_HEAD(, room_sock) socks;
	size_t nsocks;
	size_t name_len;
	char name[]; /* NUL-terminated */
};

/*
 * One socket in one room: on the room's list of members and on the
 * socket's list of rooms, and in the registry's table under its key.
 */
struct room_member {
	struct room_member_key {
		struct room *room;
		struct room_sock *sock;
	} key;
	TAILQ_ENTRY(room_member) room_link; /* in key.room->members */
	TAILQ_ENTRY(room_member) sock_link; /* in key.sock->rooms */
};

TAILQ_HEAD(room_member_list, room_member);

struct room {
	struct room_nsp *nsp;
	struct room_member_list members; /* in the order they joined */
	uint32_t nmembers;
	uint32_t name_len;
	char name[]; /* NUL-terminated */
};

struct room_sock {
	char id[ROOM_SOCK_ID_LEN + 1];
	struct room_nsp *nsp;
	void *owner;                   /* borrowed: the hub's connection */
	struct room_member_list rooms; /* in the order it joined them */
	uint32_t nrooms;
	uint32_t seen; /* room_deliver_many()'s mark (in nrooms' padding) */
	void *data;    /* the application's; never freed here */
	LIST_ENTRY(room_sock) nsp_link;
	LIST_ENTRY(room_sock) owner_link; /* for the owner's own list */
};

struct room_registry {
	struct hashtab nsps;    /* name -> struct room_nsp */
	struct hashtab socks;   /* id -> struct room_sock */
	struct hashtab members; /* struct room_member_key -> member */
	uint8_t seed[16];
	size_t nrooms;
	uint32_t epoch; /* the last mark room_deliver_many() used */
	/* Told of each room just created (created 1) and about to be freed
	 * (0), which it must neither join nor leave; NULL: nobody. */
	void (*on_room)(void *arg, const struct room *r, int created);
	void *on_room_arg;
};

/* A room's name, or a socket's id standing for the room of that socket. */
struct room_name {
	const char *s;
	size_t len;
};

/* Sets up an empty registry; 'seed' (16 bytes) keys its hash tables. */
void room_registry_init(struct room_registry *reg, const uint8_t seed[16]);

/* Frees every namespace, room and socket. */
void room_registry_release(struct room_registry *reg);

/* Adds namespace 'name' (or returns it if present); NULL on ENOMEM. */
struct room_nsp *room_nsp_add(struct room_registry *reg, const char *name,
    size_t len);

struct room_nsp *room_nsp_find(const struct room_registry *reg,
    const char *name, size_t len);

/*
 * Adds a socket with id 'id' (ROOM_SOCK_ID_LEN characters, unique) to
 * 'nsp'.  Returns it, or NULL with errno EEXIST or ENOMEM.
 */
struct room_sock *room_sock_add(struct room_registry *reg,
    struct room_nsp *nsp, const char *id, void *owner);

struct room_sock *room_sock_find(const struct room_registry *reg,
    const char *id, size_t len);

/*
 * Removes the socket from every room and its namespace, and frees it: O(1)
 * for each room it is in.
 */
void room_sock_free(struct room_registry *reg, struct room_sock *s);

/*
 * Puts the socket in room 'name' of its namespace, creating the room.
 * Returns 1 when it joined, 0 when it was already a member, -1 with errno
 * ENOMEM or ENAMETOOLONG.  O(1).
 */
int room_join(struct room_registry *reg, struct room_sock *s, const char *name,
    size_t len);

/* Takes the socket out of room 'name'.  Returns 1 if it was in, else 0. */
int room_leave(struct room_registry *reg, struct room_sock *s,
    const char *name, size_t len);

/* Whether the socket is in room 'name' of its namespace.  O(1). */
int room_is_member(const struct room_registry *reg, const struct room_sock *s,
    const char *name, size_t len);

struct room *room_find(const struct room_nsp *nsp, const char *name,
    size_t len);

/*
 * What socket.io-adapter's broadcast does: calls 'deliver' once for each
 * socket of 'nsp' that is in any of the rooms 'rooms' (every socket of
 * 'nsp' when 'nrooms' is 0) and in none of 'except'.  A name that is no
 * room of 'nsp' but the id of one of its sockets stands for that socket
 * alone, as every socket.io socket is in the room named after its id.
 * O(members of the rooms named), each socket reached once however many
 * of the rooms it is in.  Delivery must not change membership.  Returns
 * how many calls returned 0.
 */
size_t room_deliver_many(struct room_registry *reg, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    int (*deliver)(struct room_sock *s, void *arg), void *arg);

#endif
