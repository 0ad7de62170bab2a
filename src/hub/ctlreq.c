/* ctlreq.c - control requests carried out on the hub (see ctlreq.h). */
#include "ctlreq.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* A reply waiting for the other nodes' answers. */
struct ctlreq_wait {
	struct hub *hub;
	struct ctlreq_later later;
	enum ctl_op op;
	jv id;    /* owned: the request's, echoed */
	jv local; /* owned: this node's part of the reply */
	uint64_t ticket;
};

/* A jv string's bytes and length, borrowed from 'v'. */
static const char *
str(jv v, size_t *len)
{
	*len = (size_t)jv_string_length_bytes(jv_copy(v));
	return jv_string_value(v);
}

static int
add_room_name(const char *name, size_t len, void *arg)
{
	jv *rooms = arg;

	*rooms = jv_array_append(*rooms, jv_string_sized(name, (int)len));
	return 0;
}

struct listing {
	struct hub *hub;
	jv list;
};

/*
 * Lists one socket as ctl.h says: its id, the userIds the application
 * reports (none but the contract's join_room knows them), its rooms.
 */
static int
add_sock(const struct room_sock *s, void *arg)
{
	struct listing *l = arg;
	jv entry, rooms = jv_array(), more;

	hub_socket_each_room(s, add_room_name, &rooms);
	entry = jv_object_set(jv_object_set(jv_object(), jv_string("id"),
	                          jv_string(hub_socket_id(s))),
	    jv_string("userIds"), jv_array());
	more = hub_socket_describe(l->hub, s);
	if (jv_get_kind(more) == JV_KIND_OBJECT)
		entry = jv_object_merge(entry, more);
	else
		jv_free(more);
	entry = jv_object_set(entry, jv_string("rooms"), rooms);
	l->list = jv_array_append(l->list, entry);
	return 0;
}

/* The names a request targets: "room" or "socket" (a socket's id names
 * its own room), and "except".  The names borrow from 'req'. */
struct target {
	struct room_name room, except;
	size_t nrooms, nexcept;
};

static void
target_of(const struct ctl_request *req, struct target *t)
{
	memset(t, 0, sizeof(*t));
	if (jv_is_valid(req->room)) {
		t->room.s = str(req->room, &t->room.len);
		t->nrooms = 1;
	} else if (jv_is_valid(req->socket)) {
		t->room.s = str(req->socket, &t->room.len);
		t->nrooms = 1;
	}
	if (jv_is_valid(req->except)) {
		t->except.s = str(req->except, &t->except.len);
		t->nexcept = 1;
	}
}

/* Whether the request goes to the other nodes too. */
static int
cluster_wide(struct hub *hub, const struct ctl_request *req)
{
	return hub_clustered(hub) && !req->local;
}

/* Adds "published" to 'body' when the other nodes were to be told. */
static jv
published(jv body, int told, int ok)
{
	if (!told)
		return body;
	return jv_object_set(body, jv_string("published"),
	    ok ? jv_true() : jv_false());
}

static jv
do_emit(struct hub *hub, const struct ctl_request *req, struct room_nsp *nsp,
    char *err, size_t errlen)
{
	struct hub_bcast b = { .nsp = nsp, .type = SIO_EVENT };
	struct room_sock *to = NULL;
	struct target t;
	const char *p;
	size_t len;
	long reached = 0;
	int told = cluster_wide(hub, req), ok = 0;
	jv text;

	target_of(req, &t);
	if (jv_is_valid(req->socket)) {
		to = hub_socket_find(hub, t.room.s, t.room.len);
		if (to != NULL && hub_socket_namespace(to) != nsp)
			to = NULL;
		if (to == NULL && !told) {
			snprintf(err, errlen,
			    "no socket \"%.40s\" in namespace \"%.64s\"",
			    t.room.s, hub_namespace_name(nsp, NULL));
			return jv_invalid();
		}
		/* A socket lives on one node: here, or elsewhere. */
		told = told && to == NULL;
	}
	text = jv_dump_string(jv_array_concat(jv_array_append(jv_array(),
	                                          jv_copy(req->event)),
	                          jv_copy(req->args)),
	    0);
	p = str(text, &len);
	if (to != NULL) {
		/* To the room of its id, as socket.io's io.to(id): with
		 * recovery on, buffered and given an offset like the rest. */
		b.rooms = &t.room;
		b.nrooms = 1;
		b.json = p;
		b.json_len = len;
		if ((reached = hub_deliver(hub, &b)) == -1) {
			jv_free(text);
			snprintf(err, errlen, "out of memory");
			return jv_invalid();
		}
	} else {
		/* As io.to(room).except(except).emit(...). */
		b.rooms = &t.room;
		b.nrooms = 1;
		b.except = &t.except;
		b.nexcept = t.nexcept;
		b.json = p;
		b.json_len = len;
		if (jv_is_valid(req->room) &&
		    (reached = hub_deliver(hub, &b)) == -1) {
			jv_free(text);
			snprintf(err, errlen, "out of memory");
			return jv_invalid();
		}
		ok = told && hub_fan_out(hub, &b) == 0;
	}
	jv_free(text);
	return published(jv_object_set(jv_object(), jv_string("reached"),
	                     jv_number((double)reached)),
	    told, ok);
}

/* This node's sockets of 'nsp', of room 'room' unless NULL. */
static jv
local_sockets(struct hub *hub, struct room_nsp *nsp, const char *room,
    size_t len)
{
	struct listing l = { hub, jv_array() };

	hub_each_socket(hub, nsp, room, len, add_sock, &l);
	return l.list;
}

static int
add_room(const char *name, size_t len, size_t members, void *arg)
{
	jv *list = arg;

	*list = jv_array_append(*list,
	    jv_object_set(jv_object_set(jv_object(), jv_string("name"),
	                      jv_string_sized(name, (int)len)),
	        jv_string("members"), jv_number((double)members)));
	return 0;
}

/* Room names as a listing, for all_rooms. */
static int
add_room_only(const char *name, size_t len, size_t members, void *arg)
{
	(void)members;
	return add_room_name(name, len, arg);
}

static int
add_sock_id(const struct room_sock *s, void *arg)
{
	jv *list = arg;

	*list = jv_array_append(*list, jv_string(hub_socket_id(s)));
	return 0;
}

/* A namespace's sockets and rooms, for the stats' "by_namespace". */
static int
add_nsp_stats(const char *name, size_t len, size_t sockets, size_t rooms,
    void *arg)
{
	jv *o = arg, n = jv_object();

	n = jv_object_set(n, jv_string("sockets"), jv_number((double)sockets));
	n = jv_object_set(n, jv_string("rooms"), jv_number((double)rooms));
	*o = jv_object_set(*o, jv_string_sized(name, (int)len), n);
	return 0;
}

jv
ctlreq_stats(struct hub *hub, const struct ctlreq_counters *counters)
{
	static const struct ctlreq_counters none;
	struct hub_stats st;
	jv more, by = jv_object();
	jv o = jv_object();
	int i;

	if (counters == NULL)
		counters = &none;

	hub_get_stats(hub, &st);
#define STAT(name, value) \
	o = jv_object_set(o, jv_string(name), jv_number((double)(value)))
	STAT("connections", st.connections);
	STAT("connections_total", st.connections_total);
	STAT("sockets", st.sockets);
	STAT("rooms", st.rooms);
	STAT("namespaces", st.namespaces);
	STAT("messages_in", st.messages_in);
	STAT("messages_out", st.messages_out);
	STAT("bytes_in", st.bytes_in);
	STAT("bytes_out", st.bytes_out);
	STAT("dropped_slow", st.dropped_slow);
	STAT("protocol_errors", st.protocol_errors);
	STAT("refused", st.refused);
	STAT("refused_at_accept", st.refused_at_accept);
	STAT("dropped_unfinished", st.dropped_unfinished);
	STAT("message_timeouts", st.message_timeouts);
	STAT("events_rate_limited", st.events_rate_limited);
	STAT("dropped_rate_limited", st.dropped_rate_limited);
	STAT("refused_per_ip", st.refused_per_ip);
	STAT("refused_connect", st.refused_connect);
	STAT("conflated", st.conflated);
	STAT("retained_rooms", st.retained.rooms);
	STAT("retained_bytes", st.retained.bytes);
	STAT("retained_kept", st.retained.kept);
	STAT("retained_sent", st.retained.sent);
	STAT("retained_evicted", st.retained.evicted);
	STAT("retained_expired", st.retained.expired);
	STAT("polling", st.polling);
	STAT("upgrades", st.upgrades);
	STAT("refused_polling", st.refused_polling);
	STAT("control_connections", counters->connections);
	STAT("control_connections_total", counters->connections_total);
	STAT("control_requests", counters->requests);
#undef STAT
	for (i = 0; i < REFUSE_NREASONS; i++)
		by = jv_object_set(by, jv_string(refuse_reason_name(i)),
		    jv_number((double)st.refused_by[i]));
	o = jv_object_set(o, jv_string("refused_by"), by);
	by = jv_object();
	hub_each_namespace(hub, add_nsp_stats, &by);
	o = jv_object_set(o, jv_string("by_namespace"), by);
	more = hub_fanout_stats(hub);
	if (jv_get_kind(more) == JV_KIND_OBJECT)
		o = jv_object_merge(o, more);
	else
		jv_free(more);
	return o;
}

/* socketsJoin(), socketsLeave() */
static jv
do_join(struct hub *hub, const struct ctl_request *req, struct room_nsp *nsp,
    char *err, size_t errlen)
{
	int join = req->op == CTL_JOIN, told = cluster_wide(hub, req), ok = 0;
	int i, n = jv_array_length(jv_copy(req->rooms));
	struct room_name *names = calloc((size_t)n, sizeof(*names));
	struct hub_tell tell;
	struct target t;
	long picked;
	jv v;

	if (names == NULL) {
		snprintf(err, errlen, "out of memory");
		return jv_invalid();
	}
	for (i = 0; i < n; i++) {
		/* Each name borrows from req->rooms, which holds it. */
		v = jv_array_get(jv_copy(req->rooms), i);
		names[i].s = str(v, &names[i].len);
		jv_free(v);
	}
	target_of(req, &t);
	picked = hub_sockets_join(hub, nsp, &t.room, t.nrooms, &t.except,
	    t.nexcept, names, (size_t)n, join);
	if (picked >= 0 && told) {
		memset(&tell, 0, sizeof(tell));
		tell.kind = join ? HUB_TELL_JOIN : HUB_TELL_LEAVE;
		tell.nsp = nsp;
		tell.rooms = &t.room;
		tell.nrooms = t.nrooms;
		tell.except = &t.except;
		tell.nexcept = t.nexcept;
		tell.names = names;
		tell.nnames = (size_t)n;
		ok = hub_tell(hub, &tell) == 0;
	}
	free(names);
	if (picked == -1) {
		snprintf(err, errlen, "out of memory");
		return jv_invalid();
	}
	return published(jv_object_set(jv_object(), jv_string("sockets"),
	                     jv_number((double)picked)),
	    told, ok);
}

/* disconnectSockets() of a room, or one socket's disconnect(). */
static jv
do_disconnect(struct hub *hub, const struct ctl_request *req, char *err,
    size_t errlen)
{
	struct room_nsp *nsp;
	struct room_sock *s = NULL;
	struct hub_tell tell;
	struct target t;
	const char *p;
	size_t len;
	long n = 0;
	int told = cluster_wide(hub, req), ok = 0;

	target_of(req, &t);
	p = str(req->ns, &len);
	nsp = hub_namespace_find(hub, p, len);
	if (jv_is_valid(req->socket)) {
		/* A socket's id is unique across namespaces: found in any,
		 * as before namespaces were named here. */
		s = hub_socket_find(hub, t.room.s, t.room.len);
		if (s == NULL && (!told || nsp == NULL)) {
			snprintf(err, errlen, "no socket \"%.40s\"", t.room.s);
			return jv_invalid();
		}
		told = told && s == NULL;
		if (s != NULL) {
			hub_disconnect(hub, s);
			n = 1;
		}
	} else {
		if (nsp == NULL) {
			snprintf(err, errlen, "unknown namespace \"%.64s\"",
			    p);
			return jv_invalid();
		}
		n = hub_sockets_disconnect(hub, nsp, &t.room, 1, &t.except,
		    t.nexcept);
		if (n == -1) {
			snprintf(err, errlen, "out of memory");
			return jv_invalid();
		}
	}
	if (told) {
		memset(&tell, 0, sizeof(tell));
		tell.kind = HUB_TELL_DISCONNECT;
		tell.nsp = nsp;
		tell.rooms = &t.room;
		tell.nrooms = 1;
		tell.except = &t.except;
		tell.nexcept = t.nexcept;
		tell.close = 1;
		ok = hub_tell(hub, &tell) == 0;
	}
	return published(jv_object_set(jv_object(), jv_string("disconnected"),
	                     jv_number((double)n)),
	    told, ok);
}

/* serverSideEmit(): to the other nodes only, as in socket.io. */
static jv
do_server_emit(struct hub *hub, const struct ctl_request *req,
    struct room_nsp *nsp, char *err, size_t errlen)
{
	struct hub_tell tell;
	int rc;

	if (!cluster_wide(hub, req)) {
		snprintf(err, errlen,
		    "server_emit goes to the other nodes of a cluster: %s",
		    hub_clustered(hub) ? "\"local\":true leaves none" :
		                         "this hub has no --redis");
		return jv_invalid();
	}
	memset(&tell, 0, sizeof(tell));
	tell.kind = HUB_TELL_SERVER_EMIT;
	tell.nsp = nsp;
	tell.data = jv_array_concat(jv_array_append(jv_array(),
	                                jv_copy(req->event)),
	    jv_copy(req->args));
	rc = hub_tell(hub, &tell);
	jv_free(tell.data);
	if (rc == -1) {
		snprintf(err, errlen, "not published to the cluster: %s",
		    errno == ENOTCONN ? "the link to redis is down" :
		                        strerror(errno));
		return jv_invalid();
	}
	return jv_object_set(jv_object(), jv_string("published"), jv_true());
}

/* Merging the other nodes' answers ------------------------------------- */

/* A fetched socket's rooms, but its own (named by its id), as this node
 * lists rooms. */
static jv
rooms_but_own(jv rooms, jv id)
{
	jv out = jv_array();
	int i,
	    n = jv_get_kind(rooms) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(rooms)) :
	    0;

	for (i = 0; i < n; i++) {
		jv r = jv_array_get(jv_copy(rooms), i);

		if (jv_get_kind(r) == JV_KIND_NUMBER)
			r = jv_dump_string(r, 0); /* Node's room 42 */
		if (jv_get_kind(r) != JV_KIND_STRING ||
		    jv_equal(jv_copy(r), jv_copy(id)))
			jv_free(r);
		else
			out = jv_array_append(out, r);
	}
	jv_free(rooms);
	jv_free(id);
	return out;
}

/* Each socket of each answer ('replies', borrowed) to fetchSockets(), in
 * this node's listing form: id, userIds (from socket.data.userIds, where
 * a georoomd or the application put them), rooms. */
static jv
fetched_sockets(jv replies)
{
	jv list = jv_array();
	int i, j, n = jv_array_length(jv_copy(replies)), m;

	for (i = 0; i < n; i++) {
		jv socks = jv_object_get(jv_array_get(jv_copy(replies), i),
		    jv_string("sockets"));

		m = jv_get_kind(socks) == JV_KIND_ARRAY ?
		    jv_array_length(jv_copy(socks)) :
		    0;
		for (j = 0; j < m; j++) {
			jv s = jv_array_get(jv_copy(socks), j);
			jv id = jv_object_get(jv_copy(s), jv_string("id"));
			jv data = jv_object_get(jv_copy(s), jv_string("data"));
			jv users = jv_get_kind(data) == JV_KIND_OBJECT ?
			    jv_object_get(jv_copy(data),
			        jv_string("userIds")) :
			    jv_invalid();

			if (jv_get_kind(id) != JV_KIND_STRING) {
				jv_free(id);
				jv_free(data);
				jv_free(users);
				jv_free(s);
				continue;
			}
			if (jv_get_kind(users) != JV_KIND_ARRAY) {
				jv_free(users);
				users = jv_array();
			}
			list = jv_array_append(list,
			    jv_object_set(
			        jv_object_set(jv_object_set(jv_object(),
			                          jv_string("id"), jv_copy(id)),
			            jv_string("userIds"), users),
			        jv_string("rooms"),
			        rooms_but_own(jv_object_get(s,
			                          jv_string("rooms")),
			            id)));
			jv_free(data);
		}
		jv_free(socks);
	}
	return list;
}

/* Adds each room of 'sockets' (listing entries, consumed) to 'tally'. */
static jv
tally_rooms(jv tally, jv sockets)
{
	jv_array_foreach(sockets, i, s)
	{
		jv rooms = jv_object_get(s, jv_string("rooms"));

		jv_array_foreach(rooms, j, r)
		{
			jv had = jv_object_get(jv_copy(tally), jv_copy(r));
			double n = jv_get_kind(had) == JV_KIND_NUMBER ?
			    jv_number_value(had) :
			    0;

			jv_free(had);
			tally = jv_object_set(tally, r, jv_number(n + 1));
			(void)j;
		}
		jv_free(rooms);
		(void)i;
	}
	jv_free(sockets);
	return tally;
}

/* The rooms listing from a tally {name: members}, consumed. */
static jv
rooms_listing(jv tally)
{
	jv list = jv_array();

	jv_object_foreach(tally, name, n)
	{
		list = jv_array_append(list,
		    jv_object_set(jv_object_set(jv_object(), jv_string("name"),
		                      name),
		        jv_string("members"), n));
	}
	jv_free(tally);
	return list;
}

/* The union of this node's names and each answer's "rooms". */
static jv
all_rooms(jv local, jv replies)
{
	jv seen = jv_object(), list = jv_array();
	int i, n = jv_array_length(jv_copy(replies));

	local = jv_array_append(jv_array(),
	    jv_object_set(jv_object(), jv_string("rooms"), local));
	local = jv_array_concat(local, jv_copy(replies));
	for (i = 0; i <= n; i++) {
		jv rooms = jv_object_get(jv_array_get(jv_copy(local), i),
		    jv_string("rooms"));

		if (jv_get_kind(rooms) != JV_KIND_ARRAY) {
			jv_free(rooms);
			continue;
		}
		jv_array_foreach(rooms, j, r)
		{
			jv had;

			if (jv_get_kind(r) == JV_KIND_NUMBER)
				r = jv_dump_string(r, 0);
			if (jv_get_kind(r) != JV_KIND_STRING) {
				jv_free(r);
				continue;
			}
			had = jv_object_get(jv_copy(seen), jv_copy(r));
			if (!jv_is_valid(had)) {
				seen = jv_object_set(seen, jv_copy(r),
				    jv_true());
				list = jv_array_append(list, r);
			} else
				jv_free(r);
			jv_free(had);
			(void)j;
		}
		jv_free(rooms);
	}
	jv_free(local);
	jv_free(seen);
	return list;
}

static void
on_answers(void *ctx, const struct hub_answers *a)
{
	struct ctlreq_wait *w = ctx;
	jv body = jv_object(), line;
	int answered = jv_array_length(jv_copy(a->replies));

	switch (w->op) {
	case CTL_SOCKETS:
		body = jv_object_set(body, jv_string("sockets"),
		    jv_array_concat(w->local, fetched_sockets(a->replies)));
		break;
	case CTL_ROOMS:
		body = jv_object_set(body, jv_string("rooms"),
		    rooms_listing(
		        tally_rooms(w->local, fetched_sockets(a->replies))));
		break;
	case CTL_ALL_ROOMS:
		body = jv_object_set(body, jv_string("rooms"),
		    all_rooms(w->local, a->replies));
		break;
	default:
		jv_free(w->local);
		break;
	}
	w->local = jv_invalid();
	if (w->op == CTL_SERVERS && a->servers < 1) {
		jv_free(body);
		line = ctl_reply_error("redis did not answer PUBSUB NUMSUB",
		    w->id);
	} else {
		body = jv_object_set(body, jv_string("servers"),
		    jv_number((double)a->servers));
		if (w->op != CTL_SERVERS) {
			body = jv_object_set(body, jv_string("answered"),
			    jv_number((double)answered));
			body = jv_object_set(body, jv_string("complete"),
			    a->complete ? jv_true() : jv_false());
		}
		line = ctl_reply_ok(body, w->id);
	}
	w->id = jv_invalid();
	w->later.reply(w->later.ctx, line);
	free(w);
}

/*
 * Asks the other nodes, this node's part of the reply being 'local'
 * (consumed).  Returns jv_null() and *wait, or jv_invalid() with a
 * reason in 'err'.
 */
static jv
ask(struct hub *hub, const struct ctl_request *req, struct room_nsp *nsp,
    jv local, const struct ctlreq_later *later, struct ctlreq_wait **wait,
    char *err, size_t errlen)
{
	struct hub_ask q;
	struct target t;
	struct ctlreq_wait *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		jv_free(local);
		snprintf(err, errlen, "out of memory");
		return jv_invalid();
	}
	memset(&q, 0, sizeof(q));
	q.nsp = nsp;
	switch (req->op) {
	case CTL_SOCKETS:
		target_of(req, &t);
		q.kind = HUB_ASK_FETCH;
		q.rooms = &t.room;
		q.nrooms = t.nrooms;
		break;
	case CTL_ALL_ROOMS:
		q.kind = HUB_ASK_ALL_ROOMS;
		break;
	case CTL_SERVERS:
		q.kind = HUB_ASK_SERVERS;
		break;
	default: /* CTL_ROOMS: every socket, whose rooms are counted */
		q.kind = HUB_ASK_FETCH;
		break;
	}
	w->hub = hub;
	w->later = *later;
	w->op = req->op;
	w->local = local;
	if (hub_ask(hub, &q, on_answers, w, &w->ticket) == -1) {
		snprintf(err, errlen,
		    "the cluster cannot be asked: %s; \"local\":true asks "
		    "this node alone",
		    errno == ENOTCONN   ? "the link to redis is down" :
		        errno == EAGAIN ? "too many requests in flight" :
		                          strerror(errno));
		jv_free(w->local);
		free(w);
		return jv_invalid();
	}
	w->id = jv_copy(req->id);
	*wait = w;
	return jv_null();
}

void
ctlreq_cancel(struct ctlreq_wait *w)
{
	hub_ask_cancel(w->hub, w->ticket);
	jv_free(w->id);
	jv_free(w->local);
	free(w);
}

/* Listings: this node's, then the other nodes' when cluster-wide. */
static jv
do_listing(struct hub *hub, const struct ctl_request *req,
    struct room_nsp *nsp, const struct ctlreq_later *later,
    struct ctlreq_wait **wait, char *err, size_t errlen)
{
	const char *room = NULL;
	size_t len = 0;
	const char *key = req->op == CTL_SERVERS ? "servers" :
	    req->op == CTL_SOCKETS               ? "sockets" :
	                                           "rooms";
	jv local;

	switch (req->op) {
	case CTL_SOCKETS:
		if (jv_is_valid(req->room))
			room = str(req->room, &len);
		local = local_sockets(hub, nsp, room, len);
		break;
	case CTL_ROOMS:
		local = jv_array();
		hub_each_room(hub, nsp, add_room, &local);
		break;
	case CTL_ALL_ROOMS:
		/* As a socket.io node answers allRooms(): its rooms, and
		 * each socket's own, named by its id. */
		local = jv_array();
		hub_each_room(hub, nsp, add_room_only, &local);
		hub_each_socket(hub, nsp, NULL, 0, add_sock_id, &local);
		break;
	default:
		local = jv_number(1);
		break;
	}
	if (!cluster_wide(hub, req))
		return jv_object_set(jv_object(), jv_string(key), local);
	if (req->op == CTL_ROOMS) {
		/* Counted afresh from every node's sockets, this one's
		 * included: a tally {name: members}. */
		jv_free(local);
		local = tally_rooms(jv_object(),
		    local_sockets(hub, nsp, NULL, 0));
	}
	return ask(hub, req, nsp, local, later, wait, err, errlen);
}

jv
ctlreq_handle(struct hub *hub, const struct ctlreq_counters *counters,
    const char *line, size_t len, const struct ctlreq_later *later,
    struct ctlreq_wait **wait)
{
	struct ctl_request req;
	struct room_nsp *nsp = NULL;
	const char *p;
	size_t plen;
	char err[256];
	jv id, body = jv_invalid();

	*wait = NULL;
	if (ctl_request_parse(line, len, &req, &id, err, sizeof(err)) == -1)
		return ctl_reply_error(err, id);
	err[0] = '\0';
	if (req.op != CTL_STATS && req.op != CTL_DISCONNECT) {
		p = str(req.ns, &plen);
		nsp = hub_namespace_find(hub, p, plen);
		if (nsp == NULL) {
			snprintf(err, sizeof(err),
			    "unknown namespace \"%.64s\"", p);
			goto out;
		}
	}
	switch (req.op) {
	case CTL_EMIT:
		body = do_emit(hub, &req, nsp, err, sizeof(err));
		break;
	case CTL_SOCKETS:
	case CTL_ROOMS:
	case CTL_ALL_ROOMS:
	case CTL_SERVERS:
		body = do_listing(hub, &req, nsp, later, wait, err,
		    sizeof(err));
		break;
	case CTL_STATS:
		body = ctlreq_stats(hub, counters);
		break;
	case CTL_DISCONNECT:
		body = do_disconnect(hub, &req, err, sizeof(err));
		break;
	case CTL_JOIN:
	case CTL_LEAVE:
		body = do_join(hub, &req, nsp, err, sizeof(err));
		break;
	case CTL_SERVER_EMIT:
		body = do_server_emit(hub, &req, nsp, err, sizeof(err));
		break;
	}
out:
	id = jv_copy(req.id);
	ctl_request_release(&req);
	if (*wait != NULL) {
		jv_free(id);
		return body; /* jv_null(): the reply comes later */
	}
	if (!jv_is_valid(body)) {
		jv_free(body);
		return ctl_reply_error(err[0] ? err : "request failed", id);
	}
	return ctl_reply_ok(body, id);
}
