/* polyarea.c - a GeoJSON polygon as the WKB of an area (polyarea.h). */
#include "polyarea.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jv.h>

#include "geojson.h"
#include "strictjson.h"
#include "wkb.h"

/* The member 'key' of 'v' (borrowed) is the string 's'. */
static int
is(jv v, const char *key, const char *s)
{
	jv m = jv_object_get(jv_copy(v), jv_string(key));
	int r = jv_get_kind(m) == JV_KIND_STRING &&
	    strcmp(jv_string_value(m), s) == 0;

	jv_free(m);
	return r;
}

/* The geometry 'v' (consumed) names, with its path; or invalid. */
static jv
geometry(jv v, const char **path)
{
	*path = "";
	if (jv_get_kind(v) == JV_KIND_OBJECT &&
	    is(v, "type", "FeatureCollection")) {
		jv f = jv_object_get(v, jv_string("features"));

		if (jv_get_kind(f) != JV_KIND_ARRAY ||
		    jv_array_length(jv_copy(f)) != 1) {
			jv_free(f);
			return jv_invalid();
		}
		v = jv_array_get(f, 0);
		*path = "features[0].";
	}
	if (jv_get_kind(v) == JV_KIND_OBJECT && is(v, "type", "Feature")) {
		*path = **path ? "features[0].geometry" : "geometry";
		return jv_object_get(v, jv_string("geometry"));
	}
	return v;
}

int
polyarea_wkb(struct buf *wkb, const char *text, size_t len, char *err,
    size_t errlen)
{
	const char *path;
	char why[256];
	jv g;

	if (strictjson_check(text, len, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "not JSON: %s", why);
		errno = EINVAL;
		return -1;
	}
	g = geometry(jv_parse_sized(text, (int)len), &path);
	if (!jv_is_valid(g) || jv_get_kind(g) != JV_KIND_OBJECT ||
	    !(is(g, "type", "Polygon") || is(g, "type", "MultiPolygon"))) {
		jv_free(g);
		snprintf(err, errlen,
		    "expected a Polygon or MultiPolygon, or a Feature with "
		    "one");
		errno = EINVAL;
		return -1;
	}
	g = geojson_validate(g, path, why, sizeof(why));
	if (!jv_is_valid(g)) {
		jv_free(g);
		snprintf(err, errlen, "%s", why);
		errno = EINVAL;
		return -1;
	}
	if (wkb_from_geojson(wkb, g) == -1) {
		jv_free(g);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	jv_free(g);
	return 0;
}
