/*
 * jsonv.h - JSON text to libjq values, by RFC 8259 and nothing laxer.
 * Owns: turning one JSON document into a jv.  Pure: no I/O and no globals;
 * it allocates only the value it returns.
 *
 * Why not jv_parse(): jq 1.6 takes what JSON.parse refuses ("nan", "01",
 * invalid UTF-8), turns 1e400 into 1.7976931348623157e+308 without a word,
 * refuses an escaped high surrogate that no low one follows (JSON.parse
 * takes it, and real clients send one when they cut a string inside an
 * emoji), and its error messages read its input as a C string.
 */
#ifndef GEOROOM_JSONV_H
#define GEOROOM_JSONV_H

#include <jq.h>
#include <stddef.h>

/* Refuse numbers beyond a double's range (1e400) rather than keep them. */
#define JSONV_FINITE 0x1

/*
 * Parses the 'len' bytes at 'text', which must be exactly one JSON value
 * with optional whitespace around it, holding at most 'max_depth' nested
 * arrays and objects, into *out (the caller owns it).  Strings are byte
 * strings with their length: "\u0000" stays a byte inside them.  An escaped
 * lone surrogate, which UTF-8 cannot carry, becomes U+FFFD as in jq.  A
 * number too large for a double is infinite, unless 'flags' has
 * JSONV_FINITE.  Duplicate keys keep the last value, as JSON.parse does.
 *
 * Returns 0, or -1 with *out invalid and errno set: EINVAL when the text is
 * no such JSON (a syntax error, invalid UTF-8, too deep), ERANGE when a
 * number is out of range under JSONV_FINITE, ENOMEM.
 */
int jsonv_parse(const char *text, size_t len, int max_depth, unsigned flags,
    jv *out);

/*
 * What was wrong with the 'len' bytes at 'text', which jsonv_parse()
 * refused with errno 'err': a static phrase for a message.
 */
const char *jsonv_problem(int err, const char *text, size_t len);

#endif
