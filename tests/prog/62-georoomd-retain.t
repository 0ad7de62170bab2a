#!/usr/bin/env bash
# georoomd --retain: joiners get each room's last message of the retained
# events, after their join ack and before anything newer; --retain-ttl,
# --retain-max-bytes; and on a cluster each node retains what it relays
# (tests/node/hub-retain.js).
. "$(dirname "$0")/lib.sh"

run_hub() {
	start_georoomd "$@" || { ok 1 "georoomd starts with $*"; return 1; }
}

run_hub --retain chat --retain pos && {
	node_tap "$TOP/tests/node/hub-retain.js" basic
	stop_georoomd
	is "$rc" 0 "georoomd exits 0 with messages retained"
}
run_hub --retain chat --retain-ttl 1 && {
	node_tap "$TOP/tests/node/hub-retain.js" ttl
	stop_georoomd
}
run_hub --retain chat --retain-max-bytes 2048 && {
	node_tap "$TOP/tests/node/hub-retain.js" bound
	stop_georoomd
}

run_cmd georoomd --retain connect
is "$rc" 64 "--retain of a reserved event exits 64"
like "$err" "'connect' is no event a room receives" "naming it"
run_cmd georoomd --retain-max-bytes 10
is "$rc" 64 "--retain-max-bytes under 1024 exits 64"

need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }
GEOROOM_SOCKET=$T/a.sock run_hub --redis "$REDIS_URL" --retain chat ||
	done_testing
a_pid=$GEOROOMD_PID
GEOROOM_SOCKET=$T/b.sock run_hub --redis "$REDIS_URL" --retain chat ||
	done_testing
GEOROOMD_PORT_B=$GEOROOMD_PORT GEOROOM_SOCKET_A=$T/a.sock \
    GEOROOM_SOCKET_B=$T/b.sock \
    node_tap "$TOP/tests/node/hub-retain.js" cluster
stop_georoomd
GEOROOMD_PID=$a_pid stop_georoomd
done_testing
