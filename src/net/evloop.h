/*
 * evloop.h - one libuv loop that libwebsockets joins as a foreign loop,
 * with SIGINT and SIGTERM (and SIGHUP when asked) watched on it, a hook
 * before every wait, a drain that waits for a condition until a deadline,
 * and the teardown lws needs on a foreign loop.  Shared by georoomd and
 * georoom-cli so that neither copies it.  Never prints and never exits.
 */
#ifndef GEOROOM_EVLOOP_H
#define GEOROOM_EVLOOP_H

#include <stdint.h>

#include <libwebsockets.h>
#include <uv.h>

struct evloop_hooks {
	/* SIGINT or SIGTERM came, each time one does; seen on the loop, so
	 * no race with the wait. */
	void (*on_signal)(void *arg, int signum);
	/* SIGHUP came, each time it does; NULL: SIGHUP is not watched. */
	void (*on_hangup)(void *arg);
	/* Just before the loop waits for I/O; NULL: nothing. */
	void (*before_wait)(void *arg);
	void *arg;
};

/* Everything one run owns; the caller provides it (on its stack). */
struct evloop {
	uv_loop_t loop;
	uv_signal_t sigint, sigterm, sighup;
	uv_prepare_t prepare;
	uv_timer_t drain;
	void *foreign_loops[1];  /* info.foreign_loops: &loop */
	struct lws_context *ctx; /* info.pcontext: NULL once lws freed it */
	struct evloop_hooks hooks;
	int (*drained)(void *arg);
	void *drained_arg;
	int64_t drain_deadline;
	int destroying; /* lws_context_destroy() called once */
};

/* Sets up the loop and its watchers ('hooks' copied).  0, or -1. */
int evloop_init(struct evloop *el, const struct evloop_hooks *hooks);

/*
 * Creates the lws context on the loop from 'info', filled by the caller
 * but for the foreign loop, LWS_SERVER_OPTION_LIBUV and pcontext, which
 * this adds.  Returns the context (also in el->ctx), or NULL, after which
 * only evloop_release() may be called.
 */
struct lws_context *evloop_create_context(struct evloop *el,
    struct lws_context_creation_info *info);

/*
 * Watches the signals, calls the hook before each wait, and runs the loop
 * until evloop_finish() has let it go and lws has closed its watchers.
 */
void evloop_run(struct evloop *el);

/*
 * Looks whether drained(arg) every 'poll_ms' ms, first on the next turn of
 * the loop, and calls evloop_finish() when it says yes or 'max_ms' ms have
 * passed.  Once per run; a second call is ignored.
 */
void evloop_drain(struct evloop *el, int (*drained)(void *arg), void *arg,
    unsigned poll_ms, unsigned max_ms);

/*
 * Lets go of the loop: closes the watchers and starts destroying the lws
 * context, which on a foreign loop ends on the loop.  Idempotent.
 */
void evloop_finish(struct evloop *el);

/*
 * Whether the loop can watch 'fd' for reading: 1, or 0 for what epoll
 * refuses (regular files, /dev/null), which is always ready to be read.
 */
int evloop_can_poll(int fd);

/*
 * Finishes if that was not done, runs the loop dry, makes the second
 * lws_context_destroy() a foreign loop may need, and closes the loop.
 */
void evloop_release(struct evloop *el);

#endif
