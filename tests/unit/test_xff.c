/* test_xff.c - the client's address behind trusted proxies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "xff.h"

static struct cidr trusted[2];

static int
setup(void **state)
{
	char err[64];

	(void)state;
	if (cidr_parse("127.0.0.0/8", &trusted[0], err, sizeof(err)) == -1 ||
	    cidr_parse("10.0.0.0/8", &trusted[1], err, sizeof(err)) == -1)
		return -1;
	return 0;
}

/* The client xff_client() finds for 'hdr' from 'peer', as text; the
 * number of hops taken in *hops. */
static const char *
client_of(const char *peer, const char *hdr, int *hops)
{
	static char buf[CIDR_ADDR_STRLEN];
	struct cidr_addr p, c;

	assert_int_equal(cidr_addr_parse(peer, strlen(peer), &p), 0);
	*hops = xff_client(hdr, strlen(hdr), &p, trusted, 2, &c);
	return cidr_addr_format(&c, buf, sizeof(buf));
}

static void
test_an_untrusted_peer_is_the_client(void **state)
{
	int hops;

	(void)state;
	assert_string_equal(client_of("203.0.113.5", "198.51.100.1", &hops),
	    "203.0.113.5");
	assert_int_equal(hops, 0);
}

static void
test_a_trusted_proxy_names_the_client(void **state)
{
	int hops;

	(void)state;
	assert_string_equal(client_of("127.0.0.1", "198.51.100.1", &hops),
	    "198.51.100.1");
	assert_int_equal(hops, 1);
	/* What the client itself wrote on the left is not believed. */
	assert_string_equal(client_of("127.0.0.1", "1.1.1.1, 198.51.100.1",
	                        &hops),
	    "198.51.100.1");
	assert_int_equal(hops, 1);
}

static void
test_trusted_hops_are_passed_from_the_right(void **state)
{
	int hops;

	(void)state;
	assert_string_equal(client_of("127.0.0.1",
	                        "6.6.6.6, 198.51.100.1, 10.0.0.2,10.1.1.1",
	                        &hops),
	    "198.51.100.1");
	assert_int_equal(hops, 3);
	/* Every hop trusted: the leftmost is all there is. */
	assert_string_equal(client_of("127.0.0.1", "10.0.0.2, 10.0.0.3",
	                        &hops),
	    "10.0.0.2");
	assert_int_equal(hops, 2);
}

static void
test_ports_brackets_and_ipv6(void **state)
{
	int hops;

	(void)state;
	assert_string_equal(client_of("127.0.0.1", "198.51.100.1:4711", &hops),
	    "198.51.100.1");
	assert_string_equal(client_of("127.0.0.1", "2001:db8::7", &hops),
	    "2001:db8::7");
	assert_string_equal(client_of("127.0.0.1", "[2001:db8::7]:443", &hops),
	    "2001:db8::7");
	assert_string_equal(client_of("127.0.0.1", "[2001:db8::8]", &hops),
	    "2001:db8::8");
	assert_string_equal(client_of("::ffff:127.0.0.1",
	                        "::ffff:10.0.0.1, "
	                        "::ffff:192.0.2.1",
	                        &hops),
	    "192.0.2.1");
}

static void
test_garbage_stops_the_walk(void **state)
{
	static const char *const junk[] = { "unknown", "1.2.3.4:", "[::1",
		"[1.2.3.4]", "1.2.3.4:123456", "[::1]x", "1.2.3.4:80:80",
		"::1:80x", "_gateway", "300.1.1.1", "1:2" };
	size_t i;
	int hops;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		assert_string_equal(client_of("127.0.0.1", junk[i], &hops),
		    "127.0.0.1");
		assert_int_equal(hops, 0);
	}
	/* The last good address stays: 10.0.0.5 says what it served. */
	assert_string_equal(client_of("127.0.0.1", "nonsense, 10.0.0.5",
	                        &hops),
	    "10.0.0.5");
	assert_int_equal(hops, 1);
}

static void
test_empty_and_blank_headers(void **state)
{
	int hops;

	(void)state;
	assert_string_equal(client_of("127.0.0.1", "", &hops), "127.0.0.1");
	assert_string_equal(client_of("127.0.0.1", " ,, \t", &hops),
	    "127.0.0.1");
	assert_string_equal(client_of("127.0.0.1", " 198.51.100.1 ,", &hops),
	    "198.51.100.1");
	assert_int_equal(hops, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_untrusted_peer_is_the_client),
		cmocka_unit_test(test_a_trusted_proxy_names_the_client),
		cmocka_unit_test(test_trusted_hops_are_passed_from_the_right),
		cmocka_unit_test(test_ports_brackets_and_ipv6),
		cmocka_unit_test(test_garbage_stops_the_walk),
		cmocka_unit_test(test_empty_and_blank_headers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
