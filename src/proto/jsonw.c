/* jsonw.c - a JSON object written member by member (see jsonw.h). */
#include "jsonw.h"

#include <errno.h>
#include <string.h>

#include "jsnum.h"
#include "mpjson.h"

void
jsonw_begin(struct jsonw *w, struct buf *out)
{
	w->out = out;
	w->start = out->len;
	w->n = 0;
	w->rc = buf_append(out, "{", 1);
}

void
jsonw_raw(struct jsonw *w, const char *s)
{
	if (w->rc == 0)
		w->rc = buf_appends(w->out, s);
}

void
jsonw_rawn(struct jsonw *w, const char *s, size_t len)
{
	if (w->rc == 0)
		w->rc = buf_append(w->out, s, len);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	if (w->n++ > 0)
		jsonw_raw(w, ",");
	jsonw_raw(w, "\"");
	jsonw_raw(w, key);
	jsonw_raw(w, "\":");
}

void
jsonw_str(struct jsonw *w, const char *s, size_t len)
{
	if (w->rc == 0)
		w->rc = mpjson_put_json_string(w->out, s, len);
}

void
jsonw_num(struct jsonw *w, double d)
{
	char num[32];

	jsnum_format(d, num, sizeof(num));
	jsonw_raw(w, num);
}

void
jsonw_jv(struct jsonw *w, jv v)
{
	if (w->rc == 0)
		w->rc = mpjson_put_jv_json(w->out, v);
}

void
jsonw_strings(struct jsonw *w, const struct iovec *v, size_t n)
{
	if (n > 0 && v == NULL && w->rc == 0) {
		errno = EINVAL;
		w->rc = -1;
	}
	jsonw_raw(w, "[");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			jsonw_raw(w, ",");
		jsonw_str(w, v[i].iov_base, v[i].iov_len);
	}
	jsonw_raw(w, "]");
}

void
jsonw_inner(struct jsonw *w, const struct jsonw *inner)
{
	if (w->rc == 0)
		w->rc = inner->rc;
}

int
jsonw_end(struct jsonw *w)
{
	jsonw_raw(w, "}");
	if (w->rc == -1) {
		int e = errno;

		if (w->out->data != NULL) {
			w->out->len = w->start;
			w->out->data[w->start] = '\0';
		}
		errno = e;
	}
	return w->rc;
}
