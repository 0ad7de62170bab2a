/*
 * test_roommsg.c - what a room hears of a stored location: the room, the
 * payload both announcers send, and the event array around it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "roommsg.h"

static const char feature[] =
    "{\"type\":\"Feature\",\"id\":42,\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[13.405,52.52]},\"properties\":{}}";

static void
test_payload(void **state)
{
	struct record r = { .id = 42, .user = jv_number(7) };
	char room[ROOMMSG_ROOM_MAX];
	jv p;

	(void)state;
	roommsg_room(&r, room);
	assert_string_equal(room, "42");
	p = roommsg_payload(&r, jv_string(feature));
	assert_string_equal(jv_string_value(p),
	    "{\"userId\":7,\"message\":{\"type\":\"Feature\",\"id\":42,"
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.405,52.52]},"
	    "\"properties\":{}},\"roomName\":\"42\"}");
	jv_free(p);

	/* No user: null, as the original endpoint sent. */
	r = (struct record){ .id = RECORD_ID_MAX, .user = jv_null() };
	roommsg_room(&r, room);
	assert_string_equal(room, "9007199254740991");
	p = roommsg_payload(&r, jv_string("{}"));
	assert_string_equal(jv_string_value(p),
	    "{\"userId\":null,\"message\":{},"
	    "\"roomName\":\"9007199254740991\"}");
	jv_free(p);
}

static void
test_event(void **state)
{
	jv e;

	(void)state;
	e = roommsg_event("chat", jv_string("{\"a\":1}"));
	assert_string_equal(jv_string_value(e), "[\"chat\",{\"a\":1}]");
	jv_free(e);
	/* Any event name --event takes is a JSON string here. */
	e = roommsg_event("a\"b\\c\n\xc3\xa9", jv_string("{}"));
	assert_string_equal(jv_string_value(e),
	    "[\"a\\\"b\\\\c\\n\xc3\xa9\",{}]");
	jv_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
