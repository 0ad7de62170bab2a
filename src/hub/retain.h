/*
 * retain.h - the last message of chosen events in each room, kept for the
 * sockets that join it later (georoomd --retain), as MQTT keeps retained
 * messages: a map opens with the positions it would otherwise wait for.
 * Owns: for each room that has one, the last frame of each retained event
 * (a reference to the frame the hub built for the broadcast: nothing is
 * copied), their ages, and their total size under a bound, the rooms
 * updated longest ago going first.  Pure bookkeeping: no I/O and no
 * clock (the caller says what time it is); namespaces are opaque keys.
 */
#ifndef GEOROOM_RETAIN_H
#define GEOROOM_RETAIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "hashtab.h"
#include "outq.h"

/* Most events --retain may name. */
#define RETAIN_EVENTS_MAX 16

/* What a room costs beyond its frames' bytes, counted in the bound. */
#define RETAIN_ROOM_COST 64

struct retain_config {
	const char *const *events; /* borrowed: the event names retained */
	size_t nevents;
	uint32_t ttl_ms;  /* a message older than this is not sent; 0: none */
	size_t max_bytes; /* frames and rooms together, at most */
};

struct retain_stats {
	uint64_t rooms;   /* rooms holding a retained message now */
	uint64_t bytes;   /* what they hold, as counted against max_bytes */
	uint64_t kept;    /* messages retained (each replaces the last) */
	uint64_t sent;    /* retained messages sent to joining sockets */
	uint64_t evicted; /* rooms dropped to stay under max_bytes */
	uint64_t expired; /* rooms dropped, their messages past ttl_ms */
};

struct retain_room;
TAILQ_HEAD(retain_room_list, retain_room);

struct retain {
	struct retain_config cfg;
	struct hashtab rooms;
	struct retain_room_list lru; /* least recently updated first */
	struct retain_stats stats;
};

/* Sets up 'r'; 'cfg' is copied, its names borrowed. */
void retain_init(struct retain *r, const struct retain_config *cfg,
    const uint8_t seed[16]);

/* Drops every room and its references. */
void retain_release(struct retain *r);

/* Whether anything is retained at all (an event was named). */
int retain_enabled(const struct retain *r);

/*
 * Which retained event the packet whose data array is the JSON text
 * 'json' ('len' bytes, as a client or producer sent it: ["chat",...])
 * carries: its index in cfg.events, or -1.  An escaped name is unescaped
 * first.
 */
int retain_event(const struct retain *r, const char *json, size_t len);

/*
 * Keeps 'f' (a reference is taken) as the last message of event 'ev' in
 * room 'room' ('len' bytes) of namespace 'nsp' at 'now', replacing the
 * one before, then drops the rooms updated longest ago while over
 * max_bytes, and those whose messages are all past ttl_ms.  Returns 0,
 * or -1 with errno ENOMEM, or EMSGSIZE for a frame that alone passes
 * max_bytes (then the room's older message of that event is dropped too:
 * it is no longer the last).
 */
int retain_keep(struct retain *r, const void *nsp, const char *room,
    size_t len, int ev, struct frame *f, int64_t now);

/*
 * Calls fn(f, arg) for each message retained in 'room' of 'nsp' and not
 * past ttl_ms at 'now', oldest first; the frame is borrowed for the
 * call.  Returns how many.
 */
size_t retain_each(struct retain *r, const void *nsp, const char *room,
    size_t len, int64_t now, void (*fn)(struct frame *f, void *arg),
    void *arg);

/* Drops the rooms whose messages are all past ttl_ms at 'now'. */
void retain_expire(struct retain *r, int64_t now);

#endif
