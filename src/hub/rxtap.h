/*
 * rxtap.h - the bytes libwebsockets reads from the hub's clients, looked
 * at before lws parses them, for what lws 4.1 lets through: a frame a
 * client did not mask (RFC 6455 5.1 says the server must close such a
 * connection; lws unmasks nothing and carries on).
 * Owns: recv(), which this module defines for the whole program (lws
 * calls it through its PLT, so the dynamic linker binds lws's reads to
 * this definition), and a scan (wsscan.h) per socket watched.  A read of a
 * socket watched stops before the first frame that is not masked: lws
 * never sees that frame or anything after it (later reads are thrown
 * away), and the socket is listed for the hub to close.  Other sockets,
 * and reads with MSG_PEEK, pass through untouched.  Watch only sockets
 * whose bytes are WebSocket frames in the clear: under TLS, OpenSSL's
 * socket BIO reads records through this same recv(), and a scan of those
 * would close good connections.  Never prints; one
 * table for the process, as recv() has no place for a context.
 */
#ifndef GEOROOM_RXTAP_H
#define GEOROOM_RXTAP_H

/*
 * Watches socket 'fd' from its first byte, which the client has not sent
 * yet (call it on accept).  Returns 0, or -1 with errno ENOMEM.
 */
int rxtap_watch(int fd);

/* Stops watching 'fd' (its connection is closing). */
void rxtap_forget(int fd);

/* Whether a frame came unmasked on 'fd' (call it when its WebSocket
 * opens: it may have come with the handshake). */
int rxtap_unmasked(int fd);

/*
 * A socket on which a frame came unmasked since the last call, once each
 * (while it is still watched), or -1 when there is none left.
 */
int rxtap_next_unmasked(void);

/* Frees the table; nothing is watched any more. */
void rxtap_release(void);

#endif
