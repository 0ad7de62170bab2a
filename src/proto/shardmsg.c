/*
 * shardmsg.c - the sharded Redis adapter's messages (see shardmsg.h).
 *
 * Every message becomes a libjq value, whichever form it came in, but for
 * the packet of a BROADCAST and the value of a BROADCAST_ACK, which are
 * read straight into the text a client is sent, as clustermsg.c reads
 * them.
 */
#include "shardmsg.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "errbuf.h"
#include "json.h"
#include "jsonv.h"
#include "jsonw.h"
#include "mpjson.h"

/* Nesting allowed around an event's data: the message, data, opts... */
#define DEPTH_MAX (SIO_JSON_DEPTH_MAX + 4)

/* Channels */

int
shardmsg_channel(struct buf *out, const char *key, size_t key_len,
    const char *nsp, size_t nsp_len, const char *tail, size_t tail_len)
{
	size_t start = out->len;

	if (buf_append(out, key, key_len) == -1 ||
	    buf_append(out, "#", 1) == -1 ||
	    buf_append(out, nsp, nsp_len) == -1 ||
	    buf_append(out, "#", 1) == -1 ||
	    (tail != NULL &&
	        (buf_append(out, tail, tail_len) == -1 ||
	            buf_append(out, "#", 1) == -1))) {
		if (out->data != NULL) {
			out->len = start;
			out->data[start] = '\0';
		}
		return -1;
	}
	return 0;
}

/* JavaScript's length of UTF-8 text: one unit a character, two for those
 * beyond U+FFFF (4-byte sequences). */
static size_t
utf16_len(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

int
shardmsg_room_channel(enum shardmsg_mode mode,
    const struct clustermsg_target *to, int with_ack)
{
	if (with_ack || to->nrooms != 1)
		return 0;
	if (mode == SHARDMSG_DYNAMIC_PRIVATE)
		return 1;
	return mode == SHARDMSG_DYNAMIC &&
	    utf16_len(to->rooms[0].iov_base, to->rooms[0].iov_len) != 20;
}

/* Parsing */

static int
fail_errno(char *err, size_t errlen)
{
	int e = errno;

	return errbuf_fail(e, err, errlen, "%s", mpack_strerror(e));
}

static int
key_is(const struct mpack_item *k, const char *s)
{
	return k->len == strlen(s) && memcmp(k->str, s, k->len) == 0;
}

/* A whole number in [0, INT_MAX], or SHARDMSG_NONE (absent) or -2. */
static int
type_of(jv v)
{
	double d;

	if (!jv_is_valid(v))
		return SHARDMSG_NONE;
	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return -2;
	d = jv_number_value(v);
	return d >= 0 && d <= INT_MAX && floor(d) == d ? (int)d : -2;
}

static int
with_packet(int type)
{
	return type == SHARDMSG_BROADCAST || type == SHARDMSG_BROADCAST_ACK;
}

static void
clear(struct shardmsg *m)
{
	jv_free(m->body);
	jv_free(m->data);
	jv_free(m->opts_rooms);
	jv_free(m->opts_except);
	jv_free(m->rooms);
	jv_free(m->packet);
	jv_free(m->sockets);
	memset(m, 0, offsetof(struct shardmsg, ev));
	m->type = SHARDMSG_NONE;
	m->body = jv_invalid();
	m->data = jv_invalid();
	m->opts_rooms = jv_invalid();
	m->opts_except = jv_invalid();
	m->rooms = jv_invalid();
	m->packet = jv_invalid();
	m->sockets = jv_invalid();
}

void
shardmsg_init(struct shardmsg *m, size_t max)
{
	memset(m, 0, offsetof(struct shardmsg, ev));
	m->body = m->data = m->opts_rooms = m->opts_except = jv_invalid();
	m->rooms = m->packet = m->sockets = jv_invalid();
	clear(m);
	clustermsg_event_init(&m->ev, max);
}

void
shardmsg_release(struct shardmsg *m)
{
	clear(m);
	clustermsg_event_release(&m->ev);
}

/* A message in JSON text: the adapter's JSON.parse(). */
static int
parse_json(struct shardmsg *m, const char *msg, size_t len, char *err,
    size_t errlen)
{
	jv body, packet, v;

	if (jsonv_parse(msg, len, DEPTH_MAX, 0, &body) == -1) {
		int e = errno;

		return errbuf_fail(e, err, errlen, "invalid JSON: %s",
		    jsonv_problem(e, msg, len));
	}
	m->body = body;
	if (jv_get_kind(body) != JV_KIND_OBJECT)
		return errbuf_fail(EINVAL, err, errlen,
		    "message is not an object");
	v = clustermsg_member(body, "type");
	m->type = type_of(v);
	jv_free(v);
	m->data = clustermsg_member(body, "data");
	m->body = jv_object_delete(m->body, jv_string("data"));
	if (!with_packet(m->type) || jv_get_kind(m->data) != JV_KIND_OBJECT)
		return 0;
	packet = jv_object_get(jv_copy(m->data), jv_string("packet"));
	if (!jv_is_valid(packet)) {
		jv_free(packet);
		return 0;
	}
	m->data = jv_object_delete(m->data, jv_string("packet"));
	m->has_packet = 1;
	if (m->type == SHARDMSG_BROADCAST_ACK)
		return clustermsg_ack_read_jv(&m->ev, packet, err, errlen);
	return clustermsg_event_read_jv(&m->ev, packet, err, errlen);
}

static int
mp_next(struct mpack_cur *c, struct mpack_item *it, char *err, size_t errlen)
{
	return mpack_next(c, it) == -1 ? fail_errno(err, errlen) : 0;
}

static int
mp_key(struct mpack_cur *c, struct mpack_item *k, char *err, size_t errlen)
{
	if (mp_next(c, k, err, errlen) == -1)
		return -1;
	if (k->kind != MPACK_STR)
		return errbuf_fail(EINVAL, err, errlen,
		    "a map key is not a string");
	return 0;
}

/* Sets key 'k' of *obj to the value at the cursor, as notepack.io's
 * assignment does ("__proto__" goes nowhere). */
static int
mp_member(jv *obj, const struct mpack_item *k, struct mpack_cur *c, char *err,
    size_t errlen)
{
	jv val;

	if (mpjson_to_jv(c, DEPTH_MAX, &val, err, errlen) == -1)
		return -1;
	if (k->len > INT_MAX || key_is(k, "__proto__"))
		jv_free(val);
	else
		*obj = jv_object_set(*obj,
		    jv_string_sized(k->str, (int)k->len), val);
	return 0;
}

/*
 * data at the cursor, a map, into m->data but for its packet, whose
 * cursor goes to *packet; anything else into m->data as it is.
 */
static int
mp_data(struct shardmsg *m, struct mpack_cur *c, struct mpack_cur *packet,
    char *err, size_t errlen)
{
	struct mpack_cur at = *c;
	struct mpack_item it, k;

	packet->p = NULL;
	jv_free(m->data);
	m->data = jv_invalid();
	if (mp_next(c, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_MAP) {
		*c = at;
		return mpjson_to_jv(c, DEPTH_MAX, &m->data, err, errlen);
	}
	m->data = jv_object();
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(c, &k, err, errlen) == -1)
			return -1;
		if (key_is(&k, "packet")) {
			*packet = *c;
			if (mpack_skip(c, DEPTH_MAX) == -1)
				return fail_errno(err, errlen);
			continue;
		}
		if (mp_member(&m->data, &k, c, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* A message in MessagePack: the adapter's notepack.io decode(). */
static int
parse_msgpack(struct shardmsg *m, const void *msg, size_t len, char *err,
    size_t errlen)
{
	struct mpack_item it, k, v;
	struct mpack_cur c, pairs, packet = { NULL, NULL };

	mpack_cur_init(&c, msg, len);
	if (mp_next(&c, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_MAP)
		return errbuf_fail(EINVAL, err, errlen,
		    "message is not a map");
	/* First the type, wherever it is: it says how data is read. */
	pairs = c;
	for (size_t i = 0; i < it.len; i++) {
		struct mpack_cur at;

		if (mp_key(&c, &k, err, errlen) == -1)
			return -1;
		at = c;
		if (mp_next(&c, &v, err, errlen) == -1)
			return -1;
		if (v.kind == MPACK_ARRAY || v.kind == MPACK_MAP) {
			c = at;
			if (mpack_skip(&c, DEPTH_MAX) == -1)
				return fail_errno(err, errlen);
		}
		if (key_is(&k, "type"))
			m->type = v.kind != MPACK_NUMBER ? -2 :
			    v.num >= 0 && v.num <= INT_MAX &&
			        floor(v.num) == v.num ?
			                                   (int)v.num :
			                                   -2;
	}
	if (c.p != c.end)
		return errbuf_fail(EINVAL, err, errlen,
		    "bytes after the message");
	m->body = jv_object();
	c = pairs;
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(&c, &k, err, errlen) == -1)
			return -1;
		if (key_is(&k, "data") && with_packet(m->type)) {
			if (mp_data(m, &c, &packet, err, errlen) == -1)
				return -1;
		} else if (key_is(&k, "data")) {
			jv_free(m->data);
			if (mpjson_to_jv(&c, DEPTH_MAX, &m->data, err,
			        errlen) == -1)
				return -1;
		} else if (mp_member(&m->body, &k, &c, err, errlen) == -1) {
			return -1;
		}
	}
	if (packet.p == NULL)
		return 0;
	m->has_packet = 1;
	if (m->type == SHARDMSG_BROADCAST_ACK)
		return clustermsg_ack_read(&m->ev, &packet, err, errlen);
	return clustermsg_event_read(&m->ev, &packet, err, errlen);
}

/* data.opts, when there. */
static int
read_opts(struct shardmsg *m, char *err, size_t errlen)
{
	jv opts = jv_is_valid(m->data) ? clustermsg_member(m->data, "opts") :
	                                 jv_invalid(),
	   flags;
	int rc = 0;

	if (jv_is_valid(opts)) {
		if (jv_get_kind(opts) != JV_KIND_OBJECT) {
			jv_free(opts);
			return errbuf_fail(EINVAL, err, errlen,
			    "opts is not an object");
		}
		m->has_opts = 1;
		rc = clustermsg_member_rooms(opts, "rooms", "opts.rooms",
		         &m->opts_rooms, err, errlen) == -1 ||
		        clustermsg_member_rooms(opts, "except", "opts.except",
		            &m->opts_except, err, errlen) == -1 ?
		    -1 :
		    0;
		flags = clustermsg_member(opts, "flags");
		clustermsg_flags_from_jv(flags, &m->flags, &m->timeout);
		jv_free(flags);
	}
	jv_free(opts);
	if (!jv_is_valid(m->opts_rooms)) {
		jv_free(m->opts_rooms);
		m->opts_rooms = jv_array();
	}
	if (!jv_is_valid(m->opts_except)) {
		jv_free(m->opts_except);
		m->opts_except = jv_array();
	}
	return rc;
}

/* What each type needs, as the adapter's onMessage() and onResponse()
 * read it. */
static int
check_type(struct shardmsg *m, char *err, size_t errlen)
{
	const char *need = NULL;

	switch (m->type) {
	case SHARDMSG_BROADCAST:
		if (!m->has_packet || !m->has_opts)
			need = "packet and opts";
		break;
	case SHARDMSG_SOCKETS_JOIN:
	case SHARDMSG_SOCKETS_LEAVE:
		if (!m->has_opts || jv_get_kind(m->rooms) != JV_KIND_ARRAY)
			need = "opts and rooms";
		break;
	case SHARDMSG_DISCONNECT_SOCKETS:
		if (!m->has_opts)
			need = "opts";
		break;
	case SHARDMSG_FETCH_SOCKETS:
		if (!m->has_opts || m->request_id == NULL)
			need = "opts and a requestId";
		break;
	case SHARDMSG_SERVER_SIDE_EMIT:
		if (jv_get_kind(m->packet) != JV_KIND_ARRAY)
			need = "a packet array";
		break;
	case SHARDMSG_FETCH_SOCKETS_RESPONSE:
		if (m->request_id == NULL ||
		    jv_get_kind(m->sockets) != JV_KIND_ARRAY)
			need = "a requestId and a sockets array";
		break;
	case SHARDMSG_BROADCAST_CLIENT_COUNT:
		if (m->request_id == NULL || !m->has_client_count)
			need = "a requestId and a clientCount number";
		break;
	case SHARDMSG_SERVER_SIDE_EMIT_RESPONSE:
	case SHARDMSG_BROADCAST_ACK:
		if (m->request_id == NULL)
			need = "a requestId";
		break;
	default:
		break;
	}
	if (need != NULL)
		return errbuf_fail(EINVAL, err, errlen, "type %d without %s",
		    m->type, need);
	return 0;
}

/* The members of m->body and m->data, read and checked. */
static int
read_fields(struct shardmsg *m, char *err, size_t errlen)
{
	jv v;

	if (m->type == -2)
		return errbuf_fail(EINVAL, err, errlen,
		    "type is not a whole number");
	if (clustermsg_member_string(m->body, "uid", &m->uid, &m->uid_len, err,
	        errlen) == -1 ||
	    clustermsg_member_string(m->body, "nsp", &m->nsp, &m->nsp_len, err,
	        errlen) == -1)
		return -1;
	if (!jv_is_valid(m->data) || jv_get_kind(m->data) == JV_KIND_NULL) {
		jv_free(m->data);
		m->data = jv_invalid();
		if (m->type >= SHARDMSG_BROADCAST &&
		    m->type <= SHARDMSG_BROADCAST_ACK)
			return errbuf_fail(EINVAL, err, errlen,
			    "type %d without data", m->type);
		return read_opts(m, err, errlen);
	}
	if (jv_get_kind(m->data) != JV_KIND_OBJECT)
		return errbuf_fail(EINVAL, err, errlen,
		    "data is not an object");
	if (clustermsg_member_string(m->data, "requestId", &m->request_id,
	        &m->request_id_len, err, errlen) == -1 ||
	    read_opts(m, err, errlen) == -1 ||
	    clustermsg_member_rooms(m->data, "rooms", "rooms", &m->rooms, err,
	        errlen) == -1)
		return -1;
	v = clustermsg_member(m->data, "close");
	m->close = clustermsg_truthy(v);
	jv_free(v);
	if (!with_packet(m->type))
		m->packet = jv_object_get(jv_copy(m->data),
		    jv_string("packet"));
	m->sockets = clustermsg_member(m->data, "sockets");
	v = clustermsg_member(m->data, "clientCount");
	if (jv_get_kind(v) == JV_KIND_NUMBER) {
		m->has_client_count = 1;
		m->client_count = jv_number_value(v);
	}
	jv_free(v);
	return check_type(m, err, errlen);
}

int
shardmsg_parse(struct shardmsg *m, const void *msg, size_t len, char *err,
    size_t errlen)
{
	const unsigned char *p = msg;
	int rc;

	clear(m);
	clustermsg_event_reset(&m->ev);
	m->msgpack = len == 0 || p[0] != '{';
	if (m->msgpack)
		rc = parse_msgpack(m, msg, len, err, errlen);
	else
		rc = parse_json(m, msg, len, err, errlen);
	if (rc == 0)
		rc = read_fields(m, err, errlen);
	if (rc == -1) {
		int e = errno;

		clear(m);
		clustermsg_event_reset(&m->ev);
		errno = e;
	}
	return rc;
}

/* Building */

/* The start of a JSON message: {"type":N,"data":{ ... */
static void
head(struct jsonw *w, struct jsonw *data, struct buf *out, int type)
{
	jsonw_begin(w, out);
	jsonw_key(w, "type");
	jsonw_num(w, type);
	jsonw_key(w, "data");
	jsonw_begin(data, out);
}

/* ... }, "uid", "nsp"}: the end of one. */
static int
tail(struct jsonw *w, struct jsonw *data, const struct shardmsg_from *from)
{
	jsonw_raw(data, "}");
	jsonw_inner(w, data);
	jsonw_key(w, "uid");
	jsonw_str(w, from->uid, from->uid_len);
	jsonw_key(w, "nsp");
	jsonw_str(w, from->nsp, from->nsp_len);
	return jsonw_end(w);
}

/* "opts":{"rooms":[...],"except":[...],"flags":{}} */
static void
opts_json(struct jsonw *w, const struct clustermsg_target *to)
{
	jsonw_key(w, "opts");
	jsonw_raw(w, "{\"rooms\":");
	jsonw_strings(w, to->rooms, to->nrooms);
	jsonw_raw(w, ",\"except\":");
	jsonw_strings(w, to->except, to->nexcept);
	jsonw_raw(w, ",\"flags\":");
	if (w->rc == 0)
		w->rc = clustermsg_flags_json(w->out, to->flags, to->timeout);
	jsonw_raw(w, "}");
}

static int
put_key(struct buf *out, const char *key)
{
	return mpack_put_str(out, key, strlen(key));
}

/* The end of a MessagePack message: "uid", "nsp". */
static int
mp_tail(struct buf *out, const struct shardmsg_from *from)
{
	return put_key(out, "uid") == -1 ||
	        mpack_put_str(out, from->uid, from->uid_len) == -1 ||
	        put_key(out, "nsp") == -1 ||
	        mpack_put_str(out, from->nsp, from->nsp_len) == -1 ?
	    -1 :
	    0;
}

static void
cut(struct buf *out, size_t len)
{
	if (out->data != NULL) {
		out->len = len;
		out->data[len] = '\0';
	}
}

/* The event's data array, checked to be one. */
static int
check_array(const char *json, size_t len, char *err, size_t errlen)
{
	struct json_scan s;

	json_scan_init(&s, json, len);
	json_scan_skip_space(&s);
	if (json_scan_peek(&s) != '[')
		return errbuf_fail(EINVAL, err, errlen,
		    "event data is not an array");
	return 0;
}

int
shardmsg_broadcast(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_emit *e, const char *rid, size_t rid_len,
    char *err, size_t errlen)
{
	size_t start = out->len;
	struct jsonw w, d;

	if (e->natt > 0) {
		if (mpack_put_map(out, 4) == -1 ||
		    put_key(out, "type") == -1 ||
		    mpack_put_number(out, SHARDMSG_BROADCAST) == -1 ||
		    put_key(out, "data") == -1 ||
		    mpack_put_map(out, rid != NULL ? 3 : 2) == -1 ||
		    put_key(out, "packet") == -1) {
			fail_errno(err, errlen);
			goto fail;
		}
		if (clustermsg_put_packet(out, e, 0, err, errlen) == -1)
			goto fail;
		if ((rid != NULL &&
		        (put_key(out, "requestId") == -1 ||
		            mpack_put_str(out, rid, rid_len) == -1)) ||
		    put_key(out, "opts") == -1) {
			fail_errno(err, errlen);
			goto fail;
		}
		if (clustermsg_put_opts(out, &e->to, err, errlen) == -1)
			goto fail;
		if (mp_tail(out, from) == -1) {
			fail_errno(err, errlen);
			goto fail;
		}
		return 0;
	}
	if (check_array(e->json, e->json_len, err, errlen) == -1)
		return -1;
	head(&w, &d, out, SHARDMSG_BROADCAST);
	jsonw_key(&d, "packet");
	jsonw_raw(&d, "{\"type\":2,\"data\":");
	jsonw_rawn(&d, e->json, e->json_len);
	jsonw_raw(&d, "}");
	if (rid != NULL) {
		jsonw_key(&d, "requestId");
		jsonw_str(&d, rid, rid_len);
	}
	opts_json(&d, &e->to);
	if (tail(&w, &d, from) == -1)
		return fail_errno(err, errlen);
	return 0;
fail:
	cut(out, start);
	return -1;
}

int
shardmsg_sockets_join(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms, int join)
{
	struct jsonw w, d;

	head(&w, &d, out,
	    join ? SHARDMSG_SOCKETS_JOIN : SHARDMSG_SOCKETS_LEAVE);
	opts_json(&d, to);
	jsonw_key(&d, "rooms");
	jsonw_strings(&d, rooms, nrooms);
	return tail(&w, &d, from);
}

int
shardmsg_disconnect(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, int close)
{
	struct jsonw w, d;

	head(&w, &d, out, SHARDMSG_DISCONNECT_SOCKETS);
	opts_json(&d, to);
	jsonw_key(&d, "close");
	jsonw_raw(&d, close ? "true" : "false");
	return tail(&w, &d, from);
}

int
shardmsg_fetch(struct buf *out, const struct shardmsg_from *from,
    const struct clustermsg_target *to, const char *rid, size_t rid_len)
{
	struct jsonw w, d;

	head(&w, &d, out, SHARDMSG_FETCH_SOCKETS);
	opts_json(&d, to);
	jsonw_key(&d, "requestId");
	jsonw_str(&d, rid, rid_len);
	return tail(&w, &d, from);
}

int
shardmsg_server_emit(struct buf *out, const struct shardmsg_from *from,
    jv packet, const char *rid, size_t rid_len)
{
	struct jsonw w, d;

	if (jv_get_kind(packet) != JV_KIND_ARRAY) {
		errno = EINVAL;
		return -1;
	}
	head(&w, &d, out, SHARDMSG_SERVER_SIDE_EMIT);
	if (rid != NULL) {
		jsonw_key(&d, "requestId");
		jsonw_str(&d, rid, rid_len);
	}
	jsonw_key(&d, "packet");
	jsonw_jv(&d, packet);
	return tail(&w, &d, from);
}

int
shardmsg_res_fetch(struct buf *out, const struct shardmsg_from *from,
    const char *rid, size_t rid_len, const struct clustermsg_socket *s,
    size_t n)
{
	struct jsonw w;

	/* clustermsg's FETCH response is this one's data, member for member. */
	jsonw_begin(&w, out);
	jsonw_key(&w, "type");
	jsonw_num(&w, SHARDMSG_FETCH_SOCKETS_RESPONSE);
	jsonw_key(&w, "data");
	if (w.rc == 0)
		w.rc = clustermsg_res_fetch(out, rid, rid_len, s, n);
	jsonw_key(&w, "uid");
	jsonw_str(&w, from->uid, from->uid_len);
	jsonw_key(&w, "nsp");
	jsonw_str(&w, from->nsp, from->nsp_len);
	return jsonw_end(&w);
}

int
shardmsg_res_client_count(struct buf *out, const struct shardmsg_from *from,
    const char *rid, size_t rid_len, uint64_t count)
{
	struct jsonw w, d;

	head(&w, &d, out, SHARDMSG_BROADCAST_CLIENT_COUNT);
	jsonw_key(&d, "requestId");
	jsonw_str(&d, rid, rid_len);
	jsonw_key(&d, "clientCount");
	jsonw_num(&d, (double)count);
	return tail(&w, &d, from);
}

int
shardmsg_res_broadcast_ack(struct buf *out, const struct shardmsg_from *from,
    const char *rid, size_t rid_len, const char *json, size_t json_len,
    const struct iovec *att, unsigned natt, char *err, size_t errlen)
{
	size_t start = out->len;
	const unsigned char *first = NULL;
	size_t first_len = 0;
	struct json_scan s;
	struct jsonw w, d;

	/* The first element of the array, if there is one. */
	json_scan_init(&s, json, json_len);
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '['))
		return errbuf_fail(EINVAL, err, errlen,
		    "ack data is not an array");
	json_scan_skip_space(&s);
	if (json_scan_peek(&s) != ']') {
		first = s.p;
		if (json_scan_skip_value(&s, SIO_JSON_DEPTH_MAX) == -1)
			return errbuf_fail(EINVAL, err, errlen,
			    "ack data is not JSON");
		first_len = (size_t)(s.p - first);
	}
	if (natt > 0 && (att == NULL || first == NULL))
		return errbuf_fail(EINVAL, err, errlen, "attachments missing");
	if (natt > 0) {
		if (mpack_put_map(out, 4) == -1 ||
		    put_key(out, "type") == -1 ||
		    mpack_put_number(out, SHARDMSG_BROADCAST_ACK) == -1 ||
		    put_key(out, "data") == -1 ||
		    mpack_put_map(out, 2) == -1 ||
		    put_key(out, "requestId") == -1 ||
		    mpack_put_str(out, rid, rid_len) == -1 ||
		    put_key(out, "packet") == -1) {
			fail_errno(err, errlen);
			goto fail;
		}
		if (mpjson_from_json(out, (const char *)first, first_len, att,
		        natt, SIO_JSON_DEPTH_MAX, err, errlen) == -1)
			goto fail;
		if (mp_tail(out, from) == -1) {
			fail_errno(err, errlen);
			goto fail;
		}
		return 0;
	}
	head(&w, &d, out, SHARDMSG_BROADCAST_ACK);
	jsonw_key(&d, "requestId");
	jsonw_str(&d, rid, rid_len);
	if (first != NULL) {
		jsonw_key(&d, "packet");
		jsonw_rawn(&d, (const char *)first, first_len);
	}
	if (tail(&w, &d, from) == -1)
		return fail_errno(err, errlen);
	return 0;
fail:
	cut(out, start);
	return -1;
}
