/* fence.c - a geofence in and out (see fence.h). */
#include "fence.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "geojson.h"
#include "json.h"
#include "stamp.h"
#include "strictjson.h"
#include "wkb.h"

/* True when 'type' (borrowed) is a kind of area a fence may be. */
static int
area_type(jv geometry)
{
	jv t;
	int ok;

	if (jv_get_kind(geometry) != JV_KIND_OBJECT)
		return 0;
	t = jv_object_get(jv_copy(geometry), jv_string("type"));
	ok = jv_get_kind(t) == JV_KIND_STRING &&
	    (strcmp(jv_string_value(t), "Polygon") == 0 ||
	        strcmp(jv_string_value(t), "MultiPolygon") == 0);
	jv_free(t);
	return ok;
}

/* The "type" of object 'v' (borrowed), or "". */
static const char *
type_of(jv v, char *buf, size_t len)
{
	jv t = jv_get_kind(v) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(v), jv_string("type")) :
	    jv_invalid();

	snprintf(buf, len, "%s",
	    jv_get_kind(t) == JV_KIND_STRING ? jv_string_value(t) : "");
	jv_free(t);
	return buf;
}

int
fence_check_name(const char *name, size_t len, char *err, size_t errlen)
{
	if (len == 0 || len > FENCE_NAME_MAX ||
	    memchr(name, '\0', len) != NULL ||
	    json_utf8_check(name, len) != 0) {
		snprintf(err, errlen,
		    "a name is 1 to %d bytes of UTF-8, without NUL",
		    FENCE_NAME_MAX);
		return -1;
	}
	return 0;
}

jv
fence_read(const char *text, size_t len, jv *name, char *err, size_t errlen)
{
	char type[64];
	const char *path = "";
	jv v, g;

	*name = jv_null();
	if (strictjson_check(text, len, err, errlen) == -1)
		return jv_invalid();
	v = jv_parse_sized(text, (int)len);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);

		snprintf(err, errlen, "not JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
		                                         "?");
		jv_free(msg);
		return jv_invalid();
	}
	type_of(v, type, sizeof(type));
	if (strcmp(type, "Feature") == 0) {
		jv props = jv_object_get(jv_copy(v), jv_string("properties"));
		jv n = jv_get_kind(props) == JV_KIND_OBJECT ?
		    jv_object_get(props, jv_string("name")) :
		    (jv_free(props), jv_null());

		if (jv_get_kind(n) == JV_KIND_STRING) {
			if (fence_check_name(jv_string_value(n),
			        (size_t)jv_string_length_bytes(jv_copy(n)),
			        err, errlen) == -1) {
				jv_free(n);
				jv_free(v);
				return jv_invalid();
			}
			*name = n;
		} else {
			jv_free(n);
		}
		g = jv_object_get(v, jv_string("geometry"));
		path = "geometry";
	} else {
		g = v;
	}
	if (!area_type(g)) {
		snprintf(err, errlen,
		    "%s%sexpected a Polygon or MultiPolygon%s, got %s", path,
		    *path ? ": " : "", *path ? "" : " or a Feature of one",
		    jv_get_kind(g) == JV_KIND_OBJECT ?
		        (*type_of(g, type, sizeof(type)) ? type : "no type") :
		        jv_kind_name(jv_get_kind(g)));
		jv_free(g);
		jv_free(*name);
		*name = jv_null();
		return jv_invalid();
	}
	g = geojson_validate(g, path, err, errlen);
	if (!jv_is_valid(g)) {
		jv_free(*name);
		*name = jv_null();
	}
	return g;
}

/* Appends 's'; 0 or -1. */
static int
add(struct buf *b, const char *s)
{
	return buf_appends(b, s);
}

int
fence_feature(struct buf *out, const struct locid *id, const char *name,
    size_t name_len, const unsigned char *wkb, size_t wkb_len,
    int64_t created_at)
{
	char json[LOCID_JSON_MAX], stamp[STAMP_TEXT_MAX];
	jv n;
	int r;

	if (add(out, "{\"type\":\"Feature\",\"id\":") == -1 ||
	    buf_append(out, json, locid_json(id, json)) == -1 ||
	    add(out, ",\"geometry\":") == -1 ||
	    wkb_geojson(out, wkb, wkb_len) == -1 ||
	    add(out, ",\"properties\":{\"name\":") == -1)
		return -1;
	n = name != NULL ?
	    jv_dump_string(jv_string_sized(name, (int)name_len), 0) :
	    jv_string("null");
	r = add(out, jv_string_value(n));
	jv_free(n);
	stamp_format(created_at, stamp);
	if (r == -1 || add(out, ",\"created_at\":\"") == -1 ||
	    add(out, stamp) == -1 || add(out, "\"}}") == -1)
		return -1;
	return 0;
}
