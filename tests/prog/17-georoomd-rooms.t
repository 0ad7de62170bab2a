#!/usr/bin/env bash
# Rooms per socket: a socket in 200,000 rooms that another socket shares
# leaving them all at once, which used to stop the hub for seconds
# (issue 12).
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-rooms.js" many 200000
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
done_testing
