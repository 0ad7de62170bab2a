/* roomfile.c - join's rooms from a file (see roomfile.h). */
#include "roomfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errbuf.h"
#include "json.h"

void
roomfile_init(struct roomfile *rf)
{
	memset(rf, 0, sizeof(*rf));
}

long
roomfile_split(char *text, size_t len, int (*fn)(const char *name, void *arg),
    void *arg, char *err, size_t errlen)
{
	size_t at = 0, line = 0;
	long n = 0;

	if (memchr(text, '\0', len) != NULL) {
		errbuf_printf(err, errlen, "a NUL byte: not a text file");
		errno = EINVAL;
		return -1;
	}
	while (at < len) {
		char *start = text + at, *nl = memchr(start, '\n', len - at);
		size_t n_bytes = nl != NULL ? (size_t)(nl - start) : len - at;

		line++;
		at += n_bytes + (nl != NULL);
		if (n_bytes > 0 && start[n_bytes - 1] == '\r')
			n_bytes--;
		if (n_bytes == 0)
			continue;
		if (json_utf8_check(start, n_bytes) == -1) {
			errbuf_printf(err, errlen, "line %zu is not UTF-8",
			    line);
			errno = EINVAL;
			return -1;
		}
		/* The '\n' (or '\r', or the byte past the end, which the
		 * caller provides) ends the name. */
		start[n_bytes] = '\0';
		if (fn(start, arg) == -1) {
			errbuf_printf(err, errlen, "out of memory");
			errno = ENOMEM;
			return -1;
		}
		n++;
	}
	return n;
}

static int
add_name(const char *name, void *arg)
{
	struct roomfile *rf = arg;
	char **p;

	/* One NULL is kept at the end, as in argv. */
	if ((size_t)rf->argc + 2 > rf->cap) {
		size_t cap = rf->cap ? 2 * rf->cap : 16;

		if ((p = realloc(rf->argv, cap * sizeof(*p))) == NULL)
			return -1;
		rf->argv = p;
		rf->cap = cap;
	}
	rf->argv[rf->argc++] = (char *)name;
	rf->argv[rf->argc] = NULL;
	return 0;
}

/* Reads all of 'fd' into a NUL-ended buffer: 0 or -1 with errno. */
static int
slurp(int fd, char **out, size_t *outlen)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1), *p;
	ssize_t r;

	if (buf == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap >= ROOMFILE_MAX) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			cap *= 2;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return -1;
			}
			buf = p;
		}
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

int
roomfile_read(struct roomfile *rf, const char *path, int argc, char **argv,
    char *err, size_t errlen)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
	                                  open(path, O_RDONLY | O_CLOEXEC);
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	char why[128];
	size_t len;
	int i, e;

	roomfile_release(rf);
	if (fd == -1 || slurp(fd, &rf->text, &len) == -1) {
		e = errno;
		errbuf_printf(err, errlen, "%s: %s", name,
		    e == EFBIG ? "longer than 16 MiB" : strerror(e));
		if (fd > STDIN_FILENO)
			close(fd);
		errno = e;
		return -1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	for (i = 0; i < argc; i++)
		if (add_name(argv[i], rf) == -1) {
			errbuf_printf(err, errlen, "out of memory");
			return -1;
		}
	if (roomfile_split(rf->text, len, add_name, rf, why, sizeof(why)) ==
	    -1) {
		e = errno;
		errbuf_printf(err, errlen, "%s: %s", name, why);
		errno = e;
		return -1;
	}
	return 0;
}

void
roomfile_release(struct roomfile *rf)
{
	free(rf->text);
	free(rf->argv);
	roomfile_init(rf);
}
