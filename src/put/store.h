/*
 * store.h - a batch of records written to the database and read back.
 * Owns: the rows made from records and the one transaction around them,
 * rolled back on any failure.  Never prints; the SQL is db.h's.
 */
#ifndef GEOROOM_STORE_H
#define GEOROOM_STORE_H

#include <jv.h>

#include "db.h"
#include "record.h"

/*
 * Upserts every record of 'rv' (borrowed, all valid) in one transaction on
 * 'db' and reads each back.  Returns 0 with stored[i] (owned: the stored
 * Feature as JSON text) for rv->v[i], or -1 with the reason and its class
 * in db->err and db->err_class, nothing written and stored[] all null.
 */
int store_records(struct db *db, const struct record_vec *rv, jv *stored);

#endif
