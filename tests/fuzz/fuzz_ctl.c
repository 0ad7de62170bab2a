/*
 * fuzz_ctl.c - libFuzzer target for the control protocol's two parsers:
 * a request line as georoomd reads it and a reply line as a producer
 * reads it.  Each either fills in what ctl.h promises or names a reason;
 * either way everything is released.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
must_be_string_or_absent(jv v)
{
	if (jv_is_valid(v) &&
	    (jv_get_kind(v) != JV_KIND_STRING ||
	        jv_string_length_bytes(jv_copy(v)) == 0))
		abort();
}

static void
request(const char *line, size_t len)
{
	struct ctl_request req;
	char err[256] = "";
	jv id;

	if (ctl_request_parse(line, len, &req, &id, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		/* The error reply carries the id back, as a producer needs. */
		jv_free(ctl_reply_error(err, id));
		ctl_request_release(&req);
		return;
	}
	if (jv_get_kind(req.ns) != JV_KIND_STRING ||
	    jv_string_value(req.ns)[0] != '/')
		abort();
	must_be_string_or_absent(req.room);
	must_be_string_or_absent(req.socket);
	must_be_string_or_absent(req.except);
	if (req.op == CTL_EMIT) {
		if (jv_is_valid(req.room) == jv_is_valid(req.socket) ||
		    jv_get_kind(req.event) != JV_KIND_STRING ||
		    jv_get_kind(req.args) != JV_KIND_ARRAY)
			abort();
	}
	if (req.op == CTL_DISCONNECT && !jv_is_valid(req.socket))
		abort();
	jv_free(id);
	ctl_request_release(&req);
}

static void
reply(const char *line, size_t len)
{
	struct ctl_reply r;

	if (ctl_reply_parse(line, len, &r) == 0) {
		if (r.status != CTL_OK ||
		    jv_get_kind(r.body) != JV_KIND_OBJECT)
			abort();
	} else if (r.status == CTL_OK || r.error[0] == '\0') {
		abort();
	}
	ctl_reply_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	request((const char *)data, size);
	reply((const char *)data, size);
	return 0;
}
