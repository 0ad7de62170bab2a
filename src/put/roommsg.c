/* roommsg.c - what a room hears of a stored location (see roommsg.h). */
#include "roommsg.h"

#include <inttypes.h>
#include <stdio.h>

void
roommsg_room(const struct record *r, char room[ROOMMSG_ROOM_MAX])
{
	snprintf(room, ROOMMSG_ROOM_MAX, "%" PRIu64, r->id);
}

jv
roommsg_payload(const struct record *r, jv feature)
{
	char room[ROOMMSG_ROOM_MAX];
	jv user = jv_dump_string(jv_copy(r->user), 0), data;

	roommsg_room(r, room);
	data = jv_string_fmt("{\"userId\":%s,\"message\":",
	    jv_string_value(user));
	data = jv_string_concat(data, feature);
	data = jv_string_append_str(data, ",\"roomName\":\"");
	data = jv_string_append_str(data, room);
	data = jv_string_append_str(data, "\"}");
	jv_free(user);
	return data;
}

jv
roommsg_event(const char *event, jv payload)
{
	jv text = jv_dump_string(jv_string(event), 0);

	text = jv_string_concat(jv_string("["), text);
	text = jv_string_append_str(text, ",");
	text = jv_string_concat(text, payload);
	return jv_string_append_str(text, "]");
}
