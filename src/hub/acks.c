/* acks.c - acknowledgements awaited from clients (see acks.h). */
#include "acks.h"

#include <errno.h>
#include <stdlib.h>

/* One emit asking for acks, and the entries it is still waiting for. */
struct acks_batch {
	TAILQ_ENTRY(acks_batch) link; /* in acks.batches, by deadline */
	LIST_HEAD(, acks_entry) entries;
	size_t n;
	int64_t id;
	int64_t deadline;
	struct acks_owner owner;
	int sealed;
};

/* One socket asked for one batch's ack: in its table and its batch. */
struct acks_entry {
	TAILQ_ENTRY(acks_entry) table_link;
	LIST_ENTRY(acks_entry) batch_link;
	struct acks_table *table;
	struct acks_batch *batch;
	const void *key;
};

void
acks_init(struct acks *a, uint32_t cap)
{
	TAILQ_INIT(&a->batches);
	a->cap = cap;
	a->stats = (struct acks_stats){ 0 };
}

void
acks_table_init(struct acks_table *t)
{
	TAILQ_INIT(&t->entries);
	t->n = 0;
}

static void
batch_end(struct acks *a, struct acks_batch *b)
{
	TAILQ_REMOVE(&a->batches, b, link);
	a->stats.batches--;
	b->owner.on_end(b->owner.ctx);
	free(b);
}

/* Takes 'e' out of its table and its batch, and frees it. */
static struct acks_batch *
entry_free(struct acks *a, struct acks_entry *e)
{
	struct acks_batch *b = e->batch;

	TAILQ_REMOVE(&e->table->entries, e, table_link);
	e->table->n--;
	LIST_REMOVE(e, batch_link);
	b->n--;
	a->stats.pending--;
	free(e);
	return b;
}

static void
end_if_done(struct acks *a, struct acks_batch *b)
{
	if (b->sealed && b->n == 0)
		batch_end(a, b);
}

void
acks_release(struct acks *a)
{
	struct acks_batch *b;
	struct acks_entry *e;

	while ((b = TAILQ_FIRST(&a->batches)) != NULL) {
		/* The tables may be gone: only the batch's links are used. */
		while ((e = LIST_FIRST(&b->entries)) != NULL) {
			LIST_REMOVE(e, batch_link);
			a->stats.pending--;
			free(e);
		}
		b->n = 0;
		batch_end(a, b);
	}
}

struct acks_batch *
acks_open(struct acks *a, int64_t id, int64_t deadline,
    const struct acks_owner *o)
{
	struct acks_batch *b = calloc(1, sizeof(*b)), *at;

	if (b == NULL)
		return NULL;
	LIST_INIT(&b->entries);
	b->id = id;
	b->deadline = deadline;
	b->owner = *o;
	/* Most emits wait as long as the last one: found from the tail. */
	at = TAILQ_LAST(&a->batches, acks_batch_list);
	while (at != NULL && at->deadline > deadline)
		at = TAILQ_PREV(at, acks_batch_list, link);
	if (at == NULL)
		TAILQ_INSERT_HEAD(&a->batches, b, link);
	else
		TAILQ_INSERT_AFTER(&a->batches, at, b, link);
	a->stats.batches++;
	return b;
}

struct acks_entry *
acks_add(struct acks *a, struct acks_batch *b, struct acks_table *t,
    const void *key)
{
	struct acks_entry *e;

	if (t->n >= a->cap) {
		a->stats.over_cap++;
		errno = ENOSPC;
		return NULL;
	}
	if ((e = malloc(sizeof(*e))) == NULL)
		return NULL;
	e->table = t;
	e->batch = b;
	e->key = key;
	TAILQ_INSERT_TAIL(&t->entries, e, table_link);
	t->n++;
	LIST_INSERT_HEAD(&b->entries, e, batch_link);
	b->n++;
	a->stats.pending++;
	return e;
}

void
acks_cancel(struct acks *a, struct acks_entry *e)
{
	/* Its batch is not sealed yet: it cannot end here. */
	(void)entry_free(a, e);
}

void
acks_seal(struct acks *a, struct acks_batch *b)
{
	b->sealed = 1;
	end_if_done(a, b);
}

int
acks_answer(struct acks *a, struct acks_table *t, const void *key, int64_t id,
    const char *json, size_t json_len, const struct iovec *att, unsigned natt)
{
	struct acks_entry *e;
	struct acks_batch *b;

	/* Acks mostly come in the order they were asked for. */
	TAILQ_FOREACH(e, &t->entries, table_link)
		if (e->key == key && e->batch->id == id)
			break;
	if (e == NULL) {
		a->stats.unknown++;
		return 0;
	}
	b = entry_free(a, e);
	a->stats.answered++;
	b->owner.on_ack(b->owner.ctx, key, json, json_len, att, natt);
	end_if_done(a, b);
	return 1;
}

void
acks_forget(struct acks *a, struct acks_table *t, const void *key)
{
	struct acks_entry *e, *next;
	struct acks_batch *b;

	for (e = TAILQ_FIRST(&t->entries); e != NULL; e = next) {
		next = TAILQ_NEXT(e, table_link);
		if (key != NULL && e->key != key)
			continue;
		b = entry_free(a, e);
		a->stats.gone++;
		/* Ending a batch frees none of this table's other entries. */
		end_if_done(a, b);
	}
}

void
acks_expire(struct acks *a, int64_t now)
{
	struct acks_batch *b;
	struct acks_entry *e;

	while ((b = TAILQ_FIRST(&a->batches)) != NULL && b->deadline <= now) {
		while ((e = LIST_FIRST(&b->entries)) != NULL) {
			(void)entry_free(a, e);
			a->stats.expired++;
		}
		batch_end(a, b);
	}
}

int64_t
acks_next_deadline(const struct acks *a)
{
	const struct acks_batch *b = TAILQ_FIRST(&a->batches);

	return b != NULL ? b->deadline : INT64_MAX;
}
