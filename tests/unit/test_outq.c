/* test_outq.c - shared frames and bounded queues. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "outq.h"

static struct frame *
frame_of(const char *s)
{
	struct frame *f = frame_new(strlen(s));

	assert_non_null(f);
	memcpy(f->data, s, strlen(s));
	return f;
}

static void
test_one_frame_is_written_in_place(void **state)
{
	struct outq q;
	struct frame *f = frame_of("hello");
	unsigned char scratch[64];
	const unsigned char *out;
	uint32_t n;
	size_t len;

	(void)state;
	outq_init(&q);
	assert_int_equal(outq_push(&q, f, 1024, 16), 0);
	assert_int_equal(f->refs, 2);
	len = outq_batch(&q, scratch, sizeof(scratch), &out, &n);
	assert_int_equal(len, 5);
	assert_int_equal(n, 1);
	assert_ptr_equal(out, f->data); /* no copy */
	outq_drop(&q, n);
	assert_int_equal(f->refs, 1);
	assert_int_equal(q.bytes, 0);
	frame_unref(f);
	outq_release(&q);
}

static void
test_backlog_leaves_in_one_batch(void **state)
{
	struct outq q;
	struct frame *a = frame_of("aaa"), *b = frame_of("bb"),
	             *c = frame_of("cccc");
	unsigned char scratch[7];
	const unsigned char *out;
	uint32_t n;
	size_t len;

	(void)state;
	outq_init(&q);
	assert_int_equal(outq_push(&q, a, 1024, 16), 0);
	assert_int_equal(outq_push(&q, b, 1024, 16), 0);
	assert_int_equal(outq_push(&q, c, 1024, 16), 0);
	/* The scratch holds a and b (5 bytes) but not c as well. */
	len = outq_batch(&q, scratch, sizeof(scratch), &out, &n);
	assert_int_equal(len, 5);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "aaabb", 5);
	outq_drop(&q, n);
	len = outq_batch(&q, scratch, sizeof(scratch), &out, &n);
	assert_int_equal(len, 4);
	assert_ptr_equal(out, c->data);
	outq_drop(&q, n);
	assert_int_equal(outq_batch(&q, scratch, sizeof(scratch), &out, &n),
	    0);
	frame_unref(a);
	frame_unref(b);
	frame_unref(c);
	outq_release(&q);
}

static void
test_no_coalescing_with_zero_scratch(void **state)
{
	struct outq q;
	struct frame *a = frame_of("a"), *b = frame_of("b");
	const unsigned char *out;
	uint32_t n;

	(void)state;
	outq_init(&q);
	outq_push(&q, a, 1024, 16);
	outq_push(&q, b, 1024, 16);
	assert_int_equal(outq_batch(&q, NULL, 0, &out, &n), 1);
	assert_int_equal(n, 1);
	assert_ptr_equal(out, a->data);
	frame_unref(a);
	frame_unref(b);
	outq_release(&q); /* drops the queued references */
}

static void
test_limits_refuse_and_keep_queue_intact(void **state)
{
	struct outq q;
	struct frame *f = frame_of("0123456789");
	int i;

	(void)state;
	outq_init(&q);
	for (i = 0; i < 3; i++)
		assert_int_equal(outq_push(&q, f, 30, 100), 0);
	errno = 0;
	assert_int_equal(outq_push(&q, f, 30, 100), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(q.count, 3);
	assert_int_equal(q.bytes, 30);
	assert_int_equal(f->refs, 4);
	assert_int_equal(outq_push(&q, f, 1000, 3), -1); /* frame cap */
	assert_int_equal(errno, ENOBUFS);
	outq_release(&q);
	assert_int_equal(f->refs, 1);
	frame_unref(f);
}

/* An idle connection's queue, one frame at a time, never allocates. */
static void
test_one_at_a_time_needs_no_ring(void **state)
{
	struct outq q;
	struct frame *a = frame_of("a"), *b = frame_of("b"),
	             *c = frame_of("c");
	int i;

	(void)state;
	outq_init(&q);
	for (i = 0; i < 3; i++) {
		assert_int_equal(outq_push(&q, a, 1024, 1024), 0);
		assert_ptr_equal(outq_at(&q, 0), a);
		outq_drop(&q, 1);
	}
	assert_null(q.ring);
	assert_int_equal(q.count, 0);
	/* A second frame moves the first into a ring, in order. */
	a->tag = 7;
	c->tag = 7;
	assert_int_equal(outq_push(&q, a, 1024, 1024), 0);
	assert_int_equal(outq_push_latest(&q, c, 1024, 1024), 1);
	assert_ptr_equal(outq_at(&q, 0), c);
	assert_null(q.ring);
	assert_int_equal(outq_push(&q, b, 1024, 1024), 0);
	assert_non_null(q.ring);
	assert_ptr_equal(outq_at(&q, 0), c);
	assert_ptr_equal(outq_at(&q, 1), b);
	assert_int_equal(q.bytes, 2);
	outq_release(&q);
	assert_int_equal(a->refs, 1);
	assert_int_equal(b->refs, 1);
	assert_int_equal(c->refs, 1);
	frame_unref(a);
	frame_unref(b);
	frame_unref(c);
}

static void
test_ring_wraps_and_grows(void **state)
{
	struct outq q;
	struct frame *f[40];
	unsigned char scratch[4];
	const unsigned char *out;
	uint32_t n;
	int i, next = 0;

	(void)state;
	outq_init(&q);
	for (i = 0; i < 40; i++) {
		char s[2] = { (char)('A' + i % 26), 0 };

		f[i] = frame_of(s);
	}
	/* Push 6, drop 5, repeatedly, so head wraps while the ring grows. */
	for (i = 0; i < 40; i++) {
		assert_int_equal(outq_push(&q, f[i], 1024, 1024), 0);
		if (i % 6 == 5) {
			int k;

			for (k = 0; k < 5; k++, next++) {
				/* What a polling answer walks. */
				assert_ptr_equal(outq_at(&q, 0), f[next]);
				assert_ptr_equal(outq_at(&q, q.count - 1),
				    f[i]);
				outq_batch(&q, scratch, 0, &out, &n);
				assert_int_equal(out[0], 'A' + next % 26);
				outq_drop(&q, 1);
			}
		}
	}
	while (outq_batch(&q, scratch, 0, &out, &n) > 0) {
		assert_int_equal(out[0], 'A' + next % 26);
		outq_drop(&q, 1);
		next++;
	}
	assert_int_equal(next, 40);
	for (i = 0; i < 40; i++) {
		assert_int_equal(f[i]->refs, 1);
		frame_unref(f[i]);
	}
	outq_release(&q);
}

/* The newest of a tag takes the older's place; others keep theirs. */
static void
test_latest_of_a_tag_replaces_the_older(void **state)
{
	struct outq q;
	struct frame *a1 = frame_of("a1"), *b = frame_of("bb"),
	             *a2 = frame_of("a2_"), *c = frame_of("c"),
	             *big = frame_of("0123456789");
	unsigned char scratch[64];
	const unsigned char *out;
	uint32_t n;
	size_t len;

	(void)state;
	a1->tag = a2->tag = big->tag = 7;
	outq_init(&q);
	assert_int_equal(outq_push_latest(&q, a1, 1024, 16), 0);
	assert_int_equal(outq_push_latest(&q, b, 1024, 16), 0); /* no tag */
	assert_int_equal(outq_push_latest(&q, a2, 1024, 16), 1);
	assert_int_equal(a1->refs, 1); /* dropped from the queue */
	assert_int_equal(q.count, 2);
	assert_int_equal(q.bytes, 5);
	/* Plain pushes never replace. */
	assert_int_equal(outq_push(&q, c, 1024, 16), 0);
	c->tag = 7;
	assert_int_equal(q.count, 3);
	len = outq_batch(&q, scratch, sizeof(scratch), &out, &n);
	assert_int_equal(len, 6);
	assert_memory_equal(out, "a2_bbc", 6);
	/* A replacement over the byte limit is refused, the queue intact. */
	errno = 0;
	assert_int_equal(outq_push_latest(&q, big, 12, 16), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_int_equal(q.bytes, 6);
	outq_release(&q);
	frame_unref(a1);
	frame_unref(b);
	frame_unref(a2);
	frame_unref(c);
	frame_unref(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_frame_is_written_in_place),
		cmocka_unit_test(test_backlog_leaves_in_one_batch),
		cmocka_unit_test(test_no_coalescing_with_zero_scratch),
		cmocka_unit_test(test_limits_refuse_and_keep_queue_intact),
		cmocka_unit_test(test_one_at_a_time_needs_no_ring),
		cmocka_unit_test(test_ring_wraps_and_grows),
		cmocka_unit_test(test_latest_of_a_tag_replaces_the_older),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
