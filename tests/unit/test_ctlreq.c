/*
 * test_ctlreq.c - control requests carried out through the hub's API.
 * The hub's sending is stubbed below over a real registry (room.c) and the
 * hub's own view of it (hubview.c): the stubs record what ctlreq asked, so
 * these tests also show that ctlreq needs nothing of the hub but hub.h's
 * calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctlreq.h"

static const uint8_t seed[16] = { 3 };

/* What the stubs saw. */
static struct {
	char json[256];             /* text of the last frame built */
	char nsp[64];               /* and its namespace */
	const struct room_sock *to; /* hub_send() */
	char room[64];              /* hub_broadcast() */
	char except[64];
	int sends, room_sends, disconnects;
	const struct room_sock *describe_for; /* has userIds [7] */
} seen;

/* Stubs of hub.c ------------------------------------------------------- */

struct frame *
hub_frame(const struct sio_header *h, const char *json, size_t json_len,
    const struct iovec *att, unsigned natt)
{
	(void)att;
	(void)natt;
	assert_true(json_len < sizeof(seen.json));
	memcpy(seen.json, json, json_len);
	seen.json[json_len] = '\0';
	snprintf(seen.nsp, sizeof(seen.nsp), "%.*s", (int)h->nsp_len, h->nsp);
	return frame_new(json_len);
}

int
hub_send(struct hub *hub, struct room_sock *s, struct frame *f)
{
	(void)hub;
	(void)f;
	seen.to = s;
	seen.sends++;
	return 0;
}

static int
reach(struct room_sock *s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

long
hub_broadcast(struct hub *h, const struct hub_bcast *b)
{
	assert_int_equal(b->nrooms, 1);
	assert_true(b->json_len < sizeof(seen.json));
	memcpy(seen.json, b->json, b->json_len);
	seen.json[b->json_len] = '\0';
	snprintf(seen.nsp, sizeof(seen.nsp), "%s",
	    hub_namespace_name(b->nsp, NULL));
	snprintf(seen.room, sizeof(seen.room), "%.*s", (int)b->rooms[0].len,
	    b->rooms[0].s);
	snprintf(seen.except, sizeof(seen.except), "%.*s",
	    b->nexcept ? (int)b->except[0].len : 0,
	    b->nexcept ? b->except[0].s : "");
	seen.room_sends++;
	return (long)room_deliver_many(&h->reg, b->nsp, b->rooms, b->nrooms,
	    b->except, b->nexcept, reach, NULL);
}

jv
hub_fanout_stats(struct hub *h)
{
	(void)h;
	return jv_invalid();
}

void
hub_disconnect(struct hub *hub, struct room_sock *s)
{
	seen.disconnects++;
	room_sock_free(&hub->reg, s);
}

/* The application's word on a socket: socket b declared userId 7. */
static jv
describe(struct hub *h, const struct room_sock *s)
{
	(void)h;
	if (s != seen.describe_for)
		return jv_invalid();
	return jv_object_set(jv_object(), jv_string("userIds"),
	    jv_array_append(jv_array(), jv_number(7)));
}

/* The tests ------------------------------------------------------------- */

static struct hub hub;
static struct room_nsp *root, *other;
static struct room_sock *a, *b, *c;

static struct room_sock *
sock(struct room_nsp *nsp, int n)
{
	char id[ROOM_SOCK_ID_LEN + 1];
	struct room_sock *s;

	snprintf(id, sizeof(id), "%020d", n);
	s = room_sock_add(&hub.reg, nsp, id, NULL);
	assert_non_null(s);
	return s;
}

/* Sockets a and b in room "1" of "/", b also in "2"; c in "/other". */
static int
setup(void **state)
{
	(void)state;
	memset(&hub, 0, sizeof(hub));
	memset(&seen, 0, sizeof(seen));
	room_registry_init(&hub.reg, seed);
	hub.app.describe = describe;
	hub.stats.connections = 1;
	hub.stats.connections_total = 2;
	hub.stats.messages_in = 6;
	hub.stats.messages_out = 7;
	hub.stats.bytes_in = 8;
	hub.stats.bytes_out = 9;
	hub.stats.dropped_slow = 10;
	hub.stats.protocol_errors = 11;
	hub.stats.refused = 12;
	root = room_nsp_add(&hub.reg, "/", 1);
	other = room_nsp_add(&hub.reg, "/other", 6);
	a = sock(root, 1);
	b = sock(root, 2);
	c = sock(other, 3);
	room_join(&hub.reg, a, "1", 1);
	room_join(&hub.reg, b, "1", 1);
	room_join(&hub.reg, b, "2", 1);
	room_join(&hub.reg, c, "1", 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	room_registry_release(&hub.reg);
	return 0;
}

/* Carries out 'line' and returns its reply, parsed. */
static jv
request(const char *line)
{
	static const struct ctlreq_counters counters = { 13, 14, 15 };
	jv reply = ctlreq_handle(&hub, &counters, line, strlen(line));
	const char *text;
	size_t len;
	jv parsed;

	assert_int_equal(jv_get_kind(reply), JV_KIND_STRING);
	text = jv_string_value(reply);
	len = strlen(text);
	assert_true(len > 0 && text[len - 1] == '\n');
	parsed = jv_parse_sized(text, (int)len - 1);
	jv_free(reply);
	assert_true(jv_is_valid(parsed));
	return parsed;
}

/* The JSON text of reply member 'key' (the reply is consumed). */
static char *
member(jv reply, const char *key)
{
	jv text = jv_dump_string(jv_object_get(reply, jv_string(key)), 0);
	char *s = strdup(jv_string_value(text));

	jv_free(text);
	assert_non_null(s);
	return s;
}

static void
expect(const char *line, const char *key, const char *want)
{
	char *got = member(request(line), key);

	assert_string_equal(got, want);
	free(got);
}

static void
test_stats_reports_hub_and_control_counters(void **state)
{
	/* Sockets, rooms and namespaces are counted from the registry that
	 * setup() filled: a, b and c; "1" and "2" in "/", "1" in "/other". */
	static const struct {
		const char *name, *want;
	} fields[] = {
		{ "connections", "1" },
		{ "connections_total", "2" },
		{ "sockets", "3" },
		{ "rooms", "3" },
		{ "namespaces", "2" },
		{ "messages_in", "6" },
		{ "messages_out", "7" },
		{ "bytes_in", "8" },
		{ "bytes_out", "9" },
		{ "dropped_slow", "10" },
		{ "protocol_errors", "11" },
		{ "refused", "12" },
		{ "refused_at_accept", "0" },
		{ "control_connections", "13" },
		{ "control_connections_total", "14" },
		{ "control_requests", "15" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		expect("{\"op\":\"stats\"}", fields[i].name, fields[i].want);
	expect("{\"op\":\"stats\",\"id\":\"x\"}", "id", "\"x\"");
}

static void
test_sockets_lists_ids_user_ids_and_rooms(void **state)
{
	(void)state;
	seen.describe_for = b;
	expect("{\"op\":\"sockets\",\"room\":\"2\"}", "sockets",
	    "[{\"id\":\"00000000000000000002\",\"userIds\":[7],"
	    "\"rooms\":[\"1\",\"2\"]}]");
	/* Without the application's word, userIds is empty. */
	expect("{\"op\":\"sockets\",\"ns\":\"/other\"}", "sockets",
	    "[{\"id\":\"00000000000000000003\",\"userIds\":[],"
	    "\"rooms\":[\"1\"]}]");
	expect("{\"op\":\"sockets\",\"room\":\"none\"}", "sockets", "[]");
	expect("{\"op\":\"sockets\",\"ns\":\"/nope\"}", "error",
	    "\"unknown namespace \\\"/nope\\\"\"");
}

static void
test_rooms_lists_names_and_members(void **state)
{
	char *got;

	(void)state;
	got = member(request("{\"op\":\"rooms\"}"), "rooms");
	/* The hash table's order is not the protocol's: look for both. */
	assert_non_null(strstr(got, "{\"name\":\"1\",\"members\":2}"));
	assert_non_null(strstr(got, "{\"name\":\"2\",\"members\":1}"));
	free(got);
}

static void
test_emit_to_a_room_but_one(void **state)
{
	(void)state;
	expect("{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\",\"args\":[1,2],"
	       "\"except\":\"00000000000000000001\"}",
	    "reached", "1");
	assert_int_equal(seen.room_sends, 1);
	assert_string_equal(seen.room, "1");
	assert_string_equal(seen.except, "00000000000000000001");
	assert_string_equal(seen.json, "[\"e\",1,2]");
	assert_string_equal(seen.nsp, "/");
}

static void
test_emit_to_one_socket_of_its_namespace(void **state)
{
	(void)state;
	expect("{\"op\":\"emit\",\"ns\":\"/other\",\"socket\":"
	       "\"00000000000000000003\",\"event\":\"p\",\"data\":\"hi\"}",
	    "reached", "1");
	assert_ptr_equal(seen.to, c);
	assert_string_equal(seen.json, "[\"p\",\"hi\"]");
	assert_string_equal(seen.nsp, "/other");
	/* A socket of another namespace is no target. */
	expect("{\"op\":\"emit\",\"socket\":\"00000000000000000003\","
	       "\"event\":\"p\"}",
	    "error",
	    "\"no socket "
	    "\\\"00000000000000000003\\\" in namespace \\\"/\\\"\"");
	assert_int_equal(seen.sends, 1);
}

static void
test_disconnect(void **state)
{
	(void)state;
	expect("{\"op\":\"disconnect\",\"socket\":\"00000000000000000002\"}",
	    "disconnected", "1");
	assert_int_equal(seen.disconnects, 1);
	expect("{\"op\":\"disconnect\",\"socket\":\"00000000000000000002\"}",
	    "error", "\"no socket \\\"00000000000000000002\\\"\"");
	assert_int_equal(seen.disconnects, 1);
}

static void
test_malformed_requests_get_an_error(void **state)
{
	(void)state;
	expect("not json", "ok", "false");
	expect("{\"op\":\"fly\",\"id\":9}", "id", "9");
	expect("{\"op\":\"fly\",\"id\":9}", "ok", "false");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_stats_reports_hub_and_control_counters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sockets_lists_ids_user_ids_and_rooms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_rooms_lists_names_and_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_to_a_room_but_one,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_emit_to_one_socket_of_its_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_malformed_requests_get_an_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
