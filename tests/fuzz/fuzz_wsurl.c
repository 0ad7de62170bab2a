/*
 * fuzz_wsurl.c - libFuzzer target for the hub's URL as georoom-cli takes
 * it.  A URL taken has a port in range, NUL-terminated parts within their
 * bounds, and gives a handshake path and Host header that fit or say so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wsurl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsurl u;
	char err[256] = "", *url, path[2048], host[300];
	const char *ns;
	int n;

	if ((url = malloc(size + 1)) == NULL)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	if (wsurl_parse(url, &u, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		free(url);
		return 0;
	}
	if (u.port < 1 || u.port > 65535 ||
	    strnlen(u.host, sizeof(u.host)) == sizeof(u.host) ||
	    strnlen(u.nsp, sizeof(u.nsp)) == sizeof(u.nsp) ||
	    strnlen(u.query, sizeof(u.query)) == sizeof(u.query) ||
	    u.nsp[0] != '/')
		abort();
	if (wsurl_namespace(&u, NULL, &ns, err, sizeof(err)) == 0 &&
	    ns[0] != '/')
		abort();
	n = wsurl_handshake_path(&u, "/socket.io/", path, sizeof(path));
	if (n >= 0 &&
	    ((size_t)n >= sizeof(path) || strlen(path) != (size_t)n ||
	        strstr(path, "EIO=4") == NULL))
		abort();
	n = wsurl_host_header(&u, host, sizeof(host));
	if (n >= 0 && strlen(host) != (size_t)n)
		abort();
	free(url);
	return 0;
}
