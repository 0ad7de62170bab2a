/* cluster.c - georoomd as a node of a Socket.IO cluster (see cluster.h). */
#include "cluster.h"

#include "clusterask.h"
#include "mono.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest message from another node taken: as a client's. */
#define CLUSTER_MSG_MAX (4u << 20)
/* How long a BROADCAST that says no timeout waits for acks, in ms: the
 * adapter's default requestsTimeout. */
#define CLUSTER_ACK_TIMEOUT 5000

static void
say(struct cluster *c, int level, const char *fmt, const char *a,
    const char *b)
{
	c->hub->cfg.log(c->hub->cfg.log_arg, level, fmt, a, b);
}

/* Room names of one message -------------------------------------------- */

/* Makes room for 'n' names in every work array. */
static int
reserve_names(struct cluster *c, size_t n)
{
	void *p;

	if (n <= c->rooms_cap && n <= c->names_cap && n <= c->iov_cap)
		return 0;
	n = n < 16 ? 16 : n;
	if ((p = realloc(c->rooms, n * sizeof(*c->rooms))) == NULL)
		return -1;
	c->rooms = p;
	c->rooms_cap = n;
	if ((p = realloc(c->names, n * sizeof(*c->names))) == NULL)
		return -1;
	c->names = p;
	c->names_cap = n;
	if ((p = realloc(c->iov, n * sizeof(*c->iov))) == NULL)
		return -1;
	c->iov = p;
	c->iov_cap = n;
	return 0;
}

/* Reads the names of 'r' (a decoded broadcast's) into c->names from 'at'. */
static size_t
take_rooms(struct cluster *c, struct clustermsg_rooms *r, size_t at)
{
	size_t n = 0;

	while (clustermsg_rooms_next(r, &c->rooms[at + n])) {
		c->names[at + n].s = c->rooms[at + n].name;
		c->names[at + n].len = c->rooms[at + n].len;
		n++;
	}
	return n;
}

/* Reads the names of 'arr' (a jv array, borrowed) into c->names from 'at'.
 * Returns how many, or -1 for a name that is neither string nor number. */
static long
take_jv_rooms(struct cluster *c, jv arr, size_t at)
{
	int i,
	    n = jv_get_kind(arr) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(arr)) :
	    0;

	for (i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(arr), i);
		int rc = clustermsg_room_from_jv(v, &c->rooms[at + i]);

		/* A string name points into 'arr', which outlives the use. */
		jv_free(v);
		if (rc == -1)
			return -1;
		c->names[at + i].s = c->rooms[at + i].name;
		c->names[at + i].len = c->rooms[at + i].len;
	}
	return n;
}

/* The hub's broadcasts, published -------------------------------------- */

/* Publishes 'len' bytes of 'msg' on 'chan', as the protocol does. */
static int
link_publish(struct cluster *c, const char *chan, size_t chlen,
    const char *msg, size_t len)
{
	int rc = c->proto == CLUSTER_SHARDED ?
	    redislink_spublish(&c->link, chan, chlen, msg, len) :
	    redislink_publish(&c->link, chan, chlen, msg, len);

	if (rc == 0)
		c->stats.published++;
	else
		c->stats.dropped++;
	return rc;
}

int
cluster_publish(struct cluster *c)
{
	return link_publish(c, c->chan.data, c->chan.len, c->out.data,
	    c->out.len);
}

void
cluster_from(const struct cluster *c, const char *nsp, size_t nsp_len,
    struct shardmsg_from *from)
{
	from->uid = c->uid;
	from->uid_len = c->uid_len;
	from->nsp = nsp;
	from->nsp_len = nsp_len;
}

/* Names in c->chan the sharded channel <key>#<nsp>#[<tail>#]. */
static int
shard_channel(struct cluster *c, const char *nsp, size_t nsp_len,
    const char *tail, size_t tail_len)
{
	buf_reset(&c->chan);
	return shardmsg_channel(&c->chan, c->key, c->key_len, nsp, nsp_len,
	    tail, tail_len);
}

static int
on_hub_broadcast(void *arg, const struct hub_bcast *b)
{
	struct cluster *c = arg;
	struct clustermsg_emit e;
	char err[128];
	size_t i;

	if (reserve_names(c, b->nrooms + b->nexcept) == -1) {
		c->stats.dropped++;
		return -1;
	}
	for (i = 0; i < b->nrooms; i++)
		c->iov[i] = (struct iovec){ (void *)b->rooms[i].s,
			b->rooms[i].len };
	for (i = 0; i < b->nexcept; i++)
		c->iov[b->nrooms + i] = (struct iovec){ (void *)b->except[i].s,
			b->except[i].len };
	memset(&e, 0, sizeof(e));
	e.uid = c->uid;
	e.uid_len = c->uid_len;
	e.nsp = hub_namespace_name(b->nsp, &e.nsp_len);
	e.json = b->json;
	e.json_len = b->json_len;
	e.att = b->att;
	e.natt = b->natt;
	e.to.rooms = c->iov;
	e.to.nrooms = b->nrooms;
	e.to.except = c->iov + b->nrooms;
	e.to.nexcept = b->nexcept;
	e.to.flags = (b->flags & HUB_BCAST_VOLATILE ? CLUSTERMSG_F_VOLATILE :
	                                              0) |
	    (b->flags & HUB_BCAST_COMPRESS ? CLUSTERMSG_F_COMPRESS : 0);
	buf_reset(&c->out);
	buf_reset(&c->chan);
	if (c->proto == CLUSTER_SHARDED) {
		struct shardmsg_from from;
		int own = shardmsg_room_channel(c->mode, &e.to, 0);

		cluster_from(c, e.nsp, e.nsp_len, &from);
		if (shardmsg_broadcast(&c->out, &from, &e, NULL, 0, err,
		        sizeof(err)) == -1 ||
		    shard_channel(c, e.nsp, e.nsp_len,
		        own ? b->rooms[0].s : NULL,
		        own ? b->rooms[0].len : 0) == -1) {
			c->stats.dropped++;
			return -1;
		}
		return cluster_publish(c);
	}
	if (clustermsg_encode(&c->out, &e, err, sizeof(err)) == -1 ||
	    clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_BROADCAST, c->key,
	        c->key_len, e.nsp, e.nsp_len,
	        b->nrooms == 1 ? b->rooms[0].s : NULL,
	        b->nrooms == 1 ? b->rooms[0].len : 0) == -1) {
		c->stats.dropped++;
		return -1;
	}
	return cluster_publish(c);
}

/* Other nodes' broadcasts, delivered here ------------------------------ */

static void
on_broadcast(struct cluster *c, const struct clustermsg_chaninfo *ci,
    const char *payload, size_t len)
{
	struct room_nsp *nsp = hub_namespace_find(c->hub, ci->nsp,
	    ci->nsp_len);
	struct hub_bcast b;
	char err[128];
	size_t nrooms, nexcept;

	if (nsp == NULL)
		return;
	/* As the adapter: a room this node lacks costs no decoding, but
	 * for a node that retains rooms' last messages for later joiners. */
	if (ci->tail != NULL && !hub_retains(c->hub) &&
	    !hub_name_known(c->hub, nsp, ci->tail, ci->tail_len))
		return;
	if (clustermsg_decode(&c->in, payload, len, err, sizeof(err)) == -1) {
		c->stats.malformed++;
		return;
	}
	if (c->in.uid_len == c->uid_len &&
	    memcmp(c->in.uid, c->uid, c->in.uid_len) == 0)
		return; /* our own, delivered here already */
	if (c->in.ev.h.nsp_len != ci->nsp_len ||
	    memcmp(c->in.ev.h.nsp, ci->nsp, ci->nsp_len) != 0)
		return;
	if (reserve_names(c, c->in.rooms.n + c->in.except.n) == -1) {
		c->stats.dropped++;
		return;
	}
	nrooms = take_rooms(c, &c->in.rooms, 0);
	nexcept = take_rooms(c, &c->in.except, nrooms);
	memset(&b, 0, sizeof(b));
	b.nsp = nsp;
	b.rooms = c->names;
	b.nrooms = nrooms;
	b.except = c->names + nrooms;
	b.nexcept = nexcept;
	b.type = c->in.ev.h.type;
	b.json = c->in.ev.json;
	b.json_len = c->in.ev.json_len;
	b.att = c->in.ev.att;
	b.natt = c->in.ev.h.attachments;
	/* Delivered here only: it was published once already. */
	b.flags = HUB_BCAST_LOCAL;
	if (hub_deliver(c->hub, &b) >= 0)
		c->stats.received++;
}

/* Other nodes' requests, answered -------------------------------------- */

/* The ids of the sockets of 'nsp' the request's opts (or rooms) name. */
static int
match(struct cluster *c, struct room_nsp *nsp, jv rooms, jv except,
    struct hub_ids *l)
{
	long nr, ne;
	size_t want = (size_t)(jv_get_kind(rooms) == JV_KIND_ARRAY ?
	                      jv_array_length(jv_copy(rooms)) :
	                      0) +
	    (size_t)(jv_get_kind(except) == JV_KIND_ARRAY ?
	            jv_array_length(jv_copy(except)) :
	            0);

	memset(l, 0, sizeof(*l));
	if (reserve_names(c, want) == -1)
		return -1;
	if ((nr = take_jv_rooms(c, rooms, 0)) == -1 ||
	    (ne = take_jv_rooms(c, except, (size_t)nr)) == -1)
		return -1;
	hub_each_match(c->hub, nsp, c->names, (size_t)nr, c->names + nr,
	    (size_t)ne, hub_ids_add, l);
	return l->failed ? -1 : 0;
}

static struct room_sock *
find_in(struct cluster *c, struct room_nsp *nsp, const char *id, size_t len)
{
	struct room_sock *s = hub_socket_find(c->hub, id, len);

	return s != NULL && hub_socket_namespace(s) == nsp ? s : NULL;
}

/* Joins or leaves each room of 'rooms' (jv array, borrowed) for 's'. */
static void
move(struct cluster *c, struct room_sock *s, jv rooms, int join)
{
	struct clustermsg_room r;
	int i, n;

	if (jv_get_kind(rooms) != JV_KIND_ARRAY) {
		if (clustermsg_room_from_jv(rooms, &r) == 0) {
			if (join)
				hub_join(c->hub, s, r.name, r.len);
			else
				hub_leave(c->hub, s, r.name, r.len);
		}
		return;
	}
	n = jv_array_length(jv_copy(rooms));
	for (i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(rooms), i);

		if (clustermsg_room_from_jv(v, &r) == 0) {
			if (join)
				hub_join(c->hub, s, r.name, r.len);
			else
				hub_leave(c->hub, s, r.name, r.len);
		}
		jv_free(v);
	}
}

/* Publishes c->out, an answer, on the namespace's response channel. */
static void
answer(struct cluster *c, const char *nsp, size_t nsp_len)
{
	buf_reset(&c->chan);
	if (clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_RESPONSE, c->key,
	        c->key_len, nsp, nsp_len, NULL, 0) == -1) {
		c->stats.dropped++;
		return;
	}
	cluster_publish(c);
}

/* Publishes c->out, a sharded answer, on the asker's response channel. */
static void
answer_to(struct cluster *c, const char *nsp, size_t nsp_len, const char *uid,
    size_t uid_len)
{
	if (shard_channel(c, nsp, nsp_len, uid, uid_len) == -1) {
		c->stats.dropped++;
		return;
	}
	cluster_publish(c);
}

/* Room names as a listing: each room once, then every socket's id. */
struct roomlist {
	struct iovec *v;
	size_t n, cap;
	int failed;
};

static int
list_push(struct roomlist *l, const char *name, size_t len)
{
	void *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		if ((p = realloc(l->v, cap * sizeof(*l->v))) == NULL) {
			l->failed = 1;
			return -1;
		}
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = (struct iovec){ (void *)name, len };
	return 0;
}

static int
list_room(const char *name, size_t len, size_t members, void *arg)
{
	(void)members;
	return list_push(arg, name, len);
}

static int
list_sock(const struct room_sock *s, void *arg)
{
	return list_push(arg, hub_socket_id(s), ROOM_SOCK_ID_LEN);
}

static int
list_sock_room(const char *name, size_t len, void *arg)
{
	return list_push(arg, name, len);
}

/* A REMOTE_FETCH entry's handshake: georoomd keeps none of a socket's
 * HTTP request, so the fields socket.io fills are there, empty. */
static jv
empty_handshake(void)
{
	jv h = jv_object();

	h = jv_object_set(h, jv_string("headers"), jv_object());
	h = jv_object_set(h, jv_string("time"), jv_string(""));
	h = jv_object_set(h, jv_string("address"), jv_string(""));
	h = jv_object_set(h, jv_string("xdomain"), jv_false());
	h = jv_object_set(h, jv_string("secure"), jv_false());
	h = jv_object_set(h, jv_string("issued"), jv_number(0));
	h = jv_object_set(h, jv_string("url"), jv_string(""));
	h = jv_object_set(h, jv_string("query"), jv_object());
	return jv_object_set(h, jv_string("auth"), jv_object());
}

/*
 * Answers request 'rid' for the sockets 'ids' of 'nsp' with their
 * description: classic, on the namespace's response channel; sharded
 * ('asker' not NULL), on the asker's.
 */
static void
answer_fetch(struct cluster *c, struct room_nsp *nsp, struct hub_ids *ids,
    const char *rid, size_t rid_len, const char *asker, size_t asker_len)
{
	size_t nsp_len;
	const char *nspname = hub_namespace_name(nsp, &nsp_len);
	struct clustermsg_socket *socks = calloc(ids->n ? ids->n : 1,
	    sizeof(*socks));
	struct roomlist *rl = calloc(ids->n ? ids->n : 1, sizeof(*rl));
	jv *data = calloc(ids->n ? ids->n : 1, sizeof(*data));
	jv hs = empty_handshake();
	size_t i, ndata = 0;

	if (socks == NULL || rl == NULL || data == NULL)
		goto out;
	for (i = 0; i < ids->n; i++) {
		struct room_sock *s = find_in(c, nsp, ids->ids[i],
		    ROOM_SOCK_ID_LEN);

		socks[i].id = ids->ids[i];
		socks[i].id_len = ROOM_SOCK_ID_LEN;
		/* socket.io lists a socket's own room, its id, first. */
		list_push(&rl[i], ids->ids[i], ROOM_SOCK_ID_LEN);
		if (s != NULL)
			hub_socket_each_room(s, list_sock_room, &rl[i]);
		if (rl[i].failed)
			goto out;
		socks[i].rooms = rl[i].v;
		socks[i].nrooms = rl[i].n;
		socks[i].handshake = hs;
		/* socket.data: what the application says of the socket
		 * (the userIds it joined with), which a georoomd asking
		 * lists as its own sockets'. */
		data[i] = s != NULL ? hub_socket_describe(c->hub, s) :
		                      jv_invalid();
		ndata = i + 1;
		if (jv_get_kind(data[i]) != JV_KIND_OBJECT) {
			jv_free(data[i]);
			data[i] = jv_object();
		}
		socks[i].data = data[i];
	}
	buf_reset(&c->out);
	if (asker != NULL) {
		struct shardmsg_from from;

		cluster_from(c, nspname, nsp_len, &from);
		if (shardmsg_res_fetch(&c->out, &from, rid, rid_len, socks,
		        ids->n) == 0)
			answer_to(c, nspname, nsp_len, asker, asker_len);
		else
			c->stats.dropped++;
	} else if (clustermsg_res_fetch(&c->out, rid, rid_len, socks,
	               ids->n) == 0)
		answer(c, nspname, nsp_len);
	else
		c->stats.dropped++;
out:
	if (rl != NULL)
		for (i = 0; i < ids->n; i++)
			free(rl[i].v);
	free(rl);
	free(socks);
	for (i = 0; i < ndata; i++)
		jv_free(data[i]);
	free(data);
	jv_free(hs);
}

/* A BROADCAST's acks, on their way back to the asker ------------------ */

/*
 * Names in c->chan the channel a BROADCAST's answers go to.  Classic: the
 * asker's own response channel when it gave its uid, as the adapter does
 * with publishOnSpecificResponseChannel (every 8.x node subscribes to its
 * own, and the acks, one message per client, then reach the asker
 * alone), else the namespace's.  Sharded: always the asker's.
 */
static int
ack_channel(struct cluster *c, const char *nsp, size_t nsp_len,
    const char *uid, size_t uid_len)
{
	if (c->proto == CLUSTER_SHARDED)
		return shard_channel(c, nsp, nsp_len, uid, uid_len);
	buf_reset(&c->chan);
	return clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_RESPONSE, c->key,
	    c->key_len, nsp, nsp_len, uid, uid != NULL ? uid_len : 0);
}

/* One BROADCAST whose acks are awaited: where they go. */
struct ack_req {
	struct cluster *c;
	size_t rid_len, chan_len, nsp_len;
	char *rid, *chan, *nsp; /* in 'text' */
	char text[];
};

static void
on_client_ack(void *ctx, const void *sock, const char *json, size_t json_len,
    const struct iovec *att, unsigned natt)
{
	struct ack_req *q = ctx;
	struct cluster *c = q->c;
	struct shardmsg_from from;
	char err[128];
	int rc;

	(void)sock;
	buf_reset(&c->out);
	if (c->proto == CLUSTER_SHARDED) {
		cluster_from(c, q->nsp, q->nsp_len, &from);
		rc = shardmsg_res_broadcast_ack(&c->out, &from, q->rid,
		    q->rid_len, json, json_len, att, natt, err, sizeof(err));
	} else {
		rc = clustermsg_res_broadcast_ack(&c->out, q->rid, q->rid_len,
		    json, json_len, att, natt, err, sizeof(err));
	}
	if (rc == -1) {
		c->stats.dropped++;
		return;
	}
	link_publish(c, q->chan, q->chan_len, c->out.data, c->out.len);
}

static void
on_acks_end(void *ctx)
{
	/* Touches nothing but itself: the hub may end its last batches in
	 * hub_release(), after cluster_release(). */
	free(ctx);
}

/* The asking adapter forgets its request after opts.flags.timeout, and
 * so does this node (at most HUB_ACK_TIMEOUT_MAX); after the adapter's
 * default requestsTimeout when the asker gave none. */
static uint32_t
ack_timeout(unsigned flags, double timeout)
{
	if (!(flags & CLUSTERMSG_F_TIMEOUT) || !(timeout >= 0))
		return CLUSTER_ACK_TIMEOUT;
	if (timeout >= HUB_ACK_TIMEOUT_MAX)
		return HUB_ACK_TIMEOUT_MAX;
	return (uint32_t)timeout;
}

/* A BROADCAST request: who asked, and how. */
struct ack_ask {
	const char *rid;
	size_t rid_len;
	const char *uid; /* the asker's; NULL when it gave none */
	size_t uid_len;
	unsigned flags;
	double timeout;
};

/*
 * Delivers 'b' for BROADCAST request 'a', asking every socket reached for
 * its ack, each of which is published as a BROADCAST_ACK; then answers
 * how many sockets were asked (BROADCAST_CLIENT_COUNT).
 */
static void
deliver_asking(struct cluster *c, const struct hub_bcast *b,
    const struct ack_ask *a)
{
	struct acks_owner owner = { on_client_ack, on_acks_end, NULL };
	struct shardmsg_from from;
	struct ack_req *q;
	size_t nsp_len;
	const char *nsp = hub_namespace_name(b->nsp, &nsp_len);
	long asked = -1;
	int rc;

	if (ack_channel(c, nsp, nsp_len, a->uid, a->uid_len) == 0 &&
	    (q = malloc(sizeof(*q) + a->rid_len + c->chan.len + nsp_len)) !=
	        NULL) {
		q->c = c;
		q->rid = q->text;
		q->rid_len = a->rid_len;
		memcpy(q->rid, a->rid, q->rid_len);
		q->chan = q->rid + q->rid_len;
		q->chan_len = c->chan.len;
		memcpy(q->chan, c->chan.data, q->chan_len);
		q->nsp = q->chan + q->chan_len;
		q->nsp_len = nsp_len;
		memcpy(q->nsp, nsp, nsp_len);
		owner.ctx = q;
		/* From here, 'q' is the hub's until on_acks_end(). */
		asked = hub_deliver_ack(c->hub, b,
		    ack_timeout(a->flags, a->timeout), &owner);
	}
	buf_reset(&c->out);
	if (c->proto == CLUSTER_SHARDED) {
		cluster_from(c, nsp, nsp_len, &from);
		rc = shardmsg_res_client_count(&c->out, &from, a->rid,
		    a->rid_len, asked > 0 ? (uint64_t)asked : 0);
	} else {
		rc = clustermsg_res_client_count(&c->out, a->rid, a->rid_len,
		    asked > 0 ? (uint64_t)asked : 0);
	}
	if (rc == 0 && ack_channel(c, nsp, nsp_len, a->uid, a->uid_len) == 0)
		cluster_publish(c);
	else
		c->stats.dropped++;
}

/* Reads the names of 'rooms' and 'except' (jv arrays, borrowed) into
 * b->rooms and b->except: 0, or -1. */
static int
target_names(struct cluster *c, jv rooms, jv except, struct hub_bcast *b)
{
	long nr, ne;

	if (reserve_names(c,
	        (size_t)jv_array_length(jv_copy(rooms)) +
	            (size_t)jv_array_length(jv_copy(except))) == -1 ||
	    (nr = take_jv_rooms(c, rooms, 0)) == -1 ||
	    (ne = take_jv_rooms(c, except, (size_t)nr)) == -1)
		return -1;
	b->rooms = c->names;
	b->nrooms = (size_t)nr;
	b->except = c->names + nr;
	b->nexcept = (size_t)ne;
	return 0;
}

static void
on_request(struct cluster *c, const struct clustermsg_chaninfo *ci,
    const char *msg, size_t len)
{
	struct clustermsg_req *r = &c->req;
	struct room_nsp *nsp = hub_namespace_find(c->hub, ci->nsp,
	    ci->nsp_len);
	struct hub_ids ids = { 0 };
	struct roomlist rl = { 0 };
	struct room_sock *s;
	struct iovec *v = NULL;
	char err[128];
	size_t i;

	if (nsp == NULL)
		return;
	if (clustermsg_req_parse(r, msg, len, err, sizeof(err)) == -1) {
		c->stats.malformed++;
		return;
	}
	/* Our own requests come back to us too; the adapter skips them. */
	if (r->uid != NULL && r->uid_len == c->uid_len &&
	    memcmp(r->uid, c->uid, r->uid_len) == 0)
		return;
	switch (r->type) {
	case CLUSTERMSG_SOCKETS:
		if (r->request_id == NULL ||
		    match(c, nsp, r->rooms, jv_null(), &ids) == -1)
			break;
		if ((v = calloc(ids.n ? ids.n : 1, sizeof(*v))) == NULL)
			break;
		for (i = 0; i < ids.n; i++)
			v[i] = (struct iovec){ ids.ids[i], ROOM_SOCK_ID_LEN };
		buf_reset(&c->out);
		if (clustermsg_res_sockets(&c->out, r->request_id,
		        r->request_id_len, v, ids.n) == 0)
			answer(c, ci->nsp, ci->nsp_len);
		c->stats.requests++;
		break;
	case CLUSTERMSG_ALL_ROOMS:
		if (r->request_id == NULL)
			break;
		hub_each_room(c->hub, nsp, list_room, &rl);
		hub_each_socket(c->hub, nsp, NULL, 0, list_sock, &rl);
		if (rl.failed)
			break;
		buf_reset(&c->out);
		if (clustermsg_res_all_rooms(&c->out, r->request_id,
		        r->request_id_len, rl.v, rl.n) == 0)
			answer(c, ci->nsp, ci->nsp_len);
		c->stats.requests++;
		break;
	case CLUSTERMSG_REMOTE_JOIN:
	case CLUSTERMSG_REMOTE_LEAVE:
		if (r->has_opts) {
			if (match(c, nsp, r->opts_rooms, r->opts_except,
			        &ids) == -1)
				break;
			for (i = 0; i < ids.n; i++)
				if ((s = find_in(c, nsp, ids.ids[i],
				         ROOM_SOCK_ID_LEN)) != NULL)
					move(c, s, r->rooms,
					    r->type == CLUSTERMSG_REMOTE_JOIN);
			c->stats.requests++;
			break;
		}
		if (r->sid == NULL ||
		    (s = find_in(c, nsp, r->sid, r->sid_len)) == NULL)
			break;
		move(c, s, r->room, r->type == CLUSTERMSG_REMOTE_JOIN);
		c->stats.requests++;
		if (r->request_id != NULL) {
			buf_reset(&c->out);
			if (clustermsg_res_done(&c->out, r->request_id,
			        r->request_id_len) == 0)
				answer(c, ci->nsp, ci->nsp_len);
		}
		break;
	case CLUSTERMSG_REMOTE_DISCONNECT:
		if (r->has_opts) {
			if (match(c, nsp, r->opts_rooms, r->opts_except,
			        &ids) == -1)
				break;
		} else if (r->sid != NULL) {
			struct room_sock *one = find_in(c, nsp, r->sid,
			    r->sid_len);

			if (one == NULL || hub_ids_add(one, &ids) == -1)
				break;
		}
		for (i = 0; i < ids.n; i++)
			if ((s = find_in(c, nsp, ids.ids[i],
			         ROOM_SOCK_ID_LEN)) != NULL)
				hub_disconnect(c->hub, s);
		c->stats.requests++;
		if (!r->has_opts && r->request_id != NULL && ids.n > 0) {
			buf_reset(&c->out);
			if (clustermsg_res_done(&c->out, r->request_id,
			        r->request_id_len) == 0)
				answer(c, ci->nsp, ci->nsp_len);
		}
		break;
	case CLUSTERMSG_REMOTE_FETCH:
		if (r->request_id == NULL ||
		    match(c, nsp, r->opts_rooms, r->opts_except, &ids) == -1)
			break;
		answer_fetch(c, nsp, &ids, r->request_id, r->request_id_len,
		    NULL, 0);
		c->stats.requests++;
		break;
	case CLUSTERMSG_BROADCAST: {
		/* An emit awaiting acks: delivered with an ack id, answered
		 * with how many sockets were asked, then with each ack. */
		struct hub_bcast b;
		struct ack_ask a = { r->request_id, r->request_id_len, r->uid,
			r->uid_len, r->flags, r->timeout };

		memset(&b, 0, sizeof(b));
		if (r->request_id == NULL || !r->has_packet ||
		    target_names(c, r->opts_rooms, r->opts_except, &b) == -1)
			break;
		b.nsp = nsp;
		b.type = r->ev.h.type;
		b.json = r->ev.json;
		b.json_len = r->ev.json_len;
		b.att = r->ev.att;
		b.natt = r->ev.h.attachments;
		b.flags = HUB_BCAST_LOCAL;
		deliver_asking(c, &b, &a);
		c->stats.requests++;
		break;
	}
	default:
		/* SERVER_SIDE_EMIT and what is unknown here: see cluster.h. */
		break;
	}
	free(ids.ids);
	free(rl.v);
	free(v);
}

/* The sharded protocol ------------------------------------------------- */

static int
is_uid(const struct cluster *c, const char *s, size_t len)
{
	return s != NULL && len == c->uid_len && memcmp(s, c->uid, len) == 0;
}

/* A sharded message of another node, for namespace 'nsp'. */
static void
on_shard_request(struct cluster *c, struct room_nsp *nsp)
{
	struct shardmsg *m = &c->sm;
	struct hub_ids ids = { 0 };
	struct hub_bcast b;
	struct room_sock *s;
	size_t i;

	switch (m->type) {
	case SHARDMSG_BROADCAST:
		memset(&b, 0, sizeof(b));
		if (target_names(c, m->opts_rooms, m->opts_except, &b) == -1) {
			c->stats.dropped++;
			break;
		}
		b.nsp = nsp;
		b.type = m->ev.h.type;
		b.json = m->ev.json;
		b.json_len = m->ev.json_len;
		b.att = m->ev.att;
		b.natt = m->ev.h.attachments;
		/* Delivered here only: it was published once already. */
		b.flags = HUB_BCAST_LOCAL;
		if (m->request_id != NULL) {
			struct ack_ask a = { m->request_id, m->request_id_len,
				m->uid, m->uid_len, m->flags, m->timeout };

			deliver_asking(c, &b, &a);
			c->stats.requests++;
		} else if (hub_deliver(c->hub, &b) >= 0) {
			c->stats.received++;
		}
		break;
	case SHARDMSG_SOCKETS_JOIN:
	case SHARDMSG_SOCKETS_LEAVE:
		if (match(c, nsp, m->opts_rooms, m->opts_except, &ids) == -1)
			break;
		for (i = 0; i < ids.n; i++)
			if ((s = find_in(c, nsp, ids.ids[i],
			         ROOM_SOCK_ID_LEN)) != NULL)
				move(c, s, m->rooms,
				    m->type == SHARDMSG_SOCKETS_JOIN);
		c->stats.requests++;
		break;
	case SHARDMSG_DISCONNECT_SOCKETS:
		if (match(c, nsp, m->opts_rooms, m->opts_except, &ids) == -1)
			break;
		for (i = 0; i < ids.n; i++)
			if ((s = find_in(c, nsp, ids.ids[i],
			         ROOM_SOCK_ID_LEN)) != NULL)
				hub_disconnect(c->hub, s);
		c->stats.requests++;
		break;
	case SHARDMSG_FETCH_SOCKETS:
		/* An answer goes to the asker's channel: no uid, no answer. */
		if (m->uid == NULL ||
		    match(c, nsp, m->opts_rooms, m->opts_except, &ids) == -1)
			break;
		answer_fetch(c, nsp, &ids, m->request_id, m->request_id_len,
		    m->uid, m->uid_len);
		c->stats.requests++;
		break;
	default:
		/* SERVER_SIDE_EMIT, heartbeats, what is unknown: cluster.h. */
		break;
	}
	free(ids.ids);
}

/*
 * A message on a shard channel: a broadcast or request of another node
 * on the namespace's channel or a room's, or a response on this node's.
 * As the adapter, the message's namespace must be the channel's, and
 * responses are told by their type.
 */
static void
on_shard_message(struct cluster *c, const char *channel, size_t chlen,
    const char *payload, size_t len)
{
	struct shardmsg *m = &c->sm;
	struct room_nsp *nsp;
	const char *tail;
	size_t tail_len;
	char err[128];

	if (shardmsg_parse(m, payload, len, err, sizeof(err)) == -1) {
		c->stats.malformed++;
		return;
	}
	if (is_uid(c, m->uid, m->uid_len) || m->nsp == NULL ||
	    (nsp = hub_namespace_find(c->hub, m->nsp, m->nsp_len)) == NULL ||
	    clustermsg_channel_room(channel, chlen, c->key, c->key_len, m->nsp,
	        m->nsp_len, &tail, &tail_len) == -1)
		return;
	switch (m->type) {
	case SHARDMSG_FETCH_SOCKETS_RESPONSE:
		clusterask_on_answer(c, m->request_id, m->request_id_len,
		    m->data);
		return;
	case SHARDMSG_SERVER_SIDE_EMIT_RESPONSE:
	case SHARDMSG_BROADCAST_CLIENT_COUNT:
	case SHARDMSG_BROADCAST_ACK:
		/* Answers to what this node never asks. */
		return;
	default:
		break;
	}
	/* Only responses come on this node's own channel. */
	if (is_uid(c, tail, tail_len))
		return;
	on_shard_request(c, nsp);
}

/* The fanout's room hook: in the dynamic modes, a room's own channel is
 * subscribed to while the room exists here. */
static void
on_room(void *arg, struct room_nsp *nsp, const char *name, size_t len,
    int created)
{
	struct cluster *c = arg;
	size_t nsp_len;
	const char *nspname = hub_namespace_name(nsp, &nsp_len);

	/* A room named as this node's uid has the response channel's name,
	 * which stays subscribed to whatever the room does. */
	if (is_uid(c, name, len) ||
	    shard_channel(c, nspname, nsp_len, name, len) == -1)
		return;
	if (created)
		redislink_ssubscribe(&c->link, c->chan.data, c->chan.len);
	else
		redislink_sunsubscribe(&c->link, c->chan.data, c->chan.len);
}

static int
subscribe_room(const char *name, size_t len, size_t members, void *arg)
{
	void **a = arg;

	(void)members;
	on_room(a[0], a[1], name, len, 1);
	return 0;
}

/* Subscribes for one namespace, sharded: its channel, this node's, and in
 * the dynamic modes those of the rooms it has already. */
static int
shard_subscribe(struct cluster *c, const char *nsp)
{
	size_t len = strlen(nsp);
	struct room_nsp *n = hub_namespace_find(c->hub, nsp, len);
	void *a[2] = { c, n };

	if (shard_channel(c, nsp, len, NULL, 0) == -1 ||
	    redislink_ssubscribe(&c->link, c->chan.data, c->chan.len) == -1 ||
	    shard_channel(c, nsp, len, c->uid, c->uid_len) == -1 ||
	    redislink_ssubscribe(&c->link, c->chan.data, c->chan.len) == -1)
		return -1;
	if (c->mode != SHARDMSG_STATIC && n != NULL)
		hub_each_room(c->hub, n, subscribe_room, a);
	return 0;
}

/* The link ------------------------------------------------------------- */

static void
on_message(void *ctx, const char *pattern, const char *channel, size_t chlen,
    const char *payload, size_t len)
{
	struct cluster *c = ctx;
	struct clustermsg_chaninfo ci;

	if (c->proto == CLUSTER_SHARDED) {
		on_shard_message(c, channel, chlen, payload, len);
		return;
	}
	if (clustermsg_channel_parse(channel, chlen, c->key, c->key_len,
	        &ci) == -1)
		return;
	if (pattern != NULL && ci.kind == CLUSTERMSG_CHAN_BROADCAST)
		on_broadcast(c, &ci, payload, len);
	else if (pattern == NULL && ci.kind == CLUSTERMSG_CHAN_REQUEST)
		on_request(c, &ci, payload, len);
	else if (pattern == NULL && ci.kind == CLUSTERMSG_CHAN_RESPONSE)
		clusterask_on_response(c, payload, len);
}

static void
on_state(void *ctx, enum redislink_state state, const char *reason)
{
	struct cluster *c = ctx;

	say(c, state == REDISLINK_UP ? HUB_LOG_INFO : HUB_LOG_WARN,
	    "redis: %s (%s)", redislink_state_name(state), reason);
}

int
cluster_init(struct cluster *c, struct hub *hub, const struct redisurl *url,
    const char *key)
{
	memset(c, 0, sizeof(*c));
	c->hub = hub;
	c->url = url;
	if (key == NULL)
		key = CLUSTERMSG_KEY;
	c->key_len = strlen(key);
	if (!redisurl_key_valid(key) || c->key_len >= sizeof(c->key)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(c->key, key, c->key_len + 1);
	clusterask_make_id(c->uid);
	c->uid_len = strlen(c->uid);
	LIST_INIT(&c->asks);
	clustermsg_bcast_init(&c->in, CLUSTER_MSG_MAX);
	clustermsg_req_init(&c->req, CLUSTER_MSG_MAX);
	shardmsg_init(&c->sm, CLUSTER_MSG_MAX);
	buf_init(&c->out, CLUSTER_MSG_MAX + 4096);
	buf_init(&c->chan, 4096);
	return 0;
}

void
cluster_set_sharded(struct cluster *c, enum shardmsg_mode mode)
{
	c->proto = CLUSTER_SHARDED;
	c->mode = mode;
	clusterask_make_hex_id(c->uid);
	c->uid_len = strlen(c->uid);
}

int
cluster_add_namespace(struct cluster *c, const char *name)
{
	if (c->nnsps == CLUSTER_NSP_MAX) {
		errno = ENOSPC;
		return -1;
	}
	c->nsps[c->nnsps++] = name;
	return 0;
}

/* Subscribes for one namespace: its broadcasts, requests and responses. */
static int
subscribe(struct cluster *c, const char *nsp)
{
	size_t len = strlen(nsp);

	buf_reset(&c->chan);
	if (clustermsg_pattern(&c->chan, c->key, c->key_len, nsp, len) == -1 ||
	    redislink_psubscribe(&c->link, c->chan.data) == -1)
		return -1;
	buf_reset(&c->chan);
	if (clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_REQUEST, c->key,
	        c->key_len, nsp, len, NULL, 0) == -1 ||
	    redislink_subscribe(&c->link, c->chan.data) == -1)
		return -1;
	buf_reset(&c->chan);
	if (clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_RESPONSE, c->key,
	        c->key_len, nsp, len, NULL, 0) == -1 ||
	    redislink_subscribe(&c->link, c->chan.data) == -1)
		return -1;
	buf_reset(&c->chan);
	if (clustermsg_channel(&c->chan, CLUSTERMSG_CHAN_RESPONSE, c->key,
	        c->key_len, nsp, len, c->uid, strlen(c->uid)) == -1 ||
	    redislink_subscribe(&c->link, c->chan.data) == -1)
		return -1;
	return 0;
}

static jv
fanout_stats(void *arg)
{
	return cluster_stats(arg);
}

int
cluster_start(struct cluster *c, uv_loop_t *loop)
{
	struct redislink_config cfg;
	struct hub_fanout f = {
		.broadcast = on_hub_broadcast,
		.stats = fanout_stats,
		.ask = clusterask_ask,
		.cancel = clusterask_cancel,
		.tell = clusterask_tell,
		.arg = c,
	};
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.on_message = on_message;
	cfg.on_state = on_state;
	cfg.ctx = c;
	if (redislink_init(&c->link, loop, c->url, &cfg) == -1)
		return -1;
	c->started = 1;
	if (c->proto == CLUSTER_SHARDED && c->mode != SHARDMSG_STATIC)
		f.room = on_room;
	for (i = 0; i < c->nnsps; i++)
		if ((c->proto == CLUSTER_SHARDED ?
		            shard_subscribe(c, c->nsps[i]) :
		            subscribe(c, c->nsps[i])) == -1)
			return -1;
	hub_set_fanout(c->hub, &f);
	redislink_start(&c->link);
	return 0;
}

void
cluster_stop(struct cluster *c)
{
	if (!c->started)
		return;
	hub_set_fanout(c->hub, NULL);
	clusterask_stop(c);
	redislink_stop(&c->link);
}

void
cluster_release(struct cluster *c)
{
	if (c->started)
		redislink_release(&c->link);
	c->started = 0;
	clustermsg_bcast_release(&c->in);
	clustermsg_req_release(&c->req);
	shardmsg_release(&c->sm);
	buf_release(&c->out);
	buf_release(&c->chan);
	free(c->rooms);
	free(c->names);
	free(c->iov);
	c->rooms = NULL;
	c->names = NULL;
	c->iov = NULL;
}

jv
cluster_stats(const struct cluster *c)
{
	const struct redislink_stats *ls = &c->link.stats;
	jv o = jv_object();

	o = jv_object_set(o, jv_string("redis"),
	    jv_string(
	        c->started ? redislink_state_name(c->link.state) : "off"));
#define STAT(name, value) \
	o = jv_object_set(o, jv_string(name), jv_number((double)(value)))
	STAT("redis_published", c->stats.published);
	STAT("redis_dropped", c->stats.dropped);
	STAT("redis_received", c->stats.received);
	STAT("redis_requests", c->stats.requests);
	STAT("redis_malformed", c->stats.malformed);
	STAT("redis_asked", c->stats.asked);
	STAT("redis_incomplete", c->stats.incomplete);
	STAT("redis_reconnects", ls->reconnects);
#undef STAT
	o = jv_object_set(o, jv_string("redis_wait_ms"),
	    jv_number(c->started ?
	            (double)redislink_wait_ms(&c->link, mono_ms()) :
	            0));
	return jv_object_set(o, jv_string("redis_pending_bytes"),
	    jv_number((double)ls->pending));
}
