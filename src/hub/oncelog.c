/* oncelog.c - one log line per address per interval (see oncelog.h). */
#include "oncelog.h"

#include <string.h>

void
oncelog_init(struct oncelog *l)
{
	memset(l, 0, sizeof(*l));
}

int
oncelog_due(struct oncelog *l, const struct cidr_addr *a, int64_t now,
    int64_t interval_ms, uint64_t *quiet)
{
	size_t i, pick = 0;

	for (i = 0; i < ONCELOG_SLOTS; i++) {
		if (l->slot[i].addr.len != 0 &&
		    cidr_addr_equal(&l->slot[i].addr, a))
			break;
		/* Else the oldest, a free slot before any. */
		if (l->slot[i].addr.len == 0 ? l->slot[pick].addr.len != 0 :
		                               l->slot[pick].addr.len != 0 &&
		            l->slot[i].at < l->slot[pick].at)
			pick = i;
	}
	if (i < ONCELOG_SLOTS) {
		if (now - l->slot[i].at < interval_ms) {
			l->slot[i].quiet++;
			return 0;
		}
		pick = i;
	} else {
		l->slot[pick].addr = *a;
		l->slot[pick].quiet = 0;
	}
	if (quiet != NULL)
		*quiet = l->slot[pick].quiet;
	l->slot[pick].at = now;
	l->slot[pick].quiet = 0;
	return 1;
}
