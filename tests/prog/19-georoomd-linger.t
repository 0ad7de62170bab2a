#!/usr/bin/env bash
# georoomd closes sockets lingering (half-closed, read out for at most 2 s
# or 64 KiB), so that a client's last writes meet no reset, and still
# releases every socket within that bound.
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-linger.js"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
! grep -q "Sanitizer" "$GEOROOMD_LOG"
ok $? "no sanitizer report in georoomd's log"
done_testing
