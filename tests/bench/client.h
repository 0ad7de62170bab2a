/*
 * client.h - one Socket.IO client over WebSocket, on a nonblocking socket.
 * Owns: the TCP connection from a chosen 127.x source address to one of its
 * loop's hubs, the HTTP
 * upgrade, masking every frame it sends, Engine.IO's open packet and
 * heartbeat (each ping answered with a pong), the CONNECT to namespace "/",
 * and cutting what arrives into Socket.IO packets for its owner.  Never
 * prints and never blocks: the owner runs epoll and passes readiness in.
 */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct client;

/* Hubs the clients of one loop may be spread over, at most. */
#define CLIENT_MAX_HUBS 16

/* What a client tells its owner. */
struct client_ops {
	/* The namespace CONNECT was answered: the client may emit. */
	void (*on_connected)(struct client *c, void *arg);
	/*
	 * A Socket.IO packet arrived after the CONNECT: 'pkt' is its text
	 * without the Engine.IO '4', borrowed for the call.
	 */
	void (*on_packet)(struct client *c, const char *pkt, size_t len,
	    void *arg);
	/*
	 * The connection ended by itself ('why' says where, 'err' is an
	 * errno or 0); it is already closed.  Not called for client_close().
	 */
	void (
	    *on_closed)(struct client *c, const char *why, int err, void *arg);
};

/* What every client of one event loop shares. */
struct client_env {
	int epfd;                     /* borrowed epoll descriptor */
	const struct client_ops *ops; /* borrowed */
	void *arg;
	struct sockaddr_in dst[CLIENT_MAX_HUBS];
	char host[CLIENT_MAX_HUBS][24]; /* each hub's Host header */
	unsigned nhubs;
	char path[128];         /* handshake path */
	unsigned char *scratch; /* owned: where reads land */
	size_t scratch_cap;     /* also the largest frame taken */
	uint64_t rng;           /* for masks and WebSocket keys */
};

enum client_state {
	CLIENT_CLOSED,
	CLIENT_TCP,  /* connect() in progress */
	CLIENT_HTTP, /* upgrade sent, waiting for 101 */
	CLIENT_EIO,  /* waiting for the Engine.IO open packet */
	CLIENT_SIO,  /* CONNECT sent, waiting for its answer */
	CLIENT_READY,
};

struct client {
	struct client_env *env; /* borrowed */
	int fd;
	uint8_t state;
	uint8_t want_out;  /* EPOLLOUT is armed */
	uint8_t hub;       /* its hub: env->dst[hub] */
	unsigned char *in; /* owned: the start of an incomplete frame */
	uint32_t inlen;
	unsigned char *out; /* owned: bytes the kernel has not taken */
	uint32_t outlen, outoff;
};

/*
 * Sets up what the clients of one loop share: the 'nhubs' hubs at 'dst'
 * (copied; 1 to CLIENT_MAX_HUBS), handshake 'path' (copied), reads of up
 * to 'scratch_cap' bytes.  Returns 0, or -1 with errno.
 */
int client_env_init(struct client_env *env, int epfd,
    const struct sockaddr_in *dst, unsigned nhubs, const char *path,
    size_t scratch_cap, const struct client_ops *ops, void *arg);

void client_env_release(struct client_env *env);

/*
 * Starts connecting 'c' to hub 'hub' of 'env' from source address 'src'
 * (any when NULL) and registers it with the loop's epoll.  Returns 0, or -1
 * with errno (then 'c' is closed and nothing is registered).
 */
int client_connect(struct client *c, struct client_env *env, unsigned hub,
    const struct in_addr *src);

/* Handles the epoll events 'events' for 'c'. */
void client_on_event(struct client *c, uint32_t events);

/*
 * Sends 'len' bytes of Engine.IO packet text (e.g. "42[...]") as one masked
 * text frame; what the kernel does not take waits for EPOLLOUT.  Returns 0,
 * or -1 when the client is not open or has just failed (on_closed called).
 */
int client_send_text(struct client *c, const char *text, size_t len);

/* Bytes written to 'c' that the kernel has not taken yet. */
size_t client_pending(const struct client *c);

/* Closes the connection and frees its buffers; on_closed is not called. */
void client_close(struct client *c);

#endif
