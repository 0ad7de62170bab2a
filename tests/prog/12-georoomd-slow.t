#!/usr/bin/env bash
# A client that never reads is dropped under the backlog policy and stalls
# no one else.
. "$(dirname "$0")/lib.sh"

start_georoomd --max-backlog 65536 || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-slow.js"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
done_testing
