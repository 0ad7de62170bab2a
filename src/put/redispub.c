/*
 * redispub.c - a blocking publisher to one Redis server (see redispub.h).
 *
 * hiredis's synchronous API: redisAppendCommandArgv() only adds a command
 * to the context's output buffer, and redisGetReply() writes the buffer
 * out whole before it reads; SO_RCVTIMEO and SO_SNDTIMEO (redisSetTimeout)
 * bound each read and write.  As hiredis documents, an I/O error
 * (REDIS_ERR_IO) leaves its cause in errno, which is read at once.
 */
#include "redispub.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "errbuf.h"

/* The bytes of one command beyond its arguments: "*3\r\n$7\r\n..." */
#define COMMAND_OVERHEAD 64

void
redispub_init(struct redispub *p, const struct redisurl *url, int timeout_ms)
{
	memset(p, 0, sizeof(*p));
	p->url = url;
	p->timeout_ms = timeout_ms;
}

static void
disconnect(struct redispub *p)
{
	if (p->c != NULL)
		redisFree(p->c);
	p->c = NULL;
	p->queued = 0;
	p->unflushed = 0;
}

void
redispub_release(struct redispub *p)
{
	disconnect(p);
}

/* Records a failure of class 'cls' unless one came first; returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail(struct redispub *p, enum redispub_err cls, const char *fmt, ...)
{
	va_list ap;

	if (p->err != REDISPUB_OK)
		return -1;
	p->err = cls;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The context failed while 'doing' ("sending", "reading the reply to
 * PUBLISH"); 'e' is errno as the failing call left it.  Closes the
 * connection, whose state is unknown now.
 */
static int
io_failed(struct redispub *p, int e, const char *doing)
{
	int kind = p->c != NULL ? p->c->err : REDIS_ERR_OOM;
	char detail[sizeof(p->c->errstr)];

	snprintf(detail, sizeof(detail), "%s",
	    p->c != NULL ? p->c->errstr : "out of memory");
	disconnect(p);
	switch (kind) {
	case REDIS_ERR_IO:
		if (e == EAGAIN || e == EWOULDBLOCK || e == ETIMEDOUT)
			return fail(p, REDISPUB_TIMEOUT,
			    "redis at %s: %s: timed out after %d ms", p->where,
			    doing, p->timeout_ms);
		return fail(p, REDISPUB_CLOSED, "redis at %s: %s: %s",
		    p->where, doing, strerror(e));
	case REDIS_ERR_EOF:
		return fail(p, REDISPUB_CLOSED,
		    "redis at %s closed the connection (%s)", p->where, doing);
	case REDIS_ERR_PROTOCOL:
		return fail(p, REDISPUB_PROTOCOL,
		    "redis at %s: %s: not a Redis reply: %s", p->where, doing,
		    detail);
	case REDIS_ERR_OOM:
		return fail(p, REDISPUB_LOCAL, "%s: out of memory", doing);
	default:
		return fail(p, REDISPUB_CLOSED, "redis at %s: %s: %s",
		    p->where, doing, detail);
	}
}

/*
 * The class of an error reply, from its code: the word it starts with,
 * which the Redis protocol sets apart for programs to read.
 */
static enum redispub_err
error_class(const redisReply *r)
{
	static const char *const denied[] = { "NOAUTH", "WRONGPASS",
		"NOPERM" };
	size_t n = strcspn(r->str, " \r\n");

	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (n == strlen(denied[i]) &&
		    memcmp(r->str, denied[i], n) == 0)
			return REDISPUB_DENIED;
	return REDISPUB_REFUSED;
}

/*
 * Sends one command and reads its reply (freed with freeReplyObject()),
 * which must be of type 'want' (or an error).  Returns the reply, or NULL
 * with the failure recorded; 'name' names the command in messages.
 */
static redisReply *
call(struct redispub *p, const char *name, int argc, const char **argv,
    int want)
{
	size_t lens[4];
	redisReply *r;
	int e;

	for (int i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	errno = 0;
	r = redisCommandArgv(p->c, argc, argv, lens);
	e = errno;
	if (r == NULL) {
		io_failed(p, e, name);
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		/* The command's name only: AUTH's arguments are secret. */
		fail(p,
		    strcmp(name, "AUTH") == 0 ? REDISPUB_DENIED :
		                                error_class(r),
		    "redis at %s refused %s: %s", p->where, name, r->str);
		freeReplyObject(r);
		return NULL;
	}
	if (r->type != want) {
		fail(p, REDISPUB_PROTOCOL,
		    "redis at %s: a reply of type %d to %s", p->where, r->type,
		    name);
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* AUTH [user] password and SELECT db, as the URL asks. */
static int
login(struct redispub *p)
{
	const struct redisurl *u = p->url;
	const char *argv[3];
	redisReply *r;
	char db[16];
	int n = redisurl_auth_argv(u, argv);

	if (n > 0) {
		if ((r = call(p, "AUTH", n, argv, REDIS_REPLY_STATUS)) == NULL)
			return -1;
		freeReplyObject(r);
	}
	if (u->db != 0) {
		snprintf(db, sizeof(db), "%u", u->db);
		argv[0] = "SELECT";
		argv[1] = db;
		if ((r = call(p, "SELECT", 2, argv, REDIS_REPLY_STATUS)) ==
		    NULL)
			return -1;
		freeReplyObject(r);
	}
	return 0;
}

int
redispub_connect(struct redispub *p)
{
	struct timeval tv = { .tv_sec = p->timeout_ms / 1000,
		.tv_usec = (p->timeout_ms % 1000) * 1000 };
	const struct redisurl *u = p->url;

	if (p->c != NULL)
		return 0;
	if (u == NULL)
		return fail(p, REDISPUB_LOCAL, "no Redis server named");
	redisurl_where(u, p->where, sizeof(p->where));
	if (u->path != NULL)
		p->c = redisConnectUnixWithTimeout(u->path, tv);
	else
		p->c = redisConnectWithTimeout(u->host, (int)u->port, tv);
	if (p->c == NULL)
		return fail(p, REDISPUB_LOCAL,
		    "connecting to redis at %s: "
		    "out of memory",
		    p->where);
	if (p->c->err != 0) {
		fail(p,
		    p->c->err == REDIS_ERR_OOM ? REDISPUB_LOCAL :
		                                 REDISPUB_UNREACHABLE,
		    "redis at %s unreachable: %s", p->where, p->c->errstr);
		disconnect(p);
		return -1;
	}
	if (redisSetTimeout(p->c, tv) != REDIS_OK) {
		fail(p, REDISPUB_LOCAL, "redis at %s: setting a timeout: %s",
		    p->where, p->c->errstr);
		disconnect(p);
		return -1;
	}
	if (login(p) == -1) {
		disconnect(p);
		return -1;
	}
	return 0;
}

int
redispub_ping(struct redispub *p)
{
	const char *argv[] = { "PING" };
	redisReply *r;

	if (redispub_connect(p) == -1)
		return -1;
	if (p->queued > 0)
		return fail(p, REDISPUB_LOCAL, "PING behind PUBLISHes unread");
	if ((r = call(p, "PING", 1, argv, REDIS_REPLY_STATUS)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

/* Writes the output buffer out whole. */
static int
flush(struct redispub *p)
{
	int done = 0, e;

	while (!done) {
		errno = 0;
		if (redisBufferWrite(p->c, &done) != REDIS_OK) {
			e = errno;
			return io_failed(p, e, "sending PUBLISH");
		}
	}
	p->unflushed = 0;
	return 0;
}

int
redispub_publish(struct redispub *p, const char *chan, size_t chan_len,
    const void *msg, size_t len)
{
	const char *argv[] = { "PUBLISH", chan, msg };
	size_t lens[] = { 7, chan_len, len };

	if (p->c == NULL)
		return fail(p, REDISPUB_LOCAL, "PUBLISH: not connected");
	if (redisAppendCommandArgv(p->c, 3, argv, lens) != REDIS_OK)
		return io_failed(p, errno, "queueing PUBLISH");
	p->published++;
	p->queued++;
	p->unflushed += chan_len + len + COMMAND_OVERHEAD;
	if (p->unflushed >= REDISPUB_FLUSH_BYTES)
		return flush(p);
	return 0;
}

int
redispub_reply(struct redispub *p, long long *receivers)
{
	void *v = NULL;
	redisReply *r;
	int e;

	if (p->c == NULL || p->queued == 0)
		return fail(p, REDISPUB_LOCAL, "no PUBLISH awaits a reply");
	if (p->unflushed > 0 && flush(p) == -1)
		return -1;
	errno = 0;
	if (redisGetReply(p->c, &v) != REDIS_OK || v == NULL) {
		e = errno;
		return io_failed(p, e, "reading the reply to PUBLISH");
	}
	p->queued--;
	r = v;
	if (r->type == REDIS_REPLY_INTEGER) {
		*receivers = r->integer;
		freeReplyObject(r);
		return 1;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		fail(p, error_class(r), "redis at %s refused PUBLISH: %s",
		    p->where, r->str);
		freeReplyObject(r);
		return 0;
	}
	/* Out of step with the commands: no later reply can be trusted. */
	fail(p, REDISPUB_PROTOCOL,
	    "redis at %s: a reply of type %d to PUBLISH", p->where, r->type);
	freeReplyObject(r);
	disconnect(p);
	return -1;
}
