/*
 * cluster.h - georoomd as a node of a Socket.IO cluster over Redis,
 * wire-compatible with @socket.io/redis-adapter 8.x: its classic pub/sub
 * adapter (createAdapter) or its sharded one (createShardedAdapter, Redis
 * 7's sharded pub/sub).
 * Owns: the link to Redis (net/redislink.h), this node's uid, the
 * subscriptions of each namespace served (and, sharded and "dynamic", of
 * each room while it exists here: the fanout's room hook), publishing
 * the hub's broadcasts (its fanout hook), delivering other nodes'
 * broadcasts here, and answering their requests.  The wire formats are
 * proto/clustermsg.h's (classic) and proto/shardmsg.h's (sharded).
 *
 * Served requests: SOCKETS (allSockets), ALL_ROOMS, REMOTE_JOIN and
 * REMOTE_LEAVE (socketsJoin/socketsLeave, and one socket by its id),
 * REMOTE_DISCONNECT, REMOTE_FETCH (fetchSockets), BROADCAST (an emit
 * awaiting acks: delivered with an ack id through hub_deliver_ack(),
 * answered with BROADCAST_CLIENT_COUNT, the sockets asked, then one
 * BROADCAST_ACK per client ack until opts.flags.timeout, all on the
 * asker's own response channel).
 * SERVER_SIDE_EMIT is read and not answered: georoomd has no server-side
 * listeners, as a Node server without one would not answer either.
 *
 * Sharded, the same in ClusterAdapter's terms: BROADCAST (with and
 * without acks), SOCKETS_JOIN, SOCKETS_LEAVE, DISCONNECT_SOCKETS,
 * FETCH_SOCKETS served; SERVER_SIDE_EMIT read and not answered; the
 * heartbeats of other ClusterAdapters ignored (the sharded adapter sends
 * none).
 */
#ifndef GEOROOM_CLUSTER_H
#define GEOROOM_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <jv.h>
#include <uv.h>

#include "buf.h"
#include "clustermsg.h"
#include "hub.h"
#include "redislink.h"
#include "redisurl.h"
#include "shardmsg.h"

/* Namespaces a node subscribes for, at most. */
#define CLUSTER_NSP_MAX 64

struct cluster_stats {
	uint64_t published;  /* broadcasts and answers handed to Redis */
	uint64_t dropped;    /* not published: link down, over budget, or
			      * too big to encode */
	uint64_t received;   /* broadcasts of other nodes delivered here */
	uint64_t requests;   /* requests of other nodes answered or done */
	uint64_t malformed;  /* messages not understood, dropped */
	uint64_t asked;      /* requests this node made */
	uint64_t incomplete; /* questions not every node answered in time */
};

struct clusterask_q; /* clusterask.c's */

/* Which of the adapter's protocols. */
enum cluster_proto {
	CLUSTER_CLASSIC, /* createAdapter(): PUBLISH, PSUBSCRIBE */
	CLUSTER_SHARDED, /* createShardedAdapter(): SPUBLISH, SSUBSCRIBE */
};

struct cluster {
	struct hub *hub;            /* borrowed */
	const struct redisurl *url; /* borrowed */
	struct redislink link;
	struct cluster_stats stats;
	char key[64]; /* the channels' prefix, "socket.io" by default */
	size_t key_len;
	enum cluster_proto proto;
	enum shardmsg_mode mode; /* sharded: its subscription mode */
	/* This node's: 6 characters, as the classic adapter's uid2(6), or 16
	 * hexadecimal digits, as ClusterAdapter's randomId(). */
	char uid[SHARDMSG_UID_LEN + 1];
	size_t uid_len;
	const char *nsps[CLUSTER_NSP_MAX]; /* borrowed names */
	size_t nnsps;
	int started;
	/* The questions in flight (clusterask.h). */
	LIST_HEAD(, clusterask_q) asks;
	size_t nasks;
	uint64_t next_ticket;
	/* Work space, reused message to message. */
	struct clustermsg_bcast in;
	struct clustermsg_req req;
	struct shardmsg sm;
	struct buf out, chan;
	struct clustermsg_room *rooms; /* owned: names of one message */
	size_t rooms_cap;
	struct room_name *names; /* owned: as the hub reads them */
	size_t names_cap;
	struct iovec *iov; /* owned: names as clustermsg writes them */
	size_t iov_cap;
};

/*
 * Sets up a node for 'hub' on the Redis at 'url' (borrowed, must outlive
 * it) with channel prefix 'key' (NULL: CLUSTERMSG_KEY).  Nothing connects
 * before cluster_start().  Returns 0, or -1 with errno.
 */
int cluster_init(struct cluster *c, struct hub *hub,
    const struct redisurl *url, const char *key);

/*
 * Speaks the sharded adapter's protocol, with subscription mode 'mode',
 * rather than the classic one; before cluster_start().
 */
void cluster_set_sharded(struct cluster *c, enum shardmsg_mode mode);

/* Serves namespace 'name' (borrowed) too; before cluster_start(). */
int cluster_add_namespace(struct cluster *c, const char *name);

/*
 * Connects on 'loop', subscribes for each namespace, and becomes the
 * hub's fanout.  Returns 0, or -1 with errno.
 */
int cluster_start(struct cluster *c, uv_loop_t *loop);

/* No more publishing; closes the link.  The loop then runs dry. */
void cluster_stop(struct cluster *c);

/* Frees what 'c' holds, after cluster_stop() and the loop ran dry. */
void cluster_release(struct cluster *c);

/* The link's state and the counters, as members of the stats reply. */
jv cluster_stats(const struct cluster *c);

/*
 * Publishes 'len' bytes of c->out on channel c->chan, as the protocol
 * does (PUBLISH or SPUBLISH), counted in the stats: 0, or -1 (dropped).
 */
int cluster_publish(struct cluster *c);

/* Appends this node's ClusterAdapter identity ('from') for namespace 'nsp'
 * (borrowed). */
void cluster_from(const struct cluster *c, const char *nsp, size_t nsp_len,
    struct shardmsg_from *from);

#endif
