/* peers.c - connections per client address (see peers.h). */
#include "peers.h"

#include <errno.h>
#include <stdlib.h>

void
peers_init(struct peers *p, const uint8_t seed[16])
{
	hashtab_init(&p->tab, seed);
}

void
peers_release(struct peers *p)
{
	struct peer *e;
	size_t pos = 0;

	while ((e = hashtab_next(&p->tab, &pos)) != NULL)
		free(e);
	hashtab_release(&p->tab);
}

struct peer *
peers_find(const struct peers *p, const struct cidr_addr *a)
{
	return hashtab_get(&p->tab, (const char *)a->bytes, a->len);
}

struct peer *
peers_add(struct peers *p, const struct cidr_addr *a)
{
	struct peer *e = peers_find(p, a);

	if (a->len != 4 && a->len != 16) {
		errno = EINVAL;
		return NULL;
	}
	if (e != NULL) {
		e->conns++;
		return e;
	}
	if ((e = malloc(sizeof(*e))) == NULL)
		return NULL;
	e->addr = *a;
	e->conns = 1;
	/* The key lives in the entry, as long as it. */
	if (hashtab_put(&p->tab, (const char *)e->addr.bytes, e->addr.len,
	        e) == -1) {
		free(e);
		return NULL;
	}
	return e;
}

void
peers_drop(struct peers *p, struct peer *e)
{
	if (--e->conns > 0)
		return;
	hashtab_del(&p->tab, (const char *)e->addr.bytes, e->addr.len);
	free(e);
}

size_t
peers_count(const struct peers *p)
{
	return p->tab.len;
}
