#!/usr/bin/env bash
# georoomd fed mangled packets (a fixed seed) neither crashes nor leaks:
# under the sanitizer build any error report fails the test.
. "$(dirname "$0")/lib.sh"

start_georoomd -n /other || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-garbage.js"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
! grep -q "Sanitizer" "$GEOROOMD_LOG"
ok $? "no sanitizer report in georoomd's log"
done_testing
