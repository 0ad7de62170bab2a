/* cmsummary.c - what the tests compare of a cluster message. */
#include "cmsummary.h"
#include "mpjson.h"
#include "sio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n > 0 ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

char *
cmsummary_hex(const void *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	char *s = xcalloc(2 * len + 1, 1);

	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 0xf];
	}
	return s;
}

static int
nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
cmsummary_unhex(const char *s, struct buf *out)
{
	size_t n = strlen(s);

	buf_reset(out);
	if (n % 2 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = nibble(s[i]), lo = nibble(s[i + 1]);
		char c;

		if (hi < 0 || lo < 0)
			return -1;
		c = (char)(hi << 4 | lo);
		if (buf_append(out, &c, 1) == -1)
			return -1;
	}
	return 0;
}

/* JSON text of 'v' (consumed), malloc'd. */
static char *
dump(jv v)
{
	struct buf b;
	char *s;

	buf_init(&b, SIZE_MAX);
	if (mpjson_put_jv_json(&b, v) == -1)
		abort();
	jv_free(v);
	if ((s = buf_detach(&b, NULL)) == NULL)
		abort();
	return s;
}

static jv
str(const char *s, size_t len)
{
	return jv_string_sized(s, (int)len);
}

/* The frame a client gets, without Engine.IO's "4". */
static jv
frame(const struct clustermsg_event *ev)
{
	long n = sio_encode(NULL, 0, &ev->h, ev->json, ev->json_len);
	char *p;
	jv v;

	if (n < 1)
		return jv_string("(no frame)");
	p = xcalloc((size_t)n, 1);
	sio_encode(p, (size_t)n, &ev->h, ev->json, ev->json_len);
	v = str(p + 1, (size_t)n - 1);
	free(p);
	return v;
}

static jv
atts(const struct clustermsg_event *ev)
{
	jv a = jv_array();

	for (unsigned i = 0; i < ev->h.attachments; i++) {
		char *h = cmsummary_hex(ev->att[i].iov_base,
		    ev->att[i].iov_len);

		a = jv_array_append(a, jv_string(h));
		free(h);
	}
	return a;
}

static jv
rooms(struct clustermsg_rooms r, int text_rooms)
{
	struct clustermsg_room room;
	jv a = jv_array();

	while (clustermsg_rooms_next(&r, &room)) {
		if (room.is_number && !text_rooms)
			a = jv_array_append(a, jv_number(room.number));
		else
			a = jv_array_append(a, str(room.name, room.len));
	}
	return a;
}

/* The flags, named in bit order as the Node side names them. */
static jv
flags(unsigned f)
{
	static const char *const names[] = { "volatile", "compress",
		"nocompress", "local", "timeout", "single", "broadcast",
		"binary" };
	jv a = jv_array();

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (f & 1u << i)
			a = jv_array_append(a, jv_string(names[i]));
	}
	return a;
}

char *
cmsummary_bcast(const struct clustermsg_bcast *m, int text_rooms)
{
	jv s = jv_object();

	s = jv_object_set(s, jv_string("uid"), str(m->uid, m->uid_len));
	s = jv_object_set(s, jv_string("nsp"),
	    str(m->ev.h.nsp, m->ev.h.nsp_len));
	s = jv_object_set(s, jv_string("frame"), frame(&m->ev));
	s = jv_object_set(s, jv_string("att"), atts(&m->ev));
	s = jv_object_set(s, jv_string("rooms"), rooms(m->rooms, text_rooms));
	s = jv_object_set(s, jv_string("except"),
	    rooms(m->except, text_rooms));
	s = jv_object_set(s, jv_string("flags"), flags(m->flags));
	if (m->flags & CLUSTERMSG_F_TIMEOUT)
		s = jv_object_set(s, jv_string("timeout"),
		    jv_number(m->timeout));
	return dump(s);
}

static jv
set_str(jv s, const char *key, const char *v, size_t len)
{
	if (v == NULL)
		return s;
	return jv_object_set(s, jv_string(key), str(v, len));
}

static jv
set_jv(jv s, const char *key, jv v)
{
	if (!jv_is_valid(v))
		return s;
	return jv_object_set(s, jv_string(key), jv_copy(v));
}

char *
cmsummary_req(const struct clustermsg_req *r)
{
	jv s = jv_object(), o, p;

	s = jv_object_set(s, jv_string("type"),
	    r->type == CLUSTERMSG_NONE ? jv_null() : jv_number(r->type));
	s = jv_object_set(s, jv_string("msgpack"), jv_bool(r->msgpack));
	s = set_str(s, "requestId", r->request_id, r->request_id_len);
	s = set_str(s, "uid", r->uid, r->uid_len);
	s = set_str(s, "sid", r->sid, r->sid_len);
	s = set_jv(s, "room", r->room);
	s = set_jv(s, "rooms", r->rooms);
	if (r->has_opts) {
		o = jv_object();
		o = jv_object_set(o, jv_string("rooms"),
		    jv_copy(r->opts_rooms));
		o = jv_object_set(o, jv_string("except"),
		    jv_copy(r->opts_except));
		o = jv_object_set(o, jv_string("flags"), flags(r->flags));
		if (r->flags & CLUSTERMSG_F_TIMEOUT)
			o = jv_object_set(o, jv_string("timeout"),
			    jv_number(r->timeout));
		s = jv_object_set(s, jv_string("opts"), o);
	}
	s = jv_object_set(s, jv_string("close"), jv_bool(r->close));
	s = set_jv(s, "data", r->data);
	s = set_jv(s, "sockets", r->sockets);
	if (r->has_client_count)
		s = jv_object_set(s, jv_string("clientCount"),
		    jv_number(r->client_count));
	if (r->has_packet) {
		p = jv_object();
		if (r->type == CLUSTERMSG_BROADCAST)
			p = jv_object_set(p, jv_string("frame"),
			    frame(&r->ev));
		else
			p = jv_object_set(p, jv_string("json"),
			    str(r->ev.json, r->ev.json_len));
		p = jv_object_set(p, jv_string("att"), atts(&r->ev));
		s = jv_object_set(s, jv_string("packet"), p);
	}
	return dump(s);
}

/* Room names as iovecs: strings borrowed, numbers as text kept in 'keep'. */
struct names {
	struct iovec *v;
	size_t n;
	char **keep;
};

static void
names_from_rooms(struct names *nm, struct clustermsg_rooms r)
{
	struct clustermsg_room room;

	nm->v = xcalloc(r.n, sizeof(*nm->v));
	nm->keep = xcalloc(r.n, sizeof(*nm->keep));
	nm->n = 0;
	while (clustermsg_rooms_next(&r, &room)) {
		char *t = xcalloc(room.len + 1, 1);

		memcpy(t, room.name, room.len);
		nm->keep[nm->n] = t;
		nm->v[nm->n].iov_base = t;
		nm->v[nm->n++].iov_len = room.len;
	}
}

static void
names_from_jv(struct names *nm, jv a)
{
	struct clustermsg_room room;
	int len = jv_is_valid(a) ? jv_array_length(jv_copy(a)) : 0;

	nm->v = xcalloc((size_t)len, sizeof(*nm->v));
	nm->keep = xcalloc((size_t)len, sizeof(*nm->keep));
	nm->n = 0;
	for (int i = 0; i < len; i++) {
		jv e = jv_array_get(jv_copy(a), i);
		char *t;

		if (clustermsg_room_from_jv(e, &room) == -1)
			abort();
		t = xcalloc(room.len + 1, 1);
		memcpy(t, room.name, room.len);
		jv_free(e);
		nm->keep[nm->n] = t;
		nm->v[nm->n].iov_base = t;
		nm->v[nm->n++].iov_len = room.len;
	}
}

static void
names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->keep[i]);
	free(nm->keep);
	free(nm->v);
}

int
cmsummary_reencode(const struct clustermsg_bcast *m, struct buf *out,
    char *err, size_t errlen)
{
	struct names r, x;
	struct clustermsg_emit e;
	int rc;

	names_from_rooms(&r, m->rooms);
	names_from_rooms(&x, m->except);
	memset(&e, 0, sizeof(e));
	e.uid = m->uid;
	e.uid_len = m->uid_len;
	e.nsp = m->ev.h.nsp;
	e.nsp_len = m->ev.h.nsp_len;
	e.json = m->ev.json;
	e.json_len = m->ev.json_len;
	e.att = m->ev.att;
	e.natt = m->ev.h.attachments;
	e.to.rooms = r.v;
	e.to.nrooms = r.n;
	e.to.except = x.v;
	e.to.nexcept = x.n;
	e.to.flags = m->flags;
	e.to.timeout = m->timeout;
	rc = clustermsg_encode(out, &e, err, errlen);
	names_free(&r);
	names_free(&x);
	return rc;
}

static int
all_strings(jv a)
{
	int ok = 1;

	jv_array_foreach(a, i, e)
	{
		ok = ok && jv_get_kind(e) == JV_KIND_STRING;
		jv_free(e);
		(void)i;
	}
	return ok;
}

/* A member of an object, as a string, borrowed from it. */
static const char *
member_str(jv o, const char *key, size_t *len)
{
	jv v = jv_object_get(jv_copy(o), jv_string(key));
	const char *s = NULL;

	*len = 0;
	if (jv_get_kind(v) == JV_KIND_STRING) {
		s = jv_string_value(v);
		*len = (size_t)jv_string_length_bytes(jv_copy(v));
	}
	jv_free(v);
	return s;
}

/* A FETCH response's sockets ('sockets', borrowed) built again: the
 * classic response, or the sharded one from 'from'. */
static int
rebuild_sockets(jv sockets, const char *rid, size_t rid_len,
    const struct shardmsg_from *from, struct buf *out)
{
	int n = jv_array_length(jv_copy(sockets)), rc;
	struct clustermsg_socket *s = xcalloc((size_t)n, sizeof(*s));
	struct names *nm = xcalloc((size_t)n, sizeof(*nm));
	jv *keep = xcalloc((size_t)n, sizeof(*keep));

	for (int i = 0; i < n; i++) {
		jv o = jv_array_get(jv_copy(sockets), i), rooms;

		keep[i] = o;
		s[i].id = member_str(o, "id", &s[i].id_len);
		s[i].handshake = jv_object_get(jv_copy(o),
		    jv_string("handshake"));
		s[i].data = jv_object_get(jv_copy(o), jv_string("data"));
		rooms = jv_object_get(jv_copy(o), jv_string("rooms"));
		names_from_jv(&nm[i], rooms);
		jv_free(rooms);
		s[i].rooms = nm[i].v;
		s[i].nrooms = nm[i].n;
	}
	rc = from != NULL ?
	    shardmsg_res_fetch(out, from, rid, rid_len, s, (size_t)n) :
	    clustermsg_res_fetch(out, rid, rid_len, s, (size_t)n);
	for (int i = 0; i < n; i++) {
		jv_free(s[i].handshake);
		jv_free(s[i].data);
		names_free(&nm[i]);
		jv_free(keep[i]);
	}
	free(keep);
	free(nm);
	free(s);
	return rc;
}

static int
rebuild_broadcast(const struct clustermsg_req *r, struct buf *out)
{
	struct names rm, x;
	struct clustermsg_emit e;
	char err[128];
	int rc;

	names_from_jv(&rm, r->opts_rooms);
	names_from_jv(&x, r->opts_except);
	memset(&e, 0, sizeof(e));
	e.uid = r->uid;
	e.uid_len = r->uid_len;
	e.nsp = r->ev.h.nsp;
	e.nsp_len = r->ev.h.nsp_len;
	e.json = r->ev.json;
	e.json_len = r->ev.json_len;
	e.att = r->ev.att;
	e.natt = r->ev.h.attachments;
	e.to.rooms = rm.v;
	e.to.nrooms = rm.n;
	e.to.except = x.v;
	e.to.nexcept = x.n;
	e.to.flags = r->flags;
	e.to.timeout = r->timeout;
	rc = clustermsg_req_broadcast(out, &e, r->request_id,
	    r->request_id_len, err, sizeof(err));
	names_free(&rm);
	names_free(&x);
	return rc;
}

static int
rebuild_ack(const struct clustermsg_req *r, struct buf *out)
{
	struct buf arr;
	char err[128];
	int rc;

	buf_init(&arr, SIZE_MAX);
	if (buf_append(&arr, "[", 1) == -1 ||
	    (r->has_packet &&
	        buf_append(&arr, r->ev.json, r->ev.json_len) == -1) ||
	    buf_append(&arr, "]", 1) == -1)
		abort();
	rc = clustermsg_res_broadcast_ack(out, r->request_id,
	    r->request_id_len, arr.data, arr.len, r->ev.att,
	    r->ev.h.attachments, err, sizeof(err));
	buf_release(&arr);
	return rc;
}

int
cmsummary_rebuild(const struct clustermsg_req *r, struct buf *out)
{
	struct clustermsg_target to;
	struct names rm, x, rooms;
	int rc = -1;

	names_from_jv(&rm, r->opts_rooms);
	names_from_jv(&x, r->opts_except);
	names_from_jv(&rooms, r->rooms);
	memset(&to, 0, sizeof(to));
	to.rooms = rm.v;
	to.nrooms = rm.n;
	to.except = x.v;
	to.nexcept = x.n;
	switch (r->type) {
	case CLUSTERMSG_NONE:
		if (jv_is_valid(r->sockets) && all_strings(r->sockets)) {
			struct names ids;

			names_from_jv(&ids, r->sockets);
			rc = clustermsg_res_sockets(out, r->request_id,
			    r->request_id_len, ids.v, ids.n);
			names_free(&ids);
		} else if (jv_is_valid(r->sockets)) {
			rc = rebuild_sockets(r->sockets, r->request_id,
			    r->request_id_len, NULL, out);
		} else if (jv_is_valid(r->rooms)) {
			rc = clustermsg_res_all_rooms(out, r->request_id,
			    r->request_id_len, rooms.v, rooms.n);
		} else if (r->request_id != NULL) {
			rc = clustermsg_res_done(out, r->request_id,
			    r->request_id_len);
		}
		break;
	case CLUSTERMSG_ALL_ROOMS:
		rc = clustermsg_req_all_rooms(out, r->uid, r->uid_len,
		    r->request_id, r->request_id_len);
		break;
	case CLUSTERMSG_REMOTE_FETCH:
		if (r->has_opts)
			rc = clustermsg_req_fetch(out, r->uid, r->uid_len,
			    r->request_id, r->request_id_len, &to);
		break;
	case CLUSTERMSG_REMOTE_JOIN:
	case CLUSTERMSG_REMOTE_LEAVE:
		if (!r->has_opts)
			break;
		if (r->type == CLUSTERMSG_REMOTE_JOIN)
			rc = clustermsg_req_join(out, r->uid, r->uid_len, &to,
			    rooms.v, rooms.n);
		else
			rc = clustermsg_req_leave(out, r->uid, r->uid_len, &to,
			    rooms.v, rooms.n);
		break;
	case CLUSTERMSG_REMOTE_DISCONNECT:
		if (r->has_opts)
			rc = clustermsg_req_disconnect(out, r->uid, r->uid_len,
			    &to, r->close);
		break;
	case CLUSTERMSG_SERVER_SIDE_EMIT:
		if (r->uid != NULL)
			rc = clustermsg_req_server_emit(out, r->uid,
			    r->uid_len, r->request_id, r->request_id_len,
			    r->data);
		else
			rc = clustermsg_res_server_emit(out, r->request_id,
			    r->request_id_len, r->data);
		break;
	case CLUSTERMSG_BROADCAST:
		rc = rebuild_broadcast(r, out);
		break;
	case CLUSTERMSG_BROADCAST_CLIENT_COUNT:
		if (r->has_client_count)
			rc = clustermsg_res_client_count(out, r->request_id,
			    r->request_id_len, (uint64_t)r->client_count);
		break;
	case CLUSTERMSG_BROADCAST_ACK:
		rc = rebuild_ack(r, out);
		break;
	default:
		break;
	}
	names_free(&rm);
	names_free(&x);
	names_free(&rooms);
	return rc;
}

char *
cmsummary_shard(const struct shardmsg *m)
{
	jv s = jv_object(), o, p;

	s = jv_object_set(s, jv_string("type"),
	    m->type == SHARDMSG_NONE ? jv_null() : jv_number(m->type));
	s = jv_object_set(s, jv_string("msgpack"), jv_bool(m->msgpack));
	s = set_str(s, "uid", m->uid, m->uid_len);
	s = set_str(s, "nsp", m->nsp, m->nsp_len);
	s = set_str(s, "requestId", m->request_id, m->request_id_len);
	if (m->has_opts) {
		o = jv_object();
		o = jv_object_set(o, jv_string("rooms"),
		    jv_copy(m->opts_rooms));
		o = jv_object_set(o, jv_string("except"),
		    jv_copy(m->opts_except));
		o = jv_object_set(o, jv_string("flags"), flags(m->flags));
		if (m->flags & CLUSTERMSG_F_TIMEOUT)
			o = jv_object_set(o, jv_string("timeout"),
			    jv_number(m->timeout));
		s = jv_object_set(s, jv_string("opts"), o);
	}
	s = set_jv(s, "rooms", m->rooms);
	s = jv_object_set(s, jv_string("close"), jv_bool(m->close));
	if (m->has_packet && m->type == SHARDMSG_BROADCAST) {
		/* Sent to clients in the message's namespace. */
		struct clustermsg_event ev = m->ev;

		ev.h.nsp = m->nsp != NULL ? m->nsp : "/";
		ev.h.nsp_len = m->nsp != NULL ? m->nsp_len : 1;
		p = jv_object_set(jv_object(), jv_string("frame"), frame(&ev));
		p = jv_object_set(p, jv_string("att"), atts(&m->ev));
		s = jv_object_set(s, jv_string("packet"), p);
	} else if (m->has_packet) {
		p = jv_object_set(jv_object(), jv_string("json"),
		    str(m->ev.json, m->ev.json_len));
		p = jv_object_set(p, jv_string("att"), atts(&m->ev));
		s = jv_object_set(s, jv_string("packet"), p);
	} else {
		s = set_jv(s, "packet", m->packet);
	}
	s = set_jv(s, "sockets", m->sockets);
	if (m->has_client_count)
		s = jv_object_set(s, jv_string("clientCount"),
		    jv_number(m->client_count));
	return dump(s);
}

int
cmsummary_shard_rebuild(const struct shardmsg *m, struct buf *out)
{
	struct shardmsg_from from = { m->uid, m->uid_len, m->nsp, m->nsp_len };
	struct clustermsg_target to;
	struct clustermsg_emit e;
	struct names rm, x, rooms;
	struct buf arr;
	char err[128];
	int rc = -1;

	names_from_jv(&rm, m->opts_rooms);
	names_from_jv(&x, m->opts_except);
	names_from_jv(&rooms, m->rooms);
	memset(&to, 0, sizeof(to));
	to.rooms = rm.v;
	to.nrooms = rm.n;
	to.except = x.v;
	to.nexcept = x.n;
	to.flags = m->flags;
	to.timeout = m->timeout;
	switch (m->type) {
	case SHARDMSG_BROADCAST:
		memset(&e, 0, sizeof(e));
		e.json = m->ev.json;
		e.json_len = m->ev.json_len;
		e.att = m->ev.att;
		e.natt = m->ev.h.attachments;
		e.nsp = m->nsp;
		e.nsp_len = m->nsp_len;
		e.to = to;
		rc = shardmsg_broadcast(out, &from, &e, m->request_id,
		    m->request_id_len, err, sizeof(err));
		break;
	case SHARDMSG_SOCKETS_JOIN:
	case SHARDMSG_SOCKETS_LEAVE:
		rc = shardmsg_sockets_join(out, &from, &to, rooms.v, rooms.n,
		    m->type == SHARDMSG_SOCKETS_JOIN);
		break;
	case SHARDMSG_DISCONNECT_SOCKETS:
		rc = shardmsg_disconnect(out, &from, &to, m->close);
		break;
	case SHARDMSG_FETCH_SOCKETS:
		rc = shardmsg_fetch(out, &from, &to, m->request_id,
		    m->request_id_len);
		break;
	case SHARDMSG_SERVER_SIDE_EMIT:
		rc = shardmsg_server_emit(out, &from, m->packet, m->request_id,
		    m->request_id_len);
		break;
	case SHARDMSG_FETCH_SOCKETS_RESPONSE:
		rc = rebuild_sockets(m->sockets, m->request_id,
		    m->request_id_len, &from, out);
		break;
	case SHARDMSG_BROADCAST_CLIENT_COUNT:
		rc = shardmsg_res_client_count(out, &from, m->request_id,
		    m->request_id_len, (uint64_t)m->client_count);
		break;
	case SHARDMSG_BROADCAST_ACK:
		buf_init(&arr, SIZE_MAX);
		if (buf_append(&arr, "[", 1) == -1 ||
		    (m->has_packet &&
		        buf_append(&arr, m->ev.json, m->ev.json_len) == -1) ||
		    buf_append(&arr, "]", 1) == -1)
			abort();
		rc = shardmsg_res_broadcast_ack(out, &from, m->request_id,
		    m->request_id_len, arr.data, arr.len, m->ev.att,
		    m->ev.h.attachments, err, sizeof(err));
		buf_release(&arr);
		break;
	default:
		break;
	}
	names_free(&rm);
	names_free(&x);
	names_free(&rooms);
	return rc;
}
