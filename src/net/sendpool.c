/* sendpool.c - one round's writes shared between threads (sendpool.h). */
#include "sendpool.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

static void
send_range(struct sendpool_job *jobs, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		struct sendpool_job *j = &jobs[i];
		struct msghdr m;

		memset(&m, 0, sizeof(m));
		m.msg_iov = j->iov;
		m.msg_iovlen = j->niov;
		j->sent = sendmsg(j->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
		j->err = j->sent == -1 ? errno : 0;
	}
}

static void *
worker_main(void *arg)
{
	struct sendpool_worker *w = arg;
	struct sendpool *p = w->pool;

	for (;;) {
		while (sem_wait(&w->go) == -1 && errno == EINTR)
			;
		if (p->stopping)
			return NULL;
		send_range(p->jobs, w->from, w->to);
		sem_post(&p->done);
	}
}

int
sendpool_init(struct sendpool *p, unsigned nthreads)
{
	memset(p, 0, sizeof(*p));
	if (nthreads > SENDPOOL_THREADS_MAX) {
		errno = EINVAL;
		return -1;
	}
	p->want = nthreads;
	return 0;
}

/* Stops and joins the helpers running, and frees their semaphores. */
static void
stop(struct sendpool *p)
{
	unsigned i;

	p->stopping = 1;
	for (i = 0; i < p->nthreads; i++)
		sem_post(&p->w[i].go);
	for (i = 0; i < p->nthreads; i++) {
		pthread_join(p->w[i].thread, NULL);
		sem_destroy(&p->w[i].go);
	}
	sem_destroy(&p->done);
	p->nthreads = 0;
	p->stopping = 0;
	p->started = 0;
}

/* Starts the helpers; 0, or -1 with errno and none left running. */
static int
start(struct sendpool *p)
{
	sigset_t all, old;
	int e = 0;

	if (sem_init(&p->done, 0, 0) == -1)
		return -1;
	p->started = 1;
	/* Signals stay the loop's: the helpers block every one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; i < p->want; i++) {
		struct sendpool_worker *w = &p->w[i];

		w->pool = p;
		if (sem_init(&w->go, 0, 0) == -1) {
			e = errno;
			break;
		}
		if ((e = pthread_create(&w->thread, NULL, worker_main, w)) !=
		    0) {
			sem_destroy(&w->go);
			break;
		}
		p->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		stop(p);
		errno = e;
		return -1;
	}
	return 0;
}

void
sendpool_release(struct sendpool *p)
{
	if (p->started)
		stop(p);
}

void
sendpool_run(struct sendpool *p, struct sendpool_job *jobs, size_t n,
    size_t min_parallel)
{
	size_t share, from;
	unsigned i;

	if (p->want > 0 && p->nthreads == 0 && p->start_error == 0 &&
	    n >= min_parallel && n >= 2 && start(p) == -1)
		p->start_error = errno;
	if (p->nthreads == 0 || n < min_parallel || n < 2) {
		send_range(jobs, 0, n);
		return;
	}
	/* The semaphores order the memory: what is written before a post is
	 * seen after the matching wait, on either side. */
	p->jobs = jobs;
	share = n / (p->nthreads + 1);
	from = n - share * p->nthreads;
	for (i = 0; i < p->nthreads; i++) {
		p->w[i].from = from + share * i;
		p->w[i].to = from + share * (i + 1);
		sem_post(&p->w[i].go);
	}
	send_range(jobs, 0, from);
	for (i = 0; i < p->nthreads; i++)
		while (sem_wait(&p->done) == -1 && errno == EINTR)
			;
	p->jobs = NULL;
}
