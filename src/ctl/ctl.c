/* ctl.c - the control protocol, both halves (see ctl.h). */
#include "ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "jsonv.h"
#include "sio.h"

/*
 * Nesting a request may hold: its arguments, one level down, become an
 * event's arguments, which clients decode up to SIO_JSON_DEPTH_MAX.
 */
#define CTL_JSON_DEPTH_MAX (SIO_JSON_DEPTH_MAX + 1)

static const struct {
	const char *name;
	enum ctl_op op;
} ops[] = {
	{ "emit", CTL_EMIT },
	{ "sockets", CTL_SOCKETS },
	{ "rooms", CTL_ROOMS },
	{ "stats", CTL_STATS },
	{ "disconnect", CTL_DISCONNECT },
	{ "join", CTL_JOIN },
	{ "leave", CTL_LEAVE },
	{ "server_emit", CTL_SERVER_EMIT },
	{ "servers", CTL_SERVERS },
	{ "all_rooms", CTL_ALL_ROOMS },
};

/* Rooms a join or a leave names at most: as many as a socket may be in. */
#define CTL_ROOMS_MAX 1000

static void
request_init(struct ctl_request *req)
{
	req->op = CTL_STATS;
	req->id = jv_invalid();
	req->ns = jv_invalid();
	req->room = jv_invalid();
	req->socket = jv_invalid();
	req->except = jv_invalid();
	req->event = jv_invalid();
	req->args = jv_invalid();
	req->rooms = jv_invalid();
	req->local = 0;
}

void
ctl_request_release(struct ctl_request *req)
{
	jv_free(req->id);
	jv_free(req->ns);
	jv_free(req->room);
	jv_free(req->socket);
	jv_free(req->except);
	jv_free(req->event);
	jv_free(req->args);
	jv_free(req->rooms);
	request_init(req);
}

/*
 * Takes field 'key' of 'obj' (borrowed) when it is a non-empty string;
 * absent gives jv_invalid().  Returns -1 when present with another kind.
 */
static int
take_string(jv obj, const char *key, jv *out, char *err, size_t errlen)
{
	jv v = jv_object_get(jv_copy(obj), jv_string(key));

	if (!jv_is_valid(v)) {
		jv_free(v);
		*out = jv_invalid();
		return 0;
	}
	if (jv_get_kind(v) != JV_KIND_STRING ||
	    jv_string_length_bytes(jv_copy(v)) == 0) {
		jv_free(v);
		snprintf(err, errlen, "\"%s\" must be a non-empty string",
		    key);
		return -1;
	}
	*out = v;
	return 0;
}

/* An event's name and arguments: "event", and "data" or "args". */
static int
parse_event(jv obj, struct ctl_request *req, const char *op, char *err,
    size_t errlen)
{
	jv data, args;
	const char *ev;

	if (take_string(obj, "event", &req->event, err, errlen) == -1)
		return -1;
	if (!jv_is_valid(req->event)) {
		snprintf(err, errlen, "%s needs \"event\"", op);
		return -1;
	}
	ev = jv_string_value(req->event);
	if (sio_event_reserved(ev,
	        (size_t)jv_string_length_bytes(jv_copy(req->event)))) {
		snprintf(err, errlen, "event \"%s\" is reserved", ev);
		return -1;
	}
	data = jv_object_get(jv_copy(obj), jv_string("data"));
	args = jv_object_get(jv_copy(obj), jv_string("args"));
	if (jv_is_valid(data) && jv_is_valid(args)) {
		jv_free(data);
		jv_free(args);
		snprintf(err, errlen,
		    "\"data\" and \"args\" exclude each other");
		return -1;
	}
	if (jv_is_valid(args)) {
		jv_free(data);
		if (jv_get_kind(args) != JV_KIND_ARRAY) {
			jv_free(args);
			snprintf(err, errlen, "\"args\" must be an array");
			return -1;
		}
		req->args = args;
	} else if (jv_is_valid(data)) {
		jv_free(args);
		req->args = jv_array_append(jv_array(), data);
	} else {
		jv_free(data);
		jv_free(args);
		req->args = jv_array();
	}
	return 0;
}

/* Whom a request is for: "room" or "socket" (exactly one when 'one'),
 * and "except". */
static int
parse_target(jv obj, struct ctl_request *req, const char *op, int one,
    char *err, size_t errlen)
{
	if (take_string(obj, "room", &req->room, err, errlen) == -1 ||
	    take_string(obj, "socket", &req->socket, err, errlen) == -1 ||
	    take_string(obj, "except", &req->except, err, errlen) == -1)
		return -1;
	if (!one && jv_is_valid(req->room) && jv_is_valid(req->socket)) {
		snprintf(err, errlen,
		    "%s takes one of \"room\" and \"socket\", not both", op);
		return -1;
	}
	if (one && jv_is_valid(req->room) == jv_is_valid(req->socket)) {
		snprintf(err, errlen,
		    "%s needs exactly one of \"room\" and \"socket\"", op);
		return -1;
	}
	return 0;
}

/* "rooms": the rooms a join or a leave names, non-empty strings. */
static int
parse_rooms(jv obj, struct ctl_request *req, const char *op, char *err,
    size_t errlen)
{
	jv rooms = jv_object_get(jv_copy(obj), jv_string("rooms"));
	int i, n;

	if (jv_get_kind(rooms) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(rooms))) == 0 || n > CTL_ROOMS_MAX) {
		jv_free(rooms);
		snprintf(err, errlen,
		    "%s needs \"rooms\", an array of 1 to %d room names", op,
		    CTL_ROOMS_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(rooms), i);
		int ok = jv_get_kind(v) == JV_KIND_STRING &&
		    jv_string_length_bytes(jv_copy(v)) > 0;

		jv_free(v);
		if (!ok) {
			jv_free(rooms);
			snprintf(err, errlen,
			    "\"rooms\" must hold non-empty strings only");
			return -1;
		}
	}
	req->rooms = rooms;
	return 0;
}

/* "local", a boolean when present. */
static int
parse_local(jv obj, struct ctl_request *req, char *err, size_t errlen)
{
	jv v = jv_object_get(jv_copy(obj), jv_string("local"));
	jv_kind k = jv_get_kind(v);

	jv_free(v);
	if (k == JV_KIND_INVALID)
		return 0;
	if (k != JV_KIND_TRUE && k != JV_KIND_FALSE) {
		snprintf(err, errlen, "\"local\" must be true or false");
		return -1;
	}
	req->local = k == JV_KIND_TRUE;
	return 0;
}

int
ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
    jv *id_out, char *err, size_t errlen)
{
	jv obj, op;
	size_t i;
	int rc = -1;

	request_init(req);
	*id_out = jv_invalid();
	if (jsonv_parse(line, len, CTL_JSON_DEPTH_MAX, JSONV_FINITE, &obj) ==
	    -1) {
		snprintf(err, errlen, "invalid JSON: %s",
		    jsonv_problem(errno, line, len));
		return -1;
	}
	if (jv_get_kind(obj) != JV_KIND_OBJECT) {
		snprintf(err, errlen, "a request must be a JSON object");
		goto out;
	}
	*id_out = jv_object_get(jv_copy(obj), jv_string("id"));
	if (!jv_is_valid(*id_out)) {
		jv_free(*id_out);
		*id_out = jv_invalid();
	}
	op = jv_object_get(jv_copy(obj), jv_string("op"));
	if (jv_get_kind(op) != JV_KIND_STRING) {
		jv_free(op);
		snprintf(err, errlen, "a request needs \"op\", a string");
		goto out;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if ((size_t)jv_string_length_bytes(jv_copy(op)) ==
		        strlen(ops[i].name) &&
		    strcmp(jv_string_value(op), ops[i].name) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		snprintf(err, errlen, "unknown op \"%.64s\"",
		    jv_string_value(op));
		jv_free(op);
		goto out;
	}
	jv_free(op);
	req->op = ops[i].op;
	if (take_string(obj, "ns", &req->ns, err, errlen) == -1)
		goto out;
	if (!jv_is_valid(req->ns)) {
		jv_free(req->ns);
		req->ns = jv_string("/");
	} else if (jv_string_value(req->ns)[0] != '/' ||
	    jv_string_length_bytes(jv_copy(req->ns)) > SIO_NSP_MAX) {
		snprintf(err, errlen,
		    "\"ns\" must start with '/' and be at "
		    "most %d bytes",
		    SIO_NSP_MAX);
		goto out;
	}
	if (parse_local(obj, req, err, errlen) == -1)
		goto out;
	switch (req->op) {
	case CTL_EMIT:
		if (parse_target(obj, req, "emit", 1, err, errlen) == -1 ||
		    parse_event(obj, req, "emit", err, errlen) == -1)
			goto out;
		break;
	case CTL_SOCKETS:
		if (take_string(obj, "room", &req->room, err, errlen) == -1)
			goto out;
		break;
	case CTL_DISCONNECT:
		if (parse_target(obj, req, "disconnect", 1, err, errlen) == -1)
			goto out;
		break;
	case CTL_JOIN:
	case CTL_LEAVE: {
		const char *name = req->op == CTL_JOIN ? "join" : "leave";

		if (parse_target(obj, req, name, 0, err, errlen) == -1 ||
		    parse_rooms(obj, req, name, err, errlen) == -1)
			goto out;
		break;
	}
	case CTL_SERVER_EMIT:
		if (parse_event(obj, req, "server_emit", err, errlen) == -1)
			goto out;
		break;
	case CTL_ROOMS:
	case CTL_STATS:
	case CTL_SERVERS:
	case CTL_ALL_ROOMS:
		break;
	}
	req->id = jv_copy(*id_out);
	rc = 0;
out:
	jv_free(obj);
	if (rc == -1) {
		jv id = *id_out;

		ctl_request_release(req);
		*id_out = id;
	} else {
		jv_free(*id_out);
		*id_out = jv_invalid();
	}
	return rc;
}

static jv
reply_line(jv obj)
{
	jv line = jv_dump_string(obj, 0);

	return jv_string_append_buf(line, "\n", 1);
}

jv
ctl_reply_ok(jv body, jv id)
{
	jv obj = jv_object_set(jv_object(), jv_string("ok"), jv_true());

	if (jv_is_valid(id))
		obj = jv_object_set(obj, jv_string("id"), id);
	else
		jv_free(id);
	return reply_line(jv_object_merge(obj, body));
}

jv
ctl_reply_error(const char *msg, jv id)
{
	jv obj = jv_object_set(jv_object(), jv_string("ok"), jv_false());

	if (jv_is_valid(id))
		obj = jv_object_set(obj, jv_string("id"), id);
	else
		jv_free(id);
	obj = jv_object_set(obj, jv_string("error"), jv_string(msg));
	return reply_line(obj);
}

/* Appends "key":value to JSON text 'req', the value a string quoted. */
static jv
append_member(jv req, const char *key, const char *value)
{
	req = jv_string_append_str(req, ",\"");
	req = jv_string_append_str(req, key);
	req = jv_string_append_str(req, "\":");
	return jv_string_concat(req, jv_dump_string(jv_string(value), 0));
}

jv
ctl_req_emit(const char *ns, const char *room, const char *socket,
    const char *event, const char *data, size_t len)
{
	jv req = jv_string("{\"op\":\"emit\"");

	if (ns != NULL)
		req = append_member(req, "ns", ns);
	if (room != NULL)
		req = append_member(req, "room", room);
	else
		req = append_member(req, "socket", socket);
	req = append_member(req, "event", event);
	if (data != NULL) {
		req = jv_string_append_str(req, ",\"data\":");
		req = jv_string_append_buf(req, data, (int)len);
	}
	return jv_string_append_str(req, "}");
}

/* A request object for 'op', with "ns" when given. */
static jv
request(const char *op, const char *ns)
{
	jv req = jv_object_set(jv_object(), jv_string("op"), jv_string(op));

	if (ns != NULL)
		req = jv_object_set(req, jv_string("ns"), jv_string(ns));
	return req;
}

jv
ctl_req_stats(void)
{
	return request("stats", NULL);
}

jv
ctl_req_rooms(const char *ns)
{
	return request("rooms", ns);
}

jv
ctl_req_sockets(const char *ns, const char *room)
{
	jv req = request("sockets", ns);

	if (room != NULL)
		req = jv_object_set(req, jv_string("room"), jv_string(room));
	return req;
}

jv
ctl_req_disconnect(const char *ns, const char *socket)
{
	return jv_object_set(request("disconnect", ns), jv_string("socket"),
	    jv_string(socket));
}

int
ctl_reply_parse(const char *line, size_t len, struct ctl_reply *r)
{
	jv v, ok, e;

	r->status = CTL_ERR_PROTOCOL;
	r->body = jv_invalid();
	r->error[0] = '\0';
	if (jsonv_parse(line, len, CTL_JSON_DEPTH_MAX, 0, &v) == -1) {
		snprintf(r->error, sizeof(r->error),
		    "bad reply from the hub: %s",
		    jsonv_problem(errno, line, len));
		return -1;
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		snprintf(r->error, sizeof(r->error),
		    "bad reply from the hub: "
		    "not an object");
		return -1;
	}
	ok = jv_object_get(jv_copy(v), jv_string("ok"));
	if (jv_get_kind(ok) == JV_KIND_TRUE) {
		jv_free(ok);
		r->status = CTL_OK;
		r->body = v;
		return 0;
	}
	if (jv_get_kind(ok) != JV_KIND_FALSE) {
		jv_free(ok);
		jv_free(v);
		snprintf(r->error, sizeof(r->error),
		    "bad reply from the hub: "
		    "no boolean \"ok\"");
		return -1;
	}
	jv_free(ok);
	e = jv_object_get(jv_copy(v), jv_string("error"));
	/* An empty or NUL-led reason would read as no error at all. */
	snprintf(r->error, sizeof(r->error), "%s",
	    jv_get_kind(e) == JV_KIND_STRING && jv_string_value(e)[0] != '\0' ?
	        jv_string_value(e) :
	        "no reason given");
	jv_free(e);
	r->status = CTL_ERR_REFUSED;
	r->body = v;
	return -1;
}

void
ctl_reply_release(struct ctl_reply *r)
{
	jv_free(r->body);
	r->body = jv_invalid();
}

int
ctl_default_path(const char *env_socket, const char *xdg_runtime, char *buf,
    size_t len)
{
	struct sockaddr_un sun;
	int n;

	if (env_socket != NULL && *env_socket != '\0')
		n = snprintf(buf, len, "%s", env_socket);
	else if (xdg_runtime != NULL && *xdg_runtime != '\0')
		n = snprintf(buf, len, "%s/georoom/control.sock", xdg_runtime);
	else
		n = snprintf(buf, len, "/run/georoom/control.sock");
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
