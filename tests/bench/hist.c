/* hist.c - log-linear histogram of microsecond values (see hist.h). */
#include "hist.h"

#include <string.h>

/* Values below this have a bucket each; above, 64 share a power of two. */
#define EXACT 128
#define SUB_BITS 6
#define SUB (1u << SUB_BITS)

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

static unsigned
bucket_of(uint64_t v)
{
	unsigned msb, shift, idx;

	if (v < EXACT)
		return (unsigned)v;
	msb = 63 - (unsigned)__builtin_clzll(v);
	shift = msb - SUB_BITS;
	idx = EXACT + (shift - 1) * SUB + (unsigned)((v >> shift) - SUB);
	return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

/* The largest value that falls in bucket 'idx'. */
static uint64_t
bucket_top(unsigned idx)
{
	unsigned shift;
	uint64_t top;

	if (idx < EXACT)
		return idx;
	shift = (idx - EXACT) / SUB + 1;
	top = (idx - EXACT) % SUB + SUB;
	return ((top + 1) << shift) - 1;
}

void
hist_add(struct hist *h, uint64_t v)
{
	h->bucket[bucket_of(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

void
hist_merge(struct hist *into, const struct hist *from)
{
	unsigned i;

	for (i = 0; i < HIST_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t
hist_quantile(const struct hist *h, double q)
{
	uint64_t rank, seen = 0, top;
	unsigned i;

	if (h->count == 0)
		return 0;
	if (q <= 0)
		q = 0;
	rank = (uint64_t)(q * (double)h->count + 0.5);
	if (rank == 0)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	top = bucket_top(i < HIST_BUCKETS ? i : HIST_BUCKETS - 1);
	return top < h->max ? top : h->max;
}
