/*
 * test_shardmsg.c - the sharded Redis adapter's messages, against what
 * the real @socket.io/redis-adapter, socket.io-adapter, notepack.io and
 * socket.io wrote (shardmsg_vectors.h, made by
 * tests/node/shardmsg-vectors.js), and at their edges.
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

#include "cmsummary.h"
#include "shardmsg.h"
#include "shardmsg_vectors.h"

#define NVEC(a) (sizeof(a) / sizeof((a)[0]))
#define MAX (1u << 20)

static void
test_vectors(void **state)
{
	struct shardmsg m;
	struct buf in, out;
	char err[128];

	(void)state;
	shardmsg_init(&m, MAX);
	buf_init(&in, MAX);
	buf_init(&out, MAX);
	for (size_t i = 0; i < NVEC(smv); i++) {
		const struct smv *v = &smv[i];
		char *got;
		int rc;

		print_message("# message %s\n", v->name);
		assert_int_equal(cmsummary_unhex(v->hex, &in), 0);
		err[0] = '\0';
		rc = shardmsg_parse(&m, in.data, in.len, err, sizeof(err));
		if (strcmp(v->mode, "refuse") == 0) {
			assert_int_equal(rc, -1);
			assert_true(err[0] != '\0');
			assert_false(jv_is_valid(m.body));
			assert_int_equal(m.has_packet, 0);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", v->name, err);
		got = cmsummary_shard(&m);
		if (strcmp(got, v->summary) != 0)
			fail_msg("%s:\n got  %s\n want %s", v->name, got,
			    v->summary);
		free(got);
		if (strcmp(v->mode, "build") != 0)
			continue;
		buf_reset(&out);
		assert_int_equal(cmsummary_shard_rebuild(&m, &out), 0);
		if (out.len != in.len ||
		    memcmp(out.data, in.data, in.len) != 0)
			fail_msg("%s: built %.*s", v->name, (int)out.len,
			    out.data);
	}
	buf_release(&in);
	buf_release(&out);
	shardmsg_release(&m);
}

static void
expect_channel(const char *tail, const char *want)
{
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(shardmsg_channel(&b, "socket.io", 9, "/chat", 5, tail,
	                     tail ? strlen(tail) : 0),
	    0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static int
own(enum shardmsg_mode mode, const char *room, size_t nrooms, int ack)
{
	struct iovec v[2] = { { (void *)room, strlen(room) },
		{ (void *)"b", 1 } };
	struct clustermsg_target to = { v, nrooms, NULL, 0, 0, 0 };

	return shardmsg_room_channel(mode, &to, ack);
}

static void
test_channels(void **state)
{
	struct buf b;

	(void)state;
	expect_channel(NULL, "socket.io#/chat#");
	expect_channel("r#1", "socket.io#/chat#r#1#");
	expect_channel("0123456789abcdef",
	    "socket.io#/chat#0123456789abcdef#");
	/* A cap that cannot hold it leaves the buffer as it was. */
	buf_init(&b, 12);
	assert_int_equal(buf_append(&b, "x", 1), 0);
	assert_int_equal(shardmsg_channel(&b, "socket.io", 9, "/chat", 5, NULL,
	                     0),
	    -1);
	assert_int_equal(errno, ENOBUFS);
	assert_string_equal(b.data, "x");
	buf_release(&b);

	/* computeChannel(): one room, no ack, not a socket's id. */
	assert_true(own(SHARDMSG_DYNAMIC, "room", 1, 0));
	assert_false(own(SHARDMSG_DYNAMIC, "room", 2, 0));
	assert_false(own(SHARDMSG_DYNAMIC, "room", 1, 1));
	assert_false(own(SHARDMSG_STATIC, "room", 1, 0));
	assert_false(own(SHARDMSG_DYNAMIC, "abcdefghij0123456789", 1, 0));
	assert_true(
	    own(SHARDMSG_DYNAMIC_PRIVATE, "abcdefghij0123456789", 1, 0));
	/* 20 as JavaScript counts: UTF-16 units, not bytes. */
	assert_false(own(SHARDMSG_DYNAMIC,
	    "\xc3\xa9"
	    "bcdefghij0123456789",
	    1, 0));
	assert_true(own(SHARDMSG_DYNAMIC,
	                "\xf0\x9f\x98\x80"
	                "cdefghij0123456789",
	                1, 0) == 0);
	assert_true(own(SHARDMSG_DYNAMIC,
	    "\xf0\x9f\x98\x80"
	    "defghij0123456789",
	    1, 0));
}

static void
test_builders(void **state)
{
	struct shardmsg_from from = { "0123456789abcdef", 16, "/", 1 };
	struct iovec rooms[2] = { { (void *)"a\"b", 3 }, { (void *)"c", 1 } };
	struct clustermsg_target to = { rooms, 1, rooms + 1, 1, 0, 0 };
	struct clustermsg_emit e;
	struct iovec att = { (void *)"\x01\x02", 2 };
	struct shardmsg m;
	struct buf b;
	char err[128];

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(shardmsg_sockets_join(&b, &from, &to, rooms + 1, 1,
	                     1),
	    0);
	assert_string_equal(b.data,
	    "{\"type\":4,\"data\":{\"opts\":{\"rooms\":[\"a\\\"b\"],"
	    "\"except\":[\"c\"],\"flags\":{}},\"rooms\":[\"c\"]},"
	    "\"uid\":\"0123456789abcdef\",\"nsp\":\"/\"}");
	buf_reset(&b);
	assert_int_equal(shardmsg_server_emit(&b, &from, jv_null(), NULL, 0),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(b.len, 0);

	/* A broadcast with attachments goes in MessagePack, and reads back. */
	memset(&e, 0, sizeof(e));
	e.json = "[\"f\",{\"_placeholder\":true,\"num\":0}]";
	e.json_len = strlen(e.json);
	e.att = &att;
	e.natt = 1;
	e.to = to;
	assert_int_equal(shardmsg_broadcast(&b, &from, &e, "rid", 3, err,
	                     sizeof(err)),
	    0);
	assert_true((unsigned char)b.data[0] != '{');
	shardmsg_init(&m, MAX);
	assert_int_equal(shardmsg_parse(&m, b.data, b.len, err, sizeof(err)),
	    0);
	assert_int_equal(m.type, SHARDMSG_BROADCAST);
	assert_int_equal(m.ev.h.attachments, 1);
	assert_int_equal(m.ev.h.type, SIO_BINARY_EVENT);
	assert_memory_equal(m.ev.att[0].iov_base, "\x01\x02", 2);
	assert_int_equal(m.request_id_len, 3);
	assert_int_equal(jv_array_length(jv_copy(m.opts_rooms)), 1);

	/* Data that is not an array is no event. */
	buf_reset(&b);
	e.json = "{}";
	e.json_len = 2;
	e.natt = 0;
	assert_int_equal(shardmsg_broadcast(&b, &from, &e, NULL, 0, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "event data is not an array");
	assert_int_equal(b.len, 0);

	/* An ack of nothing has no packet; of a binary, MessagePack. */
	assert_int_equal(shardmsg_res_broadcast_ack(&b, &from, "r", 1, "[]", 2,
	                     NULL, 0, err, sizeof(err)),
	    0);
	assert_string_equal(b.data,
	    "{\"type\":12,\"data\":{\"requestId\":\"r\"},"
	    "\"uid\":\"0123456789abcdef\",\"nsp\":\"/\"}");
	buf_reset(&b);
	assert_int_equal(shardmsg_res_broadcast_ack(&b, &from, "r", 1,
	                     "[{\"_placeholder\":true,\"num\":0}]", 31, &att,
	                     1, err, sizeof(err)),
	    0);
	assert_int_equal(shardmsg_parse(&m, b.data, b.len, err, sizeof(err)),
	    0);
	assert_int_equal(m.type, SHARDMSG_BROADCAST_ACK);
	assert_int_equal(m.has_packet, 1);
	assert_int_equal(m.ev.h.attachments, 1);
	shardmsg_release(&m);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_builders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
