/* test_recovery.c - sessions kept and the events they missed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "recovery.h"

static int nsp_a, nsp_b; /* namespaces, as keys */

static const char SID1[] = "AAAAAAAAAAAAAAAAAAA1";
static const char SID2[] = "AAAAAAAAAAAAAAAAAAA2";

static void
setup(struct recovery *r, uint32_t window, size_t sessions, size_t bytes)
{
	struct recovery_config cfg = { window, sessions, bytes };
	uint8_t seed[32];
	size_t i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 7 + 3);
	recovery_init(r, &cfg, seed);
}

/* A frame whose bytes are 'text', as the recipients got it. */
static struct frame *
frame_of(const char *text)
{
	struct frame *f = frame_new(strlen(text));

	assert_non_null(f);
	memcpy(f->data, text, strlen(text));
	return f;
}

/* Buffers an event to 'room' (NULL: the whole namespace) but 'except'. */
static uint64_t
add(struct recovery *r, int64_t now, const void *nsp, const char *room,
    const char *except, const char *text)
{
	struct room_name to = { room, room ? strlen(room) : 0 };
	struct room_name ex = { except, except ? strlen(except) : 0 };
	struct frame *f = frame_of(text);
	uint64_t seq = recovery_next(r);

	assert_int_equal(recovery_add(r, now, nsp, &to, room ? 1 : 0, &ex,
	                     except ? 1 : 0, f),
	    0);
	frame_unref(f); /* the recovery holds its own reference */
	return seq;
}

static void
keep(struct recovery *r, int64_t now, const char *sid, const void *nsp,
    uint64_t start, const char *room)
{
	struct room_name rooms[2] = { { "other", 5 }, { room, 0 } };

	rooms[1].len = room ? strlen(room) : 0;
	assert_int_equal(recovery_keep(r, now, sid, nsp, start, rooms,
	                     room ? 2 : 1, jv_string("app")),
	    0);
}

/* What recovery_missed() handed on, joined with spaces. */
struct got {
	char text[256];
	size_t n;
};

static int
collect(struct frame *f, void *arg)
{
	struct got *g = arg;
	size_t len = strlen(g->text);

	snprintf(g->text + len, sizeof(g->text) - len, "%s%.*s",
	    len ? " " : "", (int)f->len, (const char *)f->data);
	g->n++;
	return 0;
}

/* Takes the session of 'sid' back with offset 'seen' (0: none). */
static struct recovery_session *
take(struct recovery *r, int64_t now, const char *sid, const void *nsp,
    uint64_t seen, enum recovery_fail *why)
{
	char pid[RECOVERY_PID_LEN + 1], off[RECOVERY_OFFSET_MAX];
	int n = 0;

	recovery_pid(r, sid, pid);
	if (seen != 0)
		n = recovery_offset_text(r, seen, off);
	return recovery_take(r, now, pid, strlen(pid), nsp, seen ? off : NULL,
	    (size_t)n, why);
}

static void
missed(struct recovery *r, struct recovery_session *s, const char *want)
{
	struct got g = { "", 0 };

	assert_non_null(s);
	recovery_missed(r, s, collect, &g);
	assert_string_equal(g.text, want);
	recovery_session_free(r, s);
}

static void
test_pids_are_keyed_and_url_safe(void **state)
{
	struct recovery r;
	char p1[RECOVERY_PID_LEN + 1], p2[RECOVERY_PID_LEN + 1],
	    again[RECOVERY_PID_LEN + 1];
	size_t i;

	(void)state;
	setup(&r, 1000, 10, 1 << 20);
	recovery_pid(&r, SID1, p1);
	recovery_pid(&r, SID2, p2);
	recovery_pid(&r, SID1, again);
	assert_int_equal(strlen(p1), RECOVERY_PID_LEN);
	assert_string_equal(p1, again);
	assert_string_not_equal(p1, p2);
	for (i = 0; i < RECOVERY_PID_LEN; i++)
		assert_non_null(
		    strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
		           "nopqrstuvwxyz0123456789-_",
		        p1[i]));
	recovery_release(&r);
}

static void
test_missed_events_come_back_in_order(void **state)
{
	struct recovery r;
	enum recovery_fail why;
	uint64_t first;

	(void)state;
	setup(&r, 1000, 10, 1 << 20);
	first = add(&r, 0, &nsp_a, "r", NULL, "one");
	add(&r, 1, &nsp_a, "r", NULL, "two");
	add(&r, 2, &nsp_a, "elsewhere", NULL, "not-ours");
	add(&r, 3, &nsp_b, "r", NULL, "other-namespace");
	add(&r, 4, &nsp_a, NULL, NULL, "everyone");
	add(&r, 5, &nsp_a, SID1, NULL, "to-the-socket");
	add(&r, 6, &nsp_a, "r", SID1, "all-but-it");
	add(&r, 7, &nsp_a, "r", NULL, "three");
	keep(&r, 10, SID1, &nsp_a, 0, "r");
	assert_int_equal(r.stats.sessions, 1);
	/* It saw "one": everything after that reaches it but the rest. */
	missed(&r, take(&r, 20, SID1, &nsp_a, first, &why),
	    "two everyone to-the-socket three");
	assert_int_equal(r.stats.sessions, 0);
	assert_int_equal(r.stats.recovered, 1);
	assert_int_equal(r.stats.replayed, 4);
	/* Taken: the pid is spent. */
	assert_null(take(&r, 20, SID1, &nsp_a, first, &why));
	assert_int_equal(why, RECOVERY_UNKNOWN);
	assert_int_equal(r.stats.failed, 1);
	recovery_release(&r);
}

static void
test_no_offset_means_since_it_connected(void **state)
{
	struct recovery r;
	enum recovery_fail why;
	uint64_t start;

	(void)state;
	setup(&r, 1000, 10, 1 << 20);
	add(&r, 0, &nsp_a, "r", NULL, "long-before");
	add(&r, 0, &nsp_a, "r", NULL, "before");
	start = r.seq;
	add(&r, 1, &nsp_a, "r", NULL, "after");
	keep(&r, 2, SID1, &nsp_a, start, "r");
	missed(&r, take(&r, 3, SID1, &nsp_a, 0, &why), "after");
	/* An offset older than its connection is no reason to replay. */
	keep(&r, 4, SID1, &nsp_a, start, "r");
	missed(&r, take(&r, 5, SID1, &nsp_a, start - 1, &why), "after");
	recovery_release(&r);
}

static void
test_the_window_ends_a_session(void **state)
{
	struct recovery r;
	enum recovery_fail why;

	(void)state;
	setup(&r, 1000, 10, 1 << 20);
	add(&r, 0, &nsp_a, "r", NULL, "one");
	keep(&r, 100, SID1, &nsp_a, 0, "r");
	assert_null(take(&r, 1101, SID1, &nsp_a, 0, &why));
	assert_int_equal(why, RECOVERY_EXPIRED);
	assert_int_equal(r.stats.sessions, 0);
	/* Just within it, it recovers. */
	keep(&r, 100, SID1, &nsp_a, 0, "r");
	missed(&r, take(&r, 1100, SID1, &nsp_a, 0, &why), "one");
	/* The sweep drops what is older than the window. */
	keep(&r, 100, SID1, &nsp_a, 0, "r");
	assert_int_equal(recovery_next_deadline(&r),
	    0 + 1000 + RECOVERY_SWEEP_MS);
	recovery_expire(&r, 1000);
	assert_int_equal(r.stats.events, 1);
	recovery_expire(&r, 1101);
	assert_int_equal(r.stats.events, 0);
	assert_int_equal(r.stats.sessions, 0);
	assert_int_equal(r.stats.session_bytes, 0);
	assert_int_equal(r.stats.event_bytes, 0);
	assert_int_equal(recovery_next_deadline(&r), INT64_MAX);
	recovery_release(&r);
}

static void
test_dropped_events_fail_cleanly(void **state)
{
	struct recovery r;
	enum recovery_fail why;
	uint64_t first, later;
	char text[16];
	int i;

	(void)state;
	/* Room for a few events only. */
	setup(&r, 60000, 10, 600);
	first = add(&r, 0, &nsp_a, "r", NULL, "e0");
	for (i = 1; i < 20; i++) {
		snprintf(text, sizeof(text), "e%d", i);
		later = add(&r, i, &nsp_a, "r", NULL, text);
	}
	assert_true(r.stats.event_bytes <= 600);
	assert_true(r.stats.events < 20);
	assert_int_equal(r.stats.events + r.stats.events_dropped, 20);
	keep(&r, 30, SID1, &nsp_a, 0, "r");
	assert_null(take(&r, 31, SID1, &nsp_a, first, &why));
	assert_int_equal(why, RECOVERY_GAP);
	/* One that saw the last event missed none: nothing to replay. */
	keep(&r, 30, SID1, &nsp_a, 0, "r");
	missed(&r, take(&r, 31, SID1, &nsp_a, later, &why), "");
	/* One that saw the one before the oldest kept missed none either. */
	keep(&r, 30, SID1, &nsp_a, 0, "r");
	missed(&r, take(&r, 31, SID1, &nsp_a, later - 1, &why), "e19");
	recovery_release(&r);
}

static void
test_an_event_over_the_budget_is_a_gap(void **state)
{
	struct recovery r;
	enum recovery_fail why;
	struct room_name to = { "r", 1 };
	struct frame *f = frame_new(1000);

	(void)state;
	setup(&r, 60000, 10, 600);
	add(&r, 0, &nsp_a, "r", NULL, "small");
	keep(&r, 1, SID1, &nsp_a, 0, "r");
	assert_int_equal(recovery_add(&r, 2, &nsp_a, &to, 1, NULL, 0, f), -1);
	assert_int_equal(errno, EMSGSIZE);
	frame_unref(f);
	assert_null(take(&r, 3, SID1, &nsp_a, 1, &why));
	assert_int_equal(why, RECOVERY_GAP);
	recovery_release(&r);
}

static void
test_sessions_are_capped_oldest_first(void **state)
{
	struct recovery r;
	enum recovery_fail why;

	(void)state;
	setup(&r, 60000, 1, 1 << 20);
	keep(&r, 0, SID1, &nsp_a, 0, "r");
	keep(&r, 1, SID2, &nsp_a, 0, "r");
	assert_int_equal(r.stats.sessions, 1);
	assert_int_equal(r.stats.sessions_dropped, 1);
	assert_null(take(&r, 2, SID1, &nsp_a, 0, &why));
	assert_int_equal(why, RECOVERY_UNKNOWN);
	missed(&r, take(&r, 2, SID2, &nsp_a, 0, &why), "");
	/* The same socket kept twice: one session. */
	keep(&r, 3, SID1, &nsp_a, 0, "r");
	keep(&r, 4, SID1, &nsp_a, 0, "r");
	assert_int_equal(r.stats.sessions, 1);
	recovery_release(&r);
}

static void
test_offsets_not_ours_are_refused(void **state)
{
	struct recovery r;
	enum recovery_fail why;
	char pid[RECOVERY_PID_LEN + 1], off[RECOVERY_OFFSET_MAX];
	static const char *const bad[] = { "hello", "-1", "", "XXXX-1" };
	size_t i;

	(void)state;
	setup(&r, 60000, 10, 1 << 20);
	add(&r, 0, &nsp_a, "r", NULL, "one");
	recovery_pid(&r, SID1, pid);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		keep(&r, 1, SID1, &nsp_a, 0, "r");
		assert_null(recovery_take(&r, 2, pid, strlen(pid), &nsp_a,
		    bad[i], strlen(bad[i]), &why));
		assert_int_equal(why, RECOVERY_BAD_OFFSET);
	}
	/* One never given yet. */
	keep(&r, 1, SID1, &nsp_a, 0, "r");
	recovery_offset_text(&r, 2, off);
	assert_null(recovery_take(&r, 2, pid, strlen(pid), &nsp_a, off,
	    strlen(off), &why));
	assert_int_equal(why, RECOVERY_BAD_OFFSET);
	/* Another namespace's session stays for its own. */
	keep(&r, 1, SID1, &nsp_a, 0, "r");
	assert_null(take(&r, 2, SID1, &nsp_b, 0, &why));
	assert_int_equal(why, RECOVERY_NAMESPACE);
	assert_int_equal(r.stats.sessions, 1);
	/* A pid of the wrong length. */
	assert_null(recovery_take(&r, 2, "short", 5, &nsp_a, NULL, 0, &why));
	assert_int_equal(why, RECOVERY_UNKNOWN);
	recovery_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pids_are_keyed_and_url_safe),
		cmocka_unit_test(test_missed_events_come_back_in_order),
		cmocka_unit_test(test_no_offset_means_since_it_connected),
		cmocka_unit_test(test_the_window_ends_a_session),
		cmocka_unit_test(test_dropped_events_fail_cleanly),
		cmocka_unit_test(test_an_event_over_the_budget_is_a_gap),
		cmocka_unit_test(test_sessions_are_capped_oldest_first),
		cmocka_unit_test(test_offsets_not_ours_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
