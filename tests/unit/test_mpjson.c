/*
 * test_mpjson.c - JSON values in MessagePack as notepack.io writes them,
 * and the JSON text JSON.stringify writes of them.  The byte strings and
 * texts below are what notepack.io 3.0.1, socket.io-parser 4.2 and Node 20
 * write and read.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonv.h"
#include "mpjson.h"

#define MAX (1u << 24)

/* Bytes written as a string with their length. */
struct bytes {
	const char *p;
	size_t n;
};
#define B(s) \
	{ \
		s, sizeof(s) - 1 \
	}

/* JSON text in, MessagePack out. */
static void
expect_mp(const char *json, const struct iovec *att, unsigned natt,
    struct bytes want)
{
	struct buf b;
	char err[128];

	buf_init(&b, MAX);
	if (mpjson_from_json(&b, json, strlen(json), att, natt, 64, err,
	        sizeof(err)) != 0)
		fail_msg("%s: %s", json, err);
	assert_int_equal(b.len, want.n);
	assert_memory_equal(b.data, want.p, want.n);
	buf_release(&b);
}

static void
expect_mp_fails(const char *json, const struct iovec *att, unsigned natt,
    int depth, int e, const char *why)
{
	struct buf b;
	char err[128];

	buf_init(&b, MAX);
	assert_int_equal(buf_append(&b, "x", 1), 0);
	errno = 0;
	assert_int_equal(mpjson_from_json(&b, json, strlen(json), att, natt,
	                     depth, err, sizeof(err)),
	    -1);
	assert_int_equal(errno, e);
	if (why != NULL)
		assert_string_equal(err, why);
	assert_int_equal(b.len, 1); /* as it was */
	buf_release(&b);
}

static void
test_json_to_msgpack(void **state)
{
	struct iovec att[2] = { { "\1\2", 2 }, { "", 0 } };

	(void)state;
	expect_mp(" [1, -1.5, true, false, null] ", NULL, 0,
	    (struct bytes)B("\x95\x01\xcb\xbf\xf8\0\0\0\0\0\0\xc3\xc2\xc0"));
	expect_mp("[1E400, -0, 0.0, 1e-400, 1.0]", NULL, 0,
	    (struct bytes)B("\x95\xcb\x7f\xf0\0\0\0\0\0\0\0\0\0\x01"));
	/* Escapes resolved; a lone surrogate is U+FFFD; a pair is one. */
	expect_mp("\"a\\n\\u0000\\u00e9\\ud83d\\ude00\\ud800\\/\"", NULL, 0,
	    (struct bytes)B("\xad"
	                    "a\n\0\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd/"));
	expect_mp("\"\\udc00\\ud800x\"", NULL, 0,
	    (struct bytes)B("\xa7\xef\xbf\xbd\xef\xbf\xbdx"));
	/* str 8 from 32 bytes, as notepack.io. */
	expect_mp("\"0123456789012345678901234567890\"", NULL, 0,
	    (struct bytes)B("\xbf"
	                    "0123456789012345678901234567890"));
	expect_mp("\"01234567890123456789012345678901\"", NULL, 0,
	    (struct bytes)B("\xd9\x20"
	                    "01234567890123456789012345678901"));
	/* Keys in the order written, repeated ones too. */
	expect_mp("{\"b\":1,\"1\":2,\"b\":3}", NULL, 0,
	    (struct bytes)B("\x83\xa1"
	                    "b\x01\xa1"
	                    "1\x02\xa1"
	                    "b\x03"));
	expect_mp("[[],{},[[]]]", NULL, 0,
	    (struct bytes)B("\x93\x90\x80\x91\x90"));
	expect_mp("[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]", NULL, 0,
	    (struct bytes)B("\xdc\x00\x10\x00\x01\x02\x03\x04\x05\x06\x07"
	                    "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"));
	/* Placeholders become bins; escaped keys are keys. */
	expect_mp("[{\"_placeholder\":true,\"num\":0},"
	          "{\"num\":1.0,\"\\u005fplaceholder\":true,\"x\":[]}]",
	    att, 2, (struct bytes)B("\x92\xc4\x02\x01\x02\xc4\x00"));
	/* Without attachments, or not true, they are data. */
	expect_mp("{\"_placeholder\":true,\"num\":0}", NULL, 0,
	    (struct bytes)B("\x82\xac_placeholder\xc3\xa3num\x00"));
	expect_mp("{\"_placeholder\":1,\"num\":9}", att, 2,
	    (struct bytes)B("\x82\xac_placeholder\x01\xa3num\x09"));
	expect_mp("{\"_placeholder\":true,\"_placeholder\":false,\"num\":9}",
	    att, 2,
	    (struct bytes)B("\x83\xac_placeholder\xc3\xac_placeholder\xc2\xa3"
	                    "num\x09"));
	/* Inside a placeholder nothing is read, as socket.io-parser. */
	expect_mp("{\"_placeholder\":true,\"num\":1,"
	          "\"x\":{\"_placeholder\":true,\"num\":7}}",
	    att, 2, (struct bytes)B("\xc4\x00"));

	expect_mp_fails("{\"_placeholder\":true,\"num\":2}", att, 2, 64,
	    EINVAL, "attachment placeholder names no attachment");
	expect_mp_fails("{\"_placeholder\":true,\"num\":0.5}", att, 2, 64,
	    EINVAL, NULL);
	expect_mp_fails("{\"_placeholder\":true,\"num\":\"0\"}", att, 2, 64,
	    EINVAL, NULL);
	expect_mp_fails("{\"_placeholder\":true}", att, 2, 64, EINVAL, NULL);
	expect_mp_fails("[[{\"_placeholder\":true,\"num\":-1}]]", att, 2, 64,
	    EINVAL, NULL);
	expect_mp_fails("[1,]", NULL, 0, 64, EINVAL, NULL);
	expect_mp_fails("[1] x", NULL, 0, 64, EINVAL,
	    "text after the JSON value");
	expect_mp_fails("", NULL, 0, 64, EINVAL, NULL);
	expect_mp_fails("\"\\x\"", NULL, 0, 64, EINVAL, NULL);
	expect_mp_fails("{\"a\" 1}", NULL, 0, 64, EINVAL, NULL);
	expect_mp_fails("[[[1]]]", NULL, 0, 2, ELOOP, NULL);
	expect_mp("[[[1]]]", NULL, 0, (struct bytes)B("\x91\x91\x91\x01"));
}

static void
test_large_containers(void **state)
{
	struct buf json, mp;
	char err[64];
	size_t n = 70000;

	(void)state;
	buf_init(&json, MAX);
	buf_init(&mp, MAX);
	assert_int_equal(buf_append(&json, "[", 1), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buf_appends(&json, i > 0 ? ",{}" : "{}"), 0);
	assert_int_equal(buf_append(&json, "]", 1), 0);
	assert_int_equal(mpjson_from_json(&mp, json.data, json.len, NULL, 0, 4,
	                     err, sizeof(err)),
	    0);
	assert_int_equal(mp.len, 5 + n);
	assert_memory_equal(mp.data, "\xdd\x00\x01\x11\x70\x80", 6);
	buf_release(&json);
	buf_release(&mp);
}

/* MessagePack in, JSON text out, with the binaries met. */
static void
expect_json(struct bytes mp, const char *want, unsigned want_att)
{
	struct iovec v[4];
	struct mpjson_att att = { v, 0, 4 };
	struct mpack_cur c;
	struct buf text, scratch;
	char err[128];

	buf_init(&text, MAX);
	buf_init(&scratch, MAX);
	mpack_cur_init(&c, mp.p, mp.n);
	if (mpjson_to_json(&c, &text, &scratch, &att, 64, err, sizeof(err)) !=
	    0)
		fail_msg("%s: %s", want, err);
	assert_string_equal(text.data, want);
	assert_int_equal(att.n, want_att);
	assert_ptr_equal(c.p, (const unsigned char *)mp.p + mp.n);
	assert_int_equal(scratch.len, 0);
	buf_release(&text);
	buf_release(&scratch);
}

static void
expect_json_fails(struct bytes mp, int depth, int e, const char *why)
{
	struct iovec v[2];
	struct mpjson_att att = { v, 0, 2 };
	struct mpack_cur c;
	struct buf text, scratch;
	char err[128];

	buf_init(&text, MAX);
	buf_init(&scratch, MAX);
	assert_int_equal(buf_append(&text, "x", 1), 0);
	mpack_cur_init(&c, mp.p, mp.n);
	errno = 0;
	assert_int_equal(mpjson_to_json(&c, &text, &scratch, &att, depth, err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, e);
	if (why != NULL)
		assert_string_equal(err, why);
	assert_string_equal(text.data, "x");
	buf_release(&text);
	buf_release(&scratch);
}

static void
test_msgpack_to_json(void **state)
{
	(void)state;
	expect_json((struct bytes)B(
	                "\x96\xc0\xc3\xc2\x00\xff\xcb\x3f\xf8\0\0\0"
	                "\0\0\0"),
	    "[null,true,false,0,-1,1.5]", 0);
	/* As Node writes numbers; NaN and infinities are null. */
	expect_json((struct bytes)B(
	                "\x97\xca\x3d\xcc\xcc\xcd\xcb\x80\0\0\0\0\0"
	                "\0\0\xcb\x7f\xf8\0\0\0\0\0\0\xcb\xff\xf0"
	                "\0\0\0\0\0\0\xcf\xff\xff\xff\xff\xff\xff"
	                "\xff\xff\xd3\x80\0\0\0\0\0\0\0\xcb\x44\x4b"
	                "\x1a\xe4\xd6\xe2\xef\x50"),
	    "[0.10000000149011612,0,null,null,18446744073709552000,"
	    "-9223372036854776000,1e+21]",
	    0);
	/* Escaped as JSON.stringify; bytes that are not UTF-8 read as
	 * U+FFFD, one for each maximal subpart. */
	expect_json((struct bytes)B("\x9a\xa4\"\\\x08\x7f\xa3\x1f\n\x01"
	                            "\xa3\xe2\x80\xa8\xa1\xff\xa3"
	                            "a\xe2\x82\xa3\xed\xa0\x80\xa4\xf0\x9f\x98"
	                            "A\xa2\xc0\x80\xa4\xf4\x90\x80\x80\xa2\xc3"
	                            "\xa9"),
	    "[\"\\\"\\\\\\b\x7f\",\"\\u001f\\n\\u0001\",\"\xe2\x80\xa8\","
	    "\"\xef\xbf\xbd\",\"a\xef\xbf\xbd\","
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"\xef\xbf\xbd"
	    "A\",\"\xef\xbf\xbd\xef\xbf\xbd\","
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\","
	    "\"\xc3\xa9\"]",
	    0);
	/* Keys as JavaScript lists them. */
	expect_json((struct bytes)B("\x87\xa1"
	                            "b\x01\xa2"
	                            "10\x02\xa1"
	                            "2\x03\xa1"
	                            "a\x04\xa2"
	                            "01\x05\xa1"
	                            "b\x06\xa9__proto__\x07"),
	    "{\"2\":3,\"10\":2,\"b\":6,\"a\":4,\"01\":5}", 0);
	expect_json((struct bytes)B("\x83\xaa"
	                            "4294967295\x01\xaa"
	                            "4294967294\x02\xa2-1\x03"),
	    "{\"4294967294\":2,\"4294967295\":1,\"-1\":3}", 0);
	/* A repeated key's binary that is overwritten is no attachment. */
	expect_json((struct bytes)B(
	                "\x92\x82\xa1k\xc4\x01\x01\xa1k\xc4\x01\x02"
	                "\xc4\x00"),
	    "[{\"k\":{\"_placeholder\":true,\"num\":0}},"
	    "{\"_placeholder\":true,\"num\":1}]",
	    2);
	/* Nested maps move the scratch buffer. */
	expect_json((struct bytes)B("\x82\xa1z\x82\xa1y\x81\xa1x\x01\xa1w\x02"
	                            "\xa1"
	                            "a\x03"),
	    "{\"z\":{\"y\":{\"x\":1},\"w\":2},\"a\":3}", 0);

	expect_json_fails((struct bytes)B("\x81\x01\x02"), 64, EINVAL,
	    "map key is not a string");
	expect_json_fails((struct bytes)B("\x92\x01\xd4\x01\x00"), 64, ENOTSUP,
	    "MessagePack ext type");
	expect_json_fails((struct bytes)B("\xc1"), 64, EINVAL, NULL);
	expect_json_fails((struct bytes)B("\x92\x01"), 64, EINVAL, NULL);
	expect_json_fails((struct bytes)B("\xdd\xff\xff\xff\xff"), 64, EINVAL,
	    NULL);
	expect_json_fails((struct bytes)B("\x91\x91\x91\x01"), 2, ELOOP, NULL);
	expect_json_fails((struct bytes)B("\x81\xa1k\x91\x91\x01"), 2, ELOOP,
	    NULL);
	expect_json_fails((struct bytes)B("\x93\xc4\x00\xc4\x00\xc4\x00"), 64,
	    EMSGSIZE, "more than 2 binaries");
}

static void
test_long_numbers(void **state)
{
	struct buf b, want;
	char json[200], err[64];

	(void)state;
	buf_init(&b, 64);
	buf_init(&want, 64);
	/* Longer than the copy kept on the stack for strtod(). */
	memset(json, '0', sizeof(json));
	json[0] = '[';
	json[1] = '1';
	json[72] = ']';
	assert_int_equal(mpjson_from_json(&b, json, 73, NULL, 0, 4, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(mpack_put_array(&want, 1), 0);
	assert_int_equal(mpack_put_number(&want, 1e70), 0);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.data, want.data, b.len);
	/* At the very end, it is copied, which takes room. */
	buf_reset(&b);
	memset(json, '0', sizeof(json));
	b.max = 200;
	memcpy(json, "0.", 2);
	memcpy(json + 150, "15", 3);
	assert_int_equal(mpjson_from_json(&b, json, 152, NULL, 0, 4, err,
	                     sizeof(err)),
	    0);
	buf_reset(&want);
	assert_int_equal(mpack_put_number(&want, 1.5e-149), 0);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.data, want.data, b.len);
	buf_release(&b);
	buf_release(&want);
}

/* A map that reads as a placeholder must name a binary, if any is sent. */
static void
test_placeholder_lookalikes(void **state)
{
	(void)state;
	expect_json((struct bytes)B("\x92\x82\xac_placeholder\xc3\xa3num\x00"
	                            "\xc4\x00"),
	    "[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,"
	    "\"num\":0}]",
	    1);
	expect_json((struct bytes)B("\x91\x82\xac_placeholder\xc3\xa3num\x07"),
	    "[{\"_placeholder\":true,\"num\":7}]", 0);
	expect_json_fails((struct bytes)B("\x92\x82\xac_placeholder\xc3\xa3num"
	                                  "\x01\xc4\x00"),
	    64, EINVAL, "a map reads as a placeholder naming no binary");
	expect_json_fails((struct bytes)B(
	                      "\x92\x81\xac_placeholder\xc3\xc4\x00"),
	    64, EINVAL, NULL);
}

static void
test_binaries_refused_without_room(void **state)
{
	struct mpack_cur c;
	struct buf text, scratch;
	char err[64];

	(void)state;
	buf_init(&text, 64);
	buf_init(&scratch, 64);
	mpack_cur_init(&c, "\xc4\x00", 2);
	assert_int_equal(mpjson_to_json(&c, &text, &scratch, NULL, 4, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "binary where none may be");
	/* A text cap holds. */
	mpack_cur_init(&c, "\xa5hello", 6);
	text.max = 4;
	errno = 0;
	assert_int_equal(mpjson_to_json(&c, &text, &scratch, NULL, 4, err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, ENOBUFS);
	buf_release(&text);
	buf_release(&scratch);
}

static void
test_msgpack_to_jv(void **state)
{
	static const char mp[] = "\x83\xa1"
	                         "b\xc4\x02\x01\xff\xa9__proto__\x01\xa1"
	                         "b\x92\xc0\xcb\x3f\xf8\0\0\0\0\0\0";
	struct mpack_cur c;
	struct buf text;
	char err[64];
	jv v;

	(void)state;
	buf_init(&text, 256);
	mpack_cur_init(&c, mp, sizeof(mp) - 1);
	assert_int_equal(mpjson_to_jv(&c, 8, &v, err, sizeof(err)), 0);
	assert_int_equal(mpjson_put_jv_json(&text, v), 0);
	assert_string_equal(text.data, "{\"b\":[null,1.5]}");
	jv_free(v);
	buf_reset(&text);
	mpack_cur_init(&c, "\x91\xc4\x02\x01\xff", 5);
	assert_int_equal(mpjson_to_jv(&c, 8, &v, err, sizeof(err)), 0);
	assert_int_equal(mpjson_put_jv_json(&text, v), 0);
	assert_string_equal(text.data,
	    "[{\"type\":\"Buffer\",\"data\":[1,255]}]");
	jv_free(v);
	mpack_cur_init(&c, "\x91\x91\x01", 3);
	assert_int_equal(mpjson_to_jv(&c, 1, &v, err, sizeof(err)), -1);
	assert_false(jv_is_valid(v));
	mpack_cur_init(&c, "\x81\x01\x01", 3);
	assert_int_equal(mpjson_to_jv(&c, 4, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "map key is not a string");
	buf_release(&text);
}

static void
test_jv_to_json_and_msgpack(void **state)
{
	static const char json[] =
	    "{\"b\":[1e21,1e-7,-0,0.1,\"\\u0000\\u2028\"],"
	    "\"7\":true,\"1\":null,\"a\":{}}";
	struct buf b;
	jv v;

	(void)state;
	buf_init(&b, 256);
	assert_int_equal(jsonv_parse(json, sizeof(json) - 1, 8, 0, &v), 0);
	assert_int_equal(mpjson_put_jv_json(&b, v), 0);
	assert_string_equal(b.data,
	    "{\"1\":null,\"7\":true,\"b\":[1e+21,1e-7,0,0.1,"
	    "\"\\u0000\xe2\x80\xa8\"],\"a\":{}}");
	buf_reset(&b);
	assert_int_equal(mpjson_put_jv(&b, v), 0);
	assert_int_equal(b.len, 46);
	assert_memory_equal(b.data,
	    "\x84\xa1"
	    "b\x95\xcb\x44\x4b",
	    7);
	jv_free(v);
	buf_reset(&b);
	assert_int_equal(mpjson_put_jv_json(&b, jv_invalid()), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

/* From JSON text and back, as a node relays what a client sent. */
static void
test_round_trip(void **state)
{
	static const char *const texts[] = {
		"[\"chat\",{\"m\":1,\"t\":\"h\xc3\xa9\",\"n\":[1.5,-2,null]}]",
		"[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":"
		"true,\"num\":0}]",
		"[1e+300,5e-324,9007199254740993,-1e-7,0.30000000000000004]",
		"[{\"10\":1,\"9\":2,\"a\":3,\"a\":4}]",
	};
	static const char *const want[] = {
		"[\"chat\",{\"m\":1,\"t\":\"h\xc3\xa9\",\"n\":[1.5,-2,null]}]",
		"[\"e\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":"
		"true,\"num\":1}]",
		"[1e+300,5e-324,9007199254740992,-1e-7,0.30000000000000004]",
		"[{\"9\":2,\"10\":1,\"a\":4}]",
	};
	struct iovec att = { "\x01", 1 }, v[4];
	struct buf mp, text, scratch;
	char err[128];

	(void)state;
	buf_init(&mp, MAX);
	buf_init(&text, MAX);
	buf_init(&scratch, MAX);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct mpjson_att a = { v, 0, 4 };
		struct mpack_cur c;

		buf_reset(&mp);
		buf_reset(&text);
		assert_int_equal(mpjson_from_json(&mp, texts[i],
		                     strlen(texts[i]), &att, 1, 64, err,
		                     sizeof(err)),
		    0);
		mpack_cur_init(&c, mp.data, mp.len);
		assert_int_equal(mpjson_to_json(&c, &text, &scratch, &a, 64,
		                     err, sizeof(err)),
		    0);
		assert_string_equal(text.data, want[i]);
	}
	buf_release(&mp);
	buf_release(&text);
	buf_release(&scratch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_to_msgpack),
		cmocka_unit_test(test_large_containers),
		cmocka_unit_test(test_msgpack_to_json),
		cmocka_unit_test(test_long_numbers),
		cmocka_unit_test(test_placeholder_lookalikes),
		cmocka_unit_test(test_binaries_refused_without_room),
		cmocka_unit_test(test_msgpack_to_jv),
		cmocka_unit_test(test_jv_to_json_and_msgpack),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
