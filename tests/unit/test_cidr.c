/* test_cidr.c - addresses and networks: parsing, writing, matching. */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cidr.h"

static struct cidr_addr
addr(const char *s)
{
	struct cidr_addr a;

	assert_int_equal(cidr_addr_parse(s, strlen(s), &a), 0);
	return a;
}

static const char *
text(const struct cidr_addr *a)
{
	static char buf[CIDR_ADDR_STRLEN];

	return cidr_addr_format(a, buf, sizeof(buf));
}

static void
test_addresses_round_trip(void **state)
{
	static const char *const good[] = { "127.0.0.1", "0.0.0.0",
		"255.255.255.255", "::1", "::", "2001:db8::1",
		"fe80::1:2:3:4" };
	struct cidr_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		a = addr(good[i]);
		assert_string_equal(text(&a), good[i]);
	}
	a = addr("10.1.2.3");
	assert_int_equal(a.len, 4);
	assert_memory_equal(a.bytes, "\x0a\x01\x02\x03", 4);
	/* Not NUL-terminated: the length decides. */
	assert_int_equal(cidr_addr_parse("10.0.0.1junk", 8, &a), 0);
	assert_string_equal(text(&a), "10.0.0.1");
}

static void
test_ipv4_mapped_is_ipv4(void **state)
{
	struct cidr_addr a = addr("::ffff:192.0.2.7"), b = addr("192.0.2.7");

	(void)state;
	assert_int_equal(a.len, 4);
	assert_true(cidr_addr_equal(&a, &b));
	assert_string_equal(text(&a), "192.0.2.7");
}

static void
test_bad_addresses_are_refused(void **state)
{
	static const char *const bad[] = { "", "1.2.3", "1.2.3.4.5",
		"256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
		"::1::", "example.org", "fe80::1%eth0", "[::1]", "1.2.3.4/8",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999" };
	struct cidr_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cidr_addr_parse(bad[i], strlen(bad[i]), &a),
		    -1);
	assert_int_equal(cidr_addr_parse("1.2\0.3.4", 8, &a), -1);
}

static void
test_socket_addresses(void **state)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr sa;
	struct cidr_addr a;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(0x7f000002);
	assert_int_equal(cidr_addr_from_sockaddr((struct sockaddr *)&in,
	                     sizeof(in), &a),
	    0);
	assert_string_equal(text(&a), "127.0.0.2");
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	memcpy(in6.sin6_addr.s6_addr,
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\0\0\x09", 16);
	assert_int_equal(cidr_addr_from_sockaddr((struct sockaddr *)&in6,
	                     sizeof(in6), &a),
	    0);
	assert_string_equal(text(&a), "10.0.0.9");
	in6.sin6_addr.s6_addr[10] = 0;
	assert_int_equal(cidr_addr_from_sockaddr((struct sockaddr *)&in6,
	                     sizeof(in6), &a),
	    0);
	assert_int_equal(a.len, 16);
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_int_equal(cidr_addr_from_sockaddr(&sa, sizeof(sa), &a), -1);
	assert_int_equal(cidr_addr_from_sockaddr((struct sockaddr *)&in, 4,
	                     &a),
	    -1);
}

static void
test_networks_match_their_addresses(void **state)
{
	struct cidr c;
	struct cidr_addr a;
	char err[128];

	(void)state;
	assert_int_equal(cidr_parse("10.0.0.0/8", &c, err, sizeof(err)), 0);
	a = addr("10.200.3.4");
	assert_true(cidr_match(&c, &a));
	a = addr("11.0.0.0");
	assert_false(cidr_match(&c, &a));
	a = addr("::ffff:10.0.0.1");
	assert_true(cidr_match(&c, &a));
	a = addr("::a00:1");
	assert_false(cidr_match(&c, &a)); /* IPv6, whatever its bits */

	assert_int_equal(cidr_parse("127.0.0.1", &c, err, sizeof(err)), 0);
	assert_int_equal(c.bits, 32);
	a = addr("127.0.0.1");
	assert_true(cidr_match(&c, &a));
	a = addr("127.0.0.2");
	assert_false(cidr_match(&c, &a));

	assert_int_equal(cidr_parse("2001:db8::/33", &c, err, sizeof(err)), 0);
	a = addr("2001:db8:7fff::1");
	assert_true(cidr_match(&c, &a));
	a = addr("2001:db8:8000::1");
	assert_false(cidr_match(&c, &a));

	/* Bits past the prefix are dropped, as nginx does. */
	assert_int_equal(cidr_parse("192.168.1.77/24", &c, err, sizeof(err)),
	    0);
	assert_string_equal(text(&c.addr), "192.168.1.0");
	a = addr("192.168.1.200");
	assert_true(cidr_match(&c, &a));

	assert_int_equal(cidr_parse("0.0.0.0/0", &c, err, sizeof(err)), 0);
	a = addr("203.0.113.9");
	assert_true(cidr_match(&c, &a));
	a = addr("::1");
	assert_false(cidr_match(&c, &a));
	assert_int_equal(cidr_parse("::/0", &c, err, sizeof(err)), 0);
	assert_true(cidr_match(&c, &a));

	/* An IPv4-mapped network is the IPv4 network. */
	assert_int_equal(cidr_parse("::ffff:10.0.0.0/104", &c, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(c.addr.len, 4);
	assert_int_equal(c.bits, 8);
}

static void
test_bad_networks_say_why(void **state)
{
	static const char *const bad[] = { "10.0.0.0/33", "::/129",
		"10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0.0/8x",
		"10.0.0.0/0008", "10.0.0/8", "/8", "", "::ffff:10.0.0.0/95",
		"a.b.c.d/8" };
	struct cidr c;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(cidr_parse(bad[i], &c, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
}

static void
test_a_list_matches_any_of_its_networks(void **state)
{
	struct cidr list[2];
	struct cidr_addr a;
	char err[64];

	(void)state;
	assert_int_equal(cidr_parse("127.0.0.0/8", &list[0], err, sizeof(err)),
	    0);
	assert_int_equal(cidr_parse("::1", &list[1], err, sizeof(err)), 0);
	a = addr("127.9.9.9");
	assert_true(cidr_match_any(list, 2, &a));
	a = addr("::1");
	assert_true(cidr_match_any(list, 2, &a));
	a = addr("::2");
	assert_false(cidr_match_any(list, 2, &a));
	assert_false(cidr_match_any(list, 0, &a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses_round_trip),
		cmocka_unit_test(test_ipv4_mapped_is_ipv4),
		cmocka_unit_test(test_bad_addresses_are_refused),
		cmocka_unit_test(test_socket_addresses),
		cmocka_unit_test(test_networks_match_their_addresses),
		cmocka_unit_test(test_bad_networks_say_why),
		cmocka_unit_test(test_a_list_matches_any_of_its_networks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
