/* store.c - a batch written while it is parsed (see store.h). */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "wkb.h"

/* Chunks handed over and not yet harvested, at most: one being written,
 * one waiting, so that the parser is never far ahead of the database. */
#define INFLIGHT_MAX 2

/* Ids allocated together, so that their addresses stay put. */
#define IDS_PER_BLOCK 1024

/* One id of the batch. */
struct store_id {
	struct locid id;
	int64_t time; /* the newest time the batch gave it so far */
	size_t last;  /* the record of that time */
	size_t row;   /* its row in the pending chunk ... */
	unsigned gen; /* ... when this is the pending chunk's generation */
	int sent;     /* a row of it has been handed to the writer */
	int pending;  /* 'row' is live in the pending chunk */
	/* The row before the batch, from the first row sent. */
	int before_found;
	uint64_t before_user;
	char *before; /* owned: the properties' text, then the WKB */
	size_t before_props_len, before_geom_len;
	/* With fences: the WKB of the last position stored. */
	char *after; /* owned */
	size_t after_len;
};

struct store_ids {
	struct store_ids *next;
	size_t n;
	struct store_id v[IDS_PER_BLOCK];
};

/* One record's row, as the parser made it. */
struct srow {
	struct store_id *st;
	size_t rec;
	int dead;       /* superseded before it was sent */
	int first_sent; /* the first row of its id handed to the writer */
	uint64_t user;
	int64_t time;
	size_t geom_at, geom_len; /* the WKB, in the chunk's 'wkb' */
	jv props, props_new;      /* owned texts; props_new may be null */
};

struct store_chunk {
	struct store_chunk *next;
	unsigned gen;
	struct srow *rows; /* owned */
	size_t n, cap, bytes, dead;
	/* Made at hand-over, for the writer: */
	struct db_row *db;
	const char **props,
	    **props_new; /* props_new: for a new row, or NULL */
	size_t *props_len, *props_new_len;
	struct db_seen *before, *after;
	char *applied;
	struct buf wkb;   /* the geometries sent */
	struct buf arena; /* the texts read back */
	int skipped;      /* not written: the writer had failed */
};

static struct store_chunk *
chunk_new(struct store *s)
{
	struct store_chunk *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->gen = ++s->gen;
	buf_init(&c->wkb, (size_t)1 << 31);
	buf_init(&c->arena, (size_t)1 << 31);
	return c;
}

static void
chunk_free(struct store_chunk *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		jv_free(c->rows[i].props);
		jv_free(c->rows[i].props_new);
	}
	free(c->rows);
	free(c->db);
	free(c->props);
	free(c->props_len);
	free(c->props_new);
	free(c->props_new_len);
	free(c->before);
	free(c->after);
	free(c->applied);
	buf_release(&c->wkb);
	buf_release(&c->arena);
	free(c);
}

/* Sets the failure, unless one came first; called with 'lock' held. */
static void
set_failed(struct store *s)
{
	s->failed = 1;
}

static int
oom(struct store *s)
{
	snprintf(s->db->err, sizeof(s->db->err), "out of memory");
	s->db->err_class = DBSQL_OTHER;
	s->db->err_num = 0;
	return -1;
}

/*
 * Upserts chunk 'c' as if every row were new, without reading them first:
 * a first load or new vehicles need no read before.  A savepoint comes
 * first; when the server says some rows were there, it is gone back to
 * and 0 is returned for the careful way.  1 when every row was new, -1
 * on failure (db->err).
 */
static int
write_new(struct store *s, struct store_chunk *c)
{
	size_t inserted;

	for (size_t i = 0; i < c->n; i++) {
		c->before[i].found = 0;
		if (c->props_new[i] != NULL) {
			c->db[i].properties = c->props_new[i];
			c->db[i].properties_len = c->props_new_len[i];
		}
	}
	if (db_savepoint(s->db, 0) == -1 ||
	    db_upsert(s->db, c->db, c->n, s->opts.merge, &inserted) == -1)
		return -1;
	if (inserted == c->n)
		return 1;
	if (db_savepoint(s->db, 1) == -1)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		c->db[i].properties = c->props[i];
		c->db[i].properties_len = c->props_len[i];
	}
	return 0;
}

/*
 * Writes chunk 'c': reads its rows, upserts them (new rows get the
 * properties meant for them), reads them again, and copies the stored
 * positions into the history.  While chunks come all new, each goes
 * straight to the upsert (write_new()).  Runs on the writer thread, with
 * no jv call: the texts were made by the parser.  0 or -1 (db->err).
 */
static int
write_chunk(struct store *s, struct store_chunk *c)
{
	struct db *db = s->db;
	int r = s->all_new ? write_new(s, c) : 0;

	if (r == -1)
		return -1;
	if (r == 0) {
		if (db_read(db, DBSQL_BEFORE, c->db, c->n, c->before,
		        &c->arena) == -1)
			return -1;
		s->all_new = 1;
		for (size_t i = 0; i < c->n; i++) {
			if (c->before[i].found)
				s->all_new = 0;
			else if (c->props_new[i] != NULL) {
				c->db[i].properties = c->props_new[i];
				c->db[i].properties_len = c->props_new_len[i];
			}
		}
		if (db_upsert(db, c->db, c->n, s->opts.merge, NULL) == -1)
			return -1;
	}
	if (db_read(db, DBSQL_AFTER, c->db, c->n, c->after, &c->arena) == -1)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		c->applied[i] = c->after[i].found &&
		    c->after[i].updated_at == c->db[i].time;
	if (s->opts.history && db_history(db, c->db, c->applied, c->n) == -1)
		return -1;
	return 0;
}

/* Writes 'c' unless the writer failed; moves it to the done list. */
static void
work(struct store *s, struct store_chunk *c)
{
	int failed;

	pthread_mutex_lock(&s->lock);
	failed = s->failed;
	pthread_mutex_unlock(&s->lock);
	c->skipped = failed;
	if (!failed && write_chunk(s, c) == -1) {
		pthread_mutex_lock(&s->lock);
		set_failed(s);
		pthread_mutex_unlock(&s->lock);
		c->skipped = 1;
	}
	pthread_mutex_lock(&s->lock);
	c->next = NULL;
	/* Kept in order: appended at the end. */
	if (s->done == NULL) {
		s->done = c;
	} else {
		struct store_chunk *t = s->done;

		while (t->next != NULL)
			t = t->next;
		t->next = c;
	}
	pthread_cond_broadcast(&s->moved);
	pthread_mutex_unlock(&s->lock);
}

static void *
writer(void *arg)
{
	struct store *s = arg;

	for (;;) {
		struct store_chunk *c;

		pthread_mutex_lock(&s->lock);
		while (s->queued == NULL && !s->closing)
			pthread_cond_wait(&s->moved, &s->lock);
		if ((c = s->queued) == NULL) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		s->queued = c->next;
		pthread_mutex_unlock(&s->lock);
		work(s, c);
	}
}

int
store_begin(struct store *s, struct db *db, const struct store_opts *o)
{
	uint8_t seed[16] = { 0 };

	memset(s, 0, sizeof(*s));
	s->db = db;
	s->opts = *o;
	(void)getrandom(seed, sizeof(seed), GRND_NONBLOCK);
	hashtab_init(&s->ids, seed);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->moved, NULL);
	s->begun = 1;
	s->all_new = 1;
	if ((s->pending = chunk_new(s)) == NULL)
		return oom(s);
	if (db_begin(db) == -1)
		return -1;
	if (o->fences) {
		enum db_fences f;

		if (db_fence_any(db, &f) == -1)
			return -1;
		s->has_fences = f == DB_FENCES_SOME;
		s->fences_unreadable = f == DB_FENCES_UNREADABLE;
	}
	/* Without a thread the chunks are written as they are handed over. */
	s->threaded = pthread_create(&s->thread, NULL, writer, s) == 0;
	return 0;
}

/* A new id of the batch, in the blocks; NULL when out of memory. */
static struct store_id *
id_new(struct store *s, const struct locid *id)
{
	struct store_ids *b = s->idblocks;
	struct store_id *st;

	if (b == NULL || b->n == IDS_PER_BLOCK) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			return NULL;
		b->next = s->idblocks;
		s->idblocks = b;
	}
	st = &b->v[b->n];
	memset(st, 0, sizeof(*st));
	st->id = *id;
	if (hashtab_put(&s->ids, st->id.text, st->id.len, st) == -1)
		return NULL;
	b->n++;
	return st;
}

/* Grows s->out to hold record 'index'.  0 or -1. */
static int
out_grow(struct store *s, size_t index)
{
	size_t n = s->nout ? s->nout : 1024;
	struct store_out *v;

	if (index < s->nout)
		return 0;
	while (n <= index)
		n *= 2;
	if ((v = realloc(s->out, n * sizeof(*v))) == NULL)
		return -1;
	for (size_t i = s->nout; i < n; i++) {
		v[i].fate = STORE_NONE;
		v[i].user = 0;
		v[i].feature = jv_null();
	}
	s->out = v;
	s->nout = n;
	return 0;
}

/* True when 'v' (borrowed) holds a null in an object, at any depth. */
static int
object_null(jv v)
{
	int found = 0;

	if (jv_get_kind(v) != JV_KIND_OBJECT)
		return 0;
	jv_object_foreach(v, k, x)
	{
		found = found || jv_get_kind(x) == JV_KIND_NULL ||
		    object_null(x);
		jv_free(k);
		jv_free(x);
	}
	return found;
}

/*
 * 'v' (consumed) merged into nothing, as RFC 7396 says: members that are
 * null are dropped, in nested objects too; arrays stay as they are.
 */
static jv
drop_nulls(jv v)
{
	jv out = jv_object();

	jv_object_foreach(v, k, x)
	{
		if (jv_get_kind(x) == JV_KIND_NULL) {
			jv_free(k);
			jv_free(x);
		} else if (jv_get_kind(x) == JV_KIND_OBJECT) {
			out = jv_object_set(out, k, drop_nulls(x));
		} else {
			out = jv_object_set(out, k, x);
		}
	}
	jv_free(v);
	return out;
}

/* Keeps the 'n' bytes of WKB at 'wkb' as the id's last position. */
static int
keep_after(struct store_id *st, const char *wkb, size_t n)
{
	char *p = realloc(st->after, n ? n : 1);

	if (p == NULL)
		return -1;
	memcpy(p, wkb, n);
	st->after = p;
	st->after_len = n;
	return 0;
}

/* Harvests chunk 'c': each row's outcome into s->out. */
static int
harvest(struct store *s, struct store_chunk *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct srow *w = &c->rows[i];
		struct store_id *st = w->st;
		const struct db_seen *a = &c->after[i];
		const char *text = c->arena.data;
		struct store_out *o = &s->out[w->rec];
		int changed;

		if (w->first_sent) {
			const struct db_seen *b = &c->before[i];

			st->before_found = b->found;
			st->before_user = b->user;
			if (b->found) {
				st->before = malloc(
				    b->props_len + b->geom_len + 1);
				if (st->before == NULL)
					return -1;
				memcpy(st->before, text + b->props_at,
				    b->props_len);
				memcpy(st->before + b->props_len,
				    text + b->geom_at, b->geom_len);
				st->before_props_len = b->props_len;
				st->before_geom_len = b->geom_len;
			}
		}
		if (st->last != w->rec)
			continue; /* superseded meanwhile */
		if (!c->applied[i]) {
			o->fate = STORE_SKIPPED;
			continue;
		}
		changed = !st->before_found || st->before_user != a->user ||
		    st->before_geom_len != a->geom_len ||
		    memcmp(st->before + st->before_props_len,
		        text + a->geom_at, a->geom_len) != 0;
		if (!changed) {
			const char *p = text + a->props_at;

			if (a->props_len != st->before_props_len ||
			    memcmp(p, st->before, a->props_len) != 0) {
				jv x = jv_parse_sized(st->before,
				    (int)st->before_props_len);
				jv y = jv_parse_sized(p, (int)a->props_len);

				changed = !jv_equal(x, y);
			}
		}
		o->fate = changed ? STORE_STORED : STORE_UNCHANGED;
		if (s->has_fences && changed &&
		    keep_after(st, text + a->geom_at, a->geom_len) == -1)
			return -1;
		o->user = a->user;
		jv_free(o->feature);
		o->feature = jv_string_sized(text + a->feature_at,
		    (int)a->feature_len);
	}
	return 0;
}

/* Harvests the chunks written so far; waits for one when 'wait'. */
static int
collect(struct store *s, int wait)
{
	struct store_chunk *c;
	int r = 0;

	pthread_mutex_lock(&s->lock);
	while (wait && s->done == NULL && s->inflight > 0)
		pthread_cond_wait(&s->moved, &s->lock);
	c = s->done;
	s->done = NULL;
	pthread_mutex_unlock(&s->lock);
	while (c != NULL) {
		struct store_chunk *next = c->next;

		pthread_mutex_lock(&s->lock);
		s->inflight--;
		pthread_mutex_unlock(&s->lock);
		if (r == 0 && !c->skipped && harvest(s, c) == -1)
			r = -1;
		chunk_free(c);
		c = next;
	}
	return r;
}

/*
 * Hands the pending chunk's live rows to the writer, and starts a new
 * one.  0, or -1 when out of memory.
 */
static int
hand_over(struct store *s)
{
	struct store_chunk *c = s->pending;
	size_t live = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct srow *w = &c->rows[i];

		if (w->dead) {
			jv_free(w->props);
			jv_free(w->props_new);
			continue;
		}
		w->st->pending = 0;
		w->first_sent = !w->st->sent;
		w->st->sent = 1;
		c->rows[live++] = *w;
	}
	c->n = live;
	if ((s->pending = chunk_new(s)) == NULL)
		return -1;
	if (live == 0) {
		chunk_free(c);
		return 0;
	}
	c->db = calloc(live, sizeof(*c->db));
	c->props = calloc(live, sizeof(*c->props));
	c->props_len = calloc(live, sizeof(*c->props_len));
	c->props_new = calloc(live, sizeof(*c->props_new));
	c->props_new_len = calloc(live, sizeof(*c->props_new_len));
	c->before = calloc(live, sizeof(*c->before));
	c->after = calloc(live, sizeof(*c->after));
	c->applied = calloc(live, 1);
	if (c->db == NULL || c->props == NULL || c->props_len == NULL ||
	    c->props_new == NULL || c->props_new_len == NULL ||
	    c->before == NULL || c->after == NULL || c->applied == NULL) {
		chunk_free(c);
		return -1;
	}
	for (size_t i = 0; i < live; i++) {
		struct srow *w = &c->rows[i];
		struct db_row *d = &c->db[i];

		d->id = &w->st->id;
		d->user = w->user;
		d->time = w->time;
		d->geometry = c->wkb.data + w->geom_at;
		d->geometry_len = w->geom_len;
		d->properties = c->props[i] = jv_string_value(w->props);
		d->properties_len = c->props_len[i] = (size_t)
		    jv_string_length_bytes(jv_copy(w->props));
		if (jv_get_kind(w->props_new) == JV_KIND_STRING) {
			c->props_new[i] = jv_string_value(w->props_new);
			c->props_new_len[i] = (size_t)jv_string_length_bytes(
			    jv_copy(w->props_new));
		}
	}
	if (!s->threaded) {
		s->inflight++;
		work(s, c);
		return collect(s, 0);
	}
	pthread_mutex_lock(&s->lock);
	while (s->inflight >= INFLIGHT_MAX && s->done == NULL)
		pthread_cond_wait(&s->moved, &s->lock);
	c->next = NULL;
	if (s->queued == NULL) {
		s->queued = c;
	} else {
		struct store_chunk *t = s->queued;

		while (t->next != NULL)
			t = t->next;
		t->next = c;
	}
	s->inflight++;
	pthread_cond_broadcast(&s->moved);
	pthread_mutex_unlock(&s->lock);
	return collect(s, 0);
}

/* Appends a row for record 'index' to the pending chunk.  0 or -1. */
static int
add_row(struct store *s, struct store_id *st, size_t index,
    const struct record *r, int64_t t)
{
	struct store_chunk *c = s->pending;
	struct srow *w;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct srow *v = realloc(c->rows, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		c->rows = v;
		c->cap = cap;
	}
	w = &c->rows[c->n];
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->rec = index;
	w->time = t;
	w->user = jv_get_kind(r->user) == JV_KIND_NUMBER ?
	    (uint64_t)jv_number_value(r->user) :
	    0;
	w->geom_at = c->wkb.len;
	if (wkb_from_geojson(&c->wkb, r->geometry) == -1)
		return -1;
	w->geom_len = c->wkb.len - w->geom_at;
	w->props = jv_dump_string(jv_copy(r->properties), 0);
	/* A new row is the patch merged into nothing (RFC 7396). */
	w->props_new = s->opts.merge && object_null(r->properties) ?
	    jv_dump_string(drop_nulls(jv_copy(r->properties)), 0) :
	    jv_null();
	st->row = c->n;
	st->gen = c->gen;
	st->pending = 1;
	c->bytes += w->geom_len +
	    (size_t)jv_string_length_bytes(jv_copy(w->props));
	c->n++;
	return 0;
}

int
store_add(struct store *s, size_t index, const struct record *r)
{
	struct store_id *st;
	int64_t t = r->time != 0 ? r->time : s->db->now;
	size_t live;
	int failed;

	pthread_mutex_lock(&s->lock);
	failed = s->failed;
	pthread_mutex_unlock(&s->lock);
	if (failed)
		return 0;
	if (out_grow(s, index) == -1)
		return -1;
	st = hashtab_get(&s->ids, r->id.text, r->id.len);
	if (st != NULL && t < st->time) {
		s->out[index].fate = STORE_SKIPPED;
		return 0;
	}
	if (st != NULL) {
		struct store_out *prev = &s->out[st->last];

		if (st->pending && st->gen == s->pending->gen) {
			s->pending->rows[st->row].dead = 1;
			s->pending->dead++;
		}
		if (prev->fate != STORE_SKIPPED)
			prev->fate = STORE_SUPERSEDED;
		jv_free(prev->feature);
		prev->feature = jv_null();
	} else if ((st = id_new(s, &r->id)) == NULL) {
		return -1;
	}
	st->time = t;
	st->last = index;
	if (add_row(s, st, index, r, t) == -1)
		return -1;
	live = s->pending->n - s->pending->dead;
	if (live >= DB_BATCH_ROWS || s->pending->bytes >= DB_BATCH_BYTES)
		return hand_over(s);
	return 0;
}

/* A fence holding a position of a moved location. */
struct hit {
	size_t rec; /* the location's record */
	int now;    /* the position after the batch, else before it */
	struct locid fence;
	char *name; /* owned until it passes to an event; NULL: none */
};

/* The lookups of the fences: positions, what they are, and the hits. */
struct lookup {
	struct dbsql_spot *spots;
	size_t *rec; /* by position: its location's record */
	char *now;   /* by position: after the batch, else before it */
	size_t nspots, from;
	struct hit *hits;
	size_t nhits, cap;
};

static int
take_hit(void *ctx, size_t k, const char *fence, size_t len, const char *name,
    size_t name_len)
{
	struct lookup *l = ctx;
	struct hit *h;

	if (l->nhits == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		if ((h = realloc(l->hits, cap * sizeof(*h))) == NULL)
			return -1;
		l->hits = h;
		l->cap = cap;
	}
	h = &l->hits[l->nhits];
	/* A fence id written by hand that is not one names no room. */
	if (locid_from_text(fence, len, &h->fence, NULL, 0) == -1)
		return 0;
	h->name = NULL;
	if (name != NULL && (h->name = strndup(name, name_len)) == NULL)
		return -1;
	h->rec = l->rec[l->from + k];
	h->now = l->now[l->from + k];
	l->nhits++;
	return 0;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c;

	if (x->rec != y->rec)
		return x->rec < y->rec ? -1 : 1;
	if ((c = locid_cmp(&x->fence, &y->fence)) != 0)
		return c;
	return x->now - y->now;
}

/* Adds position 'wkb' of record 'rec' to the lookup. */
static void
add_spot(struct lookup *l, size_t rec, int now, const char *wkb, size_t n)
{
	l->spots[l->nspots].wkb = (const unsigned char *)wkb;
	l->spots[l->nspots].len = n;
	l->rec[l->nspots] = rec;
	l->now[l->nspots++] = (char)now;
}

/*
 * Finds the fences each location whose geometry the batch changed
 * entered and left, into s->events.  0, or -1 (db->err).
 */
static int
fence_events(struct store *s)
{
	struct lookup l = { 0 };
	size_t n = 0;
	int r = -1;

	for (struct store_ids *b = s->idblocks; b != NULL; b = b->next)
		n += b->n;
	l.spots = calloc(2 * n + 1, sizeof(*l.spots));
	l.rec = calloc(2 * n + 1, sizeof(*l.rec));
	l.now = calloc(2 * n + 1, 1);
	if (l.spots == NULL || l.rec == NULL || l.now == NULL) {
		oom(s);
		goto out;
	}
	for (struct store_ids *b = s->idblocks; b != NULL; b = b->next)
		for (size_t i = 0; i < b->n; i++) {
			struct store_id *st = &b->v[i];
			const char *old = st->before + st->before_props_len;

			if (st->after == NULL ||
			    s->out[st->last].fate != STORE_STORED)
				continue;
			if (st->before_found) {
				if (st->before_geom_len == st->after_len &&
				    memcmp(old, st->after, st->after_len) == 0)
					continue; /* moved nowhere */
				add_spot(&l, st->last, 0, old,
				    st->before_geom_len);
			}
			add_spot(&l, st->last, 1, st->after, st->after_len);
		}
	for (l.from = 0; l.from < l.nspots; l.from += DB_BATCH_ROWS) {
		size_t k = l.nspots - l.from;

		if (db_fence_hits(s->db, l.spots + l.from,
		        k < DB_BATCH_ROWS ? k : DB_BATCH_ROWS, take_hit,
		        &l) == -1)
			goto out;
	}
	qsort(l.hits, l.nhits, sizeof(*l.hits), hit_cmp);
	if ((s->events = calloc(l.nhits + 1, sizeof(*s->events))) == NULL) {
		oom(s);
		goto out;
	}
	for (size_t i = 0; i < l.nhits;) {
		size_t j = i + 1;

		/* Sorted: the old position's hit first, then the new one's. */
		if (j < l.nhits && l.hits[j].rec == l.hits[i].rec &&
		    locid_cmp(&l.hits[j].fence, &l.hits[i].fence) == 0) {
			i = j + 1; /* in it before and after */
			continue;
		}
		s->events[s->nevents].rec = l.hits[i].rec;
		s->events[s->nevents].fence = l.hits[i].fence;
		s->events[s->nevents].name = l.hits[i].name;
		l.hits[i].name = NULL; /* the event's now */
		s->events[s->nevents++].enter = l.hits[i].now;
		i = j;
	}
	r = 0;
out:
	free(l.spots);
	free(l.rec);
	free(l.now);
	for (size_t i = 0; i < l.nhits; i++)
		free(l.hits[i].name);
	free(l.hits);
	return r;
}

int
store_end(struct store *s, int commit)
{
	int failed;

	if (hand_over(s) == -1) {
		pthread_mutex_lock(&s->lock);
		set_failed(s);
		pthread_mutex_unlock(&s->lock);
		oom(s);
	}
	pthread_mutex_lock(&s->lock);
	s->closing = 1;
	pthread_cond_broadcast(&s->moved);
	pthread_mutex_unlock(&s->lock);
	if (s->threaded) {
		pthread_join(s->thread, NULL);
		s->threaded = 0;
	}
	if (collect(s, 0) == -1) {
		s->failed = 1;
		oom(s);
	}
	failed = s->failed;
	if (!failed && commit && s->has_fences && fence_events(s) == -1)
		failed = s->failed = 1;
	if (failed || !commit) {
		db_rollback(s->db);
		return failed ? -1 : 0;
	}
	return db_commit(s->db);
}

void
store_release(struct store *s)
{
	if (!s->begun)
		return;
	if (s->threaded) {
		pthread_mutex_lock(&s->lock);
		s->closing = 1;
		pthread_cond_broadcast(&s->moved);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	}
	(void)collect(s, 0);
	chunk_free(s->pending);
	for (struct store_chunk *c = s->queued, *n; c != NULL; c = n) {
		n = c->next;
		chunk_free(c);
	}
	while (s->idblocks != NULL) {
		struct store_ids *b = s->idblocks;

		for (size_t i = 0; i < b->n; i++) {
			free(b->v[i].before);
			free(b->v[i].after);
		}
		s->idblocks = b->next;
		free(b);
	}
	hashtab_release(&s->ids);
	for (size_t i = 0; i < s->nout; i++)
		jv_free(s->out[i].feature);
	free(s->out);
	for (size_t i = 0; i < s->nevents; i++)
		free(s->events[i].name);
	free(s->events);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->moved);
	s->begun = 0;
}
