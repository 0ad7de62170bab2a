#!/usr/bin/env bash
# Rooms per socket: --max-rooms-per-socket, its default and its variable,
# and a socket in 200,000 rooms that another socket shares leaving them
# all at once, which used to stop the hub for seconds (issue 12).
. "$(dirname "$0")/lib.sh"

GEOROOMD_MAX_ROOMS_PER_SOCKET=3 start_georoomd ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-rooms.js" cap 3
stop_georoomd

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-rooms.js" cap 1000
stop_georoomd

start_georoomd --max-rooms-per-socket 0 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-rooms.js" many 200000
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"

run_cmd georoomd --max-rooms-per-socket -1
is "$rc" 64 "a negative --max-rooms-per-socket is a usage error"
done_testing
