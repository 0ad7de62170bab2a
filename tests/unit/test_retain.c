/* test_retain.c - each room's last message of the retained events. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "retain.h"

static const uint8_t seed[16] = { 9 };
static const char *const events[] = { "chat", "pos" };
static const int nsp_a = 1, nsp_b = 2; /* opaque namespace keys */

/* A frame holding 'text', with one reference (the test's). */
static struct frame *
msg(const char *text)
{
	struct frame *f = frame_new(strlen(text));

	assert_non_null(f);
	memcpy(f->data, text, strlen(text));
	return f;
}

/* What retain_each() gave, joined by '|'. */
static char seen[512];

static void
note(struct frame *f, void *arg)
{
	size_t at = strlen(seen);

	(void)arg;
	snprintf(seen + at, sizeof(seen) - at, "%s%.*s", at ? "|" : "",
	    (int)f->len, (const char *)f->data);
}

static size_t
each(struct retain *r, const void *nsp, const char *room, int64_t now)
{
	seen[0] = '\0';
	return retain_each(r, nsp, room, strlen(room), now, note, NULL);
}

/* Keeps 'text' as event 'ev' of 'room', dropping the test's reference. */
static int
keep(struct retain *r, const void *nsp, const char *room, int ev,
    const char *text, int64_t now)
{
	struct frame *f = msg(text);
	int rc = retain_keep(r, nsp, room, strlen(room), ev, f, now);

	frame_unref(f);
	return rc;
}

static void
setup_retain(struct retain *r, uint32_t ttl_ms, size_t max_bytes)
{
	struct retain_config cfg = { events, 2, ttl_ms, max_bytes };

	retain_init(r, &cfg, seed);
}

static void
test_event_names(void **state)
{
	struct retain r;

	(void)state;
	setup_retain(&r, 0, 1 << 20);
	assert_true(retain_enabled(&r));
	assert_int_equal(retain_event(&r, "[\"chat\",{}]", 11), 0);
	assert_int_equal(retain_event(&r, " [ \"pos\"]", 9), 1);
	/* Escaped, as a client may write it. */
	assert_int_equal(retain_event(&r, "[\"p\\u006fs\",1]", 14), 1);
	assert_int_equal(retain_event(&r, "[\"chats\",1]", 11), -1);
	assert_int_equal(retain_event(&r, "[\"cha\"]", 7), -1);
	assert_int_equal(retain_event(&r, "[1,\"chat\"]", 10), -1);
	assert_int_equal(retain_event(&r, "[\"chat", 6), -1);
	assert_int_equal(retain_event(&r, "", 0), -1);
	retain_release(&r);
}

static void
test_last_of_each_event_oldest_first(void **state)
{
	struct retain r;
	struct frame *f;

	(void)state;
	setup_retain(&r, 0, 1 << 20);
	assert_int_equal(keep(&r, &nsp_a, "42", 0, "chat1", 10), 0);
	assert_int_equal(keep(&r, &nsp_a, "42", 1, "pos1", 20), 0);
	assert_int_equal(keep(&r, &nsp_a, "42", 0, "chat2", 30), 0);
	assert_int_equal(each(&r, &nsp_a, "42", 40), 2);
	assert_string_equal(seen, "pos1|chat2");
	/* Namespaces and rooms apart; a name may hold a NUL. */
	assert_int_equal(each(&r, &nsp_b, "42", 40), 0);
	assert_int_equal(each(&r, &nsp_a, "4", 40), 0);
	f = msg("z");
	assert_int_equal(retain_keep(&r, &nsp_a, "a\0b", 3, 0, f, 50), 0);
	frame_unref(f);
	assert_int_equal(r.stats.rooms, 2);
	assert_int_equal(r.stats.kept, 4);
	assert_int_equal(r.stats.sent, 2);
	retain_release(&r);
	assert_int_equal(r.stats.bytes, 0);
}

static void
test_ttl(void **state)
{
	struct retain r;

	(void)state;
	setup_retain(&r, 100, 1 << 20);
	keep(&r, &nsp_a, "1", 0, "old", 0);
	keep(&r, &nsp_a, "1", 1, "new", 80);
	keep(&r, &nsp_a, "2", 0, "two", 90);
	/* Each message by its own age. */
	assert_int_equal(each(&r, &nsp_a, "1", 150), 1);
	assert_string_equal(seen, "new");
	/* A room goes when its newest is past the TTL, oldest room first. */
	retain_expire(&r, 185);
	assert_int_equal(r.stats.rooms, 1);
	assert_int_equal(r.stats.expired, 1);
	retain_expire(&r, 191);
	assert_int_equal(r.stats.rooms, 0);
	assert_int_equal(r.stats.bytes, 0);
	retain_release(&r);
}

static void
test_bound(void **state)
{
	struct retain r;
	char room[8];
	int i;

	(void)state;
	/* Each room costs RETAIN_ROOM_COST + 8 + its name + 100 bytes. */
	setup_retain(&r, 0, 3 * (RETAIN_ROOM_COST + 8 + 2 + 100));
	for (i = 0; i < 5; i++) {
		char text[101];

		memset(text, 'a' + i, 100);
		text[100] = '\0';
		snprintf(room, sizeof(room), "r%d", i);
		assert_int_equal(keep(&r, &nsp_a, room, 0, text, i), 0);
		assert_true(r.stats.bytes <= r.cfg.max_bytes);
	}
	assert_int_equal(r.stats.rooms, 3);
	assert_int_equal(r.stats.evicted, 2);
	assert_int_equal(each(&r, &nsp_a, "r0", 9), 0);
	assert_int_equal(each(&r, &nsp_a, "r4", 9), 1);
	/* Updating a room makes it the newest: r2 stays, r3 goes next. */
	keep(&r, &nsp_a, "r2", 1, "x", 10);
	keep(&r, &nsp_a, "r5", 0, "y", 11);
	assert_int_equal(each(&r, &nsp_a, "r2", 12), 2);
	assert_int_equal(each(&r, &nsp_a, "r3", 12), 0);
	retain_release(&r);
}

static void
test_too_big(void **state)
{
	struct retain r;
	char big[300];

	(void)state;
	setup_retain(&r, 0, 256);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(keep(&r, &nsp_a, "1", 0, "small", 0), 0);
	errno = 0;
	assert_int_equal(keep(&r, &nsp_a, "1", 0, big, 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	/* The older message is no longer the last: not sent either. */
	assert_int_equal(each(&r, &nsp_a, "1", 2), 0);
	assert_int_equal(keep(&r, &nsp_a, "2", 0, big, 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(keep(&r, &nsp_a, "1", 7, "bad event", 1), -1);
	assert_int_equal(errno, EINVAL);
	retain_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_last_of_each_event_oldest_first),
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
