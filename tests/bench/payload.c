/* payload.c - the benchmark's chat message, written and checked. */
#include "payload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char head[] = "{\"userId\":1,\"message\":{\"seq\":";
static const char event_head[] = "2[\"chat\",";
static const char mid_t[] = ",\"t\":";
static const char mid_pad[] = ",\"pad\":\"";
static const char mid_room[] = "\"},\"roomName\":\"";
static const char tail[] = "\"}";

#define LIT(s) (sizeof(s) - 1)

int
payload_init(struct payload *p, const char *room, size_t pad_len)
{
	size_t i, n = strlen(room);

	memset(p, 0, sizeof(*p));
	if (n == 0 || n > PAYLOAD_ROOM_MAX ||
	    strspn(room, "0123456789") != n || pad_len > 1024 * 1024) {
		errno = EINVAL;
		return -1;
	}
	memcpy(p->room, room, n + 1);
	p->room_len = n;
	p->pad_len = pad_len;
	p->letters = malloc(pad_len + 26);
	if (p->letters == NULL)
		return -1;
	for (i = 0; i < pad_len + 26; i++)
		p->letters[i] = (char)('a' + i % 26);
	return 0;
}

void
payload_release(struct payload *p)
{
	free(p->letters);
	p->letters = NULL;
}

size_t
payload_max_len(const struct payload *p)
{
	return LIT(head) + 20 + LIT(mid_t) + 20 + LIT(mid_pad) + p->pad_len +
	    LIT(mid_room) + p->room_len + LIT(tail);
}

long
payload_format(const struct payload *p, char *out, size_t cap, uint64_t seq,
    uint64_t t_us)
{
	int n;
	size_t len;

	n = snprintf(out, cap, "%s%" PRIu64 "%s%" PRIu64 "%s", head, seq,
	    mid_t, t_us, mid_pad);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	len = (size_t)n;
	if (cap - len < p->pad_len + LIT(mid_room) + p->room_len + LIT(tail))
		return -1;
	memcpy(out + len, p->letters + seq % 26, p->pad_len);
	len += p->pad_len;
	memcpy(out + len, mid_room, LIT(mid_room));
	len += LIT(mid_room);
	memcpy(out + len, p->room, p->room_len);
	len += p->room_len;
	memcpy(out + len, tail, LIT(tail));
	return (long)(len + LIT(tail));
}

/* Steps over 'n' bytes at the cursor when they are 'lit'. */
static int
take(struct json_scan *s, const char *lit, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

int
payload_check(const struct payload *p, const char *pkt, size_t len,
    uint64_t *seq, uint64_t *t_us)
{
	struct json_scan s;

	json_scan_init(&s, pkt, len);
	if (take(&s, event_head, LIT(event_head)) == -1 ||
	    take(&s, head, LIT(head)) == -1 ||
	    json_scan_read_uint(&s, UINT64_MAX, seq) == -1 ||
	    take(&s, mid_t, LIT(mid_t)) == -1 ||
	    json_scan_read_uint(&s, UINT64_MAX, t_us) == -1 ||
	    take(&s, mid_pad, LIT(mid_pad)) == -1 ||
	    take(&s, p->letters + *seq % 26, p->pad_len) == -1 ||
	    take(&s, mid_room, LIT(mid_room)) == -1 ||
	    take(&s, p->room, p->room_len) == -1 ||
	    take(&s, tail, LIT(tail)) == -1 || take(&s, "]", 1) == -1 ||
	    s.p != s.end) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
