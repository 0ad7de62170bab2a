/*
 * refuselog.h - why the hub refused a client, and how often it says so:
 * the reasons a handshake is refused, named for the stats and metrics,
 * and a log line per refusal limited per client address.
 * Owns: one entry per address recently logged, at most 'max' of them,
 * each with when its last line was written and how many refusals were
 * not written since.  Knows nothing of connections or of the log itself:
 * the hub asks, then writes.  Pure: no I/O, the clock passed in.
 */
#ifndef GEOROOM_REFUSELOG_H
#define GEOROOM_REFUSELOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "cidr.h"
#include "hashtab.h"

/* Why a handshake (a connection, its HTTP request, its upgrade) was
 * refused; the names are the stats' and the metrics' labels.  A CONNECT
 * the application refuses (a token) is not a handshake refused: the
 * session stays open. */
enum refuse_reason {
	REFUSE_PATH,            /* 404: not the handshake path */
	REFUSE_TRANSPORT,       /* 400: not transport=websocket */
	REFUSE_SID,             /* 400: a session id (polling's upgrade) */
	REFUSE_METHOD,          /* 400: not a GET */
	REFUSE_VERSION,         /* 400: not EIO=4 */
	REFUSE_ORIGIN,          /* 403: an Origin not allowed */
	REFUSE_MALFORMED,       /* 400: what libwebsockets refuses itself */
	REFUSE_MAX_CONNECTIONS, /* 503: --max-connections */
	REFUSE_FD_LIMIT,        /* 503 on accept: the descriptor budget */
	REFUSE_MAX_PER_IP,      /* 429: --max-per-ip */
	REFUSE_MEMORY,          /* 503 on accept: out of memory */
	REFUSE_POLLING,         /* a long-polling request of a session that
				 * cannot take it: unknown sid, a second GET,
				 * a payload too large... (polling.c) */
	REFUSE_NREASONS
};

/* "path", "transport", ... "memory": lower case, a label value. */
const char *refuse_reason_name(enum refuse_reason r);

struct refuselog_peer;

struct refuselog {
	struct hashtab tab; /* address bytes -> struct refuselog_peer */
	TAILQ_HEAD(, refuselog_peer) byage; /* oldest line first */
	size_t max;
	int64_t interval_ms;
	uint64_t unlisted; /* refusals of addresses the table had no room
			    * for, not written; told with the next line */
};

/*
 * An empty log that writes at most one line per address per 'interval_ms'
 * and remembers at most 'max' addresses; its hash uses 'seed' (16 bytes).
 */
void refuselog_init(struct refuselog *rl, const uint8_t seed[16], size_t max,
    int64_t interval_ms);

void refuselog_release(struct refuselog *rl);

/*
 * A refusal of a client at address 'a' (NULL or no address: counted as
 * unlisted) at 'now_ms'.  Returns 1 when its line is to be written, with
 * in *suppressed the refusals of 'a' not written since its previous line
 * and in *unlisted those of addresses not remembered (both then reset);
 * 0 when it is not, the refusal counted for the next line.  An address
 * is forgotten only when the table is full and its last line is older
 * than the interval; a new address finding none such is not remembered,
 * so that no address's limit is lifted by a crowd of others.
 */
int refuselog_note(struct refuselog *rl, const struct cidr_addr *a,
    int64_t now_ms, uint64_t *suppressed, uint64_t *unlisted);

/* Addresses remembered. */
size_t refuselog_count(const struct refuselog *rl);

#endif
