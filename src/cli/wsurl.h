/*
 * wsurl.h - the hub's address as a Socket.IO client is given it.
 * Owns: splitting ws://, wss://, http:// and https:// URLs into what a
 * connection needs (TLS, host, port, the namespace its path names, its
 * query) and building the Engine.IO handshake path.  Pure: no I/O, no
 * name lookups, no allocation.
 */
#ifndef GEOROOM_WSURL_H
#define GEOROOM_WSURL_H

#include <stddef.h>

#include "sio.h"

/* Longest host name or address kept, without brackets. */
#define WSURL_HOST_MAX 253
/* Longest query kept, without the '?'. */
#define WSURL_QUERY_MAX 1024

struct wsurl {
	int tls;  /* wss:// or https:// */
	int port; /* 1 to 65535; 80 or 443 when not given */
	int ipv6; /* host was written in brackets */
	char host[WSURL_HOST_MAX + 1]; /* without brackets */
	/* The URL's path, which socket.io-client takes as the namespace:
	 * "/" when the URL has none. */
	char nsp[SIO_NSP_MAX + 1];
	char query[WSURL_QUERY_MAX + 1]; /* "" when none */
};

/*
 * Parses 'url' (borrowed) into 'u'.  http and https are taken as ws and
 * wss, as socket.io-client does; user information ("user@") and anything
 * else are refused.  A fragment ("#...") is dropped.  Returns 0, or -1
 * with a reason in 'err'.
 */
int wsurl_parse(const char *url, struct wsurl *u, char *err, size_t errlen);

/*
 * Chooses the namespace: 'ns' (-n, borrowed, or NULL) or else the one the
 * URL names.  Returns 0 with *out set (borrowed from 'ns' or 'u'), or -1
 * with a reason in 'err' when they differ or Socket.IO would refuse it.
 */
int wsurl_namespace(const struct wsurl *u, const char *ns, const char **out,
    char *err, size_t errlen);

/*
 * Writes the handshake path for the handshake path prefix 'path' (e.g.
 * "/socket.io/" or "/chat", which gets a trailing '/' as in
 * socket.io-client) with the URL's query and the Engine.IO arguments:
 * "/chat/?token=x&EIO=4&transport=websocket".  Returns its length, or -1
 * when 'path' is not an absolute path of printable characters without '?'
 * or '#', or when the result does not fit 'cap' (with its NUL).
 */
int wsurl_handshake_path(const struct wsurl *u, const char *path, char *out,
    size_t cap);

/*
 * Writes the Host header's value: the host (bracketed when IPv6) and the
 * port when it is not the scheme's default.  Returns the length or -1.
 */
int wsurl_host_header(const struct wsurl *u, char *out, size_t cap);

#endif
