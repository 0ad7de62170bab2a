/* test_eventfmt.c - the lines printed for events and acks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eventfmt.h"

static void
assert_text(jv got, const char *want)
{
	assert_true(jv_get_kind(got) == JV_KIND_STRING);
	assert_string_equal(jv_string_value(got), want);
	jv_free(got);
}

/* Payload as received, the line, and its data. */
static const struct {
	const char *json, *line, *data;
} events[] = {
	{ "[\"chat\",{\"userId\":7}]",
	    "{\"event\":\"chat\",\"data\":{\"userId\":7},\"args\":[{\"userId\":7}],"
	    "\"ns\":\"/\"}",
	    "{\"userId\":7}" },
	{ "[\"ping\"]",
	    "{\"event\":\"ping\",\"data\":null,\"args\":[],\"ns\":\"/\"}",
	    "null" },
	{ "[\"e\",1,\"two\",[3,{}]]",
	    "{\"event\":\"e\",\"data\":1,\"args\":[1,\"two\",[3,{}]],\"ns\":\"/\"}",
	    "1" },
	/* Numbers keep their digits; whitespace inside stays. */
	{ "[ \"n\" , 12345678901234567890 , 1.10 ]",
	    "{\"event\":\"n\",\"data\":12345678901234567890,"
	    "\"args\":[12345678901234567890 , 1.10],\"ns\":\"/\"}",
	    "12345678901234567890" },
	/* Socket.IO allows numeric event names. */
	{ "[42,\"x\"]",
	    "{\"event\":42,\"data\":\"x\",\"args\":[\"x\"],\"ns\":\"/\"}",
	    "\"x\"" },
	{ "[\"s\",\"a,]\\\"[\"]",
	    "{\"event\":\"s\",\"data\":\"a,]\\\"[\",\"args\":[\"a,]\\\"[\"],"
	    "\"ns\":\"/\"}",
	    "\"a,]\\\"[\"" },
};

static void
test_event_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		const char *j = events[i].json;

		assert_text(eventfmt_event(j, strlen(j), "/"), events[i].line);
		assert_text(eventfmt_data(j, strlen(j), 1), events[i].data);
	}
}

static void
test_namespace_is_quoted(void **state)
{
	(void)state;
	assert_text(eventfmt_event("[\"e\"]", 5, "/a\"b"),
	    "{\"event\":\"e\",\"data\":null,\"args\":[],\"ns\":\"/a\\\"b\"}");
}

static void
test_ack_lines(void **state)
{
	(void)state;
	assert_text(eventfmt_ack("chat", "[{\"ok\":1}]", 10, "/other"),
	    "{\"ack\":\"chat\",\"data\":{\"ok\":1},\"args\":[{\"ok\":1}],"
	    "\"ns\":\"/other\"}");
	assert_text(eventfmt_ack("e", "[]", 2, "/"),
	    "{\"ack\":\"e\",\"data\":null,\"args\":[],\"ns\":\"/\"}");
	assert_text(eventfmt_data("[\"1\",2]", 7, 0), "\"1\"");
}

static void
test_not_arrays(void **state)
{
	static const char *const bad[] = {
		"",
		"{}",
		"[",
		"[1",
		"[1,]",
		"[1 2]",
		"\"e\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		jv v = eventfmt_event(bad[i], strlen(bad[i]), "/");

		assert_false(jv_is_valid(v));
		jv_free(v);
	}
	/* An event needs its name. */
	jv v = eventfmt_event("[]", 2, "/");

	assert_false(jv_is_valid(v));
	jv_free(v);
	v = eventfmt_data("[]", 2, 1);
	assert_false(jv_is_valid(v));
	jv_free(v);
}

static void
test_attachments(void **state)
{
	unsigned char a[] = { 'h', 'i' }, b[] = { 0, 1, 2, 3, 4 };
	struct iovec att[] = { { a, 2 }, { b, 5 } };
	jv data = jv_parse("[\"bin\",{\"_placeholder\":true,\"num\":1},"
	                   "{\"x\":[{\"_placeholder\":true,\"num\":0}],"
	                   "\"y\":{\"_placeholder\":true,\"num\":9}}]");

	(void)state;
	data = eventfmt_attach(data, att, 2);
	assert_text(jv_dump_string(data, 0),
	    "[\"bin\",{\"base64\":\"AAECAwQ=\"},{\"x\":[{\"base64\":\"aGk=\"}],"
	    "\"y\":null}]");
	/* Lengths 0 to 3 of base64. */
	{
		unsigned char c[] = { 'a', 'b', 'c' };
		struct iovec one[] = { { c, 0 }, { c, 1 }, { c, 3 } };

		data = jv_parse("[{\"_placeholder\":true,\"num\":0},"
		                "{\"_placeholder\":true,\"num\":1},"
		                "{\"_placeholder\":true,\"num\":2}]");
		data = eventfmt_attach(data, one, 3);
		assert_text(jv_dump_string(data, 0),
		    "[{\"base64\":\"\"},{\"base64\":\"YQ==\"},"
		    "{\"base64\":\"YWJj\"}]");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_lines),
		cmocka_unit_test(test_namespace_is_quoted),
		cmocka_unit_test(test_ack_lines),
		cmocka_unit_test(test_not_arrays),
		cmocka_unit_test(test_attachments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
