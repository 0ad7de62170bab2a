/*
 * test_roommsg.c - what a room hears of a stored location: the room, the
 * payload both announcers send, and the event array around it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "roommsg.h"

static const char feature[] =
    "{\"type\":\"Feature\",\"id\":42,\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[13.405,52.52]},\"properties\":{}}";

static void
test_payload(void **state)
{
	struct locid id = { .num = 42, .len = 2, .text = "42" };
	struct roommsg_item it = { .id = &id,
		.user = 7,
		.feature = jv_string(feature) };
	char room[ROOMMSG_ROOM_MAX];
	jv p;

	(void)state;
	roommsg_room(&id, room);
	assert_string_equal(room, "42");
	p = roommsg_payload(&it);
	jv_free(it.feature);
	assert_string_equal(jv_string_value(p),
	    "{\"userId\":7,\"message\":{\"type\":\"Feature\",\"id\":42,"
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[13.405,52.52]},"
	    "\"properties\":{}},\"roomName\":\"42\"}");
	jv_free(p);

	/* No user: null, as the original endpoint sent. */
	id = (struct locid){ .num = LOCID_INT_MAX,
		.len = 16,
		.text = "9007199254740991" };
	it = (struct roommsg_item){ .id = &id, .feature = jv_string("{}") };
	roommsg_room(&id, room);
	assert_string_equal(room, "9007199254740991");
	p = roommsg_payload(&it);
	assert_string_equal(jv_string_value(p),
	    "{\"userId\":null,\"message\":{},"
	    "\"roomName\":\"9007199254740991\"}");
	jv_free(p);

	/* A string id names its room as it is. */
	id = (struct locid){ .num = 0, .len = 4, .text = "B-12" };
	roommsg_room(&id, room);
	assert_string_equal(room, "B-12");
	p = roommsg_payload(&it);
	assert_string_equal(jv_string_value(p),
	    "{\"userId\":null,\"message\":{},\"roomName\":\"B-12\"}");
	jv_free(p);
	jv_free(it.feature);
}

/* A fence entered or left: its room, event and payload. */
static void
test_fence(void **state)
{
	struct locid id = { .num = 0, .len = 4, .text = "B-12" };
	struct locid fence = { .num = 7, .len = 1, .text = "7" };
	struct roommsg_item it = { .id = &id,
		.user = 3,
		.feature = jv_string("{\"a\":1}"),
		.fence = &fence,
		.fence_name = "Zone A",
		.enter = 1 };
	char room[ROOMMSG_GROUP_MAX];
	jv p;

	(void)state;
	roommsg_fence_room(&fence, room);
	assert_string_equal(room, "fence:7");
	assert_string_equal(roommsg_item_event(&it, "chat"), "fence");
	p = roommsg_payload(&it);
	assert_string_equal(jv_string_value(p),
	    "{\"fence\":7,\"name\":\"Zone A\",\"id\":\"B-12\","
	    "\"event\":\"enter\",\"feature\":{\"a\":1}}");
	jv_free(p);
	it.enter = 0;
	it.fence_name = NULL; /* a fence without a name */
	p = roommsg_payload(&it);
	assert_string_equal(jv_string_value(p),
	    "{\"fence\":7,\"name\":null,\"id\":\"B-12\","
	    "\"event\":\"exit\",\"feature\":{\"a\":1}}");
	jv_free(p);
	/* A name JSON must escape; a letter beyond ASCII stays UTF-8. */
	it.fence_name = "Caf\xc3\xa9 \"Nord\"\\\n";
	p = roommsg_payload(&it);
	assert_string_equal(jv_string_value(p),
	    "{\"fence\":7,\"name\":\"Caf\xc3\xa9 \\\"Nord\\\"\\\\\\n\","
	    "\"id\":\"B-12\",\"event\":\"exit\",\"feature\":{\"a\":1}}");
	jv_free(p);
	it.fence = NULL;
	assert_string_equal(roommsg_item_event(&it, "chat"), "chat");
	jv_free(it.feature);
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

/* Group rooms from a Feature's properties. */
static void
test_expand(void **state)
{
	jv f = jv_parse(
	    "{\"type\":\"Feature\",\"properties\":{\"fleet\":7,"
	    "\"depot\":\"north\",\"speed\":1.5,\"nul\":\"a\\u0000b\"}}");
	char room[ROOMMSG_GROUP_MAX], big[1100];

	(void)state;
	assert_int_equal(roommsg_expand("fleet:{fleet}", f, room), 7);
	assert_string_equal(room, "fleet:7");
	assert_int_equal(roommsg_expand("{depot}/{fleet}", f, room), 7);
	assert_string_equal(room, "north/7");
	assert_int_equal(roommsg_expand("all", f, room), 3);
	assert_string_equal(room, "all");
	/* Missing, not a whole number, a NUL inside: no such room. */
	assert_int_equal(roommsg_expand("x:{none}", f, room), -1);
	assert_int_equal(roommsg_expand("{speed}", f, room), -1);
	assert_int_equal(roommsg_expand("{nul}", f, room), -1);
	/* An unclosed brace is text. */
	assert_int_equal(roommsg_expand("a{b", f, room), 3);
	assert_string_equal(room, "a{b");
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(roommsg_expand(big, f, room), -1);
	jv_free(f);
	f = jv_parse("{\"type\":\"Feature\"}");
	assert_int_equal(roommsg_expand("f:{fleet}", f, room), -1);
	jv_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_fence),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_expand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
