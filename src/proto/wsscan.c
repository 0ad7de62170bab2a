/* wsscan.c - a WebSocket client's byte stream, looked at as it is read. */
#include "wsscan.h"

#include <string.h>

/* What wsscan.upg holds once a line is known to be another header. */
#define UPG_NO 0xff

static const char upgrade_name[] = "upgrade:";

enum {
	SCAN_HEAD,    /* the HTTP request head */
	SCAN_OPCODE,  /* a frame's first byte: FIN, RSV, opcode */
	SCAN_LENGTH,  /* its second: MASK and the 7-bit length */
	SCAN_HEADER,  /* its extended length and masking key */
	SCAN_PAYLOAD, /* its payload */
};

void
wsscan_init(struct wsscan *s)
{
	memset(s, 0, sizeof(*s));
	s->state = SCAN_HEAD;
}

/* Whether the line being read starts with "upgrade:", in any case. */
static void
match_upgrade(struct wsscan *s, unsigned char c)
{
	if (s->upg == UPG_NO)
		return;
	if (c >= 'A' && c <= 'Z')
		c = (unsigned char)(c - 'A' + 'a');
	if (c != (unsigned char)upgrade_name[s->upg]) {
		s->upg = UPG_NO;
		return;
	}
	if (++s->upg == sizeof(upgrade_name) - 1) {
		s->asked = 1;
		s->upg = UPG_NO;
	}
}

/*
 * Looks for the blank line that ends an upgrade's head in p[0..len);
 * returns the number of bytes up to and including it, or len when it is
 * not there.  A line ends at LF, with or without a CR before it.  A head
 * without an Upgrade header is followed by another head.
 */
static size_t
head(struct wsscan *s, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\n':
			if (s->blank > 0 && s->seen) {
				if (s->asked) {
					s->state = SCAN_OPCODE;
					return i + 1;
				}
				s->seen = 0;
				s->blank = 0;
				s->upg = 0;
				break;
			}
			s->blank = 1;
			s->upg = 0;
			break;
		case '\r':
			s->blank = s->blank == 1 ? 2 : 0;
			s->upg = UPG_NO;
			break;
		default:
			s->blank = 0;
			s->seen = 1;
			match_upgrade(s, p[i]);
			break;
		}
	}
	return len;
}

size_t
wsscan_feed(struct wsscan *s, const unsigned char *p, size_t len)
{
	size_t i = 0, frame = 0; /* where the current frame began in p */
	uint64_t n;

	if (s->bad)
		return 0;
	if (s->state == SCAN_HEAD)
		i = head(s, p, len);
	while (i < len) {
		switch (s->state) {
		case SCAN_OPCODE:
			frame = i++;
			s->state = SCAN_LENGTH;
			break;
		case SCAN_LENGTH:
			if (!(p[i] & 0x80)) {
				s->bad = 1;
				/* Its first byte came in earlier bytes when
				 * this is the first byte of these. */
				return i == 0 ? 0 : frame;
			}
			s->left = p[i] & 0x7f;
			s->size = s->left == 126 ? 2 : s->left == 127 ? 8 : 0;
			if (s->size > 0)
				s->left = 0;
			s->need = s->size + 4; /* and the masking key */
			s->state = SCAN_HEADER;
			i++;
			break;
		case SCAN_HEADER:
			if (s->size > 0) {
				s->left = s->left << 8 | p[i];
				s->size--;
			}
			i++;
			if (--s->need == 0)
				s->state = s->left > 0 ? SCAN_PAYLOAD :
				                         SCAN_OPCODE;
			break;
		case SCAN_PAYLOAD:
			n = len - i;
			if (n > s->left)
				n = s->left;
			i += (size_t)n;
			s->left -= n;
			if (s->left == 0)
				s->state = SCAN_OPCODE;
			break;
		}
	}
	return len;
}
