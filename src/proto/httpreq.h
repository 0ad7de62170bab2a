/*
 * httpreq.h - the head of an HTTP/1.x request, as a small responder needs
 * it: the request line's method, path and query, checked, and where the
 * head ends.
 * Owns: nothing; the result points into the caller's bytes.  Reads no
 * header's value (a responder of a few fixed pages needs none) but checks
 * that each header line is one (RFC 9112: a name, a colon, no folding).
 * Pure: no I/O, no allocation.
 */
#ifndef GEOROOM_HTTPREQ_H
#define GEOROOM_HTTPREQ_H

#include <stddef.h>

enum httpreq_status {
	HTTPREQ_PARTIAL, /* no end of head yet: read more */
	HTTPREQ_DONE,    /* a whole head, parsed */
	HTTPREQ_BAD,     /* not an HTTP/1.x request head: 400 */
	HTTPREQ_TOO_BIG, /* no end within the most allowed: 431 */
};

struct httpreq {
	const char *method; /* borrowed from the bytes parsed, as are */
	size_t method_len;
	const char *path; /* the target up to '?' */
	size_t path_len;
	const char *query; /* after '?', NULL when none */
	size_t query_len;
	int minor;       /* HTTP/1.<minor>: 0 or 1 */
	size_t head_len; /* bytes of the head, its empty line included */
};

/*
 * Parses the head at the start of the 'len' bytes at 'p', of which at
 * most 'max' may make the head.  Lines end with CRLF or a bare LF (RFC
 * 9112 section 2.2 lets a server accept it).  The target must be in
 * origin form ("/path?query"), with no byte below 0x21 nor 0x7f; the
 * method a token.  A request line that cannot become one is refused
 * before its end arrives.  Fills 'r' on HTTPREQ_DONE only.  Bytes after the head
 * (a body) are the caller's affair.
 */
enum httpreq_status httpreq_parse(struct httpreq *r, const char *p, size_t len,
    size_t max);

/* Whether the method of 'r' is 'm' (case-sensitive, as the RFC says). */
int httpreq_method_is(const struct httpreq *r, const char *m);

#endif
