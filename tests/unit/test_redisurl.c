/* test_redisurl.c - Redis URLs: parts, escapes, defaults, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "redisurl.h"

#define S(x) ((x) ? (x) : "(null)")

struct ucase {
	const char *url;
	const char *user, *password, *host, *path;
	unsigned port, db;
	const char *where;
};

static const struct ucase good[] = {
	{ "redis://127.0.0.1", NULL, NULL, "127.0.0.1", NULL, 6379, 0,
	    "127.0.0.1:6379" },
	{ "redis://localhost:6380/", NULL, NULL, "localhost", NULL, 6380, 0,
	    "localhost:6380" },
	{ "REDIS://redis.example:1/15", NULL, NULL, "redis.example", NULL, 1,
	    15, "redis.example:1 db 15" },
	{ "redis://:sekret@h", NULL, "sekret", "h", NULL, 6379, 0, "h:6379" },
	{ "redis://alice:wonder%20land@h:7000/2", "alice", "wonder land", "h",
	    NULL, 7000, 2, "h:7000 db 2" },
	{ "redis://a%40b:p%3Aa%2Fs%40s%23%25@h", "a@b", "p:a/s@s#%", "h", NULL,
	    6379, 0, "h:6379" },
	{ "redis://u:p@ss@h", "u", "p@ss", "h", NULL, 6379, 0, "h:6379" },
	{ "redis://[::1]", NULL, NULL, "::1", NULL, 6379, 0, "[::1]:6379" },
	{ "redis://[::ffff:127.0.0.1]:65535/3", NULL, NULL, "::ffff:127.0.0.1",
	    NULL, 65535, 3, "[::ffff:127.0.0.1]:65535 db 3" },
	{ "redis://h?db=4", NULL, NULL, "h", NULL, 6379, 4, "h:6379 db 4" },
	{ "redis://h/4?db=4", NULL, NULL, "h", NULL, 6379, 4, "h:6379 db 4" },
	{ "redis://h/2147483647", NULL, NULL, "h", NULL, 6379, 2147483647,
	    "h:6379 db 2147483647" },
	{ "redis://:@h", NULL, NULL, "h", NULL, 6379, 0, "h:6379" },
	{ "unix:///run/redis/redis.sock", NULL, NULL, NULL,
	    "/run/redis/redis.sock", 0, 0, "/run/redis/redis.sock" },
	{ "unix:///tmp/my%20redis.sock?db=3", NULL, NULL, NULL,
	    "/tmp/my redis.sock", 0, 3, "/tmp/my redis.sock db 3" },
	{ "unix://alice:pw@/r.sock", "alice", "pw", NULL, "/r.sock", 0, 0,
	    "/r.sock" },
	{ "unix://:pw@/r.sock?db=1&db=1", NULL, "pw", NULL, "/r.sock", 0, 1,
	    "/r.sock db 1" },
};

static void
test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct ucase *c = &good[i];
		struct redisurl u;
		char err[160] = "", where[160];

		redisurl_init(&u);
		if (redisurl_parse(&u, c->url, err, sizeof(err)) == -1)
			fail_msg("%s: %s", c->url, err);
		if (strcmp(S(u.user), S(c->user)) != 0 ||
		    strcmp(S(u.password), S(c->password)) != 0 ||
		    strcmp(S(u.host), S(c->host)) != 0 ||
		    strcmp(S(u.path), S(c->path)) != 0 || u.port != c->port ||
		    u.db != c->db)
			fail_msg("%s: got user %s password %s host %s path %s "
			         "port %u db %u",
			    c->url, S(u.user), S(u.password), S(u.host),
			    S(u.path), u.port, u.db);
		redisurl_where(&u, where, sizeof(where));
		assert_string_equal(where, c->where);
		redisurl_release(&u);
	}
}

struct bcase {
	const char *url;
	const char *reason; /* a part of the reason */
};

/* Each bad URL's password, where it has one, is "hunter2". */
static const struct bcase bad[] = {
	{ "http://h", "starting with redis://" },
	{ "", "starting with redis://" },
	{ "rediss://:hunter2@h", "TLS" },
	{ "redis://", "missing host" },
	{ "redis://:hunter2@", "missing host" },
	{ "redis://:hunter2@:6379", "missing host" },
	{ "redis://h:0", "port" },
	{ "redis://h:65536", "port" },
	{ "redis://h:", "port" },
	{ "redis://h:12ab", "port" },
	{ "redis://h:hunter2", "port" },
	{ "redis://:hunter2", "missing host" },
	{ "redis://h:-1", "port" },
	{ "redis://::1", "brackets" },
	{ "redis://[::1", "missing ']'" },
	{ "redis://[]", "not an IPv6" },
	{ "redis://[h]", "not an IPv6" },
	{ "redis://[::1]x", "after ']'" },
	{ "redis://[::1]:", "port" },
	{ "redis://h%41", "not a name" },
	{ "redis://h st", "not a name" },
	{ "redis://hunter2@h", "needs a password" },
	{ "redis://alice:@h", "needs a password" },
	{ "redis://alice:hunter2%@h", "%-escape in the password" },
	{ "redis://al%zz:hunter2@h", "%-escape in the user" },
	{ "redis://:hunter2%00@h", "%-escape in the password" },
	{ "redis://:hunter2/x@h", "'@' after the host" },
	{ "redis://:hunt?er2@h", "'@' after the host" },
	{ "redis://:hun#ter2@h", "fragment" },
	{ "redis://h/x", "database" },
	{ "redis://h/-1", "database" },
	{ "redis://h/1/2", "database" },
	{ "redis://h/2147483648", "database" },
	{ "redis://h/99999999999", "database" },
	{ "redis://h/1?db=2", "twice" },
	{ "redis://h?db=", "database" },
	{ "redis://h?password=hunter2", "unknown parameter \"password\"" },
	{ "redis://h?foo", "unknown parameter \"foo\"" },
	{ "unix://h/x.sock", "names no host" },
	{ "unix:///", "missing socket path" },
	{ "unix://", "missing socket path" },
	{ "unix:///x%zz", "%-escape in the socket path" },
	{ "unix:///x?db=x", "database" },
	{ "unix:/x.sock", "starting with" },
	{ "unix://:hunter2@h/x", "names no host" },
};

static void
test_bad(void **state)
{
	char long_path[300];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bcase *c = &bad[i];
		struct redisurl u;
		char err[160] = "";

		redisurl_init(&u);
		if (redisurl_parse(&u, c->url, err, sizeof(err)) == 0)
			fail_msg("%s: taken", c->url);
		if (strstr(err, c->reason) == NULL)
			fail_msg("%s: reason \"%s\" lacks \"%s\"", c->url, err,
			    c->reason);
		if (strstr(err, "hunter") != NULL)
			fail_msg("%s: reason \"%s\" repeats the password",
			    c->url, err);
		/* A URL refused leaves nothing behind. */
		assert_null(u.user);
		assert_null(u.password);
		assert_null(u.host);
		assert_null(u.path);
		redisurl_release(&u);
	}
	/* sockaddr_un holds 107 bytes and a NUL. */
	snprintf(long_path, sizeof(long_path), "unix:///%0106d", 0);
	{
		struct redisurl u;
		char err[160];

		redisurl_init(&u);
		assert_int_equal(redisurl_parse(&u, long_path, err,
		                     sizeof(err)),
		    0);
		assert_int_equal(strlen(u.path), 107);
		snprintf(long_path, sizeof(long_path), "unix:///%0107d", 0);
		assert_int_equal(redisurl_parse(&u, long_path, err,
		                     sizeof(err)),
		    -1);
		assert_non_null(strstr(err, "longer than 107"));
		redisurl_release(&u);
	}
}

/* Parsing again releases what the last parse left. */
static void
test_reparse(void **state)
{
	struct redisurl u;
	char err[160];

	(void)state;
	redisurl_init(&u);
	assert_int_equal(redisurl_parse(&u, "redis://a:b@[::1]:7/3", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(u.ipv6, 1);
	assert_int_equal(redisurl_parse(&u, "unix:///s", err, sizeof(err)), 0);
	assert_null(u.user);
	assert_null(u.password);
	assert_null(u.host);
	assert_string_equal(u.path, "/s");
	assert_int_equal(u.port, 0);
	assert_int_equal(u.db, 0);
	assert_int_equal(u.ipv6, 0);
	redisurl_release(&u);
	redisurl_release(&u);
}

/* A short buffer gets what fits, NUL-terminated. */
static void
test_where_cut(void **state)
{
	struct redisurl u;
	char err[160], where[8];

	(void)state;
	redisurl_init(&u);
	assert_int_equal(redisurl_parse(&u, "redis://u:p@longhost:6380/1", err,
	                     sizeof(err)),
	    0);
	redisurl_where(&u, where, sizeof(where));
	assert_string_equal(where, "longhos");
	redisurl_release(&u);
}

/* AUTH as the URL asks: with a user, without, or none. */
static void
test_auth_argv(void **state)
{
	struct redisurl u;
	const char *argv[3];
	char err[160];

	(void)state;
	redisurl_init(&u);
	assert_int_equal(redisurl_parse(&u, "redis://u:p@h", err, sizeof(err)),
	    0);
	assert_int_equal(redisurl_auth_argv(&u, argv), 3);
	assert_string_equal(argv[0], "AUTH");
	assert_string_equal(argv[1], "u");
	assert_string_equal(argv[2], "p");
	assert_int_equal(redisurl_parse(&u, "redis://:p@h", err, sizeof(err)),
	    0);
	assert_int_equal(redisurl_auth_argv(&u, argv), 2);
	assert_string_equal(argv[1], "p");
	assert_int_equal(redisurl_parse(&u, "redis://h", err, sizeof(err)), 0);
	assert_int_equal(redisurl_auth_argv(&u, argv), 0);
	redisurl_release(&u);
}

static void
test_key_valid(void **state)
{
	char key[REDISURL_KEY_MAX + 2];

	(void)state;
	assert_true(redisurl_key_valid("socket.io"));
	assert_false(redisurl_key_valid(""));
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_false(redisurl_key_valid(key));
	key[REDISURL_KEY_MAX] = '\0';
	assert_true(redisurl_key_valid(key));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_reparse),
		cmocka_unit_test(test_where_cut),
		cmocka_unit_test(test_auth_argv),
		cmocka_unit_test(test_key_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
