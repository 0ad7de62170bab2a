/*
 * roommsg.h - what a room hears of a stored location, whichever way it is
 * announced (georoomd's control socket, or Redis as the emitter does).
 * Owns: the room's name and the room contract's payload
 * {"userId","message","roomName"}.  Pure: no I/O, never prints.
 */
#ifndef GEOROOM_ROOMMSG_H
#define GEOROOM_ROOMMSG_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "locid.h"

/* Room names fit in this, their NUL included: the id's text. */
#define ROOMMSG_ROOM_MAX (LOCID_MAX + 1)

/* One stored location to announce. */
struct roommsg_item {
	const struct locid *id; /* borrowed */
	uint64_t user;          /* the stored user id; 0: none */
	jv feature;             /* borrowed: the stored Feature, JSON text */
};

/* Writes the room of location 'id', its id's text, into 'room'. */
void roommsg_room(const struct locid *id, char room[ROOMMSG_ROOM_MAX]);

/*
 * The payload announcing 'it' (borrowed) as JSON text, its Feature put in
 * unparsed: {"userId":<user id or null>,"message":<Feature>,
 * "roomName":"<id>"}.
 */
jv roommsg_payload(const struct roommsg_item *it);

/*
 * The event's data array as JSON text, [<event>, <payload>], for a
 * transport that carries the whole array; 'payload' is consumed.
 */
jv roommsg_event(const char *event, jv payload);

#endif
