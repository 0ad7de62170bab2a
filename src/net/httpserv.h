/*
 * httpserv.h - a tiny HTTP/1.1 responder on the libuv loop, for a few
 * fixed pages such as a metrics endpoint and a health check.
 * Owns: its TCP listening socket and each client's connection: the
 * bounded request head (proto/httpreq.h), a deadline for the whole
 * exchange, one answer a connection ("Connection: close"), its write,
 * and the lingering read until the client's EOF.  GET and HEAD only;
 * bad requests get 400, heads too big 431, other methods 405, and a
 * client at its deadline 408.  What a path shows is the caller's (the
 * 'answer' hook).  At most 'max_clients' connections at once: more wait
 * in the kernel's queue.  Never blocks, never prints.
 */
#ifndef GEOROOM_HTTPSERV_H
#define GEOROOM_HTTPSERV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <uv.h>

#include "buf.h"
#include "httpreq.h"

/* Defaults for the zeros of struct httpserv_config. */
#define HTTPSERV_MAX_HEAD 8192
#define HTTPSERV_TIMEOUT_MS 10000
#define HTTPSERV_MAX_CLIENTS 8
#define HTTPSERV_MAX_BODY (16 * 1024 * 1024)

/* What the hook answers: it sets 'status' (200 unless set) and appends the
 * body to 'body' (empty, capped at max_body). */
struct httpserv_reply {
	unsigned status;
	const char *content_type; /* static; NULL: text/plain */
	struct buf *body;         /* the connection's */
};

struct httpserv_config {
	/* A whole GET or HEAD request ('req' borrowed for the call).  Any
	 * failure to build the body is told by status 500. */
	void (*answer)(void *arg, const struct httpreq *req,
	    struct httpserv_reply *rep);
	void *arg;
	size_t max_head;      /* 0: HTTPSERV_MAX_HEAD */
	unsigned timeout_ms;  /* for the whole exchange; 0: the default */
	unsigned max_clients; /* 0: HTTPSERV_MAX_CLIENTS */
	size_t max_body;      /* 0: HTTPSERV_MAX_BODY */
};

/* Counters for the caller's stats; read them, never write them. */
struct httpserv_stats {
	uint64_t connections; /* accepted */
	uint64_t answered;    /* answers handed to the kernel */
	uint64_t bad;         /* 400, 405 and 431 */
	uint64_t timeouts;    /* connections closed at their deadline */
};

struct httpserv_conn;

struct httpserv {
	uv_tcp_t tcp;
	uv_loop_t *loop; /* borrowed */
	struct httpserv_config cfg;
	struct httpserv_stats stats;
	int open;    /* listening */
	int pending; /* a connection waits for a free slot */
	int port;    /* the port bound, the kernel's pick for 0 */
	unsigned nconns;
	LIST_HEAD(, httpserv_conn) conns;
};

/*
 * Reads "ADDR:PORT" ("127.0.0.1:9300", "[::1]:9300"; ADDR a numeric IPv4
 * or IPv6 address, PORT 0 to 65535) into 'ss'.  Returns 0, or -1 with the
 * reason in 'err'.
 */
int httpserv_parse_addr(const char *text, struct sockaddr_storage *ss,
    char *err, size_t errlen);

/*
 * Listens on 'addr' (a struct sockaddr_in or _in6) on 'loop', answering
 * through 'cfg' (copied).  Its handles do not keep the loop running on
 * their own (uv_unref): the program ends when the rest is done, and
 * httpserv_close() is called before the loop's last run.  Returns 0, or
 * -1 with errno (EADDRINUSE, EADDRNOTAVAIL...).
 */
int httpserv_open(struct httpserv *hs, uv_loop_t *loop,
    const struct sockaddr *addr, const struct httpserv_config *cfg);

/*
 * Stops listening and closes every client's connection; the loop must run
 * once more to finish.  Idempotent; a server never opened is fine if it
 * was zeroed.
 */
void httpserv_close(struct httpserv *hs);

#endif
