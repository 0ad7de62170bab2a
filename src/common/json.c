/*
 * json.c - JSON text as RFC 8259 defines it, and nothing laxer.
 * Owns: strict syntax checking of a document, and a small pull scanner over
 * a buffer for reading one in place.  Pure: no I/O, no allocation, no globals.
 *
 * The codec cannot leave this to libjq: jq 1.6 also takes what JSON.parse
 * refuses ("nan", "01", "+1", ".5", a byte order mark, invalid UTF-8) and
 * leaks on some inputs.  Text the hub relays as sent must be JSON that
 * every client's decoder takes, and the open packet is read without
 * allocating, so both are checked here, before or instead of libjq.
 */
#include "json.h"

#include <errno.h>
#include <string.h>

/* Every syntax error ends here, so that each one sets errno. */
static int
invalid(void)
{
	errno = EINVAL;
	return -1;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Length of the well-formed UTF-8 sequence at 'p', or 0 with *bad set to
 * the length of its maximal subpart, which a decoder replaces by one
 * U+FFFD (Unicode 15, section 3.9; the WHATWG Encoding Standard).
 */
size_t
json_utf8_seq(const unsigned char *p, const unsigned char *end, size_t *bad)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		if (bad != NULL)
			*bad = 1;
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (p + i >= end || p[i] < lo || p[i] > hi) {
			if (bad != NULL)
				*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

int
json_utf8_check(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;

	while (p < end) {
		size_t n;

		if ((n = json_utf8_seq(p, end, NULL)) == 0)
			return invalid();
		p += n;
	}
	return 0;
}

int
json_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
json_scan_init(struct json_scan *s, const char *text, size_t len)
{
	s->p = (const unsigned char *)text;
	s->end = s->p + len;
}

int
json_scan_peek(const struct json_scan *s)
{
	return s->p < s->end ? *s->p : -1;
}

void
json_scan_skip_space(struct json_scan *s)
{
	while (s->p < s->end && json_is_space(*s->p))
		s->p++;
}

int
json_scan_take(struct json_scan *s, int c)
{
	if (s->p == s->end || *s->p != c)
		return 0;
	s->p++;
	return 1;
}

int
json_scan_read_string(struct json_scan *s, const char **str, size_t *len)
{
	const unsigned char *start;

	if (!json_scan_take(s, '"'))
		return invalid();
	for (start = s->p; s->p < s->end;) {
		unsigned char c = *s->p;
		size_t n;

		if (c == '"')
			break;
		if (c < 0x20)
			return invalid();
		if (c != '\\') {
			if ((n = json_utf8_seq(s->p, s->end, NULL)) == 0)
				return invalid();
			s->p += n;
			continue;
		}
		if (s->end - s->p < 2)
			return invalid();
		c = s->p[1];
		if (c == 'u') {
			/* Lone surrogates pass: see json_check in json.h. */
			if (s->end - s->p < 6)
				return invalid();
			for (int i = 2; i < 6; i++) {
				if (!is_hex(s->p[i]))
					return invalid();
			}
			s->p += 6;
		} else if (c == '"' || c == '\\' || c == '/' || c == 'b' ||
		    c == 'f' || c == 'n' || c == 'r' || c == 't') {
			s->p += 2;
		} else {
			return invalid();
		}
	}
	if (s->p == s->end)
		return invalid();
	if (str != NULL)
		*str = (const char *)start;
	if (len != NULL)
		*len = (size_t)(s->p - start);
	s->p++;
	return 0;
}

/* Steps over digits; returns how many. */
static size_t
skip_digits(struct json_scan *s)
{
	const unsigned char *start = s->p;

	while (s->p < s->end && is_digit(*s->p))
		s->p++;
	return (size_t)(s->p - start);
}

int
json_scan_skip_number(struct json_scan *s)
{
	json_scan_take(s, '-');
	if (!json_scan_take(s, '0') && skip_digits(s) == 0)
		return invalid();
	if (json_scan_take(s, '.') && skip_digits(s) == 0)
		return invalid();
	if (json_scan_take(s, 'e') || json_scan_take(s, 'E')) {
		if (!json_scan_take(s, '+'))
			json_scan_take(s, '-');
		if (skip_digits(s) == 0)
			return invalid();
	}
	return 0;
}

int
json_scan_read_uint(struct json_scan *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (json_scan_peek(s) == '-') {
		errno = json_scan_skip_number(s) == 0 ? ERANGE : EINVAL;
		return -1;
	}
	if (!is_digit(json_scan_peek(s)) ||
	    (*s->p == '0' && s->end - s->p > 1 && is_digit(s->p[1])))
		return invalid();
	for (; s->p < s->end && is_digit(*s->p); s->p++) {
		unsigned d = (unsigned)(*s->p - '0');

		if (d > max || v > (max - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
		return invalid();
	*out = v;
	return 0;
}

static int
skip_word(struct json_scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return invalid();
	s->p += n;
	return 0;
}

/* The array or object at the cursor, holding at most 'max_depth' levels. */
static int
skip_container(struct json_scan *s, int max_depth)
{
	int close = *s->p == '[' ? ']' : '}';

	if (max_depth <= 0)
		return invalid();
	s->p++;
	json_scan_skip_space(s);
	if (json_scan_take(s, close))
		return 0;
	do {
		json_scan_skip_space(s);
		if (close == '}') {
			if (json_scan_read_string(s, NULL, NULL) == -1)
				return -1;
			json_scan_skip_space(s);
			if (!json_scan_take(s, ':'))
				return invalid();
			json_scan_skip_space(s);
		}
		if (json_scan_skip_value(s, max_depth - 1) == -1)
			return -1;
		json_scan_skip_space(s);
	} while (json_scan_take(s, ','));
	return json_scan_take(s, close) ? 0 : invalid();
}

int
json_scan_skip_value(struct json_scan *s, int max_depth)
{
	switch (json_scan_peek(s)) {
	case -1:
		return invalid();
	case '"':
		return json_scan_read_string(s, NULL, NULL);
	case '[':
	case '{':
		return skip_container(s, max_depth);
	case 't':
		return skip_word(s, "true");
	case 'f':
		return skip_word(s, "false");
	case 'n':
		return skip_word(s, "null");
	default:
		return json_scan_skip_number(s);
	}
}

static unsigned
hex4(const unsigned char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			v |= c - 'A' + 10;
	}
	return v;
}

static size_t
utf8_put(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
json_unescape(const char *text, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	unsigned char *o = (unsigned char *)out;
	unsigned char tmp[4];
	size_t n = 0, k;

	while (p < end) {
		unsigned u;
		unsigned char c;

		if (*p != '\\') {
			if (o != NULL)
				o[n] = *p;
			n++;
			p++;
			continue;
		}
		switch (p[1]) {
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			u = hex4(p + 2);
			if (u >= 0xd800 && u <= 0xdbff && end - p >= 12 &&
			    p[6] == '\\' && p[7] == 'u' &&
			    hex4(p + 8) >= 0xdc00 && hex4(p + 8) <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (hex4(p + 8) - 0xdc00);
				p += 6;
			} else if (u >= 0xd800 && u <= 0xdfff) {
				u = 0xfffd;
			}
			k = utf8_put(o != NULL ? o + n : tmp, u);
			n += k;
			p += 6;
			continue;
		default: /* " \ / */
			c = p[1];
			break;
		}
		if (o != NULL)
			o[n] = c;
		n++;
		p += 2;
	}
	return n;
}

int
json_check(const char *text, size_t len, int max_depth)
{
	struct json_scan s;

	json_scan_init(&s, text, len);
	json_scan_skip_space(&s);
	if (json_scan_skip_value(&s, max_depth) == -1)
		return -1;
	json_scan_skip_space(&s);
	return s.p == s.end ? 0 : invalid();
}
