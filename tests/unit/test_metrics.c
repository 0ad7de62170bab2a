/* test_metrics.c - the stats reply as a metrics page, and health. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "metrics.h"

static const char stats_text[] =
    "{\"connections\":3,\"connections_total\":7,\"sockets\":4,"
    "\"rooms\":2,\"namespaces\":2,\"messages_in\":10,\"messages_out\":25,"
    "\"bytes_in\":1000,\"bytes_out\":5000,\"refused\":3,"
    "\"refused_at_accept\":1,\"refused_per_ip\":1,\"refused_connect\":2,"
    "\"refused_by\":{\"path\":1,\"max_per_ip\":1,\"origin\":1},"
    "\"by_namespace\":{\"/\":{\"sockets\":3,\"rooms\":2},"
    "\"/a\\\"b\":{\"sockets\":1,\"rooms\":0}},"
    "\"acks_pending\":0,\"new_counter\":5,\"bad name\":1,"
    "\"conflated\":4,"
    "\"redis\":\"down\",\"redis_pending_bytes\":123,\"redis_wait_ms\":1500}";

static char *
page_of(const char *text, struct buf *b)
{
	jv stats = jv_parse(text);

	assert_true(jv_is_valid(stats));
	buf_init(b, 1 << 20);
	assert_int_equal(metrics_page(b, stats), 0);
	jv_free(stats);
	return b->data;
}

static void
test_page(void **state)
{
	struct buf b;
	const char *p = page_of(stats_text, &b);

	(void)state;
	assert_non_null(strstr(p,
	    "# TYPE georoomd_build_info gauge\n"
	    "georoomd_build_info{version=\""));
	assert_non_null(strstr(p,
	    "# TYPE georoomd_connections gauge\ngeoroomd_connections 3\n"));
	assert_non_null(strstr(p,
	    "# TYPE georoomd_connections_opened_total "
	    "counter\ngeoroomd_connections_opened_total "
	    "7\n"));
	assert_non_null(strstr(p, "georoomd_messages_received_total 10\n"));
	assert_non_null(strstr(p, "georoomd_messages_delivered_total 25\n"));
	assert_non_null(strstr(p, "georoomd_received_bytes_total 1000\n"));
	assert_non_null(strstr(p, "georoomd_sent_bytes_total 5000\n"));
	assert_non_null(strstr(p, "georoomd_auth_failures_total 2\n"));
	assert_non_null(strstr(p,
	    "# TYPE georoomd_conflated_total counter\n"
	    "georoomd_conflated_total 4\n"));
	assert_non_null(strstr(p, "georoomd_sockets{namespace=\"/\"} 3\n"));
	assert_non_null(
	    strstr(p, "georoomd_sockets{namespace=\"/a\\\"b\"} 1\n"));
	assert_non_null(strstr(p, "georoomd_rooms{namespace=\"/\"} 2\n"));
	assert_non_null(strstr(p,
	    "georoomd_handshakes_refused_total{reason=\"max_per_ip\"} 1\n"));
	assert_non_null(strstr(p, "georoomd_redis_up 0\n"));
	assert_non_null(
	    strstr(p, "georoomd_redis_link_state{state=\"down\"} 1\n"));
	assert_non_null(
	    strstr(p, "georoomd_redis_link_state{state=\"up\"} 0\n"));
	assert_non_null(strstr(p, "georoomd_redis_pending_bytes 123\n"));
	assert_non_null(strstr(p, "georoomd_redis_reply_wait_seconds 1.5\n"));
	/* A member it does not know shows untyped; a bad name does not. */
	assert_non_null(strstr(p,
	    "# TYPE georoomd_new_counter untyped\n"
	    "georoomd_new_counter 5\n"));
	assert_null(strstr(p, "bad name"));
	/* Totals shown as labelled values are not shown twice. */
	assert_null(strstr(p, "georoomd_sockets 4"));
	assert_null(strstr(p, "georoomd_refused "));
	/* Members absent: no family. */
	assert_null(strstr(p, "georoomd_retained_bytes"));
	assert_null(strstr(p, "georoomd_recovery"));
	assert_null(strstr(p, "georoomd_dropped"));
	buf_release(&b);
}

/* Every family is declared once, before its samples. */
static void
test_families_once(void **state)
{
	struct buf b;
	char *p = page_of(stats_text, &b), *line, *save;
	char seen[64][80];
	size_t n = 0, i;

	(void)state;
	for (line = strtok_r(p, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[80];

		if (strncmp(line, "# TYPE ", 7) != 0)
			continue;
		assert_int_equal(sscanf(line + 7, "%79s", name), 1);
		for (i = 0; i < n; i++)
			assert_string_not_equal(seen[i], name);
		assert_true(n < 64);
		memcpy(seen[n++], name, sizeof(name));
	}
	assert_true(n > 15);
	buf_release(&b);
}

static void
test_no_redis(void **state)
{
	struct buf b;
	const char *p = page_of("{\"connections\":0,\"redis\":\"off\"}", &b);

	(void)state;
	assert_null(strstr(p, "redis"));
	buf_release(&b);
	p = page_of("{}", &b);
	assert_non_null(strstr(p, "georoomd_build_info"));
	buf_release(&b);
}

static void
test_health(void **state)
{
	char why[64];
	jv s;

	(void)state;
	s = jv_parse("{\"connections\":0}");
	assert_int_equal(metrics_healthy(s, 0, why, sizeof(why)), 1);
	assert_int_equal(metrics_healthy(s, 1, why, sizeof(why)), 0);
	assert_string_equal(why, "shutting down");
	jv_free(s);
	s = jv_parse("{\"redis\":\"up\"}");
	assert_int_equal(metrics_healthy(s, 0, why, sizeof(why)), 1);
	jv_free(s);
	s = jv_parse("{\"redis\":\"off\"}");
	assert_int_equal(metrics_healthy(s, 0, why, sizeof(why)), 1);
	jv_free(s);
	s = jv_parse("{\"redis\":\"down\"}");
	assert_int_equal(metrics_healthy(s, 0, why, sizeof(why)), 0);
	assert_string_equal(why, "redis link down");
	jv_free(s);
	s = jv_parse("{\"redis\":\"connecting\"}");
	assert_int_equal(metrics_healthy(s, 0, why, sizeof(why)), 0);
	assert_string_equal(why, "redis link connecting");
	jv_free(s);
}

/* A page over the buffer's cap fails, for a 500. */
static void
test_cap(void **state)
{
	struct buf b;
	jv s = jv_parse(stats_text);

	(void)state;
	buf_init(&b, 256);
	assert_int_equal(metrics_page(&b, s), -1);
	buf_release(&b);
	jv_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_families_once),
		cmocka_unit_test(test_no_redis),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
