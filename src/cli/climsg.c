/* climsg.c - the events georoom-cli sends, as JSON text. */
#include "climsg.h"

#include <string.h>

#include "json.h"

int
climsg_json_ok(const char *text, size_t len)
{
	return json_check(text, len, CLIMSG_JSON_DEPTH_MAX);
}

int
climsg_room_is_number(const char *room)
{
	/* 2^53 - 1: larger integers do not survive a JavaScript number. */
	static const char max[] = "9007199254740991";
	const char *d = room[0] == '-' ? room + 1 : room;
	size_t n = strlen(d);

	if (n == 0 || n > sizeof(max) - 1)
		return 0;
	if (d[0] == '0')
		return n == 1 && d == room; /* "0", but not "-0" or "01" */
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return n < sizeof(max) - 1 || strcmp(d, max) <= 0;
}

jv
climsg_string(const char *text, size_t len)
{
	return jv_dump_string(jv_string_sized(text, (int)len), 0);
}

jv
climsg_join(const char *room, const char *user)
{
	jv out = jv_string("[\"join_room\",{\"locationId\":");

	if (climsg_room_is_number(room))
		out = jv_string_append_str(out, room);
	else
		out = jv_string_concat(out, climsg_string(room, strlen(room)));
	if (user != NULL) {
		out = jv_string_append_str(out, ",\"userId\":");
		out = jv_string_append_str(out, user);
	}
	return jv_string_append_str(out, "}]");
}

jv
climsg_chat(const char *room, const char *user, const char *message,
    size_t len)
{
	jv out = jv_string("[\"chat\",{");

	if (user != NULL) {
		out = jv_string_append_str(out, "\"userId\":");
		out = jv_string_append_str(out, user);
		out = jv_string_append_str(out, ",");
	}
	out = jv_string_append_str(out, "\"message\":");
	out = jv_string_append_buf(out, message, (int)len);
	out = jv_string_append_str(out, ",\"roomName\":");
	out = jv_string_concat(out, climsg_string(room, strlen(room)));
	return jv_string_append_str(out, "}]");
}

jv
climsg_event(const char *event, const char *const *args, const size_t *lens,
    size_t n)
{
	jv out = jv_string("[");

	out = jv_string_concat(out, climsg_string(event, strlen(event)));
	for (size_t i = 0; i < n; i++) {
		out = jv_string_append_str(out, ",");
		out = jv_string_append_buf(out, args[i], (int)lens[i]);
	}
	return jv_string_append_str(out, "]");
}
