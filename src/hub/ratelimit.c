/* ratelimit.c - a token bucket with abuse detection (see ratelimit.h). */
#include "ratelimit.h"

/* One event, in the bucket's unit. */
#define EVENT 1000

void
ratelimit_init(struct ratelimit *rl, const struct ratelimit_config *cfg,
    int64_t now)
{
	rl->tokens = (uint64_t)cfg->burst * EVENT;
	rl->at = now;
	rl->run_start = now;
	rl->last_drop = INT64_MIN;
	rl->dropped = 0;
}

/* Milliseconds from 'then' to 'now', 0 when the clock went back; in
 * unsigned arithmetic, which holds any two times. */
static uint64_t
since(int64_t now, int64_t then)
{
	return now > then ? (uint64_t)now - (uint64_t)then : 0;
}

/* Adds what the time since the last refill is worth, up to the burst. */
static void
refill(struct ratelimit *rl, const struct ratelimit_config *cfg, int64_t now)
{
	uint64_t cap = (uint64_t)cfg->burst * EVENT, elapsed;

	if ((elapsed = since(now, rl->at)) == 0)
		return; /* the same millisecond, or a clock gone back */
	rl->at = now;
	/* 'rate' events a second is 'rate' thousandths a millisecond.  Past
	 * the time a whole bucket takes, the bucket is full: no overflow. */
	if (cfg->rate == 0 || elapsed >= cap / cfg->rate + 1) {
		rl->tokens = cap;
		return;
	}
	rl->tokens += elapsed * cfg->rate;
	if (rl->tokens > cap)
		rl->tokens = cap;
}

enum ratelimit_verdict
ratelimit_take(struct ratelimit *rl, const struct ratelimit_config *cfg,
    int64_t now)
{
	refill(rl, cfg, now);
	if (rl->tokens >= EVENT) {
		rl->tokens -= EVENT;
		return RATELIMIT_PASS;
	}
	if (rl->last_drop == INT64_MIN ||
	    since(now, rl->last_drop) >= RATELIMIT_PAUSE_MS) {
		rl->run_start = now;
		rl->dropped = 0;
	}
	rl->last_drop = now;
	rl->dropped++;
	if (cfg->grace_ms != 0 && since(now, rl->run_start) >= cfg->grace_ms)
		return RATELIMIT_ABUSE;
	return RATELIMIT_DROP;
}
