/* backoff.c - reconnection delays with exponential growth and jitter. */
#include "backoff.h"

#include <math.h>
#include <sys/random.h>
#include <sys/types.h>
#include <time.h>

void
backoff_init(struct backoff *b, uint32_t min_ms, uint32_t max_ms,
    double jitter)
{
	b->min_ms = min_ms;
	b->max_ms = max_ms < min_ms ? min_ms : max_ms;
	b->jitter = isnan(jitter) || jitter < 0 ? 0 : jitter > 1 ? 1 : jitter;
	b->attempts = 0;
}

uint32_t
backoff_next(struct backoff *b, double r)
{
	double ms, dev;

	/* 2^64 times any delay is past every cap: stop growing there. */
	ms = (double)b->min_ms * pow(2, b->attempts < 64 ? b->attempts : 64);
	if (b->attempts < UINT32_MAX)
		b->attempts++;
	if (isnan(r) || r < 0 || r >= 1)
		r = 0;
	if (b->jitter > 0) {
		dev = floor(r * b->jitter * ms);
		ms = ((long)floor(r * 10) & 1) == 0 ? ms - dev : ms + dev;
	}
	if (ms > b->max_ms)
		ms = b->max_ms;
	return ms < 0 ? 0 : (uint32_t)ms;
}

void
backoff_reset(struct backoff *b)
{
	b->attempts = 0;
}

double
backoff_random(void)
{
	struct timespec ts;
	uint32_t r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (uint32_t)ts.tv_nsec * 2654435761u;
	}
	return r / 4294967296.0;
}
