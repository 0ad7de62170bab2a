/*
 * acks.h - the acknowledgements the hub awaits from its clients.
 * Owns: batches (one emit asking for acks: its ack id, its deadline and
 * the owner its acks go to) and each connection's table of the entries
 * it was asked for, (socket, ack id) -> batch.  Hands a client's ack to
 * the batch's owner once, expires batches, forgets a socket's entries.
 * Pure bookkeeping: no I/O and no clock (the caller says what time it
 * is); sockets are opaque keys, never dereferenced.
 */
#ifndef GEOROOM_ACKS_H
#define GEOROOM_ACKS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/uio.h>

/* Where a batch's acknowledgements go. */
struct acks_owner {
	/*
	 * A client acknowledged, on socket 'key': 'json' is its ACK's data
	 * array as received, 'att' its 'natt' attachments (BINARY_ACK); all
	 * borrowed for the call.  At most once per entry.
	 */
	void (*on_ack)(void *ctx, const void *key, const char *json,
	    size_t json_len, const struct iovec *att, unsigned natt);
	/*
	 * No ack can come any more: each entry was answered, expired or
	 * went with its socket.  Called once, last; the owner may free
	 * 'ctx' here.
	 */
	void (*on_end)(void *ctx);
	void *ctx;
};

struct acks_stats {
	uint64_t pending;  /* entries awaiting an ack now */
	uint64_t batches;  /* batches open now */
	uint64_t answered; /* acks handed to their owner */
	uint64_t unknown;  /* acks matching no entry: never asked, repeated
			    * or late */
	uint64_t expired;  /* entries whose deadline passed unanswered */
	uint64_t gone;     /* entries forgotten with their socket */
	uint64_t over_cap; /* entries refused: the table was full */
};

struct acks_batch;
struct acks_entry;
TAILQ_HEAD(acks_batch_list, acks_batch);
TAILQ_HEAD(acks_entry_list, acks_entry);

/* Every batch of one hub. */
struct acks {
	struct acks_batch_list batches; /* earliest deadline first */
	uint32_t cap;                   /* most entries in one table */
	struct acks_stats stats;
};

/* One connection's entries, whatever the batch. */
struct acks_table {
	struct acks_entry_list entries; /* oldest first */
	uint32_t n;
};

/* Sets up 'a', whose tables may hold at most 'cap' entries each. */
void acks_init(struct acks *a, uint32_t cap);

/*
 * Ends every batch left (on_end) and frees its entries without touching
 * their tables, which must not be used again but through
 * acks_table_init().
 */
void acks_release(struct acks *a);

void acks_table_init(struct acks_table *t);

/*
 * Opens a batch for ack id 'id', which ends at 'deadline' (the caller's
 * clock) at the latest; 'o' is copied.  Entries are added with
 * acks_add(), then the batch is sealed with acks_seal() before anything
 * else is done with 'a'.  Returns it, or NULL with errno ENOMEM (then
 * 'o' is never called).
 */
struct acks_batch *acks_open(struct acks *a, int64_t id, int64_t deadline,
    const struct acks_owner *o);

/*
 * Records in table 't' that socket 'key' (borrowed, never dereferenced)
 * was asked for batch 'b''s ack.  Returns the entry, or NULL with errno
 * ENOSPC (the table holds 'cap' entries, counted in over_cap) or ENOMEM.
 */
struct acks_entry *acks_add(struct acks *a, struct acks_batch *b,
    struct acks_table *t, const void *key);

/* Takes back an entry acks_add() just made: the ask did not go out. */
void acks_cancel(struct acks *a, struct acks_entry *e);

/*
 * No more entries for 'b'.  A batch with none left ends at once: its
 * on_end is called before this returns.
 */
void acks_seal(struct acks *a, struct acks_batch *b);

/*
 * Socket 'key' of table 't' acknowledged 'id' with 'json' and 'att' (see
 * struct acks_owner).  The entry, if any, is removed and its owner's
 * on_ack called, then on_end when it was the batch's last.  Returns 1, or
 * 0 when no entry matches (counted in unknown).
 */
int acks_answer(struct acks *a, struct acks_table *t, const void *key,
    int64_t id, const char *json, size_t json_len, const struct iovec *att,
    unsigned natt);

/* Forgets the entries of socket 'key' in 't' (all of them for NULL). */
void acks_forget(struct acks *a, struct acks_table *t, const void *key);

/* Ends every batch whose deadline is 'now' or earlier. */
void acks_expire(struct acks *a, int64_t now);

/* The earliest deadline of a batch, or INT64_MAX when there is none. */
int64_t acks_next_deadline(const struct acks *a);

#endif
