/* test_sio.c - Socket.IO v5 packets: header, payload rules and encoding. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sio.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One packet as received, what it decodes to, and how we encode it. */
struct good {
	const char *in;
	enum sio_type type;
	const char *nsp;
	int64_t ack_id;
	unsigned attachments;
	const char *json; /* the payload slice; "" for none */
	jv_kind kind;     /* JV_KIND_INVALID for none */
	const char *out;  /* sio_encode's output, with the "4" */
};

#define PH(n) "{\"_placeholder\":true,\"num\":" #n "}"

static const struct good goods[] = {
	{ "0", SIO_CONNECT, "/", SIO_NO_ACK, 0, "", JV_KIND_INVALID, "40" },
	{ "0{\"token\":\"abc\"}", SIO_CONNECT, "/", SIO_NO_ACK, 0,
	    "{\"token\":\"abc\"}", JV_KIND_OBJECT, "40{\"token\":\"abc\"}" },
	{ "0/custom,", SIO_CONNECT, "/custom", SIO_NO_ACK, 0, "",
	    JV_KIND_INVALID, "40/custom," },
	/* As socket.io-parser: the namespace runs to the end. */
	{ "0/custom", SIO_CONNECT, "/custom", SIO_NO_ACK, 0, "",
	    JV_KIND_INVALID, "40/custom," },
	{ "0/custom,{\"a\":[1,{}]}", SIO_CONNECT, "/custom", SIO_NO_ACK, 0,
	    "{\"a\":[1,{}]}", JV_KIND_OBJECT, "40/custom,{\"a\":[1,{}]}" },
	{ "1", SIO_DISCONNECT, "/", SIO_NO_ACK, 0, "", JV_KIND_INVALID, "41" },
	{ "1/custom,", SIO_DISCONNECT, "/custom", SIO_NO_ACK, 0, "",
	    JV_KIND_INVALID, "41/custom," },
	{ "1/custom", SIO_DISCONNECT, "/custom", SIO_NO_ACK, 0, "",
	    JV_KIND_INVALID, "41/custom," },
	{ "2[\"a\",1]", SIO_EVENT, "/", SIO_NO_ACK, 0, "[\"a\",1]",
	    JV_KIND_ARRAY, "42[\"a\",1]" },
	{ "2/custom,[\"a\",1]", SIO_EVENT, "/custom", SIO_NO_ACK, 0,
	    "[\"a\",1]", JV_KIND_ARRAY, "42/custom,[\"a\",1]" },
	{ "212[\"a\"]", SIO_EVENT, "/", 12, 0, "[\"a\"]", JV_KIND_ARRAY,
	    "4212[\"a\"]" },
	{ "2/custom,0[\"a\"]", SIO_EVENT, "/custom", 0, 0, "[\"a\"]",
	    JV_KIND_ARRAY, "42/custom,0[\"a\"]" },
	{ "2007[\"a\"]", SIO_EVENT, "/", 7, 0, "[\"a\"]", JV_KIND_ARRAY,
	    "427[\"a\"]" },
	/* A number is an event name too, as in socket.io-parser. */
	{ "2[1,\"x\"]", SIO_EVENT, "/", SIO_NO_ACK, 0, "[1,\"x\"]",
	    JV_KIND_ARRAY, "42[1,\"x\"]" },
	/* An explicit "/" is the default namespace. */
	{ "2/,[\"a\"]", SIO_EVENT, "/", SIO_NO_ACK, 0, "[\"a\"]",
	    JV_KIND_ARRAY, "42[\"a\"]" },
	{ "2[ \"a\" , { \"b\" : [ ] } ]\n", SIO_EVENT, "/", SIO_NO_ACK, 0,
	    "[ \"a\" , { \"b\" : [ ] } ]\n", JV_KIND_ARRAY,
	    "42[ \"a\" , { \"b\" : [ ] } ]\n" },
	{ "30[]", SIO_ACK, "/", 0, 0, "[]", JV_KIND_ARRAY, "430[]" },
	{ "3/custom,5[\"ok\",null]", SIO_ACK, "/custom", 5, 0, "[\"ok\",null]",
	    JV_KIND_ARRAY, "43/custom,5[\"ok\",null]" },
	{ "4{\"message\":\"Invalid namespace\"}", SIO_CONNECT_ERROR, "/",
	    SIO_NO_ACK, 0, "{\"message\":\"Invalid namespace\"}",
	    JV_KIND_OBJECT, "44{\"message\":\"Invalid namespace\"}" },
	{ "4/custom,\"boom\"", SIO_CONNECT_ERROR, "/custom", SIO_NO_ACK, 0,
	    "\"boom\"", JV_KIND_STRING, "44/custom,\"boom\"" },
	{ "51-[\"a\"," PH(0) "]", SIO_BINARY_EVENT, "/", SIO_NO_ACK, 1,
	    "[\"a\"," PH(0) "]", JV_KIND_ARRAY, "451-[\"a\"," PH(0) "]" },
	{ "52-/custom,7[\"a\"," PH(0) "," PH(1) "]", SIO_BINARY_EVENT,
	    "/custom", 7, 2, "[\"a\"," PH(0) "," PH(1) "]", JV_KIND_ARRAY,
	    "452-/custom,7[\"a\"," PH(0) "," PH(1) "]" },
	{ "664-/x,9007199254740991[" PH(63) "]", SIO_BINARY_ACK, "/x",
	    SIO_ACK_MAX, 64, "[" PH(63) "]", JV_KIND_ARRAY,
	    "4664-/x,9007199254740991[" PH(63) "]" },
	{ "61-0[" PH(0) "]", SIO_BINARY_ACK, "/", 0, 1, "[" PH(0) "]",
	    JV_KIND_ARRAY, "461-0[" PH(0) "]" },
	/* Numbers beyond a double keep their text. */
	{ "2[\"a\",1e400,123456789012345678901234567890]", SIO_EVENT, "/",
	    SIO_NO_ACK, 0, "[\"a\",1e400,123456789012345678901234567890]",
	    JV_KIND_ARRAY, "42[\"a\",1e400,123456789012345678901234567890]" },
	/* Lone surrogates, as JSON.parse takes them (a string cut inside an
	 * emoji), keep their text too. */
	{ "2[\"chat\",{\"message\":\"\\ud83d\"}]", SIO_EVENT, "/", SIO_NO_ACK,
	    0, "[\"chat\",{\"message\":\"\\ud83d\"}]", JV_KIND_ARRAY,
	    "42[\"chat\",{\"message\":\"\\ud83d\"}]" },
	{ "0/caf\xc3\xa9,", SIO_CONNECT, "/caf\xc3\xa9", SIO_NO_ACK, 0, "",
	    JV_KIND_INVALID, "40/caf\xc3\xa9," },
};

static void
decode_ok(const char *in, size_t len, struct sio_packet *pkt)
{
	char err[128] = "";

	if (sio_decode(in, len, pkt, err, sizeof(err)) != 0)
		fail_msg("refused \"%s\": %s", in, err);
}

/* 'in' (of 'len' bytes) must be refused, with 'reason' in the message. */
static void
refuse_len(const char *in, size_t len, const char *reason)
{
	struct sio_packet pkt;
	char err[128] = "";

	memset(&pkt, 0x5a, sizeof(pkt));
	if (sio_decode(in, len, &pkt, err, sizeof(err)) != -1) {
		sio_packet_release(&pkt);
		fail_msg("accepted \"%.*s\"", (int)len, in);
	}
	if (strstr(err, reason) == NULL)
		fail_msg("\"%.*s\": reason \"%s\", want \"%s\"", (int)len, in,
		    err, reason);
	/* Nothing to release. */
	assert_int_equal(jv_get_kind(pkt.data), JV_KIND_INVALID);
}

static void
refuse(const char *in, const char *reason)
{
	refuse_len(in, strlen(in), reason);
}

static void
check_good(const struct good *g, const char *in, const struct sio_packet *p)
{
	assert_int_equal(p->h.type, g->type);
	assert_int_equal(p->h.nsp_len, strlen(g->nsp));
	assert_memory_equal(p->h.nsp, g->nsp, p->h.nsp_len);
	assert_true(p->h.ack_id == g->ack_id);
	assert_int_equal(p->h.attachments, g->attachments);
	assert_int_equal(p->json_len, strlen(g->json));
	assert_memory_equal(p->json, g->json, p->json_len);
	if (p->json_len > 0) /* the slice points into what was decoded */
		assert_ptr_equal(p->json, in + strlen(in) - p->json_len);
	if (strcmp(g->nsp, "/") != 0)
		assert_ptr_equal(p->h.nsp, strstr(in, g->nsp));
	assert_int_equal(jv_get_kind(p->data), g->kind);
}

static void
test_decode_every_type(void **state)
{
	int seen[SIO_BINARY_ACK + 1] = { 0 };

	(void)state;
	for (size_t i = 0; i < NELEM(goods); i++) {
		struct sio_packet pkt;

		decode_ok(goods[i].in, strlen(goods[i].in), &pkt);
		check_good(&goods[i], goods[i].in, &pkt);
		seen[pkt.h.type]++;
		sio_packet_release(&pkt);
		assert_int_equal(jv_get_kind(pkt.data), JV_KIND_INVALID);
	}
	for (int t = SIO_CONNECT; t <= SIO_BINARY_ACK; t++)
		assert_true(seen[t] > 0);
}

static void
test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(goods); i++) {
		const struct good *g = &goods[i];
		struct sio_packet a, b;
		char out[512];
		long n;

		decode_ok(g->in, strlen(g->in), &a);
		n = sio_encode(NULL, 0, &a.h, a.json, a.json_len);
		assert_int_equal(n, strlen(g->out));
		memset(out, '#', sizeof(out));
		assert_int_equal(sio_encode(out, sizeof(out), &a.h, a.json,
		                     a.json_len),
		    n);
		if (memcmp(out, g->out, (size_t)n) != 0)
			fail_msg("\"%s\" encoded as \"%.*s\", want \"%s\"",
			    g->in, (int)n, out, g->out);
		assert_int_equal(out[n], '#');
		decode_ok(out + 1, (size_t)n - 1, &b);
		assert_int_equal(b.h.type, a.h.type);
		assert_int_equal(b.h.nsp_len, a.h.nsp_len);
		assert_memory_equal(b.h.nsp, a.h.nsp, a.h.nsp_len);
		assert_true(b.h.ack_id == a.h.ack_id);
		assert_int_equal(b.h.attachments, a.h.attachments);
		assert_int_equal(b.json_len, a.json_len);
		assert_memory_equal(b.json, a.json, a.json_len);
		assert_true(a.json_len == 0 ||
		    jv_equal(jv_copy(a.data), jv_copy(b.data)));
		sio_packet_release(&a);
		sio_packet_release(&b);
	}
}

static void
test_payload_is_exactly_the_slice(void **state)
{
	/* Bytes after 'len' are not the packet's. */
	static const char buf[] = "2/custom,[\"a\",1.50]GARBAGE";
	struct sio_packet pkt;
	jv v;

	(void)state;
	decode_ok(buf, strlen(buf) - 7, &pkt);
	assert_ptr_equal(pkt.json, buf + 9);
	assert_int_equal(pkt.json_len, 10);
	v = jv_array_get(jv_copy(pkt.data), 0);
	assert_string_equal(jv_string_value(v), "a");
	jv_free(v);
	v = jv_array_get(jv_copy(pkt.data), 1);
	assert_true(jv_number_value(v) == 1.5);
	jv_free(v);
	sio_packet_release(&pkt);

	refuse_len(buf, strlen(buf) - 8, "invalid JSON");
	refuse_len(buf, strlen(buf), "invalid JSON");
	/* The namespace ends at 'len' as well. */
	decode_ok("0/customXYZ", 8, &pkt);
	assert_int_equal(pkt.h.nsp_len, 7);
	sio_packet_release(&pkt);
}

static void
test_malformed_headers(void **state)
{
	(void)state;
	refuse_len("2", 0, "empty packet");
	refuse("7", "unknown packet type");
	refuse("9[\"a\"]", "unknown packet type");
	refuse("a", "unknown packet type");
	refuse("/custom,0", "unknown packet type");
	refuse("-1", "unknown packet type");
	refuse(" 2[\"a\"]", "unknown packet type");
	refuse_len("\0", 1, "unknown packet type");
	/* Truncated: a namespace with nothing after it. */
	refuse("2/custom", "event payload is not an array");
	refuse("2/custom,", "event payload is not an array");
	refuse("2", "event payload is not an array");
	refuse("3/custom,", "ack without an ack id");
	refuse("4", "CONNECT_ERROR payload");
	refuse("4/custom,", "CONNECT_ERROR payload");
	/* The payload starts right after the header. */
	refuse("2 [\"a\"]", "whitespace before the payload");
	refuse("2/custom,\n[\"a\"]", "whitespace before the payload");
	refuse("212 [\"a\"]", "whitespace before the payload");
}

static void
test_namespaces(void **state)
{
	char buf[SIO_NSP_MAX + 16];
	struct sio_packet pkt;

	(void)state;
	/* Up to the ',' whatever it holds, as socket.io-parser. */
	decode_ok("0/a/b,{}", 8, &pkt);
	assert_int_equal(pkt.h.nsp_len, 4);
	assert_memory_equal(pkt.h.nsp, "/a/b", 4);
	sio_packet_release(&pkt);
	decode_ok("0/custom{}", 10, &pkt);
	assert_int_equal(pkt.h.nsp_len, 9);
	assert_int_equal(pkt.json_len, 0);
	sio_packet_release(&pkt);

	refuse("0/a\tb,{}", "invalid namespace");
	refuse("0/a\x7f,", "invalid namespace");
	refuse("0/\xff,", "invalid namespace");
	refuse("0/caf\xc3,", "invalid namespace");
	refuse("0/\xed\xa0\x80,", "invalid namespace"); /* a surrogate */
	refuse_len("0/a\0b,{}", 8, "invalid namespace");

	/* SIO_NSP_MAX bytes with the '/', then one more. */
	buf[0] = '0';
	buf[1] = '/';
	memset(buf + 2, 'n', SIO_NSP_MAX - 1);
	memcpy(buf + 1 + SIO_NSP_MAX, ",{}", 4);
	decode_ok(buf, strlen(buf), &pkt);
	assert_int_equal(pkt.h.nsp_len, SIO_NSP_MAX);
	assert_int_equal(pkt.json_len, 2);
	sio_packet_release(&pkt);
	buf[1 + SIO_NSP_MAX] = 'n';
	memcpy(buf + 2 + SIO_NSP_MAX, ",{}", 4);
	refuse(buf, "namespace too long");
}

static void
test_ack_ids(void **state)
{
	struct sio_packet pkt;

	(void)state;
	decode_ok("20[\"a\"]", 7, &pkt);
	assert_true(pkt.h.ack_id == 0);
	sio_packet_release(&pkt);
	decode_ok("29007199254740991[\"a\"]", 22, &pkt);
	assert_true(pkt.h.ack_id == SIO_ACK_MAX);
	sio_packet_release(&pkt);
	decode_ok("2000000000000000000000000000001[\"a\"]", 36, &pkt);
	assert_true(pkt.h.ack_id == 1);
	sio_packet_release(&pkt);

	refuse("29007199254740992[\"a\"]", "ack id out of range");
	refuse("29999999999999999[\"a\"]", "ack id out of range");
	refuse("2123456789012345678901234567890[\"a\"]",
	    "ack id out of range");
	refuse("3/custom,18446744073709551616[]", "ack id out of range");
	/* Garbage after the digits is not JSON. */
	refuse("212x[\"a\"]", "invalid JSON");
	refuse("2/custom,12abc", "invalid JSON");
	refuse("21e400[\"a\"]", "invalid JSON");
	refuse("21.5[\"a\"]", "invalid JSON");
	/* Only events and acks carry one; acks must. */
	refuse("01{}", "ack id on a packet that takes none");
	refuse("0/custom,1{}", "ack id on a packet that takes none");
	refuse("11", "ack id on a packet that takes none");
	refuse("41{}", "ack id on a packet that takes none");
	refuse("3[]", "ack without an ack id");
	refuse("61-[" PH(0) "]", "ack without an ack id");
	refuse("31", "ack payload is not an array");
}

static void
test_attachments(void **state)
{
	char buf[64];
	struct sio_packet pkt;

	(void)state;
	decode_ok("5001-[\"a\"]", 10, &pkt);
	assert_int_equal(pkt.h.attachments, 1);
	sio_packet_release(&pkt);

	refuse("5[\"a\"]", "missing attachment count");
	refuse("5-[\"a\"]", "missing attachment count");
	refuse("5", "missing attachment count");
	refuse("6/custom,1[]", "missing attachment count");
	refuse("51[\"a\"]", "attachment count not followed by '-'");
	refuse("51", "attachment count not followed by '-'");
	refuse("51/custom,-[\"a\"]", "attachment count not followed by '-'");
	refuse("50-[\"a\"]", "binary packet without attachments");
	refuse("60-1[]", "binary packet without attachments");
	snprintf(buf, sizeof(buf), "5%d-[\"a\"]", SIO_ATTACHMENTS_MAX + 1);
	refuse(buf, "too many attachments");
	refuse("599999999999999999999999999-[\"a\"]", "too many attachments");
	/* On other types the digits read as an ack id and a '-' follows. */
	refuse("21-[\"a\"]", "attachments on a non-binary packet");
	refuse("31-[]", "attachments on a non-binary packet");
	refuse("01-{}", "attachments on a non-binary packet");
	refuse("2/custom,1-[\"a\"]", "attachments on a non-binary packet");
}

static void
test_invalid_json(void **state)
{
	static const char *const bad[] = {
		"2[\"a\"",
		"2[\"a\",]",
		"2[\"a\" \"b\"]",
		"2[\"a\"]x",
		"2[\"a\"][\"b\"]",
		"2[\"a\"] [\"b\"]",
		"2[\"a\",{\"b\"}]",
		"2[\"a\",{\"b\":}]",
		"2[\"a\",{\"b\":1,}]",
		"2[\"a\",{1:2}]",
		"2['a']",
		"2[\"a\",tru]",
		"2[\"a\",nul]",
		"2[\"a\",True]",
		"2[\"a\",undefined]",
		/* what jq 1.6 would take but JSON.parse refuses */
		"2[\"a\",nan]",
		"2[\"a\",NaN]",
		"2[\"a\",01]",
		"2[\"a\",-01]",
		"2[\"a\",+1]",
		"2[\"a\",.5]",
		"2[\"a\",1.]",
		"2[\"a\",-]",
		"2[\"a\",1e]",
		"2[\"a\",1e+]",
		"2[\"a\",0x10]",
		"2[\"a\",Infinity]",
		"2\xef\xbb\xbf[\"a\"]",
		"2[\"a\xff\"]",
		"2[\"a\xc3\"]",
		"2[\"\xc0\xaf\"]",         /* overlong '/' */
		"2[\"\xed\xa0\x80\"]",     /* a surrogate */
		"2[\"\xf4\x90\x80\x80\"]", /* above U+10FFFF */
		"2[\"a\tb\"]",
		"2[\"a\nb\"]",
		"2[\"\\x\"]",
		"2[\"\\u12\"]",
		"2[\"\\u12g4\"]",
		"2[\"\\",
		"2[\"a",
		"2[\"a\"]\x0b",
		"2{\"a\":[1]]",
		"2[\"a\",{\"b\":[1}]",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(bad); i++)
		refuse(bad[i], "invalid JSON");
	refuse_len("2[\"a\0\"]", 7, "invalid JSON");
	refuse_len("2[\"a\"]\0", 7, "invalid JSON");
}

static void
test_payload_shapes(void **state)
{
	static const char *const reserved[] = {
		"connect",
		"connect_error",
		"disconnect",
		"disconnecting",
		"newListener",
		"removeListener",
	};
	char buf[64];
	struct sio_packet pkt;

	(void)state;
	refuse("0[]", "CONNECT payload is not an object");
	refuse("0\"x\"", "CONNECT payload is not an object");
	refuse("0null", "CONNECT payload is not an object");
	refuse("0/custom,[{}]", "CONNECT payload is not an object");
	refuse("1{}", "DISCONNECT takes no payload");
	refuse("1/custom,{}", "DISCONNECT takes no payload");
	refuse("1[]", "DISCONNECT takes no payload");
	refuse("1\"\"", "DISCONNECT takes no payload");
	refuse("2{\"a\":1}", "event payload is not an array");
	refuse("2\"a\"", "event payload is not an array");
	refuse("2null", "event payload is not an array");
	refuse("2[]", "event payload is empty");
	refuse("2[ ]", "event payload is empty");
	refuse("2[null]", "event name is not a string or a number");
	refuse("2[true,1]", "event name is not a string or a number");
	refuse("2[[\"a\"]]", "event name is not a string or a number");
	refuse("2[{}]", "event name is not a string or a number");
	refuse("30{}", "ack payload is not an array");
	refuse("30\"x\"", "ack payload is not an array");
	refuse("4[]", "CONNECT_ERROR payload is not an object or a string");
	refuse("4null", "CONNECT_ERROR payload is not an object or a string");
	refuse("41-{}", "attachments on a non-binary packet");
	refuse("51-{}", "event payload is not an array");
	refuse("51-[]", "event payload is empty");
	refuse("51-[null]", "event name is not a string or a number");
	refuse("61-0{}", "ack payload is not an array");

	for (size_t i = 0; i < NELEM(reserved); i++) {
		snprintf(buf, sizeof(buf), "2[\"%s\",1]", reserved[i]);
		refuse(buf, "reserved event name");
		snprintf(buf, sizeof(buf), "2/custom,3[\"%s\"]", reserved[i]);
		refuse(buf, "reserved event name");
		snprintf(buf, sizeof(buf), "51-[\"%s\"," PH(0) "]",
		    reserved[i]);
		refuse(buf, "reserved event name");
	}
	/* The decoded name counts, not its spelling. */
	refuse("2[\"conn\\u0065ct\"]", "reserved event name");
	refuse("2[\"\\u0064isconnect\"]", "reserved event name");
	decode_ok("2[\"Connect\"]", 12, &pkt);
	sio_packet_release(&pkt);
	decode_ok("2[\"connect \"]", 13, &pkt);
	sio_packet_release(&pkt);
	decode_ok("2[\"connect\\u0000\"]", 18, &pkt);
	sio_packet_release(&pkt);
	decode_ok("2[\"connec\"]", 11, &pkt);
	sio_packet_release(&pkt);
}

static void
test_huge_numbers(void **state)
{
	static const char *const big[] = {
		"2[1e400]",
		"2[\"a\",-1e400]",
		"2[\"a\",123456789012345678901234567890]",
		"2[\"a\",1e-400,-0.0E+00]",
		"30[9007199254740993]",
		"0{\"n\":1E400}",
	};
	struct sio_packet pkt;

	(void)state;
	for (size_t i = 0; i < NELEM(big); i++) {
		const char *in = big[i];
		size_t skip = in[0] == '3' ? 2 : 1;

		decode_ok(in, strlen(in), &pkt);
		assert_int_equal(pkt.json_len, strlen(in) - skip);
		assert_memory_equal(pkt.json, in + skip, pkt.json_len);
		sio_packet_release(&pkt);
	}
}

/* "2[" then 'depth' - 1 nested arrays or objects, then "]". */
static char *
nested(int depth, int objects)
{
	size_t len = 8 + (size_t)depth * 8;
	char *s = malloc(len), *p = s;

	assert_non_null(s);
	*p++ = '2';
	*p++ = '[';
	memcpy(p, "\"a\",", 4);
	p += 4;
	for (int i = 1; i < depth; i++) {
		if (objects) {
			memcpy(p, "{\"k\":", 5);
			p += 5;
		} else {
			*p++ = '[';
		}
	}
	*p++ = '0';
	for (int i = 1; i < depth; i++)
		*p++ = objects ? '}' : ']';
	*p++ = ']';
	*p = '\0';
	return s;
}

static void
test_deep_nesting(void **state)
{
	struct sio_packet pkt;
	char *s;

	(void)state;
	for (int objects = 0; objects <= 1; objects++) {
		s = nested(64, objects);
		decode_ok(s, strlen(s), &pkt);
		assert_int_equal(pkt.json_len, strlen(s) - 1);
		sio_packet_release(&pkt);
		free(s);
		s = nested(65, objects);
		refuse(s, "invalid JSON");
		free(s);
		s = nested(100000, objects);
		refuse(s, "invalid JSON");
		free(s);
	}
}

static void
test_error_buffer(void **state)
{
	struct sio_packet pkt;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	errno = 0;
	assert_int_equal(sio_decode("7", 1, &pkt, err, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(err[0], 'x'); /* errlen 0: untouched */
	assert_int_equal(sio_decode("7", 1, &pkt, NULL, 0), -1);
	assert_int_equal(sio_decode("7", 1, &pkt, err, 4), -1);
	assert_string_equal(err, "unk"); /* cut and terminated */
	assert_int_equal(err[4], 'x');
}

static void
test_release_twice(void **state)
{
	struct sio_packet pkt;

	(void)state;
	decode_ok("2[\"a\",{\"b\":[1,2,3]}]", 20, &pkt);
	assert_int_equal(jv_get_kind(pkt.data), JV_KIND_ARRAY);
	sio_packet_release(&pkt);
	sio_packet_release(&pkt);
	assert_int_equal(jv_get_kind(pkt.data), JV_KIND_INVALID);
}

static long
encode(char *out, size_t cap, enum sio_type type, const char *nsp,
    int64_t ack_id, unsigned attachments, const char *json)
{
	struct sio_header h;

	h.type = type;
	h.nsp = nsp;
	h.nsp_len = nsp ? strlen(nsp) : 0;
	h.ack_id = ack_id;
	h.attachments = attachments;
	return sio_encode(out, cap, &h, json, json ? strlen(json) : 0);
}

static void
check_encode(enum sio_type type, const char *nsp, int64_t ack_id,
    unsigned attachments, const char *json, const char *want)
{
	char out[512];
	long n;

	memset(out, '#', sizeof(out));
	n = encode(out, sizeof(out), type, nsp, ack_id, attachments, json);
	if (n < 0 || (size_t)n != strlen(want) ||
	    memcmp(out, want, (size_t)n) != 0)
		fail_msg("encoded \"%.*s\", want \"%s\"", n < 0 ? 0 : (int)n,
		    out, want);
	assert_int_equal(out[n], '#');
}

static void
test_encode_exact(void **state)
{
	(void)state;
	check_encode(SIO_EVENT, "/", SIO_NO_ACK, 0, "[\"a\",1]",
	    "42[\"a\",1]");
	check_encode(SIO_EVENT, "/custom", SIO_NO_ACK, 0, "[\"a\",1]",
	    "42/custom,[\"a\",1]");
	check_encode(SIO_ACK, "/custom", 5, 0, "[\"ok\"]",
	    "43/custom,5[\"ok\"]");
	check_encode(SIO_BINARY_EVENT, "/", SIO_NO_ACK, 1, "[\"a\"," PH(0) "]",
	    "451-[\"a\"," PH(0) "]");
	check_encode(SIO_BINARY_ACK, "/custom", SIO_ACK_MAX, 64, "[]",
	    "4664-/custom,9007199254740991[]");
	check_encode(SIO_CONNECT, "/", SIO_NO_ACK, 0, "{\"sid\":\"x\"}",
	    "40{\"sid\":\"x\"}");
	check_encode(SIO_CONNECT_ERROR, "/", SIO_NO_ACK, 0,
	    "{\"message\":\"Invalid namespace\"}",
	    "44{\"message\":\"Invalid namespace\"}");
	check_encode(SIO_DISCONNECT, "/", SIO_NO_ACK, 0, NULL, "41");
	check_encode(SIO_DISCONNECT, "/custom", SIO_NO_ACK, 0, "",
	    "41/custom,");
	check_encode(SIO_EVENT, "/", 0, 0, "[\"a\"]", "420[\"a\"]");
	/* No namespace given is the default one. */
	check_encode(SIO_EVENT, NULL, SIO_NO_ACK, 0, "[\"a\"]", "42[\"a\"]");
}

static void
test_encode_measure_and_capacity(void **state)
{
	static const char want[] = "43/custom,12[\"ok\"]";
	const size_t n = sizeof(want) - 1;
	char out[64];

	(void)state;
	assert_int_equal(encode(NULL, 0, SIO_ACK, "/custom", 12, 0,
	                     "[\"ok\"]"),
	    n);
	memset(out, '#', sizeof(out));
	errno = 0;
	assert_int_equal(encode(out, n - 1, SIO_ACK, "/custom", 12, 0,
	                     "[\"ok\"]"),
	    -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(out[0], '#'); /* nothing written */
	assert_int_equal(encode(out, 1, SIO_ACK, "/custom", 12, 0, "[\"ok\"]"),
	    -1);
	assert_int_equal(encode(NULL, 64, SIO_ACK, "/custom", 12, 0,
	                     "[\"ok\"]"),
	    -1);
	assert_int_equal(encode(out, n, SIO_ACK, "/custom", 12, 0, "[\"ok\"]"),
	    n);
	assert_memory_equal(out, want, n);
	assert_int_equal(out[n], '#');
	/* The smallest packet. */
	assert_int_equal(encode(NULL, 0, SIO_DISCONNECT, "/", SIO_NO_ACK, 0,
	                     NULL),
	    2);
	assert_int_equal(encode(out, 1, SIO_DISCONNECT, "/", SIO_NO_ACK, 0,
	                     NULL),
	    -1);
}

static void
test_encode_refuses_bad_headers(void **state)
{
	char out[512], nsp[SIO_NSP_MAX + 2];
	struct sio_header h;

	(void)state;
#define BAD(...) \
	do { \
		errno = 0; \
		assert_int_equal(encode(out, sizeof(out), __VA_ARGS__, \
		                     "[\"a\"]"), \
		    -1); \
		assert_int_equal(errno, EINVAL); \
		assert_int_equal(encode(NULL, 0, __VA_ARGS__, "[\"a\"]"), \
		    -1); \
	} while (0)
	BAD((enum sio_type)7, "/", SIO_NO_ACK, 0);
	BAD((enum sio_type)(-1), "/", SIO_NO_ACK, 0);
	BAD(SIO_EVENT, "/", SIO_NO_ACK, 1);
	BAD(SIO_BINARY_EVENT, "/", SIO_NO_ACK, 0);
	BAD(SIO_BINARY_EVENT, "/", SIO_NO_ACK, SIO_ATTACHMENTS_MAX + 1);
	BAD(SIO_EVENT, "/", -2, 0);
	BAD(SIO_EVENT, "/", SIO_ACK_MAX + 1, 0);
	BAD(SIO_EVENT, "/", INT64_MAX, 0);
	BAD(SIO_CONNECT, "/", 1, 0);
	BAD(SIO_ACK, "/", SIO_NO_ACK, 0);
	BAD(SIO_EVENT, "custom", SIO_NO_ACK, 0);
	BAD(SIO_EVENT, "/a,b", SIO_NO_ACK, 0);
	BAD(SIO_EVENT, "/a\nb", SIO_NO_ACK, 0);
	BAD(SIO_EVENT, "/\xff", SIO_NO_ACK, 0);
#undef BAD
	nsp[0] = '/';
	memset(nsp + 1, 'n', SIO_NSP_MAX);
	nsp[SIO_NSP_MAX + 1] = '\0';
	assert_int_equal(encode(out, sizeof(out), SIO_EVENT, nsp, SIO_NO_ACK,
	                     0, "[]"),
	    -1);
	nsp[SIO_NSP_MAX] = '\0';
	assert_int_equal(encode(out, sizeof(out), SIO_EVENT, nsp, SIO_NO_ACK,
	                     0, "[]"),
	    2 + SIO_NSP_MAX + 1 + 2);
	/* A length without text. */
	memset(&h, 0, sizeof(h));
	h.type = SIO_EVENT;
	h.ack_id = SIO_NO_ACK;
	assert_int_equal(sio_encode(out, sizeof(out), &h, NULL, 3), -1);
}

static void
test_event_reserved(void **state)
{
	(void)state;
	assert_true(sio_event_reserved("connect", 7));
	assert_true(sio_event_reserved("connect_error", 13));
	assert_true(sio_event_reserved("disconnect", 10));
	assert_true(sio_event_reserved("disconnecting", 13));
	assert_true(sio_event_reserved("newListener", 11));
	assert_true(sio_event_reserved("removeListener", 14));
	assert_false(sio_event_reserved("connect", 6));
	assert_false(sio_event_reserved("connectx", 8));
	assert_false(sio_event_reserved("Connect", 7));
	assert_false(sio_event_reserved("connect\0", 8));
	assert_false(sio_event_reserved("", 0));
	assert_false(sio_event_reserved("message", 7));
}

/* The one namespace rule the hub, its options and producers share. */
static void
test_nsp_check(void **state)
{
	char long_nsp[SIO_NSP_MAX + 2], err[64];

	(void)state;
	assert_int_equal(sio_nsp_check("/", 1, err, sizeof(err)), 0);
	assert_int_equal(sio_nsp_check("/fleet/caf\xc3\xa9", 12, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(sio_nsp_check("", 0, err, sizeof(err)), -1);
	assert_string_equal(err, "namespace does not start with '/'");
	assert_int_equal(sio_nsp_check("fleet", 5, err, sizeof(err)), -1);
	assert_int_equal(sio_nsp_check("/a,b", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid namespace");
	assert_int_equal(sio_nsp_check("/a\tb", 4, err, sizeof(err)), -1);
	assert_int_equal(sio_nsp_check("/\xff", 2, err, sizeof(err)), -1);
	assert_int_equal(sio_nsp_check("/a\0b", 4, NULL, 0), -1);
	long_nsp[0] = '/';
	memset(long_nsp + 1, 'n', SIO_NSP_MAX);
	assert_int_equal(sio_nsp_check(long_nsp, SIO_NSP_MAX, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(sio_nsp_check(long_nsp, SIO_NSP_MAX + 1, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "namespace too long");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_every_type),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_payload_is_exactly_the_slice),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_ack_ids),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_payload_shapes),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_release_twice),
		cmocka_unit_test(test_encode_exact),
		cmocka_unit_test(test_encode_measure_and_capacity),
		cmocka_unit_test(test_encode_refuses_bad_headers),
		cmocka_unit_test(test_event_reserved),
		cmocka_unit_test(test_nsp_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
