/*
 * clusterask.h - the requests this node makes of the other nodes of its
 * cluster (see cluster.h): questions, whose answers it gathers, and
 * actions, which nobody answers.
 * Owns: each question in flight (its request id, the count of nodes from
 * PUBSUB NUMSUB, the answers so far, its timeout) until it is answered,
 * times out or the cluster stops; building and publishing the requests.
 * Reaches the hub through the fanout's ask, cancel and tell members.
 *
 * A question goes as the adapter's does: PUBSUB NUMSUB of the request
 * channel (sharded: PUBSUB SHARDNUMSUB of the namespace's channel) counts
 * the nodes; the request is published; it is answered when every other
 * node has answered, or incomplete at CLUSTERASK_TIMEOUT_MS (the
 * adapter's requestsTimeout).  Answers are not told apart by node, as
 * the adapter does not.  The sharded protocol has no ALL_ROOMS: that
 * question is asked as FETCH_SOCKETS of every socket, each answer turned
 * into {rooms}, the rooms of its sockets, their own ids included, as a
 * classic node's allRooms() answer lists them.
 */
#ifndef GEOROOM_CLUSTERASK_H
#define GEOROOM_CLUSTERASK_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"

#define CLUSTERASK_TIMEOUT_MS 5000

/* Most questions in flight at once; more are refused with EAGAIN. */
#define CLUSTERASK_MAX 256

/* The fanout's members: see hub.h. */
int clusterask_ask(void *cluster, const struct hub_ask *q, hub_answer_fn fn,
    void *ctx, uint64_t *ticket);
void clusterask_cancel(void *cluster, uint64_t ticket);
int clusterask_tell(void *cluster, const struct hub_tell *t);

/* A message on a response channel of namespace 'nsp': an answer, maybe
 * to one of ours. */
void clusterask_on_response(struct cluster *c, const char *msg, size_t len);

/* A sharded FETCH_SOCKETS_RESPONSE for request 'rid': its data 'reply'
 * (borrowed), {requestId, sockets}. */
void clusterask_on_answer(struct cluster *c, const char *rid, size_t rid_len,
    jv reply);

/* Ends every question in flight, incomplete; before the link stops. */
void clusterask_stop(struct cluster *c);

/* Writes a random id of 6 letters and digits and a NUL, as the adapter's
 * uid2(6): node uids and request ids. */
void clusterask_make_id(char id[7]);

/* Writes 16 random hexadecimal digits and a NUL, as ClusterAdapter's
 * randomId(): sharded node uids and request ids. */
void clusterask_make_hex_id(char id[SHARDMSG_UID_LEN + 1]);

#endif
