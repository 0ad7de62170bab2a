/* hashtab.c - open addressing, linear probing, backward-shift deletion. */
#include "hashtab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND \
	do { \
		v0 += v1; \
		v1 = ROTL(v1, 13); \
		v1 ^= v0; \
		v0 = ROTL(v0, 32); \
		v2 += v3; \
		v3 = ROTL(v3, 16); \
		v3 ^= v2; \
		v0 += v3; \
		v3 = ROTL(v3, 21); \
		v3 ^= v0; \
		v2 += v1; \
		v1 = ROTL(v1, 17); \
		v1 ^= v2; \
		v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t
load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v; /* little-endian hosts only; see Makefile */
}

uint64_t
hashtab_siphash(const uint8_t seed[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = load64(seed), k1 = load64(seed + 8);
	uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ k0;
	uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ k1;
	uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ k0;
	uint64_t v3 = UINT64_C(0x7465646279746573) ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = load64(in + i);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	switch (left) {
	case 7:
		b |= (uint64_t)in[i + 6] << 48; /* FALLTHROUGH */
	case 6:
		b |= (uint64_t)in[i + 5] << 40; /* FALLTHROUGH */
	case 5:
		b |= (uint64_t)in[i + 4] << 32; /* FALLTHROUGH */
	case 4:
		b |= (uint64_t)in[i + 3] << 24; /* FALLTHROUGH */
	case 3:
		b |= (uint64_t)in[i + 2] << 16; /* FALLTHROUGH */
	case 2:
		b |= (uint64_t)in[i + 1] << 8; /* FALLTHROUGH */
	case 1:
		b |= (uint64_t)in[i];
		break;
	default:
		break;
	}
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void
hashtab_init(struct hashtab *t, const uint8_t seed[16])
{
	t->slots = NULL;
	t->cap = 0;
	t->len = 0;
	memcpy(t->seed, seed, sizeof(t->seed));
}

void
hashtab_release(struct hashtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
	t->len = 0;
}

/* The low half of the key's SipHash, which is all a slot keeps. */
static uint32_t
hash_of(const struct hashtab *t, const char *key, size_t keylen)
{
	uint64_t h = hashtab_siphash((const uint8_t *)t->seed, key, keylen);

	return (uint32_t)h;
}

static size_t
find(const struct hashtab *t, const char *key, size_t keylen, uint32_t h)
{
	size_t mask = t->cap - 1, i = (size_t)h & mask;

	for (;;) {
		const struct hashtab_slot *s = &t->slots[i];

		if (s->key == NULL)
			return i;
		if (s->hash == h && s->keylen == keylen &&
		    memcmp(s->key, key, keylen) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

void *
hashtab_get(const struct hashtab *t, const char *key, size_t keylen)
{
	size_t i;

	if (t->len == 0 || keylen > UINT32_MAX)
		return NULL;
	i = find(t, key, keylen, hash_of(t, key, keylen));
	return t->slots[i].key ? t->slots[i].value : NULL;
}

static int
grow(struct hashtab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 8, i;
	struct hashtab_slot *ns;

	/* A slot's 32-bit hash places it among at most 2^32 slots. */
	if (ncap > (size_t)UINT32_MAX + 1)
		return -1;
	if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		struct hashtab_slot *s = &t->slots[i];
		size_t j;

		if (s->key == NULL)
			continue;
		j = (size_t)s->hash & (ncap - 1);
		while (ns[j].key != NULL)
			j = (j + 1) & (ncap - 1);
		ns[j] = *s;
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return 0;
}

int
hashtab_put(struct hashtab *t, const char *key, size_t keylen, void *value)
{
	uint32_t h;
	size_t i;

	if (keylen > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	h = hash_of(t, key, keylen);
	/* Keep the load at most 3/4 so that probes stay short. */
	if ((t->len + 1) * 4 > t->cap * 3 && grow(t) == -1) {
		errno = ENOMEM;
		return -1;
	}
	i = find(t, key, keylen, h);
	t->slots[i].key = key;
	t->slots[i].keylen = (uint32_t)keylen;
	t->slots[i].hash = h;
	t->slots[i].value = value;
	t->len++;
	return 0;
}

void *
hashtab_del(struct hashtab *t, const char *key, size_t keylen)
{
	size_t mask, i, j;
	void *value;

	if (t->len == 0 || keylen > UINT32_MAX)
		return NULL;
	mask = t->cap - 1;
	i = find(t, key, keylen, hash_of(t, key, keylen));
	if (t->slots[i].key == NULL)
		return NULL;
	value = t->slots[i].value;
	/* Shift later members of the probe run back over the hole. */
	for (j = (i + 1) & mask; t->slots[j].key != NULL; j = (j + 1) & mask) {
		size_t home = (size_t)t->slots[j].hash & mask;

		/* Move j into i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (home <= i || home > j) :
		             (home <= i && home > j)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].key = NULL;
	t->len--;
	return value;
}

void *
hashtab_next(const struct hashtab *t, size_t *pos)
{
	while (*pos < t->cap) {
		const struct hashtab_slot *s = &t->slots[(*pos)++];

		if (s->key != NULL)
			return s->value;
	}
	return NULL;
}
