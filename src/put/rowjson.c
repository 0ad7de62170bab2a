/* rowjson.c - a stored row as the JSON text of a Feature (rowjson.h). */
#include "rowjson.h"

#include <errno.h>
#include <string.h>

#include "stamp.h"
#include "wkb.h"

int
rowjson_compact(struct buf *out, const char *s, size_t n)
{
	size_t from = 0;
	int in_string = 0;

	if (s == NULL)
		return buf_appends(out, "null");
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == ' ' || ch == '\n' || ch == '\t' ||
		    ch == '\r') {
			if (buf_append(out, s + from, i - from) == -1)
				return -1;
			from = i + 1;
		}
	}
	return from < n ? buf_append(out, s + from, n - from) : 0;
}

int
rowjson_feature(struct buf *out, const struct rowjson *r, size_t *props_at,
    size_t *props_len)
{
	char stamp[STAMP_TEXT_MAX], id[LOCID_JSON_MAX];
	size_t at;

	stamp_format(r->time, stamp);
	if (buf_appends(out, "{\"type\":\"Feature\",\"id\":") == -1 ||
	    buf_append(out, id, locid_json(r->id, id)) == -1 ||
	    buf_appends(out, ",\"geometry\":") == -1 ||
	    wkb_geojson(out, r->wkb, r->wkb_len) == -1 ||
	    buf_appends(out, ",\"properties\":") == -1)
		return -1;
	at = out->len;
	if (rowjson_compact(out, r->props, r->props_len) == -1)
		return -1;
	if (props_at != NULL)
		*props_at = at;
	if (props_len != NULL)
		*props_len = out->len - at;
	if (buf_appends(out, ",\"userId\":") == -1 ||
	    (r->user != NULL ? buf_append(out, r->user, r->user_len) :
	                       buf_appends(out, "null")) == -1 ||
	    buf_appends(out, ",\"updated_at\":\"") == -1 ||
	    buf_appends(out, stamp) == -1 || buf_appends(out, "\"") == -1)
		return -1;
	if (r->extra != NULL &&
	    (buf_appends(out, ",") == -1 || buf_appends(out, r->extra) == -1))
		return -1;
	return buf_appends(out, "}");
}
