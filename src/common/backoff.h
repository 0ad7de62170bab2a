/*
 * backoff.h - the delays between reconnection attempts.
 * Owns: exponential growth from a first delay to a cap, with jitter, as
 * socket.io-client's Backoff computes them.  Pure: the random numbers are
 * the caller's, so that the delays can be tested; backoff_random() gives
 * them from the system.
 */
#ifndef GEOROOM_BACKOFF_H
#define GEOROOM_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint32_t min_ms;   /* the first delay */
	uint32_t max_ms;   /* no delay is longer */
	double jitter;     /* randomization factor, 0 to 1 */
	uint32_t attempts; /* delays handed out since the last reset */
};

/* Sets up a backoff; 'jitter' is clamped to [0, 1], max_ms to >= min_ms. */
void backoff_init(struct backoff *b, uint32_t min_ms, uint32_t max_ms,
    double jitter);

/*
 * Returns the next delay and counts an attempt.  'r' is a random number
 * in [0, 1): the delay is min_ms * 2^attempts, moved by up to jitter times
 * itself (down when the first decimal digit of 'r' is even, up when odd,
 * by r * jitter of it), then capped at max_ms.
 */
uint32_t backoff_next(struct backoff *b, double r);

/* A random number in [0, 1) for backoff_next(), from getrandom(2). */
double backoff_random(void);

/* Starts again from the first delay (after a successful connection). */
void backoff_reset(struct backoff *b);

#endif
