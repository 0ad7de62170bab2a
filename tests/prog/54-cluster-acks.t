#!/usr/bin/env bash
# Emits awaiting acknowledgements across a Socket.IO cluster: two georoomd
# and a Node socket.io 4.8 server with @socket.io/redis-adapter on one
# private Redis; Node's emitWithAck() hears georoomd's clients
# (tests/node/cluster-acks.js), which also stops georoomd A.
. "$(dirname "$0")/lib.sh"

need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }

GEOROOM_SOCKET=$T/a.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd A starts"; done_testing; }
a_pid=$GEOROOMD_PID a_port=$GEOROOMD_PORT
GEOROOM_SOCKET=$T/b.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd B starts"; done_testing; }
b_pid=$GEOROOMD_PID b_port=$GEOROOMD_PORT

GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port GEOROOMD_PID_A=$a_pid \
    GEOROOM_SOCKET_A=$T/a.sock GEOROOM_SOCKET_B=$T/b.sock \
    node_tap "$TOP/tests/node/cluster-acks.js"

GEOROOMD_PID=$b_pid stop_georoomd
is "$rc" 0 "georoomd B exits 0 on SIGTERM"
# Stopped already: a second SIGTERM could cut its exit (and the leak check).
wait "$a_pid"
rc=$?
is "$rc" 0 "georoomd A, stopped by the script with acks awaited, exited 0"
done_testing
