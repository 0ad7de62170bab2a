/*
 * ctl.h - the control protocol between georoomd and local producers
 * (geoput, georoom-cli, shell scripts through socat).  The one definition of
 * what they exchange, both halves: the hub's request parsing and reply
 * building, a producer's request building and reply parsing, and the
 * default socket path.  Pure: no I/O.
 *
 * The protocol is newline-delimited JSON over a Unix-domain stream socket:
 * each request is one JSON object on one line, and the hub answers each with
 * exactly one JSON object on one line, in order, so requests may be
 * pipelined.  A request may carry "id" (any JSON), echoed in its reply.
 *
 *   {"op":"emit","ns":"/","room":"1","event":"chat","data":{...}}
 *   {"op":"emit","room":"1","event":"e","args":[1,2],"except":"SID"}
 *   {"op":"emit","socket":"SID","event":"e","data":"private"}
 *       -> {"ok":true,"reached":N}
 *   {"op":"sockets","ns":"/","room":"1"}   (no "room": all of the namespace)
 *       -> {"ok":true,"sockets":[{"id":"SID","userIds":[7],"rooms":["1"]}]}
 *   {"op":"rooms","ns":"/"}
 *       -> {"ok":true,"rooms":[{"name":"1","members":2}]}
 *   {"op":"stats"}
 *       -> {"ok":true,"connections":N,"rooms":N,"messages_in":N,
 *           "messages_out":N,"bytes_in":N,"bytes_out":N,"dropped_slow":N,...}
 *   {"op":"disconnect","socket":"SID"}     (or "room": every socket in it)
 *       -> {"ok":true,"disconnected":N}
 *   {"op":"join","room":"1","rooms":["2","3"]}   (or "socket", or neither:
 *   {"op":"leave","socket":"SID","rooms":["2"]}   every socket; "except")
 *       -> {"ok":true,"sockets":N}
 *   {"op":"server_emit","event":"e","args":[1]}   (to the other nodes)
 *       -> {"ok":true}
 *   {"op":"servers"}
 *       -> {"ok":true,"servers":N}
 *   {"op":"all_rooms"}
 *       -> {"ok":true,"rooms":["1","SID",...],"servers":N,"answered":N}
 *   anything wrong
 *       -> {"ok":false,"error":"what was wrong"}
 *
 * "ns" defaults to "/".  "data" is the event's one argument; "args" gives
 * several (an array) and excludes "data"; neither means no argument.  An
 * emit names exactly one of "room" and "socket".
 *
 * On a hub that is a node of a cluster, every request but "stats" acts on
 * the whole cluster, unless it has "local":true: an emit, a join, a leave
 * and a disconnect are done here and told to the other nodes (the reply
 * counts this node's sockets and says "published":true when the others
 * were told, false when they could not be); "sockets", "rooms" and
 * "all_rooms" gather the other nodes' answers ("servers" and "answered"
 * say how many there were, and "complete":false that some did not answer
 * in time).  Without a cluster, "local" changes nothing.
 */
#ifndef GEOROOM_CTL_H
#define GEOROOM_CTL_H

#include <stddef.h>

#include <jv.h>

/* Longest request line the hub accepts, newline excluded. */
#define CTL_LINE_MAX (1024 * 1024)

/* Environment variable naming the control socket. */
#define CTL_ENV_SOCKET "GEOROOM_SOCKET"

enum ctl_op {
	CTL_EMIT,
	CTL_SOCKETS,
	CTL_ROOMS,
	CTL_STATS,
	CTL_DISCONNECT,
	CTL_JOIN,
	CTL_LEAVE,
	CTL_SERVER_EMIT,
	CTL_SERVERS,
	CTL_ALL_ROOMS,
};

struct ctl_request {
	enum ctl_op op;
	jv id;     /* owned; jv_invalid() when the request had none */
	jv ns;     /* owned string; "/" by default */
	jv room;   /* owned string or jv_invalid() */
	jv socket; /* owned string or jv_invalid() */
	jv except; /* owned string or jv_invalid() */
	jv event;  /* owned string or jv_invalid() */
	jv args;   /* owned array of the event's arguments (emit only) */
	jv rooms;  /* owned array of strings (join, leave) or jv_invalid() */
	int local; /* "local":true: this node only */
};

/*
 * Parses one request line.  Returns 0 and fills 'req' (released with
 * ctl_request_release()), or -1 with a reason in 'err'; then the caller may
 * still echo *id_out (owned; jv_invalid() if none could be read) in its
 * error reply.
 */
int ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
    jv *id_out, char *err, size_t errlen);

void ctl_request_release(struct ctl_request *req);

/*
 * Builds a reply line (JSON and a trailing newline) from 'body', an object
 * that is consumed, adding "ok":true and the request's "id" (consumed) when
 * valid.  Returns the line as a jv string.
 */
jv ctl_reply_ok(jv body, jv id);

/* The same for an error: {"ok":false,"error":msg}.  Consumes 'id'. */
jv ctl_reply_error(const char *msg, jv id);

/* A producer's half: requests built, replies read. */

/*
 * The text of an emit request (one JSON object, no newline) to room 'room'
 * or, when 'room' is NULL, to socket 'socket', of namespace 'ns' (NULL
 * leaves "ns" out: "/"), of event 'event'.  Its one argument is 'data'
 * ('len' bytes of JSON text, borrowed), inserted as it is so that numbers
 * keep their digits; NULL gives no argument.  All strings are borrowed.
 * Returns an owned jv string.
 */
jv ctl_req_emit(const char *ns, const char *room, const char *socket,
    const char *event, const char *data, size_t len);

/* The other requests, as objects (owned); a NULL 'ns' or 'room' is left out. */
jv ctl_req_stats(void);
jv ctl_req_rooms(const char *ns);
jv ctl_req_sockets(const char *ns, const char *room);
jv ctl_req_disconnect(const char *ns, const char *socket);

/* What a reply says, as a class a program can map to an exit status. */
enum ctl_status {
	CTL_OK,           /* "ok":true */
	CTL_ERR_REFUSED,  /* "ok":false: the hub refused the request */
	CTL_ERR_PROTOCOL, /* not a control reply: not a JSON object, or
				   no boolean "ok" */
};

struct ctl_reply {
	enum ctl_status status;
	jv body;         /* owned: the reply object; jv_invalid() with
				   CTL_ERR_PROTOCOL */
	char error[256]; /* unless CTL_OK: the hub's "error", or what is
				   wrong with the line */
};

/*
 * Reads one reply line ('len' bytes, newline excluded, borrowed) into
 * 'r', released with ctl_reply_release().  Returns 0 when the reply is
 * CTL_OK, -1 otherwise, the class in r->status and the reason in
 * r->error.
 */
int ctl_reply_parse(const char *line, size_t len, struct ctl_reply *r);

void ctl_reply_release(struct ctl_reply *r);

/*
 * Chooses the control socket path: 'env_socket' ($GEOROOM_SOCKET) when set
 * and non-empty, else "$XDG_RUNTIME_DIR/georoom/control.sock" when
 * 'xdg_runtime' is set and non-empty, else "/run/georoom/control.sock".
 * Returns 0, or -1 with errno ENAMETOOLONG when the path does not fit 'len'
 * or a Unix socket address.
 */
int ctl_default_path(const char *env_socket, const char *xdg_runtime,
    char *buf, size_t len);

#endif
