/* test_siorx.c - what one whole WebSocket message from a peer is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "siorx.h"

#define MAX 100

/* Feeds a NUL-terminated text message. */
static enum siorx_kind
text(struct siorx *rx, const char *s, struct siorx_msg *m, char *err,
    size_t errlen)
{
	return siorx_feed(rx, s, strlen(s), 0, MAX, m, err, errlen);
}

static enum siorx_kind
bin(struct siorx *rx, const void *p, size_t len, struct siorx_msg *m,
    char *err, size_t errlen)
{
	return siorx_feed(rx, p, len, 1, MAX, m, err, errlen);
}

static void
test_engine_io_packets(void **state)
{
	static const struct {
		const char *msg;
		enum eio_type type;
		const char *payload;
	} cases[] = {
		{ "2probe", EIO_PING, "probe" },
		{ "3", EIO_PONG, "" },
		{ "1", EIO_CLOSE, "" },
		{ "5", EIO_UPGRADE, "" },
		{ "6", EIO_NOOP, "" },
		{ "0{\"sid\":\"x\"}", EIO_OPEN, "{\"sid\":\"x\"}" },
	};
	struct siorx rx;
	struct siorx_msg m;
	char err[64];
	size_t i;

	(void)state;
	siorx_init(&rx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(text(&rx, cases[i].msg, &m, err, sizeof(err)),
		    SIORX_EIO);
		assert_int_equal(m.eio, cases[i].type);
		assert_int_equal(m.payload_len, strlen(cases[i].payload));
		assert_memory_equal(m.payload, cases[i].payload,
		    m.payload_len);
		sio_packet_release(&m.pkt); /* harmless */
	}
	siorx_release(&rx);
}

static void
test_a_whole_packet(void **state)
{
	struct siorx rx;
	struct siorx_msg m;
	char err[64];

	(void)state;
	siorx_init(&rx);
	assert_int_equal(text(&rx, "42/ns,7[\"m\",1]", &m, err, sizeof(err)),
	    SIORX_PACKET);
	assert_int_equal(m.pkt.h.type, SIO_EVENT);
	assert_int_equal(m.pkt.h.nsp_len, 3);
	assert_memory_equal(m.pkt.h.nsp, "/ns", 3);
	assert_int_equal(m.pkt.h.ack_id, 7);
	assert_int_equal(m.pkt.json_len, 7);
	assert_null(m.att);
	assert_int_equal(m.natt, 0);
	sio_packet_release(&m.pkt);
	siorx_release(&rx);
}

static void
test_a_binary_packet(void **state)
{
	static const char msg[] =
	    "452-[\"m\",{\"_placeholder\":true,\"num\":0},"
	    "{\"_placeholder\":true,\"num\":1}]";
	char buf[sizeof(msg)];
	struct siorx rx;
	struct siorx_msg m;
	char err[64];

	(void)state;
	siorx_init(&rx);
	memcpy(buf, msg, sizeof(msg));
	assert_int_equal(siorx_held(&rx), 0);
	assert_int_equal(text(&rx, buf, &m, err, sizeof(err)), SIORX_BEGIN);
	assert_int_equal(m.pkt.h.type, SIO_BINARY_EVENT);
	assert_int_equal(m.pkt.h.attachments, 2);
	sio_packet_release(&m.pkt);
	assert_int_equal(siorx_held(&rx), sizeof(msg) - 2); /* but "4" */
	memset(buf, 0, sizeof(buf)); /* the message's buffer is reused */
	assert_int_equal(bin(&rx, "\1\2\3", 3, &m, err, sizeof(err)),
	    SIORX_MORE);
	assert_int_equal(siorx_held(&rx), sizeof(msg) - 2 + 3);
	assert_int_equal(bin(&rx, "", 0, &m, err, sizeof(err)), SIORX_PACKET);
	assert_int_equal(siorx_held(&rx), 0); /* whole: lent out, not due */
	assert_int_equal(m.pkt.h.type, SIO_BINARY_EVENT);
	assert_int_equal(m.pkt.h.attachments, 2);
	assert_int_equal(m.natt, 2);
	assert_int_equal(m.att[0].iov_len, 3);
	assert_memory_equal(m.att[0].iov_base, "\1\2\3", 3);
	assert_int_equal(m.att[1].iov_len, 0);
	assert_memory_equal(m.pkt.json, "[\"m\"", 4);
	sio_packet_release(&m.pkt);
	/* Done: the next message starts afresh. */
	assert_int_equal(text(&rx, "3", &m, err, sizeof(err)), SIORX_EIO);
	assert_int_equal(bin(&rx, "x", 1, &m, err, sizeof(err)),
	    SIORX_ERR_UNANNOUNCED);
	siorx_release(&rx);
}

static void
test_a_binary_ack(void **state)
{
	struct siorx rx;
	struct siorx_msg m;
	char err[64];

	(void)state;
	siorx_init(&rx);
	assert_int_equal(text(&rx,
	                     "461-/a,3[{\"_placeholder\":true,"
	                     "\"num\":0}]",
	                     &m, err, sizeof(err)),
	    SIORX_BEGIN);
	sio_packet_release(&m.pkt);
	assert_int_equal(bin(&rx, "ab", 2, &m, err, sizeof(err)),
	    SIORX_PACKET);
	assert_int_equal(m.pkt.h.type, SIO_BINARY_ACK);
	assert_int_equal(m.pkt.h.ack_id, 3);
	assert_memory_equal(m.pkt.h.nsp, "/a", 2);
	assert_int_equal(m.natt, 1);
	sio_packet_release(&m.pkt);
	siorx_release(&rx);
}

static void
test_cancel_drops_the_pending_packet(void **state)
{
	struct siorx rx;
	struct siorx_msg m;
	char err[64];

	(void)state;
	siorx_init(&rx);
	assert_int_equal(text(&rx,
	                     "451-[\"m\",{\"_placeholder\":true,"
	                     "\"num\":0}]",
	                     &m, err, sizeof(err)),
	    SIORX_BEGIN);
	sio_packet_release(&m.pkt);
	siorx_cancel(&rx);
	assert_int_equal(bin(&rx, "x", 1, &m, err, sizeof(err)),
	    SIORX_ERR_UNANNOUNCED);
	assert_int_equal(text(&rx, "3", &m, err, sizeof(err)), SIORX_EIO);
	siorx_release(&rx);
}

static void
test_errors(void **state)
{
	struct siorx rx;
	struct siorx_msg m;
	char err[64], big[MAX + 1];

	(void)state;
	siorx_init(&rx);
	err[0] = '\0';
	assert_int_equal(text(&rx, "", &m, err, sizeof(err)),
	    SIORX_ERR_NOT_EIO);
	assert_string_equal(err, "not an Engine.IO packet");
	assert_int_equal(text(&rx, "x", &m, err, sizeof(err)),
	    SIORX_ERR_NOT_EIO);
	err[0] = '\0';
	assert_int_equal(text(&rx, "4x", &m, err, sizeof(err)), SIORX_ERR_SIO);
	assert_true(err[0] != '\0');
	sio_packet_release(&m.pkt); /* harmless */
	/* Too many attachments is a bad header. */
	assert_int_equal(text(&rx, "4565-[\"m\"]", &m, err, sizeof(err)),
	    SIORX_ERR_SIO);
	assert_string_equal(err, "too many attachments");
	assert_int_equal(bin(&rx, "x", 1, &m, err, sizeof(err)),
	    SIORX_ERR_UNANNOUNCED);
	assert_string_equal(err, "a binary message no packet announced");
	/* No reason wanted. */
	assert_int_equal(siorx_feed(&rx, "x", 1, 0, MAX, &m, NULL, 0),
	    SIORX_ERR_NOT_EIO);

	assert_int_equal(text(&rx,
	                     "452-[\"m\",{\"_placeholder\":true,"
	                     "\"num\":0},{\"_placeholder\":true,"
	                     "\"num\":1}]",
	                     &m, err, sizeof(err)),
	    SIORX_BEGIN);
	sio_packet_release(&m.pkt);
	assert_int_equal(text(&rx, "3", &m, err, sizeof(err)),
	    SIORX_ERR_TEXT_DUE);
	assert_int_equal(bin(&rx, "12345", 5, &m, err, sizeof(err)),
	    SIORX_MORE);
	memset(big, 'b', sizeof(big));
	assert_int_equal(bin(&rx, big, MAX - 4, &m, err, sizeof(err)),
	    SIORX_ERR_TOO_BIG);
	assert_string_equal(err, "attachments over 100 bytes");
	/* The packet is gone with its attachments. */
	assert_int_equal(bin(&rx, "x", 1, &m, err, sizeof(err)),
	    SIORX_ERR_UNANNOUNCED);
	assert_int_equal(text(&rx,
	                     "451-[\"m\",{\"_placeholder\":true,"
	                     "\"num\":0}]",
	                     &m, err, sizeof(err)),
	    SIORX_BEGIN);
	sio_packet_release(&m.pkt);
	assert_int_equal(bin(&rx, big, sizeof(big), &m, err, sizeof(err)),
	    SIORX_ERR_TOO_BIG);
	siorx_release(&rx);
}

/*
 * A placeholder must name one of the packet's attachments, as
 * socket.io-parser's reconstructPacket checks: else every socket.io-client
 * it is relayed to throws "illegal attachments" and drops its connection.
 */
static void
test_placeholders_name_attachments(void **state)
{
	static const char *const refused[] = {
		/* The num out of range, not a number, missing, not whole. */
		"451-[\"chat\",{\"roomName\":\"p\",\"message\":"
		"{\"_placeholder\":true,\"num\":5}}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":\"0\"}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":-1}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":1}]",
		"452-[\"m\",{\"_placeholder\":true,\"num\":2}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":1e300}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":null}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":true}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":[0]}]",
		"451-[\"m\",{\"_placeholder\":true}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":0.5}]",
		/* Wherever it is: deep, in an array, beside a good one. */
		"451-[\"m\",{\"a\":[1,{\"b\":{\"_placeholder\":true,"
		"\"num\":3}}]}]",
		"452-[\"m\",{\"_placeholder\":true,\"num\":0},"
		"{\"_placeholder\":true,\"num\":7}]",
		/* A key's last value is the one that counts, as JSON.parse. */
		"451-[\"m\",{\"_placeholder\":true,\"num\":0,\"num\":1}]",
		/* Inside an object whose _placeholder is not true. */
		"451-[\"m\",{\"_placeholder\":false,\"x\":"
		"{\"_placeholder\":true,\"num\":1}}]",
		/* In an ack, too. */
		"461-3[{\"_placeholder\":true,\"num\":1}]",
	};
	static const char *const taken[] = {
		"451-[\"m\",{\"_placeholder\":true,\"num\":0}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":-0}]",
		"451-[\"m\",{\"_placeholder\":true,\"num\":0.0}]",
		/* Other members go unread, as socket.io-parser does. */
		"451-[\"m\",{\"_placeholder\":true,\"num\":0,\"x\":"
		"{\"_placeholder\":true,\"num\":9}}]",
		/* Only true makes a placeholder; otherwise it is data. */
		"451-[\"m\",{\"_placeholder\":\"true\",\"num\":9}]",
		"451-[\"m\",{\"_placeholder\":1,\"num\":9}]",
		"451-[\"m\",{\"_placeholder\":false}]",
		"451-[\"m\",{\"placeholder\":true,\"num\":9}]",
		/* None at all: the attachments are only announced. */
		"452-[\"m\",1,\"x\",[{}]]",
		"461-3[]",
	};
	struct siorx rx;
	struct siorx_msg m;
	char err[80];
	size_t i;

	(void)state;
	siorx_init(&rx);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		err[0] = '\0';
		if (text(&rx, refused[i], &m, err, sizeof(err)) !=
		    SIORX_ERR_SIO)
			fail_msg("taken: %s", refused[i]);
		assert_string_equal(err,
		    "a placeholder names no attachment "
		    "(illegal attachments)");
		sio_packet_release(&m.pkt); /* harmless */
		/* Nothing is pending: an attachment is unannounced. */
		assert_int_equal(bin(&rx, "x", 1, &m, err, sizeof(err)),
		    SIORX_ERR_UNANNOUNCED);
	}
	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		if (text(&rx, taken[i], &m, err, sizeof(err)) != SIORX_BEGIN)
			fail_msg("refused: %s: %s", taken[i], err);
		sio_packet_release(&m.pkt);
		siorx_cancel(&rx);
	}
	/* No placeholder rule for packets that are not binary. */
	assert_int_equal(text(&rx,
	                     "42[\"m\",{\"_placeholder\":true,"
	                     "\"num\":5}]",
	                     &m, err, sizeof(err)),
	    SIORX_PACKET);
	sio_packet_release(&m.pkt);
	siorx_release(&rx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_io_packets),
		cmocka_unit_test(test_a_whole_packet),
		cmocka_unit_test(test_a_binary_packet),
		cmocka_unit_test(test_a_binary_ack),
		cmocka_unit_test(test_cancel_drops_the_pending_packet),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_placeholders_name_attachments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
