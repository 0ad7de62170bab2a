/* test_output.c - the lines georoom-cli writes: -e, -d, --jq, -r. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output.h"

struct fixture {
	struct output out;
	char *buf;
	size_t len;
	FILE *fp;
	char err[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->fp = open_memstream(&f->buf, &f->len);
	assert_non_null(f->fp);
	output_init(&f->out, f->fp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->fp);
	free(f->buf);
	output_release(&f->out);
	free(f);
	return 0;
}

static void
use_jq(struct fixture *f, const char *program)
{
	assert_int_equal(output_filter(&f->out, program, f->err,
	                     sizeof(f->err)),
	    0);
}

/* What was written so far. */
static const char *
written(struct fixture *f)
{
	fflush(f->fp);
	return f->buf;
}

static int
put(struct fixture *f, const char *text)
{
	return output_json(&f->out, jv_string(text), f->err, sizeof(f->err));
}

/* A packet as the codec hands it out. */
static struct sio_packet
packet(const char *json)
{
	struct sio_packet pkt;

	memset(&pkt, 0, sizeof(pkt));
	pkt.json = json;
	pkt.json_len = strlen(json);
	pkt.data = jv_parse(json);
	return pkt;
}

static void
test_as_received(void **state)
{
	struct fixture *f = *state;

	/* Numbers keep their digits when nothing needs the value. */
	assert_int_equal(put(f, "{\"n\":1.10}"), 1);
	assert_int_equal(put(f, "\"quoted\""), 1);
	assert_string_equal(f->err, "");
	assert_string_equal(written(f), "{\"n\":1.10}\n\"quoted\"\n");
}

static void
test_raw(void **state)
{
	struct fixture *f = *state;

	f->out.raw = 1;
	assert_int_equal(put(f, "\"a\\tb\""), 1);
	assert_int_equal(put(f, "[1]"), 1);
	assert_string_equal(written(f), "a\tb\n[1]\n");
}

static void
test_jq(void **state)
{
	struct fixture *f = *state;

	use_jq(f, ".[]");
	assert_int_equal(put(f, "[1,\"two\",{}]"), 3);
	assert_int_equal(put(f, "[]"), 0);
	assert_string_equal(f->err, "");
	assert_string_equal(written(f), "1\n\"two\"\n{}\n");
}

static void
test_jq_raw(void **state)
{
	struct fixture *f = *state;

	use_jq(f, ".a");
	f->out.raw = 1;
	assert_int_equal(put(f, "{\"a\":\"x\"}"), 1);
	assert_string_equal(written(f), "x\n");
}

/* A string a JS client cut inside an emoji still goes through the filter. */
static void
test_jq_lone_surrogate(void **state)
{
	struct fixture *f = *state;

	use_jq(f, ".m");
	assert_int_equal(put(f, "{\"m\":\"a\\ud83d\"}"), 1);
	assert_string_equal(f->err, "");
	assert_string_equal(written(f), "\"a\xef\xbf\xbd\"\n");
}

/* A runtime error ends that line's outputs, with a note. */
static void
test_jq_error(void **state)
{
	struct fixture *f = *state;

	use_jq(f, ".[] | if . == 2 then error(\"two\") else . end");
	assert_int_equal(put(f, "[1,2,3]"), 1);
	assert_string_equal(f->err, "--jq: two");
	assert_int_equal(put(f, "[3]"), 1);
	assert_string_equal(f->err, "");
	assert_string_equal(written(f), "1\n3\n");
}

static void
test_jq_compile_error(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(output_filter(&f->out, ".[", f->err, sizeof(f->err)),
	    -1);
	assert_true(strncmp(f->err, "jq: error", 9) == 0);
	assert_false(f->out.have_jq);
}

static void
test_invalid_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(output_json(&f->out,
	                     jv_invalid_with_msg(jv_string("not an array")),
	                     f->err, sizeof(f->err)),
	    0);
	assert_string_equal(f->err, "cannot print a packet: not an array");
	assert_int_equal(output_json(&f->out, jv_invalid(), f->err,
	                     sizeof(f->err)),
	    0);
	assert_string_equal(f->err, "cannot print a packet: malformed");
	assert_string_equal(written(f), "");
}

static void
test_event(void **state)
{
	struct fixture *f = *state;
	struct sio_packet pkt = packet("[\"chat\",{\"n\":1.50},2]");

	assert_int_equal(output_event(&f->out, &pkt, NULL, 0, "/r", f->err,
	                     sizeof(f->err)),
	    1);
	f->out.data_only = 1;
	assert_int_equal(output_event(&f->out, &pkt, NULL, 0, "/r", f->err,
	                     sizeof(f->err)),
	    1);
	assert_string_equal(written(f),
	    "{\"event\":\"chat\",\"data\":"
	    "{\"n\":1.50},\"args\":[{\"n\":1.50},2],\"ns\":\"/r\"}\n"
	    "{\"n\":1.50}\n");
	jv_free(pkt.data);
}

static void
test_event_wanted(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "chat", "7" };
	struct sio_packet chat = packet("[\"chat\",1]");
	struct sio_packet other = packet("[\"other\",2]");
	struct sio_packet num = packet("[7,3]");

	f->out.events = names;
	f->out.nevents = 2;
	f->out.data_only = 1;
	assert_int_equal(output_event(&f->out, &chat, NULL, 0, "/", f->err,
	                     sizeof(f->err)),
	    1);
	assert_int_equal(output_event(&f->out, &other, NULL, 0, "/", f->err,
	                     sizeof(f->err)),
	    0);
	assert_int_equal(output_event(&f->out, &num, NULL, 0, "/", f->err,
	                     sizeof(f->err)),
	    1);
	assert_string_equal(written(f), "1\n3\n");
	assert_true(output_event_wanted(&f->out, jv_string("chat")));
	assert_false(output_event_wanted(&f->out, jv_string("Chat")));
	assert_false(
	    output_event_wanted(&f->out, jv_string_sized("chat\0x", 6)));
	jv_free(chat.data);
	jv_free(other.data);
	jv_free(num.data);
}

static void
test_ack(void **state)
{
	struct fixture *f = *state;
	struct sio_packet pkt = packet("[{\"ok\":true}]");
	struct sio_packet none = packet("[]");

	assert_int_equal(output_ack(&f->out, "chat", &pkt, NULL, 0, "/",
	                     f->err, sizeof(f->err)),
	    1);
	f->out.data_only = 1;
	assert_int_equal(output_ack(&f->out, "chat", &pkt, NULL, 0, "/",
	                     f->err, sizeof(f->err)),
	    1);
	assert_int_equal(output_ack(&f->out, "chat", &none, NULL, 0, "/",
	                     f->err, sizeof(f->err)),
	    1);
	assert_string_equal(written(f),
	    "{\"ack\":\"chat\",\"data\":{\"ok\":true},"
	    "\"args\":[{\"ok\":true}],\"ns\":\"/\"}\n{\"ok\":true}\nnull\n");
	jv_free(pkt.data);
	jv_free(none.data);
}

/* Attachments are put back where their placeholders stand. */
static void
test_attachments(void **state)
{
	struct fixture *f = *state;
	struct sio_packet pkt = packet("[\"bin\",{\"_placeholder\":true,"
	                               "\"num\":0}]");
	struct iovec att = { .iov_base = "hi", .iov_len = 2 };

	f->out.data_only = 1;
	assert_int_equal(output_event(&f->out, &pkt, &att, 1, "/", f->err,
	                     sizeof(f->err)),
	    1);
	assert_string_equal(written(f), "{\"base64\":\"aGk=\"}\n");
	jv_free(pkt.data);
}

/* A failed write is reported once, and nothing is written after it. */
static void
test_write_fails(void **state)
{
	struct fixture *f = *state;
	FILE *ro = fopen("/dev/null", "r");

	assert_non_null(ro);
	f->out.fp = ro;
	errno = 0;
	assert_int_equal(put(f, "1"), -1);
	assert_int_not_equal(errno, 0);
	assert_true(f->out.closed);
	f->out.fp = f->fp;
	assert_int_equal(put(f, "2"), -1);
	assert_string_equal(written(f), "");
	fclose(ro);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_as_received, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jq_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jq_lone_surrogate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_jq_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_jq_compile_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_invalid_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_wanted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attachments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_fails, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
