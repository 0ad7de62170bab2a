#!/usr/bin/env bash
# georoomd in a Socket.IO cluster: two georoomd and a Node socket.io 4.8
# server with @socket.io/redis-adapter on one private Redis share rooms
# (tests/node/cluster-interop.js), and either georoomd's control socket
# acts on all three (tests/node/cluster-control.js).
. "$(dirname "$0")/lib.sh"

need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }

GEOROOM_SOCKET=$T/a.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd A starts"; done_testing; }
a_pid=$GEOROOMD_PID a_port=$GEOROOMD_PORT a_log=$GEOROOMD_LOG
GEOROOM_SOCKET=$T/b.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd B starts"; done_testing; }
b_pid=$GEOROOMD_PID b_port=$GEOROOMD_PORT

for script in cluster-interop cluster-control; do
	GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port \
	    GEOROOM_SOCKET_A=$T/a.sock GEOROOM_SOCKET_B=$T/b.sock \
	    node_tap "$TOP/tests/node/$script.js"
done

is "$(grep -c 'redis: up' "$a_log")" 1 "A logs one line as its link comes up"
GEOROOMD_PID=$b_pid stop_georoomd
is "$rc" 0 "georoomd B exits 0 on SIGTERM"
GEOROOMD_PID=$a_pid stop_georoomd
is "$rc" 0 "georoomd A exits 0 on SIGTERM"
done_testing
