/*
 * mono.h - the load generator's one clock: CLOCK_MONOTONIC in microseconds.
 * Every process on the host reads the same clock, so a time written into a
 * payload by the producer can be subtracted from a receiver's reading.
 */
#ifndef BENCH_MONO_H
#define BENCH_MONO_H

#include <stdint.h>
#include <time.h>

static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
