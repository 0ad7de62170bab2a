/*
 * test_emitter.c - the message geoput --redis publishes for a stored
 * location, read back as a receiving node reads it (clustermsg_decode):
 * the room's channel, the emitter's uid, the event and room contract's
 * payload, exactly one room.  (tests/node/geoput-redis.js compares the
 * bytes with @socket.io/redis-emitter's.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "clustermsg.h"
#include "emitter.h"

#define MAX (1024 * 1024)

static const char feature[] =
    "{\"type\":\"Feature\",\"id\":42,\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[13.405,52.52]},\"properties\":{\"name\":\"K\xc3\xb6ln\"},"
    "\"userId\":7,\"updated_at\":\"2026-11-25T10:00:00.123456Z\"}";

static void
test_encode(void **state)
{
	struct locid id = { .num = 42, .len = 2, .text = "42" };
	struct roommsg_item it = { .id = &id,
		.user = 7,
		.feature = jv_null() };
	struct clustermsg_bcast m;
	struct clustermsg_room room;
	struct buf chan, msg;
	char err[128];
	jv f = jv_string(feature);

	(void)state;
	it.feature = f;
	buf_init(&chan, MAX);
	buf_init(&msg, MAX);
	assert_int_equal(emitter_encode(&chan, &msg, "custom", "/fleet",
	                     "position", &it, err, sizeof(err)),
	    0);
	assert_string_equal(chan.data, "custom#/fleet#42#");

	clustermsg_bcast_init(&m, MAX);
	assert_int_equal(clustermsg_decode(&m, msg.data, msg.len, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(m.uid_len, strlen(EMITTER_UID));
	assert_memory_equal(m.uid, EMITTER_UID, m.uid_len);
	assert_int_equal(m.ev.h.type, SIO_EVENT);
	assert_int_equal(m.ev.h.nsp_len, 6);
	assert_memory_equal(m.ev.h.nsp, "/fleet", 6);
	assert_string_equal(m.ev.json,
	    "[\"position\",{\"userId\":7,\"message\":{\"type\":\"Feature\","
	    "\"id\":42,\"geometry\":{\"type\":\"Point\",\"coordinates\":"
	    "[13.405,52.52]},\"properties\":{\"name\":\"K\xc3\xb6ln\"},"
	    "\"userId\":7,\"updated_at\":\"2026-11-25T10:00:00.123456Z\"},"
	    "\"roomName\":\"42\"}]");
	assert_int_equal(clustermsg_rooms_next(&m.rooms, &room), 1);
	assert_int_equal(room.len, 2);
	assert_memory_equal(room.name, "42", 2);
	assert_int_equal(clustermsg_rooms_next(&m.rooms, &room), 0);
	assert_int_equal(clustermsg_rooms_next(&m.except, &room), 0);
	assert_int_equal(m.flags, 0);
	clustermsg_bcast_release(&m);

	/* The buffers are emptied first: the next message stands alone. */
	id = (struct locid){ .num = 0, .len = 4, .text = "B-12" };
	it.user = 0;
	assert_int_equal(emitter_encode(&chan, &msg, CLUSTERMSG_KEY, "/",
	                     "chat", &it, err, sizeof(err)),
	    0);
	assert_string_equal(chan.data, "socket.io#/#B-12#");
	assert_int_equal(clustermsg_decode(&m, msg.data, msg.len, err,
	                     sizeof(err)),
	    0);
	assert_non_null(strstr(m.ev.json, "[\"chat\",{\"userId\":null,"));
	clustermsg_bcast_release(&m);

	jv_free(f);
	buf_release(&chan);
	buf_release(&msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
