/*
 * redislink.h - a link to one Redis server on the caller's libuv loop.
 * Owns: two hiredis connections (one subscribed, one for PUBLISH and other
 * commands), logging in and SELECTing the db on each, the subscriptions
 * (channels, patterns and Redis 7's shard channels), restored on every
 * reconnection, reconnection with backoff, a health
 * check, and a byte budget that keeps a slow Redis from growing memory.
 * Never blocks, starts no thread of its own, never prints, knows nothing
 * of what the messages mean.
 *
 * States: CONNECTING until the first attempt ends; UP once both
 * connections are logged in, on the db, and every subscription known then
 * is confirmed; DOWN when an attempt failed or the link was lost, while it
 * retries after delays that double from retry_min_ms to retry_max_ms with
 * jitter (random +/-50%).  on_state() is called once for each change, not
 * for each failed attempt while DOWN.  While UP, a PING goes out whenever
 * nothing is awaited; when Redis has answered nothing for timeout_ms while
 * something is awaited (a stopped server, a silent network), the link is
 * dropped and goes DOWN.  An attempt not UP within timeout_ms fails.
 *
 * Budget: each PUBLISH is charged its channel and payload length plus
 * REDISLINK_CMD_COST until Redis answers it (or the connection is lost),
 * which covers what waits in hiredis's buffer, in the kernel's and in
 * Redis.  A publish that would take the charge past the budget is refused
 * with ENOBUFS: the bytes and the bookkeeping a slow Redis makes the hub
 * hold stay under about the budget.  A refused publish is the caller's to
 * count as lost; nothing is queued for later, nor while the link is down.
 *
 * Host names are resolved with uv_getaddrinfo() (libuv's threads, never
 * the loop's); each address is tried in turn before a delay.
 */
#ifndef GEOROOM_REDISLINK_H
#define GEOROOM_REDISLINK_H

#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <uv.h>

#include "backoff.h"
#include "hashtab.h"
#include "redisurl.h"

#define REDISLINK_BUDGET (16u << 20) /* bytes; the default budget */
#define REDISLINK_CMD_COST 64 /* bytes charged a PUBLISH beyond its own */
#define REDISLINK_TIMEOUT_MS 5000
#define REDISLINK_RETRY_MIN_MS 100
#define REDISLINK_RETRY_MAX_MS 5000

enum redislink_state { REDISLINK_CONNECTING, REDISLINK_UP, REDISLINK_DOWN };

struct redislink_config {
	/*
	 * A message on a channel subscribed to, or matching a pattern
	 * subscribed to ('pattern' is then that pattern, else NULL).
	 * 'channel' and 'payload' are borrowed for the call, NUL-terminated
	 * beyond their lengths.
	 */
	void (*on_message)(void *ctx, const char *pattern, const char *channel,
	    size_t chlen, const char *payload, size_t len);
	/* The state changed; 'reason' (borrowed) says why, for a log line,
	 * and never holds the password. */
	void (*on_state)(void *ctx, enum redislink_state state,
	    const char *reason);
	void *ctx;
	size_t budget;         /* bytes; 0: REDISLINK_BUDGET */
	unsigned timeout_ms;   /* 0: REDISLINK_TIMEOUT_MS */
	unsigned retry_min_ms; /* 0: REDISLINK_RETRY_MIN_MS */
	unsigned retry_max_ms; /* 0: REDISLINK_RETRY_MAX_MS */
};

/* Counters for the caller's stats; read them, never write them. */
struct redislink_stats {
	uint64_t published;   /* PUBLISH commands accepted */
	uint64_t dropped;     /* publishes refused: ENOTCONN or ENOBUFS */
	uint64_t failed;      /* PUBLISHes Redis answered with an error */
	uint64_t over_budget; /* of those, refused with ENOBUFS */
	uint64_t received;    /* messages handed to on_message() */
	uint64_t attempts;    /* connection attempts */
	uint64_t reconnects;  /* times UP again after having been UP */
	uint64_t refused;     /* subscriptions Redis refused while UP */
	size_t pending;       /* bytes charged to the budget now */
};

struct redislink;

/* One of the two connections. */
struct redislink_conn {
	struct redislink *link;
	struct redisAsyncContext *ac; /* NULL when none */
	int ready;                    /* logged in, on the db */
	int raw;                      /* read past hiredis (redislink.c) */
};

/*
 * Everything a link holds; the caller provides it and leaves it in place
 * until the loop has run dry after redislink_stop().  Only 'stats' is
 * the caller's to read.
 */
struct redislink {
	struct redislink_stats stats;
	uv_loop_t *loop;
	const struct redisurl *url; /* borrowed */
	struct redislink_config cfg;
	enum redislink_state state;
	char reason[256];
	char where[160]; /* the server and db, for reasons */
	char target[200]; /* the address this attempt connects to, for reasons */
	char addr[64];    /* ... as hiredis takes it */
	struct redislink_conn sub, cmd;
	struct hashtab subs;   /* kind and name -> struct redislink_sub */
	unsigned unconfirmed;  /* subscriptions awaited before UP */
	unsigned awaited;      /* replies awaited on cmd */
	int64_t waiting_since; /* when cmd last answered or began to wait */
	struct backoff backoff;
	uv_timer_t retry;  /* the delay before an attempt, or its deadline */
	uv_timer_t health; /* ticks while UP */
	uv_getaddrinfo_t resolve;
	int resolving;          /* 'resolve' is in flight */
	int resolve_stale;      /* ... for an attempt that has ended */
	struct addrinfo *addrs; /* owned: the addresses last resolved */
	struct addrinfo *next_addr;
	int started, stopping, was_up;
};

/*
 * Sets up a link to the server 'url' (borrowed, must outlive the link)
 * on 'loop'; 'cfg' is copied.  Nothing connects before redislink_start().
 * Returns 0, or -1 with errno.
 */
int redislink_init(struct redislink *l, uv_loop_t *loop,
    const struct redisurl *url, const struct redislink_config *cfg);

/* Makes the first attempt; the state is CONNECTING until it ends. */
void redislink_start(struct redislink *l);

/*
 * Subscribes to 'channel', or to the channels matching 'pattern'
 * (borrowed), now when UP and again after each reconnection.  Once is
 * enough: a name already subscribed to is not added twice.  Returns 0, or
 * -1 with errno ENOMEM.
 */
int redislink_subscribe(struct redislink *l, const char *channel);
int redislink_psubscribe(struct redislink *l, const char *pattern);

/*
 * The same for shard channel 'channel' ('len' bytes, any bytes): SSUBSCRIBE
 * (Redis 7).  Its messages come to on_message() as a channel's do.
 */
int redislink_ssubscribe(struct redislink *l, const char *channel, size_t len);

/*
 * Forgets the shard channel 'channel': SUNSUBSCRIBE now when connected,
 * and not again after a reconnection.  A message already on its way may
 * still come.  Returns 0 (also when it was not subscribed to), or -1 with
 * errno ENOMEM.
 */
int redislink_sunsubscribe(struct redislink *l, const char *channel,
    size_t len);

/* How many subscriptions of every kind the link holds. */
size_t redislink_subscriptions(const struct redislink *l);

/*
 * Publishes 'len' bytes of 'payload' on 'chlen' bytes of 'channel' (both
 * borrowed, copied at once).  Returns 0 when handed to the connection, or
 * -1 with errno ENOTCONN (not UP) or ENOBUFS (over the budget), counted
 * in stats.dropped.  Never waits.
 */
int redislink_publish(struct redislink *l, const char *channel, size_t chlen,
    const char *payload, size_t len);

/* The same with SPUBLISH, on a shard channel (Redis 7). */
int redislink_spublish(struct redislink *l, const char *channel, size_t chlen,
    const char *payload, size_t len);

/*
 * Asks for PUBSUB NUMSUB 'channel' (borrowed): how many connections, of
 * every node, are subscribed to it.  cb(ctx, count) comes exactly once,
 * later: count is -1 when no answer came (an error, the link lost or
 * stopped).  Returns 0, or -1 with errno ENOTCONN (not UP, and then cb
 * never comes) or ENOMEM.
 */
int redislink_numsub(struct redislink *l, const char *channel,
    void (*cb)(void *ctx, long long count), void *ctx);

/* The same with PUBSUB SHARDNUMSUB, for a shard channel (Redis 7). */
int redislink_shardnumsub(struct redislink *l, const char *channel,
    void (*cb)(void *ctx, long long count), void *ctx);

enum redislink_state redislink_state(const struct redislink *l);

/* Why the state is what it is, as on_state() was told. */
const char *redislink_reason(const struct redislink *l);

/* "connecting", "up" or "down". */
const char *redislink_state_name(enum redislink_state state);

/*
 * How long, at 'now_ms' (mono_ms()), the command connection has waited
 * for its next reply while replies are awaited (publishes, a PING): the
 * age of the oldest unanswered command once Redis stalls; 0 when none is
 * awaited.
 */
int64_t redislink_wait_ms(const struct redislink *l, int64_t now_ms);

/*
 * Closes both connections and the timers and stops retrying, calling
 * on_state() no more; commands awaiting an answer get their callbacks
 * (numsub with -1).  The loop runs dry once libuv has closed the handles.
 * Idempotent; safe from within the link's own callbacks.
 */
void redislink_stop(struct redislink *l);

/* Frees what the link holds; after redislink_stop() and the loop ran dry. */
void redislink_release(struct redislink *l);

#endif
