# georoom - top-level Makefile (GNU make).
#
#   make                  build bin/georoomd, bin/geoput, bin/geoget,
#                         bin/georoom-cli
#   make check            build, then run unit (cmocka) and program (TAP) tests
#   make check SANITIZE=1 the same, built with ASan and UBSan in build/san
#   make WERROR=1         turn warnings into errors
#   make fuzz             build and briefly run the libFuzzer targets (clang)
#   make lint             refuse banned calls, lint the man pages
#   make format-check     list the C files .clang-format would change
#   make install          PREFIX (/usr/local) and DESTDIR are honoured

PREFIX ?= /usr/local
DESTDIR ?=
MANDIR ?= $(PREFIX)/share/man

ifeq ($(origin CC),default)
CC := gcc
endif
PKG_CONFIG ?= pkg-config

# Sanitizer builds live apart so that their objects never mix with the
# normal ones; their programs are in build/san/bin, and the tests are told.
ifdef SANITIZE
B := build/san
BINDIR := build/san/bin
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
else
B := build/rel
BINDIR := bin
SANFLAGS :=
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifdef WERROR
WARN += -Werror
endif

# Dependencies come through pkg-config, plus libjq, which ships no .pc file.
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags libwebsockets libuv libcurl \
	libmariadb msgpack 2>/dev/null)
LWS_LIBS := $(call pkg_libs,libwebsockets)
UV_LIBS := $(call pkg_libs,libuv)
CURL_LIBS := $(call pkg_libs,libcurl)
MARIADB_LIBS := $(call pkg_libs,libmariadb)
HIREDIS_LIBS := $(call pkg_libs,hiredis)
MSGPACK_LIBS := $(call pkg_libs,msgpack)
SSL_LIBS := $(call pkg_libs,openssl)
MSGPACK_CFLAGS := $(shell $(PKG_CONFIG) --cflags msgpack 2>/dev/null)
# Token signatures (proto/jwt.o); libwebsockets links OpenSSL already.
CRYPTO_LIBS := $(call pkg_libs,libcrypto)
JQ_LIBS := -ljq

CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(CFLAGS) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) \
	-D_GNU_SOURCE $(LAYER_INC) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

# src/ is one folder a layer; a folder sees its own headers and those of
# the layers below it, never above, so that a wrong #include fails to build:
#   common/  options, logging, clocks, JSON text, buffers, hash table,
#            reconnection backoff
#   proto/   the Engine.IO/Socket.IO/WebSocket codec and the cluster's
#            messages (uses common/)
#   ctl/     the control protocol and a producer's connection (proto/)
#   net/     the libuv loop that libwebsockets joins, signals, teardown,
#            the link to Redis
#   hub/ put/ cli/  each program's own layer (ctl/ and below; hub/ and
#            cli/ net/ too)
#   get/     geoget's questions, over put/'s database side
#   src/*.c  the mains, which only wire modules together
LAYERS_BELOW_common :=
LAYERS_BELOW_proto := common
LAYERS_BELOW_ctl := common proto
LAYERS_BELOW_net := common proto ctl
LAYERS_BELOW_hub := common proto ctl net
LAYERS_BELOW_put := common proto ctl
LAYERS_BELOW_cli := common proto ctl net
LAYERS_BELOW_get := common proto ctl put
ALL_LAYERS := common proto ctl net hub put get cli
LAYER_INC = $(addprefix -Isrc/,$(ALL_LAYERS))

# Each program's objects, listed explicitly, by layer.
COMMON_OBJ := $(addprefix common/,cmdline.o mono.o buf.o)
PROTO_OBJ := $(addprefix proto/,eio.o sio.o wsmsg.o sioatt.o siorx.o) \
	common/json.o common/jsonv.o
HUB_OBJ := $(addprefix hub/,outq.o room.o acks.o retain.o hub.o hubview.o ctlserver.o \
	ctlreq.o serve.o rxtap.o recovery.o polling.o) proto/eiopoll.o \
	common/b64.o \
	net/evloop.o net/linger.o net/listener.o net/sendpool.o net/tlscert.o \
	proto/wsframe.o \
	proto/wsscan.o \
	common/hashtab.o common/log.o ctl/ctl.o \
	hub/cluster.o hub/clusterask.o net/redislink.o common/redisurl.o common/pct.o \
	common/errbuf.o common/backoff.o proto/clustermsg.o proto/jsonw.o \
	proto/shardmsg.o proto/mpjson.o proto/mpack.o common/jsnum.o \
	hub/ratelimit.o hub/peers.o hub/xff.o common/cidr.o hub/refuselog.o \
	hub/metrics.o hub/metricsd.o net/httpserv.o proto/httpreq.o \
	common/promtext.o
GEOROOMD_OBJ := georoomd.o hub/hubopt.o hub/contract.o hub/authz.o proto/jwt.o \
	common/jsnum.o $(HUB_OBJ) $(PROTO_OBJ) $(COMMON_OBJ)
GEOPUT_OBJ := geoput.o $(addprefix put/,putopt.o input.o batch.o store.o notify.o \
	roommsg.o geojson.o record.o locid.o stamp.o wkb.o rowjson.o jsonin.o strictjson.o \
	dburl.o dbsql.o db.o feed.o emitter.o redispub.o) ctl/ctlclient.o ctl/ctl.o \
	common/hashtab.o \
	proto/sio.o common/jsonv.o common/json.o common/jsnum.o common/errbuf.o \
	common/jqfilter.o common/pct.o common/redisurl.o proto/clustermsg.o proto/jsonw.o \
	proto/mpjson.o proto/mpack.o $(COMMON_OBJ)
# geoget reads what geoput writes, through the same connection code.
GEOGET_OBJ := geoget.o $(addprefix get/,getargs.o getsql.o area.o polyarea.o \
	lookup.o) $(addprefix put/,db.o dbsql.o dburl.o rowjson.o wkb.o locid.o \
	stamp.o geojson.o strictjson.o input.o feed.o) common/json.o common/jsnum.o \
	common/errbuf.o common/pct.o $(COMMON_OBJ)
GEOFENCE_OBJ := geofence.o $(addprefix put/,fenceopt.o fence.o input.o feed.o geojson.o rowjson.o \
	locid.o stamp.o wkb.o strictjson.o dburl.o dbsql.o db.o) common/json.o \
	common/jsnum.o common/errbuf.o common/pct.o $(COMMON_OBJ)
CLI_OBJ := georoom-cli.o $(addprefix cli/,cliopt.o roomfile.o sioclient.o wsurl.o \
	climsg.o cmd.o eventfmt.o output.o query.o pump.o session.o loop.o \
	linein.o) common/linebuf.o common/backoff.o \
	common/jqfilter.o common/errbuf.o \
	net/evloop.o ctl/ctlclient.o ctl/ctl.o common/log.o $(PROTO_OBJ) \
	$(COMMON_OBJ)

# The cluster's wire format (issue 13), in MessagePack through msgpack-c:
# linked by the tests so far.
MPACK_OBJ := proto/mpack.o common/buf.o
MPJSON_OBJ := proto/mpjson.o common/json.o common/jsnum.o common/errbuf.o \
	$(MPACK_OBJ)
CLUSTERMSG_OBJ := proto/clustermsg.o proto/shardmsg.o proto/jsonw.o proto/sio.o \
	common/jsonv.o $(MPJSON_OBJ)

PROGS := $(BINDIR)/georoomd $(BINDIR)/geoput $(BINDIR)/geoget \
	$(BINDIR)/georoom-cli $(BINDIR)/geofence

# Test programs, built by make check and never installed.
CONFORMANCE := $(B)/sio-conformance
CONFORMANCE_OBJ := $(HUB_OBJ) $(PROTO_OBJ) $(COMMON_OBJ)
# The Redis link driven from a line protocol, for tests/prog/50-redislink.t.
PROBE := $(B)/redislink-probe
PROBE_OBJ := net/redislink.o common/redisurl.o common/pct.o common/errbuf.o \
	common/backoff.o common/mono.o common/linebuf.o common/hashtab.o
# Decodes and encodes cluster messages for tests/node/clustermsg-vectors.js.
CLUSTERMSG_DRIVER := $(B)/clustermsg-driver

# Each program links only the libraries it uses.
$(BINDIR)/georoomd: LIBS := $(LWS_LIBS) $(UV_LIBS) $(JQ_LIBS) \
	$(HIREDIS_LIBS) $(MSGPACK_LIBS) $(SSL_LIBS) $(CRYPTO_LIBS) -lm
$(BINDIR)/geoput: LIBS := $(MARIADB_LIBS) $(CURL_LIBS) $(JQ_LIBS) \
	$(HIREDIS_LIBS) $(MSGPACK_LIBS) -lpthread -lm
$(BINDIR)/geoget: LIBS := $(MARIADB_LIBS) $(CURL_LIBS) $(JQ_LIBS) -lm
$(BINDIR)/georoom-cli: LIBS := $(LWS_LIBS) $(UV_LIBS) $(JQ_LIBS) -lm
$(BINDIR)/geofence: LIBS := $(MARIADB_LIBS) $(CURL_LIBS) $(JQ_LIBS) -lm

# Unit tests: tests/unit/test_<name>.c linked with the modules it names.
UNIT_TESTS := test_cmdline
test_cmdline_OBJ := common/cmdline.o
test_cmdline_LIBS :=
UNIT_TESTS += test_backoff test_pct
test_backoff_OBJ := common/backoff.o
test_backoff_LIBS := -lm
test_pct_OBJ := common/pct.o
test_pct_LIBS :=
UNIT_TESTS += test_redisurl
test_redisurl_OBJ := common/redisurl.o common/pct.o common/errbuf.o
test_redisurl_LIBS :=

# The codec's unit tests.
UNIT_TESTS += test_eio test_sio test_wsframe
test_eio_OBJ := proto/eio.o common/json.o
test_eio_LIBS :=
test_sio_OBJ := proto/sio.o common/jsonv.o common/json.o
test_sio_LIBS := $(JQ_LIBS)
test_wsframe_OBJ := proto/wsframe.o
test_wsframe_LIBS :=
UNIT_TESTS += test_httpreq
test_httpreq_OBJ := proto/httpreq.o
test_httpreq_LIBS :=
UNIT_TESTS += test_log
test_log_OBJ := common/log.o
test_log_LIBS :=
UNIT_TESTS += test_promtext
test_promtext_OBJ := common/promtext.o common/buf.o
test_promtext_LIBS :=
UNIT_TESTS += test_json test_jsonv
test_json_OBJ := common/json.o
test_json_LIBS :=
test_jsonv_OBJ := common/jsonv.o common/json.o
test_jsonv_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_wsmsg test_sioatt
test_wsmsg_OBJ := proto/wsmsg.o common/buf.o
test_wsmsg_LIBS :=
UNIT_TESTS += test_wsscan test_eiopoll
test_eiopoll_OBJ := proto/eiopoll.o proto/wsframe.o common/b64.o
test_eiopoll_LIBS :=
test_wsscan_OBJ := proto/wsscan.o
test_wsscan_LIBS :=
test_sioatt_OBJ := proto/sioatt.o
test_sioatt_LIBS :=
UNIT_TESTS += test_jwt
test_jwt_OBJ := proto/jwt.o common/b64.o common/jsonv.o common/json.o common/errbuf.o
test_jwt_LIBS := $(JQ_LIBS) $(CRYPTO_LIBS)
UNIT_TESTS += test_siorx
test_siorx_OBJ := proto/siorx.o proto/sioatt.o proto/eio.o proto/sio.o common/jsonv.o \
	common/json.o
test_siorx_LIBS := $(JQ_LIBS)
# The cluster's wire format (issue 13), checked against vectors that the
# real redis adapter wrote (tests/node/clustermsg-vectors.js).
UNIT_TESTS += test_mpack test_mpjson test_clustermsg test_shardmsg
test_mpack_OBJ := $(MPACK_OBJ)
test_mpack_LIBS := $(MSGPACK_LIBS) -lm
test_mpjson_OBJ := $(MPJSON_OBJ) common/jsonv.o
test_mpjson_LIBS := $(JQ_LIBS) $(MSGPACK_LIBS) -lm
test_clustermsg_OBJ := tests/cmsummary.o $(CLUSTERMSG_OBJ)
test_clustermsg_LIBS := $(JQ_LIBS) $(MSGPACK_LIBS) -lm
test_shardmsg_OBJ := tests/cmsummary.o $(CLUSTERMSG_OBJ)
test_shardmsg_LIBS := $(JQ_LIBS) $(MSGPACK_LIBS) -lm

# geoput's unit tests (UNIT_TESTS += ..., with their _OBJ and _LIBS).
UNIT_TESTS += test_geojson
test_geojson_OBJ := put/geojson.o common/jsnum.o common/errbuf.o
test_geojson_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_record
test_record_OBJ := put/record.o put/locid.o put/stamp.o put/geojson.o put/strictjson.o common/json.o \
	common/jsnum.o common/errbuf.o
test_record_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_dburl
test_dburl_OBJ := put/dburl.o common/pct.o common/errbuf.o
test_dburl_LIBS :=
UNIT_TESTS += test_jsonin
test_jsonin_OBJ := put/jsonin.o put/strictjson.o common/json.o \
	common/jsonv.o common/errbuf.o
test_jsonin_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_strictjson
test_strictjson_OBJ := put/strictjson.o common/json.o common/errbuf.o
test_strictjson_LIBS := -lm
UNIT_TESTS += test_jqfilter
test_jqfilter_OBJ := common/jqfilter.o
test_jqfilter_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_dbsql
test_dbsql_OBJ := put/dbsql.o put/locid.o common/buf.o common/jsnum.o common/errbuf.o
test_dbsql_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_batch test_putopt
test_batch_OBJ := put/batch.o put/record.o put/locid.o put/stamp.o put/geojson.o put/jsonin.o \
	put/strictjson.o common/json.o common/jsonv.o common/jqfilter.o common/jsnum.o \
	common/errbuf.o
test_batch_LIBS := $(JQ_LIBS) -lm
test_putopt_OBJ := put/putopt.o put/record.o put/locid.o put/stamp.o put/geojson.o put/dbsql.o common/redisurl.o common/pct.o \
	put/strictjson.o proto/sio.o common/jsonv.o common/cmdline.o \
	common/json.o common/jsnum.o common/errbuf.o common/buf.o
test_putopt_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_fence test_fenceopt
test_fence_OBJ := put/fence.o put/geojson.o put/locid.o put/stamp.o put/wkb.o \
	put/strictjson.o common/json.o common/jsnum.o common/errbuf.o common/buf.o
test_fence_LIBS := $(JQ_LIBS) -lm
test_fenceopt_OBJ := put/fenceopt.o put/fence.o put/dbsql.o put/geojson.o \
	put/locid.o put/stamp.o put/wkb.o put/strictjson.o common/cmdline.o \
	common/json.o common/jsnum.o common/errbuf.o common/buf.o
test_fenceopt_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_locid test_stamp test_wkb test_rowjson
test_wkb_OBJ := put/wkb.o common/buf.o
test_wkb_LIBS := $(JQ_LIBS)
test_rowjson_OBJ := put/rowjson.o put/wkb.o put/locid.o put/stamp.o common/jsnum.o \
	common/errbuf.o common/buf.o
test_rowjson_LIBS := $(JQ_LIBS) -lm
test_locid_OBJ := put/locid.o common/jsnum.o common/errbuf.o
test_locid_LIBS := $(JQ_LIBS) -lm
test_stamp_OBJ := put/stamp.o common/jsnum.o common/errbuf.o
test_stamp_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_roommsg
test_roommsg_OBJ := put/roommsg.o put/locid.o common/jsnum.o common/errbuf.o
test_roommsg_LIBS := $(JQ_LIBS) -lm
UNIT_TESTS += test_emitter
test_emitter_OBJ := put/emitter.o put/redispub.o put/roommsg.o put/locid.o \
	common/redisurl.o common/pct.o $(CLUSTERMSG_OBJ)
test_emitter_LIBS := $(JQ_LIBS) $(HIREDIS_LIBS) $(MSGPACK_LIBS) -lm
UNIT_TESTS += test_ctlclient
test_ctlclient_OBJ := ctl/ctlclient.o ctl/ctl.o proto/sio.o common/jsonv.o common/json.o \
	common/mono.o common/buf.o
test_ctlclient_LIBS := $(JQ_LIBS)

# geoget's unit tests.
UNIT_TESTS += test_area test_getsql test_getargs test_polyarea
test_area_OBJ := get/area.o
test_area_LIBS := -lm
test_getsql_OBJ := get/getsql.o get/area.o put/wkb.o put/stamp.o put/locid.o \
	common/jsnum.o common/errbuf.o common/buf.o
test_getsql_LIBS := $(JQ_LIBS) -lm
test_getargs_OBJ := get/getargs.o get/getsql.o get/area.o put/dbsql.o put/wkb.o \
	put/stamp.o put/locid.o common/cmdline.o common/jsnum.o common/errbuf.o \
	common/buf.o
test_getargs_LIBS := $(JQ_LIBS) -lm
test_polyarea_OBJ := get/polyarea.o put/geojson.o put/strictjson.o put/wkb.o \
	common/json.o common/jsnum.o common/errbuf.o common/buf.o
test_polyarea_LIBS := $(JQ_LIBS) -lm

# georoomd's unit tests.
UNIT_TESTS += test_hashtab test_outq test_room test_ctl test_jsnum
test_jsnum_OBJ := common/jsnum.o
test_jsnum_LIBS :=
test_hashtab_OBJ := common/hashtab.o
test_hashtab_LIBS :=
test_outq_OBJ := hub/outq.o
test_outq_LIBS :=
UNIT_TESTS += test_retain
test_retain_OBJ := hub/retain.o hub/outq.o common/hashtab.o proto/sio.o \
	common/jsonv.o common/json.o
test_retain_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_acks
test_acks_OBJ := hub/acks.o
test_acks_LIBS :=
UNIT_TESTS += test_recovery
test_recovery_OBJ := hub/recovery.o hub/outq.o common/hashtab.o
test_recovery_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_ratelimit
test_ratelimit_OBJ := hub/ratelimit.o
test_ratelimit_LIBS :=
UNIT_TESTS += test_cidr test_xff
test_cidr_OBJ := common/cidr.o
test_cidr_LIBS :=
test_xff_OBJ := hub/xff.o common/cidr.o
test_xff_LIBS :=
UNIT_TESTS += test_metrics
test_metrics_OBJ := hub/metrics.o common/promtext.o common/buf.o
test_metrics_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_refuselog
test_refuselog_OBJ := hub/refuselog.o common/cidr.o common/hashtab.o
test_refuselog_LIBS :=
UNIT_TESTS += test_peers
test_peers_OBJ := hub/peers.o common/cidr.o common/hashtab.o
test_peers_LIBS :=
UNIT_TESTS += test_authz
test_authz_OBJ := hub/authz.o common/jsonv.o common/json.o common/errbuf.o
test_authz_LIBS := $(JQ_LIBS)
test_room_OBJ := hub/room.o common/hashtab.o
test_room_LIBS :=
test_ctl_OBJ := ctl/ctl.o proto/sio.o common/jsonv.o common/json.o
test_ctl_LIBS := $(JQ_LIBS)
# ctlreq with the hub stubbed in the test over a real registry.
UNIT_TESTS += test_ctlreq
test_ctlreq_OBJ := hub/ctlreq.o hub/hubview.o hub/refuselog.o ctl/ctl.o proto/sio.o \
	common/jsonv.o common/json.o hub/room.o hub/outq.o hub/retain.o \
	common/hashtab.o
test_ctlreq_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_tlscert
test_tlscert_OBJ := net/tlscert.o common/errbuf.o
test_tlscert_LIBS := $(SSL_LIBS)

# georoom-cli's unit tests.
UNIT_TESTS += test_wsurl test_climsg test_eventfmt test_linebuf
test_wsurl_OBJ := cli/wsurl.o
test_wsurl_LIBS :=
test_climsg_OBJ := cli/climsg.o common/json.o
test_climsg_LIBS := $(JQ_LIBS)
test_eventfmt_OBJ := cli/eventfmt.o common/json.o
test_eventfmt_LIBS := $(JQ_LIBS)
test_linebuf_OBJ := common/linebuf.o
test_linebuf_LIBS :=
UNIT_TESTS += test_buf
test_buf_OBJ := common/buf.o
test_buf_LIBS :=
UNIT_TESTS += test_roomfile
test_roomfile_OBJ := cli/roomfile.o common/errbuf.o common/json.o
test_roomfile_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_cmd
test_cmd_OBJ := cli/cmd.o cli/climsg.o common/errbuf.o common/json.o \
	proto/sio.o common/jsonv.o
test_cmd_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_output
test_output_OBJ := cli/output.o cli/eventfmt.o common/jqfilter.o common/jsonv.o \
	common/errbuf.o common/json.o
test_output_LIBS := $(JQ_LIBS)
UNIT_TESTS += test_cliopt
test_cliopt_OBJ := cli/cliopt.o common/cmdline.o
test_cliopt_LIBS :=

UNIT_BINS := $(addprefix $(B)/tests/,$(UNIT_TESTS))
PROG_TESTS := $(sort $(wildcard tests/prog/*.t))

MAN1 := man/geoput.1 man/geoget.1 man/georoom-cli.1 man/geofence.1
MAN7 := man/georoom.7
MAN8 := man/georoomd.8
MANS := $(MAN1) $(MAN7) $(MAN8)

.PHONY: all check unit lint format-check install uninstall clean fuzz
.DELETE_ON_ERROR:

all: $(PROGS)

$(BINDIR)/georoomd: $(addprefix $(B)/,$(GEOROOMD_OBJ))
$(BINDIR)/geoput: $(addprefix $(B)/,$(GEOPUT_OBJ))
$(BINDIR)/geoget: $(addprefix $(B)/,$(GEOGET_OBJ))
$(BINDIR)/georoom-cli: $(addprefix $(B)/,$(CLI_OBJ))
$(BINDIR)/geofence: $(addprefix $(B)/,$(GEOFENCE_OBJ))

$(CONFORMANCE): $(B)/tests/sio-conformance.o \
	$(addprefix $(B)/,$(CONFORMANCE_OBJ))
$(CONFORMANCE): LIBS := $(LWS_LIBS) $(UV_LIBS) $(JQ_LIBS) $(HIREDIS_LIBS) \
	$(MSGPACK_LIBS) $(SSL_LIBS) -lm

$(B)/tests/sio-conformance.o: tests/conformance/sio-conformance.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(PROBE): $(B)/tests/redislink-probe.o $(addprefix $(B)/,$(PROBE_OBJ))
$(PROBE): LIBS := $(UV_LIBS) $(HIREDIS_LIBS) -lm

$(B)/tests/redislink-probe.o: tests/redis/redislink-probe.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(CLUSTERMSG_DRIVER): $(B)/tests/clustermsg-driver.o \
	$(B)/tests/cmsummary.o $(addprefix $(B)/,$(CLUSTERMSG_OBJ))
$(CLUSTERMSG_DRIVER): LIBS := $(JQ_LIBS) $(MSGPACK_LIBS) -lm

$(B)/tests/clustermsg-driver.o: tests/conformance/clustermsg-driver.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

$(PROGS) $(CONFORMANCE) $(PROBE) $(CLUSTERMSG_DRIVER):
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# A layer's objects see only the headers of the layers beneath them.
$(foreach l,$(ALL_LAYERS),$(eval $(B)/$(l)/%.o: LAYER_INC = \
	$(addprefix -Isrc/,$(LAYERS_BELOW_$(l)) $(l))))

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(UNIT_BINS): $(B)/tests/%: $(B)/tests/%.o $$(addprefix $(B)/,$$($$*_OBJ))
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $($*_LIBS) -lcmocka

# One prove run over both kinds of test, so that its summary is the last
# thing printed.  cmocka writes TAP when asked through the environment.
check: all $(UNIT_BINS) $(CONFORMANCE) $(PROBE) $(CLUSTERMSG_DRIVER) lint
	CMOCKA_MESSAGE_OUTPUT=TAP GEOROOM_BIN=$(abspath $(BINDIR)) \
	GEOROOM_CONFORMANCE=$(abspath $(CONFORMANCE)) \
	GEOROOM_REDISLINK_PROBE=$(abspath $(PROBE)) \
	GEOROOM_CLUSTERMSG_DRIVER=$(abspath $(CLUSTERMSG_DRIVER)) \
	GEOROOM_TOP=$(CURDIR) prove $(PROVEFLAGS) $(UNIT_BINS) $(PROG_TESTS)

unit: $(UNIT_BINS)
	CMOCKA_MESSAGE_OUTPUT=TAP prove $(PROVEFLAGS) $(UNIT_BINS)

# Banned calls, as curl's checksrc does; then the man pages.
BANNED := \b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets|strtok)[ \t]*\(
lint:
	@if grep -nE '$(BANNED)' src/*.c src/*/*.[ch] tests/unit/*.c; then \
		echo "lint: banned call above" >&2; exit 1; fi
	@if command -v mandoc >/dev/null; then \
		mandoc -Tlint -W warning $(MANS) || exit 1; \
	else echo "lint: mandoc not installed, man pages not checked" >&2; fi

# The C files against .clang-format; scripts/format-check --fix rewrites
# them.
format-check:
	@scripts/format-check

# libFuzzer targets: tests/fuzz/fuzz_<name>.c linked with the modules it
# names, built by clang with ASan and UBSan, each run for FUZZ_SECONDS from
# its seed corpus in tests/fuzz/corpus/<name>/.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := fuzz_sio fuzz_eio fuzz_jsonv fuzz_ctl fuzz_record \
	fuzz_dburl fuzz_wsurl fuzz_redisurl fuzz_clustermsg fuzz_xff fuzz_jwt \
	fuzz_shardmsg fuzz_httpreq
fuzz_sio_SRC := src/proto/sio.c src/common/json.c src/common/jsonv.c
fuzz_eio_SRC := src/proto/eio.c src/common/json.c
fuzz_jsonv_SRC := src/common/jsonv.c src/common/json.c
fuzz_ctl_SRC := src/ctl/ctl.c src/proto/sio.c src/common/jsonv.c \
	src/common/json.c
fuzz_record_SRC := src/put/batch.c src/put/record.c src/put/locid.c src/put/stamp.c src/put/geojson.c \
	src/put/jsonin.c src/put/strictjson.c src/common/json.c \
	src/common/jsonv.c src/common/jqfilter.c src/common/jsnum.c \
	src/common/errbuf.c
fuzz_dburl_SRC := src/put/dburl.c src/common/pct.c src/common/errbuf.c
fuzz_wsurl_SRC := src/cli/wsurl.c
fuzz_redisurl_SRC := src/common/redisurl.c src/common/pct.c \
	src/common/errbuf.c
fuzz_clustermsg_SRC := src/proto/clustermsg.c src/proto/jsonw.c src/proto/mpjson.c \
	src/proto/mpack.c src/proto/sio.c src/common/jsonv.c \
	src/common/json.c src/common/jsnum.c src/common/buf.c src/common/errbuf.c \
	tests/fuzz/fuzzcheck.c
fuzz_clustermsg_LIBS := $(MSGPACK_LIBS)
fuzz_xff_SRC := src/hub/xff.c src/common/cidr.c
fuzz_jwt_SRC := src/proto/jwt.c src/common/b64.c src/common/jsonv.c src/common/json.c \
	src/common/errbuf.c
fuzz_jwt_LIBS := $(CRYPTO_LIBS)
fuzz_shardmsg_SRC := src/proto/shardmsg.c $(fuzz_clustermsg_SRC)
fuzz_shardmsg_LIBS := $(MSGPACK_LIBS)
fuzz_httpreq_SRC := src/proto/httpreq.c
FUZZ_FLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE $(MSGPACK_CFLAGS) \
	$(addprefix -Isrc/,$(ALL_LAYERS)) -Itests/fuzz

build/fuzz/%: tests/fuzz/%.c $$($$*_SRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(JQ_LIBS) $($*_LIBS) -lm

fuzz: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
		name=$${t#fuzz_}; mkdir -p build/fuzz/corpus-$$name; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) \
			-max_len=4096 -print_final_stats=1 \
			-artifact_prefix=build/fuzz/$$t- \
			build/fuzz/corpus-$$name tests/fuzz/corpus/$$name \
			2>build/fuzz/$$t.log || { tail -50 build/fuzz/$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' build/fuzz/$$t.log; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(PREFIX)/share/georoom/map
	install -m 644 examples/map/index.html \
		$(DESTDIR)$(PREFIX)/share/georoom/map/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(PROGS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(DESTDIR)$(PREFIX)/share/georoom/map/index.html

clean:
	rm -rf build
	find bin -type f ! -name .gitignore -delete

-include $(shell find build -name '*.d' 2>/dev/null)

# Benchmark tools for scripts/bench, never built or run by make check: the
# load generator (tests/bench/), linked with the hub's pure codec.
BENCH_OBJ := loadgen.o board.o client.o hist.o payload.o procstat.o \
	producer.o worker.o wsc.o
BENCH_SHARED_OBJ := proto/eio.o proto/sio.o common/jsonv.o proto/wsframe.o common/json.o common/cmdline.o

.PHONY: bench-tools
bench-tools: $(B)/bench/loadgen

$(B)/bench/loadgen: $(addprefix $(B)/bench/,$(BENCH_OBJ)) \
	$(addprefix $(B)/,$(BENCH_SHARED_OBJ))
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(JQ_LIBS) -lm

$(B)/bench/%.o: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/bench -c -o $@ $<
