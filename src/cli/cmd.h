/*
 * cmd.h - georoom-cli's commands: which one, its words, what they send.
 * Pure: no I/O, never prints; reasons come back in the caller's buffer.
 */
#ifndef GEOROOM_CMD_H
#define GEOROOM_CMD_H

#include <stddef.h>

#include <jv.h>

/* Most JSON arguments emit sends; join takes any number of rooms. */
#define CMD_WORDS_MAX 64

enum cmd_kind {
	CMD_JOIN,
	CMD_TAIL,
	CMD_EMIT,
	CMD_CHAT,
	CMD_WHO,
	CMD_ROOMS,
	CMD_STATS,
};

struct cmd {
	enum cmd_kind kind;
	char **words; /* borrowed: the command's arguments */
	int nwords;
	const char *event; /* what emit or chat sends; NULL otherwise */
};

/*
 * Takes the command and its words from 'argv' (borrowed; 'argc' of them,
 * the command first) and checks them against -l ('line') and --ack
 * ('ack').  Returns 0, or -1 with the reason in 'err'.
 */
int cmd_parse(struct cmd *c, int argc, char **argv, int line, int ack,
    char *err, size_t errlen);

/*
 * Checks that 'text' (borrowed), the command line's 'what', is JSON.
 * Returns 0, or -1 with the reason in 'err'.
 */
int cmd_check_json(const char *what, const char *text, char *err,
    size_t errlen);

/* Checks --auth: a JSON object.  0, or -1 with the reason in 'err'. */
int cmd_check_auth(const char *text, char *err, size_t errlen);

/*
 * The CONNECT payload of --auth 'auth' and --token 'token' (both borrowed,
 * either NULL): 'auth' as given; {"token": 'token'} without 'auth'; with
 * both, 'auth' with "token" added first to its object.  'auth' must have
 * passed cmd_check_auth().  Returns 0 with *payload set (owned: a string,
 * or jv_null() when neither is given), or -1 with the reason in 'err' and
 * errno EINVAL when 'auth' holds a "token" of its own.
 */
int cmd_auth(const char *auth, const char *token, jv *payload, char *err,
    size_t errlen);

/*
 * The one message of emit or chat without -l, from the words: JSON texts,
 * or strings with 'raw' (-R); 'user' is the JSON number of --user or NULL.
 * Returns 0 with *msg set (owned), or -1 with the reason in 'err' and
 * errno E2BIG (too many words) or EINVAL (a word is not JSON).
 */
int cmd_message(const struct cmd *c, const char *user, int raw, jv *msg,
    char *err, size_t errlen);

/*
 * The message of emit or chat for one line of -l, the 'len' bytes of JSON
 * text at 'json' (borrowed, checked by the caller).
 */
jv cmd_line_message(const struct cmd *c, const char *user, const char *json,
    size_t len);

#endif
