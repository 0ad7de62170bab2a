/* test_wsurl.c - hub URLs, handshake paths and Host headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wsurl.h"

static void
test_parses_schemes_and_defaults(void **state)
{
	struct wsurl u;
	char err[128];

	(void)state;
	assert_int_equal(wsurl_parse("ws://localhost:3030", &u, err,
	                     sizeof(err)),
	    0);
	assert_false(u.tls);
	assert_string_equal(u.host, "localhost");
	assert_int_equal(u.port, 3030);
	assert_string_equal(u.nsp, "/");
	assert_string_equal(u.query, "");

	assert_int_equal(wsurl_parse("WSS://hub.example", &u, err,
	                     sizeof(err)),
	    0);
	assert_true(u.tls);
	assert_int_equal(u.port, 443);
	assert_int_equal(wsurl_parse("http://hub.example/", &u, err,
	                     sizeof(err)),
	    0);
	assert_false(u.tls);
	assert_int_equal(u.port, 80);
	assert_int_equal(wsurl_parse("https://hub.example:8443", &u, err,
	                     sizeof(err)),
	    0);
	assert_true(u.tls);
	assert_int_equal(u.port, 8443);
}

static void
test_path_is_the_namespace_and_query_kept(void **state)
{
	struct wsurl u;
	char err[128];

	(void)state;
	assert_int_equal(wsurl_parse("ws://h:1/admin?token=a%20b&x=1#frag", &u,
	                     err, sizeof(err)),
	    0);
	assert_string_equal(u.nsp, "/admin");
	assert_string_equal(u.query, "token=a%20b&x=1");
	assert_int_equal(wsurl_parse("ws://h?x", &u, err, sizeof(err)), 0);
	assert_string_equal(u.nsp, "/");
	assert_string_equal(u.query, "x");
}

static void
test_ipv6(void **state)
{
	struct wsurl u;
	char err[128], host[64];

	(void)state;
	assert_int_equal(wsurl_parse("ws://[::1]:3030/", &u, err, sizeof(err)),
	    0);
	assert_true(u.ipv6);
	assert_string_equal(u.host, "::1");
	assert_int_equal(wsurl_host_header(&u, host, sizeof(host)), 10);
	assert_string_equal(host, "[::1]:3030");
	assert_int_equal(wsurl_parse("wss://[fe80::1]", &u, err, sizeof(err)),
	    0);
	assert_int_equal(wsurl_host_header(&u, host, sizeof(host)), 9);
	assert_string_equal(host, "[fe80::1]");
}

static void
test_refuses_bad_urls(void **state)
{
	static const char *const bad[] = {
		"",
		"localhost:3030",
		"ftp://h",
		"ws://",
		"ws://:80",
		"ws://h:",
		"ws://h:0",
		"ws://h:65536",
		"ws://h:8o",
		"ws://user:pw@h",
		"ws://h h",
		"ws://[::1",
		"ws://[zz]",
		"ws://h/a,b",
		"ws://h/a b",
		"ws://h/?a b",
	};
	struct wsurl u;
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(wsurl_parse(bad[i], &u, err, sizeof(err)),
		    -1);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(wsurl_parse("ws://u@h", &u, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--header"));
}

static void
test_handshake_path(void **state)
{
	struct wsurl u;
	char err[128], out[256];

	(void)state;
	assert_int_equal(wsurl_parse("ws://h", &u, err, sizeof(err)), 0);
	assert_true(
	    wsurl_handshake_path(&u, "/socket.io/", out, sizeof(out)) > 0);
	assert_string_equal(out, "/socket.io/?EIO=4&transport=websocket");
	/* As socket.io-client: one trailing slash whatever was given. */
	assert_true(wsurl_handshake_path(&u, "/chat", out, sizeof(out)) > 0);
	assert_string_equal(out, "/chat/?EIO=4&transport=websocket");
	assert_true(wsurl_handshake_path(&u, "/", out, sizeof(out)) > 0);
	assert_string_equal(out, "/?EIO=4&transport=websocket");
	assert_int_equal(wsurl_parse("ws://h/?token=x", &u, err, sizeof(err)),
	    0);
	assert_true(wsurl_handshake_path(&u, "/chat/", out, sizeof(out)) > 0);
	assert_string_equal(out, "/chat/?token=x&EIO=4&transport=websocket");
	/* Not a path, or too long. */
	assert_int_equal(wsurl_handshake_path(&u, "chat", out, sizeof(out)),
	    -1);
	assert_int_equal(wsurl_handshake_path(&u, "/a?b", out, sizeof(out)),
	    -1);
	assert_int_equal(wsurl_handshake_path(&u, "", out, sizeof(out)), -1);
	assert_int_equal(wsurl_handshake_path(&u, "/socket.io/", out, 20), -1);
}

static void
test_host_header(void **state)
{
	struct wsurl u;
	char err[128], out[64];

	(void)state;
	assert_int_equal(wsurl_parse("ws://hub:80", &u, err, sizeof(err)), 0);
	assert_int_equal(wsurl_host_header(&u, out, sizeof(out)), 3);
	assert_string_equal(out, "hub");
	assert_int_equal(wsurl_parse("wss://hub:80", &u, err, sizeof(err)), 0);
	assert_int_equal(wsurl_host_header(&u, out, sizeof(out)), 6);
	assert_string_equal(out, "hub:80");
	assert_int_equal(wsurl_host_header(&u, out, 4), -1);
}

static void
test_namespace(void **state)
{
	struct wsurl u;
	const char *ns;
	char err[128];

	(void)state;
	assert_int_equal(wsurl_parse("ws://h/chat", &u, err, sizeof(err)), 0);
	assert_int_equal(wsurl_namespace(&u, NULL, &ns, err, sizeof(err)), 0);
	assert_string_equal(ns, "/chat");
	assert_int_equal(wsurl_namespace(&u, "/chat", &ns, err, sizeof(err)),
	    0);
	assert_int_equal(wsurl_namespace(&u, "/b", &ns, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "the URL names namespace /chat, -n names /b: "
	    "choose one");
	assert_int_equal(wsurl_parse("ws://h", &u, err, sizeof(err)), 0);
	assert_int_equal(wsurl_namespace(&u, "/b", &ns, err, sizeof(err)), 0);
	assert_string_equal(ns, "/b");
	assert_int_equal(wsurl_namespace(&u, "b", &ns, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "namespace 'b' must start with '/' and hold "
	    "no ','");
	assert_int_equal(wsurl_namespace(&u, "/a,b", &ns, err, sizeof(err)),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_schemes_and_defaults),
		cmocka_unit_test(test_path_is_the_namespace_and_query_kept),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refuses_bad_urls),
		cmocka_unit_test(test_handshake_path),
		cmocka_unit_test(test_host_header),
		cmocka_unit_test(test_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
