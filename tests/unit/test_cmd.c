/* test_cmd.c - georoom-cli's commands, and what emit and chat send. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"

static char buf[4096];
static char *argv[2 * CMD_WORDS_MAX + 8];
static char err[256];

/* Splits 'line' at each '|' into argv; returns argc (0 for ""). */
static int
split(const char *line)
{
	int argc = 0;
	char *w = buf;

	snprintf(buf, sizeof(buf), "%s", line);
	if (buf[0] == '\0')
		return 0;
	for (;;) {
		char *bar = strchr(w, '|');

		argv[argc++] = w;
		if (bar == NULL)
			return argc;
		*bar = '\0';
		w = bar + 1;
	}
}

static int
parse(struct cmd *c, const char *line, int l, int ack)
{
	err[0] = '\0';
	return cmd_parse(c, split(line), argv, l, ack, err, sizeof(err));
}

static void
test_commands(void **state)
{
	struct cmd c;

	(void)state;
	assert_int_equal(parse(&c, "join|1|room two", 0, 0), 0);
	assert_int_equal(c.kind, CMD_JOIN);
	assert_int_equal(c.nwords, 2);
	assert_string_equal(c.words[1], "room two");
	assert_null(c.event);
	assert_int_equal(parse(&c, "tail", 0, 0), 0);
	assert_int_equal(c.kind, CMD_TAIL);
	assert_int_equal(parse(&c, "emit|e|1|2", 0, 1), 0);
	assert_int_equal(c.kind, CMD_EMIT);
	assert_string_equal(c.event, "e");
	assert_int_equal(parse(&c, "emit|e", 1, 0), 0);
	assert_int_equal(parse(&c, "chat|1|\"hi\"", 0, 1), 0);
	assert_int_equal(c.kind, CMD_CHAT);
	assert_string_equal(c.event, "chat");
	assert_int_equal(parse(&c, "chat|1", 1, 0), 0);
	assert_int_equal(parse(&c, "who|1", 0, 0), 0);
	assert_int_equal(c.kind, CMD_WHO);
	assert_int_equal(parse(&c, "rooms", 0, 0), 0);
	assert_int_equal(c.kind, CMD_ROOMS);
}

/* Command lines refused, and the start of the reason. */
static const struct {
	const char *line;
	int l, ack;
	const char *why;
} refused[] = {
	{ "", 0, 0,
	    "no command: join, tail, emit, chat, who, rooms or stats" },
	{ "dance", 0, 0, "unknown command 'dance'" },
	{ "join", 0, 0, "join takes one room or more" },
	{ "tail|x", 0, 0, "tail takes no argument" },
	{ "emit", 0, 0, "emit takes an event name and its arguments" },
	{ "chat|1|2|3", 0, 0, "chat takes a room and a message" },
	{ "who", 0, 0, "who takes one room" },
	{ "rooms|x", 0, 0, "rooms takes no argument" },
	{ "who|", 0, 0, "a room name may not be empty" },
	{ "join|\xff", 0, 0, "'\xff' is not UTF-8" },
	{ "join|1", 1, 0, "-l sends lines with emit or chat only" },
	{ "tail", 0, 1, "--ack applies to emit and chat only" },
	{ "emit|connect", 0, 0,
	    "cannot emit 'connect': a name Socket.IO "
	    "reserves" },
	{ "emit|", 0, 0, "cannot emit '': an empty name" },
	{ "emit|e|1", 1, 0,
	    "with -l, each line is the argument: give emit "
	    "only the event name" },
	{ "chat|1|2", 1, 0,
	    "with -l, each line is the message: give chat "
	    "only the room" },
	{ "chat|1", 0, 0, "chat needs a message (or -l)" },
};

static void
test_refused(void **state)
{
	struct cmd c;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(parse(&c, refused[i].line, refused[i].l,
		                     refused[i].ack),
		    -1);
		assert_string_equal(err, refused[i].why);
	}
}

/* join has no limit of its own: the hub's --max-rooms-per-socket is. */
static void
test_join_no_limit(void **state)
{
	char line[sizeof(buf)] = "join";
	struct cmd c;

	(void)state;
	for (int i = 0; i < 2 * CMD_WORDS_MAX; i++)
		strncat(line, "|r", sizeof(line) - strlen(line) - 1);
	assert_int_equal(parse(&c, line, 0, 0), 0);
	assert_int_equal(c.nwords, 2 * CMD_WORDS_MAX);
}

static void
test_check_json(void **state)
{
	(void)state;
	assert_int_equal(cmd_check_json("--auth", "{\"a\":1}", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(cmd_check_json("--auth", "nan", err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "--auth is not JSON: 'nan' (strings need "
	    "quotes, as '\"nan\"', or use -R)");
}

static void
test_check_auth(void **state)
{
	(void)state;
	assert_int_equal(cmd_check_auth(" {\"token\":\"x\"}", err,
	                     sizeof(err)),
	    0);
	assert_int_equal(cmd_check_auth("[1]", err, sizeof(err)), -1);
	assert_string_equal(err, "--auth must be a JSON object");
	assert_int_equal(cmd_check_auth("{", err, sizeof(err)), -1);
	assert_true(strncmp(err, "--auth is not JSON", 18) == 0);
}

static void
assert_auth(const char *auth, const char *token, const char *want)
{
	jv p;

	assert_int_equal(cmd_auth(auth, token, &p, err, sizeof(err)), 0);
	if (want == NULL) {
		assert_int_equal(jv_get_kind(p), JV_KIND_NULL);
	} else {
		assert_int_equal(jv_get_kind(p), JV_KIND_STRING);
		assert_string_equal(jv_string_value(p), want);
		assert_int_equal(cmd_check_auth(want, err, sizeof(err)), 0);
	}
	jv_free(p);
}

/* --token: {"token": ...} alone, or added to --auth's object. */
static void
test_auth(void **state)
{
	jv p;

	(void)state;
	assert_auth(NULL, NULL, NULL);
	assert_auth("{\"n\":1}", NULL, "{\"n\":1}");
	assert_auth(NULL, "ey.J0.x", "{\"token\":\"ey.J0.x\"}");
	assert_auth(NULL, "a\"b\\c", "{\"token\":\"a\\\"b\\\\c\"}");
	assert_auth("{\"n\":1.50}", "t", "{\"token\":\"t\",\"n\":1.50}");
	assert_auth(" { \"n\": [] } ", "t", "{\"token\":\"t\", \"n\": [] } ");
	assert_auth("{}", "t", "{\"token\":\"t\"}");
	assert_auth(" { \n} ", "t", "{\"token\":\"t\" \n} ");
	/* A nested "token" is the application's own: not a second one. */
	assert_auth("{\"a\":{\"token\":1}}", "t",
	    "{\"token\":\"t\",\"a\":{\"token\":1}}");

	errno = 0;
	assert_int_equal(cmd_auth("{\"token\":\"x\"}", "t", &p, err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err,
	    "--token and a \"token\" in --auth: give one of them");
}

static void
assert_message(const char *line, int raw, const char *want)
{
	struct cmd c;
	jv msg;

	assert_int_equal(parse(&c, line, 0, 0), 0);
	assert_int_equal(cmd_message(&c, "7", raw, &msg, err, sizeof(err)), 0);
	assert_string_equal(jv_string_value(msg), want);
	jv_free(msg);
}

static void
test_message(void **state)
{
	(void)state;
	assert_message("emit|e", 0, "[\"e\"]");
	assert_message("emit|e|1.10|{\"a\":[]}", 0, "[\"e\",1.10,{\"a\":[]}]");
	assert_message("emit|e|hi|2", 1, "[\"e\",\"hi\",\"2\"]");
	assert_message("chat|1|\"hi\"", 0,
	    "[\"chat\",{\"userId\":7,"
	    "\"message\":\"hi\",\"roomName\":\"1\"}]");
	assert_message("chat|1|hi", 1,
	    "[\"chat\",{\"userId\":7,"
	    "\"message\":\"hi\",\"roomName\":\"1\"}]");
}

static void
test_message_refused(void **state)
{
	char line[sizeof(buf)] = "emit|e";
	struct cmd c;
	jv msg;

	(void)state;
	assert_int_equal(parse(&c, "emit|e|1|hello", 0, 0), 0);
	errno = 0;
	assert_int_equal(cmd_message(&c, NULL, 0, &msg, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err,
	    "argument 2 is not JSON: 'hello' (strings "
	    "need quotes, as '\"hello\"', or use -R)");
	assert_int_equal(parse(&c, "chat|1|{", 0, 0), 0);
	assert_int_equal(cmd_message(&c, NULL, 0, &msg, err, sizeof(err)), -1);
	assert_true(strncmp(err, "the message is not JSON", 23) == 0);
	for (int i = 0; i <= CMD_WORDS_MAX; i++)
		strncat(line, "|1", sizeof(line) - strlen(line) - 1);
	assert_int_equal(parse(&c, line, 0, 0), 0);
	errno = 0;
	assert_int_equal(cmd_message(&c, NULL, 0, &msg, err, sizeof(err)), -1);
	assert_int_equal(errno, E2BIG);
	assert_string_equal(err, "more than 64 arguments");
}

static void
test_line_message(void **state)
{
	struct cmd c;
	jv msg;

	(void)state;
	assert_int_equal(parse(&c, "emit|e", 1, 0), 0);
	msg = cmd_line_message(&c, NULL, "{\"n\":1.0}", 9);
	assert_string_equal(jv_string_value(msg), "[\"e\",{\"n\":1.0}]");
	jv_free(msg);
	assert_int_equal(parse(&c, "chat|r", 1, 0), 0);
	msg = cmd_line_message(&c, NULL, "\"x\"", 3);
	assert_string_equal(jv_string_value(msg),
	    "[\"chat\",{\"message\":\"x\",\"roomName\":\"r\"}]");
	jv_free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_join_no_limit),
		cmocka_unit_test(test_check_json),
		cmocka_unit_test(test_check_auth),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_message_refused),
		cmocka_unit_test(test_line_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
