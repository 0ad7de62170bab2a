#!/usr/bin/env bash
# georoomd's cluster link when Redis dies and comes back: local rooms keep
# working, what cannot be published is counted, the link comes back by
# itself with its subscriptions, and each change of state is logged once.
. "$(dirname "$0")/lib.sh"

need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }

GEOROOM_SOCKET=$T/a.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd A starts"; done_testing; }
a_pid=$GEOROOMD_PID a_port=$GEOROOMD_PORT a_log=$GEOROOMD_LOG
GEOROOM_SOCKET=$T/b.sock start_georoomd --redis "$REDIS_URL" ||
	{ ok 1 "georoomd B starts"; done_testing; }
b_pid=$GEOROOMD_PID b_port=$GEOROOMD_PORT
export GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port \
    GEOROOM_SOCKET_A=$T/a.sock GEOROOM_SOCKET_B=$T/b.sock

node_tap "$TOP/tests/node/cluster-redis-down.js" up
kill -9 "$REDIS_PID"
node_tap "$TOP/tests/node/cluster-redis-down.js" down
start_redis || { ok 1 "redis starts again"; done_testing; }
node_tap "$TOP/tests/node/cluster-redis-down.js" again

is "$(grep -o 'redis: [a-z]*' "$a_log" | tr '\n' ' ')" \
    "redis: up redis: down redis: up " "A logs one line per change of state"
kill -0 "$a_pid" && kill -0 "$b_pid"
ok $? "both hubs are still running"
GEOROOMD_PID=$b_pid stop_georoomd
is "$rc" 0 "georoomd B exits 0 on SIGTERM"
GEOROOMD_PID=$a_pid stop_georoomd
is "$rc" 0 "georoomd A exits 0 on SIGTERM"
done_testing
