/*
 * clustermsg-driver.c - the cluster codec on a line protocol, so that
 * tests/node/clustermsg-vectors.js --live can check it against the
 * installed redis adapter, notepack.io and socket.io.  A test program.
 *
 * Reads one command a line on standard input and writes one line of JSON
 * for each on standard output:
 *   B <hex>   decode a broadcast payload: {"ok", "summary", "reencoded",
 *             "textsummary", "resummary"} (cmsummary.h), the last two
 *             with numbers as room names, before and after encoding back
 *   R <hex>   parse a request or response: {"ok", "summary", "rebuilt"}
 *   E <json>  encode {uid, nsp, json, att: [hex], rooms, except} as a
 *             broadcast: {"ok", "hex"}
 * A refusal is {"ok": false, "reason"}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustermsg.h"
#include "cmsummary.h"
#include "jsonv.h"
#include "mpjson.h"

#define MAX (64u << 20)

static void
reply(jv v)
{
	struct buf b;

	buf_init(&b, SIZE_MAX);
	if (mpjson_put_jv_json(&b, v) == -1)
		abort();
	jv_free(v);
	printf("%.*s\n", (int)b.len, b.data);
	fflush(stdout);
	buf_release(&b);
}

static jv
refused(const char *why)
{
	return jv_object_set(jv_object_set(jv_object(), jv_string("ok"),
	                         jv_false()),
	    jv_string("reason"), jv_string(why));
}

static jv
ok(void)
{
	return jv_object_set(jv_object(), jv_string("ok"), jv_true());
}

/* Takes a malloc'd string as a jv string. */
static jv
take(char *s)
{
	jv v = jv_string(s);

	free(s);
	return v;
}

static jv
broadcast(const struct buf *in)
{
	struct clustermsg_bcast m, m2;
	struct buf out;
	char err[256];
	jv r;

	clustermsg_bcast_init(&m, MAX);
	clustermsg_bcast_init(&m2, MAX);
	buf_init(&out, MAX);
	if (clustermsg_decode(&m, in->data, in->len, err, sizeof(err)) == -1) {
		r = refused(err);
		goto out;
	}
	r = jv_object_set(ok(), jv_string("summary"),
	    take(cmsummary_bcast(&m, 0)));
	if (cmsummary_reencode(&m, &out, err, sizeof(err)) == -1) {
		jv_free(r);
		r = refused(err);
		goto out;
	}
	r = jv_object_set(r, jv_string("reencoded"),
	    take(cmsummary_hex(out.data, out.len)));
	r = jv_object_set(r, jv_string("textsummary"),
	    take(cmsummary_bcast(&m, 1)));
	if (clustermsg_decode(&m2, out.data, out.len, err, sizeof(err)) == -1)
		r = jv_object_set(r, jv_string("resummary"), jv_string(err));
	else
		r = jv_object_set(r, jv_string("resummary"),
		    take(cmsummary_bcast(&m2, 1)));
out:
	buf_release(&out);
	clustermsg_bcast_release(&m2);
	clustermsg_bcast_release(&m);
	return r;
}

static jv
request(const struct buf *in)
{
	struct clustermsg_req q;
	struct buf out;
	char err[256];
	jv r;

	clustermsg_req_init(&q, MAX);
	buf_init(&out, MAX);
	if (clustermsg_req_parse(&q, in->data, in->len, err, sizeof(err)) ==
	    -1) {
		r = refused(err);
		goto out;
	}
	r = jv_object_set(ok(), jv_string("summary"), take(cmsummary_req(&q)));
	if (cmsummary_rebuild(&q, &out) == 0)
		r = jv_object_set(r, jv_string("rebuilt"),
		    take(cmsummary_hex(out.data, out.len)));
	else
		r = jv_object_set(r, jv_string("rebuilt"), jv_null());
out:
	buf_release(&out);
	clustermsg_req_release(&q);
	return r;
}

/* A string member of 'spec', borrowed from it. */
static const char *
field(jv spec, const char *key, size_t *len)
{
	jv v = jv_object_get(jv_copy(spec), jv_string(key));
	const char *s = "";

	*len = 0;
	if (jv_get_kind(v) == JV_KIND_STRING) {
		s = jv_string_value(v);
		*len = (size_t)jv_string_length_bytes(jv_copy(v));
	}
	jv_free(v);
	return s;
}

static jv
encode(const char *text)
{
	struct clustermsg_emit e;
	struct iovec att[SIO_ATTACHMENTS_MAX];
	struct buf bins[SIO_ATTACHMENTS_MAX], out;
	char err[256];
	unsigned n = 0;
	jv spec, list, r;

	if (jsonv_parse(text, strlen(text), 200, 0, &spec) == -1)
		return refused("bad spec");
	memset(&e, 0, sizeof(e));
	e.uid = field(spec, "uid", &e.uid_len);
	e.nsp = field(spec, "nsp", &e.nsp_len);
	e.json = field(spec, "json", &e.json_len);
	list = jv_object_get(jv_copy(spec), jv_string("att"));
	if (jv_get_kind(list) == JV_KIND_ARRAY) {
		jv_array_foreach(list, i, h)
		{
			if (n < SIO_ATTACHMENTS_MAX) {
				buf_init(&bins[n], MAX);
				cmsummary_unhex(jv_string_value(h), &bins[n]);
				att[n].iov_base = bins[n].data;
				att[n].iov_len = bins[n].len;
				n++;
			}
			jv_free(h);
			(void)i;
		}
	}
	jv_free(list);
	e.att = att;
	e.natt = n;
	buf_init(&out, MAX);
	if (clustermsg_encode(&out, &e, err, sizeof(err)) == -1)
		r = refused(err);
	else
		r = jv_object_set(ok(), jv_string("hex"),
		    take(cmsummary_hex(out.data, out.len)));
	buf_release(&out);
	for (unsigned i = 0; i < n; i++)
		buf_release(&bins[i]);
	jv_free(spec);
	return r;
}

int
main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct buf in;

	buf_init(&in, MAX);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len < 2) {
			reply(refused("no command"));
			continue;
		}
		if (line[0] == 'E') {
			reply(encode(line + 2));
			continue;
		}
		if (cmsummary_unhex(line + 2, &in) == -1) {
			reply(refused("bad hex"));
			continue;
		}
		if (line[0] == 'B')
			reply(broadcast(&in));
		else if (line[0] == 'R')
			reply(request(&in));
		else
			reply(refused("unknown command"));
	}
	free(line);
	buf_release(&in);
	return 0;
}
