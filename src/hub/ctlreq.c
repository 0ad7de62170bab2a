/* ctlreq.c - control requests carried out on the hub (see ctlreq.h). */
#include "ctlreq.h"

#include <stdio.h>

#include "ctl.h"

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

static jv
do_emit(struct hub *hub, const struct ctl_request *req, struct room_nsp *nsp,
    char *err, size_t errlen)
{
	struct sio_header h = {
		.type = SIO_EVENT,
		.ack_id = SIO_NO_ACK,
		.attachments = 0,
	};
	struct room_name room, except;
	struct hub_bcast b = { .nsp = nsp, .type = SIO_EVENT };
	struct room_sock *target;
	struct frame *f;
	const char *p;
	size_t len;
	long reached = 0;
	jv text;

	text = jv_dump_string(jv_array_concat(jv_array_append(jv_array(),
	                                          jv_copy(req->event)),
	                          jv_copy(req->args)),
	    0);
	p = str(text, &len);
	if (jv_is_valid(req->room)) {
		/* As io.to(room).except(except).emit(...). */
		room.s = str(req->room, &room.len);
		b.rooms = &room;
		b.nrooms = 1;
		if (jv_is_valid(req->except)) {
			except.s = str(req->except, &except.len);
			b.except = &except;
			b.nexcept = 1;
		}
		b.json = p;
		b.json_len = len;
		reached = hub_broadcast(hub, &b);
		jv_free(text);
		if (reached == -1) {
			snprintf(err, errlen, "out of memory");
			return jv_invalid();
		}
		return jv_object_set(jv_object(), jv_string("reached"),
		    jv_number((double)reached));
	}
	h.nsp = hub_namespace_name(nsp, &h.nsp_len);
	f = hub_frame(&h, p, len, NULL, 0);
	jv_free(text);
	if (f == NULL) {
		snprintf(err, errlen, "out of memory");
		return jv_invalid();
	}
	p = str(req->socket, &len);
	target = hub_socket_find(hub, p, len);
	if (target == NULL || hub_socket_namespace(target) != nsp) {
		frame_unref(f);
		snprintf(err, errlen,
		    "no socket \"%.40s\" in namespace "
		    "\"%.64s\"",
		    p, hub_namespace_name(nsp, NULL));
		return jv_invalid();
	}
	reached = hub_send(hub, target, f) == 0;
	frame_unref(f);
	return jv_object_set(jv_object(), jv_string("reached"),
	    jv_number((double)reached));
}

static jv
do_sockets(struct hub *hub, const struct ctl_request *req,
    struct room_nsp *nsp)
{
	struct listing l = { hub, jv_array() };
	const char *room = NULL;
	size_t len = 0;

	if (jv_is_valid(req->room))
		room = str(req->room, &len);
	hub_each_socket(hub, nsp, room, len, add_sock, &l);
	return jv_object_set(jv_object(), jv_string("sockets"), l.list);
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

static jv
do_rooms(struct hub *hub, struct room_nsp *nsp)
{
	jv list = jv_array();

	hub_each_room(hub, nsp, add_room, &list);
	return jv_object_set(jv_object(), jv_string("rooms"), list);
}

static jv
do_stats(struct hub *hub, const struct ctlreq_counters *counters)
{
	struct hub_stats st;
	jv more;
	jv o = jv_object();

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
	STAT("control_connections", counters->connections);
	STAT("control_connections_total", counters->connections_total);
	STAT("control_requests", counters->requests);
#undef STAT
	more = hub_fanout_stats(hub);
	if (jv_get_kind(more) == JV_KIND_OBJECT)
		o = jv_object_merge(o, more);
	else
		jv_free(more);
	return o;
}

jv
ctlreq_handle(struct hub *hub, const struct ctlreq_counters *counters,
    const char *line, size_t len)
{
	struct ctl_request req;
	struct room_nsp *nsp = NULL;
	struct room_sock *s;
	const char *p;
	size_t plen;
	char err[256];
	jv id, body = jv_invalid();

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
		body = do_sockets(hub, &req, nsp);
		break;
	case CTL_ROOMS:
		body = do_rooms(hub, nsp);
		break;
	case CTL_STATS:
		body = do_stats(hub, counters);
		break;
	case CTL_DISCONNECT:
		p = str(req.socket, &plen);
		s = hub_socket_find(hub, p, plen);
		if (s == NULL) {
			snprintf(err, sizeof(err), "no socket \"%.40s\"", p);
			break;
		}
		hub_disconnect(hub, s);
		body = jv_object_set(jv_object(), jv_string("disconnected"),
		    jv_number(1));
		break;
	}
out:
	id = jv_copy(req.id);
	ctl_request_release(&req);
	if (!jv_is_valid(body)) {
		jv_free(body);
		return ctl_reply_error(err[0] ? err : "request failed", id);
	}
	return ctl_reply_ok(body, id);
}
