/*
 * json.h - JSON text as RFC 8259 defines it, and nothing laxer.
 * Owns: strict syntax checking of a document, and a small pull scanner over
 * a buffer for reading one in place.  Pure: no I/O, no allocation, no globals.
 */
#ifndef GEOROOM_JSON_H
#define GEOROOM_JSON_H

#include <stddef.h>
#include <stdint.h>

/*
 * A cursor over JSON text that the caller owns and keeps alive: 'p' is the
 * next byte to read, 'end' is one past the last.  Read it through the
 * functions below.  After one fails, 'p' is somewhere inside the text:
 * start over rather than read on.
 */
struct json_scan {
	const unsigned char *p;
	const unsigned char *end;
};

/*
 * Returns 0 when the 'len' bytes at 'text' are exactly one JSON value, with
 * optional whitespace around it, holding at most 'max_depth' nested arrays
 * and objects; otherwise -1 with errno set to EINVAL.  Strings must be
 * well-formed UTF-8.  An escaped lone surrogate ("\ud800") passes, as the
 * grammar allows it (RFC 8259, section 8.2) and JSON.parse takes it.
 */
int json_check(const char *text, size_t len, int max_depth);

/*
 * Returns 0 when the 'len' bytes at 'text' are well-formed UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF), else -1 with
 * errno set to EINVAL.
 */
int json_utf8_check(const char *text, size_t len);

/*
 * Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF) at 'p', before 'end', or 0 with
 * *bad (unless NULL) set to the length of its maximal subpart, which a
 * decoder replaces by one U+FFFD (Unicode 15, section 3.9).
 */
size_t json_utf8_seq(const unsigned char *p, const unsigned char *end,
    size_t *bad);

/* True when 'c' is JSON whitespace: space, tab, line feed, carriage return. */
int json_is_space(int c);

/* Points 's' at the 'len' bytes at 'text' (borrowed). */
void json_scan_init(struct json_scan *s, const char *text, size_t len);

/* The next byte, not consumed, or -1 at the end. */
int json_scan_peek(const struct json_scan *s);

/* Steps over any whitespace. */
void json_scan_skip_space(struct json_scan *s);

/* True when the next byte is 'c', which it then steps over. */
int json_scan_take(struct json_scan *s, int c);

/*
 * Steps over the string at the cursor.  Unless they are NULL, *str and
 * *len receive its text between the quotes as written, escapes unresolved
 * (borrowed from the buffer).  Returns 0, or -1 with errno set to EINVAL
 * when no well-formed string is there.
 */
int json_scan_read_string(struct json_scan *s, const char **str, size_t *len);

/*
 * Resolves the escapes of a string's text as written between its quotes
 * (as json_scan_read_string() gives it, checked) into 'out', which needs
 * at most 'len' bytes since no escape grows; with 'out' NULL, only counts.
 * Returns the length.  An escaped lone surrogate, which UTF-8 cannot
 * carry, becomes U+FFFD, as jq, Buffer.write() and TextEncoder make it;
 * "\u0000" is a NUL byte.
 */
size_t json_unescape(const char *text, size_t len, char *out);

/*
 * Steps over the number at the cursor.  Returns 0, or -1 with errno set to
 * EINVAL when no well-formed number is there.
 */
int json_scan_skip_number(struct json_scan *s);

/*
 * Reads the number at the cursor into *out when it is an integer from 0 to
 * 'max' written as plain digits, as JSON.stringify writes any integer below
 * 10^21.  Returns 0, or -1 with errno set to ERANGE when the number is
 * negative or above 'max', or to EINVAL when it has a fraction or an
 * exponent, a leading zero, or is no number.
 */
int json_scan_read_uint(struct json_scan *s, uint64_t max, uint64_t *out);

/*
 * Steps over the value at the cursor, which may hold at most 'max_depth'
 * nested arrays and objects.  Returns 0, or -1 with errno set to EINVAL
 * when no well-formed value is there.
 */
int json_scan_skip_value(struct json_scan *s, int max_depth);

#endif
