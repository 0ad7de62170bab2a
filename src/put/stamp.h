/*
 * stamp.h - a record's own time, and the database's: microseconds since
 * the epoch (UTC), read from RFC 3339 text or epoch seconds or
 * milliseconds, written back as RFC 3339 and split for the server.
 * Pure: no I/O, no time zone but UTC, no call to the C library's clock.
 *
 * The range is that of a TIMESTAMP column, the type of updated_at:
 * 1970-01-01T00:00:01Z to 2038-01-19T03:14:07.999999Z.
 */
#ifndef GEOROOM_STAMP_H
#define GEOROOM_STAMP_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

/* The first and last instants a TIMESTAMP holds, in microseconds. */
#define STAMP_MIN 1000000LL
#define STAMP_MAX 2147483647999999LL

/*
 * Epoch numbers below this are seconds, others milliseconds: 1e11 s is
 * in the year 5138, 1e11 ms in 1973.
 */
#define STAMP_MS_FROM 1e11

/* "2038-01-19T03:14:07.999999Z" and its NUL. */
#define STAMP_TEXT_MAX 28

/* A time split into its fields, UTC. */
struct stamp_parts {
	int year, month, day, hour, minute, second;
	long micro;
};

/*
 * Reads a time from 'v' (consumed): a number of seconds or milliseconds
 * since the epoch (STAMP_MS_FROM tells them apart; a fraction is kept to
 * the microsecond), a string of such a number (as protobuf's JSON writes
 * 64-bit integers), or an RFC 3339 string ("2026-11-25T10:00:00Z",
 * "2026-11-25T11:00:00.5+01:00"; a leap second :60 is read as
 * :59.999999, digits past the microsecond are dropped).  Returns 0 with
 * *us set, or -1 with the reason (no field name) in 'err'.
 */
int stamp_from_json(jv v, int64_t *us, char *err, size_t errlen);

/* The same for RFC 3339 text alone, 'n' bytes at 's'. */
int stamp_parse_rfc3339(const char *s, size_t n, int64_t *us, char *err,
    size_t errlen);

/*
 * Reads the server's "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC), 'n' bytes at
 * 's'.  Returns 0, or -1 when it is not that.
 */
int stamp_parse_sql(const char *s, size_t n, int64_t *us);

/* Splits 'us', within the range, into its fields. */
void stamp_split(int64_t us, struct stamp_parts *p);

/* Writes 'us' as "YYYY-MM-DDTHH:MM:SS.ffffffZ". */
void stamp_format(int64_t us, char out[STAMP_TEXT_MAX]);

#endif
