#!/usr/bin/env bash
# georoomd at the edges of the WebSocket protocol (RFC 6455): close
# payloads, unmasked frames and requests libwebsockets would refuse itself;
# and what a new WebSocket receives as TCP segments.
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-wsedges.js"
py_tap "$TOP/tests/prog/ws-segments.py"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
! grep -q "Sanitizer" "$GEOROOMD_LOG"
ok $? "no sanitizer report in georoomd's log"
done_testing
