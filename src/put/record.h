/*
 * record.h - location records made from input JSON values.
 * Owns: recognising the input forms (Feature, FeatureCollection, bare
 * geometry, flat {"id","lon","lat"}), checking ids, user ids, times and
 * properties, and filling in command-line defaults.
 * Pure: no I/O, never prints; geometries are checked by geojson.h.
 *
 * Ids: a location id is an integer or a string, as locid.h says.  User
 * ids are integers from 1 to 2^53 - 1, given as JSON numbers or strings of
 * decimal digits without a leading zero.
 */
#ifndef GEOROOM_RECORD_H
#define GEOROOM_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "locid.h"

/* The largest user id: 2^53 - 1. */
#define RECORD_ID_MAX LOCID_INT_MAX

/*
 * Most levels of arrays and objects in the properties, the properties
 * object included.  MariaDB's JSON column is a CHECK (JSON_VALID(...)),
 * and JSON_VALID refuses 32 levels (10.11: 31 nested arrays pass, 32 do
 * not, whatever the innermost holds); MySQL 8 takes up to 100.
 */
#define RECORD_JSON_DEPTH_MAX 31

/* Longest error message kept for one record. */
#define RECORD_ERR_MAX 320

struct record {
	struct locid id; /* id.len 0 in an invalid record */
	jv user;         /* owned: integer number, or null */
	jv geometry;     /* owned: checked and stripped; null if invalid */
	jv properties;   /* owned object; null if invalid */
	int64_t time; /* its own time, microseconds since the epoch; 0: none */
	size_t line;  /* input line the value started on */
	char *error;  /* owned; NULL when valid, else the reason */
};

struct record_vec {
	struct record *v; /* owned */
	size_t n, cap;
};

/*
 * Values filled in where a record has none (--id, --user, --prop), and
 * how records are read (--time-field, --keep-extra).
 */
struct record_defaults {
	struct locid id;        /* id.len 0: none */
	jv user;                /* owned: number or null */
	jv properties;          /* owned object */
	const char *time_field; /* borrowed: the member holding the time */
	int keep_extra; /* a flat record's other members are properties */
};

/* The member a record's own time is read from, unless told otherwise. */
#define RECORD_TIME_FIELD "time"

void record_defaults_init(struct record_defaults *d);
void record_defaults_release(struct record_defaults *d);

/*
 * Adds one property from "KEY=TEXT" (a string) or "KEY:=JSON" (any JSON
 * value, held to RFC 8259 with finite numbers as strictjson.h says) to
 * 'd'.  KEY and TEXT must be UTF-8.  Returns 0, or -1 with the reason in
 * 'err'.
 */
int record_defaults_prop(struct record_defaults *d, const char *arg, char *err,
    size_t errlen);

void record_vec_init(struct record_vec *rv);
void record_vec_release(struct record_vec *rv);

/*
 * Turns one input value (consumed) into records appended to 'rv': one for
 * a Feature, a bare geometry or a flat object, one per feature of a
 * FeatureCollection (none for an empty one).  A record's time is its
 * member d->time_field, or else that of its properties, read as stamp.h
 * says; a flat record's member of that name is not a property, one of
 * the properties stays one.  Properties must be an
 * object or null, their numbers finite and their depth at most
 * RECORD_JSON_DEPTH_MAX, so that the server stores them as they are and
 * refuses none: one record refused would roll back all of them.  A value
 * that is wrong yields an invalid record whose 'error' names the field,
 * e.g. "features[1].geometry.coordinates[1]: latitude 91 out of range
 * [-90, 90]";
 * the records of a collection are judged one by one.  'd' (borrowed)
 * gives the defaults and 'line' the input line.  Returns the number of
 * invalid records added, or -1 with errno ENOMEM.
 */
int record_parse(struct record_vec *rv, jv value,
    const struct record_defaults *d, size_t line);

/*
 * Removes the invalid records.  Returns how many were removed.
 */
size_t record_vec_drop_invalid(struct record_vec *rv);

/*
 * Reads a user id from 'v' (consumed): an integer number or a decimal
 * string, 1 .. RECORD_ID_MAX.  Returns 0, or -1 with the reason (no field
 * name) in 'err'.
 */
int record_user_id(jv v, uint64_t *out, char *err, size_t errlen);

#endif
