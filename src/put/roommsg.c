/* roommsg.c - what a room hears of a stored location (see roommsg.h). */
#include "roommsg.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void
roommsg_room(const struct locid *id, char room[ROOMMSG_ROOM_MAX])
{
	memcpy(room, id->text, id->len);
	room[id->len] = '\0';
}

const char *
roommsg_item_room(const struct roommsg_item *it, char buf[ROOMMSG_ROOM_MAX])
{
	if (it->room != NULL)
		return it->room;
	roommsg_room(it->id, buf);
	return buf;
}

int
roommsg_expand(const char *tmpl, jv feature, char out[ROOMMSG_GROUP_MAX])
{
	jv props = jv_get_kind(feature) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(feature), jv_string("properties")) :
	    jv_invalid();
	size_t n = 0;
	int ok = 1;

	while (*tmpl != '\0' && ok) {
		const char *end;
		char name[256], num[32];
		const char *text = tmpl;
		size_t len = 1;
		jv v = jv_invalid();

		if (*tmpl == '{' && (end = strchr(tmpl, '}')) != NULL &&
		    (size_t)(end - tmpl - 1) < sizeof(name)) {
			memcpy(name, tmpl + 1, (size_t)(end - tmpl - 1));
			name[end - tmpl - 1] = '\0';
			v = jv_get_kind(props) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(props), jv_string(name)) :
			    jv_invalid();
			if (jv_get_kind(v) == JV_KIND_STRING) {
				text = jv_string_value(v);
				len = (size_t)jv_string_length_bytes(
				    jv_copy(v));
				/* A NUL would end the room's name early. */
				ok = memchr(text, '\0', len) == NULL;
			} else if (jv_get_kind(v) == JV_KIND_NUMBER &&
			    jv_is_integer(jv_copy(v)) &&
			    jv_number_value(v) >= -9007199254740991.0 &&
			    jv_number_value(v) <= 9007199254740991.0) {
				snprintf(num, sizeof(num), "%.0f",
				    jv_number_value(v));
				text = num;
				len = strlen(num);
			} else {
				ok = 0;
			}
			tmpl = end + 1;
		} else {
			tmpl++;
		}
		if (ok && n + len < ROOMMSG_GROUP_MAX) {
			memcpy(out + n, text, len);
			n += len;
		} else {
			ok = 0;
		}
		jv_free(v);
	}
	jv_free(props);
	out[n] = '\0';
	return ok && n > 0 ? (int)n : -1;
}

void
roommsg_fence_room(const struct locid *fence, char room[ROOMMSG_GROUP_MAX])
{
	snprintf(room, ROOMMSG_GROUP_MAX, ROOMMSG_FENCE_ROOM "%s",
	    fence->text);
}

const char *
roommsg_item_event(const struct roommsg_item *it, const char *event)
{
	return it->fence != NULL ? ROOMMSG_FENCE_EVENT : event;
}

/* The payload of a fence entered or left. */
static jv
fence_payload(const struct roommsg_item *it)
{
	char fence[LOCID_JSON_MAX], id[LOCID_JSON_MAX];
	jv data;

	fence[locid_json(it->fence, fence)] = '\0';
	id[locid_json(it->id, id)] = '\0';
	data = jv_string_fmt("{\"fence\":%s,\"name\":", fence);
	/* A name is any UTF-8 (fence.h), written escaped as JSON needs;
	 * the letters beyond ASCII stay as they are. */
	data = jv_string_concat(data,
	    it->fence_name != NULL ?
	        jv_dump_string(jv_string(it->fence_name), 0) :
	        jv_string("null"));
	data = jv_string_concat(data,
	    jv_string_fmt(",\"id\":%s,\"event\":\"%s\",\"feature\":", id,
	        it->enter ? "enter" : "exit"));
	data = jv_string_concat(data, jv_copy(it->feature));
	return jv_string_append_str(data, "}");
}

jv
roommsg_payload(const struct roommsg_item *it)
{
	char room[ROOMMSG_ROOM_MAX];
	jv data;

	if (it->fence != NULL)
		return fence_payload(it);
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
