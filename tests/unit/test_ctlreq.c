/*
 * test_ctlreq.c - control requests carried out through the hub's API.
 * The hub's sending is stubbed below over a real registry (room.c) and the
 * hub's own view of it (hubview.c): the stubs record what ctlreq asked, so
 * these tests also show that ctlreq needs nothing of the hub but hub.h's
 * calls.
 */
#include <errno.h>
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

/* Records a broadcast in 'seen'. */
static void
saw_broadcast(const struct hub_bcast *b)
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
}

long
hub_deliver(struct hub *h, const struct hub_bcast *b)
{
	saw_broadcast(b);
	seen.room_sends++;
	return (long)room_deliver_many(&h->reg, b->nsp, b->rooms, b->nrooms,
	    b->except, b->nexcept, reach, NULL);
}

/* The cluster, as the tests set it: clustered or not, up or not. */
static struct {
	int clustered, up;
	int fanned, told, asked, cancelled;
	struct hub_ask q; /* the last question (its names dangle) */
	char q_room[64];
	struct hub_tell t; /* the last action */
	char t_names[256];
	hub_answer_fn fn;
	void *ctx;
} cl;

int
hub_fan_out(struct hub *h, const struct hub_bcast *b)
{
	(void)h;
	assert_true(cl.clustered);
	saw_broadcast(b);
	cl.fanned++;
	if (!cl.up) {
		errno = ENOTCONN;
		return -1;
	}
	return 0;
}

int
hub_clustered(const struct hub *h)
{
	(void)h;
	return cl.clustered;
}

int
hub_ask(struct hub *h, const struct hub_ask *q, hub_answer_fn fn, void *ctx,
    uint64_t *ticket)
{
	(void)h;
	assert_true(cl.clustered);
	if (!cl.up) {
		errno = ENOTCONN;
		return -1;
	}
	cl.q = *q;
	snprintf(cl.q_room, sizeof(cl.q_room), "%.*s",
	    q->nrooms ? (int)q->rooms[0].len : 0,
	    q->nrooms ? q->rooms[0].s : "");
	cl.fn = fn;
	cl.ctx = ctx;
	*ticket = (uint64_t)++cl.asked;
	return 0;
}

void
hub_ask_cancel(struct hub *h, uint64_t ticket)
{
	(void)h;
	assert_int_equal(ticket, (uint64_t)cl.asked);
	cl.cancelled++;
	cl.fn = NULL;
}

int
hub_tell(struct hub *h, const struct hub_tell *t)
{
	size_t i;
	int n = 0;

	(void)h;
	assert_true(cl.clustered);
	cl.t = *t;
	cl.t_names[0] = '\0';
	for (i = 0; i < t->nnames; i++)
		n += snprintf(cl.t_names + n, sizeof(cl.t_names) - (size_t)n,
		    "%s%.*s", i ? "," : "", (int)t->names[i].len,
		    t->names[i].s);
	cl.told++;
	if (!cl.up) {
		errno = ENOTCONN;
		return -1;
	}
	return 0;
}

int
hub_join(struct hub *h, struct room_sock *s, const char *room, size_t len)
{
	return room_join(&h->reg, s, room, len);
}

int
hub_leave(struct hub *h, struct room_sock *s, const char *room, size_t len)
{
	return room_leave(&h->reg, s, room, len);
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
	memset(&cl, 0, sizeof(cl));
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

static void
no_later_reply(void *ctx, jv line)
{
	(void)ctx;
	jv_free(line);
	fail_msg("a reply came later for a request answered at once");
}

/* Parses a reply line (consumed). */
static jv
parse_line(jv reply)
{
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

/* Carries out 'line' and returns its reply, parsed. */
static jv
request(const char *line)
{
	static const struct ctlreq_counters counters = { 13, 14, 15 };
	struct ctlreq_later later = { no_later_reply, NULL };
	struct ctlreq_wait *wait;
	jv reply = ctlreq_handle(&hub, &counters, line, strlen(line), &later,
	    &wait);

	assert_null(wait);
	return parse_line(reply);
}

/* The JSON text of reply member 'key' (the reply is consumed); "null"
 * when absent, which no reply member is. */
static char *
member(jv reply, const char *key)
{
	jv v = jv_object_get(reply, jv_string(key));
	jv text = jv_dump_string(jv_is_valid(v) ? v : jv_null(), 0);
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
	/* To the room of its id, as io.to(id), so that with recovery on it
	 * is kept and given an offset like any broadcast. */
	assert_string_equal(seen.room, "00000000000000000003");
	assert_string_equal(seen.json, "[\"p\",\"hi\"]");
	assert_string_equal(seen.nsp, "/other");
	/* A socket of another namespace is no target. */
	expect("{\"op\":\"emit\",\"socket\":\"00000000000000000003\","
	       "\"event\":\"p\"}",
	    "error",
	    "\"no socket "
	    "\\\"00000000000000000003\\\" in namespace \\\"/\\\"\"");
	assert_int_equal(seen.room_sends, 1);
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

static void
test_join_and_leave_here(void **state)
{
	(void)state;
	expect("{\"op\":\"join\",\"room\":\"1\",\"rooms\":[\"x\",\"y\"]}",
	    "sockets", "2");
	expect("{\"op\":\"sockets\",\"room\":\"y\"}", "sockets",
	    "[{\"id\":\"00000000000000000001\",\"userIds\":[],"
	    "\"rooms\":[\"1\",\"x\",\"y\"]},"
	    "{\"id\":\"00000000000000000002\",\"userIds\":[],"
	    "\"rooms\":[\"1\",\"2\",\"x\",\"y\"]}]");
	/* One socket, by its id; every socket but one. */
	expect("{\"op\":\"leave\",\"socket\":\"00000000000000000002\","
	       "\"rooms\":[\"x\"]}",
	    "sockets", "1");
	expect("{\"op\":\"leave\",\"except\":\"00000000000000000002\","
	       "\"rooms\":[\"y\"]}",
	    "sockets", "1");
	expect("{\"op\":\"sockets\",\"room\":\"x\"}", "sockets",
	    "[{\"id\":\"00000000000000000001\",\"userIds\":[],"
	    "\"rooms\":[\"1\",\"x\"]}]");
	/* Without a cluster nothing is published, nor said to be. */
	expect("{\"op\":\"join\",\"rooms\":[\"z\"]}", "published", "null");
	expect("{\"op\":\"join\",\"rooms\":[]}", "error",
	    "\"join needs \\\"rooms\\\", an array of 1 to 1000 room "
	    "names\"");
	assert_int_equal(cl.told, 0);
}

static void
test_disconnect_a_room(void **state)
{
	(void)state;
	expect("{\"op\":\"disconnect\",\"room\":\"1\","
	       "\"except\":\"00000000000000000002\"}",
	    "disconnected", "1");
	assert_int_equal(seen.disconnects, 1);
	assert_null(hub_socket_find(&hub, "00000000000000000001", 20));
}

static void
test_server_emit_needs_a_cluster(void **state)
{
	(void)state;
	expect("{\"op\":\"server_emit\",\"event\":\"e\"}", "error",
	    "\"server_emit goes to the other nodes of a cluster: this hub "
	    "has no --redis\"");
	cl.clustered = 1;
	expect("{\"op\":\"server_emit\",\"event\":\"e\",\"local\":true}",
	    "error",
	    "\"server_emit goes to the other nodes of a cluster: "
	    "\\\"local\\\":true leaves none\"");
	assert_int_equal(cl.told, 0);
	expect("{\"op\":\"server_emit\",\"event\":\"e\",\"args\":[1,\"a\"]}",
	    "error",
	    "\"not published to the cluster: the link to redis is down\"");
	cl.up = 1;
	expect("{\"op\":\"server_emit\",\"event\":\"e\",\"args\":[1,\"a\"]}",
	    "published", "true");
	assert_int_equal(cl.t.kind, HUB_TELL_SERVER_EMIT);
	assert_int_equal(cl.told, 2);
}

static void
test_clustered_emit_join_and_disconnect_tell_the_others(void **state)
{
	(void)state;
	cl.clustered = 1;
	cl.up = 1;
	expect("{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\"}", "published",
	    "true");
	assert_int_equal(cl.fanned, 1);
	/* A socket of another node: published to its room, reaching no one
	 * here. */
	expect("{\"op\":\"emit\",\"socket\":\"elsewhere\",\"event\":\"e\"}",
	    "reached", "0");
	assert_int_equal(cl.fanned, 2);
	assert_string_equal(seen.room, "elsewhere");
	/* A socket here is not published. */
	expect("{\"op\":\"emit\",\"socket\":\"00000000000000000001\","
	       "\"event\":\"e\"}",
	    "published", "null");
	assert_int_equal(cl.fanned, 2);
	/* "local" keeps it here. */
	expect("{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
	       "\"local\":true}",
	    "reached", "2");
	assert_int_equal(cl.fanned, 2);
	expect("{\"op\":\"join\",\"room\":\"1\",\"rooms\":[\"p\",\"q\"]}",
	    "published", "true");
	assert_int_equal(cl.t.kind, HUB_TELL_JOIN);
	assert_string_equal(cl.t_names, "p,q");
	expect("{\"op\":\"disconnect\",\"socket\":\"elsewhere\"}",
	    "disconnected", "0");
	assert_int_equal(cl.t.kind, HUB_TELL_DISCONNECT);
	assert_int_equal(cl.told, 2);
	/* The link down: done here, and said not published. */
	cl.up = 0;
	expect("{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\"}", "published",
	    "false");
	expect("{\"op\":\"leave\",\"room\":\"1\",\"rooms\":[\"p\"]}",
	    "sockets", "2");
}

/* A request that waits: its reply, once the stub's answers come. */
static jv later_line;

static void
keep_later_reply(void *ctx, jv line)
{
	(void)ctx;
	assert_false(jv_is_valid(later_line));
	later_line = line;
}

static void
ask_and_answer(const char *line, const char *replies, long servers,
    int complete)
{
	static const struct ctlreq_counters counters = { 0, 0, 0 };
	struct ctlreq_later later = { keep_later_reply, NULL };
	struct ctlreq_wait *wait;
	struct hub_answers ans;
	jv reply = ctlreq_handle(&hub, &counters, line, strlen(line), &later,
	    &wait);

	assert_int_equal(jv_get_kind(reply), JV_KIND_NULL);
	assert_non_null(wait);
	assert_non_null(cl.fn);
	later_line = jv_invalid();
	ans.replies = jv_parse(replies);
	ans.servers = servers;
	ans.complete = complete;
	cl.fn(cl.ctx, &ans);
	jv_free(ans.replies);
	assert_true(jv_is_valid(later_line));
}

static void
expect_later(const char *key, const char *want)
{
	char *got = member(parse_line(jv_copy(later_line)), key);

	assert_string_equal(got, want);
	free(got);
}

static void
test_clustered_listings_merge_the_answers(void **state)
{
	(void)state;
	cl.clustered = 1;
	cl.up = 1;
	/* A Node socket with a number room, and a georoomd's with userIds. */
	ask_and_answer("{\"op\":\"sockets\",\"room\":\"2\",\"id\":5}",
	    "[{\"requestId\":\"r\",\"sockets\":[{\"id\":\"N1\","
	    "\"handshake\":{},\"rooms\":[\"N1\",\"2\",42],\"data\":{}}]},"
	    "{\"requestId\":\"r\",\"sockets\":[{\"id\":\"G1\","
	    "\"rooms\":[\"G1\",\"2\"],\"data\":{\"userIds\":[9]}}]}]",
	    3, 1);
	assert_int_equal(cl.q.kind, HUB_ASK_FETCH);
	assert_string_equal(cl.q_room, "2");
	expect_later("sockets",
	    "[{\"id\":\"00000000000000000002\",\"userIds\":[],"
	    "\"rooms\":[\"1\",\"2\"]},"
	    "{\"id\":\"N1\",\"userIds\":[],\"rooms\":[\"2\",\"42\"]},"
	    "{\"id\":\"G1\",\"userIds\":[9],\"rooms\":[\"2\"]}]");
	expect_later("servers", "3");
	expect_later("answered", "2");
	expect_later("complete", "true");
	expect_later("id", "5");
	jv_free(later_line);

	/* Rooms: counted over every node's sockets; one node silent. */
	ask_and_answer("{\"op\":\"rooms\"}",
	    "[{\"requestId\":\"r\",\"sockets\":[{\"id\":\"N1\","
	    "\"rooms\":[\"N1\",\"2\",\"n\"]}]}]",
	    3, 0);
	assert_int_equal(cl.q.kind, HUB_ASK_FETCH);
	assert_int_equal(cl.q.nrooms, 0);
	expect_later("rooms",
	    "[{\"name\":\"1\",\"members\":2},{\"name\":\"2\",\"members\":2},"
	    "{\"name\":\"n\",\"members\":1}]");
	expect_later("complete", "false");
	jv_free(later_line);

	ask_and_answer("{\"op\":\"all_rooms\",\"ns\":\"/other\"}",
	    "[{\"requestId\":\"r\",\"rooms\":[\"1\",\"N1\",7]}]", 2, 1);
	assert_int_equal(cl.q.kind, HUB_ASK_ALL_ROOMS);
	expect_later("rooms", "[\"1\",\"00000000000000000003\",\"N1\",\"7\"]");
	jv_free(later_line);

	ask_and_answer("{\"op\":\"servers\"}", "[]", 4, 1);
	expect_later("servers", "4");
	jv_free(later_line);
	ask_and_answer("{\"op\":\"servers\"}", "[]", -1, 0);
	expect_later("error", "\"redis did not answer PUBSUB NUMSUB\"");
	jv_free(later_line);

	/* "local" asks no one. */
	expect("{\"op\":\"servers\",\"local\":true}", "servers", "1");
	expect("{\"op\":\"rooms\",\"ns\":\"/other\",\"local\":true}", "rooms",
	    "[{\"name\":\"1\",\"members\":1}]");
	assert_int_equal(cl.asked, 5);
	/* The link down: refused, naming the way out. */
	cl.up = 0;
	expect("{\"op\":\"sockets\"}", "error",
	    "\"the cluster cannot be asked: the link to redis is down; "
	    "\\\"local\\\":true asks this node alone\"");
}

static void
test_a_cancelled_wait_is_freed(void **state)
{
	static const struct ctlreq_counters counters = { 0, 0, 0 };
	struct ctlreq_later later = { no_later_reply, NULL };
	struct ctlreq_wait *wait;
	const char *line = "{\"op\":\"sockets\",\"id\":[1,2]}";
	jv reply;

	(void)state;
	cl.clustered = 1;
	cl.up = 1;
	reply = ctlreq_handle(&hub, &counters, line, strlen(line), &later,
	    &wait);
	assert_int_equal(jv_get_kind(reply), JV_KIND_NULL);
	ctlreq_cancel(wait);
	assert_int_equal(cl.cancelled, 1);
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
		cmocka_unit_test_setup_teardown(test_join_and_leave_here,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_a_room, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_server_emit_needs_a_cluster, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_clustered_emit_join_and_disconnect_tell_the_others,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_clustered_listings_merge_the_answers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_a_cancelled_wait_is_freed,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
