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
	    "\"chat\",\"data\":{\"a\":1},\"id\":7}", &req, &id, err), 0);
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
	    "\"S\",\"event\":\"e\",\"args\":[1,\"2\"]}", &req, &id, err), 0);
	assert_string_equal(jv_string_value(req.ns), "/x");
	assert_string_equal(jv_string_value(req.socket), "S");
	assert_json(jv_copy(req.args), "[1,\"2\"]");
	jv_free(id);
	ctl_request_release(&req);
	assert_int_equal(parse("{\"op\":\"emit\",\"room\":\"r\",\"event\":"
	    "\"e\"}", &req, &id, err), 0);
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
		    "\"args\":{}}", "\"args\" must be an array" },
		{ "{\"op\":\"rooms\",\"ns\":\"x\"}",
		    "\"ns\" must start with '/' and be at most 255 bytes" },
		{ "{\"op\":\"disconnect\"}", "disconnect needs \"socket\"" },
	};
	struct ctl_request req;
	char err[256];
	size_t i;
	jv id;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(cases[i].line, &req, &id, err), -1);
		assert_true(strncmp(err, cases[i].err,
		    strlen(cases[i].err)) == 0);
		jv_free(id);
	}
}

static void
test_error_keeps_the_id(void **state)
{
	struct ctl_request req;
	char err[256];
	jv id, line;

	(void)state;
	assert_int_equal(parse("{\"op\":\"nope\",\"id\":\"x\"}", &req, &id,
	    err), -1);
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
	    jv_number(3)), jv_invalid());
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
	    sizeof(buf)), 0);
	assert_string_equal(buf, "/tmp/s");
	assert_int_equal(ctl_default_path("", "/run/user/1", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "/run/user/1/georoom/control.sock");
	assert_int_equal(ctl_default_path(NULL, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/georoom/control.sock");
	errno = 0;
	assert_int_equal(ctl_default_path(NULL, NULL, small, sizeof(small)),
	    -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emit_with_data),
		cmocka_unit_test(test_emit_with_args_socket_and_ns),
		cmocka_unit_test(test_bad_requests_name_the_problem),
		cmocka_unit_test(test_error_keeps_the_id),
		cmocka_unit_test(test_ok_reply),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
