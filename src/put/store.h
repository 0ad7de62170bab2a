/*
 * store.h - a batch of records written in one transaction while the rest
 * of the input is still parsed, and what became of each record.
 * Owns: the rows made from records, their chunks of at most DB_BATCH_ROWS
 * rows, the one thread that sends each chunk to the database while the
 * next is being parsed, the order of the updates to one id, and each
 * record's fate.  Never prints; the SQL is db.h's.
 *
 * The updates of one id are taken in input order, each at its own time
 * (the record's, or else the server's at the start of the batch): one
 * older than an earlier record of the batch is skipped there; one newer
 * or as new supersedes it; the first sent meets the stored row, whose
 * guard skips it when the row is newer (dbsql.h).  Each chunk is read
 * before the upsert (its rows locked), upserted, read again, and its
 * stored positions copied to the history when asked; while the chunks
 * come all new, the read before is left out, and a chunk the server says
 * was not all new is undone to a savepoint and written the careful way.
 * A record is stored
 * when the row read back has its time, and unchanged when the row's
 * user, geometry (the MD5 of its WKB) and properties (as JSON values)
 * are those from before the batch.  What is told of a record comes from
 * the row read back, nothing from what was sent.
 *
 * Fences (dbsql.h): when asked and the fences' table has a row at the
 * start of the batch, each location whose geometry the batch changed
 * has its position before the batch and its last stored one looked up
 * in the fences, a thousand positions a statement, before COMMIT; a
 * fence holding the new one only is entered, the old one only left.
 */
#ifndef GEOROOM_STORE_H
#define GEOROOM_STORE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "db.h"
#include "hashtab.h"
#include "record.h"

enum store_fate {
	STORE_NONE,       /* never handed to the store */
	STORE_STORED,     /* stored: a new location, or one that changed */
	STORE_UNCHANGED,  /* stored, but only updated_at moved */
	STORE_SKIPPED,    /* older than the location stored: not stored */
	STORE_SUPERSEDED, /* a later record of the batch took its place */
};

/* What became of one record, once store_end() committed. */
struct store_out {
	enum store_fate fate;
	uint64_t user; /* the stored user id, 0 for none */
	jv feature;    /* owned: the stored Feature's JSON text; else null */
};

struct store_opts {
	int merge;   /* keep what an update does not give (dbsql.h) */
	int history; /* copy each stored position into the history */
	int fences;  /* find the fences each location entered or left */
};

/* A location that entered or left a fence, once store_end() committed. */
struct store_event {
	size_t rec;         /* the record stored: its Feature is out[rec] */
	struct locid fence; /* the fence's id */
	char *name;         /* owned: the fence's name; NULL: it has none */
	int enter;          /* 1: entered, 0: left */
};

struct store_chunk;
struct store_ids;

struct store {
	struct db *db; /* borrowed; the writer's while the thread runs */
	struct store_opts opts;
	struct store_out *out; /* owned, by record index */
	size_t nout;
	struct hashtab ids;                /* id text -> struct store_id */
	struct store_ids *idblocks;        /* owned: where the ids live */
	struct store_chunk *pending;       /* owned: the chunk being filled */
	struct store_chunk *queued, *done; /* lists, under 'lock' */
	size_t inflight;                   /* chunks queued or being written */
	unsigned gen;                      /* the pending chunk's number */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t moved; /* a chunk was taken, written, or the end */
	int threaded, closing, failed, begun;
	int all_new;    /* the writer's: the last chunk's rows were all new */
	int has_fences; /* opts.fences, and there were some */
	/* opts.fences, but the account may not read the fences: none was
	 * looked for, which the caller tells. */
	int fences_unreadable;
	struct store_event *events; /* owned, by record then fence id */
	size_t nevents;
};

/*
 * Starts the batch's transaction on 'db' (borrowed, connected and
 * probed) and the writer.  0, or -1 with the reason in db->err.
 */
int store_begin(struct store *s, struct db *db, const struct store_opts *o);

/*
 * Hands over record 'r' (borrowed, valid), record number 'index' of the
 * batch; records come in input order.  Does nothing once the writer
 * failed (store_end() tells).  0, or -1 when out of memory.
 */
int store_add(struct store *s, size_t index, const struct record *r);

/*
 * Writes what is left and waits for the writer, then commits when
 * 'commit', else rolls back.  Returns 0, or -1 with the reason and its
 * class in db->err and db->err_class, nothing written.  After a commit,
 * s->out[i] tells what became of record i (i < s->nout), and s->events
 * the fences entered and left.
 */
int store_end(struct store *s, int commit);

/* Frees what 's' holds; after store_begin(), whatever happened. */
void store_release(struct store *s);

#endif
