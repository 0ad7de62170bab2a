/* test_httpreq.c - request heads: lines, limits, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "httpreq.h"

static enum httpreq_status
parse(struct httpreq *r, const char *s, size_t max)
{
	return httpreq_parse(r, s, strlen(s), max);
}

static void
test_whole_head(void **state)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\n"
	                          "Host: localhost:9300\r\n"
	                          "Accept: text/plain;version=0.0.4\r\n"
	                          "\r\n"
	                          "body";
	struct httpreq r;

	(void)state;
	assert_int_equal(parse(&r, req, 4096), HTTPREQ_DONE);
	assert_true(httpreq_method_is(&r, "GET"));
	assert_false(httpreq_method_is(&r, "GE"));
	assert_false(httpreq_method_is(&r, "get"));
	assert_int_equal(r.path_len, 8);
	assert_memory_equal(r.path, "/metrics", 8);
	assert_null(r.query);
	assert_int_equal(r.minor, 1);
	assert_int_equal(r.head_len, sizeof(req) - 1 - 4);
}

static void
test_query_and_bare_lf(void **state)
{
	struct httpreq r;

	(void)state;
	assert_int_equal(parse(&r, "HEAD /healthz?x=1&y HTTP/1.0\n\n", 4096),
	    HTTPREQ_DONE);
	assert_true(httpreq_method_is(&r, "HEAD"));
	assert_int_equal(r.path_len, 8);
	assert_memory_equal(r.path, "/healthz", 8);
	assert_int_equal(r.query_len, 5);
	assert_memory_equal(r.query, "x=1&y", 5);
	assert_int_equal(r.minor, 0);
	assert_int_equal(r.head_len, 30);
	assert_int_equal(parse(&r, "GET /? HTTP/1.1\r\n\r\n", 4096),
	    HTTPREQ_DONE);
	assert_int_equal(r.path_len, 1);
	assert_non_null(r.query);
	assert_int_equal(r.query_len, 0);
}

/* Each prefix of a good head asks for more, never a verdict. */
static void
test_partial(void **state)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	struct httpreq r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(req) - 1; i++)
		assert_int_equal(httpreq_parse(&r, req, i, 4096),
		    HTTPREQ_PARTIAL);
	assert_int_equal(httpreq_parse(&r, req, i, 4096), HTTPREQ_DONE);
}

static void
test_limit(void **state)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	struct httpreq r;
	size_t n = sizeof(req) - 1;

	(void)state;
	/* The whole head fits exactly; one byte less does not. */
	assert_int_equal(httpreq_parse(&r, req, n, n), HTTPREQ_DONE);
	assert_int_equal(httpreq_parse(&r, req, n, n - 1), HTTPREQ_TOO_BIG);
	assert_int_equal(httpreq_parse(&r, req, n - 1, n - 1),
	    HTTPREQ_TOO_BIG);
	assert_int_equal(httpreq_parse(&r, req, n - 2, n - 1),
	    HTTPREQ_PARTIAL);
	/* A bad line is bad before the limit is reached. */
	assert_int_equal(httpreq_parse(&r, "X\r\n", 3, 3), HTTPREQ_BAD);
}

/* What cannot become a request line is refused before its end. */
static void
test_early_bad(void **state)
{
	static const char *const bad[] = {
		"\x16\x03\x01",
		" GET",
		"GET  ",
		"GET x",
		"GET /a\tb",
		"GET / X",
		"GET / HTTP/2",
		"GET / HTTP/1.2",
		"GET / HTTP/1.1x",
		"GET / HTTP/1.1\rx",
	};
	static const char *const good[] = {
		"G",
		"GET ",
		"GET /met",
		"GET /metrics ",
		"GET /metrics HTTP/",
		"GET /metrics HTTP/1.1",
		"GET /metrics HTTP/1.1\r",
		"GET / HTTP/1.1\r\nHost: x\r\n",
		"GET / HTTP/1.1\r\nHo st",
	};
	struct httpreq r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(&r, bad[i], 4096), HTTPREQ_BAD);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(parse(&r, good[i], 4096), HTTPREQ_PARTIAL);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "GET / \r\n\r\n",
		"GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 \r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n", "GET / HTTP/1.2\r\n\r\n",
		"GET / http/1.1\r\n\r\n", "GET x HTTP/1.1\r\n\r\n",
		"GET http://h/ HTTP/1.1\r\n\r\n", "GET * HTTP/1.1\r\n\r\n",
		"G(T / HTTP/1.1\r\n\r\n", "GET /a\tb HTTP/1.1\r\n\r\n",
		"GET /\x7f HTTP/1.1\r\n\r\n",
		"GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\r\n\r\n", "GET / HTTP/1.1\r\nHost x\r\n\r\n",
		"GET / HTTP/1.1\r\n: x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
		"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
		"\x16\x03\x01\x02\x05\x01\n", /* TLS */
	};
	struct httpreq r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(&r, bad[i], 4096), HTTPREQ_BAD);
	/* A NUL inside a header line. */
	assert_int_equal(httpreq_parse(&r, "GET / HTTP/1.1\nA: \0\n\n", 21,
	                     4096),
	    HTTPREQ_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_head),
		cmocka_unit_test(test_query_and_bare_lf),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_early_bad),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
