/* board.c - the shared mapping between the load generator's processes. */
#include "board.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct board *
board_new(unsigned nworkers)
{
	size_t size = sizeof(struct board) +
	    (size_t)nworkers * sizeof(struct board_slot);
	struct board *b;
	unsigned i;

	b = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	memset(b, 0, size);
	b->size = size;
	b->nworkers = nworkers;
	atomic_init(&b->phase, BOARD_SETUP);
	for (i = 0; i < nworkers; i++)
		hist_init(&b->slot[i].latency);
	return b;
}

void
board_free(struct board *b)
{
	if (b != NULL)
		munmap(b, b->size);
}

uint64_t
board_completed(const struct board *b)
{
	uint64_t least = UINT64_MAX, d;
	unsigned i;

	for (i = 0; i < b->nworkers; i++) {
		const struct board_slot *s = &b->slot[i];

		if (s->receivers == 0)
			continue;
		d = atomic_load(&s->delivered) / s->receivers;
		if (d < least)
			least = d;
	}
	return least == UINT64_MAX ? 0 : least;
}

unsigned
board_count_state(const struct board *b, int state)
{
	unsigned i, n = 0;

	for (i = 0; i < b->nworkers; i++)
		if (atomic_load(&b->slot[i].state) >= state)
			n++;
	return n;
}
