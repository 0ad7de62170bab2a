/* record.c - location records made from input JSON values. */
#include "record.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "geojson.h"
#include "jsnum.h"
#include "json.h"
#include "stamp.h"
#include "strictjson.h"

#define PATHLEN 128

static const char forms[] = "a Feature, a FeatureCollection, a geometry "
                            "or an {\"id\", \"lon\", \"lat\"} object";

void
record_defaults_init(struct record_defaults *d)
{
	memset(&d->id, 0, sizeof(d->id));
	d->user = jv_null();
	d->properties = jv_object();
	d->time_field = RECORD_TIME_FIELD;
	d->keep_extra = 0;
}

void
record_defaults_release(struct record_defaults *d)
{
	jv_free(d->user);
	jv_free(d->properties);
	memset(&d->id, 0, sizeof(d->id));
	d->user = jv_null();
	d->properties = jv_null();
}

/* A field path grown and cut back while a value is walked. */
struct walk {
	char path[PATHLEN];
	size_t at;  /* strlen(path) */
	size_t top; /* length of the path of the property, when in one */
	int depth;  /* arrays and objects around the value, properties too */
};

/* Refuses a value nested too deep, naming the property it is in. */
static int
too_deep(const struct walk *w, char *err, size_t errlen)
{
	errbuf_printf(err, errlen,
	    "%.*s: more than %d levels of arrays and objects (the database "
	    "refuses deeper JSON)",
	    (int)(w->top > 0 ? w->top : w->at), w->path,
	    RECORD_JSON_DEPTH_MAX);
	return -1;
}

/*
 * Checks 'v' (borrowed), at w->path, for what JSON text cannot hold and a
 * database would change or refuse: numbers that are not finite, which a
 * jq filter can make (nan, infinite) and libjq writes as null and
 * 1.7976931348623157e+308; and more than RECORD_JSON_DEPTH_MAX levels of
 * arrays and objects.  Returns 0, or -1 with the reason in 'err'.
 */
static int
walk_value(struct walk *w, jv v, char *err, size_t errlen)
{
	size_t at = w->at;
	int r = 0;

	if ((jv_get_kind(v) == JV_KIND_ARRAY ||
	        jv_get_kind(v) == JV_KIND_OBJECT) &&
	    w->depth++ == RECORD_JSON_DEPTH_MAX)
		return too_deep(w, err, errlen);
	switch (jv_get_kind(v)) {
	case JV_KIND_NUMBER: {
		char shown[48];

		if (isfinite(jv_number_value(v)))
			return 0;
		jsnum_format(jv_number_value(v), shown, sizeof(shown));
		errbuf_printf(err, errlen, "%s: not a finite number (%s)",
		    w->path, shown);
		return -1;
	}
	case JV_KIND_ARRAY:
		for (int i = 0, n = jv_array_length(jv_copy(v));
		     r == 0 && i < n; i++) {
			jv x = jv_array_get(jv_copy(v), i);

			errbuf_index_path(w->path + at, sizeof(w->path) - at,
			    "", i);
			w->at = strlen(w->path);
			r = walk_value(w, x, err, errlen);
			jv_free(x);
		}
		break;
	case JV_KIND_OBJECT:
		for (int i = jv_object_iter(v);
		     r == 0 && jv_object_iter_valid(v, i);
		     i = jv_object_iter_next(v, i)) {
			jv k = jv_object_iter_key(v, i);
			jv x = jv_object_iter_value(v, i);

			errbuf_printf(w->path + at, sizeof(w->path) - at,
			    ".%s", jv_string_value(k));
			w->at = strlen(w->path);
			if (w->depth == 1)
				w->top = w->at;
			r = walk_value(w, x, err, errlen);
			jv_free(k);
			jv_free(x);
		}
		break;
	default:
		return 0;
	}
	w->depth--;
	w->at = at;
	w->path[at] = '\0';
	return r;
}

int
record_defaults_prop(struct record_defaults *d, const char *arg, char *err,
    size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char why[RECORD_ERR_MAX];
	struct walk w;
	size_t klen;
	jv value;
	int json;

	if (eq == NULL || eq == arg) {
		errbuf_printf(err, errlen,
		    "expected KEY=TEXT or KEY:=JSON, got "
		    "\"%.60s\"",
		    arg);
		return -1;
	}
	json = eq[-1] == ':';
	klen = (size_t)(eq - arg) - (json ? 1 : 0);
	if (klen == 0) {
		errbuf_printf(err, errlen, "empty property name in \"%.60s\"",
		    arg);
		return -1;
	}
	/* libjq would store U+FFFD in place of bytes that are not UTF-8. */
	if (json_utf8_check(arg, klen) == -1) {
		errbuf_printf(err, errlen, "property name is not UTF-8");
		return -1;
	}
	if (json) {
		value = jv_parse(eq + 1);
		if (!jv_is_valid(value)) {
			jv msg = jv_invalid_get_msg(value);

			errbuf_printf(err, errlen, "%.*s: bad JSON: %s",
			    (int)klen, arg,
			    jv_get_kind(msg) == JV_KIND_STRING ?
			        jv_string_value(msg) :
			        "no value");
			jv_free(msg);
			return -1;
		}
		/* What libjq reads but JSON does not allow (nan, 1e400). */
		if (strictjson_check(eq + 1, strlen(eq + 1), why,
		        sizeof(why)) == -1) {
			jv_free(value);
			errbuf_printf(err, errlen, "%.*s: %s", (int)klen, arg,
			    why);
			return -1;
		}
		/* What the database refuses, inside the properties object. */
		errbuf_printf(w.path, sizeof(w.path), "%.*s", (int)klen, arg);
		w.at = w.top = strlen(w.path);
		w.depth = 1;
		if (walk_value(&w, value, err, errlen) == -1) {
			jv_free(value);
			return -1;
		}
	} else {
		if (json_utf8_check(eq + 1, strlen(eq + 1)) == -1) {
			errbuf_printf(err, errlen, "%.*s: text is not UTF-8",
			    (int)klen, arg);
			return -1;
		}
		value = jv_string(eq + 1);
	}
	d->properties = jv_object_set(d->properties,
	    jv_string_sized(arg, (int)klen), value);
	return 0;
}

void
record_vec_init(struct record_vec *rv)
{
	rv->v = NULL;
	rv->n = rv->cap = 0;
}

static void
record_release(struct record *r)
{
	jv_free(r->user);
	jv_free(r->geometry);
	jv_free(r->properties);
	free(r->error);
}

void
record_vec_release(struct record_vec *rv)
{
	for (size_t i = 0; i < rv->n; i++)
		record_release(&rv->v[i]);
	free(rv->v);
	record_vec_init(rv);
}

/* Makes room for one more record; returns it zeroed, or NULL (ENOMEM). */
static struct record *
grow(struct record_vec *rv)
{
	struct record *r;

	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 64;
		struct record *v;

		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(rv->v, cap * sizeof(*v))) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		rv->v = v;
		rv->cap = cap;
	}
	r = &rv->v[rv->n];
	memset(&r->id, 0, sizeof(r->id));
	r->user = jv_null();
	r->geometry = jv_null();
	r->properties = jv_null();
	r->time = 0;
	r->line = 0;
	r->error = NULL;
	return r;
}

/* Appends an invalid record; returns 1 (one invalid record) or -1. */
static int
add_error(struct record_vec *rv, size_t line, const char *msg)
{
	struct record *r;

	if ((r = grow(rv)) == NULL || (r->error = strdup(msg)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	r->line = line;
	rv->n++;
	return 1;
}

static int add_errorf(struct record_vec *rv, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
add_errorf(struct record_vec *rv, size_t line, const char *fmt, ...)
{
	char msg[RECORD_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return add_error(rv, line, msg);
}

/* Appends a valid record, taking the three values. */
static int
add_record(struct record_vec *rv, size_t line, const struct locid *id,
    int64_t time, jv user, jv geometry, jv properties)
{
	struct record *r;

	if ((r = grow(rv)) == NULL) {
		jv_free(user);
		jv_free(geometry);
		jv_free(properties);
		return -1;
	}
	r->id = *id;
	r->time = time;
	r->user = user;
	r->geometry = geometry;
	r->properties = properties;
	r->line = line;
	rv->n++;
	return 0;
}

int
record_user_id(jv v, uint64_t *out, char *err, size_t errlen)
{
	char shown[48];
	uint64_t id = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_NUMBER: {
		double d = jv_number_value(v);

		if (d >= 1 && d <= (double)RECORD_ID_MAX && d == floor(d)) {
			id = (uint64_t)d;
			break;
		}
		jsnum_format(d, shown, sizeof(shown));
		goto bad;
	}
	case JV_KIND_STRING: {
		const char *s = jv_string_value(v);
		size_t len = strlen(s);

		if (len > 0 && len <= 16 && s[0] != '0' &&
		    strspn(s, "0123456789") == len) {
			for (size_t i = 0; i < len; i++)
				id = id * 10 + (uint64_t)(s[i] - '0');
			if (id <= RECORD_ID_MAX)
				break;
		}
		errbuf_printf(shown, sizeof(shown), "\"%.24s%s\"", s,
		    len > 24 ? "..." : "");
		goto bad;
	}
	default:
		errbuf_printf(shown, sizeof(shown), "%s",
		    jv_kind_name(jv_get_kind(v)));
		goto bad;
	}
	jv_free(v);
	*out = id;
	return 0;
bad:
	jv_free(v);
	errbuf_printf(err, errlen, "must be an integer from 1 to %llu, got %s",
	    (unsigned long long)RECORD_ID_MAX, shown);
	return -1;
}

/*
 * Reads the optional member 'name' of 'o' (borrowed) with 'read', a
 * reader of ids or user ids.  Returns 1 when present, 0 when absent or
 * null, -1 on error (message in 'err', prefixed with the field's path).
 */
static int
optional(jv o, const char *prefix, const char *name,
    int (*read)(jv, void *, char *, size_t), void *out, char *err,
    size_t errlen)
{
	char path[PATHLEN], why[RECORD_ERR_MAX];
	jv v = jv_object_get(jv_copy(o), jv_string(name));

	if (!jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return 0;
	}
	if (read(v, out, why, sizeof(why)) == -1) {
		errbuf_member_path(path, sizeof(path), prefix, name);
		errbuf_printf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	return 1;
}

static int
read_locid(jv v, void *out, char *err, size_t errlen)
{
	return locid_from_json(v, out, err, errlen);
}

static int
read_user(jv v, void *out, char *err, size_t errlen)
{
	return record_user_id(v, out, err, errlen);
}

/* Fills in the id and the user id, from 'o' or the defaults. */
static int
ids(jv o, const char *prefix, const struct record_defaults *d,
    struct locid *id, jv *user, char *err, size_t errlen)
{
	char path[PATHLEN];
	uint64_t u;
	int r;

	if ((r = optional(o, prefix, "id", read_locid, id, err, errlen)) == -1)
		return -1;
	if (r == 0) {
		if (d->id.len == 0) {
			errbuf_member_path(path, sizeof(path), prefix, "id");
			errbuf_printf(err, errlen,
			    "%s: missing (give one in the "
			    "input, or --id)",
			    path);
			return -1;
		}
		*id = d->id;
	}
	if ((r = optional(o, prefix, "userId", read_user, &u, err, errlen)) ==
	    -1)
		return -1;
	*user = r == 1 ? jv_number((double)u) : jv_copy(d->user);
	return 0;
}

/* Checks properties 'p' (borrowed) under 'prefix' with walk_value(). */
static int
check_properties(jv p, const char *prefix, char *err, size_t errlen)
{
	struct walk w;

	errbuf_member_path(w.path, sizeof(w.path), prefix, "properties");
	w.at = strlen(w.path);
	w.top = 0;
	w.depth = 0;
	return walk_value(&w, p, err, errlen);
}

/* Properties of 'o' (borrowed) under the defaults; invalid on error. */
static jv
properties(jv o, const char *prefix, const struct record_defaults *d,
    char *err, size_t errlen)
{
	char path[PATHLEN];
	jv p = jv_object_get(jv_copy(o), jv_string("properties"));

	switch (jv_get_kind(p)) {
	case JV_KIND_INVALID:
	case JV_KIND_NULL:
		jv_free(p);
		return jv_copy(d->properties);
	case JV_KIND_OBJECT:
		if (check_properties(p, prefix, err, errlen) == -1) {
			jv_free(p);
			return jv_invalid();
		}
		return jv_object_merge(jv_copy(d->properties), p);
	default:
		errbuf_member_path(path, sizeof(path), prefix, "properties");
		errbuf_printf(err, errlen,
		    "%s: expected an object or null, got %s", path,
		    jv_kind_name(jv_get_kind(p)));
		jv_free(p);
		return jv_invalid();
	}
}

static int
read_stamp(jv v, void *out, char *err, size_t errlen)
{
	return stamp_from_json(v, out, err, errlen);
}

/*
 * The record's own time: member d->time_field of 'o' (borrowed), or else
 * of its properties; 0 when neither has one.  0, or -1 with the reason.
 */
static int
own_time(jv o, const char *prefix, const struct record_defaults *d, int64_t *t,
    char *err, size_t errlen)
{
	char path[PATHLEN], why[RECORD_ERR_MAX];
	jv p, v;
	int r;

	*t = 0;
	if ((r = optional(o, prefix, d->time_field, read_stamp, t, err,
	         errlen)) != 0)
		return r == 1 ? 0 : -1;
	/* The path is made only for a message: this runs for every record. */
	p = jv_object_get(jv_copy(o), jv_string("properties"));
	v = jv_get_kind(p) == JV_KIND_OBJECT ?
	    jv_object_get(p, jv_string(d->time_field)) :
	    (jv_free(p), jv_invalid());
	if (!jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return 0;
	}
	if (stamp_from_json(v, t, why, sizeof(why)) == 0)
		return 0;
	errbuf_member_path(path, sizeof(path), prefix, "properties");
	errbuf_printf(err, errlen, "%s.%s: %s", path, d->time_field, why);
	return -1;
}

/* One Feature (consumed); 'prefix' is "" or "features[N]". */
static int
feature(struct record_vec *rv, jv f, const char *prefix,
    const struct record_defaults *d, size_t line)
{
	char err[RECORD_ERR_MAX], path[PATHLEN];
	jv user = jv_null(), geom = jv_null(), props = jv_null(), g;
	struct locid id;
	int64_t t;
	int r;

	if (ids(f, prefix, d, &id, &user, err, sizeof(err)) == -1 ||
	    own_time(f, prefix, d, &t, err, sizeof(err)) == -1)
		goto bad;
	g = jv_object_get(jv_copy(f), jv_string("geometry"));
	errbuf_member_path(path, sizeof(path), prefix, "geometry");
	if (!jv_is_valid(g) || jv_get_kind(g) == JV_KIND_NULL) {
		jv_free(g);
		errbuf_printf(err, sizeof(err),
		    "%s: missing (a stored location "
		    "needs a geometry)",
		    path);
		goto bad;
	}
	geom = geojson_validate(g, path, err, sizeof(err));
	if (!jv_is_valid(geom))
		goto bad;
	props = properties(f, prefix, d, err, sizeof(err));
	if (!jv_is_valid(props))
		goto bad;
	jv_free(f);
	return add_record(rv, line, &id, t, user, geom, props);
bad:
	jv_free(f);
	jv_free(user);
	jv_free(geom);
	jv_free(props);
	r = add_error(rv, line, err);
	return r;
}

static int
collection(struct record_vec *rv, jv fc, const struct record_defaults *d,
    size_t line)
{
	jv list = jv_object_get(fc, jv_string("features"));
	int n, bad = 0;

	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		int r = jv_is_valid(list) ?
		    add_errorf(rv, line, "features: expected an array, got %s",
		        jv_kind_name(jv_get_kind(list))) :
		    add_error(rv, line, "features: missing");

		jv_free(list);
		return r;
	}
	n = jv_array_length(jv_copy(list));
	for (int i = 0; i < n; i++) {
		char prefix[PATHLEN];
		jv f = jv_array_get(jv_copy(list), i), type;
		int r;

		errbuf_index_path(prefix, sizeof(prefix), "features", i);
		type = jv_get_kind(f) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(f), jv_string("type")) :
		    jv_invalid();
		if (jv_get_kind(type) != JV_KIND_STRING ||
		    strcmp(jv_string_value(type), "Feature") != 0) {
			r = add_errorf(rv, line,
			    "%s: expected a Feature, got %s", prefix,
			    jv_get_kind(type) == JV_KIND_STRING ?
			        jv_string_value(type) :
			        jv_kind_name(jv_get_kind(f)));
			jv_free(f);
		} else {
			r = feature(rv, f, prefix, d, line);
		}
		jv_free(type);
		if (r == -1) {
			jv_free(list);
			return -1;
		}
		bad += r;
	}
	jv_free(list);
	return bad;
}

static int
bare_geometry(struct record_vec *rv, jv g, const struct record_defaults *d,
    size_t line)
{
	char err[RECORD_ERR_MAX];
	jv geom;

	if (d->id.len == 0) {
		jv_free(g);
		return add_error(rv, line,
		    "id: missing (a bare geometry needs "
		    "--id)");
	}
	geom = geojson_validate(g, "", err, sizeof(err));
	if (!jv_is_valid(geom))
		return add_error(rv, line, err);
	return add_record(rv, line, &d->id, 0, jv_copy(d->user), geom,
	    jv_copy(d->properties));
}

/*
 * Adds the members of 'extra' (consumed) to 'props' (consumed, the
 * defaults and the given properties), over the defaults, under what the
 * record's "properties" (in 'o', borrowed) give.
 */
static jv
keep_extra(jv props, jv extra, jv o)
{
	jv given = jv_object_get(jv_copy(o), jv_string("properties"));
	int has = jv_get_kind(given) == JV_KIND_OBJECT;

	jv_object_foreach(extra, k, v)
	{
		if (has && jv_object_has(jv_copy(given), jv_copy(k))) {
			jv_free(k);
			jv_free(v);
		} else {
			props = jv_object_set(props, k, v);
		}
	}
	jv_free(extra);
	jv_free(given);
	return props;
}

static int
flat(struct record_vec *rv, jv o, const struct record_defaults *d, size_t line)
{
	static const char *const known[] = { "id", "lon", "lat", "userId",
		"properties", NULL };
	static const char *const axis_name[] = { "lon", "lat" };
	char err[RECORD_ERR_MAX];
	jv user = jv_null(), props = jv_null(), coords = jv_array();
	jv extra = jv_object();
	struct locid id;
	int64_t t;

	jv_object_foreach(o, key, value)
	{
		const char *k = jv_string_value(key);
		size_t i;

		for (i = 0; known[i] != NULL && strcmp(k, known[i]) != 0; i++)
			;
		if (known[i] != NULL || strcmp(k, d->time_field) == 0) {
			jv_free(key);
			jv_free(value);
			continue;
		}
		if (d->keep_extra) {
			extra = jv_object_set(extra, key, value);
			continue;
		}
		errbuf_printf(err, sizeof(err),
		    "unknown member \"%.40s\" (a flat record has id, lon, "
		    "lat, userId, properties, %.40s; --keep-extra keeps others "
		    "as properties)",
		    k, d->time_field);
		jv_free(key);
		jv_free(value);
		goto bad;
	}
	for (int a = 0; a < 2; a++) {
		jv v = jv_object_get(jv_copy(o), jv_string(axis_name[a]));

		if (!jv_is_valid(v)) {
			errbuf_printf(err, sizeof(err), "%s: missing",
			    axis_name[a]);
			goto bad;
		}
		if (geojson_check_coord(jv_copy(v), (enum geojson_axis)a,
		        axis_name[a], err, sizeof(err)) == -1) {
			jv_free(v);
			goto bad;
		}
		coords = jv_array_append(coords, v);
	}
	if (ids(o, "", d, &id, &user, err, sizeof(err)) == -1 ||
	    own_time(o, "", d, &t, err, sizeof(err)) == -1)
		goto bad;
	/* Other members, checked as properties are; "properties" wins. */
	if (jv_object_length(jv_copy(extra)) > 0) {
		struct walk w = { .path = "", .at = 0, .top = 0, .depth = 0 };

		if (walk_value(&w, extra, err, sizeof(err)) == -1)
			goto bad;
	}
	props = properties(o, "", d, err, sizeof(err));
	if (!jv_is_valid(props))
		goto bad;
	props = keep_extra(props, extra, o);
	extra = jv_invalid();
	jv_free(o);
	return add_record(rv, line, &id, t, user,
	    jv_object_set(jv_object_set(jv_object(), jv_string("type"),
	                      jv_string("Point")),
	        jv_string("coordinates"), coords),
	    props);
bad:
	jv_free(o);
	jv_free(user);
	jv_free(props);
	jv_free(coords);
	jv_free(extra);
	return add_error(rv, line, err);
}

int
record_parse(struct record_vec *rv, jv value, const struct record_defaults *d,
    size_t line)
{
	jv type;
	int r;

	if (jv_get_kind(value) != JV_KIND_OBJECT) {
		r = add_errorf(rv, line, "expected %s, got %s%s", forms,
		    jv_kind_name(jv_get_kind(value)),
		    jv_get_kind(value) == JV_KIND_ARRAY ?
		        " (for a list, try --jq '.[]')" :
		        "");
		jv_free(value);
		return r;
	}
	type = jv_object_get(jv_copy(value), jv_string("type"));
	if (!jv_is_valid(type)) {
		jv_free(type);
		if (jv_object_has(jv_copy(value), jv_string("lon")) ||
		    jv_object_has(jv_copy(value), jv_string("lat")))
			return flat(rv, value, d, line);
		jv_free(value);
		return add_errorf(rv, line,
		    "expected %s, got an object with "
		    "neither \"type\" nor \"lon\"/\"lat\"",
		    forms);
	}
	if (jv_get_kind(type) != JV_KIND_STRING) {
		r = add_errorf(rv, line, "type: expected a string, got %s",
		    jv_kind_name(jv_get_kind(type)));
		jv_free(type);
		jv_free(value);
		return r;
	}
	if (strcmp(jv_string_value(type), "Feature") == 0)
		r = feature(rv, value, "", d, line);
	else if (strcmp(jv_string_value(type), "FeatureCollection") == 0)
		r = collection(rv, value, d, line);
	else if (geojson_is_geometry_type(jv_string_value(type)))
		r = bare_geometry(rv, value, d, line);
	else {
		r = add_errorf(rv, line,
		    "type: \"%.40s\" is not Feature, "
		    "FeatureCollection or a geometry type",
		    jv_string_value(type));
		jv_free(value);
	}
	jv_free(type);
	return r;
}

size_t
record_vec_drop_invalid(struct record_vec *rv)
{
	size_t w = 0, dropped = 0;

	for (size_t i = 0; i < rv->n; i++) {
		if (rv->v[i].error != NULL) {
			record_release(&rv->v[i]);
			dropped++;
		} else {
			rv->v[w++] = rv->v[i];
		}
	}
	rv->n = w;
	return dropped;
}
