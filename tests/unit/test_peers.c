/* test_peers.c - connections counted per client address. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "peers.h"

static const uint8_t seed[16] = "0123456789abcdef";

static struct cidr_addr
addr(const char *s)
{
	struct cidr_addr a;

	assert_int_equal(cidr_addr_parse(s, strlen(s), &a), 0);
	return a;
}

static void
test_connections_are_counted_per_address(void **state)
{
	struct peers p;
	struct cidr_addr a = addr("127.0.0.2"), b = addr("::1"),
	                 a6 = addr("::ffff:127.0.0.2");
	struct peer *ea, *eb;

	(void)state;
	peers_init(&p, seed);
	assert_null(peers_find(&p, &a));
	ea = peers_add(&p, &a);
	assert_non_null(ea);
	assert_ptr_equal(peers_add(&p, &a6), ea); /* the same client */
	eb = peers_add(&p, &b);
	assert_non_null(eb);
	assert_int_equal(ea->conns, 2);
	assert_int_equal(eb->conns, 1);
	assert_int_equal(peers_count(&p), 2);
	peers_drop(&p, ea);
	assert_ptr_equal(peers_find(&p, &a), ea);
	peers_drop(&p, ea);
	assert_null(peers_find(&p, &a));
	assert_int_equal(peers_count(&p), 1);
	peers_release(&p); /* frees eb */
}

static void
test_the_table_holds_only_addresses_with_connections(void **state)
{
	struct peers p;
	struct peer *e[1000];
	struct cidr_addr a;
	char text[32];
	int i;

	(void)state;
	peers_init(&p, seed);
	for (i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "10.0.%d.%d", i / 256, i % 256);
		a = addr(text);
		e[i] = peers_add(&p, &a);
		assert_non_null(e[i]);
	}
	assert_int_equal(peers_count(&p), 1000);
	for (i = 0; i < 1000; i++)
		peers_drop(&p, e[i]);
	assert_int_equal(peers_count(&p), 0);
	peers_release(&p);
}

static void
test_no_address_is_refused(void **state)
{
	struct peers p;
	struct cidr_addr none;

	(void)state;
	memset(&none, 0, sizeof(none));
	peers_init(&p, seed);
	errno = 0;
	assert_null(peers_add(&p, &none));
	assert_int_equal(errno, EINVAL);
	peers_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connections_are_counted_per_address),
		cmocka_unit_test(
		    test_the_table_holds_only_addresses_with_connections),
		cmocka_unit_test(test_no_address_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
