#!/usr/bin/env bash
# georoomd bounds the memory unfinished messages hold: each must be whole
# within --message-timeout, and all of them together hold at most about
# --max-unfinished bytes.  The options are given in the environment.
. "$(dirname "$0")/lib.sh"

GEOROOMD_MESSAGE_TIMEOUT=1000 start_georoomd --ping-interval 60000 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-unfinished.js" deadline
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"

export GEOROOMD_MAX_UNFINISHED=8388608 # also read by the script
# Memory is measured: under AddressSanitizer, freed memory must be reused
# at once rather than held in quarantine.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
    start_georoomd --ping-interval 60000 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-unfinished.js" budget 40 999000
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
! grep -q "Sanitizer" "$T"/georoomd-*.log
ok $? "no sanitizer report in georoomd's logs"
done_testing
