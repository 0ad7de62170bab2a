/*
 * sendpool.h - one round's writes to many sockets, shared between the
 * calling thread and a few helper threads.
 * Owns: its threads, started by the first round that needs them (a
 * process with a second thread pays for it in every malloc(): glibc's
 * single-thread shortcuts end), each asleep on a semaphore between rounds.  A round
 * is a list of jobs, each one socket and the bytes for it (an iovec); the
 * caller takes the first share, the helpers the others, and the call
 * returns once every job has been tried once, with no lock held and no
 * job shared.  On loopback a send() also runs the receiver's side of TCP
 * and its wakeup inline: most of a fan-out's time is in the kernel, and a
 * second core halves it.  Knows nothing of WebSocket or of the hub; never
 * retries, never prints.
 */
#ifndef GEOROOM_SENDPOOL_H
#define GEOROOM_SENDPOOL_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Most helper threads. */
#define SENDPOOL_THREADS_MAX 16

/* Most pieces of one job the hub gathers (IOV_MAX is 1024). */
#define SENDPOOL_FRAMES_MAX 64

/* One socket's write: sendmsg(fd, iov, MSG_DONTWAIT | MSG_NOSIGNAL). */
struct sendpool_job {
	int fd;
	unsigned niov;
	struct iovec *iov; /* borrowed, as the bytes they point to */
	ssize_t sent;      /* out: bytes the kernel took, or -1 */
	int err;           /* out: errno when sent is -1 */
	void *arg;         /* the caller's, untouched */
};

struct sendpool_worker {
	struct sendpool *pool;
	pthread_t thread;
	sem_t go;
	size_t from, to; /* its share of the round */
};

struct sendpool {
	unsigned want;     /* helpers asked for */
	unsigned nthreads; /* helpers running */
	int started;       /* 'done' and the helpers are set up */
	int start_error;   /* errno of a failed start; then none is tried */
	struct sendpool_worker w[SENDPOOL_THREADS_MAX];
	sem_t done;
	struct sendpool_job *jobs; /* the round's, borrowed */
	int stopping;
};

/*
 * A pool of 'nthreads' helpers (at most SENDPOOL_THREADS_MAX; 0: every
 * round is written by the caller alone), none started yet.  Returns 0, or
 * -1 with errno EINVAL.
 */
int sendpool_init(struct sendpool *p, unsigned nthreads);

/* Stops and joins the helpers, if they were started. */
void sendpool_release(struct sendpool *p);

/*
 * Writes each of the 'n' jobs once, in parallel when helpers were asked
 * for and there are at least 'min_parallel' jobs; sets each job's 'sent'
 * and 'err'.  Starts the helpers the first time; if that fails, every
 * round is written by the caller and 'start_error' tells why.
 */
void sendpool_run(struct sendpool *p, struct sendpool_job *jobs, size_t n,
    size_t min_parallel);

#endif
