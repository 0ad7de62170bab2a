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
		return n == 1 && d == room;	/* "0", but not "-0" or "01" */
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

/* Appends the 'len' bytes at 's' to the jv string 'out' (consumed). */
static jv
append(jv out, const char *s, size_t len)
{
	return jv_string_append_buf(out, s, (int)len);
}

static jv
append_str(jv out, const char *s)
{
	return append(out, s, strlen(s));
}

static jv
append_jv(jv out, jv text)
{
	out = append(out, jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)));
	jv_free(text);
	return out;
}

jv
climsg_join(const char *room, const char *user)
{
	jv out = jv_string("[\"join_room\",{\"locationId\":");

	if (climsg_room_is_number(room))
		out = append_str(out, room);
	else
		out = append_jv(out, climsg_string(room, strlen(room)));
	if (user != NULL) {
		out = append_str(out, ",\"userId\":");
		out = append_str(out, user);
	}
	return append_str(out, "}]");
}

jv
climsg_chat(const char *room, const char *user, const char *message,
    size_t len)
{
	jv out = jv_string("[\"chat\",{");

	if (user != NULL) {
		out = append_str(out, "\"userId\":");
		out = append_str(out, user);
		out = append_str(out, ",");
	}
	out = append_str(out, "\"message\":");
	out = append(out, message, len);
	out = append_str(out, ",\"roomName\":");
	out = append_jv(out, climsg_string(room, strlen(room)));
	return append_str(out, "}]");
}

jv
climsg_event(const char *event, const char *const *args,
    const size_t *lens, size_t n)
{
	jv out = jv_string("[");

	out = append_jv(out, climsg_string(event, strlen(event)));
	for (size_t i = 0; i < n; i++) {
		out = append_str(out, ",");
		out = append(out, args[i], lens[i]);
	}
	return append_str(out, "]");
}
