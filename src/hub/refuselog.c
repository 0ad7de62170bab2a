/* refuselog.c - refusal reasons and per-address log lines. */
#include "refuselog.h"

#include <stdlib.h>

struct refuselog_peer {
	struct cidr_addr addr; /* the key: its 4 or 16 bytes */
	int64_t since;         /* when its last line was written */
	uint64_t suppressed;   /* refusals since, not written */
	TAILQ_ENTRY(refuselog_peer) link;
};

static const char *const names[REFUSE_NREASONS] = {
	[REFUSE_PATH] = "path",
	[REFUSE_TRANSPORT] = "transport",
	[REFUSE_SID] = "sid",
	[REFUSE_METHOD] = "method",
	[REFUSE_VERSION] = "version",
	[REFUSE_ORIGIN] = "origin",
	[REFUSE_MALFORMED] = "malformed",
	[REFUSE_MAX_CONNECTIONS] = "max_connections",
	[REFUSE_FD_LIMIT] = "fd_limit",
	[REFUSE_MAX_PER_IP] = "max_per_ip",
	[REFUSE_MEMORY] = "memory",
	[REFUSE_POLLING] = "polling",
};

const char *
refuse_reason_name(enum refuse_reason r)
{
	return (unsigned)r < REFUSE_NREASONS ? names[r] : "unknown";
}

void
refuselog_init(struct refuselog *rl, const uint8_t seed[16], size_t max,
    int64_t interval_ms)
{
	hashtab_init(&rl->tab, seed);
	TAILQ_INIT(&rl->byage);
	rl->max = max;
	rl->interval_ms = interval_ms;
	rl->unlisted = 0;
}

void
refuselog_release(struct refuselog *rl)
{
	struct refuselog_peer *e;

	while ((e = TAILQ_FIRST(&rl->byage)) != NULL) {
		TAILQ_REMOVE(&rl->byage, e, link);
		free(e);
	}
	hashtab_release(&rl->tab);
}

static void
forget(struct refuselog *rl, struct refuselog_peer *e)
{
	TAILQ_REMOVE(&rl->byage, e, link);
	hashtab_del(&rl->tab, (const char *)e->addr.bytes, e->addr.len);
	free(e);
}

/* A line for 'e' now: what it says is taken, and 'e' goes last. */
static int
written(struct refuselog *rl, struct refuselog_peer *e, int64_t now,
    uint64_t *suppressed, uint64_t *unlisted)
{
	*suppressed = e->suppressed;
	*unlisted = rl->unlisted;
	rl->unlisted = 0;
	e->suppressed = 0;
	e->since = now;
	TAILQ_REMOVE(&rl->byage, e, link);
	TAILQ_INSERT_TAIL(&rl->byage, e, link);
	return 1;
}

int
refuselog_note(struct refuselog *rl, const struct cidr_addr *a, int64_t now,
    uint64_t *suppressed, uint64_t *unlisted)
{
	struct refuselog_peer *e = NULL, *old;

	if (a != NULL && (a->len == 4 || a->len == 16))
		e = hashtab_get(&rl->tab, (const char *)a->bytes, a->len);
	if (e != NULL) {
		if (now - e->since >= rl->interval_ms)
			return written(rl, e, now, suppressed, unlisted);
		e->suppressed++;
		return 0;
	}
	if (a == NULL || (a->len != 4 && a->len != 16)) {
		rl->unlisted++;
		return 0;
	}
	if (rl->tab.len >= rl->max) {
		old = TAILQ_FIRST(&rl->byage);
		if (old == NULL || now - old->since < rl->interval_ms) {
			rl->unlisted++;
			return 0;
		}
		forget(rl, old);
	}
	/* Out of memory, not written: unlimited lines would follow. */
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		rl->unlisted++;
		return 0;
	}
	e->addr = *a;
	e->since = now;
	if (hashtab_put(&rl->tab, (const char *)e->addr.bytes, e->addr.len,
	        e) == -1) {
		free(e);
		rl->unlisted++;
		return 0;
	}
	TAILQ_INSERT_TAIL(&rl->byage, e, link);
	return written(rl, e, now, suppressed, unlisted);
}

size_t
refuselog_count(const struct refuselog *rl)
{
	return rl->tab.len;
}
