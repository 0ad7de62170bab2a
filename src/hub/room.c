/* room.c - namespaces, rooms and memberships (see room.h). */
#include "room.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
room_registry_init(struct room_registry *reg, const uint8_t seed[16])
{
	memcpy(reg->seed, seed, sizeof(reg->seed));
	hashtab_init(&reg->nsps, seed);
	hashtab_init(&reg->socks, seed);
	reg->nrooms = 0;
}

static void
room_free(struct room_registry *reg, struct room *r)
{
	hashtab_del(&r->nsp->rooms, r->name, r->name_len);
	reg->nrooms--;
	free(r->members);
	free(r);
}

void
room_registry_release(struct room_registry *reg)
{
	struct room_nsp *nsp;
	size_t pos = 0;

	while ((nsp = hashtab_next(&reg->nsps, &pos)) != NULL) {
		while (!LIST_EMPTY(&nsp->socks))
			room_sock_free(reg, LIST_FIRST(&nsp->socks));
		hashtab_release(&nsp->rooms);
		free(nsp);
	}
	hashtab_release(&reg->nsps);
	hashtab_release(&reg->socks);
}

struct room_nsp *
room_nsp_add(struct room_registry *reg, const char *name, size_t len)
{
	struct room_nsp *nsp = room_nsp_find(reg, name, len);

	if (nsp != NULL)
		return nsp;
	nsp = calloc(1, sizeof(*nsp) + len + 1);
	if (nsp == NULL)
		return NULL;
	memcpy(nsp->name, name, len);
	nsp->name_len = len;
	hashtab_init(&nsp->rooms, reg->seed);
	LIST_INIT(&nsp->socks);
	if (hashtab_put(&reg->nsps, nsp->name, len, nsp) == -1) {
		free(nsp);
		return NULL;
	}
	return nsp;
}

struct room_nsp *
room_nsp_find(const struct room_registry *reg, const char *name, size_t len)
{
	return hashtab_get(&reg->nsps, name, len);
}

struct room_sock *
room_sock_add(struct room_registry *reg, struct room_nsp *nsp, const char *id,
    void *owner)
{
	struct room_sock *s;

	if (room_sock_find(reg, id, ROOM_SOCK_ID_LEN) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	memcpy(s->id, id, ROOM_SOCK_ID_LEN);
	s->id[ROOM_SOCK_ID_LEN] = '\0';
	s->nsp = nsp;
	s->owner = owner;
	if (hashtab_put(&reg->socks, s->id, ROOM_SOCK_ID_LEN, s) == -1) {
		free(s);
		return NULL;
	}
	LIST_INSERT_HEAD(&nsp->socks, s, nsp_link);
	nsp->nsocks++;
	return s;
}

struct room_sock *
room_sock_find(const struct room_registry *reg, const char *id, size_t len)
{
	return hashtab_get(&reg->socks, id, len);
}

/* Removes membership 'm' of 's' from its room's member array. */
static void
unlink_member(struct room_registry *reg, struct room_sock *s, uint32_t m)
{
	struct room *r = s->rooms[m].room;
	uint32_t idx = s->rooms[m].index;
	struct room_sock *moved;
	uint32_t k;

	r->nmembers--;
	if (idx != r->nmembers) {
		/* Swap the last member into the hole and fix its index. */
		moved = r->members[r->nmembers];
		r->members[idx] = moved;
		for (k = 0; k < moved->nrooms; k++) {
			if (moved->rooms[k].room == r) {
				moved->rooms[k].index = idx;
				break;
			}
		}
	}
	s->rooms[m] = s->rooms[--s->nrooms];
	if (r->nmembers == 0)
		room_free(reg, r);
}

void
room_sock_free(struct room_registry *reg, struct room_sock *s)
{
	while (s->nrooms > 0)
		unlink_member(reg, s, s->nrooms - 1);
	hashtab_del(&reg->socks, s->id, ROOM_SOCK_ID_LEN);
	LIST_REMOVE(s, nsp_link);
	s->nsp->nsocks--;
	free(s->rooms);
	free(s);
}

struct room *
room_find(const struct room_nsp *nsp, const char *name, size_t len)
{
	return hashtab_get(&nsp->rooms, name, len);
}

static int
reserve(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * elem);
	if (p == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

int
room_join(struct room_registry *reg, struct room_sock *s, const char *name,
    size_t len)
{
	struct room *r;
	uint32_t k;
	int created = 0;

	if (len > ROOM_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	r = room_find(s->nsp, name, len);
	if (r != NULL) {
		for (k = 0; k < s->nrooms; k++)
			if (s->rooms[k].room == r)
				return 0;
	} else {
		r = calloc(1, sizeof(*r) + len + 1);
		if (r == NULL)
			return -1;
		memcpy(r->name, name, len);
		r->name_len = (uint32_t)len;
		r->nsp = s->nsp;
		if (hashtab_put(&s->nsp->rooms, r->name, len, r) == -1) {
			free(r);
			return -1;
		}
		reg->nrooms++;
		created = 1;
	}
	if (reserve((void **)&r->members, &r->cap, r->nmembers + 1,
	        sizeof(*r->members)) == -1 ||
	    reserve((void **)&s->rooms, &s->caprooms, s->nrooms + 1,
	        sizeof(*s->rooms)) == -1) {
		if (created)
			room_free(reg, r);
		errno = ENOMEM;
		return -1;
	}
	r->members[r->nmembers] = s;
	s->rooms[s->nrooms].room = r;
	s->rooms[s->nrooms].index = r->nmembers;
	r->nmembers++;
	s->nrooms++;
	return 1;
}

int
room_leave(struct room_registry *reg, struct room_sock *s, const char *name,
    size_t len)
{
	struct room *r = room_find(s->nsp, name, len);
	uint32_t k;

	if (r == NULL)
		return 0;
	for (k = 0; k < s->nrooms; k++) {
		if (s->rooms[k].room == r) {
			unlink_member(reg, s, k);
			return 1;
		}
	}
	return 0;
}

size_t
room_deliver(const struct room_nsp *nsp, const char *name, size_t len,
    const struct room_sock *except,
    int (*deliver)(struct room_sock *s, void *arg), void *arg)
{
	struct room *r = room_find(nsp, name, len);
	size_t reached = 0;
	uint32_t i;

	if (r == NULL)
		return 0;
	/*
	 * Delivery must not change membership: a recipient that overflows is
	 * only marked for closing, and leaves its rooms later.
	 */
	for (i = 0; i < r->nmembers; i++) {
		if (r->members[i] == except)
			continue;
		if (deliver(r->members[i], arg) == 0)
			reached++;
	}
	return reached;
}
