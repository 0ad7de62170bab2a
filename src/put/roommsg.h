/*
 * roommsg.h - what a room hears of a stored location, whichever way it is
 * announced (georoomd's control socket, or Redis as the emitter does).
 * Owns: the room's name and the room contract's payload
 * {"userId","message","roomName"}, and that of a fence entered or left,
 * {"fence","name","id","event","feature"} to room "fence:<id>".  Pure:
 * no I/O, never prints.
 */
#ifndef GEOROOM_ROOMMSG_H
#define GEOROOM_ROOMMSG_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "locid.h"

/* Room names fit in this, their NUL included: the id's text. */
#define ROOMMSG_ROOM_MAX (LOCID_MAX + 1)

/* A group room (--also-room) fits in this, its NUL included. */
#define ROOMMSG_GROUP_MAX 1025

/* The event announcing a fence entered or left, and its rooms' prefix. */
#define ROOMMSG_FENCE_EVENT "fence"
#define ROOMMSG_FENCE_ROOM "fence:"

/* One stored location to announce. */
struct roommsg_item {
	const struct locid *id; /* borrowed */
	uint64_t user;          /* the stored user id; 0: none */
	jv feature;             /* borrowed: the stored Feature, JSON text */
	/* The room it goes to when not its own (a group room of
	 * --also-room, a fence's), borrowed; NULL: the room of its id. */
	const char *room;
	/* A fence the location entered or left, borrowed; NULL: the
	 * location itself is announced.  'enter' tells which. */
	const struct locid *fence;
	const char *fence_name; /* borrowed: its name; NULL: it has none */
	int enter;
};

/* Writes the room of location 'id', its id's text, into 'room'. */
void roommsg_room(const struct locid *id, char room[ROOMMSG_ROOM_MAX]);

/* The room 'it' goes to: it->room, or its id's, written into 'buf'. */
const char *roommsg_item_room(const struct roommsg_item *it,
    char buf[ROOMMSG_ROOM_MAX]);

/*
 * Fills template 'tmpl' from the Feature 'feature' (parsed, borrowed):
 * each {name} becomes its property 'name', a string or a whole number
 * ("fleet:{fleet}" gives "fleet:7"); the rest is taken as written.
 * Returns the room's length, or -1 when a property named is missing or
 * of another kind, or the room would be empty or longer than
 * ROOMMSG_GROUP_MAX - 1 bytes (then the Feature goes to no such room).
 */
int roommsg_expand(const char *tmpl, jv feature, char out[ROOMMSG_GROUP_MAX]);

/*
 * Writes the room of fence 'fence' into 'room': "fence:" and the id's
 * text, as "fence:depot".
 */
void roommsg_fence_room(const struct locid *fence,
    char room[ROOMMSG_GROUP_MAX]);

/* The event 'it' is announced as: ROOMMSG_FENCE_EVENT or 'event'. */
const char *roommsg_item_event(const struct roommsg_item *it,
    const char *event);

/*
 * The payload announcing 'it' (borrowed) as JSON text, its Feature put in
 * unparsed: {"userId":<user id or null>,"message":<Feature>,
 * "roomName":"<id>"}; for a fence, {"fence":<fence id>,"name":<its
 * name, a string, or null>,"id":<id>,"event":"enter"|"exit",
 * "feature":<Feature>}, each id as locid.h writes it (42, "B-12").
 */
jv roommsg_payload(const struct roommsg_item *it);

/*
 * The event's data array as JSON text, [<event>, <payload>], for a
 * transport that carries the whole array; 'payload' is consumed.
 */
jv roommsg_event(const char *event, jv payload);

#endif
