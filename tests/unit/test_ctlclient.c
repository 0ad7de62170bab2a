/*
 * test_ctlclient.c - the control-socket client against scripted peers in
 * child processes: connect errors, a long pipeline, timeouts, a peer that
 * hangs up, replies that are not JSON.  (The real hub is exercised by
 * tests/prog/25-geoput-hub.t.)
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "ctlclient.h"

enum script {
	ECHO,    /* answer each line with {"ok":true,"n":i} */
	SILENT,  /* read everything, answer nothing */
	HANGUP,  /* accept and close */
	GARBAGE, /* answer each line with "nonsense" */
};

static char dir[64];
static char path[96];

/* Listens on 'path' and serves one connection in a child. */
static pid_t
peer(enum script s)
{
	struct sockaddr_un sun;
	int lfd, fd;
	pid_t pid;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid > 0) {
		close(lfd);
		return pid;
	}
	fd = accept(lfd, NULL, NULL);
	if (fd >= 0 && s != HANGUP) {
		FILE *in = fdopen(fd, "r");
		char *line = NULL;
		size_t cap = 0;
		long i = 0;

		while (getline(&line, &cap, in) > 0) {
			char out[64];
			int n = s == GARBAGE ?
			    snprintf(out, sizeof(out), "nonsense\n") :
			    snprintf(out, sizeof(out),
			        "{\"ok\":true,\"n\":%ld}\n", i);

			i++;
			/* Blocking writes: a client that never reads stalls. */
			if (s != SILENT && write(fd, out, (size_t)n) != n)
				break;
		}
	}
	_exit(0);
}

static void
reap(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ctlclient.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/control.sock", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static jv
request(long i)
{
	return jv_object_set(jv_object_set(jv_object(), jv_string("op"),
	                         jv_string("emit")),
	    jv_string("i"), jv_number((double)i));
}

static void
test_connect_errors(void **state)
{
	struct ctlclient c;
	char longpath[200];
	int fd;
	struct sockaddr_un sun;

	(void)state;
	ctlclient_init(&c, 1000);
	errno = 0;
	assert_int_equal(ctlclient_connect(&c, "/nonexistent/georoom.sock"),
	    -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(c.err, CTLCLIENT_UNREACHABLE);
	assert_string_equal(c.why, "No such file or directory");
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(ctlclient_connect(&c, longpath), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(c.err, CTLCLIENT_UNREACHABLE);
	/* A socket file nobody listens on any more. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(ctlclient_connect(&c, path), -1);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(c.err, CTLCLIENT_UNREACHABLE);
	assert_int_equal(c.fd, -1);
	/* A socket file this user may not open. */
	if (geteuid() != 0) {
		assert_int_equal(chmod(path, 0), 0);
		assert_int_equal(ctlclient_connect(&c, path), -1);
		assert_int_equal(c.err, CTLCLIENT_DENIED);
	}
	/* Nothing connected: send and recv say so. */
	assert_int_equal(ctlclient_send(&c, request(0)), -1);
	assert_int_equal(errno, ENOTCONN);
	assert_int_equal(c.err, CTLCLIENT_LOCAL);
	ctlclient_release(&c);
}

/* Far more requests than the socket buffers hold, all sent first. */
static void
test_long_pipeline(void **state)
{
	enum { N = 50000 };
	struct ctlclient c;
	struct ctl_reply r;
	pid_t pid = peer(ECHO);
	long i;

	(void)state;
	ctlclient_init(&c, 5000);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	for (i = 0; i < N; i++) {
		if (i % 2 == 0)
			assert_int_equal(ctlclient_send(&c, request(i)), 0);
		else
			assert_int_equal(ctlclient_send_text(&c,
			                     "{\"op\":\"stats\"}", 14),
			    0);
	}
	assert_int_equal(c.pending, N);
	for (i = 0; i < N; i++) {
		if (ctlclient_recv_reply(&c, &r) == -1)
			fail_msg("reply %ld: %s", i, c.why);
		if (r.status != CTL_OK)
			fail_msg("reply %ld: %s", i, r.error);
		assert_true(
		    jv_equal(jv_object_get(jv_copy(r.body), jv_string("n")),
		        jv_number((double)i)));
		ctl_reply_release(&r);
	}
	assert_int_equal(c.pending, 0);
	assert_int_equal(ctlclient_recv_reply(&c, &r), -1);
	ctl_reply_release(&r);
	/* call_reply() is send then recv_reply(). */
	assert_int_equal(ctlclient_call_reply(&c, request(N), &r), 0);
	assert_int_equal(r.status, CTL_OK);
	assert_true(jv_equal(jv_object_get(jv_copy(r.body), jv_string("n")),
	    jv_number(N)));
	ctl_reply_release(&r);
	assert_int_equal(ctlclient_send_text(&c, "{\n}", 3), -1);
	assert_int_equal(errno, EINVAL);
	ctlclient_release(&c);
	reap(pid);
}

static void
test_timeout(void **state)
{
	struct ctlclient c;
	struct ctl_reply r;
	pid_t pid = peer(SILENT);

	(void)state;
	ctlclient_init(&c, 200);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	assert_int_equal(ctlclient_send(&c, request(1)), 0);
	assert_int_equal(ctlclient_recv_reply(&c, &r), -1);
	ctl_reply_release(&r);
	assert_int_equal(c.err, CTLCLIENT_TIMEOUT);
	assert_string_equal(c.why, "no reply from the hub within 200 ms");
	ctlclient_release(&c);
	reap(pid);
}

static void
test_hangup(void **state)
{
	struct ctlclient c;
	struct ctl_reply r;
	pid_t pid = peer(HANGUP);

	(void)state;
	ctlclient_init(&c, 2000);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	waitpid(pid, NULL, 0);
	/* The request may or may not be taken; the reply never comes. */
	if (ctlclient_send(&c, request(1)) == 0) {
		assert_int_equal(ctlclient_recv_reply(&c, &r), -1);
		ctl_reply_release(&r);
		assert_string_equal(c.why, "the hub closed the connection");
	} else {
		assert_true(errno == EPIPE || errno == ECONNRESET);
	}
	assert_int_equal(c.err, CTLCLIENT_CLOSED);
	ctlclient_release(&c);
}

static void
test_garbage(void **state)
{
	struct ctlclient c;
	struct ctl_reply r;
	pid_t pid = peer(GARBAGE);

	(void)state;
	ctlclient_init(&c, 2000);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	assert_int_equal(ctlclient_send(&c, request(1)), 0);
	assert_int_equal(ctlclient_send(&c, request(2)), 0);
	assert_int_equal(ctlclient_recv_reply(&c, &r), 0);
	assert_int_equal(r.status, CTL_ERR_PROTOCOL);
	assert_non_null(strstr(r.error, "bad reply from the hub"));
	ctl_reply_release(&r);
	/* The next reply is still read in order. */
	assert_int_equal(c.pending, 1);
	assert_int_equal(ctlclient_recv_reply(&c, &r), 0);
	assert_int_equal(r.status, CTL_ERR_PROTOCOL);
	assert_non_null(strstr(r.error, "bad reply from the hub"));
	ctl_reply_release(&r);
	ctlclient_release(&c);
	reap(pid);
}

/* Replies as classes: a line that is not a reply is not a lost hub. */
static void
test_reply_classes(void **state)
{
	struct ctlclient c;
	struct ctl_reply r;
	pid_t pid = peer(GARBAGE);

	(void)state;
	ctlclient_init(&c, 2000);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	assert_int_equal(ctlclient_call_reply(&c, ctl_req_stats(), &r), 0);
	assert_int_equal(r.status, CTL_ERR_PROTOCOL);
	assert_non_null(strstr(r.error, "bad reply from the hub"));
	ctl_reply_release(&r);
	ctlclient_release(&c);
	reap(pid);

	pid = peer(ECHO);
	ctlclient_init(&c, 2000);
	assert_int_equal(ctlclient_connect(&c, path), 0);
	assert_int_equal(ctlclient_call_reply(&c, ctl_req_stats(), &r), 0);
	assert_int_equal(r.status, CTL_OK);
	assert_true(jv_equal(jv_object_get(jv_copy(r.body), jv_string("n")),
	    jv_number(0)));
	ctl_reply_release(&r);
	/* Nothing pending: a misuse, not a hub failure. */
	assert_int_equal(ctlclient_recv_reply(&c, &r), -1);
	assert_int_equal(c.err, CTLCLIENT_LOCAL);
	ctl_reply_release(&r);
	ctlclient_release(&c);
	/* Not connected: the send fails and says so. */
	assert_int_equal(ctlclient_call_reply(&c, ctl_req_stats(), &r), -1);
	assert_int_equal(c.err, CTLCLIENT_LOCAL);
	ctl_reply_release(&r);
	reap(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connect_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_pipeline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hangup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_classes, setup,
		    teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
