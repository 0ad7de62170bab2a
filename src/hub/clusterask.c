/* clusterask.c - requests made of the other nodes (see clusterask.h). */
#include "clusterask.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* One question in flight. */
struct clusterask_q {
	LIST_ENTRY(clusterask_q) entry;
	struct cluster *c;
	uint64_t ticket;
	enum hub_ask_kind kind;
	char rid[SHARDMSG_UID_LEN + 1]; /* its requestId */
	const char *nsp; /* borrowed from the hub: namespaces live on */
	size_t nsp_len;
	char *msg; /* owned: the request, published once counted */
	size_t msg_len;
	hub_answer_fn fn; /* NULL once cancelled or answered */
	void *ctx;
	jv replies;   /* owned: the answers so far */
	long servers; /* from PUBSUB NUMSUB; -1 until then */
	long awaited; /* answers still expected */
	int counting; /* the NUMSUB is in flight */
	int timing;   /* the timer is initialised */
	int ended;
	uv_timer_t timer;
};

void
clusterask_make_id(char id[7])
{
	static const char chars[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		id[i] = chars[r[i] % (sizeof(chars) - 1)];
	id[sizeof(r)] = '\0';
}

void
clusterask_make_hex_id(char id[SHARDMSG_UID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[SHARDMSG_UID_LEN / 2];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	for (i = 0; i < sizeof(r); i++) {
		id[2 * i] = hex[r[i] >> 4];
		id[2 * i + 1] = hex[r[i] & 15];
	}
	id[2 * sizeof(r)] = '\0';
}

static void
on_timer_closed(uv_handle_t *h)
{
	struct clusterask_q *q = h->data;

	jv_free(q->replies);
	free(q->msg);
	free(q);
}

/* Frees 'q' once nothing can call back into it. */
static void
release(struct clusterask_q *q)
{
	if (q->counting)
		return; /* the NUMSUB's callback comes, and frees it */
	if (q->timing)
		uv_close((uv_handle_t *)&q->timer, on_timer_closed);
	else
		on_timer_closed((uv_handle_t *)&q->timer);
}

/* Answers 'q' with what came, then forgets it. */
static void
end(struct clusterask_q *q, int complete)
{
	struct hub_answers a;
	hub_answer_fn fn = q->fn;

	if (q->ended)
		return;
	q->ended = 1;
	q->fn = NULL;
	LIST_REMOVE(q, entry);
	q->c->nasks--;
	if (!complete)
		q->c->stats.incomplete++;
	if (q->timing)
		uv_timer_stop(&q->timer);
	if (fn != NULL) {
		a.replies = q->replies;
		a.servers = q->servers;
		a.complete = complete;
		fn(q->ctx, &a);
	}
	release(q);
}

static void
on_timeout(uv_timer_t *t)
{
	end(t->data, 0);
}

/* Names in c->chan where the requests of 'nsp' go: the request channel,
 * or, sharded, the namespace's. */
static int
request_channel(struct cluster *c, const char *nsp, size_t nsp_len)
{
	buf_reset(&c->chan);
	if (c->proto == CLUSTER_SHARDED)
		return shardmsg_channel(&c->chan, c->key, c->key_len, nsp,
		    nsp_len, NULL, 0);
	return clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_REQUEST, c->key,
	    c->key_len, nsp, nsp_len, NULL, 0);
}

/* Publishes 'len' bytes of 'msg' on the request channel of 'nsp'. */
static int
publish_request(struct cluster *c, const char *nsp, size_t nsp_len,
    const char *msg, size_t len)
{
	if (request_channel(c, nsp, nsp_len) == -1)
		return -1;
	if (c->proto == CLUSTER_SHARDED ?
	        redislink_spublish(&c->link, c->chan.data, c->chan.len, msg,
	            len) == -1 :
	        redislink_publish(&c->link, c->chan.data, c->chan.len, msg,
	            len) == -1) {
		c->stats.dropped++;
		return -1;
	}
	c->stats.published++;
	c->stats.asked++;
	return 0;
}

static void
on_counted(void *ctx, long long count)
{
	struct clusterask_q *q = ctx;

	q->counting = 0;
	if (q->ended) {
		release(q);
		return;
	}
	if (count < 1) {
		/* No answer, or not even this node subscribed: the link is
		 * going down. */
		end(q, 0);
		return;
	}
	q->servers = (long)count;
	q->awaited = q->servers - 1;
	if (q->kind == HUB_ASK_SERVERS || q->awaited == 0) {
		end(q, 1);
		return;
	}
	if (publish_request(q->c, q->nsp, q->nsp_len, q->msg, q->msg_len) ==
	    -1) {
		end(q, 0);
		return;
	}
	uv_timer_start(&q->timer, on_timeout, CLUSTERASK_TIMEOUT_MS, 0);
}

/* Fills c->iov with 'n' names of 'names', from 'at'. */
static void
names_iov(struct cluster *c, size_t at, const struct room_name *names,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		c->iov[at + i] = (struct iovec){ (void *)names[i].s,
			names[i].len };
}

/* The target of a request, its names in c->iov (room enough reserved). */
static struct clustermsg_target
target(struct cluster *c, const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept)
{
	struct clustermsg_target to;

	names_iov(c, 0, rooms, nrooms);
	names_iov(c, nrooms, except, nexcept);
	memset(&to, 0, sizeof(to));
	to.rooms = c->iov;
	to.nrooms = nrooms;
	to.except = c->iov + nrooms;
	to.nexcept = nexcept;
	return to;
}

/* Makes room for 'n' names in c->iov. */
static int
reserve_iov(struct cluster *c, size_t n)
{
	void *p;

	if (n <= c->iov_cap)
		return 0;
	if ((p = realloc(c->iov, n * sizeof(*c->iov))) == NULL)
		return -1;
	c->iov = p;
	c->iov_cap = n;
	return 0;
}

int
clusterask_ask(void *arg, const struct hub_ask *hq, hub_answer_fn fn,
    void *ctx, uint64_t *ticket)
{
	struct cluster *c = arg;
	struct clusterask_q *q;
	struct clustermsg_target to;
	int rc = 0;

	if (c->nasks >= CLUSTERASK_MAX) {
		errno = EAGAIN;
		return -1;
	}
	if (redislink_state(&c->link) != REDISLINK_UP) {
		errno = ENOTCONN;
		return -1;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return -1;
	q->c = c;
	q->kind = hq->kind;
	q->nsp = hub_namespace_name(hq->nsp, &q->nsp_len);
	q->fn = fn;
	q->ctx = ctx;
	q->replies = jv_array();
	q->servers = -1;
	if (c->proto == CLUSTER_SHARDED)
		clusterask_make_hex_id(q->rid);
	else
		clusterask_make_id(q->rid);
	buf_reset(&c->out);
	if (c->proto == CLUSTER_SHARDED && hq->kind != HUB_ASK_SERVERS) {
		struct shardmsg_from from;

		/* No ALL_ROOMS: the sockets' rooms (clusterask.h). */
		cluster_from(c, q->nsp, q->nsp_len, &from);
		if (hq->kind == HUB_ASK_FETCH &&
		    reserve_iov(c, hq->nrooms + hq->nexcept) == -1)
			rc = -1;
		else if (hq->kind == HUB_ASK_FETCH)
			to = target(c, hq->rooms, hq->nrooms, hq->except,
			    hq->nexcept);
		else
			memset(&to, 0, sizeof(to));
		if (rc == 0)
			rc = shardmsg_fetch(&c->out, &from, &to, q->rid,
			    strlen(q->rid));
	} else
		switch (hq->kind) {
		case HUB_ASK_FETCH:
			if (reserve_iov(c, hq->nrooms + hq->nexcept) == -1) {
				rc = -1;
				break;
			}
			to = target(c, hq->rooms, hq->nrooms, hq->except,
			    hq->nexcept);
			rc = clustermsg_req_fetch(&c->out, c->uid, c->uid_len,
			    q->rid, strlen(q->rid), &to);
			break;
		case HUB_ASK_ALL_ROOMS:
			rc = clustermsg_req_all_rooms(&c->out, c->uid,
			    c->uid_len, q->rid, strlen(q->rid));
			break;
		case HUB_ASK_SERVERS:
			break;
		}
	if (rc == 0 && c->out.len > 0) {
		if ((q->msg = malloc(c->out.len)) == NULL)
			rc = -1;
		else {
			memcpy(q->msg, c->out.data, c->out.len);
			q->msg_len = c->out.len;
		}
	}
	if (rc == 0 && (rc = request_channel(c, q->nsp, q->nsp_len)) == 0)
		rc = (c->proto == CLUSTER_SHARDED ? redislink_shardnumsub :
		                                    redislink_numsub)(&c->link,
		    c->chan.data, on_counted, q);
	if (rc == -1) {
		int e = errno;

		jv_free(q->replies);
		free(q->msg);
		free(q);
		errno = e;
		return -1;
	}
	q->counting = 1;
	uv_timer_init(c->link.loop, &q->timer);
	q->timer.data = q;
	q->timing = 1;
	q->ticket = ++c->next_ticket;
	LIST_INSERT_HEAD(&c->asks, q, entry);
	c->nasks++;
	*ticket = q->ticket;
	return 0;
}

void
clusterask_cancel(void *arg, uint64_t ticket)
{
	struct cluster *c = arg;
	struct clusterask_q *q;

	LIST_FOREACH(q, &c->asks, entry)
		if (q->ticket == ticket) {
			q->fn = NULL;
			return;
		}
}

void
clusterask_on_response(struct cluster *c, const char *msg, size_t len)
{
	struct clustermsg_req *r = &c->req;
	char err[128];

	if (LIST_EMPTY(&c->asks))
		return; /* answers to others, unread */
	if (clustermsg_req_parse(r, msg, len, err, sizeof(err)) == -1) {
		c->stats.malformed++;
		return;
	}
	if (r->request_id == NULL)
		return;
	clusterask_on_answer(c, r->request_id, r->request_id_len, r->body);
}

/* A FETCH_SOCKETS answer ('reply', consumed) as an ALL_ROOMS one: each
 * room of its sockets once, their own included. */
static jv
rooms_of_sockets(jv reply)
{
	jv socks = jv_object_get(jv_copy(reply), jv_string("sockets"));
	jv seen = jv_object(), rooms = jv_array();

	if (jv_get_kind(socks) == JV_KIND_ARRAY) {
		jv_array_foreach(socks, i, sock)
		{
			jv list = jv_get_kind(sock) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(sock), jv_string("rooms")) :
			    jv_invalid();

			if (jv_get_kind(list) == JV_KIND_ARRAY) {
				jv_array_foreach(list, j, r)
				{
					jv had;

					if (jv_get_kind(r) == JV_KIND_NUMBER)
						r = jv_dump_string(r, 0);
					had = jv_get_kind(r) ==
					        JV_KIND_STRING ?
					    jv_object_get(jv_copy(seen),
					        jv_copy(r)) :
					    jv_true();
					if (!jv_is_valid(had)) {
						seen = jv_object_set(seen,
						    jv_copy(r), jv_true());
						rooms = jv_array_append(rooms,
						    jv_copy(r));
					}
					jv_free(had);
					jv_free(r);
					(void)j;
				}
			}
			jv_free(list);
			jv_free(sock);
			(void)i;
		}
	}
	jv_free(socks);
	jv_free(seen);
	return jv_object_set(reply, jv_string("rooms"), rooms);
}

void
clusterask_on_answer(struct cluster *c, const char *rid, size_t rid_len,
    jv reply)
{
	struct clusterask_q *q;

	if (rid == NULL)
		return;
	LIST_FOREACH(q, &c->asks, entry)
		if (q->awaited > 0 && rid_len == strlen(q->rid) &&
		    memcmp(rid, q->rid, rid_len) == 0)
			break;
	if (q == NULL)
		return;
	reply = jv_copy(reply);
	if (c->proto == CLUSTER_SHARDED && q->kind == HUB_ASK_ALL_ROOMS)
		reply = rooms_of_sockets(reply);
	q->replies = jv_array_append(q->replies, reply);
	if (--q->awaited == 0)
		end(q, 1);
}

void
clusterask_stop(struct cluster *c)
{
	while (!LIST_EMPTY(&c->asks))
		end(LIST_FIRST(&c->asks), 0);
}

int
clusterask_tell(void *arg, const struct hub_tell *t)
{
	struct cluster *c = arg;
	struct clustermsg_target to;
	const char *nsp;
	size_t nsp_len;
	int rc = -1;

	if (redislink_state(&c->link) != REDISLINK_UP) {
		errno = ENOTCONN;
		c->stats.dropped++;
		return -1;
	}
	nsp = hub_namespace_name(t->nsp, &nsp_len);
	if (reserve_iov(c, t->nrooms + t->nexcept + t->nnames) == -1)
		return -1;
	to = target(c, t->rooms, t->nrooms, t->except, t->nexcept);
	names_iov(c, t->nrooms + t->nexcept, t->names, t->nnames);
	buf_reset(&c->out);
	if (c->proto == CLUSTER_SHARDED) {
		struct shardmsg_from from;

		cluster_from(c, nsp, nsp_len, &from);
		switch (t->kind) {
		case HUB_TELL_JOIN:
		case HUB_TELL_LEAVE:
			rc = shardmsg_sockets_join(&c->out, &from, &to,
			    c->iov + t->nrooms + t->nexcept, t->nnames,
			    t->kind == HUB_TELL_JOIN);
			break;
		case HUB_TELL_DISCONNECT:
			rc = shardmsg_disconnect(&c->out, &from, &to,
			    t->close);
			break;
		case HUB_TELL_SERVER_EMIT:
			rc = shardmsg_server_emit(&c->out, &from, t->data,
			    NULL, 0);
			break;
		}
		if (rc == -1)
			return -1;
		return publish_request(c, nsp, nsp_len, c->out.data,
		    c->out.len);
	}
	switch (t->kind) {
	case HUB_TELL_JOIN:
		rc = clustermsg_req_join(&c->out, c->uid, c->uid_len, &to,
		    c->iov + t->nrooms + t->nexcept, t->nnames);
		break;
	case HUB_TELL_LEAVE:
		rc = clustermsg_req_leave(&c->out, c->uid, c->uid_len, &to,
		    c->iov + t->nrooms + t->nexcept, t->nnames);
		break;
	case HUB_TELL_DISCONNECT:
		rc = clustermsg_req_disconnect(&c->out, c->uid, c->uid_len,
		    &to, t->close);
		break;
	case HUB_TELL_SERVER_EMIT:
		rc = clustermsg_req_server_emit(&c->out, c->uid, c->uid_len,
		    NULL, 0, t->data);
		break;
	}
	if (rc == -1)
		return -1;
	return publish_request(c, nsp, nsp_len, c->out.data, c->out.len);
}
