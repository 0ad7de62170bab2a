/*
 * redisurl.h - where a Redis server is and how to log in to it.
 * Owns: splitting redis:// and unix:// URLs into an address, credentials
 * and a database number, percent-decoding the credentials and the path.
 * Pure: no I/O, no name lookups, never prints.
 *
 *   redis://[[USER]:PASSWORD@]HOST[:PORT][/DB][?db=DB]
 *   unix://[[USER]:PASSWORD@]/PATH[?db=DB]
 *
 * HOST is a name, an IPv4 address or an IPv6 address in brackets; PORT is
 * 6379 unless given, DB 0.  A password alone logs in with "AUTH PASSWORD"
 * (requirepass); a user and a password with "AUTH USER PASSWORD" (ACL).
 * Write '@', ':', '/', '?', '#' and '%' in them as %40, %3A, %2F, %3F,
 * %23 and %25.  rediss:// (TLS) and anything else are refused.
 */
#ifndef GEOROOM_REDISURL_H
#define GEOROOM_REDISURL_H

#include <stddef.h>

/* The longest unix socket path, as sockaddr_un holds it with its NUL. */
#define REDISURL_PATH_MAX 107

struct redisurl {
	char *user;     /* owned; NULL: AUTH with the password alone */
	char *password; /* owned; NULL: no AUTH */
	char *host;     /* owned; without brackets; NULL for a unix socket */
	char *path;     /* owned; the unix socket; NULL for TCP */
	unsigned port;  /* 1 to 65535, 6379 unless given; 0 for a socket */
	unsigned db;    /* the database SELECTed, 0 unless given */
	int ipv6;       /* host was written in brackets */
};

void redisurl_init(struct redisurl *u);

/*
 * Parses 'url' (borrowed) into 'u', which must be initialised and is
 * released first.  Returns 0, or -1 with the reason in 'err' and 'u'
 * empty.  A reason quotes no part of the URL but a query parameter's
 * name, so that it never repeats a password, however mistyped.
 */
int redisurl_parse(struct redisurl *u, const char *url, char *err,
    size_t errlen);

/* The longest channel prefix taken (--redis-key), in bytes. */
#define REDISURL_KEY_MAX 63

/* Whether 'key' may prefix a Socket.IO cluster's channels on a server:
 * 1 to REDISURL_KEY_MAX bytes. */
int redisurl_key_valid(const char *key);

/* The same as the programs' --redis-key option: 0, or -1 with the reason
 * (naming the option) in 'err'. */
int redisurl_key_option(const char *key, char *err, size_t errlen);

/*
 * Fills 'argv' with the AUTH command the URL asks for: AUTH [user]
 * password.  Returns how many words (borrowed from 'u'), 0 when there is
 * no password and no AUTH to send.
 */
int redisurl_auth_argv(const struct redisurl *u, const char *argv[3]);

/* Frees what 'u' holds (wiping the password) and empties it. */
void redisurl_release(struct redisurl *u);

/*
 * Writes where the server is, for a log line, cut to fit 'len': "host:6379",
 * "[::1]:6380" or the socket's path, then " db N" when N is not 0.  Never
 * the user or the password.
 */
void redisurl_where(const struct redisurl *u, char *buf, size_t len);

#endif
