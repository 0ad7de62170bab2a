/*
 * cmd.c - georoom-cli's commands checked, and the messages emit and chat
 * build from their words.
 */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "climsg.h"
#include "errbuf.h"
#include "json.h"
#include "sio.h"

int
cmd_parse(struct cmd *c, int argc, char **argv, int line, int ack, char *err,
    size_t errlen)
{
	static const struct {
		const char *name;
		enum cmd_kind kind;
		int min, max; /* words after the command; -1: any */
	} cmds[] = {
		{ "join", CMD_JOIN, 1, -1 },
		{ "tail", CMD_TAIL, 0, 0 },
		{ "emit", CMD_EMIT, 1, -1 },
		{ "chat", CMD_CHAT, 1, 2 },
		{ "who", CMD_WHO, 1, 1 },
		{ "rooms", CMD_ROOMS, 0, 0 },
		{ "stats", CMD_STATS, 0, 0 },
	};
	size_t i;
	int n;

	memset(c, 0, sizeof(*c));
	if (argc < 1) {
		errbuf_printf(err, errlen,
		    "no command: join, tail, emit, chat, who, rooms or stats");
		return -1;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		errbuf_printf(err, errlen, "unknown command '%s'", argv[0]);
		return -1;
	}
	c->kind = cmds[i].kind;
	c->words = argv + 1;
	c->nwords = n = argc - 1;
	if (n < cmds[i].min || (cmds[i].max >= 0 && n > cmds[i].max)) {
		errbuf_printf(err, errlen, "%s takes %s", argv[0],
		    c->kind == CMD_JOIN ? "one room or more" :
		        c->kind == CMD_EMIT ?
		                          "an event name and its arguments" :
		        c->kind == CMD_CHAT ? "a room and a message" :
		        c->kind == CMD_WHO  ? "one room" :
		                              "no argument");
		return -1;
	}
	for (int k = 0; k < n; k++) {
		if (json_utf8_check(c->words[k], strlen(c->words[k])) == -1) {
			errbuf_printf(err, errlen, "'%s' is not UTF-8",
			    c->words[k]);
			return -1;
		}
	}
	if (c->kind == CMD_JOIN || c->kind == CMD_CHAT || c->kind == CMD_WHO) {
		if (c->words[0][0] == '\0') {
			errbuf_printf(err, errlen,
			    "a room name may not be empty");
			return -1;
		}
	}
	if (line && c->kind != CMD_EMIT && c->kind != CMD_CHAT) {
		errbuf_printf(err, errlen,
		    "-l sends lines with emit or chat only");
		return -1;
	}
	if (ack && c->kind != CMD_EMIT && c->kind != CMD_CHAT) {
		errbuf_printf(err, errlen,
		    "--ack applies to emit and chat only");
		return -1;
	}
	if (c->kind == CMD_EMIT) {
		c->event = c->words[0];
		if (c->event[0] == '\0' ||
		    sio_event_reserved(c->event, strlen(c->event))) {
			errbuf_printf(err, errlen, "cannot emit '%s': %s",
			    c->event,
			    c->event[0] ? "a name Socket.IO reserves" :
			                  "an empty name");
			return -1;
		}
		if (line && n > 1) {
			errbuf_printf(err, errlen,
			    "with -l, each line is the "
			    "argument: give emit only the event name");
			return -1;
		}
	}
	if (c->kind == CMD_CHAT) {
		c->event = "chat";
		if (line != (n == 1)) {
			errbuf_printf(err, errlen, "%s",
			    line ?
			        "with -l, each line is the message: give chat "
			        "only the room" :
			        "chat needs a message (or -l)");
			return -1;
		}
	}
	return 0;
}

int
cmd_check_json(const char *what, const char *text, char *err, size_t errlen)
{
	if (climsg_json_ok(text, strlen(text)) == 0)
		return 0;
	errbuf_printf(err, errlen,
	    "%s is not JSON: '%s' (strings need quotes, "
	    "as '\"%s\"', or use -R)",
	    what, text, text);
	return -1;
}

int
cmd_check_auth(const char *text, char *err, size_t errlen)
{
	if (cmd_check_json("--auth", text, err, errlen) == -1)
		return -1;
	if (text[strspn(text, " \t\r\n")] != '{') {
		errbuf_printf(err, errlen, "--auth must be a JSON object");
		return -1;
	}
	return 0;
}

int
cmd_auth(const char *auth, const char *token, jv *payload, char *err,
    size_t errlen)
{
	const char *rest;
	jv enc;

	if (token == NULL) {
		*payload = auth != NULL ? jv_string(auth) : jv_null();
		return 0;
	}
	enc = jv_dump_string(jv_string(token), 0);
	if (auth == NULL) {
		*payload = jv_string_fmt("{\"token\":%s}",
		    jv_string_value(enc));
		jv_free(enc);
		return 0;
	}
	/* Two tokens, one of which would silently win: refused. */
	if (jv_object_has(jv_parse(auth), jv_string("token"))) {
		jv_free(enc);
		return errbuf_fail(EINVAL, err, errlen,
		    "--token and a \"token\" in --auth: give one of them");
	}
	/* Added to the text as given, which keeps its members as they are
	 * written (numbers, order). */
	rest = auth + strspn(auth, " \t\r\n") + 1;
	*payload = jv_string_fmt("{\"token\":%s%s%s", jv_string_value(enc),
	    rest[strspn(rest, " \t\r\n")] == '}' ? "" : ",", rest);
	jv_free(enc);
	return 0;
}

int
cmd_message(const struct cmd *c, const char *user, int raw, jv *msg, char *err,
    size_t errlen)
{
	const char *args[CMD_WORDS_MAX] = { NULL };
	size_t lens[CMD_WORDS_MAX] = { 0 };
	jv texts[CMD_WORDS_MAX];
	int n = 0, rc = 0;

	/* emit EVENT [JSON...] or chat ROOM MESSAGE: one message. */
	if (c->nwords - 1 > CMD_WORDS_MAX) {
		errbuf_printf(err, errlen, "more than %d arguments",
		    CMD_WORDS_MAX);
		errno = E2BIG;
		return -1;
	}
	for (int i = 1; i < c->nwords; i++) {
		const char *w = c->words[i];

		if (raw) {
			texts[n] = climsg_string(w, strlen(w));
		} else {
			char what[32];

			snprintf(what, sizeof(what),
			    c->kind == CMD_CHAT ? "the message" :
			                          "argument %d",
			    i);
			if ((rc = cmd_check_json(what, w, err, errlen)) != 0)
				break;
			texts[n] = jv_string(w);
		}
		args[n] = jv_string_value(texts[n]);
		lens[n] = (size_t)jv_string_length_bytes(jv_copy(texts[n]));
		n++;
	}
	if (rc == 0) {
		if (c->kind == CMD_CHAT)
			*msg = climsg_chat(c->words[0], user, args[0],
			    lens[0]);
		else
			*msg = climsg_event(c->event, args, lens, (size_t)n);
	}
	for (int i = 0; i < n; i++)
		jv_free(texts[i]);
	if (rc != 0)
		errno = EINVAL;
	return rc;
}

jv
cmd_line_message(const struct cmd *c, const char *user, const char *json,
    size_t len)
{
	if (c->kind == CMD_CHAT)
		return climsg_chat(c->words[0], user, json, len);
	return climsg_event(c->event, &json, &len, 1);
}
