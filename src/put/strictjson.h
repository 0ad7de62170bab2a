/*
 * strictjson.h - input JSON text held to RFC 8259, numbers to doubles.
 * Owns: telling where in one value's text libjq's parser was laxer than
 * JSON (nan, 01, invalid UTF-8 in a string) or read a number no double
 * holds (1e400, which libjq turns into infinity or DBL_MAX), as the path
 * of the field.  Pure: no I/O; reads the text in place with json.h.
 *
 * To fold into common/json.h once it checks numbers for range itself.
 */
#ifndef GEOROOM_STRICTJSON_H
#define GEOROOM_STRICTJSON_H

#include <stddef.h>

/* Deepest nesting of arrays and objects looked into. */
#define STRICTJSON_DEPTH_MAX 512

/*
 * Checks that the 'len' bytes at 'text' are one JSON value (RFC 8259)
 * with optional white space around it, no deeper than STRICTJSON_DEPTH_MAX,
 * whose numbers are all finite as doubles.  Returns 0, or -1 with the
 * first fault in 'err' after the path of its field, as in
 * "properties.speed: number 1e400 is out of range of a double",
 * "properties.name: invalid UTF-8 in a string" or "id: nan is not JSON";
 * errno is EINVAL, or ENOMEM when a long number could not be copied.
 */
int strictjson_check(const char *text, size_t len, char *err, size_t errlen);

#endif
