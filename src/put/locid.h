/*
 * locid.h - a location's id: the one place that knows its two forms.
 * Owns: reading an id from JSON or from text, its canonical text (the
 * name of the location's room and its key in the database), whether it is
 * an integer, and how it is written back in JSON.  Pure: no I/O.
 *
 * An id is an integer from 1 to 2^53 - 1, given as a JSON number or as a
 * string of its decimal digits without a leading zero ("42"), or any other
 * string of 1 to 64 bytes of ASCII letters, digits and "._:-" ("B-12",
 * "gtfs:1234", "007").  2^53 - 1 is the largest integer every JSON peer,
 * JavaScript included, holds exactly.  Its text is the integer in decimal
 * or the string itself; two ids are the same when their texts are, so 42
 * and "42" are one id and "007" is not 7.  An integer is written back in
 * JSON as a number, any other id as a string.
 */
#ifndef GEOROOM_LOCID_H
#define GEOROOM_LOCID_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

/* The longest id text, and the largest integer id: 2^53 - 1. */
#define LOCID_MAX 64
#define LOCID_INT_MAX 9007199254740991ULL

/* Bytes that hold an id written in JSON, quotes and NUL included. */
#define LOCID_JSON_MAX (LOCID_MAX + 3)

struct locid {
	uint64_t num; /* the integer, or 0 when the id is a string */
	size_t len;   /* bytes of text; 0 in an id not set */
	char text[LOCID_MAX + 1];
};

/*
 * Reads an id from 'v' (consumed): a number, or a string.  Returns 0, or
 * -1 with the reason (no field name) in 'err'.
 */
int locid_from_json(jv v, struct locid *id, char *err, size_t errlen);

/* The same from 'n' bytes of text at 's', as a string in JSON would be. */
int locid_from_text(const char *s, size_t n, struct locid *id, char *err,
    size_t errlen);

/* True when 'id' is an integer id. */
int locid_is_int(const struct locid *id);

/* Orders ids by their text; 0 when they are the same id. */
int locid_cmp(const struct locid *a, const struct locid *b);

/*
 * Writes 'id' as JSON into 'out': 42, or "B-12" (no byte of an id needs
 * escaping).  Returns the length written.
 */
size_t locid_json(const struct locid *id, char out[LOCID_JSON_MAX]);

#endif
