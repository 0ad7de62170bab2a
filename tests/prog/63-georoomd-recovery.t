#!/usr/bin/env bash
# Connection state recovery (--recovery-window), with socket.io-client 4.8:
# a client whose transport closes gets its session and the events it
# missed, in order, within the window and not after; sessions and events
# kept stay within their caps; without the option nothing changes.
. "$(dirname "$0")/lib.sh"

start_georoomd --recovery-window 2000 ||
    { ok 1 "georoomd starts"; done_testing; }
like "$(cat "$GEOROOMD_LOG")" \
    'connection state recovery: 2000 ms, at most 10000 sessions and 16777216 bytes of events' \
    "the start says recovery is on, with its limits"
node_tap "$TOP/tests/node/hub-recovery.js" recover
log=$(cat "$GEOROOMD_LOG")
like "$log" 'connect sid=.* socket=.* ns=/ peer=127\.0\.0\.1: recovered, 3 missed events sent' \
    "a recovery is logged with the events sent again"
like "$log" 'recovery sid=.* ns=/: a fresh session: kept longer than --recovery-window' \
    "and a session that could not be recovered, with why"
stop_georoomd
is "$rc" 0 "georoomd stops cleanly with sessions kept"

start_georoomd --recovery-window 60000 --recovery-buffer 4096 \
    --recovery-sessions 2 || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-recovery.js" caps
log=$(cat "$GEOROOMD_LOG")
like "$log" 'recovery sid=.* a fresh session: no session kept under this pid' \
    "a session dropped over --recovery-sessions is refused, saying why"
like "$log" 'recovery sid=.* a fresh session: events it may have missed were dropped' \
    "a recovery that would miss events is refused, saying why"
stop_georoomd

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-recovery.js" off
stop_georoomd

run_cmd georoomd -p 0 -c "$T/c.sock" --recovery-window -1
is "$rc" 64 "--recovery-window is held to its range"
run_cmd georoomd -p 0 -c "$T/c.sock" --recovery-buffer 100
is "$rc" 64 "--recovery-buffer too"
# On a cluster: A keeps sessions; what B's clients send reaches A over
# Redis and is kept like A's own broadcasts.
need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }
GEOROOM_SOCKET=$T/a.sock start_georoomd --redis "$REDIS_URL" \
    --recovery-window 10000 || { ok 1 "georoomd A starts"; done_testing; }
a_pid=$GEOROOMD_PID a_port=$GEOROOMD_PORT
GEOROOM_SOCKET=$T/b.sock start_georoomd --redis "$REDIS_URL" ||
    { ok 1 "georoomd B starts"; done_testing; }
b_pid=$GEOROOMD_PID b_port=$GEOROOMD_PORT
GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port \
    GEOROOM_SOCKET_A=$T/a.sock \
    node_tap "$TOP/tests/node/hub-recovery.js" cluster
GEOROOMD_PID=$b_pid stop_georoomd
GEOROOMD_PID=$a_pid stop_georoomd
is "$rc" 0 "georoomd A stops cleanly"
done_testing
