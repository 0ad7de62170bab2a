/*
 * climsg.h - the events georoom-cli sends, as JSON text.
 * Owns: the event arrays of emit, and the room contract's join_room and
 * chat payloads (georoom(7)), built from command-line words and JSON text
 * as the user wrote it, so that numbers leave exactly as typed.  Pure: no
 * I/O; what it builds is returned as jv strings.
 */
#ifndef GEOROOM_CLIMSG_H
#define GEOROOM_CLIMSG_H

#include <stddef.h>

#include <jv.h>

/* Deepest nesting accepted in a JSON argument, as the hub accepts. */
#define CLIMSG_JSON_DEPTH_MAX 64

/*
 * Returns 0 when the 'len' bytes at 'text' are one JSON value (RFC 8259,
 * no laxer), -1 otherwise.
 */
int climsg_json_ok(const char *text, size_t len);

/*
 * True when 'room' is an integer written as JavaScript's String() writes
 * it ("0", "42", "-7", at most 2^53 - 1 in size): join_room then sends it
 * as a number, so that the hub names the room exactly 'room'.
 */
int climsg_room_is_number(const char *room);

/*
 * The JSON text of the string 'len' bytes at 'text' (borrowed): quoted and
 * escaped; bytes that are not UTF-8 become U+FFFD.
 */
jv climsg_string(const char *text, size_t len);

/*
 * ["join_room",{"locationId":ROOM,"userId":USER}]: ROOM a number when
 * climsg_room_is_number() says so, else a string; "userId" left out when
 * 'user' (the JSON text of a number) is NULL.  Both borrowed.
 */
jv climsg_join(const char *room, const char *user);

/*
 * ["chat",{"userId":USER,"message":MESSAGE,"roomName":"ROOM"}], where
 * 'message' is 'len' bytes of JSON text (checked by the caller).
 */
jv climsg_chat(const char *room, const char *user, const char *message,
    size_t len);

/*
 * ["EVENT",ARG...] from 'n' JSON texts args[i] of lens[i] bytes (all
 * borrowed, checked by the caller).
 */
jv climsg_event(const char *event, const char *const *args, const size_t *lens,
    size_t n);

#endif
