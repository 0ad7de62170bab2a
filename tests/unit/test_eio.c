/* test_eio.c - Engine.IO v4 framing and the open packet. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "eio.h"

#define OPEN_JSON \
	"{\"sid\":\"AbC-12_x\",\"upgrades\":[]," \
	"\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"

static void
test_decode_every_type(void **state)
{
	static const char *const frames[] = { "0{\"sid\":\"x\"}", "1", "2",
		"3probe", "442[\"a\"]", "5", "6" };
	enum eio_type type;
	const char *payload;
	size_t len;

	(void)state;
	for (int t = EIO_OPEN; t <= EIO_NOOP; t++) {
		const char *f = frames[t];

		assert_int_equal(eio_decode(f, strlen(f), &type, &payload,
		                     &len),
		    0);
		assert_int_equal(type, t);
		assert_ptr_equal(payload, f + 1);
		assert_int_equal(len, strlen(f) - 1);
	}
}

static void
test_decode_payload_is_a_slice(void **state)
{
	/* Not NUL-terminated: the frame stops before "XYZ". */
	static const char frame[] = "42[\"a\",1]XYZ";
	enum eio_type type;
	const char *payload;
	size_t len;

	(void)state;
	assert_int_equal(eio_decode(frame, 9, &type, &payload, &len), 0);
	assert_int_equal(type, EIO_MESSAGE);
	assert_int_equal(len, 8);
	assert_memory_equal(payload, "2[\"a\",1]", 8);
}

static void
test_decode_refuses_bad_frames(void **state)
{
	static const char *const bad[] = { "7", "9x", "a", "/", " 4", "\x00" };
	enum eio_type type = EIO_NOOP;
	const char *payload = NULL;
	size_t len = 99;

	(void)state;
	errno = 0;
	assert_int_equal(eio_decode("4", 0, &type, &payload, &len), -1);
	assert_int_equal(errno, EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(eio_decode(bad[i], strlen(bad[i]) + (i == 5),
		                     &type, &payload, &len),
		    -1);
	/* Nothing written on failure. */
	assert_int_equal(type, EIO_NOOP);
	assert_null(payload);
	assert_int_equal(len, 99);
}

static void
fill_open(struct eio_open *o, const char *sid)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->sid, sizeof(o->sid), "%s", sid);
	o->ping_interval_ms = 25000;
	o->ping_timeout_ms = 20000;
	o->max_payload = 1000000;
}

static void
test_encode_open_exact(void **state)
{
	static const char want[] = "0" OPEN_JSON;
	struct eio_open o;
	char out[256];

	(void)state;
	fill_open(&o, "AbC-12_x");
	memset(out, '#', sizeof(out));
	assert_int_equal(eio_encode_open(out, sizeof(out), &o),
	    sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	assert_int_equal(out[sizeof(want) - 1], '#'); /* no NUL */
}

static void
test_encode_open_extremes(void **state)
{
	static const char want[] =
	    "0{\"sid\":"
	    "\"0123456789abcdef0123456789ABCDEF\",\"upgrades\":[],"
	    "\"pingInterval\":4294967295,\"pingTimeout\":0,"
	    "\"maxPayload\":18446744073709551615}";
	struct eio_open o;
	char out[256];

	(void)state;
	fill_open(&o, "0123456789abcdef0123456789ABCDEF");
	o.ping_interval_ms = UINT32_MAX;
	o.ping_timeout_ms = 0;
	o.max_payload = UINT64_MAX;
	assert_int_equal(eio_encode_open(out, sizeof(out), &o),
	    sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
}

/* A polling session that may upgrade says so, as engine.io does. */
static void
test_encode_open_upgrades(void **state)
{
	static const char want[] =
	    "0{\"sid\":\"s\",\"upgrades\":[\"websocket\"],"
	    "\"pingInterval\":25000,\"pingTimeout\":20000,"
	    "\"maxPayload\":1000000}";
	struct eio_open o, back;
	char out[256];
	int n;

	(void)state;
	fill_open(&o, "s");
	o.upgrades = EIO_UPGRADE_WEBSOCKET;
	n = eio_encode_open(out, sizeof(out), &o);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	assert_int_equal(eio_parse_open(out + 1, (size_t)n - 1, &back), 0);
	assert_string_equal(back.sid, "s");
}

static void
test_encode_open_capacity(void **state)
{
	const size_t n = sizeof("0" OPEN_JSON) - 1;
	struct eio_open o;
	char out[256];

	(void)state;
	fill_open(&o, "AbC-12_x");
	memset(out, '#', sizeof(out));
	errno = 0;
	assert_int_equal(eio_encode_open(out, n - 1, &o), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(out[0], '#'); /* nothing written */
	assert_int_equal(eio_encode_open(out, 0, &o), -1);
	assert_int_equal(eio_encode_open(out, n, &o), (int)n);
	assert_int_equal(out[n], '#');
}

static void
test_encode_open_refuses_bad_sid(void **state)
{
	static const char *const bad[] = { "", "a\"b", "a\\b", "a\nb", "a\x7f",
		"caf\xc3\xa9" };
	struct eio_open o;
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fill_open(&o, bad[i]);
		errno = 0;
		assert_int_equal(eio_encode_open(out, sizeof(out), &o), -1);
		assert_int_equal(errno, EINVAL);
	}
	/* A sid that fills the array without a NUL. */
	fill_open(&o, "x");
	memset(o.sid, 'x', sizeof(o.sid));
	assert_int_equal(eio_encode_open(out, sizeof(out), &o), -1);
}

static void
test_parse_open(void **state)
{
	struct eio_open o;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(eio_parse_open(OPEN_JSON, strlen(OPEN_JSON), &o), 0);
	assert_string_equal(o.sid, "AbC-12_x");
	assert_int_equal(o.ping_interval_ms, 25000);
	assert_int_equal(o.ping_timeout_ms, 20000);
	assert_int_equal(o.max_payload, 1000000);
}

static void
test_parse_open_as_engine_io_sends_it(void **state)
{
	/* Field order, upgrades and extra members as Node's engine.io. */
	static const char json[] =
	    "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\","
	    "\"upgrades\":[\"websocket\"],\"pingInterval\":300,"
	    "\"pingTimeout\":200,\"maxPayload\":1000000,"
	    "\"extra\":{\"a\":[1,-2.5e-3,true,null,\"\\u00e9\\n\"]}}";
	struct eio_open o;

	(void)state;
	assert_int_equal(eio_parse_open(json, strlen(json), &o), 0);
	assert_string_equal(o.sid, "lv_VI97HAXpY6yYWAAAC");
	assert_int_equal(o.ping_interval_ms, 300);
	assert_int_equal(o.ping_timeout_ms, 200);
	assert_int_equal(o.max_payload, 1000000);
}

static void
test_open_round_trip(void **state)
{
	struct eio_open in, out;
	char buf[256];
	enum eio_type type;
	const char *payload;
	size_t len;
	int n;

	(void)state;
	fill_open(&in, "0123456789abcdef0123456789ABCDEF");
	in.ping_interval_ms = UINT32_MAX;
	in.max_payload = UINT64_C(9007199254740991);
	n = eio_encode_open(buf, sizeof(buf), &in);
	assert_true(n > 0);
	assert_int_equal(eio_decode(buf, (size_t)n, &type, &payload, &len), 0);
	assert_int_equal(type, EIO_OPEN);
	assert_int_equal(eio_parse_open(payload, len, &out), 0);
	assert_string_equal(out.sid, in.sid);
	assert_int_equal(out.ping_interval_ms, in.ping_interval_ms);
	assert_int_equal(out.ping_timeout_ms, in.ping_timeout_ms);
	assert_true(out.max_payload == in.max_payload);
}

static void
test_parse_open_json_is_a_slice(void **state)
{
	/* Bytes after 'len' must not be read as part of the JSON. */
	static const char buf[] = OPEN_JSON "garbage";
	struct eio_open o;

	(void)state;
	assert_int_equal(eio_parse_open(buf, strlen(OPEN_JSON), &o), 0);
	assert_int_equal(eio_parse_open(buf, strlen(OPEN_JSON) - 1, &o), -1);
	assert_int_equal(eio_parse_open(buf, strlen(buf), &o), -1);
}

static void
test_parse_open_refuses(void **state)
{
	static const char *const bad[] = {
		/* not JSON, not one object */
		"",
		"   ",
		"{",
		"{\"sid\":\"x\"",
		"[]",
		"\"sid\"",
		"null",
		OPEN_JSON " {}",
		OPEN_JSON " x",
		/* missing members */
		"{\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1,"
		"\"maxPayload\":1}",
		"{\"sid\":\"x\",\"pingInterval\":1,\"pingTimeout\":1,"
		"\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingTimeout\":1,"
		"\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1}",
		/* wrong types */
		"{\"sid\":1,\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":\"websocket\","
		"\"pingInterval\":1,\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":\"1\","
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":null,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":true}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":nan,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		/* bad values */
		"{\"sid\":\"\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"0123456789abcdef0123456789ABCDEFx\","
		"\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1,"
		"\"maxPayload\":1}",
		"{\"sid\":\"a\\u0000b\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"a\\\"b\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":-1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1.5,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":4294967296,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1e400,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":9007199254740992}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,"
		"\"maxPayload\":123456789012345678901234567890}",
		/* integers only as JSON.stringify writes them */
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1e6}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":25000.0,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":01,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":-0,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		/* JSON syntax around the members we read */
		"{}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,}",
		"{\"sid\":\"x\",\"upgrades\":[,],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[\"a\" \"b\"],"
		"\"pingInterval\":1,\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\" \"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\" \"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"\\u0073id\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,\"e\":nan}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,\"e\":\"a\tb\"}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,\"e\":\"\\x\"}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,\"e\":{\"a\"}}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1,\"e\":[1}",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":1",
		"{\"sid\":\"x\",\"upgrades\":[],\"pingInterval\":1,"
		"\"pingTimeout\":1,\"maxPayload\":",
	};
	struct eio_open o, before;

	(void)state;
	memset(&before, 0x5a, sizeof(before));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = before;
		if (eio_parse_open(bad[i], strlen(bad[i]), &o) != -1)
			fail_msg("accepted: %s", bad[i]);
		/* Nothing written on failure. */
		assert_memory_equal(&o, &before, sizeof(o));
	}
}

/* An open packet whose member "x" holds 'depth' nested arrays. */
static size_t
open_with_nesting(char *json, size_t cap, int depth)
{
	size_t n;

	n = (size_t)snprintf(json, cap, "%s",
	    "{\"sid\":\"a\",\"upgrades\":[],"
	    "\"pingInterval\":1,\"pingTimeout\":2,\"maxPayload\":3,\"x\":");
	assert_true(n + 2 * (size_t)depth + 2 < cap);
	for (int i = 0; i < depth; i++)
		json[n++] = '[';
	for (int i = 0; i < depth; i++)
		json[n++] = ']';
	json[n++] = '}';
	return n;
}

static void
test_parse_open_nesting_and_duplicates(void **state)
{
	static const char dup[] =
	    "{\"sid\":\"a\",\"upgrades\":[],"
	    "\"pingInterval\":1,\"pingTimeout\":2,\"maxPayload\":3,"
	    "\"sid\":\"b\",\"pingTimeout\":4}";
	char json[512];
	struct eio_open o;
	size_t n;

	(void)state;
	/* A repeated member: the last one counts, as with JSON.parse. */
	assert_int_equal(eio_parse_open(dup, strlen(dup), &o), 0);
	assert_string_equal(o.sid, "b");
	assert_int_equal(o.ping_timeout_ms, 4);
	/* 32 levels at most, the packet's own object included. */
	n = open_with_nesting(json, sizeof(json), 31);
	assert_int_equal(eio_parse_open(json, n, &o), 0);
	n = open_with_nesting(json, sizeof(json), 32);
	assert_int_equal(eio_parse_open(json, n, &o), -1);
	n = open_with_nesting(json, sizeof(json), 200);
	assert_int_equal(eio_parse_open(json, n, &o), -1);
}

static void
test_parse_open_limits(void **state)
{
	static const char json[] =
	    "{\"sid\":"
	    "\"0123456789abcdef0123456789ABCDEF\",\"upgrades\":[],"
	    "\"pingInterval\":4294967295,\"pingTimeout\":0,"
	    "\"maxPayload\":9007199254740991}";
	struct eio_open o;

	(void)state;
	assert_int_equal(eio_parse_open(json, strlen(json), &o), 0);
	assert_int_equal(strlen(o.sid), EIO_SID_MAX);
	assert_int_equal(o.ping_interval_ms, UINT32_MAX);
	assert_int_equal(o.ping_timeout_ms, 0);
	assert_true(o.max_payload == UINT64_C(9007199254740991));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_every_type),
		cmocka_unit_test(test_decode_payload_is_a_slice),
		cmocka_unit_test(test_decode_refuses_bad_frames),
		cmocka_unit_test(test_encode_open_exact),
		cmocka_unit_test(test_encode_open_extremes),
		cmocka_unit_test(test_encode_open_upgrades),
		cmocka_unit_test(test_encode_open_capacity),
		cmocka_unit_test(test_encode_open_refuses_bad_sid),
		cmocka_unit_test(test_parse_open),
		cmocka_unit_test(test_parse_open_as_engine_io_sends_it),
		cmocka_unit_test(test_open_round_trip),
		cmocka_unit_test(test_parse_open_json_is_a_slice),
		cmocka_unit_test(test_parse_open_refuses),
		cmocka_unit_test(test_parse_open_nesting_and_duplicates),
		cmocka_unit_test(test_parse_open_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
