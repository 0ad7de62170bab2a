/* test_room.c - namespaces, sockets, rooms and delivery. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "room.h"

static const uint8_t seed[16] = { 9 };

static struct room_sock *
sock(struct room_registry *reg, struct room_nsp *nsp, int n)
{
	char id[ROOM_SOCK_ID_LEN + 1];
	struct room_sock *s;

	snprintf(id, sizeof(id), "%020d", n);
	s = room_sock_add(reg, nsp, id, NULL);
	assert_non_null(s);
	return s;
}

/* One room, all its members but 'except' (NULL: none). */
static size_t
deliver1(struct room_registry *reg, struct room_nsp *nsp, const char *room,
    size_t len, const struct room_sock *except,
    int (*fn)(struct room_sock *s, void *arg), void *arg)
{
	struct room_name r = { room, len };
	struct room_name e = { except ? except->id : "", ROOM_SOCK_ID_LEN };

	return room_deliver_many(reg, nsp, &r, 1, &e, except ? 1 : 0, fn, arg);
}

static int
count(struct room_sock *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

static int
mark(struct room_sock *s, void *arg)
{
	char *seen = arg;

	seen[strtol(s->id, NULL, 10)] = 1;
	return 0;
}

static void
test_join_leave_and_free_empty_rooms(void **state)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *a, *b;
	int n = 0;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	a = sock(&reg, root, 1);
	b = sock(&reg, root, 2);
	assert_int_equal(room_join(&reg, a, "1", 1), 1);
	assert_int_equal(room_join(&reg, a, "1", 1), 0); /* already */
	assert_int_equal(room_join(&reg, b, "1", 1), 1);
	assert_int_equal(reg.nrooms, 1);
	assert_int_equal(room_find(root, "1", 1)->nmembers, 2);
	assert_int_equal(room_deliver_many(&reg, root,
	                     &(struct room_name){ "1", 1 }, 1, NULL, 0, count,
	                     &n),
	    2);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(deliver1(&reg, root, "1", 1, a, count, &n), 1);
	assert_int_equal(room_leave(&reg, a, "1", 1), 1);
	assert_int_equal(room_leave(&reg, a, "1", 1), 0);
	assert_int_equal(room_find(root, "1", 1)->nmembers, 1);
	room_sock_free(&reg, b); /* last member: the room goes */
	assert_null(room_find(root, "1", 1));
	assert_int_equal(reg.nrooms, 0);
	assert_int_equal(deliver1(&reg, root, "1", 1, NULL, count, &n), 0);
	room_registry_release(&reg);
}

static void
test_namespaces_do_not_share_rooms(void **state)
{
	struct room_registry reg;
	struct room_nsp *root, *other;
	struct room_sock *a, *b;
	int n = 0;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	other = room_nsp_add(&reg, "/other", 6);
	assert_ptr_equal(room_nsp_add(&reg, "/", 1), root);
	a = sock(&reg, root, 1);
	b = sock(&reg, other, 2);
	room_join(&reg, a, "1", 1);
	room_join(&reg, b, "1", 1);
	assert_int_equal(deliver1(&reg, root, "1", 1, NULL, count, &n), 1);
	assert_int_equal(deliver1(&reg, other, "1", 1, NULL, count, &n), 1);
	assert_ptr_equal(room_sock_find(&reg, b->id, ROOM_SOCK_ID_LEN), b);
	errno = 0;
	assert_null(room_sock_add(&reg, root, b->id, NULL)); /* id taken */
	assert_int_equal(errno, EEXIST);
	room_registry_release(&reg);
}

/* Leaving from the middle swaps the last member in; indexes stay right. */
static void
test_swap_removal_keeps_every_member_reachable(void **state)
{
	enum { N = 50 };
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *s[N];
	char seen[N];
	int i;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	for (i = 0; i < N; i++) {
		s[i] = sock(&reg, root, i);
		assert_int_equal(room_join(&reg, s[i], "r", 1), 1);
		assert_int_equal(room_join(&reg, s[i], "q", 1), 1);
	}
	for (i = 0; i < N; i += 2)
		assert_int_equal(room_leave(&reg, s[i], "r", 1), 1);
	memset(seen, 0, sizeof(seen));
	assert_int_equal(deliver1(&reg, root, "r", 1, NULL, mark, seen),
	    N / 2);
	for (i = 0; i < N; i++)
		assert_int_equal(seen[i], i % 2);
	for (i = 1; i < N; i += 2)
		room_sock_free(&reg, s[i]);
	assert_null(room_find(root, "r", 1));
	assert_int_equal(room_find(root, "q", 1)->nmembers, N / 2);
	room_registry_release(&reg);
}

static void
test_room_name_limit(void **state)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *a;
	static char big[ROOM_NAME_MAX + 2];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	a = sock(&reg, root, 1);
	errno = 0;
	assert_int_equal(room_join(&reg, a, big, ROOM_NAME_MAX + 1), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(room_join(&reg, a, big, ROOM_NAME_MAX), 1);
	room_registry_release(&reg);
}

/* The registry carries the application's pointer and never frees it. */
static void
test_socket_data_is_the_applications(void **state)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *a;
	int mine = 42;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	a = sock(&reg, root, 1);
	assert_null(a->data);
	a->data = &mine; /* not heap memory: freeing it would crash */
	assert_int_equal(room_join(&reg, a, "1", 1), 1);
	assert_int_equal(room_leave(&reg, a, "1", 1), 1);
	assert_ptr_equal(room_sock_find(&reg, a->id, ROOM_SOCK_ID_LEN)->data,
	    &mine);
	room_sock_free(&reg, a);
	a = sock(&reg, root, 2);
	a->data = &mine;
	room_registry_release(&reg);
	assert_int_equal(mine, 42);
}

static int
refuse_odd(struct room_sock *s, void *arg)
{
	(void)arg;
	return strtol(s->id, NULL, 10) % 2 ? -1 : 0;
}

/* What room_deliver_many() returns counts only the deliveries that worked. */
static void
test_deliver_counts_successes(void **state)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *s[6];
	const struct room_name r = { "r", 1 };
	struct room_name s0;
	int i;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	for (i = 0; i < 6; i++) {
		s[i] = sock(&reg, root, i);
		room_join(&reg, s[i], "r", 1);
	}
	s0 = (struct room_name){ s[0]->id, ROOM_SOCK_ID_LEN };
	assert_int_equal(room_deliver_many(&reg, root, &r, 1, NULL, 0,
	                     refuse_odd, NULL),
	    3);
	assert_int_equal(room_deliver_many(&reg, root, &r, 1, &s0, 1,
	                     refuse_odd, NULL),
	    2);
	assert_int_equal(room_deliver_many(&reg, root,
	                     &(struct room_name){ "none", 4 }, 1, NULL, 0,
	                     refuse_odd, NULL),
	    0);
	room_registry_release(&reg);
}

/* A namespace's socket list and the registry's sizes follow every change. */
static void
test_counts_follow_sockets_and_rooms(void **state)
{
	struct room_registry reg;
	struct room_nsp *root, *other;
	struct room_sock *a, *b, *c, *it;
	int n;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	other = room_nsp_add(&reg, "/other", 6);
	assert_int_equal(reg.nsps.len, 2);
	assert_ptr_equal(room_nsp_find(&reg, "/other", 6), other);
	assert_null(room_nsp_find(&reg, "/nope", 5));
	a = sock(&reg, root, 1);
	b = sock(&reg, root, 2);
	c = sock(&reg, other, 3);
	assert_int_equal(root->nsocks, 2);
	assert_int_equal(other->nsocks, 1);
	assert_int_equal(reg.socks.len, 3);
	room_join(&reg, a, "x", 1);
	room_join(&reg, a, "y", 1);
	room_join(&reg, b, "y", 1);
	room_join(&reg, c, "y", 1); /* another namespace's "y" */
	assert_int_equal(reg.nrooms, 3);
	assert_int_equal(a->nrooms, 2);
	n = 0;
	LIST_FOREACH(it, &root->socks, nsp_link)
		n++;
	assert_int_equal(n, 2);
	room_sock_free(&reg, a);
	assert_int_equal(reg.nrooms, 2); /* "x" went with its last */
	assert_int_equal(root->nsocks, 1);
	assert_int_equal(reg.socks.len, 2);
	assert_null(
	    room_sock_find(&reg, "00000000000000000001", ROOM_SOCK_ID_LEN));
	room_registry_release(&reg);
}

/* Membership is looked up in O(1); names are bytes with a length. */
static void
test_is_member_and_names_with_nul(void **state)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *a, *b;
	const struct room_member *m;
	const char *order[3];
	int n = 0;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	a = sock(&reg, root, 1);
	b = sock(&reg, root, 2);
	assert_int_equal(room_join(&reg, a, "a\0b", 3), 1);
	assert_int_equal(room_join(&reg, a, "a", 1), 1);
	assert_int_equal(room_join(&reg, a, "z", 1), 1);
	assert_int_equal(room_join(&reg, b, "a", 1), 1);
	assert_int_equal(reg.nrooms, 3);
	assert_true(room_is_member(&reg, a, "a\0b", 3));
	assert_true(room_is_member(&reg, a, "a", 1));
	assert_false(room_is_member(&reg, b, "a\0b", 3));
	assert_false(room_is_member(&reg, b, "a\0", 2));
	assert_false(room_is_member(&reg, b, "nope", 4));
	/* A socket's rooms are listed in the order it joined them. */
	TAILQ_FOREACH(m, &a->rooms, sock_link)
		order[n++] = m->key.room->name;
	assert_int_equal(n, 3);
	assert_memory_equal(order[0], "a\0b", 3);
	assert_string_equal(order[1], "a");
	assert_string_equal(order[2], "z");
	assert_int_equal(room_leave(&reg, a, "a", 1), 1);
	assert_true(room_is_member(&reg, a, "a\0b", 3));
	assert_false(room_is_member(&reg, a, "a", 1));
	assert_int_equal(a->nrooms, 2);
	assert_int_equal(reg.members.len, 3);
	room_sock_free(&reg, a);
	assert_int_equal(reg.members.len, 1);
	assert_int_equal(reg.nrooms, 1);
	room_registry_release(&reg);
}

/* Records which sockets a delivery reached, by their number. */
static int
note_reached(struct room_sock *s, void *arg)
{
	char *seen = arg;

	seen[s->id[ROOM_SOCK_ID_LEN - 1] - '0'] += 1;
	return 0;
}

/* Rooms and except as socket.io-adapter's broadcast reads them. */
static void
test_deliver_many(void **state)
{
	struct room_registry reg;
	struct room_nsp *root, *other;
	struct room_sock *s[6];
	char seen[10];
	const struct room_name ab[] = { { "a", 1 }, { "b", 1 } };
	const struct room_name a[] = { { "a", 1 } };
	const struct room_name b[] = { { "b", 1 } };
	struct room_name id1[1], id5[1];
	int i;

	(void)state;
	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	other = room_nsp_add(&reg, "/o", 2);
	for (i = 0; i < 5; i++)
		s[i] = sock(&reg, root, i);
	s[5] = sock(&reg, other, 5);
	/* a: 0 1 2; b: 1 2 3; 4 in neither; 5 in another namespace's a. */
	for (i = 0; i < 3; i++)
		room_join(&reg, s[i], "a", 1);
	for (i = 1; i < 4; i++)
		room_join(&reg, s[i], "b", 1);
	room_join(&reg, s[5], "a", 1);
	id1[0] = (struct room_name){ s[1]->id, ROOM_SOCK_ID_LEN };
	id5[0] = (struct room_name){ s[5]->id, ROOM_SOCK_ID_LEN };

	/* Two rooms: each member once. */
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, ab, 2, NULL, 0,
	                     note_reached, seen),
	    4);
	assert_memory_equal(seen, "\1\1\1\1\0\0", 6);
	/* Except a room. */
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, ab, 2, a, 1,
	                     note_reached, seen),
	    1);
	assert_memory_equal(seen, "\0\0\0\1\0\0", 6);
	/* Except a socket, by its id. */
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, b, 1, id1, 1,
	                     note_reached, seen),
	    2);
	assert_memory_equal(seen, "\0\0\1\1\0\0", 6);
	/* No rooms: the whole namespace, but the excepted. */
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, NULL, 0, b, 1,
	                     note_reached, seen),
	    2);
	assert_memory_equal(seen, "\1\0\0\0\1\0", 6);
	/* A socket's id as a room: that socket, in its namespace only. */
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, id1, 1, NULL, 0,
	                     note_reached, seen),
	    1);
	assert_int_equal(room_deliver_many(&reg, root, id5, 1, NULL, 0,
	                     note_reached, seen),
	    0);
	assert_memory_equal(seen, "\0\1\0\0\0\0", 6);
	/* An unknown room reaches no one. */
	assert_int_equal(room_deliver_many(&reg, root,
	                     &(struct room_name){ "zz", 2 }, 1, NULL, 0,
	                     note_reached, seen),
	    0);
	/* Marks survive the counter wrapping. */
	reg.epoch = UINT32_MAX;
	memset(seen, 0, sizeof(seen));
	assert_int_equal(room_deliver_many(&reg, root, ab, 2, NULL, 0,
	                     note_reached, seen),
	    4);
	assert_int_equal(room_deliver_many(&reg, other, a, 1, NULL, 0,
	                     note_reached, seen),
	    1);
	assert_memory_equal(seen, "\1\1\1\1\0\1", 6);
	room_registry_release(&reg);
}

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the phases of share_rooms(). */
struct phases {
	double join_new;    /* a joins n rooms, each new */
	double join_shared; /* b joins the same n rooms, a in each */
	double free_shared; /* a goes, b staying in each room */
	double free_last;   /* b goes, the last of each room */
};

static void
keep_least(double *least, double t)
{
	if (t < *least)
		*least = t;
}

/* Two sockets share 'n' rooms; the quickest of each phase into 'p'. */
static void
share_rooms(int n, struct phases *p)
{
	struct room_registry reg;
	struct room_nsp *root;
	struct room_sock *a, *b;
	char name[16];
	double t;
	int i, len;

	room_registry_init(&reg, seed);
	root = room_nsp_add(&reg, "/", 1);
	a = sock(&reg, root, 1);
	b = sock(&reg, root, 2);
	t = cpu_seconds();
	for (i = 0; i < n; i++) {
		len = snprintf(name, sizeof(name), "%d", i);
		assert_int_equal(room_join(&reg, a, name, (size_t)len), 1);
	}
	keep_least(&p->join_new, cpu_seconds() - t);
	t = cpu_seconds();
	for (i = 0; i < n; i++) {
		len = snprintf(name, sizeof(name), "%d", i);
		assert_int_equal(room_join(&reg, b, name, (size_t)len), 1);
	}
	keep_least(&p->join_shared, cpu_seconds() - t);
	t = cpu_seconds();
	room_sock_free(&reg, a);
	keep_least(&p->free_shared, cpu_seconds() - t);
	assert_int_equal(reg.nrooms, (size_t)n);
	assert_int_equal(b->nrooms, n);
	t = cpu_seconds();
	room_sock_free(&reg, b);
	keep_least(&p->free_last, cpu_seconds() - t);
	assert_int_equal(reg.nrooms, 0);
	room_registry_release(&reg);
}

/*
 * Joining, leaving and freeing a socket cost O(1) a membership, however
 * many rooms the socket shares: joining 65,536 rooms someone is in costs
 * about what joining as many new ones does, and leaving rooms someone
 * stays in about what leaving them empty does.  The quadratic registry of
 * before scanned the other member's rooms each time: 65,536 shared rooms
 * took about 100 times as long, and two sockets sharing 200,000 rooms
 * stopped georoomd for 6.4 s as one left.  Phases of one size are
 * compared, so that neither the machine's speed nor its caches matter,
 * each the quickest of 3 runs, against a bound of 4 times.
 */
static void
test_membership_cost_does_not_grow_with_sharing(void **state)
{
	struct phases p = { 1e9, 1e9, 1e9, 1e9 };
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		share_rooms(65536, &p);
	print_message("# 65536 rooms: joined new %.4f s, shared %.4f s; "
	              "left shared %.4f s, last %.4f s\n",
	    p.join_new, p.join_shared, p.free_shared, p.free_last);
	if (p.join_shared > 4 * p.join_new)
		fail_msg("joining shared rooms took %.0f times as long",
		    p.join_shared / p.join_new);
	if (p.free_shared > 4 * p.free_last)
		fail_msg("leaving shared rooms took %.0f times as long",
		    p.free_shared / p.free_last);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_leave_and_free_empty_rooms),
		cmocka_unit_test(test_namespaces_do_not_share_rooms),
		cmocka_unit_test(
		    test_swap_removal_keeps_every_member_reachable),
		cmocka_unit_test(test_room_name_limit),
		cmocka_unit_test(test_socket_data_is_the_applications),
		cmocka_unit_test(test_deliver_counts_successes),
		cmocka_unit_test(test_counts_follow_sockets_and_rooms),
		cmocka_unit_test(test_is_member_and_names_with_nul),
		cmocka_unit_test(test_deliver_many),
		cmocka_unit_test(
		    test_membership_cost_does_not_grow_with_sharing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
