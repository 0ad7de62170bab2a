/*
 * recovery.h - connection state recovery, as socket.io 4.6+ does it.
 * Owns: the events broadcast lately (each with its offset, namespace,
 * rooms and exceptions, and a reference to its shared frame) and the
 * sessions of sockets whose connection was lost (socket id, namespace,
 * rooms, the application's state), both bounded in memory and in age;
 * says which events a returning session missed, or that it cannot say.
 * Pure bookkeeping: no I/O and no clock (the caller says what time it
 * is); namespaces are opaque keys, frames opaque but for their counts.
 */
#ifndef GEOROOM_RECOVERY_H
#define GEOROOM_RECOVERY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <jv.h>

#include "hashtab.h"
#include "outq.h"
#include "room.h"

/* A pid: 22 base64url characters, 128 bits. */
#define RECOVERY_PID_LEN 22
/* An offset's text: "<4 characters of epoch>-<seq in decimal>". */
#define RECOVERY_OFFSET_MAX 32
/* Expired entries are swept at most this late (restores check exactly). */
#define RECOVERY_SWEEP_MS 1000

struct recovery_config {
	uint32_t window_ms;  /* maxDisconnectionDuration; 0: off */
	size_t max_sessions; /* sessions kept at once */
	size_t max_bytes;    /* bytes of buffered events, frames included */
};

struct recovery_stats {
	uint64_t sessions;         /* kept now */
	uint64_t session_bytes;    /* their memory */
	uint64_t events;           /* buffered now */
	uint64_t event_bytes;      /* their memory, frames included */
	uint64_t recovered;        /* sessions restored, missed events sent */
	uint64_t failed;           /* a pid came back, a fresh session went */
	uint64_t replayed;         /* missed events sent again */
	uint64_t sessions_dropped; /* over max_sessions, oldest first */
	uint64_t events_dropped;   /* over max_bytes, oldest first */
};

/* Why recovery_take() gave no session. */
enum recovery_fail {
	RECOVERY_UNKNOWN = 1, /* no such pid (never, expired, taken) */
	RECOVERY_EXPIRED,     /* kept, but longer than the window */
	RECOVERY_NAMESPACE,   /* kept for another namespace */
	RECOVERY_BAD_OFFSET,  /* an offset this process never gave */
	RECOVERY_GAP,         /* events it may have missed were dropped */
};

struct recovery_event;
struct recovery_session;
TAILQ_HEAD(recovery_event_list, recovery_event);
TAILQ_HEAD(recovery_session_list, recovery_session);

struct recovery {
	struct recovery_config cfg;
	struct recovery_event_list events;     /* oldest first */
	struct recovery_session_list sessions; /* oldest first */
	struct hashtab by_pid;                 /* pid -> session */
	uint8_t key[2][16]; /* pids are keyed hashes of socket ids */
	char epoch[5];      /* this process's offsets start with it */
	uint64_t seq;       /* the last offset given */
	uint64_t floor;     /* every event from this seq on is kept */
	struct recovery_stats stats;
};

/* A session recovery_take() gave back: the caller's, until freed. */
struct recovery_session {
	TAILQ_ENTRY(recovery_session) link;
	char pid[RECOVERY_PID_LEN + 1];
	char sid[ROOM_SOCK_ID_LEN + 1];
	const void *nsp;
	int64_t at;    /* when its connection was lost */
	uint64_t from; /* the events after this one are the missed ones */
	jv app;        /* owned: what the application kept */
	size_t bytes;
	size_t nrooms;
	struct room_name *rooms; /* sorted (recovery_name_cmp()), in the block */
};

/*
 * Sets up 'r' with 'cfg' (copied); 'seed' (32 bytes) keys its pids and
 * its table.  Never fails.
 */
void recovery_init(struct recovery *r, const struct recovery_config *cfg,
    const uint8_t seed[32]);

/* Frees every session and event, dropping the frames' references. */
void recovery_release(struct recovery *r);

/* The pid of socket 'sid' (ROOM_SOCK_ID_LEN characters) into 'out'. */
void recovery_pid(const struct recovery *r, const char *sid,
    char out[RECOVERY_PID_LEN + 1]);

/* The offset the next event gets, and its text (NUL-terminated) in
 * 'out'; returns the text's length.  recovery_add() takes it. */
uint64_t recovery_next(const struct recovery *r);
int recovery_offset_text(const struct recovery *r, uint64_t seq,
    char out[RECOVERY_OFFSET_MAX]);

/*
 * Buffers the broadcast with offset recovery_next() (which it then
 * advances past): for the sockets of 'nsp' in any of 'rooms' (all of
 * them when 'nrooms' is 0) and in none of 'except', as struct hub_bcast;
 * 'f' (borrowed; a reference is taken) is what they were sent.  Drops
 * the oldest events past max_bytes.  Returns 0, or -1 with errno ENOMEM
 * or EMSGSIZE (larger than max_bytes): the offset is spent all the same,
 * and a session that may have missed it cannot be restored.
 */
int recovery_add(struct recovery *r, int64_t now, const void *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept, struct frame *f);

/*
 * Keeps the session of socket 'sid' of 'nsp', whose connection was lost
 * at 'now': its 'nrooms' rooms (borrowed, copied), 'app' (consumed), and
 * 'start', the last offset given before it connected.  Drops the oldest
 * session past max_sessions.  Returns 0, or -1 with errno ENOMEM.
 */
int recovery_keep(struct recovery *r, int64_t now, const char *sid,
    const void *nsp, uint64_t start, const struct room_name *rooms,
    size_t nrooms, jv app);

/*
 * Takes the session kept under 'pid' ('pidlen' bytes) for a socket of
 * 'nsp' whose client last saw offset 'offset' ('offlen' bytes; NULL:
 * none, the client has seen no event since it connected).  Returns it,
 * out of the table, with 'from' set; or NULL with the reason in *why
 * (the session, if any, is dropped unless it was another namespace's).
 */
struct recovery_session *recovery_take(struct recovery *r, int64_t now,
    const char *pid, size_t pidlen, const void *nsp, const char *offset,
    size_t offlen, enum recovery_fail *why);

/*
 * Calls 'fn' for each buffered event session 's' missed, oldest first,
 * with its frame (borrowed), until 'fn' returns non-zero.  Returns how
 * many calls there were.
 */
size_t recovery_missed(struct recovery *r, const struct recovery_session *s,
    int (*fn)(struct frame *f, void *arg), void *arg);

/* Frees a session recovery_take() gave. */
void recovery_session_free(struct recovery *r, struct recovery_session *s);

/* Drops the sessions and events older than the window at 'now'. */
void recovery_expire(struct recovery *r, int64_t now);

/* When recovery_expire() next has something to do; INT64_MAX: never. */
int64_t recovery_next_deadline(const struct recovery *r);

/* Orders struct room_name by length, then bytes (for qsort()). */
int recovery_name_cmp(const void *a, const void *b);

#endif
