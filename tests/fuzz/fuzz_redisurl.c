/*
 * fuzz_redisurl.c - libFuzzer target for Redis URLs.  A URL taken names
 * either a host with a port in range or an absolute socket path that fits
 * sockaddr_un, a user only with a password, and describes itself within
 * any buffer; a URL refused gives a reason; neither leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redisurl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redisurl u;
	char err[256] = "", *url, where[300], small[6];

	if ((url = malloc(size + 1)) == NULL)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	redisurl_init(&u);
	if (redisurl_parse(&u, url, err, sizeof(err)) == 0) {
		if ((u.host == NULL) == (u.path == NULL))
			abort();
		if (u.host != NULL &&
		    (u.port < 1 || u.port > 65535 || u.host[0] == '\0'))
			abort();
		if (u.path != NULL &&
		    (u.port != 0 || u.path[0] != '/' ||
		        strlen(u.path) > REDISURL_PATH_MAX))
			abort();
		if (u.db > 2147483647u)
			abort();
		if (u.user != NULL && u.password == NULL)
			abort();
		redisurl_where(&u, where, sizeof(where));
		redisurl_where(&u, small, sizeof(small));
		if (strlen(small) >= sizeof(small) ||
		    strncmp(small, where, strlen(small)) != 0)
			abort();
	} else if (err[0] == '\0' || u.host != NULL || u.path != NULL ||
	    u.user != NULL || u.password != NULL) {
		abort();
	}
	redisurl_release(&u);
	free(url);
	return 0;
}
