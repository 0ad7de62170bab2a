#!/usr/bin/env bash
# georoomd in a Socket.IO cluster on Redis 7's sharded pub/sub: two
# georoomd --redis-mode sharded and a Node socket.io 4.8 server with
# @socket.io/redis-adapter's createShardedAdapter on one private Redis
# share rooms (tests/node/cluster-interop.js), either georoomd's control
# socket acts on all three (tests/node/cluster-control.js), and what only
# the sharded adapter does holds (tests/node/cluster-sharded.js: acks,
# the channels of rooms); then the same in the "static" subscription mode.
. "$(dirname "$0")/lib.sh"

need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }

for mode in sharded sharded-static; do
	GEOROOM_SOCKET=$T/a-$mode.sock start_georoomd --redis "$REDIS_URL" \
	    --redis-mode $mode ||
		{ ok 1 "georoomd A starts ($mode)"; done_testing; }
	a_pid=$GEOROOMD_PID a_port=$GEOROOMD_PORT a_log=$GEOROOMD_LOG
	GEOROOM_SOCKET=$T/b-$mode.sock start_georoomd --redis "$REDIS_URL" \
	    --redis-mode $mode ||
		{ ok 1 "georoomd B starts ($mode)"; done_testing; }
	b_pid=$GEOROOMD_PID b_port=$GEOROOMD_PORT

	scripts="cluster-interop cluster-control cluster-sharded"
	[ $mode = sharded-static ] && scripts="cluster-interop cluster-sharded"
	for script in $scripts; do
		GEOROOM_ADAPTER=$mode \
		    GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port \
		    GEOROOM_SOCKET_A=$T/a-$mode.sock \
		    GEOROOM_SOCKET_B=$T/b-$mode.sock \
		    node_tap "$TOP/tests/node/$script.js"
	done

	is "$(grep -c 'redis: up' "$a_log")" 1 \
	    "A logs one line as its link comes up ($mode)"
	GEOROOMD_PID=$b_pid stop_georoomd
	is "$rc" 0 "georoomd B exits 0 on SIGTERM ($mode)"
	GEOROOMD_PID=$a_pid stop_georoomd
	is "$rc" 0 "georoomd A exits 0 on SIGTERM ($mode)"
	is "$(redis-cli -u "$REDIS_URL" PUBSUB SHARDCHANNELS | grep -c .)" 0 \
	    "no shard channel is left subscribed ($mode)"
done
done_testing
