/* test_authz.c - claims to permissions; the sender's userId. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "authz.h"
#include "jsonv.h"

static jv
parse(const char *text)
{
	jv v;

	if (jsonv_parse(text, strlen(text), 16, 0, &v) != 0)
		fail_msg("bad test JSON: %s", text);
	return v;
}

static void
init_ok(struct authz *a, const char *claims)
{
	char err[128] = "";
	jv c = parse(claims);

	if (authz_init(a, c, err, sizeof(err)) != 0)
		fail_msg("%s refused: %s", claims, err);
	jv_free(c);
}

static void
init_bad(const char *claims, const char *why)
{
	struct authz a;
	char err[128] = "";
	jv c = parse(claims);

	errno = 0;
	assert_int_equal(authz_init(&a, c, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	if (strstr(err, why) == NULL)
		fail_msg("%s: \"%s\" does not say \"%s\"", claims, err, why);
	jv_free(c);
}

static int
join(const struct authz *a, const char *room)
{
	return authz_may_join(a, room, strlen(room));
}

static int
pub(const struct authz *a, const char *room, int joined)
{
	return authz_may_publish(a, room, strlen(room), joined);
}

static void
test_claims(void **state)
{
	struct authz a;

	(void)state;
	init_ok(&a, "{\"sub\":5}");
	assert_true(jv_equal(jv_copy(a.sub), jv_number(5)));
	assert_false(a.rooms.present);
	assert_false(a.publish.present);
	authz_release(&a);
	init_ok(&a, "{\"sub\":\"alice\",\"rooms\":[],\"publish\":[\"1\"]}");
	assert_true(a.rooms.present);
	assert_int_equal(a.rooms.n, 0);
	assert_int_equal(a.publish.n, 1);
	authz_release(&a);

	init_bad("{}", "\"sub\"");
	init_bad("{\"sub\":\"\"}", "\"sub\"");
	init_bad("{\"sub\":null}", "\"sub\"");
	init_bad("{\"sub\":[5]}", "\"sub\"");
	init_bad("{\"sub\":5,\"rooms\":\"1\"}", "\"rooms\" must be an array");
	init_bad("{\"sub\":5,\"rooms\":[1]}", "non-empty strings");
	init_bad("{\"sub\":5,\"publish\":[\"a\",\"\"]}", "\"publish\"");
}

static void
test_join(void **state)
{
	struct authz a;

	(void)state;
	init_ok(&a, "{\"sub\":5}");
	assert_true(join(&a, "anything"));
	authz_release(&a);

	init_ok(&a, "{\"sub\":5,\"rooms\":[\"1\",\"fleet-7:*\"]}");
	assert_true(join(&a, "1"));
	assert_false(join(&a, "2"));
	assert_false(join(&a, "10"));
	assert_false(join(&a, ""));
	assert_true(join(&a, "fleet-7:"));
	assert_true(join(&a, "fleet-7:truck-3"));
	assert_false(join(&a, "fleet-7"));
	assert_false(join(&a, "fleet-70:x"));
	/* Names are bytes with a length: a NUL does not end them. */
	assert_false(authz_may_join(&a, "1\0x", 3));
	assert_true(authz_may_join(&a, "fleet-7:\0x", 10));
	authz_release(&a);

	init_ok(&a, "{\"sub\":5,\"rooms\":[\"*\"]}");
	assert_true(join(&a, "x"));
	authz_release(&a);
	init_ok(&a, "{\"sub\":5,\"rooms\":[]}");
	assert_false(join(&a, "x"));
	authz_release(&a);
}

static void
test_publish(void **state)
{
	struct authz a;

	(void)state;
	/* Without "publish": the rooms joined, whatever "rooms" says. */
	init_ok(&a, "{\"sub\":5,\"rooms\":[\"1\"]}");
	assert_true(pub(&a, "1", 1));
	assert_false(pub(&a, "1", 0));
	assert_false(pub(&a, "2", 0));
	authz_release(&a);
	/* With it: its rooms, joined or not, and no others. */
	init_ok(&a, "{\"sub\":5,\"publish\":[\"alerts\",\"fleet-*\"]}");
	assert_true(pub(&a, "alerts", 0));
	assert_true(pub(&a, "fleet-9", 0));
	assert_false(pub(&a, "1", 1));
	authz_release(&a);
}

static void
expect_user(const char *claims, const char *obj, const char *want)
{
	struct authz a;
	size_t n = 0;
	char *got;

	init_ok(&a, claims);
	got = authz_with_user(&a, obj, strlen(obj), &n);
	assert_non_null(got);
	assert_int_equal(n, strlen(want));
	assert_string_equal(got, want);
	free(got);
	authz_release(&a);
}

static void
test_with_user(void **state)
{
	struct authz a;
	size_t n;

	(void)state;
	expect_user("{\"sub\":5}",
	    "{\"userId\":99,\"message\":\"hi\",\"roomName\":\"1\"}",
	    "{\"userId\":5,\"message\":\"hi\",\"roomName\":\"1\"}");
	expect_user("{\"sub\":\"alice\"}", "{}", "{\"userId\":\"alice\"}");
	expect_user("{\"sub\":5}", " { } ", "{\"userId\":5}");
	/* Every userId goes, however written; the rest stays as written. */
	expect_user("{\"sub\":5}",
	    "{ \"a\" : [1, {\"userId\":1}] , \"userId\":1,"
	    "\"user\\u0049d\":2,\"userId\":{\"x\":1},\"big\":"
	    "12345678901234567890}",
	    "{\"userId\":5,\"a\" : [1, {\"userId\":1}],\"big\":"
	    "12345678901234567890}");
	expect_user("{\"sub\":\"a\\\"b\"}", "{\"userIdx\":1}",
	    "{\"userId\":\"a\\\"b\",\"userIdx\":1}");

	init_ok(&a, "{\"sub\":5}");
	errno = 0;
	assert_null(authz_with_user(&a, "[1]", 3, &n));
	assert_int_equal(errno, EINVAL);
	authz_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_with_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
