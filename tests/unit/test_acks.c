/* test_acks.c - acknowledgements awaited from clients. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acks.h"

/* What an owner was told. */
struct seen {
	int acks, ends;
	const void *key;
	char json[64];
	unsigned natt;
	size_t att0_len;
};

static void
on_ack(void *ctx, const void *key, const char *json, size_t json_len,
    const struct iovec *att, unsigned natt)
{
	struct seen *s = ctx;

	assert_int_equal(s->ends, 0); /* nothing after the end */
	s->acks++;
	s->key = key;
	assert_true(json_len < sizeof(s->json));
	memcpy(s->json, json, json_len);
	s->json[json_len] = '\0';
	s->natt = natt;
	s->att0_len = natt > 0 ? att[0].iov_len : 0;
}

static void
on_end(void *ctx)
{
	struct seen *s = ctx;

	s->ends++;
}

static struct acks_batch *
open_batch(struct acks *a, int64_t id, int64_t deadline, struct seen *s)
{
	struct acks_owner o = { on_ack, on_end, s };
	struct acks_batch *b = acks_open(a, id, deadline, &o);

	assert_non_null(b);
	return b;
}

static int k1, k2, k3; /* sockets, as keys */

static void
test_an_ack_is_handed_on_once(void **state)
{
	struct acks a;
	struct acks_table t1, t2;
	struct acks_batch *b;
	struct seen s = { 0 };
	struct iovec att = { "xy", 2 };

	(void)state;
	acks_init(&a, 8);
	acks_table_init(&t1);
	acks_table_init(&t2);
	b = open_batch(&a, 7, 1000, &s);
	assert_non_null(acks_add(&a, b, &t1, &k1));
	assert_non_null(acks_add(&a, b, &t2, &k2));
	acks_seal(&a, b);
	assert_int_equal(a.stats.pending, 2);
	assert_int_equal(a.stats.batches, 1);

	assert_int_equal(acks_answer(&a, &t1, &k1, 7, "[1]", 3, NULL, 0), 1);
	assert_int_equal(s.acks, 1);
	assert_ptr_equal(s.key, &k1);
	assert_string_equal(s.json, "[1]");
	assert_int_equal(s.ends, 0);
	/* The same id again, and ids or sockets never asked: nothing. */
	assert_int_equal(acks_answer(&a, &t1, &k1, 7, "[2]", 3, NULL, 0), 0);
	assert_int_equal(acks_answer(&a, &t2, &k2, 8, "[2]", 3, NULL, 0), 0);
	assert_int_equal(acks_answer(&a, &t2, &k3, 7, "[2]", 3, NULL, 0), 0);
	assert_int_equal(s.acks, 1);
	assert_int_equal(a.stats.unknown, 3);

	assert_int_equal(acks_answer(&a, &t2, &k2, 7,
	                     "[{\"_placeholder\":true,\"num\":0}]", 31, &att,
	                     1),
	    1);
	assert_int_equal(s.acks, 2);
	assert_int_equal(s.natt, 1);
	assert_int_equal(s.att0_len, 2);
	assert_int_equal(s.ends, 1); /* the last one ends the batch */
	assert_int_equal(a.stats.answered, 2);
	assert_int_equal(a.stats.pending, 0);
	assert_int_equal(a.stats.batches, 0);
	assert_int_equal(t1.n + t2.n, 0);
	assert_int_equal(acks_next_deadline(&a), INT64_MAX);
	acks_release(&a);
}

static void
test_a_batch_reaching_no_one_ends_when_sealed(void **state)
{
	struct acks a;
	struct acks_batch *b;
	struct seen s = { 0 };

	(void)state;
	acks_init(&a, 8);
	b = open_batch(&a, 1, 1000, &s);
	assert_int_equal(s.ends, 0);
	acks_seal(&a, b);
	assert_int_equal(s.ends, 1);
	assert_int_equal(a.stats.batches, 0);
	acks_release(&a);
}

static void
test_batches_expire_in_deadline_order(void **state)
{
	struct acks a;
	struct acks_table t;
	struct acks_batch *b;
	struct seen late = { 0 }, early = { 0 }, mid = { 0 };

	(void)state;
	acks_init(&a, 8);
	acks_table_init(&t);
	/* Opened out of deadline order. */
	b = open_batch(&a, 1, 300, &late);
	assert_non_null(acks_add(&a, b, &t, &k1));
	acks_seal(&a, b);
	b = open_batch(&a, 2, 100, &early);
	assert_non_null(acks_add(&a, b, &t, &k1));
	assert_non_null(acks_add(&a, b, &t, &k2));
	acks_seal(&a, b);
	b = open_batch(&a, 3, 200, &mid);
	assert_non_null(acks_add(&a, b, &t, &k2));
	acks_seal(&a, b);
	assert_int_equal(acks_next_deadline(&a), 100);

	acks_expire(&a, 99);
	assert_int_equal(early.ends, 0);
	acks_expire(&a, 150);
	assert_int_equal(early.ends, 1);
	assert_int_equal(early.acks, 0);
	assert_int_equal(mid.ends + late.ends, 0);
	assert_int_equal(a.stats.expired, 2);
	assert_int_equal(t.n, 2);
	assert_int_equal(acks_next_deadline(&a), 200);
	/* A late ack is unknown. */
	assert_int_equal(acks_answer(&a, &t, &k2, 2, "[]", 2, NULL, 0), 0);
	assert_int_equal(acks_answer(&a, &t, &k2, 3, "[]", 2, NULL, 0), 1);
	assert_int_equal(mid.ends, 1);
	acks_expire(&a, 300);
	assert_int_equal(late.ends, 1);
	assert_int_equal(a.stats.expired, 3);
	assert_int_equal(a.stats.pending, 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(acks_next_deadline(&a), INT64_MAX);
	acks_release(&a);
}

static void
test_a_socket_gone_takes_its_entries(void **state)
{
	struct acks a;
	struct acks_table t, u;
	struct acks_batch *b1, *b2;
	struct seen s1 = { 0 }, s2 = { 0 };

	(void)state;
	acks_init(&a, 8);
	acks_table_init(&t);
	acks_table_init(&u);
	/* k1 and k2 share table t (one connection, two namespaces). */
	b1 = open_batch(&a, 1, 1000, &s1);
	assert_non_null(acks_add(&a, b1, &t, &k1));
	assert_non_null(acks_add(&a, b1, &t, &k2));
	acks_seal(&a, b1);
	b2 = open_batch(&a, 2, 1000, &s2);
	assert_non_null(acks_add(&a, b2, &t, &k1));
	assert_non_null(acks_add(&a, b2, &u, &k3));
	acks_seal(&a, b2);

	acks_forget(&a, &t, &k1);
	assert_int_equal(t.n, 1);
	assert_int_equal(a.stats.gone, 2);
	assert_int_equal(s1.ends + s2.ends, 0); /* k2 and k3 still owe */
	acks_forget(&a, &t, NULL);
	assert_int_equal(s1.ends, 1);
	assert_int_equal(s2.ends, 0);
	assert_int_equal(acks_answer(&a, &u, &k3, 2, "[0]", 3, NULL, 0), 1);
	assert_int_equal(s2.acks, 1);
	assert_int_equal(s2.ends, 1);
	assert_int_equal(a.stats.pending, 0);
	assert_int_equal(a.stats.gone, 3);
	acks_release(&a);
}

static void
test_a_full_table_refuses(void **state)
{
	struct acks a;
	struct acks_table t;
	struct acks_batch *b;
	struct acks_entry *e;
	struct seen s = { 0 };

	(void)state;
	acks_init(&a, 2);
	acks_table_init(&t);
	b = open_batch(&a, 1, 1000, &s);
	assert_non_null(acks_add(&a, b, &t, &k1));
	assert_non_null(e = acks_add(&a, b, &t, &k2));
	errno = 0;
	assert_null(acks_add(&a, b, &t, &k3));
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(a.stats.over_cap, 1);
	/* An ask that did not go out is taken back, uncounted. */
	acks_cancel(&a, e);
	assert_int_equal(t.n, 1);
	assert_non_null(acks_add(&a, b, &t, &k3));
	acks_seal(&a, b);
	assert_int_equal(acks_answer(&a, &t, &k2, 1, "[]", 2, NULL, 0), 0);
	assert_int_equal(a.stats.gone + a.stats.expired, 0);
	acks_forget(&a, &t, NULL);
	assert_int_equal(s.ends, 1);
	acks_release(&a);
}

static void
test_release_ends_what_is_left(void **state)
{
	struct acks a;
	struct acks_table *t = malloc(sizeof(*t));
	struct acks_batch *b;
	struct seen s = { 0 };

	(void)state;
	assert_non_null(t);
	acks_init(&a, 8);
	acks_table_init(t);
	b = open_batch(&a, 1, 1000, &s);
	assert_non_null(acks_add(&a, b, t, &k1));
	acks_seal(&a, b);
	free(t); /* the connection went first; release must not touch it */
	acks_release(&a);
	assert_int_equal(s.ends, 1);
	assert_int_equal(a.stats.pending, 0);
	assert_int_equal(a.stats.batches, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_ack_is_handed_on_once),
		cmocka_unit_test(
		    test_a_batch_reaching_no_one_ends_when_sealed),
		cmocka_unit_test(test_batches_expire_in_deadline_order),
		cmocka_unit_test(test_a_socket_gone_takes_its_entries),
		cmocka_unit_test(test_a_full_table_refuses),
		cmocka_unit_test(test_release_ends_what_is_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
