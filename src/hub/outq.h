/*
 * outq.h - shared outgoing frames and bounded per-connection queues.
 * Owns: 'struct frame', the wire bytes of one message already framed for
 * WebSocket and shared by reference among all its recipients, and the
 * queue of frame references each connection holds until written.  A frame
 * is freed by whoever drops its last reference.  Pure: no I/O.
 */
#ifndef GEOROOM_OUTQ_H
#define GEOROOM_OUTQ_H

#include <stddef.h>
#include <stdint.h>

struct frame {
	uint32_t refs;
	uint32_t len; /* bytes in data */
	/* Latest-only delivery: a queue holds at most one frame of a given
	 * nonzero tag, the newest (outq_push()); 0, as frame_new() leaves
	 * it: none. */
	uint64_t tag;
	unsigned char data[]; /* one or more complete WebSocket frames */
};

/* A frame of 'len' bytes with one reference, or NULL (errno ENOMEM). */
struct frame *frame_new(size_t len);

/* Takes another reference; returns 'f'. */
struct frame *frame_ref(struct frame *f);

/* Drops a reference, freeing the frame with the last one.  NULL is fine. */
void frame_unref(struct frame *f);

struct outq {
	/* owned array of 'cap' references; NULL while the queue has never
	 * held more than one, which 'one' holds: most connections are idle
	 * and would keep a ring for nothing. */
	struct frame **ring;
	struct frame *one;
	uint32_t head, count, cap;
	size_t bytes; /* bytes of all queued frames */
};

void outq_init(struct outq *q);

/* Drops every queued reference and frees the ring. */
void outq_release(struct outq *q);

/*
 * Queues a new reference to 'f'.  Returns 0, or -1 with errno ENOBUFS when
 * the queue would then hold more than 'max_bytes' or 'max_frames', or
 * ENOMEM; on failure nothing is queued.
 */
int outq_push(struct outq *q, struct frame *f, size_t max_bytes,
    uint32_t max_frames);

/*
 * The same, but a frame with a tag takes the place of a queued frame of
 * the same tag, which is dropped (the place is the older's, so that the
 * queue's order otherwise holds): then it returns 1.
 */
int outq_push_latest(struct outq *q, struct frame *f, size_t max_bytes,
    uint32_t max_frames);

/*
 * Prepares the next write: sets *out and returns how many bytes to write.
 * With one frame queued, or when the first frame does not fit 'scratch',
 * *out points into that frame (no copy); otherwise as many whole frames as
 * fit are copied into 'scratch' so that a backlog leaves in one write.
 * *nframes tells outq_drop() what the write consumed.  Returns 0 when the
 * queue is empty.
 */
size_t outq_batch(const struct outq *q, unsigned char *scratch, size_t cap,
    const unsigned char **out, uint32_t *nframes);

/* The frame at position 'i' (0: the first, i < count), borrowed. */
struct frame *outq_at(const struct outq *q, uint32_t i);

/* Removes the first 'n' frames, dropping their references. */
void outq_drop(struct outq *q, uint32_t n);

#endif
