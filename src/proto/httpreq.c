/* httpreq.c - an HTTP/1.x request head: request line, header lines. */
#include "httpreq.h"

#include <string.h>

/* RFC 9110 section 5.6.2: tchar. */
static int
tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* "METHOD SP /target SP HTTP/1.x", 'n' bytes without the line end. */
static int
request_line(struct httpreq *r, const char *s, size_t n)
{
	size_t i = 0, t;

	while (i < n && tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i == n || s[i] != ' ')
		return -1;
	r->method = s;
	r->method_len = i;
	t = ++i;
	while (
	    i < n && (unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f)
		i++;
	if (i == t || i == n || s[i] != ' ' || s[t] != '/')
		return -1;
	r->path = s + t;
	r->path_len = i - t;
	r->query = memchr(r->path, '?', r->path_len);
	if (r->query != NULL) {
		r->query_len = (size_t)(r->path + r->path_len - r->query) - 1;
		r->path_len = (size_t)(r->query - r->path);
		r->query++;
	} else
		r->query_len = 0;
	i++;
	if (n - i != 8 || memcmp(s + i, "HTTP/1.", 7) != 0 ||
	    (s[i + 7] != '0' && s[i + 7] != '1'))
		return -1;
	r->minor = s[i + 7] - '0';
	return 0;
}

/*
 * Whether the 'n' bytes at 's', a request line without its end yet, may
 * still become a good one: so that garbage (a TLS hello, a binary
 * protocol) is refused at once rather than at the deadline.
 */
static int
request_prefix_ok(const char *s, size_t n)
{
	static const char version[] = "HTTP/1.";
	size_t i = 0, v;

	while (i < n && tchar((unsigned char)s[i]))
		i++;
	if (i == n)
		return 1;
	if (i == 0 || s[i] != ' ')
		return 0;
	if (++i == n)
		return 1;
	if (s[i] != '/')
		return 0;
	while (
	    i < n && (unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f)
		i++;
	if (i == n)
		return 1;
	if (s[i++] != ' ')
		return 0;
	for (v = 0; i < n && v < sizeof(version) - 1; i++, v++)
		if (s[i] != version[v])
			return 0;
	if (i == n)
		return 1;
	if (s[i] != '0' && s[i] != '1')
		return 0;
	if (++i == n)
		return 1;
	return s[i] == '\r' && i + 1 == n;
}

/* "name: value", no folding, no NUL nor CR inside. */
static int
header_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i == n || s[i] != ':')
		return -1;
	for (; i < n; i++)
		if (s[i] == '\0' || s[i] == '\r')
			return -1;
	return 0;
}

enum httpreq_status
httpreq_parse(struct httpreq *r, const char *p, size_t len, size_t max)
{
	size_t limit = len < max ? len : max, pos = 0, n;
	struct httpreq got;
	const char *nl;
	int first = 1;

	memset(&got, 0, sizeof(got));
	for (;;) {
		nl = memchr(p + pos, '\n', limit - pos);
		if (nl == NULL && first && !request_prefix_ok(p, limit))
			return HTTPREQ_BAD;
		if (nl == NULL)
			return len >= max ? HTTPREQ_TOO_BIG : HTTPREQ_PARTIAL;
		n = (size_t)(nl - (p + pos));
		if (n > 0 && p[pos + n - 1] == '\r')
			n--;
		if (first) {
			if (request_line(&got, p + pos, n) == -1)
				return HTTPREQ_BAD;
			first = 0;
		} else if (n == 0) {
			got.head_len = (size_t)(nl - p) + 1;
			*r = got;
			return HTTPREQ_DONE;
		} else if (header_line(p + pos, n) == -1)
			return HTTPREQ_BAD;
		pos = (size_t)(nl - p) + 1;
	}
}

int
httpreq_method_is(const struct httpreq *r, const char *m)
{
	size_t n = strlen(m);

	return r->method_len == n && memcmp(r->method, m, n) == 0;
}
