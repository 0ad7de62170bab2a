/*
 * evloop.c - a libuv loop shared with libwebsockets, its signals, a drain
 * and the teardown.
 */
#include "evloop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif

#include "mono.h"

static void
close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
close_handles(struct evloop *el)
{
	close_handle((uv_handle_t *)&el->drain);
	close_handle((uv_handle_t *)&el->prepare);
	close_handle((uv_handle_t *)&el->sigint);
	close_handle((uv_handle_t *)&el->sigterm);
	close_handle((uv_handle_t *)&el->sighup);
}

int
evloop_init(struct evloop *el, const struct evloop_hooks *hooks)
{
	memset(el, 0, sizeof(*el));
	el->hooks = *hooks;
	if (uv_loop_init(&el->loop) != 0)
		return -1;
	uv_signal_init(&el->loop, &el->sigint);
	uv_signal_init(&el->loop, &el->sigterm);
	uv_signal_init(&el->loop, &el->sighup);
	uv_timer_init(&el->loop, &el->drain);
	uv_prepare_init(&el->loop, &el->prepare);
	el->sigint.data = el->sigterm.data = el->sighup.data = el;
	el->drain.data = el->prepare.data = el;
	return 0;
}

struct lws_context *
evloop_create_context(struct evloop *el,
    struct lws_context_creation_info *info)
{
	el->foreign_loops[0] = &el->loop;
	info->foreign_loops = el->foreign_loops;
	info->options |= LWS_SERVER_OPTION_LIBUV;
	info->pcontext = &el->ctx; /* lws sets it to NULL when all is freed */
	el->ctx = lws_create_context(info);
	/*
	 * lws 4.1 on a foreign loop, failing to make the default vhost (the
	 * port is taken), has begun destroying the context and returns it
	 * anyway.  A second lws_context_destroy() now would unload the evlib
	 * plugin while its watchers are still closing on the loop, whose next
	 * turn then calls into unmapped code: evloop_release() must only let
	 * the loop close them, then finish.
	 */
	if (el->ctx != NULL &&
	    !(info->options & LWS_SERVER_OPTION_EXPLICIT_VHOSTS) &&
	    lws_get_vhost_by_name(el->ctx, "default") == NULL) {
		el->destroying = 1;
		return NULL;
	}
	return el->ctx;
}

static void
on_prepare(uv_prepare_t *h)
{
	struct evloop *el = h->data;

	el->hooks.before_wait(el->hooks.arg);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct evloop *el = h->data;

	el->hooks.on_signal(el->hooks.arg, signum);
}

static void
on_hangup(uv_signal_t *h, int signum)
{
	struct evloop *el = h->data;

	(void)signum;
	el->hooks.on_hangup(el->hooks.arg);
}

void
evloop_run(struct evloop *el)
{
	if (el->hooks.before_wait != NULL)
		uv_prepare_start(&el->prepare, on_prepare);
	uv_signal_start(&el->sigint, on_signal, SIGINT);
	uv_signal_start(&el->sigterm, on_signal, SIGTERM);
	if (el->hooks.on_hangup != NULL)
		uv_signal_start(&el->sighup, on_hangup, SIGHUP);
	uv_run(&el->loop, UV_RUN_DEFAULT);
}

static void
on_drain_tick(uv_timer_t *t)
{
	struct evloop *el = t->data;

	if (el->drained(el->drained_arg) || mono_ms() >= el->drain_deadline)
		evloop_finish(el);
}

void
evloop_drain(struct evloop *el, int (*drained)(void *arg), void *arg,
    unsigned poll_ms, unsigned max_ms)
{
	if (el->drained != NULL || uv_is_closing((uv_handle_t *)&el->drain))
		return;
	el->drained = drained;
	el->drained_arg = arg;
	el->drain_deadline = mono_ms() + max_ms;
	uv_timer_start(&el->drain, on_drain_tick, 0, poll_ms);
}

void
evloop_finish(struct evloop *el)
{
	uv_timer_stop(&el->drain);
	close_handles(el);
	/* On a foreign loop this only starts the teardown: lws closes its
	 * watchers through the loop, and evloop_release() finishes it. */
	if (el->ctx != NULL && !el->destroying) {
		el->destroying = 1;
		lws_context_destroy(el->ctx);
	}
}

/* libuv asks epoll, which says EPERM; poll() said "ready" for these. */
int
evloop_can_poll(int fd)
{
#ifdef __linux__
	struct epoll_event ev;
	int ep, rc, e;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return 1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	rc = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	e = errno;
	close(ep);
	return rc == 0 || e != EPERM;
#else
	struct stat st;

	return fstat(fd, &st) == -1 || !S_ISREG(st.st_mode);
#endif
}

void
evloop_release(struct evloop *el)
{
	evloop_finish(el);
	uv_run(&el->loop, UV_RUN_DEFAULT);
	/* lws clears el->ctx (info.pcontext) once it has freed everything;
	 * a context it still holds needs the second call that a foreign
	 * loop asks for, and one more turn of the loop. */
	if (el->ctx != NULL) {
		lws_context_destroy(el->ctx);
		uv_run(&el->loop, UV_RUN_DEFAULT);
	}
	uv_loop_close(&el->loop);
}
