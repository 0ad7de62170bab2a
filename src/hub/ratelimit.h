/*
 * ratelimit.h - a token bucket for one client's events, and when being
 * over it turns into abuse.
 * Owns: the counters in the struct the caller gives it.  Pure: the time
 * is passed in (monotonic milliseconds); no clock, no I/O, no allocation.
 */
#ifndef GEOROOM_RATELIMIT_H
#define GEOROOM_RATELIMIT_H

#include <stdint.h>

/* Largest rate and burst: the bucket counts thousandths of an event in
 * 64 bits with room to spare. */
#define RATELIMIT_MAX 1000000
/*
 * A run of drops ends when this long passes without one: a client keeps
 * being over the limit while it sends at least one event a second too
 * many.
 */
#define RATELIMIT_PAUSE_MS 1000

struct ratelimit_config {
	uint32_t rate;     /* events a second, 1 to RATELIMIT_MAX */
	uint32_t burst;    /* events at once: the bucket's size, 1 to MAX */
	uint32_t grace_ms; /* a run of drops this long is abuse; 0: never */
};

struct ratelimit {
	uint64_t tokens;   /* thousandths of an event */
	int64_t at;        /* ms of the last refill */
	int64_t run_start; /* ms the current run of drops began */
	int64_t last_drop; /* ms of the last drop; INT64_MIN: none yet */
	uint64_t dropped;  /* events dropped in the current run */
};

enum ratelimit_verdict {
	RATELIMIT_PASS,  /* the event goes on */
	RATELIMIT_DROP,  /* over the limit: drop the event */
	RATELIMIT_ABUSE, /* dropped, and over it for grace_ms: disconnect */
};

/* A full bucket at 'now'. */
void ratelimit_init(struct ratelimit *rl, const struct ratelimit_config *cfg,
    int64_t now);

/*
 * One event at 'now': refills the bucket for the time since the last
 * call (cfg->rate a second, up to cfg->burst) and takes one event from
 * it.  An empty bucket drops the event; a drop that comes less than
 * RATELIMIT_PAUSE_MS after the previous one continues its run, and a
 * run that has lasted cfg->grace_ms (when not 0) is abuse.
 */
enum ratelimit_verdict ratelimit_take(struct ratelimit *rl,
    const struct ratelimit_config *cfg, int64_t now);

#endif
