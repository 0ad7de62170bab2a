/* store.c - a batch of records written and read back (see store.h). */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>

int
store_records(struct db *db, const struct record_vec *rv, jv *stored)
{
	size_t n = rv->n ? rv->n : 1;
	struct db_row *rows = calloc(n, sizeof(*rows));
	const struct locid **ids = calloc(n, sizeof(*ids));
	jv *texts = calloc(n * 2, sizeof(*texts));
	int rc = -1;

	for (size_t i = 0; i < rv->n; i++)
		stored[i] = jv_null();
	if (rows == NULL || ids == NULL || texts == NULL) {
		db->err_class = DBSQL_OTHER;
		snprintf(db->err, sizeof(db->err), "out of memory");
		goto out;
	}
	for (size_t i = 0; i < rv->n; i++) {
		const struct record *r = &rv->v[i];

		texts[2 * i] = jv_dump_string(jv_copy(r->geometry), 0);
		texts[2 * i + 1] = jv_dump_string(jv_copy(r->properties), 0);
		rows[i].id = &r->id;
		rows[i].user = jv_get_kind(r->user) == JV_KIND_NUMBER ?
		    (uint64_t)jv_number_value(r->user) :
		    0;
		rows[i].geometry = jv_string_value(texts[2 * i]);
		rows[i].geometry_len = (size_t)jv_string_length_bytes(
		    jv_copy(texts[2 * i]));
		rows[i].properties = jv_string_value(texts[2 * i + 1]);
		rows[i].properties_len = (size_t)jv_string_length_bytes(
		    jv_copy(texts[2 * i + 1]));
		ids[i] = &r->id;
	}
	if (db_begin(db) == 0 && db_upsert(db, rows, rv->n) == 0 &&
	    db_fetch(db, ids, rv->n, stored) == 0 && db_commit(db) == 0) {
		rc = 0;
		goto out;
	}
	db_rollback(db);
	for (size_t i = 0; i < rv->n; i++) {
		jv_free(stored[i]);
		stored[i] = jv_null();
	}
out:
	if (texts != NULL) {
		for (size_t i = 0; i < rv->n * 2; i++)
			jv_free(texts[i]);
	}
	free(texts);
	free(rows);
	free(ids);
	return rc;
}
