/* contract.c - join_room, leave_room, chat, broadcast, private. */
#include "contract.h"

#include "authz.h"
#include "json.h"
#include "jsnum.h"
#include "jwt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
contract_room_name(jv v, char *buf, size_t len)
{
	int n;

	switch (jv_get_kind(v)) {
	case JV_KIND_STRING: {
		size_t sl = (size_t)jv_string_length_bytes(jv_copy(v));

		if (sl == 0 || sl >= len || sl > ROOM_NAME_MAX)
			return -1;
		memcpy(buf, jv_string_value(v), sl);
		buf[sl] = '\0';
		return (int)sl;
	}
	case JV_KIND_NUMBER:
		if (!isfinite(jv_number_value(v)))
			return -1;
		n = jsnum_format(jv_number_value(v), buf, len);
		return n > 0 && (size_t)n < len ? n : -1;
	default:
		return -1;
	}
}

/*
 * Finds, in an event's JSON text as the sender wrote it, the text after the
 * event name (*rest, from the ',' or ']' on) and the first argument
 * (*arg; empty when there is none).  The codec has checked the syntax.
 */
static void
split_event(const struct sio_packet *pkt, const char **rest, size_t *restlen,
    const char **arg, size_t *arglen)
{
	struct json_scan sc;
	const char *start;

	json_scan_init(&sc, pkt->json, pkt->json_len);
	json_scan_skip_space(&sc);
	json_scan_take(&sc, '[');
	json_scan_skip_space(&sc);
	json_scan_read_string(&sc, NULL, NULL);
	*rest = (const char *)sc.p;
	*restlen = (size_t)(pkt->json + pkt->json_len - *rest);
	*arg = NULL;
	*arglen = 0;
	json_scan_skip_space(&sc);
	if (!json_scan_take(&sc, ','))
		return;
	json_scan_skip_space(&sc);
	start = (const char *)sc.p;
	if (json_scan_skip_value(&sc, SIO_JSON_DEPTH_MAX) == 0) {
		*arg = start;
		*arglen = (size_t)((const char *)sc.p - start);
	}
}

/* Answers the packet's ack, if it asked for one, with 'args' (consumed). */
static void
ack(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    jv args, const struct iovec *att, unsigned natt)
{
	struct sio_header h = {
		.type = natt ? SIO_BINARY_ACK : SIO_ACK,
		.ack_id = pkt->h.ack_id,
		.attachments = natt,
	};
	struct frame *f;
	jv text;

	h.nsp = hub_namespace_name(hub_socket_namespace(s), &h.nsp_len);
	if (pkt->h.ack_id == SIO_NO_ACK) {
		jv_free(args);
		return;
	}
	text = jv_dump_string(args, 0);
	f = hub_frame(&h, jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)), att, natt);
	jv_free(text);
	if (f != NULL)
		hub_send(hub, s, f);
	frame_unref(f);
}

/* Answers the ack with one argument given as JSON text (borrowed). */
static void
ack_text(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    const char *json, size_t len, const struct iovec *att, unsigned natt)
{
	struct sio_header h = {
		.type = natt ? SIO_BINARY_ACK : SIO_ACK,
		.ack_id = pkt->h.ack_id,
		.attachments = natt,
	};
	struct frame *f;
	char *text;

	h.nsp = hub_namespace_name(hub_socket_namespace(s), &h.nsp_len);
	if (pkt->h.ack_id == SIO_NO_ACK)
		return;
	text = malloc(len + 2);
	if (text == NULL)
		return;
	text[0] = '[';
	if (len > 0)
		memcpy(text + 1, json, len);
	text[len + 1] = ']';
	f = hub_frame(&h, text, len + 2, att, natt);
	free(text);
	if (f != NULL)
		hub_send(hub, s, f);
	frame_unref(f);
}

/* Answers the ack with {"error": msg} ('msg' a string, consumed). */
static void
ack_error_jv(struct hub *hub, struct room_sock *s,
    const struct sio_packet *pkt, jv msg)
{
	jv err = jv_object_set(jv_object(), jv_string("error"), msg);

	ack(hub, s, pkt, jv_array_append(jv_array(), err), NULL, 0);
}

static void
ack_error(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    const char *msg)
{
	ack_error_jv(hub, s, pkt, jv_string(msg));
}

/*
 * What the contract keeps of a socket, attached to it (hub_socket_data())
 * with the first userId: most sockets never send one, and cost nothing.
 * With tokens, every socket has one from its connect, holding its claims.
 */
struct contract_sock {
	/* owned: the userIds seen: one (a number or a string) as it is,
	 * several as an array.  One is the common case: an array of one
	 * would cost a second allocation a socket. */
	jv user_ids;
	struct authz *az; /* owned; NULL: no token (tokens not asked) */
};

/* The claims of the socket's token, or NULL when tokens are not asked. */
static const struct authz *
sock_authz(const struct room_sock *s)
{
	const struct contract_sock *rec = hub_socket_data(s);

	return rec != NULL ? rec->az : NULL;
}

/* The socket's userIds as an array (a new reference). */
static jv
user_ids_array(const struct contract_sock *rec)
{
	if (jv_get_kind(rec->user_ids) == JV_KIND_ARRAY)
		return jv_copy(rec->user_ids);
	return jv_array_append(jv_array_sized(1), jv_copy(rec->user_ids));
}

/* Remembers 'user' (consumed), a userId from join_room, for listings. */
static void
remember_user(struct room_sock *s, jv user)
{
	struct contract_sock *rec = hub_socket_data(s);
	jv all;
	int i, n;

	if (jv_get_kind(user) != JV_KIND_NUMBER &&
	    jv_get_kind(user) != JV_KIND_STRING) {
		jv_free(user);
		return;
	}
	if (rec == NULL) {
		/* Out of memory: the join stands, the id goes unlisted. */
		if ((rec = malloc(sizeof(*rec))) == NULL) {
			jv_free(user);
			return;
		}
		rec->user_ids = user;
		rec->az = NULL;
		hub_socket_set_data(s, rec);
		return;
	}
	all = user_ids_array(rec);
	n = jv_array_length(jv_copy(all));
	for (i = 0; i < n; i++) {
		if (jv_equal(jv_array_get(jv_copy(all), i), jv_copy(user))) {
			jv_free(all);
			jv_free(user);
			return;
		}
	}
	if (n >= CONTRACT_USER_IDS_MAX) {
		jv_free(all);
		jv_free(user);
		return;
	}
	jv_free(rec->user_ids);
	rec->user_ids = jv_array_append(all, user);
}

static void
contract_disconnect(struct hub *hub, struct room_sock *s, const char *reason)
{
	struct contract_sock *rec = hub_socket_data(s);

	(void)hub;
	(void)reason;
	if (rec == NULL)
		return;
	jv_free(rec->user_ids);
	if (rec->az != NULL) {
		authz_release(rec->az);
		free(rec->az);
	}
	free(rec);
	hub_socket_set_data(s, NULL);
}

/*
 * Connection state recovery: a socket's userIds come back with its
 * session, as socket.io's socket.data does.  With a token they come from
 * the token the client shows again, and so do the rooms it may be in.
 */
static jv
contract_keep(struct hub *hub, const struct room_sock *s)
{
	const struct contract_sock *rec = hub_socket_data(s);

	(void)hub;
	if (rec == NULL || rec->az != NULL)
		return jv_null();
	return user_ids_array(rec);
}

static void
contract_restore(struct hub *hub, struct room_sock *s, jv kept)
{
	int i, n;

	(void)hub;
	if (jv_get_kind(kept) != JV_KIND_ARRAY || sock_authz(s) != NULL) {
		jv_free(kept);
		return;
	}
	n = jv_array_length(jv_copy(kept));
	for (i = 0; i < n; i++)
		remember_user(s, jv_array_get(jv_copy(kept), i));
	jv_free(kept);
}

static int
contract_may_rejoin(struct hub *hub, const struct room_sock *s,
    const char *room, size_t len)
{
	const struct authz *az = sock_authz(s);

	(void)hub;
	return az == NULL || authz_may_join(az, room, len);
}

/* The control server lists a socket's userIds. */
static jv
contract_describe(struct hub *hub, const struct room_sock *s)
{
	const struct contract_sock *rec = hub_socket_data(s);

	(void)hub;
	if (rec == NULL)
		return jv_invalid();
	return jv_object_set(jv_object(), jv_string("userIds"),
	    user_ids_array(rec));
}

/* join_room and leave_room: {"locationId": n|s, "userId": n}. */
static void
on_membership(struct hub *hub, struct room_sock *s,
    const struct sio_packet *pkt, jv arg, int join)
{
	const struct authz *az = sock_authz(s);
	char room[ROOM_NAME_MAX + 1];
	jv id = jv_get_kind(arg) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(arg), jv_string("locationId")) :
	    jv_invalid();
	int n = contract_room_name(id, room, sizeof(room));

	jv_free(id);
	if (n < 0) {
		ack_error(hub, s, pkt,
		    join ?
		        "join_room needs {\"locationId\": a number or a string}" :
		        "leave_room needs {\"locationId\": a number or a string}");
		return;
	}
	if (join && az != NULL && !authz_may_join(az, room, (size_t)n)) {
		ack_error(hub, s, pkt,
		    "cannot join: the token's rooms do not include this room");
		return;
	}
	if (join) {
		if (hub_join(hub, s, room, (size_t)n) == -1) {
			ack_error_jv(hub, s, pkt,
			    errno == EDQUOT ?
			        jv_string_fmt("cannot join: the socket is in "
			                      "%zu rooms, the most allowed",
			            hub_socket_room_count(s)) :
			        jv_string("cannot join: out of memory"));
			return;
		}
		/* With a token, the socket's one userId is its "sub". */
		if (az == NULL)
			remember_user(s,
			    jv_object_get(jv_copy(arg), jv_string("userId")));
	} else {
		hub_leave(hub, s, room, (size_t)n);
	}
	/* The name is bytes with a length: a NUL in it is part of it. */
	ack(hub, s, pkt, jv_array_append(jv_array(), jv_string_sized(room, n)),
	    NULL, 0);
	/* After the ack, before anything newer: the room's last positions
	 * (--retain). */
	if (join)
		hub_send_retained(hub, s, room, (size_t)n);
}

/*
 * The chat event a socket with a token sends: ["chat", its first argument
 * with "userId" the token's "sub", the other arguments as written].  The
 * new argument goes to *user and *first, for the ack; the packet to
 * *text.  Returns 0, or -1 when out of memory.
 */
static int
with_user(const struct authz *az, const struct sio_packet *pkt,
    const char **first, size_t *firstlen, char **user, char **text,
    size_t *textlen)
{
	static const char head[] = "[\"chat\",";
	const char *tail = *first + *firstlen;
	size_t taillen = (size_t)(pkt->json + pkt->json_len - tail), n;

	if ((*user = authz_with_user(az, *first, *firstlen, &n)) == NULL)
		return -1;
	if ((*text = malloc(sizeof(head) - 1 + n + taillen)) == NULL)
		return -1;
	memcpy(*text, head, sizeof(head) - 1);
	memcpy(*text + sizeof(head) - 1, *user, n);
	memcpy(*text + sizeof(head) - 1 + n, tail, taillen);
	*textlen = sizeof(head) - 1 + n + taillen;
	*first = *user;
	*firstlen = n;
	return 0;
}

/*
 * chat and broadcast: {"userId", "message", "roomName"} goes out as event
 * "chat" to the room, the sender included (chat) or not (broadcast).  The
 * sender's JSON text is relayed as written, and acked as written: only the
 * event name of a broadcast is replaced, once, not per member.
 */
static void
on_chat(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    jv arg, const struct iovec *att, unsigned natt, int broadcast)
{
	static const char chat_head[] = "[\"chat\"";
	jv room = jv_get_kind(arg) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(arg), jv_string("roomName")) :
	    jv_invalid();
	struct room_name to, sender = { hub_socket_id(s), ROOM_SOCK_ID_LEN };
	struct hub_bcast b = {
		.nsp = hub_socket_namespace(s),
		.rooms = &to,
		.nrooms = 1,
		.type = natt ? SIO_BINARY_EVENT : SIO_EVENT,
		.att = att,
		.natt = natt,
	};
	const struct authz *az = sock_authz(s);
	const char *rest, *first;
	size_t restlen, firstlen;
	char *text = NULL, *user = NULL;

	if (jv_get_kind(room) != JV_KIND_STRING ||
	    jv_string_length_bytes(jv_copy(room)) == 0) {
		jv_free(room);
		ack_error(hub, s, pkt,
		    broadcast ? "broadcast needs {\"roomName\": a string}" :
		                "chat needs {\"roomName\": a string}");
		return;
	}
	to.s = jv_string_value(room);
	to.len = (size_t)jv_string_length_bytes(jv_copy(room));
	split_event(pkt, &rest, &restlen, &first, &firstlen);
	if (az != NULL) {
		if (!authz_may_publish(az, to.s, to.len,
		        hub_socket_in_room(hub, s, to.s, to.len))) {
			jv_free(room);
			ack_error(hub, s, pkt,
			    az->publish.present ?
			        "cannot send: the token's publish rooms do not "
			        "include this room" :
			        "cannot send to a room the socket has not joined");
			return;
		}
		if (with_user(az, pkt, &first, &firstlen, &user, &text,
		        &b.json_len) == -1)
			goto nomem;
		b.json = text;
		if (broadcast) {
			b.except = &sender;
			b.nexcept = 1;
		}
	} else if (broadcast) {
		/* socket.to(room).emit("chat", ...): all but the sender. */
		if ((text = malloc(sizeof(chat_head) - 1 + restlen)) == NULL)
			goto nomem;
		memcpy(text, chat_head, sizeof(chat_head) - 1);
		memcpy(text + sizeof(chat_head) - 1, rest, restlen);
		b.json = text;
		b.json_len = sizeof(chat_head) - 1 + restlen;
		b.except = &sender;
		b.nexcept = 1;
	} else {
		b.json = pkt->json;
		b.json_len = pkt->json_len;
	}
	if (hub_broadcast(hub, &b) == -1)
		goto nomem;
	free(text);
	jv_free(room);
	ack_text(hub, s, pkt, first, firstlen, att, natt);
	free(user);
	return;
nomem:
	free(text);
	free(user);
	jv_free(room);
	ack_error(hub, s, pkt, "out of memory");
}

struct share {
	const struct hub *hub;
	const struct room_sock *other;
};

static int
in_other(const char *name, size_t len, void *arg)
{
	const struct share *sh = arg;

	return hub_socket_in_room(sh->hub, sh->other, name, len);
}

/* Whether 'a' and 'b' are both in some room. */
static int
share_room(const struct hub *hub, const struct room_sock *a,
    const struct room_sock *b)
{
	struct share sh = { hub, b };

	/* Through the one in fewer rooms. */
	if (hub_socket_room_count(b) < hub_socket_room_count(a)) {
		sh.other = a;
		a = b;
	}
	return hub_socket_each_room(a, in_other, &sh) != 0;
}

/*
 * private: {"to": socket id, ...} goes to that one socket of the same
 * namespace as event "private", with "from" set to the sender's id.
 */
static void
on_private(struct hub *hub, struct room_sock *s, const struct sio_packet *pkt,
    jv arg, const struct iovec *att, unsigned natt)
{
	const struct authz *az = sock_authz(s);
	jv to = jv_get_kind(arg) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(arg), jv_string("to")) :
	    jv_invalid();
	struct room_sock *target = NULL;
	struct room_name to_id;
	struct hub_bcast b = {
		.nsp = hub_socket_namespace(s),
		.rooms = &to_id,
		.nrooms = 1,
		.type = natt ? SIO_BINARY_EVENT : SIO_EVENT,
		.att = att,
		.natt = natt,
	};
	jv payload, text;

	if (jv_get_kind(to) == JV_KIND_STRING)
		target = hub_socket_find(hub, jv_string_value(to),
		    (size_t)jv_string_length_bytes(jv_copy(to)));
	jv_free(to);
	if (target == NULL ||
	    hub_socket_namespace(target) != hub_socket_namespace(s)) {
		ack_error(hub, s, pkt,
		    "private needs {\"to\": the id of a "
		    "socket in this namespace}");
		return;
	}
	if (az != NULL && !share_room(hub, s, target)) {
		ack_error(hub, s, pkt,
		    "private reaches only a socket that shares a room with "
		    "the sender");
		return;
	}
	payload = jv_object_set(jv_copy(arg), jv_string("from"),
	    jv_string(hub_socket_id(s)));
	if (az != NULL)
		payload = jv_object_set(payload, jv_string("userId"),
		    jv_copy(az->sub));
	text = jv_dump_string(jv_array_set(jv_array_set(jv_copy(pkt->data), 0,
	                                       jv_string("private")),
	                          1, jv_copy(payload)),
	    0);
	/* To the room of the target's id, as socket.io's io.to(id): with
	 * recovery on, the event is buffered and gets its offset too. */
	to_id.s = hub_socket_id(target);
	to_id.len = ROOM_SOCK_ID_LEN;
	b.json = jv_string_value(text);
	b.json_len = (size_t)jv_string_length_bytes(jv_copy(text));
	(void)hub_deliver(hub, &b);
	jv_free(text);
	ack(hub, s, pkt, jv_array_append(jv_array(), payload), att, natt);
}

/* Whether the event name 'ev' ('len' bytes) is 'want', all of it. */
static int
event_is(const char *ev, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(ev, want, len) == 0;
}

/* "unknown event \"<name>\"", the name cut to 64 bytes (borrowed). */
static jv
unknown_event(const char *ev, size_t len)
{
	jv msg = jv_string("unknown event \"");

	if (len > 64) {
		len = 64;
		/* Not inside a UTF-8 sequence. */
		while (len > 0 && ((unsigned char)ev[len] & 0xc0) == 0x80)
			len--;
	}
	msg = jv_string_append_buf(msg, ev, (int)len);
	return jv_string_append_str(msg, "\"");
}

static void
contract_event(struct hub *hub, struct room_sock *s,
    const struct sio_packet *pkt, const struct iovec *att, unsigned natt)
{
	jv name = jv_array_get(jv_copy(pkt->data), 0);
	jv arg = jv_array_get(jv_copy(pkt->data), 1);
	const char *ev;
	size_t len;

	if (jv_get_kind(name) != JV_KIND_STRING) {
		ack_error(hub, s, pkt, "event names must be strings");
		goto out;
	}
	if (!jv_is_valid(arg)) {
		jv_free(arg);
		arg = jv_null();
	}
	/* Compared with their length: "join_room\u0000x" is not join_room. */
	ev = jv_string_value(name);
	len = (size_t)jv_string_length_bytes(jv_copy(name));
	if (event_is(ev, len, "join_room"))
		on_membership(hub, s, pkt, arg, 1);
	else if (event_is(ev, len, "leave_room"))
		on_membership(hub, s, pkt, arg, 0);
	else if (event_is(ev, len, "chat"))
		on_chat(hub, s, pkt, arg, att, natt, 0);
	else if (event_is(ev, len, "broadcast"))
		on_chat(hub, s, pkt, arg, att, natt, 1);
	else if (event_is(ev, len, "private"))
		on_private(hub, s, pkt, arg, att, natt);
	else
		ack_error_jv(hub, s, pkt, unknown_event(ev, len));
out:
	jv_free(name);
	jv_free(arg);
}

/* A CONNECT_ERROR payload: {"message", "data": {"code"}}, as socket.io
 * sends for an Error with data from a middleware. */
static jv
refusal(jv message, const char *code)
{
	return jv_object_set(jv_object_set(jv_object(), jv_string("message"),
	                         message),
	    jv_string("data"),
	    jv_object_set(jv_object(), jv_string("code"), jv_string(code)));
}

/*
 * A socket connects with a token: "token" of the CONNECT payload, else
 * the handshake's bearer token.  Its claims stay with the socket; without
 * a valid token it does not connect.
 */
static int
contract_admit(struct hub *hub, struct room_sock *s, jv auth,
    const char *bearer, jv *why)
{
	const struct jwt_key *key = hub->app.arg;
	struct contract_sock *rec;
	enum jwt_status st;
	char err[128];
	jv tok = jv_get_kind(auth) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(auth), jv_string("token")) :
	    jv_invalid();
	jv claims = jv_invalid();

	if (jv_get_kind(tok) == JV_KIND_STRING)
		st = jwt_verify(key, jv_string_value(tok),
		    (size_t)jv_string_length_bytes(jv_copy(tok)), time(NULL),
		    &claims);
	else if (jv_is_valid(tok) && jv_get_kind(tok) != JV_KIND_NULL)
		st = JWT_MALFORMED;
	else
		st = jwt_verify(key, bearer, bearer ? strlen(bearer) : 0,
		    time(NULL), &claims);
	jv_free(tok);
	if (st != JWT_OK) {
		*why = refusal(jv_string(jwt_status_message(st)),
		    jwt_status_code(st));
		return -1;
	}
	if ((rec = malloc(sizeof(*rec))) == NULL ||
	    (rec->az = malloc(sizeof(*rec->az))) == NULL) {
		free(rec);
		jv_free(claims);
		*why = refusal(jv_string("out of memory"), "failed");
		return -1;
	}
	if (authz_init(rec->az, claims, err, sizeof(err)) == -1) {
		free(rec->az);
		free(rec);
		jv_free(claims);
		*why = refusal(errno == ENOMEM ?
		        jv_string("out of memory") :
		        jv_string_fmt("token claims invalid: %s", err),
		    "bad_claims");
		return -1;
	}
	jv_free(claims);
	rec->user_ids = jv_copy(rec->az->sub);
	hub_socket_set_data(s, rec);
	return 0;
}

void
contract_require_tokens(struct hub_app *app, struct jwt_key *key)
{
	app->admit = contract_admit;
	app->arg = key;
}

void
contract_app(struct hub_app *app)
{
	memset(app, 0, sizeof(*app));
	app->on_event = contract_event;
	app->on_disconnect = contract_disconnect;
	app->describe = contract_describe;
	app->keep = contract_keep;
	app->restore = contract_restore;
	app->may_rejoin = contract_may_rejoin;
}
