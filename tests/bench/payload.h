/*
 * payload.h - the chat message the load generator sends and checks.
 * Owns: the one text every delivery must match byte for byte,
 *
 *   {"userId":1,"message":{"seq":S,"t":T,"pad":"P"},"roomName":"R"}
 *
 * where S counts a run's messages from 0, T is the CLOCK_MONOTONIC
 * microsecond it was due to leave, and P is 'size' letters that shift with
 * S, so a delivery of another message or another room cannot pass.  Pure:
 * no I/O; allocation only in payload_init().
 */
#ifndef BENCH_PAYLOAD_H
#define BENCH_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

/* Longest room name the load generator uses. */
#define PAYLOAD_ROOM_MAX 20

struct payload {
	char room[PAYLOAD_ROOM_MAX + 1];
	size_t room_len;
	size_t pad_len;
	char *letters; /* owned: pad_len + 26 letters, a..z */
};

/*
 * Sets up the messages of room 'room' (borrowed, at most PAYLOAD_ROOM_MAX
 * bytes of digits) with 'pad_len' letters of padding.  Returns 0, or -1
 * with errno EINVAL or ENOMEM.
 */
int payload_init(struct payload *p, const char *room, size_t pad_len);

void payload_release(struct payload *p);

/* Bytes the longest message of 'p' takes. */
size_t payload_max_len(const struct payload *p);

/*
 * Writes message 'seq', due at 't_us', into 'out'.  Returns its length, or
 * -1 when 'cap' is too small.  'out' is not NUL-terminated.
 */
long payload_format(const struct payload *p, char *out, size_t cap,
    uint64_t seq, uint64_t t_us);

/*
 * Checks 'len' bytes of Socket.IO packet text (the Engine.IO '4' already
 * taken off): it must be exactly 2["chat",M] with M a message of 'p'.
 * Returns 0 with its sequence number and time, or -1.
 */
int payload_check(const struct payload *p, const char *pkt, size_t len,
    uint64_t *seq, uint64_t *t_us);

#endif
