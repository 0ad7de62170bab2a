/*
 * roommsg.h - what a room hears of a stored location, whichever way it is
 * announced (georoomd's control socket, or Redis as the emitter does).
 * Owns: the room's name and the room contract's payload
 * {"userId","message","roomName"}.  Pure: no I/O, never prints.
 */
#ifndef GEOROOM_ROOMMSG_H
#define GEOROOM_ROOMMSG_H

#include <stddef.h>

#include <jv.h>

#include "record.h"

/* Room names fit in this, their NUL included: 2^53 - 1 has 16 digits. */
#define ROOMMSG_ROOM_MAX 24

/* Writes the room of record 'r', its id in decimal, into 'room'. */
void roommsg_room(const struct record *r, char room[ROOMMSG_ROOM_MAX]);

/*
 * The payload announcing record 'r' (borrowed) and its stored Feature
 * 'feature' (consumed: JSON text, put in unparsed) as JSON text:
 * {"userId":<user id or null>,"message":<Feature>,"roomName":"<id>"}.
 */
jv roommsg_payload(const struct record *r, jv feature);

/*
 * The event's data array as JSON text, [<event>, <payload>], for a
 * transport that carries the whole array; 'payload' is consumed.
 */
jv roommsg_event(const char *event, jv payload);

#endif
