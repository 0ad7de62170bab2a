/* test_ctl.c - control protocol requests and replies. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ctl.h"

static int
parse(const char *line, struct ctl_request *req, jv *id, char *err)
{
	return ctl_request_parse(line, strlen(line), req, id, err, 256);
}

static void
assert_json(jv v, const char *want)
{
	jv text = jv_dump_string(v, JV_PRINT_SORTED);

	assert_string_equal(jv_string_value(text), want);
	jv_free(text);
}

static void
test_emit_with_data(void **state)
{
	struct ctl_request req;
	char err[256];
	jv id;

	(void)state;
	assert_int_equal(parse("{\"op\":\"emit\",\"room\":\"1\",\"event\":"
	                       "\"chat\",\"data\":{\"a\":1},\"id\":7}",
	                     &req, &id, err),
	    0);
	assert_int_equal(req.op, CTL_EMIT);
	assert_string_equal(jv_string_value(req.ns), "/");
	assert_string_equal(jv_string_value(req.room), "1");
	assert_false(jv_is_valid(req.socket));
	assert_json(jv_copy(req.args), "[{\"a\":1}]");
	assert_json(jv_copy(req.id), "7");
	assert_false(jv_is_valid(id));
	jv_free(id);
	ctl_request_release(&req);
}

static void
test_emit_with_args_socket_and_ns(void **state)
{
	struct ctl_request req;
	char err[256];
	jv id;

	(void)state;
	assert_int_equal(parse("{\"op\":\"emit\",\"ns\":\"/x\",\"socket\":"
	                       "\"S\",\"event\":\"e\",\"args\":[1,\"2\"]}",
	                     &req, &id, err),
	    0);
	assert_string_equal(jv_string_value(req.ns), "/x");
	assert_string_equal(jv_string_value(req.socket), "S");
	assert_json(jv_copy(req.args), "[1,\"2\"]");
	jv_free(id);
	ctl_request_release(&req);
	assert_int_equal(parse("{\"op\":\"emit\",\"room\":\"r\",\"event\":"
	                       "\"e\"}",
	                     &req, &id, err),
	    0);
	assert_json(jv_copy(req.args), "[]");
	jv_free(id);
	ctl_request_release(&req);
}

static void
test_bad_requests_name_the_problem(void **state)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{ "not json", "invalid JSON" },
		{ "[1]", "a request must be a JSON object" },
		{ "{}", "a request needs \"op\", a string" },
		{ "{\"op\":\"fly\"}", "unknown op \"fly\"" },
		{ "{\"op\":\"emit\",\"event\":\"e\"}",
		    "emit needs exactly one of \"room\" and \"socket\"" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"socket\":\"s\","
		  "\"event\":\"e\"}",
		    "emit needs exactly one of \"room\" and \"socket\"" },
		{ "{\"op\":\"emit\",\"room\":\"1\"}", "emit needs \"event\"" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"disconnect\"}",
		    "event \"disconnect\" is reserved" },
		{ "{\"op\":\"emit\",\"room\":1,\"event\":\"e\"}",
		    "\"room\" must be a non-empty string" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
		  "\"data\":1,\"args\":[]}",
		    "\"data\" and \"args\" exclude each other" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
		  "\"args\":{}}",
		    "\"args\" must be an array" },
		{ "{\"op\":\"rooms\",\"ns\":\"x\"}",
		    "\"ns\" must start with '/' and be at most 255 bytes" },
		{ "{\"op\":\"disconnect\"}",
		    "disconnect needs exactly one of \"room\" and \"socket\"" },
		/* jq would take these as null, 1.7976931348623157e+308 and
		 * bytes: refused, naming why. */
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
		  "\"data\":nan}",
		    "invalid JSON: not JSON as RFC 8259 defines it" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
		  "\"data\":-1e400}",
		    "invalid JSON: a number beyond the range of a double" },
		{ "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"e\","
		  "\"data\":\"\xff\"}",
		    "invalid JSON: not UTF-8" },
		/* Names are compared with their length. */
		{ "{\"op\":\"stats\\u0000x\"}", "unknown op \"stats\"" },
	};
	struct ctl_request req;
	char err[256];
	size_t i;
	jv id;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(cases[i].line, &req, &id, err), -1);
		assert_true(
		    strncmp(err, cases[i].err, strlen(cases[i].err)) == 0);
		jv_free(id);
	}
}

/* "disconnect\u0000x" is an event of its own, not the reserved one. */
static void
test_event_names_have_lengths(void **state)
{
	struct ctl_request req;
	char err[256] = "";
	jv id;

	(void)state;
	assert_int_equal(parse("{\"op\":\"emit\",\"room\":\"1\","
	                       "\"event\":\"disconnect\\u0000x\"}",
	                     &req, &id, err),
	    0);
	assert_int_equal(jv_string_length_bytes(jv_copy(req.event)), 12);
	jv_free(id);
	ctl_request_release(&req);
}

static void
test_error_keeps_the_id(void **state)
{
	struct ctl_request req;
	char err[256];
	jv id, line;

	(void)state;
	assert_int_equal(parse("{\"op\":\"nope\",\"id\":\"x\"}", &req, &id,
	                     err),
	    -1);
	line = ctl_reply_error(err, id);
	assert_string_equal(jv_string_value(line),
	    "{\"ok\":false,\"id\":\"x\",\"error\":\"unknown op \\\"nope\\\"\"}\n");
	jv_free(line);
}

static void
test_ok_reply(void **state)
{
	jv line;

	(void)state;
	line = ctl_reply_ok(jv_object_set(jv_object(), jv_string("reached"),
	                        jv_number(3)),
	    jv_invalid());
	assert_string_equal(jv_string_value(line),
	    "{\"ok\":true,\"reached\":3}\n");
	jv_free(line);
	line = ctl_reply_ok(jv_object(), jv_number(1));
	assert_string_equal(jv_string_value(line), "{\"ok\":true,\"id\":1}\n");
	jv_free(line);
}

static void
test_default_path(void **state)
{
	char buf[108], small[10];

	(void)state;
	assert_int_equal(ctl_default_path("/tmp/s", "/run/user/1", buf,
	                     sizeof(buf)),
	    0);
	assert_string_equal(buf, "/tmp/s");
	assert_int_equal(ctl_default_path("", "/run/user/1", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "/run/user/1/georoom/control.sock");
	assert_int_equal(ctl_default_path(NULL, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/georoom/control.sock");
	errno = 0;
	assert_int_equal(ctl_default_path(NULL, NULL, small, sizeof(small)),
	    -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

/* A built request is one the hub's parser reads back as meant. */
static void
test_requests_built(void **state)
{
	struct ctl_request req;
	char err[256];
	jv text, id;

	(void)state;
	text = ctl_req_emit("/fleet", "42", NULL, "chat",
	    "{\"n\":100000000000000000001}", 27);
	assert_string_equal(jv_string_value(text),
	    "{\"op\":\"emit\","
	    "\"ns\":\"/fleet\",\"room\":\"42\",\"event\":\"chat\","
	    "\"data\":{\"n\":100000000000000000001}}");
	assert_int_equal(parse(jv_string_value(text), &req, &id, err), 0);
	assert_int_equal(req.op, CTL_EMIT);
	assert_string_equal(jv_string_value(req.room), "42");
	jv_free(text);
	jv_free(id);
	ctl_request_release(&req);

	text = ctl_req_emit(NULL, NULL, "S\"1", "e", NULL, 0);
	assert_string_equal(jv_string_value(text),
	    "{\"op\":\"emit\","
	    "\"socket\":\"S\\\"1\",\"event\":\"e\"}");
	assert_int_equal(parse(jv_string_value(text), &req, &id, err), 0);
	assert_string_equal(jv_string_value(req.socket), "S\"1");
	assert_json(jv_copy(req.args), "[]");
	jv_free(text);
	jv_free(id);
	ctl_request_release(&req);

	assert_json(ctl_req_stats(), "{\"op\":\"stats\"}");
	assert_json(ctl_req_rooms("/x"), "{\"ns\":\"/x\",\"op\":\"rooms\"}");
	assert_json(ctl_req_sockets(NULL, "1"),
	    "{\"op\":\"sockets\",\"room\":\"1\"}");
	assert_json(ctl_req_sockets("/", NULL),
	    "{\"ns\":\"/\",\"op\":\"sockets\"}");
	assert_json(ctl_req_disconnect(NULL, "S"),
	    "{\"op\":\"disconnect\",\"socket\":\"S\"}");
}

static void
reply_is(const char *line, enum ctl_status want, const char *error)
{
	struct ctl_reply r;

	assert_int_equal(ctl_reply_parse(line, strlen(line), &r),
	    want == CTL_OK ? 0 : -1);
	assert_int_equal(r.status, want);
	assert_int_equal(jv_is_valid(r.body), want != CTL_ERR_PROTOCOL);
	/* A prefix: jq's words about bad JSON vary between versions. */
	assert_memory_equal(r.error, error, strlen(error) + (*error == '\0'));
	ctl_reply_release(&r);
}

/* Replies come as classes: ok, refused with the hub's reason, or broken. */
static void
test_replies_parsed(void **state)
{
	struct ctl_reply r;
	jv line;

	(void)state;
	reply_is("{\"ok\":true,\"reached\":2}", CTL_OK, "");
	reply_is("{\"ok\":false,\"error\":\"unknown namespace \\\"/x\\\"\"}",
	    CTL_ERR_REFUSED, "unknown namespace \"/x\"");
	reply_is("{\"ok\":false}", CTL_ERR_REFUSED, "no reason given");
	reply_is("{\"ok\":false,\"error\":\"\"}", CTL_ERR_REFUSED,
	    "no reason given");
	reply_is("nonsense", CTL_ERR_PROTOCOL, "bad reply from the hub: ");
	reply_is("[1]", CTL_ERR_PROTOCOL,
	    "bad reply from the hub: not an object");
	reply_is("{\"reached\":2}", CTL_ERR_PROTOCOL,
	    "bad reply from the hub: no boolean \"ok\"");
	reply_is("{\"ok\":1}", CTL_ERR_PROTOCOL,
	    "bad reply from the hub: no boolean \"ok\"");

	/* What the hub's half builds, the producer's half reads. */
	line = ctl_reply_ok(jv_object_set(jv_object(), jv_string("reached"),
	                        jv_number(3)),
	    jv_number(9));
	assert_int_equal(ctl_reply_parse(jv_string_value(line),
	                     (size_t)jv_string_length_bytes(jv_copy(line)) - 1,
	                     &r),
	    0);
	assert_json(jv_object_get(jv_copy(r.body), jv_string("id")), "9");
	ctl_reply_release(&r);
	jv_free(line);
	line = ctl_reply_error("emit needs \"event\"", jv_invalid());
	assert_int_equal(ctl_reply_parse(jv_string_value(line),
	                     (size_t)jv_string_length_bytes(jv_copy(line)) - 1,
	                     &r),
	    -1);
	assert_int_equal(r.status, CTL_ERR_REFUSED);
	assert_string_equal(r.error, "emit needs \"event\"");
	ctl_reply_release(&r);
	jv_free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit_with_data),
		cmocka_unit_test(test_emit_with_args_socket_and_ns),
		cmocka_unit_test(test_bad_requests_name_the_problem),
		cmocka_unit_test(test_event_names_have_lengths),
		cmocka_unit_test(test_error_keeps_the_id),
		cmocka_unit_test(test_ok_reply),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_requests_built),
		cmocka_unit_test(test_replies_parsed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
