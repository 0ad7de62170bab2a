/*
 * test_clustermsg.c - the Socket.IO cluster's wire format, against what
 * the real @socket.io/redis-adapter, redis-emitter, notepack.io and
 * socket.io wrote (clustermsg_vectors.h, made by
 * tests/node/clustermsg-vectors.js), and at its edges.
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

#include "clustermsg.h"
#include "clustermsg_vectors.h"
#include "cmsummary.h"
#include "jsonv.h"

#define NVEC(a) (sizeof(a) / sizeof((a)[0]))
#define MAX (1u << 20)

static jv
parse(const char *json)
{
	jv v;

	assert_int_equal(jsonv_parse(json, strlen(json), 64, 0, &v), 0);
	return v;
}

/* The channel a broadcast came on names its namespace and lone room. */
static void
check_channel(const struct cmv *v, const struct clustermsg_bcast *m)
{
	struct clustermsg_chaninfo ci;
	struct clustermsg_rooms r = m->rooms;
	struct clustermsg_room room;
	const char *tail, *chan;
	size_t tail_len, len, key_len;
	struct buf b;

	buf_init(&b, MAX);
	assert_int_equal(cmsummary_unhex(v->channel, &b), 0);
	chan = b.data;
	len = b.len;
	key_len = (size_t)((const char *)memchr(chan, '#', len) - chan);
	assert_int_equal(clustermsg_channel_parse(chan, len, chan, key_len,
	                     &ci),
	    0);
	assert_int_equal(ci.kind, CLUSTERMSG_CHAN_BROADCAST);
	if (memchr(m->ev.h.nsp, '#', m->ev.h.nsp_len) == NULL) {
		assert_int_equal(ci.nsp_len, m->ev.h.nsp_len);
		assert_memory_equal(ci.nsp, m->ev.h.nsp, ci.nsp_len);
	}
	assert_int_equal(clustermsg_channel_room(chan, len, chan, key_len,
	                     m->ev.h.nsp, m->ev.h.nsp_len, &tail, &tail_len),
	    0);
	/* A room in the channel when the broadcast is for exactly one. */
	if (r.n == 1 && clustermsg_rooms_next(&r, &room) && room.len > 0) {
		assert_non_null(tail);
		assert_int_equal(tail_len, room.len);
		assert_memory_equal(tail, room.name, room.len);
	} else {
		assert_null(tail);
	}
	buf_release(&b);
}

static void
test_broadcast_vectors(void **state)
{
	struct clustermsg_bcast m, m2;
	struct buf in, out;
	char err[128];

	(void)state;
	clustermsg_bcast_init(&m, MAX);
	clustermsg_bcast_init(&m2, MAX);
	buf_init(&in, MAX);
	buf_init(&out, MAX);
	for (size_t i = 0; i < NVEC(cmv_bcast); i++) {
		const struct cmv *v = &cmv_bcast[i];
		char *got, *text, *again;
		int rc;

		print_message("# broadcast %s\n", v->name);
		assert_int_equal(cmsummary_unhex(v->hex, &in), 0);
		err[0] = '\0';
		rc = clustermsg_decode(&m, in.data, in.len, err, sizeof(err));
		if (strcmp(v->mode, "refuse") == 0) {
			assert_int_equal(rc, -1);
			assert_true(err[0] != '\0');
			assert_null(m.uid);
			assert_int_equal(m.ev.json_len, 0);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", v->name, err);
		got = cmsummary_bcast(&m, 0);
		assert_string_equal(got, v->summary);
		free(got);
		check_channel(v, &m);
		if (strcmp(v->mode, "decode") == 0)
			continue;
		buf_reset(&out);
		assert_int_equal(cmsummary_reencode(&m, &out, err,
		                     sizeof(err)),
		    0);
		if (strcmp(v->mode, "exact") == 0) {
			assert_int_equal(out.len, in.len);
			assert_memory_equal(out.data, in.data, in.len);
		}
		assert_int_equal(clustermsg_decode(&m2, out.data, out.len, err,
		                     sizeof(err)),
		    0);
		text = cmsummary_bcast(&m, 1);
		again = cmsummary_bcast(&m2, 1);
		assert_string_equal(again, text);
		free(text);
		free(again);
	}
	buf_release(&in);
	buf_release(&out);
	clustermsg_bcast_release(&m2);
	clustermsg_bcast_release(&m);
}

static void
test_request_vectors(void **state)
{
	struct clustermsg_req r;
	struct buf in, out;
	char err[128];

	(void)state;
	clustermsg_req_init(&r, MAX);
	buf_init(&in, MAX);
	buf_init(&out, MAX);
	for (size_t i = 0; i < NVEC(cmv_req); i++) {
		const struct cmv *v = &cmv_req[i];
		char *got;
		int rc;

		print_message("# message %s\n", v->name);
		assert_int_equal(cmsummary_unhex(v->hex, &in), 0);
		err[0] = '\0';
		rc = clustermsg_req_parse(&r, in.data, in.len, err,
		    sizeof(err));
		if (strcmp(v->mode, "refuse") == 0) {
			assert_int_equal(rc, -1);
			assert_true(err[0] != '\0');
			assert_false(jv_is_valid(r.body));
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", v->name, err);
		got = cmsummary_req(&r);
		assert_string_equal(got, v->summary);
		free(got);
		if (strcmp(v->mode, "build") != 0)
			continue;
		buf_reset(&out);
		assert_int_equal(cmsummary_rebuild(&r, &out), 0);
		assert_int_equal(out.len, in.len);
		assert_memory_equal(out.data, in.data, in.len);
	}
	buf_release(&in);
	buf_release(&out);
	clustermsg_req_release(&r);
}

static void
expect_channel(enum clustermsg_chan kind, const char *tail, const char *want)
{
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(clustermsg_channel(&b, kind, CLUSTERMSG_KEY, 9,
	                     "/chat", 5, tail, tail ? strlen(tail) : 0),
	    0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void
test_channel_names(void **state)
{
	struct buf b;

	(void)state;
	expect_channel(CLUSTERMSG_CHAN_BROADCAST, NULL, "socket.io#/chat#");
	expect_channel(CLUSTERMSG_CHAN_BROADCAST, "r#1",
	    "socket.io#/chat#r#1#");
	expect_channel(CLUSTERMSG_CHAN_REQUEST, NULL,
	    "socket.io-request#/chat#");
	expect_channel(CLUSTERMSG_CHAN_RESPONSE, NULL,
	    "socket.io-response#/chat#");
	expect_channel(CLUSTERMSG_CHAN_RESPONSE, "abc123",
	    "socket.io-response#/chat#abc123#");
	buf_init(&b, 256);
	errno = 0;
	assert_int_equal(clustermsg_channel(&b, CLUSTERMSG_CHAN_REQUEST, "k",
	                     1, "/", 1, "x", 1),
	    -1);
	assert_int_equal(errno, EINVAL);
	/* A room name may hold NUL. */
	assert_int_equal(clustermsg_channel(&b, CLUSTERMSG_CHAN_BROADCAST, "k",
	                     1, "/", 1, "a\0b", 3),
	    0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "k#/#a\0b#", 8);
	buf_reset(&b);
	assert_int_equal(clustermsg_pattern(&b, "my*key", 6, "/a?[b]\\", 7),
	    0);
	assert_string_equal(b.data, "my\\*key#/a\\?\\[b\\]\\\\#*");
	buf_reset(&b);
	/* The cap holds. */
	b.max = 10;
	errno = 0;
	assert_int_equal(clustermsg_channel(&b, CLUSTERMSG_CHAN_RESPONSE,
	                     "socket.io", 9, "/", 1, NULL, 0),
	    -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
expect_room(const char *chan, const char *nsp, int rc, const char *room)
{
	const char *got = "unset";
	size_t len = 99;

	assert_int_equal(clustermsg_channel_room(chan, strlen(chan), "sio", 3,
	                     nsp, strlen(nsp), &got, &len),
	    rc);
	if (rc == -1)
		return;
	if (room == NULL) {
		assert_null(got);
		assert_int_equal(len, 0);
	} else {
		assert_int_equal(len, strlen(room));
		assert_memory_equal(got, room, len);
	}
}

static void
test_channel_rooms(void **state)
{
	struct clustermsg_chaninfo ci;
	const char *c;

	(void)state;
	expect_room("sio#/#", "/", 0, NULL);
	expect_room("sio#/##", "/", 0, NULL); /* the empty room is none */
	expect_room("sio#/#room1#", "/", 0, "room1");
	expect_room("sio#/#a#b#", "/", 0, "a#b");
	expect_room("sio#/chat#x#", "/chat", 0, "x");
	expect_room("sio#/a#b#c#", "/a#b", 0, "c");
	expect_room("sio#/a#b#c#", "/a", 0, "b#c"); /* as the adapter */
	expect_room("sio#/#room1", "/", -1, NULL);
	expect_room("sio#/chat#", "/", -1, NULL);
	expect_room("sio-request#/#", "/", -1, NULL);
	expect_room("other#/#", "/", -1, NULL);
	expect_room("sio#/", "/", -1, NULL);

	c = "sio-response#/chat#uid42#";
	assert_int_equal(clustermsg_channel_parse(c, strlen(c), "sio", 3, &ci),
	    0);
	assert_int_equal(ci.kind, CLUSTERMSG_CHAN_RESPONSE);
	assert_int_equal(ci.nsp_len, 5);
	assert_memory_equal(ci.nsp, "/chat", 5);
	assert_int_equal(ci.tail_len, 5);
	assert_memory_equal(ci.tail, "uid42", 5);
	c = "sio-request#/#";
	assert_int_equal(clustermsg_channel_parse(c, strlen(c), "sio", 3, &ci),
	    0);
	assert_int_equal(ci.kind, CLUSTERMSG_CHAN_REQUEST);
	assert_null(ci.tail);
	c = "sio-request#/#x#";
	assert_int_equal(clustermsg_channel_parse(c, strlen(c), "sio", 3, &ci),
	    -1);
	c = "sio-other#/#";
	assert_int_equal(clustermsg_channel_parse(c, strlen(c), "sio", 3, &ci),
	    -1);
	c = "sio#/";
	assert_int_equal(clustermsg_channel_parse(c, strlen(c), "sio", 3, &ci),
	    -1);
}

static void
emit_init(struct clustermsg_emit *e, const char *json)
{
	memset(e, 0, sizeof(*e));
	e->uid = "node01";
	e->uid_len = 6;
	e->nsp = "/";
	e->nsp_len = 1;
	e->json = json;
	e->json_len = strlen(json);
}

static void
test_encode_refuses(void **state)
{
	struct clustermsg_emit e;
	struct iovec bad_room = { "\xff", 1 }, att = { "x", 1 };
	struct buf out;
	char err[128];

	(void)state;
	buf_init(&out, MAX);
	assert_int_equal(buf_append(&out, "keep", 4), 0);
	emit_init(&e, "{\"a\":1}");
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	assert_string_equal(err, "event data is not an array");
	emit_init(&e, "[\"e\"]");
	e.nsp = "chat";
	e.nsp_len = 4;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	assert_string_equal(err, "namespace does not start with '/'");
	emit_init(&e, "[\"e\",{\"_placeholder\":true,\"num\":1}]");
	e.att = &att;
	e.natt = 1;
	errno = 0;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err, "attachment placeholder names no attachment");
	emit_init(&e, "[\"e\"]");
	e.to.rooms = &bad_room;
	e.to.nrooms = 1;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	assert_string_equal(err, "room name is not UTF-8");
	emit_init(&e, "[\"e\"]");
	e.to.flags = CLUSTERMSG_F_COMPRESS | CLUSTERMSG_F_NOCOMPRESS;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	emit_init(&e, "[\"e\",");
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	/* Nothing is left behind by a failure. */
	assert_int_equal(out.len, 4);
	/* Nor by a full buffer. */
	emit_init(&e, "[\"e\",\"a long enough string to pass the cap\"]");
	out.max = 40;
	errno = 0;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(out.len, 4);
	buf_release(&out);
}

static void
test_encode_what_the_hub_has(void **state)
{
	static const char want[] =
	    "\x93\xa6node01\x83\xa4type\x02\xa4"
	    "data\x92\xa1"
	    "e\x81\xac_placeholder\xc3\xa3nsp\xa5/chat\x83\xa5rooms\x91"
	    "\xa3r\0"
	    "1\xa6"
	    "except\x90\xa5"
	    "flags\x82\xa8volatile\xc3\xa7timeout\xcb\x3f\xf8\0\0\0\0\0\0";
	struct iovec room = { "r\0"
		              "1",
		3 };
	struct clustermsg_emit e;
	struct clustermsg_bcast m;
	struct clustermsg_room r;
	struct buf out;
	char err[128];

	(void)state;
	buf_init(&out, MAX);
	/* A placeholder outside a binary packet is data, as in
	 * socket.io-parser. */
	emit_init(&e, " [\"e\",{\"_placeholder\":true}] ");
	e.nsp = "/chat";
	e.nsp_len = 5;
	e.to.rooms = &room;
	e.to.nrooms = 1;
	e.to.flags = CLUSTERMSG_F_VOLATILE | CLUSTERMSG_F_TIMEOUT;
	e.to.timeout = 1.5;
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), 0);
	assert_int_equal(out.len, sizeof(want) - 1);
	assert_memory_equal(out.data, want, out.len);

	clustermsg_bcast_init(&m, MAX);
	assert_int_equal(clustermsg_decode(&m, out.data, out.len, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(m.ev.h.type, SIO_EVENT);
	assert_int_equal(m.ev.h.ack_id, SIO_NO_ACK);
	assert_string_equal(m.ev.json, "[\"e\",{\"_placeholder\":true}]");
	assert_int_equal(m.flags,
	    CLUSTERMSG_F_VOLATILE | CLUSTERMSG_F_TIMEOUT);
	assert_true(m.timeout == 1.5);
	assert_int_equal(clustermsg_rooms_next(&m.rooms, &r), 1);
	assert_int_equal(r.len, 3);
	assert_memory_equal(r.name,
	    "r\0"
	    "1",
	    3);
	assert_int_equal(clustermsg_rooms_next(&m.rooms, &r), 0);
	assert_int_equal(clustermsg_rooms_next(&m.except, &r), 0);
	clustermsg_bcast_release(&m);
	buf_release(&out);
}

static void
test_decode_limits(void **state)
{
	struct clustermsg_emit e;
	struct clustermsg_bcast m;
	struct buf out;
	char err[128];

	(void)state;
	buf_init(&out, MAX);
	emit_init(&e, "[\"e\",\"0123456789012345678901234567890123456789\"]");
	assert_int_equal(clustermsg_encode(&out, &e, err, sizeof(err)), 0);
	/* The text may take 'max' bytes, no more. */
	clustermsg_bcast_init(&m, 30);
	errno = 0;
	assert_int_equal(clustermsg_decode(&m, out.data, out.len, err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, ENOBUFS);
	assert_null(m.uid);
	assert_string_equal(m.ev.json, "");
	clustermsg_bcast_release(&m);
	clustermsg_bcast_init(&m, 50);
	assert_int_equal(clustermsg_decode(&m, out.data, out.len, err,
	                     sizeof(err)),
	    0);
	/* A truncated payload, at every length, is refused. */
	for (size_t n = 0; n < out.len; n++) {
		err[0] = '\0';
		assert_int_equal(clustermsg_decode(&m, out.data, n, err,
		                     sizeof(err)),
		    -1);
		assert_true(err[0] != '\0');
	}
	/* errlen 0 is fine. */
	assert_int_equal(clustermsg_decode(&m, out.data, 3, NULL, 0), -1);
	clustermsg_bcast_release(&m);
	clustermsg_bcast_release(&m); /* twice is harmless */
	buf_release(&out);
}

static void
test_rooms_that_are_numbers(void **state)
{
	struct clustermsg_room r;
	jv v;

	(void)state;
	v = jv_number(42);
	assert_int_equal(clustermsg_room_from_jv(v, &r), 0);
	assert_true(r.is_number);
	assert_int_equal(r.len, 2);
	assert_memory_equal(r.name, "42", 2);
	v = jv_number(1.5e21);
	assert_int_equal(clustermsg_room_from_jv(v, &r), 0);
	assert_string_equal(r.name, "1.5e+21");
	v = jv_string("r1");
	assert_int_equal(clustermsg_room_from_jv(v, &r), 0);
	assert_false(r.is_number);
	assert_int_equal(r.len, 2);
	jv_free(v);
	v = jv_null();
	assert_int_equal(clustermsg_room_from_jv(v, &r), -1);
}

static void
test_request_builders(void **state)
{
	struct iovec rooms[2] = { { "a", 1 }, { "q\"\n\0", 4 } };
	struct clustermsg_target to = { rooms, 1, rooms + 1, 1, 0, 0 };
	struct clustermsg_socket s;
	struct buf b;
	jv data, hs;

	(void)state;
	buf_init(&b, MAX);
	assert_int_equal(clustermsg_req_all_rooms(&b, "u", 1, "r", 1), 0);
	assert_string_equal(b.data,
	    "{\"uid\":\"u\",\"requestId\":\"r\",\"type\":1}");
	buf_reset(&b);
	assert_int_equal(clustermsg_req_fetch(&b, "u", 1, "r", 1, &to), 0);
	assert_string_equal(b.data,
	    "{\"uid\":\"u\",\"requestId\":\"r\",\"type\":5,\"opts\":"
	    "{\"rooms\":[\"a\"],\"except\":[\"q\\\"\\n\\u0000\"]}}");
	buf_reset(&b);
	assert_int_equal(clustermsg_req_leave(&b, "u", 1, &to, rooms, 2), 0);
	assert_string_equal(b.data,
	    "{\"uid\":\"u\",\"type\":3,\"opts\":{\"rooms\":[\"a\"],\"except\":"
	    "[\"q\\\"\\n\\u0000\"]},\"rooms\":[\"a\",\"q\\\"\\n\\u0000\"]}");
	buf_reset(&b);
	data = parse("[\"hello\",{\"x\":1.5e-7}]");
	assert_int_equal(clustermsg_req_server_emit(&b, "u", 1, NULL, 0, data),
	    0);
	assert_string_equal(b.data,
	    "{\"uid\":\"u\",\"type\":6,\"data\":[\"hello\",{\"x\":1.5e-7}]}");
	jv_free(data);
	buf_reset(&b);
	data = jv_number(1);
	errno = 0;
	assert_int_equal(clustermsg_req_server_emit(&b, "u", 1, "r", 1, data),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(b.len, 0);

	/* Responses. */
	assert_int_equal(clustermsg_res_done(&b, "r", 1), 0);
	assert_string_equal(b.data, "{\"requestId\":\"r\"}");
	buf_reset(&b);
	assert_int_equal(clustermsg_res_server_emit(&b, "r", 1, jv_invalid()),
	    0);
	assert_string_equal(b.data, "{\"type\":6,\"requestId\":\"r\"}");
	buf_reset(&b);
	assert_int_equal(clustermsg_res_client_count(&b, "r", 1, 3), 0);
	assert_string_equal(b.data,
	    "{\"type\":8,\"requestId\":\"r\",\"clientCount\":3}");
	buf_reset(&b);
	hs = parse("{\"time\":\"now\",\"query\":{\"b\":\"1\",\"2\":\"x\"}}");
	s.id = "sid1";
	s.id_len = 4;
	s.rooms = rooms;
	s.nrooms = 1;
	s.handshake = hs;
	s.data = jv_invalid();
	assert_int_equal(clustermsg_res_fetch(&b, "r", 1, &s, 1), 0);
	assert_string_equal(b.data,
	    "{\"requestId\":\"r\",\"sockets\":[{\"id\":\"sid1\",\"handshake\":"
	    "{\"time\":\"now\",\"query\":{\"2\":\"x\",\"b\":\"1\"}},"
	    "\"rooms\":[\"a\"]}]}");
	buf_reset(&b);
	s.handshake = jv_null();
	assert_int_equal(clustermsg_res_fetch(&b, "r", 1, &s, 1), -1);
	assert_int_equal(b.len, 0);
	jv_free(hs);
	buf_release(&b);
}

static void
test_broadcast_ack_builder(void **state)
{
	static const char ack[] = "[{\"_placeholder\":true,\"num\":0},2]";
	static const char want[] =
	    "\x83\xa4type\x09\xa9requestId\xa1r\xa6packet\xc4\x01\xaa";
	struct iovec att = { "\xaa", 1 };
	struct clustermsg_req r;
	struct buf b;
	char err[128];

	(void)state;
	buf_init(&b, MAX);
	clustermsg_req_init(&r, MAX);
	assert_int_equal(clustermsg_res_broadcast_ack(&b, "r", 1, ack,
	                     sizeof(ack) - 1, &att, 1, err, sizeof(err)),
	    0);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.data, want, b.len);
	assert_int_equal(clustermsg_req_parse(&r, b.data, b.len, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(r.type, CLUSTERMSG_BROADCAST_ACK);
	assert_true(r.has_packet);
	assert_int_equal(r.ev.h.type, SIO_BINARY_ACK);
	assert_string_equal(r.ev.json, "{\"_placeholder\":true,\"num\":0}");
	assert_int_equal(r.ev.att[0].iov_len, 1);
	buf_reset(&b);
	assert_int_equal(clustermsg_res_broadcast_ack(&b, "r", 1, " [ ] ", 5,
	                     NULL, 0, err, sizeof(err)),
	    0);
	assert_int_equal(clustermsg_req_parse(&r, b.data, b.len, err,
	                     sizeof(err)),
	    0);
	assert_false(r.has_packet);
	buf_reset(&b);
	assert_int_equal(clustermsg_res_broadcast_ack(&b, "r", 1, "{}", 2,
	                     NULL, 0, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "ack data is not an array");
	clustermsg_req_release(&r);
	buf_release(&b);
}

/* Parses the C string 'msg'. */
static int
req(struct clustermsg_req *r, const char *msg, char *err)
{
	return clustermsg_req_parse(r, msg, strlen(msg), err, 128);
}

static void
test_request_fields(void **state)
{
	static const char msg[] =
	    "{\"uid\":\"u\",\"requestId\":\"r\",\"type\":4,\"opts\":"
	    "{\"rooms\":[\"a\",7]},\"close\":1,\"room\":null,\"x\":[1]}";
	struct clustermsg_req r;
	char err[128];

	(void)state;
	clustermsg_req_init(&r, MAX);
	assert_int_equal(clustermsg_req_parse(&r, msg, sizeof(msg) - 1, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(r.type, CLUSTERMSG_REMOTE_DISCONNECT);
	assert_false(r.msgpack);
	assert_int_equal(r.uid_len, 1);
	assert_true(r.has_opts);
	assert_int_equal(jv_array_length(jv_copy(r.opts_rooms)), 2);
	assert_int_equal(jv_array_length(jv_copy(r.opts_except)), 0);
	assert_true(r.close);
	assert_false(jv_is_valid(r.room));
	assert_null(r.sid);
	/* Parsing again drops what the last parse held. */
	assert_int_equal(req(&r, "{}", err), 0);
	assert_int_equal(r.type, CLUSTERMSG_NONE);
	assert_false(r.has_opts);
	assert_null(r.uid);
	assert_int_equal(req(&r, "{\"type\":1.5}", err), -1);
	assert_string_equal(err, "type is not a whole number");
	assert_int_equal(req(&r, "{\"opts\":[]}", err), -1);
	assert_string_equal(err, "opts is not an object");
	assert_int_equal(req(&r, "{\"room\":{}}", err), -1);
	assert_int_equal(req(&r, "{\"uid\":\"u\",\"type\":6,\"data\":1}", err),
	    -1);
	assert_string_equal(err, "SERVER_SIDE_EMIT data is not an array");
	/* Its answer carries any value. */
	assert_int_equal(
	    req(&r, "{\"type\":6,\"requestId\":\"r\",\"data\":null}", err), 0);
	assert_int_equal(jv_get_kind(r.data), JV_KIND_NULL);
	clustermsg_req_release(&r);
	clustermsg_req_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broadcast_vectors),
		cmocka_unit_test(test_request_vectors),
		cmocka_unit_test(test_channel_names),
		cmocka_unit_test(test_channel_rooms),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_encode_what_the_hub_has),
		cmocka_unit_test(test_decode_limits),
		cmocka_unit_test(test_rooms_that_are_numbers),
		cmocka_unit_test(test_request_builders),
		cmocka_unit_test(test_broadcast_ack_builder),
		cmocka_unit_test(test_request_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
