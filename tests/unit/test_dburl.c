/* test_dburl.c - database URLs: parts, escapes, defaults, errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dburl.h"

#define S(x) ((x) ? (x) : "(null)")

struct ucase {
	const char *url;
	const char *user, *password, *host, *database, *socket;
	unsigned port;
};

static const struct ucase good[] = {
	{ "mysql://georoom:georoom@localhost/georoom?socket=/tmp/d/mysqld.sock",
	    "georoom", "georoom", "localhost", "georoom", "/tmp/d/mysqld.sock",
	    0 },
	{ "mysql://u:p@127.0.0.1:3307/db", "u", "p", "127.0.0.1", "db", NULL,
	    3307 },
	{ "mysql://db.example:3306", NULL, NULL, "db.example", NULL, NULL,
	    3306 },
	{ "mysql:///geo", NULL, NULL, NULL, "geo", NULL, 0 },
	{ "mysql://", NULL, NULL, NULL, NULL, NULL, 0 },
	{ "MySQL://u@h/", "u", NULL, "h", NULL, NULL, 0 },
	{ "mariadb://u:@h/d", "u", "", "h", "d", NULL, 0 },
	{ "mysql://us%40er:p%3Aa%2Fs%40s%23@h/d%20b", "us@er", "p:a/s@s#", "h",
	    "d b", NULL, 0 },
	{ "mysql://u:p@ss@h/d", "u", "p@ss", "h", "d", NULL, 0 },
	{ "mysql://[::1]:3306/d", NULL, NULL, "::1", "d", NULL, 3306 },
	{ "mysql://[::1]/d", NULL, NULL, "::1", "d", NULL, 0 },
	{ "mysql://u@localhost/d?socket=%2Frun%2Fmy%20sql.sock", "u", NULL,
	    "localhost", "d", "/run/my sql.sock", 0 },
	{ "mysql:///d?socket=/a&socket=/b", NULL, NULL, NULL, "d", "/b", 0 },
};

static void
test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct ucase *c = &good[i];
		struct dburl u;
		char err[128] = "";

		dburl_init(&u);
		if (dburl_parse(&u, c->url, err, sizeof(err)) == -1)
			fail_msg("%s: %s", c->url, err);
		if (strcmp(S(u.user), S(c->user)) != 0 ||
		    strcmp(S(u.password), S(c->password)) != 0 ||
		    strcmp(S(u.host), S(c->host)) != 0 ||
		    strcmp(S(u.database), S(c->database)) != 0 ||
		    strcmp(S(u.socket), S(c->socket)) != 0 ||
		    u.port != c->port)
			fail_msg("%s: got user %s password %s host %s db %s "
			         "socket %s port %u",
			    c->url, S(u.user), S(u.password), S(u.host),
			    S(u.database), S(u.socket), u.port);
		dburl_release(&u);
	}
}

struct bcase {
	const char *url;
	const char *error;
};

static const struct bcase bad[] = {
	{ "postgres://u:secret@h/d", "expected a URL starting with mysql://" },
	{ "georoom", "expected a URL starting with mysql://" },
	{ "mysql://u:secret@h:0/d",
	    "port \"0\" is not a number from 1 to "
	    "65535" },
	{ "mysql://u:secret@h:65536/d",
	    "port \"65536\" is not a number from "
	    "1 to 65535" },
	{ "mysql://u:secret@h:x/d",
	    "port \"x\" is not a number from 1 to "
	    "65535" },
	{ "mysql://u:secret@h:/d",
	    "port \"\" is not a number from 1 to "
	    "65535" },
	{ "mysql://u:se%2xret@h/d", "bad %-escape in the password" },
	{ "mysql://u:se%00cret@h/d", "bad %-escape in the password" },
	{ "mysql://u:secret@h/d%", "bad %-escape in the database name" },
	{ "mysql://u:secret@h/d/e", "the database name may not contain '/'" },
	{ "mysql://u:secret@h/d?sock=/x",
	    "unknown parameter \"sock\" (known: "
	    "socket=PATH)" },
	{ "mysql://u:secret@h/d?ssl",
	    "unknown parameter \"ssl\" (known: "
	    "socket=PATH)" },
	{ "mysql://u:sec#ret@h/d",
	    "a fragment ('#') has no meaning here; "
	    "write '#' in a password as %23" },
	/* A '/' or '?' in a password ends the host early: nothing of what
	 * follows is quoted. */
	{ "mysql://u:sec/ret@h/d",
	    "an '@' after the host: write '/', '?' and '@' in a password or "
	    "user name as %2F, %3F and %40" },
	{ "mysql://u:sec?ret@h/d",
	    "an '@' after the host: write '/', '?' and '@' in a password or "
	    "user name as %2F, %3F and %40" },
	{ "mysql://u:secret@[::1/d", "missing ']' after the IPv6 address" },
	{ "mysql://u:secret@[::1]x/d", "unexpected text after ']'" },
};

static void
test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dburl u;
		char err[128] = "";

		dburl_init(&u);
		if (dburl_parse(&u, bad[i].url, err, sizeof(err)) != -1)
			fail_msg("%s: accepted", bad[i].url);
		if (strcmp(err, bad[i].error) != 0)
			fail_msg("%s:\n got:  %s\n want: %s", bad[i].url, err,
			    bad[i].error);
		assert_null(strstr(err, "secret"));
		assert_null(strstr(err, "ret@"));
		assert_null(strstr(err, "\"sec"));
		assert_null(u.user);
		assert_null(u.password);
		assert_null(u.host);
		dburl_release(&u);
	}
}

static void
test_reparse_releases(void **state)
{
	struct dburl u;
	char err[128];

	(void)state;
	dburl_init(&u);
	assert_int_equal(dburl_parse(&u, "mysql://a:b@c:1/d?socket=/e", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(dburl_parse(&u, "mysql://x@y", err, sizeof(err)), 0);
	assert_string_equal(u.user, "x");
	assert_null(u.password);
	assert_null(u.socket);
	assert_int_equal(u.port, 0);
	dburl_release(&u);
	dburl_release(&u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_reparse_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
