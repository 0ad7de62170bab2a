/*
 * fuzz_record.c - libFuzzer target for geoput's input side: text split
 * into values (jsonin), each turned into location records (record, with
 * geojson checking geometries).  Every valid record must hold what
 * record.h promises, every invalid one a reason, and dropping must leave
 * only valid records.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "record.h"
#include "stamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
ignore(void *ctx, size_t line, const char *what, const char *msg)
{
	(void)ctx;
	(void)line;
	if (what == NULL || msg == NULL)
		abort();
}

static void
check_record(const struct record *r)
{
	if (r->error != NULL) {
		if (r->error[0] == '\0' || strlen(r->error) >= RECORD_ERR_MAX)
			abort();
		return;
	}
	if (r->id.len < 1 || r->id.len > LOCID_MAX ||
	    strlen(r->id.text) != r->id.len ||
	    (r->id.num != 0 && r->id.num > LOCID_INT_MAX) || r->time < 0 ||
	    r->time > STAMP_MAX ||
	    jv_get_kind(r->geometry) != JV_KIND_OBJECT ||
	    jv_get_kind(r->properties) != JV_KIND_OBJECT ||
	    (jv_get_kind(r->user) != JV_KIND_NULL &&
	        jv_get_kind(r->user) != JV_KIND_NUMBER))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_defaults defs;
	struct batch b;
	size_t i;

	record_defaults_init(&defs);
	batch_init(&b, &defs, NULL, ignore, NULL);
	if (batch_read(&b, (const char *)data, size) == -1)
		abort();
	for (i = 0; i < b.recs.n; i++)
		check_record(&b.recs.v[i]);
	record_vec_drop_invalid(&b.recs);
	for (i = 0; i < b.recs.n; i++) {
		check_record(&b.recs.v[i]);
		if (b.recs.v[i].error != NULL)
			abort();
	}
	batch_release(&b);
	record_defaults_release(&defs);
	return 0;
}
