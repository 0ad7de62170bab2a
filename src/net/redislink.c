/*
 * redislink.c - a link to Redis: two hiredis connections on the caller's
 * libuv loop, subscriptions restored, reconnection, health, a budget.
 *
 * What hiredis 0.14's async API asks, and how this file answers:
 * - Every command's callback comes exactly once: with the reply, or with
 *   NULL when its context is freed.  The counters a command charged
 *   (awaited replies, budget bytes) are settled there, whichever context
 *   it came from.
 * - A context freed from within one of its callbacks is freed after the
 *   callback returns.  One whose connection failed or was lost is freed by
 *   hiredis itself right after onConnect/onDisconnect, and freeing it
 *   there again would free it twice; so is one freed from within its
 *   connect callback, which redisAsyncHandleWrite goes on using.  Hence a
 *   slot is emptied (conn->ac = NULL) before anything is freed, only a
 *   context still in its slot is ever freed here, and the callbacks of a
 *   context no longer in its slot only settle counters.
 * - A new attempt starts only from a timer, after every context of the
 *   last one is gone.
 * - In onConnect the error is in ac->c.errstr (ac->errstr is set later).
 * - The libuv adapter closes its uv_poll handle with uv_close() and frees
 *   it on a later turn of the loop; its cleanup hook must not run when
 *   attaching failed.  Its poll callback drops the error status libuv
 *   gives for POLLERR (having stopped the handle): a refused connect
 *   would never end.  Its hooks are replaced by ones whose callback lets
 *   hiredis look at the socket then, and find the error.
 * - 0.14 knows SUBSCRIBE and PSUBSCRIBE by name, but not Redis 7's
 *   SSUBSCRIBE: it would take a sharded message for the reply to whatever
 *   command is pending, and abort on one when none is.  So once logged in,
 *   the subscribed connection bypasses hiredis's callbacks: its commands
 *   are appended with redisAppendCommandArgv(), its replies read with
 *   redisBufferRead() and redisGetReply() and told apart here, by their
 *   first element, as RESP2 has them ("message", "smessage", ...).
 */
#include "redislink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libuv.h>

#include "errbuf.h"
#include "mono.h"

#include <sys/random.h>

enum sub_kind { SUB_CHANNEL, SUB_PATTERN, SUB_SHARD };

struct redislink_sub {
	size_t len; /* of the name */
	/* The table's key: the kind as one byte, then the name; a NUL. */
	char key[];
};

#define SUB_NAME(s) ((s)->key + 1)
#define SUB_KIND(s) ((enum sub_kind)(s)->key[0])

/* A PUBSUB NUMSUB asked, until its answer. */
struct numsub_req {
	void (*cb)(void *ctx, long long count);
	void *ctx;
};

static void attempt(struct redislink *l);

const char *
redislink_state_name(enum redislink_state state)
{
	switch (state) {
	case REDISLINK_CONNECTING:
		return "connecting";
	case REDISLINK_UP:
		return "up";
	case REDISLINK_DOWN:
		return "down";
	}
	return "?";
}

enum redislink_state
redislink_state(const struct redislink *l)
{
	return l->state;
}

const char *
redislink_reason(const struct redislink *l)
{
	return l->reason;
}

static void
report(struct redislink *l)
{
	if (l->cfg.on_state != NULL)
		l->cfg.on_state(l->cfg.ctx, l->state, l->reason);
}

/* The slot of a context in one of its callbacks, or NULL when the context
 * is no longer in it (being freed, or of an attempt that ended). */
static struct redislink_conn *
conn_of(const redisAsyncContext *ac)
{
	struct redislink_conn *c = ac->data;

	return c != NULL && c->ac == ac ? c : NULL;
}

/* Empties the slot, then frees its context (after the callback, when
 * within one of its own). */
static void
conn_close(struct redislink_conn *c)
{
	redisAsyncContext *ac = c->ac;

	c->ac = NULL;
	c->ready = 0;
	c->raw = 0;
	if (ac != NULL)
		redisAsyncFree(ac);
}

static void
free_addrs(struct redislink *l)
{
	if (l->addrs != NULL)
		uv_freeaddrinfo(l->addrs);
	l->addrs = l->next_addr = NULL;
}

/* A reply (or NULL) came for a command sent on cmd. */
static void
answered(struct redislink *l, const redisReply *reply)
{
	if (l->awaited > 0)
		l->awaited--;
	if (reply != NULL)
		l->waiting_since = mono_ms();
}

int64_t
redislink_wait_ms(const struct redislink *l, int64_t now_ms)
{
	if (l->awaited == 0 || now_ms < l->waiting_since)
		return 0;
	return now_ms - l->waiting_since;
}

static void
on_retry(uv_timer_t *t)
{
	attempt(t->data);
}

/*
 * The link is lost, or an attempt failed: both connections go, and the
 * next attempt is due after a delay, or at once for the next address of
 * a name (the state stays as it is until the last address failed).  DOWN
 * is reported when it is new.
 */
static void link_fail(struct redislink *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
link_fail(struct redislink *l, const char *fmt, ...)
{
	enum redislink_state was = l->state;
	int next_addr = l->next_addr != NULL;
	va_list ap;

	if (l->stopping)
		return;
	va_start(ap, fmt);
	vsnprintf(l->reason, sizeof(l->reason), fmt, ap);
	va_end(ap);
	if (!next_addr)
		l->state = REDISLINK_DOWN;
	l->unconfirmed = 0;
	uv_timer_stop(&l->health);
	/* Their pending callbacks run now: a numsub's may call us back. */
	conn_close(&l->sub);
	conn_close(&l->cmd);
	if (l->stopping)
		return;
	if (l->resolving)
		l->resolve_stale = 1;
	if (next_addr) {
		uv_timer_start(&l->retry, on_retry, 0, 0);
		return;
	}
	free_addrs(l);
	uv_timer_start(&l->retry, on_retry,
	    backoff_next(&l->backoff, backoff_random()), 0);
	if (was != REDISLINK_DOWN)
		report(l);
}

static void on_health(uv_timer_t *t);

static void
check_up(struct redislink *l)
{
	unsigned tick = l->cfg.timeout_ms / 4;

	if (l->state == REDISLINK_UP || !l->sub.ready || !l->cmd.ready ||
	    l->unconfirmed > 0)
		return;
	uv_timer_stop(&l->retry);
	backoff_reset(&l->backoff);
	free_addrs(l);
	if (l->was_up)
		l->stats.reconnects++;
	l->was_up = 1;
	l->state = REDISLINK_UP;
	if (l->url->db != 0)
		errbuf_printf(l->reason, sizeof(l->reason),
		    "connected to %s db %u", l->target, l->url->db);
	else
		errbuf_printf(l->reason, sizeof(l->reason), "connected to %s",
		    l->target);
	l->waiting_since = mono_ms();
	uv_timer_start(&l->health, on_health, tick ? tick : 1,
	    tick ? tick : 1);
	report(l);
}

static void
on_message(struct redislink *l, const char *pattern, const redisReply *ch,
    const redisReply *payload)
{
	if (ch->type != REDIS_REPLY_STRING ||
	    payload->type != REDIS_REPLY_STRING)
		return;
	l->stats.received++;
	if (l->cfg.on_message != NULL)
		l->cfg.on_message(l->cfg.ctx, pattern, ch->str, ch->len,
		    payload->str, payload->len);
}

/* One reply on the subscribed connection: a confirmation, a message, or
 * an error. */
static void
on_sub_reply(struct redislink *l, const redisReply *reply)
{
	redisReply **e;
	const char *kind;

	if (reply->type == REDIS_REPLY_ERROR) {
		/* A subscription refused (an unknown SSUBSCRIBE before Redis
		 * 7, a channel an ACL user lacks): while connecting, the
		 * reason is worth a retry and a log line; once UP, the one
		 * subscription is lost and the rest goes on. */
		if (l->state != REDISLINK_UP)
			link_fail(l, "%s refused a subscription: %s",
			    l->target, reply->str);
		else
			l->stats.refused++;
		return;
	}
	if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3 ||
	    reply->element[0]->type != REDIS_REPLY_STRING)
		return;
	e = reply->element;
	kind = e[0]->str;
	if (strcmp(kind, "message") == 0 || strcmp(kind, "smessage") == 0) {
		on_message(l, NULL, e[1], e[2]);
	} else if (strcmp(kind, "pmessage") == 0 && reply->elements == 4) {
		if (e[1]->type == REDIS_REPLY_STRING)
			on_message(l, e[1]->str, e[2], e[3]);
	} else if (strcmp(kind, "subscribe") == 0 ||
	    strcmp(kind, "psubscribe") == 0 ||
	    strcmp(kind, "ssubscribe") == 0) {
		if (l->unconfirmed > 0 && --l->unconfirmed == 0)
			check_up(l);
	}
}

/*
 * Reads what the subscribed connection received and hands each reply to
 * on_sub_reply(), in place of redisAsyncHandleRead() (see the top).  The
 * callbacks may stop the link or drop the connection: the slot is looked
 * at again after each.
 */
static void
sub_read(struct redislink_conn *c)
{
	struct redislink *l = c->link;
	redisAsyncContext *ac = c->ac;
	void *reply = NULL;

	if (redisBufferRead(&ac->c) == REDIS_ERR) {
		link_fail(l, "connection to %s lost: %s", l->target,
		    ac->c.errstr[0] != '\0' ? ac->c.errstr : "closed");
		return;
	}
	while (c->ac == ac) {
		if (redisGetReply(&ac->c, &reply) == REDIS_ERR) {
			link_fail(l, "connection to %s lost: %s", l->target,
			    ac->c.errstr[0] != '\0' ? ac->c.errstr :
			                              "protocol error");
			return;
		}
		if (reply == NULL)
			return;
		on_sub_reply(l, reply);
		freeReplyObject(reply);
		reply = NULL;
	}
}

/* Appends a command to the subscribed connection, past hiredis's
 * callbacks, and has it written when the socket is writable. */
static int
sub_command(struct redislink_conn *c, int argc, const char **argv,
    const size_t *lens)
{
	redisAsyncContext *ac = c->ac;

	if (ac == NULL || !c->raw ||
	    redisAppendCommandArgv(&ac->c, argc, argv, lens) != REDIS_OK)
		return -1;
	if (ac->ev.addWrite != NULL)
		ac->ev.addWrite(ac->ev.data);
	return 0;
}

static const char *const sub_verbs[][2] = {
	[SUB_CHANNEL] = { "SUBSCRIBE", "UNSUBSCRIBE" },
	[SUB_PATTERN] = { "PSUBSCRIBE", "PUNSUBSCRIBE" },
	[SUB_SHARD] = { "SSUBSCRIBE", "SUNSUBSCRIBE" },
};

/* Sends the (un)subscription of 's': one name a command, so that one
 * confirmation comes for each. */
static int
sub_send(struct redislink *l, const struct redislink_sub *s, int un)
{
	const char *argv[2] = { sub_verbs[SUB_KIND(s)][un], SUB_NAME(s) };
	size_t lens[2] = { strlen(argv[0]), s->len };

	return sub_command(&l->sub, 2, argv, lens);
}

/* The reply to a command of the login (AUTH, SELECT: 'priv' names it) or
 * to the PING that ends it. */
static void
on_login_reply(redisAsyncContext *ac, void *r, void *priv)
{
	struct redislink_conn *c = ac->data;
	struct redislink *l = c->link;
	struct redislink_sub *s;
	redisReply *reply = r;
	size_t pos = 0;

	if (c == &l->cmd)
		answered(l, reply);
	if (reply == NULL || conn_of(ac) == NULL)
		return;
	if (reply->type == REDIS_REPLY_ERROR) {
		link_fail(l, "%s refused %s: %s", l->target,
		    (const char *)priv, reply->str);
		return;
	}
	if (strcmp(priv, "PING") != 0)
		return;
	c->ready = 1;
	if (c == &l->sub) {
		/* Nothing is pending on it now: from here on its replies are
		 * read by sub_read(). */
		c->raw = 1;
		while ((s = hashtab_next(&l->subs, &pos)) != NULL) {
			if (sub_send(l, s, 0) == 0)
				l->unconfirmed++;
		}
	}
	check_up(l);
}

static int
conn_send(struct redislink_conn *c, redisCallbackFn *fn, void *priv, int argc,
    const char **argv, const size_t *lens)
{
	struct redislink *l = c->link;

	if (c->ac == NULL ||
	    redisAsyncCommandArgv(c->ac, fn, priv, argc, argv, lens) !=
	        REDIS_OK)
		return -1;
	if (c == &l->cmd && l->awaited++ == 0)
		l->waiting_since = mono_ms();
	return 0;
}

/* AUTH and SELECT as the URL asks, then a PING: sent at once, they go out
 * as soon as the connection is made. */
static void
login(struct redislink_conn *c)
{
	const struct redisurl *u = c->link->url;
	const char *argv[3];
	size_t lens[3];
	char db[16];
	int n = redisurl_auth_argv(u, argv);

	if (n > 0) {
		for (int i = 0; i < n; i++)
			lens[i] = strlen(argv[i]);
		conn_send(c, on_login_reply, "AUTH", n, argv, lens);
	}
	if (u->db != 0) {
		snprintf(db, sizeof(db), "%u", u->db);
		argv[0] = "SELECT";
		argv[1] = db;
		lens[0] = 6;
		lens[1] = strlen(db);
		conn_send(c, on_login_reply, "SELECT", 2, argv, lens);
	}
	argv[0] = "PING";
	lens[0] = 4;
	conn_send(c, on_login_reply, "PING", 1, argv, lens);
}

static void
on_connect(const redisAsyncContext *ac, int status)
{
	struct redislink_conn *c = ac->data;

	/* hiredis frees a context that failed to connect right after this. */
	if (status == REDIS_OK || c->ac != ac)
		return;
	c->ac = NULL;
	link_fail(c->link, "connecting to %s: %s", c->link->target,
	    ac->c.errstr[0] != '\0' ? ac->c.errstr : "failed");
}

static void
on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redislink_conn *c = ac->data;

	(void)status;
	/* Ours to free, or already freed by us: nothing more to do. */
	if (c->ac != ac)
		return;
	c->ac = NULL;
	link_fail(c->link, "connection to %s lost: %s", c->link->target,
	    ac->c.err != 0 ? ac->c.errstr : "closed");
}

/*
 * The libuv adapter's hooks, with a poll callback that passes errors on:
 * libuv reports POLLERR (a refused connect, a reset) as UV_EBADF with no
 * events; hiredis then reads or writes, meets the error and disconnects.
 */
static void
on_poll(uv_poll_t *h, int status, int events)
{
	redisLibuvEvents *p = h->data;
	struct redislink_conn *c;

	if (status < 0)
		events = p->events;
	if (p->context != NULL && (events & UV_READABLE)) {
		c = conn_of(p->context);
		if (c != NULL && c->raw)
			sub_read(c);
		else
			redisAsyncHandleRead(p->context);
	}
	if (p->context != NULL && (events & UV_WRITABLE))
		redisAsyncHandleWrite(p->context);
}

static void
poll_events(void *data, int add, int del)
{
	redisLibuvEvents *p = data;

	p->events = (p->events | add) & ~del;
	if (p->events != 0)
		uv_poll_start(&p->handle, p->events, on_poll);
	else
		uv_poll_stop(&p->handle);
}

static void
ev_add_read(void *data)
{
	poll_events(data, UV_READABLE, 0);
}

static void
ev_del_read(void *data)
{
	poll_events(data, 0, UV_READABLE);
}

static void
ev_add_write(void *data)
{
	poll_events(data, UV_WRITABLE, 0);
}

static void
ev_del_write(void *data)
{
	poll_events(data, 0, UV_WRITABLE);
}

/* Opens one connection of the attempt; -1 when the attempt failed. */
static int
conn_open(struct redislink *l, struct redislink_conn *c)
{
	redisAsyncContext *ac;
	char why[128];

	if (l->url->path != NULL)
		ac = redisAsyncConnectUnix(l->url->path);
	else
		ac = redisAsyncConnect(l->addr, (int)l->url->port);
	if (ac == NULL) {
		link_fail(l, "connecting to %s: out of memory", l->target);
		return -1;
	}
	if (ac->err != 0) {
		snprintf(why, sizeof(why), "%s", ac->c.errstr);
		redisAsyncFree(ac);
		link_fail(l, "connecting to %s: %s", l->target, why);
		return -1;
	}
	ac->data = c;
	if (redisLibuvAttach(ac, l->loop) != REDIS_OK) {
		/* The adapter sets its hooks before it fails; its cleanup
		 * would then reach for memory it never set up. */
		memset(&ac->ev, 0, sizeof(ac->ev));
		redisAsyncFree(ac);
		link_fail(l, "connecting to %s: cannot watch the socket",
		    l->target);
		return -1;
	}
	ac->ev.addRead = ev_add_read;
	ac->ev.delRead = ev_del_read;
	ac->ev.addWrite = ev_add_write;
	ac->ev.delWrite = ev_del_write;
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
	if (l->url->path == NULL)
		redisEnableKeepAlive(&ac->c);
	c->ac = ac;
	c->ready = 0;
	c->raw = 0;
	login(c);
	return 0;
}

static void
connect_both(struct redislink *l)
{
	if (conn_open(l, &l->sub) == 0)
		conn_open(l, &l->cmd);
}

/* The next address of the name resolved. */
static void
connect_next(struct redislink *l)
{
	struct addrinfo *ai = l->next_addr;

	l->next_addr = ai->ai_next;
	if (ai->ai_family == AF_INET6)
		uv_ip6_name((const struct sockaddr_in6 *)ai->ai_addr, l->addr,
		    sizeof(l->addr));
	else
		uv_ip4_name((const struct sockaddr_in *)ai->ai_addr, l->addr,
		    sizeof(l->addr));
	errbuf_printf(l->target, sizeof(l->target), "%s:%u (%s)", l->url->host,
	    l->url->port, l->addr);
	connect_both(l);
}

static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct redislink *l = req->data;

	l->resolving = 0;
	if (l->stopping || l->resolve_stale) {
		l->resolve_stale = 0;
		if (res != NULL)
			uv_freeaddrinfo(res);
		return;
	}
	if (status < 0 || res == NULL) {
		link_fail(l, "resolving %s: %s", l->url->host,
		    status < 0 ? uv_strerror(status) : "no address");
		return;
	}
	free_addrs(l);
	l->addrs = l->next_addr = res;
	connect_next(l);
}

static void
on_deadline(uv_timer_t *t)
{
	struct redislink *l = t->data;

	link_fail(l, "no answer from %s within %u ms", l->target,
	    l->cfg.timeout_ms);
}

static int
is_address(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

static void
attempt(struct redislink *l)
{
	const struct redisurl *u = l->url;
	struct addrinfo hints;
	int rc;

	if (l->stopping)
		return;
	l->stats.attempts++;
	uv_timer_start(&l->retry, on_deadline, l->cfg.timeout_ms, 0);
	if (u->path != NULL) {
		errbuf_printf(l->target, sizeof(l->target), "%s", u->path);
		connect_both(l);
	} else if (is_address(u->host)) {
		errbuf_printf(l->addr, sizeof(l->addr), "%s", u->host);
		errbuf_printf(l->target, sizeof(l->target),
		    u->ipv6 ? "[%s]:%u" : "%s:%u", u->host, u->port);
		connect_both(l);
	} else if (l->next_addr != NULL) {
		connect_next(l);
	} else {
		errbuf_printf(l->target, sizeof(l->target), "%s:%u", u->host,
		    u->port);
		/* A lookup of an attempt that timed out may still be in
		 * flight: this attempt takes its answer. */
		l->resolve_stale = 0;
		if (l->resolving)
			return;
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		rc = uv_getaddrinfo(l->loop, &l->resolve, on_resolved, u->host,
		    NULL, &hints);
		if (rc != 0) {
			link_fail(l, "resolving %s: %s", u->host,
			    uv_strerror(rc));
			return;
		}
		l->resolving = 1;
	}
}

static void
on_pong(redisAsyncContext *ac, void *r, void *priv)
{
	struct redislink_conn *c = ac->data;

	(void)priv;
	answered(c->link, r);
}

/*
 * While UP: a PING when nothing is awaited, so that something always is;
 * the link is lost when Redis has answered nothing for timeout_ms.
 */
static void
on_health(uv_timer_t *t)
{
	struct redislink *l = t->data;
	const char *argv[1] = { "PING" };
	size_t lens[1] = { 4 };

	if (l->state != REDISLINK_UP)
		return;
	if (l->awaited == 0) {
		conn_send(&l->cmd, on_pong, NULL, 1, argv, lens);
		return;
	}
	if (mono_ms() - l->waiting_since >= l->cfg.timeout_ms)
		link_fail(l, "no answer from %s within %u ms", l->target,
		    l->cfg.timeout_ms);
}

int
redislink_init(struct redislink *l, uv_loop_t *loop,
    const struct redisurl *url, const struct redislink_config *cfg)
{
	uint8_t seed[16];

	if ((url->host == NULL) == (url->path == NULL)) {
		errno = EINVAL;
		return -1;
	}
	memset(l, 0, sizeof(*l));
	l->loop = loop;
	l->url = url;
	l->cfg = *cfg;
	if (l->cfg.budget == 0)
		l->cfg.budget = REDISLINK_BUDGET;
	if (l->cfg.timeout_ms == 0)
		l->cfg.timeout_ms = REDISLINK_TIMEOUT_MS;
	if (l->cfg.retry_min_ms == 0)
		l->cfg.retry_min_ms = REDISLINK_RETRY_MIN_MS;
	if (l->cfg.retry_max_ms == 0)
		l->cfg.retry_max_ms = REDISLINK_RETRY_MAX_MS;
	backoff_init(&l->backoff, l->cfg.retry_min_ms, l->cfg.retry_max_ms,
	    0.5);
	l->sub.link = l->cmd.link = l;
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		memset(seed, 0, sizeof(seed));
	hashtab_init(&l->subs, seed);
	uv_timer_init(loop, &l->retry);
	uv_timer_init(loop, &l->health);
	l->retry.data = l->health.data = l->resolve.data = l;
	redisurl_where(url, l->where, sizeof(l->where));
	errbuf_printf(l->target, sizeof(l->target), "%s", l->where);
	l->state = REDISLINK_CONNECTING;
	errbuf_printf(l->reason, sizeof(l->reason), "connecting to %s",
	    l->where);
	return 0;
}

void
redislink_start(struct redislink *l)
{
	if (l->started || l->stopping)
		return;
	l->started = 1;
	/* On the loop, so that on_state() never comes from within here. */
	uv_timer_start(&l->retry, on_retry, 0, 0);
}

/* The key of a subscription of 'kind' to 'name', in 'key' (room for
 * len + 1 bytes). */
static void
sub_key(char *key, enum sub_kind kind, const char *name, size_t len)
{
	key[0] = (char)kind;
	memcpy(key + 1, name, len);
}

static int
subscribe(struct redislink *l, enum sub_kind kind, const char *name,
    size_t len)
{
	struct redislink_sub *s;

	if (len > SIZE_MAX / 2 || (s = malloc(sizeof(*s) + len + 2)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	sub_key(s->key, kind, name, len);
	s->key[len + 1] = '\0';
	s->len = len;
	if (hashtab_get(&l->subs, s->key, len + 1) != NULL) {
		free(s);
		return 0;
	}
	if (hashtab_put(&l->subs, s->key, len + 1, s) == -1) {
		free(s);
		errno = ENOMEM;
		return -1;
	}
	/* Sent now when the login is done; else with the others then. */
	if (l->sub.ready && sub_send(l, s, 0) == 0 && l->state != REDISLINK_UP)
		l->unconfirmed++;
	return 0;
}

int
redislink_subscribe(struct redislink *l, const char *channel)
{
	return subscribe(l, SUB_CHANNEL, channel, strlen(channel));
}

int
redislink_psubscribe(struct redislink *l, const char *pattern)
{
	return subscribe(l, SUB_PATTERN, pattern, strlen(pattern));
}

int
redislink_ssubscribe(struct redislink *l, const char *channel, size_t len)
{
	return subscribe(l, SUB_SHARD, channel, len);
}

int
redislink_sunsubscribe(struct redislink *l, const char *channel, size_t len)
{
	struct redislink_sub *s;
	char small[256], *key = len < sizeof(small) ? small : malloc(len + 1);

	if (key == NULL) {
		errno = ENOMEM;
		return -1;
	}
	sub_key(key, SUB_SHARD, channel, len);
	s = hashtab_del(&l->subs, key, len + 1);
	if (key != small)
		free(key);
	if (s == NULL)
		return 0;
	/* Unconfirmed while connecting, it is confirmed all the same. */
	if (l->sub.ready)
		sub_send(l, s, 1);
	free(s);
	return 0;
}

size_t
redislink_subscriptions(const struct redislink *l)
{
	return l->subs.len;
}

static void
on_published(redisAsyncContext *ac, void *r, void *priv)
{
	struct redislink_conn *c = ac->data;
	struct redislink *l = c->link;
	size_t cost = (size_t)(uintptr_t)priv;

	answered(l, r);
	l->stats.pending -= cost < l->stats.pending ? cost : l->stats.pending;
	/* NOPERM for an ACL user without the channel, say. */
	if (r != NULL && ((redisReply *)r)->type == REDIS_REPLY_ERROR)
		l->stats.failed++;
}

static int
publish(struct redislink *l, const char *verb, const char *channel,
    size_t chlen, const char *payload, size_t len)
{
	const char *argv[3] = { verb, channel, payload };
	size_t lens[3] = { strlen(verb), chlen, len };
	size_t cost = chlen + len + REDISLINK_CMD_COST;

	if (l->state != REDISLINK_UP) {
		errno = ENOTCONN;
		goto refused;
	}
	if (cost > l->cfg.budget || l->stats.pending > l->cfg.budget - cost) {
		l->stats.over_budget++;
		errno = ENOBUFS;
		goto refused;
	}
	if (conn_send(&l->cmd, on_published, (void *)(uintptr_t)cost, 3, argv,
	        lens) == -1) {
		errno = ENOTCONN;
		goto refused;
	}
	l->stats.pending += cost;
	l->stats.published++;
	return 0;
refused:
	l->stats.dropped++;
	return -1;
}

int
redislink_publish(struct redislink *l, const char *channel, size_t chlen,
    const char *payload, size_t len)
{
	return publish(l, "PUBLISH", channel, chlen, payload, len);
}

int
redislink_spublish(struct redislink *l, const char *channel, size_t chlen,
    const char *payload, size_t len)
{
	return publish(l, "SPUBLISH", channel, chlen, payload, len);
}

static void
on_numsub(redisAsyncContext *ac, void *r, void *priv)
{
	struct redislink_conn *c = ac->data;
	struct numsub_req q = *(struct numsub_req *)priv;
	redisReply *reply = r;
	long long count = -1;

	free(priv);
	answered(c->link, reply);
	if (reply != NULL && reply->type == REDIS_REPLY_ARRAY &&
	    reply->elements == 2 &&
	    reply->element[1]->type == REDIS_REPLY_INTEGER)
		count = reply->element[1]->integer;
	q.cb(q.ctx, count);
}

static int
numsub(struct redislink *l, const char *which, const char *channel,
    void (*cb)(void *ctx, long long count), void *ctx)
{
	const char *argv[3] = { "PUBSUB", which, channel };
	size_t lens[3] = { 6, strlen(which), strlen(channel) };
	struct numsub_req *q;

	if (l->state != REDISLINK_UP) {
		errno = ENOTCONN;
		return -1;
	}
	if ((q = malloc(sizeof(*q))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	q->cb = cb;
	q->ctx = ctx;
	if (conn_send(&l->cmd, on_numsub, q, 3, argv, lens) == -1) {
		free(q);
		errno = ENOTCONN;
		return -1;
	}
	return 0;
}

int
redislink_numsub(struct redislink *l, const char *channel,
    void (*cb)(void *ctx, long long count), void *ctx)
{
	return numsub(l, "NUMSUB", channel, cb, ctx);
}

int
redislink_shardnumsub(struct redislink *l, const char *channel,
    void (*cb)(void *ctx, long long count), void *ctx)
{
	return numsub(l, "SHARDNUMSUB", channel, cb, ctx);
}

void
redislink_stop(struct redislink *l)
{
	if (l->stopping)
		return;
	l->stopping = 1;
	l->state = REDISLINK_DOWN;
	errbuf_printf(l->reason, sizeof(l->reason), "stopped");
	conn_close(&l->sub);
	conn_close(&l->cmd);
	uv_close((uv_handle_t *)&l->retry, NULL);
	uv_close((uv_handle_t *)&l->health, NULL);
	/* A lookup in flight ends on the loop; on_resolved() frees it. */
	if (l->resolving)
		uv_cancel((uv_req_t *)&l->resolve);
	free_addrs(l);
}

void
redislink_release(struct redislink *l)
{
	struct redislink_sub *s;
	size_t pos = 0;

	redislink_stop(l);
	while ((s = hashtab_next(&l->subs, &pos)) != NULL)
		free(s);
	hashtab_release(&l->subs);
}
