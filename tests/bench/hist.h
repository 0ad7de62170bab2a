/*
 * hist.h - a latency histogram of fixed size, mergeable across processes.
 * Owns: counting microsecond values in log-linear buckets (64 per power of
 * two, so a quantile is within 1.6 % of the value recorded) and reading
 * quantiles back.  Pure: no I/O, no allocation, so it can live in memory
 * that worker processes share.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

/* Values up to 2^40 us (12 days) get their own bucket; larger ones clamp. */
#define HIST_BUCKETS (128 + 34 * 64)

struct hist {
	uint64_t count;
	uint64_t max;
	uint64_t bucket[HIST_BUCKETS];
};

void hist_init(struct hist *h);

/* Counts one value. */
void hist_add(struct hist *h, uint64_t v);

/* Adds every count of 'from' (borrowed) to 'into'. */
void hist_merge(struct hist *into, const struct hist *from);

/*
 * The value below which a fraction 'q' (0 to 1) of the values fall: the
 * upper end of the bucket holding that rank, never above the largest value
 * recorded.  0 when the histogram is empty.
 */
uint64_t hist_quantile(const struct hist *h, double q);

#endif
