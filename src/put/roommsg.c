/* roommsg.c - what a room hears of a stored location (see roommsg.h). */
#include "roommsg.h"

#include <inttypes.h>
#include <string.h>

void
roommsg_room(const struct locid *id, char room[ROOMMSG_ROOM_MAX])
{
	memcpy(room, id->text, id->len);
	room[id->len] = '\0';
}

jv
roommsg_payload(const struct roommsg_item *it)
{
	char room[ROOMMSG_ROOM_MAX];
	jv data;

	roommsg_room(it->id, room);
	data = it->user != 0 ?
	    jv_string_fmt("{\"userId\":%" PRIu64 ",\"message\":", it->user) :
	    jv_string("{\"userId\":null,\"message\":");
	data = jv_string_concat(data, jv_copy(it->feature));
	/* An id's text needs no escaping in a JSON string. */
	data = jv_string_append_str(data, ",\"roomName\":\"");
	data = jv_string_append_str(data, room);
	return jv_string_append_str(data, "\"}");
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
