#!/usr/bin/env bash
# georoomd --conflate: a client that stops reading while its room is fed
# fast keeps only the room's newest position queued, is not dropped, and
# gets the last one once it reads again; without it, the same client is
# dropped as a slow reader (tests/node/hub-conflate.js).
. "$(dirname "$0")/lib.sh"

# Memory is measured: under AddressSanitizer, freed memory must be reused
# at once rather than held in quarantine.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
    start_georoomd --max-backlog 1048576 --conflate pos ||
	{ ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-conflate.js" on
stop_georoomd
is "$rc" 0 "georoomd exits 0"

start_georoomd --max-backlog 1048576 ||
	{ ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-conflate.js" off
stop_georoomd

run_cmd georoomd --conflate disconnect
is "$rc" 64 "--conflate of a reserved event exits 64"
done_testing
